/* SPDX-License-Identifier: BSD-3-Clause */
/* The sections of a config file, one parser each, called by the loader
 * (load.c) in this order: the `gateway` group first (sections take their
 * defaults from it), then ports, neighbours, centers, cameras and
 * `unprotect` routes (each may name items of the ones before).  Each fills
 * its part of c->cfg and records where its items came from; the checks
 * across items are check.h's.  Private to gateway/cfg/. */
#ifndef VG_CFG_SECTIONS_H
#define VG_CFG_SECTIONS_H

#include <libconfig.h>

struct vg_cfg;
struct vg_cfg_ctx;

/* Names of centers, cameras and routes; VG_NAME_MAX is cfg.h's. */
#define VG_CFG_ITEM_NAME_MAX (VG_NAME_MAX - 1)
/* The policer (gateway defaults, a camera's own): max_pps 1..this, ... */
#define VG_CFG_MAX_PPS 10000000u
#define VG_CFG_MAX_BURST 1000000u	/* ... max_burst 1..this */

/* The defaults of every gateway-wide setting (*cfg zeroed first). */
void vg_cfg_gateway_defaults(struct vg_cfg *cfg);

void vg_cfg_load_gateway(struct vg_cfg_ctx *c, const config_setting_t *root);
void vg_cfg_load_ports(struct vg_cfg_ctx *c, const config_setting_t *root);
void vg_cfg_load_neighs(struct vg_cfg_ctx *c, const config_setting_t *root);
void vg_cfg_load_centers(struct vg_cfg_ctx *c, const config_setting_t *root);
/* Cameras, then one camera entry per destination (fan-out). */
void vg_cfg_load_cameras(struct vg_cfg_ctx *c, const config_setting_t *root);
void vg_cfg_load_routes(struct vg_cfg_ctx *c, const config_setting_t *root);

#endif
