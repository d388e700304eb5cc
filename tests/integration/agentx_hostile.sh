#!/bin/sh
# agentx_hostile: proctel-agent under a master that misbehaves
# (tests/tools/fakemaster.py, one act per connection): a 2 GiB header, a
# little-endian header that says network byte order, a Response cut short
# and never finished, a master that never answers, and a flood of
# requests it does not read.  Meanwhile the agent keeps answering UDP
# every half second; it closes each bad session (Close parseError where a
# session exists), counts the PDUs in ptAgentxBadPdus and the attempts in
# ptAgentxFailures, logs once per session, reconnects each time, and
# answers every request of the flood once the master reads again, and
# gives up on it (Close timeouts) when it does not answer a Ping.
# suite-timeout: 300
. tests/integration/lib.sh
. tests/integration/agent.inc

FAKE="python3 tests/tools/fakemaster.py"
mkdir -p "$T_TMP/ax"
SOCK=$T_TMP/ax/master
MLOG=$T_TMP/master.log
N=20000
$FAKE --unix "$SOCK" --log "$MLOG" --flood $N --stall 3 --time 150 \
    --acts oversized,swapped,truncated,silent,flood,good &
MPID=$!
t_track "$MPID"
check_cmd "the fake master listens" wait_log "$MLOG" '^listening$'

PORT=$(free_port)
ADDR=127.0.0.1:$PORT
agent_conf "$T_TMP/agent.yaml" "$PORT"
printf 'agentx:\n  master: "%s"\n' "$SOCK" >>"$T_TMP/agent.yaml"
agent_start "$T_TMP/agent.yaml" "$ADDR"
APID=$AGENT_PID
LOG=$T_TMP/agent.log

# UDP is polled every half second until the master reaches its last act;
# every poll must be answered.
: >"$T_TMP/polls"
(
	i=0
	while [ $i -lt 160 ] && ! grep -q '^conn 5 ' "$MLOG"; do
		if is_uint "$(snmpget -v2c -c public -t 1 -r 0 -Oqv "udp:$ADDR" \
		    "$PT.1.1.1.0" 2>/dev/null)"; then
			echo ok >>"$T_TMP/polls"
		else
			echo missed >>"$T_TMP/polls"
		fi
		sleep 0.5
		i=$((i + 1))
	done
) &
POLLER=$!
t_track "$POLLER"

# conn N ACT: wait (bounded, 40 s) for the master's line about connection N.
conn() {
	c_i=0
	while [ $c_i -lt 400 ] && ! grep -q "^conn $1 $2: " "$MLOG"; do
		sleep 0.1
		c_i=$((c_i + 1))
	done
	grep "^conn $1 $2: " "$MLOG"
}

check_match "oversized header: Close parseError, then hang-up" \
    "$(conn 1 oversized)" 'Open; Register; Close reason 2; eof after'
check_match "wrong byte order: Close parseError, then hang-up" \
    "$(conn 2 swapped)" 'Open; Register; Close reason 2; eof after'
check_match "a Response never finished: given up, hung up" \
    "$(conn 3 truncated)" 'Open; eof after [4-9]\.'
check_match "no answer at all: given up, hung up" \
    "$(conn 4 silent)" 'eof after [4-9]\.'
check_match "not reading a flood: every request answered once it reads" \
    "$(conn 5 flood)" "flood $N sent $N answered"
check_match "then no answer to our Ping: Close (timeouts)" \
    "$(conn 5 flood)" "answered; Ping; Close reason 4; eof after"
wait "$POLLER" 2>/dev/null
polls=$(grep -c ok "$T_TMP/polls")
check_int "UDP answered all along ($polls polls)" "$polls" -ge 20
check_eq "no UDP poll missed" "$(grep -c missed "$T_TMP/polls")" 0

# The sixth act is a good master: the agent is open again.
i=0
while [ $i -lt 100 ] && [ "$(val "$PT.1.2.10.1.0")" != 5 ]; do
	sleep 0.1
	i=$((i + 1))
done
check_eq "a good master at last: ptAgentxState open(5)" "$(val "$PT.1.2.10.1.0")" 5
check_eq "ptAgentxBadPdus counts the two bad headers" "$(val "$PT.1.2.10.5.0")" 2
check_eq "ptAgentxFailures counts the two sessions never opened" \
    "$(val "$PT.1.2.10.6.0")" 2
check_eq "ptAgentxOpens: four sessions opened" "$(val "$PT.1.2.10.3.0")" 4
check_int "ptAgentxRequests: the flood" "$(val "$PT.1.2.10.4.0")" -ge $N

check_eq "log: one line per bad header" \
    "$(grep -c 'session closed: unreadable PDU from the master' "$LOG")" 2
check_eq "log: the Open that never got an answer, once" \
    "$(grep -c 'no response from the master in time (PDU type 1); retrying' "$LOG")" 1
check_eq "log: four sessions opened" "$(grep -c ": open, session " "$LOG")" 4
check_eq "log: the flood's master never answered our Ping: said once" \
    "$(grep -c 'session closed: no response from the master in time (PDU type 13)' "$LOG")" 1
alive "agent alive" "$APID"
alive "fake master alive" "$MPID"
finish
