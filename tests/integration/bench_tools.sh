#!/bin/sh
# bench_tools: the benchmark's measuring tools count what they claim to.
# bench/loadgen counts a GET as served only when the reply is a correct
# answer (checked here with right answers, noSuchInstance answers, echoed
# requests and a refused community) and walks the whole table (checked
# against snmpbulkwalk on a frozen snapshot); bench/scrape counts a scrape
# as answered only when every metric of the module is in an HTTP 200 reply
# (checked against canned replies).  No timing is checked.
. tests/integration/lib.sh
. tests/integration/agent.inc

LOADGEN=$BUILD/bench/loadgen
ECHO=$BUILD/bench/echo
SCRAPE=$BUILD/bench/scrape
for b in "$LOADGEN" "$ECHO" "$SCRAPE"; do
	[ -x "$b" ] || skip_all "$b not built (make all builds it)"
done

port=$(free_port)
# A frozen snapshot (one hour), so a walk now equals a walk later.
agent_conf "$T_TMP/agent.yaml" "$port"
sed -i 's/^cache_ttl_ms: .*/cache_ttl_ms: 3600000/' "$T_TMP/agent.yaml"
agent_start "$T_TMP/agent.yaml" "127.0.0.1:$port"
epo=$(free_port)
"$ECHO" "127.0.0.1:$epo" 60 & t_track $!

# field LINE KEY: the number after KEY.
field() { printf '%s\n' "$1" | sed -n "s/.*$2 \([0-9][0-9]*\).*/\1/p"; }
lg() { LOADGEN_PROCS=1 "$LOADGEN" "$@" 2>&1; }

out=$(lg get "127.0.0.1:$port" public 1.3.6.1.2.1.25.1.6.0 1 16)
check_int "GET hrSystemProcesses.0: correct answers counted" "$(field "$out" get:)" -gt 0
check_eq "GET hrSystemProcesses.0: no wrong answers" "$(field "$out" wrong)" 0

out=$(lg get "127.0.0.1:$port" public 1.3.6.1.2.1.25.1.6.1 1 16)
check_eq "GET of a missing instance: nothing counted correct" "$(field "$out" get:)" 0
check_int "GET of a missing instance: counted as wrong varbinds" "$(field "$out" varbind)" -gt 0

out=$(lg get "127.0.0.1:$port" private 1.3.6.1.2.1.25.1.6.0 1 16)
check_eq "GET with a refused community: nothing counted" "$(field "$out" get:) $(field "$out" wrong)" "0 0"

out=$(lg get "127.0.0.1:$epo" public 1.3.6.1.2.1.25.1.6.0 1 16)
check_eq "an echoed request is no answer to a GET" "$(field "$out" get:)" 0
check_int "an echoed request counts as a wrong header" "$(field "$out" header)" -gt 0
out=$(lg echo "127.0.0.1:$epo" public 1.3.6.1.2.1.25.1.6.0 1 16)
check_int "echo mode counts the echoed requests" "$(field "$out" echo:)" -gt 0
check_eq "echo mode: no wrong ones" "$(field "$out" wrong)" 0

# The walk against snmpbulkwalk on the same frozen snapshot.
HRSW=$HR.4.2.1
want=$(snmpbulkwalk -v2c -c public -On -Cr10 -t 2 -r 1 "127.0.0.1:$port" "$HRSW" | grep -c '^\.')
for reps in 10 200; do
	out=$(lg walk "127.0.0.1:$port" public "$HRSW" "$reps" 1 "$AGENT_PID")
	check_eq "walk -Cr$reps: the varbinds snmpbulkwalk sees" "$(field "$out" walk:)" "$want"
	check_match "walk -Cr$reps: server CPU reported" "$out" "server cpu [0-9.]+ ms/walk \\([0-9]+ ticks\\)"
done
out=$(lg walk "127.0.0.1:$port" public "$HRSW" 0 1)
check_match "walk refuses max-repetitions 0" "$out" "REPETITIONS"

# scrape against canned exporter replies served by python's http.server
# (it serves the file "snmp" for /snmp?target=...).
mkdir -p "$T_TMP/good" "$T_TMP/bad"
printf '%s\n' 'ptProcesses 147' 'ptZombies 0' 'snmp_scrape_pdus_returned 4' \
    'sysName{sysName="vm"} 1' 'sysUpTime 126' >"$T_TMP/good/snmp"
grep -v ptZombies "$T_TMP/good/snmp" >"$T_TMP/bad/snmp"
printf '127.1.0.%d:161\n' 1 2 3 4 5 6 7 8 9 10 >"$T_TMP/hosts"
for d in good bad; do
	hp=$(free_tcp_port)
	(cd "$T_TMP/$d" && exec python3 -m http.server -b 127.0.0.1 "$hp") >/dev/null 2>&1 &
	t_track $!
	i=0
	until python3 -c "import urllib.request as u; u.urlopen('http://127.0.0.1:$hp/snmp', timeout=1)" 2>/dev/null; do
		i=$((i + 1)); [ $i -ge 50 ] && break; sleep 0.1
	done
	eval "out_$d=\$(\"$SCRAPE\" 127.0.0.1:$hp proctel \"$T_TMP/hosts\" 4 20)"
done
check_match "scrape: complete replies are answered" "$out_good" "^fetched 10 answered 10 failed 0 "
check_match "scrape: a reply without ptZombies is not" "$out_bad" "^fetched 10 answered 0 failed 10 "
dead=$(free_tcp_port)
out=$("$SCRAPE" "127.0.0.1:$dead" proctel "$T_TMP/hosts" 4 20)
check_match "scrape: a refused connection is a failure" "$out" "answered 0 failed 10 "

alive "agent still running" "$AGENT_PID"
finish
