#!/usr/bin/env bash
# Does build/linux agree with patches/? Exit 0 if so, 1 with a diff if not.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no work tree: run 'make tree' first"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$RIG/export.sh" "$tmp" 2>/dev/null
rc=0
if ! git -C "$TREE" diff --quiet HEAD; then
	say "uncommitted changes in $TREE:"
	git -C "$TREE" status --short --untracked-files=no >&2
	rc=1
fi
if ! diff -ru "$TOP/patches" "$tmp" >&2; then
	say "patches/ differs from the commits since 'base' in $TREE (diff above: - patches/, + tree)"
	rc=1
fi
[ $rc = 0 ] && say "patches/ and $TREE agree ($(git -C "$TREE" rev-list --count base..HEAD) patches on $(cat "$TREE/.git/rig-base"))"
exit $rc
