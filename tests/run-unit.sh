#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Run every unit-test binary given; print one closing line with the totals.
set -u
pass=0 fail=0 bad=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out" | grep -v '^$'
	line=$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -1)
	p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line"); f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
	[ $rc -eq 0 ] || bad=$((bad + 1))
done
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $bad -eq 0 ]
