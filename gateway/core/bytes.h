/* SPDX-License-Identifier: BSD-3-Clause */
/* Big-endian (network order) loads and stores on unaligned bytes, for the
 * pure modules that cannot use DPDK's byte-order helpers. */
#ifndef VG_BYTES_H
#define VG_BYTES_H

#include <stdint.h>

static inline uint16_t
vg_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
vg_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void
vg_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void
vg_put_be32(uint8_t *p, uint32_t v)
{
	vg_put_be16(p, (uint16_t)(v >> 16));
	vg_put_be16(p + 2, (uint16_t)v);
}

#endif
