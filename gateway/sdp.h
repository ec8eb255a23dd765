/* SDP for the supervision centers: one session description per stream a
 * center receives (RFC 4566), with the SRTP key as SDES a=crypto (RFC 4568,
 * RFC 7714 for GCM) and the video as RFC 6184 (H.264) or RFC 7798 (H.265),
 * so that a standard RTP client (ffmpeg, VLC) opens the stream from the file
 * alone.  Pure: no DPDK, so `vigie-gw --sdp` runs without EAL.
 *
 * Every description holds a master key: callers wipe the text and the
 * streams (vg_sdp_wipe) when done, and the files are written mode 0600. */
#ifndef VG_SDP_H
#define VG_SDP_H

#include <stddef.h>
#include <stdint.h>
#include "cfg.h"

/* One stream as a center sees it.  Filled from the configuration by
 * vg_sdp_streams: the only function that knows how cameras are routed. */
struct vg_sdp_stream {
	/* s= and the file name: the camera's name, or "name@port" when the
	 * camera sends the center more than one stream (fan-out) */
	char name[VG_NAME_MAX + 8];
	uint32_t addr;			/* center address, network byte order */
	uint16_t port;			/* SRTP port at the center */
	uint16_t rtcp_port;		/* SRTCP port at the center */
	uint8_t payload_type;
	char codec[8];			/* "H264" or "H265" */
	enum vg_suite suite;
	struct vg_master_key key;	/* key || salt */
	uint32_t ssrc;			/* SSRC after the gateway's rewrite */
};

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

/* Write the description of st into buf (NUL-terminated, CRLF line ends as
 * RFC 4566 §5 asks).  Returns its length, -EINVAL if st is not describable
 * (unknown suite, codec or key length), or -ENOSPC if buf is too small
 * (buf then holds no key: it is wiped). */
int vg_sdp_format(const struct vg_sdp_stream *st, char *buf, size_t len);

/* Write st to DIR/<name>.sdp, mode 0600: through a temporary file in dir
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

/* Wipe the keys of n streams. */
void vg_sdp_wipe(struct vg_sdp_stream *st, unsigned n);

#endif
