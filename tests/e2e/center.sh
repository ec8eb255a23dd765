#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# shellcheck disable=SC2015 # "[[ ]] && ok || fail": ok never fails
# e2e-engines: cryptodev libsrtp
# Vigie end-to-end: both ends of the link.  A PoP gateway protects, a center
# gateway (the same binary, `unprotect` routes) authenticates, decrypts and
# hands plain RTP to the video management system, whose decoder is ffmpeg.
#
#   [ns $P-cam]        [ns $P-gw]                [ns $P-ctr]                  [ns $P-vms]
#   ffmpeg x2 ── cam0 ─ vg-acc PoP vigie-gw vg-bb ─ ctr0 center vigie-gw vms-lan ─ vms0
#   198.18.1.11-12      198.18.1.1  198.19.0.1   198.19.0.2   198.19.200.1     198.19.200.10
#   cam-01 AES_CM_128_HMAC_SHA1_80 → :6004 → unprotect → 198.19.200.10:5004 (ffmpeg, RTP)
#   cam-02 AEAD_AES_128_GCM        → :6006 → unprotect → 198.19.200.10:5006 (ffmpeg, RTP)
#   cam-01, fanned out: also AES_CM_128_HMAC_SHA1_80 under another key and
#   SSRC to a second center, 198.19.0.3:7004 (the kernel of $P-ctr), where
#   ffmpeg decrypts and decodes it from the file `vigie-gw --sdp` wrote.
#   cam-02, fanned out: also to 198.19.0.9, which never answers ARP: its
#   copies are counted no-neighbour, the other destination is not held up.
#
# Checked: the VMS decodes >= 95 % of the frames of each camera, and so does
# the second center from its SDP file (mode 0600); the center
# gateway unprotects every SRTP/SRTCP packet the PoP gateway sent (exact
# counters); SRTP packets altered on the backbone (pkt.py tamper, injected
# from the PoP's namespace) are refused, counted as auth-fail on that stream
# only, and the video goes on; both gateways exit 0 with every mbuf back.
#
# usage: center.sh [ENGINE]   (the center gateway's engine; cryptodev default)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ENGINE=${1:-cryptodev}
e2e_begin "center/$ENGINE" vgctr vigie-gw
SECS=${E2E_SECONDS:-8}
TAMPER=5
POP_PID='' CTR_PID='' RECEIVERS='' CAMDUMP=''

e2e_cleanup() {
	[[ -z $POP_PID ]] || kill "$POP_PID" 2>/dev/null
	[[ -z $CTR_PID ]] || kill "$CTR_PID" 2>/dev/null
	[[ -z $RECEIVERS ]] || scripts/center.sh stop $RECEIVERS
	# A failure keeps what explains it: CI keeps only the console.
	if [[ $FAILED -gt 0 ]]; then
		grep -hE '^(drop|stream) ' "$T/pop.log" "$T/center.log" 2>/dev/null
		tail -3 "$T"/*.recv.log 2>/dev/null
	fi
}

keys() { key k80 30; key g128 28; key second 30; }

write_configs() {
	cat > "$T/pop.conf" <<-CONF
	gateway = { summary_interval = 0; };
	$(pop_ports)
	centers = ( { name = "ctr"; address = "198.19.0.2";
	              suite = "AES_CM_128_HMAC_SHA1_80"; key_file = "k80.key"; },
	            { name = "second"; address = "198.19.0.3";
	              suite = "AES_CM_128_HMAC_SHA1_80"; key_file = "second.key"; },
	            { name = "ghost"; address = "198.19.0.9";
	              suite = "AES_CM_128_HMAC_SHA1_80"; key_file = "second.key"; } );
	cameras = (
	  { name = "cam-01"; source = "198.18.1.11"; port = 5004;
	    destinations = (
	      { center = "ctr"; dest_port = 6004; ssrc = 0x10000001; },
	      { center = "second"; dest_port = 7004; ssrc = 0x30000001; } ); },
	  { name = "cam-02"; source = "198.18.1.12"; port = 5006;
	    destinations = (
	      { center = "ctr"; dest_port = 6006; ssrc = 0x10000002;
	        suite = "AEAD_AES_128_GCM"; key_file = "g128.key"; },
	      { center = "ghost"; dest_port = 9006; ssrc = 0x30000002; } ); }
	);
	CONF
	center_conf "$T/center.conf"
}

# The center topology (lib.sh), and the second center: the kernel of the
# center namespace, beside the center gateway's DPDK port on the same ctr0.
topology() {
	center_topology
	n_ctr ip addr add 198.19.0.3/24 dev ctr0
	n_ctr ethtool -K ctr0 tx off >/dev/null
}

run() {
	local pids='' name port td
	pretty "PoP gateway (cryptodev) -> center gateway ($ENGINE) -> VMS, $SECS s"
	mkdir -m 700 "$T/sdp"
	"$BUILD/vigie-gw" --sdp second --config "$T/pop.conf" --out "$T/sdp" > "$T/sdp.log" 2>&1 ||
		{ cat "$T/sdp.log"; return 1; }
	ip netns exec "$CTR" scripts/center.sh recv-sdp cam-01-second "$T/sdp/cam-01.sdp" "$T" &
	RECEIVERS+=" $!"
	vg_start_gw "$GW" "$GW" "$T/pop.conf" "$T/pop.log"; POP_PID=$GW_PID GW_PID=
	vg_start_gw "$CTR" "$CTR" "$T/center.conf" "$T/center.log"; CTR_PID=$GW_PID GW_PID=
	for name in cam-01:5004 cam-02:5006; do
		port=${name#*:} name=${name%:*}
		# c= the center gateway: ffmpeg's receiver reports go there,
		# and on through the link to the camera (once enough video
		# came: the test sends its own as well).
		ip netns exec "$VMS" scripts/center.sh recv "$name" RTP - 198.19.200.1 \
			"$port" $((port + 1)) 0 "$T" &
		RECEIVERS+=" $!"
	done
	ip netns exec "$CTR" timeout 20 tcpdump -Z root -i ctr0 -c 20 -w "$T/bb.pcap" \
		"udp dst port 6004" 2>/dev/null &
	td=$!
	ip netns exec "$CAM" tcpdump -Z root -i cam0 -U -w "$T/cam.pcap" udp 2>/dev/null &
	CAMDUMP=$!
	sleep 1
	for name in cam-01:198.18.1.11:5004 cam-02:198.18.1.12:5006; do
		IFS=: read -r n src port <<< "$name"
		ip netns exec "$CAM" scripts/camera.sh send "$n" "$src" 198.18.1.1 "$port" \
			"$SECS" "$T" &
		pids+=" $!"
	done
	wait "$td" || true
	sleep 2
	pretty "The VMS asks for key frames: RR + PLI to the center gateway, 5 per camera"
	ip netns exec "$VMS" python3 tests/e2e/pkt.py feedback 198.19.200.10 198.19.200.1 5005 \
		0x10000001 5 >/dev/null
	ip netns exec "$VMS" python3 tests/e2e/pkt.py feedback 198.19.200.10 198.19.200.1 5007 \
		0x10000002 5 >/dev/null
	pretty "Tamper: $TAMPER altered copies of a cam-01 SRTP packet on the backbone"
	ip netns exec "$GW" python3 tests/e2e/pkt.py tamper "$T/bb.pcap" vg-bb 6004 "$TAMPER"
	wait $pids
	sleep 1
	kill -INT "$CAMDUMP"; wait "$CAMDUMP" || true
	scripts/center.sh stop $RECEIVERS; wait $RECEIVERS || true; RECEIVERS=
	local rc=0
	stop_gw "$POP_PID" || rc=$?; POP_PID=
	[[ $rc -eq 0 ]] && ok "PoP gateway exit 0" || fail "PoP gateway exit $rc"
	rc=0; stop_gw "$CTR_PID" || rc=$?; CTR_PID=
	[[ $rc -eq 0 ]] && ok "center gateway exit 0" || fail "center gateway exit $rc"
	sed -n '/final counters/,$p' "$T/center.log" | grep -v CRYPTODEV
}

checks() {
	local name pname sent dec prtp crtp prtcp crtcp n
	pretty "Checks"
	for name in cam-01 cam-02; do
		sent=$(scripts/camera.sh sent "$name" "$T")
		dec=$(scripts/center.sh decoded "$name" "$T")
		[[ $((dec * 100)) -ge $((sent * 95)) && $sent -gt $((SECS * 20)) ]] &&
			ok "$name: the VMS decoded $dec of $sent frames (plain RTP from the center gateway)" ||
			fail "$name: VMS decoded $dec of $sent frames"
		pname=$name@ctr
		prtp=$(counter "$T/pop.log" "stream $pname " rtp)
		crtp=$(counter "$T/center.log" "stream $name " rtp)
		[[ $prtp -gt 0 && $crtp -eq $prtp ]] &&
			ok "$name: center unprotected all $crtp SRTP packets the PoP sent" ||
			fail "$name: PoP sent $prtp SRTP, center unprotected $crtp"
		prtcp=$(counter "$T/pop.log" "stream $pname " rtcp)
		crtcp=$(counter "$T/center.log" "stream $name " rtcp)
		[[ $prtcp -gt 0 && $crtcp -eq $prtcp ]] &&
			ok "$name: center unprotected all $crtcp SRTCP packets" ||
			fail "$name: PoP sent $prtcp SRTCP, center unprotected $crtcp"
	done
	[[ $(stat -c %a "$T/sdp/cam-01.sdp") == 600 ]] && ok "second center's SDP file is mode 0600" ||
		fail "SDP mode $(stat -c %a "$T/sdp/cam-01.sdp")"
	sent=$(scripts/camera.sh sent cam-01 "$T")
	dec=$(scripts/center.sh decoded cam-01-second "$T")
	[[ $((dec * 100)) -ge $((sent * 95)) && $sent -gt $((SECS * 20)) ]] &&
		ok "cam-01 fanned out: the second center decoded $dec of $sent frames from its SDP file" ||
		fail "cam-01 fanned out: second center decoded $dec of $sent frames"
	prtp=$(counter "$T/pop.log" "stream cam-01@second " rtp)
	crtp=$(counter "$T/pop.log" "stream cam-01@ctr " rtp)
	[[ $prtp -gt 0 && $prtp -eq $crtp ]] && ok "PoP: both copies of cam-01 protected ($prtp each)" ||
		fail "PoP: cam-01@ctr $crtp, cam-01@second $prtp"
	n=$(counter "$T/pop.log" "stream cam-02@ghost " drop)
	prtp=$(counter "$T/pop.log" "stream cam-02@ctr " rtp)
	[[ $n -gt 0 && $(awk '$1 == "drop" && $2 == "no-neighbour" { print $3 }' "$T/pop.log") -eq $n ]] &&
		ok "PoP: cam-02's unresolved destination dropped $n copies (no-neighbour), cam-02@ctr sent $prtp" ||
		fail "PoP: cam-02@ghost drop $n"
	n=$(counter "$T/center.log" "stream cam-01 " auth-fail)
	[[ $n -eq $TAMPER ]] && ok "cam-01: $n tampered packets refused (auth-fail)" ||
		fail "cam-01: auth-fail $n, want $TAMPER"
	n=$(counter "$T/center.log" "stream cam-02 " auth-fail)
	[[ $n -eq 0 ]] && ok "cam-02: auth-fail 0" || fail "cam-02: auth-fail $n"
	n=$(awk '$1 == "drop" && $2 == "auth-fail" { print $3 }' "$T/center.log")
	[[ ${n:-0} -eq $TAMPER ]] && ok "center: drop auth-fail $n" || fail "center: drop auth-fail '${n}'"
	# The second center's traffic and ARP share ctr0: not for the gateway.
	n=$(awk '$1 == "drop" && $2 != "auth-fail" && $2 != "not-for-us" && $2 != "arp-other"' \
		"$T/center.log" | tr '\n' ' ')
	[[ -z $n ]] && ok "center: no other drop" || fail "center: other drops: $n"
	for name in pop center; do
		grep -q '^mempool [0-9]*/[0-9]* ok' "$T/$name.log" &&
			ok "$name gateway: every mbuf returned" || fail "$name gateway: mempool"
	done
	n=$(grep -c '^stream cam-0[12] .* unprotect' "$T/center.log" || true)
	[[ $n -eq 2 ]] && ok "center: both routes listed as unprotect streams" ||
		fail "center: $n unprotect stream lines"
	rtcp_checks
}

# The VMS's receiver reports, back through both gateways: on cam0 they are
# plain RTCP from the PoP gateway, valid for tshark, about the camera's own
# SSRC (the PoP rewrote the one it had given the stream).
rtcp_checks() {
	local name src port ssrc n n2 bad
	for name in cam-01:198.18.1.11:5004 cam-02:198.18.1.12:5006; do
		IFS=: read -r name src port <<< "$name"
		ssrc=$(tshark -r "$T/cam.pcap" -d "udp.port==$port,rtp" -Y "ip.src==$src && rtp" \
			-T fields -e rtp.ssrc 2>/dev/null | head -n 1)
		tshark -r "$T/cam.pcap" -d "udp.port==$((port + 1)),rtcp" \
			-Y "ip.src==198.18.1.1 && ip.dst==$src && udp.srcport==$((port + 1))" \
			-T fields -e rtcp.pt -e rtcp.ssrc.identifier -e rtcp.mediassrc \
			-e _ws.malformed -e _ws.expert.severity 2>/dev/null > "$T/$name.rr"
		n=$(grep -c '201,206' "$T/$name.rr" || true)
		bad=$(awk -F'\t' '$4 != "" || $5 != ""' "$T/$name.rr" | wc -l)
		[[ $n -ge 5 && $bad -eq 0 ]] &&
			ok "$name: $n RR + PLI from the VMS reached the camera as valid RTCP" ||
			fail "$name: $n RR + PLI at the camera, $bad malformed"
		n=$(awk -F'\t' -v s="$ssrc" '$1 ~ /201,206/ && $2 == s && $3 == s' "$T/$name.rr" | wc -l)
		[[ -n $ssrc && $n -ge 5 ]] &&
			ok "$name: report block and PLI name the camera's own SSRC $ssrc" ||
			fail "$name: $n RR/PLI about the camera's SSRC '$ssrc'"
	done
	n=$(counter "$T/center.log" "stream feedback:cam-01 " rtcp)
	[[ $n -gt 0 ]] && ok "center: $n VMS RTCP packets protected toward the PoP" ||
		fail "center: no feedback protected"
	n=$(counter "$T/pop.log" "stream feedback:cam-01@ctr " rtcp)
	n2=$(counter "$T/pop.log" "stream feedback:cam-02@ctr " rtcp)
	[[ $n2 -gt 0 ]] || n=0
	[[ $n -gt 0 ]] && ok "PoP: $n SRTCP feedback packets unprotected toward the camera" ||
		fail "PoP: no feedback unprotected"
}

keys
write_configs
topology
run
checks
e2e_done
