/* SPDX-License-Identifier: BSD-3-Clause */
/* Invariant 2: no two streams under one master key share an SSRC.  SRTP
 * derives a stream's keystream from the master key, the SSRC and the
 * packet index, so two streams with one (key, SSRC) encrypt with one
 * keystream.  The streams are every camera entry (each fan-out
 * destination), every `unprotect` route, and the RTCP feedback each of them
 * carries back under its key with vg_cfg_feedback_ssrc(ssrc).
 *
 * Keys are compared by their bytes, not by file name (two files may hold
 * one key) and not by suite: AES_CM_128_HMAC_SHA1_80 and _32 derive the
 * same keystream from the same 30 bytes.  Sorted, not pairwise: a region
 * holds up to 100k cameras and a regional center may take every one.  One
 * message per item, on the later item (cameras before routes), naming the
 * earlier one; items that already have an error are left out. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "check.h"
#include "ctx.h"
#include "diag.h"

struct ssrc_ref {
	const struct vg_master_key *key;
	uint32_t ssrc;
	unsigned item;		/* camera entry, or n_cameras + route */
	bool fb;		/* the item's feedback SSRC, not its own */
};

/* What item `item` clashes with, found in sort order, reported in item
 * order. */
struct ssrc_clash {
	unsigned other;		/* VG_CFG_NONE: no clash */
	bool fb;		/* its feedback SSRC is other's SSRC */
};

static int
cmp_ref(const void *a, const void *b)
{
	const struct ssrc_ref *x = a, *y = b;
	int r;

	if (x->key->len != y->key->len)
		return x->key->len < y->key->len ? -1 : 1;
	r = memcmp(x->key->bytes, y->key->bytes, x->key->len);
	if (r != 0)
		return r;
	if (x->ssrc != y->ssrc)
		return x->ssrc < y->ssrc ? -1 : 1;
	if (x->item != y->item)
		return x->item < y->item ? -1 : 1;
	return (int)x->fb - (int)y->fb;
}

static bool
same_key_ssrc(const struct ssrc_ref *x, const struct ssrc_ref *y)
{
	return x->ssrc == y->ssrc && x->key->len == y->key->len &&
	       memcmp(x->key->bytes, y->key->bytes, x->key->len) == 0;
}

static void
add_item(struct ssrc_ref *r, unsigned *n, const struct vg_master_key *key,
	 uint32_t ssrc, unsigned item)
{
	r[(*n)++] = (struct ssrc_ref){ key, ssrc, item, false };
	r[(*n)++] = (struct ssrc_ref){ key, vg_cfg_feedback_ssrc(ssrc), item,
				       true };
}

static unsigned
collect(const struct vg_cfg_ctx *c, struct ssrc_ref *r)
{
	const struct vg_cfg *cfg = c->cfg;
	unsigned i, n = 0;

	for (i = 0; i < cfg->n_cameras; i++) {
		const struct vg_cfg_src *src = &c->cam_src[i];

		if (src->ok && (src->key == VG_KEY_OWN ||
				src->key == VG_KEY_CENTER))
			add_item(r, &n, &cfg->cameras[i].key,
				 cfg->cameras[i].ssrc, i);
	}
	for (i = 0; i < cfg->n_routes; i++)
		if (c->route_src[i].ok)
			add_item(r, &n, &cfg->routes[i].key,
				 cfg->routes[i].ssrc, cfg->n_cameras + i);
	return n;
}

/* One run of equal (key, SSRC), sorted by item.  The first stream in it
 * (the lowest item) is the one every later stream and every later item's
 * feedback clash with.  An item has one SSRC and one feedback SSRC, so at
 * most one of each kind of clash; a stream clash wins over a feedback one
 * (the feedback is then the same mistake seen from the other side). */
static void
run_clashes(const struct ssrc_ref *r, unsigned n, struct ssrc_clash *clash)
{
	const struct ssrc_ref *lead = NULL;
	unsigned i;

	for (i = 0; i < n && lead == NULL; i++)
		if (!r[i].fb)
			lead = &r[i];
	if (lead == NULL)
		return;		/* feedback only: equal SSRCs, seen there */
	for (i = 0; i < n; i++) {
		struct ssrc_clash *k = &clash[r[i].item];

		if (r[i].item <= lead->item)
			continue;
		if (!r[i].fb)
			*k = (struct ssrc_clash){ lead->item, false };
		else if (k->other == VG_CFG_NONE)
			*k = (struct ssrc_clash){ lead->item, true };
	}
}

static void
item_of(const struct vg_cfg_ctx *c, unsigned item, bool label,
	const char **kind, const char **name, const config_setting_t **set)
{
	const struct vg_cfg *cfg = c->cfg;

	if (item < cfg->n_cameras) {
		*kind = "camera";
		*name = label ? cfg->cameras[item].label :
				cfg->cameras[item].name;
		*set = c->cam_src[item].set;
	} else {
		*kind = "route";
		*name = cfg->routes[item - cfg->n_cameras].name;
		*set = c->route_src[item - cfg->n_cameras].set;
	}
}

static uint32_t
ssrc_of(const struct vg_cfg *cfg, unsigned item)
{
	return item < cfg->n_cameras ? cfg->cameras[item].ssrc :
				       cfg->routes[item - cfg->n_cameras].ssrc;
}

/* The item's ssrc setting.  The entry of a fan-out camera's first
 * destination keeps the camera's group (for its flows): its ssrc is in
 * the first group of `destinations`. */
static const config_setting_t *
ssrc_set(const config_setting_t *g)
{
	const config_setting_t *m = config_setting_get_member(g, "ssrc");
	const config_setting_t *d;

	d = config_setting_get_member(g, "destinations");
	if (m == NULL && d != NULL && config_setting_length(d) > 0)
		m = config_setting_get_member(config_setting_get_elem(d, 0),
					      "ssrc");
	return m != NULL ? m : g;
}

static void
report(struct vg_cfg_ctx *c, unsigned item, const struct ssrc_clash *k)
{
	const char *kind, *name, *okind, *oname;
	const config_setting_t *set, *oset, *s;
	char where[PATH_MAX + 16];
	uint32_t ssrc = ssrc_of(c->cfg, item);

	item_of(c, item, k->fb, &kind, &name, &set);
	item_of(c, k->other, k->fb, &okind, &oname, &oset);
	s = ssrc_set(set);
	vg_cfg_where(c, s, ssrc_set(oset), where, sizeof(where));
	if (!k->fb)
		vg_cfg_error(c, s, "%s '%s' uses SSRC 0x%08X under the same "
			     "master key as %s '%s' (%s); give it another "
			     "ssrc", kind, name, ssrc, okind, oname, where);
	else
		vg_cfg_error(c, s, "%s '%s': its RTCP feedback SSRC 0x%08X "
			     "(its ssrc with the top bit flipped) is the SSRC "
			     "of %s '%s' (%s) under the same master key; give "
			     "one of them another ssrc", kind, name,
			     vg_cfg_feedback_ssrc(ssrc), okind, oname, where);
}

void
vg_cfg_check_ssrcs(struct vg_cfg_ctx *c)
{
	size_t items = (size_t)c->cfg->n_cameras + c->cfg->n_routes;
	struct ssrc_ref *r = calloc(items ? 2 * items : 1, sizeof(*r));
	struct ssrc_clash *clash = calloc(items ? items : 1, sizeof(*clash));
	unsigned i, j, n;

	if (r == NULL || clash == NULL) {
		vg_cfg_error(c, NULL, "out of memory checking SSRCs");
		goto out;
	}
	for (i = 0; i < items; i++)
		clash[i].other = VG_CFG_NONE;
	n = collect(c, r);
	qsort(r, n, sizeof(*r), cmp_ref);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && same_key_ssrc(&r[i], &r[j]); j++)
			;
		run_clashes(&r[i], j - i, clash);
	}
	for (i = 0; i < items; i++)
		if (clash[i].other != VG_CFG_NONE)
			report(c, i, &clash[i]);
out:
	free(clash);
	free(r);
}
