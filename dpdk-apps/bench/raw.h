/* SPDX-License-Identifier: BSD-3-Clause */
/* The raw crypto loop of vigie-bench (--raw): the suite's cipher and MAC
 * on a crypto device, burst after burst, with nothing of the gateway around
 * it, the way dpdk-test-crypto-perf measures the ceiling, except that the
 * buffers cycle through as many as the gateway's data went through.
 *
 * Why: crypto-perf takes its ops (and their buffers) from a mempool whose
 * per-lcore cache hands the same few hundred back every burst, so its
 * ceiling is the crypto of data already in the core's L1/L2.  A gateway
 * encrypts packets that have just arrived (from the NIC, in L3 at best).
 * Run with as many buffers as the gateway used (vigie-bench's RESULT
 * buffers=: its LIFO pool keeps them to the access ring and the lcore
 * caches, 4,704 of 16,383), this loop measures the device on such data;
 * run with few, it must agree with crypto-perf (which checks that the loop
 * is equivalent). */
#ifndef VG_BENCH_RAW_H
#define VG_BENCH_RAW_H

#include "vigie/suite.h"

struct vg_bench_raw {
	const char *device;		/* vdev string, e.g. crypto_aesni_mb */
	enum vg_suite suite;
	unsigned size;			/* bytes: RTP header + payload */
	unsigned buffers;		/* buffers cycled through */
	double seconds;
};

/* Run the loop on the calling lcore; prints one RESULT line.  0, or -1
 * with a message on stderr. */
int vg_bench_raw_run(const struct vg_bench_raw *r);

#endif
