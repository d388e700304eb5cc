/*
 * poll_engine: setting the poll engine up (see poll.h): net-snmp's
 * start-up, one session and socket per target registered with epoll, the
 * window slots and timers, and the reset before each run.  The per-target
 * state machine is poll_target.c, the event loop poll_loop.c.
 */
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/names.h"
#include "collector/poll_int.h"
#include "collector/sched.h"
#include "lib/addr.h"
#include "lib/log.h"

static int
poll_open_one(struct poll_engine *pe, uint32_t tid, struct poll_keys *ks,
    char *err, size_t errlen)
{
	const struct cfg_target *ct = pe->pe_tl->tl_targets[tid];
	struct epoll_event ev;
	char addr[80];
	int fd;

	pe->pe_t[tid].pt_sess = poll_sess_open(ct, ks, &fd, err, errlen);
	if (pe->pe_t[tid].pt_sess == NULL)
		return -1;
	pe->pe_t[tid].pt_fd = fd;
	/*
	 * net-snmp matches replies by request id only; a connected socket
	 * makes the kernel drop other sources and report ICMP unreachable.
	 */
	if (connect(fd, (const struct sockaddr *)&ct->ct_addr,
	    ct->ct_addrlen) == -1)
		log_warn("target %s: connect %s", ct->ct_name,
		    addr_format((const struct sockaddr *)&ct->ct_addr, addr,
		    sizeof(addr)));
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.u32 = tid;
	if (epoll_ctl(pe->pe_ep, EPOLL_CTL_ADD, fd, &ev) == -1) {
		snprintf(err, errlen, "epoll_ctl: %s", strerror(errno));
		return -1;
	}
	return 0;
}

struct poll_engine *
poll_engine_new(const struct cfg_collector *cc, const struct target_list *tl,
    char *err, size_t errlen)
{
	struct poll_engine *pe;
	struct poll_keys *ks = NULL;
	size_t i, n = tl->tl_n;
	int maxfd = 0;

	if (poll_sess_lib_init(err, errlen) == -1)
		return NULL;
	if (poll_sess_nofile(n, err, errlen) == -1)
		return NULL;
	if ((pe = calloc(1, sizeof(*pe))) == NULL)
		goto nomem;
	pe->pe_ep = -1;
	pe->pe_cc = cc;
	pe->pe_tl = tl;
	pe->pe_n = n;
	pe->pe_max_target = cc->cc_max_target_bytes > SIZE_MAX ? SIZE_MAX :
	    (size_t)cc->cc_max_target_bytes;
	pe->pe_max_run = cc->cc_max_run_bytes > SIZE_MAX ? SIZE_MAX :
	    (size_t)cc->cc_max_run_bytes;
	pe->pe_nslots = cc->cc_concurrency < n ? cc->cc_concurrency : n;
	if (pe->pe_nslots == 0)
		pe->pe_nslots = 1;
	pe->pe_t = calloc(n ? n : 1, sizeof(*pe->pe_t));
	pe->pe_walks = calloc(pe->pe_nslots, sizeof(*pe->pe_walks));
	pe->pe_free = calloc(pe->pe_nslots, sizeof(*pe->pe_free));
	pe->pe_sched = sched_new(n);
	pe->pe_entries = calloc(cc->cc_ntables ? cc->cc_ntables : 1,
	    sizeof(*pe->pe_entries));
	pe->pe_v3reg = poll_v3reg_new();
	ks = poll_keys_new();
	if (pe->pe_v3reg == NULL || ks == NULL || pe->pe_t == NULL ||
	    pe->pe_walks == NULL || pe->pe_free == NULL ||
	    pe->pe_sched == NULL || pe->pe_entries == NULL)
		goto nomem;
	for (i = 0; i < cc->cc_ntables; i++)
		(void)names_table_entry(&cc->cc_tables[i].ct_oid,
		    &pe->pe_entries[i]);
	if ((pe->pe_ep = epoll_create1(EPOLL_CLOEXEC)) == -1) {
		snprintf(err, errlen, "epoll_create1: %s", strerror(errno));
		goto fail;
	}
	for (i = 0; i < n; i++)
		pe->pe_t[i].pt_fd = -1;
	for (i = 0; i < n; i++) {
		if (poll_open_one(pe, (uint32_t)i, ks, err, errlen) == -1)
			goto fail;
		if (pe->pe_t[i].pt_fd > maxfd)
			maxfd = pe->pe_t[i].pt_fd;
	}
	/* Size the shared read set once; snmp_sess_read2 only tests bits. */
	netsnmp_large_fd_set_init(&pe->pe_lfs, maxfd + 1 > FD_SETSIZE ?
	    maxfd + 1 : FD_SETSIZE);
	pe->pe_lfs_init = true;
	poll_keys_free(ks);
	return pe;
nomem:
	snprintf(err, errlen, "out of memory");
fail:
	poll_keys_free(ks);
	poll_engine_free(pe);
	return NULL;
}

void
poll_engine_free(struct poll_engine *pe)
{
	size_t i;

	if (pe == NULL)
		return;
	if (pe->pe_t != NULL)
		for (i = 0; i < pe->pe_n; i++)
			if (pe->pe_t[i].pt_sess != NULL)
				snmp_sess_close(pe->pe_t[i].pt_sess);
	if (pe->pe_lfs_init)
		netsnmp_large_fd_set_cleanup(&pe->pe_lfs);
	if (pe->pe_ep != -1)
		close(pe->pe_ep);
	sched_free(pe->pe_sched);
	free(pe->pe_t);
	free(pe->pe_walks);
	free(pe->pe_free);
	free(pe->pe_entries);
	poll_v3reg_free(pe->pe_v3reg);
	free(pe);
}

void
poll_reset(struct poll_engine *pe, struct sample *samples,
    struct run_arena *arena, uint64_t run_start_ms)
{
	size_t i;

	pe->pe_samples = samples;
	pe->pe_arena = arena;
	memset(&pe->pe_stats, 0, sizeof(pe->pe_stats));
	pe->pe_next_start = 0;
	pe->pe_bytes = 0;
	pe->pe_done = pe->pe_ok = pe->pe_timeout = pe->pe_error = 0;
	pe->pe_nomem = false;
	for (i = 0; i < pe->pe_nslots; i++)
		pe->pe_free[i] = (uint32_t)(pe->pe_nslots - 1 - i);
	pe->pe_nfree = pe->pe_nslots;
	for (i = 0; i < pe->pe_n; i++) {
		struct ptgt *t = &pe->pe_t[i], keep = *t;

		/* Only the session, generation and v3 state outlive a run. */
		sched_cancel(pe->pe_sched, (uint32_t)i);
		memset(t, 0, sizeof(*t));
		t->pt_sess = keep.pt_sess;
		t->pt_fd = keep.pt_fd;
		t->pt_gen = keep.pt_gen;
		t->pt_v3_ready = keep.pt_v3_ready;
		t->pt_chunk = POLL_VARBINDS_MAX;
		t->pt_reps = POLL_BULK_REPS;
		memset(&samples[i], 0, sizeof(samples[i]));
		samples[i].sa_target = pe->pe_tl->tl_targets[i];
		samples[i].sa_time_ms = run_start_ms;
	}
}
