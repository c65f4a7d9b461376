/*
 * Plays the tracer: reads each probe's SDT note from the object file, puts a
 * breakpoint on the probe address as a uprobe would, fires, and reads every
 * argument from where the note's argument spec says it is. This checks that
 * the stubs, the calling convention and the specs agree, on any architecture
 * the test runs on (natively or under qemu-user).
 */
#include <elf.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"
#include "dtrace_provider.h"

struct note {
    uint64_t pc, base, semaphore;
    char provider[80], name[80], spec[300];
};

/* Finds the probe's note in the object file by reading its section headers. */
static int read_note(const char *path, const char *probe, struct note *out)
{
    static uint8_t file[1 << 20];
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t size = fread(file, 1, sizeof file, f);
    fclose(f);
    Elf64_Ehdr eh;
    memcpy(&eh, file, sizeof eh);
    Elf64_Shdr strings;
    memcpy(&strings, file + eh.e_shoff + eh.e_shstrndx * sizeof strings, sizeof strings);
    for (int s = 0; s < eh.e_shnum; s++) {
        Elf64_Shdr sh;
        memcpy(&sh, file + eh.e_shoff + (size_t)s * sizeof sh, sizeof sh);
        if (strcmp((char *)file + strings.sh_offset + sh.sh_name, ".note.stapsdt") != 0 ||
            sh.sh_offset + sh.sh_size > size)
            continue;
        for (size_t at = sh.sh_offset; at < sh.sh_offset + sh.sh_size;) {
            Elf64_Nhdr nh;
            memcpy(&nh, file + at, sizeof nh);
            const uint8_t *desc = file + at + sizeof nh + ((nh.n_namesz + 3) & ~3u);
            memcpy(&out->pc, desc, 8);
            memcpy(&out->base, desc + 8, 8);
            memcpy(&out->semaphore, desc + 16, 8);
            const char *p = (const char *)desc + 24;
            snprintf(out->provider, sizeof out->provider, "%s", p);
            p += strlen(p) + 1;
            snprintf(out->name, sizeof out->name, "%s", p);
            p += strlen(p) + 1;
            snprintf(out->spec, sizeof out->spec, "%s", p);
            if (nh.n_type == 3 && strcmp(out->name, probe) == 0)
                return 0;
            at += sizeof nh + ((nh.n_namesz + 3) & ~3u) + ((nh.n_descsz + 3) & ~3u);
        }
    }
    return -1;
}

/* One argument location: a register number, or a stack offset. */
struct location {
    int is_memory;
    int reg;
    long offset;
    int size;
};

static struct location locations[DTP_MAX_ARGS];
static int location_count;
static uint64_t seen[DTP_MAX_ARGS];
static volatile sig_atomic_t trapped;

#if defined(__x86_64__)
static const uint8_t breakpoint[] = {0xcc};
static int parse_register(const char *name)
{
    static const struct { const char *name; int reg; } regs[] = {
        {"%rdi", REG_RDI}, {"%rsi", REG_RSI}, {"%rdx", REG_RDX},
        {"%rcx", REG_RCX}, {"%r8", REG_R8}, {"%r9", REG_R9},
    };
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
        if (strcmp(name, regs[i].name) == 0)
            return regs[i].reg;
    return -1;
}
static int parse_location(const char *text, struct location *l)
{
    char reg[16];
    if (sscanf(text, "%ld(%15[^)])", &l->offset, reg) == 2 && strcmp(reg, "%rsp") == 0) {
        l->is_memory = 1;
        return 0;
    }
    l->reg = parse_register(text);
    return l->reg < 0 ? -1 : 0;
}
static uint64_t register_value(ucontext_t *uc, int reg) { return (uint64_t)uc->uc_mcontext.gregs[reg]; }
static uint64_t stack_pointer(ucontext_t *uc) { return (uint64_t)uc->uc_mcontext.gregs[REG_RSP]; }
/* int3 replaced the first byte of the five-byte nop and moved past it: skip the other four */
static void step_over(ucontext_t *uc) { uc->uc_mcontext.gregs[REG_RIP] += 4; }
#elif defined(__aarch64__)
static const uint8_t breakpoint[] = {0x00, 0x00, 0x20, 0xd4}; /* brk #0 */
static int parse_location(const char *text, struct location *l)
{
    if (sscanf(text, "[sp, %ld]", &l->offset) == 1) {
        l->is_memory = 1;
        return 0;
    }
    return sscanf(text, "x%d", &l->reg) == 1 && l->reg >= 0 && l->reg < 31 ? 0 : -1;
}
static uint64_t register_value(ucontext_t *uc, int reg) { return uc->uc_mcontext.regs[reg]; }
static uint64_t stack_pointer(ucontext_t *uc) { return uc->uc_mcontext.sp; }
static void step_over(ucontext_t *uc) { uc->uc_mcontext.pc += 4; }
#endif

/* Parses "SIZE@LOCATION ..." into locations[]. */
static int parse_spec(const char *spec)
{
    char copy[300];
    snprintf(copy, sizeof copy, "%s", spec);
    location_count = 0;
    for (char *save, *token = strtok_r(copy, " ", &save); token; token = strtok_r(NULL, " ", &save)) {
        /* "[sp, 8]" holds a space: glue it back to the next token */
        char argument[64];
        snprintf(argument, sizeof argument, "%s", token);
        if (strchr(token, '[') && !strchr(token, ']')) {
            char *rest = strtok_r(NULL, " ", &save);
            snprintf(argument, sizeof argument, "%s %s", token, rest ? rest : "");
        }
        struct location *l = &locations[location_count];
        memset(l, 0, sizeof *l);
        char *at = strchr(argument, '@');
        if (!at || location_count == DTP_MAX_ARGS)
            return -1;
        l->size = atoi(argument);
        if (parse_location(at + 1, l) != 0)
            return -1;
        location_count++;
    }
    return 0;
}

static void on_trap(int signal, siginfo_t *info, void *context)
{
    (void)signal;
    (void)info;
    ucontext_t *uc = context;
    for (int i = 0; i < location_count; i++) {
        const struct location *l = &locations[i];
        seen[i] = l->is_memory ? *(const uint64_t *)(stack_pointer(uc) + (uint64_t)l->offset)
                               : register_value(uc, l->reg);
    }
    trapped++;
    step_over(uc);
}

/* Loads the probe, breaks on it, fires args and checks what the "tracer" saw. */
static void fire_and_check(dtp_probe *probe, const char *name, int argc, const dtp_arg_type *types,
                           const uint64_t *args)
{
    struct note note;
    CHECK(read_note(dtp_probe_object_path(probe), name, &note) == 0);
    CHECK(parse_spec(note.spec) == 0);
    CHECK(location_count == argc);
    for (int i = 0; i < location_count && i < argc; i++)
        CHECK(locations[i].size == (types[i] == DTP_ARG_INT64 ? -8 : 8));

    /* The semaphore in the note is the one dtp_probe_semaphore hands out. */
    uint8_t *base = (uint8_t *)(uintptr_t)dtp_probe_semaphore(probe) - note.semaphore;
    uint8_t *pc = base + note.pc;
    long page = sysconf(_SC_PAGESIZE);
    uint8_t *page_start = (uint8_t *)((uintptr_t)pc & ~(uintptr_t)(page - 1));
    uint8_t saved[sizeof breakpoint];
    CHECK(mprotect(page_start, (size_t)page, PROT_READ | PROT_WRITE | PROT_EXEC) == 0);
    memcpy(saved, pc, sizeof saved);
    memcpy(pc, breakpoint, sizeof breakpoint);
    __builtin___clear_cache((char *)pc, (char *)pc + sizeof breakpoint);

    memset(seen, 0, sizeof seen);
    trapped = 0;
    dtp_probe_fire(probe, args);
    CHECK(trapped == 1);
    for (int i = 0; i < argc; i++) {
        CHECK(seen[i] == args[i]);
        if (seen[i] != args[i])
            fprintf(stderr, "  argument %d: fired %#llx, tracer read %#llx\n", i,
                    (unsigned long long)args[i], (unsigned long long)seen[i]);
    }
    memcpy(pc, saved, sizeof saved);
    __builtin___clear_cache((char *)pc, (char *)pc + sizeof breakpoint);
    CHECK(mprotect(page_start, (size_t)page, PROT_READ | PROT_EXEC) == 0);
}

static char parent[] = "/tmp/dtp-fire-XXXXXX";

static void every_argument_is_where_the_note_says(void)
{
    dtp_arg_type types[DTP_MAX_ARGS];
    uint64_t args[DTP_MAX_ARGS];
    static const char text[] = "hello, dtrace";
    for (int i = 0; i < DTP_MAX_ARGS; i++) {
        types[i] = i % 3 == 2 ? DTP_ARG_STRING : DTP_ARG_INT64;
        args[i] = types[i] == DTP_ARG_STRING ? (uint64_t)(uintptr_t)text : 0x1111111111111111ull * (unsigned)(i + 1);
    }
    args[0] = (uint64_t)INT64_MIN;
    args[1] = (uint64_t)-1;

    dtp_provider *p = dtp_provider_create("firetest", NULL);
    dtp_probe *none = dtp_probe_add(p, "no_args", 0, NULL);
    dtp_probe *two = dtp_probe_add(p, "two", 2, types);
    dtp_probe *all = dtp_probe_add(p, "twelve", DTP_MAX_ARGS, types);
    CHECK(dtp_provider_enable(p, parent) == 0);
    fire_and_check(none, "no_args", 0, types, args);
    fire_and_check(two, "two", 2, types, args);
    fire_and_check(all, "twelve", DTP_MAX_ARGS, types, args);
    CHECK(strcmp((const char *)(uintptr_t)seen[2], text) == 0);

    /* A probe added after enable gets the same treatment in its own object. */
    dtp_probe *late = dtp_probe_add(p, "late", DTP_MAX_ARGS, types);
    CHECK(dtp_provider_enable(p, parent) == 0);
    fire_and_check(late, "late", DTP_MAX_ARGS, types, args);
    dtp_provider_destroy(p);
}

static void semaphore_is_what_a_tracer_increments(void)
{
    dtp_provider *p = dtp_provider_create("semtest", NULL);
    dtp_probe *a = dtp_probe_add(p, "a", 0, NULL);
    CHECK(dtp_provider_enable(p, parent) == 0);
    struct note note;
    CHECK(read_note(dtp_probe_object_path(a), "a", &note) == 0);
    volatile uint16_t *semaphore = (volatile uint16_t *)(uintptr_t)dtp_probe_semaphore(a);
    CHECK(*semaphore == 0);
    (*semaphore)++; /* what the kernel does when a uprobe with a reference counter attaches */
    CHECK(*dtp_probe_semaphore(a) == 1);
    dtp_provider_destroy(p);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_trap;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGTRAP, &sa, NULL);
    make_temporary_dir(parent);
    RUN(every_argument_is_where_the_note_says);
    RUN(semaphore_is_what_a_tracer_increments);
    return SUMMARY();
}
