#!/usr/bin/env python3
"""Bounded parallel HTTP fetcher for bench/collector.sh: plays Prometheus
scraping snmp_exporter once per target.

Usage: collector_fetch.py HOST:PORT MODULE HOSTSFILE PARALLEL DEADLINE_S

Fetches http://HOST:PORT/snmp?target=T&module=MODULE for every line T of
HOSTSFILE, at most PARALLEL requests in flight, one HTTP/1.0 connection per
request (what Prometheus does per scrape, near enough), and gives up on
whatever is left after DEADLINE_S seconds.  A target counts as answered when
the reply is 200 and carries the module's metrics (snmp_scrape_pdus_returned
above 0).  Prints one line: "fetched N answered M failed F wall S".
It is not a load generator for the exporter itself and it asserts nothing.
"""
import asyncio
import sys
import time


async def fetch(host, port, path, timeout):
    """One GET; returns the body on 200, None otherwise."""
    reader, writer = await asyncio.wait_for(
        asyncio.open_connection(host, port), timeout)
    try:
        writer.write(("GET %s HTTP/1.0\r\nHost: %s:%d\r\n\r\n"
                      % (path, host, port)).encode())
        await writer.drain()
        data = await asyncio.wait_for(reader.read(), timeout)
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.") or head.split(b" ", 2)[1] != b"200":
        return None
    return body


def answered(body):
    """True when the exporter got at least one varbind from the agent."""
    if body is None:
        return False
    for line in body.splitlines():
        if line.startswith(b"snmp_scrape_pdus_returned "):
            try:
                return float(line.split()[1]) > 0
            except ValueError:
                return False
    return False


async def main():
    if len(sys.argv) != 6:
        sys.exit("usage: collector_fetch.py HOST:PORT MODULE HOSTSFILE "
                 "PARALLEL DEADLINE_S")
    host, _, port = sys.argv[1].rpartition(":")
    port = int(port)
    module = sys.argv[2]
    with open(sys.argv[3]) as f:
        targets = [t.strip() for t in f if t.strip()]
    parallel = int(sys.argv[4])
    deadline = float(sys.argv[5])
    queue = list(reversed(targets))
    counts = {"fetched": 0, "ok": 0, "failed": 0}
    start = time.monotonic()

    async def worker():
        while queue:
            left = deadline - (time.monotonic() - start)
            if left <= 0:
                return
            t = queue.pop()
            counts["fetched"] += 1
            try:
                body = await fetch(host, port,
                                   "/snmp?target=%s&module=%s" % (t, module),
                                   left)
            except (OSError, asyncio.TimeoutError, IndexError):
                body = None
            if answered(body):
                counts["ok"] += 1
            else:
                counts["failed"] += 1

    await asyncio.gather(*(worker() for _ in range(parallel)))
    print("fetched %d answered %d failed %d wall %.3f"
          % (counts["fetched"], counts["ok"], counts["failed"],
             time.monotonic() - start))


asyncio.run(main())
