#!/bin/sh
# What "make run" shows inside each booted kernel. Fails if KVM is absent.
set -e
echo "== kernel $(uname -r) on $(uname -m), base: $(cat /tests/base)"
echo "== KVM as the kernel brought it up:"
dmesg | grep -iE 'kvm|svm' | sed 's/^/   /'
test -c /dev/kvm
echo "== a KVM guest demand-faulting 16 MiB through userfaultfd:"
./demand_paging_test -b 16M -u MISSING
