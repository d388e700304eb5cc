/*
 * Unit tests of the poll engine (collector/poll_*.c) against a tiny UDP
 * responder on 127.0.0.1, forked from the test, that misbehaves on
 * purpose according to the community it is asked with: tooBig above two
 * varbinds, every reply sent twice, every other request dropped, a walk
 * that loops, an empty GETBULK reply, silence.  The responder decodes and
 * encodes with net-snmp (snmp_parse/snmp_build); the engine is the real
 * one, driven by poll_engine_run.  No timing is asserted.
 */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <sys/socket.h>
#include <sys/wait.h>

#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "collector/poll.h"
#include "collector/poll_int.h"
#include "collector/run.h"
#include "collector/targets.h"
#include "config/config.h"
#include "tests/harness.h"

/* The responder's table: 1.3.6.1.4.1.99999.1.1.{2,3}.{1..5}, then .2.0. */
#define T_BASE		1, 3, 6, 1, 4, 1, 99999
static const oid t_after[] = { T_BASE, 2, 0 };

static int
t_comm(const netsnmp_pdu *pdu, const char *c)
{
	return pdu->community_len == strlen(c) &&
	    memcmp(pdu->community, c, pdu->community_len) == 0;
}

/* The n-th OID of the responder's MIB (0..9 table, 10 after), or NULL. */
static size_t
t_mib(size_t n, oid *out)
{
	static const oid tab[] = { T_BASE, 1, 1 };

	if (n < 10) {
		memcpy(out, tab, sizeof(tab));
		out[9] = 2 + n / 5;
		out[10] = 1 + n % 5;
		return 11;
	}
	if (n == 10) {
		memcpy(out, t_after, sizeof(t_after));
		return sizeof(t_after) / sizeof(oid);
	}
	return 0;
}

/* Index of the first MIB OID greater than name, 11 when none. */
static size_t
t_next(const oid *name, size_t len)
{
	oid o[MAX_OID_LEN];
	size_t n, olen;

	for (n = 0; (olen = t_mib(n, o)) != 0; n++)
		if (snmp_oid_compare(o, olen, name, len) > 0)
			return n;
	return n;
}

static void
t_answer_get(netsnmp_pdu *pdu)
{
	netsnmp_variable_list *v;
	long val, idx = 0;

	for (v = pdu->variables; v != NULL; v = v->next_variable) {
		idx++;
		val = (long)v->name[v->name_length - 2];
		if (val == 99) {
			if (pdu->version == SNMP_VERSION_1) {
				pdu->errstat = SNMP_ERR_NOSUCHNAME;
				pdu->errindex = idx;
				return;
			}
			snmp_set_var_typed_value(v, SNMP_NOSUCHOBJECT, NULL, 0);
		} else
			snmp_set_var_typed_value(v, ASN_INTEGER, &val,
			    sizeof(val));
	}
}

static void
t_answer_next(netsnmp_pdu *pdu, long reps, int loop)
{
	netsnmp_variable_list *in = pdu->variables, *out = NULL;
	oid o[MAX_OID_LEN];
	size_t n, olen;
	long r, val;

	n = t_next(in->name, in->name_length);
	for (r = 0; r < reps; r++, n++) {
		if (loop && r == 1)
			n--;	/* the same OID again */
		if ((olen = t_mib(n, o)) == 0) {
			snmp_varlist_add_variable(&out, in->name,
			    in->name_length, SNMP_ENDOFMIBVIEW, NULL, 0);
			break;
		}
		val = (long)(100 + n);
		snmp_varlist_add_variable(&out, o, olen, ASN_INTEGER, &val,
		    sizeof(val));
	}
	snmp_free_varbind(pdu->variables);
	pdu->variables = out;
}

static void
t_responder(int s)
{
	netsnmp_session sess;
	netsnmp_pdu *pdu;
	struct sockaddr_storage from;
	socklen_t flen;
	u_char in[65536], *pkt;
	size_t pktlen, offset;
	ssize_t n;
	unsigned long drops = 0;
	int copies, i;

	snmp_sess_init(&sess);
	for (;;) {
		flen = sizeof(from);
		n = recvfrom(s, in, sizeof(in), 0, (struct sockaddr *)&from,
		    &flen);
		if (n <= 0)
			_exit(0);	/* idle: SO_RCVTIMEO */
		if ((pdu = calloc(1, sizeof(*pdu))) == NULL)
			_exit(1);
		sess.version = SNMP_DEFAULT_VERSION;
		if (snmp_parse(NULL, &sess, pdu, in, (size_t)n) != 0) {
			snmp_free_pdu(pdu);
			continue;
		}
		copies = 1;
		/* "drop": every other request asked with it is lost. */
		if (t_comm(pdu, "silent") || (t_comm(pdu, "drop") &&
		    drops++ % 2 == 0)) {
			snmp_free_pdu(pdu);
			continue;
		}
		if (t_comm(pdu, "dup"))
			copies = 2;
		if (pdu->command == SNMP_MSG_GET) {
			if (t_comm(pdu, "toobig") &&
			    pdu->variables != NULL &&
			    pdu->variables->next_variable != NULL &&
			    pdu->variables->next_variable->next_variable != NULL) {
				pdu->errstat = SNMP_ERR_TOOBIG;
				pdu->errindex = 0;
			} else
				t_answer_get(pdu);
		} else if (pdu->command == SNMP_MSG_GETBULK) {
			long reps = pdu->max_repetitions;

			pdu->errstat = pdu->errindex = 0;
			if (t_comm(pdu, "empty")) {
				snmp_free_varbind(pdu->variables);
				pdu->variables = NULL;
			} else
				t_answer_next(pdu, reps, t_comm(pdu, "loop"));
		} else if (pdu->command == SNMP_MSG_GETNEXT)
			t_answer_next(pdu, 1, 0);
		pdu->command = SNMP_MSG_RESPONSE;
		sess.version = pdu->version;
		pktlen = 65536;
		offset = 0;
		pkt = malloc(pktlen);
		if (pkt != NULL && snmp_build(&pkt, &pktlen, &offset, &sess,
		    pdu) == 0)
			for (i = 0; i < copies; i++)
				(void)sendto(s, pkt + pktlen - offset, offset, 0,
				    (struct sockaddr *)&from, flen);
		free(pkt);
		snmp_free_pdu(pdu);
	}
}

static int t_sock = -1;
static uint16_t t_port;
static pid_t t_pid = -1;

static void
t_responder_socket(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct timeval tv = { 20, 0 };

	t_sock = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (t_sock == -1 || bind(t_sock, (struct sockaddr *)&sin,
	    sizeof(sin)) == -1 || getsockname(t_sock, (struct sockaddr *)&sin,
	    &len) == -1) {
		perror("responder socket");
		exit(1);
	}
	(void)setsockopt(t_sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	t_port = ntohs(sin.sin_port);
}

static void
t_responder_start(void)
{
	if ((t_pid = fork()) == 0)
		t_responder(t_sock);
	CHECK(t_pid > 0);
}

static struct cfg_collector *
t_config(const char *body)
{
	struct cfg_collector *cc;
	struct cfg_errors errs;
	char buf[4096];
	int n;

	memset(&errs, 0, sizeof(errs));
	n = snprintf(buf, sizeof(buf), "defaults: {port: %u, timeout_ms: 100, "
	    "retries: 2}\n%s", t_port, body);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	cc = cfg_collector_load_buf("test.yaml", buf, (size_t)n, &errs);
	if (cc == NULL)
		cfg_errors_print(&errs, stderr);
	cfg_errors_free(&errs);
	return cc;
}

static const char t_body[] =
"concurrency: 3\n"
"deadline_s: 20\n"
"targets:\n"
"  - {host: 127.0.0.1, name: plain}\n"
"  - {host: 127.0.0.1, name: toobig, community: toobig}\n"
"  - {host: 127.0.0.1, name: dup, community: dup}\n"
"  - {host: 127.0.0.1, name: drop, community: drop}\n"
"  - {host: 127.0.0.1, name: loop, community: loop}\n"
"  - {host: 127.0.0.1, name: empty, community: empty}\n"
"  - {host: 127.0.0.1, name: silent, community: silent, retries: 1}\n"
"  - {host: 127.0.0.1, name: v1, version: 1}\n"
"metrics:\n"
"  - {name: a, oid: 1.3.6.1.4.1.99999.3.1.0}\n"
"  - {name: b, oid: 1.3.6.1.4.1.99999.3.2.0}\n"
"  - {name: missing, oid: 1.3.6.1.4.1.99999.3.99.0}\n"
"  - {name: c, oid: 1.3.6.1.4.1.99999.3.3.0}\n"
"  - {name: d, oid: 1.3.6.1.4.1.99999.3.4.0}\n"
"tables:\n"
"  - {name: t, oid: 1.3.6.1.4.1.99999.1.1}\n";

static struct sample	 t_s[8];
static struct poll_stats t_st;
static int		 t_ran;

/* Kept for the other tests, freed at the end of main. */
static struct cfg_collector	*t_cc;
static struct target_list	 t_tl;
static struct poll_engine	*t_pe;
static struct run_arena		*t_a;

static void
t_run_once(void)
{
	char err[256];

	if (t_ran)
		return;
	t_ran = 1;
	if ((t_cc = t_config(t_body)) == NULL ||
	    targets_select(t_cc, 0, 0, &t_tl) == -1 || t_tl.tl_n != 8) {
		CHECK(!"config");
		return;
	}
	t_pe = poll_engine_new(t_cc, &t_tl, err, sizeof(err));
	CHECK(t_pe != NULL);
	t_a = run_arena_new();
	if (t_pe == NULL || t_a == NULL)
		return;
	t_responder_start();
	CHECK_INT(poll_engine_run(t_pe, t_s, t_a, 1234, NULL, NULL, &t_st, err,
	    sizeof(err)), ==, 0);
}

static int
t_values_ok(const struct sample *s)
{
	static const char *const names[] = { "a", "b", "c", "d" };
	size_t i;

	if (s->sa_nvalues != 4)
		return 0;
	for (i = 0; i < 4; i++)
		if (strcmp(s->sa_values[i].sv_name, names[i]) != 0 ||
		    s->sa_values[i].sv_kind != SV_INT ||
		    s->sa_values[i].sv_int != (int64_t)i + 1)
			return 0;
	return 1;
}

static void
a_plain_agent_gives_every_value_and_the_whole_table(void)
{
	const struct sample_table *t;

	t_run_once();
	CHECK_INT(t_s[0].sa_status, ==, SAMPLE_OK);
	CHECK_STR(t_s[0].sa_target->ct_name, "plain");
	CHECK_U64(t_s[0].sa_time_ms, ==, 1234);
	CHECK_INT(t_s[0].sa_attempts, ==, 1);
	CHECK(t_values_ok(&t_s[0]));
	CHECK_INT(t_s[0].sa_ntables, ==, 1);
	t = &t_s[0].sa_tables[0];
	CHECK_STR(t->st_name, "t");
	CHECK_INT(t->st_nrows, ==, 5);
	if (t->st_nrows == 5) {
		CHECK_STR(t->st_rows[4].sr_index, "5");
		CHECK_INT(t->st_rows[4].sr_ncols, ==, 2);
		CHECK_STR(t->st_rows[4].sr_cols[1].sv_name, "3");
		CHECK_INT(t->st_rows[4].sr_cols[1].sv_int, ==, 109);
	}
}

static void
toobig_splits_the_get_until_it_fits(void)
{
	t_run_once();
	CHECK_INT(t_s[1].sa_status, ==, SAMPLE_OK);
	CHECK(t_values_ok(&t_s[1]));
	CHECK_INT(t_s[1].sa_tables[0].st_nrows, ==, 5);
}

static void
duplicate_replies_are_counted_not_used_twice(void)
{
	t_run_once();
	CHECK_INT(t_s[2].sa_status, ==, SAMPLE_OK);
	CHECK(t_values_ok(&t_s[2]));
	CHECK_INT(t_s[2].sa_tables[0].st_nrows, ==, 5);
	CHECK_U64(t_st.ps_late, >=, 2);
}

static void
a_lost_request_is_retried_and_counted(void)
{
	t_run_once();
	CHECK_INT(t_s[3].sa_status, ==, SAMPLE_OK);
	CHECK(t_values_ok(&t_s[3]));
	CHECK_INT(t_s[3].sa_attempts, ==, 2);
	CHECK_INT(t_s[3].sa_tables[0].st_nrows, ==, 5);
	CHECK_U64(t_st.ps_retries, >=, 2);
}

static void
a_looping_or_empty_walk_ends_with_what_it_had(void)
{
	t_run_once();
	CHECK_INT(t_s[4].sa_status, ==, SAMPLE_OK);
	CHECK_INT(t_s[4].sa_tables[0].st_nrows, ==, 1);
	CHECK_INT(t_s[5].sa_status, ==, SAMPLE_OK);
	CHECK_INT(t_s[5].sa_tables[0].st_nrows, ==, 0);
	CHECK_STR(t_s[5].sa_tables[0].st_name, "t");
}

static void
silence_is_a_timeout_after_every_retry(void)
{
	t_run_once();
	CHECK_INT(t_s[6].sa_status, ==, SAMPLE_TIMEOUT);
	/* retries: 1, so two attempts, both recorded. */
	CHECK_INT(t_s[6].sa_attempts, ==, 2);
	CHECK_INT(t_s[6].sa_nvalues, ==, 0);
	CHECK_STR(t_s[6].sa_error, "no response after 2 attempts");
}

static void
v1_nosuchname_drops_one_varbind_and_getnext_walks(void)
{
	t_run_once();
	CHECK_INT(t_s[7].sa_status, ==, SAMPLE_OK);
	CHECK(t_values_ok(&t_s[7]));
	CHECK_INT(t_s[7].sa_tables[0].st_nrows, ==, 5);
}

static void
the_run_deadline_ends_a_run_that_would_wait(void)
{
	struct cfg_collector *cc;
	struct target_list tl;
	struct poll_engine *pe;
	struct run_arena *a = run_arena_new();
	struct sample s[2];
	char err[256];

	cc = t_config("deadline_s: 1\nconcurrency: 1\ntargets:\n"
	    "  - {host: 127.0.0.1, name: s1, community: silent, "
	    "timeout_ms: 5000}\n"
	    "  - {host: 127.0.0.1, name: s2, community: silent}\n");
	CHECK(cc != NULL);
	if (cc == NULL || targets_select(cc, 0, 0, &tl) == -1)
		return;
	pe = poll_engine_new(cc, &tl, err, sizeof(err));
	CHECK(pe != NULL);
	if (pe != NULL) {
		CHECK_INT(poll_engine_run(pe, s, a, 0, NULL, NULL, NULL, err,
		    sizeof(err)), ==, 0);
		CHECK_INT(s[0].sa_status, ==, SAMPLE_TIMEOUT);
		CHECK_STR(s[0].sa_error, "run deadline reached");
		CHECK_INT(s[1].sa_status, ==, SAMPLE_TIMEOUT);
		CHECK_STR(s[1].sa_error,
		    "run deadline reached before it was polled");
	}
	poll_engine_free(pe);
	targets_free(&tl);
	cfg_collector_free(cc);
	run_arena_free(a);
}

static void
a_retry_never_waits_less_than_the_attempt_before(void)
{
	static const uint32_t firsts[] = { 1, 100, 1000, 29999, 30000, 30001,
	    59999, 60000, 60001, 300000, 600000 };
	uint32_t t, next;
	size_t i, k;

	CHECK_INT(poll_next_timeout(1000), ==, 2000);
	CHECK_INT(poll_next_timeout(40000), ==, POLL_TIMEOUT_MAX_MS);
	CHECK_INT(poll_next_timeout(600000), ==, 600000);
	for (i = 0; i < sizeof(firsts) / sizeof(firsts[0]); i++) {
		/* Twenty retries, the most a config allows. */
		for (t = firsts[i], k = 0; k < 20; k++, t = next) {
			next = poll_next_timeout(t);
			CHECK_INT(next, >=, t);
			CHECK_INT(next, <=, t > POLL_TIMEOUT_MAX_MS ? t :
			    POLL_TIMEOUT_MAX_MS);
		}
	}
}

int
main(void)
{
	int status;

	t_responder_socket();
	RUN(a_plain_agent_gives_every_value_and_the_whole_table);
	RUN(toobig_splits_the_get_until_it_fits);
	RUN(duplicate_replies_are_counted_not_used_twice);
	RUN(a_lost_request_is_retried_and_counted);
	RUN(a_looping_or_empty_walk_ends_with_what_it_had);
	RUN(silence_is_a_timeout_after_every_retry);
	RUN(v1_nosuchname_drops_one_varbind_and_getnext_walks);
	RUN(the_run_deadline_ends_a_run_that_would_wait);
	RUN(a_retry_never_waits_less_than_the_attempt_before);
	if (t_pid > 0) {
		kill(t_pid, SIGTERM);
		(void)waitpid(t_pid, &status, 0);
	}
	poll_engine_free(t_pe);
	run_arena_free(t_a);
	targets_free(&t_tl);
	cfg_collector_free(t_cc);
	close(t_sock);
	return t_done();
}
