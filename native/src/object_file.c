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
 * process dies, even by SIGKILL. Files whose tag's lock can be taken belong to
 * a dead process and are removed when the next object is written; a process
 * that exits normally removes its own.
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

enum { TAG_LEN = 16, FILE_NAME_MAX = DTP_MAX_NAME + 64 };

/* Guards everything below against concurrent enables of different providers. */
static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long sequence;
static char tag[TAG_LEN + 1];

/* This process's live objects: exit removes them. */
struct live_name {
    char name[FILE_NAME_MAX];
    int dir_fd;
    struct live_name *next;
};
static struct live_name *live_names;

/* Directories where this process holds its TAG.lock: lock_fd keeps the lock while objects there use it. */
struct dtp_dir_lock {
    dev_t dev;
    ino_t ino;
    int dir_fd;
    int lock_fd;
    int users;
    struct dtp_dir_lock *next;
};
static struct dtp_dir_lock *held_locks;

/* The mappings stay: other threads may still fire while the process exits. */
static void remove_own_files(void)
{
    pthread_mutex_lock(&files_lock);
    for (struct live_name *l = live_names; l; l = l->next)
        unlinkat(l->dir_fd, l->name, 0);
    char lock_name[TAG_LEN + 8];
    snprintf(lock_name, sizeof lock_name, "%s.lock", tag);
    for (struct dtp_dir_lock *h = held_locks; h; h = h->next)
        unlinkat(h->dir_fd, lock_name, 0);
    pthread_mutex_unlock(&files_lock);
}

static void init_process(void)
{
    uint64_t random;
    if (getrandom(&random, sizeof random, 0) != (ssize_t)sizeof random)
        random = (uint64_t)time(NULL) * 6364136223846793005ull ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)&random;
    snprintf(tag, sizeof tag, "%016" PRIx64, random);
    atexit(remove_own_files);
}

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
    if (mkdirat(parent, name, 0700) != 0 && errno != EEXIST) {
        dtp_set_error("cannot create directory %s: %s", path, strerror(errno));
        close(parent);
        return -1;
    }
    int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int error = errno;
    close(parent);
    if (fd < 0) {
        dtp_set_error(error == ELOOP || error == ENOTDIR
                          ? "refusing %s: it is a symbolic link or not a directory"
                          : "cannot open directory %s: %s",
                      path, strerror(error));
        return -1;
    }
    if (fstat(fd, &st) != 0 || st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
        dtp_set_error("refusing directory %s: it must be owned by uid %lu with mode 0700 (found uid %lu, mode %03o)",
                      path, (unsigned long)geteuid(), (unsigned long)st.st_uid,
                      (unsigned)(st.st_mode & 0777));
        close(fd);
        return -1;
    }
    return fd;
}

/*
 * Takes this process's TAG.lock in the directory, or one more use of it. The
 * lock is taken on a temporary name and then renamed, so a scan never sees
 * TAG.lock unlocked. Called with files_lock held.
 */
static struct dtp_dir_lock *hold_lock(int dir_fd, const char *path)
{
    struct stat st;
    if (fstat(dir_fd, &st) != 0) {
        dtp_set_error("cannot read directory %s: %s", path, strerror(errno));
        return NULL;
    }
    for (struct dtp_dir_lock *h = held_locks; h; h = h->next) {
        if (h->dev == st.st_dev && h->ino == st.st_ino) {
            h->users++;
            return h;
        }
    }
    char temporary[TAG_LEN + 8], final[TAG_LEN + 8];
    snprintf(temporary, sizeof temporary, "%s.tmp", tag);
    snprintf(final, sizeof final, "%s.lock", tag);
    struct dtp_dir_lock *h = calloc(1, sizeof *h);
    int lock_fd = openat(dir_fd, temporary, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    int held_dir = fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
    if (!h || lock_fd < 0 || held_dir < 0 || flock(lock_fd, LOCK_EX) != 0 ||
        renameat(dir_fd, temporary, dir_fd, final) != 0) {
        dtp_set_error("cannot create %s/%s: %s", path, final, strerror(errno));
        if (lock_fd >= 0) {
            unlinkat(dir_fd, temporary, 0);
            close(lock_fd);
        }
        if (held_dir >= 0)
            close(held_dir);
        free(h);
        return NULL;
    }
    h->dev = st.st_dev;
    h->ino = st.st_ino;
    h->dir_fd = held_dir;
    h->lock_fd = lock_fd;
    h->users = 1;
    h->next = held_locks;
    held_locks = h;
    return h;
}

/* Gives back one use; the last one removes the lock file, so the directory is not held open. */
static void release_lock(struct dtp_dir_lock *lock)
{
    if (!lock || --lock->users > 0)
        return;
    for (struct dtp_dir_lock **h = &held_locks; *h; h = &(*h)->next) {
        if (*h == lock) {
            *h = lock->next;
            break;
        }
    }
    char lock_name[TAG_LEN + 8];
    snprintf(lock_name, sizeof lock_name, "%s.lock", tag);
    unlinkat(lock->dir_fd, lock_name, 0);
    close(lock->lock_fd);
    close(lock->dir_fd);
    free(lock);
}

/* 1 if the process that owns other_tag is gone: no lock file, or its lock can be taken. */
static int owner_is_gone(int dir_fd, const char *other_tag)
{
    char lock_name[TAG_LEN + 8];
    snprintf(lock_name, sizeof lock_name, "%s.lock", other_tag);
    int fd = openat(dir_fd, lock_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT;
    int gone = flock(fd, LOCK_EX | LOCK_NB) == 0;
    close(fd);
    return gone;
}

/* Removes the objects and lock files of processes that are gone. */
static void remove_stale_files(int dir_fd)
{
    int fd = dup(dir_fd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char module[DTP_MAX_NAME + 1], other_tag[TAG_LEN + 1];
        long pid;
        unsigned long seq;
        int end = 0;
        int object = sscanf(e->d_name, "%64[A-Za-z0-9_].%ld.%16[0-9a-f].%lu.so%n", module, &pid, other_tag,
                            &seq, &end) == 4 && e->d_name[end] == '\0';
        int lock = !object && sscanf(e->d_name, "%16[0-9a-f].lock%n", other_tag, &end) == 1 &&
                   e->d_name[end] == '\0';
        if ((object || lock) && strcmp(other_tag, tag) != 0 && owner_is_gone(dir_fd, other_tag))
            unlinkat(dir_fd, e->d_name, 0);
    }
    closedir(d);
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
    int fd = -1, error = 0;
    object->lock = hold_lock(dir_fd, dir_path);
    if (object->lock) {
        remove_stale_files(dir_fd);
        fd = create_file(dir_fd, module, live->name, sizeof live->name);
        error = errno;
        if (fd >= 0) {
            live->dir_fd = dir_fd;
            live->next = live_names;
            live_names = live;
        } else {
            release_lock(object->lock);
        }
    }
    pthread_mutex_unlock(&files_lock);

    object->dir_fd = dir_fd;
    if (snprintf(object->path, sizeof object->path, "%s/%s", dir_path, live->name) < 0)
        object->path[0] = '\0';
    object->file_name = strrchr(object->path, '/') + 1;
    if (fd < 0) {
        if (error)
            dtp_set_error("cannot create %s: %s", object->path, strerror(error));
        free(live);
        close(dir_fd);
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
    unlinkat(object->dir_fd, object->file_name, 0);

    pthread_mutex_lock(&files_lock);
    for (struct live_name **l = &live_names; *l; l = &(*l)->next) {
        if (strcmp((*l)->name, object->file_name) == 0) {
            struct live_name *gone = *l;
            *l = gone->next;
            free(gone);
            break;
        }
    }
    release_lock(object->lock);
    object->lock = NULL;
    pthread_mutex_unlock(&files_lock);
    close(object->dir_fd);
}
