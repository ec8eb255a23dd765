#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# `make bench`: SRTP protect throughput of one worker core, both engines side
# by side, each figure a ratio to the crypto ceiling of the same suite and
# size measured in the same run on the same core; then the center role and
# where the worker's time goes (docs/benchmarking.md).
#
#   scripts/bench.sh [--build DIR] [--out DIR] [--smoke] [--no-center] [--no-profile]
#
#   --build DIR   where vigie-bench is (build)
#   --out DIR     where the results go (the --build DIR/bench)
#   --smoke       every step on a tiny matrix, for make bench-smoke (no figure)
#   --no-center, --no-profile   leave the center role, the profile out
#   BENCH_QUICK=1 the reduced matrix; BENCH_ENGINES, BENCH_SUITES, BENCH_SIZES,
#                 BENCH_STREAMS narrow it; BENCH_KEYS shared|per-stream
#
# Each suite x size is measured in rounds: every protect case once, the
# center cases of that suite and size, the crypto ceiling, the cold
# ceiling; then again.  Every run is a row of OUT/runs.csv; each case, the
# best of its rounds, a row of OUT/cases.csv (scripts/bench/cases.awk),
# from which scripts/bench/report.sh writes results.csv, center.csv, the
# table, the targets and the plot.  Raw output of every run: OUT/logs/.
# Exit 0 even when a target is not met (this is a report); non-zero when a
# run failed or a file could not be written.
# shellcheck disable=SC2086  # KEY=VALUE words and lists are split on purpose
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench/lib.sh
H=scripts/bench

BUILD=build OUT='' MATRIX=full CENTER=1 PROFILE=1
[[ ${BENCH_QUICK:-0} == 1 ]] && MATRIX=quick
while (($#)); do
	case $1 in
	--build) BUILD=$2; shift ;;
	--out) OUT=$2; shift ;;
	--smoke) MATRIX=smoke ;;
	--no-center) CENTER=0 ;;
	--no-profile) PROFILE=0 ;;
	*) sed -n '8,15p' "$0" >&2; exit 2 ;;
	esac
	shift
done
OUT=${OUT:-$BUILD/bench} BENCH=$BUILD/vigie-bench LOGS=$OUT/logs
RUNS=$OUT/runs.csv CASES=$OUT/cases.csv

# The matrices.  ROUNDS: each case and ceiling is the best of as many runs
# (anything else on the core only lowers a figure).
CM=AES_CM_128_HMAC_SHA1_80 GCM=AEAD_AES_128_GCM
ENGINES="libsrtp cryptodev" SIZES="200 600 1200 1400" STREAMS="1 1000 10000 100000"
SUITES="$CM AES_CM_128_HMAC_SHA1_32 $GCM AEAD_AES_256_GCM"
ROUNDS=3 SECS=2 CEIL_OPS=1000000 PROFILE_SECS=2
CENTER_SUITES="$CM $GCM" CENTER_SIZE=1200 CENTER_STREAMS="1000 100000" CENTER_PACKETS=400000
CENTER_ENGINES=''	# the protect matrix's
case $MATRIX in
quick)	# Under two minutes: libsrtp's center takes 13 s a run (0.04 Mpps).
	SUITES="$CM $GCM" SIZES=1200 STREAMS="1000 100000"
	CENTER_STREAMS=1000 CENTER_ENGINES=cryptodev PROFILE_SECS=1 ;;
smoke)
	SUITES=$GCM SIZES=600 STREAMS=10 ROUNDS=1 SECS=0.2 CEIL_OPS=100000
	CENTER_SUITES=$GCM CENTER_SIZE=600 CENTER_STREAMS=10 CENTER_PACKETS=4000 PROFILE_SECS=0.5 ;;
esac
if [[ $MATRIX != smoke ]]; then
	ENGINES=${BENCH_ENGINES:-$ENGINES} SUITES=${BENCH_SUITES:-$SUITES}
	SIZES=${BENCH_SIZES:-$SIZES} STREAMS=${BENCH_STREAMS:-$STREAMS}
fi
CENTER_ENGINES=${CENTER_ENGINES:-$ENGINES}
# shared: the cameras use their center's key, as deployed (one cryptodev
# session per key); per-stream: a key per camera, a session per stream.
KEYS=${BENCH_KEYS:-shared}
# Debian's libsrtp2 is built on NSS, whose key set-up is quadratic in the
# number of sessions (10,000 take ~2 min, 100,000 do not finish in 5):
# libsrtp cases above this many streams are skipped (shown, not failures).
LIBSRTP_MAX=1000
# The cold ceiling cycles through as many buffers as the gateway's runs of
# the same suite and size used; the whole of its pool until one answered.
POOL_BUFFERS=16383
declare -A FAILED=()	# ROLE/ENGINE/SUITE/SIZE/STREAMS: no further runs
GROUP_BUFFERS=0

# run_case ROLE ENGINE SUITE SIZE STREAMS ROUND: one run, its row in RUNS.
run_case() {
	local role=$1 engine=$2 suite=$3 size=$4 streams=$5 round=$6 out b
	local id="role=$1 engine=$2 suite=$3 size=$4 streams=$5" case=$1/$2/$3/$4/$5
	local what="$engine $streams streams" log=$LOGS/$engine-$suite-$size-$streams.$round length=$SECS
	if [[ $engine == libsrtp ]] && ((streams > LIBSRTP_MAX)); then
		[[ $role == protect && $round == 1 ]] || return 0
		say "  $what: skipped (libsrtp above $LIBSRTP_MAX streams: Debian's NSS sets its keys up too slowly)"
		record "$RUNS" $id status=SKIPPED
		return 0
	fi
	[[ -z ${FAILED[$case]:-} ]] || return 0
	[[ $role == protect ]] || length=$CENTER_PACKETS log=$LOGS/center-${log#"$LOGS/"} what="center $what"
	out=$($H/run-case.sh "$role" "$BENCH" "$log" "$engine" "$suite" "$size" "$streams" "$length" "$KEYS")
	record "$RUNS" $id round="$round" $out
	if [[ $(get status $out) != ok ]]; then
		FAILED[$case]=1
		return 0
	fi
	say "  $what: $(get mpps $out) Mpps, drops $(get drops $out), mempool $(get mempool $out)"
	b=$(get buffers $out)
	if [[ $role == protect && $b =~ ^[0-9]+$ ]] && ((b > GROUP_BUFFERS)); then GROUP_BUFFERS=$b; fi
}

# run_cases ROLE SUITE SIZE ROUND STREAMS ENGINES: each case once.
run_cases() {
	local streams engine
	for streams in $5; do
		for engine in $6; do
			run_case "$1" "$engine" "$2" "$3" "$streams" "$4"
		done
	done
}

# run_ceilings SUITE SIZE ROUND: the crypto ceiling and the cold ceiling once.
run_ceilings() {
	local c k n=$((GROUP_BUFFERS > 0 ? GROUP_BUFFERS : POOL_BUFFERS))
	c=$($H/ceiling.sh crypto-perf "$1" "$2" "$CEIL_OPS" "$LOGS/ceiling-$1-$2.$3.log")
	k=$($H/ceiling.sh cold "$1" "$2" "$n" "$LOGS/cold-$1-$2.$3.log" "$BENCH")
	record "$RUNS" role=ceiling suite="$1" size="$2" round="$3" $c
	record "$RUNS" role=cold suite="$1" size="$2" round="$3" buffers="$n" $k
	c=$(get mpps $c) k=$(get mpps $k)
	say "  ceiling ${c:-FAILED} MOps, cold ceiling ${k:-FAILED} MOps over $n buffers"
}

# run_group SUITE SIZE PROTECT CENTER: the rounds of one suite and size
# (its protect cases and ceilings when PROTECT is 1, its center cases when
# CENTER is 1), so that the machine's drift over minutes reaches all of
# them alike and a ratio divides figures taken side by side; then its cases.
run_group() {
	local round line
	GROUP_BUFFERS=0
	for ((round = 1; round <= ROUNDS; round++)); do
		say "$1 $2 B, round $round/$ROUNDS"
		(($3)) && run_cases protect "$1" "$2" "$round" "$STREAMS" "$ENGINES"
		(($4)) && run_cases center "$1" "$2" "$round" "$CENTER_STREAMS" "$CENTER_ENGINES"
		(($3)) && run_ceilings "$1" "$2" "$round"
	done
	csv -v suite="$1" -v size="$2" -v logs="$LOGS" $H/cases.awk "$RUNS" |
		while IFS= read -r line; do
			record "$CASES" $line
		done
}

# run_matrix: every suite x size; then the center suites the matrix did not
# measure at CENTER_SIZE, on their own.
run_matrix() {
	local suite size n=0 groups=$(($(words "$SUITES") * $(words "$SIZES"))) center done=' '
	say "$(($(words "$STREAMS") * $(words "$ENGINES"))) cases of ${SECS} s and 2 ceilings for each of $groups suite × size, best of $ROUNDS rounds"
	for suite in $SUITES; do
		for size in $SIZES; do
			n=$((n + 1))
			say "[$n/$groups] $suite ${size} B"
			center=0
			if ((CENTER)) && [[ $size == "$CENTER_SIZE" && " $CENTER_SUITES " == *" $suite "* ]]; then
				center=1 done+="$suite "
			fi
			run_group "$suite" "$size" 1 "$center"
		done
	done
	((CENTER)) || return 0
	for suite in $CENTER_SUITES; do
		[[ $done == *" $suite "* ]] && continue
		say "center $suite ${CENTER_SIZE} B: not in the protect matrix, measured on its own"
		run_group "$suite" "$CENTER_SIZE" 0 1
	done
}

# run_profiles: the cases the 0.80 targets name (cryptodev; the measured
# size and stream count nearest to 1,200 B and 1,000 streams), after the matrix.
run_profiles() {
	local suites='' s
	((PROFILE)) && [[ " $ENGINES " == *" cryptodev "* ]] || return 0
	for s in $CM $GCM; do
		[[ " $SUITES " == *" $s "* ]] && suites+=" $s"
	done
	$H/profile.sh "$BENCH" "$OUT" "$(pick 1200 "$SIZES")" "$(pick 1000 "$STREAMS")" \
		"$PROFILE_SECS" "$KEYS" "$CEIL_OPS" $suites
}

main() {
	local failed=0
	[[ $(id -u) -eq 0 ]] || die "must run as root (hugepages)"
	[[ -x $BENCH ]] || die "$BENCH not found: build it with 'make bench-bin'"
	command -v dpdk-test-crypto-perf >/dev/null ||
		die "dpdk-test-crypto-perf not found (Debian package dpdk; run 'make setup')"
	command -v gnuplot >/dev/null || die "gnuplot not found (Debian package gnuplot-nox; run 'make setup')"
	[[ $KEYS == shared || $KEYS == per-stream ]] || die "BENCH_KEYS is shared or per-stream"
	mkdir -p "$OUT"
	rm -rf "$LOGS" "$OUT/profile.csv" "$OUT/center.csv"
	mkdir -p "$LOGS"
	echo "role,engine,suite,size,streams,round,status,mpps,drops,mempool,bytes_per_stream,buffers,seconds" >"$RUNS"
	echo "role,engine,suite,size,streams,status,mpps,gbps,ceiling_mpps,ratio_to_ceiling,cold_ceiling_mpps,ratio_to_cold_ceiling,protect_mpps,ratio_to_protect,drops,mempool,bytes_per_stream" >"$CASES"
	$H/machine.sh "engines [$ENGINES] suites [$SUITES] sizes [$SIZES] streams [$STREAMS], $SECS s per case, best of $ROUNDS" \
		"$KEYS" | tee "$OUT/machine.txt"
	echo
	run_matrix
	run_profiles || failed=1
	echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
	csv 'col("status") == "FAILED" { f = 1 } END { exit !f }' "$RUNS" && failed=1
	$H/report.sh "$OUT" "$CENTER" "$ENGINES" "$SUITES" "$SIZES" "$STREAMS" || failed=1
	say "done in $((SECONDS / 60)) min $((SECONDS % 60)) s"
	((failed == 0)) || die "some runs failed: the figures above are incomplete"
}

main "$@"
