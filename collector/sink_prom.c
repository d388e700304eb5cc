/*
 * sink_prom: a Prometheus text file (exposition format 0.0.4) for
 * node_exporter's textfile collector, rewritten whole every run:
 *
 *   proctel_up{target="local",host="127.0.0.1",role="demo"} 1
 *   proctel_poll_attempts{...} 1
 *   proctel_poll_latency_seconds{...} 0.0004      (answered targets only)
 *   proctel_<metric>{...} 3                       (integer metrics)
 *   proctel_<table>_<column>{...,index="812"} 3   (integer table cells)
 *
 * Metric names keep [a-zA-Z0-9_:] and every other byte becomes '_'
 * (cfg_prom_name_byte()); the configuration refuses at load any two names
 * that would so meet, or meet a family of ours (export_names.c), so every
 * series has one name of its own.  A label key that cfg_label_renamed()
 * names (target, host, index, "__*") is written label_<key>.  Label values
 * escape \\, \" and \n and are otherwise exact (the configuration's
 * strings are UTF-8; an index is digits and dots).  Every family is
 * written together under one HELP and one TYPE line (counter for
 * Counter32/Counter64, gauge otherwise; the first series decides),
 * families in name order.  Strings and absent values are skipped.  No
 * timestamps: the textfile collector refuses them.
 *
 * The file is streamed into a temp file beside it, fsync'ed, and renamed
 * over the target, so a reader sees the old file or the new one, never
 * half; memory stays at SINK_SPILL_BYTES whatever the run holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/json.h"
#include "collector/sink_impl.h"

#define ASN_COUNTER32	0x41
#define ASN_COUNTER64	0x46

struct prom {
	struct json_buf	 pr_out;	/* spills into pr_fd */
	int		 pr_fd;		/* the temp file of the run */
	int		 pr_errno;	/* a write to it failed */
	char		 pr_tmp[4096];
	struct json_buf	 pr_labels;	/* every sample's label set */
	size_t		*pr_loff;	/* [sample] offset into pr_labels */
	size_t		*pr_llen;
	size_t		 pr_ncap;
};

static int
prom_open(struct sink *s, char *err, size_t errlen)
{
	struct prom *pr;

	if ((pr = calloc(1, sizeof(*pr))) == NULL) {
		sink_err(err, errlen, "prom %s: out of memory", s->sk_path);
		return -1;
	}
	json_buf_init(&pr->pr_out);
	json_buf_init(&pr->pr_labels);
	pr->pr_fd = -1;
	s->sk_priv = pr;
	return 0;
}

/* Iterate the sanitized characters of a family name without building it. */
struct prom_name_it {
	const char	*ni_part[3];
	int		 ni_i;
	size_t		 ni_off;
};

static void
prom_name_it_init(struct prom_name_it *it, const struct prom_ent *e)
{
	it->ni_part[0] = e->pe_p1 != NULL ? e->pe_p1 : "";
	it->ni_part[1] = e->pe_p2 != NULL ? "_" : NULL;
	it->ni_part[2] = e->pe_p2;
	it->ni_i = 0;
	it->ni_off = 0;
}

static int
prom_name_next(struct prom_name_it *it)
{
	int c;

	while (it->ni_i < 3) {
		if (it->ni_part[it->ni_i] == NULL ||
		    it->ni_part[it->ni_i][it->ni_off] == '\0') {
			it->ni_i++;
			it->ni_off = 0;
			continue;
		}
		c = (unsigned char)it->ni_part[it->ni_i][it->ni_off++];
		return cfg_prom_name_byte(c) ? c : '_';
	}
	return -1;
}

static int
prom_name_cmp(const struct prom_ent *a, const struct prom_ent *b)
{
	struct prom_name_it ia, ib;
	int ca, cb;

	prom_name_it_init(&ia, a);
	prom_name_it_init(&ib, b);
	do {
		ca = prom_name_next(&ia);
		cb = prom_name_next(&ib);
	} while (ca == cb && ca != -1);
	return ca < cb ? -1 : ca > cb;
}

static int
prom_ent_cmp(const void *va, const void *vb)
{
	const struct prom_ent *a = va, *b = vb;
	int c;

	if ((c = prom_name_cmp(a, b)) != 0)
		return c;
	return a->pe_seq < b->pe_seq ? -1 : a->pe_seq > b->pe_seq;
}

void
sink_prom_name(struct json_buf *jb, const struct prom_ent *e)
{
	struct prom_name_it it;
	char c;
	int ch;

	json_lit(jb, "proctel_");
	prom_name_it_init(&it, e);
	while ((ch = prom_name_next(&it)) != -1) {
		c = (char)ch;
		json_raw(jb, &c, 1);
	}
}

void
sink_prom_label_value(struct json_buf *jb, const char *s, int escape)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), n;

	while (left > 0) {
		if (escape && *p == '\\')
			json_raw(jb, "\\\\", 2), n = 1;
		else if (escape && *p == '"')
			json_raw(jb, "\\\"", 2), n = 1;
		else if (escape && *p == '\n')
			json_raw(jb, "\\n", 2), n = 1;
		else if ((n = json_utf8_len(p, left)) == 0) {
			json_raw(jb, JSON_REPLACEMENT, 3);
			n = 1;
		} else
			json_raw(jb, p, n);
		p += n;
		left -= n;
	}
}

/* A label value, escaped per the exposition format. */
static void
prom_put_value(struct json_buf *jb, const char *s)
{
	sink_prom_label_value(jb, s, 1);
}

/* Label keys are [A-Za-z_][A-Za-z0-9_]* (target_conf.c checks). */
void
sink_prom_label_name(struct json_buf *jb, const char *key)
{
	if (cfg_label_renamed(key))
		json_lit(jb, "label_");
	json_lit(jb, key);
}

/* HELP text escapes only \\ and \n. */
static void
prom_put_help(struct json_buf *jb, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			json_raw(jb, "\\\\", 2);
		else if (*s == '\n')
			json_raw(jb, "\\n", 2);
		else
			json_raw(jb, s, 1);
	}
}

/* Build every sample's label set once: target="..",host="..",k="v". */
static int
prom_labels(struct prom *pr, const struct sample *samples, size_t n)
{
	const struct cfg_target *tg;
	size_t i, j, *p;

	if (n > pr->pr_ncap) {
		if ((p = reallocarray(pr->pr_loff, n, sizeof(*p))) == NULL)
			return -1;
		pr->pr_loff = p;
		if ((p = reallocarray(pr->pr_llen, n, sizeof(*p))) == NULL)
			return -1;
		pr->pr_llen = p;
		pr->pr_ncap = n;
	}
	json_buf_reset(&pr->pr_labels);
	for (i = 0; i < n; i++) {
		tg = samples[i].sa_target;
		pr->pr_loff[i] = pr->pr_labels.jb_len;
		json_lit(&pr->pr_labels, "target=\"");
		prom_put_value(&pr->pr_labels, tg->ct_name != NULL ?
		    tg->ct_name : "");
		json_lit(&pr->pr_labels, "\",host=\"");
		prom_put_value(&pr->pr_labels, tg->ct_host != NULL ?
		    tg->ct_host : "");
		json_raw(&pr->pr_labels, "\"", 1);
		for (j = 0; j < tg->ct_nlabels; j++) {
			json_raw(&pr->pr_labels, ",", 1);
			sink_prom_label_name(&pr->pr_labels,
			    tg->ct_labels[j].cl_key);
			json_lit(&pr->pr_labels, "=\"");
			prom_put_value(&pr->pr_labels,
			    tg->ct_labels[j].cl_value);
			json_raw(&pr->pr_labels, "\"", 1);
		}
		pr->pr_llen[i] = pr->pr_labels.jb_len - pr->pr_loff[i];
	}
	return pr->pr_labels.jb_failed ? -1 : 0;
}

const char *const sink_prom_builtin[SINK_PROM_NBUILTIN] = {
	"up", "poll_attempts", "poll_latency_seconds",
};

static const char *const prom_builtin_help[SINK_PROM_NBUILTIN] = {
	"1 when the target answered the last poll, 0 otherwise",
	"the most times one request of the last poll was sent",
	"first request to last reply of the last poll",
};

int
sink_prom_builtin_value(size_t which, const struct sample *sa, double *v)
{
	switch (which) {
	case 0:
		*v = sa->sa_status == SAMPLE_OK ? 1 : 0;
		return 0;
	case 1:
		*v = sa->sa_attempts;
		return 0;
	case 2:
		*v = sa->sa_latency_ms / 1000.0;
		return sa->sa_status == SAMPLE_OK ? 0 : -1;
	}
	return -1;
}

static void
prom_builtin(struct prom *pr, const struct sample *samples, size_t n)
{
	struct prom_ent e = { .pe_p1 = NULL };
	char num[40];
	size_t b, i, len;
	double v;

	for (b = 0; b < SINK_PROM_NBUILTIN; b++) {
		e.pe_p1 = sink_prom_builtin[b];
		json_lit(&pr->pr_out, "# HELP ");
		sink_prom_name(&pr->pr_out, &e);
		json_raw(&pr->pr_out, " ", 1);
		json_lit(&pr->pr_out, prom_builtin_help[b]);
		json_lit(&pr->pr_out, "\n# TYPE ");
		sink_prom_name(&pr->pr_out, &e);
		json_lit(&pr->pr_out, " gauge\n");
		for (i = 0; i < n; i++) {
			if (sink_prom_builtin_value(b, &samples[i], &v) == -1 ||
			    (len = json_fmt_double(num, sizeof(num), v)) == 0)
				continue;
			sink_prom_name(&pr->pr_out, &e);
			json_raw(&pr->pr_out, "{", 1);
			json_raw(&pr->pr_out, pr->pr_labels.jb_data +
			    pr->pr_loff[i], pr->pr_llen[i]);
			json_lit(&pr->pr_out, "} ");
			json_raw(&pr->pr_out, num, len);
			json_raw(&pr->pr_out, "\n", 1);
		}
	}
}

static int
prom_numeric(const struct sample_value *v)
{
	return v->sv_kind == SV_INT || v->sv_kind == SV_UINT;
}

int
sink_prom_collect(const struct sample *samples, size_t n, struct prom_ent **out,
    size_t *nout)
{
	const struct sample *sa;
	const struct sample_row *r;
	struct prom_ent *ents = NULL, *p;
	size_t i, j, k, t, cnt = 0, cap = 0;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < n; i++) {
		sa = &samples[i];
		if (sa->sa_status != SAMPLE_OK)
			continue;
		for (j = 0; j < sa->sa_nvalues; j++)
			if (prom_numeric(&sa->sa_values[j]))
				cap++;
		for (t = 0; t < sa->sa_ntables; t++)
			for (j = 0; j < sa->sa_tables[t].st_nrows; j++) {
				r = &sa->sa_tables[t].st_rows[j];
				for (k = 0; k < r->sr_ncols; k++)
					if (prom_numeric(&r->sr_cols[k]))
						cap++;
			}
	}
	if (cap == 0)
		return 0;
	if ((ents = calloc(cap, sizeof(*ents))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		sa = &samples[i];
		if (sa->sa_status != SAMPLE_OK)
			continue;
		for (j = 0; j < sa->sa_nvalues; j++) {
			if (!prom_numeric(&sa->sa_values[j]) ||
			    sa->sa_values[j].sv_name == NULL)
				continue;
			p = &ents[cnt];
			p->pe_p1 = sa->sa_values[j].sv_name;
			p->pe_v = &sa->sa_values[j];
			p->pe_sample = i;
			p->pe_seq = cnt++;
		}
		for (t = 0; t < sa->sa_ntables; t++)
			for (j = 0; j < sa->sa_tables[t].st_nrows; j++) {
				r = &sa->sa_tables[t].st_rows[j];
				for (k = 0; k < r->sr_ncols; k++) {
					if (!prom_numeric(&r->sr_cols[k]) ||
					    r->sr_cols[k].sv_name == NULL)
						continue;
					p = &ents[cnt];
					p->pe_p1 = sa->sa_tables[t].st_name;
					p->pe_p2 = r->sr_cols[k].sv_name;
					p->pe_index = r->sr_index != NULL ?
					    r->sr_index : "";
					p->pe_v = &r->sr_cols[k];
					p->pe_sample = i;
					p->pe_seq = cnt++;
				}
			}
	}
	qsort(ents, cnt, sizeof(*ents), prom_ent_cmp);
	*out = ents;
	*nout = cnt;
	return 0;
}

static void
prom_families(struct prom *pr, const struct prom_ent *ents, size_t n)
{
	struct json_buf *jb = &pr->pr_out;
	const struct prom_ent *e;
	const struct sample_value *v;
	size_t i;
	int counter;

	for (i = 0; i < n; i++) {
		e = &ents[i];
		v = e->pe_v;
		if (i == 0 || prom_name_cmp(&ents[i - 1], e) != 0) {
			counter = v->sv_asn_type == ASN_COUNTER32 ||
			    v->sv_asn_type == ASN_COUNTER64;
			json_lit(jb, "# HELP ");
			sink_prom_name(jb, e);
			json_lit(jb, e->pe_p2 != NULL ? " SNMP table " :
			    " SNMP metric ");
			prom_put_help(jb, e->pe_p1 != NULL ? e->pe_p1 : "");
			if (e->pe_p2 != NULL) {
				json_lit(jb, " column ");
				prom_put_help(jb, e->pe_p2);
			}
			json_lit(jb, "\n# TYPE ");
			sink_prom_name(jb, e);
			json_lit(jb, counter ? " counter\n" : " gauge\n");
		}
		sink_prom_name(jb, e);
		json_raw(jb, "{", 1);
		json_raw(jb, pr->pr_labels.jb_data + pr->pr_loff[e->pe_sample],
		    pr->pr_llen[e->pe_sample]);
		if (e->pe_index != NULL) {
			json_lit(jb, ",index=\"");
			prom_put_value(jb, e->pe_index);
			json_raw(jb, "\"", 1);
		}
		json_lit(jb, "} ");
		if (v->sv_kind == SV_INT)
			json_i64(jb, v->sv_int);
		else
			json_u64(jb, v->sv_uint);
		json_raw(jb, "\n", 1);
	}
}

/* json_buf's spill: write what pr_out holds to the temp file. */
static int
prom_spill(struct json_buf *jb, void *arg)
{
	struct prom *pr = arg;
	size_t off;
	ssize_t w;

	for (off = 0; off < jb->jb_len; off += (size_t)w) {
		w = write(pr->pr_fd, jb->jb_data + off, jb->jb_len - off);
		if (w == -1 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0) {
			pr->pr_errno = w == -1 ? errno : EIO;
			return -1;
		}
	}
	return 0;
}

/*
 * Finish the temp file: the rest of pr_out, mode, fsync, close, rename
 * over path, and the directory synced.  The temp file is gone after, on
 * success or not.
 */
static int
prom_commit(struct prom *pr, const char *path, char *err, size_t errlen)
{
	char dir[4096];
	const char *what;
	int dfd, n;

	what = "write";
	if (pr->pr_out.jb_failed || (pr->pr_out.jb_len > 0 &&
	    prom_spill(&pr->pr_out, pr) == -1)) {
		errno = pr->pr_errno != 0 ? pr->pr_errno : ENOMEM;
		goto fail;
	}
	/* mkostemp makes 0600; node_exporter often runs as another user. */
	what = "chmod";
	if (fchmod(pr->pr_fd, 0644) == -1)
		goto fail;
	what = "fsync";
	if (fsync(pr->pr_fd) == -1)
		goto fail;
	what = "close";
	n = close(pr->pr_fd);
	pr->pr_fd = -1;
	if (n == -1)
		goto fail;
	what = "rename";
	if (rename(pr->pr_tmp, path) == -1)
		goto fail;
	/* Make the rename itself durable; failure here loses nothing now. */
	n = snprintf(dir, sizeof(dir), "%s", path);
	if (n > 0 && (size_t)n < sizeof(dir) &&
	    (dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) !=
	    -1) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	sink_err(err, errlen, "prom %s: %s %s: %s", path, what, pr->pr_tmp,
	    strerror(errno));
	if (pr->pr_fd != -1)
		close(pr->pr_fd);
	pr->pr_fd = -1;
	unlink(pr->pr_tmp);
	return -1;
}

/*
 * The run streams into a temp file beside the target (pr_out spills into
 * it), which is renamed over the target once whole: a reader sees the old
 * file or the new one.
 */
static int
prom_write_run(struct sink *s, const struct sample *samples, size_t n,
    char *err, size_t errlen)
{
	struct prom *pr = s->sk_priv;
	struct prom_ent *ents = NULL;
	size_t nents;
	int len;

	json_buf_reset(&pr->pr_out);
	if (prom_labels(pr, samples, n) == -1 ||
	    sink_prom_collect(samples, n, &ents, &nents) == -1) {
		sink_err(err, errlen, "prom %s: out of memory", s->sk_path);
		free(ents);
		return -1;
	}
	len = snprintf(pr->pr_tmp, sizeof(pr->pr_tmp), "%s.tmp.XXXXXX",
	    s->sk_path);
	if (len < 0 || (size_t)len >= sizeof(pr->pr_tmp)) {
		sink_err(err, errlen, "prom %s: path too long", s->sk_path);
		free(ents);
		return -1;
	}
	if ((pr->pr_fd = mkostemp(pr->pr_tmp, O_CLOEXEC)) == -1) {
		sink_err(err, errlen, "prom %s: create temp file: %s",
		    s->sk_path, strerror(errno));
		free(ents);
		return -1;
	}
	pr->pr_errno = 0;
	json_buf_spill(&pr->pr_out, prom_spill, pr, SINK_SPILL_BYTES);
	prom_builtin(pr, samples, n);
	prom_families(pr, ents, nents);
	free(ents);
	return prom_commit(pr, s->sk_path, err, errlen);
}

static void
prom_close(struct sink *s)
{
	struct prom *pr = s->sk_priv;

	if (pr == NULL)
		return;
	json_buf_free(&pr->pr_out);
	json_buf_free(&pr->pr_labels);
	free(pr->pr_loff);
	free(pr->pr_llen);
	free(pr);
	s->sk_priv = NULL;
}

const struct sink_ops sink_prom_ops = {
	.so_name = "prom",
	.so_open = prom_open,
	.so_write_run = prom_write_run,
	.so_close = prom_close,
};
