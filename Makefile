# SPDX-License-Identifier: BSD-3-Clause
# Vigie — build, test, demo.  `make` builds build/vigie-gw.
CC      ?= gcc
BUILD   ?= build
PKGS    := libdpdk libsrtp2 openssl libconfig
CFLAGS  ?= -O2 -g
# Always applied, even when CFLAGS is given on the command line.
# Experimental DPDK APIs used: cryptodev session pools and CPU crypto.
VG_CFLAGS := -std=c11 -D_GNU_SOURCE -DALLOW_EXPERIMENTAL_API -Wall -Wextra -Werror -MMD -MP
DPDK_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DPDK_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# Modules that need no DPDK: unit tests and --check-config link only these.
PURE_SRCS := gateway/parse.c gateway/suite.c gateway/sdes.c gateway/sdp.c $(wildcard gateway/cfg*.c) \
             gateway/engine_libsrtp.c gateway/policy.c gateway/replay.c \
             gateway/stream.c gateway/drop.c gateway/kdf.c gateway/srtcp.c gateway/csum.c gateway/state.c gateway/policer.c gateway/announce.c \
             dpdk-apps/common/probe.c dpdk-apps/camgen/video.c dpdk-apps/camgen/wire.c \
             dpdk-apps/camgen/pcap.c dpdk-apps/sink/track.c
GW_SRCS   := $(wildcard gateway/*.c)
PURE_OBJS := $(PURE_SRCS:%.c=$(BUILD)/%.o)
GW_OBJS   := $(GW_SRCS:%.c=$(BUILD)/%.o)
PURE_LIBS := $(shell pkg-config --libs libsrtp2 openssl libconfig 2>/dev/null)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
# Tests that need EAL (cryptodev, mbufs) link the gateway without main.o.
DPDK_TEST_SRCS := $(wildcard tests/dpdk/test_*.c)
DPDK_TEST_BINS := $(DPDK_TEST_SRCS:tests/dpdk/%.c=$(BUILD)/tests/%)
LIB_OBJS  := $(filter-out $(BUILD)/gateway/main.o,$(GW_OBJS))
# The traffic tools (dpdk-apps/): the gateway's modules plus their own.
TOOL_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard dpdk-apps/common/*.c))
CAMGEN_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard dpdk-apps/camgen/*.c))
SINK_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(wildcard dpdk-apps/sink/*.c))
TOOLS     := $(BUILD)/vigie-camgen $(BUILD)/vigie-sink
INCS      := -Igateway -Idpdk-apps/common

.PHONY: all setup test unit e2e fuzz demo clean check-clang check-license bench bench-bin tools lab-bench bench-smoke
all: $(BUILD)/vigie-gw tools

tools: $(TOOLS)

setup:
	@scripts/setup.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(VG_CFLAGS) $(DPDK_CFLAGS) $(INCS) -c $< -o $@

$(BUILD)/vigie-gw: $(GW_OBJS)
	$(CC) $(CFLAGS) $(VG_CFLAGS) -o $@ $^ $(DPDK_LIBS) -lm

$(BUILD)/vigie-camgen: $(CAMGEN_OBJS) $(TOOL_OBJS) $(LIB_OBJS)
	$(CC) $(CFLAGS) $(VG_CFLAGS) -o $@ $^ $(DPDK_LIBS) -lm

$(BUILD)/vigie-sink: $(SINK_OBJS) $(TOOL_OBJS) $(LIB_OBJS)
	$(CC) $(CFLAGS) $(VG_CFLAGS) -o $@ $^ $(DPDK_LIBS) -lm

$(BUILD)/tests/%: tests/unit/%.c tests/unit/harness.h tests/unit/kat.h $(PURE_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(VG_CFLAGS) $(DPDK_CFLAGS) $(INCS) -Idpdk-apps/camgen -Idpdk-apps/sink -Itests/unit -o $@ $< $(PURE_OBJS) $(PURE_LIBS)

$(BUILD)/tests/%: tests/dpdk/%.c tests/unit/harness.h tests/unit/kat.h $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(VG_CFLAGS) $(DPDK_CFLAGS) $(INCS) -Itests/unit -o $@ $< $(LIB_OBJS) $(DPDK_LIBS) -lm

unit: $(UNIT_BINS) $(DPDK_TEST_BINS)
	@tests/run-unit.sh $(UNIT_BINS) $(DPDK_TEST_BINS) tests/vectors/srtp_ref.py

# Fuzz targets need clang's libFuzzer; FUZZ_SECONDS bounds each run.
FUZZ_SECONDS ?= 20
$(BUILD)/fuzz/%: tests/fuzz/%.c $(PURE_SRCS)
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	  $(DPDK_CFLAGS) $(INCS) -o $@ $< $(PURE_SRCS) $(PURE_LIBS)
fuzz: FUZZ_SECONDS = 300
fuzz fuzz-short: $(BUILD)/fuzz/fuzz_parse $(BUILD)/fuzz/fuzz_cfg $(BUILD)/fuzz/fuzz_rtcp
	tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS)

# The benchmark driver runs the real worker loop (LIB_OBJS) on ring/null
# ports; rte_eth_from_rings lives in the ring PMD's library.
$(BUILD)/vigie-bench: $(wildcard dpdk-apps/bench/*.c) $(LIB_OBJS)
	$(CC) $(CFLAGS) $(VG_CFLAGS) $(DPDK_CFLAGS) $(INCS) -Idpdk-apps/bench -o $@ $(filter %.c,$^) $(LIB_OBJS) $(DPDK_LIBS) -lrte_net_ring -lm

bench-bin: $(BUILD)/vigie-bench

bench: setup
	$(MAKE) all bench-bin
	scripts/bench.sh

e2e: all
	tests/e2e/run.sh

# Unit tests run under AddressSanitizer and UBSan: a parser over-read or a
# leak in the pure modules fails the suite, not just a crash.
SAN_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
test: setup
	$(MAKE) check-license
	$(MAKE) all bench-bin
	$(MAKE) check-clang
	$(MAKE) unit BUILD=$(BUILD)/san CFLAGS="$(SAN_CFLAGS)"
	$(MAKE) fuzz-short FUZZ_SECONDS=15
	$(MAKE) e2e
	$(MAKE) bench-smoke

# Every source file says its licence (LICENSE): BSD-3-Clause, as DPDK's.
check-license:
	@missing=$$(git ls-files '*.c' '*.h' '*.sh' '*.py' '*.lua' Makefile .ci/run | \
		xargs grep -L 'SPDX-License-Identifier: BSD-3-Clause'); \
	if [ -n "$$missing" ]; then echo "no SPDX line: $$missing"; exit 1; fi; \
	echo "check-license: every source file has its SPDX line"

# The code must also build warning-free with clang.
check-clang:
	$(MAKE) BUILD=$(BUILD)/clang CC=clang all bench-bin

# make bench's whole path (driver, both engines, ceilings, report) on a tiny
# matrix: every case measured, zero drops, every mbuf back (not a figure).
bench-smoke: bench-bin
	BENCH_OUT=$(BUILD)/bench-smoke BENCH_SUITES=AEAD_AES_128_GCM BENCH_SIZES=600 \
	BENCH_STREAMS=10 BENCH_RUNS=1 BENCH_CEILING_RUNS=1 BENCH_SECONDS=0.2 \
	BENCH_CEILING_OPS=100000 BENCH_CENTER_SUITES=AEAD_AES_128_GCM BENCH_CENTER_SIZE=600 \
	BENCH_CENTER_STREAMS=10 BENCH_CENTER_PACKETS=4000 BENCH_PROFILE_SECONDS=0.5 \
	scripts/bench.sh > $(BUILD)/bench-smoke.log 2>&1 || \
		{ cat $(BUILD)/bench-smoke.log; exit 1; }
	awk -F, 'FNR > 1 { n++; if ($$9 != 0) bad++ } END { if (n != 4 || bad) { \
		print "bench-smoke: " n " cases, " bad + 0 " with drops"; exit 1 } \
		print "bench-smoke: 2 protect and 2 center cases measured, zero drops, mempools full" }' \
		$(BUILD)/bench-smoke/results.csv $(BUILD)/bench-smoke/center.csv
	! grep -q INVALID $(BUILD)/bench-smoke.log
	# The profile: one case, crypto samples found, the groups adding up
	# (unless this machine forbids perf, which the log then says).
	if grep -q '^bench: profile: skipped' $(BUILD)/bench-smoke.log; then \
		grep '^bench: profile: skipped' $(BUILD)/bench-smoke.log; \
	else awk -F, 'FNR > 1 { n++; t = $$6 + $$7 + $$8 + $$9 + $$10 + $$11 + $$12; \
		if ($$6 <= 0 || t < 99 || t > 101 || $$13 <= 0) bad++ } \
		END { if (n != 1 || bad) { print "bench-smoke: profile " n " rows, " bad + 0 " bad"; exit 1 } \
		print "bench-smoke: profile of the worker grouped, crypto found" }' \
		$(BUILD)/bench-smoke/profile.csv; fi

demo: setup
	$(MAKE) all
	scripts/demo.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
