# SPDX-License-Identifier: BSD-3-Clause
# The data of one panel of the plot (scripts/bench/plot.sh):
#   scripts/bench/csv -v dir=D -v tag=T -v fix=COL -v fixed=V -v x=COL -v y=COL series.awk cases.csv
# For the protect cases whose column FIX is FIXED, column Y against column
# X into D/T-ENGINE-SUITE.dat (one file per line of the plot) and
# D/T-invalid.dat (the INVALID cases); when Y is gbps, each suite's crypto
# ceiling and cold ceiling in Gbit/s too, D/T-ceiling-SUITE.dat and
# D/T-cold-SUITE.dat.  Unsorted.
col("role") != "protect" || col(fix) != fixed { next }
{
	s = col("suite"); vx = col(x); vy = col(y)
	if (vy != "") {
		print vx, vy > (dir "/" tag "-" col("engine") "-" s ".dat")
		if (col("status") == "INVALID") print vx, vy > (dir "/" tag "-invalid.dat")
	}
	if (y != "gbps") next
	if (col("ceiling_mpps") != "" && !ceiling[s, vx]++)
		print vx, col("ceiling_mpps") * col("size") * 8 / 1000 > (dir "/" tag "-ceiling-" s ".dat")
	if (col("cold_ceiling_mpps") != "" && !cold[s, vx]++)
		print vx, col("cold_ceiling_mpps") * col("size") * 8 / 1000 > (dir "/" tag "-cold-" s ".dat")
}
