#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Install what Vigie needs to build, test and demo on Debian 12, and reserve
# hugepages. Idempotent and quiet when everything is already in place.
set -euo pipefail

PACKAGES=(
	build-essential pkg-config clang
	dpdk dpdk-dev libdpdk-dev
	libsrtp2-dev libssl-dev libconfig-dev
	iproute2 iputils-ping iputils-arping tcpdump tshark ethtool
	gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
	gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-libav
	ffmpeg python3 python3-cryptography gnuplot-nox linux-perf
)
HUGEPAGES=${VIGIE_HUGEPAGES:-512}	# 2 MiB pages: 1 GiB

log() { printf 'setup: %s\n' "$*"; }

[ "$(id -u)" -eq 0 ] || { echo "setup: must run as root (apt, hugepages, namespaces)" >&2; exit 1; }

missing=()
for p in "${PACKAGES[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# tshark asks whether non-root users may capture; answer once, quietly.
	echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Hugepages: the gateway itself runs with them; unit tests use --no-huge.
cur=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)
if [ "$cur" -lt "$HUGEPAGES" ]; then
	echo "$HUGEPAGES" > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages || true
	cur=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)
	[ "$cur" -ge 64 ] || log "warning: only $cur hugepages reserved; runs will use --no-huge"
fi
if ! mountpoint -q /dev/hugepages 2>/dev/null; then
	mkdir -p /dev/hugepages
	mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null || log "warning: could not mount hugetlbfs"
fi
exit 0
