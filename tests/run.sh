#!/bin/sh
# Run every unit test binary in $BUILD/tests and every integration script in
# tests/integration, sum their "N passed, N failed" lines, and print the
# total as the last line.  Exit non-zero when anything failed or a suite
# ended without its summary line (a crash).
BUILD=${BUILD:-build}
export BUILD
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT INT TERM
for t in "$BUILD"/tests/test_* tests/integration/*.sh; do
	[ -x "$t" ] || [ -f "$t" ] || continue
	case "$t" in *.d|*.o|*/lib.sh|*.inc) continue ;; esac
	name=$(basename "$t")
	if [ -n "${ONLY:-}" ] && ! echo "$name" | grep -q -- "$ONLY"; then
		continue
	fi
	echo "== $name"
	case "$t" in
	*.sh) sh "$t" >"$log" 2>&1 ;;
	*) "$t" >"$log" 2>&1 ;;
	esac
	rc=$?
	grep -v '^ok ' "$log" | grep -v -E '^[0-9]+ passed, [0-9]+ failed$'
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "   $name ended without a summary (exit $rc)"
		failed=$((failed + 1))
		continue
	fi
	p=${line%% passed*}
	f=${line#*passed, }
	f=${f%% failed}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "   $name exited $rc with no failed test"
		f=1
	fi
	echo "   $line"
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
