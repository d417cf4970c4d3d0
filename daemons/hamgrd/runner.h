/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/runner.h: the transition runner, the coordinator's duty.
 * On every change of the replicated CIB it runs the policy engine on it
 * and dispatches each of the engine's typed actions (probes, starts,
 * stops, recurring monitors, fencing) whose predecessors are done, never
 * twice while it is in flight; results come back as CIB changes
 * (HAM_MSG_OP_RESULT) and close the in-flight actions; actions on lost
 * nodes are dropped, actions that outlive their timeout are recorded as
 * timed out. Fencing picks a device that can fence the victim
 * (pcmk_host_list, pcmk_host_map, pcmk_host_check), tries the next one when
 * a device fails, and retries with a backoff. No main loop here: the
 * daemon and the unit tests call it.
 */
#ifndef HAMGRD_RUNNER_H
#define HAMGRD_RUNNER_H

#include <stdbool.h>
#include <stdint.h>

#include <hamgr/policy.h>

#include "node.h"
#include "opmsg.h"

typedef struct hrunner hrunner;

struct hrunner_ops {
	/* Sends an action request to the group (hnode_send_action()). */
	int (*send_action)(void *ud, const struct hop_action *a);
	/* Records a result on a lost action's behalf (hnode_send_result()). */
	int (*send_result)(void *ud, const struct hop_result *r);
	/* Optional: saves the computation's input (peinput.h) in series
	 * 0 (input), 1 (with warnings) or 2 (error); returns the file's name
	 * or NULL. Called for every computation with actions or an error,
	 * after the dispatch. */
	const char *(*save_input)(void *ud, int series);
};

/*
 * cluster-delay's default: the margin on top of an action's own timeout
 * before the runner gives up on it, counted from the node's pending record
 * (the action began), or from the dispatch for a request never acknowledged
 * (which is then forgotten and asked again, never recorded as timed out).
 */
#define HRUNNER_CLUSTER_DELAY_MS 60000u
/* Fencing: the first backoff after every device failed, and the longest. */
#define HRUNNER_FENCE_BACKOFF_MS 1000u
#define HRUNNER_FENCE_BACKOFF_MAX_MS 30000u
/* How long a fencing action may take when the device says nothing (ms). */
#define HRUNNER_FENCE_TIMEOUT_MS 60000u

/*
 * The engine's input: lib/cib's model of doc, built from it in memory (no
 * text, no RelaxNG: the configuration was validated when accepted), with
 * what the caller knows beside it (quorum, the DC). Returns 0, or a
 * negative code with *ret_err (malloc'd). *ret_warned (may be NULL): the
 * CIB had warnings.
 */
int hrunner_policy_input(const cibdoc *doc, bool quorate, const char *dc,
			 ham_policy_input **ret_in, char **ret_err, bool *ret_warned);

/* A new runner for node n (borrowed). Release with hrunner_free(). */
hrunner *hrunner_new(hnode *n, const struct hrunner_ops *ops, void *ud);
hrunner *hrunner_free(hrunner *r);

/*
 * Recomputes and dispatches (only when this node is the DC and holds the
 * cluster's CIB; otherwise forgets what it had in flight). now_ms is
 * monotonic (deadlines), now_s wall-clock seconds (the engine's "now").
 * Returns the number of actions dispatched, or a negative code when the
 * CIB cannot be computed (logged).
 */
int hrunner_run(hrunner *r, uint64_t now_ms, int64_t now_s);
/*
 * A result was recorded in the CIB: closes the matching in-flight action; a
 * pending record acknowledges it (its deadline is now + timeout +
 * cluster-delay). Every node learns each node's action-limit from it.
 * _at: with the monotonic time given (tests).
 */
void hrunner_result(hrunner *r, const struct hop_result *res);
void hrunner_result_at(hrunner *r, const struct hop_result *res, uint64_t now_ms);
/* The node-action-limit assumed for a node that has not said (2 x our cores). */
uint32_t hrunner_default_limit(void);
/*
 * Records a timeout for each in-flight action past its deadline. Returns
 * how many.
 */
unsigned hrunner_expire(hrunner *r, uint64_t now_ms);
/* The earliest deadline in flight, or 0 when nothing is in flight. */
uint64_t hrunner_next_deadline(const hrunner *r);
/* Actions in flight. */
unsigned hrunner_in_flight(const hrunner *r);
/*
 * When the runner wants to compute again by itself (monotonic ms; 0:
 * never): a fencing retry, the earliest expiry of a failure
 * (failure-timeout), the next start or end of a date_expression (a rule
 * that may change, such as a move's --lifetime), or
 * cluster-recheck-interval after the last run.
 */
uint64_t hrunner_next_wakeup(const hrunner *r);
/* Fencing attempts that failed for target since its last success. */
unsigned hrunner_fence_failures(const hrunner *r, const char *target);
/*
 * How many fence devices of cib's configuration may fence target (by
 * pcmk_host_list, pcmk_host_map and pcmk_host_check, as a fencing picks
 * them): 0 means the cluster cannot fence it.
 */
size_t hrunner_fence_device_count(const cibdoc *cib, const char *target);
/* The id of the last computed transition (0: none yet). */
uint64_t hrunner_transition_id(const hrunner *r);

#endif
