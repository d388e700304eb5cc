#!/bin/sh
# agent_interop: encodings that real senders use and strict BER would
# refuse reach proctel-agent as raw datagrams (tests/tools/sendraw.py) and
# get the same answer as their minimal twins, without moving
# snmpInASNParseErrs: request-ids padded to 4 octets as gosnmp (Prometheus
# snmp_exporter, Telegraf) sends them, and long-form lengths with
# redundant octets (RFC 3417 sec. 8).  Other padded integers are still
# refused and counted.  When prometheus-snmp-exporter is installed, it
# scrapes the agent 300 times without a failure.  Not here: garbage and
# its counters (agent_garbage.sh), codec details (test_pdu_interop.c).
. tests/integration/lib.sh
. tests/integration/agent.inc

agent_up "$T_TMP/agent.yaml"

# v2c GETs of sysName.0, community public, built by hand:
# request-id 0x76d2f7 as gosnmp writes it, 02 04 00 76 d2 f7;
PADDED=302902010104067075626c6963a01c02040076d2f7020100020100300e300c06082b060102010105000500
# request-id -2 in 4 octets, 02 04 ff ff ff fe;
NEGPAD=302902010104067075626c6963a01c0204fffffffe020100020100300e300c06082b060102010105000500
# request-id 0x1234567 with every length as 82 00 NN;
LONG=3082003d0282000101048200067075626c6963a082002a0282000401234567028200010002820001003082001430820010068200082b0601020101050005820000
# a GETNEXT of sysName with every length as 84 00 00 00 NN and request-id
# 42 as 02 84 00 00 00 04 00 00 00 2a: both at once.
BOTH=308400000050028400000001010484000000067075626c6963a184000000370284000000040000002a02840000000100028400000001003084000000193084000000130684000000072b060102010105058400000000
# Still refused: a padded error-status, a padded version.
BADES=302a02010104067075626c6963a01d02040076d2f702020000020100300e300c06082b060102010105000500
BADVER=302a0202000104067075626c6963a01c02040076d2f7020100020100300e300c06082b060102010105000500

# replies SENDRAW-ARGS...: the reply lines, without the "sent" line.
replies() {
	$SENDRAW --expect reply 127.0.0.1 "$PORT" "$@" 2>&1 | grep -v '^sent '
}
NAME="  .1.3.6.1.2.1.1.5.0 STRING 'pt-test-host'"
# The minimal twins, built by sendraw's own minimal encoder.
twin=$(replies --reqid 7787255 1.3.6.1.2.1.1.5.0)
check_match "minimal twin answered" "$twin" \
    "reqid=7787255 status=0 index=0 varbinds=1"

pe0=$(counter 6)
pk0=$(counter 1)
check_eq "gosnmp's padded request-id: the twin's reply, byte count too" \
    "$(replies --raw-hex "$PADDED")" "$twin"
check_eq "request-id -2 padded with 0xff" "$(replies --raw-hex "$NEGPAD")" \
    "$(replies --reqid -2 1.3.6.1.2.1.1.5.0)"
check_eq "lengths as 82 00 NN: the twin's reply" \
    "$(replies --raw-hex "$LONG")" \
    "$(replies --reqid 19088743 1.3.6.1.2.1.1.5.0)"
out=$(replies --raw-hex "$BOTH")
check_match "GETNEXT with 84 00 00 00 NN lengths and a padded request-id" \
    "$out" "type=0xa2 .* reqid=42 status=0 index=0 varbinds=1"
check_eq "its varbind" "$(echo "$out" | sed -n 2p)" "$NAME"
pe1=$(counter 6)
check_eq "snmpInASNParseErrs did not move" "$pe1" "$pe0"
# Six raw GETs, the snmpInASNParseErrs read and this read itself.
check_eq "snmpInPkts counted them" "$(($(counter 1) - pk0))" 8

$SENDRAW --wait 0.3 --expect none --raw-hex "$BADES" 127.0.0.1 "$PORT" \
    >"$T_TMP/bad" 2>&1
check_match "padded error-status: no reply" "$(cat "$T_TMP/bad")" noreply
$SENDRAW --wait 0.3 --expect none --raw-hex "$BADVER" 127.0.0.1 "$PORT" \
    >"$T_TMP/bad" 2>&1
check_match "padded version: no reply" "$(cat "$T_TMP/bad")" noreply
check_eq "both counted in snmpInASNParseErrs" "$(($(counter 6) - pe1))" 2
alive "agent alive" "$APID"

# ---- Prometheus snmp_exporter (gosnmp), when installed ----
# 300 scrapes of one GET each; gosnmp starts from a random request-id and
# counts up, so about one run in three sends no id below 2^23 at all: a
# check that scraping works and parses cleanly, not proof of padding.
if command -v prometheus-snmp-exporter >/dev/null 2>&1; then
	cat >"$T_TMP/snmp.yml" <<EOF
proctel:
  version: 2
  timeout: 2s
  retries: 0
  auth:
    community: public
  get:
  - 1.3.6.1.2.1.1.5.0
  metrics:
  - name: sysName
    oid: 1.3.6.1.2.1.1.5
    type: DisplayString
    help: the agent's sysName
EOF
	EP=$(free_port)
	prometheus-snmp-exporter --config.file="$T_TMP/snmp.yml" \
	    --web.listen-address="127.0.0.1:$EP" --log.level=warn \
	    >"$T_TMP/exporter.log" 2>&1 &
	XPID=$!
	t_track "$XPID"
	pe2=$(counter 6)
	# Each scrape must return the sysName; 120 s bound on the whole loop
	# (a busy machine may not finish 300, which is not a failed scrape).
	res=$(python3 - "$EP" "$PORT" <<'EOF'
import sys, time, urllib.request
ep, port = sys.argv[1], sys.argv[2]
url = "http://127.0.0.1:%s/snmp?module=proctel&target=127.0.0.1:%s" % (ep, port)
for _ in range(50):
    try:
        urllib.request.urlopen("http://127.0.0.1:%s/" % ep, timeout=1)
        break
    except OSError:
        time.sleep(0.1)
ok = bad = 0
end = time.monotonic() + 120
for _ in range(300):
    if time.monotonic() > end:
        break
    try:
        body = urllib.request.urlopen(url, timeout=5).read().decode()
    except OSError:
        body = ""
    if 'sysName="pt-test-host"' in body:
        ok += 1
    else:
        bad += 1
print(ok, bad)
EOF
)
	check_eq "snmp_exporter: no scrape failed ($res)" "${res#* }" 0
	check_int "snmp_exporter: at least 100 scrapes done ($res)" \
	    "${res%% *}" -ge 100
	check_eq "snmp_exporter: snmpInASNParseErrs did not move" \
	    "$(counter 6)" "$pe2"
	kill "$XPID" 2>/dev/null
	wait "$XPID" 2>/dev/null
else
	skip "snmp_exporter scrapes" "prometheus-snmp-exporter not installed"
fi
finish
