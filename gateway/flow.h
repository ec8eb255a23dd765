/* Flow table: rte_hash over (source address, source port, gateway port),
 * the 5-tuple of a UDP flow to one of the gateway's own addresses: camera
 * flows on access ports, SRTP from PoP gateways on backbone ports (the
 * center role).  A camera configured with source_port 0 ("any") is stored
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

/* Stream ids: the camera entries, the routes, then the feedback stream of
 * each camera entry (SRTCP from its center, to the camera) and of each
 * route (RTCP from the VMS, to the PoP gateway). */
static inline unsigned
vg_flow_id_route(const struct vg_cfg *c, unsigned r)
{
	return c->n_cameras + r;
}

static inline unsigned
vg_flow_id_cam_fb(const struct vg_cfg *c, unsigned i)
{
	return c->n_cameras + c->n_routes + i;
}

static inline unsigned
vg_flow_id_route_fb(const struct vg_cfg *c, unsigned r)
{
	return 2 * c->n_cameras + c->n_routes + r;
}

static inline unsigned
vg_flow_id_count(const struct vg_cfg *c)
{
	return 2 * (c->n_cameras + c->n_routes);
}

/* Build the table for every camera of cfg, every unprotect route (keyed
 * by the peer's address and port) and their feedback (keyed by the
 * center's or the VMS's address), with the ids above.  NULL on failure
 * with err set. */
struct rte_hash *vg_flow_build(const struct vg_cfg *cfg, char *err,
			       size_t errlen);

/* Look up n (<= VG_FLOW_BURST) keys.  values[i] is the flow value, or 0 for
 * a miss.  Misses are retried with src_port 0 (cameras with any port). */
void vg_flow_lookup_burst(const struct rte_hash *h, struct vg_flow_key *keys,
			  unsigned n, uintptr_t *values);

void vg_flow_free(struct rte_hash *h);

#endif
