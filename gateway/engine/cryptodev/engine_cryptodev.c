/* SPDX-License-Identifier: BSD-3-Clause */
/* The cryptodev engine: SRTP protection of a whole burst, for many streams,
 * by a DPDK crypto device (CPU multi-buffer PMDs here, QAT and others on the
 * same code).  It derives session keys itself (kdf.c) and builds each
 * packet's IV, ROC and tag placement (RFC 3711 §4, RFC 7714 §8).
 *
 * Measured on the 2-core reference machine (docs/engines.md): AES-CM with
 * HMAC-SHA1 only reaches the multi-buffer rate when one enqueue carries
 * packets of many sessions, while the synchronous CPU-crypto API flushes the
 * HMAC lanes on every call (8x slower for one packet per stream); for GCM,
 * CPU crypto per stream is the fastest mode.  So AES-CM goes through
 * enqueue/dequeue, GCM through CPU crypto where the device offers it.
 *
 * A cryptodev session fixes the GCM AAD length; RTP headers of another
 * length (CSRCs, extensions) are protected with OpenSSL under the same
 * session keys.  SRTCP (a few packets per second per stream) goes through
 * OpenSSL too (srtcp.c): keys and an index per stream instead of a ~30 KB
 * libsrtp session.
 *
 * Unprotect (streams of stream_add_in) lives in cdev_unprotect.c; the
 * structures both sides share are in engine_cryptodev.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <rte_crypto.h>
#include <rte_common.h>
#include <rte_cryptodev.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include "bytes.h"
#include "cdev_unprotect.h"
#include "engine_cryptodev.h"

#define OP_POOL 4096
/* How long a run waits for ops the device does not give back: a clock,
 * not a count of empty polls, whose duration depends on the PMD and the
 * CPU.  A QAT completes in tens of microseconds, well under a millisecond
 * with its rings full: 10 ms is far past any live completion.  Not
 * longer: the worker polls nothing else meanwhile, and its receive queues
 * overflow within a few milliseconds at line rate.  An op given up too
 * early costs only its packet (a later run frees it when it comes back). */
#define WAIT_MS 10

static void cdev_destroy(struct vg_engine *e);

static int
open_devices(struct cdev_engine *ce, const struct vg_engine_params *p,
	     char *err, size_t errlen)
{
	const char *cm = p->cryptodev ? p->cryptodev : "crypto_aesni_mb";
	const char *gcm = p->cryptodev_gcm ? p->cryptodev_gcm : cm;

	ce->dev[DEV_CM] = &ce->devs[0];
	if (vg_cdev_open(ce->dev[DEV_CM], cm, err, errlen) < 0)
		return -1;
	ce->shared = strcmp(cm, gcm) == 0;
	ce->dev[DEV_GCM] = ce->shared ? &ce->devs[0] : &ce->devs[1];
	if (ce->shared)
		return 0;
	return vg_cdev_open(ce->dev[DEV_GCM], gcm, err, errlen);
}

static struct vg_engine *
cdev_create(const struct vg_engine_params *p, char *err, size_t errlen)
{
	struct cdev_engine *ce = calloc(1, sizeof(*ce));
	char name[RTE_MEMPOOL_NAMESIZE];

	if (ce == NULL)
		goto err_nomem;
	ce->hdr.ops = &vg_engine_cryptodev;
	ce->max_streams = p->max_streams;
	ce->wait_tsc = rte_get_tsc_hz() / 1000 * WAIT_MS;
	/* Read for every packet, at random with 100,000 streams: on the
	 * hugepages DPDK has (rte_malloc), not 4 KiB pages, whose TLB misses
	 * cost 8 % of the worker at 100,000 streams (docs/benchmarking.md).
	 * The receiver states too (cdev_unprotect.c). */
	ce->streams = rte_zmalloc("vg_cdev_streams",
				  (p->max_streams + 1) * sizeof(*ce->streams),
				  RTE_CACHE_LINE_SIZE);
	ce->gcm_keys = calloc(p->max_streams + 1, sizeof(*ce->gcm_keys));
	ce->rtcp = calloc(p->max_streams + 1, sizeof(*ce->rtcp));
	ce->rx = rte_zmalloc("vg_cdev_rx", (p->max_streams + 1) *
			     sizeof(*ce->rx), RTE_CACHE_LINE_SIZE);
	ce->key_of = calloc(p->max_streams + 1, sizeof(*ce->key_of));
	/* At most one key per stream; half full at worst. */
	ce->keys_mask = rte_align32pow2(2 * (p->max_streams + 1)) - 1;
	ce->keys = calloc(ce->keys_mask + 1, sizeof(*ce->keys));
	ce->gcm = EVP_CIPHER_CTX_new();
	ce->srtcp = vg_srtcp_ctx_new();
	if (ce->streams == NULL || ce->gcm_keys == NULL || ce->rtcp == NULL ||
	    ce->rx == NULL || ce->key_of == NULL || ce->keys == NULL ||
	    ce->gcm == NULL || ce->srtcp == NULL)
		goto err_nomem;
	if (open_devices(ce, p, err, errlen) < 0)
		goto err;
	snprintf(name, sizeof(name), "vg_cops_%p", (void *)ce);
	ce->op_pool = rte_crypto_op_pool_create(name,
			RTE_CRYPTO_OP_TYPE_SYMMETRIC, OP_POOL, 128, PRIV_SIZE,
			(int)rte_socket_id());
	if (ce->op_pool == NULL) {
		snprintf(err, errlen, "cannot create the crypto op pool");
		goto err;
	}
	return &ce->hdr;

err_nomem:
	snprintf(err, errlen, "out of memory for %u streams (their hot state "
		 "is on hugepages: reserve more, see scripts/setup.sh)",
		 p->max_streams);
err:
	if (ce != NULL)
		cdev_destroy(&ce->hdr);
	return NULL;
}

/* Stream id's copies of its session keys: the salt, the GCM key for
 * OpenSSL, the SRTCP keys (its cryptodev session is the key table's). */
static void
wipe_keys(struct cdev_engine *ce, uint32_t id)
{
	OPENSSL_cleanse(ce->streams[id].salt, sizeof(ce->streams[id].salt));
	OPENSSL_cleanse(ce->gcm_keys[id], sizeof(ce->gcm_keys[id]));
	OPENSSL_cleanse(&ce->rtcp[id], sizeof(ce->rtcp[id]));
}

void
vg_engine_cryptodev_release(struct cdev_engine *ce, uint32_t id)
{
	struct cstream *s = &ce->streams[id];
	struct ckey *k = &ce->keys[ce->key_of[id]];

	wipe_keys(ce, id);
	if (s->sess == NULL)
		return;
	if (--k->refs == 0) {
		vg_cdev_session_free(ce->dev[s->dev], k->sess);
		k->sess = NULL;
	}
	s->sess = NULL;
	ce->n_set--;
}

unsigned
vg_engine_cryptodev_sessions(const struct vg_engine *e)
{
	const struct cdev_engine *ce = (const struct cdev_engine *)e;

	return ce->devs[0].sess_live + (ce->shared ? 0 : ce->devs[1].sess_live);
}

static void
cdev_destroy(struct vg_engine *e)
{
	struct cdev_engine *ce = to_cdev(e);

	if (e == NULL)
		return;
	for (unsigned i = 0; ce->streams && ce->keys && ce->key_of &&
			     ce->gcm_keys && ce->rtcp && i < ce->max_streams; i++)
		vg_engine_cryptodev_release(ce, i);
	for (unsigned i = 0; ce->rx && i < ce->max_streams; i++)
		vg_cdev_unprotect_forget(ce, i);
	/* The devices before the op pool: one that lost ops might write
	 * them until it is stopped.  (The mbufs of lost ops stay out of
	 * their pool: no one frees them now.)  The ops' IVs hold the salts. */
	if (!ce->shared)
		vg_cdev_close(&ce->devs[1]);
	vg_cdev_close(&ce->devs[0]);
	vg_cdev_pool_wipe(ce->op_pool);
	rte_mempool_free(ce->op_pool);
	EVP_CIPHER_CTX_free(ce->gcm);		/* cleanses its key schedule */
	vg_srtcp_ctx_free(ce->srtcp);
	if (ce->gcm_keys != NULL)
		OPENSSL_cleanse(ce->gcm_keys, (ce->max_streams + 1) *
				sizeof(*ce->gcm_keys));
	if (ce->rtcp != NULL)
		OPENSSL_cleanse(ce->rtcp, (ce->max_streams + 1) *
				sizeof(*ce->rtcp));
	free(ce->gcm_keys);
	free(ce->rtcp);
	rte_free(ce->rx);
	if (ce->keys != NULL)
		OPENSSL_cleanse(ce->keys, (ce->keys_mask + 1) * sizeof(*ce->keys));
	free(ce->keys);
	free(ce->key_of);
	if (ce->streams != NULL)		/* salts */
		OPENSSL_cleanse(ce->streams, (ce->max_streams + 1) *
				sizeof(*ce->streams));
	rte_free(ce->streams);
	free(ce);
}

/* The keys slot of (dev, direction, suite, master key): the one that
 * already has it, else a free one.  -1 when the table is full. */
static int
key_slot(struct cdev_engine *ce, uint8_t dev, bool in, enum vg_suite suite,
	 const struct vg_master_key *key, uint32_t *slot)
{
	uint8_t what[4 + VG_MASTER_MAX], d[32];
	unsigned len = 4 + key->len, i, n;
	uint32_t h;

	what[0] = dev;
	what[1] = in;
	what[2] = (uint8_t)suite;
	what[3] = key->len;
	memcpy(what + 4, key->bytes, key->len);
	n = EVP_Digest(what, len, d, NULL, EVP_sha256(), NULL);
	OPENSSL_cleanse(what, sizeof(what));
	if (n != 1)
		return -1;
	memcpy(&h, d, sizeof(h));
	for (i = h & ce->keys_mask, n = 0; n <= ce->keys_mask;
	     i = (i + 1) & ce->keys_mask, n++) {
		struct ckey *k = &ce->keys[i];

		if (!k->used) {
			k->used = 1;
			memcpy(k->digest, d, sizeof(d));
		} else if (memcmp(k->digest, d, sizeof(d)) != 0) {
			continue;
		}
		*slot = i;
		return 0;
	}
	return -1;
}

int
vg_engine_cryptodev_setup(struct cdev_engine *ce, uint32_t id,
			  enum vg_suite suite, const struct vg_master_key *key,
			  uint32_t ssrc, bool in, char *err, size_t errlen)
{
	const struct vg_suite_info *si = vg_suite_get(suite);
	struct vg_session_keys k;
	struct cstream *s;
	struct ckey *ck;
	uint32_t slot;
	uint8_t dev;

	if (si == NULL || id >= ce->max_streams) {
		snprintf(err, errlen, "bad suite or stream id %u", id);
		return -1;
	}
	dev = si->aead ? DEV_GCM : DEV_CM;
	if (!vg_cdev_supports(ce->dev[dev], suite)) {
		snprintf(err, errlen, "crypto device %s cannot do %s",
			 ce->dev[dev]->name, si->name);
		return -1;
	}
	if (vg_kdf_derive(suite, key, false, &k) < 0) {
		snprintf(err, errlen, "key of %u bytes does not fit %s",
			 key->len, si->name);
		return -1;
	}
	s = &ce->streams[id];
	vg_engine_cryptodev_release(ce, id);
	vg_cdev_unprotect_forget(ce, id);
	if (key_slot(ce, dev, in, suite, key, &slot) < 0) {
		vg_kdf_wipe(&k);
		snprintf(err, errlen, "no room for another key (%u streams)",
			 ce->max_streams);
		return -1;
	}
	ck = &ce->keys[slot];
	if (ck->sess == NULL)
		ck->sess = vg_cdev_srtp_session(ce->dev[dev], si, &k, in);
	if (ck->sess == NULL) {
		vg_kdf_wipe(&k);
		snprintf(err, errlen, "%s: cannot create a session",
			 ce->dev[dev]->name);
		return -1;
	}
	memcpy(s->salt, k.salt, k.salt_len);
	memcpy(ce->gcm_keys[id], k.enc, k.enc_len);
	s->key_len = k.enc_len;
	vg_kdf_wipe(&k);
	ck->refs++;
	ce->key_of[id] = slot;
	ce->n_set++;
	s->sess = ck->sess;
	s->aead = si->aead;
	s->tag_len = si->rtp_tag_len;
	s->dev = dev;
	s->in = in;
	s->ssrc = ssrc;
	if (vg_srtcp_stream_init(&ce->rtcp[id], suite, key, ssrc) < 0) {
		snprintf(err, errlen, "cannot derive SRTCP keys");
		vg_engine_cryptodev_release(ce, id);
		return -1;
	}
	return 0;
}

static int
cdev_stream_add(struct vg_engine *e, uint32_t id, enum vg_suite suite,
		const struct vg_master_key *key, uint32_t ssrc, char *err,
		size_t errlen)
{
	return vg_engine_cryptodev_setup(to_cdev(e), id, suite, key, ssrc,
					 false, err, errlen);
}

/* The stream exists, carries this SSRC and the header fits the packet. */
static inline bool
valid(const struct cdev_engine *ce, const struct vg_crypto_op *op)
{
	const struct cstream *s;

	if (op->stream >= ce->max_streams || op->len < 12 ||
	    op->hdr_len < 12 || op->hdr_len > op->len)
		return false;
	s = &ce->streams[op->stream];
	return s->sess != NULL && !s->in &&
	       vg_get_be32(op->data + 8) == s->ssrc;
}

static void
fill_cm(struct rte_crypto_op *cop, const struct cstream *s,
	struct vg_crypto_op *op, uint32_t base)
{
	struct rte_crypto_sym_op *so = cop->sym;
	uint32_t roc = (uint32_t)(op->index >> 16);
	uint8_t *roc_at = op->data + op->len;

	cm_iv(rte_crypto_op_ctod_offset(cop, uint8_t *, IV_OFF), s, op->data,
	      op->index);
	/* The ROC is authenticated but not sent: it sits where the tag goes
	 * and the tag overwrites it. */
	vg_put_be32(roc_at, roc);
	so->cipher.data.offset = base + op->hdr_len;
	so->cipher.data.length = op->len - op->hdr_len;
	so->auth.data.offset = base;
	so->auth.data.length = op->len + 4;
	so->auth.digest.data = rte_crypto_op_ctod_offset(cop, uint8_t *,
							 DIGEST_OFF);
	so->auth.digest.phys_addr = rte_crypto_op_ctophys_offset(cop,
								 DIGEST_OFF);
}

static void
fill_gcm(struct rte_crypto_op *cop, const struct cstream *s,
	 struct vg_crypto_op *op, uint32_t base, struct rte_mbuf *m)
{
	struct rte_crypto_sym_op *so = cop->sym;

	gcm_iv(rte_crypto_op_ctod_offset(cop, uint8_t *, IV_OFF), s, op->data,
	       op->index);
	so->aead.data.offset = base + op->hdr_len;
	so->aead.data.length = op->len - op->hdr_len;
	so->aead.aad.data = op->data;
	so->aead.aad.phys_addr = rte_pktmbuf_iova_offset(m, base);
	so->aead.digest.data = op->data + op->len;
	so->aead.digest.phys_addr = rte_pktmbuf_iova_offset(m, base + op->len);
}

static void
finish_enqueued(struct cdev_engine *ce, struct rte_crypto_op **done,
		unsigned n, struct vg_crypto_op *ops)
{
	for (unsigned i = 0; i < n; i++) {
		struct rte_crypto_op *cop = done[i];
		struct vg_crypto_op *op =
			&ops[*rte_crypto_op_ctod_offset(cop, uint16_t *, REF_OFF)];
		const struct cstream *s = &ce->streams[op->stream];

		if (cop->status != RTE_CRYPTO_OP_STATUS_SUCCESS) {
			op->status = VG_DROP_PROTECT_FAIL;
			continue;
		}
		if (!s->aead)
			memcpy(op->data + op->len, rte_crypto_op_ctod_offset(
				cop, uint8_t *, DIGEST_OFF), s->tag_len);
		op->len += s->tag_len;
		op->status = VG_DROP_NONE;
	}
	rte_mempool_put_bulk(ce->op_pool, (void **)done, n);
}

static inline uint64_t *
run_of(struct rte_crypto_op *cop)
{
	return rte_crypto_op_ctod_offset(cop, uint64_t *, RUN_OFF);
}

/* An op of an earlier run came back: one the device had lost, which it
 * no longer writes, nor its mbuf (the reference stand_in took). */
static void
reclaim(struct cdev_engine *ce, struct rte_crypto_op *cop)
{
	if (ce->late_ops == ce->lost_ops)
		return;		/* not one we gave up: never free it twice */
	ce->late_ops++;
	rte_pktmbuf_free(cop->sym->m_src);
	rte_crypto_op_free(cop);
}

/* Dequeue up to room ops of this run into done; late ones are freed. */
static unsigned
drain(struct cdev_engine *ce, uint8_t id, struct rte_crypto_op **done,
      unsigned room)
{
	unsigned got = rte_cryptodev_dequeue_burst(id, 0, done, (uint16_t)room);
	unsigned k = 0;

	for (unsigned i = 0; i < got; i++) {
		if (likely(*run_of(done[i]) == ce->run))
			done[k++] = done[i];
		else
			reclaim(ce, done[i]);
	}
	return k;
}

/* The caller gets a spare in place of lost, with its ref and digest, and
 * will return the spare to the pool; lost stays out of it, and so does its
 * mbuf, on one reference more than the caller frees. */
static struct rte_crypto_op *
stand_in(struct cdev_engine *ce, struct rte_crypto_op *lost)
{
	struct rte_crypto_op *s = ce->spare[--ce->n_spare];

	memcpy(rte_crypto_op_ctod_offset(s, uint8_t *, IV_OFF),
	       rte_crypto_op_ctod_offset(lost, uint8_t *, IV_OFF), PRIV_SIZE);
	rte_pktmbuf_refcnt_update(lost->sym->m_src, 1);
	ce->lost_ops++;
	return s;
}

static bool
returned(const struct rte_crypto_op *cop, struct rte_crypto_op **done,
	 unsigned got)
{
	for (unsigned k = 0; k < got; k++)
		if (done[k] == cop)
			return true;
	return false;
}

/* Past the wait: cops[sent..n) never reached the device and go back as
 * failed; each op of cops[0..sent) not in done[0..got) is lost. */
static unsigned
give_up(struct cdev_engine *ce, struct rte_crypto_op **cops, unsigned sent,
	struct rte_crypto_op **done, unsigned got, unsigned n)
{
	unsigned back = got;

	for (unsigned i = 0; i < n; i++) {
		struct rte_crypto_op *c = cops[i];

		if (i < sent) {
			if (returned(c, done, back))
				continue;
			c = stand_in(ce, c);
		}
		c->status = RTE_CRYPTO_OP_STATUS_ERROR;
		done[got++] = c;
	}
	return got;
}

/* Enough stand-ins for n lost ops before any is sent; else none is sent
 * (only when lost ops have drained the pool). */
static bool
spares_for(struct cdev_engine *ce, unsigned n)
{
	if (likely(ce->n_spare >= n))
		return true;
	if (rte_crypto_op_bulk_alloc(ce->op_pool, RTE_CRYPTO_OP_TYPE_SYMMETRIC,
				     ce->spare + ce->n_spare,
				     BURST_MAX - ce->n_spare) != 0)
		ce->n_spare = BURST_MAX;
	return ce->n_spare >= n;
}

/* The device is polled until the whole burst is back or ce->wait_tsc has
 * passed since the first poll that left ops out (the clock is read only
 * then): a device can lose an op, and the worker must go on.  Software
 * PMDs need a few polls too (aesni_mb flushes one multi-buffer lane per
 * empty poll).  Each op carries the run that sent it, so that one given
 * back after its run gave up on it is never taken for an op of a later
 * run (its ref would point into the wrong burst: a verdict, even a
 * verified tag, on another packet). */
unsigned
vg_engine_cryptodev_run(struct cdev_engine *ce, uint8_t dev,
			struct rte_crypto_op **cops,
			struct rte_crypto_op **done, unsigned n)
{
	uint8_t id = ce->dev[dev]->id;
	unsigned sent = 0, got = 0, i;
	uint64_t deadline = 0, now;

	if (unlikely(!spares_for(ce, n))) {
		for (i = 0; i < n; i++) {
			cops[i]->status = RTE_CRYPTO_OP_STATUS_ERROR;
			done[i] = cops[i];
		}
		return n;
	}
	ce->run++;
	for (i = 0; i < n; i++)
		*run_of(cops[i]) = ce->run;
	while (got < n) {
		if (sent < n)
			sent += rte_cryptodev_enqueue_burst(id, 0, cops + sent,
							    (uint16_t)(n - sent));
		got += drain(ce, id, done + got, n - got);
		if (got == n)
			break;
		now = rte_get_tsc_cycles();
		if (deadline == 0)
			deadline = now + ce->wait_tsc;
		else if (now >= deadline)
			return give_up(ce, cops, sent, done, got, n);
	}
	return got;
}

uint64_t
vg_engine_cryptodev_lost(const struct vg_engine *e)
{
	return ((const struct cdev_engine *)e)->lost_ops;
}

uint64_t
vg_engine_cryptodev_late(const struct vg_engine *e)
{
	return ((const struct cdev_engine *)e)->late_ops;
}

/* Enqueue/dequeue path: one device call carries packets of many sessions. */
static void
run_enqueue(struct cdev_engine *ce, uint8_t dev, struct vg_crypto_op *ops,
	    const uint16_t *sel, unsigned n)
{
	struct rte_crypto_op *cops[BURST_MAX], *done[BURST_MAX];
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
		struct vg_crypto_op *op = &ops[sel[i]];
		const struct cstream *s = &ce->streams[op->stream];
		uint32_t base = cop_attach(cops[i], s, op, sel[i]);

		if (s->aead)
			fill_gcm(cops[i], s, op, base, op->mbuf);
		else
			fill_cm(cops[i], s, op, base);
	}
	finish_enqueued(ce, done, vg_engine_cryptodev_run(ce, dev, cops, done, n),
			ops);
}

/* The tag was written right after the ciphertext. */
static inline void
gcm_done(struct vg_crypto_op *op, bool ok)
{
	if (ok)
		op->len += GCM_TAG_LEN;
	op->status = ok ? VG_DROP_NONE : VG_DROP_PROTECT_FAIL;
}

void
vg_engine_cryptodev_gcm(const struct cdev_engine *ce, const struct cstream *s,
			uint8_t **p, uint32_t *body_len,
			uint8_t (*iv)[12], int32_t *status, unsigned n)
{
	struct rte_crypto_vec v[BURST_MAX];
	struct rte_crypto_sgl sgl[BURST_MAX];
	struct rte_crypto_va_iova_ptr ivp[BURST_MAX], dig[BURST_MAX],
		aad[BURST_MAX];
	struct rte_crypto_sym_vec vec = { .num = n, .src_sgl = sgl,
		.iv = ivp, .digest = dig, .aad = aad, .status = status };
	union rte_crypto_sym_ofs ofs = { .raw = 0 };

	for (unsigned i = 0; i < n; i++) {
		v[i] = (struct rte_crypto_vec){ .base = p[i] + GCM_AAD_LEN,
						.len = body_len[i] };
		sgl[i] = (struct rte_crypto_sgl){ .vec = &v[i], .num = 1 };
		ivp[i].va = iv[i];
		dig[i].va = p[i] + GCM_AAD_LEN + body_len[i];
		aad[i].va = p[i];
		status[i] = -1;		/* not done unless the device says 0 */
	}
	rte_cryptodev_sym_cpu_crypto_process(ce->dev[s->dev]->id, s->sess, ofs,
					     &vec);
}

/* Synchronous CPU-crypto path for GCM: no op objects, no queue.  One call
 * for ops[idx[0..n)], which share a session (the streams of one key): the
 * device's per-call work (device checks, its per-lcore state) is paid once
 * for them instead of once per packet. */
static void
run_cpu_gcm(struct cdev_engine *ce, struct vg_crypto_op *ops,
	    const uint16_t *idx, unsigned n)
{
	uint8_t iv[BURST_MAX][12], *p[BURST_MAX];
	uint32_t body[BURST_MAX];
	int32_t status[BURST_MAX];

	for (unsigned i = 0; i < n; i++) {
		struct vg_crypto_op *op = &ops[idx[i]];

		gcm_iv(iv[i], &ce->streams[op->stream], op->data, op->index);
		p[i] = op->data;
		body[i] = op->len - GCM_AAD_LEN;
	}
	vg_engine_cryptodev_gcm(ce, &ce->streams[ops[idx[0]].stream], p, body,
				iv, status, n);
	for (unsigned i = 0; i < n; i++)
		gcm_done(&ops[idx[i]], status[i] == 0);
}

/* GCM with an AAD length the session was not made for (CSRCs or a header
 * extension): OpenSSL, same session key and IV, byte-identical output. */
static void
run_openssl_gcm(struct cdev_engine *ce, struct vg_crypto_op *op)
{
	const struct cstream *s = &ce->streams[op->stream];
	const EVP_CIPHER *c = s->key_len == 32 ? EVP_aes_256_gcm() :
			      EVP_aes_128_gcm();
	uint8_t iv[12], *body = op->data + op->hdr_len;
	int n, ok;

	gcm_iv(iv, s, op->data, op->index);
	ok = EVP_EncryptInit_ex(ce->gcm, c, NULL, ce->gcm_keys[op->stream],
				iv) == 1 &&
	     EVP_EncryptUpdate(ce->gcm, NULL, &n, op->data, op->hdr_len) == 1 &&
	     EVP_EncryptUpdate(ce->gcm, body, &n, body,
			       (int)(op->len - op->hdr_len)) == 1 &&
	     EVP_EncryptFinal_ex(ce->gcm, body + n, &n) == 1 &&
	     EVP_CIPHER_CTX_ctrl(ce->gcm, EVP_CTRL_GCM_GET_TAG, GCM_TAG_LEN,
				 op->data + op->len) == 1;
	gcm_done(op, ok);
}

static void
run_rtcp(struct cdev_engine *ce, struct vg_crypto_op *op)
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

/* With many streams, the engine state and key schedules of a burst are out
 * of cache: start every miss before the device touches any of them.  The
 * whole session is fetched: the cipher reads all of its key schedule (GCM's
 * GHASH key powers alone are 768 bytes with VAES), and half of it measured
 * 0.84 against 1.17 Mpps for all of it at 100,000 GCM streams.  (The
 * payloads are not prefetched: the hardware prefetcher streams them, and
 * prefetching them too measured no faster.) */
void
vg_engine_cryptodev_prefetch(const struct cdev_engine *ce,
			     const struct vg_crypto_op *ops, unsigned n)
{
	const uint8_t *last = NULL;
	unsigned i, off;

	for (i = 0; i < n; i++)
		if (ops[i].stream < ce->max_streams)
			rte_prefetch0(&ce->streams[ops[i].stream]);
	for (i = 0; i < n; i++) {
		const struct cstream *s;
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

static void
cdev_protect_burst(struct vg_engine *e, struct vg_crypto_op *ops, uint16_t n)
{
	struct cdev_engine *ce = to_cdev(e);
	/* Zeroed: gcc cannot see that only written slots are read. */
	uint16_t q[2][BURST_MAX] = { { 0 } }, g[BURST_MAX];
	unsigned nq[2] = { 0, 0 }, ng = 0;
	const void *gsess = NULL;		/* the session of g */

	vg_engine_cryptodev_prefetch(ce, ops, RTE_MIN(n, (uint16_t)BURST_MAX));
	for (unsigned i = 0; i < n && i < BURST_MAX; i++) {
		struct vg_crypto_op *op = &ops[i];
		const struct cstream *s;

		if (op->rtcp) {
			run_rtcp(ce, op);
			continue;
		}
		if (unlikely(!valid(ce, op) || op->mbuf == NULL)) {
			op->status = VG_DROP_PROTECT_FAIL;
			continue;
		}
		s = &ce->streams[op->stream];
		if (s->aead && op->hdr_len != GCM_AAD_LEN) {
			run_openssl_gcm(ce, op);
		} else if (s->aead && ce->dev[DEV_GCM]->cpu_crypto) {
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
	for (unsigned i = BURST_MAX; i < n; i++)
		ops[i].status = VG_DROP_PROTECT_FAIL;
	run_enqueue(ce, DEV_CM, ops, q[DEV_CM], nq[DEV_CM]);
	run_enqueue(ce, DEV_GCM, ops, q[DEV_GCM], nq[DEV_GCM]);
}

/* One stream's share: hot state, cold keys, table slots, and the session
 * memory the device pools hold divided among the streams using it (before
 * any stream: one session each, a key per camera); once in-streams exist,
 * their receiver state (windows) too, so that the figure is the larger of
 * an out- and an in-stream. */
static size_t
cdev_stream_size(const struct vg_engine *e)
{
	const struct cdev_engine *ce = (const struct cdev_engine *)e;
	size_t sess = (size_t)ce->devs[0].sess_slots * ce->devs[0].sess_elt;

	if (!ce->shared)
		sess += (size_t)ce->devs[1].sess_slots * ce->devs[1].sess_elt;
	return sizeof(struct cstream) + sizeof(ce->gcm_keys[0]) +
	       sizeof(ce->rtcp[0]) + sizeof(ce->rx[0]) + sizeof(ce->key_of[0]) +
	       (ce->keys_mask + 1) * sizeof(struct ckey) / ce->max_streams +
	       (ce->n_set ? sess / ce->n_set : ce->devs[0].sess_elt) +
	       (ce->n_in > 0 ? vg_cdev_unprotect_state_size() : 0);
}

const struct vg_engine_ops vg_engine_cryptodev = {
	.name = "cryptodev",
	.create = cdev_create,
	.destroy = cdev_destroy,
	.stream_add = cdev_stream_add,
	.protect_burst = cdev_protect_burst,
	.stream_add_in = vg_cdev_unprotect_add,
	.unprotect_burst = vg_cdev_unprotect_burst,
	.rx_set = vg_cdev_unprotect_rx_set,
	.stream_size = cdev_stream_size,
};
