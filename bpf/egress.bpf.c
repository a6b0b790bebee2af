// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Names on the wire: the SNI of TLS ClientHellos (cgroup_skb/egress) and DNS answers
 * (cgroup_skb/ingress), for processes in the scope cgroup.
 *
 * SNI: the first data packet of each TCP socket is checked for a ClientHello. Its server_name
 * is looked up in the active policy's name trie. A denied name drops the packet, marks the
 * socket so every retransmission is dropped too, and tells the agent, which destroys the
 * socket (sock_diag SOCK_DESTROY) so that the client fails at once instead of hanging: a drop
 * alone costs the client its whole connect timeout. A measured real ClientHello always fit in
 * the first skb, so only that packet is parsed.
 *
 * DNS: answers (UDP, and TCP answers that fit one segment) are parsed in the kernel, before the
 * application reads them, and each A/AAAA address is bound to the queried name. connect() then
 * judges that address by the name (connect.bpf.c), with no race against the agent. DNS packets are
 * never dropped.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "shared.bpf.h"
#include "tls_parse.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define AF_INET 2
#define AF_INET6 10

/* ECH, the hold timeout, the fail mode and uninspectable TLS; written with each policy. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sluice_egress_config);
} name_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, SLUICE_NAME_RINGBUF_BYTES);
} name_events SEC(".maps");

/* Per-CPU scratch: name buffers are too big for the 512-byte BPF stack together. */
struct scratch {
	char wire[SLUICE_NAME_MAX];
	char fwd[SLUICE_NAME_MAX];
	struct sluice_dns_binding binding;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch_map SEC(".maps");

struct pkt {
	__u32 l4; /* offset of the transport header */
	__u32 payload;
	__u8 family;
	__u8 proto;
	__u16 sport, dport;
	__u8 saddr[16], daddr[16];
};

static __always_inline void map_v4(__u8 out[16], __u32 addr)
{
	__builtin_memset(out, 0, 10);
	out[10] = 0xff;
	out[11] = 0xff;
	__builtin_memcpy(&out[12], &addr, 4);
}

/* Parses IPv4/IPv6 and the TCP or UDP header. Returns 0 on success. */
static __always_inline int parse_packet(struct __sk_buff *skb, struct pkt *p)
{
	__u8 vihl;

	if (bpf_skb_load_bytes(skb, 0, &vihl, 1))
		return -1;
	if ((vihl >> 4) == 4) {
		struct iphdr ip;

		if (bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)))
			return -1;
		if (ip.frag_off & bpf_htons(0x3fff)) /* fragments: no transport header to read */
			return -1;
		p->family = AF_INET;
		p->proto = ip.protocol;
		p->l4 = (ip.ihl & 0xf) * 4;
		map_v4(p->saddr, ip.saddr);
		map_v4(p->daddr, ip.daddr);
	} else if ((vihl >> 4) == 6) {
		struct ipv6hdr ip6;

		if (bpf_skb_load_bytes(skb, 0, &ip6, sizeof(ip6)))
			return -1;
		p->family = AF_INET6;
		p->proto = ip6.nexthdr; /* extension headers are not followed */
		p->l4 = sizeof(ip6);
		__builtin_memcpy(p->saddr, &ip6.saddr, 16);
		__builtin_memcpy(p->daddr, &ip6.daddr, 16);
	} else {
		return -1;
	}
	if (p->proto == IPPROTO_TCP) {
		struct tcphdr th;

		if (bpf_skb_load_bytes(skb, p->l4, &th, sizeof(th)))
			return -1;
		p->sport = bpf_ntohs(th.source);
		p->dport = bpf_ntohs(th.dest);
		p->payload = p->l4 + th.doff * 4;
	} else if (p->proto == IPPROTO_UDP) {
		struct udphdr uh;

		if (bpf_skb_load_bytes(skb, p->l4, &uh, sizeof(uh)))
			return -1;
		p->sport = bpf_ntohs(uh.source);
		p->dport = bpf_ntohs(uh.dest);
		p->payload = p->l4 + sizeof(uh);
	} else {
		return -1;
	}
	return 0;
}

/* Loops over name bytes run through bpf_loop: the verifier checks a callback once, where an
 * open-coded loop bounded by a packet-derived length forks a state per possible length and
 * exceeds the verifier's budget. */
struct rev_ctx {
	struct sluice_name_key *key;
	const char *fwd;
	__u32 len;
};

static long reverse_cb(__u32 i, void *data)
{
	struct rev_ctx *c = data;

	if (i >= c->len || i >= SLUICE_NAME_MAX - 1)
		return 1;
	c->key->name[bounded(c->len - 1 - i)] = c->fwd[bounded(i)];
	return 0;
}

/* key <- reverse(fwd[0..len)) + NUL, full-length prefix. fwd is already lower-case. */
static __always_inline void reversed_key(struct sluice_name_key *key, const char *fwd, __u32 len)
{
	struct rev_ctx c = {.key = key, .fwd = fwd, .len = len};

	__builtin_memset(key, 0, sizeof(*key));
	key->prefixlen = SLUICE_NAME_MAX * 8;
	bpf_loop(SLUICE_NAME_MAX - 1, reverse_cb, &c, 0);
}

static __always_inline struct sluice_egress_config *config(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&name_cfg, &zero);
}

static __always_inline void emit_name(struct __sk_buff *skb, const struct pkt *p,
				      const struct sluice_dest_value *dv, __u8 action, __u8 hook,
				      __u8 flags, __u32 tgid, const char *fwd, __u32 ttl,
				      const __u8 *answer_addr)
{
	struct sluice_name_event *e = bpf_ringbuf_reserve(&name_events, sizeof(*e), 0);

	if (!e) {
		count(SLUICE_CNT_EVENTS_LOST);
		return;
	}
	e->ts_ns = bpf_ktime_get_ns();
	e->cgroup_id = bpf_skb_cgroup_id(skb);
	e->sock_cookie = bpf_get_socket_cookie(skb);
	e->tgid = tgid;
	e->uid = bpf_get_socket_uid(skb);
	e->rule_id = dv ? dv->rule_id : 0;
	e->policy_generation = dv ? dv->policy_generation : 0;
	__builtin_memcpy(e->saddr, p->saddr, 16);
	if (answer_addr)
		__builtin_memcpy(e->daddr, answer_addr, 16);
	else
		__builtin_memcpy(e->daddr, p->daddr, 16);
	e->sport = p->sport;
	e->dport = p->dport;
	e->family = p->family;
	e->action = action;
	e->hook = hook;
	e->dest_class = dv ? dv->dest_class : SLUICE_CLASS_ALLOW;
	e->flags = flags;
	e->ttl = ttl;
	__builtin_memset(e->pad, 0, sizeof(e->pad));
	/* fwd is lower-case and zero-padded to SLUICE_NAME_MAX */
	if (fwd)
		__builtin_memcpy(e->name, fwd, SLUICE_NAME_MAX);
	else
		__builtin_memset(e->name, 0, SLUICE_NAME_MAX);
	e->name[SLUICE_NAME_MAX - 1] = 0;
	bpf_ringbuf_submit(e, 0);
}

/* ---- SNI ---------------------------------------------------------------------------- */

static __always_inline int same_name(const struct sluice_name_key *a,
				     const struct sluice_name_key *b)
{
	const __u64 *x = (const __u64 *)a->name, *y = (const __u64 *)b->name;

	for (int i = 0; i < SLUICE_NAME_MAX / 8; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

/* ---- Inline hold ---------------------------------------------------------------------- */

#define TLS_APPLICATION_DATA 0x17
/* The largest TLS 1.3 client Finished record (SHA-384: 5 + 48 + 1 + 16), sent as application
 * data before any write of the application; anything larger is the application's. */
#define TLS13_FINISHED_MAX 80

static __always_inline void remember_cookie(struct sluice_hold *h, __u64 cookie)
{
	h->held_cookie[cookie % SLUICE_HOLD_COOKIES] = cookie;
	/* An exchange is a full barrier: the agent stores its answer and then reads held_seq;
	 * this stores held_seq and then reads the answer again (hold_check), so one of the two
	 * always sees the other and a packet is never left waiting for TCP's timer. */
	__sync_lock_test_and_set(&h->held_seq, h->writes);
}

/* A data packet on an inspect-class socket whose ClientHello was allowed. Returns 1 to send
 * it, 0 to drop it (it stays in the send queue and TCP sends it again later). */
static __always_inline int hold_check(struct __sk_buff *skb, struct sluice_sk_state *st)
{
	struct sluice_egress_config *cfg = config();
	__u64 now, start, done, answered_ns = 0;
	struct sluice_hold *h;
	struct pkt p = {};
	__u8 type = 0;
	int lost;

	if (parse_packet(skb, &p) || p.proto != IPPROTO_TCP || p.payload >= skb->len || !cfg)
		return 1;
	h = bpf_map_lookup_elem(&holds, &st->tgid);
	if (!h || h->writes == 0) {
		/* No TLS write of this process was ever captured: its TLS library is not hooked.
		 * Handshake records pass; application data gets spec.defaults.uninspectableTls. */
		if (bpf_skb_load_bytes(skb, p.payload, &type, 1) || type != TLS_APPLICATION_DATA)
			return 1;
		if (!(st->flags & SLUICE_SK_APPDATA) && skb->len - p.payload <= TLS13_FINISHED_MAX) {
			st->flags |= SLUICE_SK_APPDATA;
			return 1;
		}
		if (cfg->uninspectable_action == SLUICE_ACTION_ALLOW ||
		    (st->flags & SLUICE_SK_REPORTED))
			return 1; /* allowed, or audited and already reported */
		count(SLUICE_CNT_UNINSPECTABLE);
		st->flags |= SLUICE_SK_REPORTED;
		emit_name(skb, &p, NULL, cfg->uninspectable_action, SLUICE_HOOK_HOLD,
			  SLUICE_NAME_EV_UNINSPECTABLE, st->tgid, NULL, 0, NULL);
		if (cfg->uninspectable_action != SLUICE_ACTION_DENY)
			return 1;
		st->flags |= SLUICE_SK_DENIED; /* this and every later packet; the agent destroys it */
		return 0;
	}
	done = answered(st->tgid, &answered_ns);
	if (h->writes <= done || !cfg->hold)
		return 1; /* not armed, or audit mode */
	now = bpf_ktime_get_ns();
	start = h->armed_ns > answered_ns ? h->armed_ns : answered_ns;
	lost = h->lost_seq > done;
	if (!lost && now - start <= cfg->hold_timeout_ns) {
		remember_cookie(h, bpf_get_socket_cookie(skb));
		if (h->writes <= answered(st->tgid, NULL))
			return 1; /* answered meanwhile */
		count(SLUICE_CNT_HELD);
		return 0;
	}
	/* No verdict in time, or plaintext was lost: the fail mode decides. Reported once per
	 * hold (a hold ends with the agent's next answer). */
	count(SLUICE_CNT_HOLD_EXPIRED);
	if (h->reported_seq <= done) {
		h->reported_seq = h->writes;
		emit_name(skb, &p, NULL, cfg->fail_open ? SLUICE_ACTION_ALLOW : SLUICE_ACTION_DENY,
			  SLUICE_HOOK_HOLD,
			  lost ? SLUICE_NAME_EV_HOLD_LOST : SLUICE_NAME_EV_HOLD_EXPIRED, st->tgid,
			  NULL, 0, NULL);
	}
	if (cfg->fail_open)
		return 1;
	remember_cookie(h, bpf_get_socket_cookie(skb));
	return 0;
}

SEC("cgroup_skb/egress")
int sluice_egress(struct __sk_buff *skb)
{
	struct sluice_sk_state *st;
	struct bpf_sock *sk;
	struct pkt p = {};
	struct scratch *s;
	__u32 zero = 0;
	int ech = 0, nlen;

	sk = skb->sk;
	if (!sk)
		return 1;
	sk = bpf_sk_fullsock(sk);
	if (!sk || sk->protocol != IPPROTO_TCP)
		return 1;
	/* Look up without creating: storage is allocated only once a socket sends data, so
	 * handshake packets and sockets that never send cost a lookup, not an allocation. */
	st = bpf_sk_storage_get(&sk_state, sk, 0, 0);
	if (st && (st->flags & SLUICE_SK_SNI_SEEN) && !(st->flags & SLUICE_SK_DENIED)) {
		/* The first record was checked and allowed. */
		if (st->dest_class != SLUICE_CLASS_INSPECT)
			return 1;
		return hold_check(skb, st);
	}
	if (parse_packet(skb, &p) || p.proto != IPPROTO_TCP)
		return 1;
	if (p.payload >= skb->len)
		return 1; /* no payload: handshake, ACK, and the RST that SOCK_DESTROY sends */
	/* Retransmissions of a refused ClientHello are dropped until the socket is destroyed. */
	if (st && (st->flags & SLUICE_SK_DENIED))
		return 0;
	if (!st) {
		st = bpf_sk_storage_get(&sk_state, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
		if (!st)
			return 1;
		st->tgid = bpf_get_current_pid_tgid() >> 32;
	}
	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 1;
	st->flags |= SLUICE_SK_SNI_SEEN;
	__builtin_memset(s->fwd, 0, sizeof(s->fwd));
	nlen = parse_client_hello(skb, p.payload, s->fwd, &ech);
	if (nlen < 0)
		return 1; /* not TLS */
	count(SLUICE_CNT_SNI_CHECKED);

	struct sluice_egress_config *cfg = config();
	struct sluice_dest_value *dv = NULL;
	__u8 flags = ech ? SLUICE_NAME_EV_ECH : 0;
	__u8 action = SLUICE_ACTION_ALLOW;

	if (nlen > 0) {
		reversed_key(&s->binding.name, s->fwd, nlen);
		dv = lookup_name(&s->binding.name);
		if (dv) {
			action = dv->action;
			st->dest_class = dv->dest_class; /* the name refines the IP's class */
			st->rule_id = dv->rule_id;
			if (dv->dest_class == SLUICE_CLASS_INSPECT)
				ensure_hold(st->tgid);
		}
		/* Report an SNI that differs from the name DNS gave for this address. */
		struct sluice_dns_binding *b = bpf_map_lookup_elem(&dns_bindings, p.daddr);

		if (b && b->expires_ns >= bpf_ktime_get_ns() &&
		    !same_name(&b->name, &s->binding.name))
			flags |= SLUICE_NAME_EV_MISMATCH;
	} else {
		flags |= SLUICE_NAME_EV_NO_SNI;
	}
	if (ech && st->dest_class == SLUICE_CLASS_INSPECT && cfg && action == SLUICE_ACTION_ALLOW)
		action = cfg->ech_action;

	if (action == SLUICE_ACTION_DENY) {
		st->flags |= SLUICE_SK_DENIED;
		count(SLUICE_CNT_SNI_DENIED);
		emit_name(skb, &p, dv, action, SLUICE_HOOK_SNI, flags, st->tgid, s->fwd, 0, NULL);
		return 0;
	}
	if (action == SLUICE_ACTION_AUDIT || (flags & SLUICE_NAME_EV_MISMATCH) ||
	    (dv && dv->dest_class != SLUICE_CLASS_ALLOW && !(dv->flags & SLUICE_DEST_F_DEFAULT)))
		emit_name(skb, &p, dv, action, SLUICE_HOOK_SNI, flags, st->tgid, s->fwd, 0, NULL);
	return 1;
}

/* ---- DNS ---------------------------------------------------------------------------- */

#define DNS_MAX_ANSWERS 16

struct qname_ctx {
	const char *wire;
	char *fwd;
	__u32 avail;
	__u32 remaining;
	__u32 n;
	__u32 qlen;
	int bad;
};

/* One byte of the question name: a label length or a label character. */
static long qname_cb(__u32 i, void *data)
{
	struct qname_ctx *q = data;
	__u8 c;

	if (i >= q->avail || i >= SLUICE_NAME_MAX) {
		q->bad = 1;
		return 1;
	}
	c = q->wire[bounded(i)];
	if (q->remaining == 0) {
		if (c == 0) {
			q->qlen = i + 1;
			return 1;
		}
		if (c & 0xc0) {
			q->bad = 1; /* no compression in a question */
			return 1;
		}
		q->remaining = c;
		if (i > 0)
			q->fwd[bounded(q->n++)] = '.';
	} else {
		q->fwd[bounded(q->n++)] = c;
		q->remaining--;
	}
	return 0;
}
#define DNS_MIN_TTL 30
#define DNS_MAX_TTL 86400

SEC("cgroup_skb/ingress")
int sluice_ingress(struct __sk_buff *skb)
{
	struct pkt p = {};
	struct scratch *s;
	__u8 hdr[12];
	__u32 zero = 0, off, avail, qlen = 0, n = 0;

	if (parse_packet(skb, &p) || p.sport != 53)
		return 1;
	off = p.payload;
	if (p.proto == IPPROTO_TCP) {
		/* DNS over TCP: a 2-byte length, then the message. Only an answer that arrives in
		 * one segment is parsed (the length covers exactly the rest of the payload); a
		 * longer one is reassembled by the resolver, not here. */
		__u16 mlen;

		if (off + 2 + 12 > skb->len || bpf_skb_load_bytes(skb, off, &mlen, 2) ||
		    bpf_ntohs(mlen) != skb->len - off - 2)
			return 1;
		off += 2;
	} else if (p.proto != IPPROTO_UDP) {
		return 1;
	}
	if (bpf_skb_load_bytes(skb, off, hdr, sizeof(hdr)))
		return 1;
	/* a response (QR), no error, exactly one question */
	if (!(hdr[2] & 0x80) || (hdr[3] & 0x0f) || hdr[4] != 0 || hdr[5] != 1)
		return 1;
	__u32 ancount = (hdr[6] << 8) | hdr[7];

	s = bpf_map_lookup_elem(&scratch_map, &zero);
	if (!s)
		return 1;
	off += 12;
	if (off >= skb->len)
		return 1;
	avail = skb->len - off;
	if (avail > SLUICE_NAME_MAX)
		avail = SLUICE_NAME_MAX;
	if (avail < 2)
		return 1;
	__builtin_memset(s->wire, 0, sizeof(s->wire));
	if (copy_bytes(skb, off, s->wire, avail))
		return 1;
	count(SLUICE_CNT_DNS_ANSWERS);

	/* QNAME labels -> dotted name in fwd. (copy_bytes lower-cased the wire bytes; label
	 * lengths are below 64, which lower-casing leaves alone.) */
	__builtin_memset(s->fwd, 0, sizeof(s->fwd));
	struct qname_ctx q = {.wire = s->wire, .fwd = s->fwd, .avail = avail};

	bpf_loop(SLUICE_NAME_MAX, qname_cb, &q, 0);
	qlen = q.qlen;
	n = q.n;
	if (q.bad || qlen == 0 || n == 0 || n >= SLUICE_NAME_MAX)
		return 1;
	reversed_key(&s->binding.name, s->fwd, n);
	struct sluice_dest_value *dv = lookup_name(&s->binding.name);

	off += qlen + 4; /* QTYPE, QCLASS */
	for (__u32 a = 0; a < DNS_MAX_ANSWERS; a++) {
		__u8 rr[12];
		__u16 type, rdlen;
		__u32 ttl;
		__u8 addr[16];

		if (a >= ancount)
			break;
		/* Answer names are compression pointers in every common resolver's output. */
		if (bpf_skb_load_bytes(skb, off, rr, sizeof(rr)) || (rr[0] & 0xc0) != 0xc0)
			break;
		type = (rr[2] << 8) | rr[3];
		ttl = ((__u32)rr[6] << 24) | ((__u32)rr[7] << 16) | ((__u32)rr[8] << 8) | rr[9];
		rdlen = (rr[10] << 8) | rr[11];
		off += 12;
		if (type == 1 && rdlen == 4) {
			__u32 v4;

			if (bpf_skb_load_bytes(skb, off, &v4, 4))
				break;
			map_v4(addr, v4);
		} else if (type == 28 && rdlen == 16) {
			if (bpf_skb_load_bytes(skb, off, addr, 16))
				break;
		} else {
			off += rdlen;
			continue;
		}
		off += rdlen;
		if (ttl < DNS_MIN_TTL)
			ttl = DNS_MIN_TTL;
		if (ttl > DNS_MAX_TTL)
			ttl = DNS_MAX_TTL;
		s->binding.expires_ns = bpf_ktime_get_ns() + (__u64)ttl * 1000000000ULL;
		s->binding.pad = 0;
		bpf_map_update_elem(&dns_bindings, addr, &s->binding, BPF_ANY);
		count(SLUICE_CNT_DNS_BINDINGS);
		if (dv && !(dv->flags & SLUICE_DEST_F_DEFAULT))
			emit_name(skb, &p, dv, dv->action, SLUICE_HOOK_DNS, 0, 0, s->fwd, ttl,
				  addr);
	}
	return 1;
}
