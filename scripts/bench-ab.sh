#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A/B comparison of two builds of the benchmark driver, in alternating runs
# (A, B, A, B, ...) so that the VM's slow and fast phases fall on both: the
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
# runs in AB_OUT (build/bench-ab/runs.csv).
set -euo pipefail

[[ $# -ge 2 ]] || { sed -n '3,15p' "$0" >&2; exit 2; }
A=$1 B=$2 PAIRS=${3:-5}
SUITES=${AB_SUITES:-AES_CM_128_HMAC_SHA1_80 AEAD_AES_128_GCM}
STREAMS=${AB_STREAMS:-1000 100000}
SIZE=${AB_SIZE:-1200} SECS=${AB_SECONDS:-2}
OUT=${AB_OUT:-build/bench-ab}
EAL=(-l 0,1 --in-memory --no-pci --log-level=3)

for b in "$A" "$B"; do [[ -x $b ]] || { echo "bench-ab: $b: not executable" >&2; exit 2; }; done
mkdir -p "$OUT"
echo "build,suite,streams,run,mpps,drops" > "$OUT/runs.csv"

# run BIN SUITE STREAMS: prints "mpps drops" of one run, or fails.
run() {
	local line
	line=$(timeout 300 "$1" "${EAL[@]}" --file-prefix "vgab$$" -- --engine cryptodev \
		--suite "$2" --size "$SIZE" --streams "$3" --seconds "$SECS" --keys shared \
		2>/dev/null | grep '^RESULT ') || return 1
	sed -E 's/.* mpps=([0-9.]+) .* drops=([0-9]+) .*/\1 \2/' <<<"$line"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-26s %8s %9s %9s %7s\n' suite streams "A Mpps" "B Mpps" "B/A"
for suite in $SUITES; do
	for streams in $STREAMS; do
		for ((i = 1; i <= PAIRS; i++)); do
			for side in A B; do
				bin=$A; [[ $side == B ]] && bin=$B
				r=$(run "$bin" "$suite" "$streams") || { echo "bench-ab: $side $suite $streams failed" >&2; exit 1; }
				echo "$side,$suite,$streams,$i,${r% *},${r#* }" >> "$OUT/runs.csv"
				echo "bench-ab: $side $suite $streams run $i: ${r% *} Mpps, ${r#* } drops" >&2
			done
		done
		a=$(awk -F, -v s="$suite" -v n="$streams" '$1 == "A" && $2 == s && $3 == n { print $5 }' "$OUT/runs.csv" | median)
		b=$(awk -F, -v s="$suite" -v n="$streams" '$1 == "B" && $2 == s && $3 == n { print $5 }' "$OUT/runs.csv" | median)
		printf '%-26s %8s %9.3f %9.3f %7.3f\n' "$suite" "$streams" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')"
	done
done
# Every run must have lost nothing: a faster B that drops is no figure.
if awk -F, 'NR > 1 && $6 != 0 { bad = 1 } END { exit !bad }' "$OUT/runs.csv"; then
	echo "bench-ab: runs with drops (see $OUT/runs.csv)" >&2
	exit 1
fi
