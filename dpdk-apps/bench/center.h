/* SPDX-License-Identifier: BSD-3-Clause */
/* vigie-bench --center: the center role's data path under load.  SRTP
 * from a PoP gateway arrives on the backbone port, is unprotected by the
 * real worker loop and leaves as plain RTP toward the VMS.
 *
 *   before: every packet built and protected (by a cryptodev engine of
 *           the bench's own, the PoP's side) into a pool of its own
 *   lcore 0: feeds them --rte_ring--> [backbone port: net_ring]
 *   lcore 1: vg_worker_main --> [access port: net_null, frees them]
 *
 * A packet can be sent once (twice, it is a replay), so a run lasts as
 * long as the packets built: --packets, 400,000 by default (~0.2 s at
 * 2 Mpps, 0.6 GB of hugepages at 1,200 B).  Packets go round the streams
 * in a random order, one per stream per round; the first quarter (every
 * stream's first packet among them) warms up, the rest is measured. */
#ifndef VG_BENCH_CENTER_H
#define VG_BENCH_CENTER_H

#include <stdbool.h>
#include <rte_ring.h>
#include "vigie/suite.h"

struct vg_bench_center {
	const char *engine;		/* the gateway's: cryptodev or libsrtp */
	enum vg_suite suite;
	unsigned size;			/* bytes: RTP header + payload */
	unsigned streams;		/* unprotect routes */
	unsigned packets;		/* built, sent once each */
	unsigned mbufs;			/* the gateway's pool */
	bool key_per_stream;		/* else one key for every route */
};

/* Run on the main lcore with `in` as the backbone port's rx ring (device
 * net_ring_vgb_acc); prints one RESULT line.  0, or -1 with a message on
 * stderr. */
int vg_bench_center_run(const struct vg_bench_center *c, struct rte_ring *in);

#endif
