/* SPDX-License-Identifier: BSD-3-Clause */
/* Ports: any DPDK ethdev named by a device string (PCI address or vdev with
 * arguments), with one role, one IPv4 address and an optional VLAN. */
#ifndef VG_PORT_H
#define VG_PORT_H

#include <stdbool.h>
#include <stdint.h>
#include <rte_ether.h>
#include <rte_mempool.h>
#include "cfg.h"

/* Descriptors per rx and tx queue (DPDK's l3fwd uses as many): at line rate
 * a full rx ring is also the data path's working set of packet buffers. */
#define VG_PORT_RX_DESC 1024
#define VG_PORT_TX_DESC 1024

struct vg_port {
	uint16_t port_id;		/* DPDK ethdev id */
	uint16_t vlan;			/* 0 = untagged */
	enum vg_port_role role;
	uint32_t addr;			/* network order */
	uint32_t mask;			/* network order */
	uint32_t gateway;		/* network order, 0 = none */
	struct rte_ether_addr mac;
	char name[VG_NAME_MAX];
	uint16_t ip_id;			/* IPv4 identification counter */
	bool csum_offload;		/* NIC fills IPv4 and UDP checksums */
};

/* Probe (vdev) or find (PCI) the device, configure one rx and one tx queue
 * on mp, and start it.  0, or negative errno with a message in err. */
int vg_port_open(struct vg_port *p, const struct vg_cfg_port *c,
		 struct rte_mempool *mp, char *err, size_t errlen);

/* Stop and close the port; queues give their mbufs back to the pool. */
void vg_port_close(struct vg_port *p);

#endif
