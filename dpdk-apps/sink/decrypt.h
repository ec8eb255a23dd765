/* SPDX-License-Identifier: BSD-3-Clause */
/* vigie-sink's SRTP receiver: one libsrtp session per camera stream, keyed
 * to the camera's configured SSRC (ssrc_specific), so that a packet with
 * another SSRC is refused (VG_DECRYPT_NO_CTX) instead of getting a new
 * stream from a template.  libsrtp types stay inside decrypt.c.
 *
 * Replay window: 1024 packets, the size the gateway's libsrtp engine uses
 * (engine_libsrtp.c), so that reordering the gateway tolerates on its way
 * in is not refused here on the way out; anything older is "replay" (the
 * libsrtp default of 128 would turn a short burst of reordering into
 * replays).
 *
 * Speed: Debian 12's libsrtp2 2.5 is built over NSS and decrypts about
 * 50,000 packets/s of 1,200 bytes on one core; enough for a sink that
 * checks paced streams, not for line-rate benchmarks. */
#ifndef VG_DECRYPT_H
#define VG_DECRYPT_H

#include <stddef.h>
#include <stdint.h>
#include "vigie/sdes.h"
#include "vigie/suite.h"

#define VG_DECRYPT_WINDOW 1024

enum vg_decrypt_status {
	VG_DECRYPT_OK,
	VG_DECRYPT_AUTH_FAIL,		/* tag does not match: forged, corrupt, wrong key */
	VG_DECRYPT_REPLAY,		/* index seen, or older than the window */
	VG_DECRYPT_NO_CTX,		/* SSRC is not the session's */
	VG_DECRYPT_ERROR,		/* any other libsrtp failure */
};

struct vg_decrypt;

/* Initialise libsrtp once per process.  0, or -1 with a message in err. */
int vg_decrypt_init(char *err, size_t errlen);
void vg_decrypt_fini(void);

/* A receiving session for one stream.  NULL with a message in err (the
 * key's length, never its bytes) when the suite and key do not fit or
 * libsrtp refuses the session. */
struct vg_decrypt *vg_decrypt_create(enum vg_suite suite,
				     const struct vg_master_key *key,
				     uint32_t ssrc, char *err, size_t errlen);
void vg_decrypt_destroy(struct vg_decrypt *d);

/* Authenticate and decrypt the SRTP (or SRTCP) packet at pkt, *len bytes,
 * in place; on VG_DECRYPT_OK *len is the plain RTP (RTCP) length. */
enum vg_decrypt_status vg_decrypt_rtp(struct vg_decrypt *d, uint8_t *pkt,
				      uint32_t *len);
enum vg_decrypt_status vg_decrypt_rtcp(struct vg_decrypt *d, uint8_t *pkt,
				       uint32_t *len);

#endif
