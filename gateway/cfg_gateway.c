/* The `gateway = { ... }` group: process-wide settings, one typed parser
 * per key (see cfg.c for the loader that walks them). */
#include <string.h>

#include "cfg_int.h"

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

const struct vg_cfg_key vg_cfg_gateway_keys[] = {
	{ "engine", false, gw_engine },
	{ "cryptodev", false, gw_cryptodev },
	{ "cryptodev_gcm", false, gw_cryptodev_gcm },
	{ "summary_interval", false, gw_summary },
	{ "mbufs", false, gw_mbufs },
	{ "arp_retry_ms", false, gw_arp_retry },
	{ NULL, false, NULL },
};
