/* SPDX-License-Identifier: BSD-3-Clause */
/* The durable state file (security invariant 3): SRTP and SRTCP indexes
 * reserved ahead of use, per (key, SSRC), so that after any stop (SIGKILL,
 * power loss) a stream continues above every index it may have used; and a
 * receiver's (center role) last authenticated indexes.
 *
 * Owns one state directory: an exclusive flock on DIR/lock for as long as
 * it is open, and DIR/vigie.state, replaced whole by rename.  Only the main
 * lcore calls this module (it does blocking I/O and fsync); workers read
 * the limits it made durable, never the file.  Pure code: no DPDK.
 *
 * The file never holds a key: a key appears only as vg_state_fingerprint,
 * a truncated SHA-256 under a label of its own.
 *
 * File format, version 1, every integer little-endian:
 *   header   "VIGIESTA"  u32 version (1)  u32 record count   (16 bytes)
 *   records  count x 40 bytes: fp[16] u32 ssrc  u8 kind  3 zero bytes
 *            u64 rtp  u32 rtcp  4 zero bytes
 *   trailer  SHA-256 of every byte before it                   (32 bytes) */
#ifndef VG_STATE_H
#define VG_STATE_H

#include <stddef.h>
#include <stdint.h>

#define VG_STATE_FP_LEN 16
#define VG_STATE_MAX_RECS (1u << 22)	/* 4,194,304 records, 168 MB */
#define VG_STATE_RTP_END (UINT64_C(1) << 48)	/* past every SRTP index */
#define VG_STATE_RTCP_END (UINT32_C(1) << 31)	/* past every SRTCP index */

enum vg_state_kind { VG_STATE_TX = 1, VG_STATE_RX = 2 };

/* One stream's durable indexes.  In memory only: the file layout is the
 * one above, written field by field, whatever the host's byte order. */
struct vg_state_rec {
	uint8_t fp[VG_STATE_FP_LEN];	/* vg_state_fingerprint of its key */
	uint32_t ssrc;
	uint8_t kind;			/* enum vg_state_kind */
	/* TX: reserved limit, every SRTP index used is < rtp.
	 * RX: highest authenticated SRTP index + 1 (0: none yet).
	 * At most VG_STATE_RTP_END. */
	uint64_t rtp;
	/* TX: reserved SRTCP limit, every SRTCP index used is < rtcp.
	 * RX: highest authenticated SRTCP index + 1 (0: none yet).
	 * At most VG_STATE_RTCP_END. */
	uint32_t rtcp;
};

/* The one-way name of a master key's keystream: the first 16 bytes of
 * SHA-256 over "vigie state key v1" (18 bytes, no NUL), a suite id as one
 * byte, len as one byte, then the len bytes of key (master key || salt;
 * len < 256).  The suite id is that of the suite's keystream family:
 * AES_CM_128_HMAC_SHA1_32 is named as _80, since both derive one keystream
 * from one key (only the tag differs), so a suite change between them
 * continues above the indexes used instead of starting again at 0.
 * Returns 0, or -1 (fp then zero) when suite is not in 0..255, len is
 * not below 256 or OpenSSL fails (out of memory). */
int vg_state_fingerprint(uint8_t fp[VG_STATE_FP_LEN], int suite,
			 const uint8_t *key, size_t len);

/* An open state directory: its fd and the exclusive lock. */
struct vg_state;

/* Open DIR, creating it with mode 0700 (and syncing its parent) when it
 * does not exist, and take the lock.  Refused: not a directory, writable by
 * group or others, owned by another user than the effective uid, on a
 * read-only file system, or locked by another open of it (another vigie-gw,
 * or this process again: the lock is per open).  Returns the handle, or NULL
 * with a message in err naming DIR, what is wrong and what to do. */
struct vg_state *vg_state_open(const char *dir, char *err, size_t errlen);

/* Release the lock and everything the handle holds; st may be NULL. */
void vg_state_close(struct vg_state *st);

/* Bytes of a state file holding n records. */
size_t vg_state_file_size(unsigned n);

/* Read DIR/vigie.state.  Returns 0 with *recs (malloc'd, the caller frees
 * it) and *n records in file order; *recs NULL and *n 0 when the file does
 * not exist (a first start) or holds no record.  Returns -1 with a message
 * in err naming the file when it cannot be read, is not a regular file, is
 * torn (shorter or longer than its header says), has a bad magic, an
 * unknown version or a bad checksum, or holds a record out of range (kind,
 * padding, rtp, rtcp).  Never resets: a damaged file is an error. */
int vg_state_read(struct vg_state *st, struct vg_state_rec **recs,
		  unsigned *n, char *err, size_t errlen);

/* Read DIR/vigie.state without opening DIR for writing: no lock, nothing
 * created (vigie-gw --check-config, beside a running gateway).  As
 * vg_state_read; a missing DIR is a first start too. */
int vg_state_peek(const char *dir, struct vg_state_rec **recs, unsigned *n,
		  char *err, size_t errlen);

/* Replace DIR/vigie.state by these n records, atomically and durably:
 * DIR/vigie.state.tmp written in one buffer, fsync, rename, fsync of DIR.
 * Returns 0 once the new file is durable.  Returns -1 with a message in err
 * naming the path and the errno text (ENOSPC, EROFS, EIO...), or the first
 * record out of range (nothing then is written).  After -1 the file holds
 * either the previous records or these, never a mix: go on as if the
 * previous ones were in force.  No syscall per record: the file is built
 * in one buffer, kept by st for the next write. */
int vg_state_write(struct vg_state *st, const struct vg_state_rec *recs,
		   unsigned n, char *err, size_t errlen);

/* Sort recs by (fp, ssrc, kind), for vg_state_find. */
void vg_state_sort(struct vg_state_rec *recs, unsigned n);

/* Binary search in recs sorted by vg_state_sort.  Returns the record of
 * (fp, ssrc, kind), or NULL.  With duplicates, any one of them. */
const struct vg_state_rec *
vg_state_find(const struct vg_state_rec *recs, unsigned n,
	      const uint8_t fp[VG_STATE_FP_LEN], uint32_t ssrc,
	      enum vg_state_kind kind);

/* The record of the stream (suite, key, ssrc, kind) in recs sorted by
 * vg_state_sort, into *buf, or NULL when there is none; its fingerprint
 * into fp.  Also reads a record an earlier version wrote under the
 * suite's own id (before keystream families: AES_CM_128_HMAC_SHA1_32
 * streams) and, with both, takes the further SRTP and SRTCP positions of
 * the two: no upgrade or suite change restarts a keystream. */
const struct vg_state_rec *
vg_state_find_stream(const struct vg_state_rec *recs, unsigned n, int suite,
		     const uint8_t *key, size_t len, uint32_t ssrc,
		     enum vg_state_kind kind, uint8_t fp[VG_STATE_FP_LEN],
		     struct vg_state_rec *buf);

#endif
