#!/usr/bin/env bash
# make bench (not in CI): what the series costs and what it delivers, on
# x86_64. Builds the kernel without the series (tag 'base', in a worktree
# of its own) and with it, boots each with rig/tests/bench.plan, and prints
# the figures side by side. The selftests are those of the series; the
# base kernel skips what it lacks. Then the KVM_PRE_FAULT_MEMORY figures,
# which only the series has, on x86_64 and arm64.
#   bench.sh [RUNS]   RUNS boots of each kernel (default 3)
. "$(dirname "$0")/lib.sh"

runs=${1:-3}
use_arch x86_64

wt=$OUT/bench-base-tree
git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$TREE" worktree prune
git -C "$TREE" worktree add -q --detach "$wt" base
trap 'git -C "$TREE" worktree remove --force "$wt"' EXIT

say "building the base kernel (no series) in $OUT/kernel-x86_64-base"
"$RIG/kernel.sh" --tree "$wt" --build "$OUT/kernel-x86_64-base" --lax-config x86_64 normal
"$RIG/kernel.sh" x86_64 normal
"$RIG/selftests.sh" x86_64
initrd=$OUT/initramfs-x86_64-bench.gz
"$RIG/initramfs.sh" x86_64 "$RIG/tests/bench.plan" "$initrd"

# Runs alternate between the kernels, so a drift of the machine (another
# job, thermal) hits both alike; the table gives every run and the median.
qemu=$(qemu_for x86_64)
for run in $(seq "$runs"); do
	for k in base series; do
		case $k in
		base) image=$OUT/kernel-x86_64-base/$ARCH_KERNEL_IMAGE ;;
		series) image=$OUT/x86_64-normal.image ;;
		esac
		say "benchmarking the $k kernel, run $run of $runs"
		python3 "$RIG/run.py" --qemu "$qemu" --cmdline "$ARCH_CMDLINE" --logdir "$LOGS/bench-$k-$run" \
			--testdirs "$OUT/selftests-x86_64:$RIG/tests" \
			x86_64/normal "$image" "$initrd" "$RIG/tests/bench.plan" ||
			warn "a benchmark failed on the $k kernel (logs: $LOGS/bench-$k-$run)"
	done
done

python3 - "$LOGS" "$runs" "$RIG/tests/bench.plan" "$RIG" <<'PY'
import re, statistics, sys
logs, runs, plan_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sys.path.insert(0, sys.argv[4])
sys.dont_write_bytecode = True
import plan
tests = plan.read(plan_path)

def figures(path):
    """(label, value, unit) of every figure in a console log, in order."""
    out, test = [], None
    for line in open(path, errors='replace'):
        m = re.match(r'@@rig start (\d+) ', line)
        if m:
            t = tests[int(m.group(1)) - 1]
            test = ' '.join([t.name] + t.args)
        m = re.match(r'Overall demand paging rate: ([\d.]+) pgs/sec', line)
        if m:
            out.append((test, float(m.group(1)), 'pages/s'))
        m = re.match(r'bench: (.*?):\s+([\d.]+) (\S+)', line)
        if m:
            out.append(('private_mem_bench: ' + ' '.join(m.group(1).split()),
                        float(m.group(2)), m.group(3).rstrip(',')))
    return out

table = {}
for k in ('base', 'series'):
    for r in range(1, runs + 1):
        try:
            for label, val, unit in figures(f'{logs}/bench-{k}-{r}/console.log'):
                table.setdefault((label, unit), {}).setdefault(k, []).append(val)
        except OSError:
            pass
for (label, unit), per in table.items():
    print(f'{label} [{unit}]')
    med = {}
    for k in ('base', 'series'):
        if k in per:
            med[k] = statistics.median(per[k])
            vals = ' '.join(f'{v:.0f}' for v in per[k])
            print(f'    {k:6}  runs: {vals}   median {med[k]:.0f}')
    if len(med) == 2 and med['base']:
        print(f'    series/base: {100 * (med["series"] / med["base"] - 1):+.1f}%')
PY

# KVM_PRE_FAULT_MEMORY has no counterpart in the base kernel: its figures
# come from the series kernels alone, on both arches, 256 MiB a sequence
# (pages/s of the pre-fault and of the guest's pass, and the second-stage
# faults per page KVM counted during that pass).
for arch in x86_64 arm64; do
	say "KVM_PRE_FAULT_MEMORY figures on $arch"
	"$RIG/one.sh" "$arch" normal pre_fault_memory_test -m 256 -b >/dev/null ||
		warn "pre_fault_memory_test failed on $arch (logs: $LOGS/$arch-normal)"
	sed -n "s/^figures: /$arch  /p" "$LOGS/$arch-normal/pre_fault_memory_test.log"
done
