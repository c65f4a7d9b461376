/* x86-64: the stub and where the System V calling convention puts each argument. */
#if defined(__x86_64__)
#include <elf.h>
#include <stdio.h>

#include "internal.h"

static const uint8_t stub[] = {
    0x90, /* nop: the probe point; a tracer replaces it with int3 */
    0xc3, /* ret */
};

const struct dtp_arch dtp_arch = {
    .elf_machine = EM_X86_64,
    .stub = stub,
    .stub_size = sizeof stub,
    .fill = 0xcc, /* int3 */
};

void dtp_arch_arg_location(int index, char *buf, size_t len)
{
    static const char *const registers[] = {"%rdi", "%rsi", "%rdx", "%rcx", "%r8", "%r9"};
    if (index < 6)
        snprintf(buf, len, "%s", registers[index]);
    else /* on entry %rsp points at the return address; stack arguments follow it */
        snprintf(buf, len, "%d(%%rsp)", (index - 5) * 8);
}
#endif
