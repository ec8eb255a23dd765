/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include "replay.h"

uint64_t
vg_replay_estimate(const struct vg_replay *r, uint16_t seq)
{
	/* Until the index passes the median there is nothing to wrap from:
	 * libsrtp takes ROC 0 there, and so must we to stay in step. */
	if (!vg_replay_started(r))
		return seq;
	return vg_replay_guess(r->top, seq);
}

bool
vg_replay_check(const struct vg_replay *r, uint64_t idx)
{
	uint64_t delta;

	if (!vg_replay_started(r) || idx > r->top)
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

	if (!vg_replay_started(r)) {
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

/* RFC 3711 §3.3.1 as libsrtp's srtp_index_guess() computes it: the
 * candidate ROC-1, ROC or ROC+1 nearest to top, ties as libsrtp breaks
 * them (the window is [top-2^15+1, top+2^15] when SEQ(top) < 2^15,
 * [top-2^15, top+2^15-1] otherwise). */
uint64_t
vg_replay_guess(uint64_t top, uint16_t seq)
{
	const uint32_t median = 1u << 15;
	uint32_t roc, local;

	/* libsrtp takes ROC 0 here so as never to guess ROC 0xffffffff. */
	if (top <= median)
		return seq;
	roc = (uint32_t)(top >> 16);
	local = (uint32_t)(top & 0xffff);
	if (local < median) {
		if ((uint32_t)seq > local + median)
			roc--;
	} else if (local - median > seq) {
		roc++;
	}
	return ((uint64_t)roc << 16) | seq;
}

uint64_t
vg_replay_rx_estimate(const struct vg_replay_rx *r, uint16_t seq)
{
	return vg_replay_guess(r->top, seq);
}

static inline bool
rx_bit(const struct vg_replay_rx *r, uint64_t idx)
{
	unsigned b = (unsigned)(idx % VG_REPLAY_RX_WINDOW);

	return r->seen[b / 64] >> (b % 64) & 1;
}

bool
vg_replay_rx_check(const struct vg_replay_rx *r, uint64_t idx)
{
	if (idx > r->top)
		return true;
	if (r->top - idx >= VG_REPLAY_RX_WINDOW)
		return false;
	return !rx_bit(r, idx);
}

void
vg_replay_rx_commit(struct vg_replay_rx *r, uint64_t idx)
{
	unsigned b;

	if (idx > r->top) {
		/* The ring positions of top+1 .. idx held indexes that just
		 * left the window: clear them. */
		if (idx - r->top >= VG_REPLAY_RX_WINDOW) {
			memset(r->seen, 0, sizeof(r->seen));
		} else {
			for (uint64_t i = r->top + 1; i < idx; i++) {
				b = (unsigned)(i % VG_REPLAY_RX_WINDOW);
				r->seen[b / 64] &= ~(1ull << (b % 64));
			}
		}
		r->top = idx;
	} else if (r->top - idx >= VG_REPLAY_RX_WINDOW) {
		return;
	}
	b = (unsigned)(idx % VG_REPLAY_RX_WINDOW);
	r->seen[b / 64] |= 1ull << (b % 64);
}
