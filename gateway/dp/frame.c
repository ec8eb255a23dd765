/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include <rte_arp.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include "frame.h"
#include "l2.h"

void
vg_frame_arp_answer(struct rte_mbuf *m, const struct vg_parsed *pv,
		    const struct rte_ether_addr *mac, uint32_t addr)
{
	struct rte_arp_hdr *ah =
		rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *, pv->l3_off);
	struct rte_ether_addr sha;

	memcpy(&sha, pv->arp_sha, sizeof(sha));
	ah->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
	rte_ether_addr_copy(&sha, &ah->arp_data.arp_tha);
	ah->arp_data.arp_tip = pv->arp_spa;
	rte_ether_addr_copy(mac, &ah->arp_data.arp_sha);
	ah->arp_data.arp_sip = addr;
	vg_l2_write(rte_pktmbuf_mtod(m, uint8_t *), &sha, mac, pv->vlan,
		    RTE_ETHER_TYPE_ARP);
}

void
vg_frame_echo_answer(struct rte_mbuf *m, const struct vg_parsed *pv,
		     const struct rte_ether_addr *mac, uint32_t addr)
{
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)d;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + pv->l3_off);
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(d + pv->l4_off);
	uint16_t icmp_len = rte_be_to_cpu_16(ip->total_length) -
			    (uint16_t)(pv->l4_off - pv->l3_off);

	/* Drop any Ethernet padding so the reply is exactly the request. */
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - (pv->l4_off + icmp_len));
	rte_ether_addr_copy(&eh->src_addr, &eh->dst_addr);
	rte_ether_addr_copy(mac, &eh->src_addr);
	ip->dst_addr = pv->src_ip;
	ip->src_addr = addr;
	ip->time_to_live = 64;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	ic->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	ic->icmp_cksum = 0;
	ic->icmp_cksum = (uint16_t)~rte_raw_cksum(ic, icmp_len);
}

void
vg_frame_arp_request(struct rte_mbuf *m, const struct rte_ether_addr *mac,
		     uint16_t vlan, uint32_t src, uint32_t ip)
{
	static const struct rte_ether_addr bcast = {
		.addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	unsigned l2 = vg_l2_len(vlan);
	uint8_t *d = (uint8_t *)rte_pktmbuf_append(m, l2 +
					sizeof(struct rte_arp_hdr));
	struct rte_arp_hdr *ah = (struct rte_arp_hdr *)(d + l2);

	vg_l2_write(d, &bcast, mac, vlan, RTE_ETHER_TYPE_ARP);
	memset(ah, 0, sizeof(*ah));
	ah->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	ah->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ah->arp_hlen = RTE_ETHER_ADDR_LEN;
	ah->arp_plen = 4;
	ah->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
	rte_ether_addr_copy(mac, &ah->arp_data.arp_sha);
	ah->arp_data.arp_sip = src;
	ah->arp_data.arp_tip = ip;
}
