/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include "flow.h"

struct vg_flow_table *
vg_flow_create(unsigned keys)
{
	unsigned buckets = rte_align32pow2(RTE_MAX(2 * keys / VG_FLOW_SLOTS, 2u));
	struct vg_flow_table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->b = rte_zmalloc_socket("vg_flows", (size_t)buckets * sizeof(*t->b),
				  RTE_CACHE_LINE_SIZE, (int)rte_socket_id());
	if (t->b == NULL) {
		free(t);
		return NULL;
	}
	t->mask = buckets - 1;
	return t;
}

int
vg_flow_add(struct vg_flow_table *t, const struct vg_flow_key *k,
	    uintptr_t value)
{
	uint64_t key = vg_flow_pack(k);
	uint32_t i = vg_flow_home(t, key);

	if (value == 0 || value > UINT32_MAX)
		return -EINVAL;
	for (uint32_t probes = 0; probes <= t->mask; probes++) {
		struct vg_flow_bucket *b = &t->b[i];

		for (unsigned j = 0; j < VG_FLOW_SLOTS; j++) {
			if (b->value[j] != 0 && b->key[j] != key)
				continue;
			t->n += b->value[j] == 0;
			b->key[j] = key;
			b->value[j] = (uint32_t)value;
			return 0;
		}
		i = (i + 1) & t->mask;
	}
	return -ENOSPC;
}

static int
add(struct vg_flow_table *t, uint32_t src, uint16_t sport, uint16_t dport,
    uintptr_t value)
{
	struct vg_flow_key k = { .src_ip = src, .src_port = sport,
				 .dst_port = dport };

	return vg_flow_add(t, &k, value);
}

/* The RTP and RTCP keys of stream id; one key when they share a port
 * (RFC 5761 muxing). */
static int
add_pair(struct vg_flow_table *h, uint32_t src, uint16_t sport, uint16_t rtp,
	 uint16_t rtcp, unsigned id)
{
	int ret;

	if (rtcp == rtp)
		return add(h, src, sport, rtp, VG_FLOW_VALUE(id, VG_FLOW_MUX));
	ret = add(h, src, sport, rtp, VG_FLOW_VALUE(id, VG_FLOW_RTP));
	return ret != 0 ? ret : add(h, src, sport, rtcp,
				    VG_FLOW_VALUE(id, VG_FLOW_RTCP));
}

struct vg_flow_table *
vg_flow_build(const struct vg_cfg *cfg, char *err, size_t errlen)
{
	/* At most three keys per camera entry and per route (RTP, RTCP,
	 * feedback). */
	unsigned keys = 3 * (cfg->n_cameras + cfg->n_routes);
	struct vg_flow_table *h = vg_flow_create(keys);
	int ret = 0;

	if (h == NULL) {
		snprintf(err, errlen, "cannot allocate the flow table for %u "
			 "flows", keys);
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
		snprintf(err, errlen, "cannot add camera flows: %s (%u keys "
			 "in %u slots)", strerror(-ret), h->n,
			 (h->mask + 1) * VG_FLOW_SLOTS);
		vg_flow_free(h);
		return NULL;
	}
	return h;
}

/* One key: its home bucket, then the next ones while they are full (a
 * bucket with a free slot ends the search: nothing is ever deleted). */
static uintptr_t
find(const struct vg_flow_table *t, const struct vg_flow_key *k, uint32_t i)
{
	uint64_t key = vg_flow_pack(k);

	for (uint32_t probes = 0; probes <= t->mask; probes++) {
		const struct vg_flow_bucket *b = &t->b[i];
		bool full = true;

		for (unsigned j = 0; j < VG_FLOW_SLOTS; j++) {
			if (b->key[j] == key && b->value[j] != 0)
				return b->value[j];
			full &= b->value[j] != 0;
		}
		if (!full)
			return 0;
		i = (i + 1) & t->mask;
	}
	return 0;
}

void
vg_flow_lookup_burst(const struct vg_flow_table *t, struct vg_flow_key *keys,
		     const uint32_t *home, unsigned n, uintptr_t *values)
{
	for (unsigned i = 0; i < n; i++) {
		values[i] = find(t, &keys[i], home[i]);
		if (values[i] != 0 || keys[i].src_port == 0)
			continue;
		keys[i].src_port = 0;	/* the key is scratch after a miss */
		values[i] = find(t, &keys[i],
				 vg_flow_home(t, vg_flow_pack(&keys[i])));
	}
}

size_t
vg_flow_bytes(const struct vg_flow_table *t)
{
	return t == NULL ? 0 : sizeof(*t) + ((size_t)t->mask + 1) * sizeof(*t->b);
}

void
vg_flow_free(struct vg_flow_table *t)
{
	if (t == NULL)
		return;
	rte_free(t->b);
	free(t);
}
