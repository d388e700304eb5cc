/*
 * yaml: libyaml events to a node tree with marks, and the error list both
 * loaders fill (the typed getters are in node.c).  It is not a general
 * YAML reader: anchors, aliases, tags, merge keys and second documents are
 * refused, because a config that needs them is one a reader cannot check by
 * eye.  Nothing here logs or exits.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "config/yaml.h"

struct cfg_builder {
	struct cfg_ctx	*b_ctx;
	struct cfg_node	*b_stack[CFG_YAML_MAX_DEPTH];
	size_t		 b_depth;
	size_t		 b_nodes;
	int		 b_docs;
	struct cfg_node	*b_root;
};

/*
 * libyaml marks are 0-based; this is the one place they become the 1-based
 * lines and columns every message shows.
 */
static void
cfg_mark_set(unsigned *line, unsigned *col, const yaml_mark_t *m)
{
	*line = m->line >= UINT32_MAX ? UINT32_MAX : (unsigned)m->line + 1;
	*col = m->column >= UINT32_MAX ? UINT32_MAX : (unsigned)m->column + 1;
}

size_t
cfg_errors_total(const struct cfg_errors *errs)
{
	return errs->ce_count + errs->ce_dropped;
}

void
cfg_errorf(struct cfg_errors *errs, const char *file, unsigned line,
    unsigned col, const char *fmt, ...)
{
	char msg[512], line_buf[1024];
	char **lines, *copy;
	va_list ap;
	int n;

	if (errs->ce_count >= CFG_ERRORS_MAX)
		goto drop;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		goto drop;
	/* An over-long message is cut: it is only text for a human. */
	if (line == 0)
		n = snprintf(line_buf, sizeof(line_buf), "%s: %s", file, msg);
	else
		n = snprintf(line_buf, sizeof(line_buf), "%s:%u:%u: %s", file,
		    line, col, msg);
	if (n < 0)
		goto drop;
	if ((copy = strdup(line_buf)) == NULL)
		goto drop;
	lines = reallocarray(errs->ce_lines, errs->ce_count + 1,
	    sizeof(*lines));
	if (lines == NULL) {
		free(copy);
		goto drop;
	}
	errs->ce_lines = lines;
	errs->ce_lines[errs->ce_count++] = copy;
	return;
drop:
	/* Still counted, so the load fails and the summary is right. */
	errs->ce_dropped++;
}

void
cfg_node_error(struct cfg_ctx *ctx, const struct cfg_node *at,
    const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		msg[0] = '\0';
	cfg_errorf(ctx->cx_errs, ctx->cx_file, at != NULL ? at->n_line : 1,
	    at != NULL ? at->n_col : 1, "%s", msg);
}

bool
cfg_ctx_failed(const struct cfg_ctx *ctx)
{
	return cfg_errors_total(ctx->cx_errs) != ctx->cx_start;
}

void
cfg_errors_print(const struct cfg_errors *errs, void *fp)
{
	size_t i, shown, more;

	if (errs == NULL || fp == NULL)
		return;
	shown = errs->ce_count < 20 ? errs->ce_count : 20;
	for (i = 0; i < shown; i++)
		fprintf(fp, "%s\n", errs->ce_lines[i]);
	more = cfg_errors_total(errs) - shown;
	if (more > 0)
		fprintf(fp, "... and %zu more error%s\n", more,
		    more == 1 ? "" : "s");
}

struct cfg_err_key {
	char		*ek_line;
	unsigned	 ek_group;	/* 0: the config file, 1: another file */
	unsigned long	 ek_lineno, ek_col;
	size_t		 ek_idx;
};

static int
cfg_err_cmp(const void *a, const void *b)
{
	const struct cfg_err_key *x = a, *y = b;

	if (x->ek_group != y->ek_group)
		return x->ek_group < y->ek_group ? -1 : 1;
	if (x->ek_group == 0 && x->ek_lineno != y->ek_lineno)
		return x->ek_lineno < y->ek_lineno ? -1 : 1;
	if (x->ek_group == 0 && x->ek_col != y->ek_col)
		return x->ek_col < y->ek_col ? -1 : 1;
	return x->ek_idx < y->ek_idx ? -1 : x->ek_idx > y->ek_idx;
}

/*
 * Checks run key by key, not in file order; a reader wants file order.  The
 * config file's own errors come first by line and column, then those of
 * hosts files as found.  Without memory the order is simply left alone.
 */
void
cfg_errors_sort(struct cfg_errors *errs, size_t start, const char *file)
{
	struct cfg_err_key *keys;
	size_t i, n, flen = strlen(file);

	if (start >= errs->ce_count || errs->ce_count - start < 2)
		return;
	n = errs->ce_count - start;
	if ((keys = calloc(n, sizeof(*keys))) == NULL)
		return;
	for (i = 0; i < n; i++) {
		char *l = errs->ce_lines[start + i], *end;

		keys[i].ek_line = l;
		keys[i].ek_idx = i;
		keys[i].ek_group = 1;
		if (strncmp(l, file, flen) != 0 || l[flen] != ':' ||
		    !isdigit((unsigned char)l[flen + 1]))
			continue;
		keys[i].ek_lineno = strtoul(l + flen + 1, &end, 10);
		if (*end != ':' || !isdigit((unsigned char)end[1]))
			continue;
		keys[i].ek_col = strtoul(end + 1, &end, 10);
		if (*end == ':')
			keys[i].ek_group = 0;
	}
	qsort(keys, n, sizeof(*keys), cfg_err_cmp);
	for (i = 0; i < n; i++)
		errs->ce_lines[start + i] = keys[i].ek_line;
	free(keys);
}

void
cfg_errors_free(struct cfg_errors *errs)
{
	size_t i;

	if (errs == NULL)
		return;
	for (i = 0; i < errs->ce_count; i++)
		free(errs->ce_lines[i]);
	free(errs->ce_lines);
	errs->ce_lines = NULL;
	errs->ce_count = 0;
	errs->ce_dropped = 0;
}

void
cfg_node_free(struct cfg_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->n_nkids; i++)
		cfg_node_free(n->n_kids[i]);
	free(n->n_kids);
	free(n->n_str);
	free(n);
}

/* Line and column of byte `off`, for reader errors that carry no mark. */
static void
cfg_offset_mark(const char *buf, size_t len, size_t off, unsigned *line,
    unsigned *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

static void
cfg_syntax_error(struct cfg_ctx *ctx, const yaml_parser_t *p, const char *buf,
    size_t len)
{
	unsigned line, col;
	const char *problem = p->problem != NULL ? p->problem : "unknown error";

	if (p->error == YAML_READER_ERROR) {
		cfg_offset_mark(buf, len, p->problem_offset, &line, &col);
		cfg_errorf(ctx->cx_errs, ctx->cx_file, line, col,
		    "invalid input: %s", problem);
		return;
	}
	if (p->error == YAML_MEMORY_ERROR) {
		cfg_errorf(ctx->cx_errs, ctx->cx_file, 0, 0, "out of memory");
		return;
	}
	cfg_mark_set(&line, &col, &p->problem_mark);
	if (p->context != NULL)
		cfg_errorf(ctx->cx_errs, ctx->cx_file, line, col,
		    "syntax error: %s %s", p->context, problem);
	else
		cfg_errorf(ctx->cx_errs, ctx->cx_file, line, col,
		    "syntax error: %s", problem);
}

static int
cfg_attach(struct cfg_builder *b, struct cfg_node *n)
{
	struct cfg_node *parent, **kids;

	if (b->b_depth == 0) {
		b->b_root = n;
		return 0;
	}
	parent = b->b_stack[b->b_depth - 1];
	/* Grow by doubling; n_nkids is bounded by CFG_YAML_MAX_NODES. */
	if (parent->n_nkids == parent->n_cap) {
		size_t cap = parent->n_cap == 0 ? 4 : parent->n_cap * 2;

		kids = reallocarray(parent->n_kids, cap, sizeof(*kids));
		if (kids == NULL)
			return -1;
		parent->n_kids = kids;
		parent->n_cap = cap;
	}
	parent->n_kids[parent->n_nkids++] = n;
	return 0;
}

static bool
cfg_str_is_merge_key(const struct cfg_node *k)
{
	return k->n_kind == CFG_NODE_SCALAR && k->n_plain &&
	    strcmp(k->n_str, "<<") == 0;
}

/* At the end of a mapping: keys must be unique scalars, never "<<". */
static int
cfg_map_finish(struct cfg_builder *b, struct cfg_node *map)
{
	size_t i, nkeys = map->n_nkids / 2;
	char **names = NULL;
	bool *dup = NULL;
	int rc = -1;

	if (nkeys == 0)
		return 0;
	if ((names = calloc(nkeys, sizeof(*names))) == NULL ||
	    (dup = calloc(nkeys, sizeof(*dup))) == NULL)
		goto out;
	for (i = 0; i < nkeys; i++) {
		const struct cfg_node *k = map->n_kids[2 * i];

		if (k->n_kind != CFG_NODE_SCALAR) {
			cfg_node_error(b->b_ctx, k,
			    "mapping keys must be plain strings");
			names[i] = NULL;
			continue;
		}
		if (cfg_str_is_merge_key(k))
			cfg_node_error(b->b_ctx, k,
			    "merge keys (<<) are not supported");
		names[i] = k->n_str;
	}
	if (cfg_dups_mark(names, nkeys, dup) == -1)
		goto out;
	for (i = 0; i < nkeys; i++) {
		char what[80];

		if (dup[i] && names[i] != NULL)
			cfg_node_error(b->b_ctx, map->n_kids[2 * i],
			    "duplicate key %s", cfg_node_describe(
			    map->n_kids[2 * i], what, sizeof(what)));
	}
	rc = 0;
out:
	free(names);
	free(dup);
	return rc;
}

/* Refuse what we do not support but keep building, to report it all. */
static void
cfg_check_props(struct cfg_builder *b, const struct cfg_node *n,
    const yaml_char_t *anchor, const yaml_char_t *tag)
{
	if (anchor != NULL)
		cfg_node_error(b->b_ctx, n, "anchors (&%.40s) are not supported",
		    (const char *)anchor);
	if (tag != NULL)
		cfg_node_error(b->b_ctx, n, "tags (%.40s) are not supported",
		    (const char *)tag);
}

/*
 * One event.  Returns 1 to go on, 0 at the end of the stream, -1 to stop
 * (a cap was hit or memory ran out; the error is already recorded).
 */
static int
cfg_event(struct cfg_builder *b, const yaml_event_t *ev)
{
	struct cfg_ctx *ctx = b->b_ctx;
	struct cfg_node *n;
	const yaml_char_t *anchor = NULL, *tag = NULL;
	unsigned line, col;

	cfg_mark_set(&line, &col, &ev->start_mark);
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 0;
	case YAML_DOCUMENT_START_EVENT:
		if (++b->b_docs > 1) {
			cfg_errorf(ctx->cx_errs, ctx->cx_file, line, col,
			    "only one YAML document is allowed");
			return -1;
		}
		return 1;
	case YAML_ALIAS_EVENT:
		cfg_errorf(ctx->cx_errs, ctx->cx_file, line, col,
		    "aliases (*%.40s) are not supported",
		    (const char *)ev->data.alias.anchor);
		/* A null stand-in keeps the map's key/value pairing. */
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->b_depth == 0)
			return -1;
		n = b->b_stack[--b->b_depth];
		if (n->n_kind == CFG_NODE_MAP && cfg_map_finish(b, n) == -1)
			goto nomem;
		return 1;
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		if (ev->data.scalar.length > CFG_YAML_MAX_SCALAR) {
			cfg_errorf(ctx->cx_errs, ctx->cx_file, line, col,
			    "value longer than %d bytes", CFG_YAML_MAX_SCALAR);
			return -1;
		}
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		break;
	default:
		return 1;
	}

	if (++b->b_nodes > CFG_YAML_MAX_NODES) {
		cfg_errorf(ctx->cx_errs, ctx->cx_file, line, col,
		    "more than %d values", CFG_YAML_MAX_NODES);
		return -1;
	}
	if ((n = calloc(1, sizeof(*n))) == NULL)
		goto nomem;
	n->n_line = line;
	n->n_col = col;
	if (ev->type == YAML_SCALAR_EVENT) {
		n->n_kind = CFG_NODE_SCALAR;
		n->n_len = ev->data.scalar.length;
		n->n_plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if ((n->n_str = malloc(n->n_len + 1)) == NULL) {
			free(n);
			goto nomem;
		}
		memcpy(n->n_str, ev->data.scalar.value, n->n_len);
		n->n_str[n->n_len] = '\0';
		/* "\0" in a quoted scalar would cut every C string short. */
		if (memchr(n->n_str, '\0', n->n_len) != NULL)
			cfg_node_error(ctx, n, "NUL byte in a value");
	} else if (ev->type == YAML_ALIAS_EVENT) {
		n->n_kind = CFG_NODE_SCALAR;
		n->n_plain = true;
		if ((n->n_str = strdup("")) == NULL) {
			free(n);
			goto nomem;
		}
	} else
		n->n_kind = ev->type == YAML_MAPPING_START_EVENT ?
		    CFG_NODE_MAP : CFG_NODE_SEQ;
	if (cfg_attach(b, n) == -1) {
		cfg_node_free(n);
		goto nomem;
	}
	cfg_check_props(b, n, anchor, tag);
	if (n->n_kind != CFG_NODE_SCALAR) {
		if (b->b_depth >= CFG_YAML_MAX_DEPTH) {
			cfg_node_error(ctx, n, "nested deeper than %d levels",
			    CFG_YAML_MAX_DEPTH);
			return -1;
		}
		b->b_stack[b->b_depth++] = n;
	}
	return 1;
nomem:
	cfg_errorf(ctx->cx_errs, ctx->cx_file, line, col, "out of memory");
	return -1;
}

int
cfg_yaml_parse(struct cfg_ctx *ctx, const char *buf, size_t len,
    struct cfg_node **root)
{
	struct cfg_builder b;
	yaml_parser_t parser;
	yaml_event_t ev;
	size_t before = cfg_errors_total(ctx->cx_errs);
	int rc = -1;

	*root = NULL;
	memset(&b, 0, sizeof(b));
	b.b_ctx = ctx;
	if (!yaml_parser_initialize(&parser)) {
		cfg_errorf(ctx->cx_errs, ctx->cx_file, 0, 0, "out of memory");
		return -1;
	}
	/* libyaml asserts on a NULL input, even an empty one. */
	if (buf == NULL) {
		buf = "";
		len = 0;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev)) {
			cfg_syntax_error(ctx, &parser, buf, len);
			rc = -1;
			break;
		}
		rc = cfg_event(&b, &ev);
		yaml_event_delete(&ev);
		if (rc <= 0)
			break;
	}
	yaml_parser_delete(&parser);
	/*
	 * Anchors, tags, duplicate keys and NUL bytes leave a usable tree, so
	 * the caller goes on and reports the rest too; syntax errors and caps
	 * (rc -1) leave none.
	 */
	if (rc != 0) {
		cfg_node_free(b.b_root);
		return -1;
	}
	*root = b.b_root;
	return cfg_errors_total(ctx->cx_errs) != before ? 1 : 0;
}
