#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Vigie end-to-end: `vigie-gw --sdp` writes the session descriptions a
# center's VMS opens, and a client the project did not write opens them;
# `vigie-gw --sdp-vms` the same for the VMS behind a center gateway.
#
#   [root ns]  vigie-gw --sdp c1 --config $T/sdp.conf --out $T/out  (no EAL)
#                 $T/out/cam-01.sdp  H.264, AES_CM_128_HMAC_SHA1_80, 0600
#                 $T/out/cam-02.sdp  H.265, AES_CM_128_HMAC_SHA1_32, 0600
#              vigie-gw --sdp-vms --config $T/center.conf --out $T/vms
#                 $T/vms/cam-01.sdp  RTP/AVP, c= 198.19.200.1, no key, 0644
#                 $T/vms/cam-02.sdp  RTP/AVP, a=rtcp:5100, no key, 0644
#
#   [ns $P]  lo: 198.19.0.2 (center c1), 198.19.200.1 (center gateway's
#            access address), 198.19.200.10 (VMS)
#   ffmpeg "camera": libx264/libx265 -> SRTP  --lo-->  198.19.0.2:6004/6006
#   (stands in for the gateway: same      ffmpeg "VMS": -i $T/out/cam-NN.sdp
#    key, suite, SSRC and ports)           decodes, counts frames (framecrc)
#   ffmpeg "center gateway": libx264 -> RTP from 198.19.200.1
#                                     --lo-->  198.19.200.10:5004
#                                          ffmpeg "VMS": -i $T/vms/cam-01.sdp
#                                          (whitelist file,udp,rtp) decodes
#
# Checked: files, modes (0600 even over an existing 0644 file), no temporary
# left behind, the keys in a=crypto are the config's, stdout holds the same
# descriptions, no key on stderr; the errors (unknown center, bad config,
# missing, read-only or non-directory --out, a directory others can list);
# then each stream decoded by ffmpeg from its .sdp alone, >= 90 % of the
# frames sent.  GCM descriptions are checked as text only: ffmpeg 5.1 cannot
# decrypt GCM (docs/operations.md, "SDP for the centers").  VMS leg: files,
# modes (0644 under umask 077, over an existing 0600 file), no crypto line
# and no key byte in any output, a=rtcp, stdout, the errors; then ffmpeg
# decodes plain RTP sent from the center gateway's address to the VMS from
# cam-01.sdp alone (>= 90 %).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_begin sdp vgsdp vigie-gw
SECS=4				# camera air time, 25 frames/s
OUT=$T/out
VMSDIR=$T/vms
RECV='' DECODED=0

# One namespace of its own, named $P.
e2e_cleanup() {
	[[ -z $RECV ]] || kill -KILL "$RECV" 2>/dev/null
	ip netns del "$P" 2>/dev/null
	[[ $FAILED -eq 0 ]] || tail -n 5 "$T"/*.recv.log "$T/err.txt" 2>/dev/null
}

key k80 30; key k32 30; key g128 28
cat > "$T/sdp.conf" <<CONF
$(pop_ports)
centers = (
  { name = "c1"; address = "198.19.0.2"; suite = "AES_CM_128_HMAC_SHA1_80";
    key_file = "k80.key"; },
  { name = "c2"; address = "198.19.0.3"; suite = "AEAD_AES_128_GCM";
    key_file = "g128.key"; }
);
cameras = (
  { name = "cam-01"; source = "198.18.1.11"; port = 5004; center = "c1";
    dest_port = 6004; ssrc = 0x10000001; },
  { name = "cam-02"; source = "198.18.1.12"; port = 5004; center = "c1";
    dest_port = 6006; ssrc = 0x10000002; codec = "H265"; payload_type = 98;
    suite = "AES_CM_128_HMAC_SHA1_32"; key_file = "k32.key"; },
  { name = "cam-03"; source = "198.18.1.13"; port = 5004; center = "c2";
    dest_port = 6008; dest_rtcp_port = 6100; ssrc = 0x10000003; }
);
CONF
# The center gateway of c1: the same streams, unprotected toward a VMS.
cat > "$T/center.conf" <<CONF
ports = (
  { name = "backbone"; device = "net_af_packet0,iface=ctr0"; role = "backbone";
    address = "198.19.0.2/24"; },
  { name = "vms-lan"; device = "net_af_packet1,iface=vms-lan"; role = "access";
    address = "198.19.200.1/24"; }
);
unprotect = (
  { name = "cam-01"; source = "198.19.0.1"; port = 6004; ssrc = 0x10000001;
    suite = "AES_CM_128_HMAC_SHA1_80"; key_file = "k80.key";
    vms = "198.19.200.10"; vms_port = 5004; },
  { name = "cam-02"; source = "198.19.0.1"; port = 6006; ssrc = 0x10000002;
    suite = "AES_CM_128_HMAC_SHA1_32"; key_file = "k32.key";
    vms = "198.19.200.10"; vms_port = 5006; vms_rtcp_port = 5100; }
);
CONF

gw() { "$BUILD/vigie-gw" "$@"; }
b64() { sed -n 's/^inline://p' "$T/$1.key"; }
mode() { stat -c %a "$1"; }
not() { ! "$@"; }
# ro_gw DIR: --sdp c1 --out DIR with DIR mounted read-only (in a private
# mount namespace: nothing changes for the rest of the machine).
# shellcheck disable=SC2016 # $1..$3 are the inner shell's
ro_gw() {
	unshare -m sh -c 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" &&
		exec "$2" --sdp c1 --config "$3" --out "$1"' sh "$1" "$BUILD/vigie-gw" "$T/sdp.conf"
}
# said STATUS TEXT: the last run exited STATUS and said TEXT on stderr.
said() { [[ $rc -eq $1 ]] && grep -qF -- "$2" "$T/err.txt"; }
# line FILE TEXT: FILE has the line TEXT (CRLF-terminated, RFC 4566).
line() { grep -qxF "$2"$'\r' "$1"; }

pretty "Files for center c1"
mkdir -m 700 "$OUT"
printf 'stale\n' > "$OUT/cam-01.sdp"; chmod 644 "$OUT/cam-01.sdp"
rc=0; gw --sdp c1 --config "$T/sdp.conf" --out "$OUT" > "$T/out.txt" 2> "$T/err.txt" || rc=$?
check "--sdp c1 --out: exit 0" [ "$rc" -eq 0 ]
check "stdout names the two files" \
	[ "$(cat "$T/out.txt")" = "$OUT/cam-01.sdp"$'\n'"$OUT/cam-02.sdp" ]
check "nothing on stderr" [ ! -s "$T/err.txt" ]
check "DIR holds cam-01.sdp and cam-02.sdp only (no temporaries)" \
	[ "$(find "$OUT" -mindepth 1 -printf '%f ' | tr ' ' '\n' | sort | tr '\n' ' ')" = "cam-01.sdp cam-02.sdp " ]
check "cam-01.sdp mode 0600 (was 0644)" [ "$(mode "$OUT/cam-01.sdp")" = 600 ]
check "cam-02.sdp mode 0600" [ "$(mode "$OUT/cam-02.sdp")" = 600 ]
check "cam-01: m=video 6004 RTP/SAVP 96" line "$OUT/cam-01.sdp" "m=video 6004 RTP/SAVP 96"
check "cam-01: c=IN IP4 198.19.0.2" line "$OUT/cam-01.sdp" "c=IN IP4 198.19.0.2"
check "cam-01: a=rtpmap:96 H264/90000" line "$OUT/cam-01.sdp" "a=rtpmap:96 H264/90000"
check "cam-01: packetization-mode=1" line "$OUT/cam-01.sdp" "a=fmtp:96 packetization-mode=1"
check "cam-01: a=crypto with the center's key" \
	line "$OUT/cam-01.sdp" "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$(b64 k80)"
check "cam-02: a=rtpmap:98 H265/90000" line "$OUT/cam-02.sdp" "a=rtpmap:98 H265/90000"
check "cam-02: a=crypto with the camera's own suite and key" \
	line "$OUT/cam-02.sdp" "a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:$(b64 k32)"
check "cam-02: no a=rtcp (RTCP on port + 1)" not grep -q '^a=rtcp' "$OUT/cam-02.sdp"

pretty "Stdout, GCM, errors"
gw --sdp c1 --config "$T/sdp.conf" > "$T/c1.sdp" 2> "$T/err.txt"
check "without --out: stdout = the two files back to back" \
	cmp -s "$T/c1.sdp" <(cat "$OUT/cam-01.sdp" "$OUT/cam-02.sdp")
gw --sdp c2 --config "$T/sdp.conf" > "$T/c2.sdp" 2>> "$T/err.txt"
check "c2: a=crypto:1 AEAD_AES_128_GCM with the 28-byte key" \
	line "$T/c2.sdp" "a=crypto:1 AEAD_AES_128_GCM inline:$(b64 g128)"
check "c2: a=rtcp:6100" line "$T/c2.sdp" "a=rtcp:6100"
rc=0; gw --sdp nope --config "$T/sdp.conf" > "$T/out.txt" 2>> "$T/err.txt" || rc=$?
check "unknown center: exit 2, valid names listed" \
	said 2 "vigie: --sdp: no center 'nope' in $T/sdp.conf; centers: c1, c2"
sed 's/dest_port = 6004;/dest_port = 0;/' "$T/sdp.conf" > "$T/bad.conf"
rc=0; gw --sdp c1 --config "$T/bad.conf" > "$T/out.txt" 2>> "$T/err.txt" || rc=$?
check "config error: exit 2, file:line: message" said 2 "$T/bad.conf:15: dest_port: 0 is out of range 1..65535"
check "config error: nothing on stdout" [ ! -s "$T/out.txt" ]
rc=0; gw --sdp c1 --config "$T/sdp.conf" --out "$T/none" 2>> "$T/err.txt" || rc=$?
check "--out missing: exit 1, says so" said 1 \
	"vigie: --out $T/none: no such directory (create it first: mkdir -m 700 $T/none)"
rc=0; gw --sdp c1 --config "$T/sdp.conf" --out "$T/sdp.conf" 2>> "$T/err.txt" || rc=$?
check "--out a file: exit 1, not a directory" said 1 "vigie: --out $T/sdp.conf: not a directory"
# Root writes through mode bits: a read-only mount is what stops it.
mkdir "$T/ro"
rc=0; ro_gw "$T/ro" 2>> "$T/err.txt" || rc=$?
check "--out read-only: exit 1, the kernel's reason" said 1 \
	"vigie: --out $T/ro: cannot create files in it (uid 0): Read-only file system"
chmod 755 "$T/ro"
rc=0; gw --sdp c1 --config "$T/sdp.conf" --out "$T/ro" > /dev/null 2>> "$T/err.txt" || rc=$?
check "--out listable by others: exit 0, a warning" said 0 \
	"vigie: warning: others may list $T/ro (mode o=5)"
check "... and the files are still 0600" [ "$(mode "$T/ro/cam-01.sdp")" = 600 ]
leaks=0
for k in k80 k32 g128; do grep -qF "$(b64 $k)" "$T/err.txt" && leaks=$((leaks + 1)); done
check "no key on stderr in any of the runs above" [ "$leaks" -eq 0 ]

pretty "The VMS leg of a center gateway: --sdp-vms"
mkdir -m 755 "$VMSDIR"
printf 'stale\n' > "$VMSDIR/cam-02.sdp"; chmod 600 "$VMSDIR/cam-02.sdp"
rc=0; (umask 077; gw --sdp-vms --config "$T/center.conf" --out "$VMSDIR") > "$T/out.txt" 2> "$T/err.txt" || rc=$?
check "--sdp-vms --out: exit 0" [ "$rc" -eq 0 ]
check "stdout names the two files" \
	[ "$(cat "$T/out.txt")" = "$VMSDIR/cam-01.sdp"$'\n'"$VMSDIR/cam-02.sdp" ]
check "nothing on stderr (no warning for a listable DIR: no key in it)" [ ! -s "$T/err.txt" ]
check "DIR holds cam-01.sdp and cam-02.sdp only (no temporaries)" \
	[ "$(find "$VMSDIR" -mindepth 1 -printf '%f ' | tr ' ' '\n' | sort | tr '\n' ' ')" = "cam-01.sdp cam-02.sdp " ]
check "cam-01.sdp mode 0644 under umask 077" [ "$(mode "$VMSDIR/cam-01.sdp")" = 644 ]
check "cam-02.sdp mode 0644 (was 0600)" [ "$(mode "$VMSDIR/cam-02.sdp")" = 644 ]
check "cam-01: m=video 5004 RTP/AVP 96" line "$VMSDIR/cam-01.sdp" "m=video 5004 RTP/AVP 96"
check "cam-01: c=IN IP4 198.19.200.1 (the center gateway's access address)" \
	line "$VMSDIR/cam-01.sdp" "c=IN IP4 198.19.200.1"
check "cam-01: a=rtpmap:96 H264/90000 (the defaults)" line "$VMSDIR/cam-01.sdp" "a=rtpmap:96 H264/90000"
check "cam-01: packetization-mode=1" line "$VMSDIR/cam-01.sdp" "a=fmtp:96 packetization-mode=1"
check "cam-01: no a=rtcp (RTCP on port + 1)" not grep -q '^a=rtcp' "$VMSDIR/cam-01.sdp"
check "cam-02: m=video 5006 RTP/AVP 96" line "$VMSDIR/cam-02.sdp" "m=video 5006 RTP/AVP 96"
check "cam-02: a=rtcp:5100" line "$VMSDIR/cam-02.sdp" "a=rtcp:5100"
check "no crypto line in either file" not grep -qi 'crypto' "$VMSDIR/cam-01.sdp" "$VMSDIR/cam-02.sdp"
gw --sdp-vms --config "$T/center.conf" > "$T/vms.sdp" 2>> "$T/err.txt"
check "without --out: stdout = the two files back to back" \
	cmp -s "$T/vms.sdp" <(cat "$VMSDIR/cam-01.sdp" "$VMSDIR/cam-02.sdp")
rc=0; gw --sdp-vms --config "$T/sdp.conf" > "$T/out.txt" 2>> "$T/err.txt" || rc=$?
check "a PoP config (no route): exit 0, says so" \
	said 0 "vigie: --sdp-vms: no unprotect route in $T/sdp.conf"
check "... and nothing on stdout" [ ! -s "$T/out.txt" ]
rc=0; gw --sdp c1 --sdp-vms --config "$T/center.conf" > /dev/null 2>> "$T/err.txt" || rc=$?
check "--sdp CENTER with --sdp-vms: exit 2" said 2 "--sdp CENTER and --sdp-vms: one leg at a time"
rc=0; gw --sdp c1 --config "$T/center.conf" > /dev/null 2>> "$T/err.txt" || rc=$?
check "--sdp on a center gateway's config: exit 2, points to --sdp-vms" said 2 \
	"centers: none (a center gateway: --sdp-vms describes what its VMS receives)"
leaks=0
for k in k80 k32; do
	grep -qF "$(b64 $k)" "$VMSDIR/cam-01.sdp" "$VMSDIR/cam-02.sdp" "$T/vms.sdp" "$T/err.txt" &&
		leaks=$((leaks + 1))
done
check "no key in the VMS files, on stdout or on stderr" [ "$leaks" -eq 0 ]

# play SDP ADDR PORT CODEC SUITE KEY PT SSRC: a camera sends SECS s of SRTP
# (SUITE RTP: plain RTP from 198.19.200.1, as the center gateway sends it to
# its VMS) to ADDR:PORT, ffmpeg opens SDP alone and decodes; DECODED is set
# to the frames it decoded.  Files: $T/DIR-NAME.* for SDP = DIR/NAME.sdp.
play() {
	local sdp=$1 addr=$2 port=$3 suite=$5 key=$6 pt=$7 ssrc=$8 i enc out
	local name wl=file,udp,rtp,srtp,crypto
	name=$(basename "$(dirname "$sdp")")-$(basename "$sdp" .sdp)
	if [[ $suite == RTP ]]; then
		wl=file,udp,rtp
		out=(-f rtp "rtp://$addr:$port?localaddr=198.19.200.1&pkt_size=1200")
	else
		out=(-f rtp -srtp_out_suite "$suite" -srtp_out_params "$key"
			"srtp://$addr:$port?pkt_size=1200")
	fi
	if [[ $4 == H264 ]]; then
		enc=(-c:v libx264 -preset ultrafast -tune zerolatency)
	else
		enc=(-c:v libx265 -preset ultrafast -x265-params log-level=error)
	fi
	ip netns exec "$P" ffmpeg -nostdin -hide_banner -loglevel warning \
		-protocol_whitelist "$wl" -reorder_queue_size 0 -i "$sdp" \
		-map 0:v -flush_packets 1 -f framecrc \
		"$T/$name.frames" > "$T/$name.recv.log" 2>&1 &
	RECV=$!
	for ((i = 0; i < 50; i++)); do
		ip netns exec "$P" ss -Hlun "sport = :$port" | grep -q . && break
		sleep 0.1
	done
	ip netns exec "$P" ffmpeg -nostdin -hide_banner -loglevel warning -re \
		-f lavfi -i testsrc=size=320x240:rate=25 -t "$SECS" "${enc[@]}" -g 25 -bf 0 \
		-pix_fmt yuv420p -threads 1 -payload_type "$pt" -ssrc "$ssrc" \
		"${out[@]}" > "$T/$name.send.log" 2>&1
	sleep 1
	# ffmpeg sees SIGINT when a read returns: the second one interrupts it.
	kill -INT "$RECV"; sleep 0.5; kill -INT "$RECV" 2>/dev/null || true
	wait "$RECV" || true
	RECV=''
	DECODED=$(grep -vc '^#' "$T/$name.frames" || true)
}

pretty "ffmpeg opens the files: $SECS s of SRTP per camera in ns $P"
ip netns add "$P"
ip -n "$P" link set lo up
for a in 198.19.0.2 198.19.200.1 198.19.200.10; do ip -n "$P" addr add "$a/32" dev lo; done
sent=$((SECS * 25))
play "$OUT/cam-01.sdp" 198.19.0.2 6004 H264 AES_CM_128_HMAC_SHA1_80 "$(b64 k80)" 96 268435457
check "cam-01 H.264 AES_CM_128_HMAC_SHA1_80: $DECODED/$sent frames decoded (>= 90 %)" \
	[ $((DECODED * 100)) -ge $((sent * 90)) ]
check "cam-01: ffmpeg authenticated every packet" not grep -q 'HMAC mismatch' "$T/out-cam-01.recv.log"
play "$OUT/cam-02.sdp" 198.19.0.2 6006 H265 AES_CM_128_HMAC_SHA1_32 "$(b64 k32)" 98 268435458
check "cam-02 H.265 AES_CM_128_HMAC_SHA1_32: $DECODED/$sent frames decoded (>= 90 %)" \
	[ $((DECODED * 100)) -ge $((sent * 90)) ]

pretty "ffmpeg as the VMS opens $VMSDIR/cam-01.sdp: $SECS s of plain RTP"
play "$VMSDIR/cam-01.sdp" 198.19.200.10 5004 H264 RTP - 96 268435457
check "VMS leg: plain RTP/AVP H.264 $DECODED/$sent frames decoded (>= 90 %)" \
	[ $((DECODED * 100)) -ge $((sent * 90)) ]
e2e_done
