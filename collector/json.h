/*
 * json: a tiny JSON writer into a growing byte buffer, shared by the JSON
 * Lines sink, the alert payload and the SQLite sink's labels column (the
 * other text sinks use the buffer alone).  It writes strings, numbers and
 * the members every record opens with; other objects and commas are the
 * caller's.  It is not a parser.
 *
 * Strings: json_str() writes valid UTF-8 exactly -- '"' and '\\' escaped,
 * control bytes (NUL included, and 0x7f) as \u00XX, everything else as it
 * is -- so a JSON parser reads back the same bytes.  Bytes that are not
 * UTF-8 have no JSON string that reads back as them: json_str() writes
 * each as U+FFFD, and callers holding bytes from an agent test
 * json_text_ok() first and write such a value as json_hex() elsewhere
 * (sink_jsonl.c says where), so no two different byte strings are ever
 * written alike.
 *
 * Errors: an allocation failure sets jb_failed and further writes are
 * dropped; check it once at the end.
 *
 * A buffer may spill: with jb_spill set, once jb_len reaches jb_spill_at
 * after an append, jb_spill() is called to write the bytes out; it returns
 * 0 and the buffer is emptied, or -1 and jb_failed is set.  The sinks
 * stream a run through a spilling buffer, so their memory does not grow
 * with what the agents sent.
 */
#ifndef PT_JSON_H
#define PT_JSON_H

#include <stddef.h>
#include <stdint.h>

/* U+FFFD REPLACEMENT CHARACTER in UTF-8. */
#define JSON_REPLACEMENT	"\xef\xbf\xbd"

struct json_buf;
typedef int	json_spill_fn(struct json_buf *jb, void *arg);

struct json_buf {
	char		*jb_data;	/* not NUL-terminated unless json_buf_cstr() */
	size_t		 jb_len;
	size_t		 jb_cap;
	int		 jb_failed;	/* an allocation or a spill failed */
	json_spill_fn	*jb_spill;	/* NULL: never spills */
	void		*jb_spill_arg;
	size_t		 jb_spill_at;
};

void	json_buf_init(struct json_buf *jb);
/* Make jb spill through fn(jb, arg) once it holds `at` bytes (see above). */
void	json_buf_spill(struct json_buf *jb, json_spill_fn *fn, void *arg,
	    size_t at);
/* Forget the contents, keep the memory (and clear jb_failed). */
void	json_buf_reset(struct json_buf *jb);
void	json_buf_free(struct json_buf *jb);
/* NUL-terminate and return the data ("" when empty); NULL after a failure. */
const char *json_buf_cstr(struct json_buf *jb);

/* Append bytes as they are (no quoting). */
void	json_raw(struct json_buf *jb, const void *p, size_t len);
void	json_lit(struct json_buf *jb, const char *s);
/* Append a quoted, escaped JSON string of len bytes (see above). */
void	json_str(struct json_buf *jb, const char *s, size_t len);
/* Append a quoted string of the bytes in lowercase hex, two per byte. */
void	json_hex(struct json_buf *jb, const void *p, size_t len);
void	json_cstr(struct json_buf *jb, const char *s);
/* Append "key": (the key escaped). */
void	json_key(struct json_buf *jb, const char *key);
void	json_i64(struct json_buf *jb, int64_t v);
void	json_u64(struct json_buf *jb, uint64_t v);
/* Shortest of %.15g / %.17g that reads back equal; null when not finite. */
void	json_double(struct json_buf *jb, double v);
/* Fixed `decimals` (0..9) with trailing zeros cut: 0.400 -> 0.4, 2.000 -> 2. */
void	json_fixed(struct json_buf *jb, double v, int decimals);

/*
 * Length of the valid UTF-8 sequence starting at p (1..4), or 0 when the
 * byte at p does not start one within left bytes.
 */
size_t	json_utf8_len(const unsigned char *p, size_t left);
/* Whether all len bytes are valid UTF-8 without NUL. */
int	json_utf8_valid(const char *s, size_t len);
/* Whether all len bytes are valid UTF-8 (NUL allowed): json_str() is exact. */
int	json_text_ok(const char *s, size_t len);

struct cfg_target;
struct sample;

/* A target's labels as a JSON object: {"key":"value",...}. */
void	json_labels(struct json_buf *jb, const struct cfg_target *tg);
/*
 * The members that open a JSON Lines record and an alert alike:
 * {"time":"...","target":"...","host":"...","port":N  (object left open).
 */
void	json_sample_head(struct json_buf *jb, const struct sample *sa);

/*
 * Format helpers that the other text sinks share: write into buf and return
 * the length, or 0 when the number is not finite or does not fit (32 bytes
 * always fit json_fmt_double, and json_fmt_fixed for |v| < 1e20).
 */
size_t	json_fmt_double(char *buf, size_t size, double v);
size_t	json_fmt_fixed(char *buf, size_t size, double v, int decimals);

#endif
