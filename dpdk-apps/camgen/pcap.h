/* SPDX-License-Identifier: BSD-3-Clause */
/* Classic pcap files (microsecond timestamps, Ethernet link type): the
 * format every replayer reads, pktgen's included (it takes no pcapng). */
#ifndef VG_PCAP_H
#define VG_PCAP_H

#include <stdint.h>
#include <stdio.h>

/* Open path and write the file header; NULL with errno set on failure. */
FILE *vg_pcap_open(const char *path);

/* Append one frame stamped t_ns (ns since the epoch).  0 or -1 (errno). */
int vg_pcap_write(FILE *f, uint64_t t_ns, const uint8_t *frame,
		  uint32_t len);

/* Flush and close; 0 or -1 (errno) if anything failed to reach the disk. */
int vg_pcap_close(FILE *f);

#endif
