#!/usr/bin/env bash
# Run one selftest: one.sh ARCH FLAVOUR TEST [ARGS...]
# Without ARGS, TEST's line in the arch plan applies (limit, expectation,
# arguments); with ARGS, a limit of 600 s, and it must pass.
. "$(dirname "$0")/lib.sh"

arch=$1 flavour=$2 test=$3
shift 3
[ -n "$test" ] || die "usage: make one TEST=name [ARCH=arm64] [FLAVOUR=debug] [ARGS=...]"
plan=$(mktemp)
trap 'rm -f "$plan"' EXIT
if [ $# -gt 0 ]; then
	echo "$test 600 $*" >"$plan"
else
	python3 "$RIG/plan.py" pick "$RIG/tests/$arch.plan" "$test" >"$plan"
	[ -s "$plan" ] || echo "$test 600" >"$plan"
fi
"$RIG/test.sh" "$arch" "$flavour" "$plan"
