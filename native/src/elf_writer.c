/*
 * Builds, in memory, the ELF shared object that holds a provider's probes:
 *
 *   first PT_LOAD (R+X)   ELF header, program headers, .note.gnu.build-id, .hash,
 *                         .dynsym, .dynstr, .text (one stub per probe), .stapsdt.base
 *   second PT_LOAD (R+W)  .dynamic, .probes (one 16-bit semaphore per probe)
 *   not loaded            .note.stapsdt (one SDT note per probe), .shstrtab,
 *                         section headers
 *
 * Addresses are link-time addresses starting at 0, equal to file offsets, so
 * the object can be mapped segment by segment like any shared object.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define STUB_STRIDE 16
#define PROGRAM_HEADERS 5
#define SDT_NOTE_TYPE 3
#define BUILD_ID_SIZE 20
#define SPEC_MAX 256

enum section {
    SEC_NULL, SEC_BUILD_ID, SEC_HASH, SEC_DYNSYM, SEC_DYNSTR, SEC_TEXT, SEC_BASE,
    SEC_DYNAMIC, SEC_PROBES, SEC_NOTES, SEC_SHSTRTAB, SECTIONS
};

static const char *const section_names[SECTIONS] = {
    "", ".note.gnu.build-id", ".hash", ".dynsym", ".dynstr", ".text", ".stapsdt.base",
    ".dynamic", ".probes", ".note.stapsdt", ".shstrtab",
};

static size_t align_up(size_t value, size_t alignment)
{
    return (value + alignment - 1) / alignment * alignment;
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

/*
 * perf keys its cache of objects by build ID, so each distinct object needs
 * one: a hash of its contents (FNV-1a, run with three seeds for 20 bytes).
 */
static void build_id(const uint8_t *bytes, size_t size, uint8_t *id)
{
    uint8_t digest[24];
    for (int part = 0; part < 3; part++) {
        uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)part;
        for (size_t i = 0; i < size; i++)
            h = (h ^ bytes[i]) * 0x100000001b3ull;
        memcpy(digest + 8 * part, &h, 8);
    }
    memcpy(id, digest, BUILD_ID_SIZE);
}

/* "-8@%rdi 8@%rsi ...": signed 64-bit integers and unsigned 64-bit pointers. */
static void arg_spec(const struct dtp_probe *probe, char *spec, size_t len)
{
    size_t used = 0;
    spec[0] = '\0';
    for (int i = 0; i < probe->argc; i++) {
        char location[32];
        dtp_arch_arg_location(i, location, sizeof location);
        used += (size_t)snprintf(spec + used, len - used, "%s%s@%s", i ? " " : "",
                                 probe->types[i] == DTP_ARG_INT64 ? "-8" : "8", location);
    }
}

static size_t note_size(const char *provider, const struct dtp_probe *probe, const char *spec)
{
    size_t desc = 3 * sizeof(uint64_t) + strlen(provider) + strlen(probe->name) + strlen(spec) + 3;
    return sizeof(Elf64_Nhdr) + 8 + align_up(desc, 4);
}

/* Symbol names: PROVIDER_PROBE for the stub, PROVIDER_PROBE_semaphore as SystemTap names them. */
static void symbol_names(const char *provider, const struct dtp_probe *probe,
                         char *stub, char *semaphore, size_t len)
{
    snprintf(stub, len, "%s_%s", provider, probe->name);
    snprintf(semaphore, len, "%s_%s_semaphore", provider, probe->name);
}

int dtp_elf_build(const char *provider, struct dtp_probe *const *probes, size_t count,
                  const char *soname, size_t page_size, struct dtp_elf *out)
{
    enum { NAME_MAX_LEN = 2 * DTP_MAX_NAME + 16 };
    size_t symbols = 1 + 2 * count;
    size_t buckets = symbols;

    size_t dynstr_size = 1 + strlen(soname) + 1;
    size_t notes_size = 0;
    for (size_t i = 0; i < count; i++) {
        char stub[NAME_MAX_LEN], semaphore[NAME_MAX_LEN], spec[SPEC_MAX];
        symbol_names(provider, probes[i], stub, semaphore, sizeof stub);
        dynstr_size += strlen(stub) + 1 + strlen(semaphore) + 1;
        arg_spec(probes[i], spec, sizeof spec);
        notes_size += note_size(provider, probes[i], spec);
    }
    size_t shstrtab_size = 0;
    for (int s = 0; s < SECTIONS; s++)
        shstrtab_size += strlen(section_names[s]) + 1;

    Elf64_Shdr sh[SECTIONS];
    memset(sh, 0, sizeof sh);
    size_t offset = sizeof(Elf64_Ehdr) + PROGRAM_HEADERS * sizeof(Elf64_Phdr);
#define PLACE(s, alignment, bytes)                       \
    do {                                                 \
        offset = align_up(offset, (alignment));          \
        sh[s].sh_offset = offset;                        \
        sh[s].sh_size = (bytes);                         \
        sh[s].sh_addralign = (alignment);                \
        offset += (bytes);                               \
    } while (0)
    PLACE(SEC_BUILD_ID, 4, sizeof(Elf64_Nhdr) + 4 + BUILD_ID_SIZE);
    PLACE(SEC_HASH, 8, (2 + buckets + symbols) * sizeof(uint32_t));
    PLACE(SEC_DYNSYM, 8, symbols * sizeof(Elf64_Sym));
    PLACE(SEC_DYNSTR, 1, dynstr_size);
    PLACE(SEC_TEXT, STUB_STRIDE, count * STUB_STRIDE);
    PLACE(SEC_BASE, 1, 1);
    size_t text_end = offset;
    offset = align_up(offset, page_size);
    PLACE(SEC_DYNAMIC, 8, 7 * sizeof(Elf64_Dyn));
    PLACE(SEC_PROBES, 2, count * sizeof(uint16_t));
    size_t data_end = offset;
    PLACE(SEC_NOTES, 4, notes_size);
    PLACE(SEC_SHSTRTAB, 1, shstrtab_size);
#undef PLACE
    size_t section_headers = align_up(offset, 8);
    size_t size = section_headers + sizeof sh;

    memset(out, 0, sizeof *out);
    out->bytes = calloc(1, size);
    out->stub_addr = calloc(count ? count : 1, sizeof(size_t));
    out->semaphore_addr = calloc(count ? count : 1, sizeof(size_t));
    if (!out->bytes || !out->stub_addr || !out->semaphore_addr) {
        dtp_elf_free(out);
        dtp_set_error("out of memory building the object for provider %s", provider);
        return -1;
    }
    uint8_t *b = out->bytes;
    out->size = size;
    out->text_size = text_end;
    out->data_offset = sh[SEC_DYNAMIC].sh_offset;
    out->data_size = data_end - out->data_offset;

    /* Section headers: allocated sections have their address equal to their offset. */
    static const struct { Elf64_Word type; Elf64_Xword flags; } kinds[SECTIONS] = {
        [SEC_BUILD_ID] = {SHT_NOTE, SHF_ALLOC},
        [SEC_HASH] = {SHT_HASH, SHF_ALLOC},
        [SEC_DYNSYM] = {SHT_DYNSYM, SHF_ALLOC},
        [SEC_DYNSTR] = {SHT_STRTAB, SHF_ALLOC},
        [SEC_TEXT] = {SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR},
        [SEC_BASE] = {SHT_PROGBITS, SHF_ALLOC},
        [SEC_DYNAMIC] = {SHT_DYNAMIC, SHF_ALLOC | SHF_WRITE},
        [SEC_PROBES] = {SHT_PROGBITS, SHF_ALLOC | SHF_WRITE},
        [SEC_NOTES] = {SHT_NOTE, 0},
        [SEC_SHSTRTAB] = {SHT_STRTAB, 0},
    };
    size_t name = 0;
    for (int s = 0; s < SECTIONS; s++) {
        sh[s].sh_name = (Elf64_Word)name;
        memcpy(b + sh[SEC_SHSTRTAB].sh_offset + name, section_names[s], strlen(section_names[s]) + 1);
        name += strlen(section_names[s]) + 1;
        sh[s].sh_type = kinds[s].type;
        sh[s].sh_flags = kinds[s].flags;
        if (kinds[s].flags & SHF_ALLOC)
            sh[s].sh_addr = sh[s].sh_offset;
    }
    sh[SEC_NULL].sh_addralign = 0;
    sh[SEC_HASH].sh_link = SEC_DYNSYM;
    sh[SEC_HASH].sh_entsize = sizeof(uint32_t);
    sh[SEC_DYNSYM].sh_link = SEC_DYNSTR;
    sh[SEC_DYNSYM].sh_info = 1; /* index of the first global symbol */
    sh[SEC_DYNSYM].sh_entsize = sizeof(Elf64_Sym);
    sh[SEC_DYNAMIC].sh_link = SEC_DYNSTR;
    sh[SEC_DYNAMIC].sh_entsize = sizeof(Elf64_Dyn);
    memcpy(b + section_headers, sh, sizeof sh);

    Elf64_Ehdr eh = {
        .e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, ELFOSABI_SYSV},
        .e_type = ET_DYN,
        .e_machine = dtp_arch.elf_machine,
        .e_version = EV_CURRENT,
        .e_phoff = sizeof(Elf64_Ehdr),
        .e_shoff = section_headers,
        .e_ehsize = sizeof(Elf64_Ehdr),
        .e_phentsize = sizeof(Elf64_Phdr),
        .e_phnum = PROGRAM_HEADERS,
        .e_shentsize = sizeof(Elf64_Shdr),
        .e_shnum = SECTIONS,
        .e_shstrndx = SEC_SHSTRTAB,
    };
    memcpy(b, &eh, sizeof eh);

    Elf64_Phdr ph[PROGRAM_HEADERS] = {
        {.p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0, .p_vaddr = 0, .p_paddr = 0,
         .p_filesz = text_end, .p_memsz = text_end, .p_align = page_size},
        {.p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = out->data_offset,
         .p_vaddr = out->data_offset, .p_paddr = out->data_offset,
         .p_filesz = out->data_size, .p_memsz = out->data_size, .p_align = page_size},
        {.p_type = PT_DYNAMIC, .p_flags = PF_R | PF_W, .p_offset = sh[SEC_DYNAMIC].sh_offset,
         .p_vaddr = sh[SEC_DYNAMIC].sh_offset, .p_paddr = sh[SEC_DYNAMIC].sh_offset,
         .p_filesz = sh[SEC_DYNAMIC].sh_size, .p_memsz = sh[SEC_DYNAMIC].sh_size, .p_align = 8},
        {.p_type = PT_NOTE, .p_flags = PF_R, .p_offset = sh[SEC_BUILD_ID].sh_offset,
         .p_vaddr = sh[SEC_BUILD_ID].sh_offset, .p_paddr = sh[SEC_BUILD_ID].sh_offset,
         .p_filesz = sh[SEC_BUILD_ID].sh_size, .p_memsz = sh[SEC_BUILD_ID].sh_size, .p_align = 4},
        {.p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W, .p_align = 16},
    };
    memcpy(b + eh.e_phoff, ph, sizeof ph);

    /* .dynstr and .dynsym, with the hash table the loader uses to look symbols up. */
    char *dynstr = (char *)b + sh[SEC_DYNSTR].sh_offset;
    size_t dynstr_used = 1;
    size_t soname_index = dynstr_used;
    memcpy(dynstr + dynstr_used, soname, strlen(soname) + 1);
    dynstr_used += strlen(soname) + 1;
    uint32_t *hash = (uint32_t *)(b + sh[SEC_HASH].sh_offset);
    uint32_t *bucket = hash + 2, *chain = hash + 2 + buckets;
    hash[0] = (uint32_t)buckets;
    hash[1] = (uint32_t)symbols;

    uint8_t *text = b + sh[SEC_TEXT].sh_offset;
    memset(text, dtp_arch.fill, sh[SEC_TEXT].sh_size);
    uint8_t *note = b + sh[SEC_NOTES].sh_offset;
    uint64_t base_addr = sh[SEC_BASE].sh_addr;

    for (size_t i = 0; i < count; i++) {
        const struct dtp_probe *probe = probes[i];
        out->stub_addr[i] = sh[SEC_TEXT].sh_addr + i * STUB_STRIDE;
        out->semaphore_addr[i] = sh[SEC_PROBES].sh_addr + i * sizeof(uint16_t);
        memcpy(text + i * STUB_STRIDE, dtp_arch.stub, dtp_arch.stub_size);

        char names[2][NAME_MAX_LEN];
        symbol_names(provider, probe, names[0], names[1], NAME_MAX_LEN);
        for (int k = 0; k < 2; k++) {
            size_t index = 1 + 2 * i + (size_t)k;
            Elf64_Sym sym = {
                .st_name = (Elf64_Word)dynstr_used,
                .st_info = ELF64_ST_INFO(STB_GLOBAL, k == 0 ? STT_FUNC : STT_OBJECT),
                .st_other = STV_DEFAULT,
                .st_shndx = k == 0 ? SEC_TEXT : SEC_PROBES,
                .st_value = k == 0 ? out->stub_addr[i] : out->semaphore_addr[i],
                .st_size = k == 0 ? dtp_arch.stub_size : sizeof(uint16_t),
            };
            memcpy(b + sh[SEC_DYNSYM].sh_offset + index * sizeof sym, &sym, sizeof sym);
            memcpy(dynstr + dynstr_used, names[k], strlen(names[k]) + 1);
            dynstr_used += strlen(names[k]) + 1;
            uint32_t slot = elf_hash(names[k]) % (uint32_t)buckets;
            chain[index] = bucket[slot];
            bucket[slot] = (uint32_t)index;
        }

        /* The SDT note: header, owner "stapsdt", then pc, base, semaphore and three strings. */
        char spec[SPEC_MAX];
        arg_spec(probe, spec, sizeof spec);
        size_t strings = strlen(provider) + strlen(probe->name) + strlen(spec) + 3;
        Elf64_Nhdr nh = {.n_namesz = 8, .n_descsz = (Elf64_Word)(3 * sizeof(uint64_t) + strings),
                         .n_type = SDT_NOTE_TYPE};
        memcpy(note, &nh, sizeof nh);
        memcpy(note + sizeof nh, "stapsdt", 8);
        uint64_t words[3] = {out->stub_addr[i], base_addr, out->semaphore_addr[i]};
        uint8_t *desc = note + sizeof nh + 8;
        memcpy(desc, words, sizeof words);
        char *s = (char *)desc + sizeof words;
        s += sprintf(s, "%s", provider) + 1;
        s += sprintf(s, "%s", probe->name) + 1;
        sprintf(s, "%s", spec);
        note += note_size(provider, probe, spec);
    }

    Elf64_Dyn dynamic[7] = {
        {.d_tag = DT_HASH, .d_un.d_ptr = sh[SEC_HASH].sh_addr},
        {.d_tag = DT_STRTAB, .d_un.d_ptr = sh[SEC_DYNSTR].sh_addr},
        {.d_tag = DT_SYMTAB, .d_un.d_ptr = sh[SEC_DYNSYM].sh_addr},
        {.d_tag = DT_STRSZ, .d_un.d_val = dynstr_size},
        {.d_tag = DT_SYMENT, .d_un.d_val = sizeof(Elf64_Sym)},
        {.d_tag = DT_SONAME, .d_un.d_val = soname_index},
        {.d_tag = DT_NULL},
    };
    memcpy(b + sh[SEC_DYNAMIC].sh_offset, dynamic, sizeof dynamic);

    /* Last, once every other byte is in place. */
    Elf64_Nhdr id_header = {.n_namesz = 4, .n_descsz = BUILD_ID_SIZE, .n_type = NT_GNU_BUILD_ID};
    uint8_t *id_note = b + sh[SEC_BUILD_ID].sh_offset;
    memcpy(id_note, &id_header, sizeof id_header);
    memcpy(id_note + sizeof id_header, "GNU", 4);
    build_id(b, size, id_note + sizeof id_header + 4);
    return 0;
}

void dtp_elf_free(struct dtp_elf *elf)
{
    free(elf->bytes);
    free(elf->stub_addr);
    free(elf->semaphore_addr);
    memset(elf, 0, sizeof *elf);
}
