#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# machine.sh MATRIX KEYS
#
# What the figures depend on, so that they can be compared: CPU (and
# whether it is a VM), the flags intel-ipsec-mb can use, kernel, DPDK,
# intel-ipsec-mb and libsrtp versions, the commit, the load at start; then
# the run's MATRIX and KEYS as given.  Run from the repository.
set -euo pipefail
[[ $# -eq 2 ]] || { sed -n '3,8p' "$0" >&2; exit 2; }
has_flag() { grep -qw "$1" /proc/cpuinfo && echo yes || echo no; }
model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
hyp=$(lscpu | sed -n 's/^Hypervisor vendor: *//p' | head -1)
dpdk=$(pkg-config --modversion libdpdk 2>/dev/null || echo unknown)
srtp=$(pkg-config --modversion libsrtp2 2>/dev/null || echo unknown)
ipsecmb=$(dpkg-query -W -f='${Version}' libipsec-mb1 2>/dev/null || echo unknown)
rev=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || rev+=" (with local changes)"
cat <<EOF2
date:        $(date -u '+%Y-%m-%d %H:%M UTC')
cpu:         $model${hyp:+ ($hyp guest)}
cpus:        nproc $(nproc); worker on lcore 1, generator on lcore 0
cpu flags:   avx512f=$(has_flag avx512f) vaes=$(has_flag vaes) sha_ni=$(has_flag sha_ni) aes=$(has_flag aes)
kernel:      $(uname -r)
dpdk:        $dpdk (intel-ipsec-mb $ipsecmb)
libsrtp:     $srtp
vigie:       $rev
load:        $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) at start; anything else on lcore 1 lowers the figures
matrix:      $1
keys:        $2 (BENCH_KEYS)
EOF2
