#!/usr/bin/env bash
# Run one selftest: one.sh ARCH FLAVOUR TEST [ARGS...]
# Without ARGS, TEST's line in the arch plan applies (limit, expectation,
# arguments); with ARGS, a limit of 600 s, and it must pass.
. "$(dirname "$0")/lib.sh"

if [ $# -lt 3 ] || [ -z "$3" ]; then
	die "usage: make one TEST=name [ARCH=arm64] [FLAVOUR=debug] [ARGS=...]"
fi
arch=$1 flavour=$2 test=$3
shift 3
plan=$(mktemp)
trap 'rm -f "$plan"' EXIT
if [ $# -gt 0 ]; then
	echo "$test 600 $*" >"$plan"
else
	python3 "$RIG/plan.py" pick "$(plan_for "$arch" normal)" "$test" >"$plan"
	[ -s "$plan" ] || echo "$test 600" >"$plan"
fi
"$RIG/test.sh" "$arch" "$flavour" "$plan"
