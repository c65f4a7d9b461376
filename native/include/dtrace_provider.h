/*
 * dtrace_provider.h - the native core: USDT providers created at run time.
 *
 * A provider is a named set of probes. Enabling it writes a small ELF shared
 * object holding one stub function, one SystemTap SDT note and one 16-bit
 * semaphore per probe into a private directory and maps it into the process,
 * so that bpftrace, perf, bcc and DTrace for Linux see ordinary USDT probes.
 * Firing a probe calls its stub with the argument values; a tracer attached
 * to the probe traps the stub's first instruction and reads them.
 *
 * Thread safety: definitions (create, add, enable, disable, destroy) must not
 * run concurrently on the same provider; the caller serialises them. Firing
 * and reading semaphores may happen on any thread at any time, including
 * while another thread enables or disables the provider: a fire that races
 * with dtp_provider_disable() either completes before it returns or does
 * nothing, and a semaphore address, once handed out, stays readable for the
 * life of the process (it reads 0 after the probe is unloaded).
 *
 * Errors: functions that can fail return NULL or -1 and leave a one-line
 * message for the calling thread in dtp_last_error().
 */
#ifndef DTRACE_PROVIDER_H
#define DTRACE_PROVIDER_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The SDT note format and libbpf read at most 12 arguments. */
#define DTP_MAX_ARGS 12
/* Longest provider, module or probe name, in bytes. */
#define DTP_MAX_NAME 64

#define DTP_API __attribute__((visibility("default")))

typedef struct dtp_provider dtp_provider;
typedef struct dtp_probe dtp_probe;

/* How a tracer reads an argument. Both travel in a 64-bit slot. */
typedef enum dtp_arg_type {
    DTP_ARG_INT64 = 1,  /* signed 64-bit integer, spec "-8@LOCATION" */
    DTP_ARG_STRING = 2  /* pointer to a NUL-terminated string (NULL allowed), spec "8@LOCATION" */
} dtp_arg_type;

/*
 * Creates a provider. name: [A-Za-z_][A-Za-z0-9_]*, at most DTP_MAX_NAME bytes.
 * module names the object file (same rules); NULL means the provider name.
 */
DTP_API dtp_provider *dtp_provider_create(const char *name, const char *module);

/*
 * Defines a probe. name: the name written into its SDT note, a C identifier
 * ([A-Za-z_][A-Za-z0-9_]*) of at most DTP_MAX_NAME bytes, unique in the
 * provider; tracers refuse other names (DTrace's "a-b" is written "a__b"). argc: 0..DTP_MAX_ARGS. A probe defined while the
 * provider is enabled becomes traceable at the next dtp_provider_enable().
 */
DTP_API dtp_probe *dtp_probe_add(dtp_provider *provider, const char *name, int argc,
                         const dtp_arg_type *types);

/*
 * Makes every defined probe that is not yet loaded traceable: builds one
 * object for them, writes it into the private directory dtrace-provider-UID
 * under dir (created mode 0700 if missing; refused if it is a link, is not
 * owned by the user or is open to others) and maps it. Probes loaded earlier
 * are not touched, so tracers attached to them stay attached.
 * Returns 0, or -1 with dtp_last_error() set (nothing is loaded then).
 *
 * Cost: each object holds two memory mappings while it is loaded, so an
 * enable per probe adds up; the objects of the process in one directory
 * share two descriptors (the directory and a lock file).
 *
 * Files: while the process has objects in the directory it holds an
 * exclusive flock on its own lock file there, which tells other processes it
 * is alive, and a shared flock on the directory, which makes
 * systemd-tmpfiles --clean skip it. When the process starts using the
 * directory, it removes what processes that no longer exist left there. A
 * normal exit removes the process's files. A child of fork() that does not
 * exec neither removes nor keeps alive its parent's files; objects it enables
 * itself are its own.
 */
DTP_API int dtp_provider_enable(dtp_provider *provider, const char *dir);

/*
 * Makes every probe inert, waits for the fires that began before it to finish
 * (not for later ones, which find the probes inert), unmaps the objects and
 * deletes their files. The provider can be enabled again.
 */
DTP_API void dtp_provider_disable(dtp_provider *provider);

/* Disables the provider and frees it and its probes. */
DTP_API void dtp_provider_destroy(dtp_provider *provider);

/*
 * Fires a probe: calls its stub with args[0..argc-1] (strings as pointers).
 * Does nothing while the probe is not loaded. Never blocks.
 */
DTP_API void dtp_probe_fire(dtp_probe *probe, const uint64_t *args);

/*
 * The probe's semaphore: non-zero exactly while a tracer is attached. NULL
 * while the probe is not loaded. The address stays readable for the life of
 * the process, but belongs to this probe only until the next disable.
 */
DTP_API const volatile uint16_t *dtp_probe_semaphore(const dtp_probe *probe);

/* Path of the object file that holds the probe, or NULL while not loaded. */
DTP_API const char *dtp_probe_object_path(const dtp_probe *probe);

/*
 * Where argument `index` (0 to DTP_MAX_ARGS - 1) of every probe is at the
 * probe point, as the SDT notes state it: "%rdi" ... "%r9", then "8(%rsp)" ...
 * "48(%rsp)" on x86-64; "x0" ... "x7", then "[sp, 0]" ... "[sp, 24]" on
 * aarch64. A static string; NULL for an index out of range.
 */
DTP_API const char *dtp_arg_location(int index);

/* The calling thread's last error message (empty if none). */
DTP_API const char *dtp_last_error(void);

#ifdef __cplusplus
}
#endif

#endif
