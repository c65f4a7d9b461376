/*
 * The SystemTap SDT note of one probe: what tracers read to find the probe,
 * its semaphore and its arguments. Every string a tracer sees is made here,
 * so test/test_sdt_note.c can check them letter by letter.
 *
 * A note is a header (name size 8, type 3), the owner "stapsdt", then three
 * address-sized words (the probe point, .stapsdt.base, the semaphore) and
 * three NUL-terminated strings (provider, probe name, argument spec), padded
 * to 4 bytes.
 */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

#define SDT_NOTE_TYPE 3
#define SDT_OWNER "stapsdt"

static size_t align4(size_t value)
{
    return (value + 3) & ~(size_t)3;
}

/* "-8@%rdi 8@%rsi ...": signed 64-bit integers and unsigned 64-bit pointers. */
DTP_API const char *dtp_arg_location(int index)
{
    return index >= 0 && index < DTP_MAX_ARGS ? dtp_arch.arg_locations[index] : NULL;
}

void dtp_sdt_arg_spec(const struct dtp_probe *probe, char *spec, size_t len)
{
    size_t used = 0;
    spec[0] = '\0';
    for (int i = 0; i < probe->argc; i++) {
        used += (size_t)snprintf(spec + used, len - used, "%s%s@%s", i ? " " : "",
                                 probe->types[i] == DTP_ARG_INT64 ? "-8" : "8", dtp_arch.arg_locations[i]);
    }
}

/* The description's size: three words, then the three strings with their NULs. */
static size_t desc_size(const char *provider, const struct dtp_probe *probe, const char *spec)
{
    return 3 * sizeof(uint64_t) + strlen(provider) + 1 + strlen(probe->name) + 1 + strlen(spec) + 1;
}

size_t dtp_sdt_note_size(const char *provider, const struct dtp_probe *probe)
{
    char spec[DTP_SDT_SPEC_MAX];
    dtp_sdt_arg_spec(probe, spec, sizeof spec);
    return sizeof(Elf64_Nhdr) + sizeof SDT_OWNER + align4(desc_size(provider, probe, spec));
}

size_t dtp_sdt_note_write(uint8_t *note, const char *provider, const struct dtp_probe *probe,
                          uint64_t pc, uint64_t base, uint64_t semaphore)
{
    char spec[DTP_SDT_SPEC_MAX];
    dtp_sdt_arg_spec(probe, spec, sizeof spec);
    size_t desc = desc_size(provider, probe, spec);
    Elf64_Nhdr header = {.n_namesz = sizeof SDT_OWNER, .n_descsz = (Elf64_Word)desc, .n_type = SDT_NOTE_TYPE};
    memcpy(note, &header, sizeof header);
    memcpy(note + sizeof header, SDT_OWNER, sizeof SDT_OWNER);

    uint8_t *at = note + sizeof header + sizeof SDT_OWNER;
    uint64_t words[3] = {pc, base, semaphore};
    memcpy(at, words, sizeof words);
    char *s = (char *)at + sizeof words;
    s = stpcpy(s, provider) + 1;
    s = stpcpy(s, probe->name) + 1;
    s = stpcpy(s, spec) + 1;
    memset(s, 0, align4(desc) - desc); /* the padding */
    return sizeof header + sizeof SDT_OWNER + align4(desc);
}
