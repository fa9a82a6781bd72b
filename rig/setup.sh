#!/usr/bin/env bash
# Install what the rig needs on Debian 12 (root). Quiet when all is there.
. "$(dirname "$0")/lib.sh"
# python3-ply, python3-git: checkpatch runs scripts/spdxcheck.py on new files.
# python3-sphinx: rig/docs.sh builds Documentation/virt.
# sparse: rig/bots.sh (make check-series, in make test) runs it.
# meson ... libfdt-dev, dpkg-dev: rig/qemu.sh builds qemu-system-aarch64 and -x86_64.

PKGS=(build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils kmod rsync
      ccache python3 python3-ply python3-git busybox-static qemu-system-x86 qemu-system-arm
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross python3-sphinx sparse
      meson ninja-build pkg-config libglib2.0-dev libpixman-1-dev zlib1g-dev libfdt-dev dpkg-dev)
missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "installing: ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# rig/qemu.sh fetches Debian's QEMU source: it needs deb-src entries.
if ! grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	say "adding deb-src entries for Debian 12 (QEMU source)"
	cat >/etc/apt/sources.list.d/kvm61-rig-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	apt-get update -qq
fi

# The arm64 initramfs needs an arm64 busybox: fetch the package, keep it cached.
dl=$CACHE/downloads
mkdir -p "$dl"
if ! ls "$dl"/busybox-static_*_arm64.deb >/dev/null 2>&1; then
	dpkg --print-foreign-architectures | grep -qx arm64 || {
		dpkg --add-architecture arm64
		apt-get update -qq
	}
	(cd "$dl" && apt-get download -q busybox-static:arm64 >/dev/null 2>&1) ||
		{ apt-get update -qq; (cd "$dl" && apt-get download -q busybox-static:arm64 >/dev/null); }
fi
mkdir -p "$OUT/busybox-arm64"
[ -x "$OUT/busybox-arm64/bin/busybox" ] ||
	dpkg-deb -x "$(ls "$dl"/busybox-static_*_arm64.deb | tail -1)" "$OUT/busybox-arm64"
