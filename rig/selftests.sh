#!/usr/bin/env bash
# Build tools/testing/selftests/kvm of the work tree, static, for ARCH
# (cross for arm64), into $OUT/selftests-ARCH. Objects stay out of the tree.
. "$(dirname "$0")/lib.sh"

arch=$1
cross=$(cross_compile "$arch")
H=${RIG_STOUT:-$OUT}/headers-$arch
S=${RIG_STOUT:-$OUT}/selftests-$arch
mkdir -p "$S"
stable_src
make -C "$SRC" O="${RIG_STOUT:-$OUT}/headers-build-$arch" ARCH="$arch" CROSS_COMPILE="$cross" \
	INSTALL_HDR_PATH="$H" -s headers_install >/dev/null
say "building $arch KVM selftests in $S"
# -Werror: the base builds without warnings here, so any warning is the
# series', and the test it is in is reported "not built". -k builds the rest.
make -C "$SRC/tools/testing/selftests/kvm" ARCH="$arch" CROSS_COMPILE="$cross" \
	CC="ccache ${cross}gcc" EXTRA_CFLAGS=-Werror OUTPUT="$S" LINUX_HDR_PATH="$H/include/" \
	KHDR_INCLUDES="-isystem $H/include" USERLDFLAGS=-static -k -j"$JOBS" \
	>"$S/build.log" 2>&1 || { tail -30 "$S/build.log" >&2; die "$arch selftests build failed (log: $S/build.log)"; }
say "$arch selftests: $(find "$S" -type f -perm -u+x ! -name '*.o' | wc -l) binaries"
