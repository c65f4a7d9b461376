/*
 * The object on disk and in memory. Tracers find probes through
 * /proc/PID/maps, so the object must be a real file that stays on disk while
 * it is mapped: it is written to a file of its own in the private directory
 * (private_dir.c), which this process claims there (process_lock.c), and
 * mapped from it (mapping.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

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

int dtp_object_create(const char *dir, const char *module, const struct dtp_elf *elf,
                      struct dtp_object *object)
{
    char dir_path[PATH_MAX], name[DTP_FILE_NAME_MAX];
    int dir_fd = dtp_private_dir_open(dir, dir_path, sizeof dir_path);
    if (dir_fd < 0)
        return -1;
    int fd = dtp_claim_file(dir_fd, dir_path, module, name, &object->dir);
    if (fd < 0)
        return -1;
    object->pid = getpid();
    if (snprintf(object->path, sizeof object->path, "%s/%s", dir_path, name) < 0)
        object->path[0] = '\0';
    object->file_name = strrchr(object->path, '/') + 1;

    if (write_all(fd, elf->bytes, elf->size) != 0) {
        dtp_set_error("cannot write %s: %s", object->path, strerror(errno));
    } else if (dtp_map(fd, elf, &object->mapping) == 0) {
        close(fd);
        return 0;
    }
    close(fd);
    dtp_object_remove(object);
    return -1;
}

void dtp_object_remove(struct dtp_object *object)
{
    if (object->mapping.base)
        dtp_unmap(&object->mapping);
    object->mapping.base = NULL;
    if (object->pid != getpid())
        return; /* inherited through fork(): the file is the parent's */
    dtp_release_file(object->dir, object->file_name);
    object->dir = NULL;
}
