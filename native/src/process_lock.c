/*
 * This process's claim on the private directories it has objects in: its
 * tag, its lock file in each, the object files it made there, and what exit
 * and fork() do to them. Longer than the other units because all of it is
 * state under one mutex, which the fork handlers hold across fork(): one file
 * keeps every use of that state in view.
 *
 * Pids do not tell whether an object's process is alive: containers sharing
 * the directory have their own pid namespaces (every JVM may be pid 1 and
 * cannot see the others). So each process picks a random tag, names its files
 * MODULE.PID.TAG.SEQ.so and holds an exclusive flock on TAG.lock in the same
 * directory while it has objects there; the kernel drops the lock when the
 * process dies, even by SIGKILL. When a process starts using a directory it
 * removes the files of tags whose lock it can take (sweep.c); a process that
 * exits normally removes its own, and a child of fork() lets go of its
 * parent's without touching them.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

enum { ATTEMPTS = 8 }; /* tries at making TAG.lock, each undone by a sweep of another process */

/* Guards everything below against concurrent enables of different providers, and against fork(). */
static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long sequence;
static char tag[DTP_TAG_LEN + 1];
/* The process that chose tag; 0 until then, and again in a child of fork(), which chooses its own. */
static pid_t tag_pid;

/* A private directory this process has objects in. */
struct dtp_dir {
    dev_t dev;
    ino_t ino;
    int fd;        /* the directory, with a shared flock on it; the only descriptor kept for it */
    int lock_fd;   /* TAG.lock there, locked exclusively */
    int users;     /* objects there */
    struct dtp_dir *next;
};
static struct dtp_dir *dirs;

/* This process's object files: a normal exit removes them. */
struct live_name {
    char name[DTP_FILE_NAME_MAX];
    struct dtp_dir *dir;
    struct live_name *next;
};
static struct live_name *live_names;

static void lock_name(char *buf, size_t len, const char *file_tag)
{
    snprintf(buf, len, "%s.lock", file_tag);
}

/*
 * The exit hook. It acts only in the process that created the files: a child
 * forked by some library that calls exit() must not remove its parent's.
 * The mappings stay: other threads may still fire while the process exits.
 */
static void remove_own_files(void)
{
    pthread_mutex_lock(&files_lock);
    if (tag_pid == getpid()) {
        for (struct live_name *l = live_names; l; l = l->next)
            unlinkat(l->dir->fd, l->name, 0);
        char own_lock[DTP_TAG_LEN + 8];
        lock_name(own_lock, sizeof own_lock, tag);
        for (struct dtp_dir *d = dirs; d; d = d->next)
            unlinkat(d->fd, own_lock, 0);
    }
    pthread_mutex_unlock(&files_lock);
}

/*
 * fork() without exec: the child shares the parent's open file descriptions,
 * and with them its locks. It closes its copies, which releases nothing while
 * the parent keeps its own, so that the parent's lock dies with the parent,
 * and it forgets the parent's files without touching them (its copies of the
 * objects still point to the freed directories, but never use them: see
 * dtp_object_remove). The handlers hold every mutex of the native core across
 * fork(), this file's and mapping.c's, so that the child's copies are free
 * (error.c has only a pthread_once and a thread-specific key, which the C
 * library keeps safe across fork).
 */
static void before_fork(void)
{
    pthread_mutex_lock(&files_lock);
    dtp_mapping_lock_for_fork();
}

static void after_fork_in_parent(void)
{
    dtp_mapping_unlock_after_fork();
    pthread_mutex_unlock(&files_lock);
}

static void forget_parent_files(void)
{
    while (dirs) {
        struct dtp_dir *d = dirs;
        dirs = d->next;
        close(d->fd);
        close(d->lock_fd);
        free(d);
    }
    while (live_names) {
        struct live_name *l = live_names;
        live_names = l->next;
        free(l);
    }
    tag_pid = 0;
}

static void after_fork_in_child(void)
{
    forget_parent_files();
    dtp_mapping_unlock_after_fork();
    pthread_mutex_unlock(&files_lock);
}

/*
 * glibc's pthread_atfork is a static stub (libc_nonshared.a) that calls
 * __register_atfork with the library's __dso_handle, so that dlclose drops
 * the handlers; musl has no __register_atfork but exports pthread_atfork.
 * Weak references take whichever the C library has, so the library loads on both.
 */
extern int __register_atfork(void (*)(void), void (*)(void), void (*)(void), void *) __attribute__((weak));
extern void *__dso_handle;
#pragma weak pthread_atfork

static void init_process(void)
{
    atexit(remove_own_files);
    if (__register_atfork)
        __register_atfork(before_fork, after_fork_in_parent, after_fork_in_child, __dso_handle);
    else if (pthread_atfork)
        pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child);
}

/* Chooses this process's tag once. Called with files_lock held. */
static void choose_tag(void)
{
    if (tag_pid == getpid())
        return;
    if (tag_pid != 0)
        forget_parent_files(); /* a child made without the fork handlers, e.g. by a raw clone() */
    uint64_t random;
    /* the system call, not glibc's getrandom(), which glibc before 2.25 lacks (glibc_compat.h) */
    if (syscall(SYS_getrandom, &random, sizeof random, 0) != (long)sizeof random)
        random = (uint64_t)time(NULL) * 6364136223846793005ull ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)&random;
    snprintf(tag, sizeof tag, "%016" PRIx64, random);
    tag_pid = getpid();
}

/*
 * Creates TAG.lock holding its exclusive lock. The lock is taken on TAG.tmp,
 * which is then renamed, so that TAG.lock is never seen unlocked. A scan may
 * remove TAG.tmp in the moment before it is locked (as a leftover of a killed
 * process): then the rename fails and the next attempt starts over.
 */
static int create_own_lock(int dir_fd)
{
    char temporary[DTP_TAG_LEN + 8], final[DTP_TAG_LEN + 8];
    snprintf(temporary, sizeof temporary, "%s.tmp", tag);
    lock_name(final, sizeof final, tag);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        int fd = openat(dir_fd, temporary, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0)
            return -1;
        if (flock(fd, LOCK_EX) == 0 && renameat(dir_fd, temporary, dir_fd, final) == 0)
            return fd;
        int error = errno;
        close(fd);
        if (error != ENOENT) {
            unlinkat(dir_fd, temporary, 0);
            errno = error;
            return -1;
        }
    }
    errno = EAGAIN;
    return -1;
}

/*
 * One more use of the directory open as dir_fd, which this takes over (it is
 * kept or closed). The first use takes this process's TAG.lock there and
 * removes what dead processes left; later ones share the descriptor and the
 * lock, so objects added later cost neither a descriptor nor a scan.
 * Called with files_lock held.
 */
static struct dtp_dir *hold_dir(int dir_fd, const char *path)
{
    struct stat st;
    if (fstat(dir_fd, &st) != 0) {
        dtp_set_error("cannot read directory %s: %s", path, strerror(errno));
        close(dir_fd);
        return NULL;
    }
    for (struct dtp_dir *d = dirs; d; d = d->next) {
        if (d->dev == st.st_dev && d->ino == st.st_ino) {
            close(dir_fd);
            d->users++;
            return d;
        }
    }
    struct dtp_dir *d = calloc(1, sizeof *d);
    int lock_fd = d ? create_own_lock(dir_fd) : -1;
    if (lock_fd < 0) {
        dtp_set_error("cannot create %s/%s.lock: %s", path, tag, d ? strerror(errno) : "out of memory");
        free(d);
        close(dir_fd);
        return NULL;
    }
    d->dev = st.st_dev;
    d->ino = st.st_ino;
    d->fd = dir_fd;
    d->lock_fd = lock_fd;
    d->users = 1;
    d->next = dirs;
    dirs = d;
    dtp_sweep_stale_files(dir_fd, tag);
    return d;
}

/* Gives back one use; the last one removes the lock file and closes the directory. Called with files_lock held. */
static void release_dir(struct dtp_dir *dir)
{
    if (--dir->users > 0)
        return;
    for (struct dtp_dir **d = &dirs; *d; d = &(*d)->next) {
        if (*d == dir) {
            *d = dir->next;
            break;
        }
    }
    char own_lock[DTP_TAG_LEN + 8];
    lock_name(own_lock, sizeof own_lock, tag);
    unlinkat(dir->fd, own_lock, 0);
    close(dir->lock_fd);
    close(dir->fd);
    free(dir);
}

/*
 * Creates the next object file exclusively. A name that exists was planted
 * (ours are unique): it is never opened or removed; the next name is tried.
 */
static int create_file(int dir_fd, const char *module, char *name, size_t len)
{
    for (int attempt = 0; attempt < 1000; attempt++) {
        snprintf(name, len, "%s.%ld.%s.%lu.so", module, (long)getpid(), tag, ++sequence);
        int fd = openat(dir_fd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    return -1;
}

int dtp_claim_file(int dir_fd, const char *dir_path, const char *module, char *name, struct dtp_dir **dir)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_process);
    struct live_name *live = calloc(1, sizeof *live);
    if (!live) {
        dtp_set_error("out of memory");
        close(dir_fd);
        return -1;
    }
    pthread_mutex_lock(&files_lock);
    choose_tag();
    int fd = -1;
    *dir = hold_dir(dir_fd, dir_path);
    if (*dir)
        fd = create_file((*dir)->fd, module, live->name, sizeof live->name);
    if (fd >= 0) {
        strcpy(name, live->name);
        live->dir = *dir;
        live->next = live_names;
        live_names = live;
    } else if (*dir) {
        dtp_set_error("cannot create %s/%s: %s", dir_path, live->name, strerror(errno));
        release_dir(*dir);
    }
    pthread_mutex_unlock(&files_lock);
    if (fd < 0)
        free(live);
    return fd;
}

void dtp_release_file(struct dtp_dir *dir, const char *name)
{
    pthread_mutex_lock(&files_lock);
    unlinkat(dir->fd, name, 0);
    for (struct live_name **l = &live_names; *l; l = &(*l)->next) {
        if ((*l)->dir == dir && strcmp((*l)->name, name) == 0) {
            struct live_name *gone = *l;
            *l = gone->next;
            free(gone);
            break;
        }
    }
    release_dir(dir);
    pthread_mutex_unlock(&files_lock);
}
