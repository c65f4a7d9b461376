/*
 * What one fire of a probe of the native core costs against one of a C probe compiled in with <sys/sdt.h>, in the
 * same process, untraced and then while a tracer is attached to both (vm/stub-cost.sh attaches bpftrace). Both take
 * one integer argument. Prints one line per measurement:
 *   untraced|traced  sdt_ns=...  stub_ns=...  ratio=stub/sdt
 * Traced, each fire is a uprobe hit: an int3 (x86-64) or brk (aarch64) trap, or on x86-64 from Linux 6.18 on a
 * call into the kernel's uprobe trampoline, which the stub's five-byte nop allows and sys/sdt.h's one-byte nop not.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/sdt.h>
#include <time.h>
#include <unistd.h>

#include "dtrace_provider.h"

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Best of five rounds of `fires` fires of each, in ns per fire. */
static void measure(const char *label, dtp_probe *probe, long fires)
{
    double best_sdt = 1e30, best_stub = 1e30;
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
    }
    printf("%s sdt_ns=%.1f stub_ns=%.1f ratio=%.2f\n", label, best_sdt, best_stub, best_stub / best_sdt);
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
