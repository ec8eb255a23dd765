/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "bytes.h"
#include "srtcp.h"
#include "srtp_iv.h"

#define HDR 8			/* RTCP header sent in the clear */
#define E_BIT 0x80000000u
#define GCM_TAG 16
#define RDB_BITS 128

struct vg_srtcp_ctx {
	EVP_CIPHER_CTX *cipher;	/* reused: no allocation per packet */
};

struct vg_srtcp_ctx *
vg_srtcp_ctx_new(void)
{
	struct vg_srtcp_ctx *c = calloc(1, sizeof(*c));

	if (c != NULL && (c->cipher = EVP_CIPHER_CTX_new()) == NULL) {
		free(c);
		c = NULL;
	}
	return c;
}

void
vg_srtcp_ctx_free(struct vg_srtcp_ctx *c)
{
	if (c == NULL)
		return;
	EVP_CIPHER_CTX_free(c->cipher);
	free(c);
}

int
vg_srtcp_stream_init(struct vg_srtcp_stream *s, enum vg_suite suite,
		     const struct vg_master_key *mk, uint32_t ssrc)
{
	const struct vg_suite_info *si = vg_suite_get(suite);

	memset(s, 0, sizeof(*s));
	if (si == NULL || vg_kdf_derive(suite, mk, true, &s->keys) < 0)
		return -1;
	s->ssrc = ssrc;
	s->tag_len = si->rtcp_tag_len;
	s->aead = si->aead;
	return 0;
}

static const EVP_CIPHER *
aes(const struct vg_srtcp_stream *s)
{
	if (s->aead)
		return s->keys.enc_len == 32 ? EVP_aes_256_gcm() :
					       EVP_aes_128_gcm();
	return s->keys.enc_len == 32 ? EVP_aes_256_ctr() : EVP_aes_128_ctr();
}

/* RFC 3711: AES-CM over the payload, then HMAC-SHA1 over
 * header || ciphertext || E|index, truncated. */
static int
protect_cm(struct vg_srtcp_ctx *c, const struct vg_srtcp_stream *s,
	   uint8_t *p, uint32_t len, uint32_t ei)
{
	uint8_t iv[16], md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	int n, ok;

	vg_srtp_iv_cm(iv, s->keys.salt, p + 4, ei & ~E_BIT);
	ok = EVP_EncryptInit_ex(c->cipher, aes(s), NULL, s->keys.enc, iv) &&
	     EVP_EncryptUpdate(c->cipher, p + HDR, &n, p + HDR,
			       (int)(len - HDR));
	vg_put_be32(p + len, ei);
	ok = ok && HMAC(EVP_sha1(), s->keys.auth, s->keys.auth_len, p, len + 4,
			md, &mdlen) != NULL && mdlen >= s->tag_len;
	if (ok)
		memcpy(p + len + 4, md, s->tag_len);
	return ok ? 0 : -1;
}

/* RFC 7714 §9: AAD = header || E|index; ciphertext || tag || E|index. */
static int
protect_gcm(struct vg_srtcp_ctx *c, const struct vg_srtcp_stream *s,
	    uint8_t *p, uint32_t len, uint32_t ei)
{
	uint8_t iv[12], aad_ei[4];
	int n, ok;

	vg_srtp_iv_gcm(iv, s->keys.salt, p + 4, ei & ~E_BIT);
	vg_put_be32(aad_ei, ei);
	ok = EVP_EncryptInit_ex(c->cipher, aes(s), NULL, s->keys.enc, iv) &&
	     EVP_EncryptUpdate(c->cipher, NULL, &n, p, HDR) &&
	     EVP_EncryptUpdate(c->cipher, NULL, &n, aad_ei, 4) &&
	     EVP_EncryptUpdate(c->cipher, p + HDR, &n, p + HDR,
			       (int)(len - HDR)) &&
	     EVP_EncryptFinal_ex(c->cipher, p + len, &n) &&
	     EVP_CIPHER_CTX_ctrl(c->cipher, EVP_CTRL_GCM_GET_TAG, 16, p + len);
	if (ok)
		vg_put_be32(p + len + 16, ei);
	return ok ? 0 : -1;
}

int
vg_srtcp_protect(struct vg_srtcp_ctx *c, struct vg_srtcp_stream *s,
		 uint8_t *p, uint32_t *len)
{
	uint32_t ssrc, ei;
	int ret;

	if (*len < HDR || s->index >= 0x7fffffffu)
		return -1;
	ssrc = vg_get_be32(p + 4);
	if (ssrc != s->ssrc)
		return -1;
	ei = E_BIT | (s->index + 1);
	ret = s->aead ? protect_gcm(c, s, p, *len, ei) :
			protect_cm(c, s, p, *len, ei);
	if (ret < 0)
		return -1;
	s->index++;
	*len += 4 + s->tag_len;
	return 0;
}

int
vg_srtcp_protect_at(struct vg_srtcp_ctx *c, struct vg_srtcp_stream *s,
		    uint64_t index, uint8_t *p, uint32_t *len)
{
	if (index == 0)
		return vg_srtcp_protect(c, s, p, len);
	/* Never back, never twice: a second line behind the gateway's own
	 * index (as libsrtp refuses to reuse an SRTP index). */
	if (index <= s->index || index >= 0x80000000u)
		return -1;
	s->index = (uint32_t)index - 1;
	return vg_srtcp_protect(c, s, p, len);
}

/* srtp_rdb_check(): past the window is new, below it is old. */
static bool
rdb_check(const struct vg_srtcp_replay *r, uint32_t idx)
{
	uint32_t k;

	if (idx >= r->start + RDB_BITS)
		return true;
	if (idx < r->start)
		return false;
	k = idx - r->start;
	return !(r->bits[k / 64] >> (k % 64) & 1);
}

/* Move the window down by shift bits (bit k becomes bit k - shift). */
static void
rdb_shift(struct vg_srtcp_replay *r, uint32_t shift)
{
	if (shift >= RDB_BITS) {
		r->bits[0] = r->bits[1] = 0;
	} else if (shift >= 64) {
		r->bits[0] = r->bits[1] >> (shift - 64);
		r->bits[1] = 0;
	} else if (shift > 0) {
		r->bits[0] = r->bits[0] >> shift | r->bits[1] << (64 - shift);
		r->bits[1] >>= shift;
	}
}

/* srtp_rdb_add_index(): an index past the window becomes its last bit. */
static void
rdb_add(struct vg_srtcp_replay *r, uint32_t idx)
{
	uint32_t k = idx - r->start, shift;

	if (k >= RDB_BITS) {
		shift = k - (RDB_BITS - 1);
		rdb_shift(r, shift);
		r->start += shift;
		k = RDB_BITS - 1;
	}
	r->bits[k / 64] |= 1ull << (k % 64);
}

/* Verify HMAC-SHA1 over header || ciphertext || E|index, then decrypt. */
static uint8_t
unprotect_cm(struct vg_srtcp_ctx *c, const struct vg_srtcp_stream *s,
	     uint8_t *p, uint32_t len, uint32_t ei)
{
	uint32_t auth_len = len - s->tag_len, body = auth_len - 4 - HDR;
	uint8_t iv[16], md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	int n;

	if (HMAC(EVP_sha1(), s->keys.auth, s->keys.auth_len, p, auth_len, md,
		 &mdlen) == NULL || mdlen < s->tag_len)
		return VG_DROP_UNPROTECT_FAIL;
	if (CRYPTO_memcmp(md, p + auth_len, s->tag_len) != 0)
		return VG_DROP_AUTH_FAIL;
	vg_srtp_iv_cm(iv, s->keys.salt, p + 4, ei & ~E_BIT);
	if (!EVP_DecryptInit_ex(c->cipher, aes(s), NULL, s->keys.enc, iv) ||
	    !EVP_DecryptUpdate(c->cipher, p + HDR, &n, p + HDR, (int)body))
		return VG_DROP_UNPROTECT_FAIL;
	return VG_DROP_NONE;
}

/* RFC 7714 §9: E set, AAD = header || E|index and the rest encrypted;
 * E clear, AAD = the whole RTCP compound || E|index (§9.3). */
static uint8_t
unprotect_gcm(struct vg_srtcp_ctx *c, const struct vg_srtcp_stream *s,
	      uint8_t *p, uint32_t len, uint32_t ei)
{
	uint32_t end = len - 4 - GCM_TAG;
	uint32_t aad = ei & E_BIT ? HDR : end;
	uint8_t iv[12], aad_ei[4];
	int n;

	vg_srtp_iv_gcm(iv, s->keys.salt, p + 4, ei & ~E_BIT);
	vg_put_be32(aad_ei, ei);
	if (!EVP_DecryptInit_ex(c->cipher, aes(s), NULL, s->keys.enc, iv) ||
	    !EVP_DecryptUpdate(c->cipher, NULL, &n, p, (int)aad) ||
	    !EVP_DecryptUpdate(c->cipher, NULL, &n, aad_ei, 4) ||
	    !EVP_DecryptUpdate(c->cipher, p + aad, &n, p + aad,
			       (int)(end - aad)) ||
	    !EVP_CIPHER_CTX_ctrl(c->cipher, EVP_CTRL_GCM_SET_TAG, GCM_TAG,
				 p + end))
		return VG_DROP_UNPROTECT_FAIL;
	if (EVP_DecryptFinal_ex(c->cipher, p + end, &n) != 1)
		return VG_DROP_AUTH_FAIL;
	return VG_DROP_NONE;
}

/* The checks in libsrtp's order (srtp_unprotect_rtcp), so that a packet
 * failing several of them gets the same verdict. */
uint8_t
vg_srtcp_unprotect(struct vg_srtcp_ctx *c, const struct vg_srtcp_stream *s,
		   struct vg_srtcp_replay *r, uint8_t *p, uint32_t *len)
{
	uint32_t n = *len, tail = 4u + s->tag_len, ei;
	uint8_t st;

	if (n < HDR + 4 || vg_get_be32(p + 4) != s->ssrc || n < HDR + tail)
		return VG_DROP_UNPROTECT_FAIL;
	/* GCM: ciphertext || tag || E|index; AES-CM: ... || E|index || tag. */
	ei = vg_get_be32(p + n - (s->aead ? 4 : tail));
	if (!s->aead && !(ei & E_BIT))
		return VG_DROP_UNPROTECT_FAIL;	/* libsrtp: cant_check */
	if (!rdb_check(r, ei & ~E_BIT))
		return VG_DROP_REPLAY;
	st = s->aead ? unprotect_gcm(c, s, p, n, ei) :
		       unprotect_cm(c, s, p, n, ei);
	if (st != VG_DROP_NONE)
		return st;
	rdb_add(r, ei & ~E_BIT);
	*len = n - tail;
	return VG_DROP_NONE;
}

int64_t
vg_srtcp_index_of(const uint8_t *p, uint32_t len, bool aead, uint8_t tag_len)
{
	uint32_t tail = 4u + tag_len;

	if (len < HDR + tail)
		return -1;
	return vg_get_be32(p + len - (aead ? 4 : tail)) & ~E_BIT;
}

void
vg_srtcp_replay_floor(struct vg_srtcp_replay *r, uint32_t rtcp)
{
	if (rtcp <= r->start)
		return;
	/* As rdb_add moving the window: bits of indexes now below it go. */
	rdb_shift(r, rtcp - r->start);
	r->start = rtcp;
}
