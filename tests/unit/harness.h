/* SPDX-License-Identifier: BSD-3-Clause */
/* Minimal test harness.
 *   CHECK(cond, fmt, ...)  counts a pass, or a failure with its message.
 *   SKIP(fmt, ...)         a check that cannot run here: printed
 *                          "skipped: reason" and counted apart, never as
 *                          passed.
 *   VG_RUN(test_NAME, ...) runs test_NAME(...) as the case "NAME" unless
 *                          VG_TEST_CASE (a glob: `make unit T=parse/valid`)
 *                          names other cases; a case run in a loop keeps
 *                          its one name.
 *   VG_TEST_END()          ends main(): prints "FILE: N passed, N failed,
 *                          N skipped" and exits 1 on any failure, or when
 *                          VG_TEST_CASE matched no case here. */
#ifndef VG_HARNESS_H
#define VG_HARNESS_H

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned vg_t_pass, vg_t_fail, vg_t_skip, vg_t_ran;
static const char *vg_t_case = "";	/* the running case, in messages */
static char vg_t_names[512];		/* the cases a filter left out */
static const char *vg_t_last;		/* the last one listed there */

#define CHECK(cond, ...)                                                     \
	do {                                                                 \
		if (cond) {                                                  \
			vg_t_pass++;                                         \
		} else {                                                     \
			vg_t_fail++;                                         \
			fprintf(stderr, "%s:%d: %s%sFAIL: %s: ", __FILE__,   \
				__LINE__, vg_t_case, *vg_t_case ? ": " : "", \
				#cond);                                      \
			fprintf(stderr, " " __VA_ARGS__);                    \
			fputc('\n', stderr);                                 \
		}                                                            \
	} while (0)

#define SKIP(...)                                                            \
	do {                                                                 \
		vg_t_skip++;                                                 \
		printf("skipped: " __VA_ARGS__);                             \
		putchar('\n');                                               \
	} while (0)

/* Whether to run the case named by function name fn ("test_" dropped). */
static inline int
vg_t_want(const char *fn)
{
	const char *want = getenv("VG_TEST_CASE");
	const char *name = strncmp(fn, "test_", 5) == 0 ? fn + 5 : fn;
	size_t n = strlen(vg_t_names);

	if (want != NULL && *want != '\0' && fnmatch(want, name, 0) != 0) {
		if (fn != vg_t_last && n + strlen(name) + 3 < sizeof(vg_t_names))
			snprintf(vg_t_names + n, sizeof(vg_t_names) - n, "%s%s",
				 n ? ", " : "", name);
		vg_t_last = fn;	/* one listing for a case run in a loop */
		return 0;
	}
	vg_t_ran++;
	vg_t_case = name;
	return 1;
}

#define VG_RUN(fn, ...)                                                      \
	do {                                                                 \
		if (vg_t_want(#fn))                                          \
			fn(__VA_ARGS__);                                     \
		vg_t_case = "";                                              \
	} while (0)

static inline int
vg_t_end(const char *file)
{
	const char *want = getenv("VG_TEST_CASE");
	int none = want != NULL && *want != '\0' && vg_t_ran == 0;

	if (none)	/* a filter that selects nothing is an error, not 0 */
		fprintf(stderr, "%s: no case matches '%s' (cases: %s)\n", file,
			want, *vg_t_names ? vg_t_names :
			"none: main() names none with VG_RUN");
	printf("%s: %u passed, %u failed, %u skipped\n", file, vg_t_pass,
	       vg_t_fail, vg_t_skip);
	return vg_t_fail || none ? 1 : 0;
}

#define VG_TEST_END() return vg_t_end(__FILE__)

#endif
