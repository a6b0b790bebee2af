// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Destination enforcement at connect() and UDP sendmsg().
 *
 * Attached to the scope cgroup, so only processes inside it are affected: the kernel runs
 * cgroup_sock_addr programs only for sockets whose owner is in that cgroup's subtree.
 *
 * The verdict comes from the active policy's LPM trie, reached through a one-slot
 * array-of-maps. The agent builds each new policy as a complete new trie and then swaps the
 * slot with one map update, so a program run sees either the whole old policy or the whole
 * new one, never a half-written mix.
 */
#include <linux/bpf.h>
#include <linux/in.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "shared.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct dest_trie {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, SLUICE_MAX_DEST_ENTRIES);
	__uint(key_size, sizeof(struct sluice_lpm_key));
	__uint(value_size, sizeof(struct sluice_dest_value));
	__uint(map_flags, BPF_F_NO_PREALLOC);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct dest_trie);
} dest_policy SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, SLUICE_CONN_RINGBUF_BYTES);
} conn_events SEC(".maps");

/* Builds the key for `port` (0 = the every-port entry) and looks it up. */
static __always_inline struct sluice_dest_value *lookup(void *trie, struct sluice_lpm_key *key,
							__u16 port)
{
	key->port = port;
	return bpf_map_lookup_elem(trie, key);
}

static __always_inline void emit(struct bpf_sock_addr *ctx, const struct sluice_lpm_key *key,
				 const struct sluice_dest_value *dv, __u8 action, __u8 hook)
{
	struct sluice_conn_event *e;
	__u64 pid_tgid;

	e = bpf_ringbuf_reserve(&conn_events, sizeof(*e), 0);
	if (!e) {
		/* The verdict still applies; the loss is counted and surfaced by the agent. */
		count(SLUICE_CNT_EVENTS_LOST);
		return;
	}
	pid_tgid = bpf_get_current_pid_tgid();
	e->ts_ns = bpf_ktime_get_ns();
	e->cgroup_id = bpf_get_current_cgroup_id();
	e->tgid = pid_tgid >> 32;
	e->tid = (__u32)pid_tgid;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->rule_id = dv ? dv->rule_id : 0;
	__builtin_memcpy(e->addr, key->addr, sizeof(e->addr));
	e->port = bpf_ntohs((__u16)ctx->user_port);
	e->proto = key->proto;
	e->family = ctx->family;
	e->action = action;
	e->hook = hook;
	e->dest_class = dv ? dv->dest_class : SLUICE_CLASS_ALLOW;
	e->pad = 0;
	e->policy_generation = dv ? dv->policy_generation : 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
}

/* A destination address that DNS answered for a name the policy knows takes the name's
 * verdict, unless the policy names the address itself (a non-default, non-catalog entry):
 * policy destinations come first, as in the decision engine. */
static __always_inline struct sluice_dest_value *by_name(const struct sluice_lpm_key *key,
							 struct sluice_dest_value *ip_dv)
{
	struct sluice_dns_binding *b;
	struct sluice_dest_value *nv;

	if (ip_dv && !(ip_dv->flags & (SLUICE_DEST_F_DEFAULT | SLUICE_DEST_F_AI)))
		return ip_dv;
	b = bpf_map_lookup_elem(&dns_bindings, key->addr);
	if (!b || b->expires_ns < bpf_ktime_get_ns())
		return ip_dv;
	nv = lookup_name(&b->name);
	return nv ? nv : ip_dv;
}

/* Remembers an inspect-class destination and the owning process on the socket, for the SNI
 * check and the inline hold. Only inspect-class sockets get storage here: creating sk_storage
 * allocates, and doing it on every connect() measured 516 ns against 107 ns without. */
static __always_inline void record_socket(struct bpf_sock_addr *ctx,
					  const struct sluice_dest_value *dv)
{
	struct sluice_sk_state *st;
	struct bpf_sock *sk = ctx->sk;

	if (!sk || dv->dest_class != SLUICE_CLASS_INSPECT)
		return;
	st = bpf_sk_storage_get(&sk_state, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (!st)
		return;
	st->tgid = bpf_get_current_pid_tgid() >> 32;
	st->rule_id = dv->rule_id;
	st->dest_class = dv->dest_class;
	ensure_hold(st->tgid);
}

/* Returns 1 to let the call proceed, 0 to fail it with EPERM. */
static __always_inline int decide(struct bpf_sock_addr *ctx, struct sluice_lpm_key *key, __u8 hook)
{
	struct sluice_dest_value *exact, *any, *dv;
	__u32 slot = 0;
	__u16 port = bpf_ntohs((__u16)ctx->user_port);
	void *trie;

	count(SLUICE_CNT_CHECKED);
	key->prefixlen = SLUICE_LPM_FIXED_BITS + 128;
	key->pad = 0;
	if (ctx->protocol == IPPROTO_UDP)
		key->proto = SLUICE_PROTO_UDP;
	else
		key->proto = SLUICE_PROTO_TCP;

	trie = bpf_map_lookup_elem(&dest_policy, &slot);
	if (!trie) {
		/* The agent installs a policy before it attaches; an empty slot means someone
		 * removed it by hand. Allowing keeps the host usable; the counter shows it. */
		count(SLUICE_CNT_NO_POLICY);
		return 1;
	}

	exact = lookup(trie, key, port);
	any = lookup(trie, key, 0);
	dv = exact;
	if (!dv || (any && any->addr_prefix > dv->addr_prefix))
		dv = any;
	dv = by_name(key, dv);
	if (!dv) {
		count(SLUICE_CNT_ALLOWED);
		return 1;
	}
	record_socket(ctx, dv);

	/* QUIC/HTTP3 to an AI API would hide the request from the TLS hooks; refusing it makes
	 * clients fall back to TCP, where TLS is visible. */
	if (key->proto == SLUICE_PROTO_UDP && port == 443 && (dv->flags & SLUICE_DEST_F_AI) &&
	    dv->action != SLUICE_ACTION_DENY) {
		count(SLUICE_CNT_QUIC_DENIED);
		emit(ctx, key, dv, SLUICE_ACTION_DENY, hook);
		return 0;
	}

	switch (dv->action) {
	case SLUICE_ACTION_DENY:
		count(SLUICE_CNT_DENIED);
		emit(ctx, key, dv, SLUICE_ACTION_DENY, hook);
		return 0;
	case SLUICE_ACTION_AUDIT:
		count(SLUICE_CNT_AUDITED);
		emit(ctx, key, dv, SLUICE_ACTION_AUDIT, hook);
		return 1;
	default:
		count(SLUICE_CNT_ALLOWED);
		return 1;
	}
}

static __always_inline int decide4(struct bpf_sock_addr *ctx, __u8 hook)
{
	struct sluice_lpm_key key = {};
	__u32 ip = ctx->user_ip4;

	key.addr[10] = 0xff;
	key.addr[11] = 0xff;
	__builtin_memcpy(&key.addr[12], &ip, 4);
	return decide(ctx, &key, hook);
}

static __always_inline int decide6(struct bpf_sock_addr *ctx, __u8 hook)
{
	struct sluice_lpm_key key = {};
	__u32 w;

	/* user_ip6 must be read as aligned 32-bit words. */
	w = ctx->user_ip6[0];
	__builtin_memcpy(&key.addr[0], &w, 4);
	w = ctx->user_ip6[1];
	__builtin_memcpy(&key.addr[4], &w, 4);
	w = ctx->user_ip6[2];
	__builtin_memcpy(&key.addr[8], &w, 4);
	w = ctx->user_ip6[3];
	__builtin_memcpy(&key.addr[12], &w, 4);
	return decide(ctx, &key, hook);
}

SEC("cgroup/connect4")
int sluice_connect4(struct bpf_sock_addr *ctx)
{
	return decide4(ctx, SLUICE_HOOK_CONNECT4);
}

SEC("cgroup/connect6")
int sluice_connect6(struct bpf_sock_addr *ctx)
{
	return decide6(ctx, SLUICE_HOOK_CONNECT6);
}

SEC("cgroup/sendmsg4")
int sluice_sendmsg4(struct bpf_sock_addr *ctx)
{
	return decide4(ctx, SLUICE_HOOK_SENDMSG4);
}

SEC("cgroup/sendmsg6")
int sluice_sendmsg6(struct bpf_sock_addr *ctx)
{
	return decide6(ctx, SLUICE_HOOK_SENDMSG6);
}
