/* SPDX-License-Identifier: BSD-3-Clause */
/* Internals of the cryptodev engine shared by its protect side
 * (engine_cryptodev.c) and its unprotect side (cdev_unprotect.c): the
 * engine and per-stream structures, the crypto-op layout and the IV
 * builders.  Not for the rest of the gateway, which sees only engine.h. */
#ifndef VG_ENGINE_CRYPTODEV_H
#define VG_ENGINE_CRYPTODEV_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <openssl/evp.h>
#include <rte_crypto.h>
#include <rte_cryptodev.h>
#include <rte_mbuf.h>
#include "cdev.h"
#include "engine.h"
#include "kdf.h"
#include "srtcp.h"

#define GCM_AAD_LEN VG_CDEV_GCM_AAD	/* RTP header without CSRC or extension */
#define GCM_TAG_LEN VG_CDEV_GCM_TAG
#define BURST_MAX 64
/* Private area of each crypto op: IV, digest scratch, op back-reference. */
#define IV_OFF VG_CDEV_IV_OFF
#define DIGEST_OFF (IV_OFF + 16)
#define REF_OFF (DIGEST_OFF + 20)
#define RUN_OFF (REF_OFF + 4)		/* uint64_t: the run that sent op */
#define PRIV_SIZE 48

_Static_assert(RUN_OFF % 8 == 0 && RUN_OFF + 8 <= IV_OFF + PRIV_SIZE,
	       "the run stamp fits the private area, aligned");

enum { DEV_CM, DEV_GCM };

/* Hot per-stream state: read for every packet. */
struct cstream {
	void *sess;			/* cryptodev session (SRTP keys) */
	uint8_t salt[14];		/* session salt */
	uint8_t aead;
	uint8_t tag_len;
	uint8_t dev;			/* DEV_CM or DEV_GCM */
	uint8_t key_len;
	uint8_t in;			/* 1: unprotects (stream_add_in) */
	uint32_t ssrc;
};

struct vg_cdev_rx;		/* receiver state, cdev_unprotect.c */

/* One cryptodev session per device, direction, suite and master key: the
 * SRTP session keys come from the master key alone (RFC 3711 §4.3: the KDF
 * takes no SSRC; the SSRC enters each packet's IV), so the streams of all
 * cameras sharing a center's key share one key schedule.  Found by a digest
 * of what the session depends on: the table holds no key. */
struct ckey {
	uint8_t digest[32];		/* SHA-256 of dev, in, suite, key */
	void *sess;			/* NULL once its last stream is gone */
	uint32_t refs;
	uint8_t used;
};

struct cdev_engine {
	struct vg_engine hdr;
	struct vg_cdev devs[2];
	struct vg_cdev *dev[2];		/* by DEV_CM/DEV_GCM; both devs[0] if shared */
	bool shared;			/* one device serves both */
	struct rte_mempool *op_pool;
	struct vg_srtcp_ctx *srtcp;	/* OpenSSL contexts for SRTCP */
	EVP_CIPHER_CTX *gcm;		/* OpenSSL: GCM with other AAD lengths */
	unsigned max_streams;
	unsigned n_in;			/* in-streams set up so far */
	struct cstream *streams;
	uint8_t (*gcm_keys)[32];	/* cold: only for the OpenSSL path */
	struct vg_srtcp_stream *rtcp;	/* cold: SRTCP keys and index */
	struct vg_cdev_rx **rx;		/* in-streams: receiver state */
	struct ckey *keys;		/* open addressing, keys_mask + 1 slots */
	unsigned keys_mask;
	uint32_t *key_of;		/* cold: stream id -> keys slot */
	unsigned n_set;			/* streams with a session */
	/* Bounded wait for the device (vg_engine_cryptodev_run). */
	uint64_t wait_tsc;		/* TSC cycles to wait for missing ops */
	uint64_t run;			/* stamp of the latest run's ops */
	uint64_t lost_ops;		/* ops the device never gave back in time */
	uint64_t late_ops;		/* of them, given back later and freed */
	unsigned n_spare;
	struct rte_crypto_op *spare[BURST_MAX];	/* stand-ins for lost ops */
};

static inline struct cdev_engine *
to_cdev(struct vg_engine *e)
{
	return (struct cdev_engine *)e;
}

/* RFC 3711 §4.1.1: IV = (k_s * 2^16) ^ (SSRC * 2^64) ^ (i * 2^16), built
 * in registers as two 8-byte words in memory order (byte by byte, or bytes
 * gathered on the stack and read back as a word, stalled the AES-CM worker
 * for 3-5 % of its time). */
static inline void
cm_iv(uint8_t iv[16], const struct cstream *s, const uint8_t *rtp,
      uint64_t index)
{
	uint64_t w0, w1, v0, v1;
	uint32_t ssrc, s8;
	uint16_t s12;

	memcpy(&w0, s->salt, 8);
	memcpy(&s8, s->salt + 8, 4);		/* not 6 bytes into a word: */
	memcpy(&s12, s->salt + 12, 2);		/* that goes through memory */
	memcpy(&ssrc, rtp + 8, 4);		/* as in the packet */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	w1 = (uint64_t)s12 << 32 | s8;		/* bytes 14, 15: 0 */
	v0 = (uint64_t)ssrc << 32;		/* bytes 4..7 */
	v1 = __builtin_bswap64(index << 16);	/* bytes 8..13, big-endian */
#else
	w1 = (uint64_t)s8 << 32 | (uint64_t)s12 << 16;
	v0 = ssrc;
	v1 = index << 16;
#endif
	w0 ^= v0;
	w1 ^= v1;
	memcpy(iv, &w0, 8);
	memcpy(iv + 8, &w1, 8);
}

/* RFC 7714 §8.1: IV = (0x0000 || SSRC || ROC || SEQ) ^ salt, in words as
 * cm_iv (the device reads it with wide loads).  ROC || SEQ is the 48-bit
 * index: its low 16 bits are the packet's sequence number. */
static inline void
gcm_iv(uint8_t iv[12], const struct cstream *s, const uint8_t *rtp,
       uint64_t index)
{
	uint64_t w0, v0;
	uint32_t w1, v1, ssrc;

	memcpy(&w0, s->salt, 8);
	memcpy(&w1, s->salt + 8, 4);
	memcpy(&ssrc, rtp + 8, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	{
		uint64_t i = __builtin_bswap64(index << 16);	/* bytes 0..5 */

		v0 = (uint64_t)ssrc << 16 | i << 48;	/* SSRC 2..5, index 6..7 */
		v1 = (uint32_t)(i >> 16);		/* index 8..11 */
	}
#else
	v0 = (uint64_t)ssrc << 16 | ((index >> 32) & 0xffff);
	v1 = (uint32_t)index;
#endif
	w0 ^= v0;
	w1 ^= v1;
	memcpy(iv, &w0, 8);
	memcpy(iv + 8, &w1, 4);
}

/* Give cop op's session and mbuf, and ref (op's index in its burst) in
 * the private area; returns where op->data starts in the mbuf. */
static inline uint32_t
cop_attach(struct rte_crypto_op *cop, const struct cstream *s,
	   const struct vg_crypto_op *op, uint16_t ref)
{
	struct rte_mbuf *m = op->mbuf;

	rte_crypto_op_attach_sym_session(cop, s->sess);
	cop->sym->m_src = m;
	*rte_crypto_op_ctod_offset(cop, uint16_t *, REF_OFF) = ref;
	return (uint32_t)(op->data - rte_pktmbuf_mtod(m, uint8_t *));
}

/* Set up stream id for suite, key and ssrc: session keys, a cryptodev
 * session for the direction (in: verify and decrypt), SRTCP keys.  Frees
 * what the id held before.  0, or -1 with err. */
int vg_engine_cryptodev_setup(struct cdev_engine *ce, uint32_t id,
			      enum vg_suite suite,
			      const struct vg_master_key *key, uint32_t ssrc,
			      bool in, char *err, size_t errlen);

/* Let go of stream id's session (the last stream of a key frees it). */
void vg_engine_cryptodev_release(struct cdev_engine *ce, uint32_t id);

/* Sessions alive (one per distinct device, direction, suite and key). */
unsigned vg_engine_cryptodev_sessions(const struct vg_engine *e);

/* Start the cache misses of n ops' stream state and sessions. */
void vg_engine_cryptodev_prefetch(const struct cdev_engine *ce,
				  const struct vg_crypto_op *ops, unsigned n);

/* Enqueue n prepared ops (each with its ref at REF_OFF) on device dev and
 * wait for them, but not forever: a device may lose an op (QAT).  done
 * receives n ops in completion order, each to be handed back to the op
 * pool by the caller: those the device completed, then, once ce->wait_tsc
 * has passed without the rest, one op with status
 * RTE_CRYPTO_OP_STATUS_ERROR for each op missing, a copy of its private
 * area (ref, digest) when the device took it.  An op the device took and
 * did not give back is never handed back to the pool, nor its mbuf (one
 * reference more: the caller still frees it once) while the device may
 * still write them; should it give them back later, a later run frees
 * them.  Returns n. */
unsigned vg_engine_cryptodev_run(struct cdev_engine *ce, uint8_t dev,
				 struct rte_crypto_op **cops,
				 struct rte_crypto_op **done, unsigned n);

/* Ops a device took and did not give back within the wait: counted once
 * each, when given up.  Of them, late: those given back afterwards. */
uint64_t vg_engine_cryptodev_lost(const struct vg_engine *e);
uint64_t vg_engine_cryptodev_late(const struct vg_engine *e);

/* One CPU-crypto call for the GCM packets p[0..n) under stream s's
 * session (they share it): packet i is its 12-byte RTP header (the AAD),
 * body_len[i] bytes to encrypt or decrypt, then the tag; iv[i] its IV.
 * status[i]: 0 when done (decrypting: and the tag verified), EBADMSG for
 * a wrong tag (aesni_gcm), anything else for a failure.  (Not const
 * arrays: gcc 12 then takes the callers' arrays for uninitialized.) */
void vg_engine_cryptodev_gcm(const struct cdev_engine *ce,
			     const struct cstream *s, uint8_t **p,
			     uint32_t *body_len, uint8_t (*iv)[12],
			     int32_t *status, unsigned n);

#endif
