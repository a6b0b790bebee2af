/* File: abi.h
 *
 * The one definition of every struct and constant that crosses the kernel/user boundary.
 * The bpf/ programs and the agent include this same header; there is no hand-kept copy. Sizes are
 * static_assert'ed on both sides so a layout change fails the build, not the data path.
 */
#ifndef SLUICE_ABI_H
#define SLUICE_ABI_H

#ifdef __cplusplus
#include <cstdint>
#define SLUICE_STATIC_ASSERT static_assert
typedef uint8_t sluice_u8;
typedef uint16_t sluice_u16;
typedef uint32_t sluice_u32;
typedef uint64_t sluice_u64;
#else
#define SLUICE_STATIC_ASSERT _Static_assert
typedef __u8 sluice_u8;
typedef __u16 sluice_u16;
typedef __u32 sluice_u32;
typedef __u64 sluice_u64;
#endif

/* Verdicts, as stored in destination records and reported in events. */
enum sluice_action {
	SLUICE_ACTION_ALLOW = 0,
	SLUICE_ACTION_DENY = 1,	 /* connect/sendmsg fails with EPERM */
	SLUICE_ACTION_AUDIT = 2, /* allowed, and reported */
};

/* Destination classes (policy `class:`). */
enum sluice_class {
	SLUICE_CLASS_ALLOW = 0,
	SLUICE_CLASS_INSPECT = 1,
	SLUICE_CLASS_DENY = 2,
};

/* Which hook produced an event. */
enum sluice_hook {
	SLUICE_HOOK_CONNECT4 = 1,
	SLUICE_HOOK_CONNECT6 = 2,
	SLUICE_HOOK_SENDMSG4 = 3,
	SLUICE_HOOK_SENDMSG6 = 4,
	SLUICE_HOOK_SNI = 5, /* cgroup_skb/egress, TLS ClientHello */
	SLUICE_HOOK_DNS = 6, /* cgroup_skb/ingress, DNS answer */
	SLUICE_HOOK_HOLD = 7, /* cgroup_skb/egress, the inline hold (see struct sluice_hold) */
};

enum sluice_proto {
	SLUICE_PROTO_ANY = 0,
	SLUICE_PROTO_TCP = 6,
	SLUICE_PROTO_UDP = 17,
};

/* Key of the destination LPM trie. The fixed part (proto, port) comes first so that it is
 * always matched in full; the address prefix follows. IPv4 is stored IPv4-mapped
 * (::ffff:a.b.c.d), so one trie serves both families and a v4 rule also catches a v4-mapped
 * destination on an IPv6 socket.
 *
 *   prefixlen = SLUICE_LPM_FIXED_BITS + address prefix length (0..128)
 *
 * A rule for every port is stored with port 0; lookups try the exact port and port 0 and keep
 * the longer address prefix (the exact port wins a tie). prefixlen 0 is the policy's default
 * entry: it matches every destination.
 */
#define SLUICE_LPM_FIXED_BITS 32
struct sluice_lpm_key {
	sluice_u32 prefixlen;
	sluice_u8 proto; /* SLUICE_PROTO_TCP or SLUICE_PROTO_UDP */
	sluice_u8 pad;
	sluice_u16 port; /* host byte order; 0 = every port */
	sluice_u8 addr[16];
};
SLUICE_STATIC_ASSERT(sizeof(struct sluice_lpm_key) == 24, "sluice_lpm_key layout");

#define SLUICE_DEST_F_DEFAULT 0x1 /* the policy's default entry (unknownDestination) */
#define SLUICE_DEST_F_AI 0x2	  /* an AI-API destination (catalog vendor): no QUIC to it */

/* What the trie yields for a destination. */
struct sluice_dest_value {
	sluice_u32 rule_id;    /* 1-based index into the policy's destinations; 0 = default */
	sluice_u8 action;      /* enum sluice_action, mode already applied */
	sluice_u8 dest_class;  /* enum sluice_class */
	sluice_u8 addr_prefix; /* address prefix length, 0..128, to compare two matches */
	sluice_u8 flags;       /* SLUICE_DEST_F_* */
	sluice_u32 policy_generation;
	sluice_u32 reserved;
};
SLUICE_STATIC_ASSERT(sizeof(struct sluice_dest_value) == 16, "sluice_dest_value layout");

/* Ring-buffer event for a denied or audited connect/sendmsg. */
struct sluice_conn_event {
	sluice_u64 ts_ns; /* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	sluice_u64 cgroup_id;
	sluice_u32 tgid;
	sluice_u32 tid;
	sluice_u32 uid;
	sluice_u32 rule_id;
	sluice_u8 addr[16]; /* IPv4-mapped for AF_INET */
	sluice_u16 port;    /* host byte order */
	sluice_u8 proto;    /* enum sluice_proto */
	sluice_u8 family;   /* AF_INET or AF_INET6 of the socket */
	sluice_u8 action;   /* enum sluice_action */
	sluice_u8 hook;	    /* enum sluice_hook */
	sluice_u8 dest_class;
	sluice_u8 pad;
	sluice_u32 policy_generation;
	char comm[16];
};
SLUICE_STATIC_ASSERT(sizeof(struct sluice_conn_event) == 80, "sluice_conn_event layout");

/* Hostname keys: the name lower-cased and reversed character by character, so that a domain
 * suffix becomes a key prefix and the LPM trie does suffix matching:
 *
 *   api.openai.com          -> "moc.ianepo.ipa" + '\0'   exact: the terminator is in the prefix
 *   *.openai.azure.com      -> "moc.eruza.ianepo."       wildcard: prefix ends at the dot
 *
 * prefixlen = 8 * (bytes that must match).
 */
#define SLUICE_NAME_MAX 128
struct sluice_name_key {
	sluice_u32 prefixlen;
	char name[SLUICE_NAME_MAX];
};
SLUICE_STATIC_ASSERT(sizeof(struct sluice_name_key) == 132, "sluice_name_key layout");

/* What the kernel learnt from a DNS answer: this address was returned for this name. */
struct sluice_dns_binding {
	sluice_u64 expires_ns; /* bpf_ktime_get_ns() + TTL */
	struct sluice_name_key name;
	sluice_u32 pad;
};
SLUICE_STATIC_ASSERT(sizeof(struct sluice_dns_binding) == 144, "sluice_dns_binding layout");

/* Per-socket state (sk_storage), written at connect and at the first TLS record. */
#define SLUICE_SK_SNI_SEEN 0x1 /* the ClientHello was parsed (or the socket sent non-TLS) */
#define SLUICE_SK_DENIED 0x2   /* every further packet is dropped until the agent destroys it */
#define SLUICE_SK_APPDATA 0x4  /* a small TLS application-data record passed (TLS 1.3 Finished) */
#define SLUICE_SK_REPORTED 0x8 /* uninspectable TLS on this socket was reported */
struct sluice_sk_state {
	sluice_u32 tgid;
	sluice_u32 rule_id;
	sluice_u8 dest_class;
	sluice_u8 flags;
	sluice_u16 pad;
	sluice_u32 pad2;
};
SLUICE_STATIC_ASSERT(sizeof(struct sluice_sk_state) == 16, "sluice_sk_state layout");

/* Ring-buffer event for a verdict taken on a name: a ClientHello's SNI, or a DNS answer. */
struct sluice_name_event {
	sluice_u64 ts_ns;
	sluice_u64 cgroup_id;
	sluice_u64 sock_cookie;
	sluice_u32 tgid;
	sluice_u32 uid;
	sluice_u32 rule_id;
	sluice_u32 policy_generation;
	sluice_u8 saddr[16]; /* IPv4-mapped for IPv4 packets */
	sluice_u8 daddr[16];
	sluice_u16 sport; /* host byte order */
	sluice_u16 dport;
	sluice_u8 family; /* AF_INET or AF_INET6 of the packet */
	sluice_u8 action;
	sluice_u8 hook; /* SLUICE_HOOK_SNI or SLUICE_HOOK_DNS */
	sluice_u8 dest_class;
	sluice_u8 flags; /* SLUICE_NAME_EV_* */
	sluice_u8 pad[3];
	sluice_u32 ttl;		    /* DNS: the answer's TTL */
	char name[SLUICE_NAME_MAX]; /* as on the wire, lower-cased, NUL-terminated */
};
#define SLUICE_NAME_EV_ECH 0x1	    /* the ClientHello carried encrypted_client_hello */
#define SLUICE_NAME_EV_MISMATCH 0x2 /* the SNI differs from the name the IP was resolved for */
#define SLUICE_NAME_EV_NO_SNI 0x4   /* a ClientHello without server_name */
/* SLUICE_HOOK_HOLD events (name is empty; the addresses are the held socket's): */
#define SLUICE_NAME_EV_HOLD_EXPIRED 0x8	 /* no verdict within the hold timeout */
#define SLUICE_NAME_EV_HOLD_LOST 0x10	 /* captured plaintext was lost (ring buffer full) */
#define SLUICE_NAME_EV_UNINSPECTABLE 0x20 /* TLS application data from a process whose TLS
					   * writes are not captured (no hooked library) */
SLUICE_STATIC_ASSERT(sizeof(struct sluice_name_event) == 216, "sluice_name_event layout");

/* TLS plaintext captured by the write uprobes, in chunks. A write of `total` bytes arrives as
 * ceil(total / SLUICE_TLS_CHUNK) events with the same (tgid, tls_obj, seq) and chunk index
 * 0, 1, ...; the last one has SLUICE_TLS_F_LAST. A write too large for the chunk budget, or a
 * chunk the ring buffer had no room for, is flagged and counted, never silently dropped. */
#define SLUICE_TLS_CHUNK 4096
#define SLUICE_TLS_MAX_CHUNKS 1024 /* 4 MiB per write */
#define SLUICE_TLS_F_LAST 0x1
#define SLUICE_TLS_F_TRUNCATED 0x2 /* bytes past SLUICE_TLS_MAX_CHUNKS were not copied */
#define SLUICE_TLS_F_READ_FAILED 0x4

enum sluice_tls_lib {
	SLUICE_TLS_OPENSSL = 1,
	SLUICE_TLS_GNUTLS = 2,
	SLUICE_TLS_NSS = 3,
	SLUICE_TLS_GO = 4,
};

struct sluice_tls_chunk {
	sluice_u64 ts_ns;
	sluice_u64 cgroup_id;
	sluice_u64 tls_obj; /* SSL*, gnutls_session_t, PRFileDesc*, *tls.Conn */
	sluice_u64 seq;     /* the process's write number (struct sluice_hold.writes) */
	sluice_u64 buf;     /* the application's buffer address: a retried write (same buffer,
			     * or its unwritten tail after a partial write) is recognised by it */
	sluice_u32 tgid;
	sluice_u32 tid;
	sluice_u32 total;   /* bytes in the whole write */
	sluice_u32 offset;  /* of this chunk within the write */
	sluice_u16 len;     /* bytes of data[] used */
	sluice_u16 index;
	sluice_u8 flags;
	sluice_u8 lib;      /* enum sluice_tls_lib */
	sluice_u16 pad;
	sluice_u8 data[SLUICE_TLS_CHUNK];
};
SLUICE_STATIC_ASSERT(sizeof(struct sluice_tls_chunk) == 64 + SLUICE_TLS_CHUNK,
		     "sluice_tls_chunk layout");
#define SLUICE_TLS_RINGBUF_BYTES (16 * 1024 * 1024)

/* The inline hold, per process (tgid) that has an inspect-class socket. connect() creates the
 * record. Every TLS write the uprobes capture in that process takes the next number in
 * `writes` and so arms the process. The agent answers write N, once it has a verdict for every
 * request that write belongs to, by storing N in the process's sluice_hold_answer. While
 * writes > answered, cgroup_skb/egress drops the data packets of the process's inspect-class
 * sockets, so the bytes wait in the socket's send queue until the verdict.
 *
 * The two records have one writer each (the kernel programs, the agent), so neither side ever
 * overwrites a field the other is updating.
 *
 * The kernel enforces the hold timeout on its own, counted from the later of armed_ns and the
 * last answer, so a hold never depends on the agent being alive: fail-open releases after the
 * timeout; fail-closed keeps dropping, reports once per hold, and the agent destroys. */
#define SLUICE_HOLD_COOKIES 4
struct sluice_hold {
	sluice_u64 writes;	 /* TLS writes captured so far (uprobes, atomically) */
	sluice_u64 armed_ns;	 /* when a write armed a process that was not armed */
	sluice_u64 lost_seq;	 /* the latest write whose plaintext was (partly) lost */
	sluice_u64 reported_seq; /* `writes` when an expiry or loss was last reported */
	sluice_u64 held_seq;	 /* `writes` when the hold last dropped a packet: an answer past
				  * it has nothing waiting to nudge */
	sluice_u64 held_cookie[SLUICE_HOLD_COOKIES]; /* sockets the hold dropped packets of,
						      * slot = cookie % SLUICE_HOLD_COOKIES */
};
SLUICE_STATIC_ASSERT(sizeof(struct sluice_hold) == 72, "sluice_hold layout");
struct sluice_hold_answer {
	sluice_u64 answered;	/* writes 1..answered have their verdict */
	sluice_u64 answered_ns; /* bpf_ktime_get_ns() clock (CLOCK_MONOTONIC) of the answer */
	sluice_u64 pending;	/* writes 1..pending were read; their request needs more bytes,
				 * so a write waiting for its verdict stops waiting */
};
SLUICE_STATIC_ASSERT(sizeof(struct sluice_hold_answer) == 24, "sluice_hold_answer layout");

/* Shared with the agent through mmap. After copying a write, the probe waits up to
 * verdict_wait_ns for the agent's answer before the write goes on to the socket, but only
 * while the agent's verdict thread is running and reading the ring on another CPU: it stores
 * the time and its CPU (number + 1) at every look at the ring, so a reader that went to sleep
 * or was preempted is seen as such within microseconds. Such a reader answers within
 * microseconds, and then the packets are never dropped and need no nudge. A busy-wait on the
 * CPU the reader needs, or for a reader that must first be woken or scheduled, would only
 * delay the write. A late answer falls back to the egress hold. verdict_wait_ns 0 (audit
 * mode, or turned off): no wait. */
struct sluice_capture_config {
	sluice_u64 verdict_wait_ns; /* set with each policy */
	sluice_u64 reader_ns;	    /* bpf_ktime_get_ns() clock of the reader's last look; 0 asleep */
	sluice_u32 reader_cpu;	    /* CPU number + 1 of that look */
	sluice_u32 pad;
};
SLUICE_STATIC_ASSERT(sizeof(struct sluice_capture_config) == 24, "sluice_capture_config layout");
/* A reader whose last look is older than this is not counted on (it is busy or preempted). */
#define SLUICE_READER_FRESH_NS 20000
#define SLUICE_MAX_HOLDS 65536

/* Written by the agent with each policy; read by cgroup_skb/egress. */
struct sluice_egress_config {
	sluice_u64 hold_timeout_ns;
	sluice_u8 ech_action;		/* enum sluice_action for ECH toward inspect-class */
	sluice_u8 fail_open;		/* 1: a hold past its timeout is released; 0: fail closed */
	sluice_u8 uninspectable_action; /* enum sluice_action for spec.defaults.uninspectableTls */
	sluice_u8 hold;			/* 0 in audit mode: capture and report, never hold */
	sluice_u8 pad[4];
};
SLUICE_STATIC_ASSERT(sizeof(struct sluice_egress_config) == 16, "sluice_egress_config layout");

/* Counters, one per-CPU array slot each. */
enum sluice_counter {
	SLUICE_CNT_CHECKED = 0, /* connect/sendmsg calls evaluated */
	SLUICE_CNT_ALLOWED,
	SLUICE_CNT_DENIED,
	SLUICE_CNT_AUDITED,
	SLUICE_CNT_EVENTS_LOST, /* ring buffer full: event not delivered (verdict still applied) */
	SLUICE_CNT_NO_POLICY,	/* no policy map installed: allowed, counted */
	SLUICE_CNT_SNI_CHECKED, /* ClientHellos parsed */
	SLUICE_CNT_SNI_DENIED,
	SLUICE_CNT_DNS_ANSWERS,	 /* DNS answers parsed */
	SLUICE_CNT_DNS_BINDINGS, /* address->name bindings learnt */
	SLUICE_CNT_QUIC_DENIED,	 /* UDP 443 to an AI destination refused */
	SLUICE_CNT_TLS_WRITES,	 /* TLS writes captured (in scope) */
	SLUICE_CNT_TLS_BYTES,	 /* plaintext bytes copied */
	SLUICE_CNT_TLS_LOST,	 /* chunks lost: ring buffer full, truncated or unreadable */
	SLUICE_CNT_HELD,	 /* data packets held (dropped to wait in the send queue) */
	SLUICE_CNT_HOLD_EXPIRED, /* packets that met an expired or lossy hold (fail mode applied) */
	SLUICE_CNT_UNINSPECTABLE, /* TLS application data from processes with no hooked library */
	SLUICE_CNT_WAIT_ANSWERED, /* TLS writes whose verdict came while the write waited */
	SLUICE_CNT_WAIT_EXPIRED,  /* TLS writes that waited verdict_wait_ns without an answer */
	SLUICE_CNT_WAIT_ASLEEP,	  /* TLS writes that did not wait: the reader was asleep */
	SLUICE_CNT_WAIT_STALE,	  /* ... the reader had not looked for SLUICE_READER_FRESH_NS */
	SLUICE_CNT_WAIT_SAME_CPU, /* ... the reader last looked from the writer's CPU */
	SLUICE_CNT_MAX,
};

/* Ring buffer size for connect events. */
#define SLUICE_CONN_RINGBUF_BYTES (256 * 1024)
/* Maximum entries in one policy's destination trie. */
#define SLUICE_MAX_DEST_ENTRIES 65536
/* Maximum entries in one policy's name trie, and learnt DNS bindings (LRU). */
#define SLUICE_MAX_NAME_ENTRIES 65536
#define SLUICE_MAX_DNS_BINDINGS 65536
#define SLUICE_NAME_RINGBUF_BYTES (256 * 1024)

#endif /* SLUICE_ABI_H */
