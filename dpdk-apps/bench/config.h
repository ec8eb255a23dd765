/* SPDX-License-Identifier: BSD-3-Clause */
/* What vigie-bench's two roles share: the configuration's gateway section
 * and two ports, a net_ring one fed by the driver and a net_null one that
 * frees what the worker sends; and the frames the driver feeds. */
#ifndef VG_BENCH_CONFIG_H
#define VG_BENCH_CONFIG_H

#include <rte_ether.h>
#include "vigie/cfg.h"

/* Zero cfg and fill its gateway section (engine, the default crypto
 * devices, mbufs) and its two ports: the ring (device net_ring_vgb_acc)
 * has role `fed` and address 198.18.0.1/16 when it is the access port,
 * 198.19.0.1/16 when the backbone; net_null the other.  Ports are index
 * 0 access, 1 backbone.  0, or -1 when out of memory. */
int vg_bench_config(struct vg_cfg *cfg, const char *engine, unsigned mbufs,
		    enum vg_port_role fed);

/* Ethernet, IPv4 and UDP headers (42 bytes at h) of a frame to the
 * gateway's port: to dst_mac and dst_ip, from src_ip port 7000 to
 * dst_port, `payload` bytes after the UDP header.  UDP checksum 0 (none,
 * as IPv4 allows). */
void vg_bench_frame(uint8_t *h, const struct rte_ether_addr *dst_mac,
		    uint32_t src_ip, uint32_t dst_ip, uint16_t dst_port,
		    unsigned payload);

/* A random master key (key and salt) of suite's length. */
void vg_bench_key(struct vg_master_key *key, enum vg_suite suite);

/* Remove the state directory vg_bench_config named (after teardown). */
void vg_bench_state_remove(void);

#endif
