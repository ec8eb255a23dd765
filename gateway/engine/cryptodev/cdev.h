/* SPDX-License-Identifier: BSD-3-Clause */
/* Crypto devices for the cryptodev engine: probe by vdev string or find by
 * name, check the algorithms a suite needs, set up one queue pair, and make
 * sessions from pools that grow as sessions are asked for (a region whose
 * cameras share their center's key needs a handful, one with a key per
 * camera as many as cameras: neither pays for the other). */
#ifndef VG_CDEV_H
#define VG_CDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <rte_crypto.h>
#include <rte_mempool.h>
#include "kdf.h"
#include "suite.h"

/* Where an op carries its IV (the start of its private area), and what a
 * GCM session is made for: the 12-byte RTP header as AAD, a 16-byte tag. */
#define VG_CDEV_IV_OFF (sizeof(struct rte_crypto_op) + \
			sizeof(struct rte_crypto_sym_op))
#define VG_CDEV_GCM_AAD 12
#define VG_CDEV_GCM_TAG 16

#define VG_CDEV_POOLS 26		/* doubling pools: 8 << 25 sessions */

struct vg_cdev {
	uint8_t id;			/* cryptodev id */
	bool cpu_crypto;		/* offers rte_cryptodev_sym_cpu_crypto_process */
	bool started;
	unsigned n_pools;
	struct rte_mempool *pools[VG_CDEV_POOLS];
	unsigned sess_slots;		/* sessions the pools can hold */
	unsigned sess_live;		/* sessions made and not freed */
	unsigned sess_elt;		/* bytes of one session (pool element) */
	unsigned sess_bytes;		/* of it prefetched per packet */
	char name[64];
};

/* Open the device named by dev (vdev string, or existing device name).
 * 0, or -1 with err set. */
int vg_cdev_open(struct vg_cdev *d, const char *dev, char *err,
		 size_t errlen);

/* A session of xform on d, from a new pool when the others are full.
 * NULL when the device refuses it or memory runs out. */
void *vg_cdev_session_create(struct vg_cdev *d,
			     struct rte_crypto_sym_xform *xform);
/* Free sess, its keys zeroed (by DPDK, else here). */
void vg_cdev_session_free(struct vg_cdev *d, void *sess);

/* Zero every object of mp (free or not), before freeing it: sessions hold
 * key schedules, crypto ops IVs made from salts. */
void vg_cdev_pool_wipe(struct rte_mempool *mp);

/* The session of SRTP suite si with session keys k on d, for protecting
 * (in false) or unprotecting; NULL as vg_cdev_session_create. */
void *vg_cdev_srtp_session(struct vg_cdev *d, const struct vg_suite_info *si,
			   const struct vg_session_keys *k, bool in);

/* true if the device can run suite (cipher, auth and tag sizes). */
bool vg_cdev_supports(const struct vg_cdev *d, enum vg_suite suite);

void vg_cdev_close(struct vg_cdev *d);

#endif
