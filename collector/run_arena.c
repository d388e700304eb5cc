/*
 * run_arena: chunked bump allocation for one run (see run_arena.h).
 * Chunks grow to ARENA_CHUNK; a bigger request gets a chunk of its own, so
 * the slack of a run is at most one chunk.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "collector/run_arena.h"

#define ARENA_CHUNK	(256 * 1024)

struct arena_chunk {
	struct arena_chunk	*ac_next;
	size_t			 ac_size;	/* usable bytes after the header */
	size_t			 ac_used;
	max_align_t		 ac_data[];
};

struct run_arena {
	struct arena_chunk	*ra_head;	/* current chunk first */
	size_t			 ra_total;	/* bytes in chunks */
	size_t			 ra_used;	/* bytes handed out */
};

struct run_arena *
run_arena_new(void)
{
	return calloc(1, sizeof(struct run_arena));
}

size_t
run_arena_cost(size_t size)
{
	if (size > SIZE_MAX - RUN_ARENA_ALIGN)
		return SIZE_MAX;
	if (size == 0)
		return RUN_ARENA_ALIGN;
	return (size + RUN_ARENA_ALIGN - 1) & ~(size_t)(RUN_ARENA_ALIGN - 1);
}

void *
run_arena_alloc(struct run_arena *a, size_t size)
{
	struct arena_chunk *c = a->ra_head;
	size_t need, csize;
	void *p;

	if ((need = run_arena_cost(size)) == SIZE_MAX)
		return NULL;
	if (c == NULL || need > c->ac_size - c->ac_used) {
		csize = need > ARENA_CHUNK ? need : ARENA_CHUNK;
		if (csize > SIZE_MAX - sizeof(*c))
			return NULL;
		if ((c = malloc(sizeof(*c) + csize)) == NULL)
			return NULL;
		c->ac_size = csize;
		c->ac_used = 0;
		c->ac_next = a->ra_head;
		a->ra_head = c;
		a->ra_total += csize;
	}
	p = (char *)c->ac_data + c->ac_used;
	c->ac_used += need;
	a->ra_used += need;
	memset(p, 0, size);
	return p;
}

void *
run_arena_calloc(struct run_arena *a, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	return run_arena_alloc(a, n * size);
}

char *
run_arena_strndup(struct run_arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX || (p = run_arena_alloc(a, len + 1)) == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
run_arena_reset(struct run_arena *a)
{
	struct arena_chunk *c, *next;

	if (a == NULL)
		return;
	a->ra_used = 0;
	if (a->ra_head == NULL)
		return;
	/*
	 * Keep the oldest chunk (the last in the list) for the next run,
	 * unless it was one big allocation's own.
	 */
	for (c = a->ra_head; c->ac_next != NULL; c = next) {
		next = c->ac_next;
		a->ra_total -= c->ac_size;
		free(c);
	}
	a->ra_head = c;
	if (c->ac_size > ARENA_CHUNK) {
		a->ra_total -= c->ac_size;
		free(c);
		a->ra_head = NULL;
		return;
	}
	c->ac_used = 0;
}

void
run_arena_free(struct run_arena *a)
{
	struct arena_chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->ra_head; c != NULL; c = next) {
		next = c->ac_next;
		free(c);
	}
	free(a);
}

size_t
run_arena_size(const struct run_arena *a)
{
	return a != NULL ? a->ra_total : 0;
}

size_t
run_arena_used(const struct run_arena *a)
{
	return a != NULL ? a->ra_used : 0;
}
