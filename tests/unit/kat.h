/* SPDX-License-Identifier: BSD-3-Clause */
/* Known-answer SRTP/SRTCP packets shared by the engine tests; where each
 * comes from is told in tests/unit/test_engine.c and traced back to the RFCs
 * by tests/vectors/srtp_ref.py. */
#ifndef VG_TEST_KAT_H
#define VG_TEST_KAT_H

#include <stdio.h>
#include <string.h>
#include <srtp2/srtp.h>
#include "engine.h"

#define PKT_MAX 128

struct kat {
	const char *name;
	enum vg_suite suite;
	const char *key;	/* master key || master salt */
	uint32_t ssrc;
	const char *rtp, *srtp;
	const char *rtcp, *srtcp;
};

#define CM_KEY	"e1f97a0d3e018be0d64fa32c06de4139" \
		"0ec675ad498afeebb6960b3aabe6"
#define GCM_SALT "a0a1a2a3a4a5a6a7a8a9aaab"
#define RTP_PLAIN "800f1234decafbadcafebabe" \
		"abababababababababababababababab"
#define RTCP_PLAIN "81c8000bcafebabe" \
		"abababababababababababababababab"
#define CM_SRTP	"800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402"
#define CM_SRTCP "81c8000bcafebabe7128035be487b9bdbef89041f977a5a8" \
		"80000001993e08cd54d6c1230798"

static const struct kat kats[] = {
	{ "AES_CM_128_HMAC_SHA1_80", VG_SUITE_AES_CM_128_HMAC_SHA1_80,
	  CM_KEY, 0xcafebabe,
	  RTP_PLAIN, CM_SRTP "b78d6acc99ea179b8dbb",
	  RTCP_PLAIN, CM_SRTCP },
	{ "AES_CM_128_HMAC_SHA1_32", VG_SUITE_AES_CM_128_HMAC_SHA1_32,
	  CM_KEY, 0xcafebabe,
	  RTP_PLAIN, CM_SRTP "b78d6acc",
	  RTCP_PLAIN, CM_SRTCP },
	{ "AEAD_AES_128_GCM", VG_SUITE_AEAD_AES_128_GCM,
	  "000102030405060708090a0b0c0d0e0f" GCM_SALT, 0xcafebabe,
	  RTP_PLAIN, "800f1234decafbadcafebabec5002ede04cfdd2eb91159e0"
		     "880aa06ed2976826f796b201df3131a127e8a392",
	  RTCP_PLAIN, "81c8000bcafebabec98b8b5df0392a55852b6c21ac8e7025"
		      "c52c6fbea2b3b446ea31123ba88ce61e80000001" },
	{ "AEAD_AES_256_GCM", VG_SUITE_AEAD_AES_256_GCM,
	  "000102030405060708090a0b0c0d0e0f"
	  "101112131415161718191a1b1c1d1e1f" GCM_SALT, 0xcafebabe,
	  RTP_PLAIN, "800f1234decafbadcafebabe0af7f21e8a90bdad7a425c9c"
		     "31ed4bb1d90238917e7390a2793500e1681acaea",
	  RTCP_PLAIN, "81c8000bcafebabe8abfafa780070a90e80f9161cf4aac08"
		      "1ed93aaa53c15b0f3ed1a3b984167b0380000001" },
};

static inline size_t
unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (hex[0] != '\0' && hex[1] != '\0' && n < cap) {
		if (sscanf(hex, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

static inline void
key_from_hex(struct vg_master_key *key, const char *hex)
{
	memset(key, 0, sizeof(*key));
	key->len = (uint8_t)unhex(hex, key->bytes, sizeof(key->bytes));
}

/* An independent libsrtp session for suite: the tests' own suite mapping,
 * deliberately not the engine's (RFC 4568: the _32 suite keeps an 80-bit
 * SRTCP tag).  NULL if libsrtp refuses it. */
static inline srtp_t
kat_libsrtp(enum vg_suite suite, const struct vg_master_key *key,
	    srtp_ssrc_type_t type, uint32_t ssrc)
{
	srtp_policy_t p;
	srtp_t s = NULL;

	memset(&p, 0, sizeof(p));
	switch (suite) {
	case VG_SUITE_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
		break;
	case VG_SUITE_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p.rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p.rtcp);
		break;
	case VG_SUITE_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p.rtcp);
		break;
	default:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p.rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p.rtcp);
		break;
	}
	p.ssrc.type = type;
	p.ssrc.value = ssrc;
	p.key = (unsigned char *)key->bytes;
	p.window_size = 1024;
	return srtp_create(&s, &p) == srtp_err_status_ok ? s : NULL;
}

#endif
