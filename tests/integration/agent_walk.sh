#!/bin/sh
# agent_walk: whole-tree walks of proctel-agent with net-snmp's snmpwalk
# (GETNEXT, v1 and v2c) and snmpbulkwalk (GETBULK, several -Cr).  Checks
# that the tree is strictly increasing, that GETBULK returns exactly what
# GETNEXT does, that v1 differs only by leaving out Counter64, that a walk
# is served from one cached snapshot, that hrSWRunTable and ptProcTable
# have one row per live process, and that snmptable reads ptProcTable by
# MIB names.  Single-object behaviour is in agent_snmp.sh.
. tests/integration/lib.sh
. tests/integration/agent.inc

# oids FILE: the OID column of a walk.
oids() { sed -n 's/^\(\.[0-9.]*\) = .*/\1/p' "$1"; }
# stable FILE: the lines whose values may not change with time (uptimes,
# counters, ages, snapshot age) in a frozen snapshot.
stable() {
	grep '^\.' "$1" | grep -v -e ' = No more variables left' \
	    -e "^\\.$SYS\\.3\\.0 " -e "^\\.$SNMPC\\." -e "^\\.$HR\\.1\\.[12]\\.0 " \
	    -e "^\\.$PT\\.1\\.1\\.11\\.0 " -e "^\\.$PT\\.1\\.1\\.13\\.0 " \
	    -e "^\\.$PT\\.1\\.3\\.1\\.8\\." -e "^\\.$PT\\.1\\.4\\.1\\.4\\."
}
# pids_of FILE COLUMN-OID: the indexes of one table column, sorted as text
# (for comm).
pids_of() { sed -n "s/^\\.$2\\.\\([0-9]*\\) = .*/\\1/p" "$1" | sort; }
# rows_match NAME ROWS BEFORE AFTER: a table's pids (sorted as text, like
# the lists) against /proc listed before and after its walk.  Every
# process alive at both ends was alive throughout, so it must be there (2
# allowed for pid reuse); a row of neither list is a process that lived
# only during the walk, so their number is bounded by the churn seen.
rows_match() {
	comm -12 "$3" "$4" >"$T_TMP/stable"
	sort -m -u "$3" "$4" >"$T_TMP/union"
	missing=$(comm -23 "$T_TMP/stable" "$2" | wc -l)
	extra=$(comm -23 "$2" "$T_TMP/union" | wc -l)
	churn=$(comm -3 "$3" "$4" | wc -l)
	check_int "$1: every lasting process listed ($(wc -l <"$T_TMP/stable") lasting)" \
	    "$missing" -le 2
	check_int "$1: rows of no process within the churn ($churn)" \
	    "$extra" -le $((churn + 5))
}

W="-t 5 -r 1 -On"

# ---- a frozen agent: one snapshot for the whole test ----
PORT=$(free_port)
ADDR=127.0.0.1:$PORT
agent_conf "$T_TMP/frozen.yaml" "$PORT"
sed -i 's/^cache_ttl_ms: .*/cache_ttl_ms: 600000/' "$T_TMP/frozen.yaml"
agent_start "$T_TMP/frozen.yaml" "$ADDR"
FPID=$AGENT_PID

# shellcheck disable=SC2086
snmpwalk -v2c -c public $W "udp:$ADDR" 1.3.6.1 >"$T_TMP/w2" 2>"$T_TMP/w2.err"
check_eq "v2c snmpwalk of 1.3.6.1 exits 0" "$?" 0
check_eq "v2c snmpwalk: no complaint" "$(cat "$T_TMP/w2.err")" ""
n2=$(grep -c '^\.' "$T_TMP/w2")
check_int "v2c walk has many objects" "$n2" -gt 100
check_match "v2c walk strictly increasing" "$(increasing "$T_TMP/w2")" '^ok'
check_match "v2c walk ends in endOfMibView" "$(tail -n 1 "$T_TMP/w2")" \
    'No more variables left in this MIB View'
for o in $SYS.1.0 $SYS.7.0 $SNMPC.1.0 $SNMPC.32.0 $HR.1.1.0 $HR.1.6.0 \
    $HR.1.7.0 $PT.1.1.1.0 $PT.1.1.9.0 $PT.1.1.13.0 $PT.1.2.1.0 $PT.1.2.3.0 \
    $HR.4.2.1.1.$FPID $HR.5.1.1.2.$FPID $PT.1.3.1.2.$FPID $PT.1.3.1.9.$FPID; do
	check_cmd "walk has .$o" grep -q "^\\.$o = " "$T_TMP/w2"
done
check_eq "no noSuch* inside a walk" \
    "$(grep -c 'No Such' "$T_TMP/w2")" 0

# shellcheck disable=SC2086
snmpwalk -v1 -c public $W "udp:$ADDR" 1.3.6.1 >"$T_TMP/w1" 2>"$T_TMP/w1.err"
check_eq "v1 snmpwalk exits 0" "$?" 0
check_match "v1 walk strictly increasing" "$(increasing "$T_TMP/w1")" '^ok'
check_match "v1 walk ends in End of MIB" "$(tail -n 1 "$T_TMP/w1")" 'End of MIB'
check_eq "v1 walk has no Counter64 (RFC 2576 4.2.2.1)" \
    "$(grep -c '= Counter64:' "$T_TMP/w1")" 0
grep -v '= Counter64:' "$T_TMP/w2" >"$T_TMP/w2no64"
stable "$T_TMP/w2no64" >"$T_TMP/s2"
stable "$T_TMP/w1" >"$T_TMP/s1"
check_eq "v1 walk = v2c walk without Counter64" \
    "$(diff "$T_TMP/s1" "$T_TMP/s2" | head -5)" ""

stable "$T_TMP/w2" >"$T_TMP/s2"
oids "$T_TMP/w2" >"$T_TMP/o2"
for r in 1 7 25 100 1000; do
	# shellcheck disable=SC2086
	snmpbulkwalk -v2c -c public $W -Cr$r "udp:$ADDR" 1.3.6.1 >"$T_TMP/b$r" \
	    2>"$T_TMP/b$r.err"
	check_eq "snmpbulkwalk -Cr$r exits 0" "$?" 0
	check_eq "snmpbulkwalk -Cr$r: no complaint" "$(cat "$T_TMP/b$r.err")" ""
	check_match "bulkwalk -Cr$r strictly increasing" \
	    "$(increasing "$T_TMP/b$r")" '^ok'
	oids "$T_TMP/b$r" >"$T_TMP/ob"
	check_eq "bulkwalk -Cr$r OIDs = walk OIDs" \
	    "$(diff "$T_TMP/o2" "$T_TMP/ob" | head -5)" ""
	stable "$T_TMP/b$r" >"$T_TMP/sb"
	check_eq "bulkwalk -Cr$r values = walk values" \
	    "$(diff "$T_TMP/s2" "$T_TMP/sb" | head -5)" ""
done

# Subtree walks start and stop where they should.
# shellcheck disable=SC2086
snmpbulkwalk -v2c -c public $W "udp:$ADDR" $PT.1.1 >"$T_TMP/pts" 2>&1
check_eq "bulkwalk ptSystem: 13 objects" "$(grep -c "^\\.$PT\\.1\\.1\\." "$T_TMP/pts")" 13
check_eq "bulkwalk ptSystem: nothing else" "$(grep -c '^\.' "$T_TMP/pts")" 13
# shellcheck disable=SC2086
snmpwalk -v2c -c public $W "udp:$ADDR" $PT.1.2 >"$T_TMP/pta" 2>&1
check_eq "walk ptAgent: 8 scalars, then ptAgentx's 6" "$(oids "$T_TMP/pta" | tr '\n' ' ')" \
    ".$PT.1.2.1.0 .$PT.1.2.2.0 .$PT.1.2.3.0 .$PT.1.2.5.0 .$PT.1.2.6.0 .$PT.1.2.7.0 .$PT.1.2.8.0 .$PT.1.2.9.0 .$PT.1.2.10.1.0 .$PT.1.2.10.2.0 .$PT.1.2.10.3.0 .$PT.1.2.10.4.0 .$PT.1.2.10.5.0 .$PT.1.2.10.6.0 "

# The snapshot is cached: a process started now is not in the table.
sleep 30 &
SLEEP=$!
t_track "$SLEEP"
# shellcheck disable=SC2086
snmpbulkwalk -v2c -c public $W "udp:$ADDR" $PT.1.3.1.4 >"$T_TMP/f2" 2>&1
check_eq "cached snapshot: new process not listed" \
    "$(grep -c "^\\.$PT\\.1\\.3\\.1\\.4\\.$SLEEP " "$T_TMP/f2")" 0
check_eq "cached snapshot: same ptProcName column as before" \
    "$(grep "^\\.$PT\\.1\\.3\\.1\\.4\\." "$T_TMP/w2" | diff - "$T_TMP/f2" | head -3)" ""
kill "$SLEEP" 2>/dev/null
wait "$SLEEP" 2>/dev/null
alive "frozen agent alive" "$FPID"
agent_stop "$FPID"

# ---- a live agent (cache 200 ms): one row per process ----
agent_up "$T_TMP/live.yaml"
LPID=$APID
# A snapshot begun after the list: it includes the agent itself too.
proc_pids >"$T_TMP/before"
agent_fresh
# shellcheck disable=SC2086
snmpbulkwalk -v2c -c public $W "udp:$ADDR" $PT.1.3 >"$T_TMP/pt" 2>&1
# shellcheck disable=SC2086
snmpbulkwalk -v2c -c public $W "udp:$ADDR" $HR.4.2 >"$T_TMP/hr" 2>&1
proc_pids >"$T_TMP/after"
check_match "ptProcTable walk increasing" "$(increasing "$T_TMP/pt")" '^ok'
check_match "hrSWRunTable walk increasing" "$(increasing "$T_TMP/hr")" '^ok'
pids_of "$T_TMP/pt" "$PT.1.3.1.4" >"$T_TMP/ptpids"
pids_of "$T_TMP/hr" "$HR.4.2.1.2" >"$T_TMP/hrpids"
rows_match "ptProcTable" "$T_TMP/ptpids" "$T_TMP/before" "$T_TMP/after"
rows_match "hrSWRunTable" "$T_TMP/hrpids" "$T_TMP/before" "$T_TMP/after"
check_cmd "pid 1 in ptProcTable" grep -qx 1 "$T_TMP/ptpids"
check_cmd "the agent in ptProcTable" grep -qx "$LPID" "$T_TMP/ptpids"
check_eq "agent's ptProcName" \
    "$(sed -n "s/^\\.$PT\\.1\\.3\\.1\\.4\\.$LPID = //p" "$T_TMP/pt")" \
    'STRING: "proctel-agent"'
check_eq "agent's ptProcPpid" \
    "$(sed -n "s/^\\.$PT\\.1\\.3\\.1\\.2\\.$LPID = //p" "$T_TMP/pt")" \
    "INTEGER: $$"
check_eq "agent's ptProcUid" \
    "$(sed -n "s/^\\.$PT\\.1\\.3\\.1\\.5\\.$LPID = //p" "$T_TMP/pt")" \
    "Gauge32: $(id -u)"
check_match "ptProcCmdline empty without expose_cmdline" \
    "$(sed -n "s/^\\.$PT\\.1\\.3\\.1\\.9\\.$LPID = //p" "$T_TMP/pt")" \
    '^(STRING: *(""|)|"")$'
for c in 2 3 5 6 7 8 9; do
	pids_of "$T_TMP/pt" "$PT.1.3.1.$c" >"$T_TMP/col"
	rows_match "ptProcTable column $c" "$T_TMP/col" "$T_TMP/before" "$T_TMP/after"
done
check_eq "ptProcTable has no column 1 (not-accessible) or 10" \
    "$(grep -c -e "^\\.$PT\\.1\\.3\\.1\\.1\\." -e "^\\.$PT\\.1\\.3\\.1\\.10\\." "$T_TMP/pt")" 0
bad=$(sed -n "s/^\\.$PT\\.1\\.3\\.1\\.3\\.[0-9]* = INTEGER: //p" "$T_TMP/pt" |
    grep -vc '^[1-7]$')
check_eq "every ptProcState is 1..7" "$bad" 0
bad=$(sed -n "s/^\\.$HR\\.4\\.2\\.1\\.1\\.\\([0-9]*\\) = INTEGER: \\([0-9]*\\)\$/\\1 \\2/p" \
    "$T_TMP/hr" | awk '$1 != $2' | wc -l)
check_eq "every hrSWRunIndex equals its pid" "$bad" 0
bad=$(grep "^\\.$HR\\.4\\.2\\.1\\.3\\." "$T_TMP/hr" | grep -vc '= OID: \.0\.0$')
check_eq "every hrSWRunID is 0.0" "$bad" 0
bad=$(sed -n "s/^\\.$HR\\.4\\.2\\.1\\.7\\.[0-9]* = INTEGER: //p" "$T_TMP/hr" |
    grep -vc '^[1-4]$')
check_eq "every hrSWRunStatus is 1..4" "$bad" 0
bad=$(sed -n "s/^\\.$HR\\.4\\.2\\.1\\.6\\.[0-9]* = INTEGER: //p" "$T_TMP/hr" |
    grep -vc '^[1-4]$')
check_eq "every hrSWRunType is 1..4" "$bad" 0
proc_pids >"$T_TMP/before"
agent_fresh
# shellcheck disable=SC2086
snmpbulkwalk -v2c -c public $W "udp:$ADDR" $HR.5.1 >"$T_TMP/perf" 2>&1
proc_pids >"$T_TMP/after"
pids_of "$T_TMP/perf" "$HR.5.1.1.2" >"$T_TMP/perfpids"
rows_match "hrSWRunPerfTable" "$T_TMP/perfpids" "$T_TMP/before" "$T_TMP/after"
check_match "agent's hrSWRunPerfMem in KB" \
    "$(grep "^\\.$HR\\.5\\.1\\.1\\.2\\.$LPID " "$T_TMP/perf")" '= INTEGER: [1-9][0-9]*'

# ---- snmptable by MIB names (our stubs, and the IETF modules if cached) ----
cache=${PROCTEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/proctel}
dirs="mibs:mibs/stubs:/usr/share/snmp/mibs"
[ -f "$cache/ietf-mibs/SNMPv2-SMI" ] && dirs="mibs:$cache/ietf-mibs:/usr/share/snmp/mibs"
if command -v snmptable >/dev/null 2>&1 && [ -f mibs/PROCTEL-MIB.txt ]; then
	snmptable -v2c -c public -t 5 -r 1 -Ci -Cf '|' -M "$dirs" -m PROCTEL-MIB \
	    "udp:$ADDR" PROCTEL-MIB::ptProcTable >"$T_TMP/tbl" 2>&1
	check_eq "snmptable ptProcTable exits 0" "$?" 0
	check_match "snmptable header names the columns" "$(cat "$T_TMP/tbl")" \
	    'index\|ptProcPpid\|ptProcState\|ptProcName\|ptProcUid\|ptProcThreads\|ptProcRss\|ptProcAge\|ptProcCmdline'
	check_match "snmptable row of the agent" "$(grep "^$LPID|" "$T_TMP/tbl")" \
	    "^$LPID\\|$$\\|[a-z]+\\|proctel-agent\\|"
	rows=$(grep -c '^[0-9][0-9]*|' "$T_TMP/tbl")
	d=$((rows - $(wc -l <"$T_TMP/after")))
	check_int "snmptable rows near /proc's count" "${d#-}" -le 10
else
	skip "snmptable of ptProcTable" "snmptable or mibs/PROCTEL-MIB.txt missing"
fi

# proctel-agent(8): "under 3 MB with 1500 processes" resident; after all
# the walks above, the peak (VmHWM) must be within that with this host's.
# A sanitizer build's shadow memory says nothing about the real agent.
nproc=$(wc -l <"$T_TMP/after")
if [ "$nproc" -gt 1500 ]; then
	skip "peak RSS under 3 MB" "$nproc processes, the bound is stated for 1500"
else
	check_peak_rss "peak RSS under 3 MB with $nproc processes" "$LPID" \
	    "$AGENT" 3072
fi

alive "live agent alive" "$LPID"
finish
