/* SPDX-License-Identifier: BSD-3-Clause */
/* Subnets and next hops: one on-link rule for the config checks and for
 * the gateway at run time, so that what the checks accept is what the
 * data path does. */
#include <arpa/inet.h>

#include "cfg.h"
#include "net.h"

bool
vg_cfg_in_subnet(uint32_t a, uint32_t net, uint8_t prefix)
{
	uint32_t mask = prefix ? htonl(UINT32_MAX << (32 - prefix)) : 0;

	return (a & mask) == (net & mask);
}

bool
vg_cfg_port_toward(const struct vg_cfg *cfg, enum vg_port_role role,
		   uint32_t addr, unsigned *pi)
{
	const struct vg_cfg_port *p;
	bool via = false;
	unsigned i;

	for (i = 0; i < cfg->n_ports; i++) {
		p = &cfg->ports[i];
		if (p->role != role)
			continue;
		if (vg_cfg_in_subnet(addr, p->addr, p->prefix)) {
			*pi = i;
			return true;
		}
		if (!via && p->gateway != 0) {
			*pi = i;
			via = true;
		}
	}
	return via;
}

uint32_t
vg_cfg_next_hop(const struct vg_cfg *cfg, const struct vg_cfg_center *c)
{
	const struct vg_cfg_port *p = &cfg->ports[c->port];

	return vg_cfg_in_subnet(c->addr, p->addr, p->prefix) ? c->addr :
							       p->gateway;
}

uint32_t
vg_cfg_hop_on(const struct vg_cfg *cfg, unsigned pi, uint32_t addr)
{
	const struct vg_cfg_port *p = &cfg->ports[pi];

	return vg_cfg_in_subnet(addr, p->addr, p->prefix) ? addr : p->gateway;
}
