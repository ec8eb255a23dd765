#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Lab benchmark: vigie-camgen -> vigie-gw -> vigie-sink across namespaces
# (scripts/netns.sh PREFIX bench), for a few camera counts and bitrates.
# Reports, per case, the offered and delivered rate, loss and latency
# percentiles (from camgen's probe, read by the sink after decryption).
#
#   [P-cam: vigie-camgen] cam0 ─veth─ vg-acc [P-gw: vigie-gw] vg-bb ─veth─ ctr0 [P-ctr: vigie-sink]
#
# usage: scripts/lab-bench.sh            (as root, after `make`)
#   LAB_CAMERAS="4 32 128"  LAB_BITRATES="2M 8M"  LAB_SECONDS=10
#   LAB_ENGINE=cryptodev  LAB_SUITE=AES_CM_128_HMAC_SHA1_80  LAB_SIZE=1200
#   LAB_OUT=build/lab-bench (results.csv, per-case logs and JSON)
#
# The paths are kernel veths driven by net_af_packet: the figures measure the
# whole chain on this host, not the gateway alone (that is `make bench`).  On
# a 2-core machine the three DPDK programs share the cores: camgen and the
# sink sleep when idle, the gateway's worker busy-polls lcore 1.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. scripts/lib.sh
CAMERAS=${LAB_CAMERAS:-"4 32 128"}
BITRATES=${LAB_BITRATES:-"2M 8M"}
SECS=${LAB_SECONDS:-10}
ENGINE=${LAB_ENGINE:-cryptodev}
SUITE=${LAB_SUITE:-AES_CM_128_HMAC_SHA1_80}
SIZE=${LAB_SIZE:-1200}
OUT=${LAB_OUT:-build/lab-bench}
P=vglab-$$
GW_PID=''

die() { echo "lab-bench: $*" >&2; exit 1; }
cleanup() {
	set +e
	[[ -z $GW_PID ]] || kill -INT "$GW_PID" 2>/dev/null
	scripts/netns.sh down "$P" >/dev/null 2>&1
}
trap cleanup EXIT

key_bytes() {
	case $1 in
	AES_CM_128_HMAC_SHA1_80|AES_CM_128_HMAC_SHA1_32) echo 30 ;;
	AEAD_AES_128_GCM) echo 28 ;;
	AEAD_AES_256_GCM) echo 44 ;;
	*) die "LAB_SUITE: unknown suite '$1'" ;;
	esac
}

# write_config N DIR: N cameras, 240 addresses on the access /24, then
# more RTP ports per address; one center.
write_config() {
	local n=$1 d=$2 i
	vg_key "$d/ctr.key" "$(key_bytes "$SUITE")"
	{
		printf 'gateway = { engine = "%s"; summary_interval = 0; mbufs = 32767; };\n' "$ENGINE"
		cat <<-CONF
		ports = (
		  { name = "access"; device = "net_af_packet0,iface=vg-acc"; role = "access";
		    address = "198.18.1.1/24"; },
		  { name = "backbone"; device = "net_af_packet1,iface=vg-bb"; role = "backbone";
		    address = "198.19.0.1/24"; }
		);
		centers = ( { name = "ctr"; address = "198.19.0.2"; suite = "$SUITE"; key_file = "ctr.key"; } );
		CONF
		echo "cameras = ("
		for ((i = 0; i < n; i++)); do
			printf '  { name = "cam-%04d"; source = "198.18.1.%d"; port = %d; center = "ctr";\n' \
				"$i" $((11 + i % 240)) $((5004 + 2 * (i / 240)))
			printf '    dest_port = %d; ssrc = 0x%08x; }%s\n' $((10000 + 2 * i)) \
				$((0x10000000 + i)) "$([[ $((i + 1)) -lt $n ]] && echo ,)"
		done
		echo ");"
	} > "$d/vigie.conf"
}

start_gateway() {
	vg_start_gw "$P-gw" "$P-gw" "$1/vigie.conf" "$1/gw.log" 100 || die "vigie-gw did not come up"
}

# run_case N RATE: one measurement; appends a CSV row.
run_case() {
	local n=$1 rate=$2 d=$OUT/$1-$2 sink rc=0
	mkdir -p "$d"
	write_config "$n" "$d"
	start_gateway "$d"
	ip netns exec "$P-ctr" build/vigie-sink -l 0 --in-memory --no-pci --file-prefix "$P-sink" \
		--log-level=3 -- --config "$d/vigie.conf" --center ctr \
		--port net_af_packet0,iface=ctr0 --idle 2 --quiet --json "$d/sink.json" \
		> "$d/sink.log" 2>&1 &
	sink=$!
	sleep 1
	ip netns exec "$P-cam" build/vigie-camgen -l 0 --in-memory --no-pci --file-prefix "$P-cam" \
		--log-level=3 -- --config "$d/vigie.conf" --port net_af_packet0,iface=cam0 \
		--bitrate "$rate" --size "$SIZE" --duration "$SECS" --quiet --json "$d/camgen.json" \
		> "$d/camgen.log" 2>&1 || die "camgen failed: $(cat "$d/camgen.log")"
	wait "$sink" || rc=$?
	kill -INT "$GW_PID"; wait "$GW_PID" || true; GW_PID=
	python3 - "$n" "$rate" "$rc" "$d" >> "$OUT/results.csv" <<-'PY'
	import json, sys
	n, rate, rc, d = sys.argv[1:5]
	c = json.load(open(d + "/camgen.json"))
	s = json.load(open(d + "/sink.json"))
	t = s["totals"]
	lat = sorted((st["latency_us"] for st in s["streams"] if st["latency_us"]["samples"]),
	             key=lambda l: l["p99"])
	worst = lat[-1] if lat else {"p50": 0, "p99": 0, "max": 0}
	p50 = sorted(l["p50"] for l in lat)[len(lat) // 2] if lat else 0
	# Where packets went missing: the gateway's own final counters.
	gw = {}
	for line in open(d + "/gw.log"):
	    w = line.split()
	    if w[:1] == ["port"] and len(w) >= 6:
	        gw[w[1]] = {"rx": int(w[3]), "tx": int(w[5])}
	    if w[:1] == ["drop"] and len(w) == 3:
	        gw["drops"] = gw.get("drops", 0) + int(w[2])
	offered = sum(k["rtp_octets"] for k in c["cameras"]) * 8 / c["seconds"] / 1e6
	delivered = sum(st["mbps"] for st in s["streams"])
	print(f'{n},{rate},{c["rtp_packets"]},{gw.get("access", {}).get("rx", 0)},'
	      f'{gw.get("backbone", {}).get("tx", 0)},{gw.get("drops", 0)},{t["rtp_packets"]},{offered:.2f},{delivered:.2f},'
	      f'{t["lost"]},{t["loss_pct"]:.4f},{t["auth_fail"]},{p50:.1f},{worst["p99"]:.1f},'
	      f'{worst["max"]:.1f},{"pass" if rc == "0" else "fail"}')
	PY
}

print_table() {
	column -t -s, "$OUT/results.csv"
	echo
	echo "offered: RTP payload Mbit/s camgen sent; delivered: RTP payload Mbit/s the sink decrypted;"
	echo "sent/decrypted: RTP packets; gw_rx/gw_tx: all frames the gateway received on access and sent on backbone (RTCP, ARP too);"
	echo "latency: camgen send -> sink after decryption (p50 median over streams, p99/max worst stream)."
}

[[ $(id -u) -eq 0 ]] || die "must run as root"
for b in vigie-gw vigie-camgen vigie-sink; do
	[[ -x build/$b ]] || die "build/$b missing: run make"
done
mkdir -p "$OUT"
echo "cameras,bitrate,sent,gw_rx,gw_tx,gw_drops,decrypted,offered_mbps,delivered_mbps,lost,loss_pct,auth_fail,lat_p50_us,lat_p99_us,lat_max_us,verdict" \
	> "$OUT/results.csv"
scripts/netns.sh up "$P" bench >/dev/null
for n in $CAMERAS; do
	for rate in $BITRATES; do
		echo "lab-bench: $n cameras x $rate for $SECS s ($SUITE, engine $ENGINE)"
		run_case "$n" "$rate"
	done
done
print_table
