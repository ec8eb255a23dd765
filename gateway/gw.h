/* SPDX-License-Identifier: BSD-3-Clause */
/* The gateway's life: build the data plane's tables and the worker from
 * a loaded config, and tear them down again (gw.c, main lcore only). */
#ifndef VG_GW_H
#define VG_GW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "context.h"

struct vg_worker;		/* worker.h */

/* Build everything from gw->cfg (loaded by the caller): mbuf pool, ports,
 * neighbours, streams, flow table, engine and worker context w.  0, or -1
 * with err set and whatever was built torn down again. */
int vg_gw_setup(struct vg_gw *gw, struct vg_worker *w,
		const volatile bool *quit, char *err, size_t errlen);

/* After the worker has returned: close ports (their queues give mbufs
 * back), free the engine, flow table and streams, then check the pool is
 * full again and say so on out ("mempool A/S ok" or "... LEAK N").  Returns
 * 0, or 1 on a leak.  Frees the config too. */
int vg_gw_teardown(struct vg_gw *gw, struct vg_worker *w, FILE *out);

/* The name of stream i in counters and telemetry: a camera's label, a
 * route's name, or "feedback:" and either; into buf. */
const char *vg_gw_stream_name(const struct vg_gw *gw, unsigned i, char *buf,
			      size_t len);

#endif
