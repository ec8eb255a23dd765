/* SPDX-License-Identifier: BSD-3-Clause */
/* Gateway start-up and teardown, in order, shared by vigie-gw and the
 * benchmark driver so that both run exactly the same data path.  Errors are
 * returned with a message; only main() exits. */
#include <stdio.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf_pool_ops.h>
#include "engine.h"
#include "flow.h"
#include "gw.h"
#include "reserve.h"
#include "worker.h"

#define MBUF_CACHE 256
#define NEIGH_REFRESH_S 60	/* re-ARP resolved next hops this often */

static int
port_for(const struct vg_gw *gw, uint32_t addr)
{
	for (unsigned i = 0; i < gw->n_ports; i++)
		if (((addr ^ gw->ports[i].addr) & gw->ports[i].mask) == 0)
			return (int)i;
	return -1;
}

static int
setup_neighbours(struct vg_gw *gw, char *err, size_t errlen)
{
	const struct vg_cfg *cfg = &gw->cfg;
	uint64_t hz = rte_get_tsc_hz();

	gw->neigh.retry_tsc = hz * cfg->arp_retry_ms / 1000;
	gw->neigh.refresh_tsc = hz * NEIGH_REFRESH_S;
	for (unsigned i = 0; i < cfg->n_neighs; i++) {
		const uint8_t *a = (const uint8_t *)&cfg->neighs[i].addr;
		int p = port_for(gw, cfg->neighs[i].addr);

		if (p < 0 || vg_neigh_add_static(&gw->neigh, p,
		    cfg->neighs[i].addr,
		    (const struct rte_ether_addr *)cfg->neighs[i].mac) < 0) {
			snprintf(err, errlen, "static neighbour %u.%u.%u.%u: %s",
				 a[0], a[1], a[2], a[3], p < 0 ?
				 "not on any port's subnet" : "table full");
			return -1;
		}
	}
	return 0;
}

/* A protect stream's policer: a camera's budget, shared by its fan-out
 * copies (the primary entry's bucket is the one taken). */
static void
init_policer(struct vg_stream *s, uint32_t pps, uint32_t burst)
{
	vg_policer_init(&s->pol, pps, burst, rte_get_tsc_hz(), rte_rdtsc());
}

static void
init_stream(struct vg_stream *s, const struct vg_cfg_camera *c,
	    const struct vg_cfg_center *ct, int nh)
{
	init_policer(s, c->max_pps, c->max_burst);
	s->ssrc = c->ssrc;
	s->dst_addr = ct->addr;
	s->dst_port = c->dst_port;
	s->dst_rtcp_port = c->dst_rtcp_port;
	s->src_port = c->rtp_port;
	s->src_rtcp_port = c->rtcp_port;
	s->tx_port = ct->port;
	s->neigh = nh;
	s->dir = VG_DIR_PROTECT;
	s->rx_role = VG_ROLE_ACCESS;
	s->fan = (uint8_t)c->n_fan;	/* 0 on the entries that follow */
	s->learn = 1;			/* where the camera's RTCP comes from */
	s->ret = s->media = VG_STREAM_NONE;
}

/* A route's stream: in from a PoP gateway, out in clear to the VMS, from
 * the ports the SRTP arrived on. */
static void
init_route_stream(struct vg_stream *s, const struct vg_cfg *cfg,
		  const struct vg_cfg_route *r, int nh)
{
	init_policer(s, cfg->max_pps, cfg->max_burst);
	s->dir = VG_DIR_UNPROTECT;
	s->rx_role = VG_ROLE_BACKBONE;
	s->ssrc = r->ssrc;
	s->dst_addr = r->vms;
	s->dst_port = r->vms_port;
	s->dst_rtcp_port = r->vms_rtcp_port;
	/* Symmetric ports toward the VMS: its RTCP comes back to them. */
	s->src_port = r->vms_port;
	s->src_rtcp_port = r->vms_rtcp_port;
	s->tx_port = (uint16_t)r->out_port;
	s->neigh = (uint16_t)nh;
	s->learn = 1;			/* where the PoP's SRTCP comes from */
	s->ret = s->media = VG_STREAM_NONE;
}

/* Feedback of camera entry i: SRTCP from its center, checked and
 * decrypted, sent in clear to where the camera's RTCP comes from. */
static void
init_cam_feedback(struct vg_stream *s, const struct vg_cfg *cfg, unsigned i)
{
	const struct vg_cfg_camera *c = &cfg->cameras[i];

	init_policer(s, cfg->max_pps, cfg->max_burst);
	s->dir = VG_DIR_UNPROTECT;
	s->rx_role = VG_ROLE_BACKBONE;
	s->ssrc = vg_cfg_feedback_ssrc(c->ssrc);
	s->dst_addr = c->src_addr;
	s->src_port = s->src_rtcp_port = c->rtcp_port;
	s->ret = c->primary;		/* the camera's RTCP lands there */
	s->media = i;
}

/* Feedback of route r: RTCP from the VMS, protected, sent to where the
 * PoP gateway's SRTCP comes from. */
static void
init_route_feedback(struct vg_stream *s, const struct vg_cfg *cfg, unsigned r)
{
	const struct vg_cfg_route *rt = &cfg->routes[r];

	s->dir = VG_DIR_PROTECT;
	s->rx_role = VG_ROLE_ACCESS;
	init_policer(s, cfg->max_pps, cfg->max_burst);
	s->ssrc = vg_cfg_feedback_ssrc(rt->ssrc);
	s->dst_addr = rt->peer;
	s->src_port = s->src_rtcp_port = rt->rtcp_port;
	s->ret = vg_flow_id_route(cfg, r);
	s->media = VG_STREAM_NONE;
}

static int
setup_routes(struct vg_gw *gw, char *err, size_t errlen)
{
	const struct vg_cfg *cfg = &gw->cfg;

	for (unsigned i = 0; i < cfg->n_routes; i++) {
		const struct vg_cfg_route *r = &cfg->routes[i];
		uint32_t hop = vg_cfg_hop_on(cfg, r->out_port, r->vms);
		int nh = vg_neigh_add(&gw->neigh, r->out_port, hop);

		if (nh < 0) {
			snprintf(err, errlen, "more than %u next hops",
				 VG_MAX_NEIGH);
			return -1;
		}
		init_route_stream(&gw->streams[vg_flow_id_route(cfg, i)], cfg,
				  r, nh);
		init_route_feedback(&gw->streams[vg_flow_id_route_fb(cfg, i)],
				    cfg, i);
	}
	for (unsigned i = 0; i < cfg->n_cameras; i++)
		init_cam_feedback(&gw->streams[vg_flow_id_cam_fb(cfg, i)], cfg, i);
	return 0;
}

const char *
vg_gw_stream_name(const struct vg_gw *gw, unsigned i, char *buf, size_t len)
{
	const struct vg_cfg *cfg = &gw->cfg;
	unsigned fb = vg_flow_id_cam_fb(cfg, 0);

	if (i < cfg->n_cameras)
		return cfg->cameras[i].label;
	if (i < fb)
		return cfg->routes[i - cfg->n_cameras].name;
	snprintf(buf, len, "feedback:%s", vg_gw_stream_name(gw, i - fb, buf, len));
	return buf;
}

static int
setup_streams(struct vg_gw *gw, char *err, size_t errlen)
{
	const struct vg_cfg *cfg = &gw->cfg;
	unsigned n = vg_flow_id_count(cfg);

	gw->streams = rte_zmalloc("vg_streams", sizeof(*gw->streams) *
				  (n ? n : 1), RTE_CACHE_LINE_SIZE);
	if (gw->streams == NULL) {
		snprintf(err, errlen, "cannot allocate %u streams", n);
		return -1;
	}
	gw->n_streams = n;
	for (unsigned i = 0; i < cfg->n_cameras; i++) {
		const struct vg_cfg_camera *c = &cfg->cameras[i];
		const struct vg_cfg_center *ct = &cfg->centers[c->center];
		int nh = vg_neigh_add(&gw->neigh, ct->port,
				      vg_cfg_next_hop(cfg, ct));

		if (nh < 0) {
			snprintf(err, errlen, "more than %u next hops",
				 VG_MAX_NEIGH);
			return -1;
		}
		init_stream(&gw->streams[i], c, ct, nh);
	}
	return setup_routes(gw, err, errlen);
}

static struct rte_mempool *
pool_by_ops(unsigned n, const char *ops)
{
	return rte_pktmbuf_pool_create_by_ops("vg_mbufs", n, MBUF_CACHE, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id(), ops);
}

/* The packet pool.  Its common store is a LIFO stack unless the operator
 * (EAL --mbuf-pool-ops-name) or the platform (a hardware mempool) names
 * another.  With a NIC, the rx ring is refilled on the worker's lcore from
 * its own mempool cache: the buffers it just freed, still in cache.  When
 * buffers cross lcores (a generator or a pipeline stage allocates, the
 * worker frees), only a LIFO common store gives them back that way; DPDK's
 * default FIFO ring cycles them through the whole pool instead (all 16,383
 * against 4,704 in `make bench`: +2 to +10 % packets per second).  The
 * "stack" driver takes a spinlock once per 256 buffers (a cache flush or
 * refill), 0.3 % of the worker; "lf_stack", lock-free, walks a linked list
 * there and cost 5 % (docs/benchmarking.md). */
static struct rte_mempool *
make_pool(unsigned n, const char **ops)
{
	struct rte_mempool *mp;

	*ops = rte_mbuf_user_mempool_ops();
	if (*ops == NULL)
		*ops = rte_mbuf_platform_mempool_ops();
	if (*ops != NULL)
		return pool_by_ops(n, *ops);
	*ops = "stack";
	mp = pool_by_ops(n, *ops);
	if (mp != NULL)
		return mp;
	/* No such driver (a static build without it): DPDK's default. */
	*ops = rte_mbuf_best_mempool_ops();
	return pool_by_ops(n, *ops);
}

static int
setup_ports(struct vg_gw *gw, char *err, size_t errlen)
{
	char e[384];

	gw->mp = make_pool(gw->cfg.mbufs, &gw->pool_ops);
	if (gw->mp == NULL) {
		snprintf(err, errlen, "cannot create a pool of %u mbufs "
			 "(mempool driver %s): %s (hugepages reserved? see "
			 "scripts/setup.sh)", gw->cfg.mbufs, gw->pool_ops,
			 rte_strerror(rte_errno));
		return -1;
	}
	for (; gw->n_ports < gw->cfg.n_ports; gw->n_ports++) {
		unsigned i = gw->n_ports;

		if (vg_port_open(&gw->ports[i], &gw->cfg.ports[i], gw->mp, e,
				 sizeof(e)) < 0) {
			snprintf(err, errlen, "port '%s': %s",
				 gw->cfg.ports[i].name, e);
			return -1;
		}
	}
	return 0;
}

/* No suitable crypto device (none on this machine, or it lacks a suite):
 * the gateway still runs, on libsrtp, and says so once. */
static int
fall_back(struct vg_gw *gw, struct vg_worker *w, const volatile bool *quit,
	  char *e, size_t elen)
{
	if (gw->engine_ops != &vg_engine_cryptodev)
		return -1;
	printf("vigie: cryptodev engine unavailable (%s); falling back to "
	       "libsrtp\n", e);
	gw->engine_ops = &vg_engine_libsrtp;
	return vg_worker_init(w, gw, quit, e, elen);
}

int
vg_gw_setup(struct vg_gw *gw, struct vg_worker *w, const volatile bool *quit,
	    char *err, size_t errlen)
{
	char e[384];

	gw->start_tsc = rte_rdtsc();
	if (setup_ports(gw, err, errlen) < 0 ||
	    setup_neighbours(gw, err, errlen) < 0 ||
	    setup_streams(gw, err, errlen) < 0 ||
	    vg_reserve_open(gw, stdout, err, errlen) < 0)
		goto err_teardown;
	gw->flows = vg_flow_build(&gw->cfg, err, errlen);
	if (gw->flows == NULL)
		goto err_teardown;
	gw->engine_ops = vg_engine_find(gw->cfg.engine);
	if (gw->engine_ops == NULL) {
		snprintf(err, errlen, "unknown engine '%s'", gw->cfg.engine);
		goto err_teardown;
	}
	if (vg_worker_init(w, gw, quit, e, sizeof(e)) < 0 &&
	    fall_back(gw, w, quit, e, sizeof(e)) < 0) {
		snprintf(err, errlen, "engine %s: %s", gw->engine_ops->name, e);
		goto err_teardown;
	}
	gw->worker = w;
	return 0;

err_teardown:
	vg_gw_teardown(gw, NULL, NULL);
	return -1;
}

int
vg_gw_teardown(struct vg_gw *gw, struct vg_worker *w, FILE *out)
{
	unsigned avail, size;
	int ret = 0;

	for (unsigned i = 0; i < gw->n_ports; i++)
		vg_port_close(&gw->ports[i]);
	gw->n_ports = 0;
	/* The worker has stopped: each stream's exact next index. */
	vg_reserve_close(gw, out != NULL ? out : stdout);
	if (w != NULL)
		vg_worker_fini(w);
	vg_flow_free(gw->flows);
	gw->flows = NULL;
	if (gw->mp != NULL) {
		size = gw->mp->size;
		avail = rte_mempool_avail_count(gw->mp);
		ret = avail == size ? 0 : 1;
		if (out != NULL && ret == 0)
			fprintf(out, "mempool %u/%u ok\n", avail, size);
		else if (out != NULL)
			fprintf(out, "mempool %u/%u LEAK %u\n", avail, size,
				size - avail);
		rte_mempool_free(gw->mp);
		gw->mp = NULL;
	}
	rte_free(gw->streams);
	gw->streams = NULL;
	vg_cfg_free(&gw->cfg);
	return ret;
}
