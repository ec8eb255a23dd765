/* SPDX-License-Identifier: BSD-3-Clause */
/* SDES master keys (RFC 4568 §6.1 `inline:` key parameter) and key files.
 * No message written here ever contains key bytes, encoded or not. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sdes.h"

#define KEYFILE_MAX 4096	/* a key line is < 100 bytes; refuse blobs */

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int
b64_value(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(b64_alphabet, c);
	return p != NULL ? (int)(p - b64_alphabet) : -1;
}

/* Strict RFC 4648 decoder: length a multiple of 4, '=' only as the last one
 * or two characters.  OpenSSL's EVP_DecodeBlock would do, but it counts
 * padding as zero bytes and skips blanks, so a strict one is simpler than
 * undoing its leniency.  Returns the decoded length or -1. */
static int
b64_decode(const char *in, size_t n, uint8_t *out, size_t outlen)
{
	size_t i, o = 0, pad = 0;
	uint32_t acc;
	int k, v;

	if (n == 0 || n % 4 != 0)
		return -1;
	if (in[n - 1] == '=')
		pad = in[n - 2] == '=' ? 2 : 1;
	if ((n / 4) * 3 - pad > outlen)
		return -1;
	for (i = 0; i < n; i += 4) {
		acc = 0;
		for (k = 0; k < 4; k++) {
			bool tail = i + 4 == n && k >= 4 - (int)pad;

			v = tail ? 0 : b64_value(in[i + k]);
			if (v < 0)
				return -1;
			acc = acc << 6 | (uint32_t)v;
		}
		/* Refuse non-zero bits under the padding: one key, one text. */
		if (i + 4 == n && (acc & (pad == 2 ? 0xffffu :
					  pad == 1 ? 0xffu : 0u)) != 0)
			return -1;
		out[o++] = (uint8_t)(acc >> 16);
		if (i + 4 < n || pad < 2)
			out[o++] = (uint8_t)(acc >> 8);
		if (i + 4 < n || pad < 1)
			out[o++] = (uint8_t)acc;
	}
	return (int)o;
}

static bool
all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* Lifetime ("2^31" or a decimal count) then MKI ("value:length"), each
 * after a '|'.  Both are accepted and ignored: a stream keeps one key and is
 * never rekeyed by lifetime, and packets carry no MKI (docs/config.md). */
static bool
suffixes_ok(const char *s, const char *end)
{
	bool seen_mki = false, seen_life = false;
	const char *bar, *colon;
	size_t n;

	while (s < end) {
		if (*s++ != '|')
			return false;
		bar = memchr(s, '|', (size_t)(end - s));
		if (bar == NULL)
			bar = end;
		n = (size_t)(bar - s);
		colon = memchr(s, ':', n);
		if (colon != NULL) {
			if (seen_mki || !all_digits(s, (size_t)(colon - s)) ||
			    !all_digits(colon + 1, (size_t)(bar - colon - 1)))
				return false;
			seen_mki = true;
		} else {
			if (seen_life || seen_mki)
				return false;
			if (n > 2 && s[0] == '2' && s[1] == '^') {
				s += 2;
				n -= 2;
			}
			if (!all_digits(s, n))
				return false;
			seen_life = true;
		}
		s = bar;
	}
	return true;
}

int
vg_sdes_parse(const char *text, struct vg_master_key *out,
	      char *err, size_t errlen)
{
	const char *s = text, *end, *b64_end;
	int n;

	memset(out, 0, sizeof(*out));
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	if (strncmp(s, "inline:", 7) != 0) {
		snprintf(err, errlen, "expected a line 'inline:BASE64' "
			 "(SDES key, RFC 4568)");
		return -1;
	}
	s += 7;
	b64_end = memchr(s, '|', (size_t)(end - s));
	if (b64_end == NULL)
		b64_end = end;
	n = b64_decode(s, (size_t)(b64_end - s), out->bytes,
		       sizeof(out->bytes));
	if (n <= 0) {
		vg_key_wipe(out);
		snprintf(err, errlen, "the key after 'inline:' is not valid "
			 "base64 of at most %d bytes", VG_MASTER_MAX);
		return -1;
	}
	out->len = (uint8_t)n;
	if (!suffixes_ok(b64_end, end)) {
		vg_key_wipe(out);
		snprintf(err, errlen, "bad lifetime or MKI after the key "
			 "(expected e.g. '|2^31' and/or '|1:4')");
		return -1;
	}
	return 0;
}

int
vg_sdes_format(const struct vg_master_key *key, char *buf, size_t buflen)
{
	size_t i, o = 7, need = 7 + (key->len + 2u) / 3u * 4u + 1;
	uint32_t acc;
	unsigned rem;

	if (buflen < need || key->len > VG_MASTER_MAX)
		return -1;
	memcpy(buf, "inline:", 7);
	for (i = 0; i < key->len; i += 3) {
		rem = key->len - i;
		acc = (uint32_t)key->bytes[i] << 16;
		if (rem > 1)
			acc |= (uint32_t)key->bytes[i + 1] << 8;
		if (rem > 2)
			acc |= key->bytes[i + 2];
		buf[o++] = b64_alphabet[acc >> 18 & 63];
		buf[o++] = b64_alphabet[acc >> 12 & 63];
		buf[o++] = rem > 1 ? b64_alphabet[acc >> 6 & 63] : '=';
		buf[o++] = rem > 2 ? b64_alphabet[acc & 63] : '=';
	}
	buf[o] = '\0';
	return 0;
}

/* Mode 0600 protects a key only from users other than its owner: owned
 * by another unprivileged user, it can be rewritten (or chmod'ed) by them.
 * Root, or the user the gateway runs as, may own it. */
static bool
owner_ok(const char *path, const struct stat *st, char *err, size_t errlen)
{
	unsigned me = (unsigned)geteuid(), uid = (unsigned)st->st_uid;

	if (uid == 0 || uid == me)
		return true;
	if (me == 0)
		snprintf(err, errlen, "%s: owned by uid %u, who could rewrite "
			 "the key; it must belong to root; run: chown root %s",
			 path, uid, path);
	else
		snprintf(err, errlen, "%s: owned by uid %u, who could rewrite "
			 "the key; it must belong to root or to uid %u (this "
			 "process); run: chown %u %s", path, uid, me, me, path);
	return false;
}

/* Open, then check the file we actually opened (fstat), so that a swap of
 * the path between check and read cannot pass a readable file. */
static int
keyfile_open(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	/* O_NONBLOCK: opening a FIFO would wait for a writer (a regular
	 * file reads the same either way). */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open key file: %s",
			 path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto err_close;
	}
	if ((st.st_mode & 077) != 0) {
		snprintf(err, errlen, "%s: mode %04o lets group/others %s the "
			 "key; run: chmod 600 %s", path,
			 (unsigned)(st.st_mode & 07777),
			 (st.st_mode & 044) ? "read" : "write", path);
		goto err_close;
	}
	if (!owner_ok(path, &st, err, errlen))
		goto err_close;
	if (st.st_size > KEYFILE_MAX) {
		snprintf(err, errlen, "%s: %lld bytes is too large for a key "
			 "file (one 'inline:' line)", path,
			 (long long)st.st_size);
		goto err_close;
	}
	return fd;
err_close:
	close(fd);
	return -1;
}

/* The one key line of buf: blank lines and '#' comments skipped. */
static int
keyfile_parse(const char *path, char *buf, struct vg_master_key *out,
	      char *err, size_t errlen)
{
	char *line, *save = NULL, msg[160];
	unsigned found = 0;

	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *p = line + strspn(line, " \t\r");

		if (*p == '\0' || *p == '#')
			continue;
		if (found++ > 0) {
			snprintf(err, errlen, "%s: holds more than one key "
				 "line; keep exactly one", path);
			vg_key_wipe(out);
			return -1;
		}
		if (vg_sdes_parse(p, out, msg, sizeof(msg)) != 0) {
			snprintf(err, errlen, "%s: %s", path, msg);
			return -1;
		}
	}
	if (found == 0) {
		snprintf(err, errlen, "%s: holds no 'inline:' key line", path);
		return -1;
	}
	return 0;
}

int
vg_keyfile_load(const char *path, struct vg_master_key *out,
		char *err, size_t errlen)
{
	char buf[KEYFILE_MAX + 1];
	ssize_t n;
	size_t len = 0;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	fd = keyfile_open(path, err, errlen);
	if (fd < 0)
		return -1;
	while (len < KEYFILE_MAX &&
	       (n = read(fd, buf + len, KEYFILE_MAX - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "%s: cannot read key file: %s",
				 path, strerror(errno));
			close(fd);
			explicit_bzero(buf, sizeof(buf));
			return -1;
		}
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	rc = keyfile_parse(path, buf, out, err, errlen);
	explicit_bzero(buf, sizeof(buf));
	return rc;
}

void
vg_key_wipe(struct vg_master_key *key)
{
	explicit_bzero(key, sizeof(*key));
}
