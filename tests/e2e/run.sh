#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Vigie end-to-end tests: the runner.  Every tests/e2e/*.sh but this one and
# lib.sh is a scenario (its header says what it checks), run once, or once
# per engine its "# e2e-engines:" line names (ENGINE as its argument;
# E2E_ENGINES, e.g. "libsrtp", overrides those lists).
#
# usage: tests/e2e/run.sh [NAME[/ENGINE]...]   (none: every scenario)
#        make e2e [E="vlan restart"] [E=center/libsrtp] [BUILD=build/x]
#
# A scenario passes when it exits 0 and prints its summary line,
# "e2e NAME[/ENGINE]: N passed, 0 failed".  It fails when its line counts a
# failure (lib.sh counts an abort as one), and when it exits non-zero, dies
# or prints no such line: one failure more when its line does not show it.
# A scenario whose failure came with a crash
# of a third-party receiver ("e2e NAME: third-party receiver crashed", see
# protect.sh) runs once more; a second failure counts.  Each scenario's
# result, then the totals: "e2e: N passed, N failed"; exit 1 on any failure.
# BUILD (build/ by default) is where the scenarios find the binaries;
# E2E_KEEP=1 keeps every scenario's files, E2E_SECONDS sets air times.
set -uo pipefail

DIR=$(cd "$(dirname "$0")" && pwd)

# runs: each scenario run as NAME or NAME/ENGINE, in file order.
runs() {
	local f name engines e
	for f in "$DIR"/*.sh; do
		name=$(basename "$f" .sh)
		[[ $name != run && $name != lib ]] || continue
		engines=$(sed -n 's/^# e2e-engines: *//p' "$f")
		if [[ -z $engines ]]; then
			echo "$name"
		else
			for e in ${E2E_ENGINES:-$engines}; do echo "$name/$e"; done
		fi
	done
}

# run_one NAME[/ENGINE] LOG: the scenario, its output on the console and in
# LOG; sets R_PASS, R_FAIL and R_WHY (empty when it passed).
run_one() {
	local id=$1 log=$2 rc line re args=()
	[[ $id != */* ]] || args=("${id#*/}")
	"$DIR/${id%%/*}.sh" "${args[@]}" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	re="^e2e $id: ([0-9]+) passed, ([0-9]+) failed\$"
	line=$(grep -E "$re" "$log" | tail -n 1)
	R_WHY='' R_PASS=0 R_FAIL=0
	if [[ -n $line ]]; then
		R_PASS=$(sed -E "s|$re|\\1|" <<< "$line") R_FAIL=$(sed -E "s|$re|\\2|" <<< "$line")
		[[ $R_FAIL -eq 0 ]] || R_WHY="$R_FAIL failed"
		! grep -q '^  FAIL aborted' "$log" || R_WHY+=", aborted"
	else				# it died before its closing line
		R_FAIL=1 R_WHY="no summary line (aborted)"
	fi
	if [[ $rc -ne 0 && -z $R_WHY ]]; then	# a failure its line does not show
		R_FAIL=$((R_FAIL + 1)) R_WHY="exit status $rc"
	elif [[ $rc -ne 0 && -z $line ]]; then
		R_WHY="exit status $rc, $R_WHY"
	fi
}

all=$(runs)
ids=()
if [[ $# -eq 0 ]]; then
	mapfile -t ids <<< "$all"
else
	for a in "$@"; do		# NAME: each of its runs; NAME/ENGINE: that one
		m=$(awk -v a="$a" '$0 == a || index($0, a "/") == 1' <<< "$all")
		[[ -n $m ]] || { echo "e2e: no scenario '$a'; scenarios:" $all >&2; exit 2; }
		mapfile -t -O "${#ids[@]}" ids <<< "$m"
	done
fi

log=$(mktemp /tmp/vigie-e2e-run.XXXXXX)
trap 'rm -f "$log"' EXIT
pass=0 fail=0 results=() failed=()
for id in "${ids[@]}"; do
	printf '\n######## e2e %s\n' "$id"
	run_one "$id" "$log"
	if [[ -n $R_WHY ]] && grep -q "^e2e $id: third-party receiver crashed" "$log"; then
		echo "e2e: $id run repeated once (third-party receiver crash above)"
		run_one "$id" "$log"
	fi
	pass=$((pass + R_PASS)) fail=$((fail + R_FAIL))
	results+=("$(printf '%-24s %4d passed, %d failed%s' "$id" "$R_PASS" "$R_FAIL" \
		"${R_WHY:+  FAILED: $R_WHY}")")
	[[ -z $R_WHY ]] || failed+=("$id")
done

echo
printf 'e2e: %s\n' "${results[@]}"
[[ ${#failed[@]} -eq 0 ]] || echo "e2e: failed: ${failed[*]}"
echo "e2e: $pass passed, $fail failed"
[[ ${#failed[@]} -eq 0 && $fail -eq 0 ]]
