/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include <time.h>
#include "probe.h"
#include "vigie/bytes.h"

static const uint8_t magic[4] = { 'V', 'G', 'P', '1' };

static void
put_be64(uint8_t *p, uint64_t v)
{
	vg_put_be32(p, (uint32_t)(v >> 32));
	vg_put_be32(p + 4, (uint32_t)v);
}

static uint64_t
get_be64(const uint8_t *p)
{
	return (uint64_t)vg_get_be32(p) << 32 | vg_get_be32(p + 4);
}

bool
vg_probe_write(uint8_t *payload, size_t len, const struct vg_probe *pr)
{
	uint8_t *p;

	if (len < VG_PROBE_LEN)
		return false;
	p = payload + len - VG_PROBE_LEN;
	memcpy(p, magic, sizeof(magic));
	vg_put_be32(p + 4, pr->camera);
	put_be64(p + 8, pr->counter);
	put_be64(p + 16, pr->sent_ns);
	vg_put_be32(p + 24, pr->flags);
	return true;
}

bool
vg_probe_read(const uint8_t *payload, size_t len, struct vg_probe *pr)
{
	const uint8_t *p;

	if (len < VG_PROBE_LEN)
		return false;
	p = payload + len - VG_PROBE_LEN;
	if (memcmp(p, magic, sizeof(magic)) != 0)
		return false;
	pr->camera = vg_get_be32(p + 4);
	pr->counter = get_be64(p + 8);
	pr->sent_ns = get_be64(p + 16);
	pr->flags = vg_get_be32(p + 24);
	return true;
}

uint64_t
vg_probe_now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}
