/* SPDX-License-Identifier: BSD-3-Clause */
/* Packet parser: Ethernet (one optional 802.1Q tag) → ARP | IPv4 → ICMP echo
 * | UDP → RTP | RTCP.  Pure over (pointer, length): every read is preceded by
 * a bound check against the bytes that the enclosing header says it owns, so
 * a lying length field can never make us read past the frame.
 *
 * Multi-byte fields are assembled with explicit shifts rather than ntohs()
 * so that the file needs no network or DPDK header and is independent of
 * host byte order and alignment. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "csum.h"
#include "parse.h"

#define ETH_HLEN	14
#define VLAN_HLEN	4
#define ETH_P_IPV4	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_8021Q	0x8100
#define ETH_P_8021AD	0x88a8
#define ARP_LEN		28	/* Ethernet/IPv4 ARP payload */
#define IPV4_HLEN	20
#define IP_MF		0x2000
#define IP_OFFMASK	0x1fff
#define IPPROTO_ICMP_	1
#define IPPROTO_UDP_	17
#define ICMP_HLEN	8
#define ICMP_ECHO	8
#define UDP_HLEN	8
#define RTP_HLEN	12
#define RTCP_HLEN	8
#define RTP_VERSION	2

/* Addresses stay in network order: callers compare them with configured
 * addresses stored the same way, so no swap is ever needed. */
static inline uint32_t
load_addr(const uint8_t *p)
{
	uint32_t a;

	memcpy(&a, p, sizeof(a));
	return a;
}

/* A region carrying its own checksum verifies when its one's-complement sum
 * is 0xffff (negative zero). */
static int
csum_ok(const uint8_t *p, uint32_t len)
{
	return vg_csum_fold(vg_csum_add(0, p, len)) == 0xffff;
}

static enum vg_drop
parse_rtcp(const uint8_t *a, uint32_t alen, struct vg_parsed *out)
{
	/* Only the first packet of a compound is checked: the SRTCP layer
	 * authenticates the whole datagram anyway. */
	if (alen < RTCP_HLEN)
		return VG_DROP_BAD_RTCP;
	if (((uint32_t)vg_get_be16(a + 2) + 1) * 4 > alen)
		return VG_DROP_BAD_RTCP;
	out->kind = VG_PKT_RTCP;
	out->pt = a[1];
	out->ssrc = vg_get_be32(a + 4);
	return VG_DROP_NONE;
}

static enum vg_drop
parse_rtp_hdr(const uint8_t *a, uint32_t alen, struct vg_parsed *out)
{
	uint32_t hlen, pad;

	if (alen < RTP_HLEN)
		return VG_DROP_NOT_RTP;
	hlen = RTP_HLEN + 4 * (uint32_t)(a[0] & 0x0f);
	if (a[0] & 0x10) {
		/* The extension header itself must fit before we read
		 * its length field. */
		if (hlen + 4 > alen)
			return VG_DROP_RTP_OVERRUN;
		hlen += 4 + 4 * (uint32_t)vg_get_be16(a + hlen + 2);
	}
	if (hlen > alen)
		return VG_DROP_RTP_OVERRUN;
	if (a[0] & 0x20) {
		/* alen >= 12 here, so the last byte exists. */
		pad = a[alen - 1];
		if (pad == 0 || hlen + pad > alen)
			return VG_DROP_RTP_OVERRUN;
	}
	out->kind = VG_PKT_RTP;
	out->pt = a[1] & 0x7f;
	out->seq = vg_get_be16(a + 2);
	out->ssrc = vg_get_be32(a + 8);
	out->rtp_hdr_len = (uint16_t)hlen;
	return VG_DROP_NONE;
}

/* RTP and RTCP share the port (RFC 5761): tell them apart by the second
 * byte, marker bit included, as RTCP types 192..223 never collide with the
 * dynamic RTP payload types in use. */
static enum vg_drop
parse_app(const uint8_t *a, uint32_t alen, struct vg_parsed *out)
{
	if (alen < 4)
		return VG_DROP_NOT_RTP;
	if (a[0] >> 6 != RTP_VERSION)
		return VG_DROP_BAD_RTP_VER;
	if (a[1] >= 192 && a[1] <= 223)
		return parse_rtcp(a, alen, out);
	return parse_rtp_hdr(a, alen, out);
}

/* l4 points at the UDP header; plen is the IP payload length, already
 * known to lie within the frame. */
static enum vg_drop
parse_udp(const uint8_t *p, uint32_t l4, uint32_t plen, struct vg_parsed *out)
{
	uint32_t ulen;

	if (plen < UDP_HLEN)
		return VG_DROP_BAD_UDP_LEN;
	ulen = vg_get_be16(p + l4 + 4);
	if (ulen < UDP_HLEN || ulen > plen)
		return VG_DROP_BAD_UDP_LEN;
	/* The UDP checksum is deliberately not verified: veth and
	 * af_packet hand us CHECKSUM_PARTIAL frames, and SRTP
	 * authentication protects what matters downstream. */
	out->src_port = vg_get_be16(p + l4);
	out->dst_port = vg_get_be16(p + l4 + 2);
	out->l4_off = (uint16_t)l4;
	out->app_off = (uint16_t)(l4 + UDP_HLEN);
	out->app_len = (uint16_t)(ulen - UDP_HLEN);
	return parse_app(p + out->app_off, out->app_len, out);
}

static enum vg_drop
parse_icmp(const uint8_t *p, uint32_t l4, uint32_t plen, struct vg_parsed *out)
{
	if (plen < ICMP_HLEN || !csum_ok(p + l4, plen))
		return VG_DROP_BAD_ICMP;
	if (p[l4] != ICMP_ECHO || p[l4 + 1] != 0)
		return VG_DROP_NOT_UDP;
	out->kind = VG_PKT_ICMP_ECHO;
	out->l4_off = (uint16_t)l4;
	/* The echo data, which the reply copies back. */
	out->app_off = (uint16_t)(l4 + ICMP_HLEN);
	out->app_len = (uint16_t)(plen - ICMP_HLEN);
	return VG_DROP_NONE;
}

/* Checks are ordered so that each field is read only once the bytes holding
 * it are known to be inside the frame. */
static enum vg_drop
parse_ipv4(const uint8_t *p, uint32_t len, uint32_t l3,
    struct vg_parsed *out)
{
	const uint8_t *ip = p + l3;
	uint32_t room = len - l3, hlen, tlen;

	if (room < IPV4_HLEN || ip[0] >> 4 != 4)
		return VG_DROP_BAD_IP_HEADER;
	hlen = 4 * (uint32_t)(ip[0] & 0x0f);
	if (hlen < IPV4_HLEN || hlen > room)
		return VG_DROP_BAD_IP_HEADER;
	if (hlen > IPV4_HLEN)
		return VG_DROP_IP_OPTIONS;
	/* Bytes past the total length are Ethernet padding: allowed. */
	tlen = vg_get_be16(ip + 2);
	if (tlen < hlen || tlen > room)
		return VG_DROP_BAD_IP_HEADER;
	if (!csum_ok(ip, hlen))
		return VG_DROP_BAD_IP_CSUM;
	if (vg_get_be16(ip + 6) & (IP_MF | IP_OFFMASK))
		return VG_DROP_IP_FRAGMENT;
	out->l3_off = (uint16_t)l3;
	out->proto = ip[9];
	out->src_ip = load_addr(ip + 12);
	out->dst_ip = load_addr(ip + 16);
	switch (ip[9]) {
	case IPPROTO_UDP_:
		return parse_udp(p, l3 + hlen, tlen - hlen, out);
	case IPPROTO_ICMP_:
		return parse_icmp(p, l3 + hlen, tlen - hlen, out);
	default:
		return VG_DROP_NOT_UDP;
	}
}

static enum vg_drop
parse_arp(const uint8_t *p, uint32_t len, uint32_t l3, struct vg_parsed *out)
{
	const uint8_t *a = p + l3;
	uint16_t op;

	if (len - l3 < ARP_LEN)
		return VG_DROP_BAD_ARP;
	/* Only Ethernet/IPv4 ARP: anything else has other field sizes. */
	if (vg_get_be16(a) != 1 || vg_get_be16(a + 2) != ETH_P_IPV4 || a[4] != 6 ||
	    a[5] != 4)
		return VG_DROP_BAD_ARP;
	op = vg_get_be16(a + 6);
	if (op != 1 && op != 2)
		return VG_DROP_BAD_ARP;
	out->kind = VG_PKT_ARP;
	out->l3_off = (uint16_t)l3;
	out->arp_op = op;
	memcpy(out->arp_sha, a + 8, sizeof(out->arp_sha));
	out->arp_spa = load_addr(a + 14);
	out->arp_tpa = load_addr(a + 24);
	return VG_DROP_NONE;
}

/* Sets *l3 past the Ethernet header and at most one 802.1Q tag, and *type
 * to the inner ethertype.  Stacked tags (QinQ) are refused: the gateway is
 * configured with one VLAN per port and never terminates provider tags. */
static enum vg_drop
parse_eth(const uint8_t *p, uint32_t len, uint32_t *l3, uint16_t *type,
    struct vg_parsed *out)
{
	uint16_t t;

	if (len < ETH_HLEN)
		return VG_DROP_RUNT;
	t = vg_get_be16(p + 12);
	*l3 = ETH_HLEN;
	if (t == ETH_P_8021AD)
		return VG_DROP_BAD_VLAN;
	if (t == ETH_P_8021Q) {
		if (len < ETH_HLEN + VLAN_HLEN)
			return VG_DROP_BAD_VLAN;
		out->vlan = vg_get_be16(p + 14) & 0x0fff;
		t = vg_get_be16(p + 16);
		if (t == ETH_P_8021Q || t == ETH_P_8021AD)
			return VG_DROP_BAD_VLAN;
		*l3 = ETH_HLEN + VLAN_HLEN;
	}
	*type = t;
	return VG_DROP_NONE;
}

enum vg_drop
vg_parse_frame(const uint8_t *p, uint32_t len, struct vg_parsed *out)
{
	enum vg_drop r;
	uint32_t l3;
	uint16_t type;

	/* Callers may read fields of a rejected frame for logging: never
	 * leave stale values from the previous packet. */
	memset(out, 0, sizeof(*out));
	r = parse_eth(p, len, &l3, &type, out);
	if (r != VG_DROP_NONE)
		return r;
	if (type == ETH_P_ARP)
		return parse_arp(p, len, l3, out);
	if (type != ETH_P_IPV4)
		return VG_DROP_NOT_IPV4;
	return parse_ipv4(p, len, l3, out);
}
