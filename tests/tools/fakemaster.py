#!/usr/bin/env python3
"""fakemaster: an AgentX master (RFC 2741) that misbehaves on purpose, for
tests/integration/agentx_hostile.sh.  It listens on a UNIX socket and
plays one act per connection from the subagent, in the order given with
--acts (the last act repeats):

  oversized  answer Open and Register, then send a header claiming a
             payload of 2 GiB (and nothing after it)
  swapped    answer Open and Register, then send a Get whose header is
             little-endian while its flags say network byte order
  truncated  answer Open with the first 12 octets of a Response, and
             never anything more (the Response never completes)
  silent     never answer anything
  flood      answer Open and Register, then send --flood GetNext PDUs
             without reading a single answer for --stall seconds, then
             read every Response and check it
  good       answer Open and Register and every Ping; stay

Each connection ends when the subagent hangs up.  For each, one line
goes to --log (flushed at once): the act, the PDU types received, a
Close's reason, and "eof after S s"; for flood also how many Gets were
sent and how many good Responses came back.  It answers only what an act
says; it is not a master, and knows no MIB.  Bounded: it exits after
--time seconds.
"""
import argparse
import os
import select
import socket
import struct
import sys
import time

OPEN, CLOSE, REGISTER, GET, GETNEXT, PING, RESPONSE = 1, 2, 3, 5, 6, 13, 18
BE = 0x10
PT = (1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 1)


def hdr(ptype, sid, pid, plen, flags=BE, tid=1):
    return struct.pack(">BBBBIIII", 1, ptype, flags, 0, sid, tid, pid, plen)


def oid(o, include=0):
    o = tuple(o)
    if len(o) > 4 and o[:4] == (1, 3, 6, 1) and 0 < o[4] < 256:
        return struct.pack(">BBBB", len(o) - 5, o[4], include, 0) + \
            b"".join(struct.pack(">I", x) for x in o[5:])
    return struct.pack(">BBBB", len(o), 0, include, 0) + \
        b"".join(struct.pack(">I", x) for x in o)


def response(sid, pid, error=0):
    return hdr(RESPONSE, sid, pid, 8) + struct.pack(">IHH", 0, error, 0)


def getnext(sid, pid, start):
    body = oid(start) + oid(())
    return hdr(GETNEXT, sid, pid, len(body)) + body


class Conn:
    """One subagent connection: a receive buffer and PDU parsing."""

    def __init__(self, s):
        self.s = s
        self.buf = b""
        self.eof = False

    def fill(self, timeout):
        r, _, _ = select.select([self.s], [], [], timeout)
        if not r:
            return False
        try:
            d = self.s.recv(1 << 20)
        except OSError:
            d = b""
        if not d:
            self.eof = True
            return False
        self.buf += d
        return True

    def pdu(self, timeout):
        """The next whole PDU as (type, flags, sid, pid, payload), or None."""
        end = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 20:
                flags = self.buf[2]
                e = ">" if flags & BE else "<"
                _, ptype, _, _, sid, tid, pid, plen = struct.unpack(
                    e + "BBBBIIII", self.buf[:20])
                if len(self.buf) >= 20 + plen:
                    p = self.buf[20:20 + plen]
                    self.buf = self.buf[20 + plen:]
                    return ptype, flags, sid, pid, p
            left = end - time.monotonic()
            if left <= 0 or self.eof or not self.fill(left):
                return None


def open_session(c, seen, sid):
    """Answer Open and the one Register; True when both came."""
    p = c.pdu(10)
    if p is None or p[0] != OPEN:
        return False
    seen.append("Open")
    c.s.sendall(response(sid, p[3]))
    p = c.pdu(10)
    if p is None or p[0] != REGISTER:
        return False
    seen.append("Register")
    c.s.sendall(response(sid, p[3]))
    return True


def drain(c, seen, t0, limit):
    """Read until the subagent hangs up; note a Close's reason."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        p = c.pdu(end - time.monotonic())
        if p is None:
            break
        if p[0] == CLOSE:
            seen.append("Close reason %d" % p[4][0])
        elif p[0] == PING:
            seen.append("Ping")
        else:
            seen.append("type %d" % p[0])
    if c.eof:
        seen.append("eof after %.1f s" % (time.monotonic() - t0))
    else:
        seen.append("no eof within %d s" % limit)


def flood(c, seen, sid, n, stall):
    """n GetNexts unread for `stall` seconds, then every answer read."""
    msgs = b"".join(getnext(sid, 1000 + i, PT + (1, 1, 1, 0))
                    for i in range(n))
    c.s.setblocking(False)
    sent = 0
    t_end = time.monotonic() + stall
    while time.monotonic() < t_end and sent < len(msgs):
        try:
            sent += c.s.send(msgs[sent:sent + 65536])
        except BlockingIOError:
            time.sleep(0.01)
    seen.append("stalled with %d of %d octets sent" % (sent, len(msgs)))
    time.sleep(max(0.0, t_end - time.monotonic()))
    good = 0
    end = time.monotonic() + 30
    while good < n and time.monotonic() < end:
        if sent < len(msgs):
            try:
                sent += c.s.send(msgs[sent:sent + 65536])
            except BlockingIOError:
                pass
        try:
            d = c.s.recv(1 << 20)
            if not d:
                c.eof = True
                break
            c.buf += d
        except BlockingIOError:
            select.select([c.s], [], [], 0.05)
        while len(c.buf) >= 20:
            plen = struct.unpack(">I", c.buf[16:20])[0]
            if len(c.buf) < 20 + plen:
                break
            ptype = c.buf[1]
            pid = struct.unpack(">I", c.buf[12:16])[0]
            err = struct.unpack(">H", c.buf[24:26])[0] if plen >= 8 else -1
            if ptype == RESPONSE and 1000 <= pid < 1000 + n and err == 0:
                good += 1
            c.buf = c.buf[20 + plen:]
    c.s.setblocking(True)
    seen.append("flood %d sent %d answered" % (n, good))


def act(name, c, a, sid):
    seen = []
    t0 = time.monotonic()
    if name in ("oversized", "swapped", "flood", "good"):
        if not open_session(c, seen, sid):
            drain(c, seen, t0, 15)
            return seen
    if name == "oversized":
        c.s.sendall(hdr(GET, sid, 77, 0x7ffffff0))
    elif name == "swapped":
        body = oid(PT + (1, 1, 1, 0)) + oid(())
        c.s.sendall(struct.pack("<BBBBIIII", 1, GET, BE, 0, sid, 1, 78,
                                len(body)) + body)
    elif name == "truncated":
        p = c.pdu(10)
        if p is not None:
            seen.append("Open")
            c.s.sendall(response(sid, p[3])[:12])
    elif name == "flood":
        flood(c, seen, sid, a.flood, a.stall)
    elif name == "good":
        while time.monotonic() < a.deadline:
            p = c.pdu(a.deadline - time.monotonic())
            if p is None:
                break
            if p[0] == PING:
                c.s.sendall(response(sid, p[3]))
    drain(c, seen, t0, 30)
    return seen


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--unix", required=True)
    ap.add_argument("--acts", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--flood", type=int, default=20000)
    ap.add_argument("--stall", type=float, default=3.0)
    ap.add_argument("--time", type=float, default=120.0)
    a = ap.parse_args()
    a.deadline = time.monotonic() + a.time
    acts = a.acts.split(",")
    ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    if os.path.exists(a.unix):
        os.unlink(a.unix)
    ls.bind(a.unix)
    ls.listen(4)
    log = open(a.log, "a")
    log.write("listening\n")
    log.flush()
    n = 0
    while time.monotonic() < a.deadline:
        r, _, _ = select.select([ls], [], [], 0.5)
        if not r:
            continue
        s, _ = ls.accept()
        name = acts[min(n, len(acts) - 1)]
        n += 1
        seen = act(name, Conn(s), a, 100 + n)
        s.close()
        log.write("conn %d %s: %s\n" % (n, name, "; ".join(seen)))
        log.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
