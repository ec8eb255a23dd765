/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the cryptodev engine: one header for its files and for the
 * white-box test (tests/dpdk/test_cryptodev.c).  The rest of the gateway
 * sees only the ops table, vg_engine_cryptodev in engine.h.
 *
 * Its files, from the top; calls go down this list only (protect.c and
 * unprotect.c never call each other, nothing calls ops.c):
 *   ops.c        the ops table: create, destroy, stream set-up, sizes,
 *                counters
 *   protect.c    protect_burst
 *   unprotect.c  unprotect_burst, rx_set: the receiver's verdicts
 *   run.c        the crypto of a burst: ops filled, through a device and
 *                back within a bounded wait; GCM through CPU crypto or
 *                OpenSSL; prefetch
 *   keys.c       what a stream id holds (session keys from the KDF, a share
 *                of its master key's session, SRTCP keys, an in-stream's
 *                receiver state): set up, let go, wiped
 *   dev.c        crypto devices: open, capabilities, session pools, close
 * The sections below follow the same order, bottom first. */
#ifndef VG_CDEV_H
#define VG_CDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <openssl/evp.h>
#include <rte_crypto.h>
#include <rte_mempool.h>
#include "engine.h"
#include "kdf.h"
#include "replay.h"
#include "srtcp.h"
#include "suite.h"

/* A crypto op's private area, from VG_CDEV_IV_OFF: the IV, the HMAC digest
 * scratch, the op's place in its burst (ref), the run that sent it. */
#define VG_CDEV_IV_OFF (sizeof(struct rte_crypto_op) + \
			sizeof(struct rte_crypto_sym_op))
#define VG_CDEV_DIGEST_OFF (VG_CDEV_IV_OFF + 16)
#define VG_CDEV_REF_OFF (VG_CDEV_DIGEST_OFF + 20)	/* uint16_t */
#define VG_CDEV_RUN_OFF (VG_CDEV_REF_OFF + 4)		/* uint64_t */
#define VG_CDEV_PRIV_SIZE 48

_Static_assert(VG_CDEV_RUN_OFF % 8 == 0 &&
	       VG_CDEV_RUN_OFF + 8 <= VG_CDEV_IV_OFF + VG_CDEV_PRIV_SIZE,
	       "the run stamp fits the private area, aligned");

/* What a GCM session is made for: the 12-byte RTP header (no CSRC, no
 * extension: what cameras send) as AAD, a 16-byte tag. */
#define VG_CDEV_GCM_AAD 12
#define VG_CDEV_GCM_TAG 16
/* Ops of one burst the engine takes (the rest fail). */
#define VG_CDEV_BURST 64

/* ---- dev.c: crypto devices ---------------------------------------------
 * Probe by vdev string or find by name, check the algorithms a suite
 * needs, set up one queue pair, and make sessions from pools that grow as
 * sessions are asked for (a region whose cameras share their center's key
 * needs a handful, one with a key per camera as many as cameras: neither
 * pays for the other). */

#define VG_CDEV_POOLS 26		/* doubling pools: 8 << 25 sessions */

struct vg_cdev {
	uint8_t id;			/* cryptodev id */
	bool cpu_crypto;		/* offers rte_cryptodev_sym_cpu_crypto_process */
	bool started;
	unsigned n_pools;
	struct rte_mempool *pools[VG_CDEV_POOLS];
	unsigned sess_slots;		/* sessions the pools can hold */
	unsigned sess_live;		/* sessions made and not freed */
	unsigned sess_elt;		/* bytes of one session (pool element) */
	unsigned sess_bytes;		/* of it prefetched per packet */
	char name[64];
};

/* Open the device named by dev (vdev string, or existing device name).
 * 0, or -1 with err set. */
int vg_cdev_open(struct vg_cdev *d, const char *dev, char *err,
		 size_t errlen);

/* true if the device can run suite (cipher, auth and tag sizes). */
bool vg_cdev_supports(const struct vg_cdev *d, enum vg_suite suite);

/* A session of xform on d, from a new pool when the others are full.
 * NULL when the device refuses it or memory runs out. */
void *vg_cdev_session_create(struct vg_cdev *d,
			     struct rte_crypto_sym_xform *xform);
/* Free sess, its keys zeroed (by DPDK, else here). */
void vg_cdev_session_free(struct vg_cdev *d, void *sess);

/* Zero every object of mp (free or not), before freeing it: sessions hold
 * key schedules, crypto ops IVs made from salts. */
void vg_cdev_pool_wipe(struct rte_mempool *mp);

/* Stop d and free its pools, wiped (sessions still alive included). */
void vg_cdev_close(struct vg_cdev *d);

/* ---- The engine's state -------------------------------------------------
 * Owned by one lcore's engine; ops.c makes and frees it, keys.c fills a
 * stream's entries, protect.c and unprotect.c read them (unprotect.c also
 * writes the receiver state). */

enum { VG_CDEV_DEV_CM, VG_CDEV_DEV_GCM };	/* index of ce->dev[] */

/* Hot per-stream state: read for every packet. */
struct vg_cdev_stream {
	void *sess;			/* cryptodev session (SRTP keys) */
	uint8_t salt[14];		/* session salt */
	uint8_t aead;
	uint8_t tag_len;
	uint8_t dev;			/* VG_CDEV_DEV_CM or _GCM */
	uint8_t key_len;
	uint8_t in;			/* 1: unprotects (stream_add_in) */
	uint32_t ssrc;
};

/* Receiver state of an in-stream, as libsrtp keeps it: all zero is a
 * fresh receiver. */
struct vg_cdev_rx {
	struct vg_replay_rx rtp;	/* SRTP: top index and window */
	struct vg_srtcp_replay rtcp;	/* SRTCP index window */
};

/* One cryptodev session per device, direction, suite and master key: the
 * SRTP session keys come from the master key alone (RFC 3711 §4.3: the KDF
 * takes no SSRC; the SSRC enters each packet's IV), so the streams of all
 * cameras sharing a center's key share one key schedule.  Found by a digest
 * of what the session depends on: the table holds no key. */
struct vg_cdev_key {
	uint8_t digest[32];		/* SHA-256 of dev, in, suite, key */
	void *sess;			/* NULL once its last stream is gone */
	uint32_t refs;
	uint8_t used;
};

struct vg_cdev_engine {
	struct vg_engine hdr;
	struct vg_cdev devs[2];
	struct vg_cdev *dev[2];		/* by VG_CDEV_DEV_*; shared: devs[0] */
	bool shared;			/* one device serves both */
	struct rte_mempool *op_pool;
	struct vg_srtcp_ctx *srtcp;	/* OpenSSL contexts for SRTCP */
	EVP_CIPHER_CTX *gcm;		/* OpenSSL: GCM with other AAD lengths */
	unsigned max_streams;
	unsigned n_in;			/* in-streams set up so far */
	struct vg_cdev_stream *streams;
	uint8_t (*gcm_keys)[32];	/* cold: only for the OpenSSL path */
	struct vg_srtcp_stream *rtcp;	/* cold: SRTCP keys and index */
	struct vg_cdev_rx **rx;		/* in-streams: receiver state */
	struct vg_cdev_key *keys;	/* open addressing, keys_mask + 1 slots */
	unsigned keys_mask;
	uint32_t *key_of;		/* cold: stream id -> keys slot */
	unsigned n_set;			/* streams with a session */
	/* Bounded wait for the device (vg_cdev_run). */
	uint64_t wait_tsc;		/* TSC cycles to wait for missing ops */
	uint64_t run;			/* stamp of the latest run's ops */
	uint64_t lost_ops;		/* ops the device never gave back in time */
	uint64_t late_ops;		/* of them, given back later and freed */
	unsigned n_spare;		/* stand-ins for lost ops: */
	struct rte_crypto_op *spare[VG_CDEV_BURST];
};

static inline struct vg_cdev_engine *
vg_cdev_from(struct vg_engine *e)
{
	return (struct vg_cdev_engine *)e;
}

/* ---- keys.c: what a stream id holds --------------------------------- */

/* The session of SRTP suite si with session keys k on d, for protecting
 * (in false) or unprotecting; NULL as vg_cdev_session_create. */
void *vg_cdev_srtp_session(struct vg_cdev *d, const struct vg_suite_info *si,
			   const struct vg_session_keys *k, bool in);

/* Set up stream id for suite, key and ssrc: session keys, a share of the
 * cryptodev session of (device, direction, suite, key), SRTCP keys, and
 * for an in-stream (in) a fresh receiver state.  What the id held before
 * is let go first, unless the suite, id, device or key length is refused.
 * 0, or -1 with err (never key bytes in it). */
int vg_cdev_stream_set(struct vg_cdev_engine *ce, uint32_t id,
		       enum vg_suite suite, const struct vg_master_key *key,
		       uint32_t ssrc, bool in, char *err, size_t errlen);

/* Let go of what stream id holds, its key copies wiped (the last stream
 * of a key frees the key's session); nothing if it holds nothing. */
void vg_cdev_stream_release(struct vg_cdev_engine *ce, uint32_t id);

/* Bytes of receiver state one in-stream takes, allocation included. */
size_t vg_cdev_rx_size(void);

/* ---- run.c: the crypto of a burst --------------------------------------- */

/* Per packet, inline (fill.h): vg_cdev_prefetch, vg_cdev_op_fill. */

/* Enqueue n filled ops on device dev and wait for them, but not forever:
 * a device may lose an op (QAT).  done receives n ops in completion
 * order, each to be handed back to the op pool by the caller: those the
 * device completed, then, once ce->wait_tsc has passed without the rest,
 * one op with status RTE_CRYPTO_OP_STATUS_ERROR for each op missing, a
 * copy of its private area (ref, digest) when the device took it.  An op
 * the device took and did not give back is never handed back to the pool,
 * nor its mbuf (one reference more: the caller still frees it once) while
 * the device may still write them; should it give them back later, a later
 * run frees them.  Returns n. */
unsigned vg_cdev_run(struct vg_cdev_engine *ce, uint8_t dev,
		     struct rte_crypto_op **cops, struct rte_crypto_op **done,
		     unsigned n);

/* One CPU-crypto call for the GCM packets p[0..n) under stream s's
 * session (they share it): packet i is its 12-byte RTP header (the AAD),
 * body_len[i] bytes to encrypt or decrypt, then the tag; iv[i] its IV.
 * status[i]: 0 when done (decrypting: and the tag verified), EBADMSG for
 * a wrong tag (aesni_gcm), anything else for a failure.  (Not const
 * arrays: gcc 12 then takes the callers' arrays for uninitialized.) */
void vg_cdev_gcm_cpu(const struct vg_cdev_engine *ce,
		     const struct vg_cdev_stream *s, uint8_t **p,
		     uint32_t *body_len, uint8_t (*iv)[12], int32_t *status,
		     unsigned n);

/* GCM with OpenSSL under stream id's session key, for a header length the
 * session's AAD was not made for: p[0..hdr) the AAD, p[hdr..len) encrypted
 * (enc) or decrypted in place, the tag at p + len written or verified;
 * index the packet index.  0, EBADMSG for a wrong tag, -1 for a failure. */
int vg_cdev_openssl_gcm(struct vg_cdev_engine *ce, uint32_t id, uint8_t *p,
			uint32_t hdr, uint32_t len, uint64_t index, bool enc);

/* ---- protect.c, unprotect.c: the ops table's burst entries -------------- */

/* protect_burst (engine.h). */
void vg_cdev_protect_burst(struct vg_engine *e, struct vg_crypto_op *ops,
			   uint16_t n);

/* unprotect_burst and rx_set (engine.h). */
void vg_cdev_unprotect_burst(struct vg_engine *e, struct vg_crypto_op *ops,
			     uint16_t n);
int vg_cdev_rx_set(struct vg_engine *e, uint32_t id, uint64_t rtp,
		   uint32_t rtcp);

#endif
