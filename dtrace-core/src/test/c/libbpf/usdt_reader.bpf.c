/*
 * Reads every argument of the USDT probe it is attached to, the way a libbpf-based tracer does, and sends
 * them to usdt_reader.c through a ring buffer. Which arguments are strings is not in the SDT note (a
 * pointer is just an 8-byte integer there): the loader says so in the attach cookie, one bit per argument.
 */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/ptrace.h> /* struct pt_regs, which the USDT helpers read registers from */
#include <bpf/bpf_helpers.h>
#include <bpf/usdt.bpf.h>

#include "usdt_reader.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} fires SEC(".maps");

SEC("usdt")
int read_fire(struct pt_regs *ctx)
{
	struct fire *fire = bpf_ringbuf_reserve(&fires, sizeof(*fire), 0);
	if (!fire)
		return 0; /* the loader fell behind: a missing line shows it */
	long strings = bpf_usdt_cookie(ctx);

	fire->arg_count = bpf_usdt_arg_cnt(ctx);
	/* All 12 slots rather than arg_count of them: a constant bound keeps the verifier's job simple, and
	 * slots past the count come back as -ENOENT, which the loader does not print. */
	for (int i = 0; i < MAX_ARGS; i++) {
		long value;

		fire->error[i] = bpf_usdt_arg(ctx, i, &value);
		fire->value[i] = value;
		if (fire->error[i] == 0 && (strings & (1L << i)) && value != 0) {
			long length = bpf_probe_read_user_str(fire->string[i], MAX_STRING, (const void *)value);
			if (length < 0)
				fire->error[i] = length;
		}
	}
	bpf_ringbuf_submit(fire, 0);
	return 0;
}
