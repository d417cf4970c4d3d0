/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/cibedit.h: small, named edits of the CIB (the operator's
 * commands: move, ban, clear, enable/disable, standby, maintenance,
 * cleanup), carried as one <modify> document from hactl through the daemon
 * and a CPG message, and applied by every node to its own copy in agreed
 * order, so concurrent edits never overwrite each other.
 *
 * The document (every attribute value is checked; unknown elements are an
 * error):
 *
 *   <modify>
 *     <set-location id=ID rsc=RSC node=NODE score=SCORE [role=ROLE]/>
 *     <delete-location id=ID/>               absent is not an error
 *     <clear rsc=RSC [node=NODE]/>           cli-prefer-RSC, cli-ban-RSC-on-*
 *     <set-meta rsc=RSC name=NAME [value=V]/>   no value: delete
 *     <set-node-attr node=NODE name=NAME [value=V]/>
 *     <cleanup rsc=RSC [node=NODE]/>         history and fail counts
 *   </modify>
 *
 * RSC is any resource id of the configuration (primitive, group, clone);
 * cleanup also takes a resource that only has history. NODE is a node name
 * known to the CIB (a <node> of the configuration or a node_state uname).
 * The ids follow Pacemaker's command-line tools (RSC-meta_attributes,
 * RSC-meta_attributes-NAME, nodes-ID, nodes-ID-NAME).
 */
#ifndef HAMGRD_CIBEDIT_H
#define HAMGRD_CIBEDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "cibdoc.h"

/*
 * Applies the edits of buf to d, all or none. A configuration change bumps
 * epoch (num_updates to 0); a status-only change bumps num_updates; no
 * change bumps nothing. Returns 0 (and *ret_changed, optional), or
 * -HAM_E_XML (not a <modify> document), -HAM_E_USAGE (a bad attribute
 * value), -ENOENT (an unknown resource or node) with *ret_err (malloc'd)
 * naming what; d is then unchanged. Deterministic: every node that holds
 * the same d gets the same result.
 */
int cibedit_apply(cibdoc *d, const char *buf, size_t len, bool *ret_changed, char **ret_err);

/*
 * What the origin checks before sending: applies to a copy of d and, when
 * the configuration changed, runs the full configuration check
 * (cibdoc_check_config) on the result. Returns 0 or a negative code with
 * *ret_err (malloc'd); d is not changed.
 */
int cibedit_check(const cibdoc *d, const char *buf, size_t len, char **ret_err);

#endif
