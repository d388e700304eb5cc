#!/usr/bin/env python3
"""report_browser PAGE OUTDIR: open a report page in headless Chromium
through chromedriver (W3C WebDriver over loopback, Python's standard
library only) and print what the browser saw, one fact per line:

  scripts N                  <script> elements in the page
  request URL                every request the page made (its own file too)
  failed N                   requests that failed (Network.loadingFailed)
  console LEVEL MESSAGE      every console entry
  errors N                   console entries of level SEVERE
  screenshot W H COLORS DRAWN   size, distinct colours, share of pixels
                             that are not the background, in percent
  chart ID RUNS POINTS DRAWN data-runs, data-points and the points the
                             browser parsed from the chart's polylines
  sparks N POINTS            sparkline count, parsed points in all

The screenshot is kept as OUTDIR/page.png.  It starts its own chromedriver
on a free loopback port with a fresh profile in OUTDIR and stops it at
the end; every wait is bounded.  Exit 0 when all of that was read, 1 on
any failure to drive the browser (the checks are the caller's).
"""
import base64
import json
import os
import socket
import struct
import subprocess
import sys
import time
import urllib.request
import zlib

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync",
         "--window-size=1280,2000"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Driver:
    def __init__(self, outdir):
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.log = open(os.path.join(outdir, "chromedriver.log"), "w")
        self.proc = subprocess.Popen(
            ["chromedriver", "--port=%d" % self.port,
             "--allowed-ips=127.0.0.1"],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.sid = None
        deadline = time.time() + 30
        while True:
            try:
                self.call("GET", "/status", timeout=2)
                break
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise RuntimeError("chromedriver did not start")
                time.sleep(0.2)

    def call(self, method, path, body=None, timeout=120):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            self.base + path, data=data, method=method,
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return json.load(r)["value"]

    def session(self, profile):
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "args": FLAGS + ["--user-data-dir=" + profile]},
            "goog:loggingPrefs": {"browser": "ALL", "performance": "ALL"}}}}
        self.sid = self.call("POST", "/session", caps)["sessionId"]

    def s(self, method, path, body=None):
        return self.call(method, "/session/%s%s" % (self.sid, path), body)

    def close(self):
        try:
            if self.sid is not None:
                self.s("DELETE", "")
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.log.close()


def png_stats(png):
    """Width, height, distinct colours and non-background share (%)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(png):
        n, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(
                ">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace != 0:
                raise ValueError("unexpected PNG format")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    colours, drawn, bg = set(), 0, None
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xff
            elif f == 2:
                line[i] = (line[i] + b) & 0xff
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xff
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 0xff
        prev = line
        for x in range(0, w, 2):
            px = bytes(line[x * bpp:x * bpp + 3])
            if bg is None:
                bg = px
            colours.add(px)
            if px != bg:
                drawn += 1
    return w, h, len(colours), 100.0 * drawn / max(1, (w // 2) * h)


CHARTS_JS = """
return Array.from(document.querySelectorAll('svg[data-chart]')).map(s => [
  s.dataset.chart, s.dataset.runs, s.dataset.points,
  Array.from(s.querySelectorAll('polyline'))
       .reduce((n, p) => n + p.points.numberOfItems, 0)]);
"""
SPARKS_JS = """
const s = document.querySelectorAll('svg[data-spark]');
return [s.length, Array.from(s).reduce((n, x) => n +
  Array.from(x.querySelectorAll('polyline'))
       .reduce((m, p) => m + p.points.numberOfItems, 0), 0)];
"""


def main():
    if len(sys.argv) != 3:
        print("usage: report_browser.py PAGE OUTDIR", file=sys.stderr)
        return 2
    page, outdir = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    d = Driver(outdir)
    try:
        d.session(os.path.join(outdir, "profile"))
        # Leave the start page, and drop what the browser logged so far.
        d.s("POST", "/url", {"url": "about:blank"})
        d.s("POST", "/se/log", {"type": "performance"})
        d.s("POST", "/se/log", {"type": "browser"})
        d.s("POST", "/url", {"url": "file://" + page})
        scripts = d.s("POST", "/execute/sync", {
            "script": "return document.scripts.length", "args": []})
        charts = d.s("POST", "/execute/sync",
                     {"script": CHARTS_JS, "args": []})
        sparks = d.s("POST", "/execute/sync",
                     {"script": SPARKS_JS, "args": []})
        png = base64.b64decode(d.s("GET", "/screenshot"))
        with open(os.path.join(outdir, "page.png"), "wb") as f:
            f.write(png)
        perf = d.s("POST", "/se/log", {"type": "performance"})
        console = d.s("POST", "/se/log", {"type": "browser"})
    finally:
        d.close()
    print("scripts %d" % scripts)
    # Only the page's requests: its own file and whatever it asks for.
    failed, ours = 0, set()
    for e in perf:
        m = json.loads(e["message"])["message"]
        p = m.get("params", {})
        if m["method"] == "Network.requestWillBeSent" and \
                p.get("documentURL") == "file://" + page:
            ours.add(p["requestId"])
            print("request %s" % p["request"]["url"][:200])
        elif m["method"] == "Network.loadingFailed" and \
                p.get("requestId") in ours:
            failed += 1
    print("failed %d" % failed)
    errors = 0
    for e in console:
        print("console %s %s" % (e["level"], e["message"][:300]))
        errors += e["level"] == "SEVERE"
    print("errors %d" % errors)
    print("screenshot %d %d %d %.2f" % png_stats(png))
    for cid, runs, points, drawn in charts:
        print("chart %s %s %s %d" % (cid, runs, points, drawn))
    print("sparks %d %d" % (sparks[0], sparks[1]))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # a driver failure, reported to the caller
        print("error %s: %s" % (type(e).__name__, e))
        sys.exit(1)
