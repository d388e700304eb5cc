/*
 * http: one libcurl easy handle per remote sink (see http.h).  The easy
 * interface is enough: the collector sends one batch at a time, in order,
 * and CURLOPT_TIMEOUT_MS bounds each request, connect included.  What is
 * not here: retries, spooling, batching (push.c), bodies (the sinks).
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "agent/version.h"
#include "collector/http.h"
#include "config/config.h"
#include "lib/clock.h"

#define HTTP_USER_AGENT		"proctel-collector/" PROCTEL_VERSION
/* Retry-After beyond a day is a misconfigured store; wait a day at most. */
#define HTTP_RETRY_AFTER_MAX_MS	(86400LL * 1000)
/* Keep this much of a store's answer for the log line. */
#define HTTP_BODY_KEEP		512

struct http_client {
	CURL			*h_curl;
	struct curl_slist	*h_headers;	/* may hold a token: wiped */
	uint32_t		 h_timeout_ms;
	char			 h_errbuf[CURL_ERROR_SIZE];
	/* The answer being read. */
	char			 h_body[HTTP_BODY_KEEP];
	size_t			 h_body_len;
	int64_t			 h_retry_after_ms;
};

/* libcurl's global state: set up with the first client, torn down with the last. */
static unsigned http_clients;

void
http_msg_clean(char *dst, size_t size, const char *src, size_t len)
{
	size_t i, o = 0;
	bool space = true;	/* drop leading spaces */
	unsigned char c;

	if (size == 0)
		return;
	for (i = 0; i < len && o + 1 < size; i++) {
		c = (unsigned char)src[i];
		if (c <= 0x20 || c >= 0x7f) {
			if (!space)
				dst[o++] = ' ';
			space = true;
			continue;
		}
		dst[o++] = (char)c;
		space = false;
	}
	while (o > 0 && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
}

void
http_url_redact(const char *url, char *buf, size_t size)
{
	const char *p, *auth, *end, *at;
	size_t n, o = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (url == NULL)
		return;
	/* A scheme is letters, digits, '+', '-' or '.' before "://". */
	p = url + strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
	    "VWXYZ0123456789+-.");
	auth = p > url && strncmp(p, "://", 3) == 0 ? p + 3 : url;
	end = auth + strcspn(auth, "/?#");
	/* User info ends at the last '@' of the authority. */
	for (at = end; at > auth && at[-1] != '@'; at--)
		;
	n = (size_t)(auth - url);
	if (n >= size)
		n = size - 1;
	memcpy(buf, url, n);
	o = n;
	p = at;
	/* Host and path, up to the query or fragment. */
	n = strcspn(p, "?#");
	if (n > size - 1 - o)
		n = size - 1 - o;
	memcpy(buf + o, p, n);
	buf[o + n] = '\0';
}

enum http_verdict
http_verdict(long status)
{
	if (status >= 200 && status <= 299)
		return HTTP_SENT;
	if (status == 0 || status == 408 || status == 425 || status == 429 ||
	    (status >= 500 && status <= 599))
		return HTTP_RETRY;
	if (status == 401 || status == 403 || status == 404 ||
	    status == 407 || (status >= 300 && status <= 399))
		return HTTP_HOLD;
	if (status >= 400 && status <= 499)
		return HTTP_REJECTED;
	/* 1xx as a final answer, or nonsense: a broken hop, try later. */
	return HTTP_RETRY;
}

int
http_retry_after_parse(const char *v, size_t len, int64_t now_s, int64_t *ms)
{
	char buf[64];
	struct tm tm;
	const char *end;
	int64_t secs = 0;
	time_t when;
	size_t i;

	while (len > 0 && (v[0] == ' ' || v[0] == '\t'))
		v++, len--;
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' ||
	    v[len - 1] == '\r' || v[len - 1] == '\n'))
		len--;
	if (len == 0 || len >= sizeof(buf))
		return -1;
	if (isdigit((unsigned char)v[0])) {
		for (i = 0; i < len; i++) {
			if (!isdigit((unsigned char)v[i]))
				return -1;
			if (secs <= HTTP_RETRY_AFTER_MAX_MS / 1000)
				secs = secs * 10 + (v[i] - '0');
		}
		*ms = secs * 1000 > HTTP_RETRY_AFTER_MAX_MS ?
		    HTTP_RETRY_AFTER_MAX_MS : secs * 1000;
		return 0;
	}
	memcpy(buf, v, len);
	buf[len] = '\0';
	/* IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT"; the obsolete forms are refused. */
	memset(&tm, 0, sizeof(tm));
	end = strptime(buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	if ((when = timegm(&tm)) == (time_t)-1)
		return -1;
	if ((int64_t)when <= now_s)
		*ms = 0;
	else if ((int64_t)when - now_s > HTTP_RETRY_AFTER_MAX_MS / 1000)
		*ms = HTTP_RETRY_AFTER_MAX_MS;
	else
		*ms = ((int64_t)when - now_s) * 1000;
	return 0;
}

static size_t
http_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct http_client *h = arg;
	size_t len = size * n, keep;

	keep = sizeof(h->h_body) - h->h_body_len;
	if (keep > len)
		keep = len;
	memcpy(h->h_body + h->h_body_len, p, keep);
	h->h_body_len += keep;
	return len;
}

static size_t
http_on_header(char *p, size_t size, size_t n, void *arg)
{
	static const char name[] = "retry-after:";
	struct http_client *h = arg;
	size_t len = size * n;
	int64_t ms;

	/* A new status line (after 100 Continue, say) starts a new answer. */
	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0)
		h->h_retry_after_ms = -1;
	else if (len > sizeof(name) - 1 &&
	    strncasecmp(p, name, sizeof(name) - 1) == 0 &&
	    http_retry_after_parse(p + sizeof(name) - 1,
	    len - (sizeof(name) - 1), (int64_t)time(NULL), &ms) == 0)
		h->h_retry_after_ms = ms;
	return len;
}

static void
http_slist_wipe(struct curl_slist *l)
{
	struct curl_slist *p;

	for (p = l; p != NULL; p = p->next)
		if (p->data != NULL)
			explicit_bzero(p->data, strlen(p->data));
	curl_slist_free_all(l);
}

/* Append "Authorization: <value>" without leaving a copy behind. */
static struct curl_slist *
http_add_authorization(struct curl_slist *l, const char *value)
{
	static const char pre[] = "Authorization: ";
	struct curl_slist *n;
	size_t len = strlen(value);
	char *line;

	if ((line = malloc(sizeof(pre) + len)) == NULL)
		return NULL;
	memcpy(line, pre, sizeof(pre) - 1);
	memcpy(line + sizeof(pre) - 1, value, len + 1);
	n = curl_slist_append(l, line);
	explicit_bzero(line, sizeof(pre) + len);
	free(line);
	return n;
}

struct http_client *
http_client_new(const struct http_conf *c, char *err, size_t errlen)
{
	struct http_client *h;
	struct curl_slist *l;
	const char *why;
	CURLcode rc = CURLE_OK;
	size_t i;

	if ((why = cfg_url_check(c->hc_url)) != NULL) {
		snprintf(err, errlen, "%s", why);
		return NULL;
	}
	if (http_clients == 0 && curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		snprintf(err, errlen, "libcurl: global init failed");
		return NULL;
	}
	http_clients++;
	if ((h = calloc(1, sizeof(*h))) == NULL)
		goto nomem;
	h->h_timeout_ms = c->hc_timeout_ms > 0 ? c->hc_timeout_ms : 1;
	if ((h->h_curl = curl_easy_init()) == NULL)
		goto nomem;
	/* Without Expect:, libcurl waits a second for "100 Continue" on big bodies. */
	if ((h->h_headers = curl_slist_append(NULL, "Expect:")) == NULL)
		goto nomem;
	for (i = 0; c->hc_headers != NULL && c->hc_headers[i] != NULL; i++) {
		if ((l = curl_slist_append(h->h_headers, c->hc_headers[i])) ==
		    NULL)
			goto nomem;
		h->h_headers = l;
	}
	if (c->hc_authorization != NULL) {
		if ((l = http_add_authorization(h->h_headers,
		    c->hc_authorization)) == NULL)
			goto nomem;
		h->h_headers = l;
	}
#define SETOPT(o, v) do {						\
	if (rc == CURLE_OK)						\
		rc = curl_easy_setopt(h->h_curl, (o), (v));		\
} while (0)
	SETOPT(CURLOPT_URL, c->hc_url);
	SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
	SETOPT(CURLOPT_NOSIGNAL, 1L);
	SETOPT(CURLOPT_POST, 1L);
	SETOPT(CURLOPT_HTTPHEADER, h->h_headers);
	SETOPT(CURLOPT_USERAGENT, HTTP_USER_AGENT);
	SETOPT(CURLOPT_ERRORBUFFER, h->h_errbuf);
	SETOPT(CURLOPT_WRITEFUNCTION, http_on_body);
	SETOPT(CURLOPT_WRITEDATA, h);
	SETOPT(CURLOPT_HEADERFUNCTION, http_on_header);
	SETOPT(CURLOPT_HEADERDATA, h);
	if (c->hc_ca_file != NULL)
		SETOPT(CURLOPT_CAINFO, c->hc_ca_file);
	if (c->hc_user != NULL) {
		/* libcurl keeps its own copies of both. */
		SETOPT(CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		SETOPT(CURLOPT_USERNAME, c->hc_user);
		SETOPT(CURLOPT_PASSWORD, c->hc_password != NULL ?
		    c->hc_password : "");
	}
#undef SETOPT
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "libcurl: %s", curl_easy_strerror(rc));
		http_client_free(h);
		return NULL;
	}
	return h;
nomem:
	snprintf(err, errlen, "out of memory");
	if (h != NULL)
		http_client_free(h);
	else if (--http_clients == 0)
		curl_global_cleanup();
	return NULL;
}

enum http_verdict
http_post(struct http_client *h, const void *body, size_t len,
    uint64_t deadline_ns, struct http_reply *r)
{
	uint64_t now = clock_mono_ns(), left_ms, t0;
	CURLcode rc;
	long status = 0;

	memset(r, 0, sizeof(*r));
	r->hr_retry_after_ms = -1;
	if (now >= deadline_ns) {
		snprintf(r->hr_msg, sizeof(r->hr_msg), "run deadline reached");
		return HTTP_RETRY;
	}
	left_ms = (deadline_ns - now + 999999) / 1000000;
	if (left_ms > h->h_timeout_ms)
		left_ms = h->h_timeout_ms;
	h->h_body_len = 0;
	h->h_errbuf[0] = '\0';
	h->h_retry_after_ms = -1;
	rc = curl_easy_setopt(h->h_curl, CURLOPT_POSTFIELDS, body);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(h->h_curl, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)len);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(h->h_curl, CURLOPT_TIMEOUT_MS,
		    (long)left_ms);
	if (rc == CURLE_OK)
		rc = curl_easy_setopt(h->h_curl, CURLOPT_CONNECTTIMEOUT_MS,
		    (long)left_ms);
	t0 = clock_mono_ns();
	if (rc == CURLE_OK)
		rc = curl_easy_perform(h->h_curl);
	r->hr_rtt_ns = clock_mono_ns() - t0;
	if (rc != CURLE_OK) {
		/* The error buffer names host and port, never credentials. */
		snprintf(r->hr_msg, sizeof(r->hr_msg), "%s",
		    h->h_errbuf[0] != '\0' ? h->h_errbuf :
		    curl_easy_strerror(rc));
		return HTTP_RETRY;
	}
	(void)curl_easy_getinfo(h->h_curl, CURLINFO_RESPONSE_CODE, &status);
	r->hr_status = status;
	r->hr_retry_after_ms = h->h_retry_after_ms;
	http_msg_clean(r->hr_msg, sizeof(r->hr_msg), h->h_body, h->h_body_len);
	return http_verdict(status);
}

void
http_client_free(struct http_client *h)
{
	if (h == NULL)
		return;
	if (h->h_curl != NULL)
		curl_easy_cleanup(h->h_curl);
	http_slist_wipe(h->h_headers);
	explicit_bzero(h, sizeof(*h));
	free(h);
	if (http_clients > 0 && --http_clients == 0)
		curl_global_cleanup();
}
