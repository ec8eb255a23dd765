# SPDX-License-Identifier: BSD-3-Clause
# Shell helpers shared by the e2e tests (tests/e2e/), the lab bench and the
# namespace lab (scripts/): source it from the repository root.  Functions
# only; nothing runs on sourcing.

# vg_key FILE BYTES: a fresh master key file, SDES "inline:" base64 of BYTES
# random bytes (key || salt), mode 0600 from the start.
vg_key() {
	(umask 077; printf 'inline:%s\n' "$(openssl rand -base64 "$2")" > "$1")
}

# vg_start_gw NS PREFIX CONF LOG [TRIES]: vigie-gw in namespace NS (EAL file
# prefix PREFIX) on CONF, its output in LOG; sets GW_PID (call it directly,
# not in $(...), so that it is the gateway's) and waits up to TRIES x 0.2 s
# (50) for its worker to start.  1, with LOG shown, when it does not.
# BUILD: the directory of vigie-gw (build/ by default; tests/e2e/lib.sh sets
# it from make e2e BUILD=...).
# VG_GW_EAL: further EAL options (words), e.g. --mbuf-pool-ops-name.  The
# index reservations go to CONF's name with .state for .conf (the same
# across restarts of one gateway), or to VG_STATE_DIR.
vg_start_gw() {
	local i
	# shellcheck disable=SC2086	# VG_GW_EAL is a list of options
	ip netns exec "$1" "${BUILD:-build}/vigie-gw" -l 0,1 --in-memory --no-pci --file-prefix "$2" \
		${VG_GW_EAL:-} -- --config "$3" --state-dir "${VG_STATE_DIR:-${3%.conf}.state}" \
		> "$4" 2>&1 &
	GW_PID=$!
	for ((i = 0; i < ${5:-50}; i++)); do
		grep -q 'worker lcore' "$4" && return 0
		kill -0 "$GW_PID" 2>/dev/null || break
		sleep 0.2
	done
	cat "$4" >&2
	echo "vigie-gw did not come up ($3)" >&2
	return 1
}
