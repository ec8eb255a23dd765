#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Mutation testing (make mutants; docs/testing.md, "Mutation testing").
#
#   scripts/mutants.sh [-l] [NAME...]
#
# Each mutant of tests/mutants.txt is one small change to a security check
# (one line's text replaced).  It is applied to a scratch copy of the work
# tree (uncommitted changes included), built, and its test command run: the
# test must fail (killed).  A test that passes means no test guards that
# line (survived).  A mutant whose text is not found exactly once, that does
# not build, or whose test already fails without it is an error: neither a
# kill nor a survivor.  A mutant that needs what this machine lacks (root)
# is skipped and counted as skipped.  NAMEs (or M=a,b) run only those; -l
# lists them.  Exit 0 only if every mutant run was killed.
#
# Environment: MUTANTS_FILE (tests/mutants.txt), MUTANTS_DIR (the scratch
# copy, kept between runs so that builds are incremental), MUTANTS_TIMEOUT
# (seconds per test command, 600), SAN_CFLAGS (the ASan build's, as make's).
set -u
cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD
FILE=${MUTANTS_FILE:-tests/mutants.txt}
TMO=${MUTANTS_TIMEOUT:-600}
: "${SAN_CFLAGS:=-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all}"
SCRATCH=${MUTANTS_DIR:-/tmp/vigie-mutants-$(id -u)-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)}
KEYS=" mutant file from to kill needs why "

# Called from make: the scratch builds take neither its flags nor BUILD or
# CFLAGS (each has its own; CC is kept).
unset MAKEFLAGS MFLAGS MAKELEVEL BUILD CFLAGS
die() { echo "mutants: $*" >&2; exit 2; }

# --- tests/mutants.txt: blocks of "key: value" lines, one per mutant ---
declare -a NAME MFILE FROM TO KILL NEEDS
n=-1
parse() {
	local line key val no=0
	while IFS= read -r line || [ -n "$line" ]; do
		no=$((no + 1))
		case $line in '#'* | '') continue ;; esac
		key=${line%%:*}
		val=${line#*:}
		val=${val#"${val%%[! 	]*}"}	# the blanks after the colon
		[ "$key" != "$line" ] && [[ $KEYS == *" $key "* ]] ||
			die "$FILE:$no: expected one of:$KEYS(key: value)"
		if [ "$key" = mutant ]; then
			n=$((n + 1))
			NAME[n]=$val MFILE[n]='' FROM[n]='' TO[n]='' KILL[n]='' NEEDS[n]=''
			continue
		fi
		[ $n -ge 0 ] || die "$FILE:$no: '$key' before the first 'mutant:'"
		case $key in
		file) MFILE[n]=$val ;; from) FROM[n]=$val ;; to) TO[n]=$val ;;
		kill) KILL[n]=$val ;; needs) NEEDS[n]=$val ;;
		esac
	done < "$FILE"
	local i j
	for ((i = 0; i <= n; i++)); do
		[ -n "${NAME[i]}" ] && [ -n "${MFILE[i]}" ] && [ -n "${FROM[i]}" ] &&
			[ -n "${KILL[i]}" ] ||
			die "$FILE: mutant '${NAME[i]}' needs file:, from:, to: and kill:"
		[ "${FROM[i]}" != "${TO[i]}" ] || die "mutant ${NAME[i]}: from: and to: are the same"
		case ${NEEDS[i]} in '' | root) ;; *) die "mutant ${NAME[i]}: unknown needs: (known: root)" ;; esac
		for ((j = 0; j < i; j++)); do
			[ "${NAME[i]}" != "${NAME[j]}" ] || die "$FILE: two mutants named ${NAME[i]}"
		done
	done
}

[ -r "$FILE" ] || die "no $FILE"
parse
if [ "${1:-}" = -l ]; then
	for ((i = 0; i <= n; i++)); do printf '%-24s %-28s %s\n' "${NAME[i]}" "${MFILE[i]}" "${KILL[i]}"; done
	exit 0
fi

# The mutants to run: all, or those named (as arguments or M=a,b).
declare -a SEL
if [ $# -eq 0 ]; then
	for ((i = 0; i <= n; i++)); do SEL+=("$i"); done
else
	for want in $(printf '%s ' "$@" | tr ',' ' '); do
		for ((i = 0; i <= n; i++)); do [ "${NAME[i]}" = "$want" ] && break; done
		[ $i -le $n ] || die "no mutant named '$want' in $FILE (scripts/mutants.sh -l)"
		SEL+=("$i")
	done
fi

# --- the scratch copy, kept between runs so that its builds are too ---
mkdir -p "$SCRATCH/src" || die "cannot create $SCRATCH"
exec 9> "$SCRATCH/lock"
flock -n 9 || die "$SCRATCH is in use by another run"
SRC=$SCRATCH/src LOGS=$SCRATCH/logs B=$SCRATCH/src/build/m SAN_B=$SCRATCH/src/build/m-san
rm -rf "$LOGS" && mkdir -p "$LOGS"
# Tracked and untracked files, not the ignored (build/), nor the deleted; a
# tree that is not a git checkout: everything but build/.
tree_files() {
	if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
		git ls-files -z -co --exclude-standard
	else
		find . -path ./build -prune -o ! -type d -printf '%P\0'
	fi | while IFS= read -r -d '' f; do
		{ [ -e "$f" ] || [ -L "$f" ]; } && printf '%s\0' "$f"
	done | LC_ALL=C sort -zu
}
# make goes by dates, and the work tree's may be older than an object the
# last run built from a mutant: a file is copied (dated now) only when its
# text differs from the copy's, which also undoes a mutant a killed run
# left; a restored file is touched (restore).
tree_files > "$SCRATCH/files"
while IFS= read -r -d '' f; do
	if [ -L "$f" ] || ! cmp -s "$f" "$SRC/$f"; then
		mkdir -p "$SRC/$(dirname "$f")" && rm -f "$SRC/$f" &&
			cp -P "$f" "$SRC/$f" || die "cannot copy $f to $SRC"
	fi
done < "$SCRATCH/files"
(cd "$SRC" && find . -path ./build -prune -o ! -type d -printf '%P\0' | LC_ALL=C sort -z) |
	LC_ALL=C comm -z -23 - "$SCRATCH/files" | (cd "$SRC" && xargs -0r rm -f --)
# Modes too (key files), which change no date.
mapfile -d '' FILES < "$SCRATCH/files"
mapfile -t MODE < <(stat -c %a "${FILES[@]}")
mapfile -t SMODE < <(cd "$SRC" && stat -c %a "${FILES[@]}")
for i in "${!FILES[@]}"; do
	[ "${MODE[i]}" = "${SMODE[i]}" ] || chmod "${MODE[i]}" "$SRC/${FILES[i]}"
done

# Test commands run in the scratch copy: unit NAME... builds and runs the
# unit or DPDK test binaries NAME (as make unit), san NAME... the same under
# ASan/UBSan.  Exit 125: the build failed (an error, not a kill).
run_tests() {
	local build=$1 cflags=$2 t rc=0
	shift 2
	local bins=() args=(-s -j2 BUILD="$build")
	[ -z "$cflags" ] || args+=(CFLAGS="$cflags")
	for t; do bins+=("$build/tests/$t"); done
	make "${args[@]}" "${bins[@]}" || return 125
	for t in "${bins[@]}"; do "$t" || rc=1; done
	return $rc
}
unit() { run_tests "$B" '' "$@"; }
san() { run_tests "$SAN_B" "$SAN_CFLAGS" "$@"; }
export -f run_tests unit san
export B SAN_B SAN_CFLAGS

# Run test command $1, output to log $2; prints the seconds it took.
run_kill() {
	local t0=$SECONDS rc
	(cd "$SRC" && timeout -k 10 "$TMO" bash -c "$1") > "$2" 2>&1
	rc=$?
	echo $((SECONDS - t0)) > "$2.secs"
	return $rc
}

# Replace the one occurrence of $FROM by $TO in file $1 (exit 3: not once).
substitute() {
	FROM=$2 TO=$3 perl -e '
		my $f = $ARGV[0]; local $/; open(my $h, "<", $f) or exit 4;
		my $t = <$h>; close $h;
		my $k = () = $t =~ /\Q$ENV{FROM}\E/g;
		if ($k != 1) { print "$k\n"; exit 3 }
		$t =~ s/\Q$ENV{FROM}\E/$ENV{TO}/;
		open($h, ">", $f) or exit 4; print $h $t; close $h or exit 4;' "$1"
}

needs_met() {
	case $1 in
	'') return 0 ;;
	root) [ "$(id -u)" = 0 ] ;;
	esac
}

declare -A BASE		# test command -> ok | fail
nbase=0
declare -a RES WHY SECS
T0=$SECONDS
echo "mutants: scratch copy $SRC, ${#SEL[@]} mutant(s)"

# Each test command once without any mutant: it must pass, or a mutant
# "killed" by it would prove nothing.
for i in "${SEL[@]}"; do
	k=${KILL[i]}
	needs_met "${NEEDS[i]}" || continue
	[ -z "${BASE[$k]:-}" ] || continue
	nbase=$((nbase + 1))
	log=$LOGS/baseline-$nbase.log
	run_kill "$k" "$log"
	case $? in
	0) BASE[$k]=ok ;;
	125) BASE[$k]=fail; echo "mutants: without any mutant, '$k' does not build ($log):" ;;
	*) BASE[$k]=fail; echo "mutants: without any mutant, '$k' fails ($log):" ;;
	esac
	if [ "${BASE[$k]}" = fail ]; then
		tail -n 15 "$log" | sed 's/^/    /'
	fi
done
echo "mutants: baseline (no mutant) built and run in $((SECONDS - T0)) s"

restore() {
	[ -n "${CUR:-}" ] || return 0
	cp -p "$SCRATCH/orig" "$SRC/$CUR" && touch "$SRC/$CUR"
	CUR=
}
trap 'restore' EXIT
trap 'restore; exit 130' INT TERM

for i in "${SEL[@]}"; do
	name=${NAME[i]} f=${MFILE[i]} log=$LOGS/${NAME[i]}.log
	SECS[i]=-
	if ! needs_met "${NEEDS[i]}"; then
		RES[i]=skipped WHY[i]="needs ${NEEDS[i]}"
	elif [ "${BASE[${KILL[i]}]:-}" != ok ]; then
		RES[i]=error WHY[i]="its test fails (or does not build) without the mutant"
	elif [ ! -f "$SRC/$f" ]; then
		RES[i]=error WHY[i]="no file $f"
	else
		cp -p "$SRC/$f" "$SCRATCH/orig"
		CUR=$f
		if ! found=$(substitute "$SRC/$f" "${FROM[i]}" "${TO[i]}"); then
			RES[i]=error WHY[i]="its text is found ${found:-?} times in $f, not once"
		else
			run_kill "${KILL[i]}" "$log"
			case $? in
			0) RES[i]=survived WHY[i]="the test passed ($log)"
			   # A check skipped here (SKIP in harness.h) may be
			   # the one that would have killed it: say so.
			   skip=$(grep -m1 -o 'skipped: .*' "$log")
			   [ -z "$skip" ] || WHY[i]="${WHY[i]}, with checks $skip" ;;
			124) RES[i]=killed WHY[i]="timeout" ;;
			125) RES[i]=error WHY[i]="does not build ($log)" ;;
			*) RES[i]=killed WHY[i]= ;;
			esac
			SECS[i]=$(cat "$log.secs")
		fi
		restore
	fi
	printf 'mutant %-22s %s%s\n' "$name" "${RES[i]}" "${WHY[i]:+: ${WHY[i]}}"
	if [ "${RES[i]}" = error ] && [ -s "$log" ]; then tail -n 15 "$log" | sed 's/^/    /'; fi
done

killed=0 survived=0 errors=0 skipped=0
echo
printf '%-24s %-30s %-28s %-8s %5s\n' MUTANT FILE TEST RESULT SECS
for i in "${SEL[@]}"; do
	printf '%-24s %-30s %-28s %-8s %5s\n' "${NAME[i]}" "${MFILE[i]}" "${KILL[i]}" \
		"${RES[i]}" "${SECS[i]}"
	case ${RES[i]} in
	killed) killed=$((killed + 1)) ;; survived) survived=$((survived + 1)) ;;
	error) errors=$((errors + 1)) ;; skipped) skipped=$((skipped + 1)) ;;
	esac
done
echo "mutants: $((SECONDS - T0)) s in all"
echo "mutants: $killed killed, $survived survived, $errors errors, $skipped skipped"
[ $survived -eq 0 ] && [ $errors -eq 0 ]
