/* SPDX-License-Identifier: BSD-3-Clause */
/* The crypto of a burst, for protect.c and unprotect.c alike: device ops
 * filled for a packet (IV, ROC, tag placement: RFC 3711 §4, RFC 7714 §8),
 * enqueued and dequeued within a bounded wait (a device may lose an op),
 * GCM through CPU crypto, GCM through OpenSSL for the headers a session's
 * AAD length does not fit, and the prefetch of a burst's state.  Knows
 * nothing of verdicts or receiver state; calls only DPDK, OpenSSL and the
 * IV builders (srtp_iv.h). */
#include <errno.h>
#include <string.h>
#include <openssl/evp.h>
#include <rte_common.h>
#include <rte_cryptodev.h>
#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>
#include "bytes.h"
#include "cdev.h"
#include "srtp_iv.h"

static inline uint64_t *
run_of(struct rte_crypto_op *cop)
{
	return rte_crypto_op_ctod_offset(cop, uint64_t *, VG_CDEV_RUN_OFF);
}

/* An op of an earlier run came back: one the device had lost, which it
 * no longer writes, nor its mbuf (the reference stand_in took). */
static void
reclaim(struct vg_cdev_engine *ce, struct rte_crypto_op *cop)
{
	if (ce->late_ops == ce->lost_ops)
		return;		/* not one we gave up: never free it twice */
	ce->late_ops++;
	rte_pktmbuf_free(cop->sym->m_src);
	rte_crypto_op_free(cop);
}

/* Dequeue up to room ops of this run into done; late ones are freed. */
static unsigned
drain(struct vg_cdev_engine *ce, uint8_t id, struct rte_crypto_op **done,
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
stand_in(struct vg_cdev_engine *ce, struct rte_crypto_op *lost)
{
	struct rte_crypto_op *s = ce->spare[--ce->n_spare];

	memcpy(rte_crypto_op_ctod_offset(s, uint8_t *, VG_CDEV_IV_OFF),
	       rte_crypto_op_ctod_offset(lost, uint8_t *, VG_CDEV_IV_OFF),
	       VG_CDEV_PRIV_SIZE);
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
give_up(struct vg_cdev_engine *ce, struct rte_crypto_op **cops, unsigned sent,
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
spares_for(struct vg_cdev_engine *ce, unsigned n)
{
	if (likely(ce->n_spare >= n))
		return true;
	if (rte_crypto_op_bulk_alloc(ce->op_pool, RTE_CRYPTO_OP_TYPE_SYMMETRIC,
				     ce->spare + ce->n_spare,
				     VG_CDEV_BURST - ce->n_spare) != 0)
		ce->n_spare = VG_CDEV_BURST;
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
vg_cdev_run(struct vg_cdev_engine *ce, uint8_t dev, struct rte_crypto_op **cops,
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

void
vg_cdev_gcm_cpu(const struct vg_cdev_engine *ce, const struct vg_cdev_stream *s,
		uint8_t **p, uint32_t *body_len, uint8_t (*iv)[12],
		int32_t *status, unsigned n)
{
	struct rte_crypto_vec v[VG_CDEV_BURST];
	struct rte_crypto_sgl sgl[VG_CDEV_BURST];
	struct rte_crypto_va_iova_ptr ivp[VG_CDEV_BURST], dig[VG_CDEV_BURST],
		aad[VG_CDEV_BURST];
	struct rte_crypto_sym_vec vec = { .num = n, .src_sgl = sgl,
		.iv = ivp, .digest = dig, .aad = aad, .status = status };
	union rte_crypto_sym_ofs ofs = { .raw = 0 };

	for (unsigned i = 0; i < n; i++) {
		v[i] = (struct rte_crypto_vec){ .base = p[i] + VG_CDEV_GCM_AAD,
						.len = body_len[i] };
		sgl[i] = (struct rte_crypto_sgl){ .vec = &v[i], .num = 1 };
		ivp[i].va = iv[i];
		dig[i].va = p[i] + VG_CDEV_GCM_AAD + body_len[i];
		aad[i].va = p[i];
		status[i] = -1;		/* not done unless the device says 0 */
	}
	rte_cryptodev_sym_cpu_crypto_process(ce->dev[s->dev]->id, s->sess, ofs,
					     &vec);
}

int
vg_cdev_openssl_gcm(struct vg_cdev_engine *ce, uint32_t id, uint8_t *p,
		    uint32_t hdr, uint32_t len, uint64_t index, bool enc)
{
	const struct vg_cdev_stream *s = &ce->streams[id];
	const EVP_CIPHER *c = s->key_len == 32 ? EVP_aes_256_gcm() :
			      EVP_aes_128_gcm();
	uint8_t iv[12];
	int n;

	vg_srtp_iv_gcm(iv, s->salt, p + 8, index);
	if (EVP_CipherInit_ex(ce->gcm, c, NULL, ce->gcm_keys[id], iv,
			      enc) != 1 ||
	    EVP_CipherUpdate(ce->gcm, NULL, &n, p, (int)hdr) != 1 ||
	    EVP_CipherUpdate(ce->gcm, p + hdr, &n, p + hdr,
			     (int)(len - hdr)) != 1 ||
	    (!enc && EVP_CIPHER_CTX_ctrl(ce->gcm, EVP_CTRL_GCM_SET_TAG,
					 VG_CDEV_GCM_TAG, p + len) != 1))
		return -1;
	if (EVP_CipherFinal_ex(ce->gcm, p + len, &n) != 1)
		return enc ? -1 : EBADMSG;
	if (enc && EVP_CIPHER_CTX_ctrl(ce->gcm, EVP_CTRL_GCM_GET_TAG,
				       VG_CDEV_GCM_TAG, p + len) != 1)
		return -1;
	return 0;
}
