/*
 * test_remote_conf: the pure parts of the remote stores: collector/http.c's
 * helpers (Retry-After, verdicts, URLs shown without secrets, the store's
 * message made printable), "-o TYPE:URL", and the remote output keys of
 * collector.yaml, each value and each mistake with its place.  The sinks
 * themselves: test_remote.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector/http.h"
#include "collector/sink.h"
#include "config/config.h"
#include "tests/harness.h"
#include "tests/unit/test_util.h"

static void
retry_after_takes_seconds_and_dates_and_refuses_the_rest(void)
{
	int64_t ms = -7;

	CHECK_INT(http_retry_after_parse(" 2\r\n", 4, 0, &ms), ==, 0);
	CHECK_INT(ms, ==, 2000);
	CHECK_INT(http_retry_after_parse("0", 1, 0, &ms), ==, 0);
	CHECK_INT(ms, ==, 0);
	CHECK_INT(http_retry_after_parse("99999999999999999999", 20, 0, &ms),
	    ==, 0);
	CHECK_INT(ms, ==, 86400 * 1000);
	/* Sun, 06 Nov 1994 08:49:37 GMT is 784111777. */
	CHECK_INT(http_retry_after_parse("Sun, 06 Nov 1994 08:49:37 GMT", 29,
	    784111770, &ms), ==, 0);
	CHECK_INT(ms, ==, 7000);
	CHECK_INT(http_retry_after_parse("Sun, 06 Nov 1994 08:49:37 GMT", 29,
	    784111999, &ms), ==, 0);
	CHECK_INT(ms, ==, 0);
	ms = -7;
	CHECK_INT(http_retry_after_parse("", 0, 0, &ms), ==, -1);
	CHECK_INT(http_retry_after_parse("-1", 2, 0, &ms), ==, -1);
	CHECK_INT(http_retry_after_parse("1.5", 3, 0, &ms), ==, -1);
	CHECK_INT(http_retry_after_parse("soon", 4, 0, &ms), ==, -1);
	CHECK_INT(http_retry_after_parse("Sunday, 06-Nov-94 08:49:37 GMT",
	    30, 0, &ms), ==, -1);
	CHECK_INT(ms, ==, -7);
}

static void
verdicts_follow_the_status_classes(void)
{
	CHECK_INT(http_verdict(200), ==, HTTP_SENT);
	CHECK_INT(http_verdict(204), ==, HTTP_SENT);
	CHECK_INT(http_verdict(0), ==, HTTP_RETRY);
	CHECK_INT(http_verdict(429), ==, HTTP_RETRY);
	CHECK_INT(http_verdict(408), ==, HTTP_RETRY);
	CHECK_INT(http_verdict(500), ==, HTTP_RETRY);
	CHECK_INT(http_verdict(503), ==, HTTP_RETRY);
	CHECK_INT(http_verdict(401), ==, HTTP_HOLD);
	CHECK_INT(http_verdict(403), ==, HTTP_HOLD);
	CHECK_INT(http_verdict(404), ==, HTTP_HOLD);
	CHECK_INT(http_verdict(301), ==, HTTP_HOLD);
	CHECK_INT(http_verdict(400), ==, HTTP_REJECTED);
	CHECK_INT(http_verdict(413), ==, HTTP_REJECTED);
	CHECK_INT(http_verdict(422), ==, HTTP_REJECTED);
}

static void
urls_are_shown_without_credentials_or_query(void)
{
	char b[64];

	http_url_redact("http://u:secret@db:8428/api/v1/write?p=pw#x", b,
	    sizeof(b));
	CHECK_STR(b, "http://db:8428/api/v1/write");
	http_url_redact("https://influx/write?db=a&p=secret", b, sizeof(b));
	CHECK_STR(b, "https://influx/write");
	http_url_redact("http://a@b@host", b, sizeof(b));
	CHECK_STR(b, "http://host");
	http_url_redact("http://host:1/a/very/long/path/that/is/cut/here", b,
	    16);
	CHECK_STR(b, "http://host:1/a");
	CHECK(cfg_url_check("http://127.0.0.1:8428/api/v1/write") == NULL);
	CHECK(cfg_url_check("HTTPS://h") == NULL);
	CHECK(cfg_url_check("http://u:p@h/") != NULL);
	CHECK(cfg_url_check("ftp://h/") != NULL);
	CHECK(cfg_url_check("http:///write") != NULL);
	CHECK(cfg_url_check("http://h/a b") != NULL);
	CHECK(cfg_url_check("") != NULL);
}

static void
a_stores_message_becomes_one_printable_line(void)
{
	char b[16];

	http_msg_clean(b, sizeof(b), "\n {\"error\":\r\n\"x\xff\"} \n", 20);
	CHECK_STR(b, "{\"error\": \"x \"}");
	http_msg_clean(b, 5, "abcdefgh", 8);
	CHECK_STR(b, "abcd");
	http_msg_clean(b, sizeof(b), "", 0);
	CHECK_STR(b, "");
}

static void
remote_sink_specs_parse_with_the_defaults_and_refuse_bad_urls(void)
{
	struct cfg_output out;
	const char *errstr;

	memset(&out, 0xa5, sizeof(out));
	CHECK_INT(sink_parse_spec("remote_write:http://db:8428/api/v1/write",
	    &out, &errstr), ==, 0);
	CHECK_INT(out.co_type, ==, CFG_OUT_REMOTE_WRITE);
	CHECK_STR(out.co_path, "http://db:8428/api/v1/write");
	CHECK(out.co_remote == NULL);
	free(out.co_path);
	CHECK_INT(sink_parse_spec("influx_http:https://i/write?db=x", &out,
	    &errstr), ==, 0);
	CHECK_INT(out.co_type, ==, CFG_OUT_INFLUX_HTTP);
	free(out.co_path);
	CHECK_INT(sink_parse_spec("influx_http:http://u:p@i/write", &out,
	    &errstr), ==, -1);
	CHECK(strstr(errstr, "credentials") != NULL);
	CHECK_INT(sink_parse_spec("remote_write:/tmp/x", &out, &errstr), ==,
	    -1);
}

/* Load text as /etc/proctel/c.yaml; its errors joined by newlines in errs. */
static struct cfg_collector *
t_conf_load(const char *text, char *errs, size_t size)
{
	struct cfg_errors e = { NULL, 0, 0 };
	struct cfg_collector *cc;

	cc = cfg_collector_load_buf("/etc/proctel/c.yaml", text, strlen(text),
	    &e);
	tu_errors_join(&e, errs, size);
	cfg_errors_free(&e);
	return cc;
}

static void
remote_output_keys_load_with_paths_beside_the_config(void)
{
	struct cfg_collector *cc;
	const struct cfg_remote *cr;
	char errs[2048];

	cc = t_conf_load("targets: [{host: 10.0.0.1}]\noutputs:\n"
	    "  - {type: remote_write, url: \"https://t:8428/api/v1/write\", "
	    "timeout_ms: 250, retries: 0, bearer_token_file: tok, "
	    "ca_file: /etc/ssl/ca.pem, spool: {dir: sp, max_mb: 0.5}}\n"
	    "  - {type: influx_http, url: \"http://i:8086/api/v2/write\", "
	    "org: o, bucket: b, token_file: /t, self_metrics: false}\n"
	    "  - {type: remote_write, url: \"http://v/api/v1/write\"}\n"
	    "  - {type: jsonl, path: x.jsonl, self_metrics: true}\n",
	    errs, sizeof(errs));
	CHECK_STR(errs, "");
	if (cc == NULL || cc->cc_noutputs != 4) {
		CHECK(!"four outputs");
		cfg_collector_free(cc);
		return;
	}
	cr = cc->cc_outputs[0].co_remote;
	CHECK_STR(cc->cc_outputs[0].co_path, "https://t:8428/api/v1/write");
	CHECK_INT(cr->cr_timeout_ms, ==, 250);
	CHECK_INT(cr->cr_retries, ==, 0);
	CHECK_STR(cr->cr_bearer_token_file, "/etc/proctel/tok");
	CHECK_STR(cr->cr_ca_file, "/etc/ssl/ca.pem");
	CHECK_STR(cr->cr_spool_dir, "/etc/proctel/sp");
	CHECK_U64(cr->cr_spool_max_bytes, ==, 512 * 1024);
	CHECK_INT(cc->cc_outputs[0].co_self_metrics, ==, -1);
	cr = cc->cc_outputs[1].co_remote;
	CHECK_STR(cr->cr_org, "o");
	CHECK_STR(cr->cr_bucket, "b");
	CHECK_STR(cr->cr_token_file, "/t");
	CHECK_INT(cc->cc_outputs[1].co_self_metrics, ==, 0);
	cr = cc->cc_outputs[2].co_remote;
	CHECK_INT(cr->cr_timeout_ms, ==, CFG_REMOTE_TIMEOUT_MS);
	CHECK_INT(cr->cr_retries, ==, CFG_REMOTE_RETRIES);
	CHECK_U64(cr->cr_spool_max_bytes, ==,
	    (uint64_t)CFG_REMOTE_SPOOL_MB << 20);
	CHECK(cr->cr_spool_dir == NULL);
	CHECK(cc->cc_outputs[3].co_remote == NULL);
	CHECK_INT(cc->cc_outputs[3].co_self_metrics, ==, 1);
	cfg_collector_free(cc);
}

static void
remote_output_mistakes_are_each_reported_at_their_place(void)
{
	struct cfg_collector *cc;
	char errs[2048];

	cc = t_conf_load("targets: [{host: 10.0.0.1}]\noutputs:\n"
	    "  - {type: remote_write, path: x}\n"
	    "  - {type: remote_write, url: \"http://u:p@h/w\", retries: 101}\n"
	    "  - {type: influx_http, url: \"ftp://h/\", org: o, "
	    "bearer_token_file: a, token_file: b}\n"
	    "  - {type: remote_write, url: \"http://h/\", org: o, "
	    "spool: {max_mb: -1, size: 3}, basic_auth: {user: u}}\n"
	    "  - {type: prom, path: p, self_metrics: maybe}\n",
	    errs, sizeof(errs));
	CHECK(cc == NULL);
	CHECK_STR(errs,
	    "/etc/proctel/c.yaml:3:5: output: missing url\n"
	    "/etc/proctel/c.yaml:3:26: unknown key 'path' in output\n"
	    "/etc/proctel/c.yaml:4:31: url: credentials in the URL would show "
	    "in logs and argv; use basic_auth or bearer_token_file\n"
	    "/etc/proctel/c.yaml:4:58: retries: '101' is out of range "
	    "(0..100)\n"
	    "/etc/proctel/c.yaml:5:5: output: give one of basic_auth, "
	    "bearer_token_file and token_file\n"
	    "/etc/proctel/c.yaml:5:5: output: InfluxDB 2 needs both org and "
	    "bucket\n"
	    "/etc/proctel/c.yaml:5:30: url: the URL must start with http:// "
	    "or https://\n"
	    "/etc/proctel/c.yaml:6:44: unknown key 'org' in output\n"
	    "/etc/proctel/c.yaml:6:68: max_mb: expected 0 (no spool) to "
	    "1048576\n"
	    "/etc/proctel/c.yaml:6:72: unknown key 'size' in spool\n"
	    "/etc/proctel/c.yaml:6:94: basic_auth: missing password_file\n"
	    "/etc/proctel/c.yaml:7:41: self_metrics: expected true or false, "
	    "got 'maybe'\n");
	cfg_collector_free(cc);
}

int
main(void)
{
	RUN(retry_after_takes_seconds_and_dates_and_refuses_the_rest);
	RUN(verdicts_follow_the_status_classes);
	RUN(urls_are_shown_without_credentials_or_query);
	RUN(a_stores_message_becomes_one_printable_line);
	RUN(remote_sink_specs_parse_with_the_defaults_and_refuse_bad_urls);
	RUN(remote_output_keys_load_with_paths_beside_the_config);
	RUN(remote_output_mistakes_are_each_reported_at_their_place);
	return t_done();
}
