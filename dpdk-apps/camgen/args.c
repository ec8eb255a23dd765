/* SPDX-License-Identifier: BSD-3-Clause */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "args.h"

#define PCAP_PER_STREAM 65536	/* one full sequence-number cycle */

void
camgen_args_usage(FILE *out, const char *prog)
{
	fprintf(out,
"usage: %s [EAL options] -- (--config FILE | --synthetic N) (--port DEV | --pcap FILE)\n"
"                         [options]\n"
"cameras:\n"
"  --config FILE        play the cameras of a Vigie config (addresses, ports)\n"
"  --cameras N          only the first N of them\n"
"  --synthetic N        or N cameras at --src, --src+1, ... sending to\n"
"  --gw ADDR --src ADDR --rtp-port P   (defaults 198.18.1.1, 198.18.1.11, 5004)\n"
"output:\n"
"  --port DEV           a DPDK port: PCI address or vdev (net_af_packet0,iface=X)\n"
"  --pcap FILE          or a classic pcap file; %u RTP packets per camera\n"
"                       unless --per-stream says otherwise\n"
"  --gw-mac MAC         the gateway's MAC (required with --pcap; with --port\n"
"                       it is otherwise resolved by ARP)\n"
"  --vlan ID            802.1Q tag (default: the access port's, from --config)\n"
"video (per camera):\n"
"  --bitrate R          RTP payload bit/s, suffix k/M/G (default 4M)\n"
"  --fps N              frames per second (default 25)\n"
"  --gop N              frames per GOP (default 50)\n"
"  --iframe-weight N    IDR size / P-frame size (default 8)\n"
"  --size BYTES         largest IPv4 packet (default 1200, 100..1500)\n"
"  --rtcp-interval S    seconds between sender reports (default 5, 0 = none)\n"
"  --pt N               RTP payload type (default 96)\n"
"run:\n"
"  --flat               flat out (max pps) instead of paced at the bitrate\n"
"  --duration S         stop after S seconds\n"
"  --packets N          stop after N RTP packets in all\n"
"  --per-stream N       stop each camera after N RTP packets\n"
"  --seed N             SSRCs, sequence numbers and timestamps (default 1)\n"
"  --json FILE          also write what was sent as JSON\n"
"  --quiet              no per-camera lines\n",
		prog, PCAP_PER_STREAM);
}

static bool
want_u64(const char *opt, const char *s, uint64_t min, uint64_t max,
	 uint64_t *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end != s && (*end == 'k' || *end == 'K'))
		v *= 1e3, end++;
	else if (end != s && *end == 'M')
		v *= 1e6, end++;
	else if (end != s && *end == 'G')
		v *= 1e9, end++;
	if (end == s || *end != '\0' || v < (double)min || v > (double)max) {
		fprintf(stderr, "camgen: --%s: '%s' is not a number in %llu..%llu\n",
			opt, s, (unsigned long long)min, (unsigned long long)max);
		return false;
	}
	*out = (uint64_t)v;
	return true;
}

static bool
want_addr(const char *opt, const char *s, uint32_t *out)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "camgen: --%s: '%s' is not an IPv4 address\n",
			opt, s);
		return false;
	}
	*out = a.s_addr;
	return true;
}

static bool
want_mac(const char *s, uint8_t mac[6])
{
	unsigned b[6];
	char tail;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6) {
		fprintf(stderr, "camgen: --gw-mac: '%s' is not a MAC "
			"address (aa:bb:cc:dd:ee:ff)\n", s);
		return false;
	}
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return true;
}

static const struct option opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "cameras", required_argument, NULL, 'n' },
	{ "synthetic", required_argument, NULL, 'S' },
	{ "gw", required_argument, NULL, 'g' },
	{ "src", required_argument, NULL, 'a' },
	{ "rtp-port", required_argument, NULL, 'r' },
	{ "port", required_argument, NULL, 'p' },
	{ "pcap", required_argument, NULL, 'w' },
	{ "gw-mac", required_argument, NULL, 'm' },
	{ "vlan", required_argument, NULL, 'v' },
	{ "bitrate", required_argument, NULL, 'b' },
	{ "fps", required_argument, NULL, 'f' },
	{ "gop", required_argument, NULL, 'G' },
	{ "iframe-weight", required_argument, NULL, 'I' },
	{ "size", required_argument, NULL, 'z' },
	{ "rtcp-interval", required_argument, NULL, 'R' },
	{ "pt", required_argument, NULL, 'P' },
	{ "flat", no_argument, NULL, 'F' },
	{ "duration", required_argument, NULL, 'd' },
	{ "packets", required_argument, NULL, 'k' },
	{ "per-stream", required_argument, NULL, 'K' },
	{ "seed", required_argument, NULL, 's' },
	{ "json", required_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static bool
one_opt(int c, const char *arg, struct camgen_args *a)
{
	uint64_t v;

	switch (c) {
	case 'c': a->config = arg; return true;
	case 'p': a->port = arg; return true;
	case 'w': a->pcap = arg; return true;
	case 'j': a->json = arg; return true;
	case 'F': a->flat = true; return true;
	case 'q': a->quiet = true; return true;
	case 'm': return a->have_gw_mac = want_mac(arg, a->gw_mac);
	case 'g': return want_addr("gw", arg, &a->gw_addr);
	case 'a': return want_addr("src", arg, &a->src_base);
	case 'd':
		a->duration = atof(arg);
		if (a->duration > 0)
			return true;
		fprintf(stderr, "camgen: --duration: '%s' is not a positive "
			"number of seconds\n", arg);
		return false;
	case 'b': return want_u64("bitrate", arg, 1, 100000000000ull,
				  &a->video.bitrate);
	case 'k': return want_u64("packets", arg, 1, UINT64_MAX / 2, &a->packets);
	case 'K': return want_u64("per-stream", arg, 1, UINT64_MAX / 2,
				  &a->per_stream);
	}
	if (!want_u64(c == 'n' ? "cameras" : c == 'S' ? "synthetic" :
		      c == 'r' ? "rtp-port" : c == 'v' ? "vlan" :
		      c == 'f' ? "fps" : c == 'G' ? "gop" :
		      c == 'I' ? "iframe-weight" : c == 'z' ? "size" :
		      c == 'R' ? "rtcp-interval" : c == 'P' ? "pt" : "seed",
		      arg, 0, c == 'r' ? 65535 : c == 'v' ? 4094 :
		      c == 'P' ? 127 : c == 'z' ? 1500 : 1000000000, &v))
		return false;
	switch (c) {
	case 'n': a->cameras = (unsigned)v; break;
	case 'S': a->synthetic = (unsigned)v; break;
	case 'r': a->rtp_port = (uint16_t)v; break;
	case 'v': a->vlan = (int)v; break;
	case 'f': a->video.fps = (unsigned)v; break;
	case 'G': a->video.gop = (unsigned)v; break;
	case 'I': a->video.iframe_weight = (unsigned)v; break;
	case 'z': a->size = (unsigned)v; break;
	case 'R': a->rtcp_interval = (unsigned)v; break;
	case 'P': a->pt = (uint8_t)v; break;
	default: a->seed = (unsigned)v; break;
	}
	return true;
}

/* Combinations the options alone cannot express. */
static bool
check(struct camgen_args *a)
{
	const char *why = NULL;
	char err[160];

	if (!a->config == !a->synthetic)
		why = "give exactly one of --config FILE and --synthetic N";
	else if (!a->port == !a->pcap)
		why = "give exactly one of --port DEV and --pcap FILE";
	else if (a->pcap && !a->have_gw_mac)
		why = "--pcap needs --gw-mac: a replayer sends the frames as they are";
	else if (a->size < 100)
		why = "--size: packets below 100 bytes cannot hold video and probe";
	if (why != NULL) {
		fprintf(stderr, "camgen: %s\n", why);
		return false;
	}
	if (a->pcap && a->per_stream == 0)
		a->per_stream = PCAP_PER_STREAM;
	a->video.payload_max = a->size - 20 - 8 - 12;
	if (!vg_video_params_check(&a->video, err, sizeof(err))) {
		fprintf(stderr, "camgen: %s\n", err);
		return false;
	}
	return true;
}

bool
camgen_args_parse(int argc, char **argv, struct camgen_args *a)
{
	int c;

	*a = (struct camgen_args){
		.gw_addr = htonl(0xc6120101),		/* 198.18.1.1 */
		.src_base = htonl(0xc612010b),		/* 198.18.1.11 */
		.rtp_port = 5004, .vlan = -1, .size = 1200,
		.video = { .bitrate = 4000000, .fps = 25, .gop = 50,
			   .iframe_weight = 8 },
		.rtcp_interval = 5, .seed = 1, .pt = 96,
	};
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			camgen_args_usage(stdout, argv[0]);
			exit(0);
		}
		if (c == '?' || !one_opt(c, optarg, a))
			return false;
	}
	if (optind < argc) {
		fprintf(stderr, "camgen: unexpected argument '%s'\n",
			argv[optind]);
		return false;
	}
	return check(a);
}
