#!/bin/sh
# make demo: start an agent on 127.0.0.1:16161, make a parent that holds
# three zombies, poll the agent once with the collector, and show what was
# found with the collector's JSON and with net-snmp's own tools; then poll
# a few more times while a second parent starts leaking, and end with the
# fleet report, as text and as a page ($BUILD/demo-report.html, kept; its
# path is the last line).  Everything it starts is stopped at the end.
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 1
tmp=$(mktemp -d /tmp/proctel-demo.XXXXXX)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=${DEMO_PORT:-16161}
cat >"$tmp/agent.yaml" <<EOC
listen: ["127.0.0.1:$port"]
communities:
  - {name: public, allow: ["127.0.0.0/8"]}
system: {name: demo-host, contact: you@example.com, location: make demo}
cache_ttl_ms: 200
EOC
cat >"$tmp/collector.yaml" <<EOC
defaults: {port: $port, version: 2c, community: public, timeout_ms: 500, retries: 2}
targets:
  - {host: 127.0.0.1, name: local, labels: {role: demo}}
tables:
  - {name: zombie_parents, oid: 1.3.6.1.4.1.8072.9999.9999.1.1.4.1}
outputs:
  - {type: jsonl, path: "-"}
  - {type: sqlite, path: $tmp/proctel.db}
EOC

"$BUILD/proctel-agent" -c "$tmp/agent.yaml" &
pids="$pids $!"
"$BUILD/tools/zombie_maker" demo-leaky 3 30 >"$tmp/zm.out" &
pids="$pids $!"
i=0
while [ $i -lt 50 ]; do
	snmpget -v2c -c public -t 0.2 -r 0 "127.0.0.1:$port" \
	    1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && break
	sleep 0.1
	i=$((i + 1))
done
sleep 0.3

echo "== proctel-agent on 127.0.0.1:$port; a parent 'demo-leaky' holds 3 zombies"
echo
echo "== proctel-collector --once (JSON Lines on stdout, history in SQLite)"
"$BUILD/proctel-collector" -c "$tmp/collector.yaml" --once
rc=$?
echo "   exit status $rc"
echo
echo "== sqlite3: select metric, value from samples"
sqlite3 "$tmp/proctel.db" "select metric, value from samples order by metric;" 2>&1 | head -20
echo
base=1.3.6.1.4.1.8072.9999.9999.1
echo "== snmpget ptZombies.0 and ptZombieParents.0"
snmpget -v2c -c public -On "127.0.0.1:$port" $base.1.1.6.0 $base.1.1.10.0
echo
echo "== snmpwalk of ptZombieParentTable (name, zombies, oldest age)"
snmpwalk -v2c -c public -On "127.0.0.1:$port" $base.1.4.1
echo
echo "== four more runs, a second apart; a parent 'demo-forker' starts leaking"
for i in 1 2 3 4; do
	sleep 1
	if [ $i -eq 2 ]; then
		"$BUILD/tools/zombie_maker" demo-forker 5 30 >"$tmp/zm2.out" &
		pids="$pids $!"
		sleep 0.3
	fi
	"$BUILD/proctel-collector" -c "$tmp/collector.yaml" --once -q >/dev/null
done
echo
echo "== proctel-collector report --text"
"$BUILD/proctel-collector" report -c "$tmp/collector.yaml" --text
echo
page=$(cd "$BUILD" && pwd)/demo-report.html
"$BUILD/proctel-collector" report -c "$tmp/collector.yaml" -o "$page" ||
    rc=1
echo "== the report, one self-contained page (open it in a browser):"
echo "$page"
exit $rc
