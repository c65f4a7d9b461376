/*
 * What one fire of a probe of the native core costs against one of a C probe compiled in with <sys/sdt.h>, in the
 * same process, untraced and then while a tracer is attached to both (vm/stub-cost.sh attaches bpftrace). Both take
 * one integer argument. Prints one line per measurement:
 *   untraced|traced  sdt_ns=...  stub_ns=...  ratio=stub/sdt
 * Traced, each fire is a uprobe hit: an int3 (x86-64) or brk (aarch64) trap, or on x86-64 from Linux 6.18 on a
 * call into the kernel's uprobe trampoline, which the stub's five-byte nop allows and sys/sdt.h's one-byte nop not.
 *
 * On x86-64 it also times two bare functions that vm/stub-cost.sh traces with plain uprobes at their entry, to tell
 * the kernel's two ways of stepping over a probed instruction apart on any kernel: `nop1` (0x90, which the kernel
 * emulates) and `nop4` (a four-byte nop, which it executes out of line, single-stepped in a page of its own):
 *   traced  ... nop1_ns=...  nop4_ns=...
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sdt.h>
#include <time.h>
#include <unistd.h>

#include "dtrace_provider.h"

#if defined(__x86_64__)
void nop1(void);
void nop4(void);
__asm__(".text\n.globl nop1\n.type nop1, @function\nnop1:\n nop\n ret\n.size nop1, . - nop1\n"
        ".globl nop4\n.type nop4, @function\nnop4:\n .byte 0x0f, 0x1f, 0x40, 0x00\n ret\n.size nop4, . - nop4\n");
#endif

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Best of five rounds of `fires` fires of each, in ns per fire. */
static void measure(const char *label, dtp_probe *probe, long fires)
{
    double best_sdt = 1e30, best_stub = 1e30, best_nop1 = 1e30, best_nop4 = 1e30;
    for (int round = 0; round < 5; round++) {
        double start = now_ns();
        for (long i = 0; i < fires; i++)
            DTRACE_PROBE1(stubcost, sdt, i);
        double sdt = (now_ns() - start) / fires;
        start = now_ns();
        for (long i = 0; i < fires; i++) {
            uint64_t args[1] = {(uint64_t)i};
            dtp_probe_fire(probe, args);
        }
        double stub = (now_ns() - start) / fires;
        best_sdt = sdt < best_sdt ? sdt : best_sdt;
        best_stub = stub < best_stub ? stub : best_stub;
#if defined(__x86_64__)
        start = now_ns();
        for (long i = 0; i < fires; i++)
            nop1();
        double one = (now_ns() - start) / fires;
        start = now_ns();
        for (long i = 0; i < fires; i++)
            nop4();
        double four = (now_ns() - start) / fires;
        best_nop1 = one < best_nop1 ? one : best_nop1;
        best_nop4 = four < best_nop4 ? four : best_nop4;
#endif
    }
    printf("%s sdt_ns=%.1f stub_ns=%.1f ratio=%.2f", label, best_sdt, best_stub, best_stub / best_sdt);
    if (best_nop1 < 1e30)
        printf(" nop1_ns=%.1f nop4_ns=%.1f", best_nop1, best_nop4);
    printf("\n");
    fflush(stdout);
}

int main(int argc, char **argv)
{
    long untraced_fires = argc > 1 ? atol(argv[1]) : 10000000;
    long traced_fires = argc > 2 ? atol(argv[2]) : 20000;
    dtp_arg_type types[1] = {DTP_ARG_INT64};
    dtp_provider *provider = dtp_provider_create("stubcost", NULL);
    dtp_probe *probe = provider ? dtp_probe_add(provider, "stub", 1, types) : NULL;
    if (!probe || dtp_provider_enable(provider, "/tmp") != 0) {
        fprintf(stderr, "stub_cost: %s\n", dtp_last_error());
        return 1;
    }
    measure("untraced", probe, untraced_fires);
    printf("waiting pid=%ld\n", (long)getpid());
    fflush(stdout);
    /* The semaphore turns non-zero once the tracer is attached to the stub. */
    while (*dtp_probe_semaphore(probe) == 0)
        usleep(10000);
    sleep(1);
    measure("traced", probe, traced_fires);
    dtp_provider_destroy(provider);
    return 0;
}
