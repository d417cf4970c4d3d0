/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/cibedit.h: the operator's small, named edits of the CIB
 * (move, ban, clear, enable/disable, standby, maintenance, cleanup),
 * carried as one <modify> document from hactl through the daemon and a CPG
 * message, and applied by every node to its own copy in agreed order, so
 * concurrent edits never overwrite each other. The language and its
 * application are lib/cib's: ham_cib_doc_apply_modify() and
 * ham_cib_doc_check_modify() in <hamgr/cib.h>.
 */
#ifndef HAMGRD_CIBEDIT_H
#define HAMGRD_CIBEDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "cibdoc.h"

static inline int cibedit_apply(cibdoc *d, const char *buf, size_t len, bool *ret_changed,
				char **ret_err)
{
	return ham_cib_doc_apply_modify(d, buf, len, ret_changed, ret_err);
}

static inline int cibedit_check(const cibdoc *d, const char *buf, size_t len, char **ret_err)
{
	return ham_cib_doc_check_modify(d, buf, len, ret_err);
}

#endif
