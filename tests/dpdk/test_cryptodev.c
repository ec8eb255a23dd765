/* SPDX-License-Identifier: BSD-3-Clause */
/* The cryptodev engine (crypto_aesni_mb, crypto_aesni_gcm) against
 *  - the known-answer packets of tests/unit/kat.h (RFC 3711 B.3 keys, RFC
 *    7714 GCM via the independent reference), and
 *  - libsrtp, byte for byte: many random master keys, SSRCs and header shapes
 *    (CSRCs, extensions, 0-16 byte payloads such as SPS/PPS), sequences that
 *    wrap (ROC 0 -> 1), reordering and duplicates, in mixed bursts of many
 *    streams and suites.  Every cryptodev packet must be identical to
 *    libsrtp's, decrypt with a libsrtp receiver, and the packets the gateway
 *    refuses as replays must be the ones libsrtp refuses;
 *  - libsrtp's receiver: cryptodev unprotect and libsrtp engine unprotect
 *    side by side over the same deliveries of SRTP and SRTCP (in order,
 *    duplicated, reordered within the window, too old, bit-flipped in
 *    header, payload or tag), in mixed bursts: the same verdict for every
 *    packet, the same plain bytes and index for every accepted one.
 * A third of the streams share a master key with another stream of their
 * suite (as cameras share their center's key), so that streams sharing one
 * cryptodev session are cross-checked too; test_shared_sessions checks the
 * sharing itself.
 * All of it runs twice: on the CPU PMDs the gateway uses by default
 * (crypto_aesni_mb: AES-CM through enqueue/dequeue; crypto_aesni_gcm: GCM
 * through CPU crypto), then on crypto_openssl for every suite, a PMD without
 * CPU crypto, so that GCM goes through enqueue/dequeue both ways as on a
 * hardware device (QAT) and nothing assumes a multi-buffer PMD.
 * Needs EAL (no hugepages: --no-huge). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <srtp2/srtp.h>
#include <rte_cryptodev.h>
#include <rte_eal.h>
#include <rte_mbuf.h>
#include "bytes.h"
#include "cdev.h"		/* white-box: a device that loses ops */
#include "engine.h"
#include "harness.h"
#include "kat.h"
#include "stream.h"

#define STREAMS 48
#define PACKETS 24000
#define BURST 32
#define BUF 1600

static struct rte_mempool *mp;
static const char *dev_cm, *dev_gcm;	/* the devices under test */

struct tstream {
	enum vg_suite suite;
	struct vg_master_key key;
	uint32_t ssrc;
	uint16_t next_seq;		/* camera's next sequence number */
	struct vg_stream_seq seq;	/* the gateway's index state */
	uint32_t rtcp_next;		/* SRTCP index the gateway gives, 0:
					 * the engine's own (from 1) */
	srtp_t rx;			/* independent libsrtp receiver */
};

static struct tstream ts[STREAMS];

static struct vg_engine *
engine(const struct vg_engine_ops *ops, unsigned n)
{
	struct vg_engine_params p = { .max_streams = n,
		.cryptodev = dev_cm, .cryptodev_gcm = dev_gcm };
	char err[256] = "";
	struct vg_engine *e = ops->create(&p, err, sizeof(err));

	CHECK(e != NULL, "%s: %s", ops->name, err);
	return e;
}

/* The engine's own counters (its stats op). */
static struct vg_engine_stats
stats_of(const struct vg_engine *e)
{
	struct vg_engine_stats st = { 0 };

	CHECK(e->ops->stats != NULL, "%s: a stats op", e->ops->name);
	if (e->ops->stats != NULL)
		e->ops->stats(e, &st);
	return st;
}

static unsigned
sessions(const struct vg_engine *e)
{
	return stats_of(e).sessions;
}

static uint64_t
lost_ops(const struct vg_engine *e)
{
	return stats_of(e).lost_ops;
}

static uint64_t
late_ops(const struct vg_engine *e)
{
	return stats_of(e).late_ops;
}

/* Put len bytes in an mbuf with room for the tag; op points into it. */
static struct rte_mbuf *
wrap(struct vg_crypto_op *op, const uint8_t *pkt, uint32_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint8_t *d = (uint8_t *)rte_pktmbuf_append(m, len + VG_SRTP_MAX_TRAILER);

	memcpy(d, pkt, len);
	op->data = d;
	op->len = len;
	op->mbuf = m;
	return m;
}

static void
test_kats(void)
{
	for (size_t i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		const struct kat *k = &kats[i];
		struct vg_engine *e = engine(&vg_engine_cryptodev, 1);
		uint8_t plain[PKT_MAX], want[PKT_MAX];
		struct vg_crypto_op op[2] = { { 0 } };
		struct vg_master_key key;
		struct rte_mbuf *m[2];
		char err[256] = "";
		size_t n, w;

		if (e == NULL)
			return;
		key_from_hex(&key, k->key);
		CHECK(e->ops->stream_add(e, 0, k->suite, &key, k->ssrc, err,
					 sizeof(err)) == 0, "%s", err);
		n = unhex(k->rtp, plain, sizeof(plain));
		m[0] = wrap(&op[0], plain, n);
		op[0].hdr_len = 12;
		op[0].index = 0x1234;	/* ROC 0, SEQ 0x1234 of the vector */
		n = unhex(k->rtcp, plain, sizeof(plain));
		m[1] = wrap(&op[1], plain, n);
		op[1].rtcp = 1;
		e->ops->protect_burst(e, op, 2);
		w = unhex(k->srtp, want, sizeof(want));
		CHECK(op[0].status == VG_DROP_NONE && op[0].len == w &&
		      memcmp(op[0].data, want, w) == 0, "%s: SRTP", k->name);
		w = unhex(k->srtcp, want, sizeof(want));
		CHECK(op[1].status == VG_DROP_NONE && op[1].len == w &&
		      memcmp(op[1].data, want, w) == 0, "%s: SRTCP", k->name);
		rte_pktmbuf_free(m[0]);
		rte_pktmbuf_free(m[1]);
		e->ops->destroy(e);
	}
}

static srtp_t
receiver(const struct tstream *t)
{
	srtp_t s = kat_libsrtp(t->suite, &t->key, ssrc_specific, t->ssrc);

	CHECK(s != NULL);
	return s;
}

static void
setup_streams(struct vg_engine *cd, struct vg_engine *ls)
{
	static const uint8_t klen[] = { 30, 30, 28, 44 };
	char err[256] = "";
	uint64_t start;

	for (unsigned i = 0; i < STREAMS; i++) {
		struct tstream *t = &ts[i];

		memset(t, 0, sizeof(*t));
		t->suite = (enum vg_suite)(i % VG_SUITE_COUNT);
		t->key.len = klen[t->suite];
		for (unsigned b = 0; b < t->key.len; b++)
			t->key.bytes[b] = (uint8_t)rand();
		/* Stream i - VG_SUITE_COUNT has the same suite. */
		if (i >= VG_SUITE_COUNT && i % 3 == 0)
			t->key = ts[i - VG_SUITE_COUNT].key;
		t->ssrc = (uint32_t)rand() * 2654435761u;
		/* Start near the wrap so that ROC 0 -> 1 is crossed. */
		t->next_seq = (uint16_t)(65535 - rand() % 300);
		CHECK(cd->ops->stream_add(cd, i, t->suite, &t->key, t->ssrc,
					  err, sizeof(err)) == 0, "%s", err);
		CHECK(ls->ops->stream_add(ls, i, t->suite, &t->key, t->ssrc,
					  err, sizeof(err)) == 0, "%s", err);
		/* The gateway numbers each stream from where its reservation
		 * starts: near a ROC change, at ROC 0 (a key's first use) or
		 * above (a stream continuing after a restart: libsrtp's
		 * sender and this receiver are told its ROC). */
		start = (i % 2 ? (uint64_t)(1 + i % 5) << 16 : 0) + 65236 +
			(uint64_t)(rand() % 300);
		vg_stream_seq_init(&t->seq, start);
		/* ... and its SRTCP index above its reservation too. */
		t->rtcp_next = i % 2 ? 70000 + (uint32_t)rand() % 1000 : 0;
		t->rx = receiver(t);
		/* The ROC of the stream's first packet (the gateway's slack
		 * above where it starts, stream.h). */
		if ((start + VG_SEQ_SLACK) >> 16)
			CHECK(srtp_set_stream_roc(t->rx, t->ssrc,
				(uint32_t)((start + VG_SEQ_SLACK) >> 16)) ==
			      srtp_err_status_ok);
	}
}

/* An RTP packet of SSRC ssrc and sequence number seq: random header shape
 * (CSRCs, extension) and payload size (often 0-16 bytes). */
static uint32_t
shape_packet(uint32_t ssrc, uint16_t seq, uint8_t *p, uint16_t *hdr_len)
{
	unsigned cc = rand() % 4 == 0 ? rand() % 4 : 0;
	unsigned ext = rand() % 4 == 0 ? 1 + rand() % 3 : 0;
	unsigned pay = rand() % 3 == 0 ? rand() % 17 : 17 + rand() % 1380;
	uint32_t h = 12 + 4 * cc, i;

	p[0] = (uint8_t)(0x80 | (ext ? 0x10 : 0) | cc);
	p[1] = (uint8_t)(96 | (rand() % 8 == 0 ? 0x80 : 0));
	p[2] = seq >> 8;
	p[3] = (uint8_t)seq;
	for (i = 4; i < 8; i++)
		p[i] = (uint8_t)rand();
	vg_put_be32(p + 8, ssrc);
	for (i = 12; i < h; i++)
		p[i] = (uint8_t)rand();
	if (ext) {
		p[h] = 0xbe;
		p[h + 1] = 0xde;
		p[h + 2] = 0;
		p[h + 3] = (uint8_t)ext;
		h += 4 + 4 * ext;
		for (i = h - 4 * ext; i < h; i++)
			p[i] = (uint8_t)rand();
	}
	for (i = h; i < h + pay; i++)
		p[i] = (uint8_t)rand();
	*hdr_len = (uint16_t)h;
	return h + pay;
}

/* One camera packet of stream t; sometimes a duplicate or a late one. */
static uint32_t
make_packet(struct tstream *t, uint8_t *p, uint16_t *hdr_len)
{
	uint16_t seq = t->next_seq++;

	if (rand() % 20 == 0)
		seq -= (uint16_t)(1 + rand() % 3);	/* duplicate or late */
	return shape_packet(t->ssrc, seq, p, hdr_len);
}

/* An RTCP sender report (with a random tail) from stream t. */
static uint32_t
make_rtcp(uint32_t ssrc, uint8_t *p)
{
	uint32_t len = 28 + 4 * (uint32_t)(rand() % 8);

	for (uint32_t i = 8; i < len; i++)
		p[i] = (uint8_t)rand();
	p[0] = 0x80;
	p[1] = 200;
	p[2] = 0;
	p[3] = (uint8_t)(len / 4 - 1);
	vg_put_be32(p + 4, ssrc);
	return len;
}

struct counts {
	unsigned same, differ, decrypted, refused_both, refused_mismatch, rtcp;
	unsigned tiny, wrapped;
};

static void
check_one(struct tstream *t, const struct vg_crypto_op *c,
	  const struct vg_crypto_op *l, const uint8_t *plain, uint32_t len,
	  struct counts *k)
{
	uint8_t buf[BUF];
	int n = (int)c->len;

	if (c->status == VG_DROP_NONE && l->status == VG_DROP_NONE &&
	    c->len == l->len && memcmp(c->data, l->data, c->len) == 0)
		k->same++;
	else
		k->differ++;
	memcpy(buf, c->data, c->len);
	if ((c->rtcp ? srtp_unprotect_rtcp(t->rx, buf, &n) :
		       srtp_unprotect(t->rx, buf, &n)) == srtp_err_status_ok &&
	    (uint32_t)n == len && memcmp(buf, plain, len) == 0)
		k->decrypted++;
	k->tiny += !c->rtcp && len - c->hdr_len <= 16;
}

/* A burst of packets from random streams through both engines. */
static void
run_burst(struct vg_engine *cd, struct vg_engine *ls, struct counts *k)
{
	static uint8_t plain[BURST][BUF], lbuf[BURST][BUF], rej[BURST][BUF];
	struct vg_crypto_op c[BURST] = { { 0 } }, l[BURST] = { { 0 } };
	struct vg_crypto_op rej_op[BURST];
	unsigned nr = 0;
	struct tstream *owner[BURST];
	struct rte_mbuf *m[BURST];
	uint32_t len[BURST];
	unsigned n = 0;

	while (n < BURST) {
		unsigned sid = (unsigned)rand() % STREAMS;
		struct tstream *t = &ts[sid];
		uint16_t hl;
		uint64_t idx;
		uint32_t plen;
		uint16_t seq;

		if (rand() % 16 == 0) {
			plen = make_rtcp(t->ssrc, plain[n]);
			len[n] = plen;
			owner[n] = t;
			m[n] = wrap(&c[n], plain[n], plen);
			c[n].stream = sid;
			c[n].rtcp = 1;
			c[n].index = t->rtcp_next ? t->rtcp_next++ : 0;
			memcpy(lbuf[n], plain[n], plen);
			l[n] = c[n];
			l[n].data = lbuf[n];
			l[n].mbuf = NULL;
			n++;
			k->rtcp++;
			continue;
		}
		plen = make_packet(t, plain[n], &hl);
		seq = (uint16_t)(plain[n][2] << 8 | plain[n][3]);

		if (vg_stream_next_index(&t->seq, t->ssrc, seq, VG_INDEX_END,
					 &idx) != VG_SEQ_OK) {
			/* The gateway refuses it; libsrtp gets the same packet,
			 * numbered as the gateway would have, once the burst
			 * holding its original is done. */
			uint64_t in = vg_replay_estimate(&t->seq.in, seq);

			if (nr < BURST &&
			    in + VG_SEQ_SLACK >= t->seq.epoch_in) {
				vg_put_be16(plain[n] + 2, (uint16_t)
					    vg_stream_out_index(&t->seq, in));
				memcpy(rej[nr], plain[n], plen);
				rej_op[nr] = (struct vg_crypto_op){
					.data = rej[nr], .len = plen,
					.stream = sid, .hdr_len = hl };
				nr++;
			}
			continue;
		}
		k->wrapped += idx >> 16 != 0;
		plain[n][2] = (uint8_t)(idx >> 8);
		plain[n][3] = (uint8_t)idx;
		len[n] = plen;
		owner[n] = t;
		m[n] = wrap(&c[n], plain[n], plen);
		c[n].stream = sid;
		c[n].index = idx;
		c[n].hdr_len = hl;
		memcpy(lbuf[n], plain[n], plen);
		l[n] = c[n];
		l[n].data = lbuf[n];
		l[n].mbuf = NULL;
		n++;
	}
	cd->ops->protect_burst(cd, c, BURST);
	ls->ops->protect_burst(ls, l, BURST);
	for (unsigned i = 0; i < BURST; i++) {
		check_one(owner[i], &c[i], &l[i], plain[i], len[i], k);
		rte_pktmbuf_free(m[i]);
	}
	/* libsrtp must refuse exactly what the gateway's window refused. */
	for (unsigned i = 0; i < nr; i++) {
		ls->ops->protect_burst(ls, &rej_op[i], 1);
		if (rej_op[i].status == VG_DROP_REPLAY)
			k->refused_both++;
		else
			k->refused_mismatch++;
	}
}

/* ---- Unprotect: the cryptodev receiver against libsrtp's ---------------- */

#define U_PACKETS 40000
#define U_HELD 256

/* A sender of the unprotect cross-check: protects on cryptodev stream
 * S + i with indexes it chooses; both engines receive on 2S + i. */
struct usender {
	uint32_t ssrc;
	uint64_t next;			/* next packet index */
	bool aead;
	uint8_t rtcp_tag;
};

/* A packet on its way to the receivers. */
struct wire {
	uint8_t p[BUF], plain[BUF];
	uint32_t len, plain_len, sid;
	uint8_t rtcp;
	int due;			/* held: deliveries to wait */
};

struct ucounts {
	unsigned verdict[VG_DROP_COUNT], differ, plain_wrong, rounds;
	unsigned wrapped, rtcp_ok, tiny_ok, hdr_ok;
};

static struct usender us[STREAMS];
static unsigned send_failures;

static void
setup_senders(struct vg_engine *cd, struct vg_engine *ls)
{
	static const uint8_t klen[] = { 30, 30, 28, 44 };
	static struct vg_master_key keys[STREAMS];
	char err[256] = "";

	for (unsigned i = 0; i < STREAMS; i++) {
		enum vg_suite suite = (enum vg_suite)(i % VG_SUITE_COUNT);
		const struct vg_suite_info *si = vg_suite_get(suite);
		struct vg_master_key key = { .len = klen[suite] };

		for (unsigned b = 0; b < key.len; b++)
			key.bytes[b] = (uint8_t)rand();
		/* Shared keys, as in setup_streams: one receiver session for
		 * several routes. */
		if (i >= VG_SUITE_COUNT && i % 3 == 0)
			key = keys[i - VG_SUITE_COUNT];
		keys[i] = key;
		us[i].ssrc = (uint32_t)rand() * 2654435761u;
		/* ROC 0 (what a receiver assumes first), near the wrap. */
		us[i].next = 65535 - (uint64_t)(rand() % 400);
		us[i].aead = si->aead;
		us[i].rtcp_tag = si->rtcp_tag_len;
		CHECK(cd->ops->stream_add(cd, STREAMS + i, suite, &key,
					  us[i].ssrc, err, sizeof(err)) == 0,
		      "%s", err);
		CHECK(cd->ops->stream_add_in(cd, 2 * STREAMS + i, suite, &key,
					     us[i].ssrc, err, sizeof(err)) == 0,
		      "%s", err);
		CHECK(ls->ops->stream_add_in(ls, 2 * STREAMS + i, suite, &key,
					     us[i].ssrc, err, sizeof(err)) == 0,
		      "%s", err);
	}
}

/* The sender's next index: mostly in order, sometimes losses and jumps
 * (a jump past the window makes held packets too old). */
static uint64_t
next_index(struct usender *u)
{
	unsigned r = (unsigned)rand() % 400;
	uint64_t idx = u->next;

	if (r < 8)
		idx += 1 + rand() % 4;
	else if (r < 10)
		idx += 1024 + rand() % 200;
	else if (r == 10)
		idx += 20000 + rand() % 10000;
	u->next = idx + 1;
	return idx;
}

/* Protect a new packet of sender sid on cryptodev into w. */
static void
send_packet(struct vg_engine *cd, unsigned sid, struct wire *w)
{
	struct usender *u = &us[sid];
	struct vg_crypto_op op = { .stream = STREAMS + sid };
	struct rte_mbuf *m;
	uint16_t hl = 0;

	w->rtcp = rand() % 12 == 0;
	if (w->rtcp) {
		w->plain_len = make_rtcp(u->ssrc, w->plain);
	} else {
		op.index = next_index(u);
		w->plain_len = shape_packet(u->ssrc, (uint16_t)op.index,
					    w->plain, &hl);
	}
	m = wrap(&op, w->plain, w->plain_len);
	op.hdr_len = hl;
	op.rtcp = w->rtcp;
	cd->ops->protect_burst(cd, &op, 1);
	if (op.status != VG_DROP_NONE)
		send_failures++;
	memcpy(w->p, op.data, op.len);
	w->len = op.len;
	w->sid = sid;
	w->due = 0;
	rte_pktmbuf_free(m);
}

/* Flip one bit: header, payload or tag (for SRTCP: the E|index too). */
static void
flip(struct wire *w)
{
	uint32_t at;

	switch (rand() % 3) {
	case 0:
		at = (uint32_t)rand() % (w->rtcp ? 8 : 12);
		break;
	case 1:
		at = (w->rtcp ? 8 : 12) +
		     (uint32_t)rand() % (w->len - (w->rtcp ? 8 : 12));
		break;
	default:
		at = w->len - 1 - (uint32_t)rand() % (w->rtcp ? 14 : 4);
		break;
	}
	w->p[at] ^= (uint8_t)(1u << rand() % 8);
}

/* Compare the two receivers' verdicts on op i of a burst. */
static void
compare(const struct vg_crypto_op *c, const struct vg_crypto_op *l,
	const struct wire *w, struct ucounts *k)
{
	k->verdict[c->status < VG_DROP_COUNT ? c->status : 0]++;
	if (c->status != l->status) {
		k->differ++;
		if (k->differ < 10)
			fprintf(stderr, "verdicts differ: cryptodev %s, libsrtp "
				"%s (%s, len %u)\n", vg_drop_name(c->status),
				vg_drop_name(l->status),
				w->rtcp ? "srtcp" : "srtp", w->len);
		return;
	}
	if (c->status != VG_DROP_NONE)
		return;
	if (c->len != l->len || memcmp(c->data, l->data, c->len) != 0 ||
	    (!w->rtcp && c->index != l->index))
		k->differ++;
	if (c->len != w->plain_len || memcmp(c->data, w->plain, c->len) != 0)
		k->plain_wrong++;
	k->wrapped += !w->rtcp && c->index >> 16 != 0;
	k->rtcp_ok += w->rtcp;
	if (!w->rtcp) {
		k->tiny_ok += c->len - c->hdr_len <= 16;
		k->hdr_ok += (c->data[0] & 0x1f) != 0;
	}
}

/* Deliver n packets to both receivers in one burst each. */
static void
deliver(struct vg_engine *cd, struct vg_engine *ls, struct wire **w,
	unsigned n, struct ucounts *k)
{
	static uint8_t lbuf[BURST][BUF];
	struct vg_crypto_op c[BURST], l[BURST];
	struct rte_mbuf *m[BURST];
	unsigned i;

	for (i = 0; i < n; i++) {
		c[i] = (struct vg_crypto_op){ .stream = 2 * STREAMS + w[i]->sid,
					      .rtcp = w[i]->rtcp };
		m[i] = wrap(&c[i], w[i]->p, w[i]->len);
		l[i] = c[i];
		l[i].data = lbuf[i];
		l[i].mbuf = NULL;
		memcpy(lbuf[i], w[i]->p, w[i]->len);
	}
	cd->ops->unprotect_burst(cd, c, (uint16_t)n);
	ls->ops->unprotect_burst(ls, l, (uint16_t)n);
	for (i = 0; i < n; i++) {
		c[i].hdr_len = 12 + 4 * (c[i].data[0] & 0x0f);
		if (c[i].data[0] & 0x10 && c[i].status == VG_DROP_NONE)
			c[i].hdr_len += 4 + 4 * vg_get_be16(c[i].data +
						c[i].hdr_len + 2);
		compare(&c[i], &l[i], w[i], k);
		rte_pktmbuf_free(m[i]);
	}
}

static struct wire held[U_HELD];

/* Keep a copy of w for a later burst: soon (reordered or repeated within
 * the window) or much later (likely past it). */
static void
hold(const struct wire *w)
{
	struct wire *h = &held[rand() % U_HELD];

	if (h->due > 0)
		return;
	*h = *w;
	h->due = rand() % 4 == 0 ? 20 + rand() % 200 : 1 + rand() % 3;
}

/* The held packets due in this burst, while there is room. */
static unsigned
take_due(struct wire **b, unsigned n, bool all)
{
	for (unsigned i = 0; i < U_HELD && n < BURST; i++) {
		if (held[i].due > 0 && (all || --held[i].due == 0)) {
			held[i].due = 0;
			b[n++] = &held[i];
		}
	}
	return n;
}

/* A sender: a third of the traffic from 4 hot streams, so that bursts
 * carry runs of one stream. */
static unsigned
pick_sender(void)
{
	return rand() % 3 == 0 ? (unsigned)rand() % 4 :
				 (unsigned)rand() % STREAMS;
}

/* One burst of new packets, some flipped, held, lost or doubled. */
static unsigned
fill_burst(struct vg_engine *cd, struct wire *fresh, struct wire **b,
	   unsigned n, unsigned *sent)
{
	unsigned f = 0;

	while (n < BURST && f + 2 <= 2 * BURST) {
		struct wire *w = &fresh[f++];

		send_packet(cd, pick_sender(), w);
		(*sent)++;
		if (rand() % 10 == 0 && n < BURST) {
			fresh[f] = *w;
			flip(&fresh[f]);
			b[n++] = &fresh[f++];
		}
		if (rand() % 8 == 0)
			hold(w);
		if (rand() % 12 == 0 || n == BURST)
			continue;		/* lost (unless held) */
		b[n++] = w;
		if (rand() % 15 == 0 && n < BURST)
			b[n++] = w;		/* duplicated on the wire */
	}
	return n;
}


/* A forged packet that would move the ROC estimate for the genuine packet
 * behind it in the same burst: the receiver (top = ROC 1, SEQ 100) gets a
 * forgery with SEQ 32800 (taken as ROC 1, ahead) and then a late genuine
 * packet, SEQ 65490 of ROC 0.  Had the forgery been genuine, SEQ 65490
 * would be guessed ROC 1; libsrtp refuses the forgery first and accepts
 * the late packet with ROC 0, and so must a batched receiver. */
static void
test_forged_ahead(struct vg_engine *cd, struct vg_engine *ls)
{
	const uint32_t out = 3 * STREAMS, in = 3 * STREAMS + 1;
	static const uint64_t idx[3] = { 65490, 65500, 0x10000 + 100 };
	struct vg_master_key key = { .len = 30 };
	static struct wire w[3], forged;
	struct wire *b[2];
	struct ucounts k = { { 0 }, 0, 0, 0, 0, 0, 0, 0 };
	char err[256] = "";

	for (unsigned i = 0; i < key.len; i++)
		key.bytes[i] = (uint8_t)(i * 13 + 1);
	CHECK(cd->ops->stream_add(cd, out, VG_SUITE_AES_CM_128_HMAC_SHA1_80,
				  &key, 0x5eed, err, sizeof(err)) == 0, "%s",
	      err);
	CHECK(cd->ops->stream_add_in(cd, in, VG_SUITE_AES_CM_128_HMAC_SHA1_80,
				     &key, 0x5eed, err, sizeof(err)) == 0);
	CHECK(ls->ops->stream_add_in(ls, in, VG_SUITE_AES_CM_128_HMAC_SHA1_80,
				     &key, 0x5eed, err, sizeof(err)) == 0);
	for (unsigned i = 0; i < 3; i++) {
		struct vg_crypto_op op = { .stream = out, .index = idx[i],
					   .hdr_len = 12 };
		struct rte_mbuf *m;

		w[i].plain_len = 12 + 40;
		memset(w[i].plain, (int)i, w[i].plain_len);
		w[i].plain[0] = 0x80;
		w[i].plain[1] = 96;
		vg_put_be16(w[i].plain + 2, (uint16_t)idx[i]);
		vg_put_be32(w[i].plain + 8, 0x5eed);
		m = wrap(&op, w[i].plain, w[i].plain_len);
		cd->ops->protect_burst(cd, &op, 1);
		memcpy(w[i].p, op.data, op.len);
		w[i].len = op.len;
		w[i].sid = in - 2 * STREAMS;
		w[i].rtcp = 0;
		rte_pktmbuf_free(m);
	}
	b[0] = &w[1];
	deliver(cd, ls, b, 1, &k);
	b[0] = &w[2];
	deliver(cd, ls, b, 1, &k);
	forged = w[2];
	vg_put_be16(forged.p + 2, 32800);
	b[0] = &forged;
	b[1] = &w[0];
	deliver(cd, ls, b, 2, &k);
	CHECK(k.differ == 0 && k.verdict[VG_DROP_NONE] == 3 &&
	      k.verdict[VG_DROP_AUTH_FAIL] == 1,
	      "forgery ahead: %u differ, %u ok, %u auth-fail", k.differ,
	      k.verdict[VG_DROP_NONE], k.verdict[VG_DROP_AUTH_FAIL]);
}

static void
test_unprotect(struct vg_engine *cd, struct vg_engine *ls)
{
	static struct wire fresh[2 * BURST];
	struct ucounts k = { { 0 }, 0, 0, 0, 0, 0, 0, 0 };
	struct wire *b[BURST];
	unsigned sent = 0, n;

	setup_senders(cd, ls);
	while (sent < U_PACKETS) {
		n = take_due(b, 0, false);
		n = fill_burst(cd, fresh, b, n, &sent);
		deliver(cd, ls, b, n, &k);
	}
	while ((n = take_due(b, 0, true)) > 0)
		deliver(cd, ls, b, n, &k);
	printf("unprotect cross-check: %u ok (%u SRTCP, %u after ROC wrap, "
	       "%u with 0-16 byte payloads, %u with CSRC/extension), %u "
	       "auth-fail, %u replay, %u unprotect-fail; %u differ\n",
	       k.verdict[VG_DROP_NONE], k.rtcp_ok, k.wrapped, k.tiny_ok,
	       k.hdr_ok, k.verdict[VG_DROP_AUTH_FAIL],
	       k.verdict[VG_DROP_REPLAY], k.verdict[VG_DROP_UNPROTECT_FAIL],
	       k.differ);
	CHECK(send_failures == 0, "%u packets not protected", send_failures);
	CHECK(k.differ == 0, "%u packets judged differently from libsrtp",
	      k.differ);
	CHECK(k.plain_wrong == 0, "%u accepted packets not the plain text "
	      "sent", k.plain_wrong);
	CHECK(k.verdict[VG_DROP_NONE] > 20000 && k.rtcp_ok > 2000 &&
	      k.wrapped > 10000 && k.tiny_ok > 3000 && k.hdr_ok > 5000,
	      "accepted packets of every kind");
	CHECK(k.verdict[VG_DROP_AUTH_FAIL] > 2000 &&
	      k.verdict[VG_DROP_REPLAY] > 3000 &&
	      k.verdict[VG_DROP_UNPROTECT_FAIL] > 50,
	      "every refusal exercised");
}

/* Sessions are shared per direction, suite and master key, released with
 * their last stream, and what a stream costs says so. */
/* A center's burst: two PoP bursts back to back (so 22 streams have two
 * packets in it, the second behind the first in flight), one of them
 * with a bit flipped and one a copy of an earlier packet.  Both engines'
 * receivers (in-streams 64 + i) must give the same verdicts and the same
 * plain bytes. */
struct bwire {
	uint8_t p[BUF];
	uint32_t len;
	uint32_t sid;
};

static void
batch_unprotect(struct vg_engine *cd, struct vg_engine *ls,
		struct bwire *w, unsigned n, unsigned *verdicts, unsigned *bad)
{
	static uint8_t lbuf[2 * BURST][BUF];
	struct vg_crypto_op c[2 * BURST], l[2 * BURST];
	struct rte_mbuf *m[2 * BURST];

	for (unsigned j = 0; j < n; j++) {
		c[j] = (struct vg_crypto_op){ .stream = 64 + w[j].sid };
		m[j] = wrap(&c[j], w[j].p, w[j].len);
		l[j] = c[j];
		l[j].data = lbuf[j];
		l[j].mbuf = NULL;
		memcpy(lbuf[j], w[j].p, w[j].len);
	}
	cd->ops->unprotect_burst(cd, c, (uint16_t)n);
	ls->ops->unprotect_burst(ls, l, (uint16_t)n);
	for (unsigned j = 0; j < n; j++) {
		verdicts[c[j].status < VG_DROP_COUNT ? c[j].status : 0]++;
		*bad += c[j].status != l[j].status ||
			(c[j].status == VG_DROP_NONE &&
			 (c[j].len != l[j].len ||
			  memcmp(c[j].data, l[j].data, l[j].len) != 0));
		rte_pktmbuf_free(m[j]);
	}
}

/* Bursts shaped like a PoP's, where many cameras share their center's key:
 * 24 packets under one key (for GCM, runs of them go to the device in one
 * CPU-crypto call), among them some with a longer header (OpenSSL for
 * GCM), and 8 under 5 other keys.  Every packet must be what the libsrtp
 * engine makes of it, byte for byte, across a ROC change; then at a
 * center, every verdict and plain packet (batch_unprotect). */
static void
test_batches(void)
{
	static const uint8_t klen[] = { 30, 30, 28, 44 };
	static uint8_t lbuf[BURST][BUF];
	static struct bwire wire[2 * BURST];

	for (unsigned su = 0; su < VG_SUITE_COUNT; su++) {
		struct vg_engine *cd = engine(&vg_engine_cryptodev, 128);
		struct vg_engine *ls = engine(&vg_engine_libsrtp, 128);
		struct vg_master_key keys[6];
		uint64_t next[64];
		unsigned bad = 0, packets = 0, cpu = 0, wrapped = 0;
		unsigned ubad = 0, verdicts[VG_DROP_COUNT] = { 0 };
		char err[256] = "";
		int rc = 0;

		if (cd == NULL || ls == NULL)
			return;
		for (unsigned k = 0; k < 6; k++) {
			keys[k].len = klen[su];
			for (unsigned b = 0; b < keys[k].len; b++)
				keys[k].bytes[b] = (uint8_t)rand();
		}
		for (unsigned i = 0; i < 64; i++)
			next[i] = 65533 + i % 3;
		for (unsigned i = 0; i < 64; i++) {
			const struct vg_master_key *k =
				&keys[i < 40 ? 0 : 1 + (i - 40) % 5];

			rc |= cd->ops->stream_add(cd, i, (enum vg_suite)su, k,
						  0x5000 + i, err, sizeof(err));
			rc |= ls->ops->stream_add(ls, i, (enum vg_suite)su, k,
						  0x5000 + i, err, sizeof(err));
			rc |= cd->ops->stream_add_in(cd, 64 + i,
						     (enum vg_suite)su, k,
						     0x5000 + i, err,
						     sizeof(err));
			rc |= ls->ops->stream_add_in(ls, 64 + i,
						     (enum vg_suite)su, k,
						     0x5000 + i, err,
						     sizeof(err));
		}
		CHECK(rc == 0, "%s: streams: %s", vg_suite_get(su)->name, err);
		for (unsigned round = 0; round < 8; round++) {
			struct vg_crypto_op c[BURST] = { { 0 } }, l[BURST];
			struct rte_mbuf *m[BURST];
			struct bwire *w;

			for (unsigned j = 0; j < BURST; j++) {
				unsigned sid = j < 24 ? round * 2 + j : 40 + j - 24;
				uint8_t p[BUF];
				uint16_t hl = 12;
				uint32_t len;
				/* Index (ROC << 16 | SEQ), rising per stream
				 * from just below the wrap: ROC 0 then 1. */
				uint64_t idx = next[sid]++;

				len = shape_packet(0x5000 + sid, (uint16_t)idx,
						   p, &hl);
				if (j < 24 && j % 7 != 3 && hl != 12) {
					/* Most of the big group: the camera's
					 * plain 12-byte header. */
					memmove(p + 12, p + hl, len - hl);
					len -= hl - 12;
					p[0] = 0x80;
					hl = 12;
				}
				cpu += j < 24 && hl == 12;
				wrapped += idx >> 16 != 0;
				m[j] = wrap(&c[j], p, len);
				c[j].stream = sid;
				c[j].index = idx;
				c[j].hdr_len = hl;
				memcpy(lbuf[j], p, len);
				l[j] = c[j];
				l[j].data = lbuf[j];
				l[j].mbuf = NULL;
			}
			cd->ops->protect_burst(cd, c, BURST);
			ls->ops->protect_burst(ls, l, BURST);
			for (unsigned j = 0; j < BURST; j++) {
				bad += c[j].status != VG_DROP_NONE ||
				       l[j].status != VG_DROP_NONE ||
				       c[j].len != l[j].len ||
				       memcmp(c[j].data, l[j].data, l[j].len) != 0;
				packets++;
				w = &wire[(round % 2) * BURST + j];
				memcpy(w->p, c[j].data, c[j].len);
				w->len = c[j].len;
				w->sid = c[j].stream;
				rte_pktmbuf_free(m[j]);
			}
			if (round % 2 == 0)
				continue;
			/* A wrong tag, with the stream's next packet behind
			 * it (not on its first: a receiver that has seen
			 * nothing before the ROC wraps cannot follow it). */
			wire[7].p[wire[7].len - 1] ^= 0x10;
			/* A copy of an earlier packet of the one-key group,
			 * still in flight when the copy is judged. */
			wire[BURST + 20] = wire[BURST + 18 - round % 4];
			batch_unprotect(cd, ls, wire, 2 * BURST, verdicts,
					&ubad);
		}
		CHECK(bad == 0 && wrapped > packets / 2, "%s: %u of %u packets "
		      "(%u in the one-key group, %u with ROC 1) differ from "
		      "libsrtp's", vg_suite_get(su)->name, bad, packets, cpu,
		      wrapped);
		CHECK(ubad == 0 && verdicts[VG_DROP_NONE] == packets - 8 &&
		      verdicts[VG_DROP_AUTH_FAIL] == 4 &&
		      verdicts[VG_DROP_REPLAY] == 4, "%s: center: %u of %u "
		      "verdicts or plain packets differ from libsrtp's (%u ok, "
		      "%u auth-fail, %u replay)", vg_suite_get(su)->name, ubad,
		      packets, verdicts[VG_DROP_NONE],
		      verdicts[VG_DROP_AUTH_FAIL], verdicts[VG_DROP_REPLAY]);
		cd->ops->destroy(cd);
		ls->ops->destroy(ls);
	}
}

static void
test_shared_sessions(void)
{
	const struct vg_engine_ops *ops = &vg_engine_cryptodev;
	struct vg_engine *e = engine(ops, 64);
	struct vg_master_key key = { .len = 30 }, other = { .len = 30 };
	char err[256] = "";
	size_t alone, shared;
	int rc = 0;

	if (e == NULL)
		return;
	for (unsigned b = 0; b < key.len; b++) {
		key.bytes[b] = (uint8_t)rand();
		other.bytes[b] = (uint8_t)~key.bytes[b];
	}
	CHECK(sessions(e) == 0, "no session before streams");
	rc |= ops->stream_add(e, 0, VG_SUITE_AES_CM_128_HMAC_SHA1_80, &key,
			      0x100, err, sizeof(err));
	alone = ops->stream_size(e);
	for (unsigned i = 1; i < 32; i++)
		rc |= ops->stream_add(e, i, VG_SUITE_AES_CM_128_HMAC_SHA1_80,
				      &key, 0x100 + i, err, sizeof(err));
	shared = ops->stream_size(e);
	CHECK(rc == 0, "32 streams under one key: %s", err);
	CHECK(sessions(e) == 1,
	      "32 streams, one key: %u sessions", sessions(e));
	CHECK(shared < alone, "a shared session costs each stream less "
	      "(%zu B with 32 streams vs %zu alone)", shared, alone);
	/* Another suite or direction under the same bytes: its own session. */
	rc |= ops->stream_add(e, 32, VG_SUITE_AES_CM_128_HMAC_SHA1_32, &key,
			      0x200, err, sizeof(err));
	rc |= ops->stream_add_in(e, 33, VG_SUITE_AES_CM_128_HMAC_SHA1_80, &key,
				 0x300, err, sizeof(err));
	CHECK(rc == 0 && sessions(e) == 3,
	      "suite and direction make sessions of their own: %u",
	      sessions(e));
	/* Re-keying a stream moves it; the last stream of a key frees it. */
	rc |= ops->stream_add(e, 0, VG_SUITE_AES_CM_128_HMAC_SHA1_80, &other,
			      0x100, err, sizeof(err));
	CHECK(rc == 0 && sessions(e) == 4,
	      "a new key: a new session (%u)", sessions(e));
	rc |= ops->stream_add(e, 0, VG_SUITE_AES_CM_128_HMAC_SHA1_80, &key,
			      0x100, err, sizeof(err));
	CHECK(rc == 0 && sessions(e) == 3,
	      "its last stream gone, the key's session is freed (%u)",
	      sessions(e));
	ops->destroy(e);
}

/* ---- A device that loses ops ------------------------------------------- */

/* A dequeue callback playing a device that loses ops (QAT can): it takes
 * the op of the burst's position ref (once), and with give_back, returns
 * what it holds, oldest first, one per dequeue that found nothing (the
 * engine's dequeue always has room for one then). */
struct thief {
	int ref;			/* -1: take nothing */
	bool give_back;
	unsigned n;
	struct rte_crypto_op *held[4];
};

static uint16_t
steal(uint16_t dev, uint16_t qp, struct rte_crypto_op **ops, uint16_t n,
      void *arg)
{
	struct thief *t = arg;

	(void)dev;
	(void)qp;
	for (uint16_t i = 0; t->ref >= 0 && t->n < 4 && i < n; i++) {
		if (*rte_crypto_op_ctod_offset(ops[i], uint16_t *, VG_CDEV_REF_OFF) !=
		    t->ref)
			continue;
		t->held[t->n++] = ops[i];
		memmove(ops + i, ops + i + 1, (size_t)(n - i - 1) * sizeof(*ops));
		n--;
		t->ref = -1;
	}
	if (t->give_back && t->n > 0 && n == 0) {
		ops[n++] = t->held[0];
		t->n--;
		memmove(t->held, t->held + 1, t->n * sizeof(t->held[0]));
	}
	return n;
}

/* n packets of stream sid (ssrc) with indexes idx[], protected by cd and,
 * for reference, by ls.  Returns how many cd's bytes equal ls's; the
 * mbufs are freed as the gateway's tx or drop path would, once. */
static unsigned
protect_pair(struct vg_engine *cd, struct vg_engine *ls, uint32_t sid,
	     uint32_t ssrc, const uint64_t *idx, struct vg_crypto_op *c,
	     struct rte_mbuf **m, unsigned n)
{
	static uint8_t plain[BURST][BUF], lbuf[BURST][BUF];
	struct vg_crypto_op l[BURST];
	unsigned same = 0;
	uint16_t hl;

	for (unsigned i = 0; i < n; i++) {
		uint32_t len = shape_packet(ssrc, (uint16_t)idx[i], plain[i],
					    &hl);

		m[i] = wrap(&c[i], plain[i], len);
		c[i].stream = sid;
		c[i].index = idx[i];
		c[i].hdr_len = hl;
		c[i].rtcp = 0;
		memcpy(lbuf[i], plain[i], len);
		l[i] = c[i];
		l[i].data = lbuf[i];
		l[i].mbuf = NULL;
	}
	cd->ops->protect_burst(cd, c, (uint16_t)n);
	ls->ops->protect_burst(ls, l, (uint16_t)n);
	for (unsigned i = 0; i < n; i++) {
		same += c[i].status == VG_DROP_NONE &&
			l[i].status == VG_DROP_NONE && c[i].len == l[i].len &&
			memcmp(c[i].data, l[i].data, l[i].len) == 0;
		rte_pktmbuf_free(m[i]);
	}
	return same;
}

/* No wait at all: a run gives up on whatever the first empty poll leaves
 * out.  aesni_mb holds ops in its multi-buffer lanes across polls (one
 * lane flushed per empty poll), so ops really go missing and come back in
 * later runs: each packet must be libsrtp's or dropped and counted as
 * lost, each op given back late freed with its mbuf, and nothing held
 * once runs with the normal wait have drained the device. */
static void
test_wait_zero(void)
{
	struct vg_engine *cd = engine(&vg_engine_cryptodev, VG_SUITE_COUNT);
	struct vg_engine *ls = engine(&vg_engine_libsrtp, VG_SUITE_COUNT);
	static const uint8_t klen[] = { 30, 30, 28, 44 };
	unsigned avail = rte_mempool_avail_count(mp), same = 0, failed = 0;
	struct vg_crypto_op c[BURST] = { { 0 } };
	struct rte_mbuf *m[BURST];
	struct vg_cdev_engine *ce;
	uint64_t idx[BURST], wait;
	char err[256] = "";

	if (cd == NULL || ls == NULL)
		return;
	ce = vg_cdev_from(cd);
	wait = ce->wait_tsc;
	CHECK(wait == rte_get_tsc_hz() / 1000 * 10, "the wait is 10 ms");
	for (unsigned s = 0; s < VG_SUITE_COUNT; s++) {
		struct vg_master_key key = { .len = klen[s] };

		for (unsigned b = 0; b < key.len; b++)
			key.bytes[b] = (uint8_t)rand();
		CHECK(cd->ops->stream_add(cd, s, (enum vg_suite)s, &key,
					  0x5000 + s, err, sizeof(err)) == 0 &&
		      ls->ops->stream_add(ls, s, (enum vg_suite)s, &key,
					  0x5000 + s, err, sizeof(err)) == 0,
		      "%s", err);
	}
	for (unsigned r = 0; r < 72; r++) {
		unsigned s = r % VG_SUITE_COUNT;

		ce->wait_tsc = r < 64 ? 0 : wait;	/* then drain */
		for (unsigned i = 0; i < BURST; i++)
			idx[i] = 1 + r * BURST + i;
		same += protect_pair(cd, ls, s, 0x5000 + s, idx, c, m, BURST);
		for (unsigned i = 0; i < BURST; i++)
			failed += c[i].status == VG_DROP_PROTECT_FAIL;
	}
	printf("%s + %s: no wait: %u ops lost, %llu back late\n", dev_cm,
	       dev_gcm, failed, (unsigned long long)late_ops(cd));
	CHECK(same + failed == 72 * BURST &&
	      lost_ops(cd) == failed,
	      "no wait: %u as libsrtp's, %u dropped, %llu lost", same, failed,
	      (unsigned long long)lost_ops(cd));
	CHECK(late_ops(cd) == lost_ops(cd) &&
	      rte_mempool_avail_count(mp) == avail &&
	      rte_mempool_avail_count(ce->op_pool) + ce->n_spare ==
	      ce->op_pool->size, "every lost op came back and was freed, "
	      "with its mbuf");
	cd->ops->destroy(cd);
	ls->ops->destroy(ls);
}

/* A packet of SSRC 0x6000 as sent (by ls, stream 0) and as plain. */
struct sent {
	uint8_t plain[BUF], wire[BUF];
	uint32_t plain_len, wire_len;
};

static void
send_seq(struct vg_engine *ls, uint16_t seq, struct sent *p)
{
	struct vg_crypto_op s = { .data = p->wire, .stream = 0, .index = seq };
	uint16_t hl;

	p->plain_len = shape_packet(0x6000, seq, p->plain, &hl);
	memcpy(p->wire, p->plain, p->plain_len);
	s.len = p->plain_len;
	s.hdr_len = hl;
	ls->ops->protect_burst(ls, &s, 1);
	CHECK(s.status == VG_DROP_NONE);
	p->wire_len = s.len;
}

/* Unprotect p[0..n) on cd's stream 1; count those decrypted right. */
static void
receive(struct vg_engine *cd, struct sent **p, struct vg_crypto_op *c,
	unsigned n, unsigned *plain_ok)
{
	struct rte_mbuf *m[BURST];

	for (unsigned i = 0; i < n; i++) {
		c[i] = (struct vg_crypto_op){ .stream = 1 };
		m[i] = wrap(&c[i], p[i]->wire, p[i]->wire_len);
	}
	cd->ops->unprotect_burst(cd, c, (uint16_t)n);
	for (unsigned i = 0; i < n; i++) {
		*plain_ok += c[i].status == VG_DROP_NONE &&
			     c[i].len == p[i]->plain_len &&
			     memcmp(c[i].data, p[i]->plain, c[i].len) == 0;
		rte_pktmbuf_free(m[i]);
	}
}

/* Protect: the device loses the 4th op of a burst; the burst's others go
 * through once the wait is over, the lost one is dropped, its mbuf freed
 * once by the caller but held by the engine.  The device gives the op
 * back during the next burst: freed then, with its mbuf, and its verdict
 * lands on no packet of that burst. */
static void
lost_protect(struct vg_engine *cd, struct vg_engine *ls, struct thief *t,
	     unsigned avail)
{
	struct vg_cdev_engine *ce = vg_cdev_from(cd);
	struct vg_crypto_op c[4] = { { 0 } };
	uint64_t idx[4] = { 1, 2, 3, 4 }, t0, took;
	struct rte_mbuf *m[4];
	unsigned same;

	t->ref = 3;
	t0 = rte_get_tsc_cycles();
	same = protect_pair(cd, ls, 0, 0x6000, idx, c, m, 4);
	took = rte_get_tsc_cycles() - t0;
	CHECK(same == 3 && c[3].status == VG_DROP_PROTECT_FAIL &&
	      lost_ops(cd) == 1, "protect, one op lost: %u "
	      "as libsrtp's, 4th %s, %" PRIu64 " lost", same,
	      vg_drop_name(c[3].status), lost_ops(cd));
	CHECK(took >= ce->wait_tsc && took < rte_get_tsc_hz(),
	      "waited the bound: %" PRIu64 " cycles for %" PRIu64, took,
	      ce->wait_tsc);
	CHECK(rte_mbuf_refcnt_read(m[3]) == 1 &&
	      rte_mempool_avail_count(mp) == avail - 1,
	      "the lost op's mbuf is freed by the caller, held by the engine");
	/* Given back before the next burst's own op (which comes late,
	 * within the wait). */
	t->ref = 0;
	t->give_back = true;
	idx[0] = 5;
	same = protect_pair(cd, ls, 0, 0x6000, idx, c, m, 1);
	CHECK(same == 1 && late_ops(cd) == 1 &&
	      lost_ops(cd) == 1 &&
	      rte_mempool_avail_count(mp) == avail,
	      "late op freed, its mbuf back, the next packet right: %u, %"
	      PRIu64 " late", same, late_ops(cd));
}

/* Unprotect 10, 12, 11: 11 waits behind 12 in flight, and 12 is lost.
 * 11 must not wait for 12 forever; 12 is dropped, neither as a replay
 * nor as a forgery, and its index stays free: delivered again (a
 * duplicate on the network), it is taken. */
static void
lost_unprotect(struct vg_engine *cd, struct vg_engine *ls, struct thief *t,
	       unsigned avail)
{
	static struct sent pk[3];
	struct vg_crypto_op c[3];
	unsigned ok = 0;

	send_seq(ls, 10, &pk[0]);
	send_seq(ls, 12, &pk[1]);
	send_seq(ls, 11, &pk[2]);
	t->ref = 1;
	t->give_back = false;
	receive(cd, (struct sent *[]){ &pk[0], &pk[1], &pk[2] }, c, 3, &ok);
	CHECK(ok == 2 && c[1].status == VG_DROP_UNPROTECT_FAIL &&
	      lost_ops(cd) == 2, "unprotect, one op lost: %u "
	      "ok, 12 %s", ok, vg_drop_name(c[1].status));
	t->ref = 0;
	t->give_back = true;
	ok = 0;
	receive(cd, (struct sent *[]){ &pk[1] }, c, 1, &ok);
	CHECK(ok == 1 && late_ops(cd) == 2 &&
	      rte_mempool_avail_count(mp) == avail, "12 again: %s, %" PRIu64
	      " late", vg_drop_name(c[0].status), late_ops(cd));
}

/* A device that loses ops (played by a dequeue callback, which sees what
 * the PMD returns before the engine does), with a 1 ms wait. */
static void
test_lost_ops(void)
{
	enum vg_suite su = VG_SUITE_AES_CM_128_HMAC_SHA1_80;
	struct vg_engine *cd = engine(&vg_engine_cryptodev, 2);
	struct vg_engine *ls = engine(&vg_engine_libsrtp, 2);
	unsigned avail = rte_mempool_avail_count(mp);
	struct vg_master_key key = { .len = 30 };
	struct thief t = { .ref = -1 };
	struct rte_cryptodev_cb *cb;
	struct vg_cdev_engine *ce;
	char err[256] = "";

	if (cd == NULL || ls == NULL)
		return;
	ce = vg_cdev_from(cd);
	for (unsigned b = 0; b < key.len; b++)
		key.bytes[b] = (uint8_t)rand();
	CHECK(cd->ops->stream_add(cd, 0, su, &key, 0x6000, err,
				  sizeof(err)) == 0 &&
	      cd->ops->stream_add_in(cd, 1, su, &key, 0x6000, err,
				     sizeof(err)) == 0 &&
	      ls->ops->stream_add(ls, 0, su, &key, 0x6000, err,
				  sizeof(err)) == 0, "%s", err);
	ce->wait_tsc = rte_get_tsc_hz() / 1000;
	cb = rte_cryptodev_add_deq_callback(ce->dev[VG_CDEV_DEV_CM]->id, 0, steal, &t);
	CHECK(cb != NULL, "a dequeue callback on the device");
	if (cb != NULL) {
		lost_protect(cd, ls, &t, avail);
		lost_unprotect(cd, ls, &t, avail);
		CHECK(t.n == 0 && rte_mempool_avail_count(ce->op_pool) +
		      ce->n_spare == ce->op_pool->size,
		      "every crypto op back in its pool");
		rte_cryptodev_remove_deq_callback(ce->dev[VG_CDEV_DEV_CM]->id, 0, cb);
	}
	cd->ops->destroy(cd);
	ls->ops->destroy(ls);
}

/* Everything, on the devices cm (AES-CM suites) and gcm (GCM suites);
 * gcm_cpu: whether GCM goes through CPU crypto there (else enqueue). */
/* ---- Receivers that resume (rx_set): a restart, an announcement -------- */

#define R_START ((3ull << 16) + 65400)	/* crosses ROC 3 -> 4 */
#define R_PACKETS 400

/* Give packet p (SRTP or SRTCP from libsrtp) to both engines' receivers
 * (id 0); both must give verdict want and, on success, the plain bytes
 * and the index. */
static void
both_receive(struct vg_engine *e[2], const uint8_t *p, uint32_t len,
	     bool rtcp, const uint8_t *plain, uint32_t plain_len,
	     uint64_t index, uint8_t want, unsigned *bad)
{
	for (unsigned j = 0; j < 2; j++) {
		struct vg_crypto_op op = { .rtcp = rtcp };
		struct rte_mbuf *m = wrap(&op, p, len);

		e[j]->ops->unprotect_burst(e[j], &op, 1);
		if (op.status != want || (want == VG_DROP_NONE &&
		    (op.len != plain_len || memcmp(op.data, plain, plain_len) ||
		     op.index != index)))
			(*bad)++;
		rte_pktmbuf_free(m);
	}
}

/* Packets of a libsrtp sender: SRTP from index R_START, SRTCP from 1. */
struct rsent {
	uint8_t plain[R_PACKETS][64], wire[R_PACKETS][96];
	uint32_t plen[R_PACKETS], wlen[R_PACKETS];
	uint8_t rplain[10][64], rwire[10][96];
	uint32_t rplen[10], rwlen[10];
};

static void
resume_send(srtp_t tx, uint32_t ssrc, struct rsent *t)
{
	uint16_t hl;
	int n;

	for (unsigned i = 0; i < R_PACKETS; i++) {
		t->plen[i] = 12 + (unsigned)rand() % 50;
		shape_packet(ssrc, (uint16_t)(R_START + i), t->plain[i], &hl);
		t->plain[i][0] &= 0xe0;	/* no CSRC, no extension */
		memcpy(t->wire[i], t->plain[i], t->plen[i]);
		n = (int)t->plen[i];
		CHECK(srtp_protect(tx, t->wire[i], &n) == srtp_err_status_ok);
		t->wlen[i] = (uint32_t)n;
	}
	for (unsigned i = 0; i < 10; i++) {
		t->rplen[i] = 28;
		make_rtcp(ssrc, t->rplain[i]);
		t->rplain[i][3] = 6;
		memcpy(t->rwire[i], t->rplain[i], 28);
		n = 28;
		CHECK(srtp_protect_rtcp(tx, t->rwire[i], &n) ==
		      srtp_err_status_ok);
		t->rwlen[i] = (uint32_t)n;
	}
}

/* One suite: a libsrtp sender well past ROC 0; receivers on both engines
 * that join late, then resume (rx_set, as a ROC announcement or the state
 * file makes them). */
static void
resume_suite(enum vg_suite suite)
{
	static const uint8_t klen[] = { 30, 30, 28, 44 };
	static struct rsent t;
	struct vg_engine *e[2] = { engine(&vg_engine_cryptodev, 1),
				   engine(&vg_engine_libsrtp, 1) };
	struct vg_master_key key = { .len = klen[suite] };
	uint32_t ssrc = 0x5eed0001 + suite;
	unsigned bad = 0, late = 0;
	char err[256];
	srtp_t tx;

	for (unsigned b = 0; b < key.len; b++)
		key.bytes[b] = (uint8_t)rand();
	tx = kat_libsrtp(suite, &key, ssrc_specific, ssrc);
	CHECK(tx != NULL && srtp_set_stream_roc(tx, ssrc, R_START >> 16) ==
	      srtp_err_status_ok);
	resume_send(tx, ssrc, &t);
	if (e[0] == NULL || e[1] == NULL) {
		CHECK(false, "engines for the resume test");
		return;
	}
	for (unsigned j = 0; j < 2; j++)
		CHECK(e[j]->ops->stream_add_in(e[j], 0, suite, &key, ssrc, err,
					       sizeof(err)) == 0, "%s", err);
	/* Joining late, a receiver guesses ROC 0: nothing authenticates. */
	both_receive(e, t.wire[200], t.wlen[200], false, NULL, 0, 0,
		     VG_DROP_AUTH_FAIL, &late);
	CHECK(late == 0, "%s: a late receiver without rx_set fails",
	      vg_suite_get(suite)->name);
	/* Resumed at index R_START + 100 and SRTCP index 4. */
	for (unsigned j = 0; j < 2; j++)
		CHECK(e[j]->ops->rx_set(e[j], 0, R_START + 100, 4) == 0);
	both_receive(e, t.wire[99], t.wlen[99], false, NULL, 0, 0,
		     VG_DROP_REPLAY, &bad);
	for (unsigned i = 100; i < R_PACKETS; i++)
		both_receive(e, t.wire[i], t.wlen[i], false, t.plain[i],
			     t.plen[i], R_START + i, VG_DROP_NONE, &bad);
	both_receive(e, t.wire[150], t.wlen[150], false, NULL, 0, 0,
		     VG_DROP_REPLAY, &bad);
	/* Not above what it accepted: changes nothing. */
	for (unsigned j = 0; j < 2; j++)
		CHECK(e[j]->ops->rx_set(e[j], 0, R_START + 10, 0) == 0);
	both_receive(e, t.wire[399], t.wlen[399], false, NULL, 0, 0,
		     VG_DROP_REPLAY, &bad);
	both_receive(e, t.rwire[2], t.rwlen[2], true, NULL, 0, 0,
		     VG_DROP_REPLAY, &bad);
	for (unsigned i = 3; i < 10; i++)
		both_receive(e, t.rwire[i], t.rwlen[i], true, t.rplain[i],
			     t.rplen[i], i + 1, VG_DROP_NONE, &bad);
	CHECK(bad == 0, "%s: %u verdicts, plain bytes or indexes wrong after "
	      "rx_set", vg_suite_get(suite)->name, bad);
	srtp_dealloc(tx);
	for (unsigned j = 0; j < 2; j++)
		e[j]->ops->destroy(e[j]);
}

static void
test_resume(void)
{
	for (unsigned s = 0; s < VG_SUITE_COUNT; s++)
		resume_suite((enum vg_suite)s);
}

/* ---- Protect refusals -------------------------------------------------- */

/* A plain packet of SSRC ssrc for stream sid in an mbuf: RTP (12-byte
 * header, 40 bytes of payload, index seq) or an RTCP sender report. */
static struct rte_mbuf *
plain_op(struct vg_crypto_op *op, uint32_t sid, uint32_t ssrc, uint16_t seq,
	 bool rtcp)
{
	uint8_t p[BUF];
	uint32_t len = 52;

	if (rtcp) {
		len = make_rtcp(ssrc, p);
	} else {
		memset(p, 0x5a, len);
		p[0] = 0x80;
		p[1] = 96;
		vg_put_be16(p + 2, seq);
		vg_put_be32(p + 8, ssrc);
	}
	*op = (struct vg_crypto_op){ .stream = sid, .rtcp = rtcp,
		.index = rtcp ? 0 : seq, .hdr_len = rtcp ? 0 : 12 };
	return wrap(op, p, len);
}

/* What protect refuses, op by op in one burst, SRTP and SRTCP alike (as
 * the libsrtp engine, tests/unit/test_engine.c): a packet whose SSRC is
 * not its stream's, a stream never added, ids past max_streams, an
 * in-stream; the good packets around them go through.  The table has a
 * spare zeroed slot past its end, so an id past it would pass for a
 * stream never added even unchecked: white-box, the engine is told it
 * has two streams fewer than it set up, so that stream 2 past the end is
 * a real stream, whose packets must be refused all the same. */
static void
refusals_suite(enum vg_suite suite)
{
	static const uint8_t klen[] = { 30, 30, 28, 44 };
	static const struct { uint32_t sid, ssrc; const char *what; } r[] = {
		{ 0, 0xa, "good" }, { 0, 0xb, "SSRC not the stream's" },
		{ 3, 0xa, "stream never added" },
		{ 2, 0xc, "id past max_streams, a stream there" },
		{ 4, 0xa, "id past max_streams, the spare slot" },
		{ 1, 0xa, "an in-stream" }, { 0, 0xa, "good after refusals" },
	};
	enum { R = sizeof(r) / sizeof(r[0]) };
	struct vg_engine *e = engine(&vg_engine_cryptodev, 4);
	struct vg_master_key key = { .len = klen[suite] };
	struct vg_crypto_op op[2 * R];
	struct rte_mbuf *m[2 * R];
	uint32_t len[2 * R];
	char err[256] = "";

	if (e == NULL)
		return;
	for (unsigned b = 0; b < key.len; b++)
		key.bytes[b] = (uint8_t)rand();
	CHECK(e->ops->stream_add(e, 0, suite, &key, 0xa, err,
				 sizeof(err)) == 0 &&
	      e->ops->stream_add_in(e, 1, suite, &key, 0xa, err,
				    sizeof(err)) == 0 &&
	      e->ops->stream_add(e, 2, suite, &key, 0xc, err,
				 sizeof(err)) == 0, "%s", err);
	for (unsigned i = 0; i < 2 * R; i++) {
		m[i] = plain_op(&op[i], r[i % R].sid, r[i % R].ssrc,
				(uint16_t)(100 + i), i >= R);
		len[i] = op[i].len;
	}
	vg_cdev_from(e)->max_streams = 2;
	e->ops->protect_burst(e, op, 2 * R);
	vg_cdev_from(e)->max_streams = 4;
	for (unsigned i = 0; i < 2 * R; i++) {
		bool good = i % R == 0 || i % R == R - 1;

		CHECK(good ? op[i].status == VG_DROP_NONE &&
			     op[i].len > len[i] :
			     op[i].status == VG_DROP_PROTECT_FAIL &&
			     op[i].len == len[i],
		      "%s %s, %s: %s", vg_suite_get(suite)->name,
		      i >= R ? "SRTCP" : "SRTP", r[i % R].what,
		      vg_drop_name(op[i].status));
		rte_pktmbuf_free(m[i]);
	}
	/* Far out: refused before the table is read. */
	for (unsigned i = 0; i < 2; i++) {
		m[i] = plain_op(&op[i], UINT32_MAX, 0xa, 200, i == 1);
		e->ops->protect_burst(e, &op[i], 1);
		CHECK(op[i].status == VG_DROP_PROTECT_FAIL, "%s: id %u",
		      vg_suite_get(suite)->name, UINT32_MAX);
		rte_pktmbuf_free(m[i]);
	}
	e->ops->destroy(e);
}

static void
test_protect_refusals(void)
{
	for (unsigned s = 0; s < VG_SUITE_COUNT; s++)
		refusals_suite((enum vg_suite)s);
}

/* ---- SRTCP's E bit ------------------------------------------------------ */

/* A libsrtp sender of GCM suite whose SRTCP is authenticated only: E bit
 * clear, the RTCP compound sent in the clear as AAD (RFC 7714 §9.3). */
static srtp_t
clear_sender(enum vg_suite suite, const struct vg_master_key *key,
	     uint32_t ssrc)
{
	srtp_policy_t p;
	srtp_t s = NULL;

	memset(&p, 0, sizeof(p));
	if (suite == VG_SUITE_AEAD_AES_128_GCM) {
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtcp);
	} else {
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p.rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p.rtcp);
	}
	p.rtcp.sec_serv = sec_serv_auth;
	p.ssrc.type = ssrc_specific;
	p.ssrc.value = ssrc;
	p.key = (unsigned char *)key->bytes;
	p.window_size = 1024;
	return srtp_create(&s, &p) == srtp_err_status_ok ? s : NULL;
}

/* A sender report of ssrc through libsrtp sender tx; returns where the
 * byte holding its E bit is (GCM: E|index last; AES-CM: before the tag). */
static uint32_t
send_rtcp(srtp_t tx, uint32_t ssrc, const struct vg_suite_info *si,
	  struct sent *p)
{
	int n;

	p->plain_len = make_rtcp(ssrc, p->plain);
	memcpy(p->wire, p->plain, p->plain_len);
	n = (int)p->plain_len;
	CHECK(srtp_protect_rtcp(tx, p->wire, &n) == srtp_err_status_ok);
	p->wire_len = (uint32_t)n;
	return p->wire_len - 4 - (si->aead ? 0 : si->rtcp_tag_len);
}

/* GCM SRTCP with the E bit clear, from libsrtp: accepted by both engines'
 * receivers with the bytes sent; E set on it, or a byte of it changed,
 * fails its tag (both are authenticated).  Indexes from 2 (1 is the
 * encrypted packet's, e_bit_suite). */
static void
e_clear(struct vg_engine *e[2], enum vg_suite suite,
	const struct vg_master_key *key, uint32_t ssrc)
{
	const struct vg_suite_info *si = vg_suite_get(suite);
	srtp_t tx = clear_sender(suite, key, ssrc);
	static struct sent pk;
	unsigned bad = 0, sent_clear = 0;
	uint32_t e_at;

	CHECK(tx != NULL, "%s: an authenticated-only libsrtp sender", si->name);
	if (tx == NULL)
		return;
	send_rtcp(tx, ssrc, si, &pk);			/* index 1 */
	for (uint64_t i = 2; i <= 4; i++) {
		e_at = send_rtcp(tx, ssrc, si, &pk);
		sent_clear += !(pk.wire[e_at] & 0x80) &&
			      memcmp(pk.wire, pk.plain, pk.plain_len) == 0;
		pk.wire[e_at] |= 0x80;
		both_receive(e, pk.wire, pk.wire_len, true, NULL, 0, 0,
			     VG_DROP_AUTH_FAIL, &bad);
		pk.wire[e_at] &= 0x7f;
		pk.wire[8] ^= 1;
		both_receive(e, pk.wire, pk.wire_len, true, NULL, 0, 0,
			     VG_DROP_AUTH_FAIL, &bad);
		pk.wire[8] ^= 1;
		both_receive(e, pk.wire, pk.wire_len, true, pk.plain,
			     pk.plain_len, i, VG_DROP_NONE, &bad);
	}
	both_receive(e, pk.wire, pk.wire_len, true, NULL, 0, 0, VG_DROP_REPLAY,
		     &bad);
	CHECK(sent_clear == 3, "%s: libsrtp sent SRTCP with E clear, in the "
	      "clear (%u of 3)", si->name, sent_clear);
	CHECK(bad == 0, "%s: SRTCP with E clear: %u verdicts or plain bytes "
	      "wrong", si->name, bad);
	srtp_dealloc(tx);
}

/* The E bit of SRTCP on both engines' receivers.  An encrypted packet
 * with E cleared: GCM fails its tag (E|index is in the AAD, and the
 * receiver then takes the ciphertext for plain AAD), AES-CM is refused
 * before the tag (libsrtp: cant_check); neither consumes its index.  GCM
 * packets sent with E clear: e_clear. */
static void
e_bit_suite(enum vg_suite suite)
{
	static const uint8_t klen[] = { 30, 30, 28, 44 };
	const struct vg_suite_info *si = vg_suite_get(suite);
	struct vg_engine *e[2] = { engine(&vg_engine_cryptodev, 1),
				   engine(&vg_engine_libsrtp, 1) };
	struct vg_master_key key = { .len = klen[suite] };
	uint32_t ssrc = 0xeb170000u + suite, e_at;
	static struct sent pk;
	unsigned bad = 0;
	char err[256] = "";
	srtp_t tx;

	if (e[0] == NULL || e[1] == NULL)
		return;
	for (unsigned b = 0; b < key.len; b++)
		key.bytes[b] = (uint8_t)rand();
	for (unsigned j = 0; j < 2; j++)
		CHECK(e[j]->ops->stream_add_in(e[j], 0, suite, &key, ssrc, err,
					       sizeof(err)) == 0, "%s", err);
	tx = kat_libsrtp(suite, &key, ssrc_specific, ssrc);
	CHECK(tx != NULL);
	e_at = send_rtcp(tx, ssrc, si, &pk);
	CHECK(pk.wire[e_at] & 0x80, "%s: E set when encrypted", si->name);
	pk.wire[e_at] &= 0x7f;
	both_receive(e, pk.wire, pk.wire_len, true, NULL, 0, 0, si->aead ?
		     VG_DROP_AUTH_FAIL : VG_DROP_UNPROTECT_FAIL, &bad);
	CHECK(bad == 0, "%s: an encrypted SRTCP packet with E cleared",
	      si->name);
	pk.wire[e_at] |= 0x80;
	both_receive(e, pk.wire, pk.wire_len, true, pk.plain, pk.plain_len, 1,
		     VG_DROP_NONE, &bad);
	CHECK(bad == 0, "%s: the genuine packet after it", si->name);
	if (si->aead)
		e_clear(e, suite, &key, ssrc);
	srtp_dealloc(tx);
	for (unsigned j = 0; j < 2; j++)
		e[j]->ops->destroy(e[j]);
}

static void
test_rtcp_e_bit(void)
{
	for (unsigned s = 0; s < VG_SUITE_COUNT; s++)
		e_bit_suite((enum vg_suite)s);
}

static void
run_all(const char *cm, const char *gcm, bool gcm_cpu)
{
	struct rte_cryptodev_info info = { 0 };
	struct vg_engine *cd, *ls;
	struct counts k = { 0 };
	int id;

	dev_cm = cm;
	dev_gcm = gcm;
	test_kats();
	/* The engine (test_kats made it) chose by this flag: the path this
	 * run exercises is the one asked for. */
	id = rte_cryptodev_get_dev_id(gcm);
	if (id >= 0)
		rte_cryptodev_info_get((uint8_t)id, &info);
	CHECK(id >= 0 && !(info.feature_flags & RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO)
	      == !gcm_cpu, "%s: GCM through %s", gcm,
	      gcm_cpu ? "CPU crypto" : "enqueue/dequeue");
	test_shared_sessions();
	test_batches();
	test_wait_zero();
	test_lost_ops();
	/* Ids: [0, S) protect cross-check, [S, 2S) senders for the
	 * unprotect cross-check, [2S, 3S) its receivers, 3S and 3S + 1
	 * a sender and a receiver for test_forged_ahead. */
	cd = engine(&vg_engine_cryptodev, 3 * STREAMS + 2);
	ls = engine(&vg_engine_libsrtp, 3 * STREAMS + 2);
	if (cd == NULL || ls == NULL)
		return;
	setup_streams(cd, ls);
	for (unsigned b = 0; b < PACKETS / BURST; b++)
		run_burst(cd, ls, &k);
	printf("%s + %s: cross-check: %u identical (%u SRTCP), %u "
	       "different, %u decrypted by libsrtp, %u tiny payloads, %u "
	       "after ROC wrap, %u replays refused\n", dev_cm, dev_gcm,
	       k.same, k.rtcp, k.differ, k.decrypted, k.tiny, k.wrapped,
	       k.refused_both);
	CHECK(k.differ == 0 && k.same == PACKETS / BURST * BURST);
	CHECK(k.refused_mismatch == 0, "%u packets refused by the gateway "
	      "were accepted by libsrtp", k.refused_mismatch);
	CHECK(k.decrypted == k.same, "libsrtp decrypts every packet");
	CHECK(k.tiny > 1000 && k.wrapped > 1000 && k.refused_both > 100 &&
	      k.rtcp > 1000,
	      "the cases that matter were exercised");
	test_forged_ahead(cd, ls);
	test_unprotect(cd, ls);
	CHECK(rte_mempool_avail_count(mp) == mp->size, "mbufs all back");
	for (unsigned i = 0; i < STREAMS; i++)
		srtp_dealloc(ts[i].rx);
	cd->ops->destroy(cd);
	ls->ops->destroy(ls);
	test_resume();
	test_protect_refusals();
	test_rtcp_e_bit();
	CHECK(rte_mempool_avail_count(mp) == mp->size, "mbufs all back");
}

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "-l", "0", "--no-huge", "-m", "512",
			"--no-pci", "--no-shconf", "--log-level", "3" };

	(void)argc;
	if (rte_eal_init(sizeof(eal) / sizeof(eal[0]), eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	mp = rte_pktmbuf_pool_create("t_mbufs", 1023, 0, 0, 2048 + 128, 0);
	srand(7);
	run_all("crypto_aesni_mb", "crypto_aesni_gcm", true);
	run_all("crypto_openssl", "crypto_openssl", false);
	VG_TEST_END();
}
