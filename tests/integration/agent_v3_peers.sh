#!/bin/sh
# agent_v3_peers: proctel-agent's SNMPv3 against managers other than
# net-snmp's command-line tools, and on the wire.  pysnmp (Debian's
# python3-pysnmp4, its own discovery, keys and AES) GETs and walks, with
# SHA-256/AES-128, SHA/AES-256 and every other auth protocol; the collector
# polls the agent over v3 authPriv end to end (net-snmp's library inside
# it); and tshark, given the users' passwords, decrypts every reply of a
# capture and finds no malformed packet.
# suite-timeout: 300
. tests/integration/lib.sh
. tests/integration/agent.inc
. tests/integration/agent_v3.inc

COLL=$BUILD/proctel-collector
v3_up "$T_TMP/agent.yaml"
W=$T_TMP/w
mkdir -p "$W"
names() { sed -n 's/^\.\{0,1\}\([0-9][0-9.]*\) = .*/\1/p'; }
snmpwalk -v2c -c public -t 3 -r 1 -On "udp:$ADDR" "$PT.1.1" | names >"$W/v2names"

# ---- pysnmp ----
if /usr/bin/python3 -c 'import pysnmp' 2>/dev/null; then
	for pair in SHA-256:AES SHA:AES-256 MD5:AES SHA-224:AES-192 \
	    SHA-384:AES-192-C SHA-512:AES-256-C MD5:AES-256; do
		a=${pair%%:*} p=${pair#*:}
		u=$(v3_user "$a" "$p")
		check_eq "pysnmp $a/$p: GET" \
		    "$($PYSNMP get "$PORT" "$u" "$a" "$p" $PW "$SYS.5.0" "$ENGINE.2.0" 2>&1)" \
		    "$SYS.5.0 = pt-v3-host
$ENGINE.2.0 = 1"
		$PYSNMP walk "$PORT" "$u" "$a" "$p" $PW "$PT.1.1" 2>&1 | names >"$W/pw"
		check_eq "pysnmp $a/$p: walk of ptSystem as v2c" "$(cat "$W/pw")" "$(cat "$W/v2names")"
	done
	check_eq "pysnmp authNoPriv SHA-512: GET" \
	    "$($PYSNMP get "$PORT" an-SHA-512 SHA-512 none $PW "$SYS.5.0" 2>&1)" "$SYS.5.0 = pt-v3-host"
	check_eq "pysnmp noAuthNoPriv: GET" \
	    "$($PYSNMP get "$PORT" nn none none x "$SYS.5.0" 2>&1)" "$SYS.5.0 = pt-v3-host"
	check_match "pysnmp with a wrong password is refused" \
	    "$($PYSNMP get "$PORT" ap-SHA-256-AES SHA-256 AES wrong-password "$SYS.5.0" 2>&1)" '^error: '
else
	skip "pysnmp GETs and walks" "python3-pysnmp4 not installed (make deps)"
fi

# ---- the collector, v3 authPriv end to end ----
cat >"$W/coll.yaml" <<EOF
defaults: {port: $PORT, timeout_ms: 2000, retries: 1}
targets:
  - {host: 127.0.0.1, name: v3host, version: 3, security: {user: ap-SHA-256-AES, level: authPriv, auth_protocol: SHA-256, auth_password: $PW, priv_protocol: AES, priv_password: $PW}}
  - {host: 127.0.0.1, name: v3aes256, version: 3, security: {user: ap-SHA-AES-256, level: authPriv, auth_protocol: SHA, auth_password: $PW, priv_protocol: AES-256, priv_password: $PW}}
metrics:
  - {name: sysName, oid: 1.3.6.1.2.1.1.5.0}
  - {name: processes, oid: $PT.1.1.1.0}
  - {name: boots, oid: $ENGINE.2.0}
tables:
  - {name: zombie_parents, oid: $PT.1.4.1}
  - {name: procs, oid: $PT.1.3.1}
EOF
"$COLL" -c "$W/coll.yaml" --once -o "jsonl:$W/coll.jsonl" >"$W/coll.log" 2>&1
check_eq "collector over v3 authPriv: exit 0" "$?" 0
check_match "collector: SHA-256/AES answered with every value" \
    "$(grep '"target":"v3host"' "$W/coll.jsonl")" \
    '"status":"ok".*"sysName":"pt-v3-host","processes":[1-9][0-9]*,"boots":1'
check_match "collector: SHA/AES-256 answered" \
    "$(grep '"target":"v3aes256"' "$W/coll.jsonl")" '"status":"ok".*"sysName":"pt-v3-host"'
check_match "collector: the process table walked, the agent's row in it" \
    "$(grep '"target":"v3host"' "$W/coll.jsonl")" "\"index\":\"$APID\",\"ptProcPpid\":$$,"

# ---- bench/loadgen3 (bench/agent_v3.sh) counts what it claims to ----
LG3=$BUILD/bench/loadgen3
if [ -x "$LG3" ]; then
	field() { printf '%s\n' "$1" | sed -n "s/.*$2 \([0-9][0-9]*\).*/\1/p"; }
	out=$(LOADGEN_PROCS=1 "$LG3" get "$ADDR" ap-SHA-256-AES SHA-256 AES $PW "$HR.1.6.0" 1 8 2>&1)
	check_int "loadgen3: correct v3 answers counted" "$(field "$out" get:)" -gt 0
	check_eq "loadgen3: no wrong ones" "$(field "$out" wrong)" 0
	out=$(LOADGEN_PROCS=1 "$LG3" get "$ADDR" ap-SHA-256-AES SHA-256 AES $PW "$HR.1.6.1" 1 8 2>&1)
	check_eq "loadgen3: a missing instance is never correct" "$(field "$out" get:)" 0
	check_int "... but a wrong varbind" "$(field "$out" varbind)" -gt 0
	out=$(LOADGEN_PROCS=1 "$LG3" get "$ADDR" ap-SHA-256-AES SHA-256 AES wrong-password "$HR.1.6.0" 1 8 2>&1)
	check_eq "loadgen3: with a wrong password nothing is correct" "$(field "$out" get:)" 0
	check_int "... the agent's Reports counted as such" "$(field "$out" reports)" -gt 0
else
	skip "loadgen3 counts" "$LG3 not built (make all builds it)"
fi

# ---- tshark decrypts what the agent sends ----
if ! command -v tshark >/dev/null 2>&1; then
	skip "tshark decrypts the replies" "tshark not installed (make deps)"
	alive "agent alive" "$APID"
	finish
fi
# Wireshark 4.0's AES192/AES256 extend a short key as Reeder does (our
# AES-192-C, AES-256-C); it has no Blumenthal extension, so it reads
# AES-192/AES-256 only where no extension is needed.
tsh_auth() { case $1 in MD5) echo MD5 ;; SHA) echo SHA1 ;; *) echo "SHA2-${1#SHA-}" ;; esac; }
tsh_priv() {
	case $1:$2 in
	*:AES) echo AES ;;
	*:AES-192-C) echo AES192 ;;
	*:AES-256-C) echo AES256 ;;
	MD5:* | SHA:* | SHA-224:AES-256) ;;
	*:AES-192) echo AES192 ;;
	*:AES-256) echo AES256 ;;
	esac
}
: >"$W/uat"
for a in $V3_AUTHS; do
	for p in - $V3_PRIVS; do
		tp=$(tsh_priv "$a" "$p")
		[ "$p" != - ] && [ -z "$tp" ] && continue
		echo "$a $p" >>"$W/pairs"
		printf '%s\n' "-o" "uat:snmp_users:\"\",\"$(v3_user "$a" "$p")\",\"$(tsh_auth "$a")\",\"$PW\",\"${tp:-AES}\",\"$PW\"" >>"$W/uat"
	done
done
tshark -i lo -f "udp port $PORT" -w "$W/cap.pcap" >"$W/tshark.log" 2>&1 &
TS=$!
t_track $TS
i=0
while [ $i -lt 100 ] && ! grep -q 'Capturing on' "$W/tshark.log"; do sleep 0.1; i=$((i + 1)); done
sent=0
while read -r a p; do
	v3 snmpget "$a" "$p" "$SYS.5.0" "$PT.1.3.1.4.$APID" "$ENGINE.1.0" >/dev/null
	v3 snmpbulkwalk "$a" "$p" -Cr30 "$PT.1.1" >/dev/null
	sent=$((sent + 1))
done <"$W/pairs"
# Let the last datagrams reach the file (notes/usm.md: a capture stopped
# at once can be empty).
sleep 1
kill -INT $TS
wait $TS
# shellcheck disable=SC2046 # one -o and one record per line
set -- $(cat "$W/uat")
tshark -r "$W/cap.pcap" -d "udp.port==$PORT,snmp" "$@" >"$W/summary" 2>&1
tshark -r "$W/cap.pcap" -d "udp.port==$PORT,snmp" "$@" -Y _ws.malformed \
    >"$W/malformed" 2>&1
check_int "the capture holds the exchanges of $sent users" \
    "$(grep -c 'get-response' "$W/summary")" -ge $((sent * 2))
check_eq "tshark finds no malformed packet" "$(grep -c 'SNMP' "$W/malformed")" 0
check_eq "tshark decrypts every encrypted datagram" \
    "$(grep -c 'encryptedPDU' "$W/summary")" 0
tshark -r "$W/cap.pcap" -d "udp.port==$PORT,snmp" "$@" \
    -Y "udp.srcport == $PORT && snmp.name == $SYS.5.0" -T fields \
    -e snmp.msgUserName -e snmp.value.octets >"$W/values" 2>/dev/null
check_eq "every user's decrypted reply carries sysName" \
    "$(grep -c '	70742d76332d686f7374,' "$W/values")" "$sent"
alive "agent alive" "$APID"
finish
