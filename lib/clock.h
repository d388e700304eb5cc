/*
 * clock: monotonic and wall time in the units both programs use.
 */
#ifndef PT_CLOCK_H
#define PT_CLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds / milliseconds. */
uint64_t	clock_mono_ns(void);
uint64_t	clock_mono_ms(void);
/* CLOCK_REALTIME in milliseconds since the epoch. */
uint64_t	clock_wall_ms(void);
/*
 * Format wall time `ms` as ISO 8601 UTC, "2026-11-23T10:00:00Z" (seconds
 * precision) into buf; returns 0, or -1 when buf is too small (size < 21).
 */
int	clock_iso8601(uint64_t ms, char *buf, unsigned long size);

#endif
