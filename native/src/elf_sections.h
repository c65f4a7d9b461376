/*
 * The ELF writer's two halves: the sections of the object and what each
 * holds (elf_sections.c), and where each goes plus the headers that say so
 * (elf_writer.c). Only these two files include this header.
 */
#ifndef DTP_ELF_SECTIONS_H
#define DTP_ELF_SECTIONS_H

#include <elf.h>

#include "internal.h"

#define STUB_STRIDE 16 /* bytes from one probe's stub to the next */

/* In file order: the first PT_LOAD ends after SEC_BASE, the second starts at SEC_DYNAMIC. */
enum section {
    SEC_NULL, SEC_BUILD_ID, SEC_HASH, SEC_DYNSYM, SEC_DYNSTR, SEC_TEXT, SEC_BASE,
    SEC_DYNAMIC, SEC_PROBES, SEC_NOTES, SEC_SHSTRTAB, SECTIONS
};

/* What a section header says about a section, apart from where it is. */
struct section_kind {
    const char *name;
    Elf64_Word type;
    Elf64_Xword flags;
    size_t align;
    size_t entsize;
    Elf64_Word link, info;
};
extern const struct section_kind elf_section_kinds[SECTIONS];

/* Where everything goes, decided once before any byte is written. */
struct elf_layout {
    struct {
        size_t offset, size; /* an allocated section's link-time address is its offset */
    } section[SECTIONS];
    size_t text_end;         /* first PT_LOAD (R+X): file offset 0 .. text_end */
    size_t data_end;         /* second PT_LOAD (R+W): section[SEC_DYNAMIC].offset .. data_end */
    size_t section_headers;  /* file offset of the section header table */
    size_t size;             /* of the file */
    size_t page_size;
};

/* The object being built: what goes in, where it goes, and the bytes (zeroed before any builder runs). */
struct elf_image {
    const char *provider;
    const char *soname;
    struct dtp_probe *const *probes;
    size_t count;
    size_t symbols;          /* the null symbol, then per probe its stub and its semaphore */
    struct elf_layout layout;
    uint8_t *bytes;
};

static inline uint8_t *section_bytes(const struct elf_image *image, enum section s)
{
    return image->bytes + image->layout.section[s].offset;
}

static inline size_t stub_addr(const struct elf_image *image, size_t probe)
{
    return image->layout.section[SEC_TEXT].offset + probe * STUB_STRIDE;
}

static inline size_t semaphore_addr(const struct elf_image *image, size_t probe)
{
    return image->layout.section[SEC_PROBES].offset + probe * sizeof(uint16_t);
}

/* elf_sections.c: a section's size, known before the layout; then one builder per section with contents. */
size_t elf_section_size(const struct elf_image *image, enum section s);
void elf_build_dynstr(const struct elf_image *image);
/* These two read the symbol names that elf_build_dynstr wrote. */
void elf_build_hash(const struct elf_image *image);
void elf_build_dynsym(const struct elf_image *image);
void elf_build_text(const struct elf_image *image);
void elf_build_dynamic(const struct elf_image *image);
void elf_build_sdt_notes(const struct elf_image *image);
void elf_build_shstrtab(const struct elf_image *image);
/* Last: it hashes every other byte of the file, with what sets this object apart from all others. */
void elf_build_build_id(const struct elf_image *image);

#endif
