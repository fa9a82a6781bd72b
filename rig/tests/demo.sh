#!/bin/sh
# What "make run" shows inside each booted kernel. Fails if KVM is absent.
set -e
echo "== kernel $(uname -r) on $(uname -m), base: $(cat /tests/base)"
echo "== KVM as the kernel brought it up:"
dmesg | grep -iE 'kvm|svm' | sed 's/^/   /'
test -c /dev/kvm
echo "== a KVM guest demand-faulting 16 MiB through userfaultfd:"
./demand_paging_test -b 16M -u MISSING
if [ -x ./guest_memfd_test ]; then
	echo "== guest_memfd: created, allocated, punched, bound to memslots, and"
	echo "   closed under running vCPUs (KVM_CREATE_GUEST_MEMFD, REGION2):"
	./guest_memfd_test 100
	echo "== guest_memfd that the VMM maps (GUEST_MEMFD_FLAG_MMAP): the VMM and the"
	echo "   guest see the same bytes, a hole punched under the running guest"
	echo "   reaches both, a closed file ends in KVM_EXIT_MEMORY_FAULT:"
	./guest_memfd_mmap_test
else
	echo "== guest_memfd: not enabled on $(uname -m)"
fi
if [ -x ./x86_64/private_mem_test ]; then
	echo "== private memory (KVM_X86_SW_PROTECTED_VM): guests convert ranges with"
	echo "   KVM_HC_MAP_GPA_RANGE, the VMM sets KVM_SET_MEMORY_ATTRIBUTES and"
	echo "   handles KVM_EXIT_MEMORY_FAULT:"
	./x86_64/private_mem_test 200
fi
echo "== KVM_PRE_FAULT_MEMORY: what each sequence costs the guest, in stage-2 /"
echo "   TDP faults per page that KVM counted, and pages/s (64 MiB):"
./pre_fault_memory_test -m 64 -b >/tmp/pre_fault.out
grep -E '^figures:|signal:|memslot deletion:' /tmp/pre_fault.out
if [ -x ./aarch64/sea_to_user_test ]; then
	echo "== KVM_EXIT_ARM_SEA: a guest load and store hit a physical address where"
	echo "   nothing answers; the VMM gets the abort and injects it back, and the"
	echo "   guest's own handler takes it (QEMU with rig/qemu/*.patch):"
	./aarch64/sea_to_user_test
fi
