/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-stream policer (DESIGN invariant 6): one camera, broken or spoofed,
 * can neither starve the backbone nor race its index, and a flood of
 * forged SRTP on a route costs bounded crypto.  The generic cell rate
 * algorithm (a token bucket seen as a schedule): a packet conforms when it
 * comes no earlier than `tat` (its theoretical arrival time) less the
 * burst's worth of intervals.  16 bytes, so that it shares a cache line
 * with the rest of a stream's per-packet state.  Pure code over a caller's
 * clock (TSC cycles on the worker): unit-tested without DPDK.  Owned by the
 * stream's worker, no locks. */
#ifndef VG_POLICER_H
#define VG_POLICER_H

#include <stdbool.h>
#include <stdint.h>

struct vg_policer {
	uint64_t tat;		/* theoretical arrival time of the next */
	uint32_t interval;	/* clock ticks per packet at the rate */
	uint32_t burst;		/* packets that may come at once */
};

/* rate packets per second, burst packets, on a clock of hz ticks per
 * second (rate, burst > 0), full at now.  A rate so low that an interval
 * does not fit 32 bits (below 1 packet/s at 4.3 GHz) gets the longest. */
void vg_policer_init(struct vg_policer *p, uint32_t rate, uint32_t burst,
		     uint64_t hz, uint64_t now);

/* true: the packet at clock now conforms and is counted; false: over the
 * rate, to be dropped (and not counted).  A clock that goes backwards
 * gives nothing. */
static inline bool
vg_policer_take(struct vg_policer *p, uint64_t now)
{
	uint64_t tau = (uint64_t)(p->burst - 1) * p->interval;

	if (p->tat > now + tau)
		return false;
	p->tat = (p->tat > now ? p->tat : now) + p->interval;
	return true;
}

#endif
