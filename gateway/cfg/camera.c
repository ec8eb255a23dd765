/* SPDX-License-Identifier: BSD-3-Clause */
/* The `cameras = ( { ... } )` section of the PoP role: one typed parser per
 * key, the defaults (from the `gateway` group, parsed before any camera),
 * and the resolution of each camera's destinations (center, ports, suite,
 * key).  A camera's `destinations` are collected in ctx->fan here and
 * expanded into one camera entry each by fanout.c; cross-camera rules are
 * in check.c and ssrc.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "ctx.h"
#include "diag.h"
#include "fanout.h"
#include "sections.h"
#include "value.h"
#include "walk.h"

static bool
cam_name(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_camera *cam = o;

	return vg_cfg_want_name(c, s, VG_CFG_ITEM_NAME_MAX, cam->name);
}

static bool
cam_source(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_ipv4(c, s, &((struct vg_cfg_camera *)o)->src_addr);
}

static bool
cam_source_port(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_u16(c, s, 0, &((struct vg_cfg_camera *)o)->src_port);
}

static bool
cam_port(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_u16(c, s, 1, &((struct vg_cfg_camera *)o)->rtp_port);
}

static bool
cam_rtcp_port(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_camera *cam = o;

	return vg_cfg_want_u16(c, s, 1, &cam->rtcp_port);
}

static bool
cam_center(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_camera *cam = o;
	const struct vg_cfg *cfg = c->cfg;
	const char *v;
	unsigned i;

	if (!vg_cfg_want_string(c, s, &v))
		return false;
	for (i = 0; i < cfg->n_centers; i++) {
		if (strcmp(cfg->centers[i].name, v) == 0) {
			cam->center = i;
			return true;
		}
	}
	vg_cfg_error(c, s, "center: no center is named '%.64s'; add it to "
		     "centers or fix the name", v);
	return false;
}

static bool
cam_dest_port(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_u16(c, s, 1, &((struct vg_cfg_camera *)o)->dst_port);
}

static bool
cam_dest_rtcp_port(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_camera *cam = o;

	return vg_cfg_want_u16(c, s, 1, &cam->dst_rtcp_port);
}

static bool
cam_ssrc(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_ssrc(c, s, &((struct vg_cfg_camera *)o)->ssrc);
}

static bool
cam_suite(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	c->cur_src->suite_set = s;
	return vg_cfg_want_suite(c, s, &((struct vg_cfg_camera *)o)->suite);
}

static bool
cam_key(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_key(c, s, &((struct vg_cfg_camera *)o)->key,
			c->cur_src);
}

/* A destination of a camera with fan-out: the keys a camera gives its one
 * destination, in their own group. */
static const struct vg_cfg_key dest_keys[] = {
	{ "center", true, cam_center },
	{ "dest_port", true, cam_dest_port },
	{ "dest_rtcp_port", false, cam_dest_rtcp_port },
	{ "ssrc", true, cam_ssrc },
	{ "suite", false, cam_suite },
	{ "key_file", false, cam_key },
	{ NULL, false, NULL },
};

static struct vg_cfg_fan *
fan_add(struct vg_cfg_ctx *c)
{
	if (c->n_fan == c->cap_fan) {
		unsigned cap = c->cap_fan ? 2 * c->cap_fan : 16;
		struct vg_cfg_fan *f = realloc(c->fan, cap * sizeof(*f));

		if (f == NULL)
			return NULL;
		c->fan = f;
		c->cap_fan = cap;
	}
	memset(&c->fan[c->n_fan], 0, sizeof(*c->fan));
	return &c->fan[c->n_fan++];
}

static bool
cam_destinations(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_camera *cam = o;
	struct vg_cfg_src *saved = c->cur_src;
	unsigned n = (unsigned)config_setting_length(s), before = c->errors;

	if (!config_setting_is_list(s) || n < 1 || n > VG_MAX_DESTS) {
		vg_cfg_error(c, s, "destinations: expected a list of 1 to %d "
			     "groups ( { center = ...; dest_port = ...; ssrc "
			     "= ...; }, ... )", VG_MAX_DESTS);
		return false;
	}
	if (config_setting_get_member(config_setting_parent(s), "center")) {
		vg_cfg_error(c, s, "camera '%s': give either center, dest_port "
			     "and ssrc, or destinations, not both", cam->name);
		return false;
	}
	for (unsigned j = 0; j < n; j++) {
		struct vg_cfg_fan *f = fan_add(c);
		const config_setting_t *g = config_setting_get_elem(s, j);
		unsigned e = c->errors;

		if (f == NULL) {
			vg_cfg_error(c, s, "out of memory");
			break;
		}
		f->cam = c->cur;
		f->dest.center = VG_CFG_NONE;
		f->dest.suite = VG_SUITE_COUNT;
		f->src.set = g;
		c->cur_src = &f->src;
		vg_cfg_walk(c, g, "destination", j, dest_keys, &f->dest);
		f->src.ok = c->errors == e;
	}
	c->cur_src = saved;
	return c->errors == before;
}

static bool
cam_payload_type(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	unsigned v;

	if (!vg_cfg_want_uint(c, s, 0, 127, &v))
		return false;
	((struct vg_cfg_camera *)o)->payload_type = (uint8_t)v;
	return true;
}

static bool
cam_codec(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_camera *cam = o;
	const char *v;

	if (!vg_cfg_want_string(c, s, &v))
		return false;
	if (strcmp(v, "H264") != 0 && strcmp(v, "H265") != 0) {
		vg_cfg_error(c, s, "codec: '%.32s' is not supported (use "
			     "\"H264\" or \"H265\")", v);
		return false;
	}
	snprintf(cam->codec, sizeof(cam->codec), "%s", v);
	return true;
}

/* The policer of the camera's stream (each destination's copy). */
static bool
cam_max_pps(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_camera *cam = o;
	unsigned v;

	if (!vg_cfg_want_uint(c, s, 1, VG_CFG_MAX_PPS, &v))
		return false;
	cam->max_pps = v;
	return true;
}

static bool
cam_max_burst(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_camera *cam = o;
	unsigned v;

	if (!vg_cfg_want_uint(c, s, 1, VG_CFG_MAX_BURST, &v))
		return false;
	cam->max_burst = v;
	return true;
}

static const struct vg_cfg_key camera_keys[] = {
	{ "name", true, cam_name },
	{ "source", true, cam_source },
	{ "source_port", false, cam_source_port },
	{ "port", true, cam_port },
	{ "rtcp_port", false, cam_rtcp_port },
	{ "center", false, cam_center },	/* one destination, or ... */
	{ "dest_port", false, cam_dest_port },
	{ "dest_rtcp_port", false, cam_dest_rtcp_port },
	{ "ssrc", false, cam_ssrc },
	{ "suite", false, cam_suite },
	{ "key_file", false, cam_key },
	{ "destinations", false, cam_destinations },	/* ... several */
	{ "payload_type", false, cam_payload_type },
	{ "codec", false, cam_codec },
	{ "max_pps", false, cam_max_pps },
	{ "max_burst", false, cam_max_burst },
	{ NULL, false, NULL },
};

static void
camera_init(struct vg_cfg_ctx *c, void *o)
{
	struct vg_cfg_camera *cam = o;

	c->cur_src = &c->cam_src[c->cur];
	cam->center = VG_CFG_NONE;
	cam->suite = VG_SUITE_COUNT;
	cam->payload_type = 96;
	snprintf(cam->codec, sizeof(cam->codec), "H264");
	/* The gateway group is parsed before the cameras. */
	cam->max_pps = c->cfg->max_pps;
	cam->max_burst = c->cfg->max_burst;
}

/* RTCP ports default to the RTP port + 1 (RFC 3550 §11). */
static uint16_t
next_port(struct vg_cfg_ctx *c, const struct vg_cfg_camera *cam,
	  const char *key, const char *base_key, uint16_t base)
{
	if (base == 65535) {
		vg_cfg_error(c, c->cur_src->set, "camera '%s': %s "
			     "defaults to %s + 1, past 65535; set %s",
			     cam->name, key, base_key, key);
		return 0;
	}
	return (uint16_t)(base + 1);
}

/* The camera's key: its own key_file, else its center's. */
static void
cam_key_resolve(struct vg_cfg_ctx *c, struct vg_cfg_camera *cam,
		struct vg_cfg_src *src)
{
	const struct vg_cfg_center *ctr = &c->cfg->centers[cam->center];
	const struct vg_cfg_src *csrc = &c->center_src[cam->center];

	if (src->key == VG_KEY_OWN) {
		vg_cfg_key_fits(c, src->key_set, src->key_set, &cam->key,
				cam->suite);
		return;
	}
	if (csrc->key == VG_KEY_BAD) {
		src->key = VG_KEY_BAD;	/* reported at the center */
		return;
	}
	if (!ctr->has_key) {
		vg_cfg_error(c, src->set, "camera '%s' has no key: add "
			     "key_file to it or to center '%s'", cam->name,
			     ctr->name);
		return;
	}
	cam->key = ctr->key;
	src->key = VG_KEY_CENTER;
	src->key_set = csrc->key_set;
	/* Same key, own suite: the length must suit the camera's suite. */
	if (src->suite_set != NULL)
		vg_cfg_key_fits(c, src->suite_set, csrc->key_set, &cam->key,
				cam->suite);
}

/* A destination's defaults: SRTCP port, the center's suite and key. */
static void
dest_resolve(struct vg_cfg_ctx *c, struct vg_cfg_camera *d,
	     struct vg_cfg_src *src)
{
	c->cur_src = src;
	if (d->dst_rtcp_port == 0)
		d->dst_rtcp_port = next_port(c, d, "dest_rtcp_port",
					     "dest_port", d->dst_port);
	if (src->suite_set == NULL)
		d->suite = c->cfg->centers[d->center].suite;
	if (d->suite != VG_SUITE_COUNT)	/* else the center's is reported */
		cam_key_resolve(c, d, src);
}

/* Without `destinations`, the camera's own keys are its one destination. */
static bool
one_destination(struct vg_cfg_ctx *c, const struct vg_cfg_camera *cam,
		const config_setting_t *g)
{
	static const char *const need[] = { "center", "dest_port", "ssrc" };
	bool ok = true;

	for (unsigned i = 0; i < 3; i++)
		if (config_setting_get_member(g, need[i]) == NULL) {
			vg_cfg_error(c, g, "camera '%s': missing required key "
				     "'%s' (or give destinations = ( ... ))",
				     cam->name, need[i]);
			ok = false;
		}
	return ok;
}

static void
camera_done(struct vg_cfg_ctx *c, void *o)
{
	struct vg_cfg_camera *cam = o;
	struct vg_cfg_src *src = &c->cam_src[c->cur];

	if (cam->rtcp_port == 0)
		cam->rtcp_port = next_port(c, cam, "rtcp_port", "port",
					   cam->rtp_port);
	if (config_setting_get_member(src->set, "destinations") != NULL) {
		/* This camera's destinations are the last ones added: not a
		 * scan of every camera's (100k cameras). */
		unsigned j = c->n_fan;

		while (j > 0 && c->fan[j - 1].cam == c->cur)
			j--;
		for (; j < c->n_fan; j++) {
			struct vg_cfg_fan *f = &c->fan[j];
			unsigned e = c->errors;

			if (!f->src.ok)
				continue;
			snprintf(f->dest.name, sizeof(f->dest.name), "%s",
				 cam->name);
			dest_resolve(c, &f->dest, &f->src);
			f->src.ok = c->errors == e;
		}
		c->cur_src = src;
		return;
	}
	if (one_destination(c, cam, src->set))
		dest_resolve(c, cam, src);
	c->cur_src = src;
}

static const struct vg_cfg_list camera_list = { "cameras", "camera",
	camera_keys, sizeof(struct vg_cfg_camera), camera_init, camera_done };

void
vg_cfg_load_cameras(struct vg_cfg_ctx *c, const config_setting_t *root)
{
	c->cfg->cameras = vg_cfg_walk_list(c, root, &camera_list,
					   &c->cfg->n_cameras, &c->cam_src);
	vg_cfg_expand_fanout(c);
}
