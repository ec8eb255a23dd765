/* Camera flow table: rte_hash over (camera address, camera port, gateway
 * port), the 5-tuple of a UDP flow to one of the gateway's own access
 * addresses.  A camera configured with source_port 0 ("any") is stored
 * with port 0 and found by a second lookup for the misses of the first. */
#ifndef VG_FLOW_H
#define VG_FLOW_H

#include <stdint.h>
#include <rte_hash.h>
#include "cfg.h"

struct vg_flow_key {
	uint32_t src_ip;	/* network order */
	uint16_t src_port;	/* host order, 0 = any */
	uint16_t dst_port;	/* host order */
};

/* What a hit maps to: stream index and what the port carries. */
enum vg_flow_kind { VG_FLOW_RTP = 1, VG_FLOW_RTCP = 2, VG_FLOW_MUX = 3 };
#define VG_FLOW_VALUE(stream, kind) ((uintptr_t)(stream) << 2 | (kind))
#define VG_FLOW_STREAM(v) ((uint32_t)((uintptr_t)(v) >> 2))
#define VG_FLOW_KIND(v) ((unsigned)((uintptr_t)(v) & 3))

#define VG_FLOW_BURST 32

/* Build the table for every camera of cfg (stream i = cameras[i]).  NULL on
 * failure with err set. */
struct rte_hash *vg_flow_build(const struct vg_cfg *cfg, char *err,
			       size_t errlen);

/* Look up n (<= VG_FLOW_BURST) keys.  values[i] is the flow value, or 0 for
 * a miss.  Misses are retried with src_port 0 (cameras with any port). */
void vg_flow_lookup_burst(const struct rte_hash *h, struct vg_flow_key *keys,
			  unsigned n, uintptr_t *values);

void vg_flow_free(struct rte_hash *h);

#endif
