/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>
#include <string.h>
#include "policy.h"

/* The RTP and RTCP crypto policies of a suite.  The _32 suite keeps an
 * 80-bit SRTCP tag: RFC 4568 §6.2.1 shortens only the SRTP tag. */
static int
set_crypto_policies(enum vg_suite suite, srtp_policy_t *p)
{
	switch (suite) {
	case VG_SUITE_AES_CM_128_HMAC_SHA1_80:
		srtp_crypto_policy_set_rtp_default(&p->rtp);
		srtp_crypto_policy_set_rtcp_default(&p->rtcp);
		return 0;
	case VG_SUITE_AES_CM_128_HMAC_SHA1_32:
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&p->rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&p->rtcp);
		return 0;
	case VG_SUITE_AEAD_AES_128_GCM:
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&p->rtcp);
		return 0;
	case VG_SUITE_AEAD_AES_256_GCM:
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p->rtp);
		srtp_crypto_policy_set_aes_gcm_256_16_auth(&p->rtcp);
		return 0;
	default:
		return -1;
	}
}

int
vg_policy_build(srtp_policy_t *p, enum vg_suite suite,
		const struct vg_master_key *key, uint32_t ssrc,
		unsigned long window, char *err, size_t errlen)
{
	const struct vg_suite_info *si;

	memset(p, 0, sizeof(*p));
	if (set_crypto_policies(suite, p) != 0) {
		snprintf(err, errlen, "unknown SRTP suite %d", (int)suite);
		return -1;
	}
	si = vg_suite_get(suite);
	/* Compare lengths only: the message must never carry key bytes. */
	if (key->len != si->key_len + si->salt_len ||
	    key->len != p->rtp.cipher_key_len ||
	    key->len != p->rtcp.cipher_key_len) {
		snprintf(err, errlen, "%s needs a %u-byte key and salt, "
			 "got %u bytes", si->name,
			 (unsigned)(si->key_len + si->salt_len),
			 (unsigned)key->len);
		return -1;
	}
	p->ssrc.type = ssrc_specific;
	p->ssrc.value = ssrc;
	p->key = (unsigned char *)key->bytes;
	p->window_size = window;
	p->allow_repeat_tx = 0;
	p->next = NULL;
	return 0;
}
