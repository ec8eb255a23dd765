#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# report.sh OUT CENTER ENGINES SUITES SIZES STREAMS
#
# The report of a bench run, from OUT/cases.csv (every case with its
# figures and status, scripts/bench/cases.awk) and OUT/profile.csv: writes
# OUT/results.csv, OUT/center.csv (when CENTER is 1) and
# OUT/throughput.png, and prints the table, the targets, the profile and
# the center role.  ENGINES (in table order), SUITES, SIZES, STREAMS: the
# matrix.  Exit 1 when the plot could not be written.
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=scripts/bench/lib.sh
. "$here/lib.sh"
[[ $# -eq 6 ]] || { sed -n '3,10p' "$0" >&2; exit 2; }
out=$1 center=$2 engines=$3 suites=$4 sizes=$5 streams=$6
cases=$out/cases.csv

# measured ROLE COLUMNS: a CSV of COLUMNS (the header, then those columns of
# the measured cases of ROLE, valid or INVALID: a case that failed or was
# skipped has no row).
measured() {
	echo "$2"
	csv -v role="$1" -v columns="$2" 'BEGIN { n = split(columns, c, ",") }
	col("role") == role && (col("status") == "ok" || col("status") == "INVALID") {
		for (i = 1; i <= n; i++) printf "%s%s", col(c[i]), (i < n ? "," : "\n")
	}' "$cases"
}

# profile: the split of each profiled case, and what 0.80 needs.
profile() {
	csv -v out="$out" '{
		if (!n++) {
			print "Where lcore 1'"'"'s time goes (perf, cryptodev engine; " out "/profile-*.txt has the symbols):"
			printf "  %-24s %5s %7s %6s %6s %6s %6s %6s %6s %6s | %6s %7s %6s %6s %6s\n", "suite",
				"bytes", "streams", "crypto", "driver", "engine", "csum", "gatew.", "ports", "other",
				"Mpps", "ceiling", "ratio", "c.cost", "needs"
		}
		printf "  %-24s %5d %7d %5.1f%% %5.1f%% %5.1f%% %5.1f%% %5.1f%% %5.1f%% %5.1f%% | %6.3f %7.3f %6.3f %6.2f %5.0f%%\n",
			col("suite"), col("size"), col("streams"), col("crypto"), col("driver"), col("engine"),
			col("checksum"), col("gateway"), col("ports"), col("other"), col("mpps"), col("ceiling_mpps"),
			(col("ceiling_mpps") > 0) ? col("mpps") / col("ceiling_mpps") : 0, col("crypto_cost"), 80 * col("crypto_cost")
	}
	END {
		if (!n) exit
		print "  Mpps: the profiled run (under perf); ceiling: one crypto-perf run just before it; ratio = Mpps / ceiling."
		print "  c.cost: the crypto'"'"'s time per packet in the gateway, in units of the ceiling'"'"'s time per op;"
		print "  ratio = crypto share / c.cost, so 0.80 needs a crypto share of 0.80 x c.cost (\"needs\")."
	}' "$out/profile.csv"
}

# center_table: every center case, beside the same case protecting.
center_table() {
	echo "Center role (unprotect: SRTP in on the backbone, plain RTP out to the VMS):"
	csv 'BEGIN { printf "  %-10s %-24s %5s %7s %8s %7s %8s %6s  %s\n", "engine", "suite", "bytes",
		"streams", "Mpps", "Gbit/s", "protect", "ratio", "" }
	col("role") == "center" {
		m = col("mpps"); p = col("protect_mpps")
		printf "  %-10s %-24s %5d %7d %8s %7s %8s %6s  %s\n", col("engine"), col("suite"), col("size"),
			col("streams"), m == "" ? "-" : sprintf("%.3f", m),
			m == "" ? "-" : sprintf("%.2f", m * col("size") * 8 / 1000), p == "" ? "-" : sprintf("%.3f", p),
			col("ratio_to_protect") == "" ? "-" : col("ratio_to_protect"),
			col("status") == "ok" ? "" : col("status") " (" col("drops") " drops)"
	}' "$cases"
	echo "  protect: the same case protecting in this run; ratio = unprotect / protect."
}

measured protect engine,suite,size,streams,mpps,gbps,ceiling_mpps,ratio_to_ceiling,drops,bytes_per_stream,cold_ceiling_mpps,ratio_to_cold_ceiling \
	>"$out/results.csv"
csv -v engines="$engines" "$here/table.awk" "$cases"
echo
csv "$here/targets.awk" "$cases"
echo
[[ ! -f $out/profile.csv ]] || profile
echo
if ((center)); then
	measured center engine,suite,size,streams,mpps,gbps,protect_mpps,ratio_to_protect,drops,bytes_per_stream \
		>"$out/center.csv"
	center_table
fi
echo
if "$here/plot.sh" "$cases" "$out/throughput.png" "$engines" "$suites" "$sizes" "$streams"; then
	echo "wrote $out/results.csv, $out/throughput.png, $out/machine.txt (raw output in $out/logs/)"
else
	say "could not write $out/throughput.png (see $out/plot/throughput.gp)"
	exit 1
fi
