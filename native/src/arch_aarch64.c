/* aarch64: the stub and where AAPCS64 puts each argument. */
#if defined(__aarch64__)
#include <elf.h>

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
    /* AAPCS64's eight argument registers; on entry sp points at the first stack argument (the return address is
       in x30) */
    .arg_locations = {
        "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7",
        "[sp, 0]", "[sp, 8]", "[sp, 16]", "[sp, 24]",
    },
};
#endif
