/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-stream verification state of vigie-sink: what arrived on one
 * camera's stream and what its probes (probe.h) say about it.  Pure code,
 * no DPDK and no libsrtp: the sink feeds it one event per packet and the
 * unit tests feed it made-up streams.
 *
 * Sequence accounting works on the probe counter, never on the RTP
 * sequence number: the gateway renumbers RTP, camgen's counter is the
 * packet's true place in what was sent.
 *   expected  = highest - lowest + 1 (counters extended like RFC 3550
 *               extended sequence numbers when the probe says WRAP16)
 *   lost      = expected - distinct counters received (never below 0)
 *   dup       = a counter seen twice, within VG_TRACK_WINDOW of the highest
 *   reordered = below the highest seen, first time seen
 *   late      = more than VG_TRACK_WINDOW below the highest: counted as
 *               received and reordered, as a duplicate cannot be told
 *               there (so a late duplicate hides one lost packet)
 * A looped WRAP16 capture counts right only when each loop holds a
 * multiple of 65,536 packets per stream: a shorter loop jumps back. */
#ifndef VG_TRACK_H
#define VG_TRACK_H

#include <stdbool.h>
#include <stdint.h>
#include "probe.h"

#define VG_TRACK_WINDOW 1024		/* counters behind the highest: dup check */

/* Latency histogram: log-linear, 16 buckets per power of two (a bucket
 * is 1/32 to 1/16 of its value wide, so its midpoint is within ~3 %),
 * exact below 32 ns, up to VG_TRACK_LAT_MAX_NS; beyond goes to `over`. */
#define VG_TRACK_LAT_SUB_BITS 4
#define VG_TRACK_LAT_MAX_NS 10000000000ull	/* 10 s */
#define VG_TRACK_LAT_BUCKETS 483		/* the bucket of 10 s is the last */

struct vg_track_lat {
	uint64_t bucket[VG_TRACK_LAT_BUCKETS];
	uint64_t count;			/* samples in the histogram */
	uint64_t over;			/* of which above 10 s (in no bucket) */
	uint64_t min_ns, max_ns;
	double sum_ns;			/* a double: 2^64 ns is only 584 years */
	uint64_t negative;		/* received before sent: clock skew */
	uint64_t unknown;		/* probe with sent_ns 0 (pcap replay) */
};

/* Counted events besides authenticated RTP packets. */
#define VG_TRACK_EVENTS(X)                                                  \
	X(AUTH_FAIL,      "auth_fail")      /* SRTP authentication failed */  \
	X(REPLAY,         "replay")         /* libsrtp replay check refused */\
	X(ERROR,          "error")          /* any other libsrtp status */    \
	X(WRONG_SSRC,     "wrong_ssrc")     /* no session for the SSRC */     \
	X(NO_PROBE,       "no_probe")       /* authentic, but no probe */     \
	X(PROBE_CAMERA,   "probe_camera")   /* probe of another camera id */  \
	X(RTCP_OK,        "rtcp_ok")        /* SRTCP authenticated */         \
	X(RTCP_AUTH_FAIL, "rtcp_auth_fail")                                   \
	X(RTCP_FAIL,      "rtcp_fail")      /* SRTCP replay or other error */

enum vg_track_event {
#define VG_TRACK_ENUM(sym, str) VG_TRACK_##sym,
	VG_TRACK_EVENTS(VG_TRACK_ENUM)
#undef VG_TRACK_ENUM
	VG_TRACK_EVENT_COUNT
};

struct vg_track {
	/* authenticated RTP packets, probe or not */
	uint64_t packets;
	uint64_t bytes;			/* SRTP packet bytes (UDP payload) */
	uint64_t payload_bytes;		/* decrypted RTP payload bytes */
	uint64_t first_ns, last_ns;	/* receive times */
	uint64_t events[VG_TRACK_EVENT_COUNT];
	/* probe counters */
	bool started;
	bool wrap16;			/* from the stream's first probe */
	uint64_t base;			/* offset of extended counters */
	uint64_t lowest, highest;	/* extended */
	uint64_t received;		/* distinct counters */
	uint64_t dup, reordered, late;
	uint64_t seen[VG_TRACK_WINDOW / 64];	/* bit c % WINDOW: c seen */
	struct vg_track_lat lat;
};

struct vg_track_rates {
	double seconds;			/* first to last packet */
	double pps;
	double mbps;			/* RTP payload Mbit/s */
};

void vg_track_init(struct vg_track *t);

/* An authenticated RTP packet received at rx_ns (CLOCK_REALTIME ns) of
 * srtp_len bytes on the wire (UDP payload) and payload_len decrypted RTP
 * payload bytes; pr is its probe, or NULL when it has none. */
void vg_track_rtp(struct vg_track *t, const struct vg_probe *pr,
		  uint32_t srtp_len, uint32_t payload_len, uint64_t rx_ns);

static inline void
vg_track_count(struct vg_track *t, enum vg_track_event ev)
{
	t->events[ev]++;
}

/* Name of an event as used in the JSON report; never NULL. */
const char *vg_track_event_name(enum vg_track_event ev);

/* highest - lowest + 1 since the first probe; 0 before it. */
uint64_t vg_track_expected(const struct vg_track *t);
uint64_t vg_track_lost(const struct vg_track *t);
/* Lost as a percentage of expected; 0 when nothing was expected. */
double vg_track_loss_pct(const struct vg_track *t);
/* Highest counter received, as the sender numbered it (modulo 65,536
 * turned into a running count for WRAP16 streams). */
uint64_t vg_track_highest(const struct vg_track *t);

void vg_track_rates(const struct vg_track *t, struct vg_track_rates *r);

/* Latency in ns at percentile pct (0 < pct <= 100) of the samples in the
 * histogram, within ~3 % (clamped to the exact min and max); 0 when there
 * is none.  Samples above 10 s count as the maximum. */
uint64_t vg_track_lat_pct(const struct vg_track_lat *h, double pct);
/* Mean latency in ns of the samples; 0 when there is none. */
double vg_track_lat_mean(const struct vg_track_lat *h);

#endif
