/*
 * Maps an object file segment by segment, the way the dynamic loader would,
 * but keeps control of the address range afterwards. Java code reads probe
 * semaphores straight from memory without a lock, so an address handed out
 * must never become unmapped: on unload the range is replaced in one step by
 * zero pages (a stale read sees "not traced") and kept for the next object.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

struct retired_range {
    uint8_t *base;
    size_t size;
    struct retired_range *next;
};

static pthread_mutex_t retired_lock = PTHREAD_MUTEX_INITIALIZER;
static struct retired_range *retired;

/*
 * fork() while another thread holds retired_lock would leave the child's copy
 * locked for good, and the child's first enable would hang in
 * take_retired_range: process_lock.c's fork handlers hold it across fork(),
 * after files_lock. retired_lock is a leaf: no path takes files_lock while
 * holding it (dtp_object_create claims the file, then maps;
 * dtp_object_remove unmaps, then releases the file).
 */
void dtp_mapping_lock_for_fork(void)
{
    pthread_mutex_lock(&retired_lock);
}

void dtp_mapping_unlock_after_fork(void)
{
    pthread_mutex_unlock(&retired_lock);
}

static uint8_t *take_retired_range(size_t size, size_t *reserved)
{
    pthread_mutex_lock(&retired_lock);
    uint8_t *base = NULL;
    for (struct retired_range **r = &retired; *r; r = &(*r)->next) {
        if ((*r)->size >= size) {
            struct retired_range *found = *r;
            *r = found->next;
            base = found->base;
            *reserved = found->size;
            free(found);
            break;
        }
    }
    pthread_mutex_unlock(&retired_lock);
    return base;
}

static void retire_range(uint8_t *base, size_t size)
{
    /* MAP_FIXED replaces the old pages atomically: readers never see a hole. */
    if (mmap(base, size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
        return; /* the old mapping stays: still readable, only not reused */
    struct retired_range *r = malloc(sizeof *r);
    if (!r)
        return; /* the zero pages stay mapped, just not reused */
    r->base = base;
    r->size = size;
    pthread_mutex_lock(&retired_lock);
    r->next = retired;
    retired = r;
    pthread_mutex_unlock(&retired_lock);
}

int dtp_map(int fd, const struct dtp_elf *elf, uint8_t **base_out, size_t *reserved_out)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t data_end = (elf->data_offset + elf->data_size + page - 1) / page * page;
    size_t reserved = 0;
    uint8_t *base = take_retired_range(data_end, &reserved);
    if (!base) {
        reserved = data_end;
        base = mmap(NULL, reserved, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base == MAP_FAILED) {
            dtp_set_error("cannot reserve %zu bytes of address space: %s", reserved, strerror(errno));
            return -1;
        }
    }
    if (mmap(base, elf->text_size, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
        int error = errno;
        retire_range(base, reserved);
        dtp_set_error(error == EPERM || error == EACCES
                          ? "cannot map the object executable (%s): its file system may be mounted noexec"
                          : "cannot map the object's code: %s",
                      strerror(error));
        return -1;
    }
    if (mmap(base + elf->data_offset, data_end - elf->data_offset, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_FIXED, fd, (off_t)elf->data_offset) == MAP_FAILED) {
        int error = errno;
        retire_range(base, reserved);
        dtp_set_error("cannot map the object's data: %s", strerror(error));
        return -1;
    }
    *base_out = base;
    *reserved_out = reserved;
    return 0;
}

void dtp_unmap(uint8_t *base, size_t reserved)
{
    retire_range(base, reserved);
}
