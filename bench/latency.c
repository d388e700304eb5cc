/*
 * latency ADDR:PORT COMMUNITY OID COUNT RATE: the reply latency of one
 * server, as a poller sees it.  Sends COUNT v2c GETs of OID at RATE per
 * second on a fixed schedule (open loop: a slow reply does not delay the
 * next request, so a stall shows in every request it holds up), matches
 * replies by request-id, and prints
 *	"sent N answered M p50 X us p99.9 Y us max Z us"
 * counting an unanswered request as its wait until the end (at least 1 s
 * after the last send).  Requests are built and replies checked with our
 * codec (snmp/), which is tested against net-snmp's.  Asserts nothing.
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/clock.h"
#include "snmp/pdu.h"

#define LAT_MAX		1000000
#define LAT_REQID0	0x20000000

static struct snmp_varbind vbs[SNMP_MAX_VARBINDS];

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static size_t
build(uint8_t *buf, size_t cap, const char *community, int32_t reqid,
    const struct oid *oid)
{
	struct snmp_reply r;
	struct snmp_value v = { .val_type = BER_NULL };
	const uint8_t *msg;
	size_t len;

	if (snmp_reply_init(&r, buf, cap, cap, SNMP_VERSION_2C,
	    (const uint8_t *)community, strlen(community), reqid) != 0 ||
	    snmp_reply_set_type(&r, SNMP_PDU_GET) != 0 ||
	    snmp_reply_add(&r, oid, &v) != 0 ||
	    snmp_reply_finish(&r, 0, 0, &msg, &len) != 0) {
		fprintf(stderr, "latency: cannot encode request\n");
		exit(2);
	}
	return len;
}

/* Read every reply waiting; note the latency of each one we sent. */
static void
drain(int fd, const uint64_t *sent, uint64_t *lat, size_t n,
    size_t *answered)
{
	uint8_t buf[4096];
	struct snmp_msg m;
	uint64_t now;
	ssize_t len;
	size_t i;

	while ((len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		now = clock_mono_ns();
		memset(&m, 0, sizeof(m));
		if (snmp_msg_decode(buf, (size_t)len, &m, vbs,
		    SNMP_MAX_VARBINDS) != 0 || m.m_error_status != 0)
			continue;
		i = (size_t)(m.m_request_id - LAT_REQID0);
		if (m.m_request_id < LAT_REQID0 || i >= n || lat[i] != 0)
			continue;
		lat[i] = now - sent[i] + 1;
		(*answered)++;
	}
}

int
main(int argc, char **argv)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct pollfd pfd;
	const char *errstr;
	uint64_t *sent, *lat, t0, next, period, end, now;
	uint8_t req[1500];
	struct oid oid;
	size_t n, i, answered = 0, len;
	long rate;
	int fd, ms;

	if (argc != 6) {
		fprintf(stderr, "usage: latency ADDR:PORT COMMUNITY OID COUNT "
		    "RATE\n");
		return 2;
	}
	n = strtoul(argv[4], NULL, 10);
	rate = strtol(argv[5], NULL, 10);
	if (n == 0 || n > LAT_MAX || rate <= 0 || rate > 100000 ||
	    oid_parse(argv[3], &oid, &errstr) != 0 ||
	    addr_parse_endpoint(argv[1], 161, &ss, &sslen, &errstr) == -1) {
		fprintf(stderr, "latency: bad arguments\n");
		return 2;
	}
	if ((sent = calloc(n, sizeof(*sent))) == NULL ||
	    (lat = calloc(n, sizeof(*lat))) == NULL)
		return 1;
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd == -1 || connect(fd, (struct sockaddr *)&ss, sslen) == -1) {
		perror("latency: socket");
		return 1;
	}
	period = 1000000000ULL / (uint64_t)rate;
	t0 = clock_mono_ns();
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (i = 0; i < n; i++) {
		next = t0 + i * period;
		while ((now = clock_mono_ns()) < next) {
			ms = (int)((next - now) / 1000000);
			if (poll(&pfd, 1, ms) > 0)
				drain(fd, sent, lat, n, &answered);
		}
		len = build(req, sizeof(req), argv[2],
		    (int32_t)(LAT_REQID0 + i), &oid);
		sent[i] = clock_mono_ns();
		if (send(fd, req, len, 0) == -1 && errno != ECONNREFUSED)
			perror("latency: send");
	}
	end = clock_mono_ns() + 1000000000ULL;
	while (answered < n && clock_mono_ns() < end)
		if (poll(&pfd, 1, 10) > 0)
			drain(fd, sent, lat, n, &answered);
	for (i = 0; i < n; i++)
		if (lat[i] == 0)
			lat[i] = end - sent[i];
	qsort(lat, n, sizeof(*lat), cmp_u64);
	printf("sent %zu answered %zu p50 %.0f us p99.9 %.0f us max %.0f us\n",
	    n, answered, (double)lat[n / 2] / 1000,
	    (double)lat[(n * 999) / 1000] / 1000, (double)lat[n - 1] / 1000);
	close(fd);
	free(sent);
	free(lat);
	return 0;
}
