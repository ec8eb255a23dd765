/* SPDX-License-Identifier: BSD-3-Clause */
/* The `gateway = { ... }` group: process-wide settings and their defaults,
 * one typed parser per key.  max_pps and max_burst here are the cameras'
 * defaults (camera.c). */
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "ctx.h"
#include "diag.h"
#include "sections.h"
#include "value.h"
#include "walk.h"

static bool
gw_engine(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg *cfg = o;
	const char *v;

	if (!vg_cfg_want_string(c, s, &v))
		return false;
	if (strcmp(v, "libsrtp") != 0 && strcmp(v, "cryptodev") != 0) {
		vg_cfg_error(c, s, "engine: unknown engine '%.32s' (use "
			     "\"cryptodev\" or \"libsrtp\")", v);
		return false;
	}
	snprintf(cfg->engine, sizeof(cfg->engine), "%s", v);
	return true;
}

/* A crypto device: a vdev string ("crypto_aesni_mb") or a device name. */
static bool
want_device(struct vg_cfg_ctx *c, const config_setting_t *s, char *out)
{
	const char *v;

	if (!vg_cfg_want_string(c, s, &v))
		return false;
	if (*v == '\0' || strlen(v) >= VG_DEVICE_MAX) {
		vg_cfg_error(c, s, "%s: expected a crypto device name of 1 to "
			     "%d characters", config_setting_name(s),
			     VG_DEVICE_MAX - 1);
		return false;
	}
	snprintf(out, VG_DEVICE_MAX, "%s", v);
	return true;
}

static bool
gw_cryptodev(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return want_device(c, s, ((struct vg_cfg *)o)->cryptodev);
}

static bool
gw_cryptodev_gcm(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	return want_device(c, s, ((struct vg_cfg *)o)->cryptodev_gcm);
}

static bool
gw_summary(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg *cfg = o;

	return vg_cfg_want_uint(c, s, 0, 3600, &cfg->summary_interval);
}

/* 0 (none), or 100 ms (ten packets a second per stream: a tenth of a
 * second at most for a late center to find a ROC) to a minute. */
static bool
gw_announce(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg *cfg = o;

	if (!vg_cfg_want_uint(c, s, 0, 60000, &cfg->roc_announce_ms))
		return false;
	if (cfg->roc_announce_ms != 0 && cfg->roc_announce_ms < 100) {
		vg_cfg_error(c, s, "roc_announce_ms: %u is too often (100 to "
			     "60000 ms, or 0 for none)", cfg->roc_announce_ms);
		return false;
	}
	return true;
}

static bool
gw_mbufs(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg *cfg = o;

	return vg_cfg_want_uint(c, s, 1023, 1048575, &cfg->mbufs);
}

static bool
gw_arp_retry(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg *cfg = o;

	return vg_cfg_want_uint(c, s, 10, 60000, &cfg->arp_retry_ms);
}

/* Only the syntax: whether the directory exists and is writable is the
 * runtime's to find out when it opens it (--check-config may run on
 * another machine). */
static bool
gw_state_dir(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg *cfg = o;

	return vg_cfg_want_path(c, s, cfg->state_dir, sizeof(cfg->state_dir));
}

static bool
gw_max_pps(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg *cfg = o;
	unsigned v;

	if (!vg_cfg_want_uint(c, s, 1, VG_CFG_MAX_PPS, &v))
		return false;
	cfg->max_pps = v;
	return true;
}

static bool
gw_max_burst(struct vg_cfg_ctx *c, const config_setting_t *s, void *o)
{
	struct vg_cfg *cfg = o;
	unsigned v;

	if (!vg_cfg_want_uint(c, s, 1, VG_CFG_MAX_BURST, &v))
		return false;
	cfg->max_burst = v;
	return true;
}

static const struct vg_cfg_key gateway_keys[] = {
	{ "engine", false, gw_engine },
	{ "cryptodev", false, gw_cryptodev },
	{ "cryptodev_gcm", false, gw_cryptodev_gcm },
	{ "summary_interval", false, gw_summary },
	{ "roc_announce_ms", false, gw_announce },
	{ "mbufs", false, gw_mbufs },
	{ "arp_retry_ms", false, gw_arp_retry },
	{ "state_dir", false, gw_state_dir },
	{ "max_pps", false, gw_max_pps },
	{ "max_burst", false, gw_max_burst },
	{ NULL, false, NULL },
};

void
vg_cfg_gateway_defaults(struct vg_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->engine, sizeof(cfg->engine), "cryptodev");
	snprintf(cfg->cryptodev, sizeof(cfg->cryptodev), "crypto_aesni_mb");
	snprintf(cfg->cryptodev_gcm, sizeof(cfg->cryptodev_gcm),
		 "crypto_aesni_gcm");
	cfg->summary_interval = 5;
	cfg->roc_announce_ms = 1000;
	cfg->mbufs = 16383;
	cfg->arp_retry_ms = 1000;
	snprintf(cfg->state_dir, sizeof(cfg->state_dir), "/var/lib/vigie");
	cfg->max_pps = 10000;
	cfg->max_burst = 4000;
}

/* Walked before any section, so that sections may take their defaults
 * from it (a camera's max_pps, max_burst). */
void
vg_cfg_load_gateway(struct vg_cfg_ctx *c, const config_setting_t *root)
{
	const config_setting_t *g = config_setting_get_member(root, "gateway");

	if (g != NULL)
		vg_cfg_walk(c, g, "gateway", VG_CFG_NONE, gateway_keys, c->cfg);
}
