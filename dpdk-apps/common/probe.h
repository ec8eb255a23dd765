/* SPDX-License-Identifier: BSD-3-Clause */
/* The probe that vigie-camgen puts in every RTP packet it sends and that
 * vigie-sink reads after decryption: which camera, the packet's place in
 * the stream, and when it was sent.  It sits in the last VG_PROBE_LEN bytes
 * of the RTP payload, so it does not depend on the H.264 packetization
 * before it.  Pure code over (pointer, length): unit-tested and fuzzed.
 *
 * Wire layout, big-endian:
 *   0  magic   "VGP1"
 *   4  camera  index of the camera (config order, or synthetic number)
 *   8  counter the packet's number in its stream, from 0
 *  16  sent_ns CLOCK_REALTIME at send in ns; 0 when unknown (pcap files)
 *  24  flags   VG_PROBE_WRAP16: counter runs modulo 65,536 (a pcap looped
 *              by a replayer starts its streams over) */
#ifndef VG_PROBE_H
#define VG_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VG_PROBE_LEN 28
#define VG_PROBE_WRAP16 0x1u

struct vg_probe {
	uint32_t camera;
	uint64_t counter;
	uint64_t sent_ns;
	uint32_t flags;
};

/* The clock of sent_ns: CLOCK_REALTIME in ns, so that a sender and a
 * receiver on different hosts synchronised with PTP agree (vDSO: no
 * system call). */
uint64_t vg_probe_now_ns(void);

/* Write pr at the end of the RTP payload [payload, payload + len).
 * Returns false (nothing written) when len < VG_PROBE_LEN. */
bool vg_probe_write(uint8_t *payload, size_t len, const struct vg_probe *pr);

/* Read the probe at the end of the payload.  Returns false when the payload
 * is too short or carries no probe (magic absent). */
bool vg_probe_read(const uint8_t *payload, size_t len, struct vg_probe *pr);

#endif
