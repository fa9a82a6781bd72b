#!/usr/bin/env bash
# scripts/checkpatch.pl --strict over every patch of the series. A warning
# a patch justifies in its changelog is listed in checkpatch.ignore as
# "PATCH-FILE TYPE[,TYPE]"; anything else fails.
. "$(dirname "$0")/lib.sh"

rc=0
while read -r p; do
	ignore=$(awk -v f="$(basename "$p")" '$1 == f { print $2 }' "$RIG/checkpatch.ignore" 2>/dev/null | paste -sd,)
	if out=$(cd "$TREE" && scripts/checkpatch.pl --strict --no-summary --quiet --show-types \
		${ignore:+--ignore "$ignore"} "$p" 2>&1); then
		echo "ok   $(basename "$p")"
	else
		echo "FAIL $(basename "$p")"
		echo "$out"
		rc=1
	fi
done < <(series_patches)
exit $rc
