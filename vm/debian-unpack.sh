#!/usr/bin/env bash
# Usage: debian-unpack.sh SUITE TARGET PACKAGE...
#
# Unpacks PACKAGE... of Debian suite SUITE, with every package they depend on, into TARGET/root, without touching
# this machine's packages: nothing is installed and no maintainer script runs. The packages come from this machine's
# own Debian mirror (debian-sources.sh, beside this script). TARGET appears complete or not at all (the tree is
# unpacked beside it and renamed into place); an existing TARGET is left as it is. Used to run another suite's
# bpftrace (dtrace-core's bpftrace-from-debian.sh) and another suite's JDK (.ci/jdk-from-debian.sh).
set -euo pipefail

fail() {
    echo "debian-unpack.sh: $*" >&2
    exit 1
}

[ $# -ge 3 ] && [[ $1 =~ ^[a-z][a-z0-9-]*$ ]] || fail "usage: debian-unpack.sh SUITE TARGET PACKAGE..."
suite=$1
target=$2
shift 2
[ -d "$target" ] && exit 0

command -v apt-get >/dev/null && command -v dpkg >/dev/null || fail "needs apt-get and dpkg (a Debian system)"
parent=$(dirname "$target")
mkdir -p "$parent" || fail "cannot create $parent"
# A run killed with SIGKILL leaves its work directory behind; one that old is no one's anymore.
find "$parent" -maxdepth 1 -name ".$(basename "$target").*" -mmin +120 -exec rm -rf {} +
work=$(mktemp -d "$parent/.$(basename "$target").XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/apt/sources.list.d" "$work/apt/state/lists/partial" "$work/apt/cache/archives/partial" \
    "$work/tree/root"
: >"$work/apt/status"
"$(dirname "$0")/debian-sources.sh" "$suite" >"$work/apt/sources.list" || fail "no Debian source to take '$suite' from"

# A private apt state: nothing counts as installed, so apt fetches the packages with every library they need.
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
apt-get "${apt_options[@]}" -qq -y install --download-only --no-install-recommends "$@" >>"$work/apt.log" 2>&1 \
    || fail "downloading $* from suite '$suite' failed: $(grep -E '^E:' "$work/apt.log" | head -1)"
for deb in "$work"/apt/cache/archives/*.deb; do
    dpkg -x "$deb" "$work/tree/root" || fail "cannot unpack $deb"
done

# Renaming makes the tree appear complete or not at all; a concurrent run may have won the race.
mv -T "$work/tree" "$target" 2>/dev/null || [ -d "$target" ] || fail "cannot move the tree to $target"
