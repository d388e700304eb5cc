/*
 * http: POST one body to one URL through libcurl's easy interface, for the
 * remote sinks (through push.c).  One client per sink, reused so the
 * connection stays open between batches.  Every request ends by a deadline
 * on the monotonic clock (connect and whole transfer), so a store that
 * accepts the connection and never answers costs one timeout, never the
 * run.  Secrets (a password, a token) go to libcurl only, never into an
 * error message; URLs are shown without user info or query.  No retries
 * and no policy here: http_verdict() classifies, push.c decides.
 */
#ifndef PT_HTTP_H
#define PT_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct http_conf {
	const char		*hc_url;	/* http:// or https:// */
	uint32_t		 hc_timeout_ms;	/* per request, >= 1 */
	const char		*hc_ca_file;	/* NULL: the system's CAs */
	const char		*hc_user;	/* basic auth when non-NULL */
	const char		*hc_password;	/* secret */
	const char		*hc_authorization; /* secret: "Bearer T" or
						    * "Token T", or NULL */
	const char *const	*hc_headers;	/* "Name: value", NULL-ended */
};

/* What one POST came to. */
struct http_reply {
	long		 hr_status;	/* HTTP status; 0 when none came */
	int64_t		 hr_retry_after_ms; /* Retry-After, or -1 */
	uint64_t	 hr_rtt_ns;	/* request sent to reply read */
	char		 hr_msg[256];	/* the store's answer (printable, cut)
					 * or why no answer came */
};

enum http_verdict {
	HTTP_SENT,	/* 2xx: the store has it */
	HTTP_RETRY,	/* no answer, timeout, 408, 425, 429, 5xx: try later */
	HTTP_HOLD,	/* 401, 403, 404, 407, 3xx: the store refused us, not
			 * the data (credentials, URL); keep it, do not retry
			 * now */
	HTTP_REJECTED,	/* any other 4xx: the store refused the data */
};

struct http_client;

/*
 * A client for c (every string copied; secrets are wiped on free).
 * Returns a new client, free with http_client_free(); NULL with a message
 * in err (a bad URL, no memory, libcurl refused an option).
 */
struct http_client *http_client_new(const struct http_conf *c, char *err,
		    size_t errlen);
/*
 * POST body[0..len) and wait for the answer until the earlier of the
 * configured timeout and deadline_ns (CLOCK_MONOTONIC).  Fills *r.
 * Returns the verdict.
 */
enum http_verdict http_post(struct http_client *h, const void *body,
		    size_t len, uint64_t deadline_ns, struct http_reply *r);
void		 http_client_free(struct http_client *h);

/* The verdict for an answer with this status (0: none came). */
enum http_verdict http_verdict(long status);
/*
 * The URL as logs show it: scheme://host[:port]/path, without user info,
 * query or fragment.  Always NUL-terminates buf (cut when too small).
 */
void		 http_url_redact(const char *url, char *buf, size_t size);
/*
 * Parse a Retry-After value (RFC 9110 10.2.3): delay-seconds, or an
 * IMF-fixdate taken against now_s (seconds since the epoch).  Returns 0
 * with the wait in *ms (0 for a date in the past, capped at a day), -1
 * when the value is neither.  v need not be NUL-terminated.
 */
int		 http_retry_after_parse(const char *v, size_t len, int64_t now_s,
		    int64_t *ms);
/*
 * Copy a store's answer into dst as one printable line: control and
 * non-ASCII bytes become spaces, runs of spaces one, cut to size - 1.
 */
void		 http_msg_clean(char *dst, size_t size, const char *src,
		    size_t len);

#endif
