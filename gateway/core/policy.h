/* SPDX-License-Identifier: BSD-3-Clause */
/* A libsrtp policy for one stream of a Vigie suite: the single mapping from
 * our suites to libsrtp's, used by the libsrtp engine and by vigie-sink. */
#ifndef VG_POLICY_H
#define VG_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <srtp2/srtp.h>
#include "sdes.h"
#include "suite.h"

/* Fill *p for one stream with SSRC ssrc (ssrc_specific: a packet with
 * another SSRC is refused, never given a stream from a template) and a
 * replay window of window packets.  The policy points into key, which must
 * outlive srtp_create() (libsrtp derives the session keys there and keeps
 * no pointer).  0, or -1 with a message in err that never holds key bytes. */
int vg_policy_build(srtp_policy_t *p, enum vg_suite suite,
		    const struct vg_master_key *key, uint32_t ssrc,
		    unsigned long window, char *err, size_t errlen);

#endif
