// make profile (not in CI): one kind of KVM call in a loop, so that perf in
// the guest samples only that path.  Modes: null (KVM_CHECK_EXTENSION),
// rejected (KVM_SET_MEMORY_ATTRIBUTES with flags 1), floor (a no-change
// conversion), 512 (a page every 2M made shared), prefault (private).
#define _GNU_SOURCE
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/kvm.h>

#define GPA (1ULL << 32)
#define SZ_1G (1ULL << 30)

static int vm;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_attrs(unsigned long long gpa, unsigned long long size, unsigned long long a)
{
	struct kvm_memory_attributes m = { .address = gpa, .size = size, .attributes = a };

	if (ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &m))
		err(1, "KVM_SET_MEMORY_ATTRIBUTES");
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "floor";
	double secs = argc > 2 ? atof(argv[2]) : 3, t0, t;
	int kvm = open("/dev/kvm", O_RDWR), gfd;
	unsigned long long p, stride = 512 * 4096ULL;
	long n = 0;
	void *hva;

	if (kvm < 0)
		err(1, "/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 1 /* KVM_X86_SW_PROTECTED_VM */);
	if (vm < 0)
		err(1, "KVM_CREATE_VM");
	struct kvm_create_guest_memfd g = { .size = SZ_1G };
	gfd = ioctl(vm, KVM_CREATE_GUEST_MEMFD, &g);
	if (gfd < 0)
		err(1, "KVM_CREATE_GUEST_MEMFD");
	hva = mmap(NULL, SZ_1G, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct kvm_userspace_memory_region2 r = {
		.slot = 10, .flags = KVM_MEM_GUEST_MEMFD, .guest_phys_addr = GPA,
		.memory_size = SZ_1G, .userspace_addr = (unsigned long)hva,
		.guest_memfd = gfd,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION2, &r))
		err(1, "KVM_SET_USER_MEMORY_REGION2");

	t0 = now();
	if (!strcmp(mode, "prefault")) {
		/* Private pre-fault of 256 MiB, 8 times over fresh holes. */
		int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
		unsigned long long size = 256ULL << 20;

		if (vcpu < 0)
			err(1, "KVM_CREATE_VCPU");
		set_attrs(GPA, SZ_1G, KVM_MEMORY_ATTRIBUTE_PRIVATE);
		t = 0;
		for (int round = 0; round < 8; round++) {
			struct kvm_pre_fault_memory pf = { .gpa = GPA, .size = size };

			t0 = now();
			while (pf.size)
				if (ioctl(vcpu, KVM_PRE_FAULT_MEMORY, &pf) && errno != EINTR)
					err(1, "KVM_PRE_FAULT_MEMORY");
			t += now() - t0;
			n += size / 4096;
			/* Free the pages again (punch-hole), untimed. */
			if (fallocate(gfd, 3 /* PUNCH_HOLE|KEEP_SIZE */, 0, size))
				err(1, "fallocate");
		}
	} else if (!strcmp(mode, "null")) {
		do {
			for (int i = 0; i < 1000; i++, n++)
				ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY);
		} while ((t = now() - t0) < secs);
	} else if (!strcmp(mode, "rejected")) {
		struct kvm_memory_attributes m = { .address = GPA, .size = 4096, .flags = 1 };

		do {
			for (int i = 0; i < 1000; i++, n++)
				if (!ioctl(vm, KVM_SET_MEMORY_ATTRIBUTES, &m))
					errx(1, "flags 1 accepted");
		} while ((t = now() - t0) < secs);
	} else if (!strcmp(mode, "floor")) {
		set_attrs(GPA, SZ_1G, 0);
		do {
			for (p = GPA; p < GPA + SZ_1G; p += 256 * 1024, n++)
				set_attrs(p, 4096, 0);
		} while ((t = now() - t0) < secs);
	} else {	/* "512": as private_mem_bench's every-512th, untimed reset */
		t = 0;
		while (t < secs) {
			set_attrs(GPA, SZ_1G, KVM_MEMORY_ATTRIBUTE_PRIVATE);
			t0 = now();
			for (p = GPA; p < GPA + SZ_1G; p += stride, n++)
				set_attrs(p, 4096, 0);
			t += now() - t0;
		}
	}
	printf("attrbench %s: %.0f calls/s\n", mode, n / t);
	return 0;
}
