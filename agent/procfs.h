/*
 * procfs: one snapshot of every process (thread-group leader) on the host,
 * read from a /proc tree, sorted by pid, with the counts the MIB serves.
 * The root is a parameter so tests can point it at fake trees.
 *
 * The snapshot struct is public because the MIB modules read it directly.
 * A snapshot owns its memory; procfs_snapshot_take() reuses the buffers of
 * the snapshot it is given, so the agent keeps two and swaps them (cache.c),
 * and refreshes allocate only when the process count grows.  A take makes
 * no use of global state but the sysconf values read once, so one thread
 * may take a snapshot while another reads a different one.
 */
#ifndef PT_PROCFS_H
#define PT_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* PROCTEL-MIB ptProcState values. */
enum procfs_state {
	PROCFS_RUNNING = 1,	/* R */
	PROCFS_SLEEPING = 2,	/* S */
	PROCFS_DISKSLEEP = 3,	/* D */
	PROCFS_STOPPED = 4,	/* T, t */
	PROCFS_ZOMBIE = 5,	/* Z */
	PROCFS_IDLE = 6,	/* I */
	PROCFS_OTHER = 7,	/* X, W, P, K, anything else */
};

/* The kernel's TASK_COMM_LEN is 16; leave room should it grow. */
#define PROCFS_COMM_MAX	64
/*
 * Of a command line (read up to PROCFS_CMDLINE_MAX octets), only what some
 * object serves is kept: its first PROCFS_CMDLINE_SERVED octets
 * (ptProcCmdline, a DisplayString) and, after a longer argv[0], the
 * PROCFS_ARGS_SERVED octets that follow it (hrSWRunParameters, RFC 2790).
 */
#define PROCFS_CMDLINE_MAX	4096
#define PROCFS_CMDLINE_SERVED	255
#define PROCFS_ARGS_SERVED	128

struct procfs_proc {
	int32_t		pp_pid;
	int32_t		pp_ppid;
	uint8_t		pp_state;	/* enum procfs_state */
	char		pp_statechar;	/* the letter from stat */
	bool		pp_kthread;	/* PF_KTHREAD set in stat flags */
	char		pp_comm[PROCFS_COMM_MAX];	/* NUL-terminated */
	uint32_t	pp_uid;		/* real uid, from status; 0 for kthreads */
	uint32_t	pp_threads;	/* from stat num_threads */
	uint32_t	pp_rss_kb;	/* rss pages * page size / 1024 */
	uint32_t	pp_age_s;	/* seconds since start, at snapshot time */
	uint64_t	pp_cpu_cs;	/* utime + stime in centi-seconds */
	const char	*pp_cmdline;	/* args joined by ' ', "" unless read */
	size_t		pp_cmdline_len;	/* as kept (PROCFS_CMDLINE_SERVED) */
	/* argv[0]'s length in pp_cmdline: up to the first NUL of the file */
	size_t		pp_argv0_len;
};

struct procfs_zparent {
	int32_t		zp_pid;
	char		zp_name[PROCFS_COMM_MAX];	/* "" if the parent vanished */
	uint32_t	zp_zombies;
	uint32_t	zp_oldest_age_s;
};

struct procfs_snapshot {
	struct procfs_proc	*ps_procs;	/* sorted by pid */
	size_t			 ps_count;
	struct procfs_zparent	*ps_zparents;	/* sorted by pid; none for ppid 0 */
	size_t			 ps_nzparents;
	uint64_t		 ps_taken_ms;	/* clock_mono_ms() when taken */
	uint32_t		 ps_by_state[8];	/* index enum procfs_state */
	uint32_t		 ps_threads;	/* sum of pp_threads */
	uint64_t		 ps_forks;	/* "processes" in stat */
	uint32_t		 ps_pid_max;	/* sys/kernel/pid_max */
	uint32_t		 ps_oldest_zombie_s;
	uint64_t		 ps_uptime_cs;	/* host uptime, centi-seconds */
	/*
	 * A procfs that hides other users' processes from us (hidepid, or
	 * no access to pid 1, which every pid namespace has); never set for
	 * a tree that is not a procfs (the fake trees).
	 */
	bool			 ps_hidden;
	uint32_t		 ps_cmdline_cuts; /* cut or left out by the budget */
	uint32_t		 ps_cpu_us;	/* CPU time this take used */
	/* Set by the cache (cache.c), not here; 0 otherwise. */
	uint64_t		 ps_gen;	/* snapshots taken since start */
	uint64_t		 ps_cuts_total;	/* ps_cmdline_cuts summed */
	/* private: buffers reused across takes */
	size_t			 ps_cap;
	size_t			 ps_zcap;
	char			*ps_arena;
	size_t			 ps_arena_cap;
	size_t			 ps_arena_len;	/* bytes of ps_arena in use */
};

/* What a take reads. */
struct procfs_opts {
	bool		po_cmdline;	/* read command lines */
	/*
	 * Octets of command lines kept per snapshot, in all; past it lines
	 * are cut, or not read, and counted in ps_cmdline_cuts.
	 */
	size_t		po_cmdline_budget;
};

enum procfs_err {
	PROCFS_OK = 0,
	PROCFS_ENOROOT = -1,	/* root cannot be opened */
	PROCFS_ENOMEM = -2,
	PROCFS_EGLOBAL = -3,	/* stat, uptime or pid_max unreadable */
};

/*
 * Take a snapshot of the tree at root ("/proc") into snap, reusing its
 * buffers: per process one read of stat, one of status (not for kernel
 * threads, which are root's) and, with o->po_cmdline, one of cmdline (not
 * for kernel threads and zombies, which have none).  A process that
 * vanishes mid-scan, or whose files do not parse, is skipped.  Returns 0
 * or a negative enum procfs_err.  When the tree or its host-wide files
 * cannot be read (PROCFS_ENOROOT before the scan, PROCFS_EGLOBAL) snap is
 * untouched; a failure during the scan leaves it empty (ps_count 0).
 */
int	procfs_snapshot_take(const char *root, const struct procfs_opts *o,
	    struct procfs_snapshot *snap);
/*
 * Can root be read as a /proc tree (the directory and its host-wide
 * files)?  0 or a negative enum procfs_err; nothing is kept.  For a reload
 * that names a new root, without scanning every process.
 */
int	procfs_check(const char *root);
/* Free the buffers; the struct may be reused after (it is zeroed). */
void	procfs_snapshot_free(struct procfs_snapshot *snap);
/* Index of the first process with pid >= pid (ps_count when none). */
size_t	procfs_lower_bound(const struct procfs_snapshot *snap, int32_t pid);
/* Same for the zombie-parent list. */
size_t	procfs_zparent_lower_bound(const struct procfs_snapshot *snap,
	    int32_t pid);
const char *procfs_strerror(int err);

/*
 * Parse the contents of one /proc/PID/stat (len bytes, not terminated) into
 * p (pid, comm, state, ppid, flags, threads, times, rss pages, start ticks
 * are needed; clk_tck, page_kb and uptime_cs convert them).  Exposed for
 * tests and fuzzing.  Returns 0, or -1 when malformed.
 */
int	procfs_parse_stat(const char *buf, size_t len, long clk_tck,
	    uint32_t page_kb, uint64_t uptime_cs, struct procfs_proc *p);

#endif
