#!/usr/bin/env bash
# Print the path of qemu-system-aarch64 or qemu-system-x86_64 (qemu.sh ARCH)
# built from Debian's QEMU source with the patches of rig/qemu/ applied;
# build both first if the cache lacks them.
#
# Stock QEMU ignores HCR_EL2.TEA, so a guest's synchronous external abort
# never reaches KVM; and its x86 TCG lets other vCPU threads write back a
# stale copy of CPU 0's SVM state flags, which kills nested guests and the
# host at random (see rig/qemu/*.patch). The build is keyed on the source
# version, the patches and the configure line, and kept under $OUT.
. "$(dirname "$0")/lib.sh"

[ $# = 1 ] || die "usage: qemu.sh arm64|x86_64"
use_arch "$1"
# The arch's QEMU command line names the binary.
binary=${ARCH_QEMU%% *}

# The source of the QEMU that is installed (a binNMU suffix is not in the source version).
version=$(dpkg-query -W -f='${Version}' qemu-system-arm)
version=${version%+b[0-9]*}
# One source builds both: the installed x86 QEMU must come from it too.
x86_version=$(dpkg-query -W -f='${Version}' qemu-system-x86)
[ "${x86_version%+b[0-9]*}" = "$version" ] ||
	die "qemu-system-x86 $x86_version and qemu-system-arm $version come from different sources"
configure=(--target-list=aarch64-softmmu,x86_64-softmmu --disable-docs --disable-tools
	   --disable-user --disable-werror --disable-gtk --disable-sdl --disable-vnc
	   --disable-opengl --disable-virglrenderer --disable-slirp --disable-curl
	   --disable-libusb --disable-usb-redir --disable-spice --disable-xen
	   --meson=/usr/bin/meson)
key=$( { echo "$version ${configure[*]}"; cat "$RIG"/qemu/*.patch; } | sha256sum | cut -c1-16)
dest=$OUT/qemu-$key
if [ ! -x "$dest/qemu-system-aarch64" ] || [ ! -x "$dest/qemu-system-x86_64" ]; then
	dl=$CACHE/downloads/qemu-$version
	mkdir -p "$dl"
	if ! ls "$dl"/*.dsc >/dev/null 2>&1; then
		say "fetching Debian's QEMU $version source"
		(cd "$dl" && apt-get source -q --download-only "qemu=$version" >/dev/null) ||
			die "cannot fetch the qemu $version source (deb-src entries: rig/setup.sh)"
	fi
	work=$CACHE/qemu-build
	rm -rf "$work"
	mkdir -p "$work"
	dpkg-source -q -x "$(ls "$dl"/*.dsc)" "$work/src" >"$work/unpack.log" 2>&1 ||
		die "cannot unpack the qemu source: $work/unpack.log"
	for p in "$RIG"/qemu/*.patch; do
		patch -s -d "$work/src" -p1 <"$p" || die "$p does not apply to qemu $version"
	done
	say "building qemu-system-aarch64 and -x86_64 ($version + ${RIG#"$TOP"/}/qemu/*.patch; ~9 minutes cold)"
	mkdir -p "$work/src/build"
	(cd "$work/src/build" && PATH=/usr/bin:$PATH ../configure "${configure[@]}" >"$work/configure.log" 2>&1) ||
		die "qemu configure failed: $work/configure.log"
	ninja -C "$work/src/build" -j"$JOBS" qemu-system-aarch64 qemu-system-x86_64 >"$work/build.log" 2>&1 ||
		die "qemu build failed: $work/build.log"
	mkdir -p "$dest.tmp"
	cp "$work/src/build/qemu-system-aarch64" "$work/src/build/qemu-system-x86_64" "$dest.tmp/"
	rm -rf "$dest" && mv "$dest.tmp" "$dest"
	rm -rf "$work"
fi
echo "$dest/$binary"
