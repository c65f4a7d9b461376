/* aarch64: the stub and where AAPCS64 puts each argument. */
#if defined(__aarch64__)
#include <elf.h>
#include <stdio.h>

#include "internal.h"

static const uint8_t stub[] = {
    0x1f, 0x20, 0x03, 0xd5, /* nop: the probe point; a tracer replaces it with brk */
    0xc0, 0x03, 0x5f, 0xd6, /* ret */
};

const struct dtp_arch dtp_arch = {
    .elf_machine = EM_AARCH64,
    .stub = stub,
    .stub_size = sizeof stub,
    .fill = 0x00, /* udf #0 */
};

void dtp_arch_arg_location(int index, char *buf, size_t len)
{
    if (index < 8)
        snprintf(buf, len, "x%d", index);
    else /* on entry sp points at the first stack argument; the return address is in x30 */
        snprintf(buf, len, "[sp, %d]", (index - 8) * 8);
}
#endif
