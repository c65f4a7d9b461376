/*
 * The object's file. Tracers find probes through /proc/PID/maps, so the object
 * must be a real file that stays on disk while it is mapped. It is code this
 * process runs, so it lives in a directory only the user can use:
 * DIR/dtrace-provider-UID, mode 0700, never reached through a symbolic link,
 * and each file is created exclusively, mode 0600, relative to that
 * directory's descriptor. File names are MODULE.PID.SEQUENCE.so; files whose
 * process is gone are removed when the next object is written, and a process
 * that exits normally removes its own.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Guards the sequence number and the scan for stale files against concurrent enables. */
static pthread_mutex_t files_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long sequence;

/* This process's live objects: a stale scan keeps them, exit removes them. */
struct live_name {
    char name[DTP_MAX_NAME + 48];
    int dir_fd;
    struct live_name *next;
};
static struct live_name *live_names;
static pthread_once_t exit_hook_once = PTHREAD_ONCE_INIT;

/* The mappings stay: other threads may still fire while the process exits. */
static void remove_live_files(void)
{
    pthread_mutex_lock(&files_lock);
    for (struct live_name *l = live_names; l; l = l->next)
        unlinkat(l->dir_fd, l->name, 0);
    pthread_mutex_unlock(&files_lock);
}

static void install_exit_hook(void)
{
    atexit(remove_live_files);
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
    if ((size_t)snprintf(path, path_len, "%s/%s", dir, name) >= path_len - DTP_MAX_NAME - 48) {
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

static int is_live(const char *name)
{
    for (struct live_name *l = live_names; l; l = l->next)
        if (strcmp(l->name, name) == 0)
            return 1;
    return 0;
}

/* Removes MODULE.PID.SEQ.so files of processes that are gone (or of an earlier process with our pid). */
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
        char module[DTP_MAX_NAME + 1];
        long pid;
        unsigned long seq;
        int end = 0;
        if (sscanf(e->d_name, "%64[A-Za-z0-9_].%ld.%lu.so%n", module, &pid, &seq, &end) != 3 ||
            e->d_name[end] != '\0' || pid <= 0)
            continue;
        int gone = pid == (long)getpid() ? !is_live(e->d_name) : kill((pid_t)pid, 0) != 0 && errno == ESRCH;
        if (gone)
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

/* Creates the file exclusively; a leftover of an earlier process with our pid is replaced. */
static int create_file(int dir_fd, const char *name)
{
    int flags = O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    int fd = openat(dir_fd, name, flags, 0600);
    if (fd < 0 && errno == EEXIST && unlinkat(dir_fd, name, 0) == 0)
        fd = openat(dir_fd, name, flags, 0600);
    return fd;
}

int dtp_object_create(const char *dir, const char *module, const struct dtp_elf *elf,
                      struct dtp_object *object)
{
    char dir_path[PATH_MAX];
    int dir_fd = open_private_dir(dir, dir_path, sizeof dir_path);
    if (dir_fd < 0)
        return -1;

    pthread_once(&exit_hook_once, install_exit_hook);
    struct live_name *live = calloc(1, sizeof *live);
    if (!live) {
        dtp_set_error("out of memory");
        close(dir_fd);
        return -1;
    }
    pthread_mutex_lock(&files_lock);
    remove_stale_files(dir_fd);
    snprintf(live->name, sizeof live->name, "%s.%ld.%lu.so", module, (long)getpid(), ++sequence);
    int fd = create_file(dir_fd, live->name);
    int error = errno;
    if (fd >= 0) {
        live->dir_fd = dir_fd;
        live->next = live_names;
        live_names = live;
    }
    pthread_mutex_unlock(&files_lock);

    if (snprintf(object->path, sizeof object->path, "%s/%s", dir_path, live->name) < 0)
        object->path[0] = '\0';
    object->file_name = strrchr(object->path, '/') + 1;
    object->dir_fd = dir_fd;
    if (fd < 0) {
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
    close(object->dir_fd);

    pthread_mutex_lock(&files_lock);
    for (struct live_name **l = &live_names; *l; l = &(*l)->next) {
        if (strcmp((*l)->name, object->file_name) == 0) {
            struct live_name *gone = *l;
            *l = gone->next;
            free(gone);
            break;
        }
    }
    pthread_mutex_unlock(&files_lock);
}
