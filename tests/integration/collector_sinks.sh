#!/bin/sh
# collector_sinks: the collector's sinks and alerts end to end, against our
# agent on a free loopback port.  Two --once runs append to one SQLite file
# (the samples view doubles, both run times appear), the Prometheus file is
# well-formed with no temp file left, JSON Lines parse, an alert command
# receives valid JSON; then a --daemon collector with interval 1 leaves no
# zombie child (asked of the agent's ptProcTable, and of /proc) and no
# growing descriptor count.  It does not test polling itself (retries,
# timeouts): other scripts do.
. tests/integration/lib.sh

AGENT=$BUILD/proctel-agent
COLL=$BUILD/proctel-collector
[ -x "$AGENT" ] && [ -x "$COLL" ] || skip_all "build the agent and collector first"
command -v sqlite3 >/dev/null || skip_all "sqlite3 is not installed"
command -v snmpbulkwalk >/dev/null || skip_all "net-snmp tools are not installed"

PT=1.3.6.1.4.1.8072.9999.9999.1
port=$(free_port)
cat >"$T_TMP/agent.yaml" <<EOF
listen: ["127.0.0.1:$port"]
communities:
  - {name: public, allow: ["127.0.0.0/8"]}
cache_ttl_ms: 0
EOF
"$AGENT" -c "$T_TMP/agent.yaml" 2>"$T_TMP/agent.err" &
agent=$!
t_track $agent
# Our own agent not starting is a failure, not a reason to skip.
wait_snmp "127.0.0.1:$port" || { fail "agent answers" "$(head -3 "$T_TMP/agent.err")"; finish; }

# processes is always > 0, so the alert fires on every run.
cat >"$T_TMP/collector.yaml" <<EOF
defaults: {port: $port, version: 2c, community: public, timeout_ms: 500, retries: 1}
interval_s: 1
deadline_s: 10
targets:
  - {host: 127.0.0.1, port: $port, name: local, labels: {role: demo}}
metrics:
  - {name: zombies, oid: $PT.1.1.6.0}
  - {name: processes, oid: $PT.1.1.1.0}
  - {name: sysUpTime, oid: 1.3.6.1.2.1.1.3.0}
tables:
  - {name: zombie_parents, oid: $PT.1.4.1}
alerts:
  - {metric: processes, above: 0, command: "cat > '$T_TMP/alert.json'", timeout_ms: 5000}
lock_file: $T_TMP/collector.lock
EOF

db=$T_TMP/history.db
once() {
	"$COLL" -c "$T_TMP/collector.yaml" --once -o "sqlite:$db" \
	    -o "prom:$T_TMP/proctel.prom" -o "jsonl:$T_TMP/samples.jsonl" \
	    -o "csv:$T_TMP/samples.csv" -o "influx:$T_TMP/samples.lp" \
	    >"$T_TMP/once.out" 2>"$T_TMP/once.err"
}

once
check_eq "first --once run exits 0" "$?" 0
c1=$(sqlite3 "$db" "select count(*) from samples")
check_int "samples view has rows after one run" "$c1" -gt 0
t1=$(sqlite3 "$db" "select max(time) from samples")
# Run times have one-second precision; make the second run's differ.
sleep 1.1
once
check_eq "second --once run exits 0" "$?" 0
c2=$(sqlite3 "$db" "select count(*) from samples")
check_int "samples view doubles after the second run" "$c2" -eq $((c1 * 2))
check_eq "both runs' times appear" \
    "$(sqlite3 "$db" "select count(distinct time) from samples")" 2
check_match "run times are ISO 8601 UTC" "$t1" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
check_eq "the zombies metric is stored for local" \
    "$(sqlite3 "$db" "select count(*) from samples where target = 'local' and metric = 'zombies'")" 2
check_eq "both polls were ok" \
    "$(sqlite3 "$db" "select group_concat(status) from polls")" "ok,ok"
check_eq "schema version is set" "$(sqlite3 "$db" "pragma user_version")" 2
check_eq "run_stats: one row per run, the target answered" \
    "$(sqlite3 "$db" "select count(*), sum(answered), sum(timeouts) from run_stats")" "2|2|0"

# Prometheus: every line a comment or name{labels} number; no temp file.
prom=$T_TMP/proctel.prom
bad=$(grep -Ev '^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*|[a-zA-Z_:][a-zA-Z0-9_:]*\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\} -?[0-9][0-9.e+-]*)$' "$prom" | head -3)
check_eq "prom file lines are well-formed" "$bad" ""
check_eq "prom file says the target is up" \
    "$(grep -c '^proctel_up{target="local",host="127.0.0.1",role="demo"} 1$' "$prom")" 1
check_match "prom file has the zombies gauge" "$(cat "$prom")" '^proctel_zombies\{target="local",'
check_eq "no prom temp file remains" "$(ls "$T_TMP" | grep -c 'proctel.prom.tmp')" 0

check_cmd "JSON Lines parse, two ok records for local" python3 -c '
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
assert len(recs) == 2, recs
for r in recs:
    assert r["target"] == "local" and r["status"] == "ok", r
    assert r["labels"] == {"role": "demo"}, r
    assert isinstance(r["values"]["processes"], int), r
    assert "zombie_parents" in r["tables"], r
' "$T_TMP/samples.jsonl"
check_eq "CSV has one header" "$(grep -c '^time,target,host,port' "$T_TMP/samples.csv")" 1
check_match "influx line for local" "$(head -1 "$T_TMP/samples.lp")" \
    '^proctel,target=local,host=127\.0\.0\.1,role=demo status="ok",attempts=[0-9]+i,.*processes=[0-9]+i.* [0-9]{19}$'

check_cmd "alert command received valid JSON" python3 -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert a["metric"] == "processes" and a["target"] == "local", a
assert a["value"] > 0 and a["above"] == 0 and a["rule"] == 1, a
assert a["labels"] == {"role": "demo"} and a["port"] == int(sys.argv[2]), a
' "$T_TMP/alert.json" "$port"

# agent_zombie_kids PID: the pids the agent lists in ptProcTable with
# ptProcPpid PID and ptProcState zombie(5).
agent_zombie_kids() {
	for k in $(snmpbulkwalk -v2c -c public -On -Oq -t 1 -r 1 \
	    "udp:127.0.0.1:$port" "$PT.1.3.1.2" 2>/dev/null |
	    awk -v p="$1" '$2 == p { n = split($1, a, "."); print a[n] }'); do
		st=$(snmpget -v2c -c public -On -Oqv -t 1 -r 1 \
		    "udp:127.0.0.1:$port" "$PT.1.3.1.3.$k" 2>/dev/null)
		case "$st" in 5|zombie*) printf ' %s' "$k" ;; esac
	done
}
# The query must see a zombie where there is one: a parent that never waits.
sh -c 'sleep 0.1 & exec sleep 30' &
holder=$!
t_track $holder
# The agent answers from the snapshot in service and refreshes beside its
# loop, so ask until a snapshot taken since the zombie appeared is served.
kids=""
i=0
while [ $i -lt 20 ] && [ -z "$kids" ]; do
	sleep 0.25
	kids=$(agent_zombie_kids $holder)
	i=$((i + 1))
done
check_match "agent query finds a known zombie child" "$kids" '[0-9]'
kill $holder 2>/dev/null

# Daemon: runs every second, an alert each run.  Sample its descriptors
# and ask the agent for its zombie children while it runs.
ddb=$T_TMP/daemon.db
rm -f "$T_TMP/alert.json"
"$COLL" -c "$T_TMP/collector.yaml" --daemon -o "sqlite:$ddb" \
    >"$T_TMP/daemon.out" 2>"$T_TMP/daemon.err" &
coll=$!
t_track $coll
fds_early=""
fds_late=""
zombies_seen=""
persistent=""
i=0
while [ $i -lt 35 ]; do
	sleep 0.1
	i=$((i + 1))
	kill -0 $coll 2>/dev/null || break
	n=$(ls /proc/$coll/fd 2>/dev/null | wc -l)
	# The smallest count in a window is the count between runs.
	if [ $i -ge 5 ] && [ $i -le 15 ]; then
		if [ -z "$fds_early" ] || [ "$n" -lt "$fds_early" ]; then fds_early=$n; fi
	fi
	if [ $i -ge 25 ]; then
		if [ -z "$fds_late" ] || [ "$n" -lt "$fds_late" ]; then fds_late=$n; fi
	fi
	[ $((i % 3)) -eq 0 ] || continue
	now=$(agent_zombie_kids $coll)
	# A child is a zombie for an instant before it is reaped; one seen
	# twice, 0.3 s apart, was left behind.
	for k in $now; do
		case " $zombies_seen " in *" $k "*) persistent="$persistent $k" ;; esac
	done
	zombies_seen=$now
done
alive "daemon collector still runs" $coll
check_eq "agent reports no lasting zombie child of the collector" "$persistent" ""
check_cmd "the agent was asked (ptProcTable walk answers)" \
    snmpbulkwalk -v2c -c public -On -t 1 -r 1 "udp:127.0.0.1:$port" "$PT.1.3.1.2"
proc_z=$(for s in /proc/[0-9]*/stat; do cat "$s" 2>/dev/null; done |
    awk -v p=$coll '{ sub(/.*\) /, ""); if ($1 == "Z" && $2 == p) print }' | wc -l)
check_eq "no zombie child of the collector in /proc now" "$proc_z" 0
check_int "daemon did several runs" "$(sqlite3 "$ddb" "select count(*) from runs" 2>/dev/null || echo 0)" -ge 2
check_int "collector descriptors were counted" "${fds_early:-0}" -gt 0
check_eq "collector descriptors did not grow" "$fds_late" "$fds_early"
check_cmd "daemon alert received valid JSON" python3 -c '
import json, sys; json.load(open(sys.argv[1]))' "$T_TMP/alert.json"

kill $coll 2>/dev/null
i=0
while kill -0 $coll 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
wait $coll
check_eq "daemon exits 0 on SIGTERM" "$?" 0
alive "agent still runs" $agent
finish
