/* SPDX-License-Identifier: BSD-3-Clause */
/* The tables the data plane reads: each stream's state and the gateway
 * context (ports, flows, streams, neighbours, engine) that gw.c builds
 * from the config at start-up.  No globals: main() owns one struct vg_gw
 * and passes it down. */
#ifndef VG_CONTEXT_H
#define VG_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include "cfg.h"
#include "neigh.h"
#include "policer.h"
#include "port.h"
#include "stream.h"

enum vg_dir {
	VG_DIR_PROTECT,		/* camera RTP in clear -> SRTP to a center */
	VG_DIR_UNPROTECT,	/* SRTP from a PoP gateway -> RTP to the VMS */
};

#define VG_STREAM_NONE UINT32_MAX

/* Data path state of one stream; written only by its worker.  Ids (flow.h):
 * the camera entries (protect), the `unprotect` routes, then the feedback
 * stream of each (RTCP flowing back toward the camera or the PoP). */
struct vg_stream {
	/* Read or written for every packet: the first two cache lines,
	 * both prefetched for a burst at once (forward.c). */
	union {				/* line 0, by direction */
		struct vg_stream_seq seq;	/* protect */
		struct {		/* unprotect: the highest SRTP and */
			uint64_t rx_rtp;	/* SRTCP index authenticated */
			uint32_t rx_rtcp;	/* + 1, 0 for none (worker;
						 * reserve.c saves them) */
		};
	};
	/* Durable reservation (reserve.c, invariant 3): written by the main
	 * lcore once it is on disk, read by the worker. */
	uint64_t rtp_limit;		/* SRTP indexes below it may be used */
	uint32_t ssrc;			/* line 1; protected SSRC, host order */
	uint32_t dst_addr;		/* center or VMS, network order */
	uint16_t dst_port;		/* its RTP port, host order */
	uint16_t src_port;		/* gateway UDP source port for RTP */
	uint16_t neigh;			/* index in the neighbour table */
	uint8_t tx_port;		/* index in gw->ports */
	uint8_t dir : 1;		/* enum vg_dir */
	uint8_t rx_role : 1;		/* enum vg_port_role it arrives on */
	uint8_t learn : 1;		/* note where its RTCP comes from */
	uint8_t fan : 5;		/* camera's first stream: its streams */
	uint32_t ret;			/* feedback: the stream whose learned
					 * return it goes to, or NONE */
	uint32_t media;			/* feedback to a camera: the stream
					 * whose SSRC names the camera's */
	uint64_t rtp;			/* packets (un)protected and sent */
	uint64_t bytes;			/* bytes (SRTP/SRTCP, or RTP/RTCP) sent */
	uint64_t last_seen;		/* tsc of the last packet from the camera */
	struct vg_policer pol;		/* a camera's max_pps / max_burst, else
					 * the gateway's (bounds what a flood,
					 * forged or not, costs per stream) */
	/* RTCP, drops, receivers: cold. */
	uint16_t dst_rtcp_port;
	uint16_t src_rtcp_port;
	uint32_t rtcp_limit;		/* SRTCP indexes below it may be used */
	uint32_t rtcp_next;		/* protect: next SRTCP index (worker) */
	uint64_t rtcp_asked;		/* worker: rtcp_limit it asked above */
	uint64_t asked;			/* worker: rtp_limit it asked above */
	uint64_t rtcp;
	uint64_t replay;		/* duplicates / stale packets dropped */
	uint64_t policed;		/* over max_pps */
	uint64_t unreserved;		/* no durable reservation (yet) */
	uint64_t auth_fail;		/* unprotect: authentication failed */
	uint64_t drops;			/* other drops of this stream */
	uint64_t announced;		/* ROC announcements sent / received */
	uint32_t resumed;		/* receiver moved by an announcement */
	uint16_t ret_port;		/* learned: its RTCP source UDP port */
	uint8_t ret_port_idx;		/* learned: port index it came in on */
	uint8_t ret_known;
	struct rte_ether_addr ret_mac;	/* learned: its RTCP source MAC */
} __rte_cache_aligned;

_Static_assert(offsetof(struct vg_stream, ssrc) == RTE_CACHE_LINE_SIZE &&
	       offsetof(struct vg_stream, dst_rtcp_port) ==
	       2 * RTE_CACHE_LINE_SIZE,
	       "a stream's per-packet fields are its first two lines");

struct vg_worker;
struct vg_flow_table;		/* flow.h */
struct vg_engine_ops;		/* engine.h */

struct vg_gw {
	struct vg_cfg cfg;
	struct rte_mempool *mp;
	const char *pool_ops;		/* its mempool driver (make_pool) */
	struct vg_port ports[VG_MAX_PORTS];
	unsigned n_ports;
	struct vg_flow_table *flows;
	struct vg_stream *streams;	/* cameras, then unprotect routes */
	unsigned n_streams;
	struct vg_neigh_table neigh;
	const struct vg_engine_ops *engine_ops;
	struct vg_worker *worker;	/* worker.h */
	struct vg_reserve *reserve;	/* reserve.h; main lcore only */
	uint64_t start_tsc;
};

#endif
