#!/usr/bin/env bash
# Build tools/testing/selftests/kvm, static, for ARCH (cross for arm64):
#   selftests.sh [--tree DIR] [--out DIR] ARCH
# The selftests of build/linux go to $OUT/selftests-ARCH; --tree and --out
# build another tree's elsewhere. Objects stay out of the tree.
. "$(dirname "$0")/lib.sh"

dest=$OUT
while [ $# -gt 0 ]; do
	case $1 in
	--tree) use_tree "$2"; shift 2 ;;
	--out) dest=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# = 1 ] || die "usage: selftests.sh [--tree DIR] [--out DIR] ARCH"
arch=$1
use_arch "$arch"
H=$dest/headers-$arch
S=$dest/selftests-$arch
mkdir -p "$S"
stable_src
make -C "$SRC" O="$dest/headers-build-$arch" ARCH="$arch" CROSS_COMPILE="$ARCH_CROSS" \
	INSTALL_HDR_PATH="$H" -s headers_install >/dev/null
say "building $arch KVM selftests in $S"
# -Werror: the base builds without warnings here, so any warning is the
# series', and the test it is in is reported "not built". -k builds the rest.
make -C "$SRC/tools/testing/selftests/kvm" ARCH="$arch" CROSS_COMPILE="$ARCH_CROSS" \
	CC="ccache ${ARCH_CROSS}gcc" EXTRA_CFLAGS=-Werror OUTPUT="$S" LINUX_HDR_PATH="$H/include/" \
	KHDR_INCLUDES="-isystem $H/include" USERLDFLAGS=-static -k -j"$JOBS" \
	>"$S/build.log" 2>&1 || { tail -30 "$S/build.log" >&2; die "$arch selftests build failed (log: $S/build.log)"; }
say "$arch selftests: $(find "$S" -type f -perm -u+x ! -name '*.o' | wc -l) binaries"
