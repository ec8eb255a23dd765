/* SPDX-License-Identifier: BSD-3-Clause */
/* The worker lcore: run to completion over bursts on every port.  Owns
 * its context (counters, tx buffers) and the two ways a packet leaves it:
 * vg_tx and vg_drop. */
#ifndef VG_WORKER_H
#define VG_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <rte_common.h>
#include <rte_mbuf.h>
#include "context.h"
#include "drop.h"

#define VG_BURST 32
#define VG_TX_BUF 64

struct vg_port_counters {
	uint64_t rx;
	uint64_t tx;
	uint64_t drop;			/* tx-full on this port */
};

/* Packets consumed by the gateway itself (not drops). */
struct vg_local_counters {
	uint64_t arp_replies;		/* ARP requests for us answered */
	uint64_t arp_requests;		/* ARP requests we sent */
	uint64_t arp_learned;
	uint64_t echo_replies;
};

struct vg_txbuf {
	uint16_t n;
	struct rte_mbuf *pkts[VG_TX_BUF];
};

/* One per worker lcore, cache aligned, passed as the only argument. */
struct vg_worker {
	struct vg_gw *gw;
	struct vg_engine *engine;
	const volatile bool *quit;
	uint64_t now;			/* tsc, read once per loop */
	uint64_t next_tick;
	uint64_t tick_tsc;
	uint64_t drops[VG_DROP_COUNT];
	uint64_t reserve_asks;		/* streams past half their reservation
					 * (read by the main lcore) */
	unsigned announce_tick;		/* tick within the announce period */
	struct vg_port_counters port[VG_MAX_PORTS];
	struct vg_local_counters local;
	struct vg_txbuf tx[VG_MAX_PORTS];
} __rte_cache_aligned;

/* Count a drop and free the mbuf: the one place a dropped packet goes. */
static inline void
vg_drop(struct vg_worker *w, struct rte_mbuf *m, enum vg_drop reason)
{
	w->drops[reason]++;
	rte_pktmbuf_free(m);
}

/* Queue m for tx on port index pi; flushed at the end of each burst. */
void vg_tx_flush(struct vg_worker *w, unsigned pi);

static inline void
vg_tx(struct vg_worker *w, unsigned pi, struct rte_mbuf *m)
{
	struct vg_txbuf *b = &w->tx[pi];

	b->pkts[b->n++] = m;
	if (b->n == VG_TX_BUF)
		vg_tx_flush(w, pi);
}

/* Set up w for gw: creates the engine and its streams.  0, or -1 with err. */
int vg_worker_init(struct vg_worker *w, struct vg_gw *gw,
		   const volatile bool *quit, char *err, size_t errlen);

/* lcore entry point (arg: struct vg_worker *); returns when *quit is set,
 * after flushing its tx buffers. */
int vg_worker_main(void *arg);

/* Free what vg_worker_init created. */
void vg_worker_fini(struct vg_worker *w);

#endif
