/* SPDX-License-Identifier: BSD-3-Clause */
/* SRTP protection suites: names and sizes, one table. */
#include <string.h>

#include "suite.h"

/* Sizes from RFC 4568 §6.2.1 (AES_CM: 128-bit key, 112-bit salt; the _32
 * suite shortens only the SRTP tag, SRTCP keeps 80 bits) and RFC 7714 §12
 * (GCM: 96-bit salt, 128-bit tag for both SRTP and SRTCP). */
static const struct vg_suite_info suites[VG_SUITE_COUNT] = {
	[VG_SUITE_AES_CM_128_HMAC_SHA1_80] = {
		.name = "AES_CM_128_HMAC_SHA1_80",
		.key_len = 16, .salt_len = 14,
		.rtp_tag_len = 10, .rtcp_tag_len = 10, .aead = false,
	},
	[VG_SUITE_AES_CM_128_HMAC_SHA1_32] = {
		.name = "AES_CM_128_HMAC_SHA1_32",
		.key_len = 16, .salt_len = 14,
		.rtp_tag_len = 4, .rtcp_tag_len = 10, .aead = false,
	},
	[VG_SUITE_AEAD_AES_128_GCM] = {
		.name = "AEAD_AES_128_GCM",
		.key_len = 16, .salt_len = 12,
		.rtp_tag_len = 16, .rtcp_tag_len = 16, .aead = true,
	},
	[VG_SUITE_AEAD_AES_256_GCM] = {
		.name = "AEAD_AES_256_GCM",
		.key_len = 32, .salt_len = 12,
		.rtp_tag_len = 16, .rtcp_tag_len = 16, .aead = true,
	},
};

const struct vg_suite_info *
vg_suite_get(enum vg_suite s)
{
	/* NULL rather than a plausible default: a bad value is a bug and
	 * must not silently pick a cipher. */
	if ((unsigned)s >= VG_SUITE_COUNT)
		return NULL;
	return &suites[s];
}

int
vg_suite_from_name(const char *name, enum vg_suite *out)
{
	unsigned i;

	if (name == NULL)
		return -1;
	for (i = 0; i < VG_SUITE_COUNT; i++) {
		if (strcmp(name, suites[i].name) == 0) {
			*out = (enum vg_suite)i;
			return 0;
		}
	}
	return -1;
}
