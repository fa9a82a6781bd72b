#!/usr/bin/env bash
# What a maintainer's bots build within hours of a posting, over what the
# series touches, with Debian's own 6.1 configurations (linux-config-6.1):
#   bots.sh [--tree DIR] [--base-tree DIR] [--out DIR] [--each [FROM]] [ARCH...]
# ARCH: x86_64 and/or arm64 (default both). For each arch:
#   kconfig  olddefconfig of Debian's config (flavour "none", DEBUG_INFO off
#            to build faster) at base and at the tip: the series' options
#            must come out as a distribution gets them (KVM=m on x86_64,
#            KVM_SW_PROTECTED_VM off, the selected helpers on, and what they
#            need), and no other option of Debian's config may change.
#   build    W=1 and sparse (C=1) over the directories and files the series
#            touches (arch/ARCH/kvm/ with virt/kvm, the touched .c files of
#            mm/ and lib/, and the arch's other users of the KVM headers),
#            at base and at the tip. x86_64 builds the tip twice, Debian's
#            config as it is and with KVM_SW_PROTECTED_VM=y: the memory
#            attribute code builds only then.
#   diff     warnings (gcc, sparse, kernel-doc, objtool) are compared without
#            line numbers: a warning of the tip that base has fewer of is
#            new, listed with its file:line and the patch that wrote the
#            line (git blame). Any new warning, or a failed build, fails.
# The tip is build/linux (--tree: another tree); base is a worktree of it at
# 'base' ($OUT/bots-base-tree unless --base-tree). Builds go to $OUT/bots
# (--out), one directory per arch and side; ccache keeps them warm.
# --each: then every commit since FROM (default base) of the series in turn,
# in a worktree of its own ($out/each-tree), built incrementally with the
# tip's config (x86_64: with KVM_SW_PROTECTED_VM once it exists): the files a
# commit makes recompile are checked again, and a warning base has fewer
# of is reported against that commit. Slow (a commit that changes
# kvm_host.h recompiles all of KVM): not for CI.
# Summary last: "bots: ARCH: N new warnings (gcc N, sparse N, kernel-doc N,
# objtool N); base had N"; exit 1 on any failure.
. "$(dirname "$0")/lib.sh"

base_tree='' out=$OUT/bots each=''
while [ $# -gt 0 ]; do
	case $1 in
	--tree) use_tree "$2"; shift 2 ;;
	--base-tree) base_tree=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--each) each=base; shift
		if [ $# -gt 0 ] && git -C "$TREE" rev-parse -q --verify "$1^{commit}" >/dev/null; then
			each=$1; shift
		fi ;;
	*) break ;;
	esac
done
arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(x86_64 arm64)
command -v sparse >/dev/null || die "sparse is missing: apt-get install sparse"
stable_src
mkdir -p "$out"

# Debian's configurations: the host's linux-config-6.1 (amd64) is installed;
# the arm64 one is downloaded and unpacked, like busybox-static:arm64.
debian_config() {	# debian_config ARCH -> path of the .xz
	local darch dl=$CACHE/downloads dir
	case $1 in x86_64) darch=amd64 ;; arm64) darch=arm64 ;; esac
	dir=$out/linux-config-$darch
	if [ ! -f "$dir/config.${darch}_none_${darch}.xz" ]; then
		mkdir -p "$dl" "$dir"
		ls "$dl"/linux-config-6.1_*_"$darch".deb >/dev/null 2>&1 ||
			(cd "$dl" && apt-get download -q "linux-config-6.1:$darch" >/dev/null 2>&1) ||
			die "cannot download linux-config-6.1:$darch"
		dpkg-deb --fsys-tarfile "$(ls "$dl"/linux-config-6.1_*_"$darch".deb | tail -1)" |
			tar -x -C "$dir" --strip-components=4 ./usr/src/linux-config-6.1/
	fi
	echo "$dir/config.${darch}_none_${darch}.xz"
}

if [ -z "$base_tree" ]; then
	base_tree=$OUT/bots-base-tree
	git -C "$TREE" worktree remove --force "$base_tree" 2>/dev/null || rm -rf "$base_tree"
	git -C "$TREE" worktree prune
	git -C "$TREE" worktree add -q --detach "$base_tree" base
	trap 'git -C "$TREE" worktree remove --force "$base_tree"' EXIT
fi
[ "$(git -C "$base_tree" rev-parse HEAD)" = "$(git -C "$TREE" rev-parse base)" ] ||
	die "$base_tree is not at base"

# sparse stops at 100 warnings a file (vmx.c's evmcs includes reach that at
# base): CF=-fmax-warnings=unlimited, or a new one could hide behind them.

# The objects to build for ARCH in TREE: the arch's KVM directory (which
# builds virt/kvm too), the series' .c files elsewhere, and the arch's
# other files that include the KVM headers the series changes.
targets() {	# targets ARCH TREE
	local karch=$1 f
	[ "$1" = x86_64 ] && karch=x86
	echo "arch/$karch/kvm/"
	{
		git -C "$TREE" diff --name-only base HEAD -- '*.c' ':!tools' ':!virt/kvm' ':!arch/*/kvm/*'
		(cd "$SRC" && grep -rlE --include='*.c' '#include <(linux|asm)/kvm_host.h>' \
			"arch/$karch" kernel mm lib 2>/dev/null |
			grep -v -e "^arch/$karch/kvm/" -e '/asm-offsets\.c$')
	} | sort -u | while read -r f; do
		case $f in
		arch/"$karch"/*|mm/*|lib/*|kernel/*) [ -f "$2/$f" ] && echo "${f%.c}.o" ;;
		esac
	done
}

# Configure and build one side: build SIDE ARCH TREE DIR [EXTRA_OPTION...]
build() {
	local side=$1 arch=$2 tree=$3 B=$4 t
	shift 4
	local mk=(make -C "$tree" O="$B" ARCH="$arch" CROSS_COMPILE="$ARCH_CROSS"
		  CC="ccache ${ARCH_CROSS}gcc" HOSTCC="ccache gcc" -j"$JOBS")
	mkdir -p "$B"
	xz -dc "$(debian_config "$arch")" >"$B/.config"
	# Not what the bots check, and slow: no debug info, no Debian signing keys.
	"$tree/scripts/config" --file "$B/.config" -d DEBUG_INFO -d DEBUG_INFO_DWARF5 \
		-d DEBUG_INFO_DWARF4 -d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT -e DEBUG_INFO_NONE \
		-d DEBUG_INFO_BTF --set-str SYSTEM_TRUSTED_KEYS '' --set-str SYSTEM_REVOCATION_KEYS '' \
		--set-str MODULE_SIG_KEY certs/signing_key.pem
	for o in "$@"; do "$tree/scripts/config" --file "$B/.config" -e "$o"; done
	"${mk[@]}" -s olddefconfig >"$B/kconfig.log" 2>&1 || { cat "$B/kconfig.log" >&2; return 1; }
	mapfile -t t < <(targets "$arch" "$tree")
	# Each run compiles every target again (ccache replays gcc's warnings),
	# so that sparse sees every file and an unchanged object is no silence.
	[ ! -d "$B/${t[0]}" ] || find "$B/${t[0]}" "$B/virt/kvm" -name '*.o' -delete 2>/dev/null || true
	for o in "${t[@]:1}"; do rm -f "$B/$o"; done
	say "$arch $side: W=1 C=1 ${t[*]}${*:+ (+$*)}"
	"${mk[@]}" W=1 C=1 CHECK=sparse CF=-fmax-warnings=unlimited "${t[@]}" >"$B/build.log" 2>&1 ||
		{ tail -30 "$B/build.log" >&2; say "$arch $side: build failed (log: $B/build.log)"; return 1; }
	# Warnings without the tree's path; kept with line numbers for the report.
	# (ccache, with CCACHE_BASEDIR=/, hands gcc paths relative to the build
	# directory: ../../work/tree/x.h, or ../../src/x.h when the two share a
	# prefix, is x.h too.)
	local rel
	rel=$(realpath -m --relative-to="$B" "$tree")
	grep -E ': (warning|error): ' "$B/build.log" |
		sed -E "s#^$rel/##; s#^(\.\./)*(${tree#/}|${B#/})/##; s#^($tree|$B)/##; s#^\./##" \
		>"$B/warnings" || true
}

# KEY<TAB>file:line<TAB>line: the key has no line numbers, and the tool
# that spoke (gcc names its -W option; kernel-doc gives no column; objtool
# says so; the rest is sparse).
keyed() {
	awk '{
		line = $0
		match(line, /^[^:]+:[0-9]+(:[0-9]+)?: /)
		if (RSTART == 1) {
			loc = substr(line, 1, RLENGTH - 2); msg = substr(line, RLENGTH + 1)
		} else if (line ~ /^[^: ]+: (warning|error): objtool: /) {
			# objtool names the object, no line: "x.o: warning: objtool: ..."
			loc = substr(line, 1, index(line, ":") - 1) ":0"
			msg = substr(line, index(line, ":") + 2)
		} else
			next
		split(loc, p, ":")
		# arch/x86/kvm/../../../virt/kvm/x.c is virt/kvm/x.c on both arches.
		n = split(p[1], c, "/"); k = 0
		for (i = 1; i <= n; i++)
			if (c[i] == ".." && k > 0 && d[k] != "..") k--; else if (c[i] != ".") d[++k] = c[i]
		file = d[1]; for (i = 2; i <= k; i++) file = file "/" d[i]
		tool = (msg ~ /objtool:/) ? "objtool" : (msg ~ /\[-W[^]]*\]$/) ? "gcc" : \
			(p[3] == "") ? "kernel-doc" : "sparse"
		sub(/^[^:]+/, file, line)
		# objtool says where in the function: no more stable than a line.
		if (tool == "objtool") gsub(/\+0x[0-9a-f]+(\/0x[0-9a-f]+)?/, "", msg)
		print tool " " file ": " msg "\t" file ":" p[2] "\t" line
	}' "$@"
}

# Warnings judged harmless, with the reason: rig/bots.ignore, one key a
# line ("TOOL FILE: MESSAGE", as the NEW lines print it, no line number).
ignored() {
	grep -vE '^[[:space:]]*(#|$)' "$RIG/bots.ignore" 2>/dev/null | sed -E 's/[[:space:]]+#.*$//' || true
}

# The patch of the series (NNNN in patches/) that wrote TREE's FILE:LINE.
patch_of() {	# patch_of TREE FILE LINE
	local c subject n
	c=$(git -C "$1" blame -l -L "$3,$3" HEAD -- "$2" 2>/dev/null | awk '{print $1}' | tr -d '^')
	[ -n "$c" ] || { echo "?"; return; }
	git -C "$1" merge-base --is-ancestor "$c" base 2>/dev/null && { echo "base"; return; }
	subject=$(git -C "$1" log -1 --format=%s "$c" | sed 's/^fixup! //')
	for p in $(series_patches); do
		if [ "$(sed -n '/^Subject:/,/^$/p' "$p" | sed -E '1s/^Subject: (\[PATCH[^]]*\] )?//' |
			tr -d '\n' | sed 's/^ *//')" = "$(echo "$subject" | tr -d '\n')" ]; then
			n=$(basename "$p"); echo "${n%%-*}"; return
		fi
	done
	echo "$(git -C "$1" rev-list --count base.."$c") (by position)"
}

# The patch number (NNNN in patches/) of commit C of TREE, by subject.
patch_of_commit() {	# patch_of_commit TREE C
	local subject p n
	subject=$(git -C "$1" log -1 --format=%s "$2" | sed 's/^fixup! //')
	for p in $(series_patches); do
		if [ "$(sed -n '/^Subject:/,/^$/p' "$p" | sed -E '1s/^Subject: (\[PATCH[^]]*\] )?//' |
			tr -d '\n' | sed 's/^ *//')" = "$subject" ]; then
			n=$(basename "$p"); echo "${n%%-*}"; return
		fi
	done
	echo "$(git -C "$1" rev-list --count base.."$2") (by position)"
}

rc=0
for arch in "${arches[@]}"; do
	use_arch "$arch"
	t0=$SECONDS
	Bb=$out/$arch-base Bt=$out/$arch-tip Bs=$out/$arch-tip-swprot
	ok=1
	build base "$arch" "$base_tree" "$Bb" || ok=0
	build tip "$arch" "$SRC" "$Bt" || ok=0
	tipwarn=("$Bt/warnings")
	if [ "$arch" = x86_64 ]; then
		build tip-swprot "$arch" "$SRC" "$Bs" KVM_SW_PROTECTED_VM || ok=0
		tipwarn+=("$Bs/warnings")
	fi
	[ $ok = 1 ] || { echo "FAIL bots $arch: a build failed"; rc=1; continue; }

	# Kconfig: what the series adds, and nothing else of Debian's config moves.
	sane=1
	want=(KVM=m KVM_AMD=m KVM_INTEL=m KVM_GUEST_MEMFD=y KVM_GENERIC_PRE_FAULT_MEMORY=y
	      XARRAY_MULTI=y "KVM_SW_PROTECTED_VM=" "KVM_GENERIC_MEMORY_ATTRIBUTES=")
	[ "$arch" = arm64 ] && want=(KVM=y KVM_GUEST_MEMFD=y KVM_GENERIC_PRE_FAULT_MEMORY=y
	      XARRAY_MULTI=y "KVM_GENERIC_MEMORY_ATTRIBUTES=")
	for w in "${want[@]}"; do
		got=$(grep -E "^CONFIG_${w%%=*}=" "$Bt/.config" | cut -d= -f2 || true)
		if [ "$got" = "${w#*=}" ]; then
			echo "ok   bots $arch kconfig: CONFIG_${w%%=*}=${got:-(unset)}"
		else
			echo "FAIL bots $arch kconfig: CONFIG_${w%%=*}=${got:-(unset)}, want ${w#*=}"; sane=0
		fi
	done
	if [ "$arch" = x86_64 ]; then
		for w in KVM_SW_PROTECTED_VM=y KVM_GENERIC_MEMORY_ATTRIBUTES=y; do
			grep -qx "CONFIG_$w" "$Bs/.config" &&
				echo "ok   bots $arch kconfig (+SW_PROTECTED_VM): CONFIG_$w" ||
				{ echo "FAIL bots $arch kconfig: CONFIG_$w did not stick"; sane=0; }
		done
	fi
	moved=$(diff <(grep -E '^(CONFIG_|# CONFIG_)' "$Bb/.config" | sort) \
		     <(grep -E '^(CONFIG_|# CONFIG_)' "$Bt/.config" | sort) | grep '^[<>]' || true)
	extra=$(grep -vE '^> (CONFIG_KVM_GUEST_MEMFD=y|CONFIG_KVM_GENERIC_PRE_FAULT_MEMORY=y|# CONFIG_KVM_SW_PROTECTED_VM is not set)$' <<<"$moved" | grep . || true)
	echo "     bots $arch kconfig: the series adds to Debian's config: $(grep '^>' <<<"$moved" | sed 's/^> //' | paste -sd' ')"
	[ -z "$extra" ] || { echo "FAIL bots $arch kconfig: other options moved:"; sed 's/^/    | /' <<<"$extra"; sane=0; }
	# What the series' code needs must be selected, not left to chance:
	# guest_memfd stores multi-index ranges (xa_store_range()), which
	# without XARRAY_MULTI hit xas_set_order()'s BUG_ON(order > 0). Debian
	# has it through THP; a minimal config (the rig's fragments, THP and
	# memory hotplug off) shows whether KVM_GUEST_MEMFD brings it itself.
	Bm=$out/$arch-kconfig-min
	mkdir -p "$Bm"
	mkm=(make -C "$SRC" O="$Bm" ARCH="$arch" CROSS_COMPILE="$ARCH_CROSS" HOSTCC="ccache gcc" -s)
	"${mkm[@]}" tinyconfig >/dev/null 2>&1
	"$SRC/scripts/kconfig/merge_config.sh" -m -O "$Bm" "$Bm/.config" \
		"$RIG/config/common.config" "$RIG/config/$arch.config" >/dev/null 2>&1
	"$SRC/scripts/config" --file "$Bm/.config" -d TRANSPARENT_HUGEPAGE -d MEMORY_HOTPLUG
	"${mkm[@]}" olddefconfig >/dev/null 2>&1
	if grep -qx CONFIG_KVM_GUEST_MEMFD=y "$Bm/.config" && ! grep -qx CONFIG_XARRAY_MULTI=y "$Bm/.config"; then
		echo "FAIL bots $arch kconfig: KVM_GUEST_MEMFD=y without XARRAY_MULTI (rig fragments, THP and MEMORY_HOTPLUG off): guest_memfd's xa_store_range() would BUG"
		sane=0
	else
		echo "ok   bots $arch kconfig: KVM_GUEST_MEMFD brings XARRAY_MULTI (THP and MEMORY_HOTPLUG off)"
	fi
	[ $sane = 1 ] || rc=1

	# Warnings: new = a key the tip has more often than base.
	keyed "$Bb/warnings" | sort -u -t$'\t' -k3,3 | sort >"$out/$arch-base.keyed"
	keyed "${tipwarn[@]}" | sort -u -t$'\t' -k3,3 | sort >"$out/$arch-tip.keyed"
	nb=$(wc -l <"$out/$arch-base.keyed")
	ignored >"$out/ignore.keys"
	# (FILENAME, not NR == FNR: the first file may be empty.)
	awk -F'\t' 'FILENAME == ARGV[1] { base[$1]++; next }
		    { seen[$1]++; if (seen[$1] > base[$1]) print }' \
		"$out/$arch-base.keyed" "$out/$arch-tip.keyed" |
		awk -F'\t' 'FILENAME == ARGV[1] { skip[$0] = 1; next } !($1 in skip)' \
		"$out/ignore.keys" - >"$out/$arch-new.keyed"
	declare -A by=([gcc]=0 [sparse]=0 [kernel-doc]=0 [objtool]=0)
	while IFS=$'\t' read -r key loc line; do
		tool=${key%% *}
		by[$tool]=$((${by[$tool]:-0} + 1))
		echo "NEW  bots $arch $tool: $line  [patch $(patch_of "$SRC" "${loc%%:*}" "${loc##*:}")]"
		echo "     key: $key"
	done <"$out/$arch-new.keyed"
	nn=$(wc -l <"$out/$arch-new.keyed")
	echo "bots: $arch: $nn new warnings (gcc ${by[gcc]}, sparse ${by[sparse]}, kernel-doc ${by[kernel-doc]}, objtool ${by[objtool]}); base had $nb [$((SECONDS - t0))s]"
	[ "$nn" = 0 ] || rc=1
	unset by
done

[ -n "$each" ] || exit $rc

# Each commit at its own position (see the top).
wt=$out/each-tree
git -C "$TREE" worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git -C "$TREE" worktree prune
git -C "$TREE" worktree add -q --detach "$wt" "$each"
for arch in "${arches[@]}"; do
	use_arch "$arch"
	Be=$out/$arch-each opt=()
	[ "$arch" = x86_64 ] && opt=(KVM_SW_PROTECTED_VM)
	git -C "$wt" checkout -q "$each"
	mk=(make -C "$wt" O="$Be" ARCH="$arch" CROSS_COMPILE="$ARCH_CROSS"
	    CC="ccache ${ARCH_CROSS}gcc" HOSTCC="ccache gcc" -j"$JOBS")
	mapfile -t t < <(targets "$arch" "$wt")
	# The starting point, built once without looking (its warnings are base's
	# or an earlier commit's).
	build each-start "$arch" "$wt" "$Be" "${opt[@]}" || { echo "FAIL bots-each $arch: $each does not build"; rc=1; continue; }
	# What the starting point has already (none at base) is reported once,
	# there; later, a commit is blamed only for warnings that are new then.
	keyed "$Be/warnings" | sort -u -t$'\t' -k3,3 | sort |
		awk -F'\t' 'FILENAME == ARGV[1] { base[$1]++; next }
			    { seen[$1]++; if (seen[$1] > base[$1]) print }' "$out/$arch-base.keyed" - |
		awk -F'\t' 'FILENAME == ARGV[1] { skip[$0] = 1; next } !($1 in skip)' \
			"$out/ignore.keys" - >"$Be/carried"
	if [ -s "$Be/carried" ]; then
		cut -f3 "$Be/carried" | sed "s/^/NEW  bots-each $arch at or before $(git -C "$wt" rev-parse --short HEAD): /"
		rc=1
	fi
	for c in $(git -C "$TREE" rev-list --reverse "$each"..HEAD); do
		t1=$SECONDS
		git -C "$wt" checkout -q "$c"
		n=$(patch_of_commit "$TREE" "$c")
		if [ -z "$(git -C "$wt" diff --name-only "$c^" "$c" -- . ':!tools' ':!Documentation' ':!MAINTAINERS')" ]; then
			echo "ok   bots-each $arch $n (no kernel code)"
			continue
		fi
		for o in "${opt[@]}"; do "$wt/scripts/config" --file "$Be/.config" -e "$o"; done
		"${mk[@]}" -s olddefconfig >/dev/null 2>&1
		if ! "${mk[@]}" W=1 C=1 CHECK=sparse CF=-fmax-warnings=unlimited "${t[@]}" >"$Be/build-$n.log" 2>&1; then
			echo "FAIL bots-each $arch $n: build failed (log: $Be/build-${n%% *}.log)"; rc=1; continue
		fi
		{ grep -E ': (warning|error): ' "$Be/build-$n.log" || true; } |
			sed -E "s#^(\.\./)*(${wt#/}|${Be#/})/##; s#^($wt|$Be)/##; s#^\./##" |
			keyed | sort -u -t$'\t' -k3,3 | sort |
			awk -F'\t' 'FILENAME == ARGV[1] { base[$1]++; next }
				    { seen[$1]++; if (seen[$1] > base[$1]) print }' "$out/$arch-base.keyed" - |
			awk -F'\t' 'FILENAME == ARGV[1] { skip[$0] = 1; next } !($1 in skip)' \
				"$out/ignore.keys" - >"$Be/new-$n"
		# Warnings an earlier step reported (by key) are not this commit's.
		awk -F'\t' 'FILENAME == ARGV[1] { old[$1] = 1; next } !($1 in old)' \
			"$Be/carried" "$Be/new-$n" >"$Be/fresh-$n"
		cat "$Be/fresh-$n" >>"$Be/carried"
		if [ -s "$Be/fresh-$n" ]; then
			cut -f3 "$Be/fresh-$n" | sed "s/^/NEW  bots-each $arch $n: /"
			echo "FAIL bots-each $arch $n [$((SECONDS - t1))s]"
			rc=1
		else
			echo "ok   bots-each $arch $n [$((SECONDS - t1))s]$([ -s "$Be/new-$n" ] && echo " ($(wc -l <"$Be/new-$n") new since base, reported at an earlier commit)")"
		fi
	done
done
git -C "$TREE" worktree remove --force "$wt"
exit $rc
