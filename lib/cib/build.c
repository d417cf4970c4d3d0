/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Building the model from elements: which element may appear where, and for
 * each element what its attributes mean, how they are checked, and how the
 * finished element is attached to its parent. Driven by load.c's reader.
 */
#include "config.h"

#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_private.h"

/* ------------------------------------------------------------------ */
/* Element table: which element may appear where                      */
/* ------------------------------------------------------------------ */


static const struct child_rule child_rules[] = {
	{ ET_NONE, "cib", ET_CIB, 0 },
	{ ET_CIB, "configuration", ET_CONFIGURATION, 0 },
	{ ET_CIB, "status", ET_STATUS, 0 },
	{ ET_CONFIGURATION, "crm_config", ET_CRM_CONFIG, 0 },
	{ ET_CONFIGURATION, "nodes", ET_NODES, 0 },
	{ ET_CONFIGURATION, "resources", ET_RESOURCES, 0 },
	{ ET_CONFIGURATION, "constraints", ET_CONSTRAINTS, 0 },
	{ ET_CONFIGURATION, "rsc_defaults", ET_RSC_DEFAULTS, 0 },
	{ ET_CONFIGURATION, "op_defaults", ET_OP_DEFAULTS, 0 },
	{ ET_CONFIGURATION, "tags", ET_TAGS, 0 },
	{ ET_CONFIGURATION, "fencing-topology", ET_FENCING_TOPOLOGY, 0 },
	{ ET_CONFIGURATION, "acls", ET_ACLS, 0 },
	{ ET_CONFIGURATION, "alerts", ET_ALERTS, 0 },
	{ ET_CRM_CONFIG, "cluster_property_set", ET_NVSET, HAM_CIB_NVSET_CLUSTER_PROPERTY },
	{ ET_NVSET, "nvpair", ET_NVPAIR, 0 },
	{ ET_NVSET, "rule", ET_RULE, 0 },
	{ ET_RULE, "rule", ET_RULE, 0 },
	{ ET_RULE, "expression", ET_EXPR, 0 },
	{ ET_RULE, "date_expression", ET_DATE_EXPR, 0 },
	{ ET_RULE, "rsc_expression", ET_RSC_EXPR, 0 },
	{ ET_RULE, "op_expression", ET_OP_EXPR, 0 },
	{ ET_DATE_EXPR, "date_spec", ET_DATE_SPEC, 0 },
	{ ET_DATE_EXPR, "duration", ET_DURATION, 0 },
	{ ET_NODES, "node", ET_NODE, 0 },
	{ ET_NODE, "instance_attributes", ET_NVSET, HAM_CIB_NVSET_INSTANCE },
	{ ET_NODE, "utilization", ET_NVSET, HAM_CIB_NVSET_UTILIZATION },
	{ ET_RESOURCES, "primitive", ET_PRIMITIVE, 0 },
	{ ET_RESOURCES, "template", ET_TEMPLATE, 0 },
	{ ET_RESOURCES, "group", ET_GROUP, 0 },
	{ ET_RESOURCES, "clone", ET_CLONE, 0 },
	{ ET_RESOURCES, "master", ET_CLONE, 1 },
	{ ET_PRIMITIVE, "instance_attributes", ET_NVSET, HAM_CIB_NVSET_INSTANCE },
	{ ET_PRIMITIVE, "meta_attributes", ET_NVSET, HAM_CIB_NVSET_META },
	{ ET_PRIMITIVE, "utilization", ET_NVSET, HAM_CIB_NVSET_UTILIZATION },
	{ ET_PRIMITIVE, "operations", ET_OPERATIONS, 0 },
	{ ET_TEMPLATE, "instance_attributes", ET_NVSET, HAM_CIB_NVSET_INSTANCE },
	{ ET_TEMPLATE, "meta_attributes", ET_NVSET, HAM_CIB_NVSET_META },
	{ ET_TEMPLATE, "utilization", ET_NVSET, HAM_CIB_NVSET_UTILIZATION },
	{ ET_TEMPLATE, "operations", ET_OPERATIONS, 0 },
	{ ET_GROUP, "primitive", ET_PRIMITIVE, 0 },
	{ ET_GROUP, "instance_attributes", ET_NVSET, HAM_CIB_NVSET_INSTANCE },
	{ ET_GROUP, "meta_attributes", ET_NVSET, HAM_CIB_NVSET_META },
	{ ET_CLONE, "primitive", ET_PRIMITIVE, 0 },
	{ ET_CLONE, "group", ET_GROUP, 0 },
	{ ET_CLONE, "instance_attributes", ET_NVSET, HAM_CIB_NVSET_INSTANCE },
	{ ET_CLONE, "meta_attributes", ET_NVSET, HAM_CIB_NVSET_META },
	{ ET_OPERATIONS, "op", ET_OP, 0 },
	{ ET_OP, "instance_attributes", ET_NVSET, HAM_CIB_NVSET_INSTANCE },
	{ ET_OP, "meta_attributes", ET_NVSET, HAM_CIB_NVSET_META },
	{ ET_CONSTRAINTS, "rsc_location", ET_LOCATION, 0 },
	{ ET_CONSTRAINTS, "rsc_colocation", ET_COLOCATION, 0 },
	{ ET_CONSTRAINTS, "rsc_order", ET_ORDER, 0 },
	{ ET_CONSTRAINTS, "rsc_ticket", ET_TICKET, 0 },
	{ ET_LOCATION, "rule", ET_RULE, 0 },
	{ ET_LOCATION, "resource_set", ET_RSC_SET, 0 },
	{ ET_COLOCATION, "resource_set", ET_RSC_SET, 0 },
	{ ET_ORDER, "resource_set", ET_RSC_SET, 0 },
	{ ET_TICKET, "resource_set", ET_RSC_SET, 0 },
	{ ET_RSC_SET, "resource_ref", ET_RSC_REF, 0 },
	{ ET_RSC_DEFAULTS, "meta_attributes", ET_NVSET, HAM_CIB_NVSET_META },
	{ ET_OP_DEFAULTS, "meta_attributes", ET_NVSET, HAM_CIB_NVSET_META },
	{ ET_TAGS, "tag", ET_TAG, 0 },
	{ ET_TAG, "obj_ref", ET_OBJ_REF, 0 },
	{ ET_FENCING_TOPOLOGY, "fencing-level", ET_FENCING_LEVEL, 0 },
	{ ET_ALERTS, "alert", ET_ALERT, 0 },
	{ ET_ALERT, "meta_attributes", ET_NVSET, HAM_CIB_NVSET_META },
	{ ET_ALERT, "instance_attributes", ET_NVSET, HAM_CIB_NVSET_INSTANCE },
	{ ET_ALERT, "recipient", ET_RECIPIENT, 0 },
	{ ET_ALERT, "select", ET_SELECT, 0 },
	{ ET_SELECT, "select_nodes", ET_SELECT_NODES, 0 },
	{ ET_SELECT, "select_fencing", ET_SELECT_FENCING, 0 },
	{ ET_SELECT, "select_resources", ET_SELECT_RESOURCES, 0 },
	{ ET_SELECT, "select_attributes", ET_SELECT_ATTRIBUTES, 0 },
	{ ET_SELECT_ATTRIBUTES, "attribute", ET_SELECT_ATTR, 0 },
	{ ET_RECIPIENT, "meta_attributes", ET_NVSET, HAM_CIB_NVSET_META },
	{ ET_RECIPIENT, "instance_attributes", ET_NVSET, HAM_CIB_NVSET_INSTANCE },
	{ ET_STATUS, "node_state", ET_NODE_STATE, 0 },
	{ ET_STATUS, "tickets", ET_TICKETS, 0 },
	{ ET_NODE_STATE, "transient_attributes", ET_TRANSIENT, 0 },
	{ ET_NODE_STATE, "lrm", ET_LRM, 0 },
	{ ET_TRANSIENT, "instance_attributes", ET_NVSET, HAM_CIB_NVSET_INSTANCE },
	{ ET_TRANSIENT, "utilization", ET_NVSET, HAM_CIB_NVSET_UTILIZATION },
	{ ET_LRM, "lrm_resources", ET_LRM_RESOURCES, 0 },
	{ ET_LRM_RESOURCES, "lrm_resource", ET_LRM_RESOURCE, 0 },
	{ ET_LRM_RESOURCE, "lrm_rsc_op", ET_LRM_RSC_OP, 0 },
	{ ET_TICKETS, "ticket_state", ET_TICKET_STATE, 0 },
};

/* Pacemaker elements that hamgr knows about but does not implement. */
static const struct {
	const char *name;
	const char *why;
} unsupported[] = {
	{ "bundle", "bundles (containerized resources) are not supported" },
	{ "docker", "bundles are not supported" },
	{ "podman", "bundles are not supported" },
	{ "rkt", "bundles are not supported" },
	{ "network", "bundles are not supported" },
	{ "storage", "bundles are not supported" },
	{ "acl_target", "ACLs are not supported (only an empty <acls/> is accepted)" },
	{ "acl_group", "ACLs are not supported (only an empty <acls/> is accepted)" },
	{ "acl_role", "ACLs are not supported (only an empty <acls/> is accepted)" },
	{ "acl_permission", "ACLs are not supported (only an empty <acls/> is accepted)" },
	{ "role", "ACLs are not supported (only an empty <acls/> is accepted)" },
	{ "user", "ACLs are not supported (only an empty <acls/> is accepted)" },
	{ "rsc_template", "use <template>" },
	{ "configuration_diff", "CIB diffs are not a configuration" },
};

static const char *const ename[ET_MAX] = {
	[ET_NONE] = "(document)",
	[ET_CIB] = "cib",
	[ET_CONFIGURATION] = "configuration",
	[ET_CRM_CONFIG] = "crm_config",
	[ET_NVSET] = "nvset",
	[ET_NVPAIR] = "nvpair",
	[ET_RULE] = "rule",
	[ET_EXPR] = "expression",
	[ET_DATE_EXPR] = "date_expression",
	[ET_DATE_SPEC] = "date_spec",
	[ET_DURATION] = "duration",
	[ET_RSC_EXPR] = "rsc_expression",
	[ET_OP_EXPR] = "op_expression",
	[ET_NODES] = "nodes",
	[ET_NODE] = "node",
	[ET_RESOURCES] = "resources",
	[ET_PRIMITIVE] = "primitive",
	[ET_TEMPLATE] = "template",
	[ET_GROUP] = "group",
	[ET_CLONE] = "clone",
	[ET_OPERATIONS] = "operations",
	[ET_OP] = "op",
	[ET_CONSTRAINTS] = "constraints",
	[ET_LOCATION] = "rsc_location",
	[ET_COLOCATION] = "rsc_colocation",
	[ET_ORDER] = "rsc_order",
	[ET_TICKET] = "rsc_ticket",
	[ET_RSC_SET] = "resource_set",
	[ET_RSC_REF] = "resource_ref",
	[ET_RSC_DEFAULTS] = "rsc_defaults",
	[ET_OP_DEFAULTS] = "op_defaults",
	[ET_TAGS] = "tags",
	[ET_TAG] = "tag",
	[ET_OBJ_REF] = "obj_ref",
	[ET_FENCING_TOPOLOGY] = "fencing-topology",
	[ET_FENCING_LEVEL] = "fencing-level",
	[ET_ACLS] = "acls",
	[ET_ALERTS] = "alerts",
	[ET_ALERT] = "alert",
	[ET_RECIPIENT] = "recipient",
	[ET_SELECT] = "select",
	[ET_SELECT_NODES] = "select_nodes",
	[ET_SELECT_FENCING] = "select_fencing",
	[ET_SELECT_RESOURCES] = "select_resources",
	[ET_SELECT_ATTRIBUTES] = "select_attributes",
	[ET_SELECT_ATTR] = "attribute",
	[ET_STATUS] = "status",
	[ET_NODE_STATE] = "node_state",
	[ET_TRANSIENT] = "transient_attributes",
	[ET_LRM] = "lrm",
	[ET_LRM_RESOURCES] = "lrm_resources",
	[ET_LRM_RESOURCE] = "lrm_resource",
	[ET_LRM_RSC_OP] = "lrm_rsc_op",
	[ET_TICKETS] = "tickets",
	[ET_TICKET_STATE] = "ticket_state",
};

const char *load_ename(enum et t)
{
	return t < ET_MAX ? ename[t] : "?";
}

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */
/* ------------------------------------------------------------------ */

void load_note_class(struct loader *ld, int code)
{
	/* The first class found is the one returned; XML beats the rest. */
	if (ld->result == 0 || code == HAM_E_XML)
		ld->result = code;
}

void load_diag(struct loader *ld, int code, enum ham_cib_severity sev, unsigned line,
	       const char *element, const char *id, const char *fmt, ...)
{
	va_list ap;

	if (sev == HAM_CIB_ERROR)
		load_note_class(ld, code);
	va_start(ap, fmt);
	cib_diags_vadd(ld->diags, sev, line, element, id, fmt, ap);
	va_end(ap);
}

/* The nearest id at or above the current frame. */
const char *load_frame_id(struct loader *ld)
{
	int i;

	for (i = ld->depth; i >= 1; i--)
		if (ld->frames[i].id != NULL)
			return ld->frames[i].id;
	return NULL;
}

void load_ferr(struct loader *ld, int code, const char *fmt, ...)
{
	struct frame *f = &ld->frames[ld->depth];
	va_list ap;

	load_note_class(ld, code);
	va_start(ap, fmt);
	cib_diags_vadd(ld->diags, HAM_CIB_ERROR, f->line, f->name, load_frame_id(ld), fmt, ap);
	va_end(ap);
}

static void fwarn(struct loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fwarn(struct loader *ld, const char *fmt, ...)
{
	struct frame *f = &ld->frames[ld->depth];
	va_list ap;

	va_start(ap, fmt);
	cib_diags_vadd(ld->diags, HAM_CIB_WARNING, f->line, f->name, load_frame_id(ld), fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------------ */
/* Attributes of the current element                                   */
/* ------------------------------------------------------------------ */

static const char *A(struct loader *ld, const char *name)
{
	size_t i;

	/* Most lookups miss: compare the first byte before calling strcmp. */
	for (i = 0; i < ld->n_attrs; i++)
		if (ld->attr_names[i][0] == name[0] && strcmp(ld->attr_names[i], name) == 0)
			return ld->attr_values[i];
	return NULL;
}

/* An attribute copied into the arena (NULL if absent). */
static const char *S(struct loader *ld, const char *name)
{
	return arena_strdup(&ld->cib->arena, A(ld, name));
}

/* Interned copy, for values that repeat a lot in the status section. */
static const char *I(struct loader *ld, const char *name)
{
	const char *v = A(ld, name);
	char *p;

	if (v == NULL)
		return NULL;
	if (strlen(v) > 64)
		return arena_strdup(&ld->cib->arena, v);
	p = qb_map_get(ld->intern, v);
	if (p == NULL) {
		p = arena_strdup(&ld->cib->arena, v);
		qb_map_put(ld->intern, p, p);
	}
	return p;
}

static const char *required(struct loader *ld, const char *name)
{
	const char *v = S(ld, name);

	if (v == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute '%s'", name);
	else if (*v == '\0')
		load_ferr(ld, HAM_E_CONFIG, "attribute '%s' is empty", name);
	return v;
}

static void attr_score(struct loader *ld, const char *name, struct ham_cib_score *ret)
{
	const char *v = A(ld, name);

	ret->set = false;
	if (v == NULL)
		return;
	if (ham_score_parse(v, &ret->value) < 0) {
		load_ferr(ld, HAM_E_CONFIG, "invalid score '%s' in attribute '%s'", v, name);
		return;
	}
	ret->set = true;
}

static void attr_tri(struct loader *ld, const char *name, enum ham_cib_tri *ret)
{
	const char *v = A(ld, name);

	if (cib_parse_tri(v, ret) < 0) {
		load_ferr(ld, HAM_E_CONFIG, "invalid boolean '%s' in attribute '%s'", v, name);
		*ret = HAM_CIB_UNSET;
	}
}

static enum ham_cib_role attr_role(struct loader *ld, const char *name)
{
	const char *v = A(ld, name);
	enum ham_cib_role r;

	if (v == NULL)
		return HAM_CIB_ROLE_UNSET;
	r = ham_cib_role_from_str(v);
	if (r == HAM_CIB_ROLE_INVALID) {
		load_ferr(ld, HAM_E_CONFIG,
		     "invalid role '%s' in attribute '%s' (expected Stopped, Started, "
		     "Unpromoted or Promoted)", v, name);
		return HAM_CIB_ROLE_UNSET;
	}
	return r;
}

static enum ham_cib_action attr_action(struct loader *ld, const char *name)
{
	const char *v = A(ld, name);
	enum ham_cib_action a;

	if (v == NULL)
		return HAM_CIB_ACTION_UNSET;
	a = ham_cib_action_from_str(v);
	if (a == HAM_CIB_ACTION_INVALID) {
		load_ferr(ld, HAM_E_CONFIG,
		     "invalid action '%s' in attribute '%s' (expected start, stop, promote or demote)",
		     v, name);
		return HAM_CIB_ACTION_UNSET;
	}
	return a;
}

/* Matches v against a NULL-terminated list; returns the index or -1 (error). */
static int attr_enum(struct loader *ld, const char *name, const char *const *values, int dflt)
{
	const char *v = A(ld, name);
	ham_buf b = HAM_BUF_INIT;
	int i;

	if (v == NULL)
		return dflt;
	for (i = 0; values[i] != NULL; i++)
		if (strcmp(v, values[i]) == 0)
			return i;
	for (i = 0; values[i] != NULL; i++)
		ham_buf_addf(&b, "%s%s", i ? ", " : "", values[i]);
	load_ferr(ld, HAM_E_CONFIG, "invalid value '%s' in attribute '%s' (expected one of: %s)", v,
	     name, ham_buf_str(&b));
	ham_buf_free(&b);
	return dflt;
}

static bool attr_duration(struct loader *ld, const char *name, uint64_t *ret_ms)
{
	const char *v = A(ld, name);

	if (v == NULL)
		return false;
	if (ham_parse_duration_ms(v, ret_ms) < 0) {
		load_ferr(ld, HAM_E_CONFIG, "invalid duration '%s' in attribute '%s'", v, name);
		return false;
	}
	return true;
}

/* Non-negative integer; -1 if absent or invalid (invalid is an error). */
static int64_t attr_int(struct loader *ld, const char *name, int64_t min)
{
	const char *v = A(ld, name);
	int64_t n;

	if (v == NULL)
		return -1;
	if (ham_parse_int64(v, &n) < 0 || n < min) {
		load_ferr(ld, HAM_E_CONFIG, "invalid integer '%s' in attribute '%s'", v, name);
		return -1;
	}
	return n;
}

static void attr_time(struct loader *ld, const char *name, struct ham_cib_time *ret)
{
	const char *v = A(ld, name);

	ret->set = false;
	if (v == NULL)
		return;
	if (ham_cib_time_parse(v, &ret->epoch_s) < 0) {
		load_ferr(ld, HAM_E_CONFIG, "invalid ISO 8601 date/time '%s' in attribute '%s'", v,
		     name);
		return;
	}
	ret->set = true;
}

/* ------------------------------------------------------------------ */
/* Ids                                                                 */
/* ------------------------------------------------------------------ */

/* Registers a configuration id; reports a duplicate. */
static void register_id(struct loader *ld, const char *id, enum et type, void *obj)
{
	struct idinfo *prev, *info;

	if (id == NULL || *id == '\0')
		return;
	prev = qb_map_get(ld->ids, id);
	if (prev != NULL) {
		load_ferr(ld, HAM_E_CONFIG, "duplicate id '%s' (first used by <%s> at line %u)", id,
		     prev->element, prev->line);
		return;
	}
	info = arena_alloc(&ld->cib->arena, sizeof(*info));
	info->type = type;
	info->element = ld->frames[ld->depth].name;
	info->line = ld->frames[ld->depth].line;
	info->obj = obj;
	qb_map_put(ld->ids, id, info);
}

/* ------------------------------------------------------------------ */
/* Element start handlers                                              */
/* ------------------------------------------------------------------ */

static struct frame *parent_frame(struct loader *ld)
{
	return &ld->frames[ld->depth - 1];
}

static void start_cib(struct loader *ld)
{
	struct ham_cib_model *m = &ld->cib->model;
	const char *vw = A(ld, "validate-with");
	const char *names[] = { "admin_epoch", "epoch", "num_updates" };
	uint64_t *fields[] = { &m->version.admin_epoch, &m->version.epoch,
			       &m->version.num_updates };
	size_t i;
	enum ham_cib_tri t;

	for (i = 0; i < 3; i++) {
		const char *v = A(ld, names[i]);
		int64_t n;

		if (v == NULL) {
			load_ferr(ld, HAM_E_SCHEMA, "missing required attribute '%s'", names[i]);
			continue;
		}
		if (ham_parse_int64(v, &n) < 0 || n < 0) {
			load_ferr(ld, HAM_E_CONFIG,
			     "invalid version number %s='%s' (a non-negative integer is required)",
			     names[i], v);
			continue;
		}
		*fields[i] = (uint64_t)n;
	}
	m->validate_with = S(ld, "validate-with");
	if (vw == NULL) {
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'validate-with'");
	} else {
		int major = -1, minor = -1, n = 0;

		if (sscanf(vw, "pacemaker-%d.%d%n", &major, &minor, &n) != 2 || vw[n] != '\0' ||
		    (major != 2 && major != 3) || minor < 0) {
			if (strcmp(vw, "pacemaker-next") != 0)
				load_ferr(ld, HAM_E_UNSUPPORTED,
				     "validate-with='%s' is outside the subset: hamgr reads "
				     "configurations for Pacemaker's pacemaker-2.x and pacemaker-3.x "
				     "schemas",
				     vw);
		}
	}
	/* have-quorum is written as 0/1 or true/false */
	attr_tri(ld, "have-quorum", &t);
	m->have_quorum = t;
	attr_tri(ld, "no-quorum-panic", &t);
	m->no_quorum_panic = t;
	m->dc_uuid = S(ld, "dc-uuid");
	m->crm_feature_set = S(ld, "crm_feature_set");
	{
		/* Pacemaker writes execution-date as seconds since the epoch;
		 * an ISO 8601 date is accepted too. */
		const char *ed = A(ld, "execution-date");
		int64_t s;

		if (ed != NULL && ham_parse_int64(ed, &s) == 0 && s >= 0) {
			m->execution_date.set = true;
			m->execution_date.epoch_s = s;
		} else {
			attr_time(ld, "execution-date", &m->execution_date);
		}
	}
}

static void start_nvset(struct loader *ld, struct frame *f)
{
	struct ham_cib_nvset *s = arena_alloc(&ld->cib->arena, sizeof(*s));

	s->kind = (enum ham_cib_nvset_kind)f->kind;
	s->id = S(ld, "id");
	s->id_ref = S(ld, "id-ref");
	s->line = f->line;
	attr_score(ld, "score", &s->score);
	if (s->id == NULL && s->id_ref == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'id' (or 'id-ref')");
	if (s->id != NULL && s->id_ref != NULL)
		load_ferr(ld, HAM_E_SCHEMA, "'id' and 'id-ref' are mutually exclusive");
	f->obj = s;
	f->id = s->id ? s->id : s->id_ref;
	if (ld->in_config)
		register_id(ld, s->id, ET_NVSET, s);
	if (s->id_ref != NULL)
		vec_push_ptr(&ld->pending_nvsets, s);
	vec_push_ptr(&ld->all_nvsets, s);
}

/* <alert id path>: the select defaults to everything (see start_select). */
static void start_alert(struct loader *ld, struct frame *f)
{
	struct ham_cib_alert *a = arena_alloc(&ld->cib->arena, sizeof(*a));

	a->id = required(ld, "id");
	a->path = S(ld, HAM_XA_PATH);
	a->select = HAM_ALERT_SELECT_ALL;
	a->line = f->line;
	f->id = a->id;
	f->obj = a;
	register_id(ld, a->id, ET_ALERT, NULL);
	if (a->path == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'path'");
}

static void start_recipient(struct loader *ld, struct frame *f)
{
	struct ham_cib_alert_recipient *r = arena_alloc(&ld->cib->arena, sizeof(*r));

	r->id = required(ld, "id");
	r->value = S(ld, HAM_XA_VALUE);
	r->line = f->line;
	f->id = r->id;
	f->obj = r;
	register_id(ld, r->id, ET_RECIPIENT, NULL);
	if (r->value == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'value'");
}

/*
 * <select> replaces "everything" by what its children name; an
 * <attribute name> of <select_attributes> limits attribute alerts to
 * those names. The alert is the frame above <select>.
 */
static void start_select(struct loader *ld, struct frame *f)
{
	struct frame *sel = f;
	struct ham_cib_alert *a;

	while (sel->type != ET_SELECT)
		sel--;
	a = (sel - 1)->obj;
	f->id = S(ld, "id");
	if (a == NULL)
		return;
	switch (f->type) {
	case ET_SELECT:
		a->select = 0;
		break;
	case ET_SELECT_NODES:
		a->select |= HAM_ALERT_SELECT_NODES;
		break;
	case ET_SELECT_FENCING:
		a->select |= HAM_ALERT_SELECT_FENCING;
		break;
	case ET_SELECT_RESOURCES:
		a->select |= HAM_ALERT_SELECT_RESOURCES;
		break;
	case ET_SELECT_ATTRIBUTES:
		a->select |= HAM_ALERT_SELECT_ATTRIBUTES;
		break;
	case ET_SELECT_ATTR: {
		const char *name = required(ld, "name");

		f->id = required(ld, "id");
		register_id(ld, f->id, ET_SELECT_ATTR, NULL);
		if (name != NULL)
			vec_push_ptr(&(sel - 1)->v[3], name);
		break;
	}
	default:
		break;
	}
}

static void start_nvpair(struct loader *ld, struct frame *f)
{
	struct ham_cib_nvpair *p = &f->u.nvpair;
	const char *ref = A(ld, "id-ref");

	p->line = f->line;
	if (ref != NULL) {
		/* Resolved later: remember where the pair lands. */
		struct pending_pair *pp = vec_push(&ld->pending_pairs);

		pp->set = parent_frame(ld)->obj;
		pp->index = parent_frame(ld)->v[0].len;
		pp->ref = arena_strdup(&ld->cib->arena, ref);
		pp->line = f->line;
		p->id = pp->ref;
		p->name = S(ld, "name");
		p->value = S(ld, "value");
		f->id = p->id;
		return;
	}
	p->id = required(ld, "id");
	f->id = p->id;
	p->name = required(ld, "name");
	p->value = S(ld, "value");
	if (ld->in_config)
		register_id(ld, p->id, ET_NVPAIR,
			    arena_memdup(&ld->cib->arena, p, sizeof(*p)));
}

static void start_rule(struct loader *ld, struct frame *f)
{
	struct ham_cib_rule *r = arena_alloc(&ld->cib->arena, sizeof(*r));
	static const char *const bops[] = { "and", "or", NULL };

	r->id = S(ld, "id");
	r->id_ref = S(ld, "id-ref");
	r->line = f->line;
	if (r->id == NULL && r->id_ref == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'id' (or 'id-ref')");
	attr_score(ld, "score", &r->score);
	r->score_attribute = S(ld, "score-attribute");
	if (r->score.set && r->score_attribute != NULL)
		load_ferr(ld, HAM_E_CONFIG, "'score' and 'score-attribute' are mutually exclusive");
	r->boolean_op = (enum ham_cib_bool_op)attr_enum(ld, "boolean-op", bops, 0);
	r->role = attr_role(ld, "role");
	f->obj = r;
	f->id = r->id ? r->id : r->id_ref;
	if (ld->in_config)
		register_id(ld, r->id, ET_RULE, r);
	if (r->id_ref != NULL)
		vec_push_ptr(&ld->pending_rules, r);
}

static void start_expr(struct loader *ld, struct frame *f)
{
	static const char *const ops[] = { "lt", "gt", "lte", "gte", "eq", "ne", "defined",
					   "not_defined", NULL };
	static const char *const types[] = { "", "string", "integer", "number", "version",
					     NULL };
	static const char *const sources[] = { "literal", "param", "meta", NULL };
	struct ham_cib_expr *e = &f->u.expr;
	const char *v;

	e->kind = HAM_CIB_EXPR_ATTR;
	e->id = required(ld, "id");
	e->line = f->line;
	f->id = e->id;
	e->u.attr.attribute = required(ld, "attribute");
	if (A(ld, "operation") == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'operation'");
	e->u.attr.op = (enum ham_cib_attr_op)attr_enum(ld, "operation", ops, HAM_CIB_OP_EQ);
	e->u.attr.value = S(ld, "value");
	e->u.attr.type = (enum ham_cib_attr_type)attr_enum(ld, "type", types, 0);
	e->u.attr.value_source =
		(enum ham_cib_value_source)attr_enum(ld, "value-source", sources, 0);
	if (e->u.attr.op != HAM_CIB_OP_DEFINED && e->u.attr.op != HAM_CIB_OP_NOT_DEFINED &&
	    e->u.attr.value == NULL && A(ld, "operation") != NULL)
		load_ferr(ld, HAM_E_CONFIG, "operation '%s' needs a 'value'", A(ld, "operation"));
	v = e->u.attr.value;
	if (v != NULL && e->u.attr.value_source == HAM_CIB_VALUE_LITERAL &&
	    e->u.attr.type == HAM_CIB_TYPE_VERSION) {
		const char *p = v;
		bool ok = *p != '\0';

		for (; *p; p++)
			if (!((*p >= '0' && *p <= '9') || *p == '.'))
				ok = false;
		if (!ok)
			load_ferr(ld, HAM_E_CONFIG, "invalid version '%s' for type='version'", v);
	}
	if (ld->in_config)
		register_id(ld, e->id, ET_EXPR, NULL);
}

static void start_date_expr(struct loader *ld, struct frame *f)
{
	static const char *const ops[] = { "in_range", "gt", "lt", "date_spec", NULL };
	struct ham_cib_expr *e = &f->u.expr;

	e->kind = HAM_CIB_EXPR_DATE;
	e->id = required(ld, "id");
	e->line = f->line;
	f->id = e->id;
	e->u.date.op = (enum ham_cib_date_op)attr_enum(ld, "operation", ops, 0);
	attr_time(ld, "start", &e->u.date.start);
	attr_time(ld, "end", &e->u.date.end);
	/* remember what was written, so that a bad date is reported once */
	f->kind = (A(ld, "start") != NULL ? 1 : 0) | (A(ld, "end") != NULL ? 2 : 0);
	if (ld->in_config)
		register_id(ld, e->id, ET_DATE_EXPR, NULL);
}

static void start_date_spec(struct loader *ld, struct frame *f)
{
	static const struct {
		const char *name;
		size_t off;
		int64_t lo, hi;
	} fields[] = {
		{ "years", offsetof(struct ham_cib_date_spec, years), 0, 9999 },
		{ "months", offsetof(struct ham_cib_date_spec, months), 1, 12 },
		{ "monthdays", offsetof(struct ham_cib_date_spec, monthdays), 1, 31 },
		{ "hours", offsetof(struct ham_cib_date_spec, hours), 0, 23 },
		{ "minutes", offsetof(struct ham_cib_date_spec, minutes), 0, 59 },
		{ "seconds", offsetof(struct ham_cib_date_spec, seconds), 0, 59 },
		{ "yeardays", offsetof(struct ham_cib_date_spec, yeardays), 1, 366 },
		{ "weekyears", offsetof(struct ham_cib_date_spec, weekyears), 0, 9999 },
		{ "weeks", offsetof(struct ham_cib_date_spec, weeks), 1, 53 },
		{ "weekdays", offsetof(struct ham_cib_date_spec, weekdays), 1, 7 },
	};
	struct ham_cib_date_spec *ds = arena_alloc(&ld->cib->arena, sizeof(*ds));
	size_t i;

	ds->id = S(ld, "id");
	f->id = ds->id;
	if (ds->id == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'id'");
	for (i = 0; i < HAM_ARRAY_SIZE(fields); i++) {
		struct ham_cib_range *r = (struct ham_cib_range *)((char *)ds + fields[i].off);
		const char *v = A(ld, fields[i].name);

		if (cib_parse_date_spec_range(v, r) < 0 ||
		    (r->set && (r->lo < fields[i].lo || r->hi > fields[i].hi))) {
			load_ferr(ld, HAM_E_CONFIG, "invalid range '%s' in attribute '%s' (%lld..%lld)",
			     v, fields[i].name, (long long)fields[i].lo, (long long)fields[i].hi);
			r->set = false;
		}
	}
	if (A(ld, "moon") != NULL)
		load_ferr(ld, HAM_E_UNSUPPORTED, "date_spec 'moon' is outside the subset");
	f->obj = ds;
	if (ld->in_config)
		register_id(ld, ds->id, ET_DATE_SPEC, ds);
}

static void start_duration(struct loader *ld, struct frame *f)
{
	struct frame *p = parent_frame(ld);
	struct ham_cib_duration *d = &p->u.expr.u.date.duration;
	static const char *const names[] = { "years", "months", "weeks", "days",
					     "hours", "minutes", "seconds" };
	int64_t *fields[] = { &d->years, &d->months, &d->weeks, &d->days,
			      &d->hours, &d->minutes, &d->seconds };
	size_t i;

	f->id = S(ld, "id");
	if (ld->in_config)
		register_id(ld, f->id, ET_DURATION, NULL);
	if (d->set)
		load_ferr(ld, HAM_E_SCHEMA, "more than one <duration>");
	d->set = true;
	for (i = 0; i < HAM_ARRAY_SIZE(names); i++) {
		int64_t v = attr_int(ld, names[i], 0);

		*fields[i] = v < 0 ? 0 : v;
	}
}

static void start_rsc_expr(struct loader *ld, struct frame *f)
{
	struct ham_cib_expr *e = &f->u.expr;

	e->kind = HAM_CIB_EXPR_RSC;
	e->id = required(ld, "id");
	e->line = f->line;
	f->id = e->id;
	e->u.rsc.class_ = S(ld, "class");
	e->u.rsc.provider = S(ld, "provider");
	e->u.rsc.type = S(ld, "type");
	if (ld->in_config)
		register_id(ld, e->id, ET_RSC_EXPR, NULL);
}

static void start_op_expr(struct loader *ld, struct frame *f)
{
	struct ham_cib_expr *e = &f->u.expr;

	e->kind = HAM_CIB_EXPR_OP;
	e->id = required(ld, "id");
	e->line = f->line;
	f->id = e->id;
	e->u.op.name = required(ld, "name");
	e->u.op.has_interval = attr_duration(ld, "interval", &e->u.op.interval_ms);
	if (ld->in_config)
		register_id(ld, e->id, ET_OP_EXPR, NULL);
}

static void start_node(struct loader *ld, struct frame *f)
{
	static const char *const types[] = { "member", "remote", "ping", "normal", NULL };
	struct ham_cib_node *n = arena_alloc(&ld->cib->arena, sizeof(*n));
	int t;

	n->id = required(ld, "id");
	f->id = n->id;
	n->uname = required(ld, "uname");
	n->description = S(ld, "description");
	n->line = f->line;
	t = attr_enum(ld, "type", types, 0);
	n->type = t == 3 ? HAM_CIB_NODE_MEMBER : (enum ham_cib_node_type)t;
	f->obj = n;
	/* Node ids are their own namespace (a remote node shares its id with
	 * its connection resource). */
	if (n->id != NULL) {
		const struct ham_cib_node *prev = qb_map_get(ld->cib->nodes, n->id);

		if (prev != NULL)
			load_ferr(ld, HAM_E_CONFIG, "duplicate node id '%s' (also at line %u)", n->id,
			     prev->line);
		else
			qb_map_put(ld->cib->nodes, n->id, n);
	}
	if (n->uname != NULL) {
		const struct ham_cib_node *prev = qb_map_get(ld->cib->unames, n->uname);

		if (prev != NULL)
			load_ferr(ld, HAM_E_CONFIG,
			     "duplicate node name '%s' (also node id '%s' at line %u)", n->uname,
			     prev->id ? prev->id : "?", prev->line);
		else
			qb_map_put(ld->cib->unames, n->uname, n);
	}
	vec_push_ptr(&ld->nodes, n);
}

static const char *const rsc_classes[] = { "ocf", "systemd", "lsb", "service", "stonith", NULL };

static void start_resource(struct loader *ld, struct frame *f, enum ham_cib_rsc_kind kind)
{
	struct ham_cib_resource *r = arena_alloc(&ld->cib->arena, sizeof(*r));

	r->kind = kind;
	r->id = required(ld, "id");
	f->id = r->id;
	r->description = S(ld, "description");
	r->line = f->line;
	f->obj = r;
	if (r->id != NULL && strchr(r->id, ':') != NULL)
		load_ferr(ld, HAM_E_CONFIG, "resource id '%s' must not contain ':'", r->id);
	if (kind == HAM_CIB_RSC_PRIMITIVE || kind == HAM_CIB_RSC_TEMPLATE) {
		const char *tmpl = kind == HAM_CIB_RSC_PRIMITIVE ? A(ld, "template") : NULL;

		r->class_ = I(ld, "class");
		r->provider = I(ld, "provider");
		r->type = I(ld, "type");
		if (tmpl != NULL) {
			struct pending_tmpl *pt = vec_push(&ld->pending_tmpls);

			pt->rsc = r;
			pt->ref = arena_strdup(&ld->cib->arena, tmpl);
		} else {
			if (r->class_ == NULL)
				load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'class'");
			if (r->type == NULL)
				load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'type'");
		}
		if (r->class_ != NULL) {
			int c = -1, i;

			for (i = 0; rsc_classes[i] != NULL; i++)
				if (strcmp(rsc_classes[i], r->class_) == 0)
					c = i;

			if (c == 0 && r->provider == NULL)
				load_ferr(ld, HAM_E_CONFIG, "class 'ocf' needs a 'provider'");
			if (c > 0 && r->provider != NULL)
				load_ferr(ld, HAM_E_CONFIG, "'provider' is only allowed with class 'ocf'");
		}
	}
	if (kind == HAM_CIB_RSC_CLONE && f->kind == 1) {
		r->promotable = true;
		r->legacy_master = true;
	}
	if (kind == HAM_CIB_RSC_TEMPLATE) {
		register_id(ld, r->id, ET_TEMPLATE, r);
		if (r->id != NULL)
			qb_map_put(ld->cib->templates, r->id, r);
		vec_push_ptr(&ld->templates, r);
		return;
	}
	register_id(ld, r->id, ET_PRIMITIVE, r);
	if (r->id != NULL && qb_map_get(ld->cib->resources, r->id) == NULL)
		qb_map_put(ld->cib->resources, r->id, r);
	vec_push_ptr(&ld->all_resources, r);
	if (parent_frame(ld)->type == ET_RESOURCES)
		vec_push_ptr(&ld->resources, r);
}

static void start_operations(struct loader *ld, struct frame *f)
{
	struct frame *p = parent_frame(ld);
	const char *ref = A(ld, "id-ref");

	f->id = S(ld, "id");
	if (f->id != NULL && ref != NULL)
		load_ferr(ld, HAM_E_SCHEMA, "'id' and 'id-ref' are mutually exclusive");
	register_id(ld, f->id, ET_OPERATIONS, NULL);
	if (p->seen_operations)
		load_ferr(ld, HAM_E_SCHEMA, "more than one <operations>");
	p->seen_operations = true;
	if (ref != NULL) {
		struct pending_ops *po = vec_push(&ld->pending_ops);

		po->rsc = p->obj;
		po->ref = arena_strdup(&ld->cib->arena, ref);
		po->line = f->line;
	}
}

static void start_op(struct loader *ld, struct frame *f)
{
	static const char *const on_fail[] = { "ignore", "block", "stop", "restart", "standby",
					       "fence", "restart-container", "demote",
					       "reset-container", NULL };
	struct ham_cib_op *o = &f->u.op;
	const char *v;

	o->id = required(ld, "id");
	f->id = o->id;
	o->name = I(ld, "name");
	if (o->name == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'name'");
	o->line = f->line;
	register_id(ld, o->id, ET_OP, NULL);
	if (A(ld, "interval") == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'interval'");
	else
		attr_duration(ld, "interval", &o->interval_ms);
	o->has_timeout = attr_duration(ld, "timeout", &o->timeout_ms);
	o->has_start_delay = attr_duration(ld, "start-delay", &o->start_delay_ms);
	o->role = attr_role(ld, "role");
	o->on_fail = S(ld, "on-fail");
	attr_enum(ld, "on-fail", on_fail, 0);
	attr_tri(ld, "enabled", &o->enabled);
	attr_tri(ld, "record-pending", &o->record_pending);
	o->description = S(ld, "description");
	v = A(ld, "interval-origin");
	if (v != NULL) {
		int64_t t;

		if (ham_cib_time_parse(v, &t) < 0)
			load_ferr(ld, HAM_E_CONFIG, "invalid ISO 8601 date/time '%s' in attribute "
			     "'interval-origin'", v);
		o->interval_origin = S(ld, "interval-origin");
	}
	if (o->interval_ms > 0 && o->name != NULL &&
	    (strcmp(o->name, "start") == 0 || strcmp(o->name, "stop") == 0 ||
	     strcmp(o->name, "promote") == 0 || strcmp(o->name, "demote") == 0))
		load_ferr(ld, HAM_E_CONFIG, "operation '%s' cannot be recurring (interval %s)", o->name,
		     A(ld, "interval"));
}

static void start_rsc_set(struct loader *ld, struct frame *f)
{
	static const char *const kinds[] = { "", "Mandatory", "Optional", "Serialize", NULL };
	static const char *const orderings[] = { "group", "listed", NULL };
	struct ham_cib_rsc_set *s = &f->u.set;

	s->id = S(ld, "id");
	if (s->id == NULL && A(ld, "id-ref") != NULL)
		load_ferr(ld, HAM_E_UNSUPPORTED, "resource_set with id-ref is outside the subset");
	else if (s->id == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'id'");
	f->id = s->id;
	s->line = f->line;
	register_id(ld, s->id, ET_RSC_SET, NULL);
	attr_tri(ld, "sequential", &s->sequential);
	attr_tri(ld, "require-all", &s->require_all);
	attr_tri(ld, "ordered", &s->ordered);
	s->action = attr_action(ld, "action");
	s->role = attr_role(ld, "role");
	attr_score(ld, "score", &s->score);
	s->kind = (enum ham_cib_order_kind)attr_enum(ld, "kind", kinds, 0);
	attr_enum(ld, "ordering", orderings, 0);
}

static void start_location(struct loader *ld, struct frame *f)
{
	static const char *const disc[] = { "always", "never", "exclusive", NULL };
	struct ham_cib_location *c = arena_alloc(&ld->cib->arena, sizeof(*c));
	const char *pat;

	c->id = required(ld, "id");
	f->id = c->id;
	c->line = f->line;
	register_id(ld, c->id, ET_LOCATION, c);
	c->rsc.id = S(ld, "rsc");
	c->rsc_pattern = S(ld, "rsc-pattern");
	pat = c->rsc_pattern;
	if (pat != NULL) {
		regex_t re;
		int r = regcomp(&re, pat, REG_EXTENDED | REG_NOSUB);

		if (r != 0)
			load_ferr(ld, HAM_E_CONFIG, "invalid regular expression '%s' in 'rsc-pattern'",
			     pat);
		else
			regfree(&re);
	}
	if (c->rsc.id != NULL && pat != NULL)
		load_ferr(ld, HAM_E_CONFIG, "'rsc' and 'rsc-pattern' are mutually exclusive");
	c->role = attr_role(ld, "role");
	attr_score(ld, "score", &c->score);
	c->node = S(ld, "node");
	c->discovery = (enum ham_cib_discovery)attr_enum(ld, "resource-discovery", disc, 0);
	if (c->node != NULL && !c->score.set && A(ld, "score") == NULL)
		load_ferr(ld, HAM_E_CONFIG, "'node' needs a 'score'");
	if (c->score.set && c->node == NULL)
		load_ferr(ld, HAM_E_CONFIG, "'score' needs a 'node' (use rules otherwise)");
	f->obj = c;
	vec_push_ptr(&ld->locations, c);
}

static void start_colocation(struct loader *ld, struct frame *f)
{
	struct ham_cib_colocation *c = arena_alloc(&ld->cib->arena, sizeof(*c));

	c->id = required(ld, "id");
	f->id = c->id;
	c->line = f->line;
	register_id(ld, c->id, ET_COLOCATION, c);
	c->rsc.id = S(ld, "rsc");
	c->with_rsc.id = S(ld, "with-rsc");
	c->rsc_role = attr_role(ld, "rsc-role");
	c->with_rsc_role = attr_role(ld, "with-rsc-role");
	if (A(ld, "score") == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'score'");
	attr_score(ld, "score", &c->score);
	c->node_attribute = S(ld, "node-attribute");
	attr_tri(ld, "influence", &c->influence);
	f->obj = c;
	vec_push_ptr(&ld->colocations, c);
}

static void start_order(struct loader *ld, struct frame *f)
{
	static const char *const kinds[] = { "", "Mandatory", "Optional", "Serialize", NULL };
	struct ham_cib_order *c = arena_alloc(&ld->cib->arena, sizeof(*c));

	c->id = required(ld, "id");
	f->id = c->id;
	c->line = f->line;
	register_id(ld, c->id, ET_ORDER, c);
	c->first.id = S(ld, "first");
	c->then.id = S(ld, "then");
	c->first_action = attr_action(ld, "first-action");
	c->then_action = attr_action(ld, "then-action");
	c->kind = (enum ham_cib_order_kind)attr_enum(ld, "kind", kinds, 0);
	attr_score(ld, "score", &c->score);
	attr_tri(ld, "symmetrical", &c->symmetrical);
	attr_tri(ld, "require-all", &c->require_all);
	if (c->kind == HAM_CIB_KIND_SERIALIZE && c->symmetrical == HAM_CIB_TRUE)
		fwarn(ld, "symmetrical='true' has no effect with kind='Serialize'");
	f->obj = c;
	vec_push_ptr(&ld->orders, c);
}

static void start_ticket(struct loader *ld, struct frame *f)
{
	static const char *const loss[] = { "stop", "demote", "fence", "freeze", NULL };
	struct ham_cib_ticket_constraint *c = arena_alloc(&ld->cib->arena, sizeof(*c));

	c->id = required(ld, "id");
	f->id = c->id;
	c->line = f->line;
	register_id(ld, c->id, ET_TICKET, c);
	c->ticket = required(ld, "ticket");
	c->rsc.id = S(ld, "rsc");
	c->rsc_role = attr_role(ld, "rsc-role");
	c->loss_policy = (enum ham_cib_loss_policy)attr_enum(ld, "loss-policy", loss, 0);
	f->obj = c;
	vec_push_ptr(&ld->tickets, c);
}

static void start_tag(struct loader *ld, struct frame *f)
{
	struct ham_cib_tag *t = arena_alloc(&ld->cib->arena, sizeof(*t));

	t->id = required(ld, "id");
	f->id = t->id;
	t->line = f->line;
	register_id(ld, t->id, ET_TAG, t);
	if (t->id != NULL)
		qb_map_put(ld->cib->tags, t->id, t);
	f->obj = t;
	vec_push_ptr(&ld->tags, t);
}

static void start_fencing_level(struct loader *ld, struct frame *f)
{
	struct ham_cib_fencing_level *l = arena_alloc(&ld->cib->arena, sizeof(*l));
	const char *devs;
	int64_t idx;
	int n_targets;
	struct vec v;

	l->id = required(ld, "id");
	f->id = l->id;
	l->line = f->line;
	register_id(ld, l->id, ET_FENCING_LEVEL, l);
	idx = attr_int(ld, "index", 1);
	if (A(ld, "index") == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'index'");
	else if (idx > 9)
		load_ferr(ld, HAM_E_CONFIG, "fencing level index %lld is out of range 1..9",
		     (long long)idx);
	l->index = idx > 0 ? (unsigned)idx : 0;
	l->target = S(ld, "target");
	l->target_pattern = S(ld, "target-pattern");
	l->target_attribute = S(ld, "target-attribute");
	l->target_value = S(ld, "target-value");
	n_targets = (l->target != NULL) + (l->target_pattern != NULL) +
		    (l->target_attribute != NULL);
	if (n_targets != 1)
		load_ferr(ld, HAM_E_CONFIG,
		     "exactly one of 'target', 'target-pattern' or 'target-attribute' is needed");
	if (l->target_attribute != NULL && l->target_value == NULL)
		load_ferr(ld, HAM_E_CONFIG, "'target-attribute' needs 'target-value'");
	devs = required(ld, "devices");
	vec_init(&v, sizeof(char *));
	while (devs != NULL && *devs) {
		const char *comma = strchr(devs, ',');
		size_t n = comma ? (size_t)(comma - devs) : strlen(devs);

		if (n == 0)
			load_ferr(ld, HAM_E_CONFIG, "empty device name in 'devices'");
		else
			vec_push_ptr(&v, arena_strndup(&ld->cib->arena, devs, n));
		devs += n;
		if (*devs == ',')
			devs++;
	}
	l->n_devices = v.len;
	l->devices = vec_to_arena(&v, &ld->cib->arena);
	vec_free(&v);
	vec_push_ptr(&ld->fencing_levels, l);
}

static void start_node_state(struct loader *ld, struct frame *f)
{
	struct ham_cib_node_state *n = arena_alloc(&ld->cib->arena, sizeof(*n));
	int64_t t;

	n->id = S(ld, "id");
	n->line = f->line;
	n->uname = S(ld, "uname");
	f->id = n->id ? n->id : n->uname;
	if (n->id == NULL && n->uname == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'id' (or 'uname')");
	n->in_ccm = I(ld, "in_ccm");
	n->crmd = I(ld, "crmd");
	n->join = I(ld, "join");
	n->expected = I(ld, "expected");
	n->shutdown = I(ld, "shutdown");
	n->crm_debug_origin = I(ld, "crm-debug-origin");
	n->remote_node = I(ld, "remote_node");
	n->node_fenced = I(ld, "node_fenced");
	if (n->in_ccm != NULL) {
		bool b;

		if (ham_parse_bool(n->in_ccm, &b) == 0)
			n->in_ccm_yes = b;
		else if (ham_parse_int64(n->in_ccm, &t) == 0 && t >= 0)
			n->in_ccm_yes = t > 0, n->in_ccm_since_s = t;
		else
			load_ferr(ld, HAM_E_CONFIG, "invalid in_ccm '%s' (true, false or a timestamp)",
			     n->in_ccm);
	}
	if (n->crmd != NULL) {
		if (strcmp(n->crmd, "online") == 0)
			n->crmd_online = true;
		else if (strcmp(n->crmd, "offline") == 0)
			n->crmd_online = false;
		else if (ham_parse_int64(n->crmd, &t) == 0 && t >= 0)
			n->crmd_online = t > 0, n->crmd_since_s = t;
		else
			load_ferr(ld, HAM_E_CONFIG,
			     "invalid crmd '%s' (online, offline or a timestamp)", n->crmd);
	}
	if (n->shutdown != NULL) {
		if (ham_parse_int64(n->shutdown, &t) == 0 && t >= 0)
			n->shutdown_s = t;
		else
			load_ferr(ld, HAM_E_CONFIG, "invalid shutdown '%s' (a timestamp or 0)",
			     n->shutdown);
	}
	if (n->join != NULL) {
		static const char *const joins[] = { "down", "pending", "member", "banned", NULL };

		attr_enum(ld, "join", joins, 0);
	}
	if (n->id != NULL) {
		const struct ham_cib_node_state *prev = qb_map_get(ld->cib->node_states, n->id);

		if (prev != NULL)
			load_ferr(ld, HAM_E_CONFIG, "duplicate node_state id '%s' (also at line %u)",
			     n->id, prev->line);
		else
			qb_map_put(ld->cib->node_states, n->id, n);
	}
	f->obj = n;
	vec_push_ptr(&ld->node_states, n);
}

static void start_lrm_resource(struct loader *ld, struct frame *f)
{
	struct ham_cib_lrm_resource *r = &f->u.lrm_rsc;

	r->id = required(ld, "id");
	f->id = r->id;
	r->line = f->line;
	r->class_ = I(ld, "class");
	r->provider = I(ld, "provider");
	r->type = I(ld, "type");
	r->container = S(ld, "container");
	r->shutdown_lock = attr_int(ld, "shutdown-lock", 0);
}

static void start_lrm_rsc_op(struct loader *ld, struct frame *f)
{
	struct ham_cib_lrm_op *o = &f->u.lrm_op;
	int64_t v;

	o->id = S(ld, "id");
	f->id = o->id;
	if (o->id == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'id'");
	o->line = f->line;
	o->operation = I(ld, "operation");
	if (o->operation == NULL)
		load_ferr(ld, HAM_E_SCHEMA, "missing required attribute 'operation'");
	o->operation_key = S(ld, "operation_key");
	o->call_id = attr_int(ld, "call-id", -1);
	v = attr_int(ld, "rc-code", -1);
	o->rc_code = v > 255 ? -1 : (int)v;
	o->has_rc_code = A(ld, "rc-code") != NULL;
	v = attr_int(ld, "op-status", -1);
	o->op_status = v > 255 ? -1 : (int)v;
	o->has_op_status = A(ld, "op-status") != NULL; /* -1 is "pending" */
	/* In the history the interval is a number of milliseconds (the
	 * configuration's "10s" is recorded as "10000"). */
	v = attr_int(ld, "interval", 0);
	o->interval_ms = v > 0 ? (uint64_t)v : 0;
	o->last_rc_change = attr_int(ld, "last-rc-change", 0);
	if (o->last_rc_change < 0)
		o->last_rc_change = attr_int(ld, "last_rc_change", 0);
	o->last_run = attr_int(ld, "last-run", 0);
	if (o->last_run < 0)
		o->last_run = attr_int(ld, "last_run", 0);
	o->exec_time = attr_int(ld, "exec-time", 0);
	if (o->exec_time < 0)
		o->exec_time = attr_int(ld, "exec_time", 0);
	o->queue_time = attr_int(ld, "queue-time", 0);
	if (o->queue_time < 0)
		o->queue_time = attr_int(ld, "queue_time", 0);
	o->transition_key = S(ld, "transition-key");
	o->transition_magic = S(ld, "transition-magic");
	o->on_node = I(ld, "on_node");
	o->op_digest = I(ld, "op-digest");
	o->op_restart_digest = I(ld, "op-restart-digest");
	o->op_force_restart = I(ld, "op-force-restart");
	o->op_secure_params = I(ld, "op-secure-params");
	o->op_secure_digest = I(ld, "op-secure-digest");
	o->migrate_source = I(ld, "migrate_source");
	o->migrate_target = I(ld, "migrate_target");
	o->exit_reason = S(ld, "exit-reason");
	o->crm_feature_set = I(ld, "crm_feature_set");
	o->crm_debug_origin = I(ld, "crm-debug-origin");
}

static void start_ticket_state(struct loader *ld, struct frame *f)
{
	struct ham_cib_ticket_state *t = arena_alloc(&ld->cib->arena, sizeof(*t));

	t->id = required(ld, "id");
	f->id = t->id;
	t->line = f->line;
	attr_tri(ld, "granted", &t->granted);
	attr_tri(ld, "standby", &t->standby);
	t->last_granted = attr_int(ld, "last-granted", 0);
	if (t->id != NULL) {
		if (qb_map_get(ld->cib->ticket_states, t->id) != NULL)
			load_ferr(ld, HAM_E_CONFIG, "duplicate ticket_state id '%s'", t->id);
		else
			qb_map_put(ld->cib->ticket_states, t->id, t);
	}
	f->obj = t;
	vec_push_ptr(&ld->ticket_states, t);
}

void load_start_element(struct loader *ld, struct frame *f)
{
	struct frame *p = parent_frame(ld);

	switch (f->type) {
	case ET_CIB:
		start_cib(ld);
		break;
	case ET_CONFIGURATION:
		if (ld->seen_configuration)
			load_ferr(ld, HAM_E_SCHEMA, "more than one <configuration>");
		ld->seen_configuration = true;
		ld->in_config = true;
		break;
	case ET_STATUS:
		ld->cib->model.has_status = true;
		break;
	case ET_CRM_CONFIG:
	case ET_NODES:
	case ET_RESOURCES:
	case ET_CONSTRAINTS:
		if (ld->seen_sections & (1u << f->type))
			load_ferr(ld, HAM_E_SCHEMA, "more than one <%s>", f->name);
		ld->seen_sections |= 1u << f->type;
		break;
	case ET_NVSET:
		start_nvset(ld, f);
		break;
	case ET_NVPAIR:
		start_nvpair(ld, f);
		break;
	case ET_RULE:
		start_rule(ld, f);
		break;
	case ET_EXPR:
		start_expr(ld, f);
		break;
	case ET_DATE_EXPR:
		start_date_expr(ld, f);
		break;
	case ET_DATE_SPEC:
		start_date_spec(ld, f);
		break;
	case ET_DURATION:
		start_duration(ld, f);
		break;
	case ET_RSC_EXPR:
		start_rsc_expr(ld, f);
		break;
	case ET_OP_EXPR:
		start_op_expr(ld, f);
		break;
	case ET_NODE:
		start_node(ld, f);
		break;
	case ET_PRIMITIVE:
		start_resource(ld, f, HAM_CIB_RSC_PRIMITIVE);
		break;
	case ET_TEMPLATE:
		start_resource(ld, f, HAM_CIB_RSC_TEMPLATE);
		break;
	case ET_GROUP:
		start_resource(ld, f, HAM_CIB_RSC_GROUP);
		break;
	case ET_CLONE:
		start_resource(ld, f, HAM_CIB_RSC_CLONE);
		break;
	case ET_OPERATIONS:
		start_operations(ld, f);
		break;
	case ET_OP:
		start_op(ld, f);
		break;
	case ET_LOCATION:
		start_location(ld, f);
		break;
	case ET_COLOCATION:
		start_colocation(ld, f);
		break;
	case ET_ORDER:
		start_order(ld, f);
		break;
	case ET_TICKET:
		start_ticket(ld, f);
		break;
	case ET_RSC_SET:
		start_rsc_set(ld, f);
		break;
	case ET_RSC_REF:
		{
			struct ham_cib_ref *ref = vec_push(&p->v[0]);

			ref->id = required(ld, "id");
		}
		break;
	case ET_TAG:
		start_tag(ld, f);
		break;
	case ET_OBJ_REF:
		{
			const char *id = required(ld, "id");

			if (id != NULL)
				vec_push_ptr(&p->v[0], id);
		}
		break;
	case ET_FENCING_LEVEL:
		start_fencing_level(ld, f);
		break;
	case ET_ALERT:
		start_alert(ld, f);
		break;
	case ET_RECIPIENT:
		start_recipient(ld, f);
		break;
	case ET_SELECT:
	case ET_SELECT_NODES:
	case ET_SELECT_FENCING:
	case ET_SELECT_RESOURCES:
	case ET_SELECT_ATTRIBUTES:
	case ET_SELECT_ATTR:
		start_select(ld, f);
		break;
	case ET_ALERTS:
		break;
	case ET_NODE_STATE:
		start_node_state(ld, f);
		break;
	case ET_TRANSIENT:
	case ET_LRM:
		f->id = S(ld, "id");
		break;
	case ET_LRM_RESOURCE:
		start_lrm_resource(ld, f);
		break;
	case ET_LRM_RSC_OP:
		start_lrm_rsc_op(ld, f);
		break;
	case ET_TICKET_STATE:
		start_ticket_state(ld, f);
		break;
	default:
		/* Containers without attributes of their own. */
		f->id = S(ld, "id");
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Element end handlers: attach to the parent                          */
/* ------------------------------------------------------------------ */

#define FINISH(vecp, type, field, nfield)                                        \
	do {                                                                     \
		(nfield) = (vecp)->len;                                          \
		(field) = (type)vec_to_arena((vecp), &ld->cib->arena);           \
	} while (0)

static void attach_nvset(struct loader *ld, struct frame *p, struct ham_cib_nvset *s)
{
	switch (p->type) {
	case ET_CRM_CONFIG:
		vec_push_ptr(&ld->crm_config, s);
		break;
	case ET_RSC_DEFAULTS:
		vec_push_ptr(&ld->rsc_defaults, s);
		break;
	case ET_OP_DEFAULTS:
		vec_push_ptr(&ld->op_defaults, s);
		break;
	case ET_NODE:
	case ET_PRIMITIVE:
	case ET_TEMPLATE:
	case ET_GROUP:
	case ET_CLONE:
	case ET_OP:
	case ET_TRANSIENT:
		/* v[1] instance, v[2] meta, v[3] utilization */
		vec_push_ptr(&p->v[s->kind == HAM_CIB_NVSET_INSTANCE ? 1
				     : s->kind == HAM_CIB_NVSET_META ? 2 : 3], s);
		break;
	case ET_ALERT:
	case ET_RECIPIENT:
		vec_push_ptr(&p->v[s->kind == HAM_CIB_NVSET_INSTANCE ? 1 : 2], s);
		break;
	default:
		break;
	}
}

void load_end_element(struct loader *ld, struct frame *f)
{
	struct frame *p = parent_frame(ld);

	switch (f->type) {
	case ET_CONFIGURATION: {
		static const enum et required_sections[] = { ET_CRM_CONFIG, ET_NODES, ET_RESOURCES,
							     ET_CONSTRAINTS };
		size_t i;

		ld->in_config = false;
		for (i = 0; i < HAM_ARRAY_SIZE(required_sections); i++)
			if (!(ld->seen_sections & (1u << required_sections[i])))
				load_ferr(ld, HAM_E_SCHEMA, "<configuration> has no <%s>",
					  load_ename(required_sections[i]));
		break;
	}
	case ET_CIB:
		if (!ld->seen_configuration)
			load_ferr(ld, HAM_E_SCHEMA, "<cib> has no <configuration>");
		break;
	case ET_NVSET: {
		struct ham_cib_nvset *s = f->obj;

		FINISH(&f->v[0], const struct ham_cib_nvpair *, s->pairs, s->n_pairs);
		FINISH(&f->v[4], const struct ham_cib_rule *const *, s->rules, s->n_rules);
		if (s->id_ref != NULL && (s->n_pairs > 0 || s->n_rules > 0))
			load_ferr(ld, HAM_E_SCHEMA, "a set with 'id-ref' cannot have content");
		attach_nvset(ld, p, s);
		break;
	}
	case ET_NVPAIR:
		*(struct ham_cib_nvpair *)vec_push(&p->v[0]) = f->u.nvpair;
		break;
	case ET_ALERT: {
		struct ham_cib_alert *a = f->obj;

		FINISH(&f->v[0], const struct ham_cib_alert_recipient *, a->recipients,
		       a->n_recipients);
		FINISH(&f->v[1], const struct ham_cib_nvset *const *, a->instance, a->n_instance);
		FINISH(&f->v[2], const struct ham_cib_nvset *const *, a->meta, a->n_meta);
		FINISH(&f->v[3], const char *const *, a->select_attrs, a->n_select_attrs);
		vec_push_ptr(&ld->alerts, a);
		break;
	}
	case ET_RECIPIENT: {
		struct ham_cib_alert_recipient *r = f->obj;

		FINISH(&f->v[1], const struct ham_cib_nvset *const *, r->instance, r->n_instance);
		FINISH(&f->v[2], const struct ham_cib_nvset *const *, r->meta, r->n_meta);
		*(struct ham_cib_alert_recipient *)vec_push(&p->v[0]) = *r;
		break;
	}
	case ET_RULE: {
		struct ham_cib_rule *r = f->obj;

		FINISH(&f->v[0], const struct ham_cib_expr *, r->exprs, r->n_exprs);
		if (r->id_ref != NULL && r->n_exprs > 0)
			load_ferr(ld, HAM_E_SCHEMA, "a rule with 'id-ref' cannot have content");
		if (p->type == ET_RULE) {
			struct ham_cib_expr *e = vec_push(&p->v[0]);

			e->kind = HAM_CIB_EXPR_RULE;
			e->id = r->id ? r->id : r->id_ref;
			e->line = r->line;
			e->u.rule = r;
		} else {
			vec_push_ptr(&p->v[4], r); /* nvset or rsc_location */
		}
		break;
	}
	case ET_EXPR:
	case ET_RSC_EXPR:
	case ET_OP_EXPR:
		*(struct ham_cib_expr *)vec_push(&p->v[0]) = f->u.expr;
		break;
	case ET_DATE_EXPR: {
		struct ham_cib_expr *e = &f->u.expr;

		e->u.date.spec = f->child_obj;
		/* A date that was written but invalid is already an error (and
		 * the model is discarded): don't also call it missing. */
		if (f->kind & 1)
			e->u.date.start.set = true;
		if (f->kind & 2)
			e->u.date.end.set = true;
		switch (e->u.date.op) {
		case HAM_CIB_DATE_IN_RANGE:
			if (!e->u.date.start.set && !e->u.date.end.set)
				load_ferr(ld, HAM_E_CONFIG, "in_range needs 'start' or 'end'");
			if (e->u.date.duration.set && e->u.date.end.set)
				load_ferr(ld, HAM_E_CONFIG, "'end' and <duration> are mutually exclusive");
			if (e->u.date.duration.set && !e->u.date.start.set)
				load_ferr(ld, HAM_E_CONFIG, "<duration> needs 'start'");
			break;
		case HAM_CIB_DATE_GT:
			if (!e->u.date.start.set)
				load_ferr(ld, HAM_E_CONFIG, "operation 'gt' needs 'start'");
			break;
		case HAM_CIB_DATE_LT:
			if (!e->u.date.end.set)
				load_ferr(ld, HAM_E_CONFIG, "operation 'lt' needs 'end'");
			break;
		case HAM_CIB_DATE_SPEC:
			if (e->u.date.spec == NULL)
				load_ferr(ld, HAM_E_CONFIG, "operation 'date_spec' needs a <date_spec>");
			break;
		}
		*(struct ham_cib_expr *)vec_push(&p->v[0]) = *e;
		break;
	}
	case ET_DATE_SPEC:
		if (p->child_obj != NULL)
			load_ferr(ld, HAM_E_SCHEMA, "more than one <date_spec>");
		p->child_obj = f->obj;
		break;
	case ET_NODE: {
		struct ham_cib_node *n = f->obj;

		FINISH(&f->v[1], const struct ham_cib_nvset *const *, n->instance_attributes,
		       n->n_instance_attributes);
		FINISH(&f->v[3], const struct ham_cib_nvset *const *, n->utilization,
		       n->n_utilization);
		break;
	}
	case ET_PRIMITIVE:
	case ET_TEMPLATE:
	case ET_GROUP:
	case ET_CLONE: {
		struct ham_cib_resource *r = f->obj;
		size_t i;

		FINISH(&f->v[1], const struct ham_cib_nvset *const *, r->instance_attributes,
		       r->n_instance_attributes);
		FINISH(&f->v[2], const struct ham_cib_nvset *const *, r->meta_attributes,
		       r->n_meta_attributes);
		FINISH(&f->v[3], const struct ham_cib_nvset *const *, r->utilization,
		       r->n_utilization);
		FINISH(&f->v[0], const struct ham_cib_resource *const *, r->children,
		       r->n_children);
		FINISH(&f->v[5], const struct ham_cib_op *, r->ops, r->n_ops);
		for (i = 0; i < r->n_children; i++)
			((struct ham_cib_resource *)r->children[i])->parent = r;
		if (f->type == ET_GROUP && r->n_children == 0)
			load_ferr(ld, HAM_E_SCHEMA, "a group needs at least one primitive");
		if (f->type == ET_CLONE && r->n_children != 1)
			load_ferr(ld, HAM_E_SCHEMA, "a clone needs exactly one primitive or group (has %zu)",
			     r->n_children);
		if (f->type == ET_CLONE && !r->promotable) {
			const char *v = ham_cib_nvsets_get(r->meta_attributes,
							   r->n_meta_attributes, "promotable");
			bool b;

			if (v != NULL && ham_parse_bool(v, &b) == 0)
				r->promotable = b;
		}
		if (p->type == ET_GROUP || p->type == ET_CLONE)
			vec_push_ptr(&p->v[0], r);
		break;
	}
	case ET_OPERATIONS:
		/* ops collected in this frame's v[0]; hand them to the resource */
		if (f->id != NULL) {
			struct opset *os = arena_alloc(&ld->cib->arena, sizeof(*os));

			os->n = f->v[0].len;
			os->ops = arena_memdup(&ld->cib->arena, f->v[0].data,
					       f->v[0].len * f->v[0].esz);
			qb_map_put(ld->opsets, f->id, os);
		}
		{
			size_t i;

			for (i = 0; i < f->v[0].len; i++)
				*(struct ham_cib_op *)vec_push(&p->v[5]) =
					((struct ham_cib_op *)f->v[0].data)[i];
			vec_clear(&f->v[0]);
		}
		break;
	case ET_OP: {
		struct ham_cib_op *o = &f->u.op;

		FINISH(&f->v[1], const struct ham_cib_nvset *const *, o->instance_attributes,
		       o->n_instance_attributes);
		FINISH(&f->v[2], const struct ham_cib_nvset *const *, o->meta_attributes,
		       o->n_meta_attributes);
		*(struct ham_cib_op *)vec_push(&p->v[0]) = *o;
		break;
	}
	case ET_LOCATION: {
		struct ham_cib_location *c = f->obj;

		FINISH(&f->v[4], const struct ham_cib_rule *const *, c->rules, c->n_rules);
		FINISH(&f->v[0], const struct ham_cib_rsc_set *, c->sets, c->n_sets);
		if (c->rsc.id == NULL && c->rsc_pattern == NULL && c->n_sets == 0)
			load_ferr(ld, HAM_E_CONFIG, "needs 'rsc', 'rsc-pattern' or a resource_set");
		if (c->n_sets > 0 && (c->rsc.id != NULL || c->rsc_pattern != NULL))
			load_ferr(ld, HAM_E_CONFIG, "resource sets cannot be combined with 'rsc'");
		if (c->node == NULL && c->n_rules == 0)
			load_ferr(ld, HAM_E_CONFIG, "needs 'node' and 'score', or rules");
		if (c->node != NULL && c->n_rules > 0)
			load_ferr(ld, HAM_E_CONFIG, "'node' cannot be combined with rules");
		break;
	}
	case ET_COLOCATION: {
		struct ham_cib_colocation *c = f->obj;

		FINISH(&f->v[0], const struct ham_cib_rsc_set *, c->sets, c->n_sets);
		if (c->n_sets == 0 && (c->rsc.id == NULL || c->with_rsc.id == NULL))
			load_ferr(ld, HAM_E_CONFIG, "needs 'rsc' and 'with-rsc', or resource sets");
		if (c->n_sets > 0 && (c->rsc.id != NULL || c->with_rsc.id != NULL))
			load_ferr(ld, HAM_E_CONFIG, "resource sets cannot be combined with 'rsc'");
		break;
	}
	case ET_ORDER: {
		struct ham_cib_order *c = f->obj;

		FINISH(&f->v[0], const struct ham_cib_rsc_set *, c->sets, c->n_sets);
		if (c->n_sets == 0 && (c->first.id == NULL || c->then.id == NULL))
			load_ferr(ld, HAM_E_CONFIG, "needs 'first' and 'then', or resource sets");
		if (c->n_sets > 0 && (c->first.id != NULL || c->then.id != NULL))
			load_ferr(ld, HAM_E_CONFIG, "resource sets cannot be combined with 'first'");
		break;
	}
	case ET_TICKET: {
		struct ham_cib_ticket_constraint *c = f->obj;

		FINISH(&f->v[0], const struct ham_cib_rsc_set *, c->sets, c->n_sets);
		if (c->n_sets == 0 && c->rsc.id == NULL)
			load_ferr(ld, HAM_E_CONFIG, "needs 'rsc' or resource sets");
		break;
	}
	case ET_RSC_SET: {
		struct ham_cib_rsc_set *s = &f->u.set;

		FINISH(&f->v[0], const struct ham_cib_ref *, s->refs, s->n_refs);
		if (s->n_refs == 0)
			load_ferr(ld, HAM_E_SCHEMA, "a resource_set needs at least one resource_ref");
		*(struct ham_cib_rsc_set *)vec_push(&p->v[0]) = *s;
		break;
	}
	case ET_TAG: {
		struct ham_cib_tag *t = f->obj;

		FINISH(&f->v[0], const char *const *, t->refs, t->n_refs);
		if (t->n_refs == 0)
			load_ferr(ld, HAM_E_SCHEMA, "a tag needs at least one obj_ref");
		break;
	}
	case ET_NODE_STATE: {
		struct ham_cib_node_state *n = f->obj;

		FINISH(&f->v[1], const struct ham_cib_nvset *const *, n->transient_attributes,
		       n->n_transient_attributes);
		FINISH(&f->v[0], const struct ham_cib_lrm_resource *, n->lrm_resources,
		       n->n_lrm_resources);
		break;
	}
	case ET_TRANSIENT: {
		size_t i;
		struct frame *ns = p;

		/* Hand the sets (instance and utilization) to the node_state. */
		for (i = 0; i < f->v[1].len; i++)
			vec_push_ptr(&ns->v[1], ((void **)f->v[1].data)[i]);
		for (i = 0; i < f->v[3].len; i++)
			vec_push_ptr(&ns->v[1], ((void **)f->v[3].data)[i]);
		vec_clear(&f->v[1]);
		vec_clear(&f->v[3]);
		break;
	}
	case ET_LRM_RESOURCES: {
		/* lrm_resources are collected on the node_state (two levels up) */
		struct frame *ns = &ld->frames[ld->depth - 2];
		size_t i;

		for (i = 0; i < f->v[0].len; i++)
			*(struct ham_cib_lrm_resource *)vec_push(&ns->v[0]) =
				((struct ham_cib_lrm_resource *)f->v[0].data)[i];
		vec_clear(&f->v[0]);
		break;
	}
	case ET_LRM_RESOURCE: {
		struct ham_cib_lrm_resource *r = &f->u.lrm_rsc;

		FINISH(&f->v[0], const struct ham_cib_lrm_op *, r->ops, r->n_ops);
		*(struct ham_cib_lrm_resource *)vec_push(&p->v[0]) = *r;
		break;
	}
	case ET_LRM_RSC_OP:
		*(struct ham_cib_lrm_op *)vec_push(&p->v[0]) = f->u.lrm_op;
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------------ */
/* The reader loop                                                     */
/* ------------------------------------------------------------------ */

const struct child_rule *load_find_child(enum et parent, const char *name)
{
	size_t i;

	for (i = 0; i < HAM_ARRAY_SIZE(child_rules); i++)
		if (child_rules[i].parent == parent && strcmp(child_rules[i].name, name) == 0)
			return &child_rules[i];
	return NULL;
}

const char *load_unsupported_why(const char *name)
{
	size_t i;

	for (i = 0; i < HAM_ARRAY_SIZE(unsupported); i++)
		if (strcmp(unsupported[i].name, name) == 0)
			return unsupported[i].why;
	return NULL;
}

/* Known elements, to tell "misplaced" from "unknown". */
bool  load_known_element(const char *name)
{
	size_t i;

	for (i = 0; i < HAM_ARRAY_SIZE(child_rules); i++)
		if (strcmp(child_rules[i].name, name) == 0)
			return true;
	return false;
}

/* Element sizes of each vector slot, by frame type. */
static size_t slot0_size(enum et type)
{
	switch (type) {
	case ET_NVSET:
		return sizeof(struct ham_cib_nvpair);
	case ET_RULE:
		return sizeof(struct ham_cib_expr);
	case ET_OPERATIONS:
		return sizeof(struct ham_cib_op);
	case ET_LOCATION:
	case ET_COLOCATION:
	case ET_ORDER:
	case ET_TICKET:
		return sizeof(struct ham_cib_rsc_set);
	case ET_RSC_SET:
		return sizeof(struct ham_cib_ref);
	case ET_NODE_STATE:
	case ET_LRM_RESOURCES:
		return sizeof(struct ham_cib_lrm_resource);
	case ET_LRM_RESOURCE:
		return sizeof(struct ham_cib_lrm_op);
	case ET_ALERT:
		return sizeof(struct ham_cib_alert_recipient);
	default:
		return sizeof(void *);
	}
}

void load_push_frame(struct loader *ld, enum et type, int kind, const char *name,
		       unsigned line)
{
	struct frame *f;
	size_t i;

	ld->depth++;
	f = &ld->frames[ld->depth];
	for (i = 0; i < NVECS; i++)
		vec_clear(&f->v[i]);
	/* v[0]: children by value or pointer; v[1..3] instance/meta/utilization
	 * sets; v[4] rules; v[5] operations of a resource. */
	f->v[0].esz = slot0_size(type);
	for (i = 1; i < 5; i++)
		f->v[i].esz = sizeof(void *);
	f->v[5].esz = sizeof(struct ham_cib_op);
	f->type = type;
	f->kind = kind;
	f->name = name;
	f->line = line;
	f->id = NULL;
	f->obj = NULL;
	f->child_obj = NULL;
	f->seen_operations = false;
	memset(&f->u, 0, sizeof(f->u));
}

