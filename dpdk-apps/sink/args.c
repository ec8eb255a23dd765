/* SPDX-License-Identifier: BSD-3-Clause */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sink.h"

void
vg_sink_args_usage(FILE *out, const char *prog)
{
	fprintf(out,
"usage: %s [EAL options] -- --config FILE --center NAME --port DEVICE\n"
"                        [options]\n"
"Receives the SRTP streams the gateway sends to center NAME, decrypts them\n"
"with the center's keys and checks every camera routed there.\n"
"  --config FILE        the Vigie configuration (cameras, keys, SSRCs)\n"
"  --center NAME        the center to stand for: its address is answered\n"
"                       for (ARP, ping) and its cameras are the streams\n"
"  --port DEVICE        DPDK device: PCI address or vdev with arguments,\n"
"                       e.g. net_af_packet0,iface=ctr0\n"
"  --duration S         stop after S seconds (default: on SIGINT/SIGTERM)\n"
"  --idle S             stop S seconds after the last RTP packet, once one\n"
"                       has come\n"
"  --json FILE          also write the report as JSON\n"
"  --max-loss PERCENT   loss allowed per stream (default 0)\n"
"  --allow-silent       a stream that received nothing does not fail\n"
"  --quiet              no progress line every second\n"
"  -h, --help           this text\n"
"Exit status: 0 pass; 1 verification failed (an authentication failure,\n"
"loss above --max-loss, a silent stream, a leaked mbuf); 2 usage,\n"
"configuration or start-up error.\n"
"Speed: Debian's libsrtp2 (NSS) decrypts ~50,000 packets/s per core; use\n"
"the sink on paced streams, not for line-rate benchmarks.\n",
		prog);
}

/* A number of seconds or a percentage: finite, within [min, max]. */
static bool
want_double(const char *opt, const char *s, double min, double max,
	    const char *what, double *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end != '\0' || !isfinite(v) || v < min || v > max) {
		fprintf(stderr, "vigie-sink: --%s: '%s' is not %s\n", opt, s,
			what);
		return false;
	}
	*out = v;
	return true;
}

static const struct option opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "center", required_argument, NULL, 'C' },
	{ "port", required_argument, NULL, 'p' },
	{ "duration", required_argument, NULL, 'd' },
	{ "idle", required_argument, NULL, 'i' },
	{ "json", required_argument, NULL, 'j' },
	{ "max-loss", required_argument, NULL, 'l' },
	{ "allow-silent", no_argument, NULL, 's' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static bool
one_opt(int c, const char *arg, struct vg_sink_args *a)
{
	switch (c) {
	case 'c': a->config = arg; return true;
	case 'C': a->center = arg; return true;
	case 'p': a->port = arg; return true;
	case 'j': a->json = arg; return true;
	case 's': a->allow_silent = true; return true;
	case 'q': a->quiet = true; return true;
	case 'd': return want_double("duration", arg, 0.001, 1e7,
				     "a number of seconds > 0", &a->duration);
	case 'i': return want_double("idle", arg, 0.001, 1e7,
				     "a number of seconds > 0", &a->idle);
	case 'l': return want_double("max-loss", arg, 0, 100,
				     "a percentage in 0..100", &a->max_loss);
	default: return false;		/* getopt printed why */
	}
}

bool
vg_sink_args_parse(int argc, char **argv, struct vg_sink_args *a)
{
	const char *missing = NULL;
	int c;

	memset(a, 0, sizeof(*a));
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			vg_sink_args_usage(stdout, argv[0]);
			exit(0);
		}
		if (!one_opt(c, optarg, a))
			return false;
	}
	if (optind < argc) {
		fprintf(stderr, "vigie-sink: unexpected argument '%s' (EAL "
			"options go before --)\n", argv[optind]);
		return false;
	}
	if (a->config == NULL)
		missing = "--config FILE";
	else if (a->center == NULL)
		missing = "--center NAME";
	else if (a->port == NULL)
		missing = "--port DEVICE";
	if (missing != NULL) {
		fprintf(stderr, "vigie-sink: missing %s (after --)\n", missing);
		return false;
	}
	return true;
}
