/* SPDX-License-Identifier: BSD-3-Clause */
/* SDP descriptions: the exact text for known streams (the bytes a client
 * reads), the a=crypto line parsed back to the key, and the 0600 files;
 * the VMS leg of `unprotect` routes: plain RTP/AVP, no key, 0644 files.
 * The config and key files are written into a mkdtemp dir at run time
 * because git does not keep a key file's 0600 mode. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "harness.h"
#include "sdp.h"

static char tmp[] = "/tmp/vg-test-sdp-XXXXXX";

/* bytes 0..29 and 0x40..0x6b in base64 */
#define KEY30 "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"
#define KEY44 "QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpams="

static const char conf[] =
	"ports = (\n"
	"  { name = \"access\"; device = \"net_af_packet0,iface=a\";\n"
	"    role = \"access\"; address = \"198.18.1.1/24\"; },\n"
	"  { name = \"backbone\"; device = \"net_af_packet1,iface=b\";\n"
	"    role = \"backbone\"; address = \"198.19.0.1/24\"; }\n"
	");\n"
	"centers = (\n"
	"  { name = \"cso\"; address = \"198.19.0.2\";\n"
	"    suite = \"AES_CM_128_HMAC_SHA1_80\"; key_file = \"k30.key\"; },\n"
	"  { name = \"csu\"; address = \"198.19.0.3\";\n"
	"    suite = \"AEAD_AES_256_GCM\"; key_file = \"k44.key\"; }\n"
	");\n"
	"cameras = (\n"
	"  { name = \"cam-01\"; source = \"198.18.1.11\"; port = 5004;\n"
	"    center = \"cso\"; dest_port = 6004; ssrc = 0x10000001; },\n"
	"  { name = \"cam-02\"; source = \"198.18.1.12\"; port = 5004;\n"
	"    center = \"csu\"; dest_port = 7000; dest_rtcp_port = 7100;\n"
	"    ssrc = 0xFFFFFFFF; payload_type = 98; codec = \"H265\"; },\n"
	"  { name = \"cam-03\"; source = \"198.18.1.13\"; port = 5004;\n"
	"    center = \"cso\"; dest_port = 6010; ssrc = 7; }\n"
	");\n"
	"unprotect = (\n"
	"  { name = \"r-01\"; source = \"198.19.0.2\"; port = 6004;\n"
	"    ssrc = 0x20000001; suite = \"AES_CM_128_HMAC_SHA1_80\";\n"
	"    key_file = \"k30.key\"; vms = \"198.18.1.50\"; vms_port = 5004; },\n"
	"  { name = \"r-02\"; source = \"198.19.0.3\"; port = 7000;\n"
	"    ssrc = 0x20000002; suite = \"AEAD_AES_256_GCM\";\n"
	"    key_file = \"k44.key\"; vms = \"198.18.1.51\"; vms_port = 5010;\n"
	"    vms_rtcp_port = 5020; }\n"
	");\n";

/* The VMS leg: c= the center gateway's access address (where the RTP
 * comes from and the VMS's RTCP goes), the defaults 96 H264. */
static const char want_r01[] =
	"v=0\r\n"
	"o=- 536870913 1 IN IP4 198.18.1.1\r\n"
	"s=vigie r-01\r\n"
	"c=IN IP4 198.18.1.1\r\n"
	"t=0 0\r\n"
	"m=video 5004 RTP/AVP 96\r\n"
	"a=rtpmap:96 H264/90000\r\n"
	"a=fmtp:96 packetization-mode=1\r\n"
	"a=recvonly\r\n";

static const char want_r02[] =
	"v=0\r\n"
	"o=- 536870914 1 IN IP4 198.18.1.1\r\n"
	"s=vigie r-02\r\n"
	"c=IN IP4 198.18.1.1\r\n"
	"t=0 0\r\n"
	"m=video 5010 RTP/AVP 96\r\n"
	"a=rtpmap:96 H264/90000\r\n"
	"a=fmtp:96 packetization-mode=1\r\n"
	"a=rtcp:5020\r\n"
	"a=recvonly\r\n";

static const char want_cam01[] =
	"v=0\r\n"
	"o=- 268435457 1 IN IP4 198.19.0.2\r\n"
	"s=vigie cam-01\r\n"
	"c=IN IP4 198.19.0.2\r\n"
	"t=0 0\r\n"
	"m=video 6004 RTP/SAVP 96\r\n"
	"a=rtpmap:96 H264/90000\r\n"
	"a=fmtp:96 packetization-mode=1\r\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" KEY30 "\r\n"
	"a=recvonly\r\n";

static const char want_cam02[] =
	"v=0\r\n"
	"o=- 4294967295 1 IN IP4 198.19.0.3\r\n"
	"s=vigie cam-02\r\n"
	"c=IN IP4 198.19.0.3\r\n"
	"t=0 0\r\n"
	"m=video 7000 RTP/SAVP 98\r\n"
	"a=rtpmap:98 H265/90000\r\n"
	"a=rtcp:7100\r\n"
	"a=crypto:1 AEAD_AES_256_GCM inline:" KEY44 "\r\n"
	"a=recvonly\r\n";

static void
write_file(const char *name, const char *text, mode_t mode)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmp, name);
	f = fopen(path, "w");
	CHECK(f != NULL, "%s", path);
	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
	CHECK(chmod(path, mode) == 0, "%s", path);
}

static int
load(struct vg_cfg *cfg)
{
	char path[128];

	write_file("k30.key", "inline:" KEY30 "\n", 0600);
	write_file("k44.key", "inline:" KEY44 "\n", 0600);
	write_file("sdp.conf", conf, 0644);
	snprintf(path, sizeof(path), "%s/sdp.conf", tmp);
	return vg_cfg_load(path, cfg, stderr) == 0 ? 0 : -1;
}

static void
test_streams(const struct vg_cfg *cfg)
{
	struct vg_sdp_stream st[2];

	CHECK(vg_sdp_center(cfg, "cso") == 0 && vg_sdp_center(cfg, "csu") == 1);
	CHECK(vg_sdp_center(cfg, "CSO") == -1 && vg_sdp_center(cfg, "") == -1);
	CHECK(vg_sdp_streams(cfg, 0, NULL, 0) == 2);
	CHECK(vg_sdp_streams(cfg, 1, NULL, 0) == 1);
	CHECK(vg_sdp_streams(cfg, 2, st, 2) == 0);
	/* max 1: the count is still 2, only st[0] is written. */
	memset(st, 0xee, sizeof(st));
	CHECK(vg_sdp_streams(cfg, 0, st, 1) == 2);
	CHECK(strcmp(st[0].name, "cam-01") == 0 && st[1].name[0] == (char)0xee);
	CHECK(vg_sdp_streams(cfg, 0, st, 2) == 2);
	CHECK(strcmp(st[1].name, "cam-03") == 0 && st[1].port == 6010 &&
	      st[1].rtcp_port == 6011 && st[1].ssrc == 7 &&
	      st[1].addr == htonl(0xc6130002) && st[1].key.len == 30);
	vg_sdp_wipe(st, 2);
	CHECK(st[0].key.len == 0 && st[1].key.len == 0 &&
	      st[0].key.bytes[0] == 0 && st[1].key.bytes[29] == 0);
}

/* A camera with two destinations at one center (fan-out): one file each,
 * told apart by port; its stream to another center keeps the plain name. */
static void
test_fanout_names(const struct vg_cfg *loaded)
{
	struct vg_cfg_camera cams[4];
	struct vg_cfg cfg = *loaded;
	struct vg_sdp_stream st[3];
	static const struct { const char *name; unsigned center, port; } e[] = {
		{ "mairie", 0, 6004 }, { "mairie", 1, 7004 },
		{ "mairie", 0, 6104 }, { "ecole", 0, 6006 },
	};

	for (unsigned i = 0; i < 4; i++) {
		cams[i] = loaded->cameras[0];
		snprintf(cams[i].name, sizeof(cams[i].name), "%s", e[i].name);
		cams[i].center = e[i].center;
		cams[i].dst_port = (uint16_t)e[i].port;
		cams[i].dst_rtcp_port = (uint16_t)(e[i].port + 1);
	}
	cfg.cameras = cams;
	cfg.n_cameras = 4;
	CHECK(vg_sdp_streams(&cfg, 0, st, 3) == 3);
	CHECK(strcmp(st[0].name, "mairie@6004") == 0, "%s", st[0].name);
	CHECK(strcmp(st[1].name, "mairie@6104") == 0, "%s", st[1].name);
	CHECK(strcmp(st[2].name, "ecole") == 0, "%s", st[2].name);
	vg_sdp_wipe(st, 3);
	CHECK(vg_sdp_streams(&cfg, 1, st, 3) == 1);
	CHECK(strcmp(st[0].name, "mairie") == 0 && st[0].port == 7004);
	vg_sdp_wipe(st, 1);
	for (unsigned i = 0; i < 4; i++)
		vg_key_wipe(&cams[i].key);
}

/* The exact bytes for a config-made stream: H.264 and H.265, a=rtcp. */
static void
test_text(const struct vg_cfg *cfg)
{
	struct vg_sdp_stream st[2];
	char buf[VG_SDP_TEXT_MAX];
	int n;

	vg_sdp_streams(cfg, 0, st, 1);
	n = vg_sdp_format(&st[0], buf, sizeof(buf));
	CHECK(n == (int)strlen(want_cam01) && strcmp(buf, want_cam01) == 0,
	      "got:\n%s", buf);
	vg_sdp_streams(cfg, 1, st, 1);
	n = vg_sdp_format(&st[0], buf, sizeof(buf));
	CHECK(n == (int)strlen(want_cam02) && strcmp(buf, want_cam02) == 0,
	      "got:\n%s", buf);
	/* RFC 5761 muxing on the center side. */
	st[0].rtcp_port = st[0].port;
	CHECK(vg_sdp_format(&st[0], buf, sizeof(buf)) > 0);
	CHECK(strstr(buf, "\r\na=rtcp-mux\r\n") != NULL &&
	      strstr(buf, "a=rtcp:") == NULL, "%s", buf);
	vg_sdp_wipe(st, 1);
}

/* a=crypto parsed back as a receiver does: tag, suite name, key-params. */
static void
test_crypto_round_trip(const struct vg_cfg *cfg)
{
	struct vg_sdp_stream st;
	struct vg_master_key back;
	char buf[VG_SDP_TEXT_MAX], suite[40], params[80], err[128];
	enum vg_suite s;
	const char *p;
	unsigned tag;

	for (unsigned c = 0; c < cfg->n_centers; c++) {
		vg_sdp_streams(cfg, c, &st, 1);
		CHECK(vg_sdp_format(&st, buf, sizeof(buf)) > 0);
		p = strstr(buf, "\r\na=crypto:");
		CHECK(p != NULL && strstr(p + 1, "a=crypto:") == p + 2);
		if (p == NULL)
			continue;
		CHECK(sscanf(p + 2, "a=crypto:%u %39s %79[^\r\n]", &tag, suite,
			     params) == 3);
		CHECK(tag == 1);
		CHECK(vg_suite_from_name(suite, &s) == 0 && s == st.suite,
		      "%s", suite);
		CHECK(vg_sdes_parse(params, &back, err, sizeof(err)) == 0, "%s",
		      err);
		CHECK(back.len == st.key.len &&
		      memcmp(back.bytes, st.key.bytes, back.len) == 0);
		vg_key_wipe(&back);
		vg_sdp_wipe(&st, 1);
	}
}

static void
test_format_errors(const struct vg_cfg *cfg)
{
	struct vg_sdp_stream st, bad;
	char buf[VG_SDP_TEXT_MAX];
	unsigned i, nonzero = 0;

	vg_sdp_streams(cfg, 0, &st, 1);
	/* Too small by one byte: nothing of the key is left behind. */
	memset(buf, 'x', sizeof(buf));
	CHECK(vg_sdp_format(&st, buf, strlen(want_cam01)) == -ENOSPC);
	for (i = 0; i < strlen(want_cam01); i++)
		nonzero |= (unsigned char)buf[i];
	CHECK(nonzero == 0);
	CHECK(vg_sdp_format(&st, buf, strlen(want_cam01) + 1) > 0);
	bad = st;
	snprintf(bad.codec, sizeof(bad.codec), "VP8");
	CHECK(vg_sdp_format(&bad, buf, sizeof(buf)) == -EINVAL);
	bad = st;
	bad.key.len = 28;		/* a GCM-128 length for an AES-CM suite */
	CHECK(vg_sdp_format(&bad, buf, sizeof(buf)) == -EINVAL);
	bad = st;
	bad.suite = VG_SUITE_COUNT;
	CHECK(vg_sdp_format(&bad, buf, sizeof(buf)) == -EINVAL);
	bad = st;
	bad.payload_type = 128;
	CHECK(vg_sdp_format(&bad, buf, sizeof(buf)) == -EINVAL);
	/* The longest describable stream fits in VG_SDP_TEXT_MAX. */
	bad = st;
	memset(bad.name, 'n', sizeof(bad.name) - 1);
	bad.name[sizeof(bad.name) - 1] = '\0';
	bad.addr = 0xffffffff;
	bad.port = 65535;
	bad.rtcp_port = 65533;
	bad.payload_type = 127;
	bad.ssrc = 0xffffffff;
	bad.suite = VG_SUITE_AEAD_AES_256_GCM;
	bad.key.len = 44;
	CHECK(vg_sdp_format(&bad, buf, sizeof(buf)) > 0);
	vg_sdp_wipe(&bad, 1);
	vg_sdp_wipe(&st, 1);
}

static unsigned
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned n = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.';	/* temporaries start with '.' too */
	closedir(d);
	return n;
}

static void
read_back(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f != NULL) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/* Files are 0600 whatever the umask and whatever was there before. */
static void
test_write(const struct vg_cfg *cfg)
{
	struct vg_sdp_stream st[2];
	char out[128], path[512], buf[VG_SDP_TEXT_MAX], err[512];
	struct stat sb;
	mode_t old = umask(0);

	snprintf(out, sizeof(out), "%s/out", tmp);
	CHECK(mkdir(out, 0700) == 0);
	vg_sdp_streams(cfg, 0, st, 2);
	write_file("out/cam-01.sdp", "old text\n", 0644);
	write_file("target", "not to be touched\n", 0644);
	snprintf(path, sizeof(path), "%s/out/cam-03.sdp", tmp);
	CHECK(symlink("../target", path) == 0);
	for (unsigned i = 0; i < 2; i++) {
		CHECK(vg_sdp_write(out, &st[i], err, sizeof(err)) == 0, "%s",
		      err);
		snprintf(path, sizeof(path), "%s/%s.sdp", out, st[i].name);
		CHECK(lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
		      (sb.st_mode & 07777) == 0600, "%s: mode %o", path,
		      (unsigned)sb.st_mode);
	}
	snprintf(path, sizeof(path), "%s/out/cam-01.sdp", tmp);
	read_back(path, buf, sizeof(buf));
	CHECK(strcmp(buf, want_cam01) == 0, "%s", buf);
	snprintf(path, sizeof(path), "%s/target", tmp);
	read_back(path, buf, sizeof(buf));
	CHECK(strcmp(buf, "not to be touched\n") == 0);
	CHECK(entries(out) == 2);
	umask(old);
	/* Errors name the file, never the key. */
	snprintf(path, sizeof(path), "%s/missing", tmp);
	CHECK(vg_sdp_write(path, &st[0], err, sizeof(err)) == -ENOENT);
	CHECK(strstr(err, "/missing/cam-01.sdp: cannot create a file in ") !=
	      NULL && strstr(err, "No such file") != NULL, "%s", err);
	CHECK(strstr(err, "AAECAwQF") == NULL);
	snprintf(st[1].name, sizeof(st[1].name), "../x");
	CHECK(vg_sdp_write(out, &st[1], err, sizeof(err)) == -EINVAL);
	vg_sdp_wipe(st, 2);
}

static void
test_check_dir(void)
{
	char path[128], err[512];
	unsigned others = 9;

	snprintf(path, sizeof(path), "%s/out", tmp);
	CHECK(chmod(path, 0700) == 0);
	CHECK(vg_sdp_check_dir(path, &others, err, sizeof(err)) == 0 &&
	      others == 0);
	CHECK(chmod(path, 0755) == 0);
	CHECK(vg_sdp_check_dir(path, &others, err, sizeof(err)) == 0 &&
	      others == 05);
	snprintf(path, sizeof(path), "%s/target", tmp);
	CHECK(vg_sdp_check_dir(path, &others, err, sizeof(err)) == -ENOTDIR);
	CHECK(strstr(err, "target: not a directory") != NULL, "%s", err);
	snprintf(path, sizeof(path), "%s/none", tmp);
	CHECK(vg_sdp_check_dir(path, &others, err, sizeof(err)) == -ENOENT);
	CHECK(strstr(err, "none: no such directory (create it first: "
		      "mkdir -m 700 ") != NULL, "%s", err);
}

/* The routes as their VMS receives them, in config order, and no key
 * copied: a plain stream has nothing to wipe. */
static void
test_routes(const struct vg_cfg *loaded)
{
	struct vg_sdp_stream st[2];
	struct vg_cfg cfg = *loaded;
	uint8_t zero[VG_MASTER_MAX] = { 0 };

	CHECK(vg_sdp_routes(loaded, NULL, 0) == 2);
	memset(st, 0xee, sizeof(st));
	CHECK(vg_sdp_routes(loaded, st, 1) == 2);
	CHECK(strcmp(st[0].name, "r-01") == 0 && st[1].name[0] == (char)0xee);
	CHECK(vg_sdp_routes(loaded, st, 2) == 2);
	CHECK(strcmp(st[1].name, "r-02") == 0 && st[1].plain &&
	      st[1].addr == htonl(0xc6120101) && st[1].port == 5010 &&
	      st[1].rtcp_port == 5020 && st[1].ssrc == 0x20000002 &&
	      st[1].payload_type == 96 && strcmp(st[1].codec, "H264") == 0);
	CHECK(st[0].rtcp_port == 5005);
	for (unsigned i = 0; i < 2; i++)
		CHECK(st[i].key.len == 0 &&
		      memcmp(st[i].key.bytes, zero, sizeof(zero)) == 0);
	cfg.n_routes = 0;
	CHECK(vg_sdp_routes(&cfg, st, 2) == 0);
}

/* The exact bytes; RTP/AVP, no crypto line and no key in any form. */
static void
test_route_text(const struct vg_cfg *cfg)
{
	struct vg_sdp_stream st[2];
	char buf[VG_SDP_TEXT_MAX];
	int n;

	vg_sdp_routes(cfg, st, 2);
	n = vg_sdp_format(&st[0], buf, sizeof(buf));
	CHECK(n == (int)strlen(want_r01) && strcmp(buf, want_r01) == 0,
	      "got:\n%s", buf);
	CHECK(strstr(buf, "crypto") == NULL && strstr(buf, "SAVP") == NULL &&
	      strstr(buf, "inline:") == NULL && strstr(buf, "a=rtcp") == NULL,
	      "%s", buf);
	n = vg_sdp_format(&st[1], buf, sizeof(buf));
	CHECK(n == (int)strlen(want_r02) && strcmp(buf, want_r02) == 0,
	      "got:\n%s", buf);
	CHECK(strstr(buf, "\r\na=rtcp:5020\r\n") != NULL &&
	      strstr(buf, "crypto") == NULL, "%s", buf);
	/* Even with a suite and key left in the struct, plain says none. */
	st[1].suite = VG_SUITE_AEAD_AES_256_GCM;
	st[1].key = cfg->routes[1].key;
	CHECK(vg_sdp_format(&st[1], buf, sizeof(buf)) == n &&
	      strcmp(buf, want_r02) == 0 && strstr(buf, KEY44) == NULL);
	vg_sdp_wipe(&st[1], 1);
	/* RFC 5761 muxing toward the VMS; an unknown codec is refused. */
	st[0].rtcp_port = st[0].port;
	CHECK(vg_sdp_format(&st[0], buf, sizeof(buf)) > 0 &&
	      strstr(buf, "\r\na=rtcp-mux\r\n") != NULL);
	snprintf(st[0].codec, sizeof(st[0].codec), "VP8");
	CHECK(vg_sdp_format(&st[0], buf, sizeof(buf)) == -EINVAL);
	CHECK(vg_sdp_format(&st[1], buf, strlen(want_r02)) == -ENOSPC);
}

/* VMS-leg files are 0644 whatever the umask (no key; the VMS may run as
 * another user), written by the same rename as the 0600 ones. */
static void
test_route_write(const struct vg_cfg *cfg)
{
	struct vg_sdp_stream st[2];
	char out[128], path[512], buf[VG_SDP_TEXT_MAX], err[512];
	struct stat sb;
	mode_t old = umask(077);

	snprintf(out, sizeof(out), "%s/vms", tmp);
	CHECK(mkdir(out, 0700) == 0);
	vg_sdp_routes(cfg, st, 2);
	write_file("vms/r-02.sdp", "old text\n", 0600);
	for (unsigned i = 0; i < 2; i++) {
		CHECK(vg_sdp_write(out, &st[i], err, sizeof(err)) == 0, "%s",
		      err);
		snprintf(path, sizeof(path), "%s/%s.sdp", out, st[i].name);
		CHECK(lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
		      (sb.st_mode & 07777) == 0644, "%s: mode %o", path,
		      (unsigned)sb.st_mode);
	}
	umask(old);
	snprintf(path, sizeof(path), "%s/r-01.sdp", out);
	read_back(path, buf, sizeof(buf));
	CHECK(strcmp(buf, want_r01) == 0, "%s", buf);
	snprintf(path, sizeof(path), "%s/r-02.sdp", out);
	read_back(path, buf, sizeof(buf));
	CHECK(strcmp(buf, want_r02) == 0, "%s", buf);
	CHECK(entries(out) == 2);
}

static void
cleanup(void)
{
	static const char *const files[] = {
		"vms/r-01.sdp", "vms/r-02.sdp", "vms",
		"out/cam-01.sdp", "out/cam-03.sdp", "out", "target",
		"sdp.conf", "k30.key", "k44.key", "",
	};
	char path[128];

	for (unsigned i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmp, files[i]);
		if (unlink(path) != 0)
			rmdir(path);
	}
}

int
main(void)
{
	struct vg_cfg cfg;

	CHECK(mkdtemp(tmp) != NULL);
	if (load(&cfg) != 0) {
		CHECK(!"config loads");
		cleanup();
		VG_TEST_END();
	}
	VG_RUN(test_streams, &cfg);
	VG_RUN(test_fanout_names, &cfg);
	VG_RUN(test_text, &cfg);
	VG_RUN(test_crypto_round_trip, &cfg);
	VG_RUN(test_format_errors, &cfg);
	VG_RUN(test_write, &cfg);
	VG_RUN(test_check_dir);
	VG_RUN(test_routes, &cfg);
	VG_RUN(test_route_text, &cfg);
	VG_RUN(test_route_write, &cfg);
	vg_cfg_free(&cfg);
	cleanup();
	VG_TEST_END();
}
