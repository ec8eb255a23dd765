/* SPDX-License-Identifier: BSD-3-Clause */
/* The SRTP and SRTCP IVs, one copy for the cryptodev engine (SRTP, every
 * packet) and srtcp.c (SRTCP).  Both are the session salt XOR the SSRC and
 * an index in place; SRTCP puts its 31-bit index where SRTP puts the 48-bit
 * packet index (ROC || SEQ), so one builder per cipher serves both:
 *   AES-CM (RFC 3711 §4.1.1, §4.1 for SRTCP):
 *     IV = (k_s * 2^16) ^ (SSRC * 2^64) ^ (index * 2^16)
 *   AES-GCM (RFC 7714 §8.1, §9.1):
 *     IV = (0x0000 || SSRC || index as 48 bits) ^ salt
 * ssrc points at the 4 bytes of the SSRC as in the packet (RTP: byte 8,
 * RTCP: byte 4).  Pure code, no DPDK. */
#ifndef VG_SRTP_IV_H
#define VG_SRTP_IV_H

#include <stdint.h>
#include <string.h>

/* Built in registers as two 8-byte words in memory order (byte by byte, or
 * bytes gathered on the stack and read back as a word, stalled the AES-CM
 * worker for 3-5 % of its time). */
static inline void
vg_srtp_iv_cm(uint8_t iv[16], const uint8_t salt[14], const uint8_t *ssrc,
	      uint64_t index)
{
	uint64_t w0, w1, v0, v1;
	uint32_t s, s8;
	uint16_t s12;

	memcpy(&w0, salt, 8);
	memcpy(&s8, salt + 8, 4);		/* not 6 bytes into a word: */
	memcpy(&s12, salt + 12, 2);		/* that goes through memory */
	memcpy(&s, ssrc, 4);			/* as in the packet */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	w1 = (uint64_t)s12 << 32 | s8;		/* bytes 14, 15: 0 */
	v0 = (uint64_t)s << 32;			/* bytes 4..7 */
	v1 = __builtin_bswap64(index << 16);	/* bytes 8..13, big-endian */
#else
	w1 = (uint64_t)s8 << 32 | (uint64_t)s12 << 16;
	v0 = s;
	v1 = index << 16;
#endif
	w0 ^= v0;
	w1 ^= v1;
	memcpy(iv, &w0, 8);
	memcpy(iv + 8, &w1, 8);
}

/* In words as vg_srtp_iv_cm (the device reads it with wide loads). */
static inline void
vg_srtp_iv_gcm(uint8_t iv[12], const uint8_t salt[12], const uint8_t *ssrc,
	       uint64_t index)
{
	uint64_t w0, v0;
	uint32_t w1, v1, s;

	memcpy(&w0, salt, 8);
	memcpy(&w1, salt + 8, 4);
	memcpy(&s, ssrc, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	{
		uint64_t i = __builtin_bswap64(index << 16);	/* bytes 0..5 */

		v0 = (uint64_t)s << 16 | i << 48;	/* SSRC 2..5, index 6..7 */
		v1 = (uint32_t)(i >> 16);		/* index 8..11 */
	}
#else
	v0 = (uint64_t)s << 16 | ((index >> 32) & 0xffff);
	v1 = (uint32_t)index;
#endif
	w0 ^= v0;
	w1 ^= v1;
	memcpy(iv, &w0, 8);
	memcpy(iv + 8, &w1, 4);
}

#endif
