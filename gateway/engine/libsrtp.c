/* SPDX-License-Identifier: BSD-3-Clause */
/* The reference SRTP engine: one libsrtp session per stream, protected one
 * packet at a time with srtp_protect()/srtp_protect_rtcp() or, for the
 * streams of stream_add_in, unprotected with srtp_unprotect() and
 * srtp_unprotect_rtcp().
 *
 * Each session holds exactly one stream, keyed to the configured SSRC
 * (ssrc_specific), so that a packet whose SSRC does not match is refused
 * instead of silently getting a new stream from a template.  Key material
 * is handed to libsrtp and never copied, printed or logged here. */
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <srtp2/srtp.h>

#include "bytes.h"
#include "engine.h"
#include "policy.h"
#include "replay.h"
#include "srtcp.h"

#define MEASURE_SAMPLE 64	/* sessions whose heap use is measured */

/* Packets a sender may reorder before libsrtp refuses the older ones
 * (RFC 3711 §3.3.2 allows any size; libsrtp's default is 128). */
#define LIBSRTP_WINDOW VG_UNPROTECT_WINDOW

/* One stream: a session that either protects (stream_add) or unprotects
 * (stream_add_in), never both. */
struct slot {
	srtp_t session;			/* NULL if unused */
	/* In-streams: the highest index libsrtp accepted.  libsrtp keeps
	 * its own (rdbx) but does not say which index a packet had; the
	 * same estimate over the same top gives it (vg_replay_guess).
	 * Out-streams: the last index protected + 1 (0: none yet). */
	uint64_t top;
	/* Out-streams: SRTCP at an index the gateway chose.  libsrtp 2.5
	 * can only start a sender's SRTCP index at 1 (no API sets it), so
	 * a stream that continues above a reservation after a restart goes
	 * through srtcp.c, held byte-identical to libsrtp (test_srtcp). */
	struct vg_srtcp_stream *rtcp;
	/* In-streams resumed (rx_set): libsrtp cannot be told that indexes
	 * below a point were accepted, nor where SRTCP stands, so those are
	 * refused here; and its ROC estimate is set, packet by packet,
	 * until one authenticates. */
	uint64_t floor;			/* SRTP indexes below: replay */
	uint32_t rtcp_floor;		/* SRTCP indexes below: replay */
	bool resume;			/* set libsrtp's ROC before each */
	bool aead;			/* where the SRTCP index sits */
	uint8_t rtcp_tag;
	bool in;
};

struct libsrtp_engine {
	struct vg_engine hdr;		/* must stay first */
	struct vg_srtcp_ctx *srtcp;	/* OpenSSL contexts for slot.rtcp */
	unsigned max_streams;
	size_t probe_bytes;		/* heap of one session, measured at create */
	size_t measured_bytes;		/* heap of the sessions added so far */
	unsigned measured_streams;
	struct slot slots[];		/* indexed by stream id */
};

/* srtp_init() sets up libsrtp's process-wide crypto kernel (and here its
 * NSS or OpenSSL backend); it must run once before any session, from
 * whichever lcore creates the first engine. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static srtp_err_status_t init_status = srtp_err_status_init_fail;

static void
init_library(void)
{
	init_status = srtp_init();
}

static struct libsrtp_engine *
to_libsrtp(struct vg_engine *e)
{
	return (struct libsrtp_engine *)e;
}

/* Bytes currently allocated from the C heap, over all arenas. */
static size_t
heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

/* Create a session and account for the heap it took.  The measure is an
 * estimate: another thread allocating at the same moment skews it, so a
 * sample that went backwards is not counted. */
static srtp_err_status_t
create_measured(srtp_t *s, const srtp_policy_t *p, size_t *bytes)
{
	size_t before, after;
	srtp_err_status_t st;

	before = heap_in_use();
	st = srtp_create(s, p);
	after = heap_in_use();
	*bytes = after > before ? after - before : 0;
	return st;
}

/* Throw-away sessions of the default suite (all-zero key) give
 * stream_size an honest answer before any stream is configured.  The
 * first session can make the crypto backend allocate shared state (about
 * 75 kB with Debian's NSS build), so only the second one is measured. */
static void
probe_stream_size(struct libsrtp_engine *le)
{
	const struct vg_suite_info *si =
	    vg_suite_get(VG_SUITE_AES_CM_128_HMAC_SHA1_80);
	struct vg_master_key zero = { .len = si->key_len + si->salt_len };
	srtp_policy_t p;
	srtp_t warm, s;
	size_t ignored;
	char err[8];

	if (vg_policy_build(&p, VG_SUITE_AES_CM_128_HMAC_SHA1_80, &zero, 0,
			    LIBSRTP_WINDOW, err, sizeof(err)) != 0)
		return;
	if (create_measured(&warm, &p, &ignored) != srtp_err_status_ok)
		return;
	p.ssrc.value = 1;
	if (create_measured(&s, &p, &le->probe_bytes) == srtp_err_status_ok)
		srtp_dealloc(s);
	else
		le->probe_bytes = 0;
	srtp_dealloc(warm);
}

static struct vg_engine *
libsrtp_create(const struct vg_engine_params *p, char *err, size_t errlen)
{
	unsigned max_streams = p->max_streams;
	struct libsrtp_engine *le;

	pthread_once(&init_once, init_library);
	if (init_status != srtp_err_status_ok) {
		snprintf(err, errlen, "libsrtp: srtp_init failed (status %d)",
			 (int)init_status);
		return NULL;
	}
	/* No overflow: an unsigned count times a pointer fits size_t on
	 * the 64-bit targets DPDK supports. */
	le = calloc(1, sizeof(*le) + (size_t)max_streams * sizeof(struct slot));
	if (le == NULL) {
		snprintf(err, errlen, "libsrtp: out of memory for %u streams",
			 max_streams);
		return NULL;
	}
	le->srtcp = vg_srtcp_ctx_new();
	if (le->srtcp == NULL) {
		free(le);
		snprintf(err, errlen, "libsrtp: OpenSSL cannot allocate");
		return NULL;
	}
	le->hdr.ops = &vg_engine_libsrtp;
	le->max_streams = max_streams;
	probe_stream_size(le);
	return &le->hdr;
}

/* Derived SRTCP keys are wiped before their memory goes back. */
static void
free_rtcp(struct slot *sl)
{
	if (sl->rtcp == NULL)
		return;
	vg_kdf_wipe(&sl->rtcp->keys);
	free(sl->rtcp);
	sl->rtcp = NULL;
}

static void
libsrtp_destroy(struct vg_engine *e)
{
	struct libsrtp_engine *le;
	unsigned i;

	if (e == NULL)
		return;
	le = to_libsrtp(e);
	/* srtp_dealloc wipes the session keys before freeing them. */
	for (i = 0; i < le->max_streams; i++) {
		if (le->slots[i].session != NULL)
			srtp_dealloc(le->slots[i].session);
		free_rtcp(&le->slots[i]);
	}
	vg_srtcp_ctx_free(le->srtcp);
	free(le);
}

static int
add_rtcp(struct vg_srtcp_stream **out, enum vg_suite suite,
	 const struct vg_master_key *key, uint32_t ssrc, char *err,
	 size_t errlen)
{
	struct vg_srtcp_stream *r = calloc(1, sizeof(*r));

	if (r == NULL || vg_srtcp_stream_init(r, suite, key, ssrc) < 0) {
		if (r != NULL)
			vg_kdf_wipe(&r->keys);
		free(r);
		snprintf(err, errlen, "libsrtp: cannot derive the SRTCP keys");
		return -1;
	}
	*out = r;
	return 0;
}

/* A session for stream id, protecting or (in) unprotecting: the same
 * policy (vg_policy_build, ssrc_specific, window 1024) either way. */
static int
add_session(struct libsrtp_engine *le, uint32_t id, enum vg_suite suite,
	    const struct vg_master_key *key, uint32_t ssrc, bool in,
	    char *err, size_t errlen)
{
	struct vg_srtcp_stream *rtcp = NULL;
	srtp_policy_t policy;
	srtp_err_status_t st;
	srtp_t s;
	size_t bytes;

	if (id >= le->max_streams) {
		snprintf(err, errlen, "stream id %u out of range (max %u)",
			 id, le->max_streams);
		return -1;
	}
	if (vg_policy_build(&policy, suite, key, ssrc, LIBSRTP_WINDOW, err, errlen) != 0)
		return -1;
	/* mallinfo2() walks the whole heap: measuring every session would
	 * make adding N streams quadratic (minutes at 100,000).  A sample of
	 * the first sessions gives the average. */
	if (le->measured_streams < MEASURE_SAMPLE) {
		st = create_measured(&s, &policy, &bytes);
	} else {
		st = srtp_create(&s, &policy);
		bytes = 0;
	}
	if (st != srtp_err_status_ok) {
		/* A suite this libsrtp build lacks (GCM needs a crypto
		 * backend) fails here, at configuration time. */
		snprintf(err, errlen, "libsrtp: cannot create a %s session "
			 "(status %d)", vg_suite_get(suite)->name, (int)st);
		return -1;
	}
	if (!in && add_rtcp(&rtcp, suite, key, ssrc, err, errlen) < 0) {
		srtp_dealloc(s);
		return -1;
	}
	/* Re-adding an id (re-keying) replaces its session only once the
	 * new one exists, so a failure leaves the old one running. */
	if (le->slots[id].session != NULL)
		srtp_dealloc(le->slots[id].session);
	free_rtcp(&le->slots[id]);
	le->slots[id] = (struct slot){ .session = s, .in = in, .rtcp = rtcp,
		.aead = vg_suite_get(suite)->aead,
		.rtcp_tag = vg_suite_get(suite)->rtcp_tag_len };
	if (bytes > 0) {
		le->measured_bytes += bytes;
		le->measured_streams++;
	}
	return 0;
}

static int
libsrtp_stream_add(struct vg_engine *e, uint32_t id, enum vg_suite suite,
		   const struct vg_master_key *key, uint32_t ssrc,
		   char *err, size_t errlen)
{
	return add_session(to_libsrtp(e), id, suite, key, ssrc, false, err,
			   errlen);
}

static int
libsrtp_stream_add_in(struct vg_engine *e, uint32_t id, enum vg_suite suite,
		      const struct vg_master_key *key, uint32_t ssrc,
		      char *err, size_t errlen)
{
	return add_session(to_libsrtp(e), id, suite, key, ssrc, true, err,
			   errlen);
}

/* libsrtp status to drop reason.  libsrtp keeps its own window of the
 * indexes it has protected (allow_repeat_tx = 0) and refuses to encrypt
 * one twice: a second line of defence behind the gateway's own replay
 * window, which normally drops such packets before they get here. */
static uint8_t
drop_reason(srtp_err_status_t st)
{
	switch (st) {
	case srtp_err_status_ok:
		return VG_DROP_NONE;
	case srtp_err_status_replay_fail:
	case srtp_err_status_replay_old:
		return VG_DROP_REPLAY;
	default:
		return VG_DROP_PROTECT_FAIL;
	}
}

/* libsrtp estimates a sender's index from SEQ and its own history, as a
 * receiver does: it must land on the gateway's index.  A session's first
 * packet above ROC 0 (a stream that continues after a restart) gets its
 * ROC set; a later jump of 2^15 or more, which the gateway never makes,
 * would be misread, so it is refused. */
static bool
roc_agrees(struct slot *sl, const struct vg_crypto_op *op)
{
	uint32_t ssrc;

	if (op->len < 12)
		return true;		/* libsrtp refuses it itself */
	if (sl->top != 0)
		return op->index < sl->top + (1u << 15) - 1;
	if (op->index >> 16 == 0)
		return true;
	ssrc = vg_get_be32(op->data + 8);
	return srtp_set_stream_roc(sl->session, ssrc,
				   (uint32_t)(op->index >> 16)) ==
	       srtp_err_status_ok;
}

static void
protect_one(struct slot *sl, struct vg_crypto_op *op)
{
	srtp_err_status_t st;
	int len = (int)op->len;

	if (op->rtcp) {
		st = srtp_protect_rtcp(sl->session, op->data, &len);
	} else {
		if (!roc_agrees(sl, op)) {
			op->status = VG_DROP_PROTECT_FAIL;
			return;
		}
		st = srtp_protect(sl->session, op->data, &len);
		if (st == srtp_err_status_ok && op->index >= sl->top)
			sl->top = op->index + 1;
	}
	op->status = drop_reason(st);
	if (st == srtp_err_status_ok)
		op->len = (uint32_t)len;
}

static void
libsrtp_protect_burst(struct vg_engine *e, struct vg_crypto_op *ops,
		      uint16_t n)
{
	struct libsrtp_engine *le = to_libsrtp(e);
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct vg_crypto_op *op = &ops[i];

		if (op->stream >= le->max_streams ||
		    le->slots[op->stream].session == NULL ||
		    le->slots[op->stream].in ||
		    op->len > INT_MAX - VG_SRTP_MAX_TRAILER) {
			op->status = VG_DROP_PROTECT_FAIL;
			continue;
		}
		if (op->rtcp && op->index != 0)
			op->status = vg_srtcp_protect_at(le->srtcp,
				le->slots[op->stream].rtcp, op->index, op->data,
				&op->len) == 0 ? VG_DROP_NONE :
				VG_DROP_PROTECT_FAIL;
		else
			protect_one(&le->slots[op->stream], op);
	}
}

/* Unprotect status to drop reason: no_ctx (another SSRC), bad_param and
 * parse_err (too short), cant_check (SRTCP E bit clear) and the rest are
 * all a packet this stream cannot take. */
static uint8_t
unprotect_reason(srtp_err_status_t st)
{
	switch (st) {
	case srtp_err_status_ok:
		return VG_DROP_NONE;
	case srtp_err_status_auth_fail:
		return VG_DROP_AUTH_FAIL;
	case srtp_err_status_replay_fail:
	case srtp_err_status_replay_old:
		return VG_DROP_REPLAY;
	default:
		return VG_DROP_UNPROTECT_FAIL;
	}
}

static srtp_err_status_t
unprotect_rtcp(struct slot *sl, struct vg_crypto_op *op, int *len)
{
	int64_t idx = vg_srtcp_index_of(op->data, op->len, sl->aead,
					sl->rtcp_tag);
	srtp_err_status_t st;

	if (idx >= 0 && (uint64_t)idx < sl->rtcp_floor)
		return srtp_err_status_replay_old;
	st = srtp_unprotect_rtcp(sl->session, op->data, len);
	if (st == srtp_err_status_ok)
		op->index = (uint64_t)idx;
	return st;
}

static srtp_err_status_t
unprotect_rtp(struct slot *sl, struct vg_crypto_op *op, int *len)
{
	srtp_err_status_t st;
	uint64_t idx = 0;

	/* libsrtp refuses anything shorter than a header before looking at
	 * the sequence number. */
	if (op->len >= 12) {
		idx = vg_replay_guess(sl->top, vg_get_be16(op->data + 2));
		if (idx < sl->floor)
			return srtp_err_status_replay_old;
		if (sl->resume)
			srtp_set_stream_roc(sl->session,
					    vg_get_be32(op->data + 8),
					    (uint32_t)(idx >> 16));
	}
	st = srtp_unprotect(sl->session, op->data, len);
	if (st == srtp_err_status_ok) {
		op->index = idx;
		sl->resume = false;
		if (idx > sl->top)
			sl->top = idx;
	}
	return st;
}

static void
unprotect_one(struct slot *sl, struct vg_crypto_op *op)
{
	srtp_err_status_t st;
	int len = (int)op->len;

	st = op->rtcp ? unprotect_rtcp(sl, op, &len) :
			unprotect_rtp(sl, op, &len);
	op->status = unprotect_reason(st);
	if (st == srtp_err_status_ok)
		op->len = (uint32_t)len;
}

static int
libsrtp_rx_set(struct vg_engine *e, uint32_t id, uint64_t rtp, uint32_t rtcp)
{
	struct libsrtp_engine *le = to_libsrtp(e);
	struct slot *sl;

	if (id >= le->max_streams || le->slots[id].session == NULL ||
	    !le->slots[id].in)
		return -1;
	sl = &le->slots[id];
	if (rtp > sl->floor && rtp - 1 >= sl->top) {
		sl->top = rtp - 1;
		sl->floor = rtp;
		sl->resume = true;
	}
	if (rtcp > sl->rtcp_floor)
		sl->rtcp_floor = rtcp;
	return 0;
}

static void
libsrtp_unprotect_burst(struct vg_engine *e, struct vg_crypto_op *ops,
			uint16_t n)
{
	struct libsrtp_engine *le = to_libsrtp(e);

	for (uint16_t i = 0; i < n; i++) {
		struct vg_crypto_op *op = &ops[i];

		if (op->stream >= le->max_streams ||
		    le->slots[op->stream].session == NULL ||
		    !le->slots[op->stream].in || op->len > INT_MAX) {
			op->status = VG_DROP_UNPROTECT_FAIL;
			continue;
		}
		unprotect_one(&le->slots[op->stream], op);
	}
}

/* Heap per stream as measured on the sessions actually created (their
 * average: suites differ), plus the stream's slot in our table.  Under
 * an allocator that keeps no glibc statistics (valgrind, a preloaded
 * malloc) the heap part reads 0. */
static size_t
libsrtp_stream_size(const struct vg_engine *e)
{
	const struct libsrtp_engine *le = (const struct libsrtp_engine *)e;
	size_t heap;

	if (le->measured_streams > 0)
		heap = le->measured_bytes / le->measured_streams;
	else
		heap = le->probe_bytes;
	return heap + sizeof(struct slot);
}

const struct vg_engine_ops vg_engine_libsrtp = {
	.name = "libsrtp",
	.create = libsrtp_create,
	.destroy = libsrtp_destroy,
	.stream_add = libsrtp_stream_add,
	.protect_burst = libsrtp_protect_burst,
	.stream_add_in = libsrtp_stream_add_in,
	.unprotect_burst = libsrtp_unprotect_burst,
	.rx_set = libsrtp_rx_set,
	.stream_size = libsrtp_stream_size,
};
