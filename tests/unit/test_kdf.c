/* SPDX-License-Identifier: BSD-3-Clause */
/* SRTP key derivation against RFC 3711 Appendix B.3, and against the
 * independent reference tests/vectors/srtp_ref.py for SRTCP labels and the
 * GCM salt padding (RFC 7714 §11). */
#include <stdlib.h>
#include <string.h>
#include "harness.h"
#include "kdf.h"

static unsigned
hex(const char *s, uint8_t *out)
{
	unsigned n = 0;

	for (; s[0] && s[1]; s += 2) {
		char b[3] = { s[0], s[1], 0 };

		out[n++] = (uint8_t)strtoul(b, NULL, 16);
	}
	return n;
}

static struct vg_master_key
master(const char *key, const char *salt)
{
	struct vg_master_key mk = { 0 };

	mk.len = hex(key, mk.bytes);
	mk.len += hex(salt, mk.bytes + mk.len);
	return mk;
}

static int
same(const uint8_t *got, unsigned len, const char *want)
{
	uint8_t w[64];

	return hex(want, w) == len && memcmp(got, w, len) == 0;
}

static void
test_rfc3711_b3(void)
{
	struct vg_master_key mk = master("e1f97a0d3e018be0d64fa32c06de4139",
					 "0ec675ad498afeebb6960b3aabe6");
	struct vg_session_keys k;

	CHECK(vg_kdf_derive(VG_SUITE_AES_CM_128_HMAC_SHA1_80, &mk, false, &k) == 0);
	CHECK(same(k.enc, k.enc_len, "c61e7a93744f39ee10734afe3ff7a087"),
	      "B.3 cipher key");
	CHECK(same(k.salt, k.salt_len, "30cbbc08863d8c85d49db34a9ae1"),
	      "B.3 cipher salt");
	CHECK(same(k.auth, k.auth_len, "cebe321f6ff7716b6fd4ab49af256a156d38baa4"),
	      "B.3 auth key (first 160 bits)");
	CHECK(vg_kdf_derive(VG_SUITE_AES_CM_128_HMAC_SHA1_32, &mk, true, &k) == 0);
	CHECK(same(k.enc, k.enc_len, "4c1aa45a81f73d61c800bbb00fbb1eaa"), "rtcp enc");
	CHECK(same(k.auth, k.auth_len, "8d54534feb49ae8e7993a6bd0b844fc323a93dfd"),
	      "rtcp auth");
	CHECK(same(k.salt, k.salt_len, "9581c7ad87b3e530bf3e4454a8b3"), "rtcp salt");
}

static void
test_gcm(void)
{
	struct vg_master_key mk = master(
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
		"a0a1a2a3a4a5a6a7a8a9aaab");
	struct vg_session_keys k;

	CHECK(vg_kdf_derive(VG_SUITE_AEAD_AES_256_GCM, &mk, false, &k) == 0);
	CHECK(k.enc_len == 32 && k.salt_len == 12 && k.auth_len == 0);
	CHECK(same(k.enc, 32, "b7a435ce454463b760dc82c838468a115c699625af4b93a0f8220a2a6119c5d0"),
	      "AES-256 PRF, GCM enc key");
	CHECK(same(k.salt, 12, "944bd21c268a962cd09c674a"), "12-byte salt padded right");
	CHECK(vg_kdf_derive(VG_SUITE_AEAD_AES_128_GCM, &mk, false, &k) == -1,
	      "44-byte master refused for AES-128-GCM");
}

int
main(void)
{
	VG_RUN(test_rfc3711_b3);
	VG_RUN(test_gcm);
	VG_TEST_END();
}
