/*
 * The private directory DIR/dtrace-provider-UID that holds the objects. They
 * are code this process runs, so only the user may change the directory: it
 * is mode 0700 and owned by the user, never reached through a symbolic link,
 * and its parent is owned by the user or root and not writable by others
 * unless it is sticky.
 *
 * While a process has objects in the directory it holds a shared flock on
 * it: systemd-tmpfiles --clean skips a directory that someone holds a BSD
 * lock on, so /tmp cleaners leave live objects alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

enum { ATTEMPTS = 8 }; /* makes of the directory, each removed by a cleaner at once, before giving up */

/*
 * Opens DIR/dtrace-provider-UID, creating it if missing, checks it and takes
 * a shared flock on it. systemd-tmpfiles removes an empty directory while it
 * holds an exclusive lock on it, so after locking, the name must still lead
 * to the locked directory; otherwise it was just removed and is made again.
 */
int dtp_private_dir_open(const char *dir, char *path, size_t path_len)
{
    int parent = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (parent < 0) {
        dtp_set_error("cannot open directory %s: %s", dir, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(parent, &st) != 0) {
        dtp_set_error("cannot read directory %s: %s", dir, strerror(errno));
        close(parent);
        return -1;
    }
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
        dtp_set_error("refusing directory %s: other users can write to it and it lacks the sticky bit", dir);
        close(parent);
        return -1;
    }
    /*
     * Its owner may rename dtrace-provider-UID away and put one of their own in
     * its place (even in a sticky directory: it is theirs), so, as OpenSSH
     * checks the directories above a key, it must be the user's or root's.
     */
    if (st.st_uid != geteuid() && st.st_uid != 0) {
        dtp_set_error("refusing directory %s: it must be owned by uid %lu or root (found uid %lu)", dir,
                      (unsigned long)geteuid(), (unsigned long)st.st_uid);
        close(parent);
        return -1;
    }
    char name[64];
    snprintf(name, sizeof name, "dtrace-provider-%lu", (unsigned long)geteuid());
    if ((size_t)snprintf(path, path_len, "%s/%s", dir, name) >= path_len - DTP_FILE_NAME_MAX) {
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
