/*
 * scrape: the load for snmp_exporter in bench/collector.sh, playing
 * Prometheus scraping every target once, with as many scrapes in flight
 * as the collector polls targets at once, so both pollers get the same
 * concurrency.  C and epoll so that the client's own CPU stays small
 * next to the exporter's on a 2-core machine.
 *
 *   scrape HOST:PORT MODULE HOSTSFILE INFLIGHT DEADLINE_S
 *
 * Fetches http://HOST:PORT/snmp?target=T&module=MODULE for every line T
 * of HOSTSFILE, keeping INFLIGHT requests open (one HTTP/1.0 connection
 * each, as Prometheus opens per scrape near enough), and abandons what is
 * left after DEADLINE_S seconds.  A scrape counts as answered only when
 * the reply is HTTP 200 and carries every metric of bench's module
 * (sysUpTime, sysName, ptProcesses, ptZombies) and
 * snmp_scrape_pdus_returned 4.  Prints one line:
 *   fetched N answered M failed F wall S client cpu C
 * Not a test: it asserts nothing.
 */
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/addr.h"
#include "lib/clock.h"

#define TARGETS_MAX	100000
#define INFLIGHT_MAX	4096
#define TARGET_LEN	64	/* "127.255.255.255:65535" and more */
#define REPLY_MAX	16384	/* the module's reply is about 1 KiB */

struct conn {
	int	cn_fd;		/* -1: free */
	bool	cn_sent;
	size_t	cn_target;	/* index into targets[] */
	size_t	cn_len;
	char	cn_buf[REPLY_MAX];
};

static char targets[TARGETS_MAX][TARGET_LEN];
static struct conn conns[INFLIGHT_MAX];

static const char *const wanted[] = {
	"\nsysUpTime ", "\nsysName{", "\nptProcesses ", "\nptZombies ",
	"\nsnmp_scrape_pdus_returned 4\n",
};

static bool
answered(struct conn *c)
{
	size_t i;

	c->cn_buf[c->cn_len] = '\0';
	if (strncmp(c->cn_buf, "HTTP/1.", 7) != 0 ||
	    strncmp(c->cn_buf + 8, " 200 ", 5) != 0)
		return false;
	for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (strstr(c->cn_buf, wanted[i]) == NULL)
			return false;
	return true;
}

static size_t
read_targets(const char *path)
{
	char line[256];
	size_t n = 0, len;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		perror(path);
		exit(1);
	}
	while (n < TARGETS_MAX && fgets(line, sizeof(line), f) != NULL) {
		len = strcspn(line, "\r\n");
		if (len == 0 || len >= TARGET_LEN)
			continue;
		memcpy(targets[n], line, len);
		targets[n][len] = '\0';
		n++;
	}
	fclose(f);
	return n;
}

/* Open a connection for the next target into c; false when it failed. */
static bool
start(struct conn *c, int ep, const struct sockaddr_storage *ss,
    socklen_t sslen)
{
	struct epoll_event ev = { .events = EPOLLOUT, .data.ptr = c };
	int fd;

	c->cn_fd = -1;
	c->cn_sent = false;
	c->cn_len = 0;
	fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return false;
	if ((connect(fd, (const struct sockaddr *)ss, sslen) == -1 &&
	    errno != EINPROGRESS) || epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
		close(fd);
		return false;
	}
	c->cn_fd = fd;
	return true;
}

static void
finish(struct conn *c, int ep)
{
	epoll_ctl(ep, EPOLL_CTL_DEL, c->cn_fd, NULL);
	close(c->cn_fd);
	c->cn_fd = -1;
}

int
main(int argc, char **argv)
{
	static struct epoll_event evs[256];
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct rusage ru;
	const char *errstr;
	size_t ntargets, next = 0, fetched = 0, ok = 0, failed = 0, open = 0;
	size_t i, inflight;
	uint64_t t0, end;
	int ep, n, k, deadline;

	if (argc != 6) {
		fprintf(stderr, "usage: scrape HOST:PORT MODULE HOSTSFILE "
		    "INFLIGHT DEADLINE_S\n");
		return 2;
	}
	if (addr_parse_endpoint(argv[1], 80, &ss, &sslen, &errstr) == -1) {
		fprintf(stderr, "scrape: %s: %s\n", argv[1], errstr);
		return 2;
	}
	inflight = (size_t)atoi(argv[4]);
	deadline = atoi(argv[5]);
	if (inflight < 1 || inflight > INFLIGHT_MAX || deadline < 1 ||
	    deadline > 3600 || strlen(argv[2]) > 64) {
		fprintf(stderr, "scrape: INFLIGHT 1..%d, DEADLINE_S 1..3600, "
		    "MODULE <= 64 octets\n", INFLIGHT_MAX);
		return 2;
	}
	ntargets = read_targets(argv[3]);
	if ((ep = epoll_create1(0)) == -1) {
		perror("scrape: epoll");
		return 1;
	}
	t0 = clock_mono_ms();
	end = t0 + 1000 * (uint64_t)deadline;
	for (i = 0; i < inflight; i++)
		conns[i].cn_fd = -1;
	for (;;) {
		/* Fill every free slot while targets are left. */
		for (i = 0; i < inflight && next < ntargets; i++) {
			if (conns[i].cn_fd != -1)
				continue;
			fetched++;
			conns[i].cn_target = next++;
			if (start(&conns[i], ep, &ss, sslen))
				open++;
			else
				failed++;
		}
		if (open == 0 || clock_mono_ms() >= end)
			break;
		n = epoll_wait(ep, evs, 256, 100);
		for (k = 0; k < n; k++) {
			struct conn *c = evs[k].data.ptr;
			char req[256];
			ssize_t r;
			int len;

			if (!c->cn_sent) {
				struct epoll_event ev = { .events = EPOLLIN,
				    .data.ptr = c };

				len = snprintf(req, sizeof(req), "GET /snmp?"
				    "target=%s&module=%s HTTP/1.0\r\nHost: %s"
				    "\r\n\r\n", targets[c->cn_target], argv[2],
				    argv[1]);
				c->cn_sent = true;
				if (len < 0 || (size_t)len >= sizeof(req) ||
				    write(c->cn_fd, req, (size_t)len) != len ||
				    epoll_ctl(ep, EPOLL_CTL_MOD, c->cn_fd,
				    &ev) == -1) {
					finish(c, ep);
					open--;
					failed++;
				}
				continue;
			}
			r = read(c->cn_fd, c->cn_buf + c->cn_len,
			    REPLY_MAX - 1 - c->cn_len);
			if (r > 0) {
				c->cn_len += (size_t)r;
				if (c->cn_len < REPLY_MAX - 1)
					continue;
			} else if (r == -1 && errno == EAGAIN) {
				continue;
			}
			/* EOF, error or a reply too big to be ours. */
			if (r == 0 && answered(c))
				ok++;
			else
				failed++;
			finish(c, ep);
			open--;
		}
	}
	/* What the deadline cut off: open scrapes and unstarted targets. */
	failed += open + (ntargets - next);
	getrusage(RUSAGE_SELF, &ru);
	printf("fetched %zu answered %zu failed %zu wall %.3f client cpu "
	    "%.3f\n", fetched, ok, failed, (clock_mono_ms() - t0) / 1000.0,
	    ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	return 0;
}
