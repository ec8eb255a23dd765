/* SPDX-License-Identifier: BSD-3-Clause */
/* What the sink saw: the verdict and its reasons, and a per-stream table
 * (json.c writes the same for programs). */
#include <stdarg.h>
#include <string.h>
#include "sink.h"

static const char *const stop_names[] = {
	[VG_SINK_STOP_SIGNAL] = "signal",
	[VG_SINK_STOP_DURATION] = "duration",
	[VG_SINK_STOP_IDLE] = "idle",
};

const char *
vg_sink_stop_name(enum vg_sink_stop why)
{
	return stop_names[why];
}

static void
add_reason(struct vg_sink_verdict *v, const char *fmt, ...)
{
	va_list ap;

	if (v->n_reasons < VG_SINK_REASONS_MAX) {
		va_start(ap, fmt);
		vsnprintf(v->reason[v->n_reasons], sizeof(v->reason[0]), fmt,
			  ap);
		va_end(ap);
	}
	v->n_reasons++;
}

static void
stream_verdict(const struct vg_sink *s, const struct vg_sink_stream *st,
	       struct vg_sink_verdict *v)
{
	const struct vg_track *t = &st->track;
	uint64_t auth = t->events[VG_TRACK_AUTH_FAIL];
	uint64_t rtcp_auth = t->events[VG_TRACK_RTCP_AUTH_FAIL];
	double loss = vg_track_loss_pct(t);

	if (auth || rtcp_auth)
		add_reason(v, "%s: %llu SRTP and %llu SRTCP authentication "
			   "failures", st->cam->name, (unsigned long long)auth,
			   (unsigned long long)rtcp_auth);
	if (loss > s->a.max_loss)
		add_reason(v, "%s: lost %llu of %llu packets (%.3f %% > "
			   "--max-loss %g %%)", st->cam->name,
			   (unsigned long long)vg_track_lost(t),
			   (unsigned long long)vg_track_expected(t), loss,
			   s->a.max_loss);
	if (t->packets == 0 && !s->a.allow_silent)
		add_reason(v, "%s: received no authentic RTP packet on UDP "
			   "port %u (--allow-silent accepts that)",
			   st->cam->name, st->cam->dst_port);
}

void
vg_sink_verdict(const struct vg_sink *s, struct vg_sink_verdict *v)
{
	memset(v, 0, sizeof(*v));
	for (unsigned i = 0; i < s->n; i++)
		stream_verdict(s, &s->streams[i], v);
	if (s->mp_avail != s->mp_size)
		add_reason(v, "mempool: %u of %u mbufs not given back",
			   s->mp_size - s->mp_avail, s->mp_size);
}

static double
us(uint64_t ns)
{
	return (double)ns / 1e3;
}

static void
table_row(const struct vg_sink_stream *st, FILE *out)
{
	const struct vg_track *t = &st->track;
	const uint64_t *e = t->events;
	struct vg_track_rates r;

	vg_track_rates(t, &r);
	fprintf(out, "%-16s 0x%08x %9llu %8.3f %8.1f %6llu %5llu %5llu %5llu "
		"%6llu %6llu/%-4llu %8.1f %8.1f %8.1f\n", st->cam->name,
		st->cam->ssrc, (unsigned long long)t->packets, r.mbps, r.pps,
		(unsigned long long)vg_track_lost(t),
		(unsigned long long)t->dup, (unsigned long long)t->reordered,
		(unsigned long long)e[VG_TRACK_AUTH_FAIL],
		(unsigned long long)e[VG_TRACK_REPLAY],
		(unsigned long long)e[VG_TRACK_RTCP_OK],
		(unsigned long long)(e[VG_TRACK_RTCP_AUTH_FAIL] +
				     e[VG_TRACK_RTCP_FAIL]),
		us(vg_track_lat_pct(&t->lat, 50)),
		us(vg_track_lat_pct(&t->lat, 99)), us(t->lat.max_ns));
}

/* Counters the table has no column for, when not zero. */
static void
table_notes(const struct vg_sink_stream *st, FILE *out)
{
	static const enum vg_track_event notes[] = {
		VG_TRACK_ERROR, VG_TRACK_WRONG_SSRC, VG_TRACK_NO_PROBE,
		VG_TRACK_PROBE_CAMERA, VG_TRACK_RTCP_AUTH_FAIL,
	};
	const struct vg_track *t = &st->track;
	bool any = false;

	for (unsigned i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
		if (t->events[notes[i]] == 0)
			continue;
		fprintf(out, "%s %s %llu", any ? "," : "  note:",
			vg_track_event_name(notes[i]),
			(unsigned long long)t->events[notes[i]]);
		any = true;
	}
	if (t->late || t->lat.negative) {
		fprintf(out, "%s late %llu, clock_skew %llu", any ? "," :
			"  note:", (unsigned long long)t->late,
			(unsigned long long)t->lat.negative);
		any = true;
	}
	if (any)
		fprintf(out, " (%s)\n", st->cam->name);
}

static void
table_totals(const struct vg_sink *s, FILE *out)
{
	uint64_t pk = 0, lost = 0, dup = 0, reord = 0, auth = 0, replay = 0;
	uint64_t rok = 0, rfail = 0;
	double mbps = 0, pps = 0;

	for (unsigned i = 0; i < s->n; i++) {
		const struct vg_track *t = &s->streams[i].track;
		struct vg_track_rates r;

		vg_track_rates(t, &r);
		pk += t->packets;
		mbps += r.mbps;
		pps += r.pps;
		lost += vg_track_lost(t);
		dup += t->dup;
		reord += t->reordered;
		auth += t->events[VG_TRACK_AUTH_FAIL];
		replay += t->events[VG_TRACK_REPLAY];
		rok += t->events[VG_TRACK_RTCP_OK];
		rfail += t->events[VG_TRACK_RTCP_AUTH_FAIL] +
			 t->events[VG_TRACK_RTCP_FAIL];
	}
	fprintf(out, "%-16s %10s %9llu %8.3f %8.1f %6llu %5llu %5llu %5llu "
		"%6llu %6llu/%-4llu\n", "total", "", (unsigned long long)pk,
		mbps, pps, (unsigned long long)lost, (unsigned long long)dup,
		(unsigned long long)reord, (unsigned long long)auth,
		(unsigned long long)replay, (unsigned long long)rok,
		(unsigned long long)rfail);
}

static void
other_line(const struct vg_sink *s, FILE *out)
{
	fprintf(out, "not in any stream: %llu",
		(unsigned long long)vg_sink_other_total(s));
	for (unsigned i = 0; i < VG_DROP_COUNT; i++)
		if (s->other[i])
			fprintf(out, ", %s %llu", vg_drop_name(i),
				(unsigned long long)s->other[i]);
	if (s->segmented)
		fprintf(out, ", segmented %llu",
			(unsigned long long)s->segmented);
	fprintf(out, "\n");
}

void
vg_sink_report(const struct vg_sink *s, const struct vg_sink_verdict *v,
	       FILE *out)
{
	fprintf(out, "vigie-sink: center %s, %u streams, %.3f s, stopped by "
		"%s\n", s->center->name, s->n,
		(double)(s->t_end - s->t_start) / 1e9, vg_sink_stop_name(s->stop));
	fprintf(out, "%-16s %-10s %9s %8s %8s %6s %5s %5s %5s %6s %11s %8s "
		"%8s %8s\n", "stream", "ssrc", "packets", "Mbit/s", "pps",
		"lost", "dup", "reord", "auth", "replay", "rtcp ok/fail",
		"p50 us", "p99 us", "max us");
	for (unsigned i = 0; i < s->n; i++) {
		table_row(&s->streams[i], out);
		table_notes(&s->streams[i], out);
	}
	table_totals(s, out);
	other_line(s, out);
	fprintf(out, "mempool %u/%u %s\n", s->mp_avail, s->mp_size,
		s->mp_avail == s->mp_size ? "ok" : "LEAK");
	if (v->n_reasons == 0) {
		fprintf(out, "vigie-sink: PASS\n");
		return;
	}
	fprintf(out, "vigie-sink: FAIL (%u reason%s)\n", v->n_reasons,
		v->n_reasons == 1 ? "" : "s");
	for (unsigned i = 0; i < v->n_reasons && i < VG_SINK_REASONS_MAX; i++)
		fprintf(out, "  %s\n", v->reason[i]);
	if (v->n_reasons > VG_SINK_REASONS_MAX)
		fprintf(out, "  ... and %u more\n",
			v->n_reasons - VG_SINK_REASONS_MAX);
}
