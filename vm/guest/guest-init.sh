#!/bin/sh
# The guest's setup and the command, run by dtp-init (PID 1) from the run's share /run/dtp, which vm/run.sh fills:
#   checkout  the checkout's absolute path on the host, mounted at the same path here (share "checkout")
#   cwd       where the command starts
#   command   the command, quoted for bash
#   env       NAME=VALUE lines exported to the command
# The command's stdout and stderr go to files of the share, which run.sh streams while the guest runs; its exit
# status goes to /run/dtp/status last, so a status file means the command ran to its end.
set -u
fail() {
    echo "guest-init: $*" >&2
    echo "guest-init: $*" >/run/dtp/setup-error
    exit 1
}

mount -t tmpfs -o mode=1777 tmpfs /tmp || fail "cannot mount /tmp"
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tracefs tracefs /sys/kernel/tracing || fail "cannot mount tracefs"
mount -t debugfs debugfs /sys/kernel/debug || fail "cannot mount debugfs"
hostname dtp-guest
ip link set lo up || fail "cannot bring up the loopback interface"

checkout=$(cat /run/dtp/checkout)
mkdir -p "$checkout"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288,cache=loose checkout "$checkout" \
    || fail "cannot mount the checkout at $checkout"

cd "$(cat /run/dtp/cwd)" || fail "cannot enter $(cat /run/dtp/cwd)"
export HOME=/root LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
java_home=$(find /usr/lib/jvm -mindepth 1 -maxdepth 1 -type d -name 'java-*' | sort | head -1)
[ -n "$java_home" ] && export JAVA_HOME="$java_home"
set -a
. /run/dtp/env
set +a
# Appending: a program that opens /dev/stdout or /dev/stderr again (tee does) must not truncate what is there.
bash -c "$(cat /run/dtp/command)" </dev/null >>/run/dtp/stdout 2>>/run/dtp/stderr
echo $? >/run/dtp/status.tmp
mv /run/dtp/status.tmp /run/dtp/status
