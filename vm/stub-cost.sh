#!/bin/bash
# What a traced fire of the native core's stub costs against a C probe from <sys/sdt.h>, in the running kernel:
#   vm/run.sh --arch ARCH --kernel SUITE -- vm/stub-cost.sh
# Needs `make -C native bench` first (static binaries, so they run on any suite's libc). Prints the benchmark's two
# lines (untraced, then traced while bpftrace counts every fire of both probes) and bpftrace's counts.
set -eu
cd "$(dirname "$0")/.."
bench=native/target/bench/stub_cost-$(uname -m)
[ -x "$bench" ] || { echo "stub-cost.sh: $bench is missing: run make -C native bench first" >&2; exit 1; }
out=$(mktemp)
"$bench" 2000000 20000 >"$out" &
bench_pid=$!
until grep -q '^waiting' "$out"; do sleep 0.2; done
bpftrace -p "$bench_pid" -e 'usdt::stubcost:sdt, usdt::stubcost:stub { @fires[probe] = count(); }' &
tracer=$!
wait "$bench_pid"
kill -INT "$tracer"
wait "$tracer" || true
echo "kernel $(uname -r) $(uname -m)"
grep -v '^waiting' "$out"
