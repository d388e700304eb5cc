/*
 * node: typed access to the tree config/yaml.c builds (getters that check
 * the node and say what was expected), duplicate detection, and the small
 * file helpers both loaders use.  It parses no YAML and decides no policy:
 * ranges and key lists come from the callers.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "config/yaml.h"
#include "lib/strnum.h"

int
cfg_read_fd(int fd, char **bufp, size_t *lenp)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap;
	ssize_t r;
	int saved;

	*bufp = NULL;
	*lenp = 0;
	if (fstat(fd, &st) == -1)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		return -1;
	}
	if ((unsigned long long)st.st_size > CFG_FILE_MAX) {
		errno = EFBIG;
		return -1;
	}
	/* One more byte than the size, to notice a file that grew. */
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap)) == NULL)
		return -1;
	while (len < cap) {
		r = read(fd, buf + len, cap - len);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	if (len == cap) {
		errno = EFBIG;
		goto fail;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
fail:
	saved = errno;
	free(buf);
	errno = saved;
	return -1;
}

int
cfg_read_file(const char *path, char **bufp, size_t *lenp)
{
	int fd, rv, saved;

	*bufp = NULL;
	*lenp = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	rv = cfg_read_fd(fd, bufp, lenp);
	saved = errno;
	close(fd);
	errno = saved;
	return rv;
}

char *
cfg_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

char *
cfg_path_join(const char *dir, const char *rel)
{
	char *out;
	size_t dl, rl;

	if (rel[0] == '/' || dir == NULL || strcmp(dir, ".") == 0)
		return strdup(rel);
	dl = strlen(dir);
	rl = strlen(rel);
	if (dl > SIZE_MAX / 2 || rl > SIZE_MAX / 2)
		return NULL;
	if ((out = malloc(dl + rl + 2)) == NULL)
		return NULL;
	memcpy(out, dir, dl);
	/* "/" joined with "x" must give "/x", not "//x". */
	if (dl > 0 && dir[dl - 1] == '/')
		dl--;
	out[dl] = '/';
	memcpy(out + dl + 1, rel, rl + 1);
	return out;
}

/* Quote, cut at 40 bytes, and never echo control bytes. */
static const char *
cfg_text_describe(const char *s, size_t len, char *buf, size_t size)
{
	size_t i, o = 0, max;

	if (size < 8) {
		if (size > 0)
			buf[0] = '\0';
		return buf;
	}
	max = size - 6 < 40 ? size - 6 : 40;
	buf[o++] = '\'';
	for (i = 0; i < len && o < max + 1; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	if (i < len) {
		buf[o++] = '.';
		buf[o++] = '.';
		buf[o++] = '.';
	}
	buf[o++] = '\'';
	buf[o] = '\0';
	return buf;
}

const char *
cfg_str_describe(const char *s, char *buf, size_t size)
{
	return cfg_text_describe(s != NULL ? s : "", s != NULL ? strlen(s) : 0,
	    buf, size);
}

const char *
cfg_node_describe(const struct cfg_node *n, char *buf, size_t size)
{
	if (size < 8) {
		if (size > 0)
			buf[0] = '\0';
		return buf;
	}
	if (n == NULL || cfg_is_null(n)) {
		(void)snprintf(buf, size, "null");
		return buf;
	}
	if (n->n_kind != CFG_NODE_SCALAR) {
		(void)snprintf(buf, size, "%s", n->n_kind == CFG_NODE_MAP ?
		    "a mapping" : "a list");
		return buf;
	}
	return cfg_text_describe(n->n_str, n->n_len, buf, size);
}

bool
cfg_is_null(const struct cfg_node *n)
{
	if (n == NULL)
		return true;
	if (n->n_kind != CFG_NODE_SCALAR || !n->n_plain)
		return false;
	return n->n_len == 0 || strcmp(n->n_str, "~") == 0 ||
	    strcmp(n->n_str, "null") == 0 || strcmp(n->n_str, "Null") == 0 ||
	    strcmp(n->n_str, "NULL") == 0;
}

struct cfg_node *
cfg_map_get(const struct cfg_node *map, const char *key)
{
	size_t i;

	if (map == NULL || map->n_kind != CFG_NODE_MAP)
		return NULL;
	for (i = 0; i + 1 < map->n_nkids; i += 2) {
		const struct cfg_node *k = map->n_kids[i];

		if (k->n_kind == CFG_NODE_SCALAR && strcmp(k->n_str, key) == 0)
			return map->n_kids[i + 1];
	}
	return NULL;
}

void
cfg_check_keys(struct cfg_ctx *ctx, const struct cfg_node *map,
    const char *const *allowed, const char *where)
{
	size_t i, j;
	char what[80];

	if (map == NULL || map->n_kind != CFG_NODE_MAP)
		return;
	for (i = 0; i + 1 < map->n_nkids; i += 2) {
		const struct cfg_node *k = map->n_kids[i];

		if (k->n_kind != CFG_NODE_SCALAR)
			continue;
		for (j = 0; allowed[j] != NULL; j++)
			if (strcmp(k->n_str, allowed[j]) == 0)
				break;
		if (allowed[j] == NULL)
			cfg_node_error(ctx, k, "unknown key %s in %s",
			    cfg_node_describe(k, what, sizeof(what)), where);
	}
}

static int
cfg_expected(struct cfg_ctx *ctx, const struct cfg_node *n, const char *key,
    const char *expected)
{
	char what[80];

	cfg_node_error(ctx, n, "%s: expected %s, got %s", key, expected,
	    cfg_node_describe(n, what, sizeof(what)));
	return -1;
}

int
cfg_expect_map(struct cfg_ctx *ctx, const struct cfg_node *n, const char *key)
{
	if (n == NULL || n->n_kind != CFG_NODE_MAP)
		return cfg_expected(ctx, n, key, "a mapping");
	return 0;
}

int
cfg_expect_seq(struct cfg_ctx *ctx, const struct cfg_node *n, const char *key)
{
	if (n == NULL || n->n_kind != CFG_NODE_SEQ)
		return cfg_expected(ctx, n, key, "a list");
	return 0;
}

int
cfg_get_str(struct cfg_ctx *ctx, const struct cfg_node *n, const char *key,
    char **out)
{
	char *s;

	if (n == NULL || n->n_kind != CFG_NODE_SCALAR || cfg_is_null(n))
		return cfg_expected(ctx, n, key, "a string");
	if ((s = strdup(n->n_str)) == NULL) {
		cfg_node_error(ctx, n, "%s: out of memory", key);
		return -1;
	}
	free(*out);
	*out = s;
	return 0;
}

int
cfg_get_u32(struct cfg_ctx *ctx, const struct cfg_node *n, const char *key,
    uint32_t min, uint32_t max, uint32_t *out)
{
	char what[80], range[48];
	const char *errstr;
	int64_t v;

	(void)snprintf(range, sizeof(range), "an integer %u..%u", min, max);
	/* Numbers are plain scalars: a quoted "10" is a string, not 10. */
	if (n == NULL || n->n_kind != CFG_NODE_SCALAR || !n->n_plain ||
	    cfg_is_null(n))
		return cfg_expected(ctx, n, key, range);
	if (strnum_i64(n->n_str, INT64_MIN, INT64_MAX, &v, &errstr) == -1 &&
	    strcmp(errstr, "invalid") == 0)
		return cfg_expected(ctx, n, key, range);
	if (errstr != NULL || v < (int64_t)min || v > (int64_t)max) {
		cfg_node_error(ctx, n, "%s: %s is out of range (%u..%u)", key,
		    cfg_node_describe(n, what, sizeof(what)), min, max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int
cfg_get_bool(struct cfg_ctx *ctx, const struct cfg_node *n, const char *key,
    bool *out)
{
	if (n != NULL && n->n_kind == CFG_NODE_SCALAR && n->n_plain) {
		if (strcmp(n->n_str, "true") == 0 ||
		    strcmp(n->n_str, "True") == 0 ||
		    strcmp(n->n_str, "TRUE") == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(n->n_str, "false") == 0 ||
		    strcmp(n->n_str, "False") == 0 ||
		    strcmp(n->n_str, "FALSE") == 0) {
			*out = false;
			return 0;
		}
	}
	return cfg_expected(ctx, n, key, "true or false");
}

int
cfg_get_double(struct cfg_ctx *ctx, const struct cfg_node *n,
    const char *key, double *out)
{
	const char *s;
	char *end;
	double v;

	if (n == NULL || n->n_kind != CFG_NODE_SCALAR || !n->n_plain ||
	    cfg_is_null(n))
		return cfg_expected(ctx, n, key, "a number");
	s = n->n_str;
	/* strtod takes spaces, hex, "inf" and "nan"; a threshold is none. */
	if (!(isdigit((unsigned char)s[0]) || ((s[0] == '-' || s[0] == '+' ||
	    s[0] == '.') && (isdigit((unsigned char)s[1]) || s[1] == '.'))) ||
	    strpbrk(s, "xXnN") != NULL)
		return cfg_expected(ctx, n, key, "a number");
	errno = 0;
	v = strtod(s, &end);
	if (*end != '\0' || end == s)
		return cfg_expected(ctx, n, key, "a number");
	if (errno == ERANGE || !isfinite(v)) {
		char what[80];

		cfg_node_error(ctx, n, "%s: %s is out of range", key,
		    cfg_node_describe(n, what, sizeof(what)));
		return -1;
	}
	*out = v;
	return 0;
}

const char *const cfg_level_names[] = { "noAuthNoPriv", "authNoPriv",
	"authPriv", NULL };
const char *const cfg_auth_names[] = { "none", "MD5", "SHA", "SHA-224",
	"SHA-256", "SHA-384", "SHA-512", NULL };

int
cfg_word_index(const struct cfg_node *n, const char *const *names)
{
	int i;

	if (n == NULL || n->n_kind != CFG_NODE_SCALAR)
		return -1;
	for (i = 0; names[i] != NULL; i++)
		if (strcasecmp(n->n_str, names[i]) == 0)
			return i;
	return -1;
}

bool
cfg_name_ok(const char *s)
{
	size_t i;

	if (s == NULL || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= 128)
			return false;
		if (!(isalnum(c) || c == '_' || c == '.' || c == '-'))
			return false;
	}
	return true;
}

struct cfg_dup_ent {
	const char	*de_name;
	size_t		 de_idx;
};

static int
cfg_dup_cmp(const void *a, const void *b)
{
	const struct cfg_dup_ent *x = a, *y = b;
	int c = strcmp(x->de_name, y->de_name);

	if (c != 0)
		return c;
	return x->de_idx < y->de_idx ? -1 : x->de_idx > y->de_idx;
}

int
cfg_dups_mark(char *const *names, size_t n, bool *dup)
{
	struct cfg_dup_ent *ents;
	size_t i, m = 0;

	for (i = 0; i < n; i++)
		dup[i] = false;
	if (n < 2)
		return 0;
	if ((ents = calloc(n, sizeof(*ents))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (names[i] != NULL) {
			ents[m].de_name = names[i];
			ents[m].de_idx = i;
			m++;
		}
	qsort(ents, m, sizeof(*ents), cfg_dup_cmp);
	for (i = 1; i < m; i++)
		if (strcmp(ents[i].de_name, ents[i - 1].de_name) == 0)
			dup[ents[i].de_idx] = true;
	free(ents);
	return 0;
}
