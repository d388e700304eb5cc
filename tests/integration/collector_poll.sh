#!/bin/sh
# proctel-collector against build/proctel-agent on loopback: 250 targets
# (127.0.1.1-250, one agent bound to 0.0.0.0) with checked values, dead
# targets within the timeout budget, bad configs (exit 2, FILE:LINE:COLUMN,
# nothing written), the run lock, --shard partitions, --daemon runs and
# SIGTERM.  Not a benchmark: no pass/fail depends on speed except a
# generous bound (10x) on the dead-target budget.
. tests/integration/lib.sh

COLL=$BUILD/proctel-collector
AGENT=$BUILD/proctel-agent
[ -x "$COLL" ] || skip_all "$COLL not built"
case $COLL in /*) ;; *) COLL=$(pwd)/$COLL ;; esac
[ -x "$AGENT" ] || skip_all "$AGENT not built"
command -v python3 >/dev/null 2>&1 || skip_all "python3 not installed"
command -v snmpget >/dev/null 2>&1 || skip_all "snmpget not installed"
SNMPCONFPATH=$T_TMP SNMP_PERSISTENT_DIR=$T_TMP MIBS= MIBDIRS=$T_TMP
export SNMPCONFPATH SNMP_PERSISTENT_DIR MIBS MIBDIRS

PORT=$(free_port)
DEAD=$(free_port)
while [ "$DEAD" = "$PORT" ]; do DEAD=$(free_port); done
cat >"$T_TMP/agent.yaml" <<EOF
listen: ["127.0.0.1:$PORT"]
communities:
  - name: public
    allow: ["127.0.0.0/8"]
system: {name: pt-coll-agent}
EOF
"$AGENT" -c "$T_TMP/agent.yaml" -l "0.0.0.0:$PORT" >"$T_TMP/agent.log" 2>&1 &
APID=$!
t_track $APID
# Our own agent not starting is a failure, not a reason to skip.
wait_snmp "127.0.0.1:$PORT" || { fail "agent answers" "$(head -3 "$T_TMP/agent.log")"; finish; }

# targets FILE FIRST COUNT SUBNET PORT: "- {host: 127.0.SUBNET.i}" lines.
targets() {
	i=$2
	end=$(($2 + $3))
	while [ $i -lt $end ]; do
		echo "  - {host: 127.0.$4.$i, port: $5}"
		i=$((i + 1))
	done >>"$1"
}

# jcheck FILE PYTHON-EXPR-PER-RECORD: prints "N M", N records, M matching.
jcheck() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
n = m = 0
pid_max = int(open('/proc/sys/kernel/pid_max').read())
for line in open(sys.argv[1]):
    r = json.loads(line)
    n += 1
    v = r.get('values', {})
    if eval(sys.argv[2]):
        m += 1
print(n, m)
EOF
}

# 1. 250 live targets, every value checked.  The OIDs are DESIGN.md's.
C=$T_TMP/c250.yaml
cat >"$C" <<EOF
defaults: {timeout_ms: 1000, retries: 2}
metrics:
  - {name: pid_max, oid: 1.3.6.1.4.1.8072.9999.9999.1.1.1.12.0}
  - {name: processes, oid: 1.3.6.1.4.1.8072.9999.9999.1.1.1.1.0}
  - {name: sysName, oid: 1.3.6.1.2.1.1.5.0}
targets:
EOF
targets "$C" 1 250 1 "$PORT"
"$COLL" -c "$C" --once -o "jsonl:$T_TMP/out250.jsonl" 2>"$T_TMP/err250"
check_eq "250 live targets exit 0" "$?" 0
check_eq "250 records, all ok" "$(jcheck "$T_TMP/out250.jsonl" "r['status'] == 'ok'")" "250 250"
check_eq "pid_max equals the kernel's on every target" \
    "$(jcheck "$T_TMP/out250.jsonl" "v.get('pid_max') == pid_max")" "250 250"
check_eq "sysName is the agent's configured name" \
    "$(jcheck "$T_TMP/out250.jsonl" "v.get('sysName') == 'pt-coll-agent'")" "250 250"
check_eq "every record names its own host" \
    "$(jcheck "$T_TMP/out250.jsonl" "r['host'] == '127.0.1.%d' % int(r['target'].split('.')[3].split(':')[0]) and r['attempts'] >= 1")" "250 250"
check_eq "processes is a positive count everywhere" \
    "$(jcheck "$T_TMP/out250.jsonl" "v.get('processes', 0) > 0")" "250 250"
check_match "the summary line counts them" "$(cat "$T_TMP/err250")" \
    "250 targets, 250 answered, 0 timeouts, 0 errors"
alive "agent alive after 250 targets" $APID

# 2. 100 live + 100 dead targets: done in about one timeout budget.
C=$T_TMP/dead.yaml
cat >"$C" <<EOF
defaults: {timeout_ms: 200, retries: 2}
targets:
EOF
targets "$C" 1 100 1 "$PORT"
targets "$C" 1 100 2 "$DEAD"
t0=$(date +%s%N)
"$COLL" -c "$C" --once -o "jsonl:$T_TMP/dead.jsonl" 2>"$T_TMP/errdead"
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
check_eq "dead targets: exit 1" "$rc" 1
check_eq "dead targets are timeouts" \
    "$(jcheck "$T_TMP/dead.jsonl" "r['status'] == ('timeout' if r['port'] == $DEAD else 'ok')")" "200 200"
check_eq "dead targets were tried 3 times" \
    "$(jcheck "$T_TMP/dead.jsonl" "r['port'] != $DEAD or r['attempts'] == 3")" "200 200"
# The budget is 200 + 400 + 800 ms (backoff doubles); allow 10x.
check_int "dead targets end within 10x the timeout budget ($ms ms)" "$ms" -lt 14000

# 3. Bad configs: exit 2, FILE:LINE:COLUMN, nothing written.
bad=0
for case in 'targets: [{host: 127.0.0.1, colour: red}]' \
    'targets: [{host: 127.0.0.1}]
metrics: [{name: x, oid: 1.3.x.6}]' \
    'defaults: {version: 4}
targets: [{host: 127.0.0.1}]' \
    'defaults: {timeout_ms: 0}
targets: [{host: 127.0.0.1}]' \
    'targets: [{host: 127.0.0.1}]
concurrency: lots' \
    'targets: [{host: 127.0.0.1' ; do
	bad=$((bad + 1))
	B=$T_TMP/bad$bad.yaml
	printf '%s\n' "$case" >"$B"
	"$COLL" -c "$B" --once -o "jsonl:$T_TMP/bad$bad.jsonl" 2>"$T_TMP/bad$bad.err"
	check_eq "bad config $bad exits 2" "$?" 2
	check_match "bad config $bad says FILE:LINE:COLUMN" \
	    "$(head -1 "$T_TMP/bad$bad.err")" "^$B:[0-9]+:[0-9]+: "
	check_cmd "bad config $bad wrote no output" test ! -e "$T_TMP/bad$bad.jsonl"
	check_cmd "bad config $bad took no lock" test ! -e "$B.lock"
done
"$COLL" -c "$T_TMP/c250.yaml" --check >/dev/null 2>&1
check_eq "--check of a good config exits 0" "$?" 0
"$COLL" -c "$T_TMP/bad1.yaml" --check >/dev/null 2>&1
check_eq "--check of a bad config exits 2" "$?" 2
"$COLL" -c "$T_TMP/c250.yaml" >/dev/null 2>&1
check_eq "neither --once nor --daemon is a usage error" "$?" 2
"$COLL" -c "$T_TMP/c250.yaml" --once --shard 2/2 >/dev/null 2>&1
check_eq "--shard 2/2 is a usage error" "$?" 2
"$COLL" -c "$T_TMP/c250.yaml" --once -o nosuch:x >/dev/null 2>&1
check_eq "an unknown sink type is a usage error" "$?" 2
"$COLL" -c "$T_TMP/nonexistent.yaml" --once >/dev/null 2>&1
check_eq "a missing config file exits 2" "$?" 2

# 4. The lock: a shell holding it, then a slow run holding it.
C=$T_TMP/c250.yaml
# -o: the lock belongs to flock itself, so killing it releases the lock.
flock -o "$C.lock" sleep 5 &
FPID=$!
t_track $FPID
i=0
while [ $i -lt 50 ] && flock -n "$C.lock" true; do sleep 0.1; i=$((i + 1)); done
"$COLL" -c "$C" --once -o "jsonl:$T_TMP/locked.jsonl" 2>"$T_TMP/locked.err"
check_eq "a held lock: exit 1" "$?" 1
check_match "a held lock is named" "$(cat "$T_TMP/locked.err")" "another run holds the lock $C.lock: a process whose pid is not recorded"
check_cmd "a held lock: nothing written" test ! -e "$T_TMP/locked.jsonl"
kill $FPID 2>/dev/null
wait $FPID 2>/dev/null
C=$T_TMP/dead.yaml
"$COLL" -c "$C" --once -q -o "jsonl:$T_TMP/slow.jsonl" 2>/dev/null &
SPID=$!
t_track $SPID
# Wait until the first run holds the lock (its pid is written inside).
i=0
while [ $i -lt 50 ] && [ "$(cat "$C.lock" 2>/dev/null)" != "$SPID" ]; do
	sleep 0.1
	i=$((i + 1))
done
"$COLL" -c "$C" --once -o "jsonl:$T_TMP/second.jsonl" 2>"$T_TMP/second.err"
check_eq "overlapping runs: the second exits 1" "$?" 1
check_match "the second names the first's pid" "$(cat "$T_TMP/second.err")" \
    "another run holds the lock $C.lock: pid $SPID \(proctel-collect"
check_cmd "the second wrote nothing" test ! -e "$T_TMP/second.jsonl"
wait $SPID
check_eq "the first run still finished (exit 1: dead targets)" "$?" 1
check_eq "the first run wrote all its records" \
    "$(jcheck "$T_TMP/slow.jsonl" "True")" "200 200"

# 5. --shard 0/2 and 1/2 partition the targets exactly.
C=$T_TMP/c250.yaml
"$COLL" -c "$C" --once -q --shard 0/2 -o "jsonl:$T_TMP/s0.jsonl"
r0=$?
"$COLL" -c "$C" --once -q --shard 1/2 -o "jsonl:$T_TMP/s1.jsonl"
r1=$?
check_eq "both shards exit 0" "$r0 $r1" "0 0"
part=$(python3 - "$T_TMP/s0.jsonl" "$T_TMP/s1.jsonl" <<'EOF'
import json, sys
a = [json.loads(l)['target'] for l in open(sys.argv[1])]
b = [json.loads(l)['target'] for l in open(sys.argv[2])]
print(len(a) > 0, len(b) > 0, len(set(a) & set(b)), len(set(a) | set(b)), len(a) + len(b))
EOF
)
check_eq "shards are disjoint and cover all 250" "$part" "True True 0 250 250"

# 6. The default sink: sqlite proctel.db beside the config.
mkdir -p "$T_TMP/dflt"
cat >"$T_TMP/dflt/collector.yaml" <<EOF
targets: [{host: 127.0.0.1, port: $PORT}]
EOF
(cd / && "$COLL" -c "$T_TMP/dflt/collector.yaml" --once -q)
check_eq "no outputs at all: exit 0" "$?" 0
check_cmd "no outputs at all: proctel.db beside the config" test -s "$T_TMP/dflt/proctel.db"
# The default metric set (ptSystem, sysUpTime, sysName) reads the agent.
"$COLL" -c "$T_TMP/dflt/collector.yaml" --once -q -o "jsonl:$T_TMP/dflt.jsonl"
check_eq "the default metric set has pid_max, processes and sysName" \
    "$(jcheck "$T_TMP/dflt.jsonl" "v.get('pid_max') == pid_max and v.get('processes', 0) > 0 and v.get('sysName') == 'pt-coll-agent'")" "1 1"

# 7. --daemon with interval_s 1: two runs or more, SIGTERM ends it cleanly.
C=$T_TMP/daemon.yaml
cat >"$C" <<EOF
interval_s: 1
targets:
EOF
targets "$C" 1 10 1 "$PORT"
"$COLL" -c "$C" --daemon -o "jsonl:$T_TMP/daemon.jsonl" 2>"$T_TMP/daemon.err" &
DPID=$!
t_track $DPID
i=0
while [ $i -lt 100 ]; do
	n=$(python3 -c "import sys; print(len(set(l.split('\"time\":\"')[1][:20] for l in open(sys.argv[1]))))" "$T_TMP/daemon.jsonl" 2>/dev/null)
	[ "${n:-0}" -ge 2 ] && break
	sleep 0.1
	i=$((i + 1))
done
check_int "the daemon ran at least twice" "${n:-0}" -ge 2
alive "the daemon is still running" $DPID
kill -TERM $DPID
i=0
while kill -0 $DPID 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
wait $DPID
check_eq "SIGTERM ends the daemon with exit 0" "$?" 0
check_eq "every daemon run wrote whole runs" \
    "$(jcheck "$T_TMP/daemon.jsonl" "r['status'] == 'ok'" | awk '{print ($1 % 10 == 0 && $1 == $2)}')" 1
alive "agent alive at the end" $APID
finish
