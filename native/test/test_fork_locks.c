/*
 * fork() while another thread holds a lock of the library: the child must
 * still enable a provider. fork() copies a held mutex as held, by a thread
 * the child does not have, unless the library's fork handlers hold every
 * lock of its own across fork().
 *
 * pthread_mutex_lock is interposed (the library reaches it through the
 * dynamic linker, or directly when compiled into the sanitizer build): the
 * test learns which mutexes an enable and a disable take, then, for each, has
 * a helper thread, which enables and disables in a loop, stop while holding
 * it, forks exactly then, and lets the helper go on when fork() returns or
 * when the forking thread itself asks for that mutex (its fork handler).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "dtrace_provider.h"

static char dir[] = "/tmp/dtp-fork-locks-XXXXXX";

static int (*real_lock)(pthread_mutex_t *);
static pthread_t main_thread, helper_thread;

/* The distinct mutexes the main thread locks while recording. */
static atomic_int recording;
static pthread_mutex_t *recorded[8];
static int recorded_count;

/* The race: the mutex the helper stops in, and the handshake. */
static pthread_mutex_t *target;
static atomic_int armed;        /* the helper's next lock of target stops it */
static atomic_int helper_holds; /* it holds target and waits for release */
static atomic_int release;
static atomic_int stop;

static void pause_briefly(void)
{
    struct timespec ms = {0, 1000000};
    nanosleep(&ms, NULL);
}

int pthread_mutex_lock(pthread_mutex_t *mutex)
{
    int is_main = pthread_equal(pthread_self(), main_thread);
    if (is_main && atomic_load(&recording)) {
        int known = 0;
        for (int i = 0; i < recorded_count; i++)
            known |= recorded[i] == mutex;
        if (!known && recorded_count < 8)
            recorded[recorded_count++] = mutex;
    }
    /* the forking thread's handler waits for the mutex the helper holds: let the helper go on */
    if (is_main && mutex == target && atomic_load(&helper_holds))
        atomic_store(&release, 1);
    int result = real_lock(mutex);
    if (!is_main && mutex == target && atomic_exchange(&armed, 0)) {
        atomic_store(&helper_holds, 1);
        for (int i = 0; i < 10000 && !atomic_load(&release); i++)
            pause_briefly();
        atomic_store(&helper_holds, 0);
    }
    return result;
}

static void *enable_disable_loop(void *unused)
{
    (void)unused;
    dtp_provider *p = dtp_provider_create("forkhelper", NULL);
    dtp_probe_add(p, "a", 0, NULL);
    while (!atomic_load(&stop)) {
        if (dtp_provider_enable(p, dir) == 0)
            dtp_provider_disable(p);
    }
    dtp_provider_destroy(p);
    return NULL;
}

/* The child enables a provider; 0 if it did within 5 seconds. */
static int child_enables_in_time(pid_t child)
{
    int status;
    for (int i = 0; i < 5000; i++) {
        pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child)
            return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
        pause_briefly();
    }
    kill(child, SIGKILL);
    waitpid(child, &status, 0);
    fprintf(stderr, "  the child did not enable within 5 s: it hangs on a lock fork() copied as held\n");
    return -1;
}

/* Forks while the helper holds mutex; the child must enable. */
static void fork_while_the_helper_holds(pthread_mutex_t *mutex)
{
    target = mutex;
    atomic_store(&release, 0);
    atomic_store(&stop, 0);
    atomic_store(&armed, 1);
    CHECK(pthread_create(&helper_thread, NULL, enable_disable_loop, NULL) == 0);
    int waited = 0;
    while (!atomic_load(&helper_holds) && waited++ < 5000)
        pause_briefly();
    CHECK(atomic_load(&helper_holds));
    fflush(NULL);
    pid_t child = fork();
    if (child == 0) {
        target = NULL;
        dtp_provider *p = dtp_provider_create("forkchild", NULL);
        dtp_probe_add(p, "a", 0, NULL);
        int result = dtp_provider_enable(p, dir);
        dtp_provider_destroy(p);
        _exit(result == 0 ? 0 : 1);
    }
    atomic_store(&release, 1);
    CHECK(child > 0 && child_enables_in_time(child) == 0);
    atomic_store(&stop, 1);
    pthread_join(helper_thread, NULL);
    target = NULL;
}

static void a_child_forked_while_a_lock_is_held_enables(void)
{
    /* The locks an enable and a disable take: this library's own (malloc's and libc's are taken inside libc). */
    dtp_provider *p = dtp_provider_create("forkrecord", NULL);
    dtp_probe_add(p, "a", 0, NULL);
    atomic_store(&recording, 1);
    CHECK(dtp_provider_enable(p, dir) == 0);
    dtp_provider_disable(p);
    atomic_store(&recording, 0);
    dtp_provider_destroy(p);
    CHECK(recorded_count >= 2); /* the files' lock and the address ranges' lock */
    for (int i = 0; i < recorded_count; i++)
        fork_while_the_helper_holds(recorded[i]);
}

int main(void)
{
    main_thread = pthread_self();
    real_lock = (int (*)(pthread_mutex_t *))dlsym(RTLD_NEXT, "pthread_mutex_lock");
    if (!real_lock) {
        fprintf(stderr, "no pthread_mutex_lock to wrap\n");
        return EXIT_FAILURE;
    }
    make_temporary_dir(dir);
    RUN(a_child_forked_while_a_lock_is_held_enables);
    return SUMMARY();
}
