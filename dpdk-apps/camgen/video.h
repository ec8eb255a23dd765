/* SPDX-License-Identifier: BSD-3-Clause */
/* A camera's video stream as vigie-camgen plays it: H.264 over RTP
 * (RFC 6184) with the shape of a real encoder's output.  Each GOP starts
 * with SPS, PPS and an IDR frame `iframe_weight` times the size of a
 * P-frame; sizes are set so the GOP averages `bitrate`.  Frames larger than
 * a packet go as FU-A fragments of `payload_max` bytes, the marker bit on a
 * frame's last packet; all packets of a frame carry its 90 kHz timestamp.
 * Every packet ends with a probe (probe.h).  Pure code: no DPDK. */
#ifndef VG_VIDEO_H
#define VG_VIDEO_H

#include <stdbool.h>
#include <stdint.h>
#include "probe.h"

#define VG_VIDEO_CLOCK 90000
#define VG_VIDEO_MIN_PAYLOAD 64		/* smallest payload_max accepted */

struct vg_video_params {
	uint64_t bitrate;		/* RTP payload bit/s per camera */
	unsigned fps;
	unsigned gop;			/* frames per GOP, >= 1 */
	unsigned payload_max;		/* RTP payload bytes per packet */
	unsigned iframe_weight;		/* IDR size / P size, >= 1 */
};

/* A NAL unit of the current frame still to be sent. */
struct vg_video_nal {
	uint32_t size;			/* with its 1-byte NAL header */
	uint8_t type;			/* 7 SPS, 8 PPS, 5 IDR, 1 non-IDR */
};

struct vg_video_cam {
	uint32_t camera;		/* id written in the probe */
	uint32_t ssrc;
	uint16_t seq;			/* next sequence number */
	uint32_t ts0;			/* timestamp of frame 0 */
	unsigned phase;			/* GOP offset: IDRs of cameras spread */
	uint64_t frame;			/* frames begun */
	uint64_t counter;		/* RTP packets sent: the probe counter */
	uint64_t octets;		/* RTP payload octets sent (for SRs) */
	/* the frame being packetized */
	struct vg_video_nal nal[3];
	unsigned n_nal, cur;
	uint32_t off;			/* bytes of nal[cur] sent (after hdr) */
	uint32_t ts;
};

/* Check params; on error return false with a message naming the option. */
bool vg_video_params_check(const struct vg_video_params *p, char *err,
			   unsigned errlen);

/* Size in bytes of frame f of a camera with GOP offset phase. */
uint32_t vg_video_frame_size(const struct vg_video_params *p, uint64_t f,
			     unsigned phase);

/* Plan the camera's next frame (cam->frame, then cam->frame + 1). */
void vg_video_frame_begin(const struct vg_video_params *p,
			  struct vg_video_cam *cam);

/* Write the next RTP packet of the current frame at rtp (room for 12 +
 * payload_max bytes) with a probe carrying sent_ns and flags.  Returns its
 * length, or 0 when the frame has been sent.  last_of_stream forces the
 * marker (a capture cut mid-frame still ends on a marked packet). */
unsigned vg_video_next(const struct vg_video_params *p,
		       struct vg_video_cam *cam, uint8_t *rtp, uint8_t pt,
		       uint64_t sent_ns, uint32_t flags, bool last_of_stream);

/* Write an RTCP compound (RFC 3550 SR + SDES CNAME) for the camera at out
 * (room for cap bytes): ntp is the 64-bit NTP time of the report, rtp_ts
 * the matching RTP timestamp.  Returns its length or 0 if cap is short. */
unsigned vg_video_sr(const struct vg_video_cam *cam, const char *cname,
		     uint64_t ntp, uint32_t rtp_ts, uint8_t *out, unsigned cap);

#endif
