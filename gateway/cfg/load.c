/* SPDX-License-Identifier: BSD-3-Clause */
/* Configuration loader: a libconfig file becomes a typed, validated struct
 * vg_cfg.  This file sets libconfig up, checks the top-level keys and
 * calls each section (sections.h) and each cross-item check (check.h) in
 * turn; errors are diag.h's, one line each, and loading goes on after one
 * so that all are reported at once. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "check.h"
#include "ctx.h"
#include "diag.h"
#include "include.h"
#include "sdes.h"
#include "sections.h"

static void
check_top_keys(struct vg_cfg_ctx *c, const config_setting_t *root)
{
	static const char *const known[] = {
		"gateway", "ports", "neighbours", "centers", "cameras",
		"unprotect", NULL,
	};
	const config_setting_t *m;
	unsigned i, k, n = (unsigned)config_setting_length(root);

	for (i = 0; i < n; i++) {
		m = config_setting_get_elem(root, i);
		for (k = 0; known[k] != NULL; k++)
			if (strcmp(known[k], config_setting_name(m)) == 0)
				break;
		if (known[k] == NULL)
			vg_cfg_error(c, m, "unknown key '%s' at top level "
				     "(expected gateway, ports, neighbours, "
				     "centers, cameras or unprotect)",
				     config_setting_name(m));
	}
}

static void
load_root(struct vg_cfg_ctx *c, const config_setting_t *root)
{
	check_top_keys(c, root);
	vg_cfg_load_gateway(c, root);
	vg_cfg_load_ports(c, root);
	vg_cfg_check_ports(c);
	vg_cfg_load_neighs(c, root);
	vg_cfg_load_centers(c, root);
	vg_cfg_check_centers(c);
	vg_cfg_load_cameras(c, root);
	vg_cfg_check_cameras(c);
	vg_cfg_load_routes(c, root);
	vg_cfg_check_routes(c);
	vg_cfg_check_ssrcs(c);
}

static bool
read_file(struct vg_cfg_ctx *c, config_t *lc, const char *path)
{
	char buf[PATH_MAX];
	const char *file;

	if (config_read_file(lc, path) == CONFIG_TRUE)
		return true;
	if (config_error_type(lc) == CONFIG_ERR_FILE_IO) {
		fprintf(c->err, "%s: cannot read the file: %s\n", path,
			access(path, R_OK) != 0 ? strerror(errno) :
			"I/O error");
	} else {
		/* libconfig says only "syntax error": point at the usual
		 * causes. */
		file = vg_cfg_file(c, config_error_file(lc), buf, sizeof(buf));
		fprintf(c->err, "%s:%d: %s%s\n", file,
			config_error_line(lc), config_error_text(lc),
			strcmp(config_error_text(lc), "syntax error") ? "" :
			" (look for a missing ';' or quote, or a stray ',' "
			"on this line or the one before)");
	}
	c->errors++;
	return false;
}

unsigned
vg_cfg_load(const char *path, struct vg_cfg *cfg, FILE *err)
{
	struct vg_cfg_ctx c = { .cfg = cfg, .err = err, .path = path };
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	config_t lc;

	vg_cfg_gateway_defaults(cfg);
	config_init(&lc);
	/* @include paths are relative to the main file, not to the cwd. */
	if (slash != NULL) {
		snprintf(dir, sizeof(dir), "%.*s",
			 slash == path ? 1 : (int)(slash - path), path);
		config_set_include_dir(&lc, dir);
		c.dir = dir;
	}
	if (vg_cfg_check_includes(&c) && read_file(&c, &lc, path))
		load_root(&c, config_root_setting(&lc));
	free(c.port_src);
	free(c.center_src);
	free(c.cam_src);
	free(c.route_src);
	free(c.fan);
	config_destroy(&lc);
	if (c.errors != 0)
		vg_cfg_free(cfg);
	return c.errors;
}

void
vg_cfg_free(struct vg_cfg *cfg)
{
	unsigned i;

	for (i = 0; i < cfg->n_centers; i++)
		vg_key_wipe(&cfg->centers[i].key);
	for (i = 0; i < cfg->n_cameras; i++)
		vg_key_wipe(&cfg->cameras[i].key);
	for (i = 0; i < cfg->n_routes; i++)
		vg_key_wipe(&cfg->routes[i].key);
	free(cfg->routes);
	free(cfg->ports);
	free(cfg->neighs);
	free(cfg->centers);
	free(cfg->cameras);
	memset(cfg, 0, sizeof(*cfg));
}

int
vg_cfg_set_state_dir(struct vg_cfg *cfg, const char *dir)
{
	if (dir == NULL)
		return 0;
	if (dir[0] == '\0' || strlen(dir) >= sizeof(cfg->state_dir))
		return -1;
	snprintf(cfg->state_dir, sizeof(cfg->state_dir), "%s", dir);
	return 0;
}
