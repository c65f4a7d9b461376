/*
 * Removes what processes that no longer exist left in a private directory.
 * Pids cannot tell (see process_lock.c): a process is gone when the lock
 * file of its tag can be locked. The file names say whose each file is:
 * MODULE.PID.TAG.SEQ.so, TAG.lock, TAG.tmp. Only an object left without its
 * lock file is judged by its pid (see dtp_sweep_stale_files).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* What a file in the directory is, by its name, and the tag of its process. */
enum file_kind { NOT_OURS, OBJECT, LOCK, TEMPORARY };

static enum file_kind file_kind(const char *name, char *file_tag, long *pid)
{
    char module[DTP_MAX_NAME + 1];
    unsigned long seq;
    int end = 0;
    *pid = 0;
    if (sscanf(name, "%64[A-Za-z0-9_].%ld.%16[0-9a-f].%lu.so%n", module, pid, file_tag, &seq, &end) == 4 &&
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
    long pid; /* an object's, from its name */
};

/*
 * The files of other processes in the directory, or NULL (count 0) if there are none or it cannot be read.
 * *complete is 0 if some could not be listed.
 */
static struct entry *other_processes_files(int dir_fd, const char *own_tag, size_t *count, int *complete)
{
    *count = 0;
    *complete = 0;
    int fd = dup(dir_fd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    /* the descriptor is shared with dir_fd: read from the start whatever read it before */
    rewinddir(d);
    struct entry *entries = NULL;
    size_t capacity = 0;
    struct dirent *e;
    *complete = 1;
    while ((e = readdir(d)) != NULL) {
        struct entry found;
        if (strlen(e->d_name) >= sizeof found.name)
            continue;
        found.kind = file_kind(e->d_name, found.tag, &found.pid);
        if (found.kind == NOT_OURS || strcmp(found.tag, own_tag) == 0)
            continue;
        if (*count == capacity) {
            size_t more = capacity ? 2 * capacity : 16;
            struct entry *grown = realloc(entries, more * sizeof *grown);
            if (!grown) {
                *complete = 0;
                break;
            }
            entries = grown;
            capacity = more;
        }
        strcpy(found.name, e->d_name);
        entries[(*count)++] = found;
    }
    closedir(d);
    return entries;
}

/* Dead processes' lock files at most held at once, each an open descriptor. */
enum { HELD_MAX = 32 };

/*
 * Removes the objects of the tags whose lock files are held (verified, so
 * their processes are gone and nothing of theirs can appear any more), then
 * those lock files. The objects are those of a listing made now, while the
 * locks are held, not of the listing that found the locks: a process may have
 * made another object after that listing and died before the lock was taken,
 * and that object must go before its lock does. If this listing is not
 * complete, the lock files stay (unlocked) for a later sweep.
 */
static void remove_dead(int dir_fd, const char *own_tag, const struct entry *locks, const size_t *lock_entries,
                        const int *held, size_t count)
{
    size_t listed;
    int complete;
    struct entry *now = other_processes_files(dir_fd, own_tag, &listed, &complete);
    for (size_t j = 0; j < listed; j++) {
        if (now[j].kind != OBJECT)
            continue;
        for (size_t h = 0; h < count; h++)
            if (strcmp(now[j].tag, locks[lock_entries[h]].tag) == 0)
                unlinkat(dir_fd, now[j].name, 0);
    }
    free(now);
    for (size_t h = 0; h < count; h++) {
        if (complete)
            unlinkat(dir_fd, locks[lock_entries[h]].name, 0);
        close(held[h]);
    }
}

/* 1 if /proc/PID/maps could be read whole and none of its mappings is the file named name. */
static int maps_lack(long pid, const char *name)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/maps", pid);
    FILE *maps = fopen(path, "re");
    if (!maps)
        return 0;
    size_t name_len = strlen(name);
    char *line = NULL;
    size_t capacity = 0;
    ssize_t len;
    int found = 0;
    while (!found && (len = getline(&line, &capacity, maps)) > 0) {
        /* the path is the last field: ".../NAME", maybe followed by " (deleted)" */
        for (char *at = strstr(line, name); at && !found; at = strstr(at + 1, name))
            found = at > line && at[-1] == '/' && (at[name_len] == '\n' || at[name_len] == ' ' || at[name_len] == '\0');
    }
    int read_whole = !ferror(maps);
    free(line);
    fclose(maps);
    return read_whole && !found;
}

/*
 * Whether an object that has no lock file belongs to no live process. The
 * file names the pid of its maker, as seen in the maker's PID namespace.
 * Its process is gone if no process has that pid here, or if the process
 * with that pid does not map the object (the pid was reused, or it is
 * another namespace's). What is unsure stays: /proc/PID/maps that cannot
 * be read (another user's, hidepid), an invalid pid.
 */
static int owner_gone(const struct entry *object)
{
    if (object->pid <= 0 || object->pid > INT_MAX)
        return 0;
    if (kill((pid_t)object->pid, 0) != 0 && errno == ESRCH)
        return 1;
    return maps_lack(object->pid, object->name);
}

/*
 * Removes what processes that are gone left: their objects and TAG.lock,
 * only while holding the verified lock of that TAG.lock, and a TAG.tmp left
 * by a kill between creating and renaming it, only while holding its own
 * verified lock.
 *
 * Then objects without a lock file, which an older version left (it removed
 * a dead process's lock without the objects its listing had missed), or
 * which remain of a lock file someone else removed. Why one is never a live
 * process's object in use:
 * - A process makes TAG.lock (by renaming the locked TAG.tmp) before its
 *   first object in a directory, and removes its objects before TAG.lock, on
 *   disable and at exit; a sweep removes them in that order too. So while an
 *   object exists, its lock file exists, unless someone other than this
 *   library removed it. Readdir is not a snapshot, though: a listing may see
 *   an object made while it ran and miss the lock made just before it. So
 *   the lock file is looked up again after the listing: if it exists, the
 *   object stays (its lock decides at a later sweep). If it does not, it was
 *   removed since the object was listed, so the object was removed too
 *   (names are never reused: the unlink below finds nothing), or a third
 *   party removed the lock.
 * - A process between making TAG.tmp and renaming it has no object of that
 *   tag there yet, and neither has one that has let go of the directory and
 *   takes it again: its objects of before are gone, its next have new names.
 * - Only after a third party removed a live process's lock file is the
 *   object of a live process lockless. Then owner_gone keeps it if the
 *   process is seen alive and mapping it. A process of another PID namespace
 *   that maps it, or one between creating the file and mapping it (or
 *   between unmapping and removing it) is not seen: its object loses its name,
 *   while its mapping stays valid; a lock file removed by someone else has
 *   already cost that process its protection.
 */
void dtp_sweep_stale_files(int dir_fd, const char *own_tag)
{
    size_t count;
    int complete;
    struct entry *entries = other_processes_files(dir_fd, own_tag, &count, &complete);
    size_t lock_entries[HELD_MAX];
    int held[HELD_MAX];
    size_t holding = 0;
    for (size_t i = 0; i < count; i++) {
        if (entries[i].kind != LOCK)
            continue;
        int fd = take_verified_lock(dir_fd, entries[i].name);
        if (fd < 0)
            continue;
        lock_entries[holding] = i;
        held[holding++] = fd;
        if (holding == HELD_MAX) {
            remove_dead(dir_fd, own_tag, entries, lock_entries, held, holding);
            holding = 0;
        }
    }
    if (holding > 0)
        remove_dead(dir_fd, own_tag, entries, lock_entries, held, holding);
    for (size_t i = 0; i < count; i++) {
        if (entries[i].kind != TEMPORARY)
            continue;
        int fd = take_verified_lock(dir_fd, entries[i].name);
        if (fd >= 0) {
            unlinkat(dir_fd, entries[i].name, 0);
            close(fd);
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (entries[i].kind != OBJECT)
            continue;
        char lock[DTP_TAG_LEN + 8];
        snprintf(lock, sizeof lock, "%s.lock", entries[i].tag);
        struct stat st;
        if (fstatat(dir_fd, lock, &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT)
            continue;
        if (fstatat(dir_fd, entries[i].name, &st, AT_SYMLINK_NOFOLLOW) != 0)
            continue; /* gone already, e.g. with its dead lock above */
        if (owner_gone(&entries[i]))
            unlinkat(dir_fd, entries[i].name, 0);
    }
    free(entries);
}
