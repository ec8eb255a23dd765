/* SPDX-License-Identifier: BSD-3-Clause */
/* The traffic tools' side of a port: an IPv4 host that owns one or more
 * addresses (vigie-camgen owns every camera's, vigie-sink the center's),
 * answers ARP and ICMP echo for them, and resolves its peer's MAC.  Control
 * traffic only: one frame at a time, never on the measured path. */
#ifndef VG_HOST_H
#define VG_HOST_H

#include <stdbool.h>
#include <stdint.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include "vigie/parse.h"
#include "vigie/port.h"

struct vg_host {
	struct vg_port port;
	struct rte_mempool *mp;
	uint32_t *addrs;		/* owned, network order, sorted */
	unsigned n_addrs;
	uint64_t arp_replies;		/* ARP requests for us answered */
	uint64_t echo_replies;		/* ICMP echo requests answered */
	uint64_t arp_requests;		/* ARP requests sent (resolving) */
	uint64_t tx_failed;		/* control frames the port refused */
	uint64_t rx_ignored;		/* freed while resolving, answer too */
};

/* Open the port described by c on mp and own the n addresses given
 * (network order; copied).  0, or negative errno with a message in err. */
int vg_host_open(struct vg_host *h, const struct vg_cfg_port *c,
		 struct rte_mempool *mp, const uint32_t *addrs, unsigned n,
		 char *err, size_t errlen);

void vg_host_close(struct vg_host *h);

bool vg_host_owns(const struct vg_host *h, uint32_t addr);

/* If m (parsed as pv) is an ARP request or ICMP echo request for an owned
 * address, answer it, consume m and return true; otherwise leave m to the
 * caller and return false (ARP replies and other hosts' ARP included). */
bool vg_host_input(struct vg_host *h, struct rte_mbuf *m,
		   const struct vg_parsed *pv);

/* Resolve ip's MAC by asking from owned address src, once every 200 ms,
 * answering ARP meanwhile.  Other frames are freed and counted in
 * rx_ignored.
 * 0 with *mac set, -ETIMEDOUT after timeout_ms, -EINTR when *quit is set. */
int vg_host_resolve(struct vg_host *h, uint32_t src, uint32_t ip,
		    struct rte_ether_addr *mac, unsigned timeout_ms,
		    const volatile bool *quit);

#endif
