/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/cib: the cluster information base. Pacemaker's CIB XML (a documented
 * subset, doc/cib.md) read in one streaming pass into a typed, read-only
 * model; semantic checks; an editable DOM for the daemon; atomic, checksummed
 * persistence with backups.
 *
 * Ownership: every struct and string reachable from a ham_cib belongs to that
 * handle and lives until ham_cib_free(). Nothing in the model is ever modified
 * after loading. Arrays are exact-size; an absent optional string is NULL.
 */
#ifndef HAMGR_CIB_H
#define HAMGR_CIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hamgr/common.h>

/* ------------------------------------------------------------------ */
/* Small value types                                                   */
/* ------------------------------------------------------------------ */

/* An optional boolean: an attribute that may be absent. */
enum ham_cib_tri {
	HAM_CIB_UNSET = 0,
	HAM_CIB_FALSE,
	HAM_CIB_TRUE,
};

/* An optional score. */
struct ham_cib_score {
	bool set;
	int value; /* -HAM_SCORE_INFINITY .. HAM_SCORE_INFINITY */
};

/* Roles; Pacemaker 1.x/2.x names Master/Slave map to PROMOTED/UNPROMOTED. */
enum ham_cib_role {
	HAM_CIB_ROLE_UNSET = 0, /* attribute absent: any role / default */
	HAM_CIB_ROLE_STOPPED,
	HAM_CIB_ROLE_STARTED,
	HAM_CIB_ROLE_UNPROMOTED,
	HAM_CIB_ROLE_PROMOTED,
	HAM_CIB_ROLE_MAX,
	HAM_CIB_ROLE_INVALID = -1,
};
const char *ham_cib_role_str(enum ham_cib_role r); /* "Started", ...; "" for UNSET */
/* Accepts Stopped, Started, Unpromoted, Promoted, Slave, Master (exact case). */
enum ham_cib_role ham_cib_role_from_str(const char *s);

/* Actions named by ordering constraints and resource sets. */
enum ham_cib_action {
	HAM_CIB_ACTION_UNSET = 0,
	HAM_CIB_ACTION_START,
	HAM_CIB_ACTION_STOP,
	HAM_CIB_ACTION_PROMOTE,
	HAM_CIB_ACTION_DEMOTE,
	HAM_CIB_ACTION_MAX,
	HAM_CIB_ACTION_INVALID = -1,
};
const char *ham_cib_action_str(enum ham_cib_action a);
enum ham_cib_action ham_cib_action_from_str(const char *s);

/* The version triple of a CIB; compared lexicographically. */
struct ham_cib_version {
	uint64_t admin_epoch;
	uint64_t epoch;
	uint64_t num_updates;
};
/* <0, 0, >0 like strcmp. */
int ham_cib_version_cmp(const struct ham_cib_version *a, const struct ham_cib_version *b);

/*
 * A point in time from an ISO 8601 date/time (calendar, ordinal YYYY-DDD or
 * week YYYY-Www-D forms, optional time and zone), as seconds since the epoch
 * in UTC. Parsed at load; malformed dates are load errors.
 */
struct ham_cib_time {
	bool set;
	int64_t epoch_s;
};
/* Parses an ISO 8601 date/time; 0 or -EINVAL. A missing zone means UTC. */
int ham_cib_time_parse(const char *s, int64_t *ret_epoch_s);
/* Days since 1970-01-01 of the civil date y-m-d (proleptic Gregorian; m 1-12),
 * and back. */
int64_t ham_cib_days_from_civil(int64_t y, int64_t m, int64_t d);
void ham_cib_civil_from_days(int64_t days, int64_t *ret_y, int64_t *ret_m, int64_t *ret_d);

/* ------------------------------------------------------------------ */
/* Name/value sets and rules                                           */
/* ------------------------------------------------------------------ */

struct ham_cib_nvpair {
	const char *id;
	const char *name;
	const char *value; /* may be NULL (Pacemaker allows a value-less nvpair) */
	unsigned line;
};

enum ham_cib_nvset_kind {
	HAM_CIB_NVSET_INSTANCE,         /* instance_attributes */
	HAM_CIB_NVSET_META,             /* meta_attributes */
	HAM_CIB_NVSET_UTILIZATION,      /* utilization */
	HAM_CIB_NVSET_CLUSTER_PROPERTY, /* cluster_property_set */
};

struct ham_cib_rule;

/*
 * A set of name/value pairs. A set with id-ref is resolved at load: id_ref
 * names the target, and pairs/rules are the target's (shared, not copied).
 * Sets of one owner apply by descending score, then document order (as in
 * Pacemaker: the first set to define a name wins); a set with rules applies
 * only when one of its rules passes (n_rules == 0: always).
 */
struct ham_cib_nvset {
	enum ham_cib_nvset_kind kind;
	const char *id;
	const char *id_ref; /* NULL unless this set was a reference */
	struct ham_cib_score score;
	const struct ham_cib_rule *const *rules;
	size_t n_rules;
	const struct ham_cib_nvpair *pairs;
	size_t n_pairs;
	unsigned line;
};

/* Looks a name up in one set; NULL if absent (ignores rules). */
const char *ham_cib_nvset_get(const struct ham_cib_nvset *set, const char *name);
/*
 * Looks a name up in several sets, ignoring rules and scores: the first set
 * in array order that has the name wins. NULL if none has it. For the
 * rule-aware lookup the policy engine evaluates rules itself.
 */
const char *ham_cib_nvsets_get(const struct ham_cib_nvset *const *sets, size_t n,
			       const char *name);

enum ham_cib_expr_kind {
	HAM_CIB_EXPR_ATTR,     /* <expression> */
	HAM_CIB_EXPR_DATE,     /* <date_expression> */
	HAM_CIB_EXPR_RULE,     /* nested <rule> */
	HAM_CIB_EXPR_RSC,      /* <rsc_expression> */
	HAM_CIB_EXPR_OP,       /* <op_expression> */
};

enum ham_cib_attr_op {
	HAM_CIB_OP_LT, HAM_CIB_OP_GT, HAM_CIB_OP_LTE, HAM_CIB_OP_GTE,
	HAM_CIB_OP_EQ, HAM_CIB_OP_NE, HAM_CIB_OP_DEFINED, HAM_CIB_OP_NOT_DEFINED,
	HAM_CIB_OP_MAX,
};
enum ham_cib_attr_type {
	HAM_CIB_TYPE_UNSET = 0, /* default: string, or number if both sides parse */
	HAM_CIB_TYPE_STRING,
	HAM_CIB_TYPE_INTEGER,   /* 64-bit integers */
	HAM_CIB_TYPE_NUMBER,    /* floating point */
	HAM_CIB_TYPE_VERSION,
};
enum ham_cib_value_source {
	HAM_CIB_VALUE_LITERAL = 0,
	HAM_CIB_VALUE_PARAM,
	HAM_CIB_VALUE_META,
};
enum ham_cib_date_op {
	HAM_CIB_DATE_IN_RANGE = 0, /* Pacemaker's default */
	HAM_CIB_DATE_GT,
	HAM_CIB_DATE_LT,
	HAM_CIB_DATE_SPEC,
};

/* A date_spec field: "N" or "N-M" (inclusive); unset matches anything. */
struct ham_cib_range {
	bool set;
	int64_t lo;
	int64_t hi;
};
struct ham_cib_date_spec {
	const char *id;
	struct ham_cib_range years, months, monthdays, hours, minutes, seconds,
		yeardays, weekyears, weeks, weekdays;
};
/* An ISO-like duration as its fields (months and years have no fixed length). */
struct ham_cib_duration {
	bool set;
	int64_t years, months, weeks, days, hours, minutes, seconds;
};

struct ham_cib_expr {
	enum ham_cib_expr_kind kind;
	const char *id;
	unsigned line;
	union {
		struct {
			const char *attribute; /* incl. #uname, #id, #kind, #is_dc, ... */
			enum ham_cib_attr_op op;
			const char *value;     /* NULL for defined/not_defined */
			enum ham_cib_attr_type type;
			enum ham_cib_value_source value_source;
		} attr;
		struct {
			enum ham_cib_date_op op;
			struct ham_cib_time start;
			struct ham_cib_time end;
			struct ham_cib_duration duration; /* in_range with start + duration */
			const struct ham_cib_date_spec *spec; /* DATE_SPEC (and in_range, rarely) */
		} date;
		const struct ham_cib_rule *rule;
		struct {
			const char *class_; /* NULL = any */
			const char *provider;
			const char *type;
		} rsc;
		struct {
			const char *name;
			bool has_interval;
			uint64_t interval_ms;
		} op;
	} u;
};

enum ham_cib_bool_op {
	HAM_CIB_BOOL_AND = 0,
	HAM_CIB_BOOL_OR,
};

struct ham_cib_rule {
	const char *id;
	const char *id_ref;           /* set when this rule was a reference (resolved) */
	struct ham_cib_score score;   /* location rules */
	const char *score_attribute;  /* location rules: score from a node attribute */
	enum ham_cib_bool_op boolean_op;
	enum ham_cib_role role;
	const struct ham_cib_expr *exprs;
	size_t n_exprs;               /* 0: Pacemaker treats an empty rule as passing */
	unsigned line;
};

/* ------------------------------------------------------------------ */
/* Nodes                                                               */
/* ------------------------------------------------------------------ */

enum ham_cib_node_type {
	HAM_CIB_NODE_MEMBER = 0, /* "member" or absent ("normal" is accepted too) */
	HAM_CIB_NODE_REMOTE,
	HAM_CIB_NODE_PING,
};

struct ham_cib_node {
	const char *id;
	const char *uname;
	enum ham_cib_node_type type;
	const char *description;
	const struct ham_cib_nvset *const *instance_attributes;
	size_t n_instance_attributes;
	const struct ham_cib_nvset *const *utilization;
	size_t n_utilization;
	unsigned line;
};

/* ------------------------------------------------------------------ */
/* Resources                                                           */
/* ------------------------------------------------------------------ */

enum ham_cib_rsc_kind {
	HAM_CIB_RSC_PRIMITIVE,
	HAM_CIB_RSC_GROUP,
	HAM_CIB_RSC_CLONE,    /* <clone>, promotable or not, and legacy <master> */
	HAM_CIB_RSC_TEMPLATE, /* <template>: never a member of resources[] */
};

struct ham_cib_op {
	const char *id;
	const char *name;          /* monitor, start, stop, promote, ... */
	uint64_t interval_ms;      /* 0 for non-recurring */
	bool has_timeout;
	uint64_t timeout_ms;
	enum ham_cib_role role;
	const char *on_fail;       /* raw; checked against the enumeration */
	enum ham_cib_tri enabled;
	bool has_start_delay;
	uint64_t start_delay_ms;
	const char *interval_origin; /* raw ISO 8601 (validated) */
	enum ham_cib_tri record_pending;
	const char *description;
	const struct ham_cib_nvset *const *meta_attributes;
	size_t n_meta_attributes;
	const struct ham_cib_nvset *const *instance_attributes;
	size_t n_instance_attributes;
	unsigned line;
};

struct ham_cib_resource {
	enum ham_cib_rsc_kind kind;
	const char *id;
	const char *description;
	/* Primitive (and template): the agent. A primitive with template="X"
	 * takes class/provider/type from the template when it has none. */
	const char *class_;   /* ocf, systemd, lsb, service, stonith */
	const char *provider; /* ocf only */
	const char *type;
	const struct ham_cib_resource *tmpl; /* primitive's template, or NULL */

	/* Tree: parent is a group or clone (NULL at top level); children are a
	 * group's members in order, or a clone's single child. */
	const struct ham_cib_resource *parent;
	const struct ham_cib_resource *const *children;
	size_t n_children;

	bool promotable;    /* clone with meta promotable=true, or <master> */
	bool legacy_master; /* written as <master> */

	/* This resource's own sets, in document order. The template's sets
	 * (tmpl->...) apply after these (own values win). */
	const struct ham_cib_nvset *const *instance_attributes;
	size_t n_instance_attributes;
	const struct ham_cib_nvset *const *meta_attributes;
	size_t n_meta_attributes;
	const struct ham_cib_nvset *const *utilization;
	size_t n_utilization;
	const struct ham_cib_op *ops; /* own operations; a template's are in tmpl->ops */
	size_t n_ops;
	unsigned line;
};

/* ------------------------------------------------------------------ */
/* Constraints                                                         */
/* ------------------------------------------------------------------ */

enum ham_cib_order_kind {
	HAM_CIB_KIND_UNSET = 0, /* Mandatory unless a score says otherwise */
	HAM_CIB_KIND_MANDATORY,
	HAM_CIB_KIND_OPTIONAL,
	HAM_CIB_KIND_SERIALIZE,
};

enum ham_cib_discovery {
	HAM_CIB_DISCOVERY_ALWAYS = 0,
	HAM_CIB_DISCOVERY_NEVER,
	HAM_CIB_DISCOVERY_EXCLUSIVE,
};

enum ham_cib_loss_policy {
	HAM_CIB_LOSS_STOP = 0,
	HAM_CIB_LOSS_DEMOTE,
	HAM_CIB_LOSS_FENCE,
	HAM_CIB_LOSS_FREEZE,
};

struct ham_cib_tag;

/*
 * A reference from a constraint to a resource, or to a tag (which stands for
 * every resource it lists). Exactly one of rsc/tag is non-NULL after a
 * successful load. rsc may be a template (kind HAM_CIB_RSC_TEMPLATE), which
 * stands for every primitive whose tmpl is that template.
 */
struct ham_cib_ref {
	const char *id;
	const struct ham_cib_resource *rsc;
	const struct ham_cib_tag *tag;
};

struct ham_cib_rsc_set {
	const char *id;
	enum ham_cib_tri sequential;
	enum ham_cib_tri require_all;
	enum ham_cib_tri ordered;
	enum ham_cib_action action;
	enum ham_cib_role role;
	struct ham_cib_score score;
	enum ham_cib_order_kind kind;
	const struct ham_cib_ref *refs; /* resource_ref, in order */
	size_t n_refs;
	unsigned line;
};

struct ham_cib_location {
	const char *id;
	struct ham_cib_ref rsc;       /* rsc.id NULL when rsc_pattern or sets are used */
	const char *rsc_pattern;      /* extended regex, validated at load */
	enum ham_cib_role role;
	struct ham_cib_score score;
	const char *node;             /* node name (uname) when node+score form */
	enum ham_cib_discovery discovery;
	const struct ham_cib_rule *const *rules;
	size_t n_rules;
	const struct ham_cib_rsc_set *sets;
	size_t n_sets;
	unsigned line;
};

struct ham_cib_colocation {
	const char *id;
	struct ham_cib_ref rsc;       /* rsc.id NULL with sets */
	struct ham_cib_ref with_rsc;
	enum ham_cib_role rsc_role;
	enum ham_cib_role with_rsc_role;
	struct ham_cib_score score;   /* always set (required) */
	const char *node_attribute;   /* NULL means #uname */
	enum ham_cib_tri influence;
	const struct ham_cib_rsc_set *sets;
	size_t n_sets;
	unsigned line;
};

struct ham_cib_order {
	const char *id;
	struct ham_cib_ref first;     /* first.id NULL with sets */
	struct ham_cib_ref then;
	enum ham_cib_action first_action; /* UNSET means start */
	enum ham_cib_action then_action;  /* UNSET means first_action */
	enum ham_cib_order_kind kind;
	struct ham_cib_score score;
	enum ham_cib_tri symmetrical;
	enum ham_cib_tri require_all;
	const struct ham_cib_rsc_set *sets;
	size_t n_sets;
	unsigned line;
};

struct ham_cib_ticket_constraint {
	const char *id;
	const char *ticket;
	struct ham_cib_ref rsc;       /* rsc.id NULL with sets */
	enum ham_cib_role rsc_role;
	enum ham_cib_loss_policy loss_policy;
	const struct ham_cib_rsc_set *sets;
	size_t n_sets;
	unsigned line;
};

/* ------------------------------------------------------------------ */
/* Tags, fencing topology                                              */
/* ------------------------------------------------------------------ */

struct ham_cib_tag {
	const char *id;
	const char *const *refs; /* obj_ref ids, each a resource id (checked) */
	size_t n_refs;
	unsigned line;
};

struct ham_cib_fencing_level {
	const char *id;
	unsigned index;               /* 1..9 */
	const char *target;           /* one of target, target_pattern, target_attribute */
	const char *target_pattern;
	const char *target_attribute;
	const char *target_value;
	const char *const *devices;   /* split from the comma-separated list */
	size_t n_devices;
	unsigned line;
};

/* ------------------------------------------------------------------ */
/* Status                                                              */
/* ------------------------------------------------------------------ */

/* One entry of an lrm_resource's history. Integers absent in the XML are -1. */
struct ham_cib_lrm_op {
	const char *id;
	const char *operation;       /* start, stop, monitor, promote, ... */
	const char *operation_key;
	int64_t call_id;
	int rc_code;
	int op_status;               /* -1: pending (or absent, see has_op_status) */
	uint64_t interval_ms;        /* the history's interval, in milliseconds */
	int64_t last_rc_change;      /* seconds since the epoch, -1 if absent */
	int64_t last_run;
	int64_t exec_time;           /* ms */
	int64_t queue_time;          /* ms */
	const char *transition_key;
	const char *transition_magic;
	const char *on_node;
	const char *op_digest;
	const char *op_restart_digest;
	const char *op_force_restart;
	const char *op_secure_params;
	const char *op_secure_digest;
	const char *migrate_source;
	const char *migrate_target;
	const char *exit_reason;
	const char *crm_feature_set;
	const char *crm_debug_origin;
	bool has_rc_code;            /* rc-code present (rc_code -1 otherwise) */
	bool has_op_status;          /* op-status present: then -1 means pending */
	unsigned line;
};

struct ham_cib_lrm_resource {
	const char *id;
	const char *class_;
	const char *provider;
	const char *type;
	const char *container;
	int64_t shutdown_lock;              /* shutdown-lock time, -1 if absent */
	const struct ham_cib_resource *rsc; /* configured resource, NULL if orphaned
					     * (clone instances "rsc:N" resolve to rsc) */
	const struct ham_cib_lrm_op *ops;   /* document order; sort by call_id to replay */
	size_t n_ops;
	unsigned line;
};

/*
 * A node's state. The raw strings are kept; the parsed helpers read them the
 * way Pacemaker does: in_ccm is "true"/"false" or (2.1.7+) a timestamp of
 * when the node joined (online); crmd is "online"/"offline" or a timestamp.
 */
struct ham_cib_node_state {
	const char *id;
	const char *uname;
	const char *in_ccm;
	const char *crmd;
	const char *join;         /* member, down, pending, banned */
	const char *expected;
	const char *shutdown;     /* "0" or a timestamp */
	const char *crm_debug_origin;
	const char *remote_node;  /* "true" for Pacemaker Remote node states */
	const char *node_fenced;
	bool in_ccm_yes;          /* in_ccm is true or a non-zero timestamp */
	bool crmd_online;         /* crmd is online or a non-zero timestamp */
	int64_t shutdown_s;       /* 0 when not shutting down */
	int64_t in_ccm_since_s;   /* the timestamp form of in_ccm, else 0 */
	int64_t crmd_since_s;     /* the timestamp form of crmd, else 0 */
	const struct ham_cib_node *node; /* the configured node, NULL if unknown */
	const struct ham_cib_nvset *const *transient_attributes;
	size_t n_transient_attributes;
	const struct ham_cib_lrm_resource *lrm_resources;
	size_t n_lrm_resources;
	unsigned line;
};

struct ham_cib_ticket_state {
	const char *id;
	enum ham_cib_tri granted;
	enum ham_cib_tri standby;
	int64_t last_granted; /* -1 if absent */
	unsigned line;
};

/* ------------------------------------------------------------------ */
/* The whole model                                                     */
/* ------------------------------------------------------------------ */

struct ham_cib_model {
	/* <cib> attributes */
	struct ham_cib_version version;
	const char *validate_with;
	enum ham_cib_tri have_quorum;
	const char *dc_uuid;
	struct ham_cib_time execution_date; /* for regression inputs */
	const char *crm_feature_set;
	enum ham_cib_tri no_quorum_panic;

	/* configuration */
	const struct ham_cib_nvset *const *crm_config; /* cluster_property_set */
	size_t n_crm_config;
	const struct ham_cib_node *const *nodes;
	size_t n_nodes;
	/* Top-level resources in document order (children hang below). */
	const struct ham_cib_resource *const *resources;
	size_t n_resources;
	/* Every primitive/group/clone at any depth, in document order. */
	const struct ham_cib_resource *const *all_resources;
	size_t n_all_resources;
	const struct ham_cib_resource *const *templates;
	size_t n_templates;
	const struct ham_cib_location *const *locations;
	size_t n_locations;
	const struct ham_cib_colocation *const *colocations;
	size_t n_colocations;
	const struct ham_cib_order *const *orders;
	size_t n_orders;
	const struct ham_cib_ticket_constraint *const *tickets;
	size_t n_tickets;
	const struct ham_cib_nvset *const *rsc_defaults; /* meta_attributes */
	size_t n_rsc_defaults;
	const struct ham_cib_nvset *const *op_defaults;  /* meta_attributes */
	size_t n_op_defaults;
	const struct ham_cib_tag *const *tags;
	size_t n_tags;
	const struct ham_cib_fencing_level *const *fencing_levels;
	size_t n_fencing_levels;

	/* status */
	bool has_status;
	const struct ham_cib_node_state *const *node_states;
	size_t n_node_states;
	const struct ham_cib_ticket_state *const *ticket_states;
	size_t n_ticket_states;
};

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */
/* ------------------------------------------------------------------ */

enum ham_cib_severity {
	HAM_CIB_ERROR = 0,
	HAM_CIB_WARNING,
};

struct ham_cib_diag {
	enum ham_cib_severity severity;
	unsigned line;        /* 0 if unknown */
	const char *element;  /* element name, or NULL */
	const char *id;       /* the element's id (or the nearest enclosing id), or NULL */
	const char *message;
};

typedef struct ham_cib_diags ham_cib_diags;

/* A new, empty list; free with ham_cib_diags_free() (accepts NULL, returns NULL). */
ham_cib_diags *ham_cib_diags_new(void);
ham_cib_diags *ham_cib_diags_free(ham_cib_diags *d);
size_t ham_cib_diags_count(const ham_cib_diags *d);
size_t ham_cib_diags_errors(const ham_cib_diags *d);
size_t ham_cib_diags_warnings(const ham_cib_diags *d);
/* The i-th diagnostic in the order found; owned by the list. */
const struct ham_cib_diag *ham_cib_diags_get(const ham_cib_diags *d, size_t i);
/*
 * One diagnostic as a line of text, the way hactl verify prints it:
 * "FILE:LINE: error: <element> id 'ID': message\n" (line, element and id
 * when known). Appended to out.
 */
void ham_cib_diag_text(const char *file, const struct ham_cib_diag *d, ham_buf *out);
/*
 * Every diagnostic of the list as above, then a summary line for the load's
 * result r: "FILE: valid (N warnings)" or "FILE: invalid: REASON (N errors,
 * M warnings)". hactl verify and hactl simulate print exactly this.
 */
void ham_cib_diags_text(const ham_cib_diags *d, const char *file, int r, ham_buf *out);
/* Adds a diagnostic (copies the strings). */
void ham_cib_diags_add(ham_cib_diags *d, enum ham_cib_severity sev, unsigned line,
		       const char *element, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

/* Flags for struct ham_cib_load_opts. */
#define HAM_CIB_LOAD_SCHEMA    (1u << 0) /* validate against xml/hamgr.rng */
#define HAM_CIB_LOAD_KEEP_TEXT (1u << 1) /* keep the input text (ham_cib_text) */
#define HAM_CIB_LOAD_NO_STATUS (1u << 2) /* skip the status section */
/*
 * The input is run as it is (hactl simulate, the scheduler), not installed
 * as a new configuration: what only makes a configuration unsafe to install
 * (fencing enabled without a fence device) is a warning, not an error.
 */
#define HAM_CIB_LOAD_TO_RUN    (1u << 3)
/*
 * The daemon's own, already installed copy (with TO_RUN): what hamgr refuses
 * by name is a warning too, so that a configuration installed by an older
 * version that accepted it is still scheduled (the option still ignored).
 */
#define HAM_CIB_LOAD_INSTALLED (1u << 4)

/* A CIB may be as large as a cluster message may be (HAM_MSG_MAX_PAYLOAD, 1 GiB):
 * a copy the cluster can hold and send, every node can parse and store. */
#define HAM_CIB_DEFAULT_MAX_DOC_BYTES (1024u * 1024 * 1024)
#define HAM_CIB_DEFAULT_MAX_ATTR_BYTES (1u * 1024 * 1024)

struct ham_cib_load_opts {
	uint32_t flags;
	size_t max_doc_bytes;  /* 0: HAM_CIB_DEFAULT_MAX_DOC_BYTES */
	size_t max_attr_bytes; /* 0: HAM_CIB_DEFAULT_MAX_ATTR_BYTES */
	/* Where hamgr.rng is; NULL: $HAMGR_SCHEMA_DIR, else the installed
	 * HAM_SCHEMA_DIR, else the source tree's HAM_SRC_SCHEMA_DIR. */
	const char *schema_dir;
};

typedef struct ham_cib ham_cib;

/*
 * Loads a CIB. Parsing refuses DOCTYPEs, entities other than the predefined
 * ones, network access, invalid UTF-8, and inputs or attribute values beyond
 * the limits. Then the semantic checks run (unique ids and node names,
 * references, scores, durations, enumerations, rules, versions).
 *
 * opts may be NULL (defaults: schema validation on). Every problem is added
 * to diags (may be NULL). Returns 0 and a new handle in *ret_cib (warnings
 * allowed), or: -HAM_E_XML (not well-formed / refused construct),
 * -HAM_E_SCHEMA, -HAM_E_UNSUPPORTED (outside the subset), -HAM_E_CONFIG
 * (semantic error; also an attribute value over max_attr_bytes), -EFBIG (the
 * document over max_doc_bytes), -errno (I/O). When several apply, the first
 * class found is returned (XML errors first); diags has them all.
 * Not thread-safe: the parsed schema is cached per process.
 * name: used in messages only (e.g. the file name); may be NULL.
 */
int ham_cib_load_mem(const char *buf, size_t len, const char *name,
		     const struct ham_cib_load_opts *opts, ham_cib **ret_cib,
		     ham_cib_diags *diags);
int ham_cib_load_file(const char *path, const struct ham_cib_load_opts *opts,
		      ham_cib **ret_cib, ham_cib_diags *diags);
/* Reads fd to its end (bounded by max_doc_bytes), then as ham_cib_load_mem. */
int ham_cib_load_fd(int fd, const char *name, const struct ham_cib_load_opts *opts,
		    ham_cib **ret_cib, ham_cib_diags *diags);

/* Frees the handle and everything in its model. Accepts NULL; returns NULL. */
ham_cib *ham_cib_free(ham_cib *cib);

/* The model; owned by cib. */
const struct ham_cib_model *ham_cib_model(const ham_cib *cib);

/* The input text if loaded with HAM_CIB_LOAD_KEEP_TEXT, else NULL. Owned by cib. */
const char *ham_cib_text(const ham_cib *cib, size_t *ret_len);

/* Lookups by id, O(1). Return 0 and write *ret, or -ENOENT. */
int ham_cib_find_resource(const ham_cib *cib, const char *id,
			  const struct ham_cib_resource **ret);
int ham_cib_find_template(const ham_cib *cib, const char *id,
			  const struct ham_cib_resource **ret);
int ham_cib_find_tag(const ham_cib *cib, const char *id, const struct ham_cib_tag **ret);
int ham_cib_find_node(const ham_cib *cib, const char *id, const struct ham_cib_node **ret);
int ham_cib_find_node_by_name(const ham_cib *cib, const char *uname,
			      const struct ham_cib_node **ret);
/* By node_state id (= node id). */
int ham_cib_find_node_state(const ham_cib *cib, const char *id,
			    const struct ham_cib_node_state **ret);
int ham_cib_find_ticket_state(const ham_cib *cib, const char *id,
			      const struct ham_cib_ticket_state **ret);

/* A cluster property from crm_config (first set that has it, rules ignored). */
const char *ham_cib_property(const ham_cib *cib, const char *name);

/* ------------------------------------------------------------------ */
/* The document (for the daemon): the one editable CIB                 */
/* ------------------------------------------------------------------ */

/*
 * The daemon's CIB: a DOM that every change goes through (configuration
 * pushes, operator edits, operation results, node state), kept a valid CIB
 * as far as its inputs are valid, and turned into the typed model without
 * going through text (ham_cib_doc_to_model). What the daemon still walks
 * itself goes through ham_cib_doc_root() (<hamgr/xml.h>), read-only, until
 * it has a call here.
 */
typedef struct ham_cib_doc ham_cib_doc;

/* A new, empty CIB (version 0:0:0, empty configuration and status). */
ham_cib_doc *ham_cib_doc_new_empty(void);
/*
 * Parses a whole <cib> document with the same safety rules as loading (no
 * DTD, no entities, no network; blank text dropped) and checks the version
 * attributes; a missing <configuration> or <status> is added. Returns 0 and
 * a new document, or -HAM_E_XML / -EFBIG, -HAM_E_SCHEMA (the root is not
 * <cib>), -HAM_E_CONFIG (a version is not a non-negative integer), with
 * details in diags (may be NULL).
 */
int ham_cib_doc_parse(const char *buf, size_t len, ham_cib_doc **ret_doc,
		      ham_cib_diags *diags);
ham_cib_doc *ham_cib_doc_free(ham_cib_doc *doc);
/* A deep copy (free with ham_cib_doc_free()). */
ham_cib_doc *ham_cib_doc_copy(const ham_cib_doc *doc);

int ham_cib_doc_get_version(const ham_cib_doc *doc, struct ham_cib_version *ret);
int ham_cib_doc_set_version(ham_cib_doc *doc, const struct ham_cib_version *v);
/* Increments epoch and resets num_updates to 0 (a configuration change). */
int ham_cib_doc_bump_epoch(ham_cib_doc *doc);
/* Increments num_updates (a status change). */
int ham_cib_doc_bump_num_updates(ham_cib_doc *doc);
/* Sets (value != NULL) or removes an attribute of <cib> (e.g. dc-uuid). */
int ham_cib_doc_set_cib_attr(ham_cib_doc *doc, const char *name, const char *value);

/*
 * The first errors of diags (at most five) as one message, "line L: <el
 * id="ID"> what; ..."; r's text when there is none. malloc'd.
 */
char *ham_cib_diags_message(const ham_cib_diags *diags, int r);

/*
 * Checks a configuration an administrator pushes: the document's safe parse
 * (a <cib> root with valid versions), then ham_cib_load_mem() with schema
 * validation and every semantic check. Returns 0, or -HAM_E_XML,
 * -HAM_E_SCHEMA, -HAM_E_CONFIG, -HAM_E_UNSUPPORTED with *ret_err (malloc'd)
 * naming the first errors (line, element, id, what).
 */
int ham_cib_doc_check_config(const char *buf, size_t len, char **ret_err);
/*
 * Whether a pushed <cib>'s base (admin_epoch, epoch) is older than doc's:
 * -ESTALE and *ret_err (malloc'd, may be NULL) naming both versions; 0 if
 * not (or when it does not parse: ham_cib_doc_check_config() says that).
 */
int ham_cib_doc_check_base(const ham_cib_doc *doc, const char *buf, size_t len,
			   char **ret_err);
/*
 * Replaces <configuration> with the one in xml (a <configuration> element,
 * or a whole <cib> whose configuration is taken). Does not change the
 * version. -HAM_E_XML if unparsable, -EINVAL if no configuration found.
 */
int ham_cib_doc_replace_configuration(ham_cib_doc *doc, const char *xml, size_t len,
				      ham_cib_diags *diags);
/*
 * An administrator's push of a whole <cib> (checked with
 * ham_cib_doc_check_config() first): its configuration replaces doc's,
 * epoch is bumped (admin_epoch taken from the push when higher),
 * num_updates reset. A push whose base is older than doc's is refused with
 * -ESTALE (see ham_cib_doc_check_base()) unless force. Other errors as
 * ham_cib_doc_parse(), with *ret_err (malloc'd).
 */
int ham_cib_doc_push_configuration(ham_cib_doc *doc, const char *buf, size_t len, bool force,
				   char **ret_err);

/*
 * Sets (value != NULL) or removes an attribute of node_state[node_id],
 * creating the node_state (with uname) under <status> if needed. Returns 1
 * if the value changed, 0 if it was already so, -EINVAL for a bad name.
 */
int ham_cib_doc_set_node_state_attr(ham_cib_doc *doc, const char *node_id,
				    const char *uname, const char *name,
				    const char *value);
/* node_state[node_id]/@name (owned by doc), or NULL. */
const char *ham_cib_doc_get_node_state_attr(const ham_cib_doc *doc, const char *node_id,
					    const char *name);
/* The ids of every node_state (a new NULL-terminated array; free each and it). */
char **ham_cib_doc_node_state_ids(const ham_cib_doc *doc);

/*
 * Adds or replaces (same id) an lrm_rsc_op in node_state[node_id]/lrm/
 * lrm_resources/lrm_resource[rsc_id], creating the path as needed (the
 * lrm_resource with class/provider/type). attrs: NULL-terminated list of
 * name, value, name, value, ..., which must include "id". Records what it
 * is given and counts nothing (ham_cib_doc_record_op() does).
 */
int ham_cib_doc_put_rsc_op(ham_cib_doc *doc, const char *node_id, const char *rsc_id,
			   const char *class_, const char *provider, const char *type,
			   const char *const *attrs);
/* Removes an lrm_resource's history on one node (-ENOENT if none). */
int ham_cib_doc_delete_lrm_resource(ham_cib_doc *doc, const char *node_id,
				    const char *rsc_id);

/* Pacemaker's execution status of an operation (op-status). */
enum ham_cib_op_status {
	HAM_CIB_OP_PENDING = -1,
	HAM_CIB_OP_DONE = 0,
	HAM_CIB_OP_CANCELLED = 1,
	HAM_CIB_OP_TIMEOUT = 2,
	HAM_CIB_OP_NOT_SUPPORTED = 3,
	HAM_CIB_OP_ERROR = 4,
	HAM_CIB_OP_ERROR_HARD = 5,
	HAM_CIB_OP_ERROR_FATAL = 6,
	HAM_CIB_OP_NOT_INSTALLED = 7,
	HAM_CIB_OP_NOT_CONNECTED = 8,
	HAM_CIB_OP_INVALID = 9,
	HAM_CIB_OP_NO_FENCE_DEVICE = 10,
	HAM_CIB_OP_NO_SECRETS = 11,
};

/* One operation result, as a node reports it (strings are the caller's). */
struct ham_cib_op_result {
	uint32_t nodeid;          /* where it ran */
	const char *node;         /* that node's name */
	const char *rsc, *cls, *provider, *type; /* provider may be NULL */
	const char *op;
	uint64_t interval_ms;
	int64_t call_id;
	int rc;
	int op_status;            /* enum ham_cib_op_status */
	int expected_rc;
	uint64_t action_id, transition_id; /* the transition key; 0: not asked by a DC */
	const char *dc_uuid;      /* the DC that asked (NULL: "0") */
	int64_t last_run_s, last_rc_change_s;
	uint64_t exec_ms, queue_ms;
	const char *exit_reason;  /* may be NULL */
};

/* Whether a result is a failure given what was expected (a pending record is not). */
bool ham_cib_op_failed(const struct ham_cib_op_result *r);
/*
 * Whether a result adds to the resource's fail count: a failure, except a
 * pending or cancelled operation and a probe that finds the agent missing.
 */
bool ham_cib_op_counts_as_failure(const struct ham_cib_op_result *r);

/*
 * Records an operation result in node_state[nodeid]/lrm/lrm_resources/
 * lrm_resource[rsc]/lrm_rsc_op, with Pacemaker's ids and attributes:
 * "<rsc>_last_0" for one-shot operations, "<rsc>_<op>_<interval>" for
 * recurring ones, "<rsc>_last_failure_0" as well for a failure; a successful
 * stop drops the resource's recurring entries. A failure that counts
 * (ham_cib_op_counts_as_failure) also sets the node's transient attributes
 * fail-count-<rsc>#<op>_<interval> (+1, or INFINITY for a failed stop, and
 * for a failed start when start-failure-is-fatal, the default) and
 * last-failure-<rsc>#<op>_<interval> (the result's last_rc_change_s), as
 * Pacemaker's controller does; an operation configured with on-fail=ignore
 * only updates last-failure. A pending record (op-status -1, call-id -1)
 * replaces the entry and counts nothing; a node's late result for an action
 * the DC recorded as timed out replaces that record without counting the
 * failure twice. Does not bump the version.
 */
void ham_cib_doc_record_op(ham_cib_doc *doc, const struct ham_cib_op_result *r);
/*
 * Whether r's node has r's operation pending (op-status -1) for the same
 * action (transition key), i.e. it acknowledged it and has not reported.
 */
bool ham_cib_doc_op_pending(const ham_cib_doc *doc, const struct ham_cib_op_result *r);
/* A pending operation in the status (op-status -1). */
struct ham_cib_pending {
	uint32_t nodeid;
	char *rsc, *op;
	char *cls, *provider, *type; /* the lrm_resource's agent (provider may be NULL) */
};
/* Every pending operation; free with ham_cib_pending_free(). */
void ham_cib_doc_pending_ops(const ham_cib_doc *doc, struct ham_cib_pending **ret,
			     size_t *ret_n);
void ham_cib_pending_free(struct ham_cib_pending *p, size_t n);

/*
 * Transient node attributes (node_state[id]/transient_attributes/
 * instance_attributes, Pacemaker's ids "status-<id>" and
 * "status-<id>-<name>"): set (value NULL: delete); returns 1 if anything
 * changed. Does not bump the version.
 */
int ham_cib_doc_set_transient_attr(ham_cib_doc *doc, const char *node_id, const char *uname,
				   const char *name, const char *value);
/* A transient attribute's value (owned by doc), or NULL. */
const char *ham_cib_doc_get_transient_attr(const ham_cib_doc *doc, const char *node_id,
					   const char *name);
/*
 * Deletes fail-count-<rsc>#* and last-failure-<rsc>#* (and of its clone
 * instances "<rsc>:<n>") on node_state[id]. Returns 1 if anything changed.
 */
int ham_cib_doc_clear_failures(ham_cib_doc *doc, const char *node_id, const char *rsc);
/*
 * A node was fenced: its resource history goes (everything there is
 * stopped), so do its transient attributes (fail counts), and its
 * node_state says it is down and expected down. Returns 1 if anything
 * changed.
 */
int ham_cib_doc_node_fenced(ham_cib_doc *doc, const char *node_id, const char *uname);
/*
 * Erases node_state[id]'s transient attributes (fail counts, ...), or its
 * resource history (<lrm>). Returns 1 if there was anything, else 0.
 */
int ham_cib_doc_erase_transient(ham_cib_doc *doc, const char *node_id);
int ham_cib_doc_erase_history(ham_cib_doc *doc, const char *node_id);
/*
 * Whether rsc is active on node_state[id] by its last one-shot operation
 * (a start, promote or demote that succeeded, or a probe that found it
 * running), whether its recurring "<rsc>_monitor_<interval>" is there, and
 * whether the node has any history for it.
 */
bool ham_cib_doc_rsc_active(const ham_cib_doc *doc, const char *node_id, const char *rsc);
bool ham_cib_doc_has_recurring(const ham_cib_doc *doc, const char *node_id, const char *rsc,
			       uint64_t interval_ms);
bool ham_cib_doc_has_history(const ham_cib_doc *doc, const char *node_id, const char *rsc);
/*
 * A member's own status as it offers it in a sync round: one <node_state>
 * whose id is the member's (a member speaks for its own status only).
 * _parse: 0, -HAM_E_XML (not one <node_state>), -EPERM (another node's id)
 * or -EMSGSIZE.
 */
typedef struct ham_cib_own_state ham_cib_own_state;
int ham_cib_own_state_parse(const char *buf, size_t len, const char *node_id,
			    ham_cib_own_state **ret);
ham_cib_own_state *ham_cib_own_state_free(ham_cib_own_state *own); /* accepts NULL */
/* node_state[id] serialized (*ret_buf malloc'd, NUL-terminated), or -ENOENT. */
int ham_cib_doc_dump_node_state(const ham_cib_doc *doc, const char *node_id, char **ret_buf,
				size_t *ret_len);
/*
 * A node that ran through a partition is authoritative for its own resource
 * history (lrm) and transient attributes: own's replace node_state[id]'s
 * (own NULL: it has none). Returns 1 when the document changed, 0 when not.
 */
int ham_cib_doc_adopt_node_state(ham_cib_doc *doc, const char *node_id, const char *uname,
				 const ham_cib_own_state *own);
/*
 * The last one-shot operation ("<rsc>_last_0") of rsc on node_state[id]:
 * false when there is none. The strings point into the document (valid
 * until it changes); rc_code and op_status are -1 when absent.
 */
struct ham_cib_last_op {
	const char *operation;
	int rc_code;
	int op_status;
};
bool ham_cib_doc_last_op(const ham_cib_doc *doc, const char *node_id, const char *rsc,
			 struct ham_cib_last_op *ret);
/*
 * Whether node_state[id] shows nothing that may be active: every resource's
 * last one-shot operation is a stop that succeeded or a probe that found it
 * not running, or it has no history at all. Fence devices do not count.
 * Otherwise *ret_rsc (when not NULL; malloc'd) names the first that may be.
 */
bool ham_cib_doc_node_idle(const ham_cib_doc *doc, const char *node_id, char **ret_rsc);

/* A primitive of the configuration, as the daemon's runner needs it. */
struct ham_cib_prim {
	char *id, *cls, *provider, *type;
	char **param_names, **param_values;
	size_t n_params;
	uint64_t start_timeout_ms, stop_timeout_ms, monitor_timeout_ms; /* 0: unset */
	uint64_t monitor_interval_ms; /* the first recurring monitor op; 0: none */
};
/* Every primitive (also inside groups and clones); free with ham_cib_prims_free(). */
void ham_cib_doc_prims(const ham_cib_doc *doc, struct ham_cib_prim **ret, size_t *ret_n);
void ham_cib_prims_free(struct ham_cib_prim *p, size_t n);
/* A crm_config property's value (malloc'd), or NULL. */
char *ham_cib_doc_property(const ham_cib_doc *doc, const char *name);

/*
 * The operator's small edits, one <modify> document applied all or none:
 *
 *   <modify>
 *     <set-location id=ID rsc=RSC node=NODE score=SCORE [role=ROLE]/>
 *     <delete-location id=ID/>               absent is not an error
 *     <clear rsc=RSC [node=NODE]/>           cli-prefer-RSC, cli-ban-RSC-on-*
 *     <set-meta rsc=RSC name=NAME [value=V]/>   no value: delete
 *     <set-node-attr node=NODE name=NAME [value=V] [lifetime=forever|reboot]
 *                    [set=instance_attributes|utilization]/>   reboot: the
 *                                        node's transient attributes (status)
 *     <cleanup rsc=RSC [node=NODE]/>         history and fail counts
 *     <cleanup [node=NODE]/>                 the same for every resource that
 *                                            failed, where it failed
 *     <refresh [rsc=RSC] [node=NODE]/>       history and fail counts (of
 *                                            every resource without rsc)
 *     <set-location ... end=DATE/>           a lifetime: a rule (#uname eq
 *                                            NODE and date lt DATE), ids
 *                                            ID-rule, ID-expr, ID-lifetime
 *     <clear [rsc=RSC] [node=NODE] expired-by=T/>  only lifetimes that ended
 *                                            at or before T (epoch seconds)
 *     <fence node=NODE/>                     transient terminate=true: the
 *                                            engine fences NODE (hactl stonith fence)
 *   </modify>
 *
 * RSC is any resource id of the configuration (primitive, group, clone);
 * cleanup also takes a resource that only has history. NODE is a node name
 * known to the CIB (a <node> of the configuration or a node_state uname).
 * The ids follow Pacemaker's command-line tools (RSC-meta_attributes,
 * RSC-meta_attributes-NAME, nodes-ID, nodes-ID-NAME).
 *
 * A configuration change bumps epoch (num_updates to 0); a status-only
 * change bumps num_updates; no change bumps nothing. Returns 0 (and
 * *ret_changed, optional), or -HAM_E_XML (not a <modify> document),
 * -HAM_E_USAGE (a bad attribute value), -ENOENT (an unknown resource or
 * node) with *ret_err (malloc'd) naming what; doc is then unchanged.
 * Deterministic: every node that holds the same doc gets the same result.
 */
int ham_cib_doc_apply_modify(ham_cib_doc *doc, const char *buf, size_t len,
			     bool *ret_changed, char **ret_err);
/*
 * What the origin checks before sending: applies to a copy of doc and, when
 * the configuration changed, runs ham_cib_doc_check_config() on the result.
 * Returns 0 or a negative code with *ret_err (malloc'd); doc is not changed.
 */
int ham_cib_doc_check_modify(const ham_cib_doc *doc, const char *buf, size_t len,
			     char **ret_err);

/*
 * Whether a location of move or ban (cli-prefer-*, cli-ban-*) has a
 * lifetime that ended at or before now (epoch seconds). (When a rule's
 * dates next change is the engine's: ham_transition_recheck_s().)
 */
bool ham_cib_doc_lifetimes_ended(const ham_cib_doc *doc, int64_t now);

/*
 * Serializes the root element (no XML declaration, one line); *ret_buf is
 * malloc'd (free()), NUL-terminated.
 */
int ham_cib_doc_dump(const ham_cib_doc *doc, char **ret_buf, size_t *ret_len);

/*
 * Serializes for the policy engine: the document plus what the coordinator
 * knows and the engine needs: have-quorum and dc-uuid on <cib>, and a
 * <node> entry in <nodes> for every node_state the configuration lacks.
 */
int ham_cib_doc_dump_for_policy(const ham_cib_doc *doc, bool quorate, const char *dc_uuid,
				char **ret_buf, size_t *ret_len);

/*
 * Writes the same complete document (as ham_cib_doc_dump_for_policy()),
 * gzip-compressed, to path (through path.tmp and a rename): a saved
 * scheduler input that hactl simulate reads as it is. Returns 0 or a
 * negative code.
 */
int ham_cib_doc_save_input(const ham_cib_doc *doc, bool quorate, const char *dc_uuid,
			   const char *path);

/*
 * A fresh model reflecting every edit, with every check of
 * ham_cib_load_mem(opts). Built from the document in memory, walking its
 * elements as the loader reads text; only HAM_CIB_LOAD_SCHEMA (RelaxNG
 * validation) and HAM_CIB_LOAD_KEEP_TEXT serialize and load the text.
 */
int ham_cib_doc_to_model(const ham_cib_doc *doc, const struct ham_cib_load_opts *opts,
			 ham_cib **ret_cib, ham_cib_diags *diags);

/*
 * What the daemon knows beside the document that the policy engine reads
 * from a CIB: whether the partition has quorum, and which node is the DC.
 */
struct ham_cib_cluster {
	bool quorate;        /* the model's have_quorum */
	const char *dc_uuid; /* the DC's node id, or NULL */
};
/*
 * ham_cib_doc_to_model() (opts may be NULL: no schema validation, every
 * other check), with cluster's facts in the model instead of the
 * document's <cib have-quorum dc-uuid>, and a member node (id and uname)
 * for every node_state that the configuration's <nodes> lacks (matched by
 * id or uname). The document is not changed: the model is what the engine
 * reads (ham_policy_input_from_model()).
 */
int ham_cib_doc_to_model_with(const ham_cib_doc *doc, const struct ham_cib_load_opts *opts,
			      const struct ham_cib_cluster *cluster, ham_cib **ret_cib,
			      ham_cib_diags *diags);

/* ------------------------------------------------------------------ */
/* Configuration commands (hactl resource create/update/delete, ...)   */
/* ------------------------------------------------------------------ */

/*
 * The configuration commands build <modify> edits (see
 * ham_cib_doc_apply_modify()) from typed arguments; the same edits go to the
 * daemon (live, applied on the version current when they arrive, so that
 * concurrent edits of other elements are kept) or to a CIB file
 * (ham_cib_file_apply_modify()). Besides the edits above, the language has:
 *
 *     <create [group=G]>ELEMENT</create>  a new resource or constraint; every
 *                                         id in it must be unused; G: append
 *                                         the primitive to group G (created
 *                                         if missing)
 *     <set-attr rsc=RSC set=SET name=N [value=V]/>  SET: instance_attributes,
 *                                         meta_attributes or utilization
 *     <set-op rsc=RSC><op name=ACTION .../></set-op>  replaces RSC's ACTION ops
 *     <delete id=ID [kind=K]/>            a resource (members and the
 *                                         constraints naming them too; a
 *                                         group or clone left empty goes) or
 *                                         a constraint; -ENOENT if absent;
 *                                         K: resource or constraint only
 *     <set-property section=S name=N [value=V]/>  S: crm_config,
 *                                         rsc_defaults or op_defaults
 *     <group-add group=G rsc=RSC/>        the primitive RSC moves to the end
 *                                         of G (created if missing); a group
 *                                         it leaves empty goes
 *     <group-remove group=G rsc=RSC/>     RSC leaves G, placed after it; an
 *                                         empty G goes (with its constraints)
 *     <clone-rsc rsc=RSC><clone id=ID>[<meta_attributes>]</clone></clone-rsc>
 *                                         wraps a top-level primitive or group
 */

/* A name and a value, both the caller's. */
struct ham_cib_nv {
	const char *name, *value;
};

/* An operation: its action and attributes (interval, timeout, ...). */
struct ham_cib_op_spec {
	const char *action;
	const struct ham_cib_nv *attrs;
	size_t n_attrs;
};

/* A primitive to create, or the changes to make to one. */
struct ham_cib_rsc_spec {
	const char *id;
	const char *agent;            /* CLASS:[PROVIDER:]TYPE (create only) */
	const struct ham_cib_nv *params; /* instance attributes */
	size_t n_params;
	const struct ham_cib_nv *meta;
	size_t n_meta;
	const struct ham_cib_op_spec *ops;
	size_t n_ops;
	const char *group;            /* create: the group to join, or NULL */
	bool disabled;                /* create: target-role=Stopped */
};

/*
 * Appends to edits the edit creating spec's primitive with Pacemaker's ids
 * (ID-instance_attributes-NAME, ID-meta_attributes-NAME,
 * ID-ACTION-interval-INTERVAL; an op without interval gets 0s). Returns 0, or
 * -HAM_E_USAGE with *ret_err (malloc'd) naming the bad argument (an invalid
 * id or agent, an empty or repeated name).
 */
int ham_cib_edit_rsc_create(const struct ham_cib_rsc_spec *spec, ham_buf *edits,
			    char **ret_err);
/*
 * Appends the edits changing an existing resource: each param or meta
 * attribute is set, or removed when its value is empty; each op replaces
 * the resource's ops of its action. Same errors as create.
 */
int ham_cib_edit_rsc_update(const struct ham_cib_rsc_spec *spec, ham_buf *edits,
			    char **ret_err);
/* Appends <delete id=ID [kind=KIND]/>; kind "resource", "constraint" or NULL (either). */
void ham_cib_edit_delete(const char *id, const char *kind, ham_buf *edits);
/*
 * Appends <set-property>: section "crm_config" (cluster options),
 * "rsc_defaults" or "op_defaults"; value NULL or "" removes the name.
 */
void ham_cib_edit_property(const char *section, const char *name, const char *value,
			   ham_buf *edits);

/*
 * Groups and clones: ids must be valid; -HAM_E_USAGE with *ret_err
 * otherwise. Group edits take the members in order. A clone is
 * "RSC-clone" with the given meta attributes (promotable adds
 * promotable=true), ids "RSC-clone-meta_attributes-NAME".
 */
int ham_cib_edit_group_add(const char *group, const char *const *rscs, size_t n,
			   ham_buf *edits, char **ret_err);
int ham_cib_edit_group_remove(const char *group, const char *const *rscs, size_t n,
			      ham_buf *edits, char **ret_err);
int ham_cib_edit_clone(const char *rsc, const struct ham_cib_nv *meta, size_t n_meta,
		       bool promotable, ham_buf *edits, char **ret_err);

/*
 * Constraints, created with ids in the style of pcs (their characters
 * outside [A-Za-z0-9_.-] become '.'); a score is an integer or
 * [+-]INFINITY. Each returns 0 or -HAM_E_USAGE with *ret_err (malloc'd).
 *   location: rsc on node with score ("location-RSC-NODE-SCORE")
 *   colocation: rsc with with_rsc, score NULL: INFINITY
 *     ("colocation-RSC-WITH-SCORE")
 *   order: first then then, actions NULL: start; kind NULL (Mandatory),
 *     "Mandatory", "Optional" or "Serialize" ("order-FIRST-THEN-KIND")
 */
int ham_cib_edit_location(const char *rsc, const char *node, const char *score,
			  ham_buf *edits, char **ret_err);
int ham_cib_edit_colocation(const char *rsc, const char *with_rsc, const char *score,
			    ham_buf *edits, char **ret_err);
int ham_cib_edit_order(const char *first_action, const char *first, const char *then_action,
		       const char *then, const char *kind, ham_buf *edits, char **ret_err);

/* A cluster property hamgr honours, with its default and what it does. */
struct ham_cib_property_info {
	const char *name;
	const char *default_value; /* NULL: none */
	const char *description;   /* one line */
};
/* The table, ending with a NULL name. */
const struct ham_cib_property_info *ham_cib_property_infos(void);
/* name's entry, or NULL when hamgr does not know it. */
const struct ham_cib_property_info *ham_cib_property_info(const char *name);

/*
 * Applies one <modify> document to the CIB file at path, offline: the file
 * is parsed, the edits checked and applied as the daemon would (with every
 * check of ham_cib_doc_check_config() on the result), and the result
 * written atomically (a temporary file in the same directory, fsync,
 * rename): on any error the file is unchanged. Returns 0 (*ret_changed,
 * optional: whether the file changed), or the codes of
 * ham_cib_doc_check_modify() and -errno, with *ret_err (malloc'd).
 */
int ham_cib_file_apply_modify(const char *path, const char *buf, size_t len,
			      bool *ret_changed, char **ret_err);

/* ------------------------------------------------------------------ */
/* Persistence                                                         */
/* ------------------------------------------------------------------ */

#define HAM_CIB_STORE_KEEP 10

/*
 * Writes buf to path atomically: a temporary file in the same directory,
 * fsync, the previous file kept as PATH.1 (older ones shifted to PATH.2 ..
 * PATH.<keep>, the oldest dropped), rename, fsync of the directory. The file
 * starts with a checksum line, an XML comment
 * "<!-- hamgr-crc32c:XXXXXXXX length:N -->" (CRC-32C, ham_crc32c()), covering
 * everything after it.
 * keep: how many previous versions to keep (0: HAM_CIB_STORE_KEEP).
 * Returns 0 or -errno.
 */
int ham_cib_store_save(const char *path, const char *buf, size_t len, unsigned keep);

/*
 * Stores a CIB text (a <cib> document) like ham_cib_store_save(), but
 * backups are configurations: the file in place is kept as PATH.1 (older
 * ones shifted) only when it passes its check and its configuration differs
 * from buf's (ham_cib_store_config_differs()); a status-only change replaces
 * it without rotating. *ret_rotated (may be NULL): which, on success.
 * Returns 0 or -errno.
 */
int ham_cib_store_save_cib(const char *path, const char *buf, size_t len, unsigned keep,
			   bool *ret_rotated);

/*
 * Whether two CIB texts hold different configurations: the <configuration>
 * element, or the admin_epoch or epoch of <cib>, differ (num_updates and
 * <status> do not count). Text that does not parse differs from anything.
 */
bool ham_cib_store_config_differs(const char *a, size_t alen, const char *b, size_t blen);

/*
 * Reads a file written by ham_cib_store_save() and checks its checksum.
 * Returns 0 and the content without the checksum line (*ret_buf malloc'd,
 * NUL-terminated), or -HAM_E_CHECKSUM (with a diagnostic naming the newest
 * backup PATH.N that passes its check, or saying there is none), or -errno.
 */
int ham_cib_store_load(const char *path, char **ret_buf, size_t *ret_len,
		       ham_cib_diags *diags);

#endif /* HAMGR_CIB_H */
