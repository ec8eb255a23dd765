/* SPDX-License-Identifier: BSD-3-Clause */
/* The receive path: rx burst → parse → ARP/ICMP for the host → stream by
 * UDP port → libsrtp → probe → per-stream accounting.  Every frame ends
 * in exactly one counter and is freed exactly once (or handed to the host
 * module, which sends it back as an answer). */
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include "sink.h"
#include "vigie/parse.h"

/* The stream on port whose SSRC is the packet's, else the port's first
 * stream: its session then refuses the SSRC and it is counted there. */
static uint32_t
lookup(const struct vg_sink *s, bool rtcp, uint16_t port, uint32_t ssrc)
{
	uint32_t first = rtcp ? s->rtcp_by_port[port] : s->rtp_by_port[port];

	for (uint32_t i = first; i != VG_SINK_NONE;
	     i = rtcp ? s->streams[i].next_rtcp : s->streams[i].next_rtp)
		if (s->streams[i].cam->ssrc == ssrc)
			return i;
	return first;
}

static enum vg_track_event
event_of(enum vg_decrypt_status ds, bool rtcp)
{
	switch (ds) {
	case VG_DECRYPT_OK:
		return VG_TRACK_RTCP_OK;
	case VG_DECRYPT_AUTH_FAIL:
		return rtcp ? VG_TRACK_RTCP_AUTH_FAIL : VG_TRACK_AUTH_FAIL;
	case VG_DECRYPT_REPLAY:
		return rtcp ? VG_TRACK_RTCP_FAIL : VG_TRACK_REPLAY;
	case VG_DECRYPT_NO_CTX:
		return VG_TRACK_WRONG_SSRC;
	default:
		return rtcp ? VG_TRACK_RTCP_FAIL : VG_TRACK_ERROR;
	}
}

static void
rtp_input(struct vg_sink *s, uint8_t *frame, const struct vg_parsed *pv,
	  uint64_t now)
{
	uint32_t id = lookup(s, false, pv->dst_port, pv->ssrc);
	uint8_t *rtp = frame + pv->app_off;
	uint32_t len = pv->app_len, plen;
	struct vg_sink_stream *st;
	enum vg_decrypt_status ds;
	struct vg_probe pr;
	bool probe;

	s->rtp_seen++;
	if (id == VG_SINK_NONE) {
		s->other[VG_DROP_UNKNOWN_FLOW]++;
		return;
	}
	st = &s->streams[id];
	ds = vg_decrypt_rtp(st->dec, rtp, &len);
	if (ds != VG_DECRYPT_OK) {
		vg_track_count(&st->track, event_of(ds, false));
		return;
	}
	plen = len > pv->rtp_hdr_len ? len - pv->rtp_hdr_len : 0;
	probe = vg_probe_read(rtp + pv->rtp_hdr_len, plen, &pr);
	/* Another camera's probe: the gateway mixed streams up, or the
	 * sender numbered its cameras otherwise than the config does. */
	if (probe && pr.camera != st->camera)
		vg_track_count(&st->track, VG_TRACK_PROBE_CAMERA);
	vg_track_rtp(&st->track, probe ? &pr : NULL, pv->app_len, plen, now);
}

static void
rtcp_input(struct vg_sink *s, uint8_t *frame, const struct vg_parsed *pv)
{
	uint32_t id = lookup(s, true, pv->dst_port, pv->ssrc);
	uint32_t len = pv->app_len;
	struct vg_sink_stream *st;

	if (id == VG_SINK_NONE) {
		s->other[VG_DROP_UNKNOWN_FLOW]++;
		return;
	}
	st = &s->streams[id];
	vg_track_count(&st->track, event_of(vg_decrypt_rtcp(st->dec,
			frame + pv->app_off, &len), true));
}

static void
input(struct vg_sink *s, struct rte_mbuf *m, uint64_t now)
{
	uint8_t *d = rte_pktmbuf_mtod(m, uint8_t *);
	struct vg_parsed pv;
	enum vg_drop why;

	/* libsrtp works on contiguous bytes; a jumbo frame split over
	 * mbufs is counted, not reassembled. */
	if (unlikely(!rte_pktmbuf_is_contiguous(m))) {
		s->segmented++;
		goto free;
	}
	why = vg_parse_frame(d, rte_pktmbuf_data_len(m), &pv);
	if (why != VG_DROP_NONE)
		goto other;
	if (vg_host_input(&s->host, m, &pv))
		return;				/* answered: the mbuf went out */
	if (pv.vlan != s->host.port.vlan)
		why = VG_DROP_WRONG_VLAN;
	else if (pv.kind == VG_PKT_ARP)
		why = VG_DROP_ARP_OTHER;
	else if (pv.dst_ip != s->center->addr || pv.kind == VG_PKT_ICMP_ECHO)
		why = VG_DROP_NOT_FOR_US;
	else if (pv.kind == VG_PKT_RTP)
		rtp_input(s, d, &pv, now);
	else
		rtcp_input(s, d, &pv);
	if (why == VG_DROP_NONE)
		goto free;
other:
	s->other[why]++;
free:
	rte_pktmbuf_free(m);
}

unsigned
vg_sink_rx_burst(struct vg_sink *s)
{
	struct rte_mbuf *pkts[VG_SINK_BURST];
	uint16_t n;
	uint64_t now;

	n = rte_eth_rx_burst(s->host.port.port_id, 0, pkts, VG_SINK_BURST);
	if (n == 0)
		return 0;
	/* One clock read per burst: a burst's packets arrived together. */
	now = vg_probe_now_ns();
	for (uint16_t i = 0; i < n; i++)
		input(s, pkts[i], now);
	return n;
}

uint64_t
vg_sink_other_total(const struct vg_sink *s)
{
	uint64_t sum = s->segmented;

	for (unsigned i = 0; i < VG_DROP_COUNT; i++)
		sum += s->other[i];
	return sum;
}
