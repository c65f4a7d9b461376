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
 *
 * Two passes: the layout decides where every section goes, then the headers
 * here and one builder per section (elf_sections.c) fill the bytes in.
 */
#include <stdlib.h>
#include <string.h>

#include "elf_sections.h"

#define PROGRAM_HEADERS 5

static size_t align_up(size_t value, size_t alignment)
{
    return (value + alignment - 1) / alignment * alignment;
}

/* Places every section after the headers, in order; the writable segment starts on a page of its own. */
static void plan_layout(struct elf_image *image, size_t page_size)
{
    struct elf_layout *l = &image->layout;
    memset(l, 0, sizeof *l);
    l->page_size = page_size;
    size_t offset = sizeof(Elf64_Ehdr) + PROGRAM_HEADERS * sizeof(Elf64_Phdr);
    for (int s = SEC_NULL + 1; s < SECTIONS; s++) {
        if (s == SEC_DYNAMIC) {
            l->text_end = offset;
            offset = align_up(offset, page_size);
        }
        offset = align_up(offset, elf_section_kinds[s].align);
        l->section[s].offset = offset;
        l->section[s].size = elf_section_size(image, s);
        offset += l->section[s].size;
        if (s == SEC_PROBES)
            l->data_end = offset;
    }
    l->section_headers = align_up(offset, 8);
    l->size = l->section_headers + SECTIONS * sizeof(Elf64_Shdr);
}

static void write_elf_header(const struct elf_image *image)
{
    Elf64_Ehdr eh = {
        .e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, ELFOSABI_SYSV},
        .e_type = ET_DYN,
        .e_machine = dtp_arch.elf_machine,
        .e_version = EV_CURRENT,
        .e_phoff = sizeof(Elf64_Ehdr),
        .e_shoff = image->layout.section_headers,
        .e_ehsize = sizeof(Elf64_Ehdr),
        .e_phentsize = sizeof(Elf64_Phdr),
        .e_phnum = PROGRAM_HEADERS,
        .e_shentsize = sizeof(Elf64_Shdr),
        .e_shnum = SECTIONS,
        .e_shstrndx = SEC_SHSTRTAB,
    };
    memcpy(image->bytes, &eh, sizeof eh);
}

/* A segment whose address is its file offset, as everywhere in this object. */
static Elf64_Phdr segment(Elf64_Word type, Elf64_Word flags, size_t offset, size_t size, size_t align)
{
    return (Elf64_Phdr){.p_type = type, .p_flags = flags, .p_offset = offset, .p_vaddr = offset,
                        .p_paddr = offset, .p_filesz = size, .p_memsz = size, .p_align = align};
}

static void write_program_headers(const struct elf_image *image)
{
    const struct elf_layout *l = &image->layout;
    size_t data = l->section[SEC_DYNAMIC].offset;
    Elf64_Phdr ph[PROGRAM_HEADERS] = {
        segment(PT_LOAD, PF_R | PF_X, 0, l->text_end, l->page_size),
        segment(PT_LOAD, PF_R | PF_W, data, l->data_end - data, l->page_size),
        segment(PT_DYNAMIC, PF_R | PF_W, data, l->section[SEC_DYNAMIC].size, 8),
        segment(PT_NOTE, PF_R, l->section[SEC_BUILD_ID].offset, l->section[SEC_BUILD_ID].size, 4),
        segment(PT_GNU_STACK, PF_R | PF_W, 0, 0, 16),
    };
    memcpy(image->bytes + sizeof(Elf64_Ehdr), ph, sizeof ph);
}

/* Allocated sections have their address equal to their offset; names are in .shstrtab in section order. */
static void write_section_headers(const struct elf_image *image)
{
    const struct elf_layout *l = &image->layout;
    size_t name = 0;
    for (int s = 0; s < SECTIONS; s++) {
        const struct section_kind *kind = &elf_section_kinds[s];
        Elf64_Shdr sh = {
            .sh_name = (Elf64_Word)name,
            .sh_type = kind->type,
            .sh_flags = kind->flags,
            .sh_addr = kind->flags & SHF_ALLOC ? l->section[s].offset : 0,
            .sh_offset = l->section[s].offset,
            .sh_size = l->section[s].size,
            .sh_link = kind->link,
            .sh_info = kind->info,
            .sh_addralign = kind->align,
            .sh_entsize = kind->entsize,
        };
        memcpy(image->bytes + l->section_headers + (size_t)s * sizeof sh, &sh, sizeof sh);
        name += strlen(kind->name) + 1;
    }
}

/* What the caller needs to map the object and find each probe in it. */
static void describe(const struct elf_image *image, struct dtp_elf *out)
{
    const struct elf_layout *l = &image->layout;
    out->size = l->size;
    out->text_size = l->text_end;
    out->data_offset = l->section[SEC_DYNAMIC].offset;
    out->data_size = l->data_end - out->data_offset;
    out->semaphores_offset = l->section[SEC_PROBES].offset;
    for (size_t i = 0; i < image->count; i++) {
        out->stub_addr[i] = stub_addr(image, i);
        out->semaphore_addr[i] = semaphore_addr(image, i);
    }
}

int dtp_elf_build(const char *provider, struct dtp_probe *const *probes, size_t count,
                  const char *soname, size_t page_size, struct dtp_elf *out)
{
    struct elf_image image = {
        .provider = provider, .soname = soname, .probes = probes, .count = count, .symbols = 1 + 2 * count,
    };
    plan_layout(&image, page_size);

    memset(out, 0, sizeof *out);
    out->bytes = calloc(1, image.layout.size);
    out->stub_addr = calloc(count ? count : 1, sizeof(size_t));
    out->semaphore_addr = calloc(count ? count : 1, sizeof(size_t));
    if (!out->bytes || !out->stub_addr || !out->semaphore_addr) {
        dtp_elf_free(out);
        dtp_set_error("out of memory building the object for provider %s", provider);
        return -1;
    }
    image.bytes = out->bytes;

    write_elf_header(&image);
    write_program_headers(&image);
    elf_build_dynstr(&image);
    elf_build_hash(&image);
    elf_build_dynsym(&image);
    elf_build_text(&image);
    elf_build_dynamic(&image);
    elf_build_sdt_notes(&image);
    elf_build_shstrtab(&image);
    write_section_headers(&image);
    elf_build_build_id(&image);
    describe(&image, out);
    return 0;
}

void dtp_elf_free(struct dtp_elf *elf)
{
    free(elf->bytes);
    free(elf->stub_addr);
    free(elf->semaphore_addr);
    memset(elf, 0, sizeof *elf);
}
