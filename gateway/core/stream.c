/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include "bytes.h"
#include "stream.h"

void
vg_stream_seq_init(struct vg_stream_seq *s, uint64_t next_out)
{
	memset(s, 0, sizeof(*s));
	s->next_out = next_out;
}

/* A new index space on the camera side (a new SSRC, a reset, or a spoofed
 * jump): the outgoing index carries on from next_out, and nothing below
 * that point may be sent again. */
static void
restart_epoch(struct vg_stream_seq *s, uint32_t ssrc, uint16_t seq)
{
	if (s->started && ssrc != s->in_ssrc)
		s->ssrc_changes++;
	else if (s->started)
		s->seq_jumps++;
	memset(&s->in, 0, sizeof(s->in));
	s->epoch_in = seq;
	s->epoch_base = s->next_out;
	s->in_ssrc = ssrc;
	s->started = true;
}

enum vg_seq_verdict
vg_stream_next_index(struct vg_stream_seq *s, uint32_t ssrc, uint16_t seq,
		     uint64_t limit, uint64_t *out_index)
{
	uint64_t in, out;

	if (!s->started || ssrc != s->in_ssrc)
		restart_epoch(s, ssrc, seq);
	in = vg_replay_estimate(&s->in, seq);
	if (vg_replay_started(&s->in) && (in > s->in.top ? in - s->in.top >= VG_SEQ_JUMP :
			      s->in.top - in >= VG_SEQ_RESET)) {
		restart_epoch(s, ssrc, seq);
		in = seq;
	}
	if (!vg_replay_check(&s->in, in))
		return VG_SEQ_REPLAY;
	/* A packet reordered across an epoch change would land on an index
	 * of the previous epoch. */
	if (in + VG_SEQ_SLACK < s->epoch_in)
		return VG_SEQ_REPLAY;
	out = vg_stream_out_index(s, in);
	/* A forward jump past the reservation while it still has room: a
	 * new epoch where it does (else nothing would be committed, no more
	 * asked for, and the camera stay dark until it passed 2^15). */
	if (out >= limit && out > s->next_out && s->next_out < limit) {
		restart_epoch(s, ssrc, seq);
		in = seq;
		out = vg_stream_out_index(s, in);
	}
	if (out >= limit || out >= VG_INDEX_END)
		return out >= VG_INDEX_END ? VG_SEQ_EXHAUSTED :
		       VG_SEQ_NO_RESERVATION;
	vg_replay_commit(&s->in, in);
	if (out >= s->next_out)
		__atomic_store_n(&s->next_out, out + 1, __ATOMIC_RELAXED);
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

static unsigned
swap32(uint8_t *p, uint32_t from, uint32_t to)
{
	if (vg_get_be32(p) != from)
		return 0;
	vg_put_be32(p, to);
	return 1;
}

/* The report blocks of an SR (after 28 bytes) or RR (after 8). */
static unsigned
blocks(uint8_t *p, uint32_t plen, uint32_t first, uint32_t from, uint32_t to)
{
	unsigned n = 0, rc = p[0] & 0x1f;

	for (unsigned i = 0; i < rc && first + 24 * (i + 1) <= plen; i++)
		n += swap32(p + first + 24 * i, from, to);
	return n;
}

unsigned
vg_stream_rtcp_set_media(uint8_t *p, uint32_t len, uint32_t from, uint32_t to)
{
	uint32_t off = 0, plen;
	unsigned n = 0;

	while (off + 8 <= len) {
		uint8_t *q = p + off;

		plen = (((uint32_t)q[2] << 8 | q[3]) + 1) * 4;
		if ((q[0] >> 6) != 2 || plen > len - off)
			break;
		switch (q[1]) {
		case 200:
			n += blocks(q, plen, 28, from, to);
			break;
		case 201:
			n += blocks(q, plen, 8, from, to);
			break;
		case 205: case 206:		/* RTPFB, PSFB */
			if (plen >= 12)
				n += swap32(q + 8, from, to);
			/* FIR (PSFB 4): media source 0, SSRCs in the FCI. */
			if (q[1] == 206 && (q[0] & 0x1f) == 4)
				for (uint32_t f = 12; f + 8 <= plen; f += 8)
					n += swap32(q + f, from, to);
			break;
		default:
			break;
		}
		off += plen;
	}
	return n;
}
