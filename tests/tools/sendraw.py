#!/usr/bin/env python3
"""sendraw: send one hand-built SNMP datagram over UDP and show the reply.

A test tool for proctel-agent's integration tests, for what net-snmp's
command-line tools cannot send: garbage, truncated and oversized datagrams,
SNMPv3 and other bad versions, and requests over a connect()ed socket (which
only accepts a reply from the address the request went to).  It encodes
v1/v2c GET/GETNEXT/GETBULK/SET with its own small BER encoder and decodes
the reply just enough to print it.  It is not an SNMP library: no v3
security, no retries, no MIB names.

Output: one line "reply len=N from=ADDR type=0xA2 reqid=R status=S index=I
varbinds=K" per reply, then one "  OID TYPE VALUE" line per varbind; or
"noreply".  Exit 0 when --expect holds, 1 when not, 2 on usage errors.
"""
import argparse
import random
import socket
import sys

from snmpber import ber_read, enc_int, enc_oid, tlv

# ---- building messages ----

PDU_TAGS = {"get": 0xA0, "getnext": 0xA1, "response": 0xA2, "set": 0xA3,
            "getbulk": 0xA5}


def build_message(version, community, pdu, reqid, oids, nonrep=0, maxrep=0,
                  setvalue=None):
    vbs = b""
    for o in oids:
        val = b"\x05\x00"
        if setvalue is not None:
            val = tlv(0x04, setvalue.encode())
        vbs += tlv(0x30, enc_oid(o) + val)
    if pdu == "getbulk":
        a, b = nonrep, maxrep
    else:
        a, b = 0, 0
    body = enc_int(reqid) + enc_int(a) + enc_int(b) + tlv(0x30, vbs)
    return tlv(0x30, enc_int(version) + tlv(0x04, community.encode()) +
               tlv(PDU_TAGS[pdu], body))


def build_v3(reqid):
    """A well-formed SNMPv3 noAuthNoPriv engine-discovery GET (RFC 3412)."""
    header = tlv(0x30, enc_int(reqid) + enc_int(65507) +
                 tlv(0x04, b"\x04") + enc_int(3))   # reportable, USM
    usm = tlv(0x04, tlv(0x30, tlv(0x04, b"") + enc_int(0) + enc_int(0) +
                        tlv(0x04, b"") + tlv(0x04, b"") + tlv(0x04, b"")))
    pdu = tlv(0xA0, enc_int(reqid) + enc_int(0) + enc_int(0) + tlv(0x30, b""))
    scoped = tlv(0x30, tlv(0x04, b"") + tlv(0x04, b"") + pdu)
    return tlv(0x30, enc_int(3) + header + usm + scoped)

# ---- BER decoding, lenient: only for printing what came back ----


def dec_tlv(buf, pos):
    tag, start, end = ber_read(buf, pos)
    return tag, buf[start:end], end


def dec_oid(b):
    subs, v = [], 0
    for c in b:
        v = (v << 7) | (c & 0x7F)
        if not c & 0x80:
            subs.append(v)
            v = 0
    if not subs:
        return ""
    first = subs[0]
    head = [min(first // 40, 2), first - 40 * min(first // 40, 2)]
    return "." + ".".join(str(x) for x in head + subs[1:])


TYPE_NAMES = {0x02: "INTEGER", 0x04: "STRING", 0x05: "NULL", 0x06: "OID",
              0x40: "IpAddress", 0x41: "Counter32", 0x42: "Gauge32",
              0x43: "Timeticks", 0x44: "Opaque", 0x46: "Counter64",
              0x47: "Unsigned32", 0x80: "noSuchObject",
              0x81: "noSuchInstance", 0x82: "endOfMibView"}


def fmt_value(tag, body):
    name = TYPE_NAMES.get(tag, "0x%02x" % tag)
    if tag == 0x02:
        return name, str(int.from_bytes(body, "big", signed=True))
    if tag in (0x41, 0x42, 0x43, 0x46, 0x47):
        return name, str(int.from_bytes(body, "big"))
    if tag == 0x06:
        return name, dec_oid(body)
    if tag == 0x04:
        return name, repr(bytes(body).decode("latin-1"))
    return name, bytes(body).hex()


def describe(buf):
    """Return (header line, [varbind lines]) for a v1/v2c message."""
    _, msg, _ = dec_tlv(buf, 0)
    _, ver, p = dec_tlv(msg, 0)
    _, comm, p = dec_tlv(msg, p)
    ptag, pdu, _ = dec_tlv(msg, p)
    _, rid, q = dec_tlv(pdu, 0)
    _, st, q = dec_tlv(pdu, q)
    _, ix, q = dec_tlv(pdu, q)
    _, vbl, _ = dec_tlv(pdu, q)
    lines, r = [], 0
    while r < len(vbl):
        _, vb, r = dec_tlv(vbl, r)
        _, o, s = dec_tlv(vb, 0)
        vt, vv, _ = dec_tlv(vb, s)
        tname, val = fmt_value(vt, vv)
        lines.append("  %s %s %s" % (dec_oid(o), tname, val))
    head = "type=0x%02x version=%d community=%s reqid=%d status=%d " \
           "index=%d varbinds=%d" % (
               ptag, int.from_bytes(ver, "big"),
               bytes(comm).decode("latin-1"),
               int.from_bytes(rid, "big", signed=True),
               int.from_bytes(st, "big"), int.from_bytes(ix, "big"),
               len(lines))
    return head, lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("oids", nargs="*", default=["1.3.6.1.2.1.1.3.0"])
    ap.add_argument("-v", "--version", default="2c",
                    help="1, 2c, or any integer to put on the wire")
    ap.add_argument("-c", "--community", default="public")
    ap.add_argument("--pdu", choices=sorted(PDU_TAGS), default="get")
    ap.add_argument("--nonrep", type=int, default=0)
    ap.add_argument("--maxrep", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=1, metavar="N",
                    help="put the OID list N times in the request")
    ap.add_argument("--reqid", type=int, default=0x1234567)
    ap.add_argument("--set-value", help="with --pdu set: a STRING value")
    ap.add_argument("--raw-hex", help="send these bytes instead")
    ap.add_argument("--garbage", type=int, metavar="N",
                    help="send N pseudo-random bytes (first byte not 0x30)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--v3", action="store_true",
                    help="send an SNMPv3 discovery message")
    ap.add_argument("--truncate", type=int, metavar="N",
                    help="send only the first N bytes of the message")
    ap.add_argument("--count", type=int, default=1,
                    help="send the datagram this many times")
    ap.add_argument("--wait", type=float, default=3.0,
                    help="seconds to wait for a reply (0: do not wait)")
    ap.add_argument("--connect", action="store_true",
                    help="connect() the socket: accept replies only from "
                    "the address the request went to")
    ap.add_argument("--bind", help="source address to bind")
    ap.add_argument("--broadcast", action="store_true",
                    help="set SO_BROADCAST, to send to a broadcast address")
    ap.add_argument("--expect", choices=["reply", "none", "any"],
                    default="any")
    ap.add_argument("--max-len", type=int,
                    help="with --expect reply: fail if a reply is longer")
    a = ap.parse_intermixed_args()

    if a.raw_hex is not None:
        data = bytes.fromhex(a.raw_hex)
    elif a.garbage is not None:
        rnd = random.Random(a.seed)
        data = bytes(rnd.randrange(256) for _ in range(a.garbage))
        if data and data[0] == 0x30:
            data = b"\xff" + data[1:]
    elif a.v3:
        data = build_v3(a.reqid)
    else:
        ver = {"1": 0, "2c": 1}.get(a.version)
        if ver is None:
            ver = int(a.version)
        data = build_message(ver, a.community, a.pdu, a.reqid,
                             a.oids * a.repeat,
                             a.nonrep, a.maxrep, a.set_value)
    if a.truncate is not None:
        data = data[:a.truncate]

    fam = socket.AF_INET6 if ":" in a.host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if a.broadcast:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    if a.bind:
        s.bind((a.bind, 0))
    dest = (a.host, a.port)
    if a.connect:
        s.connect(dest)
    for _ in range(a.count):
        if a.connect:
            s.send(data)
        else:
            s.sendto(data, dest)
    print("sent %d x %d bytes" % (a.count, len(data)))

    replies = 0
    toolong = False
    if a.wait > 0:
        s.settimeout(a.wait)
        while True:
            try:
                buf, src = s.recvfrom(70000)
            except socket.timeout:
                break
            except ConnectionRefusedError:
                print("refused (ICMP port unreachable)")
                break
            replies += 1
            if a.max_len is not None and len(buf) > a.max_len:
                toolong = True
            try:
                head, lines = describe(buf)
            except ValueError as e:
                head, lines = "undecodable (%s) %s" % (e, buf[:32].hex()), []
            print("reply len=%d from=%s:%d %s" % (len(buf), src[0], src[1],
                                                 head))
            for ln in lines:
                print(ln)
            if replies >= a.count:
                break
            s.settimeout(0.2)
    if replies == 0:
        print("noreply")
    if a.expect == "reply":
        return 0 if replies > 0 and not toolong else 1
    if a.expect == "none":
        return 0 if replies == 0 else 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ValueError, OSError) as e:
        print("sendraw: %s" % e, file=sys.stderr)
        sys.exit(2)
