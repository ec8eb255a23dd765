/* SPDX-License-Identifier: BSD-3-Clause */
/* @include directives: a scanner that finds them as libconfig 1.5 does,
 * and the check, before libconfig reads anything, that none of them (nor
 * the main file) names a directory (include.h says why). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctx.h"
#include "diag.h"
#include "include.h"

/* libconfig 1.5's MAX_INCLUDE_DEPTH.  Past it libconfig stops at once;
 * the check stops too, or a file including itself twice would cost it
 * 2^10 reads. */
#define INCLUDE_DEPTH 10

enum { SC_INITIAL, SC_COMMENT, SC_STRING };

static bool
blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* libconfig's include_open, ^[ \t]*@include[ \t]+\", at p: the offset
 * just past the quote, or 0. */
static size_t
include_open(const char *buf, size_t len, size_t p)
{
	while (p < len && blank(buf[p]))
		p++;
	if (len - p < 9 || memcmp(buf + p, "@include", 8) != 0 ||
	    !blank(buf[p + 8]))
		return 0;
	for (p += 8; p < len && blank(buf[p]); p++)
		;
	return p < len && buf[p] == '"' ? p + 1 : 0;
}

/* The INCLUDE state from p, after the opening quote: [^"\\]+ is appended
 * up to its first NUL (libconfig appends it with strcat), \\ and \" give
 * one character, a lone backslash is dropped.  Returns the offset past
 * the closing quote, or 0 when the file ends first (nothing is opened). */
static size_t
include_name(const char *buf, size_t len, size_t p, unsigned *line,
	     char *name, size_t name_len, size_t *n, bool *lone)
{
	bool cut = false;	/* a NUL ended this run of plain bytes */

	*n = 0;
	*lone = false;
	for (; p < len; p++) {
		char ch = buf[p];

		if (ch == '"') {
			if (name_len > 0)
				name[*n < name_len ? *n : name_len - 1] = '\0';
			return p + 1;
		}
		if (ch == '\\') {
			cut = false;
			if (p + 1 < len && (buf[p + 1] == '\\' ||
					    buf[p + 1] == '"'))
				ch = buf[++p];
			else {
				*lone = true;
				continue;
			}
		} else if (ch == '\0' || cut) {
			cut = true;
			*line += ch == '\n';
			continue;
		}
		*line += ch == '\n';
		if (*n + 1 < name_len)
			name[*n] = ch;
		(*n)++;
	}
	return 0;
}

long
vg_cfg_include_next(const char *buf, size_t len, struct vg_cfg_scan *s,
		    char *name, size_t name_len, unsigned *line)
{
	size_t p = s->pos, q, n;

	while (p < len) {
		char ch = buf[p];

		if (s->state == SC_COMMENT) {
			if (ch == '*' && p + 1 < len && buf[p + 1] == '/') {
				s->state = SC_INITIAL;
				p++;
			}
		} else if (s->state == SC_STRING) {
			if (ch == '"')
				s->state = SC_INITIAL;
			else if (ch == '\\' && p + 1 < len &&
				 buf[p + 1] != '\n')
				p++;	/* an escape: \" does not end it */
		} else if ((p == 0 || buf[p - 1] == '\n') &&
			   (q = include_open(buf, len, p)) != 0) {
			*line = s->line + 1;
			q = include_name(buf, len, q, &s->line, name,
					 name_len, &n, &s->lone);
			s->pos = q ? q : len;
			if (q == 0)
				return -1;
			return (long)n;
		} else if (ch == '/' && p + 1 < len && buf[p + 1] == '*') {
			s->state = SC_COMMENT;
			p++;
		} else if (ch == '#' || (ch == '/' && p + 1 < len &&
					 buf[p + 1] == '/')) {
			while (p + 1 < len && buf[p + 1] != '\n')
				p++;	/* to the end of the line */
		} else if (ch == '"') {
			s->state = SC_STRING;
		}
		s->line += buf[p] == '\n';
		p++;
	}
	s->pos = p;
	return -1;
}

/* The whole of file path; NULL on error, errno set.  O_NONBLOCK: callers
 * read only regular files, and a FIFO put in their place would wait for a
 * writer on open. */
static char *
slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	char *buf = NULL;
	ssize_t r;
	size_t n = 0;

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || (buf = malloc((size_t)st.st_size + 1)) ==
	    NULL) {
		close(fd);
		return NULL;
	}
	while (n < (size_t)st.st_size &&
	       (r = read(fd, buf + n, (size_t)st.st_size - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			close(fd);
			return NULL;
		}
		n += (size_t)r;
	}
	close(fd);
	*len = n;
	return buf;
}

static int check_file(struct vg_cfg_ctx *c, const char *file,
		      unsigned depth);

/* What one directive names, checked: a directory would end the process
 * in libconfig; a missing or unreadable file gets the directive's line
 * here (libconfig 1.5 names neither the including file nor the path). */
static void
check_include(struct vg_cfg_ctx *c, const char *file, unsigned line,
	      const char *name, unsigned depth)
{
	char path[2 * PATH_MAX + 2];		/* dir / name */
	const char *where = c->dir ? c->dir : "the working directory";
	struct stat st;

	/* libconfig joins the include dir and the name as written, an
	 * absolute name too. */
	if (c->dir != NULL)
		snprintf(path, sizeof(path), "%s/%s", c->dir, name);
	else
		snprintf(path, sizeof(path), "%s", name);
	if (stat(path, &st) != 0) {
		vg_cfg_error_at(c, file, line, "@include \"%s\": cannot open "
				"%s: %s (paths are relative to %s)", name,
				path, strerror(errno), where);
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		vg_cfg_error_at(c, file, line, "@include \"%s\": %s is a "
				"directory; name a configuration file in it",
				name, path);
		return;
	}
	/* A device or a FIFO could be read forever (/dev/zero) or block
	 * (/dev/stdin): a configuration is a file. */
	if (!S_ISREG(st.st_mode)) {
		vg_cfg_error_at(c, file, line, "@include \"%s\": %s is not a "
				"regular file (a device, FIFO or socket); name a "
				"configuration file", name, path);
		return;
	}
	if (depth >= INCLUDE_DEPTH) {
		vg_cfg_error_at(c, file, line, "@include \"%s\": more than %d "
				"nested includes (does a file include itself?)",
				name, INCLUDE_DEPTH);
		c->include_stop = true;
		return;
	}
	if (check_file(c, path, depth + 1) < 0)
		vg_cfg_error_at(c, file, line, "@include \"%s\": cannot read "
				"%s: %s", name, path, strerror(errno));
}

/* Check every include of file (at nesting depth); -1 with errno when
 * file cannot be read. */
static int
check_file(struct vg_cfg_ctx *c, const char *file, unsigned depth)
{
	struct vg_cfg_scan s = { 0 };
	char name[PATH_MAX];
	unsigned line;
	size_t len;
	long n;
	char *buf = slurp(file, &len);

	if (buf == NULL)
		return -1;

	while (!c->include_stop &&
	       (n = vg_cfg_include_next(buf, len, &s, name, sizeof(name),
					&line)) >= 0) {
		if ((size_t)n >= sizeof(name))
			vg_cfg_error_at(c, file, line, "@include: a name of "
					"%ld bytes; the limit is %d", n,
					PATH_MAX - 1);
		else if (s.lone)
			vg_cfg_error_at(c, file, line, "@include: a lone "
					"backslash in the name (libconfig drops "
					"it, reading \"%s\", and prints it); "
					"separate directories with '/', write a "
					"backslash as \\\\", name);
		else
			check_include(c, file, line, name, depth);
	}
	free(buf);
	return 0;
}

bool
vg_cfg_check_includes(struct vg_cfg_ctx *c)
{
	unsigned before = c->errors;
	struct stat st;

	/* A pipe (--check-config <(...)) is read by libconfig alone: reading
	 * it here would take its bytes. */
	if (stat(c->path, &st) != 0)
		return true;		/* libconfig says why */
	if (S_ISDIR(st.st_mode)) {
		fprintf(c->err, "%s: is a directory; give the configuration "
			"file\n", c->path);
		c->errors++;
		return false;
	}
	/* Unreadable: libconfig says why. */
	if (S_ISREG(st.st_mode))
		(void)check_file(c, c->path, 0);
	return c->errors == before;
}
