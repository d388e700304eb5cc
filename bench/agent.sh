#!/bin/sh
# Agent benchmark: proctel-agent side by side with net-snmp's snmpd and a
# bare recvmmsg/sendmmsg echo server (the loopback limit), one run, one load
# generator (bench/loadgen), same OIDs.  Prints each figure and the ratios.
# The table walks run at max-repetitions 10 (snmpbulkwalk's default) and
# 200, first with the host's own processes, then with 1,000 more.
# Not a test: nothing here passes or fails.
BUILD=${BUILD:-build}
SECS=${BENCH_SECONDS:-3}
PROCS=${LOADGEN_PROCS:-2}
WINDOW=${BENCH_WINDOW:-128}
export LOADGEN_PROCS=$PROCS
tmp=$(mktemp -d /tmp/proctel-bench.XXXXXX)
pids=""
sleepers=""
cleanup() {
	for p in $pids $sleepers; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hwm() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }
num() { sed -n "s/.*$1 \([0-9.]*\).*/\1/p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
wait_up() {
	i=0
	while [ $i -lt 50 ]; do
		snmpget -v2c -c public -t 0.2 -r 0 "127.0.0.1:$1" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && return 0
		sleep 0.1; i=$((i + 1))
	done
	echo "bench: nothing answers on $1" >&2
	return 1
}

pe=$(port); ps_=$(port); pa=$(port)
"$BUILD/bench/echo" "127.0.0.1:$pe" 600 & ep=$!; pids="$pids $ep"
cat >"$tmp/snmpd.conf" <<EOC
rocommunity public 127.0.0.1
dontLogTCPWrappersConnects yes
EOC
start_snmpd() {
	snmpd -f -Lf /dev/null -C -c "$tmp/snmpd.conf" -p "$tmp/snmpd.pid" \
	    "udp:127.0.0.1:$ps_" 2>/dev/null & sp=$!; pids="$pids $sp"
}
start_snmpd
# max_message_size 65507: the largest reply, which is what makes a table
# walk take few requests (GET replies are far below either limit).
cat >"$tmp/agent.yaml" <<EOC
listen: ["127.0.0.1:$pa"]
communities: [{name: public, allow: ["127.0.0.0/8"]}]
max_message_size: 65507
EOC
"$BUILD/proctel-agent" -c "$tmp/agent.yaml" 2>/dev/null & ap=$!; pids="$pids $ap"
wait_up "$ps_" && wait_up "$pa" || exit 1
sleep 0.5

GETOID=1.3.6.1.2.1.25.1.6.0	# hrSystemProcesses: both serve it
echo "== GET $GETOID, $SECS s, window $WINDOW, $PROCS sender processes"
e=$("$BUILD/bench/loadgen" get "127.0.0.1:$pe" public $GETOID "$SECS" "$WINDOW" "$ep")
s=$("$BUILD/bench/loadgen" get "127.0.0.1:$ps_" public $GETOID "$SECS" "$WINDOW" "$sp")
a=$("$BUILD/bench/loadgen" get "127.0.0.1:$pa" public $GETOID "$SECS" "$WINDOW" "$ap")
echo "echo limit:    $e"
echo "snmpd:         $s"
echo "proctel-agent: $a"
er=$(echo "$e" | num ':'); sr=$(echo "$s" | num ':'); ar=$(echo "$a" | num ':')
sc=$(echo "$s" | num 'cpu'); ac=$(echo "$a" | num 'cpu')
echo "GET rate: agent/snmpd $(ratio "$ar" "$sr")x (target >= 4), agent/echo $(ratio "$ar" "$er") (target >= 0.70)"
echo "CPU per GET: snmpd $sc us, agent $ac us: snmpd/agent $(ratio "$sc" "$ac")x"

# One walk figure: loadgen's output line for OID at max-repetitions REPS.
walk1() {	# ADDR-PORT PID OID REPS COUNT
	"$BUILD/bench/loadgen" walk "127.0.0.1:$1" public "$3" "$4" "$5" "$2"
}
HRSW=1.3.6.1.2.1.25.4.2.1			# hrSWRunEntry
PTPROC=1.3.6.1.4.1.8072.9999.9999.1.1.3.1	# ptProcEntry
walks() {
	n=$(ls /proc | grep -c '^[0-9]')
	for reps in 10 200; do
		# snmpbulkwalk's default is 10; 200 is what a tuned manager asks.
		# Short walks are noisy: more of them (a walk of the 1,000
		# extra processes at reps 10 takes ~0.1 s on snmpd).
		if [ "$n" -gt 500 ]; then cnt=20; [ "$reps" = 10 ] && cnt=10
		else cnt=100; [ "$reps" = 10 ] && cnt=50; fi
		echo "== GETBULK walk, max-repetitions $reps, $n processes, median of $cnt walks"
		s=$(walk1 "$ps_" "$sp" $HRSW "$reps" "$cnt")
		a=$(walk1 "$pa" "$ap" $HRSW "$reps" "$cnt")
		p=$(walk1 "$pa" "$ap" $PTPROC "$reps" "$cnt")
		echo "snmpd hrSWRunTable:         $s"
		echo "proctel-agent hrSWRunTable: $a"
		echo "proctel-agent ptProcTable:  $p"
		st=$(echo "$s" | num 'median'); at=$(echo "$a" | num 'median'); pt=$(echo "$p" | num 'median')
		echo "walk speed-up vs snmpd hrSWRunTable, reps $reps, $n processes: hrSWRunTable $(ratio "$st" "$at")x, ptProcTable $(ratio "$st" "$pt")x (target >= 5)"
	done
}
echo "== walks: the agent runs with max_message_size 65507, so a reply holds as"
echo "   many varbinds as fit in 64 KiB; snmpd answers at most 100 varbinds per"
echo "   GETBULK (its default maxGetbulkResponses), whatever max-repetitions asks"
walks
i=0
while [ $i -lt 1000 ]; do
	sleep 120 & sleepers="$sleepers $!"
	i=$((i + 1))
done
# snmpd caches hrSWRunTable for 30 s: restart it so it sees the sleepers.
kill "$sp"; wait "$sp" 2>/dev/null
start_snmpd
wait_up "$ps_" || exit 1
sleep 1.5	# the agent's cache expires
walks
for p in $sleepers; do kill "$p" 2>/dev/null; done
wait $sleepers 2>/dev/null
sleepers=""

sh_=$(hwm "$sp"); ah=$(hwm "$ap")
echo "== peak RSS (VmHWM): snmpd $sh_ KiB, proctel-agent $ah KiB (target < 3072): snmpd/agent $(ratio "$sh_" "$ah")x"
