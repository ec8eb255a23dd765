/* SPDX-License-Identifier: BSD-3-Clause */
/* vigie-sink: the center side of a Vigie test.  It stands for one center
 * of the configuration on a DPDK port (answers ARP and ping for its
 * address), receives the SRTP streams the gateway sends there, decrypts
 * each with its camera's key and SSRC, and checks them with the probes
 * vigie-camgen puts in every packet: authentication failures, replays,
 * loss, duplicates, reordering, latency, rate.  At the end it prints a
 * per-stream table (and JSON with --json) and exits 0 when the streams
 * passed, 1 when they did not, 2 when it could not run.
 *
 *   vigie-sink [EAL options] -- --config FILE --center NAME --port DEVICE
 *              [--duration S] [--idle S] [--json FILE] [--max-loss PCT]
 *              [--allow-silent] [--quiet]
 *
 * One lcore is enough (-l 0): the main lcore polls the port and sleeps
 * 50 us when it is empty, so an idle sink leaves the core to the gateway
 * and camgen on small machines; at low rates latency is therefore
 * over-estimated by up to ~60 us.  Debian's libsrtp2 (NSS) decrypts about
 * 50,000 packets/s of 1,200 bytes per core: the sink checks paced
 * streams; it is not a line-rate receiver. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include "sink.h"

#define EXIT_VERIFY 1
#define EXIT_USAGE 2
#define MBUFS 8191
#define MBUF_CACHE 256
#define EMPTY_SLEEP_US 50
#define TIMER_SLACK_NS 1000

/* The only global: set by the signal handler, read by the loop. */
static volatile bool quit;

static void
on_signal(int sig)
{
	(void)sig;
	quit = true;
}

static uint64_t
realtime_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Split argv at "--": EAL gets the part before, we get the rest. */
static int
split_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0)
			return i;
	return argc;
}

/* The application's argv: the program name, then what follows "--". */
static bool
parse_app_args(int argc, char **argv, int split, struct vg_sink_args *a)
{
	int n = split < argc ? argc - split : 1;
	char **av = calloc((size_t)n + 1, sizeof(*av));
	bool ok;

	if (av == NULL)
		return false;
	av[0] = argv[0];
	for (int i = 1; i < n; i++)
		av[i] = argv[split + i];
	ok = vg_sink_args_parse(n, av, a);
	free(av);
	return ok;
}

/* The center's address on the port; the subnet of the gateway's port
 * toward it when the center is on it (a /24 otherwise: only ARP and ping
 * use the port's address). */
static void
center_port(const struct vg_sink *s, struct vg_cfg_port *pc)
{
	const struct vg_cfg_port *bp = &s->cfg.ports[s->center->port];
	uint32_t mask = bp->prefix ? htonl(UINT32_MAX << (32 - bp->prefix)) : 0;

	memset(pc, 0, sizeof(*pc));
	snprintf(pc->name, sizeof(pc->name), "%s", s->center->name);
	snprintf(pc->device, sizeof(pc->device), "%s", s->a.port);
	pc->role = VG_ROLE_BACKBONE;
	pc->addr = s->center->addr;
	pc->prefix = (bp->addr & mask) == (pc->addr & mask) ? bp->prefix : 24;
	pc->vlan = bp->vlan;		/* tagged as the gateway sends */
}

static int
open_port(struct vg_sink *s)
{
	struct vg_cfg_port pc;
	char err[256], mac[RTE_ETHER_ADDR_FMT_SIZE], addr[INET_ADDRSTRLEN];

	center_port(s, &pc);
	s->mp = rte_pktmbuf_pool_create("sink", MBUFS, MBUF_CACHE, 0,
					RTE_MBUF_DEFAULT_BUF_SIZE,
					(int)rte_socket_id());
	if (s->mp == NULL) {
		fprintf(stderr, "vigie-sink: cannot allocate %u mbufs: %s\n",
			MBUFS, rte_strerror(rte_errno));
		return -1;
	}
	if (vg_host_open(&s->host, &pc, s->mp, &pc.addr, 1, err,
			 sizeof(err)) < 0) {
		fprintf(stderr, "vigie-sink: --port %s: %s\n", s->a.port, err);
		return -1;
	}
	s->host_open = true;
	rte_ether_format_addr(mac, sizeof(mac), &s->host.port.mac);
	inet_ntop(AF_INET, &pc.addr, addr, sizeof(addr));
	printf("vigie-sink: center %s at %s/%u%s on %s (mac %s), %u streams\n",
	       s->center->name, addr, pc.prefix, pc.vlan ? " tagged" : "",
	       s->a.port, mac, s->n);
	fflush(stdout);
	return 0;
}

/* Close the port first: its queues give their mbufs back, and only then
 * does a missing mbuf mean a leak. */
static void
close_port(struct vg_sink *s)
{
	if (s->host_open)
		vg_host_close(&s->host);
	s->host_open = false;
	if (s->mp == NULL)
		return;
	s->mp_size = s->mp->size;
	s->mp_avail = rte_mempool_avail_count(s->mp);
	rte_mempool_free(s->mp);
	s->mp = NULL;
}

static void
progress(const struct vg_sink *s, unsigned second)
{
	uint64_t ok = 0, auth = 0, replay = 0, lost = 0;

	for (unsigned i = 0; i < s->n; i++) {
		const struct vg_track *t = &s->streams[i].track;

		ok += t->packets;
		auth += t->events[VG_TRACK_AUTH_FAIL];
		replay += t->events[VG_TRACK_REPLAY];
		lost += vg_track_lost(t);
	}
	printf("vigie-sink: %u s: rtp %llu, auth_fail %llu, replay %llu, "
	       "lost %llu, not in any stream %llu\n", second,
	       (unsigned long long)ok, (unsigned long long)auth,
	       (unsigned long long)replay, (unsigned long long)lost,
	       (unsigned long long)vg_sink_other_total(s));
	fflush(stdout);
}

static void
run(struct vg_sink *s)
{
	uint64_t hz = rte_get_tsc_hz(), start = rte_get_tsc_cycles();
	uint64_t end = s->a.duration > 0 ?
		       start + (uint64_t)(s->a.duration * (double)hz) : UINT64_MAX;
	uint64_t idle = (uint64_t)(s->a.idle * (double)hz);
	uint64_t last_rtp = start, seen = 0, next = start + hz, now;
	unsigned second = 0;

	s->stop = VG_SINK_STOP_SIGNAL;
	while (!quit) {
		unsigned n = vg_sink_rx_burst(s);

		now = rte_get_tsc_cycles();
		if (s->rtp_seen != seen) {
			seen = s->rtp_seen;
			last_rtp = now;
		}
		if (now >= end) {
			s->stop = VG_SINK_STOP_DURATION;
			break;
		}
		if (idle && seen && now - last_rtp >= idle) {
			s->stop = VG_SINK_STOP_IDLE;
			break;
		}
		if (now >= next) {
			next += hz;
			if (!s->a.quiet)
				progress(s, ++second);
		}
		if (n == 0)
			rte_delay_us_sleep(EMPTY_SLEEP_US);
	}
}

/* Everything that needs no EAL: arguments, config, sessions, JSON file.
 * A mistake there costs no hugepage and no port. */
static int
prepare(struct vg_sink *s, int argc, char **argv, int split)
{
	unsigned errors;

	if (!parse_app_args(argc, argv, split, &s->a)) {
		fprintf(stderr, "usage: %s [EAL options] -- --config FILE "
			"--center NAME --port DEVICE [options]; -h for help\n",
			argv[0]);
		return -1;
	}
	/* From here on the process holds master and session keys: a crash
	 * must not leave them in a core file (the gateway's invariant 4). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		fprintf(stderr, "vigie-sink: cannot disable core dumps: %s\n",
			strerror(errno));
	errors = vg_cfg_load(s->a.config, &s->cfg, stderr);
	if (errors) {
		fprintf(stderr, "vigie-sink: --config %s: %u error%s\n",
			s->a.config, errors, errors == 1 ? "" : "s");
		return -1;
	}
	s->cfg_loaded = true;
	if (vg_sink_streams_setup(s) < 0)
		return -1;
	if (s->a.json != NULL) {
		s->json = fopen(s->a.json, "w");
		if (s->json == NULL) {
			fprintf(stderr, "vigie-sink: --json %s: %s\n",
				s->a.json, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static void
release(struct vg_sink *s)
{
	vg_sink_streams_free(s);
	if (s->cfg_loaded)
		vg_cfg_free(&s->cfg);
	s->cfg_loaded = false;
	if (s->json != NULL)
		fclose(s->json);
	s->json = NULL;
}

/* Report, then the exit status: the verdict, unless the JSON report
 * could not be written. */
static int
finish(struct vg_sink *s)
{
	static struct vg_sink_verdict v;
	int rc, ret;

	vg_sink_verdict(s, &v);
	vg_sink_report(s, &v, stdout);
	rc = v.n_reasons ? EXIT_VERIFY : 0;
	if (s->json == NULL)
		return rc;
	ret = vg_sink_report_json(s, &v, s->json);
	if (fclose(s->json) != 0 && ret == 0)
		ret = -errno;
	s->json = NULL;
	if (ret < 0) {
		fprintf(stderr, "vigie-sink: --json %s: %s\n", s->a.json,
			strerror(-ret));
		return EXIT_USAGE;
	}
	return rc;
}

int
main(int argc, char **argv)
{
	static struct vg_sink s;
	int split = split_args(argc, argv), rc;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		vg_sink_args_usage(stdout, argv[0]);
		return 0;
	}
	if (prepare(&s, argc, argv, split) < 0) {
		release(&s);
		return EXIT_USAGE;
	}
	prctl(PR_SET_TIMERSLACK, TIMER_SLACK_NS, 0, 0, 0);
	if (rte_eal_init(split, argv) < 0) {
		fprintf(stderr, "vigie-sink: EAL: %s\n", rte_strerror(rte_errno));
		release(&s);
		return EXIT_USAGE;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (open_port(&s) < 0) {
		close_port(&s);
		release(&s);
		rte_eal_cleanup();
		return EXIT_USAGE;
	}
	s.t_start = realtime_ns();
	run(&s);
	s.t_end = realtime_ns();
	close_port(&s);
	rc = finish(&s);
	release(&s);
	rte_eal_cleanup();
	return rc;
}
