/* SPDX-License-Identifier: BSD-3-Clause */
/* The state file (gateway/core/state.c): round trips, the exact layout, every
 * way a file can be damaged, the directory checks and the lock, a real
 * EROFS and a real ENOSPC on small tmpfs mounts (printed "skipped: ..."
 * and counted as skipped where mounting is not allowed), the fingerprint.
 * Everything happens under one mkdtemp directory in /tmp. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "harness.h"
#include "state.h"

#define BIG 100000
#define PATH_LEN 512

static char root[] = "/tmp/vg-state-XXXXXX";
static char err[1024];
static void
skip(const char *what, const char *why)
{
	SKIP("%s: %s", what, why);
}

static void
sub(char *buf, const char *name)
{
	if (snprintf(buf, PATH_LEN, "%s/%s", root, name) >= PATH_LEN)
		abort();
}

static void
file_of(char *buf, const char *dir, const char *name)
{
	if (snprintf(buf, PATH_LEN, "%s/%s", dir, name) >= PATH_LEN)
		abort();
}

static uint64_t
next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Record i of a varied set, the limits of each field among them. */
static void
mkrec(struct vg_state_rec *r, unsigned i)
{
	uint64_t s = 0x9e3779b97f4a7c15u ^ i;

	memset(r, 0, sizeof(*r));
	for (int k = 0; k < VG_STATE_FP_LEN; k += 8) {
		uint64_t v = next(&s);

		memcpy(r->fp + k, &v, 8);
	}
	r->ssrc = (uint32_t)next(&s);
	r->kind = i % 2 ? VG_STATE_RX : VG_STATE_TX;
	r->rtp = i % 7 == 3 ? VG_STATE_RTP_END : next(&s) % VG_STATE_RTP_END;
	r->rtcp = i % 5 == 2 ? VG_STATE_RTCP_END :
		  i % 5 == 4 ? 0 : (uint32_t)(next(&s) % VG_STATE_RTCP_END);
}

static bool
rec_eq(const struct vg_state_rec *a, const struct vg_state_rec *b)
{
	return memcmp(a->fp, b->fp, VG_STATE_FP_LEN) == 0 &&
	       a->ssrc == b->ssrc && a->kind == b->kind && a->rtp == b->rtp &&
	       a->rtcp == b->rtcp;
}

static struct vg_state_rec *
mkrecs(unsigned n)
{
	struct vg_state_rec *r = calloc(n ? n : 1, sizeof(*r));

	for (unsigned i = 0; i < n; i++)
		mkrec(&r[i], i);
	return r;
}

static long
slurp(const char *path, uint8_t *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	long n;

	if (fd < 0)
		return -1;
	n = (long)read(fd, buf, cap);
	close(fd);
	return n;
}

static bool
spit(const char *path, const uint8_t *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	bool ok = fd >= 0 && write(fd, buf, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok;
}

static bool
exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

/* Read back: true if the file holds exactly recs[0..n). */
static bool
holds(struct vg_state *st, const struct vg_state_rec *recs, unsigned n)
{
	struct vg_state_rec *got;
	unsigned m, i;
	bool ok;

	if (vg_state_read(st, &got, &m, err, sizeof(err)) != 0)
		return false;
	ok = m == n && (n > 0 || got == NULL);
	for (i = 0; ok && i < n; i++)
		ok = rec_eq(&got[i], &recs[i]);
	free(got);
	return ok;
}

static struct vg_state *
open_sub(const char *name, char *dir)
{
	struct vg_state *st;

	sub(dir, name);
	st = vg_state_open(dir, err, sizeof(err));
	CHECK(st != NULL, "open %s: %s", dir, err);
	return st;
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
test_round_trip(unsigned n)
{
	char dir[PATH_LEN], name[32], path[PATH_LEN];
	struct vg_state_rec *recs = mkrecs(n), *got = NULL;
	struct vg_state *st;
	struct stat sb;
	unsigned m = 99;
	double t;

	snprintf(name, sizeof(name), "rt%u", n);
	if ((st = open_sub(name, dir)) == NULL)
		goto out;
	t = now_ms();
	CHECK(vg_state_write(st, recs, n, err, sizeof(err)) == 0, "%s", err);
	t = now_ms() - t;
	if (n == BIG)
		printf("test_state: write of %u records (%zu bytes) with "
		       "fsync: %.1f ms\n", n, vg_state_file_size(n), t);
	file_of(path, dir, "vigie.state");
	CHECK(stat(path, &sb) == 0 && (size_t)sb.st_size ==
	      vg_state_file_size(n) && (sb.st_mode & 0777) == 0600,
	      "%u records: size or mode", n);
	file_of(path, dir, "vigie.state.tmp");
	CHECK(!exists(path), "no temporary file left");
	CHECK(vg_state_read(st, &got, &m, err, sizeof(err)) == 0, "%s", err);
	CHECK(m == n, "%u records read back as %u", n, m);
	CHECK(n > 0 || got == NULL, "no record: NULL");
	for (unsigned i = 0; got != NULL && i < n && i < m; i++)
		if (!rec_eq(&got[i], &recs[i])) {
			CHECK(false, "record %u of %u differs", i, n);
			break;
		}
	free(got);
	vg_state_close(st);
out:
	free(recs);
}

/* Sort once, then every record is found and a near miss is not. */
static void
test_find(void)
{
	struct vg_state_rec *recs = mkrecs(BIG), *sorted = mkrecs(BIG);
	const struct vg_state_rec *r;
	unsigned bad = 0, miss = 0;

	vg_state_sort(sorted, BIG);
	for (unsigned i = 0; i < BIG; i++) {
		r = vg_state_find(sorted, BIG, recs[i].fp, recs[i].ssrc,
				  (enum vg_state_kind)recs[i].kind);
		bad += r == NULL || !rec_eq(r, &recs[i]);
		miss += vg_state_find(sorted, BIG, recs[i].fp, recs[i].ssrc,
				      recs[i].kind == VG_STATE_TX ?
				      VG_STATE_RX : VG_STATE_TX) != NULL;
		miss += vg_state_find(sorted, BIG, recs[i].fp,
				      recs[i].ssrc + 1,
				      (enum vg_state_kind)recs[i].kind) != NULL;
	}
	CHECK(bad == 0, "%u of %u records not found after sort", bad, BIG);
	CHECK(miss == 0, "%u lookups found a record that is not there", miss);
	CHECK(vg_state_find(NULL, 0, recs[0].fp, 1, VG_STATE_TX) == NULL,
	      "empty array");
	free(recs);
	free(sorted);
}

/* Every byte of a one-record file, checked against the format. */
static void
test_layout(void)
{
	struct vg_state_rec r = { .ssrc = 0x11223344, .kind = VG_STATE_RX,
				  .rtp = 0x0000aabbccddeeffu,
				  .rtcp = 0x7f010203 };
	static const uint8_t want[56] = {
		'V', 'I', 'G', 'I', 'E', 'S', 'T', 'A', 1, 0, 0, 0, 1, 0, 0, 0,
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
		0x44, 0x33, 0x22, 0x11, 2, 0, 0, 0,
		0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0, 0,
		0x03, 0x02, 0x01, 0x7f, 0, 0, 0, 0,
	};
	char dir[PATH_LEN], path[PATH_LEN];
	uint8_t buf[128], sum[32];
	struct vg_state *st;
	long len;

	for (int i = 0; i < VG_STATE_FP_LEN; i++)
		r.fp[i] = (uint8_t)i;
	if ((st = open_sub("layout", dir)) == NULL)
		return;
	CHECK(vg_state_write(st, &r, 1, err, sizeof(err)) == 0, "%s", err);
	file_of(path, dir, "vigie.state");
	len = slurp(path, buf, sizeof(buf));
	CHECK(len == 88 && vg_state_file_size(1) == 88, "size %ld", len);
	CHECK(len >= 56 && memcmp(buf, want, 56) == 0,
	      "header and record bytes, little-endian, zero padding");
	EVP_Digest(buf, 56, sum, NULL, EVP_sha256(), NULL);
	CHECK(len == 88 && memcmp(buf + 56, sum, 32) == 0,
	      "trailer: SHA-256 of the bytes before it");
	vg_state_close(st);
}

static void
test_missing(void)
{
	struct vg_state_rec *got = (void *)1;
	char dir[PATH_LEN];
	struct vg_state *st;
	struct stat sb;
	unsigned n = 99;

	if ((st = open_sub("fresh/", dir)) == NULL)
		return;
	CHECK(stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode) &&
	      (sb.st_mode & 0777) == 0700, "created with mode 0700");
	CHECK(vg_state_read(st, &got, &n, err, sizeof(err)) == 0, "%s", err);
	CHECK(n == 0 && got == NULL, "no file: a first start, 0 records");
	vg_state_close(st);
}

/* A damaged file: -1, the path in the message, the word given. */
static void
refused(struct vg_state *st, const char *path, const char *word,
	const char *what)
{
	struct vg_state_rec *got = (void *)1;
	unsigned n = 99;
	int rc;

	rc = vg_state_read(st, &got, &n, err, sizeof(err));
	CHECK(rc == -1 && got == NULL && n == 0, "%s: read as valid", what);
	if (rc == 0) {
		free(got);
		return;
	}
	CHECK(strstr(err, path) != NULL, "%s: path not named: %s", what, err);
	CHECK(strstr(err, word) != NULL, "%s: no '%s' in: %s", what, word,
	      err);
}

static bool
refused_q(struct vg_state *st, const char *path, const char *word)
{
	struct vg_state_rec *got = (void *)1;
	unsigned n = 99;

	if (vg_state_read(st, &got, &n, err, sizeof(err)) == 0) {
		snprintf(err, sizeof(err), "read as valid, %u records", n);
		free(got);
		return false;
	}
	return got == NULL && n == 0 && strstr(err, path) != NULL &&
	       strstr(err, word) != NULL;
}

/* A file of 3 records in DIR: its bytes in good, its path in path. */
static struct vg_state *
three(const char *name, char *dir, char *path, uint8_t *good, long *len)
{
	struct vg_state_rec *recs = mkrecs(3);
	struct vg_state *st = open_sub(name, dir);

	if (st != NULL) {
		CHECK(vg_state_write(st, recs, 3, err, sizeof(err)) == 0, "%s",
		      err);
		file_of(path, dir, "vigie.state");
		*len = slurp(path, good, 256);
		CHECK(*len == 168, "3 records: %ld bytes", *len);
	}
	free(recs);
	return st;
}

static void
test_torn(void)
{
	static const long cut[] = { 0, 1, 7, 8, 12, 15, 16, 20, 47, 48, 55,
				    56, 100, 135, 136, 166, 167 };
	char dir[PATH_LEN], path[PATH_LEN], what[64];
	uint8_t good[256] = { 0 };
	struct vg_state *st;
	long len;

	if ((st = three("torn", dir, path, good, &len)) == NULL)
		return;
	for (size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		snprintf(what, sizeof(what), "cut at %ld bytes", cut[i]);
		CHECK(spit(path, good, (size_t)cut[i]), "%s", what);
		refused(st, path, "torn", what);
	}
	CHECK(spit(path, good, 169), "one byte more");
	refused(st, path, "torn", "one byte appended");
	CHECK(spit(path, good, 208), "a record more");
	refused(st, path, "torn", "a record appended");
	vg_state_close(st);
}

/* One byte changed anywhere: refused, saying where it can. */
static void
test_flips(void)
{
	static const uint8_t mask[] = { 0x01, 0x80, 0xff };
	char dir[PATH_LEN], path[PATH_LEN];
	uint8_t good[256] = { 0 }, bad[256];
	struct vg_state_rec *recs = mkrecs(3);
	struct vg_state *st;
	const char *word;
	long len, off;

	if ((st = three("flip", dir, path, good, &len)) == NULL) {
		free(recs);
		return;
	}
	for (size_t m = 0; m < sizeof(mask); m++) {
		for (off = 0; off < len; off++) {
			memcpy(bad, good, (size_t)len);
			bad[off] ^= mask[m];
			word = off < 8 ? "magic" : off < 12 ? "version" :
			       off < 16 ? "torn" : "checksum";
			if (!spit(path, bad, (size_t)len) ||
			    !refused_q(st, path, word))
				break;
		}
		CHECK(off == len, "byte %ld ^ 0x%02x: %s", off, mask[m], err);
	}
	CHECK(spit(path, good, (size_t)len) && holds(st, recs, 3),
	      "the good file again: %s", err);
	vg_state_close(st);
	free(recs);
}

static void
reseal(uint8_t *buf, long len)
{
	EVP_Digest(buf, (size_t)len - 32, buf + len - 32, NULL, EVP_sha256(),
		   NULL);
}

/* Well sealed but not what this version writes. */
static void
test_sealed(void)
{
	static const struct {
		int off;
		uint8_t val;
		const char *word;
	} bad[] = {
		{ 8, 2, "version" }, { 8, 0, "version" }, { 11, 1, "version" },
		{ 12, 4, "torn" }, { 12, 2, "torn" },
		{ 16 + 40 + 20, 0, "record 1: unknown kind" },
		{ 16 + 40 + 20, 3, "record 1: unknown kind" },
		{ 16 + 80 + 21, 1, "record 2: padding" },
		{ 16 + 39, 0x80, "record 0: padding" },
		{ 16 + 31, 1, "record 0: rtp index past 2^48" },
		{ 16 + 80 + 32, 1, "record 2: rtcp index past 2^31" },
	};
	char dir[PATH_LEN], path[PATH_LEN];
	uint8_t good[256] = { 0 }, buf[256];
	struct vg_state *st;
	long len;

	if ((st = three("sealed", dir, path, good, &len)) == NULL)
		return;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(buf, good, (size_t)len);
		buf[bad[i].off] = bad[i].val;
		reseal(buf, len);
		CHECK(spit(path, buf, (size_t)len), "write");
		refused(st, path, bad[i].word, bad[i].word);
	}
	vg_state_close(st);
}

/* Records the reader would refuse are never written. */
static void
test_write_refuses(void)
{
	struct vg_state_rec *good = mkrecs(3), *bad = mkrecs(3);
	char dir[PATH_LEN];
	struct vg_state *st;

	if ((st = open_sub("wref", dir)) == NULL)
		goto out;
	CHECK(vg_state_write(st, good, 3, err, sizeof(err)) == 0, "%s", err);
	bad[1].kind = 3;
	CHECK(vg_state_write(st, bad, 3, err, sizeof(err)) == -1 &&
	      strstr(err, "record 1") && strstr(err, "not written"), "%s", err);
	bad[1].kind = VG_STATE_TX;
	bad[2].rtp = VG_STATE_RTP_END + 1;
	CHECK(vg_state_write(st, bad, 3, err, sizeof(err)) == -1 &&
	      strstr(err, "record 2 ") && strstr(err, "2^48"), "%s",
	      err);
	bad[2].rtp = 0;
	bad[0].rtcp = VG_STATE_RTCP_END + 1;
	CHECK(vg_state_write(st, bad, 3, err, sizeof(err)) == -1 &&
	      strstr(err, "2^31"), "%s", err);
	CHECK(vg_state_write(st, bad, VG_STATE_MAX_RECS + 1, err,
			     sizeof(err)) == -1 && strstr(err, "more than"),
	      "%s", err);
	CHECK(holds(st, good, 3), "the previous file intact: %s", err);
	vg_state_close(st);
out:
	free(good);
	free(bad);
}

/* Shrinking: the file is replaced whole, not written over. */
static void
test_shrink(void)
{
	struct vg_state_rec *recs = mkrecs(BIG);
	char dir[PATH_LEN];
	struct vg_state *st;

	if ((st = open_sub("shrink", dir)) == NULL)
		goto out;
	CHECK(vg_state_write(st, recs, BIG, err, sizeof(err)) == 0, "%s", err);
	CHECK(vg_state_write(st, recs + 5, 1, err, sizeof(err)) == 0, "%s",
	      err);
	CHECK(holds(st, recs + 5, 1), "one record after %u: %s", BIG, err);
	CHECK(vg_state_write(st, recs, 0, err, sizeof(err)) == 0, "%s", err);
	CHECK(holds(st, NULL, 0), "no record: %s", err);
	vg_state_close(st);
out:
	free(recs);
}

/* The lock is per open: a second open, here or in another vigie-gw, is
 * refused while the first holds it, and allowed once it is closed. */
static void
test_lock(void)
{
	struct vg_state *a, *b;
	char dir[PATH_LEN];

	if ((a = open_sub("lock", dir)) == NULL)
		return;
	b = vg_state_open(dir, err, sizeof(err));
	CHECK(b == NULL, "second open of %s while locked", dir);
	CHECK(b == NULL && strstr(err, "another vigie-gw holds") &&
	      strstr(err, dir), "%s", b ? "(opened)" : err);
	vg_state_close(b);
	vg_state_close(a);
	b = vg_state_open(dir, err, sizeof(err));
	CHECK(b != NULL, "open after close: %s", err);
	vg_state_close(b);
}

/* --check-config beside a running gateway: reads what the lock holder
 * wrote, creates nothing, refuses a damaged file as read does. */
static void
test_peek(void)
{
	struct vg_state_rec *recs = mkrecs(3), *got;
	char dir[PATH_LEN], path[PATH_LEN];
	struct vg_state *st;
	unsigned n;

	sub(path, "peek-none");
	CHECK(vg_state_peek(path, &got, &n, err, sizeof(err)) == 0 && n == 0 &&
	      got == NULL && !exists(path), "a missing directory: %s", err);
	if ((st = open_sub("peek", dir)) == NULL)
		return;
	CHECK(vg_state_write(st, recs, 3, err, sizeof(err)) == 0, "%s", err);
	CHECK(vg_state_peek(dir, &got, &n, err, sizeof(err)) == 0 && n == 3 &&
	      rec_eq(&got[2], &recs[2]), "while locked: %s", err);
	free(got);
	file_of(path, dir, "vigie.state");
	CHECK(truncate(path, 20) == 0);
	CHECK(vg_state_peek(dir, &got, &n, err, sizeof(err)) == -1 &&
	      strstr(err, "torn"), "torn: %s", err);
	vg_state_close(st);
	free(recs);
}

/* Open name (made with mode, owner uid when not -1): refused with word. */
static void
dir_refused(const char *name, mode_t mode, int uid, const char *word)
{
	char dir[PATH_LEN];
	struct vg_state *st;

	sub(dir, name);
	CHECK(mkdir(dir, 0700) == 0 && chmod(dir, mode) == 0, "mkdir %s", dir);
	if (uid >= 0 && chown(dir, (uid_t)uid, (gid_t)-1) != 0) {
		skip("a state directory of another owner", strerror(errno));
		return;
	}
	st = vg_state_open(dir, err, sizeof(err));
	CHECK(st == NULL, "%s opened", dir);
	CHECK(st == NULL && strstr(err, dir) && strstr(err, word),
	      "no '%s' in: %s", word, st ? "(opened)" : err);
	vg_state_close(st);
}

static void
test_dirs(void)
{
	char dir[PATH_LEN], path[PATH_LEN];
	struct vg_state *st;

	dir_refused("wide", 0777, -1, "lets group/others write in");
	dir_refused("gwrite", 0770, -1, "run: chmod 700");
	dir_refused("owner-out", 0500, -1, "keeps its owner out");
	dir_refused("other", 0700, 12345, "owned by uid 12345");
	sub(dir, "plain");
	CHECK(spit(dir, (const uint8_t *)"x", 1), "file");
	CHECK(vg_state_open(dir, err, sizeof(err)) == NULL &&
	      strstr(err, dir) && strstr(err, "not a directory"), "%s", err);
	sub(dir, "nope/deeper");
	CHECK(vg_state_open(dir, err, sizeof(err)) == NULL &&
	      strstr(err, dir) && strstr(err, "cannot create"), "%s", err);
	sub(dir, "readable");
	CHECK(mkdir(dir, 0700) == 0 && chmod(dir, 0755) == 0, "mkdir");
	st = vg_state_open(dir, err, sizeof(err));
	CHECK(st != NULL, "0755 is fine: %s", err);
	file_of(path, dir, "vigie.state");
	CHECK(st && mkdir(path, 0700) == 0, "vigie.state as a directory");
	CHECK(st && refused_q(st, path, "not a regular file"), "%s", err);
	CHECK(st && vg_state_write(st, NULL, 0, err, sizeof(err)) == -1 &&
	      strstr(err, "rename"), "%s", err);
	CHECK(rmdir(path) == 0 && symlink("/etc/passwd", path) == 0, "link");
	CHECK(st && refused_q(st, path, "symbolic link"), "%s", err);
	vg_state_close(st);
}

/* A shell command, quiet: true if it exited 0. */
static bool
run(const char *fmt, const char *dir)
{
	char cmd[PATH_LEN + 128];

	snprintf(cmd, sizeof(cmd), fmt, dir);
	strncat(cmd, " >/dev/null 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	return system(cmd) == 0;
}

/* A tmpfs of size at root/name, mode 0700: its path in dir, or false. */
static bool
mount_small(const char *name, const char *size, char *dir, const char *what)
{
	char fmt[128];

	sub(dir, name);
	CHECK(mkdir(dir, 0700) == 0, "mkdir %s", dir);
	snprintf(fmt, sizeof(fmt), "mount -t tmpfs -o size=%s,mode=0700 "
		 "tmpfs '%%s'", size);
	if (run(fmt, dir))
		return true;
	skip(what, "cannot mount a tmpfs here (no privilege?)");
	return false;
}

static void
unmount(const char *dir)
{
	CHECK(run("umount '%s'", dir), "umount %s", dir);
}

/* The file system goes read-only under a running gateway. */
static void
test_readonly(void)
{
	char dir[PATH_LEN], tmp[PATH_LEN];
	struct vg_state_rec *recs = mkrecs(10);
	struct vg_state *st;

	if (!mount_small("ro", "64k", dir, "EROFS"))
		goto out;
	st = vg_state_open(dir, err, sizeof(err));
	CHECK(st != NULL, "open %s: %s", dir, err);
	CHECK(st && vg_state_write(st, recs, 5, err, sizeof(err)) == 0, "%s",
	      err);
	if (st != NULL && !run("mount -o remount,ro '%s'", dir)) {
		skip("EROFS", "cannot remount the tmpfs read-only");
	} else if (st != NULL) {
		file_of(tmp, dir, "vigie.state.tmp");
		CHECK(vg_state_write(st, recs, 10, err, sizeof(err)) == -1,
		      "written on a read-only file system");
		CHECK(strstr(err, tmp) && strstr(err, "EROFS") &&
		      strstr(err, "Read-only file system") &&
		      strstr(err, "keeps the previous state"), "%s", err);
		CHECK(holds(st, recs, 5), "previous file: %s", err);
		vg_state_close(st);
		st = vg_state_open(dir, err, sizeof(err));
		CHECK(st == NULL && strstr(err, dir) &&
		      strstr(err, "read-only file system"), "%s", err);
	}
	vg_state_close(st);
	unmount(dir);
out:
	free(recs);
}

/* A full disk: the big write fails with ENOSPC, its temporary file is
 * removed, the previous file is intact and the next write succeeds. */
static void
test_full(void)
{
	struct vg_state_rec *recs = mkrecs(BIG);
	char dir[PATH_LEN], tmp[PATH_LEN];
	struct vg_state *st;

	if (!mount_small("full", "16k", dir, "ENOSPC"))
		goto out;
	st = vg_state_open(dir, err, sizeof(err));
	CHECK(st != NULL, "open %s: %s", dir, err);
	if (st != NULL) {
		file_of(tmp, dir, "vigie.state.tmp");
		CHECK(vg_state_write(st, recs, 10, err, sizeof(err)) == 0,
		      "%s", err);
		CHECK(vg_state_write(st, recs, BIG, err, sizeof(err)) == -1,
		      "4 MB written into 16 kB");
		CHECK(strstr(err, tmp) && strstr(err, "ENOSPC") &&
		      strstr(err, "No space left on device") &&
		      strstr(err, "keeps the previous state"), "%s", err);
		CHECK(!exists(tmp), "temporary file removed");
		CHECK(holds(st, recs, 10), "previous file: %s", err);
		CHECK(vg_state_write(st, recs + 1, 10, err, sizeof(err)) == 0,
		      "space given back: %s", err);
		CHECK(holds(st, recs + 1, 10), "%s", err);
	}
	vg_state_close(st);
	unmount(dir);
out:
	free(recs);
}

static bool
window_in(const uint8_t *hay, size_t n, const uint8_t *key, size_t len)
{
	for (size_t i = 0; i + 8 <= len; i++)
		if (memmem(hay, n, key + i, 8) != NULL)
			return true;
	return false;
}

/* The reference fingerprint, computed here from state.h's description:
 * SHA-256("vigie state key v1" || suite || len || key)[0..16). */
static void
fp_ref(uint8_t fp[16], uint8_t suite, const uint8_t *key, uint8_t len)
{
	uint8_t buf[18 + 2 + 255], md[32];

	memcpy(buf, "vigie state key v1", 18);
	buf[18] = suite;
	buf[19] = len;
	memcpy(buf + 20, key, len);
	EVP_Digest(buf, 20u + len, md, NULL, EVP_sha256(), NULL);
	memcpy(fp, md, 16);
}

/* AES_CM_128_HMAC_SHA1_80 and _32 derive one keystream from one key: one
 * fingerprint, so that a suite change between them continues above the
 * indexes used; and a record an earlier version wrote under _32's own id
 * (1) is still found, the further of two positions taken. */
static void
test_keystream_family(void)
{
	struct vg_state_rec recs[3], found, *none = NULL;
	uint8_t key[30], a[16], b[16], ref[16];
	const struct vg_state_rec *r;

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 53 + 5);
	vg_state_fingerprint(a, 0, key, 30);
	vg_state_fingerprint(b, 1, key, 30);
	CHECK(memcmp(a, b, 16) == 0, "_80 and _32: one fingerprint");
	fp_ref(ref, 0, key, 30);
	CHECK(memcmp(a, ref, 16) == 0, "named as _80 (suite id 0)");
	memset(recs, 0, sizeof(recs));
	fp_ref(recs[0].fp, 1, key, 30);		/* written by v1 for _32 */
	recs[0].ssrc = 5, recs[0].kind = VG_STATE_TX;
	recs[0].rtp = 90000, recs[0].rtcp = 40;
	vg_state_sort(recs, 1);
	r = vg_state_find_stream(recs, 1, 1, key, 30, 5, VG_STATE_TX, b, &found);
	CHECK(r != NULL && r->rtp == 90000 && r->rtcp == 40 &&
	      memcmp(r->fp, a, 16) == 0 && memcmp(b, a, 16) == 0,
	      "a _32 stream finds its v1 record, renamed");
	r = vg_state_find_stream(recs, 1, 0, key, 30, 5, VG_STATE_TX, b, &found);
	CHECK(r == NULL, "an _80 stream never wrote under id 1");
	memcpy(recs[1].fp, a, 16);			/* and the new record */
	recs[1].ssrc = 5, recs[1].kind = VG_STATE_TX;
	recs[1].rtp = 60000, recs[1].rtcp = 70;
	vg_state_sort(recs, 2);
	r = vg_state_find_stream(recs, 2, 1, key, 30, 5, VG_STATE_TX, b, &found);
	CHECK(r != NULL && r->rtp == 90000 && r->rtcp == 70,
	      "both: the further SRTP and SRTCP positions");
	r = vg_state_find_stream(recs, 2, 0, key, 30, 5, VG_STATE_TX, b, &found);
	CHECK(r != NULL && r->rtp == 60000, "_80 finds the family's record");
	CHECK(vg_state_find_stream(recs, 2, 1, key, 30, 6, VG_STATE_TX, b,
				   &found) == none, "another SSRC: none");
	CHECK(vg_state_find_stream(recs, 2, 1, key, 30, 5, VG_STATE_RX, b,
				   &found) == none, "another kind: none");
	vg_state_fingerprint(b, 2, key, 28);
	fp_ref(ref, 2, key, 28);
	CHECK(memcmp(b, ref, 16) == 0, "GCM keeps its own id");
}

static void
test_fingerprint(void)
{
	uint8_t key[44], buf[64] = "vigie state key v1", md[32], a[16], b[16];
	struct vg_state_rec r = { .kind = VG_STATE_TX, .ssrc = 7, .rtp = 9 };
	char dir[PATH_LEN], path[PATH_LEN];
	uint8_t file[128];
	struct vg_state *st;
	long len;

	for (size_t i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 37 + 11);
	CHECK(vg_state_fingerprint(a, 2, key, 28) == 0, "fingerprint");
	CHECK(vg_state_fingerprint(b, 2, key, 28) == 0 &&
	      memcmp(a, b, 16) == 0, "deterministic");
	buf[18] = 2;
	buf[19] = 28;
	memcpy(buf + 20, key, 28);
	EVP_Digest(buf, 48, md, NULL, EVP_sha256(), NULL);
	CHECK(memcmp(a, md, 16) == 0, "SHA-256(label, suite, len, key)[0..16)");
	vg_state_fingerprint(b, 3, key, 28);
	CHECK(memcmp(a, b, 16) != 0, "another suite, another fingerprint");
	vg_state_fingerprint(b, 2, key, 27);
	CHECK(memcmp(a, b, 16) != 0, "another length, another fingerprint");
	key[27] ^= 1;
	vg_state_fingerprint(b, 2, key, 28);
	key[27] ^= 1;
	CHECK(memcmp(a, b, 16) != 0, "one key bit, another fingerprint");
	CHECK(memmem(key, 28, a, 16) == NULL && !window_in(a, 16, key, 28),
	      "no 8 bytes shared with the key");
	CHECK(vg_state_fingerprint(b, 2, key, 256) == -1 && b[0] == 0 &&
	      vg_state_fingerprint(b, -1, key, 28) == -1, "out of range");
	memcpy(r.fp, a, 16);
	if ((st = open_sub("fp", dir)) == NULL)
		return;
	CHECK(vg_state_write(st, &r, 1, err, sizeof(err)) == 0, "%s", err);
	file_of(path, dir, "vigie.state");
	len = slurp(path, file, sizeof(file));
	CHECK(len == 88 && !window_in(file, 88, key, 28),
	      "the file holds no 8 bytes of the key");
	vg_state_close(st);
}

int
main(void)
{
	if (mkdtemp(root) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	VG_RUN(test_fingerprint);
	VG_RUN(test_keystream_family);
	VG_RUN(test_round_trip, 0);
	VG_RUN(test_round_trip, 1);
	VG_RUN(test_round_trip, BIG);
	VG_RUN(test_find);
	VG_RUN(test_layout);
	VG_RUN(test_missing);
	VG_RUN(test_torn);
	VG_RUN(test_flips);
	VG_RUN(test_sealed);
	VG_RUN(test_write_refuses);
	VG_RUN(test_shrink);
	VG_RUN(test_lock);
	VG_RUN(test_peek);
	VG_RUN(test_dirs);
	VG_RUN(test_readonly);
	VG_RUN(test_full);
	CHECK(run("rm -rf '%s'", root), "rm -rf %s", root);
	VG_TEST_END();
}
