/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cib_diff.h: the difference of two CIB configurations by element, and
 * its application to a third (hactl cib push --diff-against ORIG FILE, as
 * pcs cluster cib-push --diff-against).
 *
 * An element is known by its name and id ("primitive#web"); one without an
 * id (operations, crm_config, ...) or a reference (resource_ref, obj_ref)
 * by its parent's key, its name and its rank among such siblings. Only the
 * <configuration> is compared; the status and the version are the
 * cluster's business.
 */
#ifndef HACTL_CIB_DIFF_H
#define HACTL_CIB_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include <hamgr/common.h>

typedef struct cib_diff cib_diff;

/*
 * Computes what changed from orig to new (both <cib> documents, or
 * <configuration> roots): elements added (with their place: parent and
 * previous sibling), removed, moved (removed and added), attributes set,
 * changed or removed, and the order of an element's children. Returns 0
 * and *ret_diff (cib_diff_free()), or -HAM_E_XML with *ret_err (malloc'd)
 * naming the problem (no configuration, an id used twice).
 */
int cib_diff_compute(xmlNode *orig, xmlNode *new, cib_diff **ret_diff, char **ret_err);
cib_diff *cib_diff_free(cib_diff *d);
/* The number of changes (0: the two configurations are the same). */
size_t cib_diff_count(const cib_diff *d);
/* One line per change ("+ primitive#web", "- ...", "~ ...: attr", "= order of ..."). */
void cib_diff_describe(const cib_diff *d, ham_buf *b);

/*
 * Applies the changes to current (a <cib> document, changed in place), all
 * or none: every change is checked first against what orig had. A conflict
 * (an element the diff changes or removes was changed or removed in
 * current, an element it adds exists there already with other content, the
 * parent of an added element is gone, an attribute it changes has another
 * value than in orig) is -EBUSY with *ret_err (malloc'd) naming the element
 * and what differs; current is then unchanged. A change current already has
 * is not a conflict.
 */
int cib_diff_apply(const cib_diff *d, xmlNode *current, char **ret_err);

/* Whether two elements are equal: names, attributes (any order) and element children. */
bool cib_diff_same_element(const xmlNode *a, const xmlNode *b);

#endif
