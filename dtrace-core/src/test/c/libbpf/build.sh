#!/bin/sh
# Builds the libbpf USDT reader: the loader usdt_reader and the BPF program usdt_reader.bpf.o, which the loader finds
# beside itself. Needs clang, gcc and libbpf-dev (libbpf 0.8 or later, for usdt.bpf.h).
# Usage: dtrace-core/src/test/c/libbpf/build.sh [OUTDIR]    (default: dtrace-core/target/libbpf)
# LibbpfTracingTest builds the reader with this script, so that the flags live here only.
set -eu
src=$(cd "$(dirname "$0")" && pwd)
out=${1:-$src/../../../../target/libbpf}
case $(uname -m) in
x86_64) arch=x86 ;;
aarch64) arch=arm64 ;;
*) echo "build.sh: no libbpf USDT support for $(uname -m)" >&2; exit 1 ;;
esac
mkdir -p "$out"
# __TARGET_ARCH_* tells usdt.bpf.h how this architecture's registers are laid out in struct pt_regs. Without
# vmlinux.h, struct pt_regs comes from the user-space <asm/ptrace.h>, which lives in the multiarch include directory
# that clang -target bpf does not search by itself ("'asm/types.h' file not found").
clang -O2 -g -target bpf -D__TARGET_ARCH_$arch -I/usr/include/"$(uname -m)"-linux-gnu -Wall -Werror \
	-c "$src/usdt_reader.bpf.c" -o "$out/usdt_reader.bpf.o"
gcc -O2 -Wall -Wextra -Werror "$src/usdt_reader.c" -lbpf -o "$out/usdt_reader"
echo "$(cd "$out" && pwd)/usdt_reader"
