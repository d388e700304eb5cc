/*
 * alert: rules of collector.yaml `alerts:` evaluated against a run's
 * samples.  A rule that fires runs its command (/bin/sh -c) with the alert
 * as one JSON object on standard input: fork, exec, a pipe, a timeout
 * (the child's process group is killed then), and every child reaped: a
 * SIGCHLD handler wakes the wait loop, which calls waitpid(pid, WNOHANG)
 * for each pid it started, so no other child's status is ever taken.  No
 * zombie and no descriptor is left behind.
 */
#ifndef PT_ALERT_H
#define PT_ALERT_H

#include <stddef.h>

#include "collector/sample.h"
#include "config/config.h"

struct alert_runner;

/* Returns a new runner for conf's rules (borrowed); free with alert_free(). */
struct alert_runner *alert_new(const struct cfg_collector *conf);
/*
 * Evaluate every rule on every sample, run the commands of those that fire,
 * and return when all have exited or been killed at their timeout.
 * Returns the number of alerts fired; *failed counts commands that exited
 * non-zero, were killed, or could not start.
 */
size_t	alert_run(struct alert_runner *ar, const struct sample *samples,
	    size_t n, size_t *failed);
void	alert_free(struct alert_runner *ar);

#endif
