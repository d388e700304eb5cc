"""snmpber: the few BER (X.690) pieces the test tools share to build and
read SNMP messages: sendraw.py, fakeagent.py and snmpproxy.py import it
from beside them.  Not an SNMP library: definite lengths of at most four
octets, INTEGER, OCTET STRING, OBJECT IDENTIFIER and constructed types,
nothing checked beyond what reading needs.
"""


def enc_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    return bytes([tag]) + enc_len(len(body)) + body


def enc_int(v, tag=0x02):
    n = 1
    while True:
        try:
            return tlv(tag, v.to_bytes(n, "big", signed=True))
        except OverflowError:
            n += 1


def enc_oid(oid):
    """An OBJECT IDENTIFIER from "1.3.6..." text or a tuple of numbers."""
    if isinstance(oid, str):
        parts = [int(x) for x in oid.strip(".").split(".")]
    else:
        parts = list(oid)
    if len(parts) < 2:
        raise ValueError("OID needs two sub-identifiers: %r" % (oid,))
    out = bytearray()
    for s in [parts[0] * 40 + parts[1]] + parts[2:]:
        chunk = [s & 0x7F]
        s >>= 7
        while s:
            chunk.append(0x80 | (s & 0x7F))
            s >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, bytes(out))


def ber_read(buf, off):
    """(tag, value start, value end) of the TLV at off; ValueError if cut."""
    if off + 2 > len(buf):
        raise ValueError("short TLV")
    tag = buf[off]
    n = buf[off + 1]
    off += 2
    if n & 0x80:
        k = n & 0x7F
        if k == 0 or k > 4 or off + k > len(buf):
            raise ValueError("bad length")
        n = int.from_bytes(buf[off:off + k], "big")
        off += k
    if off + n > len(buf):
        raise ValueError("length past end")
    return tag, off, off + n


def dec_int(buf, start, end):
    return int.from_bytes(buf[start:end], "big", signed=True)


def dec_oid(buf, start, end):
    """The sub-identifiers of an OBJECT IDENTIFIER's value, as a tuple."""
    subs, v = [], 0
    for b in buf[start:end]:
        v = (v << 7) | (b & 0x7F)
        if not b & 0x80:
            subs.append(v)
            v = 0
    if not subs:
        return ()
    a = min(subs[0] // 40, 2)
    return tuple([a, subs[0] - 40 * a] + subs[1:])
