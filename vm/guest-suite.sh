#!/bin/bash
# The guest suite, run inside a guest: vm/run.sh --arch ARCH --kernel SUITE -- vm/guest-suite.sh [PART...]
# Needs the checkout built first (mvn -B install -DskipTests fills the class paths, target/lib). It runs each part
# in a JVM of its own (GuestSuite) and ends with their sum, "N passed, N failed, N skipped". The parts: tracers,
# zero-config (the default), and systemtap, by hand only: SystemTap is installed in the Debian 13 x86-64 guest, but
# neither Debian 12's nor Debian 13's builds its runtime against its suite's current kernel (CONTRIBUTING.md).
# CI=true: a tracer missing from the guest fails its test instead of skipping it.
set -u
cd "$(dirname "$0")/.."
suite=$PWD/vm/guest-suite/target
app=$PWD/test-apps/zero-config-app/target
for lib in "$suite/lib" "$app/lib"; do
    [ -d "$lib" ] || { echo "guest-suite.sh: $lib is missing: build the checkout first (mvn -B install -DskipTests)" >&2; exit 1; }
done
echo "guest: $(uname -r) $(uname -m), $(java -version 2>&1 | head -1), $(bpftrace --version), $(perf --version)"
launcher=$(ls "$suite"/lib/junit-platform-launcher-*.jar)

passed=0 failed=0 skipped=0
run_part() {
    local part=$1 class_path=$2 counts
    # The libbpf reader's sources are found from dtrace-core, as when Maven runs the tests.
    local printed=/tmp/guest-suite-$part.out
    (cd dtrace-core && CI=true java --enable-native-access=ALL-UNNAMED -cp "$class_path" \
        io.github.dtraceprovider.vm.GuestSuite "$part") | tee "$printed"
    counts=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$printed")
    if [ -z "$counts" ]; then
        echo "guest-suite.sh: the $part part ended without its counts" >&2
        failed=$((failed + 1))
        return
    fi
    read -r p _ f _ s _ <<<"${counts//,/}"
    passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
}
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(tracers zero-config)
for part in "${parts[@]}"; do
    case $part in
        zero-config) run_part zero-config "$app/classes:$app/test-classes:$app/lib/*:$suite/classes:$launcher" ;;
        *) run_part "$part" "$suite/classes:$suite/lib/*" ;;
    esac
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
