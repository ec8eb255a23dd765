/* SPDX-License-Identifier: BSD-3-Clause */
/* SDP for the supervision centers: one session description per stream a
 * center receives (RFC 4566), so that a standard RTP client (ffmpeg, VLC)
 * opens the stream from the file alone, with the video as RFC 6184 (H.264)
 * or RFC 7798 (H.265).  Two legs:
 *  - SRTP, from a PoP gateway to a center (vg_sdp_streams): RTP/SAVP with
 *    the SRTP key as SDES a=crypto (RFC 4568, RFC 7714 for GCM);
 *  - plain RTP, from a center gateway to the VMS behind it (vg_sdp_routes,
 *    one per `unprotect` route): RTP/AVP, no key.
 * Pure: no DPDK, so `vigie-gw --sdp` and `--sdp-vms` run without EAL.
 *
 * An SRTP description holds a master key: callers wipe the text and the
 * streams (vg_sdp_wipe) when done, and those files are written mode 0600;
 * plain ones hold none and are written 0644, for a VMS running as another
 * user to read. */
#ifndef VG_SDP_H
#define VG_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cfg.h"

/* One stream as its receiver sees it.  Filled from the configuration by
 * vg_sdp_streams and vg_sdp_routes: the only functions that know how
 * cameras and routes are set up. */
struct vg_sdp_stream {
	/* s= and the file name: the camera's name, or "name@port" when the
	 * camera sends the center more than one stream (fan-out); on the
	 * VMS leg the route's name */
	char name[VG_NAME_MAX + 8];
	/* c=, network byte order.  SRTP leg: the center, where the SRTP
	 * arrives.  VMS leg: the center gateway's access address, where the
	 * RTP comes from and where a receiver that sends RTCP sends it: the
	 * gateway takes the VMS's reports and key-frame requests there, on
	 * to the camera.  Receivers bind the port on every address anyway. */
	uint32_t addr;
	uint16_t port;			/* RTP port at the receiver */
	uint16_t rtcp_port;		/* RTCP port at the receiver */
	uint8_t payload_type;
	char codec[8];			/* "H264" or "H265" */
	bool plain;			/* VMS leg: RTP/AVP, no suite, no key */
	enum vg_suite suite;		/* SRTP leg only */
	struct vg_master_key key;	/* SRTP leg only: key || salt */
	uint32_t ssrc;			/* SSRC after the gateway's rewrite */
};

/* What the VMS leg says when a route names no video format: routes carry
 * none (the PoP's camera entry does), so the camera side's defaults. */
#define VG_SDP_VMS_PT 96
#define VG_SDP_VMS_CODEC "H264"

/* Big enough for any description vg_sdp_format writes: the fixed lines
 * (under 250 bytes), the name twice and a 44-byte key in base64. */
#define VG_SDP_TEXT_MAX 640

/* Index of the center called name in cfg, or -1. */
int vg_sdp_center(const struct vg_cfg *cfg, const char *name);

/* Fill out[0..max) with the streams routed to center (an index in
 * cfg->centers), in configuration order; a fan-out camera gives one per
 * destination at this center.  Returns how many streams there
 * are, which may exceed max (then only max are filled): call with max 0
 * to size the array. */
unsigned vg_sdp_streams(const struct vg_cfg *cfg, unsigned center,
			struct vg_sdp_stream *out, unsigned max);

/* Fill out[0..max) with the VMS leg of every `unprotect` route of cfg,
 * in configuration order: plain RTP from the center gateway's access
 * address to vms:vms_port, with VG_SDP_VMS_PT and VG_SDP_VMS_CODEC.  No
 * key is copied.  Returns how many routes there are, which may exceed max
 * (then only max are filled): call with max 0 to size the array. */
unsigned vg_sdp_routes(const struct vg_cfg *cfg, struct vg_sdp_stream *out,
		       unsigned max);

/* Write the description of st into buf (NUL-terminated, CRLF line ends as
 * RFC 4566 §5 asks): RTP/SAVP with a=crypto, or RTP/AVP and no crypto
 * line when st->plain.  Returns its length, -EINVAL if st is not
 * describable (unknown codec, payload type, or for SRTP suite or key
 * length), or -ENOSPC if buf is too small (buf is then wiped). */
int vg_sdp_format(const struct vg_sdp_stream *st, char *buf, size_t len);

/* Write st to DIR/<name>.sdp, mode 0600 (0644 when st->plain, whatever
 * the umask in both cases): through a temporary file in dir
 * and rename(2), so that a reader never sees half a file and a file that
 * already existed (any mode, even a symlink) is replaced, not reused.
 * Returns 0, or a negative errno with a message in err naming the file
 * (never any key byte). */
int vg_sdp_write(const char *dir, const struct vg_sdp_stream *st,
		 char *err, size_t errlen);

/* Check dir before writing into it: a directory we may create files in.
 * Returns 0, or a negative errno with a message in err.  *others_mode is
 * set to the permission bits others have on it (0: none), for a warning. */
int vg_sdp_check_dir(const char *dir, unsigned *others_mode,
		     char *err, size_t errlen);

/* Wipe the keys of n streams (plain ones have none: harmless). */
void vg_sdp_wipe(struct vg_sdp_stream *st, unsigned n);

#endif
