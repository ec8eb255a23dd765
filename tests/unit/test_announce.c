/* SPDX-License-Identifier: BSD-3-Clause */
/* ROC announcements (announce.h): the layout, the parser's refusals, a
 * compound that carries more than the announcement. */
#include <stdlib.h>
#include <string.h>
#include "announce.h"
#include "harness.h"

static void
test_round_trip(void)
{
	static const uint64_t next[] = { 1, 65536, (5ull << 16) + 17,
					 (1ull << 48) - 1 };
	uint8_t p[VG_ANNOUNCE_LEN];
	uint64_t got;
	bool only;

	for (unsigned i = 0; i < sizeof(next) / sizeof(next[0]); i++) {
		CHECK(vg_announce_build(p, 0x10000001, next[i]) == VG_ANNOUNCE_LEN);
		CHECK(vg_announce_parse(p, sizeof(p), 0x10000001, &got, &only) &&
		      got == next[i] && only, "index %llu",
		      (unsigned long long)next[i]);
	}
	/* RFC 3550: an RR with no block, then APP "VGRC" of 20 bytes. */
	CHECK(p[0] == 0x80 && p[1] == 201 && p[3] == 1 && p[8] == 0x80 &&
	      p[9] == 204 && p[11] == 4 && memcmp(p + 16, "VGRC", 4) == 0);
	CHECK(!vg_announce_parse(p, sizeof(p), 0x10000002, &got, &only),
	      "another stream's");
}

static void
test_refused(void)
{
	uint8_t p[VG_ANNOUNCE_LEN], q[VG_ANNOUNCE_LEN];
	uint64_t got;
	bool only;

	vg_announce_build(p, 7, 1000);
	/* Each truncation in a buffer of exactly its size: never found (a
	 * length check missing reads past it: ASan). */
	for (unsigned len = 0; len < VG_ANNOUNCE_LEN; len++) {
		uint8_t *t = malloc(len ? len : 1);

		CHECK(t != NULL);
		if (t == NULL)
			break;
		memcpy(t, p, len);
		only = true;
		CHECK(!vg_announce_parse(t, len, 7, &got, &only) && !only,
		      "truncated to %u", len);
		free(t);
	}
	memcpy(q, p, sizeof(q));
	q[20] = 2;
	CHECK(!vg_announce_parse(q, sizeof(q), 7, &got, &only), "version 2");
	memcpy(q, p, sizeof(q));
	q[19] = 'X';
	CHECK(!vg_announce_parse(q, sizeof(q), 7, &got, &only), "another name");
	memcpy(q, p, sizeof(q));
	q[11] = 9;
	CHECK(!vg_announce_parse(q, sizeof(q), 7, &got, &only),
	      "length past the end");
	memcpy(q, p, sizeof(q));
	q[8] = 0x40;
	CHECK(!vg_announce_parse(q, sizeof(q), 7, &got, &only), "version 1 RTP");
}

/* After a sender report: found, but not alone (the VMS gets the SR). */
static void
test_in_compound(void)
{
	uint8_t p[28 + VG_ANNOUNCE_LEN] = { 0x80, 200, 0, 6, 0, 0, 0, 7 };
	uint64_t got;
	bool only;

	vg_announce_build(p + 28, 7, 99);
	CHECK(vg_announce_parse(p, sizeof(p), 7, &got, &only) && got == 99 &&
	      !only);
}

int
main(void)
{
	VG_RUN(test_round_trip);
	VG_RUN(test_refused);
	VG_RUN(test_in_compound);
	VG_TEST_END();
}
