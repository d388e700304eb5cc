#!/bin/sh
# remote_errors: a store having trouble, played by tests/tools/fake_store.py
# on a free loopback port: slow, 500, 429 with Retry-After, 400, 401, and
# one that accepts the TCP connection and never answers.  Each run ends by
# its deadline with the right exit status (0 sent, 3 spooled, 1 lost), the
# right number of attempts, the store's message in the log, and nothing
# retried that should not be.  Also: the headers remote write 1.0 requires,
# bearer and basic auth from files (never in the log), InfluxDB 2's
# /api/v2/write with org, bucket and token, TLS with a CA file, the
# default spool beside the config for -o remote_write:URL, and URLs with
# credentials refused.
# suite-timeout: 300
. tests/integration/lib.sh
. tests/integration/stores.inc

agent_up
fk=0

# fake MODE [BODY] [CERT KEY]: start a fake store; FAKE_PORT, FAKE_PID and
# its request log FAKE_LOG.
fake() {
	fk=$((fk + 1))
	FAKE_LOG=$T_TMP/fake$fk.log
	: >"$FAKE_LOG"
	if [ -n "${3:-}" ]; then
		python3 tests/tools/fake_store.py --mode "$1" --body "${2:-}" \
		    --log "$FAKE_LOG" --tls "$3" "$4" >"$T_TMP/fake$fk.out" 2>&1 &
	else
		python3 tests/tools/fake_store.py --mode "$1" --body "${2:-}" \
		    --log "$FAKE_LOG" >"$T_TMP/fake$fk.out" 2>&1 &
	fi
	FAKE_PID=$!
	t_track $FAKE_PID
	i=0
	while ! grep -q '^listening' "$T_TMP/fake$fk.out" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	FAKE_PORT=$(awk '/^listening/ { print $2 }' "$T_TMP/fake$fk.out")
}
# conf TYPE URL DEADLINE_S EXTRA: a one-target config with its own spool;
# EXTRA is more keys of the output, after a comma.
conf() {
	C=$T_TMP/c$fk.yaml
	SPOOL=$T_TMP/spool$fk
	cat >"$C" <<EOF
deadline_s: $3
targets:
  - {host: 127.0.0.1, port: $APORT, name: local}
metrics:
  - {name: processes, oid: $PT.1.1.1.0}
outputs:
  - {type: $1, url: "$2", spool: {dir: $SPOOL}, self_metrics: false$4}
lock_file: $C.lock
EOF
}
# go [ARGS]: run the collector on $C; RC, ERR (its stderr), MS (wall time).
go() {
	t0=$(date +%s%N)
	"$COLL" -c "$C" --once "$@" 2>"$T_TMP/err$fk"
	RC=$?
	MS=$((($(date +%s%N) - t0) / 1000000))
	ERR=$(cat "$T_TMP/err$fk")
}
requests() { grep -c . "$FAKE_LOG"; }
spooled() { find "$SPOOL" -name '*.batch' 2>/dev/null | wc -l; }
header() { python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["headers"].get(sys.argv[2], ""))' "$FAKE_LOG" "$1"; }

# 1. A healthy store: the headers of remote write 1.0.
fake ok
conf remote_write "http://127.0.0.1:$FAKE_PORT/api/v1/write" 10 ""
go
check_eq "ok: exit 0, one request" "$RC $(requests)" "0 1"
check_eq "Content-Encoding: snappy" "$(header Content-Encoding)" snappy
check_eq "Content-Type: application/x-protobuf" "$(header Content-Type)" application/x-protobuf
check_eq "X-Prometheus-Remote-Write-Version: 0.1.0" "$(header X-Prometheus-Remote-Write-Version)" 0.1.0
check_match "User-Agent names the collector" "$(header User-Agent)" '^proctel-collector/[0-9]'
check_eq "no Expect: 100-continue" "$(header Expect)" ""
stop_pid $FAKE_PID

# 2. Slow, within the timeout: sent.
fake slow:1
conf remote_write "http://127.0.0.1:$FAKE_PORT/api/v1/write" 10 ", timeout_ms: 5000"
go
check_eq "slow but in time: exit 0, one request" "$RC $(requests)" "0 1"
stop_pid $FAKE_PID

# 3. Slower than the timeout: retried, then spooled.
fake slow:3
conf remote_write "http://127.0.0.1:$FAKE_PORT/api/v1/write" 20 ", timeout_ms: 500, retries: 1"
go
check_eq "too slow: spooled (exit 3) after 2 attempts" "$RC $(requests) $(spooled)" "3 2 1"
check_match "the timeout is logged" "$ERR" 'remote_write http://127\.0\.0\.1:[0-9]+/api/v1/write: .*timed out.*after 2 attempts'
stop_pid $FAKE_PID

# 4. 500: retried `retries` times, then spooled.
fake status:500 '{"error":"disk full"}'
conf remote_write "http://127.0.0.1:$FAKE_PORT/api/v1/write" 20 ", retries: 2"
go
check_eq "500: spooled (exit 3) after 3 attempts" "$RC $(requests) $(spooled)" "3 3 1"
check_match "the store's message is logged" "$ERR" 'HTTP 500 after 3 attempts: \{"error":"disk full"\}'
check_match "the summary line says what was spooled" "$ERR" 'run: 1 targets, 1 answered.*, 4 samples spooled, 0 lost'
stop_pid $FAKE_PID

# 5. 429 with Retry-After: 1, then 204: waits as told, then sent.
fake 429:1
conf remote_write "http://127.0.0.1:$FAKE_PORT/api/v1/write" 20 ", retries: 3"
go
check_eq "429 then 204: exit 0 after 2 attempts, nothing spooled" "$RC $(requests) $(spooled)" "0 2 0"
gap=$(python3 -c 'import json,sys; t=[json.loads(l)["t"] for l in open(sys.argv[1])]; print(int((t[1]-t[0])*1000))' "$FAKE_LOG")
check_int "the retry waited for Retry-After ($gap ms)" "$gap" -ge 900
stop_pid $FAKE_PID

# 6. 400: refused, logged with the store's message, not retried, not spooled.
fake status:400 '{"error":"out of order sample"}'
conf remote_write "http://127.0.0.1:$FAKE_PORT/api/v1/write" 20 ", retries: 3"
go
check_eq "400: lost (exit 1), one attempt, nothing spooled" "$RC $(requests) $(spooled)" "1 1 0"
check_match "the refusal names the store's message" "$ERR" \
    'the store refused a batch of 4 samples: HTTP 400: \{"error":"out of order sample"\}'
check_match "the summary line says what was lost" "$ERR" '0 samples spooled, 4 lost'
stop_pid $FAKE_PID

# 7. 401: the store refused us, not the data: kept, not retried now.
fake status:401 'unauthorized'
conf remote_write "http://127.0.0.1:$FAKE_PORT/api/v1/write" 20 ", retries: 3"
go
check_eq "401: spooled (exit 3), one attempt" "$RC $(requests) $(spooled)" "3 1 1"
check_match "and logged with the message" "$ERR" 'HTTP 401 after 1 attempts: unauthorized'
stop_pid $FAKE_PID

# 8. Accepts the connection, never answers: the run still ends by its deadline.
fake hang
conf remote_write "http://127.0.0.1:$FAKE_PORT/api/v1/write" 2 ", timeout_ms: 60000, retries: 5"
go
check_eq "never answers: spooled (exit 3)" "$RC $(spooled)" "3 1"
check_int "the run ended near its 2 s deadline ($MS ms)" "$MS" -lt 8000
check_match "the deadline is logged" "$ERR" '[Tt]imeout|deadline'
stop_pid $FAKE_PID

# 9. Bearer token and basic auth from files; never in the log, even -v.
printf 's3cr3t-t0ken\n' >"$T_TMP/token"
printf 'pa55-w0rd\n' >"$T_TMP/password"
fake ok
conf remote_write "http://127.0.0.1:$FAKE_PORT/api/v1/write" 10 ", bearer_token_file: $T_TMP/token"
go -v
check_eq "bearer: exit 0" "$RC" 0
check_eq "the token goes as Authorization: Bearer" "$(header Authorization)" "Bearer s3cr3t-t0ken"
check_cmd "the token is not in the log" sh -c "! grep -q s3cr3t '$T_TMP/err$fk'"
stop_pid $FAKE_PID
fake ok
conf remote_write "http://127.0.0.1:$FAKE_PORT/api/v1/write" 10 ", basic_auth: {user: pt, password_file: $T_TMP/password}"
go -v
check_eq "basic: exit 0" "$RC" 0
check_eq "user and password go as Authorization: Basic" "$(header Authorization)" \
    "Basic $(printf 'pt:pa55-w0rd' | base64)"
check_cmd "the password is not in the log" sh -c "! grep -q pa55 '$T_TMP/err$fk'"
stop_pid $FAKE_PID

# 10. InfluxDB 2: /api/v2/write with org and bucket in the query, the token.
printf 'infl-t0k\n' >"$T_TMP/itoken"
fake ok
conf influx_http "http://127.0.0.1:$FAKE_PORT/api/v2/write" 10 ", org: my org, bucket: b/1, token_file: $T_TMP/itoken"
go
check_eq "InfluxDB 2: exit 0" "$RC" 0
check_eq "org and bucket in the query, escaped" \
    "$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["path"])' "$FAKE_LOG")" \
    "/api/v2/write?org=my%20org&bucket=b%2F1"
check_eq "the token goes as Authorization: Token" "$(header Authorization)" "Token infl-t0k"
check_eq "line protocol as text" "$(header Content-Type)" "text/plain; charset=utf-8"
stop_pid $FAKE_PID

# 11. TLS with a CA file; without it the certificate is refused.
if command -v openssl >/dev/null 2>&1; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=proctel-test-ca \
	    -keyout "$T_TMP/ca.key" -out "$T_TMP/ca.pem" >/dev/null 2>&1
	openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 \
	    -keyout "$T_TMP/srv.key" -out "$T_TMP/srv.csr" >/dev/null 2>&1
	printf 'subjectAltName=IP:127.0.0.1\n' >"$T_TMP/san.ext"
	openssl x509 -req -in "$T_TMP/srv.csr" -CA "$T_TMP/ca.pem" -CAkey "$T_TMP/ca.key" \
	    -CAcreateserial -days 2 -extfile "$T_TMP/san.ext" -out "$T_TMP/srv.pem" >/dev/null 2>&1
	fake ok "" "$T_TMP/srv.pem" "$T_TMP/srv.key"
	conf remote_write "https://127.0.0.1:$FAKE_PORT/api/v1/write" 10 ", ca_file: $T_TMP/ca.pem"
	go
	check_eq "TLS with the CA file: exit 0, one request" "$RC $(requests)" "0 1"
	conf remote_write "https://127.0.0.1:$FAKE_PORT/api/v1/write" 10 ", retries: 0"
	go
	check_eq "TLS without it: the certificate is refused, spooled" "$RC $(spooled)" "3 1"
	check_match "and the log says why" "$ERR" '[Cc]ertificate'
	stop_pid $FAKE_PID
else
	skip "TLS with a CA file" "openssl not installed"
fi

# 12. -o remote_write:URL: the defaults, the spool beside the config.
DEAD=$(free_tcp_port)
mkdir -p "$T_TMP/cli"
conf remote_write "http://127.0.0.1:$DEAD/x" 10 ""
sed '/^outputs:/,$d' "$C" >"$T_TMP/cli/collector.yaml"
C=$T_TMP/cli/collector.yaml
go -o "remote_write:http://127.0.0.1:$DEAD/api/v1/write"
check_eq "-o remote_write:URL to a dead store: exit 3" "$RC" 3
check_eq "spooled in proctel-spool/ beside the config" \
    "$(find "$T_TMP/cli/proctel-spool" -path '*remote_write-*' -name '*.batch' | wc -l)" 1

# 13. Credentials in a URL are refused (they would show in logs and argv).
conf remote_write "http://u:pw@127.0.0.1:$DEAD/api/v1/write" 10 ""
go
check_eq "a URL with credentials in the config: exit 2" "$RC" 2
check_match "said at its line and column" "$ERR" "c$fk.yaml:[0-9]+:[0-9]+: url: credentials in the URL"
go -o "influx_http:http://u:pw@127.0.0.1:$DEAD/write"
check_eq "a URL with credentials on the command line: exit 2" "$RC" 2
alive "agent alive" $APID
finish
