/* SPDX-License-Identifier: BSD-3-Clause */
/* Config loader tests.  The configs live in tests/unit/cfg/; each bad one
 * marks the line of every error it must produce with "# expect: TEXT", so
 * the table of expectations is the data itself: the test asserts that the
 * loader prints exactly one "file:line: ...TEXT..." line per marker and no
 * other.  Configs and key files are copied/generated into a mkdtemp dir at
 * run time because git does not keep a key file's 0600 mode. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* open_memstream, strcasestr */
#endif
#include <arpa/inet.h>
#include <dirent.h>
#include <ftw.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cfg.h"
#include "include.h"
#include "harness.h"

#define MAX_LEAK 32
#define NOBODY 65534		/* an unprivileged user other than us */

static char tmp[PATH_MAX];
static char leaks[MAX_LEAK][128];	/* key texts never to be printed */
static unsigned n_leaks;
static bool foreign_key;	/* keys/foreign.key is owned by NOBODY */

static void
copy_file(const char *src, const char *dst)
{
	char buf[4096];
	FILE *in = fopen(src, "r"), *out = fopen(dst, "w");
	size_t n;

	CHECK(in != NULL && out != NULL, "copy %s -> %s", src, dst);
	while (in != NULL && out != NULL &&
	       (n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	if (in != NULL)
		fclose(in);
	if (out != NULL)
		fclose(out);
}

/* Copy every *.conf of src into dst (not recursive). */
static void
copy_confs(const char *src, const char *dst)
{
	char a[PATH_MAX * 2], b[PATH_MAX * 2];
	struct dirent *e;
	DIR *d = opendir(src);

	CHECK(d != NULL, "opendir %s", src);
	if (d == NULL)
		return;
	mkdir(dst, 0700);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		if (n < 6 || strcmp(e->d_name + n - 5, ".conf") != 0)
			continue;
		snprintf(a, sizeof(a), "%s/%s", src, e->d_name);
		snprintf(b, sizeof(b), "%s/%s", dst, e->d_name);
		copy_file(a, b);
	}
	closedir(d);
}

/* Key of len bytes starting at first, written as an SDES line to TMP/rel;
 * its texts
 * (base64 and hex) are remembered for the leak check. */
static void
write_key(const char *rel, uint8_t first, unsigned len, mode_t mode)
{
	struct vg_master_key k = { .len = (uint8_t)len };
	char path[PATH_MAX * 2], line[128];
	unsigned i;
	FILE *f;

	for (i = 0; i < len; i++)
		k.bytes[i] = (uint8_t)(first + i);
	CHECK(vg_sdes_format(&k, line, sizeof(line)) == 0);
	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	f = fopen(path, "w");
	CHECK(f != NULL, "create %s", path);
	if (f == NULL)
		return;
	fprintf(f, "# test key\n%s|2^31\n", line);
	fclose(f);
	chmod(path, mode);
	if (n_leaks + 2 < MAX_LEAK) {
		/* The middle of the base64 text: no padding, no prefix. */
		snprintf(leaks[n_leaks++], 128, "%.16s", line + 11);
		for (i = 0; i < 8; i++)
			sprintf(leaks[n_leaks] + 2 * i, "%02x", k.bytes[i + 2]);
		n_leaks++;
	}
}

static void
write_file(const char *rel, const char *text, mode_t mode)
{
	char path[PATH_MAX * 2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	f = fopen(path, "w");
	CHECK(f != NULL, "create %s", path);
	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* Copy the *.conf of SRC/from and SRC/from/communes to TMP/to. */
static void
copy_tree(const char *from, const char *to)
{
	const char *slash = strrchr(__FILE__, '/');
	int dir_len = slash ? (int)(slash - __FILE__ + 1) : 0;
	char src[PATH_MAX * 2], dst[PATH_MAX * 2];

	/* The sources are found next to this file: tests run from the
	 * directory they were built in. */
	snprintf(src, sizeof(src), "%.*s%s", dir_len, __FILE__, from);
	snprintf(dst, sizeof(dst), "%s/%s", tmp, to);
	copy_confs(src, dst);
	snprintf(src, sizeof(src), "%.*s%s/communes", dir_len, __FILE__, from);
	snprintf(dst, sizeof(dst), "%s/%s/communes", tmp, to);
	copy_confs(src, dst);
	snprintf(dst, sizeof(dst), "%s/%s/keys", tmp, to);
	mkdir(dst, 0700);
}

static void
setup(void)
{
	char path[PATH_MAX * 2];

	snprintf(tmp, sizeof(tmp), "/tmp/vg-test-cfg-XXXXXX");
	CHECK(mkdtemp(tmp) != NULL);
	copy_tree("cfg", ".");
	write_key("keys/cso.key", 0x01, 30, 0600);
	write_key("keys/cso-copy.key", 0x01, 30, 0400);	/* same bytes */
	write_key("keys/other.key", 0x21, 30, 0600);
	write_key("keys/gcm.key", 0x51, 28, 0600);
	write_key("keys/gcm256.key", 0x81, 44, 0600);
	write_key("keys/open.key", 0xa1, 30, 0644);
	write_file("keys/garbage.key", "inline:!!!!\n", 0600);
	write_key("keys/others.key", 0xc1, 30, 0604);
	write_key("keys/foreign.key", 0xe1, 30, 0600);
	snprintf(path, sizeof(path), "%s/keys/foreign.key", tmp);
	/* Only root may give a file away. */
	foreign_key = geteuid() == 0 && chown(path, NOBODY, NOBODY) == 0;
	if (!foreign_key)
		SKIP("not root: the key owner case (only root gives a file away)");
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static unsigned
load(const char *rel, struct vg_cfg *cfg, char **out)
{
	char path[PATH_MAX * 2];
	size_t len;
	FILE *err = open_memstream(out, &len);
	unsigned n;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	n = vg_cfg_load(path, cfg, err);
	fclose(err);
	return n;
}

static void
check_no_leak(const char *name, const char *out)
{
	unsigned i;

	for (i = 0; i < n_leaks; i++)
		CHECK(strcasestr(out, leaks[i]) == NULL,
		      "%s: key material '%s' in error output", name, leaks[i]);
}

/* Each "# expect: TEXT" in rel must match exactly one output line that
 * starts with "TMP/rel:LINE: " and contains TEXT.  Returns the count. */
static unsigned
check_markers(const char *rel, const char *out)
{
	char path[PATH_MAX * 2], line[512], prefix[PATH_MAX * 2 + 16];
	const char *p, *q, *hit;
	unsigned n = 0, lineno = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	f = fopen(path, "r");
	CHECK(f != NULL, "open %s", path);
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		p = strstr(line, "# expect: ");
		if (p == NULL)
			continue;
		p += 10;
		line[strcspn(line, "\n")] = '\0';
		n++;
		snprintf(prefix, sizeof(prefix), "%s:%u: ", path, lineno);
		hit = NULL;
		for (q = out; q != NULL && *q; q = strchr(q, '\n')) {
			q += *q == '\n';
			if (strncmp(q, prefix, strlen(prefix)) == 0 &&
			    strstr(q, p) != NULL &&
			    strstr(q, p) < q + strcspn(q, "\n"))
				hit = q;
		}
		CHECK(hit != NULL, "%s:%u: no error containing '%s' in:\n%s",
		      rel, lineno, p, out);
	}
	if (f != NULL)
		fclose(f);
	return n;
}

static unsigned
count_lines(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

struct bad_case {
	const char *conf;
	const char *also;	/* an included file that holds markers too */
};

static const struct bad_case bad_cases[] = {
	{ "bad_unknown_key.conf", NULL },
	{ "bad_type.conf", NULL },
	{ "bad_missing.conf", NULL },
	{ "bad_address.conf", NULL },
	{ "bad_mac.conf", NULL },
	{ "bad_range.conf", NULL },
	{ "bad_dup_names.conf", NULL },
	{ "bad_dup_flow.conf", NULL },
	{ "bad_rtcp_clash.conf", NULL },
	{ "bad_keys.conf", NULL },
	{ "bad_refs.conf", NULL },
	{ "bad_no_access.conf", NULL },
	{ "bad_no_backbone.conf", NULL },
	{ "bad_ssrc.conf", NULL },
	{ "bad_next_hop.conf", NULL },
	{ "bad_engine.conf", NULL },
	{ "bad_syntax.conf", NULL },
	{ "bad_route.conf", NULL },
	{ "bad_fanout.conf", NULL },
	{ "bad_include.conf", "communes/bad_commune.conf" },
	{ "bad_include_syntax.conf", "communes/bad_syntax_commune.conf" },
	{ "bad_include_dir.conf", "communes/include_dir_commune.conf" },
	{ "bad_include_loop.conf", NULL },
	{ "bad_gateway.conf", NULL },
	{ "bad_gateway_type.conf", NULL },
	{ "bad_ssrc_streams.conf", "communes/routes_ssrc.conf" },
};

/* Needs keys/foreign.key given away to NOBODY: run as root only. */
static const struct bad_case owner_case = { "bad_key_owner.conf", NULL };

static void
test_bad(const struct bad_case *bc)
{
	struct vg_cfg cfg;
	char *out = NULL;
	unsigned n, want;

	n = load(bc->conf, &cfg, &out);
	want = check_markers(bc->conf, out);
	if (bc->also != NULL)
		want += check_markers(bc->also, out);
	CHECK(want > 0, "%s has no expect marker", bc->conf);
	CHECK(n == want, "%s: %u errors, expected %u:\n%s", bc->conf, n,
	      want, out);
	CHECK(count_lines(out) == n, "%s: %u lines for %u errors", bc->conf,
	      count_lines(out), n);
	CHECK(cfg.cameras == NULL && cfg.n_ports == 0, "%s: not freed",
	      bc->conf);
	check_no_leak(bc->conf, out);
	free(out);
}

static uint32_t
ip(const char *s)
{
	struct in_addr a;

	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

static void
check_good_ports(const struct vg_cfg *cfg)
{
	const struct vg_cfg_port *p = cfg->ports;
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0xfe };

	CHECK(strcmp(cfg->engine, "libsrtp") == 0);
	CHECK(cfg->summary_interval == 0 && cfg->mbufs == 1023 &&
	      cfg->arp_retry_ms == 250);
	CHECK(cfg->roc_announce_ms == 1000, "roc_announce_ms default");
	CHECK(cfg->n_ports == 2);
	CHECK(strcmp(p[0].name, "acc-1") == 0);
	CHECK(strcmp(p[0].device, "0000:3b:00.0") == 0);
	CHECK(p[0].role == VG_ROLE_ACCESS && p[0].vlan == 100);
	CHECK(p[0].addr == ip("198.18.1.1") && p[0].prefix == 24);
	CHECK(p[0].gateway == 0);
	CHECK(strcmp(p[1].name, "bb.main") == 0);
	CHECK(strcmp(p[1].device, "net_af_packet1,iface=vg-bb") == 0);
	CHECK(p[1].role == VG_ROLE_BACKBONE && p[1].vlan == 0);
	CHECK(p[1].addr == ip("198.19.0.1") && p[1].prefix == 24);
	CHECK(p[1].gateway == ip("198.19.0.254"));
	CHECK(cfg->n_neighs == 1);
	CHECK(cfg->neighs[0].addr == ip("198.19.0.254"));
	CHECK(memcmp(cfg->neighs[0].mac, mac, 6) == 0);
}

static void
check_good_centers(const struct vg_cfg *cfg)
{
	const struct vg_cfg_center *c = cfg->centers;

	CHECK(cfg->n_centers == 2);
	CHECK(strcmp(c[0].name, "cso-nord") == 0);
	CHECK(c[0].addr == ip("198.19.0.2") && c[0].port == 1);
	CHECK(c[0].suite == VG_SUITE_AES_CM_128_HMAC_SHA1_80);
	CHECK(c[0].has_key && c[0].key.len == 30 && c[0].key.bytes[0] == 1 &&
	      c[0].key.bytes[29] == 30);
	CHECK(strcmp(c[1].name, "far") == 0 && c[1].port == 1);
	CHECK(c[1].suite == VG_SUITE_AEAD_AES_128_GCM && !c[1].has_key);
	/* On-link: the center itself; off-link: the port's gateway. */
	CHECK(vg_cfg_next_hop(cfg, &c[0]) == ip("198.19.0.2"));
	CHECK(vg_cfg_next_hop(cfg, &c[1]) == ip("198.19.0.254"));
}

static void
check_good_cam_ab(const struct vg_cfg_camera *k)
{
	CHECK(strcmp(k[0].name, "cam-a") == 0);
	CHECK(k[0].src_addr == ip("198.18.1.11") && k[0].src_port == 0);
	CHECK(k[0].rtp_port == 5004 && k[0].rtcp_port == 5005);
	CHECK(k[0].center == 0 && k[0].dst_port == 6004 &&
	      k[0].dst_rtcp_port == 6005);
	CHECK(k[0].ssrc == 0x10000001);
	CHECK(k[0].suite == VG_SUITE_AES_CM_128_HMAC_SHA1_80);
	CHECK(k[0].key.len == 30 && k[0].key.bytes[0] == 0x01);
	CHECK(k[0].payload_type == 96 && strcmp(k[0].codec, "H264") == 0);

	CHECK(strcmp(k[1].name, "cam-b") == 0);
	CHECK(k[1].src_addr == ip("198.18.1.11") && k[1].src_port == 40000);
	CHECK(k[1].rtp_port == 5006 && k[1].rtcp_port == 5006);
	CHECK(k[1].center == 1 && k[1].dst_port == 7000 &&
	      k[1].dst_rtcp_port == 7100);
	CHECK(k[1].ssrc == 0xFFFFFFFFu, "ssrc %08x", k[1].ssrc);
	CHECK(k[1].suite == VG_SUITE_AEAD_AES_256_GCM);
	CHECK(k[1].key.len == 44 && k[1].key.bytes[0] == 0x81);
	CHECK(k[1].payload_type == 100 && strcmp(k[1].codec, "H265") == 0);
}

static void
check_good_cameras(const struct vg_cfg *cfg)
{
	const struct vg_cfg_camera *k = cfg->cameras;

	CHECK(cfg->n_cameras == 6);
	if (cfg->n_cameras != 6)
		return;
	check_good_cam_ab(k);
	CHECK(k[2].center == 1 && k[2].suite == VG_SUITE_AEAD_AES_128_GCM);
	CHECK(k[2].key.len == 28 && k[2].key.bytes[0] == 0x51);
	CHECK(k[2].ssrc == 0x10000001);
	CHECK(k[3].ssrc == 0x7FFFFFFF && k[3].payload_type == 0);
	CHECK(k[4].ssrc == 0x80000000u, "ssrc %08x", k[4].ssrc);
	CHECK(k[5].ssrc == 4000000000u, "ssrc %u", k[5].ssrc);
}

/* good.conf sets no state_dir, max_pps or max_burst. */
static void
check_good_defaults(const struct vg_cfg *cfg)
{
	unsigned i;

	CHECK(strcmp(cfg->state_dir, "/var/lib/vigie") == 0, "%s",
	      cfg->state_dir);
	CHECK(cfg->max_pps == 10000 && cfg->max_burst == 4000);
	for (i = 0; i < cfg->n_cameras; i++)
		CHECK(cfg->cameras[i].max_pps == 10000 &&
		      cfg->cameras[i].max_burst == 4000, "camera %u: %u/%u", i,
		      cfg->cameras[i].max_pps, cfg->cameras[i].max_burst);
}

static void
test_good(void)
{
	struct vg_cfg cfg;
	char *out = NULL, cwd[PATH_MAX];
	size_t len;
	FILE *err;
	unsigned n;

	n = load("good.conf", &cfg, &out);
	CHECK(n == 0, "good.conf: %u errors:\n%s", n, out);
	free(out);
	if (n != 0)
		return;
	check_good_ports(&cfg);
	check_good_centers(&cfg);
	check_good_cameras(&cfg);
	check_good_defaults(&cfg);
	vg_cfg_free(&cfg);
	CHECK(cfg.cameras == NULL && cfg.n_cameras == 0);

	/* A bare file name: key paths relative to the working directory. */
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL && chdir(tmp) == 0);
	err = open_memstream(&out, &len);
	n = vg_cfg_load("good.conf", &cfg, err);
	fclose(err);
	CHECK(n == 0, "good.conf from its dir: %s", out);
	free(out);
	if (n == 0)
		vg_cfg_free(&cfg);
	CHECK(chdir(cwd) == 0);
}

/* Fan-out: one entry per destination, consecutive, the primary first. */
static void
test_good_fanout(void)
{
	struct vg_cfg cfg;
	const struct vg_cfg_camera *k;
	char *out = NULL;
	unsigned n = load("good_fanout.conf", &cfg, &out);

	CHECK(n == 0, "good_fanout.conf: %u errors:\n%s", n, out);
	free(out);
	if (n != 0)
		return;
	CHECK(cfg.n_cameras == 4, "3 destinations + 1 camera: %u", cfg.n_cameras);
	k = cfg.cameras;
	CHECK(k[0].primary == 0 && k[0].n_fan == 3 && k[1].primary == 0 &&
	      k[2].primary == 0 && k[3].primary == 3 && k[3].n_fan == 1);
	CHECK(strcmp(k[0].name, "mairie") == 0 && strcmp(k[2].name, "mairie") == 0 &&
	      strcmp(k[0].label, "mairie@commune") == 0 &&
	      strcmp(k[1].label, "mairie@region") == 0 &&
	      strcmp(k[3].label, "ecole") == 0, "labels");
	CHECK(k[1].src_addr == k[0].src_addr && k[1].rtp_port == 5004 &&
	      k[1].rtcp_port == 5005, "source fields shared");
	CHECK(k[0].center == 0 && k[0].dst_port == 6004 && k[0].dst_rtcp_port == 6005 &&
	      k[0].ssrc == 0x10000001 && k[0].suite == VG_SUITE_AES_CM_128_HMAC_SHA1_80 &&
	      k[0].key.len == 30 && k[0].key.bytes[0] == 0x01);
	CHECK(k[1].center == 1 && k[1].dst_port == 7004 && k[1].dst_rtcp_port == 7100 &&
	      k[1].suite == VG_SUITE_AEAD_AES_128_GCM && k[1].key.len == 28 &&
	      k[1].key.bytes[0] == 0x51, "the region's own suite and key");
	CHECK(k[2].center == 2 && k[2].suite == VG_SUITE_AES_CM_128_HMAC_SHA1_32 &&
	      k[2].key.bytes[0] == 0x21, "own suite, the police center's key");
	vg_cfg_free(&cfg);
}

/* The center role: routes only, no camera, no center. */
static void
test_good_route(void)
{
	struct vg_cfg cfg;
	const struct vg_cfg_route *r;
	char *out = NULL;
	unsigned n = load("good_route.conf", &cfg, &out);

	CHECK(n == 0, "good_route.conf: %u errors:\n%s", n, out);
	free(out);
	if (n != 0)
		return;
	CHECK(cfg.n_routes == 2 && cfg.n_cameras == 0 && cfg.n_centers == 0);
	r = &cfg.routes[0];
	CHECK(strcmp(r->name, "cam-01") == 0 && r->peer == htonl(0xc6130001) &&
	      r->peer_port == 0 && r->port == 6004 && r->rtcp_port == 6005 &&
	      r->ssrc == 0x10000001 && r->suite == VG_SUITE_AES_CM_128_HMAC_SHA1_80 &&
	      r->key.len == 30 && r->vms == htonl(0xc613c80a) &&
	      r->vms_port == 5004 && r->vms_rtcp_port == 5005 &&
	      r->in_port == 0 && r->out_port == 1, "defaults and resolution");
	r = &cfg.routes[1];
	CHECK(r->peer_port == 5006 && r->rtcp_port == 6100 &&
	      r->vms_rtcp_port == 5100 && r->suite == VG_SUITE_AEAD_AES_128_GCM &&
	      r->key.len == 28);
	CHECK(vg_cfg_hop_on(&cfg, 1, r->vms) == r->vms, "VMS on-link");
	vg_cfg_free(&cfg);
	CHECK(cfg.routes == NULL && cfg.n_routes == 0);
}

struct policer_case {
	const char *label;
	uint32_t pps, burst;
};

/* good_policy.conf: the gateway's defaults, a camera's overrides (both
 * bounds), a fan-out camera's values on each of its destinations. */
static const struct policer_case policer_cases[] = {
	{ "plain", 2000, 500 },
	{ "low", 1, 1000000 },
	{ "fan@cso", 10000000, 1 },
	{ "fan@cso", 10000000, 1 },
	{ "burst", 2000, 64 },
};

static void
test_policer(void)
{
	const unsigned n_cases = sizeof(policer_cases) /
				 sizeof(policer_cases[0]);
	struct vg_cfg cfg;
	char *out = NULL;
	unsigned i, n = load("good_policy.conf", &cfg, &out);

	CHECK(n == 0, "good_policy.conf: %u errors:\n%s", n, out);
	free(out);
	if (n != 0)
		return;
	CHECK(cfg.max_pps == 2000 && cfg.max_burst == 500);
	CHECK(cfg.n_cameras == n_cases, "%u entries", cfg.n_cameras);
	for (i = 0; i < n_cases && i < cfg.n_cameras; i++) {
		const struct policer_case *pc = &policer_cases[i];
		const struct vg_cfg_camera *k = &cfg.cameras[i];

		CHECK(strcmp(k->label, pc->label) == 0 &&
		      k->max_pps == pc->pps && k->max_burst == pc->burst,
		      "entry %u %s: %u/%u, want "
		      "%s %u/%u", i, k->label, k->max_pps, k->max_burst,
		      pc->label, pc->pps, pc->burst);
	}
	vg_cfg_free(&cfg);
}

struct state_case {
	const char *conf;
	const char *want;
	bool in_tmp;		/* want is relative to the test directory */
};

static const struct state_case state_cases[] = {
	{ "good.conf", "/var/lib/vigie", false },
	{ "good_policy.conf", "state", true },
	{ "good_state_include.conf", "communes/../var/state", true },
	{ "good_state_abs.conf", "/srv/vigie/state", false },
};

/* state_dir: its default, relative to the file that names it (an
 * included one too), absolute as it is. */
static void
test_state_dir(void)
{
	char *out = NULL, want[PATH_MAX * 2], cwd[PATH_MAX];
	struct vg_cfg cfg;
	unsigned i, n;
	size_t len;
	FILE *err;

	for (i = 0; i < sizeof(state_cases) / sizeof(state_cases[0]); i++) {
		const struct state_case *sc = &state_cases[i];

		n = load(sc->conf, &cfg, &out);
		CHECK(n == 0, "%s: %s", sc->conf, out);
		free(out);
		if (n != 0)
			continue;
		snprintf(want, sizeof(want), "%s%s%s", sc->in_tmp ? tmp : "",
			 sc->in_tmp ? "/" : "", sc->want);
		CHECK(strcmp(cfg.state_dir, want) == 0, "%s: '%s', want '%s'",
		      sc->conf, cfg.state_dir, want);
		vg_cfg_free(&cfg);
	}
	/* A bare file name: relative to the working directory, as keys. */
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL && chdir(tmp) == 0);
	err = open_memstream(&out, &len);
	n = vg_cfg_load("good_policy.conf", &cfg, err);
	fclose(err);
	CHECK(n == 0 && strcmp(cfg.state_dir, "state") == 0, "%s", out);
	free(out);
	if (n == 0)
		vg_cfg_free(&cfg);
	CHECK(chdir(cwd) == 0);
}

/* Write TMP/long.conf with this state_dir and load it. */
static unsigned
load_state_dir(const char *dir, struct vg_cfg *cfg, char **out)
{
	char *text = malloc(strlen(dir) + 128);
	unsigned n;

	sprintf(text, "@include \"base.conf\"\ngateway = { state_dir = "
		"\"%s\"; };\n", dir);
	write_file("long.conf", text, 0600);
	free(text);
	n = load("long.conf", cfg, out);
	if (n == 0)
		vg_cfg_free(cfg);
	return n;
}

/* The resolved path must fit PATH_MAX with its NUL: an absolute one, and
 * a relative one that is too long only once joined to the directory. */
static void
test_state_dir_length(void)
{
	size_t rel = PATH_MAX - 1 - strlen(tmp) - 1;	/* TMP/x...x fits */
	const struct { size_t len; bool abs; unsigned errors; } cases[] = {
		{ PATH_MAX - 1, true, 0 }, { PATH_MAX, true, 1 },
		{ rel, false, 0 }, { rel + 1, false, 1 },
	};
	char *dir = malloc(PATH_MAX + 1), *out = NULL, want[64];
	struct vg_cfg cfg;
	unsigned i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(dir, 'd', cases[i].len);
		dir[0] = cases[i].abs ? '/' : 'd';
		dir[cases[i].len] = '\0';
		n = load_state_dir(dir, &cfg, &out);
		snprintf(want, sizeof(want), "long.conf:2: state_dir: the path "
			 "is %d bytes long", PATH_MAX);
		CHECK(n == cases[i].errors && (n == 0 || strstr(out, want)),
		      "case %u: %u errors: %s", i, n, out);
		free(out);
	}
	free(dir);
}

/* A clash across files names the other file with its line. */
static void
test_ssrc_across_files(void)
{
	char *out = NULL, want[PATH_MAX * 3];
	struct vg_cfg cfg;

	load("bad_ssrc_streams.conf", &cfg, &out);
	snprintf(want, sizeof(want), "%s/communes/routes_ssrc.conf:3: route "
		 "'r10' uses SSRC 0x10000002 under the same master key as "
		 "camera 'cam-02' (%s/bad_ssrc_streams.conf:9); give it "
		 "another ssrc\n", tmp, tmp);
	CHECK(strstr(out, want) != NULL, "want:\n%s\nin:\n%s", want, out);
	free(out);
}

/* A region's worth of streams: 100,000 cameras (every tenth fanned out
 * to two destinations) and 20,000 routes under one key, one clash
 * planted at the very end.  Sorted checks take well under a second here;
 * a pairwise one would take minutes. */
#define SCALE_CAMS	100000u
#define SCALE_ROUTES	20000u

static void
write_scale(const char *path)
{
	FILE *f = fopen(path, "w");
	unsigned i;

	CHECK(f != NULL, "%s", path);
	if (f == NULL)
		return;
	fprintf(f, "@include \"base.conf\"\ncameras = (\n");
	for (i = 0; i < SCALE_CAMS; i++) {
		fprintf(f, "{ name = \"c%u\"; source = \"10.%u.%u.%u\"; "
			"port = 5004; ", i, 1 + i / 65536, i / 256 % 256,
			i % 256);
		if (i % 10 == 0)
			fprintf(f, "destinations = ( { center = \"cso\"; "
				"dest_port = 6004; ssrc = 0x%08X; }, { center "
				"= \"cso\"; dest_port = 6006; ssrc = 0x%08X; "
				"} ); }", i + 1, 0x40000000 + i);
		else
			fprintf(f, "center = \"cso\"; dest_port = 6004; "
				"ssrc = 0x%08X; }", i + 1);
		fprintf(f, "%s\n", i + 1 < SCALE_CAMS ? "," : "");
	}
	fprintf(f, ");\nunprotect = (\n");
	for (i = 0; i < SCALE_ROUTES; i++)
		fprintf(f, "{ name = \"r%u\"; source = \"198.19.0.%u\"; port "
			"= %u; ssrc = 0x%08X; suite = "
			"\"AES_CM_128_HMAC_SHA1_80\"; key_file = "
			"\"keys/cso.key\"; vms = \"198.18.1.10\"; vms_port = "
			"5004; }%s\n", i, 2 + i / 10000, 1024 + 2 * (i % 10000),
			i + 1 < SCALE_ROUTES ? 0x20000000 + i : 1,
			i + 1 < SCALE_ROUTES ? "," : "");
	fprintf(f, ");\n");
	fclose(f);
}

static void
test_scale(void)
{
	char *out = NULL, path[PATH_MAX * 2], want[128];
	struct timespec t0, t1;
	struct vg_cfg cfg;
	unsigned n;

	snprintf(path, sizeof(path), "%s/scale.conf", tmp);
	write_scale(path);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = load("scale.conf", &cfg, &out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	snprintf(want, sizeof(want), "scale.conf:%u: route 'r%u' uses SSRC "
		 "0x00000001 under the same master key as camera 'c0' (line 3)",
		 4 + SCALE_CAMS + SCALE_ROUTES, SCALE_ROUTES - 1);
	CHECK(n == 1 && strstr(out, want) != NULL, "%u errors:\n%.2000s", n,
	      out);
	free(out);
	fprintf(stderr, "test_cfg: %u cameras, %u routes loaded in %.2f s\n",
		SCALE_CAMS, SCALE_ROUTES, (double)(t1.tv_sec - t0.tv_sec) +
		(t1.tv_nsec - t0.tv_nsec) / 1e9);
	CHECK(t1.tv_sec - t0.tv_sec < 60, "took %ld s",
	      (long)(t1.tv_sec - t0.tv_sec));
	unlink(path);
}

static void
test_missing_file(void)
{
	struct vg_cfg cfg;
	char *out = NULL;

	CHECK(load("nope.conf", &cfg, &out) == 1);
	CHECK(strstr(out, "nope.conf: cannot read the file: No such file") !=
	      NULL, "%s", out);
	free(out);
}

static void
test_directory(void)
{
	struct vg_cfg cfg;
	char *out = NULL;

	CHECK(load("communes", &cfg, &out) == 1);
	CHECK(strstr(out, "communes: is a directory; give the configuration "
		     "file") != NULL, "%s", out);
	free(out);
}

/* A NUL inside a name: the text's length cannot come from strlen. */
#define NUL_CASE "@include \"ab\0cd\\\\e\""

struct scan_case {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *names;	/* "name@line|...", "!" after a lone \ */
};

/* @include as libconfig 1.5's scanner sees it: at a line's start, outside
 * comments and strings, \\ and \" unescaped, a lone \ dropped (and
 * flagged: "!" after the line), a plain run cut at a NUL (libconfig
 * appends it with strcat). */
static const struct scan_case scan_cases[] = {
	{ "@include \"a.conf\"\n", 0, "a.conf@1|" },
	{ " \t@include \t \"b\"\nx = 1;\n@include \"c\"", 0, "b@1|c@3|" },
	{ "x = 1; @include \"no\"\n", 0, "" },
	{ "@includex \"no\"\n@include\"no\"\n@include\n\"no\"\n", 0, "" },
	{ "/* @include \"no\"\n@include \"no\" */\n@include \"yes\"\n", 0,
	  "yes@3|" },
	{ "/**/@include \"no\"\n", 0, "" },
	{ "s = \"a\\\"\n@include \\\"no\\\"\n\";\n@include \"yes\"\n", 0,
	  "yes@4|" },
	{ "s = \"a\\\\\";\n@include \"yes\"\n", 0, "yes@2|" },
	{ "# @include \"no\"\n// /*\n@include \"yes\" # \"\n@include \"2\"", 0,
	  "yes@3|2@4|" },
	{ "@include \"a\\\\b\\\"c\\d\"\n", 0, "a\\b\"cd@1!|" },
	{ "@include \"x\ny\"\n@include \"z\"\n", 0, "x\ny@1|z@3|" },
	{ "@include \"abc", 0, "" },
	{ NUL_CASE, sizeof(NUL_CASE) - 1, "ab\\e@1|" },
	{ "", 0, "" },
};

static void
test_include_scan(void)
{
	char name[8], got[256];
	unsigned i, line;
	long n;

	for (i = 0; i < sizeof(scan_cases) / sizeof(scan_cases[0]); i++) {
		const struct scan_case *sc = &scan_cases[i];
		size_t len = sc->len ? sc->len : strlen(sc->text), o = 0;
		struct vg_cfg_scan s = { 0 };

		got[0] = '\0';
		while ((n = vg_cfg_include_next(sc->text, len, &s, name,
						sizeof(name), &line)) >= 0)
			o += (size_t)snprintf(got + o, sizeof(got) - o,
					      "%s@%u%s|", name, line,
					      s.lone ? "!" : "");
		CHECK(strcmp(got, sc->names) == 0, "case %u: got '%s', "
		      "want '%s'", i, got, sc->names);
		CHECK(s.pos == len, "case %u: stopped at %zu of %zu", i,
		      s.pos, len);
	}
	/* A name longer than the buffer: its length, the start kept. */
	{
		static const char t[] = "@include \"0123456789\"";
		struct vg_cfg_scan s = { 0 };

		n = vg_cfg_include_next(t, strlen(t), &s, name, sizeof(name),
					&line);
		CHECK(n == 10 && strcmp(name, "0123456") == 0, "%ld %s", n,
		      name);
	}
}

/* The shipped configs must pass, given key files of the right lengths. */
static void
test_shipped(void)
{
	static const char *const confs[] = {
		"shipped/vigie.conf", "shipped/example-region.conf",
		"shipped/example-center.conf",
	};
	struct vg_cfg cfg;
	char *out = NULL;
	unsigned i, n;

	copy_tree("../../config", "shipped");
	write_key("shipped/keys/cso-nord.key", 0x11, 30, 0600);
	write_key("shipped/keys/csu-region.key", 0x31, 28, 0600);
	write_key("shipped/keys/cso-departement.key", 0x41, 30, 0600);
	write_key("shipped/keys/csu-agglo.key", 0x61, 28, 0600);
	write_key("shipped/keys/pm-saint-aubin.key", 0x71, 44, 0600);
	for (i = 0; i < 3; i++) {
		n = load(confs[i], &cfg, &out);
		CHECK(n == 0, "%s: %u errors:\n%s", confs[i], n, out);
		free(out);
		if (n == 0)
			vg_cfg_free(&cfg);
	}
	n = load("shipped/example-region.conf", &cfg, &out);
	/* 8 cameras, one of them fanned out to two centers. */
	CHECK(n == 0 && cfg.n_cameras == 9 && cfg.n_centers == 3 &&
	      cfg.cameras[0].n_fan == 2);
	free(out);
	if (n == 0)
		vg_cfg_free(&cfg);
	n = load("shipped/example-center.conf", &cfg, &out);
	CHECK(n == 0 && cfg.n_routes == 2 && cfg.n_cameras == 0);
	free(out);
	if (n == 0)
		vg_cfg_free(&cfg);
}

int
main(void)
{
	unsigned i;

	setup();
	VG_RUN(test_good);
	VG_RUN(test_good_route);
	VG_RUN(test_good_fanout);
	VG_RUN(test_policer);
	VG_RUN(test_state_dir);
	VG_RUN(test_state_dir_length);
	VG_RUN(test_ssrc_across_files);
	VG_RUN(test_scale);
	VG_RUN(test_missing_file);
	VG_RUN(test_directory);
	VG_RUN(test_include_scan);
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
		VG_RUN(test_bad, &bad_cases[i]);
	if (foreign_key)
		VG_RUN(test_bad, &owner_case);
	VG_RUN(test_shipped);
	nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	VG_TEST_END();
}
