/* SPDX-License-Identifier: BSD-3-Clause */
/* Walking groups and lists: as in wireguard-tools config.c there is one
 * small typed parser per key; each prints its own precise error and
 * returns bool, so that the section tables stay flat and every problem is
 * reported, not just the first. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "diag.h"
#include "walk.h"

/* "camera 'cam-01'", or "camera #3" when the name is missing. */
static void
describe(const config_setting_t *g, const char *kind, unsigned idx,
	 char *buf, size_t len)
{
	const char *name = NULL;

	if (config_setting_is_group(g) &&
	    config_setting_lookup_string(g, "name", &name) == CONFIG_TRUE)
		snprintf(buf, len, "%s '%.64s'", kind, name);
	else if (idx != VG_CFG_NONE)
		snprintf(buf, len, "%s #%u", kind, idx + 1);
	else
		snprintf(buf, len, "%s", kind);
}

bool
vg_cfg_walk(struct vg_cfg_ctx *c, const config_setting_t *g, const char *kind,
	    unsigned idx, const struct vg_cfg_key *specs, void *obj)
{
	unsigned before = c->errors, i, n;
	const config_setting_t *m;
	const struct vg_cfg_key *k;
	char what[96];

	describe(g, kind, idx, what, sizeof(what));
	if (!config_setting_is_group(g)) {
		vg_cfg_error(c, g, "%s: expected a group { ... }, got %s",
			     what, vg_cfg_type_name(g));
		return false;
	}
	n = (unsigned)config_setting_length(g);
	for (i = 0; i < n; i++) {
		m = config_setting_get_elem(g, i);
		for (k = specs; k->name != NULL; k++)
			if (strcmp(k->name, config_setting_name(m)) == 0)
				break;
		if (k->name == NULL)
			vg_cfg_error(c, m, "unknown key '%s' in %s",
				     config_setting_name(m), what);
	}
	for (k = specs; k->name != NULL; k++) {
		m = config_setting_get_member(g, k->name);
		if (m != NULL)
			k->parse(c, m, obj);
		else if (k->required)
			vg_cfg_error(c, g, "%s: missing required key '%s'",
				     what, k->name);
	}
	return c->errors == before;
}

/* A top-level list of groups; NULL when absent (callers decide). */
static const config_setting_t *
section_list(struct vg_cfg_ctx *c, const config_setting_t *root,
	     const char *name, unsigned *n)
{
	const config_setting_t *s = config_setting_get_member(root, name);

	*n = 0;
	if (s == NULL)
		return NULL;
	if (!config_setting_is_list(s)) {
		vg_cfg_error(c, s, "%s: expected a list ( { ... }, ... ), "
			     "got %s", name, vg_cfg_type_name(s));
		return NULL;
	}
	*n = (unsigned)config_setting_length(s);
	return s;
}

static void *
alloc_items(struct vg_cfg_ctx *c, unsigned n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		vg_cfg_error(c, NULL, "out of memory for %u items", n);
	return p;
}

void *
vg_cfg_walk_list(struct vg_cfg_ctx *c, const config_setting_t *root,
		 const struct vg_cfg_list *list, unsigned *count,
		 struct vg_cfg_src **src)
{
	const config_setting_t *l;
	unsigned i, n, before;
	char *items;

	*count = 0;
	l = section_list(c, root, list->name, &n);
	if (l == NULL || n == 0)
		return NULL;
	items = alloc_items(c, n, list->size);
	*src = alloc_items(c, n, sizeof(**src));
	if (items == NULL || *src == NULL) {
		free(items);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		before = c->errors;
		c->cur = i;
		(*src)[i].set = config_setting_get_elem(l, i);
		if (list->init != NULL)
			list->init(c, items + i * list->size);
		vg_cfg_walk(c, (*src)[i].set, list->kind, i, list->keys,
			    items + i * list->size);
		if (list->done != NULL && c->errors == before)
			list->done(c, items + i * list->size);
		(*src)[i].ok = c->errors == before;
	}
	*count = n;
	return items;
}
