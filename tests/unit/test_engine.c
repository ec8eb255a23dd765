/* Known-answer tests of the libsrtp engine, driven through the engine ops
 * exactly as the worker drives them: every protected packet must equal the
 * published bytes, decrypt with an independent libsrtp receiver, and a
 * repeated RTP index must be refused.
 *
 * Vector sources (bytes are facts; no code was copied):
 *  - AES_CM_128_HMAC_SHA1_80: libsrtp test/srtp_driver.c srtp_validate(),
 *    with the RFC 3711 Appendix B.3 master key and salt.
 *  - AES_CM_128_HMAC_SHA1_32: derived from the same vector.  The keystream
 *    does not depend on the tag length and the 32-bit tag is the leftmost
 *    32 bits of the same HMAC-SHA1 (RFC 3711 §4.2), so the SRTP packet is
 *    the _80 one cut 6 bytes shorter; SRTCP keeps the 80-bit tag
 *    (RFC 4568 §6.2.1), so it is the _80 SRTCP packet unchanged.
 *  - AEAD_AES_128_GCM: libsrtp srtp_driver.c srtp_validate_gcm().
 *  - AEAD_AES_256_GCM: libsrtp has no master-key vector for it, and the
 *    RFC 7714 §16-17 vectors start from session keys, which a master-key
 *    engine cannot be given.  Computed with an independent implementation
 *    (Python, pyca/cryptography) of the RFC 3711 §4.3 KDF and RFC 7714
 *    §8-9 AEAD processing; that implementation reproduces RFC 7714
 *    §16.1, 16.2, 17.1 and 17.2, RFC 3711 B.3 and all libsrtp vectors
 *    above before producing this one.
 * libsrtp numbers the first SRTCP packet 1 (E|index = 80000001). */
#include <malloc.h>
#include <stdint.h>
#include <string.h>

#include <srtp2/srtp.h>

#include "engine.h"
#include "harness.h"

#include "kat.h"

/* The engine under test, with one stream (id 0) set up for the vector. */
static struct vg_engine *
engine_for(enum vg_suite suite, const struct vg_master_key *key,
	   uint32_t ssrc)
{
	const struct vg_engine_ops *ops = &vg_engine_libsrtp;
	struct vg_engine *e;
	char err[128] = "";

	if (ops == NULL)
		return NULL;
	e = ops->create(&(struct vg_engine_params){ .max_streams = 4 }, err, sizeof(err));
	CHECK(e != NULL, "create: %s", err);
	if (e == NULL)
		return NULL;
	CHECK(e->ops == ops, "ops pointer");
	if (ops->stream_add(e, 0, suite, key, ssrc, err, sizeof(err)) != 0) {
		CHECK(0, "stream_add %s: %s", vg_suite_get(suite)->name, err);
		ops->destroy(e);
		return NULL;
	}
	return e;
}

/* An independent receiver: plain libsrtp, any inbound SSRC. */
static srtp_t
receiver_for(enum vg_suite suite, const struct vg_master_key *key)
{
	srtp_t s = kat_libsrtp(suite, key, ssrc_any_inbound, 0);

	CHECK(s != NULL, "receiver for %s", vg_suite_get(suite)->name);
	return s;
}

/* Protect one packet through the burst entry point; returns op.status. */
static int
protect_one(struct vg_engine *e, uint8_t *buf, uint32_t *len, int rtcp)
{
	struct vg_crypto_op op = {
		.data = buf, .len = *len, .stream = 0, .rtcp = (uint8_t)rtcp,
		.status = 0xff,
	};

	vg_engine_protect_burst(e, &op, 1);
	*len = op.len;
	return op.status;
}

/* Protect plain, compare with want, decrypt with rx, compare with plain. */
static void
check_kat_packet(const char *name, struct vg_engine *e, srtp_t rx,
		 const char *plain_hex, const char *want_hex, int rtcp)
{
	uint8_t plain[PKT_MAX], want[PKT_MAX], buf[PKT_MAX];
	size_t plain_len = unhex(plain_hex, plain, sizeof(plain));
	size_t want_len = unhex(want_hex, want, sizeof(want));
	uint32_t len = (uint32_t)plain_len;
	int rlen, st;

	memset(buf, 0xee, sizeof(buf));
	memcpy(buf, plain, plain_len);
	st = protect_one(e, buf, &len, rtcp);
	CHECK(st == VG_DROP_NONE, "%s %s: status %d", name,
	      rtcp ? "srtcp" : "srtp", st);
	CHECK(len == want_len, "%s %s: len %u, want %zu", name,
	      rtcp ? "srtcp" : "srtp", len, want_len);
	CHECK(memcmp(buf, want, want_len) == 0, "%s %s: bytes differ", name,
	      rtcp ? "srtcp" : "srtp");
	CHECK(buf[want_len] == 0xee, "%s: wrote past the trailer", name);

	/* Decrypt the expected bytes, not ours: each side is checked
	 * against the vector on its own. */
	rlen = (int)want_len;
	st = rtcp ? srtp_unprotect_rtcp(rx, want, &rlen) :
		    srtp_unprotect(rx, want, &rlen);
	CHECK(st == srtp_err_status_ok && rlen == (int)plain_len &&
	      memcmp(want, plain, plain_len) == 0,
	      "%s %s: receiver status %d len %d", name,
	      rtcp ? "srtcp" : "srtp", st, rlen);
}

/* A repeated RTP index must be refused (libsrtp's own window); SRTCP
 * carries its own index, so the same RTCP packet gets a fresh one. */
static void
check_repeat(const struct kat *k, struct vg_engine *e)
{
	uint8_t buf[PKT_MAX], first[PKT_MAX];
	size_t plain_len = unhex(k->rtp, buf, sizeof(buf));
	uint32_t len = (uint32_t)plain_len;
	int st;

	st = protect_one(e, buf, &len, 0);
	CHECK(st == VG_DROP_REPLAY, "%s: repeated seq gave status %d",
	      k->name, st);
	CHECK(len == plain_len, "%s: len changed on a drop", k->name);

	unhex(k->srtcp, first, sizeof(first));
	plain_len = unhex(k->rtcp, buf, sizeof(buf));
	len = (uint32_t)plain_len;
	st = protect_one(e, buf, &len, 1);
	CHECK(st == VG_DROP_NONE, "%s: second srtcp status %d", k->name, st);
	CHECK(memcmp(buf, first, len) != 0, "%s: srtcp index reused",
	      k->name);
}

static void
test_kat(const struct kat *k)
{
	const struct vg_suite_info *si = vg_suite_get(k->suite);
	struct vg_master_key key;
	uint8_t tmp[PKT_MAX];
	struct vg_engine *e;
	srtp_t rx;

	key_from_hex(&key, k->key);
	CHECK(key.len == si->key_len + si->salt_len, "%s key", k->name);
	/* The SRTCP trailer is E|index plus the suite's SRTCP tag. */
	CHECK(unhex(k->srtcp, tmp, sizeof(tmp)) ==
	      unhex(k->rtcp, tmp, sizeof(tmp)) + 4 + si->rtcp_tag_len,
	      "%s srtcp length", k->name);
	e = engine_for(k->suite, &key, k->ssrc);
	rx = receiver_for(k->suite, &key);
	if (e == NULL || rx == NULL)
		goto out;
	check_kat_packet(k->name, e, rx, k->rtp, k->srtp, 0);
	check_kat_packet(k->name, e, rx, k->rtcp, k->srtcp, 1);
	check_repeat(k, e);
out:
	if (rx != NULL)
		srtp_dealloc(rx);
	if (e != NULL)
		e->ops->destroy(e);
}

/* RTP header + 1 payload byte: the smallest packet must still be
 * encrypted (CTR and GCM need no padding) and round-trip. */
static void
test_tiny(enum vg_suite suite)
{
	const struct vg_suite_info *si = vg_suite_get(suite);
	uint8_t buf[13 + VG_SRTP_MAX_TRAILER];
	uint8_t plain[13] = { 0x80, 0x60, 0x00, 0x01, 0x00, 0x00, 0x10, 0x00,
			      0x12, 0x34, 0x56, 0x78, 0x42 };
	struct vg_master_key key = { .len = si->key_len + si->salt_len };
	uint32_t len = sizeof(plain);
	struct vg_engine *e;
	srtp_t rx;
	int rlen, st;

	for (unsigned i = 0; i < key.len; i++)
		key.bytes[i] = (uint8_t)(0x5a + 7 * i);
	e = engine_for(suite, &key, 0x12345678);
	rx = receiver_for(suite, &key);
	if (e == NULL || rx == NULL)
		goto out;
	memcpy(buf, plain, sizeof(plain));
	st = protect_one(e, buf, &len, 0);
	CHECK(st == VG_DROP_NONE, "%s tiny: status %d", si->name, st);
	CHECK(len == sizeof(plain) + si->rtp_tag_len, "%s tiny: len %u",
	      si->name, len);
	CHECK(buf[12] != plain[12], "%s tiny: payload not encrypted",
	      si->name);
	rlen = (int)len;
	st = srtp_unprotect(rx, buf, &rlen);
	CHECK(st == srtp_err_status_ok && rlen == (int)sizeof(plain) &&
	      memcmp(buf, plain, sizeof(plain)) == 0,
	      "%s tiny: round trip status %d len %d", si->name, st, rlen);
out:
	if (rx != NULL)
		srtp_dealloc(rx);
	if (e != NULL)
		e->ops->destroy(e);
}

/* Configuration errors are refused with a message, never half-applied. */
static void
test_rejects(void)
{
	const struct vg_engine_ops *ops = &vg_engine_libsrtp;
	struct vg_master_key key;
	struct vg_engine *e;
	char err[128];

	e = ops->create(&(struct vg_engine_params){ .max_streams = 2 }, err, sizeof(err));
	CHECK(e != NULL, "create: %s", err);
	if (e == NULL)
		return;
	key_from_hex(&key, CM_KEY);
	err[0] = '\0';
	CHECK(ops->stream_add(e, 2, VG_SUITE_AES_CM_128_HMAC_SHA1_80, &key,
			      1, err, sizeof(err)) == -1 && err[0] != '\0',
	      "id out of range accepted");
	/* A 30-byte AES-CM key is not a 28-byte GCM key, nor a 44-byte one. */
	CHECK(ops->stream_add(e, 0, VG_SUITE_AEAD_AES_128_GCM, &key, 1, err,
			      sizeof(err)) == -1, "GCM-128 took 30 bytes");
	CHECK(strstr(err, "e1f9") == NULL && strstr(err, "E1F9") == NULL,
	      "error message shows key bytes: %s", err);
	CHECK(ops->stream_add(e, 0, VG_SUITE_AEAD_AES_256_GCM, &key, 1, err,
			      sizeof(err)) == -1, "GCM-256 took 30 bytes");
	key.len = 29;
	CHECK(ops->stream_add(e, 0, VG_SUITE_AES_CM_128_HMAC_SHA1_80, &key, 1,
			      err, sizeof(err)) == -1, "short key accepted");
	key.len = 30;
	CHECK(ops->stream_add(e, 0, VG_SUITE_COUNT, &key, 1, err,
			      sizeof(err)) == -1, "bad suite accepted");
	ops->destroy(e);
	ops->destroy(NULL);
}

/* In one burst, every op gets its own verdict: a good packet, one for a
 * stream never added, one out of range, one whose SSRC is not the
 * stream's. */
static void
test_burst_verdicts(void)
{
	uint8_t good[PKT_MAX], none[PKT_MAX], range[PKT_MAX], wrong[PKT_MAX];
	struct vg_master_key key;
	struct vg_crypto_op ops[4];
	struct vg_engine *e;
	uint32_t len;

	key_from_hex(&key, CM_KEY);
	e = engine_for(VG_SUITE_AES_CM_128_HMAC_SHA1_80, &key, 0xcafebabe);
	if (e == NULL)
		return;
	len = (uint32_t)unhex(RTP_PLAIN, good, sizeof(good));
	memcpy(none, good, len);
	memcpy(range, good, len);
	memcpy(wrong, good, len);
	wrong[11] ^= 1;
	ops[0] = (struct vg_crypto_op){ .data = good, .len = len };
	ops[1] = (struct vg_crypto_op){ .data = none, .len = len, .stream = 1 };
	ops[2] = (struct vg_crypto_op){ .data = range, .len = len,
					.stream = 4 };
	ops[3] = (struct vg_crypto_op){ .data = wrong, .len = len };
	vg_engine_protect_burst(e, ops, 4);
	CHECK(ops[0].status == VG_DROP_NONE && ops[0].len == len + 10,
	      "good op: status %d", ops[0].status);
	CHECK(ops[1].status == VG_DROP_PROTECT_FAIL && ops[1].len == len,
	      "stream never added");
	CHECK(ops[2].status == VG_DROP_PROTECT_FAIL && ops[2].len == len,
	      "stream id out of range");
	CHECK(ops[3].status == VG_DROP_PROTECT_FAIL && ops[3].len == len,
	      "wrong SSRC: status %d", ops[3].status);
	e->ops->destroy(e);
}

/* stream_size must agree with what the heap really grew by when many
 * streams are added (within a quarter: malloc rounding, table slots). */
static void
test_stream_size(enum vg_suite suite, unsigned n)
{
	const struct vg_engine_ops *ops = &vg_engine_libsrtp;
	const struct vg_suite_info *si = vg_suite_get(suite);
	struct vg_master_key key = { .len = si->key_len + si->salt_len };
	struct mallinfo2 before, after;
	struct vg_engine *e;
	size_t per, reported, probe;
	char err[128];
	unsigned i;
	int rc = 0;

	before = mallinfo2();
	e = ops->create(&(struct vg_engine_params){ .max_streams = n }, err, sizeof(err));
	CHECK(e != NULL, "create %u: %s", n, err);
	if (e == NULL)
		return;
	probe = ops->stream_size(e);
	for (i = 0; i < n && rc == 0; i++) {
		key.bytes[0] = (uint8_t)i;
		rc = ops->stream_add(e, i, suite, &key, 0x1000 + i, err,
				     sizeof(err));
	}
	CHECK(rc == 0, "stream_add: %s", err);
	after = mallinfo2();
	per = (after.uordblks + after.hblkhd - before.uordblks -
	       before.hblkhd) / n;
	reported = ops->stream_size(e);
	if (per == 0) {
		/* valgrind and preloaded allocators do not keep glibc's
		 * statistics: nothing to compare with. */
		printf("libsrtp %s: heap not measurable here, skipped\n",
		       si->name);
		ops->destroy(e);
		return;
	}
	printf("libsrtp %s: %zu bytes/stream measured over %u streams, "
	       "stream_size %zu (before any stream: %zu)\n", si->name, per, n,
	       reported, probe);
	CHECK(probe * 4 >= per * 3 && (probe * 4 <= per * 5 || si->aead),
	      "%s: stream_size before streams %zu vs measured %zu", si->name,
	      probe, per);
	CHECK(reported * 4 >= per * 3 && reported * 4 <= per * 5,
	      "%s: stream_size %zu vs measured %zu", si->name, reported, per);
	ops->destroy(e);
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++)
		test_kat(&kats[i]);
	for (i = 0; i < VG_SUITE_COUNT; i++)
		test_tiny((enum vg_suite)i);
	test_rejects();
	test_burst_verdicts();
	for (i = 0; i < VG_SUITE_COUNT; i++)
		test_stream_size((enum vg_suite)i, 1000);
	VG_TEST_END();
}
