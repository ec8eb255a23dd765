/* SPDX-License-Identifier: BSD-3-Clause */
/* Error reporting for the config loader: every problem is one line
 * "file:line: message" on the loader's error stream, counted in the
 * context, where file is the one that holds the setting (an included file
 * too).  Private to gateway/cfg/. */
#ifndef VG_CFG_DIAG_H
#define VG_CFG_DIAG_H

#include <libconfig.h>
#include <stddef.h>

struct vg_cfg_ctx;

/* Print "file:line: message" for setting s and count one error. */
void vg_cfg_error(struct vg_cfg_ctx *c, const config_setting_t *s,
		  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same for a position libconfig has no setting for. */
void vg_cfg_error_at(struct vg_cfg_ctx *c, const char *file, unsigned line,
		     const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "line N" when other is in the same file as s, else "file:N". */
const char *vg_cfg_where(const struct vg_cfg_ctx *c,
			 const config_setting_t *s,
			 const config_setting_t *other, char *buf, size_t len);

/* The path, usable from the working directory, of a file name libconfig
 * recorded for a setting or an error (NULL: the main file). */
const char *vg_cfg_file(const struct vg_cfg_ctx *c, const char *file,
			char *buf, size_t len);

/* "a string", "an integer", ... for "expected X, got Y" messages. */
const char *vg_cfg_type_name(const config_setting_t *s);

#endif
