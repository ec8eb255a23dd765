/* SPDX-License-Identifier: BSD-3-Clause */
/* Subnets and next hops of the configured ports, for the checks that a
 * next hop is on-link and for routes to find their ports (vg_cfg_next_hop
 * and vg_cfg_hop_on, used at run time too, are declared in cfg.h).
 * Private to gateway/cfg/. */
#ifndef VG_CFG_NET_H
#define VG_CFG_NET_H

#include <stdbool.h>
#include <stdint.h>
#include "cfg.h"

/* Whether a is in net/prefix (addresses in network byte order; prefix 0
 * holds every address). */
bool vg_cfg_in_subnet(uint32_t a, uint32_t net, uint8_t prefix);

/* The first port of role `role` whose subnet holds addr, else the first of
 * that role with a gateway, into *pi; false (*pi unchanged) when there is
 * none. */
bool vg_cfg_port_toward(const struct vg_cfg *cfg, enum vg_port_role role,
			uint32_t addr, unsigned *pi);

#endif
