#!/usr/bin/env python3
"""Copy standard input to a file, line by line, and say when the last line
came: for bench/collector.sh, which times braa to its last answer rather
than to its exit (braa idles for its -t timeout after its last pass when
any query went unanswered).

Usage: CMD | stamp.py OUTFILE
Prints "LINES LAST" with LAST the wall-clock time (seconds since the epoch)
at which the last line was read, or "0 0" when none came.  The writer must
flush each line (stdbuf -oL) for the time to mean anything.
"""
import sys
import time

if len(sys.argv) != 2:
    sys.exit("usage: CMD | stamp.py OUTFILE")
lines = 0
last = 0.0
with open(sys.argv[1], "wb") as out:
    for line in sys.stdin.buffer:
        out.write(line)
        lines += 1
        last = time.time()
print("%d %.6f" % (lines, last))
