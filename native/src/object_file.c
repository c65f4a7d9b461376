/*
 * The object's file. Tracers find probes through /proc/PID/maps, so the object
 * must be a real file that stays on disk while it is mapped. It is code this
 * process runs, so it lives in a directory only the user can use:
 * DIR/dtrace-provider-UID, mode 0700, never reached through a symbolic link,
 * and each file is created exclusively, mode 0600, relative to that
 * directory's descriptor.
 *
 * Pids do not tell whether an object's process is alive: containers sharing
 * the directory have their own pid namespaces (every JVM may be pid 1 and
 * cannot see the others). So each process picks a random tag, names its files
 * MODULE.PID.TAG.SEQ.so and holds an exclusive flock on TAG.lock in the same
 * directory while it has objects there; the kernel drops the lock when the
 * process dies, even by SIGKILL. When a process starts using a directory it
 * removes the files of tags whose lock it can take; a process that exits
 * normally removes its own.
 *
 * While a process has objects in the directory it also holds a shared flock
 * on the directory itself: systemd-tmpfiles --clean skips a directory that
 * someone holds a BSD lock on, so /tmp cleaners leave live objects alone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

enum { TAG_LEN = 16, FILE_NAME_MAX = DTP_MAX_NAME + 64, ATTEMPTS = 8 };

/* Guards everything below against concurrent enables of different providers, and against fork(). */
static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long sequence;
static char tag[TAG_LEN + 1];
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
    char name[FILE_NAME_MAX];
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
        char own_lock[TAG_LEN + 8];
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
 * dtp_object_remove).
 */
static void before_fork(void)
{
    pthread_mutex_lock(&files_lock);
}

static void after_fork_in_parent(void)
{
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
    if (getrandom(&random, sizeof random, 0) != (ssize_t)sizeof random)
        random = (uint64_t)time(NULL) * 6364136223846793005ull ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)&random;
    snprintf(tag, sizeof tag, "%016" PRIx64, random);
    tag_pid = getpid();
}

/*
 * Opens DIR/dtrace-provider-UID, creating it if missing, checks it and takes
 * a shared flock on it. systemd-tmpfiles removes an empty directory while it
 * holds an exclusive lock on it, so after locking, the name must still lead
 * to the locked directory; otherwise it was just removed and is made again.
 */
static int open_private_dir(const char *dir, char *path, size_t path_len)
{
    int parent = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (parent < 0) {
        dtp_set_error("cannot open directory %s: %s", dir, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(parent, &st) == 0 && (st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
        dtp_set_error("refusing directory %s: other users can write to it and it lacks the sticky bit", dir);
        close(parent);
        return -1;
    }
    char name[64];
    snprintf(name, sizeof name, "dtrace-provider-%lu", (unsigned long)geteuid());
    if ((size_t)snprintf(path, path_len, "%s/%s", dir, name) >= path_len - FILE_NAME_MAX) {
        dtp_set_error("directory path too long: %.200s", dir);
        close(parent);
        return -1;
    }
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        if (mkdirat(parent, name, 0700) != 0 && errno != EEXIST) {
            dtp_set_error("cannot create directory %s: %s", path, strerror(errno));
            break;
        }
        int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ENOENT) {
            dtp_set_error("cannot open directory %s: it is removed as soon as it is made", path);
            continue;
        }
        if (fd < 0) {
            dtp_set_error(errno == ELOOP || errno == ENOTDIR
                              ? "refusing %s: it is a symbolic link or not a directory"
                              : "cannot open directory %s: %s",
                          path, strerror(errno));
            break;
        }
        if (fstat(fd, &st) != 0 || st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
            dtp_set_error("refusing directory %s: it must be owned by uid %lu with mode 0700 (found uid %lu, mode %03o)",
                          path, (unsigned long)geteuid(), (unsigned long)st.st_uid,
                          (unsigned)(st.st_mode & 0777));
            close(fd);
            break;
        }
        struct stat named;
        errno = 0;
        if (flock(fd, LOCK_SH) == 0 && fstatat(parent, name, &named, AT_SYMLINK_NOFOLLOW) == 0 &&
            named.st_dev == st.st_dev && named.st_ino == st.st_ino) {
            close(parent);
            return fd;
        }
        dtp_set_error("cannot lock directory %s: %s", path, errno ? strerror(errno) : "it was just removed");
        close(fd);
    }
    close(parent);
    return -1;
}

/*
 * Creates TAG.lock holding its exclusive lock. The lock is taken on TAG.tmp,
 * which is then renamed, so that TAG.lock is never seen unlocked. A scan may
 * remove TAG.tmp in the moment before it is locked (as a leftover of a killed
 * process): then the rename fails and the next attempt starts over.
 */
static int create_own_lock(int dir_fd)
{
    char temporary[TAG_LEN + 8], final[TAG_LEN + 8];
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

/* What a file in the directory is, by its name, and the tag of its process. */
enum file_kind { NOT_OURS, OBJECT, LOCK, TEMPORARY };

static enum file_kind file_kind(const char *name, char *file_tag)
{
    char module[DTP_MAX_NAME + 1];
    long pid;
    unsigned long seq;
    int end = 0;
    if (sscanf(name, "%64[A-Za-z0-9_].%ld.%16[0-9a-f].%lu.so%n", module, &pid, file_tag, &seq, &end) == 4 &&
        name[end] == '\0')
        return OBJECT;
    end = 0;
    if (sscanf(name, "%16[0-9a-f].lock%n", file_tag, &end) == 1 && name[end] == '\0')
        return LOCK;
    end = 0;
    if (sscanf(name, "%16[0-9a-f].tmp%n", file_tag, &end) == 1 && name[end] == '\0')
        return TEMPORARY;
    return NOT_OURS;
}

/*
 * Takes the exclusive lock of the file `name` and checks that the name still
 * leads to the locked file (same device and inode, links not followed). A
 * process unlinks its lock file before it lets go of the lock, so a verified
 * lock means its owner is gone, and while the descriptor stays open nobody
 * can take it. Returns the descriptor, or -1: owner alive, name changed.
 */
static int take_verified_lock(int dir_fd, const char *name)
{
    int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat held, named;
    if (flock(fd, LOCK_EX | LOCK_NB) != 0 || fstat(fd, &held) != 0 || !S_ISREG(held.st_mode) ||
        fstatat(dir_fd, name, &named, AT_SYMLINK_NOFOLLOW) != 0 ||
        held.st_dev != named.st_dev || held.st_ino != named.st_ino) {
        close(fd);
        return -1;
    }
    return fd;
}

struct entry {
    char name[FILE_NAME_MAX];
    char tag[TAG_LEN + 1];
    enum file_kind kind;
};

/* The files of other processes in the directory, or NULL (count 0) if there are none or it cannot be read. */
static struct entry *other_processes_files(int dir_fd, size_t *count)
{
    *count = 0;
    int fd = dup(dir_fd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    struct entry *entries = NULL;
    size_t capacity = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        struct entry found;
        if (strlen(e->d_name) >= sizeof found.name)
            continue;
        found.kind = file_kind(e->d_name, found.tag);
        if (found.kind == NOT_OURS || strcmp(found.tag, tag) == 0)
            continue;
        if (*count == capacity) {
            size_t more = capacity ? 2 * capacity : 16;
            struct entry *grown = realloc(entries, more * sizeof *grown);
            if (!grown)
                break;
            entries = grown;
            capacity = more;
        }
        strcpy(found.name, e->d_name);
        entries[(*count)++] = found;
    }
    closedir(d);
    return entries;
}

/*
 * Removes what processes that are gone left: their objects and TAG.lock,
 * only while holding the verified lock of that TAG.lock, and a TAG.tmp left
 * by a kill between creating and renaming it, only while holding its own
 * verified lock. An object whose tag has no lock file is left alone: a dead
 * process never leaves one (it removes its objects before its lock), so its
 * lock file was removed by someone else and its process may be alive.
 */
static void remove_stale_files(int dir_fd)
{
    size_t count;
    struct entry *entries = other_processes_files(dir_fd, &count);
    for (size_t i = 0; i < count; i++) {
        if (entries[i].kind != LOCK)
            continue;
        int held = take_verified_lock(dir_fd, entries[i].name);
        if (held < 0)
            continue;
        for (size_t j = 0; j < count; j++)
            if (entries[j].kind != LOCK && strcmp(entries[j].tag, entries[i].tag) == 0)
                unlinkat(dir_fd, entries[j].name, 0);
        unlinkat(dir_fd, entries[i].name, 0);
        close(held);
    }
    for (size_t i = 0; i < count; i++) {
        if (entries[i].kind != TEMPORARY)
            continue;
        int held = take_verified_lock(dir_fd, entries[i].name);
        if (held >= 0) {
            unlinkat(dir_fd, entries[i].name, 0);
            close(held);
        }
    }
    free(entries);
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
    remove_stale_files(dir_fd);
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
    char own_lock[TAG_LEN + 8];
    lock_name(own_lock, sizeof own_lock, tag);
    unlinkat(dir->fd, own_lock, 0);
    close(dir->lock_fd);
    close(dir->fd);
    free(dir);
}

static int write_all(int fd, const uint8_t *bytes, size_t size)
{
    while (size > 0) {
        ssize_t n = write(fd, bytes, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        bytes += n;
        size -= (size_t)n;
    }
    return 0;
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

int dtp_object_create(const char *dir, const char *module, const struct dtp_elf *elf,
                      struct dtp_object *object)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, init_process);
    char dir_path[PATH_MAX];
    int dir_fd = open_private_dir(dir, dir_path, sizeof dir_path);
    if (dir_fd < 0)
        return -1;

    struct live_name *live = calloc(1, sizeof *live);
    if (!live) {
        dtp_set_error("out of memory");
        close(dir_fd);
        return -1;
    }
    pthread_mutex_lock(&files_lock);
    choose_tag();
    int fd = -1, error = 0;
    object->dir = hold_dir(dir_fd, dir_path);
    if (object->dir) {
        fd = create_file(object->dir->fd, module, live->name, sizeof live->name);
        error = errno;
        if (fd >= 0) {
            live->dir = object->dir;
            live->next = live_names;
            live_names = live;
        } else {
            release_dir(object->dir);
        }
    }
    pthread_mutex_unlock(&files_lock);

    object->pid = getpid();
    if (snprintf(object->path, sizeof object->path, "%s/%s", dir_path, live->name) < 0)
        object->path[0] = '\0';
    object->file_name = strrchr(object->path, '/') + 1;
    if (fd < 0) {
        if (error)
            dtp_set_error("cannot create %s: %s", object->path, strerror(error));
        free(live);
        return -1;
    }
    if (write_all(fd, elf->bytes, elf->size) != 0) {
        dtp_set_error("cannot write %s: %s", object->path, strerror(errno));
    } else if (dtp_map(fd, elf, &object->base, &object->reserved) == 0) {
        close(fd);
        return 0;
    }
    close(fd);
    dtp_object_remove(object);
    return -1;
}

void dtp_object_remove(struct dtp_object *object)
{
    if (object->base)
        dtp_unmap(object->base, object->reserved);
    object->base = NULL;
    if (object->pid != getpid())
        return; /* inherited through fork(): the file is the parent's */

    pthread_mutex_lock(&files_lock);
    unlinkat(object->dir->fd, object->file_name, 0);
    for (struct live_name **l = &live_names; *l; l = &(*l)->next) {
        if ((*l)->dir == object->dir && strcmp((*l)->name, object->file_name) == 0) {
            struct live_name *gone = *l;
            *l = gone->next;
            free(gone);
            break;
        }
    }
    release_dir(object->dir);
    object->dir = NULL;
    pthread_mutex_unlock(&files_lock);
}
