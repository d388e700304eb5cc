#!/usr/bin/env python3
"""sinkcheck: read back what proctel-collector wrote, each format with its
own strict reader, and compare it byte for byte with what the agents sent.

A test tool for tests/integration/collector_exact.sh.  --expect is a JSON
file: {"targets": {NAME: {"alias": TEXT, "labels": {KEY: VALUE}, "values":
{METRIC: HEX}, "tables": {TABLE: {INDEX: {COLUMN: HEX}}}}}}; every value
named there must come back from every sink given, exactly (hex is the
bytes the agent served; names and labels are text).  Checks name a target
by its alias, so that a report line holds no byte of the data.  Each sink is read by the rule its
sink documents:

  --jsonl FILE     Python's json: a string is its UTF-8 bytes; a null is
                   looked up in "values_hex" (or a row's "hex")
  --csv FILE       Python's csv, UTF-8 strict: a field that starts with
                   '\\x is hex, else one leading ' is dropped
  --sqlite FILE    Python's sqlite3: TEXT and BLOB as bytes
  --influx URL     a real InfluxDB 1.x: --lp FILE is POSTed to URL/write
                   (database --db), and SELECT * FROM proctel read back;
                   a field NAME:hex holds the bytes of NAME in hex
  --prom-api URL   a real Prometheus server that scraped the collector's
                   text file: /api/v1/series gives the label values

It prints one line per check, "ok NAME" or "FAIL NAME: detail", and exits
0 when it could run every check (whatever their outcome).
"""
import argparse
import csv
import json
import sqlite3
import sys
import urllib.parse
import urllib.request

RESULTS = []
ALIAS = {}


def alias(target):
    return ALIAS.get(target, "an unexpected target")


def written_label(key):
    """The label key as the Prometheus and InfluxDB sinks write it."""
    if key in ("target", "host", "index") or key.startswith("__"):
        return "label_" + key
    return key


def check(name, got, want):
    if got == want:
        RESULTS.append("ok   " + name)
    else:
        RESULTS.append("FAIL %s: got %r, want %r" % (name, got, want))


def each_expected(exp):
    """(target, kind, table, index, column, bytes) for every expected value."""
    for tname, t in exp["targets"].items():
        for m, h in t.get("values", {}).items():
            yield tname, "value", None, None, m, bytes.fromhex(h)
        for tab, rows in t.get("tables", {}).items():
            for idx, cols in rows.items():
                for c, h in cols.items():
                    yield tname, "cell", tab, idx, c, bytes.fromhex(h)


def compare(sink, exp, got):
    """got: {(target, table, index, column): bytes}; table None for values."""
    n = 0
    for tname, kind, tab, idx, col, want in each_expected(exp):
        where = col if kind == "value" else "%s.%s.%s" % (tab, col, idx)
        check("%s: %s of the %s" % (sink, where, alias(tname)),
              got.get((tname, tab, idx, col)), want)
        n += 1
    return n


def read_jsonl(path, exp):
    got = {}
    names = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            names.add(r["target"])
            t = r["target"]
            for m, v in r["values"].items():
                if v is None:
                    v = bytes.fromhex(r["values_hex"][m])
                elif isinstance(v, str):
                    v = v.encode("utf-8")
                got[(t, None, None, m)] = v
            for tab, rows in r.get("tables", {}).items():
                for row in rows:
                    for c, v in row.items():
                        if c in ("index", "hex"):
                            continue
                        if v is None:
                            v = bytes.fromhex(row["hex"][c])
                        elif isinstance(v, str):
                            v = v.encode("utf-8")
                        got[(t, tab, row["index"], c)] = v
            if t in exp["targets"]:
                check("jsonl: labels of the %s" % alias(t),
                      r.get("labels", {}),
                      exp["targets"][t].get("labels", {}))
    check("jsonl: target names", sorted(names), sorted(exp["targets"]))
    compare("jsonl", exp, got)


def csv_text(field):
    if field.startswith("'\\x"):
        return bytes.fromhex(field[3:])
    if field.startswith("'"):
        return field[1:].encode("utf-8")
    return field.encode("utf-8")


def read_csv(path, exp):
    got = {}
    names = set()
    tables = {tab for t in exp["targets"].values() for tab in t.get("tables", {})}
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, strict=True))
    check("csv: header", rows[0], ["time", "target", "host", "port", "status",
                                   "attempts", "latency_ms", "metric", "value"])
    for row in rows[1:]:
        t = csv_text(row[1]).decode("utf-8")
        names.add(t)
        metric = csv_text(row[7]).decode("utf-8")
        value = csv_text(row[8])
        tab = metric.split(".", 1)[0]
        if tab in tables and metric.count(".") >= 2:
            _, col, idx = metric.split(".", 2)
            got[(t, tab, idx, col)] = value
        else:
            got[(t, None, None, metric)] = value
    check("csv: target names", sorted(names), sorted(exp["targets"]))
    compare("csv", exp, got)


def read_sqlite(path, exp):
    db = sqlite3.connect(path)
    db.text_factory = bytes
    got = {}
    for t, m, v in db.execute("SELECT t.name, s.metric, s.value_text "
                              "FROM samples_raw s JOIN targets t "
                              "ON t.id = s.target_id"):
        if v is not None:
            got[(t.decode(), None, None, m.decode())] = bytes(v)
    for t, tab, idx, col, v in db.execute(
            "SELECT t.name, r.tbl, r.idx, r.col, r.value_text "
            "FROM table_rows r JOIN targets t ON t.id = r.target_id"):
        if v is not None:
            got[(t.decode(), tab.decode(), idx.decode(), col.decode())] = bytes(v)
    compare("sqlite", exp, got)


def http(url, data=None):
    req = urllib.request.Request(url, data=data,
                                 method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=20) as f:
            return f.status, f.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def read_influx(url, db, lp, exp):
    http(url + "/query", urllib.parse.urlencode(
        {"q": "CREATE DATABASE " + db}).encode())
    with open(lp, "rb") as f:
        body = f.read()
    st, out = http(url + "/write?" + urllib.parse.urlencode(
        {"db": db, "precision": "ns"}), body)
    check("influx: the server accepts every line (HTTP %d %s)" % (
        st, out.decode("utf-8", "replace").strip()), st, 204)
    st, out = http(url + "/query?" + urllib.parse.urlencode(
        {"db": db, "q": "SELECT * FROM proctel"}))
    series = json.loads(out)["results"][0].get("series", [])
    got, names, npoints = {}, set(), 0
    for s in series:
        cols = s["columns"]
        for vals in s["values"]:
            p = dict(zip(cols, vals))
            npoints += 1
            t = p["target"]
            names.add(t)
            if t in exp["targets"]:
                for k, v in exp["targets"][t].get("labels", {}).items():
                    check("influx: tag %s of the %s" % (k, alias(t)),
                          p.get(written_label(k)), v)
            for k, v in p.items():
                if v is None or not isinstance(v, str):
                    continue
                if k.endswith(":hex"):
                    got[(t, None, None, k[:-4])] = bytes.fromhex(v)
                else:
                    got.setdefault((t, None, None, k), v.encode("utf-8"))
    check("influx: one point per line", npoints,
          len([l for l in body.split(b"\n") if l.startswith(b"proctel,")]))
    check("influx: target names", sorted(names), sorted(exp["targets"]))
    # Tables are not written to InfluxDB.
    values_only = {"targets": {n: {"values": t.get("values", {})}
                               for n, t in exp["targets"].items()}}
    compare("influx", values_only, got)


def read_prom(url, exp):
    st, out = http(url + "/api/v1/series?" + urllib.parse.urlencode(
        {"match[]": "proctel_up"}))
    data = json.loads(out).get("data", [])
    names = sorted(d.get("target") for d in data)
    check("prom: target labels read back by Prometheus", names,
          sorted(exp["targets"]))
    for d in data:
        t = d.get("target")
        for k, v in exp["targets"].get(t, {}).get("labels", {}).items():
            check("prom: label %s of the %s" % (k, alias(t)),
                  d.get(written_label(k)), v)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--expect", required=True)
    ap.add_argument("--jsonl")
    ap.add_argument("--csv")
    ap.add_argument("--sqlite")
    ap.add_argument("--influx")
    ap.add_argument("--db", default="proctel")
    ap.add_argument("--lp")
    ap.add_argument("--prom-api")
    a = ap.parse_args()
    with open(a.expect) as f:
        exp = json.load(f)
    for name, t in exp["targets"].items():
        ALIAS[name] = t.get("alias", "target")
    if a.jsonl:
        read_jsonl(a.jsonl, exp)
    if a.csv:
        read_csv(a.csv, exp)
    if a.sqlite:
        read_sqlite(a.sqlite, exp)
    if a.influx:
        read_influx(a.influx, a.db, a.lp, exp)
    if a.prom_api:
        read_prom(a.prom_api, exp)
    print("\n".join(RESULTS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
