/* Per-stream token-bucket policer (DESIGN invariant 6): one camera, broken
 * or spoofed, can neither starve the backbone nor race its index.  Pure
 * code over a caller's clock (TSC cycles on the worker): unit-tested
 * without DPDK.  Owned by the stream's worker, no locks. */
#ifndef VG_POLICER_H
#define VG_POLICER_H

#include <stdbool.h>
#include <stdint.h>

struct vg_policer {
	uint64_t tokens;	/* in packets x hz: a packet costs hz */
	uint64_t last;		/* clock of the last refill */
	uint64_t rate;		/* packets per second */
	uint64_t cap;		/* burst x hz */
	uint64_t hz;		/* clock ticks per second */
	uint64_t fill;		/* ticks that fill an empty bucket */
};

/* A bucket of rate packets per second and burst packets, full at now.
 * rate, burst and hz > 0; burst x hz must fit 64 bits (burst <= 10^6 and
 * hz <= 10^12 do). */
void vg_policer_init(struct vg_policer *p, uint32_t rate, uint32_t burst,
		     uint64_t hz, uint64_t now);

/* true: the packet at clock now conforms and took a token; false: over
 * the rate, to be dropped.  A clock that goes backwards adds nothing. */
static inline bool
vg_policer_take(struct vg_policer *p, uint64_t now)
{
	if (now > p->last) {
		uint64_t dt = now - p->last;

		/* dt x rate may overflow after a long silence; below fill
		 * it stays under cap + rate. */
		if (dt >= p->fill || p->tokens + dt * p->rate > p->cap)
			p->tokens = p->cap;
		else
			p->tokens += dt * p->rate;
		p->last = now;
	}
	if (p->tokens < p->hz)
		return false;
	p->tokens -= p->hz;
	return true;
}

#endif
