#!/bin/sh
# A frozen agent: proctel-agent serving a copy of the fake /proc tree
# (tests/tools/fakeproc/basic, whose process names hold spaces, newlines,
# parentheses and 5,000-byte command lines), so that nothing changes
# between two walks.  Against it:
#  - the collector's GETBULK walk of every contract table equals
#    snmpbulkwalk's, row by row and cell by cell (same indexes, same
#    columns, same values, strings compared as bytes), at two
#    max-repetitions;
#  - a Counter64 past 2^32 (ptForks, from the tree's "processes" line)
#    crosses the wire whole: snmpget, snmpbulkwalk and the collector's
#    JSON Lines and SQLite all read 5000000123, not its low 32 bits.
. tests/integration/lib.sh

AGENT=$BUILD/proctel-agent
COLL=$BUILD/proctel-collector
[ -x "$AGENT" ] || skip_all "$AGENT not built"
[ -x "$COLL" ] || skip_all "$COLL not built"
for t in snmpget snmpbulkwalk python3 sqlite3; do
	command -v "$t" >/dev/null 2>&1 || skip_all "$t not installed"
done
SNMPCONFPATH=$T_TMP SNMP_PERSISTENT_DIR=$T_TMP MIBS= MIBDIRS=$T_TMP
export SNMPCONFPATH SNMP_PERSISTENT_DIR MIBS MIBDIRS

# 5000000123 = 2^32 + 705032827: truncation to 32 bits reads 705032827.
FORKS=5000000123
cp -a tests/tools/fakeproc/basic "$T_TMP/proc"
sed -i "s/^processes .*/processes $FORKS/" "$T_TMP/proc/stat"
grep -q "^processes $FORKS\$" "$T_TMP/proc/stat" ||
    fail "the copied tree holds the large fork count"

PORT=$(free_port)
cat >"$T_TMP/agent.yaml" <<EOF
communities:
  - {name: public, allow: ["127.0.0.0/8"]}
cache_ttl_ms: 3600000
expose_cmdline: true
EOF
"$AGENT" -c "$T_TMP/agent.yaml" -l "127.0.0.1:$PORT" \
    --proc-root "$T_TMP/proc" >"$T_TMP/agent.log" 2>&1 &
APID=$!
t_track $APID
if ! wait_snmp "127.0.0.1:$PORT"; then
	fail "the frozen agent answers" "$(head -5 "$T_TMP/agent.log")"
	finish
fi

PT=1.3.6.1.4.1.8072.9999.9999.1
# ---- Counter64 past 2^32 ----
check_eq "snmpget reads ptForks.0 past 2^32" \
    "$(snmpget -v2c -c public -On -t 2 -r 1 "udp:127.0.0.1:$PORT" $PT.1.1.9.0 2>&1)" \
    ".$PT.1.1.9.0 = Counter64: $FORKS"
check_match "snmpbulkwalk of ptSystem reads ptForks past 2^32" \
    "$(snmpbulkwalk -v2c -c public -On -t 2 -r 1 "udp:127.0.0.1:$PORT" $PT.1.1 2>&1)" \
    "^\\.$PT\\.1\\.1\\.9\\.0 = Counter64: $FORKS\$"

# ---- the collector's walks ----
TABLES="hrSWRunEntry hrSWRunPerfEntry ptProcEntry ptZombieParentEntry"
cat >"$T_TMP/coll.yaml" <<EOF
defaults: {port: $PORT, timeout_ms: 2000, retries: 1}
targets:
  - {host: 127.0.0.1, name: frozen}
metrics:
  - {name: forks, oid: ptForks.0}
tables:
EOF
for t in $TABLES; do
	echo "  - {name: $t, oid: $t}" >>"$T_TMP/coll.yaml"
done
cat >>"$T_TMP/coll.yaml" <<EOF
outputs:
  - {type: jsonl, path: "$T_TMP/out.jsonl"}
  - {type: sqlite, path: "$T_TMP/out.db"}
EOF
"$COLL" -c "$T_TMP/coll.yaml" --once >"$T_TMP/coll.log" 2>&1
check_eq "the collector run exits 0" "$?" 0
check_eq "JSON Lines holds ptForks past 2^32" \
    "$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["values"]["forks"])' "$T_TMP/out.jsonl" 2>&1)" \
    "$FORKS"
check_eq "SQLite holds ptForks past 2^32" \
    "$(sqlite3 "$T_TMP/out.db" "select value from samples where metric = 'forks'" 2>&1)" \
    "$FORKS"

# Cell-by-cell comparison: snmpbulkwalk -Ox prints every string as hex
# (wrapped over several lines), so bytes are compared, not renderings.
compare() {
	build/tools/contract "$1" >"$T_TMP/cols"
	python3 - "$T_TMP/out.jsonl" "$1" "$2" "$3" "$T_TMP/cols" <<'EOF'
import json, sys
jsonl, table, entry_oid, walkfile, colsfile = sys.argv[1:6]
rows = json.loads(open(jsonl).readline())["tables"][table]
# Column names to numbers, from the contract (tools/contract ENTRY).
colno = {}
for line in open(colsfile):
    name, oid = line.split()[:2]
    if oid.startswith(entry_oid + "."):
        colno[name] = int(oid[len(entry_oid) + 1:])

# snmpbulkwalk -On -Oe -Ot -Ox: ".OID = TYPE: value", hex continued on
# the lines that follow.
raw, cur = {}, None
for line in open(walkfile, encoding="latin-1"):
    line = line.rstrip("\n")
    if line.startswith("."):
        oid, _, val = line.partition(" = ")
        cur = oid[1:]
        raw[cur] = val
    elif cur is not None:
        raw[cur] += " " + line

def walked(val):
    typ, _, v = val.partition(": ")
    if val == '""':
        return b""
    if typ == "Hex-STRING":
        return bytes.fromhex(v.replace(" ", ""))
    if typ == "STRING":
        return v.strip('"').encode("latin-1")
    if typ == "OID":
        return v.lstrip(".")
    return int(v)

walk = {}
for oid, val in raw.items():
    col, _, idx = oid[len(entry_oid) + 1:].partition(".")
    walk[(int(col), idx)] = walked(val)

mine = {}
bad = []
for row in rows:
    for name, v in row.items():
        if name == "index":
            continue
        if name not in colno:
            bad.append(f"column {name} is not in the contract")
            continue
        key = (colno[name], row["index"])
        if isinstance(walk.get(key), bytes):
            v = v.encode("utf-8")
        mine[key] = v

for key in sorted(set(walk) | set(mine)):
    if key not in mine:
        bad.append(f"{key} walked only by snmpbulkwalk")
    elif key not in walk:
        bad.append(f"{key} walked only by the collector")
    elif walk[key] != mine[key]:
        bad.append(f"{key}: {walk[key]!r} vs {mine[key]!r}")
print(f"{len(walk)} cells, {len(rows)} rows" if not bad else "; ".join(bad[:5]))
EOF
}
for t in $TABLES; do
	eoid=$(build/tools/contract "$t" | awk -v n="$t" '$1 == n { print $2 }')
	for r in 10 50; do
		snmpbulkwalk -v2c -c public -On -Oe -Ot -Ox -Cr$r -t 2 -r 1 \
		    "udp:127.0.0.1:$PORT" "$eoid" 2>&1 |
		    grep -v 'No more variables left in this MIB View' \
		    >"$T_TMP/walk.$t.$r"
		nwalk=$(grep -c '^\.' "$T_TMP/walk.$t.$r")
		check_int "snmpbulkwalk -Cr$r of $t returns cells" "$nwalk" -gt 0
		check_match "$t: the collector's walk equals snmpbulkwalk -Cr$r, cell by cell" \
		    "$(compare "$t" "$eoid" "$T_TMP/walk.$t.$r" 2>&1)" \
		    "^$nwalk cells, [0-9]+ rows\$"
	done
done

alive "the frozen agent is alive at the end" "$APID"
finish
