#!/usr/bin/env bash
# Export the commits since tag 'base' in build/linux as the series.
#   export.sh        write them to patches/
#   export.sh DIR    write them to DIR (check.sh uses this)
# Byte-stable: zero commit ids, a fixed signature (not the git version, and
# "-- " lines as plain git format-patch writes them), and the cover letter
# keeps its From/Date/title/blurb, so an unchanged tree re-exports to
# identical files.
. "$(dirname "$0")/lib.sh"

dest=${1:-$TOP/patches}
[ -d "$TREE/.git" ] || die "no work tree: run 'make tree' first"
cover_old=$TOP/patches/0000-cover-letter.patch
[ -f "$cover_old" ] || die "missing $cover_old (its title and blurb are kept on export)"
git -C "$TREE" diff --quiet HEAD || warn "uncommitted changes in $TREE are NOT exported"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=$(git -C "$TREE" rev-list --count base..HEAD)

# Cover letter: headers and blurb (everything up to git shortlog's first
# "Author (N):" line) are kept; the shortlog and diffstat are regenerated.
{
	echo "From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001"
	grep -m1 '^From: ' "$cover_old"
	grep -m1 '^Date: ' "$cover_old"
	echo "Subject: [PATCH 0/$n] $(sed -n 's/^Subject: \[PATCH[^]]*\] //p' "$cover_old" | head -1)"
	awk 'body && /^[^[:space:]].* \([0-9]+\):$/ { exit }
	     body { print }
	     !body && /^$/ { body = 1; print }' "$cover_old"
	git -C "$TREE" shortlog base..HEAD
	git -C "$TREE" diff --stat=72 --summary base..HEAD
} >"$tmp/0000-cover-letter.patch"

if [ "$n" -gt 0 ]; then
	git -C "$TREE" -c core.abbrev=12 format-patch -q --zero-commit --signature="kvm61 series" --stat=72 \
		-o "$tmp" base..HEAD
fi
{
	echo "# The series, in 'git am' order, onto Debian $(cat "$TREE/.git/rig-base")."
	echo "# 0000-cover-letter.patch is the cover letter and is not applied."
	(cd "$tmp" && ls [0-9]*.patch | grep -v '^0000-cover-letter.patch$') || true
} >"$tmp/series"

mkdir -p "$dest"
rm -f "$dest"/*.patch "$dest/series"
cp "$tmp"/* "$dest/"
say "exported $n patches to $dest"
