/*
 * output_conf: the keys of a remote store output in collector.yaml
 * (type remote_write or influx_http; DESIGN.md "Remote stores and
 * self-metrics"): url, timeout_ms, retries, bearer_token_file,
 * basic_auth {user, password_file}, ca_file, spool {dir, max_mb},
 * self_metrics (read by collector_conf.c for every output), and for
 * influx_http org, bucket, token_file.  Relative paths are taken from the
 * config's directory.  Secret files are named here, never read: the sink
 * reads them when it opens, so a secret is never in the config tree.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config/collector_int.h"

static const char *const remote_keys[] = { "type", "url", "timeout_ms",
	"retries", "bearer_token_file", "basic_auth", "ca_file", "spool",
	"self_metrics", NULL };
static const char *const influx_http_keys[] = { "type", "url", "timeout_ms",
	"retries", "bearer_token_file", "basic_auth", "ca_file", "spool",
	"self_metrics", "org", "bucket", "token_file", NULL };
static const char *const basic_auth_keys[] = { "user", "password_file",
	NULL };
static const char *const spool_keys[] = { "dir", "max_mb", NULL };

/* A terabyte of spool is a typo, not a plan. */
#define CFG_SPOOL_MAX_MB	(1024.0 * 1024)

const char *
cfg_url_check(const char *url)
{
	const char *auth, *end, *p;

	if (url == NULL || url[0] == '\0')
		return "empty URL";
	if (strncasecmp(url, "http://", 7) == 0)
		auth = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		auth = url + 8;
	else
		return "the URL must start with http:// or https://";
	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p == 0x7f)
			return "the URL holds a space or a control byte";
	end = auth + strcspn(auth, "/?#");
	if (end == auth)
		return "the URL has no host";
	if (memchr(auth, '@', (size_t)(end - auth)) != NULL)
		return "credentials in the URL would show in logs and argv; "
		    "use basic_auth or bearer_token_file";
	return NULL;
}

void
cfg_remote_free(struct cfg_remote *cr)
{
	if (cr == NULL)
		return;
	free(cr->cr_bearer_token_file);
	free(cr->cr_user);
	free(cr->cr_password_file);
	free(cr->cr_ca_file);
	free(cr->cr_spool_dir);
	free(cr->cr_org);
	free(cr->cr_bucket);
	free(cr->cr_token_file);
	free(cr);
}

/* A path key: non-empty, relative to the config's directory. */
static void
remote_path(struct cfg_ctx *ctx, const struct cfg_node *m, const char *key,
    char **out)
{
	const struct cfg_node *v;
	char *s = NULL;

	if ((v = cfg_map_get(m, key)) == NULL ||
	    cfg_get_str(ctx, v, key, &s) == -1)
		return;
	if (s[0] == '\0')
		cfg_node_error(ctx, v, "%s: empty path", key);
	else if ((*out = cfg_path_join(ctx->cx_dir, s)) == NULL)
		cfg_node_error(ctx, v, "%s: out of memory", key);
	free(s);
}

/* A plain word (org, bucket, user): non-empty, no control bytes. */
static void
remote_word(struct cfg_ctx *ctx, const struct cfg_node *m, const char *key,
    char **out)
{
	const struct cfg_node *v;
	const char *p;

	if ((v = cfg_map_get(m, key)) == NULL ||
	    cfg_get_str(ctx, v, key, out) == -1)
		return;
	if ((*out)[0] == '\0')
		cfg_node_error(ctx, v, "%s: empty", key);
	for (p = *out; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			cfg_node_error(ctx, v, "%s: holds a control byte", key);
			break;
		}
}

static void
remote_spool(struct cfg_ctx *ctx, const struct cfg_node *sp,
    struct cfg_remote *cr)
{
	const struct cfg_node *v;
	double mb;

	if (cfg_expect_map(ctx, sp, "spool") == -1)
		return;
	cfg_check_keys(ctx, sp, spool_keys, "spool");
	remote_path(ctx, sp, "dir", &cr->cr_spool_dir);
	if ((v = cfg_map_get(sp, "max_mb")) == NULL ||
	    cfg_get_double(ctx, v, "max_mb", &mb) == -1)
		return;
	if (!(mb >= 0 && mb <= CFG_SPOOL_MAX_MB))
		cfg_node_error(ctx, v, "max_mb: expected 0 (no spool) to %.0f",
		    CFG_SPOOL_MAX_MB);
	else
		cr->cr_spool_max_bytes = (uint64_t)(mb * 1024 * 1024);
}

void
cfg_output_remote_load(struct cfg_ctx *ctx, const struct cfg_node *m,
    struct cfg_output *co)
{
	struct cfg_remote *cr;
	const struct cfg_node *v, *ba;
	const char *why;
	int auths;

	cfg_check_keys(ctx, m, co->co_type == CFG_OUT_INFLUX_HTTP ?
	    influx_http_keys : remote_keys, "output");
	if ((cr = calloc(1, sizeof(*cr))) == NULL) {
		cfg_node_error(ctx, m, "output: out of memory");
		return;
	}
	co->co_remote = cr;
	cr->cr_timeout_ms = CFG_REMOTE_TIMEOUT_MS;
	cr->cr_retries = CFG_REMOTE_RETRIES;
	cr->cr_spool_max_bytes = (uint64_t)CFG_REMOTE_SPOOL_MB * 1024 * 1024;
	if ((v = cfg_map_get(m, "url")) == NULL)
		cfg_node_error(ctx, m, "output: missing url");
	else if (cfg_get_str(ctx, v, "url", &co->co_path) == 0 &&
	    (why = cfg_url_check(co->co_path)) != NULL)
		cfg_node_error(ctx, v, "url: %s", why);
	if ((v = cfg_map_get(m, "timeout_ms")) != NULL)
		(void)cfg_get_u32(ctx, v, "timeout_ms", 1, 600000,
		    &cr->cr_timeout_ms);
	if ((v = cfg_map_get(m, "retries")) != NULL)
		(void)cfg_get_u32(ctx, v, "retries", 0, 100, &cr->cr_retries);
	remote_path(ctx, m, "bearer_token_file", &cr->cr_bearer_token_file);
	remote_path(ctx, m, "token_file", &cr->cr_token_file);
	remote_path(ctx, m, "ca_file", &cr->cr_ca_file);
	if ((ba = cfg_map_get(m, "basic_auth")) != NULL &&
	    cfg_expect_map(ctx, ba, "basic_auth") == 0) {
		cfg_check_keys(ctx, ba, basic_auth_keys, "basic_auth");
		remote_word(ctx, ba, "user", &cr->cr_user);
		remote_path(ctx, ba, "password_file", &cr->cr_password_file);
		if (cfg_map_get(ba, "user") == NULL)
			cfg_node_error(ctx, ba, "basic_auth: missing user");
		if (cfg_map_get(ba, "password_file") == NULL)
			cfg_node_error(ctx, ba, "basic_auth: missing "
			    "password_file");
	}
	auths = (cfg_map_get(m, "bearer_token_file") != NULL) +
	    (cfg_map_get(m, "token_file") != NULL) + (ba != NULL);
	if (auths > 1)
		cfg_node_error(ctx, m, "output: give one of basic_auth, "
		    "bearer_token_file and token_file");
	if (co->co_type == CFG_OUT_INFLUX_HTTP) {
		remote_word(ctx, m, "org", &cr->cr_org);
		remote_word(ctx, m, "bucket", &cr->cr_bucket);
		if ((cfg_map_get(m, "org") == NULL) !=
		    (cfg_map_get(m, "bucket") == NULL))
			cfg_node_error(ctx, m, "output: InfluxDB 2 needs both "
			    "org and bucket");
	}
	if ((v = cfg_map_get(m, "spool")) != NULL && !cfg_is_null(v))
		remote_spool(ctx, v, cr);
}
