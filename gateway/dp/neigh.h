/* SPDX-License-Identifier: BSD-3-Clause */
/* Neighbours: the few next hops the gateway sends to (centers on-link, port
 * gateways).  Resolved by ARP with retry; static entries from config.
 * While a hop is unresolved its packets are dropped and counted
 * (no-neighbour).  Owned and written by the worker lcore only; the main
 * lcore reads it for reports. */
#ifndef VG_NEIGH_H
#define VG_NEIGH_H

#include <stdbool.h>
#include <stdint.h>
#include <rte_ether.h>

#define VG_MAX_NEIGH 256

struct vg_neigh {
	uint32_t addr;			/* network order */
	uint16_t port;			/* index in the gateway's ports */
	bool resolved;
	bool is_static;
	struct rte_ether_addr mac;
	uint64_t next_request;		/* tsc of the next ARP request */
	uint64_t requests;		/* ARP requests sent */
};

struct vg_neigh_table {
	struct vg_neigh e[VG_MAX_NEIGH];
	unsigned n;
	uint64_t retry_tsc;		/* retry period in tsc cycles */
	uint64_t refresh_tsc;		/* re-ARP period for resolved hops */
};

/* Index of the entry for (port, addr), adding an unresolved one if needed;
 * -1 when the table is full. */
int vg_neigh_add(struct vg_neigh_table *t, uint16_t port, uint32_t addr);

/* Make (port, addr) a static entry with mac; -1 when the table is full. */
int vg_neigh_add_static(struct vg_neigh_table *t, uint16_t port, uint32_t addr,
			const struct rte_ether_addr *mac);

/* An ARP packet showed that addr is at mac on port: update a known,
 * non-static entry.  Unknown addresses are not learned (no table
 * poisoning by strangers).  now (tsc) starts the refresh period.  Returns
 * true if an entry changed. */
bool vg_neigh_learn(struct vg_neigh_table *t, uint16_t port, uint32_t addr,
		    const struct rte_ether_addr *mac, uint64_t now);

static inline const struct vg_neigh *
vg_neigh_get(const struct vg_neigh_table *t, unsigned idx)
{
	return &t->e[idx];
}

/* Entries that are due an ARP request at tsc now: unresolved ones every
 * retry period, resolved dynamic ones every refresh period (the reply
 * updates the MAC if the hop was replaced).  Returns the next one from
 * *cursor on (advancing it), or NULL when none is left this round; marks
 * the entry's next request time. */
struct vg_neigh *vg_neigh_due(struct vg_neigh_table *t, uint64_t now,
			      unsigned *cursor);

#endif
