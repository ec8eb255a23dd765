/* SPDX-License-Identifier: BSD-3-Clause */
/* The `neighbours = ( { ... } )` section: static ARP entries, for next
 * hops that do not answer ARP. */
#include <stdlib.h>

#include "cfg.h"
#include "ctx.h"
#include "sections.h"
#include "value.h"
#include "walk.h"

static bool
neigh_address(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_ipv4(c, s, &((struct vg_cfg_neigh *)o)->addr);
}

static bool
neigh_mac(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_mac(c, s, ((struct vg_cfg_neigh *)o)->mac);
}

static const struct vg_cfg_key neigh_keys[] = {
	{ "address", true, neigh_address },
	{ "mac", true, neigh_mac },
	{ NULL, false, NULL },
};

static const struct vg_cfg_list neigh_list = { "neighbours", "neighbour",
	neigh_keys, sizeof(struct vg_cfg_neigh), NULL, NULL };

void
vg_cfg_load_neighs(struct vg_cfg_ctx *c, const config_setting_t *root)
{
	struct vg_cfg_src *src = NULL;	/* no check needs them */

	c->cfg->neighs = vg_cfg_walk_list(c, root, &neigh_list,
					  &c->cfg->n_neighs, &src);
	free(src);
}
