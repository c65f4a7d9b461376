/*
 * Fuzz target: definitions and the ELF writer. The input is read as a provider
 * name, a module name, then probes (name, argument count, argument types);
 * whatever the core accepts is built into an object in memory, and the object
 * is walked to check that every section, note and address stays in bounds.
 *
 * Input layout: each string is a length byte then that many bytes; each probe
 * is a name string, a signed argument count byte, then one type byte per argument.
 */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond) \
    do {              \
        if (!(cond))  \
            abort();  \
    } while (0)

static int take_byte(const uint8_t **data, size_t *size, int *out)
{
    if (*size == 0)
        return 0;
    *out = **data;
    (*data)++;
    (*size)--;
    return 1;
}

static int take_string(const uint8_t **data, size_t *size, char *out, size_t max)
{
    int len;
    if (!take_byte(data, size, &len) || (size_t)len > *size || (size_t)len >= max)
        return 0;
    memcpy(out, *data, (size_t)len);
    out[len] = '\0';
    *data += len;
    *size -= (size_t)len;
    return 1;
}

static Elf64_Shdr section(const struct dtp_elf *elf, const Elf64_Ehdr *eh, int index)
{
    Elf64_Shdr sh;
    memcpy(&sh, elf->bytes + eh->e_shoff + (size_t)index * sizeof sh, sizeof sh);
    return sh;
}

/* Walks the object the way a tracer would and aborts on anything out of bounds. */
static void check_object(const struct dtp_elf *elf, size_t probes)
{
    Elf64_Ehdr eh;
    REQUIRE(elf->size >= sizeof eh);
    memcpy(&eh, elf->bytes, sizeof eh);
    REQUIRE(memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0);
    REQUIRE(eh.e_shoff + (size_t)eh.e_shnum * sizeof(Elf64_Shdr) <= elf->size);
    REQUIRE(eh.e_shstrndx < eh.e_shnum);
    Elf64_Shdr names = section(elf, &eh, eh.e_shstrndx);
    REQUIRE(names.sh_offset + names.sh_size <= elf->size);
    Elf64_Shdr text = {0}, semaphores = {0}, notes = {0};
    for (int i = 0; i < eh.e_shnum; i++) {
        Elf64_Shdr sh = section(elf, &eh, i);
        REQUIRE(sh.sh_type == SHT_NULL || sh.sh_offset + sh.sh_size <= elf->size);
        REQUIRE(sh.sh_name < names.sh_size);
        const char *name = (const char *)elf->bytes + names.sh_offset + sh.sh_name;
        if (strcmp(name, ".text") == 0)
            text = sh;
        else if (strcmp(name, ".probes") == 0)
            semaphores = sh;
        else if (strcmp(name, ".note.stapsdt") == 0)
            notes = sh;
    }
    size_t found = 0;
    for (size_t at = notes.sh_offset; at < notes.sh_offset + notes.sh_size; found++) {
        Elf64_Nhdr nh;
        REQUIRE(at + sizeof nh <= notes.sh_offset + notes.sh_size);
        memcpy(&nh, elf->bytes + at, sizeof nh);
        size_t desc_at = at + sizeof nh + ((nh.n_namesz + 3) & ~3u);
        size_t end = desc_at + ((nh.n_descsz + 3) & ~3u);
        REQUIRE(end <= notes.sh_offset + notes.sh_size && nh.n_descsz >= 24 + 3);
        uint64_t pc, semaphore;
        memcpy(&pc, elf->bytes + desc_at, 8);
        memcpy(&semaphore, elf->bytes + desc_at + 16, 8);
        REQUIRE(pc >= text.sh_addr && pc < text.sh_addr + text.sh_size);
        REQUIRE(semaphore >= semaphores.sh_addr && semaphore + 2 <= semaphores.sh_addr + semaphores.sh_size);
        /* three NUL-terminated strings inside the description */
        const uint8_t *strings = elf->bytes + desc_at + 24;
        size_t left = nh.n_descsz - 24;
        for (int s = 0; s < 3; s++) {
            const uint8_t *nul = memchr(strings, '\0', left);
            REQUIRE(nul != NULL);
            left -= (size_t)(nul - strings) + 1;
            strings = nul + 1;
        }
        at = end;
    }
    REQUIRE(found == probes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char name[DTP_MAX_NAME + 16], module[DTP_MAX_NAME + 16];
    if (!take_string(&data, &size, name, sizeof name) || !take_string(&data, &size, module, sizeof module))
        return 0;
    dtp_provider *provider = dtp_provider_create(name, module[0] ? module : NULL);
    if (!provider)
        return 0;
    size_t count = 0;
    char probe_name[DTP_MAX_NAME + 16];
    int argc;
    while (count < 200 && take_string(&data, &size, probe_name, sizeof probe_name) &&
           take_byte(&data, &size, &argc)) {
        dtp_arg_type types[256];
        int signed_argc = (int8_t)argc;
        for (int i = 0; i < signed_argc; i++) {
            int type = 1;
            take_byte(&data, &size, &type);
            types[i] = (dtp_arg_type)(type % 4);
        }
        if (dtp_probe_add(provider, probe_name, signed_argc, types))
            count++;
    }
    struct dtp_probe **probes = malloc((count ? count : 1) * sizeof *probes);
    size_t n = 0;
    for (struct dtp_probe *p = provider->probes; p && probes; p = p->next)
        probes[n++] = p;
    struct dtp_elf elf;
    if (probes && dtp_elf_build(provider->name, probes, n, provider->module, 4096, &elf) == 0) {
        check_object(&elf, n);
        dtp_elf_free(&elf);
    }
    free(probes);
    dtp_provider_destroy(provider);
    return 0;
}
