#!/usr/bin/env python3
"""fake_store: a small HTTP server that answers like a remote store having
trouble, for the remote sinks' error tests (tests/integration/remote_errors.sh).

The real stores (Prometheus, VictoriaMetrics, InfluxDB) are tested
elsewhere; this one plays what they do only when something is wrong:
answering slowly, 500, 429 with Retry-After, 400 with a message, 401,
accepting the TCP connection and never answering.  Every request is
logged to --log as one JSON line (time, method, path, the headers the
sinks must send, body length) so the test can count attempts and check
headers.  It is not a store: bodies are read and thrown away.

Modes (--mode):
  ok            204 at once
  slow:S        204 after S seconds
  status:N      always status N, with --body as the answer
  429:K         429 with "Retry-After: 1" for the first K requests, then 204
  hang          listen, accept nothing, answer nothing

Prints "listening PORT" once ready.  With --tls CERT KEY it speaks HTTPS.
"""
import argparse
import json
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOGGED = ("Content-Type", "Content-Encoding", "X-Prometheus-Remote-Write-Version",
          "User-Agent", "Authorization", "Expect")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="ok")
    ap.add_argument("--body", default="")
    ap.add_argument("--log", required=True)
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    a = ap.parse_args()
    lock = threading.Lock()
    count = [0]

    if a.mode == "hang":
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        print("listening", s.getsockname()[1], flush=True)
        while True:
            time.sleep(3600)

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(n)
            with lock:
                count[0] += 1
                k = count[0]
                rec = {"t": time.time(), "method": "POST", "path": self.path,
                       "len": len(body), "n": k,
                       "headers": {h: self.headers.get(h) for h in LOGGED
                                   if self.headers.get(h) is not None}}
                with open(a.log, "a") as f:
                    f.write(json.dumps(rec) + "\n")
            mode, _, arg = a.mode.partition(":")
            status, extra = 204, {}
            if mode == "slow":
                time.sleep(float(arg))
            elif mode == "status":
                status = int(arg)
            elif mode == "429" and k <= int(arg):
                status, extra = 429, {"Retry-After": "1"}
            out = a.body.encode() if status != 204 else b""
            self.send_response(status)
            for h, v in extra.items():
                self.send_header(h, v)
            if status != 204:
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

    srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    if a.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls[0], a.tls[1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print("listening", srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
