/*
 * procfs_parse: the text parsers behind procfs.c, apart from its I/O so
 * that the fuzzer and the tests reach each of them alone.  Private to
 * procfs.c, its tests and its fuzz target; procfs_parse_stat() is declared
 * in procfs.h.  Every parser refuses what it does not fully understand and
 * returns 0 or -1; none allocates, logs or makes a system call.
 */
#ifndef PT_PROCFS_PARSE_H
#define PT_PROCFS_PARSE_H

#include <stddef.h>
#include <stdint.h>

/*
 * A decimal number at s (NUL-terminated), starting with a digit (or '-'
 * then a digit for the signed form); *endp is set past it.  Overflow is
 * refused, never clamped.
 */
int	procfs_parse_u64(const char *s, const char **endp, uint64_t *out);
int	procfs_parse_i64(const char *s, const char **endp, int64_t *out);
/*
 * The real uid from the text of /proc/PID/status ("Uid:\tR\tE\tS\tF"): len
 * bytes at buf, which must have room for a NUL at buf[len].
 */
int	procfs_parse_status_uid(char *buf, size_t len, uint32_t *uid);
/* One line of /proc/stat (no newline): 0 and *forks for "processes N". */
int	procfs_parse_forks_line(const char *line, size_t len,
	    uint64_t *forks);
/* /proc/uptime, NUL-terminated: "337.18 641.93" -> 33718 centi-seconds. */
int	procfs_parse_uptime(const char *buf, uint64_t *cs);
/* /proc/sys/kernel/pid_max, NUL-terminated: "32768\n". */
int	procfs_parse_pid_max(const char *buf, uint32_t *pid_max);

#endif
