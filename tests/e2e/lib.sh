# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables set here are the scenarios'
# The scaffolding every end-to-end scenario (tests/e2e/*.sh) shares.  A
# scenario starts with
#     . "$(dirname "$0")/lib.sh"
#     e2e_begin NAME PREFIX [BINARY...]
# and ends with e2e_done.  e2e_begin goes to the repository root (ROOT),
# sources scripts/lib.sh (vg_key, vg_start_gw), sets BUILD (absolute: the
# binaries, from the environment as `make e2e BUILD=...` gives it, build/
# by default; each BINARY must be there), P=PREFIX-PID (namespaces and DPDK
# file prefixes) and CAM GW CTR VMS (its namespaces), T (a new directory for
# configs, keys and logs), and the counters.  On exit, however it comes, it
# runs the scenario's e2e_cleanup if there is one, stops GW_PID, removes the
# namespaces, keeps T when something failed (or E2E_KEEP=1), and prints the
# one line tests/e2e/run.sh reads:
#     e2e NAME: N passed, N failed
# exiting 1 if N failed > 0.  An exit before e2e_done (a command that failed
# under set -e, an unset variable) counts one more failure: "aborted".
# Each assertion is one ok or fail (or check WHAT CMD...).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
. scripts/lib.sh

PASSED=0 FAILED=0 GW_PID='' E2E_DONE=0 E2E_NAME='' T=''

ok() { PASSED=$((PASSED + 1)); printf '  ok   %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf '  FAIL %s\n' "$*"; }
# check WHAT CMD...: CMD's status is the assertion WHAT.
check() { local what=$1; shift; if "$@"; then ok "$what"; else fail "$what"; fi; }
pretty() { printf '\n== %s\n' "$*"; }

# e2e_begin NAME PREFIX [BINARY...]: see above.
e2e_begin() {
	local b
	E2E_NAME=$1
	[[ $(id -u) -eq 0 ]] || { echo "e2e $E2E_NAME: must run as root" >&2; exit 1; }
	BUILD=$(cd "${BUILD:-build}" 2>/dev/null && pwd) ||
		{ echo "e2e $E2E_NAME: no directory ${BUILD:-build}: run make" >&2; exit 1; }
	export BUILD			# scripts/lib.sh's vg_start_gw reads it
	for b in "${@:3}"; do
		[[ -x $BUILD/$b ]] || { echo "e2e $E2E_NAME: $BUILD/$b missing: run make" >&2; exit 1; }
	done
	P=$2-$$
	CAM=$P-cam GW=$P-gw CTR=$P-ctr VMS=$P-vms
	T=$(mktemp -d "/tmp/vigie-${E2E_NAME%%/*}.XXXXXX")
	trap e2e_end EXIT
}

e2e_done() { E2E_DONE=1; }

e2e_end() {
	set +e
	[[ $E2E_DONE == 1 ]] || fail "aborted: a command above failed (set -e)"
	! declare -F e2e_cleanup >/dev/null || e2e_cleanup
	[[ -z $GW_PID ]] || kill "$GW_PID" 2>/dev/null
	if ip netns list | grep -qw "^$VMS"; then
		ip netns pids "$VMS" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$VMS" 2>/dev/null
	fi
	scripts/netns.sh down "$P" >/dev/null 2>&1
	if [[ $FAILED -eq 0 && ${E2E_KEEP:-0} == 0 ]]; then rm -rf "$T"; else echo "e2e $E2E_NAME: logs kept in $T"; fi
	echo "e2e $E2E_NAME: $PASSED passed, $FAILED failed"
	exit $((FAILED > 0))
}

# Foreground commands only: "ip netns exec" itself for background jobs, so
# that $! is the process (ip execs it), not a subshell.
n_cam() { ip netns exec "$CAM" "$@"; }
n_gw() { ip netns exec "$GW" "$@"; }
n_ctr() { ip netns exec "$CTR" "$@"; }

# key NAME BYTES: a random master key file $T/NAME.key (key || salt), 0600.
key() { vg_key "$T/$1.key" "$2"; }

# json FILE EXPR: a value from a JSON file (python expression over d).
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# counter LOG LINE-PREFIX FIELD: a number from a gateway's final counters
# (0 when the line or the field is not there).
counter() {
	awk -v pre="$2" -v f="$3" 'index($0, pre) == 1 {
		for (i = 1; i < NF; i++) if ($i == f) v = $(i + 1) } END { print v + 0 }' "$1"
}
# drops LOG REASON: the gateway's final count of drops for REASON (or 0).
drops() { awk -v r="$2" '$1 == "drop" && $2 == r { n = $3 } END { print n + 0 }' "$1"; }

# tel PREFIX PATH FIELD: a field of a running gateway's DPDK telemetry reply
# (its EAL file prefix PREFIX; empty when there is none).
tel() {
	printf '%s\n' "$2" | dpdk-telemetry.py -f "$1" 2>/dev/null | python3 -c '
import json, sys
for l in sys.stdin:
    l = l.strip()
    if l.startswith("{"):
        d = json.loads(l)
        k = next(iter(d))
        if k == sys.argv[1] and isinstance(d[k], dict) and sys.argv[2] in d[k]:
            print(d[k][sys.argv[2]])' "${2%%,*}" "$3"
}

# stop_gw PID: SIGINT, then its exit status.
stop_gw() {
	local rc=0
	kill -INT "$1"; wait "$1" || rc=$?
	return $rc
}

# pop_ports [BACKBONE_DEVICE]: a PoP gateway's `ports = (...);` on
# scripts/netns.sh's topology (access vg-acc, backbone vg-bb by default),
# for a scenario's config heredoc: $(pop_ports).
pop_ports() {
	cat <<-EOF
	ports = (
	  { name = "access"; device = "net_af_packet0,iface=vg-acc"; role = "access";
	    address = "198.18.1.1/24"; },
	  { name = "backbone"; device = "${1:-net_af_packet1,iface=vg-bb}"; role = "backbone";
	    address = "198.19.0.1/24"; }
	);
	EOF
}

# center_conf FILE: the center gateway (center_topology) for the PoP's
# cam-01 (AES_CM_128_HMAC_SHA1_80, k80.key, port 6004) and cam-02
# (AEAD_AES_128_GCM, g128.key, port 6006), both to the VMS.
center_conf() {
	cat > "$1" <<-EOF
	gateway = { engine = "$ENGINE"; summary_interval = 0; };
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
	    suite = "AEAD_AES_128_GCM"; key_file = "g128.key";
	    vms = "198.19.200.10"; vms_port = 5006; }
	);
	EOF
}

# center_topology: scripts/netns.sh's topology for DPDK at both ends
# (bench), the cameras' addresses 198.18.1.11-12 on cam0 for ffmpeg, and a
# fourth namespace, the VMS: vms0 198.19.200.10 --veth-- vms-lan (the center
# gateway's access port, in $CTR).
center_topology() {
	scripts/netns.sh up "$P" bench >/dev/null
	n_cam ip addr add 198.18.1.11/24 dev cam0
	n_cam ip addr add 198.18.1.12/24 dev cam0
	n_cam ethtool -K cam0 tx off >/dev/null
	ip netns add "$VMS"
	ip netns exec "$VMS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	n_ctr sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1
	ip link add vms0 netns "$VMS" address 02:76:67:00:03:01 type veth \
		peer name vms-lan netns "$CTR" address 02:76:67:00:03:02
	ip netns exec "$VMS" ip addr add 198.19.200.10/24 dev vms0
	ip netns exec "$VMS" ethtool -K vms0 tx off >/dev/null
	ip netns exec "$VMS" ip link set lo up
	ip netns exec "$VMS" ip link set vms0 up
	n_ctr ip link set vms-lan up
}
