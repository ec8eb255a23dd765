# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash disable=SC2034  # BENCH_EAL is its users'
# Sourced by scripts/bench.sh, scripts/bench-ab.sh and scripts/bench/*.sh:
# the EAL options and small functions of their arguments only.  Nothing
# runs on sourcing.
#
# The helpers speak as the driver does, in KEY=VALUE words (its RESULT
# line); files are CSV whose first line names the columns, written by name
# (record) and read by name (csv, col("name")), so that no layout is
# written down twice.

# Every program gets the same two lcores: lcore 1 is the one measured.
BENCH_EAL=(-l '0,1' --in-memory --no-pci --log-level=3)
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

say() { printf 'bench: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# csv [-v NAME=VALUE]... PROGRAM FILE...: awk by column name (scripts/bench/csv).
csv() { "$BENCH_DIR/csv" "$@"; }

# get KEY WORD...: VALUE of the word KEY=VALUE among WORDs; empty when none.
get() {
	local key=$1 w
	shift
	for w; do
		if [[ $w == "$key="* ]]; then
			printf '%s\n' "${w#*=}"
			return 0
		fi
	done
}

# record FILE KEY=VALUE...: appends a row to FILE, whose first line names
# its columns; each column gets the value of the word of its name (empty
# when there is none; words of no column are left out).
record() {
	local file=$1 w header name row='' sep=''
	local -A v=()
	shift
	for w; do v[${w%%=*}]=${w#*=}; done
	IFS= read -r header <"$file"
	for name in ${header//,/ }; do
		row+=$sep${v[$name]:-}
		sep=,
	done
	printf '%s\n' "$row" >>"$file"
}

# words LIST: how many words LIST has.
words() { local -a w; read -ra w <<<"$1"; echo "${#w[@]}"; }

# pick WANTED LIST: WANTED when LIST has it, else the LIST entry nearest to it.
pick() {
	local want=$1 best='' v
	for v in $2; do
		if [[ -z $best ]] || (((v - want) ** 2 < (best - want) ** 2)); then best=$v; fi
	done
	echo "$best"
}
