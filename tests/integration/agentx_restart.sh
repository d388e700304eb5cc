#!/bin/sh
# agentx_restart: the subagent outlives its master.  snmpd (AgentX over
# TCP on a free loopback port) is restarted while proctel-agent runs: the
# subtree is served again within seconds, and the agent's log has one line
# per transition; snmpd is then stopped for a while: UDP service goes on,
# ptAgentxState and ptAgentxFailures say why, and the log holds one
# warning, not one per retry; snmpd back: registered again.  SIGHUP with a
# changed agentx: section reconnects, without one closes the session,
# with one again opens it.  How long a re-registration takes is printed,
# not judged: the bound checked is generous (the backoff's own).
# suite-timeout: 300
. tests/integration/lib.sh
. tests/integration/agent.inc
. tests/integration/agentx.inc

SPORT=$(free_port)
XPORT=$(free_tcp_port)
MASTER=tcp:127.0.0.1:$XPORT
snmpd_conf "$T_TMP/snmpd.conf" "$SPORT" "$MASTER"
snmpd_start "$T_TMP/snmpd.conf" "$SPORT"

PORT=$(free_port)
ADDR=127.0.0.1:$PORT
ax_conf "$T_TMP/agent.yaml" "$PORT" "$MASTER"
agent_start "$T_TMP/agent.yaml" "$ADDR"
APID=$AGENT_PID
if wait_registered 20; then
	pass "registered over TCP"
else
	fail "registered over TCP" "$(tail -5 "$T_TMP/agent.log")"
	finish
fi
LOG=$T_TMP/agent.log
# lines REGEX: how many lines of the agent's log match.
lines() { grep -c -E -- "$1" "$LOG"; }
OPENED="agentx $MASTER: open, session [0-9]+"
CLOSED="agentx $MASTER: session closed: "
REFUSED="agentx $MASTER: cannot connect: "
check_eq "one 'open' line" "$(lines "$OPENED")" 1

# ---- snmpd restarted while the subagent runs ----
snmpd_stop
t0=$(date +%s%N)
snmpd_start "$T_TMP/snmpd.conf" "$SPORT"
if wait_registered 30; then
	t1=$(date +%s%N)
	echo "     re-registered $(( (t1 - t0) / 1000000 )) ms after snmpd was restarted"
	pass "after a restart the subtree is served again"
else
	fail "after a restart the subtree is served again" "$(tail -5 "$LOG")"
fi
check_eq "restart: ptAgentxOpens is 2" "$(val "$PT.1.2.10.3.0")" 2
check_eq "restart: two 'open' lines" "$(lines "$OPENED")" 2
check_eq "restart: one 'session closed' line" "$(lines "$CLOSED")" 1
check_match "restart: it says the connection was lost" \
    "$(grep -E -- "$CLOSED" "$LOG")" 'connection to the master lost \(end of stream\); reconnecting in [0-9]+ ms'
check_int "restart: at most one 'cannot connect' line" "$(lines "$REFUSED")" -le 1
check_eq "nothing logged per retry at info level" \
    "$(lines "retrying in [0-9]+ ms\$")" 0

# ---- snmpd away for a while ----
refused0=$(lines "$REFUSED")
snmpd_stop
ok=0
i=0
while [ $i -lt 6 ]; do
	v=$(val "$PT.1.1.1.0")
	is_uint "$v" && ok=$((ok + 1))
	sleep 1
	i=$((i + 1))
done
check_eq "master away: UDP answered every second" "$ok" 6
st=$(val "$PT.1.2.10.1.0")
check_match "master away: ptAgentxState is waiting(6) or connecting(2)" "$st" '^(2|6)$'
check_int "master away: ptAgentxFailures counts the attempts" \
    "$(val "$PT.1.2.10.6.0")" -ge 2
check_eq "master away: two 'session closed' lines now" "$(lines "$CLOSED")" 2
check_int "master away: one new 'cannot connect' line, not one per retry" \
    "$(( $(lines "$REFUSED") - refused0 ))" -le 1
snmpd_start "$T_TMP/snmpd.conf" "$SPORT"
# The backoff has grown to a few seconds meanwhile (capped at 60).
if wait_registered 40; then
	pass "master back: registered again"
else
	fail "master back: registered again" "$(tail -5 "$LOG")"
fi
check_eq "master back: three 'open' lines" "$(lines "$OPENED")" 3

# ---- reloads ----
echo "  timeout_s: 7" >>"$T_TMP/agent.yaml"
opens=$(val "$PT.1.2.10.3.0")
kill -HUP "$APID"
check_cmd "reload: a changed section reconnects" wait_log "$LOG" \
    "agentx $MASTER: configuration changed, reconnecting"
if wait_log "$LOG" "configuration reloaded" && wait_registered 20; then
	pass "reload: served again"
else
	fail "reload: served again" "$(tail -5 "$LOG")"
fi
i=0
while [ $i -lt 50 ] && [ "$(val "$PT.1.2.10.3.0")" = "$opens" ]; do
	sleep 0.1
	i=$((i + 1))
done
check_eq "reload: a new session" "$(val "$PT.1.2.10.3.0")" $((opens + 1))

sed -i '/^agentx:/,$d' "$T_TMP/agent.yaml"
kill -HUP "$APID"
check_cmd "reload without agentx: the session is closed" wait_log "$LOG" \
    "agentx $MASTER: turned off, closing the session"
if wait_unregistered 10; then
	pass "reload without agentx: snmpd answers noSuchObject"
else
	fail "reload without agentx: snmpd answers noSuchObject" "$(mv2 "$PT.1.2.3.0")"
fi
check_eq "reload without agentx: ptAgentxState is off(1)" "$(val "$PT.1.2.10.1.0")" 1
check_eq "reload without agentx: ptAgentxMaster is empty" "$(val "$PT.1.2.10.2.0")" '""'
printf 'agentx:\n  master: "%s"\n' "$MASTER" >>"$T_TMP/agent.yaml"
kill -HUP "$APID"
if wait_registered 20; then
	pass "reload with agentx again: registered"
else
	fail "reload with agentx again: registered" "$(tail -5 "$LOG")"
fi
alive "agent alive" "$APID"
alive "snmpd alive" "$SNMPD_PID"
finish
