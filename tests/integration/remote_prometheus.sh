#!/bin/sh
# remote_prometheus: the remote_write sink into Debian's Prometheus (with
# --web.enable-remote-write-receiver) on a free loopback port, read back
# through Prometheus' own query API.  Every series the prom file sink
# writes in the same run (metrics, table cells with their index, the
# built-in families; targets' labels) is in Prometheus with its value at
# the run's time, and nothing else is; the request carries the headers
# the remote write 1.0 spec requires.  A second run adds one sample to
# every series.  The collector's self-metrics (proctel_collector_*) are
# checked the same way.  The store going away: remote_spool.sh.
. tests/integration/lib.sh
. tests/integration/stores.inc

agent_up
prom_start
# A zombie, so the zombie_parents table has a row: a parent that never waits.
sh -c 'sleep 0.1 & exec sleep 60' &
t_track $!
# The agent answers from its newest snapshot and refreshes beside the
# loop: ask (bounded, 10 s) until a snapshot holds the zombie.
i=0
while [ $i -lt 100 ]; do
	z=$(snmpget -v2c -c public -t 1 -r 0 -Oqv "udp:127.0.0.1:$APORT" \
	    "$PT.1.1.6.0" 2>/dev/null)
	[ "${z:-0}" -ge 1 ] 2>/dev/null && break
	sleep 0.1
	i=$((i + 1))
done
check_int "the agent's snapshot holds the zombie" "${z:-0}" -ge 1

C=$T_TMP/collector.yaml
cat >"$C" <<EOF
defaults: {timeout_ms: 1000, retries: 2}
deadline_s: 30
targets:
$(targets_yaml 20 1)
  - {host: 127.0.0.1, port: $APORT, name: "odd \"name\", x", labels: {Zone: "a b", host: clash}}
metrics:
  - {name: processes, oid: $PT.1.1.1.0}
  - {name: zombies, oid: $PT.1.1.6.0}
  - {name: pid_max, oid: $PT.1.1.12.0}
  - {name: sysUpTime, oid: 1.3.6.1.2.1.1.3.0}
  - {name: sysName, oid: 1.3.6.1.2.1.1.5.0}
tables:
  - {name: zombie_parents, oid: $PT.1.4.1}
outputs:
  - type: remote_write
    url: $PROM/api/v1/write
    spool: {dir: $T_TMP/spool}
  # The same run with the same self-metrics, as files: the reference.
  - {type: prom, path: $T_TMP/run.prom, self_metrics: true}
  - {type: influx, path: $T_TMP/run.lp}
lock_file: $T_TMP/c.lock
EOF

# run N: one run; its prom file kept as N.prom, its time (ms, from the
# influx line's nanoseconds) in N.ms.
run() {
	"$COLL" -c "$C" --once 2>"$T_TMP/$1.err"
	rc=$?
	cp "$T_TMP/run.prom" "$T_TMP/$1.prom"
	tail -1 "$T_TMP/run.lp" | awk '{ print substr($NF, 1, length($NF) - 6) }' >"$T_TMP/$1.ms"
	return $rc
}
run_ms() { cat "$T_TMP/$1.ms"; }

run 1
check_eq "a run into Prometheus exits 0" "$?" 0
t1=$(run_ms 1)
curl -sf -g "$PROM/api/v1/query" --data-urlencode 'query={__name__=~"proctel_.+"}[10m]' \
    -o "$T_TMP/q1.json"
check_cmd "every series of the prom file (self-metrics too) is in Prometheus at the run's time, and no other" \
    python3 tests/tools/store_check.py prom-matrix "$T_TMP/1.prom" "$T_TMP/q1.json" "$t1"
check_match "the table's cells carry their index" \
    "$(grep -c '^proctel_zombie_parents_ptZpZombies{.*index="[0-9]*"' "$T_TMP/1.prom")" '^[1-9]'
n=$(curl -sf "$PROM/api/v1/query" --data-urlencode "query=count(proctel_up{rack=~\"r.\"} == 1)" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')
check_eq "proctel_up is 1 for the 20 labelled targets" "$n" 20
v=$(curl -sf "$PROM/api/v1/query" --data-urlencode 'query=proctel_pid_max{target="t1-7"}' |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(r[0]["value"][1], r[0]["metric"]["host"], r[0]["metric"]["rack"])')
check_eq "a metric's value and labels, by query" "$v" "$(cat /proc/sys/kernel/pid_max) 127.0.1.7 r1"
check_match "a label that clashes with host is label_host; odd names survive" \
    "$(curl -sf "$PROM/api/v1/query" --data-urlencode 'query=proctel_up{label_host="clash"}')" \
    '"target":"odd \\"name\\", x".*"Zone":"a b"|"Zone":"a b".*"target":"odd \\"name\\", x"'

# The headers, as a store sees them: Prometheus would have refused the body
# otherwise; check the log has no refusal and the sink sent snappy protobuf.
check_cmd "Prometheus logged no refused remote write" sh -c "! grep -i 'error.*write' '$T_TMP/prom.log'"
check_eq "the self-metrics count the run's targets" \
    "$(curl -sf "$PROM/api/v1/query" --data-urlencode 'query=proctel_collector_targets{target="proctel-collector"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')" 21

sleep 1.1
run 2
check_eq "a second run exits 0" "$?" 0
t2=$(run_ms 2)
curl -sf -g "$PROM/api/v1/query" --data-urlencode 'query={__name__=~"proctel_(up|processes|pid_max|poll_attempts)"}[10m]' \
    -o "$T_TMP/q2.json"
check_cmd "the second run added one sample to every series" \
    python3 tests/tools/store_check.py run-times "$t1" "$t2" -- "$T_TMP/q2.json"
check_cmd "nothing was spooled" sh -c "! ls '$T_TMP/spool'/*.batch 2>/dev/null | grep -q ."
alive "prometheus alive" $PROM_PID
alive "agent alive" $APID
finish
