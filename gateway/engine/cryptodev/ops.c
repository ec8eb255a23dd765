/* SPDX-License-Identifier: BSD-3-Clause */
/* The cryptodev engine's ops table, vg_engine_cryptodev (engine.h), its
 * only name the gateway sees: SRTP and SRTCP for a whole burst of many
 * streams on DPDK crypto devices (CPU multi-buffer PMDs here, QAT and
 * others on the same code), session keys derived by the engine itself.
 * This file makes and frees an engine (devices, op pool, per-stream
 * arrays) and reports its sizes and counters; the bursts go to protect.c
 * and unprotect.c, a stream's set-up to keys.c.  The files and the way
 * their calls go are listed in cdev.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <rte_common.h>
#include <rte_cryptodev.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include "cdev.h"
#include "srtcp.h"

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
open_devices(struct vg_cdev_engine *ce, const struct vg_engine_params *p,
	     char *err, size_t errlen)
{
	const char *cm = p->cryptodev ? p->cryptodev : "crypto_aesni_mb";
	const char *gcm = p->cryptodev_gcm ? p->cryptodev_gcm : cm;

	ce->dev[VG_CDEV_DEV_CM] = &ce->devs[0];
	if (vg_cdev_open(ce->dev[VG_CDEV_DEV_CM], cm, err, errlen) < 0)
		return -1;
	ce->shared = strcmp(cm, gcm) == 0;
	ce->dev[VG_CDEV_DEV_GCM] = ce->shared ? &ce->devs[0] : &ce->devs[1];
	if (ce->shared)
		return 0;
	return vg_cdev_open(ce->dev[VG_CDEV_DEV_GCM], gcm, err, errlen);
}

static struct vg_engine *
cdev_create(const struct vg_engine_params *p, char *err, size_t errlen)
{
	struct vg_cdev_engine *ce = calloc(1, sizeof(*ce));
	char name[RTE_MEMPOOL_NAMESIZE];

	if (ce == NULL)
		goto err_nomem;
	ce->hdr.ops = &vg_engine_cryptodev;
	ce->max_streams = p->max_streams;
	ce->wait_tsc = rte_get_tsc_hz() / 1000 * WAIT_MS;
	/* Read for every packet, at random with 100,000 streams: on the
	 * hugepages DPDK has (rte_malloc), not 4 KiB pages, whose TLB misses
	 * cost 8 % of the worker at 100,000 streams (docs/benchmarking.md).
	 * The receiver states too (keys.c). */
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
			RTE_CRYPTO_OP_TYPE_SYMMETRIC, OP_POOL, 128,
			VG_CDEV_PRIV_SIZE, (int)rte_socket_id());
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

static void
cdev_destroy(struct vg_engine *e)
{
	struct vg_cdev_engine *ce = vg_cdev_from(e);

	if (e == NULL)
		return;
	for (unsigned i = 0; ce->streams && ce->keys && ce->key_of &&
			     ce->gcm_keys && ce->rtcp && ce->rx &&
			     i < ce->max_streams; i++)
		vg_cdev_stream_release(ce, i);
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

static int
cdev_stream_add(struct vg_engine *e, uint32_t id, enum vg_suite suite,
		const struct vg_master_key *key, uint32_t ssrc, char *err,
		size_t errlen)
{
	return vg_cdev_stream_set(vg_cdev_from(e), id, suite, key, ssrc, false,
				  err, errlen);
}

static int
cdev_stream_add_in(struct vg_engine *e, uint32_t id, enum vg_suite suite,
		   const struct vg_master_key *key, uint32_t ssrc, char *err,
		   size_t errlen)
{
	return vg_cdev_stream_set(vg_cdev_from(e), id, suite, key, ssrc, true,
				  err, errlen);
}

/* One stream's share: hot state, cold keys, table slots, and the session
 * memory the device pools hold divided among the streams using it (before
 * any stream: one session each, a key per camera); once in-streams exist,
 * their receiver state (windows) too, so that the figure is the larger of
 * an out- and an in-stream. */
static size_t
cdev_stream_size(const struct vg_engine *e)
{
	const struct vg_cdev_engine *ce = (const struct vg_cdev_engine *)e;
	size_t sess = (size_t)ce->devs[0].sess_slots * ce->devs[0].sess_elt;

	if (!ce->shared)
		sess += (size_t)ce->devs[1].sess_slots * ce->devs[1].sess_elt;
	return sizeof(struct vg_cdev_stream) + sizeof(ce->gcm_keys[0]) +
	       sizeof(ce->rtcp[0]) + sizeof(ce->rx[0]) + sizeof(ce->key_of[0]) +
	       (ce->keys_mask + 1) * sizeof(struct vg_cdev_key) /
	       ce->max_streams +
	       (ce->n_set ? sess / ce->n_set : ce->devs[0].sess_elt) +
	       (ce->n_in > 0 ? vg_cdev_rx_size() : 0);
}

/* Sessions alive (one per distinct device, direction, suite and key) and
 * the ops a device lost. */
static void
cdev_stats(const struct vg_engine *e, struct vg_engine_stats *st)
{
	const struct vg_cdev_engine *ce = (const struct vg_cdev_engine *)e;

	st->sessions = ce->devs[0].sess_live +
		       (ce->shared ? 0 : ce->devs[1].sess_live);
	st->lost_ops = ce->lost_ops;
	st->late_ops = ce->late_ops;
}

const struct vg_engine_ops vg_engine_cryptodev = {
	.name = "cryptodev",
	.create = cdev_create,
	.destroy = cdev_destroy,
	.stream_add = cdev_stream_add,
	.protect_burst = vg_cdev_protect_burst,
	.stream_add_in = cdev_stream_add_in,
	.unprotect_burst = vg_cdev_unprotect_burst,
	.rx_set = vg_cdev_rx_set,
	.stream_size = cdev_stream_size,
	.stats = cdev_stats,
};
