/* SPDX-License-Identifier: BSD-3-Clause */
/* Crypto devices of the cryptodev engine (cdev.h, the bottom layer): what a
 * device can do, its queue pair, its session pools and their wiping.  Knows
 * nothing of streams or keys; called by keys.c (sessions) and ops.c (open,
 * close). */
#include <stdio.h>
#include <string.h>
#include <rte_cryptodev.h>
#include <rte_dev.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include "cdev.h"

#define QP_DESC 2048
/* A session larger than this is prefetched in part only (a hardware PMD's
 * session may hold much that the data path never reads). */
#define SESS_PREFETCH_MAX 2048u

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

/* The first pool holds 8 sessions (a PoP with a few center keys needs no
 * more), each next one as many as all before it. */
static int
grow(struct vg_cdev *d)
{
	unsigned n = d->sess_slots ? d->sess_slots : 8;
	char pool[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool *mp;

	if (d->n_pools == VG_CDEV_POOLS)
		return -1;
	snprintf(pool, sizeof(pool), "vg_sess_%u_%u", d->id, d->n_pools);
	mp = rte_cryptodev_sym_session_pool_create(pool, n,
			rte_cryptodev_sym_get_private_session_size(d->id), 0, 0,
			(int)rte_socket_id());
	if (mp == NULL)
		return -1;
	d->pools[d->n_pools++] = mp;
	d->sess_slots += n;
	/* The session header and the PMD's keys are one mempool element. */
	d->sess_elt = mp->elt_size;
	d->sess_bytes = RTE_MIN(mp->elt_size, SESS_PREFETCH_MAX);
	return 0;
}

void *
vg_cdev_session_create(struct vg_cdev *d, struct rte_crypto_sym_xform *xform)
{
	void *sess;

	/* Sessions come from the newest pool.  Room a freed session leaves
	 * in an older one is not reused: keys are set at start-up, so that
	 * happens only when a stream is set up twice. */
	if ((d->n_pools == 0 ||
	     rte_mempool_avail_count(d->pools[d->n_pools - 1]) == 0) &&
	    grow(d) < 0)
		return NULL;
	sess = rte_cryptodev_sym_session_create(d->id, xform,
						d->pools[d->n_pools - 1]);
	if (sess != NULL)
		d->sess_live++;
	return sess;
}

/* DPDK 22.11 clears a session as it frees it: the PMD's
 * sym_session_clear (OpenSSL frees its contexts, which cleanse their key
 * schedules; ipsec_mb's does nothing), then the library zeroes the whole
 * private data, where every PMD keeps its keys.  (No separate
 * rte_cryptodev_sym_session_clear any more.)  When it refuses (a PMD
 * without sym_session_clear: -ENOTSUP, session not returned to its pool),
 * the session is never used again: zeroed here. */
void
vg_cdev_session_free(struct vg_cdev *d, void *sess)
{
	if (sess == NULL)
		return;
	if (rte_cryptodev_sym_session_free(d->id, sess) < 0)
		explicit_bzero(sess, rte_mempool_from_obj(sess)->elt_size);
	d->sess_live--;
}

static void
wipe_obj(struct rte_mempool *mp, void *arg, void *obj, unsigned idx)
{
	(void)arg;
	(void)idx;
	explicit_bzero(obj, mp->elt_size);
}

void
vg_cdev_pool_wipe(struct rte_mempool *mp)
{
	if (mp != NULL)
		rte_mempool_obj_iter(mp, wipe_obj, NULL);
}

static int
start(struct vg_cdev *d, char *err, size_t errlen)
{
	struct rte_cryptodev_config conf = {
		.socket_id = (int)rte_socket_id(),
		.nb_queue_pairs = 1,
	};
	/* No session pool here: it only serves session-less ops. */
	struct rte_cryptodev_qp_conf qp = { .nb_descriptors = QP_DESC };

	if (grow(d) < 0) {
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

int
vg_cdev_open(struct vg_cdev *d, const char *dev, char *err, size_t errlen)
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
	d->cpu_crypto = info.feature_flags & RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO;
	if (!(info.feature_flags & RTE_CRYPTODEV_FF_SYMMETRIC_CRYPTO)) {
		snprintf(err, errlen, "%s: not a symmetric crypto device",
			 d->name);
		return -1;
	}
	if (start(d, err, errlen) < 0) {
		vg_cdev_close(d);
		return -1;
	}
	return 0;
}

static bool
has_cipher(uint8_t id, enum rte_crypto_cipher_algorithm algo, uint16_t key,
	   uint16_t iv)
{
	struct rte_cryptodev_sym_capability_idx idx = {
		.type = RTE_CRYPTO_SYM_XFORM_CIPHER, .algo.cipher = algo };
	const struct rte_cryptodev_symmetric_capability *cap =
		rte_cryptodev_sym_capability_get(id, &idx);

	return cap && rte_cryptodev_sym_capability_check_cipher(cap, key, iv) == 0;
}

static bool
has_auth(uint8_t id, uint16_t key, uint16_t digest)
{
	struct rte_cryptodev_sym_capability_idx idx = {
		.type = RTE_CRYPTO_SYM_XFORM_AUTH,
		.algo.auth = RTE_CRYPTO_AUTH_SHA1_HMAC };
	const struct rte_cryptodev_symmetric_capability *cap =
		rte_cryptodev_sym_capability_get(id, &idx);

	return cap && rte_cryptodev_sym_capability_check_auth(cap, key, digest,
							      0) == 0;
}

static bool
has_gcm(uint8_t id, uint16_t key)
{
	struct rte_cryptodev_sym_capability_idx idx = {
		.type = RTE_CRYPTO_SYM_XFORM_AEAD,
		.algo.aead = RTE_CRYPTO_AEAD_AES_GCM };
	const struct rte_cryptodev_symmetric_capability *cap =
		rte_cryptodev_sym_capability_get(id, &idx);

	return cap && rte_cryptodev_sym_capability_check_aead(cap, key, 16, 12,
							      12) == 0;
}

bool
vg_cdev_supports(const struct vg_cdev *d, enum vg_suite suite)
{
	const struct vg_suite_info *si = vg_suite_get(suite);

	if (si == NULL)
		return false;
	if (si->aead)
		return has_gcm(d->id, si->key_len);
	return has_cipher(d->id, RTE_CRYPTO_CIPHER_AES_CTR, si->key_len, 16) &&
	       has_auth(d->id, 20, si->rtp_tag_len);
}

void
vg_cdev_close(struct vg_cdev *d)
{
	if (d->started) {
		rte_cryptodev_stop(d->id);
		rte_cryptodev_close(d->id);
	}
	d->started = false;
	/* Sessions still alive (none once the engine has let its streams
	 * go) would go back to the hugepages with their keys. */
	for (unsigned i = 0; i < d->n_pools; i++) {
		vg_cdev_pool_wipe(d->pools[i]);
		rte_mempool_free(d->pools[i]);
	}
	d->n_pools = 0;
	d->sess_slots = 0;
}
