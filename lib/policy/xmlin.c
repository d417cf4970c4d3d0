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

#include "model.h"

struct ctx {
	struct ham_policy_input *in;
	xmlDocPtr doc;
	qb_map_t *ids;   /* id -> xmlNodePtr, built on first id-ref */
	qb_map_t *groups; /* group id -> (first << 16 | last) + 1 ... see group_ref */
	int *group_first, *group_last;
	size_t ngroups;
	ham_buf err;
	int ret;
};

static bool is(xmlNodePtr n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* Attribute value: points into the tree (valid while the doc lives). */
static const char *attr(xmlNodePtr n, const char *name)
{
	xmlAttrPtr a;

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
		index_ids(c, xmlDocGetRootElement(c->doc));
	}
	t = qb_map_get(c->ids, ref);
	if (t == NULL) {
		fail(c, -HAM_E_CONFIG, n, "id-ref \"%s\" does not match any id", ref);
		return NULL;
	}
	return t;
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
	}
}

static void read_primitive(struct ctx *c, xmlNodePtr p, const struct pe_attrs *inherit)
{
	struct ham_policy_input *in = c->in;
	const char *id = attr(p, "id");
	struct pe_attrs meta = { 0 };
	struct pe_rsc *r;
	const char *v;
	xmlNodePtr ops = NULL;

	if (id == NULL) {
		fail(c, -HAM_E_CONFIG, p, "primitive without an id");
		return;
	}
	if (pe_rsc_find(in, id) >= 0) {
		fail(c, -HAM_E_CONFIG, p, "duplicate resource id");
		return;
	}
	if (attr(p, "template")) {
		if (!in->unsupported)
			in->unsupported = "resource templates";
	}
	r = pe_rsc_add(in, id);
	r->cls = pe_str(in, attr(p, "class"));
	r->provider = pe_str(in, attr(p, "provider"));
	r->type = pe_str(in, attr(p, "type"));
	r->is_stonith = ham_streq(r->cls, "stonith");
	r->stickiness = in->default_stickiness;
	/* defaults first, then the resource's own meta attributes */
	for (size_t i = 0; i < in->rsc_defaults.n; i++)
		pe_attrs_set(in, &meta, in->rsc_defaults.v[i].name, in->rsc_defaults.v[i].value);
	for (size_t i = 0; inherit && i < inherit->n; i++)
		pe_attrs_set(in, &meta, inherit->v[i].name, inherit->v[i].value);
	read_nvsets(c, p, "meta_attributes", &meta);
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
	r->maintenance = truthy(pe_attrs_get(&meta, "maintenance"), false);
	free(meta.v);

	FOR_CHILD(ch, p) {
		if (is(ch, "operations"))
			ops = resolve(c, ch);
	}
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
				return;
			oc = &r->ops[r->nops++];
			oc->name = pe_str(in, attr(o, "name"));
			v = attr(o, "interval");
			if (v && ham_parse_duration_ms(v, &ms) < 0) {
				fail(c, -HAM_E_CONFIG, o, "invalid interval \"%s\"", v);
				return;
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

static void read_resources(struct ctx *c, xmlNodePtr res)
{
	FOR_CHILD(r, res) {
		if (is(r, "primitive"))
			read_primitive(c, r, NULL);
		else if (is(r, "group"))
			read_group(c, r);
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

static void read_location(struct ctx *c, xmlNodePtr l)
{
	struct ham_policy_input *in = c->in;
	const char *rsc = attr(l, "rsc");
	struct pe_location *loc;
	size_t nrules = 0;
	int ri;

	if (rsc == NULL) {
		if (!in->unsupported)
			in->unsupported = "rsc_location without rsc (sets or rsc-pattern)";
		return;
	}
	ri = rsc_ref(c, l, rsc);
	if (ri < 0)
		return;
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

static void read_colocation(struct ctx *c, xmlNodePtr x)
{
	struct ham_policy_input *in = c->in;
	struct pe_colocation *co;
	int a, b;

	if (attr(x, "rsc") == NULL) {
		if (!in->unsupported)
			in->unsupported = "resource sets";
		return;
	}
	a = rsc_ref(c, x, attr(x, "rsc"));
	b = rsc_ref(c, x, attr(x, "with-rsc"));
	if (a < 0 || b < 0)
		return;
	co = pe_colocation_add(in);
	co->id = pe_str(in, attr(x, "id"));
	co->rsc = a;
	co->with = b;
	co->score = score_of(c, x, attr(x, "score"), 0);
	co->rsc_role = pe_role_parse(attr(x, "rsc-role"));
	co->with_role = pe_role_parse(attr(x, "with-rsc-role"));
}

static void read_order(struct ctx *c, xmlNodePtr x)
{
	struct ham_policy_input *in = c->in;
	struct pe_order *o;
	const char *kind, *sym, *score;
	int a, b;

	if (attr(x, "first") == NULL) {
		if (!in->unsupported)
			in->unsupported = "resource sets";
		return;
	}
	a = rsc_ref_at(c, x, attr(x, "first"), true);
	b = rsc_ref(c, x, attr(x, "then"));
	if (a < 0 || b < 0)
		return;
	o = pe_order_add(in);
	o->id = pe_str(in, attr(x, "id"));
	o->first = a;
	o->then = b;
	o->first_action = pe_str(in, attr(x, "first-action") ? attr(x, "first-action") : "start");
	o->then_action = pe_str(in, attr(x, "then-action") ? attr(x, "then-action")
							    : o->first_action);
	kind = attr(x, "kind");
	score = attr(x, "score");
	o->kind = PE_ORDER_MANDATORY;
	if (kind) {
		if (ham_strcaseeq(kind, "Optional"))
			o->kind = PE_ORDER_OPTIONAL;
		else if (ham_strcaseeq(kind, "Serialize"))
			o->kind = PE_ORDER_SERIALIZE;
	} else if (score) {
		int s = score_of(c, x, score, 0);

		if (s == 0)
			o->kind = PE_ORDER_OPTIONAL;
	}
	sym = attr(x, "symmetrical");
	o->symmetrical = truthy(sym, o->kind != PE_ORDER_SERIALIZE);
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

static void node_status(struct ham_policy_input *in, struct pe_node *n, xmlNodePtr ns)
{
	int member = tristate(attr(ns, "in_ccm"));
	int crmd = tristate(attr(ns, "crmd"));
	const char *join = attr(ns, "join");
	const char *expected = attr(ns, "expected");
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

static int int_attr(xmlNodePtr n, const char *name, int dflt)
{
	const char *s = attr(n, name);
	int64_t v;

	if (s == NULL || ham_parse_int64(s, &v) < 0)
		return dflt;
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

static void read_lrm_resource(struct ctx *c, int node, xmlNodePtr lr)
{
	struct ham_policy_input *in = c->in;
	const char *id = attr(lr, "id");
	struct pe_hist_op *ops;
	size_t nops = 0, cap = 8;
	struct pe_rsc *r;
	int ri;

	if (id == NULL)
		return;
	ri = pe_rsc_find(in, id);
	if (ri < 0) {
		/* an orphan: only in the status; it must be stopped */
		r = pe_rsc_add(in, id);
		r->cls = pe_str(in, attr(lr, "class"));
		r->provider = pe_str(in, attr(lr, "provider"));
		r->type = pe_str(in, attr(lr, "type"));
		r->orphan = true;
		r->target_role = PE_ROLE_STOPPED;
		r->st = ham_newa0(struct pe_rsc_state, in->nnodes);
	} else {
		r = &in->rscs[ri];
	}
	if (r->st[node].ops) {
		/* a second entry for the same resource: append */
		ops = r->st[node].ops;
		nops = r->st[node].nops;
		cap = nops + 8;
		ops = ham_reallocarray(ops, cap, sizeof(*ops));
	} else {
		ops = ham_newa0(struct pe_hist_op, cap);
	}
	FOR_CHILD(o, lr) {
		struct pe_hist_op *h;
		const char *v;
		int64_t iv;

		if (!is(o, "lrm_rsc_op"))
			continue;
		if (nops == cap)
			ops = ham_reallocarray(ops, cap *= 2, sizeof(*ops));
		h = &ops[nops++];
		memset(h, 0, sizeof(*h));
		v = attr(o, "id");
		h->last_failure = v && strstr(v, "_last_failure_") != NULL;
		h->op = op_name(attr(o, "operation"));
		v = attr(o, "interval");
		/* the history stores intervals in milliseconds */
		if (v && ham_parse_int64(v, &iv) == 0 && iv > 0)
			h->interval_ms = (uint64_t)iv;
		h->call_id = int_attr(o, "call-id", -1);
		h->rc = int_attr(o, "rc-code", 0);
		h->op_status = int_attr(o, "op-status", 0);
		h->expected_rc = parse_transition_rc(attr(o, "transition-key"));
		h->last_rc_change = int_attr(o, "last-rc-change", 0);
		if (h->last_rc_change == 0)
			h->last_rc_change = int_attr(o, "last-run", 0);
	}
	r->st[node].ops = ops;
	r->st[node].nops = nops;
	r->st[node].has_history = true;
}

static void read_status(struct ctx *c, xmlNodePtr status)
{
	struct ham_policy_input *in = c->in;

	FOR_CHILD(ns, status) {
		const char *uname, *id;
		struct pe_node *n;
		int ni;

		if (!is(ns, "node_state"))
			continue;
		id = attr(ns, "id");
		uname = attr(ns, "uname");
		ni = uname ? pe_node_find(in, uname) : -1;
		if (ni < 0 && id)
			ni = pe_node_find_id(in, id);
		if (ni < 0)
			continue; /* a node not in the configuration */
		n = &in->nodes[ni];
		node_status(in, n, ns);
		FOR_CHILD(t, ns)
			if (is(t, "transient_attributes"))
				read_nvsets(c, t, "instance_attributes", &n->attrs);
	}
	/* resources may be added as orphans: per-node arrays first */
	pe_input_finish(in);
	FOR_CHILD(ns, status) {
		const char *uname, *id;
		int ni;

		if (!is(ns, "node_state"))
			continue;
		id = attr(ns, "id");
		uname = attr(ns, "uname");
		ni = uname ? pe_node_find(in, uname) : -1;
		if (ni < 0 && id)
			ni = pe_node_find_id(in, id);
		if (ni < 0)
			continue;
		FOR_CHILD(l, ns) {
			if (!is(l, "lrm"))
				continue;
			FOR_CHILD(lrs, l) {
				if (!is(lrs, "lrm_resources"))
					continue;
				FOR_CHILD(lr, lrs)
					if (is(lr, "lrm_resource"))
						read_lrm_resource(c, ni, lr);
			}
		}
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
		v = pe_attrs_get(&n->attrs, "standby");
		n->standby = truthy(v, false);
		v = pe_attrs_get(&n->attrs, "maintenance");
		n->maintenance = truthy(v, false) || in->maintenance_mode;
		v = pe_attrs_get(&n->attrs, "shutdown");
		if (v && !ham_streq(v, "0") && n->online)
			n->shutdown = true;
	}
}

int pe_input_from_doc(struct ham_policy_input *in, xmlDocPtr doc, char **ret_err);

int pe_input_from_doc(struct ham_policy_input *in, xmlDocPtr doc, char **ret_err)
{
	struct ctx c = { .in = in, .doc = doc, .err = HAM_BUF_INIT };
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlNodePtr conf = NULL, status = NULL;
	const char *v;

	if (!is(root, "cib")) {
		fail(&c, -HAM_E_SCHEMA, root, "the root element must be <cib>");
		goto out;
	}
	v = attr(root, "have-quorum");
	in->have_quorum = truthy(v, false);
	v = attr(root, "execution-date");
	if (v) {
		int64_t d;

		if (ham_parse_int64(v, &d) == 0)
			in->execution_date = d;
	}
	FOR_CHILD(x, root) {
		if (is(x, "configuration"))
			conf = x;
		else if (is(x, "status"))
			status = x;
	}
	if (conf == NULL) {
		fail(&c, -HAM_E_SCHEMA, root, "no <configuration>");
		goto out;
	}
	FOR_CHILD(x, conf)
		if (is(x, "crm_config"))
			read_cluster_options(&c, x);
	FOR_CHILD(x, conf) {
		if (is(x, "rsc_defaults"))
			read_nvsets(&c, x, "meta_attributes", &in->rsc_defaults);
		else if (is(x, "op_defaults"))
			read_nvsets(&c, x, "meta_attributes", &in->op_defaults);
	}
	FOR_CHILD(x, conf)
		if (is(x, "nodes"))
			read_nodes(&c, x);
	if (c.ret)
		goto out;
	FOR_CHILD(x, conf)
		if (is(x, "resources"))
			read_resources(&c, x);
	if (c.ret)
		goto out;
	FOR_CHILD(x, conf)
		if (is(x, "constraints"))
			read_constraints(&c, x);
	if (c.ret)
		goto out;
	if (status)
		read_status(&c, status);
	pe_input_finish(in);
	finish_nodes(in);
	pe_index_failcounts(in);
out:
	if (c.ids)
		qb_map_destroy(c.ids);
	if (c.groups)
		qb_map_destroy(c.groups);
	free(c.group_first);
	free(c.group_last);
	if (c.ret && ret_err)
		*ret_err = ham_buf_steal(&c.err);
	ham_buf_free(&c.err);
	return c.ret;
}
