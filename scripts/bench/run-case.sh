#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# run-case.sh ROLE BENCH LOG ENGINE SUITE SIZE STREAMS LENGTH KEYS
#
# One run of one case of the driver BENCH (vigie-bench), the gateway's own
# worker loop on lcore 1: ROLE protect (the cameras' side, LENGTH measured
# seconds) or center (unprotect, LENGTH packets built before the run).
# KEYS: shared or per-stream.  The driver's output goes to LOG.out and
# LOG.err.  Prints the figures as words,
#   status=ok mpps= drops= mempool= bytes_per_stream= buffers= seconds=
# or status=FAILED seconds= (and why, on stderr) when the driver did not
# answer for this case with every figure.  Exit 0 either way.
set -euo pipefail
# shellcheck source=scripts/bench/lib.sh
. "$(dirname "$0")/lib.sh"
[[ $# -eq 9 ]] || { sed -n '3,12p' "$0" >&2; exit 2; }
role=$1 bench=$2 log=$3 engine=$4 suite=$5 size=$6 streams=$7 length=$8 keys=$9
# A run that has not answered after this long has failed: the set-up of
# 100,000 libsrtp sessions alone takes minutes with Debian's libsrtp (NSS).
TIMEOUT=600

case $role in
protect) pre=() post=(--seconds "$length") ;;
center) pre=(--center) post=(--packets "$length") ;;
*) die "run-case: ROLE is protect or center" ;;
esac
rc=0 t0=$SECONDS
timeout --foreground "$TIMEOUT" "$bench" "${BENCH_EAL[@]}" --file-prefix "vgb$$" -- "${pre[@]}" \
	--engine "$engine" --suite "$suite" --size "$size" --streams "$streams" "${post[@]}" \
	--keys "$keys" >"$log.out" 2>"$log.err" || rc=$?
secs=$((SECONDS - t0))
declare -A r=()
line=$(grep '^RESULT ' "$log.out" | tail -1 || true)
for kv in ${line#RESULT }; do r[${kv%%=*}]=${kv#*=}; done
# The driver must answer for the case asked (the center's line says
# role=center), with every figure present.
if ((rc != 0)) || [[ ${r[role]:-protect} != "$role" || ${r[engine]:-} != "$engine" ||
		${r[suite]:-} != "$suite" || ${r[size]:-} != "$size" || ${r[streams]:-} != "$streams" ]] ||
		! [[ ${r[mpps]:-} =~ ^[0-9.]+$ && ${r[drops]:-} =~ ^[0-9]+$ ]]; then
	if ((rc == 124)); then
		why="no answer after $TIMEOUT s"
	else
		why="exit $rc: $(tail -2 "$log.err" | tr '\n' ' ')"
	fi
	say "  $role $engine $suite $size B $streams streams: FAILED ($why) — see $log.err"
	echo "status=FAILED seconds=$secs"
	exit 0
fi
echo "status=ok mpps=${r[mpps]} drops=${r[drops]} mempool=${r[mempool]:-missing}" \
	"bytes_per_stream=${r[bytes_per_stream]:-} buffers=${r[buffers]:-} seconds=$secs"
