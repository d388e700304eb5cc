#!/usr/bin/env python3
# make_basic.py: writes the fake /proc tree tests/tools/fakeproc/basic that
# tests/unit/test_procfs.c and test_mib_modules.c read.  The tree is checked
# in; run this only to change it, then update the tests' expectations.
# Each pid is one parsing case (see the comments); the global files give
# forks 123456, uptime 1000.50 s and pid_max 4194304.  Not a generator of
# large trees: test_procfs.c makes those at run time.
import os, shutil
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'basic')
shutil.rmtree(root, ignore_errors=True)
os.makedirs(root + '/sys/kernel')
def w(path, data):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, 'wb') as f:
        f.write(data if isinstance(data, bytes) else data.encode())
# The intr line is longer than procfs.c's read chunk, as on big hosts.
w('stat', 'cpu  1 2 3 4 5 6 7 0 0 0\ncpu0 1 2 3 4 5 6 7 0 0 0\n'
  + 'intr 100 ' + ' '.join(['0'] * 3000) + '\nctxt 555\n'
  + 'btime 1700000000\nprocesses 123456\nprocs_running 2\n'
  + 'procs_blocked 0\n')
w('uptime', '1000.50 1900.25\n')
w('sys/kernel/pid_max', '4194304\n')
def stat(pid, comm, state='S', ppid=1, flags=4194560, utime=10, stime=5,
         threads=1, start=50000, rss=100):
    # Fields 1-24 as proc(5) numbers them, then 28 more as the kernel has.
    return (f"{pid} ({comm}) {state} {ppid} {pid} {pid} 0 -1 {flags} "
            f"0 0 0 0 {utime} {stime} 0 0 20 0 {threads} 0 {start} "
            f"1000000 {rss} 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 "
            "17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n")
def status(pid, name, ppid=1, uid=0):
    # The real uid is the first of four; the others differ on purpose.
    e = uid + 1
    return (f"Name:\t{name}\nUmask:\t0022\nState:\tS (sleeping)\n"
            f"Tgid:\t{pid}\nNgid:\t0\nPid:\t{pid}\nPPid:\t{ppid}\n"
            f"TracerPid:\t0\nUid:\t{uid}\t{e}\t{e}\t{e}\n"
            "Gid:\t0\t0\t0\t0\nFDSize:\t64\nVmRSS:\t400 kB\n")
def proc(pid, comm, cmdline=b'', uid=0, **kw):
    w(f'{pid}/stat', stat(pid, comm, **kw))
    # The kernel escapes a newline in Name: as the two characters \n.
    w(f'{pid}/status',
      status(pid, comm.replace('\n', '\\n'), kw.get('ppid', 1), uid))
    w(f'{pid}/cmdline', cmdline)
proc(1, 'init', b'/sbin/init\0splash\0', ppid=0, threads=1, utime=150, stime=50, start=1)
proc(2, 'kthreadd', ppid=0, flags=0x208040, start=0, rss=0)
proc(3, 'kworker/0:0H-events_highpri', state='I', ppid=2, flags=0x4208060, rss=0)
proc(10, 'my prog', b'/usr/bin/my prog\0--flag\0value with space\0', uid=1000, state='R', threads=4)
proc(11, 'x) y (z', b'x\0', uid=1001)
proc(12, 'new\nline', b'nl\0')
proc(13, 'abcdefghijklmno', b'/opt/abcdefghijklmnopqrstuvwxyz\0')
proc(14, '', b'')
proc(20, 'bash', b'-bash\0', uid=1000, threads=1, ppid=1)
proc(21, 'defunct1', state='Z', ppid=20, start=90000, rss=0, threads=1)
proc(22, 'defunct2', state='Z', ppid=20, start=70000, rss=0, threads=1)
proc(23, 'orphan', state='Z', ppid=99, start=99000, rss=0, threads=1)
proc(24, 'zkid', state='Z', ppid=10, start=80000, rss=0, threads=1)
# 25: a zombie whose parent is outside our pid namespace (ppid 0): no parent row.
proc(25, 'nsorphan', state='Z', ppid=0, start=99500, rss=0, threads=1)
# 30: stat is missing (the process vanished between readdir and open).
w('30/status', status(30, 'gone'))
# 31: stat cut short.
w('31/stat', '31 (short) S 1 31 31 0 -1 4194560 0 0')
w('31/status', status(31, 'short'))
# 32: huge numbers, clamped.
proc(32, 'huge', utime=18446744073709551615, stime=18446744073709551615, threads=9999999999, start=18446744073709551615, rss=9223372036854775807)
# 33: a number out of range for strtoull.
proc(33, 'overflow', utime=99999999999999999999999)
# 34: stat names another pid.
w('34/stat', stat(35, 'liar'))
w('34/status', status(34, 'liar'))
proc(40, 'stopped', state='T')
proc(41, 'traced', state='t')
proc(42, 'disk', state='D')
proc(43, 'dead', state='X')
proc(44, 'idle', state='I', flags=0x208040)
proc(45, 'paging', state='W')
# 50: status without a Uid: line.
w('50/stat', stat(50, 'nouid'))
w('50/status', 'Name:\tnouid\nPid:\t50\n')
# 51: cmdline with trailing NULs from setproctitle.
proc(51, 'title', b'worker: main\0\0\0\0\0\0\0\0')
# 52: a command line longer than the 4096-byte cap.
proc(52, 'longargs', b'/bin/long\0' + b'a' * 5000 + b'\0')
# 53: garbage.
w('53/stat', b'\x00\xff garbage ))) ((( \n')
w('53/status', status(53, 'garbage'))
# 54: empty stat.
w('54/stat', '')
w('54/status', status(54, 'empty'))
# 55: no status at all.
w('55/stat', stat(55, 'nostatus'))
# 56: uid 4294967294 (nobody-ish, beyond int32).
proc(56, 'bigid', uid=4294967294)
# 2147483647: the highest pid.
proc(2147483647, 'maxpid', ppid=1)
# Not processes: a non-numeric dir, a leading zero, a numeric file, a pid too large.
w('abc/stat', stat(7, 'abc'))
w('0123/stat', stat(123, 'zero'))
w('0123/status', status(123, 'zero'))
w('60', 'a plain file\n')
w('2147483648/stat', stat(2147483647, 'toolarge'))
w('2147483648/status', status(2147483647, 'toolarge'))
# self is a symlink in the real /proc.
os.symlink('1', root + '/self')
