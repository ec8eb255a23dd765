/* SPDX-License-Identifier: BSD-3-Clause */
/* ROC announcements (DESIGN invariant 8): an SRTP receiver must know a
 * stream's rollover counter, and no SDP attribute carries it, so a
 * receiver that joins late, or restarts after the stream wrapped, cannot
 * decode on its own.  SRTCP carries its index in every packet, so a
 * receiver can always authenticate SRTCP: once a second a Vigie PoP sends,
 * on each stream's SRTCP, an empty receiver report and an APP packet named
 * "VGRC" (RFC 3550 §6.7) stating the stream's next SRTP index.  A Vigie
 * center gateway that authenticated it and finds its receiver far behind
 * resumes the receiver there (engine rx_set); third-party receivers ignore
 * it (an APP packet they do not know, RFC 3550 §6.7).
 *
 * Layout, 28 bytes, network order:
 *   RR   V=2 RC=0 PT=201 length 1, SSRC
 *   APP  V=2 subtype 0 PT=204 length 4, SSRC, "VGRC",
 *        version (1), 0, next SRTP index (48 bits)
 *
 * Pure code over (pointer, length): unit-tested and fuzzed. */
#ifndef VG_ANNOUNCE_H
#define VG_ANNOUNCE_H

#include <stdbool.h>
#include <stdint.h>

#define VG_ANNOUNCE_LEN 28

/* Write the announcement of stream ssrc whose next index is next (< 2^48)
 * into p (VG_ANNOUNCE_LEN bytes).  Returns VG_ANNOUNCE_LEN. */
uint32_t vg_announce_build(uint8_t *p, uint32_t ssrc, uint64_t next);

/* Look for an announcement of ssrc in the RTCP compound p of len bytes
 * (stopping at the first malformed length).  true with *next set when
 * found; *only then says whether the compound is nothing else (the
 * receiver consumes it instead of passing it on). */
bool vg_announce_parse(const uint8_t *p, uint32_t len, uint32_t ssrc,
		       uint64_t *next, bool *only);

#endif
