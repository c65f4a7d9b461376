/*
 * Removes what processes that no longer exist left in a private directory.
 * Pids cannot tell (see process_lock.c): a process is gone when the lock
 * file of its tag can be locked. The file names say whose each file is:
 * MODULE.PID.TAG.SEQ.so, TAG.lock, TAG.tmp.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

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
    char name[DTP_FILE_NAME_MAX];
    char tag[DTP_TAG_LEN + 1];
    enum file_kind kind;
};

/* The files of other processes in the directory, or NULL (count 0) if there are none or it cannot be read. */
static struct entry *other_processes_files(int dir_fd, const char *own_tag, size_t *count)
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
        if (found.kind == NOT_OURS || strcmp(found.tag, own_tag) == 0)
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
void dtp_sweep_stale_files(int dir_fd, const char *own_tag)
{
    size_t count;
    struct entry *entries = other_processes_files(dir_fd, own_tag, &count);
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
