/* SPDX-License-Identifier: BSD-3-Clause */
/* The per-packet part of run.c's work, inline in protect.c and unprotect.c
 * (as it was before the engine was split by concern: a call per packet
 * across files is what the A/B would see): the prefetch of a burst's
 * stream state and sessions, and the device op of one packet. */
#ifndef VG_CDEV_FILL_H
#define VG_CDEV_FILL_H

#include <stdint.h>
#include <rte_common.h>
#include <rte_crypto.h>
#include <rte_cryptodev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include "bytes.h"
#include "cdev.h"
#include "srtp_iv.h"

/* With many streams, the engine state and key schedules of a burst are out
 * of cache: start every miss before the device touches any of them.  The
 * whole session is fetched: the cipher reads all of its key schedule (GCM's
 * GHASH key powers alone are 768 bytes with VAES), and half of it measured
 * 0.84 against 1.17 Mpps for all of it at 100,000 GCM streams.  (The
 * payloads are not prefetched: the hardware prefetcher streams them, and
 * prefetching them too measured no faster.) */
static inline void
vg_cdev_prefetch(const struct vg_cdev_engine *ce,
		 const struct vg_crypto_op *ops, unsigned n)
{
	const uint8_t *last = NULL;
	unsigned i, off;

	for (i = 0; i < n; i++)
		if (ops[i].stream < ce->max_streams)
			rte_prefetch0(&ce->streams[ops[i].stream]);
	for (i = 0; i < n; i++) {
		const struct vg_cdev_stream *s;
		const uint8_t *sess;

		if (ops[i].stream >= ce->max_streams)
			continue;
		s = &ce->streams[ops[i].stream];
		sess = s->sess;
		/* Streams under one key share it: once is enough. */
		if (sess == last)
			continue;
		last = sess;
		for (off = 0; sess != NULL && off < ce->dev[s->dev]->sess_bytes;
		     off += RTE_CACHE_LINE_SIZE)
			rte_prefetch0(sess + off);
	}
}

/* AES-CM: AES-CTR over the payload, HMAC over header || payload || ROC.
 * The ROC is authenticated but not sent: it sits where the tag goes and
 * the tag overwrites it. */
static inline void
vg_cdev_fill_cm(struct rte_crypto_op *cop, const struct vg_cdev_stream *s,
		const struct vg_crypto_op *op, uint32_t base, uint32_t hdr,
		uint32_t len, uint64_t index)
{
	struct rte_crypto_sym_op *so = cop->sym;

	vg_srtp_iv_cm(rte_crypto_op_ctod_offset(cop, uint8_t *,
						VG_CDEV_IV_OFF),
		      s->salt, op->data + 8, index);
	vg_put_be32(op->data + len, (uint32_t)(index >> 16));
	so->cipher.data.offset = base + hdr;
	so->cipher.data.length = len - hdr;
	so->auth.data.offset = base;
	so->auth.data.length = len + 4;
	so->auth.digest.data = rte_crypto_op_ctod_offset(cop, uint8_t *,
							 VG_CDEV_DIGEST_OFF);
	so->auth.digest.phys_addr = rte_crypto_op_ctophys_offset(cop,
							VG_CDEV_DIGEST_OFF);
}

/* GCM on the device (the header is the session's 12-byte AAD). */
static inline void
vg_cdev_fill_gcm(struct rte_crypto_op *cop, const struct vg_cdev_stream *s,
		 const struct vg_crypto_op *op, uint32_t base, uint32_t hdr,
		 uint32_t len, uint64_t index)
{
	struct rte_crypto_sym_op *so = cop->sym;
	struct rte_mbuf *m = op->mbuf;

	vg_srtp_iv_gcm(rte_crypto_op_ctod_offset(cop, uint8_t *,
						 VG_CDEV_IV_OFF),
		       s->salt, op->data + 8, index);
	so->aead.data.offset = base + hdr;
	so->aead.data.length = len - hdr;
	so->aead.aad.data = op->data;
	so->aead.aad.phys_addr = rte_pktmbuf_iova_offset(m, base);
	so->aead.digest.data = op->data + len;
	so->aead.digest.phys_addr = rte_pktmbuf_iova_offset(m, base + len);
}

static inline void
vg_cdev_op_fill(struct rte_crypto_op *cop, const struct vg_cdev_stream *s,
		const struct vg_crypto_op *op, uint16_t ref, uint32_t hdr,
		uint32_t len, uint64_t index)
{
	struct rte_mbuf *m = op->mbuf;
	uint32_t base = (uint32_t)(op->data - rte_pktmbuf_mtod(m, uint8_t *));

	rte_crypto_op_attach_sym_session(cop, s->sess);
	cop->sym->m_src = m;
	*rte_crypto_op_ctod_offset(cop, uint16_t *, VG_CDEV_REF_OFF) = ref;
	if (s->aead)
		vg_cdev_fill_gcm(cop, s, op, base, hdr, len, index);
	else
		vg_cdev_fill_cm(cop, s, op, base, hdr, len, index);
}

#endif
