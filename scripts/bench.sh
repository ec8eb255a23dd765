#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# `make bench`: SRTP protect throughput of one worker core, both engines side
# by side, each figure stated as a ratio to the crypto ceiling of the same
# suite and size measured in the same run on the same core.
#
#   lcore 0: generator (camera RTP, sequence numbers advancing) ─net_ring─┐
#   lcore 1: the real vigie-gw worker loop, engine libsrtp|cryptodev ◀───┘ ─▶ net_null
#   lcore 1: dpdk-test-crypto-perf, same suite/size/burst (the ceiling)
#   lcore 1: vigie-bench --raw, the same crypto over as many buffers as the
#            gateway's runs went through (the cold ceiling: crypto-perf
#            reuses a few hot buffers, a gateway encrypts packets that just
#            arrived)
#
# Matrix: suites × RTP sizes × stream counts × engines (full by default;
# BENCH_QUICK=1 is a reduced one).  Any axis can be narrowed with
# BENCH_ENGINES, BENCH_SUITES, BENCH_SIZES, BENCH_STREAMS; docs/benchmarking.md
# lists the other knobs.
#
# Writes build/bench/results.csv (one row per measured case),
# build/bench/throughput.png, build/bench/machine.txt, the worker's profile
# for the two 0.80 targets' cases (profile.csv, profile-SUITE.txt;
# bench-profile.sh) and the raw output of every run under build/bench/logs/;
# prints the machine, the table, the targets and the profile.  A case with
# drops or a leaked mbuf is INVALID (zero loss is part of the figure).
# Exit 0 even when a target is not met (this is a report);
# non-zero when a run could not be made or a file not written.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${BENCH_OUT:-build/bench}
BENCH=${VIGIE_BENCH:-build/vigie-bench}
PERF=${CRYPTO_PERF:-dpdk-test-crypto-perf}
SECS=${BENCH_SECONDS:-2}			# measured seconds per case
# A case that has not answered after this long is counted as failed: setup
# of 100,000 libsrtp sessions alone takes minutes with Debian's libsrtp (NSS).
CASE_TIMEOUT=${BENCH_TIMEOUT:-600}
# libsrtp cases above this many streams are skipped (shown, not failures).
# Debian's libsrtp2 is built on NSS, whose key set-up is quadratic in the
# number of sessions (10,000 take ~2 min, 100,000 do not finish in 5): by
# default libsrtp is measured up to 1,000 streams (0 = no limit).
LIBSRTP_MAX=${BENCH_LIBSRTP_MAX_STREAMS:-1000}
# The ceiling is the best of a few runs: anything else running on the core
# can only lower it, and the ratio must not flatter the engine.
CEIL_RUNS=${BENCH_CEILING_RUNS:-3}
CEIL_OPS=${BENCH_CEILING_OPS:-1000000}	# per run: 0.2 to 2 s on one core
# Each case is the best of as many runs, for the same reason: the figures
# of this shared VM vary by 15-20 % from run to run, and a single engine run
# against a best-of-3 ceiling would understate every ratio.
RUNS_PER_CASE=${BENCH_RUNS:-3}
BURST=32				# the worker's burst, and the ceiling's
CEIL_DEV_CM=${BENCH_CEILING_DEV_CM:-crypto_aesni_mb}
CEIL_DEV_GCM=${BENCH_CEILING_DEV_GCM:-crypto_aesni_gcm}
# The cold ceiling cycles through as many buffers as the gateway's runs of
# the same suite and size used (their RESULT buffers=); this many until one
# has answered: the whole of the gateway's pool (vigie-bench --mbufs).
POOL_BUFFERS=16383
# shared: the cameras use their center's key, as deployed (one cryptodev
# session per key); per-stream: a key per camera, a session per stream.
KEYS=${BENCH_KEYS:-shared}
[[ $KEYS == shared || $KEYS == per-stream ]] || { echo "bench: BENCH_KEYS is shared or per-stream" >&2; exit 2; }
# Both programs get the same two lcores: lcore 1 is the one measured.
EAL=(-l '0,1' --in-memory --no-pci --log-level=3)

ALL_SUITES="AES_CM_128_HMAC_SHA1_80 AES_CM_128_HMAC_SHA1_32 AEAD_AES_128_GCM AEAD_AES_256_GCM"
if [[ ${BENCH_QUICK:-0} == 1 ]]; then
	ENGINES=${BENCH_ENGINES:-"libsrtp cryptodev"}
	SUITES=${BENCH_SUITES:-"AES_CM_128_HMAC_SHA1_80 AEAD_AES_128_GCM"}
	SIZES=${BENCH_SIZES:-1200}
	STREAMS=${BENCH_STREAMS:-"1000 100000"}
else
	ENGINES=${BENCH_ENGINES:-"libsrtp cryptodev"}
	SUITES=${BENCH_SUITES:-$ALL_SUITES}
	SIZES=${BENCH_SIZES:-"200 600 1200 1400"}
	STREAMS=${BENCH_STREAMS:-"1 1000 10000 100000"}
fi

RUNS=$OUT/runs.tsv	# every case, with its status; results.csv is derived from it
CSV=$OUT/results.csv
PNG=$OUT/throughput.png
LOGS=$OUT/logs
RUNNER_FAILED=0

say() { printf 'bench: %s\n' "$*" >&2; }
# shellcheck source=scripts/bench-center.sh
. "$(dirname "$0")/bench-center.sh"
# shellcheck source=scripts/bench-profile.sh
. "$(dirname "$0")/bench-profile.sh"
die() { say "$*"; exit 1; }
# words LIST: how many words LIST has.
words() { local -a w; read -ra w <<<"$1"; echo "${#w[@]}"; }

# ---------------------------------------------------------------- machine --

has_flag() { grep -qw "$1" /proc/cpuinfo && echo yes || echo no; }

# machine_info: what the figures depend on, so that they can be compared.
machine_info() {
	local model hyp dpdk srtp ipsecmb rev
	model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
	hyp=$(lscpu | sed -n 's/^Hypervisor vendor: *//p' | head -1)
	dpdk=$(pkg-config --modversion libdpdk 2>/dev/null || echo unknown)
	srtp=$(pkg-config --modversion libsrtp2 2>/dev/null || echo unknown)
	ipsecmb=$(dpkg-query -W -f='${Version}' libipsec-mb1 2>/dev/null || echo unknown)
	rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
	git diff --quiet HEAD 2>/dev/null || rev+=" (with local changes)"
	cat <<-EOF
	date:        $(date -u '+%Y-%m-%d %H:%M UTC')
	cpu:         $model${hyp:+ ($hyp guest)}
	cpus:        nproc $(nproc); worker on lcore 1, generator on lcore 0
	cpu flags:   avx512f=$(has_flag avx512f) vaes=$(has_flag vaes) sha_ni=$(has_flag sha_ni) aes=$(has_flag aes)
	kernel:      $(uname -r)
	dpdk:        $dpdk (intel-ipsec-mb $ipsecmb)
	libsrtp:     $srtp
	vigie:       $rev
	load:        $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at start; anything else on lcore 1 lowers the figures
	matrix:      engines [$ENGINES] suites [$SUITES] sizes [$SIZES] streams [$STREAMS], $SECS s per case, best of $RUNS_PER_CASE
	keys:        $KEYS (BENCH_KEYS)
	EOF
}

# ---------------------------------------------------------------- ceiling --

# perf_args SUITE SIZE: dpdk-test-crypto-perf options for the crypto of SUITE
# on SIZE-byte buffers, as the cryptodev engine asks for it.
perf_args() {
	local suite=$1 size=$2
	case $suite in
	AES_CM_128_HMAC_SHA1_80|AES_CM_128_HMAC_SHA1_32)
		local tag=10
		[[ $suite == *_32 ]] && tag=4
		echo "--vdev $CEIL_DEV_CM -- --devtype $CEIL_DEV_CM --optype cipher-then-auth" \
			"--cipher-algo aes-ctr --cipher-op encrypt --cipher-key-sz 16 --cipher-iv-sz 16" \
			"--auth-algo sha1-hmac --auth-op generate --auth-key-sz 20 --digest-sz $tag" ;;
	AEAD_AES_128_GCM|AEAD_AES_256_GCM)
		local key=16
		[[ $suite == *256* ]] && key=32
		echo "--vdev $CEIL_DEV_GCM -- --devtype $CEIL_DEV_GCM --optype aead" \
			"--aead-algo aes-gcm --aead-op encrypt --aead-key-sz $key --aead-iv-sz 12" \
			"--aead-aad-sz 12 --digest-sz 16" ;;
	*) return 1 ;;
	esac
	echo "--ptest throughput --burst-sz $BURST --buffer-sz $size --total-ops $CEIL_OPS --silent"
}

# ceiling_once SUITE SIZE LOG: one dpdk-test-crypto-perf run on lcore 1;
# prints its MOps, or nothing when it failed (LOG says why).
ceiling_once() {
	local suite=$1 size=$2 log=$3 args
	args=$(perf_args "$suite" "$size") || { echo "unknown suite $suite" >"$log"; return 0; }
	# shellcheck disable=SC2086	# args is a list of options
	timeout --foreground 300 "$PERF" "${EAL[@]}" --file-prefix "vgc$$" $args >"$log" 2>&1 || return 0
	# The table is "lcore id  Buf Size ... Enqueued Dequeued ... MOps Gbps
	# Cycles/Buf" then one row per lcore; a short count means ops were lost.
	awk -v ops="$CEIL_OPS" '
		/MOps/ && /Cycles\/Buf/ { hdr = 1; next }
		hdr && NF == 10 && $1 == 1 && $4 == ops && $5 == ops { print $8; exit }' "$log"
}

# larger A B: the larger of two figures (B may be empty).
larger() { awk -v a="$1" -v b="${2:-0}" 'BEGIN { print (a + 0 > b + 0) ? a : b }'; }

# cold_once SUITE SIZE LOG BUFFERS: one raw-loop run on lcore 1 over BUFFERS
# buffers; prints its MOps, or nothing when it failed (LOG says why).
cold_once() {
	local suite=$1 size=$2 log=$3 buffers=$4 dev=$CEIL_DEV_CM
	[[ $suite == AEAD_* ]] && dev=$CEIL_DEV_GCM
	timeout --foreground 300 "$BENCH" "${EAL[@]}" --file-prefix "vgr$$" -- --raw "$dev" \
		--suite "$suite" --size "$size" --buffers "$buffers" --seconds 1 >"$log" 2>&1 || return 0
	sed -n 's/^RESULT mode=raw .* mops=\([0-9.]*\) .*/\1/p' "$log" | tail -1
}

# ---------------------------------------------------------------- cases --

# Per case (key ENGINE/STREAMS within the suite and size being measured):
# best Mpps, drops and mempool verdict over its runs, bytes per stream,
# seconds spent, and FAILED once a run failed.
declare -A BEST DROPS POOL BPS SPENT FAIL

# run_once ENGINE SUITE SIZE STREAMS I: run I of one case; folds its figures
# into the arrays above, or marks the case FAILED (no further runs).
run_once() {
	local engine=$1 suite=$2 size=$3 streams=$4 i=$5 c=$1/$4
	local base=$LOGS/$engine-$suite-$size-$streams rc=0 kv k v t0=$SECONDS line
	local -A r=()
	timeout --foreground "$CASE_TIMEOUT" "$BENCH" "${EAL[@]}" --file-prefix "vgb$$" -- \
		--engine "$engine" --suite "$suite" --size "$size" --streams "$streams" \
		--seconds "$SECS" --keys "$KEYS" >"$base.$i.out" 2>"$base.$i.err" || rc=$?
	SPENT[$c]=$((${SPENT[$c]:-0} + SECONDS - t0))
	line=$(grep '^RESULT ' "$base.$i.out" | tail -1 || true)
	for kv in ${line#RESULT }; do
		k=${kv%%=*} v=${kv#*=}
		r[$k]=$v
	done
	# The driver must answer for the case asked, with every figure present.
	if ((rc != 0)) || [[ ${r[engine]:-} != "$engine" || ${r[suite]:-} != "$suite" ||
			${r[size]:-} != "$size" || ${r[streams]:-} != "$streams" ]] ||
			! [[ ${r[mpps]:-} =~ ^[0-9.]+$ && ${r[drops]:-} =~ ^[0-9]+$ ]]; then
		if ((rc == 124)); then
			say "  FAILED: no answer after $CASE_TIMEOUT s (BENCH_TIMEOUT) — see $base.$i.err"
		else
			say "  FAILED (exit $rc): $(tail -2 "$base.$i.err" | tr '\n' ' ')— see $base.$i.err"
		fi
		RUNNER_FAILED=1
		FAIL[$c]=1
		return 0
	fi
	# Zero loss is part of the figure: a drop or a leak in any run makes
	# the case INVALID, whichever run is the best.
	DROPS[$c]=$((${DROPS[$c]:-0} + r[drops]))
	[[ ${r[mempool]:-} == ok ]] || POOL[$c]=${r[mempool]:-missing}
	BPS[$c]=${r[bytes_per_stream]:-}
	[[ ${r[buffers]:-} =~ ^[0-9]+$ ]] && ((r[buffers] > GROUP_BUFFERS)) && GROUP_BUFFERS=${r[buffers]}
	BEST[$c]=$(larger "${r[mpps]}" "${BEST[$c]:-}")
	say "  $engine $streams streams: ${r[mpps]} Mpps, drops ${r[drops]}, mempool ${r[mempool]:-missing}"
}

# record_case ENGINE SUITE SIZE STREAMS CEILING COLD: the case's line in
# $RUNS, from the best of its runs; says how it went.
record_case() {
	local engine=$1 suite=$2 size=$3 streams=$4 ceil=$5 cold=$6 c=$1/$4
	if [[ -n ${FAIL[$c]:-} ]]; then
		printf '%s\t%s\t%s\t%s\t\t\t%s\t\t\t\tFAILED\t\t%s\t\n' "$engine" "$suite" "$size" \
			"$streams" "$ceil" "$cold" >>"$RUNS"
		say "$engine $suite ${size} B $streams streams: FAILED"
		return 0
	fi
	local status=ok mempool=${POOL[$c]:-ok} drops=${DROPS[$c]:-0}
	((drops == 0)) || status="INVALID"
	[[ $mempool == ok ]] || status="INVALID"
	awk -v e="$engine" -v su="$suite" -v sz="$size" -v n="$streams" -v m="${BEST[$c]}" \
		-v c="$ceil" -v d="$drops" -v b="${BPS[$c]:-}" -v st="$status" \
		-v mp="$mempool" -v t="${SPENT[$c]:-0}" -v cc="$cold" 'BEGIN {
		ratio = (c > 0) ? sprintf("%.3f", m / c) : ""
		rcold = (cc > 0) ? sprintf("%.3f", m / cc) : ""
		printf "%s\t%s\t%d\t%d\t%.4f\t%.3f\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", e, su, sz, n, m,
			m * sz * 8 / 1000, c, ratio, d, b, st, mp, cc, rcold
		printf "bench: %s %s %d B %d streams: %.3f Mpps %.2f Gbit/s%s%s, drops %d, mempool %s (%d s)%s\n",
			e, su, sz, n, m, m * sz * 8 / 1000,
			(ratio == "" ? "" : ", " ratio " of ceiling"),
			(rcold == "" ? "" : ", " rcold " of cold ceiling"), d, mp, t,
			(st == "ok" ? "" : "  INVALID") > "/dev/stderr"
	}' >>"$RUNS"
}

# skipped ENGINE STREAMS: a libsrtp case above BENCH_LIBSRTP_MAX_STREAMS.
skipped() {
	[[ $1 == libsrtp ]] && ((LIBSRTP_MAX > 0 && $2 > LIBSRTP_MAX))
}

# run_group SUITE SIZE: the ceilings and every case of one suite and size,
# measured in rounds (each case once, the ceiling, the cold ceiling; again),
# so that the machine's drift over minutes reaches all of them alike and the
# ratios compare figures taken side by side.  Each figure is the best of
# its rounds.
run_group() {
	local suite=$1 size=$2 round rounds streams engine ceil='' cold='' m
	local ceil_fail=0 cold_fail=0
	rounds=$((CEIL_RUNS > RUNS_PER_CASE ? CEIL_RUNS : RUNS_PER_CASE))
	BEST=() DROPS=() POOL=() BPS=() SPENT=() FAIL=()
	GROUP_BUFFERS=0
	for ((round = 1; round <= rounds; round++)); do
		say "$suite ${size} B, round $round/$rounds"
		if ((round <= RUNS_PER_CASE)); then
			for streams in $STREAMS; do
				for engine in $ENGINES; do
					skipped "$engine" "$streams" && continue
					[[ -z ${FAIL[$engine/$streams]:-} ]] || continue
					run_once "$engine" "$suite" "$size" "$streams" "$round"
				done
			done
			if center_wanted "$suite" "$size"; then
				center_round "$suite" "$round"
			fi
		fi
		((round <= CEIL_RUNS)) || continue
		COLD_BUFFERS=$((GROUP_BUFFERS > 0 ? GROUP_BUFFERS : POOL_BUFFERS))
		m=$(ceiling_once "$suite" "$size" "$LOGS/ceiling-$suite-$size.$round.log")
		[[ -n $m ]] || ceil_fail=1
		ceil=$(larger "${m:-0}" "$ceil")
		m=$(cold_once "$suite" "$size" "$LOGS/cold-$suite-$size.$round.log" "$COLD_BUFFERS")
		[[ -n $m ]] || cold_fail=1
		cold=$(larger "${m:-0}" "$cold")
		say "  ceiling ${ceil} MOps, cold ceiling ${cold} MOps over $COLD_BUFFERS buffers (best so far)"
	done
	# A ceiling with a failed run is no ceiling: the ratio would flatter.
	if ((ceil_fail)); then
		say "ceiling $suite ${size} B: FAILED — see $LOGS/ceiling-$suite-$size.*.log"
		ceil='' RUNNER_FAILED=1
	else
		say "ceiling $suite ${size} B: $ceil MOps (dpdk-test-crypto-perf on lcore 1, best of $CEIL_RUNS)"
	fi
	if ((cold_fail)); then
		say "cold ceiling $suite ${size} B: FAILED — see $LOGS/cold-$suite-$size.*.log"
		cold='' RUNNER_FAILED=1
	else
		say "cold ceiling $suite ${size} B: $cold MOps (vigie-bench --raw over $COLD_BUFFERS buffers on lcore 1, best of $CEIL_RUNS)"
	fi
	for streams in $STREAMS; do
		for engine in $ENGINES; do
			if skipped "$engine" "$streams"; then
				say "$engine $suite ${size} B $streams streams: skipped (BENCH_LIBSRTP_MAX_STREAMS=$LIBSRTP_MAX)"
				printf '%s\t%s\t%s\t%s\t\t\t%s\t\t\t\tSKIPPED\t\t%s\t\n' "$engine" \
					"$suite" "$size" "$streams" "$ceil" "$cold" >>"$RUNS"
				continue
			fi
			record_case "$engine" "$suite" "$size" "$streams" "$ceil" "$cold"
		done
	done
	if center_wanted "$suite" "$size"; then
		center_record "$suite"
	fi
}

run_matrix() {
	local suite size n=0 groups
	groups=$(($(words "$SUITES") * $(words "$SIZES")))
	say "$(($(words "$STREAMS") * $(words "$ENGINES"))) cases of ${SECS} s and 2 ceilings for each of $groups suite × size, best of $RUNS_PER_CASE rounds"
	: >"$RUNS"
	for suite in $SUITES; do
		for size in $SIZES; do
			n=$((n + 1))
			say "[$n/$groups] $suite ${size} B"
			run_group "$suite" "$size"
		done
	done
}

# ---------------------------------------------------------------- report --

write_csv() {
	echo "engine,suite,size,streams,mpps,gbps,ceiling_mpps,ratio_to_ceiling,drops,bytes_per_stream,cold_ceiling_mpps,ratio_to_cold_ceiling" >"$CSV"
	awk -F'\t' -v OFS=, '$11 == "ok" || $11 == "INVALID" {
		print $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $13, $14 }' "$RUNS" >>"$CSV"
}

# print_table: one line per suite × size × streams, the engines side by side,
# then the speedup of the last engine over the first and what made a case
# INVALID or FAILED.
print_table() {
	awk -F'\t' -v engines="$ENGINES" '
	function key(s, z, n) { return s SUBSEP z SUBSEP n }
	function center(t, w,  l) { l = int((w - length(t)) / 2); return sprintf("%*s%-*s", l, "", w - l, t) }
	BEGIN { ne = split(engines, E, " "); W = 36 }
	{
		k = key($2, $3, $4)
		if (!(k in seen)) { seen[k] = 1; order[++nk] = k; ceil[k] = $7; cold[k] = $13 }
		m[k, $1] = $5; g[k, $1] = $6; r[k, $1] = $8; d[k, $1] = $9; b[k, $1] = $10
		st[k, $1] = $11; mp[k, $1] = $12; rc[k, $1] = $14
	}
	END {
		printf "%-24s %5s %7s %8s %6s", "", "", "", "ceiling", "cold"
		for (i = 1; i <= ne; i++) printf " |%s", center(E[i], W + 1)
		printf "%s\n", (ne > 1 ? " |" : "")
		printf "%-24s %5s %7s %8s %6s", "suite", "bytes", "streams", "Mpps", "Mpps"
		for (i = 1; i <= ne; i++) printf " | %6s %7s %6s %6s %7s", "Mpps", "Gbit/s", "ratio", "r.cold", "B/strm"
		if (ne > 1) printf " | %s/%s", E[ne], E[1]
		printf "\n"
		for (j = 1; j <= nk; j++) {
			k = order[j]; split(k, f, SUBSEP); note = ""
			printf "%-24s %5d %7d %8s %6s", f[1], f[2], f[3], ceil[k] == "" ? "FAILED" : sprintf("%.3f", ceil[k]),
				cold[k] == "" ? "FAILED" : sprintf("%.3f", cold[k])
			for (i = 1; i <= ne; i++) {
				e = E[i]
				if (!((k, e) in st) || st[k, e] == "FAILED" || st[k, e] == "SKIPPED") {
					printf " | %6s %7s %6s %6s %7s", "-", "-", "-", "-", "-"
					note = note sprintf("  %s %s", e, (k, e) in st ? st[k, e] : "not run")
					continue
				}
				printf " | %6.3f %7.2f %6s %6s %7s", m[k, e], g[k, e],
					r[k, e] == "" ? "-" : r[k, e], rc[k, e] == "" ? "-" : rc[k, e],
					b[k, e] == "" ? "-" : b[k, e]
				if (st[k, e] != "ok")
					note = note sprintf("  %s INVALID (%d drops, mempool %s)", e, d[k, e], mp[k, e])
			}
			a = E[1]; z = E[ne]
			if (ne > 1 && st[k, a] == "ok" && st[k, z] == "ok" && m[k, a] > 0)
				printf " | %8.1fx", m[k, z] / m[k, a]
			else if (ne > 1)
				printf " | %9s", "-"
			printf "%s\n", note
		}
		printf "\nceiling: dpdk-test-crypto-perf, same suite, size and burst, on lcore 1; ratio = engine Mpps / ceiling.\n"
		printf "cold: the same crypto by vigie-bench --raw over as many buffers as the gateway'"'"'s runs used; r.cold = engine Mpps / cold.\n"
		# Per suite and engine, as the gateway reports it (engine state, stream
		# entry, flow entries), taken at the largest stream count measured.
		printf "Memory per stream, bytes (as vigie-gw reports it):\n"
		for (j = 1; j <= nk; j++) {
			split(order[j], f, SUBSEP)
			if (f[1] in shown) continue
			shown[f[1]] = 1; line = ""
			for (i = 1; i <= ne; i++) {
				best = 0
				for (kk in b) {
					split(kk, h, SUBSEP)
					if (h[1] == f[1] && h[4] == E[i] && b[kk] != "" && h[3] + 0 >= best) { best = h[3] + 0; mem = b[kk] }
				}
				if (best) line = line sprintf("  %-9s %7s", E[i], mem)
			}
			printf "  %-24s%s\n", f[1], line
		}
	}' "$RUNS"
}

# targets: the issue's three targets, evaluated from the rows above.
print_targets() {
	awk -F'\t' '
	{ m[$1, $2, $3, $4] = $5; r[$1, $2, $3, $4] = $8; st[$1, $2, $3, $4] = $11; rc[$1, $2, $3, $4] = $14 }
	# Test membership first: merely reading st[...] would create the entry.
	function valid(e, s, n) { return ((e, s, 1200, n) in st) && st[e, s, 1200, n] == "ok" }
	function why(e, s, n) {
		if (!((e, s, 1200, n) in st)) return "not measured (" e " " s " " n " streams)"
		return st[e, s, 1200, n] " (" e " " s " " n " streams)"
	}
	function verdict(ok, text) {
		printf "  %-8s %s\n", ok ? "MET" : "NOT MET", text; met += ok; total++
	}
	BEGIN { cm = "AES_CM_128_HMAC_SHA1_80"; gcm = "AEAD_AES_128_GCM" }
	END {
		print "Targets (one worker core, 1200-byte RTP packets):"
		split(cm " " gcm, S, " ")
		for (i = 1; i <= 2; i++) {
			s = S[i]
			if (!valid("cryptodev", s, 1000))
				verdict(0, "cryptodev >= 0.80 x ceiling, " s ", 1000 streams: " why("cryptodev", s, 1000))
			else if (r["cryptodev", s, 1200, 1000] == "")
				verdict(0, "cryptodev >= 0.80 x ceiling, " s ", 1000 streams: no crypto ceiling for " s " 1200 B")
			else {
				cold = rc["cryptodev", s, 1200, 1000]
				cold = (cold == "") ? "" : (" (" cold " of the cold ceiling, for reference)")
				verdict(r["cryptodev", s, 1200, 1000] >= 0.80, sprintf("cryptodev >= 0.80 x ceiling, %s, 1000 streams: %s%s", s,
					r["cryptodev", s, 1200, 1000], cold))
			}
		}
		if (!valid("cryptodev", cm, 1000) || !valid("libsrtp", cm, 1000))
			verdict(0, "cryptodev >= 10 x libsrtp, " cm ", 1000 streams: " \
				(valid("cryptodev", cm, 1000) ? why("libsrtp", cm, 1000) : why("cryptodev", cm, 1000)))
		else {
			x = m["cryptodev", cm, 1200, 1000] / m["libsrtp", cm, 1200, 1000]
			verdict(x >= 10, sprintf("cryptodev >= 10 x libsrtp, %s, 1000 streams: %.3f / %.3f Mpps = %.1fx", cm,
				m["cryptodev", cm, 1200, 1000], m["libsrtp", cm, 1200, 1000], x))
		}
		for (i = 1; i <= 2; i++) {
			s = S[i]
			if (!valid("cryptodev", s, 1000) || !valid("cryptodev", s, 100000))
				verdict(0, "cryptodev 100000 streams >= 0.70 x 1000 streams, " s ": " \
					(valid("cryptodev", s, 1000) ? why("cryptodev", s, 100000) : why("cryptodev", s, 1000)))
			else {
				x = m["cryptodev", s, 1200, 100000] / m["cryptodev", s, 1200, 1000]
				verdict(x >= 0.70, sprintf("cryptodev 100000 streams >= 0.70 x 1000 streams, %s: %.3f / %.3f Mpps = %.3f", s,
					m["cryptodev", s, 1200, 100000], m["cryptodev", s, 1200, 1000], x))
			}
		}
		printf "  %d of %d targets met\n", met, total
	}' "$RUNS"
}

# ---------------------------------------------------------------- plot --

# gnuplot_terminal: pngcairo when gnuplot has it (antialiased), else png.
# Not "enhanced": suite names are full of underscores.
gnuplot_terminal() {
	if gnuplot -e 'set terminal pngcairo' </dev/null 2>/dev/null; then
		echo "pngcairo noenhanced font 'DejaVu Sans,11'"
	else
		echo "png noenhanced font 'DejaVuSans,10'"
	fi
}

# pick WANTED LIST: WANTED when LIST has it, else the LIST entry nearest to it.
pick() {
	local want=$1 best='' v
	for v in $2; do
		if [[ -z $best ]] || (((v - want) ** 2 < (best - want) ** 2)); then best=$v; fi
	done
	echo "$best"
}

# Colour tells the suite, the point the engine; ceilings are dashed.
suite_color() {
	case $1 in
	AES_CM_128_HMAC_SHA1_80) echo "#1f60c4" ;;
	AES_CM_128_HMAC_SHA1_32) echo "#10a5b5" ;;
	AEAD_AES_128_GCM) echo "#d62728" ;;
	AEAD_AES_256_GCM) echo "#e08a00" ;;
	*) echo "#555555" ;;
	esac
}

engine_style() {
	case $1 in
	cryptodev) echo "lw 2.5 pt 7 ps 1.4" ;;	# filled circles
	*) echo "lw 1.5 pt 12 ps 1.6" ;;		# open diamonds
	esac
}

# ceiling_series NAME COL DASH: within series(), the clause of the suite's
# ceiling in column COL of $RUNS, in Gbit/s, drawn with dash pattern DASH;
# 1 when there is none.
ceiling_series() {
	local f=$OUT/plot/$tag-$1-$suite.dat
	awk -F'\t' -v s="$suite" -v c="$fixcol" -v v="$fixed" -v x="$xcol" -v k="$2" \
		'$2 == s && $c == v && $k != "" && !seen[$x]++ { print $x, $k * $3 * 8 / 1000 }' "$RUNS" |
		sort -n >"$f"
	[[ -s $f ]] || return 1
	cmd+="$sep'$f' using 1:2 with lines lw 1.8 dt $3 lc rgb '$(suite_color "$suite")' notitle"
	sep=", "
}

# series TAG FIXCOL FIXED XCOL YCOL: the plot clauses of one panel, column
# YCOL of $RUNS against column XCOL for the rows whose column FIXCOL equals
# FIXED, one line per engine × suite.  Each series is a file under $OUT/plot/.
series() {
	local tag=$1 fixcol=$2 fixed=$3 xcol=$4 ycol=$5 suite engine f cmd='' sep=''
	for suite in $SUITES; do
		for engine in $ENGINES; do
			f=$OUT/plot/$tag-$engine-$suite.dat
			awk -F'\t' -v e="$engine" -v s="$suite" -v c="$fixcol" -v v="$fixed" \
				-v x="$xcol" -v y="$ycol" \
				'$1 == e && $2 == s && $c == v && $y != "" { print $x, $y }' "$RUNS" |
				sort -n >"$f"
			[[ -s $f ]] || continue
			cmd+="$sep'$f' using 1:2 with linespoints $(engine_style "$engine") lc rgb '$(suite_color "$suite")' notitle"
			sep=", "
		done
		[[ $ycol == 6 ]] || continue
		# The suite's ceiling in Gbit/s, flat across stream counts,
		# dashed; its cold ceiling (the gateway's buffers) dotted.
		ceiling_series ceiling 7 '(9,6)' && ceiling_series cold 13 '(2,4)' || continue
	done
	# Cases that lost packets or leaked mbufs: a black cross over the point.
	f=$OUT/plot/$tag-invalid.dat
	awk -F'\t' -v c="$fixcol" -v v="$fixed" -v x="$xcol" -v y="$ycol" \
		'$c == v && $11 == "INVALID" && $y != "" { print $x, $y }' "$RUNS" >"$f"
	[[ -s $f ]] && cmd+="$sep'$f' using 1:2 with points pt 2 ps 3 lw 3 lc rgb 'black' notitle"
	echo "$cmd"
}

# legend: colour is the suite, line and point the engine.  One entry per
# suite and per style rather than per series, so that the legend stays short.
legend() {
	local suite engine cmd=''
	for suite in $SUITES; do
		cmd+="keyentry with lines lw 4 lc rgb '$(suite_color "$suite")' title '$suite', "
	done
	for engine in $ENGINES; do
		cmd+="keyentry with linespoints $(engine_style "$engine") lc rgb 'black' title '$engine', "
	done
	cmd+="keyentry with lines lw 1.8 dt (9,6) lc rgb 'black' title 'crypto ceiling', "
	cmd+="keyentry with lines lw 1.8 dt (2,4) lc rgb 'black' title 'cold ceiling', "
	awk -F'\t' '$11 == "INVALID" { found = 1 } END { exit !found }' "$RUNS" &&
		cmd+="keyentry with points pt 2 ps 2 lw 3 lc rgb 'black' title 'INVALID (drops or leak)', "
	echo "$cmd"
}

# write_plot: Gbit/s and ratio to the ceiling against stream count at
# 1,200 B; when the matrix has several sizes, Gbit/s against size at 1,000
# streams below them.  The legend sits under the first panel.
write_plot() {
	local size streams npanels=2 model gbps ratio bysize='' xr note=
	size=$(pick 1200 "$SIZES")
	streams=$(pick 1000 "$STREAMS")
	(($(words "$SIZES") > 1)) && npanels=3
	model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
	xr=$(tr ' ' '\n' <<<"$STREAMS" | sort -n | sed -n '1p;$p' | paste -sd' ')
	rm -rf "$OUT/plot"
	mkdir -p "$OUT/plot"
	awk -F'\t' '$11 == "ok" || $11 == "INVALID" { found = 1 } END { exit !found }' "$RUNS" ||
		{ say "no case was measured: nothing to plot"; return 1; }
	gbps=$(series streams 3 "$size" 4 6)
	ratio=$(series ratio 3 "$size" 4 8)
	# No ratio when no ceiling could be measured: keep the panel, say why.
	if [[ -z $ratio ]]; then
		ratio="1/0 notitle"
		note="set label 1 'no crypto ceiling was measured' at graph 0.5, 0.5 center font ',14'"
	fi
	((npanels == 2)) || bysize=$(series sizes 4 "$streams" 3 6)
	{
		cat <<-EOF
		set terminal $(gnuplot_terminal) size 1200,$((npanels * 400 + 260))
		set output '$PNG'
		set multiplot title "Vigie SRTP protect on one worker core — $model, $(date -u +%Y-%m-%d)\\ncrypto ceiling: dpdk-test-crypto-perf, same suite, size and burst, same core; cold ceiling: the same over as many buffers as the gateway's runs used" font ',12'
		set grid xtics ytics mytics lc rgb '#dddddd'
		set lmargin 11
		set rmargin 4
		# Panel 1, with the legend in three columns beneath it.
		set origin 0, $(awk -v n=$npanels 'BEGIN { printf "%.3f", (n - 1) / n * 0.86 }')
		set size 1, $(awk -v n=$npanels 'BEGIN { printf "%.3f", 0.86 / n + 0.14 - 0.05 }')
		set key outside below center horizontal Left reverse maxrows 2 spacing 1.2 samplen 4 width 5 font ',10'
		set logscale xy
		set format y '%g'
		set xrange [$(awk -v a="${xr% *}" -v b="${xr#* }" 'BEGIN { print a / 2 ":" b * 2 }')]
		set xtics ("1" 1, "10" 10, "100" 100, "1,000" 1000, "10,000" 10000, "100,000" 100000, "1,000,000" 1000000)
		set xlabel 'streams' offset 0,0.4
		set ylabel 'Gbit/s (RTP bytes)'
		set title "Throughput against stream count, ${size}-byte RTP packets"
		plot $(legend)$gbps
		unset key
		# Panel 2: the figure the targets are stated in.
		set origin 0, $(awk -v n=$npanels 'BEGIN { printf "%.3f", (n - 2) / n * 0.86 }')
		set size 1, $(awk -v n=$npanels 'BEGIN { printf "%.3f", 0.86 / n }')
		unset logscale y
		set yrange [0:1.1]
		set ytics 0.1
		set ylabel 'ratio to crypto ceiling'
		set title "Ratio to the crypto ceiling, ${size}-byte RTP packets (target: cryptodev >= 0.80)"
		set arrow from graph 0, first 0.8 to graph 1, first 0.8 nohead lw 1.5 dt (3,4) lc rgb '#2a9d2a'
		$note
		plot $ratio
		unset arrow
		unset label 1
		EOF
		if [[ -n $bysize ]]; then
			cat <<-EOF
			set origin 0, 0
			set size 1, $(awk -v n=$npanels 'BEGIN { printf "%.3f", 0.86 / n }')
			unset logscale x
			set logscale y
			set yrange [*:*]
			set ytics autofreq
			set xrange [0:1500]
			set xtics 200
			set xlabel 'RTP packet size, bytes (the frame on the wire is 42 bytes more)'
			set ylabel 'Gbit/s (RTP bytes)'
			set title "Throughput against packet size, $streams streams"
			plot $bysize
			EOF
		fi
		echo "unset multiplot"
	} >"$OUT/plot/throughput.gp"
	gnuplot "$OUT/plot/throughput.gp"
}

# ---------------------------------------------------------------- main --

main() {
	[[ $(id -u) -eq 0 ]] || die "must run as root (hugepages)"
	[[ -x $BENCH ]] || die "$BENCH not found: build it with 'make bench-bin'"
	command -v "$PERF" >/dev/null || die "$PERF not found (Debian package dpdk; run 'make setup')"
	command -v gnuplot >/dev/null || die "gnuplot not found (Debian package gnuplot-nox; run 'make setup')"
	mkdir -p "$OUT"
	rm -rf "$LOGS"
	mkdir -p "$LOGS"
	machine_info | tee "$OUT/machine.txt"
	echo
	center_init
	run_matrix
	run_center
	run_profiles
	echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT/machine.txt"
	write_csv
	print_table
	echo
	print_targets
	echo
	print_profiles
	echo
	write_center
	echo
	if write_plot; then
		echo "wrote $CSV, $PNG, $OUT/machine.txt (raw output in $LOGS/)"
	else
		say "could not write $PNG (see $OUT/plot/throughput.gp)"
		RUNNER_FAILED=1
	fi
	say "done in $((SECONDS / 60)) min $((SECONDS % 60)) s"
	((RUNNER_FAILED == 0)) || die "some runs failed: the figures above are incomplete"
}

main "$@"
