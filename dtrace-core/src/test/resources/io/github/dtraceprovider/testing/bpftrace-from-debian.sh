#!/usr/bin/env bash
# Usage: bpftrace-from-debian.sh SUITE   (e.g. trixie, sid)
#
# Fetches the bpftrace of another Debian suite without touching this machine's packages, and prints the path
# of a wrapper that runs it. debian-unpack.sh (vm/, which the test-jar carries beside this script) unpacks it with
# every library it needs from this machine's own Debian mirror; the binary runs on the libc it came with, through
# that libc's dynamic loader. The unpacked tree is cached: a second run is instant.
# Delete ${XDG_CACHE_HOME:-$HOME/.cache}/dtrace-provider-tests/bpftrace-SUITE to fetch a newer one.
set -euo pipefail

fail() {
    echo "bpftrace-from-debian.sh: $*" >&2
    exit 1
}

[ $# -eq 1 ] && [[ $1 =~ ^[a-z][a-z0-9-]*$ ]] || fail "usage: bpftrace-from-debian.sh SUITE (e.g. trixie, sid)"
suite=$1
target=${XDG_CACHE_HOME:-${HOME:?neither XDG_CACHE_HOME nor HOME is set}/.cache}/dtrace-provider-tests/bpftrace-$suite
if [ -x "$target/bpftrace" ]; then
    echo "$target/bpftrace"
    exit 0
fi
[ "$(dpkg --print-architecture)" = amd64 ] || fail "only amd64 is supported, this is $(dpkg --print-architecture)"

"$(dirname "$0")/debian-unpack.sh" "$suite" "$target" bpftrace || fail "cannot unpack the bpftrace of '$suite'"
lib=usr/lib/x86_64-linux-gnu
[ -x "$target/root/usr/bin/bpftrace" ] && [ -e "$target/root/$lib/ld-linux-x86-64.so.2" ] \
    || fail "the packages of suite '$suite' hold no usr/bin/bpftrace or no $lib/ld-linux-x86-64.so.2"

# The wrapper finds the tree next to itself; it is renamed into place, so it is there whole or not at all.
cat >"$target/.bpftrace.$$" <<WRAPPER
#!/bin/sh
root=\$(dirname "\$(readlink -f "\$0")")/root
exec "\$root/$lib/ld-linux-x86-64.so.2" --library-path "\$root/$lib" "\$root/usr/bin/bpftrace" "\$@"
WRAPPER
chmod +x "$target/.bpftrace.$$"
"$target/.bpftrace.$$" --version >/dev/null 2>&1 || fail "the bpftrace of suite '$suite' does not run: \
$("$target/.bpftrace.$$" --version 2>&1 | head -1)"
mv -f "$target/.bpftrace.$$" "$target/bpftrace"
echo "$target/bpftrace"
