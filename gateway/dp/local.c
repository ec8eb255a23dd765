/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include <rte_arp.h>
#include "frame.h"
#include "local.h"

void
vg_local_arp(struct vg_worker *w, unsigned pi, struct rte_mbuf *m,
	     const struct vg_parsed *pv)
{
	struct vg_port *p = &w->gw->ports[pi];
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
	vg_frame_arp_answer(m, pv, &p->mac, p->addr);	/* keeps the VLAN tag */
	w->local.arp_replies++;
	vg_tx(w, pi, m);
}

void
vg_local_echo(struct vg_worker *w, unsigned pi, struct rte_mbuf *m,
	      const struct vg_parsed *pv)
{
	struct vg_port *p = &w->gw->ports[pi];

	vg_frame_echo_answer(m, pv, &p->mac, p->addr);
	w->local.echo_replies++;
	vg_tx(w, pi, m);
}

static void
send_request(struct vg_worker *w, const struct vg_neigh *n)
{
	struct vg_port *p = &w->gw->ports[n->port];
	struct rte_mbuf *m = rte_pktmbuf_alloc(w->gw->mp);

	if (m == NULL) {
		w->drops[VG_DROP_NO_MBUF]++;
		return;
	}
	vg_frame_arp_request(m, &p->mac, p->vlan, p->addr, n->addr);
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
