/* SPDX-License-Identifier: BSD-3-Clause */
/* The egress checksum (csum.h) against the parser's straightforward
 * RFC 1071 sum, on every length and alignment, and a UDP checksum that the
 * receiver's own verification accepts. */
#include <stdlib.h>
#include <string.h>
#include "csum.h"
#include "harness.h"
#include "parse.h"

static uint16_t
swap16(uint16_t v)
{
	return (uint16_t)(v >> 8 | v << 8);
}

static enum vg_csum_isa
cpu_best(void)
{
#if defined(__x86_64__)
	if (__builtin_cpu_supports("avx512bw"))
		return VG_CSUM_AVX512;
	if (__builtin_cpu_supports("avx2"))
		return VG_CSUM_AVX2;
#endif
	return VG_CSUM_SCALAR;
}

static void
test_raw(void)
{
	static uint8_t buf[1600];
	unsigned bad = 0, isa_bad[VG_CSUM_AVX512 + 1] = { 0 };
	enum vg_csum_isa best = vg_csum_isa_best();

	for (unsigned i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rand();
	for (uint32_t off = 0; off < 8; off++)
		for (uint32_t len = 0; len <= 1500; len++) {
			uint16_t ref = vg_csum_fold(vg_csum_add(0, buf + off, len));
			uint16_t got = vg_csum_raw(buf + off, len, 0);
			uint16_t fast = vg_csum_bytes(buf + off, len, 0);

			bad += fast != got;	/* vector path == scalar path */
			/* Each vector path this CPU can run, not only the best. */
			for (int isa = VG_CSUM_SCALAR; isa <= (int)best; isa++)
				isa_bad[isa] += vg_csum_bytes_isa(buf + off, len,
						0, (enum vg_csum_isa)isa) != got;

			/* Host-order sum: byte-swapped on little-endian. */
			if (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
				got = swap16(got);
			bad += got != ref && !(got == 0 && ref == 0xffff) &&
			       !(got == 0xffff && ref == 0);
		}
	CHECK(bad == 0, "%u length/alignment cases differ", bad);
	/* The widest path the CPU has, asked here independently: a choice
	 * that fell back to scalar on an AVX2 machine would leave the vector
	 * code untested and unused.  (The bound best >= VG_CSUM_SCALAR
	 * checked before could not fail: an enum from 1 up.) */
	CHECK(best == cpu_best(), "path chosen %d, the CPU's widest %d", best,
	      cpu_best());
	for (int isa = VG_CSUM_SCALAR; isa <= (int)best; isa++)
		CHECK(isa_bad[isa] == 0, "path %d: %u cases differ", isa,
		      isa_bad[isa]);
}

static void
test_udp(void)
{
	uint8_t seg[8 + 1201];
	uint8_t pseudo[12] = { 198, 19, 0, 1, 198, 19, 0, 2, 0, 17 };
	uint32_t src, dst, sum;
	uint16_t c;

	for (unsigned i = 0; i < sizeof(seg); i++)
		seg[i] = (uint8_t)rand();
	seg[4] = sizeof(seg) >> 8;
	seg[5] = sizeof(seg) & 0xff;
	seg[6] = seg[7] = 0;
	pseudo[10] = seg[4];
	pseudo[11] = seg[5];
	memcpy(&src, pseudo, 4);
	memcpy(&dst, pseudo + 4, 4);
	c = vg_csum_udp4(src, dst, seg, sizeof(seg));
	memcpy(seg + 6, &c, 2);
	/* What a receiver does: the sum over pseudo-header and segment,
	 * checksum included, must be all ones. */
	sum = vg_csum_add(vg_csum_add(0, pseudo, 12), seg, sizeof(seg));
	CHECK(vg_csum_fold(sum) == 0xffff, "receiver verifies the checksum");
	CHECK(c != 0, "a zero checksum is sent as 0xffff");
}

/* The checksums from header values agree with the ones read from the
 * header once written, for random headers and payload lengths. */
static void
test_fields(void)
{
	static uint8_t pkt[28 + 1500];
	unsigned bad_ip = 0, bad_udp = 0;

	for (unsigned t = 0; t < 2000; t++) {
		uint16_t plen = (uint16_t)(rand() % 1400), ulen = 8 + plen;
		struct vg_csum_ip_udp h = {
			.src_be = (uint32_t)rand() * 2654435761u,
			.dst_be = (uint32_t)rand() * 2246822519u,
			.ip_len_be = swap16((uint16_t)(20 + ulen)),
			.id_be = (uint16_t)rand(),
			.frag_be = (uint16_t)(rand() & 1 ? swap16(0x4000) : 0),
			.tos = (uint8_t)rand(), .ttl = (uint8_t)rand(),
			.sport_be = (uint16_t)rand(), .dport_be = (uint16_t)rand(),
			.udp_len = ulen,
		};
		uint8_t *ip = pkt, *udp = pkt + 20;
		uint16_t c;

		if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__) {
			h.ip_len_be = (uint16_t)(20 + ulen);
			h.frag_be = h.frag_be ? 0x4000 : 0;
		}
		memset(pkt, 0, 28);
		ip[0] = 0x45;
		ip[1] = h.tos;
		memcpy(ip + 2, &h.ip_len_be, 2);
		memcpy(ip + 4, &h.id_be, 2);
		memcpy(ip + 6, &h.frag_be, 2);
		ip[8] = h.ttl;
		ip[9] = 17;
		memcpy(ip + 12, &h.src_be, 4);
		memcpy(ip + 16, &h.dst_be, 4);
		memcpy(udp, &h.sport_be, 2);
		memcpy(udp + 2, &h.dport_be, 2);
		udp[4] = (uint8_t)(ulen >> 8);
		udp[5] = (uint8_t)ulen;
		for (unsigned i = 0; i < plen; i++)
			udp[8 + i] = (uint8_t)rand();
		c = (uint16_t)~vg_csum_raw(ip, 20, 0);
		bad_ip += vg_csum_ipv4_hdr(&h) != c;
		bad_udp += vg_csum_udp4_hdr(&h, udp + 8) !=
			   vg_csum_udp4(h.src_be, h.dst_be, udp, ulen);
	}
	CHECK(bad_ip == 0, "IPv4 header checksum from values: %u differ", bad_ip);
	CHECK(bad_udp == 0, "UDP checksum from values: %u differ", bad_udp);
}

int
main(void)
{
	srand(5);
	VG_RUN(test_raw);
	VG_RUN(test_udp);
	VG_RUN(test_fields);
	VG_TEST_END();
}
