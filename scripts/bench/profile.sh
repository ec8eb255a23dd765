#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# profile.sh BENCH OUT SIZE STREAMS SECONDS KEYS OPS [SUITE...]
#
# Where lcore 1's time goes, cryptodev engine, for each SUITE at SIZE bytes
# and STREAMS streams: one dpdk-test-crypto-perf run of OPS operations (the
# ceiling, in the same minute: the VM drifts over minutes), then one run of
# the driver BENCH with KEYS and `perf record -e cpu-clock -C 1` over
# SECONDS inside its measured seconds (the driver says "MEASURING" as they
# start).  cpu-clock is a software event: it works in a VM without a PMU.
# The samples are grouped by where they fall:
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
# Writes OUT/profile.csv, one row per case (the groups in per cent), and
# OUT/profile-SUITE.txt, the symbols of each (perf report); raw output in
# OUT/logs/.  Without perf, or where perf may not sample lcore 1, says so
# and writes nothing.  Exit 1 when a case failed.
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=scripts/bench/lib.sh
. "$here/lib.sh"
[[ $# -ge 7 ]] || { sed -n '3,40p' "$0" >&2; exit 2; }
bench=$1 out=$2 size=$3 streams=$4 seconds=$5 keys=$6 ops=$7
shift 7
logs=$out/logs csv=$out/profile.csv rc=0

# group(DSO, SYMBOL): the group of one line of perf report.
# shellcheck disable=SC2016	# awk's $ fields
groups='
function group(dso, sym) {
	if (dso ~ /^libIPSec_MB/) return "crypto"
	if (dso ~ /^librte_crypto|^librte_cryptodev/) return "driver"
	if (dso ~ /^librte_(net_|mempool|ring|mbuf|ethdev)/) return "ports"
	if (dso !~ /^vigie-/) return "other"
	if (sym ~ /^(sum_|vg_csum_)/) return "checksum"
	# The cryptodev engine (gateway/engine/cryptodev/): its exported
	# prefix and the static functions of its per-packet path.
	if (sym ~ /^(vg_cdev_|vg_srtp_iv_|cdev_)/ || sym ~ /^(run_enqueue|run_cpu_gcm|run_gcm|run_openssl_gcm|run_queue|run_of|fill_cm|fill_gcm|fill_stream|finish_enqueued|finish_queued|gcm_done|gcm_verdict|protect_rtcp|unprotect_rtcp|valid|screen|judge|settle|returned|prefetch_burst|header_len|pending_before|openssl_gcm)$/)
		return "engine"
	return "gateway"
}
{
	dso = $2; sub(/^ +/, "", dso); sub(/ +$/, "", dso)
	sym = $3; sub(/^ *\[[^]]*\] */, "", sym)
	p[group(dso, sym)] += $1
}
END {
	cost = (mpps > 0) ? sprintf("%.2f", p["crypto"] / 100 * ceil / mpps) : 0
	printf "crypto=%.1f driver=%.1f engine=%.1f checksum=%.1f gateway=%.1f ports=%.1f other=%.1f crypto_cost=%s\n",
		p["crypto"], p["driver"], p["engine"], p["checksum"], p["gateway"], p["ports"], p["other"], cost
}'

failed() { say "profile $1: FAILED ($2)"; rc=1; }

# profile_case SUITE: its row in profile.csv, or says why not.
profile_case() {
	local suite=$1 ceil pid i mpps secs split
	local base=$logs/profile-$1-$size-$streams
	# shellcheck disable=SC2046	# KEY=VALUE words
	ceil=$(get mpps $("$here/ceiling.sh" crypto-perf "$suite" "$size" "$ops" "$base.ceiling.log"))
	[[ -n $ceil ]] || { failed "$suite" "its ceiling run: see $base.ceiling.log"; return 0; }
	# The run outlasts the sampling: perf never sees the drain or teardown.
	secs=$(awk -v s="$seconds" 'BEGIN { print s + 1 }')
	"$bench" "${BENCH_EAL[@]}" --file-prefix "vgp$$" -- --engine cryptodev --suite "$suite" \
		--size "$size" --streams "$streams" --seconds "$secs" --keys "$keys" \
		>"$base.out" 2>"$base.err" &
	pid=$!
	# EAL start-up and stream set-up, then the warm-up: wait for the line.
	for ((i = 0; i < 600; i++)); do
		grep -q '^MEASURING ' "$base.out" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q '^MEASURING ' "$base.out" 2>/dev/null ||
			! perf record -q -e cpu-clock -C 1 -o "$base.perf.data" -- sleep "$seconds" \
			>"$base.perf.log" 2>&1; then
		wait "$pid" || true
		failed "$suite" "see $base.err and $base.perf.log"
		return 0
	fi
	wait "$pid" || true
	mpps=$(sed -n 's/^RESULT .* mpps=\([0-9.]*\) .*/\1/p' "$base.out")
	[[ -n $mpps ]] || { failed "$suite" "the run gave no figure: see $base.err"; return 0; }
	perf report -i "$base.perf.data" --no-children --sort dso,sym --stdio -q -t '|' \
		>"$base.report" 2>"$base.perf.log" || { failed "$suite" "perf report: see $base.perf.log"; return 0; }
	{
		echo "# perf record -e cpu-clock -C 1, ${seconds} s inside vigie-bench --engine cryptodev --suite $suite --size $size --streams $streams ($mpps Mpps)"
		echo "# share of lcore 1's samples | object | symbol (libIPSec_MB is stripped: its symbol names are approximate)"
		awk -F'|' '$1 + 0 >= 0.2' "$base.report"
	} >"$out/profile-$suite.txt"
	split=$(awk -F'|' -v mpps="$mpps" -v ceil="$ceil" "$groups" "$base.report")
	# shellcheck disable=SC2086	# split is KEY=VALUE words
	record "$csv" suite="$suite" size="$size" streams="$streams" mpps="$mpps" ceiling_mpps="$ceil" $split
	say "profile $suite ${size} B $streams streams: $(tail -1 "$csv")"
}

if ! command -v perf >/dev/null; then
	say "profile: skipped, perf not found (Debian package linux-perf; run 'make setup')"
	exit 0
fi
# A container may forbid perf_event_open: that is the machine's, not a
# failed run.
if ! perf record -q -e cpu-clock -C 1 -o "$logs/perf-probe.data" -- true >"$logs/perf-probe.log" 2>&1; then
	say "profile: skipped, perf cannot sample lcore 1 here: $(head -1 "$logs/perf-probe.log")"
	exit 0
fi
echo "suite,size,streams,mpps,ceiling_mpps,crypto,driver,engine,checksum,gateway,ports,other,crypto_cost" >"$csv"
for suite; do
	profile_case "$suite"
done
exit "$rc"
