/*
 * exitcodes: proctel-agent's exit status, in one place (the collector has
 * its own).  Documented in proctel-agent(8), EXIT STATUS.
 */
#ifndef PT_AGENT_EXITCODES_H
#define PT_AGENT_EXITCODES_H

#define AGENT_EXIT_OK		0	/* clean exit, --check passed */
#define AGENT_EXIT_RUNTIME	1	/* cannot bind, read /proc, detach... */
#define AGENT_EXIT_USAGE	2	/* bad command line or configuration */

#endif
