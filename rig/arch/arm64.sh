# shellcheck shell=bash
# What the rig knows about arm64: sourced by lib.sh's use_arch, never run.
# Every per-arch fact lives in this file or its x86_64 twin, nowhere else.

# Debian's cross compiler (gcc-aarch64-linux-gnu).
ARCH_CROSS=aarch64-linux-gnu-
# uname -m in the guest, and the suffix of TEST_GEN_PROGS_* in the kvm Makefile.
ARCH_UNAME=aarch64
ARCH_KERNEL_TARGET=Image
ARCH_KERNEL_IMAGE=arch/arm64/boot/Image
# Unpacked from Debian's busybox-static:arm64 by rig/setup.sh.
ARCH_BUSYBOX=$OUT/busybox-arm64/bin/busybox
# virtualization=on gives the guest EL2, so KVM runs nested in it.
ARCH_QEMU="qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max -m 4G -smp 2"
ARCH_CMDLINE="console=ttyAMA0"
# Stock QEMU ignores HCR_EL2.TEA, so a guest's synchronous external abort
# never reaches KVM: the tests boot the build of rig/qemu.sh (QEMU with
# rig/qemu/*.patch) unless told to use Debian's.
ARCH_PATCHED_QEMU=1
