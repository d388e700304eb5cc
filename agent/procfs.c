/*
 * procfs: takes a snapshot of every process (thread-group leader) from a
 * /proc tree: the host-wide figures from stat, uptime and sys/kernel/pid_max,
 * then stat, the Uid: line of status and, on request, cmdline of each
 * numeric directory.  It never logs; the caller decides what a failure
 * means.  The text parsers live in procfs_parse.c.  It is not the MIB:
 * mib_host.c and mib_proctel.c read the snapshot it builds.
 *
 * Cost: a take is dominated by the kernel formatting each file, so each is
 * opened once and read once into one buffer on the stack, reused for the
 * three files of a pid; status is skipped for kernel threads and cmdline
 * for them and for zombies.  A take writes its rows over the snapshot's
 * own (the cache never takes into a snapshot in service), so in the steady
 * state it allocates nothing: it reads the directory with getdents64() and
 * every file into that one buffer.
 */
#include <sys/types.h>
#include <sys/vfs.h>

#include <linux/magic.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/procfs.h"
#include "agent/procfs_parse.h"
#include "lib/clock.h"

/*
 * A stat line is about 300 bytes: a pid, a comm of at most 64 bytes and 52
 * numbers of at most 20 digits fit in 1,200.  4 KiB leaves room for fields
 * future kernels add; a longer file is not a stat line we understand, and
 * is refused as truncated.
 */
#define PROCFS_STAT_MAX		4096
/*
 * status is read as a prefix on purpose: Uid: is its 9th line, well inside
 * 1 KiB, and the rest (memory, capabilities, cpu lists) is not needed.
 */
#define PROCFS_STATUS_PREFIX	1024
/* The one buffer per pid holds any of its files. */
#define PROCFS_BUF		PROCFS_STAT_MAX
_Static_assert(PROCFS_BUF > PROCFS_STATUS_PREFIX &&
    PROCFS_BUF >= PROCFS_CMDLINE_MAX, "one buffer for every file");
/* uptime, pid_max: one short line each. */
#define PROCFS_SMALL_MAX	256
/* /proc/stat is read in chunks; its intr line alone can exceed 64 KiB. */
#define PROCFS_CHUNK		4096
/* A bound on reads of one file, so no loop runs unbounded (16 MiB). */
#define PROCFS_MAX_READS	4096
/* "2147483647/status" and a NUL. */
#define PROCFS_PATH_MAX		32
/* One getdents64() gets about 200 /proc entries into this. */
#define PROCFS_DENTS		8192

enum read_result {
	READ_OK = 0,
	READ_GONE = -1,		/* ENOENT or ESRCH: the process exited */
	READ_ERR = -2,		/* any other error */
	READ_TRUNC = -3,	/* the file did not fit */
	READ_NOMEM = -4,	/* no room to read into */
};

/* The state of one take. */
struct take {
	struct procfs_snapshot	*t_snap;
	const struct procfs_opts *t_opts;
	int		 t_rootfd;
	long		 t_clk_tck;
	uint32_t	 t_page_kb;
	uint64_t	 t_uptime_cs;
	size_t		 t_n;		/* rows */
	size_t		 t_zn;		/* zombie rows, one per zombie */
	bool		 t_unsorted;
	int32_t		 t_lastpid;
	size_t		 t_arena_len;	/* cmdline octets, with their NULs */
	size_t		 t_cmd_bytes;	/* cmdline octets against the budget */
	uint32_t	 t_cuts;
	bool		 t_saw_init;	/* pid 1 was read */
};

static long	procfs_clk_tck;
static uint32_t	procfs_page_kb;

/*
 * sysconf once: neither value changes while the program runs.  A failing
 * sysconf falls back to the values of every Linux architecture we know.
 */
static void
procfs_sysconf(void)
{
	long v;

	if (procfs_clk_tck > 0)
		return;
	v = sysconf(_SC_PAGESIZE);
	procfs_page_kb = v >= 1024 ? (uint32_t)(v / 1024) : 4;
	v = sysconf(_SC_CLK_TCK);
	procfs_clk_tck = v > 0 ? v : 100;
}

/*
 * Read the file at dirfd/path into buf.  With prefix, up to cap bytes are
 * enough; without, a file that fills buf is READ_TRUNC.  A short read ends
 * the file: procfs seq_file and cmdline reads fill the user buffer until
 * the data ends, and so do regular files (the fake trees), which saves the
 * extra read(2) that would only return 0 on thousands of files per take.
 */
static int
read_file(int dirfd, const char *path, char *buf, size_t cap, bool prefix,
    size_t *lenp)
{
	size_t len = 0;
	ssize_t n;
	int fd, i, rv = READ_OK;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return errno == ENOENT || errno == ESRCH ? READ_GONE : READ_ERR;
	for (i = 0; i < PROCFS_MAX_READS; i++) {
		if (len == cap) {
			if (!prefix)
				rv = READ_TRUNC;
			break;
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			rv = errno == ENOENT || errno == ESRCH ? READ_GONE :
			    READ_ERR;
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len < cap)
			break;
	}
	if (i == PROCFS_MAX_READS)
		rv = READ_ERR;
	close(fd);
	*lenp = len;
	return rv;
}

/*
 * /proc/stat grows with the CPU and interrupt counts, so it is scanned in
 * chunks, line by line; a line longer than a chunk (intr) is skipped.
 */
static int
read_forks(int rootfd, uint64_t *forks)
{
	char buf[PROCFS_CHUNK];
	const char *nl;
	size_t have = 0, start;
	ssize_t n = -1;
	bool skipping = false, found = false;
	int fd, i;

	fd = openat(rootfd, "stat", O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return -1;
	for (i = 0; i < PROCFS_MAX_READS; i++) {
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		start = 0;
		while ((nl = memchr(buf + start, '\n', have - start)) != NULL) {
			if (!skipping)
				found |= procfs_parse_forks_line(buf + start,
				    (size_t)(nl - buf) - start, forks) == 0;
			skipping = false;
			start = (size_t)(nl - buf) + 1;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (have == sizeof(buf)) {
			skipping = true;
			have = 0;
		}
	}
	if (n == 0 && have > 0 && !skipping)
		found |= procfs_parse_forks_line(buf, have, forks) == 0;
	close(fd);
	return n == 0 && found ? 0 : -1;
}

/* uptime and pid_max: one short line each, read whole. */
static int
read_small(int rootfd, const char *path, char *buf, size_t size)
{
	size_t len;

	if (read_file(rootfd, path, buf, size - 1, false, &len) != READ_OK)
		return -1;
	buf[len] = '\0';
	return 0;
}

/*
 * arr grown to hold at least need elements of size, doubling from first;
 * arr itself when it is large enough, NULL (arr untouched) on failure.
 */
static void *
grow(void *arr, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t ncap;
	void *n;

	if (need <= *cap)
		return arr;
	ncap = *cap > first ? *cap : first;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return NULL;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / size || (n = realloc(arr, ncap * size)) == NULL)
		return NULL;
	*cap = ncap;
	return n;
}

/* Room for need more cmdline octets in the arena; -1 when out of memory. */
static int
arena_reserve(struct take *t, size_t need)
{
	struct procfs_snapshot *s = t->t_snap;
	void *n;
	size_t cap = s->ps_arena_cap;

	if (need <= cap - t->t_arena_len)
		return 0;
	if ((n = grow(s->ps_arena, &cap, t->t_arena_len + need, 1, 16384)) ==
	    NULL)
		return -1;
	s->ps_arena = n;
	s->ps_arena_cap = cap;
	return 0;
}

/*
 * Read cmdline into buf and keep what is served in the arena: NULs between
 * arguments become spaces, the trailing NULs (one, or many after a
 * setproctitle) go.  Within the budget only; a line cut by it, or not read
 * because nothing is left, is counted.  The string's offset in the arena
 * is parked in pp_cmdline_len's place until take_commit sets the pointers
 * (the arena may move as it grows).  READ_OK (an unreadable line is
 * empty), READ_GONE or READ_NOMEM.
 */
static int
read_cmdline(struct take *t, const char *path, char *buf,
    struct procfs_proc *p)
{
	size_t len, keep, room, i, a0;
	const char *nul;
	int rv;

	room = t->t_opts->po_cmdline_budget - t->t_cmd_bytes;
	if (room == 0) {
		t->t_cuts++;
		len = 0;
	} else {
		rv = read_file(t->t_rootfd, path, buf, PROCFS_CMDLINE_MAX, true,
		    &len);
		if (rv == READ_GONE)
			return READ_GONE;
		if (rv != READ_OK)
			len = 0;
	}
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	/* argv[0] ends at the first NUL, spaces and all ("/opt/my app"). */
	nul = memchr(buf, '\0', len);
	a0 = nul == NULL ? len : (size_t)(nul - buf);
	for (i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	keep = a0 + 1 + PROCFS_ARGS_SERVED;
	if (keep < PROCFS_CMDLINE_SERVED)
		keep = PROCFS_CMDLINE_SERVED;
	if (keep > len)
		keep = len;
	if (keep > room) {
		keep = room;
		t->t_cuts++;
	}
	if (arena_reserve(t, keep + 1) == -1)
		return READ_NOMEM;
	memcpy(t->t_snap->ps_arena + t->t_arena_len, buf, keep);
	t->t_snap->ps_arena[t->t_arena_len + keep] = '\0';
	p->pp_cmdline = NULL;
	p->pp_cmdline_len = keep;
	p->pp_argv0_len = a0 < keep ? a0 : keep;
	t->t_arena_len += keep + 1;
	t->t_cmd_bytes += keep;
	return READ_OK;
}

/* A /proc entry name that is a pid: 1 to 2^31-1, no sign, no leading 0. */
static int32_t
dir_pid(const char *name, size_t *lenp)
{
	uint64_t v = 0;
	size_t i;

	if (name[0] < '1' || name[0] > '9')
		return -1;
	for (i = 0; name[i] != '\0'; i++) {
		if (name[i] < '0' || name[i] > '9' || i >= 10)
			return -1;
		v = v * 10 + (uint64_t)(name[i] - '0');
	}
	if (v > INT32_MAX)
		return -1;
	*lenp = i;
	return (int32_t)v;
}

/* Read one pid into the next free row; -1 when out of memory. */
static int
take_pid(struct take *t, const char *name, size_t nlen, int32_t pid)
{
	struct procfs_snapshot *s = t->t_snap;
	struct procfs_proc *p;
	struct procfs_zparent *z;
	char buf[PROCFS_BUF], path[PROCFS_PATH_MAX];
	size_t len;

	if ((p = grow(s->ps_procs, &s->ps_cap, t->t_n + 1,
	    sizeof(*s->ps_procs), 64)) == NULL)
		return -1;
	s->ps_procs = p;
	p = &s->ps_procs[t->t_n];

	memcpy(path, name, nlen);
	memcpy(path + nlen, "/stat", sizeof("/stat"));
	if (read_file(t->t_rootfd, path, buf, PROCFS_STAT_MAX, false, &len) !=
	    READ_OK)
		return 0;
	if (procfs_parse_stat(buf, len, t->t_clk_tck, t->t_page_kb,
	    t->t_uptime_cs, p) == -1 || p->pp_pid != pid)
		return 0;

	/*
	 * Kernel threads always run as root: skipping their status (the
	 * costliest file here, and often half the pids) changes nothing.  buf
	 * is larger than the prefix, so the parser can add its NUL.  The
	 * owner of /proc/PID would be cheaper but is the effective uid (root
	 * for a process that is not dumpable), not the real one.
	 */
	memcpy(path + nlen, "/status", sizeof("/status"));
	if (p->pp_kthread)
		p->pp_uid = 0;
	else if (read_file(t->t_rootfd, path, buf, PROCFS_STATUS_PREFIX, true,
	    &len) != READ_OK || procfs_parse_status_uid(buf, len, &p->pp_uid) ==
	    -1)
		return 0;

	/*
	 * A parent outside our pid namespace shows as ppid 0: it has no pid
	 * here, so no row (PROCTEL-MIB ptZpPid is 1..2147483647).
	 */
	if (p->pp_state == PROCFS_ZOMBIE && p->pp_ppid > 0) {
		if ((z = grow(s->ps_zparents, &s->ps_zcap, t->t_zn + 1,
		    sizeof(*s->ps_zparents), 16)) == NULL)
			return -1;
		s->ps_zparents = z;
		z = &s->ps_zparents[t->t_zn];
	} else
		z = NULL;

	/* Kernel threads and zombies have no command line to read. */
	if (t->t_opts->po_cmdline && !p->pp_kthread &&
	    p->pp_state != PROCFS_ZOMBIE) {
		memcpy(path + nlen, "/cmdline", sizeof("/cmdline"));
		switch (read_cmdline(t, path, buf, p)) {
		case READ_OK:
			break;
		case READ_GONE:
			return 0;
		default:
			return -1;
		}
	}

	if (z != NULL) {
		memset(z, 0, sizeof(*z));
		z->zp_pid = p->pp_ppid;
		z->zp_zombies = 1;
		z->zp_oldest_age_s = p->pp_age_s;
		t->t_zn++;
	}
	if (pid == 1)
		t->t_saw_init = true;
	if (t->t_n > 0 && pid <= t->t_lastpid)
		t->t_unsorted = true;
	t->t_lastpid = pid;
	t->t_n++;
	return 0;
}

static int
cmp_proc(const void *a, const void *b)
{
	int32_t x = ((const struct procfs_proc *)a)->pp_pid;
	int32_t y = ((const struct procfs_proc *)b)->pp_pid;

	return (x > y) - (x < y);
}

static int
cmp_zparent(const void *a, const void *b)
{
	int32_t x = ((const struct procfs_zparent *)a)->zp_pid;
	int32_t y = ((const struct procfs_zparent *)b)->zp_pid;

	return (x > y) - (x < y);
}

/* Nothing below fails: point the rows at their strings, sort and count. */
static void
take_commit(struct take *t, uint64_t forks, uint32_t pid_max,
    uint64_t taken_ms)
{
	struct procfs_snapshot *s = t->t_snap;
	struct procfs_proc *p;
	struct procfs_zparent *z, *out;
	size_t i, off, idx, nz;
	uint64_t threads = 0;

	/* The strings are in scan order: set the pointers before sorting. */
	off = 0;
	for (i = 0; i < t->t_n; i++) {
		p = &s->ps_procs[i];
		if (p->pp_cmdline != NULL)
			continue;
		p->pp_cmdline = s->ps_arena + off;
		off += p->pp_cmdline_len + 1;
	}
	s->ps_arena_len = t->t_arena_len;
	if (t->t_unsorted)
		qsort(s->ps_procs, t->t_n, sizeof(*s->ps_procs), cmp_proc);
	s->ps_count = t->t_n;

	memset(s->ps_by_state, 0, sizeof(s->ps_by_state));
	s->ps_oldest_zombie_s = 0;
	for (i = 0; i < t->t_n; i++) {
		p = &s->ps_procs[i];
		s->ps_by_state[p->pp_state]++;
		threads += p->pp_threads;
		if (p->pp_state == PROCFS_ZOMBIE &&
		    p->pp_age_s > s->ps_oldest_zombie_s)
			s->ps_oldest_zombie_s = p->pp_age_s;
	}
	s->ps_threads = threads > UINT32_MAX ? UINT32_MAX : (uint32_t)threads;

	/* One row per zombie so far: sort by parent, then merge. */
	if (t->t_zn > 1)
		qsort(s->ps_zparents, t->t_zn, sizeof(*s->ps_zparents),
		    cmp_zparent);
	nz = 0;
	for (i = 0; i < t->t_zn; i++) {
		z = &s->ps_zparents[i];
		out = &s->ps_zparents[nz > 0 ? nz - 1 : 0];
		if (nz > 0 && out->zp_pid == z->zp_pid) {
			out->zp_zombies++;
			if (z->zp_oldest_age_s > out->zp_oldest_age_s)
				out->zp_oldest_age_s = z->zp_oldest_age_s;
			continue;
		}
		out = &s->ps_zparents[nz++];
		*out = *z;
		idx = procfs_lower_bound(s, out->zp_pid);
		if (idx < s->ps_count && s->ps_procs[idx].pp_pid == out->zp_pid)
			memcpy(out->zp_name, s->ps_procs[idx].pp_comm,
			    sizeof(out->zp_name));
		else
			out->zp_name[0] = '\0';
	}
	s->ps_nzparents = nz;

	s->ps_forks = forks;
	s->ps_pid_max = pid_max;
	s->ps_uptime_cs = t->t_uptime_cs;
	s->ps_taken_ms = taken_ms;
	s->ps_cmdline_cuts = t->t_cuts;
}

/*
 * Scan the numeric entries of the root with getdents64() into a buffer on
 * the stack: opendir() would malloc 32 KiB on every take.
 */
static int
take_scan(struct take *t)
{
	_Alignas(struct dirent64) char buf[PROCFS_DENTS];
	const struct dirent64 *de;
	size_t off, nlen;
	ssize_t n;
	int32_t pid;
	int i;

	for (i = 0; i < PROCFS_MAX_READS; i++) {
		n = getdents64(t->t_rootfd, buf, sizeof(buf));
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return PROCFS_ENOROOT;
		if (n == 0)
			return PROCFS_OK;
		for (off = 0; off < (size_t)n; off += de->d_reclen) {
			de = (const struct dirent64 *)(const void *)(buf + off);
			if (de->d_reclen == 0 || de->d_reclen > (size_t)n - off)
				return PROCFS_ENOROOT;
			if (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN)
				continue;
			if ((pid = dir_pid(de->d_name, &nlen)) == -1)
				continue;
			if (take_pid(t, de->d_name, nlen, pid) == -1)
				return PROCFS_ENOMEM;
		}
	}
	return PROCFS_ENOROOT;
}

/* The host-wide figures: 0, or PROCFS_EGLOBAL. */
static int
read_globals(int rootfd, uint64_t *forks, uint64_t *uptime_cs,
    uint32_t *pid_max)
{
	char small[PROCFS_SMALL_MAX];

	if (read_forks(rootfd, forks) == -1 ||
	    read_small(rootfd, "uptime", small, sizeof(small)) == -1 ||
	    procfs_parse_uptime(small, uptime_cs) == -1 ||
	    read_small(rootfd, "sys/kernel/pid_max", small, sizeof(small)) ==
	    -1 || procfs_parse_pid_max(small, pid_max) == -1)
		return PROCFS_EGLOBAL;
	return PROCFS_OK;
}

/* CPU time of the calling thread, microseconds. */
static uint64_t
thread_cpu_us(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == -1)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

int
procfs_snapshot_take(const char *root, const struct procfs_opts *o,
    struct procfs_snapshot *snap)
{
	struct statfs sf;
	struct take t;
	uint64_t forks, taken_ms, cpu0;
	uint32_t pid_max;
	int rv;

	cpu0 = thread_cpu_us();
	procfs_sysconf();
	memset(&t, 0, sizeof(t));
	t.t_snap = snap;
	t.t_opts = o;
	t.t_clk_tck = procfs_clk_tck;
	t.t_page_kb = procfs_page_kb;

	taken_ms = clock_mono_ms();
	t.t_rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (t.t_rootfd == -1)
		return PROCFS_ENOROOT;
	if ((rv = read_globals(t.t_rootfd, &forks, &t.t_uptime_cs,
	    &pid_max)) != PROCFS_OK) {
		close(t.t_rootfd);
		return rv;
	}
	rv = take_scan(&t);
	snap->ps_hidden = rv == PROCFS_OK && !t.t_saw_init &&
	    fstatfs(t.t_rootfd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
	close(t.t_rootfd);
	if (rv != PROCFS_OK) {
		snap->ps_count = 0;
		snap->ps_nzparents = 0;
		snap->ps_arena_len = 0;
		return rv;
	}
	take_commit(&t, forks, pid_max, taken_ms);
	cpu0 = thread_cpu_us() - cpu0;
	snap->ps_cpu_us = cpu0 > UINT32_MAX ? UINT32_MAX : (uint32_t)cpu0;
	return PROCFS_OK;
}

int
procfs_check(const char *root)
{
	uint64_t forks, uptime_cs;
	uint32_t pid_max;
	int fd, rv;

	if ((fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return PROCFS_ENOROOT;
	rv = read_globals(fd, &forks, &uptime_cs, &pid_max);
	close(fd);
	return rv;
}

void
procfs_snapshot_free(struct procfs_snapshot *snap)
{
	if (snap == NULL)
		return;
	free(snap->ps_procs);
	free(snap->ps_zparents);
	free(snap->ps_arena);
	memset(snap, 0, sizeof(*snap));
}

/*
 * Binary search over rows of `size` bytes sorted by the int32_t pid at
 * offset `off` in each: the first row whose pid is >= pid.
 */
static size_t
rows_lower_bound(const void *rows, size_t n, size_t size, size_t off,
    int32_t pid)
{
	const unsigned char *base = rows;
	size_t lo = 0, hi = n, mid;
	int32_t key;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		memcpy(&key, base + mid * size + off, sizeof(key));
		if (key < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
procfs_lower_bound(const struct procfs_snapshot *snap, int32_t pid)
{
	return rows_lower_bound(snap->ps_procs, snap->ps_count,
	    sizeof(*snap->ps_procs), offsetof(struct procfs_proc, pp_pid), pid);
}

size_t
procfs_zparent_lower_bound(const struct procfs_snapshot *snap, int32_t pid)
{
	return rows_lower_bound(snap->ps_zparents, snap->ps_nzparents,
	    sizeof(*snap->ps_zparents), offsetof(struct procfs_zparent, zp_pid),
	    pid);
}

const char *
procfs_strerror(int err)
{
	switch (err) {
	case PROCFS_OK:
		return "no error";
	case PROCFS_ENOROOT:
		return "cannot read the /proc directory";
	case PROCFS_ENOMEM:
		return "out of memory";
	case PROCFS_EGLOBAL:
		return "cannot read stat, uptime or sys/kernel/pid_max";
	default:
		return "unknown procfs error";
	}
}
