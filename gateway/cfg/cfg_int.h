/* SPDX-License-Identifier: BSD-3-Clause */
/* Shared between the config loader (cfg.c), its section parsers
 * (cfg_gateway.c, cfg_camera.c, cfg_route.c, ...) and its cross-checks
 * (cfg_check.c, cfg_ssrc.c); nothing outside gateway/cfg*.c includes it. */
#ifndef VG_CFG_INT_H
#define VG_CFG_INT_H

#include <libconfig.h>
#include <stdbool.h>

#include "cfg.h"

#define VG_CFG_NONE ((unsigned)-1)	/* unresolved index (after an error) */
#define VG_CFG_MAX_PPS 10000000u	/* max_pps: 1..this */
#define VG_CFG_MAX_BURST 1000000u	/* max_burst: 1..this */

enum vg_cfg_keysrc { VG_KEY_NONE, VG_KEY_OWN, VG_KEY_CENTER, VG_KEY_BAD };

/* Where each item came from, so that cross-checks can name file:line. */
struct vg_cfg_src {
	const config_setting_t *set;		/* the item's group */
	const config_setting_t *key_set;	/* its key_file, or NULL */
	const config_setting_t *suite_set;	/* its suite, or NULL */
	enum vg_cfg_keysrc key;
	bool ok;				/* parsed without error */
};

/* A camera's destination as parsed, before the cameras are expanded into
 * one entry per destination (cfg.c). */
struct vg_cfg_fan {
	unsigned cam;				/* camera index, parse order */
	struct vg_cfg_camera dest;		/* destination fields only */
	struct vg_cfg_src src;
};

struct vg_cfg_ctx {
	struct vg_cfg *cfg;
	FILE *err;
	const char *path;			/* the main file */
	const char *dir;			/* its directory, or NULL */
	unsigned errors;
	unsigned cur;				/* item being parsed */
	const config_setting_t *ports_set;	/* the `ports` list */
	struct vg_cfg_src *port_src;
	struct vg_cfg_src *center_src;
	struct vg_cfg_src *cam_src;
	struct vg_cfg_src *route_src;
	struct vg_cfg_src *cur_src;		/* camera or destination parsed */
	struct vg_cfg_fan *fan;			/* every `destinations` item */
	unsigned n_fan, cap_fan;
	bool include_stop;			/* includes nested too deep */
};

/* One key of a group: its parser prints its own error and returns false. */
typedef bool (*vg_cfg_key_fn)(struct vg_cfg_ctx *c, const config_setting_t *s,
			      void *obj);

struct vg_cfg_key {
	const char *name;
	bool required;
	vg_cfg_key_fn parse;
};

/* Parse group g with specs (cfg.c): unknown keys are errors, then each
 * key in table order (a key may rely on one listed before it).  kind and
 * idx name the group in messages ("camera 'x'", "destination #2").  True
 * when no error. */
bool vg_cfg_walk(struct vg_cfg_ctx *c, const config_setting_t *g,
		 const char *kind, unsigned idx,
		 const struct vg_cfg_key *specs, void *obj);

/* The keys of the `gateway` group (cfg_gateway.c), NULL-terminated, and
 * the defaults of every gateway-wide setting (*cfg zeroed first).  The
 * group is walked before any section, so that sections may take their
 * defaults from it (a camera's max_pps, max_burst). */
extern const struct vg_cfg_key vg_cfg_gateway_keys[];
void vg_cfg_gateway_defaults(struct vg_cfg *cfg);

/* The keys of a camera (cfg_camera.c), its defaults and its resolution
 * once parsed (RTCP ports, destinations, suite and key). */
extern const struct vg_cfg_key vg_cfg_camera_keys[];
void vg_cfg_camera_init(struct vg_cfg_ctx *c, void *camera);
void vg_cfg_camera_done(struct vg_cfg_ctx *c, void *camera);

/* The keys of an `unprotect` route (cfg_route.c), its defaults and its
 * resolution once parsed (ports, RTCP ports, key against suite). */
extern const struct vg_cfg_key vg_cfg_route_keys[];
void vg_cfg_route_init(struct vg_cfg_ctx *c, void *route);
void vg_cfg_route_done(struct vg_cfg_ctx *c, void *route);

/* Print "file:line: message" for setting s and count one error. */
void vg_cfg_error(struct vg_cfg_ctx *c, const config_setting_t *s,
		  const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same for a position libconfig has no setting for. */
void vg_cfg_error_at(struct vg_cfg_ctx *c, const char *file, unsigned line,
		     const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Before libconfig reads the main file: check that it is not a directory
 * and that every @include names a file that can be read (cfg_include.c);
 * false after printing the errors. */
bool vg_cfg_check_includes(struct vg_cfg_ctx *c);

/* "line N" when other is in the same file as s, else "file:N". */
const char *vg_cfg_where(const struct vg_cfg_ctx *c,
			 const config_setting_t *s,
			 const config_setting_t *other, char *buf, size_t len);

/* The path, usable from the working directory, of a file name libconfig
 * recorded for a setting or an error (NULL: the main file). */
const char *vg_cfg_file(const struct vg_cfg_ctx *c, const char *file,
			char *buf, size_t len);

/* "a string", "an integer", ... for "expected X, got Y" messages. */
const char *vg_cfg_type_name(const config_setting_t *s);

/* Typed values (cfg_value.c).  Each checks the type and the range or
 * syntax of setting s, prints its own error naming the key and the fix,
 * and returns false on error (leaving *out unchanged). */
bool vg_cfg_want_string(struct vg_cfg_ctx *c, const config_setting_t *s,
			const char **out);
bool vg_cfg_want_int(struct vg_cfg_ctx *c, const config_setting_t *s,
		     long long min, long long max, long long *out);
bool vg_cfg_want_uint(struct vg_cfg_ctx *c, const config_setting_t *s,
		      unsigned min, unsigned max, unsigned *out);
bool vg_cfg_want_u16(struct vg_cfg_ctx *c, const config_setting_t *s,
		     unsigned min, uint16_t *out);
bool vg_cfg_want_ssrc(struct vg_cfg_ctx *c, const config_setting_t *s,
		      uint32_t *out);
/* A unicast host address, network byte order. */
bool vg_cfg_want_ipv4(struct vg_cfg_ctx *c, const config_setting_t *s,
		      uint32_t *out);
/* "a.b.c.d/len": a host address (not network/broadcast) and 1..32. */
bool vg_cfg_want_prefix(struct vg_cfg_ctx *c, const config_setting_t *s,
			uint32_t *addr, uint8_t *prefix);
/* "xx:xx:xx:xx:xx:xx", unicast and non-zero. */
bool vg_cfg_want_mac(struct vg_cfg_ctx *c, const config_setting_t *s,
		     uint8_t mac[6]);
/* 1..max characters of [A-Za-z0-9_.-], copied to out (max + 1 bytes). */
bool vg_cfg_want_name(struct vg_cfg_ctx *c, const config_setting_t *s,
		      size_t max, char *out);
bool vg_cfg_want_suite(struct vg_cfg_ctx *c, const config_setting_t *s,
		       enum vg_suite *out);
/* Load the key file s names; on success src->key = VG_KEY_OWN and
 * src->key_set = s, else VG_KEY_BAD. */
bool vg_cfg_want_key(struct vg_cfg_ctx *c, const config_setting_t *s,
		     struct vg_master_key *key, struct vg_cfg_src *src);
/* True when key's length is suite's key + salt; else an error at loc that
 * names the key file (key_set) and both lengths. */
bool vg_cfg_key_fits(struct vg_cfg_ctx *c, const config_setting_t *loc,
		     const config_setting_t *key_set,
		     const struct vg_master_key *key, enum vg_suite suite);

/* Resolve a key_file setting against the directory of its own file. */
void vg_cfg_key_path(const struct vg_cfg_ctx *c, const config_setting_t *s,
		     char *buf, size_t len);
/* A non-empty path string, resolved as key_file is (relative to the
 * directory of the file that holds s) into out (len bytes, a PATH_MAX
 * buffer); an error when empty or when the result does not fit. */
bool vg_cfg_want_path(struct vg_cfg_ctx *c, const config_setting_t *s,
		      char *out, size_t len);

/* Cross-item checks, run once every section is parsed.  Each prints its
 * own errors through vg_cfg_error. */
void vg_cfg_check_ports(struct vg_cfg_ctx *c);
void vg_cfg_check_centers(struct vg_cfg_ctx *c);
void vg_cfg_check_cameras(struct vg_cfg_ctx *c);

/* One camera entry per destination (cfg_fanout.c); labels set. */
void vg_cfg_expand_fanout(struct vg_cfg_ctx *c);
void vg_cfg_check_routes(struct vg_cfg_ctx *c);
void vg_cfg_check_route_names(struct vg_cfg_ctx *c);
/* Invariant 2 over every stream (cfg_ssrc.c), once cameras and routes are
 * parsed: no two of the camera entries' SSRCs, the routes' SSRCs and all
 * their feedback SSRCs are equal under one master key. */
void vg_cfg_check_ssrcs(struct vg_cfg_ctx *c);

#endif
