#!/usr/bin/env bash
# Usage: debian-sources.sh SUITE
#
# Prints apt sources (one-line format) for Debian suite SUITE, component main, built from this machine's own apt
# configuration: every enabled "deb" entry for the machine's own codename with component main (which leaves out
# -security, -updates and third-party repositories), with the suite swapped. So no mirror's host is ever written
# in this repository: packages come from wherever this machine already takes Debian from.
set -euo pipefail

fail() {
    echo "debian-sources.sh: $*" >&2
    exit 1
}

[ $# -eq 1 ] && [[ $1 =~ ^[a-z][a-z0-9-]*$ ]] || fail "usage: debian-sources.sh SUITE (e.g. bookworm, trixie)"
suite=$1
codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
[ -n "$codename" ] || fail "no VERSION_CODENAME in /etc/os-release"
command -v apt-config >/dev/null || fail "needs apt-config (a Debian system)"

eval "$(apt-config shell parts_dir Dir::Etc::sourceparts/d list_file Dir::Etc::sourcelist/f)"
found=$(
    shopt -s nullglob
    for sources in "$parts_dir"/*.sources; do
        # deb822: paragraphs of "Field: value" lines; a line that starts with a blank continues the field before.
        awk -v codename="$codename" -v suite="$suite" '
            function has(list, word,   n, i, words) {
                n = split(list, words, /[ \t]+/)
                for (i = 1; i <= n; i++) if (words[i] == word) return 1
                return 0
            }
            function flush(   i, n_uris, uris, options) {
                if (n && tolower(fields["enabled"]) != "no" && has(fields["types"], "deb") \
                        && has(fields["suites"], codename) && has(fields["components"], "main")) {
                    options = ""
                    if (fields["signed-by"] ~ /^\//) options = "[signed-by=" fields["signed-by"] "] "
                    n_uris = split(fields["uris"], uris, /[ \t]+/)
                    for (i = 1; i <= n_uris; i++) if (uris[i] != "") print "deb " options uris[i] " " suite " main"
                }
                n = 0
                delete fields
            }
            /^#/ { next }
            /^[ \t]*$/ { flush(); next }
            /^[ \t]/ { fields[key] = fields[key] " " $0; next }
            {
                n++
                key = tolower(substr($0, 1, index($0, ":") - 1))
                value = substr($0, index($0, ":") + 1)
                gsub(/^[ \t]+|[ \t]+$/, "", value)
                fields[key] = value
            }
            END { flush() }
        ' "$sources"
    done
    for list in "$list_file" "$parts_dir"/*.list; do
        [ -f "$list" ] || continue
        # one-line: deb [options] URI SUITE COMPONENT...; the options may hold blanks inside their brackets.
        awk -v codename="$codename" -v suite="$suite" '
            $1 != "deb" { next }
            {
                i = 2
                options = ""
                if ($2 ~ /^\[/) {
                    while (i <= NF && $i !~ /\]$/) options = options $(i++) " "
                    options = options $(i++) " "
                }
                uri = $(i++)
                if ($i != codename) next
                for (j = i + 1; j <= NF && $j !~ /^#/; j++)
                    if ($j == "main") { print "deb " options uri " " suite " main"; next }
            }
        ' "$list"
    done
)
[ -n "$found" ] || fail "no enabled Debian source for '$codename' with component main in $list_file or $parts_dir"
echo "$found"
