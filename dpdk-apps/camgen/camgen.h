/* SPDX-License-Identifier: BSD-3-Clause */
/* vigie-camgen's state: the cameras it plays and where their packets go. */
#ifndef VG_CAMGEN_H
#define VG_CAMGEN_H

#include <stdio.h>
#include <rte_mbuf.h>
#include "args.h"
#include "host.h"
#include "video.h"
#include "wire.h"

#define CAMGEN_BURST 32

struct camgen_cam {
	struct vg_video_cam v;
	struct vg_wire_flow rtp, rtcp;
	char name[64];
	uint32_t src_addr;		/* network order */
	uint16_t src_port, src_rtcp_port, dst_port, dst_rtcp_port;
	uint16_t first_seq;
	uint64_t frames, rtcp_sent;
	bool done;			/* --per-stream reached */
};

struct camgen {
	struct camgen_args a;
	struct camgen_cam *cams;
	unsigned n;
	uint16_t vlan;
	uint8_t prefix;			/* the cameras' subnet, for the port */
	uint32_t gw_addr;		/* where the cameras send, network order */
	uint8_t gw_mac[6];
	/* output: a DPDK port, or a pcap file */
	struct rte_mempool *mp;
	struct vg_host host;
	bool host_open;
	FILE *pcap;
	struct rte_mbuf *burst[CAMGEN_BURST];
	unsigned nb;
	/* what was sent */
	uint64_t rtp_pkts, rtcp_pkts, wire_bytes, frames;
	uint64_t tx_retries, tx_lost, rx_other, no_mbuf;
	uint64_t t_start, t_end;	/* CLOCK_REALTIME ns */
};

/* camgen_cams.c: the cameras, from a Vigie config or made up. */
int camgen_cams_setup(struct camgen *g);
void camgen_cams_flows(struct camgen *g, const uint8_t src_mac[6]);

/* camgen_report.c: what was sent, as text and JSON. */
void camgen_report(const struct camgen *g, FILE *out);
int camgen_report_json(const struct camgen *g, const char *path);

#endif
