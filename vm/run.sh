#!/usr/bin/env bash
# Usage: vm/run.sh [--arch x86_64|aarch64] [--kernel SUITE] [--timeout SECONDS] [--memory MB] -- COMMAND [ARGS...]
#
# Boots Debian SUITE's own kernel for that architecture in qemu-system-*, runs COMMAND as root in the guest and exits
# with COMMAND's exit status; what COMMAND prints reaches this script's stdout and stderr while it runs.
#
# In the guest: this checkout at the same absolute path (read-write: COMMAND may build under target/), COMMAND started
# in the current directory when that lies inside the checkout (else at the checkout's root), /tmp on tmpfs, tracefs
# and debugfs mounted, and from the suite a JDK (JAVA_HOME), bpftrace, perf, and where the suite has them clang,
# libbpf-dev and SystemTap. The root file system is built once per suite and architecture (build-image.sh) and
# booted snapshot=on: nothing the guest writes outside the checkout survives it. The variable CI passes through.
#
# Defaults: the machine's architecture, Debian 12 (bookworm), 1800 s, 3072 MB. KVM is used when the guest has the
# machine's architecture and /dev/kvm boots a guest; otherwise QEMU emulates (TCG), which is much slower, with one host
# thread for all vCPUs of an x86-64 guest (DTP_VM_TCG_THREAD=multi gives each its own; see below why not by default).
# Exit status: COMMAND's; 125 when the guest could not run it (the reason is one line on stderr, the console's last
# lines follow); 124 when COMMAND did not finish within the timeout.
set -euo pipefail

usage() {
    echo "usage: vm/run.sh [--arch x86_64|aarch64] [--kernel SUITE] [--timeout SECONDS] [--memory MB] -- COMMAND [ARGS...]" >&2
    exit 2
}

arch=$(uname -m)
suite=bookworm
timeout_s=1800
memory_mb=3072
while [ $# -gt 0 ]; do
    case $1 in
        --arch) arch=${2:?}; shift 2 ;;
        --kernel) suite=${2:?}; shift 2 ;;
        --timeout) timeout_s=${2:?}; shift 2 ;;
        --memory) memory_mb=${2:?}; shift 2 ;;
        --) shift; break ;;
        *) usage ;;
    esac
done
[ $# -gt 0 ] || usage
[[ $timeout_s =~ ^[0-9]+$ && $memory_mb =~ ^[0-9]+$ ]] || usage

here=$(cd "$(dirname "$0")" && pwd)
checkout=$(cd "$here/.." && pwd)
guest="Debian $suite $arch guest"

fail() {
    echo "vm/run.sh: $*" >&2
    exit 125
}

case $arch in
    x86_64) qemu=qemu-system-x86_64; machine=(-machine q35); console=ttyS0 ;;
    aarch64) qemu=qemu-system-aarch64; machine=(-machine virt); console=ttyAMA0 ;;
    *) fail "unknown architecture '$arch' (x86_64 or aarch64)" ;;
esac
command -v "$qemu" >/dev/null || fail "$qemu is not installed (see CONTRIBUTING.md for the packages vm/ needs)"
image=$("$here/build-image.sh" "$arch" "$suite") || fail "no image for the $guest (build-image.sh said why above)"

# KVM where it works: /dev/kvm can exist where nested guests never boot (seen on a Firecracker VM), so a first
# boot of the kernel alone must reach its panic (no root given) quickly; the verdict is kept until the next reboot.
kvm_works() {
    [ "$arch" = "$(uname -m)" ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
    local verdict
    verdict=$(dirname "$image")/kvm-$(cat /proc/sys/kernel/random/boot_id)
    if [ ! -f "$verdict" ]; then
        local probe_console
        probe_console=$(mktemp)
        timeout 30 "$qemu" "${machine[@]}" -accel kvm -cpu host,-arch-capabilities -m 256 -nographic -no-reboot \
            -monitor none -serial "file:$probe_console" -kernel "$image/vmlinuz" -append "console=$console panic=-1" \
            </dev/null >/dev/null 2>&1 || true
        if grep -q 'Kernel panic' "$probe_console"; then
            echo yes >"$verdict"
        else
            echo "vm/run.sh: /dev/kvm does not boot a guest here; emulating (TCG)" >&2
            echo no >"$verdict"
        fi
        rm -f "$probe_console"
    fi
    [ "$(cat "$verdict")" = yes ]
}
if kvm_works; then
    accel=(-accel kvm -cpu host,-arch-capabilities)
else
    # An x86-64 guest's kernel patching its own code (static keys, as attaching a tracer flips) while the other
    # vCPU runs it crashed a 6.12 guest under multi-threaded TCG ("Fatal exception in interrupt" at a five-byte nop
    # in __schedule); one thread for every vCPU never did. aarch64 guests keep a thread per vCPU.
    [ "$arch" = x86_64 ] && threads=single || threads=multi
    accel=(-accel "tcg,thread=${DTP_VM_TCG_THREAD:-$threads}" -cpu max)
fi

run=$(mktemp -d /tmp/dtp-vm.XXXXXX)
qemu_pid=
cleanup() {
    [ -n "$qemu_pid" ] && kill -9 "$qemu_pid" 2>/dev/null
    rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cp "$here/guest/guest-init.sh" "$run/"
echo "$checkout" >"$run/checkout"
case $PWD/ in
    "$checkout"/*) echo "$PWD" >"$run/cwd" ;;
    *) echo "$checkout" >"$run/cwd" ;;
esac
printf '%q ' "$@" >"$run/command"
: >"$run/env"
[ -n "${CI:-}" ] && printf 'CI=%q\n' "$CI" >>"$run/env"
: >"$run/stdout"
: >"$run/stderr"

"$qemu" "${machine[@]}" "${accel[@]}" -smp "$(nproc)" -m "$memory_mb" \
    -nographic -no-reboot -monitor none -serial "file:$run/console.log" \
    -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
    -append "root=/dev/vda rw console=$console init=/sbin/dtp-init panic=-1 loglevel=4" \
    -drive "file=$image/root.img,if=virtio,format=raw,snapshot=on" \
    -virtfs "local,path=$run,mount_tag=run,security_model=passthrough,multidevs=remap" \
    -virtfs "local,path=$checkout,mount_tag=checkout,security_model=passthrough,multidevs=remap" \
    </dev/null >"$run/qemu.log" 2>&1 &
qemu_pid=$!

tail -n +1 -F --pid="$qemu_pid" "$run/stdout" 2>/dev/null &
tail -n +1 -F --pid="$qemu_pid" "$run/stderr" >&2 &

deadline=$((SECONDS + timeout_s))
while kill -0 "$qemu_pid" 2>/dev/null && [ ! -f "$run/status" ] && [ $SECONDS -lt $deadline ]; do
    sleep 1
done
timed_out=
if [ ! -f "$run/status" ] && kill -0 "$qemu_pid" 2>/dev/null; then
    timed_out=yes
    kill -9 "$qemu_pid" 2>/dev/null
fi
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=
wait  # the tails, which end with QEMU, after printing what is left

# The console of the last run of each guest is kept for a closer look.
mkdir -p "$here/target"
console_copy=$here/target/console-$arch-$suite.log
cat "$run/console.log" "$run/qemu.log" >"$console_copy" 2>/dev/null
console_tail() {
    echo "--- last lines of the $guest's console (all of it: $console_copy) ---" >&2
    tail -n 15 "$run/console.log" >&2 2>/dev/null
    tail -n 5 "$run/qemu.log" >&2 2>/dev/null
}
if [ -n "$timed_out" ]; then
    echo "vm/run.sh: '$*' did not finish within $timeout_s s in the $guest" >&2
    console_tail
    exit 124
fi
if [ ! -f "$run/status" ]; then
    if [ -f "$run/setup-error" ]; then
        echo "vm/run.sh: the $guest could not be set up: $(cat "$run/setup-error")" >&2
    else
        echo "vm/run.sh: the $guest stopped before '$*' finished (it did not boot, or it crashed)" >&2
    fi
    console_tail
    exit 125
fi
exit "$(cat "$run/status")"
