/* SPDX-License-Identifier: BSD-3-Clause */
/* SRTP key derivation (RFC 3711 §4.3.1, key derivation rate 0; RFC 7714 §11
 * for the GCM suites), with OpenSSL's AES-CTR as the PRF.  The cryptodev
 * engine needs it because a cryptodev only takes session keys. */
#ifndef VG_KDF_H
#define VG_KDF_H

#include <stdbool.h>
#include <stdint.h>
#include "sdes.h"
#include "suite.h"

#define VG_AUTH_KEY_LEN 20	/* HMAC-SHA1 session key (RFC 3711 §8.2) */

struct vg_session_keys {
	uint8_t enc[32];	/* AES key: 16 or 32 bytes (suite key length) */
	uint8_t auth[VG_AUTH_KEY_LEN];	/* HMAC-SHA1 key; unused for GCM */
	uint8_t salt[14];	/* 14 bytes (AES-CM) or 12 (GCM) */
	uint8_t enc_len;
	uint8_t auth_len;	/* 20, or 0 for GCM */
	uint8_t salt_len;
};

/* Derive the SRTP (rtcp false) or SRTCP (rtcp true) session keys of suite
 * from master key||salt.  Returns 0, or -1 if the master key length does
 * not fit the suite or OpenSSL fails. */
int vg_kdf_derive(enum vg_suite suite, const struct vg_master_key *mk,
		  bool rtcp, struct vg_session_keys *out);

/* Wipe derived keys. */
void vg_kdf_wipe(struct vg_session_keys *k);

#endif
