/* SPDX-License-Identifier: BSD-3-Clause */
/* The worker lcore: run to completion over bursts on every port. */
#ifndef VG_WORKER_H
#define VG_WORKER_H

#include "gw.h"

/* Set up w for gw: creates the engine and its streams.  0, or -1 with err. */
int vg_worker_init(struct vg_worker *w, struct vg_gw *gw,
		   const volatile bool *quit, char *err, size_t errlen);

/* lcore entry point (arg: struct vg_worker *); returns when *quit is set,
 * after flushing its tx buffers. */
int vg_worker_main(void *arg);

/* Free what vg_worker_init created. */
void vg_worker_fini(struct vg_worker *w);

#endif
