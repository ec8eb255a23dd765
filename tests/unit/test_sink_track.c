/* SPDX-License-Identifier: BSD-3-Clause */
/* vigie-sink's per-stream accounting: loss, duplicates, reordering,
 * 16-bit counter wraps and the latency histogram. */
#include <math.h>
#include <string.h>
#include "harness.h"
#include "track.h"

#define MS 1000000ull
#define US 1000ull
#define T0 1700000000000000000ull	/* a plausible CLOCK_REALTIME */

static void
rx(struct vg_track *t, uint64_t counter, uint32_t flags, uint64_t sent,
   uint64_t now)
{
	struct vg_probe pr = { .camera = 0, .counter = counter,
			       .sent_ns = sent, .flags = flags };

	vg_track_rtp(t, &pr, 1010, 1000, now);
}

static void
rx_seq(struct vg_track *t, uint64_t counter)
{
	rx(t, counter, 0, 0, T0 + counter * MS);
}

static void
test_in_order(void)
{
	static struct vg_track t;
	struct vg_track_rates r;

	vg_track_init(&t);
	for (uint64_t c = 0; c < 1000; c++)
		rx(&t, c, 0, T0 + c * MS - 50 * US, T0 + c * MS);
	vg_track_rates(&t, &r);
	CHECK(t.packets == 1000 && t.bytes == 1010000 &&
	      t.payload_bytes == 1000000);
	CHECK(vg_track_expected(&t) == 1000 && vg_track_lost(&t) == 0);
	CHECK(t.dup == 0 && t.reordered == 0 && t.late == 0);
	CHECK(vg_track_highest(&t) == 999);
	CHECK(fabs(r.seconds - 0.999) < 1e-9, "%f", r.seconds);
	CHECK(fabs(r.pps - 1000.0) < 1e-6, "pps %f", r.pps);
	CHECK(fabs(r.mbps - 8.0) < 1e-6, "mbps %f", r.mbps);
	CHECK(t.lat.count == 1000 && t.lat.min_ns == 50 * US &&
	      t.lat.max_ns == 50 * US && vg_track_lat_pct(&t.lat, 99) ==
	      50 * US);
	CHECK(t.events[VG_TRACK_NO_PROBE] == 0);
	vg_track_rtp(&t, NULL, 100, 88, T0 + 1000 * MS);
	CHECK(t.packets == 1001 && t.events[VG_TRACK_NO_PROBE] == 1 &&
	      vg_track_expected(&t) == 1000, "no probe: counted, no sequence");
}

static void
test_loss(void)
{
	static struct vg_track t;

	vg_track_init(&t);
	for (uint64_t c = 0; c < 100; c++)
		if (c < 40 || c >= 50)
			rx_seq(&t, c);
	CHECK(vg_track_expected(&t) == 100 && t.received == 90);
	CHECK(vg_track_lost(&t) == 10 && fabs(vg_track_loss_pct(&t) - 10.0) <
	      1e-9);
	/* The missing ones arriving late are reordered, not loss. */
	for (uint64_t c = 40; c < 50; c++)
		rx_seq(&t, c);
	CHECK(vg_track_lost(&t) == 0 && t.reordered == 10 && t.dup == 0);
	/* A stream that starts at 1000 (sink started late) loses nothing. */
	vg_track_init(&t);
	for (uint64_t c = 1000; c < 1010; c++)
		rx_seq(&t, c);
	CHECK(vg_track_expected(&t) == 10 && vg_track_lost(&t) == 0);
	/* A jump beyond the window clears it and counts the gap. */
	rx_seq(&t, 5000);
	CHECK(vg_track_lost(&t) == 5000 - 1010);
	rx_seq(&t, 5000);
	CHECK(t.dup == 1, "dup after a window reset");
}

static void
test_duplicates(void)
{
	static struct vg_track t;

	vg_track_init(&t);
	for (uint64_t c = 0; c < 10; c++)
		rx_seq(&t, c);
	rx_seq(&t, 5);
	rx_seq(&t, 9);
	rx_seq(&t, 9);
	CHECK(t.packets == 13 && t.dup == 3 && t.reordered == 0);
	CHECK(vg_track_expected(&t) == 10 && vg_track_lost(&t) == 0);
	/* At the edge of the window: still known as seen. */
	for (uint64_t c = 10; c < 10 + VG_TRACK_WINDOW; c++)
		rx_seq(&t, c);
	rx_seq(&t, 10);
	CHECK(t.dup == 4 && t.late == 0, "dup %llu late %llu",
	      (unsigned long long)t.dup, (unsigned long long)t.late);
	/* Just past it: a duplicate can no longer be told, counted late. */
	rx_seq(&t, 9);
	CHECK(t.dup == 4 && t.late == 1 && vg_track_lost(&t) == 0);
}

static void
test_reorder(void)
{
	static struct vg_track t;
	static const uint64_t order[] = { 5, 0, 1, 3, 2, 4, 7, 6, 8 };

	vg_track_init(&t);
	for (unsigned i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		rx_seq(&t, order[i]);
	/* 0..4 below the first (5), then 6 after 7. */
	CHECK(t.reordered == 6 && t.dup == 0, "reordered %llu",
	      (unsigned long long)t.reordered);
	CHECK(vg_track_expected(&t) == 9 && vg_track_lost(&t) == 0);
	rx_seq(&t, 3);
	CHECK(t.dup == 1 && t.reordered == 6);
	/* Far behind: late, reordered, received. */
	vg_track_init(&t);
	for (uint64_t c = 0; c <= 3000; c++)
		if (c != 10)
			rx_seq(&t, c);
	CHECK(vg_track_lost(&t) == 1);
	rx_seq(&t, 10);
	CHECK(t.late == 1 && t.reordered == 1 && vg_track_lost(&t) == 0);
}

static void
rx16(struct vg_track *t, uint64_t n)
{
	rx(t, n & 0xffff, VG_PROBE_WRAP16, 0, T0 + n * US);
}

static void
test_wrap16(void)
{
	static struct vg_track t;
	const uint64_t n = 3 * 65536 + 100;
	unsigned ok = 1;

	/* Three and a bit loops of a 65,536-packet capture, with a loss on
	 * each side of every wrap and the wrap's last packet reordered. */
	vg_track_init(&t);
	for (uint64_t i = 0; i < n; i++) {
		uint16_t c = (uint16_t)i;

		if (c == 65534 || c == 1)
			continue;
		if (c == 65535)
			continue;		/* sent after 2 below */
		rx16(&t, i);
		if (c == 2 && i > 65536)
			rx16(&t, i - 3);
	}
	CHECK(vg_track_expected(&t) == n, "expected %llu",
	      (unsigned long long)vg_track_expected(&t));
	/* Lost: 1 in the first loop, then 65534 and 1 for three wraps;
	 * 65535 of the last loop (never wrapped after) was not sent. */
	CHECK(vg_track_lost(&t) == 1 + 3 * 2, "lost %llu",
	      (unsigned long long)vg_track_lost(&t));
	CHECK(t.reordered == 3 && t.dup == 0 && t.late == 0);
	CHECK(vg_track_highest(&t) == n - 1);
	CHECK(t.lat.unknown == t.packets && t.lat.count == 0, "sent_ns 0");
	/* Starting just before a wrap, then stepping back over it. */
	vg_track_init(&t);
	for (uint64_t i = 65530; i < 65536 + 5; i++)
		rx16(&t, i);
	rx16(&t, 65529);
	CHECK(vg_track_expected(&t) == 12 && vg_track_lost(&t) == 0);
	CHECK(t.reordered == 1 && t.dup == 0);
	for (uint64_t i = 65536 + 5; i < 5 * 65536; i++)
		ok &= (rx16(&t, i), vg_track_lost(&t) == 0);
	CHECK(ok && vg_track_highest(&t) == 5 * 65536 - 1);
}

static void
test_latency(void)
{
	static struct vg_track t;
	struct vg_track_lat *h = &t.lat;
	uint64_t p50, p90, p99, worst = 0;

	/* 1 µs .. 10 ms, uniform: percentiles are known. */
	vg_track_init(&t);
	for (uint64_t i = 1; i <= 10000; i++)
		rx(&t, i, 0, T0, T0 + i * US);
	p50 = vg_track_lat_pct(h, 50);
	p90 = vg_track_lat_pct(h, 90);
	p99 = vg_track_lat_pct(h, 99);
	CHECK(fabs((double)p50 / 5000e3 - 1) < 0.032, "p50 %llu",
	      (unsigned long long)p50);
	CHECK(fabs((double)p90 / 9000e3 - 1) < 0.032, "p90 %llu",
	      (unsigned long long)p90);
	CHECK(fabs((double)p99 / 9900e3 - 1) < 0.032, "p99 %llu",
	      (unsigned long long)p99);
	CHECK(h->min_ns == 1 * US && h->max_ns == 10000 * US);
	CHECK(vg_track_lat_pct(h, 100) == 10000 * US);
	CHECK(fabs(vg_track_lat_mean(h) - 5000.5e3) < 1e-3);
	/* Skewed clocks and unknown send times stay out of the histogram. */
	rx(&t, 10001, 0, T0 + 5 * MS, T0);
	rx(&t, 10002, 0, 0, T0);
	CHECK(h->negative == 1 && h->unknown == 1 && h->count == 10000);
	CHECK(h->min_ns == 1 * US && vg_track_lat_pct(h, 50) == p50);
	/* Beyond 10 s: counted, the maximum, in no bucket. */
	rx(&t, 10003, 0, T0, T0 + 11000 * MS);
	CHECK(h->over == 1 && h->max_ns == 11000 * MS &&
	      vg_track_lat_pct(h, 100) == 11000 * MS);
	/* Precision of one bucket anywhere from 1 µs to 10 s: the median
	 * of {0, v, 20 s} is v's bucket. */
	for (double v = 1e3; v <= 1e10; v *= 1.0137) {
		double err;

		vg_track_init(&t);
		rx(&t, 0, 0, T0, T0 + 1);
		rx(&t, 1, 0, T0, T0 + (uint64_t)v);
		rx(&t, 2, 0, T0, T0 + 20000 * MS);
		err = fabs((double)vg_track_lat_pct(h, 50) / (uint64_t)v - 1);
		if (err > 0.0316)
			worst++;
	}
	CHECK(worst == 0, "%llu values off by more than 3.16 %%",
	      (unsigned long long)worst);
	CHECK(!strcmp(vg_track_event_name(VG_TRACK_AUTH_FAIL), "auth_fail"));
	CHECK(!strcmp(vg_track_event_name(VG_TRACK_RTCP_FAIL), "rtcp_fail"));
}

int
main(void)
{
	VG_RUN(test_in_order);
	VG_RUN(test_loss);
	VG_RUN(test_duplicates);
	VG_RUN(test_reorder);
	VG_RUN(test_wrap16);
	VG_RUN(test_latency);
	VG_TEST_END();
}
