/* SPDX-License-Identifier: BSD-3-Clause */
/* SRTCP with OpenSSL against the known answers (index 1) and against
 * libsrtp byte for byte, for every suite, over random compounds and many
 * consecutive indices; unprotect against a libsrtp receiver, verdict for
 * verdict, over deliveries with duplicates, reordering, stale indexes,
 * flipped bits and cleared E bits. */
#include <stdlib.h>
#include <string.h>
#include <srtp2/srtp.h>
#include "bytes.h"
#include "harness.h"
#include "kat.h"
#include "srtcp.h"

static void
test_kats(struct vg_srtcp_ctx *c)
{
	for (size_t i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		const struct kat *k = &kats[i];
		struct vg_srtcp_stream s;
		struct vg_master_key key;
		uint8_t p[PKT_MAX], want[PKT_MAX];
		uint32_t len;
		size_t w;

		key_from_hex(&key, k->key);
		CHECK(vg_srtcp_stream_init(&s, k->suite, &key, k->ssrc) == 0);
		len = (uint32_t)unhex(k->rtcp, p, sizeof(p));
		w = unhex(k->srtcp, want, sizeof(want));
		CHECK(vg_srtcp_protect(c, &s, p, &len) == 0 && len == w &&
		      memcmp(p, want, w) == 0, "%s", k->name);
	}
}

static srtp_t
sender(enum vg_suite suite, struct vg_master_key *key, uint32_t ssrc)
{
	srtp_t s = kat_libsrtp(suite, key, ssrc_specific, ssrc);

	CHECK(s != NULL);
	return s;
}

static void
test_against_libsrtp(struct vg_srtcp_ctx *c)
{
	static const uint8_t klen[] = { 30, 30, 28, 44 };
	unsigned same = 0, total = 0;

	for (int suite = 0; suite < VG_SUITE_COUNT; suite++) {
		struct vg_master_key key = { .len = klen[suite] };
		uint32_t ssrc = (uint32_t)rand() * 2654435761u;
		struct vg_srtcp_stream s;
		srtp_t ref;

		for (unsigned b = 0; b < key.len; b++)
			key.bytes[b] = (uint8_t)rand();
		CHECK(vg_srtcp_stream_init(&s, (enum vg_suite)suite, &key,
					   ssrc) == 0);
		ref = sender((enum vg_suite)suite, &key, ssrc);
		for (unsigned n = 0; n < 300; n++) {
			uint8_t a[300], b[300];
			uint32_t len = 8 + 4 * (uint32_t)(rand() % 50);
			int rlen = (int)len;

			for (uint32_t i = 0; i < len; i++)
				a[i] = (uint8_t)rand();
			a[0] = 0x80;
			a[1] = 200;
			a[2] = 0;
			a[3] = (uint8_t)(len / 4 - 1);
			a[4] = ssrc >> 24;
			a[5] = ssrc >> 16;
			a[6] = ssrc >> 8;
			a[7] = (uint8_t)ssrc;
			memcpy(b, a, len);
			total++;
			if (vg_srtcp_protect(c, &s, a, &len) == 0 &&
			    srtp_protect_rtcp(ref, b, &rlen) == srtp_err_status_ok &&
			    (int)len == rlen && memcmp(a, b, len) == 0)
				same++;
		}
		srtp_dealloc(ref);
	}
	CHECK(same == total, "%u of %u SRTCP packets identical to libsrtp",
	      same, total);
}

static void
test_refusals(struct vg_srtcp_ctx *c)
{
	struct vg_master_key key = { .len = 30 };
	struct vg_srtcp_stream s;
	uint8_t p[64] = { 0x80, 200, 0, 1, 1, 2, 3, 4 };
	uint32_t len = 8;

	CHECK(vg_srtcp_stream_init(&s, VG_SUITE_AES_CM_128_HMAC_SHA1_80, &key,
				   0x01020305) == 0);
	CHECK(vg_srtcp_protect(c, &s, p, &len) == -1 && len == 8,
	      "another SSRC is refused");
	len = 7;
	s.ssrc = 0x01020304;
	CHECK(vg_srtcp_protect(c, &s, p, &len) == -1, "short packet refused");
	len = 8;
	s.index = 0x7fffffff;
	CHECK(vg_srtcp_protect(c, &s, p, &len) == -1,
	      "no index reused after 2^31 packets");
}

/* The gateway's own SRTCP index (vg_srtcp_protect_at, as the engines call
 * it): never back, never the same twice, never past 2^31 - 1. */
static int
protect_at(struct vg_srtcp_ctx *c, struct vg_srtcp_stream *s, uint64_t index,
	   int64_t *got)
{
	uint8_t p[64] = { 0x80, 200, 0, 1, 1, 2, 3, 4 };
	uint32_t len = 8;
	int rc = vg_srtcp_protect_at(c, s, index, p, &len);

	*got = rc == 0 ? vg_srtcp_index_of(p, len, false, s->tag_len) : -1;
	return rc;
}

static void
test_protect_at(struct vg_srtcp_ctx *c)
{
	struct vg_master_key key = { .len = 30 };
	struct vg_srtcp_stream s;
	int64_t got;

	CHECK(vg_srtcp_stream_init(&s, VG_SUITE_AES_CM_128_HMAC_SHA1_80, &key,
				   0x01020304) == 0);
	CHECK(protect_at(c, &s, 70000, &got) == 0 && got == 70000);
	CHECK(protect_at(c, &s, 70000, &got) == -1, "the same index twice");
	CHECK(protect_at(c, &s, 69999, &got) == -1, "an index back");
	CHECK(protect_at(c, &s, 0, &got) == 0 && got == 70001, "0: the next");
	CHECK(protect_at(c, &s, 70005, &got) == 0 && got == 70005, "a jump");
	CHECK(protect_at(c, &s, 0x80000000u, &got) == -1, "2^31");
	CHECK(protect_at(c, &s, 0x7fffffffu, &got) == 0 && got == 0x7fffffff);
	CHECK(protect_at(c, &s, 0, &got) == -1, "none left after 2^31 - 1");
}

/* libsrtp status as the drop reason the engines give. */
static uint8_t
verdict(srtp_err_status_t st)
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

static void
test_kat_unprotect(struct vg_srtcp_ctx *c)
{
	for (size_t i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		const struct kat *k = &kats[i];
		struct vg_srtcp_replay r = { { 0 }, 0 };
		struct vg_srtcp_stream s;
		struct vg_master_key key;
		uint8_t p[PKT_MAX], want[PKT_MAX];
		uint32_t len;
		size_t w;

		key_from_hex(&key, k->key);
		CHECK(vg_srtcp_stream_init(&s, k->suite, &key, k->ssrc) == 0);
		len = (uint32_t)unhex(k->srtcp, p, sizeof(p));
		w = unhex(k->rtcp, want, sizeof(want));
		CHECK(vg_srtcp_unprotect(c, &s, &r, p, &len) == VG_DROP_NONE &&
		      len == w && memcmp(p, want, w) == 0, "%s", k->name);
		len = (uint32_t)unhex(k->srtcp, p, sizeof(p));
		CHECK(vg_srtcp_unprotect(c, &s, &r, p, &len) == VG_DROP_REPLAY,
		      "%s: replay", k->name);
	}
}

struct held {
	uint8_t p[300];
	uint32_t len;
	int due;
};

/* One delivery to both receivers; counts verdicts, returns 1 if equal. */
static int
deliver(struct vg_srtcp_ctx *c, const struct vg_srtcp_stream *s,
	struct vg_srtcp_replay *r, srtp_t ref, const uint8_t *p, uint32_t len,
	unsigned seen[VG_DROP_COUNT])
{
	uint8_t a[300], b[300];
	uint32_t alen = len;
	int blen = (int)len;
	uint8_t va, vb;

	memcpy(a, p, len);
	memcpy(b, p, len);
	va = vg_srtcp_unprotect(c, s, r, a, &alen);
	vb = verdict(srtp_unprotect_rtcp(ref, b, &blen));
	seen[va]++;
	if (va != vb)
		return 0;
	return va != VG_DROP_NONE ||
	       ((int)alen == blen && memcmp(a, b, alen) == 0);
}

/* A mutation of packet p (len bytes, E|index at e_at): a bit flipped in
 * the header, body, trailer or tag, or the E bit cleared. */
static void
mutate(uint8_t *p, uint32_t len, uint32_t e_at)
{
	switch (rand() % 4) {
	case 0:
		p[rand() % 8] ^= (uint8_t)(1 << rand() % 8);
		break;
	case 1:
		p[8 + rand() % (len - 8)] ^= (uint8_t)(1 << rand() % 8);
		break;
	case 2:
		p[e_at + 3] ^= 1;		/* the index */
		break;
	default:
		p[e_at] &= 0x7f;
		break;
	}
}

struct tally {
	unsigned seen[VG_DROP_COUNT], same, total, unsent;
};

/* One suite: 3000 packets from a libsrtp sender, each delivered now
 * and/or kept for later (a duplicate, a reordered or, 128 packets on, a
 * stale one), sometimes preceded by a mutated copy. */
static void
run_suite(struct vg_srtcp_ctx *c, enum vg_suite suite, struct tally *t)
{
	static const uint8_t klen[] = { 30, 30, 28, 44 };
	static struct held held[64];
	struct vg_master_key key = { .len = klen[suite] };
	uint32_t ssrc = (uint32_t)rand() * 2654435761u;
	struct vg_srtcp_replay r = { { 0 }, 0 };
	struct vg_srtcp_stream s;
	srtp_t tx, rx;

	for (unsigned b = 0; b < key.len; b++)
		key.bytes[b] = (uint8_t)rand();
	CHECK(vg_srtcp_stream_init(&s, suite, &key, ssrc) == 0);
	tx = sender(suite, &key, ssrc);
	rx = kat_libsrtp(suite, &key, ssrc_specific, ssrc);
	CHECK(rx != NULL);
	memset(held, 0, sizeof(held));
	for (unsigned n = 0; n < 3000 && rx != NULL; n++) {
		uint8_t a[300], m[300];
		uint32_t plen = 8 + 4 * (uint32_t)(rand() % 50);
		int len = (int)plen;
		struct held *h = &held[rand() % 64];

		for (uint32_t i = 0; i < plen; i++)
			a[i] = (uint8_t)rand();
		a[0] = 0x80;
		a[1] = 200;
		a[2] = 0;
		a[3] = (uint8_t)(plen / 4 - 1);
		vg_put_be32(a + 4, ssrc);
		t->unsent += srtp_protect_rtcp(tx, a, &len) != srtp_err_status_ok;
		if (rand() % 8 == 0) {
			memcpy(m, a, (size_t)len);
			mutate(m, (uint32_t)len,
			       (uint32_t)len - 4 - (s.aead ? 0 : s.tag_len));
			t->same += deliver(c, &s, &r, rx, m, (uint32_t)len,
					   t->seen);
			t->total++;
		}
		if (rand() % 6 == 0 && h->due == 0) {
			memcpy(h->p, a, (size_t)len);
			h->len = (uint32_t)len;
			h->due = 1 + rand() % 200;
		}
		if (rand() % 10 != 0) {
			t->same += deliver(c, &s, &r, rx, a, (uint32_t)len,
					   t->seen);
			t->total++;
		}
		for (unsigned i = 0; i < 64; i++) {
			if (held[i].due > 0 && --held[i].due == 0) {
				t->same += deliver(c, &s, &r, rx, held[i].p,
						   held[i].len, t->seen);
				t->total++;
			}
		}
	}
	srtp_dealloc(tx);
	if (rx != NULL)
		srtp_dealloc(rx);
}

/* SRTCP sent by a libsrtp sender, received by ours and by libsrtp. */
static void
test_unprotect_vs_libsrtp(struct vg_srtcp_ctx *c)
{
	struct tally t;

	memset(&t, 0, sizeof(t));
	for (int suite = 0; suite < VG_SUITE_COUNT; suite++)
		run_suite(c, (enum vg_suite)suite, &t);
	printf("srtcp unprotect: %u of %u verdicts as libsrtp's (%u ok, %u "
	       "auth-fail, %u replay, %u unprotect-fail)\n", t.same, t.total,
	       t.seen[VG_DROP_NONE], t.seen[VG_DROP_AUTH_FAIL],
	       t.seen[VG_DROP_REPLAY], t.seen[VG_DROP_UNPROTECT_FAIL]);
	CHECK(t.unsent == 0, "libsrtp refused to send %u", t.unsent);
	CHECK(t.same == t.total, "%u verdicts differ from libsrtp's",
	      t.total - t.same);
	CHECK(t.seen[VG_DROP_NONE] > 5000 && t.seen[VG_DROP_AUTH_FAIL] > 300 &&
	      t.seen[VG_DROP_REPLAY] > 1000 &&
	      t.seen[VG_DROP_UNPROTECT_FAIL] > 50, "every verdict exercised");
}

static void
test_unprotect_refusals(struct vg_srtcp_ctx *c)
{
	struct vg_master_key key = { .len = 30 };
	struct vg_srtcp_replay r = { { 0 }, 0 };
	struct vg_srtcp_stream s;
	uint8_t p[64] = { 0x80, 200, 0, 1, 1, 2, 3, 4 };
	uint32_t len = 8;

	CHECK(vg_srtcp_stream_init(&s, VG_SUITE_AES_CM_128_HMAC_SHA1_80, &key,
				   0x01020304) == 0);
	CHECK(vg_srtcp_protect(c, &s, p, &len) == 0 && len == 22);
	len = 21;
	CHECK(vg_srtcp_unprotect(c, &s, &r, p, &len) ==
	      VG_DROP_UNPROTECT_FAIL && len == 21, "short packet refused");
	len = 22;
	s.ssrc = 0x01020305;
	CHECK(vg_srtcp_unprotect(c, &s, &r, p, &len) ==
	      VG_DROP_UNPROTECT_FAIL, "another SSRC refused");
	s.ssrc = 0x01020304;
	CHECK(vg_srtcp_unprotect(c, &s, &r, p, &len) == VG_DROP_NONE &&
	      len == 8, "accepted");
}

int
main(void)
{
	struct vg_srtcp_ctx *c = vg_srtcp_ctx_new();

	CHECK(srtp_init() == srtp_err_status_ok);
	srand(11);
	VG_RUN(test_kats, c);
	VG_RUN(test_against_libsrtp, c);
	VG_RUN(test_refusals, c);
	VG_RUN(test_protect_at, c);
	VG_RUN(test_kat_unprotect, c);
	VG_RUN(test_unprotect_vs_libsrtp, c);
	VG_RUN(test_unprotect_refusals, c);
	vg_srtcp_ctx_free(c);
	VG_TEST_END();
}
