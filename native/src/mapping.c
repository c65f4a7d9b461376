/*
 * Maps an object file segment by segment, the way the dynamic loader would,
 * but keeps control of the address range afterwards. Java code reads probe
 * semaphores straight from memory without a lock, so an address handed out
 * must never become unmapped: on unload the range is replaced in one step by
 * zero pages (a stale read sees "not traced").
 *
 * The range may then serve a later object, but only where no tracer can still
 * hold an address in it. The kernel counts a semaphore by file and offset and
 * never writes into the zero pages; a tracer that counts semaphores itself
 * (bcc writes +1 and -1 through /proc/PID/mem) keeps the address it saw when
 * it attached, and its -1 on detach would land in whatever lives there then.
 * So a range is reused only if its old object's semaphores read 0 when it was
 * retired and still do (no such tracer attached, none wrote since), and only
 * by an object whose code ends before those semaphores began, so that a write
 * racing with the reuse lands in data, never in code. Any other range stays
 * zero pages for good: a few pages of address space.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

struct retired_range {
    struct dtp_mapping was;   /* the range and where its last object kept its semaphores */
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

/* Non-zero when a tracer has counted itself in at one of the mapping's semaphores (or left a count there). */
static int semaphores_counted(const struct dtp_mapping *m)
{
    for (size_t offset = m->semaphores; offset + sizeof(uint16_t) <= m->semaphores_end; offset += sizeof(uint16_t))
        if (*(const volatile uint16_t *)(m->base + offset) != 0)
            return 1;
    return 0;
}

/* A retired range that can hold elf, taken off the list; NULL if none. Ranges a tracer wrote into are dropped. */
static struct retired_range *take_retired_range(const struct dtp_elf *elf, size_t size)
{
    pthread_mutex_lock(&retired_lock);
    struct retired_range **r = &retired;
    while (*r) {
        struct retired_range *range = *r;
        if (semaphores_counted(&range->was)) {
            *r = range->next; /* written since it was retired: its zero pages stay, unused */
            free(range);
        } else if (range->was.reserved >= size && elf->data_offset <= range->was.semaphores) {
            *r = range->next;
            pthread_mutex_unlock(&retired_lock);
            return range;
        } else {
            r = &range->next;
        }
    }
    pthread_mutex_unlock(&retired_lock);
    return NULL;
}

static void retire_range(const struct dtp_mapping *m)
{
    /* Read first: once the zero pages replace the object, its counts are gone. */
    int counted = semaphores_counted(m);
    /* MAP_FIXED replaces the old pages atomically: readers never see a hole. */
    if (mmap(m->base, m->reserved, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
        return; /* the old mapping stays: still readable, only not reused */
    if (counted)
        return; /* a tracer holds an address in it: the zero pages stay, unused */
    struct retired_range *r = malloc(sizeof *r);
    if (!r)
        return; /* the zero pages stay mapped, just not reused */
    r->was = *m;
    pthread_mutex_lock(&retired_lock);
    r->next = retired;
    retired = r;
    pthread_mutex_unlock(&retired_lock);
}

int dtp_map(int fd, const struct dtp_elf *elf, struct dtp_mapping *mapping)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t data_end = (elf->data_offset + elf->data_size + page - 1) / page * page;
    /* What the range held before: where a failure leaves it. A new range held no semaphores. */
    struct dtp_mapping before;
    struct retired_range *range = take_retired_range(elf, data_end);
    if (range) {
        before = range->was;
        free(range);
    } else {
        void *base = mmap(NULL, data_end, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (base == MAP_FAILED) {
            dtp_set_error("cannot reserve %zu bytes of address space: %s", data_end, strerror(errno));
            return -1;
        }
        before = (struct dtp_mapping){.base = base, .reserved = data_end, .semaphores = data_end,
                                      .semaphores_end = data_end};
    }
    if (mmap(before.base, elf->text_size, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, 0) == MAP_FAILED) {
        int error = errno;
        retire_range(&before);
        dtp_set_error(error == EPERM || error == EACCES
                          ? "cannot map the object executable (%s): its file system may be mounted noexec"
                          : "cannot map the object's code: %s",
                      strerror(error));
        return -1;
    }
    if (mmap(before.base + elf->data_offset, data_end - elf->data_offset, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_FIXED, fd, (off_t)elf->data_offset) == MAP_FAILED) {
        int error = errno;
        retire_range(&before);
        dtp_set_error("cannot map the object's data: %s", strerror(error));
        return -1;
    }
    *mapping = (struct dtp_mapping){.base = before.base, .reserved = before.reserved,
                                    .semaphores = elf->semaphores_offset,
                                    .semaphores_end = elf->data_offset + elf->data_size};
    return 0;
}

void dtp_unmap(const struct dtp_mapping *mapping)
{
    retire_range(mapping);
}
