#!/usr/bin/env bash
# shellcheck disable=SC2015 # "[[ ]] && ok || fail": ok never fails
# Vigie end-to-end: the traffic tools, vigie-camgen and vigie-sink.
#
# 1. camgen --pcap, read by tshark (a dissector the project did not write):
#    RTP with the expected SSRCs and unbroken sequence numbers, H.264 FU-A,
#    RTCP SR + SDES, classic pcap, 65,536 packets per stream so that a
#    looping replayer wraps every sequence number cleanly.
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

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
P=vgtool-$$
CAM=$P-cam GW=$P-gw CTR=$P-ctr
GW_MAC=02:76:67:00:00:01
T=$(mktemp -d /tmp/vigie-tools.XXXXXX)
PASSED=0 FAILED=0 GW_PID='' SINK_PID=''
SECS=${E2E_SECONDS:-4}
TAMPER=5

ok() { PASSED=$((PASSED + 1)); printf '  ok   %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf '  FAIL %s\n' "$*"; }
pretty() { printf '\n== %s\n' "$*"; }
cleanup() {
	set +e
	[[ -z $GW_PID ]] || kill "$GW_PID" 2>/dev/null
	[[ -z $SINK_PID ]] || kill "$SINK_PID" 2>/dev/null
	scripts/netns.sh down "$P" >/dev/null 2>&1
	[[ ${E2E_KEEP:-0} == 1 ]] && echo "logs kept in $T" || rm -rf "$T"
	echo "e2e tools: $PASSED passed, $FAILED failed"
	[[ $FAILED -eq 0 ]]
}
trap cleanup EXIT

# json FILE EXPR: a value from a JSON file (python expression over d).
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

write_config() {
	(umask 077
	 printf 'inline:%s\n' "$(openssl rand -base64 30)" > "$T/k80.key"
	 printf 'inline:%s\n' "$(openssl rand -base64 30)" > "$T/k32.key"
	 printf 'inline:%s\n' "$(openssl rand -base64 28)" > "$T/g128.key"
	 printf 'inline:%s\n' "$(openssl rand -base64 44)" > "$T/g256.key")
	cat > "$T/vigie.conf" <<-CONF
	gateway = { engine = "${ENGINE:-cryptodev}"; summary_interval = 0; };
	ports = (
	  { name = "access"; device = "net_af_packet0,iface=vg-acc"; role = "access";
	    address = "198.18.1.1/24"; },
	  { name = "backbone"; device = "net_af_packet1,iface=vg-bb"; role = "backbone";
	    address = "198.19.0.1/24"; }
	);
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
	build/vigie-camgen --no-huge --no-shconf --no-pci -l 0 --log-level=3 -- \
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

[[ $(id -u) -eq 0 ]] || { echo "e2e: must run as root" >&2; exit 1; }
for b in vigie-gw vigie-camgen; do
	[[ -x build/$b ]] || { echo "e2e: build/$b missing: run make" >&2; exit 1; }
done
write_config
pcap_checks
DONE=1
