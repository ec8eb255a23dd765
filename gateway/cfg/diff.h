/* SPDX-License-Identifier: BSD-3-Clause */
/* What a new configuration changes against the running one: the first
 * building block of reload (issue 14).  Pure (no DPDK, no I/O); the main
 * lcore calls it on two loaded, validated configurations, off the data
 * path.  It says three things:
 *
 * 1. Restart.  A change the running gateway cannot apply without
 *    restarting its devices is one message each, naming the key in config
 *    terms: `ports[1].device changed ("a" -> "b"): needs a restart`.  Those
 *    keys: ports (their number and, by index, name, device, role, address,
 *    vlan, gateway), gateway.engine, .cryptodev, .cryptodev_gcm, .mbufs,
 *    .state_dir (the caller applies a --state-dir override to both
 *    configs first).  Everything else reloads: cameras, centers, routes,
 *    fan-out, keys, policers (gateway.max_pps / max_burst too),
 *    neighbours, gateway.summary_interval, .roc_announce_ms, .arp_retry_ms
 *    (the VG_CFG_DIFF_GW_* bits say which of the last ones changed).
 *
 * 2. Streams.  A stream is the same stream when its camera (or route)
 *    name and its destination are the same: a camera entry is identified
 *    by (camera name, center name), a route by its name.  A camera may
 *    send to one center twice (fan-out on two dest_ports): such entries
 *    are told apart by dest_port first, then paired in order.  Each pair
 *    is classified by the fields below (VG_CFG_DIFF_F_*):
 *      KEPT     nothing compared differs: the stream keeps everything
 *               (index, ROC, windows, reservation, policer, counters);
 *      UPDATED  same suite, key and SSRC, other fields differ: the stream
 *               continues, with the new values of those fields;
 *      REKEYED  suite, key bytes or SSRC differ: a new (key, SSRC), a new
 *               index space under the state rules; the data plane treats
 *               it as removed + added (old_of_new still names the entry
 *               it replaces, for logs);
 *      ADDED, REMOVED: no counterpart.
 *    A renamed camera, or one moved to another center, is removed + added.
 *    Not compared: a camera's label and fan-out layout (primary, n_fan),
 *    which the caller derives from the new config when it rebuilds the
 *    flow table: adding a destination to a camera keeps its other entries.
 *    Results are per camera entry and per route index, old and new; the
 *    caller maps them to stream ids (dp/flow.h).  The feedback stream of
 *    an entry or route follows it: same class, same counterpart.
 *
 * 3. A summary line for the log (vg_cfg_diff_summary). */
#ifndef VG_CFG_DIFF_H
#define VG_CFG_DIFF_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include "cfg.h"

#define VG_CFG_DIFF_NONE UINT_MAX	/* no counterpart */

enum vg_cfg_diff_class {
	VG_CFG_DIFF_KEPT,
	VG_CFG_DIFF_UPDATED,
	VG_CFG_DIFF_REKEYED,
	VG_CFG_DIFF_ADDED,
	VG_CFG_DIFF_REMOVED,
};

/* What differs between an old stream and the new one of its identity. */
enum vg_cfg_diff_field {
	VG_CFG_DIFF_F_SSRC = 1 << 0,	/* ssrc (and so the feedback's) */
	VG_CFG_DIFF_F_KEY = 1 << 1,	/* key bytes (its key file's content) */
	VG_CFG_DIFF_F_SUITE = 1 << 2,	/* suite: another state record */
	/* Camera: source, source_port, port, rtcp_port (the flows it is
	 * matched by, where its feedback goes).  Route: source,
	 * source_port, port, rtcp_port and the port they arrive on. */
	VG_CFG_DIFF_F_SOURCE = 1 << 3,
	/* Camera: its center's address and port, dest_port,
	 * dest_rtcp_port.  Route: vms, vms_port, vms_rtcp_port and the port
	 * toward it.  (Where it goes; where its feedback comes from.) */
	VG_CFG_DIFF_F_DEST = 1 << 4,
	VG_CFG_DIFF_F_POLICER = 1 << 5,	/* its max_pps / max_burst */
	VG_CFG_DIFF_F_FB_POLICER = 1 << 6,	/* its feedback's (gateway's) */
	/* payload_type, codec: read by SDP and receivers only; the data
	 * path has nothing to change, but the log says it. */
	VG_CFG_DIFF_F_MEDIA = 1 << 7,
};

#define VG_CFG_DIFF_F_REKEY                                                  \
	(VG_CFG_DIFF_F_SSRC | VG_CFG_DIFF_F_KEY | VG_CFG_DIFF_F_SUITE)

/* Reloadable settings outside the streams that changed. */
enum vg_cfg_diff_gw {
	VG_CFG_DIFF_GW_SUMMARY = 1 << 0,	/* gateway.summary_interval */
	VG_CFG_DIFF_GW_ROC_ANNOUNCE = 1 << 1,	/* gateway.roc_announce_ms */
	VG_CFG_DIFF_GW_ARP_RETRY = 1 << 2,	/* gateway.arp_retry_ms */
	VG_CFG_DIFF_GW_POLICER = 1 << 3,	/* gateway.max_pps, max_burst */
	VG_CFG_DIFF_GW_NEIGHS = 1 << 4,	/* neighbours, as a set */
};

/* Camera entries, or routes, of the old and new configurations. */
struct vg_cfg_diff_map {
	unsigned n_old, n_new;
	unsigned *old_of_new;	/* [n_new]: old index of its identity, or
				 * NONE (ADDED) */
	unsigned *new_of_old;	/* [n_old]: new index, or NONE (REMOVED) */
	uint8_t *cls;		/* [n_new]: enum vg_cfg_diff_class, all
				 * but REMOVED */
	uint16_t *changed;	/* [n_new]: enum vg_cfg_diff_field bits */
};

struct vg_cfg_diff {
	char **restart;		/* one message per change needing one */
	unsigned n_restart;
	unsigned gw;		/* enum vg_cfg_diff_gw bits */
	struct vg_cfg_diff_map cameras;	/* camera entries */
	struct vg_cfg_diff_map routes;	/* unprotect routes */
	/* Streams (camera entries and routes; each one's feedback follows
	 * it and is not counted apart) of each class. */
	unsigned n_kept, n_updated, n_rekeyed, n_added, n_removed;
};

/* Compare old_cfg (running) and new_cfg into *d, both loaded and valid
 * (vg_cfg_load returned 0).  O(n log n) in the number of streams.
 * Returns 0, or -1 when out of memory (then *d is empty).  A reload is
 * possible only when d->n_restart is 0. */
int vg_cfg_diff(const struct vg_cfg *old_cfg, const struct vg_cfg *new_cfg,
		struct vg_cfg_diff *d);

/* Free what vg_cfg_diff allocated; *d is then empty.  d may be empty. */
void vg_cfg_diff_free(struct vg_cfg_diff *d);

/* "reload: 3 kept, 1 added, 1 removed, 1 re-keyed, 0 updated", followed
 * by "; 2 changes need a restart" when some do.  snprintf's return. */
int vg_cfg_diff_summary(const struct vg_cfg_diff *d, char *buf, size_t len);

/* "kept", "updated", "re-keyed", "added", "removed". */
const char *vg_cfg_diff_class_name(enum vg_cfg_diff_class c);

/* The class of old entry i of m: REMOVED, or that of its new entry. */
static inline enum vg_cfg_diff_class
vg_cfg_diff_old_class(const struct vg_cfg_diff_map *m, unsigned i)
{
	unsigned n = m->new_of_old[i];

	return n == VG_CFG_DIFF_NONE ? VG_CFG_DIFF_REMOVED :
	       (enum vg_cfg_diff_class)m->cls[n];
}

#endif
