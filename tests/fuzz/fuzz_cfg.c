/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target for the configuration loader: any bytes as a config
 * file must give either a valid config or error lines, never a crash, a
 * leak or an out-of-bounds access.  libconfig reads files, so each input is
 * written to a per-process scratch file first. */
#include <dirent.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cfg.h"

/* The unit tests' configs (tests/fuzz/run.sh seeds from them): the files
 * they @include are copied beside the input, as they are beside the
 * seeds, so that a seed like `@include "base.conf"` gets past its include
 * into the sections.  Relative to the working directory, the source tree's
 * root under make; VG_FUZZ_CFG_INCLUDES names another. */
#define INCLUDES_DIR "tests/unit/cfg"

static char dir[64], path[96];
static FILE *sink;

/* Key files next to the config, so that inputs naming keys/cso.key etc.
 * (the seeds do) get past key loading into the checks that follow it:
 * fan-out expansion, SSRC and feedback-SSRC checks, routes. */
static void
write_key(const char *name, unsigned len, uint8_t fill, mode_t mode)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char file[160], text[128];
	unsigned i, o = 0;
	uint8_t key[64];
	FILE *f;

	memset(key, fill, sizeof(key));
	for (i = 0; i + 2 < len + 2; i += 3) {
		uint32_t v = (uint32_t)key[i] << 16 |
			     (i + 1 < len ? key[i + 1] << 8 : 0) |
			     (i + 2 < len ? key[i + 2] : 0);

		text[o++] = b64[v >> 18 & 63];
		text[o++] = b64[v >> 12 & 63];
		text[o++] = i + 1 < len ? b64[v >> 6 & 63] : '=';
		text[o++] = i + 2 < len ? b64[v & 63] : '=';
	}
	text[o] = '\0';
	snprintf(file, sizeof(file), "%s/keys/%s", dir, name);
	f = fopen(file, "w");
	if (f == NULL)
		return;
	fprintf(f, "inline:%s\n", text);
	fclose(f);
	chmod(file, mode);
}

static int
remove_entry(const char *file, const struct stat *st, int flag,
	     struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(file);
	return 0;
}

static void
remove_all(void)
{
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void
copy_file(const char *from, const char *to)
{
	char buf[4096];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	while (in != NULL && out != NULL &&
	       (n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	if (in != NULL)
		fclose(in);
	if (out != NULL)
		fclose(out);
}

/* The *.conf of src into dst, and of its subdirectories (communes/) one
 * level down. */
static void
copy_confs(const char *src, const char *dst, int depth)
{
	DIR *d = opendir(src);
	struct dirent *e;
	char from[512], to[512];
	struct stat st;
	size_t n;

	while (d != NULL && (e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		snprintf(from, sizeof(from), "%s/%s", src, e->d_name);
		snprintf(to, sizeof(to), "%s/%s", dst, e->d_name);
		if (e->d_name[0] == '.' || stat(from, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth > 0 &&
		    strcmp(e->d_name, "keys") != 0) {
			mkdir(to, 0700);
			copy_confs(from, to, depth - 1);
		} else if (S_ISREG(st.st_mode) && n > 5 &&
			   strcmp(e->d_name + n - 5, ".conf") == 0 &&
			   strcmp(e->d_name, "fuzz.conf") != 0) {
			copy_file(from, to);
		}
	}
	if (d != NULL)
		closedir(d);
}

static void
setup(void)
{
	const char *inc;
	char keys[96];

	snprintf(dir, sizeof(dir), "/tmp/vg-fuzz-cfg-XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(keys, sizeof(keys), "%s/keys", dir);
	mkdir(keys, 0700);
	write_key("cso.key", 30, 0x01, 0600);
	write_key("cso-copy.key", 30, 0x01, 0600);
	write_key("other.key", 30, 0x21, 0600);
	write_key("gcm.key", 28, 0x51, 0600);
	write_key("gcm256.key", 44, 0x81, 0600);
	write_key("open.key", 30, 0xa1, 0644);	/* refused: others read it */
	inc = getenv("VG_FUZZ_CFG_INCLUDES");
	copy_confs(inc != NULL ? inc : INCLUDES_DIR, dir, 1);
	snprintf(path, sizeof(path), "%s/fuzz.conf", dir);
	sink = fopen("/dev/null", "w");
	atexit(remove_all);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_cfg cfg;
	FILE *f;

	if (path[0] == '\0')
		setup();
	f = fopen(path, "wb");
	if (f == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if (vg_cfg_load(path, &cfg, sink) == 0)
		vg_cfg_free(&cfg);	/* on errors the loader freed it */
	return 0;
}
