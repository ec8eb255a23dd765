/* SPDX-License-Identifier: BSD-3-Clause */
/* Configuration diff (diff.h).  The restart keys are compared one by one;
 * the streams are matched by identity after sorting both sides by it, so
 * that 100,000 cameras cost two sorts and linear walks, never a pairwise
 * search. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "diff.h"

/* Append one restart message.  0, or -1 when out of memory. */
static int
restart(struct vg_cfg_diff *d, const char *fmt, ...)
{
	va_list ap;
	char **list;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	list = realloc(d->restart, (d->n_restart + 1) * sizeof(*list));
	if (list == NULL)
		return -1;
	d->restart = list;
	list[d->n_restart] = malloc((size_t)n + 1);
	if (list[d->n_restart] == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(list[d->n_restart++], (size_t)n + 1, fmt, ap);
	va_end(ap);
	return 0;
}

/* a and b as they would be written in the file (already quoted). */
static int
text_key(struct vg_cfg_diff *d, const char *key, const char *a,
	 const char *b)
{
	if (strcmp(a, b) == 0)
		return 0;
	return restart(d, "%s changed (%s -> %s): needs a restart", key, a, b);
}

static int
str_key(struct vg_cfg_diff *d, const char *key, const char *a,
	const char *b)
{
	if (strcmp(a, b) == 0)
		return 0;
	return restart(d, "%s changed (\"%s\" -> \"%s\"): needs a restart",
		       key, a, b);
}

static int
uint_key(struct vg_cfg_diff *d, const char *key, unsigned a, unsigned b)
{
	if (a == b)
		return 0;
	return restart(d, "%s changed (%u -> %u): needs a restart", key, a, b);
}

/* "a.b.c.d/len" or "a.b.c.d" in quotes; `none` for a missing gateway. */
static const char *
addr_text(char *buf, size_t len, uint32_t addr, int prefix)
{
	char a[INET_ADDRSTRLEN];

	if (prefix < 0 && addr == 0)
		return "none";
	inet_ntop(AF_INET, &addr, a, sizeof(a));
	if (prefix < 0)
		snprintf(buf, len, "\"%s\"", a);
	else
		snprintf(buf, len, "\"%s/%d\"", a, prefix);
	return buf;
}

static const char *
role_name(enum vg_port_role r)
{
	return r == VG_ROLE_ACCESS ? "access" : "backbone";
}

/* Port i: every key of it is the device set-up. */
static int
diff_port(struct vg_cfg_diff *d, unsigned i, const struct vg_cfg_port *a,
	  const struct vg_cfg_port *b)
{
	char key[32], x[32], y[32];
	int rc = 0;

	snprintf(key, sizeof(key), "ports[%u].name", i);
	rc |= str_key(d, key, a->name, b->name);
	snprintf(key, sizeof(key), "ports[%u].device", i);
	rc |= str_key(d, key, a->device, b->device);
	snprintf(key, sizeof(key), "ports[%u].role", i);
	rc |= str_key(d, key, role_name(a->role), role_name(b->role));
	snprintf(key, sizeof(key), "ports[%u].address", i);
	rc |= text_key(d, key, addr_text(x, sizeof(x), a->addr, a->prefix),
		       addr_text(y, sizeof(y), b->addr, b->prefix));
	snprintf(key, sizeof(key), "ports[%u].vlan", i);
	rc |= uint_key(d, key, a->vlan, b->vlan);
	snprintf(key, sizeof(key), "ports[%u].gateway", i);
	rc |= text_key(d, key, addr_text(x, sizeof(x), a->gateway, -1),
		       addr_text(y, sizeof(y), b->gateway, -1));
	return rc;
}

/* Ports by index (stream and neighbour tables name them by index), and
 * the process-wide resources made once at start-up. */
static int
diff_restart(struct vg_cfg_diff *d, const struct vg_cfg *o,
	     const struct vg_cfg *n)
{
	unsigned i, common = o->n_ports < n->n_ports ? o->n_ports : n->n_ports;
	int rc = 0;

	rc |= str_key(d, "gateway.engine", o->engine, n->engine);
	rc |= str_key(d, "gateway.cryptodev", o->cryptodev, n->cryptodev);
	rc |= str_key(d, "gateway.cryptodev_gcm", o->cryptodev_gcm,
		      n->cryptodev_gcm);
	rc |= uint_key(d, "gateway.mbufs", o->mbufs, n->mbufs);
	rc |= str_key(d, "gateway.state_dir", o->state_dir, n->state_dir);
	if (o->n_ports != n->n_ports)
		rc |= restart(d, "ports changed (%u entries -> %u): needs a "
			      "restart", o->n_ports, n->n_ports);
	for (i = 0; i < common; i++)
		rc |= diff_port(d, i, &o->ports[i], &n->ports[i]);
	return rc;
}

static int
cmp_neigh(const void *x, const void *y)
{
	const struct vg_cfg_neigh *a = x, *b = y;
	uint32_t ha = ntohl(a->addr), hb = ntohl(b->addr);

	if (ha != hb)
		return ha < hb ? -1 : 1;
	return memcmp(a->mac, b->mac, sizeof(a->mac));
}

/* Static neighbours are a set: their order in the file means nothing.
 * 1 when they differ, 0 when not, -1 when out of memory. */
static int
neighs_differ(const struct vg_cfg *o, const struct vg_cfg *n)
{
	struct vg_cfg_neigh *a, *b;
	unsigned i, k = o->n_neighs;
	int rc = 0;

	if (o->n_neighs != n->n_neighs)
		return 1;
	if (k == 0)
		return 0;
	a = calloc(k, sizeof(*a));
	b = calloc(k, sizeof(*b));
	if (a == NULL || b == NULL) {
		free(a);
		free(b);
		return -1;
	}
	memcpy(a, o->neighs, k * sizeof(*a));
	memcpy(b, n->neighs, k * sizeof(*b));
	qsort(a, k, sizeof(*a), cmp_neigh);
	qsort(b, k, sizeof(*b), cmp_neigh);
	for (i = 0; i < k && rc == 0; i++)
		rc = cmp_neigh(&a[i], &b[i]) != 0;
	free(a);
	free(b);
	return rc;
}

static int
diff_gw(struct vg_cfg_diff *d, const struct vg_cfg *o, const struct vg_cfg *n)
{
	int nb = neighs_differ(o, n);

	if (nb < 0)
		return -1;
	if (o->summary_interval != n->summary_interval)
		d->gw |= VG_CFG_DIFF_GW_SUMMARY;
	if (o->roc_announce_ms != n->roc_announce_ms)
		d->gw |= VG_CFG_DIFF_GW_ROC_ANNOUNCE;
	if (o->arp_retry_ms != n->arp_retry_ms)
		d->gw |= VG_CFG_DIFF_GW_ARP_RETRY;
	if (o->max_pps != n->max_pps || o->max_burst != n->max_burst)
		d->gw |= VG_CFG_DIFF_GW_POLICER;
	if (nb)
		d->gw |= VG_CFG_DIFF_GW_NEIGHS;
	return 0;
}

/* A stream's identity, sortable: (name, center name, dest_port) for a
 * camera entry, (name, "", 0) for a route; idx its index in its config. */
struct ent {
	const char *name;
	const char *dest;
	unsigned port;
	unsigned idx;
};

static int
cmp_id(const struct ent *a, const struct ent *b, bool by_port)
{
	int c = strcmp(a->name, b->name);

	if (c == 0)
		c = strcmp(a->dest, b->dest);
	if (c == 0 && by_port)
		c = (a->port > b->port) - (a->port < b->port);
	return c;
}

/* Ties in order of the file: equal identities pair in their order. */
static int
cmp_sort(const void *x, const void *y)
{
	const struct ent *a = x, *b = y;
	int c = cmp_id(a, b, true);

	return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

/* Pair the entries of o and n (both sorted) whose identities compare
 * equal, in order, and keep only the unpaired ones in both (still
 * sorted). */
static void
pair(struct vg_cfg_diff_map *m, struct ent *o, unsigned *no, struct ent *n,
     unsigned *nn, bool by_port)
{
	unsigned i = 0, j = 0, ko = 0, kn = 0;

	while (i < *no && j < *nn) {
		int c = cmp_id(&o[i], &n[j], by_port);

		if (c == 0) {
			m->old_of_new[n[j].idx] = o[i].idx;
			m->new_of_old[o[i].idx] = n[j].idx;
			i++;
			j++;
		} else if (c < 0) {
			o[ko++] = o[i++];
		} else {
			n[kn++] = n[j++];
		}
	}
	while (i < *no)
		o[ko++] = o[i++];
	while (j < *nn)
		n[kn++] = n[j++];
	*no = ko;
	*nn = kn;
}

/* Centers and ports by index; a valid config has them all. */
static const struct vg_cfg_center *
center_of(const struct vg_cfg *c, unsigned i)
{
	static const struct vg_cfg_center none;

	return i < c->n_centers ? &c->centers[i] : &none;
}

static const char *
port_name(const struct vg_cfg *c, unsigned i)
{
	return i < c->n_ports ? c->ports[i].name : "";
}

/* The identities of cfg's camera entries (cams) or routes into e. */
static void
fill(const struct vg_cfg *c, bool cams, struct ent *e)
{
	const struct vg_cfg_camera *k;
	unsigned i;

	if (cams)
		for (i = 0; i < c->n_cameras; i++) {
			k = &c->cameras[i];
			e[i] = (struct ent){ k->name,
					     center_of(c, k->center)->name,
					     k->dst_port, i };
		}
	else
		for (i = 0; i < c->n_routes; i++)
			e[i] = (struct ent){ c->routes[i].name, "", 0, i };
}

static int
map_alloc(struct vg_cfg_diff_map *m, unsigned n_old, unsigned n_new)
{
	unsigned i;

	m->n_old = n_old;
	m->n_new = n_new;
	m->old_of_new = malloc((n_new ? n_new : 1) * sizeof(unsigned));
	m->new_of_old = malloc((n_old ? n_old : 1) * sizeof(unsigned));
	m->cls = calloc(n_new ? n_new : 1, sizeof(uint8_t));
	m->changed = calloc(n_new ? n_new : 1, sizeof(uint16_t));
	if (m->old_of_new == NULL || m->new_of_old == NULL ||
	    m->cls == NULL || m->changed == NULL)
		return -1;
	for (i = 0; i < n_new; i++)
		m->old_of_new[i] = VG_CFG_DIFF_NONE;
	for (i = 0; i < n_old; i++)
		m->new_of_old[i] = VG_CFG_DIFF_NONE;
	return 0;
}

/* Fill m's pairing: exact identities (with dest_port) first, then what is
 * left by (name, center), so that a camera's one destination to a center
 * whose dest_port changed is the same stream. */
static int
match(struct vg_cfg_diff_map *m, const struct vg_cfg *o,
      const struct vg_cfg *n, bool cams)
{
	struct ent *eo = calloc(m->n_old ? m->n_old : 1, sizeof(*eo));
	struct ent *en = calloc(m->n_new ? m->n_new : 1, sizeof(*en));
	unsigned no = m->n_old, nn = m->n_new;

	if (eo == NULL || en == NULL) {
		free(eo);
		free(en);
		return -1;
	}
	fill(o, cams, eo);
	fill(n, cams, en);
	qsort(eo, no, sizeof(*eo), cmp_sort);
	qsort(en, nn, sizeof(*en), cmp_sort);
	pair(m, eo, &no, en, &nn, true);
	pair(m, eo, &no, en, &nn, false);
	free(eo);
	free(en);
	return 0;
}

static unsigned
key_fields(enum vg_suite sa, const struct vg_master_key *ka, uint32_t xa,
	   enum vg_suite sb, const struct vg_master_key *kb, uint32_t xb)
{
	unsigned f = 0;

	if (xa != xb)
		f |= VG_CFG_DIFF_F_SSRC;
	if (ka->len != kb->len || memcmp(ka->bytes, kb->bytes, ka->len) != 0)
		f |= VG_CFG_DIFF_F_KEY;
	if (sa != sb)
		f |= VG_CFG_DIFF_F_SUITE;
	return f;
}

/* Routes and every feedback stream are policed at the gateway's values. */
static unsigned
gw_policer(const struct vg_cfg *a, const struct vg_cfg *b)
{
	return a->max_pps != b->max_pps || a->max_burst != b->max_burst;
}

static unsigned
cam_fields(const struct vg_cfg *a, unsigned i, const struct vg_cfg *b,
	   unsigned j)
{
	const struct vg_cfg_camera *x = &a->cameras[i], *y = &b->cameras[j];
	const struct vg_cfg_center *cx = center_of(a, x->center);
	const struct vg_cfg_center *cy = center_of(b, y->center);
	unsigned f = key_fields(x->suite, &x->key, x->ssrc, y->suite, &y->key,
				y->ssrc);

	if (x->src_addr != y->src_addr || x->src_port != y->src_port ||
	    x->rtp_port != y->rtp_port || x->rtcp_port != y->rtcp_port)
		f |= VG_CFG_DIFF_F_SOURCE;
	if (cx->addr != cy->addr || x->dst_port != y->dst_port ||
	    x->dst_rtcp_port != y->dst_rtcp_port ||
	    strcmp(port_name(a, cx->port), port_name(b, cy->port)) != 0)
		f |= VG_CFG_DIFF_F_DEST;
	if (x->max_pps != y->max_pps || x->max_burst != y->max_burst)
		f |= VG_CFG_DIFF_F_POLICER;
	if (gw_policer(a, b))
		f |= VG_CFG_DIFF_F_FB_POLICER;
	if (x->payload_type != y->payload_type ||
	    strncmp(x->codec, y->codec, sizeof(x->codec)) != 0)
		f |= VG_CFG_DIFF_F_MEDIA;
	return f;
}

static unsigned
route_fields(const struct vg_cfg *a, unsigned i, const struct vg_cfg *b,
	     unsigned j)
{
	const struct vg_cfg_route *x = &a->routes[i], *y = &b->routes[j];
	unsigned f = key_fields(x->suite, &x->key, x->ssrc, y->suite, &y->key,
				y->ssrc);

	if (x->peer != y->peer || x->peer_port != y->peer_port ||
	    x->port != y->port || x->rtcp_port != y->rtcp_port ||
	    strcmp(port_name(a, x->in_port), port_name(b, y->in_port)) != 0)
		f |= VG_CFG_DIFF_F_SOURCE;
	if (x->vms != y->vms || x->vms_port != y->vms_port ||
	    x->vms_rtcp_port != y->vms_rtcp_port ||
	    strcmp(port_name(a, x->out_port), port_name(b, y->out_port)) != 0)
		f |= VG_CFG_DIFF_F_DEST;
	if (gw_policer(a, b))
		f |= VG_CFG_DIFF_F_POLICER | VG_CFG_DIFF_F_FB_POLICER;
	return f;
}

static void
classify(struct vg_cfg_diff *d, struct vg_cfg_diff_map *m,
	 const struct vg_cfg *o, const struct vg_cfg *n, bool cams)
{
	unsigned i, j, f;

	for (i = 0; i < m->n_new; i++) {
		j = m->old_of_new[i];
		if (j == VG_CFG_DIFF_NONE) {
			m->cls[i] = VG_CFG_DIFF_ADDED;
			d->n_added++;
			continue;
		}
		f = cams ? cam_fields(o, j, n, i) : route_fields(o, j, n, i);
		m->changed[i] = (uint16_t)f;
		if (f & VG_CFG_DIFF_F_REKEY) {
			m->cls[i] = VG_CFG_DIFF_REKEYED;
			d->n_rekeyed++;
		} else if (f != 0) {
			m->cls[i] = VG_CFG_DIFF_UPDATED;
			d->n_updated++;
		} else {
			m->cls[i] = VG_CFG_DIFF_KEPT;
			d->n_kept++;
		}
	}
	for (j = 0; j < m->n_old; j++)
		d->n_removed += m->new_of_old[j] == VG_CFG_DIFF_NONE;
}

static int
diff_streams(struct vg_cfg_diff *d, struct vg_cfg_diff_map *m,
	     const struct vg_cfg *o, const struct vg_cfg *n, bool cams)
{
	if (map_alloc(m, cams ? o->n_cameras : o->n_routes,
		      cams ? n->n_cameras : n->n_routes) < 0 ||
	    match(m, o, n, cams) < 0)
		return -1;
	classify(d, m, o, n, cams);
	return 0;
}

int
vg_cfg_diff(const struct vg_cfg *old_cfg, const struct vg_cfg *new_cfg,
	    struct vg_cfg_diff *d)
{
	memset(d, 0, sizeof(*d));
	if (diff_restart(d, old_cfg, new_cfg) < 0 ||
	    diff_gw(d, old_cfg, new_cfg) < 0 ||
	    diff_streams(d, &d->cameras, old_cfg, new_cfg, true) < 0 ||
	    diff_streams(d, &d->routes, old_cfg, new_cfg, false) < 0) {
		vg_cfg_diff_free(d);
		return -1;
	}
	return 0;
}

static void
map_free(struct vg_cfg_diff_map *m)
{
	free(m->old_of_new);
	free(m->new_of_old);
	free(m->cls);
	free(m->changed);
}

void
vg_cfg_diff_free(struct vg_cfg_diff *d)
{
	for (unsigned i = 0; i < d->n_restart; i++)
		free(d->restart[i]);
	free(d->restart);
	map_free(&d->cameras);
	map_free(&d->routes);
	memset(d, 0, sizeof(*d));
}

int
vg_cfg_diff_summary(const struct vg_cfg_diff *d, char *buf, size_t len)
{
	int n = snprintf(buf, len, "reload: %u kept, %u added, %u removed, "
			 "%u re-keyed, %u updated", d->n_kept, d->n_added,
			 d->n_removed, d->n_rekeyed, d->n_updated);
	size_t at = n < 0 ? 0 : (size_t)n;

	if (n < 0 || d->n_restart == 0)
		return n;
	return n + snprintf(at < len ? buf + at : NULL, at < len ? len - at : 0,
			    "; %u change%s need%s a restart", d->n_restart,
			    d->n_restart == 1 ? "" : "s",
			    d->n_restart == 1 ? "s" : "");
}

const char *
vg_cfg_diff_class_name(enum vg_cfg_diff_class c)
{
	static const char *const names[] = {
		[VG_CFG_DIFF_KEPT] = "kept",
		[VG_CFG_DIFF_UPDATED] = "updated",
		[VG_CFG_DIFF_REKEYED] = "re-keyed",
		[VG_CFG_DIFF_ADDED] = "added",
		[VG_CFG_DIFF_REMOVED] = "removed",
	};

	return (unsigned)c < sizeof(names) / sizeof(names[0]) ? names[c] : "?";
}
