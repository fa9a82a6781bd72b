#!/usr/bin/env bash
# The rig's own tests: run.py judges each recorded console in tests/judge/
# and must print exactly the verdicts beside it (context lines aside).
. "$(dirname "$0")/lib.sh"

cases=0 bad=0
for console in "$RIG"/tests/judge/*.console; do
	name=$(basename "$console" .console)
	cases=$((cases + 1))
	if ! diff -u "${console%.console}.expect" \
		<(python3 "$RIG/run.py" --replay "$RIG/tests/judge/plan" "$console" | grep -v '^    |') \
		>"$LOGS/judge-$name.diff"; then
		say "judge: $name gives other verdicts than recorded:"
		cat "$LOGS/judge-$name.diff" >&2
		bad=$((bad + 1))
	fi
done
say "judge: $((cases - bad)) of $cases recorded consoles judged as expected"
[ $bad = 0 ]
