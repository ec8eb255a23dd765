/* SPDX-License-Identifier: BSD-3-Clause */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <srtp2/srtp.h>
#include "decrypt.h"
#include "vigie/policy.h"

struct vg_decrypt {
	srtp_t session;
};

int
vg_decrypt_init(char *err, size_t errlen)
{
	srtp_err_status_t st = srtp_init();

	if (st != srtp_err_status_ok) {
		snprintf(err, errlen, "libsrtp: srtp_init failed (status %d)",
			 (int)st);
		return -1;
	}
	return 0;
}

void
vg_decrypt_fini(void)
{
	srtp_shutdown();
}

struct vg_decrypt *
vg_decrypt_create(enum vg_suite suite, const struct vg_master_key *key,
		  uint32_t ssrc, char *err, size_t errlen)
{
	struct vg_decrypt *d;
	srtp_policy_t p;
	srtp_err_status_t st;

	if (vg_policy_build(&p, suite, key, ssrc, VG_DECRYPT_WINDOW, err,
			    errlen) != 0)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	st = srtp_create(&d->session, &p);
	if (st != srtp_err_status_ok) {
		snprintf(err, errlen, "libsrtp: cannot create a %s session "
			 "(status %d)", vg_suite_get(suite)->name, (int)st);
		free(d);
		return NULL;
	}
	return d;
}

void
vg_decrypt_destroy(struct vg_decrypt *d)
{
	if (d == NULL)
		return;
	srtp_dealloc(d->session);	/* wipes the session keys */
	free(d);
}

static enum vg_decrypt_status
status_of(srtp_err_status_t st)
{
	switch (st) {
	case srtp_err_status_ok:
		return VG_DECRYPT_OK;
	case srtp_err_status_auth_fail:
		return VG_DECRYPT_AUTH_FAIL;
	case srtp_err_status_replay_fail:
	case srtp_err_status_replay_old:
		return VG_DECRYPT_REPLAY;
	case srtp_err_status_no_ctx:
		return VG_DECRYPT_NO_CTX;
	default:
		return VG_DECRYPT_ERROR;
	}
}

enum vg_decrypt_status
vg_decrypt_rtp(struct vg_decrypt *d, uint8_t *pkt, uint32_t *len)
{
	srtp_err_status_t st;
	int n;

	if (*len > INT_MAX)
		return VG_DECRYPT_ERROR;
	n = (int)*len;
	st = srtp_unprotect(d->session, pkt, &n);
	if (st == srtp_err_status_ok)
		*len = (uint32_t)n;
	return status_of(st);
}

enum vg_decrypt_status
vg_decrypt_rtcp(struct vg_decrypt *d, uint8_t *pkt, uint32_t *len)
{
	srtp_err_status_t st;
	int n;

	if (*len > INT_MAX)
		return VG_DECRYPT_ERROR;
	n = (int)*len;
	st = srtp_unprotect_rtcp(d->session, pkt, &n);
	if (st == srtp_err_status_ok)
		*len = (uint32_t)n;
	return status_of(st);
}
