/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>
#include <rte_cycles.h>
#include <rte_telemetry.h>
#include "engine.h"
#include "flow.h"
#include "gw.h"
#include "reload.h"
#include "reserve.h"
#include "stats.h"
#include "worker.h"

/* Telemetry callbacks take no context argument: the registered gateway is
 * kept here, set once before the worker starts and read-only after. */
static const struct vg_gw *tel_gw;
/* Callbacks reading tel_gw's tables (telemetry thread).  Teardown frees
 * them while that thread still runs, until rte_eal_cleanup:
 * vg_stats_telemetry_stop clears tel_gw, then waits for this to be 0.
 * Both sides sequentially consistent: either the callback sees NULL or
 * the stop sees it busy. */
static unsigned tel_busy;

static const struct vg_gw *
tel_enter(void)
{
	const struct vg_gw *gw;

	__atomic_add_fetch(&tel_busy, 1, __ATOMIC_SEQ_CST);
	gw = __atomic_load_n(&tel_gw, __ATOMIC_SEQ_CST);
	if (gw == NULL)
		__atomic_sub_fetch(&tel_busy, 1, __ATOMIC_SEQ_CST);
	return gw;
}

static void
tel_leave(void)
{
	__atomic_sub_fetch(&tel_busy, 1, __ATOMIC_SEQ_CST);
}

/* The callback NAME for DPDK: NAME_do on the tables, if still there. */
#define TEL_GUARDED(name)                                                    \
	static int                                                           \
	name(const char *cmd __rte_unused, const char *param,                \
	     struct rte_tel_data *d)                                         \
	{                                                                    \
		const struct vg_gw *gw = tel_enter();                        \
		int ret;                                                     \
                                                                             \
		if (gw == NULL)                                              \
			return -1;                                           \
		ret = name##_do(gw, param, d);                               \
		tel_leave();                                                 \
		return ret;                                                  \
	}

static uint64_t
ms_since(uint64_t tsc)
{
	if (tsc == 0)
		return UINT64_MAX;
	return (rte_rdtsc() - tsc) * 1000 / rte_get_tsc_hz();
}

static void
totals(const struct vg_gw *gw, uint64_t *rx, uint64_t *tx, uint64_t *drops)
{
	const struct vg_worker *w = gw->worker;

	*rx = *tx = *drops = 0;
	for (unsigned i = 0; i < gw->n_ports; i++) {
		*rx += w->port[i].rx;
		*tx += w->port[i].tx;
	}
	for (unsigned r = 1; r < VG_DROP_COUNT; r++)
		*drops += w->drops[r];
}

void
vg_stats_summary(const struct vg_gw *gw, FILE *out)
{
	static uint64_t last_rx, last_tx, last_tsc;	/* main lcore only */
	uint64_t rx, tx, drops, now = rte_rdtsc(), hz = rte_get_tsc_hz();
	double dt;

	if (last_tsc == 0)		/* first line: rate since start-up */
		last_tsc = gw->start_tsc;
	dt = (double)(now - last_tsc) / hz;
	unsigned active = 0, top = 0;

	/* Media streams: cameras and routes, not their feedback. */
	unsigned media = gw->cfg.n_cameras + gw->cfg.n_routes;

	totals(gw, &rx, &tx, &drops);
	for (unsigned i = 0; i < media; i++)
		active += ms_since(gw->streams[i].last_seen) < 5000;
	for (unsigned r = 1; r < VG_DROP_COUNT; r++)
		if (gw->worker->drops[r] > gw->worker->drops[top])
			top = r;
	fprintf(out, "vigie: up %" PRIu64 "s | rx %" PRIu64 " (%.0f pps) | "
		"tx %" PRIu64 " (%.0f pps) | streams %u/%u active | "
		"drops %" PRIu64 "%s%s%s | engine %s\n",
		(now - gw->start_tsc) / hz, rx, dt ? (rx - last_rx) / dt : 0,
		tx, dt ? (tx - last_tx) / dt : 0, active, media,
		drops, top ? " (most: " : "", top ? vg_drop_name(top) : "",
		top ? ")" : "", gw->engine_ops->name);
	fflush(out);
	last_rx = rx;
	last_tx = tx;
	last_tsc = now;
}

size_t
vg_stats_stream_bytes(const struct vg_gw *gw)
{
	const struct vg_engine *e = gw->worker->engine;

	/* Engine state, the data path's stream, its share of the flow table. */
	return e->ops->stream_size(e) + sizeof(struct vg_stream) +
	       vg_flow_bytes(gw->flows) /
	       RTE_MAX(1u, gw->cfg.n_cameras + gw->cfg.n_routes);
}

static void
dump_neighbours(const struct vg_gw *gw, FILE *out)
{
	for (unsigned i = 0; i < gw->neigh.n; i++) {
		const struct vg_neigh *n = &gw->neigh.e[i];
		const uint8_t *a = (const uint8_t *)&n->addr;
		char mac[RTE_ETHER_ADDR_FMT_SIZE] = "unresolved";

		if (n->resolved)
			rte_ether_format_addr(mac, sizeof(mac), &n->mac);
		fprintf(out, "neighbour %u.%u.%u.%u %s port %s requests %"
			PRIu64 "%s\n", a[0], a[1], a[2], a[3], mac,
			gw->ports[n->port].name, n->requests,
			n->is_static ? " static" : "");
	}
}

/* Where a protect stream's index stands: what a receiver joining it needs
 * (the ROC of the next packet), and its reservation (reserve.h). */
static void
dump_index(const struct vg_stream *s, FILE *out)
{
	uint64_t next = vg_stream_used(&s->seq);

	fprintf(out, " next-index %" PRIu64 " roc %" PRIu64 " srtcp-next %u"
		" reserved %" PRIu64 " srtcp-reserved %u policed %" PRIu64
		" unreserved %" PRIu64 " seq-jumps %u announced %" PRIu64, next,
		next >> 16, s->rtcp_next, s->rtp_limit, s->rtcp_limit,
		s->policed, s->unreserved, s->seq.seq_jumps, s->announced);
}

static void
dump_state(const struct vg_gw *gw, FILE *out)
{
	struct vg_reserve_stats st;

	vg_reserve_stats(gw, &st);
	fprintf(out, "state %s writes %" PRIu64 " write-errors %" PRIu64
		" bytes %" PRIu64 " last-write-us %" PRIu64 " resumed %u "
		"fresh %u\n", gw->cfg.state_dir, st.writes, st.write_errors,
		st.bytes, st.last_write_us, st.resumed, st.fresh);
}

void
vg_stats_dump(const struct vg_gw *gw, FILE *out)
{
	const struct vg_worker *w = gw->worker;
	char name[3 * VG_NAME_MAX];

	for (unsigned i = 0; i < gw->n_ports; i++)
		fprintf(out, "port %s rx %" PRIu64 " tx %" PRIu64 " drop %"
			PRIu64 "\n", gw->ports[i].name, w->port[i].rx,
			w->port[i].tx, w->port[i].drop);
	for (unsigned r = 1; r < VG_DROP_COUNT; r++)
		if (w->drops[r])
			fprintf(out, "drop %s %" PRIu64 "\n", vg_drop_name(r),
				w->drops[r]);
	for (unsigned i = 0; i < gw->n_streams; i++) {
		const struct vg_stream *s = &gw->streams[i];
		uint64_t ms = ms_since(s->last_seen);

		fprintf(out, "stream %s rtp %" PRIu64 " rtcp %" PRIu64
			" bytes %" PRIu64 " replay %" PRIu64 " drop %" PRIu64
			" ssrc-changes %u last-seen-ms %" PRId64 " %s",
			vg_gw_stream_name(gw, i, name, sizeof(name)), s->rtp, s->rtcp, s->bytes,
			s->replay, s->drops, s->dir == VG_DIR_PROTECT ?
			s->seq.ssrc_changes : 0,
			ms == UINT64_MAX ? (int64_t)-1 : (int64_t)ms,
			s->dir == VG_DIR_PROTECT ? "protect" : "unprotect");
		if (s->dir == VG_DIR_UNPROTECT)
			fprintf(out, " auth-fail %" PRIu64 " rx-next %" PRIu64
				" srtcp-rx-next %u announced %" PRIu64
				" resumed %u", s->auth_fail, s->rx_rtp,
				s->rx_rtcp, s->announced, s->resumed);
		else
			dump_index(s, out);
		fputc('\n', out);
	}
	fprintf(out, "local arp-replies %" PRIu64 " arp-requests %" PRIu64
		" arp-learned %" PRIu64 " echo-replies %" PRIu64 "\n",
		w->local.arp_replies, w->local.arp_requests,
		w->local.arp_learned, w->local.echo_replies);
	dump_neighbours(gw, out);
	dump_state(gw, out);
	fprintf(out, "engine %s streams %u bytes-per-stream %zu\n",
		gw->engine_ops->name, gw->n_streams, vg_stats_stream_bytes(gw));
	fflush(out);
}

/* DPDK telemetry drops dictionary keys holding anything but letters,
 * digits and '_' (silently): "not-ipv4" becomes "not_ipv4". */
static const char *
tel_key(const char *name, char *buf, size_t len)
{
	size_t i;

	for (i = 0; name[i] != '\0' && i + 1 < len; i++)
		buf[i] = isalnum((unsigned char)name[i]) ? name[i] : '_';
	buf[i] = '\0';
	return buf;
}

static int
tel_ports_do(const struct vg_gw *gw, const char *p __rte_unused,
	struct rte_tel_data *d)
{
	const struct vg_worker *w = gw->worker;
	char key[VG_NAME_MAX];

	rte_tel_data_start_dict(d);
	for (unsigned i = 0; i < gw->n_ports; i++) {
		struct rte_tel_data *c = rte_tel_data_alloc();

		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_u64(c, "rx", w->port[i].rx);
		rte_tel_data_add_dict_u64(c, "tx", w->port[i].tx);
		rte_tel_data_add_dict_u64(c, "tx_full", w->port[i].drop);
		rte_tel_data_add_dict_container(d, tel_key(gw->ports[i].name,
					key, sizeof(key)), c, 0);
	}
	return 0;
}
TEL_GUARDED(tel_ports)

static int
tel_drops_do(const struct vg_gw *gw, const char *p __rte_unused,
	struct rte_tel_data *d)
{
	char key[32];

	rte_tel_data_start_dict(d);
	for (unsigned r = 1; r < VG_DROP_COUNT; r++)
		rte_tel_data_add_dict_u64(d, tel_key(vg_drop_name(r), key,
					  sizeof(key)), gw->worker->drops[r]);
	return 0;
}
TEL_GUARDED(tel_drops)

/* /vigie/streams lists names; /vigie/streams,NAME gives one stream. */
/* A third-party receiver joining a running stream needs its ROC
 * (GStreamer srtpdec: roc= in its caps): the next packet's. */
static void
tel_index(const struct vg_stream *s, struct rte_tel_data *d)
{
	uint64_t next = vg_stream_used(&s->seq);

	rte_tel_data_add_dict_u64(d, "next_index", next);
	rte_tel_data_add_dict_u64(d, "roc", next >> 16);
	rte_tel_data_add_dict_u64(d, "srtcp_next", s->rtcp_next);
	rte_tel_data_add_dict_u64(d, "reserved", s->rtp_limit);
	rte_tel_data_add_dict_u64(d, "srtcp_reserved", s->rtcp_limit);
	rte_tel_data_add_dict_u64(d, "policed", s->policed);
	rte_tel_data_add_dict_u64(d, "unreserved", s->unreserved);
	rte_tel_data_add_dict_u64(d, "seq_jumps", s->seq.seq_jumps);
}

static int
tel_streams_do(const struct vg_gw *gw, const char *param,
	struct rte_tel_data *d)
{
	char name[3 * VG_NAME_MAX];

	for (unsigned i = 0; i < gw->n_streams; i++) {
		const struct vg_stream *s = &gw->streams[i];

		if (param == NULL ||
		    strcmp(param, vg_gw_stream_name(gw, i, name,
						    sizeof(name))))
			continue;
		rte_tel_data_start_dict(d);
		rte_tel_data_add_dict_u64(d, "rtp", s->rtp);
		rte_tel_data_add_dict_u64(d, "rtcp", s->rtcp);
		rte_tel_data_add_dict_u64(d, "bytes", s->bytes);
		rte_tel_data_add_dict_u64(d, "replay", s->replay);
		rte_tel_data_add_dict_u64(d, "drops", s->drops);
		rte_tel_data_add_dict_u64(d, "auth_fail", s->auth_fail);
		rte_tel_data_add_dict_u64(d, "ssrc_changes",
					  s->dir == VG_DIR_PROTECT ?
					  s->seq.ssrc_changes : 0);
		/* -1: never seen since start-up. */
		rte_tel_data_add_dict_int(d, "last_seen_ms", s->last_seen == 0 ?
			-1 : (int)RTE_MIN(ms_since(s->last_seen),
					  (uint64_t)INT32_MAX));
		rte_tel_data_add_dict_u64(d, "ssrc", s->ssrc);
		rte_tel_data_add_dict_u64(d, "announced", s->announced);
		if (s->dir == VG_DIR_PROTECT) {
			tel_index(s, d);
		} else {
			rte_tel_data_add_dict_u64(d, "rx_next", s->rx_rtp);
			rte_tel_data_add_dict_u64(d, "rx_roc", s->rx_rtp ?
						  (s->rx_rtp - 1) >> 16 : 0);
			rte_tel_data_add_dict_u64(d, "resumed", s->resumed);
		}
		return 0;
	}
	if (param != NULL)
		return -1;
	rte_tel_data_start_array(d, RTE_TEL_STRING_VAL);
	for (unsigned i = 0; i < gw->n_streams; i++)
		rte_tel_data_add_array_string(d, vg_gw_stream_name(gw, i,
						name, sizeof(name)));
	return 0;
}
TEL_GUARDED(tel_streams)

static int
tel_engine_do(const struct vg_gw *gw, const char *p __rte_unused,
	struct rte_tel_data *d)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "name", gw->engine_ops->name);
	rte_tel_data_add_dict_u64(d, "streams", gw->n_streams);
	rte_tel_data_add_dict_u64(d, "bytes_per_stream",
				  vg_stats_stream_bytes(gw));
	return 0;
}
TEL_GUARDED(tel_engine)

/* /vigie/reload: the start-up --config path and --state-dir, set once
 * before the command is registered. */
static const char *tel_config, *tel_state_dir;

/* Errors listed in a /vigie/reload reply: each entry takes up to
 * RTE_TEL_MAX_STRING_LEN bytes of telemetry's 16 KB reply. */
#define TEL_RELOAD_ERRORS 48

/* s as a telemetry string: cut to RTE_TEL_MAX_STRING_LEN ("..." says
 * so), and no character a JSON string would need escaped (this DPDK's
 * telemetry writes strings as they are): " becomes ', \ and controls a
 * space. */
static const char *
tel_str(const char *s, char *buf)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < RTE_TEL_MAX_STRING_LEN; i++)
		buf[i] = s[i] == '"' ? '\'' : s[i] == '\\' ||
			 (unsigned char)s[i] < 0x20 ? ' ' : s[i];
	buf[i] = '\0';
	if (s[i] != '\0')
		memcpy(buf + i - 3, "...", 3);
	return buf;
}

static struct rte_tel_data *
tel_reload_errors(const struct vg_reload_result *r)
{
	struct rte_tel_data *e = rte_tel_data_alloc();
	char buf[RTE_TEL_MAX_STRING_LEN];
	unsigned n = r->n_errors;

	if (e == NULL)
		return NULL;
	rte_tel_data_start_array(e, RTE_TEL_STRING_VAL);
	if (n > TEL_RELOAD_ERRORS)
		n = TEL_RELOAD_ERRORS - 1;	/* and the "more" entry */
	for (unsigned i = 0; i < n; i++)
		rte_tel_data_add_array_string(e, tel_str(r->errors[i], buf));
	if (n < r->n_errors) {
		snprintf(buf, sizeof(buf), "... %u more (all in the gateway's "
			 "log)", r->n_errors - n);
		rte_tel_data_add_array_string(e, buf);
	}
	return e;
}

/* /vigie/reload[,PATH]: check PATH (default: the start-up --config)
 * against the running configuration, as SIGHUP does; logged too.  Reads
 * only the configuration, frozen since start-up; no worker state. */
static int
tel_reload_do(const struct vg_gw *gw, const char *param,
	struct rte_tel_data *d)
{
	const char *path = param != NULL && *param ? param : tel_config;
	char buf[RTE_TEL_MAX_STRING_LEN];
	struct vg_reload_result r;
	struct rte_tel_data *e;

	vg_reload_check(&gw->cfg, path, tel_state_dir, &r);
	vg_reload_log(&r, path, stdout);
	e = tel_reload_errors(&r);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_string(d, "status", r.status == VG_RELOAD_VALID ?
				     "valid" : "refused");
	/* 0: this DPDK's telemetry has no boolean. */
	rte_tel_data_add_dict_int(d, "applied", 0);
	rte_tel_data_add_dict_string(d, "file", tel_str(path, buf));
	rte_tel_data_add_dict_string(d, "summary", tel_str(r.summary, buf));
	if (r.status == VG_RELOAD_VALID)
		rte_tel_data_add_dict_string(d, "note", VG_RELOAD_NOT_APPLIED);
	if (e != NULL)
		rte_tel_data_add_dict_container(d, "errors", e, 0);
	vg_reload_result_free(&r);
	return e != NULL ? 0 : -1;
}
TEL_GUARDED(tel_reload)

int
vg_stats_telemetry_reload(const char *config, const char *state_dir)
{
	tel_config = config;
	tel_state_dir = state_dir;
	return rte_telemetry_register_cmd("/vigie/reload", tel_reload,
			"Check a configuration (default: the start-up one) "
			"against the running one; not applied");
}

void
vg_stats_telemetry_stop(void)
{
	__atomic_store_n(&tel_gw, NULL, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&tel_busy, __ATOMIC_SEQ_CST) != 0)
		rte_delay_us_sleep(1000);
}

int
vg_stats_telemetry_register(struct vg_gw *gw)
{
	__atomic_store_n(&tel_gw, gw, __ATOMIC_SEQ_CST);
	return rte_telemetry_register_cmd("/vigie/ports", tel_ports,
			"Per-port rx, tx and tx_full counters") |
	       rte_telemetry_register_cmd("/vigie/drops", tel_drops,
			"Dropped packets by reason") |
	       rte_telemetry_register_cmd("/vigie/streams", tel_streams,
			"Stream names; with ,NAME that stream's counters") |
	       rte_telemetry_register_cmd("/vigie/engine", tel_engine,
			"SRTP engine in use and memory per stream");
}
