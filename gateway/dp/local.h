/* SPDX-License-Identifier: BSD-3-Clause */
/* Traffic for the gateway itself: ARP (answered in place, next hops
 * learned), ICMP echo (answered in place), and the ARP requests that
 * resolve next hops.  The frames themselves are rewritten by frame.c. */
#ifndef VG_LOCAL_H
#define VG_LOCAL_H

#include "worker.h"
#include "parse.h"

/* Handle an ARP frame received on port index pi: consumes m. */
void vg_local_arp(struct vg_worker *w, unsigned pi, struct rte_mbuf *m,
		  const struct vg_parsed *pv);

/* Answer an ICMP echo request addressed to us: consumes m. */
void vg_local_echo(struct vg_worker *w, unsigned pi, struct rte_mbuf *m,
		   const struct vg_parsed *pv);

/* Send the ARP requests that are due (unresolved next hops). */
void vg_local_arp_tick(struct vg_worker *w, uint64_t now);

#endif
