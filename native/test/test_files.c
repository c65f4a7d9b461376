/*
 * The object files among processes: what a scan removes and keeps, a scan
 * racing with an owner that makes its lock again, fork() without exec, and
 * what a directory costs per object.
 *
 * flock and fdopendir are interposed: the library reaches them through the
 * dynamic linker (or directly, when compiled into the sanitizer build), so a
 * test can act at the exact moment a scan tries a lock, and count scans.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "dtrace_provider.h"

static char parent[] = "/tmp/dtp-files-XXXXXX";
static char private_dir[256];

/* The file whose lock a scan is about to try, and what to do at that moment (once). */
static dev_t target_dev;
static ino_t target_ino;
static void (*when_scan_tries_target)(void);

int flock(int fd, int operation)
{
    static int (*real_flock)(int, int);
    if (!real_flock)
        real_flock = (int (*)(int, int))dlsym(RTLD_NEXT, "flock");
    struct stat st;
    if (when_scan_tries_target && (operation & LOCK_NB) && fstat(fd, &st) == 0 && st.st_dev == target_dev &&
        st.st_ino == target_ino) {
        void (*action)(void) = when_scan_tries_target;
        when_scan_tries_target = NULL;
        action();
    }
    return real_flock(fd, operation);
}

/* A scan of the directory starts with fdopendir. */
static int scans;

DIR *fdopendir(int fd)
{
    static DIR *(*real_fdopendir)(int);
    if (!real_fdopendir)
        real_fdopendir = (DIR * (*)(int)) dlsym(RTLD_NEXT, "fdopendir");
    scans++;
    return real_fdopendir(fd);
}

static void path_in(char *path, size_t len, const char *dir, const char *name)
{
    snprintf(path, len, "%s/%s", dir, name);
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static int exists_in(const char *dir, const char *name)
{
    char path[512];
    path_in(path, sizeof path, dir, name);
    return exists(path);
}

static void touch_in(const char *dir, const char *name)
{
    char path[512];
    path_in(path, sizeof path, dir, name);
    close(open(path, O_CREAT | O_WRONLY, 0600));
}

static void remove_in(const char *dir, const char *name)
{
    char path[512];
    path_in(path, sizeof path, dir, name);
    unlink(path);
}

/* Creates the file and locks it exclusively, as a live process holds its TAG.lock: the descriptor. */
static int hold(const char *dir, const char *name)
{
    char path[512];
    path_in(path, sizeof path, dir, name);
    int fd = open(path, O_RDWR | O_CREAT, 0600);
    CHECK(fd >= 0 && flock(fd, LOCK_EX) == 0);
    return fd;
}

/* 1 if another open file holds a lock on the file at path. */
static int is_locked(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    int locked = flock(fd, LOCK_EX | LOCK_NB) != 0;
    close(fd);
    return locked;
}

/* A provider with one probe, enabled in dir: the first enable there makes this process scan it. */
static dtp_provider *enabled_provider(const char *name, const char *dir)
{
    dtp_provider *p = dtp_provider_create(name, NULL);
    CHECK(dtp_probe_add(p, "a", 0, NULL) != NULL);
    CHECK(dtp_provider_enable(p, dir) == 0);
    return p;
}

/* DIR/TAG.lock of the process that made the object at object_path. */
static void lock_of(const char *object_path, char *lock_path, size_t len)
{
    char module[65], tag[17];
    long pid;
    unsigned long seq;
    const char *name = strrchr(object_path, '/') + 1;
    CHECK(sscanf(name, "%64[A-Za-z0-9_].%ld.%16[0-9a-f].%lu.so", module, &pid, tag, &seq) == 4);
    snprintf(lock_path, len, "%.*s/%s.lock", (int)(name - 1 - object_path), object_path, tag);
}

/* Liveness is a lock held on TAG.lock, not a pid: pids repeat across containers. */
static void scan_removes_what_dead_processes_left_and_keeps_the_rest(void)
{
    mkdir(private_dir, 0700);
    touch_in(private_dir, "dead.1.00000000000000aa.1.so");
    touch_in(private_dir, "dead.1.00000000000000aa.2.so");
    touch_in(private_dir, "00000000000000aa.lock");          /* nobody holds it: its process is gone */
    touch_in(private_dir, "00000000000000dd.tmp");           /* killed between making its lock and renaming it */
    touch_in(private_dir, "alive.1.00000000000000bb.1.so");
    int alive = hold(private_dir, "00000000000000bb.lock");
    int renaming = hold(private_dir, "00000000000000ee.tmp"); /* a live process about to rename its lock */
    touch_in(private_dir, "notes.txt");

    dtp_provider *p = dtp_provider_create("staletest", NULL);
    dtp_probe *a = dtp_probe_add(p, "a", 0, NULL);
    CHECK(dtp_provider_enable(p, parent) == 0);
    CHECK(!exists_in(private_dir, "dead.1.00000000000000aa.1.so"));
    CHECK(!exists_in(private_dir, "dead.1.00000000000000aa.2.so"));
    CHECK(!exists_in(private_dir, "00000000000000aa.lock"));
    CHECK(!exists_in(private_dir, "00000000000000dd.tmp"));
    CHECK(exists_in(private_dir, "alive.1.00000000000000bb.1.so"));
    CHECK(exists_in(private_dir, "00000000000000bb.lock"));
    CHECK(exists_in(private_dir, "00000000000000ee.tmp"));
    CHECK(exists_in(private_dir, "notes.txt"));

    /* Our own object is named MODULE.PID.TAG.SEQ.so, and our TAG.lock is held while it exists. */
    char module[65], tag[17];
    long pid;
    unsigned long seq;
    const char *name = strrchr(dtp_probe_object_path(a), '/') + 1;
    CHECK(sscanf(name, "%64[a-z].%ld.%16[0-9a-f].%lu.so", module, &pid, tag, &seq) == 4 && pid == getpid());
    char own_lock[512];
    lock_of(dtp_probe_object_path(a), own_lock, sizeof own_lock);
    CHECK(is_locked(own_lock));
    dtp_provider_destroy(p);
    CHECK(!exists(own_lock)); /* no objects left there: the directory is not held */

    close(alive);
    close(renaming);
    const char *leftovers[] = {"alive.1.00000000000000bb.1.so", "00000000000000bb.lock", "00000000000000ee.tmp",
                               "notes.txt"};
    for (size_t i = 0; i < sizeof leftovers / sizeof leftovers[0]; i++)
        remove_in(private_dir, leftovers[i]);
}

/* The other process of the race below: its lock descriptor, and what it makes again. */
static int owner_lock = -1;

/* The owner disables (removes its object and lock, lets go) and enables again (a new lock and object). */
static void owner_disables_and_enables(void)
{
    remove_in(private_dir, "race.1.00000000000000cc.1.so");
    remove_in(private_dir, "00000000000000cc.lock");
    close(owner_lock);
    owner_lock = hold(private_dir, "00000000000000cc.tmp");
    char from[512], to[512];
    path_in(from, sizeof from, private_dir, "00000000000000cc.tmp");
    path_in(to, sizeof to, private_dir, "00000000000000cc.lock");
    CHECK(rename(from, to) == 0);
    touch_in(private_dir, "race.1.00000000000000cc.2.so");
}

/*
 * A scan opens an owner's TAG.lock; before it tries the lock, the owner lets
 * go of it and makes a new one under the same name. The scan's lock on the
 * old file then succeeds, but the name leads to the new, held one: the scan
 * must notice and remove nothing, then or at any later scan.
 */
static void scan_never_removes_a_lock_its_owner_made_again(void)
{
    mkdir(private_dir, 0700);
    touch_in(private_dir, "race.1.00000000000000cc.1.so");
    owner_lock = hold(private_dir, "00000000000000cc.lock");
    struct stat st;
    char owner_lock_path[512];
    path_in(owner_lock_path, sizeof owner_lock_path, private_dir, "00000000000000cc.lock");
    CHECK(stat(owner_lock_path, &st) == 0);
    target_dev = st.st_dev;
    target_ino = st.st_ino;
    when_scan_tries_target = owner_disables_and_enables;

    dtp_provider *p = enabled_provider("racetest", parent);
    CHECK(when_scan_tries_target == NULL); /* the scan did try the old lock */
    struct stat now;
    CHECK(stat(owner_lock_path, &now) == 0 && now.st_ino != target_ino);
    CHECK(is_locked(owner_lock_path));
    CHECK(exists_in(private_dir, "race.1.00000000000000cc.2.so"));
    dtp_provider_destroy(p);

    p = enabled_provider("racetest", parent); /* the directory was let go: this enable scans again */
    CHECK(exists(owner_lock_path) && is_locked(owner_lock_path));
    CHECK(exists_in(private_dir, "race.1.00000000000000cc.2.so"));
    dtp_provider_destroy(p);

    close(owner_lock);
    remove_in(private_dir, "00000000000000cc.lock");
    remove_in(private_dir, "race.1.00000000000000cc.2.so");
}

static int open_descriptors(void)
{
    DIR *d = opendir("/proc/self/fd");
    int count = 0;
    while (d && readdir(d))
        count++;
    if (d)
        closedir(d);
    return count;
}

/*
 * A process scans a directory when it starts using it, not at every enable,
 * and all its objects there share one descriptor of the directory, so
 * enabling probes one at a time costs neither descriptors nor scans.
 */
static void later_objects_cost_neither_a_scan_nor_a_descriptor(void)
{
    int descriptors = open_descriptors();
    scans = 0;
    dtp_provider *p = enabled_provider("costtest", parent);
    CHECK(scans == 1);
    for (int i = 0; i < 50; i++) {
        char name[16];
        snprintf(name, sizeof name, "late%d", i);
        CHECK(dtp_probe_add(p, name, 0, NULL) != NULL);
        CHECK(dtp_provider_enable(p, parent) == 0);
    }
    CHECK(scans == 1);
    CHECK(open_descriptors() - descriptors <= 2); /* the directory and this process's lock file */
    dtp_provider_destroy(p);
    CHECK(open_descriptors() == descriptors);
}

/* systemd-tmpfiles skips a directory someone holds a BSD lock on: the process holds one while it has objects. */
static void the_directory_is_locked_while_it_holds_objects(void)
{
    dtp_provider *p = enabled_provider("dirlocktest", parent);
    CHECK(is_locked(private_dir));
    dtp_provider_destroy(p);
    CHECK(!is_locked(private_dir));
}

/* Exit status of a child, or -1 if it did not exit normally. */
static int exit_status(pid_t pid)
{
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

/* A library forks and its child calls exit(): the exit hooks run in the child, which must not remove our files. */
static void a_forked_child_that_exits_leaves_the_files_alone(void)
{
    dtp_provider *p = dtp_provider_create("forktest", NULL);
    dtp_probe *a = dtp_probe_add(p, "a", 0, NULL);
    CHECK(dtp_provider_enable(p, parent) == 0);
    char object[512], lock[512];
    snprintf(object, sizeof object, "%s", dtp_probe_object_path(a));
    lock_of(object, lock, sizeof lock);

    fflush(NULL); /* or the child's exit() prints our buffered output again */
    pid_t child = fork();
    if (child == 0)
        exit(0);
    CHECK(child > 0 && exit_status(child) == 0);
    CHECK(exists(object));
    CHECK(exists(lock) && is_locked(lock));
    dtp_probe_fire(a, NULL);
    dtp_provider_destroy(p);
    CHECK(!exists(object) && !exists(lock));
}

/*
 * A process forks a child that outlives it, then dies without exit hooks (as
 * if killed). The child must not keep the lock of its parent alive: the next
 * scan removes the parent's files.
 */
static void a_forked_child_does_not_keep_its_parents_lock(void)
{
    char dir[] = "/tmp/dtp-fork-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    remove_at_exit(dir);
    int path_pipe[2], release_pipe[2], ready_pipe[2];
    CHECK(pipe(path_pipe) == 0 && pipe(release_pipe) == 0 && pipe(ready_pipe) == 0);

    fflush(NULL);
    pid_t parent_process = fork();
    if (parent_process == 0) {
        close(path_pipe[0]);
        close(release_pipe[1]);
        dtp_provider *p = dtp_provider_create("forkparent", NULL);
        dtp_probe *a = dtp_probe_add(p, "a", 0, NULL);
        if (dtp_provider_enable(p, dir) != 0)
            _exit(2);
        pid_t grandchild = fork();
        if (grandchild == 0) {
            /* fork() has run the library's child handler once it returns here: say so */
            char c = 1;
            if (write(ready_pipe[1], &c, 1) != 1)
                _exit(4);
            while (read(release_pipe[0], &c, 1) > 0) {
                /* lives on until the test lets it go */
            }
            exit(0);
        }
        /* the parent may not die before its child has let go of the lock, or the scan below races with it */
        char ready;
        if (grandchild < 0 || read(ready_pipe[0], &ready, 1) != 1)
            _exit(5);
        const char *path = dtp_probe_object_path(a);
        _exit(write(path_pipe[1], path, strlen(path) + 1) == (ssize_t)strlen(path) + 1 ? 0 : 3);
    }
    close(path_pipe[1]);
    close(release_pipe[0]);
    close(ready_pipe[0]);
    close(ready_pipe[1]);
    char object[512] = "";
    CHECK(read(path_pipe[0], object, sizeof object - 1) > 0);
    close(path_pipe[0]);
    CHECK(exit_status(parent_process) == 0);
    char lock[512];
    lock_of(object, lock, sizeof lock);
    CHECK(exists(object) && exists(lock)); /* a killed process leaves its files behind */

    dtp_provider *p = enabled_provider("forkscan", dir);
    CHECK(!exists(object));
    CHECK(!exists(lock));
    dtp_provider_destroy(p);
    close(release_pipe[1]); /* the grandchild exits, and removes nothing */
}

/* The process of the race below made one more object after the scan listed the directory, then died. */
static void dying_owner_makes_another_object(void)
{
    touch_in(private_dir, "late.1.00000000000000ab.2.so");
}

/*
 * A scan lists the directory, then tries the lock of each tag. Between the
 * two, a process makes another object and dies (its lock was free when it
 * was tried, listed or not). That object must go with the lock: a scan lists
 * again once it holds a dead lock, and removes every object of its tag.
 */
static void a_scan_removes_objects_made_after_it_listed_the_directory(void)
{
    mkdir(private_dir, 0700);
    touch_in(private_dir, "dead.1.00000000000000ab.1.so");
    touch_in(private_dir, "00000000000000ab.lock"); /* nobody holds it: its process is gone */
    touch_in(private_dir, "alive.1.00000000000000bc.1.so");
    int alive = hold(private_dir, "00000000000000bc.lock");
    struct stat st;
    char dead_lock[512];
    path_in(dead_lock, sizeof dead_lock, private_dir, "00000000000000ab.lock");
    CHECK(stat(dead_lock, &st) == 0);
    target_dev = st.st_dev;
    target_ino = st.st_ino;
    when_scan_tries_target = dying_owner_makes_another_object;

    dtp_provider *p = enabled_provider("latetest", parent);
    CHECK(when_scan_tries_target == NULL); /* the scan did try the lock after it listed the directory */
    CHECK(!exists_in(private_dir, "late.1.00000000000000ab.2.so"));
    CHECK(!exists_in(private_dir, "dead.1.00000000000000ab.1.so"));
    CHECK(!exists(dead_lock));
    CHECK(exists_in(private_dir, "alive.1.00000000000000bc.1.so"));
    char alive_lock[512];
    path_in(alive_lock, sizeof alive_lock, private_dir, "00000000000000bc.lock");
    CHECK(exists(alive_lock) && is_locked(alive_lock));
    dtp_provider_destroy(p);

    close(alive);
    remove_in(private_dir, "00000000000000bc.lock");
    remove_in(private_dir, "alive.1.00000000000000bc.1.so");
    remove_in(private_dir, "late.1.00000000000000ab.2.so");
}

/* A pid that no process has any more: a child's, waited for. */
static long dead_pid(void)
{
    fflush(NULL);
    pid_t child = fork();
    if (child == 0)
        _exit(0);
    CHECK(child > 0 && exit_status(child) == 0);
    return (long)child;
}

/*
 * Objects without a lock file, as an older version's scan left them (or
 * someone removed a lock file): one of a dead pid and one whose pid is alive
 * but does not map it (this test's own: the pid was reused) are removed. The
 * object of a live process that maps it stays, even without its lock file.
 */
static void a_scan_removes_objects_without_a_lock_whose_process_is_gone(void)
{
    char dead[128], reused[128];
    snprintf(dead, sizeof dead, "old.%ld.00000000000000cd.1.so", dead_pid());
    snprintf(reused, sizeof reused, "old.%ld.00000000000000ce.1.so", (long)getpid());

    /* The live process: a child that enables, then loses its lock file to someone else. */
    int path_pipe[2], release_pipe[2];
    CHECK(pipe(path_pipe) == 0 && pipe(release_pipe) == 0);
    fflush(NULL);
    pid_t live = fork();
    if (live == 0) {
        close(path_pipe[0]);
        close(release_pipe[1]);
        dtp_provider *p = dtp_provider_create("livenolock", NULL);
        dtp_probe *a = dtp_probe_add(p, "a", 0, NULL);
        if (dtp_provider_enable(p, parent) != 0)
            _exit(2);
        char lock[512];
        lock_of(dtp_probe_object_path(a), lock, sizeof lock);
        if (unlink(lock) != 0)
            _exit(3);
        const char *path = dtp_probe_object_path(a);
        if (write(path_pipe[1], path, strlen(path) + 1) != (ssize_t)strlen(path) + 1)
            _exit(4);
        char c;
        while (read(release_pipe[0], &c, 1) > 0) {
            /* lives on, its object mapped, until the test lets it go */
        }
        dtp_provider_destroy(p);
        _exit(0);
    }
    close(path_pipe[1]);
    close(release_pipe[0]);
    char live_object[512] = "";
    CHECK(read(path_pipe[0], live_object, sizeof live_object - 1) > 0);
    close(path_pipe[0]);
    touch_in(private_dir, dead);
    touch_in(private_dir, reused);

    dtp_provider *p = enabled_provider("locklesstest", parent); /* the first enable there: it scans */
    CHECK(!exists_in(private_dir, dead));
    CHECK(!exists_in(private_dir, reused));
    CHECK(exists(live_object));
    dtp_provider_destroy(p);

    close(release_pipe[1]);
    CHECK(live > 0 && exit_status(live) == 0);
    CHECK(!exists(live_object));
    remove_in(private_dir, dead);
    remove_in(private_dir, reused);
}

int main(void)
{
    make_temporary_dir(parent);
    private_dir_in(parent, private_dir, sizeof private_dir);
    RUN(scan_removes_what_dead_processes_left_and_keeps_the_rest);
    RUN(scan_never_removes_a_lock_its_owner_made_again);
    RUN(later_objects_cost_neither_a_scan_nor_a_descriptor);
    RUN(the_directory_is_locked_while_it_holds_objects);
    RUN(a_forked_child_that_exits_leaves_the_files_alone);
    RUN(a_forked_child_does_not_keep_its_parents_lock);
    RUN(a_scan_removes_objects_made_after_it_listed_the_directory);
    RUN(a_scan_removes_objects_without_a_lock_whose_process_is_gone);
    return SUMMARY();
}
