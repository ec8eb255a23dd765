#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# shellcheck disable=SC2015 # "[[ ]] && ok || fail": ok never fails
# Vigie end-to-end test: real cameras, the real gateway, real receivers.
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
# no mbuf leaked; no key in the gateway's output; exit status 0.
#
# The whole run is made once per SRTP engine (usage: run.sh [ENGINE]; none:
# every engine in $E2E_ENGINES, "libsrtp cryptodev" by default, then
# tests/e2e/vlan.sh: a VLAN-tagged access port and the engine fallback, and
# tests/e2e/tools.sh: vigie-camgen and vigie-sink around the gateway,
# tests/e2e/sdp.sh: --sdp files, and tests/e2e/center.sh: a PoP and a center
# gateway end to end (fan-out, RTCP both ways), once per engine, and
# tests/e2e/restart.sh: the PoP gateway SIGKILLed and restarted under
# traffic, no SRTP/SRTCP index used twice, once per engine, and
# tests/e2e/center_late.sh: a center gateway that starts late, is killed
# and restarted, forgeries at both gateways, once per engine; E2E_KEEP=1
# keeps the logs, E2E_SECONDS sets the air time).  Each
# assertion is a [[ ]] test that prints ok/FAIL and is counted; any other
# failing command aborts that run (set -e) and counts as one more failure.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
. scripts/lib.sh

if [[ $# -eq 0 ]]; then			# one run per engine, one closing line
	p=0 f=0 log=$(mktemp)
	for engine in ${E2E_ENGINES:-libsrtp cryptodev} vlan tools sdp \
			center:cryptodev center:libsrtp restart:cryptodev \
			restart:libsrtp late:cryptodev late:libsrtp; do
		if [[ $engine == vlan ]]; then	# tagged access port, fallback
			"$(dirname "$0")/vlan.sh" | tee "$log" || true
		elif [[ $engine == tools ]]; then	# camgen -> gw -> sink
			"$(dirname "$0")/tools.sh" | tee "$log" || true
		elif [[ $engine == sdp ]]; then	# --sdp files opened by ffmpeg
			"$(dirname "$0")/sdp.sh" | tee "$log" || true
		elif [[ $engine == center:* ]]; then	# PoP -> center -> VMS
			"$(dirname "$0")/center.sh" "${engine#center:}" | tee "$log" || true
		elif [[ $engine == restart:* ]]; then	# kill -9 under traffic
			"$(dirname "$0")/restart.sh" "${engine#restart:}" | tee "$log" || true
		elif [[ $engine == late:* ]]; then	# center late, killed, forgeries
			"$(dirname "$0")/center_late.sh" "${engine#late:}" | tee "$log" || true
		else
			"$0" "$engine" | tee "$log" || true
			# A receiver we did not write crashed (GStreamer's srtpdec
			# once aborted on heap corruption at stream start): say
			# so and run that engine once more; a second crash counts.
			if grep -q '^e2e [a-z]*: third-party receiver crashed' "$log"; then
				echo "e2e: $engine run repeated once (third-party receiver crash above)"
				"$0" "$engine" | tee "$log" || true
			fi
		fi
		r=$(sed -n 's/^e2e [a-z]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$log")
		[[ -n $r ]] || r="0 1"		# it died before its closing line
		p=$((p + ${r% *})) f=$((f + ${r#* }))
	done
	rm -f "$log"
	echo "e2e: $p passed, $f failed"
	exit $((f > 0))
fi
ENGINE=$1
P=vge2e-$$
CAM=$P-cam GW=$P-gw CTR=$P-ctr
SECS=${E2E_SECONDS:-10}			# camera air time
FLOOD=300				# unknown-flow packets
REPLAY=100				# replayed camera packets
GW_MAC=02:76:67:00:00:01		# vg-acc, set by scripts/netns.sh
T=$(mktemp -d /tmp/vigie-e2e.XXXXXX)
PASSED=0 FAILED=0 GW_PID='' DONE=''

# name source port center dest_port ssrc suite
CAMERAS="\
cam-01 198.18.1.11 5004 198.19.0.2 6004 268435457 AES_CM_128_HMAC_SHA1_80
cam-02 198.18.1.12 5006 198.19.0.2 6006 268435458 AES_CM_128_HMAC_SHA1_32
cam-03 198.18.1.13 5008 198.19.0.3 6008 268435459 AEAD_AES_128_GCM
cam-04 198.18.1.14 5010 198.19.0.3 6010 268435460 AEAD_AES_256_GCM"

pretty() { printf '\033[1;32m[+] %s\033[0m\n' "$*"; }
ok() { PASSED=$((PASSED + 1)); printf '  ok   %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf '  FAIL %s\n' "$*"; }
# Foreground commands only: "ip netns exec" itself for background jobs, so
# that $! is the process (ip execs it), not a subshell.
n_cam() { ip netns exec "$CAM" "$@"; }
n_ctr() { ip netns exec "$CTR" "$@"; }

cleanup() {
	set +e
	[[ -z $GW_PID ]] || kill "$GW_PID" 2>/dev/null
	scripts/netns.sh down "$P"
	[[ -n $DONE ]] || { FAILED=$((FAILED + 1)); echo "e2e: aborted (see above)"; }
	if [[ $FAILED -gt 0 ]] && grep -lE 'malloc\(\)|double free|corrupted' "$T"/*.recv.log \
			>/dev/null 2>&1; then
		echo "e2e $ENGINE: third-party receiver crashed: $(grep -hE 'malloc\(\)|double free|corrupted' \
			"$T"/*.recv.log | head -n 1)"
	fi
	if [[ -n $DONE && $FAILED -eq 0 && -z ${E2E_KEEP:-} ]]; then rm -rf "$T"; else echo "e2e: logs kept in $T"; fi
	echo "e2e $ENGINE: $PASSED passed, $FAILED failed"
	exit $((FAILED > 0))
}

# key NAME BYTES: a random master key file (key || salt), mode 0600.
key() { vg_key "$T/$1.key" "$2"; }

write_config() {
	key k80 30; key k32 30; key g128 28; key g256 44
	cat > "$T/vigie.conf" <<-EOF
	gateway = { engine = "$ENGINE"; summary_interval = 2; };
	ports = (
	  { name = "access"; device = "net_af_packet0,iface=vg-acc"; role = "access";
	    address = "198.18.1.1/24"; },
	  { name = "backbone"; device = "net_af_packet1,iface=vg-bb"; role = "backbone";
	    address = "198.19.0.1/24"; }
	);
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

start_gateway() {
	ip netns exec "$GW" build/vigie-gw -l 0,1 --in-memory --no-pci \
		--file-prefix "$P" -- --config "$T/vigie.conf" --state-dir "$T/state" \
		> "$T/gw.log" 2>&1 &
	GW_PID=$!
	local i
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

# counter LINE-PREFIX FIELD: a number from the gateway's final counters.
counter() {
	awk -v pre="$1" -v f="$2" 'index($0, pre) == 1 {
		for (i = 1; i < NF; i++) if ($i == f) v = $(i + 1) } END { print v }' "$T/gw.log"
}
drops() { local n; n=$(awk -v r="$1" '$1 == "drop" && $2 == r { print $3 }' "$T/gw.log" | tail -n 1); echo "${n:-0}"; }
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
		rtp=$(counter "stream $name " rtp) rtcp=$(counter "stream $name " rtcp)
		crtp=$(captured "$src" "$port") crtcp=$(captured "$src" $((port + 1)))
		[[ ${rtp:-0} -gt 0 && $rtp -eq ${crtp:--1} ]] &&
			ok "$name gateway rtp $rtp = $crtp captured" ||
			fail "$name gateway rtp ${rtp:-none}, captured ${crtp:-none}"
		[[ ${rtcp:-0} -gt 0 && $rtcp -eq ${crtcp:--1} ]] &&
			ok "$name gateway rtcp $rtcp = $crtcp captured" ||
			fail "$name gateway rtcp ${rtcp:-none}, captured ${crtcp:-none}"
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

[[ $(id -u) -eq 0 ]] || { echo "e2e: must run as root" >&2; exit 1; }
[[ -x build/vigie-gw ]] || { echo "e2e: build/vigie-gw missing: run make" >&2; exit 1; }
trap cleanup EXIT

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
printf '/vigie/drops\n/vigie/engine\n/vigie/streams,cam-01\n' |
	ip netns exec "$GW" dpdk-telemetry.py -f "$P" > "$T/telemetry.json" 2>&1 || true
tel() { python3 -c 'import json,sys
for l in open(sys.argv[1]):
    l = l.strip()
    if l.startswith("{"):
        d = json.loads(l); k = next(iter(d))
        if k == sys.argv[2]: print(d[k][sys.argv[3]])' "$T/telemetry.json" "$1" "$2"; }
n=$(tel /vigie/drops unknown_flow)
[[ ${n:-0} -ge $FLOOD ]] && ok "telemetry /vigie/drops unknown_flow $n" ||
	fail "telemetry /vigie/drops unknown_flow '${n}'"
n=$(tel /vigie/engine name)
[[ $n == "$ENGINE" ]] && ok "telemetry /vigie/engine name $n" ||
	fail "telemetry /vigie/engine name '${n}', want $ENGINE"
n=$(tel /vigie/streams rtp)
[[ ${n:-0} -gt 0 ]] && ok "telemetry /vigie/streams,cam-01 rtp $n" ||
	fail "telemetry /vigie/streams,cam-01 rtp '${n}'"

pretty "Stopping the gateway"
kill -INT "$GW_PID"
rc=0; wait "$GW_PID" || rc=$?
GW_PID=
sleep 1
scripts/center.sh stop $RECEIVERS; wait $RECEIVERS || true
sed -n '/^port /,$p' "$T/gw.log"

pretty "Checks"
[[ $rc -eq 0 ]] && ok "vigie-gw exit status 0" || fail "vigie-gw exit status $rc"
check_streams
check_auth
n=$(drops unknown-flow)
[[ $n -ge $FLOOD ]] && ok "drop unknown-flow $n >= $FLOOD sent" ||
	fail "drop unknown-flow $n < $FLOOD sent"
n=$(drops replay)
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
DONE=1
