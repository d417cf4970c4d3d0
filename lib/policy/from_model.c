/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/policy: fills the engine's working model from lib/cib's typed CIB model
 * (cluster options, nodes, resources, constraints, status), and loads inputs
 * through lib/cib, so that the engine refuses exactly what hactl verify does.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hamgr/cib.h>

#include "model.h"

/* An id that stands for several resources (a template or a tag). */
struct xlist {
	const char *id;
	const char **v;
	size_t n;
};

struct ctx {
	struct ham_policy_input *in;
	const struct ham_cib_model *m;
	qb_map_t *groups;      /* group id -> index in group_first/last + 1 */
	qb_map_t *clones;      /* clone id and child id -> index in clones[] + 1 */
	qb_map_t *clones_last; /* same, but the last member's clone for cloned groups */
	int *group_first, *group_last;
	size_t ngroups;
	struct xlist *xl;
	size_t nxl;
	ham_buf err;
	int ret;
	int any_of;            /* the last group of orders of which one will do */
};

static void fail(struct ctx *c, int ret, unsigned line, const char *element, const char *id,
		 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void fail(struct ctx *c, int ret, unsigned line, const char *element, const char *id,
		 const char *fmt, ...)
{
	va_list ap;

	if (c->ret)
		return;
	c->ret = ret;
	if (line > 0)
		ham_buf_addf(&c->err, "line %u: ", line);
	if (element != NULL)
		ham_buf_addf(&c->err, "<%s> ", element);
	if (id != NULL)
		ham_buf_addf(&c->err, "id '%s': ", id);
	va_start(ap, fmt);
	ham_buf_vaddf(&c->err, fmt, ap);
	va_end(ap);
}

/* Keeps a block allocated here with the input (freed with it). */
static void keep(struct ham_policy_input *in, void *p)
{
	if (in->nstrs == in->capstrs) {
		in->capstrs = in->capstrs ? in->capstrs * 2 : 16;
		in->strs = ham_reallocarray(in->strs, in->capstrs, sizeof(char *));
	}
	in->strs[in->nstrs++] = p;
}

static bool truthy(const char *s, bool dflt)
{
	bool b;

	if (s == NULL || ham_parse_bool(s, &b) < 0)
		return dflt;
	return b;
}

static bool tri(enum ham_cib_tri t, bool dflt)
{
	return t == HAM_CIB_UNSET ? dflt : t == HAM_CIB_TRUE;
}

/* A score from a meta attribute or cluster option (lib/cib checked it). */
static int score_of(struct ctx *c, unsigned line, const char *element, const char *id,
		    const char *s, int dflt)
{
	int v;

	if (s == NULL)
		return dflt;
	if (ham_strcaseeq(s, "red"))
		return -HAM_SCORE_INFINITY;
	if (ham_score_parse(s, &v) < 0) {
		/* Pacemaker reads "1.0" as 1: accept a decimal fraction */
		char *end;
		double d = strtod(s, &end);

		if (end == s || *end != '\0') {
			fail(c, -HAM_E_CONFIG, line, element, id, "invalid score '%s'", s);
			return 0;
		}
		if (d > HAM_SCORE_INFINITY)
			d = HAM_SCORE_INFINITY;
		if (d < -HAM_SCORE_INFINITY)
			d = -HAM_SCORE_INFINITY;
		return (int)d;
	}
	return v;
}

static const char *role_str(enum ham_cib_role r)
{
	return r == HAM_CIB_ROLE_UNSET || r == HAM_CIB_ROLE_INVALID ? NULL : ham_cib_role_str(r);
}

static enum pe_role role_of(enum ham_cib_role r)
{
	switch (r) {
	case HAM_CIB_ROLE_STOPPED:
		return PE_ROLE_STOPPED;
	case HAM_CIB_ROLE_STARTED:
		return PE_ROLE_STARTED;
	case HAM_CIB_ROLE_UNPROMOTED:
		return PE_ROLE_UNPROMOTED;
	case HAM_CIB_ROLE_PROMOTED:
		return PE_ROLE_PROMOTED;
	default:
		return PE_ROLE_UNKNOWN;
	}
}

static const char *action_str(enum ham_cib_action a)
{
	return a == HAM_CIB_ACTION_UNSET || a == HAM_CIB_ACTION_INVALID ? NULL
									 : ham_cib_action_str(a);
}

/* The pairs of sets, in order; a later set overrides an earlier one. */
static void read_nvsets(struct ctx *c, const struct ham_cib_nvset *const *sets, size_t n,
			struct pe_attrs *out)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < sets[i]->n_pairs; j++) {
			const struct ham_cib_nvpair *p = &sets[i]->pairs[j];

			if (p->name == NULL)
				continue;
			pe_attrs_set(c->in, out, p->name, p->value ? p->value : "");
		}
}

/* Only the sets of one kind (transient_attributes mix them). */
static void read_nvsets_kind(struct ctx *c, const struct ham_cib_nvset *const *sets, size_t n,
			     enum ham_cib_nvset_kind kind, struct pe_attrs *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (sets[i]->kind == kind)
			read_nvsets(c, &sets[i], 1, out);
}

/* ------------------------------------------------------------------ */
/* Templates and tags                                                   */
/* ------------------------------------------------------------------ */

static struct xlist *xlist_find(struct ctx *c, const char *id)
{
	size_t i;

	for (i = 0; id && i < c->nxl; i++)
		if (strcmp(c->xl[i].id, id) == 0)
			return &c->xl[i];
	return NULL;
}

static void xlist_add(struct ctx *c, const char *id, const char *member)
{
	struct xlist *x = xlist_find(c, id);

	if (id == NULL)
		return;
	if (x == NULL) {
		c->xl = ham_reallocarray(c->xl, c->nxl + 1, sizeof(*c->xl));
		x = &c->xl[c->nxl++];
		memset(x, 0, sizeof(*x));
		x->id = pe_str(c->in, id);
	}
	if (member == NULL)
		return;
	x->v = ham_reallocarray(x->v, x->n + 1, sizeof(char *));
	x->v[x->n++] = pe_str(c->in, member);
}

/* The resource ids that id stands for (itself unless a template or tag). */
static void expand_id(struct ctx *c, const char *id, const char ***out, size_t *n, int depth)
{
	struct xlist *x = xlist_find(c, id);
	size_t i;

	if (x == NULL || depth > 8) {
		*out = ham_reallocarray(*out, *n + 1, sizeof(char *));
		(*out)[(*n)++] = id;
		return;
	}
	for (i = 0; i < x->n; i++)
		expand_id(c, x->v[i], out, n, depth + 1);
}

/* ------------------------------------------------------------------ */
/* Cluster options and nodes                                            */
/* ------------------------------------------------------------------ */

static void read_cluster_options(struct ctx *c)
{
	struct ham_policy_input *in = c->in;
	struct pe_attrs a = { 0 };
	const char *v;

	read_nvsets(c, c->m->crm_config, c->m->n_crm_config, &a);
	v = pe_attrs_get(&a, "fencing-enabled");
	if (v == NULL)
		v = pe_attrs_get(&a, "stonith-enabled");
	in->stonith_enabled = truthy(v, true);
	v = pe_attrs_get(&a, "fencing-action");
	if (v == NULL)
		v = pe_attrs_get(&a, "stonith-action");
	in->stonith_action = pe_str(in, v ? (ham_streq(v, "poweroff") ? "off" : v) : "reboot");
	in->cluster_name = pe_str(in, pe_attrs_get(&a, "cluster-name"));
	in->symmetric = truthy(pe_attrs_get(&a, "symmetric-cluster"), true);
	in->stop_all = truthy(pe_attrs_get(&a, "stop-all-resources"), false);
	in->maintenance_mode = truthy(pe_attrs_get(&a, "maintenance-mode"), false);
	in->start_failure_is_fatal = truthy(pe_attrs_get(&a, "start-failure-is-fatal"), true);
	in->startup_fencing = truthy(pe_attrs_get(&a, "startup-fencing"), true);
	v = pe_attrs_get(&a, "no-quorum-policy");
	in->no_quorum_policy = PE_NQ_STOP;
	if (ham_streq(v, "freeze"))
		in->no_quorum_policy = PE_NQ_FREEZE;
	else if (ham_streq(v, "ignore"))
		in->no_quorum_policy = PE_NQ_IGNORE;
	else if (ham_streq(v, "demote"))
		in->no_quorum_policy = PE_NQ_DEMOTE;
	else if (ham_streq(v, "suicide") || ham_streq(v, "fence"))
		in->no_quorum_policy = PE_NQ_SUICIDE;
	v = pe_attrs_get(&a, "node-health-strategy");
	in->health_strategy = 0;
	in->health_red = -HAM_SCORE_INFINITY;
	in->health_yellow = 0;
	in->health_green = 0;
	if (ham_streq(v, "migrate-on-red")) {
		in->health_strategy = 1;
	} else if (ham_streq(v, "only-green")) {
		in->health_strategy = 2;
		in->health_yellow = -HAM_SCORE_INFINITY;
	} else if (ham_streq(v, "progressive") || ham_streq(v, "custom")) {
		in->health_strategy = 3;
		in->health_red = score_of(c, 0, "crm_config", NULL,
					  pe_attrs_get(&a, "node-health-red"), -HAM_SCORE_INFINITY);
		in->health_yellow = score_of(c, 0, "crm_config", NULL,
					     pe_attrs_get(&a, "node-health-yellow"), 0);
		in->health_green = score_of(c, 0, "crm_config", NULL,
					    pe_attrs_get(&a, "node-health-green"), 0);
	}
	v = pe_attrs_get(&a, "placement-strategy");
	in->placement = PE_PLACE_DEFAULT;
	if (ham_streq(v, "utilization"))
		in->placement = PE_PLACE_UTILIZATION;
	else if (ham_streq(v, "minimal"))
		in->placement = PE_PLACE_MINIMAL;
	else if (ham_streq(v, "balanced"))
		in->placement = PE_PLACE_BALANCED;
	v = pe_attrs_get(&a, "node-pending-timeout");
	if (v == NULL || ham_parse_duration_ms(v, &in->node_pending_timeout_ms) < 0)
		in->node_pending_timeout_ms = 0;
	v = pe_attrs_get(&a, "default-resource-stickiness");
	if (v)
		in->default_stickiness = score_of(c, 0, "crm_config", NULL, v, 0);
	free(a.v);
}

static void read_nodes(struct ctx *c)
{
	size_t i;

	for (i = 0; i < c->m->n_nodes && !c->ret; i++) {
		const struct ham_cib_node *n = c->m->nodes[i];
		const char *name = n->uname ? n->uname : n->id;
		struct pe_node *pn;

		if (n->id == NULL) {
			fail(c, -HAM_E_CONFIG, n->line, "node", NULL, "node without an id");
			return;
		}
		if (pe_node_find(c->in, name) >= 0) {
			fail(c, -HAM_E_CONFIG, n->line, "node", n->id, "duplicate node name '%s'",
			     name);
			return;
		}
		pn = pe_node_add(c->in, n->id, n->uname);
		pn->remote = n->type == HAM_CIB_NODE_REMOTE;
		read_nvsets(c, n->instance_attributes, n->n_instance_attributes, &pn->attrs);
		read_nvsets(c, n->utilization, n->n_utilization, &pn->util);
	}
}

/* ------------------------------------------------------------------ */
/* Resources                                                            */
/* ------------------------------------------------------------------ */

static void read_ops(struct ctx *c, struct pe_rsc *r, const struct ham_cib_op *ops, size_t n)
{
	struct ham_policy_input *in = c->in;
	size_t i;

	r->ops = ham_newa0(struct pe_opcfg, n ? n : 1);
	for (i = 0; i < n; i++) {
		const struct ham_cib_op *o = &ops[i];
		struct pe_opcfg *oc = &r->ops[r->nops++];
		const char *v = o->on_fail;

		oc->name = pe_str(in, o->name);
		oc->interval_ms = o->interval_ms;
		if (v == NULL)
			v = ham_cib_nvsets_get(o->meta_attributes, o->n_meta_attributes, "on-fail");
		oc->on_fail = pe_on_fail_parse(v);
		oc->role = role_of(o->role);
		oc->enabled = tri(o->enabled, true);
		oc->timeout_ms = o->has_timeout ? o->timeout_ms : 0;
	}
}

/*
 * One primitive (as: its name when it is a clone instance). Meta attributes
 * apply as: rsc_defaults, then inherited (group, clone), then the template's,
 * then its own; the later wins.
 */
static struct pe_rsc *read_primitive_as(struct ctx *c, const struct ham_cib_resource *p,
					const struct pe_attrs *inherit, const char *as)
{
	struct ham_policy_input *in = c->in;
	const struct ham_cib_resource *tmpl = p->tmpl;
	const char *id = as ? as : p->id;
	struct pe_attrs meta = { 0 };
	struct pe_rsc *r;
	const char *v;
	size_t i;

	if (pe_rsc_find(in, id) >= 0) {
		fail(c, -HAM_E_CONFIG, p->line, "primitive", p->id, "duplicate resource id '%s'",
		     id);
		return NULL;
	}
	r = pe_rsc_add(in, id);
	r->cls = pe_str(in, p->class_ ? p->class_ : tmpl ? tmpl->class_ : NULL);
	r->provider = pe_str(in, p->provider ? p->provider : tmpl ? tmpl->provider : NULL);
	r->type = pe_str(in, p->type ? p->type : tmpl ? tmpl->type : NULL);
	r->is_stonith = ham_streq(r->cls, "stonith");
	r->stickiness = in->default_stickiness;
	for (i = 0; i < in->rsc_defaults.n; i++)
		pe_attrs_set(in, &meta, in->rsc_defaults.v[i].name, in->rsc_defaults.v[i].value);
	for (i = 0; inherit && i < inherit->n; i++)
		pe_attrs_set(in, &meta, inherit->v[i].name, inherit->v[i].value);
	if (tmpl) {
		read_nvsets(c, tmpl->meta_attributes, tmpl->n_meta_attributes, &meta);
		read_nvsets(c, tmpl->utilization, tmpl->n_utilization, &r->util);
	}
	read_nvsets(c, p->meta_attributes, p->n_meta_attributes, &meta);
	read_nvsets(c, p->utilization, p->n_utilization, &r->util);
	/* the agent's parameters: the template's, then its own */
	if (tmpl)
		read_nvsets(c, tmpl->instance_attributes, tmpl->n_instance_attributes, &r->params);
	read_nvsets(c, p->instance_attributes, p->n_instance_attributes, &r->params);
	if (r->params.v != NULL)
		keep(in, r->params.v); /* final now: freed with the input's strings */
	if ((v = pe_attrs_get(&meta, "resource-stickiness")) ||
	    (v = pe_attrs_get(&meta, "resource_stickiness")))
		r->stickiness = score_of(c, p->line, "primitive", p->id, v, 0);
	if ((v = pe_attrs_get(&meta, "priority")))
		r->priority = score_of(c, p->line, "primitive", p->id, v, 0);
	if ((v = pe_attrs_get(&meta, "migration-threshold"))) {
		r->migration_threshold = score_of(c, p->line, "primitive", p->id, v,
						  HAM_SCORE_INFINITY);
		if (r->migration_threshold <= 0)
			r->migration_threshold = HAM_SCORE_INFINITY;
	}
	if ((v = pe_attrs_get(&meta, "failure-timeout"))) {
		uint64_t ms;

		if (ham_parse_duration_ms(v, &ms) == 0)
			r->failure_timeout_ms = ms;
	}
	if ((v = pe_attrs_get(&meta, "target-role"))) {
		enum pe_role tr = pe_role_parse(v);

		if (tr != PE_ROLE_UNKNOWN)
			r->target_role = tr;
	}
	r->managed = truthy(pe_attrs_get(&meta, "is-managed"), true);
	r->requires_nothing = ham_streq(pe_attrs_get(&meta, "requires"), "nothing");
	r->migratable = truthy(pe_attrs_get(&meta, "allow-migrate"), false);
	r->maintenance = truthy(pe_attrs_get(&meta, "maintenance"), false);
	v = pe_attrs_get(&meta, "multiple-active");
	r->multiple_active = ham_streq(v, "stop_only") ? 1 : ham_streq(v, "block") ? 2
			     : ham_streq(v, "stop_unexpected") ? 3 : 0;
	r->allow_unhealthy = truthy(pe_attrs_get(&meta, "allow-unhealthy-nodes"), false);
	free(meta.v);
	if (p->n_ops > 0)
		read_ops(c, r, p->ops, p->n_ops);
	else if (tmpl && tmpl->n_ops > 0)
		read_ops(c, r, tmpl->ops, tmpl->n_ops);
	return r;
}

static void chain(struct ham_policy_input *in, int before, int cur)
{
	struct pe_colocation *co = pe_colocation_add(in);
	struct pe_order *o = pe_order_add(in);

	co->id = in->rscs[cur].id;
	co->rsc = cur;
	co->with = before;
	co->score = HAM_SCORE_INFINITY;
	o->id = in->rscs[cur].id;
	o->first = before;
	o->then = cur;
	o->first_action = "start";
	o->then_action = "start";
	o->kind = PE_ORDER_MANDATORY;
	o->symmetrical = true;
}

/*
 * A group is its members in a chain: each member is colocated with the one
 * before it and ordered after it; constraints on the group apply to its
 * first member (and "first" of an order to its last member).
 */
static void read_group(struct ctx *c, const struct ham_cib_resource *g)
{
	struct ham_policy_input *in = c->in;
	struct pe_attrs meta = { 0 };
	int first = -1, prev = -1;
	size_t i;

	read_nvsets(c, g->meta_attributes, g->n_meta_attributes, &meta);
	for (i = 0; i < g->n_children; i++) {
		const struct ham_cib_resource *m = g->children[i];
		int cur;

		if (m->kind != HAM_CIB_RSC_PRIMITIVE)
			continue;
		if (read_primitive_as(c, m, &meta, NULL) == NULL)
			break;
		cur = (int)in->nrscs - 1;
		in->rscs[cur].group = pe_str(in, g->id);
		if (first < 0)
			first = cur;
		if (prev >= 0)
			chain(in, prev, cur);
		prev = cur;
	}
	free(meta.v);
	if (first < 0)
		return;
	c->group_first = ham_reallocarray(c->group_first, c->ngroups + 1, sizeof(int));
	c->group_last = ham_reallocarray(c->group_last, c->ngroups + 1, sizeof(int));
	c->group_first[c->ngroups] = first;
	c->group_last[c->ngroups] = prev;
	c->ngroups++;
	qb_map_put(c->groups, pe_str(in, g->id), (void *)(uintptr_t)c->ngroups);
}

/* max instances of primitive p, as a clone of their own; its index or -1. */
static int clone_instances(struct ctx *c, const struct ham_cib_resource *p,
			   const struct pe_attrs *meta, int max, bool promotable, int pmax,
			   int node_max, bool unique, int min)
{
	struct ham_policy_input *in = c->in;
	struct pe_clone *cl;
	int i, first = (int)in->nrscs;

	for (i = 0; i < max; i++) {
		char *inst = ham_asprintf("%s:%d", p->id, i);
		struct pe_rsc *r = read_primitive_as(c, p, meta, inst);

		free(inst);
		if (r == NULL || c->ret)
			return -1;
		r->name = pe_str(in, p->id);
		r->clone = (int)in->nclones;
	}
	in->clones = ham_reallocarray(in->clones, in->nclones + 1, sizeof(*in->clones));
	cl = &in->clones[in->nclones];
	memset(cl, 0, sizeof(*cl));
	cl->id = pe_str(in, p->id);
	cl->first = first;
	cl->n = max;
	cl->promotable = promotable;
	cl->promoted_max = pmax;
	cl->promoted_node_max = 1;
	cl->node_max = node_max;
	cl->unique = unique;
	cl->min = min;
	cl->set = (int)in->nclones;
	cl->nset = 1;
	cl->orph_first = (int)in->nrscs;
	qb_map_put(c->clones, cl->id, (void *)(uintptr_t)(in->nclones + 1));
	qb_map_put(c->clones_last, cl->id, (void *)(uintptr_t)(in->nclones + 1));
	return (int)in->nclones++;
}

/*
 * A clone of a primitive: clone-max instances (default: one per node), each a
 * primitive of its own named after the child, never two on one node. A
 * cloned group: one clone per member; instance i of each member is colocated
 * with and ordered after instance i of the member before it.
 */
static void read_clone(struct ctx *c, const struct ham_cib_resource *x)
{
	struct ham_policy_input *in = c->in;
	const struct ham_cib_resource *child;
	struct pe_attrs meta = { 0 };
	const char *v;
	int max, i, pmax = 1, node_max = 1, min = 0, pnode_max = 1;
	bool promotable, unique, interleave;

	read_nvsets(c, x->meta_attributes, x->n_meta_attributes, &meta);
	promotable = x->legacy_master || truthy(pe_attrs_get(&meta, "promotable"), false);
	if ((v = pe_attrs_get(&meta, "promoted-max")) || (v = pe_attrs_get(&meta, "master-max")))
		pmax = score_of(c, x->line, "clone", x->id, v, 1);
	if ((v = pe_attrs_get(&meta, "promoted-node-max")) ||
	    (v = pe_attrs_get(&meta, "master-node-max")))
		pnode_max = score_of(c, x->line, "clone", x->id, v, 1);
	if (x->n_children == 0) {
		free(meta.v);
		return;
	}
	child = x->children[x->n_children - 1];
	max = (int)in->nnodes;
	if ((v = pe_attrs_get(&meta, "clone-max")))
		max = score_of(c, x->line, "clone", x->id, v, max);
	if (max < 0)
		max = 0;
	if ((v = pe_attrs_get(&meta, "clone-node-max")))
		node_max = score_of(c, x->line, "clone", x->id, v, 1);
	if (node_max < 1)
		node_max = 1;
	unique = truthy(pe_attrs_get(&meta, "globally-unique"), false);
	if ((v = pe_attrs_get(&meta, "clone-min")))
		min = score_of(c, x->line, "clone", x->id, v, 0);
	interleave = truthy(pe_attrs_get(&meta, "interleave"), false);
	if (pe_attrs_get(&meta, "resource-stickiness") == NULL &&
	    pe_attrs_get(&in->rsc_defaults, "resource-stickiness") == NULL) {
		/* clones stick to where they run unless told otherwise */
		pe_attrs_set(in, &meta, "resource-stickiness", "1");
	}
	if (child->kind == HAM_CIB_RSC_PRIMITIVE) {
		int k = clone_instances(c, child, &meta, max, promotable, pmax, node_max,
					 unique, min);

		if (k >= 0) {
			in->clones[k].interleave = interleave;
			in->clones[k].promoted_node_max = pnode_max;
			qb_map_put(c->clones, pe_str(in, x->id), (void *)(uintptr_t)(k + 1));
			qb_map_put(c->clones_last, pe_str(in, x->id), (void *)(uintptr_t)(k + 1));
		}
	} else if (child->kind == HAM_CIB_RSC_GROUP) {
		struct pe_attrs gm = { 0 };
		int prev = -1, firstk = -1;
		size_t q;

		for (q = 0; q < meta.n; q++)
			pe_attrs_set(in, &gm, meta.v[q].name, meta.v[q].value);
		read_nvsets(c, child->meta_attributes, child->n_meta_attributes, &gm);
		for (q = 0; q < child->n_children; q++) {
			const struct ham_cib_resource *m = child->children[q];
			int k;

			if (m->kind != HAM_CIB_RSC_PRIMITIVE)
				continue;
			k = clone_instances(c, m, &gm, max, promotable, pmax, node_max, unique,
					    min);
			if (k < 0)
				break;
			if (firstk < 0)
				firstk = k;
			if (prev >= 0)
				for (i = 0; i < max; i++)
					chain(in, in->clones[prev].first + i, in->clones[k].first + i);
			prev = k;
		}
		free(gm.v);
		for (i = firstk; firstk >= 0 && i <= prev; i++) {
			in->clones[i].set = firstk;
			in->clones[i].nset = prev - firstk + 1;
			in->clones[i].interleave = interleave;
			in->clones[i].promoted_node_max = pnode_max;
		}
		if (firstk >= 0) {
			qb_map_put(c->clones, pe_str(in, x->id), (void *)(uintptr_t)(firstk + 1));
			qb_map_put(c->clones_last, pe_str(in, x->id), (void *)(uintptr_t)(prev + 1));
			qb_map_put(c->clones, pe_str(in, child->id), (void *)(uintptr_t)(firstk + 1));
			qb_map_put(c->clones_last, pe_str(in, child->id),
				   (void *)(uintptr_t)(prev + 1));
		}
	}
	free(meta.v);
}

/* The clone an id names (the clone's or its child's id), or -1. */
static int clone_of(const struct ctx *c, const char *id)
{
	void *v = id ? qb_map_get(c->clones, id) : NULL;

	return v ? (int)((uintptr_t)v - 1) : -1;
}

/* Like clone_of(), but a cloned group's last member (an order's "first"). */
static int clone_of_last(const struct ctx *c, const char *id)
{
	void *v = id ? qb_map_get(c->clones_last, id) : NULL;

	return v ? (int)((uintptr_t)v - 1) : -1;
}

static bool under_clone(const struct ham_cib_resource *r)
{
	for (r = r->parent; r != NULL; r = r->parent)
		if (r->kind == HAM_CIB_RSC_CLONE)
			return true;
	return false;
}

static void read_resources(struct ctx *c)
{
	const struct ham_cib_model *m = c->m;
	size_t i;

	/* What each template stands for: the primitives made from it (not
	 * clone instances), in document order. */
	for (i = 0; i < m->n_templates; i++)
		xlist_add(c, m->templates[i]->id, NULL);
	for (i = 0; i < m->n_all_resources; i++) {
		const struct ham_cib_resource *r = m->all_resources[i];

		if (r->kind == HAM_CIB_RSC_PRIMITIVE && r->tmpl != NULL && !under_clone(r))
			xlist_add(c, r->tmpl->id, r->id);
	}
	for (i = 0; i < m->n_resources && !c->ret; i++) {
		const struct ham_cib_resource *r = m->resources[i];

		switch (r->kind) {
		case HAM_CIB_RSC_PRIMITIVE:
			read_primitive_as(c, r, NULL, NULL);
			break;
		case HAM_CIB_RSC_GROUP:
			read_group(c, r);
			break;
		case HAM_CIB_RSC_CLONE:
			read_clone(c, r);
			break;
		case HAM_CIB_RSC_TEMPLATE:
			break;
		}
	}
	for (i = 0; i < m->n_tags; i++) {
		const struct ham_cib_tag *t = m->tags[i];
		size_t j;

		xlist_add(c, t->id, NULL);
		for (j = 0; j < t->n_refs; j++)
			xlist_add(c, t->id, t->refs[j]);
	}
}

/* ------------------------------------------------------------------ */
/* Rules and constraints                                                */
/* ------------------------------------------------------------------ */

static const char *const attr_ops[HAM_CIB_OP_MAX] = {
	[HAM_CIB_OP_LT] = "lt",   [HAM_CIB_OP_GT] = "gt",   [HAM_CIB_OP_LTE] = "lte",
	[HAM_CIB_OP_GTE] = "gte", [HAM_CIB_OP_EQ] = "eq",   [HAM_CIB_OP_NE] = "ne",
	[HAM_CIB_OP_DEFINED] = "defined", [HAM_CIB_OP_NOT_DEFINED] = "not_defined",
};

static const char *type_str(enum ham_cib_attr_type t)
{
	switch (t) {
	case HAM_CIB_TYPE_STRING:
		return "string";
	case HAM_CIB_TYPE_INTEGER:
		return "integer";
	case HAM_CIB_TYPE_NUMBER:
		return "number";
	case HAM_CIB_TYPE_VERSION:
		return "version";
	default:
		return NULL;
	}
}

static struct pe_rule *read_rule(struct ctx *c, const struct ham_cib_rule *rn, int dflt_score,
				 int depth);

static void read_rule_into(struct ctx *c, const struct ham_cib_rule *rn, struct pe_rule *rule,
			   int dflt_score, int depth)
{
	struct ham_policy_input *in = c->in;
	size_t i;

	rule->score = rn->score.set ? rn->score.value : dflt_score;
	rule->score_attr = pe_str(in, rn->score_attribute);
	rule->is_or = rn->boolean_op == HAM_CIB_BOOL_OR;
	rule->role = role_str(rn->role);
	rule->e = ham_newa0(struct pe_expr, rn->n_exprs ? rn->n_exprs : 1);
	keep(in, rule->e);
	for (i = 0; i < rn->n_exprs; i++) {
		const struct ham_cib_expr *e = &rn->exprs[i];
		struct pe_expr *x = &rule->e[rule->ne];

		switch (e->kind) {
		case HAM_CIB_EXPR_ATTR:
			x->attr = pe_str(in, e->u.attr.attribute);
			x->op = (unsigned)e->u.attr.op < HAM_CIB_OP_MAX ? attr_ops[e->u.attr.op]
									: NULL;
			x->value = pe_str(in, e->u.attr.value);
			x->type = type_str(e->u.attr.type);
			x->value_source = e->u.attr.value_source == HAM_CIB_VALUE_PARAM ? "param"
					  : e->u.attr.value_source == HAM_CIB_VALUE_META ? "meta"
											  : NULL;
			break;
		case HAM_CIB_EXPR_RULE:
			if (depth > 64 || e->u.rule == NULL)
				continue;
			x->sub = read_rule(c, e->u.rule, 0, depth + 1);
			break;
		case HAM_CIB_EXPR_DATE: {
			struct pe_date *d = ham_new0(struct pe_date);

			keep(in, d);
			d->op = e->u.date.op;
			d->start = e->u.date.start;
			d->end = e->u.date.end;
			d->duration = e->u.date.duration;
			if (e->u.date.spec != NULL) {
				d->has_spec = true;
				d->spec = *e->u.date.spec;
				d->spec.id = NULL; /* not kept: the model is freed */
			}
			x->date = d;
			break;
		}
		default:
			continue;
		}
		rule->ne++;
	}
}

static struct pe_rule *read_rule(struct ctx *c, const struct ham_cib_rule *rn, int dflt_score,
				 int depth)
{
	struct pe_rule *r = ham_new0(struct pe_rule);

	keep(c->in, r);
	read_rule_into(c, rn, r, dflt_score, depth);
	return r;
}

static int rsc_ref_at(struct ctx *c, const char *element, const char *cid, unsigned line,
		      const char *id, bool last)
{
	int r;
	void *g;

	if (id == NULL) {
		fail(c, -HAM_E_CONFIG, line, element, cid, "missing resource reference");
		return -1;
	}
	if ((g = qb_map_get(c->groups, id)) != NULL) {
		size_t gi = (uintptr_t)g - 1;

		return last ? c->group_last[gi] : c->group_first[gi];
	}
	r = pe_rsc_find(c->in, id);
	if (r < 0 && c->in->unsupported)
		return -2; /* probably inside what we do not model */
	if (r < 0)
		fail(c, -HAM_E_CONFIG, line, element, cid, "resource '%s' does not exist", id);
	return r;
}

/* A resource set with its references expanded (templates, tags). */
struct rset {
	const struct ham_cib_rsc_set *s;
	const char **ids;
	size_t n;
	bool sequential;
	bool require_all;
};

static struct rset *read_sets(struct ctx *c, const struct ham_cib_rsc_set *sets, size_t n)
{
	struct rset *v = ham_newa0(struct rset, n ? n : 1);
	size_t i, j;

	for (i = 0; i < n; i++) {
		v[i].s = &sets[i];
		v[i].sequential = tri(sets[i].sequential, true);
		v[i].require_all = tri(sets[i].require_all, true);
		for (j = 0; j < sets[i].n_refs; j++)
			if (sets[i].refs[j].id)
				expand_id(c, sets[i].refs[j].id, &v[i].ids, &v[i].n, 0);
	}
	return v;
}

static void free_sets(struct rset *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].ids);
	free(v);
}

static void read_location_for(struct ctx *c, const struct ham_cib_location *l, int ri)
{
	struct ham_policy_input *in = c->in;
	struct pe_location *loc;
	size_t i;

	if (l->node != NULL) {
		int node = pe_node_find(in, l->node);

		if (node < 0)
			return; /* a constraint on an unknown node has no effect */
		loc = pe_location_add(in);
		loc->id = pe_str(in, l->id);
		loc->rsc = ri;
		loc->role = role_str(l->role);
		loc->node = node;
		loc->score = l->score.set ? l->score.value : 0;
		return;
	}
	if (l->n_rules == 0)
		return;
	loc = pe_location_add(in);
	loc->id = pe_str(in, l->id);
	loc->rsc = ri;
	loc->role = role_str(l->role);
	loc->node = -1;
	loc->rules = ham_newa0(struct pe_rule, l->n_rules);
	keep(in, loc->rules);
	for (i = 0; i < l->n_rules; i++)
		read_rule_into(c, l->rules[i], &loc->rules[loc->nrules++], 0, 0);
}

static void read_location_rsc(struct ctx *c, const struct ham_cib_location *l, const char *rsc)
{
	struct ham_policy_input *in = c->in;
	int cl = clone_of(c, rsc), ri, i;

	if (cl >= 0) {
		/* every instance */
		for (i = 0; i < in->clones[cl].n && !c->ret; i++)
			read_location_for(c, l, in->clones[cl].first + i);
		return;
	}
	ri = rsc_ref_at(c, "rsc_location", l->id, l->line, rsc, false);
	if (ri >= 0)
		read_location_for(c, l, ri);
}

static void read_location(struct ctx *c, const struct ham_cib_location *l)
{
	const char **ids = NULL;
	size_t n = 0, i, j;

	if (l->rsc.id == NULL) {
		struct rset *sets;

		if (l->n_sets == 0) {
			if (!c->in->unsupported)
				c->in->unsupported = "rsc_location without rsc (rsc-pattern)";
			return;
		}
		sets = read_sets(c, l->sets, l->n_sets);
		for (i = 0; i < l->n_sets && !c->ret; i++)
			for (j = 0; j < sets[i].n && !c->ret; j++)
				read_location_rsc(c, l, sets[i].ids[j]);
		free_sets(sets, l->n_sets);
		return;
	}
	expand_id(c, l->rsc.id, &ids, &n, 0);
	for (i = 0; i < n && !c->ret; i++)
		read_location_rsc(c, l, ids[i]);
	free(ids);
}

/* Resource ri may run on no node (what it needs never runs): constraint id. */
static void ban_everywhere(struct ham_policy_input *in, const char *id, int ri)
{
	size_t j;

	for (j = 0; j < in->nnodes; j++) {
		struct pe_location *l = pe_location_add(in);

		l->id = pe_str(in, id);
		l->rsc = ri;
		l->node = (int)j;
		l->score = -HAM_SCORE_INFINITY;
	}
}

/* One colocation "a with b", expanding clones (any instance as primary). */
static void add_coloc(struct ctx *c, const struct ham_cib_colocation *x, const char *a_id,
		      const char *b_id, int score, enum pe_role arole, enum pe_role brole)
{
	struct ham_policy_input *in = c->in;
	int ca = clone_of(c, a_id), cb = clone_of(c, b_id);
	int a, b, na = 1, i;

	a = ca >= 0 ? in->clones[ca].first
		    : rsc_ref_at(c, "rsc_colocation", x->id, x->line, a_id, false);
	b = cb >= 0 ? in->clones[cb].first
		    : rsc_ref_at(c, "rsc_colocation", x->id, x->line, b_id, false);
	if (ca >= 0)
		na = in->clones[ca].n;
	if (a >= 0 && cb >= 0 && in->clones[cb].n == 0) {
		/* with a clone of no instances (clone-max 0) */
		if (score >= HAM_SCORE_INFINITY)
			for (i = 0; i < na; i++)
				ban_everywhere(in, x->id, a + i);
		return;
	}
	if (a < 0 || b < 0)
		return;
	for (i = 0; i < na; i++) {
		struct pe_colocation *co = pe_colocation_add(in);

		co->id = pe_str(in, x->id);
		co->rsc = a + i;
		co->with = b;
		co->with_clone = cb;
		co->score = score;
		co->rsc_role = arole;
		co->with_role = brole;
		if (x->node_attribute && !ham_streq(x->node_attribute, "#uname"))
			co->node_attr = pe_str(in, x->node_attribute);
	}
}

static void read_colocation(struct ctx *c, const struct ham_cib_colocation *x)
{
	int score = x->score.set ? x->score.value : 0;
	struct rset *sets;
	size_t i, j;

	if (x->rsc.id != NULL) {
		const char **a = NULL, **b = NULL;
		size_t na = 0, nb = 0;

		expand_id(c, x->rsc.id, &a, &na, 0);
		if (x->with_rsc.id)
			expand_id(c, x->with_rsc.id, &b, &nb, 0);
		for (i = 0; i < na && !c->ret; i++)
			for (j = 0; j < nb && !c->ret; j++)
				add_coloc(c, x, a[i], b[j], score, role_of(x->rsc_role),
					  role_of(x->with_rsc_role));
		free(a);
		free(b);
		return;
	}
	/*
	 * Sets: in a sequential set each member is colocated with the one
	 * before it; a set is colocated with the set after it (its first
	 * member, or every member of a non-sequential set, with the next
	 * set's last member).
	 */
	sets = read_sets(c, x->sets, x->n_sets);
	for (i = 0; i < x->n_sets && !c->ret; i++) {
		struct rset *s = &sets[i];
		enum pe_role role = role_of(s->s->role);
		int sscore = s->s->score.set ? s->s->score.value : score;

		if (s->sequential)
			for (j = 1; j < s->n; j++)
				add_coloc(c, x, s->ids[j], s->ids[j - 1], sscore, role, role);
		if (i + 1 < x->n_sets && sets[i + 1].n > 0 && s->n > 0) {
			struct rset *t = &sets[i + 1];
			const char *primary = t->ids[t->n - 1];
			enum pe_role trole = role_of(t->s->role);

			if (s->sequential)
				add_coloc(c, x, s->ids[0], primary, score, role, trole);
			else
				for (j = 0; j < s->n; j++)
					add_coloc(c, x, s->ids[j], primary, score, role, trole);
		}
	}
	free_sets(sets, x->n_sets);
}

/* One order "a then b", expanding clones (any instance as first). */
static void add_order(struct ctx *c, const struct ham_cib_order *x, const char *a_id,
		      const char *b_id, const char *fa, const char *ta, enum pe_order_kind kind,
		      bool sym)
{
	struct ham_policy_input *in = c->in;
	int ca = clone_of_last(c, a_id), cb = clone_of(c, b_id);
	int a, b, nb = 1, i;

	a = ca >= 0 ? in->clones[ca].first
		    : rsc_ref_at(c, "rsc_order", x->id, x->line, a_id, true);
	b = cb >= 0 ? in->clones[cb].first
		    : rsc_ref_at(c, "rsc_order", x->id, x->line, b_id, false);
	if (cb >= 0)
		nb = in->clones[cb].n;
	if (b >= 0 && ca >= 0 && in->clones[ca].n == 0) {
		/* after a clone of no instances (clone-max 0): a mandatory
		 * start never comes */
		if (kind == PE_ORDER_MANDATORY && (fa == NULL || ham_streq(fa, "start")))
			for (i = 0; i < nb; i++)
				ban_everywhere(in, x->id, b + i);
		return;
	}
	if (a < 0 || b < 0)
		return;
	for (i = 0; i < nb; i++) {
		struct pe_order *o = pe_order_add(in);

		o->id = pe_str(in, x->id);
		o->first = a;
		o->first_clone = ca;
		o->then = b + i;
		o->first_action = fa ? fa : "start";
		o->then_action = ta ? ta : o->first_action;
		o->kind = kind;
		o->symmetrical = sym;
		/* per node, unless clone-min or require-all=false make it a
		 * count of first's instances, wherever they run */
		o->interleave = ca >= 0 && cb >= 0 && in->clones[cb].interleave &&
				in->clones[ca].min <= 0 && tri(x->require_all, true);
		o->one_or_more = ca >= 0 && !tri(x->require_all, true);
	}
}

static void read_order(struct ctx *c, const struct ham_cib_order *x)
{
	enum pe_order_kind k = PE_ORDER_MANDATORY;
	struct rset *sets;
	size_t i, j, q;
	bool sym;

	if (x->kind == HAM_CIB_KIND_OPTIONAL)
		k = PE_ORDER_OPTIONAL;
	else if (x->kind == HAM_CIB_KIND_SERIALIZE)
		k = PE_ORDER_SERIALIZE;
	else if (x->kind == HAM_CIB_KIND_UNSET && x->score.set && x->score.value == 0)
		k = PE_ORDER_OPTIONAL;
	sym = tri(x->symmetrical, k != PE_ORDER_SERIALIZE);
	if (x->first.id != NULL) {
		const char **a = NULL, **b = NULL;
		size_t na = 0, nb = 0;

		expand_id(c, x->first.id, &a, &na, 0);
		if (x->then.id)
			expand_id(c, x->then.id, &b, &nb, 0);
		for (i = 0; i < na && !c->ret; i++)
			for (j = 0; j < nb && !c->ret; j++)
				add_order(c, x, a[i], b[j], action_str(x->first_action),
					  action_str(x->then_action), k, sym);
		free(a);
		free(b);
		return;
	}
	/* Sets: members of a sequential set in turn; each set after the one before. */
	sets = read_sets(c, x->sets, x->n_sets);
	for (i = 0; i < x->n_sets && !c->ret; i++) {
		struct rset *s = &sets[i];
		const char *act = action_str(s->s->action);

		if (s->sequential)
			for (j = 1; j < s->n; j++)
				add_order(c, x, s->ids[j - 1], s->ids[j], act, act, k, sym);
		if (i + 1 < x->n_sets && s->n > 0 && sets[i + 1].n > 0) {
			struct rset *t = &sets[i + 1];
			const char *tact = action_str(t->s->action);
			size_t a0 = s->sequential ? s->n - 1 : 0, b1 = t->sequential ? 1 : t->n;

			if (!s->require_all) {
				/* one or more of s's members, whichever, before
				 * each of t's first members */
				for (q = 0; q < b1; q++) {
					size_t from = c->in->norders, o;

					c->any_of++;
					for (j = 0; j < s->n; j++)
						add_order(c, x, s->ids[j], t->ids[q], act, tact, k,
							  sym);
					for (o = from; o < c->in->norders; o++)
						c->in->orders[o].any_of = c->any_of;
				}
				continue;
			}
			for (j = a0; j < s->n; j++)
				for (q = 0; q < b1; q++)
					add_order(c, x, s->ids[j], t->ids[q], act, tact, k, sym);
		}
	}
	free_sets(sets, x->n_sets);
}

static void read_ticket_rsc(struct ctx *c, const struct ham_cib_ticket_constraint *x,
			    const char *rsc, enum ham_cib_role role)
{
	struct ham_policy_input *in = c->in;
	int cl = clone_of(c, rsc), first, n = 1, i;

	if (cl >= 0) {
		first = in->clones[cl].first;
		n = in->clones[cl].n;
	} else {
		first = rsc_ref_at(c, "rsc_ticket", x->id, x->line, rsc, false);
		if (first < 0)
			return;
	}
	for (i = 0; i < n; i++) {
		struct pe_ticket_dep *d;

		in->tdeps = ham_reallocarray(in->tdeps, in->ntdeps + 1, sizeof(*in->tdeps));
		d = &in->tdeps[in->ntdeps++];
		d->rsc = first + i;
		d->ticket = pe_str(in, x->ticket);
		d->loss = x->loss_policy == HAM_CIB_LOSS_DEMOTE ? 1
			  : x->loss_policy == HAM_CIB_LOSS_FREEZE ? 2
			  : x->loss_policy == HAM_CIB_LOSS_FENCE ? 3 : 0;
		d->promoted_only = role == HAM_CIB_ROLE_PROMOTED;
	}
}

static void read_ticket(struct ctx *c, const struct ham_cib_ticket_constraint *x)
{
	const char **ids = NULL;
	size_t n = 0, i;

	if (x->ticket == NULL)
		return;
	if (x->rsc.id != NULL) {
		expand_id(c, x->rsc.id, &ids, &n, 0);
		for (i = 0; i < n && !c->ret; i++)
			read_ticket_rsc(c, x, ids[i], x->rsc_role);
		free(ids);
		return;
	}
	/* ticket sets: every member depends on the ticket, in its set's role */
	for (size_t k = 0; k < x->n_sets && !c->ret; k++) {
		const struct ham_cib_rsc_set *st = &x->sets[k];
		enum ham_cib_role role = st->role != HAM_CIB_ROLE_UNSET ? st->role : x->rsc_role;

		for (size_t j = 0; j < st->n_refs && !c->ret; j++) {
			ids = NULL;
			n = 0;
			if (st->refs[j].id != NULL)
				expand_id(c, st->refs[j].id, &ids, &n, 0);
			for (i = 0; i < n && !c->ret; i++)
				read_ticket_rsc(c, x, ids[i], role);
			free(ids);
		}
	}
}

static void read_constraints(struct ctx *c)
{
	const struct ham_cib_model *m = c->m;
	size_t i;

	for (i = 0; i < m->n_locations && !c->ret; i++)
		read_location(c, m->locations[i]);
	for (i = 0; i < m->n_colocations && !c->ret; i++)
		read_colocation(c, m->colocations[i]);
	for (i = 0; i < m->n_orders && !c->ret; i++)
		read_order(c, m->orders[i]);
	for (i = 0; i < m->n_tickets && !c->ret; i++)
		read_ticket(c, m->tickets[i]);
}

/* ------------------------------------------------------------------ */
/* Status                                                               */
/* ------------------------------------------------------------------ */

/* "true"/"yes"/"1" or a timestamp > 0: 1; false/0: 0; absent: -1 */
static int tristate(const char *s)
{
	bool b;
	int64_t v;

	if (s == NULL)
		return -1;
	if (ham_parse_int64(s, &v) == 0)
		return v > 0;
	if (ham_streq(s, "online"))
		return 1;
	if (ham_streq(s, "offline"))
		return 0;
	if (ham_parse_bool(s, &b) == 0)
		return b;
	return 0;
}

static void node_status_fencing(struct pe_node *n, const struct ham_cib_node_state *ns,
				int member, int crmd);

static void node_status(struct ham_policy_input *in, struct pe_node *n,
			const struct ham_cib_node_state *ns)
{
	int member = tristate(ns->in_ccm);
	int crmd = tristate(ns->crmd);
	bool join_member = ham_streq(ns->join, "member");

	n->seen = true;
	if (!in->stonith_enabled) {
		if (member == 1 && crmd == 1 && join_member) {
			n->online = true;
		} else if (member == 1 && crmd != 1 && join_member &&
			   ham_streq(ns->expected, "member")) {
			n->unclean = true;
			n->unclean_reason = "peer process is no longer available";
		} else if (member == 1 && !join_member && crmd == 1) {
			n->pending = true;
		}
		return;
	}
	node_status_fencing(n, ns, member, crmd);
}

/*
 * With fencing, a node_state reads as follows. Never seen by the membership
 * (no in_ccm): unclean. Refused by the join (banned, nack): unclean. In the
 * membership with its controller up and joined: online (also when expected
 * down, while it shuts down). Expected down (or no expectation): pending
 * while its controller is up or it is in the membership without having
 * joined, else cleanly offline (a controller that left after joining shut
 * down). Expected a member: cleanly offline when out of the membership
 * with controller and join down; unclean when it left the membership
 * otherwise or its controller is gone; pending
 * while joining (join pending or down); unclean in any other join state.
 * "online" means in the membership, so an unclean member shows as
 * UNCLEAN (online).
 */
static void node_status_fencing(struct pe_node *n, const struct ham_cib_node_state *ns,
				int member, int crmd)
{
	bool expected_down = ns->expected == NULL || ham_streq(ns->expected, "down");

	n->online = member == 1;
	if (member < 0) {
		n->unclean = true;
		n->unclean_reason = "peer has not been seen by the cluster";
	} else if (ham_streq(ns->join, "banned") || ham_streq(ns->join, "nack")) {
		n->unclean = true;
		n->unclean_reason = "peer failed Pacemaker membership criteria";
	} else if (member == 1 && crmd == 1 && ham_streq(ns->join, "member")) {
		/* active, even when expected down (shutting down) */
	} else if (expected_down) {
		if (crmd == 1 || (member == 1 && !ham_streq(ns->join, "member"))) {
			n->pending = true;
			n->pending_since_s = ns->in_ccm_since_s;
		}
		n->online = false;
	} else if (member != 1 && crmd != 1 && ham_streq(ns->join, "down")) {
		/* left cleanly: out of the membership, controller and join down */
	} else if (member != 1) {
		n->unclean = true;
		n->unclean_reason = "peer is no longer part of the cluster";
	} else if (crmd != 1) {
		n->unclean = true;
		n->unclean_reason = "peer process is no longer available";
	} else if (ham_streq(ns->join, "member")) {
		/* active */
	} else if (ns->join == NULL || ham_streq(ns->join, "pending") ||
		   ham_streq(ns->join, "down")) {
		n->pending = true;
		n->online = false;
		n->pending_since_s = ns->in_ccm_since_s;
	} else {
		n->unclean = true;
		n->unclean_reason = "peer was in an unknown state";
	}
}

/* A node whose "terminate" attribute is set is fenced, unless it is down
 * already (out of the membership, controller gone, join down). */
static void node_terminate(struct ham_policy_input *in, struct pe_node *n,
			   const struct ham_cib_node_state *ns)
{
	const char *v = pe_attrs_get(&n->attrs, "terminate");
	bool down = tristate(ns->in_ccm) <= 0 && tristate(ns->crmd) <= 0 &&
		    ham_streq(ns->join, "down");

	if (!in->stonith_enabled || v == NULL || !truthy(v, false) || down)
		return;
	n->unclean = true;
	n->pending = false;
	n->unclean_reason = "fencing was requested";
}

/* One ':'-separated integer field of a transition key ("action:transition:
 * expected-rc:uuid", or the part after ';' of a transition-magic). */
static bool key_field(const char *key, int field, int *ret)
{
	const char *p = key;
	int64_t v;
	char buf[16];
	size_t len;

	if (key == NULL)
		return false;
	while (field-- > 0) {
		p = strchr(p, ':');
		if (p == NULL)
			return false;
		p++;
	}
	len = strcspn(p, ":");
	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, p, len);
	buf[len] = '\0';
	if (ham_parse_int64(buf, &v) < 0 || v < INT32_MIN || v > INT32_MAX)
		return false;
	*ret = (int)v;
	return true;
}

/* The expected rc from "action:transition:expected-rc:uuid", or -1. */
static int parse_transition_rc(const char *key)
{
	int v;

	return key_field(key, 2, &v) ? v : -1;
}

/* The graph and action numbers of an operation record: from its
 * transition-key, else from the key inside its transition-magic. */
static void parse_transition_nums(const struct ham_cib_lrm_op *o, struct pe_hist_op *h)
{
	const char *key = o->transition_key;
	const char *semi;
	int i;

	if (key == NULL && o->transition_magic &&
	    (semi = strchr(o->transition_magic, ';')) != NULL)
		key = semi + 1;
	h->has_trans = key_field(key, 0, &h->action_num) && key_field(key, 1, &h->trans_num);
	if (!h->has_trans) {
		h->trans_num = h->action_num = -1;
		return;
	}
	/* the series: what follows the third ':' (FNV-1a, only compared) */
	h->trans_uuid = 2166136261u;
	for (i = 0; i < 3 && key != NULL; i++)
		if ((key = strchr(key, ':')) != NULL)
			key++;
	for (; key && *key; key++)
		h->trans_uuid = (h->trans_uuid ^ (unsigned char)*key) * 16777619u;
}

/* Operation names as static strings (the history outlives the CIB model). */
static const char *op_name(const char *s)
{
	static const char *const known[] = {
		"monitor", "start", "stop", "promote", "demote", "migrate_to",
		"migrate_from", "notify", "reload", "reload-agent", "cancel",
	};
	size_t i;

	if (s == NULL)
		return "unknown";
	for (i = 0; i < HAM_ARRAY_SIZE(known); i++)
		if (strcmp(s, known[i]) == 0)
			return known[i];
	return "other";
}

/*
 * The engine's resource an lrm_resource's history belongs to; NULL for an
 * anonymous clone's, which goes to the clone (*ret_clone): which instance it
 * is, is decided at compute time.
 */
static struct pe_rsc *lrm_target(struct ctx *c, const struct ham_cib_lrm_resource *lr,
				 int *ret_clone)
{
	struct ham_policy_input *in = c->in;
	const char *id = lr->id;
	int ri = pe_rsc_find(in, id);
	const char *colon = strrchr(id, ':');
	size_t len = colon ? (size_t)(colon - id) : strlen(id);
	char *base = ham_strndup(id, len);
	int cl = clone_of(c, base);
	struct pe_rsc *r;

	free(base);
	*ret_clone = -1;
	/* a clone instance: "child" or "child:N" */
	if (cl >= 0 && !in->clones[cl].unique &&
	    (ri < 0 || in->rscs[ri].clone == cl)) {
		*ret_clone = cl;
		return NULL;
	}
	if (ri < 0 && cl >= 0 && colon) {
		int64_t n = -1;

		(void)ham_parse_int64(colon + 1, &n);
		if (n >= 0 && n < in->clones[cl].n)
			ri = in->clones[cl].first + (int)n;
	}
	if (ri >= 0)
		return &in->rscs[ri];
	/* an orphan: only in the status; it must be stopped */
	r = pe_rsc_add(in, id);
	r->cls = pe_str(in, lr->class_);
	r->provider = pe_str(in, lr->provider);
	r->type = pe_str(in, lr->type);
	r->orphan = true;
	r->target_role = PE_ROLE_STOPPED;
	r->st = ham_newa0(struct pe_rsc_state, in->nnodes ? in->nnodes : 1);
	return r;
}

static void read_history(struct ctx *c, int node, const struct ham_cib_lrm_resource *lr)
{
	int cl;
	struct pe_rsc *r = lrm_target(c, lr, &cl);
	struct pe_clone_hist *ch = cl >= 0 ? pe_clone_hist_at(c->in, cl, node, true) : NULL;
	struct pe_hist_op **ops = ch ? &ch->ops : &r->st[node].ops;
	size_t *nops = ch ? &ch->nops : &r->st[node].nops;
	size_t i;

	if (lr->n_ops > 0) {
		*ops = ham_reallocarray(*ops, *nops + lr->n_ops, sizeof(**ops));
		for (i = 0; i < lr->n_ops; i++) {
			const struct ham_cib_lrm_op *o = &lr->ops[i];
			struct pe_hist_op *h = &(*ops)[(*nops)++];

			memset(h, 0, sizeof(*h));
			h->op = op_name(o->operation);
			h->last_failure = o->id && strstr(o->id, "_last_failure_") != NULL;
			h->interval_ms = o->interval_ms;
			h->call_id = o->call_id < 0 || o->call_id > INT32_MAX ? -1 : (int)o->call_id;
			h->rc = o->has_rc_code ? o->rc_code : 0;
			h->op_status = o->has_op_status ? o->op_status : 0;
			h->expected_rc = parse_transition_rc(o->transition_key);
			parse_transition_nums(o, h);
			h->last_rc_change = o->last_rc_change > 0 ? o->last_rc_change
					    : o->last_run > 0 ? o->last_run : 0;
		}
	}
	if (r)
		r->st[node].has_history = true;
}

/*
 * Instances beyond clone-max that an anonymous clone's history may need:
 * entries past the first of a member on one node, and entries on more nodes
 * than there are instances. Orphans, stopped where they run.
 */
static void add_clone_orphans(struct ctx *c)
{
	struct ham_policy_input *in = c->in;
	size_t k, e, nk = in->nclones;
	int *seen = ham_newa0(int, in->nnodes ? in->nnodes : 1);

	for (k = 0; k < nk && !c->ret; k++) {
		struct pe_clone *cl = &in->clones[k];
		const struct pe_clone *set = &in->clones[cl->set];
		int dups = 0, nodes = 0, i, norph;
		const struct pe_rsc *model = cl->n > 0 ? &in->rscs[cl->first] : NULL;

		memset(seen, 0, sizeof(int) * in->nnodes);
		for (e = 0; e < set->nhist; e++) {
			if (set->hist[e].member != (int)k)
				continue;
			if (seen[set->hist[e].node]++)
				dups++;
			else
				nodes++;
		}
		norph = dups + (nodes > cl->n ? nodes - cl->n : 0);
		cl = &in->clones[k];
		cl->orph_first = (int)in->nrscs;
		for (i = 0; i < norph; i++) {
			char *id = ham_asprintf("%s:%d", cl->id, cl->n + i);
			struct pe_rsc *r;

			if (pe_rsc_find(in, id) >= 0) {
				fail(c, -HAM_E_CONFIG, 0, "clone", cl->id,
				     "resource id '%s' collides with an instance", id);
				free(id);
				break;
			}
			r = pe_rsc_add(in, id);
			free(id);
			if (model) {
				model = &in->rscs[cl->first]; /* rscs may have moved */
				r->cls = model->cls;
				r->provider = model->provider;
				r->type = model->type;
				r->is_stonith = model->is_stonith;
				r->group = model->group;
			}
			r->name = cl->id;
			r->clone = (int)k;
			r->orphan = true;
			r->target_role = PE_ROLE_STOPPED;
			r->st = ham_newa0(struct pe_rsc_state, in->nnodes ? in->nnodes : 1);
			cl->norph++;
		}
	}
	free(seen);
}

static void read_status(struct ctx *c)
{
	struct ham_policy_input *in = c->in;
	const struct ham_cib_model *m = c->m;
	size_t i, j;

	for (i = 0; i < m->n_node_states; i++) {
		const struct ham_cib_node_state *ns = m->node_states[i];
		int ni = ns->uname ? pe_node_find(in, ns->uname) : -1;
		struct pe_node *pn;

		if (ni < 0 && ns->id)
			ni = pe_node_find_id(in, ns->id);
		if (ni < 0)
			continue;
		pn = &in->nodes[ni];
		node_status(in, pn, ns);
		read_nvsets_kind(c, ns->transient_attributes, ns->n_transient_attributes,
				 HAM_CIB_NVSET_INSTANCE, &pn->attrs);
		read_nvsets_kind(c, ns->transient_attributes, ns->n_transient_attributes,
				 HAM_CIB_NVSET_UTILIZATION, &pn->util);
		node_terminate(in, pn, ns);
		for (j = 0; j < ns->n_lrm_resources; j++)
			read_history(c, ni, &ns->lrm_resources[j]);
	}
	for (i = 0; i < m->n_ticket_states; i++) {
		const struct ham_cib_ticket_state *t = m->ticket_states[i];

		if (t->id)
			pe_attrs_set(in, &in->tickets, t->id,
				     t->standby == HAM_CIB_TRUE ? "standby"
				     : t->granted == HAM_CIB_TRUE ? "granted" : "revoked");
	}
}

static void finish_nodes(struct ham_policy_input *in)
{
	size_t i;

	for (i = 0; i < in->nnodes; i++) {
		struct pe_node *n = &in->nodes[i];
		const char *v;

		if (!n->seen && in->stonith_enabled && in->startup_fencing) {
			n->unclean = true;
			n->unclean_reason = "node is unclean";
		}
		n->standby = truthy(pe_attrs_get(&n->attrs, "standby"), false);
		n->maintenance = truthy(pe_attrs_get(&n->attrs, "maintenance"), false) ||
				 in->maintenance_mode;
		v = pe_attrs_get(&n->attrs, "shutdown");
		if (v && !ham_streq(v, "0") && n->online)
			n->shutdown = true;
	}
}

/* ------------------------------------------------------------------ */
/* Entry points                                                         */
/* ------------------------------------------------------------------ */

/* A new, empty input with the cluster defaults. */
static struct ham_policy_input *pe_input_new(const struct ham_cib_model *m)
{
	struct ham_policy_input *in = ham_new0(struct ham_policy_input);

	/* the tables do not grow: size them for the model */
	in->node_by_uname = qb_hashtable_create(m->n_nodes + 64);
	in->node_by_id = qb_hashtable_create(m->n_nodes + 64);
	in->rsc_by_id = qb_hashtable_create(2 * m->n_all_resources + 1024);
	in->stonith_enabled = true;
	in->symmetric = true;
	in->start_failure_is_fatal = true;
	in->startup_fencing = true;
	return in;
}

/* Fills in from the model: 0, or -HAM_E_CONFIG with a message in *ret_err. */
static int pe_input_fill(struct ham_policy_input *in, const struct ham_cib_model *m,
			 char **ret_err)
{
	struct ctx c = { .in = in, .m = m, .err = HAM_BUF_INIT };
	size_t i;

	c.groups = qb_hashtable_create(m->n_all_resources / 4 + 64);
	c.clones = qb_hashtable_create(64);
	c.clones_last = qb_hashtable_create(64);
	in->have_quorum = m->have_quorum == HAM_CIB_TRUE;
	in->execution_date = m->execution_date.set ? m->execution_date.epoch_s : 0;
	read_cluster_options(&c);
	/* suicide fences only a partition that lost the quorum it had
	 * (no-quorum-panic), not one that never had it: that one stops */
	if (in->no_quorum_policy == PE_NQ_SUICIDE && !in->have_quorum &&
	    m->no_quorum_panic != HAM_CIB_TRUE)
		in->no_quorum_policy = PE_NQ_STOP;
	read_nvsets(&c, m->rsc_defaults, m->n_rsc_defaults, &in->rsc_defaults);
	read_nvsets(&c, m->op_defaults, m->n_op_defaults, &in->op_defaults);
	read_nodes(&c);
	if (!c.ret)
		read_resources(&c);
	if (!c.ret)
		read_constraints(&c);
	if (!c.ret) {
		pe_input_finish(in);
		read_status(&c);
		add_clone_orphans(&c);
		pe_input_finish(in);
		finish_nodes(in);
		pe_index_failcounts(in);
		for (i = 0; i < in->nnodes; i++)
			in->nodes[i].is_dc = m->dc_uuid != NULL &&
					     ham_streq(in->nodes[i].id, m->dc_uuid);
	}
	qb_map_destroy(c.groups);
	qb_map_destroy(c.clones);
	qb_map_destroy(c.clones_last);
	free(c.group_first);
	free(c.group_last);
	for (i = 0; i < c.nxl; i++)
		free(c.xl[i].v);
	free(c.xl);
	if (c.ret && ret_err)
		*ret_err = ham_buf_steal(&c.err);
	ham_buf_free(&c.err);
	return c.ret;
}

int ham_policy_input_from_model(const struct ham_cib_model *m, ham_policy_input **ret_in,
				char **ret_err)
{
	struct ham_policy_input *in;
	int r;

	if (m == NULL || ret_in == NULL)
		return -EINVAL;
	in = pe_input_new(m);
	r = pe_input_fill(in, m, ret_err);
	if (r < 0) {
		ham_policy_input_free(in);
		return r;
	}
	*ret_in = in;
	return 0;
}

int pe_input_from_memory(const char *buf, size_t len, uint32_t cib_flags,
			 struct ham_policy_input **ret_in, char **ret_err);

/*
 * Loads through lib/cib (cib_flags: HAM_CIB_LOAD_*; with HAM_CIB_LOAD_SCHEMA
 * these are hactl verify's options), so that an input is refused with the
 * same diagnostics; every error (and warning) goes into *ret_err, one per
 * line, as hactl verify prints them.
 */
int pe_input_from_memory(const char *buf, size_t len, uint32_t cib_flags,
			 struct ham_policy_input **ret_in, char **ret_err)
{
	struct ham_cib_load_opts opts = { .flags = cib_flags | HAM_CIB_LOAD_TO_RUN };
	ham_cib_diags *diags = ham_cib_diags_new();
	ham_cib *cib = NULL;
	int r;

	r = ham_cib_load_mem(buf, len, "cib.xml", &opts, &cib, diags);
	if (r < 0) {
		if (ret_err) {
			ham_buf b = HAM_BUF_INIT;

			ham_cib_diags_text(diags, "cib.xml", r, &b);
			/* without the trailing newline */
			if (b.len > 0 && b.s[b.len - 1] == '\n')
				b.s[--b.len] = '\0';
			*ret_err = ham_buf_steal(&b);
			ham_buf_free(&b);
		}
		goto out;
	}
	r = ham_policy_input_from_model(ham_cib_model(cib), ret_in, ret_err);
out:
	ham_cib_free(cib);
	ham_cib_diags_free(diags);
	return r;
}
