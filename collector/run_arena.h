/*
 * run_arena: the memory of one poll run.  Every string and array a run's
 * samples point to comes from it, in chunks; it is reset (not freed)
 * between daemon runs, so memory is allocated per run and reused, never
 * per datagram.  It also counts the bytes it hands out, which is what the
 * run's byte budget (poll_target.c) is measured in.  It knows nothing of SNMP.
 */
#ifndef PT_RUN_ARENA_H
#define PT_RUN_ARENA_H

#include <stddef.h>

/* Every allocation is rounded up to this; run_arena_cost() says so too. */
#define RUN_ARENA_ALIGN		16

struct run_arena;

/* Returns a new empty arena, free with run_arena_free(); NULL on ENOMEM. */
struct run_arena *run_arena_new(void);
/* size bytes, zeroed, 16-byte aligned, valid until the next reset; NULL on ENOMEM. */
void		*run_arena_alloc(struct run_arena *a, size_t size);
/* An array of n elements of size each, zeroed; NULL on overflow or ENOMEM. */
void		*run_arena_calloc(struct run_arena *a, size_t n, size_t size);
/* A NUL-terminated copy of s[0..len) (s may hold NULs). */
char		*run_arena_strndup(struct run_arena *a, const char *s,
		    size_t len);
/* Forget every allocation; keeps the first chunk for the next run. */
void		 run_arena_reset(struct run_arena *a);
void		 run_arena_free(struct run_arena *a);
/* Bytes currently held in chunks (for tests and debugging). */
size_t		 run_arena_size(const struct run_arena *a);
/* Bytes handed out since the last reset, each allocation rounded up. */
size_t		 run_arena_used(const struct run_arena *a);
/* What run_arena_alloc(size) adds to run_arena_used(); SIZE_MAX on overflow. */
size_t		 run_arena_cost(size_t size);

#endif
