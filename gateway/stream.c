#include <string.h>
#include "bytes.h"
#include "stream.h"

static void
restart_epoch(struct vg_stream_seq *s, uint32_t ssrc, uint16_t seq)
{
	/* The first epoch keeps the camera's numbering (easier to follow in a
	 * capture).  A new camera SSRC is a new index space on the camera
	 * side: the outgoing index carries on from where the last epoch
	 * stopped, and nothing below that point may be sent again. */
	if (s->started) {
		s->ssrc_changes++;
		s->offset = s->next_out - seq;
	}
	memset(&s->in, 0, sizeof(s->in));
	s->epoch_base = s->next_out;
	s->in_ssrc = ssrc;
	s->started = true;
}

enum vg_seq_verdict
vg_stream_next_index(struct vg_stream_seq *s, uint32_t ssrc, uint16_t seq,
		     uint64_t *out_index)
{
	uint64_t in, out;

	if (!s->started || ssrc != s->in_ssrc)
		restart_epoch(s, ssrc, seq);
	in = vg_replay_estimate(&s->in, seq);
	if (!vg_replay_check(&s->in, in))
		return VG_SEQ_REPLAY;
	out = in + s->offset;
	/* A packet reordered across a camera restart would land on an index
	 * of the previous epoch. */
	if (out < s->epoch_base)
		return VG_SEQ_REPLAY;
	vg_replay_commit(&s->in, in);
	if (out >= s->next_out)
		s->next_out = out + 1;
	*out_index = out;
	return VG_SEQ_OK;
}

unsigned
vg_stream_rtcp_set_ssrc(uint8_t *p, uint32_t len, uint32_t ssrc)
{
	uint32_t off = 0, plen;
	unsigned n = 0;

	while (off + 8 <= len) {
		plen = (((uint32_t)p[off + 2] << 8 | p[off + 3]) + 1) * 4;
		if ((p[off] >> 6) != 2 || plen > len - off)
			break;
		switch (p[off + 1]) {
		case 200: case 201: case 202: case 203:
			/* SDES and BYE with a zero source count carry no SSRC. */
			if (p[off + 1] >= 202 && (p[off] & 0x1f) == 0)
				break;
			vg_put_be32(p + off + 4, ssrc);
			n++;
			break;
		default:
			break;
		}
		off += plen;
	}
	return n;
}
