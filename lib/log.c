/*
 * log: the programs' logging, after OpenBSD's log.c.  Messages go to stderr
 * until log_init() asks for syslog.  This is the only file under lib/ that
 * writes anywhere; it does not rate-limit (callers do) and keeps no state
 * beyond the level and the destination.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "lib/log.h"

static int		log_use_syslog;
static enum log_level	log_level_cur = LOG_LEVEL_INFO;
static const char	*log_ident = "proctel";

static void	log_vemit(enum log_level, int, const char *, va_list)
		    __attribute__((format(printf, 3, 0)));

void
log_init(const char *ident, int use_syslog, enum log_level level)
{
	if (ident != NULL)
		log_ident = ident;
	log_level_cur = level;
	if (log_use_syslog && !use_syslog)
		closelog();
	log_use_syslog = use_syslog;
	if (use_syslog)
		openlog(log_ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	tzset();
}

void
log_set_level(enum log_level level)
{
	log_level_cur = level;
}

enum log_level
log_get_level(void)
{
	return log_level_cur;
}

int
log_level_parse(const char *name)
{
	static const char *const names[] = { "error", "warn", "info",
	    "debug" };
	size_t i;

	if (name == NULL)
		return -1;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	return -1;
}

/*
 * Format once into a fixed buffer so a message reaches stderr in a single
 * write (lines from two processes do not interleave) and syslog gets the same
 * text.  An over-long message is cut, never lost.
 */
static void
log_vemit(enum log_level level, int errnum, const char *fmt, va_list ap)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO,
	    LOG_DEBUG };
	char msg[2048];
	int n;

	if (level > log_level_cur)
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		msg[0] = '\0';
	if (errnum != 0) {
		size_t used = strlen(msg);

		/* Truncation here is acceptable: the text is only a message. */
		(void)snprintf(msg + used, sizeof(msg) - used, ": %s",
		    strerror(errnum));
	}
	if (log_use_syslog)
		syslog(prio[level], "%s", msg);
	else {
		fprintf(stderr, "%s: %s\n", log_ident, msg);
		fflush(stderr);
	}
}

void
log_errorx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_LEVEL_ERROR, 0, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vemit(LOG_LEVEL_WARN, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_LEVEL_WARN, 0, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_LEVEL_INFO, 0, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_LEVEL_DEBUG, 0, fmt, ap);
	va_end(ap);
}

void
fatal(int status, const char *fmt, ...)
{
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	log_vemit(LOG_LEVEL_ERROR, saved, fmt, ap);
	va_end(ap);
	exit(status);
}

void
fatalx(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit(LOG_LEVEL_ERROR, 0, fmt, ap);
	va_end(ap);
	exit(status);
}
