#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include "bytes.h"
#include "srtcp.h"

#define HDR 8			/* RTCP header sent in the clear */
#define E_BIT 0x80000000u

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
	int n, i, ok;

	memcpy(iv, s->keys.salt, 14);
	iv[14] = iv[15] = 0;
	for (i = 0; i < 4; i++)
		iv[4 + i] ^= p[4 + i];
	for (i = 0; i < 4; i++)		/* 31-bit index, as a 48-bit i */
		iv[10 + i] ^= (uint8_t)((ei & ~E_BIT) >> (24 - 8 * i));
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
	uint8_t iv[12] = { 0 }, aad_ei[4];
	int n, i, ok;

	for (i = 0; i < 4; i++)
		iv[2 + i] = p[4 + i];
	vg_put_be32(iv + 8, ei & ~E_BIT);
	for (i = 0; i < 12; i++)
		iv[i] ^= s->keys.salt[i];
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
