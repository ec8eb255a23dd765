/* SPDX-License-Identifier: BSD-3-Clause */
/* Control frames rewritten or built in place, for anything that answers
 * on a port: the worker (local.c) and the traffic tools' hosts.  Needs an
 * mbuf and the parser's view of it, nothing of the worker, so a program
 * that answers ARP does not link the data path. */
#ifndef VG_FRAME_H
#define VG_FRAME_H

#include <stdint.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include "parse.h"

/* Turn ARP request m (parsed as pv) into the reply from (mac, addr),
 * keeping its VLAN tag. */
void vg_frame_arp_answer(struct rte_mbuf *m, const struct vg_parsed *pv,
			 const struct rte_ether_addr *mac, uint32_t addr);

/* Turn ICMP echo request m into the reply from (mac, addr), Ethernet
 * padding cut. */
void vg_frame_echo_answer(struct rte_mbuf *m, const struct vg_parsed *pv,
			  const struct rte_ether_addr *mac, uint32_t addr);

/* Fill empty m with an ARP request for ip from (mac, src) on vlan. */
void vg_frame_arp_request(struct rte_mbuf *m, const struct rte_ether_addr *mac,
			  uint16_t vlan, uint32_t src, uint32_t ip);

#endif
