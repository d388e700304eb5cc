#!/bin/sh
# mib_lint: mibs/PROCTEL-MIB.txt against the OID contract, snmp/contract.h
# (printed by build/tools/contract).
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
# name, OID and syntax as snmptranslate -Td prints it ("-" for a node),
# from the one source of the OID contract, snmp/contract.h.
CONTRACT=$BUILD/tools/contract
[ -x "$CONTRACT" ] || skip_all "$CONTRACT not built (make tools)"
"$CONTRACT" proctelMIB >"$T_TMP/contract.all" ||
    fail "tools/contract prints the contract"
contract=$(awk '$1 != "proctelMIB" { print $1, $2, $3 }' "$T_TMP/contract.all")

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

# The contract must hold at least the objects published so far (a lost
# row would silently check less), and every object the MIB file defines
# must be in it: the file may not grow objects the agent never serves.
n=$(printf '%s\n' "$contract" | grep -c '^pt')
check_int "the contract has at least the 33 published pt objects" "$n" -ge 33
sed -n 's/^\([a-zA-Z][a-zA-Z0-9]*\)[[:space:]]\{1,\}\(OBJECT-TYPE\|OBJECT IDENTIFIER\|OBJECT-IDENTITY\).*/\1/p' \
    mibs/PROCTEL-MIB.txt | sort -u >"$T_TMP/mib-objects"
check_int "the MIB file defines objects" "$(wc -l <"$T_TMP/mib-objects")" -ge 33
extra=$(while read -r name; do
	case "$name" in
	proctelConformance|ptCompliances|ptGroups) continue ;;
	esac
	awk -v n="$name" '$1 == n { found = 1 } END { exit !found }' \
	    "$T_TMP/contract.all" || echo "$name"
done <"$T_TMP/mib-objects")
check_eq "every object of the MIB file is in the contract" "$extra" ""

# Every proctel OID written in dotted form in the tree's sources, configs
# and documents must name something of the contract: an object, a scalar's
# instance .0, a column with an index, or something under
# proctelConformance.  A sub-identifier too few or too many (a default
# metric that asks for nothing) fails here.  Tests are left out: they ask
# for wrong OIDs on purpose, and snmp/contract.h is the contract itself.
awk '{ print $2 }' "$T_TMP/contract.all" >"$T_TMP/valid"
awk '$4 == "scalar" { print $2 ".0" }' "$T_TMP/contract.all" >>"$T_TMP/valid"
awk '$4 == "column" { print $2 }' "$T_TMP/contract.all" >"$T_TMP/columns"
grep -rnoP '1\.3\.6\.1\.4\.1\.8072\.9999\.9999\.1(\.[0-9]+)*(?![0-9])' config collector agent snmp lib \
    docs dist mibs/README.md README.md 2>/dev/null |
    grep -v '^snmp/contract\.h:' >"$T_TMP/mentions"
n=$(wc -l <"$T_TMP/mentions")
check_int "the tree mentions proctel OIDs" "$n" -gt 0
bad=$(while IFS=: read -r file line oid; do
	grep -qxF "$oid" "$T_TMP/valid" && continue
	case "$oid" in "$B.2"|"$B.2."*) continue ;; esac
	col=${oid%.*}
	idx=${oid##*.}
	grep -qxF "$col" "$T_TMP/columns" && [ -n "$idx" ] && continue
	echo "$file:$line: $oid"
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
