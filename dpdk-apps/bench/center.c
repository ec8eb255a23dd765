/* SPDX-License-Identifier: BSD-3-Clause */
/* vigie-bench --center (center.h says what runs where). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include "center.h"
#include "config.h"
#include "count.h"
#include "vigie/bytes.h"
/* White-box: a cryptodev engine of the bench's own protects the traffic,
 * and the gateway's worker unprotects it (the Makefile says why). */
#include "engine.h"
#include "gw.h"
#include "stats.h"
#include "worker.h"

#define BURST 32
#define L234 42			/* Ethernet 14 + IPv4 20 + UDP 8 */
#define PER_PEER 25000		/* routes per PoP address (UDP ports) */
#define PER_VMS 20000		/* routes per VMS address */
#define ACCESS 0		/* ports[] of the config */
#define BACKBONE 1

static volatile bool quit;

/* The measured interval starts once `warm` packets have left the worker
 * (sent or dropped): sets *t0 and *c0 (packets sent then) the first time. */
static void
mark_start(const struct vg_worker *w, unsigned warm, uint64_t *t0,
	   uint64_t *c0)
{
	if (*t0 == 0 && vg_bench_sent(w, ACCESS) + vg_bench_drops(w) >= warm) {
		*t0 = rte_rdtsc();
		*c0 = vg_bench_sent(w, ACCESS);
	}
}

/* Route i: SRTP from PoP 198.19.(i / PER_PEER).2 port 7000 to our port
 * 10000 + 2k; plain RTP to VMS 198.18.(i / PER_VMS).50 port 20000 + 2k. */
static uint32_t
peer_addr(unsigned i)
{
	return rte_cpu_to_be_32(RTE_IPV4(198, 19, i / PER_PEER, 2));
}

static uint16_t
route_port(unsigned i)
{
	return (uint16_t)(10000 + 2 * (i % PER_PEER));
}

static int
make_config(struct vg_cfg *cfg, const struct vg_bench_center *c)
{
	unsigned n_vms = (c->streams + PER_VMS - 1) / PER_VMS;
	struct vg_master_key key;

	if (vg_bench_config(cfg, c->engine, c->mbufs, VG_ROLE_BACKBONE) < 0)
		return -1;
	vg_bench_key(&key, c->suite);
	cfg->neighs = calloc(n_vms, sizeof(*cfg->neighs));
	cfg->routes = calloc(c->streams, sizeof(*cfg->routes));
	if (!cfg->neighs || !cfg->routes)
		return -1;
	cfg->n_neighs = n_vms;
	for (unsigned v = 0; v < n_vms; v++) {
		static const uint8_t mac[6] = { 2, 0, 0, 0, 1, 0 };

		cfg->neighs[v].addr = rte_cpu_to_be_32(RTE_IPV4(198, 18, v, 50));
		memcpy(cfg->neighs[v].mac, mac, 6);
		cfg->neighs[v].mac[5] = (uint8_t)v;
	}
	cfg->n_routes = c->streams;
	for (unsigned i = 0; i < c->streams; i++) {
		struct vg_cfg_route *r = &cfg->routes[i];

		snprintf(r->name, sizeof(r->name), "r-%u", i);
		r->peer = peer_addr(i);
		r->peer_port = 7000;
		r->port = route_port(i);
		r->rtcp_port = r->port + 1;
		r->ssrc = 0x20000000u + i;
		r->suite = c->suite;
		r->key = key;
		if (c->key_per_stream)
			vg_bench_key(&r->key, c->suite);
		r->vms = cfg->neighs[i / PER_VMS].addr;
		r->vms_port = (uint16_t)(20000 + 2 * (i % PER_VMS));
		r->vms_rtcp_port = r->vms_port + 1;
		r->in_port = BACKBONE;
		r->out_port = ACCESS;
	}
	return 0;
}

/* What the PoP sends, in sending order. */
struct traffic {
	struct rte_mempool *mp;
	struct rte_mbuf **m;
	uint32_t *route;
	unsigned n;
};

/* Build c->packets SRTP packets, protected on a cryptodev engine of its
 * own (devices of their own: the gateway's are not shared), and take the
 * routes' keys before vg_gw_setup has them. */
static int
build(struct traffic *t, const struct vg_cfg *cfg,
      const struct vg_bench_center *c)
{
	struct vg_engine_params p = { .max_streams = c->streams,
		.cryptodev = "crypto_aesni_mb_vgb",
		.cryptodev_gcm = "crypto_aesni_gcm_vgb" };
	unsigned k, i;
	uint32_t *order = calloc(c->streams, sizeof(*order));
	uint32_t *start = calloc(c->streams, sizeof(*start));
	struct vg_crypto_op ops[BURST];
	struct vg_engine *e;
	char err[256] = "";
	int rc = -1;

	t->n = c->packets;
	t->m = calloc(t->n, sizeof(*t->m));
	t->route = calloc(t->n, sizeof(*t->route));
	t->mp = rte_pktmbuf_pool_create("vgb_pre", t->n, 0, 0,
			RTE_PKTMBUF_HEADROOM + L234 + c->size +
			VG_SRTP_MAX_TRAILER, (int)rte_socket_id());
	e = vg_engine_cryptodev.create(&p, err, sizeof(err));
	if (!order || !start || !t->m || !t->route || !t->mp || !e) {
		fprintf(stderr, "center: cannot build %u packets: %s\n", t->n,
			t->mp ? err : "no hugepage memory for them (fewer "
			"with --packets, or more hugepages: VIGIE_HUGEPAGES=N "
			"make setup)");
		goto out;
	}
	for (i = 0; i < c->streams; i++) {
		const struct vg_cfg_route *r = &cfg->routes[i];

		if (e->ops->stream_add(e, i, r->suite, &r->key, r->ssrc, err,
				       sizeof(err)) != 0) {
			fprintf(stderr, "center: %s\n", err);
			goto out;
		}
		order[i] = i;
		start[i] = (uint32_t)rand() & 0xffff;
	}
	for (i = c->streams - 1; i > 0; i--) {
		unsigned j = (unsigned)rand() % (i + 1), x = order[i];

		order[i] = order[j];
		order[j] = x;
	}
	for (k = 0; k < t->n; k += BURST) {
		unsigned n = RTE_MIN((unsigned)BURST, t->n - k);

		if (rte_pktmbuf_alloc_bulk(t->mp, t->m + k, n) != 0) {
			fprintf(stderr, "center: %u packets built, the pool has "
				"no more\n", k);
			goto out;
		}
		for (unsigned j = 0; j < n; j++) {
			unsigned s = order[(k + j) % c->streams];
			uint64_t idx = start[s] + (k + j) / c->streams;
			uint8_t *d = (uint8_t *)rte_pktmbuf_append(t->m[k + j],
							L234 + c->size);

			memset(d + L234, 0x5a, c->size);
			d[L234] = 0x80;
			d[L234 + 1] = 96;
			vg_put_be16(d + L234 + 2, (uint16_t)idx);
			vg_put_be32(d + L234 + 8, cfg->routes[s].ssrc);
			ops[j] = (struct vg_crypto_op){ .stream = s,
				.data = d + L234, .len = c->size,
				.mbuf = t->m[k + j], .hdr_len = 12,
				.index = idx };
			t->route[k + j] = s;
		}
		e->ops->protect_burst(e, ops, (uint16_t)n);
		for (unsigned j = 0; j < n; j++) {
			if (ops[j].status != VG_DROP_NONE) {
				fprintf(stderr, "center: protecting packet %u "
					"failed: %s\n", k + j,
					vg_drop_name(ops[j].status));
				goto out;
			}
			rte_pktmbuf_append(t->m[k + j], ops[j].len - c->size);
		}
	}
	rc = 0;
out:
	if (e != NULL)
		e->ops->destroy(e);
	free(order);
	free(start);
	return rc;
}

/* Ethernet, IPv4 and UDP of every packet, now that the backbone port has
 * its MAC. */
static void
address(const struct traffic *t, const struct rte_ether_addr *gw_mac)
{
	for (unsigned k = 0; k < t->n; k++) {
		struct rte_mbuf *m = t->m[k];

		vg_bench_frame(rte_pktmbuf_mtod(m, uint8_t *), gw_mac,
			       peer_addr(t->route[k]),
			       rte_cpu_to_be_32(RTE_IPV4(198, 19, 0, 1)),
			       route_port(t->route[k]), m->data_len - L234);
	}
}

int
vg_bench_center_run(const struct vg_bench_center *c, struct rte_ring *in)
{
	static struct vg_gw gw;
	static struct vg_worker w;
	struct traffic t = { 0 };
	unsigned warm = c->packets / 4, sent = 0;
	uint64_t hz = rte_get_tsc_hz(), t0 = 0, t1, c0 = 0, c1, drops, until;
	size_t per_stream;
	const char *pool_ops;
	char err[512];
	int leak, pre_full;

	if (make_config(&gw.cfg, c) < 0 || build(&t, &gw.cfg, c) < 0)
		return -1;
	if (vg_gw_setup(&gw, &w, &quit, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (strcmp(gw.engine_ops->name, c->engine) != 0) {
		fprintf(stderr, "engine %s unavailable\n", c->engine);
		return -1;
	}
	address(&t, &gw.ports[BACKBONE].mac);
	rte_eal_remote_launch(vg_worker_main, &w, rte_get_next_lcore(-1, 1, 0));
	while (sent < t.n) {
		sent += rte_ring_sp_enqueue_burst(in, (void **)t.m + sent,
						  RTE_MIN((unsigned)BURST, t.n - sent),
						  NULL);
		mark_start(&w, warm, &t0, &c0);
	}
	/* The ring drains at the worker's pace: still the worker's rate. */
	until = rte_rdtsc() + 30 * hz;
	while (t0 == 0 && rte_rdtsc() < until)
		mark_start(&w, warm, &t0, &c0);
	while (vg_bench_sent(&w, ACCESS) + vg_bench_drops(&w) < t.n && rte_rdtsc() < until)
		rte_pause();
	t1 = rte_rdtsc();
	c1 = vg_bench_sent(&w, ACCESS);
	quit = true;
	rte_eal_mp_wait_lcore();
	/* Every packet built and not sent: the counted drops and any packet
	 * that never came out. */
	drops = t.n - c1;
	per_stream = vg_stats_stream_bytes(&gw);
	pool_ops = gw.pool_ops;
	leak = vg_gw_teardown(&gw, &w, NULL);
	vg_bench_state_remove();
	pre_full = rte_mempool_full(t.mp);
	{
		double s = (double)(t1 - t0) / (double)hz;
		double mpps = t0 ? (double)(c1 - c0) / s / 1e6 : 0;

		printf("RESULT role=center engine=%s suite=%s size=%u "
		       "streams=%u packets=%lu seconds=%.3f mpps=%.4f "
		       "gbps=%.3f drops=%lu bytes_per_stream=%zu mempool=%s "
		       "keys=%s pool=%s\n", c->engine,
		       vg_suite_get(c->suite)->name, c->size, c->streams,
		       (unsigned long)(c1 - c0), s, mpps,
		       mpps * c->size * 8 / 1000, (unsigned long)drops,
		       per_stream, leak || !pre_full ? "leak" : "ok",
		       c->key_per_stream ? "per-stream" : "shared", pool_ops);
	}
	rte_mempool_free(t.mp);
	free(t.m);
	free(t.route);
	return 0;
}
