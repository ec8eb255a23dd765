#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A/B comparison of two builds of the benchmark driver, in alternating runs
# (A, B, B, A, A, B, ...) so that the VM's slow and fast phases, and whatever
# a run leaves behind for the next one, fall on both alike: the
# only way a before/after figure means anything on a shared machine
# (docs/benchmarking.md).  Medians per case, and B/A.
#
#   scripts/bench-ab.sh A_BENCH B_BENCH [PAIRS]
#
# A_BENCH, B_BENCH: two vigie-bench binaries (e.g. one built from the
# previous commit in a git worktree).  PAIRS: alternating pairs per case
# (5).  Cases: AB_SUITES (both target suites) x AB_STREAMS ("1000 100000"),
# AB_SIZE bytes (1200), AB_SECONDS measured per run (2), engine cryptodev,
# keys shared.  Output: one line per run on stderr, the table on stdout,
# runs in AB_OUT (build/bench-ab/runs.csv), the driver's output in
# AB_OUT/logs/.  Fails on a failed run, and at the end when a run dropped
# a packet or leaked an mbuf (a faster B that drops is no figure).
# shellcheck disable=SC2086  # KEY=VALUE words are split on purpose
set -euo pipefail
# shellcheck source=scripts/bench/lib.sh
. "$(dirname "$0")/bench/lib.sh"

[[ $# -ge 2 ]] || { sed -n '3,17p' "$0" >&2; exit 2; }
A=$1 B=$2 PAIRS=${3:-5}
SUITES=${AB_SUITES:-AES_CM_128_HMAC_SHA1_80 AEAD_AES_128_GCM}
STREAMS=${AB_STREAMS:-1000 100000}
SIZE=${AB_SIZE:-1200} SECS=${AB_SECONDS:-2}
OUT=${AB_OUT:-build/bench-ab}
RUNS=$OUT/runs.csv

for b in "$A" "$B"; do [[ -x $b ]] || { echo "bench-ab: $b: not executable" >&2; exit 2; }; done
mkdir -p "$OUT/logs"
echo "build,suite,streams,run,mpps,drops" >"$RUNS"
leak=0

# median SIDE SUITE STREAMS: the median Mpps of those runs.
median() {
	csv -v b="$1" -v s="$2" -v n="$3" 'col("build") == b && col("suite") == s && col("streams") == n {
		print col("mpps") }' "$RUNS" |
		sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

printf '%-26s %8s %9s %9s %7s\n' suite streams "A Mpps" "B Mpps" "B/A"
for suite in $SUITES; do
	for streams in $STREAMS; do
		for ((i = 1; i <= PAIRS; i++)); do
			# ABBA order: the second run of a pair measured ~9 % slower
			# than the first at 100,000 GCM streams with one binary as
			# both A and B, so each side goes first in half the pairs.
			order="A B"
			((i % 2 == 0)) && order="B A"
			for side in $order; do
				bin=$A
				[[ $side == B ]] && bin=$B
				r=$("$BENCH_DIR/run-case.sh" protect "$bin" "$OUT/logs/$side-$suite-$streams.$i" \
					cryptodev "$suite" "$SIZE" "$streams" "$SECS" shared)
				[[ $(get status $r) == ok ]] || { echo "bench-ab: $side $suite $streams failed" >&2; exit 1; }
				[[ $(get mempool $r) == ok ]] || leak=1
				record "$RUNS" build=$side suite="$suite" streams="$streams" run="$i" $r
				echo "bench-ab: $side $suite $streams run $i: $(get mpps $r) Mpps, $(get drops $r) drops" >&2
			done
		done
		awk -v s="$suite" -v n="$streams" -v a="$(median A "$suite" "$streams")" -v b="$(median B "$suite" "$streams")" \
			'BEGIN { printf "%-26s %8s %9.3f %9.3f %7.3f\n", s, n, a, b, b / a }'
	done
done
if csv 'col("drops") != 0 { bad = 1 } END { exit !bad }' "$RUNS"; then
	echo "bench-ab: runs with drops (see $RUNS)" >&2
	exit 1
fi
((leak == 0)) || { echo "bench-ab: runs that leaked mbufs (see $OUT/logs/)" >&2; exit 1; }
