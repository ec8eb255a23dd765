/* SPDX-License-Identifier: BSD-3-Clause */
/* SRTP protection suites (RFC 4568 / RFC 7714 names) and their sizes. */
#ifndef VG_SUITE_H
#define VG_SUITE_H

#include <stdbool.h>
#include <stdint.h>

/* The values are part of the state file's key fingerprints (state.h):
 * never renumber them, only add. */
enum vg_suite {
	VG_SUITE_AES_CM_128_HMAC_SHA1_80 = 0,
	VG_SUITE_AES_CM_128_HMAC_SHA1_32 = 1,
	VG_SUITE_AEAD_AES_128_GCM = 2,
	VG_SUITE_AEAD_AES_256_GCM = 3,
	VG_SUITE_COUNT
};

struct vg_suite_info {
	const char *name;	/* RFC 4568 / RFC 7714 name */
	uint8_t key_len;	/* master key bytes */
	uint8_t salt_len;	/* master salt bytes */
	uint8_t rtp_tag_len;	/* SRTP auth tag (or GCM tag) bytes */
	uint8_t rtcp_tag_len;	/* SRTCP tag: 80 bits for both AES_CM suites (RFC 4568 §6.2.1) */
	bool aead;
};

/* Never NULL for a valid suite. */
const struct vg_suite_info *vg_suite_get(enum vg_suite s);
/* 0 and *out set when name is a known suite (exact, case-sensitive), -1 otherwise. */
int vg_suite_from_name(const char *name, enum vg_suite *out);

/* Worst-case bytes SRTP/SRTCP protection appends to a packet (tag + SRTCP index). */
#define VG_SRTP_MAX_TRAILER 20

#endif
