/* SPDX-License-Identifier: BSD-3-Clause */
/* The table of SRTP engines, looked up by the name given in the config.
 * The choice is made once at start-up; the data path only ever calls
 * through the ops pointer it got from here. */
#include <string.h>

#include "engine.h"

static const struct vg_engine_ops *const engines[] = {
	&vg_engine_cryptodev,
	&vg_engine_libsrtp,
};

const struct vg_engine_ops *
vg_engine_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < sizeof(engines) / sizeof(engines[0]); i++) {
		if (strcmp(engines[i]->name, name) == 0)
			return engines[i];
	}
	return NULL;
}
