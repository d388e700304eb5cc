#!/bin/sh
# collector_safety: what the collector must not do to the machine it runs
# on.  The run lock: a lock file of another user, a symbolic link and a
# file that is not a lock are refused with a message and left byte for byte
# as they were (and no sink is written); a held lock names its holder.
# Alert commands: they inherit the operator's environment, and none of the
# net-snmp variables the collector sets for its own init (SNMPCONFPATH,
# SNMP_PERSISTENT_DIR, MIBDIRS, MIBS ...): an alert that prints its
# environment shows the operator's values, or none.
. tests/integration/lib.sh

AGENT=$BUILD/proctel-agent
COLL=$BUILD/proctel-collector
[ -x "$AGENT" ] && [ -x "$COLL" ] || skip_all "build the agent and collector first"

port=$(free_port)
cat >"$T_TMP/agent.yaml" <<EOF
listen: ["127.0.0.1:$port"]
communities:
  - {name: public, allow: ["127.0.0.0/8"]}
EOF
"$AGENT" -c "$T_TMP/agent.yaml" 2>"$T_TMP/agent.err" &
agent=$!
t_track $agent
wait_snmp "127.0.0.1:$port" || { fail "agent answers" "$(head -3 "$T_TMP/agent.err")"; finish; }

PT=1.3.6.1.4.1.8072.9999.9999.1
# conf LOCKPATH: a config whose alert (processes > 0 fires every run)
# writes its environment, NUL-separated, to env.out.
conf() {
	cat >"$T_TMP/c.yaml" <<EOF
defaults: {port: $port, timeout_ms: 500, retries: 1}
interval_s: 1
targets:
  - {host: 127.0.0.1, name: local}
metrics:
  - {name: processes, oid: $PT.1.1.1.0}
alerts:
  - {metric: processes, above: 0, command: "env -0 > '$T_TMP/env.out'", timeout_ms: 5000}
lock_file: $1
EOF
}
envvar() { tr '\0' '\n' <"$T_TMP/env.out" | grep "^$1=" ; }

# --- the alert's environment ------------------------------------------
conf "$T_TMP/c.lock"
env -u MIBS -u MIBDIRS -u SNMP_PERSISTENT_DIR -u SNMP_PERSISTENT_FILE \
    -u MIBFILES SNMPCONFPATH=/operator/snmp PROCTEL_OPERATOR_MARK=kept \
    "$COLL" -c "$T_TMP/c.yaml" --once -o "jsonl:$T_TMP/env.jsonl" \
    2>"$T_TMP/env.err"
check_eq "a run with an alert exits 0" "$?" 0
check_eq "the operator's SNMPCONFPATH reaches the alert unchanged" \
    "$(envvar SNMPCONFPATH)" "SNMPCONFPATH=/operator/snmp"
check_eq "the operator's other variables reach the alert" \
    "$(envvar PROCTEL_OPERATOR_MARK)" "PROCTEL_OPERATOR_MARK=kept"
check_eq "no MIBS, MIBDIRS, MIBFILES or SNMP_PERSISTENT_* in the alert" \
    "$(tr '\0' '\n' <"$T_TMP/env.out" | grep -E '^(MIBS|MIBDIRS|MIBFILES|SNMP_PERSISTENT_DIR|SNMP_PERSISTENT_FILE)=')" ""
check_eq "no value points at the collector's init directory" \
    "$(tr '\0' '\n' <"$T_TMP/env.out" | grep -c 'proctel-collector\.')" 0
# Unset in the operator's environment: unset in the alert's too.
env -u SNMPCONFPATH -u MIBS "$COLL" -c "$T_TMP/c.yaml" --once \
    -o "jsonl:$T_TMP/env.jsonl" 2>"$T_TMP/env.err"
check_eq "without the operator's SNMPCONFPATH the alert has none" \
    "$(tr '\0' '\n' <"$T_TMP/env.out" | grep -c -E '^(SNMPCONFPATH|MIBS)=')" 0
# The operator's MIBS is theirs.
env MIBS=ALL "$COLL" -c "$T_TMP/c.yaml" --once -o "jsonl:$T_TMP/env.jsonl" \
    2>"$T_TMP/env.err"
check_eq "the operator's MIBS reaches the alert" "$(envvar MIBS)" "MIBS=ALL"

# --- the lock -----------------------------------------------------------
# refused NAME MSG: a --once run must exit 1, say MSG, write no sink.
refused() {
	rm -f "$T_TMP/r.jsonl"
	"$COLL" -c "$T_TMP/c.yaml" --once -o "jsonl:$T_TMP/r.jsonl" \
	    2>"$T_TMP/r.err"
	check_eq "$1: the run exits 1" "$?" 1
	check_match "$1: the message says why" "$(cat "$T_TMP/r.err")" "$2"
	check_eq "$1: no sink was written" "$(ls "$T_TMP" | grep -c '^r\.jsonl$')" 0
}

printf 'precious contents\n' >"$T_TMP/precious"
ln -s "$T_TMP/precious" "$T_TMP/link.lock"
conf "$T_TMP/link.lock"
refused "a symbolic link in the lock's place" "lock .*link\.lock is a symbolic link; refusing"
check_eq "the link's target is untouched" "$(cat "$T_TMP/precious")" "precious contents"
check_eq "the link is still a link" "$(readlink "$T_TMP/link.lock")" "$T_TMP/precious"

printf 'myhost\n' >"$T_TMP/notalock"
conf "$T_TMP/notalock"
refused "a file that holds no pid" "not a lock file; refusing to overwrite it"
check_eq "the file that holds no pid is untouched" "$(cat "$T_TMP/notalock")" "myhost"

if [ "$(id -u)" -eq 0 ]; then
	printf '4242\n' >"$T_TMP/theirs.lock"
	chown 65534:65534 "$T_TMP/theirs.lock"
	conf "$T_TMP/theirs.lock"
	refused "a lock file of another user" "belongs to .*uid 65534.*refusing"
	check_eq "the other user's lock file is untouched" "$(cat "$T_TMP/theirs.lock")" "4242"
	check_eq "and still theirs" "$(stat -c %u "$T_TMP/theirs.lock")" 65534
else
	skip "a lock file of another user" "needs root to chown"
fi

# A held lock: a daemon takes it; a --once run names the daemon's pid.
conf "$T_TMP/held.lock"
"$COLL" -c "$T_TMP/c.yaml" --daemon -q -o "jsonl:$T_TMP/d.jsonl" 2>"$T_TMP/d.err" &
daemon=$!
t_track $daemon
i=0
while [ $i -lt 50 ] && [ ! -s "$T_TMP/held.lock" ]; do sleep 0.1; i=$((i + 1)); done
check_eq "the daemon wrote its pid into the lock" "$(cat "$T_TMP/held.lock")" "$daemon"
check_eq "the lock file is private (0600)" "$(stat -c %a "$T_TMP/held.lock")" 600
refused "a lock held by a daemon" "another run holds the lock .*held\.lock: pid $daemon \(proctel-collect"
alive "the daemon holding the lock still runs" $daemon
kill $daemon
wait $daemon
check_eq "the daemon exits 0 on SIGTERM" "$?" 0
check_eq "the released lock holds no stale pid" "$(cat "$T_TMP/held.lock")" ""
alive "agent still runs" $agent
finish
