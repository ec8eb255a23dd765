/* SPDX-License-Identifier: BSD-3-Clause */
/* Config cross-checks: rules that involve more than one item (unique
 * names, on-link next hops, unambiguous camera flows, routes that no
 * camera or other route shadows; invariant 2, the SSRCs, is ssrc.c's).
 * Camera and route checks sort instead of comparing pairs: a region holds
 * up to 100k cameras and a regional center may take every one.  Each error
 * is reported on the later item and names the earlier one. */
#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "check.h"
#include "ctx.h"
#include "diag.h"
#include "net.h"

/* The setting for key inside group g, or g itself when key is absent
 * (a defaulted value is reported at its item). */
static const config_setting_t *
at(const config_setting_t *g, const char *key)
{
	const config_setting_t *m = config_setting_get_member(g, key);

	return m != NULL ? m : g;
}

static size_t
device_name_len(const char *dev)
{
	return strcspn(dev, ",");
}

static void
check_port_pair(struct vg_cfg_ctx *c, unsigned i, unsigned j)
{
	const struct vg_cfg_port *a = &c->cfg->ports[i], *b = &c->cfg->ports[j];
	const config_setting_t *sa = c->port_src[i].set;
	const config_setting_t *sb = c->port_src[j].set;
	size_t n = device_name_len(a->device);
	char where[PATH_MAX + 16];

	if (strcmp(a->name, b->name) == 0)
		vg_cfg_error(c, at(sb, "name"), "duplicate port name '%s' "
			     "(first at %s); names must be unique", b->name,
			     vg_cfg_where(c, sb, at(sa, "name"), where,
					  sizeof(where)));
	/* EAL names a device by what precedes its arguments. */
	if (n == device_name_len(b->device) &&
	    strncmp(a->device, b->device, n) == 0)
		vg_cfg_error(c, at(sb, "device"), "port '%s': device '%.*s' "
			     "is already used by port '%s' (%s)", b->name,
			     (int)n, b->device, a->name,
			     vg_cfg_where(c, sb, at(sa, "device"), where,
					  sizeof(where)));
}

void
vg_cfg_check_ports(struct vg_cfg_ctx *c)
{
	const struct vg_cfg *cfg = c->cfg;
	bool all_ok = true, access = false, backbone = false;
	unsigned i, j;

	if (cfg->n_ports == 0)
		return;			/* none, or not a list: reported */
	for (i = 0; i < cfg->n_ports; i++) {
		if (!c->port_src[i].ok) {
			all_ok = false;
			continue;
		}
		access |= cfg->ports[i].role == VG_ROLE_ACCESS;
		backbone |= cfg->ports[i].role == VG_ROLE_BACKBONE;
		for (j = 0; j < i; j++)
			if (c->port_src[j].ok)
				check_port_pair(c, j, i);
	}
	/* With a broken port the missing role may be its own: say nothing. */
	if (all_ok && !access)
		vg_cfg_error(c, c->ports_set, "ports: no port has role "
			     "\"access\"; cameras send to an access port");
	if (all_ok && !backbone)
		vg_cfg_error(c, c->ports_set, "ports: no port has role "
			     "\"backbone\"; centers are reached through one");
}

static void
check_next_hop(struct vg_cfg_ctx *c, unsigned i)
{
	const struct vg_cfg_center *ctr = &c->cfg->centers[i];
	const struct vg_cfg_port *p;
	const config_setting_t *s = at(c->center_src[i].set, "address");
	struct in_addr a = { .s_addr = ctr->addr };
	char addr[INET_ADDRSTRLEN];

	if (ctr->port == VG_CFG_NONE || !c->port_src[ctr->port].ok)
		return;			/* no usable port: reported there */
	p = &c->cfg->ports[ctr->port];
	inet_ntop(AF_INET, &a, addr, sizeof(addr));
	if (ctr->addr == p->addr)
		vg_cfg_error(c, s, "center '%s' at %s has the address of port "
			     "'%s' itself", ctr->name, addr, p->name);
	else if (!vg_cfg_in_subnet(ctr->addr, p->addr, p->prefix) &&
		 p->gateway == 0)
		vg_cfg_error(c, s, "center '%s' at %s is not on port '%s' "
			     "subnet and the port has no gateway; add gateway "
			     "to the port", ctr->name, addr, p->name);
}

void
vg_cfg_check_centers(struct vg_cfg_ctx *c)
{
	const struct vg_cfg *cfg = c->cfg;
	const config_setting_t *si, *sj;
	char where[PATH_MAX + 16];
	unsigned i, j;

	for (i = 0; i < cfg->n_centers; i++) {
		if (!c->center_src[i].ok)
			continue;
		check_next_hop(c, i);
		si = c->center_src[i].set;
		for (j = 0; j < i; j++) {
			sj = c->center_src[j].set;
			if (!c->center_src[j].ok ||
			    strcmp(cfg->centers[i].name, cfg->centers[j].name))
				continue;
			vg_cfg_error(c, at(si, "name"), "duplicate center name "
				     "'%s' (first at %s); names must be unique",
				     cfg->centers[i].name,
				     vg_cfg_where(c, si, at(sj, "name"), where,
						  sizeof(where)));
			break;
		}
	}
}

/* ---- cameras ---------------------------------------------------------- */

/* A name to sort by (cameras and routes). */
struct name_ref {
	const char *name;
	unsigned idx;
};

static int
cmp_name(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	int r = strcmp(x->name, y->name);

	return r != 0 ? r : (x->idx > y->idx) - (x->idx < y->idx);
}

static void
check_camera_names(struct vg_cfg_ctx *c, unsigned *first)
{
	const struct vg_cfg *cfg = c->cfg;
	struct name_ref *refs = calloc(cfg->n_cameras, sizeof(*refs));
	const config_setting_t *s;
	char where[PATH_MAX + 16];
	unsigned i, n = 0, lead = 0;

	if (refs == NULL)
		return;
	/* Fan-out entries share their camera's name: its primary stands
	 * for them. */
	for (i = 0; i < cfg->n_cameras; i++)
		if (cfg->cameras[i].name[0] != '\0' &&
		    cfg->cameras[i].primary == i)
			refs[n++] = (struct name_ref){ cfg->cameras[i].name,
							 i };
	qsort(refs, n, sizeof(*refs), cmp_name);
	for (i = 0; i < cfg->n_cameras; i++)
		first[i] = VG_CFG_NONE;
	for (i = 1; i < n; i++) {
		if (strcmp(refs[i].name, refs[lead].name) != 0)
			lead = i;
		else
			first[refs[i].idx] = refs[lead].idx;
	}
	free(refs);
	for (i = 0; i < cfg->n_cameras; i++) {
		if (first[i] == VG_CFG_NONE)
			continue;
		s = c->cam_src[i].set;
		vg_cfg_error(c, at(s, "name"), "duplicate camera name '%s' "
			     "(first at %s); names must be unique",
			     cfg->cameras[i].name,
			     vg_cfg_where(c, s, at(c->cam_src[first[i]].set,
						"name"), where, sizeof(where)));
	}
}

/* One UDP port on which the gateway receives from a camera. */
struct flow_ref {
	uint32_t src;
	uint16_t gw_port;
	uint16_t src_port;	/* 0 = any */
	unsigned cam;
	unsigned rtcp;		/* 0: the RTP port, 1: the RTCP port */
};

static int
cmp_flow(const void *a, const void *b)
{
	const struct flow_ref *x = a, *y = b;

	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	if (x->gw_port != y->gw_port)
		return x->gw_port < y->gw_port ? -1 : 1;
	if (x->src_port != y->src_port)
		return x->src_port < y->src_port ? -1 : 1;
	return (x->cam > y->cam) - (x->cam < y->cam);
}

static void
flow_clash(struct vg_cfg_ctx *c, const struct flow_ref *e,
	   const struct flow_ref *o)
{
	static const char *const kind[] = { "RTP", "RTCP" };
	const struct vg_cfg_camera *cam = &c->cfg->cameras[e->cam];
	const struct vg_cfg_camera *other = &c->cfg->cameras[o->cam];
	const char *key = e->rtcp ? "rtcp_port" : "port";
	const config_setting_t *s = at(c->cam_src[e->cam].set, key);
	const config_setting_t *os = at(c->cam_src[o->cam].set,
					o->rtcp ? "rtcp_port" : "port");
	struct in_addr a = { .s_addr = e->src };
	char where[PATH_MAX + 16], addr[INET_ADDRSTRLEN];

	vg_cfg_where(c, s, os, where, sizeof(where));
	inet_ntop(AF_INET, &a, addr, sizeof(addr));
	if (!e->rtcp && !o->rtcp)
		vg_cfg_error(c, s, "camera '%s' duplicates camera '%s' (%s): "
			     "same source %s and port %u, and their "
			     "source_port %u and %u overlap (0 matches any); "
			     "change port or source_port", cam->name,
			     other->name, where, addr, e->gw_port,
			     cam->src_port, other->src_port);
	else
		vg_cfg_error(c, s, "camera '%s' %s port %u clashes with the %s "
			     "port of camera '%s' (%s) from the same source "
			     "%s; pick another port", cam->name, kind[e->rtcp],
			     e->gw_port, kind[o->rtcp], other->name, where,
			     addr);
}

/* Within one (source, gateway port) group sorted by source_port: entry e
 * clashes with any earlier camera whose source_port equals its own or is
 * 0 (any); a 0 in e clashes with every earlier camera. */
struct flow_clash {
	const struct flow_ref *self, *other;
};

static void
flow_group(const struct flow_ref *g, unsigned n, struct flow_clash *clash)
{
	const struct flow_ref *all = g, *any = NULL, *run = g, *o;
	unsigned i;

	for (i = 0; i < n; i++)
		if (g[i].cam < all->cam)
			all = &g[i];
	if (g[0].src_port == 0)
		any = &g[0];
	for (i = 0; i < n; i++) {
		if (g[i].src_port != run->src_port)
			run = &g[i];
		if (g[i].src_port == 0)
			o = all;
		else
			o = any != NULL && any->cam < run->cam ? any : run;
		if (o->cam < g[i].cam)
			clash[g[i].cam * 2 + g[i].rtcp] =
				(struct flow_clash){ &g[i], o };
	}
}

static unsigned
flow_refs(const struct vg_cfg_ctx *c, struct flow_ref *f)
{
	const struct vg_cfg_camera *cam;
	unsigned i, n = 0;

	for (i = 0; i < c->cfg->n_cameras; i++) {
		/* Fan-out entries share their primary's flows. */
		if (!c->cam_src[i].ok || c->cfg->cameras[i].primary != i)
			continue;
		cam = &c->cfg->cameras[i];
		f[n++] = (struct flow_ref){ cam->src_addr, cam->rtp_port,
					    cam->src_port, i, 0 };
		/* rtcp_port == port is RFC 5761 muxing: one flow. */
		if (cam->rtcp_port != cam->rtp_port)
			f[n++] = (struct flow_ref){ cam->src_addr,
						    cam->rtcp_port,
						    cam->src_port, i, 1 };
	}
	return n;
}

static void
check_camera_flows(struct vg_cfg_ctx *c)
{
	unsigned i, j, n, ncam = c->cfg->n_cameras;
	struct flow_ref *f = calloc(2 * (size_t)ncam, sizeof(*f));
	struct flow_clash *clash = calloc(2 * (size_t)ncam, sizeof(*clash));

	if (f == NULL || clash == NULL)
		goto out;
	n = flow_refs(c, f);
	qsort(f, n, sizeof(*f), cmp_flow);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n; j++)
			if (f[j].src != f[i].src ||
			    f[j].gw_port != f[i].gw_port)
				break;
		flow_group(&f[i], j - i, clash);
	}
	/* In file order, not sort order; a camera whose RTP and RTCP both
	 * collide with the same camera is one mistake, reported once. */
	for (i = 0; i < 2 * ncam; i++) {
		if (clash[i].self == NULL)
			continue;
		if (i % 2 == 1 && clash[i - 1].self != NULL &&
		    clash[i - 1].other->cam == clash[i].other->cam)
			continue;
		flow_clash(c, clash[i].self, clash[i].other);
	}
out:
	free(clash);
	free(f);
}

void
vg_cfg_check_cameras(struct vg_cfg_ctx *c)
{
	unsigned *first;

	if (c->cfg->n_cameras == 0)
		return;
	first = calloc(c->cfg->n_cameras, sizeof(*first));
	if (first == NULL) {
		vg_cfg_error(c, NULL, "out of memory checking cameras");
		return;
	}
	check_camera_names(c, first);
	check_camera_flows(c);
	free(first);
}

/* ---- routes ----------------------------------------------------------- */

/* Sorted, not pairwise: a regional center may take every camera. */
static void
check_route_names(struct vg_cfg_ctx *c)
{
	const struct vg_cfg *cfg = c->cfg;
	struct name_ref *r = calloc(cfg->n_routes, sizeof(*r));
	char where[PATH_MAX + 16];
	unsigned i, n = 0;

	if (r == NULL)
		return;
	for (i = 0; i < cfg->n_routes; i++)
		if (c->route_src[i].ok)
			r[n++] = (struct name_ref){ cfg->routes[i].name, i };
	qsort(r, n, sizeof(*r), cmp_name);
	for (i = 1; i < n; i++) {
		const config_setting_t *s = c->route_src[r[i].idx].set;

		if (strcmp(r[i].name, r[i - 1].name) != 0)
			continue;
		vg_cfg_error(c, s, "duplicate route name '%s' (first at %s); "
			     "names must be unique", r[i].name,
			     vg_cfg_where(c, s, c->route_src[r[i - 1].idx].set,
					  where, sizeof(where)));
	}
	free(r);
}

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
	check_route_names(c);
	check_arrivals(c);
}
