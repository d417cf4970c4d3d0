/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/hactl_ipc.h: hactl's side of the IPC protocol with hamgrd (include/hamgr/ipc.h). */
#ifndef HACTL_IPC_H
#define HACTL_IPC_H

#include <stddef.h>
#include <stdint.h>

#include "hactl.h"

/*
 * Sends one request to the local hamgrd and waits up to timeout_ms for the
 * answer. Returns an exit status: HAM_EXIT_OK with *ret_reply (malloc'd,
 * NUL-terminated) and *ret_len, or an error already printed (daemon not
 * reachable, permission denied, timeout, or the daemon's own error message).
 */
int hactl_ipc_call(const struct hactl_ctx *ctx, int32_t request, const void *payload,
		   size_t len, int timeout_ms, char **ret_reply, size_t *ret_len);

#endif
