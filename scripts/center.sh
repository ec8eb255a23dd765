#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A real supervision-center receiver: decrypts one SRTP/SRTCP stream, decodes
# the H.264 and counts the decoded frames.  Peers the project did not write:
#   AES_CM_128_HMAC_SHA1_80/_32  ffmpeg (SDP with a=crypto, RFC 4568)
#   AEAD_AES_128_GCM/_256_GCM    GStreamer srtpdec (libsrtp2), avdec_h264
#   RTP (plain, as a VMS behind a center gateway gets it)  ffmpeg
#
#   scripts/center.sh recv NAME SUITE KEY_FILE ADDR PORT RTCP_PORT SSRC OUTDIR
#       Run it inside the center namespace, in the background; end it with
#       `center.sh stop`.  Listens on ADDR:PORT for
#       SRTP and on RTCP_PORT for SRTCP (SSRC: the stream's, after rewrite).
#       With SUITE "RTP" the stream is plain RTP and KEY_FILE is ignored.
#       Writes OUTDIR/NAME.recv.log, the frame tally and OUTDIR/NAME.png (the
#       last decoded frame).
#   scripts/center.sh recv-sdp NAME SDP_FILE OUTDIR
#       The same with ffmpeg reading an SDP file as given (e.g. written by
#       `vigie-gw --sdp CENTER --out DIR`): a=crypto keys and all.
#   scripts/center.sh stop PID...
#       Stops receivers; the caller then waits for its jobs.
#   scripts/center.sh decoded NAME OUTDIR
#       Prints the number of frames NAME's receiver decoded.
set -euo pipefail

# key_hex KEY_FILE: the key file's key || salt in hex, for GStreamer caps.
key_hex() {
	sed -n 's/^[[:space:]]*inline:\([^|[:space:]]*\).*/\1/p' "$1" | head -n 1 |
		base64 -d | od -An -v -tx1 | tr -d ' \n'
}

recv_ffmpeg() {
	local name=$1 suite=$2 key=$3 addr=$4 port=$5 rtcp=$6 out=$8
	(( rtcp == port + 1 )) || { echo "center: ffmpeg needs RTCP on port+1" >&2; exit 2; }
	# ffmpeg's AES_CM_128_HMAC_SHA1_32 puts a 32-bit tag on SRTCP too;
	# RFC 4568 (and libsrtp, GStreamer, the gateway) use 80 bits there,
	# which ffmpeg calls by the RFC 5764 name.
	local fsuite=$suite
	[[ $suite != AES_CM_128_HMAC_SHA1_32 ]] || fsuite=SRTP_AES128_CM_HMAC_SHA1_32
	# c= is our own address: ffmpeg's receiver reports then loop back to
	# itself instead of reaching the gateway.
	local proto=RTP/SAVP crypto=
	if [[ $suite == RTP ]]; then
		proto=RTP/AVP
	else
		crypto="a=crypto:1 $fsuite $(grep -o 'inline:[^[:space:]]*' "$key" | head -n 1)"
	fi
	(umask 077; cat > "$out/$name.sdp" <<-EOF
	v=0
	o=- 0 0 IN IP4 $addr
	s=$name
	c=IN IP4 $addr
	t=0 0
	m=video $port $proto 96
	a=rtpmap:96 H264/90000
	a=fmtp:96 packetization-mode=1
	$crypto
	EOF
	)
	exec ffmpeg -nostdin -hide_banner -loglevel warning \
		-protocol_whitelist file,udp,rtp -reorder_queue_size 0 \
		-analyzeduration 1000000 -threads 1 -i "$out/$name.sdp" \
		-map 0:v -flush_packets 1 -f framecrc "$out/$name.frames" \
		-map 0:v -update 1 -atomic_writing 1 -y "$out/$name.png" \
		>"$out/$name.recv.log" 2>&1
}

recv_gst() {
	local name=$1 suite=$2 key=$3 addr=$4 port=$5 rtcp=$6 ssrc=$7 out=$8
	local cipher hex
	case $suite in
	AEAD_AES_128_GCM) cipher=aes-128-gcm ;;
	AEAD_AES_256_GCM) cipher=aes-256-gcm ;;
	*) echo "center: no GStreamer mapping for $suite" >&2; exit 2 ;;
	esac
	hex=$(key_hex "$key")
	local k="ssrc=(uint)$ssrc,srtp-key=(buffer)$hex,roc=(uint)0"
	k+=",srtp-cipher=(string)$cipher,srtp-auth=(string)null"
	k+=",srtcp-cipher=(string)$cipher,srtcp-auth=(string)null"
	local rtp="application/x-srtp,media=(string)video,clock-rate=(int)90000"
	rtp+=",encoding-name=(string)H264,payload=(int)96,$k"
	# Decoded frames are scaled to 8x8 grey: the tally file grows by 64
	# bytes a frame.  The other branch keeps the last frame as a PNG.
	# srtpdec reports each packet it cannot authenticate as a warning.
	GST_DEBUG=${GST_DEBUG:-srtpdec:2} GST_DEBUG_NO_COLOR=1 \
		exec gst-launch-1.0 -e -q --no-fault \
		udpsrc address="$addr" port="$port" caps="$rtp" ! srtpdec name=d \
		! rtph264depay ! h264parse ! avdec_h264 ! tee name=t \
		t. ! queue ! videoconvert ! videoscale \
		! video/x-raw,format=GRAY8,width=8,height=8 \
		! filesink location="$out/$name.frames" buffer-mode=unbuffered sync=false \
		t. ! queue ! videoconvert ! pngenc compression-level=1 \
		! multifilesink location="$out/$name.png" sync=false \
		udpsrc address="$addr" port="$rtcp" caps="application/x-srtcp,$k" \
		! d.rtcp_sink d.rtcp_src ! fakesink sync=false async=false \
		>"$out/$name.recv.log" 2>&1
}

recv_sdp() {
	local name=$1 sdp=$2 out=$3
	rm -f "$out/$name.frames" "$out/$name.png"
	(umask 077; cp "$sdp" "$out/$name.sdp")	# decoded() reads ffmpeg's tally
	exec ffmpeg -nostdin -hide_banner -loglevel warning \
		-protocol_whitelist file,udp,rtp,srtp,crypto -reorder_queue_size 0 \
		-analyzeduration 1000000 -threads 1 -i "$sdp" \
		-map 0:v -flush_packets 1 -f framecrc "$out/$name.frames" \
		-map 0:v -update 1 -atomic_writing 1 -y "$out/$name.png" \
		>"$out/$name.recv.log" 2>&1
}

recv() {
	[[ $# -eq 8 ]] || usage
	rm -f "$8/$1.frames" "$8/$1.png" "$8/$1.sdp"
	case $2 in
	AES_CM_128_HMAC_SHA1_80|AES_CM_128_HMAC_SHA1_32|RTP) recv_ffmpeg "$@" ;;
	*) recv_gst "$@" ;;
	esac
}

# stop PID...: SIGINT.  GStreamer (-e) then ends the stream and closes its
# files.  ffmpeg acts on SIGINT only when its blocking read returns, that is
# when one more valid packet comes; a second SIGINT interrupts the read (and
# the writing of the last one or two frames it still holds: its tally is
# flushed at every frame, so all the others are counted).  SIGKILL after 5 s.
stop() {
	local i pid alive
	kill -INT "$@" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		alive=
		for pid; do kill -0 "$pid" 2>/dev/null && alive+=" $pid"; done
		[[ -n $alive ]] || return 0
		(( i != 10 )) || kill -INT $alive 2>/dev/null || true
		sleep 0.1
	done
	kill -KILL $alive 2>/dev/null || true
}

decoded() {
	local f=$2/$1.frames
	if [[ ! -s $f ]]; then
		echo 0
	elif [[ -f $2/$1.sdp ]]; then		# ffmpeg framecrc: a line a frame
		grep -vc '^#' "$f"
	else					# GStreamer: 64 bytes a frame
		echo $(( $(stat -c %s "$f") / 64 ))
	fi
}

usage() { sed -n '3,/^set /{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2; }

case ${1:-} in
recv-sdp) shift; [[ $# -eq 3 ]] || usage; recv_sdp "$@" ;;
recv) shift; recv "$@" ;;
stop) shift; stop "$@" ;;
decoded) shift; [[ $# -eq 2 ]] || usage; decoded "$@" ;;
*) usage ;;
esac
