# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash disable=SC2034  # RUNNER_FAILED is bench.sh's
# The center role in `make bench` (sourced by scripts/bench.sh, which sets
# BENCH, EAL, OUT, LOGS, ENGINES, RUNS_PER_CASE, CASE_TIMEOUT, KEYS, RUNS and
# the helpers say, larger, skipped).  BENCH_CENTER=0 leaves it out;
# BENCH_CENTER_{SUITES,SIZE,STREAMS,ENGINES,PACKETS} narrow or widen it.
#
#   before:  SRTP packets built and protected by the driver (a PoP's side)
#   lcore 0: feeds them ─net_ring─▶ backbone port
#   lcore 1: the real vigie-gw worker loop, unprotect routes ─▶ net_null (VMS)
#
# Each packet can be sent once (again, it is a replay), so a case lasts as
# long as the packets built (BENCH_CENTER_PACKETS, 400,000: ~0.2 s at
# 2 Mpps) and is the best of RUNS_PER_CASE runs, taken in the rounds of the
# same suite and size protecting (run_group in bench.sh).  Zero loss and a full pool
# are part of the figure, as for protect.  Writes $OUT/center.csv:
#   engine,suite,size,streams,mpps,gbps,protect_mpps,ratio_to_protect,drops,bytes_per_stream
# where protect_mpps is the same engine, suite, size and streams protecting
# in this run (empty when that case was not measured).
CENTER=${BENCH_CENTER:-1}
CENTER_SUITES=${BENCH_CENTER_SUITES:-"AES_CM_128_HMAC_SHA1_80 AEAD_AES_128_GCM"}
CENTER_SIZE=${BENCH_CENTER_SIZE:-1200}
CENTER_PACKETS=${BENCH_CENTER_PACKETS:-400000}
# BENCH_QUICK: cryptodev at 1,000 streams only (libsrtp takes 13 s a run
# for 400,000 packets: 0.04 Mpps with Debian's NSS build).
if [[ ${BENCH_QUICK:-0} == 1 ]]; then
	CENTER_STREAMS=${BENCH_CENTER_STREAMS:-1000}
	CENTER_ENGINES=${BENCH_CENTER_ENGINES:-cryptodev}
else
	CENTER_STREAMS=${BENCH_CENTER_STREAMS:-"1000 100000"}
	CENTER_ENGINES=${BENCH_CENTER_ENGINES:-$ENGINES}
fi
CENTER_CSV=$OUT/center.csv
CENTER_RUNS=$OUT/center.tsv

# center_once ENGINE SUITE STREAMS RUN: one run; prints "MPPS DROPS MEMPOOL
# BYTES_PER_STREAM", or nothing when it failed (its log says why).
center_once() {
	local engine=$1 suite=$2 streams=$3 i=$4 rc=0 line kv
	local base=$LOGS/center-$engine-$suite-$CENTER_SIZE-$streams
	local -A r=()
	timeout --foreground "$CASE_TIMEOUT" "$BENCH" "${EAL[@]}" --file-prefix "vgb$$" -- \
		--center --engine "$engine" --suite "$suite" --size "$CENTER_SIZE" \
		--streams "$streams" --packets "$CENTER_PACKETS" --keys "$KEYS" \
		>"$base.$i.out" 2>"$base.$i.err" || rc=$?
	line=$(grep '^RESULT role=center ' "$base.$i.out" | tail -1 || true)
	for kv in ${line#RESULT }; do
		r[${kv%%=*}]=${kv#*=}
	done
	if ((rc != 0)) || [[ ${r[engine]:-} != "$engine" || ${r[suite]:-} != "$suite" ||
			${r[streams]:-} != "$streams" ]] ||
			! [[ ${r[mpps]:-} =~ ^[0-9.]+$ && ${r[drops]:-} =~ ^[0-9]+$ ]]; then
		say "  center $engine $suite $streams streams: FAILED (exit $rc): $(tail -2 "$base.$i.err" | tr '\n' ' ')— see $base.$i.err"
		return 0
	fi
	echo "${r[mpps]} ${r[drops]} ${r[mempool]:-missing} ${r[bytes_per_stream]:-}"
}

# The center cases of the suite being measured, by ENGINE/STREAMS: the best
# run, drops and pool over all runs, bytes per stream, a failed run.
declare -A CBEST=() CDROPS=() CPOOL=() CBPS=() CFAIL=()
CENTER_DONE=''		# suites recorded

center_init() { : >"$CENTER_RUNS"; }

# center_wanted SUITE SIZE: whether the center role is measured there.
center_wanted() {
	((CENTER)) && [[ $2 == "$CENTER_SIZE" && " $CENTER_SUITES " == *" $1 "* ]]
}

# center_round SUITE RUN: every center case of SUITE once.  Called in the
# protect rounds of SUITE at CENTER_SIZE, so that a center figure and the
# protect figure it is compared with are taken in the same minutes.
center_round() {
	local suite=$1 i=$2 streams engine c out mpps d p bps
	for streams in $CENTER_STREAMS; do
		for engine in $CENTER_ENGINES; do
			skipped "$engine" "$streams" && continue
			c=$engine/$streams
			[[ -z ${CFAIL[$c]:-} ]] || continue
			out=$(center_once "$engine" "$suite" "$streams" "$i")
			if [[ -z $out ]]; then
				CFAIL[$c]=1 RUNNER_FAILED=1
				continue
			fi
			read -r mpps d p bps <<<"$out"
			CDROPS[$c]=$((${CDROPS[$c]:-0} + d))
			[[ $p == ok ]] || CPOOL[$c]=$p
			CBPS[$c]=$bps
			CBEST[$c]=$(larger "$mpps" "${CBEST[$c]:-}")
			say "  center $engine $streams streams: $mpps Mpps, drops $d, mempool $p"
		done
	done
}

# center_record SUITE: its center cases' lines in $CENTER_RUNS, beside the
# same cases protecting (from $RUNS, recorded first).
center_record() {
	local suite=$1 streams engine c status protect
	for streams in $CENTER_STREAMS; do
		for engine in $CENTER_ENGINES; do
			skipped "$engine" "$streams" && continue
			c=$engine/$streams status=ok
			if [[ -n ${CFAIL[$c]:-} ]]; then
				status=FAILED
			elif ((${CDROPS[$c]:-0} > 0)) || [[ ${CPOOL[$c]:-ok} != ok ]]; then
				status=INVALID
			fi
			protect=$(awk -F'\t' -v e="$engine" -v s="$suite" -v z="$CENTER_SIZE" -v n="$streams" \
				'$1 == e && $2 == s && $3 == z && $4 == n && $11 == "ok" { print $5 }' "$RUNS")
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$suite" "$CENTER_SIZE" \
				"$streams" "${CBEST[$c]:-}" "$protect" "${CDROPS[$c]:-0}" "${CBPS[$c]:-}" \
				"$status" >>"$CENTER_RUNS"
			say "center $engine $suite ${CENTER_SIZE} B $streams streams: ${CBEST[$c]:-?} Mpps" \
				"(protecting: ${protect:-not measured}), drops ${CDROPS[$c]:-0}, mempool ${CPOOL[$c]:-ok} ($status)"
		done
	done
	CBEST=() CDROPS=() CPOOL=() CBPS=() CFAIL=()
	CENTER_DONE+=" $suite"
}

# run_center: the center suites the protect matrix did not measure at
# CENTER_SIZE (BENCH_SIZES or BENCH_SUITES without them), on their own.
run_center() {
	local suite i
	((CENTER)) || return 0
	for suite in $CENTER_SUITES; do
		[[ " $CENTER_DONE " == *" $suite "* ]] && continue
		say "center $suite ${CENTER_SIZE} B: not in the protect matrix, measured on its own"
		for ((i = 1; i <= RUNS_PER_CASE; i++)); do
			center_round "$suite" "$i"
		done
		center_record "$suite"
	done
}

write_center() {
	((CENTER)) || return 0
	echo "engine,suite,size,streams,mpps,gbps,protect_mpps,ratio_to_protect,drops,bytes_per_stream" >"$CENTER_CSV"
	awk -F'\t' -v OFS=, '$9 == "ok" || $9 == "INVALID" {
		ratio = ($6 > 0) ? sprintf("%.3f", $5 / $6) : ""
		print $1, $2, $3, $4, $5, sprintf("%.3f", $5 * $3 * 8 / 1000), $6, ratio, $7, $8 }' \
		"$CENTER_RUNS" >>"$CENTER_CSV"
	echo "Center role (unprotect: SRTP in on the backbone, plain RTP out to the VMS):"
	awk -F'\t' 'BEGIN { printf "  %-10s %-24s %5s %7s %8s %7s %8s %6s  %s\n", "engine", "suite", "bytes",
		"streams", "Mpps", "Gbit/s", "protect", "ratio", "" }
	{ printf "  %-10s %-24s %5d %7d %8s %7s %8s %6s  %s\n", $1, $2, $3, $4,
		$5 == "" ? "-" : sprintf("%.3f", $5), $5 == "" ? "-" : sprintf("%.2f", $5 * $3 * 8 / 1000),
		$6 == "" ? "-" : sprintf("%.3f", $6), ($6 > 0 && $5 != "") ? sprintf("%.3f", $5 / $6) : "-",
		$9 == "ok" ? "" : $9 " (" $7 " drops)" }' "$CENTER_RUNS"
	echo "  protect: the same case protecting in this run; ratio = unprotect / protect."
}
