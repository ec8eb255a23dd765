/* Protect-side replay window (security invariant 1): never encrypt two
 * packets under the same (key, SSRC, index).  A 64-packet sliding window
 * over the 48-bit packet index (ROC << 16 | SEQ) of RFC 3711 §3.3.1.
 * Pure code: unit-tested without DPDK. */
#ifndef VG_REPLAY_H
#define VG_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#define VG_REPLAY_WINDOW 64

struct vg_replay {
	uint64_t top;		/* highest index accepted so far */
	uint64_t seen;		/* bit i set: index top - i accepted */
	bool started;
};

/* Estimate the 48-bit index of sequence number seq (RFC 3711 §3.3.1, with
 * libsrtp's rule that the first packets of a stream have ROC 0), so that the
 * gateway and libsrtp agree on every packet's index. */
uint64_t vg_replay_estimate(const struct vg_replay *r, uint16_t seq);

/* true if idx was never accepted and is not older than the window. */
bool vg_replay_check(const struct vg_replay *r, uint64_t idx);

/* Record idx as used (call only after vg_replay_check returned true). */
void vg_replay_commit(struct vg_replay *r, uint64_t idx);

#endif
