#!/bin/sh
# suite-timeout: 240
# collector_exact: every sink is exact and unambiguous for any bytes.  Real
# agents serve strings with quotes, backslashes, commas, '=', spaces, line
# breaks, NUL, bytes that are not UTF-8 and spreadsheet formula openers:
# our proctel-agent (its sysName from its config, and processes whose names
# we set with prctl(PR_SET_NAME), as any local user can) and a fake agent
# (tests/tools/fakeagent.py) for NUL, which no process name can hold.  The
# collector's target names and labels carry the same kinds of text.  One
# run writes every sink; each is read back by its format's own strict
# reader and compared byte for byte with what the agents served
# (tests/tools/sinkcheck.py): Python's json, csv and sqlite3, a real
# InfluxDB 1.x (Debian's influxdb) fed the line protocol over /write, and
# for the Prometheus file promtool check metrics and a real Prometheus
# server scraping it.
. tests/integration/lib.sh

AGENT=$BUILD/proctel-agent
COLL=$BUILD/proctel-collector
[ -x "$AGENT" ] && [ -x "$COLL" ] || skip_all "build the agent and collector first"
command -v python3 >/dev/null || skip_all "python3 is not installed"

# Processes named as their owners like; their pids and names in procs.json.
python3 - "$T_TMP/procs.json" <<'EOF' &
import ctypes, json, os, signal, sys, time
names = [b"=cmd|' /C calc'", b'a"b\\c,d=e f', b"nl\nx\r", b"\xff\xfe\xc0\xaf ok",
         b"'quoted", b"-2+3", b"@SUM(A1)\t", b"caf\xc3\xa9 \xe2\x82\xac",
         b"\\", b"x\\"]
kids = {}
for n in names:
    pid = os.fork()
    if pid == 0:
        ctypes.CDLL(None).prctl(15, ctypes.c_char_p(n), 0, 0, 0)
        time.sleep(120)
        os._exit(0)
    kids[pid] = n[:15].hex()
signal.signal(signal.SIGTERM, lambda *a: [os.kill(k, 9) for k in kids] and sys.exit(0))
with open(sys.argv[1] + ".tmp", "w") as f:
    json.dump(kids, f)
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(120)
for k in kids:
    os.kill(k, 9)
EOF
t_track $!
wait_file "$T_TMP/procs.json" || { fail "named processes start"; finish; }

AP=$(free_port)
FP=$(free_port)
while [ "$FP" = "$AP" ]; do FP=$(free_port); done
# The agents' and the collector's configs, and what must come back, from
# one place: the strings below.
python3 - "$T_TMP" "$AP" "$FP" <<'EOF'
import json, sys
d, ap, fp = sys.argv[1], sys.argv[2], sys.argv[3]
sysname = '=HYPERLINK("http://x","a\\b, c=d e")\nline2\t\'q\' caf\u00e9'
scalars = [b"a\x00b", b"\xff\xfe", b'=HYPERLINK("http://evil","x")',
           b'a"b\\c,d=e f\nline2\r\n', b"'quote", b"\t-1+2", b"", b"\\",
           b"x\\", b"\xe2\x82", b"\x00", b"+\x00\xff"]
with open(d + "/agent.yaml", "w") as f:
    f.write('listen: ["127.0.0.1:%s"]\n' % ap)
    f.write('communities:\n  - {name: public, allow: ["127.0.0.0/8"]}\n')
    f.write("system: {name: %s}\n" % json.dumps(sysname))
with open(d + "/fake.json", "w") as f:
    json.dump({"scalars": {"1.3.6.1.4.1.99999.3.%d.0" % (i + 1): s.hex()
                           for i, s in enumerate(scalars)},
               "rows": [s.hex() for s in scalars]}, f)
procs = json.load(open(d + "/procs.json"))
real = 'DOMAIN\\agent, "x"=1 =y'
fake = "fake '=1' +2"
labels = {"role": '=cmd, "q" x\\y', "host": "-h"}
with open(d + "/c.yaml", "w") as f:
    f.write("defaults: {timeout_ms: 1000, retries: 1}\n")
    f.write("lock_file: %s/c.lock\n" % d)
    f.write("targets:\n")
    f.write("  - {host: 127.0.0.1, port: %s, name: %s, labels: %s}\n" %
            (ap, json.dumps(real), json.dumps(labels)))
    f.write("  - {host: 127.0.0.1, port: %s, name: %s}\n" % (fp, json.dumps(fake)))
    f.write("metrics:\n  - {name: sysName, oid: 1.3.6.1.2.1.1.5.0}\n")
    f.write("  - {name: processes, oid: 1.3.6.1.4.1.8072.9999.9999.1.1.1.1.0}\n")
    for i in range(len(scalars)):
        f.write("  - {name: s%d, oid: 1.3.6.1.4.1.99999.3.%d.0}\n" % (i + 1, i + 1))
    f.write("tables:\n")
    f.write("  - {name: procs, oid: 1.3.6.1.4.1.8072.9999.9999.1.1.3.1, max_rows: 1000000}\n")
    f.write("  - {name: strs, oid: 1.3.6.1.4.1.99999.2.1}\n")
exp = {"targets": {
    real: {"alias": "agent", "labels": labels,
           "values": {"sysName": sysname.encode().hex()},
           "tables": {"procs": {pid: {"ptProcName": h} for pid, h in procs.items()}}},
    fake: {"alias": "fake agent",
           "values": {"s%d" % (i + 1): s.hex() for i, s in enumerate(scalars)},
           "tables": {"strs": {str(i + 1): {"2": s.hex()} for i, s in enumerate(scalars)}}},
}}
json.dump(exp, open(d + "/expect.json", "w"))
EOF

"$AGENT" -c "$T_TMP/agent.yaml" 2>"$T_TMP/agent.err" &
agent=$!
t_track $agent
wait_snmp "127.0.0.1:$AP" || { fail "agent answers" "$(head -3 "$T_TMP/agent.err")"; finish; }
python3 tests/tools/fakeagent.py --port "$FP" --ready "$T_TMP/fake.ready" \
    --time 120 --max-bytes 8000000 --data "$T_TMP/fake.json" &
t_track $!
wait_file "$T_TMP/fake.ready" || fail "fake agent starts"

mkdir -p "$T_TMP/web"
"$COLL" -c "$T_TMP/c.yaml" --once -o "jsonl:$T_TMP/r.jsonl" \
    -o "csv:$T_TMP/r.csv" -o "influx:$T_TMP/r.lp" \
    -o "prom:$T_TMP/web/node.prom" -o "sqlite:$T_TMP/r.db" 2>"$T_TMP/coll.err"
check_eq "one run into every sink exits 0" "$?" 0

# results OUTPUT: turn sinkcheck's lines into checks.
results() {
	while IFS= read -r line; do
		case "$line" in
		"ok   "*) pass "${line#ok   }" ;;
		FAIL*) fail "${line#FAIL }" ;;
		*) fail "sinkcheck said: $line" ;;
		esac
	done <<EOF2
$1
EOF2
}
results "$(python3 tests/tools/sinkcheck.py --expect "$T_TMP/expect.json" \
    --jsonl "$T_TMP/r.jsonl" --csv "$T_TMP/r.csv" --sqlite "$T_TMP/r.db" 2>&1)"

# InfluxDB 1.x, started here on free loopback ports with its data in T_TMP.
if command -v influxd >/dev/null; then
	IP=$(free_tcp_port)
	RP=$(free_tcp_port)
	while [ "$RP" = "$IP" ]; do RP=$(free_tcp_port); done
	cat >"$T_TMP/influx.conf" <<EOF
reporting-enabled = false
bind-address = "127.0.0.1:$RP"
[meta]
  dir = "$T_TMP/influx/meta"
[data]
  dir = "$T_TMP/influx/data"
  wal-dir = "$T_TMP/influx/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:$IP"
  log-enabled = false
[continuous_queries]
  enabled = false
EOF
	influxd run -config "$T_TMP/influx.conf" >"$T_TMP/influxd.log" 2>&1 &
	t_track $!
	i=0
	while [ $i -lt 150 ] && ! python3 -c 'import sys, urllib.request; urllib.request.urlopen("http://127.0.0.1:%s/ping" % sys.argv[1], timeout=1)' "$IP" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	results "$(python3 tests/tools/sinkcheck.py --expect "$T_TMP/expect.json" \
	    --influx "http://127.0.0.1:$IP" --lp "$T_TMP/r.lp" 2>&1)"
else
	skip "influx round trip" "influxd not installed (Debian package influxdb)"
fi

# Prometheus: promtool parses strictly (exit 1 on any error; 3 is only its
# naming lint), and a real server scrapes the file and gives the labels.
if command -v promtool >/dev/null && command -v prometheus >/dev/null; then
	promtool check metrics <"$T_TMP/web/node.prom" >"$T_TMP/promtool.out" 2>&1
	rc=$?
	check_match "promtool parses the Prometheus file (exit $rc)" "$rc" '^(0|3)$'
	check_eq "promtool reports no parse error" \
	    "$(grep -ci 'error' "$T_TMP/promtool.out")" 0
	HP=$(free_tcp_port)
	PP=$(free_tcp_port)
	while [ "$PP" = "$HP" ]; do PP=$(free_tcp_port); done
	python3 -m http.server --bind 127.0.0.1 --directory "$T_TMP/web" "$HP" \
	    >"$T_TMP/http.log" 2>&1 &
	t_track $!
	cat >"$T_TMP/prometheus.yml" <<EOF
global: {scrape_interval: 1s, scrape_timeout: 1s}
scrape_configs:
  - job_name: proctel
    metrics_path: /node.prom
    static_configs: [{targets: ["127.0.0.1:$HP"]}]
EOF
	prometheus --config.file="$T_TMP/prometheus.yml" \
	    --storage.tsdb.path="$T_TMP/prom-data" \
	    --web.listen-address="127.0.0.1:$PP" --log.level=warn \
	    >"$T_TMP/prometheus.log" 2>&1 &
	t_track $!
	# Wait (30 s at most) for the first scrape to be stored.
	i=0
	while [ $i -lt 300 ] && ! python3 -c '
import json, sys, urllib.request
u = "http://127.0.0.1:%s/api/v1/series?match[]=proctel_up" % sys.argv[1]
sys.exit(0 if json.load(urllib.request.urlopen(u, timeout=1))["data"] else 1)
' "$PP" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
	done
	results "$(python3 tests/tools/sinkcheck.py --expect "$T_TMP/expect.json" \
	    --prom-api "http://127.0.0.1:$PP" 2>&1)"
else
	skip "prometheus round trip" "promtool or prometheus not installed (Debian package prometheus)"
fi
alive "agent still runs" $agent
finish
