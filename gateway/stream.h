/* Per-stream protect state: SSRC rewrite and the packet index sent under
 * the stream's master key.  Pure code: unit-tested without DPDK.
 *
 * The gateway always rewrites the camera's SSRC to the configured one
 * (config validation proves those unique per master key, invariant 2).  A
 * camera that restarts picks a new random SSRC and sequence: the outgoing
 * index then continues from the last one sent instead of following the
 * camera, so no index is ever used twice under the key. */
#ifndef VG_STREAM_H
#define VG_STREAM_H

#include <stdbool.h>
#include <stdint.h>
#include "replay.h"

struct vg_stream_seq {
	struct vg_replay in;	/* window over the camera's own index */
	uint64_t offset;	/* out index = in index + offset */
	uint64_t next_out;	/* lowest out index not yet used */
	uint64_t epoch_base;	/* first out index of the current SSRC epoch */
	uint32_t in_ssrc;	/* camera SSRC the window belongs to */
	uint32_t ssrc_changes;
	bool started;
};

enum vg_seq_verdict { VG_SEQ_OK, VG_SEQ_REPLAY };

/* Map a camera packet (ssrc, seq) to the index to protect it under.
 * Returns VG_SEQ_REPLAY for a duplicate or stale packet (not to be sent),
 * else VG_SEQ_OK with *out_index set. */
enum vg_seq_verdict vg_stream_next_index(struct vg_stream_seq *s,
					 uint32_t ssrc, uint16_t seq,
					 uint64_t *out_index);

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

#endif
