/* SPDX-License-Identifier: BSD-3-Clause */
/* Minimal table-driven test harness: CHECK() counts, main() ends with
 * VG_TEST_END() which prints "N passed, N failed" and sets the exit code. */
#ifndef VG_HARNESS_H
#define VG_HARNESS_H

#include <stdio.h>

static unsigned vg_t_pass, vg_t_fail;

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (cond) {                                                  \
			vg_t_pass++;                                         \
		} else {                                                     \
			vg_t_fail++;                                         \
			fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__,       \
				__LINE__, #cond);                            \
			fprintf(stderr, " " __VA_ARGS__);                    \
			fputc('\n', stderr);                                 \
		}                                                            \
	} while (0)

#define VG_TEST_END()                                                        \
	do {                                                                 \
		printf("%s: %u passed, %u failed\n", __FILE__, vg_t_pass,    \
		       vg_t_fail);                                           \
		return vg_t_fail ? 1 : 0;                                    \
	} while (0)

#endif
