/* SPDX-License-Identifier: BSD-3-Clause */
/* The streams of one center: every camera the configuration routes to it,
 * each with its own libsrtp session, found by UDP destination port (and
 * by SSRC when several cameras share a port). */
#include <stdlib.h>
#include <string.h>
#include "sink.h"

static const struct vg_cfg_center *
find_center(const struct vg_cfg *cfg, const char *name)
{
	for (unsigned i = 0; i < cfg->n_centers; i++)
		if (strcmp(cfg->centers[i].name, name) == 0)
			return &cfg->centers[i];
	return NULL;
}

static void
no_such_center(const struct vg_sink *s)
{
	fprintf(stderr, "vigie-sink: --center '%s': no such center in %s; "
		"centers:", s->a.center, s->a.config);
	for (unsigned i = 0; i < s->cfg.n_centers; i++)
		fprintf(stderr, "%s %s", i ? "," : "", s->cfg.centers[i].name);
	fprintf(stderr, "%s\n", s->cfg.n_centers ? "" : " none");
}

/* Append stream id to the chain of streams on port. */
static void
chain(struct vg_sink *s, uint32_t *by_port, uint16_t port, uint32_t id,
      bool rtcp)
{
	uint32_t *link = &by_port[port];

	while (*link != VG_SINK_NONE)
		link = rtcp ? &s->streams[*link].next_rtcp :
			      &s->streams[*link].next_rtp;
	*link = id;
}

/* rank: the camera's number as vigie-camgen counts them (cameras, not the
 * fan-out entries of one camera: cfg.h), written in its probes. */
static int
add_stream(struct vg_sink *s, unsigned cam, unsigned rank)
{
	struct vg_sink_stream *st = &s->streams[s->n];
	char err[256];

	st->cam = &s->cfg.cameras[cam];
	st->camera = rank;
	st->next_rtp = st->next_rtcp = VG_SINK_NONE;
	vg_track_init(&st->track);
	st->dec = vg_decrypt_create(st->cam->suite, &st->cam->key,
				    st->cam->ssrc, err, sizeof(err));
	if (st->dec == NULL) {
		fprintf(stderr, "vigie-sink: camera '%s': %s\n", st->cam->name,
			err);
		return -1;
	}
	chain(s, s->rtp_by_port, st->cam->dst_port, s->n, false);
	chain(s, s->rtcp_by_port, st->cam->dst_rtcp_port, s->n, true);
	s->n++;
	return 0;
}

static int
alloc_tables(struct vg_sink *s)
{
	s->streams = calloc(s->cfg.n_cameras, sizeof(*s->streams));
	s->rtp_by_port = malloc(65536 * sizeof(uint32_t));
	s->rtcp_by_port = malloc(65536 * sizeof(uint32_t));
	if (s->streams == NULL || s->rtp_by_port == NULL ||
	    s->rtcp_by_port == NULL) {
		fprintf(stderr, "vigie-sink: out of memory for %u streams\n",
			s->cfg.n_cameras);
		return -1;
	}
	memset(s->rtp_by_port, 0xff, 65536 * sizeof(uint32_t));
	memset(s->rtcp_by_port, 0xff, 65536 * sizeof(uint32_t));
	return 0;
}

int
vg_sink_streams_setup(struct vg_sink *s)
{
	unsigned ci;
	char err[256];

	s->center = find_center(&s->cfg, s->a.center);
	if (s->center == NULL) {
		no_such_center(s);
		return -1;
	}
	ci = (unsigned)(s->center - s->cfg.centers);
	if (alloc_tables(s) < 0)
		return -1;
	if (vg_decrypt_init(err, sizeof(err)) < 0) {
		fprintf(stderr, "vigie-sink: %s\n", err);
		return -1;
	}
	s->srtp_ready = true;
	for (unsigned i = 0, rank = 0; i < s->cfg.n_cameras; i++) {
		const struct vg_cfg_camera *c = &s->cfg.cameras[i];

		if (c->primary == i && i != 0)
			rank++;
		if (c->center == ci && add_stream(s, i, rank) < 0)
			return -1;
	}
	if (s->n == 0) {
		fprintf(stderr, "vigie-sink: --center '%s': no camera of %s is "
			"routed to it: nothing to verify\n", s->a.center,
			s->a.config);
		return -1;
	}
	return 0;
}

void
vg_sink_streams_free(struct vg_sink *s)
{
	for (unsigned i = 0; i < s->n; i++)
		vg_decrypt_destroy(s->streams[i].dec);
	if (s->srtp_ready)
		vg_decrypt_fini();
	s->srtp_ready = false;
	free(s->streams);
	free(s->rtp_by_port);
	free(s->rtcp_by_port);
	s->streams = NULL;
	s->rtp_by_port = s->rtcp_by_port = NULL;
	s->n = 0;
}
