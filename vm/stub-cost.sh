#!/bin/bash
# What a traced fire of the native core's stub costs against a C probe from <sys/sdt.h>, in the running kernel:
#   vm/run.sh --arch ARCH --kernel SUITE -- vm/stub-cost.sh
# Needs `make -C native bench` first (static binaries, so they run on any suite's libc). Prints the benchmark's two
# lines (untraced, then traced while bpftrace counts every fire of both probes, and on x86-64 of the bare nop1 and
# nop4 functions) and bpftrace's counts.
set -eu
cd "$(dirname "$0")/.."
bench=native/target/bench/stub_cost-$(uname -m)
[ -x "$bench" ] || { echo "stub-cost.sh: $bench is missing: run make -C native bench first" >&2; exit 1; }
out=$(mktemp)
"$bench" 2000000 20000 >"$out" &
bench_pid=$!
until grep -q '^waiting' "$out"; do sleep 0.2; done
program='usdt::stubcost:sdt, usdt::stubcost:stub { @fires[probe] = count(); }'
[ "$(uname -m)" = x86_64 ] && program+=" uprobe:$PWD/$bench:nop1, uprobe:$PWD/$bench:nop4 { @fires[probe] = count(); }"
bpftrace -p "$bench_pid" -e "$program" &
tracer=$!
# A tracer that fails to attach must not leave the benchmark waiting for it.
while kill -0 "$bench_pid" 2>/dev/null; do
    kill -0 "$tracer" 2>/dev/null || { kill "$bench_pid"; echo "stub-cost.sh: bpftrace exited" >&2; exit 1; }
    sleep 1
done
kill -INT "$tracer"
wait "$tracer" || true
echo "kernel $(uname -r) $(uname -m)"
grep -v '^waiting' "$out"
