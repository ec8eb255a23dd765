/* SPDX-License-Identifier: BSD-3-Clause */
/* The data plane below e2e: the real worker loop (vg_worker_main) over two
 * net_ring ports, set up by vg_gw_setup from a config file, with a stub
 * SRTP engine whose output is checkable byte for byte (the real engines
 * have their own tests).  Each case queues frames on the rx rings, runs
 * the worker until it has taken them all (an rx callback sets the quit
 * flag: one thread, nothing timed), then checks every counter and the
 * bytes of every frame on the tx rings:
 *   local.c    ARP requests for unresolved next hops, replies learned
 *              (strangers not), ARP and ICMP echo answered in place (the
 *              VLAN kept), frames not for us dropped by reason;
 *   forward.c  protect (new headers, SSRC, index, tag), fan-out, unknown
 *              flows, bad IPv4, policer, no reservation, a refused
 *              protect; unprotect toward the VMS, auth failure; a
 *              camera's RTCP (SSRC rewrite, the gateway's SRTCP index and
 *              its reservation), the center's feedback to the return
 *              learned from it; ROC announcements sent (streams silent
 *              2 s not) and received (a receiver far behind resumed);
 *   worker.c   more packets in one go than a tx buffer holds, a full tx
 *              ring (tx-full), every mbuf back in the pool at the end.
 * The cases run in order: each starts from the state the last one left
 * (the RTCP cases after worker.c's, which count on the streams' RTP).
 * Needs EAL (--no-huge). */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <rte_arp.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_ring.h>
#include <rte_udp.h>
#include "announce.h"
#include "bytes.h"
#include "engine.h"
#include "flow.h"
#include "forward.h"
#include "gw.h"
#include "harness.h"
#include "testkey.h"
#include "sdes.h"
#include "worker.h"

#define ACC 0			/* port indexes, in the config's order */
#define BB 1
#define VLAN 100		/* the access port's */
#define RING 1024
#define MAX_OUT 256
#define PAYLOAD 100		/* RTP payload bytes of a test packet */
#define TS 0x11223344u		/* RTP timestamp of a test packet */
#define STUB_XOR 0x5a		/* the stub's "cipher" */
#define STUB_TAG 0xa7		/* every byte of its tag */
#define STUB_FAIL 0xee		/* a first payload byte it will not protect */
#define ROUTE_SSRC 0x30000001u
#define CAM_RTCP_SPORT 40001	/* a camera's RTCP source port */
#define POP_RTCP_SPORT 6005	/* the PoP gateway's SRTCP source port */
#define RESUME_BEHIND (1u << 14)	/* forward.c: a receiver this far
					 * behind an announcement stays */
/* Not RTE_IPV4: it shifts an int into the sign bit (UBSan says so). */
#define IP(a, b, c, d) RTE_BE32((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
				(uint32_t)(c) << 8 | (uint32_t)(d))
#define ACC_IP IP(198, 18, 1, 1)
#define BB_IP IP(198, 19, 0, 1)
#define CSO_IP IP(198, 19, 0, 2)
#define FAR_IP IP(203, 0, 113, 9)	/* off-link: through the router */
#define VMS_IP IP(198, 18, 1, 10)
#define POP_IP IP(198, 19, 0, 7)

/* Two centers (one on-link, one through the static router), three
 * cameras (one fanned out to both centers, one with a tight policer), a
 * route from a PoP to the VMS: stream ids 0 cam, 1 fan@cso, 2 fan@far,
 * 3 pol, 4 the route. */
static const char conf[] =
	"gateway = { engine = \"libsrtp\"; mbufs = 1023; arp_retry_ms = 60000;\n"
	"  roc_announce_ms = 0; state_dir = \"state\"; };\n"
	"ports = (\n"
	"  { name = \"acc\"; device = \"net_ring_dp_acc\"; role = \"access\";\n"
	"    address = \"198.18.1.1/24\"; vlan = 100; },\n"
	"  { name = \"bb\"; device = \"net_ring_dp_bb\"; role = \"backbone\";\n"
	"    address = \"198.19.0.1/24\"; gateway = \"198.19.0.254\"; }\n"
	");\n"
	"neighbours = ( { address = \"198.19.0.254\";\n"
	"  mac = \"02:00:00:00:00:fe\"; } );\n"
	"centers = (\n"
	"  { name = \"cso\"; address = \"198.19.0.2\"; port = \"bb\";\n"
	"    suite = \"AES_CM_128_HMAC_SHA1_80\"; key_file = \"cm.key\"; },\n"
	"  { name = \"far\"; address = \"203.0.113.9\";\n"
	"    suite = \"AEAD_AES_128_GCM\"; key_file = \"gcm.key\"; }\n"
	");\n"
	"cameras = (\n"
	"  { name = \"cam\"; source = \"198.18.1.11\"; port = 5004;\n"
	"    center = \"cso\"; dest_port = 6004; ssrc = 0x10000001; },\n"
	"  { name = \"fan\"; source = \"198.18.1.12\"; port = 5006;\n"
	"    destinations = (\n"
	"      { center = \"cso\"; dest_port = 6006; ssrc = 0x10000002; },\n"
	"      { center = \"far\"; dest_port = 7006; ssrc = 0x20000002; } ); },\n"
	"  { name = \"pol\"; source = \"198.18.1.13\"; port = 5008;\n"
	"    center = \"cso\"; dest_port = 6008; ssrc = 0x10000003;\n"
	"    max_pps = 1; max_burst = 3; }\n"
	");\n"
	"unprotect = (\n"
	"  { name = \"pop\"; source = \"198.19.0.7\"; port = 6100;\n"
	"    ssrc = 0x30000001; suite = \"AES_CM_128_HMAC_SHA1_80\";\n"
	"    key_file = \"cm.key\"; vms = \"198.18.1.10\"; vms_port = 5004; }\n"
	");\n";

enum { CAM, FAN, POL };		/* the config's cameras */
static const struct {
	uint8_t host;		/* 198.18.1.host */
	uint16_t port;		/* the gateway's port it sends RTP to */
	uint32_t ssrc;		/* its own SSRC */
} cams[] = { { 11, 5004, 0xca000001 }, { 12, 5006, 0xca000002 },
	     { 13, 5008, 0xca000003 } };

static const struct rte_ether_addr mac_cso = { { 2, 0, 0, 0, 0, 2 } };
static const struct rte_ether_addr mac_router = { { 2, 0, 0, 0, 0, 0xfe } };
static const struct rte_ether_addr mac_vms = { { 2, 0, 0, 0, 0, 0x10 } };
static const struct rte_ether_addr mac_pop = { { 2, 0, 0, 0, 0, 7 } };
static const struct rte_ether_addr mac_host = { { 2, 0, 0, 0, 1, 1 } };
static const struct rte_ether_addr mac_bcast = { { 0xff, 0xff, 0xff, 0xff,
						   0xff, 0xff } };
static const struct rte_ether_addr mac_zero;

/* Where a camera stream's protected packets go. */
enum { D_CAM, D_FAN_CSO, D_FAN_FAR, D_POL };
static const struct dest {
	const struct rte_ether_addr *mac;
	uint32_t ip;
	uint16_t sport, dport;
	uint32_t ssrc;		/* configured: rewritten into the packet */
	unsigned tag;		/* the suite's SRTP tag bytes */
} dests[] = {
	[D_CAM] = { &mac_cso, CSO_IP, 5004, 6004, 0x10000001, 10 },
	[D_FAN_CSO] = { &mac_cso, CSO_IP, 5006, 6006, 0x10000002, 10 },
	[D_FAN_FAR] = { &mac_router, FAR_IP, 5006, 7006, 0x20000002, 16 },
	[D_POL] = { &mac_cso, CSO_IP, 5008, 6008, 0x10000003, 10 },
};

/* Counter deltas a case expects (drops apart). */
struct counts {
	uint64_t rx[2], tx[2], full[2];
	uint64_t asks;
	struct vg_local_counters local;
};

static struct {
	struct vg_gw gw;
	struct vg_worker w;
	volatile bool quit;
	struct rte_ring *rx[2], *tx[2];
	const struct rte_eth_rxtx_callback *cb;
	char dir[32];
	/* the counters when the case began */
	uint64_t drops[VG_DROP_COUNT];
	struct vg_port_counters port[2];
	struct vg_local_counters local;
	uint64_t asks;
} t;

struct out {
	struct rte_mbuf *m[MAX_OUT];
	unsigned n;
};

/* ---- the stub engine ---------------------------------------------------
 * Protect: payload XOR STUB_XOR, then the suite's tag length of STUB_TAG
 * (SRTCP: E bit and index first); refuses a payload starting STUB_FAIL.
 * Unprotect: the reverse; a tag byte not STUB_TAG is an auth failure, an
 * SSRC not the stream's an unprotect failure. */

struct stub_stream {
	bool used, in;
	uint8_t tag, rtcp_tag;
	uint32_t ssrc;
	uint64_t first, last;	/* protect: the first and last index given */
	uint64_t rx_set;	/* unprotect: where rx_set put the receiver */
	unsigned ops;		/* packets (un)protected */
};

struct stub {
	struct vg_engine base;
	unsigned max;
	struct stub_stream s[];
};

static struct stub *stub;	/* the live one, for the checks */
static const struct vg_engine_ops stub_ops;

static struct vg_engine *
stub_create(const struct vg_engine_params *p, char *err, size_t errlen)
{
	struct stub *e = calloc(1, sizeof(*e) + p->max_streams * sizeof(e->s[0]));

	if (e == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	e->base.ops = &stub_ops;
	e->max = p->max_streams;
	stub = e;
	return &e->base;
}

static void
stub_destroy(struct vg_engine *e)
{
	if ((struct stub *)e == stub)
		stub = NULL;
	free(e);
}

static int
stub_add(struct vg_engine *e, uint32_t id, enum vg_suite suite, uint32_t ssrc,
	 bool in, char *err, size_t errlen)
{
	struct stub *st = (struct stub *)e;
	const struct vg_suite_info *si = vg_suite_get(suite);

	if (id >= st->max) {
		snprintf(err, errlen, "stream %u of %u", id, st->max);
		return -1;
	}
	st->s[id] = (struct stub_stream){ .used = true, .in = in,
		.tag = si->rtp_tag_len, .rtcp_tag = si->rtcp_tag_len,
		.ssrc = ssrc };
	return 0;
}

static int
stub_stream_add(struct vg_engine *e, uint32_t id, enum vg_suite suite,
		const struct vg_master_key *key, uint32_t ssrc, char *err,
		size_t errlen)
{
	(void)key;
	return stub_add(e, id, suite, ssrc, false, err, errlen);
}

static int
stub_stream_add_in(struct vg_engine *e, uint32_t id, enum vg_suite suite,
		   const struct vg_master_key *key, uint32_t ssrc, char *err,
		   size_t errlen)
{
	(void)key;
	return stub_add(e, id, suite, ssrc, true, err, errlen);
}

static void
stub_protect_one(struct stub *e, struct vg_crypto_op *op)
{
	struct stub_stream *st = op->stream < e->max ? &e->s[op->stream] : NULL;
	unsigned hdr = op->rtcp ? 8 : op->hdr_len;

	op->status = VG_DROP_PROTECT_FAIL;
	if (st == NULL || !st->used || st->in || op->len <= hdr ||
	    op->data[hdr] == STUB_FAIL)
		return;
	for (unsigned i = hdr; i < op->len; i++)
		op->data[i] ^= STUB_XOR;
	if (op->rtcp) {
		vg_put_be32(op->data + op->len, 0x80000000u | (uint32_t)op->index);
		op->len += 4;
	}
	memset(op->data + op->len, STUB_TAG, op->rtcp ? st->rtcp_tag : st->tag);
	op->len += op->rtcp ? st->rtcp_tag : st->tag;
	if (st->ops++ == 0)
		st->first = op->index;
	st->last = op->index;
	op->status = VG_DROP_NONE;
}

static void
stub_unprotect_one(struct stub *e, struct vg_crypto_op *op)
{
	struct stub_stream *st = op->stream < e->max ? &e->s[op->stream] : NULL;
	unsigned hdr = op->rtcp ? 8 : 12 + 4 * (op->data[0] & 0x0f);
	unsigned tag = st == NULL ? 0 : op->rtcp ? st->rtcp_tag : st->tag;
	unsigned trailer = tag + (op->rtcp ? 4 : 0);

	op->status = VG_DROP_UNPROTECT_FAIL;
	if (st == NULL || !st->in || op->len < hdr + trailer ||
	    vg_get_be32(op->data + (op->rtcp ? 4 : 8)) != st->ssrc)
		return;
	for (unsigned i = op->len - tag; i < op->len; i++)
		if (op->data[i] != STUB_TAG) {
			op->status = VG_DROP_AUTH_FAIL;
			return;
		}
	op->len -= trailer;
	for (unsigned i = hdr; i < op->len; i++)
		op->data[i] ^= STUB_XOR;
	op->index = op->rtcp ? vg_get_be32(op->data + op->len) & 0x7fffffff :
		    vg_get_be16(op->data + 2);	/* ROC 0 */
	st->ops++;
	op->status = VG_DROP_NONE;
}

static void
stub_protect(struct vg_engine *e, struct vg_crypto_op *ops, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		stub_protect_one((struct stub *)e, &ops[i]);
}

static void
stub_unprotect(struct vg_engine *e, struct vg_crypto_op *ops, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		stub_unprotect_one((struct stub *)e, &ops[i]);
}

static int
stub_rx_set(struct vg_engine *e, uint32_t id, uint64_t rtp, uint32_t rtcp)
{
	struct stub *st = (struct stub *)e;

	(void)rtcp;
	if (id >= st->max || !st->s[id].in)
		return -1;
	st->s[id].rx_set = rtp;
	return 0;
}

static size_t
stub_stream_size(const struct vg_engine *e)
{
	(void)e;
	return sizeof(struct stub_stream);
}

static const struct vg_engine_ops stub_ops = {
	.name = "stub",
	.create = stub_create,
	.destroy = stub_destroy,
	.stream_add = stub_stream_add,
	.protect_burst = stub_protect,
	.stream_add_in = stub_stream_add_in,
	.unprotect_burst = stub_unprotect,
	.rx_set = stub_rx_set,
	.stream_size = stub_stream_size,
};

/* ---- frames in ---------------------------------------------------------- */

/* What a frame says up to its UDP (or ICMP) header. */
struct frame {
	struct rte_ether_addr dst, src;
	uint16_t vlan;
	uint32_t sip, dip;		/* network order */
	uint16_t sport, dport;
	uint8_t tos;
	uint8_t ttl;			/* 0: 64 */
};

static unsigned
put_l2(uint8_t *d, const struct rte_ether_addr *dst,
       const struct rte_ether_addr *src, uint16_t vlan, uint16_t type)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)d;
	struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(eh + 1);

	eh->dst_addr = *dst;
	eh->src_addr = *src;
	if (vlan == 0) {
		eh->ether_type = rte_cpu_to_be_16(type);
		return RTE_ETHER_HDR_LEN;
	}
	eh->ether_type = RTE_BE16(RTE_ETHER_TYPE_VLAN);
	vh->vlan_tci = rte_cpu_to_be_16(vlan);
	vh->eth_proto = rte_cpu_to_be_16(type);
	return RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN;
}

static void
put_ip(struct rte_ipv4_hdr *ip, const struct frame *f, uint8_t proto,
       unsigned l4_len)
{
	memset(ip, 0, sizeof(*ip));
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = f->tos;
	ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + l4_len));
	ip->time_to_live = f->ttl ? f->ttl : 64;
	ip->next_proto_id = proto;
	ip->src_addr = f->sip;
	ip->dst_addr = f->dip;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}

/* A new mbuf of the gateway's pool holding len bytes, zeroed. */
static uint8_t *
new_frame(struct rte_mbuf **m, unsigned len)
{
	uint8_t *d;

	*m = rte_pktmbuf_alloc(t.gw.mp);
	d = *m ? (uint8_t *)rte_pktmbuf_append(*m, (uint16_t)len) : NULL;
	if (d == NULL) {
		rte_pktmbuf_free(*m);
		*m = NULL;
		return NULL;
	}
	memset(d, 0, len);
	return d;
}

static struct rte_mbuf *
udp_frame(const struct frame *f, const uint8_t *app, unsigned len)
{
	unsigned l2 = f->vlan ? 18 : 14;
	struct rte_mbuf *m;
	uint8_t *d = new_frame(&m, l2 + 28 + len);
	struct rte_ipv4_hdr *ip;
	struct rte_udp_hdr *udp;

	if (d == NULL)
		return NULL;
	ip = (struct rte_ipv4_hdr *)(d + l2);
	udp = (struct rte_udp_hdr *)(ip + 1);
	put_l2(d, &f->dst, &f->src, f->vlan, RTE_ETHER_TYPE_IPV4);
	put_ip(ip, f, IPPROTO_UDP, 8 + len);
	udp->src_port = rte_cpu_to_be_16(f->sport);
	udp->dst_port = rte_cpu_to_be_16(f->dport);
	udp->dgram_len = rte_cpu_to_be_16((uint16_t)(8 + len));
	memcpy(udp + 1, app, len);
	return m;
}

/* An RTP packet: 12 bytes of header, PAYLOAD bytes of a pattern. */
static unsigned
rtp(uint8_t *a, uint16_t seq, uint32_t ssrc)
{
	a[0] = 0x80;
	a[1] = 96;
	vg_put_be16(a + 2, seq);
	vg_put_be32(a + 4, TS);
	vg_put_be32(a + 8, ssrc);
	for (unsigned i = 0; i < PAYLOAD; i++)
		a[12 + i] = (uint8_t)(7 * i + 1);
	return 12 + PAYLOAD;
}

static struct frame
cam_frame(unsigned c)
{
	return (struct frame){ .dst = t.gw.ports[ACC].mac, .src = mac_host,
		.vlan = VLAN, .sip = IP(198, 18, 1, cams[c].host), .dip = ACC_IP,
		.sport = 40000, .dport = cams[c].port, .tos = 0xb8, .ttl = 9 };
}

static void
inject(unsigned pi, struct rte_mbuf *m)
{
	if (m != NULL && rte_ring_enqueue(t.rx[pi], m) == 0)
		return;
	CHECK(0, "cannot queue a frame on port %u", pi);
	rte_pktmbuf_free(m);
}

static void
send_cam(unsigned c, uint16_t seq)
{
	struct frame f = cam_frame(c);
	uint8_t a[12 + PAYLOAD];

	inject(ACC, udp_frame(&f, a, rtp(a, seq, cams[c].ssrc)));
}

/* SRTP as the PoP gateway's stub would send it, with the last tag byte
 * given. */
static void
send_srtp(uint16_t seq, uint32_t ssrc, uint8_t tag_last)
{
	struct frame f = { .dst = t.gw.ports[BB].mac, .src = mac_pop,
		.sip = POP_IP, .dip = BB_IP, .sport = 6004, .dport = 6100,
		.tos = 0x88 };
	uint8_t a[12 + PAYLOAD + 10];
	unsigned n = rtp(a, seq, ssrc);

	for (unsigned i = 12; i < n; i++)
		a[i] ^= STUB_XOR;
	memset(a + n, STUB_TAG, 10);
	a[n + 9] = tag_last;
	inject(BB, udp_frame(&f, a, n + 10));
}

/* ---- RTCP --------------------------------------------------------------- */

/* An RTCP header (count: RC or SC) and its first SSRC (an SDES chunk's,
 * a BYE source's) for a packet of len bytes; len. */
static unsigned
rtcp_hdr(uint8_t *a, unsigned count, uint8_t pt, unsigned len, uint32_t ssrc)
{
	a[0] = (uint8_t)(0x80 | count);
	a[1] = pt;
	vg_put_be16(a + 2, (uint16_t)(len / 4 - 1));
	vg_put_be32(a + 4, ssrc);
	return len;
}

/* A camera's compound, every sender SSRC ssrc: an SR (no report block)
 * and an SDES CNAME "cam" (44 bytes), or (!sr) an RR and a BYE (16). */
static unsigned
cam_rtcp(uint8_t *a, bool sr, uint32_t ssrc)
{
	static const uint8_t cname[] = { 1, 3, 'c', 'a', 'm', 0, 0, 0 };
	unsigned n;

	if (!sr) {
		n = rtcp_hdr(a, 0, 201, 8, ssrc);
		return n + rtcp_hdr(a + n, 1, 203, 8, ssrc);
	}
	n = rtcp_hdr(a, 0, 200, 28, ssrc);
	for (unsigned i = 8; i < 28; i++)
		a[i] = (uint8_t)(3 * i);	/* NTP and RTP time, counts */
	n += rtcp_hdr(a + n, 1, 202, 16, ssrc);
	memcpy(a + n - sizeof(cname), cname, sizeof(cname));
	return n;
}

/* A center's feedback (44 bytes) from sender: an RR with one report
 * block on media and a PLI (PSFB 1) for media. */
static unsigned
center_rtcp(uint8_t *a, uint32_t sender, uint32_t media)
{
	unsigned n = rtcp_hdr(a, 1, 201, 32, sender);

	vg_put_be32(a + 8, media);
	for (unsigned i = 12; i < 32; i++)
		a[i] = (uint8_t)(5 * i);	/* loss, jitter, LSR, DLSR */
	n += rtcp_hdr(a + n, 1, 206, 12, sender);
	vg_put_be32(a + n - 4, media);
	return n;
}

/* The stub's SRTCP of compound p (len bytes) at index idx with a tag of
 * tag bytes, into out; its length. */
static unsigned
stub_srtcp(uint8_t *out, const uint8_t *p, unsigned len, uint32_t idx,
	   unsigned tag)
{
	for (unsigned i = 0; i < len; i++)
		out[i] = i < 8 ? p[i] : p[i] ^ STUB_XOR;
	vg_put_be32(out + len, 0x80000000u | idx);
	memset(out + len + 4, STUB_TAG, tag);
	return len + 4 + tag;
}

/* Camera c's RTCP, from its RTCP source port to the gateway's. */
static void
send_cam_rtcp(unsigned c, bool sr)
{
	struct frame f = cam_frame(c);
	uint8_t a[64];

	f.sport = CAM_RTCP_SPORT;
	f.dport = (uint16_t)(cams[c].port + 1);
	inject(ACC, udp_frame(&f, a, cam_rtcp(a, sr, cams[c].ssrc)));
}

/* SRTCP as a backbone peer's stub would send it (an 80-bit suite's tag),
 * the last tag byte tag_last: from (src MAC, IP, port) to our port dport. */
static void
send_srtcp(const struct rte_ether_addr *mac, uint32_t ip, uint16_t sport,
	   uint16_t dport, const uint8_t *p, unsigned len, uint32_t idx,
	   uint8_t tag_last)
{
	struct frame f = { .dst = t.gw.ports[BB].mac, .src = *mac, .sip = ip,
		.dip = BB_IP, .sport = sport, .dport = dport, .tos = 0x88 };
	uint8_t a[128];
	unsigned n = stub_srtcp(a, p, len, idx, 10);

	a[n - 1] = tag_last;
	inject(BB, udp_frame(&f, a, n));
}

/* A ROC announcement from the PoP on the route's SRTCP, stating next. */
static void
send_announce(uint16_t sport, uint64_t next, uint32_t idx, uint8_t tag_last)
{
	uint8_t p[VG_ANNOUNCE_LEN];

	vg_announce_build(p, ROUTE_SSRC, next);
	send_srtcp(&mac_pop, POP_IP, sport, 6101, p, sizeof(p), idx, tag_last);
}

struct arp_msg {
	const struct rte_ether_addr *dst, *sha, *tha;
	uint32_t spa, tpa;
	uint16_t op, vlan;
	unsigned len;			/* with Ethernet padding; 0: none */
};

/* The frame of a into d; its length. */
static unsigned
arp_bytes(uint8_t *d, const struct arp_msg *a)
{
	unsigned l2 = put_l2(d, a->dst, a->sha, a->vlan, RTE_ETHER_TYPE_ARP);
	struct rte_arp_hdr *ah = (struct rte_arp_hdr *)(d + l2);

	ah->arp_hardware = RTE_BE16(RTE_ARP_HRD_ETHER);
	ah->arp_protocol = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ah->arp_hlen = RTE_ETHER_ADDR_LEN;
	ah->arp_plen = 4;
	ah->arp_opcode = rte_cpu_to_be_16(a->op);
	ah->arp_data.arp_sha = *a->sha;
	ah->arp_data.arp_sip = a->spa;
	ah->arp_data.arp_tha = *a->tha;
	ah->arp_data.arp_tip = a->tpa;
	return RTE_MAX(l2 + (unsigned)sizeof(*ah), a->len);
}

static struct rte_mbuf *
arp_frame(const struct arp_msg *a)
{
	uint8_t buf[128] = { 0 };
	unsigned n = arp_bytes(buf, a);
	struct rte_mbuf *m;
	uint8_t *d = new_frame(&m, n);

	if (d != NULL)
		memcpy(d, buf, n);
	return m;
}

/* An ICMP echo (type) of data_len bytes into d; its length. */
static unsigned
echo_bytes(uint8_t *d, const struct frame *f, uint8_t type, unsigned data_len)
{
	unsigned l2 = put_l2(d, &f->dst, &f->src, f->vlan, RTE_ETHER_TYPE_IPV4);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(d + l2);
	struct rte_icmp_hdr *ic = (struct rte_icmp_hdr *)(ip + 1);
	uint8_t *data = (uint8_t *)(ic + 1);

	put_ip(ip, f, IPPROTO_ICMP, sizeof(*ic) + data_len);
	ic->icmp_type = type;
	ic->icmp_code = 0;
	ic->icmp_ident = RTE_BE16(0x1234);
	ic->icmp_seq_nb = RTE_BE16(7);
	for (unsigned i = 0; i < data_len; i++)
		data[i] = (uint8_t)(i + 0x40);
	ic->icmp_cksum = 0;
	ic->icmp_cksum = (uint16_t)~rte_raw_cksum(ic, sizeof(*ic) + data_len);
	return l2 + sizeof(*ip) + sizeof(*ic) + data_len;
}

/* ---- running the worker ------------------------------------------------- */

/* The worker has taken every frame queued: let it finish this loop (tick,
 * tx flush) and return. */
static uint16_t
stop_when_idle(uint16_t port, uint16_t queue, struct rte_mbuf **pkts,
	       uint16_t n, uint16_t max, void *arg)
{
	(void)port;
	(void)queue;
	(void)pkts;
	(void)max;
	(void)arg;
	if (rte_ring_empty(t.rx[ACC]) && rte_ring_empty(t.rx[BB]))
		t.quit = true;
	return n;
}

static void
begin(void)
{
	memcpy(t.drops, t.w.drops, sizeof(t.drops));
	memcpy(t.port, t.w.port, sizeof(t.port));
	t.local = t.w.local;
	t.asks = t.w.reserve_asks;
}

static void
work(void)
{
	t.quit = false;
	vg_worker_main(&t.w);
}

static void
take(struct out *acc, struct out *bb)
{
	acc->n = rte_ring_dequeue_burst(t.tx[ACC], (void **)acc->m, MAX_OUT, NULL);
	bb->n = rte_ring_dequeue_burst(t.tx[BB], (void **)bb->m, MAX_OUT, NULL);
}

static void
run(struct out *acc, struct out *bb)
{
	work();
	take(acc, bb);
}

static void
done(struct out *acc, struct out *bb)
{
	rte_pktmbuf_free_bulk(acc->m, acc->n);
	rte_pktmbuf_free_bulk(bb->m, bb->n);
}

/* ---- checks ------------------------------------------------------------- */

struct dropn {
	enum vg_drop r;
	uint64_t n;
};

/* Every drop reason moved by exactly what the case wants. */
static void
check_drops(const char *what, const struct dropn *want, unsigned nw)
{
	unsigned bad = 0;

	for (unsigned r = 1; r < VG_DROP_COUNT; r++) {
		uint64_t exp = 0, got = t.w.drops[r] - t.drops[r];

		for (unsigned i = 0; i < nw; i++)
			if (want[i].r == r)
				exp = want[i].n;
		if (got != exp)
			fprintf(stderr, "%s: %" PRIu64 " %s drops, want %" PRIu64
				"\n", what, got, vg_drop_name(r), exp);
		bad += got != exp;
	}
	CHECK(bad == 0, "%s: drop counters", what);
}

#define DROPS(what, ...)                                                     \
	do {                                                                 \
		const struct dropn d_[] = { __VA_ARGS__ };                   \
		check_drops(what, d_, sizeof(d_) / sizeof(d_[0]));           \
	} while (0)
#define NO_DROPS(what) DROPS(what, { VG_DROP_NONE, 0 })

static void
check_counts(const char *what, const struct counts *c)
{
	const struct vg_local_counters *l = &t.w.local, *l0 = &t.local;
	const struct vg_port_counters *p = t.w.port, *p0 = t.port;
	bool ok = t.w.reserve_asks - t.asks == c->asks;

	for (unsigned i = 0; i < 2; i++)
		ok = ok && p[i].rx - p0[i].rx == c->rx[i] &&
		     p[i].tx - p0[i].tx == c->tx[i] &&
		     p[i].drop - p0[i].drop == c->full[i];
	CHECK(ok, "%s: rx %" PRIu64 "/%" PRIu64 " tx %" PRIu64 "/%" PRIu64
	      " tx-full %" PRIu64 "/%" PRIu64 " asks %" PRIu64, what,
	      p[0].rx - p0[0].rx, p[1].rx - p0[1].rx, p[0].tx - p0[0].tx,
	      p[1].tx - p0[1].tx, p[0].drop - p0[0].drop,
	      p[1].drop - p0[1].drop, t.w.reserve_asks - t.asks);
	CHECK(l->arp_replies - l0->arp_replies == c->local.arp_replies &&
	      l->arp_requests - l0->arp_requests == c->local.arp_requests &&
	      l->arp_learned - l0->arp_learned == c->local.arp_learned &&
	      l->echo_replies - l0->echo_replies == c->local.echo_replies,
	      "%s: local: ARP replies %" PRIu64 " requests %" PRIu64
	      " learned %" PRIu64 ", echo replies %" PRIu64, what,
	      l->arp_replies - l0->arp_replies,
	      l->arp_requests - l0->arp_requests,
	      l->arp_learned - l0->arp_learned,
	      l->echo_replies - l0->echo_replies);
}

/* Frame m is exactly the len bytes of want. */
static void
check_bytes(const struct rte_mbuf *m, const uint8_t *want, unsigned len,
	    const char *what)
{
	unsigned got = m != NULL && m->nb_segs == 1 ? rte_pktmbuf_pkt_len(m) : 0;
	const uint8_t *d = got ? rte_pktmbuf_mtod(m, const uint8_t *) : want;
	unsigned i = 0;

	while (i < got && i < len && d[i] == want[i])
		i++;
	CHECK(got == len && i == len, "%s: %u bytes (want %u), first "
	      "difference at byte %u", what, got, len, i);
}

static void
check_arp(const struct rte_mbuf *m, const struct arp_msg *a, const char *what)
{
	uint8_t want[128] = { 0 };

	check_bytes(m, want, arp_bytes(want, a), what);
}

/* The headers a UDP frame out must have. */
struct want {
	const struct rte_ether_addr *dst, *src;
	uint16_t vlan;
	uint32_t sip, dip;
	uint16_t sport, dport;
	uint8_t tos;
	uint16_t app_len;
};

static bool
check_l2(const uint8_t *d, const struct want *w, const char *what)
{
	const struct rte_ether_hdr *eh = (const struct rte_ether_hdr *)d;
	const struct rte_vlan_hdr *vh = (const struct rte_vlan_hdr *)(eh + 1);
	bool ok = rte_is_same_ether_addr(&eh->dst_addr, w->dst) &&
		  rte_is_same_ether_addr(&eh->src_addr, w->src);

	if (w->vlan != 0)
		ok = ok && eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_VLAN) &&
		     vh->vlan_tci == rte_cpu_to_be_16(w->vlan) &&
		     vh->eth_proto == RTE_BE16(RTE_ETHER_TYPE_IPV4);
	else
		ok = ok && eh->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4);
	CHECK(ok, "%s: Ethernet header (MACs, VLAN %u, IPv4)", what, w->vlan);
	return ok;
}

/* The headers of UDP frame m against w, checksums included; its UDP
 * payload, or NULL when they are wrong. */
static const uint8_t *
check_udp(const struct rte_mbuf *m, const struct want *w, const char *what)
{
	unsigned l2 = w->vlan ? 18 : 14, len = l2 + 28 + w->app_len;
	const struct rte_ipv4_hdr *ip;
	const struct rte_udp_hdr *udp;
	bool ok;

	CHECK(m != NULL && m->nb_segs == 1 && rte_pktmbuf_pkt_len(m) == len,
	      "%s: %u bytes, want %u", what, m ? rte_pktmbuf_pkt_len(m) : 0, len);
	if (m == NULL || rte_pktmbuf_pkt_len(m) != len ||
	    !check_l2(rte_pktmbuf_mtod(m, const uint8_t *), w, what))
		return NULL;
	ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, l2);
	udp = (const struct rte_udp_hdr *)(ip + 1);
	ok = ip->version_ihl == RTE_IPV4_VHL_DEF &&
	     ip->type_of_service == w->tos && ip->time_to_live == 64 &&
	     ip->total_length == rte_cpu_to_be_16((uint16_t)(len - l2)) &&
	     ip->fragment_offset == RTE_BE16(RTE_IPV4_HDR_DF_FLAG) &&
	     ip->next_proto_id == IPPROTO_UDP && ip->src_addr == w->sip &&
	     ip->dst_addr == w->dip;
	CHECK(ok, "%s: IPv4 header fields", what);
	CHECK(rte_raw_cksum(ip, sizeof(*ip)) == 0xffff,
	      "%s: IPv4 checksum %#x wrong", what, ip->hdr_checksum);
	ok = ok && udp->src_port == rte_cpu_to_be_16(w->sport) &&
	     udp->dst_port == rte_cpu_to_be_16(w->dport) &&
	     udp->dgram_len == rte_cpu_to_be_16((uint16_t)(8 + w->app_len));
	CHECK(ok, "%s: UDP ports %u > %u, length %u", what,
	      rte_be_to_cpu_16(udp->src_port), rte_be_to_cpu_16(udp->dst_port),
	      rte_be_to_cpu_16(udp->dgram_len));
	CHECK(udp->dgram_cksum != 0 && rte_ipv4_udptcp_cksum_verify(ip, udp) == 0,
	      "%s: UDP checksum %#x wrong", what, udp->dgram_cksum);
	return ok ? (const uint8_t *)(udp + 1) : NULL;
}

/* m: camera packet plain (PAYLOAD bytes of rtp()) protected by the stub
 * for destination d at index idx, with the backbone port's new headers. */
static void
check_protected(const struct rte_mbuf *m, unsigned dest, uint64_t idx,
		const char *what)
{
	const struct dest *d = &dests[dest];
	const struct want w = { .dst = d->mac, .src = &t.gw.ports[BB].mac,
		.sip = BB_IP, .dip = d->ip, .sport = d->sport,
		.dport = d->dport, .tos = 0xb8,
		.app_len = (uint16_t)(12 + PAYLOAD + d->tag) };
	const uint8_t *a = check_udp(m, &w, what);
	uint8_t plain[12 + PAYLOAD];
	bool ok = a != NULL;

	if (a == NULL)
		return;
	rtp(plain, 0, 0);
	CHECK(a[0] == 0x80 && a[1] == 96 && vg_get_be16(a + 2) == (uint16_t)idx &&
	      vg_get_be32(a + 4) == TS && vg_get_be32(a + 8) == d->ssrc,
	      "%s: RTP seq %u (want %u), SSRC %#x (want %#x)", what,
	      vg_get_be16(a + 2), (uint16_t)idx, vg_get_be32(a + 8), d->ssrc);
	for (unsigned i = 12; ok && i < 12 + PAYLOAD; i++)
		ok = a[i] == (plain[i] ^ STUB_XOR);
	for (unsigned i = 0; ok && i < d->tag; i++)
		ok = a[12 + PAYLOAD + i] == STUB_TAG;
	CHECK(ok, "%s: the stub's payload and %u-byte tag", what, d->tag);
}

/* The frame of bb sent to ip (IPv4, untagged), or NULL. */
static const struct rte_mbuf *
sent_to(const struct out *o, uint32_t ip)
{
	for (unsigned i = 0; i < o->n; i++) {
		const struct rte_ipv4_hdr *h = rte_pktmbuf_mtod_offset(o->m[i],
				const struct rte_ipv4_hdr *, RTE_ETHER_HDR_LEN);

		if (h->dst_addr == ip)
			return o->m[i];
	}
	return NULL;
}

/* The headers of SRTCP frame m toward destination d's center, from the
 * camera's RTCP port to the center's, app_len bytes of it (DSCP tos). */
static const uint8_t *
check_srtcp_udp(const struct rte_mbuf *m, unsigned dest, uint8_t tos,
		unsigned app_len, const char *what)
{
	const struct dest *d = &dests[dest];
	const struct want w = { .dst = d->mac, .src = &t.gw.ports[BB].mac,
		.sip = BB_IP, .dip = d->ip, .sport = (uint16_t)(d->sport + 1),
		.dport = (uint16_t)(d->dport + 1), .tos = tos,
		.app_len = (uint16_t)app_len };

	return check_udp(m, &w, what);
}

/* m: the camera's compound of cam_rtcp(sr) for destination d, its
 * sender SSRCs the configured one, protected by the stub at SRTCP index
 * idx (the suites here have SRTCP tags as long as their SRTP tags). */
static void
check_cam_srtcp(const struct rte_mbuf *m, unsigned dest, bool sr,
		uint32_t idx, const char *what)
{
	uint8_t plain[64], want[128];
	unsigned n = stub_srtcp(want, plain, cam_rtcp(plain, sr,
				dests[dest].ssrc), idx, dests[dest].tag);
	const uint8_t *a = check_srtcp_udp(m, dest, 0xb8, n, what);

	CHECK(a != NULL && memcmp(a, want, n) == 0, "%s: the compound with "
	      "SSRC %#x, SRTCP index %u (E bit), the stub's tag", what,
	      dests[dest].ssrc, idx);
}

/* m: the ROC announcement of camera stream dest (its id is its dest's)
 * at SRTCP index idx: once the stub's XOR is undone, the parser finds an
 * RR + APP "VGRC" of the stream's SSRC, nothing else, stating its next
 * SRTP index. */
static void
check_announce(const struct rte_mbuf *m, unsigned dest, uint32_t idx,
	       const char *what)
{
	const struct dest *d = &dests[dest];
	unsigned n = VG_ANNOUNCE_LEN + 4 + d->tag, tag = 0;
	const uint8_t *a = check_srtcp_udp(m, dest, 0, n, what);
	uint64_t want = t.gw.streams[dest].seq.next_out, next = 0;
	uint8_t p[VG_ANNOUNCE_LEN];
	bool found, only = false;

	if (a == NULL)
		return;
	for (unsigned i = 0; i < VG_ANNOUNCE_LEN; i++)
		p[i] = i < 8 ? a[i] : a[i] ^ STUB_XOR;
	found = vg_announce_parse(p, sizeof(p), d->ssrc, &next, &only);
	CHECK(found && only && next == want, "%s: announcement of %#x found "
	      "%d, alone %d, next index %" PRIu64 " (want %" PRIu64 ")", what,
	      d->ssrc, found, only, next, want);
	while (tag < d->tag && a[VG_ANNOUNCE_LEN + 4 + tag] == STUB_TAG)
		tag++;
	CHECK(vg_get_be32(a + VG_ANNOUNCE_LEN) == (0x80000000u | idx) &&
	      tag == d->tag, "%s: SRTCP index %#x (want E bit, %u), tag",
	      what, vg_get_be32(a + VG_ANNOUNCE_LEN), idx);
}

/* ---- local.c, neigh.c --------------------------------------------------- */

/* Before any ARP reply: the camera's packet has no next hop (dropped,
 * counted) and the first tick asks for both unresolved hops, untagged on
 * the backbone, in the VLAN on the access port. */
static void
test_unresolved(void)
{
	const struct arp_msg req_bb = { .dst = &mac_bcast,
		.sha = &t.gw.ports[BB].mac, .tha = &mac_zero, .spa = BB_IP,
		.tpa = CSO_IP, .op = RTE_ARP_OP_REQUEST };
	const struct arp_msg req_acc = { .dst = &mac_bcast,
		.sha = &t.gw.ports[ACC].mac, .tha = &mac_zero, .spa = ACC_IP,
		.tpa = VMS_IP, .op = RTE_ARP_OP_REQUEST, .vlan = VLAN };
	struct out acc, bb;

	begin();
	send_cam(CAM, 999);
	run(&acc, &bb);
	DROPS("unresolved", { VG_DROP_NO_NEIGHBOUR, 1 });
	check_counts("unresolved", &(struct counts){ .rx = { 1, 0 },
		     .tx = { 1, 1 }, .local.arp_requests = 2 });
	CHECK(t.gw.streams[0].drops == 1 && t.gw.streams[0].rtp == 0,
	      "unresolved: counted on the camera's stream");
	CHECK(acc.n == 1 && bb.n == 1, "unresolved: %u + %u frames out, want "
	      "one ARP request on each port", acc.n, bb.n);
	if (acc.n == 1)
		check_arp(acc.m[0], &req_acc, "ARP request on the VLAN port");
	if (bb.n == 1)
		check_arp(bb.m[0], &req_bb, "ARP request on the backbone");
	done(&acc, &bb);
}

/* Replies from both hops are learned; one from a stranger is not; none
 * is answered or counted as a drop. */
static void
test_learn(void)
{
	const struct arp_msg cso = { .dst = &t.gw.ports[BB].mac,
		.sha = &mac_cso, .tha = &t.gw.ports[BB].mac, .spa = CSO_IP,
		.tpa = BB_IP, .op = RTE_ARP_OP_REPLY };
	const struct arp_msg vms = { .dst = &t.gw.ports[ACC].mac,
		.sha = &mac_vms, .tha = &t.gw.ports[ACC].mac, .spa = VMS_IP,
		.tpa = ACC_IP, .op = RTE_ARP_OP_REPLY, .vlan = VLAN, .len = 64 };
	const struct arp_msg stranger = { .dst = &t.gw.ports[BB].mac,
		.sha = &mac_host, .tha = &t.gw.ports[BB].mac,
		.spa = IP(198, 19, 0, 99), .tpa = BB_IP, .op = RTE_ARP_OP_REPLY };
	const struct vg_neigh *n_cso = vg_neigh_get(&t.gw.neigh,
						    t.gw.streams[0].neigh);
	const struct vg_neigh *n_vms = vg_neigh_get(&t.gw.neigh,
			t.gw.streams[vg_flow_id_route(&t.gw.cfg, 0)].neigh);
	struct out acc, bb;

	begin();
	inject(BB, arp_frame(&cso));
	inject(ACC, arp_frame(&vms));
	inject(BB, arp_frame(&stranger));
	run(&acc, &bb);
	NO_DROPS("learn");
	check_counts("learn", &(struct counts){ .rx = { 1, 2 },
		     .local.arp_learned = 2 });
	CHECK(acc.n + bb.n == 0, "learn: %u frames out", acc.n + bb.n);
	CHECK(n_cso->addr == CSO_IP && n_cso->resolved &&
	      rte_is_same_ether_addr(&n_cso->mac, &mac_cso), "center learned");
	CHECK(n_vms->addr == VMS_IP && n_vms->resolved &&
	      rte_is_same_ether_addr(&n_vms->mac, &mac_vms), "VMS learned");
	CHECK(t.gw.neigh.n == 3, "%u neighbours: a stranger is not learned",
	      t.gw.neigh.n);
	done(&acc, &bb);
}

/* ARP requests for our addresses answered in place, the access port's
 * in its VLAN (and as long as it came, padding and all); a request for
 * another address is dropped. */
static void
test_arp_reply(void)
{
	const struct rte_ether_addr *ma = &t.gw.ports[ACC].mac,
				    *mb = &t.gw.ports[BB].mac;
	const uint32_t qa = IP(198, 18, 1, 50), qb = IP(198, 19, 0, 50);
	const struct arp_msg q_acc = { .dst = &mac_bcast, .sha = &mac_host,
		.tha = &mac_zero, .spa = qa, .tpa = ACC_IP,
		.op = RTE_ARP_OP_REQUEST, .vlan = VLAN, .len = 64 };
	const struct arp_msg a_acc = { .dst = &mac_host, .sha = ma,
		.tha = &mac_host, .spa = ACC_IP, .tpa = qa,
		.op = RTE_ARP_OP_REPLY, .vlan = VLAN, .len = 64 };
	const struct arp_msg q_bb = { .dst = &mac_bcast, .sha = &mac_host,
		.tha = &mac_zero, .spa = qb, .tpa = BB_IP,
		.op = RTE_ARP_OP_REQUEST };
	const struct arp_msg a_bb = { .dst = &mac_host, .sha = mb,
		.tha = &mac_host, .spa = BB_IP, .tpa = qb,
		.op = RTE_ARP_OP_REPLY };
	struct arp_msg other = q_acc;
	struct out acc, bb;

	other.tpa = IP(198, 18, 1, 77);
	begin();
	inject(ACC, arp_frame(&q_acc));
	inject(BB, arp_frame(&q_bb));
	inject(ACC, arp_frame(&other));
	run(&acc, &bb);
	DROPS("ARP", { VG_DROP_ARP_OTHER, 1 });
	check_counts("ARP", &(struct counts){ .rx = { 2, 1 }, .tx = { 1, 1 },
		     .local.arp_replies = 2 });
	CHECK(acc.n == 1 && bb.n == 1, "ARP: %u + %u replies", acc.n, bb.n);
	if (acc.n == 1)
		check_arp(acc.m[0], &a_acc, "ARP reply in the VLAN");
	if (bb.n == 1)
		check_arp(bb.m[0], &a_bb, "ARP reply untagged");
	CHECK(t.gw.neigh.n == 3, "requesters are not learned");
	done(&acc, &bb);
}

/* An echo request in the VLAN, padded: the reply is the request turned
 * round, padding cut, TTL 64, both checksums right. */
static void
test_echo(void)
{
	const uint32_t host = IP(198, 18, 1, 50);
	const struct frame q = { .dst = t.gw.ports[ACC].mac, .src = mac_host,
		.vlan = VLAN, .sip = host, .dip = ACC_IP, .ttl = 9 };
	const struct frame r = { .dst = mac_host, .src = t.gw.ports[ACC].mac,
		.vlan = VLAN, .sip = ACC_IP, .dip = host, .ttl = 64 };
	uint8_t want[128] = { 0 }, req[128] = { 0 };
	unsigned n = echo_bytes(req, &q, RTE_IP_ICMP_ECHO_REQUEST, 4);
	struct rte_mbuf *m;
	uint8_t *d = new_frame(&m, 64);		/* padded from 50 */
	struct out acc, bb;

	if (d != NULL)
		memcpy(d, req, n);
	begin();
	inject(ACC, m);
	run(&acc, &bb);
	NO_DROPS("echo");
	check_counts("echo", &(struct counts){ .rx = { 1, 0 }, .tx = { 1, 0 },
		     .local.echo_replies = 1 });
	CHECK(acc.n == 1 && bb.n == 0, "echo: %u + %u frames out", acc.n, bb.n);
	n = echo_bytes(want, &r, RTE_IP_ICMP_ECHO_REPLY, 4);
	if (acc.n == 1)
		check_bytes(acc.m[0], want, n, "echo reply");
	done(&acc, &bb);
}

/* Another address, another MAC, no VLAN or another VLAN on the access
 * port: dropped by reason before any flow is looked up. */
static void
test_not_for_us(void)
{
	uint8_t a[12 + PAYLOAD];
	unsigned n = rtp(a, 1000, cams[CAM].ssrc);
	struct frame f[4];
	struct out acc, bb;

	for (unsigned i = 0; i < 4; i++)
		f[i] = cam_frame(CAM);
	f[0].dip = IP(198, 18, 1, 99);
	f[1].dst = mac_host;
	f[2].vlan = 0;
	f[3].vlan = VLAN + 1;
	begin();
	for (unsigned i = 0; i < 4; i++)
		inject(ACC, udp_frame(&f[i], a, n));
	run(&acc, &bb);
	DROPS("not for us", { VG_DROP_NOT_FOR_US, 2 },
	      { VG_DROP_WRONG_VLAN, 2 });
	check_counts("not for us", &(struct counts){ .rx = { 4, 0 } });
	CHECK(acc.n + bb.n == 0 && t.gw.streams[0].drops == 1 &&
	      t.gw.streams[0].rtp == 0, "not for us: nothing out, no stream");
	done(&acc, &bb);
}

/* ---- forward.c ---------------------------------------------------------- */

/* Two camera packets, with the hop now learned: out on the backbone with
 * new headers, the configured SSRC, indexes 63 and 64 (a fresh stream's
 * first epoch starts VG_SEQ_SLACK up), the stub's tag. */
static void
test_protect(void)
{
	const struct vg_stream *s = &t.gw.streams[0];
	struct out acc, bb;

	begin();
	send_cam(CAM, 1000);
	send_cam(CAM, 1001);
	run(&acc, &bb);
	NO_DROPS("protect");
	check_counts("protect", &(struct counts){ .rx = { 2, 0 },
		     .tx = { 0, 2 } });
	CHECK(acc.n == 0 && bb.n == 2, "protect: %u + %u out", acc.n, bb.n);
	if (bb.n == 2) {
		check_protected(bb.m[0], D_CAM, VG_SEQ_SLACK, "protect");
		check_protected(bb.m[1], D_CAM, VG_SEQ_SLACK + 1,
				"protect, next");
	}
	CHECK(s->rtp == 2 && s->bytes == 2 * (12 + PAYLOAD + 10),
	      "protect: stream counted %" PRIu64 " packets, %" PRIu64
	      " bytes", s->rtp, s->bytes);
	CHECK(stub->s[0].ops == 2 && stub->s[0].first == VG_SEQ_SLACK &&
	      stub->s[0].last == VG_SEQ_SLACK + 1, "protect: the engine was "
	      "given indexes %" PRIu64 "..%" PRIu64, stub->s[0].first,
	      stub->s[0].last);
	done(&acc, &bb);
}

/* One packet of a camera with two destinations: two packets, each with
 * its own SSRC, suite tag, index, and next hop (learned, static). */
static void
test_fan_out(void)
{
	struct out acc, bb;

	begin();
	send_cam(FAN, 5);
	run(&acc, &bb);
	NO_DROPS("fan-out");
	check_counts("fan-out", &(struct counts){ .rx = { 1, 0 },
		     .tx = { 0, 2 } });
	CHECK(acc.n == 0 && bb.n == 2, "fan-out: %u + %u out", acc.n, bb.n);
	check_protected(sent_to(&bb, CSO_IP), D_FAN_CSO, VG_SEQ_SLACK,
			"fan-out, first center");
	check_protected(sent_to(&bb, FAR_IP), D_FAN_FAR, VG_SEQ_SLACK,
			"fan-out, second center");
	CHECK(t.gw.streams[1].rtp == 1 && t.gw.streams[2].rtp == 1,
	      "fan-out: one packet on each destination's stream");
	done(&acc, &bb);
}

/* Unknown source, a camera's flow on the backbone, a bad IPv4 checksum,
 * an IPv4 length past the frame: dropped by reason, no stream touched. */
static void
test_forward_drops(void)
{
	uint8_t a[12 + PAYLOAD];
	unsigned n = rtp(a, 1000, cams[CAM].ssrc);
	struct frame stranger = cam_frame(CAM), wrong_side = cam_frame(CAM),
		     cam = cam_frame(CAM);
	struct rte_mbuf *m[2];
	struct out acc, bb;

	stranger.sip = IP(198, 18, 1, 200);
	wrong_side.dst = t.gw.ports[BB].mac;
	wrong_side.vlan = 0;
	wrong_side.dip = BB_IP;
	for (unsigned i = 0; i < 2; i++) {
		struct rte_ipv4_hdr *ip;

		m[i] = udp_frame(&cam, a, n);
		if (m[i] == NULL)
			continue;
		ip = rte_pktmbuf_mtod_offset(m[i], struct rte_ipv4_hdr *, 18);
		if (i == 0) {
			ip->hdr_checksum ^= RTE_BE16(0x0100);
			continue;
		}
		ip->total_length = rte_cpu_to_be_16(
			(uint16_t)(rte_be_to_cpu_16(ip->total_length) + 1));
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	begin();
	inject(ACC, udp_frame(&stranger, a, n));
	inject(BB, udp_frame(&wrong_side, a, n));
	inject(ACC, m[0]);
	inject(ACC, m[1]);
	run(&acc, &bb);
	DROPS("forward drops", { VG_DROP_UNKNOWN_FLOW, 2 },
	      { VG_DROP_BAD_IP_CSUM, 1 }, { VG_DROP_BAD_IP_HEADER, 1 });
	check_counts("forward drops", &(struct counts){ .rx = { 3, 1 } });
	CHECK(acc.n + bb.n == 0 && t.gw.streams[0].rtp == 2 &&
	      t.gw.streams[0].drops == 1, "forward drops: no stream touched");
	done(&acc, &bb);
}

/* max_burst 3 at 1 packet/s: of 5 packets at once, 3 pass. */
static void
test_policer(void)
{
	const struct vg_stream *s = &t.gw.streams[3];
	struct out acc, bb;

	begin();
	for (unsigned q = 0; q < 5; q++)
		send_cam(POL, (uint16_t)(100 + q));
	run(&acc, &bb);
	DROPS("policer", { VG_DROP_POLICED, 2 });
	check_counts("policer", &(struct counts){ .rx = { 5, 0 },
		     .tx = { 0, 3 } });
	CHECK(bb.n == 3 && acc.n == 0, "policer: %u out", bb.n);
	for (unsigned i = 0; i < bb.n && i < 3; i++)
		check_protected(bb.m[i], D_POL, VG_SEQ_SLACK + i, "policer");
	CHECK(s->policed == 2 && s->rtp == 3, "policer: %" PRIu64 " policed, "
	      "%" PRIu64 " sent on the stream", s->policed, s->rtp);
	done(&acc, &bb);
}

/* The main lcore has not made the next index durable yet: the packet is
 * dropped and more asked for; once published, the same packet goes with
 * the index it would have had. */
static void
test_no_reservation(void)
{
	struct vg_stream *s = &t.gw.streams[0];
	uint64_t limit = s->rtp_limit, next = s->seq.next_out;
	struct out acc, bb;

	__atomic_store_n(&s->rtp_limit, next, __ATOMIC_RELAXED);
	begin();
	send_cam(CAM, 1002);
	run(&acc, &bb);
	DROPS("no reservation", { VG_DROP_NO_RESERVATION, 1 });
	check_counts("no reservation", &(struct counts){ .rx = { 1, 0 },
		     .asks = 1 });
	CHECK(acc.n + bb.n == 0 && s->unreserved == 1, "no reservation: "
	      "%u out, %" PRIu64 " unreserved", acc.n + bb.n, s->unreserved);
	done(&acc, &bb);
	__atomic_store_n(&s->rtp_limit, limit, __ATOMIC_RELAXED);
	begin();
	send_cam(CAM, 1002);
	run(&acc, &bb);
	NO_DROPS("reserved again");
	check_counts("reserved again", &(struct counts){ .rx = { 1, 0 },
		     .tx = { 0, 1 } });
	CHECK(bb.n == 1, "reserved again: %u out", bb.n);
	if (bb.n == 1)
		check_protected(bb.m[0], D_CAM, next, "reserved again");
	done(&acc, &bb);
}

/* The engine refuses a packet: dropped, counted on its stream. */
static void
test_protect_fail(void)
{
	struct frame f = cam_frame(CAM);
	uint8_t a[12 + PAYLOAD];
	unsigned n = rtp(a, 1003, cams[CAM].ssrc);
	uint64_t drops = t.gw.streams[0].drops;
	struct out acc, bb;

	a[12] = STUB_FAIL;
	begin();
	inject(ACC, udp_frame(&f, a, n));
	run(&acc, &bb);
	DROPS("protect fail", { VG_DROP_PROTECT_FAIL, 1 });
	check_counts("protect fail", &(struct counts){ .rx = { 1, 0 } });
	CHECK(acc.n + bb.n == 0 && t.gw.streams[0].drops == drops + 1,
	      "protect fail: nothing out, counted on the stream");
	done(&acc, &bb);
}

/* Center role: SRTP from the PoP leaves in clear toward the VMS, in the
 * access port's VLAN, from the VMS port (symmetric RTP). */
static void
test_unprotect(void)
{
	const struct vg_stream *s =
		&t.gw.streams[vg_flow_id_route(&t.gw.cfg, 0)];
	const struct want w = { .dst = &mac_vms, .src = &t.gw.ports[ACC].mac,
		.vlan = VLAN, .sip = ACC_IP, .dip = VMS_IP, .sport = 5004,
		.dport = 5004, .tos = 0x88, .app_len = 12 + PAYLOAD };
	uint8_t plain[12 + PAYLOAD];
	const uint8_t *a = NULL;
	struct out acc, bb;

	begin();
	send_srtp(500, ROUTE_SSRC, STUB_TAG);
	run(&acc, &bb);
	NO_DROPS("unprotect");
	check_counts("unprotect", &(struct counts){ .rx = { 0, 1 },
		     .tx = { 1, 0 } });
	CHECK(acc.n == 1 && bb.n == 0, "unprotect: %u + %u out", acc.n, bb.n);
	if (acc.n == 1)
		a = check_udp(acc.m[0], &w, "unprotect");
	rtp(plain, 500, ROUTE_SSRC);
	CHECK(a != NULL && memcmp(a, plain, sizeof(plain)) == 0,
	      "unprotect: the RTP the PoP protected, in clear");
	CHECK(s->rtp == 1 && s->bytes == sizeof(plain) && s->rx_rtp == 501,
	      "unprotect: stream %" PRIu64 " packets, %" PRIu64 " bytes, "
	      "receiver at %" PRIu64, s->rtp, s->bytes, s->rx_rtp);
	done(&acc, &bb);
}

/* A wrong tag (auth-fail) and another SSRC (unprotect-fail): nothing to
 * the VMS, the receiver's state unmoved. */
static void
test_auth_fail(void)
{
	const struct vg_stream *s =
		&t.gw.streams[vg_flow_id_route(&t.gw.cfg, 0)];
	struct out acc, bb;

	begin();
	send_srtp(501, ROUTE_SSRC, 0);
	send_srtp(502, ROUTE_SSRC + 8, STUB_TAG);
	run(&acc, &bb);
	DROPS("auth fail", { VG_DROP_AUTH_FAIL, 1 },
	      { VG_DROP_UNPROTECT_FAIL, 1 });
	check_counts("auth fail", &(struct counts){ .rx = { 0, 2 } });
	CHECK(acc.n + bb.n == 0, "auth fail: %u out", acc.n + bb.n);
	CHECK(s->auth_fail == 1 && s->drops == 1 && s->rtp == 1 &&
	      s->rx_rtp == 501, "auth fail: stream %" PRIu64 " auth-fail, %"
	      PRIu64 " drops, receiver at %" PRIu64, s->auth_fail, s->drops,
	      s->rx_rtp);
	done(&acc, &bb);
}

/* ---- forward.c: RTCP, feedback, ROC announcements ------------------------
 * Run after worker.c's cases: they count on each camera stream's RTP. */

/* A camera's RTCP compound (SR + SDES): SRTCP to its center, every sender
 * SSRC the configured one, under the SRTCP index the gateway gives it
 * (the engine's op index): a key's first, 1.  Where it came from (MAC,
 * port, our port) is learned for the feedback. */
static void
test_cam_rtcp(void)
{
	const struct vg_stream *s = &t.gw.streams[0];
	uint64_t bytes = s->bytes, rtcp = s->rtcp;
	struct out acc, bb;

	CHECK(s->rtcp_next == 1 && !s->ret_known, "camera RTCP: SRTCP index "
	      "%u first, return %s", s->rtcp_next, s->ret_known ? "known" :
	      "unknown");
	begin();
	send_cam_rtcp(CAM, true);
	run(&acc, &bb);
	NO_DROPS("camera RTCP");
	check_counts("camera RTCP", &(struct counts){ .rx = { 1, 0 },
		     .tx = { 0, 1 } });
	CHECK(acc.n == 0 && bb.n == 1, "camera RTCP: %u + %u out", acc.n,
	      bb.n);
	if (bb.n == 1)
		check_cam_srtcp(bb.m[0], D_CAM, true, 1, "camera RTCP");
	CHECK(s->rtcp == rtcp + 1 && s->bytes == bytes + 44 + 4 + 10 &&
	      s->rtcp_next == 2 && stub->s[0].last == 1, "camera RTCP: stream "
	      "%" PRIu64 " RTCP, %" PRIu64 " bytes more, next SRTCP index %u, "
	      "the engine given %" PRIu64, s->rtcp - rtcp, s->bytes - bytes,
	      s->rtcp_next, stub->s[0].last);
	CHECK(s->ret_known && s->ret_port == CAM_RTCP_SPORT &&
	      s->ret_port_idx == ACC &&
	      rte_is_same_ether_addr(&s->ret_mac, &mac_host),
	      "camera RTCP: return learned (port %u on port index %u)",
	      s->ret_port, s->ret_port_idx);
	done(&acc, &bb);
}

/* SRTCP at the durable limit is refused as SRTP is (invariant 3): the
 * compound (RR + BYE) dropped, more asked for, the index not consumed;
 * once published, it goes under that index. */
static void
test_rtcp_no_reservation(void)
{
	struct vg_stream *s = &t.gw.streams[0];
	uint32_t limit = s->rtcp_limit, next = s->rtcp_next;
	uint64_t unreserved = s->unreserved, drops = s->drops;
	unsigned ops = stub->s[0].ops;
	struct out acc, bb;

	__atomic_store_n(&s->rtcp_limit, next, __ATOMIC_RELAXED);
	begin();
	send_cam_rtcp(CAM, false);
	run(&acc, &bb);
	DROPS("RTCP no reservation", { VG_DROP_NO_RESERVATION, 1 });
	check_counts("RTCP no reservation", &(struct counts){ .rx = { 1, 0 },
		     .asks = 1 });
	CHECK(acc.n + bb.n == 0 && s->unreserved == unreserved + 1 &&
	      s->drops == drops + 1 && s->rtcp_next == next &&
	      stub->s[0].ops == ops, "RTCP no reservation: %u out, %" PRIu64
	      " unreserved, next SRTCP index %u (want %u)", acc.n + bb.n,
	      s->unreserved - unreserved, s->rtcp_next, next);
	done(&acc, &bb);
	__atomic_store_n(&s->rtcp_limit, limit, __ATOMIC_RELAXED);
	begin();
	send_cam_rtcp(CAM, false);
	run(&acc, &bb);
	NO_DROPS("RTCP reserved again");
	check_counts("RTCP reserved again", &(struct counts){ .rx = { 1, 0 },
		     .tx = { 0, 1 } });
	CHECK(bb.n == 1 && acc.n == 0, "RTCP reserved again: %u out", bb.n);
	if (bb.n == 1)
		check_cam_srtcp(bb.m[0], D_CAM, false, next,
				"RTCP reserved again");
	CHECK(s->rtcp_next == next + 1 && stub->s[0].last == next,
	      "RTCP reserved again: next SRTCP index %u", s->rtcp_next);
	done(&acc, &bb);
}

/* The center's feedback (SRTCP on the camera's feedback stream, from its
 * SRTCP port to the camera's RTCP port) goes in clear to the return the
 * camera's RTCP taught: its MAC, its port, in the VLAN, from the camera's
 * RTCP port, the report naming the camera's own SSRC again.  Feedback
 * for a camera whose RTCP never came has nowhere to go. */
static void
test_feedback(void)
{
	const unsigned fb = vg_flow_id_cam_fb(&t.gw.cfg, CAM),
		       fb_fan = vg_flow_id_cam_fb(&t.gw.cfg, FAN);
	const struct vg_stream *s = &t.gw.streams[fb],
			       *s_fan = &t.gw.streams[fb_fan];
	const struct want w = { .dst = &mac_host, .src = &t.gw.ports[ACC].mac,
		.vlan = VLAN, .sip = ACC_IP, .dip = IP(198, 18, 1, 11),
		.sport = 5005, .dport = CAM_RTCP_SPORT, .tos = 0x88,
		.app_len = 44 };
	uint8_t p[44], want[44];
	const uint8_t *a = NULL;
	struct out acc, bb;

	begin();
	send_srtcp(&mac_cso, CSO_IP, 6005, 5005, p,
		   center_rtcp(p, 0x90000001, dests[D_CAM].ssrc), 7, STUB_TAG);
	send_srtcp(&mac_cso, CSO_IP, 6007, 5007, p, center_rtcp(p, 0x90000002,
		   dests[D_FAN_CSO].ssrc), 7, STUB_TAG);
	run(&acc, &bb);
	DROPS("feedback", { VG_DROP_NO_NEIGHBOUR, 1 });
	check_counts("feedback", &(struct counts){ .rx = { 0, 2 },
		     .tx = { 1, 0 } });
	CHECK(acc.n == 1 && bb.n == 0, "feedback: %u + %u out", acc.n, bb.n);
	if (acc.n == 1)
		a = check_udp(acc.m[0], &w, "feedback");
	center_rtcp(want, 0x90000001, cams[CAM].ssrc);
	CHECK(a != NULL && memcmp(a, want, sizeof(want)) == 0, "feedback: "
	      "the center's RR and PLI in clear, on the camera's SSRC %#x",
	      cams[CAM].ssrc);
	CHECK(s->rtcp == 1 && s->bytes == 44 && s->rx_rtcp == 8 &&
	      stub->s[fb].ops == 1, "feedback: stream %" PRIu64 " RTCP, %"
	      PRIu64 " bytes, receiver at %u", s->rtcp, s->bytes, s->rx_rtcp);
	CHECK(s_fan->drops == 1 && s_fan->rtcp == 0 && stub->s[fb_fan].ops == 0,
	      "feedback, no return: %" PRIu64 " drops, not unprotected",
	      s_fan->drops);
	done(&acc, &bb);
}

/* vg_forward_announce at a given time: each camera stream that carried
 * video in the last 2 s (as the worker counts them: 200 ticks; 2 s
 * exactly still does) sends its announcement to its center under an
 * SRTCP index of its reservation; one silent a TSC cycle longer, none. */
static void
test_announce(void)
{
	const uint64_t two_s = 200 * t.w.tick_tsc;
	struct vg_stream *s = t.gw.streams;
	uint64_t ann[4], rtcp0 = s[0].rtcp, bytes0 = s[0].bytes;
	uint32_t idx[4];
	struct out acc, bb;

	t.w.now = rte_rdtsc();
	s[D_CAM].last_seen = t.w.now - two_s;
	s[D_FAN_CSO].last_seen = s[D_FAN_FAR].last_seen = t.w.now;
	s[D_POL].last_seen = t.w.now - two_s - 1;
	for (unsigned i = 0; i < 4; i++) {
		ann[i] = s[i].announced;
		idx[i] = s[i].rtcp_next;
	}
	begin();
	vg_forward_announce(&t.w, 0, t.gw.cfg.n_cameras);
	vg_tx_flush(&t.w, ACC);
	vg_tx_flush(&t.w, BB);
	take(&acc, &bb);
	NO_DROPS("announce");
	check_counts("announce", &(struct counts){ .tx = { 0, 3 } });
	CHECK(acc.n == 0 && bb.n == 3, "announce: %u + %u out", acc.n, bb.n);
	for (unsigned i = 0; i < bb.n && i < 3; i++)
		check_announce(bb.m[i], i, idx[i], "announce");
	for (unsigned i = 0; i < 4; i++)
		CHECK(s[i].announced == ann[i] + (i < 3) &&
		      s[i].rtcp_next == idx[i] + (i < 3) &&
		      (i == 3 || stub->s[i].last == idx[i]),
		      "announce: stream %u announced %" PRIu64 ", next SRTCP "
		      "index %u (was %u)", i, s[i].announced - ann[i],
		      s[i].rtcp_next, idx[i]);
	CHECK(s[0].rtcp == rtcp0 && s[0].bytes == bytes0,
	      "announce: not counted as the camera's RTCP");
	done(&acc, &bb);
}

/* The same from the worker's tick, roc_announce_ms 10 (one tick a
 * period: every camera stream each tick), the worker's one loop made to
 * tick: only the stream seen recently announces. */
static void
test_announce_tick(void)
{
	struct vg_stream *s = t.gw.streams;
	uint64_t now = rte_rdtsc(), old = now - 3 * rte_get_tsc_hz();
	uint32_t idx = s[D_FAN_FAR].rtcp_next;
	struct out acc, bb;

	for (unsigned i = 0; i < t.gw.cfg.n_cameras; i++)
		s[i].last_seen = i == D_FAN_FAR ? now : old;
	t.gw.cfg.roc_announce_ms = 10;
	t.w.next_tick = 0;
	begin();
	run(&acc, &bb);
	t.gw.cfg.roc_announce_ms = 0;
	NO_DROPS("announce tick");
	check_counts("announce tick", &(struct counts){ .tx = { 0, 1 } });
	CHECK(acc.n == 0 && bb.n == 1, "announce tick: %u + %u out", acc.n,
	      bb.n);
	if (bb.n == 1)
		check_announce(bb.m[0], D_FAN_FAR, idx, "announce tick");
	CHECK(s[D_FAN_FAR].rtcp_next == idx + 1, "announce tick: next SRTCP "
	      "index %u", s[D_FAN_FAR].rtcp_next);
	done(&acc, &bb);
}

/* Center side: an announcement for the route far ahead of its receiver
 * but forged (a bad tag) moves nothing and teaches no return (SRTCP
 * teaches only once authenticated). */
static void
test_announce_forged(void)
{
	const struct vg_stream *s =
		&t.gw.streams[vg_flow_id_route(&t.gw.cfg, 0)];
	uint64_t auth_fail = s->auth_fail;
	struct out acc, bb;

	CHECK(s->announced == 0 && s->resumed == 0 && s->rx_rtp == 501 &&
	      s->rx_rtcp == 0 && !s->ret_known,
	      "announce forged: the route's receiver at 501, no SRTCP yet");
	begin();
	send_announce(6666, 501 + 2 * RESUME_BEHIND, 1, 0);
	run(&acc, &bb);
	DROPS("announce forged", { VG_DROP_AUTH_FAIL, 1 });
	check_counts("announce forged", &(struct counts){ .rx = { 0, 1 } });
	CHECK(acc.n + bb.n == 0, "announce forged: %u out", acc.n + bb.n);
	CHECK(s->announced == 0 && s->resumed == 0 && s->rx_rtp == 501 &&
	      s->rx_rtcp == 0 && s->auth_fail == auth_fail + 1 &&
	      !s->ret_known && stub->s[4].rx_set == 0, "announce forged: %"
	      PRIu64 " announced, %u resumed, receiver at %" PRIu64 ", return "
	      "%s", s->announced, s->resumed, s->rx_rtp,
	      s->ret_known ? "learned" : "unknown");
	done(&acc, &bb);
}

/* An authenticated one not far ahead of the receiver (2^14 exactly):
 * consumed (nothing to the VMS), counted, the receiver left where it is;
 * the route's return learned from it. */
static void
test_announce_in(void)
{
	const struct vg_stream *s =
		&t.gw.streams[vg_flow_id_route(&t.gw.cfg, 0)];
	uint64_t rx = s->rx_rtp;
	struct out acc, bb;

	begin();
	send_announce(POP_RTCP_SPORT, rx + RESUME_BEHIND, 1, STUB_TAG);
	run(&acc, &bb);
	NO_DROPS("announce in");
	check_counts("announce in", &(struct counts){ .rx = { 0, 1 } });
	CHECK(acc.n + bb.n == 0, "announce in: %u out", acc.n + bb.n);
	CHECK(s->announced == 1 && s->resumed == 0 && s->rx_rtp == rx &&
	      s->rx_rtcp == 2 && stub->s[4].rx_set == 0, "announce in: %"
	      PRIu64 " announced, %u resumed, receiver at %" PRIu64 ", SRTCP "
	      "at %u", s->announced, s->resumed, s->rx_rtp, s->rx_rtcp);
	CHECK(s->ret_known && s->ret_port == POP_RTCP_SPORT &&
	      s->ret_port_idx == BB &&
	      rte_is_same_ether_addr(&s->ret_mac, &mac_pop),
	      "announce in: return learned (port %u)", s->ret_port);
	done(&acc, &bb);
}

/* One 2^14 + 1 ahead of the receiver resumes it there (engine rx_set);
 * an older one after it moves it back not at all. */
static void
test_announce_resume(void)
{
	const struct vg_stream *s =
		&t.gw.streams[vg_flow_id_route(&t.gw.cfg, 0)];
	uint64_t rx = s->rx_rtp, far = rx + RESUME_BEHIND + 1;
	struct out acc, bb;

	begin();
	send_announce(POP_RTCP_SPORT, far, 3, STUB_TAG);
	send_announce(POP_RTCP_SPORT, rx + RESUME_BEHIND, 4, STUB_TAG);
	run(&acc, &bb);
	NO_DROPS("announce resume");
	check_counts("announce resume", &(struct counts){ .rx = { 0, 2 } });
	CHECK(acc.n + bb.n == 0, "announce resume: %u out", acc.n + bb.n);
	CHECK(s->announced == 3 && s->resumed == 1 && s->rx_rtp == far &&
	      stub->s[4].rx_set == far && s->rx_rtcp == 5, "announce resume: %"
	      PRIu64 " announced, %u resumed, receiver at %" PRIu64 " (want %"
	      PRIu64 "), the engine's at %" PRIu64, s->announced, s->resumed,
	      s->rx_rtp, far, stub->s[4].rx_set);
	done(&acc, &bb);
}

/* ---- worker.c ----------------------------------------------------------- */

/* 100 packets fanned out at once: 64 copies a burst fill the tx buffer
 * (flushed as it fills), 200 out, each destination's in index order. */
static void
test_tx_buffer(void)
{
	unsigned n[2] = { 0, 0 }, bad = 0;
	struct out acc, bb;

	begin();
	for (unsigned q = 0; q < 100; q++)
		send_cam(FAN, (uint16_t)(6 + q));
	run(&acc, &bb);
	NO_DROPS("tx buffer");
	check_counts("tx buffer", &(struct counts){ .rx = { 100, 0 },
		     .tx = { 0, 200 } });
	CHECK(acc.n == 0 && bb.n == 200, "tx buffer: %u out of 200", bb.n);
	for (unsigned i = 0; i < bb.n; i++) {
		const uint8_t *d = rte_pktmbuf_mtod(bb.m[i], const uint8_t *);
		unsigned far = vg_get_be32(d + 14 + 28 + 8) ==
			       dests[D_FAN_FAR].ssrc;

		bad += vg_get_be16(d + 14 + 28 + 2) !=
		       (uint16_t)(VG_SEQ_SLACK + 1 + n[far]++);
	}
	CHECK(n[0] == 100 && n[1] == 100 && bad == 0, "tx buffer: %u and %u "
	      "per destination, %u out of order", n[0], n[1], bad);
	done(&acc, &bb);
}

/* The backbone's tx ring with room for 50: of 80 packets, 50 sent, 30
 * counted tx-full and freed (the pool check at the end sees them). */
static void
test_tx_full(void)
{
	static uint8_t dummy;
	void *d[RING];
	unsigned fill = rte_ring_free_count(t.tx[BB]) - 50, real = 0, k, n;

	for (unsigned i = 0; i < fill; i++)
		d[i] = &dummy;
	CHECK(rte_ring_enqueue_bulk(t.tx[BB], d, fill, NULL) == fill);
	begin();
	for (unsigned q = 0; q < 40; q++)
		send_cam(FAN, (uint16_t)(106 + q));
	work();
	DROPS("tx full", { VG_DROP_TX_FULL, 30 });
	check_counts("tx full", &(struct counts){ .rx = { 40, 0 },
		     .tx = { 0, 50 }, .full = { 0, 30 } });
	k = 0;
	while ((n = rte_ring_dequeue_burst(t.tx[BB], d, RING, NULL)) > 0)
		for (unsigned i = 0; i < n; i++, k++)
			if (d[i] != &dummy) {
				real++;
				rte_pktmbuf_free(d[i]);
			}
	CHECK(k == fill + 50 && real == 50 && rte_ring_empty(t.tx[ACC]),
	      "tx full: %u frames on the ring, %u sent", k, real);
}

/* As vigie-gw ends: ports stopped and closed, then every mbuf back in
 * the pool; then vg_gw_teardown, which checks it again. */
static void
test_pool(void)
{
	unsigned size = t.gw.mp->size, avail;
	char want[64], *text = NULL;
	size_t len;
	FILE *out;
	int rc;

	rte_eth_remove_rx_callback(t.gw.ports[BB].port_id, 0, t.cb);
	rte_free((void *)t.cb);
	for (unsigned i = 0; i < t.gw.n_ports; i++)
		vg_port_close(&t.gw.ports[i]);
	t.gw.n_ports = 0;
	avail = rte_mempool_avail_count(t.gw.mp);
	CHECK(avail == size, "mempool: %u of %u mbufs back", avail, size);
	snprintf(want, sizeof(want), "mempool %u/%u ok", size, size);
	out = open_memstream(&text, &len);
	rc = out ? vg_gw_teardown(&t.gw, &t.w, out) : -1;
	if (out)
		fclose(out);
	CHECK(rc == 0 && text && strstr(text, want), "teardown: %s",
	      text ? text : "?");
	CHECK(stub == NULL, "the engine destroyed");
	free(text);
}

/* ---- set-up ------------------------------------------------------------- */

static void
write_file(const char *rel, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", t.dir, rel);
	f = fopen(path, "w");
	CHECK(f != NULL, "create %s", path);
	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
	chmod(path, 0600);		/* as a key file must be */
}

static void
write_key(const char *rel, uint8_t first, unsigned len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", t.dir, rel);
	CHECK(vg_test_key_file(path, first, len) == 0, "key file %s", path);
}

static bool
make_port(const char *name, unsigned pi)
{
	char rn[32];

	snprintf(rn, sizeof(rn), "%s_rx", name);
	t.rx[pi] = rte_ring_create(rn, RING, (int)rte_socket_id(),
				   RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(rn, sizeof(rn), "%s_tx", name);
	t.tx[pi] = rte_ring_create(rn, RING, (int)rte_socket_id(),
				   RING_F_SP_ENQ | RING_F_SC_DEQ);
	return t.rx[pi] && t.tx[pi] && rte_eth_from_rings(name, &t.rx[pi], 1,
			&t.tx[pi], 1, rte_socket_id()) >= 0;
}

/* vg_gw_setup built the worker on the config's engine (libsrtp: no
 * device); build it again on the stub, as vg_gw_setup does: gw.c needs
 * no hook for tests. */
static bool
use_stub(void)
{
	char err[256] = "";

	vg_worker_fini(&t.w);
	t.gw.engine_ops = &stub_ops;
	if (vg_worker_init(&t.w, &t.gw, &t.quit, err, sizeof(err)) < 0) {
		CHECK(0, "worker on the stub engine: %s", err);
		return false;
	}
	t.cb = rte_eth_add_rx_callback(t.gw.ports[BB].port_id, 0,
				       stop_when_idle, NULL);
	CHECK(t.cb != NULL && stub != NULL, "rx callback (%s), stub engine",
	      rte_strerror(rte_errno));
	return t.cb != NULL && stub != NULL;
}

static bool
setup(void)
{
	char path[160], err[512] = "";
	unsigned n;

	snprintf(t.dir, sizeof(t.dir), "/tmp/vg-dp-XXXXXX");
	if (mkdtemp(t.dir) == NULL)
		return false;
	write_key("cm.key", 0x01, 30);
	write_key("gcm.key", 0x51, 28);
	write_file("dp.conf", conf);
	snprintf(path, sizeof(path), "%s/state", t.dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/dp.conf", t.dir);
	n = vg_cfg_load(path, &t.gw.cfg, stderr);
	CHECK(n == 0, "%s: %u errors", path, n);
	if (n != 0)
		return false;
	if (!make_port("dp_acc", ACC) || !make_port("dp_bb", BB)) {
		CHECK(0, "cannot make the ring ports");
		vg_cfg_free(&t.gw.cfg);
		return false;
	}
	if (vg_gw_setup(&t.gw, &t.w, &t.quit, err, sizeof(err)) < 0) {
		CHECK(0, "vg_gw_setup: %s", err);
		return false;
	}
	CHECK(t.gw.n_streams == 10 && vg_flow_id_route(&t.gw.cfg, 0) == 4,
	      "%u streams: 4 camera entries, a route, their feedback",
	      t.gw.n_streams);
	return use_stub();
}

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "-l", "0", "--no-huge", "-m", "128",
			"--no-pci", "--no-shconf", "--log-level", "3" };
	char cmd[64];

	(void)argc;
	if (rte_eal_init(sizeof(eal) / sizeof(eal[0]), eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	if (setup()) {
		test_unresolved();
		test_learn();
		test_arp_reply();
		test_echo();
		test_not_for_us();
		test_protect();
		test_fan_out();
		test_forward_drops();
		test_policer();
		test_no_reservation();
		test_protect_fail();
		test_unprotect();
		test_auth_fail();
		test_tx_buffer();
		test_tx_full();
		test_cam_rtcp();
		test_rtcp_no_reservation();
		test_feedback();
		test_announce();
		test_announce_tick();
		test_announce_forged();
		test_announce_in();
		test_announce_resume();
		test_pool();
	}
	for (unsigned i = 0; i < 2; i++) {
		rte_ring_free(t.rx[i]);
		rte_ring_free(t.tx[i]);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", t.dir);
	CHECK(system(cmd) == 0, "%s", cmd);
	rte_eal_cleanup();
	VG_TEST_END();
}
