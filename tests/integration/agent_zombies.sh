#!/bin/sh
# agent_zombies: real zombies from build/tools/zombie_maker, seen through
# proctel-agent with net-snmp's tools: ptZombies, ptZombieParents, the
# ptZombieParentTable row of the maker, ptProcState/ptProcPpid of each
# child, hrSWRunStatus invalid(4); then, once the maker reaps them, the row
# and the children are gone.  It does not test zombies of other users or
# the ages beyond "sane" (no timing in pass/fail).
. tests/integration/lib.sh
. tests/integration/agent.inc

MAKER=$BUILD/tools/zombie_maker
[ -x "$MAKER" ] || skip_all "$MAKER not built (make $MAKER)"

NAME=ptzombietest
N=5
start=$(date +%s)

agent_up "$T_TMP/agent.yaml"

zombie_maker_start "$NAME" "$N" 60
line=$(head -n 1 "$T_TMP/maker.out")
set -- $line
check_eq "zombie_maker prints its own pid first" "$1" "$ZPID"
shift
KIDS="$*"
check_eq "zombie_maker forked $N children" "$#" "$N"
# The children exit at once; wait until the kernel shows them as Z.
i=0
while [ $i -lt 50 ]; do
	nz=0
	for k in $KIDS; do
		st=$(sed -n 's/^[0-9]* (.*) \([A-Za-z]\) .*/\1/p' "/proc/$k/stat" 2>/dev/null)
		[ "$st" = Z ] && nz=$((nz + 1))
	done
	[ $nz -eq "$N" ] && break
	sleep 0.1
	i=$((i + 1))
done
check_eq "/proc shows $N zombies" "$nz" "$N"
agent_fresh	# a snapshot taken since they became zombies

# One request, one snapshot: the two ages below are comparable.
out=$(v2 $PT.1.1.6.0 $PT.1.1.10.0 $PT.1.1.11.0 $PT.1.4.1.4.$ZPID)
z=$(printf '%s\n' "$out" | sed -n "s/^\\.$PT\\.1\\.1\\.6\\.0 = Gauge32: //p")
zp=$(printf '%s\n' "$out" | sed -n "s/^\\.$PT\\.1\\.1\\.10\\.0 = Gauge32: //p")
za=$(printf '%s\n' "$out" | sed -n "s/^\\.$PT\\.1\\.1\\.11\\.0 = Gauge32: //p")
check_int "ptZombies >= $N" "${z:-x}" -ge "$N"
check_int "ptZombieParents >= 1" "${zp:-x}" -ge 1
# Gauge32 cannot be negative: -ge 0 checks that a number came back.
check_int "ptOldestZombieAge is a number" "${za:-x}" -ge 0

# The maker's row of ptZombieParentTable.
check_eq "ptZpName of the maker" "$(v2 $PT.1.4.1.2.$ZPID)" \
    ".$PT.1.4.1.2.$ZPID = STRING: \"$NAME\""
check_eq "ptZpZombies of the maker" "$(v2 $PT.1.4.1.3.$ZPID)" \
    ".$PT.1.4.1.3.$ZPID = Gauge32: $N"
age=$(val $PT.1.4.1.4.$ZPID)
elapsed=$(($(date +%s) - start))
check_int "ptZpOldestAge is a number" "${age:-x}" -ge 0
check_int "ptZpOldestAge no more than the test's age (+2 s)" "${age:-x}" -le $((elapsed + 2))
# Both from one request, so from one snapshot.
out=$(v2 $PT.1.1.11.0 $PT.1.4.1.4.$ZPID)
za=$(printf '%s\n' "$out" | sed -n "s/^\.$PT\.1\.1\.11\.0 = Gauge32: //p")
age=$(printf '%s\n' "$out" | sed -n "s/^\.$PT\.1\.4\.1\.4\.$ZPID = Gauge32: //p")
check_int "ptOldestZombieAge >= the maker's" "${za:-x}" -ge "${age:-x}"
# shellcheck disable=SC2086
snmpbulkwalk -v2c -c public -t 5 -r 1 -On "udp:$ADDR" $PT.1.4 >"$T_TMP/zp" 2>&1
check_eq "walk of ptZombieParentTable has the maker's 3 columns" \
    "$(grep -v 'No more variables' "$T_TMP/zp" |
    grep -c "^\\.$PT\\.1\\.4\\.1\\.[234]\\.$ZPID = ")" 3
rows=$(grep -v 'No more variables' "$T_TMP/zp" |
    sed -n "s/^\\.$PT\\.1\\.4\\.1\\.2\\.\\([0-9]*\\) = .*/\\1/p" | wc -l)
check_int "ptZombieParentTable rows <= ptZombieParents + churn" "$rows" -le $((zp + 5))
check_eq "maker is sleeping(2)" "$(val $PT.1.3.1.3.$ZPID)" 2

for k in $KIDS; do
	check_eq "child $k ptProcState zombie(5)" "$(v2 $PT.1.3.1.3.$k)" \
	    ".$PT.1.3.1.3.$k = INTEGER: 5"
	check_eq "child $k ptProcPpid is the maker" "$(v2 $PT.1.3.1.2.$k)" \
	    ".$PT.1.3.1.2.$k = INTEGER: $ZPID"
	check_eq "child $k ptProcName" "$(v2 $PT.1.3.1.4.$k)" \
	    ".$PT.1.3.1.4.$k = STRING: \"$NAME\""
	check_eq "child $k hrSWRunStatus invalid(4)" "$(v2 $HR.4.2.1.7.$k)" \
	    ".$HR.4.2.1.7.$k = INTEGER: 4"
	check_eq "child $k ptProcRss 0" "$(v2 $PT.1.3.1.7.$k)" \
	    ".$PT.1.3.1.7.$k = Gauge32: 0"
done
alive "agent alive with zombies" "$APID"

# ---- reap: the row and the children disappear ----
kill -USR1 "$ZPID"
i=0
while [ $i -lt 50 ] && ! grep -q reaped "$T_TMP/maker.out"; do
	sleep 0.1
	i=$((i + 1))
done
check_match "zombie_maker reaped" "$(cat "$T_TMP/maker.out")" reaped
# Poll (bounded) until a snapshot newer than the reaping is served.
i=0
while [ $i -lt 30 ]; do
	sleep 0.25
	out=$(v2 $PT.1.4.1.3.$ZPID)
	case "$out" in *"No Such"*) break ;; esac
	i=$((i + 1))
done
check_match "maker's ptZombieParentTable row gone" "$out" \
    'No Such Instance currently exists'
for k in $KIDS; do
	check_match "child $k gone from ptProcTable" "$(v2 $PT.1.3.1.3.$k)" \
	    'No Such Instance currently exists'
	check_match "child $k gone from hrSWRunTable" "$(v2 $HR.4.2.1.7.$k)" \
	    'No Such Instance currently exists'
done
# shellcheck disable=SC2086
snmpbulkwalk -v2c -c public -t 5 -r 1 -On "udp:$ADDR" $PT.1.4 >"$T_TMP/zp2" 2>&1
check_eq "walk of ptZombieParentTable: no maker row" \
    "$(grep -c "^\\.$PT\\.1\\.4\\.1\\.[0-9]*\\.$ZPID = " "$T_TMP/zp2")" 0
check_eq "maker still listed in ptProcTable" "$(val $PT.1.3.1.4.$ZPID)" "\"$NAME\""

kill -TERM "$ZPID"
wait "$ZPID" 2>/dev/null
alive "agent alive at the end" "$APID"
finish
