# Shared helpers for the integration tests (sourced, POSIX sh).
# Each script: . tests/integration/lib.sh; start things; check ...; finish.
# Results are counted per check; finish prints "N passed, N failed,
# N skipped".  A check that cannot run here is skipped with `skip NAME WHY`,
# never passed: tests/run.sh lists every skip, and CI fails on one it does
# not expect (.ci/expected-skips).
BUILD=${BUILD:-build}
T_PASSED=0
T_FAILED=0
T_SKIPPED=0
T_PIDS=""
T_TMP=$(mktemp -d /tmp/proctel-test.XXXXXX)

t_cleanup() {
	for p in $T_PIDS; do
		kill "$p" 2>/dev/null
	done
	for p in $T_PIDS; do
		wait "$p" 2>/dev/null
	done
	rm -rf "$T_TMP"
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM

pass() { T_PASSED=$((T_PASSED + 1)); echo "ok   $1"; }
# skip NAME REASON: a check (or a group of them, named as one) not run here.
skip() { T_SKIPPED=$((T_SKIPPED + 1)); echo "skip $1: $2"; }
fail() { T_FAILED=$((T_FAILED + 1)); echo "FAIL $1"; shift; for l in "$@"; do echo "     $l"; done; }

# check_eq NAME GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got:  $2" "want: $3"; fi
}
# check_match NAME GOT REGEX (grep -E)
check_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then pass "$1"; else fail "$1" "got:  $2" "want match: $3"; fi
}
# check_cmd NAME CMD...: passes when CMD exits 0
check_cmd() {
	n=$1; shift
	if "$@" >"$T_TMP/cmd.out" 2>&1; then pass "$n"; else fail "$n" "command failed: $*" "$(head -5 "$T_TMP/cmd.out")"; fi
}
# check_int NAME GOT OP WANT, OP one of -eq -ne -lt -le -gt -ge
check_int() {
	if [ "$2" "$3" "$4" ] 2>/dev/null; then pass "$1"; else fail "$1" "got: $2, want $3 $4"; fi
}

# check_peak_rss NAME PID PROGRAM MAX_KB: the process's peak RSS (VmHWM)
# under MAX_KB; a skip when PROGRAM is a sanitizer build, whose shadow
# memory says nothing about the real program's.
check_peak_rss() {
	_hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB$/\1/p' "/proc/$2/status")
	if grep -q __asan_init "$3"; then
		skip "$1" "a sanitizer build (its shadow memory is not the program's)"
	else
		check_int "$1 (peak ${_hwm:-unknown} kB)" "${_hwm:-99999}" -lt "$4"
	fi
}

# A UDP port on 127.0.0.1 that nothing listens on now.
free_port() {
	python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# A TCP port on 127.0.0.1 that nothing listens on now.
free_tcp_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Record a background pid so it is stopped at exit.
t_track() { T_PIDS="$T_PIDS $1"; }

# wait_snmp HOST:PORT [COMMUNITY]: wait up to about 20 s for a numeric-OID
# snmpget (a start on a loaded machine can take seconds; it returns at the
# first answer).
wait_snmp() {
	i=0
	while [ $i -lt 66 ]; do
		if snmpget -v2c -c "${2:-public}" -t 0.2 -r 0 -On "udp:$1" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# wait_log FILE REGEX: up to 5 s for a line matching REGEX (grep -E) in FILE.
wait_log() {
	wl_i=0
	while [ $wl_i -lt 50 ] && ! grep -Eq -- "$2" "$1" 2>/dev/null; do
		sleep 0.1
		wl_i=$((wl_i + 1))
	done
	grep -Eq -- "$2" "$1" 2>/dev/null
}

# wait_file FILE [TENTHS]: up to TENTHS tenths of a second (default 100)
# for FILE to exist (a helper's --ready file); false if it never did.
wait_file() {
	wf_i=0
	while [ $wf_i -lt "${2:-100}" ] && [ ! -e "$1" ]; do
		sleep 0.1
		wf_i=$((wf_i + 1))
	done
	[ -e "$1" ]
}

# alive NAME PID: a check that the process still runs.
alive() {
	if kill -0 "$2" 2>/dev/null; then pass "$1"; else fail "$1" "process $2 is gone"; fi
}

finish() {
	echo "$T_PASSED passed, $T_FAILED failed, $T_SKIPPED skipped"
	[ "$T_FAILED" -eq 0 ]
	exit $?
}

# skip_all REASON: the rest of the suite cannot run here; counted as one
# skip named after the suite.
skip_all() {
	skip "$(basename "$0" .sh) (the rest of the suite)" "$1"
	finish
}
