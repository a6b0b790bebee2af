/* ClientHello server_name extraction and the byte helpers it needs. The same code is built
 * into bpf/egress.bpf.c and, for fuzzing and unit tests, into user space (tests/fuzz/sni/),
 * where packet loads read from a buffer and bpf_loop is a plain loop.
 */
#ifndef SLUICE_TLS_PARSE_H
#define SLUICE_TLS_PARSE_H

#ifdef __bpf__
typedef struct __sk_buff sluice_pkt;
#define SLUICE_PKT_LEN(p) ((p)->len)
#define SLUICE_LOAD(p, off, dst, n) bpf_skb_load_bytes(p, off, dst, n)
#define SLUICE_LOOP(n, cb, data) bpf_loop(n, cb, data, 0)
#define SLUICE_NTOHS(x) bpf_ntohs(x)
#else
#include <arpa/inet.h>
#include <linux/types.h>
#include <string.h>
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
typedef struct sluice_pkt_buf {
	const unsigned char *data;
	__u32 len;
} sluice_pkt;
#define SLUICE_PKT_LEN(p) ((p)->len)
#define SLUICE_NTOHS(x) ntohs(x)
static inline int SLUICE_LOAD(const sluice_pkt *p, __u32 off, void *dst, __u32 n)
{
	if (off > p->len || n > p->len - off)
		return -1;
	memcpy(dst, p->data + off, n);
	return 0;
}
static inline long SLUICE_LOOP(__u32 n, long (*cb)(__u32, void *), void *data)
{
	for (__u32 i = 0; i < n; i++)
		if (cb(i, data))
			return i + 1;
	return n;
}
#endif

#include "sluice/abi.h"

_Static_assert(SLUICE_NAME_MAX == 128, "bounded() masks with 127");

/* The index masked in a way clang cannot fold away after an earlier bounds check: the
 * verifier needs to see the mask on the register that is used. */
static __always_inline __u32 bounded(__u32 i)
{
#ifdef __bpf__
	asm volatile("%0 &= 127" : "+r"(i));
	return i;
#else
	return i & 127;
#endif
}

static __always_inline char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

struct copy_ctx {
	sluice_pkt *skb;
	char *dst;
	__u32 off;
	__u32 len;
	int err;
};

static long copy_cb(__u32 i, void *data)
{
	struct copy_ctx *c = (struct copy_ctx *)data;
	char ch;

	if (i >= c->len)
		return 1;
	if (SLUICE_LOAD(c->skb, c->off + i, &ch, 1)) {
		c->err = 1;
		return 1;
	}
	c->dst[bounded(i)] = lower(ch);
	return 0;
}

/* dst[0..len) <- lower(packet bytes at off). Loops over name bytes run through bpf_loop: the
 * verifier checks a callback once, where an open-coded loop bounded by a packet-derived length
 * forks a state per possible length and exceeds the verifier's budget. */
static __always_inline int copy_bytes(sluice_pkt *skb, __u32 off, char *dst, __u32 len)
{
	struct copy_ctx c = {.skb = skb, .dst = dst, .off = off, .len = len};

	SLUICE_LOOP(SLUICE_NAME_MAX, copy_cb, &c);
	return c.err;
}

#define TLS_MAX_EXTENSIONS 32
#define TLS_EXT_SERVER_NAME 0x0000
#define TLS_EXT_ECH 0xfe0d

/* Finds the server_name in a ClientHello at `off`. Returns the name length (0 = none) and
 * sets *ech when the hello carries encrypted_client_hello; -1 when this is not a ClientHello.
 */
static __always_inline int parse_client_hello(sluice_pkt *skb, __u32 off, char *name, int *ech)
{
	__u8 rec[9];
	__u8 b1;
	__u16 b2;
	__u32 pos, end;

	if (SLUICE_LOAD(skb, off, rec, sizeof(rec)))
		return -1;
	/* record: handshake(22), TLS 1.x; handshake: client_hello(1) */
	if (rec[0] != 0x16 || rec[1] != 0x03 || rec[5] != 0x01)
		return -1;
	end = off + 5 + ((rec[3] << 8) | rec[4]);
	if (end > SLUICE_PKT_LEN(skb))
		end = SLUICE_PKT_LEN(skb);
	pos = off + 9 + 2 + 32; /* version, random */
	if (SLUICE_LOAD(skb, pos, &b1, 1))
		return 0;
	pos += 1 + b1; /* session id */
	if (SLUICE_LOAD(skb, pos, &b2, 2))
		return 0;
	pos += 2 + SLUICE_NTOHS(b2); /* cipher suites */
	if (SLUICE_LOAD(skb, pos, &b1, 1))
		return 0;
	pos += 1 + b1; /* compression methods */
	if (SLUICE_LOAD(skb, pos, &b2, 2))
		return 0;
	pos += 2;
	int found = 0;

	for (int i = 0; i < TLS_MAX_EXTENSIONS; i++) {
		__u16 hdr[2];
		__u16 type, len;

		if (pos + 4 > end || SLUICE_LOAD(skb, pos, hdr, sizeof(hdr)))
			break;
		type = SLUICE_NTOHS(hdr[0]);
		len = SLUICE_NTOHS(hdr[1]);
		if (type == TLS_EXT_ECH)
			*ech = 1;
		if (type == TLS_EXT_SERVER_NAME && !found) {
			/* list length(2), name type(1) = host_name, name length(2), name */
			__u8 sn[5];
			__u32 nlen;

			if (SLUICE_LOAD(skb, pos + 4, sn, sizeof(sn)) || sn[2] != 0)
				break;
			nlen = (sn[3] << 8) | sn[4];
			if (nlen < 1 || nlen > SLUICE_NAME_MAX - 1)
				break; /* longer than any hostname the policy can name */
			/* Byte by byte: a variable-length load loses its bounds in the verifier
			 * once clang spills the length. Only the first packet of a socket gets
			 * here. */
			if (copy_bytes(skb, pos + 9, name, nlen))
				break;
			found = nlen;
		}
		pos += 4 + len;
	}
	return found;
}

#endif /* SLUICE_TLS_PARSE_H */
