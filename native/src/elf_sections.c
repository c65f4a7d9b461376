/*
 * The sections of the object: what a section header says about each, how
 * big each is, and one builder per section that has contents. .stapsdt.base
 * (one byte tracers take the address of) and .probes (the semaphores, which
 * start at 0) have none: the file's bytes are zeroed before any builder runs.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "elf_sections.h"

#define BUILD_ID_SIZE 20
#define GNU_OWNER "GNU"
#define DYNAMIC_ENTRIES 7
#define SONAME_INDEX 1 /* where the soname starts in .dynstr, after the empty string */

enum { SYMBOL_NAME_MAX = 2 * DTP_MAX_NAME + 16 };

/* name, type, flags, alignment, entry size, link, info */
const struct section_kind elf_section_kinds[SECTIONS] = {
    [SEC_NULL] = {.name = ""},
    [SEC_BUILD_ID] = {".note.gnu.build-id", SHT_NOTE, SHF_ALLOC, 4, 0, 0, 0},
    [SEC_HASH] = {".hash", SHT_HASH, SHF_ALLOC, 8, sizeof(uint32_t), SEC_DYNSYM, 0},
    /* info: the index of the first global symbol */
    [SEC_DYNSYM] = {".dynsym", SHT_DYNSYM, SHF_ALLOC, 8, sizeof(Elf64_Sym), SEC_DYNSTR, 1},
    [SEC_DYNSTR] = {".dynstr", SHT_STRTAB, SHF_ALLOC, 1, 0, 0, 0},
    [SEC_TEXT] = {".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, STUB_STRIDE, 0, 0, 0},
    [SEC_BASE] = {".stapsdt.base", SHT_PROGBITS, SHF_ALLOC, 1, 0, 0, 0},
    [SEC_DYNAMIC] = {".dynamic", SHT_DYNAMIC, SHF_ALLOC | SHF_WRITE, 8, sizeof(Elf64_Dyn), SEC_DYNSTR, 0},
    [SEC_PROBES] = {".probes", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 2, 0, 0, 0},
    [SEC_NOTES] = {".note.stapsdt", SHT_NOTE, 0, 4, 0, 0, 0},
    [SEC_SHSTRTAB] = {".shstrtab", SHT_STRTAB, 0, 1, 0, 0, 0},
};

/* Symbol 1 + 2i is probe i's stub, 2 + 2i its semaphore (0 is the null symbol). */
static int is_stub(size_t symbol)
{
    return symbol % 2 == 1;
}

/* PROVIDER_PROBE for the stub, PROVIDER_PROBE_semaphore as SystemTap names it. */
static void symbol_name(const struct elf_image *image, size_t symbol, char *name)
{
    const char *probe = image->probes[(symbol - 1) / 2]->name;
    snprintf(name, SYMBOL_NAME_MAX, is_stub(symbol) ? "%s_%s" : "%s_%s_semaphore", image->provider, probe);
}

static size_t first_symbol_name(const struct elf_image *image)
{
    return SONAME_INDEX + strlen(image->soname) + 1;
}

static size_t dynstr_size(const struct elf_image *image)
{
    size_t size = first_symbol_name(image);
    for (size_t symbol = 1; symbol < image->symbols; symbol++) {
        char name[SYMBOL_NAME_MAX];
        symbol_name(image, symbol, name);
        size += strlen(name) + 1;
    }
    return size;
}

static size_t sdt_notes_size(const struct elf_image *image)
{
    size_t size = 0;
    for (size_t i = 0; i < image->count; i++)
        size += dtp_sdt_note_size(image->provider, image->probes[i]);
    return size;
}

static size_t shstrtab_size(void)
{
    size_t size = 0;
    for (int s = 0; s < SECTIONS; s++)
        size += strlen(elf_section_kinds[s].name) + 1;
    return size;
}

size_t elf_section_size(const struct elf_image *image, enum section s)
{
    switch (s) {
    case SEC_BUILD_ID: return sizeof(Elf64_Nhdr) + sizeof GNU_OWNER + BUILD_ID_SIZE;
    case SEC_HASH: return (2 + 2 * image->symbols) * sizeof(uint32_t); /* as many buckets as symbols */
    case SEC_DYNSYM: return image->symbols * sizeof(Elf64_Sym);
    case SEC_DYNSTR: return dynstr_size(image);
    case SEC_TEXT: return image->count * STUB_STRIDE;
    case SEC_BASE: return 1;
    case SEC_DYNAMIC: return DYNAMIC_ENTRIES * sizeof(Elf64_Dyn);
    case SEC_PROBES: return image->count * sizeof(uint16_t);
    case SEC_NOTES: return sdt_notes_size(image);
    case SEC_SHSTRTAB: return shstrtab_size();
    case SEC_NULL:
    case SECTIONS: break;
    }
    return 0;
}

/* The System V ABI's symbol hash, used by the loader to find exported symbols. */
static uint32_t elf_hash(const char *name)
{
    uint32_t h = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h = (h << 4) + *p;
        uint32_t high = h & 0xf0000000u;
        if (high)
            h ^= high >> 24;
        h &= ~high;
    }
    return h;
}

/* An empty string, the soname, then the symbols' names in symbol order, which .hash and .dynsym read. */
void elf_build_dynstr(const struct elf_image *image)
{
    char *at = (char *)section_bytes(image, SEC_DYNSTR) + SONAME_INDEX;
    at = stpcpy(at, image->soname) + 1;
    for (size_t symbol = 1; symbol < image->symbols; symbol++) {
        char name[SYMBOL_NAME_MAX];
        symbol_name(image, symbol, name);
        at = stpcpy(at, name) + 1;
    }
}

/* The hash table the loader looks symbols up in: a bucket and a chain per symbol. */
void elf_build_hash(const struct elf_image *image)
{
    uint32_t *hash = (uint32_t *)section_bytes(image, SEC_HASH);
    uint32_t buckets = (uint32_t)image->symbols;
    uint32_t *bucket = hash + 2, *chain = hash + 2 + buckets;
    hash[0] = buckets;
    hash[1] = (uint32_t)image->symbols;
    const char *name = (const char *)section_bytes(image, SEC_DYNSTR) + first_symbol_name(image);
    for (size_t symbol = 1; symbol < image->symbols; symbol++, name += strlen(name) + 1) {
        uint32_t slot = elf_hash(name) % buckets;
        chain[symbol] = bucket[slot];
        bucket[slot] = (uint32_t)symbol;
    }
}

/* One global symbol per stub and per semaphore. */
void elf_build_dynsym(const struct elf_image *image)
{
    uint8_t *table = section_bytes(image, SEC_DYNSYM);
    const char *dynstr = (const char *)section_bytes(image, SEC_DYNSTR);
    const char *name = dynstr + first_symbol_name(image);
    for (size_t symbol = 1; symbol < image->symbols; symbol++, name += strlen(name) + 1) {
        size_t probe = (symbol - 1) / 2;
        int stub = is_stub(symbol);
        Elf64_Sym sym = {
            .st_name = (Elf64_Word)(name - dynstr),
            .st_info = ELF64_ST_INFO(STB_GLOBAL, stub ? STT_FUNC : STT_OBJECT),
            .st_other = STV_DEFAULT,
            .st_shndx = stub ? SEC_TEXT : SEC_PROBES,
            .st_value = stub ? stub_addr(image, probe) : semaphore_addr(image, probe),
            .st_size = stub ? dtp_arch.stub_size : sizeof(uint16_t),
        };
        memcpy(table + symbol * sizeof sym, &sym, sizeof sym);
    }
}

/* One stub per probe, STUB_STRIDE apart; the gaps hold the architecture's trapping fill byte. */
void elf_build_text(const struct elf_image *image)
{
    uint8_t *text = section_bytes(image, SEC_TEXT);
    memset(text, dtp_arch.fill, image->layout.section[SEC_TEXT].size);
    for (size_t i = 0; i < image->count; i++)
        memcpy(text + i * STUB_STRIDE, dtp_arch.stub, dtp_arch.stub_size);
}

/* What the loader reads to look symbols up: .hash, .dynstr, .dynsym and the soname. */
void elf_build_dynamic(const struct elf_image *image)
{
    const struct elf_layout *l = &image->layout;
    Elf64_Dyn dynamic[] = {
        {.d_tag = DT_HASH, .d_un.d_ptr = l->section[SEC_HASH].offset},
        {.d_tag = DT_STRTAB, .d_un.d_ptr = l->section[SEC_DYNSTR].offset},
        {.d_tag = DT_SYMTAB, .d_un.d_ptr = l->section[SEC_DYNSYM].offset},
        {.d_tag = DT_STRSZ, .d_un.d_val = l->section[SEC_DYNSTR].size},
        {.d_tag = DT_SYMENT, .d_un.d_val = sizeof(Elf64_Sym)},
        {.d_tag = DT_SONAME, .d_un.d_val = SONAME_INDEX},
        {.d_tag = DT_NULL},
    };
    _Static_assert(sizeof dynamic == DYNAMIC_ENTRIES * sizeof(Elf64_Dyn), "the layout gives .dynamic this size");
    memcpy(section_bytes(image, SEC_DYNAMIC), dynamic, sizeof dynamic);
}

/* One SDT note per probe (sdt_note.c), pointing at its stub, .stapsdt.base and its semaphore. */
void elf_build_sdt_notes(const struct elf_image *image)
{
    uint8_t *note = section_bytes(image, SEC_NOTES);
    uint64_t base = image->layout.section[SEC_BASE].offset;
    for (size_t i = 0; i < image->count; i++)
        note += dtp_sdt_note_write(note, image->provider, image->probes[i], stub_addr(image, i), base,
                                   semaphore_addr(image, i));
}

/* The section names, in section order. */
void elf_build_shstrtab(const struct elf_image *image)
{
    char *at = (char *)section_bytes(image, SEC_SHSTRTAB);
    for (int s = 0; s < SECTIONS; s++)
        at = stpcpy(at, elf_section_kinds[s].name) + 1;
}

/* FNV-1a, 64 bits, continued from h over size bytes. */
static uint64_t fnv1a(uint64_t h, const void *bytes, size_t size)
{
    const uint8_t *b = bytes;
    for (size_t i = 0; i < size; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

/*
 * perf keys its cache of objects by build ID, so each object needs one of its
 * own: a hash (FNV-1a, run with three seeds for 20 bytes) of its contents and
 * of what sets this object apart from every other. Objects of one definition
 * have the same bytes in every process; were their build IDs the same too,
 * `perf buildid-cache --add` would keep the ID linked to the first such object
 * it saw (a process that has exited, after a restart) and `perf probe -x` on
 * the next one fails (-ENOENT). So the process, the time (wall clock and
 * monotonic) and a count of the objects built in this process go in as well:
 * no two objects share an ID, across processes, restarts and fork().
 */
void elf_build_build_id(const struct elf_image *image)
{
    static atomic_uint_least64_t objects_built;
    uint8_t *note = section_bytes(image, SEC_BUILD_ID);
    Elf64_Nhdr header = {.n_namesz = sizeof GNU_OWNER, .n_descsz = BUILD_ID_SIZE, .n_type = NT_GNU_BUILD_ID};
    memcpy(note, &header, sizeof header);
    memcpy(note + sizeof header, GNU_OWNER, sizeof GNU_OWNER);

    struct timespec wall = {0}, monotonic = {0};
    clock_gettime(CLOCK_REALTIME, &wall);
    clock_gettime(CLOCK_MONOTONIC, &monotonic);
    uint64_t unique[] = {
        (uint64_t)getpid(), atomic_fetch_add(&objects_built, 1),
        (uint64_t)wall.tv_sec, (uint64_t)wall.tv_nsec, (uint64_t)monotonic.tv_sec, (uint64_t)monotonic.tv_nsec,
    };
    uint8_t digest[24];
    for (int part = 0; part < 3; part++) {
        uint64_t h = fnv1a(0xcbf29ce484222325ull ^ (uint64_t)part, image->bytes, image->layout.size);
        h = fnv1a(h, unique, sizeof unique);
        memcpy(digest + 8 * part, &h, 8);
    }
    memcpy(note + sizeof header + sizeof GNU_OWNER, digest, BUILD_ID_SIZE);
}
