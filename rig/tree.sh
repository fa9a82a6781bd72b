#!/usr/bin/env bash
# Unpack the pinned base into build/linux as a git tree tagged 'base' and
# apply patches/ on top with git am.
#   tree.sh          create the tree if missing (keeps an existing one)
#   tree.sh --fresh  recreate it (refuses if it holds work not in patches/)
. "$(dirname "$0")/lib.sh"

fresh=0
[ "${1:-}" = --fresh ] && fresh=1

# Fetch the base package into the cache; fall back loudly to the newest 6.1.
fetch_base() {
	local dl=$CACHE/downloads ver=$BASE_VERSION deb
	mkdir -p "$dl"
	deb=$dl/${BASE_PACKAGE}_${ver}_all.deb
	if [ ! -s "$deb" ]; then
		if ! (cd "$dl" && apt-get download "$BASE_PACKAGE=$ver" >&2 2>/dev/null); then
			ver=$(apt-cache madison "$BASE_PACKAGE" | awk '{print $3; exit}')
			[ -n "$ver" ] || die "no $BASE_PACKAGE is served by apt; run apt-get update"
			warn "pinned base $BASE_PACKAGE $BASE_VERSION is not served any more; FALLING BACK to $ver"
			deb=$dl/${BASE_PACKAGE}_${ver}_all.deb
			[ -s "$deb" ] || (cd "$dl" && apt-get download "$BASE_PACKAGE=$ver" >&2) ||
				die "cannot download $BASE_PACKAGE $ver"
		fi
	fi
	echo "$ver $deb"
}

if [ -d "$TREE/.git" ] && [ $fresh = 0 ]; then
	say "work tree exists: $TREE (base $(cat "$TREE/.git/rig-base"))"
	exit 0
fi
if [ -d "$TREE/.git" ]; then
	"$RIG/check.sh" >/dev/null 2>&1 ||
		[ "${FORCE:-0}" = 1 ] ||
		die "$TREE holds work that patches/ lacks: run 'make export' first, or FORCE=1"
fi

read -r ver deb < <(fetch_base)
say "base: $BASE_PACKAGE $ver"
rm -rf "$TREE"
mkdir -p "$TREE"
dpkg-deb --fsys-tarfile "$deb" |
	tar -xO "./usr/src/$BASE_PACKAGE.tar.xz" |
	tar -xJ --strip-components=1 -C "$TREE"

cd "$TREE"
# Debian's tarball ends its .gitignore with '/*' (for its packaging repo),
# which would hide every new top-level path from git: drop that rule here.
sed -i '/^# Debian packaging: ignore everything/,$d' .gitignore
git init -q -b master
git config user.name "kvm61 rig"
git config user.email "rig@localhost"
# No background gc: it would repack the whole kernel after git am, on a
# core the build needs, holding the rig lock it inherited.
git config gc.auto 0
git add -A
# Fixed identity and dates: the base commit id depends on the content only.
GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
	git commit -q -m "Base: Debian $BASE_PACKAGE $ver"
git tag base
echo "$BASE_PACKAGE $ver" > .git/rig-base

n=0
while read -r p; do
	git am -q --keep-cr "$p" || die "series no longer applies to $BASE_PACKAGE $ver: $(basename "$p")"
	n=$((n + 1))
done < <(series_patches)
say "applied $n patches on base $ver"
