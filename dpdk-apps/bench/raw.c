/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rte_cryptodev.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include "cdev.h"
#include "raw.h"

#define BURST 32
#define RTP_HDR VG_CDEV_GCM_AAD
/* Op private area: IV then the HMAC digest (the engine's layout). */
#define DIGEST_OFF (VG_CDEV_IV_OFF + 16)

/* One session of the suite, made by the engine's own constructor (the same
 * transform, IV place, AAD and tag); the key bytes do not change the cost. */
static void *
make_session(struct vg_cdev *d, const struct vg_suite_info *si)
{
	struct vg_session_keys k = { .enc = { 1, 2, 3 }, .auth = { 4, 5, 6 },
		.enc_len = si->key_len, .auth_len = si->aead ? 0 : 20 };

	return vg_cdev_srtp_session(d, si, &k, false);
}

/* Op k of a burst over buffer m: the offsets crypto-perf uses for SRTP's
 * shape (payload after the RTP header; GCM AAD = the header, the tag after
 * the payload; HMAC over header, payload and 4 bytes of ROC). */
static void
fill(struct rte_crypto_op *op, void *sess, struct rte_mbuf *m,
     const struct vg_suite_info *si, unsigned size, uint64_t ctr)
{
	struct rte_crypto_sym_op *so = op->sym;
	uint8_t *iv = rte_crypto_op_ctod_offset(op, uint8_t *, VG_CDEV_IV_OFF);

	rte_crypto_op_attach_sym_session(op, sess);
	so->m_src = m;
	memset(iv, 0, 16);
	memcpy(iv + 4, &ctr, sizeof(ctr));
	if (si->aead) {
		so->aead.data.offset = RTP_HDR;
		so->aead.data.length = size - RTP_HDR;
		so->aead.aad.data = rte_pktmbuf_mtod(m, uint8_t *);
		so->aead.aad.phys_addr = rte_pktmbuf_iova(m);
		so->aead.digest.data = rte_pktmbuf_mtod_offset(m, uint8_t *, size);
		so->aead.digest.phys_addr = rte_pktmbuf_iova_offset(m, size);
		return;
	}
	so->cipher.data.offset = RTP_HDR;
	so->cipher.data.length = size - RTP_HDR;
	so->auth.data.offset = 0;
	so->auth.data.length = size + 4;
	so->auth.digest.data = rte_crypto_op_ctod_offset(op, uint8_t *,
							 DIGEST_OFF);
	so->auth.digest.phys_addr = rte_crypto_op_ctophys_offset(op, DIGEST_OFF);
}

/* Bursts until `until`; every op must come back successful. */
static int
loop(const struct vg_cdev *d, struct rte_mempool *ops, void *sess,
     struct rte_mbuf **bufs, const struct vg_bench_raw *r, uint64_t until,
     uint64_t *done)
{
	const struct vg_suite_info *si = vg_suite_get(r->suite);
	struct rte_crypto_op *op[BURST], *out[BURST];
	unsigned next = 0;

	while (rte_rdtsc() < until) {
		unsigned sent = 0, got = 0;

		if (rte_crypto_op_bulk_alloc(ops, RTE_CRYPTO_OP_TYPE_SYMMETRIC,
					     op, BURST) == 0)
			return -1;
		for (unsigned k = 0; k < BURST; k++) {
			fill(op[k], sess, bufs[next], si, r->size, *done + k);
			if (++next == r->buffers)
				next = 0;
		}
		/* The engine's pattern: the whole burst in, the whole burst
		 * back (as fast as crypto-perf's at equal buffers). */
		while (got < BURST) {
			if (sent < BURST)
				sent += rte_cryptodev_enqueue_burst(d->id, 0,
						op + sent, BURST - sent);
			got += rte_cryptodev_dequeue_burst(d->id, 0, out + got,
							   BURST - got);
		}
		for (unsigned k = 0; k < BURST; k++)
			if (out[k]->status != RTE_CRYPTO_OP_STATUS_SUCCESS)
				return -1;
		rte_mempool_put_bulk(ops, (void **)out, BURST);
		*done += BURST;
	}
	return 0;
}

int
vg_bench_raw_run(const struct vg_bench_raw *r)
{
	const struct vg_suite_info *si = vg_suite_get(r->suite);
	struct rte_mempool *mp = NULL, *ops = NULL;
	struct rte_mbuf **bufs = calloc(r->buffers, sizeof(*bufs));
	struct vg_cdev d;
	uint64_t hz = rte_get_tsc_hz(), done = 0, t0, t1;
	void *sess = NULL;
	char err[256];
	int rc = -1;

	if (bufs == NULL || vg_cdev_open(&d, r->device, err, sizeof(err)) < 0) {
		fprintf(stderr, "raw: %s\n", bufs ? err : "out of memory");
		free(bufs);
		return -1;
	}
	if (!vg_cdev_supports(&d, r->suite) || (sess = make_session(&d, si)) == NULL) {
		fprintf(stderr, "raw: %s cannot do %s\n", d.name, si->name);
		goto out;
	}
	/* The gateway's pool shape: 2 KB of data room after the headroom. */
	mp = rte_pktmbuf_pool_create("vgb_raw", r->buffers, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	ops = rte_crypto_op_pool_create("vgb_raw_ops",
			RTE_CRYPTO_OP_TYPE_SYMMETRIC, 4 * BURST, 0, 48,
			(int)rte_socket_id());
	if (mp == NULL || ops == NULL ||
	    rte_pktmbuf_alloc_bulk(mp, bufs, r->buffers) != 0) {
		fprintf(stderr, "raw: cannot allocate %u buffers\n", r->buffers);
		goto out;
	}
	for (unsigned i = 0; i < r->buffers; i++)
		memset(rte_pktmbuf_append(bufs[i], (uint16_t)(r->size + 16)),
		       (int)i, r->size + 16);
	if (loop(&d, ops, sess, bufs, r, rte_rdtsc() + hz / 2, &done) < 0)
		goto failed;
	done = 0;
	t0 = rte_rdtsc();
	if (loop(&d, ops, sess, bufs, r, t0 + (uint64_t)(r->seconds * hz),
		 &done) < 0)
		goto failed;
	t1 = rte_rdtsc();
	printf("RESULT mode=raw device=%s suite=%s size=%u buffers=%u ops=%lu "
	       "mops=%.4f cycles_per_op=%.0f\n", d.name, si->name, r->size,
	       r->buffers, (unsigned long)done,
	       (double)done / ((double)(t1 - t0) / hz) / 1e6,
	       (double)(t1 - t0) / (double)done);
	rc = 0;
	goto out;
failed:
	fprintf(stderr, "raw: the device failed an op\n");
out:
	if (bufs[0] != NULL)
		rte_pktmbuf_free_bulk(bufs, r->buffers);
	if (sess != NULL)
		vg_cdev_session_free(&d, sess);
	rte_mempool_free(ops);
	rte_mempool_free(mp);
	vg_cdev_close(&d);
	free(bufs);
	return rc;
}
