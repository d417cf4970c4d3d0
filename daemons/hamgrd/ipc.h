/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemons/hamgrd/ipc.h: the IPC server that hactl talks to. */
#ifndef HAMGRD_IPC_H
#define HAMGRD_IPC_H

#include <qb/qbloop.h>
#include "node.h"

struct hamgrd_ipc;

/* Starts serving on loop; 0 or a negative errno. */
int hamgrd_ipc_start(qb_loop_t *loop, hnode *node, struct hamgrd_ipc **ret);
void hamgrd_ipc_stop(struct hamgrd_ipc *ipc);
/* Completes a configuration push (hnode push_done callback). */
void hamgrd_ipc_push_done(struct hamgrd_ipc *ipc, uint64_t cookie, int result, const char *msg);
/* Whether uid (with primary group gid) may use the daemon. */
bool hamgrd_ipc_allowed(uid_t uid, gid_t gid, gid_t group_gid);

#endif
