#!/bin/sh
# suite-timeout: 240
# collector_budget: what hostile agents cost the collector is bounded.
# Several fake agents at once (tests/tools/fakeagent.py on loopback, each
# with its traffic capped) serve tables that never end, of enormous values,
# and one that never ends slowly; beside them our own agent is an honest
# target.  With small budgets (max_target_mb 4, max_run_mb 64): every
# hostile target is cut at its budget and marked, the slow one by the run
# deadline, the honest one is whole and equal to snmpget; the run ends by
# its deadline, and the collector's peak RSS stays under the bound
# proctel.yaml(5) documents (1.25 x max_run_mb + 32 MiB + 8 KiB per
# target).  A table whose columns never end is cut at 256 columns.  A
# second run with a run budget smaller than one target's cuts every
# hostile target at max_run_mb and stays under its own bound.
. tests/integration/lib.sh

AGENT=$BUILD/proctel-agent
COLL=$BUILD/proctel-collector
FAKE=tests/tools/fakeagent.py
[ -x "$AGENT" ] && [ -x "$COLL" ] || skip_all "build the agent and collector first"
command -v snmpget >/dev/null || skip_all "net-snmp tools are not installed"

# Our agent, the honest target.
port=$(free_port)
cat >"$T_TMP/agent.yaml" <<EOF
listen: ["127.0.0.1:$port"]
communities:
  - {name: public, allow: ["127.0.0.0/8"]}
system: {name: honest-host, location: rack 1}
EOF
"$AGENT" -c "$T_TMP/agent.yaml" 2>"$T_TMP/agent.err" &
agent=$!
t_track $agent
wait_snmp "127.0.0.1:$port" || { fail "agent answers" "$(head -3 "$T_TMP/agent.err")"; finish; }

# A sanitizer build's shadow memory and quarantine say nothing about the
# collector's own memory: the RSS checks are skipped there.
SANITIZED=""
grep -q __asan_init "$COLL" && SANITIZED=1
# rss_check NAME RSS BOUND
rss_check() {
	if [ -n "$SANITIZED" ]; then
		skip "$1" "a sanitizer build (its shadow memory is not the collector's)"
	else
		check_int "$1 ($2 KiB, bound $3 KiB)" "$2" -lt "$3"
	fi
}

# fake NAME ARGS...: start a fake agent on a free port (FAKE_PORT).
fake() {
	name=$1
	shift
	FAKE_PORT=$(free_port)
	python3 "$FAKE" --port "$FAKE_PORT" --ready "$T_TMP/$name.ready" \
	    --time 90 --max-bytes $((64 << 20)) "$@" &
	t_track $!
	wait_file "$T_TMP/$name.ready" || fail "fake agent $name starts"
}
fake big1 --value-size 2000
B1=$FAKE_PORT
fake big2 --value-size 2000
B2=$FAKE_PORT
fake big3 --value-size 60000 --columns 3
B3=$FAKE_PORT
fake wide --value-size 0 --rows 1
W1=$FAKE_PORT
fake slow --value-size 0 --delay-ms 200
S1=$FAKE_PORT

# run NAME TARGET_MB RUN_MB CONCURRENCY: one --once run into every sink;
# its exit status in RC, its peak RSS (KiB) in RSS, its wall time in WALL,
# its standard error in NAME.err.
run() {
	cat >"$T_TMP/$1.yaml" <<EOF
defaults: {timeout_ms: 1000, retries: 1}
deadline_s: 6
concurrency: $4
max_target_mb: $2
max_run_mb: $3
targets:
  - {host: 127.0.0.1, port: $port, name: honest}
  - {host: 127.0.0.1, port: $B1, name: big1}
  - {host: 127.0.0.1, port: $B2, name: big2}
  - {host: 127.0.0.1, port: $B3, name: big3}
  - {host: 127.0.0.1, port: $W1, name: wide}
  - {host: 127.0.0.1, port: $S1, name: slow}
metrics:
  - {name: sysName, oid: 1.3.6.1.2.1.1.5.0}
tables:
  - {name: system, oid: 1.3.6.1.2.1.1}
  - {name: t, oid: 1.3.6.1.4.1.99999.1.1}
lock_file: $T_TMP/$1.lock
EOF
	set -- $(python3 -c '
import resource, subprocess, sys, time
t = time.time()
rc = subprocess.call(sys.argv[2:], stderr=open(sys.argv[1], "w"))
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
      int(time.time() - t))
' "$T_TMP/$1.err" "$COLL" -c "$T_TMP/$1.yaml" --once -o "jsonl:$T_TMP/$1.jsonl" \
	    -o "csv:$T_TMP/$1.csv" -o "influx:$T_TMP/$1.lp" \
	    -o "prom:$T_TMP/$1.prom" -o "sqlite:$T_TMP/$1.db")
	RC=$1 RSS=$2 WALL=$3
}
# field NAME TARGET EXPR: a Python expression over record r of TARGET.
field() {
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["target"] == sys.argv[2]:
        rows = r.get("tables", {}).get("t", [])
        print(eval(sys.argv[3]))
' "$T_TMP/$1.jsonl" "$2" "$3"
}

run tb 4 64 10
check_eq "target budget: the run exits 1" "$RC" 1
check_int "target budget: the run ends by its deadline (${WALL}s, deadline 6 s)" "$WALL" -lt 36
bound=$(((64 * 5 / 4 + 32) * 1024 + 6 * 8))
rss_check "target budget: peak RSS under the documented bound" "$RSS" "$bound"
for t in big1 big2 big3; do
	check_eq "target budget: $t is an error cut at max_target_mb" \
	    "$(field tb $t 'r["status"], r["error"]')" \
	    "('error', 'table t: result cut at max_target_mb (4 MiB)')"
	check_eq "target budget: $t keeps the rows it had" "$(field tb $t 'len(rows) > 0')" "True"
done
check_eq "target budget: endless columns are cut at the column cap" \
    "$(field tb wide 'r["status"], r["error"]')" \
    "('error', 'table t: result cut after 256 columns, more than any table has')"
check_eq "target budget: big1 kept under 4 MiB of values" \
    "$(field tb big1 'sum(len(c) for row in rows for c in row.values()) < 4 << 20')" "True"
check_eq "target budget: the slow endless table ends at the deadline" \
    "$(field tb slow 'r["status"], r["error"]')" "('timeout', 'run deadline reached')"
check_eq "target budget: the honest target is ok" "$(field tb honest 'r["status"]')" "ok"
check_eq "target budget: the honest target's sysName equals snmpget's" \
    "$(field tb honest 'r["values"]["sysName"]')" \
    "$(snmpget -v2c -c public -Oqv "udp:127.0.0.1:$port" 1.3.6.1.2.1.1.5.0 | tr -d '"')"
check_eq "target budget: the honest target's system row equals snmpget's" \
    "$(field tb honest 'r["tables"]["system"][0]["sysLocation"]')" \
    "$(snmpget -v2c -c public -Oqv "udp:127.0.0.1:$port" 1.3.6.1.2.1.1.6.0 | tr -d '"')"
check_match "target budget: one warning counts the cut targets" \
    "$(cat "$T_TMP/tb.err")" "run: 4 target results cut at a byte budget"
check_eq "target budget: the SQLite history has every target" \
    "$(sqlite3 "$T_TMP/tb.db" "select count(*) from polls")" 6
check_eq "target budget: the Prometheus file says 1 target up" \
    "$(grep -c '^proctel_up{.*} 1$' "$T_TMP/tb.prom")" 1

# A run budget smaller than one target's: with one target at a time, the
# honest target first, every hostile one is cut at max_run_mb.
run rb 64 8 1
check_eq "run budget: the run exits 1" "$RC" 1
bound=$(((8 * 5 / 4 + 32) * 1024 + 6 * 8))
rss_check "run budget: peak RSS under the documented bound" "$RSS" "$bound"
check_eq "run budget: the honest target, polled first, is ok" \
    "$(field rb honest 'r["status"]')" "ok"
for t in big1 big2 big3 wide; do
	check_eq "run budget: $t is an error cut at max_run_mb" \
	    "$(field rb $t 'r["status"], r["error"]')" \
	    "('error', 'table t: result cut: the run reached max_run_mb (8 MiB)')"
done
alive "the honest agent still runs" $agent
finish
