/*
 * yaml: the loader both config files share.  libyaml events become a small
 * tree of nodes, each with the 1-based line and column where it starts, and
 * the helpers here turn nodes into typed values while collecting every
 * problem as "FILE:LINE:COLUMN: message".  It is not a YAML library: no
 * anchors, aliases, merge keys, tags or multiple documents, and only what
 * agent_conf.c and collector_conf.c need.  Implemented in yaml.c (parser,
 * errors) and node.c (getters, helpers).  Private to config/.
 */
#ifndef PT_CONFIG_YAML_H
#define PT_CONFIG_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

/* Caps against hostile or runaway input; each refusal is a config error. */
#define CFG_YAML_MAX_DEPTH	32	/* our deepest key is 4 levels down */
#define CFG_YAML_MAX_NODES	100000	/* tens of thousands of inline targets */
#define CFG_YAML_MAX_SCALAR	4096	/* a command line or a path */
/* Refuse to read config or hosts files larger than this. */
#define CFG_FILE_MAX		(64UL * 1024 * 1024)
/* Errors kept as text; beyond this they are only counted. */
#define CFG_ERRORS_MAX		10000

enum cfg_node_kind { CFG_NODE_SCALAR, CFG_NODE_MAP, CFG_NODE_SEQ };

struct cfg_node {
	enum cfg_node_kind	 n_kind;
	unsigned		 n_line;	/* 1-based */
	unsigned		 n_col;		/* 1-based */
	char			*n_str;		/* scalar text, NUL-terminated */
	size_t			 n_len;
	bool			 n_plain;	/* unquoted: may mean null/number */
	struct cfg_node		**n_kids;	/* map: key, value, key, value... */
	size_t			 n_nkids;
	size_t			 n_cap;		/* allocated n_kids slots */
};

/* Where errors go while one file is being turned into a struct. */
struct cfg_ctx {
	const char		*cx_file;	/* name used in messages */
	const char		*cx_dir;	/* directory of the file, or NULL */
	struct cfg_errors	*cx_errs;
	size_t			 cx_start;	/* error total when we began */
	size_t			 cx_first;	/* ce_count when we began */
};

/*
 * Parse buf into a tree.  Returns 0 and *root (NULL for an empty document);
 * 1 and *root when errors were recorded that still leave a tree to check
 * (anchors, tags, duplicate keys); or -1 with errors and *root NULL.  Free
 * with cfg_node_free().
 */
int	cfg_yaml_parse(struct cfg_ctx *ctx, const char *buf, size_t len,
	    struct cfg_node **root);
void	cfg_node_free(struct cfg_node *n);

/* Read a whole regular file (at most CFG_FILE_MAX); -1 with errno. */
int	cfg_read_file(const char *path, char **buf, size_t *len);
/* The same from an open descriptor (read from its offset, not closed). */
int	cfg_read_fd(int fd, char **buf, size_t *len);
/* The directory part of path ("." when none); new string or NULL. */
char	*cfg_dirname(const char *path);
/* Join dir and a relative path; absolute paths and "." dirs pass as is. */
char	*cfg_path_join(const char *dir, const char *rel);

/* Error collection.  line 0 means "no position": "FILE: message". */
void	cfg_errorf(struct cfg_errors *errs, const char *file, unsigned line,
	    unsigned col, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
void	cfg_node_error(struct cfg_ctx *ctx, const struct cfg_node *at,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Errors added since ctx began? */
bool	cfg_ctx_failed(const struct cfg_ctx *ctx);
/* Put the lines from index start in file order (file's own first). */
void	cfg_errors_sort(struct cfg_errors *errs, size_t start,
	    const char *file);
size_t	cfg_errors_total(const struct cfg_errors *errs);

/*
 * A short, printable rendering of a node for messages: "'text'" (cut and
 * with control bytes replaced), "null", "a mapping" or "a list".
 */
const char *cfg_node_describe(const struct cfg_node *n, char *buf,
	    size_t size);

/* The same for a C string: always quoted. */
const char *cfg_str_describe(const char *s, char *buf, size_t size);

bool	cfg_is_null(const struct cfg_node *n);
/* Value of key in map, or NULL. */
struct cfg_node *cfg_map_get(const struct cfg_node *map, const char *key);
/* Report every key of map not in allowed (NULL-terminated) "in where". */
void	cfg_check_keys(struct cfg_ctx *ctx, const struct cfg_node *map,
	    const char *const *allowed, const char *where);

/*
 * Typed getters.  Each checks the node, and on a mismatch adds
 * "KEY: expected ..., got ..." at the node and returns -1; on success
 * stores the value and returns 0.  cfg_get_str replaces (frees) *out.
 */
int	cfg_expect_map(struct cfg_ctx *ctx, const struct cfg_node *n,
	    const char *key);
int	cfg_expect_seq(struct cfg_ctx *ctx, const struct cfg_node *n,
	    const char *key);
int	cfg_get_str(struct cfg_ctx *ctx, const struct cfg_node *n,
	    const char *key, char **out);
int	cfg_get_u32(struct cfg_ctx *ctx, const struct cfg_node *n,
	    const char *key, uint32_t min, uint32_t max, uint32_t *out);
int	cfg_get_bool(struct cfg_ctx *ctx, const struct cfg_node *n,
	    const char *key, bool *out);
int	cfg_get_double(struct cfg_ctx *ctx, const struct cfg_node *n,
	    const char *key, double *out);
/*
 * An OID as numbers, or as a name of DESIGN.md's OID contract with an
 * optional numeric suffix ("sysUpTime.0").  oid_parse's contract otherwise.
 */
int	cfg_oid_parse(const char *text, struct oid *out, const char **errstr);
/*
 * Index of n's text in the NULL-terminated names (case-insensitive), or -1
 * when n is not a scalar or not there.
 */
int	cfg_word_index(const struct cfg_node *n, const char *const *names);
/* USM's names, in the order of enum cfg_sec_level and cfg_auth_proto. */
extern const char *const cfg_level_names[];
extern const char *const cfg_auth_names[];

/* Is s a usable identifier: [A-Za-z_][A-Za-z0-9_.-]*, at most 128 bytes? */
bool	cfg_name_ok(const char *s);

/*
 * Mark duplicates: dup[i] is true when names[j] == names[i] for some j < i.
 * O(n log n), so thousands of targets cost nothing.  -1 on ENOMEM.
 */
int	cfg_dups_mark(char *const *names, size_t n, bool *dup);

#endif
