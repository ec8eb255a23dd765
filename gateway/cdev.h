/* Crypto devices for the cryptodev engine: probe by vdev string or find by
 * name, check the algorithms a suite needs, and set up one queue pair and a
 * session pool. */
#ifndef VG_CDEV_H
#define VG_CDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <rte_mempool.h>
#include "suite.h"

struct vg_cdev {
	uint8_t id;			/* cryptodev id */
	bool cpu_crypto;		/* offers rte_cryptodev_sym_cpu_crypto_process */
	bool started;
	struct rte_mempool *sess_pool;
	unsigned sess_bytes;		/* one session's memory (keys): prefetched whole */
	char name[64];
};

/* Open the device named by dev (vdev string, or existing device name) with
 * room for n_sessions sessions.  0, or -1 with err set. */
int vg_cdev_open(struct vg_cdev *d, const char *dev, unsigned n_sessions,
		 char *err, size_t errlen);

/* true if the device can run suite (cipher, auth and tag sizes). */
bool vg_cdev_supports(const struct vg_cdev *d, enum vg_suite suite);

void vg_cdev_close(struct vg_cdev *d);

#endif
