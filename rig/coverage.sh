#!/usr/bin/env bash
# Every selftest the tree built for ARCH is either in rig/tests/ARCH.plan
# (directly or through a wrapper script of the same name) or listed with its
# reason in rig/tests/excluded.txt: nothing is dropped silently.
. "$(dirname "$0")/lib.sh"

arch=$1
S=$OUT/selftests-$arch
rc=0
while read -r t; do
	t=${t#./}
	if awk -v t="$t" -v w="$(basename "$t").sh" '$1 == t || $1 == w { f = 1 } END { exit !f }' "$RIG/tests/$arch.plan"; then
		continue
	fi
	if awk -v a="$arch" -v t="$t" '$1 == a && $2 == t { f = 1 } END { exit !f }' "$RIG/tests/excluded.txt"; then
		echo "excluded: $t"
		continue
	fi
	echo "NOT COVERED: $t is neither in $arch.plan nor in excluded.txt"
	rc=1
done < <(cd "$S" && find . -type f -perm -u+x ! -name '*.o' ! -name '*.sh' | sort)
exit $rc
