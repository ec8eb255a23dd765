#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run every libFuzzer binary in DIR for SECONDS each.
#
#   tests/fuzz/run.sh DIR SECONDS
#
# Target DIR/fuzz_NAME starts from the seeds in tests/corpus/NAME/, and
# fuzz_cfg also from the configs of the unit tests (tests/unit/cfg/, with
# the files they include beside its input: fuzz_cfg.c) and the shipped
# examples (config/), read where they are rather than copied into
# tests/corpus/cfg/ to drift.  Seeds are copied into a scratch corpus under
# DIR so that the source tree is never written.
# Logs go to DIR/NAME.log and crash inputs to DIR/NAME-crash-*.  Leaks inside
# libconfig itself are suppressed (tests/fuzz/lsan.supp says why).  Prints one
# line per target; exits non-zero if any target crashed or failed to run.
set -u

if [ $# -ne 2 ]; then
	echo "usage: $0 DIR SECONDS" >&2
	exit 2
fi
dir=$1 secs=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d "$dir/corpus.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT

final_stat() {	# final_stat LOG NAME: value of libFuzzer's final "stat::NAME:" line
	sed -n "s/^stat::$2: *//p" "$1" | tail -1
}

failed=0 ran=0
for bin in "$dir"/fuzz_*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	work=$scratch/$name log=$dir/$name.log
	mkdir -p "$work"
	seeds=("$root/tests/corpus/$name"/*)
	if [ "$name" = cfg ]; then
		seeds+=("$root"/tests/unit/cfg/*.conf "$root"/tests/unit/cfg/communes/*.conf
			"$root"/config/*.conf "$root"/config/communes/*.conf)
	fi
	nseeds=0
	for f in "${seeds[@]}"; do
		[ -f "$f" ] || continue
		rel=${f#"$root"/}
		cp "$f" "$work/${rel//\//_}" && nseeds=$((nseeds + 1))
	done
	LSAN_OPTIONS=suppressions=$root/tests/fuzz/lsan.supp \
	VG_FUZZ_CFG_INCLUDES=$root/tests/unit/cfg \
	"$bin" "$work" -max_total_time="$secs" -max_len=2048 -timeout=10 \
	    -print_final_stats=1 -artifact_prefix="$dir/$name-" \
	    >"$log" 2>&1
	rc=$?
	ran=$((ran + 1))
	if [ $rc -eq 0 ]; then
		result=ok
	else
		result="FAILED (rc $rc, see $log)"
		failed=$((failed + 1))
	fi
	printf 'fuzz %s: %s seeds, %s execs, %s exec/s, %s units in corpus, %ss: %s\n' \
	    "$name" "$nseeds" "$(final_stat "$log" number_of_executed_units)" \
	    "$(final_stat "$log" average_exec_per_sec)" \
	    "$(ls "$work" | wc -l)" "$secs" "$result"
	# CI keeps only the console: show the report and the input there.
	if [ $rc -ne 0 ]; then
		sed -n '/ERROR/,/SUMMARY/p' "$log" | head -60 | sed 's/^/  | /'
		sed -n 's/.*Test unit written to //p' "$log" | while read -r a; do
			echo "  input $a, in base64:"
			head -c 2048 "$a" | base64 | sed 's/^/  | /'
		done
	fi
done

if [ $ran -eq 0 ]; then
	echo "fuzz: no fuzz_* binaries in $dir" >&2
	exit 2
fi
[ $failed -eq 0 ]
