#!/bin/sh
# mib_lint: mibs/PROCTEL-MIB.txt against the OID contract of DESIGN.md.
# smilint -l 3 must report no error; net-snmp's snmptranslate must resolve
# every object name to the contract's number, with the contract's syntax,
# both with the IETF base modules from the cache (dist/deps.sh) and with
# only our stubs in mibs/stubs.  Needs no agent.  It does not judge
# DESCRIPTION wording, and the smilint part is skipped when the IETF base
# modules are not in the cache.
. tests/integration/lib.sh

command -v snmptranslate >/dev/null 2>&1 || skip_all "snmptranslate not installed"
[ -f mibs/PROCTEL-MIB.txt ] || skip_all "mibs/PROCTEL-MIB.txt missing"

cache=${PROCTEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/proctel}
ietf=$cache/ietf-mibs
netsnmp=/usr/share/snmp/mibs	# NET-SNMP-MIB (netSnmpPlaypen), libsnmp-base

# Keep net-snmp away from /etc/snmp/snmp.conf and /var/lib/snmp.
SNMPCONFPATH=$T_TMP
SNMP_PERSISTENT_DIR=$T_TMP
MIBS=
export SNMPCONFPATH SNMP_PERSISTENT_DIR MIBS

B=1.3.6.1.4.1.8072.9999.9999.1
# name, OID (DESIGN.md "The OID contract"), syntax as snmptranslate -Td
# prints it ("-" for a node with no SYNTAX).
contract="
ptProcesses $B.1.1.1 Gauge32
ptRunning $B.1.1.2 Gauge32
ptSleeping $B.1.1.3 Gauge32
ptDiskSleep $B.1.1.4 Gauge32
ptStopped $B.1.1.5 Gauge32
ptZombies $B.1.1.6 Gauge32
ptIdle $B.1.1.7 Gauge32
ptThreads $B.1.1.8 Gauge32
ptForks $B.1.1.9 Counter64
ptZombieParents $B.1.1.10 Gauge32
ptOldestZombieAge $B.1.1.11 Gauge32
ptPidMax $B.1.1.12 Gauge32
ptSnapshotAge $B.1.1.13 Gauge32
ptAgentPid $B.1.2.1 Integer32
ptAgentPpid $B.1.2.2 Integer32
ptAgentVersion $B.1.2.3 DisplayString
ptAgentOID $B.1.2.4 -
ptAgentReplyDrops $B.1.2.5 Counter32
ptAgentProcView $B.1.2.6 INTEGER
ptAgentCmdlineCuts $B.1.2.7 Counter32
ptAgentSnapshots $B.1.2.8 Counter32
ptAgentSnapshotCpu $B.1.2.9 Gauge32
ptProcTable $B.1.3 -
ptProcEntry $B.1.3.1 -
ptProcPid $B.1.3.1.1 Integer32
ptProcPpid $B.1.3.1.2 Integer32
ptProcState $B.1.3.1.3 INTEGER
ptProcName $B.1.3.1.4 DisplayString
ptProcUid $B.1.3.1.5 Unsigned32
ptProcThreads $B.1.3.1.6 Gauge32
ptProcRss $B.1.3.1.7 Gauge32
ptProcAge $B.1.3.1.8 Gauge32
ptProcCmdline $B.1.3.1.9 DisplayString
ptZombieParentTable $B.1.4 -
ptZombieParentEntry $B.1.4.1 -
ptZpPid $B.1.4.1.1 Integer32
ptZpName $B.1.4.1.2 DisplayString
ptZpZombies $B.1.4.1.3 Gauge32
ptZpOldestAge $B.1.4.1.4 Gauge32
"

# syntax_of DESC: the type snmptranslate -Td shows, the TC name when any.
syntax_of() {
	tc=$(printf '%s\n' "$1" | sed -n 's/^ *-- TEXTUAL CONVENTION \([A-Za-z0-9-]*\).*/\1/p')
	if [ -n "$tc" ]; then echo "$tc"; return; fi
	s=$(printf '%s\n' "$1" | sed -n 's/^ *SYNTAX[[:space:]]*\([A-Za-z0-9]*\).*/\1/p')
	echo "${s:--}"
}

# resolve LABEL MIBDIRS: every name, number and syntax of the contract.
resolve() {
	label=$1 dirs=$2
	# Read from a file, not a pipe: a piped loop runs in a subshell and
	# its pass/fail counts would be lost.
	printf '%s\n' "$contract" >"$T_TMP/contract"
	while read -r name oid syn; do
		[ -n "$name" ] || continue
		got=$(snmptranslate -M "$dirs" -m PROCTEL-MIB -On \
		    "PROCTEL-MIB::$name" 2>"$T_TMP/err")
		check_eq "$label: $name is .$oid" "$got" ".$oid"
		desc=$(snmptranslate -M "$dirs" -m PROCTEL-MIB -Td \
		    "PROCTEL-MIB::$name" 2>/dev/null)
		check_eq "$label: $name syntax" "$(syntax_of "$desc")" "$syn"
		back=$(snmptranslate -M "$dirs" -m PROCTEL-MIB -OS "$oid" 2>/dev/null)
		check_eq "$label: .$oid is $name" "$back" "PROCTEL-MIB::$name"
	done <"$T_TMP/contract"
	# Scalars get their instance .0; table columns the pid.
	check_eq "$label: ptZombies.0" "$(snmptranslate -M "$dirs" \
	    -m PROCTEL-MIB -On PROCTEL-MIB::ptZombies.0 2>/dev/null)" ".$B.1.1.6.0"
	check_eq "$label: ptProcName.812" "$(snmptranslate -M "$dirs" \
	    -m PROCTEL-MIB -On PROCTEL-MIB::ptProcName.812 2>/dev/null)" ".$B.1.3.1.4.812"
	d=$(snmptranslate -M "$dirs" -m PROCTEL-MIB -Td PROCTEL-MIB::ptProcEntry 2>/dev/null)
	check_match "$label: ptProcEntry INDEX { ptProcPid }" "$d" 'INDEX[[:space:]]+\{ ptProcPid \}'
	d=$(snmptranslate -M "$dirs" -m PROCTEL-MIB -Td PROCTEL-MIB::ptZombieParentEntry 2>/dev/null)
	check_match "$label: ptZombieParentEntry INDEX { ptZpPid }" "$d" 'INDEX[[:space:]]+\{ ptZpPid \}'
	for n in ptProcPid ptZpPid; do
		d=$(snmptranslate -M "$dirs" -m PROCTEL-MIB -Td "PROCTEL-MIB::$n" 2>/dev/null)
		check_match "$label: $n not-accessible" "$d" 'MAX-ACCESS[[:space:]]+not-accessible'
	done
	d=$(snmptranslate -M "$dirs" -m PROCTEL-MIB -Td PROCTEL-MIB::ptProcState 2>/dev/null)
	check_match "$label: ptProcState enumeration" "$d" \
	    'running\(1\), sleeping\(2\), diskSleep\(3\), stopped\(4\), zombie\(5\), idle\(6\), other\(7\)'
	check_match "$label: ptAgentProcView enumeration" "$(snmptranslate \
	    -M "$dirs" -m PROCTEL-MIB -Td PROCTEL-MIB::ptAgentProcView 2>/dev/null)" \
	    'full\(1\), blind\(2\)'
	for n in ptProcRss:KiB ptProcAge:seconds ptZpOldestAge:seconds \
	    ptAgentSnapshotCpu:microseconds; do
		d=$(snmptranslate -M "$dirs" -m PROCTEL-MIB -Td "PROCTEL-MIB::${n%%:*}" 2>/dev/null)
		check_match "$label: ${n%%:*} UNITS ${n#*:}" "$d" "UNITS[[:space:]]+\"${n#*:}\""
	done
	# The parser's own complaints (unlinked OIDs, missing imports); the
	# real base modules' macro definitions are noted, not complaints.
	out=$(snmptranslate -Pw -Lo -M "$dirs" -m PROCTEL-MIB -On \
	    PROCTEL-MIB::ptZombies.0 2>&1 | grep -v "^\.$B" |
	    grep -v 'MACRO (lines [0-9.]* parsed and ignored)')
	check_eq "$label: net-snmp parser quiet" "$out" ""
}

# The table above must hold every object of the contract (a lost line
# would silently check less).
n=$(printf '%s\n' "$contract" | grep -c '^pt')
check_int "contract table has 39 entries" "$n" -eq 39

# When DESIGN.md is at hand (../shared, see README.md), its table must
# agree with the one above, number and type, row by row.
design=${PROCTEL_DESIGN:-../shared/DESIGN.md}
if [ -f "$design" ]; then
	grep '^| pt' "$design" | awk -F'|' '{ gsub(/ /, "", $2); gsub(/ /, "", $3);
	    split($4, t, " "); print $2, $3, t[1] }' |
	    sed 's/\.0 / /; s/\.P*PID / /; s/(node)$/-/' | grep -v '{' >"$T_TMP/design"
	check_int "DESIGN.md lists the PROCTEL-MIB objects" \
	    "$(wc -l <"$T_TMP/design")" -ge 28
	while read -r name suffix syn; do
		got=$(printf '%s\n' "$contract" | awk -v n="$name" '$1 == n { print $2, $3 }')
		check_eq "DESIGN.md: $name" "$got" "$B$suffix $syn"
	done <"$T_TMP/design"
else
	skip "DESIGN.md cross-check" "$design not found (it lives outside the repository)"
fi

# Every proctel OID written in dotted form in the tree's sources, configs
# and documents must name something of the contract: the module, a group,
# a scalar (with or without its .0), ptAgentOID, a table, an entry, or a
# column (with or without an index).  A sub-identifier too few or too many
# (a default metric that asks for nothing) fails here.  Tests are left out:
# they ask for wrong OIDs on purpose.
valid='^(\.1(\.1(\.([1-9]|1[0-3])(\.0)?)?|\.2(\.[1-35-9](\.0)?|\.4)?|\.3(\.1(\.[1-9](\.[0-9]+)?)?)?|\.4(\.1(\.[1-4](\.[0-9]+)?)?)?)?|\.2(\.[0-9]+)*)?$'
grep -rnoP '1\.3\.6\.1\.4\.1\.8072\.9999\.9999\.1(\.[0-9]+)*(?![0-9])' config collector agent snmp lib \
    docs dist mibs/README.md README.md 2>/dev/null >"$T_TMP/mentions"
n=$(wc -l <"$T_TMP/mentions")
check_int "the tree mentions proctel OIDs" "$n" -gt 0
bad=$(while IFS=: read -r file line oid; do
	suffix=${oid#"$B"}
	printf '%s\n' "$suffix" | grep -Eq "$valid" || echo "$file:$line: $oid"
done <"$T_TMP/mentions")
check_eq "every proctel OID in the tree names a contract object ($n mentions)" \
    "$bad" ""

if [ -f "$ietf/SNMPv2-SMI" ] && command -v smilint >/dev/null 2>&1; then
	out=$(SMIPATH=$ietf:$netsnmp smilint -s -l 3 mibs/PROCTEL-MIB.txt 2>&1)
	check_eq "smilint -l 3: no errors" "$out" ""
	warn=$(SMIPATH=$ietf:$netsnmp smilint -s -l 6 mibs/PROCTEL-MIB.txt 2>&1)
	if [ -n "$warn" ]; then
		echo "smilint warnings (not failures):"
		printf '%s\n' "$warn" | sed 's/^/     /'
	fi
	# smilint must have read our module at all: a broken IMPORTS path
	# would be reported, so prove it with a deliberate error.
	sed 's/ptZombies OBJECT-TYPE/ptZombies OBJECT-TYP/' mibs/PROCTEL-MIB.txt \
	    >"$T_TMP/PROCTEL-MIB"
	out=$(SMIPATH=$ietf:$netsnmp smilint -s -l 3 "$T_TMP/PROCTEL-MIB" 2>&1)
	check_match "smilint sees a planted error" "$out" \
	    'PROCTEL-MIB:[0-9]+: \[[0-9]\] syntax error'
	resolve "ietf" "mibs:$ietf:$netsnmp"
else
	skip "smilint and base-module checks" "IETF base modules not in $ietf (run dist/deps.sh)"
fi

resolve "stubs" "mibs:mibs/stubs:$netsnmp"

finish
