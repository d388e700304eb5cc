#!/bin/sh
# The `make fuzz` runner.  For every tests/fuzz/fuzz_NAME.c: build it with
# clang and libFuzzer (ASan and UBSan, every UB a crash), linked with
# $FUZZ_LINK (our libraries built for fuzzing and the system libraries;
# the Makefile sets it), then run it FUZZ_SECONDS on a copy of
# tests/fuzz/corpus/NAME/ in build/fuzz/ (new inputs never land in the
# repository).  Prints "fuzz_NAME: N execs in S s, no crash" per target and
# exits non-zero when a target fails to build or crashes.
#   FUZZ_SECONDS  run time per target (default 60)
#   CLANG         compiler (default clang)
#   FUZZ_FLAGS    extra libFuzzer run-time options, e.g. "-max_len=1472"
#   ONLY          run only targets whose name contains this
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
CLANG=${CLANG:-clang}
FUZZ_FLAGS=${FUZZ_FLAGS:-}
if [ -z "${FUZZ_LINK:-}" ]; then
	echo "run.sh: FUZZ_LINK is not set; run it through make fuzz"
	exit 2
fi
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
out=build/fuzz
mkdir -p "$out" || exit 2
status=0
found=0
for src in tests/fuzz/fuzz_*.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	if [ -n "${ONLY:-}" ] && ! echo "$name" | grep -q -- "$ONLY"; then
		continue
	fi
	found=$((found + 1))
	# shellcheck disable=SC2086 # the list is a word list on purpose
	if ! "$CLANG" -g -O1 -std=c11 -D_GNU_SOURCE -I. \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    -o "$out/$name" "$src" $FUZZ_LINK >"$out/$name.build.log" 2>&1
	then
		cat "$out/$name.build.log"
		echo "$name: build failed"
		status=1
		continue
	fi
	corpus="$out/corpus-$name"
	rm -rf "$corpus"
	mkdir -p "$corpus"
	seeds="tests/fuzz/corpus/${name#fuzz_}"
	if [ -d "$seeds" ]; then
		cp -R "$seeds"/. "$corpus"/
	fi
	log="$out/$name.log"
	# shellcheck disable=SC2086
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ASAN_OPTIONS=abort_on_error=1 \
	    "$out/$name" -max_total_time="$FUZZ_SECONDS" -timeout=25 \
	    -artifact_prefix="$out/$name-" -print_final_stats=1 $FUZZ_FLAGS \
	    "$corpus" >"$log" 2>&1
	rc=$?
	done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n 1)
	execs=$(echo "$done_line" | sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\).*/\1/p')
	secs=$(echo "$done_line" | sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\).*/\2/p')
	if [ "$rc" -ne 0 ] || [ -z "$execs" ]; then
		tail -n 40 "$log"
		echo "$name: CRASH (exit $rc); log $log, inputs $out/$name-*"
		status=1
		continue
	fi
	echo "$name: $execs execs in $secs s, no crash"
done
if [ "$found" -eq 0 ]; then
	echo "no fuzz targets matched"
	exit 1
fi
exit "$status"
