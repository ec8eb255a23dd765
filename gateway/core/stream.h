/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-stream protect state: SSRC rewrite and the packet index sent under
 * the stream's master key.  Pure code: unit-tested without DPDK.  Owned by
 * the stream's worker; the main lcore only reads next_out (atomically) to
 * know how far to reserve ahead (reserve.c).
 *
 * The gateway always rewrites the camera's SSRC to the configured one
 * (config validation proves those unique per master key, invariant 2) and
 * chooses the outgoing index itself, so that no index is ever used twice
 * under the key and receivers can always follow it (invariants 1, 3, 6):
 *  - the outgoing index of every camera epoch starts at next_out: the
 *    first packet of a key's life is index 0, and after a restart the
 *    first index is the durable reservation limit (reserve.c), above
 *    everything the stream may have used before;
 *  - a camera epoch ends when its SSRC changes or when its own index jumps
 *    forward by 2^15 or more, or back by VG_SEQ_RESET or more (a camera
 *    reset, or a spoofed packet): the new epoch carries on from next_out,
 *    so the outgoing index never moves by more than a receiver's estimate
 *    follows (RFC 3711 §3.3.1), and a reset camera is not stalled;
 *  - a jump that would land past the reservation limit starts a new
 *    epoch too; an index at or past the limit is refused, never used;
 *    the index space ends at 2^48 (the stream then needs a new key). */
#ifndef VG_STREAM_H
#define VG_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include "replay.h"

/* The end of the SRTP index space (RFC 3711 §3.3.1: 48 bits). */
#define VG_INDEX_END (1ull << 48)
/* ... and of the SRTCP index (RFC 3711 §3.4: 31 bits). */
#define VG_SRTCP_INDEX_END (1u << 31)
/* A camera-side forward jump this large starts a new epoch (a receiver
 * follows an index jump of at most 2^15 - 1). */
#define VG_SEQ_JUMP (1u << 15)
/* A camera index this far behind the newest is a reset, not a late
 * packet: a new epoch too (between the window and this: stale). */
#define VG_SEQ_RESET (1u << 12)
/* An epoch's first packet is not always the camera's first: a packet
 * sent just before it may arrive just after (seen at a camera's very
 * first packets).  The epoch keeps room for those below it, as far back
 * as the window reaches. */
#define VG_SEQ_SLACK (VG_REPLAY_WINDOW - 1)

struct vg_stream_seq {
	struct vg_replay in;	/* window over the camera's own index */
	uint64_t epoch_in;	/* camera index of the epoch's first packet */
	uint64_t next_out;	/* lowest out index not yet used; written by
				 * the worker, read by the main lcore */
	uint64_t epoch_base;	/* lowest out index of the epoch: next_out
				 * when it began (vg_stream_out_index) */
	uint32_t in_ssrc;	/* camera SSRC the window belongs to */
	uint32_t ssrc_changes;	/* epochs begun by a new camera SSRC */
	uint32_t seq_jumps;	/* epochs begun by a jump (VG_SEQ_JUMP,
				 * VG_SEQ_RESET) */
	bool started;
};

enum vg_seq_verdict {
	VG_SEQ_OK,
	VG_SEQ_REPLAY,		/* duplicate or stale: not to be sent */
	VG_SEQ_NO_RESERVATION,	/* index >= limit: not durably reserved */
	VG_SEQ_EXHAUSTED,	/* index space used up: the key must change */
};

/* Start a stream whose indexes below next_out may have been used (0 for a
 * key's first use, else the durable reservation limit found at start). */
void vg_stream_seq_init(struct vg_stream_seq *s, uint64_t next_out);

/* Map a camera packet (ssrc, seq) to the index to protect it under, at
 * most limit - 1 (the durable reservation).  VG_SEQ_OK with *out_index
 * set and the index committed; any other verdict leaves the window and
 * next_out as they were (an epoch change may already be recorded). */
enum vg_seq_verdict vg_stream_next_index(struct vg_stream_seq *s,
					 uint32_t ssrc, uint16_t seq,
					 uint64_t limit, uint64_t *out_index);

/* The out index of camera index in (in + VG_SEQ_SLACK >= s->epoch_in):
 * the epoch's first packet gets epoch_base + VG_SEQ_SLACK, the packets
 * the camera sent just before it the indexes below. */
static inline uint64_t
vg_stream_out_index(const struct vg_stream_seq *s, uint64_t in)
{
	return in + VG_SEQ_SLACK - s->epoch_in + s->epoch_base;
}

/* next_out as the main lcore reads it while the worker runs. */
static inline uint64_t
vg_stream_used(const struct vg_stream_seq *s)
{
	return __atomic_load_n(&s->next_out, __ATOMIC_RELAXED);
}

/* Rewrite the sender SSRC of every packet of an RTCP compound (SR, RR,
 * SDES first chunk, BYE first source; other types untouched) to ssrc (host
 * order), stopping at the first malformed length.  Returns the number of
 * packets rewritten. */
unsigned vg_stream_rtcp_set_ssrc(uint8_t *p, uint32_t len, uint32_t ssrc);

/* Feedback toward a camera: in an RTCP compound, replace the SSRC `from`
 * with `to` where it names the media source reported on: report blocks of
 * SR and RR, the media source of RTPFB/PSFB feedback (NACK, PLI, ...) and
 * the FIR entries (RFC 3550, 4585, 5104).  Stops at the first malformed
 * length.  Returns the number of fields rewritten. */
unsigned vg_stream_rtcp_set_media(uint8_t *p, uint32_t len, uint32_t from,
				  uint32_t to);

/* Index reservations (reserve.h in the gateway): SRTP indexes reserved
 * ahead of the last one used, the largest jump a restart can make, kept
 * 4,096 below 2^15 for packets lost in flight. */
#define VG_RESERVE_AHEAD ((1u << 15) - (1u << 12))
/* SRTCP indexes reserved ahead (libsrtp's receiver follows any jump). */
#define VG_RESERVE_RTCP_AHEAD 1024u

#endif
