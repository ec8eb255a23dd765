/* The camera flow table: 100,000 cameras all inserted (a cuckoo table can
 * refuse inserts before it is full), every RTP and RTCP key found with its
 * stream and kind in bulk, source_port 0 cameras found by the second pass,
 * strangers missed.  Needs EAL (--no-huge). */
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
look(struct rte_hash *h, uint32_t src, uint16_t sport, uint16_t dport)
{
	struct vg_flow_key k = { src, sport, dport };
	uintptr_t v = 0;

	vg_flow_lookup_burst(h, &k, 1, &v);
	return v;
}

static void
test_all_found(struct rte_hash *h, const struct vg_cfg *cfg)
{
	struct vg_flow_key keys[VG_FLOW_BURST];
	uintptr_t vals[VG_FLOW_BURST];
	unsigned bad = 0;

	for (unsigned base = 0; base < CAMERAS; base += VG_FLOW_BURST) {
		unsigned n = RTE_MIN((unsigned)VG_FLOW_BURST, CAMERAS - base);

		for (unsigned j = 0; j < n; j++) {
			const struct vg_cfg_camera *c = &cfg->cameras[base + j];

			/* A camera with "any" port sends from some port. */
			keys[j] = (struct vg_flow_key){ c->src_addr,
				c->src_port ? c->src_port : 61000, c->rtp_port };
		}
		vg_flow_lookup_burst(h, keys, n, vals);
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

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "-l", "0", "--no-huge", "-m", "512",
			"--no-pci", "--no-shconf", "--log-level", "3" };
	struct vg_cfg cfg;
	struct rte_hash *h;
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
	test_all_found(h, &cfg);
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
	VG_TEST_END();
}
