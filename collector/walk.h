/*
 * walk: one table walk (GETBULK, or GETNEXT for v1) as a state machine fed
 * with the varbinds of each reply, and the grouping of the walked varbinds
 * into rows for struct sample_table.  Also the conversion of a net-snmp
 * varbind to struct sample_value, shared with poll_target.c.  It sends
 * nothing: poll_target.c has walk_request() build the next request and
 * feeds each reply to walk_reply().  net-snmp types appear only as the
 * forward-declared struct variable_list and struct snmp_pdu.
 *
 * A walk stops (RFC 3416 4.2.3 and OpenBSD appl_varbind_valid) at the
 * first OID outside the table, at an exception (endOfMibView,
 * noSuchObject, noSuchInstance), at an OID not greater than the one before
 * (an agent looping), at a reply with no varbinds (net-snmp #746), and at a
 * sub-identifier over 2^32-1.  A column with more than max_rows rows is cut
 * there and the walk skips to the next column, so every column keeps the
 * same first max_rows rows.  An agent could still return column after
 * column of increasing OIDs for as long as the run lasts, so a walk also
 * stops after WALK_MAX_COLUMNS columns, and before it keeps more bytes
 * than its caller allows (walk_allow()): what one walk keeps is bounded
 * by both.  The bytes a walk counts are what it takes from the arena
 * for each varbind kept plus what walk_build() will take for it, so
 * building never goes past what was allowed.
 */
#ifndef PT_WALK_H
#define PT_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "collector/run_arena.h"
#include "collector/sample.h"
#include "snmp/oid.h"

struct variable_list;
struct snmp_pdu;
struct cfg_metric;

/* Real tables have tens of columns (ifTable 22, hrSWRunTable 7). */
#define WALK_MAX_COLUMNS	256

enum walk_status {
	WALK_MORE = 0,		/* ask again from walk_next_oid() */
	WALK_END_SUBTREE,	/* left the table: the normal end */
	WALK_END_MIBVIEW,	/* endOfMibView or noSuch*: the normal end */
	WALK_END_LOOP,		/* an OID that did not increase */
	WALK_END_EMPTY,		/* a reply without varbinds */
	WALK_END_BADOID,	/* a sub-identifier over 2^32-1 */
	WALK_END_COLUMNS,	/* WALK_MAX_COLUMNS */
	WALK_END_BUDGET,	/* the bytes allowed are spent */
	WALK_ERR_NOMEM,
	WALK_ERR_PDU,		/* an error-status: walk_reply's why says */
};

struct walk_entry;

/* Callers embed it (one per in-flight target); the fields are private. */
struct walk {
	struct oid		 w_entry;	/* the subtree walked (xEntry) */
	struct oid		 w_next;	/* request from here */
	uint32_t		 w_max_rows;
	uint32_t		 w_col;		/* column being read */
	uint32_t		 w_col_rows;	/* rows of w_col so far */
	uint32_t		 w_ncols;	/* columns seen so far */
	size_t			 w_bytes;	/* kept and reserved so far */
	size_t			 w_limit;	/* w_bytes may not pass this */
	bool			 w_truncated;	/* max_rows cut a column */
	size_t			 w_nentries;
	struct walk_entry	*w_head;
	struct walk_entry	**w_tail;
};

/*
 * Start a walk of the subtree `entry`; max_rows 0 means no limit.  It may
 * keep any number of bytes until walk_allow() says otherwise.
 */
void		 walk_begin(struct walk *w, const struct oid *entry,
		    uint32_t max_rows);
/* Let the walk keep `more` bytes past what it holds now (SIZE_MAX: any). */
void		 walk_allow(struct walk *w, size_t more);
/* The bytes the walk holds and has reserved for walk_build(). */
size_t		 walk_bytes(const struct walk *w);
/* The OID the next GETBULK/GETNEXT asks for (the last one received). */
const struct oid *walk_next_oid(const struct walk *w);
/*
 * Feed the varbinds of one reply (in order).  Each varbind inside the
 * table is converted and kept in the arena.  Returns WALK_MORE or why the
 * walk ended.
 */
enum walk_status walk_feed(struct walk *w, const struct variable_list *vars,
		    struct run_arena *a);
const char	*walk_status_str(enum walk_status st);
/*
 * Feed a whole reply PDU: tooBig on a GETBULK halves *reps and asks again
 * (WALK_MORE); v1 noSuchName on GETNEXT is the end of the MIB; any other
 * error-status is WALK_ERR_PDU with why filled; else walk_feed().
 */
enum walk_status walk_reply(struct walk *w, const struct snmp_pdu *pdu,
		    uint16_t *reps, struct run_arena *a, char *why,
		    size_t whylen);
/*
 * Group the kept varbinds by index (the OID suffix after entry.column)
 * into rows in index order, columns named by names.c.  `name` is the
 * table's configured name (borrowed).  What it takes from the arena was
 * counted in walk_bytes() already.  Returns 0, or -1 on ENOMEM.
 */
int		 walk_build(const struct walk *w, const char *name,
		    struct run_arena *a, struct sample_table *out);

/*
 * Convert one varbind: INTEGER -> SV_INT; Counter32, Gauge32, TimeTicks,
 * Counter64 -> SV_UINT; OCTET STRING and Opaque -> SV_STRING (bytes);
 * IpAddress and OBJECT IDENTIFIER -> SV_STRING text; exceptions, NULL and
 * anything else -> SV_ABSENT.  Strings are copied into the arena.  Returns
 * 0, or -1 on ENOMEM.
 */
int		 walk_value_convert(const struct variable_list *v,
		    struct run_arena *a, struct sample_value *out);
/* At least what walk_value_convert(v) takes from the arena. */
size_t		 walk_value_cost(const struct variable_list *v);

/*
 * The next request of the walk: GETNEXT (v1) or GETBULK with
 * max-repetitions reps (non-repeaters 0) from walk_next_oid().  Returns a
 * new net-snmp PDU (the caller sends or frees it), NULL on ENOMEM.
 */
struct snmp_pdu	*walk_request(const struct walk *w, bool v1, uint16_t reps);
/*
 * A GET of at most chunk metrics still to ask (sv_name NULL) from lo on;
 * *hi is set past the last one included.  NULL on ENOMEM.
 */
struct snmp_pdu	*walk_get_request(const struct cfg_metric *metrics,
		    size_t nmetrics, const struct sample_value *vals, size_t lo,
		    uint16_t chunk, size_t *hi);

enum walk_get_result {
	WALK_GET_DONE = 0,	/* every metric asked for is resolved */
	WALK_GET_AGAIN,		/* ask again: *chunk halved, or one dropped */
	WALK_GET_ERROR,		/* why says */
	WALK_GET_NOMEM,
	WALK_GET_BUDGET,	/* the values would take more than allowed */
};

/*
 * Apply a GET reply to metrics [lo, hi) of vals, where a metric is still
 * to ask while its sv_name is NULL.  Values are converted and named.
 * tooBig halves *chunk (RFC 3416 4.2.1; a single varbind is an error);
 * v1 noSuchName marks the varbind named by error-index SV_ABSENT (RFC 1157
 * 4.1.2) so the rest are asked again.  Any other error-status, and a
 * reply whose OIDs are not those asked, is an error.  Values that would
 * take more than `allow` bytes of the arena are not converted
 * (WALK_GET_BUDGET).
 */
enum walk_get_result walk_get_reply(const struct snmp_pdu *pdu,
		    const struct cfg_metric *metrics, struct sample_value *vals,
		    size_t lo, size_t hi, uint16_t *chunk, struct run_arena *a,
		    size_t allow, char *why, size_t whylen);

#endif
