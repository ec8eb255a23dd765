/* SPDX-License-Identifier: BSD-3-Clause */
/* Durable index reservations: see reserve.h.  Main lcore only. */
#include <errno.h>
#include <stdbool.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <rte_cycles.h>
#include "flow.h"
#include "gw.h"
#include "reserve.h"
#include "state.h"
#include "worker.h"

#define ERROR_LOG_S 10		/* a failing disk is logged this often */

#define RX_SAVE_S 5		/* receiver state saved this often */

struct vg_reserve {
	struct vg_state *st;
	struct vg_state_rec *recs;	/* n_own own records, then carried */
	unsigned n_recs;
	unsigned n_own;			/* own records: every stream's */
	uint32_t *own_id;		/* own record k -> stream id */
	uint64_t next_rx_save;		/* tsc */
	uint64_t asks_seen;		/* the worker's ask count, last read */
	uint64_t next_error_log;	/* tsc */
	uint64_t next_retry;		/* tsc: a failed write is retried */
	bool failing;			/* the last write failed */
	struct vg_reserve_stats stats;
};


/* A protect stream starts at its durable limit (0 / SRTCP 1: a key's
 * first use); a receiver resumes where it was (the engine is told when
 * the worker sets its streams up). */
static void
start_stream(struct vg_stream *s, struct vg_state_rec *rec,
	     const struct vg_state_rec *o)
{
	rec->rtp = o ? o->rtp : 0;
	if (rec->kind == VG_STATE_RX) {
		rec->rtcp = o ? o->rtcp : 0;
		s->rx_rtp = rec->rtp;
		s->rx_rtcp = rec->rtcp;
		return;
	}
	rec->rtcp = o && o->rtcp > 1 ? o->rtcp : 1;
	vg_stream_seq_init(&s->seq, rec->rtp);
	s->rtcp_next = rec->rtcp;
}

/* Own records for every stream, from the file's if it has one.  Returns
 * the number of protect streams that continue. */
static unsigned
own_records(struct vg_gw *gw, struct vg_reserve *r,
	    const struct vg_state_rec *old, unsigned n_old)
{
	unsigned resumed = 0;

	for (unsigned id = 0; id < gw->n_streams; id++) {
		struct vg_stream *s = &gw->streams[id];
		struct vg_state_rec *rec = &r->recs[r->n_own];
		const struct vg_state_rec *o;
		const struct vg_master_key *key;
		struct vg_state_rec found;
		enum vg_suite suite;

		memset(rec, 0, sizeof(*rec));
		vg_flow_id_key(&gw->cfg, id, &suite, &key, &rec->ssrc);
		rec->kind = s->dir == VG_DIR_PROTECT ? VG_STATE_TX : VG_STATE_RX;
		o = vg_state_find_stream(old, n_old, suite, key->bytes, key->len,
					 rec->ssrc, (enum vg_state_kind)rec->kind,
					 rec->fp, &found);
		resumed += o != NULL && rec->kind == VG_STATE_TX;
		start_stream(s, rec, o);
		r->own_id[r->n_own++] = id;
	}
	return resumed;
}

/* Records of the file that no configured stream took: kept as they are. */
static void
carry_records(struct vg_reserve *r, const struct vg_state_rec *old,
	      unsigned n_old)
{
	struct vg_state_rec *own = malloc(sizeof(*own) * (r->n_own ? r->n_own : 1));

	if (own == NULL)
		return;			/* only the sort is lost: none kept */
	memcpy(own, r->recs, sizeof(*own) * r->n_own);
	vg_state_sort(own, r->n_own);
	for (unsigned i = 0; i < n_old; i++)
		if (vg_state_find(own, r->n_own, old[i].fp, old[i].ssrc,
				  (enum vg_state_kind)old[i].kind) == NULL)
			r->recs[r->n_recs++] = old[i];
	free(own);
}

static uint64_t
now_us(void)
{
	return rte_rdtsc() / (rte_get_tsc_hz() / 1000000 + 1);
}

static int
write_file(struct vg_reserve *r, char *err, size_t errlen)
{
	uint64_t t0 = now_us();

	if (vg_state_write(r->st, r->recs, r->n_recs, err, errlen) < 0) {
		r->stats.write_errors++;
		r->failing = true;
		r->next_retry = rte_rdtsc() + rte_get_tsc_hz() / 10;
		return -1;
	}
	r->stats.writes++;
	r->stats.bytes = vg_state_file_size(r->n_recs);
	r->stats.last_write_us = now_us() - t0;
	return 0;
}

/* Whether a protect stream has used half of its published reservation. */
static bool
low(const struct vg_stream *s)
{
	uint64_t used = vg_stream_used(&s->seq), lim = s->rtp_limit;
	uint32_t rused = __atomic_load_n(&s->rtcp_next, __ATOMIC_RELAXED);
	uint32_t rlim = s->rtcp_limit;

	return (lim < VG_INDEX_END &&
		lim - RTE_MIN(used, lim) <= VG_RESERVE_AHEAD / 2) ||
	       (rlim < VG_SRTCP_INDEX_END &&
		rlim - RTE_MIN(rused, rlim) <= VG_RESERVE_RTCP_AHEAD / 2);
}

/* When a stream has used half of its reservation (or force): every
 * protect stream's record to VG_RESERVE_AHEAD above what it has used,
 * never lower than before, so that the next write is as far off as can
 * be.  Returns whether it did (the records are then to be written). */
static bool
raise_limits(struct vg_gw *gw, struct vg_reserve *r, bool force)
{
	bool need = force;

	for (unsigned k = 0; k < r->n_own && !need; k++)
		need = r->recs[k].kind == VG_STATE_TX &&
		       low(&gw->streams[r->own_id[k]]);
	for (unsigned k = 0; k < r->n_own && need; k++) {
		const struct vg_stream *s = &gw->streams[r->own_id[k]];
		struct vg_state_rec *rec = &r->recs[k];
		uint64_t rtp, rtcp;

		if (rec->kind != VG_STATE_TX)
			continue;
		rtp = RTE_MIN(vg_stream_used(&s->seq) + VG_RESERVE_AHEAD,
			    VG_INDEX_END);
		rtcp = RTE_MIN((uint64_t)__atomic_load_n(&s->rtcp_next,
						       __ATOMIC_RELAXED) +
			     VG_RESERVE_RTCP_AHEAD, VG_SRTCP_INDEX_END);
		if (rtp > rec->rtp)
			rec->rtp = rtp;
		if (rtcp > rec->rtcp)
			rec->rtcp = (uint32_t)rtcp;
	}
	return need;
}

/* Durable: the worker may use them now. */
static void
publish(struct vg_gw *gw, struct vg_reserve *r, FILE *out)
{
	for (unsigned k = 0; k < r->n_own; k++) {
		struct vg_stream *s = &gw->streams[r->own_id[k]];
		const struct vg_state_rec *rec = &r->recs[k];
		char name[2 * VG_NAME_MAX + 16];

		if (rec->kind != VG_STATE_TX)
			continue;
		if ((rec->rtp == VG_INDEX_END && s->rtp_limit != VG_INDEX_END) ||
		    (rec->rtcp == VG_SRTCP_INDEX_END &&
		     s->rtcp_limit != VG_SRTCP_INDEX_END))
			fprintf(out, "vigie: stream %s: the index space of its "
				"key ends within %u packets: configure a new "
				"key (and a new state for it) before then\n",
				vg_gw_stream_name(gw, r->own_id[k], name,
						  sizeof(name)),
				VG_RESERVE_AHEAD);
		__atomic_store_n(&s->rtp_limit, rec->rtp, __ATOMIC_RELAXED);
		__atomic_store_n(&s->rtcp_limit, rec->rtcp, __ATOMIC_RELAXED);
	}
}

static int
alloc_reserve(struct vg_reserve **rp, unsigned n_streams, unsigned n_old,
	      char *err, size_t errlen)
{
	struct vg_reserve *r = calloc(1, sizeof(*r));

	*rp = r;
	if (r != NULL) {
		r->recs = calloc((size_t)n_streams + n_old + 1, sizeof(*r->recs));
		r->own_id = calloc((size_t)n_streams + 1, sizeof(*r->own_id));
	}
	if (r == NULL || r->recs == NULL || r->own_id == NULL) {
		snprintf(err, errlen, "state: out of memory for %u streams",
			 n_streams);
		return -1;
	}
	return 0;
}

static void
free_reserve(struct vg_reserve *r)
{
	if (r == NULL)
		return;
	vg_state_close(r->st);
	free(r->recs);
	free(r->own_id);
	free(r);
}

int
vg_reserve_open(struct vg_gw *gw, FILE *out, char *err, size_t errlen)
{
	struct vg_state_rec *old = NULL;
	struct vg_state *st;
	struct vg_reserve *r = NULL;
	unsigned n_old = 0;
	char e[512];

	st = vg_state_open(gw->cfg.state_dir, err, errlen);
	if (st == NULL)
		return -1;
	if (vg_state_read(st, &old, &n_old, err, errlen) < 0 ||
	    alloc_reserve(&r, gw->n_streams, n_old, err, errlen) < 0)
		goto err_free;
	r->st = st;
	st = NULL;
	vg_state_sort(old, n_old);
	r->stats.resumed = own_records(gw, r, old, n_old);
	for (unsigned k = 0; k < r->n_own; k++)
		r->stats.fresh += r->recs[k].kind == VG_STATE_TX;
	r->stats.fresh -= r->stats.resumed;
	r->n_recs = r->n_own;
	carry_records(r, old, n_old);
	raise_limits(gw, r, true);
	if (write_file(r, e, sizeof(e)) < 0) {
		snprintf(err, errlen, "%s", e);
		goto err_free;
	}
	publish(gw, r, out);
	fprintf(out, "vigie: state %s: %u protect streams continue above "
		"their reserved indexes, %u start fresh (first use of their "
		"key and SSRC), %u other records kept\n", gw->cfg.state_dir,
		r->stats.resumed, r->stats.fresh, r->n_recs - r->n_own);
	free(old);
	gw->reserve = r;
	return 0;

err_free:
	free(old);
	free_reserve(r);
	vg_state_close(st);
	return -1;
}

static void
log_error(struct vg_reserve *r, FILE *out, const char *e)
{
	uint64_t now = rte_rdtsc();

	if (now < r->next_error_log)
		return;
	r->next_error_log = now + ERROR_LOG_S * rte_get_tsc_hz();
	fprintf(out, "vigie: error: cannot reserve SRTP indexes: %s; streams "
		"stop (drop reason no-reservation) when their reservation is "
		"used up (%" PRIu64 " write errors so far)\n", e,
		r->stats.write_errors);
	fflush(out);
}

/* The receivers' last authenticated indexes into the records: true if
 * any moved (they are saved every RX_SAVE_S then). */
static bool
rx_records(struct vg_gw *gw, struct vg_reserve *r)
{
	bool moved = false;

	for (unsigned k = 0; k < r->n_own; k++) {
		const struct vg_stream *s = &gw->streams[r->own_id[k]];
		struct vg_state_rec *rec = &r->recs[k];
		uint64_t rtp = __atomic_load_n(&s->rx_rtp, __ATOMIC_RELAXED);
		uint32_t rtcp = __atomic_load_n(&s->rx_rtcp, __ATOMIC_RELAXED);

		if (rec->kind != VG_STATE_RX ||
		    (rtp == rec->rtp && rtcp == rec->rtcp))
			continue;
		rec->rtp = rtp;
		rec->rtcp = rtcp;
		moved = true;
	}
	return moved;
}

/* Whether to write now: the worker asked for more indexes, the last
 * write failed (retried every 100 ms), or receivers moved since the last
 * save RX_SAVE_S ago. */
static bool
due(struct vg_gw *gw, struct vg_reserve *r)
{
	uint64_t asks = __atomic_load_n(&gw->worker->reserve_asks,
					__ATOMIC_RELAXED), now = rte_rdtsc();
	bool need = false;

	if (r->failing && now < r->next_retry)
		return false;
	if (now >= r->next_rx_save) {
		r->next_rx_save = now + RX_SAVE_S * rte_get_tsc_hz();
		need = rx_records(gw, r);
	}
	if (asks != r->asks_seen || r->failing) {
		r->asks_seen = asks;
		need |= raise_limits(gw, r, r->failing);
	}
	return need;
}

int
vg_reserve_tick(struct vg_gw *gw, FILE *out)
{
	struct vg_reserve *r = gw->reserve;
	char e[512];

	if (r == NULL || gw->worker == NULL || !due(gw, r))
		return 0;
	if (write_file(r, e, sizeof(e)) < 0) {
		log_error(r, out, e);
		return -1;
	}
	if (r->failing) {
		fprintf(out, "vigie: state %s: reservations written again\n",
			gw->cfg.state_dir);
		r->failing = false;
	}
	publish(gw, r, out);
	return 1;
}

int
vg_reserve_close(struct vg_gw *gw, FILE *out)
{
	struct vg_reserve *r = gw->reserve;
	int ret = 0;
	char e[512];

	if (r == NULL)
		return 0;
	for (unsigned k = 0; k < r->n_own; k++) {
		const struct vg_stream *s = &gw->streams[r->own_id[k]];

		if (r->recs[k].kind != VG_STATE_TX)
			continue;
		r->recs[k].rtp = vg_stream_used(&s->seq);
		r->recs[k].rtcp = s->rtcp_next;
	}
	rx_records(gw, r);
	if (write_file(r, e, sizeof(e)) < 0) {
		fprintf(out, "vigie: error: state not updated at stop (%s); "
			"the reservations on disk still hold\n", e);
		ret = -1;
	}
	free_reserve(r);
	gw->reserve = NULL;
	return ret;
}

void
vg_reserve_stats(const struct vg_gw *gw, struct vg_reserve_stats *st)
{
	if (gw->reserve != NULL)
		*st = gw->reserve->stats;
	else
		memset(st, 0, sizeof(*st));
}
