#!/usr/bin/env python3
"""store_check: compare what a store holds with what the collector's file
sinks wrote in the same run, for tests/integration/remote_*.sh.

The prom file sink and the influx file sink are the references: the
remote sinks must put the very same series into a store.  Each command
reads a reference file and a store's answer (saved by the test with curl),
prints one line per difference (at most 10), then "N series, M differ",
and exits 0 only when nothing differs.

  prom-matrix PROMFILE ANSWER RUN_MS
      ANSWER: Prometheus /api/v1/query of {__name__=~"proctel_.+"}[R]:
      every series of PROMFILE has one sample at RUN_MS with its value,
      and the store has no other proctel series.
  prom-export PROMFILE ANSWER RUN_MS
      ANSWER: VictoriaMetrics /api/v1/export lines; the same check.
  lp-export LPFILE ANSWER DB
      ANSWER: VictoriaMetrics /api/v1/export lines of the series made from
      line protocol: every numeric field f of every line is a series
      proctel_f with the line's tags and db=DB, at the line's time
      (string fields are not compared).
  lp-influxql LPFILE ANSWER
      ANSWER: InfluxDB 1.x /query "SELECT * FROM proctel" with epoch=ns:
      every line is a row with its tags and fields at its time.
  run-times RUN_MS... -- ANSWER
      ANSWER: Prometheus or VictoriaMetrics series; every series has
      exactly the samples at RUN_MS... (no gap, no duplicate).
"""
import json
import math
import re
import sys

PROM_LINE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$')
PROM_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?')


def unescape_prom(v):
    out, i = [], 0
    while i < len(v):
        if v[i] == "\\" and i + 1 < len(v):
            out.append("\n" if v[i + 1] == "n" else v[i + 1])
            i += 2
        else:
            out.append(v[i])
            i += 1
    return "".join(out)


def prom_file(path):
    """{(name, frozenset(labels)): value} of a prom text file; empty label
    values and a repeated key (kept first) are dropped, as remote write
    sends them."""
    series = {}
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        m = PROM_LINE.match(line)
        if not m:
            raise SystemExit("bad prom line: " + line)
        labels = {}
        for k, v in PROM_LABEL.findall(m.group(2)):
            v = unescape_prom(v)
            if v != "" and k not in labels:
                labels[k] = v
        series[(m.group(1), frozenset(labels.items()))] = float(m.group(3))
    return series


def key_of(metric):
    labels = dict(metric)
    name = labels.pop("__name__")
    return (name, frozenset(labels.items()))


def compare(want, got):
    """want, got: {key: [(ts, value), ...]}; equal as sorted lists."""
    bad = []
    for k, ws in sorted(want.items(), key=lambda x: str(x[0])):
        ws = sorted(ws, key=lambda x: x[0])
        gs = sorted(got.get(k, []), key=lambda x: x[0])
        if not gs:
            bad.append("missing %s %s" % (k[0], dict(k[1])))
        elif len(gs) != len(ws):
            bad.append("%d samples for %s %s, want %d" % (
                len(gs), k[0], dict(k[1]), len(ws)))
        elif any(g[0] != w[0] or not same(g[1], w[1]) for g, w in zip(gs, ws)):
            bad.append("%s %s: got %r, want %r" % (k[0], dict(k[1]), gs, ws))
    for k in sorted(set(got) - set(want), key=str):
        bad.append("unexpected %s %s" % (k[0], dict(k[1])))
    for b in bad[:10]:
        print(b)
    print("%d series, %d differ" % (len(want), len(bad)))
    return 1 if bad or not want else 0


def same(a, b):
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return a == b or math.isclose(a, b, rel_tol=1e-12)


def prom_matrix(answer):
    got = {}
    for r in json.load(open(answer))["data"]["result"]:
        got[key_of(r["metric"])] = [(round(float(t) * 1000), float(v))
                                    for t, v in r["values"]]
    return got


def vm_export(answer, keep=lambda labels: True):
    got = {}
    for line in open(answer):
        if not line.strip():
            continue
        r = json.loads(line)
        if not keep(r["metric"]):
            continue
        got[key_of(r["metric"])] = list(zip(r["timestamps"],
                                            [float(v) for v in r["values"]]))
    return got


def lp_split(s, seps):
    """Split s at unescaped characters in seps, outside double quotes."""
    parts, cur, i, quoted = [], [], 0, False
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            cur.append(s[i:i + 2])
            i += 2
            continue
        if c == '"':
            quoted = not quoted
        if c in seps and not quoted:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
        i += 1
    parts.append("".join(cur))
    return parts


def lp_unescape(s):
    return re.sub(r"\\(.)", r"\1", s)


def lp_file(path):
    """[(tags, fields, ns)]: fields numeric as float, strings as str."""
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            continue
        head, fields, ts = lp_split(line, " ")
        tags = {}
        for t in lp_split(head, ",")[1:]:
            k, v = lp_split(t, "=")[:2]
            tags[lp_unescape(k)] = lp_unescape(v)
        fl = {}
        for f in lp_split(fields, ","):
            k, v = lp_split(f, "=")[:2]
            k = lp_unescape(k)
            if v.startswith('"'):
                fl[k] = re.sub(r'\\(["\\])', r"\1", v[1:-1])
            else:
                fl[k] = float(v.rstrip("iu"))
        out.append((tags, fl, int(ts)))
    return out


def main(argv):
    cmd = argv[1]
    if cmd in ("prom-matrix", "prom-export"):
        run_ms = int(argv[4])
        want = {k: [(run_ms, v)] for k, v in prom_file(argv[2]).items()}
        got = (prom_matrix(argv[3]) if cmd == "prom-matrix" else
               vm_export(argv[3], lambda m: "db" not in m))
        return compare(want, got)
    if cmd == "lp-export":
        want, strings = {}, set()
        for tags, fields, ns in lp_file(argv[2]):
            for f, v in fields.items():
                k = ("proctel_" + f, frozenset(dict(tags, db=argv[4]).items()))
                if isinstance(v, float):
                    want.setdefault(k, []).append((ns // 1000000, v))
                else:
                    strings.add(k)
        # VictoriaMetrics 1.79 keeps a string field as a series of zeros.
        got = {k: v for k, v in vm_export(
            argv[3], lambda m: m.get("db") == argv[4]).items()
            if k not in strings}
        return compare(want, got)
    if cmd == "lp-influxql":
        want, got = {}, {}
        for tags, fields, ns in lp_file(argv[2]):
            for f, v in fields.items():
                want.setdefault((f, frozenset(tags.items())), []).append((ns, v))
        res = json.load(open(argv[3]))["results"][0]
        for s in res.get("series", []):
            cols = s["columns"]
            for row in s["values"]:
                r = dict(zip(cols, row))
                ns = r.pop("time")
                tags = {k: r.pop(k) for k in list(r) if k in TAGS and r[k] is not None}
                for f, v in r.items():
                    if v is None:
                        continue
                    got.setdefault((f, frozenset(tags.items())), []).append(
                        (ns, float(v) if not isinstance(v, str) else v))
        return compare(want, got)
    if cmd == "run-times":
        sep = argv.index("--")
        times = sorted(int(t) for t in argv[2:sep])
        answer = argv[sep + 1]
        text = open(answer).read().strip()
        if text.startswith("{\"status\""):
            got = prom_matrix(answer)
        else:
            got = vm_export(answer)
        bad = [k for k, s in got.items() if sorted(t for t, _ in s) != times]
        for k in bad[:10]:
            print("%s %s: times %s" % (k[0], dict(k[1]), sorted(t for t, _ in got[k])))
        print("%d series, %d differ" % (len(got), len(bad)))
        return 1 if bad or not got else 0
    raise SystemExit("unknown command " + cmd)


TAGS = set()

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "lp-influxql":
        TAGS.update(k for tags, _, _ in lp_file(sys.argv[2]) for k in tags)
    sys.exit(main(sys.argv))
