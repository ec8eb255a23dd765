/* SPDX-License-Identifier: BSD-3-Clause */
/* libFuzzer target for the RTCP rewriters that run on compounds from
 * cameras, centers and VMSs (stream.c), the ROC announcement parser
 * (announce.c) and for the probe reader: each
 * input is copied into a heap buffer of exactly its size so that ASan
 * reports any access past the end. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "announce.h"
#include "probe.h"
#include "stream.h"

#define INVARIANT(cond)                                                      \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "invariant failed: %s\n", #cond);    \
			abort();                                             \
		}                                                            \
	} while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *p, *q;
	uint32_t ssrc;
	struct vg_probe pr;

	if (size < 4)
		return 0;
	/* The first 4 bytes choose the SSRC; the rest is the compound. */
	memcpy(&ssrc, data, 4);
	data += 4;
	size -= 4;
	p = malloc(size ? size : 1);
	q = malloc(size ? size : 1);
	if (p == NULL || q == NULL)
		abort();
	memcpy(p, data, size);
	/* A ROC announcement found is one the builder would write. */
	{
		uint8_t a[VG_ANNOUNCE_LEN];
		uint64_t next;
		bool only;

		if (vg_announce_parse(p, (uint32_t)size, ssrc, &next, &only)) {
			INVARIANT(next < (1ull << 48));
			vg_announce_build(a, ssrc, next);
			INVARIANT(!only || memcmp(a, p, sizeof(a)) == 0);
		}
	}
	/* Rewriting the sender SSRC is idempotent. */
	vg_stream_rtcp_set_ssrc(p, (uint32_t)size, ssrc);
	memcpy(q, p, size);
	vg_stream_rtcp_set_ssrc(q, (uint32_t)size, ssrc);
	INVARIANT(memcmp(p, q, size) == 0);
	/* Media SSRC x -> x changes nothing; x -> y -> ... counts agree. */
	vg_stream_rtcp_set_media(q, (uint32_t)size, ssrc, ssrc);
	INVARIANT(memcmp(p, q, size) == 0);
	(void)vg_stream_rtcp_set_media(q, (uint32_t)size, ssrc, ~ssrc);
	(void)vg_probe_read(p, size, &pr);
	free(p);
	free(q);
	return 0;
}
