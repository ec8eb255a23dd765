/* SPDX-License-Identifier: BSD-3-Clause */
/* What a stream id of the cryptodev engine holds, set up and let go: its
 * SRTP session keys (derived here: RFC 3711 §4.3.1, RFC 7714 §11, kdf.c),
 * its share of the cryptodev session of its master key, its SRTCP keys
 * and, for an in-stream, a fresh receiver state (which unprotect.c
 * fills).  Every copy of a key is wiped when the stream lets it go; no
 * key bytes are kept anywhere else, not even in the key table (digests).
 * Called by ops.c; calls dev.c for sessions. */
#include <stdio.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <rte_cryptodev.h>
#include <rte_malloc.h>
#include "cdev.h"

/* A session for one direction.  Protect: encrypt then MAC (HMAC over
 * header || ciphertext || ROC).  Unprotect: the same chain reversed, the
 * tag verified first (auth then cipher); GCM decrypts and verifies. */
void *
vg_cdev_srtp_session(struct vg_cdev *d, const struct vg_suite_info *si,
		     const struct vg_session_keys *k, bool in)
{
	struct rte_crypto_sym_xform cipher = { 0 }, auth = { 0 };

	if (si->aead) {
		cipher.type = RTE_CRYPTO_SYM_XFORM_AEAD;
		cipher.aead.op = in ? RTE_CRYPTO_AEAD_OP_DECRYPT :
				      RTE_CRYPTO_AEAD_OP_ENCRYPT;
		cipher.aead.algo = RTE_CRYPTO_AEAD_AES_GCM;
		cipher.aead.key.data = k->enc;
		cipher.aead.key.length = k->enc_len;
		cipher.aead.iv.offset = VG_CDEV_IV_OFF;
		cipher.aead.iv.length = 12;
		cipher.aead.digest_length = VG_CDEV_GCM_TAG;
		cipher.aead.aad_length = VG_CDEV_GCM_AAD;
		return vg_cdev_session_create(d, &cipher);
	}
	cipher.type = RTE_CRYPTO_SYM_XFORM_CIPHER;
	cipher.cipher.op = in ? RTE_CRYPTO_CIPHER_OP_DECRYPT :
				RTE_CRYPTO_CIPHER_OP_ENCRYPT;
	cipher.cipher.algo = RTE_CRYPTO_CIPHER_AES_CTR;
	cipher.cipher.key.data = k->enc;
	cipher.cipher.key.length = k->enc_len;
	cipher.cipher.iv.offset = VG_CDEV_IV_OFF;
	cipher.cipher.iv.length = 16;
	auth.type = RTE_CRYPTO_SYM_XFORM_AUTH;
	auth.auth.op = in ? RTE_CRYPTO_AUTH_OP_VERIFY :
			    RTE_CRYPTO_AUTH_OP_GENERATE;
	auth.auth.algo = RTE_CRYPTO_AUTH_SHA1_HMAC;
	auth.auth.key.data = k->auth;
	auth.auth.key.length = k->auth_len;
	auth.auth.digest_length = si->rtp_tag_len;
	if (in)
		auth.next = &cipher;
	else
		cipher.next = &auth;
	return vg_cdev_session_create(d, in ? &auth : &cipher);
}

/* Stream id's copies of its session keys: the salt, the GCM key for
 * OpenSSL, the SRTCP keys (its cryptodev session is the key table's). */
static void
wipe_keys(struct vg_cdev_engine *ce, uint32_t id)
{
	OPENSSL_cleanse(ce->streams[id].salt, sizeof(ce->streams[id].salt));
	OPENSSL_cleanse(ce->gcm_keys[id], sizeof(ce->gcm_keys[id]));
	OPENSSL_cleanse(&ce->rtcp[id], sizeof(ce->rtcp[id]));
}

void
vg_cdev_stream_release(struct vg_cdev_engine *ce, uint32_t id)
{
	struct vg_cdev_stream *s = &ce->streams[id];
	struct vg_cdev_key *k = &ce->keys[ce->key_of[id]];

	wipe_keys(ce, id);
	if (ce->rx[id] != NULL) {
		rte_free(ce->rx[id]);
		ce->rx[id] = NULL;
		ce->n_in--;
	}
	if (s->sess == NULL)
		return;
	if (--k->refs == 0) {
		vg_cdev_session_free(ce->dev[s->dev], k->sess);
		k->sess = NULL;
	}
	s->sess = NULL;
	ce->n_set--;
}

/* On hugepages, like the engine's stream array: rte_malloc puts a cache
 * line of its own before each element, which the size reported counts. */
size_t
vg_cdev_rx_size(void)
{
	return RTE_ALIGN_CEIL(sizeof(struct vg_cdev_rx), RTE_CACHE_LINE_SIZE) +
	       RTE_CACHE_LINE_SIZE;
}

/* The keys slot of (dev, direction, suite, master key): the one that
 * already has it, else a free one.  -1 when the table is full. */
static int
key_slot(struct vg_cdev_engine *ce, uint8_t dev, bool in, enum vg_suite suite,
	 const struct vg_master_key *key, uint32_t *slot)
{
	uint8_t what[4 + VG_MASTER_MAX], d[32];
	unsigned len = 4 + key->len, i, n;
	uint32_t h;

	what[0] = dev;
	what[1] = in;
	what[2] = (uint8_t)suite;
	what[3] = key->len;
	memcpy(what + 4, key->bytes, key->len);
	n = EVP_Digest(what, len, d, NULL, EVP_sha256(), NULL);
	OPENSSL_cleanse(what, sizeof(what));
	if (n != 1)
		return -1;
	memcpy(&h, d, sizeof(h));
	for (i = h & ce->keys_mask, n = 0; n <= ce->keys_mask;
	     i = (i + 1) & ce->keys_mask, n++) {
		struct vg_cdev_key *k = &ce->keys[i];

		if (!k->used) {
			k->used = 1;
			memcpy(k->digest, d, sizeof(d));
		} else if (memcmp(k->digest, d, sizeof(d)) != 0) {
			continue;
		}
		*slot = i;
		return 0;
	}
	return -1;
}

/* The device of suite for stream id, or -1 with err: an unknown suite
 * or id, a suite the device lacks. */
static int
device_for(const struct vg_cdev_engine *ce, uint32_t id, enum vg_suite suite,
	   char *err, size_t errlen)
{
	const struct vg_suite_info *si = vg_suite_get(suite);
	int dev;

	if (si == NULL || id >= ce->max_streams) {
		snprintf(err, errlen, "bad suite or stream id %u", id);
		return -1;
	}
	dev = si->aead ? VG_CDEV_DEV_GCM : VG_CDEV_DEV_CM;
	if (!vg_cdev_supports(ce->dev[dev], suite)) {
		snprintf(err, errlen, "crypto device %s cannot do %s",
			 ce->dev[dev]->name, si->name);
		return -1;
	}
	return dev;
}

/* The key slot of (dev, in, suite, key), its session made from k unless
 * it has one: the slot, or -1 with err. */
static int
share_session(struct vg_cdev_engine *ce, uint8_t dev, bool in,
	      enum vg_suite suite, const struct vg_master_key *key,
	      const struct vg_session_keys *k, char *err, size_t errlen)
{
	struct vg_cdev_key *ck;
	uint32_t slot;

	if (key_slot(ce, dev, in, suite, key, &slot) < 0) {
		snprintf(err, errlen, "no room for another key (%u streams)",
			 ce->max_streams);
		return -1;
	}
	ck = &ce->keys[slot];
	if (ck->sess == NULL)
		ck->sess = vg_cdev_srtp_session(ce->dev[dev],
						vg_suite_get(suite), k, in);
	if (ck->sess == NULL) {
		snprintf(err, errlen, "%s: cannot create a session",
			 ce->dev[dev]->name);
		return -1;
	}
	return (int)slot;
}

/* Stream id takes its share of key slot's session and copies of k. */
static void
fill_stream(struct vg_cdev_engine *ce, uint32_t id,
	    const struct vg_suite_info *si, uint8_t dev, bool in,
	    uint32_t ssrc, const struct vg_session_keys *k, uint32_t slot)
{
	struct vg_cdev_stream *s = &ce->streams[id];
	struct vg_cdev_key *ck = &ce->keys[slot];

	memcpy(s->salt, k->salt, k->salt_len);
	memcpy(ce->gcm_keys[id], k->enc, k->enc_len);
	s->key_len = k->enc_len;
	ck->refs++;
	ce->key_of[id] = slot;
	ce->n_set++;
	s->sess = ck->sess;
	s->aead = si->aead;
	s->tag_len = si->rtp_tag_len;
	s->dev = dev;
	s->in = in;
	s->ssrc = ssrc;
}

/* A fresh receiver for in-stream id (all zero, as a new libsrtp stream). */
static int
add_rx(struct vg_cdev_engine *ce, uint32_t id, char *err, size_t errlen)
{
	struct vg_cdev_rx *rx = rte_zmalloc(NULL, sizeof(*rx),
					    RTE_CACHE_LINE_SIZE);

	if (rx == NULL) {
		snprintf(err, errlen, "out of hugepage memory for the receiver "
			 "state of stream %u (reserve more, see scripts/setup.sh)",
			 id);
		return -1;
	}
	ce->rx[id] = rx;
	ce->n_in++;
	return 0;
}

int
vg_cdev_stream_set(struct vg_cdev_engine *ce, uint32_t id,
		   enum vg_suite suite, const struct vg_master_key *key,
		   uint32_t ssrc, bool in, char *err, size_t errlen)
{
	const struct vg_suite_info *si = vg_suite_get(suite);
	struct vg_session_keys k;
	int dev, slot;

	dev = device_for(ce, id, suite, err, errlen);
	if (dev < 0)
		return -1;
	if (vg_kdf_derive(suite, key, false, &k) < 0) {
		snprintf(err, errlen, "key of %u bytes does not fit %s",
			 key->len, si->name);
		return -1;
	}
	vg_cdev_stream_release(ce, id);
	slot = share_session(ce, (uint8_t)dev, in, suite, key, &k, err,
			     errlen);
	if (slot >= 0)
		fill_stream(ce, id, si, (uint8_t)dev, in, ssrc, &k,
			    (uint32_t)slot);
	vg_kdf_wipe(&k);
	if (slot < 0)
		return -1;
	if (vg_srtcp_stream_init(&ce->rtcp[id], suite, key, ssrc) < 0) {
		snprintf(err, errlen, "cannot derive SRTCP keys");
		vg_cdev_stream_release(ce, id);
		return -1;
	}
	if (in && add_rx(ce, id, err, errlen) < 0) {
		vg_cdev_stream_release(ce, id);
		return -1;
	}
	return 0;
}
