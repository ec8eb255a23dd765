/* SPDX-License-Identifier: BSD-3-Clause */
/* Ethernet/IPv4/UDP framing of camgen's packets: one template per flow,
 * lengths and checksums filled per packet.  Pure code: the pcap writer and
 * the DPDK port path build the same bytes. */
#ifndef VG_WIRE_H
#define VG_WIRE_H

#include <stdint.h>

#define VG_WIRE_HDR_MAX (14 + 4 + 20 + 8)	/* Eth + 802.1Q + IPv4 + UDP */

struct vg_wire_flow {
	uint8_t hdr[VG_WIRE_HDR_MAX];
	uint8_t hdr_len;		/* up to and including the UDP header */
	uint16_t ip_id;
};

/* addresses network order, ports host order, vlan 0 = untagged. */
void vg_wire_flow_init(struct vg_wire_flow *f, const uint8_t dst_mac[6],
		       const uint8_t src_mac[6], uint16_t vlan,
		       uint32_t src_ip, uint32_t dst_ip, uint16_t src_port,
		       uint16_t dst_port);

/* Frame at p: the flow's headers then the UDP payload already written at
 * p + f->hdr_len, payload_len bytes.  Fills the IPv4 and UDP lengths, the
 * IPv4 id and both checksums.  Returns the frame length. */
unsigned vg_wire_finish(struct vg_wire_flow *f, uint8_t *p,
			unsigned payload_len);

#endif
