/*
 * spool: the batches a remote store could not take, kept on disk in the
 * order they were made until a later run sends them.  One directory per
 * sink, locked (flock on DIR/.lock) by the one collector that uses it.
 * Each batch is one file, DIR/<16 hex digits>.batch, numbered in order:
 * written to a temp file, fsync'ed, renamed into place and the directory
 * fsync'ed, so a SIGKILL or a power cut leaves the whole batch or nothing
 * (a stray temp file, removed at the next open).  Bounded in bytes: a
 * batch that would pass the bound first drops the oldest, and the caller
 * is told how many.  Bodies are opaque (the sink's encoded request, sent
 * again as it is); the header says what kind of body, how many samples,
 * the run's time and the body's length.  Not a queue between processes,
 * and nothing here talks to the network.
 */
#ifndef PT_SPOOL_H
#define PT_SPOOL_H

#include <stddef.h>
#include <stdint.h>

/* The file header: "PTSPOOL\0", version, kind, samples, 0, time, length. */
#define SPOOL_HEADER_LEN	40
#define SPOOL_VERSION		1
/* Bigger than any batch a sink makes (they cut at a few MiB). */
#define SPOOL_BODY_MAX		(64U * 1024 * 1024)

enum spool_kind {
	SPOOL_REMOTE_WRITE = 1,	/* snappy-compressed WriteRequest */
	SPOOL_INFLUX_LINES = 2,	/* InfluxDB line protocol */
};

struct spool_hdr {
	uint32_t	sh_kind;	/* enum spool_kind */
	uint32_t	sh_nsamples;	/* what the sink counts as samples */
	uint64_t	sh_time_ms;	/* the run it came from */
	uint64_t	sh_body_len;
};

/* What making room (or reading a damaged file) threw away. */
struct spool_drop {
	uint64_t	sd_batches;
	uint64_t	sd_samples;
};

/* Encode h into out[0..SPOOL_HEADER_LEN) (little-endian). */
void	spool_hdr_encode(const struct spool_hdr *h, uint8_t *out);
/*
 * Decode a header from p[0..len).  Returns 0, or -1 with *errstr (short,
 * bad magic, unknown version, unknown kind, body over SPOOL_BODY_MAX).
 */
int	spool_hdr_decode(const uint8_t *p, size_t len, struct spool_hdr *h,
	    const char **errstr);

struct spool;

/*
 * Open (creating, mode 0700, with its parents) the spool in dir for
 * bodies of `kind`, bounded to max_bytes (headers included), and lock it.
 * Stray temp files are removed; a batch file that is damaged is removed
 * and counted in *drop.  Refused: a directory locked by another process,
 * or holding batches of another kind.  Returns a new spool, free with
 * spool_close(); NULL with a message in err.
 */
struct spool	*spool_open(const char *dir, uint64_t max_bytes,
		    enum spool_kind kind, struct spool_drop *drop, char *err,
		    size_t errlen);
/* Batches, samples and bytes held now. */
size_t		 spool_batches(const struct spool *sp);
uint64_t	 spool_samples(const struct spool *sp);
uint64_t	 spool_bytes(const struct spool *sp);
/*
 * Add one batch after the others (h's kind and length are set here).
 * Oldest batches are dropped first to stay within max_bytes, and counted
 * in *drop; a batch bigger than the whole bound is dropped itself (counted
 * too, and 1 returned).  Returns 0 when kept, 1 when dropped, -1 with a
 * message in err when it could not be written (nothing half-written
 * stays).
 */
int		 spool_add(struct spool *sp, uint32_t nsamples,
		    uint64_t time_ms, const void *body, size_t len,
		    struct spool_drop *drop, char *err, size_t errlen);
/*
 * Read the oldest batch: its header in *h and its body in *body (malloc'd,
 * the caller frees).  A damaged or vanished file is removed, counted in
 * *drop, and the next one read.  Returns 0, 1 when the spool is empty, -1
 * with a message in err.
 */
int		 spool_first(struct spool *sp, struct spool_hdr *h, void **body,
		    struct spool_drop *drop, char *err, size_t errlen);
/* Remove the oldest batch (after it was sent).  0, or -1 with err. */
int		 spool_shift(struct spool *sp, char *err, size_t errlen);
void		 spool_close(struct spool *sp);

/*
 * Test hook (tests/unit/test_spool.c only): the next spool_add SIGKILLs
 * the process after writing `bytes` of the body to the temp file.
 */
void		 spool_test_kill_after(struct spool *sp, size_t bytes);

#endif
