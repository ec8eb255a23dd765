#include "replay.h"

uint64_t
vg_replay_estimate(const struct vg_replay *r, uint16_t seq)
{
	const uint32_t median = 1u << 15;
	uint32_t roc, local;

	/* Until the index passes the median there is nothing to wrap from:
	 * libsrtp takes ROC 0 there, and so must we to stay in step. */
	if (!r->started || r->top <= median)
		return seq;
	roc = (uint32_t)(r->top >> 16);
	local = (uint32_t)(r->top & 0xffff);
	if (local < median) {
		if ((uint32_t)seq > local + median)
			roc--;
	} else if (local - median > seq) {
		roc++;
	}
	return ((uint64_t)roc << 16) | seq;
}

bool
vg_replay_check(const struct vg_replay *r, uint64_t idx)
{
	uint64_t delta;

	if (!r->started || idx > r->top)
		return true;
	delta = r->top - idx;
	if (delta >= VG_REPLAY_WINDOW)
		return false;		/* stale: older than the window */
	return !(r->seen & (1ull << delta));
}

void
vg_replay_commit(struct vg_replay *r, uint64_t idx)
{
	uint64_t shift;

	if (!r->started) {
		r->started = true;
		r->top = idx;
		r->seen = 1;
		return;
	}
	if (idx > r->top) {
		shift = idx - r->top;
		r->seen = shift >= VG_REPLAY_WINDOW ? 0 : r->seen << shift;
		r->seen |= 1;
		r->top = idx;
		return;
	}
	r->seen |= 1ull << (r->top - idx);
}
