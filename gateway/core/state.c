/* SPDX-License-Identifier: BSD-3-Clause */
/* The durable state file (state.h has the format; only the main lcore
 * calls this).  This module owns the state directory's fd, its lock and a
 * write buffer kept between writes.  A write goes to vigie.state.tmp,
 * fsync, rename over vigie.state, fsync of the directory: a stop at any
 * point leaves the old file or the new one, whole, never a mix.  A file
 * that does not check out is an error, never a reason to start afresh: the
 * indexes its streams used would be lost. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include <openssl/evp.h>

#include "state.h"
#include "suite.h"

#define STATE_FILE "vigie.state"
#define STATE_TMP "vigie.state.tmp"
#define LOCK_FILE "lock"
#define MAGIC "VIGIESTA"
#define VERSION 1
#define HDR_LEN 16
#define REC_LEN 40
#define SUM_LEN 32
#define FP_LABEL "vigie state key v1"

/* Deleting a damaged file to restart, or putting back an older copy,
 * would let streams reuse indexes under their keys: say so wherever one
 * is refused. */
#define DAMAGED ": the indexes its streams used are unknown; give every " \
	"stream a new master key, then remove it (an older copy would " \
	"repeat indexes)"

struct vg_state {
	int dirfd;
	int lockfd;		/* holds the flock while open */
	char *dir;		/* as given, for messages */
	uint8_t *buf;		/* the write buffer */
	size_t cap;
};

static void
put_le(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

static uint64_t
get_le(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	for (int i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* snprintf into err, then -1: every error path is one statement. */
__attribute__((format(printf, 3, 4))) static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *
errname(int e)
{
	const char *s = strerrorname_np(e);

	return s != NULL ? s : "unknown errno";
}

/* The fingerprint under the suite id given as it is (format v1 before
 * keystream families). */
static int
fingerprint_as(uint8_t fp[VG_STATE_FP_LEN], int suite, const uint8_t *key,
	       size_t len)
{
	uint8_t md[SUM_LEN], head[2] = { (uint8_t)suite, (uint8_t)len };
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	ok = ctx != NULL && suite >= 0 && suite < 256 && len < 256 &&
	     EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
	     EVP_DigestUpdate(ctx, FP_LABEL, strlen(FP_LABEL)) == 1 &&
	     EVP_DigestUpdate(ctx, head, sizeof(head)) == 1 &&
	     EVP_DigestUpdate(ctx, key, len) == 1 &&
	     EVP_DigestFinal_ex(ctx, md, NULL) == 1;
	EVP_MD_CTX_free(ctx);
	memset(fp, 0, VG_STATE_FP_LEN);
	if (!ok)
		return -1;
	memcpy(fp, md, VG_STATE_FP_LEN);
	return 0;
}

/* The suite that names suite's keystream (state.h). */
static int
keystream_family(int suite)
{
	return suite == VG_SUITE_AES_CM_128_HMAC_SHA1_32 ?
	       VG_SUITE_AES_CM_128_HMAC_SHA1_80 : suite;
}

int
vg_state_fingerprint(uint8_t fp[VG_STATE_FP_LEN], int suite,
		     const uint8_t *key, size_t len)
{
	return fingerprint_as(fp, keystream_family(suite), key, len);
}

static int
sha256(const uint8_t *p, size_t n, uint8_t out[SUM_LEN])
{
	return EVP_Digest(p, n, out, NULL, EVP_sha256(), NULL) == 1 ? 0 : -1;
}

/* mkdir, and a fresh directory's entry made durable: one that a power
 * loss takes away would read as a first start. */
static int
dir_create(const char *dir, char *err, size_t errlen)
{
	char *copy;
	int fd = -1, rc;

	if (mkdir(dir, 0700) != 0)
		return errno == EEXIST ? 0 : fail(err, errlen, "%s: cannot "
			"create the state directory: %s; create it (mode 700, "
			"owned by the user vigie-gw runs as)", dir,
			strerror(errno));
	copy = strdup(dir);
	if (copy != NULL)
		fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	rc = fd >= 0 && fsync(fd) == 0 ? 0 : fail(err, errlen, "%s: created, "
		"but its parent directory could not be synced: %s", dir,
		strerror(copy != NULL ? errno : ENOMEM));
	if (fd >= 0)
		close(fd);
	free(copy);
	return rc;
}

static int
dir_check(int fd, const char *dir, char *err, size_t errlen)
{
	struct statvfs vfs;
	struct stat sb;

	if (fstat(fd, &sb) != 0 || fstatvfs(fd, &vfs) != 0)
		return fail(err, errlen, "%s: cannot stat the state directory: "
			    "%s", dir, strerror(errno));
	if ((sb.st_mode & 022) != 0 || (sb.st_mode & 0700) != 0700)
		return fail(err, errlen, "%s: mode %04o %s the state "
			    "directory; run: chmod 700 %s", dir,
			    (unsigned)(sb.st_mode & 07777), (sb.st_mode & 022)
			    ? "lets group/others write in" :
			    "keeps its owner out of", dir);
	if (sb.st_uid != geteuid())
		return fail(err, errlen, "%s: the state directory is owned by "
			    "uid %u, not by uid %u that vigie-gw runs as; run: "
			    "chown %u %s", dir, (unsigned)sb.st_uid,
			    (unsigned)geteuid(), (unsigned)geteuid(), dir);
	if ((vfs.f_flag & ST_RDONLY) != 0)
		return fail(err, errlen, "%s: the state directory is on a "
			    "read-only file system; it must be writable", dir);
	return 0;
}

/* flock needs no write access: a read-only fd also lets the file system
 * be remounted read-only under a running gateway (its next write then
 * fails with EROFS, as it should). */
static int
lock_take(struct vg_state *st, char *err, size_t errlen)
{
	st->lockfd = openat(st->dirfd, LOCK_FILE, O_RDONLY | O_CREAT |
			    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (st->lockfd < 0)
		return fail(err, errlen, "%s/" LOCK_FILE ": cannot open the "
			    "lock file: %s", st->dir, strerror(errno));
	if (flock(st->lockfd, LOCK_EX | LOCK_NB) == 0)
		return 0;
	if (errno == EWOULDBLOCK)
		return fail(err, errlen, "%s/" LOCK_FILE ": another vigie-gw "
			    "holds the state directory %s; stop it, or give "
			    "each gateway a state directory of its own",
			    st->dir, st->dir);
	return fail(err, errlen, "%s/" LOCK_FILE ": cannot lock: %s", st->dir,
		    strerror(errno));
}

struct vg_state *
vg_state_open(const char *dir, char *err, size_t errlen)
{
	struct vg_state *st;

	if (dir_create(dir, err, errlen) != 0)
		return NULL;
	st = calloc(1, sizeof(*st));
	if (st == NULL || (st->dir = strdup(dir)) == NULL) {
		fail(err, errlen, "%s: out of memory", dir);
		free(st);
		return NULL;
	}
	st->lockfd = -1;
	st->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->dirfd < 0)
		fail(err, errlen, "%s: cannot open the state directory: %s",
		     dir, errno == ENOTDIR ? "not a directory" :
		     strerror(errno));
	if (st->dirfd < 0 || dir_check(st->dirfd, dir, err, errlen) != 0 ||
	    lock_take(st, err, errlen) != 0) {
		vg_state_close(st);
		return NULL;
	}
	return st;
}

int
vg_state_peek(const char *dir, struct vg_state_rec **recs, unsigned *n,
	      char *err, size_t errlen)
{
	struct vg_state st = { .lockfd = -1, .dir = (char *)dir };
	int ret;

	*recs = NULL;
	*n = 0;
	st.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st.dirfd < 0 && errno == ENOENT)
		return 0;
	if (st.dirfd < 0)
		return fail(err, errlen, "%s: cannot open the state directory: "
			    "%s", dir, strerror(errno));
	ret = vg_state_read(&st, recs, n, err, errlen);
	close(st.dirfd);
	return ret;
}

void
vg_state_close(struct vg_state *st)
{
	if (st == NULL)
		return;
	if (st->lockfd >= 0)
		close(st->lockfd);
	if (st->dirfd >= 0)
		close(st->dirfd);
	free(st->buf);
	free(st->dir);
	free(st);
}

size_t
vg_state_file_size(unsigned n)
{
	return HDR_LEN + (size_t)n * REC_LEN + SUM_LEN;
}

static void
rec_put(uint8_t *p, const struct vg_state_rec *r)
{
	memcpy(p, r->fp, VG_STATE_FP_LEN);
	put_le(p + 16, r->ssrc, 4);
	p[20] = r->kind;
	memset(p + 21, 0, 3);
	put_le(p + 24, r->rtp, 8);
	put_le(p + 32, r->rtcp, 4);
	memset(p + 36, 0, 4);
}

/* What is wrong with a record, or NULL.  Checked on write as on read: the
 * gateway never writes a file that it would refuse at its next start. */
static const char *
rec_invalid(const struct vg_state_rec *r)
{
	if (r->kind != VG_STATE_TX && r->kind != VG_STATE_RX)
		return "unknown kind";
	if (r->rtp > VG_STATE_RTP_END)
		return "rtp index past 2^48";
	return r->rtcp > VG_STATE_RTCP_END ? "rtcp index past 2^31" : NULL;
}

static const char *
rec_get(const uint8_t *p, struct vg_state_rec *r)
{
	memcpy(r->fp, p, VG_STATE_FP_LEN);
	r->ssrc = (uint32_t)get_le(p + 16, 4);
	r->kind = p[20];
	r->rtp = get_le(p + 24, 8);
	r->rtcp = (uint32_t)get_le(p + 32, 4);
	if ((p[21] | p[22] | p[23] | get_le(p + 36, 4)) != 0)
		return "padding not zero";
	return rec_invalid(r);
}

/* read() up to len bytes: the count read (less at end of file), or -1. */
static ssize_t
read_full(int fd, uint8_t *p, size_t len)
{
	size_t done = 0;
	ssize_t got;

	while (done < len) {
		got = read(fd, p + done, len - done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		done += (size_t)got;
	}
	return (ssize_t)done;
}

/* The whole file into a new *buf: 1, 0 when it does not exist, or -1.
 * O_NONBLOCK: opening a FIFO must not wait for a writer. */
static int
file_load(struct vg_state *st, uint8_t **buf, size_t *len,
	  char *err, size_t errlen)
{
	const char *why = NULL;
	struct stat sb;
	ssize_t got = -1;
	int fd;

	*buf = NULL;
	fd = openat(st->dirfd, STATE_FILE, O_RDONLY | O_CLOEXEC | O_NOFOLLOW |
		    O_NONBLOCK);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0 || fstat(fd, &sb) != 0)
		why = errno == ELOOP ? "a symbolic link" : strerror(errno);
	else if (!S_ISREG(sb.st_mode))
		why = "not a regular file";
	else if ((size_t)sb.st_size > vg_state_file_size(VG_STATE_MAX_RECS))
		why = "larger than any state file";
	else if ((*buf = malloc((size_t)sb.st_size + 1)) == NULL)
		why = strerror(ENOMEM);
	else if ((got = read_full(fd, *buf, (size_t)sb.st_size)) < 0)
		why = strerror(errno);
	if (fd >= 0)
		close(fd);
	if (why != NULL) {
		free(*buf);
		*buf = NULL;
		return fail(err, errlen, "%s/" STATE_FILE ": cannot read the "
			    "state file: %s", st->dir, why);
	}
	*len = (size_t)got;	/* short if it shrank: file_check says torn */
	return 1;
}

/* Header, size and checksum, in that order: a file of a newer version
 * is named so rather than reported as damaged. */
static int
file_check(const char *dir, const uint8_t *buf, size_t len, unsigned *n,
	   char *err, size_t errlen)
{
	uint8_t sum[SUM_LEN];
	uint32_t count;

	if (len < vg_state_file_size(0))
		return fail(err, errlen, "%s/" STATE_FILE ": %zu bytes, "
			    "shorter than any state file: torn or truncated"
			    DAMAGED, dir, len);
	if (memcmp(buf, MAGIC, 8) != 0)
		return fail(err, errlen, "%s/" STATE_FILE ": bad magic, not a "
			    "vigie state file" DAMAGED, dir);
	if (get_le(buf + 8, 4) != VERSION)
		return fail(err, errlen, "%s/" STATE_FILE ": unknown version "
			    "%u (this vigie-gw reads version %u): written by a "
			    "newer vigie-gw (run it) or damaged", dir,
			    (unsigned)get_le(buf + 8, 4), VERSION);
	count = (uint32_t)get_le(buf + 12, 4);
	if (count > VG_STATE_MAX_RECS || len != vg_state_file_size(count))
		return fail(err, errlen, "%s/" STATE_FILE ": %zu bytes, but "
			    "its header counts %u records: torn or truncated"
			    DAMAGED, dir, len, count);
	if (sha256(buf, len - SUM_LEN, sum) != 0 ||
	    memcmp(sum, buf + len - SUM_LEN, SUM_LEN) != 0)
		return fail(err, errlen, "%s/" STATE_FILE ": checksum "
			    "mismatch, the file is damaged" DAMAGED, dir);
	*n = count;
	return 0;
}

int
vg_state_read(struct vg_state *st, struct vg_state_rec **recs,
	      unsigned *n, char *err, size_t errlen)
{
	const char *why = NULL;
	uint8_t *buf = NULL;
	unsigned count = 0, i;
	size_t len = 0;
	int rc;

	*recs = NULL;
	*n = 0;
	rc = file_load(st, &buf, &len, err, errlen);
	if (rc <= 0)
		return rc;
	rc = -1;
	if (file_check(st->dir, buf, len, &count, err, errlen) != 0)
		goto out;
	if (count > 0 && (*recs = malloc(count * sizeof(**recs))) == NULL) {
		fail(err, errlen, "%s/" STATE_FILE ": out of memory for %u "
		     "records", st->dir, count);
		goto out;
	}
	for (i = 0; i < count && why == NULL; i++)
		why = rec_get(buf + HDR_LEN + (size_t)i * REC_LEN, &(*recs)[i]);
	if (why != NULL) {
		fail(err, errlen, "%s/" STATE_FILE ": record %u: %s" DAMAGED,
		     st->dir, i - 1, why);
		free(*recs);
		*recs = NULL;
		goto out;
	}
	*n = count;
	rc = 0;
out:
	free(buf);
	return rc;
}

/* The file's bytes into st->buf: every record checked before. */
static int
buf_fill(struct vg_state *st, const struct vg_state_rec *recs, unsigned n,
	 char *err, size_t errlen)
{
	size_t len = vg_state_file_size(n);
	const char *why = NULL;
	unsigned i;
	uint8_t *p;

	if (n > VG_STATE_MAX_RECS)
		return fail(err, errlen, "%s/" STATE_FILE ": not written: %u "
			    "records, more than %u", st->dir, n,
			    VG_STATE_MAX_RECS);
	for (i = 0; i < n && why == NULL; i++)
		why = rec_invalid(&recs[i]);
	if (why != NULL)
		return fail(err, errlen, "%s/" STATE_FILE ": not written: "
			    "record %u (ssrc 0x%08x): %s", st->dir, i - 1,
			    (unsigned)recs[i - 1].ssrc, why);
	if (len > st->cap) {
		if ((p = realloc(st->buf, len)) == NULL)
			return fail(err, errlen, "%s/" STATE_FILE ": not "
				    "written: out of memory for %u records",
				    st->dir, n);
		st->buf = p;
		st->cap = len;
	}
	memcpy(st->buf, MAGIC, 8);
	put_le(st->buf + 8, VERSION, 4);
	put_le(st->buf + 12, n, 4);
	for (i = 0; i < n; i++)
		rec_put(st->buf + HDR_LEN + (size_t)i * REC_LEN, &recs[i]);
	if (sha256(st->buf, len - SUM_LEN, st->buf + len - SUM_LEN) != 0)
		return fail(err, errlen, "%s/" STATE_FILE ": not written: "
			    "SHA-256 failed (OpenSSL)", st->dir);
	return 0;
}

static int
write_full(int fd, const uint8_t *p, size_t len)
{
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			errno = w == 0 ? EIO : errno;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

static const char *
errno_fix(int e)
{
	if (e == ENOSPC || e == EDQUOT)
		return "free space on its file system";
	if (e == EROFS)
		return "its file system went read-only: check the disk "
		       "(dmesg), then remount it read-write";
	if (e == EACCES || e == EPERM)
		return "check the permissions of the state directory";
	return "check the disk (dmesg)";
}

/* st->buf's len bytes to vigie.state.tmp, then renamed over vigie.state.
 * On a failure before the rename the temporary file is removed (a full
 * disk gets its space back) and vigie.state is untouched. */
static int
file_replace(struct vg_state *st, size_t len, char *err, size_t errlen)
{
	const char *what = NULL;
	int fd, e;

	fd = openat(st->dirfd, STATE_TMP, O_WRONLY | O_CREAT | O_TRUNC |
		    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		what = "create";
	else if (write_full(fd, st->buf, len) != 0)
		what = "write";
	else if (fsync(fd) != 0)
		what = "fsync";
	e = errno;
	if (fd >= 0 && close(fd) != 0 && what == NULL) {
		what = "close";
		e = errno;
	}
	if (what == NULL && renameat(st->dirfd, STATE_TMP, st->dirfd,
				     STATE_FILE) != 0) {
		what = "rename";
		e = errno;
	}
	if (what != NULL) {
		unlinkat(st->dirfd, STATE_TMP, 0);
		return fail(err, errlen, "%s/" STATE_TMP ": cannot %s it: %s "
			    "(%s); %s/" STATE_FILE " keeps the previous state; "
			    "%s", st->dir, what, strerror(e), errname(e),
			    st->dir, errno_fix(e));
	}
	if (fsync(st->dirfd) != 0)
		return fail(err, errlen, "%s: cannot fsync the state directory "
			    "after replacing " STATE_FILE ": %s (%s); a power "
			    "loss may bring back the previous state; %s",
			    st->dir, strerror(errno), errname(errno),
			    errno_fix(errno));
	return 0;
}

int
vg_state_write(struct vg_state *st, const struct vg_state_rec *recs,
	       unsigned n, char *err, size_t errlen)
{
	if (buf_fill(st, recs, n, err, errlen) != 0)
		return -1;
	return file_replace(st, vg_state_file_size(n), err, errlen);
}

static int
rec_cmp(const void *a, const void *b)
{
	const struct vg_state_rec *x = a, *y = b;
	int c = memcmp(x->fp, y->fp, VG_STATE_FP_LEN);

	if (c != 0)
		return c;
	if (x->ssrc != y->ssrc)
		return x->ssrc < y->ssrc ? -1 : 1;
	return (x->kind > y->kind) - (x->kind < y->kind);
}

void
vg_state_sort(struct vg_state_rec *recs, unsigned n)
{
	if (n > 1)
		qsort(recs, n, sizeof(*recs), rec_cmp);
}

const struct vg_state_rec *
vg_state_find(const struct vg_state_rec *recs, unsigned n,
	      const uint8_t fp[VG_STATE_FP_LEN], uint32_t ssrc,
	      enum vg_state_kind kind)
{
	struct vg_state_rec key = { .ssrc = ssrc, .kind = (uint8_t)kind };

	memcpy(key.fp, fp, VG_STATE_FP_LEN);
	return n > 0 ? bsearch(&key, recs, n, sizeof(*recs), rec_cmp) : NULL;
}

const struct vg_state_rec *
vg_state_find_stream(const struct vg_state_rec *recs, unsigned n, int suite,
		     const uint8_t *key, size_t len, uint32_t ssrc,
		     enum vg_state_kind kind, uint8_t fp[VG_STATE_FP_LEN],
		     struct vg_state_rec *buf)
{
	const struct vg_state_rec *r, *old = NULL;
	uint8_t own[VG_STATE_FP_LEN];

	if (vg_state_fingerprint(fp, suite, key, len) < 0)
		return NULL;
	r = vg_state_find(recs, n, fp, ssrc, kind);
	if (keystream_family(suite) != suite &&
	    fingerprint_as(own, suite, key, len) == 0)
		old = vg_state_find(recs, n, own, ssrc, kind);
	if (r == NULL && old == NULL)
		return NULL;
	*buf = r != NULL ? *r : *old;
	memcpy(buf->fp, fp, VG_STATE_FP_LEN);
	if (r != NULL && old != NULL) {
		buf->rtp = r->rtp > old->rtp ? r->rtp : old->rtp;
		buf->rtcp = r->rtcp > old->rtcp ? r->rtcp : old->rtcp;
	}
	return buf;
}
