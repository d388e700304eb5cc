#!/bin/sh
# remote_shards: a sharded fleet into one store.  4,000 targets (one agent
# on 0.0.0.0, reached as 127.0.1-16.1-250) split by `--shard K/4` among
# four collectors running at the same time, each with its own config,
# lock and spool, all writing by remote write into one VictoriaMetrics:
# the store ends up with every target exactly once (one proctel_up series
# per target, one sample in it), and the shards' target counts add up to
# 4,000 with no target in two shards.
# suite-timeout: 300
. tests/integration/lib.sh
. tests/integration/stores.inc

agent_up
vm_start

targets=$T_TMP/targets.yaml
s=1
while [ $s -le 16 ]; do
	targets_yaml 250 $s
	s=$((s + 1))
done >"$targets"

k=0
while [ $k -lt 4 ]; do
	cat >"$T_TMP/shard$k.yaml" <<EOF
defaults: {timeout_ms: 1000, retries: 3}
deadline_s: 60
concurrency: 1000
targets:
$(cat "$targets")
metrics:
  - {name: processes, oid: $PT.1.1.1.0}
  - {name: zombies, oid: $PT.1.1.6.0}
  - {name: threads, oid: $PT.1.1.8.0}
  - {name: pid_max, oid: $PT.1.1.12.0}
outputs:
  - {type: remote_write, url: "$VM/api/v1/write", spool: {dir: $T_TMP/spool$k}}
lock_file: $T_TMP/shard$k.lock
EOF
	"$COLL" -c "$T_TMP/shard$k.yaml" --once --shard $k/4 \
	    -o "jsonl:$T_TMP/shard$k.jsonl" 2>"$T_TMP/shard$k.err" &
	eval "pid$k=\$!"
	k=$((k + 1))
done
rcs=""
k=0
while [ $k -lt 4 ]; do
	eval "wait \$pid$k"
	rcs="$rcs $?"
	k=$((k + 1))
done
check_eq "four shards at once all exit 0" "$rcs" " 0 0 0 0"
total=0
k=0
while [ $k -lt 4 ]; do
	c=$(sed -n 's/.*run: \([0-9]*\) targets, \([0-9]*\) answered.*/\1 \2/p' "$T_TMP/shard$k.err")
	check_match "shard $k: a share of the targets, all answered ($c)" "$c" '^([0-9]+) \1$'
	total=$((total + ${c%% *}))
	k=$((k + 1))
done
check_eq "the shards' targets add up to 4000" "$total" 4000
check_eq "no target in two shards" \
    "$(cat "$T_TMP"/shard*.jsonl | python3 -c 'import json,sys; t=[json.loads(l)["target"] for l in sys.stdin]; print(len(t), len(set(t)))')" \
    "4000 4000"
vm_export '{__name__="proctel_up",target=~"t.*"}' >"$T_TMP/up.json"
check_eq "the store has 4000 targets, each once" \
    "$(python3 - "$T_TMP/up.json" <<'EOF'
import json, sys
series = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
targets = [s["metric"]["target"] for s in series]
once = all(len(s["timestamps"]) == 1 for s in series)
print(len(targets), len(set(targets)), once)
EOF
)" "4000 4000 True"
check_eq "every target's metrics are there: 4000 x 4 series" \
    "$(vm_export '{__name__=~"proctel_(processes|zombies|threads|pid_max)",target=~"t.*"}' | grep -c .)" 16000
check_eq "each shard's self-metrics, labelled with its shard, count its targets" \
    "$(vm_export '{__name__="proctel_collector_targets",target="proctel-collector"}' | python3 -c '
import json, sys
s = [json.loads(l) for l in sys.stdin if l.strip()]
print(len(s), sorted(x["metric"]["shard"] for x in s), sum(x["values"][0] for x in s))')" \
    "4 ['0/4', '1/4', '2/4', '3/4'] 4000"
check_cmd "nothing was spooled" sh -c "! find '$T_TMP' -path '*spool*' -name '*.batch' | grep -q ."
alive "victoria-metrics alive" $VM_PID
alive "agent alive" $APID
finish
