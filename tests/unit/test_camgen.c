/* SPDX-License-Identifier: BSD-3-Clause */
/* vigie-camgen's pure parts: the H.264 camera model, the probe, the
 * framing (checked by the gateway's own parser) and the pcap writer. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "bytes.h"
#include "csum.h"
#include "harness.h"
#include "parse.h"
#include "pcap.h"
#include "probe.h"
#include "video.h"
#include "wire.h"

static const struct vg_video_params P = {
	.bitrate = 4000000, .fps = 25, .gop = 50, .payload_max = 1160,
	.iframe_weight = 8,
};

/* Bytes the frame's NAL units hold (what the packets must carry). */
static uint64_t
nal_bytes(const struct vg_video_cam *c)
{
	uint64_t n = 0;

	for (unsigned i = 0; i < c->n_nal; i++)
		n += c->nal[i].size;
	return n;
}

static void
test_frame_sizes(void)
{
	uint64_t gop = 0;

	for (uint64_t f = 0; f < P.gop; f++)
		gop += vg_video_frame_size(&P, f, 0);
	/* A GOP carries its share of the bitrate (to integer rounding). */
	CHECK(gop <= 4000000 / 8 * 2 && gop > 4000000 / 8 * 2 - 100,
	      "GOP bytes %llu", (unsigned long long)gop);
	CHECK(vg_video_frame_size(&P, 0, 0) ==
	      8 * vg_video_frame_size(&P, 1, 0), "IDR is 8 P-frames");
	CHECK(vg_video_frame_size(&P, 0, 1) == vg_video_frame_size(&P, 1, 0),
	      "phase moves the IDR");
	CHECK(vg_video_frame_size(&P, 49, 1) == 8 * vg_video_frame_size(&P, 1, 0));
}

/* Walk one frame: marker only on its last packet, FU-A start/end bits
 * right, every packet within payload_max and carrying a readable probe
 * whose counter follows the sequence number. */
static void
check_frame(struct vg_video_cam *c, bool idr)
{
	uint8_t rtp[12 + 1500];
	uint64_t carried = 0, want;
	unsigned len, pkts = 0, markers = 0;
	uint32_t ts = 0;

	vg_video_frame_begin(&P, c);
	want = nal_bytes(c);
	CHECK(c->n_nal == (idr ? 3u : 1u));
	while ((len = vg_video_next(&P, c, rtp, 96, 123, 0, false)) != 0) {
		struct vg_probe pr;
		uint8_t *pl = rtp + 12;
		unsigned plen = len - 12;

		CHECK(plen <= P.payload_max && plen >= VG_PROBE_LEN + 1);
		CHECK(rtp[0] == 0x80 && (rtp[1] & 0x7f) == 96);
		CHECK(vg_get_be32(rtp + 8) == c->ssrc);
		CHECK(vg_get_be16(rtp + 2) == (uint16_t)(c->seq - 1));
		if (pkts == 0)
			ts = vg_get_be32(rtp + 4);
		CHECK(vg_get_be32(rtp + 4) == ts, "one timestamp per frame");
		CHECK(vg_probe_read(pl, plen, &pr) && pr.counter == c->counter - 1 &&
		      pr.camera == c->camera && pr.sent_ns == 123);
		markers += rtp[1] >> 7;
		if ((pl[0] & 0x1f) == 28) {	/* FU-A: body without NAL hdr */
			carried += plen - 2;
			if (pl[1] & 0x80)
				carried++;	/* the NAL header it stands for */
			CHECK(!((pl[1] & 0x80) && (pl[1] & 0x40)), "S and E");
		} else {
			carried += plen;
		}
		pkts++;
	}
	CHECK(markers == 1 && (rtp[1] & 0x80), "marker on the last packet only");
	CHECK(carried == want, "carried %llu of %llu bytes",
	      (unsigned long long)carried, (unsigned long long)want);
	CHECK(pkts >= (want + P.payload_max - 1) / P.payload_max);
}

static void
test_packetize(void)
{
	struct vg_video_cam c = { .camera = 7, .ssrc = 0x11223344,
				  .seq = 65500, .ts0 = 0xfffff000 };

	check_frame(&c, true);
	for (int f = 1; f < 60; f++)
		check_frame(&c, f % 50 == 0);
	CHECK(c.frame == 60 && c.seq < 65500, "sequence wrapped");
	CHECK(c.ts0 + 59u * 3600 == c.ts, "90 kHz at 25 fps");
}

/* The last fragment is never too short to hold the probe. */
static void
test_short_tail(void)
{
	struct vg_video_params p = P;
	struct vg_video_cam c = { 0 };
	uint8_t rtp[12 + 1500];
	unsigned len, last = 0;

	/* body 1 + 2 * (payload - 2) + 5: a 5-byte tail without the fix */
	p.gop = 1;
	p.iframe_weight = 1;
	p.payload_max = 200;
	p.bitrate = (uint64_t)(1 + 2 * 198 + 5 + 1) * 8 * p.fps;
	vg_video_frame_begin(&p, &c);
	c.n_nal = 1;
	c.nal[0].size = 1 + 1 + 2 * 198 + 5;
	c.nal[0].type = 1;
	while ((len = vg_video_next(&p, &c, rtp, 96, 0, 0, false)) != 0)
		last = len;
	CHECK(last - 12 >= 2 + VG_PROBE_LEN, "tail %u", last);
}

static void
test_probe(void)
{
	uint8_t b[64] = { 0 };
	struct vg_probe in = { 0xdeadbeef, 0x0102030405060708ull, 42,
			       VG_PROBE_WRAP16 }, out;

	CHECK(!vg_probe_write(b, VG_PROBE_LEN - 1, &in));
	CHECK(!vg_probe_read(b, sizeof(b), &out), "no magic, no probe");
	CHECK(vg_probe_write(b, sizeof(b), &in));
	CHECK(vg_probe_read(b, sizeof(b), &out) && memcmp(&in, &out, sizeof(in)) == 0);
	CHECK(memcmp(b + sizeof(b) - VG_PROBE_LEN, "VGP1", 4) == 0, "at the end");
	CHECK(!vg_probe_read(b, VG_PROBE_LEN - 1, &out));
}

static void
test_wire_and_sr(void)
{
	static const uint8_t dst[6] = { 2, 0x76, 0x67, 0, 0, 1 }, src[6] = { 2 };
	struct vg_video_cam c = { .ssrc = 0xcafe0001, .counter = 10, .octets = 9000 };
	struct vg_wire_flow f;
	struct vg_parsed pv;
	uint8_t frame[1600];
	unsigned len, rtcp;

	for (int vlan = 0; vlan <= 1; vlan++) {
		vg_wire_flow_init(&f, dst, src, (uint16_t)(vlan * 42),
				  htonl(0xc612010b), htonl(0xc6120101), 5004, 5005);
		rtcp = vg_video_sr(&c, "cam-01@vigie-camgen", 0x1122334455667788ull,
				   777, frame + f.hdr_len, 200);
		CHECK(rtcp == 28 + 4 + 28, "SR + SDES: %u", rtcp);
		len = vg_wire_finish(&f, frame, rtcp);
		CHECK(vg_parse_frame(frame, len, &pv) == VG_DROP_NONE &&
		      pv.kind == VG_PKT_RTCP && pv.pt == 200 &&
		      pv.ssrc == 0xcafe0001 && pv.vlan == vlan * 42 &&
		      pv.dst_port == 5005 && pv.app_len == rtcp,
		      "the gateway's parser takes it (IPv4 checksum included)");
		CHECK(vg_csum_raw(frame + pv.l4_off - 20 + 12, 8, 0) != 0);
		/* UDP checksum: pseudo-header + datagram sums to all ones. */
		{
			uint8_t *udp = frame + pv.l4_off;
			uint16_t ck;

			memcpy(&ck, udp + 6, 2);
			memset(udp + 6, 0, 2);
			CHECK(vg_csum_udp4(pv.src_ip, pv.dst_ip, udp,
					   (uint16_t)(8 + rtcp)) == ck);
		}
		CHECK(vg_get_be32(frame + pv.app_off + 20) == 10 &&
		      vg_get_be32(frame + pv.app_off + 24) == 9000, "SR counts");
	}
}

static void
test_pcap(void)
{
	char path[] = "/tmp/vg-test-camgen-XXXXXX";
	uint8_t frame[100] = { 1, 2, 3 }, buf[256];
	int fd = mkstemp(path);
	FILE *f;
	size_t n;

	CHECK(fd >= 0);
	close(fd);
	f = vg_pcap_open(path);
	CHECK(f != NULL);
	CHECK(vg_pcap_write(f, 1500000123456ull, frame, sizeof(frame)) == 0);
	CHECK(vg_pcap_close(f) == 0);
	f = fopen(path, "rb");
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	unlink(path);
	CHECK(n == 24 + 16 + 100);
	CHECK(buf[0] == 0xd4 && buf[1] == 0xc3 && buf[2] == 0xb2 && buf[3] == 0xa1,
	      "classic microsecond magic");
	CHECK(buf[20] == 1, "Ethernet link type");
	{
		uint32_t sec, usec;

		memcpy(&sec, buf + 24, 4);
		memcpy(&usec, buf + 28, 4);
		CHECK(sec == 1500 && usec == 123, "%u.%06u", sec, usec);
	}
}

int
main(void)
{
	VG_RUN(test_frame_sizes);
	VG_RUN(test_packetize);
	VG_RUN(test_short_tail);
	VG_RUN(test_probe);
	VG_RUN(test_wire_and_sr);
	VG_RUN(test_pcap);
	VG_TEST_END();
}
