/* SPDX-License-Identifier: BSD-3-Clause */
/* Fan-out: a camera with `destinations = ( ... )` becomes one camera entry
 * per destination, consecutive, so that everything downstream (streams,
 * SSRC checks, the sink, SDP) sees one entry per protected stream.  The
 * first entry is the primary: it holds the flows and the entry count; the
 * others share its name and source and differ in center, ports, SSRC,
 * suite and key. */
#include <stdio.h>
#include <stdlib.h>

#include "cfg.h"
#include "ctx.h"
#include "diag.h"
#include "fanout.h"
#include "sdes.h"

/* Copy the destination fields of d onto entry e (a copy of its camera). */
static void
overlay(struct vg_cfg_camera *e, const struct vg_cfg_camera *d)
{
	e->center = d->center;
	e->dst_port = d->dst_port;
	e->dst_rtcp_port = d->dst_rtcp_port;
	e->ssrc = d->ssrc;
	e->suite = d->suite;
	e->key = d->key;
}

static void
label(const struct vg_cfg *cfg, struct vg_cfg_camera *e, bool fan)
{
	if (fan && e->center < cfg->n_centers)
		snprintf(e->label, sizeof(e->label), "%s@%s", e->name,
			 cfg->centers[e->center].name);
	else
		snprintf(e->label, sizeof(e->label), "%s", e->name);
}

/* Number of entries the cameras become: one each, plus one per
 * destination after a camera's first.  ctx->fan is in camera order. */
static unsigned
entries(const struct vg_cfg_ctx *c)
{
	unsigned n = c->cfg->n_cameras;

	for (unsigned j = 1; j < c->n_fan; j++)
		n += c->fan[j].cam == c->fan[j - 1].cam;
	return n;
}

static void
fill(struct vg_cfg_ctx *c, struct vg_cfg_camera *out, struct vg_cfg_src *src,
     unsigned *k, unsigned i, unsigned *f)
{
	const struct vg_cfg_camera *cam = &c->cfg->cameras[i];
	unsigned first = *k, n = 0;

	for (; *f < c->n_fan && c->fan[*f].cam == i; (*f)++, n++) {
		out[*k] = *cam;
		overlay(&out[*k], &c->fan[*f].dest);
		out[*k].primary = first;
		label(c->cfg, &out[*k], true);
		/* Errors about a destination point at its group; the
		 * primary keeps the camera's group for its flows. */
		src[*k] = c->fan[*f].src;
		if (n == 0)
			src[*k].set = c->cam_src[i].set;
		src[*k].ok = c->cam_src[i].ok && c->fan[*f].src.ok;
		(*k)++;
	}
	if (n == 0) {
		out[*k] = *cam;
		out[*k].primary = first;
		label(c->cfg, &out[*k], false);
		src[*k] = c->cam_src[i];
		(*k)++;
		n = 1;
	}
	out[first].n_fan = n;
}

void
vg_cfg_expand_fanout(struct vg_cfg_ctx *c)
{
	struct vg_cfg *cfg = c->cfg;
	struct vg_cfg_camera *out;
	struct vg_cfg_src *src;
	unsigned i, k = 0, f = 0, total = entries(c);

	out = calloc(total ? total : 1, sizeof(*out));
	src = calloc(total ? total : 1, sizeof(*src));
	if (out == NULL || src == NULL) {
		free(out);
		free(src);
		vg_cfg_error(c, NULL, "out of memory for %u camera streams",
			     total);
		return;
	}
	for (i = 0; i < cfg->n_cameras; i++)
		fill(c, out, src, &k, i, &f);
	for (i = 0; i < cfg->n_cameras; i++)
		vg_key_wipe(&cfg->cameras[i].key);
	for (i = 0; i < c->n_fan; i++)
		vg_key_wipe(&c->fan[i].dest.key);
	free(cfg->cameras);
	free(c->cam_src);
	cfg->cameras = out;
	cfg->n_cameras = total;
	c->cam_src = src;
}
