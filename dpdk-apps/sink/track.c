/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>
#include "track.h"

#define SUB (1u << VG_TRACK_LAT_SUB_BITS)
#define WRAP 65536ull

static const char *const event_names[] = {
#define VG_TRACK_NAME(sym, str) str,
	VG_TRACK_EVENTS(VG_TRACK_NAME)
#undef VG_TRACK_NAME
};

_Static_assert(sizeof(event_names) / sizeof(event_names[0]) ==
	       VG_TRACK_EVENT_COUNT, "one name per event");
_Static_assert(VG_TRACK_WINDOW % 64 == 0, "window in whole words");

const char *
vg_track_event_name(enum vg_track_event ev)
{
	return (unsigned)ev < VG_TRACK_EVENT_COUNT ? event_names[ev] : "?";
}

void
vg_track_init(struct vg_track *t)
{
	memset(t, 0, sizeof(*t));
}

/* Exact below 2 * SUB; above, SUB buckets per power of two. */
static unsigned
lat_index(uint64_t v)
{
	unsigned e, shift;

	if (v < SUB)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);
	shift = e - VG_TRACK_LAT_SUB_BITS;
	return (shift + 1) * SUB + (unsigned)((v >> shift) & (SUB - 1));
}

static uint64_t
lat_mid(unsigned i)
{
	unsigned shift;

	if (i < SUB)
		return i;
	shift = i / SUB - 1;
	return ((uint64_t)(SUB + i % SUB) << shift) + ((1ull << shift) >> 1);
}

static void
lat_add(struct vg_track_lat *h, uint64_t sent_ns, uint64_t rx_ns)
{
	uint64_t v;
	unsigned i;

	if (sent_ns == 0) {
		h->unknown++;
		return;
	}
	/* A sender clock ahead of ours: a real measure is impossible, and
	 * folding it into 0 would make the histogram look better than it is. */
	if (rx_ns < sent_ns) {
		h->negative++;
		return;
	}
	v = rx_ns - sent_ns;
	if (h->count == 0 || v < h->min_ns)
		h->min_ns = v;
	if (v > h->max_ns)
		h->max_ns = v;
	h->count++;
	h->sum_ns += (double)v;
	i = lat_index(v);
	if (v > VG_TRACK_LAT_MAX_NS || i >= VG_TRACK_LAT_BUCKETS)
		h->over++;
	else
		h->bucket[i]++;
}

uint64_t
vg_track_lat_pct(const struct vg_track_lat *h, double pct)
{
	uint64_t rank, cum = 0, v;

	if (h->count == 0)
		return 0;
	rank = (uint64_t)(pct / 100.0 * (double)h->count + 0.999999);
	if (rank < 1)
		rank = 1;
	for (unsigned i = 0; i < VG_TRACK_LAT_BUCKETS; i++) {
		cum += h->bucket[i];
		if (cum >= rank) {
			v = lat_mid(i);
			return v < h->min_ns ? h->min_ns :
			       v > h->max_ns ? h->max_ns : v;
		}
	}
	return h->max_ns;		/* the rank is among the `over` */
}

double
vg_track_lat_mean(const struct vg_track_lat *h)
{
	return h->count ? h->sum_ns / (double)h->count : 0.0;
}

/* RFC 3550 appendix A.1's idea: the 16-bit counter is taken as the
 * extended value closest to the highest so far.  base keeps highest at
 * 65,536 or more, so that stepping back over a wrap never goes below 0. */
static uint64_t
extend16(const struct vg_track *t, uint64_t c)
{
	uint64_t ext = (t->highest & ~(WRAP - 1)) | (c & (WRAP - 1));

	if (ext > t->highest + WRAP / 2)
		ext -= WRAP;
	else if (ext + WRAP / 2 < t->highest)
		ext += WRAP;
	return ext;
}

static bool
seen_test_set(struct vg_track *t, uint64_t c)
{
	uint64_t *w = &t->seen[(c % VG_TRACK_WINDOW) / 64];
	uint64_t bit = 1ull << (c % 64);
	bool was = (*w & bit) != 0;

	*w |= bit;
	return was;
}

/* Counters highest+1 .. c take over the slots of those leaving the window. */
static void
advance(struct vg_track *t, uint64_t c)
{
	if (c - t->highest >= VG_TRACK_WINDOW) {
		memset(t->seen, 0, sizeof(t->seen));
	} else {
		for (uint64_t x = t->highest + 1; x <= c; x++)
			t->seen[(x % VG_TRACK_WINDOW) / 64] &=
				~(1ull << (x % 64));
	}
	t->highest = c;
}

static void
first_probe(struct vg_track *t, const struct vg_probe *pr)
{
	t->started = true;
	t->wrap16 = (pr->flags & VG_PROBE_WRAP16) != 0;
	t->base = t->wrap16 ? WRAP : 0;
	t->lowest = t->highest = t->base + (t->wrap16 ? pr->counter &
					    (WRAP - 1) : pr->counter);
	t->received = 1;
	seen_test_set(t, t->highest);
}

static void
sequence(struct vg_track *t, const struct vg_probe *pr)
{
	uint64_t c;

	if (!t->started) {
		first_probe(t, pr);
		return;
	}
	c = t->wrap16 ? extend16(t, pr->counter) : pr->counter;
	if (c > t->highest) {
		advance(t, c);
		seen_test_set(t, c);
		t->received++;
	} else if (t->highest - c < VG_TRACK_WINDOW) {
		if (seen_test_set(t, c)) {
			t->dup++;
			return;
		}
		t->reordered++;
		t->received++;
	} else {
		t->late++;
		t->reordered++;
		t->received++;
	}
	if (c < t->lowest)
		t->lowest = c;
}

void
vg_track_rtp(struct vg_track *t, const struct vg_probe *pr,
	     uint32_t srtp_len, uint32_t payload_len, uint64_t rx_ns)
{
	if (t->packets == 0)
		t->first_ns = rx_ns;
	t->last_ns = rx_ns;
	t->packets++;
	t->bytes += srtp_len;
	t->payload_bytes += payload_len;
	if (pr == NULL) {
		t->events[VG_TRACK_NO_PROBE]++;
		return;
	}
	sequence(t, pr);
	lat_add(&t->lat, pr->sent_ns, rx_ns);
}

uint64_t
vg_track_expected(const struct vg_track *t)
{
	return t->started ? t->highest - t->lowest + 1 : 0;
}

uint64_t
vg_track_lost(const struct vg_track *t)
{
	uint64_t exp = vg_track_expected(t);

	return exp > t->received ? exp - t->received : 0;
}

double
vg_track_loss_pct(const struct vg_track *t)
{
	uint64_t exp = vg_track_expected(t);

	return exp ? 100.0 * (double)vg_track_lost(t) / (double)exp : 0.0;
}

uint64_t
vg_track_highest(const struct vg_track *t)
{
	return t->started ? t->highest - t->base : 0;
}

void
vg_track_rates(const struct vg_track *t, struct vg_track_rates *r)
{
	double n = (double)t->packets;

	memset(r, 0, sizeof(*r));
	r->seconds = (double)(t->last_ns - t->first_ns) / 1e9;
	if (t->packets < 2 || r->seconds <= 0)
		return;
	/* n packets span n - 1 intervals: count one packet less, so that a
	 * paced stream measures its pace, not pace * n / (n - 1). */
	r->pps = (n - 1) / r->seconds;
	r->mbps = (double)t->payload_bytes * 8.0 * (n - 1) / n /
		  r->seconds / 1e6;
}
