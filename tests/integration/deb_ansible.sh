#!/bin/sh
# suite-timeout: 720
# dist/ansible/site.yml against this machine (connection: local): the agent
# play installs the .deb, writes agent.yaml from the variables and starts
# the agent; the collector play writes collector.yaml from the inventory.
# A second run changes nothing; a run with other communities restarts the
# agent, which then answers those and only those.  The v3 `users:` block,
# which today's agent refuses, is checked as rendered YAML against
# DESIGN.md's schema.
#
# No systemd here (nor in CI), so the role takes its other path: the
# agent's own --daemon with a pidfile, restarted by the handler, and the
# collector scheduled from /etc/cron.d.  The systemd tasks are the
# ansible.builtin.systemd module's, not run here.
. tests/integration/lib.sh
command -v ansible-playbook >/dev/null 2>&1 ||
    skip_all "ansible-playbook not installed (dist/deps.sh installs ansible-core)"
. tests/integration/deb.inc
"$DEB_PY" -c 'import apt' 2>/dev/null ||
    skip_all "python3-apt not installed (the apt module needs it)"

PT=1.3.6.1.4.1.8072.9999.9999.1
N=$DEB_VERSION
deb_build_check "make deb builds the packages the playbook installs" n "$N"

PORT=$(free_port)
PIDFILE=$T_TMP/agent.pid
DEB_AGENT_PIDS=$PIDFILE
C1=fleet-$$-a
C2=ops-$$-b
C3=new-$$-c
WORK=$T_TMP/ansible
mkdir -p "$WORK"
ANSIBLE_LOCAL_TEMP=$WORK/tmp-local
ANSIBLE_REMOTE_TMP=$WORK/tmp-remote
ANSIBLE_NOCOLOR=1
ANSIBLE_RETRY_FILES_ENABLED=0
ANSIBLE_STDOUT_CALLBACK=default
export ANSIBLE_LOCAL_TEMP ANSIBLE_REMOTE_TMP ANSIBLE_NOCOLOR \
    ANSIBLE_RETRY_FILES_ENABLED ANSIBLE_STDOUT_CALLBACK

# inventory COMMUNITY-JSON: both groups on this machine.  No sudo here:
# root already, so become is off.
inventory() {
	cat >"$WORK/inventory.yml" <<EOF
all:
  vars:
    ansible_connection: local
    ansible_python_interpreter: /usr/bin/python3
    ansible_become: false
    proctel_agent_deb: $(deb_file proctel-agent "$N")
    proctel_collector_deb: $(deb_file proctel-collector "$N")
  children:
    proctel_agents:
      hosts:
        agent-under-test:
          ansible_host: 127.0.0.1
          proctel_agent_poll_port: $PORT
          proctel_agent_listen: ["127.0.0.1:$PORT"]
          proctel_agent_communities: $1
          proctel_agent_pidfile: $PIDFILE
          proctel_agent_system: {name: ansible-test, location: "rack \"7\""}
    proctel_collectors:
      hosts:
        collector-under-test:
          proctel_collector_outputs:
            - {type: jsonl, path: /var/lib/proctel/ansible.jsonl}
EOF
}

# play NAME: run site.yml, output in $WORK/NAME.out; the PLAY RECAP's
# summed changed= and failed= in CHANGED and FAILED.
play() {
	ansible-playbook -i "$WORK/inventory.yml" dist/ansible/site.yml \
	    >"$WORK/$1.out" 2>&1 9>&- </dev/null
	rc=$?
	CHANGED=$(sed -n 's/.* changed=\([0-9]*\).*/\1/p' "$WORK/$1.out" |
	    awk '{ s += $1 } END { print s + 0 }')
	FAILED=$(sed -n 's/.* failed=\([0-9]*\).*/\1/p' "$WORK/$1.out" |
	    awk '{ s += $1 } END { print s + 0 }')
	if [ "$rc" -ne 0 ]; then
		echo "--- ansible-playbook ($1) exited $rc"
		grep -E -B4 -A3 '^(fatal|failed|ERROR)|FAILED!' "$WORK/$1.out" | head -40
		dpkg-query -W -f='    dpkg: ${Package} ${Status} ${Version}\n' \
		    proctel-agent proctel-collector 2>&1
	fi
	return "$rc"
}

touch "$DEB_MARK"
inventory "[{name: $C1, allow: [127.0.0.0/8]}, {name: $C2, allow: [127.0.0.1/32]}]"
play first
check_eq "the first run succeeds" "$?/$FAILED" "0/0"
check_int "the first run changes things" "$CHANGED" -gt 0
check_eq "it installed proctel-agent" \
    "$(dpkg-query -W -f='${Status} ${Version}' proctel-agent 2>&1)" "install ok installed $N"
check_eq "it installed proctel-collector" \
    "$(dpkg-query -W -f='${Status} ${Version}' proctel-collector 2>&1)" "install ok installed $N"

wait_snmp "127.0.0.1:$PORT" "$C1"
check_eq "the agent answers the first community" \
    "$(snmp_get "$PORT" "$C1" "$PT.1.2.3.0")" "\"proctel-agent $N\""
check_eq "the agent answers the second community" \
    "$(snmp_get "$PORT" "$C2" "$PT.1.2.3.0")" "\"proctel-agent $N\""
check_eq "the packaged community public is gone" "$(snmp_get "$PORT" public "$PT.1.2.3.0")" ""
check_eq "sysName from the variables" "$(snmp_get "$PORT" "$C1" 1.3.6.1.2.1.1.5.0)" '"ansible-test"'
check_eq "sysLocation, quotes and all" "$(snmp_get "$PORT" "$C1" 1.3.6.1.2.1.1.6.0)" '"rack \"7\""'
pid1=$(cat "$PIDFILE" 2>/dev/null)

play second
check_eq "the second run succeeds" "$?/$FAILED" "0/0"
check_eq "the second run changes nothing" "$CHANGED" 0
check_cmd "the second run restarts nothing" \
    sh -c "! grep -q 'RUNNING HANDLER' '$WORK/second.out'"
check_eq "the agent kept running" "$(cat "$PIDFILE" 2>/dev/null)" "$pid1"

# The collector play: one target per agent host, from the inventory.
check_cmd "collector.yaml passes --check" \
    /usr/bin/proctel-collector -c /etc/proctel/collector.yaml --check
check_cmd "collector.yaml lists the inventory's agent with its port and community" \
    "$DEB_PY" - /etc/proctel/collector.yaml "$PORT" "$C1" <<'EOF'
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
assert c["targets"] == [{"name": "agent-under-test", "host": "127.0.0.1",
                         "port": int(sys.argv[2]), "community": sys.argv[3]}], c["targets"]
EOF
check_eq "collector.yaml is readable by the collector's user only" \
    "$(stat -c '%U %G %a' /etc/proctel/collector.yaml)" "root proctel-collector 640"
check_match "without systemd, the collector runs from /etc/cron.d" \
    "$(grep -v '^#' /etc/cron.d/proctel-collector 2>&1)" \
    '^\* \* \* \* \* proctel-collector /usr/bin/proctel-collector -c /etc/proctel/collector.yaml --once -q$'
runuser -u proctel-collector -- /usr/bin/proctel-collector \
    -c /etc/proctel/collector.yaml --once -q >"$T_TMP/coll.out" 2>&1 9>&-
check_eq "that cron job, run once now, exits 0" "$?" 0
check_match "it polled the agent the playbook set up" \
    "$(cat /var/lib/proctel/ansible.jsonl 2>&1)" '"target":"agent-under-test".*"status":"ok"'

# Other communities: the handler restarts the agent.
inventory "[{name: $C3, allow: [127.0.0.0/8]}]"
play third
check_eq "a run with other communities succeeds" "$?/$FAILED" "0/0"
check_cmd "it restarts the agent" grep -q 'RUNNING HANDLER \[proctel_agent : Restart proctel-agent without systemd\]' "$WORK/third.out"
pid3=$(cat "$PIDFILE" 2>/dev/null)
if [ -n "$pid1" ] && [ -n "$pid3" ] && [ "$pid1" != "$pid3" ] && ! kill -0 "$pid1" 2>/dev/null; then
	pass "the old agent is gone, a new one runs"
else
	fail "the old agent is gone, a new one runs" "before $pid1, after $pid3"
fi
wait_snmp "127.0.0.1:$PORT" "$C3"
check_eq "the agent answers the new community" "$(snmp_get "$PORT" "$C3" "$PT.1.2.3.0")" "\"proctel-agent $N\""
check_eq "and no longer the removed one" "$(snmp_get "$PORT" "$C1" "$PT.1.2.3.0")" ""
check_match "collector.yaml follows the new community" \
    "$(grep 'community:' /etc/proctel/collector.yaml)" "community: \"$C3\""

# SNMPv3 users, rendered from the role's template alone (today's agent
# would refuse them in --check): DESIGN.md's schema, YAML-exact.
cat >"$WORK/render.yml" <<EOF
- hosts: localhost
  gather_facts: false
  vars:
    proctel_agent_config: /etc/proctel/agent.yaml
    proctel_agent_listen: ["127.0.0.1:161"]
    proctel_agent_communities:
      - {name: public, allow: ["127.0.0.0/8"], view: ["1.3.6.1.4.1.8072.9999.9999.1.1"]}
    proctel_agent_users:
      - {name: monitor, level: authPriv, auth_protocol: SHA-256,
         auth_password: "at least 8: 'and' \"quotes\"", priv_protocol: AES,
         priv_password: "another 8+", view: ["1.3.6.1"], expose_cmdline: false}
      - {name: keyed, level: authNoPriv, auth_protocol: SHA, auth_key: "0a1b2c3d"}
    proctel_agent_engine_id: "80001f8880c0ffee0001"
    proctel_agent_state_dir: /var/lib/proctel-agent
  tasks:
    - ansible.builtin.template:
        src: $DEB_TOP/dist/ansible/roles/proctel_agent/templates/agent.yaml.j2
        dest: $WORK/rendered.yaml
        mode: "0600"
      vars:
        proctel_agent_system: {}
        proctel_agent_cache_ttl_ms: 1000
        proctel_agent_max_message_size: 1472
        proctel_agent_expose_cmdline: false
        proctel_agent_user: nobody
        proctel_agent_log: {target: stderr, level: info}
EOF
ansible-playbook -i localhost, -c local "$WORK/render.yml" >"$WORK/render.out" 2>&1 9>&- </dev/null
check_eq "the template renders v3 users" "$?" 0
check_cmd "the rendered users, engine_id and views are DESIGN.md's" \
    "$DEB_PY" - "$WORK/rendered.yaml" <<'EOF'
import sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
assert c["users"] == [
    {"name": "monitor", "level": "authPriv", "auth_protocol": "SHA-256",
     "auth_password": "at least 8: 'and' \"quotes\"", "priv_protocol": "AES",
     "priv_password": "another 8+", "view": ["1.3.6.1"], "expose_cmdline": False},
    {"name": "keyed", "level": "authNoPriv", "auth_protocol": "SHA",
     "auth_key": "0a1b2c3d"}], c["users"]
assert c["engine_id"] == "80001f8880c0ffee0001"
assert c["state_dir"] == "/var/lib/proctel-agent"
assert c["communities"] == [{"name": "public", "allow": ["127.0.0.0/8"],
                             "view": ["1.3.6.1.4.1.8072.9999.9999.1.1"]}]
EOF

# Cleanup purges what the playbook installed and wrote (deb.inc's trap);
# check here that it does.
deb_purge_all
check_eq "after the purge nothing of the playbook's is left" \
    "$(ls -d /etc/proctel /var/lib/proctel /etc/cron.d/proctel-collector \
        /var/cache/proctel 2>/dev/null; getent passwd proctel-collector)" ""
if [ -n "$pid3" ] && wait_gone "$pid3"; then
	pass "the agent is stopped"
else
	fail "the agent is stopped" "pid $pid3"
fi
finish
