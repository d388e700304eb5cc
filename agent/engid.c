/*
 * engid: snmpEngineID and snmpEngineBoots in STATE_DIR/snmp-engine, a
 * text file of two lines, "engine_id HEX" and "boots N", rewritten whole
 * at every start through a temporary file and rename(2), with fsync on
 * the file and the directory so a crash leaves the old state or the new,
 * never neither.  Read strictly: any line it does not expect makes the
 * file corrupt, which is kept aside for a human and replaced.
 */
#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/engid.h"
#include "lib/strnum.h"
#include "snmp/v3.h"

/* What the file held, when it could be parsed. */
struct engid_file {
	uint8_t		 f_id[SNMP_MAX_ENGINE_ID];
	size_t		 f_id_len;
	int32_t		 f_boots;
};

int
engid_generate(uint8_t *id, size_t *len)
{
	static const uint8_t head[] = { 0x80, 0x00, 0x1f, 0x88, 0x05 };

	memcpy(id, head, sizeof(head));
	if (getrandom(id + sizeof(head), 8, 0) != 8)
		return -1;
	*len = sizeof(head) + 8;
	return 0;
}

static int
engid_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Parse one "key value" line into f; false when it is not ours. */
static bool
engid_line(char *line, struct engid_file *f, bool *have_id, bool *have_boots)
{
	const char *errstr, *v;
	int64_t boots;
	size_t i, n;
	int hi, lo;

	if (strncmp(line, "engine_id ", 10) == 0 && !*have_id) {
		v = line + 10;
		n = strlen(v);
		if (n % 2 != 0 || n / 2 > sizeof(f->f_id))
			return false;
		for (i = 0; i < n / 2; i++) {
			if ((hi = engid_hexval(v[2 * i])) < 0 ||
			    (lo = engid_hexval(v[2 * i + 1])) < 0)
				return false;
			f->f_id[i] = (uint8_t)(hi << 4 | lo);
		}
		f->f_id_len = n / 2;
		*have_id = true;
		return snmp_v3_engine_id_valid(f->f_id, f->f_id_len, &errstr);
	}
	if (strncmp(line, "boots ", 6) == 0 && !*have_boots) {
		if (strnum_i64(line + 6, 1, ENGID_BOOTS_MAX, &boots,
		    &errstr) == -1)
			return false;
		f->f_boots = (int32_t)boots;
		*have_boots = true;
		return true;
	}
	return false;
}

/* The whole file's text: true when it is a state file of ours. */
static bool
engid_parse(char *text, struct engid_file *f)
{
	bool have_id = false, have_boots = false;
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		if (!engid_line(line, f, &have_id, &have_boots))
			return false;
	}
	return have_id && have_boots;
}

/*
 * Read path: 1 with f filled, 0 when absent or unparsable (*corrupt
 * says which), -1 with errno on a read error.
 */
static int
engid_read(const char *path, struct engid_file *f, bool *corrupt)
{
	char text[ENGID_FILE_MAX + 1];
	ssize_t n;
	size_t len = 0;
	int fd;

	*corrupt = false;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return errno == ENOENT ? 0 : -1;
	for (;;) {
		n = read(fd, text + len, sizeof(text) - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof(text))
			break;
	}
	if (n == -1) {
		(void)close(fd);
		return -1;
	}
	(void)close(fd);
	text[len < sizeof(text) ? len : sizeof(text) - 1] = '\0';
	if (len > ENGID_FILE_MAX || memchr(text, '\0', len) != NULL ||
	    !engid_parse(text, f)) {
		*corrupt = true;
		return 0;
	}
	return 1;
}

/* Write all of buf to fd. */
static int
engid_write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Replace dir/snmp-engine with st's identity, durably. */
static int
engid_write(const char *dir, const char *path, const char *tmp,
    const struct engid_state *st, const char **what)
{
	char text[256], hexid[2 * SNMP_MAX_ENGINE_ID + 1];
	size_t i;
	int fd, dfd, n;

	for (i = 0; i < st->es_engine_id_len; i++)
		(void)snprintf(hexid + 2 * i, 3, "%02x", st->es_engine_id[i]);
	hexid[2 * st->es_engine_id_len] = '\0';
	n = snprintf(text, sizeof(text), "# proctel-agent SNMP engine state, "
	    "rewritten at every start (RFC 3414 snmpEngineBoots)\n"
	    "engine_id %s\nboots %d\n", hexid, (int)st->es_boots);
	if (n < 0 || (size_t)n >= sizeof(text)) {
		*what = "format";
		errno = EOVERFLOW;
		return -1;
	}
	*what = "open";
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1)
		return -1;
	*what = "write";
	if (engid_write_all(fd, text, (size_t)n) == -1) {
		(void)close(fd);
		(void)unlink(tmp);
		return -1;
	}
	*what = "fsync";
	if (fsync(fd) == -1) {
		(void)close(fd);
		(void)unlink(tmp);
		return -1;
	}
	*what = "close";
	if (close(fd) == -1) {
		(void)unlink(tmp);
		return -1;
	}
	*what = "rename";
	if (rename(tmp, path) == -1) {
		(void)unlink(tmp);
		return -1;
	}
	/* The rename itself must reach the disk before we answer. */
	*what = "fsync of the directory";
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return -1;
	if (fsync(dfd) == -1) {
		(void)close(dfd);
		return -1;
	}
	(void)close(dfd);
	return 0;
}

int
engid_raise(const char *dir, const uint8_t *conf_id, size_t conf_len,
    struct engid_state *st, char *err, size_t errlen)
{
	char path[PATH_MAX], tmp[PATH_MAX], bad[PATH_MAX];
	struct engid_file f;
	const char *what = NULL;
	bool corrupt;
	int rc;

	memset(st, 0, sizeof(*st));
	memset(&f, 0, sizeof(f));
	if (conf_len > sizeof(st->es_engine_id) ||
	    snprintf(path, sizeof(path), "%s/%s", dir, ENGID_FILE) >=
	    (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp) ||
	    snprintf(bad, sizeof(bad), "%s.corrupt", path) >=
	    (int)sizeof(bad)) {
		(void)snprintf(err, errlen, "%s: path too long", dir);
		return -1;
	}
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		(void)snprintf(err, errlen, "%s: mkdir: %s", dir,
		    strerror(errno));
		return -1;
	}
	if ((rc = engid_read(path, &f, &corrupt)) == -1) {
		(void)snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (corrupt) {
		/* Kept for a human; losing it would lose the evidence. */
		(void)rename(path, bad);
		st->es_restart = "the state file could not be parsed (kept "
		    "as " ENGID_FILE ".corrupt)";
	} else if (rc == 0)
		st->es_restart = "no state file yet";

	if (conf_len > 0) {
		memcpy(st->es_engine_id, conf_id, conf_len);
		st->es_engine_id_len = conf_len;
	} else if (rc == 1) {
		memcpy(st->es_engine_id, f.f_id, f.f_id_len);
		st->es_engine_id_len = f.f_id_len;
	} else {
		if (engid_generate(st->es_engine_id,
		    &st->es_engine_id_len) == -1) {
			(void)snprintf(err, errlen, "engine ID: getrandom: %s",
			    strerror(errno));
			return -1;
		}
		st->es_generated = true;
	}
	/* RFC 3414 sec. 2.2.2: boots counts starts since the ID was set. */
	if (rc == 1 && (f.f_id_len != st->es_engine_id_len ||
	    memcmp(f.f_id, st->es_engine_id, f.f_id_len) != 0)) {
		rc = 0;
		st->es_restart = "the engine ID changed";
	}
	if (rc == 1 && f.f_boots == ENGID_BOOTS_MAX)
		st->es_boots = ENGID_BOOTS_MAX;
	else
		st->es_boots = rc == 1 ? f.f_boots + 1 : 1;
	/*
	 * At the maximum every authenticated request is outside the time
	 * window (RFC 3414 sec. 3.2 step 7), from the start that reaches it.
	 */
	st->es_latched = st->es_boots == ENGID_BOOTS_MAX;
	if (engid_write(dir, path, tmp, st, &what) == -1) {
		(void)snprintf(err, errlen, "%s: %s: %s", path, what,
		    strerror(errno));
		return -1;
	}
	return 0;
}
