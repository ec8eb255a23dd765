#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# shellcheck disable=SC2015 # "[[ ]] && ok || fail": ok never fails
# e2e-engines: libsrtp cryptodev
# Vigie end-to-end: real cameras, the real gateway, real receivers.
#
#   [ns $P-cam]                     [ns $P-gw]                       [ns $P-ctr]
#   ffmpeg x4 (libx264, RTP)        vigie-gw (DPDK net_af_packet)    ffmpeg  (SRTP AES_CM)
#   cam0 198.18.1.11-14/24 ─veth─ vg-acc  198.18.1.1 (userspace)     GStreamer (SRTP GCM)
#        198.18.1.99 (unknown)        vg-bb   198.19.0.1 (userspace) ─veth─ ctr0 198.19.0.2/24
#                                                                           198.19.0.3/24
#   cam-01 → .2:6004 AES_CM_128_HMAC_SHA1_80   cam-03 → .3:6008 AEAD_AES_128_GCM
#   cam-02 → .2:6006 AES_CM_128_HMAC_SHA1_32   cam-04 → .3:6010 AEAD_AES_256_GCM
#
# One camera per suite, each decrypted and decoded by a peer the project did
# not write.  Checked: every stream decoded with >= 95 % of the frames sent;
# the gateway's stream counters equal the packets captured on cam0; ping and
# ARP on both sides; an unknown flow and replayed packets dropped and counted;
# telemetry while running; no mbuf leaked; no key in the gateway's output;
# exit status 0.  When a check failed and a receiver's log shows a crash of
# its own, the last lines say "third-party receiver crashed" (run.sh then
# runs the scenario once more).
#
# usage: protect.sh [ENGINE]   (libsrtp default; run.sh runs both)
# E2E_SECONDS sets the air time (10), E2E_KEEP=1 keeps the logs.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ENGINE=${1:-libsrtp}
e2e_begin "protect/$ENGINE" vge2e vigie-gw
SECS=${E2E_SECONDS:-10}			# camera air time
FLOOD=300				# unknown-flow packets
REPLAY=100				# replayed camera packets
GW_MAC=02:76:67:00:00:01		# vg-acc, set by scripts/netns.sh

# name source port center dest_port ssrc suite
CAMERAS="\
cam-01 198.18.1.11 5004 198.19.0.2 6004 268435457 AES_CM_128_HMAC_SHA1_80
cam-02 198.18.1.12 5006 198.19.0.2 6006 268435458 AES_CM_128_HMAC_SHA1_32
cam-03 198.18.1.13 5008 198.19.0.3 6008 268435459 AEAD_AES_128_GCM
cam-04 198.18.1.14 5010 198.19.0.3 6010 268435460 AEAD_AES_256_GCM"

# A receiver we did not write crashed (GStreamer's srtpdec once aborted on
# heap corruption at stream start): say so, for run.sh to run it again.
e2e_cleanup() {
	local crash
	[[ $FAILED -gt 0 ]] || return 0
	crash=$(grep -hE 'malloc\(\)|double free|corrupted' "$T"/*.recv.log 2>/dev/null | head -n 1)
	[[ -z $crash ]] || echo "e2e $E2E_NAME: third-party receiver crashed: $crash"
}

write_config() {
	key k80 30; key k32 30; key g128 28; key g256 44
	cat > "$T/vigie.conf" <<-EOF
	gateway = { engine = "$ENGINE"; summary_interval = 2; };
	$(pop_ports)
	centers = (
	  { name = "ctr-cm"; address = "198.19.0.2"; suite = "AES_CM_128_HMAC_SHA1_80";
	    key_file = "k80.key"; },
	  { name = "ctr-gcm"; address = "198.19.0.3"; suite = "AEAD_AES_128_GCM";
	    key_file = "g128.key"; }
	);
	cameras = (
	  { name = "cam-01"; source = "198.18.1.11"; port = 5004; center = "ctr-cm";
	    dest_port = 6004; ssrc = 0x10000001; },
	  { name = "cam-02"; source = "198.18.1.12"; port = 5006; center = "ctr-cm";
	    dest_port = 6006; ssrc = 0x10000002;
	    suite = "AES_CM_128_HMAC_SHA1_32"; key_file = "k32.key"; },
	  { name = "cam-03"; source = "198.18.1.13"; port = 5008; center = "ctr-gcm";
	    dest_port = 6008; ssrc = 0x10000003; },
	  { name = "cam-04"; source = "198.18.1.14"; port = 5010; center = "ctr-gcm";
	    dest_port = 6010; ssrc = 0x10000004;
	    suite = "AEAD_AES_256_GCM"; key_file = "g256.key"; }
	);
	EOF
}

key_of() {			# key_of SUITE: the key file the config gives it
	case $1 in
	AES_CM_128_HMAC_SHA1_80) echo "$T/k80.key" ;;
	AES_CM_128_HMAC_SHA1_32) echo "$T/k32.key" ;;
	AEAD_AES_128_GCM) echo "$T/g128.key" ;;
	AEAD_AES_256_GCM) echo "$T/g256.key" ;;
	esac
}

start_receivers() {
	local name src port ctr dport ssrc suite
	RECEIVERS=
	while read -r name src port ctr dport ssrc suite; do
		ip netns exec "$CTR" scripts/center.sh recv "$name" "$suite" \
			"$(key_of "$suite")" "$ctr" "$dport" $((dport + 1)) "$ssrc" "$T" &
		RECEIVERS+=" $!"
	done <<< "$CAMERAS"
}

# The gateway, up once it answers the cameras' ping (ARP and ICMP ready).
start_gateway() {
	local i
	VG_STATE_DIR=$T/state vg_start_gw "$GW" "$P" "$T/vigie.conf" "$T/gw.log" 150 || return 1
	for ((i = 0; i < 30; i++)); do
		n_cam ping -c 1 -W 1 198.18.1.1 >/dev/null 2>&1 && return 0
		kill -0 "$GW_PID" 2>/dev/null || break
	done
	cat "$T/gw.log"
	echo "vigie-gw did not come up"; return 1
}

run_cameras() {
	local name src port pids=
	while read -r name src port _; do
		ip netns exec "$CAM" scripts/camera.sh send "$name" "$src" \
			198.18.1.1 "$port" "$SECS" "$T" &
		pids+=" $!"
	done <<< "$CAMERAS"
	sleep 2
	pretty "Unknown flow: $FLOOD RTP packets from 198.18.1.99"
	n_cam python3 tests/e2e/pkt.py flood 198.18.1.99 198.18.1.1 5004 "$FLOOD"
	wait $pids
}

captured() { awk -v s="$1" -v p="$2" '$1 == s && $2 == p { print $3 }' "$T/cam.count"; }

check_streams() {
	local name src port ctr dport ssrc suite sent dec rtp rtcp crtp crtcp
	while read -r name src port ctr dport ssrc suite; do
		sent=$(scripts/camera.sh sent "$name" "$T")
		dec=$(scripts/center.sh decoded "$name" "$T")
		[[ $sent -ge $((SECS * 25 * 9 / 10)) ]] && ok "$name sent $sent frames" ||
			fail "$name sent only $sent frames"
		[[ $((dec * 100)) -ge $((sent * 95)) && $sent -gt 0 ]] &&
			ok "$name $suite: $dec/$sent frames decoded by the center" ||
			fail "$name $suite: $dec/$sent frames decoded by the center"
		[[ -s $T/$name.png ]] && ok "$name decoded frame saved" ||
			fail "$name no decoded frame"
		rtp=$(counter "$T/gw.log" "stream $name " rtp)
		rtcp=$(counter "$T/gw.log" "stream $name " rtcp)
		crtp=$(captured "$src" "$port") crtcp=$(captured "$src" $((port + 1)))
		[[ $rtp -gt 0 && $rtp -eq ${crtp:--1} ]] &&
			ok "$name gateway rtp $rtp = $crtp captured" ||
			fail "$name gateway rtp $rtp, captured ${crtp:-none}"
		[[ $rtcp -gt 0 && $rtcp -eq ${crtcp:--1} ]] &&
			ok "$name gateway rtcp $rtcp = $crtcp captured" ||
			fail "$name gateway rtcp $rtcp, captured ${crtcp:-none}"
	done <<< "$CAMERAS"
}

# Packets the receivers could not authenticate: ffmpeg says "HMAC mismatch",
# GStreamer's srtpdec a warning (authentication, replay, ...).
check_auth() {
	local name n
	for name in $(awk '{ print $1 }' <<< "$CAMERAS"); do
		n=$(grep -ciE 'HMAC mismatch|WARN +srtpdec' "$T/$name.recv.log" || true)
		[[ $n -eq 0 ]] && ok "$name receiver authenticated every SRTP/SRTCP packet" ||
			fail "$name receiver rejected $n packets: $(grep -iE 'HMAC mismatch|WARN +srtpdec' "$T/$name.recv.log" | head -n 1)"
	done
}

check_keys() {
	local k b64 hex leaks=0
	for k in "$T"/*.key; do
		b64=$(sed -n 's/^inline://p' "$k")
		hex=$(printf '%s' "$b64" | base64 -d | od -An -v -tx1 | tr -d ' \n')
		grep -qiF -e "$b64" -e "$hex" "$T/gw.log" && leaks=$((leaks + 1))
	done
	[[ $leaks -eq 0 ]] && ok "no key (base64 or hex) in the gateway's output" ||
		fail "$leaks key(s) appear in the gateway's output"
}

pretty "Engine $ENGINE; topology $P, config and keys in $T"
scripts/netns.sh up "$P"
n_cam ip addr add 198.18.1.99/24 dev cam0
write_config
start_receivers
ip netns exec "$CAM" tcpdump -Z root -i cam0 -Q out -U -s 0 -w "$T/cam.pcap" udp 2>/dev/null &
TCPDUMP=$!
pretty "Gateway"
start_gateway

pretty "ICMP echo and ARP"
n_cam ping -c 3 -i 0.2 -W 1 198.18.1.1 >/dev/null && ok "ping cam -> 198.18.1.1" ||
	fail "ping cam -> 198.18.1.1"
n_ctr ping -c 3 -i 0.2 -W 1 -I 198.19.0.2 198.19.0.1 >/dev/null &&
	ok "ping ctr -> 198.19.0.1" || fail "ping ctr -> 198.19.0.1"
mac=$(n_cam ip neigh show 198.18.1.1 dev cam0 | awk '{ print $3 }')
[[ $mac == "$GW_MAC" ]] && ok "ARP: 198.18.1.1 is at $mac" ||
	fail "ARP: 198.18.1.1 is at '${mac}', want $GW_MAC"

pretty "Cameras on air for $SECS s"
run_cameras
sleep 1
kill -INT "$TCPDUMP"; wait "$TCPDUMP" || true
python3 tests/e2e/pkt.py count "$T/cam.pcap" > "$T/cam.count"

pretty "Replay: $REPLAY captured packets of cam-01 sent again"
replayed=$(n_cam python3 tests/e2e/pkt.py replay "$T/cam.pcap" cam0 198.18.1.11 5004 "$REPLAY")
sleep 1

pretty "Telemetry while running"
n=$(tel "$P" /vigie/drops unknown_flow)
[[ ${n:-0} -ge $FLOOD ]] && ok "telemetry /vigie/drops unknown_flow $n" ||
	fail "telemetry /vigie/drops unknown_flow '${n}'"
n=$(tel "$P" /vigie/engine name)
[[ $n == "$ENGINE" ]] && ok "telemetry /vigie/engine name $n" ||
	fail "telemetry /vigie/engine name '${n}', want $ENGINE"
n=$(tel "$P" /vigie/streams,cam-01 rtp)
[[ ${n:-0} -gt 0 ]] && ok "telemetry /vigie/streams,cam-01 rtp $n" ||
	fail "telemetry /vigie/streams,cam-01 rtp '${n}'"

pretty "Stopping the gateway"
rc=0; stop_gw "$GW_PID" || rc=$?
GW_PID=
sleep 1
scripts/center.sh stop $RECEIVERS; wait $RECEIVERS || true
sed -n '/^port /,$p' "$T/gw.log"

pretty "Checks"
[[ $rc -eq 0 ]] && ok "vigie-gw exit status 0" || fail "vigie-gw exit status $rc"
check_streams
check_auth
n=$(drops "$T/gw.log" unknown-flow)
[[ $n -ge $FLOOD ]] && ok "drop unknown-flow $n >= $FLOOD sent" ||
	fail "drop unknown-flow $n < $FLOOD sent"
n=$(drops "$T/gw.log" replay)
[[ $replayed -eq $REPLAY && $n -ge $replayed ]] && ok "drop replay $n >= $replayed replayed" ||
	fail "drop replay $n, $replayed of $REPLAY replayed"
other=$(awk '$1 == "drop" && $2 != "unknown-flow" && $2 != "replay"' "$T/gw.log" | tr '\n' ' ')
[[ -z $other ]] && ok "no other drop reason" || fail "other drops: $other"
grep -Eq '^mempool [0-9]+/[0-9]+ ok$' "$T/gw.log" && ok "$(grep '^mempool' "$T/gw.log")" ||
	fail "no 'mempool ... ok' line: $(grep '^mempool' "$T/gw.log" || echo none)"
# Buffers come back LIFO (gw.c make_pool) unless EAL names a driver.
grep -q ' mbufs (stack), worker lcore' "$T/gw.log" && ok "packet pool on the LIFO stack driver" ||
	fail "packet pool driver: $(grep -o '[0-9]* mbufs ([^)]*)' "$T/gw.log" || echo none)"
check_keys
e2e_done
