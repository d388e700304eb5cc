#!/usr/bin/env python3
"""snmpproxy: a UDP proxy between a collector and an SNMP agent on
loopback that drops requests on purpose and counts what it saw.

A test tool for the collector's retry and attempt accounting.  Each
request from the client is classified by its SNMP version and, for v3, by
msgFlags: "probe" (v3 without the auth flag: engineID discovery) or "auth"
(v3 authenticated); v1/v2c requests are "plain".  Rules say which of them
are dropped:

  --drop-auth N     drop the first N authenticated v3 requests (-1: all)
  --drop-all        drop every request
  --log FILE        append each datagram as a line "req HEX" or "rep HEX"

Replies from the agent go back to the last client.  At exit (after
--time seconds, or SIGTERM) it writes "probe=N auth=N plain=N dropped=N"
to --stats, and it touches --ready once its socket is bound.  Traffic is
bounded by the test: it only forwards what the client sends.
"""
import argparse
import select
import signal
import socket
import sys
import time

from snmpber import ber_read


def classify(d):
    """"probe", "auth" or "plain" (anything unparsable is "plain")."""
    try:
        _, s, _ = ber_read(d, 0)                  # Message SEQUENCE
        _, vs, ve = ber_read(d, s)                # msgVersion
        version = int.from_bytes(d[vs:ve], "big")
        if version != 3:
            return "plain"
        _, gs, _ = ber_read(d, ve)                # msgGlobalData
        _, a, b = ber_read(d, gs)                 # msgID
        _, a, b = ber_read(d, b)                  # msgMaxSize
        _, a, b = ber_read(d, b)                  # msgFlags
        flags = d[a] if b > a else 0
        return "auth" if flags & 0x01 else "probe"
    except ValueError:
        return "plain"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", type=int, required=True)
    ap.add_argument("--to", type=int, required=True)
    ap.add_argument("--drop-auth", type=int, default=0)
    ap.add_argument("--drop-all", action="store_true")
    ap.add_argument("--ready", required=True)
    ap.add_argument("--stats", required=True)
    ap.add_argument("--time", type=float, default=60.0)
    ap.add_argument("--log")
    a = ap.parse_args()

    ls = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    ls.bind(("127.0.0.1", a.listen))
    us = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    us.connect(("127.0.0.1", a.to))
    counts = {"probe": 0, "auth": 0, "plain": 0, "dropped": 0}
    stop = [False]

    def on_term(_sig, _frm):
        stop[0] = True
    signal.signal(signal.SIGTERM, on_term)

    def write_stats():
        with open(a.stats, "w") as f:
            f.write(" ".join("%s=%d" % (k, counts[k]) for k in
                             ("probe", "auth", "plain", "dropped")) + "\n")

    log = open(a.log, "a", buffering=1) if a.log else None
    open(a.ready, "w").close()
    client = None
    end = time.time() + a.time
    while not stop[0] and time.time() < end:
        try:
            r, _, _ = select.select([ls, us], [], [], 0.2)
        except InterruptedError:
            continue
        if ls in r:
            d, client = ls.recvfrom(65536)
            if log:
                log.write("req %s\n" % d.hex())
            kind = classify(d)
            counts[kind] += 1
            drop = a.drop_all or (kind == "auth" and (
                a.drop_auth < 0 or counts["auth"] <= a.drop_auth))
            if drop:
                counts["dropped"] += 1
            else:
                us.send(d)
            write_stats()
        if us in r:
            try:
                d = us.recv(65536)
            except ConnectionRefusedError:
                continue
            if log:
                log.write("rep %s\n" % d.hex())
            if client is not None:
                ls.sendto(d, client)
    write_stats()
    return 0


if __name__ == "__main__":
    sys.exit(main())
