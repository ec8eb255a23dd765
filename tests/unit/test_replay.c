/* SPDX-License-Identifier: BSD-3-Clause */
/* Replay window and stream index mapping (security invariant 1). */
#include <string.h>
#include "harness.h"
#include "replay.h"
#include "stream.h"

static int
accept(struct vg_replay *r, uint16_t seq, uint64_t *idx)
{
	*idx = vg_replay_estimate(r, seq);
	if (!vg_replay_check(r, *idx))
		return 0;
	vg_replay_commit(r, *idx);
	return 1;
}

static void
test_window(void)
{
	struct vg_replay r = { 0 };
	uint64_t idx;

	CHECK(accept(&r, 1000, &idx) && idx == 1000);
	CHECK(!accept(&r, 1000, &idx), "duplicate refused");
	CHECK(accept(&r, 1002, &idx) && idx == 1002);
	CHECK(accept(&r, 1001, &idx), "reordered within window accepted");
	CHECK(!accept(&r, 1001, &idx), "reordered duplicate refused");
	CHECK(accept(&r, 1100, &idx));
	CHECK(!accept(&r, 1100 - VG_REPLAY_WINDOW, &idx), "stale refused");
	CHECK(accept(&r, 1100 - VG_REPLAY_WINDOW + 1, &idx), "edge accepted");
	CHECK(!accept(&r, 1002, &idx), "old duplicate refused");
}

static void
test_roc_wrap(void)
{
	struct vg_replay r = { 0 };
	uint64_t idx;
	unsigned seq, ok = 1;

	/* Walk across two wraps: the index must grow by one each packet. */
	for (seq = 60000; seq < 60000 + 2 * 65536; seq++) {
		ok &= accept(&r, (uint16_t)seq, &idx);
		ok &= idx == seq;
	}
	CHECK(ok, "indices follow the sequence across ROC wraps");
	CHECK(idx >> 16 == 2, "ROC is 2 after crossing zero twice, got %llu",
	      (unsigned long long)(idx >> 16));
	/* A late packet from before the last wrap keeps its old ROC. */
	r = (struct vg_replay){ 0 };
	for (seq = 65500; seq < 65536 + 10; seq++)
		accept(&r, (uint16_t)seq, &idx);
	CHECK(vg_replay_estimate(&r, 65530) == 65530, "late packet ROC 0");
	CHECK(!accept(&r, 65530, &idx), "already seen");
	CHECK(accept(&r, 65501 + 5, &idx) == 0, "seen too");
}

static void
test_first_packets_roc0(void)
{
	struct vg_replay r = { 0 };

	/* libsrtp takes ROC 0 until the index passes 2^15: match it. */
	CHECK(vg_replay_estimate(&r, 65000) == 65000);
	vg_replay_commit(&r, 10);
	CHECK(vg_replay_estimate(&r, 65000) == 65000);
}

#define NOLIM VG_INDEX_END
#define S VG_SEQ_SLACK

static void
test_stream_epochs(void)
{
	struct vg_stream_seq s;
	uint64_t idx, last = 0;
	unsigned ok = 1;

	vg_stream_seq_init(&s, 0);
	CHECK(vg_stream_next_index(&s, 0xaaaa, 500, NOLIM, &idx) == VG_SEQ_OK &&
	      idx == S, "a key's first packet is index %u (room below for one "
	      "sent before it), whatever its SEQ", S);
	for (unsigned q = 501; q < 600; q++) {
		ok &= vg_stream_next_index(&s, 0xaaaa, q, NOLIM, &idx) == VG_SEQ_OK;
		last = idx;
	}
	CHECK(ok && last == S + 99);
	CHECK(vg_stream_next_index(&s, 0xaaaa, 599, NOLIM, &idx) == VG_SEQ_REPLAY);
	/* Camera restart: new SSRC, sequence restarts lower. */
	CHECK(vg_stream_next_index(&s, 0xbbbb, 7, NOLIM, &idx) == VG_SEQ_OK &&
	      idx == 2 * S + 100, "index continues after a camera restart: %llu",
	      (unsigned long long)idx);
	CHECK(s.ssrc_changes == 1);
	CHECK(vg_stream_next_index(&s, 0xbbbb, 8, NOLIM, &idx) == VG_SEQ_OK &&
	      idx == 2 * S + 101);
	CHECK(vg_stream_next_index(&s, 0xbbbb, 6, NOLIM, &idx) == VG_SEQ_OK &&
	      idx == 2 * S + 99, "sent just before the restart point, arriving "
	      "after: an index of the room below, never one used");
	CHECK(vg_stream_next_index(&s, 0xbbbb, 6, NOLIM, &idx) == VG_SEQ_REPLAY);
	/* Back to the old SSRC with its old numbers: still never below. */
	CHECK(vg_stream_next_index(&s, 0xaaaa, 550, NOLIM, &idx) == VG_SEQ_OK &&
	      idx == 3 * S + 102);
	CHECK(s.ssrc_changes == 2);
}

/* A camera's first two packets swapped on the way (seen with ffmpeg):
 * both sent, the first one's keyframe too; further back than the window:
 * refused. */
static void
test_stream_first_swapped(void)
{
	struct vg_stream_seq s;
	uint64_t a = 0, b = 0, c = 0;

	vg_stream_seq_init(&s, 0);
	CHECK(vg_stream_next_index(&s, 5, 1462, NOLIM, &a) == VG_SEQ_OK &&
	      vg_stream_next_index(&s, 5, 1461, NOLIM, &b) == VG_SEQ_OK &&
	      vg_stream_next_index(&s, 5, 1463, NOLIM, &c) == VG_SEQ_OK &&
	      b + 1 == a && a + 1 == c, "%llu %llu %llu", (unsigned long long)b,
	      (unsigned long long)a, (unsigned long long)c);
	CHECK(vg_stream_next_index(&s, 5, (uint16_t)(1462 - S - 1), NOLIM, &a) ==
	      VG_SEQ_REPLAY, "older than the room below");
}

/* A late packet must never lower next_out: the next epoch would start on
 * an index already used (the mutant `next_out = out + 1`).  Every index
 * of both epochs, the room below the second included, used once. */
static bool
all_distinct(const uint64_t *v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		for (unsigned j = 0; j < i; j++)
			if (v[i] == v[j])
				return false;
	return true;
}

static void
test_stream_late_then_epoch(void)
{
	struct vg_stream_seq s;
	uint64_t idx, a, b, used[4 + S];
	unsigned n = 0, ok = 1;

	vg_stream_seq_init(&s, 1000);
	CHECK(vg_stream_next_index(&s, 1, 10, NOLIM, &a) == VG_SEQ_OK &&
	      a == 1000 + S);
	CHECK(vg_stream_next_index(&s, 1, 12, NOLIM, &b) == VG_SEQ_OK &&
	      b == 1002 + S);
	CHECK(vg_stream_next_index(&s, 1, 11, NOLIM, &idx) == VG_SEQ_OK &&
	      idx == 1001 + S, "late packet in the window");
	used[n++] = a;
	used[n++] = b;
	used[n++] = idx;
	CHECK(s.next_out == 1003 + S, "next_out %llu",
	      (unsigned long long)s.next_out);
	CHECK(vg_stream_next_index(&s, 2, 1000, NOLIM, &idx) == VG_SEQ_OK &&
	      idx == 1003 + 2 * S, "new epoch above every index used: %llu",
	      (unsigned long long)idx);
	used[n++] = idx;
	/* The packets the new camera sent just before: the room below. */
	for (unsigned q = 1000 - S; q < 1000; q++) {
		ok &= vg_stream_next_index(&s, 2, (uint16_t)q, NOLIM, &idx) ==
		      VG_SEQ_OK;
		used[n++] = idx;
	}
	CHECK(ok && n == 4 + S);
	CHECK(all_distinct(used, n), "an index used twice across the SSRC "
	      "change");
}

/* An epoch whose first packet was refused (no reservation) has an empty
 * window: a packet sent before it, further back than the room below,
 * would take an index under next_out, maybe used before the restart
 * (the epoch_in check in stream.c, not the window, refuses it). */
static void
test_stream_refused_first(void)
{
	struct vg_stream_seq s;
	uint64_t idx;

	vg_stream_seq_init(&s, 5000);
	CHECK(vg_stream_next_index(&s, 9, 100, 5000 + S, &idx) ==
	      VG_SEQ_NO_RESERVATION);
	CHECK(vg_stream_next_index(&s, 9, 100 - S - 1, 5000 + S, &idx) ==
	      VG_SEQ_REPLAY, "below the epoch's room: refused, not %llu",
	      (unsigned long long)idx);
	CHECK(vg_stream_next_index(&s, 9, 100 - S, 5000 + S, &idx) ==
	      VG_SEQ_OK && idx == 5000, "the lowest of the room: %llu",
	      (unsigned long long)idx);
	CHECK(s.next_out == 5001);
}

/* The reservation limit: at or past it nothing is committed, and the
 * same packet goes through once the limit moves. */
static void
test_stream_limit(void)
{
	struct vg_stream_seq s;
	uint64_t idx;

	vg_stream_seq_init(&s, 70000);
	CHECK(vg_stream_next_index(&s, 9, 100, 70001 + S, &idx) == VG_SEQ_OK &&
	      idx == 70000 + S, "continues above its durable limit (ROC 1)");
	CHECK(vg_stream_next_index(&s, 9, 101, 70001 + S, &idx) ==
	      VG_SEQ_NO_RESERVATION);
	CHECK(s.next_out == 70001 + S, "nothing committed past the limit");
	CHECK(vg_stream_next_index(&s, 9, 101, 70002 + S, &idx) == VG_SEQ_OK &&
	      idx == 70001 + S, "the same packet once reserved");
	/* A jump below 2^15 that would land past the reservation: a new
	 * epoch inside it, not a camera dark until it passes 2^15. */
	vg_stream_seq_init(&s, 1000);
	CHECK(vg_stream_next_index(&s, 9, 10, 21000, &idx) == VG_SEQ_OK &&
	      idx == 1000 + S);
	CHECK(vg_stream_next_index(&s, 9, 30010, 21000, &idx) == VG_SEQ_OK &&
	      idx == 1001 + 2 * S && s.seq_jumps == 1, "jump of 30,000 with "
	      "20,000 reserved: %llu", (unsigned long long)idx);
	CHECK(vg_stream_next_index(&s, 9, 30011, 21000, &idx) == VG_SEQ_OK &&
	      idx == 1002 + 2 * S);
	/* Out of reservation: refused, even for a jump. */
	vg_stream_seq_init(&s, 5000);
	CHECK(vg_stream_next_index(&s, 9, 10, 5000, &idx) ==
	      VG_SEQ_NO_RESERVATION && s.next_out == 5000);
	/* Across 2^32 (the ROC's 16th bit): contiguous, no wrap of any
	 * field. */
	vg_stream_seq_init(&s, (1ull << 32) - 3 - S);
	for (unsigned q = 0; q < 6; q++)
		CHECK(vg_stream_next_index(&s, 9, (uint16_t)(60000 + q), NOLIM,
					   &idx) == VG_SEQ_OK &&
		      idx == (1ull << 32) - 3 + q, "2^32 - 3 + %u", q);
	/* The end of the index space: never wraps. */
	vg_stream_seq_init(&s, VG_INDEX_END - 2 - S);
	CHECK(vg_stream_next_index(&s, 9, 1, NOLIM, &idx) == VG_SEQ_OK &&
	      idx == VG_INDEX_END - 2);
	CHECK(vg_stream_next_index(&s, 9, 2, NOLIM, &idx) == VG_SEQ_OK &&
	      idx == VG_INDEX_END - 1);
	CHECK(vg_stream_next_index(&s, 9, 3, NOLIM, &idx) == VG_SEQ_EXHAUSTED,
	      "index 2^48 refused");
	CHECK(vg_stream_next_index(&s, 9, 3, UINT64_MAX, &idx) ==
	      VG_SEQ_EXHAUSTED, "whatever the limit");
}

/* Camera-side jumps never move the outgoing index by 2^15 or more: the
 * forged SSRC change followed by SEQ 40,000 of the issue, a jump of
 * 2^14..2^16 at any point, across a ROC change. */
static void
test_stream_jumps(void)
{
	static const unsigned jumps[] = { 1u << 14, (1u << 15) - 1, 1u << 15,
					  40000, 65535 - 64, 65536 - 4096 };
	struct vg_stream_seq s;
	uint64_t idx, prev;
	unsigned bad = 0;

	vg_stream_seq_init(&s, 0);
	CHECK(vg_stream_next_index(&s, 1, 65000, NOLIM, &prev) == VG_SEQ_OK);
	for (unsigned q = 65001; q < 65000 + 2000; q++) {
		bad += vg_stream_next_index(&s, 1, (uint16_t)q, NOLIM, &idx) !=
		       VG_SEQ_OK || idx != prev + 1;
		prev = idx;
	}
	CHECK(bad == 0, "contiguous across the camera's wrap");
	CHECK(vg_stream_next_index(&s, 0xf0f0, 1000, NOLIM, &idx) == VG_SEQ_OK &&
	      idx == prev + 1 + S, "forged SSRC change");
	CHECK(vg_stream_next_index(&s, 0xf0f0, 40000, NOLIM, &idx) == VG_SEQ_OK &&
	      idx == prev + 2 + 2 * S, "then SEQ 40,000: a new epoch, not a jump "
	      "(%llu after %llu)", (unsigned long long)idx,
	      (unsigned long long)prev);
	CHECK(s.seq_jumps == 1);
	/* From a fresh epoch at SEQ q, a SEQ step of jumps[j] (mod 2^16):
	 * RFC 3711 reads it as forward below 2^15 (the index moves by it),
	 * else as backward: a reset (a new epoch: the index moves by 1 + VG_SEQ_SLACK) from
	 * VG_SEQ_RESET back, stale (refused) nearer. */
	for (unsigned j = 0; j < sizeof(jumps) / sizeof(jumps[0]); j++) {
		uint16_t q = (uint16_t)(40000 + 7 * j);
		unsigned back = 65536 - jumps[j];
		enum vg_seq_verdict v;

		CHECK(vg_stream_next_index(&s, 0xf000 + j, q, NOLIM, &prev) ==
		      VG_SEQ_OK);
		v = vg_stream_next_index(&s, 0xf000 + j, (uint16_t)(q + jumps[j]),
					 NOLIM, &idx);
		if (jumps[j] < (1u << 15))
			CHECK(v == VG_SEQ_OK && idx - prev == jumps[j],
			      "forward %u", jumps[j]);
		else if (back >= VG_SEQ_RESET)
			CHECK(v == VG_SEQ_OK && idx - prev == 1 + S,
			      "back %u: new epoch, index +%llu", back,
			      (unsigned long long)(idx - prev));
		else
			CHECK(v == VG_SEQ_REPLAY, "back %u: stale", back);
	}
}

static void
test_rtcp_ssrc(void)
{
	/* SR (28 bytes) + SDES with one chunk (12 bytes) + APP (12 bytes). */
	uint8_t p[52] = {
		0x80, 200, 0, 6, 1, 2, 3, 4, [28] = 0x81, 202, 0, 2, 1, 2, 3,
		4, 1, 1, 'x', 0, [40] = 0x80, 204, 0, 2, 1, 2, 3, 4,
	};

	CHECK(vg_stream_rtcp_set_ssrc(p, sizeof(p), 0x10000001) == 2);
	CHECK(p[4] == 0x10 && p[7] == 0x01 && p[32] == 0x10 && p[35] == 0x01);
	CHECK(p[44] == 1 && p[47] == 4, "APP packet untouched");
	p[3] = 50;	/* length past the end: stop, touch nothing */
	CHECK(vg_stream_rtcp_set_ssrc(p, sizeof(p), 0x20000002) == 0);
}

/* Feedback back to a camera names the camera's own SSRC again. */
static void
test_rtcp_media(void)
{
	/* RR with 2 report blocks (8 + 48), PLI (12), FIR with 2 entries
	 * (12 + 16), RTPFB generic NACK (16). */
	uint8_t p[56 + 12 + 28 + 16] = {
		0x82, 201, 0, 13, 0xee, 0xee, 0xee, 0xee,
		[8] = 0x10, 0, 0, 1, [32] = 0x77, 0, 0, 7,
		[56] = 0x81, 206, 0, 2, 0xee, 0xee, 0xee, 0xee, 0x10, 0, 0, 1,
		[68] = 0x84, 206, 0, 6, 0xee, 0xee, 0xee, 0xee, 0, 0, 0, 0,
		[80] = 0x10, 0, 0, 1, 9, 0, 0, 0, 0x66, 0, 0, 6, 9, 0, 0, 0,
		[96] = 0x81, 205, 0, 3, 0xee, 0xee, 0xee, 0xee, 0x10, 0, 0, 1,
		0, 5, 0, 0,
	};

	CHECK(vg_stream_rtcp_set_media(p, sizeof(p), 0x10000001, 0xc0ffee01) == 4,
	      "RR block, PLI, FIR entry, NACK");
	CHECK(p[8] == 0xc0 && p[11] == 0x01 && p[32] == 0x77, "other block kept");
	CHECK(p[64] == 0xc0 && p[80] == 0xc0 && p[88] == 0x66 && p[104] == 0xc0);
	CHECK(p[4] == 0xee && p[60] == 0xee, "sender SSRCs untouched");
	p[2] = 1;	/* length past the end: stop, touch nothing */
	CHECK(vg_stream_rtcp_set_media(p, sizeof(p), 0xc0ffee01, 1) == 0);
}

int
main(void)
{
	VG_RUN(test_window);
	VG_RUN(test_roc_wrap);
	VG_RUN(test_first_packets_roc0);
	VG_RUN(test_stream_epochs);
	VG_RUN(test_stream_first_swapped);
	VG_RUN(test_stream_late_then_epoch);
	VG_RUN(test_stream_refused_first);
	VG_RUN(test_stream_limit);
	VG_RUN(test_stream_jumps);
	VG_RUN(test_rtcp_ssrc);
	VG_RUN(test_rtcp_media);
	VG_TEST_END();
}
