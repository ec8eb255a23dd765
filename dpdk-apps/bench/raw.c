/* SPDX-License-Identifier: BSD-3-Clause */
/* The raw loop speaks to the crypto device through DPDK's API alone: the
 * ceiling it measures is the PMD's, whatever the gateway's engine does.
 * It sets the device up as that engine does (one queue pair of 2,048
 * descriptors; an op's IV at the start of its private area, the HMAC
 * digest after it; GCM over the 12-byte RTP header as AAD, 16-byte tag),
 * so that the two figures are comparable. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rte_cryptodev.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include "raw.h"

#define BURST 32
#define QP_DESC 2048
#define RTP_HDR 12
#define GCM_TAG 16
#define HMAC_KEY_LEN 20
#define IV_OFF (sizeof(struct rte_crypto_op) + sizeof(struct rte_crypto_sym_op))
#define DIGEST_OFF (IV_OFF + 16)

struct raw_dev {
	uint8_t id;
	bool started;
	struct rte_mempool *sess_pool;
	char name[64];
};

/* An existing device by name (what precedes the first ','), else the
 * vdev string hot-plugged. */
static int
find_or_probe(const char *dev, char *err, size_t errlen)
{
	char name[64];
	int id, ret;

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(dev, ","), dev);
	id = rte_cryptodev_get_dev_id(name);
	if (id >= 0)
		return id;
	ret = rte_dev_probe(dev);
	if (ret < 0 && ret != -EEXIST) {
		snprintf(err, errlen, "cannot create crypto device '%s': %s",
			 dev, rte_strerror(-ret));
		return -1;
	}
	id = rte_cryptodev_get_dev_id(name);
	if (id < 0)
		snprintf(err, errlen, "no crypto device '%s'", name);
	return id;
}

/* A pool for the one session, one queue pair, started. */
static int
start(struct raw_dev *d, char *err, size_t errlen)
{
	struct rte_cryptodev_config conf = {
		.socket_id = (int)rte_socket_id(),
		.nb_queue_pairs = 1,
	};
	struct rte_cryptodev_qp_conf qp = { .nb_descriptors = QP_DESC };

	d->sess_pool = rte_cryptodev_sym_session_pool_create("vgb_raw_sess", 2,
			rte_cryptodev_sym_get_private_session_size(d->id), 0, 0,
			conf.socket_id);
	if (d->sess_pool == NULL) {
		snprintf(err, errlen, "%s: cannot create a session pool",
			 d->name);
		return -1;
	}
	if (rte_cryptodev_configure(d->id, &conf) < 0 ||
	    rte_cryptodev_queue_pair_setup(d->id, 0, &qp, conf.socket_id) < 0 ||
	    rte_cryptodev_start(d->id) < 0) {
		snprintf(err, errlen, "%s: cannot configure and start the "
			 "device", d->name);
		return -1;
	}
	d->started = true;
	return 0;
}

static void
dev_close(struct raw_dev *d)
{
	if (d->started) {
		rte_cryptodev_stop(d->id);
		rte_cryptodev_close(d->id);
	}
	d->started = false;
	rte_mempool_free(d->sess_pool);
	d->sess_pool = NULL;
}

static int
dev_open(struct raw_dev *d, const char *dev, char *err, size_t errlen)
{
	struct rte_cryptodev_info info;
	int id;

	memset(d, 0, sizeof(*d));
	id = find_or_probe(dev, err, errlen);
	if (id < 0)
		return -1;
	d->id = (uint8_t)id;
	rte_cryptodev_info_get(d->id, &info);
	snprintf(d->name, sizeof(d->name), "%s", rte_cryptodev_name_get(d->id));
	if (!(info.feature_flags & RTE_CRYPTODEV_FF_SYMMETRIC_CRYPTO)) {
		snprintf(err, errlen, "%s: not a symmetric crypto device",
			 d->name);
		return -1;
	}
	if (start(d, err, errlen) < 0) {
		dev_close(d);
		return -1;
	}
	return 0;
}

/* The suite's transforms, sizes included: AES-GCM (12-byte IV, AAD the
 * RTP header), or AES-CTR and HMAC-SHA1 with the suite's tag. */
static bool
supports(uint8_t id, const struct vg_suite_info *si)
{
	struct rte_cryptodev_sym_capability_idx gcm = {
		.type = RTE_CRYPTO_SYM_XFORM_AEAD,
		.algo.aead = RTE_CRYPTO_AEAD_AES_GCM };
	struct rte_cryptodev_sym_capability_idx ctr = {
		.type = RTE_CRYPTO_SYM_XFORM_CIPHER,
		.algo.cipher = RTE_CRYPTO_CIPHER_AES_CTR };
	struct rte_cryptodev_sym_capability_idx hmac = {
		.type = RTE_CRYPTO_SYM_XFORM_AUTH,
		.algo.auth = RTE_CRYPTO_AUTH_SHA1_HMAC };
	const struct rte_cryptodev_symmetric_capability *c, *a;

	if (si->aead) {
		c = rte_cryptodev_sym_capability_get(id, &gcm);
		return c && rte_cryptodev_sym_capability_check_aead(c,
				si->key_len, GCM_TAG, RTP_HDR, 12) == 0;
	}
	c = rte_cryptodev_sym_capability_get(id, &ctr);
	a = rte_cryptodev_sym_capability_get(id, &hmac);
	return c && a &&
	       rte_cryptodev_sym_capability_check_cipher(c, si->key_len, 16) == 0 &&
	       rte_cryptodev_sym_capability_check_auth(a, HMAC_KEY_LEN,
						       si->rtp_tag_len, 0) == 0;
}

/* One protect session of the suite, shaped as the gateway's; the key
 * bytes do not change the cost. */
static void *
make_session(struct raw_dev *d, const struct vg_suite_info *si)
{
	static uint8_t enc[32] = { 1, 2, 3 }, auth[HMAC_KEY_LEN] = { 4, 5, 6 };
	struct rte_crypto_sym_xform x = { 0 }, h = { 0 };

	if (si->aead) {
		x.type = RTE_CRYPTO_SYM_XFORM_AEAD;
		x.aead = (struct rte_crypto_aead_xform){
			.op = RTE_CRYPTO_AEAD_OP_ENCRYPT,
			.algo = RTE_CRYPTO_AEAD_AES_GCM,
			.key = { .data = enc, .length = si->key_len },
			.iv = { .offset = IV_OFF, .length = 12 },
			.digest_length = GCM_TAG, .aad_length = RTP_HDR };
		return rte_cryptodev_sym_session_create(d->id, &x, d->sess_pool);
	}
	x.type = RTE_CRYPTO_SYM_XFORM_CIPHER;
	x.cipher = (struct rte_crypto_cipher_xform){
		.op = RTE_CRYPTO_CIPHER_OP_ENCRYPT,
		.algo = RTE_CRYPTO_CIPHER_AES_CTR,
		.key = { .data = enc, .length = si->key_len },
		.iv = { .offset = IV_OFF, .length = 16 } };
	x.next = &h;
	h.type = RTE_CRYPTO_SYM_XFORM_AUTH;
	h.auth = (struct rte_crypto_auth_xform){
		.op = RTE_CRYPTO_AUTH_OP_GENERATE,
		.algo = RTE_CRYPTO_AUTH_SHA1_HMAC,
		.key = { .data = auth, .length = HMAC_KEY_LEN },
		.digest_length = si->rtp_tag_len };
	return rte_cryptodev_sym_session_create(d->id, &x, d->sess_pool);
}

/* Op k of a burst over buffer m: the offsets crypto-perf uses for SRTP's
 * shape (payload after the RTP header; GCM AAD = the header, the tag after
 * the payload; HMAC over header, payload and 4 bytes of ROC). */
static void
fill(struct rte_crypto_op *op, void *sess, struct rte_mbuf *m,
     const struct vg_suite_info *si, unsigned size, uint64_t ctr)
{
	struct rte_crypto_sym_op *so = op->sym;
	uint8_t *iv = rte_crypto_op_ctod_offset(op, uint8_t *, IV_OFF);

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
loop(uint8_t dev, struct rte_mempool *ops, void *sess,
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
				sent += rte_cryptodev_enqueue_burst(dev, 0,
						op + sent, BURST - sent);
			got += rte_cryptodev_dequeue_burst(dev, 0, out + got,
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

/* Warm up half a second, then measure; prints the RESULT line. */
static int
measure(const struct raw_dev *d, struct rte_mempool *ops, void *sess,
	struct rte_mbuf **bufs, const struct vg_bench_raw *r)
{
	uint64_t hz = rte_get_tsc_hz(), done = 0, t0, t1;

	if (loop(d->id, ops, sess, bufs, r, rte_rdtsc() + hz / 2, &done) < 0)
		return -1;
	done = 0;
	t0 = rte_rdtsc();
	if (loop(d->id, ops, sess, bufs, r, t0 + (uint64_t)(r->seconds * hz),
		 &done) < 0)
		return -1;
	t1 = rte_rdtsc();
	printf("RESULT mode=raw device=%s suite=%s size=%u buffers=%u ops=%lu "
	       "mops=%.4f cycles_per_op=%.0f\n", d->name,
	       vg_suite_get(r->suite)->name, r->size, r->buffers,
	       (unsigned long)done,
	       (double)done / ((double)(t1 - t0) / hz) / 1e6,
	       (double)(t1 - t0) / (double)done);
	return 0;
}

int
vg_bench_raw_run(const struct vg_bench_raw *r)
{
	const struct vg_suite_info *si = vg_suite_get(r->suite);
	struct rte_mempool *mp = NULL, *ops = NULL;
	struct rte_mbuf **bufs = calloc(r->buffers, sizeof(*bufs));
	struct raw_dev d;
	void *sess = NULL;
	char err[256];
	int rc = -1;

	if (bufs == NULL || dev_open(&d, r->device, err, sizeof(err)) < 0) {
		fprintf(stderr, "raw: %s\n", bufs ? err : "out of memory");
		free(bufs);
		return -1;
	}
	if (!supports(d.id, si) || (sess = make_session(&d, si)) == NULL) {
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
	rc = measure(&d, ops, sess, bufs, r);
	if (rc < 0)
		fprintf(stderr, "raw: the device failed an op\n");
out:
	if (bufs[0] != NULL)
		rte_pktmbuf_free_bulk(bufs, r->buffers);
	if (sess != NULL)
		rte_cryptodev_sym_session_free(d.id, sess);
	rte_mempool_free(ops);
	rte_mempool_free(mp);
	dev_close(&d);
	free(bufs);
	return rc;
}
