#!/bin/sh
# suite-timeout: 240
# agent_storm: proctel-agent during a fork storm (issue 8).  Thousands of
# short-lived children (build/tools/fork_storm, bounded in count and time)
# churn /proc while a client sends GETs one after another and snmpbulkwalk
# walks ptProcTable again and again.  Every GET must be answered; no
# request may wait for a scan, which the agent's own accounting shows
# (its exit line: every snapshot but the start-up one taken beside the
# loop, requests answered while one was being taken); and every walk must
# be strictly increasing and come from one snapshot: the pids of every
# column the same, though processes come and go by the hundred meanwhile
# and cache_ttl_ms is 0.  No check depends on how fast anything runs.
. tests/integration/lib.sh
. tests/integration/agent.inc

STORM=$BUILD/tools/fork_storm
[ -x "$STORM" ] || skip_all "$STORM not built (make tools)"

cat >"$T_TMP/getter.py" <<'EOF'
# getter.py PORT COUNT: COUNT v2c GETs of hrSystemProcesses.0, one at a
# time, each waiting up to 5 s for its own reply, no retries; prints
# "sent N answered M".
import socket, sys
port, count = int(sys.argv[1]), int(sys.argv[2])
oid = bytes([0x06, 0x09, 0x2b, 6, 1, 2, 1, 25, 1, 6, 0x00])
def msg(reqid):
    vb = bytes([0x30, len(oid) + 2]) + oid + bytes([0x05, 0x00])
    vbl = bytes([0x30, len(vb)]) + vb
    rid = bytes([0x02, 0x04]) + reqid.to_bytes(4, "big")
    pdu = rid + bytes([0x02, 0x01, 0x00, 0x02, 0x01, 0x00]) + vbl
    pdu = bytes([0xa0, len(pdu)]) + pdu
    body = bytes([0x02, 0x01, 0x01, 0x04, 0x06]) + b"public" + pdu
    return bytes([0x30, len(body)]) + body
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5.0)
answered = 0
for i in range(count):
    reqid = 0x10000000 + i
    s.sendto(msg(reqid), ("127.0.0.1", port))
    try:
        while True:
            buf, _ = s.recvfrom(4096)
            if reqid.to_bytes(4, "big") in buf:
                answered += 1
                break
    except socket.timeout:
        pass
print("sent %d answered %d" % (count, answered))
EOF

cat >"$T_TMP/walk.py" <<'EOF'
# walk.py FILE ENTRY: an "-On" walk of a table: "ok ROWS" when its OIDs
# strictly increase and every column lists the same indexes, else why not.
import sys
entry = tuple(int(x) for x in sys.argv[2].split("."))
prev, cols = None, {}
for line in open(sys.argv[1]):
    if not line.startswith(".") or " = No more variables" in line:
        continue
    oid = tuple(int(x) for x in line.split(" = ")[0].strip(".").split("."))
    if prev is not None and oid <= prev:
        print("not increasing: %s" % line.strip())
        sys.exit(1)
    prev = oid
    if oid[:len(entry)] == entry and len(oid) == len(entry) + 2:
        cols.setdefault(oid[len(entry)], []).append(oid[-1])
if len(cols) < 2:
    print("fewer than two columns")
    sys.exit(1)
first = sorted(cols)[0]
for c in sorted(cols):
    if cols[c] != cols[first]:
        a, b = set(cols[first]), set(cols[c])
        print("column %d differs from column %d: %d only there, %d only here"
              % (c, first, len(a - b), len(b - a)))
        sys.exit(1)
print("ok %d" % len(cols[first]))
EOF

PORT=$(free_port)
ADDR=127.0.0.1:$PORT
agent_conf "$T_TMP/storm.yaml" "$PORT"
sed -i 's/^cache_ttl_ms: .*/cache_ttl_ms: 0/' "$T_TMP/storm.yaml"
agent_start "$T_TMP/storm.yaml" "$ADDR"
APID=$AGENT_PID

# The storm: up to 4000 children, 300 alive at a time, each 0..60 ms;
# 40 s at most, whatever the machine's load.
"$STORM" 4000 300 60 40 >"$T_TMP/storm.out" 2>&1 &
SPID=$!
t_track "$SPID"
python3 "$T_TMP/getter.py" "$PORT" 400 >"$T_TMP/get.out" 2>&1 &
GPID=$!
t_track "$GPID"

# Walks while the storm lasts: ptProcTable, 25 varbinds a request, so a
# walk takes many requests and spans refreshes.  At most 20.
walks=0
while [ $walks -lt 20 ] && kill -0 "$SPID" 2>/dev/null; do
	walks=$((walks + 1))
	snmpbulkwalk -v2c -c public -t 5 -r 1 -On -Cr25 "udp:$ADDR" \
	    "$PT.1.3.1" >"$T_TMP/walk$walks" 2>"$T_TMP/walk$walks.err"
	check_eq "walk $walks during the storm exits 0" "$?" 0
	check_match "walk $walks: increasing, one snapshot" \
	    "$(python3 "$T_TMP/walk.py" "$T_TMP/walk$walks" "$PT.1.3.1")" '^ok [0-9]+$'
done
check_int "walks made during the storm" "$walks" -ge 1
wait "$SPID"
wait "$GPID"
check_match "the storm forked its children" "$(cat "$T_TMP/storm.out")" \
    '^forked [0-9]+ reaped [0-9]+$'
forked=$(sed -n 's/^forked \([0-9]*\) .*/\1/p' "$T_TMP/storm.out")
check_int "hundreds of short-lived children at least" "${forked:-0}" -ge 200
check_eq "every GET answered" "$(cat "$T_TMP/get.out")" "sent 400 answered 400"
alive "agent alive after the storm" "$APID"

# The agent's own accounting, printed when it stops.
agent_stop "$APID"
line=$(grep 'snapshots: ' "$T_TMP/agent.log" | tail -n 1)
n() { printf '%s\n' "$line" | sed -n "s/.*[^0-9]\\([0-9][0-9]*\\) $1.*/\\1/p"; }
check_match "the agent reports its snapshots" "$line" 'refreshed beside the loop'
check_eq "no snapshot taken on the request path (only the first, at start)" \
    "$(n 'taken in the loop')" 1
check_int "snapshots refreshed beside the loop" "$(n 'refreshed beside')" -gt 0
check_int "requests answered while a refresh ran" "$(n 'requests answered while')" -gt 0
check_int "a replaced snapshot kept for a walk" "$(n 'times')" -gt 0
finish
