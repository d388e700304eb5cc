#!/bin/sh
# suite-timeout: 1500
# report_scale: the report over 10,000 targets x 1,440 one-minute runs (a
# day of a big fleet; REPORT_SCALE_TARGETS=334 REPORT_SCALE_RUNS=43200 for
# 30 days of a smaller one, the same number of polls): 14.4 million polls and 43 million samples of
# synthetic history in the collector's own schema (made by a real --once
# run, then filled with sqlite3).  It prints what the report cost (wall,
# CPU, peak RSS, page bytes) and checks what does not depend on the
# machine: the report finishes (within this suite's time limit), the page
# stays under 1 MB, charts keep one point per run, sparklines 60, the 100
# worst hosts are listed, agents' strings stay escaped, and Chromium opens
# the page cleanly.  No pass/fail on time: the machine is shared.
#
# The history has three metrics per poll (zombies, processes, sysName);
# the collector's default set stores fifteen, which the report's scan
# skips over (see README, "Report").  The samples_raw_target index is not
# built: the report does not use it, and building it takes longer than
# the rest of the suite.
. tests/integration/lib.sh
. tests/integration/report.inc

[ -x "$COLL" ] || skip_all "$COLL not built"
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 not installed"
NT=${REPORT_SCALE_TARGETS:-10000}
NR=${REPORT_SCALE_RUNS:-1440}
db=$T_TMP/scale.db

cat >"$T_TMP/c.yaml" <<EOF
defaults: {timeout_ms: 50, retries: 0}
targets:
  - {host: 127.0.0.1, port: $(free_port), name: schema}
outputs:
  - {type: sqlite, path: $db}
lock_file: $T_TMP/c.lock
EOF
"$COLL" -c "$T_TMP/c.yaml" --once -q
check_eq "a real run made the schema (version 2)" \
    "$(sqlite3 "$db" "pragma user_version")" 2

# Targets with id % 100 = 3 leak: zombies grow by one every 10 to 16
# runs, under a parent named after the target.  Targets with
# id % 1000 = 7 stop answering 40 runs before the end.  Target 203, the
# worst, has a name, a sysName and a parent name meant to break a page.
start=$(date +%s)
sqlite3 "$db" >"$T_TMP/gen.out" 2>&1 <<EOF
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -400000;
DELETE FROM run_stats; DELETE FROM polls; DELETE FROM samples_raw;
DELETE FROM table_rows; DELETE FROM runs; DELETE FROM targets;
DROP INDEX samples_raw_target;
BEGIN;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < $NR)
INSERT INTO runs(id, time_ms, time)
  SELECT i, 1795428000000 + (i - 1) * 60000,
    strftime('%Y-%m-%dT%H:%M:%SZ', 1795428000 + (i - 1) * 60, 'unixepoch')
  FROM r;
WITH RECURSIVE t(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM t WHERE i < $NT)
INSERT INTO targets(id, name, host, port, labels)
  SELECT i, CASE i WHEN 203 THEN '<img src=x onerror=alert(1)>'
    ELSE printf('host-%05d', i) END,
    printf('10.%d.%d.%d', i / 65536, (i / 256) % 256, i % 256), 161, '{}'
  FROM t;
INSERT INTO polls
  SELECT r.id, t.id,
    CASE WHEN t.id % 1000 = 7 AND r.id > $NR - 40 THEN 'timeout' ELSE 'ok' END,
    CASE WHEN t.id % 1000 = 7 AND r.id > $NR - 40
      THEN 'no response after 3 attempts' END, 1, 0.4 + (t.id % 50) / 10.0
  FROM runs r CROSS JOIN targets t;
INSERT INTO samples_raw
  SELECT p.run_id, p.target_id, m.metric,
    CASE m.k WHEN 1 THEN 200 + (p.target_id * 7 + p.run_id) % 50
      WHEN 2 THEN NULL
      ELSE CASE WHEN p.target_id % 100 = 3
        THEN p.run_id / (10 + p.target_id % 7) ELSE 0 END END,
    CASE WHEN m.k = 2 THEN CASE p.target_id
      WHEN 203 THEN '</td><script>alert(2)</script>'
      ELSE printf('web-%05d', p.target_id) END END
  FROM polls p CROSS JOIN (SELECT 1 AS k, 'processes' AS metric
    UNION ALL SELECT 2, 'sysName' UNION ALL SELECT 3, 'zombies') m
  WHERE p.status = 'ok';
INSERT INTO table_rows
  SELECT p.run_id, p.target_id, 'zombie_parents', CAST(1000 + p.target_id AS TEXT),
    c.col, CASE c.k WHEN 1 THEN NULL WHEN 2 THEN p.run_id * 60
      ELSE p.run_id / (10 + p.target_id % 7) END,
    CASE WHEN c.k = 1 THEN CASE p.target_id
      WHEN 203 THEN '"><svg onload=alert(3)>'
      ELSE printf('leaker-%d', p.target_id) END END
  FROM polls p CROSS JOIN (SELECT 1 AS k, 'ptZpName' AS col
    UNION ALL SELECT 2, 'ptZpOldestAge' UNION ALL SELECT 3, 'ptZpZombies') c
  WHERE p.status = 'ok' AND p.target_id % 100 = 3
    AND p.run_id >= 10 + p.target_id % 7;
INSERT INTO run_stats
  SELECT run_id, 400 + run_id % 97, count(*), sum(status = 'ok'),
    sum(status = 'timeout'), sum(status = 'error')
  FROM polls GROUP BY run_id;
COMMIT;
SELECT 'polls', count(*) FROM polls;
SELECT 'samples', count(*) FROM samples_raw;
EOF
check_eq "synthetic history written" "$?" 0
check_eq "it holds $NT x $NR polls" "$(grep '^polls|' "$T_TMP/gen.out")" "polls|$((NT * NR))"
echo "history: $(sed -n 's/^samples|//p' "$T_TMP/gen.out") samples, $(du -m "$db" | cut -f1) MB, made in $(($(date +%s) - start)) s"

# measure CMD...: run it; "status wall_s user_s maxrss_kib" on stdout.
measure() {
	python3 -c '
import resource, subprocess, sys, time
t = time.time()
rc = subprocess.call(sys.argv[1:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(rc, "%.1f" % (time.time() - t), "%.1f" % u.ru_utime, u.ru_maxrss)
' "$@"
}

set -- $(measure "$COLL" report --db "$db" --since all -o "$T_TMP/page.html")
check_eq "report of $NT x $NR exits 0" "$1" 0
bytes=$(wc -c <"$T_TMP/page.html")
echo "measured: report of $NT targets x $NR runs: $2 s wall, $3 s CPU, peak RSS $4 KiB, page $bytes bytes"
check_int "the page stays under 1 MB" "$bytes" -lt 1000000
page=$(cat "$T_TMP/page.html")
check_eq "the 100 worst hosts are listed" \
    "$(printf '%s\n' "$page" | grep -c 'data-spark="zombies"')" 100
check_match "sparklines are cut to 60 points and the page says so" "$page" \
    "Sparklines: 60 points, each the maximum over about $(((NR + 59) / 60)) runs"
check_match "the page counts every target" "$page" "$NR runs, $NT targets"
check_match "the worst host's name is escaped" "$page" \
    '<b>&lt;img src=x onerror=alert\(1\)&gt;</b>'
check_match "its sysName is escaped" "$page" \
    '&lt;/td&gt;&lt;script&gt;alert\(2\)&lt;/script&gt;'
check_match "its parent's name is escaped" "$page" \
    '<b>&quot;&gt;&lt;svg onload=alert\(3\)&gt;</b>'
check_eq "no agent's markup got through" \
    "$(printf '%s\n' "$page" | grep -c -e '<img' -e '<script' -e '<svg onload')" 0
check_match "the silent targets are listed with their last good run" \
    "$(printf '%s\n' "$page" | grep -A2 '<b>host-00007</b>')" \
    "<td class=\"bad\">timeout</td><td class=\"t\">$(date -u -d "2026-11-23T10:00:00Z + $((NR - 41)) minutes" +%Y-%m-%dT%H:%M:%SZ)</td><td class=\"n\">40</td>"
# Charts keep one point per run up to a day of one-minute runs, then the
# maximum over groups of runs (REPORT_CHART_POINTS).
browse "$NT x $NR" "$T_TMP/page.html" "$((NR < 1440 ? NR : 1440))"

set -- $(measure sh -c "'$COLL' report --db '$db' --since all --text >'$T_TMP/page.txt'")
check_eq "--text of $NT x $NR exits 0" "$1" 0
echo "measured: --text of $NT targets x $NR runs: $2 s wall, $3 s CPU, peak RSS $4 KiB"
text_shape "--text at scale" "$T_TMP/page.txt"
check_int "--text stays short (lists cut)" "$(wc -l <"$T_TMP/page.txt")" -lt 300
finish
