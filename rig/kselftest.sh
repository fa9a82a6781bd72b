#!/usr/bin/env bash
# The series' tests through the kernel's own kselftest build, as a CI that
# runs "make kselftest" would get them: kselftest.sh ARCH builds and installs
# TARGETS=kvm with tools/testing/selftests/Makefile, then checks that every
# test the series adds to the kvm Makefile for ARCH is in the installed
# kselftest-list.txt and installed as an executable.
. "$(dirname "$0")/lib.sh"

arch=$1
use_arch "$arch"
H=$OUT/headers-$arch
K=$OUT/kselftest-$arch
rm -rf "$K/install"
stable_src
make -C "$SRC" O="$OUT/headers-build-$arch" ARCH="$arch" CROSS_COMPILE="$ARCH_CROSS" \
	INSTALL_HDR_PATH="$H" -s headers_install >/dev/null
make -C "$SRC/tools/testing/selftests" TARGETS=kvm ARCH="$arch" CROSS_COMPILE="$ARCH_CROSS" \
	CC="ccache ${ARCH_CROSS}gcc" O="$K" KSFT_INSTALL_PATH="$K/install" \
	LINUX_HDR_PATH="$H/include/" KHDR_INCLUDES="-isystem $H/include" USERLDFLAGS=-static \
	-j"$JOBS" install \
	>"$K.log" 2>&1 || { tail -30 "$K.log" >&2; die "kselftest build of kvm for $arch failed (log: $K.log)"; }

added=$(git -C "$TREE" diff base..HEAD -- tools/testing/selftests/kvm/Makefile |
	sed -n "s#^+TEST_GEN_PROGS_$ARCH_UNAME += ##p")
[ -n "$added" ] || die "the series adds no $arch test to the kvm Makefile: nothing to check"
rc=0
for t in $added; do
	name=$(basename "$t")
	if ! grep -qxF "kvm:$name" "$K/install/kselftest-list.txt"; then
		echo "MISSING from kselftest-list.txt: kvm:$name"
		rc=1
	elif [ ! -x "$K/install/kvm/$name" ]; then
		echo "NOT INSTALLED: kvm/$name"
		rc=1
	else
		echo "kselftest: kvm:$name"
	fi
done
echo "$(wc -w <<<"$added") $arch tests of the series; kselftest-list.txt has $(wc -l <"$K/install/kselftest-list.txt") kvm tests"
exit $rc
