/* SPDX-License-Identifier: BSD-3-Clause */
/* Index reservations (reserve.c) across process deaths: a child process
 * plays the worker and the main lcore of a PoP gateway (stream.c picks the
 * indexes, reserve.c reserves them) and is SIGKILLed at a random moment;
 * the next start must continue every stream strictly above every index the
 * child may have used, by less than 2^15.  Also: a clean stop continues
 * with no jump; receivers' state survives; records of streams no longer
 * configured are kept.  Needs EAL (--no-huge) for the TSC. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include "flow.h"
#include "gw.h"
#include "worker.h"
#include "harness.h"
#include "reserve.h"
#include "state.h"
#include "stream.h"

#define CAMERAS 8
#define KILLS 20

static char dir[] = "/tmp/vg-reserve-XXXXXX";

/* The shape gw.c gives streams, without ports or an engine. */
static void
make_gw(struct vg_gw *gw, struct vg_worker *w, unsigned cameras)
{
	struct vg_cfg *c = &gw->cfg;

	memset(gw, 0, sizeof(*gw));
	memset(w, 0, sizeof(*w));
	snprintf(c->state_dir, sizeof(c->state_dir), "%s/state", dir);
	c->n_cameras = cameras;
	c->cameras = calloc(cameras, sizeof(*c->cameras));
	c->n_routes = 1;
	c->routes = calloc(1, sizeof(*c->routes));
	for (unsigned i = 0; i < cameras; i++) {
		c->cameras[i].suite = VG_SUITE_AES_CM_128_HMAC_SHA1_80;
		c->cameras[i].key.len = 30;
		memset(c->cameras[i].key.bytes, 0x42, 30);
		c->cameras[i].ssrc = 0x10000000u + i;
	}
	c->routes[0] = (struct vg_cfg_route){ .ssrc = 0x20000000u,
		.suite = VG_SUITE_AEAD_AES_128_GCM, .key = { .len = 28 } };
	gw->n_streams = vg_flow_id_count(c);
	gw->streams = calloc(gw->n_streams, sizeof(*gw->streams));
	for (unsigned i = 0; i < gw->n_streams; i++) {
		struct vg_stream *s = &gw->streams[i];
		bool fb = i >= vg_flow_id_cam_fb(c, 0);
		unsigned base = fb ? i - vg_flow_id_cam_fb(c, 0) : i;

		s->ssrc = base < cameras ? c->cameras[base].ssrc : c->routes[0].ssrc;
		if (fb)
			s->ssrc = vg_cfg_feedback_ssrc(s->ssrc);
		/* Cameras and the route's feedback protect. */
		s->dir = (i < cameras || i == vg_flow_id_route_fb(c, 0)) ?
			 VG_DIR_PROTECT : VG_DIR_UNPROTECT;
	}
	gw->worker = w;
}

static void
free_gw(struct vg_gw *gw)
{
	free(gw->streams);
	free(gw->cfg.cameras);
	free(gw->cfg.routes);
}

/* One camera packet as the worker takes it (forward.c): an index below
 * the published limit, an ask once half the reservation is used.  The
 * index goes to *mark before it is used, as a kill may come at once. */
static bool
send_one(struct vg_worker *w, struct vg_stream *s, uint16_t seq,
	 volatile uint64_t *mark)
{
	uint64_t limit = __atomic_load_n(&s->rtp_limit, __ATOMIC_RELAXED), idx;
	enum vg_seq_verdict v;

	v = vg_stream_next_index(&s->seq, s->ssrc, seq, limit, &idx);
	if (limit - RTE_MIN(s->seq.next_out, limit) <= VG_RESERVE_AHEAD / 2 &&
	    s->asked != limit) {
		s->asked = limit;
		__atomic_store_n(&w->reserve_asks, w->reserve_asks + 1,
				 __ATOMIC_RELAXED);
	}
	if (v != VG_SEQ_OK)
		return false;
	if (idx + 1 > *mark)
		*mark = idx + 1;
	return true;
}

struct child_ctx {
	struct vg_gw gw;
	struct vg_worker w;
	volatile uint64_t *used;
	unsigned seed;
};

/* The worker thread: cameras flat out, with lost packets and resets. */
static void *
worker(void *arg)
{
	struct child_ctx *c = arg;
	uint16_t seq[CAMERAS];
	unsigned r = c->seed;

	for (unsigned i = 0; i < CAMERAS; i++)
		seq[i] = (uint16_t)rand_r(&r);
	for (;;) {
		unsigned i = (unsigned)rand_r(&r) % CAMERAS;

		seq[i] += rand_r(&r) % 50 == 0 ? 1 + rand_r(&r) % 40000 : 1;
		send_one(&c->w, &c->gw.streams[i], seq[i], &c->used[i]);
	}
	return NULL;
}

/* The child: a worker thread and the main lcore's control loop, as in
 * vigie-gw, until killed.  used[i]: one above the highest index camera i
 * may have used. */
static void
child(volatile uint64_t *used, unsigned seed)
{
	static struct child_ctx c;
	pthread_t t;
	char err[512];

	make_gw(&c.gw, &c.w, CAMERAS);
	c.used = used;
	c.seed = seed;
	if (vg_reserve_open(&c.gw, stdout, err, sizeof(err)) < 0) {
		fprintf(stderr, "child: %s\n", err);
		_exit(1);
	}
	if (pthread_create(&t, NULL, worker, &c) != 0)
		_exit(1);
	for (;;) {
		vg_reserve_tick(&c.gw, stdout);
		usleep(100);
	}
}

/* Kill a child at a random moment; the next start must continue above. */
static void
test_kill(unsigned round, unsigned *jumps_ok)
{
	volatile uint64_t *used = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct timespec t = { 0, (long)(rand() % 200 + 20) * 1000000L };
	struct vg_worker w;
	struct vg_gw gw;
	char err[512];
	pid_t pid;
	int st;

	memset((void *)used, 0, 4096);
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		child(used, round);
	nanosleep(&t, NULL);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	CHECK(WIFSIGNALED(st), "round %u: the child died of SIGKILL", round);
	make_gw(&gw, &w, CAMERAS);
	CHECK(vg_reserve_open(&gw, stdout, err, sizeof(err)) == 0, "%s", err);
	for (unsigned i = 0; i < CAMERAS; i++) {
		uint64_t next = gw.streams[i].seq.next_out;

		CHECK(next >= used[i], "round %u camera %u: continues at %llu, "
		      "used up to %llu", round, i, (unsigned long long)next,
		      (unsigned long long)used[i]);
		if (used[i] > 0)
			CHECK(next - used[i] <= VG_RESERVE_AHEAD, "round %u camera "
			      "%u: a jump of %llu", round, i,
			      (unsigned long long)(next - used[i]));
		*jumps_ok += used[i] > 0;
	}
	vg_reserve_close(&gw, stdout);
	free_gw(&gw);
	munmap((void *)used, 4096);
}

/* A clean stop records the exact next index; receivers come back; a
 * stream no longer configured keeps its record. */
static void
test_clean_stop(void)
{
	struct vg_worker w;
	struct vg_gw gw;
	uint64_t used = 0;
	char err[512];
	unsigned rx = vg_flow_id_route(&gw.cfg, 0);

	make_gw(&gw, &w, CAMERAS);
	rx = vg_flow_id_route(&gw.cfg, 0);
	CHECK(vg_reserve_open(&gw, stdout, err, sizeof(err)) == 0, "%s", err);
	for (unsigned q = 0; q < 100; q++)
		send_one(&w, &gw.streams[3], (uint16_t)q, &used);
	gw.streams[rx].rx_rtp = 777777;
	gw.streams[rx].rx_rtcp = 55;
	CHECK(vg_reserve_close(&gw, stdout) == 0);
	free_gw(&gw);
	make_gw(&gw, &w, CAMERAS);
	CHECK(vg_reserve_open(&gw, stdout, err, sizeof(err)) == 0, "%s", err);
	CHECK(gw.streams[3].seq.next_out == used, "clean restart: %llu, "
	      "used %llu", (unsigned long long)gw.streams[3].seq.next_out,
	      (unsigned long long)used);
	CHECK(gw.streams[rx].rx_rtp == 777777 && gw.streams[rx].rx_rtcp == 55,
	      "the receiver resumes");
	vg_reserve_close(&gw, stdout);
	free_gw(&gw);
	/* _80 to _32 under the same key and SSRC: one keystream, so the
	 * stream continues where it was, never at 0. */
	make_gw(&gw, &w, CAMERAS);
	gw.cfg.cameras[3].suite = VG_SUITE_AES_CM_128_HMAC_SHA1_32;
	CHECK(vg_reserve_open(&gw, stdout, err, sizeof(err)) == 0, "%s", err);
	CHECK(gw.streams[3].seq.next_out == used, "a suite change continues: "
	      "%llu, used %llu", (unsigned long long)gw.streams[3].seq.next_out,
	      (unsigned long long)used);
	vg_reserve_close(&gw, stdout);
	free_gw(&gw);
	/* Two cameras fewer: their records stay, and come back. */
	make_gw(&gw, &w, CAMERAS - 2);
	CHECK(vg_reserve_open(&gw, stdout, err, sizeof(err)) == 0, "%s", err);
	vg_reserve_close(&gw, stdout);
	free_gw(&gw);
	make_gw(&gw, &w, CAMERAS);
	CHECK(vg_reserve_open(&gw, stdout, err, sizeof(err)) == 0, "%s", err);
	CHECK(gw.streams[CAMERAS - 1].seq.next_out > 0,
	      "a camera removed then added back continues");
	vg_reserve_close(&gw, stdout);
	free_gw(&gw);
}

/* A stream near 2^48: its reservation stops at the end of the index
 * space, and its last index is 2^48 - 1. */
static void
test_end(void)
{
	struct vg_state_rec *recs, *rec = NULL;
	struct vg_state *st;
	struct vg_worker w;
	struct vg_gw gw;
	uint8_t fp[VG_STATE_FP_LEN];
	uint64_t used = 0, idx;
	unsigned n, ok = 0;
	char err[512];

	make_gw(&gw, &w, CAMERAS);
	vg_state_fingerprint(fp, VG_SUITE_AES_CM_128_HMAC_SHA1_80,
			     gw.cfg.cameras[0].key.bytes, 30);
	st = vg_state_open(gw.cfg.state_dir, err, sizeof(err));
	CHECK(st != NULL && vg_state_read(st, &recs, &n, err, sizeof(err)) == 0,
	      "%s", err);
	for (unsigned i = 0; st != NULL && i < n; i++)
		if (memcmp(recs[i].fp, fp, sizeof(fp)) == 0 &&
		    recs[i].ssrc == gw.cfg.cameras[0].ssrc &&
		    recs[i].kind == VG_STATE_TX)
			rec = &recs[i];
	CHECK(rec != NULL, "camera 0's record");
	if (rec == NULL)
		return;
	rec->rtp = VG_INDEX_END - 100 - VG_SEQ_SLACK;
	CHECK(vg_state_write(st, recs, n, err, sizeof(err)) == 0, "%s", err);
	vg_state_close(st);
	free(recs);
	CHECK(vg_reserve_open(&gw, stdout, err, sizeof(err)) == 0, "%s", err);
	CHECK(gw.streams[0].rtp_limit == VG_INDEX_END, "limit capped at 2^48");
	for (unsigned q = 0; q < 100; q++)
		ok += send_one(&w, &gw.streams[0], (uint16_t)q, &used);
	CHECK(ok == 100 && used == VG_INDEX_END, "up to 2^48 - 1");
	CHECK(vg_stream_next_index(&gw.streams[0].seq, gw.streams[0].ssrc, 100,
				   gw.streams[0].rtp_limit, &idx) ==
	      VG_SEQ_EXHAUSTED, "then exhausted, never wrapped");
	vg_reserve_close(&gw, stdout);
	free_gw(&gw);
}

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "-l", "0", "--no-huge", "-m", "64",
			"--no-pci", "--no-shconf", "--log-level", "3" };
	unsigned jumps_ok = 0;
	char cmd[64];

	(void)argc;
	if (rte_eal_init(sizeof(eal) / sizeof(eal[0]), eal) < 0 ||
	    mkdtemp(dir) == NULL) {
		fprintf(stderr, "EAL init or mkdtemp failed\n");
		return 1;
	}
	srand((unsigned)time(NULL));
	for (unsigned r = 0; r < KILLS; r++)
		test_kill(r, &jumps_ok);
	CHECK(jumps_ok >= KILLS * CAMERAS / 2, "only %u streams had sent "
	      "when killed", jumps_ok);
	test_clean_stop();
	test_end();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK(system(cmd) == 0);
	VG_TEST_END();
}
