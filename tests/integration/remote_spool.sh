#!/bin/sh
# remote_spool: nothing lost while the store is away.  (1) Prometheus
# killed (SIGKILL) in the middle of a run: the run is spooled (exit 3);
# after a restart the next run sends the spool first, in order
# (Prometheus refuses out-of-order samples), and every series has exactly
# one sample per run: no gap.  (2) The same with VictoriaMetrics, which
# keeps duplicate samples, so a batch sent twice would show: none is.
# (3) A full spool drops the oldest runs, counts and logs them, and what
# it kept arrives whole.  (4) The collector SIGKILLed at random moments
# while it spools: every batch file left is whole, no temp file survives
# the next open, and the store finally gets whole runs only.
# suite-timeout: 400
. tests/integration/lib.sh
. tests/integration/stores.inc

agent_up

# conf FILE URL SPOOLDIR MAX_MB RETRIES TARGETS: a collector config.
conf() {
	cat >"$1" <<EOF
defaults: {timeout_ms: 1000, retries: 1}
deadline_s: 30
targets:
$(targets_yaml "$6" 1)
metrics:
  - {name: processes, oid: $PT.1.1.1.0}
  - {name: zombies, oid: $PT.1.1.6.0}
outputs:
  - {type: remote_write, url: "$2", timeout_ms: 2000, retries: $5, spool: {dir: $3, max_mb: $4}, self_metrics: false}
lock_file: $1.lock
EOF
}
# run CONF N: one run, its influx file N.lp (for the run's time), stderr N.err.
run() {
	"$COLL" -c "$1" --once -o "influx:$T_TMP/$2.lp" 2>"$T_TMP/$2.err"
}
run_ms() { head -1 "$T_TMP/$1.lp" | awk '{ print substr($NF, 1, length($NF) - 6) }'; }
batches() { find "$1" -name '*.batch' | wc -l; }

# 1. Prometheus killed during a run.
prom_start
C=$T_TMP/p.yaml
conf "$C" "$PROM/api/v1/write" "$T_TMP/spool-p" 16 3 10
run "$C" p1
check_eq "prometheus: run 1 exits 0" "$?" 0
# Stopped, it still completes TCP handshakes but reads nothing; killed
# while the collector waits for its answer.
kill -STOP $PROM_PID
run "$C" p2 &
RPID=$!
sleep 0.8
kill -KILL $PROM_PID
wait $PROM_PID 2>/dev/null
wait $RPID
check_eq "prometheus killed mid-run: the run is spooled (exit 3)" "$?" 3
check_match "the summary line says so" "$(cat "$T_TMP/p2.err")" \
    'run: 10 targets, 10 answered.*, 50 samples spooled, 0 lost'
check_eq "one batch in the spool" "$(batches "$T_TMP/spool-p")" 1
prom_start "$PROM_PORT"
sleep 1.1
run "$C" p3
check_eq "prometheus restarted: the next run exits 0" "$?" 0
check_match "it sent the spool first" "$(cat "$T_TMP/p3.err")" \
    '100 samples sent \(50 of them from the spool\), 0 spooled, 0 refused'
curl -sf -g "$PROM/api/v1/query" --data-urlencode 'query={__name__=~"proctel_.+"}[10m]' \
    -o "$T_TMP/p.json"
check_cmd "every series has one sample per run, no gap, no duplicate" \
    python3 tests/tools/store_check.py run-times "$(run_ms p1)" "$(run_ms p2)" "$(run_ms p3)" -- "$T_TMP/p.json"
check_eq "50 series" "$(grep -o '"__name__"' "$T_TMP/p.json" | wc -l)" 50
check_cmd "Prometheus refused nothing (no out-of-order sample)" \
    sh -c "! grep -i 'out of order' '$T_TMP/prom.log'"
stop_pid $PROM_PID

# 2. VictoriaMetrics, which keeps duplicates, gone during a run.
vm_start
C=$T_TMP/v.yaml
conf "$C" "$VM/api/v1/write" "$T_TMP/spool-v" 16 3 10
run "$C" v1
check_eq "victoria-metrics: run 1 exits 0" "$?" 0
# It keeps fresh rows in memory for a while: a clean restart puts run 1 on
# disk, so that killing it below loses nothing the collector was told it had.
stop_pid $VM_PID
vm_start "$VM_PORT"
kill -STOP $VM_PID
run "$C" v2 &
RPID=$!
sleep 0.8
kill -KILL $VM_PID
wait $VM_PID 2>/dev/null
wait $RPID
check_eq "victoria-metrics gone mid-run: exit 3" "$?" 3
vm_start "$VM_PORT"
sleep 1.1
run "$C" v3
check_eq "victoria-metrics back: exit 0" "$?" 0
vm_export '{__name__=~"proctel_.+"}' "$(run_ms v3)" >"$T_TMP/v.json"
check_cmd "every series has each run once: no gap, no duplicate" \
    python3 tests/tools/store_check.py run-times "$(run_ms v1)" "$(run_ms v2)" "$(run_ms v3)" -- "$T_TMP/v.json"
check_eq "50 series" "$(grep -c . "$T_TMP/v.json")" 50

# 3. A full spool: the store away for 8 runs, room for about 3.
DEAD=$(free_tcp_port)
C=$T_TMP/f.yaml
conf "$C" "http://127.0.0.1:$DEAD/api/v1/write" "$T_TMP/spool-f" 0.004 0 10
i=1
while [ $i -le 8 ]; do
	run "$C" f$i
	echo $? >>"$T_TMP/f.rc"
	i=$((i + 1))
	sleep 0.05
done
kept=$(batches "$T_TMP/spool-f")
check_int "the spool kept some runs" "$kept" -ge 2
check_int "and dropped the oldest" "$kept" -lt 8
bytes=$(find "$T_TMP/spool-f" -name '*.batch' -printf '%s\n' | awk '{ s += $1 } END { print s }')
check_int "the spool stays within max_mb ($bytes bytes)" "$bytes" -le 4194
dropped=$(cat "$T_TMP"/f*.err | sed -n 's/.*spool full: dropped the \([0-9]*\) oldest batches (50 samples).*/\1/p' |
    awk '{ s += $1 } END { print s + 0 }')
check_eq "every dropped run was counted and logged" "$dropped" $((8 - kept))
check_match "a run that dropped one says it lost samples (exit 1)" "$(tail -1 "$T_TMP/f.rc")" '^1$'
check_match "and the summary line says how many" "$(cat "$T_TMP/f8.err")" \
    '50 samples spooled, 50 lost'
stop_pid $VM_PID
VM_PORT=$DEAD
rm -rf "$T_TMP/vm"
vm_start "$DEAD"
run "$C" f9
check_eq "the store back: the kept runs and this one are sent (exit 0)" "$?" 0
times=""
i=$((9 - kept))
while [ $i -le 9 ]; do
	times="$times $(run_ms f$i)"
	i=$((i + 1))
done
vm_export '{__name__=~"proctel_.+"}' "$(run_ms f9)" >"$T_TMP/f.json"
# shellcheck disable=SC2086 # a list of times
check_cmd "the store has exactly the kept runs, whole, and none of the dropped" \
    python3 tests/tools/store_check.py run-times $times -- "$T_TMP/f.json"

# 4. SIGKILL while spooling: 12 runs of 250 targets killed at random moments.
DEAD=$(free_tcp_port)
C=$T_TMP/k.yaml
conf "$C" "http://127.0.0.1:$DEAD/api/v1/write" "$T_TMP/spool-k" 64 0 250
i=0
while [ $i -lt 12 ]; do
	"$COLL" -c "$C" --once -q 2>/dev/null &
	KPID=$!
	sleep "0.$(awk -v s=$i 'BEGIN { srand(s); printf "%03d", rand() * 600 }')"
	kill -KILL $KPID 2>/dev/null
	wait $KPID 2>/dev/null
	i=$((i + 1))
done
check_cmd "every batch file left is whole" python3 - "$T_TMP/spool-k" <<'EOF'
import os, struct, sys
d = sys.argv[1]
for n in sorted(os.listdir(d)):
    if not n.endswith(".batch"):
        continue
    b = open(os.path.join(d, n), "rb").read()
    magic, ver, kind, ns, res, t, blen = struct.unpack("<8sIIIIQQ", b[:40])
    assert magic == b"PTSPOOL\0" and ver == 1 and kind == 1 and res == 0, n
    assert len(b) == 40 + blen, (n, len(b), blen)
EOF
stop_pid $VM_PID
VM_PORT=$DEAD
rm -rf "$T_TMP/vm"
vm_start "$DEAD"
run "$C" k
check_eq "the store back after the kills: exit 0" "$?" 0
check_cmd "no damaged batch was found" sh -c "! grep -q 'removed\|dropped' '$T_TMP/k.err'"
check_eq "no temp file is left" "$(find "$T_TMP/spool-k" -name '.tmp-*' | wc -l)" 0
check_eq "the spool is empty" "$(batches "$T_TMP/spool-k")" 0
vm_export 'proctel_up' "$(run_ms k)" >"$T_TMP/k.json"
check_cmd "every run that reached the store is whole: all 250 targets at each time" \
    python3 - "$T_TMP/k.json" <<'EOF'
import collections, json, sys
per_time = collections.Counter()
for line in open(sys.argv[1]):
    if line.strip():
        for t in json.loads(line)["timestamps"]:
            per_time[t] += 1
assert per_time and all(n == 250 for n in per_time.values()), per_time
print(len(per_time), "runs")
EOF
alive "agent alive" $APID
finish
