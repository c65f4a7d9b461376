/* x86-64: the stub and where the System V calling convention puts each argument. */
#if defined(__x86_64__)
#include <elf.h>

#include "internal.h"

/*
 * The probe point is a five-byte nop: a tracer puts int3 on its first byte like on any instruction, and from Linux
 * 6.18 on the kernel replaces a traced five-byte nop with a call into its uprobe trampoline, which is cheaper than
 * the int3 trap (BENCHMARKS.md, row 2).
 */
static const uint8_t stub[] = {
    0x0f, 0x1f, 0x44, 0x00, 0x00, /* nopl 0x0(%rax,%rax,1) */
    0xc3,                         /* ret */
};

const struct dtp_arch dtp_arch = {
    .elf_machine = EM_X86_64,
    .stub = stub,
    .stub_size = sizeof stub,
    .fill = 0xcc, /* int3 */
    /* the System V ABI's six argument registers; on entry %rsp points at the return address, the stack arguments
       follow it */
    .arg_locations = {
        "%rdi", "%rsi", "%rdx", "%rcx", "%r8", "%r9",
        "8(%rsp)", "16(%rsp)", "24(%rsp)", "32(%rsp)", "40(%rsp)", "48(%rsp)",
    },
};
#endif
