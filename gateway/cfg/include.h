/* SPDX-License-Identifier: BSD-3-Clause */
/* The @include directives of a configuration file, found the way
 * libconfig 1.5's scanner finds them, so that vigie-gw can check what
 * each one names before libconfig opens it.  libconfig fopen()s the path
 * and, when it is a directory, its flex scanner fails on the first read
 * and calls exit(2) with "input in flex scanner failed": no file, no
 * line, and the process gone (vigie-gw --check-config included).  A
 * device or FIFO could be read forever or block: refused too. */
#ifndef VG_CFG_INCLUDE_H
#define VG_CFG_INCLUDE_H

#include <stdbool.h>
#include <stddef.h>

struct vg_cfg_ctx;

/* Scanner position; zero it before the first call. */
struct vg_cfg_scan {
	size_t pos;
	unsigned line;		/* 0-based line of pos */
	int state;		/* the lexer state libconfig would be in */
	bool lone;		/* the last name had a lone backslash */
};

/* Find the next `@include "NAME"` in buf[0..len) from s, as libconfig 1.5
 * does: at the start of a line after blanks only, outside comments and
 * strings, with \\ and \" unescaped (a lone backslash, which libconfig
 * drops and prints on standard output, sets s->lone).  Copies NAME
 * (NUL-terminated, cut to name_len - 1 bytes) and sets *line (1-based).
 * Returns NAME's full length (cut when it is >= name_len), or -1 when
 * there is no further directive. */
long vg_cfg_include_next(const char *buf, size_t len, struct vg_cfg_scan *s,
			 char *name, size_t name_len, unsigned *line);

/* Before libconfig reads the main file: check that it is not a directory
 * and that every @include names a regular file that can be read (and
 * whatever it includes, in turn); false after printing the errors. */
bool vg_cfg_check_includes(struct vg_cfg_ctx *c);

#endif
