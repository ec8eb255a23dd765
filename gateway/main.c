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
#include "flow.h"
#include "gw.h"
#include "sdp.h"
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
		"usage: %s [EAL options] -- --config FILE\n"
		"       %s --check-config FILE\n"
		"       %s --sdp CENTER --config FILE [--out DIR]\n"
		"\n"
		"  --config FILE        run the gateway with this configuration\n"
		"  --check-config FILE  validate FILE without EAL or NICs; exit 0 if\n"
		"                       valid, 2 with file:line: messages otherwise\n"
		"  --sdp CENTER         print, without EAL, one SDP description (with\n"
		"                       its SRTP key) per stream routed to CENTER;\n"
		"                       --out DIR writes DIR/CAMERA.sdp, mode 0600\n"
		"  -h, --help           this text\n"
		"\n"
		"EAL options are DPDK's own (e.g. -l 0,1 --in-memory -a PCI).\n"
		"Ports are named in the configuration; see docs/operations.md.\n",
		prog, prog, prog);
}

static int
check_config(const char *path)
{
	struct vg_cfg cfg;
	unsigned errors = vg_cfg_load(path, &cfg, stderr);

	if (errors) {
		fprintf(stderr, "%s: %u error%s\n", path, errors,
			errors == 1 ? "" : "s");
		return EXIT_CONFIG;
	}
	printf("%s: ok (%u ports, %u centers, %u camera streams, %u "
	       "unprotect routes)\n", path, cfg.n_ports, cfg.n_centers,
	       cfg.n_cameras, cfg.n_routes);
	vg_cfg_free(&cfg);
	return 0;
}

/* --sdp: the options of the SDP command, given in any order. */
struct sdp_args {
	const char *center;
	const char *config;
	const char *dir;		/* NULL: descriptions on stdout */
};

static bool
sdp_requested(int argc, char **argv, int split)
{
	for (int i = 1; i < argc && i < split; i++)
		if (strcmp(argv[i], "--sdp") == 0 ||
		    strncmp(argv[i], "--sdp=", 6) == 0)
			return true;
	return false;
}

static void
sdp_parse_args(int argc, char **argv, struct sdp_args *a)
{
	static const struct option opts[] = {
		{ "sdp", required_argument, NULL, 's' },
		{ "config", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			a->center = optarg;
		else if (c == 'c')
			a->config = optarg;
		else if (c == 'o')
			a->dir = optarg;
		else
			goto usage;
	}
	if (optind == argc && a->center != NULL && a->config != NULL)
		return;
	fprintf(stderr, "%s: --sdp: %s\n", argv[0], optind < argc ?
		"unexpected argument" : "needs --sdp CENTER and --config FILE");
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
	fputc('\n', stderr);
}

/* Descriptions on stdout back to back (each begins with "v=0"), or one
 * file each in dir.  Returns the exit status. */
static int
sdp_emit(const struct vg_sdp_stream *st, unsigned n, const char *dir)
{
	char text[VG_SDP_TEXT_MAX], err[512];
	unsigned others;

	if (dir && vg_sdp_check_dir(dir, &others, err, sizeof(err)) < 0) {
		fprintf(stderr, "vigie: --out %s\n", err);
		return EXIT_FAILURE;
	}
	if (dir && others)
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

/* --sdp CENTER --config FILE [--out DIR]: runs without EAL, like
 * --check-config, so that it works on any host that has the config. */
static int
sdp_command(int argc, char **argv)
{
	struct sdp_args a = { NULL, NULL, NULL };
	struct vg_sdp_stream *st;
	struct vg_cfg cfg;
	unsigned errors, n;
	int center, ret;

	sdp_parse_args(argc, argv, &a);
	/* Invariant 4: keys are read from here on. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	errors = vg_cfg_load(a.config, &cfg, stderr);
	if (errors) {
		fprintf(stderr, "%s: %u error%s\n", a.config, errors,
			errors == 1 ? "" : "s");
		return EXIT_CONFIG;
	}
	center = vg_sdp_center(&cfg, a.center);
	if (center < 0) {
		sdp_no_center(&cfg, &a);
		vg_cfg_free(&cfg);
		return EXIT_CONFIG;
	}
	n = vg_sdp_streams(&cfg, (unsigned)center, NULL, 0);
	st = calloc(n ? n : 1, sizeof(*st));
	if (st == NULL) {
		vg_cfg_free(&cfg);
		return EXIT_FAILURE;
	}
	vg_sdp_streams(&cfg, (unsigned)center, st, n);
	vg_cfg_free(&cfg);
	if (n == 0)
		fprintf(stderr, "vigie: no camera is routed to center %s\n",
			a.center);
	ret = sdp_emit(st, n, a.dir);
	vg_sdp_wipe(st, n);
	free(st);
	return ret;
}

/* Application options come after "--"; returns the config path or NULL. */
static const char *
parse_app_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
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
	return config;
}

/* The application's argv: the program name, then what follows "--". */
static const char *
app_config(int argc, char **argv, int split)
{
	int n = split < argc ? argc - split : 1;
	char **av = calloc(n + 1, sizeof(*av));
	const char *config;

	if (av == NULL)
		exit(EXIT_FAILURE);
	av[0] = argv[0];
	for (int i = 1; i < n; i++)
		av[i] = argv[split + i];
	config = parse_app_args(n, av);
	free(av);
	return config;
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

static void
report_loop(struct vg_gw *gw)
{
	uint64_t hz = rte_get_tsc_hz(), next;

	next = rte_rdtsc() + gw->cfg.summary_interval * hz;
	while (!quit) {
		usleep(100 * 1000);
		if (hangup) {
			/* An operator expecting a reload must not lose the
			 * gateway: say plainly what happens instead. */
			hangup = 0;
			printf("vigie: SIGHUP: configuration reload is not "
			       "supported yet; restart to apply changes\n");
			fflush(stdout);
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
	const char *config;
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
	config = app_config(argc, argv, split);
	/* Invariant 4: from here on the process holds master and session
	 * keys; a crash must not leave them in a core file on disk. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		fprintf(stderr, "vigie: cannot disable core dumps: %s\n",
			strerror(errno));
	if (vg_cfg_load(config, &gw.cfg, stderr) != 0)
		return EXIT_CONFIG;
	ret = rte_eal_init(split, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "EAL initialisation failed: %s\n",
			 rte_strerror(rte_errno));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (vg_gw_setup(&gw, &worker, &quit, err, sizeof(err)) < 0)
		rte_exit(EXIT_FAILURE, "%s\n", err);
	if (vg_stats_telemetry_register(&gw) != 0)
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
	report_loop(&gw);
	rte_eal_wait_lcore(lcore);
	printf("vigie: stopping; final counters:\n");
	vg_stats_dump(&gw, stdout);
	ret = vg_gw_teardown(&gw, &worker, stdout);
	rte_eal_cleanup();
	return ret;
}
