/* SPDX-License-Identifier: BSD-3-Clause */
/* The `unprotect = ( { ... } )` routes of the center role: one typed parser
 * per key, the defaults, and the ports each route goes through.  A route
 * names where its SRTP comes from (a PoP gateway), the port it arrives on,
 * and the VMS that gets it in clear.  Checks across routes and cameras are
 * check.c's. */
#include <arpa/inet.h>

#include "cfg.h"
#include "ctx.h"
#include "diag.h"
#include "net.h"
#include "sections.h"
#include "value.h"
#include "walk.h"

static struct vg_cfg_route *
route(void *o)
{
	return o;
}

static bool
r_name(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_name(c, s, VG_CFG_ITEM_NAME_MAX,
				route(o)->name);
}

static bool
r_source(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_ipv4(c, s, &route(o)->peer);
}

static bool
r_source_port(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_u16(c, s, 0, &route(o)->peer_port);
}

static bool
r_port(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_u16(c, s, 1, &route(o)->port);
}

static bool
r_rtcp_port(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_u16(c, s, 1, &route(o)->rtcp_port);
}

static bool
r_ssrc(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_ssrc(c, s, &route(o)->ssrc);
}

static bool
r_suite(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	c->route_src[c->cur].suite_set = s;
	return vg_cfg_want_suite(c, s, &route(o)->suite);
}

static bool
r_key(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_key(c, s, &route(o)->key, &c->route_src[c->cur]);
}

static bool
r_vms(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_ipv4(c, s, &route(o)->vms);
}

static bool
r_vms_port(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_u16(c, s, 1, &route(o)->vms_port);
}

static bool
r_vms_rtcp_port(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_u16(c, s, 1, &route(o)->vms_rtcp_port);
}

static const struct vg_cfg_key route_keys[] = {
	{ "name", true, r_name },
	{ "source", true, r_source },
	{ "source_port", false, r_source_port },
	{ "port", true, r_port },
	{ "rtcp_port", false, r_rtcp_port },
	{ "ssrc", true, r_ssrc },
	{ "suite", true, r_suite },
	{ "key_file", true, r_key },
	{ "vms", true, r_vms },
	{ "vms_port", true, r_vms_port },
	{ "vms_rtcp_port", false, r_vms_rtcp_port },
	{ NULL, false, NULL },
};

static void
route_init(struct vg_cfg_ctx *c, void *o)
{
	(void)c;
	route(o)->suite = VG_SUITE_COUNT;
	route(o)->in_port = VG_CFG_NONE;
	route(o)->out_port = VG_CFG_NONE;
}

static uint16_t
plus_one(struct vg_cfg_ctx *c, const struct vg_cfg_route *r, const char *key,
	 const char *base_key, uint16_t base)
{
	if (base < 65535)
		return (uint16_t)(base + 1);
	vg_cfg_error(c, c->route_src[c->cur].set, "route '%s': %s defaults "
		     "to %s + 1, past 65535; set %s", r->name, key, base_key,
		     key);
	return 0;
}

static void
route_done(struct vg_cfg_ctx *c, void *o)
{
	struct vg_cfg_route *r = route(o);
	const struct vg_cfg_src *src = &c->route_src[c->cur];
	char a[INET_ADDRSTRLEN];

	if (r->rtcp_port == 0)
		r->rtcp_port = plus_one(c, r, "rtcp_port", "port", r->port);
	if (r->vms_rtcp_port == 0)
		r->vms_rtcp_port = plus_one(c, r, "vms_rtcp_port", "vms_port",
					    r->vms_port);
	vg_cfg_key_fits(c, src->suite_set, src->key_set, &r->key, r->suite);
	if (!vg_cfg_port_toward(c->cfg, VG_ROLE_BACKBONE, r->peer,
				&r->in_port)) {
		inet_ntop(AF_INET, &r->peer, a, sizeof(a));
		vg_cfg_error(c, config_setting_get_member(src->set, "source"),
			     "route '%s': no backbone port reaches source %s: "
			     "add a backbone port on its subnet, or a gateway "
			     "to one", r->name, a);
	}
	if (!vg_cfg_port_toward(c->cfg, VG_ROLE_ACCESS, r->vms,
				&r->out_port)) {
		inet_ntop(AF_INET, &r->vms, a, sizeof(a));
		vg_cfg_error(c, config_setting_get_member(src->set, "vms"),
			     "route '%s': no access port reaches vms %s: add "
			     "an access port on its subnet, or a gateway to "
			     "one", r->name, a);
	}
}

static const struct vg_cfg_list route_list = { "unprotect", "route",
	route_keys, sizeof(struct vg_cfg_route), route_init, route_done };

void
vg_cfg_load_routes(struct vg_cfg_ctx *c, const config_setting_t *root)
{
	c->cfg->routes = vg_cfg_walk_list(c, root, &route_list,
					  &c->cfg->n_routes, &c->route_src);
}
