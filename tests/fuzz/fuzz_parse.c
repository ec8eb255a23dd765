/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target for vg_parse_frame: the frame is copied into a heap
 * buffer of exactly its size so that ASan reports any read past the end,
 * and every accepted frame must describe regions that lie inside it. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/* Not assert(): the invariants must hold even in an NDEBUG build. */
#define INVARIANT(cond)                                                      \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "invariant failed: %s\n", #cond);    \
			abort();                                             \
		}                                                            \
	} while (0)

static void
check_ip(const struct vg_parsed *o, size_t len)
{
	INVARIANT(o->l4_off >= o->l3_off + 20);
	INVARIANT((size_t)o->app_off + o->app_len <= len);
	if (o->kind == VG_PKT_ICMP_ECHO) {
		INVARIANT(o->proto == 1);
		INVARIANT(o->app_off == o->l4_off + 8);
		return;
	}
	INVARIANT(o->proto == 17);
	INVARIANT(o->app_off == o->l4_off + 8);
	if (o->kind == VG_PKT_RTP) {
		INVARIANT(o->rtp_hdr_len >= 12);
		INVARIANT(o->rtp_hdr_len <= o->app_len);
		INVARIANT(o->pt < 128);
	} else {
		INVARIANT(o->app_len >= 8);
		INVARIANT(o->pt >= 192 && o->pt <= 223);
	}
}

static void
check_parsed(const struct vg_parsed *o, size_t len)
{
	INVARIANT(o->l3_off == 14 || o->l3_off == 18);
	INVARIANT(o->l3_off < len);
	INVARIANT(o->vlan <= 0x0fff);
	switch (o->kind) {
	case VG_PKT_ARP:
		INVARIANT((size_t)o->l3_off + 28 <= len);
		INVARIANT(o->arp_op == 1 || o->arp_op == 2);
		break;
	case VG_PKT_ICMP_ECHO:
	case VG_PKT_RTP:
	case VG_PKT_RTCP:
		check_ip(o, len);
		break;
	default:
		INVARIANT(!"unknown kind");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vg_parsed out;
	enum vg_drop r;
	uint8_t *copy;

	/* No Ethernet frame reaches 64 KiB: larger inputs only slow the
	 * search down. */
	if (size > 65535)
		return 0;
	copy = malloc(size);
	if (copy == NULL && size != 0)
		return 0;
	if (size != 0)
		memcpy(copy, data, size);
	r = vg_parse_frame(copy, (uint32_t)size, &out);
	INVARIANT((unsigned)r < VG_DROP_COUNT);
	if (r == VG_DROP_NONE)
		check_parsed(&out, size);
	free(copy);
	return 0;
}
