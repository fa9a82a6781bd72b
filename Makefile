# The KVM private-memory series for Linux 6.1 and the rig that proves it.
# Every target is a thin wrapper over a script in rig/; see README.md.

ARCH ?= x86_64
FLAVOUR ?= normal

.PHONY: help setup tree fresh-tree export check run test checkpatch modules \
	bisect bench fuzz debug-arm64 one kernels check-series kcsan profile

help:
	@sed -n 's/^## //p' README.md

setup:
	@rig/setup.sh

tree: setup
	@rig/tree.sh

fresh-tree: setup
	@rig/tree.sh --fresh

export:
	@rig/export.sh

check:
	@rig/check.sh

# Build and boot the patched kernels and show KVM (and the series) at work.
run: tree
	@rig/demo.sh

# Everything CI runs: series checks and the selftests on both arches.
test: tree
	@rig/all.sh

checkpatch: tree
	@rig/checkpatch.sh

modules: tree
	@rig/kernel.sh x86_64 modules

kernels: tree
	@rig/kernel.sh x86_64 normal && rig/kernel.sh arm64 normal

# Build every prefix of the series for both arches (slow; not in CI).
bisect: tree
	@rig/bisect.sh $(FROM)

# Not in CI: the series' figures against the kernel without it, or
# (AGAINST=upstream) against Debian's 6.12, upstream's implementation.
bench: tree
	@rig/bench.sh "$(or $(RUNS),3)" "$(or $(AGAINST),base)"

# Not in CI: perf profiles of single KVM calls in the x86_64 guest (rig/prof):
# make profile [IMAGE=<bzImage>] [MODES="floor prefault"] [PERF="prefault"]
profile: tree
	@rig/prof/profile.sh "$(IMAGE)" "$(or $(MODES),null rejected floor 512 prefault)" "$(or $(PERF),floor prefault)"

# Not in CI: guest_memfd_fuzz_test at length, 104,000 operations per arch
# (40 rounds of 4 threads x 650; about 96,000 uAPI calls): make fuzz [SEED=n] [FLAVOUR=debug]
FUZZ_ARGS = -r 40 -t 4 -n 650 $(if $(SEED),-s $(SEED))
fuzz: tree
	@rig/one.sh x86_64 "$(FLAVOUR)" guest_memfd_fuzz_test $(FUZZ_ARGS) && \
	 rig/one.sh arm64 "$(FLAVOUR)" guest_memfd_fuzz_test $(FUZZ_ARGS)

# The arm64 debug flavour alone (make test runs it too).
debug-arm64: tree
	@rig/test.sh arm64 debug

# Also a step of make test: what a maintainer's bots build: W=1 and sparse
# over what the series touches, with Debian's own 6.1 configs
# (linux-config-6.1), base against tip, both arches: any new warning fails;
# and the series' Kconfig there. make check-series [EACH=1]: also every
# commit at its position (slow).
check-series: tree
	@rig/bots.sh $(if $(EACH),--each)

# Not in CI: the x86_64 KCSAN kernel and the series' race tests
# (rig/tests/x86_64-kcsan.plan); any KCSAN report fails its test.
kcsan: tree
	@rig/test.sh x86_64 kcsan

# One selftest: make one TEST=demand_paging_test [ARCH=arm64] [FLAVOUR=debug] [ARGS="-b 16M"]
one: tree
	@rig/one.sh "$(ARCH)" "$(FLAVOUR)" "$(TEST)" $(ARGS)
