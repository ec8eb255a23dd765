/* SPDX-License-Identifier: BSD-3-Clause */
/* Typed config values: one reader per kind of value (string, integer,
 * SSRC, address, prefix, MAC, name, suite, path, key file).  Each prints
 * its own precise "file:line: key: what is wrong" error and returns bool,
 * as in wireguard-tools config.c, so that per-key handlers are one line. */
#include <arpa/inet.h>
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctx.h"
#include "diag.h"
#include "sdes.h"
#include "value.h"

static bool
wrong_type(struct vg_cfg_ctx *c, const config_setting_t *s,
	   const char *want)
{
	vg_cfg_error(c, s, "%s: expected %s, got %s", config_setting_name(s),
		     want, vg_cfg_type_name(s));
	return false;
}

bool
vg_cfg_want_string(struct vg_cfg_ctx *c, const config_setting_t *s,
		   const char **out)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return wrong_type(c, s, "a string");
	*out = config_setting_get_string(s);
	return true;
}

/* libconfig 1.5 stores decimal literals in 32 bits (larger ones wrap) and
 * 64-bit ones only with an L suffix: accept both types, check the range. */
bool
vg_cfg_want_int(struct vg_cfg_ctx *c, const config_setting_t *s,
		long long min, long long max, long long *out)
{
	long long v;

	if (config_setting_type(s) == CONFIG_TYPE_INT)
		v = config_setting_get_int(s);
	else if (config_setting_type(s) == CONFIG_TYPE_INT64)
		v = config_setting_get_int64(s);
	else
		return wrong_type(c, s, "an integer");
	if (v < min || v > max) {
		vg_cfg_error(c, s, "%s: %lld is out of range %lld..%lld",
			     config_setting_name(s), v, min, max);
		return false;
	}
	*out = v;
	return true;
}

bool
vg_cfg_want_uint(struct vg_cfg_ctx *c, const config_setting_t *s,
		 unsigned min, unsigned max, unsigned *out)
{
	long long v;

	if (!vg_cfg_want_int(c, s, min, max, &v))
		return false;
	*out = (unsigned)v;
	return true;
}

bool
vg_cfg_want_u16(struct vg_cfg_ctx *c, const config_setting_t *s,
		unsigned min, uint16_t *out)
{
	unsigned v;

	if (!vg_cfg_want_uint(c, s, min, 65535, &v))
		return false;
	*out = (uint16_t)v;
	return true;
}

/* SSRCs span 32 unsigned bits.  libconfig 1.5 reads hex literals up to
 * 0xFFFFFFFF into a signed int (0x80000000 and up come back negative) but
 * marks them CONFIG_FORMAT_HEX, so their bits are taken as they are.  A
 * negative decimal is either a typo or a decimal above 2^31-1 that wrapped:
 * refuse it and ask for hex.  An int64 (L suffix) is range-checked. */
bool
vg_cfg_want_ssrc(struct vg_cfg_ctx *c, const config_setting_t *s,
		 uint32_t *out)
{
	long long v;

	if (config_setting_type(s) == CONFIG_TYPE_INT &&
	    config_setting_get_format(s) == CONFIG_FORMAT_HEX) {
		*out = (uint32_t)config_setting_get_int(s);
		return true;
	}
	if (config_setting_type(s) == CONFIG_TYPE_INT &&
	    config_setting_get_int(s) < 0) {
		vg_cfg_error(c, s, "ssrc: %d is not an SSRC; write SSRCs in "
			     "hex, 0x00000000..0xFFFFFFFF (decimals above "
			     "2147483647 do not survive libconfig)",
			     config_setting_get_int(s));
		return false;
	}
	if (!vg_cfg_want_int(c, s, 0, UINT32_MAX, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* A host address: not 0.0.0.0, loopback, multicast or reserved/broadcast. */
bool
vg_cfg_want_ipv4(struct vg_cfg_ctx *c, const config_setting_t *s,
		 uint32_t *out)
{
	struct in_addr a;
	const char *v;
	uint32_t h;

	if (!vg_cfg_want_string(c, s, &v))
		return false;
	if (inet_pton(AF_INET, v, &a) != 1) {
		vg_cfg_error(c, s, "%s: '%.64s' is not an IPv4 address (write "
			     "it as a.b.c.d)", config_setting_name(s), v);
		return false;
	}
	h = ntohl(a.s_addr);
	if (h == 0 || (h >> 24) == 127 || (h >> 28) >= 14) {
		vg_cfg_error(c, s, "%s: %s is not a unicast host address",
			     config_setting_name(s), v);
		return false;
	}
	*out = a.s_addr;
	return true;
}

/* "a.b.c.d/len": the port's own address and its on-link subnet. */
bool
vg_cfg_want_prefix(struct vg_cfg_ctx *c, const config_setting_t *s,
		   uint32_t *addr, uint8_t *prefix)
{
	char buf[32], *slash, *end;
	const char *v;
	struct in_addr a;
	unsigned long len;
	uint32_t h, host;

	if (!vg_cfg_want_string(c, s, &v))
		return false;
	snprintf(buf, sizeof(buf), "%s", v);
	slash = strchr(buf, '/');
	if (slash == NULL || strlen(v) >= sizeof(buf) ||
	    !isdigit((unsigned char)slash[1]))
		goto bad;
	*slash = '\0';
	len = strtoul(slash + 1, &end, 10);
	if (*end != '\0' || len < 1 || len > 32 ||
	    inet_pton(AF_INET, buf, &a) != 1)
		goto bad;
	h = ntohl(a.s_addr);
	host = len == 32 ? 0 : h & (UINT32_MAX >> len);
	if (len <= 30 && (host == 0 || host == UINT32_MAX >> len)) {
		vg_cfg_error(c, s, "%s: %s is the network or broadcast address "
			     "of its subnet; use a host address",
			     config_setting_name(s), v);
		return false;
	}
	*addr = a.s_addr;
	*prefix = (uint8_t)len;
	return true;
bad:
	vg_cfg_error(c, s, "%s: '%.64s' is not an IPv4 address with prefix "
		     "length (write it as a.b.c.d/len, len 1..32)",
		     config_setting_name(s), v);
	return false;
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = (char)tolower((unsigned char)ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

bool
vg_cfg_want_mac(struct vg_cfg_ctx *c, const config_setting_t *s,
		uint8_t mac[6])
{
	const char *v;
	int i, hi, lo;

	if (!vg_cfg_want_string(c, s, &v))
		return false;
	if (strlen(v) != 17)
		goto bad;
	for (i = 0; i < 6; i++) {
		hi = hexval(v[3 * i]);
		lo = hexval(v[3 * i + 1]);
		if (hi < 0 || lo < 0 || (i < 5 && v[3 * i + 2] != ':'))
			goto bad;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	/* Static entries stand for one host: group bit and zero are bugs. */
	if ((mac[0] & 1) != 0 || memcmp(mac, "\0\0\0\0\0\0", 6) == 0) {
		vg_cfg_error(c, s, "%s: %s is not a unicast MAC address",
			     config_setting_name(s), v);
		return false;
	}
	return true;
bad:
	vg_cfg_error(c, s, "%s: '%.64s' is not a MAC address (write it as "
		     "02:00:00:00:00:02)", config_setting_name(s), v);
	return false;
}

bool
vg_cfg_want_name(struct vg_cfg_ctx *c, const config_setting_t *s,
		 size_t max, char *out)
{
	const char *v;
	size_t n;

	if (!vg_cfg_want_string(c, s, &v))
		return false;
	n = strlen(v);
	if (n == 0 || n > max || strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"abcdefghijklmnopqrstuvwxyz0123456789_.-") != n) {
		vg_cfg_error(c, s, "%s: '%.64s' must be 1..%zu characters "
			     "among A-Z a-z 0-9 _ . -", config_setting_name(s),
			     v, max);
		return false;
	}
	memcpy(out, v, n + 1);
	return true;
}

bool
vg_cfg_want_suite(struct vg_cfg_ctx *c, const config_setting_t *s,
		  enum vg_suite *out)
{
	const char *v;

	if (!vg_cfg_want_string(c, s, &v))
		return false;
	if (vg_suite_from_name(v, out) != 0) {
		vg_cfg_error(c, s, "suite: unknown suite '%.64s' (use "
			     "AES_CM_128_HMAC_SHA1_80, "
			     "AES_CM_128_HMAC_SHA1_32, AEAD_AES_128_GCM or "
			     "AEAD_AES_256_GCM)", v);
		return false;
	}
	return true;
}

/* v, relative to the directory of the file that holds s, into buf; the
 * length of the whole result (as snprintf), which may not have fit. */
static int
join_path(const struct vg_cfg_ctx *c, const config_setting_t *s,
	  const char *v, char *buf, size_t len)
{
	char tmp[PATH_MAX];
	const char *file = vg_cfg_file(c, config_setting_source_file(s), tmp,
				       sizeof(tmp));
	const char *slash = strrchr(file, '/');

	if (v[0] == '/' || slash == NULL)
		return snprintf(buf, len, "%s", v);
	return snprintf(buf, len, "%.*s/%s", (int)(slash - file), file, v);
}

void
vg_cfg_key_path(const struct vg_cfg_ctx *c, const config_setting_t *s,
		char *buf, size_t len)
{
	const char *v = config_setting_get_string(s);

	join_path(c, s, v != NULL ? v : "", buf, len);
}

bool
vg_cfg_want_path(struct vg_cfg_ctx *c, const config_setting_t *s,
		 char *out, size_t len)
{
	char buf[PATH_MAX];
	const char *v;
	int n;

	if (!vg_cfg_want_string(c, s, &v))
		return false;
	if (*v == '\0') {
		vg_cfg_error(c, s, "%s: the path is empty; give a directory "
			     "(\"/var/lib/vigie\", or relative to this "
			     "file's directory)", config_setting_name(s));
		return false;
	}
	if (len > sizeof(buf))
		len = sizeof(buf);
	n = join_path(c, s, v, buf, len);
	if (n < 0 || (size_t)n >= len) {
		vg_cfg_error(c, s, "%s: the path is %d bytes long once "
			     "relative to this file's directory; give one "
			     "under %zu bytes", config_setting_name(s), n, len);
		return false;
	}
	memcpy(out, buf, (size_t)n + 1);
	return true;
}

/* Keys are loaded where they are named so that a bad file is reported at
 * its key_file line; the bytes never reach a message. */
bool
vg_cfg_want_key(struct vg_cfg_ctx *c, const config_setting_t *s,
		struct vg_master_key *key, struct vg_cfg_src *src)
{
	char path[PATH_MAX], msg[2 * PATH_MAX + 128];

	src->key = VG_KEY_BAD;
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return wrong_type(c, s, "a string (a key file path)");
	vg_cfg_key_path(c, s, path, sizeof(path));
	if (vg_keyfile_load(path, key, msg, sizeof(msg)) != 0) {
		vg_cfg_error(c, s, "%s", msg);
		return false;
	}
	src->key = VG_KEY_OWN;
	src->key_set = s;
	return true;
}

bool
vg_cfg_key_fits(struct vg_cfg_ctx *c, const config_setting_t *loc,
		const config_setting_t *key_set,
		const struct vg_master_key *key, enum vg_suite suite)
{
	const struct vg_suite_info *si = vg_suite_get(suite);
	char path[PATH_MAX];

	if (key->len == si->key_len + si->salt_len)
		return true;
	vg_cfg_key_path(c, key_set, path, sizeof(path));
	vg_cfg_error(c, loc, "key file %s holds %u bytes; %s needs %u "
		     "(%u-byte key + %u-byte salt)", path, key->len, si->name,
		     si->key_len + si->salt_len, si->key_len, si->salt_len);
	return false;
}

