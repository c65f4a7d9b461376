#!/usr/bin/env bash
# Usage: bpftrace-from-debian.sh SUITE   (e.g. trixie, sid)
#
# Fetches the bpftrace of another Debian suite without touching this machine's packages, and prints the path
# of a wrapper that runs it. The packages come from this machine's own Debian mirror (vm/debian-sources.sh, which
# the test-jar carries beside this script); they are unpacked, never installed, and the binary runs on the libc
# it came with, through that libc's dynamic loader. The unpacked tree is cached: a second run is instant.
# Delete ${XDG_CACHE_HOME:-$HOME/.cache}/dtrace-provider-tests/bpftrace-SUITE to fetch a newer one.
set -euo pipefail

fail() {
    echo "bpftrace-from-debian.sh: $*" >&2
    exit 1
}

[ $# -eq 1 ] && [[ $1 =~ ^[a-z][a-z0-9-]*$ ]] || fail "usage: bpftrace-from-debian.sh SUITE (e.g. trixie, sid)"
suite=$1
cache=${XDG_CACHE_HOME:-${HOME:?neither XDG_CACHE_HOME nor HOME is set}/.cache}/dtrace-provider-tests
target=$cache/bpftrace-$suite
# A run killed with SIGKILL leaves its work directory behind; one that old is no one's anymore.
[ -d "$cache" ] && find "$cache" -maxdepth 1 -name ".bpftrace-$suite.*" -mmin +120 -exec rm -rf {} +
if [ -x "$target/bpftrace" ]; then
    echo "$target/bpftrace"
    exit 0
fi

command -v apt-get >/dev/null && command -v dpkg >/dev/null || fail "needs apt-get and dpkg (a Debian system)"
[ "$(dpkg --print-architecture)" = amd64 ] || fail "only amd64 is supported, this is $(dpkg --print-architecture)"

mkdir -p "$cache" || fail "cannot create the cache directory $cache"
work=$(mktemp -d "$cache/.bpftrace-$suite.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/apt/sources.list.d" "$work/apt/state/lists/partial" "$work/apt/cache/archives/partial" \
    "$work/tree/root"
: >"$work/apt/status"

# The machine's own Debian mirror with the suite swapped (debian-sources.sh, beside this script).
"$(dirname "$0")/debian-sources.sh" "$suite" >"$work/apt/sources.list" || fail "no Debian source to take '$suite' from"

# A private apt state: nothing counts as installed, so apt fetches bpftrace with every library it needs.
# The Release file of sid can be past its Valid-Until date; the signatures are still checked. apt's
# unprivileged download user could not write into a cache under /root. An index that fails to download
# is an error, not the warning it is by default.
apt_options=(
    -o "Dir::Etc::sourcelist=$work/apt/sources.list"
    -o "Dir::Etc::sourceparts=$work/apt/sources.list.d"
    -o "Dir::State=$work/apt/state"
    -o "Dir::State::status=$work/apt/status"
    -o "Dir::Cache=$work/apt/cache"
    -o Acquire::Check-Valid-Until=false
    -o APT::Sandbox::User=root
)
apt-get "${apt_options[@]}" -qq --error-on=any update >"$work/apt.log" 2>&1 \
    || fail "apt-get update for suite '$suite' failed: $(grep -E '^(E|W):' "$work/apt.log" | head -1)"
apt-get "${apt_options[@]}" -qq -y install --download-only --no-install-recommends bpftrace >>"$work/apt.log" 2>&1 \
    || fail "downloading bpftrace from suite '$suite' failed: $(grep -E '^E:' "$work/apt.log" | head -1)"
for deb in "$work"/apt/cache/archives/*.deb; do
    dpkg -x "$deb" "$work/tree/root" || fail "cannot unpack $deb"
done
lib=usr/lib/x86_64-linux-gnu
[ -x "$work/tree/root/usr/bin/bpftrace" ] && [ -e "$work/tree/root/$lib/ld-linux-x86-64.so.2" ] \
    || fail "the packages of suite '$suite' hold no usr/bin/bpftrace or no $lib/ld-linux-x86-64.so.2"

# The wrapper finds the tree next to itself, so the directory can be renamed into place.
cat >"$work/tree/bpftrace" <<EOF
#!/bin/sh
root=\$(dirname "\$(readlink -f "\$0")")/root
exec "\$root/$lib/ld-linux-x86-64.so.2" --library-path "\$root/$lib" "\$root/usr/bin/bpftrace" "\$@"
EOF
chmod +x "$work/tree/bpftrace"
"$work/tree/bpftrace" --version >/dev/null 2>&1 || fail "the bpftrace of suite '$suite' does not run: \
$("$work/tree/bpftrace" --version 2>&1 | head -1)"

# Renaming makes the tree appear complete or not at all; a concurrent run may have won the race.
mv -T "$work/tree" "$target" 2>/dev/null || [ -x "$target/bpftrace" ] || fail "cannot move the tree to $target"
echo "$target/bpftrace"
