#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Vigie lab topology: three network namespaces joined by two veth pairs.
#
#   [ns P-cam]                  [ns P-gw: vigie-gw, DPDK net_af_packet]        [ns P-ctr]
#   cam0 198.18.1.11-14/24 <--veth--> vg-acc   (gateway owns 198.18.1.1 in userspace)
#                                     vg-bb    <--veth--> ctr0 198.19.0.2/24
#                                              (gateway     ctr0 198.19.0.3/24
#                                               owns 198.19.0.1)
#
# The gateway namespace gives its veths no kernel address: vigie-gw answers ARP
# and ICMP echo itself.  IPv6 is off everywhere and cam0/ctr0 compute checksums
# in software (tx off), so the gateway sees complete frames and no kernel chatter
# (ND, MLD, router solicitations) reaches its counters.
#
# usage: scripts/netns.sh up|down [PREFIX] [bench]   (PREFIX defaults to "vigie")
# `up` also creates config/keys/*.key (mode 0600, random) when missing.
#
# `bench` builds the same wires for DPDK at both ends: vigie-camgen on cam0
# and vigie-sink on ctr0 (net_af_packet) own the camera and center addresses
# in userspace, so the kernel gets no address there (it would answer ARP and
# send ICMP port-unreachable for the sink's traffic):
#
#   [P-cam: vigie-camgen] cam0 <--veth--> vg-acc [P-gw: vigie-gw] vg-bb <--veth--> ctr0 [P-ctr: vigie-sink]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/scripts/lib.sh"
P=${2:-vigie}
MODE=${3:-lab}
[[ $MODE == lab || $MODE == bench ]] || { echo "netns: mode '$MODE': lab or bench" >&2; exit 1; }
CAM=$P-cam GW=$P-gw CTR=$P-ctr

die() { echo "netns: $*" >&2; exit 1; }

# ns NS CMD...: run CMD inside namespace NS.
ns() { local n=$1; shift; ip netns exec "$n" "$@"; }

quiet_ns() {
	local n=$1
	ip netns add "$n"
	# Before any veth exists, so that new links inherit "default".
	ns "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	ns "$n" ip link set lo up
}

# make_key FILE BYTES: "inline:" base64 of BYTES random bytes (key || salt).
make_key() {
	[[ -s $1 ]] && return 0
	vg_key "$1" "$2"
	chmod 600 "$1"
}

keys() {
	local d=$ROOT/config/keys
	mkdir -p "$d"
	[[ -f $d/.gitignore ]] || printf '*.key\n' > "$d/.gitignore"
	make_key "$d/cso-nord.key" 30		# AES_CM_128: 16 key + 14 salt
	make_key "$d/csu-region.key" 28		# AEAD_AES_128_GCM: 16 key + 12 salt
}

up() {
	ip netns list | grep -qw "^$GW" && die "$GW exists; run: $0 down $P"
	quiet_ns "$CAM"; quiet_ns "$GW"; quiet_ns "$CTR"

	ip link add cam0 netns "$CAM" address 02:76:67:00:01:01 type veth \
		peer name vg-acc netns "$GW" address 02:76:67:00:00:01
	ip link add ctr0 netns "$CTR" address 02:76:67:00:02:01 type veth \
		peer name vg-bb netns "$GW" address 02:76:67:00:00:02

	local a
	if [[ $MODE != bench ]]; then
		for a in 11 12 13 14; do ns "$CAM" ip addr add "198.18.1.$a/24" dev cam0; done
		ns "$CTR" ip addr add 198.19.0.2/24 dev ctr0
		ns "$CTR" ip addr add 198.19.0.3/24 dev ctr0
	fi
	ns "$CAM" ethtool -K cam0 tx off >/dev/null
	ns "$CTR" ethtool -K ctr0 tx off >/dev/null
	ns "$GW" ethtool -K vg-acc gro off >/dev/null 2>&1 || true
	ns "$GW" ethtool -K vg-bb gro off >/dev/null 2>&1 || true
	# DPDK ends see whole frames: no offloads left for af_packet to undo.
	if [[ $MODE == bench ]]; then
		ns "$CAM" ethtool -K cam0 gro off >/dev/null 2>&1 || true
		ns "$CTR" ethtool -K ctr0 gro off >/dev/null 2>&1 || true
	fi
	ns "$CAM" ip link set cam0 up
	ns "$CTR" ip link set ctr0 up
	ns "$GW" ip link set vg-acc up
	ns "$GW" ip link set vg-bb up
	keys
}

down() {
	local n pids
	for n in "$CAM" "$GW" "$CTR"; do
		ip netns list | grep -qw "^$n" || continue
		# Only processes living in our own namespaces, by pid.
		pids=$(ip netns pids "$n" 2>/dev/null || true)
		[[ -z $pids ]] || kill $pids 2>/dev/null || true
		ip netns del "$n" 2>/dev/null || true
	done
}

[[ $(id -u) -eq 0 ]] || die "must run as root"
case ${1:-} in
up) up ;;
down) down ;;
*) die "usage: $0 up|down [PREFIX] [lab|bench]" ;;
esac
