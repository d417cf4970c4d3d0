/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/policy internal working model: nodes, resources and constraints in
 * arrays indexed by integers, filled once from the input and then only read
 * by the scheduler. Strings are owned by the input (pe_input).
 */
#ifndef HAM_POLICY_MODEL_H
#define HAM_POLICY_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <qb/qbmap.h>

#include <hamgr/cib.h>
#include <hamgr/common.h>
#include <hamgr/policy.h>

enum pe_role {
	PE_ROLE_UNKNOWN = 0,
	PE_ROLE_STOPPED,
	PE_ROLE_STARTED,
	PE_ROLE_UNPROMOTED,
	PE_ROLE_PROMOTED,
};

enum pe_on_fail {
	PE_FAIL_DEFAULT = 0,
	PE_FAIL_IGNORE,
	PE_FAIL_BLOCK,
	PE_FAIL_STOP,
	PE_FAIL_RESTART,
	PE_FAIL_FENCE,
	PE_FAIL_STANDBY,
	PE_FAIL_DEMOTE,
};

enum pe_placement {
	PE_PLACE_DEFAULT = 0,
	PE_PLACE_UTILIZATION,
	PE_PLACE_MINIMAL,
	PE_PLACE_BALANCED,
};

enum pe_nq_policy {
	PE_NQ_STOP = 0,
	PE_NQ_FREEZE,
	PE_NQ_IGNORE,
	PE_NQ_DEMOTE,
	PE_NQ_SUICIDE,
};

struct pe_attr {
	const char *name;
	const char *value;
};

struct pe_attrs {
	struct pe_attr *v;
	size_t n, cap;
};

struct pe_node {
	const char *id;
	const char *uname;
	struct pe_attrs attrs;  /* configured + transient node attributes */
	bool seen;              /* has a node_state */
	bool online;
	bool unclean;
	bool pending;
	bool standby;
	bool standby_onfail;
	bool maintenance;
	bool shutdown;
	bool remote;
	bool is_dc;             /* its id is the CIB's dc-uuid (#is_dc) */
	const char *unclean_reason;
	int64_t pending_since_s; /* pending: member since (in_ccm timestamp), else 0 */
	struct pe_attrs util;   /* utilization: capacity per attribute */
	/* scheduling scratch */
	bool fence;             /* fencing scheduled */
	bool base_saved;        /* unclean0/reason0 hold the loaded state */
	bool unclean0;
	const char *reason0;
	int assigned;           /* number of resources assigned here */
	int64_t *cap, *used;    /* [in->nutil]: capacity and its assigned part */
};

/* An operation as configured for a resource. */
struct pe_opcfg {
	const char *name;
	uint64_t interval_ms;
	enum pe_on_fail on_fail;
	enum pe_role role;
	bool enabled;
	uint64_t timeout_ms;    /* the op's timeout; 0: not set (typed actions, actions.c) */
};

/* One lrm_rsc_op of the history. */
struct pe_hist_op {
	const char *op;       /* operation (static string) */
	bool last_failure;    /* a "_last_failure_" record */
	uint64_t interval_ms;
	int call_id;
	int rc;
	int expected_rc;      /* from transition-key; -1 unknown */
	int trans_num;        /* transition (graph) number from transition-key; -1 unknown */
	int action_num;       /* action number in that graph; -1 also for pending ones */
	uint32_t trans_uuid;  /* hash of the graph series' uuid (the DC's) */
	bool has_trans;       /* transition-key parsed */
	int op_status;
	int64_t last_rc_change;
};

/* What a resource's history says about one node. */
struct pe_rsc_state {
	enum pe_role role;      /* STOPPED or an active role */
	bool failed;            /* active but failed: needs recovery */
	bool stop_failed;       /* a stop failed: cannot be stopped */
	bool banned;            /* hard error: not allowed here */
	bool fatal;             /* fatal error: not allowed anywhere */
	bool pending;
	bool ignored;           /* failure with on-fail=ignore */
	enum pe_on_fail on_fail;/* of the last failure */
	int failcount;
	int64_t last_failure;
	bool has_history;
	/* raw input, kept for unpacking at compute time */
	struct pe_hist_op *ops;
	size_t nops;
	int failcount_raw;
	int64_t last_failure_raw;
	bool unpacked;          /* scratch: history already unpacked this compute */
};

struct pe_rsc {
	const char *id;
	const char *cls, *provider, *type;
	const char *group;      /* the group it belongs to, or NULL */
	const char *name;       /* shown name: the id, or the clone child's id */
	int clone;              /* index in clones[], or -1 */
	int index;
	int priority;
	int stickiness;
	int migration_threshold;
	uint64_t failure_timeout_ms;
	enum pe_role target_role;
	bool managed;
	bool maintenance;
	bool is_stonith;
	bool requires_nothing;  /* requires=nothing: starts without quorum */
	bool migratable;        /* allow-migrate=true */
	bool orphan;            /* in the status only */
	bool allow_unhealthy;
	int multiple_active;    /* 0 stop_start, 1 stop_only, 2 block, 3 stop_unexpected */   /* allow-unhealthy-nodes: node health ignored */
	struct pe_attrs util;   /* utilization: what it needs per attribute */
	int64_t *need;          /* [in->nutil] */
	struct pe_opcfg *ops;
	size_t nops;
	struct pe_attrs params; /* instance attributes, when the input fills them
				 * (typed actions, actions.c; freed with the input) */
	struct pe_rsc_state *st; /* [nnodes] */
	/* scheduling */
	int *score;             /* [nnodes] */
	int *cur;               /* nodes where active, in status order */
	int ncur;
	bool failed;            /* failed on some node */
	bool blocked;           /* cannot be stopped: leave alone */
	bool ticket_ban;        /* needs a ticket that is not granted */
	enum pe_role cur_role;
	int next;               /* assigned node or -1 */
	enum pe_role next_role;
	bool assigned_done;
	bool assigning;
	/* actions */
	bool *stop;             /* [nnodes]: stop scheduled on node */
	bool stop_unrunnable;
	bool start;             /* a start on next exists (may be optional) */
	bool start_required;
	bool start_unrunnable;
	bool fenced_stop;       /* stop implied by fencing */
	bool promote_blocked;   /* its promotion cannot happen (what it is with cannot start) */
	const char *reason;
};

struct pe_expr {
	const char *attr;
	const char *op;
	const char *value;
	const char *type;
	const char *value_source;
	struct pe_rule *sub;    /* nested rule instead of an expression */
	struct pe_date *date;   /* date_expression instead of an expression */
};

/* A date_expression (rules.c). */
struct pe_date {
	enum ham_cib_date_op op;
	struct ham_cib_time start, end;
	struct ham_cib_duration duration;
	bool has_spec;
	struct ham_cib_date_spec spec;
};

/* A time's calendar fields, UTC; week, weekyear and weekday (1 = Monday) are ISO 8601's. */
struct pe_time_fields {
	int64_t year, month, monthday, hour, minute, second, yearday, weekyear, week, weekday;
};
void pe_time_fields(int64_t t, struct pe_time_fields *f);
/* t plus a duration (years and months by the calendar, the day kept or clamped). */
int64_t pe_time_add(int64_t t, const struct ham_cib_duration *d);
bool pe_date_spec_match(const struct ham_cib_date_spec *s, int64_t now);
/* Whether the date expression holds at now (seconds since the epoch). */
bool pe_date_eval(const struct pe_date *d, int64_t now);

struct pe_rule {
	int score;
	const char *score_attr;
	bool is_or;
	const char *role;
	struct pe_expr *e;
	size_t ne;
};

struct pe_location {
	const char *id;
	int rsc;
	int node;               /* -1 when rules are used */
	int score;
	const char *role;
	struct pe_rule *rules;
	size_t nrules;
};

struct pe_colocation {
	const char *id;
	int rsc, with;
	int with_clone;         /* >= 0: with any instance of this clone */
	int score;
	enum pe_role rsc_role, with_role;
	const char *node_attr;  /* node-attribute: the same value, not the same node;
				 * NULL for #uname */
};

enum pe_order_kind { PE_ORDER_MANDATORY, PE_ORDER_OPTIONAL, PE_ORDER_SERIALIZE };

struct pe_order {
	const char *id;
	int first, then;
	int first_clone;        /* >= 0: first is this clone (any instance) */
	const char *first_action, *then_action;
	enum pe_order_kind kind;
	bool symmetrical;
	/* first and then are clones, then's interleave=true: then's instance on
	 * a node waits only for first's instance on that node */
	bool interleave;
	/* first is a clone, require-all=false: any one of its instances will do */
	bool one_or_more;
	/* > 0: one of the orders with this number and the same then will do
	 * (a resource set with require-all=false before then) */
	int any_of;
};

struct pe_ticket_dep {
	int rsc;
	const char *ticket;
	int loss;               /* 0 stop, 1 demote, 2 freeze, 3 fence */
	bool promoted_only;     /* rsc-role=Promoted */
};

/*
 * One lrm_resource of an anonymous clone on one node, as loaded. Its
 * instance number means nothing: the scheduler maps it to an instance at
 * each compute (sched.c, map_clone_history).
 */
struct pe_clone_hist {
	int node;
	int member;             /* the clone (of a cloned group's members) */
	struct pe_hist_op *ops; /* owned */
	size_t nops;
};

struct pe_clone {
	const char *id;
	int first;              /* first instance (instances are contiguous) */
	int n;                  /* clone-max */
	int node_max;           /* clone-node-max */
	int min;                /* clone-min: instances before what is ordered after starts */
	bool unique;            /* globally-unique: history names its instance */
	bool promotable;
	bool interleave;        /* meta interleave: orders with other clones per node */
	int promoted_max;
	int promoted_node_max;   /* promoted-node-max: promoted instances on a node */
	/* a cloned group is one clone per member, sharing instance numbers:
	 * set is the first member's index, nset the number of members */
	int set, nset;
	/* instances beyond clone-max that history may need (anonymous):
	 * orphans, contiguous from orph_first */
	int orph_first, norph;
	struct pe_clone_hist *hist; /* anonymous, on set: history in status order */
	size_t nhist, caphist;
	bool promoted_done;     /* scratch: roles decided */
	bool assigned;          /* scratch: instances assigned */
};

/* Instance i of c, its orphans counted after its n instances. */
static inline int pe_clone_inst(const struct pe_clone *c, int i)
{
	return i < c->n ? c->first + i : c->orph_first + i - c->n;
}

struct ham_policy_input {
	/* strings live in this arena-ish list */
	char **strs;
	size_t nstrs, capstrs;

	struct pe_node *nodes;
	size_t nnodes, capnodes;
	struct pe_rsc *rscs;
	size_t nrscs, caprscs;
	struct pe_location *locs;
	size_t nlocs, caplocs;
	struct pe_colocation *colocs;
	size_t ncolocs, capcolocs;
	struct pe_order *orders;
	size_t norders, caporders;
	struct pe_clone *clones;
	size_t nclones;
	struct pe_ticket_dep *tdeps;
	size_t ntdeps;
	struct pe_attrs tickets;  /* ticket id -> "granted", "standby" or "revoked" */
	/* colocations per resource (CSR), built on first compute */
	size_t *coloc_dep_start, *coloc_dep;
	size_t *coloc_prim_start, *coloc_prim;

	qb_map_t *node_by_uname;  /* -> (uintptr_t)index + 1 */
	qb_map_t *node_by_id;
	qb_map_t *rsc_by_id;

	/* cluster options */
	bool stonith_enabled;
	const char *stonith_action;
	bool symmetric;
	enum pe_nq_policy no_quorum_policy;
	bool have_quorum;
	bool stop_all;
	bool maintenance_mode;
	bool start_failure_is_fatal;
	bool startup_fencing;
	int default_stickiness;
	enum pe_placement placement;
	int health_strategy;      /* 0 none, 1 migrate-on-red, 2 only-green, 3 scores */
	int health_red, health_yellow, health_green;
	const char **util_names;  /* every utilization attribute name */
	size_t nutil;
	bool util_ready;          /* cap/need arrays built */
	int64_t execution_date;   /* 0 = none */
	int64_t now;              /* "now" of the current compute (date rules) */
	const char *cluster_name; /* cluster-name property (#cluster-name), or NULL */
	uint64_t node_pending_timeout_ms; /* node-pending-timeout; 0 = never */
	/* rsc_defaults */
	struct pe_attrs rsc_defaults;
	struct pe_attrs op_defaults;
	/* resources we do not model (groups, clones, ...) */
	const char *unsupported;
};

/* input.c helpers */
const char *pe_str(struct ham_policy_input *in, const char *s);
void pe_attrs_set(struct ham_policy_input *in, struct pe_attrs *a,
		  const char *name, const char *value);
const char *pe_attrs_get(const struct pe_attrs *a, const char *name);
int pe_node_find(const struct ham_policy_input *in, const char *uname);
int pe_node_find_id(const struct ham_policy_input *in, const char *id);
int pe_rsc_find(const struct ham_policy_input *in, const char *id);
/* The clone whose child (a primitive) is named id ("child" or "child:N"), or -1. */
int pe_clone_find(const struct ham_policy_input *in, const char *id);
/* A new history entry of anonymous clone k on node (add), or its last one
 * there (NULL if none). Entries are kept on the set's first member. */
struct pe_clone_hist *pe_clone_hist_at(struct ham_policy_input *in, int k, int node,
				       bool add);
struct pe_node *pe_node_add(struct ham_policy_input *in, const char *id,
			    const char *uname);
struct pe_rsc *pe_rsc_add(struct ham_policy_input *in, const char *id);
struct pe_location *pe_location_add(struct ham_policy_input *in);
struct pe_colocation *pe_colocation_add(struct ham_policy_input *in);
struct pe_order *pe_order_add(struct ham_policy_input *in);
/* Allocate per-node arrays of every resource once nodes are known. */
void pe_input_finish(struct ham_policy_input *in);
/* Unpack one resource's history on one node (ops sorted inside). */
void pe_unpack_history(const struct ham_policy_input *in, struct pe_rsc *r, int node,
		       int64_t now);
/* Node states that depend on "now": a node pending longer than
 * node-pending-timeout is unclean (called at the start of each compute). */
void pe_nodes_at(struct ham_policy_input *in, int64_t now);
/* Failure counts from the node attributes fail-count-RSC[#op_interval]. */
void pe_index_failcounts(struct ham_policy_input *in);

enum pe_role pe_role_parse(const char *s);
const char *pe_role_name(enum pe_role r);
enum pe_on_fail pe_on_fail_parse(const char *s);

#endif
