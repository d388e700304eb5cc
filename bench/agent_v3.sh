#!/bin/sh
# SNMPv3 agent benchmark: proctel-agent side by side with net-snmp's snmpd,
# both with the same USM user, one run, one load generator (bench/loadgen3,
# the agent's own v3 codec and keys acting as a manager: it discovers each
# engine, then keeps requests in flight and verifies, decrypts and decodes
# every reply, counting only correct answers).  GETs at authPriv with
# SHA-256/AES-128 (the issue's measure) and SHA/AES-256, and at authNoPriv
# SHA-256; the server's CPU per GET; the peak RSS of each with the users
# configured.  Prints each figure, then a Markdown table ready to paste
# into README.md.  Not a test: nothing here passes or fails.
#
# Environment: BUILD (build), BENCH_SECONDS (3: each GET run),
# LOADGEN_PROCS (2 sender processes), BENCH_WINDOW (64 requests in flight
# per sender).
BENCH=$(cd "$(dirname "$0")" && pwd)
. "$BENCH/lib.sh"
SECS=${BENCH_SECONDS:-3}
PROCS=${LOADGEN_PROCS:-2}
WINDOW=${BENCH_WINDOW:-64}
export LOADGEN_PROCS=$PROCS
PW=maplesyrup
bench_setup

for f in "$BUILD/proctel-agent" "$BUILD/bench/loadgen3"; do
	if [ ! -x "$f" ]; then
		echo "bench: $f missing (make bench builds it); v3 benchmark skipped"
		exit 0
	fi
done
num() { sed -n "s/.*$1 \([0-9.]*\).*/\1/p"; }
# The users, as both servers hold them; the third is authNoPriv.
USERS="usha256:SHA-256:AES ua256:SHA:AES-256 uauth:SHA-256:none"

ps=$(udp_port)
pa=$(udp_port)
mkdir -p "$tmp/snmpd"
{
	echo "dontLogTCPWrappersConnects yes"
	echo "rocommunity public 127.0.0.1"
	for u in $USERS; do
		n=${u%%:*} r=${u#*:} a=${r%%:*} p=${r#*:}
		if [ "$p" = none ]; then
			echo "createUser $n $a $PW"
			echo "rouser $n authnopriv"
		else
			echo "createUser $n $a $PW $(echo "$p" | tr -d -) $PW"
			echo "rouser $n authpriv"
		fi
	done
} >"$tmp/snmpd.conf"
SNMP_PERSISTENT_DIR=$tmp/snmpd SNMPCONFPATH=$tmp/snmpd snmpd -f -Lf /dev/null -C \
    -c "$tmp/snmpd.conf" -p "$tmp/snmpd.pidfile" "udp:127.0.0.1:$ps" 2>/dev/null &
echo $! >"$tmp/snmpd.pid"
pids="$pids $(cat "$tmp/snmpd.pid")"
{
	echo "listen: [\"127.0.0.1:$pa\"]"
	echo "communities: [{name: public, allow: [\"127.0.0.0/8\"]}]"
	echo "state_dir: $tmp/state"
	echo "users:"
	for u in $USERS; do
		n=${u%%:*} r=${u#*:} a=${r%%:*} p=${r#*:}
		if [ "$p" = none ]; then
			echo "  - {name: $n, auth_protocol: $a, auth_password: $PW}"
		else
			echo "  - {name: $n, auth_protocol: $a, auth_password: $PW, priv_protocol: $p, priv_password: $PW}"
		fi
	done
} >"$tmp/agent.yaml"
chmod 600 "$tmp/agent.yaml"
"$BUILD/proctel-agent" -c "$tmp/agent.yaml" 2>/dev/null &
echo $! >"$tmp/agent.pid"
pids="$pids $(cat "$tmp/agent.pid")"
# Up when the v3 user itself answers (snmpd applies createUser late).
wait_v3() {
	i=0
	while [ $i -lt 100 ]; do
		SNMPCONFPATH=$tmp SNMP_PERSISTENT_DIR=$tmp snmpget -v3 -l authPriv \
		    -u usha256 -a SHA-256 -A $PW -x AES -X $PW -t 0.3 -r 0 \
		    "udp:127.0.0.1:$1" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "bench: no SNMPv3 answer on $1" >&2
	return 1
}
wait_v3 "$ps" && wait_v3 "$pa" || exit 1

echo "== servers: snmpd $(snmpd -v 2>/dev/null | sed -n 's/.*version: *//p'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   one SNMPv3 user per row, alike on both; loadgen3 discovers each engine (no engine ID given)"

GETOID=1.3.6.1.2.1.25.1.6.0	# hrSystemProcesses: both serve it
for u in $USERS; do
	n=${u%%:*} r=${u#*:} a=${r%%:*} p=${r#*:}
	echo "== GET $GETOID as $n ($a/$p), $SECS s, window $WINDOW, $PROCS sender processes"
	"$BUILD/bench/loadgen3" get "127.0.0.1:$ps" "$n" "$a" "$p" $PW $GETOID \
	    "$SECS" "$WINDOW" "$(cat "$tmp/snmpd.pid")" >"$tmp/g.s.$n" 2>&1
	"$BUILD/bench/loadgen3" get "127.0.0.1:$pa" "$n" "$a" "$p" $PW $GETOID \
	    "$SECS" "$WINDOW" "$(cat "$tmp/agent.pid")" >"$tmp/g.a.$n" 2>&1
	echo "snmpd:         $(cat "$tmp/g.s.$n")"
	echo "proctel-agent: $(cat "$tmp/g.a.$n")"
done
rs=$(hwm "$(cat "$tmp/snmpd.pid")")
ra=$(hwm "$(cat "$tmp/agent.pid")")
echo "== peak RSS (VmHWM) with the users configured, after the GETs: snmpd $rs KiB, proctel-agent $ra KiB (target < 3072: $(verdict "$ra" '<' 3072))"

echo
echo "== summary (Markdown, this run; \`make bench\` or \`sh bench/agent_v3.sh\`, $(date -u +%Y-%m-%d), load $(cut -d' ' -f1-3 /proc/loadavg))"
echo
echo "| SNMPv3, $PROCS senders x $WINDOW in flight, GET hrSystemProcesses.0 | snmpd | proctel-agent | ratio | target |"
echo "|---|---|---|---|---|"
for u in $USERS; do
	n=${u%%:*} r=${u#*:} a=${r%%:*} p=${r#*:}
	s=$tmp/g.s.$n g=$tmp/g.a.$n
	sr=$(num 's:' <"$s"); ar=$(num 's:' <"$g")
	sc=$(num 'cpu' <"$s"); ac=$(num 'cpu' <"$g")
	rr=$(ratio "$ar" "$sr")
	lvl="authPriv $a/$p"
	[ "$p" = none ] && lvl="authNoPriv $a"
	tgt=""
	[ "$n" = usha256 ] && tgt=">= 4x, $(verdict "$rr" '>=' 4)"
	echo "| GET/s, correct answers, $lvl (wrong: snmpd $(num 'wrong' <"$s"), agent $(num 'wrong' <"$g")) | $(thousands "$sr") | $(thousands "$ar") | ${rr}x | $tgt |"
	echo "| server CPU per GET, $lvl | $sc us | $ac us | $(ratio "$sc" "$ac" 1)x less | |"
done
echo "| peak RSS (VmHWM), $(echo "$USERS" | wc -w) users configured | $(thousands "$rs") KiB | $(thousands "$ra") KiB | $(ratio "$rs" "$ra" 1)x less | < 3 MB, $(verdict "$ra" '<' 3072) |"
echo '== end of summary'
