#!/usr/bin/env bash
# make bench (not in CI): what the series costs and what it delivers, on
# x86_64. Builds the kernel without the series (tag 'base', in a worktree
# of its own) and with it, boots each with rig/tests/bench.plan, and prints
# the figures side by side. The selftests are those of the series; the
# base kernel skips what it lacks.
. "$(dirname "$0")/lib.sh"

wt=$OUT/bench-base-tree
git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$TREE" worktree prune
git -C "$TREE" worktree add -q --detach "$wt" base
trap 'git -C "$TREE" worktree remove --force "$wt"' EXIT

say "building the base kernel (no series) in $OUT/kernel-x86_64-base"
RIG_TREE=$wt RIG_SRC=$OUT/bench-base-src RIG_KBUILD=$OUT/kernel-x86_64-base \
	RIG_CONFIG_CHECK=0 "$RIG/kernel.sh" x86_64 normal
"$RIG/kernel.sh" x86_64 normal
"$RIG/selftests.sh" x86_64
initrd=$OUT/initramfs-x86_64-bench.gz
"$RIG/initramfs.sh" x86_64 "$RIG/tests/bench.plan" "$initrd"

for k in base series; do
	case $k in
	base) image=$OUT/kernel-x86_64-base/arch/x86/boot/bzImage ;;
	series) image=$OUT/x86_64-normal.image ;;
	esac
	say "benchmarking the $k kernel"
	RIG_LOGDIR=$LOGS/bench-$k RIG_TESTDIRS="$OUT/selftests-x86_64:$RIG/tests" \
		python3 "$RIG/run.py" x86_64 normal "$image" "$initrd" "$RIG/tests/bench.plan" ||
		warn "a benchmark failed on the $k kernel (logs: $LOGS/bench-$k)"
done

# Both kernels' figures, in plan order (console.log has every test's output).
for k in base series; do
	echo "== $k kernel"
	grep -a -E '^@@rig start|Overall demand paging rate|^bench:' "$LOGS/bench-$k/console.log" |
		sed -e 's/^@@rig start [0-9]* /-- /' -e 's/^/   /'
done
