/*
 * log: the two programs' logging, after OpenBSD's log.c.  Messages go to
 * stderr in the foreground and to syslog once log_init() is told so.  The
 * library folders (snmp/, lib/ except this file, config/) never call it.
 */
#ifndef PT_LOG_H
#define PT_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG,
};

/* Start logging as `ident`; to syslog when use_syslog, else to stderr. */
void	log_init(const char *ident, int use_syslog, enum log_level level);
void	log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parse "error", "warn", "info" or "debug"; -1 when unknown. */
int	log_level_parse(const char *name);

/* An error the program lives with (it does not exit). */
void	log_errorx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* For start-up in main only: log and exit(status). fatal adds errno. */
void	fatal(int status, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	fatalx(int status, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

#endif
