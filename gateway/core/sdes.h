/* SPDX-License-Identifier: BSD-3-Clause */
/* SDES master keys: `inline:` base64(key || salt) as in RFC 4568, the format
 * ffmpeg, GStreamer and SIP devices use; and key files holding one such line. */
#ifndef VG_SDES_H
#define VG_SDES_H

#include <stddef.h>
#include <stdint.h>
#include "suite.h"

#define VG_MASTER_MAX 44	/* AES-256 key (32) + GCM salt (12) */

struct vg_master_key {
	uint8_t bytes[VG_MASTER_MAX];	/* key || salt */
	uint8_t len;
};

/* Parse "inline:BASE64[|lifetime][|MKI:len]" (leading/trailing blanks ok).
 * Returns 0, or -1 with a human message in err (never containing key bytes). */
int vg_sdes_parse(const char *text, struct vg_master_key *out,
		  char *err, size_t errlen);

/* Encode key as "inline:BASE64" into buf (NUL-terminated).  Returns 0, or -1
 * if buf is too small. */
int vg_sdes_format(const struct vg_master_key *key, char *buf, size_t buflen);

/* Load a key file: must be a regular file, not readable or writable by group
 * or others (no bit of mode 077: 0600 or stricter), owned by root or by the
 * effective uid of this process, holding one `inline:` line (lines
 * starting with '#' and blank lines are ignored).  Returns 0, or -1 with a
 * message in err that names the fix (e.g. "chmod 600 FILE",
 * "chown root FILE"). */
int vg_keyfile_load(const char *path, struct vg_master_key *out,
		    char *err, size_t errlen);

/* Wipe key material so that it does not linger in freed memory. */
void vg_key_wipe(struct vg_master_key *key);

#endif
