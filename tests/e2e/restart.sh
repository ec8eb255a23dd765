#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# shellcheck disable=SC2015 # "[[ ]] && ok || fail": ok never fails
# e2e-engines: cryptodev libsrtp
# Vigie end-to-end: restart under traffic (DESIGN invariants 1 and 3).  A PoP
# gateway is SIGKILLed at a random moment after its streams wrapped their
# sequence numbers, and restarted on the same config and state directory
# while the cameras go on.  No (key, SSRC, index) may be used twice, and a
# receiver that stayed up must keep decoding.
#
#   [ns $P-cam]                 [ns $P-gw]                          [ns $P-ctr]
#   vigie-camgen ─ cam0 ─veth─ vg-acc  vigie-gw  vg-bb ─veth─ ctr0 ─ vigie-sink (libsrtp)
#   cam-01 198.18.1.11:5004     198.18.1.1   │    198.19.0.1         198.19.0.2, stays up
#   cam-02 198.18.1.12:5006     kill -9 once, restarted,            tcpdump → bb.pcap
#   paced, ~$PPS pkt/s each     state in $T/state
#
#   cam-01 → 198.19.0.2:6004/6005 AES_CM_128_HMAC_SHA1_80  SSRC 0x10000001
#   cam-02 → 198.19.0.2:6006/6007 AEAD_AES_128_GCM         SSRC 0x10000002
#
# Each camera sends more than 65,536 RTP packets (a full sequence cycle) and
# an RTCP sender report every second.  Once both streams wrapped, the gateway
# is killed (SIGKILL) after a random delay and started again at once; the
# cameras go on for $POST s (thousands of packets) more.  The backbone
# capture is then read by tests/e2e/srtp_check.py, an RFC 3711 receiver built
# on tests/vectors/srtp_ref.py (not the gateway's code): every SRTP and
# SRTCP packet authenticates under the ROC a receiver that stayed up
# estimates, no index twice, strictly increasing, the forward jump at the
# restart < 2^15.  vigie-sink (libsrtp), up for the whole run, decrypts every
# captured packet of both streams, after the restart included, with no
# authentication failure.  The restarted gateway exits 0 with every mbuf back,
# and its state directory holds files but no key.
#
# usage: restart.sh [ENGINE]   (the gateway's engine; cryptodev default)
# VG_OLD=1: leave out the gateway keys of the durable index reservation
# (state_dir, max_pps), for a gateway that predates them.  E2E_KEEP=1 keeps
# $T (config, logs, capture).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ENGINE=${1:-cryptodev}
e2e_begin "restart/$ENGINE" vgrst vigie-gw vigie-camgen vigie-sink
PPS=4000			# RTP packets/s per camera (payload 160 bytes)
FPS=200
WRAP=65536			# packets per camera before the kill: one cycle
POST=3				# seconds of camera after the restart
# Seed 7: the cameras start at sequence 30247 and 16923, so each wraps well
# before the kill, and a gateway that restarts their indexes at ROC 0 lands
# on indexes it already used (keystream reuse shows, not only auth failures).
SEED=7
SINK_PID='' CAM_PID='' DUMP_PID=''

# name source port dest_port ssrc suite key
CAMERAS="\
cam-01 198.18.1.11 5004 6004 0x10000001 AES_CM_128_HMAC_SHA1_80 k80
cam-02 198.18.1.12 5006 6006 0x10000002 AEAD_AES_128_GCM g128"

# The gateway's final counters say why, when it did not get to the end.
e2e_cleanup() {
	local pid
	for pid in $CAM_PID $GW_PID $SINK_PID $DUMP_PID; do kill "$pid" 2>/dev/null; done
	if [[ $E2E_DONE != 1 && -n $GW_PID ]]; then
		wait "$GW_PID" 2>/dev/null
		grep -hE '^(drop|stream cam|state) ' "$T"/gw*.log | sed 's/^/   gw: /'
	fi
}

write_config() {
	local state=''
	key k80 30
	key g128 28
	mkdir -m 700 "$T/state"
	# The durable reservations (issue 12); a generous policer: the test
	# cameras are fast on purpose.
	[[ ${VG_OLD:-0} == 1 ]] || state="state_dir = \"$T/state\"; max_pps = 1000000;"
	cat > "$T/vigie.conf" <<-CONF
	gateway = { engine = "$ENGINE"; summary_interval = 0; $state };
	$(pop_ports)
	centers = ( { name = "ctr"; address = "198.19.0.2";
	              suite = "AES_CM_128_HMAC_SHA1_80"; key_file = "k80.key"; } );
	cameras = (
	  { name = "cam-01"; source = "198.18.1.11"; port = 5004; center = "ctr";
	    dest_port = 6004; ssrc = 0x10000001; },
	  { name = "cam-02"; source = "198.18.1.12"; port = 5006; center = "ctr";
	    dest_port = 6006; ssrc = 0x10000002;
	    suite = "AEAD_AES_128_GCM"; key_file = "g128.key"; }
	);
	CONF
}

# start_gateway LOG: the same command line every time, on one state
# directory (named by the config and, for a vg_start_gw that passes
# --state-dir, by VG_STATE_DIR too).
start_gateway() {
	: > "$T/$1"		# there before vg_start_gw looks into it
	VG_STATE_DIR=$T/state vg_start_gw "$GW" "$P-gw" "$T/vigie.conf" "$T/$1"
}

# check_engine LOG: the gateway runs the engine asked for (no fallback).
check_engine() {
	grep -q "streams, engine $ENGINE," "$T/$1" && ok "$1: engine $ENGINE" ||
		fail "$1: not engine $ENGINE: $(grep -E 'engine|falling back' "$T/$1")"
}

# captured PORT: RTP packets to the center's PORT in the capture so far.
captured() {
	python3 tests/e2e/pkt.py count "$T/bb.pcap" |
		awk -v p="$1" '$1 == "198.19.0.1" && $2 == p { n = $3 } END { print n + 0 }'
}

# wait_captured N SECONDS: until every camera has N packets in the capture.
wait_captured() {
	local i a b
	for ((i = 0; i < $2; i++)); do
		a=$(captured 6004) b=$(captured 6006)
		[[ $a -ge $1 && $b -ge $1 ]] && return 0
		sleep 1
	done
	echo "capture: cam-01 $a, cam-02 $b packets after $2 s, want $1" >&2
	return 1
}

# The receivers first: every packet the gateway sends toward the center
# (its own SRTCP included) is both captured and seen by the sink.
start_receivers() {
	local i
	ip netns exec "$CTR" tcpdump -Z root -i ctr0 -Q in -B 16384 -s 0 -U -w "$T/bb.pcap" \
		udp and src host 198.19.0.1 2> "$T/tcpdump.log" &
	DUMP_PID=$!
	ip netns exec "$CTR" "$BUILD/vigie-sink" -l 0 --in-memory --no-pci --file-prefix "$P-sink" \
		--log-level=3 -- --config "$T/vigie.conf" --center ctr \
		--port net_af_packet0,iface=ctr0 --max-loss 50 --quiet --json "$T/sink.json" \
		> "$T/sink.log" 2>&1 &
	SINK_PID=$!
	for ((i = 0; i < 50; i++)); do
		grep -q 'listening on' "$T/tcpdump.log" && grep -q '^vigie-sink: center' "$T/sink.log" &&
			return 0
		sleep 0.1
	done
	cat "$T/tcpdump.log" "$T/sink.log"
	return 1
}

start_camera() {
	# Payload 160 bytes (--size 200), one IDR frame the size of the others:
	# a steady ~$PPS packets/s per camera, no burst for the af_packet rings.
	ip netns exec "$CAM" "$BUILD/vigie-camgen" -l 0 --in-memory --no-pci --file-prefix "$P-cam" \
		--log-level=3 -- --config "$T/vigie.conf" --port net_af_packet0,iface=cam0 \
		--size 200 --fps "$FPS" --gop "$FPS" --iframe-weight 1 \
		--bitrate $((PPS * 160 * 8)) --rtcp-interval 1 --duration 120 --seed "$SEED" \
		--json "$T/camgen.json" > "$T/camgen.log" 2>&1 &
	CAM_PID=$!
}

# The kill: SIGKILL (no shutdown code runs, as in a crash or a power cut)
# at a random moment, then the same command line again.
kill_restart() {
	local delay=$((RANDOM % 4000)) t1 rc=0
	sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
	kill -KILL "$GW_PID"
	KILLED=$(date +%s.%N)
	wait "$GW_PID" 2>/dev/null || rc=$?	# no "Killed" job notice
	GW_PID=
	start_gateway gw2.log
	t1=$(date +%s.%N)
	check_engine gw2.log
	UP=$(awk -v a="$KILLED" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	[[ $rc -eq 137 ]] &&
		ok "vigie-gw killed by SIGKILL (status $rc), a random $delay ms after both streams passed $WRAP packets" ||
		fail "vigie-gw status $rc on SIGKILL"
	echo "   restarted: worker up ${UP} s after the kill"
}

# The camera, then the gateway, then its receivers.
stop_traffic() {
	local rc=0
	kill -INT "$CAM_PID"; wait "$CAM_PID" || rc=$?; CAM_PID=
	cat "$T/camgen.log"
	[[ $rc -eq 0 ]] && ok "camgen exit 0" || fail "camgen exit $rc"
	sleep 1
	rc=0; kill -INT "$GW_PID"; wait "$GW_PID" || rc=$?; GW_PID=
	[[ $rc -eq 0 ]] && ok "restarted vigie-gw exit 0" || fail "restarted vigie-gw exit $rc"
	grep -q '^mempool [0-9]*/[0-9]* ok' "$T/gw2.log" &&
		ok "restarted vigie-gw: every mbuf returned" || fail "restarted vigie-gw: mempool"
	sleep 0.5
	kill -INT "$SINK_PID"; rc=0; wait "$SINK_PID" || rc=$?; SINK_PID=
	[[ -s $T/sink.json ]] && ok "vigie-sink stopped and wrote its report (exit $rc)" ||
		fail "vigie-sink exit $rc, no report: $(tail -n 3 "$T/sink.log")"
	kill -INT "$DUMP_PID"; wait "$DUMP_PID" || true; DUMP_PID=
	grep -E 'captured|dropped by kernel' "$T/tcpdump.log" | sed 's/^/   tcpdump: /'
}

run() {
	pretty "camgen -> vigie-gw ($ENGINE) -> vigie-sink + tcpdump, 2 cameras at $PPS pkt/s"
	scripts/netns.sh up "$P" bench >/dev/null
	start_receivers
	start_gateway gw1.log
	check_engine gw1.log
	start_camera
	wait_captured $((WRAP + 200)) 40
	pretty "Both streams wrapped: SIGKILL at a random moment, restart"
	kill_restart
	sleep "$POST"
	pretty "Stop"
	stop_traffic
}

# The checker's verdict lines, each counted as an assertion.
check_capture() {
	local streams=() name dport ssrc suite key rc=0 v msg
	while read -r name _ _ dport ssrc suite key; do
		streams+=("$name,$suite,$T/$key.key,$ssrc,198.19.0.1,$dport,$((dport + 1))")
	done <<< "$CAMERAS"
	pretty "The capture, read by an RFC 3711 receiver that stayed up (srtp_check.py)"
	SRTP_CHECK_JSON=$T/check.json python3 tests/e2e/srtp_check.py "$T/bb.pcap" "$KILLED" \
		"${streams[@]}" > "$T/check.txt" || rc=$?
	while read -r v msg; do
		if [[ $v == -- ]]; then echo "   $msg"; continue; fi
		[[ $v == ok ]] && ok "$msg" || fail "$msg"
	done < "$T/check.txt"
	[[ $rc -le 1 && -s $T/check.json ]] && ok "srtp_check.py ran to its end" ||
		fail "srtp_check.py exit $rc"
}

# sink NAME FIELD...: the sum of those counters of the sink's stream NAME.
sink() {
	local name=$1; shift
	json "$T/sink.json" "sum(s[k] for s in d['streams'] if s['name'] == '$name' for k in '$*'.split())"
}

# vigie-sink (libsrtp) stayed up across the restart: it decrypted exactly
# the packets on the wire, the ones after the restart included.
check_sink() {
	local name got want n after
	pretty "vigie-sink (libsrtp), up across the restart"
	sed -n '/^stream \|^cam-0\|^total /p' "$T/sink.log"
	for name in cam-01 cam-02; do
		n=$(sink "$name" auth_fail rtcp_auth_fail replay rtcp_fail error)
		[[ $n -eq 0 ]] && ok "$name: sink had no authentication failure, replay or error" ||
			fail "$name: sink auth_fail+rtcp_auth_fail+replay+rtcp_fail+error = $n"
		got=$(sink "$name" rtp_packets)
		want=$(json "$T/check.json" "d['$name']['srtp']['packets']")
		after=$(json "$T/check.json" "d['$name']['srtp']['after']")
		# The sink is a third busy-polling DPDK process on two cores: its
		# af_packet ring may miss a few packets tcpdump saw (and tcpdump
		# one the sink saw).  0.5 % is far less than what follows the
		# restart (~15 %): a sink that stopped decoding there fails, and
		# nothing it got failed to authenticate (checked above).
		[[ $((got * 1000)) -ge $((want * 995)) && $after -gt 0 ]] &&
			ok "$name: sink decrypted $got of $want captured SRTP packets (>= 99.5 %; $after after the restart)" ||
			fail "$name: sink decrypted $got of $want captured SRTP packets ($after after the restart)"
		got=$(sink "$name" rtcp_ok)
		want=$(json "$T/check.json" "d['$name']['srtcp']['packets']")
		[[ $got -le $((want + 1)) && $got -ge $((want - 1)) && $want -gt 0 ]] &&
			ok "$name: sink authenticated $got of $want captured SRTCP packets (one either way may be missed)" ||
			fail "$name: sink authenticated $got of $want captured SRTCP packets"
	done
}

# The state directory holds the reservations and no key (DESIGN invariant 4).
check_state() {
	local n
	n=$(find "$T/state" -type f | wc -l)
	[[ $n -gt 0 ]] && ok "state directory holds $n file(s): $(find "$T/state" -type f -printf '%P ')" ||
		fail "state directory $T/state is empty"
	n=$(python3 - "$T/state" "$T/k80.key" "$T/g128.key" <<-'PY'
	import base64, os, sys
	keys = []
	for k in sys.argv[2:]:
	    b64 = open(k).read().split("inline:")[1].split()[0]
	    raw = base64.b64decode(b64)
	    keys += [raw[:16], raw[16:], b64.encode(), raw.hex().encode(), raw.hex().upper().encode()]
	hits = 0
	for d, _, files in os.walk(sys.argv[1]):
	    for f in files:
	        data = open(os.path.join(d, f), "rb").read()
	        hits += sum(k in data for k in keys)
	print(hits)
	PY
	)
	[[ $n -eq 0 ]] && ok "no key, salt or key file text in the state directory" ||
		fail "$n key fragments in the state directory"
}

write_config
run
check_capture
check_sink
check_state
e2e_done
