#!/bin/sh
# agent_v3: proctel-agent as an SNMPv3 agent that net-snmp's tools reach as
# they come, without -e: snmpget, snmpwalk, snmpbulkwalk and snmptable for
# every auth x priv pair the agent supports (MD5, SHA, SHA-224 .. SHA-512
# with AES, AES-192, AES-256, AES-192-C, AES-256-C) and all three levels;
# the snmpEngine objects; views for communities and users (a community
# limited to PROCTEL-MIB's scalars cannot read ptProcTable, an authPriv
# user can); a user's own expose_cmdline; SIGHUP reloading users while the
# engine ID and boots stay; --check and the start-up warning for secrets
# others can read; the peak RSS with users configured.
# suite-timeout: 600
. tests/integration/lib.sh
. tests/integration/agent.inc
. tests/integration/agent_v3.inc
command -v snmptable >/dev/null 2>&1 || skip_all "snmptable not installed"

v3_up "$T_TMP/agent.yaml" "  - {name: cmd, auth_protocol: SHA-256, auth_password: $PW, priv_protocol: AES, priv_password: $PW, expose_cmdline: true}
  - {name: tableonly, auth_protocol: SHA, auth_password: $PW, priv_protocol: AES, priv_password: $PW, view: [ptProcTable]}
"
check_match "start-up names a generated engine ID and boots 1" \
    "$(cat "$T_TMP/agent.log")" \
    'SNMPv3 engine ID 80001f8805[0-9a-f]{16} \(generated\), snmpEngineBoots 1: no state file yet'
eid=$(sed -n 's/^engine_id //p' "$T_TMP/state/snmp-engine")
check_match "the state file holds the engine ID" "$eid" '^80001f8805[0-9a-f]{16}$'
check_eq "no warning for a config only its owner reads" \
    "$(grep -c 'readable by' "$T_TMP/agent.log")" 0

dirs="mibs:mibs/stubs:/usr/share/snmp/mibs"
# The names (not values) of a walk, for comparing walks.
names() { sed -n 's/^\(\.[0-9.]*\) = .*/\1/p'; }
snmpwalk -v2c -c public -t 3 -r 1 -On "udp:$ADDR" "$PT.1.1" | names >"$T_TMP/v2names"
check_int "v2c walks ptSystem's 13 scalars" "$(wc -l <"$T_TMP/v2names")" -eq 13

# ---- every pair and level, every tool, no engine ID given ----
for a in - $V3_AUTHS; do
	for p in - $V3_PRIVS; do
		[ "$a" = - ] && [ "$p" != - ] && continue
		u=$(v3_user "$a" "$p")
		check_eq "$u: snmpget" "$(v3 snmpget "$a" "$p" "$SYS.5.0" "$ENGINE.2.0")" \
		    ".$SYS.5.0 = STRING: \"pt-v3-host\"
.$ENGINE.2.0 = INTEGER: 1"
		v3 snmpwalk "$a" "$p" "$PT.1.1" | names >"$T_TMP/w"
		check_eq "$u: snmpwalk ptSystem as v2c" "$(cat "$T_TMP/w")" "$(cat "$T_TMP/v2names")"
		v3 snmpbulkwalk "$a" "$p" -Cr20 "$PT.1.1" | names >"$T_TMP/bw"
		check_eq "$u: snmpbulkwalk ptSystem as v2c" "$(cat "$T_TMP/bw")" "$(cat "$T_TMP/v2names")"
		v3 snmptable "$a" "$p" -Ci -Cf '|' -Cr 50 -M "$dirs" -m PROCTEL-MIB \
		    PROCTEL-MIB::ptProcTable >"$T_TMP/tbl"
		check_match "$u: snmptable ptProcTable has the agent's row" \
		    "$(grep "^$APID|" "$T_TMP/tbl")" "^$APID\\|$$\\|[a-z]+\\|proctel-agent\\|"
	done
done
# A user below its own level (an authPriv one asking authNoPriv).
check_match "a request below the user's level: authorizationError" \
    "$(snmpget -v3 -l authNoPriv -u ap-SHA-AES -a SHA -A $PW -t 3 -r 0 -On "udp:$ADDR" "$SYS.5.0" 2>&1)" \
    'authorizationError'

# ---- the snmpEngine group ----
out=$(v3 snmpget SHA-256 AES "$ENGINE.1.0" "$ENGINE.3.0" "$ENGINE.4.0")
check_match "snmpEngineID is the state file's" "$(echo "$out" | tr -d ' \n')" \
    "$(echo "$eid" | tr 'a-f' 'A-F')"
t1=$(echo "$out" | sed -n "s/^\\.$ENGINE\\.3\\.0 = INTEGER: //p")
check_match "snmpEngineMaxMessageSize is max_message_size" "$out" "^\\.$ENGINE\\.4\\.0 = INTEGER: 1472$"
sleep 1.2
t2=$(v3 snmpget SHA-256 AES -Oqv "$ENGINE.3.0")
check_int "snmpEngineTime counts seconds" "${t2:-0}" -gt "${t1:-99999}"

# ---- views ----
out=$(snmpwalk -v2c -c scalars -t 3 -r 1 -On "udp:$ADDR" "$PT.1.3" 2>&1)
check_eq "community 'scalars' cannot walk ptProcTable" \
    "$(echo "$out" | grep -c "^\\.$PT\\.1\\.3\\.1\\.")" 0
check_match "... its walk ends at the view's end" "$out" 'No more variables left in this MIB View'
check_match "community 'scalars' GET of the agent's ptProcName: noSuchObject" \
    "$(snmpget -v2c -c scalars -t 3 -r 0 -On "udp:$ADDR" "$PT.1.3.1.4.$APID" 2>&1)" 'No Such Object'
snmpwalk -v2c -c scalars -t 3 -r 1 -On "udp:$ADDR" .1 | names >"$T_TMP/sw"
check_eq "community 'scalars' walks PROCTEL-MIB's scalars and nothing else" \
    "$(grep -cv "^\\.$PT\\.1\\.[12]\\." "$T_TMP/sw")" 0
check_int "... all of ptSystem and ptAgent" "$(wc -l <"$T_TMP/sw")" -ge 20
check_eq "community 'scalars' from 127.0.0.2 takes its first entry's view: ptProcName" \
    "$(snmpget -v2c -c scalars --clientaddr=127.0.0.2 -t 3 -r 0 -Oqv "udp:$ADDR" "$PT.1.3.1.4.$APID" 2>&1)" \
    '"proctel-agent"'
check_eq "an authPriv user reads the agent's ptProcName" \
    "$(v3 snmpget SHA-256 AES -Oqv "$PT.1.3.1.4.$APID")" '"proctel-agent"'
v3u() { snmp"$1" -v3 -l authPriv -u "$2" -a "$3" -A $PW -x AES -X $PW -t 3 -r 1 -On "udp:$ADDR" "$4" 2>&1; }
v3u walk tableonly SHA .1 | names >"$T_TMP/tw"
check_eq "a user with view [ptProcTable] walks only the table" \
    "$(grep -cv "^\\.$PT\\.1\\.3\\.1\\." "$T_TMP/tw")" 0
check_int "... all of it" "$(wc -l <"$T_TMP/tw")" -ge 8
check_match "... and sysName is not there" "$(v3u get tableonly SHA "$SYS.5.0")" 'No Such Object'

# ---- a user's own expose_cmdline ----
check_match "user cmd (expose_cmdline: true) reads the agent's command line" \
    "$(v3u get cmd SHA-256 "$PT.1.3.1.9.$APID")" "proctel-agent -c $T_TMP/agent.yaml"
check_eq "v2c (expose_cmdline: false) reads it empty" \
    "$(snmpget -v2c -c public -t 3 -r 0 -Oqv "udp:$ADDR" "$PT.1.3.1.9.$APID" 2>&1)" '""'
check_eq "another v3 user reads it empty" \
    "$(v3 snmpget SHA AES -Oqv "$PT.1.3.1.9.$APID")" '""'

# ---- SIGHUP: users reloaded, engine ID and boots kept ----
sed 's/^  - {name: an-MD5,.*$/  - {name: newbie, auth_protocol: SHA-512, auth_password: newbie-pw, priv_protocol: AES-256, priv_password: newbie-pw}/' \
    "$T_TMP/agent.yaml" >"$T_TMP/reload.yaml"
sed -i 's/^state_dir:.*$/engine_id: 80001f880470726f6374656c\nstate_dir: \/nonexistent/' "$T_TMP/reload.yaml"
cp "$T_TMP/reload.yaml" "$T_TMP/agent.yaml"
kill -HUP "$APID"
wait_log "$T_TMP/agent.log" 'configuration reloaded' ||
    fail "the reload finished" "$(tail -3 "$T_TMP/agent.log")"
newbie() { snmpget -v3 -l authPriv -u newbie -a SHA-512 -A newbie-pw -x AES-256 -X newbie-pw -t 3 -r 1 -On "udp:$ADDR" "$SYS.5.0" 2>&1; }
check_match "a reloaded user answers" "$(newbie)" 'pt-v3-host'
check_match "a removed user is unknown" "$(v3 snmpget MD5 - "$SYS.5.0")" 'Unknown user name'
check_eq "boots unchanged by the reload" "$(v3 snmpget SHA AES -Oqv "$ENGINE.2.0")" 1
check_match "engine ID unchanged, its change waits for a restart" \
    "$(cat "$T_TMP/agent.log")" 'engine_id changed; it takes effect at the next restart'
check_match "... and so does state_dir's" "$(cat "$T_TMP/agent.log")" 'state_dir changed; it takes effect'
check_match "the engine still says its own ID" \
    "$(v3 snmpget SHA AES "$ENGINE.1.0" | tr -d ' \n')" "$(echo "$eid" | tr 'a-f' 'A-F')"
# A users: list that does not load keeps the running users.
sed 's/newbie-pw/short/g' "$T_TMP/reload.yaml" >"$T_TMP/agent.yaml"
kill -HUP "$APID"
wait_log "$T_TMP/agent.log" 'reload failed, keeping' ||
    fail "a bad reload is refused" "$(tail -3 "$T_TMP/agent.log")"
check_match "after a failed reload the users are the running ones" "$(newbie)" 'pt-v3-host'
alive "agent alive after the reloads" "$APID"

# ---- --check and the warning about readable secrets ----
cp "$T_TMP/reload.yaml" "$T_TMP/check.yaml"
chmod 600 "$T_TMP/check.yaml"
out=$("$AGENT" -c "$T_TMP/check.yaml" --check 2>&1)
check_eq "--check of a private config: exit 0" "$?" 0
check_eq "... and no warning" "$(echo "$out" | grep -c 'readable by')" 0
chmod 644 "$T_TMP/check.yaml"
out=$("$AGENT" -c "$T_TMP/check.yaml" --check 2>&1)
check_eq "--check of a world-readable config with passwords: exit 0" "$?" 0
check_match "... warns that every user can read the secrets" "$out" \
    'check.yaml holds SNMPv3 passwords or keys and is readable by every user \(mode 0644\)'
chmod 640 "$T_TMP/check.yaml"
check_match "a group-readable one: its group" \
    "$("$AGENT" -c "$T_TMP/check.yaml" --check 2>&1)" 'readable by its group \(mode 0640\)'
printf 'users:\n  - {name: old, auth_password: %s, priv_protocol: DES, priv_password: %s}\n' $PW $PW >"$T_TMP/des.yaml"
out=$("$AGENT" -c "$T_TMP/des.yaml" --check 2>&1)
check_eq "--check refuses DES: exit 2" "$?" 2
check_match "... saying why" "$out" 'DES is refused: its 56-bit key falls to exhaustive search'
# At start, too: a second agent on a world-readable copy.
P2=$(free_port)
v3_conf "$T_TMP/open.yaml" "$P2"
sed -i "s|^state_dir:.*|state_dir: $T_TMP/state2|" "$T_TMP/open.yaml"
chmod 644 "$T_TMP/open.yaml"
"$AGENT" -c "$T_TMP/open.yaml" >"$T_TMP/open.log" 2>&1 &
OPID=$!
t_track "$OPID"
wait_snmp "127.0.0.1:$P2" >/dev/null 2>&1
check_match "the agent warns at start too" "$(cat "$T_TMP/open.log")" \
    'open.yaml holds SNMPv3 passwords or keys and is readable by every user'
agent_stop "$OPID"

# ---- memory: the peak RSS with these users configured ----
users=$(grep -c '^  - {name:' "$T_TMP/reload.yaml")
check_peak_rss "peak RSS under 3 MB with $users SNMPv3 users, after every walk" \
    "$APID" "$AGENT" 3072
alive "agent alive at the end" "$APID"
finish
