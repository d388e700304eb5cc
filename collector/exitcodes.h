/*
 * exitcodes: proctel-collector's exit statuses, the contract with cron and
 * systemd (DESIGN.md "The collector").  Nothing else lives here.
 */
#ifndef PT_EXITCODES_H
#define PT_EXITCODES_H

#define EXIT_ALL_ANSWERED	0	/* every target answered */
#define EXIT_SOME_FAILED	1	/* a target did not answer, a sink
					 * failed, or the lock is held (a
					 * failed alert command does not
					 * count: it is logged) */
#define EXIT_BAD_CONFIG		2	/* bad configuration or usage */
#define EXIT_SPOOLED		3	/* every target answered and nothing
					 * was lost, but a remote store did
					 * not take everything: the rest is
					 * in its spool for the next run */

#endif
