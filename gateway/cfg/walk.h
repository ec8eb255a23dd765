/* SPDX-License-Identifier: BSD-3-Clause */
/* Walking the groups and lists of a config: a table of keys per kind of
 * group, one typed parser per key.  Every section is parsed this way; the
 * loader (load.c) calls the sections.  Private to gateway/cfg/. */
#ifndef VG_CFG_WALK_H
#define VG_CFG_WALK_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>

struct vg_cfg_ctx;
struct vg_cfg_src;

/* One key of a group: its parser prints its own error and returns false. */
typedef bool (*vg_cfg_key_fn)(struct vg_cfg_ctx *c, const config_setting_t *s,
			      void *obj);

struct vg_cfg_key {
	const char *name;
	bool required;
	vg_cfg_key_fn parse;
};

/* Parse group g with specs: unknown keys are errors, then each key in
 * table order (a key may rely on one listed before it).  kind and idx
 * name the group in messages ("camera 'x'", "destination #2"; idx
 * VG_CFG_NONE: no number).  True when no error. */
bool vg_cfg_walk(struct vg_cfg_ctx *c, const config_setting_t *g,
		 const char *kind, unsigned idx,
		 const struct vg_cfg_key *specs, void *obj);

/* A top-level list of groups, each parsed into one item. */
struct vg_cfg_list {
	const char *name;		/* "cameras" */
	const char *kind;		/* "camera", for messages */
	const struct vg_cfg_key *keys;
	size_t size;			/* of one item */
	void (*init)(struct vg_cfg_ctx *c, void *item);	/* defaults */
	void (*done)(struct vg_cfg_ctx *c, void *item);	/* resolve */
};

/* Parse every group of the list root holds under list->name into a new
 * array of *count items (NULL when the list is absent or empty).  Item
 * i's source is recorded in (*src)[i] (a new array too), ok only when it
 * had no error, so that cross-checks do not pile consequences on a
 * reported mistake; c->cur is i while item i is parsed. */
void *vg_cfg_walk_list(struct vg_cfg_ctx *c, const config_setting_t *root,
		       const struct vg_cfg_list *list, unsigned *count,
		       struct vg_cfg_src **src);

#endif
