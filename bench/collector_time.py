#!/usr/bin/env python3
"""Run one command and report what it cost, for bench/collector.sh.

Usage: collector_time.py OUTFILE CMD [ARG]...

Writes "wall user sys maxrss_kib exit" to OUTFILE: wall seconds around the
command, user and system CPU seconds of the command and every descendant it
waited for (getrusage RUSAGE_CHILDREN), the peak RSS of the largest of them,
and its exit status.  The command's own stdout and stderr pass through.
Like GNU time -f '%e %U %S %M', without needing GNU time installed.
"""
import resource
import subprocess
import sys
import time

if len(sys.argv) < 3:
    sys.exit("usage: collector_time.py OUTFILE CMD [ARG]...")
t0 = time.monotonic()
rc = subprocess.call(sys.argv[2:])
wall = time.monotonic() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    f.write("%.3f %.3f %.3f %d %d\n"
            % (wall, ru.ru_utime, ru.ru_stime, ru.ru_maxrss, rc))
sys.exit(0 if rc >= 0 else 1)
