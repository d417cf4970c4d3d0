/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/policy: the policy engine. A pure, deterministic function from a CIB
 * (configuration + status) and a "now" to a transition: the target placement
 * and role of every resource, and the actions (start, stop, move, recover,
 * restart, promote, demote, fence, shutdown) that reach it, with ordering
 * edges between them. No I/O besides loading the input, no globals, no clock.
 */
#ifndef HAMGR_POLICY_H
#define HAMGR_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hamgr/common.h>

/* The engine's typed working model of one CIB (opaque). */
typedef struct ham_policy_input ham_policy_input;
/* The result of one computation (opaque). */
typedef struct ham_transition ham_transition;

struct ham_cib_model; /* <hamgr/cib.h> */

/*
 * Builds the engine's input from lib/cib's typed model (which the caller
 * keeps: the daemon holds the model and calls this on every event). The
 * input copies what it needs and does not refer to the model afterwards.
 * Returns 0 and a new input in *ret_in (release with ham_policy_input_free()),
 * or -HAM_E_CONFIG (an inconsistency lib/cib's checks let through) with a
 * message naming the element, id and line in *ret_err (free() it) if
 * ret_err is not NULL; -EINVAL for NULL arguments.
 */
int ham_policy_input_from_model(const struct ham_cib_model *m, ham_policy_input **ret_in,
				char **ret_err);

/*
 * Loads a CIB from XML in memory (len bytes) through lib/cib, with the
 * options of hactl verify (schema validation and every semantic check), then
 * builds the input as ham_policy_input_from_model(). No DTDs, entities or
 * network. On success returns 0 and a new input in *ret_in (release with
 * ham_policy_input_free()). On failure returns what ham_cib_load_mem() does
 * (-HAM_E_XML, -HAM_E_SCHEMA, -HAM_E_UNSUPPORTED, -HAM_E_CONFIG, -EFBIG) and,
 * if ret_err is not NULL, hactl verify's diagnostics, one per line, in
 * *ret_err (free() it).
 */
int ham_policy_input_load(const char *xml, size_t len, ham_policy_input **ret_in,
			  char **ret_err);
/*
 * Same without the RelaxNG validation (lib/cib's semantic checks still run),
 * for a CIB whose configuration was validated when it was accepted: the
 * daemon's own copy, computed on every event.
 */
int ham_policy_input_load_trusted(const char *xml, size_t len, ham_policy_input **ret_in,
				  char **ret_err);
/* Same as ham_policy_input_load(), from a file ("-" is stdin). Also -errno
 * when the file cannot be read. */
int ham_policy_input_load_file(const char *path, ham_policy_input **ret_in,
			       char **ret_err);
/* Accepts NULL; returns NULL. */
ham_policy_input *ham_policy_input_free(ham_policy_input *in);

/* The CIB's execution-date (seconds since the epoch), or 0 when it has none. */
int64_t ham_policy_input_execution_date(const ham_policy_input *in);
/*
 * Why the input is outside what the engine models (e.g. "group"), or NULL.
 * The engine still computes, treating such parts as absent.
 */
const char *ham_policy_input_unsupported(const ham_policy_input *in);

/* Events injected before computing, like crm_simulate's. 0 or -ENOENT/-EINVAL. */
int ham_policy_inject_node_up(ham_policy_input *in, const char *node);
int ham_policy_inject_node_down(ham_policy_input *in, const char *node);
/* spec: RSC_OP_INTERVALMS@NODE=RC (e.g. "db_monitor_10000@node1=7"). */
int ham_policy_inject_op_fail(ham_policy_input *in, const char *spec);

struct ham_policy_options {
	int64_t now_s; /* "now", seconds since the epoch (required, > 0) */
};

/*
 * Computes the transition. The input is only read (scratch state inside it is
 * reset first, so the same input and now give the same transition). Returns 0
 * and a new transition in *ret (release with ham_transition_free()); the
 * transition refers to the input, which must outlive it.
 */
int ham_policy_compute(ham_policy_input *in, const struct ham_policy_options *opts,
		       ham_transition **ret);
ham_transition *ham_transition_free(ham_transition *t);

/* Number of actions (fence, shutdown, start, stop, promote, demote). */
size_t ham_transition_action_count(const ham_transition *t);
/* Number of ordering edges between actions. */
size_t ham_transition_edge_count(const ham_transition *t);

/*
 * Output. JSON: the normalized shape of the conformance suite
 * ({"actions": [...], "final": {...}, "initial": {...}}). Text: like
 * crm_simulate -S (current status, transition summary, revised status).
 * Scores: allocation scores per resource and node. Dot: the action graph.
 */
void ham_transition_json(const ham_transition *t, ham_buf *out);
void ham_transition_text(const ham_transition *t, ham_buf *out);
void ham_transition_scores(const ham_transition *t, ham_buf *out);
void ham_transition_dot(const ham_transition *t, ham_buf *out);

/* ------------------------------------------------------------------ */
/* Typed actions and edges (what the transition runner executes)       */
/* ------------------------------------------------------------------ */

enum ham_action_kind {
	HAM_ACTION_START,
	HAM_ACTION_STOP,
	HAM_ACTION_PROMOTE,
	HAM_ACTION_DEMOTE,
	HAM_ACTION_MONITOR,      /* recurring (interval_ms > 0) */
	HAM_ACTION_PROBE,        /* one-shot monitor (interval 0), expects "not running" */
	HAM_ACTION_FENCE,        /* node = fence_target = the victim */
	HAM_ACTION_SHUTDOWN,     /* an orderly shutdown of node */
	HAM_ACTION_MIGRATE_TO,   /* reserved: migration is summarized, not scheduled yet */
	HAM_ACTION_MIGRATE_FROM,
};

struct ham_action_param {
	const char *name;
	const char *value;
};

/*
 * One action of a transition. Strings belong to the transition's input.
 * Resource actions name the primitive the agent and the history know (a
 * clone instance "rsc:1" runs the primitive "rsc", given in instance).
 */
struct ham_action {
	enum ham_action_kind kind;
	const char *op;          /* the agent's action: start, stop, monitor, ...; fence: the
				  * fence action (reboot or off); shutdown: "shutdown" */
	const char *rsc;         /* primitive id; NULL for fence and shutdown */
	const char *instance;    /* the engine's name of the resource (clone instance) */
	const char *cls, *provider, *type;   /* the agent; NULL for node actions */
	const struct ham_action_param *params; /* instance attributes the input carries */
	size_t n_params;
	const char *node;        /* where it runs; fence/shutdown: the node concerned */
	const char *fence_target;/* fence: the victim; NULL otherwise */
	uint64_t interval_ms;    /* monitor: the configured interval; else 0 */
	uint64_t timeout_ms;     /* the op's timeout, else op_defaults', else 20 s; fence: 0
				  * (the executor's fencing timeout applies) */
	int expected_rc;         /* 0; 7 for a probe; 8 for a monitor in the Promoted role */
	bool pseudo;             /* implied by another action (a stop on a fenced node) */
	bool runnable;           /* false: blocked, must not be executed */
};

/* Number of typed actions: those counted above plus probes and monitors. */
size_t ham_transition_typed_count(const ham_transition *t);
/* Action i (< ham_transition_typed_count()), or NULL. */
const struct ham_action *ham_transition_action(const ham_transition *t, size_t i);
/* Number of ordering edges between typed actions. */
size_t ham_transition_typed_edge_count(const ham_transition *t);
/*
 * Edge i: the typed action *ret_before must be done before *ret_after.
 * Returns 0, or -ERANGE when i is out of range.
 */
int ham_transition_edge(const ham_transition *t, size_t i, size_t *ret_before,
			size_t *ret_after);
/*
 * The earliest time (seconds since the epoch, after "now") at which a
 * recorded failure expires (failure-timeout), so that the caller computes
 * again then; 0 when no failure will expire.
 */
int64_t ham_transition_recheck_s(const ham_transition *t);
const char *ham_action_kind_name(enum ham_action_kind k);

#endif /* HAMGR_POLICY_H */
