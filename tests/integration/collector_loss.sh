#!/bin/sh
# proctel-collector under packet loss: a network namespace of its own with
# lo up, an nftables table in it dropping 20% of UDP datagrams in each
# direction (see below), proctel-agent and the collector inside it, 1000
# targets (127.0.x.y: all of 127.0.0.0/8 is local on lo) and retries 5.  At
# least 99% must answer: loss costs retries, not data.  Root only; the
# namespace is deleted at exit.
#
# Why 1000 targets where the issue names 200: an attempt succeeds with
# p = 0.8 * 0.8 = 0.64, so a target fails all six with p = 0.36^6 = 0.22%.
# Among 200 targets three or more such failures (below 99%) happen in about
# 1% of runs by chance alone, and more on a loaded machine: a flaky test.
# Among 1000 the same 99% bar allows 10 where 2.2 are expected, so a failure
# means the retry logic is wrong, not that the dice were unkind.
. tests/integration/lib.sh

COLL=$BUILD/proctel-collector
AGENT=$BUILD/proctel-agent
[ "$(id -u)" -eq 0 ] || skip_all "needs root (network namespace, nftables)"
[ -x "$COLL" ] || skip_all "$COLL not built"
[ -x "$AGENT" ] || skip_all "$AGENT not built"
for t in ip nft python3 snmpget; do
	command -v "$t" >/dev/null 2>&1 || skip_all "$t not installed"
done
case $COLL in /*) ;; *) COLL=$(pwd)/$COLL ;; esac
case $AGENT in /*) ;; *) AGENT=$(pwd)/$AGENT ;; esac
SNMPCONFPATH=$T_TMP SNMP_PERSISTENT_DIR=$T_TMP MIBS= MIBDIRS=$T_TMP
export SNMPCONFPATH SNMP_PERSISTENT_DIR MIBS MIBDIRS

NS=pt-loss-$$
ip netns add "$NS" 2>/dev/null || skip_all "cannot create a network namespace"
# Our own trap: the namespace goes, then lib.sh's cleanup.
trap 'ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null; sleep 0.2; ip netns del "$NS" 2>/dev/null; t_cleanup' EXIT
IN="ip netns exec $NS"
$IN ip link set lo up

PORT=16161
cat >"$T_TMP/agent.yaml" <<EOF
listen: ["0.0.0.0:$PORT"]
communities:
  - name: public
    allow: ["127.0.0.0/8"]
system: {name: pt-loss-agent}
EOF
$IN "$AGENT" -c "$T_TMP/agent.yaml" >"$T_TMP/agent.log" 2>&1 &
APID=$!
t_track $APID
i=0
while [ $i -lt 50 ] && ! $IN snmpget -v2c -c public -t 0.2 -r 0 -On \
    "udp:127.0.0.1:$PORT" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1; do
	sleep 0.1
	i=$((i + 1))
done
# The namespace works by now, so an agent that does not answer is a failure.
[ $i -lt 50 ] || { fail "agent answers in the namespace" "$(head -3 "$T_TMP/agent.log")"; finish; }

# On lo every datagram crosses the output hook and then the input hook, so
# one rule on input already drops 20% of the requests and 20% of the
# replies; the same rule on output too would make it 36% each way.
$IN nft add table inet ptloss || skip_all "nftables refused the table"
$IN nft add chain inet ptloss in '{ type filter hook input priority 0; }'
$IN nft add rule inet ptloss in meta l4proto udp numgen random mod 5 0 counter drop

C=$T_TMP/loss.yaml
cat >"$C" <<EOF
defaults: {port: $PORT, timeout_ms: 200, retries: 5}
deadline_s: 60
metrics:
  - {name: sysName, oid: 1.3.6.1.2.1.1.5.0}
  - {name: pid_max, oid: 1.3.6.1.4.1.8072.9999.9999.1.1.1.12.0}
targets:
EOF
i=0
while [ $i -lt 1000 ]; do
	echo "  - {host: 127.0.$((1 + i / 250)).$((1 + i % 250))}" >>"$C"
	i=$((i + 1))
done
$IN "$COLL" -c "$C" --once -o "jsonl:$T_TMP/loss.jsonl" 2>"$T_TMP/loss.err"
rc=$?
check_match "the collector ran (exit 0 or 1)" "$rc" '^[01]$'
res=$(python3 - "$T_TMP/loss.jsonl" <<'EOF'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
ok = [r for r in recs if r['status'] == 'ok']
good = [r for r in ok if r['values'].get('sysName') == 'pt-loss-agent']
retried = [r for r in recs if r['attempts'] > 1]
print(len(recs), len(ok), len(good), len(retried))
EOF
)
set -- $res
check_eq "1000 records" "${1:-0}" 1000
check_int "at least 99% answered under 20% loss each way ($2/1000)" "${2:-0}" -ge 990
check_eq "every answer has the right values" "${3:-0}" "${2:-x}"
# With 20% loss each way about 36% of first attempts fail: loss was real.
check_int "loss was real: some targets needed retries (${4:-0})" "${4:-0}" -ge 100
drops=$($IN nft list table inet ptloss | grep -o 'packets [0-9]*' | awk '{s += $2} END {print s + 0}')
check_int "nftables dropped datagrams ($drops)" "$drops" -gt 0
check_match "the summary counts the retries" "$(cat "$T_TMP/loss.err")" \
    "1000 targets, [0-9]+ answered, .* [1-9][0-9]* retries"
alive "agent alive in the namespace" $APID
finish
