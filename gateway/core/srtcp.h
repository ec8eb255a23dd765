/* SPDX-License-Identifier: BSD-3-Clause */
/* SRTCP protection and unprotection with OpenSSL (RFC 3711 §3.4, RFC 7714
 * §9) for the cryptodev engine: RTCP is a few packets per second per
 * stream, so the per-stream state is only the session keys, the SRTCP
 * index and (receiving) its replay window, not a libsrtp session (about
 * 30 KB each).  Byte-identical to libsrtp, and it refuses what libsrtp
 * refuses.  Pure code: unit-tested against
 * libsrtp without DPDK.  Not thread-safe: one context per lcore. */
#ifndef VG_SRTCP_H
#define VG_SRTCP_H

#include <stdbool.h>
#include <stdint.h>
#include "drop.h"
#include "kdf.h"
#include "suite.h"

struct vg_srtcp_stream {
	struct vg_session_keys keys;	/* SRTCP session keys */
	uint32_t index;			/* last SRTCP index used (31 bits) */
	uint32_t ssrc;
	uint8_t tag_len;
	uint8_t aead;
};

/* Receiver window over SRTCP indexes, as libsrtp's srtp_rdb_t: 128
 * indexes from start (bit k: start + k accepted); anything below start is
 * refused, anything past the window moves it.  All zero is a fresh one. */
struct vg_srtcp_replay {
	uint64_t bits[2];
	uint32_t start;
};

struct vg_srtcp_ctx;

/* NULL when OpenSSL cannot allocate. */
struct vg_srtcp_ctx *vg_srtcp_ctx_new(void);
void vg_srtcp_ctx_free(struct vg_srtcp_ctx *c);

/* Derive the SRTCP keys of (suite, master key) for ssrc.  0 or -1. */
int vg_srtcp_stream_init(struct vg_srtcp_stream *s, enum vg_suite suite,
			 const struct vg_master_key *mk, uint32_t ssrc);

/* Protect the RTCP compound p of *len bytes in place; p must have
 * VG_SRTP_MAX_TRAILER writable bytes after it.  The first packet gets
 * index 1, as with libsrtp.  0, or -1 (bad packet, SSRC not the stream's,
 * index space exhausted, OpenSSL failure) leaving *len unchanged. */
int vg_srtcp_protect(struct vg_srtcp_ctx *c, struct vg_srtcp_stream *s,
		     uint8_t *p, uint32_t *len);

/* The same with the SRTCP index given: index, which must be above every
 * index s used so far (0: the next one, as vg_srtcp_protect).  0 or -1. */
int vg_srtcp_protect_at(struct vg_srtcp_ctx *c, struct vg_srtcp_stream *s,
			uint64_t index, uint8_t *p, uint32_t *len);

/* The SRTCP index of packet p of len bytes (the E bit cleared), for a
 * stream of this suite shape (AEAD: after the tag, RFC 7714 §9; else
 * before it, RFC 3711 §3.4), or -1 when p is too short to hold it.  Reads
 * only: call it before unprotecting. */
int64_t vg_srtcp_index_of(const uint8_t *p, uint32_t len, bool aead,
			  uint8_t tag_len);

/* Receiver state of a stream that continues after a restart: indexes
 * below rtcp are refused (as libsrtp's srtp_rdb_t with window_start
 * rtcp); nothing changes when the window is already past it. */
void vg_srtcp_replay_floor(struct vg_srtcp_replay *r, uint32_t rtcp);

/* Unprotect the SRTCP packet p of *len bytes in place, sent by s's SSRC
 * under s's keys, checking and updating r.  Returns VG_DROP_NONE with *len
 * the RTCP length; VG_DROP_AUTH_FAIL (r unchanged); VG_DROP_REPLAY;
 * VG_DROP_UNPROTECT_FAIL (too short, another SSRC, E bit clear with an
 * AES-CM suite).  GCM packets with the E bit clear are authenticated only
 * (RFC 7714 §9.3), as libsrtp accepts them. */
uint8_t vg_srtcp_unprotect(struct vg_srtcp_ctx *c,
			   const struct vg_srtcp_stream *s,
			   struct vg_srtcp_replay *r, uint8_t *p,
			   uint32_t *len);

#endif
