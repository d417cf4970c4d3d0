/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/alerts.h: runs the CIB's alert agents for the events this
 * node sees (as Pacemaker does): its own resource operation results, node
 * membership changes, fencing results, and on the DC transient attribute
 * changes. Agents run asynchronously on the
 * loop, each bounded by its timeout; failures are logged, never retried.
 * What to run and with which environment is lib/cib's (<hamgr/alerts.h>).
 */
#ifndef HAMGRD_ALERTS_H
#define HAMGRD_ALERTS_H

#include <qb/qbloop.h>

#include "node.h"
#include "opmsg.h"

typedef struct halerts halerts;

/* A new runner of alerts on loop for node (both borrowed). */
halerts *halerts_new(qb_loop_t *loop, hnode *node);
/* Kills the agents still running (SIGKILL to their process groups) and
 * reaps them. Accepts NULL; returns NULL. */
halerts *halerts_free(halerts *a);

/* An operation result was recorded (every node, in agreed order): a
 * resource alert if this node ran it, a fencing alert for fencing. */
void halerts_op_result(halerts *a, const struct hop_result *r);
/* Membership (or anything) changed: node alerts for nodes that became
 * members or were lost since the last call. */
void halerts_changed(halerts *a);

/* Agents running now (for tests and status). */
unsigned halerts_running(const halerts *a);

#endif
