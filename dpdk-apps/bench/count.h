/* SPDX-License-Identifier: BSD-3-Clause */
/* The worker's counters as vigie-bench reads them, from the driver's
 * lcore while the worker counts: relaxed atomic loads, or the compiler may
 * hoist them out of a polling loop (it did: the center's loop never saw
 * the last packets leave). */
#ifndef VG_BENCH_COUNT_H
#define VG_BENCH_COUNT_H

#include <stdint.h>
#include "worker.h"

/* Packets the worker has sent on port (ports[] index). */
static inline uint64_t
vg_bench_sent(const struct vg_worker *w, unsigned port)
{
	return __atomic_load_n(&w->port[port].tx, __ATOMIC_RELAXED);
}

/* Packets the worker has dropped, every reason. */
static inline uint64_t
vg_bench_drops(const struct vg_worker *w)
{
	uint64_t d = 0;

	for (unsigned r = 1; r < VG_DROP_COUNT; r++)
		d += __atomic_load_n(&w->drops[r], __ATOMIC_RELAXED);
	return d;
}

#endif
