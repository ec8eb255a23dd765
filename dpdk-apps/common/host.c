/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include "host.h"
#include "vigie/frame.h"

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

bool
vg_host_input(struct vg_host *h, struct rte_mbuf *m, const struct vg_parsed *pv)
{
	if (pv->vlan != h->port.vlan)
		return false;
	if (pv->kind == VG_PKT_ARP && pv->arp_op == RTE_ARP_OP_REQUEST &&
	    vg_host_owns(h, pv->arp_tpa)) {
		vg_frame_arp_answer(m, pv, &h->port.mac, pv->arp_tpa);
		h->arp_replies++;
		send1(h, m);
		return true;
	}
	if (pv->kind == VG_PKT_ICMP_ECHO && vg_host_owns(h, pv->dst_ip)) {
		vg_frame_echo_answer(m, pv, &h->port.mac, pv->dst_ip);
		h->echo_replies++;
		send1(h, m);
		return true;
	}
	return false;
}

static void
arp_request(struct vg_host *h, uint32_t src, uint32_t ip)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(h->mp);

	if (m == NULL) {
		h->tx_failed++;
		return;
	}
	vg_frame_arp_request(m, &h->port.mac, h->port.vlan, src, ip);
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
			h->rx_ignored++;
			rte_pktmbuf_free(m);
		}
		if (found)
			return 0;
		if (n == 0)
			rte_delay_us_sleep(1000);
	}
	return -ETIMEDOUT;
}
