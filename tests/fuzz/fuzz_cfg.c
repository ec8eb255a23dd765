/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target for the configuration loader: any bytes as a config
 * file must give either a valid config or error lines, never a crash, a
 * leak or an out-of-bounds access.  libconfig reads files, so each input is
 * written to a per-process scratch file first. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cfg.h"

static char dir[64], path[96];
static FILE *sink;

/* Key files next to the config, so that inputs naming keys/cso.key etc.
 * (the seeds do) get past key loading into the checks that follow it:
 * fan-out expansion, SSRC and feedback-SSRC checks, routes. */
static void
write_key(const char *name, unsigned len, uint8_t fill)
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
	chmod(file, 0600);
}

static void
remove_all(void)
{
	char file[160];
	static const char *const keys[] = { "cso.key", "cso-copy.key",
		"other.key", "gcm.key", "gcm256.key" };

	for (unsigned i = 0; i < 5; i++) {
		snprintf(file, sizeof(file), "%s/keys/%s", dir, keys[i]);
		unlink(file);
	}
	snprintf(file, sizeof(file), "%s/keys", dir);
	rmdir(file);
	unlink(path);
	rmdir(dir);
}

static void
setup(void)
{
	char keys[96];

	snprintf(dir, sizeof(dir), "/tmp/vg-fuzz-cfg-XXXXXX");
	if (mkdtemp(dir) == NULL)
		abort();
	snprintf(keys, sizeof(keys), "%s/keys", dir);
	mkdir(keys, 0700);
	write_key("cso.key", 30, 0x01);
	write_key("cso-copy.key", 30, 0x01);
	write_key("other.key", 30, 0x21);
	write_key("gcm.key", 28, 0x51);
	write_key("gcm256.key", 44, 0x81);
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
