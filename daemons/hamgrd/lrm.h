/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/lrm.h: this node's side of actions: runs the requests the
 * DC addresses to it through lib/exec on the main loop and reports each
 * result to the group (HAM_MSG_OP_RESULT). A request that is already
 * running here (a new DC asking again) is not run twice. Fence devices are
 * "started" by registering them here (as Pacemaker's fencer does); fencing
 * runs the fence agent with the victim as its target.
 */
#ifndef HAMGRD_LRM_H
#define HAMGRD_LRM_H

#include <qb/qbloop.h>

#include <hamgr/exec.h>
#include "node.h"
#include "opmsg.h"

struct hlrm;

/* A new executor for node n on loop. Returns NULL (logged) on failure. */
struct hlrm *hlrm_new(qb_loop_t *loop, hnode *n, const struct ham_exec_options *opts);
/* Kills running agents (no results are sent). Accepts NULL; returns NULL. */
struct hlrm *hlrm_free(struct hlrm *l);
/* An action request for this node (hnode_callbacks.action). */
void hlrm_action(struct hlrm *l, const struct hop_action *a);
/*
 * Membership or the CIB changed (hnode_callbacks.changed): on the first
 * copy of the cluster's CIB after this process joined, this node's pending
 * records that no action of this process stands behind are reported as
 * failed (interrupted), so that they block nothing.
 */
void hlrm_node_changed(struct hlrm *l);
/*
 * node-action-limit in force here: the crm_config property when > 0, else
 * twice the online cores. Requests beyond it wait here, in order (fencing
 * never does); each result carries it (action-limit) for the DC.
 */
unsigned hlrm_action_limit(const hnode *n);
/* Actions running here. */
unsigned hlrm_running(const struct hlrm *l);
/* One-shot actions running here (recurring monitors left out): 0 is idle. */
unsigned hlrm_busy(const struct hlrm *l);

#endif
