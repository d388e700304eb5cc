#!/usr/bin/env python3
"""fakeagent: an SNMP v1/v2c agent on loopback that serves what a real one
would not: tables that never end, tables of enormous values, and strings of
any bytes (NUL, bytes that are not UTF-8).  A test tool for the collector's
byte budgets and sinks; it is not an SNMP implementation (no v3, no SET, a
minimal BER codec of its own, every request answered from the two data
sets below).

Data served (community ignored):
  * a table at 1.3.6.1.4.1.99999.1.1 (entry) with columns 1..COLUMNS and
    rows 1..ROWS (--rows 0: rows never end, --columns 0: columns never
    end); every cell is an OCTET STRING of --value-size bytes ("v" repeated
    after a "col.row:" prefix), or an INTEGER when --value-size is 0;
  * scalars given with --scalar OID=HEX (an OCTET STRING of those bytes),
    and strings in a table 1.3.6.1.4.1.99999.2.1, column 2, row i = the
    i-th --row HEX; or both from --data FILE, a JSON object
    {"scalars": {OID: HEX}, "rows": [HEX, ...]}.

GETBULK replies are cut to fit --max-size bytes (default 65000), as real
agents cut them; --delay-ms holds each reply back that long (a slow
agent).  Traffic is bounded: after --max-bytes bytes sent, or --time
seconds, the agent exits.  It touches --ready once bound.
"""
import argparse
import json
import socket
import sys
import time

from snmpber import ber_read as dec, dec_int, dec_oid, enc_int, enc_oid, tlv

TABLE = (1, 3, 6, 1, 4, 1, 99999, 1, 1)
STRINGS = (1, 3, 6, 1, 4, 1, 99999, 2, 1)

# ---- the data ----

class Data:
    def __init__(self, a):
        self.columns = a.columns
        self.rows = a.rows
        self.size = a.value_size
        self.scalars = []
        for s in a.scalar:
            o, h = s.split("=", 1)
            self.scalars.append((tuple(int(x) for x in o.strip(".").split(".")),
                                 bytes.fromhex(h)))
        rows = list(a.row)
        if a.data:
            with open(a.data) as f:
                d = json.load(f)
            for o, h in d.get("scalars", {}).items():
                self.scalars.append((tuple(int(x) for x in o.strip(".").split(".")),
                                     bytes.fromhex(h)))
            rows += d.get("rows", [])
        for i, h in enumerate(rows):
            self.scalars.append((STRINGS + (2, i + 1), bytes.fromhex(h)))
        self.scalars.sort()

    def cell(self, col, row):
        if self.size == 0:
            return enc_int(col * 1000000 + row)
        head = b"%d.%d:" % (col, row)
        return tlv(0x04, (head + b"v" * self.size)[:self.size])

    def get(self, o):
        for so, v in self.scalars:
            if so == o:
                return tlv(0x04, v)
        if len(o) == len(TABLE) + 2 and o[:len(TABLE)] == TABLE:
            col, row = o[-2], o[-1]
            if self.in_table(col, row):
                return self.cell(col, row)
        return b"\x80\x00"                        # noSuchObject

    def in_table(self, col, row):
        return (col >= 1 and row >= 1 and (self.columns == 0 or col <= self.columns)
                and (self.rows == 0 or row <= self.rows))

    def next(self, o):
        """(oid, encoded value) after o, or None at the end of the MIB."""
        if o < TABLE + (1, 1):
            return TABLE + (1, 1), self.cell(1, 1)
        if o[:len(TABLE)] == TABLE:
            col = o[len(TABLE)] if len(o) > len(TABLE) else 1
            row = o[len(TABLE) + 1] + 1 if len(o) > len(TABLE) + 1 else 1
            if len(o) > len(TABLE) + 2:
                row = o[len(TABLE) + 1] + 1
            if self.rows != 0 and row > self.rows:
                col, row = col + 1, 1
            if self.in_table(col, row):
                return TABLE + (col, row), self.cell(col, row)
        for so, v in self.scalars:
            if so > o:
                return so, tlv(0x04, v)
        return None


def answer(data, req, max_size):
    _, s, e = dec(req, 0)
    _, vs, ve = dec(req, s)
    version = dec_int(req, vs, ve)
    _, cs, ce = dec(req, ve)
    community = req[cs:ce]
    ptag, ps, pe = dec(req, ce)
    _, a, b = dec(req, ps)
    reqid = dec_int(req, a, b)
    _, a, b = dec(req, b)
    nonrep = dec_int(req, a, b)
    _, a, b = dec(req, b)
    maxrep = dec_int(req, a, b)
    _, ls, le = dec(req, b)
    oids, off = [], ls
    while off < le:
        _, vbs, vbe = dec(req, off)
        _, os_, oe = dec(req, vbs)
        oids.append(dec_oid(req, os_, oe))
        off = vbe
    vbs = []
    size = 100
    err = erridx = 0
    if version == 0 and ptag == 0xA5:
        return None
    if ptag == 0xA0:                                  # GET
        for i, o in enumerate(oids):
            v = data.get(o)
            if version == 0 and v == b"\x80\x00" and err == 0:
                err, erridx = 2, i + 1                  # noSuchName
            vbs.append(tlv(0x30, enc_oid(o) + v))
    elif ptag in (0xA1, 0xA5):                        # GETNEXT, GETBULK
        if ptag == 0xA1:
            nonrep, maxrep = len(oids), 0
        reps = [o for o in oids[nonrep:]]
        for i, o in enumerate(oids[:nonrep]):
            nx = data.next(o)
            vbs.append(tlv(0x30, enc_oid(nx[0] if nx else o) +
                           (nx[1] if nx else b"\x82\x00")))
        cur = list(reps)
        for _ in range(max(maxrep, 0)):
            if not cur:
                break
            row, ended = [], 0
            for i, o in enumerate(cur):
                nx = data.next(o)
                vb = tlv(0x30, enc_oid(nx[0] if nx else o) +
                         (nx[1] if nx else b"\x82\x00"))
                row.append(vb)
                cur[i] = nx[0] if nx else o
                ended += nx is None
            rsize = sum(len(x) for x in row)
            if vbs and size + rsize > max_size:
                break
            vbs += row
            size += rsize
            if ended == len(cur):
                break
        if version == 0:
            for i, o in enumerate(oids):
                if data.next(o) is None:
                    err, erridx = 2, i + 1              # noSuchName
                    break
    else:
        return None
    pdu = tlv(0xA2, enc_int(reqid) + enc_int(err) + enc_int(erridx) +
              tlv(0x30, b"".join(vbs)))
    return tlv(0x30, enc_int(version) + tlv(0x04, community) + pdu)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--ready", required=True)
    ap.add_argument("--columns", type=int, default=0)
    ap.add_argument("--rows", type=int, default=0)
    ap.add_argument("--value-size", type=int, default=0)
    ap.add_argument("--scalar", action="append", default=[])
    ap.add_argument("--row", action="append", default=[])
    ap.add_argument("--data")
    ap.add_argument("--max-size", type=int, default=65000)
    ap.add_argument("--max-bytes", type=int, default=256 << 20)
    ap.add_argument("--time", type=float, default=60.0)
    ap.add_argument("--delay-ms", type=int, default=0)
    a = ap.parse_args()
    data = Data(a)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", a.port))
    s.settimeout(0.5)
    open(a.ready, "w").close()
    sent = 0
    end = time.time() + a.time
    while time.time() < end and sent < a.max_bytes:
        try:
            req, peer = s.recvfrom(65536)
        except socket.timeout:
            continue
        try:
            rep = answer(data, req, a.max_size)
        except (ValueError, IndexError):
            continue
        if rep is not None:
            if a.delay_ms > 0:
                time.sleep(a.delay_ms / 1000.0)
            s.sendto(rep, peer)
            sent += len(rep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
