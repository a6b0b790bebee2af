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
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct sluice_capture_config);
} capture_cfg SEC(".maps");

/* Set before load. Capture every process in the scope, not only those with an inspect-class
 * socket: for a capture that runs without the enforcement programs (its own tests, and
 * `sluicectl tls` diagnostics). */
const volatile __u8 capture_without_hold = 0;

static __always_inline void count_n(__u32 which, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&conn_counters, &which);

	if (v)
		*v += n;
}

struct write_ctx {
	struct sluice_hold *hold;
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
		/* The hold now ends by the fail mode, whatever the agent decides. */
		w->lost = 1;
		w->hold->lost_seq = w->seq;
		count(SLUICE_CNT_TLS_LOST);
		return 0; /* keep going: later chunks may fit, and the gap is visible by index */
	}
	c->ts_ns = bpf_ktime_get_ns();
	c->cgroup_id = w->cgroup_id;
	c->tls_obj = w->obj;
	c->seq = w->seq;
	c->buf = w->buf;
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
		w->hold->lost_seq = w->seq;
		count(SLUICE_CNT_TLS_LOST);
	}
	if (off + len >= w->total || i + 1 >= SLUICE_TLS_MAX_CHUNKS) {
		c->flags |= SLUICE_TLS_F_LAST;
		if (w->truncated)
			c->flags |= SLUICE_TLS_F_TRUNCATED;
	}
	if (w->lost)
		c->flags |= SLUICE_TLS_F_READ_FAILED;
	/* At most one wakeup per write, at its last chunk. A one-chunk write keeps the adaptive
	 * wakeup (none while the agent is still consuming); the last of several must force it,
	 * since the chunks before it did not wake a sleeping agent. */
	if (!(c->flags & SLUICE_TLS_F_LAST))
		bpf_ringbuf_submit(c, BPF_RB_NO_WAKEUP);
	else
		bpf_ringbuf_submit(c, i == 0 ? 0 : BPF_RB_FORCE_WAKEUP);
	count_n(SLUICE_CNT_TLS_BYTES, len);
	return 0;
}

struct wait_ctx {
	__u64 seq;
	__u64 deadline;
	__u32 tgid;
	__u8 answered;
};

static long wait_step(__u32 i, void *data)
{
	struct wait_ctx *w = data;
	struct sluice_hold_answer *a = bpf_map_lookup_elem(&hold_answers, &w->tgid);

	if (a && (a->answered >= w->seq || a->pending >= w->seq)) {
		w->answered = 1;
		return 1;
	}
	return bpf_ktime_get_ns() >= w->deadline;
}

/* The write waits here, before it reaches the socket, for the agent to answer it (or to say
 * its request needs more bytes), when the agent's verdict thread is reading the ring on
 * another CPU (struct sluice_capture_config). A verdict that comes before the bytes reach the
 * socket costs no dropped packet and no nudge (pidfd_getfd + setsockopt, then the data leaves
 * from the agent's context): measured in docs/PERFORMANCE.md. The wait is bounded by
 * verdict_wait_ns (and by the iteration cap); past it the egress hold takes over. */
static __always_inline void wait_for_verdict(__u32 tgid, __u64 seq)
{
	struct sluice_capture_config *cfg;
	struct wait_ctx w = {};
	__u32 zero = 0, reader;
	__u64 seen, now;

	cfg = bpf_map_lookup_elem(&capture_cfg, &zero);
	if (!cfg || !cfg->verdict_wait_ns)
		return;
	reader = *(volatile __u32 *)&cfg->reader_cpu;
	seen = *(volatile __u64 *)&cfg->reader_ns;
	now = bpf_ktime_get_ns();
	if (!seen) {
		count(SLUICE_CNT_WAIT_ASLEEP);
		return;
	}
	if (now > seen + SLUICE_READER_FRESH_NS) {
		count(SLUICE_CNT_WAIT_STALE);
		return;
	}
	if (reader == bpf_get_smp_processor_id() + 1) {
		count(SLUICE_CNT_WAIT_SAME_CPU);
		return;
	}
	w.seq = seq;
	w.tgid = tgid;
	w.deadline = now + cfg->verdict_wait_ns;
	bpf_loop(1 << 20, wait_step, &w, 0);
	count(w.answered ? SLUICE_CNT_WAIT_ANSWERED : SLUICE_CNT_WAIT_EXPIRED);
}

static __always_inline int capture(struct pt_regs *ctx, __u64 obj, __u64 buf, __s64 len)
{
	struct write_ctx w = {};
	struct sluice_hold *h;
	__u64 pid_tgid;
	__u32 tgid;

	if (len <= 0 || !buf)
		return 0;
	/* Outside the scope: return before doing any work. */
	if (bpf_current_task_under_cgroup(&scope_cgroup, 0) != 1)
		return 0;
	/* Only processes with an inspect-class socket have a hold record (connect() made it);
	 * every other process's writes cost this lookup and nothing more. */
	pid_tgid = bpf_get_current_pid_tgid();
	tgid = pid_tgid >> 32;
	h = bpf_map_lookup_elem(&holds, &tgid);
	if (!h && capture_without_hold) {
		struct sluice_hold zero = {};

		bpf_map_update_elem(&holds, &tgid, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&holds, &tgid);
	}
	if (!h)
		return 0;
	/* Arm the process before its bytes can reach the socket: egress holds its inspect-class
	 * sockets from now until the agent answers this write. */
	w.seq = __sync_fetch_and_add(&h->writes, 1) + 1;
	if (w.seq - 1 <= answered(tgid, NULL))
		h->armed_ns = bpf_ktime_get_ns(); /* a new hold begins */
	w.hold = h;
	w.obj = obj;
	w.buf = buf;
	w.cgroup_id = bpf_get_current_cgroup_id();
	w.tgid = tgid;
	w.tid = (__u32)pid_tgid;
	w.lib = bpf_get_attach_cookie(ctx) & 0xff; /* enum sluice_tls_lib, set per attachment */
	if (len > (__s64)SLUICE_TLS_CHUNK * SLUICE_TLS_MAX_CHUNKS) {
		w.total = SLUICE_TLS_CHUNK * SLUICE_TLS_MAX_CHUNKS;
		w.truncated = 1;
		h->lost_seq = w.seq;
		count(SLUICE_CNT_TLS_LOST);
	} else {
		w.total = len;
	}
	count(SLUICE_CNT_TLS_WRITES);
	bpf_loop(SLUICE_TLS_MAX_CHUNKS, copy_chunk, &w, 0);
	/* Lost plaintext fails by the fail mode whatever the agent answers: no use waiting. */
	if (!w.lost && !w.truncated)
		wait_for_verdict(tgid, w.seq);
	return 0;
}

/* C libraries: (object, buffer, length) in rdi, rsi, rdx. */
SEC("uprobe")
int sluice_tls_write_sysv(struct pt_regs *ctx)
{
	return capture(ctx, ctx->rdi, ctx->rsi, (__s64)ctx->rdx);
}

/* Go before 1.17 (stack ABI): at the entry the receiver is at rsp+8, the slice pointer at
 * rsp+16 and its length at rsp+24; the cookie's bits 8-23 say how far rsp has moved down
 * between the entry and the probe. */
SEC("uprobe")
int sluice_tls_write_go_stack(struct pt_regs *ctx)
{
	__u64 sp = ctx->rsp + ((bpf_get_attach_cookie(ctx) >> 8) & 0xffff);
	__u64 args[3];

	if (bpf_probe_read_user(args, sizeof(args), (void *)(sp + 8)))
		return 0;
	return capture(ctx, args[0], args[1], (__s64)args[2]);
}

/* Go crypto/tls.(*Conn).Write(b []byte): receiver in rax, slice pointer rbx, length rcx. */
SEC("uprobe")
int sluice_tls_write_go(struct pt_regs *ctx)
{
	return capture(ctx, ctx->rax, ctx->rbx, (__s64)ctx->rcx);
}

/* New programs in the scope: the agent looks for TLS libraries in them (an executable with
 * TLS linked in, such as node or a Go binary, or a library not probed yet). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} exec_events SEC(".maps");

SEC("raw_tracepoint/sched_process_exec")
int sluice_exec(void *ctx)
{
	__u32 *tgid;

	if (bpf_current_task_under_cgroup(&scope_cgroup, 0) != 1)
		return 0;
	tgid = bpf_ringbuf_reserve(&exec_events, sizeof(*tgid), 0);
	if (!tgid)
		return 0; /* the periodic /proc scan still finds it */
	*tgid = bpf_get_current_pid_tgid() >> 32;
	bpf_ringbuf_submit(tgid, 0);
	return 0;
}
