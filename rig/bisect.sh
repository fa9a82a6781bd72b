#!/usr/bin/env bash
# Bisectability: build every prefix of the series (each commit since 'base')
# as x86_64, x86_64 with KVM=m and arm64 kernels, plus the selftests of
# both arches. Uses a detached git worktree and its own build dirs, so the
# main tree and its builds are untouched; ccache keeps it incremental.
#   bisect.sh [REV]   only the commits after REV (default: base)
. "$(dirname "$0")/lib.sh"

from=${1:-base}

wt=$OUT/bisect-tree
git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$TREE" worktree prune
git -C "$TREE" worktree add -q --detach "$wt" base
trap 'git -C "$TREE" worktree remove --force "$wt"' EXIT

rc=0
for c in $(git -C "$TREE" rev-list --reverse "$from"..HEAD); do
	git -C "$wt" checkout -q "$c"
	subject=$(git -C "$wt" log -1 --format=%s)
	for build in "x86_64 normal" "x86_64 modules" "arm64 normal"; do
		set -- $build
		if "$RIG/kernel.sh" --tree "$wt" --build "$OUT/bisect-$1-$2" --lax-config \
		   "$1" "$2" >/dev/null 2>&1; then
			echo "ok   $1/$2  $subject"
		else
			echo "FAIL $1/$2  $subject (log: $OUT/bisect-$1-$2/build.log)"
			rc=1
		fi
	done
	for arch in x86_64 arm64; do
		if "$RIG/selftests.sh" --tree "$wt" --out "$OUT/bisect" "$arch" >/dev/null 2>&1; then
			echo "ok   $arch/selftests  $subject"
		else
			echo "FAIL $arch/selftests  $subject (log: $OUT/bisect/selftests-$arch/build.log)"
			rc=1
		fi
	done
done
exit $rc
