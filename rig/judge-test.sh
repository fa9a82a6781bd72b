#!/usr/bin/env bash
# The rig's own tests: every plan parses (plan.py), and run.py judges each
# recorded console in tests/judge/ and must print exactly the verdicts
# beside it (context lines aside), against NAME.plan if there is one, else
# against tests/judge/plan; the KTAP file it writes must count the same.
. "$(dirname "$0")/lib.sh"

python3 "$RIG/plan.py" check "$RIG"/tests/*.plan "$RIG"/tests/judge/*plan || die "a plan does not parse"
say "judge: $(echo "$RIG"/tests/*.plan | wc -w) plans parse"
cases=0 bad=0
for console in "$RIG"/tests/judge/*.console; do
	name=$(basename "$console" .console)
	plan=${console%.console}.plan
	[ -f "$plan" ] || plan=$RIG/tests/judge/plan
	cases=$((cases + 1))
	ktap=$LOGS/judge-$name.ktap
	if ! diff -u "${console%.console}.expect" \
		<(python3 "$RIG/run.py" --replay "$plan" "$console" "$ktap" | grep -v '^    |') \
		>"$LOGS/judge-$name.diff"; then
		say "judge: $name gives other verdicts than recorded:"
		cat "$LOGS/judge-$name.diff" >&2
		bad=$((bad + 1))
	# make test counts from the KTAP file: it must say what the summary says.
	elif [ "$(ktap_counts "$ktap")" != "$(tail -1 "${console%.console}.expect" |
		sed -E 's/.* ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped$/\1 \2 \3/')" ]; then
		say "judge: $name: results.ktap counts $(ktap_counts "$ktap"), the summary: $(tail -1 "${console%.console}.expect")"
		bad=$((bad + 1))
	fi
done
say "judge: $((cases - bad)) of $cases recorded consoles judged as expected"
[ $bad = 0 ]
