/* SPDX-License-Identifier: BSD-3-Clause */
/* Configuration: a libconfig file parsed once into typed structs, validated,
 * then frozen.  The data path never includes libconfig.  No DPDK here, so
 * `vigie-gw --check-config` runs without EAL or NICs. */
#ifndef VG_CFG_H
#define VG_CFG_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "sdes.h"
#include "suite.h"

#define VG_NAME_MAX 64
#define VG_DEVICE_MAX 256
#define VG_MAX_PORTS 16		/* `ports`: 1..this entries */

enum vg_port_role { VG_ROLE_ACCESS, VG_ROLE_BACKBONE };

struct vg_cfg_port {
	char name[VG_NAME_MAX];
	char device[VG_DEVICE_MAX];	/* PCI address or vdev string with args */
	enum vg_port_role role;
	uint32_t addr;			/* network byte order */
	uint8_t prefix;			/* 0..32 */
	uint16_t vlan;			/* 802.1Q VID, 0 = untagged */
	uint32_t gateway;		/* default next hop, 0 = none */
};

struct vg_cfg_neigh {			/* static ARP entry */
	uint32_t addr;
	uint8_t mac[6];
};

struct vg_cfg_center {
	char name[VG_NAME_MAX];
	uint32_t addr;
	unsigned port;			/* index in ports[]: a backbone port */
	enum vg_suite suite;
	bool has_key;			/* key_file given at center level */
	struct vg_master_key key;
};

#define VG_MAX_DESTS 4		/* destinations (fan-out) per camera */

/* One protected stream: a camera toward one center.  A camera with
 * `destinations = ( ... )` becomes one entry per destination, consecutive,
 * sharing its name and flows: entry `primary` holds the flows and n_fan
 * (the number of entries), the others follow it (fan-out: each copy has
 * its own suite, key, SSRC and SRTP state). */
struct vg_cfg_camera {
	char name[VG_NAME_MAX];
	char label[2 * VG_NAME_MAX];	/* "name", or "name@center" (fan-out) */
	unsigned primary;		/* index of the entry with the flows */
	unsigned n_fan;			/* on the primary: entries, >= 1 */
	uint32_t src_addr;		/* camera address */
	uint16_t src_port;		/* camera source port, 0 = any */
	uint16_t rtp_port;		/* gateway access UDP port it sends RTP to */
	uint16_t rtcp_port;		/* ... and RTCP to (default rtp_port + 1) */
	unsigned center;		/* index in centers[] */
	uint16_t dst_port;		/* RTP port at the center */
	uint16_t dst_rtcp_port;		/* default dst_port + 1 */
	uint32_t ssrc;			/* SSRC of the protected stream (rewritten) */
	enum vg_suite suite;		/* resolved: camera's, else center's */
	struct vg_master_key key;	/* resolved: camera key file, else center's */
	uint8_t payload_type;		/* for SDP/receivers; default 96 */
	char codec[8];			/* "H264" or "H265"; default "H264" */
	/* Policer, resolved: the camera's max_pps / max_burst, else the
	 * gateway's.  Set on the camera, so every entry of a fan-out
	 * camera (each destination) carries the same values. */
	uint32_t max_pps;		/* packets per second, 1..10^7 */
	uint32_t max_burst;		/* bucket depth, packets, 1..10^6 */
};

/* Center role: a stream that arrives protected on a backbone port (from a
 * PoP gateway) and leaves in clear, RTP and RTCP, toward the video
 * management system (VMS) on an access port. */
struct vg_cfg_route {
	char name[VG_NAME_MAX];
	uint32_t peer;			/* address the SRTP comes from */
	uint16_t peer_port;		/* its UDP source port, 0 = any */
	uint16_t port;			/* our UDP port the SRTP arrives on */
	uint16_t rtcp_port;		/* ... and the SRTCP (default port + 1) */
	uint32_t ssrc;			/* the stream's SSRC (authenticated) */
	enum vg_suite suite;
	struct vg_master_key key;
	uint32_t vms;			/* where the plain RTP goes */
	uint16_t vms_port;
	uint16_t vms_rtcp_port;		/* default vms_port + 1 */
	unsigned in_port;		/* index in ports[]: backbone, toward peer */
	unsigned out_port;		/* index in ports[]: access, toward vms */
};

struct vg_cfg {
	char engine[16];		/* "cryptodev" or "libsrtp" */
	char cryptodev[VG_DEVICE_MAX];	/* AES-CM crypto device */
	char cryptodev_gcm[VG_DEVICE_MAX];	/* AES-GCM crypto device */
	unsigned summary_interval;	/* seconds; 0 = no periodic summary */
	unsigned roc_announce_ms;	/* ms between a protect stream's ROC
					 * announcements (announce.h); 0 =
					 * none */
	unsigned mbufs;			/* mempool size */
	unsigned arp_retry_ms;		/* ARP retry period for unresolved hops */
	/* Where the durable SRTP index reservations and receiver state
	 * live: gateway.state_dir, default "/var/lib/vigie"; a relative
	 * value is resolved against the directory of the file that names
	 * it (as key_file).  Only its syntax is checked here: the runtime
	 * opens it. */
	char state_dir[PATH_MAX];
	uint32_t max_pps;		/* gateway.max_pps: the default */
	uint32_t max_burst;		/* gateway.max_burst: the default */
	struct vg_cfg_port *ports;
	unsigned n_ports;
	struct vg_cfg_neigh *neighs;
	unsigned n_neighs;
	struct vg_cfg_center *centers;
	unsigned n_centers;
	struct vg_cfg_camera *cameras;
	unsigned n_cameras;
	struct vg_cfg_route *routes;	/* `unprotect` */
	unsigned n_routes;
};

/* RTCP feedback for a protected stream (receiver reports, PLI, NACK from
 * the center) travels back under the same master key with this SSRC: the
 * stream's own with the top bit flipped, checked unique like the others. */
static inline uint32_t
vg_cfg_feedback_ssrc(uint32_t ssrc)
{
	return ssrc ^ 0x80000000u;
}

/* Load and validate path.  Every problem found is printed to err as one line
 * "file:line: message" (file is the file that holds the setting, includes
 * too); loading goes on after an error so that all are reported at once.
 * Returns the number of errors: 0 means *cfg is complete and valid; on
 * errors *cfg is freed.  Relative key_file and state_dir paths are
 * relative to the directory of the file that names them. */
unsigned vg_cfg_load(const char *path, struct vg_cfg *cfg, FILE *err);

/* Free everything vg_cfg_load allocated, wiping key material first. */
void vg_cfg_free(struct vg_cfg *cfg);

/* Next hops, by the on-link rule the config checks apply (net.c).  Toward
 * center c on its port (c->port): the center itself when on-link, else
 * the port's gateway. */
uint32_t vg_cfg_next_hop(const struct vg_cfg *cfg,
			 const struct vg_cfg_center *c);

/* The next hop toward addr on port index pi: addr itself when on-link,
 * else the port's gateway (0 when it has none). */
uint32_t vg_cfg_hop_on(const struct vg_cfg *cfg, unsigned pi, uint32_t addr);

/* An override of gateway.state_dir (--state-dir): dir replaces it; NULL
 * leaves it.  0, or -1 (cfg unchanged) when dir is empty or too long. */
int vg_cfg_set_state_dir(struct vg_cfg *cfg, const char *dir);

#endif
