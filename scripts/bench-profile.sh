# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash disable=SC2034,SC2153  # RUNNER_FAILED, STREAMS: bench.sh's
# Where the worker's time goes, for the cases the "0.80 of the ceiling"
# targets name (sourced by scripts/bench.sh, which sets BENCH, EAL, OUT, LOGS,
# ENGINES, SUITES, SIZES, STREAMS, KEYS, RUNS and the helpers say and pick).
# BENCH_PROFILE=0 leaves it out.
#
# For AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM (those of SUITES), the
# cryptodev engine at 1,200 B and 1,000 streams (or the measured size and
# stream count nearest to them): one more vigie-bench run, and `perf record
# -e cpu-clock -C 1` over PROFILE_SECONDS inside its measured seconds (the
# driver says "MEASURING" as they start).  cpu-clock is a software event: it
# works in a VM without a PMU.  The samples are grouped by where they fall:
#
#   crypto      libIPSec_MB: the cipher and MAC themselves (both CPU PMDs)
#   driver      the crypto PMD and cryptodev layers around it
#   engine      Vigie's cryptodev engine: IVs, ROC, ops, batching
#   checksum    the UDP/IPv4 checksums over the ciphertext (no NIC offload)
#   gateway     the rest of Vigie: rx loop, parse, flow lookup, stream state,
#               replay index, header rewrite, tx buffering
#   ports       the port drivers and the packet pool (net_ring, net_null,
#               mempool)
#   other       kernel, libc, anything else
#
# If the crypto cost as much inside the gateway as in the ceiling's loop,
# the ratio to the ceiling would equal the crypto's share of the time.  So
# the ratio splits into two measured factors:
#
#   ratio = crypto share / crypto cost, where
#   crypto cost = crypto share x ceiling MOps / Mpps of the profiled run
#
# (crypto cost: the time the crypto takes per packet in the gateway, in
# units of the ceiling's time per op; above 1 the data reached it colder).
# 0.80 of the ceiling needs a crypto share of at least 0.80 x crypto cost.
#
# ceiling MOps: one dpdk-test-crypto-perf run just before the profiled run.
#
# Writes $OUT/profile.csv (one row per profiled case, percentages):
#   suite,size,streams,mpps,ceiling_mpps,crypto,driver,engine,checksum,gateway,ports,other,crypto_cost
# and $OUT/profile-SUITE.txt, the symbols of each (perf report).
PROFILE=${BENCH_PROFILE:-1}
# BENCH_QUICK samples 1 s per case (it must stay under two minutes).
if [[ ${BENCH_QUICK:-0} == 1 ]]; then
	PROFILE_SECONDS=${BENCH_PROFILE_SECONDS:-1}
else
	PROFILE_SECONDS=${BENCH_PROFILE_SECONDS:-2}
fi
PROFILE_SUITES="AES_CM_128_HMAC_SHA1_80 AEAD_AES_128_GCM"
PROFILE_CSV=$OUT/profile.csv

# profile_awk: group(DSO, SYMBOL), the group of one line of perf report.
profile_awk='
function group(dso, sym) {
	if (dso ~ /^libIPSec_MB/) return "crypto"
	if (dso ~ /^librte_crypto|^librte_cryptodev/) return "driver"
	if (dso ~ /^librte_(net_|mempool|ring|mbuf|ethdev)/) return "ports"
	if (dso !~ /^vigie-/) return "other"
	if (sym ~ /^(sum_|vg_csum_)/) return "checksum"
	if (sym ~ /^(run_enqueue|run_cpu_gcm|run_gcm|run_openssl_gcm|cdev_|vg_engine_cryptodev|cop_attach|fill_cm|fill_gcm|finish_enqueued|cm_iv|gcm_iv|valid)/)
		return "engine"
	return "gateway"
}'

# profile_failed SUITE WHY: say so; the run counts as failed.
profile_failed() {
	say "profile $1: FAILED ($2)"
	RUNNER_FAILED=1
}

# profile_case SUITE SIZE STREAMS: one ceiling run then one profiled run,
# side by side (the VM drifts over minutes: c.cost divides figures taken in
# the same minute); appends its row to PROFILE_CSV and says its split.  A
# run or a perf that fails is said and counted as a failed run.
profile_case() {
	local suite=$1 size=$2 streams=$3 ceil pid i mpps secs
	local base=$LOGS/profile-$suite-$size-$streams
	local data=$base.perf.data txt=$OUT/profile-$suite.txt
	ceil=$(ceiling_once "$suite" "$size" "$base.ceiling.log")
	if [[ -z $ceil ]]; then
		profile_failed "$suite" "its ceiling run: see $base.ceiling.log"
		return 0
	fi
	# The run outlasts the sampling: perf never sees the drain or teardown.
	secs=$(awk -v s="$PROFILE_SECONDS" 'BEGIN { print s + 1 }')
	"$BENCH" "${EAL[@]}" --file-prefix "vgp$$" -- --engine cryptodev --suite "$suite" \
		--size "$size" --streams "$streams" --seconds "$secs" \
		--keys "$KEYS" >"$base.out" 2>"$base.err" &
	pid=$!
	# EAL start-up and stream set-up, then the warm-up: wait for the line.
	for ((i = 0; i < 600; i++)); do
		grep -q '^MEASURING ' "$base.out" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q '^MEASURING ' "$base.out" 2>/dev/null ||
			! perf record -q -e cpu-clock -C 1 -o "$data" -- sleep "$PROFILE_SECONDS" \
			>"$base.perf.log" 2>&1; then
		wait "$pid" || true
		profile_failed "$suite" "see $base.err and $base.perf.log"
		return 0
	fi
	wait "$pid" || true
	mpps=$(sed -n 's/^RESULT .* mpps=\([0-9.]*\) .*/\1/p' "$base.out")
	if [[ -z $mpps ]]; then
		profile_failed "$suite" "the run gave no figure: see $base.err"
		return 0
	fi
	perf report -i "$data" --no-children --sort dso,sym --stdio -q -t '|' \
		>"$base.report" 2>"$base.perf.log" || {
		profile_failed "$suite" "perf report: see $base.perf.log"
		return 0
	}
	{
		echo "# perf record -e cpu-clock -C 1, ${PROFILE_SECONDS} s inside vigie-bench --engine cryptodev --suite $suite --size $size --streams $streams ($mpps Mpps)"
		echo "# share of lcore 1's samples | object | symbol (libIPSec_MB is stripped: its symbol names are approximate)"
		awk -F'|' '$1 + 0 >= 0.2' "$base.report"
	} >"$txt"
	awk -F'|' -v suite="$suite" -v size="$size" -v streams="$streams" \
		-v mpps="$mpps" -v ceil="$ceil" "$profile_awk"'
	{
		dso = $2; sub(/^ +/, "", dso); sub(/ +$/, "", dso)
		sym = $3; sub(/^ *\[[^]]*\] */, "", sym)
		p[group(dso, sym)] += $1
	}
	END {
		cost = (mpps > 0) ? sprintf("%.2f", p["crypto"] / 100 * ceil / mpps) : 0
		printf "%s,%s,%s,%s,%s,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%s\n", suite, size, streams,
			mpps, ceil, p["crypto"], p["driver"], p["engine"], p["checksum"], p["gateway"],
			p["ports"], p["other"], cost
	}' "$base.report" >>"$PROFILE_CSV"
	say "profile $suite ${size} B $streams streams: $(tail -1 "$PROFILE_CSV")"
}

# run_profiles: the profiled cases, after the matrix.
run_profiles() {
	local suite size streams
	((PROFILE)) || return 0
	[[ " $ENGINES " == *" cryptodev "* ]] || return 0
	if ! command -v perf >/dev/null; then
		say "profile: skipped, perf not found (Debian package linux-perf; run 'make setup')"
		return 0
	fi
	# A container may forbid perf_event_open: that is the machine's, not a
	# failed run.
	if ! perf record -q -e cpu-clock -C 1 -o "$LOGS/perf-probe.data" -- true \
			>"$LOGS/perf-probe.log" 2>&1; then
		say "profile: skipped, perf cannot sample lcore 1 here: $(head -1 "$LOGS/perf-probe.log")"
		return 0
	fi
	echo "suite,size,streams,mpps,ceiling_mpps,crypto,driver,engine,checksum,gateway,ports,other,crypto_cost" \
		>"$PROFILE_CSV"
	size=$(pick 1200 "$SIZES")
	streams=$(pick 1000 "$STREAMS")
	for suite in $PROFILE_SUITES; do
		[[ " $SUITES " == *" $suite "* ]] || continue
		profile_case "$suite" "$size" "$streams"
	done
}

# print_profiles: the split of each profiled case, and what 0.80 needs.
print_profiles() {
	[[ -s $PROFILE_CSV ]] && (($(wc -l <"$PROFILE_CSV") > 1)) || return 0
	echo "Where lcore 1's time goes (perf, cryptodev engine; $OUT/profile-*.txt has the symbols):"
	awk -F, 'NR == 1 { next }
	{
		if (!hdr++) printf "  %-24s %5s %7s %6s %6s %6s %6s %6s %6s %6s | %6s %7s %6s %6s %6s\n", "suite",
			"bytes", "streams", "crypto", "driver", "engine", "csum", "gatew.", "ports", "other",
			"Mpps", "ceiling", "ratio", "c.cost", "needs"
		printf "  %-24s %5d %7d %5.1f%% %5.1f%% %5.1f%% %5.1f%% %5.1f%% %5.1f%% %5.1f%% | %6.3f %7.3f %6.3f %6.2f %5.0f%%\n",
			$1, $2, $3, $6, $7, $8, $9, $10, $11, $12, $4, $5, ($5 > 0) ? $4 / $5 : 0, $13, 80 * $13
	}
	END {
		print "  Mpps: the profiled run (under perf); ceiling: one crypto-perf run just before it; ratio = Mpps / ceiling."
		print "  c.cost: the crypto'"'"'s time per packet in the gateway, in units of the ceiling'"'"'s time per op;"
		print "  ratio = crypto share / c.cost, so 0.80 needs a crypto share of 0.80 x c.cost (\"needs\")."
	}' "$PROFILE_CSV"
}
