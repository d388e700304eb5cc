/*
 * sink_impl: the private interface between sink.c (dispatch) and the sink
 * backends sink_{sqlite,jsonl,csv,prom,influx}.c, after OpenBSD snmpd's
 * backend vtables.  Nothing outside collector/sink*.c and the sink unit test
 * includes this.
 */
#ifndef PT_SINK_IMPL_H
#define PT_SINK_IMPL_H

#include <stdio.h>

#include "collector/json.h"
#include "collector/sink.h"

struct sink;

struct sink_ops {
	const char	*so_name;
	/* Set up s->sk_priv; 0, or -1 with a message in err. */
	int		(*so_open)(struct sink *s, char *err, size_t errlen);
	/* Write one whole run; 0, or -1 with a message in err. */
	int		(*so_write_run)(struct sink *s,
			    const struct sample *samples, size_t n,
			    char *err, size_t errlen);
	/* Release s->sk_priv (may be NULL after a failed open). */
	void		(*so_close)(struct sink *s);
	/*
	 * so_write_run fills s->sk_out itself (the remote sinks); for the
	 * others sink.c counts a whole run written.
	 */
	int		so_fills_outcome;
};

struct sink {
	const struct sink_ops		*sk_ops;
	const struct cfg_collector	*sk_conf;	/* borrowed */
	enum cfg_output_type		 sk_type;
	char				*sk_path;	/* owned copy; the URL
							 * of a remote sink */
	const struct cfg_remote		*sk_remote;	/* borrowed; NULL: all
							 * defaults */
	uint64_t			 sk_deadline_ns; /* 0: none */
	struct sink_outcome		 sk_out;	/* the last run's */
	int				 sk_has_out;	/* sk_out is known */
	int				 sk_self;	/* takes self-metrics */
	void				*sk_priv;	/* the backend's state */
};

extern const struct sink_ops sink_sqlite_ops;
extern const struct sink_ops sink_jsonl_ops;
extern const struct sink_ops sink_csv_ops;
extern const struct sink_ops sink_prom_ops;
extern const struct sink_ops sink_influx_ops;
extern const struct sink_ops sink_remote_write_ops;
extern const struct sink_ops sink_influx_http_ops;

/* Format err with a printf format; used by every backend. */
void	sink_err(char *err, size_t errlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* "ok", "timeout" or "error": the status as every sink writes it. */
const char *sink_status_name(enum sample_status st);

/* A sink's run buffer is written out each time it holds this much. */
#define SINK_SPILL_BYTES	(1024 * 1024)

/*
 * The state of the append-only text sinks (jsonl, csv, influx): the file
 * opened for appending (O_APPEND|O_CREAT|O_CLOEXEC, 0644), or stdout for
 * "-" (never closed by the sink), and the buffer a run streams through.
 */
struct sink_text {
	FILE		*tx_fp;
	int		 tx_stdout;
	struct json_buf	 tx_buf;	/* spills into tx_fp */
	off_t		 tx_before;	/* file size at the run's start, or -1 */
	int		 tx_errno;	/* a write of this run failed */
};

/* Open s->sk_path into tx; 0, or -1 with a message in err. */
int	sink_text_open(struct sink *s, struct sink_text *tx, char *err,
	    size_t errlen);
/*
 * Start a run: note where the file ends and empty tx_buf, which then
 * spills into the file every SINK_SPILL_BYTES.
 */
void	sink_text_begin(struct sink_text *tx);
/*
 * End a run: write the rest of tx_buf and flush (files are also
 * fsync'ed).  A run whose writing failed anywhere is cut off again, back
 * to where sink_text_begin() found the file's end, so the file keeps whole
 * runs (standard output cannot be).  0, or -1 with a message in err (also
 * when building the run ran out of memory).
 */
int	sink_text_flush(struct sink *s, struct sink_text *tx, char *err,
	    size_t errlen);
void	sink_text_close(struct sink_text *tx);

/* Append one sample's record (or line) to jb. */
typedef void	sink_text_fmt(struct json_buf *jb, const struct sample *sa);
/*
 * so_open, so_write_run and so_close for a text sink whose state is a
 * struct sink_text alone and that writes one record per sample.
 */
int	sink_text_so_open(struct sink *s, char *err, size_t errlen);
int	sink_text_write_run(struct sink *s, sink_text_fmt *fmt,
	    const struct sample *samples, size_t n, char *err, size_t errlen);
void	sink_text_so_close(struct sink *s);

/*
 * The Prometheus naming (sink_prom.c), one copy for the prom file sink and
 * remote_write.  A numeric series of a run: the family name is
 * "proctel_" p1 ["_" p2], sanitized.
 */
struct prom_ent {
	const char			*pe_p1;
	const char			*pe_p2;		/* NULL for metrics */
	const char			*pe_index;	/* table rows only */
	const struct sample_value	*pe_v;
	size_t				 pe_sample;
	size_t				 pe_seq;	/* keeps qsort stable */
};

/* The families every target gets: up, poll_attempts, poll_latency_seconds. */
#define SINK_PROM_NBUILTIN	3
extern const char *const sink_prom_builtin[SINK_PROM_NBUILTIN];
/* Built-in family `which` of sa in *v; -1 when sa has none (no latency). */
int	sink_prom_builtin_value(size_t which, const struct sample *sa,
	    double *v);
/*
 * Every numeric metric and table cell of answered samples, sorted by family
 * (the configuration refuses a name that would meet a built-in family).  *out is
 * malloc'd (NULL when none); 0, or -1 on ENOMEM.
 */
int	sink_prom_collect(const struct sample *samples, size_t n,
	    struct prom_ent **out, size_t *nout);
/* Append the family name of e: "proctel_" p1 ["_" p2], sanitized. */
void	sink_prom_name(struct json_buf *jb, const struct prom_ent *e);
/* A target label's name as Prometheus takes it (label_ before a name
 * cfg_label_renamed() names). */
void	sink_prom_label_name(struct json_buf *jb, const char *key);
/*
 * A label value as valid UTF-8 (U+FFFD for bad bytes); with escape, \\, \"
 * and newline escaped as the text format needs.
 */
void	sink_prom_label_value(struct json_buf *jb, const char *s, int escape);

/* One line of InfluxDB line protocol for sa (sink_influx.c). */
void	sink_influx_line(struct json_buf *jb, const struct sample *sa);

/*
 * Test hook (tests/unit/test_sinks.c only): make the SQLite sink s fail
 * after `n` more row inserts, so a run fails mid-way and must roll back;
 * with `kill`, the process SIGKILLs itself there instead (a killed run).
 * n < 0 disables it.
 */
void	sink_sqlite_fail_after(struct sink *s, long n, int kill);

#endif
