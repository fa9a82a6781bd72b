#!/usr/bin/env bash
# Build one kernel: kernel.sh [--tree DIR] [--build DIR] [--lax-config] ARCH FLAVOUR
#   ARCH    x86_64 | arm64 (rig/arch/)
#   FLAVOUR normal | debug | modules (x86_64 only: KVM=m, as distributions ship it)
#           | kcsan (the normal config + config/kcsan.config: the data-race detector)
#           | bench (the normal config + config/bench.config: make bench's kernels)
# Config = tinyconfig + config/common + config/ARCH [+ config/FLAVOUR]; every
# option the fragments ask for must survive olddefconfig (--lax-config: make
# bisect builds prefixes of the series that predate some options). The
# kernel of build/linux is built in $OUT/kernel-ARCH-FLAVOUR and linked as
# $OUT/ARCH-FLAVOUR.image; --tree and --build build another tree elsewhere.
. "$(dirname "$0")/lib.sh"

B='' lax=0
while [ $# -gt 0 ]; do
	case $1 in
	--tree) use_tree "$2"; shift 2 ;;
	--build) B=$2; shift 2 ;;
	--lax-config) lax=1; shift ;;
	*) break ;;
	esac
done
[ $# = 2 ] || die "usage: kernel.sh [--tree DIR] [--build DIR] [--lax-config] ARCH FLAVOUR"
arch=$1 flavour=$2
use_arch "$arch"
link=
[ -n "$B" ] || B=$OUT/kernel-$arch-$flavour link=$OUT/$arch-$flavour.image
frags=("$RIG/config/common.config" "$RIG/config/$arch.config")
case $flavour in
normal) ;;
debug) frags+=("$RIG/config/debug.config") ;;
modules) frags+=("$RIG/config/kvm-modules.config") ;;
kcsan) frags+=("$RIG/config/kcsan.config") ;;
bench) frags+=("$RIG/config/bench.config") ;;
*) die "unknown flavour $flavour" ;;
esac
stable_src
mk=(make -C "$SRC" O="$B" ARCH="$arch" CROSS_COMPILE="$ARCH_CROSS"
    CC="ccache ${ARCH_CROSS}gcc" HOSTCC="ccache gcc" -j"$JOBS")

mkdir -p "$B"
"${mk[@]}" -s tinyconfig >/dev/null
"$SRC/scripts/kconfig/merge_config.sh" -m -O "$B" "$B/.config" "${frags[@]}" >/dev/null 2>&1
"${mk[@]}" -s olddefconfig >/dev/null

# A fragment option that olddefconfig silently dropped is a rig bug. Later
# fragments override earlier ones, as in merge_config.sh.
declare -A want
while IFS='=' read -r opt val; do
	want[$opt]=$val
done < <(cat "${frags[@]}" | grep -E '^CONFIG_')
bad=0
for opt in "${!want[@]}"; do
	val=${want[$opt]}
	case $val in
	n) ! grep -q "^$opt=" "$B/.config" || { say "$opt=n did not stick"; bad=1; } ;;
	*) grep -qx "$opt=$val" "$B/.config" || { say "$opt=$val did not stick ($(grep "^$opt=\|# $opt " "$B/.config" || echo unset))"; bad=1; } ;;
	esac
done
[ $bad = 0 ] || [ $lax = 1 ] ||
	die "config fragments for $arch/$flavour did not apply"

targets=("$ARCH_KERNEL_TARGET")
[ "$flavour" = modules ] && targets+=(modules)
# A cold build is silent for many minutes: say how far it got once a
# minute, against the objects the last build of this directory had.
compiled() { grep -cE '^  CC ' "$B/build.log" 2>/dev/null || true; }
say "building $arch/$flavour kernel in $B"
"${mk[@]}" "${targets[@]}" >"$B/build.log" 2>&1 &
pid=$! t0=$SECONDS next=$((SECONDS + 60))
total=$(cat "$B/.rig-objects" 2>/dev/null || echo '?')
while sleep 5; kill -0 "$pid" 2>/dev/null; do
	[ $SECONDS -ge $next ] || continue
	say "$arch/$flavour: $(compiled) of about $total objects compiled, $(((SECONDS - t0) / 60)) min"
	next=$((next + 60))
done
wait "$pid" || { tail -40 "$B/build.log" >&2; die "$arch/$flavour kernel build failed (log: $B/build.log)"; }
find "$B" -name '*.o' | wc -l >"$B/.rig-objects"
grep -E 'warning:' "$B/build.log" >&2 || true
[ -z "$link" ] || ln -sf "$B/$ARCH_KERNEL_IMAGE" "$link"
say "$arch/$flavour kernel: $B/$ARCH_KERNEL_IMAGE"
