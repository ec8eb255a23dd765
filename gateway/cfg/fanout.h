/* SPDX-License-Identifier: BSD-3-Clause */
/* Fan-out: camera.c collects each `destinations` item of a camera in
 * ctx->fan as it parses; fanout.c expands the cameras into one camera
 * entry per destination.  Private to gateway/cfg/. */
#ifndef VG_CFG_FANOUT_H
#define VG_CFG_FANOUT_H

#include "cfg.h"
#include "ctx.h"

/* A camera's destination as parsed, before the expansion. */
struct vg_cfg_fan {
	unsigned cam;				/* camera index, parse order */
	struct vg_cfg_camera dest;		/* destination fields only */
	struct vg_cfg_src src;
};

/* One camera entry per destination, consecutive; labels set. */
void vg_cfg_expand_fanout(struct vg_cfg_ctx *c);

#endif
