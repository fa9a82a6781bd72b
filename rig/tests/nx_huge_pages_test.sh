#!/bin/sh
# Runs x86_64/nx_huge_pages_test with the KVM module parameters and 2M
# hugetlb pages it needs, then restores them. The test's own wrapper needs
# bash and sudo, which the initramfs does not have.
p=/sys/module/kvm/parameters
h=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
saved="$(cat $p/nx_huge_pages) $(cat $p/nx_huge_pages_recovery_ratio)"
saved="$saved $(cat $p/nx_huge_pages_recovery_period_ms) $(cat $h)"
echo 1 > $p/nx_huge_pages
echo 1 > $p/nx_huge_pages_recovery_ratio
# The recovery worker zaps every split page once a period (ratio 1), which
# takes the split count back to 0: a wake between the guest's exec fault and
# the test reading the count fails it ("Expected 1, got 0", seen once under
# TCG with the test's usual 100 ms). 1000 ms keeps that window small, and
# the test still waits five periods for the recovery it expects.
echo 1000 > $p/nx_huge_pages_recovery_period_ms
echo $(($(cat $h) + 3)) > $h
./x86_64/nx_huge_pages_test -t 887563923 -p 1000 -r
rc=$?
set -- $saved
echo "$1" > $p/nx_huge_pages
echo "$2" > $p/nx_huge_pages_recovery_ratio
echo "$3" > $p/nx_huge_pages_recovery_period_ms
echo "$4" > $h
exit $rc
