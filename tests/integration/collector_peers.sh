#!/bin/sh
# proctel-collector against net-snmp's own snmpd, started here on a free
# loopback port with a minimal config in a temp dir: SNMPv2c and SNMPv3
# authPriv (SHA/AES) scalars, a GETBULK walk of hrSWRunTable whose row
# count is within a tolerance of /proc's and of snmpbulkwalk's (the host's
# processes come and go between the walks, so only the count is compared
# here; tests/integration/collector_frozen.sh compares walks cell by cell
# against an agent whose data cannot change), IPv6, SNMPv3 with a wrong
# password or user ending as error/timeout, never a hang, and SNMPv3
# attempts (timeouts, success on a retry) equal to what a dropping proxy
# (tests/tools/snmpproxy.py) saw on the wire.
. tests/integration/lib.sh

COLL=$BUILD/proctel-collector
[ -x "$COLL" ] || skip_all "$COLL not built"
for t in snmpd snmpget snmpbulkwalk python3; do
	command -v "$t" >/dev/null 2>&1 || skip_all "$t not installed"
done
SNMPCONFPATH=$T_TMP MIBS= MIBDIRS=$T_TMP
export SNMPCONFPATH MIBS MIBDIRS

PORT=$(free_port)
mkdir -p "$T_TMP/snmpd/state"
cat >"$T_TMP/snmpd/snmpd.conf" <<EOF
rocommunity public 127.0.0.1
rocommunity6 public ::1
createUser authPrivUser SHA "authpass123" AES "privpass123"
rouser authPrivUser
sysName pt-peer
EOF
V6=""
if ip -6 addr show lo 2>/dev/null | grep -q '::1/128'; then
	V6="udp6:[::1]:$PORT"
fi
SNMP_PERSISTENT_DIR=$T_TMP/snmpd/state snmpd -f -Lo -C -c "$T_TMP/snmpd/snmpd.conf" \
    -p "$T_TMP/snmpd/pid" "udp:127.0.0.1:$PORT" $V6 >"$T_TMP/snmpd.log" 2>&1 &
SPID=$!
t_track $SPID
SNMP_PERSISTENT_DIR=$T_TMP
export SNMP_PERSISTENT_DIR
wait_snmp "127.0.0.1:$PORT" || skip_all "snmpd did not start: $(head -3 "$T_TMP/snmpd.log")"
# createUser is applied after start-up; wait for the user too.
i=0
while [ $i -lt 50 ] && ! snmpget -v3 -l authPriv -u authPrivUser -a SHA \
    -A authpass123 -x AES -X privpass123 -t 0.2 -r 0 -On \
    "udp:127.0.0.1:$PORT" 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1; do
	sleep 0.1
	i=$((i + 1))
done

SEC='security: {user: authPrivUser, level: authPriv, auth_protocol: SHA, auth_password: authpass123, priv_protocol: AES, priv_password: privpass123}'
C=$T_TMP/peers.yaml
cat >"$C" <<EOF
defaults: {port: $PORT, timeout_ms: 1000, retries: 2}
targets:
  - {host: 127.0.0.1, name: v2c}
  - {host: 127.0.0.1, name: v3, version: 3, $SEC}
EOF
[ -n "$V6" ] && echo "  - {host: '::1', name: v6}" >>"$C"
cat >>"$C" <<EOF
metrics:
  - {name: sysName, oid: 1.3.6.1.2.1.1.5.0}
  - {name: sysUpTime, oid: 1.3.6.1.2.1.1.3.0}
tables:
  - {name: hrSWRun, oid: 1.3.6.1.2.1.25.4.2.1}
EOF
# The live count moves while the run goes on (other programs fork), so the
# walk's rows are held against /proc's count before and after it, and
# against snmpbulkwalk's, each with a tolerance widened by that movement.
nbefore=$(ls /proc | grep -c '^[0-9][0-9]*$')
"$COLL" -c "$C" --once -o "jsonl:$T_TMP/peers.jsonl" 2>"$T_TMP/peers.err"
check_eq "v2c and v3 authPriv against snmpd: exit 0" "$?" 0
walked=$(snmpbulkwalk -v2c -c public -On -Cr25 "udp:127.0.0.1:$PORT" \
    1.3.6.1.2.1.25.4.2.1.1 2>/dev/null | grep -c 'INTEGER')
nafter=$(ls /proc | grep -c '^[0-9][0-9]*$')
res=$(python3 - "$T_TMP/peers.jsonl" "$nbefore" "$nafter" "$walked" <<'EOF'
import json, sys
lo, hi = sorted((int(sys.argv[2]), int(sys.argv[3])))
walked = int(sys.argv[4])
for line in open(sys.argv[1]):
    r = json.loads(line)
    v = r['values']
    rows = r['tables']['hrSWRun']
    tol = max(10, hi // 5) + (hi - lo)
    names = all('hrSWRunName' in row and 'hrSWRunIndex' in row for row in rows)
    idx = all(row['index'] == str(row['hrSWRunIndex']) for row in rows)
    print(r['target'], r['status'], v.get('sysName'),
          v.get('sysUpTime', 0) > 0,
          lo - tol <= len(rows) <= hi + tol, abs(len(rows) - walked) <= tol,
          names and idx)
EOF
)
check_match "v2c: scalars, and a walk of about the live row count" "$res" "v2c ok pt-peer True True True True"
check_match "v3 authPriv: scalars, and a walk of about the live row count" "$res" "v3 ok pt-peer True True True True"
if [ -n "$V6" ]; then
	check_match "IPv6 (udp6:[::1]): scalars, and a walk of about the live row count" "$res" "v6 ok pt-peer True True True True"
fi
alive "snmpd alive" $SPID

# A wrong password, in a process of its own: the USM user table is
# process-global, so in one process with the right one it would be refused
# as a conflicting credential set (checked below).
for case in "wrongpass authPrivUser authpass999" "nouser nosuchUser authpass123"; do
	set -- $case
	C=$T_TMP/$1.yaml
	cat >"$C" <<EOF
defaults: {port: $PORT, timeout_ms: 300, retries: 1}
targets:
  - {host: 127.0.0.1, name: $1, version: 3, security: {user: $2, level: authPriv, auth_protocol: SHA, auth_password: $3, priv_protocol: AES, priv_password: privpass123}}
metrics:
  - {name: sysName, oid: 1.3.6.1.2.1.1.5.0}
EOF
	t0=$(date +%s)
	"$COLL" -c "$C" --once -o "jsonl:$T_TMP/$1.jsonl" 2>/dev/null
	rc=$?
	el=$(($(date +%s) - t0))
	check_eq "v3 $1: exit 1" "$rc" 1
	check_match "v3 $1: error or timeout, no values" "$(cat "$T_TMP/$1.jsonl")" \
	    '"status":"(error|timeout)".*"values":\{\}'
	check_int "v3 $1: ends, no hang (${el}s)" "$el" -lt 20
done
C=$T_TMP/conflict.yaml
cat >"$C" <<EOF
defaults: {port: $PORT, timeout_ms: 300, retries: 1}
targets:
  - {host: 127.0.0.1, name: good, version: 3, $SEC}
  - {host: 127.0.0.1, name: bad, version: 3, security: {user: authPrivUser, level: authPriv, auth_protocol: SHA, auth_password: authpass999, priv_protocol: AES, priv_password: privpass123}}
concurrency: 1
metrics:
  - {name: sysName, oid: 1.3.6.1.2.1.1.5.0}
EOF
"$COLL" -c "$C" --once -o "jsonl:$T_TMP/conflict.jsonl" 2>/dev/null
check_eq "one engineID, two passwords: exit 1" "$?" 1
check_match "the first is answered" "$(grep '"target":"good"' "$T_TMP/conflict.jsonl")" '"status":"ok"'
check_match "the second is refused, not answered with the first's keys" \
    "$(grep '"target":"bad"' "$T_TMP/conflict.jsonl")" '"status":"error".*other credentials'

# Two targets behind one engineID with the same credentials share its USM
# user: both are answered (the registry compares protocol OIDs by value;
# every session holds its own copy of them).
C=$T_TMP/shared.yaml
cat >"$C" <<EOF
defaults: {port: $PORT, timeout_ms: 300, retries: 1}
targets:
  - {host: 127.0.0.1, name: v3a, version: 3, $SEC}
  - {host: 127.0.0.1, name: v3b, version: 3, $SEC}
concurrency: 1
metrics:
  - {name: sysName, oid: 1.3.6.1.2.1.1.5.0}
EOF
"$COLL" -c "$C" --once -o "jsonl:$T_TMP/shared.jsonl" 2>/dev/null
check_eq "one engineID, one credential set, two targets: exit 0" "$?" 0
check_eq "both targets answered" \
    "$(grep -c '"status":"ok".*"sysName":"pt-peer"' "$T_TMP/shared.jsonl")" 2

# SNMPv3 attempts, exact against what a proxy in front of snmpd saw on the
# wire: it tells the engineID probe (no auth flag) from authenticated
# requests, and drops some of them.
# v3case NAME RETRIES PROXY-ARGS...: one --once run through the proxy; the
# record in $T_TMP/NAME.jsonl, the proxy's counts in $T_TMP/NAME.stats.
v3case() {
	name=$1 retries=$2
	shift 2
	PX=$(free_port)
	while [ "$PX" = "$PORT" ]; do PX=$(free_port); done
	python3 tests/tools/snmpproxy.py --listen "$PX" --to "$PORT" \
	    --ready "$T_TMP/$name.ready" --stats "$T_TMP/$name.stats" \
	    --time 30 "$@" &
	PXPID=$!
	t_track $PXPID
	wait_file "$T_TMP/$name.ready" 50
	cat >"$T_TMP/$name.yaml" <<EOF
defaults: {port: $PX, timeout_ms: 300, retries: $retries}
targets:
  - {host: 127.0.0.1, name: $name, version: 3, $SEC}
metrics:
  - {name: sysName, oid: 1.3.6.1.2.1.1.5.0}
EOF
	"$COLL" -c "$T_TMP/$name.yaml" --once -o "jsonl:$T_TMP/$name.jsonl" 2>/dev/null
	V3RC=$?
	kill $PXPID 2>/dev/null
	wait $PXPID 2>/dev/null
}
stat_of() { sed -n "s/.*\b$2=\([0-9]*\).*/\1/p" "$T_TMP/$1.stats"; }
attempts_of() { sed -n 's/.*"attempts":\([0-9]*\).*/\1/p' "$T_TMP/$1.jsonl"; }

# Answers the engineID probe, then drops every GET: a timeout whose
# attempts are the GET's, not the probe's one.
v3case v3s 1 --drop-auth -1
check_eq "v3 silent after discovery: exit 1" "$V3RC" 1
check_match "v3 silent after discovery: a timeout, the GET's two attempts" \
    "$(cat "$T_TMP/v3s.jsonl")" '"status":"timeout","error":"no response after 2 attempts","attempts":2,'
check_eq "v3 silent after discovery: the wire saw as many GETs as attempts" \
    "$(stat_of v3s auth)" "$(attempts_of v3s)"
# The first GET is lost, its retry answered.
v3case v3r 2 --drop-auth 1
check_eq "v3 success on a retry: exit 0" "$V3RC" 0
check_match "v3 success on a retry: ok with two attempts" \
    "$(cat "$T_TMP/v3r.jsonl")" '"status":"ok","attempts":2,.*"sysName":"pt-peer"'
check_eq "v3 success on a retry: the wire saw two GETs, one dropped" \
    "$(stat_of v3r auth) $(stat_of v3r dropped)" "2 1"
# Nothing answers at all: the probe itself times out after every retry.
v3case v3d 2 --drop-all
check_eq "v3 silent agent: exit 1" "$V3RC" 1
check_match "v3 silent agent: a timeout after three attempts" \
    "$(cat "$T_TMP/v3d.jsonl")" '"status":"timeout","error":"no response after 3 attempts","attempts":3,'
check_eq "v3 silent agent: the wire saw three probes and no GET" \
    "$(stat_of v3d probe) $(stat_of v3d auth)" "3 0"
alive "snmpd alive at the end" $SPID

# An agent reinstalled with a new engineID: the daemon recovers by itself.
P2=$(free_port)
while [ "$P2" = "$PORT" ]; do P2=$(free_port); done
mkdir -p "$T_TMP/eA" "$T_TMP/eB" "$T_TMP/e"
# A fresh config: snmpd rewrites createUser lines into its persistent file.
printf '%s\n' 'rocommunity public 127.0.0.1' \
    'createUser authPrivUser SHA "authpass123" AES "privpass123"' \
    'rouser authPrivUser' >"$T_TMP/e/snmpd.conf"
# start_engine NAME: snmpd with its own persistent dir (so its own
# engineID) on P2; wait until it answers, and show its log if it does not.
start_engine() {
	SNMP_PERSISTENT_DIR=$T_TMP/$1 snmpd -f -Lo -C -c "$T_TMP/e/snmpd.conf" \
	    -p "$T_TMP/$1/pid" "udp:127.0.0.1:$P2" >"$T_TMP/$1.log" 2>&1 &
	ENGINE_PID=$!
	t_track $ENGINE_PID
	if ! wait_snmp "127.0.0.1:$P2"; then
		fail "snmpd $1 answers on port $P2" "$(tail -5 "$T_TMP/$1.log")"
	fi
}
start_engine eA
EA=$ENGINE_PID
C=$T_TMP/reinstall.yaml
cat >"$C" <<EOF
interval_s: 1
defaults: {port: $P2, timeout_ms: 200, retries: 0}
targets:
  - {host: 127.0.0.1, name: v3, version: 3, $SEC}
metrics:
  - {name: sysUpTime, oid: 1.3.6.1.2.1.1.3.0}
EOF
J=$T_TMP/reinstall.jsonl
oks() { n=$(grep -c '"status":"ok"' "$J" 2>/dev/null); echo "${n:-0}"; }
"$COLL" -c "$C" --daemon -q -o "jsonl:$J" 2>/dev/null &
DP=$!
t_track $DP
i=0
while [ $i -lt 100 ] && [ "$(oks)" -lt 1 ]; do sleep 0.1; i=$((i + 1)); done
check_int "v3 daemon: answered by the first engine" "$(oks)" -ge 1
kill $EA
wait $EA 2>/dev/null
n0=$(oks)
start_engine eB
i=0
while [ $i -lt 100 ] && [ "$(oks)" -le "$n0" ]; do sleep 0.1; i=$((i + 1)); done
check_int "v3 daemon: answered again after the engineID changed" "$(oks)" -gt "$n0"
kill $DP
wait $DP
check_eq "v3 daemon: SIGTERM ends it with 0" "$?" 0
finish
