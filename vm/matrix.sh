#!/usr/bin/env bash
# Usage: vm/matrix.sh [ARCH:SUITE ...]
#
# Runs the guest suite (vm/guest-suite.sh) in every kernel guest of the matrix and ends with one line "N passed,
# N failed" over all of them. A guest that cannot be built, boot or finish the suite fails the matrix. Debian 11 is
# checked while Debian still serves it; once it does not, the matrix says so loudly and goes on with the other rows.
# It needs the checkout built first (mvn -B install -DskipTests). Images are built first, then the guests run two at
# a time (VM_JOBS): much of a guest's time is spent waiting on tracers and timers. Each guest's whole output goes to
# vm/target/matrix/ARCH-SUITE.log; its failing tests' lines are repeated here.
set -uo pipefail
cd "$(dirname "$0")/.."

rows=("$@")
[ ${#rows[@]} -gt 0 ] || rows=(aarch64:bookworm aarch64:trixie x86_64:bookworm x86_64:trixie x86_64:bullseye)
jobs=${VM_JOBS:-2}
logs=vm/target/matrix
rm -rf "$logs"
mkdir -p "$logs"
started=$SECONDS

# One row: its image, then the guest suite; the verdict goes to ARCH-SUITE.result as "STATE passed failed text".
run_row() {
    local arch=${1%%:*} suite=${1#*:}
    local log=$logs/$arch-$suite.log result=$logs/$arch-$suite.result row_started=$SECONDS
    if ! vm/build-image.sh "$arch" "$suite" >/dev/null 2>"$log"; then
        if [ "$suite" = bullseye ] && grep -q 'apt-get update' "$log"; then
            echo "unserved 0 0 not tested: Debian no longer serves bullseye ($(tail -1 "$log"))" >"$result"
        else
            echo "failed 0 1 no image: $(tail -1 "$log")" >"$result"
        fi
        return
    fi
    local image_seconds=$((SECONDS - row_started))
    vm/run.sh --arch "$arch" --kernel "$suite" --timeout 2700 -- vm/guest-suite.sh >"$log" 2>&1
    local status=$? counts
    counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    if [ -z "$counts" ]; then
        echo "failed 0 1 the suite did not finish (exit $status)" >"$result"
        return
    fi
    local passed failed
    read -r passed _ failed _ <<<"${counts//,/}"
    [ "$status" = 0 ] || [ "$failed" != 0 ] || failed=1
    echo "done $passed $failed $counts, exit $status, image $image_seconds s, suite $((SECONDS - row_started - image_seconds)) s" \
        >"$result"
}

running=0
for row in "${rows[@]}"; do
    echo "=== ${row/:/ }: started after $((SECONDS - started)) s"
    run_row "$row" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

passed=0
failed=0
echo "=== kernel matrix ($((SECONDS - started)) s)"
for row in "${rows[@]}"; do
    arch=${row%%:*}
    suite=${row#*:}
    read -r state row_passed row_failed text <"$logs/$arch-$suite.result"
    passed=$((passed + row_passed))
    failed=$((failed + row_failed))
    if [ "$state" = unserved ]; then
        rule=$(printf '=%.0s' {1..100})
        printf '%s\nNOT TESTED: Debian 11 (bullseye, kernel 5.10) on %s: %s\n%s\n' "$rule" "$arch" "$text" "$rule"
        continue
    fi
    echo "$arch $suite: $text"
    if [ "$row_failed" != 0 ]; then
        grep -E '^(guest:|FAILED)' "$logs/$arch-$suite.log"
        tail -n 20 "$logs/$arch-$suite.log"
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
