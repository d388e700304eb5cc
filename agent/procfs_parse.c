/*
 * procfs_parse: the parsers of /proc text for procfs.c: a pid's stat line
 * and the Uid: line of its status, and the host-wide stat, uptime and
 * pid_max.  Input is untrusted (a fake tree, a fuzzer, a kernel we have not
 * met): numbers go through strtoull/strtoll with end-pointer and errno
 * checks, nothing is repaired, and every cap is a named constant.  No I/O,
 * no allocation, no logging.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/procfs.h"
#include "agent/procfs_parse.h"

/* include/linux/sched.h: "I am a kernel thread". */
#define PROCFS_PF_KTHREAD	0x00200000u
/*
 * Only the fields up to rss (24) are parsed: 22 numbers of at most 20
 * digits fit in 1 KiB with room to spare; a longer tail is cut, and a field
 * cut in the middle is refused.
 */
#define PROCFS_TAIL_MAX		1024
/* "processes " and at most 20 digits. */
#define PROCFS_NUM_MAX		24

/* strtoull alone would accept spaces and a '-' (and wrap it). */
int
procfs_parse_u64(const char *s, const char **endp, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	*endp = end;
	*out = v;
	return 0;
}

int
procfs_parse_i64(const char *s, const char **endp, int64_t *out)
{
	char *end;
	long long v;
	const char *d = *s == '-' ? s + 1 : s;

	if (*d < '0' || *d > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	*endp = end;
	*out = v;
	return 0;
}

/* Clock ticks to centi-seconds without overflow, saturating. */
static uint64_t
ticks_to_cs(uint64_t ticks, long clk_tck)
{
	uint64_t hz = (uint64_t)clk_tck, q, r;

	if (hz == 100)
		return ticks;
	q = ticks / hz;
	r = ticks % hz;
	if (q > (UINT64_MAX - 100) / 100)
		return UINT64_MAX;
	return q * 100 + r * 100 / hz;
}

static uint32_t
clamp_u32(uint64_t v)
{
	return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* The stat state letters, in enum procfs_state order from 1. */
static uint8_t
state_from_char(char c)
{
	static const char letters[] = "RSDTZI";
	const char *l;

	if (c == 't')
		return PROCFS_STOPPED;
	if (c == '\0' || (l = strchr(letters, c)) == NULL)
		return PROCFS_OTHER;
	return (uint8_t)(PROCFS_RUNNING + (l - letters));
}

/* stat(5) field numbers after the comm that we use. */
enum {
	F_STATE = 3, F_PPID = 4, F_FLAGS = 9, F_UTIME = 14, F_STIME = 15,
	F_THREADS = 20, F_START = 22, F_RSS = 24,
};

int
procfs_parse_stat(const char *buf, size_t len, long clk_tck,
    uint32_t page_kb, uint64_t uptime_cs, struct procfs_proc *p)
{
	char tail[PROCFS_TAIL_MAX], num[16];
	const char *lp, *rp, *q, *end;
	size_t n, tlen;
	uint64_t u, utime = 0, stime = 0, start = 0, cpu, start_cs;
	int64_t s;
	int field;

	if (buf == NULL || clk_tck <= 0)
		return -1;
	lp = memchr(buf, '(', len);
	rp = memrchr(buf, ')', len);
	if (lp == NULL || rp == NULL || rp < lp)
		return -1;

	/* "PID (": at most 10 digits and exactly one space. */
	n = (size_t)(lp - buf);
	if (n < 2 || n - 1 > 10 || buf[n - 1] != ' ')
		return -1;
	memcpy(num, buf, n - 1);
	num[n - 1] = '\0';
	if (procfs_parse_u64(num, &end, &u) == -1 || *end != '\0' ||
	    u > INT32_MAX)
		return -1;
	memset(p, 0, sizeof(*p));
	p->pp_pid = (int32_t)u;

	/* comm: first '(' to last ')', so it may hold anything. */
	n = (size_t)(rp - lp - 1);
	if (n > PROCFS_COMM_MAX - 1)
		n = PROCFS_COMM_MAX - 1;
	memcpy(p->pp_comm, lp + 1, n);
	p->pp_comm[n] = '\0';

	tlen = len - (size_t)(rp + 1 - buf);
	if (tlen > sizeof(tail) - 1)
		tlen = sizeof(tail) - 1;
	memcpy(tail, rp + 1, tlen);
	tail[tlen] = '\0';

	/* " S ": the state is one character between single spaces. */
	if (tail[0] != ' ' || tail[1] == '\0' || tail[1] == ' ' ||
	    tail[1] == '\n' || tail[2] != ' ')
		return -1;
	p->pp_statechar = tail[1];
	p->pp_state = state_from_char(tail[1]);
	q = tail + 2;
	for (field = F_STATE + 1; field <= F_RSS; field++) {
		if (*q != ' ')
			return -1;
		q++;
		switch (field) {
		case F_PPID:
			if (procfs_parse_i64(q, &end, &s) == -1 || s < 0 ||
			    s > INT32_MAX)
				return -1;
			p->pp_ppid = (int32_t)s;
			break;
		case F_FLAGS:
			if (procfs_parse_u64(q, &end, &u) == -1)
				return -1;
			p->pp_kthread = (u & PROCFS_PF_KTHREAD) != 0;
			break;
		case F_UTIME:
			if (procfs_parse_u64(q, &end, &utime) == -1)
				return -1;
			break;
		case F_STIME:
			if (procfs_parse_u64(q, &end, &stime) == -1)
				return -1;
			break;
		case F_THREADS:
			if (procfs_parse_i64(q, &end, &s) == -1 || s < 0)
				return -1;
			p->pp_threads = clamp_u32((uint64_t)s);
			break;
		case F_START:
			if (procfs_parse_u64(q, &end, &start) == -1)
				return -1;
			break;
		case F_RSS:
			/* The kernel clamps a negative count to 0; so do we. */
			if (procfs_parse_i64(q, &end, &s) == -1)
				return -1;
			if (s < 0)
				s = 0;
			u = (uint64_t)s;
			p->pp_rss_kb = page_kb > 0 &&
			    u > UINT32_MAX / page_kb ?
			    UINT32_MAX : (uint32_t)(u * page_kb);
			break;
		default:
			/* A field we do not use: a number, maybe signed. */
			if (procfs_parse_i64(q, &end, &s) == -1 &&
			    procfs_parse_u64(q, &end, &u) == -1)
				return -1;
			break;
		}
		q = end;
	}
	/*
	 * rss must end at a separator: a file cut inside it (or a tail cut
	 * at PROCFS_TAIL_MAX) ends in NUL instead, and is refused.
	 */
	if (*q != ' ' && *q != '\n')
		return -1;

	cpu = utime > UINT64_MAX - stime ? UINT64_MAX : utime + stime;
	p->pp_cpu_cs = ticks_to_cs(cpu, clk_tck);
	start_cs = ticks_to_cs(start, clk_tck);
	p->pp_age_s = uptime_cs > start_cs ?
	    clamp_u32((uptime_cs - start_cs) / 100) : 0;
	p->pp_cmdline = "";
	p->pp_cmdline_len = 0;
	p->pp_argv0_len = 0;
	return 0;
}

/* Name: is escaped by the kernel, so "\nUid:" cannot hide inside it. */
int
procfs_parse_status_uid(char *buf, size_t len, uint32_t *uid)
{
	const char *q, *end;
	uint64_t u;
	size_t off;

	if (len >= 4 && memcmp(buf, "Uid:", 4) == 0)
		off = 4;
	else {
		q = memmem(buf, len, "\nUid:", 5);
		if (q == NULL)
			return -1;
		off = (size_t)(q - buf) + 5;
	}
	/* A number cut at the end of the prefix ends in NUL: refused. */
	buf[len] = '\0';
	if (off >= len)
		return -1;
	q = buf + off;
	while (*q == '\t' || *q == ' ')
		q++;
	if (procfs_parse_u64(q, &end, &u) == -1 || u > UINT32_MAX ||
	    (*end != '\t' && *end != ' ' && *end != '\n'))
		return -1;
	*uid = (uint32_t)u;
	return 0;
}


int
procfs_parse_forks_line(const char *line, size_t len, uint64_t *forks)
{
	char num[PROCFS_NUM_MAX];
	const char *end;
	size_t n;

	if (len <= 10 || memcmp(line, "processes ", 10) != 0)
		return -1;
	n = len - 10;
	if (n > sizeof(num) - 1)
		return -1;
	memcpy(num, line + 10, n);
	num[n] = '\0';
	if (procfs_parse_u64(num, &end, forks) == -1 || *end != '\0')
		return -1;
	return 0;
}

/* Seconds, then hundredths (one digit means tenths, more are dropped). */
int
procfs_parse_uptime(const char *buf, uint64_t *cs)
{
	const char *end;
	uint64_t sec, frac = 0;
	int digits = 0;

	if (procfs_parse_u64(buf, &end, &sec) == -1 || sec > UINT64_MAX / 100)
		return -1;
	if (*end == '.') {
		for (end++; *end >= '0' && *end <= '9'; end++) {
			if (digits < 2)
				frac = frac * 10 + (uint64_t)(*end - '0');
			digits++;
		}
		if (digits == 0)
			return -1;
		if (digits == 1)
			frac *= 10;
	}
	if ((*end != ' ' && *end != '\n' && *end != '\0') ||
	    sec * 100 > UINT64_MAX - frac)
		return -1;
	*cs = sec * 100 + frac;
	return 0;
}

int
procfs_parse_pid_max(const char *buf, uint32_t *pid_max)
{
	const char *end;
	uint64_t v;

	if (procfs_parse_u64(buf, &end, &v) == -1 || v > UINT32_MAX ||
	    (*end != '\n' && *end != '\0'))
		return -1;
	*pid_max = (uint32_t)v;
	return 0;
}
