#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Vigie end-to-end: an 802.1Q-tagged access port, and the cryptodev engine's
# fallback to libsrtp.
#
#   [ns $P-cam]  cam0 --veth-- vg-acc [ns $P-gw: vigie-gw]  vg-bb --veth-- ctr0 [ns $P-ctr]
#   raw frames tagged VLAN 100      access port: vlan = 100, 198.18.1.1
#   (this kernel has no 802.1Q      backbone: untagged, 198.19.0.1
#    devices: pkt.py writes tags)   cryptodev = "crypto_null": cannot do AES
#
# Checked: the gateway answers ARP and ping on VLAN 100 with tagged replies
# (tcpdump on cam0 reads the tag), forwards the tagged RTP, drops the same
# RTP untagged as wrong-vlan, and runs on libsrtp after saying in one line
# that the crypto device cannot serve the suite.  Exact counters.  Then a
# crashed gateway must leave no core file (keys, invariant 4).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
e2e_begin vlan vgvlan vigie-gw
N=20

e2e_cleanup() { [[ $FAILED -eq 0 ]] || cat "$T/gw.log" "$T/replies" 2>/dev/null; }

key k 30
cat > "$T/vlan.conf" <<CONF
gateway = { summary_interval = 0; cryptodev = "crypto_null"; cryptodev_gcm = "crypto_null"; };
ports = (
  { name = "access"; device = "net_af_packet0,iface=vg-acc"; role = "access";
    address = "198.18.1.1/24"; vlan = 100; },
  { name = "backbone"; device = "net_af_packet1,iface=vg-bb"; role = "backbone";
    address = "198.19.0.1/24"; }
);
centers = ( { name = "c1"; address = "198.19.0.2"; suite = "AES_CM_128_HMAC_SHA1_80";
              key_file = "k.key"; } );
cameras = ( { name = "cam-01"; source = "198.18.1.11"; port = 5004; center = "c1";
              dest_port = 6004; ssrc = 0x10000001; } );
CONF

scripts/netns.sh up "$P" >/dev/null
# The checks below say what did not work if it does not come up.  The
# operator's EAL choice of mempool driver is kept (protect.sh checks the default).
VG_GW_EAL="--mbuf-pool-ops-name ring_mp_mc" vg_start_gw "$GW" "$P" "$T/vlan.conf" "$T/gw.log" || true
ip netns exec "$CAM" tcpdump -lnei cam0 -c 4 'vlan 100 and (arp or icmp)' > "$T/replies" 2>/dev/null &
TD=$!
sleep 1
ip netns exec "$CAM" python3 tests/e2e/pkt.py vlan cam0 100 198.18.1.11 198.18.1.1 \
	02:76:67:00:00:01 5004 "$N"
sleep 2
kill -INT "$GW_PID"; rc=0; wait "$GW_PID" || rc=$?; GW_PID=''
kill "$TD" 2>/dev/null || true

c() { awk -v k="$1" -v f="$2" '$1" "$2 == k { for (i = 3; i <= NF; i++) if ($i == f) print $(i + 1) }' "$T/gw.log"; }
check "vigie-gw exit status 0" [ "$rc" -eq 0 ]
check "one fallback line names the device and libsrtp" \
	[ "$(grep -c 'cryptodev engine unavailable (.*crypto device crypto_null cannot do AES_CM_128_HMAC_SHA1_80); falling back to libsrtp' "$T/gw.log")" -eq 1 ]
check "engine in use is libsrtp" grep -q '^engine libsrtp streams ' "$T/gw.log"
check "ARP reply tagged VLAN 100" grep -q 'vlan 100.*Reply 198.18.1.1 is-at 02:76:67:00:00:01' "$T/replies"
check "ICMP echo reply tagged VLAN 100" grep -q 'vlan 100.*198.18.1.1 > 198.18.1.11: ICMP echo reply' "$T/replies"
check "tagged RTP forwarded: rtp $N" [ "$(c 'stream cam-01' rtp)" = "$N" ]
check "untagged RTP dropped: wrong-vlan $N" grep -qx "drop wrong-vlan $N" "$T/gw.log"
check "mempool full at exit" grep -q '^mempool .* ok$' "$T/gw.log"
check "mempool driver named by EAL --mbuf-pool-ops-name kept" \
	grep -q 'mbufs (ring_mp_mc), worker lcore' "$T/gw.log"
# Invariant 4: a crash leaves no core file holding the keys (core_pattern
# here writes "core" in the working directory; a gateway without the guard
# leaves a ~300 MB one that contains the master key).
mkdir "$T/crash"
(cd "$T/crash" && ulimit -c unlimited && exec ip netns exec "$GW" "$BUILD/vigie-gw" \
	-l 0,1 --in-memory --no-pci --file-prefix "$P-crash" -- --config "$T/vlan.conf" \
	--state-dir "$T/state-crash" > gw.log 2>&1) &
GW_PID=$!
for ((i = 0; i < 50; i++)); do grep -q 'worker lcore' "$T/crash/gw.log" && break; sleep 0.2; done
pkill -SEGV -f "file-prefix $P-crash" || true
rc=0; wait "$GW_PID" || rc=$?; GW_PID=''
check "gateway killed by SIGSEGV (status $rc)" [ "$rc" -eq 139 ]
check "no core file after the crash" [ -z "$(ls "$T/crash" | grep -v '^gw.log$')" ]
e2e_done
