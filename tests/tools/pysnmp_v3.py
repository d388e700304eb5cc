#!/usr/bin/python3
"""pysnmp_v3: pysnmp (Debian's python3-pysnmp4) as a second SNMPv3 manager
for proctel-agent's tests, independent of net-snmp: its own discovery,
keys and AES.  Run with /usr/bin/python3, which sees Debian's package.

  pysnmp_v3.py get  PORT USER AUTH PRIV PASSWORD OID...
  pysnmp_v3.py walk PORT USER AUTH PRIV PASSWORD OID
  pysnmp_v3.py twice PORT USER AUTH PRIV PASSWORD OID READY GO

AUTH is MD5, SHA, SHA-224 ... SHA-512 or none; PRIV is AES, AES-192,
AES-256 (Blumenthal's extension, as net-snmp's -x), AES-192-C, AES-256-C
(Reeder's) or none; one PASSWORD serves both.  get and walk print one
"OID = VALUE" line per varbind (walk: the subtree, as snmpwalk) and exit
0, or print "error: ..." and exit 1.  twice does one GET, creates READY,
waits (at most 60 s) for GO to exist and does a second GET with the same
engine, so with what it learned of the agent's boots and time: what a
long-lived poller does across an agent restart.  Prints "first: ..." and
"second: ..." lines.
"""
import os
import sys
import time

from pysnmp.hlapi import (ContextData, ObjectIdentity, ObjectType,
                          SnmpEngine, UdpTransportTarget, UsmUserData,
                          getCmd, nextCmd)
from pysnmp.hlapi import (usmAesBlumenthalCfb192Protocol,
                          usmAesBlumenthalCfb256Protocol,
                          usmAesCfb128Protocol, usmAesCfb192Protocol,
                          usmAesCfb256Protocol, usmHMAC128SHA224AuthProtocol,
                          usmHMAC192SHA256AuthProtocol,
                          usmHMAC256SHA384AuthProtocol,
                          usmHMAC384SHA512AuthProtocol, usmHMACMD5AuthProtocol,
                          usmHMACSHAAuthProtocol, usmNoAuthProtocol,
                          usmNoPrivProtocol)

AUTH = {"none": usmNoAuthProtocol, "MD5": usmHMACMD5AuthProtocol,
        "SHA": usmHMACSHAAuthProtocol,
        "SHA-224": usmHMAC128SHA224AuthProtocol,
        "SHA-256": usmHMAC192SHA256AuthProtocol,
        "SHA-384": usmHMAC256SHA384AuthProtocol,
        "SHA-512": usmHMAC384SHA512AuthProtocol}
# pysnmp's names mislead (notes/usm.md sec. 5): its "Blumenthal" classes
# are net-snmp's -x AES-192/AES-256, its plain ones Reeder's.
PRIV = {"none": usmNoPrivProtocol, "AES": usmAesCfb128Protocol,
        "AES-192": usmAesBlumenthalCfb192Protocol,
        "AES-256": usmAesBlumenthalCfb256Protocol,
        "AES-192-C": usmAesCfb192Protocol,
        "AES-256-C": usmAesCfb256Protocol}


def show(prefix, err, status, index, vbs):
    if err:
        print("%serror: %s" % (prefix, err))
        return False
    if status:
        print("%serror: %s at %s" % (prefix, status.prettyPrint(), index))
        return False
    for name, val in vbs:
        print("%s%s = %s" % (prefix, name.prettyPrint(), val.prettyPrint()))
    return True


def main():
    if len(sys.argv) < 8:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, port, user, auth, priv, pw = sys.argv[1:7]
    rest = sys.argv[7:]
    engine = SnmpEngine()
    creds = UsmUserData(user,
                        authKey=pw if auth != "none" else None,
                        privKey=pw if priv != "none" else None,
                        authProtocol=AUTH[auth], privProtocol=PRIV[priv])
    target = UdpTransportTarget(("127.0.0.1", int(port)), timeout=2,
                                retries=2)

    def get(prefix, oids):
        err, status, index, vbs = next(getCmd(
            engine, creds, target, ContextData(),
            *[ObjectType(ObjectIdentity(o)) for o in oids],
            lookupMib=False))
        return show(prefix, err, status, index, vbs)

    if cmd == "get":
        return 0 if get("", rest) else 1
    if cmd == "walk":
        ok = True
        for err, status, index, vbs in nextCmd(
                engine, creds, target, ContextData(),
                ObjectType(ObjectIdentity(rest[0])),
                lexicographicMode=False, maxRows=100000, lookupMib=False):
            ok = show("", err, status, index, vbs) and ok
            if not ok:
                break
        return 0 if ok else 1
    if cmd == "twice":
        oid, ready, go = rest[0], rest[1], rest[2]
        first = get("first: ", [oid])
        open(ready, "w").close()
        end = time.time() + 60
        while not os.path.exists(go) and time.time() < end:
            time.sleep(0.05)
        second = get("second: ", [oid])
        return 0 if first and second else 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
