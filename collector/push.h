/*
 * push: what the two remote sinks share between their encoders and the
 * network: the HTTP client, the spool, retries and the order of sending.
 * A run goes: push_begin() sends what the spool holds, oldest first;
 * push_batch() for each encoded batch of the run; push_end() says what
 * became of it all.  Order is kept: while anything waits in the spool, or
 * once the store stopped answering in this run, new batches go to the
 * spool behind it, never past it.  Connection failures, timeouts, 408,
 * 425, 429 (after its Retry-After) and 5xx are retried with backoff, at
 * most `retries` times and never past the run's deadline; 401, 403, 404
 * and redirects are kept in the spool (the store refused us, not the
 * data); any other 4xx drops the batch with the store's message logged.
 * One warning per kind of trouble per run, not one per batch.
 */
#ifndef PT_PUSH_H
#define PT_PUSH_H

#include <stddef.h>
#include <stdint.h>

#include "collector/sink.h"
#include "collector/spool.h"
#include "config/config.h"

struct push;

/*
 * Open the network side of a remote sink: the URL and its settings (cr
 * NULL: the defaults), the secret files read and kept only in the HTTP
 * client, the spool opened (its default directory is
 * proctel-spool/TYPE-HASH beside the config file `config`, the hash taken
 * of the URL).  headers: the sink's own "Name: value" lines, NULL-ended.
 * type names the sink in messages.  Returns a new push, free with
 * push_close(); NULL with a message in err.
 */
struct push	*push_open(const char *type, const char *url,
		    const struct cfg_remote *cr, const char *config,
		    enum spool_kind kind, const char *const *headers,
		    char *err, size_t errlen);
/*
 * Start a run that must be done by deadline_ns (CLOCK_MONOTONIC; 0: no
 * deadline but the requests' own timeouts), and send what the spool holds.
 */
void		 push_begin(struct push *p, uint64_t deadline_ns);
/*
 * Send one batch (or spool it, see above).  nsamples is what the sink
 * counts in it; time_ms is the run's time, kept with a spooled batch.
 */
void		 push_batch(struct push *p, const void *body, size_t len,
		    uint32_t nsamples, uint64_t time_ms);
/*
 * End the run: what it came to, in *o.  Returns 0, or -1 with a message in
 * err when samples were refused or lost, or when the sink ran out of
 * memory (nomem) and stopped encoding.
 */
int		 push_end(struct push *p, int nomem, struct sink_outcome *o,
		    char *err, size_t errlen);
void		 push_close(struct push *p);
/*
 * The outcome of the last run that ended (in this process, or before it,
 * kept in the spool directory).  0, or -1 when none is known.
 */
int		 push_last(const struct push *p, struct sink_outcome *o);

/*
 * Read a secret from a file: one line, at most 4 KiB, the trailing line
 * break dropped; empty or binary content is refused.  Returns a new
 * string (wipe and free it), or NULL with a message (never the content)
 * in err.
 */
char		*push_read_secret(const char *path, char *err, size_t errlen);

#endif
