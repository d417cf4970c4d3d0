/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/cmd_cluster.h: the orderly stop of nodes, shared by `node stop` and `cluster stop`. */
#ifndef HACTL_CMD_CLUSTER_H
#define HACTL_CMD_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>

#include "hactl.h"

/*
 * Asks nodes to leave in order (HAM_IPC_NODE_STOP): names[0..n) or, with
 * n == 0, every member. Returns once the request is recorded; with wait,
 * once every node asked is offline (or this node's daemon, when among
 * them, has exited). Returns an exit status (errors printed).
 */
int hactl_stop_nodes(struct hactl_ctx *ctx, char **names, size_t n, bool wait);

#endif
