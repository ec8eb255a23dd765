/* SPDX-License-Identifier: BSD-3-Clause */
/* Ethernet header writing, with the port's optional 802.1Q tag. */
#ifndef VG_L2_H
#define VG_L2_H

#include <string.h>
#include <rte_byteorder.h>
#include <rte_ether.h>

static inline unsigned
vg_l2_len(uint16_t vlan)
{
	return RTE_ETHER_HDR_LEN + (vlan ? RTE_VLAN_HLEN : 0);
}

/* Write the L2 header at p; returns its length. */
static inline unsigned
vg_l2_write(uint8_t *p, const struct rte_ether_addr *dst,
	    const struct rte_ether_addr *src, uint16_t vlan, uint16_t type)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)p;
	struct rte_vlan_hdr *vh;

	rte_ether_addr_copy(dst, &eh->dst_addr);
	rte_ether_addr_copy(src, &eh->src_addr);
	if (vlan == 0) {
		eh->ether_type = rte_cpu_to_be_16(type);
		return RTE_ETHER_HDR_LEN;
	}
	eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
	vh = (struct rte_vlan_hdr *)(eh + 1);
	vh->vlan_tci = rte_cpu_to_be_16(vlan);
	vh->eth_proto = rte_cpu_to_be_16(type);
	return RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN;
}

#endif
