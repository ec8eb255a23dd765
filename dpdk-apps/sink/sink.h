/* SPDX-License-Identifier: BSD-3-Clause */
/* vigie-sink's state: the center it stands for, one stream per camera
 * routed there, the port it listens on and what arrived that belongs to
 * no stream.  One context, passed explicitly; the only global is the quit
 * flag in sink.c. */
#ifndef VG_SINK_H
#define VG_SINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <rte_mempool.h>
#include "decrypt.h"
#include "host.h"
#include "track.h"
#include "vigie/cfg.h"
#include "vigie/drop.h"

#define VG_SINK_BURST 32
#define VG_SINK_NONE UINT32_MAX		/* no stream */
#define VG_SINK_REASONS_MAX 64		/* failure reasons kept for the report */

struct vg_sink_args {
	const char *config;
	const char *center;
	const char *port;		/* DPDK device string */
	const char *json;		/* NULL: no JSON report */
	double duration;		/* seconds, 0 = until a signal */
	double idle;			/* seconds without RTP, 0 = never */
	double max_loss;		/* percent per stream */
	bool allow_silent;
	bool quiet;
};

struct vg_sink_stream {
	const struct vg_cfg_camera *cam;
	unsigned camera;		/* index in cfg.cameras: the probe's id */
	struct vg_decrypt *dec;
	uint32_t next_rtp, next_rtcp;	/* next stream on the same UDP port */
	struct vg_track track;
};

enum vg_sink_stop { VG_SINK_STOP_SIGNAL, VG_SINK_STOP_DURATION,
		    VG_SINK_STOP_IDLE };

struct vg_sink_verdict {
	unsigned n_reasons;		/* all of them; the first ... */
	char reason[VG_SINK_REASONS_MAX][160];	/* ... MAX are kept */
};

struct vg_sink {
	struct vg_sink_args a;
	struct vg_cfg cfg;
	bool cfg_loaded;
	const struct vg_cfg_center *center;
	struct vg_sink_stream *streams;
	unsigned n;
	uint32_t *rtp_by_port;		/* 65,536: first stream per UDP port */
	uint32_t *rtcp_by_port;
	bool srtp_ready;		/* libsrtp initialised */
	FILE *json;			/* opened before the run: fail early */
	struct rte_mempool *mp;
	struct vg_host host;
	bool host_open;
	/* frames that are no stream's, by reason (never dropped silently) */
	uint64_t other[VG_DROP_COUNT];
	uint64_t segmented;		/* multi-segment frames: not looked at */
	uint64_t rtp_seen;		/* RTP frames to the center: for --idle */
	/* the run */
	uint64_t t_start, t_end;	/* CLOCK_REALTIME ns */
	enum vg_sink_stop stop;
	unsigned mp_avail, mp_size;	/* at exit, once the port is closed */
};

/* args.c: the command line after EAL's `--`.  false after printing a
 * message that names the option. */
bool vg_sink_args_parse(int argc, char **argv, struct vg_sink_args *a);
void vg_sink_args_usage(FILE *out, const char *prog);

/* streams.c: the center's cameras, their sessions and port tables.
 * 0, or -1 after printing why (an unknown center lists the valid ones). */
int vg_sink_streams_setup(struct vg_sink *s);
void vg_sink_streams_free(struct vg_sink *s);

/* rx.c: receive and account for one burst; returns the frames received. */
unsigned vg_sink_rx_burst(struct vg_sink *s);
uint64_t vg_sink_other_total(const struct vg_sink *s);

/* report.c: the verdict (pass when v->n_reasons is 0) and the table. */
void vg_sink_verdict(const struct vg_sink *s, struct vg_sink_verdict *v);
void vg_sink_report(const struct vg_sink *s, const struct vg_sink_verdict *v,
		    FILE *out);
const char *vg_sink_stop_name(enum vg_sink_stop why);

/* json.c: the same report as JSON on f.  0, or negative errno when
 * writing failed. */
int vg_sink_report_json(const struct vg_sink *s,
			const struct vg_sink_verdict *v, FILE *f);

#endif
