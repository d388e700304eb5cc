#!/bin/sh
# agentx_snmpd: proctel-agent as an AgentX subagent of a real net-snmp
# snmpd (master agentx, its socket in a temporary directory), queried
# through snmpd with snmpget, snmpwalk, snmpbulkwalk and snmptable over
# v2c and v3 (authPriv): every PROCTEL-MIB object, with the values the
# agent serves over its own UDP port from the same (frozen) snapshot; the
# zombie maker's ptZombieParentTable row; a walk of 1.3.6.1 that crosses
# from snmpd's own objects into the subagent's subtree and out again,
# strictly increasing, with nothing missing; then AgentX only (`listen:
# []`) as an unprivileged user without capabilities, still seeing every
# process; then the subagent killed: snmpd answers noSuchObject at once.
# Restarts and reloads: agentx_restart.sh; a hostile master:
# agentx_hostile.sh.
# suite-timeout: 300
. tests/integration/lib.sh
. tests/integration/agent.inc
. tests/integration/agentx.inc

MAKER=$BUILD/tools/zombie_maker
CONTRACT=$BUILD/tools/contract
[ -x "$MAKER" ] || skip_all "$MAKER not built (make tools)"
[ -x "$CONTRACT" ] || skip_all "$CONTRACT not built (make tools)"

# inside FILE: the walk lines under PROCTEL-MIB whose values cannot change
# within one snapshot (not ages, not the AgentX request counter).
inside() {
	grep "^\\.$PT\\." "$1" | grep -v -e "^\\.$PT\\.1\\.1\\.11\\.0 " \
	    -e "^\\.$PT\\.1\\.1\\.13\\.0 " -e "^\\.$PT\\.1\\.2\\.10\\.4\\.0 " \
	    -e "^\\.$PT\\.1\\.2\\.5\\.0 " \
	    -e "^\\.$PT\\.1\\.3\\.1\\.8\\." -e "^\\.$PT\\.1\\.4\\.1\\.4\\."
}
# objects FILE: the objects a walk's PROCTEL-MIB lines are instances of
# (one index sub-identifier: .0 or a pid), sorted.
objects() {
	sed -n "s/^\\(\\.$PT\\.[0-9.]*\\)\\.[0-9]* = .*/\\1/p" "$1" | sort -u
}

SPORT=$(free_port)
snmpd_conf "$T_TMP/snmpd.conf" "$SPORT" "$T_TMP/agentx/master"
snmpd_start "$T_TMP/snmpd.conf" "$SPORT"
check_cmd "snmpd made its AgentX socket" test -S "$T_TMP/agentx/master"

# The maker first, so the agent's one snapshot holds its zombies.
NAME=ptaxzombie
N=3
zombie_maker_start "$NAME" "$N" 120
set -- $(head -n 1 "$T_TMP/maker.out")
check_eq "zombie_maker started" "$1" "$ZPID"
shift
KID=$1
i=0
while [ $i -lt 50 ]; do
	nz=0
	for k in "$@"; do
		st=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\) .*/\1/p' "/proc/$k/stat" 2>/dev/null)
		[ "$st" = Z ] && nz=$((nz + 1))
	done
	[ $nz -eq $N ] && break
	sleep 0.1
	i=$((i + 1))
done
check_eq "/proc shows $N zombies" "$nz" "$N"

# A frozen agent: one snapshot for the whole test, so what snmpd relays
# and what the agent answers itself can be compared exactly.
PORT=$(free_port)
ADDR=127.0.0.1:$PORT
ax_conf "$T_TMP/agent.yaml" "$PORT" "$T_TMP/agentx/master" 600000
agent_start "$T_TMP/agent.yaml" "$ADDR"
APID=$AGENT_PID
if ! wait_registered 20; then
	fail "the subagent registers with snmpd" "$(tail -5 "$T_TMP/agent.log")" \
	    "$(tail -5 "$T_TMP/snmpd.log")"
	finish
fi
pass "the subagent registers with snmpd"
check_eq "ptAgentxState is open(5) over UDP" "$(val "$PT.1.2.10.1.0")" 5
check_eq "ptAgentxMaster names the socket" "$(val "$PT.1.2.10.2.0")" \
    "\"$T_TMP/agentx/master\""
check_eq "ptAgentxOpens is 1" "$(val "$PT.1.2.10.3.0")" 1
check_match "the agent logged the session open" "$(cat "$T_TMP/agent.log")" \
    "agentx $T_TMP/agentx/master: open, session [0-9]+, 1 subtree registered"

# ---- every PROCTEL-MIB object, v2c and v3, walk and bulkwalk ----
snmpwalk -v2c -c public -t 5 -r 1 -On "udp:$ADDR" "$PT" >"$T_TMP/udp" 2>&1
check_match "reference walk over UDP increasing" "$(increasing "$T_TMP/udp")" '^ok'
inside "$T_TMP/udp" >"$T_TMP/udp.in"
"$CONTRACT" proctelMIB | awk '$4 == "scalar" || $4 == "column" { print "." $2 }' |
    sort >"$T_TMP/contract.objs"
check_eq "the UDP walk serves every contract object" \
    "$(objects "$T_TMP/udp" | diff - "$T_TMP/contract.objs" | head -5)" ""
for how in mw2 mb2 mw3 mb3; do
	$how "$PT" >"$T_TMP/$how"
	check_match "$how of PROCTEL-MIB through snmpd strictly increasing" \
	    "$(increasing "$T_TMP/$how")" '^ok'
	check_eq "$how through snmpd: every contract object" \
	    "$(objects "$T_TMP/$how" | diff - "$T_TMP/contract.objs" | head -5)" ""
	inside "$T_TMP/$how" >"$T_TMP/$how.in"
	check_eq "$how through snmpd = the agent's own answers" \
	    "$(diff "$T_TMP/udp.in" "$T_TMP/$how.in" | head -5)" ""
done
check_int "the walk has the process table" \
    "$(grep -c "^\\.$PT\\.1\\.3\\.1\\.4\\." "$T_TMP/mw2")" -gt 5

# Every scalar in one GET, through snmpd and straight from the agent.
scalars=$("$CONTRACT" proctelMIB | awk '$4 == "scalar" { print $2 ".0" }')
# shellcheck disable=SC2086 # one word per OID
v2 $scalars >"$T_TMP/g.udp"
inside "$T_TMP/g.udp" >"$T_TMP/g.udp.in"
for how in mv2 mv3; do
	# shellcheck disable=SC2086
	$how $scalars >"$T_TMP/g.$how"
	check_eq "$how of every scalar: no exception" \
	    "$(grep -c -e 'No Such' -e 'Timeout' "$T_TMP/g.$how")" 0
	inside "$T_TMP/g.$how" >"$T_TMP/g.$how.in"
	check_eq "$how of every scalar = the agent's own" \
	    "$(diff "$T_TMP/g.udp.in" "$T_TMP/g.$how.in" | head -5)" ""
done
check_eq "a missing instance: the same exception as over UDP" \
    "$(mv2 "$PT.1.1.1.1" | sed 's/^[^=]*= //')" \
    "$(v2 "$PT.1.1.1.1" | sed 's/^[^=]*= //')"
check_eq "a missing object under the subtree: noSuchObject" \
    "$(mv3 "$PT.1.9.0")" ".$PT.1.9.0 = No Such Object available on this agent at this OID"

# ---- the zombie maker's parent row ----
for how in mv2 mv3; do
	check_eq "$how ptZpName of the maker" "$($how "$PT.1.4.1.2.$ZPID")" \
	    ".$PT.1.4.1.2.$ZPID = STRING: \"$NAME\""
	check_eq "$how ptZpZombies of the maker" "$($how "$PT.1.4.1.3.$ZPID")" \
	    ".$PT.1.4.1.3.$ZPID = Gauge32: $N"
	check_eq "$how ptProcState of a child is zombie(5)" \
	    "$($how "$PT.1.3.1.3.$KID")" ".$PT.1.3.1.3.$KID = INTEGER: 5"
done
check_int "ptZombies through snmpd counts them" "$(mval "$PT.1.1.6.0")" -ge $N

# ---- snmptable through snmpd, by MIB names ----
cache=${PROCTEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/proctel}
dirs="mibs:mibs/stubs:/usr/share/snmp/mibs"
[ -f "$cache/ietf-mibs/SNMPv2-SMI" ] && dirs="mibs:$cache/ietf-mibs:/usr/share/snmp/mibs"
snmptable -v2c -c "$AXC" -t 5 -r 1 -Ci -Cf '|' -M "$dirs" -m PROCTEL-MIB \
    "udp:127.0.0.1:$SPORT" PROCTEL-MIB::ptZombieParentTable >"$T_TMP/t2" 2>&1
check_eq "v2c snmptable ptZombieParentTable exits 0" "$?" 0
check_match "v2c snmptable: the maker's row" "$(grep "^$ZPID|" "$T_TMP/t2")" \
    "^$ZPID\\|$NAME\\|$N\\|[0-9]+( seconds)?\$"
# shellcheck disable=SC2086
snmptable $AXV3 -t 5 -r 1 -Ci -Cf '|' -M "$dirs" -m PROCTEL-MIB \
    "udp:127.0.0.1:$SPORT" PROCTEL-MIB::ptProcTable >"$T_TMP/t3" 2>&1
check_eq "v3 snmptable ptProcTable exits 0" "$?" 0
check_match "v3 snmptable: the agent's row" "$(grep "^$APID|" "$T_TMP/t3")" \
    "^$APID\\|$$\\|[a-z]+\\|proctel-agent\\|"
check_match "v3 snmptable: a zombie child" "$(grep "^$KID|" "$T_TMP/t3")" \
    "^$KID\\|$ZPID\\|zombie\\|"
check_eq "v3 snmptable: one row per process of the snapshot" \
    "$(grep -c '^[0-9][0-9]*|' "$T_TMP/t3")" \
    "$(grep -c "^\\.$PT\\.1\\.3\\.1\\.2\\." "$T_TMP/udp")"

# ---- a walk across the subtree: snmpd's objects, ours, snmpd's ----
for how in mw2 mb3; do
	$how 1.3.6.1 >"$T_TMP/x.$how"
	check_match "$how of 1.3.6.1 strictly increasing" \
	    "$(increasing "$T_TMP/x.$how")" '^ok'
	before=$(grep -c '^\.1\.3\.6\.1\.4\.1\.\(2021\|8072\.[1-9]\)\.' "$T_TMP/x.$how")
	after=$(grep -c '^\.1\.3\.6\.1\.6\.3\.' "$T_TMP/x.$how")
	check_int "$how: snmpd's objects before the subtree" "$before" -gt 0
	check_int "$how: and after it" "$after" -gt 0
	# Where the subtree sits: its first and last lines come between them.
	first=$(grep -n "^\\.$PT\\." "$T_TMP/x.$how" | head -n 1 | cut -d: -f1)
	last=$(grep -n "^\\.$PT\\." "$T_TMP/x.$how" | tail -n 1 | cut -d: -f1)
	prev=$(sed -n "$((first - 1))p" "$T_TMP/x.$how")
	next=$(sed -n "$((last + 1))p" "$T_TMP/x.$how")
	check_match "$how: the line before the subtree is snmpd's" "$prev" \
	    '^\.1\.3\.6\.1\.4\.1\.(2021|8072\.[1-9])'
	check_match "$how: the line after it is snmpd's" "$next" '^\.1\.3\.6\.1\.6\.3\.'
	inside "$T_TMP/x.$how" >"$T_TMP/x.$how.in"
	check_eq "$how: the subtree inside the walk, nothing missing" \
	    "$(diff "$T_TMP/udp.in" "$T_TMP/x.$how.in" | head -5)" ""
done
check_int "ptAgentxRequests counted the requests" \
    "$(val "$PT.1.2.10.4.0")" -gt 100
check_eq "ptAgentxBadPdus is 0" "$(val "$PT.1.2.10.5.0")" 0
alive "agent alive" "$APID"
agent_stop "$APID"
check_match "at exit: Close and a summary" "$(tail -n 3 "$T_TMP/agent.log")" \
    'closing at exit; [0-9]+ requests answered in 1 sessions'
if wait_unregistered 10; then
	pass "after its Close snmpd answers noSuchObject"
else
	fail "after its Close snmpd answers noSuchObject" "$(mv2 "$PT.1.2.3.0")"
fi

# ---- AgentX only, unprivileged, no capability ----
# snmpd's socket is root's alone by default (snmpd.conf(5) agentXPerms);
# opened to everyone here, as a host would to the agent's group.
snmpd_stop
rm -rf "$T_TMP/agentx"
snmpd_conf "$T_TMP/snmpd.conf" "$SPORT" "$T_TMP/agentx/master" \
    "agentXPerms 0666 0755"
snmpd_start "$T_TMP/snmpd.conf" "$SPORT"
ax_conf "$T_TMP/only.yaml" "" "$T_TMP/agentx/master"
chmod 0755 "$T_TMP"
chmod 0644 "$T_TMP/only.yaml"
: >"$T_TMP/only.log"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
	setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	    --bounding-set=-all "$AGENT" -c "$T_TMP/only.yaml" \
	    >>"$T_TMP/only.log" 2>&1 &
	OPID=$!
	as_nobody=1
else
	"$AGENT" -c "$T_TMP/only.yaml" >>"$T_TMP/only.log" 2>&1 &
	OPID=$!
	as_nobody=0
fi
t_track "$OPID"
if wait_registered 20; then
	pass "AgentX only: registered"
else
	fail "AgentX only: registered" "$(tail -5 "$T_TMP/only.log")"
fi
check_match "AgentX only: it says so" "$(cat "$T_TMP/only.log")" \
    'no UDP socket: serving only through AgentX'
check_eq "AgentX only: one socket, the AgentX one" \
    "$(ls -l "/proc/$OPID/fd" 2>/dev/null | grep -c 'socket:')" 1
if [ $as_nobody -eq 1 ]; then
	check_eq "AgentX only: running as nobody" \
	    "$(sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$OPID/status")" 65534
	check_eq "AgentX only: no capability at all" \
	    "$(sed -n 's/^CapEff:[[:space:]]*//p' "/proc/$OPID/status")" 0000000000000000
else
	skip "AgentX only as nobody without capabilities" "not root"
fi
check_eq "AgentX only: pid 1's state is read (a root process)" \
    "$(mv2 "$PT.1.3.1.5.1")" ".$PT.1.3.1.5.1 = Gauge32: 0"
check_eq "AgentX only: ptAgentProcView is full(1)" "$(mval "$PT.1.2.6.0")" 1
n=$(mval "$PT.1.1.1.0")
np=$(proc_pids | wc -l)
d=$((n - np))
check_int "AgentX only: ptProcesses ($n) near /proc's count ($np)" "${d#-}" -le 20
check_eq "AgentX only: the zombie row too" "$(mv3 "$PT.1.4.1.3.$ZPID")" \
    ".$PT.1.4.1.3.$ZPID = Gauge32: $N"

# ---- a reload that would leave it serving nothing is refused ----
ax_conf "$T_TMP/none.yaml" "$(free_port)" "$T_TMP/agentx/master"
sed '/^agentx:/,$d' "$T_TMP/none.yaml" >"$T_TMP/only.yaml"
kill -HUP "$OPID"
check_cmd "AgentX only: a reload without agentx: is refused" wait_log \
    "$T_TMP/only.log" 'agentx: removed, but this agent has no UDP socket'
check_cmd "... and the running configuration kept" wait_log \
    "$T_TMP/only.log" 'reload failed, keeping the running configuration'
check_eq "AgentX only: still served through snmpd after it" \
    "$(mv2 "$PT.1.3.1.5.1")" ".$PT.1.3.1.5.1 = Gauge32: 0"

# ---- the subagent killed: noSuchObject at once, snmpd does not hang ----
kill -9 "$OPID"
wait "$OPID" 2>/dev/null
out=$(snmpget -v2c -c "$AXC" -t 10 -r 0 -On "udp:127.0.0.1:$SPORT" "$PT.1.1.1.0" 2>&1)
check_eq "killed: snmpd answers noSuchObject" "$out" \
    ".$PT.1.1.1.0 = No Such Object available on this agent at this OID"
check_match "killed: snmpd still serves its own objects" \
    "$(mv3 1.3.6.1.2.1.1.3.0)" '= Timeticks: '
alive "snmpd alive" "$SNMPD_PID"
finish
