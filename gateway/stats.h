/* SPDX-License-Identifier: BSD-3-Clause */
/* Reports: the periodic one-line summary, the full counters printed at
 * exit, and the /vigie/... telemetry commands.  Readers only: counters are
 * written by the worker alone (64-bit aligned words, no torn reads on the
 * platforms DPDK supports). */
#ifndef VG_STATS_H
#define VG_STATS_H

#include <stdio.h>

struct vg_gw;

/* One line: uptime, rx/tx packets and rates since the last call, active
 * streams, drops by reason. */
void vg_stats_summary(const struct vg_gw *gw, FILE *out);

/* Every counter, one per line, grep-able:
 *   port NAME rx N tx N drop N
 *   drop REASON N                       (non-zero reasons only)
 *   stream NAME rtp N rtcp N bytes N replay N ssrc-changes N last-seen-ms N
 *   local arp-replies N arp-requests N echo-replies N
 *   neighbour ADDR MAC|unresolved port NAME requests N [static]
 *   engine NAME streams N bytes-per-stream N */
void vg_stats_dump(const struct vg_gw *gw, FILE *out);

/* Memory the gateway holds per camera stream, all modules together. */
size_t vg_stats_stream_bytes(const struct vg_gw *gw);

/* Register /vigie/ports, /vigie/drops, /vigie/streams, /vigie/neighbours,
 * /vigie/engine with DPDK telemetry (dpdk-telemetry.py reads them). */
int vg_stats_telemetry_register(struct vg_gw *gw);

/* Register /vigie/reload[,PATH] (reload.h): checks PATH, by default
 * config (the start-up --config), with the start-up --state-dir
 * state_dir (NULL: none), against the running configuration.  After
 * vg_stats_telemetry_register; both strings outlive the gateway. */
int vg_stats_telemetry_reload(const char *config, const char *state_dir);

/* Before the tables are freed: the /vigie/... commands answer an error
 * from now on, and any still reading them has returned (the telemetry
 * thread runs until rte_eal_cleanup). */
void vg_stats_telemetry_stop(void);

#endif
