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
	SLUICE_ACTION_DENY = 1,  /* connect/sendmsg fails with EPERM */
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
	sluice_u8 hook;     /* enum sluice_hook */
	sluice_u8 dest_class;
	sluice_u8 pad;
	sluice_u32 policy_generation;
	char comm[16];
};
SLUICE_STATIC_ASSERT(sizeof(struct sluice_conn_event) == 80, "sluice_conn_event layout");

/* Counters, one per-CPU array slot each. */
enum sluice_counter {
	SLUICE_CNT_CHECKED = 0,   /* connect/sendmsg calls evaluated */
	SLUICE_CNT_ALLOWED,
	SLUICE_CNT_DENIED,
	SLUICE_CNT_AUDITED,
	SLUICE_CNT_EVENTS_LOST,   /* ring buffer full: event not delivered (verdict still applied) */
	SLUICE_CNT_NO_POLICY,     /* no policy map installed: fail-closed deny */
	SLUICE_CNT_MAX,
};

/* Ring buffer size for connect events. */
#define SLUICE_CONN_RINGBUF_BYTES (256 * 1024)
/* Maximum entries in one policy's destination trie. */
#define SLUICE_MAX_DEST_ENTRIES 65536

#endif /* SLUICE_ABI_H */
