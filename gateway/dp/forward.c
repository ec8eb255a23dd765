/* SPDX-License-Identifier: BSD-3-Clause */
#include <rte_ip.h>
#include <rte_prefetch.h>
#include <rte_udp.h>
#include "bytes.h"
#include "csum.h"
#include "engine.h"
#include "flow.h"
#include "forward.h"
#include "announce.h"
#include "l2.h"

struct pending {
	struct rte_mbuf *m;
	struct vg_stream *s;
	uint16_t app_len;		/* plain RTP/RTCP length */
	uint16_t app_off;
	uint16_t src_port;		/* the sender's, for learning */
	uint8_t tos;
	uint8_t rx_port;		/* port index it came in on */
	uint8_t own;			/* a ROC announcement of ours */
};

/* Feedback goes back where the sender's RTCP comes from (symmetric RTCP):
 * its MAC (the camera's, or a router's before it), its port, and our port
 * it came in on.  m still holds the Ethernet header it came with. */
static void
learn_return(struct vg_stream *s, const struct rte_mbuf *m, uint16_t src_port,
	     unsigned pi)
{
	rte_ether_addr_copy(rte_pktmbuf_mtod_offset(m, const struct
				rte_ether_addr *, RTE_ETHER_ADDR_LEN), &s->ret_mac);
	s->ret_port = src_port;
	s->ret_port_idx = (uint8_t)pi;
	s->ret_known = 1;
}

/* Checks and trimming both directions need: the port type, one segment,
 * no Ethernet padding, a resolved next hop.  Returns the drop reason. */
static enum vg_drop
common(struct vg_worker *w, unsigned pi, struct rte_mbuf *m,
       const struct vg_parsed *pv, struct vg_stream *s, unsigned kind)
{
	bool rtcp = pv->kind == VG_PKT_RTCP;

	if (kind != VG_FLOW_MUX && rtcp != (kind == VG_FLOW_RTCP))
		return rtcp ? VG_DROP_NOT_RTP : VG_DROP_BAD_RTCP;
	if (m->nb_segs > 1 && rte_pktmbuf_linearize(m) < 0)
		return VG_DROP_NO_TAILROOM;
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - (pv->app_off + pv->app_len));
	/* A camera's RTCP is as trusted as its RTP: learn at once.  SRTCP
	 * teaches only once authenticated (finish()): a forged packet must
	 * not redirect the feedback. */
	if (rtcp && s->learn && s->dir == VG_DIR_PROTECT)
		learn_return(s, m, pv->src_port, pi);
	if (s->ret != VG_STREAM_NONE)
		return w->gw->streams[s->ret].ret_known ? VG_DROP_NONE :
		       VG_DROP_NO_NEIGHBOUR;
	if (!vg_neigh_get(&w->gw->neigh, s->neigh)->resolved)
		return VG_DROP_NO_NEIGHBOUR;
	return VG_DROP_NONE;
}

static void
fill(struct pending *pd, struct vg_crypto_op *op, struct rte_mbuf *m,
     const struct vg_parsed *pv, struct vg_stream *s, uint32_t sid,
     uint64_t idx, unsigned pi)
{
	bool rtcp = pv->kind == VG_PKT_RTCP;

	pd->m = m;
	pd->own = 0;
	pd->src_port = pv->src_port;
	pd->rx_port = (uint8_t)pi;
	pd->s = s;
	pd->app_len = pv->app_len;
	pd->app_off = pv->app_off;
	pd->tos = rte_pktmbuf_mtod_offset(m, uint8_t *, pv->l3_off)[1];
	op->data = rte_pktmbuf_mtod_offset(m, uint8_t *, pv->app_off);
	op->len = pv->app_len;
	op->stream = sid;
	op->index = idx;
	op->mbuf = m;
	op->hdr_len = rtcp ? 0 : pv->rtp_hdr_len;
	op->rtcp = rtcp;
}

/* Half of a reservation used: ask the main lcore (reserve.c) for more,
 * once per limit it published. */
static inline void
ask_more(struct vg_worker *w, uint64_t *asked, uint64_t limit, uint64_t used,
	 uint64_t half)
{
	if (likely(limit - RTE_MIN(used, limit) > half) || *asked == limit)
		return;
	*asked = limit;
	__atomic_store_n(&w->reserve_asks, w->reserve_asks + 1,
			 __ATOMIC_RELAXED);
}

/* The outgoing SRTP index of a camera packet, below the stream's durable
 * reservation (invariant 3). */
static enum vg_drop
rtp_index(struct vg_worker *w, struct vg_stream *s, const struct vg_parsed *pv,
	  uint64_t *idx)
{
	uint64_t limit = __atomic_load_n(&s->rtp_limit, __ATOMIC_RELAXED);
	enum vg_seq_verdict v;

	v = vg_stream_next_index(&s->seq, pv->ssrc, pv->seq, limit, idx);
	ask_more(w, &s->asked, limit, s->seq.next_out, VG_RESERVE_AHEAD / 2);
	switch (v) {
	case VG_SEQ_OK:
		return VG_DROP_NONE;
	case VG_SEQ_REPLAY:
		s->replay++;
		return VG_DROP_REPLAY;
	case VG_SEQ_NO_RESERVATION:
		s->unreserved++;
		return VG_DROP_NO_RESERVATION;
	default:
		return VG_DROP_INDEX_EXHAUSTED;
	}
}

/* The SRTCP index of a protected RTCP compound: the gateway's, not the
 * engine's, so that it too continues above its reservation after a
 * restart.  31 bits (RFC 3711 §3.4). */
static enum vg_drop
rtcp_index(struct vg_worker *w, struct vg_stream *s, uint64_t *idx)
{
	uint32_t limit = __atomic_load_n(&s->rtcp_limit, __ATOMIC_RELAXED);

	ask_more(w, &s->rtcp_asked, limit, s->rtcp_next,
		 VG_RESERVE_RTCP_AHEAD / 2);
	if (unlikely(s->rtcp_next >= limit)) {
		if (s->rtcp_next >= VG_SRTCP_INDEX_END)
			return VG_DROP_INDEX_EXHAUSTED;
		s->unreserved++;
		return VG_DROP_NO_RESERVATION;
	}
	*idx = s->rtcp_next;
	__atomic_store_n(&s->rtcp_next, s->rtcp_next + 1, __ATOMIC_RELAXED);
	return VG_DROP_NONE;
}

/* Stage 1, camera packets: stream index and SSRC rewrite before
 * protection.  Returns the drop reason, or VG_DROP_NONE with the op. */
static enum vg_drop
prepare(struct vg_worker *w, unsigned pi, struct rte_mbuf *m,
	const struct vg_parsed *pv, uintptr_t flow, struct pending *pd,
	struct vg_crypto_op *op)
{
	uint32_t sid = VG_FLOW_STREAM(flow);
	struct vg_stream *s = &w->gw->streams[sid];
	uint64_t idx = 0;
	enum vg_drop r;
	uint8_t *app;

	r = common(w, pi, m, pv, s, VG_FLOW_KIND(flow));
	if (r != VG_DROP_NONE)
		return r;
	/* The tag goes in place, after the payload. */
	if (rte_pktmbuf_tailroom(m) < VG_SRTP_MAX_TRAILER)
		return VG_DROP_NO_TAILROOM;
	app = rte_pktmbuf_mtod_offset(m, uint8_t *, pv->app_off);	/* after linearize */
	if (pv->kind == VG_PKT_RTCP) {
		r = rtcp_index(w, s, &idx);
		if (r != VG_DROP_NONE)
			return r;
		vg_stream_rtcp_set_ssrc(app, pv->app_len, s->ssrc);
	} else {
		r = rtp_index(w, s, pv, &idx);
		if (r != VG_DROP_NONE)
			return r;
		vg_put_be16(app + 2, (uint16_t)idx);
		vg_put_be32(app + 8, s->ssrc);
	}
	fill(pd, op, m, pv, s, sid, idx, pi);
	return VG_DROP_NONE;
}

/* Stage 1, SRTP from a PoP gateway (center role): the engine keeps the
 * receiver state (ROC, replay window), so nothing to do but check. */
static enum vg_drop
prepare_in(struct vg_worker *w, unsigned pi, struct rte_mbuf *m,
	   const struct vg_parsed *pv, uintptr_t flow, struct pending *pd,
	   struct vg_crypto_op *op)
{
	uint32_t sid = VG_FLOW_STREAM(flow);
	struct vg_stream *s = &w->gw->streams[sid];
	enum vg_drop r = common(w, pi, m, pv, s, VG_FLOW_KIND(flow));

	if (r == VG_DROP_NONE)
		fill(pd, op, m, pv, s, sid, 0, pi);
	return r;
}

/* ret_port: the learned destination port of feedback, else 0.  The
 * checksums are taken from the values written, not read back. */
static void
write_ip_udp(uint8_t *d, const struct vg_port *p, const struct vg_stream *s,
	     const struct pending *pd, bool rtcp, uint16_t app_len, uint16_t id,
	     uint16_t ret_port)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)d;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	struct vg_csum_ip_udp h = {
		.src_be = p->addr, .dst_be = s->dst_addr,
		.ip_len_be = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*udp) + app_len),
		.id_be = rte_cpu_to_be_16(id),
		.frag_be = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG),
		.tos = pd->tos,		/* keep the camera's DSCP for QoS */
		.ttl = 64,
		.sport_be = rte_cpu_to_be_16(rtcp ? s->src_rtcp_port : s->src_port),
		.dport_be = rte_cpu_to_be_16(ret_port ? ret_port :
					     rtcp ? s->dst_rtcp_port : s->dst_port),
		.udp_len = (uint16_t)(sizeof(*udp) + app_len),
	};

	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = h.tos;
	ip->total_length = h.ip_len_be;
	ip->packet_id = h.id_be;
	ip->fragment_offset = h.frag_be;
	ip->time_to_live = h.ttl;
	ip->next_proto_id = IPPROTO_UDP;
	ip->hdr_checksum = 0;
	ip->src_addr = h.src_be;
	ip->dst_addr = h.dst_be;
	udp->src_port = h.sport_be;
	udp->dst_port = h.dport_be;
	udp->dgram_len = rte_cpu_to_be_16(h.udp_len);
	udp->dgram_cksum = 0;
	if (p->csum_offload) {
		/* The NIC wants the pseudo-header sum in the UDP field. */
		udp->dgram_cksum = rte_ipv4_phdr_cksum(ip, 0);
		return;
	}
	ip->hdr_checksum = vg_csum_ipv4_hdr(&h);
	udp->dgram_cksum = vg_csum_udp4_hdr(&h, udp + 1);
}

/* Stage 3: the (un)protected payload gets new headers toward the center
 * or the VMS. */
static void
encap_and_send(struct vg_worker *w, struct pending *pd,
	       const struct vg_crypto_op *op)
{
	struct vg_stream *s = pd->s;
	const struct vg_stream *ret = s->ret == VG_STREAM_NONE ? NULL :
				      &w->gw->streams[s->ret];
	unsigned pi = ret ? ret->ret_port_idx : s->tx_port;
	struct vg_port *p = &w->gw->ports[pi];
	const struct rte_ether_addr *mac = ret ? &ret->ret_mac :
		&vg_neigh_get(&w->gw->neigh, s->neigh)->mac;
	unsigned l2 = vg_l2_len(p->vlan);
	struct rte_mbuf *m = pd->m;
	uint8_t *d;

	/* Feedback to a camera names the camera's own SSRC again: it knows
	 * nothing of the one the gateway gave its stream. */
	if (s->media != VG_STREAM_NONE) {
		const struct vg_stream *ms = &w->gw->streams[s->media];

		vg_stream_rtcp_set_media(op->data, op->len, ms->ssrc,
					 ms->seq.in_ssrc);
	}

	if (op->len >= pd->app_len)
		rte_pktmbuf_append(m, op->len - pd->app_len);	/* room checked */
	else
		rte_pktmbuf_trim(m, pd->app_len - op->len);	/* tag removed */
	rte_pktmbuf_adj(m, pd->app_off);
	d = (uint8_t *)rte_pktmbuf_prepend(m, l2 + 28);
	vg_l2_write(d, mac, &p->mac, p->vlan, RTE_ETHER_TYPE_IPV4);
	write_ip_udp(d + l2, p, s, pd, op->rtcp, op->len, p->ip_id++,
		     ret ? ret->ret_port : 0);
	if (p->csum_offload) {
		m->l2_len = l2;
		m->l3_len = sizeof(struct rte_ipv4_hdr);
		m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
			      RTE_MBUF_F_TX_UDP_CKSUM;
	}
	if (pd->own)
		s->announced++;
	else if (op->rtcp)
		s->rtcp++;
	else
		s->rtp++;
	if (!pd->own)
		s->bytes += op->len;
	vg_tx(w, pi, m);
}

/* The receiver is this far behind an announced index: resume it there.
 * (Nearer, its own estimate already finds the ROC.) */
#define RESUME_BEHIND (1u << 14)

/* A ROC announcement authenticated on stream sid: a receiver far behind
 * the stream (a center that started late, or restarted after the stream
 * wrapped) resumes at the announced index.  Only forward: an old one,
 * replayed, changes nothing. */
static void
announced(struct vg_worker *w, struct vg_stream *s, uint32_t sid,
	  uint64_t next)
{
	s->announced++;
	if (next >= VG_INDEX_END || next <= s->rx_rtp + RESUME_BEHIND ||
	    w->engine->ops->rx_set(w->engine, sid, next, 0) != 0)
		return;
	__atomic_store_n(&s->rx_rtp, next, __ATOMIC_RELAXED);
	s->resumed++;
}

/* An authenticated packet at a receiver: its index is the receiver state
 * the state file keeps (reserve.c).  true: consumed (an announcement and
 * nothing else, not for the VMS). */
static bool
received(struct vg_worker *w, struct pending *pd, const struct vg_crypto_op *op)
{
	struct vg_stream *s = pd->s;
	uint64_t next;
	bool only;

	if (!op->rtcp) {
		if (op->index >= s->rx_rtp)
			__atomic_store_n(&s->rx_rtp, op->index + 1,
					 __ATOMIC_RELAXED);
		return false;
	}
	if (op->index >= s->rx_rtcp)
		__atomic_store_n(&s->rx_rtcp, (uint32_t)op->index + 1,
				 __ATOMIC_RELAXED);
	if (s->learn)
		learn_return(s, pd->m, pd->src_port, pd->rx_port);
	if (!vg_announce_parse(op->data, op->len, s->ssrc, &next, &only))
		return false;
	announced(w, s, op->stream, next);
	if (only)
		rte_pktmbuf_free(pd->m);
	return only;
}

/* Stage 2 done: count the engine's refusals, send the rest. */
static void
finish(struct vg_worker *w, struct pending *pd, const struct vg_crypto_op *ops,
       unsigned k)
{
	for (unsigned i = 0; i < k; i++) {
		switch (ops[i].status) {
		case VG_DROP_NONE:
			if (pd[i].s->dir == VG_DIR_UNPROTECT &&
			    received(w, &pd[i], &ops[i]))
				continue;
			encap_and_send(w, &pd[i], &ops[i]);
			continue;
		case VG_DROP_REPLAY:
			pd[i].s->replay++;
			break;
		case VG_DROP_AUTH_FAIL:
			pd[i].s->auth_fail++;
			break;
		default:
			pd[i].s->drops++;
		}
		vg_drop(w, pd[i].m, (enum vg_drop)ops[i].status);
	}
}

/* Up to VG_MAX_DESTS streams per packet: room for a burst of fan-out. */
#define OPS_MAX (VG_BURST * VG_MAX_DESTS)

struct stage {
	struct vg_crypto_op ops[2][OPS_MAX];	/* by enum vg_dir */
	struct pending pd[2][OPS_MAX];
	unsigned k[2];
};

/* Stage 1 of one packet for one stream. */
static void
stage(struct vg_worker *w, unsigned pi, struct stage *st, struct rte_mbuf *m,
      const struct vg_parsed *pv, uintptr_t flow)
{
	struct vg_stream *s = &w->gw->streams[VG_FLOW_STREAM(flow)];
	unsigned d = s->dir, k = st->k[d];
	enum vg_drop r;

	s->last_seen = w->now;
	r = d == VG_DIR_PROTECT ?
	    prepare(w, pi, m, pv, flow, &st->pd[d][k], &st->ops[d][k]) :
	    prepare_in(w, pi, m, pv, flow, &st->pd[d][k], &st->ops[d][k]);
	if (r == VG_DROP_NONE) {
		st->k[d]++;
		return;
	}
	if (r != VG_DROP_REPLAY)
		s->drops++;
	vg_drop(w, m, r);
}

/* A camera watched by several centers: one copy per further destination,
 * made before the original is rewritten; each is protected on its own. */
static void
fan_out(struct vg_worker *w, unsigned pi, struct stage *st, struct rte_mbuf *m,
	const struct vg_parsed *pv, uintptr_t flow, unsigned fan)
{
	uint32_t sid = VG_FLOW_STREAM(flow);

	for (unsigned j = 1; j < fan; j++) {
		struct rte_mbuf *c = rte_pktmbuf_copy(m, w->gw->mp, 0, UINT32_MAX);

		if (unlikely(c == NULL)) {
			w->gw->streams[sid + j].drops++;
			w->drops[VG_DROP_NO_MBUF]++;
			continue;
		}
		stage(w, pi, st, c, pv, VG_FLOW_VALUE(sid + j, VG_FLOW_KIND(flow)));
	}
}

void
vg_forward_burst(struct vg_worker *w, unsigned pi, struct rte_mbuf **pkts,
		 const struct vg_parsed *pv, const uintptr_t *flow, unsigned n)
{
	enum vg_port_role role = w->gw->ports[pi].role;
	struct stage st;
	unsigned i;

	st.k[0] = st.k[1] = 0;
	/* With 100,000 streams their state is far out of cache: ask for all
	 * of this burst's at once, so that the misses overlap. */
	for (i = 0; i < n; i++)
		if (flow[i] != 0) {
			const struct vg_stream *s =
				&w->gw->streams[VG_FLOW_STREAM(flow[i])];

			rte_prefetch0(s);
			rte_prefetch0((const uint8_t *)s + RTE_CACHE_LINE_SIZE);
		}
	for (i = 0; i < n; i++) {
		struct vg_stream *s;

		/* A camera's flow seen on a backbone port, or a route's on
		 * an access port, is no flow of ours. */
		if (flow[i] == 0 || (s = &w->gw->streams[VG_FLOW_STREAM(
					     flow[i])])->rx_role != role) {
			vg_drop(w, pkts[i], VG_DROP_UNKNOWN_FLOW);
			continue;
		}
		/* A camera's budget covers all its copies; a route's bounds
		 * what forged SRTP costs. */
		if (unlikely(!vg_policer_take(&s->pol, w->now))) {
			s->policed++;
			vg_drop(w, pkts[i], VG_DROP_POLICED);
			continue;
		}
		if (s->fan > 1)
			fan_out(w, pi, &st, pkts[i], &pv[i], flow[i], s->fan);
		stage(w, pi, &st, pkts[i], &pv[i], flow[i]);
	}
	/* Engines take at most a burst per call; fan-out can make more. */
	for (i = 0; i < st.k[VG_DIR_PROTECT]; i += VG_BURST)
		vg_engine_protect_burst(w->engine, st.ops[VG_DIR_PROTECT] + i,
			(uint16_t)RTE_MIN((unsigned)VG_BURST, st.k[VG_DIR_PROTECT] - i));
	for (i = 0; i < st.k[VG_DIR_UNPROTECT]; i += VG_BURST)
		vg_engine_unprotect_burst(w->engine, st.ops[VG_DIR_UNPROTECT] + i,
			(uint16_t)RTE_MIN((unsigned)VG_BURST, st.k[VG_DIR_UNPROTECT] - i));
	finish(w, st.pd[VG_DIR_PROTECT], st.ops[VG_DIR_PROTECT],
	       st.k[VG_DIR_PROTECT]);
	finish(w, st.pd[VG_DIR_UNPROTECT], st.ops[VG_DIR_UNPROTECT],
	       st.k[VG_DIR_UNPROTECT]);
}

/* One ROC announcement of camera stream s into *pd / *op, ready for the
 * engine; false when there is nothing to say or no room for it. */
static bool
build_announce(struct vg_worker *w, struct vg_stream *s, uint32_t sid,
	       struct pending *pd, struct vg_crypto_op *op)
{
	uint64_t next = vg_stream_used(&s->seq), idx;
	struct rte_mbuf *m;
	uint8_t *p;

	if (next == 0 || !vg_neigh_get(&w->gw->neigh, s->neigh)->resolved)
		return false;
	m = rte_pktmbuf_alloc(w->gw->mp);
	if (m == NULL) {
		w->drops[VG_DROP_NO_MBUF]++;	/* nothing received is lost */
		return false;
	}
	p = (uint8_t *)rte_pktmbuf_append(m, VG_ANNOUNCE_LEN);
	if (p == NULL || rtcp_index(w, s, &idx) != VG_DROP_NONE) {
		rte_pktmbuf_free(m);
		return false;
	}
	vg_announce_build(p, s->ssrc, next);
	*pd = (struct pending){ .m = m, .s = s, .app_len = VG_ANNOUNCE_LEN,
				.own = 1 };
	*op = (struct vg_crypto_op){ .data = p, .len = VG_ANNOUNCE_LEN,
		.stream = sid, .index = idx, .mbuf = m, .rtcp = 1 };
	return true;
}

void
vg_forward_announce(struct vg_worker *w, unsigned first, unsigned n)
{
	struct vg_crypto_op ops[VG_BURST];
	struct pending pd[VG_BURST];
	struct vg_gw *gw = w->gw;
	unsigned k = 0;

	for (unsigned i = first; i < first + n && i < gw->cfg.n_cameras; i++) {
		struct vg_stream *s = &gw->streams[i];

		/* Streams that carry video now: seen within the last 2 s. */
		if (s->last_seen + 2 * w->tick_tsc * 100 < w->now ||
		    !build_announce(w, s, i, &pd[k], &ops[k]))
			continue;
		if (++k < VG_BURST)
			continue;
		vg_engine_protect_burst(w->engine, ops, (uint16_t)k);
		finish(w, pd, ops, k);
		k = 0;
	}
	if (k > 0) {
		vg_engine_protect_burst(w->engine, ops, (uint16_t)k);
		finish(w, pd, ops, k);
	}
}
