#!/bin/sh
# agent_v3_usm: every USM refusal on the wire.  Each case is one client
# exchange through a logging relay (tests/tools/snmpproxy.py --log) whose
# replies tests/tools/v3wire.py decodes: the right Report (its counter, at
# the right level) or silence, the counter raised by exactly one, and
# nothing from the MIB in any reply.  The requests come from net-snmp's
# snmpget (unknown user, wrong auth or priv password, a level the user
# lacks or is below its minimum, a foreign engine ID) and from v3wire's own
# hashlib/hmac messages (a forged time, a message replayed after a
# restart).  Then the restart itself: snmpEngineBoots goes up by one, and
# a pysnmp engine that cached the old boots is told notInTimeWindow and
# then succeeds.
# suite-timeout: 300
. tests/integration/lib.sh
. tests/integration/agent.inc
. tests/integration/agent_v3.inc

v3_up "$T_TMP/agent.yaml" "  - {name: strict, auth_protocol: SHA-256, auth_password: $PW, priv_protocol: AES, priv_password: $PW, level: authPriv}
  - {name: authonly, auth_protocol: SHA-256, auth_password: $PW}
"
# Our files apart: net-snmp's tools read every file in $T_TMP (MIBDIRS).
W=$T_TMP/w
mkdir -p "$W"
PX=$(free_port)
while [ "$PX" = "$PORT" ]; do PX=$(free_port); done
python3 tests/tools/snmpproxy.py --listen "$PX" --to "$PORT" \
    --ready "$W/px.ready" --stats "$W/px.stats" --log "$W/px.log" \
    --time 280 &
t_track $!
wait_file "$W/px.ready" 50
PADDR=127.0.0.1:$PX

# c NAME: a counter by name, read over v2c straight from the agent.
c() {
	case $1 in
	parse) o=$SNMPC.6.0 ;;
	seclevel) o=$USMSTATS.1.0 ;;
	window) o=$USMSTATS.2.0 ;;
	user) o=$USMSTATS.3.0 ;;
	engine) o=$USMSTATS.4.0 ;;
	digest) o=$USMSTATS.5.0 ;;
	decrypt) o=$USMSTATS.6.0 ;;
	esac
	snmpget -v2c -c public -t 3 -r 1 -Oqv "udp:$ADDR" "$o" 2>&1
}
# viaproxy ARGS...: snmpget -v3 through the relay, one try; the log
# emptied first, the client's output in $W/client.
viaproxy() {
	: >"$W/px.log"
	snmpget -v3 -t 2 -r 0 -On "$@" "udp:$PADDR" "$SYS.5.0" >"$W/client" 2>&1
}
# last_reply: the last datagram the agent sent through the relay, decoded
# (one header line, one line per varbind); "none" when it sent none.
last_reply() {
	$V3W show "$W/px.log" >"$W/replies"
	awk '/^reply/ { block = $0; next } { block = block "\n" $0 } END { print block ? block : "none" }' \
	    "$W/replies"
}
replies() { grep -c '^reply' "$W/replies"; }
# report NAME REPLY FLAGS ARC: REPLY is a Report at msgFlags FLAGS whose
# one varbind is usmStats.ARC.0, a Counter32, and nothing else.
report() {
	check_match "$1: a Report at msgFlags $3" "$(echo "$2" | head -1)" \
	    "^reply flags=$3 .* pdu=report .* varbinds=1\$"
	check_match "$1: naming usmStats.$4.0 and nothing from the MIB" \
	    "$(echo "$2" | sed -n 2,99p)" "^  $USMSTATS\\.$4\\.0 Counter32 [0-9]+\$"
	check_eq "$1: one varbind line" "$(echo "$2" | sed -n 2,99p | wc -l)" 1
}
# delta NAME COUNTER BEFORE: the counter went up by exactly one.
delta() { check_eq "$1: $2 counter +1" "$(c "$2")" $(($3 + 1)); }

# ---- discovery itself: the probe's Report ----
viaproxy -l authPriv -u ap-SHA-256-AES -a SHA-256 -A $PW -x AES -X $PW
check_match "a good GET through the relay" "$(cat "$W/client")" 'pt-v3-host'
$V3W show "$W/px.log" >"$W/replies"
report "discovery" "$(head -2 "$W/replies")" 00 4
check_match "discovery: the Report gives boots 1 and the engine ID" \
    "$(head -1 "$W/replies")" "engine=80001f8805[0-9a-f]{16} boots=1 "
check_match "the answer itself is encrypted" "$(last_reply)" 'flags=03 .*pdu=encrypted'
# Kept for the replay after the restart.
grep '^req' "$W/px.log" | tail -1 | cut -d' ' -f2 >"$W/authpriv.hex"

# ---- unknown user ----
n=$(c user)
viaproxy -l authPriv -u nosuchuser -a SHA-256 -A $PW -x AES -X $PW
check_match "unknown user: the client is told" "$(cat "$W/client")" 'Unknown user name'
report "unknown user" "$(last_reply)" 00 3
delta "unknown user" user "$n"

# ---- wrong authentication password ----
n=$(c digest)
viaproxy -l authPriv -u ap-SHA-256-AES -a SHA-256 -A wrong-password -x AES -X $PW
check_match "wrong auth password: the client is told" "$(cat "$W/client")" 'Authentication failure'
report "wrong auth password" "$(last_reply)" 00 5
delta "wrong auth password" digest "$n"

# ---- wrong privacy password: silence (as snmpd), a parse error ----
n=$(c parse)
d=$(c decrypt)
viaproxy -l authPriv -u ap-SHA-256-AES -a SHA-256 -A $PW -x AES -X wrong-password
check_match "wrong priv password: the client times out" "$(cat "$W/client")" 'Timeout'
last_reply >/dev/null
check_eq "wrong priv password: only the probe was answered" "$(replies)" 1
delta "wrong priv password" parse "$n"
check_eq "wrong priv password: usmStatsDecryptionErrors unchanged" "$(c decrypt)" "$d"

# ---- a level the user's keys do not allow ----
n=$(c seclevel)
viaproxy -l authPriv -u authonly -a SHA-256 -A $PW -x AES -X $PW
check_match "authPriv from an auth-only user: the client is told" \
    "$(cat "$W/client")" 'Unsupported security level'
report "authPriv from an auth-only user" "$(last_reply)" 00 1
delta "authPriv from an auth-only user" seclevel "$n"

# ---- below the user's minimum level: authorizationError, no data ----
viaproxy -l authNoPriv -u strict -a SHA-256 -A $PW
check_match "below the user's minimum level: the client is told" \
    "$(cat "$W/client")" 'authorizationError'
r=$(last_reply)
check_match "below the minimum: a Response with authorizationError, authenticated" \
    "$(echo "$r" | head -1)" '^reply flags=01 .* pdu=response .* status=16 index=0 varbinds=1$'
check_eq "below the minimum: the request's varbind echoed as NULL, no MIB value" \
    "$(echo "$r" | sed -n 2p)" "  $SYS.5.0 NULL "

# ---- an engine ID not ours ----
n=$(c engine)
viaproxy -l authPriv -u ap-SHA-256-AES -a SHA-256 -A $PW -x AES -X $PW -e 0x80001f880401020304
# net-snmp, given -e, ignores a Report from another engine and times out.
check_match "foreign engine ID: no data for the client" "$(cat "$W/client")" 'Timeout'
report "foreign engine ID" "$(last_reply)" 00 4
delta "foreign engine ID" engine "$n"
n=$(c engine)
r=$($V3W get "$ADDR" --user authonly --auth SHA-256 --password $PW \
    --engine 80001f880401020304 "$SYS.5.0")
report "foreign engine ID (v3wire)" "$r" 00 4
# v3wire's probe and its request: two.
check_eq "foreign engine ID (v3wire): counter +2 (its probe too)" "$(c engine)" $((n + 2))

# ---- outside the time window: a forged clock ----
# 200 s, not 151: the agent's clock moves on between the discovery and the
# request, and a second of it would bring 151 back inside the window (the
# 150/151 edge itself: test_agent_v3_rules.c).
n=$(c window)
r=$($V3W get "$ADDR" --user authonly --auth SHA-256 --password $PW \
    --time-offset 200 "$SYS.5.0")
report "time 200 s ahead" "$r" 01 2
delta "time 200 s ahead" window "$n"
r=$($V3W get "$ADDR" --user authonly --auth SHA-256 --password $PW \
    --time-offset 140 "$SYS.5.0")
check_match "time 140 s ahead is inside the window: answered" \
    "$(echo "$r" | sed -n 2p)" "^  $SYS\\.5\\.0 STRING pt-v3-host\$"
r=$($V3W get "$ADDR" --user authonly --auth SHA-256 --password $PW \
    --boots 2 "$SYS.5.0")
report "boots ahead of ours" "$r" 01 2
alive "agent alive after the refusals" "$APID"

# ---- restart: boots + 1; a cached client re-syncs; a replay is refused ----
b1=$(v3 snmpget SHA-256 AES -Oqv "$ENGINE.2.0")
check_eq "boots before the restart" "$b1" 1
rm -f "$W/ready" "$W/go"
$PYSNMP twice "$PORT" ap-SHA-256-AES SHA-256 AES $PW "$ENGINE.2.0" \
    "$W/ready" "$W/go" >"$W/twice" 2>&1 &
TPID=$!
t_track $TPID
wait_file "$W/ready"
agent_stop "$APID"
agent_start "$T_TMP/agent.yaml" "$ADDR"
APID=$AGENT_PID
check_match "the restart logs boots 2" "$(cat "$T_TMP/agent.log")" \
    'SNMPv3 engine ID 80001f8805[0-9a-f]{16}, snmpEngineBoots 2$'
touch "$W/go"
wait $TPID
check_eq "pysnmp across the restart: both GETs succeed" "$?" 0
check_eq "pysnmp: boots 1, then 2" "$(cat "$W/twice")" \
    "first: $ENGINE.2.0 = 1
second: $ENGINE.2.0 = 2"
check_eq "pysnmp's stale boots drew one notInTimeWindow" "$(c window)" 1
check_eq "net-snmp sees boots 2" "$(v3 snmpget SHA-256 AES -Oqv "$ENGINE.2.0")" 2
# The authPriv GET captured before the restart, sent again.
python3 -c 'import sys; open(sys.argv[2], "wb").write(bytes.fromhex(open(sys.argv[1]).read().strip()))' \
    "$W/authpriv.hex" "$W/authpriv.bin"
r=$($V3W send "$ADDR" "$W/authpriv.bin")
report "a request replayed after the restart" "$r" 01 2
check_eq "the replay: notInTimeWindow +1" "$(c window)" 2
alive "agent alive at the end" "$APID"
finish
