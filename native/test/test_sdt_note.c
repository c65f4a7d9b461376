/*
 * The exact strings and bytes of SDT notes (src/sdt_note.c), as tracers read
 * them. Compiled with that unit and the architecture hooks rather than linked
 * to the library; each architecture's expectations are checked where the
 * test runs on it (natively, or under qemu-user by make check-cross).
 */
#include <elf.h>
#include <string.h>

#include "check.h"
#include "internal.h"

/* The spec of (int64, string), and of DTP_MAX_ARGS arguments with a string at every third. */
#if defined(__x86_64__)
#define TWO_ARGUMENTS "-8@%rdi 8@%rsi"
#define EVERY_ARGUMENT "-8@%rdi -8@%rsi 8@%rdx -8@%rcx -8@%r8 8@%r9 " \
                       "-8@8(%rsp) -8@16(%rsp) 8@24(%rsp) -8@32(%rsp) -8@40(%rsp) 8@48(%rsp)"
#elif defined(__aarch64__)
#define TWO_ARGUMENTS "-8@x0 8@x1"
#define EVERY_ARGUMENT "-8@x0 -8@x1 8@x2 -8@x3 -8@x4 8@x5 -8@x6 -8@x7 " \
                       "8@[sp, 0] -8@[sp, 8] -8@[sp, 16] 8@[sp, 24]"
#endif

static struct dtp_probe probe_of(const char *name, int argc)
{
    struct dtp_probe probe;
    memset(&probe, 0, sizeof probe);
    snprintf(probe.name, sizeof probe.name, "%s", name);
    probe.argc = argc;
    for (int i = 0; i < argc; i++)
        probe.types[i] = i % 3 == (argc == 2 ? 1 : 2) ? DTP_ARG_STRING : DTP_ARG_INT64;
    return probe;
}

static void argument_specs_name_each_argument_where_the_call_puts_it(void)
{
    char spec[DTP_SDT_SPEC_MAX];
    struct dtp_probe none = probe_of("none", 0), two = probe_of("two", 2), all = probe_of("all", DTP_MAX_ARGS);
    dtp_sdt_arg_spec(&none, spec, sizeof spec);
    CHECK(strcmp(spec, "") == 0);
    dtp_sdt_arg_spec(&two, spec, sizeof spec);
    CHECK(strcmp(spec, TWO_ARGUMENTS) == 0);
    dtp_sdt_arg_spec(&all, spec, sizeof spec);
    CHECK(strcmp(spec, EVERY_ARGUMENT) == 0);
}

static void a_note_is_header_owner_addresses_and_three_strings(void)
{
    static const char strings[] = "shop\0order__placed\0" TWO_ARGUMENTS; /* with its last NUL */
    struct dtp_probe probe = probe_of("order__placed", 2);
    uint8_t note[256];
    memset(note, 0xaa, sizeof note);
    size_t size = dtp_sdt_note_write(note, "shop", &probe, 0x1000, 0x2000, 0x3000);

    size_t desc = 3 * sizeof(uint64_t) + sizeof strings;
    size_t padded = (desc + 3) / 4 * 4;
    CHECK(size == sizeof(Elf64_Nhdr) + 8 + padded);
    CHECK(size == dtp_sdt_note_size("shop", &probe));
    Elf64_Nhdr header;
    memcpy(&header, note, sizeof header);
    CHECK(header.n_namesz == 8 && header.n_descsz == desc && header.n_type == 3);
    CHECK(memcmp(note + sizeof header, "stapsdt", 8) == 0);

    const uint8_t *at = note + sizeof header + 8;
    uint64_t words[3];
    memcpy(words, at, sizeof words);
    CHECK(words[0] == 0x1000 && words[1] == 0x2000 && words[2] == 0x3000);
    CHECK(memcmp(at + sizeof words, strings, sizeof strings) == 0);
    for (size_t i = desc; i < padded; i++)
        CHECK(at[i] == 0);
    CHECK(note[size] == 0xaa); /* nothing written past the note */
}

int main(void)
{
    RUN(argument_specs_name_each_argument_where_the_call_puts_it);
    RUN(a_note_is_header_owner_addresses_and_three_strings);
    return SUMMARY();
}
