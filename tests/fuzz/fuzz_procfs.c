/*
 * fuzz_procfs: libFuzzer target for the /proc text parsers
 * (agent/procfs_parse.c).  Every input goes to each of them: the stat line
 * as it is (not NUL-terminated, so ASan sees any read past its end), the
 * others as the NUL-terminated copy procfs.c would give them.  A row that
 * parses must be sane; anything else aborts.  Not the directory scan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/procfs.h"
#include "agent/procfs_parse.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procfs_proc p;
	const char *nl;
	char *copy;
	uint64_t u;
	uint32_t v;

	if (procfs_parse_stat((const char *)data, size, 100, 4, 100000,
	    &p) == 0) {
		if (p.pp_pid < 0 || p.pp_ppid < 0 ||
		    p.pp_state < PROCFS_RUNNING || p.pp_state > PROCFS_OTHER ||
		    memchr(p.pp_comm, '\0', sizeof(p.pp_comm)) == NULL ||
		    p.pp_cmdline == NULL || p.pp_cmdline_len != 0)
			abort();
	}
	/* An odd clock rate takes the division path of the conversion. */
	(void)procfs_parse_stat((const char *)data, size, 250, 64, UINT64_MAX,
	    &p);

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	(void)procfs_parse_uptime(copy, &u);
	(void)procfs_parse_pid_max(copy, &v);
	nl = memchr(copy, '\n', size);
	(void)procfs_parse_forks_line(copy, nl != NULL ?
	    (size_t)(nl - copy) : size, &u);
	/* Last: it may write the NUL at copy[size]. */
	(void)procfs_parse_status_uid(copy, size, &v);
	free(copy);
	return 0;
}
