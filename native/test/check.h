/* A minimal test harness: CHECK records a failure and goes on; main prints a summary line. */
#ifndef DTP_CHECK_H
#define DTP_CHECK_H

#include <stdio.h>
#include <stdlib.h>

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

#define SUMMARY()                                                                      \
    (printf("%s: %d passed, %d failed\n", __FILE__, tests_run - tests_failed, tests_failed), \
     tests_failed ? EXIT_FAILURE : EXIT_SUCCESS)

#endif
