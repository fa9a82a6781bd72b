#!/usr/bin/env bash
# scripts/checkpatch.pl --strict over every patch of the series. A warning
# a patch justifies in its changelog is listed in checkpatch.ignore as
# "PATCH-FILE TYPE[,TYPE]"; anything else fails.
. "$(dirname "$0")/lib.sh"

# checkpatch runs scripts/spdxcheck.py, which needs Debian's python3-ply:
# use the system python3 even where another one comes first in PATH.
export PATH=/usr/bin:$PATH
rc=0
while read -r p; do
	ignore=$(awk -v f="$(basename "$p")" '$1 == f { print $2 }' "$RIG/checkpatch.ignore" 2>/dev/null | paste -sd,)
	# The work tree holds the base as one commit, not upstream's history:
	# checkpatch cannot resolve the upstream commit ids of Fixes: tags.
	ignore=${ignore:+$ignore,}UNKNOWN_COMMIT_ID
	if out=$(cd "$TREE" && scripts/checkpatch.pl --strict --no-summary --quiet --show-types \
		--ignore "$ignore" "$p" 2>&1); then
		echo "ok   $(basename "$p")"
	else
		echo "FAIL $(basename "$p")"
		echo "$out"
		rc=1
	fi
done < <(series_patches)
exit $rc
