/* What the BPF program sends to the loader for each fire: shared by both sides. */
#ifndef USDT_READER_H
#define USDT_READER_H

#include <linux/types.h>

/* The SDT convention and libbpf both stop at 12 arguments. */
#define MAX_ARGS 12
/* Strings are cut here (NUL included): enough for the tests, small enough for one ring buffer record. */
#define MAX_STRING 256

struct fire {
	__s32 arg_count;          /* bpf_usdt_arg_cnt(), negative if libbpf had no spec for the fire */
	__s32 error[MAX_ARGS];    /* 0, or the negative error of bpf_usdt_arg() or of the string read */
	__s64 value[MAX_ARGS];    /* the argument as the note's spec describes it */
	char string[MAX_ARGS][MAX_STRING]; /* for arguments marked as strings: the text value[i] points to */
};

#endif
