/* SPDX-License-Identifier: BSD-3-Clause */
/* The flow table: 100,000 cameras all inserted, every RTP and RTCP key
 * found with its stream and kind in bulk, including the keys that did not
 * fit in their home bucket, source_port 0 cameras found by the second
 * pass, strangers missed, a key configured twice keeps the last value.
 * Needs EAL (--no-huge). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <rte_eal.h>
#include "flow.h"
#include "harness.h"

#define CAMERAS 100000

static void
make_cfg(struct vg_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->n_cameras = CAMERAS;
	cfg->cameras = calloc(CAMERAS, sizeof(*cfg->cameras));
	for (unsigned i = 0; i < CAMERAS; i++) {
		struct vg_cfg_camera *c = &cfg->cameras[i];

		c->src_addr = (uint32_t)(0x0a000000u + i / 8);	/* any value */
		c->src_port = i % 10 == 0 ? 0 : (uint16_t)(4000 + i % 8);
		c->rtp_port = (uint16_t)(5004 + 2 * (i % 8));
		c->rtcp_port = i % 100 == 1 ? c->rtp_port : c->rtp_port + 1;
		c->primary = i;		/* one destination each */
		c->n_fan = 1;
	}
}

static uintptr_t
look(struct vg_flow_table *h, uint32_t src, uint16_t sport, uint16_t dport)
{
	struct vg_flow_key k = { src, sport, dport };
	uint32_t home = vg_flow_prefetch(h, &k);
	uintptr_t v = 0;

	vg_flow_lookup_burst(h, &k, &home, 1, &v);
	return v;
}

static void
test_all_found(struct vg_flow_table *h, const struct vg_cfg *cfg)
{
	struct vg_flow_key keys[VG_FLOW_BURST];
	uint32_t home[VG_FLOW_BURST];
	uintptr_t vals[VG_FLOW_BURST];
	unsigned bad = 0;

	for (unsigned base = 0; base < CAMERAS; base += VG_FLOW_BURST) {
		unsigned n = RTE_MIN((unsigned)VG_FLOW_BURST, CAMERAS - base);

		for (unsigned j = 0; j < n; j++) {
			const struct vg_cfg_camera *c = &cfg->cameras[base + j];

			/* A camera with "any" port sends from some port. */
			keys[j] = (struct vg_flow_key){ c->src_addr,
				c->src_port ? c->src_port : 61000, c->rtp_port };
			home[j] = vg_flow_prefetch(h, &keys[j]);
		}
		vg_flow_lookup_burst(h, keys, home, n, vals);
		for (unsigned j = 0; j < n; j++) {
			const struct vg_cfg_camera *c = &cfg->cameras[base + j];
			unsigned kind = c->rtcp_port == c->rtp_port ?
					VG_FLOW_MUX : VG_FLOW_RTP;

			bad += vals[j] == 0 || VG_FLOW_STREAM(vals[j]) != base + j ||
			       VG_FLOW_KIND(vals[j]) != kind;
		}
	}
	CHECK(bad == 0, "%u of %u cameras not found as themselves", bad, CAMERAS);
}

/* Keys stored outside their home bucket: the probing the lookups above
 * went through. */
static unsigned
displaced(const struct vg_flow_table *h)
{
	unsigned n = 0;

	for (uint32_t i = 0; i <= h->mask; i++)
		for (unsigned j = 0; j < VG_FLOW_SLOTS; j++)
			n += h->b[i].value[j] != 0 &&
			     vg_flow_home(h, h->b[i].key[j]) != i;
	return n;
}

/* A table of two buckets filled to the last slot: the keys that do not fit
 * their home bucket go to the next one (wrapping), all are found, and one
 * more is refused. */
static void
test_probing(void)
{
	struct vg_flow_table *h = vg_flow_create(4);
	unsigned slots, found = 0;
	int r = 0;

	CHECK(h != NULL && h->mask == 1, "4 keys: 2 buckets");
	if (h == NULL)
		return;
	slots = (h->mask + 1) * VG_FLOW_SLOTS;
	for (unsigned i = 0; i < slots && r == 0; i++) {
		struct vg_flow_key k = { 0x0a000000u + i, 4000, 5004 };

		r = vg_flow_add(h, &k, VG_FLOW_VALUE(i, VG_FLOW_RTP));
	}
	CHECK(r == 0 && h->n == slots, "%u keys in %u slots (%d)", h->n, slots, r);
	CHECK(displaced(h) > 0, "%u keys past their home bucket", displaced(h));
	for (unsigned i = 0; i < slots; i++)
		found += VG_FLOW_STREAM(look(h, 0x0a000000u + i, 4000, 5004)) == i;
	CHECK(found == slots, "%u of %u found in a full table", found, slots);
	CHECK(look(h, 0x0b000000u, 4000, 5004) == 0,
	      "a stranger misses in a full table");
	r = vg_flow_add(h, &(struct vg_flow_key){ 0x0b000000u, 4000, 5004 },
			VG_FLOW_VALUE(1, VG_FLOW_RTP));
	CHECK(r == -ENOSPC, "one more key: -ENOSPC (%d)", r);
	r = vg_flow_add(h, &(struct vg_flow_key){ 0x0a000000u, 4000, 5004 }, 0);
	CHECK(r == -EINVAL, "value 0 (a free slot's) refused (%d)", r);
	vg_flow_free(h);
}

/* The same source, port and gateway port configured for two cameras: the
 * table keeps one key, with the last value, as rte_hash did. */
static void
test_duplicate(void)
{
	struct vg_cfg cfg;
	struct vg_flow_table *h;
	char err[256] = "";

	memset(&cfg, 0, sizeof(cfg));
	cfg.n_cameras = 2;
	cfg.cameras = calloc(2, sizeof(*cfg.cameras));
	for (unsigned i = 0; i < 2; i++)
		cfg.cameras[i] = (struct vg_cfg_camera){ .src_addr = 0x0a000001,
			.src_port = 4000, .rtp_port = 5004, .rtcp_port = 5005,
			.primary = i, .n_fan = 1 };
	h = vg_flow_build(&cfg, err, sizeof(err));
	CHECK(h != NULL && h->n == 2, "duplicate camera: 2 keys (%s)", err);
	if (h != NULL) {
		uintptr_t v = look(h, 0x0a000001, 4000, 5004);

		CHECK(VG_FLOW_STREAM(v) == 1 && VG_FLOW_KIND(v) == VG_FLOW_RTP,
		      "duplicate camera: the last one configured wins");
	}
	vg_flow_free(h);
	free(cfg.cameras);
}

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "-l", "0", "--no-huge", "-m", "512",
			"--no-pci", "--no-shconf", "--log-level", "3" };
	struct vg_cfg cfg;
	struct vg_flow_table *h;
	char err[256] = "";
	uintptr_t v;

	(void)argc;
	if (rte_eal_init(sizeof(eal) / sizeof(eal[0]), eal) < 0)
		return 1;
	make_cfg(&cfg);
	h = vg_flow_build(&cfg, err, sizeof(err));
	CHECK(h != NULL, "%u cameras: %s", CAMERAS, err);
	if (h == NULL)
		VG_TEST_END();
	CHECK(h->n == 2 * CAMERAS - CAMERAS / 100,
	      "%u keys stored: RTP and RTCP of each camera, one if muxed", h->n);
	CHECK(2 * h->n <= (h->mask + 1) * VG_FLOW_SLOTS, "at most half full: "
	      "%u keys in %u slots", h->n, (h->mask + 1) * VG_FLOW_SLOTS);
	/* 3 keys, 2x slots, 64 B per 5 slots, 2x from the power of two. */
	CHECK(vg_flow_bytes(h) / CAMERAS <= 3 * 2 * 64 * 2 / VG_FLOW_SLOTS,
	      "%zu bytes per camera", vg_flow_bytes(h) / CAMERAS);
	VG_RUN(test_all_found, h, &cfg);
	v = look(h, cfg.cameras[3].src_addr, cfg.cameras[3].src_port,
		 cfg.cameras[3].rtcp_port);
	CHECK(VG_FLOW_STREAM(v) == 3 && VG_FLOW_KIND(v) == VG_FLOW_RTCP,
	      "RTCP port maps to the stream as RTCP");
	CHECK(look(h, cfg.cameras[3].src_addr, 9999, cfg.cameras[3].rtp_port) == 0,
	      "a specific source port is not a wildcard");
	CHECK(look(h, 0xc0000201, 4003, 5010) == 0, "unknown source misses");
	CHECK(look(h, cfg.cameras[3].src_addr, cfg.cameras[3].src_port, 7777) == 0,
	      "unknown gateway port misses");
	vg_flow_free(h);
	free(cfg.cameras);
	VG_RUN(test_duplicate);
	VG_RUN(test_probing);
	VG_TEST_END();
}
