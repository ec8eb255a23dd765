/* SPDX-License-Identifier: BSD-3-Clause */
/* SRTP protection of a whole burst, for many streams, by the cryptodev
 * engine (protect_burst; called through the ops table of ops.c).  It sorts
 * the burst by how each packet goes (run.c does the crypto): SRTCP through
 * OpenSSL (srtcp.c), AES-CM and device GCM queued per device, GCM gathered
 * in runs of one session for CPU crypto, GCM whose header the session's
 * AAD length does not fit through OpenSSL.
 *
 * Measured on the 2-core reference machine (docs/engines.md): AES-CM with
 * HMAC-SHA1 only reaches the multi-buffer rate when one enqueue carries
 * packets of many sessions, while the synchronous CPU-crypto API flushes the
 * HMAC lanes on every call (8x slower for one packet per stream); for GCM,
 * CPU crypto per stream is the fastest mode.  So AES-CM goes through
 * enqueue/dequeue, GCM through CPU crypto where the device offers it.
 * SRTCP (a few packets per second per stream) takes keys and an index per
 * stream instead of a ~30 KB libsrtp session. */
#include <string.h>
#include <rte_common.h>
#include <rte_cryptodev.h>
#include <rte_mempool.h>
#include "bytes.h"
#include "cdev.h"
#include "fill.h"
#include "srtcp.h"
#include "srtp_iv.h"

/* The stream exists, carries this SSRC and the header fits the packet. */
static inline bool
valid(const struct vg_cdev_engine *ce, const struct vg_crypto_op *op)
{
	const struct vg_cdev_stream *s;

	if (op->stream >= ce->max_streams || op->len < 12 ||
	    op->hdr_len < 12 || op->hdr_len > op->len)
		return false;
	s = &ce->streams[op->stream];
	return s->sess != NULL && !s->in &&
	       vg_get_be32(op->data + 8) == s->ssrc;
}

static void
finish_enqueued(struct vg_cdev_engine *ce, struct rte_crypto_op **done,
		unsigned n, struct vg_crypto_op *ops)
{
	for (unsigned i = 0; i < n; i++) {
		struct rte_crypto_op *cop = done[i];
		struct vg_crypto_op *op = &ops[*rte_crypto_op_ctod_offset(cop,
						uint16_t *, VG_CDEV_REF_OFF)];
		const struct vg_cdev_stream *s = &ce->streams[op->stream];

		if (cop->status != RTE_CRYPTO_OP_STATUS_SUCCESS) {
			op->status = VG_DROP_PROTECT_FAIL;
			continue;
		}
		if (!s->aead)
			memcpy(op->data + op->len, rte_crypto_op_ctod_offset(
				cop, uint8_t *, VG_CDEV_DIGEST_OFF),
			       s->tag_len);
		op->len += s->tag_len;
		op->status = VG_DROP_NONE;
	}
	rte_mempool_put_bulk(ce->op_pool, (void **)done, n);
}

/* Enqueue/dequeue path: one device call carries packets of many sessions. */
static void
run_enqueue(struct vg_cdev_engine *ce, uint8_t dev, struct vg_crypto_op *ops,
	    const uint16_t *sel, unsigned n)
{
	struct rte_crypto_op *cops[VG_CDEV_BURST], *done[VG_CDEV_BURST];
	unsigned i;

	if (n == 0)
		return;
	if (rte_crypto_op_bulk_alloc(ce->op_pool, RTE_CRYPTO_OP_TYPE_SYMMETRIC,
				     cops, n) == 0) {
		for (i = 0; i < n; i++)
			ops[sel[i]].status = VG_DROP_PROTECT_FAIL;
		return;
	}
	for (i = 0; i < n; i++) {
		const struct vg_crypto_op *op = &ops[sel[i]];

		vg_cdev_op_fill(cops[i], &ce->streams[op->stream], op, sel[i],
				op->hdr_len, op->len, op->index);
	}
	finish_enqueued(ce, done, vg_cdev_run(ce, dev, cops, done, n), ops);
}

/* The tag was written right after the ciphertext. */
static inline void
gcm_done(struct vg_crypto_op *op, bool ok)
{
	if (ok)
		op->len += VG_CDEV_GCM_TAG;
	op->status = ok ? VG_DROP_NONE : VG_DROP_PROTECT_FAIL;
}

/* Synchronous CPU-crypto path for GCM: no op objects, no queue.  One call
 * for ops[idx[0..n)], which share a session (the streams of one key): the
 * device's per-call work (device checks, its per-lcore state) is paid once
 * for them instead of once per packet. */
static void
run_cpu_gcm(struct vg_cdev_engine *ce, struct vg_crypto_op *ops,
	    const uint16_t *idx, unsigned n)
{
	uint8_t iv[VG_CDEV_BURST][12], *p[VG_CDEV_BURST];
	uint32_t body[VG_CDEV_BURST];
	int32_t status[VG_CDEV_BURST];

	for (unsigned i = 0; i < n; i++) {
		struct vg_crypto_op *op = &ops[idx[i]];

		vg_srtp_iv_gcm(iv[i], ce->streams[op->stream].salt,
			       op->data + 8, op->index);
		p[i] = op->data;
		body[i] = op->len - VG_CDEV_GCM_AAD;
	}
	vg_cdev_gcm_cpu(ce, &ce->streams[ops[idx[0]].stream], p, body, iv,
			status, n);
	for (unsigned i = 0; i < n; i++)
		gcm_done(&ops[idx[i]], status[i] == 0);
}

/* GCM with an AAD length the session was not made for (CSRCs or a header
 * extension): OpenSSL, same session key and IV, byte-identical output. */
static void
run_openssl_gcm(struct vg_cdev_engine *ce, struct vg_crypto_op *op)
{
	gcm_done(op, vg_cdev_openssl_gcm(ce, op->stream, op->data, op->hdr_len,
					 op->len, op->index, true) == 0);
}

static void
protect_rtcp(struct vg_cdev_engine *ce, struct vg_crypto_op *op)
{
	/* A zeroed slot has zero keys: never protect with them. */
	if (op->stream >= ce->max_streams ||
	    ce->streams[op->stream].sess == NULL || ce->streams[op->stream].in ||
	    vg_srtcp_protect_at(ce->srtcp, &ce->rtcp[op->stream], op->index,
				op->data, &op->len) < 0)
		op->status = VG_DROP_PROTECT_FAIL;
	else
		op->status = VG_DROP_NONE;
}

void
vg_cdev_protect_burst(struct vg_engine *e, struct vg_crypto_op *ops, uint16_t n)
{
	struct vg_cdev_engine *ce = vg_cdev_from(e);
	/* Zeroed: gcc cannot see that only written slots are read. */
	uint16_t q[2][VG_CDEV_BURST] = { { 0 } }, g[VG_CDEV_BURST];
	unsigned nq[2] = { 0, 0 }, ng = 0;
	const void *gsess = NULL;		/* the session of g */

	vg_cdev_prefetch(ce, ops, RTE_MIN(n, (uint16_t)VG_CDEV_BURST));
	for (unsigned i = 0; i < n && i < VG_CDEV_BURST; i++) {
		struct vg_crypto_op *op = &ops[i];
		const struct vg_cdev_stream *s;

		if (op->rtcp) {
			protect_rtcp(ce, op);
			continue;
		}
		if (unlikely(!valid(ce, op) || op->mbuf == NULL)) {
			op->status = VG_DROP_PROTECT_FAIL;
			continue;
		}
		s = &ce->streams[op->stream];
		if (s->aead && op->hdr_len != VG_CDEV_GCM_AAD) {
			run_openssl_gcm(ce, op);
		} else if (s->aead && ce->dev[VG_CDEV_DEV_GCM]->cpu_crypto) {
			/* Gather a run of packets under one session. */
			if (ng > 0 && gsess != s->sess) {
				run_cpu_gcm(ce, ops, g, ng);
				ng = 0;
			}
			gsess = s->sess;
			g[ng++] = (uint16_t)i;
		} else {
			q[s->dev][nq[s->dev]++] = (uint16_t)i;
		}
	}
	if (ng > 0)
		run_cpu_gcm(ce, ops, g, ng);
	for (unsigned i = VG_CDEV_BURST; i < n; i++)
		ops[i].status = VG_DROP_PROTECT_FAIL;
	run_enqueue(ce, VG_CDEV_DEV_CM, ops, q[VG_CDEV_DEV_CM],
		    nq[VG_CDEV_DEV_CM]);
	run_enqueue(ce, VG_CDEV_DEV_GCM, ops, q[VG_CDEV_DEV_GCM],
		    nq[VG_CDEV_DEV_GCM]);
}
