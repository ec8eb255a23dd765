/* SPDX-License-Identifier: BSD-3-Clause */
/* vigie-bench: the real vigie-gw data path under load, no kernel in the way.
 *
 *   lcore 0: camera generator --rte_ring--> [access port: net_ring]
 *   lcore 1: vg_worker_main (the gateway's own loop, set up by vg_gw_setup)
 *            --> [backbone port: net_null, frees what it is given]
 *
 * The cameras use their center's key (as config/vigie.conf's do), or each
 * its own with --keys per-stream.
 *
 * Each camera stream has its own source address, port and sequence number,
 * advancing by one per packet as a camera's does (so nothing is a replay and
 * the ROC wraps on long runs).  The generator waits when the ring is full:
 * the figure is the rate the worker sustains with zero loss, checked on the
 * counters at the end.  Prints one line:
 *   RESULT engine= suite= size= streams= packets= seconds= mpps= gbps=
 *          drops= bytes_per_stream= mempool=ok|leak ring_fill= keys=
 *          pool= (mempool driver) buffers= (distinct mbufs the measured
 *          seconds used: the data's working set) csum=software|offload
 * preceded, as the measured seconds start, by "MEASURING seconds=S".
 *
 * --csum-offload is a what-if for NICs with IPv4/UDP checksum offload: the
 * backbone port is treated as having it (the gateway then leaves the sums
 * to the NIC); net_null computes nothing.  make bench never uses it.
 * size is the RTP packet length (header + payload: what SRTP processes).
 *
 * With --raw DEVICE, no gateway: the suite's crypto alone on DEVICE, on
 * lcore 1, over --buffers buffers (raw.h says why).  With --center, the
 * center role: SRTP in on the backbone, plain RTP out (center.h). */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_ring.h>
#include "center.h"
#include "config.h"
#include "count.h"
#include "raw.h"
#include "vigie/port.h"
/* White-box: the gateway's own set-up, worker, reservations and stats,
 * from its internal headers (the Makefile says why). */
#include "engine.h"
#include "gw.h"
#include "reserve.h"
#include "stats.h"
#include "worker.h"

/* The ring stands in for the access port's rx queue: as deep as the one
 * vigie-gw gives a NIC, so a saturated worker has as many packets waiting
 * (and as many buffers in its working set) as it would on a real port. */
#define RING_SIZE VG_PORT_RX_DESC
#define GEN_BURST 32
#define HDR_LEN 54		/* Ethernet 14 + IPv4 20 + UDP 8 + RTP 12 */
#define WARMUP_S 0.5

struct args {
	const char *engine;
	enum vg_suite suite;
	unsigned size;
	unsigned streams;
	double seconds;
	unsigned mbufs;			/* gateway mbuf pool size */
	unsigned ring;			/* generator -> access port ring */
	bool key_per_stream;		/* --keys per-stream: no shared sessions */
	bool csum_offload;		/* --csum-offload: a what-if, see below */
	const char *raw;		/* --raw: crypto device of the raw loop */
	unsigned buffers;		/* --raw: buffers cycled through */
	bool center;			/* --center: the unprotect side */
	unsigned packets;		/* --center: packets built */
};

struct gen {
	uint8_t (*hdr)[64];		/* per-stream frame header template */
	uint16_t *seq;			/* per-stream next sequence number */
	uint32_t *order;		/* stream visiting order */
	unsigned n;
	unsigned cursor;
	uint64_t sent;
	uint64_t fill_sum;		/* ring occupancy, summed per burst */
	uint64_t fill_n;
	/* Which of the pool's buffers the measurement used: the working set
	 * the worker's data comes from (what --raw --buffers should match). */
	uintptr_t *objs;		/* the pool's mbufs, sorted */
	uint8_t *seen;			/* by index in objs */
	unsigned n_objs;
	bool counting;			/* during the measured seconds */
};

static volatile bool quit;

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [EAL options] -- --engine libsrtp|cryptodev "
		"--suite SUITE --size BYTES --streams N [--seconds S] "
		"[--mbufs N] [--ring POW2] [--keys shared|per-stream] "
		"[--csum-offload]\n"
		"       %s [EAL options] -- --center --engine libsrtp|cryptodev "
		"--suite SUITE --size BYTES --streams N [--packets N] "
		"[--mbufs N] [--keys shared|per-stream]\n"
		"       %s [EAL options] -- --raw DEVICE --suite SUITE --size BYTES "
		"[--buffers N] [--seconds S]\n", prog, prog, prog);
	exit(2);
}

static void
parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "engine", required_argument, NULL, 'e' },
		{ "suite", required_argument, NULL, 's' },
		{ "size", required_argument, NULL, 'z' },
		{ "streams", required_argument, NULL, 'n' },
		{ "seconds", required_argument, NULL, 't' },
		{ "mbufs", required_argument, NULL, 'm' },
		{ "ring", required_argument, NULL, 'r' },
		{ "keys", required_argument, NULL, 'k' },
		{ "raw", required_argument, NULL, 'R' },
		{ "buffers", required_argument, NULL, 'b' },
		{ "csum-offload", no_argument, NULL, 'c' },
		{ "center", no_argument, NULL, 'C' },
		{ "packets", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*a = (struct args){ "cryptodev", VG_SUITE_AES_CM_128_HMAC_SHA1_80,
			    1200, 1000, 2.0, 16383, RING_SIZE, false, false, NULL,
			    16383, false, 400000 };
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'e')
			a->engine = optarg;
		else if (c == 's' && vg_suite_from_name(optarg, &a->suite) == 0)
			continue;
		else if (c == 'z')
			a->size = (unsigned)atoi(optarg);
		else if (c == 'n')
			a->streams = (unsigned)atoi(optarg);
		else if (c == 't')
			a->seconds = atof(optarg);
		else if (c == 'm')
			a->mbufs = (unsigned)atoi(optarg);
		else if (c == 'r')
			a->ring = (unsigned)atoi(optarg);
		else if (c == 'k' && (strcmp(optarg, "shared") == 0 ||
				      strcmp(optarg, "per-stream") == 0))
			a->key_per_stream = optarg[0] == 'p';
		else if (c == 'R')
			a->raw = optarg;
		else if (c == 'b')
			a->buffers = (unsigned)atoi(optarg);
		else if (c == 'c')
			a->csum_offload = true;
		else if (c == 'C')
			a->center = true;
		else if (c == 'p')
			a->packets = (unsigned)atoi(optarg);
		else
			usage(argv[0]);
	}
	if (a->size < 16 || a->size > 1458 || a->streams < 1 ||
	    a->streams > 120000 || a->seconds <= 0 || a->mbufs < 1023 ||
	    !rte_is_power_of_2(a->ring) || a->ring < 64 || a->ring >= a->mbufs ||
	    a->buffers < 32 || a->buffers > 1048576 ||
	    a->packets < a->streams || a->packets < 64)
		usage(argv[0]);
}

/* Camera i: address 198.18.x.y (RFC 2544 range), RTP to port 5004 + 2k. */
static uint32_t
cam_addr(unsigned i)
{
	return rte_cpu_to_be_32(RTE_IPV4(198, 18, 0, 0) + 16 + i % 60000);
}

static uint16_t
cam_port(unsigned i)
{
	return (uint16_t)(5004 + 2 * (i / 60000));
}

static void
make_camera(struct vg_cfg_camera *c, unsigned i, const struct args *a,
	    const struct vg_master_key *key)
{
	snprintf(c->name, sizeof(c->name), "cam-%u", i);
	snprintf(c->label, sizeof(c->label), "%s", c->name);
	c->primary = i;
	c->n_fan = 1;
	c->src_addr = cam_addr(i);
	c->src_port = 7000;
	c->rtp_port = cam_port(i);
	c->rtcp_port = c->rtp_port + 1;
	c->center = 0;
	c->dst_port = (uint16_t)(10000 + 2 * (i % 20000));
	c->dst_rtcp_port = c->dst_port + 1;
	c->ssrc = 0x10000000u + i;	/* unique under the shared key */
	c->suite = a->suite;
	c->key = *key;
	/* --keys per-stream: a key per camera instead of the center's, so
	 * that no two streams share a cryptodev session. */
	if (a->key_per_stream)
		for (unsigned b = 0; b < key->len; b++)
			c->key.bytes[b] = (uint8_t)rand();
	c->payload_type = 96;
	snprintf(c->codec, sizeof(c->codec), "H264");
	c->max_pps = 10000000;
	c->max_burst = 1000000;
}

/* The same typed config vigie-gw would load from a file. */
static int
make_config(struct vg_cfg *cfg, const struct args *a)
{
	struct vg_master_key key;
	static const uint8_t center_mac[6] = { 2, 0, 0, 0, 0, 2 };

	if (vg_bench_config(cfg, a->engine, a->mbufs, VG_ROLE_ACCESS) < 0)
		return -1;
	vg_bench_key(&key, a->suite);
	cfg->neighs = calloc(1, sizeof(*cfg->neighs));
	cfg->centers = calloc(1, sizeof(*cfg->centers));
	cfg->cameras = calloc(a->streams, sizeof(*cfg->cameras));
	if (!cfg->neighs || !cfg->centers || !cfg->cameras)
		return -1;
	cfg->n_neighs = 1;
	cfg->neighs[0].addr = rte_cpu_to_be_32(RTE_IPV4(198, 19, 0, 2));
	memcpy(cfg->neighs[0].mac, center_mac, 6);
	cfg->n_centers = 1;
	cfg->centers[0] = (struct vg_cfg_center){ .name = "bench",
		.addr = cfg->neighs[0].addr, .port = 1, .suite = a->suite,
		.has_key = true, .key = key };
	cfg->n_cameras = a->streams;
	for (unsigned i = 0; i < a->streams; i++)
		make_camera(&cfg->cameras[i], i, a, &key);
	return 0;
}

/* Frame header of camera i toward the gateway's access port. */
static void
make_header(uint8_t *h, unsigned i, const struct args *a,
	    const struct rte_ether_addr *gw_mac)
{
	uint8_t *rtp = h + HDR_LEN - 12;
	uint32_t ssrc = 0xc0000000u + i;	/* the camera's own SSRC */

	vg_bench_frame(h, gw_mac, cam_addr(i),
		       rte_cpu_to_be_32(RTE_IPV4(198, 18, 0, 1)), cam_port(i),
		       a->size);
	memset(rtp, 0, 12);
	rtp[0] = 0x80;
	rtp[1] = 96;
	rtp[8] = ssrc >> 24;
	rtp[9] = ssrc >> 16;
	rtp[10] = ssrc >> 8;
	rtp[11] = (uint8_t)ssrc;
}

static int
gen_init(struct gen *g, const struct args *a, const struct rte_ether_addr *mac)
{
	g->n = a->streams;
	g->hdr = calloc(g->n, sizeof(*g->hdr));
	g->seq = calloc(g->n, sizeof(*g->seq));
	g->order = calloc(g->n, sizeof(*g->order));
	if (!g->hdr || !g->seq || !g->order)
		return -1;
	for (unsigned i = 0; i < g->n; i++) {
		make_header(g->hdr[i], i, a, mac);
		g->seq[i] = (uint16_t)rand();
		g->order[i] = i;
	}
	/* Visit streams in a random order: no help from the prefetcher. */
	for (unsigned i = g->n - 1; i > 0; i--) {
		unsigned j = (unsigned)rand() % (i + 1), t = g->order[i];

		g->order[i] = g->order[j];
		g->order[j] = t;
	}
	return 0;
}

static void
add_obj(struct rte_mempool *mp, void *arg, void *obj, unsigned idx)
{
	struct gen *g = arg;

	(void)mp;
	(void)idx;
	g->objs[g->n_objs++] = (uintptr_t)obj;
}

static int
cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

static int
count_init(struct gen *g, struct rte_mempool *mp)
{
	g->objs = calloc(mp->size, sizeof(*g->objs));
	g->seen = calloc(mp->size, 1);
	if (g->objs == NULL || g->seen == NULL)
		return -1;
	rte_mempool_obj_iter(mp, add_obj, g);
	qsort(g->objs, g->n_objs, sizeof(*g->objs), cmp_ptr);
	return 0;
}

static void
count_buffer(struct gen *g, const struct rte_mbuf *m)
{
	unsigned lo = 0, hi = g->n_objs;

	while (hi - lo > 1) {
		unsigned mid = (lo + hi) / 2;

		if (g->objs[mid] <= (uintptr_t)m)
			lo = mid;
		else
			hi = mid;
	}
	g->seen[lo] = 1;
}

static unsigned
count_seen(const struct gen *g)
{
	unsigned n = 0;

	for (unsigned i = 0; i < g->n_objs; i++)
		n += g->seen[i];
	return n;
}

/* Fill one burst: only the header is written; the payload bytes are
 * whatever the buffer holds (AES and HMAC cost does not depend on them). */
static unsigned
gen_burst(struct gen *g, struct rte_mempool *mp, struct rte_mbuf **m,
	  unsigned size)
{
	if (rte_pktmbuf_alloc_bulk(mp, m, GEN_BURST) != 0)
		return 0;
	for (unsigned k = 0; k < GEN_BURST; k++) {
		unsigned s = g->order[g->cursor];
		uint8_t *d = (uint8_t *)rte_pktmbuf_append(m[k], 42 + size);
		uint16_t seq = g->seq[s]++;

		if (g->counting)
			count_buffer(g, m[k]);
		memcpy(d, g->hdr[s], HDR_LEN);
		d[44] = seq >> 8;
		d[45] = (uint8_t)seq;
		if (++g->cursor == g->n)
			g->cursor = 0;
	}
	return GEN_BURST;
}

static int
raw_main(void *arg)
{
	const struct args *a = arg;
	struct vg_bench_raw r = { a->raw, a->suite, a->size, a->buffers,
				  a->seconds };

	return vg_bench_raw_run(&r);
}

static uint64_t
tx_count(const struct vg_worker *w)
{
	return vg_bench_sent(w, 1);
}

/* Generate until `until` (tsc); the ring applies back-pressure. */
static void
generate(struct gen *g, struct rte_ring *r, struct vg_gw *gw,
	 unsigned size, uint64_t until)
{
	struct rte_mempool *mp = gw->mp;
	struct rte_mbuf *m[GEN_BURST];

	while (rte_rdtsc() < until) {
		/* The main lcore's duty in vigie-gw too (one load unless a
		 * stream needs more reserved indexes). */
		vg_reserve_tick(gw, stdout);
		unsigned n = gen_burst(g, mp, m, size), done = 0;

		/* A full ring means the worker is the bottleneck, as it must
		 * be for the figure to be the gateway's. */
		g->fill_sum += rte_ring_count(r);
		g->fill_n++;

		while (done < n)
			done += rte_ring_sp_enqueue_burst(r, (void **)m + done,
							  n - done, NULL);
		g->sent += n;
	}
}

static double
measure(struct gen *g, struct rte_ring *r, struct vg_gw *gw,
	const struct args *a, uint64_t *packets)
{
	uint64_t hz = rte_get_tsc_hz(), t0, t1, c0, c1;

	generate(g, r, gw, a->size, rte_rdtsc() + (uint64_t)(WARMUP_S * hz));
	/* Said as it starts, for a profiler to sample these seconds only
	 * (make bench's profile step waits for this line). */
	printf("MEASURING seconds=%.2f\n", a->seconds);
	fflush(stdout);
	c0 = tx_count(gw->worker);
	g->fill_sum = g->fill_n = 0;
	g->counting = true;
	t0 = rte_rdtsc();
	generate(g, r, gw, a->size, t0 + (uint64_t)(a->seconds * hz));
	g->counting = false;
	c1 = tx_count(gw->worker);
	t1 = rte_rdtsc();
	*packets = c1 - c0;
	return (double)(c1 - c0) / ((double)(t1 - t0) / hz) / 1e6;
}

/* Let the worker finish what is queued: every packet sent must come out.
 * A slow engine (libsrtp with thousands of NSS contexts) needs seconds for
 * a full ring, so only a stall of 30 s counts as loss. */
static void
drain(const struct gen *g, struct vg_gw *gw)
{
	const struct vg_worker *w = gw->worker;
	uint64_t until = rte_rdtsc() + 30 * rte_get_tsc_hz();

	while (tx_count(w) + vg_bench_drops(w) < g->sent && rte_rdtsc() < until)
		vg_reserve_tick(gw, stdout);
}

static struct rte_ring *
make_access_port(unsigned ring)
{
	struct rte_ring *in = rte_ring_create("vgb_in", ring,
			(int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);
	struct rte_ring *out = rte_ring_create("vgb_out", 1024,
			(int)rte_socket_id(), RING_F_SP_ENQ | RING_F_SC_DEQ);

	if (in == NULL || out == NULL ||
	    rte_eth_from_rings("vgb_acc", &in, 1, &out, 1,
			       rte_socket_id()) < 0)
		return NULL;
	return in;
}

/* The index reservations a run wrote (on tmpfs: the write cost of a disk
 * is not the data path's). */
static void
print_state(const struct vg_reserve_stats *rs)
{
	printf("STATE writes=%" PRIu64 " bytes=%" PRIu64 " last_write_us=%"
	       PRIu64 "\n", rs->writes, rs->bytes, rs->last_write_us);
}

int
main(int argc, char **argv)
{
	static struct vg_gw gw;
	static struct vg_worker w;
	struct gen g = { 0 };
	struct args a;
	struct rte_ring *in;
	uint64_t packets = 0, drops;
	size_t per_stream;
	struct vg_reserve_stats rs;
	const char *pool_ops;
	double mpps;
	char err[512];
	int n, leak;

	n = rte_eal_init(argc, argv);
	if (n < 0)
		rte_exit(EXIT_FAILURE, "EAL initialisation failed\n");
	argv[n] = argv[0];
	parse_args(argc - n, argv + n, &a);
	srand(42);
	if (rte_lcore_count() < 2)
		rte_exit(2, "need two lcores: -l 0,1\n");
	if (a.raw != NULL) {
		/* On the lcore the gateway's worker gets. */
		rte_eal_remote_launch(raw_main, &a, rte_get_next_lcore(-1, 1, 0));
		n = rte_eal_wait_lcore(rte_get_next_lcore(-1, 1, 0));
		rte_eal_cleanup();
		return n == 0 ? 0 : 1;
	}
	in = make_access_port(a.ring);
	if (in != NULL && a.center) {
		/* The same ring, as the backbone port this time. */
		struct vg_bench_center c = { a.engine, a.suite, a.size,
			a.streams, a.packets, a.mbufs, a.key_per_stream };

		n = vg_bench_center_run(&c, in);
		rte_eal_cleanup();
		return n == 0 ? 0 : 1;
	}
	if (in == NULL || make_config(&gw.cfg, &a) < 0)
		rte_exit(EXIT_FAILURE, "cannot set up the ports\n");
	if (vg_gw_setup(&gw, &w, &quit, err, sizeof(err)) < 0)
		rte_exit(EXIT_FAILURE, "%s\n", err);
	if (strcmp(gw.engine_ops->name, a.engine) != 0)
		rte_exit(EXIT_FAILURE, "engine %s unavailable\n", a.engine);
	/* What the worker would do with a NIC that fills the checksums:
	 * net_null frees the packets without computing them, so the wire
	 * checksums are not checked here (the e2e tests check them). */
	if (a.csum_offload)
		gw.ports[1].csum_offload = true;
	if (gen_init(&g, &a, &gw.ports[0].mac) < 0 || count_init(&g, gw.mp) < 0)
		rte_exit(EXIT_FAILURE, "out of memory\n");
	rte_eal_remote_launch(vg_worker_main, &w, rte_get_next_lcore(-1, 1, 0));
	mpps = measure(&g, in, &gw, &a, &packets);
	drain(&g, &gw);
	quit = true;
	rte_eal_mp_wait_lcore();
	/* Every packet generated and not sent: the counted drops and any
	 * packet that never came out. */
	drops = g.sent - tx_count(&w);
	per_stream = vg_stats_stream_bytes(&gw);
	pool_ops = gw.pool_ops;
	vg_reserve_stats(&gw, &rs);
	leak = vg_gw_teardown(&gw, &w, NULL);
	vg_bench_state_remove();
	print_state(&rs);
	printf("RESULT engine=%s suite=%s size=%u streams=%u packets=%lu "
	       "seconds=%.2f mpps=%.4f gbps=%.3f drops=%lu bytes_per_stream=%zu "
	       "mempool=%s ring_fill=%.2f keys=%s pool=%s buffers=%u "
	       "csum=%s\n", a.engine,
	       vg_suite_get(a.suite)->name, a.size, a.streams,
	       (unsigned long)packets, a.seconds, mpps, mpps * a.size * 8 / 1000,
	       (unsigned long)drops, per_stream, leak ? "leak" : "ok",
	       g.fill_n ? (double)g.fill_sum / g.fill_n / a.ring : 0.0,
	       a.key_per_stream ? "per-stream" : "shared", pool_ops,
	       count_seen(&g), a.csum_offload ? "offload" : "software");
	rte_eal_cleanup();
	return 0;
}
