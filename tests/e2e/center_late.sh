#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# shellcheck disable=SC2015 # "[[ ]] && ok || fail": ok never fails
# e2e-engines: cryptodev libsrtp
# shellcheck disable=SC2034,SC2154 # counters read into names made by printf -v
# Vigie end-to-end: receivers that recover by themselves (DESIGN invariants
# 3, 6 and 8; issue 12, tests "Center late and restarted" and "Forgery").
#
#   [ns $P-cam]        [ns $P-gw]                [ns $P-ctr]                  [ns $P-vms]
#   ffmpeg x2 ── cam0 ─ vg-acc PoP vigie-gw vg-bb ─ ctr0 center vigie-gw vms-lan ─ vms0
#   198.18.1.11-12      198.18.1.1  198.19.0.1   198.19.0.2   198.19.200.1     198.19.200.10
#   cam-01 AES_CM_128_HMAC_SHA1_80 → :6004 → unprotect → 198.19.200.10:5004 (ffmpeg, RTP)
#   cam-02 AEAD_AES_128_GCM        → :6006 → unprotect → 198.19.200.10:5006 (ffmpeg, RTP)
#   tcpdump: cam0 (frames sent), ctr0 (the backbone), vms0 (what the VMS got)
#
# The PoP's state directory is pre-seeded (tests/e2e/state.py, the format of
# gateway/core/state.h) so that its streams are already old when the test starts:
# cam-01 continues at ROC 5, cam-02 a few seconds short of the next 2^16
# boundary.  Both gateways run ENGINE.  One timeline, five cases:
#  1. Late center: the PoP streams for 4 s, then the center gateway
#     starts for the first time (empty state directory) with the VMS.  Its
#     receivers start at ROC 0, so the stream's first packets fail, until
#     the PoP's authenticated ROC announcement (SRTCP APP "VGRC", once a
#     second) resumes them.  Checked: the VMS decodes >= 95 % of the frames
#     sent from 2 s after the center is up; few auth-fail (packets before
#     the first announcement); each route counts "resumed" and its receive
#     index (telemetry, and the state directory) is at ROC 5; one
#     announcement a second on the backbone, none reaching the VMS.
#  2. Center SIGKILLed just before cam-02 crosses its 2^16 boundary,
#     restarted once it crossed: it resumes from its own state directory,
#     with no auth-fail, and the VMS decodes >= 95 % of the frames sent
#     from 2 s after it is back up.  Nothing is accepted twice: no RTP
#     packet appears twice in the VMS's capture of the whole run.
#  3. Forgery at the center, from the PoP's namespace with the PoP's
#     addresses and ports: SRTP with a right header and a random tag,
#     replays of captured genuine SRTP and SRTCP (announcements included),
#     SRTP with random sequence numbers, SRTCP with random indexes holding
#     a ROC announcement 2^40 ahead.  Checked: every one refused (auth-fail
#     or replay), the video goes on (>= 95 %), the receive index trails the
#     PoP's right after, and at the end the center's saved receive index is
#     exactly the PoP's next index: nothing forged moved it.
#  4. Spoofing at the PoP, from the camera's address and port: an SSRC
#     change to sequence 40,000 and jumps of 2^14, 2^15 and 2^16 - 1 on
#     cam-01, a flood of 10,000 packets at 20,000 pkt/s on cam-02
#     (max_pps 2000 there).  Checked: the PoP counts seq-jumps,
#     ssrc-changes and policed, the center no auth-fail at all in this
#     case (its receivers stayed in sync), and the VMS goes on decoding
#     (cam-01 through the spoofing, cam-02 from 2 s after the flood).
#  5. The PoP gateway SIGKILLed and restarted while the center stays up:
#     the PoP continues above every index it used, the center follows the
#     jump with no auth-fail, and the VMS decodes >= 95 % of the frames
#     sent from 2 s after the PoP is back.
#
# usage: center_late.sh [ENGINE]   (both gateways; cryptodev default)
# The PoP announces every 500 ms (a late center resumes within 0.5 s, then
# waits for a key frame: -g 25 is one a second; at 1 s, the default, the
# 2 s of the issue's criterion leave ffmpeg no margin).
# VG_ROC_ANNOUNCE_MS=0 turns the PoP's announcements off (a mutation check:
# case 1 must then fail).  E2E_KEEP=1 keeps $T; E2E_SECONDS sets the length
# of each decoding window (5).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ENGINE=${1:-cryptodev}
e2e_begin "center_late/$ENGINE" vglate vigie-gw
WIN=${E2E_SECONDS:-5}		# seconds of each decoding window
LATE=4				# seconds the PoP streams before the center starts
ROC1=5				# cam-01 starts at ROC 5 ...
IDX1=$((ROC1 * 65536 + 1000))
B2=$((6 * 65536))		# ... cam-02 this far below ROC 6:
LEAD2=${VG_LEAD2:-750}		# packets: ~18 s of a camera (~40 pkt/s)
NBAD=20 NREPLAY=40 NRAND=40 NRTCP=10	# forgeries per route (case 3)
FLOOD=10000 FLOOD_PPS=20000	# spoofed flood on cam-02 (case 4)
POP_PID='' CTR_PID='' RECEIVERS='' CAMS='' DUMPS=''

# name source port center-port ssrc suite key
CAMERAS="\
cam-01 198.18.1.11 5004 6004 0x10000001 AES_CM_128_HMAC_SHA1_80 k80
cam-02 198.18.1.12 5006 6006 0x10000002 AEAD_AES_128_GCM g128"

e2e_cleanup() {
	local pid
	for pid in $CAMS $POP_PID $CTR_PID $DUMPS; do kill "$pid" 2>/dev/null; done
	[[ -z $RECEIVERS ]] || scripts/center.sh stop $RECEIVERS
}

now() { date +%s.%N; }

keys() { key k80 30; key g128 28; }

write_configs() {
	cat > "$T/pop.conf" <<-CONF
	gateway = { engine = "$ENGINE"; summary_interval = 0; state_dir = "$T/pop.state";
	            roc_announce_ms = ${VG_ROC_ANNOUNCE_MS:-500}; };
	$(pop_ports)
	centers = ( { name = "ctr"; address = "198.19.0.2";
	              suite = "AES_CM_128_HMAC_SHA1_80"; key_file = "k80.key"; } );
	cameras = (
	  { name = "cam-01"; source = "198.18.1.11"; port = 5004; center = "ctr";
	    dest_port = 6004; ssrc = 0x10000001; },
	  { name = "cam-02"; source = "198.18.1.12"; port = 5006; center = "ctr";
	    dest_port = 6006; ssrc = 0x10000002;
	    suite = "AEAD_AES_128_GCM"; key_file = "g128.key";
	    max_pps = 2000; max_burst = 400; }
	);
	CONF
	center_conf "$T/center.conf"
}

# The PoP's streams, old already: records of the documented format, written
# by a reader of the format that is not the gateway's code.
seed_state() {
	local out
	pretty "Pre-seeded PoP state: cam-01 at index $IDX1 (ROC $ROC1), cam-02 at $((B2 - LEAD2))"
	python3 tests/e2e/state.py write "$T/pop.state" \
		"tx:AES_CM_128_HMAC_SHA1_80:$T/k80.key:0x10000001:$IDX1:4000" \
		"tx:AEAD_AES_128_GCM:$T/g128.key:0x10000002:$((B2 - LEAD2)):4000"
	out=$("$BUILD/vigie-gw" --check-config "$T/pop.conf" 2>&1) || true
	echo "$out" | sed 's/^/   /'
	grep -q ': 2 protect streams continue above their reserved indexes, 0 start fresh' <<< "$out" &&
		ok "--check-config: both camera streams continue above the seeded reservations" ||
		fail "--check-config does not see the seeded records"
}

# dump NS IFACE in|out FILE FILTER...: a capture for the whole run.
dump() {
	local ns=$1 ifc=$2 dir=$3 f=$4; shift 4
	ip netns exec "$ns" tcpdump -Z root -i "$ifc" -Q "$dir" -B 8192 -s 0 -U -w "$T/$f" "$@" \
		2>"$T/$f.log" &
	DUMPS+=" $!"
}

# start_pop LOG: the PoP gateway on its state directory.
start_pop() {
	: > "$T/$1"
	vg_start_gw "$GW" "$GW" "$T/pop.conf" "$T/$1"; POP_PID=$GW_PID GW_PID=
	grep -q 'state .*: 2 protect streams continue' "$T/$1" &&
		ok "$1: the PoP gateway continues both streams from its state" ||
		fail "$1: $(grep 'vigie: state' "$T/$1" || echo 'no state line')"
}

start_cameras() {
	local name src port
	while read -r name src port _; do
		ip netns exec "$CAM" scripts/camera.sh send "$name" "$src" 198.18.1.1 "$port" \
			120 "$T" &
		CAMS+=" $!"
	done <<< "$CAMERAS"
}

start_vms() {
	local name port
	for name in cam-01:5004 cam-02:5006; do
		port=${name#*:} name=${name%:*}
		ip netns exec "$VMS" scripts/center.sh recv "$name" RTP - 198.19.200.1 \
			"$port" $((port + 1)) 0 "$T" &
		RECEIVERS+=" $!"
	done
}

# start_center LOG: the center gateway, its state in $T/center.state.
start_center() {
	: > "$T/$1"
	vg_start_gw "$CTR" "$CTR" "$T/center.conf" "$T/$1"; CTR_PID=$GW_PID GW_PID=
	grep -q "streams, engine $ENGINE," "$T/$1" || fail "$1: not engine $ENGINE"
}

decoded() { scripts/center.sh decoded "$1" "$T"; }
# The VMS's frame tally (ffmpeg framecrc): a line a decoded frame, its pts
# in frames (1/25 s, from the RTP timestamps: a gap where frames are lost).
pts() { awk -F', *' '!/^#/ { p = $2 } END { print p + 0 }' "$T/$1.frames" 2>/dev/null || echo 0; }
slots() {			# slots NAME LO HI: decoded frames with LO < pts <= HI
	awk -F', *' -v lo="$2" -v hi="$3" '!/^#/ && $2 > lo && $2 <= hi { n++ } END { print n + 0 }' \
		"$T/$1.frames" 2>/dev/null || echo 0
}

# mark NAME: the time, each camera's decoded count and newest decoded pts,
# as NAME_T, NAME_01, NAME_p01...
mark() {
	local n
	printf -v "${1}_T" '%s' "$(now)"
	for n in 01 02; do
		printf -v "${1}_$n" '%s' "$(decoded "cam-$n")"
		printf -v "${1}_p$n" '%s' "$(pts "cam-$n")"
	done
}

# show TAG TEXT: the counters route_tel read.
show() {
	local n f line
	for n in 01 02; do
		line=
		for f in rtp auth replay announced resumed rx; do
			f=${1}_${f}_$n
			line+=" ${f#"${1}"_} ${!f}"
		done
		echo "   $2: cam-$n${line//_$n/}"
	done
}

# route_tel TAG: the center's counters of both routes now, as
# TAG_{auth,replay,rtp,announced,resumed,rx}_{01,02}.
route_tel() {
	local n f
	for n in 01 02; do
		for f in auth_fail replay rtp announced resumed rx_next; do
			printf -v "${1}_${f%%_*}_$n" '%s' "$(tel "$CTR" "/vigie/streams,cam-$n" "$f")"
		done
	done
}

pop_index() { tel "$GW" "/vigie/streams,$1" next_index; }

# wait_index NAME MIN SECONDS: until the PoP's NAME reaches index MIN.
wait_index() {
	local i x
	for ((i = 0; i < $3 * 4; i++)); do
		x=$(pop_index "$1")
		[[ -n $x && $x -ge $2 ]] && { echo "$x"; return 0; }
		sleep 0.2
	done
	echo "${x:-0}"
	return 1
}

# window CASE NAME FROM TO: the VMS decoded >= 95 % of the frames the
# camera sent between marks FROM and TO (frames: RTP marker bits on cam0).
# Counted twice: frames the VMS decoded between the marks (which may hold
# frames sent before FROM: ffmpeg decodes the second it spent probing the
# stream in one go), and, of the last N frame slots (pts) it decoded by TO,
# N the frames sent, those it decoded.
window() {
	local c=$1 name=$2 n=${2#cam-} t0 t1 d0 d1 p1 sent dec got src port
	t0=${3}_T t1=${4}_T d0=${3}_$n d1=${4}_$n p1=${4}_p$n
	read -r _ src port _ < <(grep "^$name " <<< "$CAMERAS")
	read -r sent _ < <(python3 tests/e2e/forge.py frames "$T/cam.pcap" "$src" "$port" \
		"${!t0}" "${!t1}")
	dec=$((${!d1} - ${!d0}))
	got=$(slots "$name" $((${!p1} - sent)) "${!p1}")
	[[ $sent -ge $((WIN * 20)) && $((dec * 100)) -ge $((sent * 95)) &&
	   $((got * 100)) -ge $((sent * 95)) ]] &&
		ok "case $c: $name: the VMS decoded $got of the $sent frames sent in the window ($dec frames out)" ||
		fail "case $c: $name: the VMS decoded $got of the $sent frames sent in the window ($dec frames out)"
}

case1() {
	pretty "Case 1: PoP streaming for $LATE s; the center gateway starts late (fresh state)"
	sleep "$LATE"
	start_vms
	start_center center1.log
	mark UP1
	sleep 2
	mark A1
	sleep "$WIN"
	mark B1
	route_tel C1
	show C1 "center $((WIN + 2)) s after its start"
	mkdir -m 700 "$T/center1.state"	# what it saved by now (every second)
	cp "$T/center.state/vigie.state" "$T/center1.state/" 2>/dev/null || true
}

# Case 2: the kill just before cam-02's boundary, the restart once past it.
case2() {
	local rc=0 m=80
	pretty "Case 2: the center gateway SIGKILLed, cam-02 crosses ROC 6 while it is down"
	KILL_IDX=$(wait_index cam-02 $((B2 - m)) 30) ||
		fail "case 2: cam-02 did not come within $m of $B2 in 30 s (index $KILL_IDX)"
	kill -KILL "$CTR_PID"; { wait "$CTR_PID"; } 2>/dev/null || rc=$?; CTR_PID=
	[[ $rc -eq 137 ]] && ok "case 2: center gateway killed (SIGKILL) at cam-02 index $KILL_IDX" ||
		fail "case 2: center gateway status $rc on SIGKILL"
	wait_index cam-02 $((B2 + 2)) 10 >/dev/null || true
	start_center center2.log
	mark UP2
	RESTART_IDX=$(pop_index cam-02)
	[[ $KILL_IDX -lt $B2 && $RESTART_IDX -gt $B2 ]] &&
		ok "case 2: cam-02 crossed 2^16 x 6 while the center was down ($KILL_IDX -> $RESTART_IDX)" ||
		fail "case 2: cam-02 at $KILL_IDX at the kill, $RESTART_IDX at the restart (boundary $B2)"
	sleep 2
	mark A2
	sleep "$WIN"
	mark B2
	route_tel C2
}

case3() {
	local port out
	pretty "Case 3: forgeries at the center, from the PoP's namespace"
	mark A3
	for port in 6004 6006; do
		out=$(ip netns exec "$GW" python3 tests/e2e/forge.py center vg-bb "$T/bb.pcap" "$port" \
			"$NBAD" "$NREPLAY" "$NRAND" "$NRTCP")
		echo "   :$port $out"
		printf -v "SENT3_$port" '%s' "$(awk '{ s = 0; for (i = 2; i <= NF; i += 2) s += $i; print s }' <<< "$out")"
		printf -v "REPLAYED3_$port" '%s' "$(awk '{ print $4 }' <<< "$out")"
	done
	sleep "$WIN"
	mark B3
	route_tel C3
	P3_01=$(pop_index cam-01) P3_02=$(pop_index cam-02)
}

case4() {
	local out
	pretty "Case 4: spoofing at the PoP, from the cameras' addresses"
	mark A4
	out=$(ip netns exec "$CAM" python3 tests/e2e/forge.py camera cam0 198.18.1.11 5004)
	echo "   cam-01: $out (SSRC change to 40000, jumps 2^14, 2^15, 2^16-1)"
	out=$(ip netns exec "$CAM" python3 tests/e2e/forge.py flood 198.18.1.12 198.18.1.1 5006 \
		"$FLOOD" "$FLOOD_PPS")
	echo "   cam-02: $out"
	mark F4
	sleep 2
	mark A4b
	sleep "$WIN"
	mark B4
}

# Case 5: the PoP SIGKILLed and restarted while the center stays up: the
# center follows the jump (< 2^15) with no auth-fail and the VMS goes on.
# Case 4's PoP counters are read first: the killed process prints none.
case5() {
	local rc=0 n
	pretty "Case 5: the PoP gateway SIGKILLed and restarted; the center stays up"
	P4_jumps=$(tel "$GW" /vigie/streams,cam-01 seq_jumps)
	P4_changes=$(tel "$GW" /vigie/streams,cam-01 ssrc_changes)
	P4_pol01=$(tel "$GW" /vigie/streams,cam-01 policed)
	P4_pol02=$(tel "$GW" /vigie/streams,cam-02 policed)
	P4_drop=$(tel "$GW" /vigie/drops policed)
	route_tel K5
	KILL5=$(pop_index cam-01)
	kill -KILL "$POP_PID"; { wait "$POP_PID"; } 2>/dev/null || rc=$?; POP_PID=
	[[ $rc -eq 137 ]] && ok "case 5: PoP gateway killed (SIGKILL) at cam-01 index $KILL5" ||
		fail "case 5: PoP gateway status $rc on SIGKILL"
	start_pop pop2.log
	mark UP5
	sleep 2
	mark A5
	sleep "$WIN"
	mark B5
	route_tel C5
	for n in 01 02; do
		v=C5_auth_$n w=K5_auth_$n
		[[ $((${!v} - ${!w})) -eq 0 ]] &&
			ok "case 5: center cam-$n: no auth-fail across the PoP's restart (it followed the jump)" ||
			fail "case 5: center cam-$n: $((${!v} - ${!w})) auth-fail across the PoP's restart"
	done
	RESTART5=$(pop_index cam-01)
	[[ $RESTART5 -gt $KILL5 ]] && ok "case 5: cam-01 continues above its index ($KILL5 -> $RESTART5)" ||
		fail "case 5: cam-01 at $KILL5 at the kill, $RESTART5 after the restart"
}

stop_all() {
	local rc=0 pid
	pretty "Stop"
	for pid in $CAMS; do kill -INT "$pid" 2>/dev/null || true; done
	wait $CAMS || true; CAMS=
	sleep 1
	scripts/center.sh stop $RECEIVERS; wait $RECEIVERS || true; RECEIVERS=
	kill -INT "$CTR_PID"; wait "$CTR_PID" || rc=$?; CTR_PID=
	[[ $rc -eq 0 ]] && ok "restarted center gateway exit 0" || fail "center gateway exit $rc"
	rc=0; kill -INT "$POP_PID"; wait "$POP_PID" || rc=$?; POP_PID=
	[[ $rc -eq 0 ]] && ok "PoP gateway exit 0" || fail "PoP gateway exit $rc"
	sleep 0.5
	for pid in $DUMPS; do kill -INT "$pid" 2>/dev/null || true; done
	wait $DUMPS || true; DUMPS=
	grep -h '^stream cam\|^drop ' "$T/pop2.log" | sed 's/^/   pop: /'
	grep -h '^stream cam\|^drop ' "$T/center2.log" | sed 's/^/   center: /'
}

check1() {
	local n name pps v w ann vms secs
	pretty "Checks, case 1: the center started late"
	window 1 cam-01 A1 B1
	window 1 cam-02 A1 B1
	for n in 01 02; do
		name=cam-$n
		read -r _ pps < <(python3 tests/e2e/forge.py frames "$T/cam.pcap" \
			"198.18.1.$((10 + 10#$n))" "$(awk -v c=$name '$1 == c { print $3 }' <<< "$CAMERAS")" \
			"$UP1_T" "$B1_T")
		pps=$(awk -v p="$pps" -v a="$UP1_T" -v b="$B1_T" 'BEGIN { printf "%d", p / (b - a) + 1 }')
		v=C1_auth_$n
		# Before the first announcement (<= 1 s, plus the ARP of the
		# first packets): at most 2 s of the camera's packets.
		[[ -n ${!v} && ${!v} -le $((2 * pps)) ]] &&
			ok "case 1: $name: auth-fail ${!v} at the late center (<= 2 s of packets at $pps pkt/s)" ||
			fail "case 1: $name: auth-fail '${!v}' at the late center (camera at $pps pkt/s)"
		v=C1_resumed_$n w=C1_announced_$n
		[[ ${!v:-0} -ge 1 ]] && ok "case 1: $name: the late center's receiver resumed by announcement (resumed ${!v}, announced ${!w})" ||
			fail "case 1: $name: resumed '${!v}', announced '${!w}' at the late center"
		v=C1_rx_$n
		[[ -n ${!v} && ${!v} -gt $IDX1 ]] && ok "case 1: $name: receive index ${!v} (ROC $(((${!v} - 1) >> 16)))" ||
			fail "case 1: $name: receive index '${!v}', want ROC >= $ROC1"
	done
	v=$(python3 tests/e2e/state.py read "$T/center1.state" \
		"rx:AES_CM_128_HMAC_SHA1_80:$T/k80.key:0x10000001" 2>/dev/null | awk '{ print $1 }')
	[[ -n $v && $v != none && $v -gt $IDX1 ]] &&
		ok "case 1: the late center saved cam-01's receive index $v (ROC $((v >> 16))) in its state directory" ||
		fail "case 1: the late center's saved cam-01 index: '${v:-no state file}' (want > $IDX1)"
	# One announcement per stream every 500 ms (gateway.roc_announce_ms).
	secs=$(awk -v a="$A1_T" -v b="$B1_T" 'BEGIN { printf "%.0f", b - a }')
	ann=$(python3 tests/e2e/forge.py announcements "$T/bb.pcap" 6005 "$A1_T" "$B1_T")
	[[ $ann -ge $((2 * secs - 1)) && $ann -le $((2 * secs + 1)) ]] &&
		ok "case 1: $ann ROC announcements of cam-01 on the backbone in $secs s" ||
		fail "case 1: $ann ROC announcements of cam-01 on the backbone in $secs s (two a second)"
	vms=$(python3 tests/e2e/forge.py vms "$T/vms.pcap" | awk '$1 == "vgrc" { print $2 }')
	[[ $vms -eq 0 ]] && ok "case 1: no announcement passed on to the VMS" ||
		fail "case 1: $vms announcements reached the VMS"
}

check2() {
	local n v
	pretty "Checks, case 2: the center SIGKILLed and restarted"
	grep -q 'vigie: state .*center.state' "$T/center2.log" &&
		ok "case 2: the restarted center read its state directory" ||
		fail "case 2: no state line in center2.log"
	window 2 cam-01 A2 B2
	window 2 cam-02 A2 B2
	for n in 01 02; do
		v=C2_auth_$n
		[[ ${!v} == 0 ]] && ok "case 2: cam-$n: no auth-fail after the restart (resumed from its state)" ||
			fail "case 2: cam-$n: auth-fail '${!v}' after the restart"
	done
	python3 tests/e2e/forge.py vms "$T/vms.pcap" > "$T/vms.txt"
	for n in 5004 5006; do
		v=$(awk -v p=$n '$1 == p { print $5 }' "$T/vms.txt")
		[[ $v == 0 ]] && ok "case 2: VMS port $n: no RTP packet delivered twice ($(awk -v p=$n '$1 == p { print $3 }' "$T/vms.txt") packets)" ||
			fail "case 2: VMS port $n: '${v}' RTP packets delivered twice"
	done
}

check3() {
	local n port want got idx rx a r
	pretty "Checks, case 3: forgeries at the center"
	window 3 cam-01 A3 B3
	window 3 cam-02 A3 B3
	for n in 01 02; do
		port=$((6002 + 2 * 10#$n))
		want=SENT3_$port
		a=C3_auth_$n r=C2_auth_$n
		a=$((${!a:-0} - ${!r:-0}))
		r=C3_replay_$n got=C2_replay_$n
		r=$((${!r:-0} - ${!got:-0}))
		[[ $a -ge $NBAD && $((a + r)) -ge ${!want} ]] &&
			ok "case 3: cam-$n: all ${!want} forged and replayed packets refused (auth-fail $a, replay $r)" ||
			fail "case 3: cam-$n: ${!want} forged/replayed, auth-fail $a, replay $r"
		got=REPLAYED3_$port
		[[ $r -ge ${!got} ]] && ok "case 3: cam-$n: replay $r >= ${!got} captured SRTP packets sent again" ||
			fail "case 3: cam-$n: replay $r < ${!got} replayed"
		a=C3_rx_$n r=P3_$n
		[[ -n ${!a} && -n ${!r} && ${!a} -le ${!r} && ${!a} -gt $((${!r} - 500)) ]] &&
			ok "case 3: cam-$n: after the forgeries the center's receive index ${!a} trails the PoP's ${!r}" ||
			fail "case 3: cam-$n: after the forgeries the center's receive index '${!a}', the PoP's '${!r}'"
	done
	for n in 01:AES_CM_128_HMAC_SHA1_80:k80 02:AEAD_AES_128_GCM:g128; do
		IFS=: read -r n a r <<< "$n"
		idx=$(counter "$T/pop2.log" "stream cam-$n " next-index)
		rx=$(python3 tests/e2e/state.py read "$T/center.state" \
			"rx:$a:$T/$r.key:0x1000000${n#0}" | awk '{ print $1 }')
		[[ $idx -gt 0 && $rx == "$idx" ]] &&
			ok "case 3: cam-$n: the center's saved receive index $rx is the PoP's next index: nothing forged moved it" ||
			fail "case 3: cam-$n: the center saved index '$rx', the PoP's next index is $idx"
	done
}

check4() {
	local v a n
	pretty "Checks, case 4: spoofing at the PoP"
	window 4 cam-01 A4 B4
	window 4 cam-02 A4b B4
	# Read by telemetry before case 5 killed that PoP process.
	v=${P4_jumps:-0}
	[[ $v -ge 2 ]] && ok "case 4: PoP cam-01: seq-jumps $v" || fail "case 4: PoP cam-01: seq-jumps $v"
	v=${P4_changes:-0}
	[[ $v -ge 2 ]] && ok "case 4: PoP cam-01: ssrc-changes $v" || fail "case 4: PoP cam-01: ssrc-changes $v"
	v=${P4_pol01:-0}
	[[ $v -eq 0 ]] && ok "case 4: PoP cam-01: policed 0" || fail "case 4: PoP cam-01: policed $v"
	v=${P4_pol02:-0}
	a=${P4_drop:-0}
	[[ $v -ge $((FLOOD / 2)) && $v -le $FLOOD && $a -eq $v ]] &&
		ok "case 4: PoP cam-02: policed $v of the $FLOOD flood packets (drop policed $a)" ||
		fail "case 4: PoP cam-02: policed $v, drop policed $a, flood $FLOOD"
	for n in 01 02; do
		a=$(counter "$T/center2.log" "stream cam-$n " auth-fail)
		v=C3_auth_$n
		a=$((a - ${!v:-0}))
		[[ $a -eq 0 ]] && ok "case 4: center cam-$n: no auth-fail after the spoofing (in sync)" ||
			fail "case 4: center cam-$n: $a auth-fail after the spoofing"
	done
	for v in pop2 center2; do
		grep -q '^mempool [0-9]*/[0-9]* ok' "$T/$v.log" &&
			ok "$v gateway: every mbuf returned" || fail "$v gateway: mempool"
	done
}

check5() {
	pretty "Checks, case 5: the PoP restarted under the center"
	window 5 cam-01 A5 B5
	window 5 cam-02 A5 B5
}

pretty "Engine $ENGINE (both gateways); topology $P, files in $T"
keys
write_configs
seed_state
center_topology
start_pop pop.log
dump "$CAM" cam0 out cam.pcap udp and src net 198.18.1.0/24
dump "$CTR" ctr0 in bb.pcap udp and src host 198.19.0.1
dump "$VMS" vms0 in vms.pcap udp
sleep 0.5
start_cameras
case1
case2
case3
case4
case5
stop_all
check1
check2
check3
check4
check5
e2e_done
