#!/bin/sh
# Remote-write benchmark: proctel-collector --once against 10,000 loopback
# targets (one proctel-agent on 0.0.0.0, reached as 127.2.x.y), 4 metrics
# each, with the SQLite sink alone, then with the SQLite sink and the
# remote_write sink into Debian's VictoriaMetrics (on a free loopback port,
# data in a temp dir), alternating, RUNS times each, after one warm-up run
# that lets the store register the series (a one-time cost, shown apart).
# It reports what the push adds to the run's wall time (the median runs'
# walls, and the remote_write sink's own time against the SQLite-only
# wall, which is steadier on a shared machine) and to the collector's peak
# RSS per target, and each sink's own time in the same run (from the
# collector's debug line "sink TYPE:WHERE: N samples in S s"): samples
# pushed per second beside the SQLite sink's values per second.  The
# issue's goals (at most 20% wall time, at most 2 KiB peak RSS per target)
# are printed for the reader; nothing is asserted.  Traffic stays on
# loopback; every load is bounded.
#
# Environment: BUILD (default build), BENCH_TARGETS (10000),
# BENCH_REMOTE_RUNS (3).
BENCH=$(cd "$(dirname "$0")" && pwd)
. "$BENCH/lib.sh"
N=${BENCH_TARGETS:-10000}
RUNS=${BENCH_REMOTE_RUNS:-3}

bench_setup

for f in "$BUILD/proctel-agent" "$BUILD/proctel-collector"; do
	if [ ! -x "$f" ]; then
		echo "bench: $f missing (make -j2 all); remote benchmark skipped"
		exit 0
	fi
done
for t in victoria-metrics curl /usr/bin/time snmpget; do
	if ! command -v "$t" >/dev/null 2>&1; then
		echo "bench: $t not installed; remote benchmark skipped"
		exit 0
	fi
done
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy
fds=$(ulimit -n)
if [ "$fds" != unlimited ] && [ "$fds" -lt $((N + 100)) ]; then
	ulimit -n $((N + 100)) 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null
fi


pa=$(udp_port 0.0.0.0)
cat >"$tmp/agent.yaml" <<EOC
listen: ["0.0.0.0:$pa"]
communities: [{name: public, allow: ["127.0.0.0/8"]}]
log: {target: stderr, level: warn}
EOC
"$BUILD/proctel-agent" -c "$tmp/agent.yaml" & pids="$pids $!"
i=0
until snmpget -v2c -c public -t 0.2 -r 0 "127.2.0.1:$pa" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1; do
	i=$((i + 1)); [ $i -lt 50 ] || { echo "bench: the agent does not answer"; exit 1; }
	sleep 0.1
done
pv=$(tcp_port)
victoria-metrics -storageDataPath="$tmp/vm" -httpListenAddr="127.0.0.1:$pv" \
    -retentionPeriod=1d -loggerLevel=ERROR >"$tmp/vm.log" 2>&1 & pids="$pids $!"
i=0
until curl -sf -o /dev/null "http://127.0.0.1:$pv/health"; do
	i=$((i + 1)); [ $i -lt 100 ] || { echo "bench: victoria-metrics does not start"; exit 1; }
	sleep 0.1
done

awk -v n="$N" -v p="$pa" 'BEGIN {
	for (i = 0; i < n; i++)
		printf "127.2.%d.%d:%d\n", int(i / 250), i % 250 + 1, p
}' >"$tmp/hosts.txt"
# conf FILE [REMOTE]: the four metrics; with REMOTE, the remote_write output.
conf() {
	cat >"$1" <<EOC
defaults: {version: 2c, community: public, timeout_ms: 1000, retries: 2}
concurrency: 1000
deadline_s: 50
targets:
  - {file: hosts.txt}
metrics:
  - {name: processes, oid: 1.3.6.1.4.1.8072.9999.9999.1.1.1.1.0}
  - {name: zombies, oid: 1.3.6.1.4.1.8072.9999.9999.1.1.1.6.0}
  - {name: threads, oid: 1.3.6.1.4.1.8072.9999.9999.1.1.1.8.0}
  - {name: pid_max, oid: 1.3.6.1.4.1.8072.9999.9999.1.1.1.12.0}
outputs:
  - {type: sqlite, path: $tmp/history.db}
EOC
	[ -n "${2:-}" ] && cat >>"$1" <<EOC
  - {type: remote_write, url: "http://127.0.0.1:$pv/api/v1/write", spool: {dir: $tmp/spool}}
EOC
	echo "lock_file: $1.lock" >>"$1"
}
conf "$tmp/sqlite.yaml"
conf "$tmp/remote.yaml" remote

# one NAME CONF: one run; "wall rss_KiB rc" and the sink lines kept.
one() {
	t0=$(date +%s.%N)
	/usr/bin/time -f '%M %x' -o "$tmp/$1.r" "$BUILD/proctel-collector" \
	    -c "$2" --once -v 2>"$tmp/$1.err"
	t1=$(date +%s.%N)
	echo "$(calc "printf \"%.3f\", $t1 - $t0") $(tail -n 1 "$tmp/$1.r")" >>"$tmp/$3.runs"
	grep -E '^proctel-collector: (sink |run: )' "$tmp/$1.err" >>"$tmp/$3.lines"
	rc=$(tail -n 1 "$tmp/$1.r" | cut -d' ' -f2)
	[ "$rc" = 0 ] || { echo "  !! $1: exit $rc"; grep -v debug "$tmp/$1.err" | tail -3 | sed 's/^/  !!   /'; }
}
echo "== $N targets on one proctel-agent, 4 metrics each, $(nproc) CPUs; VictoriaMetrics 127.0.0.1:$pv"
# The store's first run registers every series: a one-time cost, shown apart.
one w0 "$tmp/remote.yaml" warm
echo "first run into an empty store: $(grep 'sink remote_write' "$tmp/warm.lines" | sed 's/.*: //') (series registration)"
r=1
while [ $r -le "$RUNS" ]; do
	one "s$r" "$tmp/sqlite.yaml" sqlite
	one "r$r" "$tmp/remote.yaml" remote
	r=$((r + 1))
done
med() { sort -n -k"$2" "$tmp/$1.runs" | awk -v k="$2" '{ v[NR] = $k } END { print v[int((NR + 1) / 2)] }'; }
sw=$(med sqlite 1); sr=$(med sqlite 2)
rw=$(med remote 1); rr=$(med remote 2)
# The sinks' own times in the remote runs: medians.
sink_med() {
	grep "sink $1" "$tmp/remote.lines" | sed 's/.*: \([0-9]*\) samples in \([0-9.]*\) s/\1 \2/' |
	    sort -n -k2 | awk '{ n[NR] = $1; s[NR] = $2 } END { m = int((NR + 1) / 2); print n[m], s[m] }'
}
set -- $(sink_med remote_write)
rwn=$1 rws=$2
set -- $(sink_med sqlite)
sqn=$1 sqs=$2
printf "%-34s %9s %9s\n" "median of $RUNS runs" wall_s peak_KiB
printf "%-34s %9.3f %9d\n" "sqlite sink alone" "$sw" "$sr"
printf "%-34s %9.3f %9d\n" "sqlite + remote_write" "$rw" "$rr"
echo "push adds $(calc "printf \"%.1f\", ($rw - $sw) * 100 / $sw")% wall time by the medians," \
    "$(calc "printf \"%.1f\", $rws * 100 / $sw")% by the remote_write sink's own time (goal: at most 20%)"
echo "push adds $(calc "printf \"%.2f\", ($rr - $sr) / $N") KiB peak RSS per target (goal: at most 2 KiB)"
echo "in the same run: remote_write $rwn samples in $rws s = $(calc "printf \"%.0f\", $rwn / $rws") samples/s;" \
    "sqlite $sqn targets ($((sqn * 4)) values) in $sqs s = $(calc "printf \"%.0f\", $sqn * 4 / $sqs") values/s"
curl -sf "http://127.0.0.1:$pv/internal/force_flush" >/dev/null
sleep 1
echo "VictoriaMetrics holds $(curl -sf "http://127.0.0.1:$pv/api/v1/series/count" | sed 's/.*"data":\[\([0-9]*\)\].*/\1/') series"
