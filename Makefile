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
# gateway/ in layers; calls go one way: app -> dp -> engine, cfg -> core.
# Each layer is compiled seeing only its own headers and those below it, so
# an upward include fails the build.  core/ and cfg/ (and the libsrtp engine)
# are compiled without the DPDK flags: the build itself keeps them DPDK-free.
CORE_SRCS   := $(wildcard gateway/core/*.c)
CFG_SRCS    := $(wildcard gateway/cfg/*.c)
ENGINE_SRCS := $(wildcard gateway/engine/*.c)
CDEV_SRCS   := $(wildcard gateway/engine/cryptodev/*.c)
DP_SRCS     := $(wildcard gateway/dp/*.c)
APP_SRCS    := $(filter-out gateway/main.c,$(wildcard gateway/*.c))
INC_CORE    := -Igateway/core
INC_CFG     := $(INC_CORE) -Igateway/cfg
INC_ENGINE  := $(INC_CORE) -Igateway/engine
INC_CDEV    := $(INC_ENGINE) -Igateway/engine/cryptodev
INC_DP      := $(INC_CFG) -Igateway/engine -Igateway/dp
INC_APP     := $(INC_DP) -Igateway
# Pure modules get DPDK's machine flags (-march=...) but none of its headers:
# the same code generation as the data plane that inlines and calls them.
PURE_CFLAGS := $(shell pkg-config --cflags libsrtp2 openssl libconfig 2>/dev/null) \
	$(filter -march=% -mcpu=% -mtune=%,$(DPDK_CFLAGS))
PURE_LIBS   := $(shell pkg-config --libs libsrtp2 openssl libconfig 2>/dev/null)
obj = $(patsubst %.c,$(BUILD)/%.o,$(1))
$(call obj,$(CORE_SRCS)):   XFLAGS := $(PURE_CFLAGS) $(INC_CORE)
$(call obj,$(CFG_SRCS)):    XFLAGS := $(PURE_CFLAGS) $(INC_CFG)
$(call obj,$(ENGINE_SRCS)): XFLAGS := $(PURE_CFLAGS) $(INC_ENGINE)
$(call obj,$(CDEV_SRCS)):   XFLAGS := $(DPDK_CFLAGS) $(INC_CDEV)
$(call obj,$(DP_SRCS)):     XFLAGS := $(DPDK_CFLAGS) $(INC_DP)
$(call obj,$(APP_SRCS) gateway/main.c): XFLAGS := $(DPDK_CFLAGS) $(INC_APP)
# libvigie.a: every module but main(); a program links only the members it
# needs, so the unit tests link it without DPDK and fail to link if a pure
# module starts to need it.
LIB_OBJS  := $(call obj,$(CORE_SRCS) $(CFG_SRCS) $(ENGINE_SRCS) $(CDEV_SRCS) $(DP_SRCS) $(APP_SRCS))
LIBVIGIE  := $(BUILD)/libvigie.a
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
# Tests that need EAL (cryptodev, mbufs, ports).
DPDK_TEST_SRCS := $(wildcard tests/dpdk/test_*.c)
DPDK_TEST_BINS := $(DPDK_TEST_SRCS:tests/dpdk/%.c=$(BUILD)/tests/%)
# The traffic tools (dpdk-apps/): their own modules plus libvigie.a.
TOOL_OBJS := $(call obj,$(wildcard dpdk-apps/common/*.c))
CAMGEN_OBJS := $(call obj,$(wildcard dpdk-apps/camgen/*.c))
SINK_OBJS := $(call obj,$(wildcard dpdk-apps/sink/*.c))
# The tools' pure modules, unit-tested beside the gateway's.
TOOL_PURE_OBJS := $(call obj,dpdk-apps/common/probe.c dpdk-apps/camgen/video.c \
	dpdk-apps/camgen/wire.c dpdk-apps/camgen/pcap.c dpdk-apps/sink/track.c)
TOOLS     := $(BUILD)/vigie-camgen $(BUILD)/vigie-sink
TEST_INCS := $(INC_APP) -Igateway/engine/cryptodev -Idpdk-apps/common
# The public headers: the modules a program outside gateway/ may use,
# copied to $(BUILD)/include/vigie/ (as DPDK installs its own) and included
# as "vigie/parse.h".  The tools see them and their own dirs, no gateway
# dir.  A public header includes only public ones (the copy refuses any
# other: a build error), so nothing internal leaks in through them.
PUBLIC_HDRS := gateway/core/bytes.h gateway/core/csum.h gateway/core/drop.h \
	gateway/core/parse.h gateway/core/policy.h gateway/core/sdes.h \
	gateway/core/suite.h gateway/cfg/cfg.h gateway/dp/frame.h \
	gateway/dp/port.h
PUBLIC_NAMES := $(notdir $(PUBLIC_HDRS))
PUBLIC_OUT := $(addprefix $(BUILD)/include/vigie/,$(PUBLIC_NAMES))
PUB_INCS  := -I$(BUILD)/include
TOOL_INCS := $(PUB_INCS) -Idpdk-apps/common
XFLAGS    = $(DPDK_CFLAGS) $(TOOL_INCS)
# vigie-bench: raw.c (the crypto device alone) and config.c use the public
# headers only.  bench.c and center.c are a white-box driver of the worker
# loop: they fill struct vg_gw's config and ports, read the worker's
# counters as it runs and build the center's traffic with the engine's ops
# table, so they also see the gateway's internal headers (INC_APP).
BENCH_OBJS := $(call obj,$(wildcard dpdk-apps/bench/*.c))
$(call obj,dpdk-apps/bench/raw.c dpdk-apps/bench/config.c): \
	XFLAGS := $(DPDK_CFLAGS) $(PUB_INCS)
$(call obj,dpdk-apps/bench/bench.c dpdk-apps/bench/center.c): \
	XFLAGS := $(DPDK_CFLAGS) $(PUB_INCS) $(INC_APP)
# Copied before any tool compiles (a parallel build from scratch); the
# objects' .d files then make each depend on the copies it includes.
$(TOOL_OBJS) $(CAMGEN_OBJS) $(SINK_OBJS) $(BENCH_OBJS): | $(PUBLIC_OUT)

.PHONY: all setup test unit unit-san e2e fuzz demo clean check-clang check-license check-headers bench bench-bin tools lab-bench bench-smoke mutants
all: $(BUILD)/vigie-gw tools

tools: $(TOOLS)

setup:
	@scripts/setup.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(VG_CFLAGS) $(XFLAGS) -c $< -o $@

$(LIBVIGIE): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/vigie-gw: $(BUILD)/gateway/main.o $(LIBVIGIE)
	$(CC) $(CFLAGS) $(VG_CFLAGS) -o $@ $^ $(DPDK_LIBS) -lm

$(BUILD)/vigie-camgen: $(CAMGEN_OBJS) $(TOOL_OBJS) $(LIBVIGIE)
	$(CC) $(CFLAGS) $(VG_CFLAGS) -o $@ $^ $(DPDK_LIBS) -lm

$(BUILD)/vigie-sink: $(SINK_OBJS) $(TOOL_OBJS) $(LIBVIGIE)
	$(CC) $(CFLAGS) $(VG_CFLAGS) -o $@ $^ $(DPDK_LIBS) -lm

# $(BUILD)/include/vigie/NAME.h from its gateway header, byte for byte; one
# flat directory, so a public header finds the others by "NAME.h".
$(foreach h,$(PUBLIC_HDRS),$(eval $(BUILD)/include/vigie/$(notdir $(h)): $(h)))
$(if $(filter-out 1,$(foreach n,$(PUBLIC_NAMES),$(words $(filter $(n),$(PUBLIC_NAMES))))),\
	$(error PUBLIC_HDRS: two headers named alike in $(BUILD)/include/vigie))
$(PUBLIC_OUT):
	@mkdir -p $(@D)
	@for i in $$(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' $<); do \
		case " $(PUBLIC_NAMES) " in *" $$i "*) ;; *) \
		echo "$<: includes \"$$i\", not a public header (PUBLIC_HDRS)" >&2; \
		exit 1;; esac; done
	cp $< $@

# Unit tests: no DPDK flags, no DPDK libraries.
$(BUILD)/tests/%: tests/unit/%.c tests/unit/harness.h tests/unit/kat.h $(TOOL_PURE_OBJS) $(LIBVIGIE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(VG_CFLAGS) $(PURE_CFLAGS) $(TEST_INCS) -Idpdk-apps/camgen -Idpdk-apps/sink -Itests/unit -o $@ $< $(TOOL_PURE_OBJS) $(LIBVIGIE) $(PURE_LIBS)

$(BUILD)/tests/%: tests/dpdk/%.c tests/unit/harness.h tests/unit/kat.h $(LIBVIGIE)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(VG_CFLAGS) $(DPDK_CFLAGS) $(TEST_INCS) -Itests/unit -o $@ $< $(LIBVIGIE) $(DPDK_LIBS) -lrte_net_ring -lm

# make unit: every unit-test program, built as CFLAGS says.  T=NAME runs one
# (T=test_parse or T=parse), T=NAME/CASE only its cases whose name matches
# the glob CASE (T=parse/valid, T='engine/kat*': VG_RUN in harness.h).
# Without AddressSanitizer a parser over-read goes unseen: unit-san builds
# and runs the same programs with ASan and UBSan, as make test does.
# T and E count only from make's command line, not a stray environment.
UNIT_PROGS := $(UNIT_BINS) $(DPDK_TEST_BINS) tests/vectors/srtp_ref.py
unit_name = $(patsubst test_%,%,$(basename $(notdir $(1))))
T_SEL  := $(if $(filter command line,$(origin T)),$(T))
T_PROG := $(call unit_name,$(firstword $(subst /, ,$(T_SEL))))
T_CASE := $(if $(findstring /,$(T_SEL)),$(patsubst $(firstword $(subst /, ,$(T_SEL)))/%,%,$(T_SEL)))
UNIT_RUN := $(if $(T_SEL),$(foreach p,$(UNIT_PROGS),$(if $(filter $(T_PROG),$(call unit_name,$(p))),$(p))),$(UNIT_PROGS))
unit: $(filter-out %.py,$(UNIT_RUN))
	@VG_T='$(T_SEL)' VG_TEST_CASE='$(T_CASE)' tests/run-unit.sh $(UNIT_RUN)
	@$(if $(findstring -fsanitize=address,$(CFLAGS)),:,echo "unit: no ASan here: make unit-san catches over-reads")

unit-san:
	$(MAKE) unit BUILD=$(BUILD)/san CFLAGS="$(SAN_CFLAGS)"

# Fuzz targets need clang's libFuzzer; FUZZ_SECONDS bounds each run.
FUZZ_SECONDS ?= 20
FUZZ_SRCS := $(CORE_SRCS) $(CFG_SRCS) dpdk-apps/common/probe.c
$(BUILD)/fuzz/%: tests/fuzz/%.c $(FUZZ_SRCS) | $(PUBLIC_OUT)
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
	  $(PURE_CFLAGS) $(INC_CFG) $(PUB_INCS) -Idpdk-apps/common -o $@ $< $(FUZZ_SRCS) $(PURE_LIBS)
fuzz: FUZZ_SECONDS = 300
fuzz fuzz-short: $(BUILD)/fuzz/fuzz_parse $(BUILD)/fuzz/fuzz_cfg $(BUILD)/fuzz/fuzz_rtcp
	tests/fuzz/run.sh $(BUILD)/fuzz $(FUZZ_SECONDS)

# The benchmark driver runs the real worker loop (LIB_OBJS) on ring/null
# ports; rte_eth_from_rings lives in the ring PMD's library.
$(BUILD)/vigie-bench: $(BENCH_OBJS) $(LIBVIGIE)
	$(CC) $(CFLAGS) $(VG_CFLAGS) -o $@ $^ $(DPDK_LIBS) -lrte_net_ring -lm

bench-bin: $(BUILD)/vigie-bench

bench: setup
	$(MAKE) all bench-bin
	scripts/bench.sh --build $(BUILD)

# make e2e: every scenario (tests/e2e/run.sh), on the binaries of BUILD;
# E="vlan restart" or E=center/libsrtp: only those.
e2e: all
	BUILD=$(BUILD) tests/e2e/run.sh $(if $(filter command line,$(origin E)),$(E))

# Unit tests run under AddressSanitizer and UBSan: a parser over-read or a
# leak in the pure modules fails the suite, not just a crash.
SAN_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
test: setup
	$(MAKE) check-license check-headers
	$(MAKE) all bench-bin
	$(MAKE) check-clang
	$(MAKE) unit-san
	$(MAKE) fuzz-short FUZZ_SECONDS=15
	$(MAKE) e2e
	$(MAKE) bench-smoke

# Every source file says its licence (LICENSE): BSD-3-Clause, as DPDK's.
check-license:
	@missing=$$(git ls-files '*.c' '*.h' '*.sh' '*.py' '*.lua' '*.awk' Makefile .ci/run scripts/bench/csv | \
		xargs grep -L 'SPDX-License-Identifier: BSD-3-Clause'); \
	if [ -n "$$missing" ]; then echo "no SPDX line: $$missing"; exit 1; fi; \
	echo "check-license: every source file has its SPDX line"

# Every header compiles on its own in its layer: it includes what it uses,
# and nothing from a layer above (the include path of its layer lacks it).
HDR_CHECK = for h in $(2); do $(CC) -std=c11 -D_GNU_SOURCE -DALLOW_EXPERIMENTAL_API \
	-Wall -Wextra -Werror -fsyntax-only $(1) -include $$h -x c /dev/null || exit 1; done
check-headers:
	@$(call HDR_CHECK,$(PURE_CFLAGS) $(INC_CORE),$(wildcard gateway/core/*.h))
	@$(call HDR_CHECK,$(PURE_CFLAGS) $(INC_CFG),$(wildcard gateway/cfg/*.h))
	@$(call HDR_CHECK,$(PURE_CFLAGS) $(INC_ENGINE),$(wildcard gateway/engine/*.h))
	@$(call HDR_CHECK,$(DPDK_CFLAGS) $(INC_CDEV),$(wildcard gateway/engine/cryptodev/*.h))
	@$(call HDR_CHECK,$(DPDK_CFLAGS) $(INC_DP),$(wildcard gateway/dp/*.h))
	@$(call HDR_CHECK,$(DPDK_CFLAGS) $(INC_APP),$(wildcard gateway/*.h))
	@echo "check-headers: every gateway header compiles alone in its layer"

# The code must also build warning-free with clang.
check-clang:
	$(MAKE) BUILD=$(BUILD)/clang CC=clang all bench-bin

# make bench's whole path (driver, both engines, ceilings, report) on a tiny
# matrix: every case measured, zero drops, every mbuf back (not a figure).
bench-smoke: bench-bin
	scripts/bench.sh --smoke --build $(BUILD) --out $(BUILD)/bench-smoke \
		> $(BUILD)/bench-smoke.log 2>&1 || { cat $(BUILD)/bench-smoke.log; exit 1; }
	scripts/bench/csv '{ n++; if (col("drops") != 0) bad++ } END { if (n != 4 || bad) { \
		print "bench-smoke: " n " cases, " bad + 0 " with drops"; exit 1 } \
		print "bench-smoke: 2 protect and 2 center cases measured, zero drops, mempools full" }' \
		$(BUILD)/bench-smoke/results.csv $(BUILD)/bench-smoke/center.csv
	! grep -q INVALID $(BUILD)/bench-smoke.log
	# The profile: one case, crypto samples found, the groups adding up
	# (unless this machine forbids perf, which the log then says).
	if grep -q '^bench: profile: skipped' $(BUILD)/bench-smoke.log; then \
		grep '^bench: profile: skipped' $(BUILD)/bench-smoke.log; \
	else scripts/bench/csv '{ n++; t = col("crypto") + col("driver") + col("engine") + \
		col("checksum") + col("gateway") + col("ports") + col("other"); \
		if (col("crypto") <= 0 || t < 99 || t > 101 || col("crypto_cost") <= 0) bad++ } \
		END { if (n != 1 || bad) { print "bench-smoke: profile " n " rows, " bad + 0 " bad"; exit 1 } \
		print "bench-smoke: profile of the worker grouped, crypto found" }' \
		$(BUILD)/bench-smoke/profile.csv; fi

demo: setup
	$(MAKE) all
	scripts/demo.sh

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# Mutation testing (docs/testing.md): each mutant of tests/mutants.txt, a
# security check broken in a scratch copy of the tree, must fail its test.
# Not in make test (a few minutes); M=NAME (or M=a,b) runs only those.
mutants:
	SAN_CFLAGS="$(SAN_CFLAGS)" scripts/mutants.sh $(M)
