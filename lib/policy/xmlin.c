/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/policy: fills the working model from a CIB document (libxml2 tree):
 * cluster options, nodes, primitives, constraints, and the status section
 * (node states, transient attributes, operation history).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "model.h"

struct ctx {
	struct ham_policy_input *in;
	xmlNodePtr id_root; /* where id-refs are resolved (the configuration) */
	qb_map_t *ids;   /* id -> xmlNodePtr, built on first id-ref */
	qb_map_t *groups; /* group id -> index in group_first/last + 1 */
	qb_map_t *clones; /* clone id and child id -> index in clones[] + 1 */
	qb_map_t *clones_last; /* same, but the last member's clone for cloned groups */
	int *group_first, *group_last;
	size_t ngroups;
	struct xlist *xl;   /* templates and tags: what their ids stand for */
	size_t nxl;
	ham_buf err;
	int ret;
};

/* An id that stands for several resources (a template or a tag). */
struct xlist {
	const char *id;
	const char **v;
	size_t n;
};

static bool is(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Attribute value: points into the tree (valid while the doc lives). */
static const char *attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;

	if (n == NULL)
		return NULL;
	for (a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, name) == 0 && a->children &&
		    a->children->type == XML_TEXT_NODE)
			return (const char *)a->children->content;
	for (a = n->properties; a; a = a->next)
		if (strcmp((const char *)a->name, name) == 0)
			return "";
	return NULL;
}

#define FOR_CHILD(c, parent) \
	for (xmlNodePtr c = (parent) ? (parent)->children : NULL; c; c = c->next) \
		if (c->type == XML_ELEMENT_NODE)

static void fail(struct ctx *c, int ret, xmlNodePtr n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void fail(struct ctx *c, int ret, xmlNodePtr n, const char *fmt, ...)
{
	va_list ap;

	if (c->ret)
		return;
	c->ret = ret;
	if (n) {
		const char *id = attr(n, "id");

		ham_buf_addf(&c->err, "line %ld: <%s%s%s%s>: ", (long)xmlGetLineNo(n),
			     (const char *)n->name, id ? " id=\"" : "", id ? id : "",
			     id ? "\"" : "");
	}
	va_start(ap, fmt);
	ham_buf_vaddf(&c->err, fmt, ap);
	va_end(ap);
}

static void index_ids(struct ctx *c, xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		const char *id = attr(n, "id");

		if (id && qb_map_get(c->ids, id) == NULL)
			qb_map_put(c->ids, id, n);
		index_ids(c, n->children);
	}
}

static xmlNodePtr resolve(struct ctx *c, xmlNodePtr n)
{
	const char *ref = attr(n, "id-ref");
	xmlNodePtr t;

	if (ref == NULL)
		return n;
	if (c->ids == NULL) {
		c->ids = qb_hashtable_create(256);
		index_ids(c, c->id_root);
	}
	t = qb_map_get(c->ids, ref);
	if (t == NULL) {
		fail(c, -HAM_E_CONFIG, n, "id-ref \"%s\" does not match any id", ref);
		return NULL;
	}
	return t;
}

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
static void expand_id(struct ctx *c, const char *id, const char ***out, size_t *n,
		      int depth)
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

static xmlNodePtr find_id(struct ctx *c, const char *id)
{
	if (c->ids == NULL) {
		c->ids = qb_hashtable_create(256);
		index_ids(c, c->id_root);
	}
	return qb_map_get(c->ids, id);
}

/* nvpairs of every set named `set` under parent into attrs */
static void read_nvsets(struct ctx *c, xmlNodePtr parent, const char *set,
			struct pe_attrs *out)
{
	FOR_CHILD(s, parent) {
		xmlNodePtr rs;

		if (!is(s, set))
			continue;
		rs = resolve(c, s);
		if (rs == NULL)
			return;
		FOR_CHILD(p, rs) {
			xmlNodePtr rp;
			const char *name, *value;

			if (!is(p, "nvpair"))
				continue;
			rp = resolve(c, p);
			if (rp == NULL)
				return;
			name = attr(rp, "name");
			value = attr(rp, "value");
			if (name == NULL) {
				fail(c, -HAM_E_CONFIG, rp, "nvpair without a name");
				return;
			}
			pe_attrs_set(c->in, out, name, value ? value : "");
		}
	}
}

static bool truthy(const char *s, bool dflt)
{
	bool b;

	if (s == NULL)
		return dflt;
	if (ham_parse_bool(s, &b) < 0)
		return dflt;
	return b;
}

static int score_of(struct ctx *c, xmlNodePtr n, const char *s, int dflt)
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
			fail(c, -HAM_E_CONFIG, n, "invalid score \"%s\"", s);
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

static void read_cluster_options(struct ctx *c, xmlNodePtr crm_config)
{
	struct ham_policy_input *in = c->in;
	struct pe_attrs a = { 0 };
	const char *v;

	read_nvsets(c, crm_config, "cluster_property_set", &a);
	v = pe_attrs_get(&a, "fencing-enabled");
	if (v == NULL)
		v = pe_attrs_get(&a, "stonith-enabled");
	in->stonith_enabled = truthy(v, true);
	v = pe_attrs_get(&a, "fencing-action");
	if (v == NULL)
		v = pe_attrs_get(&a, "stonith-action");
	in->stonith_action = pe_str(in, v ? (ham_streq(v, "poweroff") ? "off" : v) : "reboot");
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
		in->health_red = score_of(c, crm_config, pe_attrs_get(&a, "node-health-red"),
					  -HAM_SCORE_INFINITY);
		in->health_yellow = score_of(c, crm_config,
					     pe_attrs_get(&a, "node-health-yellow"), 0);
		in->health_green = score_of(c, crm_config, pe_attrs_get(&a, "node-health-green"),
					    0);
	}
	v = pe_attrs_get(&a, "placement-strategy");
	in->placement = PE_PLACE_DEFAULT;
	if (ham_streq(v, "utilization"))
		in->placement = PE_PLACE_UTILIZATION;
	else if (ham_streq(v, "minimal"))
		in->placement = PE_PLACE_MINIMAL;
	else if (ham_streq(v, "balanced"))
		in->placement = PE_PLACE_BALANCED;
	v = pe_attrs_get(&a, "default-resource-stickiness");
	if (v)
		in->default_stickiness = score_of(c, crm_config, v, 0);
	free(a.v);
}

static void read_nodes(struct ctx *c, xmlNodePtr nodes)
{
	FOR_CHILD(n, nodes) {
		const char *id, *uname, *type;
		struct pe_node *pn;

		if (!is(n, "node"))
			continue;
		id = attr(n, "id");
		uname = attr(n, "uname");
		type = attr(n, "type");
		if (id == NULL) {
			fail(c, -HAM_E_CONFIG, n, "node without an id");
			return;
		}
		if (pe_node_find(c->in, uname ? uname : id) >= 0) {
			fail(c, -HAM_E_CONFIG, n, "duplicate node name \"%s\"",
			     uname ? uname : id);
			return;
		}
		pn = pe_node_add(c->in, id, uname);
		pn->remote = ham_streq(type, "remote");
		read_nvsets(c, n, "instance_attributes", &pn->attrs);
		read_nvsets(c, n, "utilization", &pn->util);
	}
}

static struct pe_rsc *read_primitive_as(struct ctx *c, xmlNodePtr p,
					const struct pe_attrs *inherit, const char *as);

static void read_primitive(struct ctx *c, xmlNodePtr p, const struct pe_attrs *inherit)
{
	read_primitive_as(c, p, inherit, NULL);
}

static struct pe_rsc *read_primitive_as(struct ctx *c, xmlNodePtr p,
					const struct pe_attrs *inherit, const char *as)
{
	struct ham_policy_input *in = c->in;
	const char *id = as ? as : attr(p, "id");
	struct pe_attrs meta = { 0 };
	struct pe_rsc *r;
	const char *v;
	xmlNodePtr ops = NULL, tmpl = NULL;

	if (id == NULL) {
		fail(c, -HAM_E_CONFIG, p, "primitive without an id");
		return NULL;
	}
	if (pe_rsc_find(in, id) >= 0) {
		fail(c, -HAM_E_CONFIG, p, "duplicate resource id");
		return NULL;
	}
	if (attr(p, "template")) {
		tmpl = find_id(c, attr(p, "template"));
		if (tmpl == NULL || !is(tmpl, "template")) {
			fail(c, -HAM_E_CONFIG, p, "template \"%s\" does not exist",
			     attr(p, "template"));
			return NULL;
		}
		if (as == NULL)
			xlist_add(c, attr(p, "template"), id);
	}
	r = pe_rsc_add(in, id);
	r->cls = pe_str(in, attr(p, "class") ? attr(p, "class") : attr(tmpl, "class"));
	r->provider = pe_str(in, attr(p, "provider") ? attr(p, "provider")
					: attr(tmpl, "provider"));
	r->type = pe_str(in, attr(p, "type") ? attr(p, "type") : attr(tmpl, "type"));
	r->is_stonith = ham_streq(r->cls, "stonith");
	r->stickiness = in->default_stickiness;
	/* defaults first, then the resource's own meta attributes */
	for (size_t i = 0; i < in->rsc_defaults.n; i++)
		pe_attrs_set(in, &meta, in->rsc_defaults.v[i].name, in->rsc_defaults.v[i].value);
	for (size_t i = 0; inherit && i < inherit->n; i++)
		pe_attrs_set(in, &meta, inherit->v[i].name, inherit->v[i].value);
	if (tmpl) {
		read_nvsets(c, tmpl, "meta_attributes", &meta);
		read_nvsets(c, tmpl, "utilization", &r->util);
	}
	read_nvsets(c, p, "meta_attributes", &meta);
	read_nvsets(c, p, "utilization", &r->util);
	if ((v = pe_attrs_get(&meta, "resource-stickiness")) ||
	    (v = pe_attrs_get(&meta, "resource_stickiness")))
		r->stickiness = score_of(c, p, v, 0);
	if ((v = pe_attrs_get(&meta, "priority")))
		r->priority = score_of(c, p, v, 0);
	if ((v = pe_attrs_get(&meta, "migration-threshold"))) {
		r->migration_threshold = score_of(c, p, v, HAM_SCORE_INFINITY);
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

	FOR_CHILD(ch, p) {
		if (is(ch, "operations"))
			ops = resolve(c, ch);
	}
	if (ops == NULL && tmpl)
		FOR_CHILD(ch, tmpl)
			if (is(ch, "operations"))
				ops = resolve(c, ch);
	if (ops) {
		size_t nops = 0;

		FOR_CHILD(o, ops)
			if (is(o, "op"))
				nops++;
		r->ops = ham_newa0(struct pe_opcfg, nops ? nops : 1);
		FOR_CHILD(o0, ops) {
			xmlNodePtr o;
			struct pe_opcfg *oc;
			struct pe_attrs om = { 0 };
			uint64_t ms = 0;

			if (!is(o0, "op"))
				continue;
			o = resolve(c, o0);
			if (o == NULL)
				return r;
			oc = &r->ops[r->nops++];
			oc->name = pe_str(in, attr(o, "name"));
			v = attr(o, "interval");
			if (v && ham_parse_duration_ms(v, &ms) < 0 && v[0] == 'P' &&
			    strchr(v, 'T') == NULL) {
				/* Pacemaker also reads "P40S" as PT40S */
				char fixed[64];

				snprintf(fixed, sizeof(fixed), "PT%s", v + 1);
				if (ham_parse_duration_ms(fixed, &ms) == 0)
					v = NULL;
			}
			if (v && ham_parse_duration_ms(v, &ms) < 0) {
				fail(c, -HAM_E_CONFIG, o, "invalid interval \"%s\"", v);
				return r;
			}
			oc->interval_ms = ms;
			v = attr(o, "on-fail");
			read_nvsets(c, o, "meta_attributes", &om);
			if (v == NULL)
				v = pe_attrs_get(&om, "on-fail");
			oc->on_fail = pe_on_fail_parse(v);
			oc->role = pe_role_parse(attr(o, "role"));
			oc->enabled = truthy(attr(o, "enabled"), true);
			free(om.v);
		}
	}
	return r;
}

/*
 * A group is its members in a chain: each member is colocated with the one
 * before it and ordered after it; constraints on the group apply to its
 * first member (and "first" of an order to its last member).
 */
static void read_group(struct ctx *c, xmlNodePtr g)
{
	struct ham_policy_input *in = c->in;
	const char *id = attr(g, "id");
	struct pe_attrs meta = { 0 };
	int first = -1, prev = -1;

	if (id == NULL) {
		fail(c, -HAM_E_CONFIG, g, "group without an id");
		return;
	}
	read_nvsets(c, g, "meta_attributes", &meta);
	FOR_CHILD(m, g) {
		int cur;

		if (!is(m, "primitive"))
			continue;
		read_primitive(c, m, &meta);
		if (c->ret)
			break;
		cur = (int)in->nrscs - 1;
		in->rscs[cur].group = pe_str(in, id);
		if (first < 0)
			first = cur;
		if (prev >= 0) {
			struct pe_colocation *co = pe_colocation_add(in);
			struct pe_order *o = pe_order_add(in);

			co->id = in->rscs[cur].id;
			co->rsc = cur;
			co->with = prev;
			co->score = HAM_SCORE_INFINITY;
			o->id = in->rscs[cur].id;
			o->first = prev;
			o->then = cur;
			o->first_action = "start";
			o->then_action = "start";
			o->kind = PE_ORDER_MANDATORY;
			o->symmetrical = true;
		}
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
	if (c->groups == NULL)
		c->groups = qb_hashtable_create(64);
	qb_map_put(c->groups, pe_str(in, id), (void *)(uintptr_t)c->ngroups);
}

/* max instances of primitive p, as a clone of their own; its index or -1. */
static int clone_instances(struct ctx *c, xmlNodePtr p, const struct pe_attrs *meta,
			   int max, bool promotable, int pmax)
{
	struct ham_policy_input *in = c->in;
	const char *pid = attr(p, "id");
	struct pe_clone *cl;
	int i, first = (int)in->nrscs;

	if (pid == NULL) {
		fail(c, -HAM_E_CONFIG, p, "primitive without an id");
		return -1;
	}
	for (i = 0; i < max; i++) {
		char inst[512];
		struct pe_rsc *r;

		snprintf(inst, sizeof(inst), "%s:%d", pid, i);
		r = read_primitive_as(c, p, meta, inst);
		if (r == NULL || c->ret)
			return -1;
		r->name = pe_str(in, pid);
		r->clone = (int)in->nclones;
	}
	in->clones = ham_reallocarray(in->clones, in->nclones + 1, sizeof(*in->clones));
	cl = &in->clones[in->nclones];
	memset(cl, 0, sizeof(*cl));
	cl->id = pe_str(in, pid);
	cl->first = first;
	cl->n = max;
	cl->promotable = promotable;
	cl->promoted_max = pmax;
	qb_map_put(c->clones, cl->id, (void *)(uintptr_t)(in->nclones + 1));
	qb_map_put(c->clones_last, cl->id, (void *)(uintptr_t)(in->nclones + 1));
	return (int)in->nclones++;
}

/*
 * A clone of a primitive: clone-max instances (default: one per node), each a
 * primitive of its own named after the child, never two on one node.
 */
static void read_clone(struct ctx *c, xmlNodePtr x)
{
	struct ham_policy_input *in = c->in;
	const char *id = attr(x, "id");
	struct pe_attrs meta = { 0 };
	xmlNodePtr child = NULL;
	const char *v;
	int max, i, pmax = 1;
	bool promotable;

	if (id == NULL) {
		fail(c, -HAM_E_CONFIG, x, "clone without an id");
		return;
	}
	read_nvsets(c, x, "meta_attributes", &meta);
	promotable = is(x, "master") || truthy(pe_attrs_get(&meta, "promotable"), false);
	if ((v = pe_attrs_get(&meta, "promoted-max")) || (v = pe_attrs_get(&meta, "master-max")))
		pmax = score_of(c, x, v, 1);
	FOR_CHILD(ch, x) {
		if (is(ch, "primitive") || is(ch, "group"))
			child = ch;
	}
	if (child == NULL) {
		free(meta.v);
		return;
	}
	max = (int)in->nnodes;
	if ((v = pe_attrs_get(&meta, "clone-max")))
		max = score_of(c, x, v, max);
	if (max < 0)
		max = 0;
	if (pe_attrs_get(&meta, "resource-stickiness") == NULL &&
	    pe_attrs_get(&in->rsc_defaults, "resource-stickiness") == NULL) {
		/* clones stick to where they run unless told otherwise */
		pe_attrs_set(in, &meta, "resource-stickiness", "1");
	}
	if (c->clones == NULL)
		c->clones = qb_hashtable_create(64);
	if (c->clones_last == NULL)
		c->clones_last = qb_hashtable_create(64);
	if (is(child, "primitive")) {
		int k = clone_instances(c, child, &meta, max, promotable, pmax);

		if (k >= 0) {
			qb_map_put(c->clones, pe_str(in, id), (void *)(uintptr_t)(k + 1));
			qb_map_put(c->clones_last, pe_str(in, id), (void *)(uintptr_t)(k + 1));
		}
	} else {
		/*
		 * A cloned group: one clone per member; instance i of each
		 * member is colocated with and ordered after instance i of
		 * the member before it.
		 */
		struct pe_attrs gm = { 0 };
		int prev = -1, firstk = -1;

		for (size_t q = 0; q < meta.n; q++)
			pe_attrs_set(in, &gm, meta.v[q].name, meta.v[q].value);
		read_nvsets(c, child, "meta_attributes", &gm);
		FOR_CHILD(m, child) {
			int k;

			if (!is(m, "primitive"))
				continue;
			k = clone_instances(c, m, &gm, max, promotable, pmax);
			if (k < 0)
				break;
			if (firstk < 0)
				firstk = k;
			if (prev >= 0) {
				for (i = 0; i < max; i++) {
					struct pe_colocation *co = pe_colocation_add(in);
					struct pe_order *o = pe_order_add(in);
					int cur = in->clones[k].first + i;
					int before = in->clones[prev].first + i;

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
			}
			prev = k;
		}
		free(gm.v);
		if (firstk >= 0) {
			qb_map_put(c->clones, pe_str(in, id), (void *)(uintptr_t)(firstk + 1));
			qb_map_put(c->clones_last, pe_str(in, id), (void *)(uintptr_t)(prev + 1));
			if (attr(child, "id")) {
				qb_map_put(c->clones, pe_str(in, attr(child, "id")),
					   (void *)(uintptr_t)(firstk + 1));
				qb_map_put(c->clones_last, pe_str(in, attr(child, "id")),
					   (void *)(uintptr_t)(prev + 1));
			}
		}
	}
	free(meta.v);
}

/* The clone an id names (the clone's or its child's id), or -1. */
static int clone_of(const struct ctx *c, const char *id)
{
	void *v;

	if (c->clones == NULL || id == NULL)
		return -1;
	v = qb_map_get(c->clones, id);
	return v ? (int)((uintptr_t)v - 1) : -1;
}

/* Like clone_of(), but a cloned group's last member (an order's "first"). */
static int clone_of_last(const struct ctx *c, const char *id)
{
	void *v;

	if (c->clones_last == NULL || id == NULL)
		return -1;
	v = qb_map_get(c->clones_last, id);
	return v ? (int)((uintptr_t)v - 1) : -1;
}

static void read_resources(struct ctx *c, xmlNodePtr res)
{
	FOR_CHILD(r, res) {
		if (is(r, "primitive"))
			read_primitive(c, r, NULL);
		else if (is(r, "group"))
			read_group(c, r);
		else if (is(r, "clone") || is(r, "master"))
			read_clone(c, r);
		else if (is(r, "template"))
			xlist_add(c, attr(r, "id"), NULL);
		else if (!c->in->unsupported)
			c->in->unsupported = pe_str(c->in, (const char *)r->name);
		if (c->ret)
			return;
	}
}

static struct pe_rule *read_rule(struct ctx *c, xmlNodePtr rn, int dflt_score);

static void read_rule_into(struct ctx *c, xmlNodePtr rn, struct pe_rule *rule,
			   int dflt_score)
{
	struct ham_policy_input *in = c->in;
	const char *v;
	size_t n = 0;

	v = attr(rn, "score");
	rule->score = v ? score_of(c, rn, v, 0) : dflt_score;
	rule->score_attr = pe_str(in, attr(rn, "score-attribute"));
	rule->is_or = ham_streq(attr(rn, "boolean-op"), "or");
	rule->role = pe_str(in, attr(rn, "role"));
	FOR_CHILD(e, rn)
		n++;
	rule->e = ham_newa0(struct pe_expr, n ? n : 1);
	FOR_CHILD(e0, rn) {
		xmlNodePtr e = resolve(c, e0);
		struct pe_expr *x;

		if (e == NULL)
			return;
		x = &rule->e[rule->ne];
		if (is(e, "expression")) {
			x->attr = pe_str(in, attr(e, "attribute"));
			x->op = pe_str(in, attr(e, "operation"));
			x->value = pe_str(in, attr(e, "value"));
			x->type = pe_str(in, attr(e, "type"));
			x->value_source = pe_str(in, attr(e, "value-source"));
		} else if (is(e, "rule")) {
			x->sub = read_rule(c, e, 0);
		} else if (is(e, "date_expression")) {
			x->date = true;
		} else {
			continue;
		}
		rule->ne++;
	}
}

static struct pe_rule *read_rule(struct ctx *c, xmlNodePtr rn, int dflt_score)
{
	struct pe_rule *r = ham_new0(struct pe_rule);

	/* freed with the input: keep it in the string list */
	struct ham_policy_input *in = c->in;

	read_rule_into(c, rn, r, dflt_score);
	if (in->nstrs == in->capstrs) {
		in->capstrs = in->capstrs ? in->capstrs * 2 : 16;
		in->strs = ham_reallocarray(in->strs, in->capstrs, sizeof(char *));
	}
	in->strs[in->nstrs++] = (char *)r;
	if (in->nstrs == in->capstrs) {
		in->capstrs *= 2;
		in->strs = ham_reallocarray(in->strs, in->capstrs, sizeof(char *));
	}
	in->strs[in->nstrs++] = (char *)r->e;
	return r;
}

static int rsc_ref_at(struct ctx *c, xmlNodePtr n, const char *id, bool last)
{
	int r;
	void *g;

	if (id == NULL) {
		fail(c, -HAM_E_CONFIG, n, "missing resource reference");
		return -1;
	}
	if (c->groups && (g = qb_map_get(c->groups, id)) != NULL) {
		size_t gi = (uintptr_t)g - 1;

		return last ? c->group_last[gi] : c->group_first[gi];
	}
	r = pe_rsc_find(c->in, id);
	if (r < 0 && c->in->unsupported)
		return -2; /* probably inside what we do not model */
	if (r < 0)
		fail(c, -HAM_E_CONFIG, n, "resource \"%s\" does not exist", id);
	return r;
}

static int rsc_ref(struct ctx *c, xmlNodePtr n, const char *id)
{
	return rsc_ref_at(c, n, id, false);
}

static void read_location_for(struct ctx *c, xmlNodePtr l, int ri);

struct rset {
	xmlNodePtr node;
	const char **ids;
	size_t n;
	bool sequential;
	bool require_all;
};

static size_t read_sets(struct ctx *c, xmlNodePtr x, struct rset **ret);
static void free_sets(struct rset *v, size_t n);
static void read_location_rsc(struct ctx *c, xmlNodePtr l, const char *rsc);

static void read_location(struct ctx *c, xmlNodePtr l)
{
	struct ham_policy_input *in = c->in;
	const char *rsc = attr(l, "rsc");
	const char **ids = NULL;
	size_t n = 0, i;

	if (rsc == NULL) {
		struct rset *sets = NULL;
		size_t ns = read_sets(c, l, &sets), j;

		if (ns == 0 && !in->unsupported)
			in->unsupported = "rsc_location without rsc (rsc-pattern)";
		for (i = 0; i < ns && !c->ret; i++)
			for (j = 0; j < sets[i].n && !c->ret; j++)
				read_location_rsc(c, l, sets[i].ids[j]);
		free_sets(sets, ns);
		return;
	}
	expand_id(c, rsc, &ids, &n, 0);
	for (i = 0; i < n && !c->ret; i++)
		read_location_rsc(c, l, ids[i]);
	free(ids);
}

static void read_location_rsc(struct ctx *c, xmlNodePtr l, const char *rsc)
{
	struct ham_policy_input *in = c->in;
	int ri;

	{
		int cl = clone_of(c, rsc);

		if (cl >= 0) {
			/* every instance; done by reading the element once per instance */
			struct pe_clone *k = &in->clones[cl];
			int i;

			for (i = 0; i < k->n && !c->ret; i++)
				read_location_for(c, l, k->first + i);
			return;
		}
	}
	ri = rsc_ref(c, l, rsc);
	if (ri < 0)
		return;
	read_location_for(c, l, ri);
}

static void read_location_for(struct ctx *c, xmlNodePtr l, int ri)
{
	struct ham_policy_input *in = c->in;
	struct pe_location *loc;
	size_t nrules = 0;

	loc = pe_location_add(in);
	loc->id = pe_str(in, attr(l, "id"));
	loc->rsc = ri;
	loc->role = pe_str(in, attr(l, "role"));
	loc->node = -1;
	if (attr(l, "node")) {
		loc->node = pe_node_find(in, attr(l, "node"));
		loc->score = score_of(c, l, attr(l, "score"), 0);
		if (loc->node < 0) {
			/* a constraint on an unknown node has no effect */
			in->nlocs--;
		}
		return;
	}
	FOR_CHILD(r, l)
		if (is(r, "rule"))
			nrules++;
	if (nrules == 0) {
		in->nlocs--;
		return;
	}
	loc->rules = ham_newa0(struct pe_rule, nrules);
	in->strs = in->nstrs == in->capstrs
		? ham_reallocarray(in->strs, in->capstrs = in->capstrs ? in->capstrs * 2 : 16,
				   sizeof(char *))
		: in->strs;
	in->strs[in->nstrs++] = (char *)loc->rules;
	FOR_CHILD(r0, l) {
		xmlNodePtr r;

		if (!is(r0, "rule"))
			continue;
		r = resolve(c, r0);
		if (r == NULL)
			return;
		read_rule_into(c, r, &loc->rules[loc->nrules], 0);
		in->strs = in->nstrs == in->capstrs
			? ham_reallocarray(in->strs, in->capstrs *= 2, sizeof(char *))
			: in->strs;
		in->strs[in->nstrs++] = (char *)loc->rules[loc->nrules].e;
		loc->nrules++;
	}
}

/* One colocation "a with b", expanding clones (any instance as primary). */
static void add_coloc(struct ctx *c, xmlNodePtr x, const char *a_id, const char *b_id,
		      int score, enum pe_role arole, enum pe_role brole)
{
	struct ham_policy_input *in = c->in;
	int ca = clone_of(c, a_id), cb = clone_of(c, b_id);
	int a, b, na = 1, i;

	a = ca >= 0 ? in->clones[ca].first : rsc_ref(c, x, a_id);
	b = cb >= 0 ? in->clones[cb].first : rsc_ref(c, x, b_id);
	if (a < 0 || b < 0 || (cb >= 0 && in->clones[cb].n == 0))
		return;
	if (ca >= 0)
		na = in->clones[ca].n;
	for (i = 0; i < na; i++) {
		struct pe_colocation *co = pe_colocation_add(in);

		co->id = pe_str(in, attr(x, "id"));
		co->rsc = a + i;
		co->with = b;
		co->with_clone = cb;
		co->score = score;
		co->rsc_role = arole;
		co->with_role = brole;
	}
}

/* One order "a then b", expanding clones (any instance as first). */
static void add_order(struct ctx *c, xmlNodePtr x, const char *a_id, const char *b_id,
		      const char *fa, const char *ta, enum pe_order_kind kind, bool sym)
{
	struct ham_policy_input *in = c->in;
	int ca = clone_of_last(c, a_id), cb = clone_of(c, b_id);
	int a, b, nb = 1, i;

	a = ca >= 0 ? in->clones[ca].first : rsc_ref_at(c, x, a_id, true);
	b = cb >= 0 ? in->clones[cb].first : rsc_ref(c, x, b_id);
	if (a < 0 || b < 0 || (ca >= 0 && in->clones[ca].n == 0))
		return;
	if (cb >= 0)
		nb = in->clones[cb].n;
	for (i = 0; i < nb; i++) {
		struct pe_order *o = pe_order_add(in);

		o->id = pe_str(in, attr(x, "id"));
		o->first = a;
		o->first_clone = ca;
		o->then = b + i;
		o->first_action = pe_str(in, fa ? fa : "start");
		o->then_action = pe_str(in, ta ? ta : o->first_action);
		o->kind = kind;
		o->symmetrical = sym;
	}
}


/* The resource sets of a constraint (resolved), or 0 when it has none. */
static size_t read_sets(struct ctx *c, xmlNodePtr x, struct rset **ret)
{
	size_t n = 0, k = 0;
	struct rset *v;

	FOR_CHILD(s0, x)
		if (is(s0, "resource_set"))
			n++;
	if (n == 0)
		return 0;
	v = ham_newa0(struct rset, n);
	FOR_CHILD(s0, x) {
		xmlNodePtr s = resolve(c, s0);
		size_t m = 0;

		if (!is(s0, "resource_set") || s == NULL)
			continue;
		FOR_CHILD(r, s)
			if (is(r, "resource_ref"))
				m++;
		v[k].node = s;
		v[k].ids = ham_newa0(const char *, m + 1);
		v[k].sequential = truthy(attr(s, "sequential"), true);
		v[k].require_all = truthy(attr(s, "require-all"), true);
		free(v[k].ids);
		v[k].ids = NULL;
		FOR_CHILD(r, s)
			if (is(r, "resource_ref") && attr(r, "id"))
				expand_id(c, attr(r, "id"), &v[k].ids, &v[k].n, 0);
		k++;
	}
	*ret = v;
	return k;
}

static void free_sets(struct rset *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].ids);
	free(v);
}

static void read_colocation(struct ctx *c, xmlNodePtr x)
{
	int score = score_of(c, x, attr(x, "score"), 0);
	struct rset *sets = NULL;
	size_t ns, i, j;

	if (attr(x, "rsc") != NULL) {
		const char **a = NULL, **b = NULL;
		size_t na = 0, nb = 0;

		expand_id(c, attr(x, "rsc"), &a, &na, 0);
		expand_id(c, attr(x, "with-rsc"), &b, &nb, 0);
		for (i = 0; i < na && !c->ret; i++)
			for (j = 0; j < nb && !c->ret; j++)
				add_coloc(c, x, a[i], b[j], score,
					  pe_role_parse(attr(x, "rsc-role")),
					  pe_role_parse(attr(x, "with-rsc-role")));
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
	ns = read_sets(c, x, &sets);
	for (i = 0; i < ns && !c->ret; i++) {
		struct rset *s = &sets[i];
		enum pe_role role = pe_role_parse(attr(s->node, "role"));
		int sscore = attr(s->node, "score") ? score_of(c, s->node, attr(s->node, "score"), 0)
						    : score;

		if (s->sequential)
			for (j = 1; j < s->n; j++)
				add_coloc(c, x, s->ids[j], s->ids[j - 1], sscore, role, role);
		if (i + 1 < ns && sets[i + 1].n > 0 && s->n > 0) {
			struct rset *t = &sets[i + 1];
			const char *primary = t->ids[t->n - 1];
			enum pe_role trole = pe_role_parse(attr(t->node, "role"));

			if (s->sequential)
				add_coloc(c, x, s->ids[0], primary, score, role, trole);
			else
				for (j = 0; j < s->n; j++)
					add_coloc(c, x, s->ids[j], primary, score, role, trole);
		}
	}
	free_sets(sets, ns);
}

static void read_order(struct ctx *c, xmlNodePtr x)
{
	const char *kind = attr(x, "kind"), *score = attr(x, "score");
	enum pe_order_kind k = PE_ORDER_MANDATORY;
	struct rset *sets = NULL;
	size_t ns, i, j, q;
	bool sym;

	if (kind) {
		if (ham_strcaseeq(kind, "Optional"))
			k = PE_ORDER_OPTIONAL;
		else if (ham_strcaseeq(kind, "Serialize"))
			k = PE_ORDER_SERIALIZE;
	} else if (score && score_of(c, x, score, 0) == 0) {
		k = PE_ORDER_OPTIONAL;
	}
	sym = truthy(attr(x, "symmetrical"), k != PE_ORDER_SERIALIZE);
	if (attr(x, "first") != NULL) {
		const char **a = NULL, **b = NULL;
		size_t na = 0, nb = 0;

		expand_id(c, attr(x, "first"), &a, &na, 0);
		expand_id(c, attr(x, "then"), &b, &nb, 0);
		for (i = 0; i < na && !c->ret; i++)
			for (j = 0; j < nb && !c->ret; j++)
				add_order(c, x, a[i], b[j], attr(x, "first-action"),
					  attr(x, "then-action"), k, sym);
		free(a);
		free(b);
		return;
	}
	/* Sets: members of a sequential set in turn; each set after the one before. */
	ns = read_sets(c, x, &sets);
	for (i = 0; i < ns && !c->ret; i++) {
		struct rset *s = &sets[i];
		const char *act = attr(s->node, "action");

		if (s->sequential)
			for (j = 1; j < s->n; j++)
				add_order(c, x, s->ids[j - 1], s->ids[j], act, act, k, sym);
		if (i + 1 < ns && s->n > 0 && sets[i + 1].n > 0) {
			struct rset *t = &sets[i + 1];
			const char *tact = attr(t->node, "action");
			size_t a0 = s->sequential ? s->n - 1 : 0, b1 = t->sequential ? 1 : t->n;

			if (!s->require_all || !t->require_all) {
				/* "one or more of": not modelled, no ordering */
				if (!c->in->unsupported)
					c->in->unsupported = "require-all=false";
				continue;
			}
			for (j = a0; j < s->n; j++)
				for (q = 0; q < b1; q++)
					add_order(c, x, s->ids[j], t->ids[q], act, tact, k, sym);
		}
	}
	free_sets(sets, ns);
}

static void read_ticket_rsc(struct ctx *c, xmlNodePtr x, const char *rsc);

static void read_ticket(struct ctx *c, xmlNodePtr x)
{
	struct ham_policy_input *in = c->in;
	const char *rsc = attr(x, "rsc");
	const char **ids = NULL;
	size_t n = 0, i;

	if (rsc == NULL || attr(x, "ticket") == NULL) {
		if (!in->unsupported)
			in->unsupported = "ticket sets";
		return;
	}
	expand_id(c, rsc, &ids, &n, 0);
	for (i = 0; i < n && !c->ret; i++)
		read_ticket_rsc(c, x, ids[i]);
	free(ids);
}

static void read_ticket_rsc(struct ctx *c, xmlNodePtr x, const char *rsc)
{
	struct ham_policy_input *in = c->in;
	const char *loss = attr(x, "loss-policy");
	int cl, first, n = 1, i;
	cl = clone_of(c, rsc);
	if (cl >= 0) {
		first = in->clones[cl].first;
		n = in->clones[cl].n;
	} else {
		first = rsc_ref(c, x, rsc);
		if (first < 0)
			return;
	}
	for (i = 0; i < n; i++) {
		struct pe_ticket_dep *d;

		in->tdeps = ham_reallocarray(in->tdeps, in->ntdeps + 1, sizeof(*in->tdeps));
		d = &in->tdeps[in->ntdeps++];
		d->rsc = first + i;
		d->ticket = pe_str(in, attr(x, "ticket"));
		d->loss = ham_streq(loss, "demote") ? 1 : ham_streq(loss, "freeze") ? 2
			: ham_streq(loss, "fence") ? 3 : 0;
		d->promoted_only = pe_role_parse(attr(x, "rsc-role")) == PE_ROLE_PROMOTED;
	}
}

static void read_constraints(struct ctx *c, xmlNodePtr cons)
{
	FOR_CHILD(x0, cons) {
		xmlNodePtr x = resolve(c, x0);

		if (x == NULL)
			return;
		if (is(x, "rsc_location"))
			read_location(c, x);
		else if (is(x, "rsc_colocation"))
			read_colocation(c, x);
		else if (is(x, "rsc_order"))
			read_order(c, x);
		else if (is(x, "rsc_ticket"))
			read_ticket(c, x);
		else if (!c->in->unsupported)
			c->in->unsupported = pe_str(c->in, (const char *)x->name);
		if (c->ret)
			return;
	}
}

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

static void node_status(struct ham_policy_input *in, struct pe_node *n,
			const char *in_ccm, const char *crmd_s, const char *join,
			const char *expected)
{
	int member = tristate(in_ccm);
	int crmd = tristate(crmd_s);
	bool join_member = ham_streq(join, "member");

	n->seen = true;
	if (!in->stonith_enabled) {
		if (member == 1 && crmd == 1 && join_member) {
			n->online = true;
		} else if (member == 1 && crmd != 1 && join_member &&
			   ham_streq(expected, "member")) {
			n->unclean = true;
			n->unclean_reason = "peer process is no longer available";
		} else if (member == 1 && !join_member && crmd == 1) {
			n->pending = true;
		}
		return;
	}
	if (member < 0) {
		n->unclean = true;
		n->unclean_reason = "peer has not been seen by the cluster";
	} else if (ham_streq(join, "banned") || ham_streq(join, "nack")) {
		n->unclean = true;
		n->online = member == 1;
		n->unclean_reason = "peer failed Pacemaker membership criteria";
	} else if (member == 1) {
		if (join_member && crmd == 1) {
			n->online = true;
		} else if (join_member) {
			n->unclean = true;
			n->online = true;
			n->unclean_reason = "peer process is no longer available";
		} else {
			n->pending = true;
		}
	} else {
		if (crmd == 1) {
			n->pending = true;
		} else if (join_member && !ham_streq(expected, "down")) {
			n->unclean = true;
			n->unclean_reason = "peer is no longer part of the cluster";
		}
	}
}

static int parse_transition_rc(const char *key)
{
	/* "action:transition:expected-rc:uuid" */
	const char *p;
	int64_t v;
	char buf[16];
	size_t len;

	if (key == NULL)
		return -1;
	p = strchr(key, ':');
	if (p == NULL || (p = strchr(p + 1, ':')) == NULL)
		return -1;
	p++;
	len = strcspn(p, ":");
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, p, len);
	buf[len] = '\0';
	if (ham_parse_int64(buf, &v) < 0)
		return -1;
	return (int)v;
}

/* Operation names as static strings (the tree goes away after loading). */
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

struct stream {
	int node;                 /* current node_state's node, or -1 */
	bool transient;           /* inside transient_attributes */
	bool util;                /* inside a transient utilization set */
	struct pe_rsc *rsc;       /* current lrm_resource */
	struct pe_hist_op *ops;
	size_t nops, cap;
};

static void lrm_resource_begin(struct ctx *c, struct stream *st, const char *id,
			       const char *cls, const char *provider, const char *type)
{
	struct ham_policy_input *in = c->in;
	int ri = pe_rsc_find(in, id);
	struct pe_rsc *r;

	if (ri < 0 && c->clones) {
		/* a clone instance: "child" or "child:N" */
		char base[512];
		const char *colon = strrchr(id, ':');
		size_t len = colon ? (size_t)(colon - id) : strlen(id);
		int cl;

		if (len < sizeof(base)) {
			memcpy(base, id, len);
			base[len] = '\0';
			cl = clone_of(c, base);
			if (cl >= 0 && in->clones[cl].n > 0) {
				struct pe_clone *k = &in->clones[cl];
				int64_t n = -1;

				if (colon)
					(void)ham_parse_int64(colon + 1, &n);
				if (n < 0 || n >= k->n)
					n = k->next_hist++ % k->n;
				ri = k->first + (int)n;
			}
		}
	}
	if (ri < 0) {
		/* an orphan: only in the status; it must be stopped */
		r = pe_rsc_add(in, id);
		r->cls = pe_str(in, cls);
		r->provider = pe_str(in, provider);
		r->type = pe_str(in, type);
		r->orphan = true;
		r->target_role = PE_ROLE_STOPPED;
		r->st = ham_newa0(struct pe_rsc_state, in->nnodes ? in->nnodes : 1);
	} else {
		r = &in->rscs[ri];
	}
	st->rsc = r;
	st->ops = r->st[st->node].ops;
	st->nops = r->st[st->node].nops;
	st->cap = st->nops;
}

static void lrm_resource_end(struct stream *st)
{
	struct pe_rsc_state *s;

	if (st->rsc == NULL)
		return;
	s = &st->rsc->st[st->node];
	if (st->nops && st->nops < st->cap)
		st->ops = ham_reallocarray(st->ops, st->nops, sizeof(*st->ops));
	s->ops = st->ops;
	s->nops = st->nops;
	s->has_history = true;
	st->rsc = NULL;
	st->ops = NULL;
	st->nops = st->cap = 0;
}

static int64_t int_value(const char *s, int64_t dflt)
{
	int64_t v;

	if (s == NULL || ham_parse_int64(s, &v) < 0)
		return dflt;
	return v;
}

static void lrm_rsc_op(struct stream *st, xmlTextReaderPtr rd)
{
	struct pe_hist_op *h;
	int64_t last_run = 0;

	if (st->nops == st->cap) {
		st->cap = st->cap ? st->cap * 2 : 4;
		st->ops = ham_reallocarray(st->ops, st->cap, sizeof(*st->ops));
	}
	h = &st->ops[st->nops++];
	memset(h, 0, sizeof(*h));
	h->op = "unknown";
	h->call_id = -1;
	h->expected_rc = -1;
	while (xmlTextReaderMoveToNextAttribute(rd) == 1) {
		const char *n = (const char *)xmlTextReaderConstName(rd);
		const char *v = (const char *)xmlTextReaderConstValue(rd);
		int64_t iv;

		if (n == NULL || v == NULL)
			continue;
		switch (n[0]) {
		case 'i':
			if (strcmp(n, "id") == 0)
				h->last_failure = strstr(v, "_last_failure_") != NULL;
			else if (strcmp(n, "interval") == 0 && ham_parse_int64(v, &iv) == 0 && iv > 0)
				h->interval_ms = (uint64_t)iv; /* stored in milliseconds */
			break;
		case 'o':
			if (strcmp(n, "operation") == 0)
				h->op = op_name(v);
			else if (strcmp(n, "op-status") == 0)
				h->op_status = (int)int_value(v, 0);
			break;
		case 'c':
			if (strcmp(n, "call-id") == 0)
				h->call_id = (int)int_value(v, -1);
			break;
		case 'r':
			if (strcmp(n, "rc-code") == 0)
				h->rc = (int)int_value(v, 0);
			break;
		case 't':
			if (strcmp(n, "transition-key") == 0)
				h->expected_rc = parse_transition_rc(v);
			break;
		case 'l':
			if (strcmp(n, "last-rc-change") == 0)
				h->last_rc_change = int_value(v, 0);
			else if (strcmp(n, "last-run") == 0)
				last_run = int_value(v, 0);
			break;
		default:
			break;
		}
	}
	if (h->last_rc_change == 0)
		h->last_rc_change = last_run;
	xmlTextReaderMoveToElement(rd);
}

static char *dup_attr(xmlTextReaderPtr rd, const char *name)
{
	return (char *)xmlTextReaderGetAttribute(rd, BAD_CAST name);
}

static void node_state_begin(struct ctx *c, struct stream *st, xmlTextReaderPtr rd)
{
	struct ham_policy_input *in = c->in;
	char *id = dup_attr(rd, "id"), *uname = dup_attr(rd, "uname");
	char *ccm, *crmd, *join, *expected;
	int ni = uname ? pe_node_find(in, uname) : -1;

	if (ni < 0 && id)
		ni = pe_node_find_id(in, id);
	st->node = ni;
	if (ni >= 0) {
		ccm = dup_attr(rd, "in_ccm");
		crmd = dup_attr(rd, "crmd");
		join = dup_attr(rd, "join");
		expected = dup_attr(rd, "expected");
		node_status(in, &in->nodes[ni], ccm, crmd, join, expected);
		xmlFree(ccm);
		xmlFree(crmd);
		xmlFree(join);
		xmlFree(expected);
	}
	xmlFree(id);
	xmlFree(uname);
}

/* The status section, read as a stream of elements (no tree is built). */
static int read_status_stream(struct ctx *c, xmlTextReaderPtr rd)
{
	struct stream st = { .node = -1 };
	int ret;

	while ((ret = xmlTextReaderRead(rd)) == 1 && !c->ret) {
		int type = xmlTextReaderNodeType(rd);
		int depth = xmlTextReaderDepth(rd);
		const char *name;

		if (depth <= 1)
			break; /* </status> */
		if (type != XML_READER_TYPE_ELEMENT && type != XML_READER_TYPE_END_ELEMENT)
			continue;
		name = (const char *)xmlTextReaderConstName(rd);
		if (type == XML_READER_TYPE_END_ELEMENT) {
			if (strcmp(name, "lrm_resource") == 0)
				lrm_resource_end(&st);
			else if (strcmp(name, "transient_attributes") == 0)
				st.transient = false;
			else if (strcmp(name, "utilization") == 0)
				st.util = false;
			else if (strcmp(name, "node_state") == 0)
				st.node = -1;
			continue;
		}
		if (depth == 2) {
			if (strcmp(name, "node_state") == 0) {
				node_state_begin(c, &st, rd);
				if (xmlTextReaderIsEmptyElement(rd))
					st.node = -1;
			}
			continue;
		}
		if (st.node < 0 && strcmp(name, "ticket_state") != 0)
			continue;
		if (strcmp(name, "lrm_rsc_op") == 0) {
			if (st.rsc)
				lrm_rsc_op(&st, rd);
		} else if (strcmp(name, "lrm_resource") == 0) {
			char *id = dup_attr(rd, "id");

			if (id) {
				char *cls = dup_attr(rd, "class"), *prov = dup_attr(rd, "provider");
				char *type_ = dup_attr(rd, "type");

				if (st.rsc) /* nested in another lrm_resource */
					lrm_resource_end(&st);
				lrm_resource_begin(c, &st, id, cls, prov, type_);
				xmlFree(cls);
				xmlFree(prov);
				xmlFree(type_);
				xmlFree(id);
				if (xmlTextReaderIsEmptyElement(rd))
					lrm_resource_end(&st);
			}
		} else if (strcmp(name, "ticket_state") == 0 && depth == 3) {
			char *id = dup_attr(rd, "id"), *g = dup_attr(rd, "granted");
			char *sb = dup_attr(rd, "standby");

			if (id)
				pe_attrs_set(c->in, &c->in->tickets, id,
					     truthy(sb, false) ? "standby"
					     : truthy(g, false) ? "granted" : "revoked");
			xmlFree(id);
			xmlFree(g);
			xmlFree(sb);
		} else if (strcmp(name, "transient_attributes") == 0) {
			st.transient = !xmlTextReaderIsEmptyElement(rd);
		} else if (st.transient && strcmp(name, "utilization") == 0) {
			st.util = !xmlTextReaderIsEmptyElement(rd);
		} else if (st.transient && strcmp(name, "nvpair") == 0) {
			char *n = dup_attr(rd, "name"), *v = dup_attr(rd, "value");
			struct pe_node *pn = &c->in->nodes[st.node];

			if (n)
				pe_attrs_set(c->in, st.util ? &pn->util : &pn->attrs, n,
					     v ? v : "");
			xmlFree(n);
			xmlFree(v);
		}
	}
	lrm_resource_end(&st);
	return ret;
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
		v = pe_attrs_get(&n->attrs, "standby");
		n->standby = truthy(v, false);
		v = pe_attrs_get(&n->attrs, "maintenance");
		n->maintenance = truthy(v, false) || in->maintenance_mode;
		v = pe_attrs_get(&n->attrs, "shutdown");
		if (v && !ham_streq(v, "0") && n->online)
			n->shutdown = true;
	}
}

static void read_configuration(struct ctx *c, xmlNodePtr conf)
{
	struct ham_policy_input *in = c->in;

	c->id_root = conf;
	FOR_CHILD(x, conf)
		if (is(x, "crm_config"))
			read_cluster_options(c, x);
	FOR_CHILD(x, conf) {
		if (is(x, "rsc_defaults"))
			read_nvsets(c, x, "meta_attributes", &in->rsc_defaults);
		else if (is(x, "op_defaults"))
			read_nvsets(c, x, "meta_attributes", &in->op_defaults);
	}
	FOR_CHILD(x, conf)
		if (is(x, "nodes"))
			read_nodes(c, x);
	if (c->ret)
		return;
	FOR_CHILD(x, conf)
		if (is(x, "resources"))
			read_resources(c, x);
	if (c->ret)
		return;
	FOR_CHILD(x, conf)
		if (is(x, "tags"))
			FOR_CHILD(t, x)
				if (is(t, "tag") && attr(t, "id")) {
					xlist_add(c, attr(t, "id"), NULL);
					FOR_CHILD(o, t)
						if (is(o, "obj_ref") && attr(o, "id"))
							xlist_add(c, attr(t, "id"), attr(o, "id"));
				}
	FOR_CHILD(x, conf)
		if (is(x, "constraints"))
			read_constraints(c, x);
	pe_input_finish(in);
	if (c->ids) {
		qb_map_destroy(c->ids);
		c->ids = NULL;
	}
	c->id_root = NULL;
}

static void reader_error(void *arg, xmlErrorPtr e)
{
	struct ctx *c = arg;

	if (c->ret == 0 && e && e->level >= XML_ERR_ERROR) {
		size_t l;

		c->ret = -HAM_E_XML;
		ham_buf_addf(&c->err, "line %d: malformed XML: %s", e->line,
			     e->message ? e->message : "?");
		l = c->err.len;
		while (l && c->err.s[l - 1] == '\n')
			c->err.s[--l] = '\0';
		c->err.len = l;
	}
}

int pe_input_from_memory(struct ham_policy_input *in, const char *buf, size_t len,
			 char **ret_err);

/*
 * One streaming pass: the configuration is expanded as one subtree, the
 * status one node_state at a time, so memory stays proportional to the
 * largest node_state rather than to the document.
 */
int pe_input_from_memory(struct ham_policy_input *in, const char *buf, size_t len,
			 char **ret_err)
{
	struct ctx c = { .in = in, .err = HAM_BUF_INIT };
	xmlTextReaderPtr rd;
	bool seen_conf = false;
	int ret, depth;
	xmlChar *v;

	rd = xmlReaderForMemory(buf, (int)len, "cib.xml", NULL,
				XML_PARSE_NONET | XML_PARSE_HUGE | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING);
	if (rd == NULL) {
		fail(&c, -HAM_E_XML, NULL, "cannot read the XML");
		goto out;
	}
	xmlTextReaderSetStructuredErrorHandler(rd, reader_error, &c);
	while ((ret = xmlTextReaderRead(rd)) == 1 &&
	       xmlTextReaderNodeType(rd) != XML_READER_TYPE_ELEMENT)
		;
	if (ret != 1) {
		if (!c.ret)
			fail(&c, -HAM_E_XML, NULL, "no root element");
		goto out;
	}
	if (strcmp((const char *)xmlTextReaderConstName(rd), "cib") != 0) {
		fail(&c, -HAM_E_SCHEMA, NULL, "line %d: the root element must be <cib>, not <%s>",
		     xmlTextReaderGetParserLineNumber(rd),
		     (const char *)xmlTextReaderConstName(rd));
		goto out;
	}
	v = xmlTextReaderGetAttribute(rd, BAD_CAST "have-quorum");
	in->have_quorum = truthy((const char *)v, false);
	xmlFree(v);
	v = xmlTextReaderGetAttribute(rd, BAD_CAST "execution-date");
	if (v) {
		int64_t d;

		if (ham_parse_int64((const char *)v, &d) == 0)
			in->execution_date = d;
		xmlFree(v);
	}
	if (xmlTextReaderIsEmptyElement(rd))
		goto done;
	ret = xmlTextReaderRead(rd);
	while (ret == 1 && !c.ret) {
		const char *name = (const char *)xmlTextReaderConstName(rd);
		int type = xmlTextReaderNodeType(rd);

		depth = xmlTextReaderDepth(rd);
		if (type != XML_READER_TYPE_ELEMENT || depth != 1) {
			ret = xmlTextReaderRead(rd);
			continue;
		}
		if (strcmp(name, "configuration") == 0) {
			xmlNodePtr conf = xmlTextReaderExpand(rd);

			if (conf == NULL)
				break;
			read_configuration(&c, conf);
			seen_conf = true;
			ret = xmlTextReaderNext(rd);
		} else if (strcmp(name, "status") == 0) {
			if (!seen_conf) {
				fail(&c, -HAM_E_SCHEMA, NULL, "line %d: <status> before <configuration>",
				     xmlTextReaderGetParserLineNumber(rd));
				break;
			}
			if (xmlTextReaderIsEmptyElement(rd)) {
				ret = xmlTextReaderNext(rd);
				continue;
			}
			ret = read_status_stream(&c, rd);
		} else {
			ret = xmlTextReaderNext(rd);
		}
	}
	if (ret < 0 && !c.ret)
		fail(&c, -HAM_E_XML, NULL, "malformed XML");
	if (c.ret)
		goto out;
done:
	if (!seen_conf) {
		fail(&c, -HAM_E_SCHEMA, NULL, "no <configuration>");
		goto out;
	}
	pe_input_finish(in);
	finish_nodes(in);
	pe_index_failcounts(in);
out:
	if (rd)
		xmlFreeTextReader(rd);
	if (c.ids)
		qb_map_destroy(c.ids);
	if (c.groups)
		qb_map_destroy(c.groups);
	if (c.clones)
		qb_map_destroy(c.clones);
	if (c.clones_last)
		qb_map_destroy(c.clones_last);
	free(c.group_first);
	free(c.group_last);
	for (size_t i = 0; i < c.nxl; i++)
		free(c.xl[i].v);
	free(c.xl);
	if (c.ret && ret_err)
		*ret_err = ham_buf_steal(&c.err);
	ham_buf_free(&c.err);
	return c.ret;
}
