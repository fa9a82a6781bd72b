#!/usr/bin/env bash
# make profile (not in CI): where a KVM call's time goes, on a kernel of the
# rig, sampled by perf (cpu-clock) inside the x86_64 guest.
#   profile.sh [IMAGE] "MODES" ["PERF MODES"]
# IMAGE defaults to the series' normal x86_64 kernel (built if missing).
# MODES are rig/prof/attrbench.c's; each runs twice for its rate, then each
# of PERF MODES once under perf record -g, and perf report prints the
# symbols by self and by inclusive share.  The guest gets Debian's perf
# (the linux-perf package) and its libraries.
. "$(dirname "$0")/../lib.sh"

img=$1 modes=$2 pmodes=${3:-}
use_arch x86_64
if [ -z "$img" ]; then
	"$RIG/kernel.sh" x86_64 normal
	img=$OUT/x86_64-normal.image
fi
[ -x /usr/bin/perf ] || die "no /usr/bin/perf: apt-get install linux-perf"
[ -d "$OUT/headers-x86_64/include" ] || "$RIG/selftests.sh" x86_64
st=$(mktemp -d)
trap 'rm -rf "$st"' EXIT
mkdir -p "$st"/{bin,proc,sys,dev,tmp}
cp "$ARCH_BUSYBOX" "$st/bin/busybox"
install -m 755 "$RIG/prof/init" "$st/init"
gcc -O2 -static -I "$OUT/headers-x86_64/include" -o "$st/attrbench" "$RIG/prof/attrbench.c"
echo "$modes" >"$st/modes"
echo "$pmodes" >"$st/pmodes"
if [ -n "$pmodes" ]; then
	cp /usr/bin/perf "$st/perf"
	for l in $(ldd /usr/bin/perf | grep -o '/[^ ]*'); do
		mkdir -p "$st$(dirname "$l")"
		cp -L "$l" "$st$l"
	done
fi
(cd "$st" && find . | cpio -o -H newc --quiet | gzip -1) >"$st.gz"
mkdir -p "$LOGS"
log=$LOGS/profile.log
# shellcheck disable=SC2086
timeout 900 $ARCH_QEMU -mem-prealloc -nographic -no-reboot -kernel "$img" \
	-initrd "$st.gz" -append "$ARCH_CMDLINE quiet" >"$log" 2>&1 || true
rm -f "$st.gz"
grep -a -v '^\[' "$log" | sed -n '/^@@prof/,/^@@done/p'
