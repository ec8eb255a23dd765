/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "camgen.h"
#include "vigie/cfg.h"

/* xorshift64*: the --seed decides every SSRC, sequence and timestamp. */
static uint32_t
next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (uint32_t)((*s * 2685821657736338717ull) >> 32);
}

static bool
ssrc_taken(const struct camgen *g, unsigned upto, uint32_t ssrc)
{
	for (unsigned i = 0; i < upto; i++)
		if (g->cams[i].v.ssrc == ssrc)
			return true;
	return false;
}

static void
randomize(struct camgen *g)
{
	uint64_t s = 0x9e3779b97f4a7c15ull ^ g->a.seed;

	for (unsigned i = 0; i < g->n; i++) {
		struct vg_video_cam *v = &g->cams[i].v;

		do
			v->ssrc = next_rand(&s);
		while (v->ssrc == 0 || ssrc_taken(g, i, v->ssrc));
		v->seq = (uint16_t)next_rand(&s);
		v->ts0 = next_rand(&s);
		/* Spread the IDR frames: cameras do not start in step. */
		v->phase = (unsigned)((uint64_t)i * g->a.video.gop / g->n);
		g->cams[i].first_seq = v->seq;
	}
}

/* The access port whose subnet holds addr, else the first access port. */
static const struct vg_cfg_port *
access_port(const struct vg_cfg *cfg, uint32_t addr)
{
	const struct vg_cfg_port *first = NULL;

	for (unsigned i = 0; i < cfg->n_ports; i++) {
		const struct vg_cfg_port *p = &cfg->ports[i];
		uint32_t mask = p->prefix ? htonl(UINT32_MAX << (32 - p->prefix)) : 0;

		if (p->role != VG_ROLE_ACCESS)
			continue;
		if ((p->addr & mask) == (addr & mask))
			return p;
		if (first == NULL)
			first = p;
	}
	return first;
}

static int
from_config(struct camgen *g)
{
	struct vg_cfg cfg;
	const struct vg_cfg_port *ap;

	unsigned n = 0, k = 0;

	if (vg_cfg_load(g->a.config, &cfg, stderr) != 0)
		return -1;
	/* A camera with several destinations is one camera: its primary
	 * entry (the others follow it, cfg.h). */
	for (unsigned i = 0; i < cfg.n_cameras; i++)
		n += cfg.cameras[i].primary == i;
	g->n = g->a.cameras && g->a.cameras < n ? g->a.cameras : n;
	ap = g->n ? access_port(&cfg, cfg.cameras[0].src_addr) : NULL;
	if (ap == NULL) {
		fprintf(stderr, "camgen: %s: no camera or no access port\n",
			g->a.config);
		vg_cfg_free(&cfg);
		return -1;
	}
	g->gw_addr = ap->addr;
	g->prefix = ap->prefix;
	g->vlan = g->a.vlan >= 0 ? (uint16_t)g->a.vlan : ap->vlan;
	g->cams = calloc(g->n, sizeof(*g->cams));
	for (unsigned i = 0; g->cams != NULL && k < g->n; i++) {
		const struct vg_cfg_camera *c = &cfg.cameras[i];
		struct camgen_cam *cam;

		if (c->primary != i)
			continue;
		cam = &g->cams[k++];
		snprintf(cam->name, sizeof(cam->name), "%s", c->name);
		cam->src_addr = c->src_addr;
		/* The gateway matches RTCP on the configured source port too;
		 * a camera allowed any sends from the RFC 3550 pair. */
		cam->src_port = c->src_port ? c->src_port : c->rtp_port;
		cam->src_rtcp_port = c->src_port ? c->src_port :
				   (uint16_t)(c->rtp_port + 1);
		cam->dst_port = c->rtp_port;
		cam->dst_rtcp_port = c->rtcp_port;
	}
	vg_cfg_free(&cfg);
	return g->cams == NULL ? -1 : 0;
}

static int
synthetic(struct camgen *g)
{
	g->n = g->a.synthetic;
	g->gw_addr = g->a.gw_addr;
	g->prefix = 16;
	g->vlan = g->a.vlan >= 0 ? (uint16_t)g->a.vlan : 0;
	g->cams = calloc(g->n, sizeof(*g->cams));
	for (unsigned i = 0; g->cams != NULL && i < g->n; i++) {
		struct camgen_cam *k = &g->cams[i];

		snprintf(k->name, sizeof(k->name), "cam-%u", i);
		k->src_addr = htonl(ntohl(g->a.src_base) + i);
		k->src_port = g->a.rtp_port;
		k->src_rtcp_port = (uint16_t)(g->a.rtp_port + 1);
		k->dst_port = g->a.rtp_port;
		k->dst_rtcp_port = (uint16_t)(g->a.rtp_port + 1);
	}
	return g->cams == NULL ? -1 : 0;
}

int
camgen_cams_setup(struct camgen *g)
{
	if ((g->a.config ? from_config(g) : synthetic(g)) < 0)
		return -1;
	if (g->n == 0) {
		fprintf(stderr, "camgen: no camera to play\n");
		return -1;
	}
	for (unsigned i = 0; i < g->n; i++)
		g->cams[i].v.camera = i;
	randomize(g);
	return 0;
}

void
camgen_cams_flows(struct camgen *g, const uint8_t src_mac[6])
{
	for (unsigned i = 0; i < g->n; i++) {
		struct camgen_cam *k = &g->cams[i];

		vg_wire_flow_init(&k->rtp, g->gw_mac, src_mac, g->vlan,
				  k->src_addr, g->gw_addr, k->src_port,
				  k->dst_port);
		vg_wire_flow_init(&k->rtcp, g->gw_mac, src_mac, g->vlan,
				  k->src_addr, g->gw_addr, k->src_rtcp_port,
				  k->dst_rtcp_port);
	}
}
