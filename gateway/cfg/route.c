/* SPDX-License-Identifier: BSD-3-Clause */
/* The `unprotect = ( { ... } )` routes of the center role: one typed parser
 * per key, the defaults, and the checks that involve ports and other
 * routes.  A route names where its SRTP comes from (a PoP gateway), the
 * port it arrives on, and the VMS that gets it in clear. */
#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"

static struct vg_cfg_route *
route(void *o)
{
	return o;
}

static bool
r_name(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return vg_cfg_want_name(c, s, VG_NAME_MAX - 1, route(o)->name);
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

const struct vg_cfg_key vg_cfg_route_keys[] = {
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

void
vg_cfg_route_init(struct vg_cfg_ctx *c, void *o)
{
	(void)c;
	route(o)->suite = VG_SUITE_COUNT;
	route(o)->in_port = VG_CFG_NONE;
	route(o)->out_port = VG_CFG_NONE;
}

static bool
in_subnet(uint32_t a, const struct vg_cfg_port *p)
{
	uint32_t mask = p->prefix ? htonl(UINT32_MAX << (32 - p->prefix)) : 0;

	return (a & mask) == (p->addr & mask);
}

/* The port of role `role` whose subnet holds addr; else the first of that
 * role with a gateway; VG_CFG_NONE when there is none. */
static unsigned
port_toward(const struct vg_cfg *cfg, enum vg_port_role role, uint32_t addr)
{
	unsigned i, via = VG_CFG_NONE;

	for (i = 0; i < cfg->n_ports; i++) {
		if (cfg->ports[i].role != role)
			continue;
		if (in_subnet(addr, &cfg->ports[i]))
			return i;
		if (via == VG_CFG_NONE && cfg->ports[i].gateway != 0)
			via = i;
	}
	return via;
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

void
vg_cfg_route_done(struct vg_cfg_ctx *c, void *o)
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
	r->in_port = port_toward(c->cfg, VG_ROLE_BACKBONE, r->peer);
	r->out_port = port_toward(c->cfg, VG_ROLE_ACCESS, r->vms);
	if (r->in_port == VG_CFG_NONE) {
		inet_ntop(AF_INET, &r->peer, a, sizeof(a));
		vg_cfg_error(c, config_setting_get_member(src->set, "source"),
			     "route '%s': no backbone port reaches source %s: "
			     "add a backbone port on its subnet, or a gateway "
			     "to one", r->name, a);
	}
	if (r->out_port == VG_CFG_NONE) {
		inet_ntop(AF_INET, &r->vms, a, sizeof(a));
		vg_cfg_error(c, config_setting_get_member(src->set, "vms"),
			     "route '%s': no access port reaches vms %s: add "
			     "an access port on its subnet, or a gateway to "
			     "one", r->name, a);
	}
}

uint32_t
vg_cfg_hop_on(const struct vg_cfg *cfg, unsigned pi, uint32_t addr)
{
	return in_subnet(addr, &cfg->ports[pi]) ? addr : cfg->ports[pi].gateway;
}

/* ---- checks across routes and cameras ---------------------------------- */

/* One (address, UDP port) a flow arrives as; routes and cameras share the
 * gateway's flow table, so none may arrive as another. */
struct arrival {
	uint32_t addr;
	uint16_t port;
	bool route;
	unsigned idx;
};

static int
cmp_arrival(const void *a, const void *b)
{
	const struct arrival *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->route != y->route)
		return x->route ? 1 : -1;	/* cameras first */
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static unsigned
arrivals(const struct vg_cfg_ctx *c, struct arrival *a)
{
	const struct vg_cfg *cfg = c->cfg;
	unsigned i, n = 0;

	for (i = 0; i < cfg->n_cameras; i++) {
		const struct vg_cfg_camera *k = &cfg->cameras[i];

		if (!c->cam_src[i].ok || k->primary != i)
			continue;
		a[n++] = (struct arrival){ k->src_addr, k->rtp_port, false, i };
		if (k->rtcp_port != k->rtp_port)
			a[n++] = (struct arrival){ k->src_addr, k->rtcp_port,
						   false, i };
	}
	for (i = 0; i < cfg->n_routes; i++) {
		const struct vg_cfg_route *r = &cfg->routes[i];

		if (!c->route_src[i].ok)
			continue;
		a[n++] = (struct arrival){ r->peer, r->port, true, i };
		if (r->rtcp_port != r->port)
			a[n++] = (struct arrival){ r->peer, r->rtcp_port, true, i };
	}
	return n;
}

static void
clash(struct vg_cfg_ctx *c, const struct arrival *first,
      const struct arrival *r)
{
	const config_setting_t *s = c->route_src[r->idx].set;
	const config_setting_t *o = first->route ?
		c->route_src[first->idx].set : c->cam_src[first->idx].set;
	char where[PATH_MAX + 16], a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &r->addr, a, sizeof(a));
	vg_cfg_where(c, s, o, where, sizeof(where));
	vg_cfg_error(c, s, "route '%s': packets from %s to port %u would "
		     "also match %s '%s' (%s); give it another port",
		     c->cfg->routes[r->idx].name, a, r->port,
		     first->route ? "route" : "camera",
		     first->route ? c->cfg->routes[first->idx].name :
				    c->cfg->cameras[first->idx].name, where);
}

static void
check_arrivals(struct vg_cfg_ctx *c)
{
	size_t cap = 2 * ((size_t)c->cfg->n_cameras + c->cfg->n_routes);
	struct arrival *a = calloc(cap ? cap : 1, sizeof(*a));
	unsigned i, n, lead = 0, last = VG_CFG_NONE;

	if (a == NULL) {
		vg_cfg_error(c, NULL, "out of memory checking routes");
		return;
	}
	n = arrivals(c, a);
	qsort(a, n, sizeof(*a), cmp_arrival);
	for (i = 1; i < n; i++) {
		if (a[i].addr != a[lead].addr || a[i].port != a[lead].port) {
			lead = i;
			continue;
		}
		/* A route's RTP and RTCP clashing with one item: once. */
		if (a[i].route && a[i].idx != last) {
			clash(c, &a[lead], &a[i]);
			last = a[i].idx;
		}
	}
	free(a);
}

void
vg_cfg_check_routes(struct vg_cfg_ctx *c)
{
	if (c->cfg->n_routes == 0)
		return;
	vg_cfg_check_route_names(c);
	check_arrivals(c);
}
