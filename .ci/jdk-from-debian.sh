#!/usr/bin/env bash
# Usage: jdk-from-debian.sh VERSION SUITE   (e.g. 21 trixie)
#
# Prints a JAVA_HOME that holds Debian SUITE's OpenJDK VERSION, ready to run on this machine without installing
# it: CI's Java 21 run on Debian 12, which has no Java 21 package. vm/debian-unpack.sh unpacks the JDK with every
# library it needs from the machine's own Debian mirror; then the JDK's programs are pointed at that suite's
# dynamic loader and libraries (patchelf), because a newer suite's JDK needs a newer glibc than the machine's, and
# the links it makes into /etc are pointed into the unpacked tree. The result is cached: a second run is instant.
# Delete ${XDG_CACHE_HOME:-$HOME/.cache}/dtrace-provider-tests/jdk-VERSION-SUITE to fetch a newer one.
set -euo pipefail

fail() {
    echo "jdk-from-debian.sh: $*" >&2
    exit 1
}

[ $# -eq 2 ] && [[ $1 =~ ^[0-9]+$ ]] && [[ $2 =~ ^[a-z][a-z0-9-]*$ ]] \
    || fail "usage: jdk-from-debian.sh VERSION SUITE (e.g. 21 trixie)"
version=$1
suite=$2
arch=$(dpkg --print-architecture)
[ "$arch" = amd64 ] || fail "only amd64 is supported, this is $arch"
target=${XDG_CACHE_HOME:-${HOME:?neither XDG_CACHE_HOME nor HOME is set}/.cache}/dtrace-provider-tests/jdk-$version-$suite
root=$target/root
home=$root/usr/lib/jvm/java-$version-openjdk-$arch
lib=$root/usr/lib/x86_64-linux-gnu
if [ -e "$target/ready" ]; then
    echo "$home"
    exit 0
fi
command -v patchelf >/dev/null && command -v readelf >/dev/null || fail "needs patchelf and readelf (binutils)"

"$(dirname "$0")/../vm/debian-unpack.sh" "$suite" "$target" "openjdk-$version-jdk-headless" \
    || fail "cannot unpack OpenJDK $version of '$suite'"
[ -x "$home/bin/java" ] && [ -e "$lib/ld-linux-x86-64.so.2" ] \
    || fail "the packages of '$suite' hold no $home/bin/java or no ld-linux-x86-64.so.2"

# What follows changes the tree in place, the same way every time: a run cut short is simply done again.
find "$root" -type l -lname '/*' | while read -r link; do
    destination=$(readlink "$link")
    if [ -e "$root$destination" ]; then
        ln -sfn "$root$destination" "$link"
    fi
done
find "$home" -type f -perm -u+x | while read -r program; do
    if readelf -l "$program" 2>/dev/null | grep -q 'program interpreter'; then
        patchelf --set-interpreter "$lib/ld-linux-x86-64.so.2" --force-rpath \
            --set-rpath "\$ORIGIN/../lib:\$ORIGIN/../lib/server:$lib" "$program" || fail "patchelf failed on $program"
    fi
done
"$home/bin/java" -version >/dev/null 2>&1 || fail "the JDK of '$suite' does not run: \
$("$home/bin/java" -version 2>&1 | head -1)"
touch "$target/ready"
echo "$home"
