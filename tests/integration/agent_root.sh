#!/bin/sh
# agent_root: what needs root and namespaces the test makes itself (issue
# 8).  hidepid: in a mount namespace of its own, /proc mounted again with
# hidepid=2 and the agent dropped to nobody: the agent logs the error once
# and ptAgentProcView says blind(2).  Reload after the drop: a root-only
# 0600 config is reloaded on SIGHUP through the root helper.  Broadcast:
# in two network namespaces joined by a veth pair, a request to the
# subnet-directed broadcast address is answered from the agent's unicast
# address.  CI runs as root, so none of this may skip there.
. tests/integration/lib.sh
. tests/integration/agent.inc

[ "$(id -u)" -eq 0 ] || skip_all "needs root (CI runs it as root)"
id nobody >/dev/null 2>&1 || skip_all "needs the user nobody"
for t in unshare ip mount; do
	command -v "$t" >/dev/null 2>&1 || skip_all "$t not installed"
done

NS_A=pta$$
NS_C=ptc$$
root_cleanup() {
	t_cleanup
	ip netns del "$NS_A" 2>/dev/null
	ip netns del "$NS_C" 2>/dev/null
}
trap root_cleanup EXIT

# ---- hidepid=2, agent dropped to nobody ----
PORT=$(free_port)
ADDR=127.0.0.1:$PORT
agent_conf "$T_TMP/hide.yaml" "$PORT"
printf 'user: nobody\n' >>"$T_TMP/hide.yaml"
# unshare execs sh, which execs the agent: $! is the agent.
unshare -m sh -c 'mount -t proc -o hidepid=2 proc /proc && exec "$0" -c "$1"' \
    "$AGENT" "$T_TMP/hide.yaml" >"$T_TMP/hide.log" 2>&1 &
HPID=$!
t_track "$HPID"
if wait_snmp "$ADDR"; then
	pass "agent under hidepid=2 answers"
	check_match "it logs that /proc hides processes" "$(cat "$T_TMP/hide.log")" \
	    'hides other users. processes from uid [0-9]+ \(hidepid\?\)'
	check_eq "ptAgentProcView is blind(2)" "$(val "$PT.1.2.6.0")" 2
	check_int "ptProcesses counts only what nobody sees" \
	    "$(val "$PT.1.1.1.0")" -lt 10
	agent_fresh
	agent_fresh
	check_eq "ptAgentProcView still blind after refreshes" \
	    "$(val "$PT.1.2.6.0")" 2
	check_eq "the error is logged once, not per snapshot" \
	    "$(grep -c 'hides other users' "$T_TMP/hide.log")" 1
	alive "agent under hidepid alive" "$HPID"
else
	fail "agent under hidepid=2 answers" "$(tail -5 "$T_TMP/hide.log")"
fi
agent_stop "$HPID"

# The same drop without hidepid sees everything.
PORT=$(free_port)
ADDR=127.0.0.1:$PORT
agent_conf "$T_TMP/see.yaml" "$PORT"
printf 'user: nobody\n' >>"$T_TMP/see.yaml"
agent_start "$T_TMP/see.yaml" "$ADDR"
check_eq "without hidepid ptAgentProcView is full(1)" "$(val "$PT.1.2.6.0")" 1
check_eq "and nothing about hidden processes is logged" \
    "$(grep -c 'hides other users' "$T_TMP/agent.log")" 0
agent_stop "$AGENT_PID"

# ---- SIGHUP reloads a 0600 root config after the drop ----
PORT=$(free_port)
ADDR=127.0.0.1:$PORT
conf=$T_TMP/secret.yaml
agent_conf "$conf" "$PORT"
printf 'user: nobody\n' >>"$conf"
chmod 600 "$conf"
: >"$T_TMP/agent.log"
agent_start "$conf" "$ADDR"
RPID=$AGENT_PID
check_eq "the agent runs as nobody" \
    "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$RPID/status")" \
    "$(id -u nobody) $(id -u nobody) $(id -u nobody) $(id -u nobody)"
if setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
    cat "$conf" >/dev/null 2>&1; then
	fail "nobody cannot read the 0600 config" "it can"
else
	pass "nobody cannot read the 0600 config"
fi
helper=$(ps -o pid= --ppid "$RPID" | tr -d ' ')
check_match "a root helper is the agent's child" "$helper" '^[0-9]+$'
check_eq "the helper is root and named proctel-priv" \
    "$(awk '/^Uid:/ { print $2 } /^Name:/ { print $2 }' "/proc/$helper/status" 2>/dev/null | tr '\n' ' ')" \
    "proctel-priv 0 "
sed -i 's/name: pt-test-host/name: reloaded-host/' "$conf"
kill -HUP "$RPID"
check_cmd "SIGHUP after the drop reloads" wait_log "$T_TMP/agent.log" \
    'configuration reloaded'
check_eq "the reloaded sysName is served" "$(val "$SYS.5.0" | tr -d '"')" \
    reloaded-host
printf 'listen: [\n' >>"$conf"
kill -HUP "$RPID"
check_cmd "a broken 0600 config is refused, and said where" \
    wait_log "$T_TMP/agent.log" "$conf:[0-9]+:[0-9]+: "
check_eq "the running config stays" "$(val "$SYS.5.0" | tr -d '"')" \
    reloaded-host
alive "agent alive after the reloads" "$RPID"
agent_stop "$RPID"
i=0
while [ $i -lt 50 ] && kill -0 "$helper" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$helper" 2>/dev/null; then
	fail "the helper exits with the agent" "pid $helper still there"
else
	pass "the helper exits with the agent"
fi

# ---- a subnet-directed broadcast, in namespaces of our own ----
if ip netns add "$NS_A" 2>"$T_TMP/ns.err" && ip netns add "$NS_C" &&
    ip link add "v$NS_A" netns "$NS_A" type veth peer name "v$NS_C" \
    netns "$NS_C" &&
    ip -n "$NS_A" addr add 10.77.0.1/24 brd + dev "v$NS_A" &&
    ip -n "$NS_C" addr add 10.77.0.2/24 brd + dev "v$NS_C" &&
    ip -n "$NS_A" link set "v$NS_A" up && ip -n "$NS_C" link set "v$NS_C" up &&
    ip -n "$NS_A" link set lo up && ip -n "$NS_C" link set lo up &&
    ip -n "$NS_C" route add default dev "v$NS_C"; then
	pass "network namespaces and a veth pair made"
else
	fail "network namespaces and a veth pair made" "$(cat "$T_TMP/ns.err")"
	finish
fi
PORT=$(free_port)
cat >"$T_TMP/bcast.yaml" <<EOF
listen: ["0.0.0.0:$PORT"]
communities: [{name: public, allow: ["10.77.0.0/24"]}]
EOF
ip netns exec "$NS_A" "$AGENT" -c "$T_TMP/bcast.yaml" >"$T_TMP/bcast.log" 2>&1 &
BPID=$!
t_track "$BPID"
i=0
while [ $i -lt 50 ] && ! ip netns exec "$NS_C" snmpget -v2c -c public -t 0.2 \
    -r 0 "udp:10.77.0.1:$PORT" "$SYS.3.0" >/dev/null 2>&1; do
	sleep 0.1
	i=$((i + 1))
done
out=$(ip netns exec "$NS_C" $SENDRAW 10.77.0.1 "$PORT" "$SYS.5.0" 2>&1)
check_match "unicast from the other namespace is answered from 10.77.0.1" \
    "$out" "^reply len=[0-9]+ from=10\\.77\\.0\\.1:$PORT .*status=0 "
out=$(ip netns exec "$NS_C" $SENDRAW 10.77.0.255 "$PORT" "$SYS.5.0" \
    --broadcast 2>&1)
check_match "a request to 10.77.0.255 is answered from 10.77.0.1" \
    "$out" "^reply len=[0-9]+ from=10\\.77\\.0\\.1:$PORT .*status=0 "
check_match "limited broadcast 255.255.255.255 too" \
    "$(ip netns exec "$NS_C" $SENDRAW 255.255.255.255 "$PORT" "$SYS.5.0" \
    --broadcast 2>&1)" "^reply len=[0-9]+ from=10\\.77\\.0\\.1:$PORT "
alive "agent in the namespace alive" "$BPID"
agent_stop "$BPID"
finish
