/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_prefetch.h>
#include "engine.h"
#include "flow.h"
#include "forward.h"
#include "local.h"
#include "worker.h"

#define TICK_HZ 100		/* housekeeping (ARP retries) every 10 ms */
#define PREFETCH_AHEAD 4

void
vg_tx_flush(struct vg_worker *w, unsigned pi)
{
	struct vg_txbuf *b = &w->tx[pi];
	uint16_t sent;

	if (b->n == 0)
		return;
	sent = rte_eth_tx_burst(w->gw->ports[pi].port_id, 0, b->pkts, b->n);
	w->port[pi].tx += sent;
	if (unlikely(sent < b->n)) {
		w->port[pi].drop += b->n - sent;
		w->drops[VG_DROP_TX_FULL] += b->n - sent;
		rte_pktmbuf_free_bulk(&b->pkts[sent], b->n - sent);
	}
	b->n = 0;
}

/* L2/L3 checks that need the port: VLAN, destination MAC, our address. */
static enum vg_drop
for_us(const struct vg_port *p, const uint8_t *d, const struct vg_parsed *pv)
{
	const struct rte_ether_addr *dst = (const struct rte_ether_addr *)d;

	if (pv->vlan != p->vlan)
		return VG_DROP_WRONG_VLAN;
	if (pv->kind == VG_PKT_ARP)
		return VG_DROP_NONE;	/* broadcast; target checked later */
	if (!rte_is_same_ether_addr(dst, &p->mac) || pv->dst_ip != p->addr)
		return VG_DROP_NOT_FOR_US;
	return VG_DROP_NONE;
}

static void
rx_burst(struct vg_worker *w, unsigned pi, struct rte_mbuf **pkts, unsigned n)
{
	const struct vg_port *p = &w->gw->ports[pi];
	struct vg_parsed pv[VG_BURST];
	struct vg_flow_key keys[VG_BURST];
	uint32_t home[VG_BURST];
	struct rte_mbuf *cam[VG_BURST];
	uintptr_t flow[VG_BURST];
	unsigned i, k = 0;
	enum vg_drop r;
	uint8_t *d;

	/* The mbufs and their first line were written on another core (a
	 * NIC's DMA, the rx PMD, a generator): start those misses for the
	 * whole burst, then data a few packets ahead, as l3fwd does.  The
	 * mbuf's second line too: trimming and freeing read its next
	 * pointer (measured +11 to +17 % at 1,000 streams). */
	for (i = 0; i < n; i++) {
		rte_prefetch0(pkts[i]);
		rte_prefetch0(&pkts[i]->cacheline1);
	}
	for (i = 0; i < n && i < PREFETCH_AHEAD; i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];

		if (i + PREFETCH_AHEAD < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + PREFETCH_AHEAD],
						       void *));
		d = rte_pktmbuf_mtod(m, uint8_t *);
		r = vg_parse_frame(d, rte_pktmbuf_data_len(m), &pv[k]);
		if (r == VG_DROP_NONE)
			r = for_us(p, d, &pv[k]);
		if (unlikely(r != VG_DROP_NONE)) {
			vg_drop(w, m, r);
			continue;
		}
		switch (pv[k].kind) {
		case VG_PKT_ARP:
			vg_local_arp(w, pi, m, &pv[k]);
			break;
		case VG_PKT_ICMP_ECHO:
			vg_local_echo(w, pi, m, &pv[k]);
			break;
		default:
			/* Camera flows on access ports, routes' SRTP on
			 * backbone ports: the stream says which it expects. */
			keys[k] = (struct vg_flow_key){ .src_ip = pv[k].src_ip,
				.src_port = pv[k].src_port,
				.dst_port = pv[k].dst_port };
			/* Its bucket arrives while the rest is parsed. */
			home[k] = vg_flow_prefetch(w->gw->flows, &keys[k]);
			cam[k++] = m;
		}
	}
	if (k == 0)
		return;
	vg_flow_lookup_burst(w->gw->flows, keys, home, k, flow);
	vg_forward_burst(w, pi, cam, pv, flow, k);
}

/* Tick t of each period of roc_announce_ms announces the camera streams
 * [n t / ticks, n (t + 1) / ticks): each one once a period, without a
 * burst of them all. */
static void
announce_tick(struct vg_worker *w)
{
	uint64_t n = w->gw->cfg.n_cameras, ticks = (uint64_t)
				w->gw->cfg.roc_announce_ms * TICK_HZ / 1000;
	unsigned first, last;

	if (ticks == 0 || n == 0)
		return;
	if (w->announce_tick >= ticks)
		w->announce_tick = 0;
	first = (unsigned)(n * w->announce_tick / ticks);
	last = (unsigned)(n * (w->announce_tick + 1) / ticks);
	w->announce_tick++;
	if (last > first)
		vg_forward_announce(w, first, last - first);
}

static void
tick(struct vg_worker *w)
{
	vg_local_arp_tick(w, w->now);
	announce_tick(w);
	w->next_tick = w->now + w->tick_tsc;
}

int
vg_worker_main(void *arg)
{
	struct vg_worker *w = arg;
	struct vg_gw *gw = w->gw;
	struct rte_mbuf *pkts[VG_BURST];
	unsigned pi, n;

	w->tick_tsc = rte_get_tsc_hz() / TICK_HZ;
	while (!*w->quit) {
		w->now = rte_rdtsc();
		for (pi = 0; pi < gw->n_ports; pi++) {
			n = rte_eth_rx_burst(gw->ports[pi].port_id, 0, pkts,
					     VG_BURST);
			if (n == 0)
				continue;
			w->port[pi].rx += n;
			rx_burst(w, pi, pkts, n);
		}
		if (unlikely(w->now >= w->next_tick))
			tick(w);
		for (pi = 0; pi < gw->n_ports; pi++)
			vg_tx_flush(w, pi);
	}
	return 0;
}

/* A receiver continues where the state file says it was (reserve.c):
 * nothing it accepted before is accepted again. */
static int
add_in(struct vg_worker *w, unsigned id, enum vg_suite suite,
       const struct vg_master_key *key, uint32_t ssrc, char *e, size_t elen)
{
	const struct vg_stream *s = &w->gw->streams[id];
	struct vg_engine *en = w->engine;

	if (en->ops->stream_add_in(en, id, suite, key, ssrc, e, elen) < 0)
		return -1;
	if ((s->rx_rtp || s->rx_rtcp) &&
	    en->ops->rx_set(en, id, s->rx_rtp, s->rx_rtcp) < 0) {
		snprintf(e, elen, "cannot resume the receiver");
		return -1;
	}
	return 0;
}

static int
add_streams(struct vg_worker *w, char *err, size_t errlen)
{
	const struct vg_cfg *cfg = &w->gw->cfg;
	char e[256];

	for (unsigned i = 0; i < cfg->n_cameras; i++) {
		const struct vg_cfg_camera *c = &cfg->cameras[i];

		if (w->engine->ops->stream_add(w->engine, i, c->suite, &c->key,
					       c->ssrc, e, sizeof(e)) < 0) {
			snprintf(err, errlen, "camera '%s': %s", c->name, e);
			return -1;
		}
	}
	for (unsigned i = 0; i < cfg->n_routes; i++) {
		const struct vg_cfg_route *r = &cfg->routes[i];

		if (add_in(w, vg_flow_id_route(cfg, i), r->suite, &r->key,
			   r->ssrc, e, sizeof(e)) < 0 ||
		    w->engine->ops->stream_add(w->engine,
					       vg_flow_id_route_fb(cfg, i),
					       r->suite, &r->key,
					       vg_cfg_feedback_ssrc(r->ssrc),
					       e, sizeof(e)) < 0) {
			snprintf(err, errlen, "route '%s': %s", r->name, e);
			return -1;
		}
	}
	/* The center's feedback comes back under the destination's key. */
	for (unsigned i = 0; i < cfg->n_cameras; i++) {
		const struct vg_cfg_camera *c = &cfg->cameras[i];

		if (add_in(w, vg_flow_id_cam_fb(cfg, i), c->suite, &c->key,
			   vg_cfg_feedback_ssrc(c->ssrc), e, sizeof(e)) < 0) {
			snprintf(err, errlen, "camera '%s': %s", c->label, e);
			return -1;
		}
	}
	return 0;
}

int
vg_worker_init(struct vg_worker *w, struct vg_gw *gw,
	       const volatile bool *quit, char *err, size_t errlen)
{
	struct vg_engine_params p = {
		.max_streams = vg_flow_id_count(&gw->cfg),
		.cryptodev = gw->cfg.cryptodev,
		.cryptodev_gcm = gw->cfg.cryptodev_gcm,
	};

	memset(w, 0, sizeof(*w));
	w->gw = gw;
	w->quit = quit;
	w->engine = gw->engine_ops->create(&p, err, errlen);
	if (w->engine == NULL)
		return -1;
	if (add_streams(w, err, errlen) < 0) {
		vg_worker_fini(w);
		return -1;
	}
	return 0;
}

void
vg_worker_fini(struct vg_worker *w)
{
	if (w->engine != NULL)
		w->engine->ops->destroy(w->engine);
	w->engine = NULL;
}
