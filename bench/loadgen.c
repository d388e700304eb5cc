/*
 * loadgen: the one load generator for the agent benchmark, so snmpd, the
 * proctel agent and the echo limit are measured the same way.
 *
 *   loadgen get ADDR:PORT COMMUNITY OID SECONDS WINDOW [SERVER_PID]
 *	Keeps WINDOW v2c GET requests in flight for SECONDS (batched with
 *	sendmmsg/recvmmsg) and prints replies per second, and, given the
 *	server's pid, the server's CPU microseconds per reply.
 *   loadgen walk ADDR:PORT COMMUNITY OID REPETITIONS COUNT [SERVER_PID]
 *	Walks the subtree OID with GETBULK COUNT times, one request at a
 *	time, and prints the median walk time and the varbinds per walk.
 *
 * Requests are built and replies decoded with our codec (snmp/), which is
 * tested against net-snmp's; loadgen itself asserts nothing.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/clock.h"
#include "snmp/pdu.h"

#define BATCH	32

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

/* utime + stime of pid in clock ticks, or 0 when unknown. */
static unsigned long long
cpu_ticks(const char *pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	FILE *f;
	size_t n;

	if (pid == NULL)
		return 0;
	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
	    &ut, &st) != 2)
		return 0;
	return ut + st;
}

static int
open_target(const char *target, struct sockaddr_storage *ss, socklen_t *sslen)
{
	const char *errstr;
	int fd;

	if (addr_parse_endpoint(target, 161, ss, sslen, &errstr) == -1) {
		fprintf(stderr, "loadgen: %s: %s\n", target, errstr);
		exit(2);
	}
	fd = socket(ss->ss_family, SOCK_DGRAM, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)ss, *sslen) == -1) {
		perror("loadgen: socket");
		exit(1);
	}
	return fd;
}

/* One sender process: returns the replies it got in `seconds`. */
static uint64_t
get_worker(const char *target, const char *community, const struct oid *oid,
    int seconds, size_t window)
{
	static uint8_t req[1500], rbuf[BATCH][2048];
	struct mmsghdr sm[BATCH], rm[BATCH];
	struct iovec siov[BATCH], riov[BATCH];
	struct sockaddr_storage ss;
	socklen_t sslen;
	uint64_t end, now, got = 0;
	size_t len, inflight = 0;
	int fd, i, n;

	fd = open_target(target, &ss, &sslen);
	len = build(req, sizeof(req), SNMP_PDU_GET, community, 0x01020304,
	    oid, 0, 0);
	for (i = 0; i < BATCH; i++) {
		siov[i] = (struct iovec){ req, len };
		riov[i] = (struct iovec){ rbuf[i], sizeof(rbuf[i]) };
		memset(&sm[i], 0, sizeof(sm[i]));
		memset(&rm[i], 0, sizeof(rm[i]));
		sm[i].msg_hdr.msg_iov = &siov[i];
		sm[i].msg_hdr.msg_iovlen = 1;
		rm[i].msg_hdr.msg_iov = &riov[i];
		rm[i].msg_hdr.msg_iovlen = 1;
	}
	now = clock_mono_ms();
	end = now + 1000 * (uint64_t)seconds;
	{
		/* A lost datagram must not stall the window: wake up. */
		struct timeval tv = { .tv_sec = 0, .tv_usec = 20000 };

		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	while (now < end) {
		while (inflight < window) {
			size_t k = window - inflight > BATCH ? BATCH :
			    window - inflight;

			n = sendmmsg(fd, sm, (unsigned)k, 0);
			if (n <= 0)
				break;
			inflight += (size_t)n;
		}
		n = recvmmsg(fd, rm, BATCH, MSG_WAITFORONE, NULL);
		if (n > 0) {
			got += (uint64_t)n;
			inflight -= (size_t)n > inflight ? inflight : (size_t)n;
		} else if (errno == EAGAIN || errno == EWOULDBLOCK) {
			/* Lost on loopback (queue overflow): refill. */
			inflight = 0;
		}
		now = clock_mono_ms();
	}
	close(fd);
	return got;
}

/*
 * Drive the server from LOADGEN_PROCS processes (default 1) at once: on
 * loopback one sender process can be slower than the server it measures.
 */
static int
run_get(int argc, char **argv)
{
	const char *errstr, *pid = argc > 7 ? argv[7] : NULL;
	const char *procs_env = getenv("LOADGEN_PROCS");
	int procs = procs_env != NULL ? atoi(procs_env) : 1;
	int seconds = atoi(argv[5]), fds[2], i;
	uint64_t start, elapsed, got = 0, part;
	unsigned long long c0, c1;
	long tck = sysconf(_SC_CLK_TCK);
	struct oid oid;

	if (oid_parse(argv[4], &oid, &errstr) == -1) {
		fprintf(stderr, "loadgen: %s: %s\n", argv[4], errstr);
		return 2;
	}
	if (procs < 1 || procs > 16)
		procs = 1;
	if (pipe(fds) == -1) {
		perror("loadgen: pipe");
		return 1;
	}
	c0 = cpu_ticks(pid);
	start = clock_mono_ms();
	for (i = 0; i < procs; i++) {
		if (fork() == 0) {
			part = get_worker(argv[2], argv[3], &oid, seconds,
			    (size_t)atoi(argv[6]));
			(void)write(fds[1], &part, sizeof(part));
			_exit(0);
		}
	}
	close(fds[1]);
	while (read(fds[0], &part, sizeof(part)) == sizeof(part))
		got += part;
	while (wait(NULL) > 0)
		;
	elapsed = clock_mono_ms() - start;
	c1 = cpu_ticks(pid);
	printf("get: %llu replies in %.2f s: %.0f/s (%d senders)",
	    (unsigned long long)got, elapsed / 1000.0,
	    got * 1000.0 / (double)elapsed, procs);
	if (pid != NULL && got > 0)
		printf(", server cpu %.2f us/reply",
		    (double)(c1 - c0) * 1e6 / (double)tck / (double)got);
	printf("\n");
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
run_walk(int argc, char **argv)
{
	static uint8_t req[1500], rep[65536];
	static uint64_t times[1000];
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct oid base, cur;
	struct snmp_msg m;
	const char *errstr, *pid = argc > 7 ? argv[7] : NULL;
	unsigned long long c0, c1;
	size_t len, nvb = 0, k, count, nreq = 0;
	int32_t reqid = 1, reps;
	int fd;
	long tck = sysconf(_SC_CLK_TCK);

	if (oid_parse(argv[4], &base, &errstr) == -1) {
		fprintf(stderr, "loadgen: %s: %s\n", argv[4], errstr);
		return 2;
	}
	fd = open_target(argv[2], &ss, &sslen);
	reps = atoi(argv[5]);
	count = (size_t)atoi(argv[6]);
	if (count < 1 || count > 1000)
		count = 10;
	c0 = cpu_ticks(pid);
	for (k = 0; k < count; k++) {
		uint64_t t0 = clock_mono_ns();
		bool done = false;

		cur = base;
		nvb = 0;
		nreq = 0;
		while (!done) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			ssize_t r;
			size_t i;

			len = build(req, sizeof(req), SNMP_PDU_GETBULK, argv[3],
			    ++reqid, &cur, 0, reps);
			nreq++;
			if (send(fd, req, len, 0) == -1 ||
			    poll(&pfd, 1, 2000) != 1 ||
			    (r = recv(fd, rep, sizeof(rep), 0)) <= 0) {
				fprintf(stderr, "loadgen: walk: no reply\n");
				return 1;
			}
			if (snmp_msg_decode(rep, (size_t)r, &m, vbs,
			    SNMP_MAX_VARBINDS) != 0 || m.m_request_id != reqid ||
			    m.m_nvbs == 0) {
				fprintf(stderr, "loadgen: walk: bad reply\n");
				return 1;
			}
			for (i = 0; i < m.m_nvbs && !done; i++) {
				if (!oid_is_prefix(&base, &vbs[i].vb_oid) ||
				    vbs[i].vb_value.val_type ==
				    BER_ENDOFMIBVIEW ||
				    oid_cmp(&vbs[i].vb_oid, &cur) <= 0) {
					done = true;
					break;
				}
				cur = vbs[i].vb_oid;
				nvb++;
			}
		}
		times[k] = clock_mono_ns() - t0;
	}
	c1 = cpu_ticks(pid);
	qsort(times, count, sizeof(times[0]), cmp_u64);
	printf("walk: %zu varbinds in %zu requests, median %.2f ms over %zu "
	    "walks", nvb, nreq, times[count / 2] / 1e6, count);
	if (pid != NULL)
		printf(", server cpu %.2f ms/walk",
		    (double)(c1 - c0) * 1e3 / (double)tck / (double)count);
	printf("\n");
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 7 && strcmp(argv[1], "get") == 0)
		return run_get(argc, argv);
	if (argc >= 7 && strcmp(argv[1], "walk") == 0)
		return run_walk(argc, argv);
	fprintf(stderr, "usage: loadgen get ADDR:PORT COMMUNITY OID SECONDS "
	    "WINDOW [PID]\n       loadgen walk ADDR:PORT COMMUNITY OID "
	    "REPETITIONS COUNT [PID]\n");
	return 2;
}
