/* SPDX-License-Identifier: BSD-3-Clause */
/* Configuration loader: a libconfig file becomes a typed, validated struct
 * vg_cfg.  As in wireguard-tools config.c there is one small typed parser
 * per key; each prints its own precise error and returns bool, so that the
 * section walkers stay flat and every problem is reported, not just the
 * first.  Typed values are parsed in cfg_value.c; cross-item rules
 * (uniqueness, flows, next hops) are in cfg_check.c, the SSRC rule of
 * invariant 2 in cfg_ssrc.c; the `gateway` group in cfg_gateway.c, the
 * cameras in cfg_camera.c (fan-out in cfg_fanout.c), the `unprotect`
 * routes in cfg_route.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg_int.h"

#define MAX_PORTS	16
#define PORT_NAME_MAX	31		/* ports become DPDK object names */
#define ITEM_NAME_MAX	(VG_NAME_MAX - 1)


/* ---- ports = ( { ... } ) ---------------------------------------------- */

static bool
port_name(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_port *p = o;

	return vg_cfg_want_name(c, s, PORT_NAME_MAX, p->name);
}

/* A PCI address (0000:3b:00.0 or 3b:00.0) or a vdev (net_xxx), each
 * optionally followed by ",args" as EAL takes them. */
static bool
port_device(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	static const char re_text[] = "^(([0-9a-fA-F]{4}:)?[0-9a-fA-F]{2}:"
		"[0-9a-fA-F]{2}\\.[0-7]|net_[A-Za-z0-9_]+)(,.*)?$";
	struct vg_cfg_port *p = o;
	const char *v;
	regex_t re;
	bool ok;

	if (!vg_cfg_want_string(c, s, &v))
		return false;
	if (regcomp(&re, re_text, REG_EXTENDED | REG_NOSUB) != 0)
		return false;
	ok = strlen(v) < sizeof(p->device) && regexec(&re, v, 0, NULL, 0) == 0;
	regfree(&re);
	if (!ok) {
		vg_cfg_error(c, s, "device: '%.64s' is neither a PCI address "
			     "(0000:3b:00.0) nor a DPDK vdev "
			     "(net_af_packet0,iface=eth1)", v);
		return false;
	}
	snprintf(p->device, sizeof(p->device), "%s", v);
	return true;
}

static bool
port_role(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_port *p = o;
	const char *v;

	if (!vg_cfg_want_string(c, s, &v))
		return false;
	if (strcmp(v, "access") == 0)
		p->role = VG_ROLE_ACCESS;
	else if (strcmp(v, "backbone") == 0)
		p->role = VG_ROLE_BACKBONE;
	else {
		vg_cfg_error(c, s, "role: '%.32s' is not a role (use "
			     "\"access\" or \"backbone\")", v);
		return false;
	}
	return true;
}

static bool
port_address(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_port *p = o;

	return vg_cfg_want_prefix(c, s, &p->addr, &p->prefix);
}

static bool
port_vlan(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	unsigned v;

	if (!vg_cfg_want_uint(c, s, 0, 4094, &v))
		return false;
	((struct vg_cfg_port *)o)->vlan = (uint16_t)v;
	return true;
}

/* Runs after port_address (table order): the gateway must be on-link. */
static bool
port_gateway(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_port *p = o;
	uint32_t gw, mask;

	if (!vg_cfg_want_ipv4(c, s, &gw))
		return false;
	if (p->prefix == 0)
		return false;		/* address already reported */
	mask = htonl(UINT32_MAX << (32 - p->prefix));
	if (p->prefix == 32 || (gw & mask) != (p->addr & mask) ||
	    gw == p->addr) {
		vg_cfg_error(c, s, "gateway: %s is not another host of port "
			     "'%s' subnet; the next hop must be on-link",
			     config_setting_get_string(s), p->name);
		return false;
	}
	p->gateway = gw;
	return true;
}

static const struct vg_cfg_key port_keys[] = {
	{ "name", true, port_name },
	{ "device", true, port_device },
	{ "role", true, port_role },
	{ "address", true, port_address },
	{ "vlan", false, port_vlan },
	{ "gateway", false, port_gateway },
	{ NULL, false, NULL },
};

/* ---- neighbours = ( { ... } ) ----------------------------------------- */

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

/* ---- centers = ( { ... } ) -------------------------------------------- */

static bool
center_name(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg_center *ctr = o;

	return vg_cfg_want_name(c, s, ITEM_NAME_MAX, ctr->name);
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

/* ---- walking groups and lists ----------------------------------------- */

/* "camera 'cam-01'", or "camera #3" when the name is missing. */
static void
describe(const config_setting_t *g, const char *kind, unsigned idx,
	 char *buf, size_t len)
{
	const char *name = NULL;

	if (config_setting_is_group(g) &&
	    config_setting_lookup_string(g, "name", &name) == CONFIG_TRUE)
		snprintf(buf, len, "%s '%.64s'", kind, name);
	else if (idx != VG_CFG_NONE)
		snprintf(buf, len, "%s #%u", kind, idx + 1);
	else
		snprintf(buf, len, "%s", kind);
}

/* Parse group g with specs: unknown keys, then each key in table order
 * (so that a key may rely on one listed before it).  True when no error. */
bool
vg_cfg_walk(struct vg_cfg_ctx *c, const config_setting_t *g, const char *kind,
	    unsigned idx, const struct vg_cfg_key *specs, void *obj)
{
	unsigned before = c->errors, i, n;
	const config_setting_t *m;
	const struct vg_cfg_key *k;
	char what[96];

	describe(g, kind, idx, what, sizeof(what));
	if (!config_setting_is_group(g)) {
		vg_cfg_error(c, g, "%s: expected a group { ... }, got %s",
			     what, vg_cfg_type_name(g));
		return false;
	}
	n = (unsigned)config_setting_length(g);
	for (i = 0; i < n; i++) {
		m = config_setting_get_elem(g, i);
		for (k = specs; k->name != NULL; k++)
			if (strcmp(k->name, config_setting_name(m)) == 0)
				break;
		if (k->name == NULL)
			vg_cfg_error(c, m, "unknown key '%s' in %s",
				     config_setting_name(m), what);
	}
	for (k = specs; k->name != NULL; k++) {
		m = config_setting_get_member(g, k->name);
		if (m != NULL)
			k->parse(c, m, obj);
		else if (k->required)
			vg_cfg_error(c, g, "%s: missing required key '%s'",
				     what, k->name);
	}
	return c->errors == before;
}

/* A top-level list of groups; NULL when absent (callers decide). */
static const config_setting_t *
section_list(struct vg_cfg_ctx *c, const config_setting_t *root,
	     const char *name, unsigned *n)
{
	const config_setting_t *s = config_setting_get_member(root, name);

	*n = 0;
	if (s == NULL)
		return NULL;
	if (!config_setting_is_list(s)) {
		vg_cfg_error(c, s, "%s: expected a list ( { ... }, ... ), "
			     "got %s", name, vg_cfg_type_name(s));
		return NULL;
	}
	*n = (unsigned)config_setting_length(s);
	return s;
}

static void *
alloc_items(struct vg_cfg_ctx *c, unsigned n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		vg_cfg_error(c, NULL, "out of memory for %u items", n);
	return p;
}

struct section {
	const char *name;		/* "cameras" */
	const char *kind;		/* "camera", for messages */
	const struct vg_cfg_key *keys;
	size_t size;			/* of one item */
	void (*init)(struct vg_cfg_ctx *c, void *item);	/* defaults */
	void (*done)(struct vg_cfg_ctx *c, void *item);	/* resolve */
};

/* Parse every group of a top-level list into a new array of items.  The
 * item's source is recorded in (*src)[i], ok only when it had no error so
 * that cross-checks do not pile consequences on a reported mistake. */
static void *
load_section(struct vg_cfg_ctx *c, const config_setting_t *root,
	     const struct section *sec, unsigned *count,
	     struct vg_cfg_src **src)
{
	const config_setting_t *l;
	unsigned i, n, before;
	char *items;

	*count = 0;
	l = section_list(c, root, sec->name, &n);
	if (l == NULL || n == 0)
		return NULL;
	items = alloc_items(c, n, sec->size);
	*src = alloc_items(c, n, sizeof(**src));
	if (items == NULL || *src == NULL) {
		free(items);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		before = c->errors;
		c->cur = i;
		(*src)[i].set = config_setting_get_elem(l, i);
		if (sec->init != NULL)
			sec->init(c, items + i * sec->size);
		vg_cfg_walk(c, (*src)[i].set, sec->kind, i, sec->keys,
			    items + i * sec->size);
		if (sec->done != NULL && c->errors == before)
			sec->done(c, items + i * sec->size);
		(*src)[i].ok = c->errors == before;
	}
	*count = n;
	return items;
}

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


static const struct section port_section = { "ports", "port", port_keys,
	sizeof(struct vg_cfg_port), NULL, NULL };
static const struct section neigh_section = { "neighbours", "neighbour",
	neigh_keys, sizeof(struct vg_cfg_neigh), NULL, NULL };
static const struct section center_section = { "centers", "center",
	center_keys, sizeof(struct vg_cfg_center), center_init, center_done };
static const struct section camera_section = { "cameras", "camera",
	vg_cfg_camera_keys, sizeof(struct vg_cfg_camera), vg_cfg_camera_init,
	vg_cfg_camera_done };
static const struct section route_section = { "unprotect", "route",
	vg_cfg_route_keys, sizeof(struct vg_cfg_route), vg_cfg_route_init,
	vg_cfg_route_done };

/* ---- the whole file --------------------------------------------------- */

static void
check_top_keys(struct vg_cfg_ctx *c, const config_setting_t *root)
{
	static const char *const known[] = {
		"gateway", "ports", "neighbours", "centers", "cameras",
		"unprotect", NULL,
	};
	const config_setting_t *m;
	unsigned i, k, n = (unsigned)config_setting_length(root);

	for (i = 0; i < n; i++) {
		m = config_setting_get_elem(root, i);
		for (k = 0; known[k] != NULL; k++)
			if (strcmp(known[k], config_setting_name(m)) == 0)
				break;
		if (known[k] == NULL)
			vg_cfg_error(c, m, "unknown key '%s' at top level "
				     "(expected gateway, ports, neighbours, "
				     "centers, cameras or unprotect)",
				     config_setting_name(m));
	}
}

static void
load_ports(struct vg_cfg_ctx *c, const config_setting_t *root)
{
	struct vg_cfg *cfg = c->cfg;

	c->ports_set = config_setting_get_member(root, "ports");
	if (c->ports_set == NULL) {
		vg_cfg_error(c, NULL, "missing required key 'ports' (a list "
			     "of at least one access and one backbone port)");
		return;
	}
	cfg->ports = load_section(c, root, &port_section, &cfg->n_ports,
				  &c->port_src);
	if (config_setting_is_list(c->ports_set) &&
	    (cfg->n_ports == 0 || cfg->n_ports > MAX_PORTS))
		vg_cfg_error(c, c->ports_set, "ports: %u entries; give 1..%u",
			     cfg->n_ports, MAX_PORTS);
	if (cfg->n_ports > 0)
		vg_cfg_check_ports(c);
}

static void
load_root(struct vg_cfg_ctx *c, const config_setting_t *root)
{
	struct vg_cfg *cfg = c->cfg;
	const config_setting_t *g;
	struct vg_cfg_src *neigh_src = NULL;

	check_top_keys(c, root);
	g = config_setting_get_member(root, "gateway");
	if (g != NULL)
		vg_cfg_walk(c, g, "gateway", VG_CFG_NONE, vg_cfg_gateway_keys,
			    cfg);
	load_ports(c, root);
	cfg->neighs = load_section(c, root, &neigh_section, &cfg->n_neighs,
				   &neigh_src);
	free(neigh_src);
	cfg->centers = load_section(c, root, &center_section,
				    &cfg->n_centers, &c->center_src);
	vg_cfg_check_centers(c);
	cfg->cameras = load_section(c, root, &camera_section,
				    &cfg->n_cameras, &c->cam_src);
	vg_cfg_expand_fanout(c);
	vg_cfg_check_cameras(c);
	cfg->routes = load_section(c, root, &route_section, &cfg->n_routes,
				   &c->route_src);
	vg_cfg_check_routes(c);
	vg_cfg_check_ssrcs(c);
}

static bool
read_file(struct vg_cfg_ctx *c, config_t *lc, const char *path)
{
	char buf[PATH_MAX];
	const char *file;

	if (config_read_file(lc, path) == CONFIG_TRUE)
		return true;
	if (config_error_type(lc) == CONFIG_ERR_FILE_IO) {
		fprintf(c->err, "%s: cannot read the file: %s\n", path,
			access(path, R_OK) != 0 ? strerror(errno) :
			"I/O error");
	} else {
		/* libconfig says only "syntax error": point at the usual
		 * causes. */
		file = vg_cfg_file(c, config_error_file(lc), buf, sizeof(buf));
		fprintf(c->err, "%s:%d: %s%s\n", file,
			config_error_line(lc), config_error_text(lc),
			strcmp(config_error_text(lc), "syntax error") ? "" :
			" (look for a missing ';' or quote, or a stray ',' "
			"on this line or the one before)");
	}
	c->errors++;
	return false;
}

unsigned
vg_cfg_load(const char *path, struct vg_cfg *cfg, FILE *err)
{
	struct vg_cfg_ctx c = { .cfg = cfg, .err = err, .path = path };
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	config_t lc;

	vg_cfg_gateway_defaults(cfg);
	config_init(&lc);
	/* @include paths are relative to the main file, not to the cwd. */
	if (slash != NULL) {
		snprintf(dir, sizeof(dir), "%.*s",
			 slash == path ? 1 : (int)(slash - path), path);
		config_set_include_dir(&lc, dir);
		c.dir = dir;
	}
	if (vg_cfg_check_includes(&c) && read_file(&c, &lc, path))
		load_root(&c, config_root_setting(&lc));
	free(c.port_src);
	free(c.center_src);
	free(c.cam_src);
	free(c.route_src);
	free(c.fan);
	config_destroy(&lc);
	if (c.errors != 0)
		vg_cfg_free(cfg);
	return c.errors;
}

void
vg_cfg_free(struct vg_cfg *cfg)
{
	unsigned i;

	for (i = 0; i < cfg->n_centers; i++)
		vg_key_wipe(&cfg->centers[i].key);
	for (i = 0; i < cfg->n_cameras; i++)
		vg_key_wipe(&cfg->cameras[i].key);
	for (i = 0; i < cfg->n_routes; i++)
		vg_key_wipe(&cfg->routes[i].key);
	free(cfg->routes);
	free(cfg->ports);
	free(cfg->neighs);
	free(cfg->centers);
	free(cfg->cameras);
	memset(cfg, 0, sizeof(*cfg));
}
