/*
 * sink_remote_write: Prometheus remote write 1.0 (a protobuf WriteRequest,
 * snappy block compression, POSTed with Content-Encoding: snappy,
 * Content-Type: application/x-protobuf and
 * X-Prometheus-Remote-Write-Version: 0.1.0) to Prometheus, VictoriaMetrics,
 * Thanos, Mimir or Cortex.  Every series the prom file sink would write is
 * one TimeSeries here, named by the same code (sink_prom.c): proctel_up,
 * proctel_poll_attempts, proctel_poll_latency_seconds, proctel_<metric>,
 * proctel_<table>_<column> with an index label; labels target, host and
 * the target's own (label values as UTF-8, empty ones left out, as
 * Prometheus treats them as absent), sorted by name as the protocol asks;
 * one sample per series at the run's time.  Batches hold at most
 * RW_BATCH_SERIES series or about RW_BATCH_BYTES of labels; sending,
 * retries and the spool are push.c's.
 */
#include <stdlib.h>
#include <string.h>

#include <snappy-c.h>

#include "collector/push.h"
#include "collector/remote_write.pb-c.h"
#include "collector/sink_impl.h"

/* Prometheus' own senders use 500 to 2000 samples a request. */
#define RW_BATCH_SERIES	2000
#define RW_BATCH_BYTES	(4U * 1024 * 1024)
#define RW_NO_INDEX	SIZE_MAX

static const char *const rw_headers[] = {
	"Content-Type: application/x-protobuf",
	"Content-Encoding: snappy",
	"X-Prometheus-Remote-Write-Version: 0.1.0",
	NULL,
};

/* A label of a sample: offsets of NUL-ended strings in rw_strs. */
struct rw_label {
	size_t	rl_name;
	size_t	rl_value;
};

/* A series of the batch: its name and index in rw_bstr. */
struct rw_series {
	size_t		rs_sample;
	size_t		rs_name;
	size_t		rs_index;	/* RW_NO_INDEX for metrics */
	double		rs_value;
	uint64_t	rs_time_ms;
};

struct rw {
	struct push		*rw_push;
	/* The run's label sets, one per sample, each sorted by name. */
	struct json_buf		 rw_strs;
	size_t			 rw_off_name;	/* "__name__" in rw_strs */
	size_t			 rw_off_index;	/* "index" */
	struct rw_label		*rw_labs;
	size_t			 rw_nlabs;
	size_t			 rw_labcap;
	size_t			*rw_lfirst;	/* [sample] */
	size_t			*rw_lcount;
	size_t			*rw_lbytes;
	size_t			 rw_ncap;
	/* The batch being built. */
	struct rw_series	*rw_ser;
	size_t			 rw_nser;
	size_t			 rw_bytes;
	struct json_buf		 rw_bstr;
	uint64_t		 rw_time_ms;
	int			 rw_failed;	/* ENOMEM this run */
	/* protobuf-c's structs for one batch, reused. */
	Prometheus__TimeSeries	*rw_ts;
	Prometheus__TimeSeries	**rw_tsp;
	Prometheus__Sample	*rw_smp;
	Prometheus__Sample	**rw_smpp;
	Prometheus__Label	*rw_lbl;
	Prometheus__Label	**rw_lblp;
	size_t			 rw_lblcap;
	uint8_t			*rw_pb;
	size_t			 rw_pbcap;
	char			*rw_z;
	size_t			 rw_zcap;
};

static int
rw_open(struct sink *s, char *err, size_t errlen)
{
	struct rw *rw;

	if ((rw = calloc(1, sizeof(*rw))) == NULL) {
		sink_err(err, errlen, "remote_write: out of memory");
		return -1;
	}
	s->sk_priv = rw;
	json_buf_init(&rw->rw_strs);
	json_buf_init(&rw->rw_bstr);
	rw->rw_ser = calloc(RW_BATCH_SERIES, sizeof(*rw->rw_ser));
	rw->rw_ts = calloc(RW_BATCH_SERIES, sizeof(*rw->rw_ts));
	rw->rw_tsp = calloc(RW_BATCH_SERIES, sizeof(*rw->rw_tsp));
	rw->rw_smp = calloc(RW_BATCH_SERIES, sizeof(*rw->rw_smp));
	rw->rw_smpp = calloc(RW_BATCH_SERIES, sizeof(*rw->rw_smpp));
	if (rw->rw_ser == NULL || rw->rw_ts == NULL || rw->rw_tsp == NULL ||
	    rw->rw_smp == NULL || rw->rw_smpp == NULL) {
		sink_err(err, errlen, "remote_write: out of memory");
		return -1;
	}
	rw->rw_push = push_open("remote_write", s->sk_path, s->sk_remote,
	    s->sk_conf != NULL ? s->sk_conf->cc_path : NULL,
	    SPOOL_REMOTE_WRITE, rw_headers, err, errlen);
	if (rw->rw_push == NULL)
		return -1;
	s->sk_has_out = push_last(rw->rw_push, &s->sk_out) == 0;
	return 0;
}

static void
rw_close(struct sink *s)
{
	struct rw *rw = s->sk_priv;

	if (rw == NULL)
		return;
	push_close(rw->rw_push);
	json_buf_free(&rw->rw_strs);
	json_buf_free(&rw->rw_bstr);
	free(rw->rw_labs);
	free(rw->rw_lfirst);
	free(rw->rw_lcount);
	free(rw->rw_lbytes);
	free(rw->rw_ser);
	free(rw->rw_ts);
	free(rw->rw_tsp);
	free(rw->rw_smp);
	free(rw->rw_smpp);
	free(rw->rw_lbl);
	free(rw->rw_lblp);
	free(rw->rw_pb);
	free(rw->rw_z);
	free(rw);
	s->sk_priv = NULL;
}

/* Grow *p (of *cap elements of size) to hold need; -1 on ENOMEM. */
static int
rw_grow(void *pp, size_t *cap, size_t need, size_t size)
{
	void **p = pp, *n;
	size_t c = *cap > 0 ? *cap : 64;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if ((n = reallocarray(*p, c, size)) == NULL)
		return -1;
	*p = n;
	*cap = c;
	return 0;
}

static const char *
rw_str(const struct rw *rw, size_t off)
{
	return rw->rw_strs.jb_data + off;
}

static int
rw_label_cmp(const void *a, const void *b, void *arg)
{
	const struct rw_label *x = a, *y = b;
	int c;

	/* Equal names keep their order, so the first of a clash wins. */
	if ((c = strcmp(rw_str(arg, x->rl_name), rw_str(arg, y->rl_name))) !=
	    0)
		return c;
	return x->rl_name < y->rl_name ? -1 : x->rl_name > y->rl_name;
}

static int
rw_add_label(struct rw *rw, const char *key, const char *value, int sanitize)
{
	struct rw_label *l;
	size_t start;

	if (value == NULL || value[0] == '\0')
		return 0;
	if (rw_grow(&rw->rw_labs, &rw->rw_labcap, rw->rw_nlabs + 1,
	    sizeof(*rw->rw_labs)) == -1)
		return -1;
	l = &rw->rw_labs[rw->rw_nlabs++];
	start = rw->rw_strs.jb_len;
	l->rl_name = start;
	if (sanitize)
		sink_prom_label_name(&rw->rw_strs, key);
	else
		json_lit(&rw->rw_strs, key);
	json_raw(&rw->rw_strs, "", 1);
	l->rl_value = rw->rw_strs.jb_len;
	sink_prom_label_value(&rw->rw_strs, value, 0);
	json_raw(&rw->rw_strs, "", 1);
	return 0;
}

/* Every sample's label set, sorted, duplicates (after sanitizing) dropped. */
static int
rw_labels(struct rw *rw, const struct sample *samples, size_t n)
{
	const struct cfg_target *tg;
	size_t i, j, k, first;

	if (rw_grow(&rw->rw_lfirst, &(size_t){ rw->rw_ncap }, n,
	    sizeof(size_t)) == -1 ||
	    rw_grow(&rw->rw_lcount, &(size_t){ rw->rw_ncap }, n,
	    sizeof(size_t)) == -1 ||
	    rw_grow(&rw->rw_lbytes, &rw->rw_ncap, n, sizeof(size_t)) == -1)
		return -1;
	json_buf_reset(&rw->rw_strs);
	rw->rw_nlabs = 0;
	rw->rw_off_name = rw->rw_strs.jb_len;
	json_raw(&rw->rw_strs, "__name__", 9);
	rw->rw_off_index = rw->rw_strs.jb_len;
	json_raw(&rw->rw_strs, "index", 6);
	for (i = 0; i < n; i++) {
		tg = samples[i].sa_target;
		first = rw->rw_lfirst[i] = rw->rw_nlabs;
		k = rw->rw_strs.jb_len;
		if (rw_add_label(rw, "target", tg->ct_name, 0) == -1 ||
		    rw_add_label(rw, "host", tg->ct_host, 0) == -1)
			return -1;
		for (j = 0; j < tg->ct_nlabels; j++)
			if (rw_add_label(rw, tg->ct_labels[j].cl_key,
			    tg->ct_labels[j].cl_value, 1) == -1)
				return -1;
		rw->rw_lbytes[i] = rw->rw_strs.jb_len - k;
		if (rw->rw_strs.jb_failed)
			return -1;
		qsort_r(rw->rw_labs + first, rw->rw_nlabs - first,
		    sizeof(*rw->rw_labs), rw_label_cmp, rw);
		/*
		 * Two keys that sanitize alike: Prometheus refuses a series
		 * with both, so the first (in the config's order) is kept.
		 */
		for (j = k = first; j < rw->rw_nlabs; j++)
			if (j == first || strcmp(rw_str(rw,
			    rw->rw_labs[j].rl_name), rw_str(rw,
			    rw->rw_labs[k - 1].rl_name)) != 0)
				rw->rw_labs[k++] = rw->rw_labs[j];
		rw->rw_nlabs = k;
		rw->rw_lcount[i] = k - first;
	}
	return 0;
}

/* Append the label name=value to the batch's label list at *pos. */
static void
rw_put(struct rw *rw, size_t *pos, char *name, char *value)
{
	Prometheus__Label *l = &rw->rw_lbl[*pos];

	prometheus__label__init(l);
	l->name = name;
	l->value = value;
	rw->rw_lblp[(*pos)++] = l;
}

/* Encode, compress and hand the batch to push; empty it. */
static void
rw_flush(struct rw *rw)
{
	Prometheus__WriteRequest wr;
	const struct rw_series *rs;
	size_t i, j, nl = 0, pos, len, zlen, first, cnt;
	int name_done, index_done;
	char *strs, *bstr, *ln;

	if (rw->rw_nser == 0 || rw->rw_failed)
		goto out;
	for (i = 0; i < rw->rw_nser; i++)
		nl += rw->rw_lcount[rw->rw_ser[i].rs_sample] + 2;
	if (rw_grow(&rw->rw_lbl, &(size_t){ rw->rw_lblcap }, nl,
	    sizeof(*rw->rw_lbl)) == -1 ||
	    rw_grow(&rw->rw_lblp, &rw->rw_lblcap, nl,
	    sizeof(*rw->rw_lblp)) == -1 || rw->rw_bstr.jb_failed)
		goto nomem;
	strs = rw->rw_strs.jb_data;
	bstr = rw->rw_bstr.jb_data;
	pos = 0;
	for (i = 0; i < rw->rw_nser; i++) {
		rs = &rw->rw_ser[i];
		first = rw->rw_lfirst[rs->rs_sample];
		cnt = rw->rw_lcount[rs->rs_sample];
		prometheus__time_series__init(&rw->rw_ts[i]);
		rw->rw_ts[i].labels = &rw->rw_lblp[pos];
		name_done = 0;
		index_done = rs->rs_index == RW_NO_INDEX;
		/* Merge __name__ and index into the sorted sample labels. */
		for (j = 0; j <= cnt; j++) {
			ln = j < cnt ? strs + rw->rw_labs[first + j].rl_name :
			    NULL;
			if (!name_done && (ln == NULL ||
			    strcmp("__name__", ln) < 0)) {
				rw_put(rw, &pos, strs + rw->rw_off_name,
				    bstr + rs->rs_name);
				name_done = 1;
			}
			if (!index_done && (ln == NULL ||
			    strcmp("index", ln) < 0)) {
				rw_put(rw, &pos, strs + rw->rw_off_index,
				    bstr + rs->rs_index);
				index_done = 1;
			}
			if (ln == NULL)
				break;
			rw_put(rw, &pos, ln, strs +
			    rw->rw_labs[first + j].rl_value);
		}
		rw->rw_ts[i].n_labels = (size_t)(&rw->rw_lblp[pos] -
		    rw->rw_ts[i].labels);
		prometheus__sample__init(&rw->rw_smp[i]);
		rw->rw_smp[i].value = rs->rs_value;
		rw->rw_smp[i].timestamp = (int64_t)rs->rs_time_ms;
		rw->rw_smpp[i] = &rw->rw_smp[i];
		rw->rw_ts[i].n_samples = 1;
		rw->rw_ts[i].samples = &rw->rw_smpp[i];
		rw->rw_tsp[i] = &rw->rw_ts[i];
	}
	prometheus__write_request__init(&wr);
	wr.n_timeseries = rw->rw_nser;
	wr.timeseries = rw->rw_tsp;
	len = prometheus__write_request__get_packed_size(&wr);
	if (rw_grow(&rw->rw_pb, &rw->rw_pbcap, len, 1) == -1)
		goto nomem;
	len = prometheus__write_request__pack(&wr, rw->rw_pb);
	zlen = snappy_max_compressed_length(len);
	if (rw_grow(&rw->rw_z, &rw->rw_zcap, zlen, 1) == -1)
		goto nomem;
	if (snappy_compress((const char *)rw->rw_pb, len, rw->rw_z, &zlen) !=
	    SNAPPY_OK)
		goto nomem;
	push_batch(rw->rw_push, rw->rw_z, zlen, (uint32_t)rw->rw_nser,
	    rw->rw_time_ms);
	goto out;
nomem:
	rw->rw_failed = 1;
out:
	rw->rw_nser = 0;
	rw->rw_bytes = 0;
	json_buf_reset(&rw->rw_bstr);
}

static void
rw_add(struct rw *rw, const struct sample *samples, size_t si,
    const struct prom_ent *e, const char *index, double v)
{
	struct rw_series *rs;

	if (rw->rw_nser == RW_BATCH_SERIES || rw->rw_bytes >= RW_BATCH_BYTES)
		rw_flush(rw);
	rs = &rw->rw_ser[rw->rw_nser++];
	rs->rs_sample = si;
	rs->rs_value = v;
	rs->rs_time_ms = samples[si].sa_time_ms;
	rs->rs_name = rw->rw_bstr.jb_len;
	sink_prom_name(&rw->rw_bstr, e);
	json_raw(&rw->rw_bstr, "", 1);
	rs->rs_index = RW_NO_INDEX;
	if (index != NULL) {
		rs->rs_index = rw->rw_bstr.jb_len;
		sink_prom_label_value(&rw->rw_bstr, index, 0);
		json_raw(&rw->rw_bstr, "", 1);
	}
	rw->rw_bytes += rw->rw_lbytes[si] + (rw->rw_bstr.jb_len -
	    rs->rs_name) + 32;
}

static int
rw_write_run(struct sink *s, const struct sample *samples, size_t n,
    char *err, size_t errlen)
{
	struct rw *rw = s->sk_priv;
	struct sink_outcome *o = &s->sk_out;
	struct prom_ent *ents = NULL, b = { .pe_p1 = NULL };
	const struct sample_value *v;
	size_t i, k, nents = 0;
	double d;

	push_begin(rw->rw_push, s->sk_deadline_ns);
	rw->rw_nser = 0;
	rw->rw_bytes = 0;
	rw->rw_failed = 0;
	json_buf_reset(&rw->rw_bstr);
	rw->rw_time_ms = n > 0 ? samples[0].sa_time_ms : 0;
	if (rw_labels(rw, samples, n) == -1 ||
	    sink_prom_collect(samples, n, &ents, &nents) == -1)
		rw->rw_failed = 1;
	for (k = 0; !rw->rw_failed && k < SINK_PROM_NBUILTIN; k++) {
		b.pe_p1 = sink_prom_builtin[k];
		for (i = 0; i < n; i++)
			if (sink_prom_builtin_value(k, &samples[i], &d) == 0)
				rw_add(rw, samples, i, &b, NULL, d);
	}
	for (i = 0; !rw->rw_failed && i < nents; i++) {
		v = ents[i].pe_v;
		rw_add(rw, samples, ents[i].pe_sample, &ents[i],
		    ents[i].pe_index, v->sv_kind == SV_INT ?
		    (double)v->sv_int : (double)v->sv_uint);
	}
	rw_flush(rw);
	free(ents);
	return push_end(rw->rw_push, rw->rw_failed, o, err, errlen);
}

const struct sink_ops sink_remote_write_ops = {
	.so_name = "remote_write",
	.so_open = rw_open,
	.so_write_run = rw_write_run,
	.so_close = rw_close,
	.so_fills_outcome = 1,
};
