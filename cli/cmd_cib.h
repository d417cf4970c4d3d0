/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/cmd_cib.h: what hactl cib shares with hactl config (backup, restore). */
#ifndef HACTL_CMD_CIB_H
#define HACTL_CMD_CIB_H

#include <stdbool.h>
#include <stddef.h>

#include "hactl.h"

/*
 * Reads a file ('-': standard input) up to the IPC limit. Returns
 * HAM_EXIT_OK with *ret (malloc'd, not NUL-terminated) and *ret_len, or an
 * exit status (printed): not found, empty (invalid), too large.
 */
int hactl_read_input(const struct hactl_ctx *ctx, const char *path, char **ret, size_t *ret_len);
/*
 * Pushes a <cib> document's configuration through the cluster with the
 * stale-version check (force: without it). Returns an exit status; the
 * daemon's refusal is printed.
 */
int hactl_push_cib(const struct hactl_ctx *ctx, const char *xml, size_t len, bool force);

#endif
