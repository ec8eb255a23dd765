/* SPDX-License-Identifier: BSD-3-Clause */
/* The cryptodev engine's receiver: SRTP and SRTCP unprotect with the
 * receiver state of libsrtp (ROC estimate, 1024-packet SRTP window, SRTCP
 * window), giving libsrtp's verdict on every packet. */
#ifndef VG_CDEV_UNPROTECT_H
#define VG_CDEV_UNPROTECT_H

#include <stddef.h>
#include <stdint.h>
#include "engine.h"

struct cdev_engine;

/* The ops-table entries stream_add_in and unprotect_burst (engine.h) ... */
int vg_cdev_unprotect_add(struct vg_engine *e, uint32_t id,
			  enum vg_suite suite, const struct vg_master_key *key,
			  uint32_t ssrc, char *err, size_t errlen);
void vg_cdev_unprotect_burst(struct vg_engine *e, struct vg_crypto_op *ops,
			     uint16_t n);
/* ... and rx_set. */
int vg_cdev_unprotect_rx_set(struct vg_engine *e, uint32_t id, uint64_t rtp,
			     uint32_t rtcp);

/* Drop the receiver state of id (re-keyed as an out-stream, or engine
 * destroyed); nothing if it has none. */
void vg_cdev_unprotect_forget(struct cdev_engine *ce, uint32_t id);

/* Bytes of receiver state of one in-stream. */
size_t vg_cdev_unprotect_state_size(void);

#endif
