/* SPDX-License-Identifier: BSD-3-Clause */
/* Parser unit tests: valid frames of every kind the gateway accepts, checked
 * field by field; then malformed frames, each a small patch of a valid one,
 * checked for the exact drop reason; then every truncation of every valid
 * frame, each copied into an exactly-sized heap buffer so that ASan or
 * valgrind flag any read past the end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csum.h"
#include "harness.h"
#include "parse.h"

/* Offsets in an untagged frame; add VLAN_SHIFT when tagged. */
#define IP	14
#define UDP	34
#define APP	42
#define VLAN_SHIFT 4
#define NOVLAN	(-1)

struct frame {
	uint8_t b[256];
	uint32_t len;
};

static const uint8_t src_ip[4] = { 192, 168, 0, 1 };
static const uint8_t dst_ip[4] = { 10, 0, 0, 2 };

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t
addr(const uint8_t b[4])
{
	uint32_t a;

	memcpy(&a, b, sizeof(a));
	return a;
}

static uint16_t
csum(const uint8_t *p, uint32_t len)
{
	return (uint16_t)~vg_csum_fold(vg_csum_add(0, p, len));
}

/* Ethernet header and optional tag; returns the L3 offset. */
static uint32_t
put_eth(struct frame *f, int tci, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 0xaa,
					   2, 0, 0, 0, 0, 0xbb };
	uint32_t off = 12;

	memcpy(f->b, macs, sizeof(macs));
	if (tci >= 0) {
		put16(f->b + 12, 0x8100);
		put16(f->b + 14, (uint16_t)tci);
		off = 16;
	}
	put16(f->b + off, type);
	return off + 2;
}

static void
fix_ip_csum(uint8_t *ip)
{
	put16(ip + 10, 0);
	put16(ip + 10, csum(ip, 4 * (ip[0] & 0x0f)));
}

/* IPv4 header, no options; returns the L4 offset. */
static uint32_t
put_ipv4(struct frame *f, uint32_t l3, uint8_t proto, uint32_t plen)
{
	uint8_t *ip = f->b + l3;

	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + plen));
	put16(ip + 4, 0x1234);
	put16(ip + 6, 0x4000);		/* DF is not a fragment */
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, src_ip, 4);
	memcpy(ip + 16, dst_ip, 4);
	fix_ip_csum(ip);
	return l3 + 20;
}

static void
build_udp(struct frame *f, int tci, const uint8_t *app, uint32_t alen)
{
	uint32_t l4 = put_ipv4(f, put_eth(f, tci, 0x0800), 17, 8 + alen);

	put16(f->b + l4, 5004);
	put16(f->b + l4 + 2, 6000);
	put16(f->b + l4 + 4, (uint16_t)(8 + alen));
	put16(f->b + l4 + 6, 0xbeef);	/* never verified */
	memcpy(f->b + l4 + 8, app, alen);
	f->len = l4 + 8 + alen;
}

static void
build_icmp(struct frame *f, int tci, const uint8_t *msg, uint32_t mlen)
{
	uint32_t l4 = put_ipv4(f, put_eth(f, tci, 0x0800), 1, mlen);

	memcpy(f->b + l4, msg, mlen);
	put16(f->b + l4 + 2, 0);
	put16(f->b + l4 + 2, csum(f->b + l4, mlen));
	f->len = l4 + mlen;
}

static const uint8_t arp_req[28] = {
	0, 1, 8, 0, 6, 4, 0, 1,
	2, 0, 0, 0, 0, 0xaa, 192, 168, 0, 1,
	0, 0, 0, 0, 0, 0, 192, 168, 0, 254,
};

static void
build_arp(struct frame *f, int tci)
{
	uint32_t l3 = put_eth(f, tci, 0x0806);

	memcpy(f->b + l3, arp_req, sizeof(arp_req));
	f->len = l3 + sizeof(arp_req);
}

/* Application payloads. */
static const uint8_t rtp_plain[] = {
	0x80, 0x60, 0x12, 0x34, 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef,
	1, 2, 3, 4, 5, 6, 7, 8,
};
/* Marker set on PT 96: byte 1 is 224, just above the RTCP range. */
static const uint8_t rtp_marker[] = {
	0x80, 0xe0, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 7, 9,
};
static const uint8_t rtp_csrc[] = {
	0x82, 0x21, 0, 1, 0, 0, 0, 1, 1, 2, 3, 4,
	0xc0, 0, 0, 1, 0xc0, 0, 0, 2, 0xaa, 0xbb,
};
static const uint8_t rtp_ext[] = {
	0x90, 0x60, 0, 2, 0, 0, 0, 1, 0, 0, 0, 9,
	0xbe, 0xde, 0, 2, 0x10, 1, 2, 3, 4, 5, 6, 7,
	0x55,
};
/* CC=1, X, P: 12 + 4 + (4 + 4) = 24 header bytes, 3 of padding. */
static const uint8_t rtp_all[] = {
	0xb1, 0x08, 0x80, 0, 0, 0, 0, 1, 0x11, 0x22, 0x33, 0x44,
	0xc0, 0, 0, 1,
	0x10, 0, 0, 1, 0x42, 0, 0, 0,
	0xaa, 0xbb, 0, 0, 3,
};
/* Padding exactly filling the payload after the header is still valid. */
static const uint8_t rtp_pad_full[] = {
	0xa0, 0x60, 0, 5, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 4,
};
static const uint8_t rtcp_sr[] = {
	0x80, 0xc8, 0, 7, 0xca, 0xfe, 0xba, 0xbe,
	1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3,
};
/* Marker on PT 95 lands in 192..223: RTCP by the RFC 5761 rule. */
static const uint8_t rtcp_edge[] = {
	0x81, 0xdf, 0, 1, 0, 0, 0, 3, 0, 0, 0, 0,
};
/* Odd length exercises the checksum's trailing byte. */
static const uint8_t icmp_echo[] = {
	8, 0, 0, 0, 0x12, 0x34, 0, 1, 'v', 'i', 'g', 'i', 'e',
};
static const uint8_t icmp_reply[] = { 0, 0, 0, 0, 0x12, 0x34, 0, 1 };
static const uint8_t icmp_unreach[] = { 3, 3, 0, 0, 0, 0, 0, 0 };

enum base { B_UDP, B_ICMP, B_ARP };

struct valid_case {
	const char *name;
	enum base base;
	int tci;
	const uint8_t *app;
	uint32_t alen;
	uint32_t eth_pad;	/* trailing bytes beyond the IP packet */
	struct vg_parsed want;	/* IP addresses are checked separately */
};

#define APPSZ(a) (a), sizeof(a)

static const struct valid_case valid[] = {
	{ "rtp", B_UDP, NOVLAN, APPSZ(rtp_plain), 0,
	  { .kind = VG_PKT_RTP, .proto = 17, .l3_off = IP, .l4_off = UDP,
	    .app_off = APP, .app_len = 20, .src_port = 5004,
	    .dst_port = 6000, .rtp_hdr_len = 12, .seq = 0x1234,
	    .ssrc = 0xdeadbeef, .pt = 96 } },
	{ "rtp vlan", B_UDP, 0xa123, APPSZ(rtp_plain), 0,
	  { .kind = VG_PKT_RTP, .proto = 17, .vlan = 0x123, .l3_off = IP + 4,
	    .l4_off = UDP + 4, .app_off = APP + 4, .app_len = 20,
	    .src_port = 5004, .dst_port = 6000, .rtp_hdr_len = 12,
	    .seq = 0x1234, .ssrc = 0xdeadbeef, .pt = 96 } },
	{ "rtp marker", B_UDP, NOVLAN, APPSZ(rtp_marker), 0,
	  { .kind = VG_PKT_RTP, .proto = 17, .l3_off = IP, .l4_off = UDP,
	    .app_off = APP, .app_len = 13, .src_port = 5004,
	    .dst_port = 6000, .rtp_hdr_len = 12, .seq = 0xffff,
	    .ssrc = 7, .pt = 96 } },
	{ "rtp csrc", B_UDP, NOVLAN, APPSZ(rtp_csrc), 0,
	  { .kind = VG_PKT_RTP, .proto = 17, .l3_off = IP, .l4_off = UDP,
	    .app_off = APP, .app_len = 22, .src_port = 5004,
	    .dst_port = 6000, .rtp_hdr_len = 20, .seq = 1,
	    .ssrc = 0x01020304, .pt = 0x21 } },
	{ "rtp ext", B_UDP, NOVLAN, APPSZ(rtp_ext), 0,
	  { .kind = VG_PKT_RTP, .proto = 17, .l3_off = IP, .l4_off = UDP,
	    .app_off = APP, .app_len = 25, .src_port = 5004,
	    .dst_port = 6000, .rtp_hdr_len = 24, .seq = 2,
	    .ssrc = 9, .pt = 96 } },
	{ "rtp csrc+ext+pad vlan", B_UDP, 7, APPSZ(rtp_all), 0,
	  { .kind = VG_PKT_RTP, .proto = 17, .vlan = 7, .l3_off = IP + 4,
	    .l4_off = UDP + 4, .app_off = APP + 4, .app_len = 29,
	    .src_port = 5004, .dst_port = 6000, .rtp_hdr_len = 24,
	    .seq = 0x8000, .ssrc = 0x11223344, .pt = 8 } },
	{ "rtp pad fills payload", B_UDP, NOVLAN, APPSZ(rtp_pad_full), 0,
	  { .kind = VG_PKT_RTP, .proto = 17, .l3_off = IP, .l4_off = UDP,
	    .app_off = APP, .app_len = 16, .src_port = 5004,
	    .dst_port = 6000, .rtp_hdr_len = 12, .seq = 5,
	    .ssrc = 5, .pt = 96 } },
	{ "rtp eth padding", B_UDP, NOVLAN, APPSZ(rtp_marker), 5,
	  { .kind = VG_PKT_RTP, .proto = 17, .l3_off = IP, .l4_off = UDP,
	    .app_off = APP, .app_len = 13, .src_port = 5004,
	    .dst_port = 6000, .rtp_hdr_len = 12, .seq = 0xffff,
	    .ssrc = 7, .pt = 96 } },
	{ "rtcp sr", B_UDP, NOVLAN, APPSZ(rtcp_sr), 0,
	  { .kind = VG_PKT_RTCP, .proto = 17, .l3_off = IP, .l4_off = UDP,
	    .app_off = APP, .app_len = 32, .src_port = 5004,
	    .dst_port = 6000, .ssrc = 0xcafebabe, .pt = 200 } },
	{ "rtcp pt 223", B_UDP, NOVLAN, APPSZ(rtcp_edge), 0,
	  { .kind = VG_PKT_RTCP, .proto = 17, .l3_off = IP, .l4_off = UDP,
	    .app_off = APP, .app_len = 12, .src_port = 5004,
	    .dst_port = 6000, .ssrc = 3, .pt = 223 } },
	{ "icmp echo", B_ICMP, NOVLAN, APPSZ(icmp_echo), 0,
	  { .kind = VG_PKT_ICMP_ECHO, .proto = 1, .l3_off = IP,
	    .l4_off = UDP, .app_off = UDP + 8, .app_len = 5 } },
	{ "icmp echo vlan", B_ICMP, 4095, APPSZ(icmp_echo), 0,
	  { .kind = VG_PKT_ICMP_ECHO, .proto = 1, .vlan = 4095,
	    .l3_off = IP + 4, .l4_off = UDP + 4, .app_off = UDP + 12,
	    .app_len = 5 } },
	{ "arp request", B_ARP, NOVLAN, NULL, 0, 0,
	  { .kind = VG_PKT_ARP, .l3_off = IP, .arp_op = 1,
	    .arp_sha = { 2, 0, 0, 0, 0, 0xaa } } },
	{ "arp padded vlan", B_ARP, 0x0064, NULL, 0, 14,
	  { .kind = VG_PKT_ARP, .vlan = 100, .l3_off = IP + 4, .arp_op = 1,
	    .arp_sha = { 2, 0, 0, 0, 0, 0xaa } } },
};

static void
build(struct frame *f, enum base base, int tci, const uint8_t *app,
    uint32_t alen, uint32_t eth_pad)
{
	memset(f, 0, sizeof(*f));
	switch (base) {
	case B_UDP:
		build_udp(f, tci, app, alen);
		break;
	case B_ICMP:
		build_icmp(f, tci, app, alen);
		break;
	case B_ARP:
		build_arp(f, tci);
		break;
	}
	/* Ethernet padding bytes are left zero by the memset above. */
	f->len += eth_pad;
}

/* Parse from an exactly-sized heap copy so that any over-read is caught. */
static enum vg_drop
parse_copy(const uint8_t *b, uint32_t len, struct vg_parsed *out)
{
	uint8_t *copy = malloc(len);
	enum vg_drop r;

	if (copy == NULL && len != 0) {
		perror("malloc");
		exit(2);
	}
	if (len != 0)
		memcpy(copy, b, len);
	/* Stale garbage must not survive into the result. */
	memset(out, 0xa5, sizeof(*out));
	r = vg_parse_frame(copy, len, out);
	free(copy);
	return r;
}

#define CHECK_FIELD(f)                                                       \
	CHECK(got.f == w->f, "%s: " #f " = %#x, want %#x", c->name,          \
	      (unsigned)got.f, (unsigned)w->f)

static void
check_fields(const struct valid_case *c, const struct vg_parsed *w,
    const struct vg_parsed got)
{
	int ip = c->base != B_ARP;

	CHECK_FIELD(kind);
	CHECK_FIELD(proto);
	CHECK_FIELD(vlan);
	CHECK_FIELD(l3_off);
	CHECK_FIELD(l4_off);
	CHECK_FIELD(app_off);
	CHECK_FIELD(app_len);
	CHECK_FIELD(src_port);
	CHECK_FIELD(dst_port);
	CHECK_FIELD(rtp_hdr_len);
	CHECK_FIELD(seq);
	CHECK_FIELD(ssrc);
	CHECK_FIELD(pt);
	CHECK_FIELD(arp_op);
	CHECK(memcmp(got.arp_sha, w->arp_sha, 6) == 0, "%s: arp_sha", c->name);
	CHECK(got.src_ip == (ip ? addr(src_ip) : 0), "%s: src_ip", c->name);
	CHECK(got.dst_ip == (ip ? addr(dst_ip) : 0), "%s: dst_ip", c->name);
	CHECK(got.arp_spa == (ip ? 0 : addr(arp_req + 14)), "%s: arp_spa",
	      c->name);
	CHECK(got.arp_tpa == (ip ? 0 : addr(arp_req + 24)), "%s: arp_tpa",
	      c->name);
}

static void
test_valid(void)
{
	struct vg_parsed got;
	struct frame f;
	enum vg_drop r;
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		const struct valid_case *c = &valid[i];

		build(&f, c->base, c->tci, c->app, c->alen, c->eth_pad);
		r = parse_copy(f.b, f.len, &got);
		CHECK(r == VG_DROP_NONE, "%s: %s", c->name, vg_drop_name(r));
		check_fields(c, &c->want, got);
	}
}

/* Every proper prefix of a valid unpadded frame must be refused.  For the
 * untagged RTP frame the reason is also exact for each range of lengths. */
static void
test_truncation(void)
{
	struct vg_parsed got;
	struct frame f;
	enum vg_drop r, want;
	uint32_t n;
	size_t i;

	for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		const struct valid_case *c = &valid[i];

		if (c->eth_pad != 0)
			continue;
		build(&f, c->base, c->tci, c->app, c->alen, 0);
		for (n = 0; n < f.len; n++) {
			r = parse_copy(f.b, n, &got);
			CHECK(r != VG_DROP_NONE, "%s cut to %u", c->name, n);
			if (i != 0)
				continue;
			want = n < 14 ? VG_DROP_RUNT : VG_DROP_BAD_IP_HEADER;
			CHECK(r == want, "rtp cut to %u: %s", n,
			      vg_drop_name(r));
		}
	}
}

enum fix { FIX_NONE, FIX_IP_CSUM };

struct patch {
	uint16_t off;
	uint8_t val;
};

struct bad_case {
	const char *name;
	enum base base;
	int tci;
	const uint8_t *app;
	uint32_t alen;
	enum fix fix;
	unsigned npatch;
	struct patch patch[4];
	enum vg_drop want;
};

#define RTP_BASE	B_UDP, NOVLAN, APPSZ(rtp_plain)
#define CSUM		FIX_IP_CSUM
#define RAW		FIX_NONE

static const struct bad_case bad[] = {
	/* Ethernet and VLAN */
	{ "ipv6 ethertype", RTP_BASE, RAW, 2, {{ 12, 0x86 }, { 13, 0xdd }},
	  VG_DROP_NOT_IPV4 },
	{ "lldp ethertype", RTP_BASE, RAW, 2, {{ 12, 0x88 }, { 13, 0xcc }},
	  VG_DROP_NOT_IPV4 },
	{ "double vlan", B_UDP, 5, APPSZ(rtp_plain), RAW, 2,
	  {{ 16, 0x81 }, { 17, 0x00 }}, VG_DROP_BAD_VLAN },
	{ "vlan inside 802.1ad", B_UDP, 5, APPSZ(rtp_plain), RAW, 2,
	  {{ 16, 0x88 }, { 17, 0xa8 }}, VG_DROP_BAD_VLAN },
	{ "802.1ad outer", B_UDP, 5, APPSZ(rtp_plain), RAW, 2,
	  {{ 12, 0x88 }, { 13, 0xa8 }}, VG_DROP_BAD_VLAN },
	{ "ipv6 in vlan", B_UDP, 5, APPSZ(rtp_plain), RAW, 2,
	  {{ 16, 0x86 }, { 17, 0xdd }}, VG_DROP_NOT_IPV4 },
	/* ARP */
	{ "arp htype 6", B_ARP, NOVLAN, NULL, 0, RAW, 1, {{ IP + 1, 6 }},
	  VG_DROP_BAD_ARP },
	{ "arp ptype ipv6", B_ARP, NOVLAN, NULL, 0, RAW, 2,
	  {{ IP + 2, 0x86 }, { IP + 3, 0xdd }}, VG_DROP_BAD_ARP },
	{ "arp hlen 8", B_ARP, NOVLAN, NULL, 0, RAW, 1, {{ IP + 4, 8 }},
	  VG_DROP_BAD_ARP },
	{ "arp plen 16", B_ARP, NOVLAN, NULL, 0, RAW, 1, {{ IP + 5, 16 }},
	  VG_DROP_BAD_ARP },
	{ "arp op 0", B_ARP, NOVLAN, NULL, 0, RAW, 1, {{ IP + 7, 0 }},
	  VG_DROP_BAD_ARP },
	{ "arp op 3", B_ARP, NOVLAN, NULL, 0, RAW, 1, {{ IP + 7, 3 }},
	  VG_DROP_BAD_ARP },
	{ "arp reply", B_ARP, NOVLAN, NULL, 0, RAW, 1, {{ IP + 7, 2 }},
	  VG_DROP_NONE },
	/* IPv4 header */
	{ "ip version 6", RTP_BASE, CSUM, 1, {{ IP, 0x65 }},
	  VG_DROP_BAD_IP_HEADER },
	{ "ihl 0", RTP_BASE, RAW, 1, {{ IP, 0x40 }}, VG_DROP_BAD_IP_HEADER },
	{ "ihl 1", RTP_BASE, RAW, 1, {{ IP, 0x41 }}, VG_DROP_BAD_IP_HEADER },
	{ "ihl 2", RTP_BASE, RAW, 1, {{ IP, 0x42 }}, VG_DROP_BAD_IP_HEADER },
	{ "ihl 3", RTP_BASE, RAW, 1, {{ IP, 0x43 }}, VG_DROP_BAD_IP_HEADER },
	{ "ihl 4", RTP_BASE, RAW, 1, {{ IP, 0x44 }}, VG_DROP_BAD_IP_HEADER },
	{ "ihl 6 (options)", RTP_BASE, CSUM, 1, {{ IP, 0x46 }},
	  VG_DROP_IP_OPTIONS },
	{ "ihl 15 past frame", RTP_BASE, RAW, 1, {{ IP, 0x4f }},
	  VG_DROP_BAD_IP_HEADER },
	{ "total len too big", RTP_BASE, CSUM, 2,
	  {{ IP + 2, 0 }, { IP + 3, 20 + 8 + 20 + 1 }},
	  VG_DROP_BAD_IP_HEADER },
	{ "total len 19", RTP_BASE, CSUM, 2, {{ IP + 2, 0 }, { IP + 3, 19 }},
	  VG_DROP_BAD_IP_HEADER },
	{ "total len 0xffff", RTP_BASE, CSUM, 2,
	  {{ IP + 2, 0xff }, { IP + 3, 0xff }}, VG_DROP_BAD_IP_HEADER },
	{ "bad ip csum", RTP_BASE, RAW, 1, {{ IP + 8, 63 }},
	  VG_DROP_BAD_IP_CSUM },
	{ "zeroed ip csum", RTP_BASE, RAW, 2, {{ IP + 10, 0 }, { IP + 11, 0 }},
	  VG_DROP_BAD_IP_CSUM },
	{ "more fragments", RTP_BASE, CSUM, 1, {{ IP + 6, 0x20 }},
	  VG_DROP_IP_FRAGMENT },
	{ "frag offset 1", RTP_BASE, CSUM, 2, {{ IP + 6, 0 }, { IP + 7, 1 }},
	  VG_DROP_IP_FRAGMENT },
	{ "frag offset high bits", RTP_BASE, CSUM, 1, {{ IP + 6, 0x1f }},
	  VG_DROP_IP_FRAGMENT },
	{ "tcp", RTP_BASE, CSUM, 1, {{ IP + 9, 6 }}, VG_DROP_NOT_UDP },
	{ "gre", RTP_BASE, CSUM, 1, {{ IP + 9, 47 }}, VG_DROP_NOT_UDP },
	/* ICMP */
	{ "icmp bad csum", B_ICMP, NOVLAN, APPSZ(icmp_echo), RAW, 1,
	  {{ UDP + 8, 'V' }}, VG_DROP_BAD_ICMP },
	{ "icmp too short", B_ICMP, NOVLAN, APPSZ(icmp_echo), CSUM, 2,
	  {{ IP + 2, 0 }, { IP + 3, 27 }}, VG_DROP_BAD_ICMP },
	{ "icmp echo reply", B_ICMP, NOVLAN, APPSZ(icmp_reply), RAW, 0, {{ 0 }},
	  VG_DROP_NOT_UDP },
	{ "icmp unreachable", B_ICMP, NOVLAN, APPSZ(icmp_unreach), RAW, 0,
	  {{ 0 }}, VG_DROP_NOT_UDP },
	/* UDP */
	{ "udp len 0", RTP_BASE, RAW, 2, {{ UDP + 4, 0 }, { UDP + 5, 0 }},
	  VG_DROP_BAD_UDP_LEN },
	{ "udp len 7", RTP_BASE, RAW, 2, {{ UDP + 4, 0 }, { UDP + 5, 7 }},
	  VG_DROP_BAD_UDP_LEN },
	{ "udp len too big", RTP_BASE, RAW, 2,
	  {{ UDP + 4, 0 }, { UDP + 5, 8 + 20 + 1 }}, VG_DROP_BAD_UDP_LEN },
	{ "ip payload < udp hdr", RTP_BASE, CSUM, 2,
	  {{ IP + 2, 0 }, { IP + 3, 27 }}, VG_DROP_BAD_UDP_LEN },
	/* RTP / RTCP */
	{ "udp len 8 (no payload)", RTP_BASE, RAW, 2,
	  {{ UDP + 4, 0 }, { UDP + 5, 8 }}, VG_DROP_NOT_RTP },
	{ "rtp 3 bytes", RTP_BASE, RAW, 2, {{ UDP + 4, 0 }, { UDP + 5, 11 }},
	  VG_DROP_NOT_RTP },
	{ "rtp 11 bytes", RTP_BASE, RAW, 2, {{ UDP + 4, 0 }, { UDP + 5, 19 }},
	  VG_DROP_NOT_RTP },
	{ "rtp version 0", RTP_BASE, RAW, 1, {{ APP, 0x00 }},
	  VG_DROP_BAD_RTP_VER },
	{ "rtp version 1", RTP_BASE, RAW, 1, {{ APP, 0x40 }},
	  VG_DROP_BAD_RTP_VER },
	{ "rtp version 3", RTP_BASE, RAW, 1, {{ APP, 0xc0 }},
	  VG_DROP_BAD_RTP_VER },
	{ "rtp cc 15 past end", RTP_BASE, RAW, 1, {{ APP, 0x8f }},
	  VG_DROP_RTP_OVERRUN },
	{ "rtp cc 2 exactly fills", RTP_BASE, RAW, 1, {{ APP, 0x82 }},
	  VG_DROP_NONE },
	{ "rtp cc 3 past end", RTP_BASE, RAW, 1, {{ APP, 0x83 }},
	  VG_DROP_RTP_OVERRUN },
	{ "rtp ext len past end", RTP_BASE, RAW, 3,
	  {{ APP, 0x90 }, { APP + 14, 0xff }, { APP + 15, 0xff }},
	  VG_DROP_RTP_OVERRUN },
	{ "rtp ext len 1 fits", RTP_BASE, RAW, 3,
	  {{ APP, 0x90 }, { APP + 14, 0 }, { APP + 15, 1 }}, VG_DROP_NONE },
	{ "rtp ext len 2 past end", RTP_BASE, RAW, 3,
	  {{ APP, 0x90 }, { APP + 14, 0 }, { APP + 15, 2 }},
	  VG_DROP_RTP_OVERRUN },
	{ "rtp ext hdr past end", RTP_BASE, RAW, 1, {{ APP, 0x92 }},
	  VG_DROP_RTP_OVERRUN },
	{ "rtp padding too big", RTP_BASE, RAW, 2,
	  {{ APP, 0xa0 }, { APP + 19, 9 }}, VG_DROP_RTP_OVERRUN },
	{ "rtp padding 0", RTP_BASE, RAW, 2, {{ APP, 0xa0 }, { APP + 19, 0 }},
	  VG_DROP_RTP_OVERRUN },
	{ "rtp padding 8 fits", RTP_BASE, RAW, 1, {{ APP, 0xa0 }},
	  VG_DROP_NONE },
	{ "rtcp len field too big", B_UDP, NOVLAN, APPSZ(rtcp_sr), RAW, 1,
	  {{ APP + 3, 8 }}, VG_DROP_BAD_RTCP },
	{ "rtcp len field 0xffff", B_UDP, NOVLAN, APPSZ(rtcp_sr), RAW, 2,
	  {{ APP + 2, 0xff }, { APP + 3, 0xff }}, VG_DROP_BAD_RTCP },
	{ "rtcp 4 bytes", B_UDP, NOVLAN, APPSZ(rtcp_sr), RAW, 2,
	  {{ UDP + 4, 0 }, { UDP + 5, 12 }}, VG_DROP_BAD_RTCP },
	{ "rtcp bad version", B_UDP, NOVLAN, APPSZ(rtcp_sr), RAW, 1,
	  {{ APP, 0x40 }}, VG_DROP_BAD_RTP_VER },
};

static void
test_bad(void)
{
	struct vg_parsed got;
	struct frame f;
	enum vg_drop r;
	size_t i;
	unsigned j;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct bad_case *c = &bad[i];

		build(&f, c->base, c->tci, c->app, c->alen, 0);
		for (j = 0; j < c->npatch; j++)
			f.b[c->patch[j].off] = c->patch[j].val;
		if (c->fix == FIX_IP_CSUM)
			fix_ip_csum(f.b + (c->tci >= 0 ? IP + 4 : IP));
		r = parse_copy(f.b, f.len, &got);
		CHECK(r == c->want, "%s: got %s, want %s", c->name,
		      vg_drop_name(r), vg_drop_name(c->want));
	}
}

/* RFC 1071 example header (as in the Wikipedia "IPv4 header checksum"
 * article): checksum b861. */
static void
test_csum(void)
{
	uint8_t h[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
	};
	static const uint8_t odd[3] = { 0x01, 0x02, 0x03 };
	uint32_t s;

	CHECK(csum(h, 20) == 0xb861, "got %#x", csum(h, 20));
	put16(h + 10, 0xb861);
	CHECK(vg_csum_fold(vg_csum_add(0, h, 20)) == 0xffff, "verify");
	/* Chaining on even boundaries equals one pass. */
	s = vg_csum_add(vg_csum_add(0, h, 10), h + 10, 10);
	CHECK(vg_csum_fold(s) == 0xffff, "chained");
	/* A trailing odd byte is the high half of a zero-padded word. */
	CHECK(vg_csum_fold(vg_csum_add(0, odd, 3)) == 0x0402, "odd");
	CHECK(vg_csum_fold(0x1ffff) == 0x0001, "carry");
	CHECK(vg_csum_fold(0xffffffff) == 0xffff, "double carry");
	CHECK(vg_csum_add(0, h, 0) == 0, "empty");
}

static void
test_drop_names(void)
{
	int i;

	CHECK(strcmp(vg_drop_name(VG_DROP_NONE), "none") == 0, "none");
	CHECK(strcmp(vg_drop_name(VG_DROP_BAD_UDP_LEN), "bad-udp-length") == 0,
	      "bad-udp-length");
	CHECK(strcmp(vg_drop_name(VG_DROP_COUNT), "unknown") == 0, "count");
	CHECK(strcmp(vg_drop_name((enum vg_drop)-1), "unknown") == 0, "-1");
	for (i = 0; i < VG_DROP_COUNT; i++)
		CHECK(vg_drop_name((enum vg_drop)i) != NULL &&
		      strcmp(vg_drop_name((enum vg_drop)i), "unknown") != 0,
		      "reason %d has no name", i);
}

int
main(void)
{
	VG_RUN(test_csum);
	VG_RUN(test_drop_names);
	VG_RUN(test_valid);
	VG_RUN(test_bad);
	VG_RUN(test_truncation);
	VG_TEST_END();
}
