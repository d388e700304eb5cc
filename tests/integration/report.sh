#!/bin/sh
# suite-timeout: 600
# report: `proctel-collector report` from histories made by real runs of
# the collector against a real proctel-agent, with build/tools/zombie_maker
# holding zombies under a parent of a known name and a second target on a
# port nobody answers.  The page names the leaking parent (name and pid),
# its host and the host's sysName, lists the dead target with "never";
# --text ranks the same way in 80 ASCII columns; headless Chromium sees no
# request, no console error, no script, a drawn screenshot, and charts with
# one point per run.  Then the edge histories: empty (a run whose shard
# holds no target), one run, every target timed out, and the history found
# through the config's default path; and refusals (no history, bad usage).
# Scale is report_scale.sh.
. tests/integration/lib.sh
. tests/integration/agent.inc
. tests/integration/report.inc

MAKER=$BUILD/tools/zombie_maker
[ -x "$COLL" ] || skip_all "$COLL not built"
[ -x "$MAKER" ] || skip_all "$MAKER not built"
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 not installed"

NAME=ptleaky
N=4
agent_up "$T_TMP/agent.yaml"
zombie_maker_start "$NAME" "$N" 600
check_eq "zombie_maker is holding its zombies" "$(cut -d' ' -f1 "$T_TMP/maker.out")" "$ZPID"
agent_fresh	# the first run must see the zombies: a snapshot taken since

DEAD=$(free_port)
while [ "$DEAD" = "$PORT" ]; do DEAD=$(free_port); done

# conf FILE DB TARGET-LINES: a collector config writing the history DB.
conf() {
	cat >"$1" <<EOF
defaults: {timeout_ms: 300, retries: 0}
deadline_s: 20
targets:
$3
tables:
  - {name: zombie_parents, oid: $PT.1.4.1}
outputs:
  - {type: sqlite, path: $2}
lock_file: $1.lock
EOF
}
# The live agent gets time to answer on a loaded machine (and under
# sanitizers); a dead target costs one short timeout.
LIVE="  - {host: 127.0.0.1, port: $PORT, name: leaky-host, timeout_ms: 2000, retries: 2}"
GONE="  - {host: 127.0.0.1, port: $DEAD, name: gone-host}"

# ---- three runs: one agent with a leaking parent, one dead target ----
conf "$T_TMP/c.yaml" "$T_TMP/h.db" "$LIVE
$GONE"
for run in 1 2 3; do
	"$COLL" -c "$T_TMP/c.yaml" --once -q 2>>"$T_TMP/coll.err"
	check_eq "run $run: exit 1 (gone-host does not answer)" "$?" 1
	[ $run -lt 3 ] && sleep 1.1
done
RUNS=$(sqlite3 "$T_TMP/h.db" "select count(*) from runs")
check_eq "the history holds the three runs" "$RUNS" 3

"$COLL" report -c "$T_TMP/c.yaml" -o "$T_TMP/page.html" 2>"$T_TMP/report.err"
check_eq "report -c -o exits 0" "$?" 0
check_match "report says what it wrote" "$(cat "$T_TMP/report.err")" "wrote $T_TMP/page.html: 3 runs, 2 hosts"
page=$(cat "$T_TMP/page.html")
# The parents table: host, pid, name and count on one row.
row=$(printf '%s\n' "$page" | grep "<b>$NAME</b>")
check_match "the page names the leaking parent" "$row" "<b>$NAME</b>"
check_match "... with its pid" "$row" "<td class=\"n\">$ZPID</td>"
check_match "... on its host" "$row" "<b>leaky-host</b>"
check_match "... holding $N zombies (or more)" "$row" "<td class=\"n bad\">([4-9]|[1-9][0-9]+)</td>"
check_match "... first seen in the first run" "$row" \
    "$(sqlite3 "$T_TMP/h.db" "select time from runs order by id limit 1")"
check_match "the host's sysName comes from the agent" "$page" 'leaky-host</b><div class="sub">127\.0\.0\.1:[0-9]+ &#xB7; pt-test-host'
check_match "the dead target is listed as never answering" \
    "$(printf '%s\n' "$page" | sed -n '/id="silent"/,/<\/section>/p' | grep 'gone-host')" \
    '<td class="bad">timeout</td><td class="t">never</td><td class="n">3</td>'
check_match "the time range is on the page" "$page" \
    "From <time>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z</time> to <time>[0-9-]+T[0-9:]+Z</time> \\(UTC\\): 3 runs, 2 targets"
check_match "the health table has the runs' counts" "$page" \
    '<td class="n">2</td><td class="n">1</td><td class="n bad">1</td><td class="n">0</td>'
browse "three runs" "$T_TMP/page.html" "$RUNS"
if [ -n "${BROWSE_OUT:-}" ]; then
	check_eq "three runs: a zombie and a process chart, three health charts" \
	    "$(grep -c '^chart ' "$BROWSE_OUT")" 5
	check_eq "three runs: two sparklines for the one host that answered" \
	    "$(sed -n 's/^sparks //p' "$BROWSE_OUT")" "2 6"
fi

"$COLL" report -c "$T_TMP/c.yaml" --text >"$T_TMP/page.txt" 2>"$T_TMP/text.err"
check_eq "report --text exits 0" "$?" 0
text_shape "--text" "$T_TMP/page.txt"
check_match "--text ranks leaky-host first" \
    "$(sed -n '/^HOSTS/,/^$/p' "$T_TMP/page.txt" | sed -n 3p)" '^  1 leaky-host +pt-test-host +[4-9]'
check_match "--text names the parent and its pid" "$(cat "$T_TMP/page.txt")" \
    "leaky-host +$ZPID $NAME +[0-9]+"
check_match "--text lists the dead target" "$(cat "$T_TMP/page.txt")" \
    'gone-host +timeout never +3 no response'

# The same history through --db alone, and a window of one second.
"$COLL" report --db "$T_TMP/h.db" --since 1s -o "$T_TMP/since.html" 2>/dev/null
check_eq "report --db --since 1s exits 0" "$?" 0
check_match "--since 1s keeps the newest run, says the others are outside" \
    "$(cat "$T_TMP/since.html")" '1 runs, 2 targets\. 2 older runs are outside the window'

# ---- one run ----
conf "$T_TMP/one.yaml" "$T_TMP/one.db" "$LIVE"
"$COLL" -c "$T_TMP/one.yaml" --once -q
check_eq "one run: the collector exits 0" "$?" 0
"$COLL" report -c "$T_TMP/one.yaml" -o "$T_TMP/one.html" 2>/dev/null
check_eq "one run: report exits 0" "$?" 0
check_match "one run: the parent is named" "$(cat "$T_TMP/one.html")" "<b>$NAME</b>"
browse "one run" "$T_TMP/one.html" 1

# ---- every target timed out ----
DEAD2=$(free_port)
conf "$T_TMP/dead.yaml" "$T_TMP/dead.db" "$GONE
  - {host: 127.0.0.1, port: $DEAD2, name: gone-too}"
"$COLL" -c "$T_TMP/dead.yaml" --once -q
check_eq "all timed out: the collector exits 1" "$?" 1
sleep 1.1
"$COLL" -c "$T_TMP/dead.yaml" --once -q
"$COLL" report -c "$T_TMP/dead.yaml" -o "$T_TMP/dead.html" 2>/dev/null
check_eq "all timed out: report exits 0" "$?" 0
dead=$(cat "$T_TMP/dead.html")
check_match "all timed out: the page says no host answered" "$dead" 'No host answered in this window'
check_eq "all timed out: both targets listed as never answering" \
    "$(printf '%s\n' "$dead" | grep -c '<td class="t">never</td>')" 2
browse "all timed out" "$T_TMP/dead.html" 2
"$COLL" report -c "$T_TMP/dead.yaml" --text >"$T_TMP/dead.txt"
check_eq "all timed out: --text exits 0" "$?" 0
text_shape "all timed out --text" "$T_TMP/dead.txt"

# ---- empty: the history of a shard with no target in it ----
conf "$T_TMP/empty.yaml" "$T_TMP/empty.db" "$LIVE"
"$COLL" -c "$T_TMP/empty.yaml" --once -q --shard 0/65536
check_eq "empty: the shard held no target (no run written)" \
    "$(sqlite3 "$T_TMP/empty.db" "select count(*) from runs")" 0
"$COLL" report -c "$T_TMP/empty.yaml" -o "$T_TMP/empty.html" 2>/dev/null
check_eq "empty: report exits 0" "$?" 0
check_match "empty: the page says nothing is recorded" "$(cat "$T_TMP/empty.html")" 'Nothing recorded yet'
browse "empty" "$T_TMP/empty.html" -
"$COLL" report -c "$T_TMP/empty.yaml" --text >"$T_TMP/empty.txt"
check_match "empty: --text says so" "$(cat "$T_TMP/empty.txt")" 'no runs in this window'

# ---- the history at the collector's default path, beside the config ----
mkdir -p "$T_TMP/d"
cat >"$T_TMP/d/collector.yaml" <<EOF
defaults: {timeout_ms: 300, retries: 0}
targets:
$LIVE
lock_file: $T_TMP/d/lock
EOF
"$COLL" -c "$T_TMP/d/collector.yaml" --once -q
check_eq "no outputs: the collector wrote proctel.db beside the config" \
    "$(sqlite3 "$T_TMP/d/proctel.db" "select count(*) from runs")" 1
"$COLL" report -c "$T_TMP/d/collector.yaml" --text >"$T_TMP/d.txt"
check_eq "no outputs: report finds that history" "$?" 0
check_match "no outputs: and reads it" "$(cat "$T_TMP/d.txt")" '^1 runs, 1 targets'

# ---- refusals ----
"$COLL" report --db "$T_TMP/nothing.db" --text >/dev/null 2>"$T_TMP/no.err"
check_eq "no history: exit 1" "$?" 1
check_match "no history: says which file" "$(cat "$T_TMP/no.err")" "nothing\\.db"
check_eq "no history: nothing created" "$(ls "$T_TMP" | grep -c nothing)" 0
"$COLL" report --db "$T_TMP/h.db" --text -o "$T_TMP/x.html" >/dev/null 2>&1
check_eq "--text with -o: usage, exit 2" "$?" 2
"$COLL" report --db "$T_TMP/h.db" --since 5q >/dev/null 2>&1
check_eq "--since 5q: exit 2" "$?" 2
"$COLL" report --db "$T_TMP/h.db" -o "$T_TMP/nodir/x.html" 2>/dev/null
check_eq "an output in a missing directory: exit 1" "$?" 1

alive "agent alive at the end" "$APID"
kill -TERM "$ZPID"
wait "$ZPID" 2>/dev/null
finish
