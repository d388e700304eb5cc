/*
 * json: the JSON string and number writer of json.h.  Escaping follows
 * RFC 8259 section 7; the choices for bytes that are not UTF-8 are in
 * json.h.  No parsing, no pretty printing.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/json.h"
#include "collector/sample.h"
#include "lib/clock.h"

/* Past this a single record is a bug, not data: refuse to grow further. */
#define JSON_BUF_MAX	(256U * 1024 * 1024)

void
json_buf_init(struct json_buf *jb)
{
	memset(jb, 0, sizeof(*jb));
}

void
json_buf_spill(struct json_buf *jb, json_spill_fn *fn, void *arg, size_t at)
{
	jb->jb_spill = fn;
	jb->jb_spill_arg = arg;
	jb->jb_spill_at = at;
}

void
json_buf_reset(struct json_buf *jb)
{
	jb->jb_len = 0;
	jb->jb_failed = 0;
}

void
json_buf_free(struct json_buf *jb)
{
	if (jb == NULL)
		return;
	free(jb->jb_data);
	memset(jb, 0, sizeof(*jb));
}

/* Make room for n more bytes plus a NUL; 0 or -1 (then jb_failed). */
static int
json_reserve(struct json_buf *jb, size_t n)
{
	size_t cap;
	char *p;

	if (jb->jb_failed)
		return -1;
	if (n > JSON_BUF_MAX || jb->jb_len > JSON_BUF_MAX - n - 1)
		goto fail;
	if (jb->jb_len + n + 1 <= jb->jb_cap)
		return 0;
	cap = jb->jb_cap == 0 ? 256 : jb->jb_cap;
	while (cap < jb->jb_len + n + 1)
		cap *= 2;
	if ((p = realloc(jb->jb_data, cap)) == NULL)
		goto fail;
	jb->jb_data = p;
	jb->jb_cap = cap;
	return 0;
fail:
	jb->jb_failed = 1;
	return -1;
}

const char *
json_buf_cstr(struct json_buf *jb)
{
	if (json_reserve(jb, 0) == -1)
		return NULL;
	jb->jb_data[jb->jb_len] = '\0';
	return jb->jb_data;
}

void
json_raw(struct json_buf *jb, const void *p, size_t len)
{
	if (len == 0 || json_reserve(jb, len) == -1)
		return;
	memcpy(jb->jb_data + jb->jb_len, p, len);
	jb->jb_len += len;
	if (jb->jb_spill != NULL && jb->jb_len >= jb->jb_spill_at) {
		if (jb->jb_spill(jb, jb->jb_spill_arg) == -1)
			jb->jb_failed = 1;
		else
			jb->jb_len = 0;
	}
}

void
json_lit(struct json_buf *jb, const char *s)
{
	json_raw(jb, s, strlen(s));
}

size_t
json_utf8_len(const unsigned char *p, size_t left)
{
	unsigned char c;
	size_t n, i;
	uint32_t cp, min;

	if (left == 0)
		return 0;
	c = p[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else
		return 0;	/* continuation byte, 0xc0/0xc1, 0xf5.. */
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* Overlong forms, UTF-16 surrogates and values past U+10FFFF. */
	if (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

int
json_text_ok(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (len > 0) {
		if ((n = json_utf8_len(p, len)) == 0)
			return 0;
		p += n;
		len -= n;
	}
	return 1;
}

void
json_hex(struct json_buf *jb, const void *p, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *b = p;
	char pair[2];
	size_t i;

	json_raw(jb, "\"", 1);
	for (i = 0; i < len; i++) {
		pair[0] = digits[b[i] >> 4];
		pair[1] = digits[b[i] & 0xf];
		json_raw(jb, pair, 2);
	}
	json_raw(jb, "\"", 1);
}

int
json_utf8_valid(const char *s, size_t len)
{
	return memchr(s, '\0', len) == NULL && json_text_ok(s, len);
}

void
json_str(struct json_buf *jb, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	char esc[6];
	size_t n, run;

	json_raw(jb, "\"", 1);
	while (len > 0) {
		/* Copy the longest run that needs no escape in one go. */
		run = 0;
		while (run < len) {
			if (p[run] < 0x80) {
				if (p[run] < 0x20 || p[run] == 0x7f ||
				    p[run] == '"' || p[run] == '\\')
					break;
				run++;
				continue;
			}
			if ((n = json_utf8_len(p + run, len - run)) == 0)
				break;
			run += n;
		}
		json_raw(jb, p, run);
		p += run;
		len -= run;
		if (len == 0)
			break;
		switch (*p) {
		case '"':
			json_raw(jb, "\\\"", 2);
			break;
		case '\\':
			json_raw(jb, "\\\\", 2);
			break;
		case '\n':
			json_raw(jb, "\\n", 2);
			break;
		case '\r':
			json_raw(jb, "\\r", 2);
			break;
		case '\t':
			json_raw(jb, "\\t", 2);
			break;
		default:
			/* Not UTF-8: no JSON string reads back as it. */
			if (*p >= 0x80) {
				json_raw(jb, JSON_REPLACEMENT, 3);
				break;
			}
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 0xf];
			json_raw(jb, esc, sizeof(esc));
			break;
		}
		p++;
		len--;
	}
	json_raw(jb, "\"", 1);
}

void
json_cstr(struct json_buf *jb, const char *s)
{
	json_str(jb, s, strlen(s));
}

void
json_key(struct json_buf *jb, const char *key)
{
	json_cstr(jb, key);
	json_raw(jb, ":", 1);
}

void
json_i64(struct json_buf *jb, int64_t v)
{
	char buf[24];
	int n;

	n = snprintf(buf, sizeof(buf), "%" PRId64, v);
	if (n > 0 && (size_t)n < sizeof(buf))
		json_raw(jb, buf, (size_t)n);
	else
		jb->jb_failed = 1;
}

void
json_u64(struct json_buf *jb, uint64_t v)
{
	char buf[24];
	int n;

	n = snprintf(buf, sizeof(buf), "%" PRIu64, v);
	if (n > 0 && (size_t)n < sizeof(buf))
		json_raw(jb, buf, (size_t)n);
	else
		jb->jb_failed = 1;
}

size_t
json_fmt_double(char *buf, size_t size, double v)
{
	int n;

	if (!isfinite(v))
		return 0;
	/* %.15g is exact for most config values (0.1 stays 0.1). */
	n = snprintf(buf, size, "%.15g", v);
	if (n > 0 && (size_t)n < size && strtod(buf, NULL) == v)
		return (size_t)n;
	n = snprintf(buf, size, "%.17g", v);
	if (n <= 0 || (size_t)n >= size)
		return 0;
	return (size_t)n;
}

size_t
json_fmt_fixed(char *buf, size_t size, double v, int decimals)
{
	int n;

	if (!isfinite(v) || decimals < 0 || decimals > 9)
		return 0;
	n = snprintf(buf, size, "%.*f", decimals, v);
	if (n <= 0 || (size_t)n >= size)
		return 0;
	if (decimals > 0) {
		while (n > 0 && buf[n - 1] == '0')
			n--;
		if (n > 0 && buf[n - 1] == '.')
			n--;
		buf[n] = '\0';
	}
	/* Rounding a tiny negative gives "-0", which reads oddly. */
	if (strcmp(buf, "-0") == 0) {
		buf[0] = '0';
		buf[1] = '\0';
		n = 1;
	}
	return (size_t)n;
}

void
json_double(struct json_buf *jb, double v)
{
	char buf[40];
	size_t n;

	if ((n = json_fmt_double(buf, sizeof(buf), v)) == 0)
		json_lit(jb, "null");
	else
		json_raw(jb, buf, n);
}

void
json_fixed(struct json_buf *jb, double v, int decimals)
{
	char buf[400];
	size_t n;

	if ((n = json_fmt_fixed(buf, sizeof(buf), v, decimals)) == 0)
		json_lit(jb, "null");
	else
		json_raw(jb, buf, n);
}

void
json_labels(struct json_buf *jb, const struct cfg_target *tg)
{
	size_t i;

	json_raw(jb, "{", 1);
	for (i = 0; i < tg->ct_nlabels; i++) {
		if (i > 0)
			json_raw(jb, ",", 1);
		json_key(jb, tg->ct_labels[i].cl_key);
		json_cstr(jb, tg->ct_labels[i].cl_value);
	}
	json_raw(jb, "}", 1);
}

void
json_sample_head(struct json_buf *jb, const struct sample *sa)
{
	const struct cfg_target *tg = sa->sa_target;
	char when[32];

	if (clock_iso8601(sa->sa_time_ms, when, sizeof(when)) == -1)
		when[0] = '\0';
	json_lit(jb, "{\"time\":");
	json_cstr(jb, when);
	json_lit(jb, ",\"target\":");
	json_cstr(jb, tg->ct_name != NULL ? tg->ct_name : "");
	json_lit(jb, ",\"host\":");
	json_cstr(jb, tg->ct_host != NULL ? tg->ct_host : "");
	json_lit(jb, ",\"port\":");
	json_u64(jb, tg->ct_opts.to_port);
}
