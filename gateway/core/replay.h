/* SPDX-License-Identifier: BSD-3-Clause */
/* Replay windows over the 48-bit packet index (ROC << 16 | SEQ) of RFC 3711
 * §3.3.1.  Pure code: unit-tested without DPDK.
 *  - struct vg_replay: the protect side (security invariant 1: never
 *    encrypt two packets under the same (key, SSRC, index)), 64 packets.
 *  - struct vg_replay_rx: the receiver of SRTP (unprotect), 1024 packets,
 *    with exactly libsrtp's srtp_rdbx semantics so that an engine holding
 *    it refuses the packets libsrtp refuses. */
#ifndef VG_REPLAY_H
#define VG_REPLAY_H

#include <stdbool.h>
#include <stdint.h>

#define VG_REPLAY_WINDOW 64

struct vg_replay {
	uint64_t top;		/* highest index accepted so far */
	uint64_t seen;		/* bit i set: index top - i accepted; 0:
				 * nothing accepted yet (bit 0 is top's) */
};

/* true once an index was accepted. */
static inline bool
vg_replay_started(const struct vg_replay *r)
{
	return r->seen != 0;
}

/* Estimate the 48-bit index of sequence number seq (RFC 3711 §3.3.1, with
 * libsrtp's rule that the first packets of a stream have ROC 0), so that the
 * gateway and libsrtp agree on every packet's index. */
uint64_t vg_replay_estimate(const struct vg_replay *r, uint16_t seq);

/* true if idx was never accepted and is not older than the window. */
bool vg_replay_check(const struct vg_replay *r, uint64_t idx);

/* Record idx as used (call only after vg_replay_check returned true). */
void vg_replay_commit(struct vg_replay *r, uint64_t idx);

/* libsrtp's index estimate (srtp_rdbx_estimate_index): while the highest
 * index top is at most 2^15 the ROC is taken as 0, otherwise the index
 * with low bits seq nearest to top.  Non-decreasing in top. */
uint64_t vg_replay_guess(uint64_t top, uint16_t seq);

#define VG_REPLAY_RX_WINDOW 1024

/* Receiver window.  All zero is the state of a fresh libsrtp stream: top 0
 * and nothing seen, so the first packet of any sequence number is accepted
 * with ROC 0 (index 0 included).  The bitmap is a ring: bit (i mod 1024)
 * stands for index i, for i in (top - 1024, top]. */
struct vg_replay_rx {
	uint64_t top;		/* highest index accepted so far */
	uint64_t seen[VG_REPLAY_RX_WINDOW / 64];
};

/* Index of a packet with sequence number seq (vg_replay_guess). */
uint64_t vg_replay_rx_estimate(const struct vg_replay_rx *r, uint16_t seq);

/* true if idx is newer than top, or within the window and not seen. */
bool vg_replay_rx_check(const struct vg_replay_rx *r, uint64_t idx);

/* Record idx as accepted (only once its packet is authenticated).  Commits
 * of a burst may come in any order: an index already older than the
 * window is ignored, so the result is the same as in packet order. */
void vg_replay_rx_commit(struct vg_replay_rx *r, uint64_t idx);

#endif
