/* SPDX-License-Identifier: BSD-3-Clause */
/* Cross-item checks, each run by the loader once the sections it needs are
 * parsed; each prints its own errors, on the later item, naming the
 * earlier one.  Private to gateway/cfg/. */
#ifndef VG_CFG_CHECK_H
#define VG_CFG_CHECK_H

struct vg_cfg_ctx;

/* check.c: unique names, devices, roles; centers' next hops; camera
 * flows; route arrivals against cameras and routes. */
void vg_cfg_check_ports(struct vg_cfg_ctx *c);
void vg_cfg_check_centers(struct vg_cfg_ctx *c);
void vg_cfg_check_cameras(struct vg_cfg_ctx *c);
void vg_cfg_check_routes(struct vg_cfg_ctx *c);

/* Invariant 2 over every stream (ssrc.c), once cameras and routes are
 * parsed: no two of the camera entries' SSRCs, the routes' SSRCs and all
 * their feedback SSRCs are equal under one master key. */
void vg_cfg_check_ssrcs(struct vg_cfg_ctx *c);

#endif
