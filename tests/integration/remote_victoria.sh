#!/bin/sh
# remote_victoria: both remote sinks into Debian's VictoriaMetrics on a free
# loopback port in one run, read back through its export API: the
# remote_write series equal the prom file sink's (labels, value, the run's
# time), and the influx_http lines become exactly one series per numeric
# field of the influx file sink's lines (VictoriaMetrics names them
# proctel_<field> and adds db=<db> from the URL), at the same time.
# Bearer and basic auth, TLS and InfluxDB 2's shape: remote_errors.sh.
. tests/integration/lib.sh
. tests/integration/stores.inc

agent_up
vm_start

C=$T_TMP/collector.yaml
cat >"$C" <<EOF
defaults: {timeout_ms: 1000, retries: 2}
targets:
$(targets_yaml 30 1)
metrics:
  - {name: processes, oid: $PT.1.1.1.0}
  - {name: zombies, oid: $PT.1.1.6.0}
  - {name: threads, oid: $PT.1.1.8.0}
  - {name: sysUpTime, oid: 1.3.6.1.2.1.1.3.0}
outputs:
  - {type: remote_write, url: "$VM/api/v1/write", spool: {dir: $T_TMP/spool-rw}}
  - {type: influx_http, url: "$VM/influx/write?db=lp", spool: {dir: $T_TMP/spool-lp}}
  - {type: prom, path: $T_TMP/run.prom, self_metrics: true}
  - {type: influx, path: $T_TMP/run.lp, self_metrics: true}
lock_file: $T_TMP/c.lock
EOF
"$COLL" -c "$C" --once 2>"$T_TMP/run.err"
check_eq "a run into VictoriaMetrics exits 0" "$?" 0
t=$(head -1 "$T_TMP/run.lp" | awk '{ print substr($NF, 1, length($NF) - 6) }')

vm_export '{__name__=~"proctel_.+",db=""}' "$t" >"$T_TMP/rw.json"
check_cmd "remote write: every series of the prom file at the run's time, no other" \
    python3 tests/tools/store_check.py prom-export "$T_TMP/run.prom" "$T_TMP/rw.json" "$t"
vm_export '{__name__=~"proctel_.+",db="lp"}' "$t" >"$T_TMP/lp.json"
check_cmd "line protocol: every numeric field of the influx file at the run's time" \
    python3 tests/tools/store_check.py lp-export "$T_TMP/run.lp" "$T_TMP/lp.json" lp
check_eq "30 targets and the collector by remote write" \
    "$(grep -c '"__name__":"proctel_up"' "$T_TMP/rw.json")" 31
check_eq "30 targets by line protocol" \
    "$(grep -c '"__name__":"proctel_processes"' "$T_TMP/lp.json")" 30
check_cmd "nothing was spooled" sh -c "! ls '$T_TMP'/spool-*/*.batch 2>/dev/null | grep -q ."
check_cmd "VictoriaMetrics refused nothing" sh -c "! grep -E 'cannot (parse|unmarshal|decompress)' '$T_TMP/vm.log'"
alive "victoria-metrics alive" $VM_PID
alive "agent alive" $APID
finish
