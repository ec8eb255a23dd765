#include <stdio.h>
#include <rte_errno.h>
#include <rte_hash_crc.h>
#include <rte_lcore.h>
#include "flow.h"

static int
add(struct rte_hash *h, uint32_t src, uint16_t sport, uint16_t dport,
    uintptr_t value)
{
	struct vg_flow_key k = { .src_ip = src, .src_port = sport,
				 .dst_port = dport };

	return rte_hash_add_key_data(h, &k, (void *)value);
}

/* The RTP and RTCP keys of stream id; one key when they share a port
 * (RFC 5761 muxing). */
static int
add_pair(struct rte_hash *h, uint32_t src, uint16_t sport, uint16_t rtp,
	 uint16_t rtcp, unsigned id)
{
	int ret;

	if (rtcp == rtp)
		return add(h, src, sport, rtp, VG_FLOW_VALUE(id, VG_FLOW_MUX));
	ret = add(h, src, sport, rtp, VG_FLOW_VALUE(id, VG_FLOW_RTP));
	return ret != 0 ? ret : add(h, src, sport, rtcp,
				    VG_FLOW_VALUE(id, VG_FLOW_RTCP));
}

struct rte_hash *
vg_flow_build(const struct vg_cfg *cfg, char *err, size_t errlen)
{
	/* Two keys per camera and per route (RTP, RTCP).  A cuckoo table can
	 * refuse an insert well before it is full: keep it at most half full,
	 * and let buckets extend so that no configuration is refused by bad
	 * luck. */
	unsigned entries = RTE_MAX(64u, (cfg->n_cameras + cfg->n_routes) * 6);
	struct rte_hash_parameters hp = {
		.name = "vg_flows",
		.entries = entries,
		.key_len = sizeof(struct vg_flow_key),
		.hash_func = rte_hash_crc,
		.socket_id = (int)rte_socket_id(),
		.extra_flag = RTE_HASH_EXTRA_FLAGS_EXT_TABLE,
	};
	struct rte_hash *h = rte_hash_create(&hp);
	int ret = 0;

	if (h == NULL) {
		snprintf(err, errlen, "cannot create flow table for %u flows",
			 entries);
		return NULL;
	}
	/* A camera's fan-out entries share its primary's flows: the flow
	 * value names the primary, which names how many follow it. */
	for (unsigned i = 0; i < cfg->n_cameras && ret == 0; i++) {
		const struct vg_cfg_camera *c = &cfg->cameras[i];

		if (c->primary != i)
			continue;
		ret = add_pair(h, c->src_addr, c->src_port, c->rtp_port,
			       c->rtcp_port, i);
	}
	/* Routes are streams n_cameras.. (gw.c). */
	for (unsigned i = 0; i < cfg->n_routes && ret == 0; i++) {
		const struct vg_cfg_route *r = &cfg->routes[i];

		ret = add_pair(h, r->peer, r->peer_port, r->port, r->rtcp_port,
			       vg_flow_id_route(cfg, i));
	}
	/* Feedback: SRTCP from a center to the port the camera's SRTCP left
	 * from; RTCP from a VMS to the port its RTP came from. */
	for (unsigned i = 0; i < cfg->n_cameras && ret == 0; i++) {
		const struct vg_cfg_camera *c = &cfg->cameras[i];

		if (c->center >= cfg->n_centers)	/* a driver's bare camera */
			continue;
		ret = add(h, cfg->centers[c->center].addr, c->dst_rtcp_port,
			  c->rtcp_port, VG_FLOW_VALUE(vg_flow_id_cam_fb(cfg, i),
						      VG_FLOW_RTCP));
	}
	for (unsigned i = 0; i < cfg->n_routes && ret == 0; i++) {
		const struct vg_cfg_route *r = &cfg->routes[i];

		ret = add(h, r->vms, 0, r->vms_rtcp_port,
			  VG_FLOW_VALUE(vg_flow_id_route_fb(cfg, i), VG_FLOW_RTCP));
	}
	if (ret < 0) {
		snprintf(err, errlen, "cannot add camera flows: %s",
			 rte_strerror(-ret));
		rte_hash_free(h);
		return NULL;
	}
	return h;
}

static void
lookup(const struct rte_hash *h, struct vg_flow_key **kp, unsigned n,
       uintptr_t **vp)
{
	void *data[VG_FLOW_BURST];
	uint64_t hits = 0;

	rte_hash_lookup_bulk_data(h, (const void **)kp, n, &hits, data);
	for (unsigned i = 0; i < n; i++)
		*vp[i] = (hits >> i) & 1 ? (uintptr_t)data[i] : 0;
}

void
vg_flow_lookup_burst(const struct rte_hash *h, struct vg_flow_key *keys,
		     unsigned n, uintptr_t *values)
{
	struct vg_flow_key *kp[VG_FLOW_BURST];
	uintptr_t *vp[VG_FLOW_BURST];
	unsigned i, m = 0;

	for (i = 0; i < n; i++) {
		kp[i] = &keys[i];
		vp[i] = &values[i];
	}
	lookup(h, kp, n, vp);
	for (i = 0; i < n; i++) {
		if (values[i] != 0 || keys[i].src_port == 0)
			continue;
		keys[i].src_port = 0;	/* the key is scratch after a miss */
		kp[m] = &keys[i];
		vp[m++] = &values[i];
	}
	if (m > 0)
		lookup(h, kp, m, vp);
}

void
vg_flow_free(struct rte_hash *h)
{
	rte_hash_free(h);
}
