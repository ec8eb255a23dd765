#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# shellcheck disable=SC2015 # "[[ ]] && ok || fail": ok never fails
# Vigie end-to-end: the traffic tools, vigie-camgen and vigie-sink.
#
# 1. camgen --pcap, read by tshark (a dissector the project did not write):
#    RTP with the expected SSRCs and unbroken sequence numbers, H.264 FU-A,
#    RTCP SR + SDES, classic pcap, 65,536 packets per stream so that a
#    looping replayer wraps every sequence number cleanly.
#    camgen --flat on a DPDK port (net_null): --packets exact, mbufs back.
# 2. DPDK at both ends, in namespaces (scripts/netns.sh PREFIX bench):
#
#   [ns $P-cam]                  [ns $P-gw]                       [ns $P-ctr]
#   vigie-camgen ─ cam0 ─veth─ vg-acc  vigie-gw  vg-bb ─veth─ ctr0 ─ vigie-sink
#   4 cameras (all 4 suites)   198.18.1.1    198.19.0.1        198.19.0.2
#   198.18.1.11-14, paced                                      libsrtp, JSON
#
#    Paced: the sink's per-stream table matches what camgen says it sent, no
#    loss, no authentication failure, exit 0.  Then SRTP packets altered on
#    the backbone (pkt.py tamper, from the gateway's namespace) are counted
#    as authentication failures and the sink exits 1.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ENGINE=${1:-cryptodev}
e2e_begin tools vgtool vigie-gw vigie-camgen vigie-sink
GW_MAC=02:76:67:00:00:01
SINK_PID=''
SECS=${E2E_SECONDS:-4}
TAMPER=5

e2e_cleanup() { [[ -z $SINK_PID ]] || kill "$SINK_PID" 2>/dev/null; }

write_config() {
	key k80 30; key k32 30; key g128 28; key g256 44
	cat > "$T/vigie.conf" <<-CONF
	gateway = { engine = "${ENGINE:-cryptodev}"; summary_interval = 0; };
	$(pop_ports)
	centers = ( { name = "ctr"; address = "198.19.0.2";
	              suite = "AES_CM_128_HMAC_SHA1_80"; key_file = "k80.key"; } );
	cameras = (
	  { name = "cam-01"; source = "198.18.1.11"; port = 5004; center = "ctr";
	    dest_port = 6004; ssrc = 0x10000001; },
	  { name = "cam-02"; source = "198.18.1.12"; port = 5006; center = "ctr";
	    dest_port = 6006; ssrc = 0x10000002;
	    suite = "AES_CM_128_HMAC_SHA1_32"; key_file = "k32.key"; },
	  { name = "cam-03"; source = "198.18.1.13"; port = 5008; center = "ctr";
	    dest_port = 6008; ssrc = 0x10000003;
	    suite = "AEAD_AES_128_GCM"; key_file = "g128.key"; },
	  { name = "cam-04"; source = "198.18.1.14"; port = 5010; center = "ctr";
	    dest_port = 6010; ssrc = 0x10000004;
	    suite = "AEAD_AES_256_GCM"; key_file = "g256.key"; }
	);
	CONF
}

# ------------------------------------------------------------- 1. pcap --
pcap_checks() {
	local pcap=$T/cams.pcap cap ssrcs want n first last i
	local decode=(-d udp.port==5004,rtp -d udp.port==5006,rtp -d udp.port==5005,rtcp
		      -d udp.port==5007,rtcp -d "rtp.pt==96,h264")
	pretty "camgen --pcap: 2 cameras, 200-byte packets, full sequence cycle"
	"$BUILD/vigie-camgen" --no-huge --no-shconf --no-pci -l 0 --log-level=3 -- \
		--config "$T/vigie.conf" --cameras 2 --pcap "$pcap" --gw-mac "$GW_MAC" \
		--size 200 --bitrate 400k --json "$T/pcap.json" --quiet > "$T/pcap.log"
	cat "$T/pcap.log"
	cap=$(capinfos -t "$pcap" | sed -n 's/^File type: *//p')
	[[ $cap == *pcap* && $cap != *pcapng* ]] && ok "classic pcap ($cap)" ||
		fail "file type '$cap'"
	# RTP and RTCP must be clean; the H.264 payload is filler behind real
	# NAL and FU-A headers, so its decoder is asked for NAL types only.
	tshark -r "$pcap" "${decode[@]:0:8}" -T fields -e _ws.malformed \
		-e _ws.expert.severity 2>/dev/null > "$T/bad"
	n=$(awk -F'\t' '$1 != "" || $2 != ""' "$T/bad" | wc -l)
	[[ $n -eq 0 ]] && ok "tshark: RTP and RTCP with no malformed packet or expert warning" ||
		fail "tshark: $n malformed or warned packets"
	tshark -r "$pcap" "${decode[@]}" -T fields -e rtp.ssrc -e rtp.seq -e rtp.marker \
		-e h264.nal_unit_type -e rtcp.pt -e rtcp.senderssrc 2>/dev/null > "$T/pcap.txt"
	for i in 0 1; do
		ssrc=$(printf '0x%08x' "$(json "$T/pcap.json" "d['cameras'][$i]['ssrc']")")
		awk -F'\t' -v s="$ssrc" '$1 == s { print $2 }' "$T/pcap.txt" > "$T/seq.$i"
		n=$(wc -l < "$T/seq.$i")
		[[ $n -eq 65536 ]] && ok "stream $ssrc: 65536 RTP packets in tshark" ||
			fail "stream $ssrc: $n RTP packets, want 65536"
		# Each sequence number follows the previous one, wrapping at 2^16.
		n=$(awk 'NR > 1 && $1 != (p + 1) % 65536 { b++ } { p = $1 } END { print b + 0 }' "$T/seq.$i")
		[[ $n -eq 0 ]] && ok "stream $ssrc: sequence numbers continuous" ||
			fail "stream $ssrc: $n breaks in the sequence"
		first=$(head -1 "$T/seq.$i") last=$(tail -1 "$T/seq.$i")
		[[ $(((last + 1) % 65536)) -eq $first ]] &&
			ok "stream $ssrc: last seq $last + 1 = first $first: a loop wraps cleanly" ||
			fail "stream $ssrc: last $last, first $first"
		n=$(awk -F'\t' -v s="$ssrc" '$1 == s && $3 == 1' "$T/pcap.txt" | wc -l)
		want=$(json "$T/pcap.json" "d['cameras'][$i]['frames']")
		[[ $n -eq $want ]] && ok "stream $ssrc: one marker per frame ($n)" ||
			fail "stream $ssrc: $n markers for $want frames"
		n=$(awk -F'\t' -v s="$ssrc" '$5 ~ /200/ && $6 == s' "$T/pcap.txt" | wc -l)
		want=$(json "$T/pcap.json" "d['cameras'][$i]['rtcp_packets']")
		[[ $n -eq $want && $n -gt 0 ]] && ok "stream $ssrc: $n RTCP sender reports" ||
			fail "stream $ssrc: $n SRs dissected, camgen sent $want"
	done
	n=$(awk -F'\t' '$4 == 5' "$T/pcap.txt" | wc -l)
	[[ $n -gt 0 ]] && ok "H.264 IDR fragments dissected ($n)" || fail "no IDR in tshark"
}

flat_checks() {
	local n
	pretty "camgen --flat, 16 synthetic cameras, on a DPDK port (net_null)"
	"$BUILD/vigie-camgen" --no-huge --no-shconf --no-pci -l 0 --log-level=3 --vdev net_null0 -- \
		--synthetic 16 --port net_null0 --gw-mac "$GW_MAC" --flat --packets 200000 \
		--json "$T/flat.json" --quiet > "$T/flat.log" 2>&1 && ok "camgen --flat exit 0" ||
		fail "camgen --flat: $(cat "$T/flat.log")"
	cat "$T/flat.log"
	n=$(json "$T/flat.json" "d['rtp_packets']")
	[[ $n -eq 200000 ]] && ok "--packets 200000: $n RTP packets sent" || fail "sent $n"
	n=$(json "$T/flat.json" "sum(c['rtp_packets'] for c in d['cameras'])")
	[[ $n -eq 200000 ]] && ok "per-camera counts add up" || fail "per-camera sum $n"
	grep -q '^mempool [0-9]*/[0-9]* ok' "$T/flat.log" && ok "camgen: every mbuf returned" ||
		fail "camgen mempool"
}

# --------------------------------------------- 2. camgen -> gw -> sink --
# Daemons are started with "ip netns exec" itself, not through n_cam and
# the like (lib.sh): $! must be their pid for kill and wait.
start_gateway() { vg_start_gw "$GW" "$P-gw" "$T/vigie.conf" "$T/gw.log"; }

# start_sink NAME ARGS...: vigie-sink on ctr0, stopping 2 s after the last packet.
start_sink() {
	local name=$1; shift
	ip netns exec "$CTR" "$BUILD/vigie-sink" -l 0 --in-memory --no-pci --file-prefix "$P-sink" \
		--log-level=3 -- --config "$T/vigie.conf" --center ctr \
		--port net_af_packet0,iface=ctr0 --idle 2 --json "$T/$name.json" "$@" \
		> "$T/$name.log" 2>&1 &
	SINK_PID=$!
	sleep 1
}

# wait_sink: its exit status.
wait_sink() {
	local rc=0
	wait "$SINK_PID" || rc=$?
	SINK_PID=
	return $rc
}

paced_checks() {
	local rc i name sent got
	pretty "camgen -> vigie-gw ($ENGINE) -> vigie-sink: 4 cameras, 4 suites, paced 2 Mbit/s for $SECS s"
	scripts/netns.sh up "$P" bench >/dev/null
	start_gateway
	start_sink paced
	n_cam "$BUILD/vigie-camgen" -l 0 --in-memory --no-pci --file-prefix "$P-cam" \
		--log-level=3 -- --config "$T/vigie.conf" --port net_af_packet0,iface=cam0 \
		--bitrate 2M --rtcp-interval 1 --duration "$SECS" --json "$T/camgen.json" \
		> "$T/camgen.log" 2>&1 && ok "camgen exit status 0" ||
		fail "camgen failed: $(cat "$T/camgen.log")"
	cat "$T/camgen.log"
	rc=0; wait_sink || rc=$?
	sed -n '/^stream\|^camera\|^total\|^verdict\|^mempool/p' "$T/paced.log" | head -20
	[[ $rc -eq 0 ]] && ok "sink verdict pass, exit 0" ||
		fail "sink exit $rc: $(json "$T/paced.json" "d['reasons']")"
	for i in 0 1 2 3; do
		name=$(json "$T/camgen.json" "d['cameras'][$i]['name']")
		sent=$(json "$T/camgen.json" "d['cameras'][$i]['rtp_packets']")
		got=$(json "$T/paced.json" "[s for s in d['streams'] if s['name'] == '$name'][0]")
		python3 - "$sent" "$got" <<-'PY' && ok "$name: sink received all $sent RTP packets camgen sent, in order, authenticated" || fail "$name: sent $sent, sink: $got"
		import ast, sys
		sent, s = int(sys.argv[1]), ast.literal_eval(sys.argv[2])
		bad = {k: s[k] for k in ("lost", "dup", "reordered", "auth_fail", "replay",
		                         "wrong_ssrc", "no_probe", "rtcp_fail", "rtcp_auth_fail")
		       if s[k]}
		sys.exit(s["rtp_packets"] != sent or s["expected"] != sent or bad or
		         s["rtcp_ok"] < 1 or s["latency_us"]["samples"] != sent)
		PY
	done
	n=$(json "$T/paced.json" "d['totals']['rtp_packets']")
	sent=$(json "$T/camgen.json" "d['rtp_packets']")
	[[ $n -eq $sent ]] && ok "totals: $n RTP packets decrypted of $sent sent" ||
		fail "totals: $n decrypted, $sent sent"
	n=$(json "$T/paced.json" "d['streams'][0]['latency_us']['p99']")
	[[ -n $n ]] && ok "latency measured: cam-01 p99 $n us" || fail "no latency"
	grep -q '^mempool [0-9]*/[0-9]* ok' "$T/camgen.log" && ok "camgen: every mbuf returned" ||
		fail "camgen mempool: $(grep mempool "$T/camgen.log")"
	[[ $(json "$T/paced.json" "d['mempool']['ok']") == True ]] && ok "sink: every mbuf returned" ||
		fail "sink mempool: $(json "$T/paced.json" "d['mempool']")"
}

tamper_checks() {
	local rc n
	# A new --seed: new SSRCs, as a restarted camera has (the same SSRC and
	# sequence numbers again would be replays to the gateway).
	pretty "Tampered SRTP on the backbone: $TAMPER altered copies of a cam-01 packet"
	n_ctr timeout 20 tcpdump -Z root -i ctr0 -c 20 -w "$T/bb.pcap" "udp dst port 6004" 2>/dev/null &
	local td=$!
	start_sink tamper
	n_cam "$BUILD/vigie-camgen" -l 0 --in-memory --no-pci --file-prefix "$P-cam" \
		--log-level=3 -- --config "$T/vigie.conf" --port net_af_packet0,iface=cam0 \
		--bitrate 1M --duration 3 --seed 2 --quiet > "$T/camgen2.log" 2>&1 &
	local cg=$!
	wait "$td" || true
	n=$(n_gw python3 tests/e2e/pkt.py tamper "$T/bb.pcap" vg-bb 6004 "$TAMPER")
	wait "$cg" || fail "camgen (second run) failed"
	rc=0; wait_sink || rc=$?
	n=$(json "$T/tamper.json" "[s for s in d['streams'] if s['name'] == 'cam-01'][0]['auth_fail']")
	[[ $n -eq $TAMPER ]] && ok "sink: cam-01 auth_fail $n" || fail "sink: cam-01 auth_fail $n, want $TAMPER"
	n=$(json "$T/tamper.json" "sum(s['auth_fail'] for s in d['streams'] if s['name'] != 'cam-01')")
	[[ $n -eq 0 ]] && ok "sink: no auth failure on the other streams" || fail "others: auth_fail $n"
	n=$(json "$T/tamper.json" "sum(s['lost'] for s in d['streams'])")
	[[ $n -eq 0 ]] && ok "sink: the real packets all arrived (lost 0)" || fail "sink: lost $n"
	[[ $rc -eq 1 ]] && ok "sink exit 1: $(json "$T/tamper.json" "'; '.join(d['reasons'])")" ||
		fail "sink exit $rc with auth failures, want 1"
	kill -INT "$GW_PID"; rc=0; wait "$GW_PID" || rc=$?; GW_PID=
	[[ $rc -eq 0 ]] && ok "vigie-gw exit 0" || fail "vigie-gw exit $rc"
	grep -q '^mempool [0-9]*/[0-9]* ok' "$T/gw.log" && ok "vigie-gw: every mbuf returned" ||
		fail "vigie-gw mempool"
}

write_config
pcap_checks
flat_checks
paced_checks
tamper_checks
e2e_done
