/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/shutdown.h: leaving the cluster is a protocol, not an exit
 * (DESIGN.md decision 7, Pacemaker's `shutdown` node attribute).
 *
 *  1. A node that must stop (SIGTERM, `hactl node stop`, `hactl cluster
 *     stop`) is named in a HAM_MSG_NODE_LEAVING message. Every node applies
 *     it in agreed order: it sets the transient attribute shutdown=<time>
 *     of each node named (one message may name several nodes, so that a
 *     whole-cluster stop reaches the DC's engine at once and nothing fails
 *     over to a node that is stopping too).
 *  2. The DC's engine then moves or stops that node's resources in
 *     dependency order and, after those stops, asks for a shutdown action,
 *     which the DC sends to the node (HSHUTDOWN_ACTION_*).
 *  3. The node leaves the group once it has that action, its executor is
 *     idle and its own status shows nothing active; then it exits 0.
 *  4. Without quorum, alone, without a DC, or when shutdown-escalation
 *     (default 20 min) has passed, it stops its own resources itself, one
 *     at a time, in the order the engine gives for stopping them (the
 *     reverse of the dependency order); if a stop fails it leaves with its
 *     status still showing the resource active.
 *  5. Peers take a leaver as cleanly down (expected=down) only when its
 *     status shows nothing active (hshutdown_node_idle()); otherwise it
 *     stays unclean and is fenced when fencing is on.
 */
#ifndef HAMGRD_SHUTDOWN_H
#define HAMGRD_SHUTDOWN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cibdoc.h"
#include "node.h"
#include "opmsg.h"

/* The node attribute (transient, in node_state) that asks a node to leave. */
#define HSHUTDOWN_ATTR "shutdown"
/* The cluster property bounding the wait, and its default. */
#define HSHUTDOWN_ESCALATION_PROP "shutdown-escalation"
#define HSHUTDOWN_ESCALATION_DEFAULT_MS (20u * 60u * 1000u)
/* The DC's shutdown action on the wire (HAM_MSG_ACTION). */
#define HSHUTDOWN_ACTION_RSC "hamgrd"
#define HSHUTDOWN_ACTION_CLASS "internal"
#define HSHUTDOWN_ACTION_TYPE "shutdown"
#define HSHUTDOWN_ACTION_OP "do_shutdown"
/* At most this many nodes in one request. */
#define HSHUTDOWN_MAX_NODES 256u

/* ---- the HAM_MSG_NODE_LEAVING payload ------------------------------- */

/*
 * "time=<seconds since the epoch>\0" then one "node=<id>\0" per node, each
 * id at most once. Unknown keys are an error (the message changes the CIB).
 */
struct hshutdown_request {
	int64_t time_s;
	uint32_t *nodes;
	size_t n_nodes;
};

/* Encodes into a new buffer (free() it). */
void hshutdown_request_encode(const struct hshutdown_request *q, char **ret_buf,
			      size_t *ret_len);
/*
 * Decodes a payload. Returns 0 and fills *ret (hshutdown_request_clear()
 * it), or -HAM_E_PROTOCOL with *ret_why (static text); *ret is then empty.
 */
int hshutdown_request_decode(const void *buf, size_t len, struct hshutdown_request *ret,
			     const char **ret_why);
void hshutdown_request_clear(struct hshutdown_request *q);

/* ---- what the status says ------------------------------------------- */

/*
 * Whether node_state[id]'s resource history shows nothing that may be
 * active: every resource's last one-shot operation is a successful stop or
 * a probe that found it not running. A pending, failed or timed-out
 * operation, a start, or history without a one-shot entry counts as
 * active. Fence devices (class stonith) are left out: registrations
 * inside hamgrd, they end with it (their history also records the fencing
 * the node ran with them). When not idle and ret_rsc is not NULL, *ret_rsc
 * is the first such resource (a new string).
 */
bool hshutdown_node_idle(const cibdoc *d, uint32_t id, char **ret_rsc);

/*
 * The stops that take every resource off node `node` (name), in the order
 * the policy engine orders them when that node shuts down: a topological
 * order of the engine's graph for a copy of d with the node's shutdown
 * attribute set and quorum assumed, restricted to the node's runnable
 * stops. Returns 0 and a new array of requests addressed to node id `id`
 * (action_id 0: not a DC's; free each with hop_action_clear() and the
 * array), or a negative code with *ret_err (malloc'd).
 */
int hshutdown_stop_plan(const cibdoc *d, uint32_t id, const char *node,
			struct hop_action **ret, size_t *ret_n, char **ret_err);

/* ---- the leaving node ----------------------------------------------- */

typedef struct hshutdown hshutdown;

struct hshutdown_ops {
	/* Runs an action on this node (the executor); its result goes to the group. */
	void (*run_local)(void *ud, const struct hop_action *a);
	/* One-shot actions running on this node. */
	unsigned (*busy)(void *ud);
	/*
	 * Leave the group and exit. clean: nothing is active here; otherwise
	 * the status still shows what is, and peers take the node as unclean.
	 */
	void (*leave)(void *ud, bool clean);
	/* Sends the HAM_MSG_NODE_LEAVING payload (hnode_send_leaving()). */
	int (*send_leaving)(void *ud, const char *buf, size_t len);
};

enum hshutdown_state {
	HSHUTDOWN_NONE,      /* not leaving */
	HSHUTDOWN_ASKED,     /* the attribute is asked for; waiting for the DC */
	HSHUTDOWN_LOCAL,     /* stopping our own resources ourselves */
	HSHUTDOWN_LEFT,      /* leave() was called */
};

/* A new shutdown state machine for node n (borrowed). start_s: the process's start. */
hshutdown *hshutdown_new(hnode *n, const struct hshutdown_ops *ops, void *ud, int64_t start_s);
hshutdown *hshutdown_free(hshutdown *s);

/*
 * Begins leaving (SIGTERM): asks the cluster to set our shutdown attribute.
 * A second request is logged and changes nothing. Not joined: leaves at once.
 */
void hshutdown_begin(hshutdown *s, uint64_t now_ms, int64_t now_s, const char *why);
/* The DC's shutdown action for this node arrived. */
void hshutdown_permit(hshutdown *s, const struct hop_action *a);
/*
 * Re-evaluates after any change (CIB, membership, quorum, an executor
 * result) and on the escalation timer: starts leaving when our attribute
 * was set by someone else's request; leaves when allowed; falls back to
 * stopping our own resources. now_ms monotonic.
 */
void hshutdown_step(hshutdown *s, uint64_t now_ms);
/* When hshutdown_step() must run again by itself (monotonic ms; 0: never). */
uint64_t hshutdown_next_wakeup(const hshutdown *s);
enum hshutdown_state hshutdown_state(const hshutdown *s);
/* Whether an action request is the DC's shutdown action. */
bool hshutdown_is_action(const struct hop_action *a);

#endif
