/* SPDX-License-Identifier: BSD-3-Clause */
/* vigie-camgen's command line (after EAL's `--`). */
#ifndef VG_CAMGEN_ARGS_H
#define VG_CAMGEN_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "video.h"

struct camgen_args {
	const char *config;		/* cameras from a Vigie config */
	unsigned synthetic;		/* or N made-up cameras */
	uint32_t gw_addr, src_base;	/* synthetic: network order */
	uint16_t rtp_port;		/* synthetic: gateway UDP port */
	unsigned cameras;		/* use the first N (0 = all) */
	const char *port;		/* DPDK device, or ... */
	const char *pcap;		/* ... a pcap file */
	bool have_gw_mac;
	uint8_t gw_mac[6];
	int vlan;			/* -1: the access port's, from config */
	unsigned size;			/* largest IPv4 packet, bytes */
	struct vg_video_params video;
	unsigned rtcp_interval;		/* seconds of media between SRs */
	bool flat;			/* flat-out instead of paced */
	double duration;		/* seconds, 0 = unbounded */
	uint64_t packets;		/* RTP packets in all, 0 = unbounded */
	uint64_t per_stream;		/* RTP packets per camera, 0 = unbounded */
	unsigned seed;
	uint8_t pt;
	const char *json;
	bool quiet;
};

/* Parse; on error print a message naming the option and return false. */
bool camgen_args_parse(int argc, char **argv, struct camgen_args *a);

void camgen_args_usage(FILE *out, const char *prog);

#endif
