/* SPDX-License-Identifier: BSD-3-Clause */
/* Config diff tests (cfg/diff.h).  Small configurations are written to a
 * mkdtemp dir and loaded by vg_cfg_load, so that the diff sees what the
 * loader makes (fan-out entries, resolved keys and policers); the scale
 * case builds two 100,000-camera configurations in memory. */
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
#include "sdes.h"
#include "harness.h"
#include "testkey.h"

#define NONE VG_CFG_DIFF_NONE

static char tmp[PATH_MAX];

static void
write_key(const char *rel, uint8_t first, unsigned len)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	CHECK(vg_test_key_file(path, first, len) == 0, "key file %s", path);
}

/* One configuration, section by section; lists end at NULL. */
struct conf {
	const char *gw, *ports, *neighs, *centers;
	const char *cams[6];
	const char *routes[4];
};

#define GW "gateway = { engine = \"libsrtp\"; mbufs = 16383; " \
	"max_pps = 1000; max_burst = 100; };"
#define PORTS "ports = (\n" \
	"{ name = \"access\"; device = \"net_ring0\"; role = \"access\"; " \
	"address = \"198.18.1.1/24\"; },\n" \
	"{ name = \"backbone\"; device = \"net_ring1\"; role = \"backbone\"; " \
	"address = \"198.19.0.1/24\"; gateway = \"198.19.0.254\"; }\n);"
#define NB_GW "{ address = \"198.19.0.254\"; mac = \"02:00:00:00:00:fe\"; }"
#define NB_CSO "{ address = \"198.19.0.2\"; mac = \"02:00:00:00:00:02\"; }"
#define NEIGHS "neighbours = ( " NB_GW ", " NB_CSO " );"
#define CM80 "suite = \"AES_CM_128_HMAC_SHA1_80\"; "
#define CENTERS "centers = (\n" \
	"{ name = \"cso\"; address = \"198.19.0.2\"; " CM80 \
	"key_file = \"keys/cso.key\"; },\n" \
	"{ name = \"region\"; address = \"198.19.0.3\"; " CM80 \
	"key_file = \"keys/region.key\"; }\n);"
#define CAM(name, src, dest) "{ name = \"" name "\"; source = \"198.18.1." \
	src "\"; port = 5004; " dest " }"
#define TO_CSO(port, ssrc) "center = \"cso\"; dest_port = " port "; " \
	"ssrc = " ssrc ";"
#define CAM_A CAM("a", "11", TO_CSO("6004", "0x10000001"))
#define CAM_B CAM("b", "12", TO_CSO("6006", "0x10000002") " max_pps = 500;")
#define CAM_C CAM("c", "13", "destinations = ( " \
	"{ center = \"cso\"; dest_port = 6008; ssrc = 0x10000003; }, " \
	"{ center = \"region\"; dest_port = 7008; ssrc = 0x20000003; } );")
#define CAM_D CAM("d", "14", TO_CSO("6010", "0x10000004"))
#define ROUTE(name, port, ssrc) "{ name = \"" name "\"; " \
	"source = \"198.19.0.9\"; port = " port "; ssrc = " ssrc "; " \
	"suite = \"AES_CM_128_HMAC_SHA1_80\"; key_file = \"keys/route.key\"; " \
	"vms = \"198.18.1.200\"; vms_port = 5004; }"
#define RT_1 ROUTE("r1", "8004", "0x30000001")
#define RT_2 ROUTE("r2", "8006", "0x30000002")
#define RT_3 ROUTE("r3", "8008", "0x30000003")

/* Camera entries a, b, c@cso, c@region; routes r1, r2. */
static struct conf
base(void)
{
	return (struct conf){ GW, PORTS, NEIGHS, CENTERS,
			      { CAM_A, CAM_B, CAM_C }, { RT_1, RT_2 } };
}

static void
put_list(FILE *f, const char *name, const char *const *items, unsigned max)
{
	if (items[0] == NULL)
		return;
	fprintf(f, "%s = (\n", name);
	for (unsigned i = 0; i < max && items[i] != NULL; i++)
		fprintf(f, "%s%s\n", items[i],
			i + 1 < max && items[i + 1] != NULL ? "," : "");
	fprintf(f, ");\n");
}

/* Write c and load it; 0 when it loaded without error. */
static int
load(const struct conf *c, struct vg_cfg *cfg)
{
	static unsigned seq;
	char path[PATH_MAX * 2];
	unsigned errors;
	FILE *f;

	snprintf(path, sizeof(path), "%s/c%u.conf", tmp, seq++);
	f = fopen(path, "w");
	CHECK(f != NULL, "create %s", path);
	if (f == NULL)
		return -1;
	fprintf(f, "%s\n%s\n%s\n%s\n", c->gw, c->ports, c->neighs, c->centers);
	put_list(f, "cameras", c->cams, 6);
	put_list(f, "unprotect", c->routes, 4);
	fclose(f);
	errors = vg_cfg_load(path, cfg, stderr);
	CHECK(errors == 0, "%s: %u errors", path, errors);
	return errors == 0 ? 0 : -1;
}

/* Load o and n and diff them; 0 when d holds the result. */
static int
diff(const struct conf *o, const struct conf *n, struct vg_cfg_diff *d)
{
	struct vg_cfg a, b;
	int rc = -1;

	memset(d, 0, sizeof(*d));
	if (load(o, &a) < 0)
		return -1;
	if (load(n, &b) == 0) {
		rc = vg_cfg_diff(&a, &b, d);
		CHECK(rc == 0, "vg_cfg_diff failed");
		vg_cfg_free(&b);
	}
	vg_cfg_free(&a);
	return rc;
}

static void
counts(const struct vg_cfg_diff *d, const char *what, unsigned kept,
       unsigned updated, unsigned rekeyed, unsigned added, unsigned removed)
{
	char s[160];

	vg_cfg_diff_summary(d, s, sizeof(s));
	CHECK(d->n_kept == kept && d->n_updated == updated &&
	      d->n_rekeyed == rekeyed && d->n_added == added &&
	      d->n_removed == removed, "%s: %s", what, s);
}

/* m's mapping of new entries is exactly want[] (NONE: added), and its
 * inverse agrees. */
static void
mapped(const struct vg_cfg_diff_map *m, const char *what,
       const unsigned *want, unsigned n_new)
{
	unsigned i, bad = 0;

	CHECK(m->n_new == n_new, "%s: %u new entries", what, m->n_new);
	for (i = 0; i < n_new && i < m->n_new; i++) {
		bad += m->old_of_new[i] != want[i];
		if (want[i] != NONE)
			bad += m->new_of_old[want[i]] != i;
	}
	CHECK(bad == 0, "%s: %u mapping errors", what, bad);
}

static bool
has_msg(const struct vg_cfg_diff *d, const char *msg)
{
	for (unsigned i = 0; i < d->n_restart; i++)
		if (strcmp(d->restart[i], msg) == 0)
			return true;
	return false;
}

static void
test_identical(void)
{
	struct conf c = base();
	static const unsigned same[] = { 0, 1, 2, 3 };
	struct vg_cfg_diff d;
	char s[160];

	if (diff(&c, &c, &d) < 0)
		return;
	counts(&d, "identical", 6, 0, 0, 0, 0);
	mapped(&d.cameras, "identical cameras", same, 4);
	mapped(&d.routes, "identical routes", same, 2);
	CHECK(d.n_restart == 0 && d.gw == 0);
	for (unsigned i = 0; i < 4; i++)
		CHECK(d.cameras.cls[i] == VG_CFG_DIFF_KEPT &&
		      d.cameras.changed[i] == 0 &&
		      vg_cfg_diff_old_class(&d.cameras, i) == VG_CFG_DIFF_KEPT);
	vg_cfg_diff_summary(&d, s, sizeof(s));
	CHECK(strcmp(s, "reload: 6 kept, 0 added, 0 removed, 0 re-keyed, "
		     "0 updated") == 0, "%s", s);
	vg_cfg_diff_free(&d);
	CHECK(d.restart == NULL && d.cameras.cls == NULL && d.n_kept == 0);
	vg_cfg_diff_free(&d);	/* an empty diff frees nothing */
}

/* d first: every old entry moves up by one. */
static void
test_camera_added(void)
{
	struct conf o = base(), n = base();
	static const unsigned want[] = { NONE, 0, 1, 2, 3 };
	struct vg_cfg_diff d;

	n.cams[0] = CAM_D;
	n.cams[1] = CAM_A;
	n.cams[2] = CAM_B;
	n.cams[3] = CAM_C;
	if (diff(&o, &n, &d) < 0)
		return;
	counts(&d, "added", 6, 0, 0, 1, 0);
	mapped(&d.cameras, "added", want, 5);
	CHECK(d.cameras.cls[0] == VG_CFG_DIFF_ADDED);
	vg_cfg_diff_free(&d);
}

static void
test_camera_removed(void)
{
	struct conf o = base(), n = base();
	static const unsigned want[] = { 0, 2, 3 };
	struct vg_cfg_diff d;

	n.cams[1] = CAM_C;
	n.cams[2] = NULL;
	if (diff(&o, &n, &d) < 0)
		return;
	counts(&d, "removed", 5, 0, 0, 0, 1);
	mapped(&d.cameras, "removed", want, 3);
	CHECK(d.cameras.new_of_old[1] == NONE &&
	      vg_cfg_diff_old_class(&d.cameras, 1) == VG_CFG_DIFF_REMOVED);
	vg_cfg_diff_free(&d);
}

/* A new name, or a new center, is a new stream, whatever else stays. */
static void
test_camera_renamed(void)
{
	struct conf o = base(), n = base();
	static const unsigned want[] = { 0, NONE, 2, 3 };
	struct vg_cfg_diff d;

	n.cams[1] = CAM("b2", "12", TO_CSO("6006", "0x10000002")
			" max_pps = 500;");
	if (diff(&o, &n, &d) < 0)
		return;
	counts(&d, "renamed", 5, 0, 0, 1, 1);
	mapped(&d.cameras, "renamed", want, 4);
	CHECK(d.cameras.new_of_old[1] == NONE);
	vg_cfg_diff_free(&d);
	/* Another destination too: b to region, on the same port. */
	n.cams[1] = CAM("b", "12", "center = \"region\"; dest_port = 6006; "
			"ssrc = 0x10000002; max_pps = 500;");
	if (diff(&o, &n, &d) < 0)
		return;
	counts(&d, "moved", 5, 0, 0, 1, 1);
	mapped(&d.cameras, "moved", want, 4);
	vg_cfg_diff_free(&d);
}

/* Each of SSRC, key and suite alone makes a new (key, SSRC). */
static void
rekeyed(const struct conf *n, const char *what, unsigned entry,
	unsigned field)
{
	struct conf o = base();
	static const unsigned same[] = { 0, 1, 2, 3 };
	struct vg_cfg_diff d;

	if (diff(&o, n, &d) < 0)
		return;
	counts(&d, what, 5, 0, 1, 0, 0);
	mapped(&d.cameras, what, same, 4);
	CHECK(d.cameras.cls[entry] == VG_CFG_DIFF_REKEYED &&
	      d.cameras.changed[entry] == field, "%s: class %u fields %#x",
	      what, d.cameras.cls[entry], d.cameras.changed[entry]);
	vg_cfg_diff_free(&d);
}

static void
test_rekeyed(void)
{
	struct conf n = base();
	struct vg_cfg a, b;
	struct vg_cfg_diff d;

	n.cams[1] = CAM("b", "12", TO_CSO("6006", "0x10000012")
			" max_pps = 500;");
	rekeyed(&n, "ssrc", 1, VG_CFG_DIFF_F_SSRC);
	n = base();
	n.cams[0] = CAM("a", "11", TO_CSO("6004", "0x10000001")
			" suite = \"AES_CM_128_HMAC_SHA1_32\";");
	rekeyed(&n, "suite", 0, VG_CFG_DIFF_F_SUITE);
	/* The same file, another key in it: region's streams only. */
	n = base();
	if (load(&n, &a) < 0)
		return;
	write_key("keys/region.key", 0x61, 30);
	if (load(&n, &b) == 0) {
		CHECK(vg_cfg_diff(&a, &b, &d) == 0);
		counts(&d, "key file", 5, 0, 1, 0, 0);
		CHECK(d.cameras.cls[3] == VG_CFG_DIFF_REKEYED &&
		      d.cameras.changed[3] == VG_CFG_DIFF_F_KEY &&
		      d.cameras.old_of_new[3] == 3,
		      "c@region: class %u fields %#x", d.cameras.cls[3],
		      d.cameras.changed[3]);
		vg_cfg_diff_free(&d);
		vg_cfg_free(&b);
	}
	vg_cfg_free(&a);
	write_key("keys/region.key", 0x41, 30);
}

/* a gains a destination: a@cso is the stream a was (label and fan-out
 * layout are not compared), a@region is new. */
static void
test_fanout_added(void)
{
	struct conf o = base(), n = base();
	static const unsigned want[] = { 0, NONE, 1, 2, 3 };
	struct vg_cfg_diff d;

	n.cams[0] = CAM("a", "11", "destinations = ( "
			"{ center = \"cso\"; dest_port = 6004; "
			"ssrc = 0x10000001; }, { center = \"region\"; "
			"dest_port = 7004; ssrc = 0x20000001; } );");
	if (diff(&o, &n, &d) < 0)
		return;
	counts(&d, "fan-out added", 6, 0, 0, 1, 0);
	mapped(&d.cameras, "fan-out added", want, 5);
	CHECK(d.cameras.cls[0] == VG_CFG_DIFF_KEPT &&
	      d.cameras.cls[1] == VG_CFG_DIFF_ADDED);
	vg_cfg_diff_free(&d);
}

/* c keeps only cso, written as a plain camera: c@cso goes on as c. */
static void
test_fanout_removed(void)
{
	struct conf o = base(), n = base();
	static const unsigned want[] = { 0, 1, 2 };
	struct vg_cfg_diff d;

	n.cams[2] = CAM("c", "13", TO_CSO("6008", "0x10000003"));
	if (diff(&o, &n, &d) < 0)
		return;
	counts(&d, "fan-out removed", 5, 0, 0, 0, 1);
	mapped(&d.cameras, "fan-out removed", want, 3);
	CHECK(d.cameras.cls[2] == VG_CFG_DIFF_KEPT &&
	      vg_cfg_diff_old_class(&d.cameras, 3) == VG_CFG_DIFF_REMOVED);
	vg_cfg_diff_free(&d);
}

static void
test_reordered(void)
{
	struct conf o = base(), n = base();
	static const unsigned cams[] = { 2, 3, 1, 0 }, routes[] = { 1, 0 };
	struct vg_cfg_diff d;

	n.cams[0] = CAM_C;
	n.cams[2] = CAM_A;
	n.routes[0] = RT_2;
	n.routes[1] = RT_1;
	if (diff(&o, &n, &d) < 0)
		return;
	counts(&d, "reordered", 6, 0, 0, 0, 0);
	mapped(&d.cameras, "reordered cameras", cams, 4);
	mapped(&d.routes, "reordered routes", routes, 2);
	vg_cfg_diff_free(&d);
}

/* r1 re-keyed, r2 removed, r3 added. */
static void
test_routes(void)
{
	struct conf o = base(), n = base();
	static const unsigned want[] = { 0, NONE };
	struct vg_cfg_diff d;
	char s[160];

	n.routes[0] = ROUTE("r1", "8004", "0x30000011");
	n.routes[1] = RT_3;
	if (diff(&o, &n, &d) < 0)
		return;
	counts(&d, "routes", 4, 0, 1, 1, 1);
	mapped(&d.routes, "routes", want, 2);
	CHECK(d.routes.cls[0] == VG_CFG_DIFF_REKEYED &&
	      d.routes.changed[0] == VG_CFG_DIFF_F_SSRC &&
	      d.routes.cls[1] == VG_CFG_DIFF_ADDED &&
	      vg_cfg_diff_old_class(&d.routes, 1) == VG_CFG_DIFF_REMOVED);
	vg_cfg_diff_summary(&d, s, sizeof(s));
	CHECK(strcmp(s, "reload: 4 kept, 1 added, 1 removed, 1 re-keyed, "
		     "0 updated") == 0, "%s", s);
	vg_cfg_diff_free(&d);
}

/* A policer is updated in place: the stream goes on. */
static void
test_policer(void)
{
	struct conf o = base(), n = base();
	const unsigned both = VG_CFG_DIFF_F_POLICER | VG_CFG_DIFF_F_FB_POLICER;
	struct vg_cfg_diff d;

	n.cams[1] = CAM("b", "12", TO_CSO("6006", "0x10000002")
			" max_pps = 600;");
	if (diff(&o, &n, &d) == 0) {
		counts(&d, "camera policer", 5, 1, 0, 0, 0);
		CHECK(d.cameras.cls[1] == VG_CFG_DIFF_UPDATED &&
		      d.cameras.changed[1] == VG_CFG_DIFF_F_POLICER &&
		      d.gw == 0 && d.n_restart == 0);
		vg_cfg_diff_free(&d);
	}
	/* The gateway's default: b keeps its own, its feedback does not. */
	n = base();
	n.gw = "gateway = { engine = \"libsrtp\"; max_pps = 2000; "
	       "max_burst = 100; };";
	if (diff(&o, &n, &d) < 0)
		return;
	counts(&d, "gateway policer", 0, 6, 0, 0, 0);
	CHECK(d.cameras.changed[0] == both && d.cameras.changed[2] == both &&
	      d.cameras.changed[3] == both &&
	      d.cameras.changed[1] == VG_CFG_DIFF_F_FB_POLICER,
	      "%#x %#x", d.cameras.changed[0], d.cameras.changed[1]);
	CHECK(d.routes.changed[0] == both && d.routes.changed[1] == both);
	CHECK(d.gw == VG_CFG_DIFF_GW_POLICER && d.n_restart == 0);
	vg_cfg_diff_free(&d);
}

/* Where a stream comes from and goes: updated, the same stream. */
static void
test_updated(void)
{
	struct conf o = base(), n = base();
	static const unsigned same[] = { 0, 1, 2, 3 };
	struct vg_cfg_diff d;

	n.cams[0] = CAM("a", "11", TO_CSO("6104", "0x10000001")
			" payload_type = 98;");
	n.cams[1] = CAM("b", "22", TO_CSO("6006", "0x10000002")
			" max_pps = 500;");
	n.centers = "centers = (\n"
	"{ name = \"cso\"; address = \"198.19.0.2\"; "
	"suite = \"AES_CM_128_HMAC_SHA1_80\"; key_file = \"keys/cso.key\"; },"
	"{ name = \"region\"; address = \"198.19.0.30\"; "
	"suite = \"AES_CM_128_HMAC_SHA1_80\"; key_file = \"keys/region.key\"; }"
	");";
	n.routes[1] = "{ name = \"r2\"; source = \"198.19.0.9\"; port = 8006; "
		"ssrc = 0x30000002; suite = \"AES_CM_128_HMAC_SHA1_80\"; "
		"key_file = \"keys/route.key\"; vms = \"198.18.1.201\"; "
		"vms_port = 5004; }";
	if (diff(&o, &n, &d) < 0)
		return;
	counts(&d, "updated", 2, 4, 0, 0, 0);
	mapped(&d.cameras, "updated", same, 4);
	CHECK(d.cameras.changed[0] == (VG_CFG_DIFF_F_DEST |
				       VG_CFG_DIFF_F_MEDIA) &&
	      d.cameras.changed[1] == VG_CFG_DIFF_F_SOURCE &&
	      d.cameras.changed[2] == 0 &&
	      d.cameras.changed[3] == VG_CFG_DIFF_F_DEST &&
	      d.routes.changed[1] == VG_CFG_DIFF_F_DEST,
	      "%#x %#x %#x %#x", d.cameras.changed[0], d.cameras.changed[1],
	      d.cameras.changed[2], d.cameras.changed[3]);
	CHECK(d.cameras.cls[0] == VG_CFG_DIFF_UPDATED && d.n_restart == 0);
	vg_cfg_diff_free(&d);
}

/* Two destinations to one center: dest_port tells them apart first, so
 * the one whose port changed is that one, not its neighbour. */
static void
test_same_center(void)
{
	struct conf o = base(), n = base();
	static const unsigned want[] = { 0, 1, 2, 3, 5, 4 };
	struct vg_cfg_diff d;

	o.cams[3] = CAM("e", "15", "destinations = ( "
			"{ " TO_CSO("6010", "0x10000005") " }, "
			"{ " TO_CSO("6012", "0x10000006") " } );");
	n.cams[3] = CAM("e", "15", "destinations = ( "
			"{ " TO_CSO("6012", "0x10000006") " }, "
			"{ " TO_CSO("6020", "0x10000005") " } );");
	if (diff(&o, &n, &d) < 0)
		return;
	counts(&d, "same center", 7, 1, 0, 0, 0);
	mapped(&d.cameras, "same center", want, 6);
	CHECK(d.cameras.cls[4] == VG_CFG_DIFF_KEPT &&
	      d.cameras.cls[5] == VG_CFG_DIFF_UPDATED &&
	      d.cameras.changed[5] == VG_CFG_DIFF_F_DEST);
	vg_cfg_diff_free(&d);
}

static void
test_restart(void)
{
	struct conf o = base(), n = base();
	struct vg_cfg_diff d;
	char s[200];

	n.gw = "gateway = { engine = \"cryptodev\"; mbufs = 32767; "
	       "max_pps = 1000; max_burst = 100; state_dir = \"/srv/vg\"; };";
	n.ports = "ports = (\n"
	"{ name = \"access\"; device = \"net_ring0\"; role = \"access\"; "
	"address = \"198.18.1.1/24\"; vlan = 120; },\n"
	"{ name = \"backbone\"; device = \"net_ring2\"; role = \"backbone\"; "
	"address = \"198.19.0.5/24\"; }\n);";
	if (diff(&o, &n, &d) < 0)
		return;
	CHECK(d.n_restart == 7, "%u messages", d.n_restart);
	CHECK(has_msg(&d, "gateway.engine changed (\"libsrtp\" -> "
		      "\"cryptodev\"): needs a restart"));
	CHECK(has_msg(&d, "gateway.mbufs changed (16383 -> 32767): needs a "
		      "restart"));
	CHECK(has_msg(&d, "gateway.state_dir changed (\"/var/lib/vigie\" -> "
		      "\"/srv/vg\"): needs a restart"));
	CHECK(has_msg(&d, "ports[0].vlan changed (0 -> 120): needs a restart"));
	CHECK(has_msg(&d, "ports[1].device changed (\"net_ring1\" -> "
		      "\"net_ring2\"): needs a restart"));
	CHECK(has_msg(&d, "ports[1].address changed (\"198.19.0.1/24\" -> "
		      "\"198.19.0.5/24\"): needs a restart"));
	CHECK(has_msg(&d, "ports[1].gateway changed (\"198.19.0.254\" -> "
		      "none): needs a restart"));
	counts(&d, "restart", 6, 0, 0, 0, 0);	/* streams still classified */
	vg_cfg_diff_summary(&d, s, sizeof(s));
	CHECK(strcmp(s, "reload: 6 kept, 0 added, 0 removed, 0 re-keyed, "
		     "0 updated; 7 changes need a restart") == 0, "%s", s);
	vg_cfg_diff_free(&d);
}

/* One more port, and one port's role and name swapped with the other. */
static void
test_restart_ports(void)
{
	struct conf o = base(), n = base();
	struct vg_cfg_diff d;

	n.ports = "ports = (\n"
	"{ name = \"backbone\"; device = \"net_ring1\"; role = \"backbone\"; "
	"address = \"198.19.0.1/24\"; gateway = \"198.19.0.254\"; },\n"
	"{ name = \"access\"; device = \"net_ring0\"; role = \"access\"; "
	"address = \"198.18.1.1/24\"; },\n"
	"{ name = \"spare\"; device = \"net_ring3\"; role = \"access\"; "
	"address = \"198.18.2.1/24\"; }\n);";
	if (diff(&o, &n, &d) < 0)
		return;
	CHECK(has_msg(&d, "ports changed (2 entries -> 3): needs a restart"));
	CHECK(has_msg(&d, "ports[0].name changed (\"access\" -> \"backbone\"): "
		      "needs a restart"));
	CHECK(has_msg(&d, "ports[0].role changed (\"access\" -> \"backbone\"): "
		      "needs a restart"));
	CHECK(has_msg(&d, "ports[0].gateway changed (none -> "
		      "\"198.19.0.254\"): needs a restart"));
	CHECK(has_msg(&d, "ports[1].gateway changed (\"198.19.0.254\" -> "
		      "none): needs a restart"));
	CHECK(d.n_restart == 11, "%u messages", d.n_restart);
	/* Streams name their ports by name: none of them moved. */
	counts(&d, "ports", 6, 0, 0, 0, 0);
	vg_cfg_diff_free(&d);
}

/* Neighbours and the reloadable gateway keys: no restart. */
static void
test_reloadable(void)
{
	struct conf o = base(), n = base();
	struct vg_cfg_diff d;

	n.neighs = "neighbours = ( " NB_CSO ", " NB_GW " );";
	if (diff(&o, &n, &d) == 0) {
		CHECK(d.gw == 0 && d.n_restart == 0, "reordered: %#x", d.gw);
		vg_cfg_diff_free(&d);
	}
	n.neighs = "neighbours = ( " NB_GW ", { address = \"198.19.0.2\"; "
		   "mac = \"02:00:00:00:00:22\"; } );";
	n.gw = "gateway = { engine = \"libsrtp\"; max_pps = 1000; "
	       "max_burst = 100; summary_interval = 10; roc_announce_ms = 500; "
	       "arp_retry_ms = 200; };";
	if (diff(&o, &n, &d) < 0)
		return;
	CHECK(d.gw == (VG_CFG_DIFF_GW_NEIGHS | VG_CFG_DIFF_GW_SUMMARY |
		       VG_CFG_DIFF_GW_ROC_ANNOUNCE | VG_CFG_DIFF_GW_ARP_RETRY),
	      "%#x", d.gw);
	CHECK(d.n_restart == 0, "%s", d.n_restart ? d.restart[0] : "");
	counts(&d, "reloadable", 6, 0, 0, 0, 0);
	n.neighs = "neighbours = ( " NB_GW " );";
	vg_cfg_diff_free(&d);
	if (diff(&o, &n, &d) < 0)
		return;
	CHECK(d.gw & VG_CFG_DIFF_GW_NEIGHS);
	vg_cfg_diff_free(&d);
}

static void
test_names(void)
{
	CHECK(strcmp(vg_cfg_diff_class_name(VG_CFG_DIFF_KEPT), "kept") == 0);
	CHECK(strcmp(vg_cfg_diff_class_name(VG_CFG_DIFF_REKEYED),
		     "re-keyed") == 0);
	CHECK(strcmp(vg_cfg_diff_class_name(VG_CFG_DIFF_REMOVED),
		     "removed") == 0);
	CHECK(strcmp(vg_cfg_diff_class_name((enum vg_cfg_diff_class)9),
		     "?") == 0);
}

/* A region: 100,000 cameras, every tenth also sent to a second center,
 * and 20,000 routes, built in memory.  The new configuration lists the
 * cameras in another order (7919 k mod N), and, per 100 cameras: #1
 * removed, #2 re-keyed (SSRC), #3 updated (policer), #50's second
 * destination removed, #60 given a third; 500 cameras added; every tenth
 * route removed, the others reversed. */
#define N_CAMS 100000u
#define N_ROUTES 20000u
#define N_NEW_CAMS 500u

struct scale {
	struct vg_cfg old_cfg, new_cfg;
	unsigned *want;		/* per new entry: the old one, or NONE */
	uint8_t *cls;		/* per new entry: its class */
	unsigned *first;	/* per old camera: its first entry */
};

static void
scale_base(struct vg_cfg *c, unsigned cams, unsigned routes)
{
	static const char *const centers[] = { "cso", "region", "police" };

	memset(c, 0, sizeof(*c));
	c->max_pps = 1000;
	c->max_burst = 100;
	c->n_ports = 2;
	c->ports = calloc(2, sizeof(*c->ports));
	c->n_centers = 3;
	c->centers = calloc(3, sizeof(*c->centers));
	c->cameras = calloc(cams, sizeof(*c->cameras));
	c->routes = calloc(routes, sizeof(*c->routes));
	CHECK(c->ports && c->centers && c->cameras && c->routes);
	if (!c->ports || !c->centers || !c->cameras || !c->routes)
		exit(1);
	for (unsigned i = 0; i < 3; i++) {
		snprintf(c->centers[i].name, VG_NAME_MAX, "%s", centers[i]);
		c->centers[i].addr = 0x0200130a + (i << 24);
		c->centers[i].port = 1;
	}
	snprintf(c->ports[0].name, VG_NAME_MAX, "access");
	snprintf(c->ports[1].name, VG_NAME_MAX, "backbone");
}

static struct vg_cfg_camera *
scale_cam(struct vg_cfg *c, const char *prefix, unsigned i, unsigned center)
{
	struct vg_cfg_camera *e = &c->cameras[c->n_cameras++];

	snprintf(e->name, VG_NAME_MAX, "%s%u", prefix, i);
	e->center = center;
	e->src_addr = 0x0a + (i << 8);
	e->rtp_port = 5004;
	e->rtcp_port = 5005;
	e->dst_port = (uint16_t)(6004 + 2 * center);
	e->dst_rtcp_port = (uint16_t)(e->dst_port + 1);
	e->ssrc = (uint32_t)(center << 28 | i);
	e->key.len = 30;
	memset(e->key.bytes, 0x5a, 30);
	e->max_pps = 1000;
	e->max_burst = 100;
	return e;
}

static void
scale_route(struct vg_cfg *c, unsigned i)
{
	struct vg_cfg_route *r = &c->routes[c->n_routes++];

	snprintf(r->name, VG_NAME_MAX, "r%u", i);
	r->peer = 0x0900130a;
	r->port = (uint16_t)(1024 + 2 * i);
	r->ssrc = 0x30000000 | i;
	r->key.len = 30;
	r->out_port = 0;
	r->in_port = 1;
}

/* Camera i of the new configuration, its entries and their expectations. */
static void
scale_new_cam(struct scale *s, unsigned i)
{
	struct vg_cfg *c = &s->new_cfg;
	unsigned k = c->n_cameras;

	if (i % 100 == 1)
		return;
	s->want[k] = s->first[i];
	s->cls[k] = VG_CFG_DIFF_KEPT;
	if (i % 100 == 2) {
		scale_cam(c, "c", i, 0)->ssrc ^= 0x00800000;
		s->cls[k] = VG_CFG_DIFF_REKEYED;
	} else if (i % 100 == 3) {
		scale_cam(c, "c", i, 0)->max_pps = 2000;
		s->cls[k] = VG_CFG_DIFF_UPDATED;
	} else {
		scale_cam(c, "c", i, 0);
	}
	if (i % 10 == 0 && i % 100 != 50) {
		s->want[c->n_cameras] = s->first[i] + 1;
		s->cls[c->n_cameras] = VG_CFG_DIFF_KEPT;
		scale_cam(c, "c", i, 1);
	}
	if (i % 100 == 60) {
		s->want[c->n_cameras] = NONE;
		s->cls[c->n_cameras] = VG_CFG_DIFF_ADDED;
		scale_cam(c, "c", i, 2);
	}
}

static void
scale_build(struct scale *s)
{
	unsigned i, k, n_old = N_CAMS + N_CAMS / 10;
	unsigned n_new = n_old + N_NEW_CAMS + N_CAMS / 100;

	scale_base(&s->old_cfg, n_old, N_ROUTES);
	scale_base(&s->new_cfg, n_new, N_ROUTES);
	s->want = calloc(n_new, sizeof(*s->want));
	s->cls = calloc(n_new, sizeof(*s->cls));
	s->first = calloc(N_CAMS, sizeof(*s->first));
	if (s->want == NULL || s->cls == NULL || s->first == NULL)
		exit(1);
	for (i = 0; i < N_CAMS; i++) {
		s->first[i] = s->old_cfg.n_cameras;
		scale_cam(&s->old_cfg, "c", i, 0);
		if (i % 10 == 0)
			scale_cam(&s->old_cfg, "c", i, 1);
	}
	for (k = 0; k < N_CAMS; k++)
		scale_new_cam(s, (unsigned)((uint64_t)k * 7919 % N_CAMS));
	for (i = 0; i < N_NEW_CAMS; i++) {
		s->want[s->new_cfg.n_cameras] = NONE;
		s->cls[s->new_cfg.n_cameras] = VG_CFG_DIFF_ADDED;
		scale_cam(&s->new_cfg, "n", i, 0);
	}
	for (i = 0; i < N_ROUTES; i++)
		scale_route(&s->old_cfg, i);
	for (i = N_ROUTES; i-- > 0;)
		if (i % 10 != 0)
			scale_route(&s->new_cfg, i);
}

static void
test_scale(void)
{
	struct scale s;
	struct vg_cfg_diff d;
	unsigned i, bad = 0, n_new;

	scale_build(&s);
	n_new = s.new_cfg.n_cameras;
	CHECK(s.old_cfg.n_cameras == 110000 && n_new == 109500, "%u %u",
	      s.old_cfg.n_cameras, n_new);
	CHECK(vg_cfg_diff(&s.old_cfg, &s.new_cfg, &d) == 0);
	/* Cameras: 2,000 removed, 1,000 re-keyed, 1,000 updated, 1,500
	 * added; routes: 2,000 removed, 18,000 kept. */
	counts(&d, "scale", 106000 + 18000, 1000, 1000, 1500, 2000 + 2000);
	mapped(&d.cameras, "scale cameras", s.want, n_new);
	for (i = 0; i < n_new && i < d.cameras.n_new; i++)
		bad += d.cameras.cls[i] != s.cls[i];
	CHECK(bad == 0, "%u classes differ", bad);
	for (i = bad = 0; i < d.routes.n_new; i++)
		bad += d.routes.old_of_new[i] != N_ROUTES - 1 - (i + i / 9);
	CHECK(d.routes.n_new == 18000 && bad == 0, "%u routes wrong", bad);
	vg_cfg_diff_free(&d);
	vg_cfg_free(&s.old_cfg);
	vg_cfg_free(&s.new_cfg);
	free(s.want);
	free(s.cls);
	free(s.first);
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
	char keys[PATH_MAX * 2];

	snprintf(tmp, sizeof(tmp), "/tmp/vg-test-diff-XXXXXX");
	if (mkdtemp(tmp) == NULL) {
		CHECK(0, "mkdtemp");
		VG_TEST_END();
	}
	snprintf(keys, sizeof(keys), "%s/keys", tmp);
	CHECK(mkdir(keys, 0700) == 0);
	write_key("keys/cso.key", 0x01, 30);
	write_key("keys/region.key", 0x41, 30);
	write_key("keys/route.key", 0x81, 30);
	test_identical();
	test_camera_added();
	test_camera_removed();
	test_camera_renamed();
	test_rekeyed();
	test_fanout_added();
	test_fanout_removed();
	test_reordered();
	test_routes();
	test_policer();
	test_updated();
	test_same_center();
	test_restart();
	test_restart_ports();
	test_reloadable();
	test_names();
	test_scale();
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	VG_TEST_END();
}
