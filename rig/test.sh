#!/usr/bin/env bash
# Build and run one flavour: test.sh [--stock-qemu] [--show-output] ARCH FLAVOUR [PLAN]
# Builds the kernel and selftests of build/linux, packs the initramfs, boots
# it and judges each test of PLAN (default: the plan of ARCH and FLAVOUR,
# see plan_for in lib.sh) with run.py. Logs and results.ktap go to
# build/logs/ARCH-TAG/, TAG being FLAVOUR, or FLAVOUR-stock-qemu for a run
# under Debian's QEMU (--stock-qemu) of an arch that boots a patched one.
# --show-output prints every test's output (make run).
. "$(dirname "$0")/lib.sh"

stock=0 show=()
while [ $# -gt 0 ]; do
	case $1 in
	--stock-qemu) stock=1; shift ;;
	--show-output) show=(--show-output); shift ;;
	*) break ;;
	esac
done
[ $# = 2 ] || [ $# = 3 ] || die "usage: test.sh [--stock-qemu] [--show-output] ARCH FLAVOUR [PLAN]"
arch=$1 flavour=$2 plan=${3:-$(plan_for "$1" "$2")}
use_arch "$arch"
tag=$flavour
[ $stock = 1 ] && [ "$ARCH_PATCHED_QEMU" = 1 ] && tag=$flavour-stock-qemu
# Before anything is built: a failed build must not leave an older run's
# results.ktap to be read as this one's.
logdir=$LOGS/$arch-$tag
rm -rf "$logdir"
# A plan that does not parse fails here, before anything is built.
tests=$(python3 "$RIG/plan.py" names "$plan" | wc -l)
"$RIG/kernel.sh" "$arch" "$flavour"
"$RIG/selftests.sh" "$arch"
initrd=$OUT/initramfs-$arch-$flavour.gz
"$RIG/initramfs.sh" "$arch" "$plan" "$initrd"
qemu=$(qemu_for "$arch" $stock)
# Data races of base code that the tests make happen, each argued there.
known=$RIG/tests/$arch-$flavour.known
[ -f "$known" ] && show+=(--known "$known")
say "booting $arch/$tag: $tests tests from ${plan#"$TOP"/} (logs: $logdir)"
python3 "$RIG/run.py" --qemu "$qemu" --cmdline "$ARCH_CMDLINE" --logdir "$logdir" \
	--testdirs "$OUT/selftests-$arch:$RIG/tests" --system-map "$OUT/kernel-$arch-$flavour/System.map" \
	"${show[@]}" \
	"$arch/$tag" "$OUT/$arch-$flavour.image" "$initrd" "$plan"
