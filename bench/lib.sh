# Helpers shared by the benchmark scripts (sourced, POSIX sh): free ports,
# arithmetic, process CPU and memory from /proc, and the words of a verdict.
# Not a test library: nothing here passes or fails.
BUILD=${BUILD:-build}

# udp_port [ADDR]: a UDP port nothing listens on now (default 127.0.0.1).
udp_port() {
	python3 -c 'import socket, sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])' "${1:-127.0.0.1}"
}
# tcp_port: a TCP port on 127.0.0.1 nothing listens on now.
tcp_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# calc AWK-STATEMENTS: e.g. calc 'printf "%.1f", 3 / 2'.
calc() { awk "BEGIN { $1 }"; }
# ratio A B [DECIMALS]: A / B, or n/a when B is not above 0.
ratio() {
	awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN {
		if (a != "" && b > 0) printf "%.*f", d, a / b; else print "n/a" }'
}
# verdict VALUE OP TARGET (OP: >= > <= <): "met" or "not met".
verdict() {
	awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
		if (v == "" || v == "n/a") { print "not measured"; exit }
		ok = (op == ">=") ? v >= t : (op == ">") ? v > t : (op == "<=") ? v <= t : v < t
		print ok ? "met" : "not met" }'
}
# ticks PID: utime + stime in clock ticks (0 when the process is gone).
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# hwm PID: peak RSS (VmHWM) in KiB.
hwm() { awk '/VmHWM/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
# thousands N: 12345.6 -> 12,346.
thousands() {
	awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); o = "";
		while (length(s) > 3) { o = "," substr(s, length(s) - 2) o; s = substr(s, 1, length(s) - 3) }
		print s o }'
}

# bench_setup: a temporary directory in $tmp, and $pids (add each server
# with pids="$pids $!"): at exit every one is stopped and $tmp removed.
bench_setup() {
	tmp=$(mktemp -d /tmp/proctel-bench.XXXXXX)
	pids=""
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
}
bench_cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
