/*
 * report: `proctel-collector report`, one page (HTML, or an 80-column text
 * table) drawn from the SQLite history the sqlite sink writes: fleet zombies
 * and processes over time, the parents holding zombies, hosts worst first
 * with sparklines, targets that stopped answering, the collector's own
 * health per run (DESIGN.md "Report").  It only reads the history; it never
 * polls and never writes the database.
 */
#ifndef PT_REPORT_H
#define PT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct report;

enum report_err {
	REPORT_OK = 0,
	REPORT_ENOMEM = -1,
	REPORT_ENOENT = -2,	/* no file at the history's path */
	REPORT_EDB = -3,	/* SQLite could not open or read it */
	REPORT_ENOTHIST = -4,	/* not a proctel history (tables missing) */
	REPORT_ENEWER = -5,	/* written by a newer collector */
};

/* What to read and how much to show. */
struct report_opts {
	const char	*ro_db;		/* the history file */
	uint64_t	 ro_since_ms;	/* the window before the newest run;
					 * 0: all */
	size_t		 ro_top;	/* hosts shown, worst first */
	const char	*ro_zombies;	/* metric names in the history */
	const char	*ro_processes;
	const char	*ro_sysname;
	bool		 ro_walk_known;	/* the config says whether the */
	bool		 ro_walked;	/* zombie parent table is walked */
	uint64_t	 ro_now_ms;	/* the page's "generated at" */
};

/*
 * Read the history into a new report (free with report_free()).  Returns
 * 0 and *out, or a negative enum report_err with a message in err.
 */
int	report_load(const struct report_opts *o, struct report **out,
	    char *err, size_t errlen);
void	report_free(struct report *r);
const char *report_strerror(int code);

/* Write the page; 0, or -1 when the stream failed (errno set). */
int	report_write_html(const struct report *r, FILE *fp);
int	report_write_text(const struct report *r, FILE *fp);

/*
 * Parse a duration for --since: a number and one of s m h d w ("90m",
 * "24h", "30d"), or "all" (0).  Returns 0, or -1 with *errstr set.
 */
int	report_parse_since(const char *s, uint64_t *ms, const char **errstr);

/*
 * The subcommand: argv[0] is "report".  default_config is the collector's
 * default config path; default_db(config) returns, malloc'd, the history
 * the collector writes when the config names no output (main.c owns both,
 * so the report finds the file the collector wrote).  Returns the exit
 * status: 0 written, 1 the history or the output failed, 2 usage or config.
 */
int	report_main(int argc, char **argv, const char *default_config,
	    char *(*default_db)(const char *config));

#endif
