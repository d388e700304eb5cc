/*
 * sink: where a run's samples go (SQLite history, JSON Lines, CSV,
 * Prometheus text file, InfluxDB line protocol; remote stores by
 * Prometheus remote write or line protocol over HTTP).  Sinks see only
 * struct sample, never net-snmp.  Each sink writes one run at a time,
 * whole: the SQLite sink in one transaction, the Prometheus sink to a temp
 * file renamed over the target, a remote sink to its store or, what the
 * store did not take, to its spool for the next run.
 */
#ifndef PT_SINK_H
#define PT_SINK_H

#include <stddef.h>

#include "collector/sample.h"
#include "config/config.h"

struct sink;

/*
 * What the last sink_write_run did.  "Samples" are records (one per
 * target) for the file sinks and influx_http, and single values (one per
 * series) for remote_write.
 */
struct sink_outcome {
	uint64_t	so_written;	/* stored, or taken by the store (sent
					 * from the spool included) */
	uint64_t	so_replayed;	/* of those, sent from the spool */
	uint64_t	so_spooled;	/* kept in the spool for the next run */
	uint64_t	so_rejected;	/* refused by the store (4xx): gone */
	uint64_t	so_lost;	/* dropped from a full spool, or not
					 * spooled for lack of one: gone */
	uint64_t	so_backlog;	/* waiting in the spool after the run */
	uint64_t	so_retries;	/* requests sent again */
};

/*
 * Open the sink described by out (paths relative to the current directory;
 * "-" is standard output for jsonl, csv and influx).  conf is borrowed for
 * the sink's life (metric and table names, labels).  Returns a new sink, free
 * with sink_close(); NULL with a message in err on failure.
 */
struct sink *sink_open(const struct cfg_output *out,
	    const struct cfg_collector *conf, char *err, size_t errlen);
/*
 * Write one run: samples[0..n) all share the run's start time.  Returns 0,
 * or -1 with a message in err (the run is then not written, or rolled back).
 */
int	sink_write_run(struct sink *s, const struct sample *samples, size_t n,
	    char *err, size_t errlen);
void	sink_close(struct sink *s);
/*
 * The run's deadline on CLOCK_MONOTONIC (ns): a remote sink stops sending
 * then and spools the rest.  0 (the default): each request's own timeout.
 */
void	sink_set_deadline(struct sink *s, uint64_t mono_ns);
/*
 * What the last sink_write_run did.  Returns 0, or -1 (and zeros) when the
 * sink has not written yet; a remote sink with a spool remembers its last
 * run across processes (in the spool directory).
 */
int	sink_get_outcome(const struct sink *s, struct sink_outcome *o);
/* "TYPE:PATH", a URL without user info or query: for messages and labels. */
void	sink_describe(const struct sink *s, char *buf, size_t size);
/*
 * Whether the sink takes the collector's self-metrics sample (the output's
 * self_metrics key; by default the remote stores do, the files do not).
 */
int	sink_wants_self(const struct sink *s);
/* The sink's type name as in the config: "sqlite", "remote_write", ... */
const char *sink_type_name(const struct sink *s);
/*
 * Parse "jsonl:-", "csv:FILE", "prom:FILE", "influx:FILE", "sqlite:FILE",
 * "remote_write:URL", "influx_http:URL".
 */
int	sink_parse_spec(const char *spec, struct cfg_output *out,
	    const char **errstr);

#endif
