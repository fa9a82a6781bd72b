#!/usr/bin/env bash
# Every test, the way CI runs it: series checks, then the selftests on each
# arch and flavour. Ends with "N passed, N failed, N skipped"; exit 1 on failure.
. "$(dirname "$0")/lib.sh"

mkdir -p "$LOGS"
say "base: $(cat "$TREE/.git/rig-base"); series: $(git -C "$TREE" rev-list --count base..HEAD) patches"

P=0 F=0 S=0
declare -A arch_p arch_f arch_s
count() {	# count ARCH P F S
	P=$((P + $2)) F=$((F + $3)) S=$((S + $4))
	arch_p[$1]=$((${arch_p[$1]:-0} + $2))
	arch_f[$1]=$((${arch_f[$1]:-0} + $3))
	arch_s[$1]=$((${arch_s[$1]:-0} + $4))
}
# A step that is one check: PASS or FAIL with its log tail.
check_step() {	# check_step ARCH NAME COMMAND...
	local arch=$1 name=$2 log=$LOGS/$2.log t0=$SECONDS
	shift 2
	if "$@" >"$log" 2>&1; then
		echo "PASS $arch $name [$((SECONDS - t0))s]"
		count "$arch" 1 0 0
	else
		echo "FAIL $arch $name [$((SECONDS - t0))s] (log: $log)"
		tail -25 "$log" | sed 's/^/    | /'
		count "$arch" 0 1 0
	fi
}
# A selftest run: its own per-test lines; the counts come from the run's
# results.ktap (written by run.py), not from the text it prints.
test_step() {	# test_step [--stock-qemu] ARCH FLAVOUR [PLAN]
	local opts=() tag log ktap p f s
	[ "$1" = --stock-qemu ] && { opts=(--stock-qemu); shift; }
	tag=$2
	[ ${#opts[@]} = 0 ] || tag=$2-stock-qemu
	log=$LOGS/$1-$tag.out ktap=$LOGS/$1-$tag/results.ktap
	# Line-buffered: a CI log shows each verdict as it comes.
	"$RIG/test.sh" "${opts[@]}" "$@" 2>&1 | tee "$log" |
		grep --line-buffered -E '^(PASS|FAIL|SKIP|    \|)|^\[rig\] (ERROR|booting|.* objects compiled, )|^[a-z0-9_]+/[a-z-]+: [0-9]+ passed' || true
	if [ -f "$ktap" ]; then
		read -r p f s < <(ktap_counts "$ktap")
		count "$1" "$p" "$f" "$s"
	else
		echo "FAIL $1/$tag did not run (log: $log)"
		tail -25 "$log" | sed 's/^/    | /'
		count "$1" 0 1 0
	fi
}

check_step rig judge "$RIG/judge-test.sh"
# What is tested must be what lands: build/linux as patches/ has it.
check_step series matches-patches "$RIG/check.sh"
check_step series checkpatch "$RIG/checkpatch.sh"
check_step series docs "$RIG/docs.sh"
# What a maintainer's bots build: W=1 and sparse with Debian's 6.1 configs,
# base against tip; any new warning fails (make check-series).
check_step series check-series "$RIG/bots.sh"
test_step x86_64 normal
# After the built-in kernel: ccache then serves most objects (preprocessed hits).
check_step x86_64 kvm-as-modules-build "$RIG/kernel.sh" x86_64 modules
check_step x86_64 plan-coverage "$RIG/coverage.sh" x86_64
check_step x86_64 kselftest-install "$RIG/kselftest.sh" x86_64
test_step arm64 normal
# The same kernel under Debian's QEMU: the SEA test must see that it cannot work.
test_step --stock-qemu arm64 normal "$RIG/tests/arm64-stock-qemu.plan"
check_step arm64 plan-coverage "$RIG/coverage.sh" arm64
check_step arm64 kselftest-install "$RIG/kselftest.sh" arm64
test_step x86_64 debug
# The series has arm64 code (KVM_PRE_FAULT_MEMORY, user_mem_abort()): its
# lockdep/KASAN run is worth the ~10 minutes a cold arm64 debug build costs.
test_step arm64 debug

for a in rig series x86_64 arm64; do
	echo "$a: ${arch_p[$a]:-0} passed, ${arch_f[$a]:-0} failed, ${arch_s[$a]:-0} skipped"
done
echo "$P passed, $F failed, $S skipped"
[ "$F" = 0 ]
