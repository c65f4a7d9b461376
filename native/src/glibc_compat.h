/*
 * Keeps the shipped library loadable by every glibc since 2.17, though it is built against a newer one.
 *
 * JVMs run on older glibc than the build machine's Debian 12 (2.36): Debian 11 and Ubuntu 20.04 have 2.31, RHEL 8
 * 2.28, Amazon Linux 2 2.26. A symbol linked against glibc carries the version it had there, and an older glibc
 * refuses to load a library that names a version it does not know: the JVM then ran with inert providers on Debian
 * 11 (vm/matrix.sh found it). glibc 2.34 moved the pthread functions into libc under the version GLIBC_2.34, and 2.33
 * first exported fstat and fstatat (before, <sys/stat.h> turned them into calls of __fxstat and __fxstatat). These
 * directives bind each to the version every glibc since 2.17 exports, which newer ones keep for compatibility;
 * `make check-glibc` fails when the library names anything newer. musl has no symbol versions: nothing to do.
 */
#ifndef DTP_GLIBC_COMPAT_H
#define DTP_GLIBC_COMPAT_H

/* A static program (make bench) links libc.a, which holds the current versions only. */
#if defined(__GLIBC__) && !defined(DTP_STATIC)
#include <sys/stat.h>

#if defined(__x86_64__)
#define DTP_GLIBC_BASE "GLIBC_2.2.5"
#define DTP_GLIBC_FXSTATAT "GLIBC_2.4"
#define DTP_STAT_VER 1 /* _STAT_VER_LINUX: struct stat as the kernel's */
#elif defined(__aarch64__)
#define DTP_GLIBC_BASE "GLIBC_2.17"
#define DTP_GLIBC_FXSTATAT "GLIBC_2.17"
#define DTP_STAT_VER 0
#endif

#ifdef DTP_GLIBC_BASE
__asm__(".symver pthread_once, pthread_once@" DTP_GLIBC_BASE);
__asm__(".symver pthread_key_create, pthread_key_create@" DTP_GLIBC_BASE);
__asm__(".symver pthread_getspecific, pthread_getspecific@" DTP_GLIBC_BASE);
__asm__(".symver pthread_setspecific, pthread_setspecific@" DTP_GLIBC_BASE);
__asm__(".symver __fxstat, __fxstat@" DTP_GLIBC_BASE);
__asm__(".symver __fxstatat, __fxstatat@" DTP_GLIBC_FXSTATAT);
int __fxstat(int version, int fd, struct stat *st);
int __fxstatat(int version, int dir_fd, const char *path, struct stat *st, int flags);
#define fstat(fd, st) __fxstat(DTP_STAT_VER, (fd), (st))
#define fstatat(dir_fd, path, st, flags) __fxstatat(DTP_STAT_VER, (dir_fd), (path), (st), (flags))
#endif
#endif

#endif
