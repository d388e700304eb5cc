#!/bin/sh
# agent_hostile: proctel-agent against what a hostile network or host
# throws at it (issue 8): a flood of GETBULKs from one source, as forged
# requests would aim replies at a victim, is cut to that source's reply
# budget and counted (ptAgentReplyDrops, snmpSilentDrops) while another
# source is answered in full; GETBULK is capped at max_bulk_varbinds; a v1
# tooBig echoes the request's varbinds (RFC 1157 4.1.2); and command lines
# are held to cmdline_budget_bytes, with the cuts counted and the peak RSS
# small.  Root-only cases (hidepid, reload after the drop, broadcast) are
# in agent_root.sh.
. tests/integration/lib.sh
. tests/integration/agent.inc

# sum_replies FILE: "COUNT BYTES" of the replies sendraw printed.
sum_replies() {
	awk '/^reply len=/ { n++; sub(/^reply len=/, ""); b += $1 }
	    END { printf "%d %d\n", n, b }' "$1"
}

# ---- reflection: a flood from one source, cut to its budget ----
PORT=$(free_port)
ADDR=127.0.0.1:$PORT
agent_conf "$T_TMP/flood.yaml" "$PORT"
# 100 octets a second after a burst of 10000; loopback is exempt by
# default (no outside host can forge it), so not here.
cat >>"$T_TMP/flood.yaml" <<EOF
reply_budget: {bytes_per_second: 100, burst_bytes: 10000, exempt: []}
EOF
agent_start "$T_TMP/flood.yaml" "$ADDR"
APID=$AGENT_PID
drops0=$(counter 31)
t0=$(date +%s)
# 100 GETBULKs of the whole tree: each reply fills 1472 octets.
$SENDRAW 127.0.0.1 "$PORT" 1.3.6.1 --bind 127.0.0.2 --pdu getbulk \
    --maxrep 50 --count 100 --wait 3 >"$T_TMP/flood.out" 2>&1
t1=$(date +%s)
set -- $(sum_replies "$T_TMP/flood.out")
n=$1 bytes=$2
check_int "flood: some replies within the burst" "$n" -gt 0
check_int "flood: most requests unanswered ($n answered)" "$n" -lt 20
check_int "flood: reply octets within burst + rate x time ($bytes)" \
    "$bytes" -le $((10000 + 100 * (t1 - t0 + 1)))
check_eq "flood: ptAgentReplyDrops counts every unanswered one" \
    "$(val "$PT.1.2.5.0")" $((100 - n))
drops1=$(counter 31)
check_eq "flood: each also in snmpSilentDrops" "$((drops1 - drops0))" \
    $((100 - n))
# Another source is answered in full: five of the same, and a walk.
$SENDRAW 127.0.0.1 "$PORT" 1.3.6.1 --bind 127.0.0.3 --pdu getbulk \
    --maxrep 50 --count 5 --wait 3 >"$T_TMP/other.out" 2>&1
check_eq "another source: all 5 answered" \
    "$(sum_replies "$T_TMP/other.out" | cut -d' ' -f1)" 5
snmpwalk -v2c -c public -t 2 -r 0 -On --clientaddr=127.0.0.3 "udp:$ADDR" \
    "$SYS" >"$T_TMP/walk3" 2>&1
check_eq "another source: a walk of the system group completes" "$?" 0
check_eq "another source: its walk dropped nothing" "$(val "$PT.1.2.5.0")" \
    $((100 - n))
alive "flooded agent alive" "$APID"
agent_stop "$APID"

# ---- GETBULK cap and v1 tooBig, with a small message size ----
agent_up "$T_TMP/small.yaml" 484
SPID=$APID
# 20 x sysDescr.0 (over 60 octets each) cannot fit 484; their names can.
$SENDRAW 127.0.0.1 "$PORT" $SYS.1.0 --repeat 20 -v 1 >"$T_TMP/v1" 2>&1
check_match "v1 tooBig echoes the request's 20 varbinds" \
    "$(grep '^reply' "$T_TMP/v1")" 'status=1 index=0 varbinds=20$'
check_eq "v1 tooBig: each echoed varbind is the asked name" \
    "$(grep -c "^  \\.1\\.3\\.6\\.1\\.2\\.1\\.1\\.1\\.0 NULL" "$T_TMP/v1")" 20
$SENDRAW 127.0.0.1 "$PORT" $SYS.1.0 --repeat 20 -v 2c >"$T_TMP/v2" 2>&1
check_match "v2c tooBig carries no varbinds (RFC 3416 4.2.1)" \
    "$(grep '^reply' "$T_TMP/v2")" 'status=1 index=0 varbinds=0$'
agent_stop "$SPID"

# GETBULK stops at max_bulk_varbinds (100 by default), however large the
# message may be.
agent_up "$T_TMP/big.yaml" 65507
BPID=$APID
$SENDRAW 127.0.0.1 "$PORT" 1.3.6.1 --pdu getbulk --maxrep 1000 \
    >"$T_TMP/bulk" 2>&1
check_match "GETBULK of 1000 repetitions stops at 100 varbinds" \
    "$(grep '^reply' "$T_TMP/bulk")" 'status=0 index=0 varbinds=100$'
agent_stop "$BPID"

# ---- command lines within cmdline_budget_bytes ----
if command -v bash >/dev/null 2>&1; then
	# 150 processes whose argv[0] is 3000 octets long.
	long=$(printf '%03000d' 0)
	i=0
	while [ $i -lt 150 ]; do
		bash -c 'exec -a "$0" sleep 60' "/x$long" &
		t_track $!
		i=$((i + 1))
	done
	PORT=$(free_port)
	ADDR=127.0.0.1:$PORT
	agent_conf "$T_TMP/cmd.yaml" "$PORT"
	sed -i 's/^expose_cmdline: .*/expose_cmdline: true/' "$T_TMP/cmd.yaml"
	printf 'cmdline_budget_bytes: 20000\n' >>"$T_TMP/cmd.yaml"
	agent_start "$T_TMP/cmd.yaml" "$ADDR"
	CPID=$AGENT_PID
	agent_fresh
	snmpbulkwalk -v2c -c public -t 5 -r 1 -On -Oqv "udp:$ADDR" \
	    "$PT.1.3.1.9" >"$T_TMP/cmdlines" 2>&1
	check_eq "walk of ptProcCmdline exits 0" "$?" 0
	total=$(awk '{ gsub(/^"|"$/, ""); n += length($0) } END { print n + 0 }' \
	    "$T_TMP/cmdlines")
	check_int "the command lines served total at most the budget ($total)" \
	    "$total" -le 20000
	check_int "some long command lines are served" \
	    "$(grep -c '^"/x000' "$T_TMP/cmdlines")" -gt 0
	check_int "ptAgentCmdlineCuts counts the cuts" "$(val "$PT.1.2.7.0")" -gt 0
	check_peak_rss "peak RSS under 3 MB with 150 long command lines" \
	    "$CPID" "$AGENT" 3072
	alive "agent with command lines alive" "$CPID"
	agent_stop "$CPID"
else
	skip "command line budget" "bash not installed"
fi

finish
