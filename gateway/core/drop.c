/* SPDX-License-Identifier: BSD-3-Clause */
/* Names of the drop reasons, generated from the same X-macro table as the
 * enum so that the two can never drift apart. */
#include "drop.h"

static const char *const drop_names[VG_DROP_COUNT] = {
#define VG_DROP_NAME(sym, str) [VG_DROP_##sym] = str,
	VG_DROP_REASONS(VG_DROP_NAME)
#undef VG_DROP_NAME
};

const char *
vg_drop_name(enum vg_drop reason)
{
	/* The value may come from a counter index or a corrupted field:
	 * never index past the table. */
	if ((unsigned)reason >= VG_DROP_COUNT)
		return "unknown";
	return drop_names[reason];
}
