/*
 * loadgen3: the SNMPv3 load generator for bench/agent_v3.sh, so that
 * snmpd and the proctel agent are measured by one client doing the same
 * work for both, built on the agent's own codec and keys (snmp/v3cli.h,
 * which the unit tests prove against the agent and test_v3 against
 * net-snmp's captures).
 *
 *   loadgen3 get ADDR:PORT USER AUTH PRIV PASSWORD OID SECONDS WINDOW
 *	[SERVER_PID]
 *	Discovers the engine (probe, Report), localizes USER's keys (AUTH:
 *	MD5, SHA, SHA-224 .. SHA-512; PRIV: AES, AES-192, AES-256 or none;
 *	one PASSWORD for both), then keeps WINDOW GET requests of OID in
 *	flight at the user's level for SECONDS (batched with sendmmsg and
 *	recvmmsg) from LOADGEN_PROCS sender processes (default 1).  Every
 *	reply is verified, decrypted and decoded, and counted correct only
 *	when it is a Response to a msgID in flight with error-status 0 and
 *	one varbind naming OID with a value; wrong ones are counted apart by
 *	reason, and a notInTimeWindow Report makes the sender re-learn the
 *	engine's time.  Given the server's pid it prints the server's CPU
 *	microseconds per correct reply.  Prints one line, as loadgen does.
 *
 * Not a test: nothing here passes or fails.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench/loadgen.h"
#include "lib/clock.h"
#include "snmp/v3cli.h"

#define REQ_MAX		LG_REQ_MAX
#define REP_MAX		LG_REP_MAX

struct counts {
	unsigned long long	c_ok;
	unsigned long long	c_stale;	/* msgID not in flight */
	unsigned long long	c_unopened;	/* MAC, decryption, decoding */
	unsigned long long	c_report;	/* a Report, not a Response */
	unsigned long long	c_error;	/* error-status or -index */
	unsigned long long	c_varbind;
	unsigned long long	c_resets;	/* windows lost to a silence */
};

struct job {
	const char	*j_addr;
	const char	*j_user;
	enum usm_auth	 j_auth;
	enum usm_priv	 j_priv;
	const char	*j_pw;
	struct oid	 j_oid;
	int		 j_seconds;
	size_t		 j_window;
};

/* One sender: its user at the engine, and when it learned the time. */
struct sender {
	const struct job	*s_j;
	struct v3cli		 s_c;
	uint64_t		 s_t0;
	struct counts		*s_k;
};

static struct snmp_varbind vbs[4];

static void
die(const char *what)
{
	fprintf(stderr, "loadgen3: %s\n", what);
	exit(2);
}

static enum usm_auth
auth_of(const char *s)
{
	static const char *const n[] = { "none", "MD5", "SHA", "SHA-224",
	    "SHA-256", "SHA-384", "SHA-512" };
	size_t i;

	for (i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		if (strcmp(s, n[i]) == 0)
			return (enum usm_auth)i;
	die("AUTH: none, MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512");
	return USM_AUTH_NONE;
}

static enum usm_priv
priv_of(const char *s)
{
	if (strcmp(s, "none") == 0)
		return USM_PRIV_NONE;
	if (strcmp(s, "AES") == 0)
		return USM_PRIV_AES128;
	if (strcmp(s, "AES-192") == 0)
		return USM_PRIV_AES192;
	if (strcmp(s, "AES-256") == 0)
		return USM_PRIV_AES256;
	die("PRIV: none, AES, AES-192 or AES-256");
	return USM_PRIV_NONE;
}

/*
 * Discovery as a manager does it: a probe, the Report's engine ID, boots
 * and time; then the user's keys for that engine.  *t0 is when the time
 * was learned (the client's clock for snmpEngineTime).
 */
static void
discover(int fd, const struct job *j, int32_t msg_id, struct v3cli *c,
    uint64_t *t0)
{
	uint8_t buf[REP_MAX], eid[SNMP_MAX_ENGINE_ID];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	int32_t boots, etime;
	size_t len, eidlen;
	ssize_t n;
	int tries;

	for (tries = 0; tries < 5; tries++) {
		if (v3cli_probe(msg_id, buf, sizeof(buf), &len) != 0)
			die("cannot encode the probe");
		if (send(fd, buf, len, 0) == -1 || poll(&pfd, 1, 1000) != 1 ||
		    (n = recv(fd, buf, sizeof(buf), 0)) <= 0)
			continue;
		if (v3cli_learn(buf, (size_t)n, eid, &eidlen, &boots,
		    &etime) != 0)
			continue;
		if (v3cli_init(c, j->j_user, j->j_auth, j->j_pw, j->j_priv,
		    j->j_pw, eid, eidlen) != 0)
			die("cannot make the user's keys");
		c->c_boots = boots;
		c->c_time = etime;
		*t0 = clock_mono_ms();
		return;
	}
	die("no engine answered the discovery probe");
}

/* A GET of the job's OID at the user's level, at the engine's time now. */
static size_t
build(void *arg, int32_t id, uint8_t *buf)
{
	struct sender *sd = arg;
	struct v3cli *c = &sd->s_c;
	const struct oid *oid = &sd->s_j->j_oid;
	uint64_t t0 = sd->s_t0;
	struct snmp_reply r;
	struct snmp_value v = { .val_type = BER_NULL };
	const uint8_t *msg;
	uint8_t flags = c->c_level | SNMP_V3_FLAG_REPORTABLE;
	size_t scoped, len;
	int32_t base = c->c_time;

	c->c_time = base + (int32_t)((clock_mono_ms() - t0) / 1000);
	if (snmp_reply_init_scoped(&r, buf, REQ_MAX,
	    v3cli_scoped_max(c, flags, REQ_MAX), c->c_engine_id,
	    c->c_engine_id_len, NULL, 0, id) != 0 ||
	    snmp_reply_set_type(&r, SNMP_PDU_GET) != 0 ||
	    snmp_reply_add(&r, oid, &v) != 0 ||
	    snmp_reply_finish(&r, 0, 0, &msg, &scoped) != 0 ||
	    v3cli_wrap(c, id, flags, buf, REQ_MAX, scoped, &len) != 0)
		die("cannot encode a request");
	c->c_time = base;
	return len;
}

/* Judge one reply: the msgID in flight, then the answer itself. */
static void
judge(void *arg, struct lg_window *w, const uint8_t *buf, size_t len)
{
	static uint8_t plain[REP_MAX];
	struct sender *sd = arg;
	struct v3cli *c = &sd->s_c;
	const struct job *j = sd->s_j;
	struct counts *k = sd->s_k;
	struct snmp_v3_msg h;
	struct snmp_msg m;
	const struct snmp_value *v;
	int rc;

	rc = v3cli_open(c, buf, len, plain, &h, &m, vbs, 4);
	if (rc != 0 && rc != SNMP_ETOOMANY) {
		k->c_unopened++;
		return;
	}
	if (!lg_window_take(w, h.v3_msg_id)) {
		k->c_stale++;
		return;
	}
	if (m.m_pdu_type == SNMP_PDU_REPORT) {
		/* notInTimeWindow (authenticated): the engine's clock. */
		if (h.v3_flags & SNMP_V3_FLAG_AUTH) {
			c->c_boots = h.v3_boots;
			c->c_time = h.v3_time;
			sd->s_t0 = clock_mono_ms();
		}
		k->c_report++;
		return;
	}
	if (m.m_pdu_type != SNMP_PDU_RESPONSE || m.m_error_status != 0 ||
	    m.m_error_index != 0) {
		k->c_error++;
		return;
	}
	v = &vbs[0].vb_value;
	if (rc != 0 || m.m_nvbs != 1 || oid_cmp(&vbs[0].vb_oid, &j->j_oid) != 0 ||
	    v->val_type == BER_NULL || v->val_type == BER_NOSUCHOBJECT ||
	    v->val_type == BER_NOSUCHINSTANCE ||
	    v->val_type == BER_ENDOFMIBVIEW) {
		k->c_varbind++;
		return;
	}
	k->c_ok++;
}

static void
worker(const struct job *j, int index, struct counts *k)
{
	static struct lg_window w;
	static struct sender sd;
	uint64_t end;
	int fd;

	memset(k, 0, sizeof(*k));
	memset(&sd, 0, sizeof(sd));
	sd.s_j = j;
	sd.s_k = k;
	fd = lg_open_target("loadgen3", j->j_addr);
	lg_window_init(&w, fd, index, j->j_window);
	discover(fd, j, w.w_base, &sd.s_c, &sd.s_t0);
	/* Each sender its own salts (RFC 3826: never reuse one per key). */
	sd.s_c.c_salt = (uint64_t)(index + 1) << 56 | (uint64_t)getpid() << 24;
	end = clock_mono_ms() + 1000 * (uint64_t)j->j_seconds;
	while (clock_mono_ms() < end)
		k->c_resets += (unsigned long long)lg_window_round(&w, build,
		    judge, &sd);
	close(fd);
}

int
main(int argc, char **argv)
{
	const char *errstr, *pid = argc > 10 ? argv[10] : NULL;
	const char *procs_env = getenv("LOADGEN_PROCS");
	int procs = procs_env != NULL ? atoi(procs_env) : 1, fds[2], i, window;
	unsigned long long c0, c1, wrong;
	long tck = sysconf(_SC_CLK_TCK);
	struct counts sum, part;
	uint64_t start, elapsed;
	struct job j;

	if (argc < 10 || argc > 11 || strcmp(argv[1], "get") != 0) {
		fprintf(stderr, "usage: loadgen3 get ADDR:PORT USER AUTH PRIV "
		    "PASSWORD OID SECONDS WINDOW [SERVER_PID]\n");
		return 2;
	}
	memset(&j, 0, sizeof(j));
	j.j_addr = argv[2];
	j.j_user = argv[3];
	j.j_auth = auth_of(argv[4]);
	j.j_priv = priv_of(argv[5]);
	j.j_pw = argv[6];
	if (oid_parse(argv[7], &j.j_oid, &errstr) == -1)
		die(errstr);
	j.j_seconds = atoi(argv[8]);
	window = atoi(argv[9]);
	if (j.j_seconds < 1 || j.j_seconds > 600 || window < 1 ||
	    window > LG_WINDOW_MAX)
		die("SECONDS 1..600, WINDOW 1..1024");
	j.j_window = (size_t)window;
	if (procs < 1 || procs > LG_PROCS_MAX)
		procs = 1;
	if (pipe(fds) == -1) {
		perror("loadgen3: pipe");
		return 1;
	}
	c0 = lg_cpu_ticks(pid);
	start = clock_mono_ms();
	for (i = 0; i < procs; i++) {
		if (fork() == 0) {
			worker(&j, i, &part);
			_exit(write(fds[1], &part, sizeof(part)) ==
			    (ssize_t)sizeof(part) ? 0 : 1);
		}
	}
	close(fds[1]);
	memset(&sum, 0, sizeof(sum));
	while (read(fds[0], &part, sizeof(part)) == sizeof(part)) {
		sum.c_ok += part.c_ok;
		sum.c_stale += part.c_stale;
		sum.c_unopened += part.c_unopened;
		sum.c_report += part.c_report;
		sum.c_error += part.c_error;
		sum.c_varbind += part.c_varbind;
		sum.c_resets += part.c_resets;
	}
	while (wait(NULL) > 0)
		;
	elapsed = clock_mono_ms() - start;
	c1 = lg_cpu_ticks(pid);
	wrong = sum.c_unopened + sum.c_error + sum.c_varbind;
	printf("get: %llu correct in %.2f s: %.0f/s (%d senders); wrong %llu "
	    "(unopened %llu, error-status %llu, varbind %llu), reports %llu, "
	    "stale %llu, resets %llu", sum.c_ok, elapsed / 1000.0,
	    (double)sum.c_ok * 1000.0 / (double)elapsed, procs, wrong,
	    sum.c_unopened, sum.c_error, sum.c_varbind, sum.c_report,
	    sum.c_stale, sum.c_resets);
	if (pid != NULL && sum.c_ok > 0)
		printf(", server cpu %.2f us/reply",
		    (double)(c1 - c0) * 1e6 / (double)tck / (double)sum.c_ok);
	printf("\n");
	return 0;
}
