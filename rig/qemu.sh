#!/usr/bin/env bash
# Print the path of qemu-system-aarch64 built from Debian's QEMU source with
# the patches of rig/qemu/ applied; build it first if the cache lacks it.
#
# Stock QEMU ignores HCR_EL2.TEA, so a guest's synchronous external abort
# never reaches KVM (see rig/qemu/*.patch). The build is keyed on the source
# version, the patches and the configure line, and kept under $OUT.
. "$(dirname "$0")/lib.sh"

# The source of the QEMU that is installed (a binNMU suffix is not in the source version).
version=$(dpkg-query -W -f='${Version}' qemu-system-arm)
version=${version%+b[0-9]*}
configure=(--target-list=aarch64-softmmu --disable-docs --disable-tools
	   --disable-user --disable-werror --disable-gtk --disable-sdl --disable-vnc
	   --disable-opengl --disable-virglrenderer --disable-slirp --disable-curl
	   --disable-libusb --disable-usb-redir --disable-spice --disable-xen
	   --meson=/usr/bin/meson)
key=$( { echo "$version ${configure[*]}"; cat "$RIG"/qemu/*.patch; } | sha256sum | cut -c1-16)
dest=$OUT/qemu-$key
if [ ! -x "$dest/qemu-system-aarch64" ]; then
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
	say "building qemu-system-aarch64 ($version + ${RIG#"$TOP"/}/qemu/*.patch; ~5 minutes cold)"
	mkdir -p "$work/src/build"
	(cd "$work/src/build" && PATH=/usr/bin:$PATH ../configure "${configure[@]}" >"$work/configure.log" 2>&1) ||
		die "qemu configure failed: $work/configure.log"
	ninja -C "$work/src/build" -j"$JOBS" qemu-system-aarch64 >"$work/build.log" 2>&1 ||
		die "qemu build failed: $work/build.log"
	mkdir -p "$dest.tmp"
	cp "$work/src/build/qemu-system-aarch64" "$dest.tmp/"
	rm -rf "$dest" && mv "$dest.tmp" "$dest"
	rm -rf "$work"
fi
echo "$dest/qemu-system-aarch64"
