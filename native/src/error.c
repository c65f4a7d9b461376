/*
 * The per-thread error message behind dtp_last_error(). A pthread key rather
 * than _Thread_local: TLS in a dlopen'ed library needs __tls_get_addr from
 * glibc's dynamic loader, which would make the library unloadable on musl.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum { ERROR_SIZE = 512 };

static pthread_key_t error_key;
static pthread_once_t error_key_once = PTHREAD_ONCE_INIT;
/*
 * Empty while the key exists. If the process has run out of keys, messages
 * cannot be kept: every failure then reports this instead (a key that was
 * never created must not be used: it may be another library's).
 */
static char key_problem[128];

static void create_error_key(void)
{
    int error = pthread_key_create(&error_key, free);
    if (error != 0)
        snprintf(key_problem, sizeof key_problem, "no error message: pthread_key_create failed: %s",
                 strerror(error));
}

/* The calling thread's buffer, or NULL if there is no key or it cannot be allocated. */
static char *error_buffer(void)
{
    pthread_once(&error_key_once, create_error_key);
    if (key_problem[0])
        return NULL;
    char *buffer = pthread_getspecific(error_key);
    if (!buffer && (buffer = calloc(1, ERROR_SIZE)) != NULL && pthread_setspecific(error_key, buffer) != 0) {
        free(buffer);
        buffer = NULL;
    }
    return buffer;
}

void dtp_set_error(const char *format, ...)
{
    char *buffer = error_buffer();
    if (!buffer)
        return;
    va_list args;
    va_start(args, format);
    vsnprintf(buffer, ERROR_SIZE, format, args);
    va_end(args);
}

const char *dtp_last_error(void)
{
    const char *buffer = error_buffer();
    return buffer ? buffer : key_problem[0] ? key_problem : "no error message: out of memory";
}
