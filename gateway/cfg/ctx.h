/* SPDX-License-Identifier: BSD-3-Clause */
/* The state of one vg_cfg_load: the config being filled, where errors go
 * and how many there were, and where each item came from, so that a
 * cross-check can name file:line.  Private to gateway/cfg/. */
#ifndef VG_CFG_CTX_H
#define VG_CFG_CTX_H

#include <libconfig.h>
#include <stdbool.h>
#include <stdio.h>

#define VG_CFG_NONE ((unsigned)-1)	/* unresolved index (after an error) */

struct vg_cfg;
struct vg_cfg_fan;			/* a camera's destination: fanout.h */

enum vg_cfg_keysrc { VG_KEY_NONE, VG_KEY_OWN, VG_KEY_CENTER, VG_KEY_BAD };

/* Where each item came from, so that cross-checks can name file:line. */
struct vg_cfg_src {
	const config_setting_t *set;		/* the item's group */
	const config_setting_t *key_set;	/* its key_file, or NULL */
	const config_setting_t *suite_set;	/* its suite, or NULL */
	enum vg_cfg_keysrc key;
	bool ok;				/* parsed without error */
};

struct vg_cfg_ctx {
	struct vg_cfg *cfg;
	FILE *err;
	const char *path;			/* the main file */
	const char *dir;			/* its directory, or NULL */
	unsigned errors;
	unsigned cur;				/* item being parsed */
	const config_setting_t *ports_set;	/* the `ports` list */
	struct vg_cfg_src *port_src;
	struct vg_cfg_src *center_src;
	struct vg_cfg_src *cam_src;
	struct vg_cfg_src *route_src;
	struct vg_cfg_src *cur_src;		/* camera or destination parsed */
	struct vg_cfg_fan *fan;			/* every `destinations` item */
	unsigned n_fan, cap_fan;
	bool include_stop;			/* includes nested too deep */
};

#endif
