/* Definitions, the object file on disk, loading, disabling and the directory rules. */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "dtrace_provider.h"

static char parent[] = "/tmp/dtp-test-XXXXXX";
static char private_dir[256];

static const dtp_arg_type two_ints[] = {DTP_ARG_INT64, DTP_ARG_INT64};
static const dtp_arg_type one_string[] = {DTP_ARG_STRING};

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static int mode_of(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

static void bad_definitions_are_refused_with_a_message(void)
{
    CHECK(dtp_provider_create("", NULL) == NULL);
    CHECK(strstr(dtp_last_error(), "invalid provider name") != NULL);
    CHECK(dtp_provider_create("1abc", NULL) == NULL);
    CHECK(dtp_provider_create("a-b", NULL) == NULL);
    CHECK(dtp_provider_create(NULL, NULL) == NULL);
    CHECK(dtp_provider_create("ok", "bad module") == NULL);
    CHECK(strstr(dtp_last_error(), "bad module") != NULL);
    char long_name[66];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    CHECK(dtp_provider_create(long_name, NULL) == NULL);
    long_name[64] = '\0';
    dtp_provider *p = dtp_provider_create(long_name, NULL);
    CHECK(p != NULL);

    CHECK(dtp_probe_add(p, "a:b", 0, NULL) == NULL);
    CHECK(strstr(dtp_last_error(), "a:b") != NULL);
    CHECK(dtp_probe_add(p, "-x", 0, NULL) == NULL);
    dtp_arg_type thirteen[13] = {0};
    for (int i = 0; i < 13; i++)
        thirteen[i] = DTP_ARG_INT64;
    CHECK(dtp_probe_add(p, "many", 13, thirteen) == NULL);
    CHECK(strstr(dtp_last_error(), "13 arguments") != NULL);
    dtp_arg_type unknown[] = {(dtp_arg_type)7};
    CHECK(dtp_probe_add(p, "odd", 1, unknown) == NULL);
    CHECK(dtp_probe_add(p, "twelve", 12, thirteen) != NULL);
    /* a note name must be a C identifier: the Java API writes DTrace's "with-hyphen" as "with__hyphen" */
    CHECK(dtp_probe_add(p, "with-hyphen", 0, NULL) == NULL);
    CHECK(strstr(dtp_last_error(), "[A-Za-z_][A-Za-z0-9_]*") != NULL);
    CHECK(dtp_probe_add(p, "with__hyphen", 0, NULL) != NULL);
    CHECK(dtp_probe_add(p, "with__hyphen", 0, NULL) == NULL);
    CHECK(strstr(dtp_last_error(), "already has a probe named with__hyphen") != NULL);
    dtp_provider_destroy(p);
}

static void enable_writes_a_private_object_that_the_loader_accepts(void)
{
    dtp_provider *p = dtp_provider_create("coretest", "coremodule");
    dtp_probe *a = dtp_probe_add(p, "first", 2, two_ints);
    dtp_probe *b = dtp_probe_add(p, "second__one", 1, one_string);
    CHECK(dtp_probe_semaphore(a) == NULL);
    CHECK(dtp_probe_object_path(a) == NULL);
    CHECK(dtp_provider_enable(p, parent) == 0);

    const char *path = dtp_probe_object_path(a);
    CHECK(path != NULL && strcmp(path, dtp_probe_object_path(b)) == 0);
    CHECK(path != NULL && strncmp(path, private_dir, strlen(private_dir)) == 0);
    CHECK(path != NULL && strstr(path, "/coremodule.") != NULL);
    CHECK(mode_of(private_dir) == 0700);
    CHECK(mode_of(path) == 0600);
    CHECK(dtp_probe_semaphore(a) != NULL && *dtp_probe_semaphore(a) == 0);

    char command[512];
    snprintf(command, sizeof command, "readelf -a -W '%s' 2>&1 >/dev/null | grep -q .", path);
    CHECK(system(command) != 0); /* readelf has no complaint */

    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    CHECK(handle != NULL);
    if (handle) {
        CHECK(dlsym(handle, "coretest_first") != NULL);
        CHECK(dlsym(handle, "coretest_second__one_semaphore") != NULL);
        dlclose(handle);
    }
    uint64_t args[] = {1, 2};
    dtp_probe_fire(a, args);
    dtp_probe_fire(a, NULL);
    dtp_provider_destroy(p);
}

static void late_probes_get_their_own_object_and_earlier_ones_stay(void)
{
    dtp_provider *p = dtp_provider_create("latetest", NULL);
    dtp_probe *early = dtp_probe_add(p, "early", 0, NULL);
    CHECK(dtp_provider_enable(p, parent) == 0);
    const volatile uint16_t *early_semaphore = dtp_probe_semaphore(early);
    char early_path[512];
    snprintf(early_path, sizeof early_path, "%s", dtp_probe_object_path(early));

    dtp_probe *late = dtp_probe_add(p, "late", 2, two_ints);
    CHECK(dtp_probe_semaphore(late) == NULL);
    CHECK(dtp_provider_enable(p, parent) == 0);
    CHECK(dtp_probe_semaphore(late) != NULL);
    CHECK(dtp_probe_semaphore(early) == early_semaphore);
    CHECK(strcmp(dtp_probe_object_path(early), early_path) == 0);
    CHECK(strcmp(dtp_probe_object_path(late), early_path) != 0);
    CHECK(exists(early_path) && exists(dtp_probe_object_path(late)));
    CHECK(dtp_provider_enable(p, parent) == 0); /* nothing new: nothing written */
    dtp_provider_destroy(p);
    CHECK(!exists(early_path));
}

/* The GNU build ID of the object at path, as hex, from its PT_NOTE segment; "" if it has none of 20 bytes. */
static void build_id_of(const char *path, char hex[41])
{
    hex[0] = '\0';
    static uint8_t file[1 << 16];
    int fd = open(path, O_RDONLY);
    ssize_t size = fd < 0 ? -1 : read(fd, file, sizeof file);
    if (fd >= 0)
        close(fd);
    if (size < (ssize_t)sizeof(Elf64_Ehdr))
        return;
    Elf64_Ehdr eh;
    memcpy(&eh, file, sizeof eh);
    for (int i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, file + eh.e_phoff + (size_t)i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_NOTE || ph.p_offset + ph.p_filesz > (size_t)size)
            continue;
        Elf64_Nhdr nh;
        memcpy(&nh, file + ph.p_offset, sizeof nh);
        const uint8_t *desc = file + ph.p_offset + sizeof nh + ((nh.n_namesz + 3) & ~3u);
        if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 || nh.n_descsz != 20 ||
            memcmp(file + ph.p_offset + sizeof nh, "GNU", 4) != 0)
            return;
        for (int b = 0; b < 20; b++)
            snprintf(hex + 2 * b, 3, "%02x", desc[b]);
    }
}

/* The build ID of a new object of the provider "samebytes" (always the same probes), in this process. */
static void build_id_of_same_definition(char hex[41])
{
    dtp_provider *p = dtp_provider_create("samebytes", "samemodule");
    dtp_probe *a = dtp_probe_add(p, "same", 2, two_ints);
    CHECK(dtp_provider_enable(p, parent) == 0);
    build_id_of(dtp_probe_object_path(a), hex);
    dtp_provider_destroy(p);
}

/*
 * perf's build-id cache links a build ID to the first object it saw with it: were the IDs of a definition's objects
 * the same in every process, perf probe would fail on the object of the application's next run.
 */
static void objects_of_one_definition_get_build_ids_of_their_own(void)
{
    char first[41], second[41], child[41] = "";
    build_id_of_same_definition(first);
    build_id_of_same_definition(second);
    CHECK(strlen(first) == 40 && strlen(second) == 40);
    CHECK(strcmp(first, second) != 0);

    int pipe_fds[2];
    CHECK(pipe(pipe_fds) == 0);
    pid_t pid = fork();
    if (pid == 0) {
        /* the child inherits this process's count of objects built: its pid still tells its objects apart */
        char own[41];
        build_id_of_same_definition(own);
        _exit(write(pipe_fds[1], own, sizeof own) == sizeof own ? 0 : 1);
    }
    close(pipe_fds[1]);
    CHECK(pid > 0 && read(pipe_fds[0], child, sizeof child) == sizeof child);
    close(pipe_fds[0]);
    int status = -1;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(strlen(child) == 40 && strcmp(child, first) != 0 && strcmp(child, second) != 0);
}

static void disable_deletes_the_files_and_keeps_old_semaphores_readable(void)
{
    dtp_provider *p = dtp_provider_create("disabletest", NULL);
    dtp_probe *a = dtp_probe_add(p, "a", 2, two_ints);
    CHECK(dtp_provider_enable(p, parent) == 0);
    const volatile uint16_t *old_semaphore = dtp_probe_semaphore(a);
    char path[512];
    snprintf(path, sizeof path, "%s", dtp_probe_object_path(a));
    dtp_provider_disable(p);
    CHECK(!exists(path));
    CHECK(dtp_probe_semaphore(a) == NULL);
    CHECK(dtp_probe_object_path(a) == NULL);
    CHECK(*old_semaphore == 0); /* still mapped: a racing reader does not crash */
    uint64_t args[] = {1, 2};
    dtp_probe_fire(a, args);
    CHECK(dtp_provider_enable(p, parent) == 0);
    CHECK(dtp_probe_object_path(a) != NULL && strcmp(dtp_probe_object_path(a), path) != 0);
    dtp_provider_destroy(p);
}

/*
 * Adds delta to the 16-bit word at address through /proc/self/mem, which writes even into read-only pages: what
 * a tracer that counts semaphores itself does (bcc: +1 on attach, -1 on detach, at the address it saw on attach).
 */
static int add_like_bcc(const volatile uint16_t *address, int delta)
{
    int fd = open("/proc/self/mem", O_RDWR);
    uint16_t value = 0;
    int ok = fd >= 0 && pread(fd, &value, sizeof value, (off_t)(uintptr_t)address) == (ssize_t)sizeof value;
    value = (uint16_t)(value + delta);
    ok = ok && pwrite(fd, &value, sizeof value, (off_t)(uintptr_t)address) == (ssize_t)sizeof value;
    if (fd >= 0)
        close(fd);
    return ok ? 0 : -1;
}

/* Under qemu-user, /proc/self/mem is the emulator's memory, not the program's. */
static int proc_mem_reaches_this_process(void)
{
    static volatile uint16_t word = 41;
    if (add_like_bcc(&word, 1) == 0 && word == 42)
        return 1;
    printf("  skipped: /proc/self/mem does not write this process's memory here (qemu-user)\n");
    return 0;
}

/* Where the object at path is mapped: the start of its lowest mapping in /proc/self/maps, 0 if none. */
static uintptr_t mapped_at(const char *path)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[1024];
    uintptr_t lowest = 0;
    while (maps && fgets(line, sizeof line, maps)) {
        unsigned long start;
        char *name = strchr(line, '/');
        if (name && sscanf(line, "%lx-", &start) == 1 && strncmp(name, path, strlen(path)) == 0 &&
            name[strlen(path)] == '\n' && (lowest == 0 || start < lowest))
            lowest = start;
    }
    if (maps)
        fclose(maps);
    return lowest;
}

static void a_tracers_stale_write_never_lands_in_a_later_object(void)
{
    if (!proc_mem_reaches_this_process())
        return;
    dtp_provider *p = dtp_provider_create("staletest", NULL);
    dtp_probe *a = dtp_probe_add(p, "a", 2, two_ints);
    CHECK(dtp_provider_enable(p, parent) == 0);
    const volatile uint16_t *first = dtp_probe_semaphore(a);
    CHECK(add_like_bcc(first, +1) == 0 && *first == 1); /* bcc attaches */
    dtp_provider_disable(p);
    CHECK(dtp_provider_enable(p, parent) == 0); /* the same layout, which could go where the first object was */
    add_like_bcc(first, -1);                    /* bcc detaches, writing where the first object's semaphore was */
    CHECK(*dtp_probe_semaphore(a) == 0);

    /* A write into a retired range (a tracer that saw the object just before it went) keeps it from reuse too. */
    const volatile uint16_t *second = dtp_probe_semaphore(a);
    dtp_provider_disable(p);
    add_like_bcc(second, +1);
    CHECK(dtp_provider_enable(p, parent) == 0);
    CHECK(dtp_probe_semaphore(a) != second && *dtp_probe_semaphore(a) == 0);
    dtp_provider_destroy(p);
}

static void a_range_nobody_wrote_into_is_reused(void)
{
    dtp_provider *p = dtp_provider_create("reusetest", NULL);
    dtp_probe *a = dtp_probe_add(p, "a", 2, two_ints);
    CHECK(dtp_provider_enable(p, parent) == 0);
    const volatile uint16_t *first = dtp_probe_semaphore(a);
    dtp_provider_disable(p);
    CHECK(dtp_provider_enable(p, parent) == 0);
    CHECK(dtp_probe_semaphore(a) == first);
    dtp_provider_destroy(p);
}

/* Enables a provider of count probes and returns where its object is mapped (0 if it failed), then destroys it. */
static uintptr_t base_of_provider_with(const char *name, int count)
{
    dtp_provider *p = dtp_provider_create(name, NULL);
    dtp_probe *first = NULL;
    for (int i = 0; i < count; i++) {
        char probe[16];
        snprintf(probe, sizeof probe, "p%d", i);
        dtp_probe *added = dtp_probe_add(p, probe, 1, one_string);
        first = first ? first : added;
    }
    uintptr_t base = first && dtp_provider_enable(p, parent) == 0 ? mapped_at(dtp_probe_object_path(first)) : 0;
    dtp_provider_destroy(p);
    return base;
}

/* A write racing with a reuse must land in data, never in code: code never covers where semaphores were. */
static void code_never_goes_where_semaphores_were(void)
{
    int medium = (int)(sysconf(_SC_PAGESIZE) / 40); /* probes whose code takes more than a page */
    uintptr_t big_base = base_of_provider_with("layoutbig", 6 * medium);
    CHECK(big_base != 0);
    /* One probe: code on the first page, semaphores on the second. It takes the big object's range. */
    CHECK(base_of_provider_with("layoutsmall", 1) == big_base);
    /* The range is large enough, but this object's code would cover the small one's semaphores. */
    uintptr_t medium_base = base_of_provider_with("layoutmedium", medium);
    CHECK(medium_base != 0 && medium_base != big_base);
}

static int enable_in(const char *dir)
{
    dtp_provider *p = dtp_provider_create("dirtest", NULL);
    dtp_probe_add(p, "a", 0, NULL);
    int result = dtp_provider_enable(p, dir);
    dtp_provider_destroy(p);
    return result;
}

static void unsafe_directories_are_refused(void)
{
    char other[] = "/tmp/dtp-test-other-XXXXXX";
    char base[] = "/tmp/dtp-test-links-XXXXXX";
    CHECK(mkdtemp(other) && mkdtemp(base));
    remove_at_exit(other);
    remove_at_exit(base);
    char planted[512];
    private_dir_in(base, planted, sizeof planted);

    CHECK(symlink(other, planted) == 0);
    CHECK(enable_in(base) == -1);
    CHECK(strstr(dtp_last_error(), "symbolic link") != NULL);
    unlink(planted);

    CHECK(mkdir(planted, 0755) == 0);
    CHECK(enable_in(base) == -1);
    CHECK(strstr(dtp_last_error(), "mode 0700") != NULL);
    CHECK(chmod(planted, 0700) == 0);
    CHECK(enable_in(base) == 0);

    CHECK(chmod(base, 0777) == 0);
    CHECK(enable_in(base) == -1);
    CHECK(strstr(dtp_last_error(), "sticky") != NULL);
    CHECK(chmod(base, 01777) == 0);
    CHECK(enable_in(base) == 0);

    CHECK(enable_in("/nonexistent/dir") == -1);
    CHECK(strstr(dtp_last_error(), "/nonexistent/dir") != NULL);
}

/* Exit status of a child, or -1 if it did not exit normally. */
static int exit_status(pid_t pid)
{
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/*
 * The owner of DIR can rename dtrace-provider-UID away and put their own in
 * its place: DIR must be the user's or root's. As root, a DIR of nobody's
 * (65534) is refused; as nobody (a child that drops to it), its own DIR and a
 * root-owned sticky one like /tmp are used, and another user's is refused.
 */
static void a_parent_owned_by_another_user_is_refused(void)
{
    if (geteuid() != 0) {
        printf("     (skipped: needs root, to make directories of other users)\n");
        return;
    }
    char base[] = "/tmp/dtp-test-owners-XXXXXX";
    CHECK(mkdtemp(base) != NULL && chmod(base, 0755) == 0);
    remove_at_exit(base);
    char nobodys[512], others[512], shared[512];
    snprintf(nobodys, sizeof nobodys, "%s/nobodys", base);
    snprintf(others, sizeof others, "%s/others", base);
    snprintf(shared, sizeof shared, "%s/shared", base);
    CHECK(mkdir(nobodys, 0755) == 0 && chown(nobodys, 65534, 65534) == 0);
    CHECK(mkdir(others, 0755) == 0 && chown(others, 65533, 65533) == 0);
    CHECK(mkdir(shared, 01777) == 0 && chmod(shared, 01777) == 0);

    CHECK(enable_in(nobodys) == -1);
    char expected[600];
    snprintf(expected, sizeof expected, "refusing directory %s: it must be owned by uid 0 or root (found uid 65534)",
             nobodys);
    CHECK(strstr(dtp_last_error(), expected) != NULL);
    CHECK(enable_in(shared) == 0); /* root's */
    CHECK(enable_in(base) == 0);   /* root's, and our own */

    fflush(NULL);
    pid_t child = fork();
    if (child == 0) {
        if (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0)
            _exit(10);
        if (enable_in(nobodys) != 0)
            _exit(11); /* its own */
        if (enable_in(shared) != 0)
            _exit(12); /* root's, sticky */
        if (enable_in(others) != -1 ||
            !strstr(dtp_last_error(), "it must be owned by uid 65534 or root (found uid 65533)"))
            _exit(13);
        _exit(0);
    }
    CHECK(child > 0 && exit_status(child) == 0);
}

static atomic_int stop;

static void *fire_loop(void *arg)
{
    dtp_probe *probe = arg;
    uint64_t args[] = {1, 2};
    while (!atomic_load(&stop)) {
        const volatile uint16_t *semaphore = dtp_probe_semaphore(probe);
        if (semaphore)
            (void)*semaphore;
        dtp_probe_fire(probe, args);
    }
    return NULL;
}

static void firing_races_enable_and_disable_safely(void)
{
    dtp_provider *p = dtp_provider_create("racetest", NULL);
    dtp_probe *a = dtp_probe_add(p, "a", 2, two_ints);
    pthread_t threads[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, fire_loop, a);
    for (int i = 0; i < 300; i++) {
        CHECK(dtp_provider_enable(p, parent) == 0);
        dtp_provider_disable(p);
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    dtp_provider_destroy(p);
}

int main(void)
{
    make_temporary_dir(parent);
    private_dir_in(parent, private_dir, sizeof private_dir);
    RUN(bad_definitions_are_refused_with_a_message);
    RUN(enable_writes_a_private_object_that_the_loader_accepts);
    RUN(late_probes_get_their_own_object_and_earlier_ones_stay);
    RUN(objects_of_one_definition_get_build_ids_of_their_own);
    RUN(disable_deletes_the_files_and_keeps_old_semaphores_readable);
    RUN(a_tracers_stale_write_never_lands_in_a_later_object);
    RUN(a_range_nobody_wrote_into_is_reused);
    RUN(code_never_goes_where_semaphores_were);
    RUN(unsafe_directories_are_refused);
    RUN(a_parent_owned_by_another_user_is_refused);
    RUN(firing_races_enable_and_disable_safely);
    return SUMMARY();
}
