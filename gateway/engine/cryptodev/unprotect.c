/* SPDX-License-Identifier: BSD-3-Clause */
/* SRTP/SRTCP unprotect for the cryptodev engine: the receiver side of
 * streams set up by stream_add_in, giving every packet the verdict and the
 * plain bytes libsrtp's srtp_unprotect() would.
 *
 * Receiver state per in-stream, as libsrtp keeps it: the highest accepted
 * index and a 1024-packet window (replay.h, srtp_rdbx semantics) for SRTP,
 * the 128-index window of srtp_rdb_t for SRTCP (srtcp.c).  Checks run in
 * libsrtp's order: header and SSRC, replay, length, then the tag; the
 * window takes an index only once its tag is verified.
 *
 * Crypto as on the protect side: AES-CM chains HMAC-SHA1 VERIFY then
 * AES-CTR DECRYPT in one enqueue carrying many streams; GCM decrypts and
 * verifies through CPU crypto where the device has it, one call per run
 * of packets under one session (OpenSSL when the header is not the 12
 * bytes the session's AAD length was made for).
 *
 * A burst may hold several packets of one stream, and libsrtp judges each
 * against the state the packets before it left.  Batched crypto verifies
 * them together, so a packet is only sent in the same round as earlier
 * packets of its stream when its verdict cannot depend on theirs: its
 * index estimate is the same whether they pass or fail, and it is newer
 * than all of them.  Anything else (a reordered or repeated packet behind
 * one in flight) waits for the next round, after those verdicts are in.
 * In-order traffic takes one round.  This keeps a forged packet from
 * moving the estimate for the genuine ones behind it.
 *
 * Called through the ops table (ops.c); the crypto is run.c's, the
 * receiver state is allocated with the stream (keys.c) and only read and
 * written here. */
#include <errno.h>
#include <string.h>
#include <rte_common.h>
#include <rte_cryptodev.h>
#include <rte_mempool.h>
#include <rte_prefetch.h>
#include "bytes.h"
#include "cdev.h"
#include "fill.h"
#include "replay.h"
#include "srtcp.h"
#include "srtp_iv.h"

_Static_assert(VG_REPLAY_RX_WINDOW == VG_UNPROTECT_WINDOW,
	       "the engines' windows must match");

/* Where each op of a burst stands. */
enum { TODO, DEFER, QUEUED, DONE };

struct burst {
	uint64_t idx[VG_CDEV_BURST];	/* estimated packet index */
	uint16_t hdr[VG_CDEV_BURST];	/* RTP header length, from the packet */
	uint8_t state[VG_CDEV_BURST];
	uint16_t q[2][VG_CDEV_BURST];	/* queued ops per device */
	unsigned nq[2];
	uint16_t g[VG_CDEV_BURST];	/* GCM ops for one CPU-crypto call */
	unsigned ng;
	const void *gsess;		/* their session */
};

/* RTP header length as libsrtp reads it (srtp_validate_rtp_header): 0 if
 * the CSRCs or the extension run past the packet. */
static uint32_t
header_len(const uint8_t *p, uint32_t len)
{
	uint32_t h = 12 + 4 * (uint32_t)(p[0] & 0x0f);

	if (len < h)
		return 0;
	if (p[0] & 0x10) {
		if (len < h + 4)
			return 0;
		h += 4 + 4 * (uint32_t)vg_get_be16(p + h + 2);
		if (len < h)
			return 0;
	}
	return h;
}

/* An RTP op this engine can judge: an in-stream, a whole header, the
 * stream's SSRC (libsrtp: bad_param, no_ctx). */
static bool
screen(const struct vg_cdev_engine *ce, const struct vg_crypto_op *op,
       uint16_t *hdr)
{
	const struct vg_cdev_stream *s;
	uint32_t h;

	if (op->stream >= ce->max_streams || op->len < 12 ||
	    op->mbuf == NULL || ce->rx[op->stream] == NULL)
		return false;
	s = &ce->streams[op->stream];
	h = header_len(op->data, op->len);
	if (h == 0 || h > UINT16_MAX || vg_get_be32(op->data + 8) != s->ssrc)
		return false;
	*hdr = (uint16_t)h;
	return true;
}

static void
unprotect_rtcp(struct vg_cdev_engine *ce, struct vg_crypto_op *op)
{
	struct vg_cdev_rx *rx = op->stream < ce->max_streams ?
				ce->rx[op->stream] : NULL;
	const struct vg_srtcp_stream *rs;
	int64_t idx;

	if (rx == NULL) {
		op->status = VG_DROP_UNPROTECT_FAIL;
		return;
	}
	rs = &ce->rtcp[op->stream];
	idx = vg_srtcp_index_of(op->data, op->len, rs->aead, rs->tag_len);
	op->status = vg_srtcp_unprotect(ce->srtcp, rs, &rx->rtcp, op->data,
					&op->len);
	if (op->status == VG_DROP_NONE)
		op->index = (uint64_t)idx;
}

int
vg_cdev_rx_set(struct vg_engine *e, uint32_t id, uint64_t rtp, uint32_t rtcp)
{
	struct vg_cdev_engine *ce = vg_cdev_from(e);
	struct vg_replay_rx *r;

	if (id >= ce->max_streams || ce->rx[id] == NULL)
		return -1;
	r = &ce->rx[id]->rtp;
	/* Every index up to rtp - 1 counts as seen: the window full below
	 * the new top, nothing older accepted. */
	if (rtp > 0 && rtp - 1 >= r->top) {
		r->top = rtp - 1;
		memset(r->seen, 0xff, sizeof(r->seen));
	}
	if (rtcp > 0)
		vg_srtcp_replay_floor(&ce->rx[id]->rtcp, rtcp);
	return 0;
}

/* The verdict is in: commit the index only for an authenticated packet. */
static void
settle(struct vg_cdev_engine *ce, struct vg_crypto_op *op, uint64_t idx,
       uint8_t status)
{
	op->status = status;
	if (status != VG_DROP_NONE)
		return;
	vg_replay_rx_commit(&ce->rx[op->stream]->rtp, idx);
	op->len -= ce->streams[op->stream].tag_len;
	op->index = idx;
}

/* The verdict of a GCM status (vg_cdev_gcm_cpu, vg_cdev_openssl_gcm). */
static uint8_t
gcm_verdict(int32_t status)
{
	return status == 0 ? VG_DROP_NONE : status == EBADMSG ?
	       VG_DROP_AUTH_FAIL : VG_DROP_UNPROTECT_FAIL;
}

/* GCM with a header the session's AAD length does not fit: OpenSSL. */
static uint8_t
openssl_gcm(struct vg_cdev_engine *ce, struct vg_crypto_op *op, uint16_t hdr,
	    uint64_t idx)
{
	return gcm_verdict(vg_cdev_openssl_gcm(ce, op->stream, op->data, hdr,
					       op->len - VG_CDEV_GCM_TAG, idx,
					       false));
}

static void
finish_queued(struct vg_cdev_engine *ce, struct vg_crypto_op *ops,
	      struct burst *b, struct rte_crypto_op **done, unsigned n)
{
	for (unsigned k = 0; k < n; k++) {
		struct rte_crypto_op *cop = done[k];
		uint16_t i = *rte_crypto_op_ctod_offset(cop, uint16_t *,
							VG_CDEV_REF_OFF);
		struct vg_crypto_op *op = &ops[i];
		const struct vg_cdev_stream *s = &ce->streams[op->stream];
		uint8_t st = VG_DROP_NONE;

		if (cop->status != RTE_CRYPTO_OP_STATUS_SUCCESS) {
			st = cop->status == RTE_CRYPTO_OP_STATUS_AUTH_FAILED ?
			     VG_DROP_AUTH_FAIL : VG_DROP_UNPROTECT_FAIL;
			if (!s->aead)
				memcpy(op->data + op->len - s->tag_len,
				       rte_crypto_op_ctod_offset(cop, uint8_t *,
							VG_CDEV_DIGEST_OFF),
				       s->tag_len);
		}
		settle(ce, op, b->idx[i], st);
		b->state[i] = DONE;
	}
	rte_mempool_put_bulk(ce->op_pool, (void **)done, n);
}

/* One enqueue of the ops queued for device dev, verdicts and commits. */
static void
run_queue(struct vg_cdev_engine *ce, uint8_t dev, struct vg_crypto_op *ops,
	  struct burst *b)
{
	struct rte_crypto_op *cops[VG_CDEV_BURST], *done[VG_CDEV_BURST];
	unsigned k, n = b->nq[dev];

	if (n == 0)
		return;
	if (rte_crypto_op_bulk_alloc(ce->op_pool, RTE_CRYPTO_OP_TYPE_SYMMETRIC,
				     cops, n) == 0) {
		for (k = 0; k < n; k++) {
			ops[b->q[dev][k]].status = VG_DROP_UNPROTECT_FAIL;
			b->state[b->q[dev][k]] = DONE;
		}
		return;
	}
	for (k = 0; k < n; k++) {
		uint16_t i = b->q[dev][k];
		const struct vg_crypto_op *op = &ops[i];
		const struct vg_cdev_stream *s = &ce->streams[op->stream];
		uint32_t body = op->len - s->tag_len;

		/* AES-CM: the received tag moves to the op (the ROC takes its
		 * place, finish_queued puts it back on a failure); GCM
		 * verifies it in place. */
		if (!s->aead)
			memcpy(rte_crypto_op_ctod_offset(cops[k], uint8_t *,
							 VG_CDEV_DIGEST_OFF),
			       op->data + body, s->tag_len);
		vg_cdev_op_fill(cops[k], s, op, i, b->hdr[i], body, b->idx[i]);
	}
	finish_queued(ce, ops, b, done,
		      vg_cdev_run(ce, dev, cops, done, n));
}

/* GCM through CPU crypto, one call for the ops gathered in b->g (one
 * session), verdicts and commits.  The aesni_gcm PMD reports a wrong tag
 * as EBADMSG. */
static void
run_gcm(struct vg_cdev_engine *ce, struct vg_crypto_op *ops, struct burst *b)
{
	uint8_t iv[VG_CDEV_BURST][12], *p[VG_CDEV_BURST];
	uint32_t body[VG_CDEV_BURST];
	int32_t status[VG_CDEV_BURST];
	unsigned k, n = b->ng;

	if (n == 0)
		return;
	for (k = 0; k < n; k++) {
		const struct vg_crypto_op *op = &ops[b->g[k]];

		vg_srtp_iv_gcm(iv[k], ce->streams[op->stream].salt,
			       op->data + 8, b->idx[b->g[k]]);
		p[k] = op->data;
		body[k] = op->len - VG_CDEV_GCM_TAG - VG_CDEV_GCM_AAD;
	}
	vg_cdev_gcm_cpu(ce, &ce->streams[ops[b->g[0]].stream], p, body, iv,
			status, n);
	for (k = 0; k < n; k++) {
		uint16_t i = b->g[k];

		settle(ce, &ops[i], b->idx[i], gcm_verdict(status[k]));
		b->state[i] = DONE;
	}
	b->ng = 0;
}

/* Latest earlier RTP op of op i's stream still undecided in this round. */
static int
pending_before(const struct vg_crypto_op *ops, const struct burst *b,
	       unsigned i)
{
	for (unsigned j = i; j-- > 0;) {
		if ((b->state[j] == QUEUED || b->state[j] == DEFER) &&
		    ops[j].stream == ops[i].stream)
			return (int)j;
	}
	return -1;
}

/* The index op i is judged under, in b->idx[i].  Returns TODO when it can
 * go on in this round, DEFER, or DONE with a replay verdict.  Behind an
 * op j in flight, the receiver's top ends up anywhere in
 * [committed top, max(committed top, idx j)]; the estimate is monotonic
 * in top, so equal estimates at both ends mean the same in every case. */
static int
judge(struct vg_cdev_engine *ce, struct vg_crypto_op *ops, struct burst *b,
      unsigned i)
{
	const struct vg_replay_rx *w = &ce->rx[ops[i].stream]->rtp;
	uint16_t seq = vg_get_be16(ops[i].data + 2);
	int j = pending_before(ops, b, i);
	uint64_t spec;

	if (j < 0) {
		b->idx[i] = vg_replay_rx_estimate(w, seq);
		if (vg_replay_rx_check(w, b->idx[i]))
			return TODO;
		ops[i].status = VG_DROP_REPLAY;
		return DONE;
	}
	if (b->state[j] == DEFER)
		return DEFER;		/* keep the stream's order */
	spec = RTE_MAX(w->top, b->idx[j]);
	b->idx[i] = vg_replay_guess(spec, seq);
	if (b->idx[i] <= spec || vg_replay_guess(w->top, seq) != b->idx[i])
		return DEFER;
	return TODO;
}

/* Judge op i and run it (GCM with another header length: OpenSSL), or
 * gather it for a CPU-crypto call or queue it for the device. */
static void
step(struct vg_cdev_engine *ce, struct vg_crypto_op *ops, struct burst *b,
     unsigned i)
{
	struct vg_crypto_op *op = &ops[i];
	const struct vg_cdev_stream *s = &ce->streams[op->stream];
	int st = judge(ce, ops, b, i);

	b->state[i] = (uint8_t)st;
	if (st != TODO)
		return;
	b->state[i] = DONE;
	if (op->len < (uint32_t)b->hdr[i] + s->tag_len)
		op->status = VG_DROP_UNPROTECT_FAIL;	/* libsrtp: parse_err */
	else if (s->aead && b->hdr[i] != VG_CDEV_GCM_AAD)
		settle(ce, op, b->idx[i], openssl_gcm(ce, op, b->hdr[i],
						      b->idx[i]));
	else if (s->aead && ce->dev[s->dev]->cpu_crypto) {
		/* Gathered while the session stays the same: in flight like
		 * a queued op, so later packets of the stream are judged as
		 * behind one in flight. */
		if (b->ng > 0 && b->gsess != s->sess)
			run_gcm(ce, ops, b);
		b->gsess = s->sess;
		b->g[b->ng++] = (uint16_t)i;
		b->state[i] = QUEUED;
	} else {
		b->q[s->dev][b->nq[s->dev]++] = (uint16_t)i;
		b->state[i] = QUEUED;
	}
}

/* Stream state and sessions (shared with protect), then each stream's
 * receiver window, which the replay check reads first. */
static void
prefetch_burst(const struct vg_cdev_engine *ce, const struct vg_crypto_op *ops,
	       unsigned n)
{
	vg_cdev_prefetch(ce, ops, n);
	for (unsigned i = 0; i < n; i++) {
		const struct vg_cdev_rx *rx;

		if (ops[i].stream >= ce->max_streams ||
		    (rx = ce->rx[ops[i].stream]) == NULL)
			continue;
		for (unsigned off = 0; off < sizeof(rx->rtp);
		     off += RTE_CACHE_LINE_SIZE)
			rte_prefetch0((const uint8_t *)&rx->rtp + off);
	}
}

void
vg_cdev_unprotect_burst(struct vg_engine *e, struct vg_crypto_op *ops,
			uint16_t n)
{
	struct vg_cdev_engine *ce = vg_cdev_from(e);
	unsigned i, m = RTE_MIN(n, (uint16_t)VG_CDEV_BURST);
	struct burst b;
	bool again;

	prefetch_burst(ce, ops, m);
	for (i = m; i < n; i++)
		ops[i].status = VG_DROP_UNPROTECT_FAIL;
	for (i = 0; i < m; i++) {
		b.state[i] = DONE;
		if (ops[i].rtcp)
			unprotect_rtcp(ce, &ops[i]);
		else if (!screen(ce, &ops[i], &b.hdr[i]))
			ops[i].status = VG_DROP_UNPROTECT_FAIL;
		else
			b.state[i] = TODO;
	}
	b.ng = 0;		/* run_gcm leaves it 0 */
	do {
		b.nq[VG_CDEV_DEV_CM] = b.nq[VG_CDEV_DEV_GCM] = 0;
		for (i = 0; i < m; i++)
			if (b.state[i] == TODO)
				step(ce, ops, &b, i);
		run_gcm(ce, ops, &b);
		run_queue(ce, VG_CDEV_DEV_CM, ops, &b);
		run_queue(ce, VG_CDEV_DEV_GCM, ops, &b);
		again = false;
		for (i = 0; i < m; i++) {
			if (b.state[i] == DEFER) {
				b.state[i] = TODO;
				again = true;
			}
		}
	} while (again);
}
