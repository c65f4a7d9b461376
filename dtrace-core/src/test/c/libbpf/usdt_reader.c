/*
 * usdt_reader PID OBJECT PROVIDER PROBE TYPES
 *
 * A minimal libbpf-based USDT consumer, to check that libbpf (not only bpftrace and perf) reads a provider's
 * probes. Attaches usdt_reader.bpf.o, which must lie beside this executable, to PROVIDER:PROBE in OBJECT as
 * mapped by process PID, prints "ATTACHED", then one tab-separated line per fire until SIGINT or SIGTERM.
 * TYPES has one letter per argument, 'i' for an integer (printed as signed 64-bit decimal) or 's' for a
 * string (printed as text, "(null)" for a NULL pointer); arguments past TYPES are integers. An argument that
 * could not be read prints as "(error N)". Any failure is one line on stderr and exit status 1.
 * build.sh, beside this file, builds this loader and usdt_reader.bpf.o (docs/tracers.md).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "usdt_reader.h"

static volatile sig_atomic_t stopping;
/* libbpf explains a failure in warnings of its own, printed before the call returns: the first one is kept
 * for our error line, so that a failure stays one line. */
static char libbpf_reason[512];

static void stop(int signo)
{
	(void)signo;
	stopping = 1;
}

static int keep_first_warning(enum libbpf_print_level level, const char *format, va_list args)
{
	if (level == LIBBPF_WARN && libbpf_reason[0] == '\0') {
		vsnprintf(libbpf_reason, sizeof(libbpf_reason), format, args);
		libbpf_reason[strcspn(libbpf_reason, "\n")] = '\0';
	}
	return 0;
}

static void fail(const char *format, ...)
{
	va_list args;

	fputs("usdt_reader: ", stderr);
	va_start(args, format);
	vfprintf(stderr, format, args);
	va_end(args);
	if (libbpf_reason[0] != '\0')
		fprintf(stderr, " (%s)", libbpf_reason);
	fputc('\n', stderr);
	exit(1);
}

static int print_fire(void *types, void *data, size_t size)
{
	const struct fire *fire = data;
	const char *type = types;
	int typed = (int)strlen(type);

	(void)size;
	if (fire->arg_count < 0 || fire->arg_count > MAX_ARGS) {
		printf("(no argument spec: %d)\n", fire->arg_count);
		return 0;
	}
	for (int i = 0; i < fire->arg_count; i++) {
		int string = i < typed && type[i] == 's';

		if (i > 0)
			putchar('\t');
		if (fire->error[i] != 0)
			printf("(error %d)", fire->error[i]);
		else if (string)
			fputs(fire->value[i] != 0 ? fire->string[i] : "(null)", stdout);
		else
			printf("%lld", (long long)fire->value[i]);
	}
	putchar('\n');
	return 0;
}

/* The BPF object lies beside the executable, wherever the test built the two. */
static void bpf_object_path(char *path, size_t size)
{
	ssize_t length = readlink("/proc/self/exe", path, size - 1);
	if (length < 0)
		fail("cannot read /proc/self/exe: %s", strerror(errno));
	path[length] = '\0';
	char *slash = strrchr(path, '/');
	if (slash == NULL || (size_t)(slash - path) + sizeof("/usdt_reader.bpf.o") > size)
		fail("cannot place usdt_reader.bpf.o beside %s", path);
	strcpy(slash, "/usdt_reader.bpf.o");
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: usdt_reader PID OBJECT PROVIDER PROBE TYPES (e.g. iisi: 's' marks a string)\n");
		return 2;
	}
	char *end;
	long pid = strtol(argv[1], &end, 10);
	if (*end != '\0' || pid <= 0 || pid > INT_MAX)
		fail("not a process id: \"%s\"", argv[1]);
	const char *object = argv[2], *provider = argv[3], *probe = argv[4], *types = argv[5];
	if (strlen(types) > MAX_ARGS || strspn(types, "is") != strlen(types))
		fail("TYPES must be at most %d letters 'i' or 's', not \"%s\"", MAX_ARGS, types);
	__u64 strings = 0;
	for (size_t i = 0; types[i] != '\0'; i++)
		strings |= (__u64)(types[i] == 's') << i;

	/* Lines go to a pipe: flush each one, so the test sees a fire as soon as it is read. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	libbpf_set_print(keep_first_warning);

	char path[PATH_MAX];
	bpf_object_path(path, sizeof(path));
	struct bpf_object *bpf = bpf_object__open_file(path, NULL);
	if (bpf == NULL)
		fail("cannot open %s: %s", path, strerror(errno));
	int err = bpf_object__load(bpf);
	if (err != 0)
		fail("cannot load %s into the kernel: %s", path, strerror(-err));

	LIBBPF_OPTS(bpf_usdt_opts, options, .usdt_cookie = strings);
	struct bpf_link *link = bpf_program__attach_usdt(bpf_object__find_program_by_name(bpf, "read_fire"),
			(pid_t)pid, object, provider, probe, &options);
	if (link == NULL) {
		int error = errno;
		/* libbpf explains a file it cannot read, but a probe missing from the notes is a bare ENOENT. */
		if (error == ENOENT && libbpf_reason[0] == '\0')
			fail("no probe %s:%s in %s", provider, probe, object);
		fail("cannot attach to %s:%s in %s of process %ld: %s", provider, probe, object, pid, strerror(error));
	}
	struct ring_buffer *fires = ring_buffer__new(bpf_object__find_map_fd_by_name(bpf, "fires"), print_fire,
			(void *)types, NULL);
	if (fires == NULL)
		fail("cannot read the ring buffer: %s", strerror(errno));

	/* No SA_RESTART: the signal must interrupt the poll below, not just set the flag. */
	struct sigaction action = { .sa_handler = stop };
	sigaction(SIGINT, &action, NULL);
	sigaction(SIGTERM, &action, NULL);
	puts("ATTACHED");

	while (!stopping) {
		err = ring_buffer__poll(fires, 100);
		if (err < 0 && err != -EINTR)
			fail("cannot read the ring buffer: %s", strerror(-err));
	}
	/* Fires that arrived just before the signal are still printed. */
	ring_buffer__consume(fires);
	ring_buffer__free(fires);
	bpf_link__destroy(link);
	bpf_object__close(bpf);
	return 0;
}
