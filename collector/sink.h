/*
 * sink: where a run's samples go (SQLite history, JSON Lines, CSV,
 * Prometheus text file, InfluxDB line protocol).  Sinks see only struct
 * sample, never net-snmp.  Each sink writes one run at a time, whole: the
 * SQLite sink in one transaction, the Prometheus sink to a temp file renamed
 * over the target.
 */
#ifndef PT_SINK_H
#define PT_SINK_H

#include <stddef.h>

#include "collector/sample.h"
#include "config/config.h"

struct sink;

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
/* Parse "jsonl:-", "csv:FILE", "prom:FILE", "influx:FILE", "sqlite:FILE". */
int	sink_parse_spec(const char *spec, struct cfg_output *out,
	    const char **errstr);

#endif
