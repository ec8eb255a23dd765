/* SRTCP with OpenSSL against the known answers (index 1) and against
 * libsrtp byte for byte, for every suite, over random compounds and many
 * consecutive indices. */
#include <stdlib.h>
#include <string.h>
#include <srtp2/srtp.h>
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

int
main(void)
{
	struct vg_srtcp_ctx *c = vg_srtcp_ctx_new();

	CHECK(srtp_init() == srtp_err_status_ok);
	srand(11);
	test_kats(c);
	test_against_libsrtp(c);
	test_refusals(c);
	vg_srtcp_ctx_free(c);
	VG_TEST_END();
}
