#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include "host.h"
#include "l2.h"

static int
cmp_addr(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

int
vg_host_open(struct vg_host *h, const struct vg_cfg_port *c,
	     struct rte_mempool *mp, const uint32_t *addrs, unsigned n,
	     char *err, size_t errlen)
{
	int ret;

	memset(h, 0, sizeof(*h));
	h->mp = mp;
	h->addrs = malloc((n ? n : 1) * sizeof(*addrs));
	if (h->addrs == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	memcpy(h->addrs, addrs, n * sizeof(*addrs));
	qsort(h->addrs, n, sizeof(*addrs), cmp_addr);
	h->n_addrs = n;
	ret = vg_port_open(&h->port, c, mp, err, errlen);
	if (ret < 0) {
		free(h->addrs);
		h->addrs = NULL;
	}
	return ret;
}

void
vg_host_close(struct vg_host *h)
{
	vg_port_close(&h->port);
	free(h->addrs);
	h->addrs = NULL;
}

bool
vg_host_owns(const struct vg_host *h, uint32_t addr)
{
	return bsearch(&addr, h->addrs, h->n_addrs, sizeof(addr),
		       cmp_addr) != NULL;
}

static void
send1(struct vg_host *h, struct rte_mbuf *m)
{
	if (rte_eth_tx_burst(h->port.port_id, 0, &m, 1) != 1) {
		h->tx_failed++;
		rte_pktmbuf_free(m);
	}
}

static void
arp_reply(struct vg_host *h, struct rte_mbuf *m, const struct vg_parsed *pv)
{
	struct rte_arp_hdr *ah =
		rte_pktmbuf_mtod_offset(m, struct rte_arp_hdr *, pv->l3_off);
	struct rte_ether_addr sha;

	memcpy(&sha, pv->arp_sha, sizeof(sha));
	ah->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
	rte_ether_addr_copy(&sha, &ah->arp_data.arp_tha);
	ah->arp_data.arp_tip = pv->arp_spa;
	rte_ether_addr_copy(&h->port.mac, &ah->arp_data.arp_sha);
	ah->arp_data.arp_sip = pv->arp_tpa;
	vg_l2_write(rte_pktmbuf_mtod(m, uint8_t *), &sha, &h->port.mac,
		    pv->vlan, RTE_ETHER_TYPE_ARP);
	h->arp_replies++;
	send1(h, m);
}

static void
echo_reply(struct vg_host *h, struct rte_mbuf *m, const struct vg_parsed *pv)
{
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)d;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + pv->l3_off);
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(d + pv->l4_off);
	uint16_t icmp_len = rte_be_to_cpu_16(ip->total_length) -
			    (uint16_t)(pv->l4_off - pv->l3_off);

	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - (pv->l4_off + icmp_len));
	rte_ether_addr_copy(&eh->src_addr, &eh->dst_addr);
	rte_ether_addr_copy(&h->port.mac, &eh->src_addr);
	ip->dst_addr = pv->src_ip;
	ip->src_addr = pv->dst_ip;
	ip->time_to_live = 64;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	ic->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	ic->icmp_cksum = 0;
	ic->icmp_cksum = (uint16_t)~rte_raw_cksum(ic, icmp_len);
	h->echo_replies++;
	send1(h, m);
}

bool
vg_host_input(struct vg_host *h, struct rte_mbuf *m, const struct vg_parsed *pv)
{
	if (pv->vlan != h->port.vlan)
		return false;
	if (pv->kind == VG_PKT_ARP && pv->arp_op == RTE_ARP_OP_REQUEST &&
	    vg_host_owns(h, pv->arp_tpa)) {
		arp_reply(h, m, pv);
		return true;
	}
	if (pv->kind == VG_PKT_ICMP_ECHO && vg_host_owns(h, pv->dst_ip)) {
		echo_reply(h, m, pv);
		return true;
	}
	return false;
}

static void
arp_request(struct vg_host *h, uint32_t src, uint32_t ip)
{
	static const struct rte_ether_addr bcast = {
		.addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
	struct rte_mbuf *m = rte_pktmbuf_alloc(h->mp);
	struct rte_arp_hdr *ah;
	unsigned l2;
	uint8_t *d;

	if (m == NULL) {
		h->tx_failed++;
		return;
	}
	l2 = vg_l2_len(h->port.vlan);
	d = (uint8_t *)rte_pktmbuf_append(m, l2 + sizeof(*ah));
	vg_l2_write(d, &bcast, &h->port.mac, h->port.vlan, RTE_ETHER_TYPE_ARP);
	ah = (struct rte_arp_hdr *)(d + l2);
	ah->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	ah->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ah->arp_hlen = RTE_ETHER_ADDR_LEN;
	ah->arp_plen = 4;
	ah->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
	rte_ether_addr_copy(&h->port.mac, &ah->arp_data.arp_sha);
	ah->arp_data.arp_sip = src;
	memset(&ah->arp_data.arp_tha, 0, sizeof(ah->arp_data.arp_tha));
	ah->arp_data.arp_tip = ip;
	h->arp_requests++;
	send1(h, m);
}

/* The answer: any ARP frame whose sender is ip (a reply, or ip asking). */
static bool
is_answer(const struct vg_parsed *pv, uint32_t ip, uint16_t vlan)
{
	return pv->kind == VG_PKT_ARP && pv->arp_spa == ip && pv->vlan == vlan;
}

int
vg_host_resolve(struct vg_host *h, uint32_t src, uint32_t ip,
		struct rte_ether_addr *mac, unsigned timeout_ms,
		const volatile bool *quit)
{
	uint64_t hz = rte_get_tsc_hz(), start = rte_get_tsc_cycles();
	uint64_t end = start + hz * timeout_ms / 1000, next = start;
	struct rte_mbuf *pkts[32];

	while (rte_get_tsc_cycles() < end) {
		bool found = false;
		uint16_t n;

		if (quit != NULL && *quit)
			return -EINTR;
		if (rte_get_tsc_cycles() >= next) {
			arp_request(h, src, ip);
			next = rte_get_tsc_cycles() + hz / 5;
		}
		n = rte_eth_rx_burst(h->port.port_id, 0, pkts, 32);
		for (uint16_t i = 0; i < n; i++) {
			struct vg_parsed pv;
			struct rte_mbuf *m = pkts[i];

			if (vg_parse_frame(rte_pktmbuf_mtod(m, uint8_t *),
					   rte_pktmbuf_data_len(m), &pv) ==
			    VG_DROP_NONE) {
				if (!found && is_answer(&pv, ip, h->port.vlan)) {
					memcpy(mac, pv.arp_sha, sizeof(*mac));
					found = true;
				}
				if (vg_host_input(h, m, &pv))
					continue;
			}
			rte_pktmbuf_free(m);
		}
		if (found)
			return 0;
		if (n == 0)
			rte_delay_us_sleep(1000);
	}
	return -ETIMEDOUT;
}
