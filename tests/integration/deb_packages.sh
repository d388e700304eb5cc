#!/bin/sh
# suite-timeout: 720
# The Debian packages (make deb, dist/debian): built, lintian-clean, the
# right files with the right versions, every shipped unit verified and
# within the exposure bound, installed with dpkg -i, the installed agent
# queried on a loopback port and polled by the installed collector, purged
# without a trace; then an upgrade from N to N+1 that keeps an edited
# conffile and restarts the agent.
#
# This machine does not run systemd (CI's neither), so the packaged unit is
# enabled on install but never started.  The upgrade part therefore runs
# dpkg in a private mount namespace where /run/systemd/system exists (the
# test dh_installsystemd's scripts make) and systemctl and
# deb-systemd-invoke are stand-ins (fakesd, below): they log each call, and
# deb-systemd-invoke starts, stops and restarts the agent the way the
# installed unit says (its ExecStartPre and ExecStart lines), on a free
# loopback port instead of 161.  So "the agent restarts" is checked as:
# the upgrade asked for `restart proctel-agent.service`, the old process is
# gone, and a new one answers with N+1's version and the edited config.
. tests/integration/lib.sh
. tests/integration/deb.inc

PT=1.3.6.1.4.1.8072.9999.9999.1
N=$DEB_VERSION
N1=$DEB_VERSION_NEXT

# ---- build
deb_build_check "make deb builds proctel-agent and proctel-collector $N" n "$N"
A_DEB=$(deb_file proctel-agent "$N")
C_DEB=$(deb_file proctel-collector "$N")

# ---- make install, for other distributions, still lays everything down
if make --no-print-directory install DESTDIR="$T_TMP/inst" PREFIX=/opt/pt \
    >"$T_TMP/install.log" 2>&1 9>&-; then
	pass "make install DESTDIR=... PREFIX=/opt/pt"
else
	fail "make install DESTDIR=... PREFIX=/opt/pt" "$(tail -5 "$T_TMP/install.log")"
fi
I=$T_TMP/inst/opt/pt
check_eq "make install: proctel-agent --version" "$("$I/sbin/proctel-agent" --version 2>&1)" "proctel-agent $N"
check_eq "make install: the units' programs are PREFIX's" \
    "$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$I/share/proctel/examples/proctel-agent.service" \
        "$I/share/proctel/examples/proctel-collector.service" 2>&1 | tr '\n' ' ')" \
    "/opt/pt/sbin/proctel-agent /opt/pt/bin/proctel-collector "
check_cmd "make install: the timer, MIB stubs and man pages" test -f \
    "$I/share/proctel/examples/proctel-collector.timer" -a -f \
    "$I/share/proctel/mibs/stubs/SNMPv2-SMI.txt" -a -f "$I/share/man/man5/proctel.yaml.5"

# ---- lintian: no error, no warning (information tags are allowed)
lintian --fail-on error,warning "$A_DEB" "$C_DEB" >"$T_TMP/lintian.out" 2>&1 9>&-
rc=$?
tags=$(grep -E '^[EW]: ' "$T_TMP/lintian.out")
if [ "$rc" -eq 0 ] && [ -z "$tags" ]; then
	pass "lintian: no error or warning on either package"
else
	fail "lintian: no error or warning on either package" "exit $rc" "$tags"
fi

# ---- contents and versions
deb_has() {
	dpkg-deb -c "$1" | awk '{print $6}' | grep -qx -- "./$2"
}
for f in usr/sbin/proctel-agent etc/proctel/agent.yaml \
    lib/systemd/system/proctel-agent.service \
    usr/share/man/man8/proctel-agent.8.gz usr/share/man/man5/proctel.yaml.5.gz \
    usr/share/proctel/mibs/PROCTEL-MIB.txt \
    usr/share/proctel/mibs/stubs/SNMPv2-SMI.txt \
    usr/share/proctel/mibs/stubs/SNMPv2-TC.txt \
    usr/share/proctel/mibs/stubs/SNMPv2-CONF.txt \
    usr/share/doc/proctel-agent/examples/proctel-agent-agentx.conf; do
	if deb_has "$A_DEB" "$f"; then pass "proctel-agent ships /$f"; else fail "proctel-agent ships /$f"; fi
done
for f in usr/bin/proctel-collector usr/share/man/man1/proctel-collector.1.gz \
    lib/systemd/system/proctel-collector.service \
    lib/systemd/system/proctel-collector.timer \
    usr/share/doc/proctel-collector/examples/collector.yaml \
    usr/share/doc/proctel-collector/examples/crontab.example; do
	if deb_has "$C_DEB" "$f"; then pass "proctel-collector ships /$f"; else fail "proctel-collector ships /$f"; fi
done
check_eq "agent.yaml is proctel-agent's one conffile" \
    "$(dpkg-deb --ctrl-tarfile "$A_DEB" | tar -xOf - ./conffiles)" \
    "/etc/proctel/agent.yaml"
check_eq "proctel-agent's version is VERSION's" "$(dpkg-deb -f "$A_DEB" Version)" "$N"
check_eq "proctel-collector's version is VERSION's" "$(dpkg-deb -f "$C_DEB" Version)" "$N"

mkdir -p "$T_TMP/root"
dpkg-deb -x "$A_DEB" "$T_TMP/root"
dpkg-deb -x "$C_DEB" "$T_TMP/root"
# systemd-analyze verify runs with --man=no below (man pages may be
# excluded from installs, as in Docker images); here, instead: every man
# page a unit names is in the packages.
for u in "$T_TMP"/root/lib/systemd/system/*; do
	# shellcheck disable=SC2013 # Documentation= is a list of words
	for m in $(sed -n 's/^Documentation=//p' "$u"); do
		case "$m" in
		man:*)
			page=${m#man:}
			sec=${page##*(}
			sec=${sec%)}
			f=usr/share/man/man$sec/${page%(*}.$sec.gz
			if [ -f "$T_TMP/root/$f" ]; then
				pass "$(basename "$u"): $m is shipped"
			else
				fail "$(basename "$u"): $m is shipped" "no /$f"
			fi
			;;
		esac
	done
done

# The packaged agent.yaml is safe: loopback addresses only, and every
# community usable from loopback sources only.
check_cmd "the packaged agent.yaml listens and answers on loopback only" \
    "$DEB_PY" - "$T_TMP/root/etc/proctel/agent.yaml" <<'EOF'
import ipaddress, sys, yaml
c = yaml.safe_load(open(sys.argv[1]))
lo4, lo6 = ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128")
def loop(net):
    n = ipaddress.ip_network(net, strict=False)
    return n.subnet_of(lo4) if n.version == 4 else n.subnet_of(lo6)
for a in c["listen"]:
    host = a.rsplit(":", 1)[0].strip("[]") if a.count(":") != 1 or "]" in a else a.split(":")[0]
    assert loop(host), a
assert c["communities"], "no community"
for com in c["communities"]:
    assert com.get("allow"), com        # absent would also mean loopback
    assert all(loop(p) for p in com["allow"]), com
EOF

# ---- every shipped service within the exposure bound (2.0, i.e. 20 of
# systemd-analyze's 100), read from the package before installing
for u in proctel-agent.service proctel-collector.service; do
	out=$(systemd-analyze security --offline=true --threshold=20 \
	    "$T_TMP/root/lib/systemd/system/$u" 2>&1)
	rc=$?
	level=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	if [ "$rc" -eq 0 ] && [ -n "$level" ] &&
	    awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
		pass "$u: systemd-analyze security exposure $level <= 2.0"
	else
		fail "$u: systemd-analyze security exposure <= 2.0" "exit $rc, level '$level'"
	fi
done
# The AgentX-only drop-in (examples) on top of the unit: no capability
# left, so exposure no higher than the unit's own.
mkdir -p "$T_TMP/axunit"
cat "$T_TMP/root/lib/systemd/system/proctel-agent.service" \
    "$T_TMP/root/usr/share/doc/proctel-agent/examples/proctel-agent-agentx.conf" \
    >"$T_TMP/axunit/proctel-agent.service"
ax=$(systemd-analyze security --offline=true \
    "$T_TMP/axunit/proctel-agent.service" 2>&1 |
    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
plain=$(systemd-analyze security --offline=true \
    "$T_TMP/root/lib/systemd/system/proctel-agent.service" 2>&1 |
    sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ -n "$ax" ] && awk -v a="$ax" -v p="${plain:-0}" 'BEGIN { exit !(a <= p) }'; then
	pass "with the AgentX drop-in: exposure $ax <= the unit's $plain"
else
	fail "with the AgentX drop-in: exposure <= the unit's" "$ax vs $plain"
fi
check_cmd "the AgentX drop-in leaves no capability" \
    grep -qx 'CapabilityBoundingSet=' "$T_TMP/axunit/proctel-agent.service"
check_cmd "the agent unit keeps /proc visible (no ProtectProc, ProcSubset, PrivateUsers)" \
    sh -c "! grep -E '^(ProtectProc|ProcSubset|PrivateUsers)=' '$T_TMP/root/lib/systemd/system/proctel-agent.service'"

check_cmd "the collector unit lets it raise RLIMIT_NOFILE (no ~@resources)" \
    sh -c "! grep -E '^SystemCallFilter=~.*@resources' '$T_TMP/root/lib/systemd/system/proctel-collector.service'"

# ---- install without systemd: enabled, the start quietly skipped
touch "$DEB_MARK"
dpkg_check "dpkg -i installs both packages" -i \
    --force-confdef --force-confold "$A_DEB" "$C_DEB"
# Quietly: no word about the service that was not started.
noise() {
	grep -i -E "error|fail|warn|denied|not been booted|can't operate|skipping" \
	    "$T_TMP/dpkg.out"
}
check_eq "installing prints no warning or error" "$(noise)" ""
check_cmd "proctel-agent.service is enabled" \
    test -L /etc/systemd/system/multi-user.target.wants/proctel-agent.service
check_cmd "proctel-collector.timer is not enabled (no collector.yaml yet)" \
    test ! -e /etc/systemd/system/timers.target.wants/proctel-collector.timer
check_eq "proctel-agent --version agrees with the package" \
    "$(/usr/sbin/proctel-agent --version)" "proctel-agent $(dpkg-query -W -f='${Version}' proctel-agent)"
check_eq "proctel-collector --version agrees with the package" \
    "$(/usr/bin/proctel-collector --version)" "proctel-collector $(dpkg-query -W -f='${Version}' proctel-collector)"
check_match "the installed man page carries the version" \
    "$(zcat /usr/share/man/man8/proctel-agent.8.gz | grep '^\.TH')" "\"proctel $N\""
check_cmd "the packaged agent.yaml passes --check" \
    /usr/sbin/proctel-agent -c /etc/proctel/agent.yaml --check
pw=$(getent passwd proctel-collector)
check_match "the system user proctel-collector exists" "$pw" \
    '^proctel-collector:x:[0-9]+:[0-9]+:[^:]*:/var/lib/proctel:/usr/sbin/nologin$'
uid=$(echo "$pw" | cut -d: -f3)
check_int "proctel-collector's uid is a system uid" "${uid:-99999}" -lt 1000
check_eq "/var/lib/proctel belongs to proctel-collector, mode 750" \
    "$(stat -c '%U %G %a' /var/lib/proctel 2>&1)" "proctel-collector proctel-collector 750"

# ---- every installed unit verifies (binaries now in place)
for u in proctel-agent.service proctel-collector.service proctel-collector.timer; do
	out=$(systemd-analyze verify --man=no "/lib/systemd/system/$u" 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] && [ -z "$out" ]; then
		pass "systemd-analyze verify $u"
	else
		fail "systemd-analyze verify $u" "exit $rc" "$out"
	fi
done

# ---- the installed agent, on a free loopback port
PORT=$(free_port)
/usr/sbin/proctel-agent -c /etc/proctel/agent.yaml -l "127.0.0.1:$PORT" \
    >"$T_TMP/agent.log" 2>&1 9>&- &
APID=$!
t_track "$APID"
if wait_snmp "127.0.0.1:$PORT"; then
	pass "the installed agent answers snmpget on 127.0.0.1:$PORT"
else
	fail "the installed agent answers snmpget on 127.0.0.1:$PORT" "$(tail -5 "$T_TMP/agent.log")"
fi
check_eq "ptAgentVersion is the package's" \
    "$(snmp_get "$PORT" public "$PT.1.2.3.0")" "\"proctel-agent $N\""
check_int "ptProcesses counts this host's processes" \
    "$(snmp_get "$PORT" public "$PT.1.1.1.0")" -gt 1
check_match "names resolve with the installed MIB and its stubs" \
    "$(snmpget -v2c -c public -t 1 -r 1 \
        -M +/usr/share/proctel/mibs:/usr/share/proctel/mibs/stubs \
        -m PROCTEL-MIB "udp:127.0.0.1:$PORT" PROCTEL-MIB::ptAgentVersion.0 2>&1)" \
    "^PROCTEL-MIB::ptAgentVersion.0 = STRING: \"?proctel-agent $N\"?$"
check_eq "started as root, it dropped to the conffile's user nobody" \
    "$(awk '/^Uid:/ {print $2}' "/proc/$APID/status" 2>/dev/null)" "$(id -u nobody)"

# ---- the installed agent with an SNMPv3 user: its state in the default
# state_dir, /var/lib/proctel-agent (the purge below must remove it)
V3PORT=$(free_port)
mkdir -m 700 "$T_TMP/v3cfg"
cat >"$T_TMP/v3cfg/agent.yaml" <<EOF
listen: ["127.0.0.1:$V3PORT"]
user: nobody
users:
  - {name: pkg, auth_protocol: SHA-256, auth_password: pkg-secret, priv_protocol: AES, priv_password: pkg-secret}
EOF
chmod 600 "$T_TMP/v3cfg/agent.yaml"
/usr/sbin/proctel-agent -c "$T_TMP/v3cfg/agent.yaml" >"$T_TMP/v3agent.log" 2>&1 9>&- &
V3PID=$!
t_track "$V3PID"
wait_snmp "127.0.0.1:$V3PORT" >/dev/null 2>&1
check_match "the installed agent answers snmpget -v3 without -e" \
    "$(snmpget -v3 -l authPriv -u pkg -a SHA-256 -A pkg-secret -x AES -X pkg-secret \
        -t 2 -r 1 -Oqv "udp:127.0.0.1:$V3PORT" 1.3.6.1.6.3.10.2.1.2.0 2>&1)" '^1$'
check_eq "its engine state is in /var/lib/proctel-agent, root's, mode 700" \
    "$(stat -c '%U %a' /var/lib/proctel-agent 2>&1)" "root 700"
check_match "... in snmp-engine" "$(cat /var/lib/proctel-agent/snmp-engine 2>&1)" '^boots 1$'
kill "$V3PID" 2>/dev/null
wait "$V3PID" 2>/dev/null

# ---- the installed collector, once, as its user, into /var/lib/proctel
chmod 711 "$T_TMP"
mkdir -m 755 "$T_TMP/cfg"
cat >"$T_TMP/cfg/collector.yaml" <<EOF
defaults: {community: public, timeout_ms: 500, retries: 2}
deadline_s: 20
targets:
  - {host: 127.0.0.1, port: $PORT, name: pkg-local}
outputs:
  - {type: sqlite, path: /var/lib/proctel/proctel.db}
  - {type: jsonl, path: /var/lib/proctel/run.jsonl}
lock_file: /var/lib/proctel/collector.lock
EOF
chmod 644 "$T_TMP/cfg/collector.yaml"
runuser -u proctel-collector -- /usr/bin/proctel-collector \
    -c "$T_TMP/cfg/collector.yaml" --once -q >"$T_TMP/coll.out" 2>&1 9>&-
check_eq "proctel-collector --once as proctel-collector exits 0" "$?" 0
check_match "it polled the installed agent" \
    "$(cat /var/lib/proctel/run.jsonl 2>&1)" '"target":"pkg-local".*"status":"ok"'
check_int "its SQLite history in /var/lib/proctel has samples" \
    "$(sqlite3 /var/lib/proctel/proctel.db 'select count(*) from samples' 2>/dev/null || echo 0)" -gt 0

# ---- purge: no file, directory, user or unit state of ours is left
kill "$APID" 2>/dev/null
wait "$APID" 2>/dev/null
# leftovers WHEN: everything the packages listed, and the places ours live
leftovers() {
	left=""
	while IFS= read -r p; do
		case "$p" in *proctel*) [ -e "$p" ] || [ -L "$p" ] && left="$left $p" ;; esac
	done <"$T_TMP/files"
	for p in /etc/proctel /var/lib/proctel /var/lib/proctel-agent \
	    /var/lib/private/proctel-agent /usr/share/proctel \
	    /etc/systemd/system/multi-user.target.wants/proctel-agent.service \
	    /etc/cron.d/proctel-collector; do
		[ -e "$p" ] || [ -L "$p" ] && left="$left $p"
	done
	left="$left $(find /etc /var/lib /var/cache /var/log /lib/systemd \
	    /usr/share/doc /usr/share/man /usr/sbin /usr/bin \
	    -name '*proctel*' ! -path '*/proctel-tests*' 2>/dev/null | tr '\n' ' ')"
	getent passwd proctel-collector >/dev/null && left="$left user:proctel-collector"
	getent group proctel-collector >/dev/null && left="$left group:proctel-collector"
	# shellcheck disable=SC2086,SC2116 # squeeze the spaces
	left=$(echo $left)
	check_eq "after $1, nothing of ours is left" "$left" ""
}
dpkg -L proctel-agent proctel-collector >"$T_TMP/files" 2>/dev/null
dpkg_check "dpkg --purge removes both packages" --purge proctel-agent proctel-collector
check_eq "purging prints no warning or error" "$(noise)" ""
leftovers "dpkg --purge"
rm -f "$DEB_MARK"

# ---- upgrade N -> N+1 under a stand-in systemd (see the top)
deb_build_check "make deb builds $N1 from a copy of the tree" next "$N1"
A1_DEB=$(deb_file proctel-agent "$N1")
C1_DEB=$(deb_file proctel-collector "$N1")

SPORT=$(free_port)
FAKESD=$T_TMP/fakesd
SDLOG=$T_TMP/fakesd.log
SDPID=$T_TMP/sd-agent.pid
DEB_AGENT_PIDS="$SDPID"
mkdir -p "$FAKESD"
: >"$SDLOG"
real_systemctl=$(command -v systemctl)
cat >"$FAKESD/systemctl" <<EOF
#!/bin/sh
# Stand-in: logs; offline work (deb-systemd-helper's preset) goes to the
# real one, which needs no running systemd for it.
echo "systemctl \$*" >>"$SDLOG"
case " \$* " in
*" --root="*|*" preset "*|*" is-enabled "*|*" --version "*) exec "$real_systemctl" "\$@" ;;
esac
exit 0
EOF
cat >"$FAKESD/deb-systemd-invoke" <<EOF
#!/bin/sh
# Stand-in: logs, and for proctel-agent.service does what systemd would with
# the installed unit, listening on 127.0.0.1:$SPORT instead.
echo "deb-systemd-invoke \$*" >>"$SDLOG"
action=\$1
shift
for u in "\$@"; do
	[ "\$u" = proctel-agent.service ] || continue
	unit=/lib/systemd/system/proctel-agent.service
	case \$action in
	stop|restart)
		if [ -s "$SDPID" ]; then
			pid=\$(cat "$SDPID")
			kill "\$pid" 2>/dev/null
			i=0
			while kill -0 "\$pid" 2>/dev/null && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i + 1)); done
			rm -f "$SDPID"
		fi
		;;
	esac
	case \$action in
	start|restart)
		pre=\$(sed -n 's/^ExecStartPre=//p' "\$unit")
		start=\$(sed -n 's/^ExecStart=//p' "\$unit")
		\$pre >>"$T_TMP/sd-agent.log" 2>&1 || exit 1
		\$start -l 127.0.0.1:$SPORT --daemon --pidfile "$SDPID" \
		    >>"$T_TMP/sd-agent.log" 2>&1 || exit 1
		;;
	esac
done
exit 0
EOF
# dpkg in a private mount namespace where /run/systemd/system exists.
cat >"$FAKESD/dpkg-sd" <<EOF
#!/bin/sh
if [ -d /run/systemd ]; then
	mount -t tmpfs -o mode=755 tmpfs /run/systemd || exit 1
else
	mount -t tmpfs -o mode=755 tmpfs /run || exit 1
	mkdir -p /run/systemd
fi
mkdir /run/systemd/system
PATH=$FAKESD:\$PATH exec dpkg "\$@"
EOF
chmod 755 "$FAKESD"/*
sd_dpkg_check() {
	DPKG_WRAP="unshare -m $FAKESD/dpkg-sd"
	dpkg_check "$@"
	DPKG_WRAP=
}

touch "$DEB_MARK"
sd_dpkg_check "with systemd: dpkg -i $N" -i \
    --force-confdef --force-confold "$A_DEB" "$C_DEB"
check_cmd "with systemd: the install starts proctel-agent.service" \
    grep -qx "deb-systemd-invoke start proctel-agent.service" "$SDLOG"
check_cmd "with systemd: the install starts no collector unit" \
    sh -c "! grep -q 'invoke .*proctel-collector' '$SDLOG'"
if wait_snmp "127.0.0.1:$SPORT"; then
	pass "with systemd: the started agent answers"
else
	fail "with systemd: the started agent answers" "$(tail -5 "$T_TMP/sd-agent.log")"
fi
check_eq "with systemd: it is version $N" \
    "$(snmp_get "$SPORT" public "$PT.1.2.3.0")" "\"proctel-agent $N\""
pid_n=$(cat "$SDPID" 2>/dev/null)

# The admin's edit: a community of their own.
EDITED=edited-$$
sed -i "s|^communities:\$|communities:\n  - {name: $EDITED, allow: [\"127.0.0.1/32\"]}|" \
    /etc/proctel/agent.yaml
check_match "the conffile is edited" "$(grep -c "$EDITED" /etc/proctel/agent.yaml)" '^1$'

: >"$SDLOG"
sd_dpkg_check "with systemd: dpkg -i $N1 over $N" -i \
    --force-confdef --force-confold "$A1_DEB" "$C1_DEB"
check_cmd "the upgrade restarts proctel-agent.service" \
    grep -qx "deb-systemd-invoke restart proctel-agent.service" "$SDLOG"
check_match "the edit survives the upgrade" "$(grep -c "$EDITED" /etc/proctel/agent.yaml)" '^1$'
check_cmd "$N1's own agent.yaml is set aside as agent.yaml.dpkg-dist" \
    grep -qF "version $N1" /etc/proctel/agent.yaml.dpkg-dist
pid_n1=$(cat "$SDPID" 2>/dev/null)
if [ -n "$pid_n" ] && ! kill -0 "$pid_n" 2>/dev/null && [ -n "$pid_n1" ] &&
    [ "$pid_n1" != "$pid_n" ] && kill -0 "$pid_n1" 2>/dev/null; then
	pass "the $N agent is gone, a new one runs"
else
	fail "the $N agent is gone, a new one runs" "before: '$pid_n', after: '$pid_n1'"
fi
wait_snmp "127.0.0.1:$SPORT" "$EDITED"
check_eq "the restarted agent is $N1 and answers the edited community" \
    "$(snmp_get "$SPORT" "$EDITED" "$PT.1.2.3.0")" "\"proctel-agent $N1\""
check_eq "proctel-agent --version agrees with the upgraded package" \
    "$(/usr/sbin/proctel-agent --version)" "proctel-agent $(dpkg-query -W -f='${Version}' proctel-agent)"
check_eq "proctel-collector --version agrees with the upgraded package" \
    "$(/usr/bin/proctel-collector --version)" "proctel-collector $(dpkg-query -W -f='${Version}' proctel-collector)"
check_eq "the upgrade keeps the collector's user" \
    "$(getent passwd proctel-collector | cut -d: -f3)" "$uid"

dpkg -L proctel-agent proctel-collector >"$T_TMP/files" 2>/dev/null
: >"$SDLOG"
sd_dpkg_check "with systemd: dpkg --purge" --purge proctel-agent proctel-collector
check_cmd "the removal stops proctel-agent.service" \
    grep -qx "deb-systemd-invoke stop proctel-agent.service" "$SDLOG"
check_cmd "the removal stops the collector's timer and service" \
    grep -qx "deb-systemd-invoke stop proctel-collector.timer proctel-collector.service" "$SDLOG"
if [ -n "$pid_n1" ] && wait_gone "$pid_n1"; then
	pass "the agent is stopped"
else
	fail "the agent is stopped" "pid $pid_n1 still runs"
fi
leftovers "an upgrade and dpkg --purge"
rm -f "$DEB_MARK"
finish
