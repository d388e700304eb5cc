/*
 * report_impl: the report's data, shared by its loader (report_db.c), its
 * ranking and formatting helpers (report.c) and its two writers
 * (report_html.c, report_text.c).  Nothing outside collector/report*.c and
 * the report's unit test includes this.
 *
 * Every list is cut to a bound, so the page stays the same size whatever
 * the history holds: charts have at most REPORT_CHART_POINTS points (each
 * the maximum over a bucket of runs when there are more runs), sparklines
 * REPORT_SPARK_POINTS, and only the ro_top worst hosts, the
 * REPORT_PARENTS_SHOWN biggest parents, the ro_top longest-silent targets
 * and the REPORT_RUNS_SHOWN newest runs are listed.
 */
#ifndef PT_REPORT_IMPL_H
#define PT_REPORT_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/report.h"

#define REPORT_CHART_POINTS	1440	/* one day of one-minute runs */
#define REPORT_SPARK_POINTS	60
#define REPORT_TOP_DEFAULT	100
#define REPORT_TOP_MAX		1000	/* about 4 KB of page per host */
#define REPORT_PARENTS_SHOWN	50
#define REPORT_RUNS_SHOWN	20
#define REPORT_TEXT_CHARS	64	/* characters of a string shown */
#define REPORT_TEXT_BYTES	256	/* bytes of it kept (UTF-8 and more) */
#define REPORT_PARENTS_MAX	200000	/* (host, pid, name) tracked */
#define REPORT_NONE		SIZE_MAX
#define REPORT_SPARK_EMPTY	INT64_MIN

enum report_metric { RM_ZOMBIES = 0, RM_PROCESSES, RM_COUNT };

enum report_status { RS_NONE = 0, RS_OK, RS_TIMEOUT, RS_ERROR };

/* Bytes as the agent sent them (maybe not UTF-8, maybe with NULs). */
struct report_bytes {
	char		*rb_p;		/* NUL-terminated copy, or NULL */
	size_t		 rb_len;
	bool		 rb_cut;	/* longer than REPORT_TEXT_BYTES */
};

struct report_run {
	int64_t		 rn_id;
	uint64_t	 rn_time_ms;
	int64_t		 rn_duration_ms;	/* -1: not recorded */
	uint32_t	 rn_targets;		/* counted from polls */
	uint32_t	 rn_ok;
	uint32_t	 rn_timeout;
	uint32_t	 rn_error;
	double		 rn_slowest_ms;		/* the slowest answer */
	int64_t		 rn_sum[RM_COUNT];	/* over hosts that reported */
	uint32_t	 rn_n[RM_COUNT];	/* hosts that reported it */
};

struct report_series {
	bool		 rs_has;
	int64_t		 rs_first;	/* the first value in the window */
	int64_t		 rs_last;
	int64_t		 rs_max;
};

struct report_host {
	int64_t		 rh_id;		/* targets.id */
	char		*rh_name;
	char		*rh_host;
	int		 rh_port;
	enum report_status rh_status;	/* of its latest poll */
	size_t		 rh_last_poll;	/* run index, or REPORT_NONE */
	size_t		 rh_last_ok;
	size_t		 rh_last_data;	/* its latest run with a sample */
	size_t		 rh_fails;	/* failed polls since its last ok */
	struct report_series rh_s[RM_COUNT];
	int64_t		*rh_spark[RM_COUNT];	/* r_spark_points each */
	/* Loaded for the hosts shown only. */
	struct report_bytes rh_sysname;
	struct report_bytes rh_error;	/* of its latest poll */
};

struct report_parent {
	size_t		 rp_host;	/* index in r_hosts */
	char		*rp_pid;	/* the row's index: the parent's pid */
	struct report_bytes rp_name;
	int64_t		 rp_zombies;
	int64_t		 rp_oldest_s;	/* -1: not walked */
	size_t		 rp_first;	/* run indexes */
	size_t		 rp_last;
};

struct report {
	char		*r_db;
	uint64_t	 r_since_ms;
	uint64_t	 r_now_ms;
	size_t		 r_top;
	char		*r_metric[RM_COUNT];
	bool		 r_walk_known;
	bool		 r_walked;
	int		 r_version;	/* PRAGMA user_version */
	bool		 r_has_stats;	/* run_stats exists (version 2) */
	size_t		 r_runs_before;	/* runs older than the window */
	struct report_run *r_runs;	/* in the window, by id */
	size_t		 r_nruns;
	size_t		 r_spark_points;
	int64_t		*r_spark;	/* every host's sparklines */
	struct report_host *r_hosts;	/* every target, by id */
	size_t		 r_nhosts;
	size_t		*r_rank;	/* hosts with samples, worst first */
	size_t		 r_nranked;
	size_t		 r_with_zombies;	/* hosts whose last count > 0 */
	size_t		*r_silent;	/* latest poll failed, longest first */
	size_t		 r_nsilent;
	struct report_parent *r_parents;	/* current ones first, sorted */
	size_t		 r_nparents;	/* tracked */
	size_t		 r_ncurrent;	/* held at their host's last answer */
	bool		 r_parents_cut;	/* REPORT_PARENTS_MAX reached */
};

/*
 * report.c: ranking (report_load calls it before it reads the strings of
 * the hosts shown), runs into buckets, and the formatting both writers use.
 */
/* 0, or -1 on ENOMEM. */
int	report_rank(struct report *r);
size_t	report_bucket(size_t i, size_t n, size_t points);
size_t	report_points(size_t n, size_t points);
/* The time of run i (ISO 8601 UTC), or "-". */
void	report_time(const struct report *r, size_t i, char *buf, size_t size);
void	report_ms_time(uint64_t ms, char *buf, size_t size);
/* "45s", "12m", "3h05m", "2d04h". */
void	report_age(int64_t s, char *buf, size_t size);
/* 1234567 -> "1,234,567"; signed with plus when sign is true. */
void	report_num(int64_t v, bool sign, char *buf, size_t size);
const char *report_status_name(enum report_status st);
/*
 * One UTF-8 code point at p (RFC 3629: no overlong forms, no surrogates):
 * returns it and its length in *used, or -1 when the byte at p starts no
 * valid sequence.  left > 0.
 */
int32_t	report_utf8_next(const unsigned char *p, size_t left, size_t *used);
/* The window as said on the page: runs, first and last time. */
void	report_range(const struct report *r, char *from, char *to,
	    size_t size);

/*
 * report_zp.c: the zombie parent rows, fed cell by cell in key order
 * (run, host, table, index, column) by report_db.c; it adds to r_parents.
 */
struct report_zp;

struct report_zp_cell {
	size_t		 zc_run;	/* run index */
	size_t		 zc_host;	/* host index */
	const char	*zc_tbl;
	const char	*zc_idx;	/* the parent's pid */
	const char	*zc_col;
	bool		 zc_isint;
	int64_t		 zc_int;
	const void	*zc_bytes;	/* the text value */
	size_t		 zc_len;
};

/* Returns a new assembler for r, free with report_zp_free(); NULL ENOMEM. */
struct report_zp *report_zp_new(struct report *r);
/* One cell; 0, or -1 on ENOMEM. */
int	report_zp_cell(struct report_zp *z, const struct report_zp_cell *c);
/* Count the last row; 0, or -1 on ENOMEM. */
int	report_zp_end(struct report_zp *z);
void	report_zp_free(struct report_zp *z);

#endif
