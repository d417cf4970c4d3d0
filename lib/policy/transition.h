/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/policy: the transition (actions, edges, summary, final state). */
#ifndef HAM_POLICY_TRANSITION_H
#define HAM_POLICY_TRANSITION_H

#include "model.h"

enum pe_action_kind {
	PE_ACT_FENCE,
	PE_ACT_SHUTDOWN,
	PE_ACT_STOP,
	PE_ACT_START,
	PE_ACT_PROMOTE,
	PE_ACT_DEMOTE,
};

struct pe_action {
	enum pe_action_kind kind;
	int rsc;        /* -1 for node actions */
	int node;
	bool runnable;
	bool pseudo;    /* implied (stop on a fenced node) */
};

struct pe_line {
	const char *verb;
	const char *name;       /* resource id or node name */
	int from, to;           /* node indexes or -1 */
	const char *detail;
	bool blocked;
	const char *reason;
};

/* Placement of one resource: role per node (PE_ROLE_STOPPED = none). */
struct pe_place {
	int node;
	enum pe_role role;
	bool failed;
	bool promotable;   /* shown as Unpromoted when Started */
};

struct pe_status {
	const char **node_state;     /* [nnodes] */
	struct pe_place **rsc;       /* [nrscs] arrays */
	int *nrsc;                   /* [nrscs] */
};

struct ham_transition {
	struct ham_policy_input *in;
	int64_t now;
	struct pe_action *acts;
	size_t nacts, capacts;
	uint64_t *edges;             /* (before << 32) | after */
	size_t nedges, capedges;
	uint64_t *edge_set;          /* open addressing, 0 = empty */
	size_t edge_set_cap;
	struct pe_line *lines;
	size_t nlines, caplines;
	struct pe_status initial, final;
	bool quorate;
	/* typed actions (actions.c): acts[i] is tacts[i], then probes and monitors */
	struct ham_action *tacts;
	size_t ntacts, captacts;
	size_t (*tedges)[2];
	size_t ntedges, captedges;
	int64_t recheck_s;
};

void pe_status_free(struct pe_status *s, size_t nrscs);
/* actions.c: the typed list (with probes and monitors) from acts and edges. */
void pe_build_typed(struct ham_transition *t);
void pe_typed_free(struct ham_transition *t);

#endif
