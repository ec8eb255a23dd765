/* SPDX-License-Identifier: BSD-3-Clause */
/* Durable index reservations (DESIGN invariant 3): the main lcore reserves
 * every protect stream's SRTP and SRTCP indexes ahead of use in the state
 * directory (state.h) and only then lets the worker use them; the worker
 * never waits for I/O and drops (counted: no-reservation) a packet whose
 * index is not reserved yet.  After any stop, SIGKILL and power loss
 * included, the next start continues each stream at its durable limit:
 * strictly above every index it may have used, by a jump of at most
 * VG_RESERVE_AHEAD, which a receiver that stayed up follows (< 2^15).
 *
 * Receivers (unprotect streams) keep their last authenticated SRTP and
 * SRTCP indexes in the same file, saved every 5 s and at a clean stop:
 * a center that restarts resumes each stream where it was and accepts
 * nothing it accepted before (after a crash, the packets of the last
 * 5 s before it could be accepted once more: the window a power cut
 * leaves).
 *
 * Owns the state directory handle and the records of this configuration's
 * streams, plus the records of streams no longer configured (carried over
 * unchanged, so that a camera removed and later added back under the same
 * key and SSRC still continues above its old indexes).  Called by the main
 * lcore only: vg_gw_setup opens it before the worker starts, the control
 * loop calls vg_reserve_tick, vg_gw_teardown closes it after the worker
 * has stopped. */
#ifndef VG_RESERVE_H
#define VG_RESERVE_H

#include <stdint.h>
#include <stdio.h>
#include "stream.h"	/* VG_RESERVE_AHEAD */

struct vg_gw;
struct vg_reserve;

/* Open gw->cfg.state_dir, read it, start every protect stream of gw at
 * its durable limit (or at 0 / SRTCP 1 for a key's first use), reserve
 * ahead, make that durable and publish the limits.  Says on out how many
 * streams continue and how many start fresh.  0, or -1 with err (a damaged
 * state file, a directory another gateway holds, a full disk: the gateway
 * must not start). */
int vg_reserve_open(struct vg_gw *gw, FILE *out, char *err, size_t errlen);

/* Main lcore, often (every few ms): when the worker asked (a stream used
 * half of its reservation), reserve every protect stream VG_RESERVE_AHEAD
 * ahead again, durably, then publish.  Returns 1 after a write, 0 when
 * nothing was needed, -1 when the write failed (logged on out, at most
 * once per 10 s; nothing published, the streams run on what they have and
 * then drop). */
int vg_reserve_tick(struct vg_gw *gw, FILE *out);

/* After the worker stopped: record each stream's exact next index (a
 * clean restart then makes no jump) and release the directory.  0, or -1
 * (logged on out) when that last write failed: the reservations on disk
 * still hold.  gw->reserve may be NULL. */
int vg_reserve_close(struct vg_gw *gw, FILE *out);

/* Counters for telemetry and the summary. */
struct vg_reserve_stats {
	uint64_t writes;		/* durable writes done */
	uint64_t write_errors;
	uint64_t bytes;			/* size of the last file written */
	uint64_t last_write_us;		/* duration of the last write */
	unsigned fresh, resumed;	/* protect streams at start */
};
void vg_reserve_stats(const struct vg_gw *gw, struct vg_reserve_stats *st);

#endif
