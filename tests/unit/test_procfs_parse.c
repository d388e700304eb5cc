/*
 * test_procfs_parse: the /proc text parsers (agent/procfs_parse.c): a
 * pid's stat line on exact, cut, hostile and mutated input, and the
 * status, /proc/stat, uptime and pid_max parsers.  Not the directory scan
 * (test_procfs.c).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "agent/procfs.h"
#include "agent/procfs_parse.h"
#include "tests/harness.h"

#define TAIL	" 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"

/* 3756 (cat) R ... as the kernel printed it, rss 393 pages. */
static const char real_line[] = "3756 (cat) R 3754 3754 2618 0 -1 4194304 "
    "99 0 0 0 7 3 0 0 20 0 1 0 33717 3133440 393 18446744073709551615 "
    "93929849593856 93929849613737 140722213162336 0 0 0 0 0 0 0 0 0 17 1 "
    "0 0 0 0 0 93929849629744 93929849631360 93929930645504 "
    "140722213165705 140722213165725 140722213165725 140722213167083 0\n";

static int
parse(const char *line, struct procfs_proc *p)
{
	return procfs_parse_stat(line, strlen(line), 100, 4, 100000, p);
}

static void
a_real_stat_line_parses_every_field(void)
{
	struct procfs_proc p;

	CHECK_INT(parse(real_line, &p), ==, 0);
	CHECK_INT(p.pp_pid, ==, 3756);
	CHECK_INT(p.pp_ppid, ==, 3754);
	CHECK_STR(p.pp_comm, "cat");
	CHECK_INT(p.pp_statechar, ==, 'R');
	CHECK_INT(p.pp_state, ==, PROCFS_RUNNING);
	CHECK(!p.pp_kthread);
	CHECK_INT(p.pp_threads, ==, 1);
	CHECK_INT(p.pp_rss_kb, ==, 393 * 4);
	CHECK_U64(p.pp_cpu_cs, ==, 10);
	/* (100000 - 33717) / 100 */
	CHECK_INT(p.pp_age_s, ==, 662);
	CHECK_STR(p.pp_cmdline, "");
	CHECK_INT(p.pp_cmdline_len, ==, 0);
}

static void
comm_is_taken_between_the_first_and_the_last_parenthesis(void)
{
	static const struct {
		const char *line, *comm;
	} cases[] = {
		{ "7 (a b c) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1"
		    TAIL, "a b c" },
		{ "7 (x) y (z) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1"
		    TAIL, "x) y (z" },
		{ "7 ((() S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1"
		    TAIL, "((" },
		{ "7 ()) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1"
		    TAIL, ")" },
		{ "7 (new\nline) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1"
		    TAIL, "new\nline" },
		{ "7 () S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1" TAIL,
		    "" },
		{ "7 (abcdefghijklmno) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0"
		    " 1 1 1" TAIL, "abcdefghijklmno" },
		{ "7 (S 1 2) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1"
		    TAIL, "S 1 2" },
	};
	struct procfs_proc p;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_INT(parse(cases[i].line, &p), ==, 0);
		CHECK_STR(p.pp_comm, cases[i].comm);
		CHECK_INT(p.pp_state, ==, PROCFS_SLEEPING);
		CHECK_INT(p.pp_ppid, ==, 1);
	}
}

static void
a_comm_longer_than_the_field_is_cut_not_refused(void)
{
	char line[512], comm[101];
	struct procfs_proc p;
	int n;

	memset(comm, 'c', 100);
	comm[100] = '\0';
	n = snprintf(line, sizeof(line), "9 (%s) S 1 1 1 0 -1 0 0 0 0 0 1 1 "
	    "0 0 20 0 1 0 1 1 1" TAIL, comm);
	CHECK(n > 0 && (size_t)n < sizeof(line));
	CHECK_INT(parse(line, &p), ==, 0);
	CHECK_INT(strlen(p.pp_comm), ==, PROCFS_COMM_MAX - 1);
	CHECK_INT(memcmp(p.pp_comm, comm, PROCFS_COMM_MAX - 1), ==, 0);
}

static void
every_state_letter_maps_to_its_mib_value(void)
{
	static const struct {
		char c;
		int state;
	} cases[] = {
		{ 'R', PROCFS_RUNNING }, { 'S', PROCFS_SLEEPING },
		{ 'D', PROCFS_DISKSLEEP }, { 'T', PROCFS_STOPPED },
		{ 't', PROCFS_STOPPED }, { 'Z', PROCFS_ZOMBIE },
		{ 'I', PROCFS_IDLE }, { 'X', PROCFS_OTHER },
		{ 'x', PROCFS_OTHER }, { 'W', PROCFS_OTHER },
		{ 'P', PROCFS_OTHER }, { 'K', PROCFS_OTHER },
		{ 'r', PROCFS_OTHER }, { '?', PROCFS_OTHER },
	};
	char line[256];
	struct procfs_proc p;
	size_t i;
	int n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = snprintf(line, sizeof(line), "5 (s) %c 1 1 1 0 -1 0 0 0 0 "
		    "0 1 1 0 0 20 0 1 0 1 1 1" TAIL, cases[i].c);
		CHECK(n > 0 && (size_t)n < sizeof(line));
		CHECK_INT(parse(line, &p), ==, 0);
		CHECK_INT(p.pp_state, ==, cases[i].state);
		CHECK_INT(p.pp_statechar, ==, cases[i].c);
	}
}

static void
the_kthread_flag_is_read_from_the_flags_field(void)
{
	struct procfs_proc p;

	CHECK_INT(parse("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 "
	    "20 0 1 0 0 0 0" TAIL, &p), ==, 0);
	CHECK(p.pp_kthread);
	CHECK_INT(parse("2 (k) S 0 0 0 0 -1 2097151 0 0 0 0 0 0 0 0 20 0 1 0 "
	    "0 0 0" TAIL, &p), ==, 0);
	CHECK(!p.pp_kthread);
}

static void
huge_numbers_saturate_instead_of_wrapping(void)
{
	struct procfs_proc p;

	CHECK_INT(parse("8 (h) S 1 1 1 0 -1 0 0 0 0 0 18446744073709551615 "
	    "18446744073709551615 0 0 20 0 9999999999 0 18446744073709551615 "
	    "1 9223372036854775807" TAIL, &p), ==, 0);
	CHECK_U64(p.pp_cpu_cs, ==, UINT64_MAX);
	CHECK_U64(p.pp_threads, ==, UINT32_MAX);
	CHECK_U64(p.pp_rss_kb, ==, UINT32_MAX);
	/* A start after the uptime (clock skew, a lying tree): age 0. */
	CHECK_INT(p.pp_age_s, ==, 0);
	/* Negative rss, as a racing counter might print: 0. */
	CHECK_INT(parse("8 (h) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 -5"
	    TAIL, &p), ==, 0);
	CHECK_INT(p.pp_rss_kb, ==, 0);
}

static void
clock_ticks_other_than_100_convert_exactly(void)
{
	struct procfs_proc p;
	const char *l = "8 (h) S 1 1 1 0 -1 0 0 0 0 0 250 125 0 0 20 0 1 0 "
	    "2500 1 1" TAIL;

	/* 375 ticks at 250 Hz = 1.5 s; start 10 s, uptime 100000 cs. */
	CHECK_INT(procfs_parse_stat(l, strlen(l), 250, 4, 100000, &p), ==, 0);
	CHECK_U64(p.pp_cpu_cs, ==, 150);
	CHECK_INT(p.pp_age_s, ==, 990);
	CHECK_INT(procfs_parse_stat(l, strlen(l), 0, 4, 100000, &p), ==, -1);
}

static void
malformed_lines_are_refused(void)
{
	static const char *bad[] = {
		"",
		"(",
		")",
		"1 ) S (",
		"x (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1" TAIL,
		"-1 (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1" TAIL,
		"2147483648 (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1"
		    TAIL,
		"12345678901 (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1"
		    TAIL,
		"1  (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1" TAIL,
		"1(a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1" TAIL,
		"1 (a)S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1" TAIL,
		"1 (a) SS 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1" TAIL,
		"1 (a)  1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1" TAIL,
		"1 (a) S -1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1" TAIL,
		"1 (a) S 2147483648 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1"
		    TAIL,
		"1 (a) S 1 1 1 0 -1 -4 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1" TAIL,
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 -1 1 0 0 20 0 1 0 1 1 1" TAIL,
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 -1 0 1 1 1" TAIL,
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 99999999999999999999999 1 0 0 20"
		    " 0 1 0 1 1 1" TAIL,
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1x" TAIL,
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1  1" TAIL,
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 +1 1 0 0 20 0 1 0 1 1 1" TAIL,
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 0x1 1 0 0 20 0 1 0 1 1 1" TAIL,
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1",
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1",
		"1 (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 - 1" TAIL,
	};
	struct procfs_proc p;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i], &p) != -1)
			fprintf(stderr, "  accepted: case %zu\n", i);
		CHECK_INT(parse(bad[i], &p), ==, -1);
	}
	CHECK_INT(procfs_parse_stat(NULL, 0, 100, 4, 0, &p), ==, -1);
	/* The line may end right after rss, with its newline. */
	CHECK_INT(parse("1 (a) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 1 1\n",
	    &p), ==, 0);
}

static void
every_cut_of_a_real_line_before_rss_ends_is_refused(void)
{
	struct procfs_proc p;
	const char *rss = strstr(real_line, " 393 ");
	size_t end, n;

	CHECK(rss != NULL);
	if (rss == NULL)
		return;
	end = (size_t)(rss - real_line) + 4;	/* just past "393" */
	for (n = 0; n <= end; n++)
		CHECK_INT(procfs_parse_stat(real_line, n, 100, 4, 100000, &p),
		    ==, -1);
	for (n = end + 1; n <= strlen(real_line); n++) {
		CHECK_INT(procfs_parse_stat(real_line, n, 100, 4, 100000, &p),
		    ==, 0);
		CHECK_INT(p.pp_rss_kb, ==, 393 * 4);
	}
}

/* Every byte set to each of a few troublemakers: no crash, sane output. */
static void
deterministic_mutations_never_yield_an_insane_row(void)
{
	static const char subst[] = { ' ', '(', ')', '\0', '\n', '9', '-',
		'Z', (char)0xff };
	char line[sizeof(real_line)];
	struct procfs_proc p;
	size_t i, j, len = strlen(real_line), ok = 0;

	for (i = 0; i < len; i++) {
		for (j = 0; j < sizeof(subst); j++) {
			memcpy(line, real_line, len);
			line[i] = subst[j];
			if (procfs_parse_stat(line, len, 100, 4, 100000,
			    &p) != 0)
				continue;
			ok++;
			CHECK(p.pp_pid >= 0);
			CHECK(p.pp_ppid >= 0);
			CHECK(p.pp_state >= PROCFS_RUNNING &&
			    p.pp_state <= PROCFS_OTHER);
			CHECK(memchr(p.pp_comm, '\0', sizeof(p.pp_comm)) !=
			    NULL);
		}
	}
	CHECK(ok > 0);
}

static void
the_uid_is_the_first_number_of_the_uid_line(void)
{
	static const struct {
		const char *text;
		int rv;
		uint32_t uid;
	} cases[] = {
		{ "Name:\tx\nUid:\t1000\t0\t0\t0\nGid:\t0\n", 0, 1000 },
		{ "Uid:\t7\t7\t7\t7\n", 0, 7 },
		{ "Name:\tx\nUid: 4294967295\t0\n", 0, 4294967295u },
		{ "Name:\tx\nUid:\t4294967296\t0\n", -1, 0 },
		{ "Name:\tx\nUid:\t-1\t0\n", -1, 0 },
		{ "Name:\tx\nUid:\t12", -1, 0 },
		{ "Name:\tx\nUid:\t12x\n", -1, 0 },
		{ "Name:\tx\nUid:", -1, 0 },
		{ "Name:\tx\nGid:\t0\n", -1, 0 },
		{ "Name:\tUid:\t5\n", -1, 0 },
		{ "", -1, 0 },
	};
	char buf[128];
	uint32_t uid;
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = strlen(cases[i].text);
		memcpy(buf, cases[i].text, n);
		uid = 0;
		CHECK_INT(procfs_parse_status_uid(buf, n, &uid), ==,
		    cases[i].rv);
		if (cases[i].rv == 0)
			CHECK_U64(uid, ==, cases[i].uid);
	}
}

static void
only_a_whole_processes_line_gives_forks(void)
{
	uint64_t f = 0;

	CHECK_INT(procfs_parse_forks_line("processes 42", 12, &f), ==, 0);
	CHECK_U64(f, ==, 42);
	CHECK_INT(procfs_parse_forks_line("processes 18446744073709551615",
	    30, &f), ==, 0);
	CHECK_U64(f, ==, UINT64_MAX);
	CHECK_INT(procfs_parse_forks_line("processes 18446744073709551616",
	    30, &f), ==, -1);
	CHECK_INT(procfs_parse_forks_line("processes ", 10, &f), ==, -1);
	CHECK_INT(procfs_parse_forks_line("processes 4 2", 13, &f), ==, -1);
	CHECK_INT(procfs_parse_forks_line("processes -1", 12, &f), ==, -1);
	CHECK_INT(procfs_parse_forks_line("procs_running 1", 15, &f), ==, -1);
	CHECK_INT(procfs_parse_forks_line("processes 000000000000000000000001",
	    34, &f), ==, -1);
	/* The length, not a NUL, ends the line. */
	CHECK_INT(procfs_parse_forks_line("processes 42", 11, &f), ==, 0);
	CHECK_U64(f, ==, 4);
}

static void
uptime_reads_seconds_and_hundredths(void)
{
	static const struct {
		const char *text;
		int rv;
		uint64_t cs;
	} cases[] = {
		{ "337.18 641.93\n", 0, 33718 }, { "0.00 0.00\n", 0, 0 },
		{ "5.1 1\n", 0, 510 }, { "5.123 1\n", 0, 512 },
		{ "5\n", 0, 500 }, { "5", 0, 500 },
		{ "5. 1\n", -1, 0 }, { ".5 1\n", -1, 0 },
		{ "-5.00 1\n", -1, 0 }, { "5.00x\n", -1, 0 }, { "", -1, 0 },
		{ "184467440737095516.15 1\n", 0, UINT64_MAX },
		{ "184467440737095516.16 1\n", -1, 0 },
		{ "184467440737095517.00 1\n", -1, 0 },
		{ "99999999999999999999999.00\n", -1, 0 },
	};
	uint64_t cs;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cs = 0;
		CHECK_INT(procfs_parse_uptime(cases[i].text, &cs), ==,
		    cases[i].rv);
		if (cases[i].rv == 0)
			CHECK_U64(cs, ==, cases[i].cs);
	}
}

static void
pid_max_is_one_unsigned_32_bit_number(void)
{
	uint32_t v = 0;

	CHECK_INT(procfs_parse_pid_max("32768\n", &v), ==, 0);
	CHECK_INT(v, ==, 32768);
	CHECK_INT(procfs_parse_pid_max("4194304", &v), ==, 0);
	CHECK_INT(v, ==, 4194304);
	CHECK_INT(procfs_parse_pid_max("4294967296\n", &v), ==, -1);
	CHECK_INT(procfs_parse_pid_max("12 \n", &v), ==, -1);
	CHECK_INT(procfs_parse_pid_max(" 12\n", &v), ==, -1);
	CHECK_INT(procfs_parse_pid_max("\n", &v), ==, -1);
}

int
main(void)
{
	RUN(a_real_stat_line_parses_every_field);
	RUN(comm_is_taken_between_the_first_and_the_last_parenthesis);
	RUN(a_comm_longer_than_the_field_is_cut_not_refused);
	RUN(every_state_letter_maps_to_its_mib_value);
	RUN(the_kthread_flag_is_read_from_the_flags_field);
	RUN(huge_numbers_saturate_instead_of_wrapping);
	RUN(clock_ticks_other_than_100_convert_exactly);
	RUN(malformed_lines_are_refused);
	RUN(every_cut_of_a_real_line_before_rss_ends_is_refused);
	RUN(deterministic_mutations_never_yield_an_insane_row);
	RUN(the_uid_is_the_first_number_of_the_uid_line);
	RUN(only_a_whole_processes_line_gives_forks);
	RUN(uptime_reads_seconds_and_hundredths);
	RUN(pid_max_is_one_unsigned_32_bit_number);
	return t_done();
}
