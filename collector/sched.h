/*
 * sched: the timer heap moved to lib/sched.h, where the agent's event loop
 * (lib/ev.c) uses it too.  This header stays so the collector's includes
 * need no edit.
 */
#ifndef PT_SCHED_H
#define PT_SCHED_H

#include "lib/sched.h"

#endif
