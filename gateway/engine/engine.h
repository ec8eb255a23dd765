/* SPDX-License-Identifier: BSD-3-Clause */
/* SRTP engines behind one ops table, chosen once at start-up (never an `if`
 * per packet).  Engines work on plain (pointer, length) buffers so that they
 * can be tested without DPDK.  An engine instance belongs to one lcore. */
#ifndef VG_ENGINE_H
#define VG_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include "drop.h"
#include "sdes.h"
#include "suite.h"

/* SRTP packets a receiver accepts out of order (RFC 3711 §3.3.2): the
 * replay window of every unprotect stream, in both engines. */
#define VG_UNPROTECT_WINDOW 1024

struct vg_crypto_op {
	uint8_t *data;		/* RTP or RTCP header; (un)protected in place */
	uint32_t len;		/* protect: in plain, out protected length;
				 * unprotect: in protected, out plain length */
	uint32_t stream;	/* stream id given to stream_add(_in) */
	uint64_t index;		/* RTP: 48-bit packet index (ROC << 16 | SEQ);
				 * protect: the one the gateway assigned
				 * (engines that track the index themselves
				 * must agree with it); unprotect: out, the
				 * one the receiver estimated.  SRTCP
				 * protect: the SRTCP index to use, above
				 * every one the stream used (0: the
				 * engine's next, for tests) */
	void *mbuf;		/* struct rte_mbuf holding data, or NULL when
				 * the engine needs none (libsrtp) */
	uint16_t hdr_len;	/* RTP header length (12 + CSRC + extension) */
	uint8_t rtcp;		/* 1: SRTCP */
	uint8_t status;		/* out: enum vg_drop, VG_DROP_NONE on success */
};

/* What an engine is created with. */
struct vg_engine_params {
	unsigned max_streams;
	const char *cryptodev;		/* AES-CM device: vdev string or name */
	const char *cryptodev_gcm;	/* AES-GCM device (may be the same) */
};

/* What an engine counts of its own, beyond the verdicts of its ops. */
struct vg_engine_stats {
	unsigned sessions;	/* crypto sessions alive (cryptodev: one per
				 * device, direction, suite and master key) */
	uint64_t lost_ops;	/* ops a device took and did not give back
				 * within the engine's wait (dropped) */
	uint64_t late_ops;	/* of them, given back later (and freed) */
};

struct vg_engine;

struct vg_engine_ops {
	const char *name;
	/* Create an engine for up to p->max_streams streams; NULL and err set
	 * on failure. */
	struct vg_engine *(*create)(const struct vg_engine_params *p,
				    char *err, size_t errlen);
	void (*destroy)(struct vg_engine *e);
	/* Set up stream id (< max_streams) for protecting SSRC ssrc with key.
	 * RTP and RTCP of the stream share the master key.  0, or -1 with err. */
	int (*stream_add)(struct vg_engine *e, uint32_t id, enum vg_suite suite,
			  const struct vg_master_key *key, uint32_t ssrc,
			  char *err, size_t errlen);
	/* Protect n ops in place.  Each op->data must have VG_SRTP_MAX_TRAILER
	 * writable bytes after op->len.  Sets op->status and op->len. */
	void (*protect_burst)(struct vg_engine *e, struct vg_crypto_op *ops,
			      uint16_t n);
	/* Set up stream id (< max_streams, never also given to stream_add) for
	 * unprotecting SRTP and SRTCP sent by SSRC ssrc under key: the engine
	 * keeps the receiver state (ROC estimate, SRTP replay window of
	 * VG_UNPROTECT_WINDOW packets, SRTCP index window of 128) as libsrtp
	 * does.  Adding an id again starts a fresh receiver.  0, or -1 with
	 * err (never key bytes in err). */
	int (*stream_add_in)(struct vg_engine *e, uint32_t id, enum vg_suite suite,
			     const struct vg_master_key *key, uint32_t ssrc,
			     char *err, size_t errlen);
	/* Unprotect n ops in place: in op->data/op->len the SRTP (op->rtcp 0)
	 * or SRTCP packet, op->stream an id from stream_add_in, op->mbuf as
	 * for protect.  The RTP header length is read from the packet itself,
	 * as libsrtp does (op->hdr_len is not used).  Out: op->status
	 * VG_DROP_NONE with op->len the plain length (and op->index the
	 * 48-bit packet index for RTP); or
	 *   VG_DROP_AUTH_FAIL: tag wrong, nothing of the receiver state changed;
	 *   VG_DROP_REPLAY: index seen, or older than the window;
	 *   VG_DROP_UNPROTECT_FAIL: too short, SSRC not the stream's, unknown
	 *     id or an id of stream_add, SRTCP E bit clear (AES-CM suites).
	 * Each op gets the verdict libsrtp would give the same packets in op
	 * order.  On a drop op->len is unchanged and the bytes after the RTP
	 * or RTCP header are unspecified (the packet must not be sent).  On
	 * success of an SRTCP op, op->index is its SRTCP index. */
	void (*unprotect_burst)(struct vg_engine *e, struct vg_crypto_op *ops,
				uint16_t n);
	/* Resume in-stream id as a receiver that has accepted indexes up to
	 * rtp - 1 (SRTP) and rtcp - 1 (SRTCP) and may have accepted any of
	 * them: nothing below rtp / rtcp is accepted again, and the ROC
	 * estimate goes on from rtp - 1 (a restart from the state file, a
	 * ROC announcement).  0 leaves that side as it is; so does a value
	 * not above what the receiver already accepted.  On the lcore that
	 * owns the engine (or before it runs).  0, or -1 for an id that is
	 * not an in-stream. */
	int (*rx_set)(struct vg_engine *e, uint32_t id, uint64_t rtp,
		      uint32_t rtcp);
	/* Bytes of engine state per stream (reported to operators). */
	size_t (*stream_size)(const struct vg_engine *e);
	/* Optional (NULL: nothing to add): fill st. */
	void (*stats)(const struct vg_engine *e, struct vg_engine_stats *st);
};

/* Every engine starts with this header. */
struct vg_engine {
	const struct vg_engine_ops *ops;
};

extern const struct vg_engine_ops vg_engine_libsrtp;
extern const struct vg_engine_ops vg_engine_cryptodev;	/* needs EAL */

/* Find an engine by name ("cryptodev", "libsrtp"); NULL if unknown. */
const struct vg_engine_ops *vg_engine_find(const char *name);

static inline void
vg_engine_protect_burst(struct vg_engine *e, struct vg_crypto_op *ops, uint16_t n)
{
	e->ops->protect_burst(e, ops, n);
}

static inline void
vg_engine_unprotect_burst(struct vg_engine *e, struct vg_crypto_op *ops,
			  uint16_t n)
{
	e->ops->unprotect_burst(e, ops, n);
}

#endif
