/* SPDX-License-Identifier: BSD-3-Clause */
/* Traffic for the gateway itself: ARP (answered in place, next hops
 * learned), ICMP echo (answered in place), and the ARP requests that
 * resolve next hops. */
#ifndef VG_LOCAL_H
#define VG_LOCAL_H

#include "worker.h"
#include "parse.h"

/* The frame rewrites, for anything that answers on a port (the worker
 * below, the traffic tools' hosts): turn ARP request m (parsed as pv) into
 * the reply from (mac, addr), keeping its VLAN tag; turn ICMP echo request
 * m into the reply from (mac, addr), Ethernet padding cut; fill empty m
 * with an ARP request for ip from (mac, src) on vlan. */
void vg_local_arp_answer(struct rte_mbuf *m, const struct vg_parsed *pv,
			 const struct rte_ether_addr *mac, uint32_t addr);
void vg_local_echo_answer(struct rte_mbuf *m, const struct vg_parsed *pv,
			  const struct rte_ether_addr *mac, uint32_t addr);
void vg_local_arp_request(struct rte_mbuf *m, const struct rte_ether_addr *mac,
			  uint16_t vlan, uint32_t src, uint32_t ip);

/* Handle an ARP frame received on port index pi: consumes m. */
void vg_local_arp(struct vg_worker *w, unsigned pi, struct rte_mbuf *m,
		  const struct vg_parsed *pv);

/* Answer an ICMP echo request addressed to us: consumes m. */
void vg_local_echo(struct vg_worker *w, unsigned pi, struct rte_mbuf *m,
		   const struct vg_parsed *pv);

/* Send the ARP requests that are due (unresolved next hops). */
void vg_local_arp_tick(struct vg_worker *w, uint64_t now);

#endif
