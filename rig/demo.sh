#!/usr/bin/env bash
# make run: build the patched kernels, boot each under QEMU and show KVM
# (and, as the series grows, its features) working inside.
. "$(dirname "$0")/lib.sh"

rc=0
for arch in x86_64 arm64; do
	"$RIG/test.sh" --show-output "$arch" normal "$RIG/tests/demo.plan" || rc=1
done
exit $rc
