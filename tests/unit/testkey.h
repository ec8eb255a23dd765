/* SPDX-License-Identifier: BSD-3-Clause */
/* Key files for tests that load configurations: path gets the SDES
 * inline key of len bytes first, first + 1, ... (a test picks first to
 * tell its keys apart), one line, mode 0600 as the loader requires. */
#ifndef VG_TESTKEY_H
#define VG_TESTKEY_H

#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include "sdes.h"

/* 0, or -1 when the key cannot be formatted or the file written. */
static inline int
vg_test_key_file(const char *path, uint8_t first, unsigned len)
{
	struct vg_master_key k = { .len = (uint8_t)len };
	char line[128];
	FILE *f;
	int ok;

	for (unsigned i = 0; i < len; i++)
		k.bytes[i] = (uint8_t)(first + i);
	if (vg_sdes_format(&k, line, sizeof(line)) != 0 ||
	    (f = fopen(path, "w")) == NULL)
		return -1;
	ok = fprintf(f, "%s\n", line) > 0;
	ok = fclose(f) == 0 && ok;
	return ok && chmod(path, 0600) == 0 ? 0 : -1;
}

#endif
