#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# plot.sh CASES PNG ENGINES SUITES SIZES STREAMS
#
# The plot of a bench run's protect cases (CASES, cases.csv) into PNG:
# Gbit/s and the ratio to the ceiling against stream count at 1,200 B (or
# the nearest size measured); when there are several SIZES, Gbit/s against
# size at 1,000 streams (or the nearest) below them.  Colour tells the
# suite, the point the engine; ceilings are dashed, cold ceilings dotted, an
# INVALID case a black cross.  The gnuplot script and the data of each line
# go to plot/ beside PNG.  Exit 1 when nothing was measured or gnuplot failed.
set -euo pipefail
here=$(dirname "$0")
# shellcheck source=scripts/bench/lib.sh
. "$here/lib.sh"
[[ $# -eq 6 ]] || { sed -n '3,11p' "$0" >&2; exit 2; }
cases=$1 png=$2 engines=$3 suites=$4 sizes=$5 streams=$6
dir=$(dirname "$png")/plot

# gnuplot_terminal: pngcairo when gnuplot has it (antialiased), else png.
# Not "enhanced": suite names are full of underscores.
gnuplot_terminal() {
	if gnuplot -e 'set terminal pngcairo' </dev/null 2>/dev/null; then
		echo "pngcairo noenhanced font 'DejaVu Sans,11'"
	else
		echo "png noenhanced font 'DejaVuSans,10'"
	fi
}

suite_color() {
	case $1 in
	AES_CM_128_HMAC_SHA1_80) echo "#1f60c4" ;;
	AES_CM_128_HMAC_SHA1_32) echo "#10a5b5" ;;
	AEAD_AES_128_GCM) echo "#d62728" ;;
	AEAD_AES_256_GCM) echo "#e08a00" ;;
	*) echo "#555555" ;;
	esac
}

engine_style() {
	case $1 in
	cryptodev) echo "lw 2.5 pt 7 ps 1.4" ;;	# filled circles
	*) echo "lw 1.5 pt 12 ps 1.6" ;;		# open diamonds
	esac
}

# panel TAG FIX FIXED X Y: the plot clauses of one panel, column Y against
# column X of the cases whose column FIX is FIXED, one line per engine x
# suite (series.awk writes their data).
panel() {
	local tag=$1 y=$5 suite engine f cmd='' sep='' dash
	csv -v dir="$dir" -v tag="$tag" -v fix="$2" -v fixed="$3" -v x="$4" -v y="$y" \
		"$here/series.awk" "$cases"
	for f in "$dir/$tag"-*.dat; do [[ -e $f ]] && sort -n -o "$f" "$f"; done
	for suite in $suites; do
		for engine in $engines; do
			f=$dir/$tag-$engine-$suite.dat
			[[ -s $f ]] || continue
			cmd+="$sep'$f' using 1:2 with linespoints $(engine_style "$engine") lc rgb '$(suite_color "$suite")' notitle"
			sep=", "
		done
		# The suite's ceiling in Gbit/s, flat across stream counts, dashed;
		# its cold ceiling (the gateway's buffers) dotted.
		for f in ceiling:'(9,6)' cold:'(2,4)'; do
			dash=${f#*:} f=$dir/$tag-${f%%:*}-$suite.dat
			[[ -s $f ]] || break
			cmd+="$sep'$f' using 1:2 with lines lw 1.8 dt $dash lc rgb '$(suite_color "$suite")' notitle"
			sep=", "
		done
	done
	# Cases that lost packets or leaked mbufs: a black cross over the point.
	f=$dir/$tag-invalid.dat
	[[ -s $f ]] && cmd+="$sep'$f' using 1:2 with points pt 2 ps 3 lw 3 lc rgb 'black' notitle"
	echo "$cmd"
}

# legend INVALID: colour is the suite, line and point the engine.  One
# entry per suite and per style rather than per series, so that the legend
# stays short; the cross only when there is an INVALID case (INVALID 1).
legend() {
	local suite engine cmd=''
	for suite in $suites; do
		cmd+="keyentry with lines lw 4 lc rgb '$(suite_color "$suite")' title '$suite', "
	done
	for engine in $engines; do
		cmd+="keyentry with linespoints $(engine_style "$engine") lc rgb 'black' title '$engine', "
	done
	cmd+="keyentry with lines lw 1.8 dt (9,6) lc rgb 'black' title 'crypto ceiling', "
	cmd+="keyentry with lines lw 1.8 dt (2,4) lc rgb 'black' title 'cold ceiling', "
	(($1)) && cmd+="keyentry with points pt 2 ps 2 lw 3 lc rgb 'black' title 'INVALID (drops or leak)', "
	echo "$cmd"
}

size=$(pick 1200 "$sizes")
n=$(pick 1000 "$streams")
npanels=2
(($(words "$sizes") > 1)) && npanels=3
model=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
rm -rf "$dir"
mkdir -p "$dir"
read -r measured invalid < <(csv 'col("role") == "protect" {
	if (col("status") == "ok" || col("status") == "INVALID") m = 1
	if (col("status") == "INVALID") v = 1
} END { print m + 0, v + 0 }' "$cases")
((measured)) || { say "no case was measured: nothing to plot"; exit 1; }
# Panel 1 and its legend at the top, the others below; the stream axis
# from half the fewest streams to twice the most.
read -r lo hi < <(tr ' ' '\n' <<<"$streams" | sort -n | sed -n '1p;$p' | paste -sd' ')
read -r o1 s1 o2 s2 xrange < <(awk -v n=$npanels -v lo="$lo" -v hi="$hi" 'BEGIN { printf "%.3f %.3f %.3f %.3f %s\n", (n - 1) / n * 0.86, 0.86 / n + 0.14 - 0.05,
		(n - 2) / n * 0.86, 0.86 / n, lo / 2 ":" hi * 2 }')
gbps=$(panel streams size "$size" streams gbps)
ratio=$(panel ratio size "$size" streams ratio_to_ceiling)
# No ratio when no ceiling could be measured: keep the panel, say why.
note=''
if [[ -z $ratio ]]; then
	ratio="1/0 notitle"
	note="set label 1 'no crypto ceiling was measured' at graph 0.5, 0.5 center font ',14'"
fi
bysize=''
((npanels == 2)) || bysize=$(panel sizes streams "$n" size gbps)
{
	cat <<-EOF
	set terminal $(gnuplot_terminal) size 1200,$((npanels * 400 + 260))
	set output '$png'
	set multiplot title "Vigie SRTP protect on one worker core — $model, $(date -u +%Y-%m-%d)\\ncrypto ceiling: dpdk-test-crypto-perf, same suite, size and burst, same core; cold ceiling: the same over as many buffers as the gateway's runs used" font ',12'
	set grid xtics ytics mytics lc rgb '#dddddd'
	set lmargin 11
	set rmargin 4
	# Panel 1, with the legend in three columns beneath it.
	set origin 0, $o1
	set size 1, $s1
	set key outside below center horizontal Left reverse maxrows 2 spacing 1.2 samplen 4 width 5 font ',10'
	set logscale xy
	set format y '%g'
	set xrange [$xrange]
	set xtics ("1" 1, "10" 10, "100" 100, "1,000" 1000, "10,000" 10000, "100,000" 100000, "1,000,000" 1000000)
	set xlabel 'streams' offset 0,0.4
	set ylabel 'Gbit/s (RTP bytes)'
	set title "Throughput against stream count, ${size}-byte RTP packets"
	plot $(legend "$invalid")$gbps
	unset key
	# Panel 2: the figure the targets are stated in.
	set origin 0, $o2
	set size 1, $s2
	unset logscale y
	set yrange [0:1.1]
	set ytics 0.1
	set ylabel 'ratio to crypto ceiling'
	set title "Ratio to the crypto ceiling, ${size}-byte RTP packets (target: cryptodev >= 0.80)"
	set arrow from graph 0, first 0.8 to graph 1, first 0.8 nohead lw 1.5 dt (3,4) lc rgb '#2a9d2a'
	$note
	plot $ratio
	unset arrow
	unset label 1
	EOF
	if [[ -n $bysize ]]; then
		cat <<-EOF
		set origin 0, 0
		set size 1, $s2
		unset logscale x
		set logscale y
		set yrange [*:*]
		set ytics autofreq
		set xrange [0:1500]
		set xtics 200
		set xlabel 'RTP packet size, bytes (the frame on the wire is 42 bytes more)'
		set ylabel 'Gbit/s (RTP bytes)'
		set title "Throughput against packet size, $n streams"
		plot $bysize
		EOF
	fi
	echo "unset multiplot"
} >"$dir/throughput.gp"
gnuplot "$dir/throughput.gp"
