#!/usr/bin/env bash
# make bench (not in CI): what the series costs and what it delivers, on
# x86_64. Builds the kernel without the series (tag 'base', in a worktree
# of its own) and with it, boots each with rig/tests/bench.plan, and prints
# the figures side by side. The selftests are those of the series; the
# base kernel skips what it lacks. Then arm64's KVM_PRE_FAULT_MEMORY
# figures, which only the series has.
#   bench.sh [RUNS] [base|upstream]   RUNS boots of each kernel (default 3)
# 'upstream' compares with upstream's own implementation of the same uAPI
# instead: Debian's linux-source-6.12, built from the same config fragments
# (the selftests, built against the series' headers, run there unchanged).
. "$(dirname "$0")/lib.sh"

runs=${1:-3} other=${2:-base}
use_arch x86_64

case $other in
base)
	wt=$OUT/bench-base-tree
	git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$wt" base
	trap 'git -C "$TREE" worktree remove --force "$wt"' EXIT
	;;
upstream)
	pkg=linux-source-6.12 dl=$CACHE/downloads
	mkdir -p "$dl"
	# Downloaded once: the figures stay comparable until the .deb is removed.
	# (ls fails while there is none yet: pipefail must not end the script.)
	deb=$(ls -t "$dl/${pkg}"_*.deb 2>/dev/null | head -1 || true)
	if [ -z "$deb" ]; then
		(cd "$dl" && apt-get download -q "$pkg" >/dev/null 2>&1) ||
			{ apt-get update -qq; (cd "$dl" && apt-get download -q "$pkg" >/dev/null); } ||
			die "cannot download $pkg"
		deb=$(ls -t "$dl/${pkg}"_*.deb | head -1)
	fi
	wt=$CACHE/upstream-$(dpkg-deb -f "$deb" Version)
	if [ ! -f "$wt/Makefile" ]; then
		say "unpacking $(basename "$deb") in $wt"
		rm -rf "$wt.tmp" && mkdir -p "$wt.tmp"
		dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards '*/linux-source-6.12.tar.xz' |
			tar -xJ -C "$wt.tmp" --strip-components=1
		mv "$wt.tmp" "$wt"
	fi
	;;
*) die "usage: bench.sh [RUNS] [base|upstream]" ;;
esac

# Both kernels with the bench flavour: the same base configuration (see
# config/bench.config), which the two kernels' tinyconfigs do not give.
say "building the $other kernel in $OUT/kernel-x86_64-$other-bench"
"$RIG/kernel.sh" --tree "$wt" --build "$OUT/kernel-x86_64-$other-bench" --lax-config x86_64 bench
"$RIG/kernel.sh" --lax-config x86_64 bench
"$RIG/selftests.sh" x86_64
initrd=$OUT/initramfs-x86_64-bench.gz
"$RIG/initramfs.sh" x86_64 "$RIG/tests/bench.plan" "$initrd"

# Runs alternate between the kernels, so a drift of the machine (another
# job, thermal) hits both alike; the table gives every run and the median.
# The guest's RAM is allocated on the host before it boots: otherwise the
# first pass over memory the guest never touched pays for the host's
# faults too, and which figure pays depends on what ran before it.
qemu="$(qemu_for x86_64) -mem-prealloc"
for run in $(seq "$runs"); do
	for k in "$other" series; do
		case $k in
		series) image=$OUT/x86_64-bench.image ;;
		*) image=$OUT/kernel-x86_64-$k-bench/$ARCH_KERNEL_IMAGE ;;
		esac
		say "benchmarking the $k kernel, run $run of $runs"
		python3 "$RIG/run.py" --qemu "$qemu" --cmdline "$ARCH_CMDLINE" --logdir "$LOGS/bench-$k-$run" \
			--testdirs "$OUT/selftests-x86_64:$RIG/tests" \
			x86_64/normal "$image" "$initrd" "$RIG/tests/bench.plan" ||
			warn "a benchmark failed on the $k kernel (logs: $LOGS/bench-$k-$run)"
	done
done

python3 - "$LOGS" "$runs" "$RIG/tests/bench.plan" "$RIG" "$other" <<'PY'
import re, statistics, sys
logs, runs, plan_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sys.path.insert(0, sys.argv[4])
other = sys.argv[5]
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
        m = re.match(r'figures: (.*?)\s+pre-fault\s+(\S+) pages/s\s+guest\s+([\d.]+) pages/s', line)
        if m:
            seq = ' '.join(m.group(1).split())
            if m.group(2) != '-':
                out.append((f'pre-fault: {seq}: pre-fault', float(m.group(2)), 'pages/s'))
            out.append((f'pre-fault: {seq}: guest pass', float(m.group(3)), 'pages/s'))
        m = re.match(r'figures: (.*?)\s+pre-fault\s+\S+ pages/s.*\s([\d.]+) exits/page', line)
        if m:
            # Per 1,000 pages, so that the table's integer figures show it.
            out.append((f'pre-fault: {" ".join(m.group(1).split())}: exits to KVM in the pass',
                        1000 * float(m.group(2)), 'per 1000 pages'))
        m = re.match(r'bench: (.*?):\s+([\d.]+) (\S+)', line)
        if m:
            out.append(('private_mem_bench: ' + ' '.join(m.group(1).split()),
                        float(m.group(2)), m.group(3).rstrip(',')))
    return out

table = {}
for k in (other, 'series'):
    for r in range(1, runs + 1):
        try:
            for label, val, unit in figures(f'{logs}/bench-{k}-{r}/console.log'):
                table.setdefault((label, unit), {}).setdefault(k, []).append(val)
        except OSError:
            pass
for (label, unit), per in table.items():
    print(f'{label} [{unit}]')
    med = {}
    for k in (other, 'series'):
        if k in per:
            med[k] = statistics.median(per[k])
            vals = ' '.join(f'{v:.0f}' for v in per[k])
            print(f'    {k:8}  runs: {vals}   median {med[k]:.0f}')
    if len(med) == 2 and med[other]:
        ratio = med['series'] / med[other]
        # Percentages for figures of the same order, factors for the rest.
        if 0.5 < ratio < 2:
            shown = f'{100 * (ratio - 1):+.1f}%'
        else:
            shown = f'{ratio:,.0f} times' if ratio >= 2 else f'{ratio:.2g} times'
        print(f'    series/{other}: {shown}')
PY

# On arm64, KVM_PRE_FAULT_MEMORY is the series' alone (no other kernel has
# it there): its figures come from the series kernel only, 256 MiB a
# sequence (pages/s of the pre-fault and of the guest's pass, and the
# second-stage faults per page KVM counted during that pass). x86_64's are
# in the table above (bench.plan).
say "KVM_PRE_FAULT_MEMORY figures on arm64"
"$RIG/one.sh" arm64 normal pre_fault_memory_test -m 256 -b >/dev/null ||
	warn "pre_fault_memory_test failed on arm64 (logs: $LOGS/arm64-normal)"
sed -n "s/^figures: /arm64  /p" "$LOGS/arm64-normal/pre_fault_memory_test.log"
