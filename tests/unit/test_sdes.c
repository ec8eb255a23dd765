/* SPDX-License-Identifier: BSD-3-Clause */
/* SDES keys, key files and the suite table. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "sdes.h"
#include "suite.h"

/* RFC 4568 §6.1 example key-params (30 bytes, lifetime and MKI). */
#define RFC4568_KEY "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"

struct parse_case {
	const char *text;
	int rc;			/* expected return */
	unsigned len;		/* decoded length when rc == 0 */
};

static const struct parse_case parse_cases[] = {
	{ "inline:" RFC4568_KEY, 0, 30 },
	{ "inline:" RFC4568_KEY "|2^20|1:32", 0, 30 },
	{ "inline:" RFC4568_KEY "|2^31", 0, 30 },
	{ "inline:" RFC4568_KEY "|1:4", 0, 30 },
	{ "inline:" RFC4568_KEY "|1048576", 0, 30 },
	{ "  inline:" RFC4568_KEY " \r\n", 0, 30 },
	{ "inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==", 0, 28 },
	{ "inline:QQ==", 0, 1 },
	{ "inline:QUI=", 0, 2 },
	/* bad base64 */
	{ "inline:", -1, 0 },
	{ "inline:abc", -1, 0 },
	{ "inline:ab=c", -1, 0 },
	{ "inline:a===", -1, 0 },
	{ "inline:****", -1, 0 },
	{ "inline:QR==", -1, 0 },	/* bits set under the padding */
	{ "inline:PS1u QCVe", -1, 0 },
	/* 48 bytes: longer than any suite's key + salt */
	{ "inline:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	  "AAAA", -1, 0 },
	/* wrong prefix */
	{ RFC4568_KEY, -1, 0 },
	{ "INLINE:" RFC4568_KEY, -1, 0 },
	{ "crypto:" RFC4568_KEY, -1, 0 },
	/* bad lifetime / MKI */
	{ "inline:" RFC4568_KEY "|", -1, 0 },
	{ "inline:" RFC4568_KEY "|2^", -1, 0 },
	{ "inline:" RFC4568_KEY "|x", -1, 0 },
	{ "inline:" RFC4568_KEY "|1:", -1, 0 },
	{ "inline:" RFC4568_KEY "|:4", -1, 0 },
	{ "inline:" RFC4568_KEY "|1:4|2^31", -1, 0 },	/* MKI first */
	{ "inline:" RFC4568_KEY "|2^31|2^20", -1, 0 },
	{ "inline:" RFC4568_KEY "|1:4|2:4", -1, 0 },
	{ "inline:" RFC4568_KEY "x", -1, 0 },
};

static void
test_parse(void)
{
	struct vg_master_key k;
	char err[256];
	unsigned i;
	int rc;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *pc = &parse_cases[i];

		err[0] = '\0';
		rc = vg_sdes_parse(pc->text, &k, err, sizeof(err));
		CHECK(rc == pc->rc, "case %u '%s': rc %d", i, pc->text, rc);
		if (rc == 0)
			CHECK(k.len == pc->len, "case %u: len %u", i, k.len);
		else
			CHECK(err[0] != '\0' && k.len == 0, "case %u", i);
		/* No message ever echoes the key text. */
		CHECK(strstr(err, "PS1uQCVe") == NULL, "case %u: %s", i, err);
	}
	CHECK(vg_sdes_parse("inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGw==",
			    &k, err, sizeof(err)) == 0);
	for (i = 0; i < 28; i++)
		CHECK(k.bytes[i] == i, "byte %u", i);
}

static void
test_round_trip(void)
{
	static const unsigned lens[] = { 1, 2, 3, 28, 30, 44 };
	struct vg_master_key k, back;
	char buf[80], err[128];
	unsigned i, j;

	srand(4568);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		k.len = (uint8_t)lens[i];
		for (j = 0; j < k.len; j++)
			k.bytes[j] = (uint8_t)rand();
		CHECK(vg_sdes_format(&k, buf, sizeof(buf)) == 0);
		CHECK(strncmp(buf, "inline:", 7) == 0);
		CHECK(strlen(buf) == 7 + (k.len + 2u) / 3u * 4u, "%s", buf);
		CHECK(vg_sdes_parse(buf, &back, err, sizeof(err)) == 0,
		      "%s: %s", buf, err);
		CHECK(back.len == k.len &&
		      memcmp(back.bytes, k.bytes, k.len) == 0, "len %u", k.len);
	}
	k.len = 30;
	CHECK(vg_sdes_format(&k, buf, 47) == -1);	/* needs 7 + 40 + 1 */
	CHECK(vg_sdes_format(&k, buf, 48) == 0);
	vg_key_wipe(&k);
	for (j = 0, i = 0; j < sizeof(k.bytes); j++)
		i |= k.bytes[j];
	CHECK(i == 0 && k.len == 0);
}

static char dir[] = "/tmp/vg-test-sdes-XXXXXX";

static void
make_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL, "%s", path);
	if (f == NULL)
		return;
	fputs(text, f);
	fclose(f);
	CHECK(chmod(path, mode) == 0);
}

struct file_case {
	const char *text;
	mode_t mode;
	int rc;
	const char *msg;	/* expected in err ("%s" = the path) */
};

static const struct file_case file_cases[] = {
	{ "inline:" RFC4568_KEY "\n", 0600, 0, NULL },
	{ "inline:" RFC4568_KEY "\n", 0400, 0, NULL },
	{ "# cso-nord, 2024-05\n\n  inline:" RFC4568_KEY "|2^31\r\n\n",
	  0600, 0, NULL },
	{ "inline:" RFC4568_KEY "\n", 0644,
	  -1, "%s: mode 0644 lets group/others read the key; "
	  "run: chmod 600 %s" },
	{ "inline:" RFC4568_KEY "\n", 0640,
	  -1, "%s: mode 0640 lets group/others read the key" },
	{ "inline:" RFC4568_KEY "\n", 0620,
	  -1, "%s: mode 0620 lets group/others write the key" },
	/* A bit for others alone is refused too: the mask is 077. */
	{ "inline:" RFC4568_KEY "\n", 0604,
	  -1, "%s: mode 0604 lets group/others read the key; "
	  "run: chmod 600 %s" },
	{ "inline:" RFC4568_KEY "\n", 0602,
	  -1, "%s: mode 0602 lets group/others write the key" },
	{ "inline:" RFC4568_KEY "\ninline:" RFC4568_KEY "\n", 0600,
	  -1, "%s: holds more than one key line" },
	{ "# empty\n\n", 0600, -1, "%s: holds no 'inline:' key line" },
	{ "inline:" RFC4568_KEY "|zz\n", 0600,
	  -1, "%s: bad lifetime or MKI" },
	{ RFC4568_KEY "\n", 0600, -1, "%s: expected a line 'inline:BASE64'" },
};

static void
test_file_case(unsigned i, const struct file_case *fc)
{
	struct vg_master_key k;
	char path[64], err[512], want[256];
	int rc;

	snprintf(path, sizeof(path), "%s/k%u.key", dir, i);
	make_file(path, fc->text, fc->mode);
	err[0] = '\0';
	rc = vg_keyfile_load(path, &k, err, sizeof(err));
	CHECK(rc == fc->rc, "file case %u: rc %d (%s)", i, rc, err);
	if (fc->rc == 0) {
		CHECK(k.len == 30, "file case %u", i);
	} else {
		snprintf(want, sizeof(want), fc->msg, path, path);
		CHECK(strstr(err, want) != NULL, "file case %u: '%s'", i, err);
	}
	CHECK(strstr(err, "PS1uQCVe") == NULL, "file case %u: %s", i, err);
	unlink(path);
}

static void
test_keyfile(void)
{
	struct vg_master_key k;
	char path[64], err[256];
	unsigned i;

	CHECK(mkdtemp(dir) != NULL);
	for (i = 0; i < sizeof(file_cases) / sizeof(file_cases[0]); i++)
		test_file_case(i, &file_cases[i]);
	snprintf(path, sizeof(path), "%s/missing.key", dir);
	CHECK(vg_keyfile_load(path, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "missing.key: cannot open key file: No such file")
	      != NULL, "%s", err);
	CHECK(vg_keyfile_load(dir, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "not a regular file") != NULL, "%s", err);
	/* A FIFO no one writes to: refused at once, not waited on. */
	snprintf(path, sizeof(path), "%s/fifo.key", dir);
	CHECK(mkfifo(path, 0600) == 0);
	CHECK(vg_keyfile_load(path, &k, err, sizeof(err)) == -1);
	CHECK(strstr(err, "not a regular file") != NULL, "%s", err);
	unlink(path);
	rmdir(dir);
}

#define NOBODY 65534		/* an unprivileged user other than us */

/* Mode 0600 keeps out everyone but the owner: the owner must be root or
 * this process's user, not another one who could rewrite the key.  Only
 * root can give a file away, so this runs as root only. */
static void
test_owner(void)
{
	char odir[] = "/tmp/vg-test-sdes-XXXXXX", path[64], err[512], want[256];
	struct vg_master_key k;

	if (geteuid() != 0) {
		SKIP("not root: the key owner cases (only root gives a file away)");
		return;
	}
	CHECK(mkdtemp(odir) != NULL);
	snprintf(path, sizeof(path), "%s/owner.key", odir);
	make_file(path, "inline:" RFC4568_KEY "\n", 0600);
	CHECK(chown(path, NOBODY, NOBODY) == 0);
	err[0] = '\0';
	CHECK(vg_keyfile_load(path, &k, err, sizeof(err)) == -1);
	snprintf(want, sizeof(want), "%s: owned by uid %u, who could rewrite "
		 "the key; it must belong to root; run: chown root %s", path,
		 NOBODY, path);
	CHECK(strcmp(err, want) == 0, "'%s'", err);
	CHECK(k.len == 0, "no key taken");
	/* Back to root's: taken; the group does not matter (mode 0600). */
	CHECK(chown(path, 0, NOBODY) == 0);
	CHECK(vg_keyfile_load(path, &k, err, sizeof(err)) == 0 && k.len == 30,
	      "%s", err);
	/* Mode is checked first: one message, the one for the mode. */
	CHECK(chown(path, NOBODY, NOBODY) == 0 && chmod(path, 0640) == 0);
	CHECK(vg_keyfile_load(path, &k, err, sizeof(err)) == -1 &&
	      strstr(err, "mode 0640") != NULL, "%s", err);
	unlink(path);
	rmdir(odir);
}

static void
test_suites(void)
{
	static const unsigned sizes[VG_SUITE_COUNT][4] = {
		{ 16, 14, 10, 10 }, { 16, 14, 4, 10 },
		{ 16, 12, 16, 16 }, { 32, 12, 16, 16 },
	};
	const struct vg_suite_info *si;
	enum vg_suite s;
	unsigned i;

	for (i = 0; i < VG_SUITE_COUNT; i++) {
		si = vg_suite_get((enum vg_suite)i);
		CHECK(si != NULL && si->key_len == sizes[i][0] &&
		      si->salt_len == sizes[i][1] &&
		      si->rtp_tag_len == sizes[i][2] &&
		      si->rtcp_tag_len == sizes[i][3], "suite %u", i);
		CHECK(si->aead == (i >= VG_SUITE_AEAD_AES_128_GCM));
		CHECK(si->rtcp_tag_len + 4 <= VG_SRTP_MAX_TRAILER);
		CHECK(vg_suite_from_name(si->name, &s) == 0 && s == i);
	}
	CHECK(vg_suite_from_name("aes_cm_128_hmac_sha1_80", &s) == -1);
	CHECK(vg_suite_from_name("AES_CM_128_HMAC_SHA1", &s) == -1);
	CHECK(vg_suite_from_name(NULL, &s) == -1);
	CHECK(vg_suite_get(VG_SUITE_COUNT) == NULL);
	CHECK(strcmp(vg_suite_get(VG_SUITE_AEAD_AES_256_GCM)->name,
		     "AEAD_AES_256_GCM") == 0);
}

int
main(void)
{
	VG_RUN(test_parse);
	VG_RUN(test_round_trip);
	VG_RUN(test_keyfile);
	VG_RUN(test_owner);
	VG_RUN(test_suites);
	VG_TEST_END();
}
