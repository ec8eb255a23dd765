# SPDX-License-Identifier: BSD-3-Clause
# The issue's targets, each MET or NOT MET with the figures behind it, from
# the protect cases: scripts/bench/csv targets.awk cases.csv.  A target
# whose case is INVALID, FAILED or not measured is NOT MET.
col("role") == "protect" {
	k = col("engine") SUBSEP col("suite") SUBSEP col("size") SUBSEP col("streams")
	m[k] = col("mpps"); r[k] = col("ratio_to_ceiling"); st[k] = col("status"); rc[k] = col("ratio_to_cold_ceiling")
}
# Test membership first: merely reading st[...] would create the entry.
function valid(e, s, n) { return ((e, s, 1200, n) in st) && st[e, s, 1200, n] == "ok" }
function why(e, s, n) {
	if (!((e, s, 1200, n) in st)) return "not measured (" e " " s " " n " streams)"
	return st[e, s, 1200, n] " (" e " " s " " n " streams)"
}
function verdict(ok, text) {
	printf "  %-8s %s\n", ok ? "MET" : "NOT MET", text; met += ok; total++
}
BEGIN { cm = "AES_CM_128_HMAC_SHA1_80"; gcm = "AEAD_AES_128_GCM" }
END {
	print "Targets (one worker core, 1200-byte RTP packets):"
	split(cm " " gcm, S, " ")
	for (i = 1; i <= 2; i++) {
		s = S[i]
		if (!valid("cryptodev", s, 1000))
			verdict(0, "cryptodev >= 0.80 x ceiling, " s ", 1000 streams: " why("cryptodev", s, 1000))
		else if (r["cryptodev", s, 1200, 1000] == "")
			verdict(0, "cryptodev >= 0.80 x ceiling, " s ", 1000 streams: no crypto ceiling for " s " 1200 B")
		else {
			cold = rc["cryptodev", s, 1200, 1000]
			cold = (cold == "") ? "" : (" (" cold " of the cold ceiling, for reference)")
			verdict(r["cryptodev", s, 1200, 1000] >= 0.80, sprintf("cryptodev >= 0.80 x ceiling, %s, 1000 streams: %s%s", s,
				r["cryptodev", s, 1200, 1000], cold))
		}
	}
	if (!valid("cryptodev", cm, 1000) || !valid("libsrtp", cm, 1000))
		verdict(0, "cryptodev >= 10 x libsrtp, " cm ", 1000 streams: " \
			(valid("cryptodev", cm, 1000) ? why("libsrtp", cm, 1000) : why("cryptodev", cm, 1000)))
	else {
		x = m["cryptodev", cm, 1200, 1000] / m["libsrtp", cm, 1200, 1000]
		verdict(x >= 10, sprintf("cryptodev >= 10 x libsrtp, %s, 1000 streams: %.3f / %.3f Mpps = %.1fx", cm,
			m["cryptodev", cm, 1200, 1000], m["libsrtp", cm, 1200, 1000], x))
	}
	for (i = 1; i <= 2; i++) {
		s = S[i]
		if (!valid("cryptodev", s, 1000) || !valid("cryptodev", s, 100000))
			verdict(0, "cryptodev 100000 streams >= 0.70 x 1000 streams, " s ": " \
				(valid("cryptodev", s, 1000) ? why("cryptodev", s, 100000) : why("cryptodev", s, 1000)))
		else {
			x = m["cryptodev", s, 1200, 100000] / m["cryptodev", s, 1200, 1000]
			verdict(x >= 0.70, sprintf("cryptodev 100000 streams >= 0.70 x 1000 streams, %s: %.3f / %.3f Mpps = %.3f", s,
				m["cryptodev", s, 1200, 100000], m["cryptodev", s, 1200, 1000], x))
		}
	}
	printf "  %d of %d targets met\n", met, total
}
