/*
 * view: membership and the next subtree, by scanning the view's list.
 * Views are short (an operator lists a handful of subtrees), and the scan
 * runs only for requests whose view is not everything.
 */
#include <stddef.h>

#include "agent/view.h"
#include "config/config.h"

bool
view_has(const struct cfg_view *v, const struct oid *o)
{
	size_t i;

	if (v == NULL || v->cv_all)
		return true;
	for (i = 0; i < v->cv_n; i++)
		if (oid_is_prefix(&v->cv_subtrees[i], o))
			return true;
	return false;
}

const struct oid *
view_after(const struct cfg_view *v, const struct oid *o)
{
	const struct oid *best = NULL;
	size_t i;

	if (v == NULL || v->cv_all)
		return NULL;
	for (i = 0; i < v->cv_n; i++) {
		const struct oid *s = &v->cv_subtrees[i];

		if (oid_cmp(s, o) > 0 && (best == NULL || oid_cmp(s, best) < 0))
			best = s;
	}
	return best;
}
