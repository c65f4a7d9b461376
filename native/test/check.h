/* A minimal test harness: CHECK records a failure and goes on; main prints a summary line. */
#ifndef DTP_CHECK_H
#define DTP_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int checks_failed;
static int tests_run, tests_failed;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
            checks_failed++;                                                         \
        }                                                                            \
    } while (0)

#define RUN(test)                                          \
    do {                                                   \
        int before = checks_failed;                        \
        test();                                            \
        tests_run++;                                       \
        if (checks_failed != before)                       \
            tests_failed++;                                \
        printf("%s %s\n", checks_failed == before ? "ok  " : "FAIL", #test); \
    } while (0)

/*
 * Directories to delete at exit, after the library's own exit hook has removed its lock files;
 * only by the process that asked: a forked child that calls exit() leaves them to its parent.
 */
static char cleanup_paths[8][256];
static int cleanup_count;
static pid_t cleanup_pid;

static void cleanup_at_exit(void)
{
    if (getpid() != cleanup_pid)
        return;
    for (int i = 0; i < cleanup_count; i++) {
        char command[300];
        if (snprintf(command, sizeof command, "rm -rf '%s'", cleanup_paths[i]) >= (int)sizeof command ||
            system(command) != 0)
            fprintf(stderr, "could not remove %s\n", cleanup_paths[i]);
    }
}

/* Call before the first enable: exit hooks run in reverse order of registration. Unused by unit tests. */
__attribute__((unused)) static void remove_at_exit(const char *path)
{
    if (cleanup_count == 0) {
        cleanup_pid = getpid();
        atexit(cleanup_at_exit);
    }
    if (cleanup_count < 8)
        if (snprintf(cleanup_paths[cleanup_count], sizeof cleanup_paths[0], "%s", path) < (int)sizeof cleanup_paths[0])
            cleanup_count++;
}

/* Makes the directory template names (mkdtemp) and removes it at exit; a test program cannot go on without it. */
__attribute__((unused)) static void make_temporary_dir(char *template)
{
    if (!mkdtemp(template)) {
        perror("mkdtemp");
        exit(EXIT_FAILURE);
    }
    remove_at_exit(template);
}

/* The private directory the library makes in parent for this user. */
__attribute__((unused)) static void private_dir_in(const char *parent, char *path, size_t len)
{
    snprintf(path, len, "%s/dtrace-provider-%lu", parent, (unsigned long)geteuid());
}

#define SUMMARY()                                                                      \
    (printf("%s: %d passed, %d failed\n", __FILE__, tests_run - tests_failed, tests_failed), \
     tests_failed ? EXIT_FAILURE : EXIT_SUCCESS)

#endif
