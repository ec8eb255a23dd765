/* SPDX-License-Identifier: BSD-3-Clause */
/* The stream path.  Camera packets: flow hit -> stream index and SSRC
 * rewrite -> batched SRTP/SRTCP protect -> new Ethernet/IPv4/UDP headers
 * toward the center -> tx buffer.  Center role: SRTP from a PoP gateway ->
 * batched unprotect (authentication, replay window) -> new headers toward
 * the VMS -> tx buffer. */
#ifndef VG_FORWARD_H
#define VG_FORWARD_H

#include <stdint.h>
#include "worker.h"
#include "parse.h"

/* Forward n packets received on port index pi whose flow values (0 =
 * miss) were looked up.  Consumes every mbuf: sent, or dropped and
 * counted. */
void vg_forward_burst(struct vg_worker *w, unsigned pi, struct rte_mbuf **pkts,
		      const struct vg_parsed *pv, const uintptr_t *flow,
		      unsigned n);

/* Send the ROC announcement (announce.h) of camera entries first ..
 * first + n - 1 that carried video in the last 2 s: an SRTCP packet each,
 * under an index of its reservation, toward its center.  Worker only. */
void vg_forward_announce(struct vg_worker *w, unsigned first, unsigned n);

#endif
