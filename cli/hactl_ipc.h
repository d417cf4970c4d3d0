/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/hactl_ipc.h: hactl's side of the IPC protocol with hamgrd (include/hamgr/ipc.h). */
#ifndef HACTL_IPC_H
#define HACTL_IPC_H

#include <stddef.h>
#include <stdint.h>

#include <hamgr/common.h>
#include "hactl.h"

/*
 * Sends one request to the local hamgrd and waits up to timeout_ms for the
 * answer. Returns an exit status: HAM_EXIT_OK with *ret_reply (malloc'd,
 * NUL-terminated) and *ret_len, or an error already printed (daemon not
 * reachable, permission denied, timeout, or the daemon's own error message).
 */
int hactl_ipc_call(const struct hactl_ctx *ctx, int32_t request, const void *payload,
		   size_t len, int timeout_ms, char **ret_reply, size_t *ret_len);

/*
 * Fetches this node's status document (HAM_IPC_STATUS) parsed. Returns
 * HAM_EXIT_OK and *ret_doc (xmlFreeDoc() it), or an exit status (printed).
 */
struct _xmlDoc;
int hactl_get_status(const struct hactl_ctx *ctx, struct _xmlDoc **ret_doc);
/* Fetches the whole CIB (HAM_IPC_CIB_QUERY) parsed; same contract. */
int hactl_get_cib(const struct hactl_ctx *ctx, struct _xmlDoc **ret_doc);

/*
 * Appends one edit of a <modify> document (daemons/hamgrd/cibedit.h) to b:
 * the element's name, then attribute name and value pairs, ending with a
 * NULL name; a pair whose value is NULL is left out. Values are escaped.
 */
void hactl_edit_add(ham_buf *b, const char *element, ...) __attribute__((sentinel));
/*
 * Sends the edits (HAM_IPC_CIB_MODIFY, wrapped in <modify>) and waits until
 * they are applied cluster-wide. Returns an exit status; errors (an unknown
 * resource or node: HAM_EXIT_NOT_FOUND) are printed with the daemon's text.
 */
int hactl_modify(const struct hactl_ctx *ctx, const ham_buf *edits);

#endif
