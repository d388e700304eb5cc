#!/usr/bin/env python3
"""v3wire: SNMPv3 (USM) datagrams for proctel-agent's tests, made and read
with Python's own hashlib and hmac, apart from the agent's code and from
net-snmp: the discovery probe, authNoPriv requests with any engine ID,
boots and time (a forged time window, a foreign engine), a replay of bytes
captured earlier, and a reader that shows what a reply holds.  No privacy
(AES is not in Python's standard library): an encrypted ScopedPDU shows as
"encrypted".  Not an SNMP library: one request, one reply, no retries.

  v3wire.py probe ADDR
  v3wire.py get ADDR --user U --auth PROTO --password P [--engine HEX]
            [--boots N] [--time-offset S] [--save FILE] OID...
  v3wire.py send ADDR FILE        send the bytes saved by get --save
  v3wire.py show LOG              the replies in a snmpproxy.py --log file

ADDR is HOST:PORT.  probe and get learn the engine from a probe first
unless --engine and --boots say otherwise.  Each reply prints one line
"reply flags=F user=U engine=HEX boots=B time=T pdu=P reqid=R status=S
index=I varbinds=K" (pdu "encrypted" when it cannot be read) and one
"  OID TYPE VALUE" line per varbind; no reply prints "noreply".  Exit 0,
1 when no reply came, 2 on usage errors.
"""
import argparse
import hashlib
import hmac
import socket
import sys

from snmpber import ber_read, dec_int, dec_oid, enc_int, enc_oid, tlv

# RFC 3414 and RFC 7860: the hash and the MAC's length on the wire.
AUTH = {"MD5": ("md5", 12), "SHA": ("sha1", 12), "SHA-224": ("sha224", 16),
        "SHA-256": ("sha256", 24), "SHA-384": ("sha384", 32),
        "SHA-512": ("sha512", 48)}
PDU_NAMES = {0xA0: "get", 0xA1: "getnext", 0xA2: "response", 0xA3: "set",
             0xA5: "getbulk", 0xA8: "report"}
TYPES = {0x02: "INTEGER", 0x04: "STRING", 0x05: "NULL", 0x06: "OID",
         0x40: "IpAddress", 0x41: "Counter32", 0x42: "Gauge32",
         0x43: "TimeTicks", 0x46: "Counter64", 0x80: "noSuchObject",
         0x81: "noSuchInstance", 0x82: "endOfMibView"}


def localized_key(proto, password, engine):
    """Kul = H(Ku || engineID || Ku), Ku from 1 MB of the password."""
    name = AUTH[proto][0]
    pw = password.encode()
    data = (pw * (1048576 // len(pw) + 1))[:1048576]
    ku = hashlib.new(name, data).digest()
    return hashlib.new(name, ku + engine + ku).digest()


def message(msg_id, flags, engine, boots, etime, user, auth_len, scoped):
    """The whole message, msgAuthenticationParameters zeroed; its offset."""
    usm_head = (tlv(0x04, engine) + enc_int(boots) + enc_int(etime) +
                tlv(0x04, user))
    glob = tlv(0x30, enc_int(msg_id) + enc_int(65507) +
               tlv(0x04, bytes([flags])) + enc_int(3))
    auth = tlv(0x04, bytes(auth_len))
    inner = usm_head + auth + tlv(0x04, b"")
    usm = tlv(0x30, inner)
    head = enc_int(3) + glob
    body = head + tlv(0x04, usm) + scoped
    msg = tlv(0x30, body)
    at = (len(msg) - len(body)) + len(head) + \
        (len(tlv(0x04, usm)) - len(usm)) + (len(usm) - len(inner)) + \
        len(usm_head) + (len(auth) - auth_len)
    return msg, at


def scoped_get(engine, reqid, oids):
    vbs = b"".join(tlv(0x30, enc_oid(o) + b"\x05\x00") for o in oids)
    pdu = tlv(0xA0, enc_int(reqid) + enc_int(0) + enc_int(0) +
              tlv(0x30, vbs))
    return tlv(0x30, tlv(0x04, engine) + tlv(0x04, b"") + pdu)


def value_text(buf, tag, a, b):
    if tag in (0x02, 0x41, 0x42, 0x43, 0x46):
        return str(dec_int(buf, a, b) if tag == 0x02 else
                   int.from_bytes(buf[a:b], "big"))
    if tag == 0x06:
        return ".".join(str(x) for x in dec_oid(buf, a, b))
    if tag == 0x04:
        raw = buf[a:b]
        if all(32 <= c < 127 for c in raw):
            return raw.decode()
        return "0x" + raw.hex()
    return ""


def show(d):
    """Print what a v3 message holds; returns its boots and time."""
    try:
        _, a, _ = ber_read(d, 0)
        _, a, b = ber_read(d, a)                  # msgVersion
        _, ga, gb = ber_read(d, b)                # msgGlobalData
        _, a, b = ber_read(d, ga)                 # msgID
        _, a, b = ber_read(d, b)                  # msgMaxSize
        _, a, b = ber_read(d, b)                  # msgFlags
        flags = d[a]
        _, a, b = ber_read(d, gb)                 # security parameters
        data_at = b
        _, a, _ = ber_read(d, a)                  # its SEQUENCE
        _, a, b = ber_read(d, a)
        engine = d[a:b]
        _, a, b = ber_read(d, b)
        boots = dec_int(d, a, b)
        _, a, b = ber_read(d, b)
        etime = dec_int(d, a, b)
        _, a, b = ber_read(d, b)
        user = d[a:b].decode(errors="replace")
        tag, sa, sb = ber_read(d, data_at)
    except (ValueError, IndexError):
        print("reply undecodable len=%d" % len(d))
        return None, None
    line = "reply flags=%02x user=%s engine=%s boots=%d time=%d" % (
        flags, user or "-", engine.hex() or "-", boots, etime)
    if tag != 0x30:
        print(line + " pdu=encrypted")
        return boots, etime
    try:
        _, a, b = ber_read(d, sa)                 # contextEngineID
        _, a, b = ber_read(d, b)                  # contextName
        ptag, pa, pb = ber_read(d, b)
        _, a, b = ber_read(d, pa)
        reqid = dec_int(d, a, b)
        _, a, b = ber_read(d, b)
        status = dec_int(d, a, b)
        _, a, b = ber_read(d, b)
        index = dec_int(d, a, b)
        _, la, lb = ber_read(d, b)
        vbs = []
        off = la
        while off < lb:
            _, va, vb = ber_read(d, off)
            _, oa, ob = ber_read(d, va)
            vtag, xa, xb = ber_read(d, ob)
            vbs.append((".".join(str(x) for x in dec_oid(d, oa, ob)),
                        TYPES.get(vtag, "0x%02x" % vtag),
                        value_text(d, vtag, xa, xb)))
            off = vb
    except (ValueError, IndexError):
        print(line + " pdu=undecodable")
        return boots, etime
    print(line + " pdu=%s reqid=%d status=%d index=%d varbinds=%d" % (
        PDU_NAMES.get(ptag, "0x%02x" % ptag), reqid, status, index,
        len(vbs)))
    for v in vbs:
        print("  %s %s %s" % v)
    return boots, etime


def exchange(addr, msg, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    s.sendto(msg, addr)
    try:
        return s.recv(65536)
    except socket.timeout:
        return None


def probe(addr, timeout):
    """The Report to a discovery probe: (engine, boots, time) or None."""
    msg, _ = message(4242, 0x04, b"", 0, 0, b"", 0,
                     tlv(0x30, tlv(0x04, b"") + tlv(0x04, b"") +
                         tlv(0xA0, enc_int(4242) + enc_int(0) +
                             enc_int(0) + tlv(0x30, b""))))
    d = exchange(addr, msg, timeout)
    if d is None:
        return None
    try:
        _, a, _ = ber_read(d, 0)
        _, a, b = ber_read(d, a)
        _, a, b = ber_read(d, b)
        _, a, b = ber_read(d, b)
        _, a, _ = ber_read(d, a)
        _, a, b = ber_read(d, a)
        engine = d[a:b]
        _, a, b = ber_read(d, b)
        boots = dec_int(d, a, b)
        _, a, b = ber_read(d, b)
        return engine, boots, dec_int(d, a, b)
    except (ValueError, IndexError):
        return None


def parse_addr(s):
    host, _, port = s.rpartition(":")
    return host, int(port)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["probe", "get", "send", "show"])
    ap.add_argument("target")
    ap.add_argument("oids", nargs="*")
    ap.add_argument("--user", default="")
    ap.add_argument("--auth", choices=sorted(AUTH), default="SHA")
    ap.add_argument("--password", default="")
    ap.add_argument("--engine")
    ap.add_argument("--boots", type=int)
    ap.add_argument("--time-offset", type=int, default=0)
    ap.add_argument("--save")
    ap.add_argument("--timeout", type=float, default=2.0)
    a = ap.parse_intermixed_args()

    if a.cmd == "show":
        with open(a.target) as f:
            for line in f:
                kind, _, hx = line.strip().partition(" ")
                if kind == "rep":
                    show(bytes.fromhex(hx))
        return 0
    addr = parse_addr(a.target)
    if a.cmd == "send":
        with open(a.oids[0], "rb") as f:
            d = exchange(addr, f.read(), a.timeout)
    elif a.cmd == "probe":
        p = probe(addr, a.timeout)
        if p is None:
            print("noreply")
            return 1
        print("engine=%s boots=%d time=%d" % (p[0].hex(), p[1], p[2]))
        return 0
    else:
        p = probe(addr, a.timeout)
        if p is None:
            print("noreply")
            return 1
        engine, boots, etime = p
        if a.engine is not None:
            engine = bytes.fromhex(a.engine)
        if a.boots is not None:
            boots = a.boots
        name, maclen = AUTH[a.auth]
        # Keys are localized to the engine the message names.
        key = localized_key(a.auth, a.password, engine)
        msg, at = message(4711, 0x05, engine, boots,
                          max(0, etime + a.time_offset), a.user.encode(),
                          maclen, scoped_get(engine, 4711, a.oids))
        mac = hmac.new(key, msg, name).digest()[:maclen]
        msg = msg[:at] + mac + msg[at + maclen:]
        if a.save:
            with open(a.save, "wb") as f:
                f.write(msg)
        d = exchange(addr, msg, a.timeout)
    if d is None:
        print("noreply")
        return 1
    show(d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
