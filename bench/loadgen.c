/*
 * loadgen: the one load generator for the agent benchmark, so snmpd, the
 * proctel agent and the echo limit are measured the same way.
 *
 *   loadgen get ADDR:PORT COMMUNITY OID SECONDS WINDOW [SERVER_PID]
 *	Keeps WINDOW v2c GET requests in flight for SECONDS (batched with
 *	sendmmsg/recvmmsg), decodes every reply and counts as served only a
 *	correct answer: a Response-PDU, same version and community, a
 *	request-id that is in flight, error-status and error-index 0, one
 *	varbind naming OID with a value (not NULL, noSuchObject,
 *	noSuchInstance or endOfMibView).  Other replies are counted apart as
 *	wrong (by reason), and replies to no request in flight (late after a
 *	lost-datagram reset, or duplicates) as stale.  Given the server's pid
 *	it also prints the server's CPU microseconds per correct reply.
 *   loadgen echo ADDR:PORT COMMUNITY OID SECONDS WINDOW [SERVER_PID]
 *	The same against bench/echo: a correct answer is the request itself
 *	(GetRequest-PDU, NULL value), decoded and matched the same way, so
 *	the client does the same work for the echo limit as for the agents.
 *   loadgen walk ADDR:PORT COMMUNITY OID REPETITIONS SECONDS [SERVER_PID]
 *	Walks the subtree OID with GETBULK, one request at a time, again and
 *	again for SECONDS (at least 3 walks, at most WALK_MAX) after one
 *	untimed walk that fills the server's cache, and prints
 *	the varbinds and requests per walk, the largest reply, the median
 *	wall time per walk, the client's CPU per walk and, given the
 *	server's pid, the server's CPU per walk: utime + stime from
 *	/proc/PID/stat before and after, divided by the walks, with the tick
 *	count so the resolution shows.  Any reply with a non-zero
 *	error-status or an unexpected request-id ends the walk run (exit 1).
 *
 * Requests are built and replies decoded with our codec (snmp/), which is
 * tested against net-snmp's; tests/integration/bench_loadgen.sh checks
 * that the counts above tell right from wrong.  Not a test itself.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/loadgen.h"
#include "lib/clock.h"
#include "snmp/pdu.h"

#define REQ_MAX		512	/* one GET of one OID, community <= 255 */
#define WALK_MAX	100000
#define WALK_REQ_MAX	1000000	/* a walk that never ends is a bug */

/* What one sender saw; summed over the senders through a pipe. */
struct counts {
	uint64_t	c_ok;
	uint64_t	c_stale;	/* request-id not in flight */
	uint64_t	c_undecodable;	/* snmp_msg_decode refused it */
	uint64_t	c_header;	/* PDU type, version or community */
	uint64_t	c_error;	/* error-status or error-index not 0 */
	uint64_t	c_varbind;	/* not exactly OID with a value */
	uint64_t	c_resets;	/* windows abandoned after a silence */
};

struct target {
	const char	*t_community;
	struct oid	 t_oid;
	bool		 t_echo;	/* expect the request back */
};

/* What the window's callbacks share. */
struct sender {
	const struct target	*s_t;
	struct counts		*s_c;
};

static struct snmp_varbind vbs[SNMP_MAX_VARBINDS];

static size_t
build(uint8_t *buf, size_t cap, uint8_t type, const char *community,
    int32_t reqid, const struct oid *oid, int32_t f1, int32_t f2)
{
	struct snmp_reply r;
	struct snmp_value v = { .val_type = BER_NULL };
	const uint8_t *msg;
	size_t len;

	if (snmp_reply_init(&r, buf, cap, cap, SNMP_VERSION_2C,
	    (const uint8_t *)community, strlen(community), reqid) != 0 ||
	    snmp_reply_set_type(&r, type) != 0 ||
	    snmp_reply_add(&r, oid, &v) != 0 ||
	    snmp_reply_finish(&r, f1, f2, &msg, &len) != 0) {
		fprintf(stderr, "loadgen: cannot encode request\n");
		exit(2);
	}
	return len;
}

/* This process's user + system CPU in microseconds. */
static uint64_t
self_cpu_us(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return 0;
	return (uint64_t)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec +
	    (uint64_t)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec;
}

static size_t
get_build(void *arg, int32_t id, uint8_t *buf)
{
	const struct target *t = ((struct sender *)arg)->s_t;

	return build(buf, LG_REQ_MAX, SNMP_PDU_GET, t->t_community, id,
	    &t->t_oid, 0, 0);
}

/* Judge one reply: the request-id in flight, then the answer itself. */
static void
judge(void *arg, struct lg_window *w, const uint8_t *buf, size_t len)
{
	const struct target *t = ((struct sender *)arg)->s_t;
	struct counts *c = ((struct sender *)arg)->s_c;
	struct snmp_msg m;
	const struct snmp_value *v;
	int rc;

	rc = snmp_msg_decode(buf, len, &m, vbs, 4);
	if (rc != 0 && rc != SNMP_ETOOMANY) {
		c->c_undecodable++;
		return;
	}
	if (!lg_window_take(w, m.m_request_id)) {
		c->c_stale++;
		return;
	}
	if (m.m_pdu_type != (t->t_echo ? SNMP_PDU_GET : SNMP_PDU_RESPONSE) ||
	    m.m_version != SNMP_VERSION_2C ||
	    m.m_community_len != strlen(t->t_community) ||
	    memcmp(m.m_community, t->t_community, m.m_community_len) != 0) {
		c->c_header++;
		return;
	}
	if (m.m_error_status != 0 || m.m_error_index != 0) {
		c->c_error++;
		return;
	}
	v = &vbs[0].vb_value;
	if (rc != 0 || m.m_nvbs != 1 || oid_cmp(&vbs[0].vb_oid, &t->t_oid) != 0 ||
	    (t->t_echo ? v->val_type != BER_NULL :
	    (v->val_type == BER_NULL || v->val_type == BER_NOSUCHOBJECT ||
	    v->val_type == BER_NOSUCHINSTANCE ||
	    v->val_type == BER_ENDOFMIBVIEW))) {
		c->c_varbind++;
		return;
	}
	c->c_ok++;
}

/* One sender process: what it got in `seconds`. */
static void
get_worker(const char *addr, const struct target *t, int index, int seconds,
    size_t window, struct counts *c)
{
	static struct lg_window w;
	struct sender sd = { t, c };
	uint64_t end;

	memset(c, 0, sizeof(*c));
	lg_window_init(&w, lg_open_target("loadgen", addr), index, window);
	end = clock_mono_ms() + 1000 * (uint64_t)seconds;
	while (clock_mono_ms() < end)
		c->c_resets += (uint64_t)lg_window_round(&w, get_build, judge,
		    &sd);
	close(w.w_fd);
}

static void
counts_add(struct counts *sum, const struct counts *c)
{
	sum->c_ok += c->c_ok;
	sum->c_stale += c->c_stale;
	sum->c_undecodable += c->c_undecodable;
	sum->c_header += c->c_header;
	sum->c_error += c->c_error;
	sum->c_varbind += c->c_varbind;
	sum->c_resets += c->c_resets;
}

/*
 * Drive the server from LOADGEN_PROCS processes (default 1) at once: on
 * loopback one sender process can be slower than the server it measures.
 */
static int
run_get(int argc, char **argv, bool echo)
{
	const char *errstr, *pid = argc > 7 ? argv[7] : NULL;
	const char *procs_env = getenv("LOADGEN_PROCS");
	int procs = procs_env != NULL ? atoi(procs_env) : 1;
	int seconds = atoi(argv[5]), window = atoi(argv[6]), fds[2], i;
	uint64_t start, elapsed, wrong;
	unsigned long long c0, c1;
	long tck = sysconf(_SC_CLK_TCK);
	struct counts sum, part;
	struct target t = { .t_community = argv[3], .t_echo = echo };

	if (oid_parse(argv[4], &t.t_oid, &errstr) == -1) {
		fprintf(stderr, "loadgen: %s: %s\n", argv[4], errstr);
		return 2;
	}
	if (strlen(t.t_community) > SNMP_MAX_COMMUNITY ||
	    seconds < 1 || seconds > 600 || window < 1 ||
	    window > LG_WINDOW_MAX) {
		fprintf(stderr, "loadgen: community <= %d octets, SECONDS "
		    "1..600, WINDOW 1..%d\n", SNMP_MAX_COMMUNITY, LG_WINDOW_MAX);
		return 2;
	}
	if (procs < 1 || procs > LG_PROCS_MAX)
		procs = 1;
	if (pipe(fds) == -1) {
		perror("loadgen: pipe");
		return 1;
	}
	c0 = lg_cpu_ticks(pid);
	start = clock_mono_ms();
	for (i = 0; i < procs; i++) {
		if (fork() == 0) {
			get_worker(argv[2], &t, i, seconds, (size_t)window,
			    &part);
			/* A short write shows as a missing part. */
			_exit(write(fds[1], &part, sizeof(part)) ==
			    (ssize_t)sizeof(part) ? 0 : 1);
		}
	}
	close(fds[1]);
	memset(&sum, 0, sizeof(sum));
	while (read(fds[0], &part, sizeof(part)) == sizeof(part))
		counts_add(&sum, &part);
	while (wait(NULL) > 0)
		;
	elapsed = clock_mono_ms() - start;
	c1 = lg_cpu_ticks(pid);
	wrong = sum.c_undecodable + sum.c_header + sum.c_error +
	    sum.c_varbind;
	printf("%s: %llu correct in %.2f s: %.0f/s (%d senders); wrong %llu "
	    "(undecodable %llu, header %llu, error-status %llu, varbind %llu), "
	    "stale %llu, resets %llu", echo ? "echo" : "get",
	    (unsigned long long)sum.c_ok, elapsed / 1000.0,
	    sum.c_ok * 1000.0 / (double)elapsed, procs,
	    (unsigned long long)wrong, (unsigned long long)sum.c_undecodable,
	    (unsigned long long)sum.c_header, (unsigned long long)sum.c_error,
	    (unsigned long long)sum.c_varbind, (unsigned long long)sum.c_stale,
	    (unsigned long long)sum.c_resets);
	if (pid != NULL && sum.c_ok > 0)
		printf(", server cpu %.2f us/reply",
		    (double)(c1 - c0) * 1e6 / (double)tck / (double)sum.c_ok);
	printf("\n");
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * One walk of base at max-repetitions reps.  Returns 0 with the varbinds,
 * requests and largest reply, or -1 after saying why on stderr.
 */
static int
walk_once(int fd, const char *community, const struct oid *base,
    int32_t reps, int32_t *reqid, size_t *nvb, size_t *nreq, size_t *maxrep)
{
	static uint8_t req[REQ_MAX], rep[65536];
	struct oid cur = *base;
	struct snmp_msg m;
	size_t len, i;
	bool done = false;

	*nvb = 0;
	*nreq = 0;
	while (!done) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (*nreq >= WALK_REQ_MAX) {
			fprintf(stderr, "loadgen: walk: over %d requests\n",
			    WALK_REQ_MAX);
			return -1;
		}
		*reqid = *reqid == INT32_MAX ? 1 : *reqid + 1;
		len = build(req, sizeof(req), SNMP_PDU_GETBULK, community,
		    *reqid, &cur, 0, reps);
		(*nreq)++;
		if (send(fd, req, len, 0) == -1 ||
		    poll(&pfd, 1, 2000) != 1 ||
		    (r = recv(fd, rep, sizeof(rep), 0)) <= 0) {
			fprintf(stderr, "loadgen: walk: no reply\n");
			return -1;
		}
		if ((size_t)r > *maxrep)
			*maxrep = (size_t)r;
		if (snmp_msg_decode(rep, (size_t)r, &m, vbs,
		    SNMP_MAX_VARBINDS) != 0 || m.m_request_id != *reqid ||
		    m.m_pdu_type != SNMP_PDU_RESPONSE || m.m_nvbs == 0) {
			fprintf(stderr, "loadgen: walk: bad reply\n");
			return -1;
		}
		if (m.m_error_status != 0) {
			fprintf(stderr, "loadgen: walk: error-status %d\n",
			    (int)m.m_error_status);
			return -1;
		}
		for (i = 0; i < m.m_nvbs && !done; i++) {
			if (!oid_is_prefix(base, &vbs[i].vb_oid) ||
			    vbs[i].vb_value.val_type == BER_ENDOFMIBVIEW ||
			    oid_cmp(&vbs[i].vb_oid, &cur) <= 0) {
				done = true;
				break;
			}
			cur = vbs[i].vb_oid;
			(*nvb)++;
		}
	}
	return 0;
}

static int
run_walk(int argc, char **argv)
{
	static uint64_t times[WALK_MAX];
	struct oid base;
	const char *errstr, *pid = argc > 7 ? argv[7] : NULL;
	unsigned long long c0, c1;
	uint64_t end, u0, u1;
	size_t nvb = 0, nreq = 0, maxrep = 0, count = 0;
	int32_t reqid = 0, reps = atoi(argv[5]);
	int fd, seconds = atoi(argv[6]);
	long tck = sysconf(_SC_CLK_TCK);

	if (oid_parse(argv[4], &base, &errstr) == -1) {
		fprintf(stderr, "loadgen: %s: %s\n", argv[4], errstr);
		return 2;
	}
	if (strlen(argv[3]) > SNMP_MAX_COMMUNITY || reps < 1 ||
	    seconds < 1 || seconds > 600) {
		fprintf(stderr, "loadgen: community <= %d octets, REPETITIONS "
		    ">= 1, SECONDS 1..600\n", SNMP_MAX_COMMUNITY);
		return 2;
	}
	fd = lg_open_target("loadgen", argv[2]);
	/* One walk untimed: the first fills either agent's cache. */
	if (walk_once(fd, argv[3], &base, reps, &reqid, &nvb, &nreq,
	    &maxrep) == -1)
		return 1;
	c0 = lg_cpu_ticks(pid);
	u0 = self_cpu_us();
	end = clock_mono_ns() + (uint64_t)seconds * 1000000000u;
	while (count < WALK_MAX && (count < 3 || clock_mono_ns() < end)) {
		uint64_t t0 = clock_mono_ns();

		if (walk_once(fd, argv[3], &base, reps, &reqid, &nvb, &nreq,
		    &maxrep) == -1)
			return 1;
		times[count++] = clock_mono_ns() - t0;
	}
	c1 = lg_cpu_ticks(pid);
	u1 = self_cpu_us();
	qsort(times, count, sizeof(times[0]), cmp_u64);
	printf("walk: %zu varbinds in %zu requests (largest reply %zu "
	    "octets), median %.3f ms over %zu walks, client cpu %.3f ms/walk",
	    nvb, nreq, maxrep, times[count / 2] / 1e6, count,
	    (double)(u1 - u0) / 1e3 / (double)count);
	if (pid != NULL)
		printf(", server cpu %.3f ms/walk (%llu ticks)",
		    (double)(c1 - c0) * 1e3 / (double)tck / (double)count,
		    c1 - c0);
	printf("\n");
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 7 && strcmp(argv[1], "get") == 0)
		return run_get(argc, argv, false);
	if (argc >= 7 && strcmp(argv[1], "echo") == 0)
		return run_get(argc, argv, true);
	if (argc >= 7 && strcmp(argv[1], "walk") == 0)
		return run_walk(argc, argv);
	fprintf(stderr, "usage: loadgen get|echo ADDR:PORT COMMUNITY OID "
	    "SECONDS WINDOW [PID]\n       loadgen walk ADDR:PORT COMMUNITY "
	    "OID REPETITIONS SECONDS [PID]\n");
	return 2;
}
