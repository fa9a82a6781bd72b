#!/usr/bin/env bash
# Every selftest the tree built for ARCH is either in rig/tests/ARCH.plan
# (directly or through a wrapper script of the same name) or excluded for
# ARCH, with its reason, in rig/tests/excluded.txt: nothing is dropped
# silently. A row that excludes a part of a test ("ARCH TEST (PART) REASON")
# excludes nothing else: that test must still be in the plan.
. "$(dirname "$0")/lib.sh"

arch=$1
S=$OUT/selftests-$arch
plan=$(plan_for "$arch" normal)
[ -d "$S" ] || die "no $arch selftests in $S, so nothing to check: build them first (rig/selftests.sh $arch)"
built=$(cd "$S" && find . -type f -perm -u+x ! -name '*.o' ! -name '*.sh' | sed 's#^\./##' | sort)
[ -n "$built" ] || die "no $arch selftest binaries in $S, so nothing to check"
planned=$(python3 "$RIG/plan.py" names "$plan")
excluded=$(awk -v a="$arch" '$1 == a && $3 !~ /^\(/ { print $2 }' "$RIG/tests/excluded.txt")
partly=$(awk -v a="$arch" '$1 == a && $3 ~ /^\(/ { print $2 }' "$RIG/tests/excluded.txt")

rc=0
while read -r t; do
	if grep -qxF -e "$t" -e "$(basename "$t").sh" <<<"$planned"; then
		if grep -qxF "$t" <<<"$excluded"; then
			echo "CONFLICT: $t is in $arch.plan and excluded for $arch in excluded.txt"
			rc=1
		fi
	elif grep -qxF "$t" <<<"$excluded"; then
		echo "excluded: $t"
	elif grep -qxF "$t" <<<"$partly"; then
		echo "NOT COVERED: $t is not in $arch.plan; excluded.txt excludes only a part of it"
		rc=1
	else
		echo "NOT COVERED: $t is neither in $arch.plan nor in excluded.txt"
		rc=1
	fi
done <<<"$built"
echo "$(wc -l <<<"$built") $arch selftests built; $(wc -l <<<"$planned") tests in $arch.plan"
exit $rc
