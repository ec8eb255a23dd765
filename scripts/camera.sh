#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# A real camera: ffmpeg encodes a test pattern with libx264 and sends it as
# plain RTP (H.264, payload type 96, 90 kHz, RTCP sender reports to PORT+1).
#
#   scripts/camera.sh send NAME SRC_ADDR DST_ADDR PORT SECONDS OUTDIR
#       Run it inside the camera namespace, in the background.  Sends from
#       SRC_ADDR for SECONDS at 25 frames/s, 1,200-byte RTP packets (room for
#       the SRTP trailer within a 1,500-byte MTU), one keyframe a second.
#       Writes OUTDIR/NAME.send.log and OUTDIR/NAME.send.progress.
#   scripts/camera.sh sent NAME OUTDIR
#       Prints the number of frames NAME has sent.
set -euo pipefail

FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf

send() {
	local name=$1 src=$2 dst=$3 port=$4 secs=$5 out=$6 vf=
	# The camera's name in the picture, when the font is there.
	[[ -f $FONT ]] && vf="-vf drawtext=fontfile=$FONT:text=$name:x=8:y=8:fontsize=28:fontcolor=white:box=1:boxcolor=black"
	exec ffmpeg -nostdin -hide_banner -loglevel warning -re \
		-f lavfi -i "testsrc=size=320x240:rate=25" -t "$secs" $vf \
		-c:v libx264 -preset ultrafast -tune zerolatency -g 25 -bf 0 \
		-pix_fmt yuv420p -threads 1 \
		-progress "$out/$name.send.progress" -payload_type 96 \
		-f rtp "rtp://$dst:$port?localaddr=$src&pkt_size=1200" \
		>"$out/$name.send.log" 2>&1
}

sent() {
	local f=$2/$1.send.progress
	[[ -f $f ]] || { echo 0; return; }
	sed -n 's/^frame=\([0-9]*\)$/\1/p' "$f" | tail -n 1
}

case ${1:-} in
send) shift; [[ $# -eq 6 ]] || exec "$0"; send "$@" ;;
sent) shift; [[ $# -eq 2 ]] || exec "$0"; sent "$@" ;;
*) sed -n '3,/^set /{/^#/s/^# \{0,1\}//p}' "$0" >&2; exit 2 ;;
esac
