#!/usr/bin/env bash
# Pack busybox, rig/init, the selftests of ARCH and a plan into an initramfs:
#   initramfs.sh ARCH PLAN OUTPUT
# rig/plan.py reads PLAN; the guest gets its tests as "TEST LIMIT ARGUMENTS".
. "$(dirname "$0")/lib.sh"

arch=$1 plan=$2 output=$3
use_arch "$arch"
S=$OUT/selftests-$arch
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,dev,proc,sys,tmp,tests}
cp "$ARCH_BUSYBOX" "$stage/bin/busybox"
cp "$RIG/init" "$stage/init"
python3 "$RIG/plan.py" guest "$plan" >"$stage/tests/plan"
echo "$(cat "$TREE/.git/rig-base") + $(git -C "$TREE" rev-list --count base..HEAD) patches" >"$stage/tests/base"
# Every selftest that built (wrappers may call helpers not in the plan),
# and the rig's own wrapper scripts.
(cd "$S" && find . -type f -perm -u+x ! -name '*.o' ! -name '*.sh') | while read -r name; do
	mkdir -p "$stage/tests/$(dirname "$name")"
	"${ARCH_CROSS}strip" -o "$stage/tests/$name" "$S/$name"
done
cp "$RIG"/tests/*.sh "$stage/tests/"
(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -1) > "$output"
