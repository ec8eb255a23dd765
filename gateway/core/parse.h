/* SPDX-License-Identifier: BSD-3-Clause */
/* Packet parser: a pure function over (pointer, length).  It needs no DPDK
 * type so that it can be unit-tested and fuzzed on its own.  It never reads
 * outside [p, p + len). */
#ifndef VG_PARSE_H
#define VG_PARSE_H

#include <stdint.h>
#include "drop.h"

enum vg_pkt_kind {
	VG_PKT_ARP = 1,		/* ARP over Ethernet/IPv4 */
	VG_PKT_ICMP_ECHO,	/* ICMP echo request */
	VG_PKT_RTP,		/* UDP whose payload is a valid RTP header */
	VG_PKT_RTCP,		/* UDP whose payload is RTCP (RFC 5761 PT 192..223) */
};

/* Offsets are from the start of the frame; addresses in network byte order,
 * ports and other 16-bit fields in host byte order. */
struct vg_parsed {
	uint8_t kind;		/* enum vg_pkt_kind */
	uint8_t proto;		/* IP protocol */
	uint16_t vlan;		/* 802.1Q VID, 0 when untagged */
	uint16_t l3_off;	/* IPv4 header / ARP payload */
	uint16_t l4_off;	/* UDP or ICMP header */
	uint16_t app_off;	/* RTP/RTCP header (UDP payload) */
	uint16_t app_len;	/* UDP payload length (from the UDP header) */
	uint32_t src_ip;
	uint32_t dst_ip;
	uint16_t src_port;
	uint16_t dst_port;
	/* RTP only */
	uint16_t rtp_hdr_len;	/* 12 + 4*CC + extension */
	uint16_t seq;
	uint32_t ssrc;		/* RTP SSRC, or RTCP sender SSRC */
	uint8_t pt;		/* RTP payload type (7 bits), or RTCP packet type */
	/* ARP only */
	uint16_t arp_op;
	uint8_t arp_sha[6];
	uint32_t arp_spa;	/* sender protocol address (network order) */
	uint32_t arp_tpa;	/* target protocol address (network order) */
};

/* Parse one Ethernet frame of len bytes.  Returns VG_DROP_NONE and fills *out
 * for ARP, ICMP echo requests, RTP and RTCP over UDP/IPv4 (optionally 802.1Q
 * tagged); otherwise returns the reason the frame is to be dropped.  Checks:
 * Ethernet/VLAN truncation, IPv4 version, IHL, total length vs frame,
 * header checksum, options, fragments, UDP length, RTP version 2, CSRC count
 * and header extension within the UDP payload, RTCP minimal length. */
enum vg_drop vg_parse_frame(const uint8_t *p, uint32_t len,
			    struct vg_parsed *out);

#endif
