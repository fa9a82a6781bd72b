# Shared settings for the rig scripts; sourced, never run.
set -euo pipefail

RIG=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(dirname "$RIG")
TREE=${RIG_TREE:-$TOP/build/linux}
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
SRC=${RIG_SRC:-$CACHE/src}
stable_src() {
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

cross_compile() {
	case $1 in
	x86_64) echo "" ;;
	arm64) echo aarch64-linux-gnu- ;;
	*) die "unknown arch $1" ;;
	esac
}

# The series, in order, as listed in patches/series.
series_patches() {
	[ -f "$TOP/patches/series" ] || return 0
	grep -vE '^[[:space:]]*(#|$)' "$TOP/patches/series" | sed "s#^#$TOP/patches/#"
}
