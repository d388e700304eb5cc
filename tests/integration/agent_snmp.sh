#!/bin/sh
# agent_snmp: proctel-agent against net-snmp's snmpget/snmpgetnext/snmpset/
# snmpbulkget as independent clients, numeric OIDs only.  Every scalar of
# the contract (DESIGN.md) with its type, v1 and v2c; the error rules of
# "Protocol behaviour" (noSuchObject/noSuchInstance/endOfMibView, v1
# noSuchName with its index, read-only SET, tooBig, GETBULK cut to fit);
# expose_cmdline and the length caps of command lines; community and
# allow-list refusals with their counter; IPv6; replies from the address
# the request came to (in a network namespace of its own).
# Walks, zombies and malformed datagrams are in the other agent_*.sh.
. tests/integration/lib.sh
. tests/integration/agent.inc

PORT=$(free_port)
ADDR=127.0.0.1:$PORT
agent_conf "$T_TMP/agent.yaml" "$PORT"
has_v6=0
if grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null; then
	has_v6=1
	agent_start "$T_TMP/agent.yaml" "$ADDR" "[::1]:$PORT"
else
	agent_start "$T_TMP/agent.yaml" "$ADDR"
fi
APID=$AGENT_PID
pid_max=$(cat /proc/sys/kernel/pid_max)

# sval OID: a string value without net-snmp's quotes.
sval() { val "$1" | sed 's/^"//; s/"$//'; }

# ---- system group (SNMPv2-MIB), v2c and v1 ----
check_match "sysDescr is a non-empty string" "$(v2 $SYS.1.0)" '= STRING: ".+"'
check_eq "sysObjectID is ptAgentOID" "$(v2 $SYS.2.0)" \
    ".$SYS.2.0 = OID: .$PT.1.2.4"
t1=$(val $SYS.3.0)
check_match "sysUpTime is Timeticks" "$(v2 $SYS.3.0)" '= Timeticks: \([0-9]+\)'
t2=$(val $SYS.3.0)
check_int "sysUpTime does not go back" "$t2" -ge "$t1"
check_eq "sysContact" "$(v2 $SYS.4.0)" ".$SYS.4.0 = STRING: \"ops@example.com\""
check_eq "sysName" "$(v2 $SYS.5.0)" ".$SYS.5.0 = STRING: \"pt-test-host\""
check_eq "sysLocation" "$(v2 $SYS.6.0)" ".$SYS.6.0 = STRING: \"rack 12\""
check_eq "sysServices is 72" "$(v2 $SYS.7.0)" ".$SYS.7.0 = INTEGER: 72"
out=$(v1 $SYS.5.0 $SYS.2.0 $SYS.7.0)
check_eq "v1 system group" "$out" ".$SYS.5.0 = STRING: \"pt-test-host\"
.$SYS.2.0 = OID: .$PT.1.2.4
.$SYS.7.0 = INTEGER: 72"
alive "agent alive after system group" "$APID"

# ---- snmp group counters ----
for c in 1 3 4 5 6 31 32; do
	check_match "snmp counter .11.$c.0 is Counter32" "$(v2 $SNMPC.$c.0)" \
	    "^\\.$SNMPC\\.$c\\.0 = Counter32: [0-9]+\$"
done
check_eq "snmpEnableAuthenTraps is disabled(2)" "$(v2 $SNMPC.30.0)" \
    ".$SNMPC.30.0 = INTEGER: 2"
a=$(counter 1)
b=$(counter 1)
check_eq "snmpInPkts counts one per request" "$((b - a))" 1

# ---- HOST-RESOURCES-MIB scalars ----
check_match "hrSystemUptime is Timeticks" "$(v2 $HR.1.1.0)" '= Timeticks: \([0-9]+\)'
check_match "hrSystemProcesses is Gauge32" "$(v2 $HR.1.6.0)" '= Gauge32: [0-9]+$'
# near_count OID: "ok" when the agent's count, from a snapshot taken since
# the call, is within 10 of /proc's, counted before and after; the host is
# shared and processes come and go, so up to 5 tries.  Else what it saw.
near_count() {
	nc_i=0
	while [ $nc_i -lt 5 ]; do
		nc_b=$(proc_pids | wc -l)
		agent_fresh >/dev/null
		nc_v=$(val "$1")
		nc_a=$(proc_pids | wc -l)
		nc_lo=$((nc_b < nc_a ? nc_b : nc_a))
		nc_hi=$((nc_b > nc_a ? nc_b : nc_a))
		if is_uint "$nc_v" && [ "$nc_v" -ge $((nc_lo - 10)) ] &&
		    [ "$nc_v" -le $((nc_hi + 10)) ]; then
			echo ok
			return
		fi
		nc_i=$((nc_i + 1))
	done
	echo "$nc_v vs /proc's $nc_b to $nc_a"
}
check_eq "hrSystemProcesses near /proc's count" "$(near_count $HR.1.6.0)" ok
check_eq "hrSystemMaxProcesses is pid_max" "$(v2 $HR.1.7.0)" \
    ".$HR.1.7.0 = INTEGER: $pid_max"
# hrSystemUptime is the host's uptime (/proc/uptime, in centiseconds),
# sysUpTime the agent's: read the host's before and after.  The value may
# come from the cached snapshot, up to cache_ttl_ms (200 ms) old, and more
# while a loaded host builds it: allow 500 ms.
u0=$(awk '{ printf "%d", $1 * 100 }' /proc/uptime)
hu=$(val $HR.1.1.0)
u1=$(awk '{ printf "%d", $1 * 100 }' /proc/uptime)
check_int "hrSystemUptime >= /proc/uptime before it - cache" "$hu" -ge $((u0 - 50))
check_int "hrSystemUptime <= /proc/uptime after it" "$hu" -le $((u1 + 1))
check_int "sysUpTime (agent) <= hrSystemUptime (host)" "$(val $SYS.3.0)" -le "$hu"
out=$(v1 $HR.1.1.0 $HR.1.6.0 $HR.1.7.0 $SNMPC.1.0 $SNMPC.30.0)
check_match "v1 host and snmp scalars" "$(printf '%s\n' "$out" | tr '\n' ' ' | sed 's/ $//')" \
    "^\\.$HR\\.1\\.1\\.0 = Timeticks: .* \\.$HR\\.1\\.6\\.0 = Gauge32: [0-9]+ \\.$HR\\.1\\.7\\.0 = INTEGER: $pid_max \\.$SNMPC\\.1\\.0 = Counter32: [0-9]+ \\.$SNMPC\\.30\\.0 = INTEGER: 2\$"

# ---- ptSystem, one GET: one snapshot ----
oids=""
i=1
while [ $i -le 13 ]; do
	oids="$oids $PT.1.1.$i.0"
	i=$((i + 1))
done
# shellcheck disable=SC2086
out=$(v2 $oids)
i=1
while [ $i -le 13 ]; do
	want=Gauge32
	[ $i -eq 9 ] && want=Counter64
	got=$(printf '%s\n' "$out" | sed -n "s/^\\.$PT\\.1\\.1\\.$i\\.0 = \\([A-Za-z0-9]*\\): [0-9][0-9]*\$/\\1/p")
	check_eq "ptSystem .1.1.$i.0 is $want" "$got" "$want"
	i=$((i + 1))
done
v() { printf '%s\n' "$out" | sed -n "s/^\\.$PT\\.1\\.1\\.$1\\.0 = [A-Za-z0-9]*: //p"; }
procs=$(v 1)
sum=$(($(v 2) + $(v 3) + $(v 4) + $(v 5) + $(v 6) + $(v 7)))
check_int "states add up to at most ptProcesses" "$sum" -le "$procs"
check_int "ptThreads >= ptProcesses" "$(v 8)" -ge "$procs"
check_int "ptZombieParents <= ptZombies" "$(v 10)" -le "$(v 6)"
check_eq "ptPidMax is pid_max" "$(v 12)" "$pid_max"
check_eq "ptProcesses near /proc's count" "$(near_count $PT.1.1.1.0)" ok
forks=$(sed -n 's/^processes //p' /proc/stat)
check_int "ptForks <= /proc/stat processes after it" "$(v 9)" -le "$forks"
check_int "ptForks is most of /proc/stat's" "$(v 9)" -gt $((forks / 2))
check_int "ptSnapshotAge below an hour" "$(v 13)" -lt 3600000
if [ "$(v 6)" -eq 0 ]; then
	check_eq "no zombie: ptOldestZombieAge 0" "$(v 11)" 0
fi

# ---- ptAgent ----
check_eq "ptAgentPid" "$(v2 $PT.1.2.1.0)" ".$PT.1.2.1.0 = INTEGER: $APID"
check_eq "ptAgentPpid is this shell" "$(v2 $PT.1.2.2.0)" ".$PT.1.2.2.0 = INTEGER: $$"
ver=$(sval $PT.1.2.3.0)
check_match "ptAgentVersion is a string" "$(v2 $PT.1.2.3.0)" '= STRING: ".+"'
vout=$("$AGENT" --version 2>&1)
case "$vout" in
*"$ver"*) pass "ptAgentVersion matches --version" ;;
*) fail "ptAgentVersion matches --version" "snmp: $ver" "--version: $vout" ;;
esac
out=$(v1 $PT.1.2.1.0 $PT.1.2.2.0 $PT.1.2.3.0)
check_eq "v1 ptAgent" "$out" ".$PT.1.2.1.0 = INTEGER: $APID
.$PT.1.2.2.0 = INTEGER: $$
.$PT.1.2.3.0 = STRING: \"$ver\""
# v1: every ptSystem scalar but the Counter64, in one GET.
# shellcheck disable=SC2046 # the OIDs are meant to split into words
out=$(v1 $(echo "$oids" | sed "s/ $PT\\.1\\.1\\.9\\.0//"))
check_eq "v1 ptSystem: 12 Gauge32 values" \
    "$(printf '%s\n' "$out" | grep -c "^\\.$PT\\.1\\.1\\.[0-9]*\\.0 = Gauge32: [0-9]*\$")" 12
# RFC 2576 4.2.2.1: a Counter64 cannot go in a v1 reply, so noSuchName.
out=$(v1 $PT.1.1.9.0)
check_match "v1 GET of Counter64 ptForks is noSuchName" "$out" 'Reason: \(noSuchName\)'
alive "agent alive after scalars" "$APID"

# ---- GET errors ----
check_match "v2c unknown object: noSuchObject" "$(v2 $SYS.99.0)" \
    "^\\.$SYS\\.99\\.0 = No Such Object available"
check_match "v2c unknown proctel object: noSuchObject" "$(v2 $PT.1.1.99.0)" \
    "= No Such Object available"
check_match "v2c sysName.1: noSuchInstance" "$(v2 $SYS.5.1)" \
    "^\\.$SYS\\.5\\.1 = No Such Instance currently exists"
check_match "v2c ptProcName of no pid: noSuchInstance" \
    "$(v2 $PT.1.3.1.4.2147483647)" "= No Such Instance currently exists"
# The agent itself has no children.  (This shell does, for a moment, each
# time a command it ran exits: a snapshot taken then lists it.)
check_match "v2c ptZpName of a pid without zombies: noSuchInstance" \
    "$(v2 $PT.1.4.1.2.$APID)" "= (No Such Instance currently exists|No Such Object)"
out=$(v2 $SYS.5.0 $SYS.99.0 $SYS.5.1 $SYS.6.0)
check_eq "v2c mixed GET answers each varbind" "$out" \
".$SYS.5.0 = STRING: \"pt-test-host\"
.$SYS.99.0 = No Such Object available on this agent at this OID
.$SYS.5.1 = No Such Instance currently exists at this OID
.$SYS.6.0 = STRING: \"rack 12\""
out=$(v1 $SYS.5.0 $SYS.99.0)
check_match "v1 unknown object: noSuchName" "$out" 'Reason: \(noSuchName\)'
check_match "v1 noSuchName names the second varbind" "$out" \
    "Failed object: \\.$SYS\\.99\\.0"
out=$($SENDRAW -v 1 127.0.0.1 "$PORT" $SYS.5.0 $SYS.5.1 $SYS.6.0 2>&1)
check_match "v1 noSuchName error-index is 2" "$out" 'status=2 index=2 varbinds=3'

# ---- GETNEXT past the end ----
out=$(snmpgetnext -v2c -c public -t 5 -r 0 -On "udp:$ADDR" 1.3.6.1.9 2>&1)
check_match "v2c GETNEXT past the end: endOfMibView" "$out" \
    'No more variables left in this MIB View'
out=$(snmpgetnext -v2c -c public -t 5 -r 0 -On "udp:$ADDR" $PT.9 2>&1)
check_match "v2c GETNEXT after proctelMIB: endOfMibView" "$out" \
    'No more variables left in this MIB View'
out=$(snmpgetnext -v1 -c public -t 5 -r 0 -On "udp:$ADDR" 1.3.6.1.9 2>&1)
check_match "v1 GETNEXT past the end: noSuchName" "$out" 'Reason: \(noSuchName\)'
out=$(snmpgetnext -v2c -c public -t 5 -r 0 -On "udp:$ADDR" $SYS.4 $SYS.5.0 2>&1)
check_eq "v2c GETNEXT steps to the next instance" "$out" \
".$SYS.4.0 = STRING: \"ops@example.com\"
.$SYS.6.0 = STRING: \"rack 12\""
alive "agent alive after errors" "$APID"

# ---- SET is refused ----
out=$(snmpset -v2c -c public -t 5 -r 0 -On "udp:$ADDR" $SYS.5.0 s evil 2>&1)
check_match "v2c SET: notWritable" "$out" 'Reason: notWritable'
out=$(snmpset -v1 -c public -t 5 -r 0 -On "udp:$ADDR" $SYS.5.0 s evil 2>&1)
check_match "v1 SET: noSuchName" "$out" 'Reason: \(noSuchName\)'
check_eq "sysName unchanged after SET" "$(sval $SYS.5.0)" pt-test-host

# ---- GETBULK ----
# bnames N R OID...: the names a GETBULK -CnN -CrR answers, one a line.
bnames() {
	bn=$1
	br=$2
	shift 2
	snmpbulkget -v2c -c public -t 5 -r 0 -On -Cn"$bn" -Cr"$br" \
	    "udp:$ADDR" "$@" 2>&1 | sed 's/ = .*//'
}
check_eq "GETBULK -Cn1 -Cr3" "$(bnames 1 3 $SYS.4 $SYS.1)" ".$SYS.4.0
.$SYS.1.0
.$SYS.2.0
.$SYS.3.0"
check_eq "GETBULK -Cn0 -Cr2 interleaves repetitions" \
    "$(bnames 0 2 $SYS.4 $SYS.6)" ".$SYS.4.0
.$SYS.6.0
.$SYS.5.0
.$SYS.7.0"
check_eq "GETBULK all non-repeaters" "$(bnames 2 5 $SYS.4 $SYS.5)" ".$SYS.4.0
.$SYS.5.0"
out=$($SENDRAW --pdu getbulk --nonrep 0 --maxrep 5 127.0.0.1 "$PORT" $PT.9 2>&1)
check_match "GETBULK past the end: endOfMibView" "$out" "$PT\\.9 endOfMibView"
# RFC 1157 has no GETBULK: not a v1 PDU, so a parse error, and no reply.
a=$(counter 6)
out=$($SENDRAW -v 1 --pdu getbulk --maxrep 3 --wait 0.5 127.0.0.1 "$PORT" $SYS.1 2>&1)
check_match "v1 message with a GETBULK PDU: no reply" "$out" noreply
check_eq "v1 GETBULK counted in snmpInASNParseErrs" "$(($(counter 6) - a))" 1
alive "agent alive after GETBULK" "$APID"

# ---- small max_message_size: GETBULK cut, GET tooBig ----
PORT2=$(free_port)
agent_conf "$T_TMP/small.yaml" "$PORT2" 484
agent_start "$T_TMP/small.yaml" "127.0.0.1:$PORT2"
SPID=$AGENT_PID
out=$(snmpbulkget -v2c -c public -t 5 -r 0 -On -Cn0 -Cr200 \
    "udp:127.0.0.1:$PORT2" 1.3.6.1 2>&1)
n=$(printf '%s\n' "$out" | grep -c '^\.1\.3\.6\.1\.')
check_int "GETBULK -Cr200 at 484 octets returns some rows" "$n" -ge 3
check_int "GETBULK -Cr200 at 484 octets is cut" "$n" -lt 200
e=$(printf '%s\n' "$out" | grep -c 'Error\|tooBig\|Timeout')
check_eq "GETBULK cut reply is not an error" "$e" 0
check_cmd "GETBULK reply fits 484 octets" $SENDRAW --pdu getbulk --maxrep 200 \
    --expect reply --max-len 484 127.0.0.1 "$PORT2" 1.3.6.1
check_cmd "GETBULK at 1472 octets fits 1472" $SENDRAW --pdu getbulk \
    --maxrep 500 --expect reply --max-len 1472 127.0.0.1 "$PORT" 1.3.6.1
many=""
i=0
while [ $i -lt 20 ]; do
	many="$many $SYS.4.0"
	i=$((i + 1))
done
# shellcheck disable=SC2086
out=$(snmpget -v2c -c public -t 5 -r 0 -On "udp:127.0.0.1:$PORT2" $many 2>&1)
check_match "v2c GET overflowing 484 octets: tooBig" "$out" 'Reason: \(tooBig\)'
# shellcheck disable=SC2086
out=$(snmpget -v1 -c public -t 5 -r 0 -On "udp:127.0.0.1:$PORT2" $many 2>&1)
check_match "v1 GET overflowing 484 octets: tooBig" "$out" 'Reason: \(tooBig\)'
many=$(echo "$many" | sed 's/\.0//g')
# shellcheck disable=SC2086
out=$(snmpgetnext -v2c -c public -t 5 -r 0 -On "udp:127.0.0.1:$PORT2" $many 2>&1)
check_match "v2c GETNEXT overflowing 484 octets: tooBig" "$out" 'Reason: \(tooBig\)'
# shellcheck disable=SC2086
out=$($SENDRAW --pdu getnext 127.0.0.1 "$PORT2" $many 2>&1)
check_match "tooBig reply has no varbinds" "$out" 'status=1 index=0 varbinds=0'
# shellcheck disable=SC2086
out=$(snmpget -v2c -c public -t 5 -r 0 -On "udp:$ADDR" $many 2>&1 | grep -c '^\.')
check_eq "the same GET fits 1472 octets" "$out" 20
alive "small agent alive" "$SPID"
agent_stop "$SPID"

# ---- command lines: hidden unless expose_cmdline ----
sleep 37 &
SL=$!
t_track "$SL"
# A 400-octet argument: DisplayString holds 255, hrSWRunParameters 128.
python3 -c 'import time; time.sleep(30)' "$(printf '%0400d' 0)" &
LONG=$!
t_track "$LONG"
PORT3=$(free_port)
agent_conf "$T_TMP/cmd.yaml" "$PORT3"
sed -i 's/^expose_cmdline: .*/expose_cmdline: true/' "$T_TMP/cmd.yaml"
agent_start "$T_TMP/cmd.yaml" "127.0.0.1:$PORT3"
CPID=$AGENT_PID
# Both agents serve a snapshot taken since the sleeps started.
agent_fresh
agent_fresh "127.0.0.1:$PORT3"
out=$(v2 $PT.1.3.1.9.$SL $HR.4.2.1.5.$SL $HR.4.2.1.2.$SL)
check_eq "expose_cmdline false: ptProcCmdline, hrSWRunParameters empty" "$out" \
".$PT.1.3.1.9.$SL = \"\"
.$HR.4.2.1.5.$SL = \"\"
.$HR.4.2.1.2.$SL = STRING: \"sleep\""
out=$(snmpget -v2c -c public -t 5 -r 0 -On "udp:127.0.0.1:$PORT3" \
    $PT.1.3.1.9.$SL $HR.4.2.1.5.$SL 2>&1)
check_eq "expose_cmdline true: ptProcCmdline, hrSWRunParameters" "$out" \
".$PT.1.3.1.9.$SL = STRING: \"sleep 37\"
.$HR.4.2.1.5.$SL = STRING: \"37\""
out=$(snmpget -v2c -c public -t 5 -r 0 -Oqv "udp:127.0.0.1:$PORT3" \
    $PT.1.3.1.9.$LONG 2>&1 | sed 's/^"//; s/"$//')
check_eq "long ptProcCmdline cut to 255 octets" "${#out}" 255
check_match "long ptProcCmdline starts with the command" "$out" '^[^ ]*python3[^ ]* -c import time; time.sleep\(30\) 0000'
out=$(snmpget -v2c -c public -t 5 -r 0 -Oqv "udp:127.0.0.1:$PORT3" \
    $HR.4.2.1.5.$LONG 2>&1 | sed 's/^"//; s/"$//')
check_int "long hrSWRunParameters at most 128 octets" "${#out}" -le 128
kill "$SL" "$LONG"
wait "$SL" "$LONG" 2>/dev/null
alive "expose_cmdline agent alive" "$CPID"
agent_stop "$CPID"

# ---- refusals: no reply, snmpInBadCommunityNames + 1 ----
a=$(counter 4)
out=$(snmpget -v2c -c wrong -t 0.5 -r 0 -On "udp:$ADDR" $SYS.5.0 2>&1)
check_match "wrong community: no reply" "$out" '^Timeout'
b=$(counter 4)
check_eq "wrong community counted" "$((b - a))" 1
out=$(snmpget -v2c -c private -t 0.5 -r 0 -On "udp:$ADDR" $SYS.5.0 2>&1)
check_match "'private' from 127.0.0.1 (outside its allow list): no reply" \
    "$out" '^Timeout'
c=$(counter 4)
check_eq "'private' from outside its allow list counted" "$((c - b))" 1
out=$(snmpget -v1 -c wrong -t 0.5 -r 0 -On "udp:$ADDR" $SYS.5.0 2>&1)
check_match "v1 wrong community: no reply" "$out" '^Timeout'
d=$(counter 4)
check_eq "v1 wrong community counted" "$((d - c))" 1
out=$($SENDRAW -c "" --wait 0.5 127.0.0.1 "$PORT" $SYS.5.0 2>&1)
check_match "empty community: no reply" "$out" 'noreply'
e=$(counter 4)
check_eq "empty community counted" "$((e - d))" 1
alive "agent alive after refusals" "$APID"

# ---- IPv6 ----
if [ $has_v6 -eq 1 ]; then
	out=$(snmpget -v2c -c public -t 5 -r 0 -On "udp6:[::1]:$PORT" $SYS.5.0 2>&1)
	check_eq "IPv6 GET on [::1]" "$out" ".$SYS.5.0 = STRING: \"pt-test-host\""
	out=$($SENDRAW --connect --expect reply ::1 "$PORT" $SYS.5.0 2>&1)
	check_match "IPv6 reply from ::1" "$out" 'reply len=[0-9]+ from=::1:'
else
	skip "IPv6 checks" "no ::1 on this host"
fi

# ---- replies leave from the address the request came to ----
# Bound to 0.0.0.0, the agent must answer 127.0.1.7 from 127.0.1.7, or a
# connect()ed client never sees the reply.  0.0.0.0 is only bound inside a
# network namespace of our own, which holds nothing but its loopback.
if command -v unshare >/dev/null 2>&1 && unshare -n true 2>/dev/null; then
	cat >"$T_TMP/netns.sh" <<EOF
ip link set lo up || exit 1
"$AGENT" -c "$T_TMP/agent.yaml" -l 0.0.0.0:$PORT >"$T_TMP/netns-agent.log" 2>&1 &
pid=\$!
i=0
while [ \$i -lt 50 ]; do
	snmpget -v2c -c public -t 0.2 -r 0 -On udp:127.0.0.1:$PORT $SYS.3.0 >/dev/null 2>&1 && break
	sleep 0.1
	i=\$((i + 1))
done
$SENDRAW --connect --expect reply 127.0.1.7 $PORT $SYS.5.0 >"$T_TMP/ns-connect.out" 2>&1
echo \$? >"$T_TMP/ns-connect.rc"
$SENDRAW --expect reply 127.0.1.7 $PORT $SYS.5.0 >"$T_TMP/ns-plain.out" 2>&1
snmpget -v2c -c public -t 5 -r 0 -On udp:127.0.1.7:$PORT $SYS.5.0 >"$T_TMP/ns-snmpget.out" 2>&1
kill -0 \$pid && echo alive >"$T_TMP/ns-alive"
kill \$pid
wait \$pid
EOF
	unshare -n sh "$T_TMP/netns.sh"
	check_eq "connect()ed client to 127.0.1.7 gets a reply" \
	    "$(cat "$T_TMP/ns-connect.rc" 2>/dev/null)" 0
	check_match "reply comes from 127.0.1.7" \
	    "$(cat "$T_TMP/ns-plain.out" 2>/dev/null)" 'from=127\.0\.1\.7:'
	check_eq "snmpget via 127.0.1.7" "$(cat "$T_TMP/ns-snmpget.out" 2>/dev/null)" \
	    ".$SYS.5.0 = STRING: \"pt-test-host\""
	check_eq "agent on 0.0.0.0 stayed alive" "$(cat "$T_TMP/ns-alive" 2>/dev/null)" alive
else
	skip "reply-address checks" "cannot create a network namespace (unshare -n)"
fi

alive "agent alive at the end" "$APID"
finish
