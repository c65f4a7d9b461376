/*
 * The per-thread error message when the process has no pthread key left:
 * the library works on, and every failure says why its message is missing.
 * pthread_key_create is interposed so that the library's call (the only one
 * whose destructor is free) fails as it would once the keys run out.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "check.h"
#include "dtrace_provider.h"

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
    if (destructor == free)
        return EAGAIN;
    int (*real)(pthread_key_t *, void (*)(void *)) =
        (int (*)(pthread_key_t *, void (*)(void *)))dlsym(RTLD_NEXT, "pthread_key_create");
    return real(key, destructor);
}

static char parent[] = "/tmp/dtp-key-XXXXXX";

static void *failing_call(void *unused)
{
    (void)unused;
    CHECK(dtp_provider_create("", NULL) == NULL);
    CHECK(strstr(dtp_last_error(), "pthread_key_create failed") != NULL);
    return NULL;
}

static void without_a_key_failures_are_reported_and_the_rest_works(void)
{
    CHECK(dtp_provider_create("no good", NULL) == NULL);
    CHECK(strstr(dtp_last_error(), "no error message: pthread_key_create failed") != NULL);
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, failing_call, NULL) == 0 && pthread_join(thread, NULL) == 0);

    dtp_provider *p = dtp_provider_create("keytest", NULL);
    dtp_probe *a = dtp_probe_add(p, "a", 0, NULL);
    CHECK(p != NULL && a != NULL);
    CHECK(dtp_provider_enable(p, parent) == 0);
    CHECK(dtp_probe_object_path(a) != NULL);
    dtp_probe_fire(a, NULL);
    CHECK(dtp_provider_enable(p, "/nonexistent/dir") == 0); /* nothing new to load */
    CHECK(dtp_probe_add(p, "b", 0, NULL) != NULL);
    CHECK(dtp_provider_enable(p, "/nonexistent/dir") == -1);
    CHECK(strstr(dtp_last_error(), "pthread_key_create failed") != NULL);
    dtp_provider_destroy(p);
}

int main(void)
{
    make_temporary_dir(parent);
    RUN(without_a_key_failures_are_reported_and_the_rest_works);
    return SUMMARY();
}
