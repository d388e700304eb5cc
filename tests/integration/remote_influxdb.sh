#!/bin/sh
# remote_influxdb: the influx_http sink into Debian's InfluxDB 1.x on a free
# loopback port, read back through its own /query API.  A write to a
# database that does not exist yet is answered 404: the run is kept in the
# spool (exit 3), not dropped; once the database exists the next run sends
# the spool first, and every line the influx file sink wrote in both runs
# is a row with its tags, fields and time, once (the collector's own
# line, target proctel-collector, too).
. tests/integration/lib.sh
. tests/integration/stores.inc

agent_up
influx_start

C=$T_TMP/collector.yaml
cat >"$C" <<EOF
defaults: {timeout_ms: 1000, retries: 2}
targets:
$(targets_yaml 15 1)
  - {host: 127.0.0.1, port: $APORT, name: "odd name, with=signs", labels: {Zone: "a,b=c x"}}
metrics:
  - {name: processes, oid: $PT.1.1.1.0}
  - {name: zombies, oid: $PT.1.1.6.0}
  - {name: sysUpTime, oid: 1.3.6.1.2.1.1.3.0}
  - {name: sysName, oid: 1.3.6.1.2.1.1.5.0}
outputs:
  - {type: influx_http, url: "$INFLUX/write?db=proctel", retries: 1, spool: {dir: $T_TMP/spool}}
  - {type: influx, path: $T_TMP/runs.lp, self_metrics: true}
lock_file: $T_TMP/c.lock
EOF
"$COLL" -c "$C" --once 2>"$T_TMP/run1.err"
check_eq "no database yet: the run is spooled (exit 3)" "$?" 3
check_match "the store's 404 and message are logged" "$(cat "$T_TMP/run1.err")" \
    'HTTP 404 after 1 attempts: .*database not found'
check_match "the summary line says what was spooled" "$(cat "$T_TMP/run1.err")" \
    'run: 16 targets, 16 answered.*, 17 samples spooled, 0 lost'
check_eq "one batch waits in the spool" "$(ls "$T_TMP/spool" | grep -c '\.batch$')" 1

curl -sf -XPOST "$INFLUX/query" --data-urlencode 'q=CREATE DATABASE proctel' >/dev/null
sleep 1.1
"$COLL" -c "$C" --once 2>"$T_TMP/run2.err"
check_eq "the next run sends the spool and its own (exit 0)" "$?" 0
check_match "it says what came from the spool" "$(cat "$T_TMP/run2.err")" \
    '34 samples sent \(17 of them from the spool\), 0 spooled'
curl -sf -G "$INFLUX/query" --data-urlencode db=proctel --data-urlencode epoch=ns \
    --data-urlencode 'q=SELECT * FROM proctel' -o "$T_TMP/q.json"
check_cmd "every line of both runs is a row, once, with its tags, fields and time" \
    python3 tests/tools/store_check.py lp-influxql "$T_TMP/runs.lp" "$T_TMP/q.json"
check_eq "the spool is empty" "$(ls "$T_TMP/spool" | grep -c '\.batch$')" 0
alive "influxd alive" $INFLUX_PID
alive "agent alive" $APID
finish
