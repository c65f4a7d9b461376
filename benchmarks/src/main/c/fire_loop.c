/*
 * The C side of the traced-fire comparison (BENCHMARKS.md row 2), twin of TracedFireLoop.java: the probe
 * bench:fire(int, int, char *, char *), fired in a loop behind its semaphore check, like the Java probe.
 * It waits until a tracer is attached, fires WARMUP times, then ROUNDS rounds of FIRES each, timing each round,
 * and prints the median round as "ns_per_fire N".
 *
 * run.sh compiles it four times:
 *   - plain: the probe compiled in with sys/sdt.h, inline in the loop, the baseline;
 *   - with -DIN_CALLED_FUNCTION: the same probe alone in a function the loop calls, which compiles to "nop; ret",
 *     the shape of any probe fired by a call: it tells what such a call costs when the nop traps;
 *   - with -DTHEN_A_CALL: the inline probe followed by a call to an empty function, which tells a call and return
 *     made after the trap (cheap) from a return to a call made before it (IN_CALLED_FUNCTION);
 *   - with -DVIA_NATIVE_CORE: the probe created at run time by libdtraceprovider and fired with dtp_probe_fire,
 *     which tells how much of the Java figure is the native core's and how much the JVM's.
 *
 * Usage: fire_loop FIRES ROUNDS WARMUP
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROUNDS 1000

static const char *const method = "GET";
static const char *const path = "/orders/42";

#ifdef VIA_NATIVE_CORE
#include "dtrace_provider.h"

static dtp_probe *probe;
static const volatile uint16_t *semaphore;

static int define_probe(void)
{
    static const dtp_arg_type types[] = {DTP_ARG_INT64, DTP_ARG_INT64, DTP_ARG_STRING, DTP_ARG_STRING};
    /* Where dtrace-core puts its objects when no system property says otherwise. */
    const char *dir = getenv("DTRACE_PROVIDER_DIR") ? getenv("DTRACE_PROVIDER_DIR") : "/tmp";
    dtp_provider *provider = dtp_provider_create("bench", NULL);
    probe = provider ? dtp_probe_add(provider, "fire", 4, types) : NULL;
    if (!probe || dtp_provider_enable(provider, dir) != 0) {
        fprintf(stderr, "cannot create the probe: %s\n", dtp_last_error());
        return -1;
    }
    semaphore = dtp_probe_semaphore(probe);
    return 0;
}

#define PROBE_ENABLED() __builtin_expect(*semaphore != 0, 0)

static void fire(long count)
{
    for (long i = 0; i < count; i++) {
        if (PROBE_ENABLED()) {
            uint64_t args[] = {(uint64_t)i, 200, (uint64_t)(uintptr_t)method, (uint64_t)(uintptr_t)path};
            dtp_probe_fire(probe, args);
        }
    }
}
#else
/* sys/sdt.h records the semaphore's address in the note only when asked to, and leaves defining it to the program
   (dtrace -h would generate it, and a PROVIDER_PROBE_ENABLED() macro that tests it: sys/sdt.h has none). */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

/* The kernel increments it while a tracer is attached. Volatile so that it is read on every fire, as in Java. */
__extension__ volatile unsigned short bench_fire_semaphore __attribute__((unused, section(".probes")));

static int define_probe(void)
{
    return 0;
}

#define PROBE_ENABLED() __builtin_expect(bench_fire_semaphore != 0, 0)

#ifdef IN_CALLED_FUNCTION
/* noipa: neither inlined nor specialised for the constant arguments, so that it stays "nop; ret" */
__attribute__((noipa)) static void fire_one(long id, long status, const char *method_, const char *path_)
{
    STAP_PROBE4(bench, fire, id, status, method_, path_);
}
#define FIRE_ONE(id) fire_one(id, 200L, method, path)
#elif defined(THEN_A_CALL)
__attribute__((noipa)) static void empty(void)
{
}
#define FIRE_ONE(id) do { STAP_PROBE4(bench, fire, id, 200L, method, path); empty(); } while (0)
#else
#define FIRE_ONE(id) STAP_PROBE4(bench, fire, id, 200L, method, path)
#endif

static void fire(long count)
{
    for (long i = 0; i < count; i++) {
        if (PROBE_ENABLED())
            FIRE_ONE(i);
    }
}
#endif

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s FIRES ROUNDS WARMUP\n", argv[0]);
        return 2;
    }
    long fires = atol(argv[1]), rounds = atol(argv[2]), warmup = atol(argv[3]);
    if (fires <= 0 || rounds <= 0 || rounds > MAX_ROUNDS || warmup < 0) {
        fprintf(stderr, "FIRES and ROUNDS must be positive (ROUNDS at most %d), WARMUP not negative\n", MAX_ROUNDS);
        return 2;
    }
    if (define_probe() != 0)
        return 1;
    printf("pid %ld waiting for a tracer\n", (long)getpid());
    fflush(stdout);
    const struct timespec pause = {0, 10 * 1000 * 1000};
    while (!PROBE_ENABLED())
        nanosleep(&pause, NULL);

    fire(warmup);
    double ns_per_fire[MAX_ROUNDS];
    for (long r = 0; r < rounds; r++) {
        uint64_t start = now_ns();
        fire(fires);
        ns_per_fire[r] = (double)(now_ns() - start) / (double)fires;
    }
    qsort(ns_per_fire, (size_t)rounds, sizeof ns_per_fire[0], by_value);
    printf("ns_per_fire %.1f\n", ns_per_fire[rounds / 2]);
    return 0;
}
