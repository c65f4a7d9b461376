/* Declarations shared by the native core's source files; not part of the API. */
#ifndef DTP_INTERNAL_H
#define DTP_INTERNAL_H

#include <limits.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "dtrace_provider.h"
#include "glibc_compat.h"

/* error.c: sets the calling thread's dtp_last_error() message. */
void dtp_set_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* names.c: 1 if name is a C identifier of 1 to DTP_MAX_NAME bytes. */
int dtp_valid_name(const char *name);

/* arch_*.c: everything that depends on the instruction set. */
struct dtp_arch {
    uint16_t elf_machine;
    const uint8_t *stub;      /* the probe instruction (a nop) at offset 0, then a return */
    size_t stub_size;
    uint8_t fill;             /* byte that pads between stubs */
    /* where a called function finds each argument, as SDT notes write it, e.g. "%rdi" */
    const char *arg_locations[DTP_MAX_ARGS];
};
extern const struct dtp_arch dtp_arch;

struct dtp_object;

struct dtp_probe {
    struct dtp_provider *provider;
    char name[DTP_MAX_NAME + 1];
    int argc;
    dtp_arg_type types[DTP_MAX_ARGS];
    _Atomic(void *) stub;                   /* NULL while not loaded */
    _Atomic(const volatile uint16_t *) semaphore;
    struct dtp_object *object;              /* NULL while not loaded */
    struct dtp_probe *next;
};

struct dtp_provider {
    char name[DTP_MAX_NAME + 1];
    char module[DTP_MAX_NAME + 1];
    struct dtp_probe *probes, *last_probe;
    struct dtp_object *objects;
    /*
     * Fires in progress, counted in one of two counters: the one that epoch's
     * lowest bit chose when the fire began (see dtp_provider_disable).
     */
    atomic_uint epoch;
    atomic_long fires_in_progress[2];
};

/* sdt_note.c: a probe's SystemTap SDT note, which tells tracers where the probe and its arguments are. */
#define DTP_SDT_SPEC_MAX 256 /* holds the argument spec of DTP_MAX_ARGS arguments on either architecture */
/* Its argument spec, e.g. "-8@%rdi 8@%rsi": a signed 64-bit integer, then a string's address. */
void dtp_sdt_arg_spec(const struct dtp_probe *probe, char *spec, size_t len);
/* The bytes its note takes, padding included. */
size_t dtp_sdt_note_size(const char *provider, const struct dtp_probe *probe);
/* Writes its note, with the link-time addresses of its probe point, .stapsdt.base and semaphore; returns its size. */
size_t dtp_sdt_note_write(uint8_t *note, const char *provider, const struct dtp_probe *probe,
                          uint64_t pc, uint64_t base, uint64_t semaphore);

/* elf_writer.c: the object for some probes of a provider, laid out for one page size. */
struct dtp_elf {
    uint8_t *bytes;
    size_t size;              /* of the file */
    size_t text_size;         /* first PT_LOAD (R+X): file offset 0 .. text_size, vaddr = offset */
    size_t data_offset;       /* second PT_LOAD (R+W): starts on a page boundary, vaddr = offset */
    size_t data_size;
    size_t semaphores_offset; /* .probes, the semaphores, which end where the data ends */
    size_t *stub_addr;        /* per probe, link-time address of its stub */
    size_t *semaphore_addr;   /* per probe, link-time address of its semaphore */
};
int dtp_elf_build(const char *provider, struct dtp_probe *const *probes, size_t count,
                  const char *soname, size_t page_size, struct dtp_elf *out);
void dtp_elf_free(struct dtp_elf *elf);

/*
 * The private directory DIR/dtrace-provider-UID holds, per process tag TAG (16 hex digits): object files
 * MODULE.PID.TAG.SEQ.so, TAG.lock (locked while its process lives) and, briefly, TAG.tmp (a lock being made).
 */
enum { DTP_TAG_LEN = 16, DTP_FILE_NAME_MAX = DTP_MAX_NAME + 64 };

/*
 * private_dir.c: opens DIR/dtrace-provider-UID (made if missing), checks it and holds a shared flock on it
 * against /tmp cleaners. Writes its path, which leaves DTP_FILE_NAME_MAX bytes of path_len for a file name.
 * Returns the descriptor, or -1 with the error set.
 */
int dtp_private_dir_open(const char *dir, char *path, size_t path_len);

/* process_lock.c: this process's files in the private directories, their lock, exit and fork(). */
struct dtp_dir;
/*
 * Creates this process's next object file for module, exclusively and mode 0600, in the private directory open
 * as dir_fd at dir_path. Takes dir_fd over (keeps or closes it); the first file in a directory takes this
 * process's lock there and sweeps it. Writes the file's name (DTP_FILE_NAME_MAX bytes at most) to name and the
 * directory as held to *dir. Returns the file's descriptor, or -1 with the error set.
 */
int dtp_claim_file(int dir_fd, const char *dir_path, const char *module, char *name, struct dtp_dir **dir);
/* Deletes a file that dtp_claim_file made and gives back its use of the directory. */
void dtp_release_file(struct dtp_dir *dir, const char *name);

/* sweep.c: removes from a private directory what processes that are gone left; never own_tag's files. */
void dtp_sweep_stale_files(int dir_fd, const char *own_tag);

/* mapping.c: where an object is mapped. */
struct dtp_mapping {
    uint8_t *base;
    size_t reserved;          /* bytes of address space it occupies */
    size_t semaphores, semaphores_end; /* offsets of its semaphores */
};

/* object_file.c: the object's file in the private directory, mapped. */
struct dtp_object {
    char path[PATH_MAX];
    const char *file_name;    /* points into path */
    struct dtp_dir *dir;      /* the private directory as this process holds it, shared by its objects there */
    pid_t pid;                /* the process that created the file: a child of fork() leaves it alone */
    struct dtp_mapping mapping;
    struct dtp_object *next;
};
/* Writes elf to a new file for module, maps it and fills *object. 0 or -1 with the error set. */
int dtp_object_create(const char *dir, const char *module, const struct dtp_elf *elf,
                      struct dtp_object *object);
/* Unmaps and deletes it; its address range stays readable (zeros). */
void dtp_object_remove(struct dtp_object *object);

/* mapping.c: maps the two segments of an object file like the dynamic loader would. 0 or -1 with the error set. */
int dtp_map(int fd, const struct dtp_elf *elf, struct dtp_mapping *mapping);
/* Replaces a mapping with zero pages; keeps the range for a later dtp_map when no tracer can hold an address in it. */
void dtp_unmap(const struct dtp_mapping *mapping);
/* Held across fork() (process_lock.c's handlers), so that the child's copy of the ranges' lock is free. */
void dtp_mapping_lock_for_fork(void);
void dtp_mapping_unlock_after_fork(void);

#endif
