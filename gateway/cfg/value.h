/* SPDX-License-Identifier: BSD-3-Clause */
/* Typed config values.  Each reader checks the type and the range or
 * syntax of setting s, prints its own error naming the key and the fix,
 * and returns false on error (leaving *out unchanged).  Private to
 * gateway/cfg/. */
#ifndef VG_CFG_VALUE_H
#define VG_CFG_VALUE_H

#include <libconfig.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "suite.h"

struct vg_cfg_ctx;
struct vg_cfg_src;
struct vg_master_key;

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

#endif
