/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The loader's state, shared by load.c (streaming pass) and check.c (resolution). */
#ifndef HAMGR_CIB_LOAD_PRIVATE_H
#define HAMGR_CIB_LOAD_PRIVATE_H

#include "cib_private.h"

enum et {
	ET_NONE = 0,
	ET_CIB,
	ET_CONFIGURATION,
	ET_CRM_CONFIG,
	ET_NVSET,
	ET_NVPAIR,
	ET_RULE,
	ET_EXPR,
	ET_DATE_EXPR,
	ET_DATE_SPEC,
	ET_DURATION,
	ET_RSC_EXPR,
	ET_OP_EXPR,
	ET_NODES,
	ET_NODE,
	ET_RESOURCES,
	ET_PRIMITIVE,
	ET_TEMPLATE,
	ET_GROUP,
	ET_CLONE,
	ET_OPERATIONS,
	ET_OP,
	ET_CONSTRAINTS,
	ET_LOCATION,
	ET_COLOCATION,
	ET_ORDER,
	ET_TICKET,
	ET_RSC_SET,
	ET_RSC_REF,
	ET_RSC_DEFAULTS,
	ET_OP_DEFAULTS,
	ET_TAGS,
	ET_TAG,
	ET_OBJ_REF,
	ET_FENCING_TOPOLOGY,
	ET_FENCING_LEVEL,
	ET_ACLS,
	ET_ALERTS,
	ET_ALERT,
	ET_RECIPIENT,
	ET_SELECT,
	ET_SELECT_NODES,
	ET_SELECT_FENCING,
	ET_SELECT_RESOURCES,
	ET_SELECT_ATTRIBUTES,
	ET_SELECT_ATTR,
	ET_STATUS,
	ET_NODE_STATE,
	ET_TRANSIENT,
	ET_LRM,
	ET_LRM_RESOURCES,
	ET_LRM_RESOURCE,
	ET_LRM_RSC_OP,
	ET_TICKETS,
	ET_TICKET_STATE,
	ET_MAX
};

#define NVECS 6
#define MAX_DEPTH 48
#define MAX_ATTRS 64

struct frame {
	enum et type;
	int kind;
	const char *name; /* static element name */
	unsigned line;
	const char *id;   /* arena string or NULL */
	void *obj;        /* arena object for pointer-held elements */
	void *child_obj;  /* date_spec of a date_expression */
	bool seen_operations;
	bool st_ref;      /* status_checks(): an nvset by id-ref (no content) */
	bool st_seen_res; /* status_checks(): <lrm> has its <lrm_resources> */
	union {
		struct ham_cib_nvpair nvpair;
		struct ham_cib_expr expr;
		struct ham_cib_op op;
		struct ham_cib_rsc_set set;
		struct ham_cib_lrm_resource lrm_rsc;
		struct ham_cib_lrm_op lrm_op;
	} u;
	struct vec v[NVECS];
};

struct idinfo {
	enum et type;
	const char *element;
	unsigned line;
	void *obj;
};

struct pending_pair {
	struct ham_cib_nvset *set;
	size_t index;
	const char *ref;
	unsigned line;
};
struct pending_ops {
	struct ham_cib_resource *rsc;
	const char *ref;
	unsigned line;
};
struct pending_tmpl {
	struct ham_cib_resource *rsc;
	const char *ref;
};
struct opset {
	const struct ham_cib_op *ops;
	size_t n;
};

struct schema_error {
	unsigned line;
	bool patched; /* line and id settled */
	const char *id;
	char *message;
};

struct loader {
	ham_cib *cib;
	ham_cib_diags *diags;
	const char *name;
	int result;       /* first HAM_E_* class found, 0 if none */
	int install_result; /* class of the first error that only concerns
			     * installing (load_install_error): the result only
			     * when nothing else is wrong */
	size_t max_attr;
	uint32_t flags;   /* HAM_CIB_LOAD_* */
	bool in_config;
	bool seen_configuration;
	/* The RelaxNG validator was switched off at <status> (see load.c):
	 * status_checks() holds the section to the same rules instead. */
	bool validating;  /* the reader validates with RelaxNG */
	bool status_unvalidated;
	bool status_done; /* </status> seen while status_unvalidated */
	uint32_t seen_sections; /* (1u << ET_*) of the required configuration sections */
	bool diags_fix_exec_date;
	int depth;
	unsigned first_skip_line; /* first element we skipped as invalid, 0: none */
	struct frame frames[MAX_DEPTH + 2];
	size_t n_attrs;
	const char *attr_names[MAX_ATTRS];
	const char *attr_values[MAX_ATTRS];

	qb_map_t *ids;    /* configuration ids -> struct idinfo */
	qb_map_t *opsets; /* operations id -> struct opset */
	qb_map_t *intern;

	struct vec crm_config, nodes, resources, all_resources, templates, locations,
		colocations, orders, tickets, rsc_defaults, op_defaults, tags, fencing_levels,
		node_states, ticket_states, alerts;
	struct vec schema_errors; /* held back to drop duplicates of our own */
	struct vec all_nvsets, pending_nvsets, pending_rules, pending_pairs, pending_ops,
		pending_tmpls;
};

/* build.c: the element table and the per-element handlers. */
struct child_rule {
	enum et parent;
	const char *name;
	enum et type;
	int kind; /* nvset kind for ET_NVSET; 1 for <master> */
};
const struct child_rule *load_find_child(enum et parent, const char *name);
const char *load_unsupported_why(const char *name); /* NULL if not a known Pacemaker element */
bool load_known_element(const char *name);
void load_push_frame(struct loader *ld, enum et type, int kind, const char *name,
		     unsigned line);
void load_start_element(struct loader *ld, struct frame *f);
void load_end_element(struct loader *ld, struct frame *f);
void load_note_class(struct loader *ld, int code);
const char *load_frame_id(struct loader *ld);
void load_ferr(struct loader *ld, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *load_ename(enum et t);
void load_diag(struct loader *ld, int code, enum ham_cib_severity sev, unsigned line,
	       const char *element, const char *id, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* check.c: after the streaming pass, resolve references and check values. */
void check_model(struct loader *ld);
/* alerts.c: the checks of <alert>s (paths, timeouts), called by check_model(). */
void check_alerts(struct loader *ld);

/*
 * What the engine computes without, but the daemon would ignore (alerts,
 * fencing topology, fencer timings): an error for a configuration to install
 * ("... is not supported by the hamgr daemon"), a warning when the input is
 * only run (HAM_CIB_LOAD_TO_RUN), as hactl simulate does (check.c).
 */
void load_daemon_unsupported(struct loader *ld, unsigned line, const char *elem,
			     const char *id, const char *what);

/* An error that only concerns installing the configuration (a warning
 * with HAM_CIB_LOAD_TO_RUN); it does not change the class returned when the
 * input has other errors, so that verify and simulate return the same one. */
void load_install_error(struct loader *ld, int code, unsigned line, const char *elem,
			const char *id, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
