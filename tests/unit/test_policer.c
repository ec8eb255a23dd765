/* SPDX-License-Identifier: BSD-3-Clause */
/* The per-stream policer (policer.h, GCRA): rate, burst, long silences, a clock
 * that goes backwards. */
#include <stdint.h>
#include "harness.h"
#include "policer.h"

#define HZ 2000000000ull	/* a 2 GHz TSC */

static unsigned
take_n(struct vg_policer *p, uint64_t now, unsigned n)
{
	unsigned ok = 0;

	for (unsigned i = 0; i < n; i++)
		ok += vg_policer_take(p, now);
	return ok;
}

static void
test_burst_then_rate(void)
{
	struct vg_policer p;
	uint64_t t = 1000;
	unsigned ok = 0;

	vg_policer_init(&p, 1000, 50, HZ, t);
	CHECK(take_n(&p, t, 80) == 50, "a full bucket passes its burst only");
	/* One second at 1,000 packets/s offered at 2,000/s: 1,000 pass. */
	for (unsigned i = 0; i < 2000; i++) {
		t += HZ / 2000;
		ok += vg_policer_take(&p, t);
	}
	CHECK(ok >= 999 && ok <= 1001, "%u of 2,000 passed in 1 s at 1,000/s", ok);
}

static void
test_silence_and_clock(void)
{
	struct vg_policer p;
	uint64_t t = 5;

	vg_policer_init(&p, 10000000, 1000000, HZ, t);
	CHECK(take_n(&p, t, 1000001) == 1000000, "largest burst");
	/* Hours of silence: dt x rate overflows 64 bits if computed. */
	t += 3600ull * 24 * 365 * HZ;
	CHECK(take_n(&p, t, 1000001) == 1000000, "full again, not more");
	/* A clock that goes backwards gives nothing. */
	CHECK(take_n(&p, t - HZ, 1) == 0);
	vg_policer_init(&p, 1, 1, HZ, t);
	CHECK(take_n(&p, t, 2) == 1 && take_n(&p, t + HZ - 1, 1) == 0 &&
	      take_n(&p, t + HZ, 1) == 1, "one packet per second");
}

int
main(void)
{
	VG_RUN(test_burst_then_rate);
	VG_RUN(test_silence_and_clock);
	VG_TEST_END();
}
