/* SPDX-License-Identifier: BSD-3-Clause */
/* vigie-camgen: plays N H.264 cameras (video.h) toward a Vigie gateway, on
 * a DPDK port or into a pcap file, paced at their bitrate or flat out.
 *
 * Time: camera c's frame f is due at t0 + (f * N + c) / (N * fps): one
 * event counter walks every camera's frames in time order, each camera a
 * fraction of a frame period after the previous one. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include "camgen.h"
#include "pcap.h"

#define EXIT_USAGE 2
#define MBUFS 8191
#define NTP_UNIX_OFFSET 2208988800ull	/* 1900 to 1970, seconds */
#define ARP_TIMEOUT_MS 5000

static volatile bool quit;

static void
on_signal(int sig)
{
	(void)sig;
	quit = true;
}

static uint64_t
ntp_of(uint64_t ns)
{
	uint64_t sec = ns / 1000000000u, frac = ns % 1000000000u;

	return (sec + NTP_UNIX_OFFSET) << 32 | (frac << 32) / 1000000000u;
}

/* Answer ARP and ICMP for the cameras; anything else is counted. */
static void
poll_rx(struct camgen *g)
{
	struct rte_mbuf *pkts[CAMGEN_BURST];
	uint16_t n;

	if (!g->host_open)
		return;
	n = rte_eth_rx_burst(g->host.port.port_id, 0, pkts, CAMGEN_BURST);
	for (uint16_t i = 0; i < n; i++) {
		struct vg_parsed pv;

		if (vg_parse_frame(rte_pktmbuf_mtod(pkts[i], uint8_t *),
				   rte_pktmbuf_data_len(pkts[i]), &pv) ==
			    VG_DROP_NONE && vg_host_input(&g->host, pkts[i], &pv))
			continue;
		g->rx_other++;
		rte_pktmbuf_free(pkts[i]);
	}
}

/* Send the burst; a full tx ring pushes back instead of losing packets. */
static void
flush(struct camgen *g)
{
	unsigned done = 0;

	while (done < g->nb) {
		uint16_t k = rte_eth_tx_burst(g->host.port.port_id, 0,
					      g->burst + done,
					      (uint16_t)(g->nb - done));
		done += k;
		if (k == 0) {
			g->tx_retries++;
			poll_rx(g);
			if (quit)
				break;
		}
	}
	if (done < g->nb) {
		g->tx_lost += g->nb - done;
		rte_pktmbuf_free_bulk(g->burst + done, g->nb - done);
	}
	g->nb = 0;
}

/* Room for one frame: an mbuf's data, or a scratch buffer for pcap. */
static uint8_t *
slot(struct camgen *g, uint8_t *scratch)
{
	struct rte_mbuf *m;

	if (g->pcap != NULL)
		return scratch;
	m = rte_pktmbuf_alloc(g->mp);
	if (m == NULL) {
		g->no_mbuf++;
		return NULL;
	}
	g->burst[g->nb] = m;
	return rte_pktmbuf_mtod(m, uint8_t *);
}

static int
commit(struct camgen *g, uint8_t *frame, unsigned len, uint64_t t_ns)
{
	g->wire_bytes += len;
	if (g->pcap != NULL)
		return vg_pcap_write(g->pcap, t_ns, frame, len);
	rte_pktmbuf_append(g->burst[g->nb], (uint16_t)len);
	if (++g->nb == CAMGEN_BURST)
		flush(g);
	return 0;
}

static int
send_sr(struct camgen *g, struct camgen_cam *k, uint64_t t_ns)
{
	uint8_t scratch[VG_WIRE_HDR_MAX + 128], *p = slot(g, scratch);
	char cname[96];
	unsigned len;

	if (p == NULL)
		return 0;
	snprintf(cname, sizeof(cname), "%s@vigie-camgen", k->name);
	len = vg_video_sr(&k->v, cname, ntp_of(t_ns),
			  k->v.ts0 + (uint32_t)(k->v.frame * VG_VIDEO_CLOCK /
						g->a.video.fps),
			  p + k->rtcp.hdr_len, 128);
	k->rtcp_sent++;
	g->rtcp_pkts++;
	return commit(g, p, vg_wire_finish(&k->rtcp, p, len), t_ns);
}

static bool
sr_due(const struct camgen *g, const struct camgen_cam *k)
{
	uint64_t every = (uint64_t)g->a.rtcp_interval * g->a.video.fps;

	return every != 0 && k->v.frame != 0 && k->v.frame % every == 0;
}

/* One frame of camera k at t_ns: its packets, an SR before it when due. */
static int
play_frame(struct camgen *g, struct camgen_cam *k, uint64_t t_ns)
{
	bool pcap = g->pcap != NULL;
	uint64_t sent_ns = pcap ? 0 : t_ns, t = t_ns;
	uint32_t flags = pcap ? VG_PROBE_WRAP16 : 0;
	uint8_t scratch[VG_WIRE_HDR_MAX + 1500];

	if (sr_due(g, k) && send_sr(g, k, t_ns) < 0)
		return -1;
	vg_video_frame_begin(&g->a.video, &k->v);
	k->frames++;
	g->frames++;
	while (k->v.cur < k->v.n_nal) {	/* NALs of the frame left */
		uint64_t c = k->v.counter;
		bool last = (g->a.per_stream && c + 1 == g->a.per_stream) ||
			    (g->a.packets && g->rtp_pkts + 1 == g->a.packets);
		uint8_t *p = slot(g, scratch);
		unsigned len;

		if (p == NULL)
			return 0;
		len = vg_video_next(&g->a.video, &k->v, p + k->rtp.hdr_len,
				    g->a.pt, sent_ns, flags, last);
		g->rtp_pkts++;
		/* A pcap spaces a frame's packets 1 us apart. */
		if (commit(g, p, vg_wire_finish(&k->rtp, p, len), t) < 0)
			return -1;
		t += pcap ? 1000 : 0;
		if (last) {
			k->done = g->a.per_stream && k->v.counter == g->a.per_stream;
			break;
		}
	}
	return 0;
}

static bool
finished(const struct camgen *g, unsigned done_cams, uint64_t now)
{
	return quit || done_cams == g->n ||
	       (g->a.packets && g->rtp_pkts >= g->a.packets) ||
	       (g->a.duration > 0 &&
		now - g->t_start >= (uint64_t)(g->a.duration * 1e9));
}

/* Paced: wait for the event's time, sleeping when it is far (this leaves
 * the core to the gateway on small machines), spinning when near. */
static uint64_t
wait_until(struct camgen *g, uint64_t due)
{
	uint64_t now = vg_probe_now_ns();

	while (now < due && !quit) {
		poll_rx(g);
		if (due - now > 200000)
			rte_delay_us_sleep(100);
		now = vg_probe_now_ns();
	}
	return now;
}

static int
run(struct camgen *g)
{
	double period = 1e9 / ((double)g->n * g->a.video.fps);
	unsigned done_cams = 0;
	uint64_t now = g->t_start;

	for (uint64_t e = 0; !finished(g, done_cams, now); e++) {
		struct camgen_cam *k = &g->cams[e % g->n];
		uint64_t due = g->t_start + (uint64_t)((double)e * period);

		if (k->done)
			continue;
		if (g->pcap != NULL || g->a.flat)
			now = g->pcap != NULL ? due : vg_probe_now_ns();
		else
			now = wait_until(g, due);
		if (quit)
			break;
		if (play_frame(g, k, g->pcap != NULL ? due : now) < 0) {
			fprintf(stderr, "camgen: %s: %s\n", g->a.pcap,
				strerror(errno));
			return -1;
		}
		done_cams += k->done;
		if (g->pcap == NULL && (!g->a.flat || e % 64 == 0)) {
			flush(g);
			poll_rx(g);
		}
	}
	if (g->pcap == NULL)
		flush(g);
	g->t_end = g->pcap != NULL ? now : vg_probe_now_ns();
	return 0;
}

static int
open_port(struct camgen *g)
{
	struct vg_cfg_port pc = { .role = VG_ROLE_ACCESS, .prefix = g->prefix,
				  .vlan = g->vlan, .addr = g->cams[0].src_addr };
	uint32_t *addrs = calloc(g->n, sizeof(*addrs));
	char err[256];
	int ret;

	snprintf(pc.name, sizeof(pc.name), "camgen");
	snprintf(pc.device, sizeof(pc.device), "%s", g->a.port);
	g->mp = rte_pktmbuf_pool_create("camgen", MBUFS, 256, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE,
					(int)rte_socket_id());
	if (g->mp == NULL || addrs == NULL) {
		fprintf(stderr, "camgen: cannot allocate %u mbufs: %s\n", MBUFS,
			rte_strerror(rte_errno));
		free(addrs);
		return -1;
	}
	for (unsigned i = 0; i < g->n; i++)
		addrs[i] = g->cams[i].src_addr;
	ret = vg_host_open(&g->host, &pc, g->mp, addrs, g->n, err, sizeof(err));
	free(addrs);
	if (ret < 0) {
		fprintf(stderr, "camgen: --port %s: %s\n", g->a.port, err);
		return -1;
	}
	g->host_open = true;
	if (g->a.have_gw_mac) {
		memcpy(g->gw_mac, g->a.gw_mac, 6);
		return 0;
	}
	ret = vg_host_resolve(&g->host, g->cams[0].src_addr, g->gw_addr,
			      (struct rte_ether_addr *)g->gw_mac,
			      ARP_TIMEOUT_MS, &quit);
	g->rx_other += g->host.rx_ignored;	/* every frame in one count */
	if (ret < 0) {
		char a[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, &g->gw_addr, a, sizeof(a));
		fprintf(stderr, "camgen: no ARP answer from the gateway %s on "
			"%s after %u ms: is it running on that link? (or give "
			"--gw-mac)\n", a, g->a.port, ARP_TIMEOUT_MS);
		return -1;
	}
	return 0;
}

static int
open_output(struct camgen *g)
{
	static const uint8_t pcap_src_mac[6] = { 0x02, 0x76, 0x67, 0, 0x01, 0x01 };

	if (g->a.port != NULL) {
		if (open_port(g) < 0)
			return -1;
		camgen_cams_flows(g, g->host.port.mac.addr_bytes);
		return 0;
	}
	memcpy(g->gw_mac, g->a.gw_mac, 6);
	g->pcap = vg_pcap_open(g->a.pcap);
	if (g->pcap == NULL) {
		fprintf(stderr, "camgen: --pcap %s: %s\n", g->a.pcap,
			strerror(errno));
		return -1;
	}
	camgen_cams_flows(g, pcap_src_mac);
	return 0;
}

/* Close everything; with a port, prove every mbuf came back. */
static int
close_output(struct camgen *g)
{
	int ret = 0;

	if (g->pcap != NULL && vg_pcap_close(g->pcap) < 0) {
		fprintf(stderr, "camgen: %s: %s\n", g->a.pcap, strerror(errno));
		ret = -1;
	}
	if (g->host_open)
		vg_host_close(&g->host);
	if (g->mp != NULL) {
		unsigned avail = rte_mempool_avail_count(g->mp);

		printf("mempool %u/%u %s\n", avail, g->mp->size,
		       avail == g->mp->size ? "ok" : "LEAK");
		if (avail != g->mp->size)
			ret = -1;
		rte_mempool_free(g->mp);
	}
	return ret;
}

int
main(int argc, char **argv)
{
	struct camgen g = { 0 };
	int n = rte_eal_init(argc, argv), rc = 0;

	if (n < 0) {
		fprintf(stderr, "camgen: EAL: %s\n", rte_strerror(rte_errno));
		return EXIT_USAGE;
	}
	argv[n] = argv[0];
	if (!camgen_args_parse(argc - n, argv + n, &g.a)) {
		camgen_args_usage(stderr, argv[0]);
		rte_eal_cleanup();
		return EXIT_USAGE;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (camgen_cams_setup(&g) < 0 || open_output(&g) < 0) {
		close_output(&g);
		free(g.cams);
		rte_eal_cleanup();
		return EXIT_USAGE;
	}
	g.t_start = vg_probe_now_ns();
	if (run(&g) < 0)
		rc = 1;
	camgen_report(&g, stdout);
	if (g.a.json != NULL && camgen_report_json(&g, g.a.json) < 0)
		rc = 1;
	if (close_output(&g) < 0 || g.tx_lost || g.no_mbuf)
		rc = 1;
	free(g.cams);
	rte_eal_cleanup();
	return rc;
}
