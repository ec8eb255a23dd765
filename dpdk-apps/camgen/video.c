/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>
#include "video.h"
#include "vigie/bytes.h"

#define NAL_SPS 7
#define NAL_PPS 8
#define NAL_IDR 5
#define NAL_P 1
#define NAL_FU_A 28
#define SPS_SIZE 40			/* typical 1080p High-profile SPS/PPS */
#define PPS_SIZE 32
#define FU_HDR 2

bool
vg_video_params_check(const struct vg_video_params *p, char *err,
		      unsigned errlen)
{
	if (p->fps < 1 || p->fps > 240)
		snprintf(err, errlen, "--fps: %u is not in 1..240", p->fps);
	else if (p->gop < 1 || p->gop > 10000)
		snprintf(err, errlen, "--gop: %u is not in 1..10000", p->gop);
	else if (p->payload_max < VG_VIDEO_MIN_PAYLOAD)
		snprintf(err, errlen, "packet size leaves %u payload bytes, "
			 "below %u", p->payload_max, VG_VIDEO_MIN_PAYLOAD);
	else if (p->iframe_weight < 1)
		snprintf(err, errlen, "I-frame weight must be >= 1");
	else if (p->bitrate < 8ull * p->fps * (VG_PROBE_LEN + 1) ||
		 p->bitrate > 100000000000ull)
		snprintf(err, errlen, "--bitrate: %llu bit/s is not in %u..1e11",
			 (unsigned long long)p->bitrate,
			 8 * p->fps * (VG_PROBE_LEN + 1));
	else
		return true;
	return false;
}

uint32_t
vg_video_frame_size(const struct vg_video_params *p, uint64_t f,
		    unsigned phase)
{
	uint64_t gop_bytes = p->bitrate / 8 * p->gop / p->fps;
	uint64_t units = (uint64_t)p->gop - 1 + p->iframe_weight;
	uint64_t pbytes = gop_bytes / units;
	uint64_t size = (f + phase) % p->gop == 0 ?
			pbytes * p->iframe_weight : pbytes;

	/* Every packet carries a probe after its NAL/FU header. */
	return (uint32_t)(size < VG_PROBE_LEN + 1 ? VG_PROBE_LEN + 1 : size);
}

void
vg_video_frame_begin(const struct vg_video_params *p, struct vg_video_cam *cam)
{
	uint32_t size = vg_video_frame_size(p, cam->frame, cam->phase);
	bool idr = (cam->frame + cam->phase) % p->gop == 0;

	cam->n_nal = 0;
	if (idr) {
		cam->nal[cam->n_nal++] = (struct vg_video_nal){ SPS_SIZE, NAL_SPS };
		cam->nal[cam->n_nal++] = (struct vg_video_nal){ PPS_SIZE, NAL_PPS };
	}
	cam->nal[cam->n_nal++] = (struct vg_video_nal){ size,
							idr ? NAL_IDR : NAL_P };
	cam->cur = 0;
	cam->off = 0;
	cam->ts = cam->ts0 + (uint32_t)(cam->frame * VG_VIDEO_CLOCK / p->fps);
	cam->frame++;
}

/* Bytes of the current NAL (after its header) to put in the next FU-A
 * fragment: a full packet, but never leaving a last fragment too short to
 * hold its probe. */
static uint32_t
fu_chunk(const struct vg_video_params *p, uint32_t left)
{
	uint32_t chunk = p->payload_max - FU_HDR;

	if (chunk >= left)
		return left;
	if (left - chunk < VG_PROBE_LEN)
		chunk = left - VG_PROBE_LEN;
	return chunk;
}

static void
rtp_header(uint8_t *rtp, const struct vg_video_cam *cam, uint8_t pt,
	   bool marker)
{
	rtp[0] = 0x80;
	rtp[1] = (uint8_t)((marker ? 0x80 : 0) | (pt & 0x7f));
	vg_put_be16(rtp + 2, cam->seq);
	vg_put_be32(rtp + 4, cam->ts);
	vg_put_be32(rtp + 8, cam->ssrc);
}

/* Fill the NAL bytes with a fixed pattern: cheap, and compressible data
 * would not change what the gateway does. */
static void
fill(uint8_t *d, uint32_t n, uint8_t seed)
{
	memset(d, seed, n);
}

unsigned
vg_video_next(const struct vg_video_params *p, struct vg_video_cam *cam,
	      uint8_t *rtp, uint8_t pt, uint64_t sent_ns, uint32_t flags,
	      bool last_of_stream)
{
	const struct vg_video_nal *nal;
	uint8_t *pl = rtp + 12, nri;
	uint32_t len, body;
	bool marker;

	if (cam->cur >= cam->n_nal)
		return 0;
	nal = &cam->nal[cam->cur];
	nri = nal->type == NAL_P ? 2 << 5 : 3 << 5;
	body = nal->size - 1;
	if (cam->off == 0 && nal->size <= p->payload_max) {
		/* Single NAL unit packet. */
		pl[0] = nri | nal->type;
		fill(pl + 1, body, nal->type);
		len = nal->size;
		cam->off = body;
	} else {
		uint32_t chunk = fu_chunk(p, body - cam->off);

		pl[0] = nri | NAL_FU_A;
		pl[1] = (uint8_t)((cam->off == 0 ? 0x80 : 0) |
				  (cam->off + chunk == body ? 0x40 : 0) |
				  nal->type);
		fill(pl + FU_HDR, chunk, nal->type);
		len = FU_HDR + chunk;
		cam->off += chunk;
	}
	if (cam->off == body) {
		cam->cur++;
		cam->off = 0;
	}
	marker = cam->cur == cam->n_nal || last_of_stream;
	rtp_header(rtp, cam, pt, marker);
	vg_probe_write(pl, len, &(struct vg_probe){ cam->camera, cam->counter,
						    sent_ns, flags });
	cam->seq++;
	cam->counter++;
	cam->octets += len;
	return 12 + len;
}

unsigned
vg_video_sr(const struct vg_video_cam *cam, const char *cname, uint64_t ntp,
	    uint32_t rtp_ts, uint8_t *out, unsigned cap)
{
	size_t cl = strlen(cname);
	unsigned sdes_len, words;

	if (cl > 255)
		cl = 255;
	/* SDES chunk: SSRC, CNAME item (2 + cl), END, pad to 32 bits. */
	words = (unsigned)(4 + 2 + cl + 1 + 3) / 4;
	sdes_len = 4 + 4 * words;
	if (cap < 28 + sdes_len)
		return 0;
	out[0] = 0x80;
	out[1] = 200;
	vg_put_be16(out + 2, 6);
	vg_put_be32(out + 4, cam->ssrc);
	vg_put_be32(out + 8, (uint32_t)(ntp >> 32));
	vg_put_be32(out + 12, (uint32_t)ntp);
	vg_put_be32(out + 16, rtp_ts);
	vg_put_be32(out + 20, (uint32_t)cam->counter);
	vg_put_be32(out + 24, (uint32_t)cam->octets);
	out += 28;
	memset(out, 0, sdes_len);
	out[0] = 0x81;
	out[1] = 202;
	vg_put_be16(out + 2, (uint16_t)words);
	vg_put_be32(out + 4, cam->ssrc);
	out[8] = 1;			/* CNAME */
	out[9] = (uint8_t)cl;
	memcpy(out + 10, cname, cl);
	return 28 + sdes_len;
}
