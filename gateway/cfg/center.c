/* SPDX-License-Identifier: BSD-3-Clause */
/* The `centers = ( { ... } )` section: the supervision centers (SRTP
 * receivers), one typed parser per key, each center's defaults (the first
 * backbone port) and its key checked against its suite.  Unique names and
 * on-link next hops are check.c's. */
#include <string.h>

#include "cfg.h"
#include "ctx.h"
#include "diag.h"
#include "sections.h"
#include "value.h"
#include "walk.h"

static bool
center_name(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_center *ctr = o;

	return vg_cfg_want_name(c, s, VG_CFG_ITEM_NAME_MAX, ctr->name);
}

static bool
center_address(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_ipv4(c, s, &((struct vg_cfg_center *)o)->addr);
}

static bool
center_port(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_center *ctr = o;
	const struct vg_cfg *cfg = c->cfg;
	const char *v;
	unsigned i;

	if (!vg_cfg_want_string(c, s, &v))
		return false;
	for (i = 0; i < cfg->n_ports; i++)
		if (strcmp(cfg->ports[i].name, v) == 0)
			break;
	if (i == cfg->n_ports) {
		vg_cfg_error(c, s, "port: no port is named '%.64s'; name a "
			     "port with role \"backbone\"", v);
		return false;
	}
	if (cfg->ports[i].role != VG_ROLE_BACKBONE) {
		vg_cfg_error(c, s, "port: '%s' is an access port; centers are "
			     "reached through a \"backbone\" port", v);
		return false;
	}
	ctr->port = i;
	return true;
}

static bool
center_suite(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_suite(c, s, &((struct vg_cfg_center *)o)->suite);
}

static bool
center_key(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_center *ctr = o;

	ctr->has_key = vg_cfg_want_key(c, s, &ctr->key, &c->center_src[c->cur]);
	return ctr->has_key;
}

static const struct vg_cfg_key center_keys[] = {
	{ "name", true, center_name },
	{ "address", true, center_address },
	{ "port", false, center_port },
	{ "suite", true, center_suite },
	{ "key_file", false, center_key },
	{ NULL, false, NULL },
};

static void
center_init(struct vg_cfg_ctx *c, void *o)
{
	struct vg_cfg_center *ctr = o;
	unsigned i;

	ctr->suite = VG_SUITE_COUNT;
	ctr->port = VG_CFG_NONE;
	for (i = 0; i < c->cfg->n_ports; i++) {
		if (c->cfg->ports[i].role == VG_ROLE_BACKBONE) {
			ctr->port = i;	/* default: the first backbone port */
			break;
		}
	}
}

static void
center_done(struct vg_cfg_ctx *c, void *o)
{
	struct vg_cfg_center *ctr = o;
	const struct vg_cfg_src *src = &c->center_src[c->cur];

	if (ctr->has_key)
		vg_cfg_key_fits(c, src->key_set, src->key_set, &ctr->key,
				ctr->suite);
}

static const struct vg_cfg_list center_list = { "centers", "center",
	center_keys, sizeof(struct vg_cfg_center), center_init, center_done };

void
vg_cfg_load_centers(struct vg_cfg_ctx *c, const config_setting_t *root)
{
	c->cfg->centers = vg_cfg_walk_list(c, root, &center_list,
					   &c->cfg->n_centers, &c->center_src);
}
