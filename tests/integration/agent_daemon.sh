#!/bin/sh
# agent_daemon.sh: proctel-agent as a program: command line, exit codes,
# --check, daemon mode and pidfile, SIGHUP reload (good and broken config),
# SIGTERM, privilege drop, a port already in use.  The SNMP answers
# themselves are tested by the protocol suites; here snmpget only proves
# the agent serves.  Every wait is a bounded poll; no timing decides a
# result.
. tests/integration/lib.sh

AGENT=$BUILD/proctel-agent
[ -x "$AGENT" ] || skip_all "$AGENT not built"
command -v snmpget >/dev/null 2>&1 || skip_all "snmpget not installed"

SYSNAME=1.3.6.1.2.1.1.5.0
AGENTPID=1.3.6.1.4.1.8072.9999.9999.1.1.2.1.0

# get HOST:PORT OID: the bare value of one numeric-OID snmpget, or "".
get() {
	snmpget -v2c -c public -t 0.5 -r 1 -On -Oqv "udp:$1" "$2" 2>/dev/null |
	    tr -d '"'
}

# gone PID: the process has exited (a zombie counts: pid 1 may not reap).
gone() {
	! kill -0 "$1" 2>/dev/null ||
	    grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null
}

# wait_gone PID: up to 5 s for gone.
wait_gone() {
	i=0
	while [ $i -lt 50 ] && ! gone "$1"; do
		sleep 0.1
		i=$((i + 1))
	done
	gone "$1"
}

# wait_value HOST:PORT OID WANT: up to 5 s for the value to become WANT;
# prints the last value seen.
wait_value() {
	i=0
	v=$(get "$1" "$2")
	while [ $i -lt 25 ] && [ "$v" != "$3" ]; do
		sleep 0.2
		v=$(get "$1" "$2")
		i=$((i + 1))
	done
	printf '%s\n' "$v"
}

# run_rc CMD...: run, capture stdout/stderr in $T_TMP/out /err, echo status.
run_rc() {
	"$@" >"$T_TMP/out" 2>"$T_TMP/err"
	echo $?
}

# --- command line -----------------------------------------------------------

rc=$(run_rc "$AGENT" --version)
check_eq "--version exits 0" "$rc" 0
check_match "--version names the program" "$(cat "$T_TMP/out")" \
    '^proctel-agent [0-9]+\.[0-9]+'

rc=$(run_rc "$AGENT" --help)
check_eq "--help exits 0" "$rc" 0
check_match "--help shows the synopsis" "$(cat "$T_TMP/out")" \
    'usage: proctel-agent .*-l ADDR'
check_match "--help lists --listen" "$(cat "$T_TMP/out")" '--listen'

rc=$(run_rc "$AGENT" --no-such-option)
check_eq "an unknown option exits 2" "$rc" 2
check_match "an unknown option is named" "$(cat "$T_TMP/err")" \
    'no-such-option'

rc=$(run_rc "$AGENT" --pidfile "$T_TMP/x.pid")
check_eq "--pidfile without --daemon exits 2" "$rc" 2

rc=$(run_rc "$AGENT" extra-argument)
check_eq "a stray argument exits 2" "$rc" 2

# --- --check and config files ----------------------------------------------

port=$(free_port)
cfg=$T_TMP/agent.yaml
cat >"$cfg" <<EOF
listen: ["127.0.0.1:1"]
communities:
  - name: public
    allow: ["127.0.0.0/8", "::1/128"]
system: {name: first-name, contact: ops@example.com, location: test}
cache_ttl_ms: 100
log: {target: stderr, level: info}
EOF
bad=$T_TMP/bad.yaml
cat >"$bad" <<EOF
listen: ["127.0.0.1:1"]
cache_ttl_ms: -1
no_such_key: 1
EOF

rc=$(run_rc "$AGENT" -c "$cfg" --check)
check_eq "--check on a good config exits 0" "$rc" 0
check_match "--check says the config is valid" "$(cat "$T_TMP/out")" valid

rc=$(run_rc "$AGENT" -c "$bad" --check)
check_eq "--check on a bad config exits 2" "$rc" 2
check_match "--check prints FILE:LINE:COLUMN" "$(cat "$T_TMP/err")" \
    "bad.yaml:2:[0-9]+: "
check_match "--check reports every error" "$(cat "$T_TMP/err")" \
    "bad.yaml:3:[0-9]+: "

rc=$(run_rc "$AGENT" -c "$T_TMP/missing.yaml" --check)
check_eq "--check on a missing -c file exits 2" "$rc" 2
rc=$(run_rc "$AGENT" -c "$T_TMP/missing.yaml" -l "127.0.0.1:$port")
check_eq "starting with a missing -c file exits 2" "$rc" 2
check_match "the missing file is named" "$(cat "$T_TMP/err")" missing.yaml

rc=$(run_rc "$AGENT" -c "$cfg" -l "127.0.0.1:not-a-port" --check)
check_eq "--check with a bad -l address exits 2" "$rc" 2

rc=$(run_rc "$AGENT" -c "$cfg" -l "127.0.0.1:$port" \
    --proc-root "$T_TMP/no-such-proc")
check_eq "an unreadable proc root exits 1" "$rc" 1
check_match "the proc root is named" "$(cat "$T_TMP/err")" no-such-proc
# proctel-agent(8): with --check, nothing is bound and /proc is not read.
rc=$(run_rc "$AGENT" -c "$cfg" --check --proc-root "$T_TMP/no-such-proc")
check_eq "--check reads no /proc" "$rc" 0

# --- foreground agent: SIGHUP, port in use, SIGTERM -------------------------

log=$T_TMP/fg.log
"$AGENT" -c "$cfg" -l "127.0.0.1:$port" 2>"$log" &
fg=$!
t_track $fg
if wait_snmp "127.0.0.1:$port"; then pass "foreground agent answers"; else
	fail "foreground agent answers" "$(cat "$log")"; fi
check_eq "sysName from the config" "$(get "127.0.0.1:$port" $SYSNAME)" \
    first-name
alive "alive after start" $fg

sed 's/first-name/second-name/' "$cfg" >"$cfg.new" && mv "$cfg.new" "$cfg"
kill -HUP $fg
check_eq "SIGHUP serves the new sysName" \
    "$(wait_value "127.0.0.1:$port" $SYSNAME second-name)" second-name
check_cmd "SIGHUP is logged" wait_log "$log" "configuration reloaded"
alive "alive after a good reload" $fg

cp "$cfg" "$T_TMP/good.yaml"
sed 's/second-name/third-name/' "$T_TMP/good.yaml" >"$cfg"
printf 'cache_ttl_ms: nope\n' >>"$cfg"
kill -HUP $fg
check_cmd "a broken reload is reported" wait_log "$log" "reload failed"
check_match "a broken reload logs FILE:LINE:COLUMN" "$(cat "$log")" \
    'agent.yaml:[0-9]+:[0-9]+: '
alive "alive after a broken reload" $fg
check_eq "a broken reload keeps the old config" \
    "$(get "127.0.0.1:$port" $SYSNAME)" second-name

# proctel-agent(8), SIGHUP: -l keeps overriding the file's listen (so no
# restart warning for it), and a new user: is logged as needing a restart.
sed 's/127.0.0.1:1"/127.0.0.1:2"/' "$T_TMP/good.yaml" >"$cfg"
printf 'user: nobody\n' >>"$cfg"
kill -HUP $fg
check_cmd "a reload with a new user: says it needs a restart" \
    wait_log "$log" "user changed.*restart"
check_eq "-l still serves after a reload changing listen" \
    "$(get "127.0.0.1:$port" $SYSNAME)" second-name
if grep -q 'listen addresses changed' "$log"; then
	fail "-l: a reload logs no listen change" "$(grep listen "$log")"
else pass "-l: a reload logs no listen change"; fi
cp "$T_TMP/good.yaml" "$cfg"

rc=$(run_rc "$AGENT" -c "$cfg" -l "127.0.0.1:$port")
check_eq "a port in use exits 1" "$rc" 1
check_match "a port in use says so" "$(cat "$T_TMP/err")" \
    "127.0.0.1:$port.*(Address already in use|in use)"
alive "alive after a second agent failed to bind" $fg

# Receive slots are 8 KiB (loop.h): a 7000-byte GET is answered, a
# 9000-byte one arrives cut and counts as snmpInASNParseErrs.
cat >"$T_TMP/big.py" <<'EOF'
import socket, sys
def tlv(t, v):
    n = len(v)
    ln = bytes([n]) if n < 128 else bytes([0x82, n >> 8, n & 0xff])
    return bytes([t]) + ln + v
def msg(pad):
    oid = tlv(0x06, bytes([0x2b, 6, 1, 2, 1, 1, 5, 0]))
    vb = tlv(0x30, oid + tlv(0x04, b"x" * pad))
    ints = tlv(0x02, b"\x01") + tlv(0x02, b"\x00") + tlv(0x02, b"\x00")
    pdu = tlv(0xa0, ints + tlv(0x30, vb))
    return tlv(0x30, tlv(0x02, b"\x01") + tlv(0x04, b"public") + pdu)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
for pad in (7000, 9000):
    s.sendto(msg(pad), ("127.0.0.1", int(sys.argv[1])))
    try:
        s.recvfrom(65535)
        print("reply", end=" ")
    except socket.timeout:
        print("none", end=" ")
print()
EOF
parse0=$(get "127.0.0.1:$port" 1.3.6.1.2.1.11.6.0)
check_eq "a 7000-byte request is answered, a 9000-byte one dropped" \
    "$(python3 "$T_TMP/big.py" "$port")" "reply none "
check_eq "the cut request counts in snmpInASNParseErrs" \
    "$(get "127.0.0.1:$port" 1.3.6.1.2.1.11.6.0)" "$((parse0 + 1))"
alive "alive after an oversized request" $fg

kill -TERM $fg
wait $fg
rc=$?
check_eq "SIGTERM exits 0" "$rc" 0

# proctel-agent(8), -v: one debug line per dropped request, naming its
# source and the reason.
vport=$(free_port)
vlog=$T_TMP/v.log
"$AGENT" -c "$cfg" -l "127.0.0.1:$vport" -v 2>"$vlog" &
vpid=$!
t_track $vpid
if wait_snmp "127.0.0.1:$vport"; then pass "agent with -v answers"; else
	fail "agent with -v answers" "$(cat "$vlog")"; fi
snmpget -v2c -c wrong -t 0.3 -r 0 "udp:127.0.0.1:$vport" $SYSNAME \
    >/dev/null 2>&1
check_cmd "-v logs a dropped request with its source and reason" \
    wait_log "$vlog" 'request from 127\.0\.0\.1:[0-9]+ dropped: community'
alive "alive with -v" $vpid
kill -TERM $vpid
wait $vpid

# --- daemon mode and pidfile ------------------------------------------------

port=$(free_port)
pidf=$T_TMP/agent.pid
# A pidfile left by a dead process is stale and replaced.
sh -c 'exit 0' &
dead=$!
wait $dead
echo "$dead" >"$pidf"
rc=$(run_rc "$AGENT" -c "$cfg" -l "127.0.0.1:$port" --daemon --pidfile "$pidf")
check_eq "--daemon returns 0 once serving" "$rc" 0
dpid=$(cat "$pidf" 2>/dev/null)
check_match "the pidfile holds a pid" "$dpid" '^[0-9]+$'
if [ -n "$dpid" ]; then
	t_track "$dpid"
	check_match "the pidfile names the agent" \
	    "$(cat "/proc/$dpid/comm" 2>/dev/null)" '^proctel-agent$'
	check_int "the daemon left its parent" \
	    "$(awk '/^PPid:/ { print $2 }' "/proc/$dpid/status")" -ne $$
	check_eq "the daemon leads its own session" \
	    "$(awk '{ print $6 }' "/proc/$dpid/stat")" "$dpid"
	check_eq "the daemon's stdin is /dev/null" \
	    "$(readlink "/proc/$dpid/fd/0")" /dev/null
fi
check_eq "the daemon answers" "$(get "127.0.0.1:$port" $SYSNAME)" second-name
check_eq "ptAgentPid is the pid in the pidfile" \
    "$(get "127.0.0.1:$port" $AGENTPID)" "$dpid"

rc=$(run_rc "$AGENT" -c "$cfg" -l "127.0.0.1:$(free_port)" --daemon \
    --pidfile "$pidf")
check_eq "a second daemon on the same pidfile exits 1" "$rc" 1
check_match "it names the running pid" "$(cat "$T_TMP/err")" \
    "already running as pid $dpid"
check_eq "the pidfile is untouched" "$(cat "$pidf" 2>/dev/null)" "$dpid"
[ -n "$dpid" ] && alive "daemon alive after the refused start" "$dpid"

if [ -n "$dpid" ]; then
	kill -TERM "$dpid"
	if wait_gone "$dpid"; then pass "SIGTERM stops the daemon"; else
		fail "SIGTERM stops the daemon" "pid $dpid still running"; fi
	if [ -e "$pidf" ]; then fail "SIGTERM removes the pidfile" \
	    "$pidf still exists"; else pass "SIGTERM removes the pidfile"; fi
fi

# --- privilege drop (root only) ---------------------------------------------

if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	port=$(free_port)
	ucfg=$T_TMP/user.yaml
	printf 'user: nobody\ncache_ttl_ms: 0\n' >"$ucfg"
	"$AGENT" -c "$ucfg" -l "127.0.0.1:$port" 2>"$T_TMP/user.log" &
	upid=$!
	t_track $upid
	if wait_snmp "127.0.0.1:$port"; then pass "agent with user: answers"
	else fail "agent with user: answers" "$(cat "$T_TMP/user.log")"; fi
	check_eq "user: nobody sets every uid" \
	    "$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$upid/status")" \
	    "$(id -u nobody) $(id -u nobody) $(id -u nobody) $(id -u nobody)"
	check_eq "user: nobody sets every gid" \
	    "$(awk '/^Gid:/ { print $2, $3, $4, $5 }' "/proc/$upid/status")" \
	    "$(id -g nobody) $(id -g nobody) $(id -g nobody) $(id -g nobody)"
	check_eq "user: nobody keeps no other group" \
	    "$(awk '/^Groups:/ { print $2 }' "/proc/$upid/status")" \
	    "$(id -g nobody)"
	# cache_ttl_ms 0: this walk re-reads /proc as nobody.
	check_match "a snapshot taken as nobody is served" \
	    "$(get "127.0.0.1:$port" 1.3.6.1.2.1.25.1.6.0)" '^[0-9]+$'
	alive "alive after the privilege drop" $upid
	printf 'user: no-such-user-proctel\n' >"$T_TMP/nouser.yaml"
	rc=$(run_rc "$AGENT" -c "$T_TMP/nouser.yaml" --check)
	check_eq "--check with an unknown user exits 2" "$rc" 2
	kill -TERM $upid
	wait $upid
	check_eq "the unprivileged agent exits 0 on SIGTERM" "$?" 0
else
	skip "privilege drop" "needs root and user nobody"
fi

finish
