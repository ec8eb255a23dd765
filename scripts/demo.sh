#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# `make demo`: four real cameras, the gateway, two real supervision centers.
#
#   [ns cam]  ffmpeg x4 ──RTP──▶ [ns gw] vigie-gw ──SRTP──▶ [ns ctr] ffmpeg x2 (AES_CM_128_HMAC_SHA1_80)
#   198.18.1.11-14              198.18.1.1 | 198.19.0.1     198.19.0.2/.3  GStreamer x2 (AEAD_AES_128_GCM)
#
# Runs config/vigie.conf for ${DURATION:-20} seconds and prints, per camera,
# the frames its encoder sent and the frames the center decoded.  The last
# decoded frame of each camera is saved as build/demo/cam-0N.png.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DURATION=${DURATION:-20}
CONF=${CONF:-config/vigie.conf}
OUT=build/demo
P=vigie-demo-$$
GW_PID=

# The lab's streams, as config/vigie.conf declares them:
# camera  source       port  center      dest_port  ssrc        suite             key file
CAMERAS="\
cam-01  198.18.1.11  5004  198.19.0.2  6004  0x10000001  AES_CM_128_HMAC_SHA1_80  cso-nord
cam-02  198.18.1.12  5006  198.19.0.2  6006  0x10000002  AES_CM_128_HMAC_SHA1_80  cso-nord
cam-03  198.18.1.13  5008  198.19.0.3  6008  0x10000003  AEAD_AES_128_GCM         csu-region
cam-04  198.18.1.14  5010  198.19.0.3  6010  0x10000004  AEAD_AES_128_GCM         csu-region"

say() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }

cleanup() {
	[[ -z $GW_PID ]] || kill "$GW_PID" 2>/dev/null || true
	scripts/netns.sh down "$P"
}

# start_receivers: one real SRTP receiver per camera in the center namespace.
start_receivers() {
	local name src port ctr dport ssrc suite key
	while read -r name src port ctr dport ssrc suite key; do
		ip netns exec "$P-ctr" scripts/center.sh recv "$name" "$suite" \
			"config/keys/$key.key" "$ctr" "$dport" $((dport + 1)) \
			$((ssrc)) "$OUT" &
		RECEIVERS+=" $!"
	done <<< "$CAMERAS"
}

start_gateway() {
	say "starting vigie-gw (its summary lines follow)"
	ip netns exec "$P-gw" build/vigie-gw -l 0,1 --in-memory --no-pci -- \
		--config "$CONF" --state-dir "$OUT/state" > >(tee "$OUT/gw.log") 2>&1 &
	GW_PID=$!
	local i
	for ((i = 0; i < 30; i++)); do		# up when it answers ping
		ip netns exec "$P-cam" ping -c 1 -W 1 198.18.1.1 >/dev/null 2>&1 && return 0
		kill -0 "$GW_PID" 2>/dev/null || { say "vigie-gw exited"; exit 1; }
	done
	say "vigie-gw does not answer ping on 198.18.1.1"; exit 1
}

run_cameras() {
	local name src port pids=
	say "cameras on air for $DURATION s"
	while read -r name src port _; do
		ip netns exec "$P-cam" scripts/camera.sh send "$name" "$src" \
			198.18.1.1 "$port" "$DURATION" "$OUT" &
		pids+=" $!"
	done <<< "$CAMERAS"
	wait $pids
}

stop_gateway() {
	sleep 1					# let the last packets through
	say "stopping vigie-gw (final counters)"
	kill -INT "$GW_PID"
	local rc=0
	wait "$GW_PID" || rc=$?
	GW_PID=
	[[ $rc -eq 0 ]] || say "vigie-gw exited with status $rc"
}

table() {
	local name suite sent dec pct
	printf '\n%-8s %-24s %12s %15s %7s\n' camera suite "frames sent" "frames decoded" "%"
	while read -r name _ _ _ _ _ suite _; do
		sent=$(scripts/camera.sh sent "$name" "$OUT")
		dec=$(scripts/center.sh decoded "$name" "$OUT")
		pct=$(awk -v d="$dec" -v s="$sent" 'BEGIN { printf "%.1f", s ? 100 * d / s : 0 }')
		printf '%-8s %-24s %12s %15s %7s\n' "$name" "$suite" "$sent" "$dec" "$pct"
	done <<< "$CAMERAS"
	printf '\n(an ffmpeg receiver still holds its last few frames when it is stopped)\n'
	printf 'last decoded frames: %s/cam-0{1,2,3,4}.png; logs: %s/*.log\n' "$OUT" "$OUT"
}

[[ $(id -u) -eq 0 ]] || { echo "demo: must run as root" >&2; exit 1; }
[[ -x build/vigie-gw ]] || { echo "demo: build/vigie-gw missing: run make" >&2; exit 1; }
[[ -f $CONF ]] || { echo "demo: $CONF missing" >&2; exit 1; }
rm -rf "$OUT"; mkdir -p "$OUT"; chmod 700 "$OUT"
trap cleanup EXIT
scripts/netns.sh up "$P"
RECEIVERS=
start_receivers
start_gateway
run_cameras
stop_gateway
sleep 1
scripts/center.sh stop $RECEIVERS; wait $RECEIVERS || true
chmod 755 "$OUT"; chmod 644 "$OUT"/*.png 2>/dev/null || true
table
