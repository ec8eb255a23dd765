#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run every unit-test program given; print each one's result and one closing
# line with the totals: "unit: N passed, N failed, N skipped".
#
# A program fails when it exits non-zero, dies on a signal, or does not
# print its summary line "NAME: N passed, N failed[, N skipped]" (one that
# prints none ran nothing we can count: a failure, not 0 passed).
# VG_TEST_CASE (a glob, `make unit T=parse/valid`) reaches each program:
# the harness runs only the cases it names (tests/unit/harness.h).
# VG_T: the T= the programs were chosen by, for the message when none was.
set -u
if [ $# -eq 0 ]; then
	echo "unit: no test program named '${VG_T:-}' (T=parse, T=test_parse or T=parse/CASE)"
	exit 1
fi
re='^[^ ]+: ([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?$'
pass=0 fail=0 skip=0 bad=''
for t in "$@"; do
	name=$(basename "$t"); name=${name%.*}
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out" | grep -v '^$' | grep -vE "$re"	# its line below
	line=$(printf '%s\n' "$out" | grep -E "$re" | tail -n 1)
	why='' f=0
	if [ $rc -gt 128 ]; then
		why="killed by SIG$(kill -l $((rc - 128)) 2>/dev/null || echo $((rc - 128)))"
	elif [ $rc -ne 0 ]; then
		why="exit status $rc"
	fi
	if [ -z "$line" ]; then
		why="${why:+$why, }no summary line"
		res="FAILED: $why"
	else
		p=$(sed -E "s/$re/\\1/" <<<"$line"); f=$(sed -E "s/$re/\\2/" <<<"$line")
		s=$(sed -E "s/$re/\\4/" <<<"$line")
		pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + ${s:-0}))
		res="$p passed, $f failed, ${s:-0} skipped"
		# A failure the summary does not show is still a failure.
		[ "$f" -eq 0 ] || [ $rc -ne 0 ] || why="exit 0 with $f failed"
		[ -z "$why" ] || res="$res; FAILED: $why"
	fi
	[ -z "$why" ] && [ "${f:-0}" -eq 0 ] || bad="$bad $name"
	printf '== %-16s %s\n' "$name" "$res"
done
echo "unit: $pass passed, $fail failed, $skip skipped"
if [ -n "$bad" ]; then
	echo "unit: failed:$bad"
	exit 1
fi
[ $fail -eq 0 ]
