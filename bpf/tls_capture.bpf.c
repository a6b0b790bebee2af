// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* TLS plaintext capture: uprobes on the TLS libraries' write functions copy what the
 * application hands to TLS, before encryption, to a ring buffer in fixed-size chunks.
 *
 * The agent attaches these programs at the probe point probe_placement chose for each
 * function, which may be a few instructions after the entry: the argument registers are still
 * the caller's there (the placement rule guarantees it). Two programs cover the two calling
 * conventions: C (rdi, rsi, rdx) and Go's register ABI (rax, rbx, rcx).
 *
 * Only processes inside the scope cgroup are captured; everything else returns in the first
 * instructions. Nothing is dropped silently: a write past the chunk budget, a chunk the ring
 * buffer cannot take, or an unreadable buffer is flagged on the chunks that are sent and
 * counted.
 */
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>

#include "shared.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} scope_cgroup SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, SLUICE_TLS_RINGBUF_BYTES);
} tls_chunks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} write_seq SEC(".maps");

static __always_inline void count_n(__u32 which, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&conn_counters, &which);

	if (v)
		*v += n;
}

struct write_ctx {
	__u64 obj;
	__u64 buf;
	__u64 seq;
	__u64 cgroup_id;
	__u32 total;
	__u32 tgid;
	__u32 tid;
	__u8 lib;
	__u8 truncated;
	__u8 lost;
};

static long copy_chunk(__u32 i, void *data)
{
	struct write_ctx *w = data;
	struct sluice_tls_chunk *c;
	__u32 off = i * SLUICE_TLS_CHUNK, len;

	if (off >= w->total)
		return 1;
	len = w->total - off;
	if (len > SLUICE_TLS_CHUNK)
		len = SLUICE_TLS_CHUNK;
	c = bpf_ringbuf_reserve(&tls_chunks, sizeof(*c), 0);
	if (!c) {
		w->lost = 1;
		count(SLUICE_CNT_TLS_LOST);
		return 0; /* keep going: later chunks may fit, and the gap is visible by index */
	}
	c->ts_ns = bpf_ktime_get_ns();
	c->cgroup_id = w->cgroup_id;
	c->tls_obj = w->obj;
	c->seq = w->seq;
	c->tgid = w->tgid;
	c->tid = w->tid;
	c->total = w->total;
	c->offset = off;
	c->len = len;
	c->index = i;
	c->lib = w->lib;
	c->pad = 0;
	c->flags = 0;
	if (bpf_probe_read_user(c->data, len & (SLUICE_TLS_CHUNK - 1) ?: SLUICE_TLS_CHUNK,
				(void *)(w->buf + off))) {
		c->flags |= SLUICE_TLS_F_READ_FAILED;
		count(SLUICE_CNT_TLS_LOST);
	}
	if (off + len >= w->total || i + 1 >= SLUICE_TLS_MAX_CHUNKS) {
		c->flags |= SLUICE_TLS_F_LAST;
		if (w->truncated)
			c->flags |= SLUICE_TLS_F_TRUNCATED;
	}
	if (w->lost)
		c->flags |= SLUICE_TLS_F_READ_FAILED;
	bpf_ringbuf_submit(c, 0);
	count_n(SLUICE_CNT_TLS_BYTES, len);
	return 0;
}

static __always_inline int capture(struct pt_regs *ctx, __u64 obj, __u64 buf, __s64 len)
{
	struct write_ctx w = {};
	__u64 pid_tgid;
	__u32 zero = 0;
	__u64 *seq;

	if (len <= 0 || !buf)
		return 0;
	/* Outside the scope: return before doing any work. */
	if (bpf_current_task_under_cgroup(&scope_cgroup, 0) != 1)
		return 0;
	seq = bpf_map_lookup_elem(&write_seq, &zero);
	if (!seq)
		return 0;
	*seq += 1;
	pid_tgid = bpf_get_current_pid_tgid();
	w.obj = obj;
	w.buf = buf;
	w.seq = (*seq << 8) | bpf_get_smp_processor_id(); /* unique across CPUs */
	w.cgroup_id = bpf_get_current_cgroup_id();
	w.tgid = pid_tgid >> 32;
	w.tid = (__u32)pid_tgid;
	w.lib = bpf_get_attach_cookie(ctx) & 0xff; /* enum sluice_tls_lib, set per attachment */
	if (len > (__s64)SLUICE_TLS_CHUNK * SLUICE_TLS_MAX_CHUNKS) {
		w.total = SLUICE_TLS_CHUNK * SLUICE_TLS_MAX_CHUNKS;
		w.truncated = 1;
		count(SLUICE_CNT_TLS_LOST);
	} else {
		w.total = len;
	}
	count(SLUICE_CNT_TLS_WRITES);
	bpf_loop(SLUICE_TLS_MAX_CHUNKS, copy_chunk, &w, 0);
	return 0;
}

/* C libraries: (object, buffer, length) in rdi, rsi, rdx. */
SEC("uprobe")
int sluice_tls_write_sysv(struct pt_regs *ctx)
{
	return capture(ctx, ctx->rdi, ctx->rsi, (__s64)ctx->rdx);
}

/* Go crypto/tls.(*Conn).Write(b []byte): receiver in rax, slice pointer rbx, length rcx. */
SEC("uprobe")
int sluice_tls_write_go(struct pt_regs *ctx)
{
	return capture(ctx, ctx->rax, ctx->rbx, (__s64)ctx->rcx);
}
