/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "camgen.h"

static double
seconds(const struct camgen *g)
{
	return g->t_end > g->t_start ? (double)(g->t_end - g->t_start) / 1e9 : 0;
}

void
camgen_report(const struct camgen *g, FILE *out)
{
	double s = seconds(g);

	if (!g->a.quiet)
		for (unsigned i = 0; i < g->n; i++) {
			const struct camgen_cam *k = &g->cams[i];

			fprintf(out, "camera %s ssrc 0x%08x rtp %llu bytes %llu "
				"frames %llu rtcp %llu seq %u..%u\n", k->name,
				k->v.ssrc, (unsigned long long)k->v.counter,
				(unsigned long long)k->v.octets,
				(unsigned long long)k->frames,
				(unsigned long long)k->rtcp_sent, k->first_seq,
				(uint16_t)(k->v.seq - 1));
		}
	fprintf(out, "camgen: %u cameras, %llu RTP + %llu RTCP packets, %llu "
		"frames, %llu wire bytes in %.3f s (%s): %.0f pps, %.2f Mbit/s\n",
		g->n, (unsigned long long)g->rtp_pkts,
		(unsigned long long)g->rtcp_pkts, (unsigned long long)g->frames,
		(unsigned long long)g->wire_bytes, s,
		g->pcap ? "media time" : g->a.flat ? "flat out" : "paced",
		s > 0 ? (double)(g->rtp_pkts + g->rtcp_pkts) / s : 0,
		s > 0 ? (double)g->wire_bytes * 8 / s / 1e6 : 0);
	if (g->tx_retries || g->tx_lost || g->no_mbuf || g->rx_other)
		fprintf(out, "camgen: tx_full_retries %llu tx_lost %llu "
			"no_mbuf %llu rx_other %llu\n",
			(unsigned long long)g->tx_retries,
			(unsigned long long)g->tx_lost,
			(unsigned long long)g->no_mbuf,
			(unsigned long long)g->rx_other);
}

static void
json_cam(FILE *f, const struct camgen_cam *k, bool last)
{
	fprintf(f, "    {\"name\": \"%s\", \"camera\": %u, \"ssrc\": %u, "
		"\"rtp_packets\": %llu, \"rtp_octets\": %llu, \"frames\": %llu, "
		"\"rtcp_packets\": %llu, \"first_seq\": %u, \"last_seq\": %u}%s\n",
		k->name, k->v.camera, k->v.ssrc,
		(unsigned long long)k->v.counter,
		(unsigned long long)k->v.octets, (unsigned long long)k->frames,
		(unsigned long long)k->rtcp_sent, k->first_seq,
		(uint16_t)(k->v.seq - 1), last ? "" : ",");
}

/* Camera names come from the config, whose loader accepts only
 * [A-Za-z0-9_.-]: no JSON escaping is needed. */
int
camgen_report_json(const struct camgen *g, const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		fprintf(stderr, "camgen: --json %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "{\n  \"mode\": \"%s\",\n  \"seconds\": %.6f,\n"
		"  \"rtp_packets\": %llu,\n  \"rtcp_packets\": %llu,\n"
		"  \"frames\": %llu,\n  \"wire_bytes\": %llu,\n"
		"  \"tx_lost\": %llu,\n  \"cameras\": [\n",
		g->pcap ? "pcap" : g->a.flat ? "flat" : "paced", seconds(g),
		(unsigned long long)g->rtp_pkts,
		(unsigned long long)g->rtcp_pkts, (unsigned long long)g->frames,
		(unsigned long long)g->wire_bytes,
		(unsigned long long)(g->tx_lost + g->no_mbuf));
	for (unsigned i = 0; i < g->n; i++)
		json_cam(f, &g->cams[i], i + 1 == g->n);
	fprintf(f, "  ]\n}\n");
	if (fclose(f) != 0) {
		fprintf(stderr, "camgen: --json %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}
