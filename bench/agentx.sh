#!/bin/sh
# AgentX benchmark (issue 11): the zombie count of one host, four ways, in
# one run, with build/tools/zombie_maker holding 5 zombies:
#  (a) snmpd `extend` running `ps -eo stat= | grep -c ^Z` (what users do
#      today; snmpd keeps its output 5 s);
#  (b) snmpd's hrSWRunStatus walked with GETBULK and its invalid(4) rows
#      counted by the manager (the other way; snmpd keeps hrSWRunTable
#      30 s);
#  (c) ptZombies.0 from snmpd, answered by proctel-agent as its AgentX
#      subagent (UNIX socket);
#  (d) ptZombies.0 from proctel-agent over UDP.
# One snmpd serves (a), (b) and (c); one proctel-agent with its defaults
# (cache_ttl_ms 1000) serves (c) and (d).  Two loads:
#  - cold: a GET of each every SPACING (6) s, so each finds every cache
#    expired (a poller polling once a minute): each (a) runs the script,
#    each (c) and (d) starts a /proc refresh.  Latency of the one GET
#    (bench/latency), CPU until 0.3 s after it (the refresh included);
#  - GETS GETs at RATE per second (bench/latency, open loop): p50, p99.9,
#    CPU per GET with the caches shared.
# (b): the median GETBULK walk (bench/loadgen) and one walk after its
# cache expired.  CPU is the servers' (snmpd, the agent, both for (c)):
# every thread's run time (/proc/PID/task/*/schedstat) plus reaped
# children (the ps of (a)), less each process's idle rate measured first.
# Also the ptProcTable walk through snmpd and over UDP.  Target: (c) at
# least 20x cheaper in CPU per GET than (a).  Prints a Markdown table
# ready to paste into README.md.  Not a test: nothing here passes or
# fails.
#
#   BENCH_AX_GETS=200 BENCH_AX_RATE=20 BENCH_AX_COLD=6 BENCH_AX_SPACING=6 sh bench/agentx.sh
BENCH=$(cd "$(dirname "$0")" && pwd)
. "$BENCH/lib.sh"
GETS=${BENCH_AX_GETS:-200}
RATE=${BENCH_AX_RATE:-20}
COLD=${BENCH_AX_COLD:-6}
SPACING=${BENCH_AX_SPACING:-6}
WSECS=${BENCH_WALK_SECONDS:-3}
bench_setup

for f in "$BUILD/proctel-agent" "$BUILD/bench/latency" "$BUILD/bench/loadgen" \
    "$BUILD/tools/zombie_maker"; do
	if [ ! -x "$f" ]; then
		echo "bench: $f missing (make bench builds it); AgentX benchmark skipped"
		exit 0
	fi
done
command -v snmpd >/dev/null 2>&1 || { echo "bench: no snmpd; AgentX benchmark skipped"; exit 0; }

# net-snmp: no host config, MIBs or state.
SNMPCONFPATH=$tmp
SNMP_PERSISTENT_DIR=$tmp
MIBS=
MIBDIRS=$tmp
export SNMPCONFPATH SNMP_PERSISTENT_DIR MIBS MIBDIRS

PT=1.3.6.1.4.1.8072.9999.9999.1
ZOMBIES=$PT.1.1.6.0
# nsExtendOutput1Line."zombies"
EXTEND=1.3.6.1.4.1.8072.1.3.2.3.1.1.7.122.111.109.98.105.101.115
HRSTATUS=1.3.6.1.2.1.25.4.2.1.7
PTPROC=$PT.1.3.1
NZ=5

# cpu_us PID...: the CPU the processes used so far, in microseconds: every
# thread's run time from /proc/PID/task/*/schedstat (nanoseconds), plus
# reaped children's utime + stime (clock ticks; the ps of (a)).
TCK=$(getconf CLK_TCK)
cpu_us() {
	for p in "$@"; do
		cat "/proc/$p/task"/*/schedstat 2>/dev/null | awk '{ print "t", $1 }'
		awk '{ print "c", $16 + $17 }' "/proc/$p/stat" 2>/dev/null
	done | awk -v tck="$TCK" '$1 == "t" { s += $2 / 1000 } $1 == "c" { s += $2 * 1000000 / tck }
	    END { printf "%.0f", s }'
}
now_us() { echo $(($(date +%s%N) / 1000)); }
# idle_rate PID...: their CPU per second of wall time while nobody asks
# (snmpd's own timers), in us/s, over 5 s; subtracted from every figure.
idle_rate() {
	i0=$(cpu_us "$@"); w0=$(now_us)
	sleep 5
	i1=$(cpu_us "$@"); w1=$(now_us)
	calc "printf \"%.1f\", ($i1 - $i0) * 1000000 / ($w1 - $w0)"
}
# net C0 C1 W0 W1 RATE: CPU used between two readings, less the idle rate.
net() { calc "v = $2 - $1 - $5 * ($4 - $3) / 1000000; printf \"%.0f\", v < 0 ? 0 : v"; }
num() { sed -n "s/.*$1 \([0-9.]*\).*/\1/p"; }
wait_up() {
	i=0
	while [ $i -lt 100 ]; do
		snmpget -v2c -c public -t 0.2 -r 0 "127.0.0.1:$1" "$2" 2>/dev/null |
		    grep -q -v -e 'No Such' -e 'Timeout' && return 0
		sleep 0.1; i=$((i + 1))
	done
	echo "bench: $2 not served on $1" >&2
	return 1
}

mkdir -p "$tmp/snmpd-state"
"$BUILD/tools/zombie_maker" ptbenchz $NZ 900 >"$tmp/maker" 2>&1 & pids="$pids $!"
ps_=$(udp_port); pa=$(udp_port)
cat >"$tmp/snmpd.conf" <<EOC
agentaddress udp:127.0.0.1:$ps_
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
master agentx
agentXSocket $tmp/agentx/master
extend zombies /bin/sh -c 'ps -eo stat= | grep -c "^Z"'
EOC
SNMP_PERSISTENT_DIR=$tmp/snmpd-state snmpd -f -Lf /dev/null -C -c "$tmp/snmpd.conf" -I -smux -p "$tmp/snmpd.pid" \
    2>/dev/null & spid=$!; pids="$pids $spid"
wait_up "$ps_" 1.3.6.1.2.1.1.3.0 || exit 1
cat >"$tmp/agent.yaml" <<EOC
listen: ["127.0.0.1:$pa"]
communities: [{name: public, allow: ["127.0.0.0/8"]}]
agentx: {master: "$tmp/agentx/master"}
log: {target: stderr, level: warn}
EOC
"$BUILD/proctel-agent" -c "$tmp/agent.yaml" 2>"$tmp/agent.log" & apid=$!
pids="$pids $apid"
if ! wait_up "$pa" "$ZOMBIES" || ! wait_up "$ps_" "$ZOMBIES"; then
	cat "$tmp/agent.log"
	exit 1
fi
sleep 1.5

g() { snmpget -v2c -c public -t 5 -r 1 -Oqv "127.0.0.1:$1" "$2" 2>&1 | tr -d '"'; }
# Ours first: the script of (a) leaves short-lived zombies of its own.
ans_d=$(g "$pa" $ZOMBIES)
ans_c=$(g "$ps_" $ZOMBIES)
ans_a=$(g "$ps_" $EXTEND)
ans_b=$(snmpbulkwalk -v2c -c public -t 5 -r 1 -Oqv -Cr50 "127.0.0.1:$ps_" $HRSTATUS 2>&1 |
    grep -c -x -e 4 -e invalid)
echo "== zombie count, $NZ held by zombie_maker; snmpd $(snmpd -v 2>/dev/null |
    sed -n 's/.*version: *//p'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg),"
echo "   $(ls /proc | grep -c '^[0-9]') processes; answers: (a) $ans_a (b) $ans_b (c) $ans_c (d) $ans_d"
[ "$ans_b" != "$ans_a" ] &&
    echo "   (b) is not the zombie count: snmpd reports states other than Z as invalid(4) too (idle kernel threads)"

RS=$(idle_rate "$spid")
RA=$(idle_rate "$apid")
RSA=$(calc "print $RS + $RA")
echo "   idle: snmpd $RS us/s, proctel-agent $RA us/s (subtracted from every CPU figure)"

# latency_row LABEL PORT OID RATE PID...: GETS GETs at RATE/s (bench/latency).
latency_row() {
	l=$1 p=$2 o=$3 r=$4
	shift 4
	c0=$(cpu_us "$@"); w0=$(now_us)
	out=$("$BUILD/bench/latency" "127.0.0.1:$p" public "$o" "$GETS" "$RATE")
	c1=$(cpu_us "$@"); w1=$(now_us)
	n=$(echo "$out" | num answered)
	cpu=$(calc "printf \"%.0f\", $(net "$c0" "$c1" "$w0" "$w1" "$r") / ${n:-1}")
	echo "$l|$(echo "$out" | num p50)|$(echo "$out" | num p99.9)|$cpu" >"$tmp/row.$l"
	printf '%-4s %s; servers cpu %s us/GET\n' "$l" "$out" "$cpu"
}
# cold_get LABEL PORT OID RATE PID...: one GET, then 0.3 s for what it
# started (the agent's refresh); latency and CPU appended to cold.LABEL.
cold_get() {
	l=$1 p=$2 o=$3 r=$4
	shift 4
	c0=$(cpu_us "$@"); w0=$(now_us)
	out=$("$BUILD/bench/latency" "127.0.0.1:$p" public "$o" 1 1)
	sleep 0.3
	c1=$(cpu_us "$@"); w1=$(now_us)
	echo "$(echo "$out" | num p50) $(net "$c0" "$c1" "$w0" "$w1" "$r")" >>"$tmp/cold.$l"
}
# median FILE COLUMN
median() { cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "== $GETS GETs at $RATE/s each (bench/latency, open loop)"
latency_row a "$ps_" $EXTEND "$RS" "$spid"
latency_row c "$ps_" $ZOMBIES "$RSA" "$spid" "$apid"
latency_row d "$pa" $ZOMBIES "$RA" "$apid"

echo "== cold: $COLD rounds, ${SPACING} s apart, one GET of each (every cache expired: snmpd's extend 5 s, the agent's snapshot 1 s)"
for l in a c d; do : >"$tmp/cold.$l"; done
i=0
while [ $i -lt "$COLD" ]; do
	sleep "$SPACING"
	cold_get a "$ps_" $EXTEND "$RS" "$spid"
	# (c) and (d) share the agent: each waits for its snapshot to expire.
	sleep 1.2
	cold_get c "$ps_" $ZOMBIES "$RSA" "$spid" "$apid"
	sleep 1.2
	cold_get d "$pa" $ZOMBIES "$RA" "$apid"
	i=$((i + 1))
done
for l in a c d; do
	echo "$l|$(median "$tmp/cold.$l" 1)|$(median "$tmp/cold.$l" 2)" >"$tmp/cold.row.$l"
	printf '%-4s cold: latency median %s us, servers cpu median %s us/GET (each: %s)\n' "$l" \
	    "$(median "$tmp/cold.$l" 1)" "$(median "$tmp/cold.$l" 2)" \
	    "$(cut -d' ' -f2 "$tmp/cold.$l" | tr '\n' ' ')"
done

echo "== (b) GETBULK walks of hrSWRunStatus, max-repetitions 50, ${WSECS} s (bench/loadgen; snmpd caches hrSWRunTable 30 s)"
c0=$(cpu_us "$spid"); w0=$(now_us)
wb=$("$BUILD/bench/loadgen" walk "127.0.0.1:$ps_" public $HRSTATUS 50 "$WSECS" 2>&1)
c1=$(cpu_us "$spid"); w1=$(now_us)
nw=$(echo "$wb" | sed -n 's/.* over \([0-9]*\) walks.*/\1/p')
# loadgen walks once, untimed, before the timed ones.
bcpu=$(calc "printf \"%.0f\", $(net "$c0" "$c1" "$w0" "$w1" "$RS") / (${nw:-0} + 1)")
bmed=$(echo "$wb" | num median)
echo "b    $wb; server cpu $bcpu us/walk"
echo "== (b) cold: the first request after snmpd's hrSWRunTable cache expired (31 s wait) refills it"
sleep 31
c0=$(cpu_us "$spid"); w0=$(now_us)
bout=$("$BUILD/bench/latency" "127.0.0.1:$ps_" public $HRSTATUS.1 1 1)
c1=$(cpu_us "$spid"); w1=$(now_us)
brefill=$(net "$c0" "$c1" "$w0" "$w1" "$RS")
bcold=$(calc "printf \"%.0f\", $brefill + $bcpu")
echo "b    the refill: $bout; server cpu $brefill us; a cold walk: $bcold us"

echo "== ptProcTable walks (GETBULK, max-repetitions 50, ${WSECS} s each)"
# walk_row LABEL PORT RATE PID...: loadgen's line and the servers' cpu per walk.
walk_row() {
	l=$1 p=$2 r=$3
	shift 3
	c0=$(cpu_us "$@"); w0=$(now_us)
	w=$("$BUILD/bench/loadgen" walk "127.0.0.1:$p" public $PTPROC 50 "$WSECS" 2>&1)
	c1=$(cpu_us "$@"); w1=$(now_us)
	nw=$(echo "$w" | sed -n 's/.* over \([0-9]*\) walks.*/\1/p')
	cpu=$(calc "printf \"%.2f\", $(net "$c0" "$c1" "$w0" "$w1" "$r") / 1000 / (${nw:-0} + 1)")
	echo "$l|$(echo "$w" | num median)|$cpu|$(echo "$w" | sed -n 's/^walk: \([0-9]*\) varbinds in \([0-9]*\) requests.*/\1 varbinds, \2 requests/p')" >"$tmp/walk.$l"
	printf '%-22s %s; servers cpu %s ms/walk\n' "$l" "$w" "$cpu"
}
walk_row "through snmpd (AgentX)" "$ps_" "$RSA" "$spid" "$apid"
walk_row "proctel-agent over UDP" "$pa" "$RA" "$apid"

# ---- the summary ----
field() { cut -d'|' -f"$2" "$1"; }
ra=$(field "$tmp/row.a" 4); rc=$(field "$tmp/row.c" 4)
ca=$(field "$tmp/cold.row.a" 3); cc=$(field "$tmp/cold.row.c" 3)
x_cold=$(ratio "$ca" "$cc" 1)
x_rate=$(ratio "$ra" "$rc" 1)
echo
echo "== summary (Markdown, this run; \`make bench\` or \`sh bench/agentx.sh\`, $(date -u +%Y-%m-%d), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| zombie count, $(ls /proc | grep -c '^[0-9]') processes | answer | cold: latency | cold: CPU per GET | $RATE/s: p50 | $RATE/s: p99.9 | $RATE/s: CPU per GET |"
echo "|---|---|---|---|---|---|---|"
echo "| (a) snmpd \`extend\` running ps | $ans_a | $(field "$tmp/cold.row.a" 2) us | $ca us | $(field "$tmp/row.a" 2) us | $(field "$tmp/row.a" 3) us | $ra us |"
echo "| (b) snmpd's hrSWRunStatus walked, invalid(4) counted | $ans_b | | $bcold us | walk $bmed ms | | $bcpu us |"
echo "| (c) snmpd, AgentX to proctel-agent | $ans_c | $(field "$tmp/cold.row.c" 2) us | $cc us | $(field "$tmp/row.c" 2) us | $(field "$tmp/row.c" 3) us | $rc us |"
echo "| (d) proctel-agent over UDP | $ans_d | $(field "$tmp/cold.row.d" 2) us | $(field "$tmp/cold.row.d" 3) us | $(field "$tmp/row.d" 2) us | $(field "$tmp/row.d" 3) us | $(field "$tmp/row.d" 4) us |"
echo
echo "| ptProcTable walk | median | servers' CPU per walk | size |"
echo "|---|---|---|---|"
for l in "through snmpd (AgentX)" "proctel-agent over UDP"; do
	echo "| $l | $(field "$tmp/walk.$l" 2) ms | $(field "$tmp/walk.$l" 3) ms | $(field "$tmp/walk.$l" 4) |"
done
echo
echo "Cold (a GET every ${SPACING} s, as a poller polling once a minute: each runs (a)'s script and (c)'s /proc refresh):"
echo "(c) is ${x_cold}x cheaper in CPU than (a): target (>= 20x) $(verdict "$x_cold" '>=' 20)."
echo "At $RATE/s (snmpd's 5 s extend cache and the agent's 1 s snapshot both shared by many GETs): ${x_rate}x: target (>= 20x) $(verdict "$x_rate" '>=' 20)."
echo "CPU: the servers' threads (schedstat) and reaped children (the ps of (a)), less their idle rate; (b) cold: a warm walk plus the cache refill that the first request after 30 s pays."
echo '== end of summary'
