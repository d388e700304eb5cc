#!/bin/sh
# agent_garbage: malformed and unwanted datagrams (sent with
# tests/tools/sendraw.py) get no reply, leave proctel-agent running and
# answering, and are counted exactly: BER errors in snmpInASNParseErrs,
# SNMPv3 and unknown versions in snmpInBadVersions, every datagram in
# snmpInPkts (RFC 3418).  A length in long form with more octets than
# needed is valid BER (RFC 3417 sec. 8): that datagram is answered.  Cases
# where the RFCs allow either answer (over-long OIDs, PDUs an agent never
# expects) are only checked for the agent's survival, not for a
# particular counter.
. tests/integration/lib.sh
. tests/integration/agent.inc

agent_up "$T_TMP/agent.yaml"

# A valid v2c GET of sysUpTime.0, community "public", request-id 0x1234567:
#   30 29  02 01 01  04 06 "public"  a0 1c  02 04 01234567  02 01 00  02 01 00
#   30 0e  30 0c  06 08 2b06010201010300  05 00
GOOD=302902010104067075626c6963a01c020401234567020100020100300e300c06082b060102010103000500
BODY=${GOOD#3029}

# nothing NAME SENDRAW-ARGS...: the datagram gets no reply.
nothing() {
	n=$1
	shift
	out=$($SENDRAW --wait 0.3 --expect none "$@" 127.0.0.1 "$PORT" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then pass "no reply to $n"; else fail "no reply to $n" "$out"; fi
}
# snapshot of the counters, one GET: InPkts BadVersions BadCommunityNames
# BadCommunityUses ASNParseErrs SilentDrops
counters() {
	snmpget -v2c -c public -t 5 -r 0 -Oqv "udp:$ADDR" $SNMPC.1.0 $SNMPC.3.0 \
	    $SNMPC.4.0 $SNMPC.5.0 $SNMPC.6.0 $SNMPC.31.0 2>&1 | tr '\n' ' '
}
nth() { echo "$1" | awk -v i="$2" '{ print $i }'; }

check_cmd "the test's valid GET is answered" $SENDRAW --raw-hex "$GOOD" \
    --expect reply 127.0.0.1 "$PORT"

# The same GET with its outer length as 81 29: valid, answered.
check_cmd "a non-minimal length (30 81 29) is answered" $SENDRAW \
    --raw-hex "3081${GOOD#30}" --expect reply 127.0.0.1 "$PORT"
alive "alive after a non-minimal length" "$APID"

# ---- phase 1: allowed either way; the agent must survive them ----
$SENDRAW --wait 0.3 --raw-hex "" 127.0.0.1 "$PORT" >/dev/null 2>&1
alive "alive after an empty datagram" "$APID"
$SENDRAW --wait 0.3 --raw-hex "${GOOD}00" 127.0.0.1 "$PORT" >/dev/null 2>&1
alive "alive after trailing octets" "$APID"
long=1.3.6.1
i=0
while [ $i -lt 140 ]; do long=$long.1; i=$((i + 1)); done
$SENDRAW --wait 0.3 127.0.0.1 "$PORT" "$long" >/dev/null 2>&1
alive "alive after a 144-sub-identifier OID" "$APID"
$SENDRAW --wait 0.3 127.0.0.1 "$PORT" 1.3.6.1.2.1.1.1.0.4294967296 >/dev/null 2>&1
alive "alive after a sub-identifier over 2^32-1" "$APID"
$SENDRAW --wait 0.5 --repeat 3000 127.0.0.1 "$PORT" 1.3.6.1.2.1.1.3.0 \
    >"$T_TMP/many" 2>&1
# About 42 KB: cut at the 8 KiB receive slot (loop.h), so a parse error.
check_match "3000-varbind GET: no reply" "$(cat "$T_TMP/many")" noreply
alive "alive after a 3000-varbind GET" "$APID"
# About 4 KB, whole, but more varbinds than SNMP_MAX_VARBINDS (256): tooBig.
check_match "300-varbind GET: tooBig with no varbinds" \
    "$($SENDRAW --repeat 300 127.0.0.1 "$PORT" 1.3.6.1.2.1.1.3.0 2>&1)" \
    'status=1 index=0 varbinds=0'
for p in response set; do
	$SENDRAW --wait 0.3 --pdu $p --set-value x 127.0.0.1 "$PORT" >/dev/null 2>&1
	alive "alive after a $p PDU" "$APID"
done
$SENDRAW --wait 0.3 --raw-hex "302902010104067075626c6963a71c020401234567020100020100300e300c06082b060102010103000500" \
    127.0.0.1 "$PORT" >/dev/null 2>&1
alive "alive after a trap PDU" "$APID"
check_cmd "answers after phase 1" $SENDRAW --raw-hex "$GOOD" --expect reply \
    127.0.0.1 "$PORT"

# ---- phase 2: counted exactly ----
before=$(counters)
parse=0
nothing "100 random octets" --garbage 100 --seed 1
parse=$((parse + 1))
nothing "1 octet" --raw-hex 00
parse=$((parse + 1))
nothing "a lone SEQUENCE tag" --raw-hex 30
parse=$((parse + 1))
nothing "a GET cut in half" --raw-hex "$GOOD" --truncate 21
parse=$((parse + 1))
nothing "a GET one octet short" --raw-hex "$GOOD" --truncate 42
parse=$((parse + 1))
nothing "an indefinite length" --raw-hex "3080${BODY}0000"
parse=$((parse + 1))
nothing "a length past the end" --raw-hex "302a${BODY}"
parse=$((parse + 1))
nothing "a length of 2^32" --raw-hex "3085010000000002010104067075626c6963"
parse=$((parse + 1))
nothing "an INTEGER of length 0" --raw-hex "30280200${BODY#020101}"
parse=$((parse + 1))
nothing "a community that is an INTEGER" \
    --raw-hex "302902010102067075626c6963a01c020401234567020100020100300e300c06082b060102010103000500"
parse=$((parse + 1))
nothing "a NULL with content" \
    --raw-hex "302a02010104067075626c6963a01d020401234567020100020100300f300d06082b06010201010300050100"
parse=$((parse + 1))
nothing "60000 random octets" --garbage 60000 --seed 2
parse=$((parse + 1))
nothing "65507 octets of 0x30" --raw-hex "$(python3 -c 'print("30" * 65507)')"
parse=$((parse + 1))
vers=0
nothing "an SNMPv3 message" --v3
vers=$((vers + 1))
nothing "version 2 (v2u)" -v 2
vers=$((vers + 1))
nothing "version 99" -v 99
vers=$((vers + 1))
nothing "version -1" -v -1
vers=$((vers + 1))
after=$(counters)

check_match "counters read" "$before/$after" '^([0-9]+ ){6}/([0-9]+ ){6}$'
check_eq "snmpInASNParseErrs counts each BER error" \
    "$(($(nth "$after" 5) - $(nth "$before" 5)))" "$parse"
check_eq "snmpInBadVersions counts v3 and unknown versions" \
    "$(($(nth "$after" 2) - $(nth "$before" 2)))" "$vers"
check_eq "snmpInBadCommunityNames unchanged" \
    "$(($(nth "$after" 3) - $(nth "$before" 3)))" 0
check_eq "snmpInPkts counts every datagram" \
    "$(($(nth "$after" 1) - $(nth "$before" 1)))" "$((parse + vers + 1))"

alive "agent alive after garbage" "$APID"
check_eq "agent answers the next good request" "$(snmpget -v2c -c public \
    -t 5 -r 0 -Oqv "udp:$ADDR" $SYS.5.0 2>&1)" '"pt-test-host"'
check_cmd "the raw valid GET is still answered" $SENDRAW --raw-hex "$GOOD" \
    --expect reply 127.0.0.1 "$PORT"
finish
