#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# ceiling.sh crypto-perf SUITE SIZE OPS LOG
# ceiling.sh cold SUITE SIZE BUFFERS LOG BENCH
#
# One run on lcore 1 of the crypto the cryptodev engine asks for SUITE on
# SIZE-byte buffers, burst 32, and nothing else.  crypto-perf: the crypto
# ceiling, dpdk-test-crypto-perf --ptest throughput, OPS operations.  cold:
# the cold ceiling, vigie-bench --raw (BENCH) cycling through BUFFERS
# buffers, as many as the gateway's runs went through (crypto-perf reuses a
# few hot buffers; a gateway encrypts packets that have just arrived).
# Prints status=ok mpps=MOPS, or status=FAILED (LOG says why).
set -euo pipefail
# shellcheck source=scripts/bench/lib.sh
. "$(dirname "$0")/lib.sh"
[[ $# -ge 5 ]] || { sed -n '3,12p' "$0" >&2; exit 2; }
kind=$1 suite=$2 size=$3 n=$4 log=$5 bench=${6:-}
BURST=32	# the worker's burst
DEV_CM=crypto_aesni_mb DEV_GCM=crypto_aesni_gcm
dev=$DEV_CM
[[ $suite == AEAD_* ]] && dev=$DEV_GCM

# perf_args: dpdk-test-crypto-perf options for SUITE on SIZE-byte buffers,
# as the cryptodev engine asks for it (the tag: 10 or 4 bytes, or GCM's 16).
perf_args() {
	case $suite in
	AES_CM_128_HMAC_SHA1_80|AES_CM_128_HMAC_SHA1_32)
		local tag=10
		[[ $suite == *_32 ]] && tag=4
		echo "--devtype $dev --optype cipher-then-auth" \
			"--cipher-algo aes-ctr --cipher-op encrypt --cipher-key-sz 16 --cipher-iv-sz 16" \
			"--auth-algo sha1-hmac --auth-op generate --auth-key-sz 20 --digest-sz $tag" ;;
	AEAD_AES_128_GCM|AEAD_AES_256_GCM)
		local key=16
		[[ $suite == *256* ]] && key=32
		echo "--devtype $dev --optype aead --aead-algo aes-gcm --aead-op encrypt" \
			"--aead-key-sz $key --aead-iv-sz 12 --aead-aad-sz 12 --digest-sz 16" ;;
	*) return 1 ;;
	esac
	echo "--ptest throughput --burst-sz $BURST --buffer-sz $size --total-ops $n --silent"
}

# crypto_perf: its MOps, or nothing.  Its table is "lcore id  Buf Size ...
# Enqueued Dequeued ... MOps Gbps Cycles/Buf", then one row per lcore; a
# short count means ops were lost.
crypto_perf() {
	local args
	args=$(perf_args) || { echo "unknown suite $suite" >"$log"; return 0; }
	# shellcheck disable=SC2086	# args is a list of options
	timeout --foreground 300 dpdk-test-crypto-perf "${BENCH_EAL[@]}" --file-prefix "vgc$$" \
		--vdev "$dev" -- $args >"$log" 2>&1 || return 0
	awk -v ops="$n" '
		/MOps/ && /Cycles\/Buf/ { hdr = 1; next }
		hdr && NF == 10 && $1 == 1 && $4 == ops && $5 == ops { print $8; exit }' "$log"
}

# cold: its MOps, or nothing.
cold() {
	timeout --foreground 300 "$bench" "${BENCH_EAL[@]}" --file-prefix "vgr$$" -- --raw "$dev" \
		--suite "$suite" --size "$size" --buffers "$n" --seconds 1 >"$log" 2>&1 || return 0
	sed -n 's/^RESULT mode=raw .* mops=\([0-9.]*\) .*/\1/p' "$log" | tail -1
}

case $kind in
crypto-perf) m=$(crypto_perf) ;;
cold) m=$(cold) ;;
*) die "ceiling: KIND is crypto-perf or cold" ;;
esac
if [[ -n $m ]]; then echo "status=ok mpps=$m"; else echo "status=FAILED"; fi
