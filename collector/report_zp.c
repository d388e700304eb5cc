/*
 * report_zp: the parents holding zombies in the window.  report_db.c feeds
 * the cells of the zombie parent table (ptZpName, ptZpZombies,
 * ptZpOldestAge) in key order; this puts each row back together and counts
 * it against its parent, known by host, pid and name, so that a pid reused
 * by another program is another parent.  Each parent keeps the first and
 * the last run it was seen in and its latest counts.  A hash table keeps
 * the pass linear; REPORT_PARENTS_MAX bounds its memory.  It does not rank
 * (report.c) or read SQLite (report_db.c).
 */
#include <stdlib.h>
#include <string.h>

#include "collector/report_impl.h"

/* The row being put together from its cells. */
struct zp_row {
	bool		 zr_open;
	size_t		 zr_run;
	size_t		 zr_host;
	char		 zr_tbl[REPORT_TEXT_BYTES];
	char		 zr_idx[REPORT_TEXT_BYTES];
	char		 zr_name[REPORT_TEXT_BYTES];
	size_t		 zr_name_len;
	bool		 zr_name_cut;
	bool		 zr_has_zombies;
	int64_t		 zr_zombies;
	int64_t		 zr_oldest;
};

struct report_zp {
	struct report	*z_r;
	size_t		*z_slots;	/* index in r_parents + 1; 0 empty */
	size_t		 z_nslots;	/* a power of two */
	size_t		 z_cap;		/* r_parents allocated */
	struct zp_row	 z_row;
};

struct report_zp *
report_zp_new(struct report *r)
{
	struct report_zp *z;

	if ((z = calloc(1, sizeof(*z))) == NULL)
		return NULL;
	z->z_r = r;
	z->z_cap = r->r_nparents;
	return z;
}

void
report_zp_free(struct report_zp *z)
{
	if (z == NULL)
		return;
	free(z->z_slots);
	free(z);
}

/* FNV-1a over the parent's key: host, pid, name. */
static uint64_t
zp_hash(size_t host, const char *pid, const char *name, size_t nlen)
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (i = 0; i < sizeof(host); i++)
		h = (h ^ ((host >> (i * 8)) & 0xff)) * 1099511628211ULL;
	for (; *pid != '\0'; pid++)
		h = (h ^ (uint8_t)*pid) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (i = 0; i < nlen; i++)
		h = (h ^ (uint8_t)name[i]) * 1099511628211ULL;
	return h;
}

static int
zp_grow(struct report_zp *z)
{
	const struct report *r = z->z_r;
	size_t n = z->z_nslots == 0 ? 1024 : z->z_nslots * 2, i, j;
	size_t *slots;

	if ((slots = calloc(n, sizeof(*slots))) == NULL)
		return -1;
	for (i = 0; i < r->r_nparents; i++) {
		const struct report_parent *p = &r->r_parents[i];

		j = zp_hash(p->rp_host, p->rp_pid, p->rp_name.rb_p,
		    p->rp_name.rb_len) & (n - 1);
		while (slots[j] != 0)
			j = (j + 1) & (n - 1);
		slots[j] = i + 1;
	}
	free(z->z_slots);
	z->z_slots = slots;
	z->z_nslots = n;
	return 0;
}

/* The row's parent, found or added; NULL past the cap (or -1 in *nomem). */
static struct report_parent *
zp_parent(struct report_zp *z, const struct zp_row *w, int *nomem)
{
	struct report *r = z->z_r;
	struct report_parent *p, *grown;
	size_t j;

	if ((r->r_nparents + 1) * 2 > z->z_nslots && zp_grow(z) == -1)
		goto nomem;
	j = zp_hash(w->zr_host, w->zr_idx, w->zr_name, w->zr_name_len) &
	    (z->z_nslots - 1);
	for (; z->z_slots[j] != 0; j = (j + 1) & (z->z_nslots - 1)) {
		p = &r->r_parents[z->z_slots[j] - 1];
		if (p->rp_host == w->zr_host && strcmp(p->rp_pid,
		    w->zr_idx) == 0 && p->rp_name.rb_len == w->zr_name_len &&
		    memcmp(p->rp_name.rb_p, w->zr_name, w->zr_name_len) == 0)
			return p;
	}
	if (r->r_nparents == REPORT_PARENTS_MAX) {
		r->r_parents_cut = true;
		return NULL;
	}
	if (r->r_nparents == z->z_cap) {
		z->z_cap = z->z_cap == 0 ? 256 : z->z_cap * 2;
		if ((grown = reallocarray(r->r_parents, z->z_cap,
		    sizeof(*grown))) == NULL)
			goto nomem;
		r->r_parents = grown;
	}
	p = &r->r_parents[r->r_nparents];
	memset(p, 0, sizeof(*p));
	p->rp_host = w->zr_host;
	p->rp_first = w->zr_run;
	if ((p->rp_pid = strdup(w->zr_idx)) == NULL ||
	    (p->rp_name.rb_p = malloc(w->zr_name_len + 1)) == NULL) {
		free(p->rp_pid);
		goto nomem;
	}
	memcpy(p->rp_name.rb_p, w->zr_name, w->zr_name_len);
	p->rp_name.rb_p[w->zr_name_len] = '\0';
	p->rp_name.rb_len = w->zr_name_len;
	p->rp_name.rb_cut = w->zr_name_cut;
	z->z_slots[j] = ++r->r_nparents;
	return p;
nomem:
	*nomem = 1;
	return NULL;
}

/* A whole row is in: count it against its parent. */
int
report_zp_end(struct report_zp *z)
{
	struct zp_row *w = &z->z_row;
	struct report_parent *p;
	int nomem = 0;

	if (!w->zr_open || !w->zr_has_zombies)
		return 0;
	w->zr_open = false;
	if ((p = zp_parent(z, w, &nomem)) == NULL)
		return nomem ? -1 : 0;
	p->rp_last = w->zr_run;
	p->rp_zombies = w->zr_zombies;
	p->rp_oldest_s = w->zr_oldest;
	return 0;
}

/* Copy a text into a fixed buffer, cut if longer. */
static void
zp_fixed(char *buf, size_t size, const char *s)
{
	if (snprintf(buf, size, "%s", s != NULL ? s : "") < 0)
		buf[0] = '\0';
}

int
report_zp_cell(struct report_zp *z, const struct report_zp_cell *c)
{
	struct zp_row *w = &z->z_row;
	char tbl[REPORT_TEXT_BYTES], idx[REPORT_TEXT_BYTES];

	zp_fixed(tbl, sizeof(tbl), c->zc_tbl);
	zp_fixed(idx, sizeof(idx), c->zc_idx);
	if (!w->zr_open || w->zr_run != c->zc_run ||
	    w->zr_host != c->zc_host || strcmp(w->zr_tbl, tbl) != 0 ||
	    strcmp(w->zr_idx, idx) != 0) {
		if (report_zp_end(z) == -1)
			return -1;
		memset(w, 0, sizeof(*w));
		w->zr_open = true;
		w->zr_run = c->zc_run;
		w->zr_host = c->zc_host;
		w->zr_oldest = -1;
		memcpy(w->zr_tbl, tbl, sizeof(tbl));
		memcpy(w->zr_idx, idx, sizeof(idx));
	}
	if (c->zc_col == NULL)
		return 0;
	if (strcmp(c->zc_col, "ptZpZombies") == 0 && c->zc_isint) {
		w->zr_has_zombies = true;
		w->zr_zombies = c->zc_int;
	} else if (strcmp(c->zc_col, "ptZpOldestAge") == 0 && c->zc_isint)
		w->zr_oldest = c->zc_int;
	else if (strcmp(c->zc_col, "ptZpName") == 0) {
		w->zr_name_cut = c->zc_len > sizeof(w->zr_name) - 1;
		w->zr_name_len = w->zr_name_cut ? sizeof(w->zr_name) - 1 :
		    c->zc_len;
		if (w->zr_name_len > 0)
			memcpy(w->zr_name, c->zc_bytes, w->zr_name_len);
	}
	return 0;
}
