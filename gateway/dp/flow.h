/* SPDX-License-Identifier: BSD-3-Clause */
/* Flow table: (source address, source port, gateway port), the 5-tuple of
 * a UDP flow to one of the gateway's own addresses: camera flows on access
 * ports, SRTP from PoP gateways on backbone ports (the center role).  A
 * camera configured with source_port 0 ("any") is stored with port 0 and
 * found by a second lookup for the misses of the first.
 *
 * Open addressing over cache-line buckets of 5 keys and their values, at
 * most half full: a lookup reads one line (rte_hash read a bucket, then a
 * key in a separate store, then called memcmp: two dependent misses per
 * packet at 100,000 streams).  The worker asks for each packet's line as
 * soon as it has parsed it (vg_flow_prefetch), a stage before the lookup.
 * Built once, read only: no deletion. */
#ifndef VG_FLOW_H
#define VG_FLOW_H

#include <stdbool.h>
#include <stdint.h>
#include <rte_hash_crc.h>
#include <rte_prefetch.h>
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

/* Whether stream id protects (a camera entry, a route's feedback) or
 * unprotects (a route, a camera's feedback). */
static inline bool
vg_flow_id_protects(const struct vg_cfg *c, unsigned id)
{
	return id < c->n_cameras || id >= vg_flow_id_route_fb(c, 0);
}

/* The suite, master key and SSRC of stream id: what names it in the
 * state file (state.h), whichever way it goes. */
static inline void
vg_flow_id_key(const struct vg_cfg *c, unsigned id, enum vg_suite *suite,
	       const struct vg_master_key **key, uint32_t *ssrc)
{
	bool fb = id >= vg_flow_id_cam_fb(c, 0);
	unsigned base = fb ? id - vg_flow_id_cam_fb(c, 0) : id;

	if (base < c->n_cameras) {
		*suite = c->cameras[base].suite;
		*key = &c->cameras[base].key;
		*ssrc = c->cameras[base].ssrc;
	} else {
		base -= c->n_cameras;
		*suite = c->routes[base].suite;
		*key = &c->routes[base].key;
		*ssrc = c->routes[base].ssrc;
	}
	if (fb)
		*ssrc = vg_cfg_feedback_ssrc(*ssrc);
}

#define VG_FLOW_SLOTS 5

struct vg_flow_bucket {
	uint64_t key[VG_FLOW_SLOTS];	/* vg_flow_pack() */
	uint32_t value[VG_FLOW_SLOTS];	/* VG_FLOW_VALUE(), 0: free slot */
	uint32_t pad;
} __attribute__((aligned(64)));

struct vg_flow_table {
	struct vg_flow_bucket *b;	/* on hugepages */
	uint32_t mask;			/* buckets - 1 (a power of two) */
	uint32_t n;			/* keys stored */
};

static inline uint64_t
vg_flow_pack(const struct vg_flow_key *k)
{
	return (uint64_t)k->src_ip << 32 | (uint32_t)k->src_port << 16 |
	       k->dst_port;
}

static inline uint32_t
vg_flow_home(const struct vg_flow_table *t, uint64_t key)
{
	return rte_hash_crc_8byte(key, 0x5f4e3d2c) & t->mask;
}

/* Start the miss of k's bucket as soon as the key is known; returns the
 * bucket, for vg_flow_lookup_burst. */
static inline uint32_t
vg_flow_prefetch(const struct vg_flow_table *t, const struct vg_flow_key *k)
{
	uint32_t home = vg_flow_home(t, vg_flow_pack(k));

	rte_prefetch0(&t->b[home]);
	return home;
}

/* An empty table for up to `keys` keys, in at most half its slots (so that
 * a lookup rarely goes past its home bucket).  NULL when out of memory. */
struct vg_flow_table *vg_flow_create(unsigned keys);

/* Insert k, or overwrite the value of a key already there (as rte_hash did:
 * the last configured wins).  0, -EINVAL for a value that is 0 or does not
 * fit 32 bits, -ENOSPC when every slot is taken. */
int vg_flow_add(struct vg_flow_table *t, const struct vg_flow_key *k,
		uintptr_t value);

/* Build the table for every camera of cfg, every unprotect route (keyed
 * by the peer's address and port) and their feedback (keyed by the
 * center's or the VMS's address), with the ids above.  NULL on failure
 * with err set. */
struct vg_flow_table *vg_flow_build(const struct vg_cfg *cfg, char *err,
				    size_t errlen);

/* Look up n (<= VG_FLOW_BURST) keys, home[i] the bucket vg_flow_prefetch
 * returned for keys[i].  values[i] is the flow value, or 0 for a miss.
 * Misses are retried with src_port 0 (cameras with any port). */
void vg_flow_lookup_burst(const struct vg_flow_table *t,
			  struct vg_flow_key *keys, const uint32_t *home,
			  unsigned n, uintptr_t *values);

/* Bytes the table takes (0 for NULL). */
size_t vg_flow_bytes(const struct vg_flow_table *t);

void vg_flow_free(struct vg_flow_table *t);

#endif
