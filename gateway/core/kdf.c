/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include "kdf.h"

enum { LABEL_ENC = 0, LABEL_AUTH = 1, LABEL_SALT = 2, LABEL_RTCP = 3 };

/* PRF_n(k_master, x): AES-CM keystream with IV = x * 2^16, where x is the
 * label (at byte 7) XOR the master salt; a 12-byte GCM salt is padded with
 * zeros on the right (RFC 7714 §11, as libsrtp does). */
static int
prf(const uint8_t *key, unsigned key_len, const uint8_t *salt,
    unsigned salt_len, uint8_t label, uint8_t *out, unsigned n)
{
	static const uint8_t zero[32];
	uint8_t iv[16] = { 0 };
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int len = 0, ok;

	memcpy(iv, salt, salt_len);
	iv[7] ^= label;
	ok = ctx != NULL &&
	     EVP_EncryptInit_ex(ctx, key_len == 32 ? EVP_aes_256_ctr() :
				EVP_aes_128_ctr(), NULL, key, iv) == 1 &&
	     EVP_EncryptUpdate(ctx, out, &len, zero, (int)n) == 1 &&
	     len == (int)n;
	EVP_CIPHER_CTX_free(ctx);
	OPENSSL_cleanse(iv, sizeof(iv));
	return ok ? 0 : -1;
}

int
vg_kdf_derive(enum vg_suite suite, const struct vg_master_key *mk, bool rtcp,
	      struct vg_session_keys *out)
{
	const struct vg_suite_info *si = vg_suite_get(suite);
	const uint8_t *salt;
	uint8_t base = rtcp ? LABEL_RTCP : 0;

	if (si == NULL || mk->len != si->key_len + si->salt_len)
		return -1;
	memset(out, 0, sizeof(*out));
	salt = mk->bytes + si->key_len;
	out->enc_len = si->key_len;
	out->salt_len = si->salt_len;
	out->auth_len = si->aead ? 0 : VG_AUTH_KEY_LEN;
	if (prf(mk->bytes, si->key_len, salt, si->salt_len, base + LABEL_ENC,
		out->enc, out->enc_len) < 0 ||
	    prf(mk->bytes, si->key_len, salt, si->salt_len, base + LABEL_SALT,
		out->salt, out->salt_len) < 0 ||
	    (out->auth_len && prf(mk->bytes, si->key_len, salt, si->salt_len,
				  base + LABEL_AUTH, out->auth,
				  out->auth_len) < 0)) {
		vg_kdf_wipe(out);
		return -1;
	}
	return 0;
}

void
vg_kdf_wipe(struct vg_session_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}
