/* SPDX-License-Identifier: BSD-3-Clause */
/* Reload check (reload.h): start-up's loading and checks on a new file,
 * then the diff against the running configuration.  Nothing is applied:
 * the running gateway is not touched. */
#include <stdlib.h>
#include <string.h>
#include "diff.h"
#include "reload.h"

static void
out_of_memory(struct vg_reload_result *r)
{
	r->status = VG_RELOAD_REFUSED;
	snprintf(r->summary, sizeof(r->summary), "out of memory");
}

/* Append a copy of msg[0..len) to r->errors. */
static int
add_error(struct vg_reload_result *r, const char *msg, size_t len)
{
	char **e = realloc(r->errors, (r->n_errors + 1) * sizeof(*e));

	if (e == NULL)
		return -1;
	r->errors = e;
	e[r->n_errors] = strndup(msg, len);
	if (e[r->n_errors] == NULL)
		return -1;
	r->n_errors++;
	return 0;
}

/* Each non-empty line of text[0..len), one error. */
static int
add_lines(struct vg_reload_result *r, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (n && add_error(r, p, n) < 0)
			return -1;
		p += n + 1;
	}
	return 0;
}

/* vg_cfg_load, its messages collected into r instead of printed: a
 * script asking for the check gets them all.  Its error count (on
 * errors, *cfg is already freed). */
static unsigned
load(const char *path, struct vg_cfg *cfg, struct vg_reload_result *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	unsigned errors;

	if (f == NULL) {
		out_of_memory(r);
		return 1;
	}
	errors = vg_cfg_load(path, cfg, f);
	if (fclose(f) != 0 || (errors && add_lines(r, text, len) < 0))
		out_of_memory(r);
	free(text);
	return errors;
}

/* --state-dir, as start-up applies it (main.c), so that the diff does not
 * see the override as a state_dir change. */
static int
override_state_dir(struct vg_cfg *cfg, const char *dir,
		   struct vg_reload_result *r)
{
	static const char msg[] = "--state-dir: empty or too long";

	if (vg_cfg_set_state_dir(cfg, dir) == 0)
		return 0;
	if (add_error(r, msg, sizeof(msg) - 1) < 0)
		out_of_memory(r);
	return -1;
}

/* Valid, or refused with each change that needs a restart. */
static void
diff(const struct vg_cfg *running, const struct vg_cfg *cfg,
     struct vg_reload_result *r)
{
	static const char prefix[] = "reload: ";
	size_t n = sizeof(prefix) - 1;
	struct vg_cfg_diff d;

	if (vg_cfg_diff(running, cfg, &d) < 0) {
		out_of_memory(r);
		return;
	}
	/* Its "reload: " prefix off: the log line names the file first. */
	vg_cfg_diff_summary(&d, r->summary, sizeof(r->summary));
	if (strncmp(r->summary, prefix, n) == 0)
		memmove(r->summary, r->summary + n, strlen(r->summary) - n + 1);
	r->status = d.n_restart ? VG_RELOAD_REFUSED : VG_RELOAD_VALID;
	for (unsigned i = 0; i < d.n_restart; i++)
		if (add_error(r, d.restart[i], strlen(d.restart[i])) < 0) {
			out_of_memory(r);
			break;
		}
	vg_cfg_diff_free(&d);
}

enum vg_reload_status
vg_reload_check(const struct vg_cfg *running, const char *path,
		const char *state_dir, struct vg_reload_result *r)
{
	struct vg_cfg cfg;
	unsigned errors;

	memset(r, 0, sizeof(*r));
	r->status = VG_RELOAD_REFUSED;
	errors = load(path, &cfg, r);
	if (errors == 0) {
		if (override_state_dir(&cfg, state_dir, r) == 0)
			diff(running, &cfg, r);
		else
			errors = 1;
		vg_cfg_free(&cfg);
	}
	if (errors && r->summary[0] == '\0')
		snprintf(r->summary, sizeof(r->summary), "%u error%s", errors,
			 errors == 1 ? "" : "s");
	return r->status;
}

void
vg_reload_result_free(struct vg_reload_result *r)
{
	for (unsigned i = 0; i < r->n_errors; i++)
		free(r->errors[i]);
	free(r->errors);
	r->errors = NULL;
	r->n_errors = 0;
}

void
vg_reload_log(const struct vg_reload_result *r, const char *path, FILE *out)
{
	/* One block: a check from the telemetry thread and the main lcore's
	 * lines do not interleave inside it. */
	flockfile(out);
	if (r->status == VG_RELOAD_VALID)
		fprintf(out, "reload: %s valid: %s; %s\n", path, r->summary,
			VG_RELOAD_NOT_APPLIED);
	else
		fprintf(out, "reload: %s refused (%s); the running "
			"configuration is unchanged\n", path, r->summary);
	for (unsigned i = 0; i < r->n_errors; i++)
		fprintf(out, "reload:   %s\n", r->errors[i]);
	fflush(out);
	funlockfile(out);
}
