/* SPDX-License-Identifier: BSD-3-Clause */
/* Error reporting: "file:line: message", one line per problem, counted so
 * that loading goes on and reports every problem, not just the first. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctx.h"
#include "diag.h"

/* libconfig 1.5 records an included file under the name written in the
 * @include, relative to the include dir (the main file's directory); 1.7
 * records the joined path.  Join it here unless it is already joined. */
const char *
vg_cfg_file(const struct vg_cfg_ctx *c, const char *file, char *buf,
	    size_t len)
{
	size_t n = c->dir ? strlen(c->dir) : 0;

	if (file == NULL)
		return c->path;
	if (file[0] == '/' || c->dir == NULL || strcmp(file, c->path) == 0 ||
	    (strncmp(file, c->dir, n) == 0 && file[n] == '/'))
		return file;
	snprintf(buf, len, "%s/%s", c->dir, file);
	return buf;
}

static void
error_va(struct vg_cfg_ctx *c, const char *file, unsigned line,
	 const char *fmt, va_list ap)
{
	fprintf(c->err, "%s:%u: ", file, line ? line : 1);
	vfprintf(c->err, fmt, ap);
	fputc('\n', c->err);
	c->errors++;
}

void
vg_cfg_error(struct vg_cfg_ctx *c, const config_setting_t *s,
	     const char *fmt, ...)
{
	const char *file = s ? config_setting_source_file(s) : NULL;
	char buf[PATH_MAX];
	va_list ap;

	/* The root group has no position: file-level errors name the file. */
	va_start(ap, fmt);
	error_va(c, vg_cfg_file(c, file, buf, sizeof(buf)),
		 s ? config_setting_source_line(s) : 0, fmt, ap);
	va_end(ap);
}

void
vg_cfg_error_at(struct vg_cfg_ctx *c, const char *file, unsigned line,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_va(c, file, line, fmt, ap);
	va_end(ap);
}

const char *
vg_cfg_where(const struct vg_cfg_ctx *c, const config_setting_t *s,
	     const config_setting_t *other, char *buf, size_t len)
{
	const char *f1 = config_setting_source_file(s);
	const char *f2 = config_setting_source_file(other);
	char tmp[PATH_MAX];

	if (f1 == f2 || (f1 && f2 && strcmp(f1, f2) == 0))
		snprintf(buf, len, "line %u",
			 config_setting_source_line(other));
	else
		snprintf(buf, len, "%s:%u",
			 vg_cfg_file(c, f2, tmp, sizeof(tmp)),
			 config_setting_source_line(other));
	return buf;
}

const char *
vg_cfg_type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a float";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_GROUP:
		return "a group { }";
	case CONFIG_TYPE_LIST:
		return "a list ( )";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ]";
	}
	return "nothing";
}
