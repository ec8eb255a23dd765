# SPDX-License-Identifier: BSD-3-Clause
# The cases of one suite and size from their runs (scripts/bench.sh, after
# that suite and size's rounds):
#   scripts/bench/csv -v suite=S -v size=B -v logs=DIR cases.awk runs.csv
# Each figure is the best of its rounds: on a shared machine noise only
# ever lowers a figure.  Zero loss is part of it: a drop or a leaked mbuf
# in any run makes the case INVALID, a failed run FAILED.  A ceiling with a
# failed run is no ceiling (the ratio would flatter).  Prints each case as
# KEY=VALUE words, the columns of cases.csv, in the order the cases were
# first run (the protect cases, then the center's), and says each on stderr.
function say(text) { print "bench: " text > "/dev/stderr" }

col("suite") == suite && col("size") == size {
	k = col("role") SUBSEP col("engine") SUBSEP col("streams")
	if (!(k in status)) { order[++n] = k; status[k] = "ok"; drops[k] = 0 }
	runs[k]++
	secs[k] += col("seconds")
	if (col("status") != "ok") { status[k] = col("status"); next }	# FAILED, SKIPPED
	if (!(k in best) || col("mpps") + 0 > best[k] + 0) best[k] = col("mpps")
	drops[k] += col("drops")
	bps[k] = col("bytes_per_stream")
	buffers[k] = col("buffers")
	if (col("role") != "ceiling" && col("role") != "cold" && col("mempool") != "ok")
		pool[k] = col("mempool")
}

# ceiling(ROLE, NAME, HOW): the best of the ceiling runs of ROLE, said; ""
# when one failed.
function ceiling(role, name, how,   k) {
	k = role SUBSEP SUBSEP
	if (!(k in status)) return ""
	if (status[k] != "ok") {
		say(sprintf("%s %s %d B: FAILED — see %s/%s-%s-%d.*.log", name, suite, size, logs, role, suite, size))
		return ""
	}
	say(sprintf("%s %s %d B: %s MOps (%s, best of %d)", name, suite, size, best[k], how, runs[k]))
	return best[k]
}

function ratio(a, b) { return (b + 0 > 0 && a != "") ? sprintf("%.3f", a / b) : "" }

function protect(k, e, n,   m, st, mp, rc, rcc) {
	st = status[k]
	if (st == "FAILED" || st == "SKIPPED") {
		printf "role=protect engine=%s suite=%s size=%d streams=%d status=%s ceiling_mpps=%s cold_ceiling_mpps=%s\n",
			e, suite, size, n, st, ceil, cold
		say(sprintf("%s %s %d B %d streams: %s", e, suite, size, n, st == "FAILED" ? "FAILED" : "skipped"))
		return
	}
	m = best[k]; mp = (k in pool) ? pool[k] : "ok"
	st = (drops[k] == 0 && mp == "ok") ? "ok" : "INVALID"
	rc = ratio(m, ceil); rcc = ratio(m, cold)
	if (st == "ok") protected[e, n] = sprintf("%.4f", m)
	printf "role=protect engine=%s suite=%s size=%d streams=%d status=%s mpps=%.4f gbps=%.3f ceiling_mpps=%s ratio_to_ceiling=%s cold_ceiling_mpps=%s ratio_to_cold_ceiling=%s drops=%d bytes_per_stream=%s mempool=%s\n",
		e, suite, size, n, st, m, m * size * 8 / 1000, ceil, rc, cold, rcc, drops[k], bps[k], mp
	say(sprintf("%s %s %d B %d streams: %.3f Mpps %.2f Gbit/s%s%s, drops %d, mempool %s (%d s)%s",
		e, suite, size, n, m, m * size * 8 / 1000, (rc == "" ? "" : ", " rc " of ceiling"),
		(rcc == "" ? "" : ", " rcc " of cold ceiling"), drops[k], mp, secs[k], (st == "ok" ? "" : "  INVALID")))
}

# center(K, ENGINE, STREAMS): beside the same case protecting in these
# rounds (protected[], when it was measured and valid).
function center(k, e, n,   m, st, mp, p) {
	m = (k in best) ? best[k] : ""; mp = (k in pool) ? pool[k] : "ok"
	st = status[k] == "FAILED" ? "FAILED" : (drops[k] == 0 && mp == "ok") ? "ok" : "INVALID"
	p = ((e, n) in protected) ? protected[e, n] : ""
	printf "role=center engine=%s suite=%s size=%d streams=%d status=%s mpps=%s gbps=%s protect_mpps=%s ratio_to_protect=%s drops=%d bytes_per_stream=%s mempool=%s\n",
		e, suite, size, n, st, m, (m == "" ? "" : sprintf("%.3f", m * size * 8 / 1000)), p,
		ratio(m, p), drops[k], bps[k], mp
	say(sprintf("center %s %s %d B %d streams: %s Mpps (protecting: %s), drops %d, mempool %s (%s)",
		e, suite, size, n, (m == "" ? "?" : m), (p == "" ? "not measured" : p), drops[k], mp, st))
}

END {
	ceil = ceiling("ceiling", "ceiling", "dpdk-test-crypto-perf on lcore 1")
	cold = ceiling("cold", "cold ceiling", "vigie-bench --raw over " buffers["cold", "", ""] " buffers on lcore 1")
	for (i = 1; i <= n; i++) {
		split(order[i], K, SUBSEP)
		if (K[1] == "protect") protect(order[i], K[2], K[3])
		else if (K[1] == "center") center(order[i], K[2], K[3])
	}
}
