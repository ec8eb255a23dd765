/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include "announce.h"
#include "bytes.h"

#define PT_RR 201
#define PT_APP 204
#define APP_LEN 20
#define VERSION 1

uint32_t
vg_announce_build(uint8_t *p, uint32_t ssrc, uint64_t next)
{
	memset(p, 0, VG_ANNOUNCE_LEN);
	p[0] = 0x80;
	p[1] = PT_RR;
	p[3] = 1;
	vg_put_be32(p + 4, ssrc);
	p[8] = 0x80;
	p[9] = PT_APP;
	p[11] = APP_LEN / 4 - 1;
	vg_put_be32(p + 12, ssrc);
	memcpy(p + 16, "VGRC", 4);
	p[20] = VERSION;
	vg_put_be16(p + 22, (uint16_t)(next >> 32));
	vg_put_be32(p + 24, (uint32_t)next);
	return VG_ANNOUNCE_LEN;
}

/* One APP packet of ours for ssrc, of version 1. */
static bool
is_ours(const uint8_t *q, uint32_t plen, uint32_t ssrc)
{
	return q[1] == PT_APP && (q[0] & 0x1f) == 0 && plen == APP_LEN &&
	       vg_get_be32(q + 4) == ssrc && memcmp(q + 8, "VGRC", 4) == 0 &&
	       q[12] == VERSION;
}

bool
vg_announce_parse(const uint8_t *p, uint32_t len, uint32_t ssrc,
		  uint64_t *next, bool *only)
{
	uint32_t off = 0, plen, packets = 0;
	bool found = false;

	while (off + 4 <= len) {
		const uint8_t *q = p + off;

		plen = ((uint32_t)vg_get_be16(q + 2) + 1) * 4;
		if ((q[0] >> 6) != 2 || plen > len - off)
			break;
		if (!found && is_ours(q, plen, ssrc)) {
			*next = (uint64_t)vg_get_be16(q + 14) << 32 |
				vg_get_be32(q + 16);
			found = true;
		}
		packets++;
		off += plen;
	}
	/* Ours alone: exactly what vg_announce_build writes. */
	*only = false;
	if (found && packets == 2 && len == VG_ANNOUNCE_LEN) {
		uint8_t a[VG_ANNOUNCE_LEN];

		vg_announce_build(a, ssrc, *next);
		*only = memcmp(a, p, VG_ANNOUNCE_LEN) == 0;
	}
	return found;
}
