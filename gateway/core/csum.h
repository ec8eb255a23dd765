/* SPDX-License-Identifier: BSD-3-Clause */
/* Internet checksum on the egress path.  DPDK's rte_raw_cksum adds 16 bits
 * at a time: ~1,850 cycles for a 1,232-byte UDP datagram on the reference
 * machine, more than its AES-CTR + HMAC-SHA1.  Summing 32-bit words into
 * four 64-bit accumulators takes ~410.  The sum is taken in host byte order
 * (RFC 1071 §2(B)): the result is stored as is.  Pure code. */
#ifndef VG_CSUM_H
#define VG_CSUM_H

#include <stdint.h>
#include <string.h>

/* One's complement sum of len bytes (not complemented), host order. */
static inline uint16_t
vg_csum_raw(const void *data, uint32_t len, uint64_t sum)
{
	const uint8_t *p = data;
	uint64_t a1 = 0, a2 = 0, a3 = 0;
	uint32_t w0, w1, w2, w3;
	uint16_t h;

	for (; len >= 16; len -= 16, p += 16) {
		memcpy(&w0, p, 4);
		memcpy(&w1, p + 4, 4);
		memcpy(&w2, p + 8, 4);
		memcpy(&w3, p + 12, 4);
		sum += w0;
		a1 += w1;
		a2 += w2;
		a3 += w3;
	}
	sum += a1 + a2 + a3;
	for (; len >= 4; len -= 4, p += 4) {
		memcpy(&w0, p, 4);
		sum += w0;
	}
	if (len >= 2) {
		memcpy(&h, p, 2);
		sum += h;
		p += 2;
		len -= 2;
	}
	if (len)	/* odd byte: the first byte of a big-endian word */
		sum += (uint64_t)*p << (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 0 : 8);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)((sum & 0xffff) + (sum >> 16));
}

/* The same sum, with AVX-512 or AVX2 for the bulk when the CPU has them
 * (csum.c). */
uint16_t vg_csum_bytes(const void *data, uint32_t len, uint64_t sum);

/* The vector paths by name, so that tests check each one the CPU has. */
/* Internet checksum (RFC 1071) of len bytes, folded, not complemented,
 * starting from sum.  Used for IPv4, ICMP and UDP. */
uint32_t vg_csum_add(uint32_t sum, const void *data, uint32_t len);
uint16_t vg_csum_fold(uint32_t sum);

enum vg_csum_isa { VG_CSUM_SCALAR = 1, VG_CSUM_AVX2, VG_CSUM_AVX512 };
enum vg_csum_isa vg_csum_isa_best(void);
uint16_t vg_csum_bytes_isa(const void *data, uint32_t len, uint64_t sum,
			   enum vg_csum_isa isa);

/* UDP checksum over IPv4 (pseudo-header + UDP header + payload, the UDP
 * checksum field zero), ready to store; 0 is sent as 0xffff (RFC 768). */
static inline uint16_t
vg_csum_udp4(uint32_t src_be, uint32_t dst_be, const void *udp,
	     uint16_t udp_len)
{
	uint64_t pseudo = (uint64_t)src_be + dst_be;
	uint16_t proto_len[2];
	uint32_t pl;
	uint16_t c;

	proto_len[0] = (uint16_t)(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ?
				  17 << 8 : 17);
	proto_len[1] = (uint16_t)(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ?
				  (udp_len >> 8 | udp_len << 8) : udp_len);
	memcpy(&pl, proto_len, 4);
	c = (uint16_t)~vg_csum_bytes(udp, udp_len, pseudo + pl);
	return c == 0 ? 0xffff : c;
}

/* The two bytes hi, lo as a 16-bit load from memory reads them. */
static inline uint16_t
vg_csum_word(uint8_t hi, uint8_t lo)
{
	return (uint16_t)(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ?
			  hi | lo << 8 : hi << 8 | lo);
}

/* The checksums of an IPv4/UDP header from the values just written into
 * it, not from the header in memory: reading back as wide loads what was
 * written as narrow stores stalls on store forwarding (a quarter of the
 * egress rewrite's time, measured).  16-bit and 32-bit arguments are in
 * network order (as stored); the results are ready to store. */
struct vg_csum_ip_udp {
	uint32_t src_be, dst_be;
	uint16_t ip_len_be, id_be, frag_be;
	uint8_t tos, ttl;
	uint16_t sport_be, dport_be, udp_len;	/* udp_len: host order */
};

static inline uint16_t
vg_csum_ipv4_hdr(const struct vg_csum_ip_udp *h)
{
	uint64_t sum = vg_csum_word(0x45, h->tos) + (uint64_t)h->ip_len_be +
		       h->id_be + h->frag_be + vg_csum_word(h->ttl, 17) +
		       (uint64_t)h->src_be + h->dst_be;

	return (uint16_t)~vg_csum_raw(NULL, 0, sum);
}

/* UDP checksum over the pseudo-header, the UDP header (from h) and the
 * payload in memory; 0 is sent as 0xffff (RFC 768). */
static inline uint16_t
vg_csum_udp4_hdr(const struct vg_csum_ip_udp *h, const void *payload)
{
	uint16_t len_be = vg_csum_word((uint8_t)(h->udp_len >> 8),
				       (uint8_t)h->udp_len);
	uint64_t sum = (uint64_t)h->src_be + h->dst_be + vg_csum_word(0, 17) +
		       2u * len_be + h->sport_be + h->dport_be;
	uint16_t c = (uint16_t)~vg_csum_bytes(payload, h->udp_len - 8u, sum);

	return c == 0 ? 0xffff : c;
}

#endif
