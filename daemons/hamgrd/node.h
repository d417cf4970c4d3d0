/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/node.h: one node's view of the cluster, driven by the
 * events of lib/cluster: membership and quorum, the coordinator (DC: the
 * lowest node id of the view, in every partition, quorate or not: without
 * quorum it applies no-quorum-policy), and the replicated CIB (every change
 * a message applied in agreed order; joiners take the highest version, each
 * running node's own resource history from itself). No
 * I/O other than the CIB file, no main loop: the daemon and the unit tests
 * feed it events.
 */
#ifndef HAMGRD_NODE_H
#define HAMGRD_NODE_H

#include <stdbool.h>
#include <stdint.h>

#include <hamgr/cluster.h>
#include "cibdoc.h"
#include "opmsg.h"

typedef struct hnode hnode;

struct hnode_callbacks {
	/* A push made through hnode_push_config() has been decided. */
	void (*push_done)(void *ud, uint64_t cookie, int result, const char *message);
	/* Membership, quorum, DC or the CIB changed (for sd_notify STATUS,
	 * and the coordinator's runner). */
	void (*changed)(void *ud);
	/* An action request addressed to this node, in agreed order. */
	void (*action)(void *ud, const struct hop_action *a);
	/* An operation result was recorded in the CIB (on every node, in order). */
	void (*op_result)(void *ud, const struct hop_result *r);
};

/*
 * Creates the node state. cib_path: where the CIB is stored (NULL: keep it
 * in memory only). The stored copy is loaded if present; a file that fails
 * its checksum, does not parse or has a nonsense version is rejected
 * (hnode_store_rejected()): the node starts without a configuration and
 * takes the cluster's copy when it joins. Other read errors fail.
 * Returns 0 and a new node, or a negative code.
 */
int hnode_new(const char *cib_path, const struct hnode_callbacks *cb, void *ud,
	      hnode **ret);
hnode *hnode_free(hnode *n);

/* The callbacks to pass to ham_cluster_connect()/ham_fake_connect(), with n as ud. */
extern const struct ham_cluster_callbacks hnode_cluster_callbacks;
/* Attaches the connected cluster handle (after connecting with the callbacks above). */
void hnode_attach(hnode *n, ham_cluster *c);
ham_cluster *hnode_cluster(hnode *n);

/*
 * Starts a configuration push: validates xml, refuses without quorum or
 * while not joined, then sends it to the group. 0: sent, push_done(cookie)
 * follows when it is applied (or rejected) here in agreed order; <0 and
 * *ret_err (malloc'd, may be NULL): refused at once, nothing changed.
 */
int hnode_push_config(hnode *n, const char *xml, size_t len, uint64_t cookie, char **ret_err);
/*
 * The same, with force: the pushed document names its base version by its
 * admin_epoch and epoch; one older than the cluster's is refused (-ESTALE,
 * naming both versions), here and again when it is applied in agreed order
 * (two racing pushes from the same base: the second is refused), unless
 * force.
 */
int hnode_push_config_force(hnode *n, const char *xml, size_t len, bool force, uint64_t cookie,
			    char **ret_err);

/*
 * Starts an operator's CIB edit (a <modify> document, cibedit.h): checked
 * against this node's copy, refused without quorum or while not joined,
 * then sent to the group and applied by every node in agreed order.
 * Same contract as hnode_push_config() (push_done(cookie) follows).
 */
int hnode_push_modify(hnode *n, const char *buf, size_t len, uint64_t cookie, char **ret_err);

/*
 * Sends an action request (the DC) or an operation result (any node) to
 * the group. Returns 0 (sent or queued) or a negative code.
 */
int hnode_send_action(hnode *n, const struct hop_action *a);
int hnode_send_result(hnode *n, const struct hop_result *r);

/*
 * Messages refused by authority (an action not from the current DC for its
 * current transition, a result not from the node it is about nor the DC's
 * own record): counted here, each sender logged once.
 */
void hnode_dropped(const hnode *n, uint64_t *ret_actions, uint64_t *ret_results);

/*
 * Sends an orderly shutdown request (a HAM_MSG_NODE_LEAVING payload,
 * shutdown.h) to the group: every node sets the shutdown attribute of each
 * named member in agreed order. Works without quorum. cookie != 0:
 * push_done(cookie) follows when it is applied here. Returns 0, or <0 with
 * *ret_err (malloc'd).
 */
int hnode_send_leaving(hnode *n, const char *buf, size_t len, uint64_t cookie, char **ret_err);
/* Members of the current view. */
size_t hnode_member_count(const hnode *n);

/* Accessors for status reporting. */
bool hnode_joined(const hnode *n);
/* votequorum's answer, and false while it is not known for the current membership. */
bool hnode_quorate(const hnode *n);
/*
 * Whether the quorum is votequorum's answer for the current membership
 * (same ring): nothing is started, stopped or fenced while it is not.
 */
bool hnode_quorum_current(const hnode *n);
void hnode_votes(const hnode *n, uint32_t *ret_votes, uint32_t *ret_expected);
uint32_t hnode_local_id(const hnode *n);
uint32_t hnode_dc(const hnode *n); /* 0: none */
bool hnode_is_member(const hnode *n, uint32_t nodeid);
/* A node's name from corosync's node list, else "node<ID>" (static per node). */
const char *hnode_node_name(hnode *n, uint32_t nodeid);
/* The cluster's name, or "" */
const char *hnode_cluster_name(hnode *n);
/* The configured node ids, ascending (owned by n). */
const uint32_t *hnode_known_nodes(hnode *n, size_t *ret_count);
const cibdoc *hnode_cib(const hnode *n);
/* The node id of a node name (corosync's node list or node_state), or 0. */
uint32_t hnode_node_id(hnode *n, const char *name);
/*
 * The sync round's deadline (CLOCK_MONOTONIC ms, as ham_now_mono_ms()), 0
 * when no round is open: the daemon calls hnode_tick() once it passes.
 * hnode_tick() asks the group to close an overdue round: members that have
 * not offered are dropped from it (not joined: join=banned, which the engine
 * fences when fencing is enabled; never the DC) until they offer in a later
 * round. While the round's winner sends its CIB, the deadline counts
 * silence, not size: it moves on while fragments of it arrive, and a winner
 * that stops sending is dropped the same way, the next candidate sending
 * its own copy.
 */
uint64_t hnode_next_deadline(const hnode *n);
void hnode_tick(hnode *n, uint64_t now_ms);
/* True while a joiner's synchronisation round is open. */
bool hnode_syncing(const hnode *n);
/* What sync rounds cost this node since it started. */
struct hnode_sync_stats {
	uint64_t rounds;      /* rounds finished */
	uint64_t sent;        /* whole CIBs this node sent as a round's winner */
	uint64_t sent_bytes;  /* their bytes */
	uint64_t taken;       /* whole CIBs received and applied here */
	uint64_t skipped;     /* whole CIBs received that this node already held */
	uint64_t last_ms;     /* duration of the last round (monotonic ms) */
};
void hnode_sync_stats(const hnode *n, struct hnode_sync_stats *ret);
/* Wall-clock ms of the last membership change with a node lost or added (0: none). */
uint64_t hnode_membership_changed_ms(const hnode *n);
/*
 * Deferred storage: with on, a CIB change is only marked unsaved, and
 * hnode_store() writes it (the daemon computes and dispatches first, and
 * stores after). Off (the default): every change is written at once.
 */
void hnode_set_deferred_store(hnode *n, bool on);
/* Writes the CIB if a change is not stored yet. Returns true if it wrote. */
bool hnode_store(hnode *n);
/*
 * Whether a change is not stored yet, and clears that (the daemon hands it
 * to its writer, persist.h).
 */
bool hnode_take_unsaved(hnode *n);
/*
 * Why the stored CIB was rejected at start (corrupted), or NULL. While
 * rejected nothing is stored and the daemon manages nothing; it clears when
 * a sync round brings another member's copy, or a pushed configuration is
 * applied (both logged, event=store-replaced).
 */
const char *hnode_store_rejected(const hnode *n);
/* The writer's state for status: failing since (wall clock s) and why; NULL reason: ok. */
void hnode_set_store_state(hnode *n, int64_t failing_since_s, const char *reason);
bool hnode_store_state(const hnode *n, int64_t *ret_since_s, const char **ret_reason);


/*
 * Fencing history: every fencing result recorded (a device's, run by the
 * DC, or an operator's manual confirmation), kept by every node from the
 * results applied in agreed order since its hamgrd started, the last
 * HNODE_FENCING_HISTORY_MAX. seq grows by one per result on this node.
 */
#define HNODE_FENCING_HISTORY_MAX 100
/* The device of a manual confirmation ('#' is never in a resource id). */
#define HNODE_FENCING_MANUAL "#manual"
struct hnode_fencing {
	uint64_t seq;
	char *target, *action, *device, *origin, *exit_reason; /* exit_reason may be NULL */
	int rc, op_status;
	int64_t time_s;
	bool manual;
};
const struct hnode_fencing *hnode_fencing_history(const hnode *n, size_t *ret_count);
bool hnode_fencing_is_manual(const char *device);
/*
 * An operator's word that target is down (hactl stonith confirm): sends a
 * fencing result by HNODE_FENCING_MANUAL, which every node records as a
 * successful fencing (the node down, its history and transient attributes
 * gone) unless target is in the membership when it is applied. Refused at
 * once (-ENOENT unknown, -EBUSY a member, -EAGAIN not joined) with
 * *ret_err (malloc'd). 0: sent.
 */
int hnode_confirm_fenced(hnode *n, const char *target, char **ret_err);

#endif
