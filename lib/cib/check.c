/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The checks the schema cannot do, run over the freshly built model:
 * references resolve (id-refs, templates, constraints, tags, fencing
 * devices), and the values of well-known properties and meta-attributes.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <ctype.h>

#include "load_private.h"

#define ERR(line, elem, id, ...) \
	load_diag(ld, HAM_E_CONFIG, HAM_CIB_ERROR, (line), (elem), (id), __VA_ARGS__)
#define WARN(line, elem, id, ...) \
	load_diag(ld, HAM_E_CONFIG, HAM_CIB_WARNING, (line), (elem), (id), __VA_ARGS__)

static struct idinfo *lookup_id(struct loader *ld, const char *id)
{
	return id ? qb_map_get(ld->ids, id) : NULL;
}

static void resolve_nvsets(struct loader *ld)
{
	size_t i;

	for (i = 0; i < ld->pending_nvsets.len; i++) {
		struct ham_cib_nvset *s = ((struct ham_cib_nvset **)ld->pending_nvsets.data)[i];
		struct idinfo *info = lookup_id(ld, s->id_ref);
		const struct ham_cib_nvset *t;

		if (info == NULL) {
			ERR(s->line, "nvset", s->id_ref, "id-ref '%s' does not exist", s->id_ref);
			continue;
		}
		if (info->type != ET_NVSET) {
			ERR(s->line, "nvset", s->id_ref,
			    "id-ref '%s' names a <%s>, not a set of attributes", s->id_ref,
			    info->element);
			continue;
		}
		t = info->obj;
		s->pairs = t->pairs;
		s->n_pairs = t->n_pairs;
		s->rules = t->rules;
		s->n_rules = t->n_rules;
		if (!s->score.set)
			s->score = t->score;
	}
}

static void resolve_rules(struct loader *ld)
{
	size_t i;

	for (i = 0; i < ld->pending_rules.len; i++) {
		struct ham_cib_rule *r = ((struct ham_cib_rule **)ld->pending_rules.data)[i];
		struct idinfo *info = lookup_id(ld, r->id_ref);
		const struct ham_cib_rule *t;

		if (info == NULL || info->type != ET_RULE) {
			ERR(r->line, "rule", r->id_ref, "id-ref '%s' does not name a <rule>",
			    r->id_ref);
			continue;
		}
		t = info->obj;
		if (t->id_ref != NULL) {
			ERR(r->line, "rule", r->id_ref, "id-ref '%s' names another reference",
			    r->id_ref);
			continue;
		}
		r->id = t->id;
		r->exprs = t->exprs;
		r->n_exprs = t->n_exprs;
		r->boolean_op = t->boolean_op;
		if (r->role == HAM_CIB_ROLE_UNSET)
			r->role = t->role;
		if (!r->score.set && r->score_attribute == NULL) {
			r->score = t->score;
			r->score_attribute = t->score_attribute;
		}
	}
}

static void resolve_pairs(struct loader *ld)
{
	size_t i;

	for (i = 0; i < ld->pending_pairs.len; i++) {
		struct pending_pair *pp = &((struct pending_pair *)ld->pending_pairs.data)[i];
		struct idinfo *info = lookup_id(ld, pp->ref);
		struct ham_cib_nvpair *p, *t;

		if (pp->set == NULL || pp->index >= pp->set->n_pairs)
			continue;
		p = (struct ham_cib_nvpair *)&pp->set->pairs[pp->index];
		if (info == NULL || info->type != ET_NVPAIR) {
			ERR(pp->line, "nvpair", pp->ref, "id-ref '%s' does not name an <nvpair>",
			    pp->ref);
			continue;
		}
		t = info->obj;
		if (p->name == NULL)
			p->name = t->name;
		if (p->value == NULL)
			p->value = t->value;
	}
}

static void resolve_ops_and_templates(struct loader *ld)
{
	size_t i;

	for (i = 0; i < ld->pending_ops.len; i++) {
		struct pending_ops *po = &((struct pending_ops *)ld->pending_ops.data)[i];
		struct opset *os = qb_map_get(ld->opsets, po->ref);

		if (os == NULL) {
			ERR(po->line, "operations", po->rsc ? po->rsc->id : NULL,
			    "id-ref '%s' does not name an <operations>", po->ref);
			continue;
		}
		if (po->rsc != NULL) {
			po->rsc->ops = os->ops;
			po->rsc->n_ops = os->n;
		}
	}
	for (i = 0; i < ld->pending_tmpls.len; i++) {
		struct pending_tmpl *pt = &((struct pending_tmpl *)ld->pending_tmpls.data)[i];
		struct ham_cib_resource *r = pt->rsc;
		const struct ham_cib_resource *t = qb_map_get(ld->cib->templates, pt->ref);

		if (t == NULL) {
			ERR(r->line, "primitive", r->id, "template '%s' does not exist", pt->ref);
			continue;
		}
		r->tmpl = t;
		if (r->class_ == NULL) {
			r->class_ = t->class_;
			r->provider = t->provider;
		}
		if (r->type == NULL)
			r->type = t->type;
	}
}

/* A constraint's reference to a resource, tag or template. */
static void resolve_ref(struct loader *ld, struct ham_cib_ref *ref, const char *what,
			const char *elem, const char *cid, unsigned line)
{
	const void *p;

	if (ref->id == NULL)
		return;
	if ((p = qb_map_get(ld->cib->resources, ref->id)) != NULL)
		ref->rsc = p;
	else if ((p = qb_map_get(ld->cib->tags, ref->id)) != NULL)
		ref->tag = p;
	else if ((p = qb_map_get(ld->cib->templates, ref->id)) != NULL)
		ref->rsc = p;
	else
		ERR(line, elem, cid, "%s '%s' does not name a resource, template or tag", what,
		    ref->id);
}

static void resolve_sets(struct loader *ld, const struct ham_cib_rsc_set *sets, size_t n,
			 const char *elem, const char *cid)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < sets[i].n_refs; j++)
			resolve_ref(ld, (struct ham_cib_ref *)&sets[i].refs[j], "resource_ref",
				    "resource_set", sets[i].id, sets[i].line);
	(void)elem;
	(void)cid;
}

static void resolve_constraints(struct loader *ld)
{
	struct ham_cib_model *m = &ld->cib->model;
	size_t i;

	for (i = 0; i < m->n_locations; i++) {
		struct ham_cib_location *c = (struct ham_cib_location *)m->locations[i];

		resolve_ref(ld, &c->rsc, "rsc", "rsc_location", c->id, c->line);
		resolve_sets(ld, c->sets, c->n_sets, "rsc_location", c->id);
		if (c->node != NULL && qb_map_get(ld->cib->unames, c->node) == NULL)
			WARN(c->line, "rsc_location", c->id, "node '%s' is not a configured node",
			     c->node);
	}
	for (i = 0; i < m->n_colocations; i++) {
		struct ham_cib_colocation *c = (struct ham_cib_colocation *)m->colocations[i];

		resolve_ref(ld, &c->rsc, "rsc", "rsc_colocation", c->id, c->line);
		resolve_ref(ld, &c->with_rsc, "with-rsc", "rsc_colocation", c->id, c->line);
		resolve_sets(ld, c->sets, c->n_sets, "rsc_colocation", c->id);
		if (c->rsc.id != NULL && ham_streq(c->rsc.id, c->with_rsc.id))
			ERR(c->line, "rsc_colocation", c->id,
			    "resource '%s' cannot be colocated with itself", c->rsc.id);
	}
	for (i = 0; i < m->n_orders; i++) {
		struct ham_cib_order *c = (struct ham_cib_order *)m->orders[i];

		resolve_ref(ld, &c->first, "first", "rsc_order", c->id, c->line);
		resolve_ref(ld, &c->then, "then", "rsc_order", c->id, c->line);
		resolve_sets(ld, c->sets, c->n_sets, "rsc_order", c->id);
		if (c->first.id != NULL && ham_streq(c->first.id, c->then.id) &&
		    (c->first_action == c->then_action ||
		     c->then_action == HAM_CIB_ACTION_UNSET))
			ERR(c->line, "rsc_order", c->id,
			    "resource '%s' cannot be ordered after itself", c->first.id);
	}
	for (i = 0; i < m->n_tickets; i++) {
		struct ham_cib_ticket_constraint *c =
			(struct ham_cib_ticket_constraint *)m->tickets[i];

		resolve_ref(ld, &c->rsc, "rsc", "rsc_ticket", c->id, c->line);
		resolve_sets(ld, c->sets, c->n_sets, "rsc_ticket", c->id);
	}
	for (i = 0; i < m->n_tags; i++) {
		const struct ham_cib_tag *t = m->tags[i];
		size_t j;

		for (j = 0; j < t->n_refs; j++)
			if (lookup_id(ld, t->refs[j]) == NULL)
				ERR(t->line, "tag", t->id, "obj_ref '%s' does not exist",
				    t->refs[j]);
	}
	for (i = 0; i < m->n_fencing_levels; i++) {
		const struct ham_cib_fencing_level *l = m->fencing_levels[i];
		size_t j;

		for (j = 0; j < l->n_devices; j++) {
			const struct ham_cib_resource *r =
				qb_map_get(ld->cib->resources, l->devices[j]);

			if (r == NULL)
				ERR(l->line, "fencing-level", l->id,
				    "device '%s' is not a configured resource", l->devices[j]);
			else if (r->kind == HAM_CIB_RSC_PRIMITIVE && !ham_streq(r->class_, "stonith"))
				ERR(l->line, "fencing-level", l->id,
				    "device '%s' is not a stonith resource", l->devices[j]);
		}
	}
}

static void resolve_status(struct loader *ld)
{
	struct ham_cib_model *m = &ld->cib->model;
	size_t i, j;
	char buf[512];

	for (i = 0; i < m->n_node_states; i++) {
		struct ham_cib_node_state *ns = (struct ham_cib_node_state *)m->node_states[i];

		ns->node = ns->id ? qb_map_get(ld->cib->nodes, ns->id)
			 : ns->uname ? qb_map_get(ld->cib->unames, ns->uname) : NULL;
		for (j = 0; j < ns->n_lrm_resources; j++) {
			struct ham_cib_lrm_resource *lr =
				(struct ham_cib_lrm_resource *)&ns->lrm_resources[j];
			const char *colon;

			if (lr->id == NULL)
				continue;
			lr->rsc = qb_map_get(ld->cib->resources, lr->id);
			colon = strrchr(lr->id, ':');
			if (lr->rsc == NULL && colon != NULL &&
			    (size_t)(colon - lr->id) < sizeof(buf)) {
				memcpy(buf, lr->id, (size_t)(colon - lr->id));
				buf[colon - lr->id] = '\0';
				lr->rsc = qb_map_get(ld->cib->resources, buf);
			}
		}
	}
	if (m->dc_uuid != NULL && *m->dc_uuid && qb_map_get(ld->cib->nodes, m->dc_uuid) == NULL &&
	    qb_map_get(ld->cib->node_states, m->dc_uuid) == NULL && m->n_nodes > 0)
		WARN(1, "cib", NULL, "dc-uuid '%s' is not a known node", m->dc_uuid);
}

/* ---- values of well-known names ---- */

enum vtype { V_BOOL, V_SCORE, V_NUMBER, V_INT, V_UINT, V_DURATION, V_ROLE, V_ENUM };

struct known {
	const char *name;
	enum vtype type;
	const char *const *values; /* V_ENUM */
};

static const char *const nq_policies[] = { "stop", "freeze", "ignore", "demote", "suicide",
					   "fence", NULL };
static const char *const placements[] = { "default", "utilization", "minimal", "balanced",
					  NULL };
static const char *const health[] = { "none", "migrate-on-red", "only-green", "progressive",
				      "custom", NULL };
static const char *const stonith_actions[] = { "reboot", "off", "poweroff", NULL };
static const char *const fence_reactions[] = { "stop", "panic", NULL };
static const char *const multiple_active[] = { "block", "stop_only", "stop_start",
					       "stop_unexpected", NULL };
static const char *const requires_[] = { "nothing", "quorum", "fencing", "unfencing", NULL };
static const char *const on_fail[] = { "ignore", "block", "stop", "restart", "standby",
				       "fence", "restart-container", "demote",
				       "reset-container", NULL };

static const struct known properties[] = {
	{ "stonith-enabled", V_BOOL, NULL },
	{ "fencing-enabled", V_BOOL, NULL },
	{ "symmetric-cluster", V_BOOL, NULL },
	{ "maintenance-mode", V_BOOL, NULL },
	{ "start-failure-is-fatal", V_BOOL, NULL },
	{ "enable-startup-probes", V_BOOL, NULL },
	{ "stop-orphan-resources", V_BOOL, NULL },
	{ "stop-orphan-actions", V_BOOL, NULL },
	{ "startup-fencing", V_BOOL, NULL },
	{ "stop-all-resources", V_BOOL, NULL },
	{ "concurrent-fencing", V_BOOL, NULL },
	{ "shutdown-lock", V_BOOL, NULL },
	{ "enable-acl", V_BOOL, NULL },
	{ "no-quorum-policy", V_ENUM, nq_policies },
	{ "placement-strategy", V_ENUM, placements },
	{ "node-health-strategy", V_ENUM, health },
	{ "stonith-action", V_ENUM, stonith_actions },
	{ "fencing-action", V_ENUM, stonith_actions },
	{ "fence-reaction", V_ENUM, fence_reactions },
	{ "default-resource-stickiness", V_SCORE, NULL },
	{ "node-health-red", V_SCORE, NULL },
	{ "node-health-yellow", V_SCORE, NULL },
	{ "node-health-green", V_SCORE, NULL },
	{ "node-health-base", V_INT, NULL },
	{ "cluster-recheck-interval", V_DURATION, NULL },
	{ "dc-deadtime", V_DURATION, NULL },
	{ "stonith-timeout", V_DURATION, NULL },
	{ "fencing-timeout", V_DURATION, NULL },
	{ "shutdown-lock-limit", V_DURATION, NULL },
	{ "election-timeout", V_DURATION, NULL },
	{ "shutdown-escalation", V_DURATION, NULL },
	{ "transition-delay", V_DURATION, NULL },
	{ "priority-fencing-delay", V_DURATION, NULL },
	{ "batch-limit", V_INT, NULL },
	{ "migration-limit", V_INT, NULL },
	{ "node-action-limit", V_INT, NULL },
	{ "pe-error-series-max", V_INT, NULL },
	{ "pe-warn-series-max", V_INT, NULL },
	{ "pe-input-series-max", V_INT, NULL },
	{ NULL, 0, NULL },
};

static const struct known rsc_meta[] = {
	{ "target-role", V_ROLE, NULL },
	{ "is-managed", V_BOOL, NULL },
	{ "maintenance", V_BOOL, NULL },
	{ "notify", V_BOOL, NULL },
	{ "globally-unique", V_BOOL, NULL },
	{ "interleave", V_BOOL, NULL },
	{ "ordered", V_BOOL, NULL },
	{ "promotable", V_BOOL, NULL },
	{ "allow-migrate", V_BOOL, NULL },
	{ "critical", V_BOOL, NULL },
	{ "allow-unhealthy-nodes", V_BOOL, NULL },
	{ "resource-stickiness", V_SCORE, NULL },
	{ "priority", V_NUMBER, NULL },
	{ "migration-threshold", V_SCORE, NULL },
	{ "failure-timeout", V_DURATION, NULL },
	{ "multiple-active", V_ENUM, multiple_active },
	{ "requires", V_ENUM, requires_ },
	{ "clone-max", V_UINT, NULL },
	{ "clone-node-max", V_UINT, NULL },
	{ "clone-min", V_UINT, NULL },
	{ "promoted-max", V_UINT, NULL },
	{ "promoted-node-max", V_UINT, NULL },
	{ "master-max", V_UINT, NULL },
	{ "master-node-max", V_UINT, NULL },
	{ NULL, 0, NULL },
};

static const struct known op_meta[] = {
	{ "timeout", V_DURATION, NULL },
	{ "interval", V_DURATION, NULL },
	{ "start-delay", V_DURATION, NULL },
	{ "on-fail", V_ENUM, on_fail },
	{ "record-pending", V_BOOL, NULL },
	{ "enabled", V_BOOL, NULL },
	{ NULL, 0, NULL },
};

static bool value_ok(const struct known *k, const char *v)
{
	bool b;
	int sc;
	int64_t n;
	uint64_t ms;
	size_t i;

	switch (k->type) {
	case V_BOOL:
		return ham_parse_bool(v, &b) == 0;
	case V_SCORE:
		return ham_score_parse(v, &sc) == 0;
	case V_NUMBER: {
		/* a score, or a decimal such as "1.0" (read as its integer part) */
		const char *p = v;

		if (ham_score_parse(v, &sc) == 0)
			return true;
		if (*p == '-' || *p == '+')
			p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				;
		return *p == '\0';
	}
	case V_INT:
		return ham_parse_int64(v, &n) == 0;
	case V_UINT:
		return ham_parse_int64(v, &n) == 0 && n >= 0;
	case V_DURATION:
		return ham_parse_duration_ms(v, &ms) == 0;
	case V_ROLE:
		if (strcmp(v, "#default") == 0)
			return true;
		/* meta-attribute values are read without regard to case */
		for (i = 0; i < 6; i++) {
			static const char *const roles[] = { "Stopped", "Started", "Unpromoted",
							     "Promoted", "Slave", "Master" };

			if (strcasecmp(v, roles[i]) == 0)
				return true;
		}
		return false;
	case V_ENUM:
		for (i = 0; k->values[i] != NULL; i++)
			if (strcmp(v, k->values[i]) == 0)
				return true;
		return false;
	}
	return false;
}

static const char *type_name(enum vtype t)
{
	switch (t) {
	case V_BOOL:
		return "a boolean";
	case V_SCORE:
		return "a score";
	case V_NUMBER:
		return "a score or a decimal number";
	case V_INT:
		return "an integer";
	case V_UINT:
		return "a non-negative integer";
	case V_DURATION:
		return "a duration";
	case V_ROLE:
		return "a role (Stopped, Started, Unpromoted, Promoted)";
	case V_ENUM:
		return "one of the listed values";
	}
	return "?";
}

static void check_set_values(struct loader *ld, const struct ham_cib_nvset *set,
			     const struct known *table)
{
	size_t i, j;

	if (set->id_ref != NULL)
		return; /* checked at its definition */
	for (i = 0; i < set->n_pairs; i++) {
		const struct ham_cib_nvpair *p = &set->pairs[i];

		if (p->name == NULL || p->value == NULL)
			continue;
		for (j = 0; table[j].name != NULL; j++) {
			if (strcmp(table[j].name, p->name) != 0)
				continue;
			if (!value_ok(&table[j], p->value)) {
				ham_buf b = HAM_BUF_INIT;

				if (table[j].type == V_ENUM) {
					size_t k;

					for (k = 0; table[j].values[k] != NULL; k++)
						ham_buf_addf(&b, "%s%s", k ? ", " : "",
							     table[j].values[k]);
				}
				ERR(p->line, "nvpair", p->id,
				    "invalid value '%s' for '%s': expected %s%s%s%s", p->value,
				    p->name, type_name(table[j].type),
				    table[j].type == V_ENUM ? " (" : "", ham_buf_str(&b),
				    table[j].type == V_ENUM ? ")" : "");
				ham_buf_free(&b);
			}
			break;
		}
	}
}

static void check_sets(struct loader *ld, const struct ham_cib_nvset *const *sets, size_t n,
		       const struct known *table)
{
	size_t i;

	for (i = 0; i < n; i++)
		check_set_values(ld, sets[i], table);
}

static void check_values(struct loader *ld)
{
	struct ham_cib_model *m = &ld->cib->model;
	size_t i, j;

	check_sets(ld, m->crm_config, m->n_crm_config, properties);
	check_sets(ld, m->rsc_defaults, m->n_rsc_defaults, rsc_meta);
	check_sets(ld, m->op_defaults, m->n_op_defaults, op_meta);
	for (i = 0; i < m->n_all_resources; i++) {
		const struct ham_cib_resource *r = m->all_resources[i];

		check_sets(ld, r->meta_attributes, r->n_meta_attributes, rsc_meta);
		for (j = 0; j < r->n_ops; j++)
			check_sets(ld, r->ops[j].meta_attributes, r->ops[j].n_meta_attributes,
				   op_meta);
		if (r->kind == HAM_CIB_RSC_PRIMITIVE && r->class_ != NULL) {
			static const char *const classes[] = { "ocf", "systemd", "lsb", "service",
							       "stonith", NULL };
			bool ok = false;

			for (j = 0; classes[j] != NULL; j++)
				ok = ok || strcmp(classes[j], r->class_) == 0;
			if (!ok)
				load_diag(ld, HAM_E_UNSUPPORTED, HAM_CIB_ERROR, r->line, "primitive",
					  r->id,
					  "class '%s' is outside the subset (ocf, systemd, lsb, "
					  "service, stonith)",
					  r->class_);
		}
	}
	for (i = 0; i < m->n_templates; i++)
		check_sets(ld, m->templates[i]->meta_attributes,
			   m->templates[i]->n_meta_attributes, rsc_meta);
}

/* The first pair named name in the sets, in order (rules ignored), or NULL. */
static const struct ham_cib_nvpair *find_pair(const struct ham_cib_nvset *const *sets, size_t n,
					      const char *name)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < sets[i]->n_pairs; j++)
			if (ham_streq(sets[i]->pairs[j].name, name) && sets[i]->pairs[j].value)
				return &sets[i]->pairs[j];
	return NULL;
}

/*
 * Fencing enabled (the default) with no fence device: an unclean node can
 * never be fenced, so what it ran can never be recovered (crm_verify: "resource
 * start-up disabled since no fencing resources are defined"). An error for a
 * configuration to install; a warning when the input is only run
 * (HAM_CIB_LOAD_TO_RUN: hactl simulate, the scheduler), since the engine
 * then computes what Pacemaker computes.
 */
static void check_fencing(struct loader *ld)
{
	const struct ham_cib_model *m = &ld->cib->model;
	const struct ham_cib_nvpair *p;
	bool on = true;
	size_t i;

	p = find_pair(m->crm_config, m->n_crm_config, "fencing-enabled");
	if (p == NULL)
		p = find_pair(m->crm_config, m->n_crm_config, "stonith-enabled");
	if (p != NULL && ham_parse_bool(p->value, &on) < 0)
		return; /* reported by check_values */
	if (!on)
		return;
	for (i = 0; i < m->n_all_resources; i++) {
		const struct ham_cib_resource *r = m->all_resources[i];

		if (r->kind == HAM_CIB_RSC_PRIMITIVE && ham_streq(r->class_, "stonith"))
			return;
	}
	load_install_error(ld, HAM_E_CONFIG, p ? p->line : 1, p ? "nvpair" : "crm_config",
			   p ? p->id : NULL,
			   "%s is true%s but no fence device (a primitive of class stonith) is "
			   "configured: a node that fails could never be fenced, and what it ran "
			   "never recovered; configure a fence device, or set "
			   "stonith-enabled=false (safe only without shared data)",
			   p ? p->name : "stonith-enabled", p ? "" : " (the default)");
}

/* ---- what hamgr does not honour: refused by name ---- */

void load_install_error(struct loader *ld, int code, unsigned line, const char *elem,
			const char *id, const char *fmt, ...)
{
	bool to_run = (ld->flags & HAM_CIB_LOAD_TO_RUN) != 0;
	va_list ap;

	if (!to_run && ld->install_result == 0)
		ld->install_result = code;
	va_start(ap, fmt);
	cib_diags_vadd(ld->diags, to_run ? HAM_CIB_WARNING : HAM_CIB_ERROR, line, elem, id, fmt,
		       ap);
	va_end(ap);
}

void load_daemon_unsupported(struct loader *ld, unsigned line, const char *elem,
			     const char *id, const char *what)
{
	load_install_error(ld, HAM_E_UNSUPPORTED, line, elem, id,
			   "%s is not supported by the hamgr daemon: it would be ignored "
			   "(hactl simulate runs such a configuration, without it)",
			   what);
}

/* What the engine would ignore: refused by verify, simulate and the daemon. */
static void engine_unsupported(struct loader *ld, unsigned line, const char *elem,
			       const char *id, const char *what)
{
	bool installed = (ld->flags & HAM_CIB_LOAD_INSTALLED) != 0;

	load_diag(ld, HAM_E_UNSUPPORTED, installed ? HAM_CIB_WARNING : HAM_CIB_ERROR, line, elem,
		  id, "%s is not supported: hamgr would ignore it", what);
}

enum unsup_when { U_ANY, U_TRUE, U_FALSE };

struct unsup {
	const char *name;
	enum unsup_when when;
	bool daemon;          /* the daemon ignores it; the engine needs it not */
	const char *value;    /* U_ANY with a value: only that value */
};

/* Cluster properties hamgr does not honour (or only some values of). */
static const struct unsup unsup_properties[] = {
	{ "shutdown-lock", U_TRUE, false, NULL },
	{ "enable-startup-probes", U_FALSE, false, NULL },
	{ "stop-orphan-resources", U_FALSE, false, NULL },
	{ "stop-orphan-actions", U_FALSE, false, NULL },
	{ "enable-acl", U_TRUE, true, NULL },
	{ "stonith-timeout", U_ANY, true, NULL },
	{ "fencing-timeout", U_ANY, true, NULL },
	{ "priority-fencing-delay", U_ANY, true, NULL },
	{ "fence-reaction", U_ANY, true, "panic" },
	{ "migration-limit", U_ANY, true, NULL },
	{ NULL, 0, false, NULL },
};

/* Resource meta-attributes (and rsc_defaults). */
static const struct unsup unsup_rsc_meta[] = {
	{ "requires", U_ANY, false, "unfencing" },
	{ "provides", U_ANY, false, "unfencing" },
	{ "remote-node", U_ANY, false, NULL },
	{ "container", U_ANY, false, NULL },
	{ "critical", U_FALSE, false, NULL },
	{ NULL, 0, false, NULL },
};

static bool unsup_applies(const struct unsup *u, const char *v)
{
	bool b;

	switch (u->when) {
	case U_ANY:
		return u->value == NULL || ham_streq(u->value, v);
	case U_TRUE:
		return ham_parse_bool(v, &b) == 0 && b;
	case U_FALSE:
		return ham_parse_bool(v, &b) == 0 && !b;
	}
	return false;
}

static void check_unsup_sets(struct loader *ld, const struct ham_cib_nvset *const *sets, size_t n,
			     const struct unsup *table)
{
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		if (sets[i]->id_ref != NULL)
			continue; /* checked at its definition */
		for (j = 0; j < sets[i]->n_pairs; j++) {
			const struct ham_cib_nvpair *p = &sets[i]->pairs[j];
			char what[200];

			if (p->name == NULL || p->value == NULL)
				continue;
			for (k = 0; table[k].name != NULL; k++) {
				if (strcmp(table[k].name, p->name) != 0 ||
				    !unsup_applies(&table[k], p->value))
					continue;
				if (table[k].when == U_ANY && table[k].value == NULL)
					snprintf(what, sizeof(what), "'%s'", p->name);
				else
					snprintf(what, sizeof(what), "'%s=%s'", p->name, p->value);
				if (table[k].daemon)
					load_daemon_unsupported(ld, p->line, "nvpair", p->id, what);
				else
					engine_unsupported(ld, p->line, "nvpair", p->id, what);
			}
		}
	}
}

/* The clone a reference names (the clone, or what it clones), or NULL. */
static const struct ham_cib_resource *ref_clone(const struct ham_cib_ref *ref)
{
	const struct ham_cib_resource *r;

	for (r = ref->rsc; r != NULL; r = r->parent)
		if (r->kind == HAM_CIB_RSC_CLONE)
			return r;
	return NULL;
}

/*
 * An order of two clones, the second interleave=true, applies per node
 * (instance to instance); the engine does so for a start after a start,
 * promote or stop of the first (and the stops and demotes they imply in
 * reverse). Other actions between interleaved clones are refused by name.
 */
static void check_interleaved_pair(struct loader *ld, const struct ham_cib_order *o,
				   const struct ham_cib_ref *a, enum ham_cib_action fa,
				   const struct ham_cib_ref *b, enum ham_cib_action ta)
{
	const struct ham_cib_resource *ca = ref_clone(a), *cb = ref_clone(b);
	const char *v;
	char what[200];
	bool il;

	if (fa == HAM_CIB_ACTION_UNSET)
		fa = HAM_CIB_ACTION_START;
	if (ta == HAM_CIB_ACTION_UNSET)
		ta = fa;
	if (ca == NULL || cb == NULL || ca == cb || ta == HAM_CIB_ACTION_INVALID ||
	    fa == HAM_CIB_ACTION_INVALID)
		return;
	v = ham_cib_nvsets_get(cb->meta_attributes, cb->n_meta_attributes, "interleave");
	if (v == NULL || ham_parse_bool(v, &il) < 0 || !il)
		return;
	if (ta == HAM_CIB_ACTION_START && fa != HAM_CIB_ACTION_DEMOTE)
		return;
	snprintf(what, sizeof(what), "an order of interleaved clone '%s' with first-action='%s' "
		 "then-action='%s' (interleaved, only a start after a start, promote or stop is)",
		 cb->id, ham_cib_action_str(fa), ham_cib_action_str(ta));
	engine_unsupported(ld, o->line, "rsc_order", o->id, what);
}

static void check_interleaved_orders(struct loader *ld)
{
	const struct ham_cib_model *m = &ld->cib->model;
	size_t i, s, p, q;

	for (i = 0; i < m->n_orders; i++) {
		const struct ham_cib_order *o = m->orders[i];

		if (o->first.id != NULL) {
			check_interleaved_pair(ld, o, &o->first, o->first_action, &o->then,
					       o->then_action);
			continue;
		}
		for (s = 0; s < o->n_sets; s++) {
			const struct ham_cib_rsc_set *x = &o->sets[s], *y = x + 1;

			if (x->sequential != HAM_CIB_FALSE)
				for (p = 1; p < x->n_refs; p++)
					check_interleaved_pair(ld, o, &x->refs[p - 1], x->action,
							       &x->refs[p], x->action);
			if (s + 1 == o->n_sets)
				continue;
			for (p = 0; p < x->n_refs; p++)
				for (q = 0; q < y->n_refs; q++)
					check_interleaved_pair(ld, o, &x->refs[p], x->action,
							       &y->refs[q], y->action);
		}
	}
}

static void check_unsupported(struct loader *ld)
{
	const struct ham_cib_model *m = &ld->cib->model;
	size_t i, j;

	check_unsup_sets(ld, m->crm_config, m->n_crm_config, unsup_properties);
	check_unsup_sets(ld, m->rsc_defaults, m->n_rsc_defaults, unsup_rsc_meta);
	for (i = 0; i < m->n_templates; i++)
		check_unsup_sets(ld, m->templates[i]->meta_attributes,
				 m->templates[i]->n_meta_attributes, unsup_rsc_meta);
	for (i = 0; i < m->n_all_resources; i++) {
		const struct ham_cib_resource *r = m->all_resources[i];

		check_unsup_sets(ld, r->meta_attributes, r->n_meta_attributes, unsup_rsc_meta);
		if (r->kind == HAM_CIB_RSC_PRIMITIVE && ham_streq(r->class_, "ocf") &&
		    ham_streq(r->provider, "pacemaker") && ham_streq(r->type, "remote"))
			engine_unsupported(ld, r->line, "primitive", r->id,
					   "a Pacemaker Remote connection (ocf:pacemaker:remote)");
		for (j = 0; j < r->n_ops; j++) {
			if (r->ops[j].has_start_delay)
				load_daemon_unsupported(ld, r->ops[j].line, "op", r->ops[j].id,
							"'start-delay'");
			if (r->ops[j].interval_origin != NULL)
				load_daemon_unsupported(ld, r->ops[j].line, "op", r->ops[j].id,
							"'interval-origin'");
		}
	}
	for (i = 0; i < m->n_nodes; i++)
		if (m->nodes[i]->type == HAM_CIB_NODE_REMOTE)
			engine_unsupported(ld, m->nodes[i]->line, "node", m->nodes[i]->id,
					   "a remote node (type='remote')");
	if (m->n_fencing_levels > 0)
		load_daemon_unsupported(ld, m->fencing_levels[0]->line, "fencing-level",
					m->fencing_levels[0]->id,
					"fencing-topology (devices are not tried by level)");
	check_interleaved_orders(ld);
}

void check_model(struct loader *ld)
{
	resolve_nvsets(ld);
	resolve_rules(ld);
	resolve_pairs(ld);
	resolve_ops_and_templates(ld);
	resolve_constraints(ld);
	resolve_status(ld);
	check_values(ld);
	check_fencing(ld);
	check_unsupported(ld);
	check_alerts(ld);
	if (ld->result == 0)
		ld->result = ld->install_result;
}
