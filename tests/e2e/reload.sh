#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# shellcheck disable=SC2015 # "[[ ]] && ok || fail": ok never fails
# Vigie end-to-end: the reload check (issue 14, first part).  One gateway
# forwards two cameras (vigie-camgen, ~$PPS pkt/s each) while its start-up
# config file is replaced by a bad one, then by a good one, each checked by
# SIGHUP and by the /vigie/reload telemetry command; /vigie/reload,PATH
# checks a port change.  Nothing is applied in this version:
#
#   [ns $P-cam]                  [ns $P-gw]                       [ns $P-ctr]
#   vigie-camgen ─ cam0 ─veth─ vg-acc  vigie-gw  vg-bb ─veth─ ctr0 (nobody: a
#   cam-01, cam-02               198.18.1.1   198.19.0.1      static neighbour)
#
# Checked: the refused file's file:line error and the valid file's summary,
# in the log and in the telemetry reply (JSON a script reads, applied 0);
# the port change refused naming ports[1].device; meanwhile the counters
# keep rising with no drop added, /vigie/streams stays the same (the added
# camera is not applied), and the gateway exits 0 with every mbuf back.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_begin reload vgrld vigie-gw vigie-camgen
PPS=500
CAM_PID=''
CONF=$T/vigie.conf

e2e_cleanup() { [[ -z $CAM_PID ]] || kill "$CAM_PID" 2>/dev/null; }

# write_config FILE [BACKBONE-DEVICE] [CAMERA...]: the gateway's config,
# its two cameras and those given.
write_config() {
	local dev=${2:-net_af_packet1,iface=vg-bb} extra
	extra=$(printf ',\n  %s' "${@:3}")
	[[ $# -gt 2 ]] || extra=''
	cat > "$1" <<-CONF
	gateway = { engine = "libsrtp"; summary_interval = 0; max_pps = 100000; };
	$(pop_ports "$dev")
	neighbours = ( { address = "198.19.0.2"; mac = "02:76:67:00:02:02"; } );
	centers = ( { name = "ctr"; address = "198.19.0.2";
	              suite = "AES_CM_128_HMAC_SHA1_80"; key_file = "k80.key"; } );
	cameras = (
	  { name = "cam-01"; source = "198.18.1.11"; port = 5004; center = "ctr";
	    dest_port = 6004; ssrc = 0x10000001; },
	  { name = "cam-02"; source = "198.18.1.12"; port = 5006; center = "ctr";
	    dest_port = 6006; ssrc = 0x10000002; }$extra
	);
	CONF
}

CAM03_BAD='{ name = "cam-03"; source = "198.18.1.13"; port = 5008; center = "nowhere"; dest_port = 6008; ssrc = 0x10000003; }'
CAM03='{ name = "cam-03"; source = "198.18.1.13"; port = 5008; center = "ctr"; dest_port = 6008; ssrc = 0x10000003; }'

# telj CMD: the reply's value for CMD, one line of JSON ("" if none).
telj() {
	printf '%s\n' "$1" | dpdk-telemetry.py -f "$P" 2>/dev/null | python3 -c '
import json, sys
for l in sys.stdin:
    l = l.strip()
    if l.startswith("{"):
        d = json.loads(l)
        if sys.argv[1] in d:
            print(json.dumps(d[sys.argv[1]]))' "${1%%,*}"
}

# val JSON EXPR: a python expression over d, the parsed JSON.
val() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"; }

rtp() { val "$(telj /vigie/streams,"$1")" 'd["rtp"]'; }
drop_sum() { val "$(telj /vigie/drops)" 'sum(d.values())'; }

# hup WHAT: SIGHUP, then the result's log lines (up to 5 s).
hup() {
	local n i
	n=$(grep -c '^reload: ' "$T/gw.log" || true)
	kill -HUP "$GW_PID"
	for ((i = 0; i < 50; i++)); do
		[[ $(grep -c '^reload: ' "$T/gw.log" || true) -gt $n ]] && break
		sleep 0.1
	done
	sleep 0.2
	HUP_LOG=$(grep '^reload: ' "$T/gw.log" | tail -n +$((n + 1)) || true)
	printf '   %s\n' "${HUP_LOG//$'\n'/$'\n'   }"
}

pretty "vigie-camgen -> vigie-gw (libsrtp), 2 cameras at $PPS pkt/s; $T"
scripts/netns.sh up "$P" bench >/dev/null
key k80 30
write_config "$CONF"
cp "$CONF" "$T/good.conf"
: > "$T/gw.log"
VG_STATE_DIR=$T/state vg_start_gw "$GW" "$P" "$CONF" "$T/gw.log"
ip netns exec "$CAM" "$BUILD/vigie-camgen" -l 0 --in-memory --no-pci --file-prefix "$P-cam" \
	--log-level=3 -- --config "$T/good.conf" --port net_af_packet0,iface=cam0 \
	--size 200 --fps 50 --gop 50 --iframe-weight 1 --bitrate $((PPS * 160 * 8)) \
	--rtcp-interval 1 --duration 60 > "$T/camgen.log" 2>&1 &
CAM_PID=$!
sleep 3
RTP0=$(rtp cam-01) DROPS0=$(drop_sum) STREAMS0=$(telj /vigie/streams)
[[ ${RTP0:-0} -gt 0 ]] && ok "traffic: cam-01 rtp $RTP0 before the reloads" ||
	fail "traffic: cam-01 rtp '${RTP0}' before the reloads"

pretty "A bad file in place: unknown center"
write_config "$CONF" "" "$CAM03_BAD"
line=$(grep -n 'nowhere' "$CONF" | cut -d: -f1)
hup
want="reload:   $CONF:$line: center: no center is named 'nowhere'"
grep -qF "reload: $CONF refused (1 error); the running configuration is unchanged" <<< "$HUP_LOG" &&
	grep -qF "$want" <<< "$HUP_LOG" && ok "SIGHUP: refused, logged with $CONF:$line" ||
	fail "SIGHUP: want refused with '$want'"
r=$(telj /vigie/reload)
[[ $(val "$r" 'd["status"], d["applied"], len(d["errors"])') == "('refused', 0, 1)" &&
   $(val "$r" 'd["errors"][0]') == "$CONF:$line: center: no center is named 'nowhere'"* ]] &&
	ok "/vigie/reload: refused, applied 0, the error with its file:line" ||
	fail "/vigie/reload: $r"

pretty "A good file in place: one camera added"
write_config "$CONF" "" "$CAM03"
hup
want="reload: $CONF valid: 2 kept, 1 added, 0 removed, 0 re-keyed, 0 updated; not applied: this version applies a configuration only at start-up (restart to apply)"
[[ $HUP_LOG == "$want" ]] && ok "SIGHUP: valid, one line: 2 kept, 1 added, not applied" ||
	fail "SIGHUP: want '$want'"
r=$(telj /vigie/reload)
[[ $(val "$r" 'd["status"], d["applied"], d["errors"], d["summary"]') == \
   "('valid', 0, [], '2 kept, 1 added, 0 removed, 0 re-keyed, 0 updated')" ]] &&
	ok "/vigie/reload: valid, applied 0, summary 2 kept, 1 added" || fail "/vigie/reload: $r"

pretty "/vigie/reload,PATH: the backbone port's device changed"
write_config "$T/port.conf" net_af_packet1,iface=vg-bb2
r=$(telj "/vigie/reload,$T/port.conf")
[[ $(val "$r" 'd["status"], d["file"]') == "('refused', '$T/port.conf')" &&
   $(val "$r" 'd["errors"][0]') == "ports[1].device changed ("*"): needs a restart" ]] &&
	ok "/vigie/reload,PATH: refused: $(val "$r" 'd["errors"][0]')" || fail "/vigie/reload,PATH: $r"
grep -qF "reload:   ports[1].device changed (\"net_af_packet1,iface=vg-bb\" -> \"net_af_packet1,iface=vg-bb2\"): needs a restart" "$T/gw.log" &&
	ok "the telemetry check logged too" || fail "no log line for /vigie/reload,PATH"

pretty "The running configuration and traffic"
sleep 1
RTP1=$(rtp cam-01) RTP2=$(rtp cam-02) DROPS1=$(drop_sum)
[[ $RTP1 -gt $((RTP0 + PPS)) && $RTP2 -gt 0 ]] && ok "cam-01 rtp $RTP0 -> $RTP1, cam-02 $RTP2: forwarding went on" ||
	fail "cam-01 rtp $RTP0 -> $RTP1, cam-02 $RTP2"
[[ $DROPS1 -eq $DROPS0 ]] && ok "no drop added ($DROPS1)" || fail "drops $DROPS0 -> $DROPS1: $(telj /vigie/drops)"
[[ $(telj /vigie/streams) == "$STREAMS0" ]] && ok "/vigie/streams unchanged: $STREAMS0" ||
	fail "/vigie/streams $STREAMS0 -> $(telj /vigie/streams)"
! grep -q 'not supported' "$T/gw.log" && ok "no 'not supported' message" || fail "'not supported' logged"

pretty "Stop"
kill -INT "$CAM_PID"; wait "$CAM_PID" || true; CAM_PID=
rc=0; stop_gw "$GW_PID" || rc=$?; GW_PID=
[[ $rc -eq 0 ]] && ok "vigie-gw exit status 0" || fail "vigie-gw exit status $rc"
grep -Eq '^mempool [0-9]+/[0-9]+ ok$' "$T/gw.log" && ok "every mbuf returned" || fail "mempool: $(grep '^mempool' "$T/gw.log" || echo none)"
e2e_done
