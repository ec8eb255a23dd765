/* SPDX-License-Identifier: BSD-3-Clause */
/* vigie-gw: command line (EAL options, then `--`, then the application's),
 * start-up in order, the main lcore's report loop, and a clean shutdown
 * that proves every mbuf came back to its pool. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include "engine.h"
#include "flow.h"
#include "gw.h"
#include "reload.h"
#include "reserve.h"
#include "sdp.h"
#include "state.h"
#include "stats.h"
#include "worker.h"

#define EXIT_CONFIG 2
#define MBUF_CACHE 256

/* The only shared globals: set by signal handlers, read by the loops. */
static volatile bool quit;
static volatile sig_atomic_t hangup;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		hangup = 1;
	else
		quit = true;
}

static void
usage(FILE *out, const char *prog)
{
	fprintf(out,
		"usage: %s [EAL options] -- --config FILE [--state-dir DIR]\n"
		"       %s --check-config FILE\n"
		"       %s --sdp CENTER --config FILE [--out DIR]\n"
		"       %s --sdp-vms --config FILE [--out DIR]\n"
		"\n"
		"  --config FILE        run the gateway with this configuration\n"
		"  --state-dir DIR      keep the SRTP index reservations in DIR\n"
		"                       (instead of gateway.state_dir)\n"
		"  --check-config FILE  validate FILE without EAL or NICs; exit 0 if\n"
		"                       valid, 2 with file:line: messages otherwise\n"
		"  --sdp CENTER         print, without EAL, one SDP description (with\n"
		"                       its SRTP key) per stream routed to CENTER;\n"
		"                       --out DIR writes DIR/CAMERA.sdp, mode 0600\n"
		"  --sdp-vms            the same for the VMS behind a center gateway:\n"
		"                       one plain RTP/AVP description (no key) per\n"
		"                       unprotect route; --out DIR writes\n"
		"                       DIR/ROUTE.sdp, mode 0644\n"
		"  -h, --help           this text\n"
		"\n"
		"EAL options are DPDK's own (e.g. -l 0,1 --in-memory -a PCI).\n"
		"Ports are named in the configuration; see docs/operations.md.\n",
		prog, prog, prog, prog);
}

/* Whether protect stream id (flow.h numbering) has a record in recs, and
 * the name an operator knows it by. */
static bool
tx_stream_found(const struct vg_cfg *cfg, unsigned id,
		const struct vg_state_rec *recs, unsigned n, const char **name)
{
	const struct vg_master_key *key;
	struct vg_state_rec found;
	uint8_t fp[VG_STATE_FP_LEN];
	enum vg_suite suite;
	uint32_t ssrc;

	vg_flow_id_key(cfg, id, &suite, &key, &ssrc);
	*name = id < cfg->n_cameras ? cfg->cameras[id].label :
		cfg->routes[id - vg_flow_id_route_fb(cfg, 0)].name;
	return vg_state_find_stream(recs, n, suite, key->bytes, key->len, ssrc,
				    VG_STATE_TX, fp, &found) != NULL;
}

/* Which protect streams continue above a reservation and which start
 * fresh (a key's first use: right only for a new key).  0, or 1 when the
 * state cannot be read (the gateway would refuse to start). */
static int
check_state(const struct vg_cfg *cfg)
{
	struct vg_state_rec *recs;
	unsigned n, fresh = 0, cont = 0;
	const char *name;
	char err[512];

	if (vg_state_peek(cfg->state_dir, &recs, &n, err, sizeof(err)) < 0) {
		fprintf(stderr, "vigie: error: %s\n", err);
		return 1;
	}
	vg_state_sort(recs, n);
	for (unsigned id = 0; id < vg_flow_id_count(cfg); id++) {
		if (!vg_flow_id_protects(cfg, id))
			continue;
		if (tx_stream_found(cfg, id, recs, n, &name)) {
			cont++;
			continue;
		}
		if (fresh++ < 20)
			printf("state: %s starts fresh (index 0: first use of "
			       "its key and SSRC)\n", name);
	}
	if (fresh > 20)
		printf("state: ... and %u more start fresh\n", fresh - 20);
	printf("state %s: %u protect streams continue above their reserved "
	       "indexes, %u start fresh\n", cfg->state_dir, cont, fresh);
	free(recs);
	return 0;
}

static int
check_config(const char *path)
{
	struct vg_cfg cfg;
	unsigned errors;
	int ret;

	/* Invariant 4: keys are read from here on. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	errors = vg_cfg_load(path, &cfg, stderr);

	if (errors) {
		fprintf(stderr, "%s: %u error%s\n", path, errors,
			errors == 1 ? "" : "s");
		return EXIT_CONFIG;
	}
	printf("%s: ok (%u ports, %u centers, %u camera streams, %u "
	       "unprotect routes)\n", path, cfg.n_ports, cfg.n_centers,
	       cfg.n_cameras, cfg.n_routes);
	ret = check_state(&cfg);
	vg_cfg_free(&cfg);
	return ret;
}

/* --sdp, --sdp-vms: the options of the SDP command, given in any order. */
struct sdp_args {
	const char *center;		/* --sdp CENTER: that center's SRTP leg */
	bool vms;			/* --sdp-vms: the routes' VMS leg */
	const char *config;
	const char *dir;		/* NULL: descriptions on stdout */
};

static bool
sdp_requested(int argc, char **argv, int split)
{
	for (int i = 1; i < argc && i < split; i++)
		if (strcmp(argv[i], "--sdp") == 0 ||
		    strncmp(argv[i], "--sdp=", 6) == 0 ||
		    strcmp(argv[i], "--sdp-vms") == 0)
			return true;
	return false;
}

static void
sdp_parse_args(int argc, char **argv, struct sdp_args *a)
{
	static const struct option opts[] = {
		{ "sdp", required_argument, NULL, 's' },
		{ "sdp-vms", no_argument, NULL, 'v' },
		{ "config", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *why;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			a->center = optarg;
		else if (c == 'v')
			a->vms = true;
		else if (c == 'c')
			a->config = optarg;
		else if (c == 'o')
			a->dir = optarg;
		else
			goto usage;
	}
	if (optind < argc)
		why = "unexpected argument";
	else if (a->center != NULL && a->vms)
		why = "--sdp CENTER and --sdp-vms: one leg at a time";
	else if ((a->center == NULL && !a->vms) || a->config == NULL)
		why = "needs --sdp CENTER or --sdp-vms, and --config FILE";
	else
		return;
	fprintf(stderr, "%s: --sdp: %s\n", argv[0], why);
usage:
	usage(stderr, argv[0]);
	exit(EXIT_CONFIG);
}

static void
sdp_no_center(const struct vg_cfg *cfg, const struct sdp_args *a)
{
	fprintf(stderr, "vigie: --sdp: no center '%s' in %s; centers:",
		a->center, a->config);
	for (unsigned i = 0; i < cfg->n_centers; i++)
		fprintf(stderr, "%s %s", i ? "," : "", cfg->centers[i].name);
	if (cfg->n_centers == 0)
		fprintf(stderr, " none%s", cfg->n_routes ? " (a center "
			"gateway: --sdp-vms describes what its VMS receives)" : "");
	fputc('\n', stderr);
}

/* Descriptions on stdout back to back (each begins with "v=0"), or one
 * file each in dir.  keys: they hold keys, so warn if others may list dir
 * (the VMS leg's files are 0644 anyway).  Returns the exit status. */
static int
sdp_emit(const struct vg_sdp_stream *st, unsigned n, const char *dir,
	 bool keys)
{
	char text[VG_SDP_TEXT_MAX], err[512];
	unsigned others;

	if (dir && vg_sdp_check_dir(dir, &others, err, sizeof(err)) < 0) {
		fprintf(stderr, "vigie: --out %s\n", err);
		return EXIT_FAILURE;
	}
	if (dir && others && keys)
		fprintf(stderr, "vigie: warning: others may list %s (mode "
			"o=%o): the file names show the cameras; chmod o= %s\n",
			dir, others, dir);
	for (unsigned i = 0; i < n; i++) {
		if (dir && vg_sdp_write(dir, &st[i], err, sizeof(err)) < 0) {
			fprintf(stderr, "vigie: %s\n", err);
			return EXIT_FAILURE;
		}
		if (dir) {
			printf("%s/%s.sdp\n", dir, st[i].name);
		} else if (vg_sdp_format(&st[i], text, sizeof(text)) >= 0) {
			fputs(text, stdout);
			explicit_bzero(text, sizeof(text));
		} else {
			fprintf(stderr, "vigie: stream %s cannot be described\n",
				st[i].name);
			return EXIT_FAILURE;
		}
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : EXIT_FAILURE;
}

/* The streams asked for: a center's SRTP leg, or every route's VMS leg.
 * Returns 0 with *out allocated (the caller wipes and frees it), or an
 * exit status. */
static int
sdp_collect(const struct vg_cfg *cfg, const struct sdp_args *a,
	    struct vg_sdp_stream **out, unsigned *n)
{
	int center = a->vms ? 0 : vg_sdp_center(cfg, a->center);

	if (center < 0) {
		sdp_no_center(cfg, a);
		return EXIT_CONFIG;
	}
	*n = a->vms ? vg_sdp_routes(cfg, NULL, 0) :
		vg_sdp_streams(cfg, (unsigned)center, NULL, 0);
	*out = calloc(*n ? *n : 1, sizeof(**out));
	if (*out == NULL)
		return EXIT_FAILURE;
	if (a->vms)
		vg_sdp_routes(cfg, *out, *n);
	else
		vg_sdp_streams(cfg, (unsigned)center, *out, *n);
	if (*n == 0 && a->vms)
		fprintf(stderr, "vigie: --sdp-vms: no unprotect route in %s\n",
			a->config);
	else if (*n == 0)
		fprintf(stderr, "vigie: no camera is routed to center %s\n",
			a->center);
	return 0;
}

/* --sdp CENTER | --sdp-vms, --config FILE [--out DIR]: runs without EAL,
 * like --check-config, so that it works on any host that has the config. */
static int
sdp_command(int argc, char **argv)
{
	struct sdp_args a = { NULL, false, NULL, NULL };
	struct vg_sdp_stream *st = NULL;
	struct vg_cfg cfg;
	unsigned errors, n = 0;
	int ret;

	sdp_parse_args(argc, argv, &a);
	/* Invariant 4: keys are read from here on (the config holds them,
	 * even when only the VMS leg is asked for). */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	errors = vg_cfg_load(a.config, &cfg, stderr);
	if (errors) {
		fprintf(stderr, "%s: %u error%s\n", a.config, errors,
			errors == 1 ? "" : "s");
		return EXIT_CONFIG;
	}
	ret = sdp_collect(&cfg, &a, &st, &n);
	vg_cfg_free(&cfg);
	if (ret == 0)
		ret = sdp_emit(st, n, a.dir, !a.vms);
	if (st != NULL)
		vg_sdp_wipe(st, n);
	free(st);
	return ret;
}

/* The application's options (after "--"). */
struct app_args {
	const char *config;
	const char *state_dir;		/* NULL: the config's */
};

/* Application options come after "--"; fills *a (config required). */
static void
parse_app_args(int argc, char **argv, struct app_args *a)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "state-dir", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case 's':
			a->state_dir = optarg;
			break;
		case 'h':
			usage(stdout, argv[0]);
			exit(0);
		default:
			usage(stderr, argv[0]);
			exit(EXIT_CONFIG);
		}
	}
	if (optind < argc || config == NULL) {
		fprintf(stderr, "%s: %s\n", argv[0], config ? "unexpected "
			"argument" : "missing --config FILE (after --)");
		usage(stderr, argv[0]);
		exit(EXIT_CONFIG);
	}
	a->config = config;
}

/* The application's argv: the program name, then what follows "--". */
static void
app_args(int argc, char **argv, int split, struct app_args *a)
{
	int n = split < argc ? argc - split : 1;
	char **av = calloc(n + 1, sizeof(*av));

	if (av == NULL)
		exit(EXIT_FAILURE);
	av[0] = argv[0];
	for (int i = 1; i < n; i++)
		av[i] = argv[split + i];
	parse_app_args(n, av, a);
	free(av);
}

/* --state-dir overrides gateway.state_dir (a service's StateDirectory,
 * a test's own directory). */
static void
override_state_dir(struct vg_cfg *cfg, const char *dir)
{
	if (vg_cfg_set_state_dir(cfg, dir) < 0) {
		fprintf(stderr, "vigie: --state-dir: empty or too long\n");
		exit(EXIT_CONFIG);
	}
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

/* SIGHUP: check the start-up file again against the running
 * configuration and log the result (reload.h).  Off the data path: the
 * worker forwards on meanwhile. */
static void
reload_check(const struct vg_gw *gw, const struct app_args *a)
{
	struct vg_reload_result r;

	vg_reload_check(&gw->cfg, a->config, a->state_dir, &r);
	vg_reload_log(&r, a->config, stdout);
	vg_reload_result_free(&r);
}

/* The control loop: index reservations first (a worker may be waiting
 * for them: every millisecond), then signals and the summary. */
static void
report_loop(struct vg_gw *gw, const struct app_args *a)
{
	uint64_t hz = rte_get_tsc_hz(), next;

	next = rte_rdtsc() + gw->cfg.summary_interval * hz;
	while (!quit) {
		usleep(1000);
		if (vg_reserve_tick(gw, stdout) != 0)
			fflush(stdout);
		if (hangup) {
			hangup = 0;
			reload_check(gw, a);
		}
		if (gw->cfg.summary_interval && rte_rdtsc() >= next) {
			vg_stats_summary(gw, stdout);
			next += gw->cfg.summary_interval * hz;
		}
	}
}

static unsigned
launch(struct vg_worker *w)
{
	unsigned lcore = rte_get_next_lcore(-1, 1, 0);

	if (lcore >= RTE_MAX_LCORE)
		rte_exit(EXIT_CONFIG, "need a worker lcore besides the main "
			 "one: give the EAL two cores, e.g. -l 0,1\n");
	rte_eal_remote_launch(vg_worker_main, w, lcore);
	return lcore;
}

int
main(int argc, char **argv)
{
	static struct vg_gw gw;
	static struct vg_worker worker;
	int split = split_args(argc, argv), ret;
	struct app_args a = { NULL, NULL };
	unsigned lcore;
	char err[512];

	if (argc == 3 && strcmp(argv[1], "--check-config") == 0)
		return check_config(argv[2]);
	if (sdp_requested(argc, argv, split))
		return sdp_command(argc, argv);
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout, argv[0]);
		return 0;
	}
	app_args(argc, argv, split, &a);
	/* Invariant 4: from here on the process holds master and session
	 * keys; a crash must not leave them in a core file on disk. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		fprintf(stderr, "vigie: cannot disable core dumps: %s\n",
			strerror(errno));
	if (vg_cfg_load(a.config, &gw.cfg, stderr) != 0)
		return EXIT_CONFIG;
	override_state_dir(&gw.cfg, a.state_dir);
	ret = rte_eal_init(split, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "EAL initialisation failed: %s\n",
			 rte_strerror(rte_errno));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (vg_gw_setup(&gw, &worker, &quit, err, sizeof(err)) < 0)
		rte_exit(EXIT_FAILURE, "%s\n", err);
	if (vg_stats_telemetry_register(&gw) != 0 ||
	    vg_stats_telemetry_reload(a.config, a.state_dir) != 0)
		printf("vigie: telemetry commands not registered\n");
	lcore = launch(&worker);
	for (unsigned i = 0; i < gw.n_ports; i++) {
		char mac[RTE_ETHER_ADDR_FMT_SIZE];

		rte_ether_format_addr(mac, sizeof(mac), &gw.ports[i].mac);
		printf("vigie: port %s (%s) %s, mac %s%s\n", gw.ports[i].name,
		       gw.cfg.ports[i].device, gw.ports[i].role == VG_ROLE_ACCESS ?
		       "access" : "backbone", mac, gw.ports[i].csum_offload ?
		       ", checksum offload" : "");
	}
	printf("vigie: %u ports, %u streams, engine %s, %u mbufs (%s), "
	       "worker lcore %u\n", gw.n_ports, gw.cfg.n_cameras + gw.cfg.n_routes,
	       gw.engine_ops->name, gw.cfg.mbufs, gw.pool_ops, lcore);
	fflush(stdout);
	report_loop(&gw, &a);
	rte_eal_wait_lcore(lcore);
	printf("vigie: stopping; final counters:\n");
	vg_stats_dump(&gw, stdout);
	vg_stats_telemetry_stop();
	ret = vg_gw_teardown(&gw, &worker, stdout);
	rte_eal_cleanup();
	return ret;
}
