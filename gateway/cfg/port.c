/* SPDX-License-Identifier: BSD-3-Clause */
/* The `ports = ( { ... } )` section: the network ports, one typed parser
 * per key.  Their names, devices and roles are checked across ports by
 * check.c. */
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "ctx.h"
#include "diag.h"
#include "net.h"
#include "sections.h"
#include "value.h"
#include "walk.h"

#define PORT_NAME_MAX	31		/* ports become DPDK object names */

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
	uint32_t gw;

	if (!vg_cfg_want_ipv4(c, s, &gw))
		return false;
	if (p->prefix == 0)
		return false;		/* address already reported */
	if (p->prefix == 32 || !vg_cfg_in_subnet(gw, p->addr, p->prefix) ||
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

static const struct vg_cfg_list port_list = { "ports", "port", port_keys,
	sizeof(struct vg_cfg_port), NULL, NULL };

void
vg_cfg_load_ports(struct vg_cfg_ctx *c, const config_setting_t *root)
{
	struct vg_cfg *cfg = c->cfg;

	c->ports_set = config_setting_get_member(root, "ports");
	if (c->ports_set == NULL) {
		vg_cfg_error(c, NULL, "missing required key 'ports' (a list "
			     "of at least one access and one backbone port)");
		return;
	}
	cfg->ports = vg_cfg_walk_list(c, root, &port_list, &cfg->n_ports,
				      &c->port_src);
	if (config_setting_is_list(c->ports_set) &&
	    (cfg->n_ports == 0 || cfg->n_ports > VG_MAX_PORTS))
		vg_cfg_error(c, c->ports_set, "ports: %u entries; give 1..%u",
			     cfg->n_ports, VG_MAX_PORTS);
}
