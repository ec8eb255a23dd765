# SPDX-License-Identifier: BSD-3-Clause
# The table: one line per suite x size x streams, the engines side by side
# (in the order of -v engines="..."), then the speedup of the last engine
# over the first and what made a case INVALID, FAILED or SKIPPED; then
# memory per stream.  scripts/bench/csv -v engines=... table.awk cases.csv
function key(s, z, n) { return s SUBSEP z SUBSEP n }
function center(t, w,  l) { l = int((w - length(t)) / 2); return sprintf("%*s%-*s", l, "", w - l, t) }
BEGIN { ne = split(engines, E, " "); W = 36 }
col("role") != "protect" { next }
{
	k = key(col("suite"), col("size"), col("streams")); e = col("engine")
	if (!(k in seen)) { seen[k] = 1; order[++nk] = k; ceil[k] = col("ceiling_mpps"); cold[k] = col("cold_ceiling_mpps") }
	m[k, e] = col("mpps"); g[k, e] = col("gbps"); r[k, e] = col("ratio_to_ceiling"); d[k, e] = col("drops")
	b[k, e] = col("bytes_per_stream"); st[k, e] = col("status"); mp[k, e] = col("mempool")
	rc[k, e] = col("ratio_to_cold_ceiling")
}
END {
	printf "%-24s %5s %7s %8s %6s", "", "", "", "ceiling", "cold"
	for (i = 1; i <= ne; i++) printf " |%s", center(E[i], W + 1)
	printf "%s\n", (ne > 1 ? " |" : "")
	printf "%-24s %5s %7s %8s %6s", "suite", "bytes", "streams", "Mpps", "Mpps"
	for (i = 1; i <= ne; i++) printf " | %6s %7s %6s %6s %7s", "Mpps", "Gbit/s", "ratio", "r.cold", "B/strm"
	if (ne > 1) printf " | %s/%s", E[ne], E[1]
	printf "\n"
	for (j = 1; j <= nk; j++) {
		k = order[j]; split(k, f, SUBSEP); note = ""
		printf "%-24s %5d %7d %8s %6s", f[1], f[2], f[3], ceil[k] == "" ? "FAILED" : sprintf("%.3f", ceil[k]),
			cold[k] == "" ? "FAILED" : sprintf("%.3f", cold[k])
		for (i = 1; i <= ne; i++) {
			e = E[i]
			if (!((k, e) in st) || st[k, e] == "FAILED" || st[k, e] == "SKIPPED") {
				printf " | %6s %7s %6s %6s %7s", "-", "-", "-", "-", "-"
				note = note sprintf("  %s %s", e, (k, e) in st ? st[k, e] : "not run")
				continue
			}
			printf " | %6.3f %7.2f %6s %6s %7s", m[k, e], g[k, e],
				r[k, e] == "" ? "-" : r[k, e], rc[k, e] == "" ? "-" : rc[k, e],
				b[k, e] == "" ? "-" : b[k, e]
			if (st[k, e] != "ok")
				note = note sprintf("  %s INVALID (%d drops, mempool %s)", e, d[k, e], mp[k, e])
		}
		a = E[1]; z = E[ne]
		if (ne > 1 && st[k, a] == "ok" && st[k, z] == "ok" && m[k, a] > 0)
			printf " | %8.1fx", m[k, z] / m[k, a]
		else if (ne > 1)
			printf " | %9s", "-"
		printf "%s\n", note
	}
	printf "\nceiling: dpdk-test-crypto-perf, same suite, size and burst, on lcore 1; ratio = engine Mpps / ceiling.\n"
	printf "cold: the same crypto by vigie-bench --raw over as many buffers as the gateway's runs used; r.cold = engine Mpps / cold.\n"
	# Per suite and engine, as the gateway reports it (engine state, stream
	# entry, flow entries), taken at the largest stream count measured.
	printf "Memory per stream, bytes (as vigie-gw reports it):\n"
	for (j = 1; j <= nk; j++) {
		split(order[j], f, SUBSEP)
		if (f[1] in shown) continue
		shown[f[1]] = 1; line = ""
		for (i = 1; i <= ne; i++) {
			best = 0
			for (kk in b) {
				split(kk, h, SUBSEP)
				if (h[1] == f[1] && h[4] == E[i] && b[kk] != "" && h[3] + 0 >= best) { best = h[3] + 0; mem = b[kk] }
			}
			if (best) line = line sprintf("  %-9s %7s", E[i], mem)
		}
		printf "  %-24s%s\n", f[1], line
	}
}
