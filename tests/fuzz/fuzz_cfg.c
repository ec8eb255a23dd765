/* libFuzzer target for the configuration loader: any bytes as a config
 * file must give either a valid config or error lines, never a crash, a
 * leak or an out-of-bounds access.  libconfig reads files, so each input is
 * written to a per-process scratch file first. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cfg.h"

static char path[64];
static FILE *sink;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_cfg cfg;
	FILE *f;

	if (path[0] == '\0') {
		snprintf(path, sizeof(path), "/tmp/vg-fuzz-cfg-%d.conf",
			 (int)getpid());
		sink = fopen("/dev/null", "w");
	}
	f = fopen(path, "wb");
	if (f == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	if (vg_cfg_load(path, &cfg, sink) == 0)
		vg_cfg_free(&cfg);	/* on errors the loader freed it */
	return 0;
}
