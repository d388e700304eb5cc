#!/bin/sh
# Agent benchmark: proctel-agent side by side with net-snmp's snmpd and a
# bare recvmmsg/sendmmsg echo server (the loopback limit), one run, one load
# generator (bench/loadgen), same OIDs, same client settings.  loadgen
# decodes every reply and counts only correct answers (wrong and stale ones
# apart).  Prints each figure, the ratios, and at the end a Markdown table
# ready to paste into README.md.  Not a test: nothing here passes or fails.
#
# Two pairs of servers, each pair configured alike:
#  - "equal limits": snmpd with maxGetbulkRepeats and maxGetbulkResponses
#    raised to 1000 (its default caps a GETBULK reply at 100 varbinds) and
#    the agent with max_message_size 65507 and max_bulk_varbinds 1000 (its
#    default caps a reply at 100 varbinds too), so at max-repetitions 200 both
#    answer 200 varbinds per reply and a walk takes the same requests on
#    both sides (printed, so it can be checked);
#  - "defaults": snmpd as shipped (100 varbinds per reply) and the agent at
#    its defaults (100 varbinds, max_message_size 1472: one Ethernet
#    frame), each doing
#    what it does out of the box; the requests per walk then differ.
# Both agents run with expose_cmdline: true, so hrSWRunPath and
# hrSWRunParameters carry command lines as snmpd's do (it reads them).
# What still differs, named in every row: snmpd caches hrSWRunTable for
# 30 s (its HRSWRUN cache), the agent re-reads /proc after cache_ttl_ms
# 1000 (its default).
#
# Walks are one GETBULK at a time, each walk repeated for BENCH_WALK_SECONDS
# after one untimed walk; wall time is the median walk, CPU is the server's
# utime + stime (/proc/PID/stat) over all walks divided by the walks.  Each
# walk figure is taken with the host's own processes, then with 1,000
# sleeping processes more.  Ratios of walks are per varbind (processes on
# this shared machine come and go between two walks).
#
# Environment: BUILD (build), BENCH_SECONDS (3: each GET run),
# BENCH_WALK_SECONDS (2: each walk figure), LOADGEN_PROCS (2 sender
# processes), BENCH_WINDOW (128 requests in flight per sender).
BENCH=$(cd "$(dirname "$0")" && pwd)
. "$BENCH/lib.sh"
SECS=${BENCH_SECONDS:-3}
WSECS=${BENCH_WALK_SECONDS:-2}
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

for f in "$BUILD/proctel-agent" "$BUILD/bench/loadgen" "$BUILD/bench/echo"; do
	if [ ! -x "$f" ]; then
		echo "bench: $f missing (make bench builds it); agent benchmark skipped"
		exit 0
	fi
done
# num KEY: the number after KEY in loadgen's line on stdin.
num() { sed -n "s/.*$1 \([0-9.]*\).*/\1/p"; }
wait_up() {
	i=0
	while [ $i -lt 50 ]; do
		snmpget -v2c -c public -t 0.2 -r 0 "127.0.0.1:$1" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && return 0
		sleep 0.1; i=$((i + 1))
	done
	echo "bench: nothing answers on $1" >&2
	return 1
}

pe=$(udp_port)
"$BUILD/bench/echo" "127.0.0.1:$pe" 900 & ep=$!; pids="$pids $ep"
# snmpd NAME PORT [CONF LINES]: start (or restart) snmpd NAME; its pid in
# $tmp/NAME.pid.
snmpd_start() {
	n=$1; p=$2; shift 2
	{
		echo "rocommunity public 127.0.0.1"
		echo "dontLogTCPWrappersConnects yes"
		for l in "$@"; do echo "$l"; done
	} >"$tmp/$n.conf"
	snmpd -f -Lf /dev/null -C -c "$tmp/$n.conf" -p "$tmp/$n.snmpd.pid" \
	    "udp:127.0.0.1:$p" 2>/dev/null & echo $! >"$tmp/$n.pid"
	pids="$pids $(cat "$tmp/$n.pid")"
}
# agent NAME PORT MAX_MESSAGE_SIZE
agent_start() {
	cat >"$tmp/$1.yaml" <<EOC
listen: ["127.0.0.1:$2"]
communities: [{name: public, allow: ["127.0.0.0/8"]}]
max_message_size: $3
max_bulk_varbinds: $4
expose_cmdline: true
EOC
	"$BUILD/proctel-agent" -c "$tmp/$1.yaml" 2>/dev/null & echo $! >"$tmp/$1.pid"
	pids="$pids $(cat "$tmp/$1.pid")"
}
SEQ_CONF="maxGetbulkRepeats 1000; maxGetbulkResponses 1000"
pseq=$(udp_port); psdef=$(udp_port); paeq=$(udp_port); padef=$(udp_port)
snmpd_start seq "$pseq" "maxGetbulkRepeats 1000" "maxGetbulkResponses 1000"
snmpd_start sdef "$psdef"
agent_start aeq "$paeq" 65507 1000
agent_start adef "$padef" 1472 100
for p in $pseq $psdef $paeq $padef; do wait_up "$p" || exit 1; done
sleep 0.5
port_of() { case $1 in seq) echo "$pseq" ;; sdef) echo "$psdef" ;; aeq) echo "$paeq" ;; adef) echo "$padef" ;; esac; }

echo "== servers: snmpd $(snmpd -v 2>/dev/null | sed -n 's/.*version: *//p'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   equal limits: snmpd + '$SEQ_CONF', agent max_message_size 65507, max_bulk_varbinds 1000"
echo "   defaults:     snmpd as shipped (100 varbinds/reply), agent max_message_size 1472, max_bulk_varbinds 100 (its defaults)"
echo "   both agents expose_cmdline: true; snmpd hrSWRun cache 30 s, agent cache_ttl_ms 1000"

HRSW=1.3.6.1.2.1.25.4.2.1			# hrSWRunEntry
PTPROC=1.3.6.1.4.1.8072.9999.9999.1.1.3.1	# ptProcEntry
# walk1 SERVER OID REPS FILE: one walk figure into FILE.
walk1() {
	"$BUILD/bench/loadgen" walk "127.0.0.1:$(port_of "$1")" public "$2" "$3" \
	    "$WSECS" "$(cat "$tmp/$1.pid")" >"$4" 2>&1 ||
	    echo "walk: FAILED: $(cat "$4")" >"$4"
}
# per_vb FILE KEY: the figure KEY per walk divided by varbinds per walk.
per_vb() {
	awk -v v="$(num 'walk:' <"$1")" -v x="$(num "$2" <"$1")" 'BEGIN {
		if (v > 0 && x != "") print x / v }'
}
# vb_ratio SNMPD_FILE AGENT_FILE KEY: snmpd's per-varbind KEY / the agent's.
vb_ratio() { ratio "$(per_vb "$1" "$3")" "$(per_vb "$2" "$3")"; }
walks() {	# LABEL: walks with the processes running now
	n=$(ls /proc | grep -c '^[0-9]')
	echo "$n" >"$tmp/n.$1"
	for reps in 10 200; do
		echo "== GETBULK walks, max-repetitions $reps, $n processes, ${WSECS} s each"
		f=$tmp/w.$1.$reps
		# The defaults pair first: no pair always comes first.
		if [ "$reps" = 200 ]; then
			walk1 sdef $HRSW "$reps" "$f.sdef"
			walk1 adef $HRSW "$reps" "$f.adef"
			echo "defaults, snmpd hrSWRunTable:             $(cat "$f.sdef")"
			echo "defaults, proctel-agent hrSWRunTable:     $(cat "$f.adef")"
		fi
		walk1 seq $HRSW "$reps" "$f.seq"
		walk1 aeq $HRSW "$reps" "$f.aeq"
		walk1 aeq $PTPROC "$reps" "$f.ptp"
		echo "equal limits, snmpd hrSWRunTable:         $(cat "$f.seq")"
		echo "equal limits, proctel-agent hrSWRunTable: $(cat "$f.aeq")"
		echo "equal limits, proctel-agent ptProcTable:  $(cat "$f.ptp")"
		for c in eq def; do
			[ "$c" = def ] && [ "$reps" != 200 ] && continue
			s=$f.s$c; a=$f.a$c
			echo "$c, reps $reps: requests/walk snmpd $(num 'in' <"$s") agent $(num 'in' <"$a");" \
			    "per varbind snmpd/agent: wall $(vb_ratio "$s" "$a" median)x, server CPU $(vb_ratio "$s" "$a" 'server cpu')x (target >= 5)"
		done
	done
}
walks host
i=0
while [ $i -lt 1000 ]; do
	sleep 120 & sleepers="$sleepers $!"
	i=$((i + 1))
done
# snmpd caches hrSWRunTable for 30 s: restart both so they see the sleepers.
for s in seq sdef; do
	kill "$(cat "$tmp/$s.pid")"; wait "$(cat "$tmp/$s.pid")" 2>/dev/null
done
snmpd_start seq "$pseq" "maxGetbulkRepeats 1000" "maxGetbulkResponses 1000"
snmpd_start sdef "$psdef"
wait_up "$pseq" && wait_up "$psdef" || exit 1
sleep 1.5	# the agents' caches expire
walks many
for p in $sleepers; do kill "$p" 2>/dev/null; done
wait $sleepers 2>/dev/null
sleepers=""

# GET last, so that a GET flood's backlog never lands in a walk figure.
GETOID=1.3.6.1.2.1.25.1.6.0	# hrSystemProcesses: both serve it
echo "== GET $GETOID, $SECS s, window $WINDOW, $PROCS sender processes"
"$BUILD/bench/loadgen" echo "127.0.0.1:$pe" public $GETOID "$SECS" "$WINDOW" "$ep" >"$tmp/g.echo"
"$BUILD/bench/loadgen" get "127.0.0.1:$pseq" public $GETOID "$SECS" "$WINDOW" "$(cat "$tmp/seq.pid")" >"$tmp/g.snmpd"
"$BUILD/bench/loadgen" get "127.0.0.1:$paeq" public $GETOID "$SECS" "$WINDOW" "$(cat "$tmp/aeq.pid")" >"$tmp/g.agent"
echo "echo limit:    $(cat "$tmp/g.echo")"
echo "snmpd:         $(cat "$tmp/g.snmpd")"
echo "proctel-agent: $(cat "$tmp/g.agent")"
er=$(num 's:' <"$tmp/g.echo"); sr=$(num 's:' <"$tmp/g.snmpd"); ar=$(num 's:' <"$tmp/g.agent")
sc=$(num 'cpu' <"$tmp/g.snmpd"); ac=$(num 'cpu' <"$tmp/g.agent")
sw=$(num 'wrong' <"$tmp/g.snmpd"); aw=$(num 'wrong' <"$tmp/g.agent")
getr=$(ratio "$ar" "$sr"); echor=$(ratio "$ar" "$er")
echo "GET rate (correct answers): agent/snmpd ${getr}x (target >= 4: $(verdict "$getr" '>=' 4)), agent/echo $echor (target >= 0.70: $(verdict "$echor" '>=' 0.70))"
echo "wrong answers: snmpd $sw, agent $aw; CPU per GET: snmpd $sc us, agent $ac us: snmpd/agent $(ratio "$sc" "$ac")x"

for s in seq sdef aeq adef; do hwm "$(cat "$tmp/$s.pid")" >"$tmp/rss.$s"; done
echo "== peak RSS (VmHWM) after the walks and GETs: snmpd $(cat "$tmp/rss.seq") KiB (defaults $(cat "$tmp/rss.sdef")), proctel-agent $(cat "$tmp/rss.aeq") KiB (defaults $(cat "$tmp/rss.adef")) (target < 3072: $(verdict "$(cat "$tmp/rss.aeq")" '<' 3072), defaults $(verdict "$(cat "$tmp/rss.adef")" '<' 3072))"

# The summary: one Markdown table from this run.
ms() { num "$2" <"$1"; }
cell() {	# FILE: "W ms" or "FAILED"
	if grep -q FAILED "$1"; then echo FAILED; else echo "$(ms "$1" median) ms"; fi
}
cpu() { echo "$(ms "$1" 'server cpu') ms"; }
reqs() { ms "$1" 'in'; }
row_walk() {	# LABEL PROCS REPS CONF(eq|def)
	f=$tmp/w.$1.$3
	s=$f.s$4; a=$f.a$4
	rw=$(vb_ratio "$s" "$a" median); rc=$(vb_ratio "$s" "$a" 'server cpu')
	if [ "$4" = eq ]; then
		lim="equal limits"; pt=" (ptProcTable $(cell "$f.ptp"))"; ptc=" (ptProcTable $(cpu "$f.ptp"))"
	else
		lim="defaults: snmpd 100 varbinds/reply, agent 1472 octets"; pt=""; ptc=""
	fi
	echo "| hrSWRunTable walk, $2 processes, max-repetitions $3, $lim; requests snmpd $(reqs "$s"), agent $(reqs "$a"): wall | $(cell "$s") | $(cell "$a")$pt | ${rw}x | >= 5x, $(verdict "$rw" '>=' 5) |"
	echo "| same walk: server CPU (utime+stime) per walk | $(cpu "$s") | $(cpu "$a")$ptc | ${rc}x | >= 5x, $(verdict "$rc" '>=' 5) |"
}
echo
echo "== summary (Markdown, this run; \`make bench\`, $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| measure | snmpd | proctel-agent | ratio | target |"
echo "|---|---|---|---|---|"
echo "| GET/s, correct answers (hrSystemProcesses.0, $PROCS senders x $WINDOW in flight; wrong: snmpd $sw, agent $aw) | $(thousands "$sr") | $(thousands "$ar") | ${getr}x | >= 4x, $(verdict "$getr" '>=' 4) |"
echo "| GET/s vs a bare recvmmsg/sendmmsg echo server | | $(thousands "$er") echo | $echor | >= 0.70, $(verdict "$echor" '>=' 0.70) |"
echo "| server CPU per GET | $sc us | $ac us | $(ratio "$sc" "$ac" 1)x less | |"
for l in host many; do
	np=$(thousands "$(cat "$tmp/n.$l")")
	for reps in 10 200; do
		row_walk "$l" "$np" "$reps" eq
		[ "$reps" = 200 ] && row_walk "$l" "$np" "$reps" def
	done
done
echo "| peak RSS (VmHWM) after the walks and GETs, equal limits (defaults) | $(thousands "$(cat "$tmp/rss.seq")") KiB ($(thousands "$(cat "$tmp/rss.sdef")")) | $(thousands "$(cat "$tmp/rss.aeq")") KiB ($(thousands "$(cat "$tmp/rss.adef")")) | $(ratio "$(cat "$tmp/rss.seq")" "$(cat "$tmp/rss.aeq")" 1)x less | < 3 MB: $(verdict "$(cat "$tmp/rss.aeq")" '<' 3072) ($(verdict "$(cat "$tmp/rss.adef")" '<' 3072)) |"
echo
echo "Settings that differ between the sides in every row: snmpd caches hrSWRunTable 30 s, the agent re-reads /proc after 1 s. Walk ratios are per varbind. Equal limits: snmpd maxGetbulkRepeats/maxGetbulkResponses 1000, agent max_message_size 65507 and max_bulk_varbinds 1000."
echo '== end of summary'
