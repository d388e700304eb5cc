/*
 * spool: batches on disk, oldest first (see spool.h).  The directory is
 * read once at open into a sorted index (sequence number, samples, bytes);
 * after that this process is the only writer (the flock), so the index
 * stays true without rescanning.  Every file operation goes through the
 * directory's descriptor (openat, renameat, unlinkat), so a chdir or a
 * renamed parent cannot send a batch elsewhere.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "collector/spool.h"
#include "lib/log.h"

static const uint8_t spool_magic[8] = { 'P', 'T', 'S', 'P', 'O', 'O', 'L', 0 };

#define SPOOL_NAME_LEN	(16 + 6)	/* 16 hex digits and ".batch" */
#define SPOOL_TMP_PREFIX ".tmp-"

struct spool_ent {
	uint64_t	se_seq;
	uint32_t	se_nsamples;
	uint64_t	se_bytes;	/* the file's size */
};

struct spool {
	char			*sp_dir;	/* for messages */
	int			 sp_dirfd;
	int			 sp_lockfd;
	enum spool_kind		 sp_kind;
	uint64_t		 sp_max;
	struct spool_ent	*sp_ents;	/* [sp_head, sp_n) in use */
	size_t			 sp_head;
	size_t			 sp_n;
	size_t			 sp_cap;
	uint64_t		 sp_bytes;
	uint64_t		 sp_samples;
	uint64_t		 sp_next_seq;
	long			 sp_kill_after;	/* test hook; -1 off */
};

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

void
spool_hdr_encode(const struct spool_hdr *h, uint8_t *out)
{
	memcpy(out, spool_magic, sizeof(spool_magic));
	put32(out + 8, SPOOL_VERSION);
	put32(out + 12, h->sh_kind);
	put32(out + 16, h->sh_nsamples);
	put32(out + 20, 0);
	put64(out + 24, h->sh_time_ms);
	put64(out + 32, h->sh_body_len);
}

int
spool_hdr_decode(const uint8_t *p, size_t len, struct spool_hdr *h,
    const char **errstr)
{
	if (len < SPOOL_HEADER_LEN) {
		*errstr = "shorter than a header";
		return -1;
	}
	if (memcmp(p, spool_magic, sizeof(spool_magic)) != 0) {
		*errstr = "not a spool file";
		return -1;
	}
	if (get32(p + 8) != SPOOL_VERSION) {
		*errstr = "unknown spool version";
		return -1;
	}
	h->sh_kind = get32(p + 12);
	if (h->sh_kind != SPOOL_REMOTE_WRITE && h->sh_kind != SPOOL_INFLUX_LINES) {
		*errstr = "unknown kind of batch";
		return -1;
	}
	if (get32(p + 20) != 0) {
		*errstr = "reserved field set";
		return -1;
	}
	h->sh_nsamples = get32(p + 16);
	h->sh_time_ms = get64(p + 24);
	h->sh_body_len = get64(p + 32);
	if (h->sh_body_len > SPOOL_BODY_MAX) {
		*errstr = "body longer than a batch can be";
		return -1;
	}
	return 0;
}

static void
spool_name(char *buf, size_t size, uint64_t seq)
{
	(void)snprintf(buf, size, "%016" PRIx64 ".batch", seq);
}

/* A batch file's sequence number, or -1 when name is not one. */
static int
spool_name_seq(const char *name, uint64_t *seq)
{
	uint64_t v = 0;
	int i, c;

	if (strlen(name) != SPOOL_NAME_LEN || strcmp(name + 16, ".batch") != 0)
		return -1;
	for (i = 0; i < 16; i++) {
		c = (unsigned char)name[i];
		if (c >= '0' && c <= '9')
			v = v << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint64_t)(c - 'a' + 10);
		else
			return -1;
	}
	*seq = v;
	return 0;
}

static int
spool_ent_cmp(const void *a, const void *b)
{
	const struct spool_ent *x = a, *y = b;

	return x->se_seq < y->se_seq ? -1 : x->se_seq > y->se_seq;
}

/* mkdir -p with 0700 for what it creates. */
static int
spool_mkdirs(const char *dir)
{
	char *p, *s;
	int rc = 0;

	if ((s = strdup(dir)) == NULL)
		return -1;
	for (p = s + 1; rc == 0 && *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(s, 0700) == -1 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (rc == 0 && mkdir(s, 0700) == -1 && errno != EEXIST)
		rc = -1;
	free(s);
	return rc;
}

static int
spool_push_ent(struct spool *sp, const struct spool_ent *e)
{
	struct spool_ent *p;
	size_t cap;

	if (sp->sp_head > 0 && sp->sp_n == sp->sp_cap) {
		memmove(sp->sp_ents, sp->sp_ents + sp->sp_head,
		    (sp->sp_n - sp->sp_head) * sizeof(*sp->sp_ents));
		sp->sp_n -= sp->sp_head;
		sp->sp_head = 0;
	}
	if (sp->sp_n == sp->sp_cap) {
		cap = sp->sp_cap > 0 ? sp->sp_cap * 2 : 64;
		if ((p = reallocarray(sp->sp_ents, cap, sizeof(*p))) == NULL)
			return -1;
		sp->sp_ents = p;
		sp->sp_cap = cap;
	}
	sp->sp_ents[sp->sp_n++] = *e;
	sp->sp_bytes += e->se_bytes;
	sp->sp_samples += e->se_nsamples;
	return 0;
}

/* Forget and unlink the oldest batch. */
static int
spool_drop_first(struct spool *sp)
{
	const struct spool_ent *e = &sp->sp_ents[sp->sp_head];
	char name[SPOOL_NAME_LEN + 1];
	int rc = 0;

	spool_name(name, sizeof(name), e->se_seq);
	if (unlinkat(sp->sp_dirfd, name, 0) == -1 && errno != ENOENT)
		rc = -1;
	sp->sp_bytes -= e->se_bytes;
	sp->sp_samples -= e->se_nsamples;
	sp->sp_head++;
	return rc;
}

/* Check one batch file at open; index it, or remove it when damaged. */
static int
spool_scan_one(struct spool *sp, const char *name, uint64_t seq,
    struct spool_drop *drop, char *err, size_t errlen)
{
	uint8_t hb[SPOOL_HEADER_LEN];
	struct spool_hdr h;
	struct spool_ent e;
	struct stat st;
	const char *why = NULL;
	ssize_t n;
	int fd;

	/* Number past every name seen, kept or not. */
	if (seq >= sp->sp_next_seq)
		sp->sp_next_seq = seq + 1;
	if ((fd = openat(sp->sp_dirfd, name, O_RDONLY | O_CLOEXEC |
	    O_NOFOLLOW)) == -1) {
		snprintf(err, errlen, "spool %s: %s: %s", sp->sp_dir, name,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		why = "not a regular file";
	else if ((n = pread(fd, hb, sizeof(hb), 0)) < 0)
		why = strerror(errno);
	else if (spool_hdr_decode(hb, (size_t)n, &h, &why) == -1)
		;
	else if ((uint64_t)st.st_size != SPOOL_HEADER_LEN + h.sh_body_len)
		why = "length does not match its header";
	close(fd);
	if (why != NULL) {
		log_warnx("spool %s: %s: %s; removed", sp->sp_dir, name, why);
		if (unlinkat(sp->sp_dirfd, name, 0) == -1 && errno != ENOENT) {
			snprintf(err, errlen, "spool %s: remove %s: %s",
			    sp->sp_dir, name, strerror(errno));
			return -1;
		}
		drop->sd_batches++;
		return 0;
	}
	if (h.sh_kind != sp->sp_kind) {
		snprintf(err, errlen, "spool %s holds batches of another sink "
		    "type; give each sink its own spool dir", sp->sp_dir);
		return -1;
	}
	e.se_seq = seq;
	e.se_nsamples = h.sh_nsamples;
	e.se_bytes = (uint64_t)st.st_size;
	if (spool_push_ent(sp, &e) == -1) {
		snprintf(err, errlen, "spool %s: out of memory", sp->sp_dir);
		return -1;
	}
	return 0;
}

static int
spool_scan(struct spool *sp, struct spool_drop *drop, char *err,
    size_t errlen)
{
	struct dirent *de;
	uint64_t seq;
	DIR *d;
	int fd, rc = 0;

	if ((fd = dup(sp->sp_dirfd)) == -1 || (d = fdopendir(fd)) == NULL) {
		snprintf(err, errlen, "spool %s: %s", sp->sp_dir,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, SPOOL_TMP_PREFIX,
		    sizeof(SPOOL_TMP_PREFIX) - 1) == 0) {
			/* A write that never reached its rename. */
			(void)unlinkat(sp->sp_dirfd, de->d_name, 0);
			continue;
		}
		if (spool_name_seq(de->d_name, &seq) == 0)
			rc = spool_scan_one(sp, de->d_name, seq, drop, err,
			    errlen);
	}
	closedir(d);
	if (rc == 0 && sp->sp_n > 1)
		qsort(sp->sp_ents, sp->sp_n, sizeof(*sp->sp_ents),
		    spool_ent_cmp);
	return rc;
}

struct spool *
spool_open(const char *dir, uint64_t max_bytes, enum spool_kind kind,
    struct spool_drop *drop, char *err, size_t errlen)
{
	struct spool *sp;

	if ((sp = calloc(1, sizeof(*sp))) == NULL) {
		snprintf(err, errlen, "spool %s: out of memory", dir);
		return NULL;
	}
	sp->sp_dirfd = sp->sp_lockfd = -1;
	sp->sp_kind = kind;
	sp->sp_max = max_bytes;
	sp->sp_kill_after = -1;
	if ((sp->sp_dir = strdup(dir)) == NULL) {
		snprintf(err, errlen, "spool %s: out of memory", dir);
		goto fail;
	}
	if (spool_mkdirs(dir) == -1 || (sp->sp_dirfd = open(dir,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "spool %s: %s", dir, strerror(errno));
		goto fail;
	}
	if ((sp->sp_lockfd = openat(sp->sp_dirfd, ".lock",
	    O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) == -1) {
		snprintf(err, errlen, "spool %s: .lock: %s", dir,
		    strerror(errno));
		goto fail;
	}
	if (flock(sp->sp_lockfd, LOCK_EX | LOCK_NB) == -1) {
		snprintf(err, errlen, "spool %s: %s", dir,
		    errno == EWOULDBLOCK ? "in use by another collector; "
		    "each collector needs its own spool dir" : strerror(errno));
		goto fail;
	}
	if (spool_scan(sp, drop, err, errlen) == -1)
		goto fail;
	return sp;
fail:
	spool_close(sp);
	return NULL;
}

size_t
spool_batches(const struct spool *sp)
{
	return sp != NULL ? sp->sp_n - sp->sp_head : 0;
}

uint64_t
spool_samples(const struct spool *sp)
{
	return sp != NULL ? sp->sp_samples : 0;
}

uint64_t
spool_bytes(const struct spool *sp)
{
	return sp != NULL ? sp->sp_bytes : 0;
}

static int
spool_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int
spool_add(struct spool *sp, uint32_t nsamples, uint64_t time_ms,
    const void *body, size_t len, struct spool_drop *drop, char *err,
    size_t errlen)
{
	char tmp[64], name[SPOOL_NAME_LEN + 1];
	uint8_t hb[SPOOL_HEADER_LEN];
	struct spool_hdr h;
	struct spool_ent e;
	uint64_t size = SPOOL_HEADER_LEN + (uint64_t)len;
	const char *what;
	size_t half;
	int fd = -1, saved;

	if (len > SPOOL_BODY_MAX || size > sp->sp_max) {
		drop->sd_batches++;
		drop->sd_samples += nsamples;
		return 1;
	}
	while (spool_batches(sp) > 0 && sp->sp_bytes + size > sp->sp_max) {
		drop->sd_batches++;
		drop->sd_samples += sp->sp_ents[sp->sp_head].se_nsamples;
		if (spool_drop_first(sp) == -1)
			log_warn("spool %s: remove the oldest batch", sp->sp_dir);
	}
	h.sh_kind = sp->sp_kind;
	h.sh_nsamples = nsamples;
	h.sh_time_ms = time_ms;
	h.sh_body_len = len;
	spool_hdr_encode(&h, hb);
	spool_name(name, sizeof(name), sp->sp_next_seq);
	(void)snprintf(tmp, sizeof(tmp), SPOOL_TMP_PREFIX "%s", name);
	(void)unlinkat(sp->sp_dirfd, tmp, 0);
	what = "create";
	if ((fd = openat(sp->sp_dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
	    O_CLOEXEC | O_NOFOLLOW, 0600)) == -1)
		goto fail;
	what = "write";
	if (spool_write_all(fd, hb, sizeof(hb)) == -1)
		goto fail;
	if (sp->sp_kill_after >= 0) {
		half = (size_t)sp->sp_kill_after < len ?
		    (size_t)sp->sp_kill_after : len;
		if (spool_write_all(fd, body, half) == 0)
			(void)fsync(fd);
		raise(SIGKILL);
	}
	if (spool_write_all(fd, body, len) == -1)
		goto fail;
	what = "fsync";
	if (fsync(fd) == -1)
		goto fail;
	what = "close";
	saved = close(fd);
	fd = -1;
	if (saved == -1)
		goto fail;
	what = "rename";
	if (renameat(sp->sp_dirfd, tmp, sp->sp_dirfd, name) == -1)
		goto fail;
	/* The rename is only durable once the directory is. */
	what = "fsync the directory";
	if (fsync(sp->sp_dirfd) == -1)
		goto fail;
	e.se_seq = sp->sp_next_seq++;
	e.se_nsamples = nsamples;
	e.se_bytes = size;
	if (spool_push_ent(sp, &e) == -1) {
		/* Kept on disk; the next open indexes it. */
		snprintf(err, errlen, "spool %s: out of memory", sp->sp_dir);
		return -1;
	}
	return 0;
fail:
	saved = errno;
	snprintf(err, errlen, "spool %s: %s %s: %s", sp->sp_dir, what, tmp,
	    strerror(saved));
	if (fd != -1)
		close(fd);
	(void)unlinkat(sp->sp_dirfd, tmp, 0);
	return -1;
}

int
spool_first(struct spool *sp, struct spool_hdr *h, void **body,
    struct spool_drop *drop, char *err, size_t errlen)
{
	char name[SPOOL_NAME_LEN + 1];
	uint8_t hb[SPOOL_HEADER_LEN];
	const struct spool_ent *e;
	const char *why;
	struct stat st;
	ssize_t n;
	void *b;
	int fd;

	*body = NULL;
	while (spool_batches(sp) > 0) {
		e = &sp->sp_ents[sp->sp_head];
		spool_name(name, sizeof(name), e->se_seq);
		why = NULL;
		b = NULL;
		if ((fd = openat(sp->sp_dirfd, name, O_RDONLY | O_CLOEXEC |
		    O_NOFOLLOW)) == -1)
			why = strerror(errno);
		else if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
			why = "not a regular file";
		else if ((n = pread(fd, hb, sizeof(hb), 0)) < 0)
			why = strerror(errno);
		else if (spool_hdr_decode(hb, (size_t)n, h, &why) == -1)
			;
		else if (h->sh_kind != sp->sp_kind ||
		    (uint64_t)st.st_size != SPOOL_HEADER_LEN + h->sh_body_len)
			why = "changed since it was written";
		else if ((b = malloc(h->sh_body_len > 0 ? h->sh_body_len :
		    1)) == NULL) {
			close(fd);
			snprintf(err, errlen, "spool %s: out of memory",
			    sp->sp_dir);
			return -1;
		} else if ((n = pread(fd, b, h->sh_body_len,
		    SPOOL_HEADER_LEN)) < 0 || (uint64_t)n != h->sh_body_len)
			why = n < 0 ? strerror(errno) : "short read";
		if (fd != -1)
			close(fd);
		if (why == NULL) {
			*body = b;
			return 0;
		}
		free(b);
		log_warnx("spool %s: %s: %s; dropped", sp->sp_dir, name, why);
		drop->sd_batches++;
		drop->sd_samples += e->se_nsamples;
		(void)spool_drop_first(sp);
	}
	return 1;
}

int
spool_shift(struct spool *sp, char *err, size_t errlen)
{
	if (spool_batches(sp) == 0)
		return 0;
	if (spool_drop_first(sp) == -1) {
		snprintf(err, errlen, "spool %s: remove a sent batch: %s",
		    sp->sp_dir, strerror(errno));
		return -1;
	}
	return 0;
}

void
spool_close(struct spool *sp)
{
	if (sp == NULL)
		return;
	if (sp->sp_lockfd != -1)
		close(sp->sp_lockfd);
	if (sp->sp_dirfd != -1)
		close(sp->sp_dirfd);
	free(sp->sp_ents);
	free(sp->sp_dir);
	free(sp);
}

void
spool_test_kill_after(struct spool *sp, size_t bytes)
{
	sp->sp_kill_after = (long)bytes;
}
