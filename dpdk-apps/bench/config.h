/* What the configurations vigie-bench builds for either role share: the
 * gateway section, and two ports, a net_ring one fed by the driver and a
 * net_null one that frees what the worker sends. */
#ifndef VG_BENCH_CONFIG_H
#define VG_BENCH_CONFIG_H

#include "cfg.h"

/* Zero cfg and fill its gateway section (engine, the default crypto
 * devices, mbufs) and its two ports: the ring (device net_ring_vgb_acc)
 * has role `fed` and address 198.18.0.1/16 when it is the access port,
 * 198.19.0.1/16 when the backbone; net_null the other.  Ports are index
 * 0 access, 1 backbone.  0, or -1 when out of memory. */
int vg_bench_config(struct vg_cfg *cfg, const char *engine, unsigned mbufs,
		    enum vg_port_role fed);

/* A random master key (key and salt) of suite's length. */
void vg_bench_key(struct vg_master_key *key, enum vg_suite suite);

#endif
