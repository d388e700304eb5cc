/*
 * selfmetrics: the collector's health as a sample (see selfmetrics.h).
 * Only numbers, as SV_UINT values, so every sink takes them as they are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/selfmetrics.h"
#include "collector/sink.h"

#define SELFM_NAME	"proctel-collector"
#define SELFM_NCOLS	4

struct selfm {
	struct cfg_target	sm_target;
	struct cfg_label	sm_label;
	char			sm_name[sizeof(SELFM_NAME)];
	char			sm_key[sizeof("shard")];
	char			sm_host[256];
	char			sm_shard[32];
};

static const char *const selfm_cols[SELFM_NCOLS] = {
	"samples_written", "samples_spooled", "samples_lost", "spool_backlog",
};

struct selfm *
selfm_new(uint32_t shard_k, uint32_t shard_n)
{
	struct selfm *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if (gethostname(m->sm_host, sizeof(m->sm_host) - 1) == -1 ||
	    m->sm_host[0] == '\0')
		snprintf(m->sm_host, sizeof(m->sm_host), "localhost");
	memcpy(m->sm_name, SELFM_NAME, sizeof(m->sm_name));
	m->sm_target.ct_name = m->sm_name;
	m->sm_target.ct_host = m->sm_host;
	if (shard_n > 1) {
		snprintf(m->sm_shard, sizeof(m->sm_shard), "%u/%u", shard_k,
		    shard_n);
		memcpy(m->sm_key, "shard", sizeof(m->sm_key));
		m->sm_label.cl_key = m->sm_key;
		m->sm_label.cl_value = m->sm_shard;
		m->sm_target.ct_labels = &m->sm_label;
		m->sm_target.ct_nlabels = 1;
	}
	return m;
}

void
selfm_free(struct selfm *m)
{
	free(m);
}

static int
selfm_dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile p (1..100) of v[0..n), sorted, in µs. */
static uint64_t
selfm_pct(const double *v, size_t n, unsigned p)
{
	size_t rank = (n * p + 99) / 100;

	if (n == 0)
		return 0;
	return (uint64_t)(v[rank > 0 ? rank - 1 : 0] * 1000.0 + 0.5);
}

static void
selfm_val(struct sample_value *v, const char *name, uint64_t x)
{
	v->sv_name = name;
	v->sv_kind = SV_UINT;
	v->sv_asn_type = 0x42;	/* Gauge32: a gauge in every sink */
	v->sv_uint = x;
}

int
selfm_fill(struct selfm *m, struct sample *out, const struct run_result *rr,
    const struct sample *samples, size_t n, struct sink *const *sinks,
    size_t nsinks, uint64_t time_ms, double run_ms, struct run_arena *a)
{
	struct sample_value *v, *c;
	struct sample_table *t;
	struct sink_outcome o;
	double *lat;
	char where[300];
	size_t i, k = 0, nrows = 0;

	memset(out, 0, sizeof(*out));
	out->sa_target = &m->sm_target;
	out->sa_time_ms = time_ms;
	out->sa_status = SAMPLE_OK;
	out->sa_attempts = 1;
	out->sa_latency_ms = run_ms;
	if ((lat = run_arena_calloc(a, n > 0 ? n : 1, sizeof(*lat))) == NULL ||
	    (v = run_arena_calloc(a, 9, sizeof(*v))) == NULL ||
	    (t = run_arena_calloc(a, 1, sizeof(*t))) == NULL ||
	    (t->st_rows = run_arena_calloc(a, nsinks > 0 ? nsinks : 1,
	    sizeof(*t->st_rows))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (samples[i].sa_status == SAMPLE_OK)
			lat[k++] = samples[i].sa_latency_ms;
	qsort(lat, k, sizeof(*lat), selfm_dbl_cmp);
	selfm_val(&v[0], "collector_targets", rr->rr_total);
	selfm_val(&v[1], "collector_answered", rr->rr_ok);
	selfm_val(&v[2], "collector_timeouts", rr->rr_timeout);
	selfm_val(&v[3], "collector_errors", rr->rr_error);
	selfm_val(&v[4], "collector_retries", rr->rr_retries);
	selfm_val(&v[5], "collector_late_replies", rr->rr_late);
	selfm_val(&v[6], "collector_run_duration_ms",
	    (uint64_t)(run_ms + 0.5));
	selfm_val(&v[7], "collector_rtt_p50_us", selfm_pct(lat, k, 50));
	selfm_val(&v[8], "collector_rtt_p99_us", selfm_pct(lat, k, 99));
	out->sa_values = v;
	out->sa_nvalues = 9;
	for (i = 0; i < nsinks; i++) {
		if (sink_get_outcome(sinks[i], &o) == -1)
			continue;
		sink_describe(sinks[i], where, sizeof(where));
		if ((c = run_arena_calloc(a, SELFM_NCOLS, sizeof(*c))) == NULL ||
		    (t->st_rows[nrows].sr_index = run_arena_strndup(a, where,
		    strlen(where))) == NULL)
			return -1;
		selfm_val(&c[0], selfm_cols[0], o.so_written);
		selfm_val(&c[1], selfm_cols[1], o.so_spooled);
		selfm_val(&c[2], selfm_cols[2], o.so_rejected + o.so_lost);
		selfm_val(&c[3], selfm_cols[3], o.so_backlog);
		t->st_rows[nrows].sr_cols = c;
		t->st_rows[nrows].sr_ncols = SELFM_NCOLS;
		nrows++;
	}
	if (nrows > 0) {
		t->st_name = "collector_sinks";
		t->st_nrows = nrows;
		out->sa_tables = t;
		out->sa_ntables = 1;
	}
	return 0;
}
