#!/usr/bin/env bash
# Usage: build-image.sh x86_64|aarch64 SUITE
#
# Builds, or finds in the cache, what vm/run.sh boots for Debian SUITE on that architecture, and prints the
# directory that holds it:
#   vmlinuz, initrd.img  the suite's own kernel (linux-image-amd64/-arm64) and its initramfs-tools initrd
#   root.img             an ext4 root file system made by mmdebstrap from the suite's packages: the kernel's modules,
#                        a JDK, bpftrace, perf, and where the suite has them clang and libbpf-dev (libbpf 0.8 or later,
#                        the first with USDT support), SystemTap with the kernel's headers for trixie on x86-64
#   packages.txt         the name and version of every package in the root
# Packages come from this machine's own Debian mirror (debian-sources.sh). The cache lives under
# ${XDG_CACHE_HOME:-~/.cache}/dtrace-provider-tests/vm, one directory per suite, architecture and recipe (a hash of
# this script and of the guest's init), renamed into place when complete; delete it to build afresh.
set -euo pipefail

fail() {
    echo "build-image.sh: $*" >&2
    exit 1
}

[ $# -eq 2 ] || fail "usage: build-image.sh x86_64|aarch64 SUITE"
arch=$1
suite=$2
case $arch in
    x86_64) debian_arch=amd64 ;;
    aarch64) debian_arch=arm64 ;;
    *) fail "unknown architecture '$arch' (x86_64 or aarch64)" ;;
esac
[[ $suite =~ ^[a-z]+$ ]] || fail "bad suite name '$suite'"
here=$(cd "$(dirname "$0")" && pwd)

recipe=$(cat "$0" "$here/guest/dtp-init" | sha256sum | cut -c1-12)
cache=${XDG_CACHE_HOME:-${HOME:?neither XDG_CACHE_HOME nor HOME is set}/.cache}/dtrace-provider-tests/vm
target=$cache/$suite-$arch-$recipe
if [ -f "$target/root.img" ]; then
    echo "$target"
    exit 0
fi

[ "$(id -u)" = 0 ] || fail "building a guest image needs root (mmdebstrap --mode=root)"
for tool in mmdebstrap mkfs.ext4 dpkg-deb; do
    command -v "$tool" >/dev/null || fail "$tool is not installed (see CONTRIBUTING.md for the packages vm/ needs)"
done
if [ "$arch" != "$(uname -m)" ]; then
    # mmdebstrap runs the foreign root's maintainer scripts through qemu-user-static and binfmt_misc.
    [ -e /proc/sys/fs/binfmt_misc/status ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc \
        || fail "cannot mount binfmt_misc, which running $arch programs needs"
    [ -e "/proc/sys/fs/binfmt_misc/qemu-$arch" ] || update-binfmts --enable "qemu-$arch" >/dev/null 2>&1 \
        || fail "cannot enable qemu-$arch in binfmt_misc (is qemu-user-static installed?)"
fi

mkdir -p "$cache"
# A build killed with SIGKILL leaves its work directory behind; one that old is no one's anymore.
find "$cache" -maxdepth 1 -name ".$suite-$arch-*" -mmin +240 -exec rm -rf {} +
work=$(mktemp -d "$cache/.$suite-$arch-$recipe.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$here/debian-sources.sh" "$suite" >"$work/sources.list"

packages_file=$work/Packages
apt_options=(
    -o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State=$work/apt-state" -o "Dir::State::status=$work/apt-status" -o "Dir::Cache=$work/apt-cache"
    -o "APT::Architecture=$debian_arch" -o "APT::Architectures=$debian_arch"
    -o Acquire::Check-Valid-Until=false -o APT::Sandbox::User=root
)
mkdir -p "$work/apt-state/lists/partial" "$work/apt-cache/archives/partial"
: >"$work/apt-status"
apt-get "${apt_options[@]}" -qq update >"$work/apt.log" 2>&1 \
    || fail "apt-get update for $suite/$debian_arch failed: $(grep -E '^(E|W):' "$work/apt.log" | head -1)"
# The newest version of a package in the suite, or nothing.
version_of() {
    apt-cache "${apt_options[@]}" show --no-all-versions "$1" 2>/dev/null | sed -n 's/^Version: //p' | head -1
}
[ -n "$(version_of "linux-image-$debian_arch")" ] || fail "Debian $suite has no linux-image-$debian_arch"

jdk=
for candidate in openjdk-17-jre-headless openjdk-21-jre-headless openjdk-25-jre-headless; do
    if [ -n "$(version_of "$candidate")" ]; then jdk=$candidate; break; fi
done
[ -n "$jdk" ] || fail "Debian $suite/$debian_arch has no OpenJDK 17, 21 or 25"
include=(
    "linux-image-$debian_arch" initramfs-tools kmod procps util-linux mount iproute2 bash coreutils findutils grep sed
    binutils "$jdk" bpftrace linux-perf
)
for package in bpftrace linux-perf; do
    [ -n "$(version_of "$package")" ] || fail "Debian $suite/$debian_arch has no $package"
done
libbpf=$(version_of libbpf-dev)
# libbpf's USDT support (usdt.bpf.h) came with 0.8.
if [ -n "$libbpf" ] && dpkg --compare-versions "${libbpf#*:}" ge 0.8; then
    include+=(clang libbpf-dev gcc libc6-dev)
fi
# Debian 12's SystemTap 4.8 no longer builds its runtime against Debian 12's own 6.1 kernel (task_work_cancel
# changed in a 6.1 point release), so SystemTap is checked with Debian 13's 5.1 on its 6.12 kernel.
if [ "$suite" = trixie ] && [ "$arch" = x86_64 ]; then
    include+=(systemtap "linux-headers-$debian_arch" gcc make)
fi

# The initrd holds only what mounting the root needs (virtio PCI and block, ext4), loaded at boot without udev: a
# full initrd takes mkinitramfs over 20 minutes under qemu-user when the guest is not of this machine's architecture.
initramfs_config() {
    mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/etc/initramfs-tools/hooks"
    echo MODULES=list >"$1/etc/initramfs-tools/conf.d/dtp.conf"
    printf '%s\n' '#!/bin/sh' '[ "$1" = prereqs ] && exit 0' '. /usr/share/initramfs-tools/hook-functions' \
        'for module in virtio_pci virtio_blk ext4; do force_load "$module"; done' \
        >"$1/etc/initramfs-tools/hooks/dtp-virtio"
    chmod 0755 "$1/etc/initramfs-tools/hooks/dtp-virtio"
}

echo "build-image.sh: building the $suite $arch guest (once; cached in $target)" >&2
mmdebstrap --mode=root --variant=essential --arch="$debian_arch" --format=directory \
    --aptopt='Acquire::Check-Valid-Until "false"' \
    --include="$(IFS=,; echo "${include[*]}")" \
    --essential-hook="$(declare -f initramfs_config); initramfs_config \"\$1\"" \
    --customize-hook="install -m 0755 '$here/guest/dtp-init' \"\$1/sbin/dtp-init\"" \
    --customize-hook="chroot \"\$1\" dpkg-query -W -f='\${Package} \${Version}\n' >'$work/packages.txt'" \
    "$suite" "$work/root" "$work/sources.list" >"$work/mmdebstrap.log" 2>&1 \
    || fail "mmdebstrap of $suite/$debian_arch failed: $(grep -E '^E:|error' "$work/mmdebstrap.log" | tail -3)"

kernel=$(find "$work/root/boot" -maxdepth 1 -name 'vmlinuz-*' | sort -V | tail -1)
initrd=$(find "$work/root/boot" -maxdepth 1 -name 'initrd.img-*' | sort -V | tail -1)
[ -n "$kernel" ] && [ -n "$initrd" ] || fail "the $suite $arch root holds no kernel or no initrd under /boot"
mkdir -p "$work/out"
cp "$kernel" "$work/out/vmlinuz"
cp "$initrd" "$work/out/initrd.img"
mv "$work/packages.txt" "$work/out/packages.txt"
# Room to spare for what the guest writes outside /tmp; writes never reach the image (run.sh boots it snapshot=on).
size_mb=$(( $(du -sm "$work/root" | cut -f1) * 5 / 4 + 1024 ))
mkfs.ext4 -q -L dtp-root -d "$work/root" "$work/out/root.img" "${size_mb}M" >"$work/mkfs.log" 2>&1 \
    || fail "mkfs.ext4 of the $suite $arch root failed"
rm -rf "$work/root"
mv -T "$work/out" "$target" 2>/dev/null || [ -f "$target/root.img" ] || fail "cannot move the image to $target"
echo "$target"
