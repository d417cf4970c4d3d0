/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/opmsg.h: the payloads of two CPG messages: an action
 * request (HAM_MSG_ACTION: the DC asks one node to run one agent action)
 * and an operation result (HAM_MSG_OP_RESULT: recorded by every node in
 * the CIB status). Both are a list of "key=value" strings, each ending in
 * a NUL byte; unknown keys are skipped (a newer sender may add some),
 * required ones are checked.
 */
#ifndef HAMGRD_OPMSG_H
#define HAMGRD_OPMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hamgr/cib.h>

struct hop_param {
	char *name;
	char *value;
};

/* An action request. Strings are owned (hop_action_clear() frees them). */
struct hop_action {
	uint64_t action_id;     /* unique per DC run, > 0 */
	uint64_t transition_id; /* the transition that asked for it */
	uint32_t target;        /* node id that must run it */
	char *rsc;              /* resource id (or the fence device) */
	char *cls, *provider, *type;
	char *op;               /* start, stop, monitor, off, reboot... */
	uint64_t interval_ms;
	uint64_t timeout_ms;
	int expected_rc;
	char *fence_target;     /* fence actions: the node to fence */
	char *dc_uuid;          /* the DC's node id, as text (transition keys) */
	struct hop_param *params;
	size_t n_params;
};

/* An operation result. Strings are owned (hop_result_clear() frees them). */
struct hop_result {
	uint32_t nodeid;        /* where it ran */
	char *node;             /* that node's name */
	char *rsc, *cls, *provider, *type;
	char *op;
	uint64_t interval_ms;
	int64_t call_id;
	int rc;
	int op_status;          /* enum ham_cib_op_status */
	int expected_rc;
	uint64_t action_id, transition_id; /* 0: not asked by a DC */
	int64_t last_run_s, last_rc_change_s;
	uint64_t exec_ms, queue_ms;
	char *exit_reason;      /* may be NULL */
	char *fence_target;     /* fence actions: the node fenced */
	char *dc_uuid;
	uint32_t action_limit;  /* the sender's node-action-limit in force (0: not said) */
};

void hop_action_clear(struct hop_action *a);
void hop_result_clear(struct hop_result *r);
/* Deep copies; dst is overwritten. */
void hop_action_copy(struct hop_action *dst, const struct hop_action *src);
void hop_result_copy(struct hop_result *dst, const struct hop_result *src);

/* Encodes into a new buffer (free() it). */
void hop_action_encode(const struct hop_action *a, char **ret_buf, size_t *ret_len);
void hop_result_encode(const struct hop_result *r, char **ret_buf, size_t *ret_len);

/*
 * Decodes a payload. Returns 0 and fills *ret (clear it after use), or
 * -HAM_E_PROTOCOL with *ret_why (static text) naming what is wrong; *ret
 * is then left cleared.
 */
int hop_action_decode(const void *buf, size_t len, struct hop_action *ret, const char **ret_why);
int hop_result_decode(const void *buf, size_t len, struct hop_result *ret, const char **ret_why);

/*
 * Whether an operation gets a pending record when its node begins it
 * (Pacemaker's record-pending): the one-shot actions that change what runs
 * (start, stop, promote, demote, migrate_to, migrate_from); not probes or
 * recurring monitors, whose pending record would hide the last state.
 */
bool hop_op_records_pending(const char *op, uint64_t interval_ms);

/* Whether a result is a failure given what was expected (a pending record is not). */
bool hop_result_failed(const struct hop_result *r);
/*
 * Whether a result adds to the resource's fail count: a failure, except a
 * pending or cancelled operation and a probe that finds the agent missing.
 */
bool hop_result_counts_as_failure(const struct hop_result *r);

#endif
