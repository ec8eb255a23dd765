/* SPDX-License-Identifier: BSD-3-Clause */
/* Reload, part one (issue 14): check a new configuration file against the
 * running one and report, without applying it.  SIGHUP (main.c's report
 * loop) and the /vigie/reload telemetry command (stats.c) both call
 * vg_reload_check.  No DPDK here: the unit tests link it without EAL.
 * Reentrant (a telemetry client and a SIGHUP may check at once): it reads
 * the running configuration only, frozen after start-up, and touches no
 * worker state. */
#ifndef VG_RELOAD_H
#define VG_RELOAD_H

#include <stdio.h>
#include "cfg.h"

enum vg_reload_status {
	VG_RELOAD_REFUSED,	/* config errors, or changes needing a restart */
	VG_RELOAD_VALID,	/* would reload (not applied in this version) */
};

struct vg_reload_result {
	enum vg_reload_status status;
	/* Refused: every "file:line: message" of the loader, or every
	 * restart message of the diff (cfg/diff.h).  Valid: none. */
	char **errors;
	unsigned n_errors;
	/* "3 kept, 1 added, 1 removed, 1 re-keyed, 0 updated" (with
	 * "; N changes need a restart" when some do), or "N errors". */
	char summary[160];
};

/* Why this version does not apply a valid configuration. */
#define VG_RELOAD_NOT_APPLIED "not applied: this version applies a " \
	"configuration only at start-up (restart to apply)"

/* Load path as start-up does (vg_cfg_load, every error collected), apply
 * the --state-dir override state_dir (NULL: none) as start-up does, and
 * diff it against running (vg_cfg_diff).  Fills *r (free it with
 * vg_reload_result_free); the new configuration is freed; running is only
 * read.  Returns r->status. */
enum vg_reload_status vg_reload_check(const struct vg_cfg *running,
				      const char *path, const char *state_dir,
				      struct vg_reload_result *r);

/* Free what vg_reload_check allocated; *r is then empty. */
void vg_reload_result_free(struct vg_reload_result *r);

/* The result for the log, one line, then one indented line per error:
 *   reload: FILE valid: SUMMARY; not applied: ...
 *   reload: FILE refused (SUMMARY); the running configuration is unchanged
 *   reload:   FILE:LINE: message */
void vg_reload_log(const struct vg_reload_result *r, const char *path,
		   FILE *out);

#endif
