# Shared settings for the rig scripts; sourced, never run.
set -euo pipefail

RIG=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(dirname "$RIG")
TREE=$TOP/build/linux
# Everything expensive lives outside the clone, so a fresh clone reuses it.
CACHE=${RIG_CACHE:-/var/cache/kvm61-rig}
OUT=$CACHE/out
LOGS=${RIG_LOGS:-$TOP/build/logs}
JOBS=${JOBS:-$(nproc)}

export CCACHE_DIR=$CACHE/ccache
# Different clones put the tree at different paths: hash relative paths only.
export CCACHE_BASEDIR=/
export CCACHE_NOHASHDIR=1
export CCACHE_SLOPPINESS=time_macros,include_file_mtime,include_file_ctime
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}

# Builds see the work tree at this fixed path (a bind mount), wherever the
# clone is: compiler command lines, and so ccache and the build directories
# in $CACHE, are then the same for every clone.
SRC=$CACHE/src
stable_src() {
	[ "$SRC" = "$TREE" ] && return 0
	mkdir -p "$SRC"
	[ "$(stat -c %d:%i "$SRC")" = "$(stat -c %d:%i "$TREE")" ] && return 0
	# Binds can stack (runs that bypassed the lock): take them all off,
	# or the lowest one keeps an old clone's tree busy and in use.
	while mountpoint -q "$SRC"; do
		umount "$SRC" || die "cannot unmount $SRC"
	done
	mount --bind "$TREE" "$SRC" || die "cannot bind-mount $TREE on $SRC"
}

# shellcheck source=base.env
. "$RIG/base.env"

# One rig run at a time: runs share the bind mount, the build directories
# and the images under $CACHE, and would boot each other's kernels.  The
# first script of a run takes the lock; the scripts it starts inherit it.
if [ -z "${RIG_LOCK_HELD:-}" ]; then
	mkdir -p "$CACHE"
	exec 9>>"$CACHE/lock"
	if ! flock -n 9; then
		printf '[rig] waiting for another rig run: %s\n' "$(cat "$CACHE/lock.owner" 2>/dev/null)" >&2
		flock 9
	fi
	echo "pid $$ ($(basename "$0")) from $TOP, since $(date -u '+%F %T') UTC" >"$CACHE/lock.owner"
	export RIG_LOCK_HELD=1
fi

say()  { printf '[rig] %s\n' "$*" >&2; }
die()  { printf '[rig] ERROR: %s\n' "$*" >&2; exit 1; }
warn() {
	printf '[rig] ############################################################\n' >&2
	printf '[rig] WARNING: %s\n' "$*" >&2
	printf '[rig] ############################################################\n' >&2
}

# Another tree than build/linux (a worktree of make bisect or make bench):
# it lives under $CACHE at a path of its own, so it needs no bind mount.
use_tree() {
	TREE=$1 SRC=$1
}

# The facts of one arch, from rig/arch/ARCH.sh, as ARCH_* variables.
use_arch() {
	[ -f "$RIG/arch/$1.sh" ] ||
		die "unknown arch '$1': rig/arch/ has $(cd "$RIG/arch" && echo *.sh | sed 's/\.sh//g')"
	# shellcheck source=arch/x86_64.sh
	. "$RIG/arch/$1.sh"
}

# Every machine has two NUMA nodes of half of ARCH_QEMU's 4G each, for
# guest_memfd_numa_test. Both CPUs are on node 0: the CPU models share a
# last-level cache, which x86 refuses to see split across nodes (WARN).
QEMU_NUMA="-object memory-backend-ram,id=ram0,size=2G -numa node,nodeid=0,cpus=0-1,memdev=ram0
 -object memory-backend-ram,id=ram1,size=2G -numa node,nodeid=1,memdev=ram1"

# QEMU's command line for ARCH up to the kernel: Debian's emulator, or the
# build of rig/qemu.sh where the arch needs it (ARCH_PATCHED_QEMU), unless
# STOCK is 1.
qemu_for() {	# qemu_for ARCH [STOCK]
	local patched
	use_arch "$1"
	if [ "$ARCH_PATCHED_QEMU" = 1 ] && [ "${2:-0}" != 1 ]; then
		patched=$("$RIG/qemu.sh" "$1")
		# Its ROMs are the packaged ones, where Debian's build looks for them.
		echo "$patched -L /usr/share/qemu -L /usr/share/seabios -L /usr/lib/ipxe/qemu ${ARCH_QEMU#* }" $QEMU_NUMA
	else
		echo "$ARCH_QEMU" $QEMU_NUMA
	fi
}

# "PASSED FAILED SKIPPED" of a results.ktap (run.py writes one per run):
# the counts make test adds up.
ktap_counts() {	# ktap_counts FILE
	awk '/^ok [0-9]+ [^ ]+ # SKIP/ { s++; next }
	     /^ok / { p++ } /^not ok / { f++ }
	     END { print p + 0, f + 0, s + 0 }' "$1"
}

# The plan of an arch and flavour: rig/tests/ARCH.plan for the normal
# kernel (and for make one), rig/tests/ARCH-FLAVOUR.plan for another.
plan_for() {	# plan_for ARCH FLAVOUR
	case $2 in
	normal) echo "$RIG/tests/$1.plan" ;;
	*) echo "$RIG/tests/$1-$2.plan" ;;
	esac
}

# The series, in order, as listed in patches/series.
series_patches() {
	[ -f "$TOP/patches/series" ] || return 0
	grep -vE '^[[:space:]]*(#|$)' "$TOP/patches/series" | sed "s#^#$TOP/patches/#"
}
