/* The cryptodev engine (crypto_aesni_mb, crypto_aesni_gcm) against
 *  - the known-answer packets of tests/unit/kat.h (RFC 3711 B.3 keys, RFC
 *    7714 GCM via the independent reference), and
 *  - libsrtp, byte for byte: many random master keys, SSRCs and header shapes
 *    (CSRCs, extensions, 0-16 byte payloads such as SPS/PPS), sequences that
 *    wrap (ROC 0 -> 1), reordering and duplicates, in mixed bursts of many
 *    streams and suites.  Every cryptodev packet must be identical to
 *    libsrtp's, decrypt with a libsrtp receiver, and the packets the gateway
 *    refuses as replays must be the ones libsrtp refuses.
 * Needs EAL (no hugepages: --no-huge). */
#include <stdlib.h>
#include <string.h>
#include <srtp2/srtp.h>
#include <rte_eal.h>
#include <rte_mbuf.h>
#include "engine.h"
#include "harness.h"
#include "kat.h"
#include "stream.h"

#define STREAMS 48
#define PACKETS 24000
#define BURST 32
#define BUF 1600

static struct rte_mempool *mp;

struct tstream {
	enum vg_suite suite;
	struct vg_master_key key;
	uint32_t ssrc;
	uint16_t next_seq;		/* camera's next sequence number */
	struct vg_stream_seq seq;	/* the gateway's index state */
	srtp_t rx;			/* independent libsrtp receiver */
};

static struct tstream ts[STREAMS];

static struct vg_engine *
engine(const struct vg_engine_ops *ops, unsigned n)
{
	struct vg_engine_params p = { .max_streams = n,
		.cryptodev = "crypto_aesni_mb",
		.cryptodev_gcm = "crypto_aesni_gcm" };
	char err[256] = "";
	struct vg_engine *e = ops->create(&p, err, sizeof(err));

	CHECK(e != NULL, "%s: %s", ops->name, err);
	return e;
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
	srtp_t s = kat_libsrtp(t->suite, &t->key, ssrc_any_inbound, 0);

	CHECK(s != NULL);
	return s;
}

static void
setup_streams(struct vg_engine *cd, struct vg_engine *ls)
{
	static const uint8_t klen[] = { 30, 30, 28, 44 };
	char err[256] = "";

	for (unsigned i = 0; i < STREAMS; i++) {
		struct tstream *t = &ts[i];

		memset(t, 0, sizeof(*t));
		t->suite = (enum vg_suite)(i % VG_SUITE_COUNT);
		t->key.len = klen[t->suite];
		for (unsigned b = 0; b < t->key.len; b++)
			t->key.bytes[b] = (uint8_t)rand();
		t->ssrc = (uint32_t)rand() * 2654435761u;
		/* Start near the wrap so that ROC 0 -> 1 is crossed. */
		t->next_seq = (uint16_t)(65535 - rand() % 300);
		CHECK(cd->ops->stream_add(cd, i, t->suite, &t->key, t->ssrc,
					  err, sizeof(err)) == 0, "%s", err);
		CHECK(ls->ops->stream_add(ls, i, t->suite, &t->key, t->ssrc,
					  err, sizeof(err)) == 0, "%s", err);
		t->rx = receiver(t);
	}
}

/* One camera packet of stream t: random header shape and payload size;
 * sometimes a duplicate or a late packet.  Returns its length. */
static uint32_t
make_packet(struct tstream *t, uint8_t *p, uint16_t *hdr_len)
{
	unsigned cc = rand() % 4 == 0 ? rand() % 4 : 0;
	unsigned ext = rand() % 4 == 0 ? 1 + rand() % 3 : 0;
	unsigned pay = rand() % 3 == 0 ? rand() % 17 : 17 + rand() % 1380;
	uint16_t seq = t->next_seq++;
	uint32_t h = 12 + 4 * cc, i;

	if (rand() % 20 == 0)
		seq -= (uint16_t)(1 + rand() % 3);	/* duplicate or late */
	p[0] = (uint8_t)(0x80 | (ext ? 0x10 : 0) | cc);
	p[1] = (uint8_t)(96 | (rand() % 8 == 0 ? 0x80 : 0));
	p[2] = seq >> 8;
	p[3] = (uint8_t)seq;
	for (i = 4; i < 8; i++)
		p[i] = (uint8_t)rand();
	p[8] = t->ssrc >> 24;
	p[9] = t->ssrc >> 16;
	p[10] = t->ssrc >> 8;
	p[11] = (uint8_t)t->ssrc;
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

/* An RTCP sender report (with a random tail) from stream t. */
static uint32_t
make_rtcp(const struct tstream *t, uint8_t *p)
{
	uint32_t len = 28 + 4 * (uint32_t)(rand() % 8);

	for (uint32_t i = 8; i < len; i++)
		p[i] = (uint8_t)rand();
	p[0] = 0x80;
	p[1] = 200;
	p[2] = 0;
	p[3] = (uint8_t)(len / 4 - 1);
	p[4] = t->ssrc >> 24;
	p[5] = t->ssrc >> 16;
	p[6] = t->ssrc >> 8;
	p[7] = (uint8_t)t->ssrc;
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
			plen = make_rtcp(t, plain[n]);
			len[n] = plen;
			owner[n] = t;
			m[n] = wrap(&c[n], plain[n], plen);
			c[n].stream = sid;
			c[n].rtcp = 1;
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

		if (vg_stream_next_index(&t->seq, t->ssrc, seq, &idx) !=
		    VG_SEQ_OK) {
			/* The gateway refuses it; libsrtp gets the same packet
			 * once the burst holding its original is done. */
			if (nr < BURST) {
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
	/* SEQ is the camera's own in the first epoch: libsrtp must refuse
	 * exactly what the gateway's window refused. */
	for (unsigned i = 0; i < nr; i++) {
		ls->ops->protect_burst(ls, &rej_op[i], 1);
		if (rej_op[i].status == VG_DROP_REPLAY)
			k->refused_both++;
		else
			k->refused_mismatch++;
	}
}

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "-l", "0", "--no-huge", "-m", "512",
			"--no-pci", "--no-shconf", "--log-level", "3" };
	struct vg_engine *cd, *ls;
	struct counts k = { 0 };

	(void)argc;
	if (rte_eal_init(sizeof(eal) / sizeof(eal[0]), eal) < 0) {
		fprintf(stderr, "EAL init failed\n");
		return 1;
	}
	mp = rte_pktmbuf_pool_create("t_mbufs", 1023, 0, 0, 2048 + 128, 0);
	srand(7);
	test_kats();
	cd = engine(&vg_engine_cryptodev, STREAMS);
	ls = engine(&vg_engine_libsrtp, STREAMS);
	if (cd == NULL || ls == NULL)
		VG_TEST_END();
	setup_streams(cd, ls);
	for (unsigned b = 0; b < PACKETS / BURST; b++)
		run_burst(cd, ls, &k);
	printf("cross-check: %u identical (%u SRTCP), %u different, %u "
	       "decrypted by libsrtp, %u tiny payloads, %u after ROC wrap, %u "
	       "replays refused\n", k.same, k.rtcp, k.differ, k.decrypted,
	       k.tiny, k.wrapped, k.refused_both);
	CHECK(k.differ == 0 && k.same == PACKETS / BURST * BURST);
	CHECK(k.refused_mismatch == 0, "%u packets refused by the gateway "
	      "were accepted by libsrtp", k.refused_mismatch);
	CHECK(k.decrypted == k.same, "libsrtp decrypts every packet");
	CHECK(k.tiny > 1000 && k.wrapped > 1000 && k.refused_both > 100 &&
	      k.rtcp > 1000,
	      "the cases that matter were exercised");
	CHECK(rte_mempool_avail_count(mp) == mp->size, "mbufs all back");
	cd->ops->destroy(cd);
	ls->ops->destroy(ls);
	VG_TEST_END();
}
