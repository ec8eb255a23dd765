/* SPDX-License-Identifier: BSD-3-Clause */
/* Reload check tests (reload.h): configuration files written to a mkdtemp
 * dir, checked against a running configuration loaded as start-up loads
 * it (--state-dir override included).  Refused: every loader error with
 * its file:line, every change needing a restart; valid: the diff's
 * summary.  The running configuration is never changed. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "diff.h"
#include "reload.h"
#include "sdes.h"
#include "harness.h"
#include "testkey.h"

static char tmp[64];			/* /tmp/vg-test-reload-XXXXXX */
static char state[96];	/* the --state-dir override */

#define GW "gateway = { engine = \"libsrtp\"; mbufs = 16383; };\n"
#define PORTS(bb) "ports = (\n" \
	"{ name = \"access\"; device = \"net_ring0\"; role = \"access\"; " \
	"address = \"198.18.1.1/24\"; },\n" \
	"{ name = \"backbone\"; device = \"" bb "\"; role = \"backbone\"; " \
	"address = \"198.19.0.1/24\"; }\n);\n"
#define CENTERS "centers = ( { name = \"cso\"; address = \"198.19.0.2\"; " \
	"suite = \"AES_CM_128_HMAC_SHA1_80\"; key_file = \"cso.key\"; } );\n"
#define CAM(name, src, center, ssrc) "{ name = \"" name "\"; source = " \
	"\"198.18.1." src "\"; port = 5004; center = \"" center "\"; " \
	"dest_port = 6004; ssrc = " ssrc "; }"
#define CAMS_ABC CAM("a", "11", "cso", "0x10000001") ",\n" \
	CAM("b", "12", "cso", "0x10000002") ",\n" CAM("c", "13", "cso", "0x10000003")
#define BASE GW PORTS("net_ring1") CENTERS "cameras = (\n" CAMS_ABC "\n);\n"

/* tmp/name holding text; its path in path. */
static void
put(const char *name, const char *text, char *path, size_t len)
{
	FILE *f;

	snprintf(path, len, "%s/%s", tmp, name);
	f = fopen(path, "w");
	CHECK(f != NULL, "create %s", path);
	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
}

static bool
has_error(const struct vg_reload_result *r, const char *prefix,
	  const char *text)
{
	for (unsigned i = 0; i < r->n_errors; i++)
		if (strncmp(r->errors[i], prefix, strlen(prefix)) == 0 &&
		    strstr(r->errors[i], text) != NULL)
			return true;
	return false;
}

/* name holding text, checked against running: refused, with an error
 * "FILE:LINE: ...TEXT..." (line 0: any line, "FILE:" only). */
static void
refused(const struct vg_cfg *running, const char *name, const char *text,
	unsigned line, const char *msg)
{
	char path[PATH_MAX * 2], want[PATH_MAX * 2 + 16];
	struct vg_reload_result r;

	put(name, text, path, sizeof(path));
	if (line)
		snprintf(want, sizeof(want), "%s:%u: ", path, line);
	else
		snprintf(want, sizeof(want), "%s:", path);
	CHECK(vg_reload_check(running, path, state, &r) == VG_RELOAD_REFUSED,
	      "%s: not refused (%s)", name, r.summary);
	CHECK(r.status == VG_RELOAD_REFUSED && r.n_errors >= 1);
	CHECK(has_error(&r, want, msg), "%s: no error '%s...%s' among %u (%s)",
	      name, want, msg, r.n_errors, r.n_errors ? r.errors[0] : "none");
	vg_reload_result_free(&r);
	CHECK(r.errors == NULL && r.n_errors == 0);
}

static void
test_syntax(const struct vg_cfg *running)
{
	refused(running, "syntax.conf", GW "ports = (\n{ name = \"x\" }, , );\n",
		3, "syntax error");
}

static void
test_unknown_center(const struct vg_cfg *running)
{
	refused(running, "center.conf", GW PORTS("net_ring1") CENTERS
		"cameras = (\n" CAM("a", "11", "nowhere", "0x10000001") "\n);\n",
		0, "no center is named 'nowhere'");
}

static void
test_ssrc_clash(const struct vg_cfg *running)
{
	refused(running, "ssrc.conf", GW PORTS("net_ring1") CENTERS
		"cameras = (\n" CAMS_ABC ",\n" CAM("d", "14", "cso", "0x10000002")
		"\n);\n", 0, "uses SSRC 0x10000002 under the same master key");
}

/* Every error at once, not the first only. */
static void
test_all_errors(const struct vg_cfg *running)
{
	char path[PATH_MAX * 2];
	struct vg_reload_result r;

	put("two.conf", GW PORTS("net_ring1") CENTERS "cameras = (\n"
	    CAMS_ABC ",\n" CAM("d", "14", "nowhere", "0x10000004") ",\n"
	    CAM("e", "15", "cso", "0x10000001") "\n);\n", path, sizeof(path));
	vg_reload_check(running, path, state, &r);
	CHECK(r.status == VG_RELOAD_REFUSED && r.n_errors == 2 &&
	      strcmp(r.summary, "2 errors") == 0, "%u errors (%s)",
	      r.n_errors, r.summary);
	CHECK(has_error(&r, path, "no center is named 'nowhere'") &&
	      has_error(&r, path, "uses SSRC 0x10000001"));
	vg_reload_result_free(&r);
	snprintf(path, sizeof(path), "%s/missing.conf", tmp);
	CHECK(vg_reload_check(running, path, state, &r) == VG_RELOAD_REFUSED &&
	      r.n_errors == 1 && strstr(r.errors[0], "missing.conf") != NULL,
	      "missing file: %u errors", r.n_errors);
	vg_reload_result_free(&r);
}

static void
test_port_device(const struct vg_cfg *running)
{
	char path[PATH_MAX * 2];
	struct vg_reload_result r;

	put("port.conf", GW PORTS("net_ring2") CENTERS "cameras = (\n" CAMS_ABC
	    "\n);\n", path, sizeof(path));
	CHECK(vg_reload_check(running, path, state, &r) == VG_RELOAD_REFUSED);
	CHECK(r.n_errors == 1 && has_error(&r, "ports[1].device changed",
					    "needs a restart"),
	      "%u errors: %s", r.n_errors, r.n_errors ? r.errors[0] : "none");
	CHECK(strcmp(r.summary, "3 kept, 0 added, 0 removed, 0 re-keyed, "
		     "0 updated; 1 change needs a restart") == 0, "%s",
	      r.summary);
	vg_reload_result_free(&r);
	/* Without start-up's --state-dir override, state_dir differs. */
	put("same.conf", BASE, path, sizeof(path));
	CHECK(vg_reload_check(running, path, NULL, &r) == VG_RELOAD_REFUSED &&
	      has_error(&r, "gateway.state_dir", "needs a restart"),
	      "no override: %s", r.summary);
	vg_reload_result_free(&r);
}

static void
test_valid(const struct vg_cfg *running)
{
	char path[PATH_MAX * 2];
	struct vg_reload_result r;

	put("add.conf", GW PORTS("net_ring1") CENTERS "cameras = (\n" CAMS_ABC
	    ",\n" CAM("d", "14", "cso", "0x10000004") "\n);\n", path,
	    sizeof(path));
	CHECK(vg_reload_check(running, path, state, &r) == VG_RELOAD_VALID,
	      "%s: %s", r.summary, r.n_errors ? r.errors[0] : "");
	CHECK(r.n_errors == 0 && r.errors == NULL);
	CHECK(strcmp(r.summary, "3 kept, 1 added, 0 removed, 0 re-keyed, "
		     "0 updated") == 0, "%s", r.summary);
	vg_reload_result_free(&r);
	put("same.conf", BASE, path, sizeof(path));
	CHECK(vg_reload_check(running, path, state, &r) == VG_RELOAD_VALID &&
	      strcmp(r.summary, "3 kept, 0 added, 0 removed, 0 re-keyed, "
		     "0 updated") == 0, "%s", r.summary);
	vg_reload_result_free(&r);
}

/* The log: one line, then each error indented. */
static void
test_log(const struct vg_cfg *running)
{
	char path[PATH_MAX * 2], *text = NULL, want[PATH_MAX * 3];
	struct vg_reload_result r;
	size_t len = 0;
	FILE *f;

	put("port.conf", GW PORTS("net_ring2") CENTERS "cameras = (\n" CAMS_ABC
	    "\n);\n", path, sizeof(path));
	vg_reload_check(running, path, state, &r);
	f = open_memstream(&text, &len);
	CHECK(f != NULL);
	if (f == NULL)
		return;
	vg_reload_log(&r, "port.conf", f);
	fclose(f);
	snprintf(want, sizeof(want), "reload: port.conf refused (%s); the "
		 "running configuration is unchanged\nreload:   %s\n",
		 r.summary, r.errors[0]);
	CHECK(strcmp(text, want) == 0, "log:\n%s", text);
	free(text);
	r.status = VG_RELOAD_VALID;
	vg_reload_result_free(&r);
	snprintf(r.summary, sizeof(r.summary), "3 kept");
	f = open_memstream(&text, &len);
	vg_reload_log(&r, "x.conf", f);
	fclose(f);
	CHECK(strcmp(text, "reload: x.conf valid: 3 kept; not applied: this "
		     "version applies a configuration only at start-up "
		     "(restart to apply)\n") == 0, "log: %s", text);
	free(text);
}

/* What main() does at start-up: load, then the --state-dir override. */
static int
start_up(struct vg_cfg *cfg)
{
	char path[PATH_MAX * 2];

	put("running.conf", BASE, path, sizeof(path));
	if (vg_cfg_load(path, cfg, stderr) != 0)
		return -1;
	snprintf(cfg->state_dir, sizeof(cfg->state_dir), "%s", state);
	return 0;
}

static void
test_running_unchanged(const struct vg_cfg *running,
		       const struct vg_cfg *before,
		       const struct vg_cfg_camera *cams)
{
	struct vg_cfg_diff d;
	struct vg_cfg fresh;

	CHECK(memcmp(running, before, sizeof(*running)) == 0,
	      "struct vg_cfg changed");
	CHECK(memcmp(running->cameras, cams, 3 * sizeof(*cams)) == 0,
	      "cameras changed");
	if (start_up(&fresh) < 0) {
		CHECK(0, "running.conf does not load");
		return;
	}
	CHECK(vg_cfg_diff(&fresh, running, &d) == 0);
	CHECK(d.n_kept == 3 && d.n_added + d.n_removed + d.n_rekeyed +
	      d.n_updated + d.n_restart + d.gw == 0, "re-diff not all kept");
	vg_cfg_diff_free(&d);
	vg_cfg_free(&fresh);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int
main(void)
{
	char path[PATH_MAX * 2];
	struct vg_cfg_camera cams[3];
	struct vg_cfg running, before;

	snprintf(tmp, sizeof(tmp), "/tmp/vg-test-reload-XXXXXX");
	if (mkdtemp(tmp) == NULL) {
		CHECK(0, "mkdtemp");
		VG_TEST_END();
	}
	snprintf(state, sizeof(state), "%s/state", tmp);
	snprintf(path, sizeof(path), "%s/cso.key", tmp);
	CHECK(vg_test_key_file(path, 1, 30) == 0, "key file %s", path);
	if (start_up(&running) == 0) {
		memcpy(&before, &running, sizeof(before));
		memcpy(cams, running.cameras, sizeof(cams));
		VG_RUN(test_syntax, &running);
		VG_RUN(test_unknown_center, &running);
		VG_RUN(test_ssrc_clash, &running);
		VG_RUN(test_all_errors, &running);
		VG_RUN(test_port_device, &running);
		VG_RUN(test_valid, &running);
		VG_RUN(test_log, &running);
		VG_RUN(test_running_unchanged, &running, &before, cams);
		vg_cfg_free(&running);
	} else {
		CHECK(0, "running.conf does not load");
	}
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	VG_TEST_END();
}
