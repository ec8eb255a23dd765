#include <rte_ip.h>
#include <rte_prefetch.h>
#include <rte_udp.h>
#include "bytes.h"
#include "csum.h"
#include "flow.h"
#include "forward.h"
#include "l2.h"

struct pending {
	struct rte_mbuf *m;
	struct vg_stream *s;
	uint16_t app_len;		/* plain RTP/RTCP length */
	uint16_t app_off;
	uint8_t tos;
};

/* Stage 1: stream state and header rewrite before protection.  Returns the
 * drop reason, or VG_DROP_NONE with the op filled in. */
static enum vg_drop
prepare(struct vg_worker *w, struct rte_mbuf *m, const struct vg_parsed *pv,
	uintptr_t flow, struct pending *pd, struct vg_crypto_op *op)
{
	uint32_t sid = VG_FLOW_STREAM(flow);
	struct vg_stream *s = &w->gw->streams[sid];
	unsigned kind = VG_FLOW_KIND(flow);
	bool rtcp = pv->kind == VG_PKT_RTCP;
	uint64_t idx = 0;
	uint8_t *app;

	s->last_seen = w->now;
	if (kind != VG_FLOW_MUX && rtcp != (kind == VG_FLOW_RTCP))
		return rtcp ? VG_DROP_NOT_RTP : VG_DROP_BAD_RTCP;
	if (m->nb_segs > 1 && rte_pktmbuf_linearize(m) < 0)
		return VG_DROP_NO_TAILROOM;
	/* Cut Ethernet padding, then make sure the tag fits in place. */
	rte_pktmbuf_trim(m, rte_pktmbuf_pkt_len(m) - (pv->app_off + pv->app_len));
	if (rte_pktmbuf_tailroom(m) < VG_SRTP_MAX_TRAILER)
		return VG_DROP_NO_TAILROOM;
	app = rte_pktmbuf_mtod_offset(m, uint8_t *, pv->app_off);	/* after linearize */
	if (!vg_neigh_get(&w->gw->neigh, s->neigh)->resolved)
		return VG_DROP_NO_NEIGHBOUR;
	if (rtcp) {
		vg_stream_rtcp_set_ssrc(app, pv->app_len, s->ssrc);
	} else {
		if (vg_stream_next_index(&s->seq, pv->ssrc, pv->seq, &idx) !=
		    VG_SEQ_OK) {
			s->replay++;
			return VG_DROP_REPLAY;
		}
		vg_put_be16(app + 2, (uint16_t)idx);
		vg_put_be32(app + 8, s->ssrc);
	}
	pd->m = m;
	pd->s = s;
	pd->app_len = pv->app_len;
	pd->app_off = pv->app_off;
	pd->tos = rte_pktmbuf_mtod_offset(m, uint8_t *, pv->l3_off)[1];
	op->data = app;
	op->len = pv->app_len;
	op->stream = sid;
	op->index = rtcp ? 0 : idx;
	op->mbuf = m;
	op->hdr_len = rtcp ? 0 : pv->rtp_hdr_len;
	op->rtcp = rtcp;
	return VG_DROP_NONE;
}

static void
write_ip_udp(uint8_t *d, const struct vg_port *p, const struct vg_stream *s,
	     const struct pending *pd, bool rtcp, uint16_t app_len, uint16_t id)
{
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)d;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);

	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = pd->tos;	/* keep the camera's DSCP for QoS */
	ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + sizeof(*udp) + app_len);
	ip->packet_id = rte_cpu_to_be_16(id);
	ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->hdr_checksum = 0;
	ip->src_addr = p->addr;
	ip->dst_addr = s->dst_addr;
	udp->src_port = rte_cpu_to_be_16(rtcp ? s->src_rtcp_port : s->src_port);
	udp->dst_port = rte_cpu_to_be_16(rtcp ? s->dst_rtcp_port : s->dst_port);
	udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + app_len);
	udp->dgram_cksum = 0;
	if (p->csum_offload) {
		/* The NIC wants the pseudo-header sum in the UDP field. */
		udp->dgram_cksum = rte_ipv4_phdr_cksum(ip, 0);
		return;
	}
	ip->hdr_checksum = (uint16_t)~vg_csum_raw(ip, sizeof(*ip), 0);
	udp->dgram_cksum = vg_csum_udp4(ip->src_addr, ip->dst_addr, udp,
					(uint16_t)(sizeof(*udp) + app_len));
}

/* Stage 3: the protected payload gets new headers toward the center. */
static void
encap_and_send(struct vg_worker *w, struct pending *pd,
	       const struct vg_crypto_op *op)
{
	struct vg_stream *s = pd->s;
	struct vg_port *p = &w->gw->ports[s->tx_port];
	const struct vg_neigh *nh = vg_neigh_get(&w->gw->neigh, s->neigh);
	unsigned l2 = vg_l2_len(p->vlan);
	struct rte_mbuf *m = pd->m;
	uint8_t *d;

	rte_pktmbuf_append(m, op->len - pd->app_len);	/* room checked */
	rte_pktmbuf_adj(m, pd->app_off);
	d = (uint8_t *)rte_pktmbuf_prepend(m, l2 + 28);
	vg_l2_write(d, &nh->mac, &p->mac, p->vlan, RTE_ETHER_TYPE_IPV4);
	write_ip_udp(d + l2, p, s, pd, op->rtcp, op->len, p->ip_id++);
	if (p->csum_offload) {
		m->l2_len = l2;
		m->l3_len = sizeof(struct rte_ipv4_hdr);
		m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM |
			      RTE_MBUF_F_TX_UDP_CKSUM;
	}
	if (op->rtcp)
		s->rtcp++;
	else
		s->rtp++;
	s->bytes += op->len;
	vg_tx(w, s->tx_port, m);
}

void
vg_forward_burst(struct vg_worker *w, struct rte_mbuf **pkts,
		 const struct vg_parsed *pv, const uintptr_t *flow, unsigned n)
{
	struct vg_crypto_op ops[VG_BURST];
	struct pending pd[VG_BURST];
	enum vg_drop r;
	unsigned i, k = 0;

	/* With 100,000 streams their state is far out of cache: ask for all
	 * of this burst's at once, so that the misses overlap. */
	for (i = 0; i < n; i++)
		if (flow[i] != 0)
			rte_prefetch0(&w->gw->streams[VG_FLOW_STREAM(flow[i])]);
	for (i = 0; i < n; i++) {
		if (flow[i] == 0) {
			vg_drop(w, pkts[i], VG_DROP_UNKNOWN_FLOW);
			continue;
		}
		r = prepare(w, pkts[i], &pv[i], flow[i], &pd[k], &ops[k]);
		if (r == VG_DROP_NONE) {
			k++;
			continue;
		}
		if (r != VG_DROP_REPLAY)
			w->gw->streams[VG_FLOW_STREAM(flow[i])].drops++;
		vg_drop(w, pkts[i], r);
	}
	if (k == 0)
		return;
	vg_engine_protect_burst(w->engine, ops, (uint16_t)k);
	for (i = 0; i < k; i++) {
		if (ops[i].status != VG_DROP_NONE) {
			if (ops[i].status == VG_DROP_REPLAY)
				pd[i].s->replay++;
			else
				pd[i].s->drops++;
			vg_drop(w, pd[i].m, (enum vg_drop)ops[i].status);
			continue;
		}
		encap_and_send(w, &pd[i], &ops[i]);
	}
}
