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
logdir=$LOGS/$arch-$flavour
rm -rf "$logdir"
say "booting $arch/$flavour: $tests tests from ${plan#"$TOP"/} (logs: $logdir)"
RIG_LOGDIR=$logdir RIG_TESTDIRS="$OUT/selftests-$arch:$RIG/tests" \
	python3 "$RIG/run.py" "$arch" "$flavour" "$OUT/$arch-$flavour.image" "$initrd" "$plan"
