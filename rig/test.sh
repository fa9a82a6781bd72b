#!/usr/bin/env bash
# Build and run one flavour: test.sh ARCH FLAVOUR PLAN
# Builds the kernel and selftests of build/linux, packs the initramfs, boots
# it and judges each test of PLAN (see run.py). Logs: build/logs/ARCH-FLAVOUR/.
. "$(dirname "$0")/lib.sh"

arch=$1 flavour=$2 plan=$3
# A plan that does not parse fails here, before anything is built.
tests=$(python3 "$RIG/plan.py" names "$plan" | wc -l)
"$RIG/kernel.sh" "$arch" "$flavour"
"$RIG/selftests.sh" "$arch"
initrd=$OUT/initramfs-$arch-$flavour.gz
"$RIG/initramfs.sh" "$arch" "$plan" "$initrd"
# arm64 boots under QEMU with rig/qemu/*.patch (stock QEMU ignores
# HCR_EL2.TEA: a guest's external abort never reaches KVM); RIG_STOCK_QEMU=1
# boots Debian's build instead, and tags the run "FLAVOUR-stock-qemu".
tag=$flavour
if [ "$arch" = arm64 ]; then
	if [ "${RIG_STOCK_QEMU:-0}" = 1 ]; then
		tag=$flavour-stock-qemu
	else
		RIG_QEMU=$("$RIG/qemu.sh")
		export RIG_QEMU
	fi
fi
logdir=$LOGS/$arch-$tag
rm -rf "$logdir"
say "booting $arch/$tag: $tests tests from ${plan#"$TOP"/} (logs: $logdir)"
RIG_LOGDIR=$logdir RIG_TESTDIRS="$OUT/selftests-$arch:$RIG/tests" \
	python3 "$RIG/run.py" "$arch" "$tag" "$OUT/$arch-$flavour.image" "$initrd" "$plan"
