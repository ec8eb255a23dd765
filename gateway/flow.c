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

struct rte_hash *
vg_flow_build(const struct vg_cfg *cfg, char *err, size_t errlen)
{
	/* Two keys per camera (RTP, RTCP).  A cuckoo table can refuse an
	 * insert well before it is full: keep it at most half full, and let
	 * buckets extend so that no configuration is refused by bad luck. */
	unsigned entries = RTE_MAX(64u, cfg->n_cameras * 4);
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
	for (unsigned i = 0; i < cfg->n_cameras && ret == 0; i++) {
		const struct vg_cfg_camera *c = &cfg->cameras[i];

		if (c->rtcp_port == c->rtp_port) {
			ret = add(h, c->src_addr, c->src_port, c->rtp_port,
				  VG_FLOW_VALUE(i, VG_FLOW_MUX));
			continue;
		}
		ret = add(h, c->src_addr, c->src_port, c->rtp_port,
			  VG_FLOW_VALUE(i, VG_FLOW_RTP));
		if (ret == 0)
			ret = add(h, c->src_addr, c->src_port, c->rtcp_port,
				  VG_FLOW_VALUE(i, VG_FLOW_RTCP));
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
