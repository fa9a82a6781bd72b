# shellcheck shell=bash
# What the rig knows about x86_64: sourced by lib.sh's use_arch, never run.
# Every per-arch fact lives in this file or its arm64 twin, nowhere else.

# Native build.
ARCH_CROSS=
# uname -m in the guest, and the suffix of TEST_GEN_PROGS_* in the kvm Makefile.
ARCH_UNAME=x86_64
ARCH_KERNEL_TARGET=bzImage
ARCH_KERNEL_IMAGE=arch/x86/boot/bzImage
# The host's busybox-static runs in the guest as it is.
ARCH_BUSYBOX=/bin/busybox
# An AMD CPU model with SVM and NPT: KVM runs nested in the TCG guest.
ARCH_QEMU="qemu-system-x86_64 -accel tcg -cpu EPYC,+svm,+npt -m 4G -smp 2"
# tsc=reliable: TCG's TSC follows the host clock and is stable, but the
# kernel cannot calibrate it against real hardware; without it the host
# clocksource is hpet and KVM cannot offer guests a stable kvmclock.
ARCH_CMDLINE="console=ttyS0 tsc=reliable"
# Debian's QEMU 7.2 lets every vCPU thread write back a stale copy of CPU 0's
# SVM state flags (rig/qemu/0002-*.patch): nested guests and the kernel on
# CPU 0 die at random, about once in 15 runs of private_mem_test. The tests
# boot the build of rig/qemu.sh unless told to use Debian's.
ARCH_PATCHED_QEMU=1
