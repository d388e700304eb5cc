#!/bin/sh
# Run every unit test binary in $BUILD/tests and every integration script in
# tests/integration, each under a time limit, and sum their
# "N passed, N failed, N skipped" lines.  The last lines list every skip with
# its reason, then the total.  Exit non-zero when anything failed, a suite
# ran out of time or ended without its summary line (a crash), or, with
# PROCTEL_EXPECTED_SKIPS set to a file of patterns, a skip matched none of
# them.
#
#   ONLY=REGEX           run the suites whose name matches
#   SUITE_TIMEOUT=S      seconds per suite (default 300); a suite may ask for
#                        more with a line "# suite-timeout: S" near its top
#   TIMEOUT_SCALE=N      multiply every limit (make check sets it: sanitizers
#                        are slower)
#   PROCTEL_EXPECTED_SKIPS=FILE
#                        one extended regex per line (# comments), matched
#                        against "suite: name: reason"; any other skip fails
BUILD=${BUILD:-build}
export BUILD
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
SUITE_TIMEOUT=${SUITE_TIMEOUT:-300}
TIMEOUT_SCALE=${TIMEOUT_SCALE:-1}
expected=${PROCTEL_EXPECTED_SKIPS:-}
if [ -n "$expected" ] && [ ! -f "$expected" ]; then
	echo "run.sh: PROCTEL_EXPECTED_SKIPS=$expected: no such file"
	exit 2
fi
passed=0
failed=0
skipped=0
tmp=$(mktemp -d)
log=$tmp/log
skips=$tmp/skips
bad=$tmp/unexpected
: >"$skips"
: >"$bad"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
# The patterns without their comments: grep -f would take a comment as a
# pattern, and one with a lone "(" is an error that fails every skip.
if [ -n "$expected" ]; then
	grep -v -e '^#' -e '^$' "$expected" >"$tmp/expected"
	expected_re=$tmp/expected
fi

# The limit a suite asks for, else the default; scaled.
suite_limit() {
	want=$SUITE_TIMEOUT
	case "$1" in
	*.sh)
		asked=$(head -n 20 "$1" | sed -n 's/^# suite-timeout: *\([0-9][0-9]*\).*/\1/p')
		[ -n "$asked" ] && want=$asked
		;;
	esac
	echo $((want * TIMEOUT_SCALE))
}

for t in "$BUILD"/tests/test_* tests/integration/*.sh; do
	[ -x "$t" ] || [ -f "$t" ] || continue
	case "$t" in *.d|*.o|*/lib.sh|*.inc) continue ;; esac
	name=$(basename "$t")
	if [ -n "${ONLY:-}" ] && ! echo "$name" | grep -E -q -- "$ONLY"; then
		continue
	fi
	echo "== $name"
	limit=$(suite_limit "$t")
	# timeout(1) puts the suite in its own process group and signals the
	# whole group, so a client spinning inside a script stops too.
	case "$t" in
	*.sh) timeout -k 10 "$limit" sh "$t" >"$log" 2>&1 </dev/null ;;
	*) timeout -k 10 "$limit" "$t" >"$log" 2>&1 </dev/null ;;
	esac
	rc=$?
	grep -v -e '^ok ' -e '^skip ' "$log" |
	    grep -v -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$'
	sed -n 's/^skip \(.*\)$/\1/p' "$log" | while IFS= read -r s; do
		echo "$name: $s" >>"$skips"
		echo "   skipped: $s"
		if [ -n "$expected" ] &&
		    ! printf '%s\n' "$name: $s" | grep -E -q -f "$expected_re"; then
			echo "$name: $s" >>"$bad"
		fi
	done
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "   $name: TIMEOUT after ${limit} s (killed)"
		failed=$((failed + 1))
		continue
	fi
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" |
	    tail -n 1)
	if [ -z "$line" ]; then
		echo "   $name ended without a summary (exit $rc)"
		failed=$((failed + 1))
		continue
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed*}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "   $name exited $rc with no failed test"
		f=1
	fi
	echo "   $line"
	passed=$((passed + p))
	failed=$((failed + f))
done
skipped=$(wc -l <"$skips")
if [ -s "$skips" ]; then
	echo "Skipped:"
	sed 's/^/  /' "$skips"
fi
if [ -s "$bad" ]; then
	echo "Unexpected skips (not in $PROCTEL_EXPECTED_SKIPS), counted as failures:"
	sed 's/^/  /' "$bad"
	failed=$((failed + $(wc -l <"$bad")))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
