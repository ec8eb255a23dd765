#include <rte_arp.h>
#include <rte_ip.h>
#include <rte_icmp.h>
#include "l2.h"
#include "local.h"

void
vg_local_arp(struct vg_worker *w, unsigned pi, struct rte_mbuf *m,
	     const struct vg_parsed *pv)
{
	struct vg_port *p = &w->gw->ports[pi];
	struct rte_arp_hdr *ah;
	struct rte_ether_addr sha;

	memcpy(&sha, pv->arp_sha, sizeof(sha));
	if (vg_neigh_learn(&w->gw->neigh, pi, pv->arp_spa, &sha, w->now))
		w->local.arp_learned++;
	if (pv->arp_tpa != p->addr) {
		vg_drop(w, m, VG_DROP_ARP_OTHER);
		return;
	}
	if (pv->arp_op != RTE_ARP_OP_REQUEST) {
		rte_pktmbuf_free(m);	/* a reply to us: learned above */
		return;
	}
	/* Answer in place, keeping the request's VLAN tag. */
	ah = rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *, pv->l3_off);
	ah->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
	rte_ether_addr_copy(&sha, &ah->arp_data.arp_tha);
	ah->arp_data.arp_tip = pv->arp_spa;
	rte_ether_addr_copy(&p->mac, &ah->arp_data.arp_sha);
	ah->arp_data.arp_sip = p->addr;
	vg_l2_write(rte_pktmbuf_mtod(m, uint8_t *), &sha, &p->mac, pv->vlan,
		    RTE_ETHER_TYPE_ARP);
	w->local.arp_replies++;
	vg_tx(w, pi, m);
}

void
vg_local_echo(struct vg_worker *w, unsigned pi, struct rte_mbuf *m,
	      const struct vg_parsed *pv)
{
	struct vg_port *p = &w->gw->ports[pi];
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)d;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + pv->l3_off);
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(d + pv->l4_off);
	uint16_t icmp_len = rte_be_to_cpu_16(ip->total_length) - 20;

	/* Drop any Ethernet padding so the reply is exactly the request. */
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - (pv->l4_off + icmp_len));
	rte_ether_addr_copy(&eh->src_addr, &eh->dst_addr);
	rte_ether_addr_copy(&p->mac, &eh->src_addr);
	ip->dst_addr = pv->src_ip;
	ip->src_addr = p->addr;
	ip->time_to_live = 64;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	ic->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	ic->icmp_cksum = 0;
	ic->icmp_cksum = ~rte_raw_cksum(ic, icmp_len);
	w->local.echo_replies++;
	vg_tx(w, pi, m);
}

static void
send_request(struct vg_worker *w, const struct vg_neigh *n)
{
	static const struct rte_ether_addr bcast = {
		.addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	struct vg_port *p = &w->gw->ports[n->port];
	struct rte_mbuf *m = rte_pktmbuf_alloc(w->gw->mp);
	unsigned l2 = vg_l2_len(p->vlan);
	struct rte_arp_hdr *ah;
	uint8_t *d;

	if (m == NULL) {
		w->drops[VG_DROP_NO_MBUF]++;
		return;
	}
	d = (uint8_t *)rte_pktmbuf_append(m, l2 + sizeof(*ah));
	vg_l2_write(d, &bcast, &p->mac, p->vlan, RTE_ETHER_TYPE_ARP);
	ah = (struct rte_arp_hdr *)(d + l2);
	memset(ah, 0, sizeof(*ah));
	ah->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	ah->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ah->arp_hlen = RTE_ETHER_ADDR_LEN;
	ah->arp_plen = 4;
	ah->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
	rte_ether_addr_copy(&p->mac, &ah->arp_data.arp_sha);
	ah->arp_data.arp_sip = p->addr;
	ah->arp_data.arp_tip = n->addr;
	w->local.arp_requests++;
	vg_tx(w, n->port, m);
}

void
vg_local_arp_tick(struct vg_worker *w, uint64_t now)
{
	unsigned cursor = 0;
	struct vg_neigh *n;

	while ((n = vg_neigh_due(&w->gw->neigh, now, &cursor)) != NULL)
		send_request(w, n);
}
