#!/usr/bin/env bash
# The rig's own tests: every plan parses (plan.py), and run.py judges each
# recorded console in tests/judge/ and must print exactly the verdicts
# beside it (context lines aside), against NAME.plan if there is one, else
# against tests/judge/plan.
. "$(dirname "$0")/lib.sh"

python3 "$RIG/plan.py" check "$RIG"/tests/*.plan "$RIG"/tests/judge/*plan || die "a plan does not parse"
say "judge: $(echo "$RIG"/tests/*.plan | wc -w) plans parse"
cases=0 bad=0
for console in "$RIG"/tests/judge/*.console; do
	name=$(basename "$console" .console)
	plan=${console%.console}.plan
	[ -f "$plan" ] || plan=$RIG/tests/judge/plan
	cases=$((cases + 1))
	if ! diff -u "${console%.console}.expect" \
		<(python3 "$RIG/run.py" --replay "$plan" "$console" | grep -v '^    |') \
		>"$LOGS/judge-$name.diff"; then
		say "judge: $name gives other verdicts than recorded:"
		cat "$LOGS/judge-$name.diff" >&2
		bad=$((bad + 1))
	fi
done
say "judge: $((cases - bad)) of $cases recorded consoles judged as expected"
[ $bad = 0 ]
