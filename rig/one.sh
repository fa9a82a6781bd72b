#!/usr/bin/env bash
# Run one selftest: one.sh ARCH FLAVOUR TEST [ARGS...]
# Without ARGS, the limit and arguments of TEST's line in the arch plan apply.
. "$(dirname "$0")/lib.sh"

arch=$1 flavour=$2 test=$3
shift 3
[ -n "$test" ] || die "usage: make one TEST=name [ARCH=arm64] [FLAVOUR=debug] [ARGS=...]"
plan=$(mktemp)
trap 'rm -f "$plan"' EXIT
if [ $# -gt 0 ]; then
	echo "$test 600 $*" >"$plan"
else
	awk -v t="$test" '$1 == t' "$RIG/tests/$arch.plan" >"$plan"
	[ -s "$plan" ] || echo "$test 600" >"$plan"
fi
"$RIG/test.sh" "$arch" "$flavour" "$plan"
