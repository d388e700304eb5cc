/*
 * push: sending a remote sink's batches in order, with retries within the
 * run's deadline and the spool behind (see push.h).  It knows nothing of
 * the bodies: remote_write and influx_http encode, this sends.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "collector/http.h"
#include "collector/push.h"
#include "collector/targets.h"
#include "lib/clock.h"
#include "lib/log.h"

/* The first retry waits this long, doubling up to PUSH_BACKOFF_MAX_MS. */
#define PUSH_BACKOFF_MS		250
#define PUSH_BACKOFF_MAX_MS	8000
/* A token or password longer than this is not one. */
#define PUSH_SECRET_MAX		4096

struct push {
	char			*p_type;	/* "remote_write", for messages */
	char			 p_url[256];	/* redacted, for messages */
	struct http_client	*p_http;
	struct spool		*p_spool;	/* NULL: spool.max_mb 0 */
	char			*p_dir;		/* the spool's directory */
	uint32_t		 p_retries;
	struct sink_outcome	 p_last;	/* the last run's, from the dir */
	bool			 p_has_last;
	/* The run under way. */
	uint64_t		 p_deadline_ns;
	bool			 p_down;	/* stopped sending this run */
	bool			 p_warned_reject;
	bool			 p_warned_spool;
	struct sink_outcome	 p_out;
	struct spool_drop	 p_drop;	/* made room in the spool */
};

char *
push_read_secret(const char *path, char *err, size_t errlen)
{
	char buf[PUSH_SECRET_MAX + 2], *s;
	size_t len = 0, i;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	while (len < sizeof(buf) && (n = read(fd, buf + len,
	    sizeof(buf) - len)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			close(fd);
			explicit_bzero(buf, sizeof(buf));
			return NULL;
		}
		len += (size_t)n;
	}
	close(fd);
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	s = NULL;
	if (len == 0)
		snprintf(err, errlen, "%s: empty", path);
	else if (len > PUSH_SECRET_MAX)
		snprintf(err, errlen, "%s: longer than %d bytes", path,
		    PUSH_SECRET_MAX);
	else {
		for (i = 0; i < len; i++)
			if ((unsigned char)buf[i] < 0x20 ||
			    (unsigned char)buf[i] == 0x7f)
				break;
		if (i < len)
			snprintf(err, errlen, "%s: more than one line, or a "
			    "control byte", path);
		else if ((s = strndup(buf, len)) == NULL)
			snprintf(err, errlen, "%s: out of memory", path);
	}
	explicit_bzero(buf, sizeof(buf));
	return s;
}

static void
push_secret_free(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

/* proctel-spool/TYPE-HASH in the directory of the config file. */
static char *
push_default_spool(const char *type, const char *config, const char *url)
{
	const char *slash = config != NULL ? strrchr(config, '/') : NULL;
	int dlen = slash == NULL ? 1 : slash == config ? 1 :
	    (int)(slash - config);
	char *p;

	if (asprintf(&p, "%.*s/proctel-spool/%s-%08x", dlen,
	    slash != NULL ? config : ".", type, targets_hash(url)) == -1)
		return NULL;
	return p;
}

/* "Name: value" of an authorization from a token file; NULL on failure. */
static char *
push_token(const char *scheme, const char *path, char *err, size_t errlen)
{
	char *tok, *v;

	if ((tok = push_read_secret(path, err, errlen)) == NULL)
		return NULL;
	if (asprintf(&v, "%s %s", scheme, tok) == -1) {
		snprintf(err, errlen, "out of memory");
		v = NULL;
	}
	push_secret_free(tok);
	return v;
}

/*
 * The last run's outcome, kept in DIR/last-run as one line of numbers
 * (written, replayed, spooled, rejected, lost, backlog, retries) so that
 * a collector run from cron can report it in its self-metrics.
 */
static void
push_last_load(struct push *p)
{
	struct sink_outcome *o = &p->p_last;
	char path[4096];
	FILE *fp;
	int n;

	n = snprintf(path, sizeof(path), "%s/last-run", p->p_dir);
	if (n < 0 || (size_t)n >= sizeof(path) ||
	    (fp = fopen(path, "re")) == NULL)
		return;
	p->p_has_last = fscanf(fp, "%" SCNu64 " %" SCNu64 " %" SCNu64 " %"
	    SCNu64 " %" SCNu64 " %" SCNu64 " %" SCNu64, &o->so_written,
	    &o->so_replayed, &o->so_spooled, &o->so_rejected, &o->so_lost,
	    &o->so_backlog, &o->so_retries) == 7;
	fclose(fp);
}

/* Replace DIR/last-run; losing it in a crash costs one run's figures. */
static void
push_last_save(struct push *p)
{
	const struct sink_outcome *o = &p->p_out;
	char path[4096], tmp[4200];
	FILE *fp;
	int n, m;

	if (p->p_dir == NULL)
		return;
	n = snprintf(path, sizeof(path), "%s/last-run", p->p_dir);
	m = snprintf(tmp, sizeof(tmp), "%s/.tmp-last-run", p->p_dir);
	if (n < 0 || (size_t)n >= sizeof(path) || m < 0 ||
	    (size_t)m >= sizeof(tmp) || (fp = fopen(tmp, "we")) == NULL)
		return;
	fprintf(fp, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
	    " %" PRIu64 " %" PRIu64 "\n", o->so_written, o->so_replayed,
	    o->so_spooled, o->so_rejected, o->so_lost, o->so_backlog,
	    o->so_retries);
	if (fclose(fp) != 0 || rename(tmp, path) == -1)
		(void)unlink(tmp);
}

int
push_last(const struct push *p, struct sink_outcome *o)
{
	if (!p->p_has_last)
		return -1;
	*o = p->p_last;
	return 0;
}

struct push *
push_open(const char *type, const char *url, const struct cfg_remote *cr,
    const char *config, enum spool_kind kind, const char *const *headers,
    char *err, size_t errlen)
{
	struct http_conf hc;
	struct spool_drop drop = { 0, 0 };
	struct push *p;
	char *password = NULL, *auth = NULL, *dir = NULL, e2[256];
	uint64_t max = (uint64_t)CFG_REMOTE_SPOOL_MB * 1024 * 1024;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->p_type = strdup(type)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	http_url_redact(url, p->p_url, sizeof(p->p_url));
	memset(&hc, 0, sizeof(hc));
	hc.hc_url = url;
	hc.hc_timeout_ms = cr != NULL ? cr->cr_timeout_ms :
	    CFG_REMOTE_TIMEOUT_MS;
	hc.hc_headers = headers;
	p->p_retries = cr != NULL ? cr->cr_retries : CFG_REMOTE_RETRIES;
	if (cr != NULL) {
		hc.hc_ca_file = cr->cr_ca_file;
		if (cr->cr_user != NULL) {
			hc.hc_user = cr->cr_user;
			if ((password = push_read_secret(cr->cr_password_file,
			    e2, sizeof(e2))) == NULL)
				goto fail_secret;
			hc.hc_password = password;
		}
		if (cr->cr_bearer_token_file != NULL && (auth = push_token(
		    "Bearer", cr->cr_bearer_token_file, e2, sizeof(e2))) ==
		    NULL)
			goto fail_secret;
		/* InfluxDB 2 takes its API token as "Token", not "Bearer". */
		if (cr->cr_token_file != NULL && (auth = push_token("Token",
		    cr->cr_token_file, e2, sizeof(e2))) == NULL)
			goto fail_secret;
		hc.hc_authorization = auth;
		max = cr->cr_spool_max_bytes;
	}
	if ((p->p_http = http_client_new(&hc, e2, sizeof(e2))) == NULL) {
		snprintf(err, errlen, "%s %s: %s", type, p->p_url, e2);
		goto fail;
	}
	push_secret_free(password);
	push_secret_free(auth);
	password = auth = NULL;
	if (max > 0) {
		if (cr != NULL && cr->cr_spool_dir != NULL)
			dir = strdup(cr->cr_spool_dir);
		else
			dir = push_default_spool(type, config, url);
		if (dir == NULL) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		if ((p->p_spool = spool_open(dir, max, kind, &drop, e2,
		    sizeof(e2))) == NULL) {
			snprintf(err, errlen, "%s %s: %s", type, p->p_url, e2);
			goto fail;
		}
		if (drop.sd_batches > 0)
			log_warnx("%s %s: %llu damaged spool batches removed",
			    type, p->p_url,
			    (unsigned long long)drop.sd_batches);
		if (spool_batches(p->p_spool) > 0)
			log_info("%s %s: %zu batches (%llu samples) wait in "
			    "spool %s", type, p->p_url,
			    spool_batches(p->p_spool), (unsigned long long)
			    spool_samples(p->p_spool), dir);
		p->p_dir = dir;
		dir = NULL;
		push_last_load(p);
	}
	return p;
fail_secret:
	snprintf(err, errlen, "%s %s: %s", type, p->p_url, e2);
fail:
	push_secret_free(password);
	push_secret_free(auth);
	free(dir);
	push_close(p);
	return NULL;
}

static void
push_sleep_ms(uint64_t ms)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ms / 1000);
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* One batch, with retries; the verdict of the last attempt. */
static enum http_verdict
push_send(struct push *p, const void *body, size_t len, uint32_t nsamples,
    bool from_spool)
{
	struct http_reply r;
	enum http_verdict v;
	uint64_t backoff = PUSH_BACKOFF_MS, wait, now, deadline;
	uint32_t attempt;

	deadline = p->p_deadline_ns != 0 ? p->p_deadline_ns : UINT64_MAX;
	for (attempt = 0;; attempt++) {
		v = http_post(p->p_http, body, len, deadline, &r);
		if (v == HTTP_SENT)
			return v;
		if (v == HTTP_REJECTED) {
			if (!p->p_warned_reject)
				log_warnx("%s %s: the store refused a batch of "
				    "%u samples%s: HTTP %ld: %s", p->p_type,
				    p->p_url, nsamples, from_spool ?
				    " from the spool" : "", r.hr_status,
				    r.hr_msg[0] != '\0' ? r.hr_msg :
				    "(no message)");
			p->p_warned_reject = true;
			return v;
		}
		if (v == HTTP_RETRY && attempt < p->p_retries) {
			wait = r.hr_retry_after_ms >= 0 ?
			    (uint64_t)r.hr_retry_after_ms : backoff;
			backoff = backoff * 2 > PUSH_BACKOFF_MAX_MS ?
			    PUSH_BACKOFF_MAX_MS : backoff * 2;
			now = clock_mono_ns();
			if (now < deadline &&
			    wait * 1000000ULL < deadline - now) {
				log_debug("%s %s: %s%s; retry in %llu ms",
				    p->p_type, p->p_url, r.hr_status != 0 ?
				    "HTTP error " : "", r.hr_msg,
				    (unsigned long long)wait);
				push_sleep_ms(wait);
				p->p_out.so_retries++;
				continue;
			}
		}
		break;
	}
	if (r.hr_status != 0)
		log_warnx("%s %s: HTTP %ld after %u attempts: %s; spooling "
		    "until it takes batches again", p->p_type, p->p_url,
		    r.hr_status, attempt + 1, r.hr_msg[0] != '\0' ?
		    r.hr_msg : "(no message)");
	else
		log_warnx("%s %s: %s (after %u attempts); spooling until it "
		    "answers", p->p_type, p->p_url, r.hr_msg, attempt + 1);
	return v;
}

/* Keep a batch of this run for the next one. */
static void
push_spool(struct push *p, const void *body, size_t len, uint32_t nsamples,
    uint64_t time_ms)
{
	char err[256];
	int rc;

	if (p->p_spool == NULL) {
		p->p_out.so_lost += nsamples;
		if (!p->p_warned_spool)
			log_warnx("%s %s: no spool (max_mb 0): the run's "
			    "samples the store did not take are lost",
			    p->p_type, p->p_url);
		p->p_warned_spool = true;
		return;
	}
	rc = spool_add(p->p_spool, nsamples, time_ms, body, len, &p->p_drop,
	    err, sizeof(err));
	if (rc == 0)
		p->p_out.so_spooled += nsamples;
	else if (rc == -1) {
		p->p_out.so_lost += nsamples;
		if (!p->p_warned_spool)
			log_warnx("%s %s: %s; the batch is lost", p->p_type,
			    p->p_url, err);
		p->p_warned_spool = true;
	}
}

void
push_begin(struct push *p, uint64_t deadline_ns)
{
	struct spool_hdr h;
	void *body;
	char err[256];
	int rc;

	memset(&p->p_out, 0, sizeof(p->p_out));
	memset(&p->p_drop, 0, sizeof(p->p_drop));
	p->p_deadline_ns = deadline_ns;
	p->p_down = false;
	p->p_warned_reject = p->p_warned_spool = false;
	while (!p->p_down && spool_batches(p->p_spool) > 0) {
		rc = spool_first(p->p_spool, &h, &body, &p->p_drop, err,
		    sizeof(err));
		if (rc == 1)
			break;
		if (rc == -1) {
			log_warnx("%s %s: %s", p->p_type, p->p_url, err);
			p->p_down = true;
			break;
		}
		switch (push_send(p, body, h.sh_body_len, h.sh_nsamples,
		    true)) {
		case HTTP_SENT:
			p->p_out.so_written += h.sh_nsamples;
			p->p_out.so_replayed += h.sh_nsamples;
			break;
		case HTTP_REJECTED:
			p->p_out.so_rejected += h.sh_nsamples;
			break;
		default:
			p->p_down = true;
			break;
		}
		free(body);
		if (!p->p_down && spool_shift(p->p_spool, err,
		    sizeof(err)) == -1)
			log_warnx("%s %s: %s", p->p_type, p->p_url, err);
	}
}

void
push_batch(struct push *p, const void *body, size_t len, uint32_t nsamples,
    uint64_t time_ms)
{
	if (!p->p_down && spool_batches(p->p_spool) == 0) {
		switch (push_send(p, body, len, nsamples, false)) {
		case HTTP_SENT:
			p->p_out.so_written += nsamples;
			return;
		case HTTP_REJECTED:
			p->p_out.so_rejected += nsamples;
			return;
		default:
			p->p_down = true;
			break;
		}
	}
	push_spool(p, body, len, nsamples, time_ms);
}

int
push_end(struct push *p, int nomem, struct sink_outcome *o, char *err,
    size_t errlen)
{
	p->p_out.so_lost += p->p_drop.sd_samples;
	if (p->p_drop.sd_batches > 0)
		log_warnx("%s %s: spool full: dropped the %llu oldest batches "
		    "(%llu samples)", p->p_type, p->p_url,
		    (unsigned long long)p->p_drop.sd_batches,
		    (unsigned long long)p->p_drop.sd_samples);
	p->p_out.so_backlog = spool_samples(p->p_spool);
	*o = p->p_out;
	p->p_last = p->p_out;
	p->p_has_last = true;
	push_last_save(p);
	if (o->so_replayed > 0 || o->so_spooled > 0 || o->so_rejected > 0 ||
	    o->so_lost > 0 || o->so_backlog > 0)
		log_info("%s %s: %llu samples sent (%llu of them from the "
		    "spool), %llu spooled, %llu refused, %llu lost; %zu "
		    "batches (%llu samples) wait in the spool", p->p_type,
		    p->p_url, (unsigned long long)o->so_written,
		    (unsigned long long)o->so_replayed,
		    (unsigned long long)o->so_spooled,
		    (unsigned long long)o->so_rejected,
		    (unsigned long long)o->so_lost,
		    spool_batches(p->p_spool),
		    (unsigned long long)o->so_backlog);
	else
		log_debug("%s %s: %llu samples sent", p->p_type, p->p_url,
		    (unsigned long long)o->so_written);
	if (nomem) {
		snprintf(err, errlen, "%s %s: out of memory; the rest of the "
		    "run is not written", p->p_type, p->p_url);
		return -1;
	}
	if (o->so_rejected > 0 || o->so_lost > 0) {
		snprintf(err, errlen, "%s %s: %llu samples refused by the "
		    "store, %llu lost", p->p_type, p->p_url,
		    (unsigned long long)o->so_rejected,
		    (unsigned long long)o->so_lost);
		return -1;
	}
	return 0;
}

void
push_close(struct push *p)
{
	if (p == NULL)
		return;
	http_client_free(p->p_http);
	spool_close(p->p_spool);
	free(p->p_dir);
	free(p->p_type);
	free(p);
}
