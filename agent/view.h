/*
 * view: the `view:` of a community or SNMPv3 user (config.h's struct
 * cfg_view), the subtrees a request may read, as the engine asks about it
 * per varbind: is this OID inside, and where does the view go on after
 * it.  A view of a few subtrees is scanned, not indexed.  Pure: no
 * allocation, no I/O.
 */
#ifndef PT_VIEW_H
#define PT_VIEW_H

#include <stdbool.h>

#include "snmp/oid.h"

struct cfg_view;

/* Is o under one of v's subtrees?  A NULL view, or cv_all, holds all. */
bool	view_has(const struct cfg_view *v, const struct oid *o);

/*
 * The smallest subtree of v that sorts after o, where a GETNEXT that
 * found o outside the view goes on; NULL when none does (the view ends
 * before o: endOfMibView).  Only for an o that view_has() refuses.
 */
const struct oid *view_after(const struct cfg_view *v, const struct oid *o);

#endif
