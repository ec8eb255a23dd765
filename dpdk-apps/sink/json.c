/* SPDX-License-Identifier: BSD-3-Clause */
/* The sink's report as JSON, for tests and dashboards: the same numbers
 * as the table (report.c), every counter by name.  Names come from the
 * config, whose loader accepts only [A-Za-z0-9_.-]: nothing to escape. */
#include <errno.h>
#include <string.h>
#include "sink.h"

static void
json_latency(FILE *f, const struct vg_track_lat *h)
{
	fprintf(f, "\"latency_us\": {\"samples\": %llu, \"min\": %.3f, "
		"\"mean\": %.3f, \"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, "
		"\"max\": %.3f, \"over_10s\": %llu, \"clock_skew\": %llu, "
		"\"unknown\": %llu}", (unsigned long long)h->count,
		h->count ? (double)h->min_ns / 1e3 : 0.0,
		vg_track_lat_mean(h) / 1e3,
		(double)vg_track_lat_pct(h, 50) / 1e3,
		(double)vg_track_lat_pct(h, 90) / 1e3,
		(double)vg_track_lat_pct(h, 99) / 1e3,
		(double)h->max_ns / 1e3, (unsigned long long)h->over,
		(unsigned long long)h->negative, (unsigned long long)h->unknown);
}

static void
json_stream(FILE *f, const struct vg_sink_stream *st, bool last)
{
	const struct vg_track *t = &st->track;
	const struct vg_cfg_camera *c = st->cam;
	struct vg_track_rates r;

	vg_track_rates(t, &r);
	fprintf(f, "    {\"name\": \"%s\", \"camera\": %u, \"ssrc\": %u, "
		"\"suite\": \"%s\", \"dst_port\": %u, \"dst_rtcp_port\": %u,\n"
		"     \"rtp_packets\": %llu, \"rtp_octets\": %llu, "
		"\"srtp_bytes\": %llu, \"seconds\": %.6f, \"pps\": %.3f, "
		"\"mbps\": %.6f,\n     \"expected\": %llu, \"highest\": %llu, "
		"\"lost\": %llu, \"loss_pct\": %.6f, \"dup\": %llu, "
		"\"reordered\": %llu, \"late\": %llu,\n     ", c->name,
		st->camera, c->ssrc, vg_suite_get(c->suite)->name, c->dst_port,
		c->dst_rtcp_port, (unsigned long long)t->packets,
		(unsigned long long)t->payload_bytes,
		(unsigned long long)t->bytes, r.seconds, r.pps, r.mbps,
		(unsigned long long)vg_track_expected(t),
		(unsigned long long)vg_track_highest(t),
		(unsigned long long)vg_track_lost(t), vg_track_loss_pct(t),
		(unsigned long long)t->dup, (unsigned long long)t->reordered,
		(unsigned long long)t->late);
	for (unsigned e = 0; e < VG_TRACK_EVENT_COUNT; e++)
		fprintf(f, "%s\"%s\": %llu", e ? ", " : "",
			vg_track_event_name(e),
			(unsigned long long)t->events[e]);
	fprintf(f, ",\n     ");
	json_latency(f, &t->lat);
	fprintf(f, "}%s\n", last ? "" : ",");
}

static void
json_totals(FILE *f, const struct vg_sink *s)
{
	uint64_t pk = 0, oct = 0, exp = 0, lost = 0, dup = 0, reord = 0;
	uint64_t ev[VG_TRACK_EVENT_COUNT] = { 0 };
	unsigned silent = 0;

	for (unsigned i = 0; i < s->n; i++) {
		const struct vg_track *t = &s->streams[i].track;

		pk += t->packets;
		oct += t->payload_bytes;
		exp += vg_track_expected(t);
		lost += vg_track_lost(t);
		dup += t->dup;
		reord += t->reordered;
		silent += t->packets == 0;
		for (unsigned e = 0; e < VG_TRACK_EVENT_COUNT; e++)
			ev[e] += t->events[e];
	}
	fprintf(f, "  \"totals\": {\"streams\": %u, \"silent\": %u, "
		"\"rtp_packets\": %llu, \"rtp_octets\": %llu, \"expected\": "
		"%llu, \"lost\": %llu, \"loss_pct\": %.6f, \"dup\": %llu, "
		"\"reordered\": %llu", s->n, silent, (unsigned long long)pk,
		(unsigned long long)oct, (unsigned long long)exp,
		(unsigned long long)lost,
		exp ? 100.0 * (double)lost / (double)exp : 0.0,
		(unsigned long long)dup, (unsigned long long)reord);
	for (unsigned e = 0; e < VG_TRACK_EVENT_COUNT; e++)
		fprintf(f, ", \"%s\": %llu", vg_track_event_name(e),
			(unsigned long long)ev[e]);
	fprintf(f, "},\n");
}

static void
json_other(FILE *f, const struct vg_sink *s)
{
	fprintf(f, "  \"unknown\": {\"total\": %llu, \"segmented\": %llu",
		(unsigned long long)vg_sink_other_total(s),
		(unsigned long long)s->segmented);
	for (unsigned i = 0; i < VG_DROP_COUNT; i++)
		if (s->other[i])
			fprintf(f, ", \"%s\": %llu", vg_drop_name(i),
				(unsigned long long)s->other[i]);
	fprintf(f, "},\n");
}

static void
json_verdict(FILE *f, const struct vg_sink_verdict *v)
{
	fprintf(f, "  \"verdict\": \"%s\",\n  \"reasons\": [",
		v->n_reasons ? "fail" : "pass");
	for (unsigned i = 0; i < v->n_reasons && i < VG_SINK_REASONS_MAX; i++)
		fprintf(f, "%s\n    \"%s\"", i ? "," : "", v->reason[i]);
	if (v->n_reasons > VG_SINK_REASONS_MAX)
		fprintf(f, ",\n    \"... and %u more\"",
			v->n_reasons - VG_SINK_REASONS_MAX);
	fprintf(f, "%s]\n", v->n_reasons ? "\n  " : "");
}

int
vg_sink_report_json(const struct vg_sink *s, const struct vg_sink_verdict *v,
		    FILE *f)
{
	fprintf(f, "{\n  \"center\": \"%s\",\n  \"seconds\": %.6f,\n"
		"  \"stop\": \"%s\",\n  \"max_loss_pct\": %g,\n"
		"  \"streams\": [\n", s->center->name,
		(double)(s->t_end - s->t_start) / 1e9, vg_sink_stop_name(s->stop),
		s->a.max_loss);
	for (unsigned i = 0; i < s->n; i++)
		json_stream(f, &s->streams[i], i + 1 == s->n);
	fprintf(f, "  ],\n");
	json_totals(f, s);
	json_other(f, s);
	fprintf(f, "  \"mempool\": {\"available\": %u, \"size\": %u, "
		"\"ok\": %s},\n", s->mp_avail, s->mp_size,
		s->mp_avail == s->mp_size ? "true" : "false");
	json_verdict(f, v);
	fprintf(f, "}\n");
	return fflush(f) == 0 && !ferror(f) ? 0 : -errno;
}
