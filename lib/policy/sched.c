/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/policy: the scheduler. From the working model and "now": node and
 * resource state, scores, assignment (priority order, colocation first),
 * actions and the ordering constraints' effects (blocked starts, restarts),
 * fencing of unclean nodes, and the summary lines and final placement.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "transition.h"

#define INF HAM_SCORE_INFINITY

/* ------------------------------------------------------------------ */
/* Transition containers                                               */
/* ------------------------------------------------------------------ */

static int add_action(struct ham_transition *t, enum pe_action_kind k, int rsc,
		      int node, bool runnable, bool pseudo)
{
	if (t->nacts == t->capacts) {
		t->capacts = t->capacts ? t->capacts * 2 : 64;
		t->acts = ham_reallocarray(t->acts, t->capacts, sizeof(*t->acts));
	}
	t->acts[t->nacts] = (struct pe_action){ k, rsc, node, runnable, pseudo };
	return (int)t->nacts++;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static bool edge_set_insert(struct ham_transition *t, uint64_t key)
{
	size_t i, mask;

	if ((t->nedges + 1) * 2 > t->edge_set_cap) {
		size_t ncap = t->edge_set_cap ? t->edge_set_cap * 2 : 256, j;
		uint64_t *n = ham_newa0(uint64_t, ncap);

		for (j = 0; j < t->edge_set_cap; j++) {
			uint64_t k = t->edge_set[j];

			if (k == 0)
				continue;
			for (i = mix64(k) & (ncap - 1); n[i]; i = (i + 1) & (ncap - 1))
				;
			n[i] = k;
		}
		free(t->edge_set);
		t->edge_set = n;
		t->edge_set_cap = ncap;
	}
	mask = t->edge_set_cap - 1;
	for (i = mix64(key) & mask; t->edge_set[i]; i = (i + 1) & mask)
		if (t->edge_set[i] == key)
			return false;
	t->edge_set[i] = key;
	return true;
}

/* An ordering edge: action a before action b (deduplicated). */
static void add_edge(struct ham_transition *t, int a, int b)
{
	/* +1 so that no key is 0 */
	uint64_t key = ((uint64_t)(uint32_t)(a + 1) << 32) | (uint32_t)(b + 1);

	if (a < 0 || b < 0 || a == b)
		return;
	if (!edge_set_insert(t, key))
		return;
	if (t->nedges == t->capedges) {
		t->capedges = t->capedges ? t->capedges * 2 : 64;
		t->edges = ham_reallocarray(t->edges, t->capedges, sizeof(*t->edges));
	}
	t->edges[t->nedges++] = key;
}

static void add_line(struct ham_transition *t, const char *verb, const char *name,
		     int from, int to, const char *detail, bool blocked)
{
	if (t->nlines == t->caplines) {
		t->caplines = t->caplines ? t->caplines * 2 : 32;
		t->lines = ham_reallocarray(t->lines, t->caplines, sizeof(*t->lines));
	}
	t->lines[t->nlines++] = (struct pe_line){ verb, name, from, to, detail, blocked, NULL };
}

/* ------------------------------------------------------------------ */
/* State                                                                */
/* ------------------------------------------------------------------ */

static void reset(struct ham_policy_input *in)
{
	size_t i, j;

	for (i = 0; i < in->nnodes; i++) {
		struct pe_node *n = &in->nodes[i];

		/* computing marks nodes unclean (on-fail=fence): start from the input */
		if (!n->base_saved) {
			n->base_saved = true;
			n->unclean0 = n->unclean;
			n->reason0 = n->unclean_reason;
		} else {
			n->unclean = n->unclean0;
			n->unclean_reason = n->reason0;
		}
		in->nodes[i].fence = false;
		in->nodes[i].assigned = 0;
		in->nodes[i].standby_onfail = false;
	}
	for (i = 0; i < in->nclones; i++) {
		in->clones[i].promoted_done = false;
		in->clones[i].assigned = false;
	}
	for (i = 0; i < in->nrscs; i++) {
		struct pe_rsc *r = &in->rscs[i];

		for (j = 0; j < in->nnodes; j++) {
			struct pe_rsc_state *s = &r->st[j];
			struct pe_rsc_state keep = *s;

			memset(s, 0, sizeof(*s));
			s->ops = keep.ops;
			s->nops = keep.nops;
			s->failcount_raw = keep.failcount_raw;
			s->last_failure_raw = keep.last_failure_raw;
			s->has_history = keep.has_history;
			s->role = PE_ROLE_STOPPED;
		}
		if (r->score == NULL) {
			size_t nn = in->nnodes ? in->nnodes : 1;

			r->score = ham_newa0(int, nn);
			r->cur = ham_newa0(int, nn);
			r->stop = ham_newa0(bool, nn);
		}
		memset(r->score, 0, sizeof(int) * in->nnodes);
		memset(r->stop, 0, sizeof(bool) * in->nnodes);
		r->ncur = 0;
		r->failed = r->blocked = false;
		r->cur_role = PE_ROLE_STOPPED;
		r->next = -1;
		r->next_role = PE_ROLE_STOPPED;
		r->assigned_done = r->assigning = false;
		r->stop_unrunnable = r->start = r->start_required = false;
		r->start_unrunnable = r->fenced_stop = false;
		r->promote_blocked = false;
		r->ticket_ban = false;
		r->reason = NULL;
	}
}

/*
 * Tickets: a resource that needs a ticket not granted here may not run;
 * with loss-policy=fence the nodes it runs on are fenced, with freeze it
 * stays where it runs.
 */
static void apply_tickets(struct ham_policy_input *in)
{
	size_t i;

	for (i = 0; i < in->ntdeps; i++) {
		const struct pe_ticket_dep *d = &in->tdeps[i];
		struct pe_rsc *r = &in->rscs[d->rsc];
		const char *st = pe_attrs_get(&in->tickets, d->ticket);
		bool standby = ham_streq(st, "standby");
		int k;

		if (ham_streq(st, "granted") || d->promoted_only)
			continue;
		if (d->loss == 2 && !standby && r->ncur > 0) {
			r->blocked = true; /* frozen where it is */
			continue;
		}
		if (d->loss == 3 && in->stonith_enabled) {
			for (k = 0; k < r->ncur; k++) {
				struct pe_node *n = &in->nodes[r->cur[k]];

				if (!n->unclean) {
					n->unclean = true;
					n->unclean_reason = "deadman ticket was lost";
				}
			}
		}
		r->ticket_ban = true;
	}
}

static bool node_can_run(const struct pe_node *n)
{
	return n->online && !n->unclean && !n->pending && !n->standby &&
	       !n->standby_onfail && !n->maintenance && !n->shutdown && !n->fence;
}

static bool rsc_unmanaged(const struct ham_policy_input *in, const struct pe_rsc *r)
{
	int i;

	if (!r->managed || r->maintenance || in->maintenance_mode)
		return true;
	for (i = 0; i < r->ncur; i++)
		if (in->nodes[r->cur[i]].maintenance)
			return true;
	return false;
}

/* The state of one history on one node, from scratch (ops and raw counts kept). */
static void unpack_fresh(const struct ham_policy_input *in, struct pe_rsc *r, int node,
			 int64_t now)
{
	struct pe_rsc_state *s = &r->st[node], keep = *s;

	memset(s, 0, sizeof(*s));
	s->ops = keep.ops;
	s->nops = keep.nops;
	s->failcount_raw = keep.failcount_raw;
	s->last_failure_raw = keep.last_failure_raw;
	s->has_history = true;
	s->role = PE_ROLE_STOPPED;
	pe_unpack_history(in, r, node, now);
	s->unpacked = true;
}

/*
 * An anonymous clone's history does not say which instance it is (its
 * number means nothing). Entry by entry, in status order, it is the instance
 * already active on that node (for a cloned group: the one another member
 * is active in), else the lowest-numbered instance active nowhere. A member
 * active twice on one node (clone-node-max 1), or with no instance left, is
 * an orphan, and so is an instance on a lost node when the clone neither
 * needs fencing nor covers every node (its number goes to a clean node).
 * The mapping depends on the input alone: the same input, the same mapping.
 */
static void map_clone_history(struct ham_policy_input *in, int64_t now)
{
	size_t kk, e, j;

	for (kk = 0; kk < in->nclones; kk++) {
		struct pe_clone *set = &in->clones[kk];
		int n = set->n, m, i, sl;
		int *slot_node, *orph_next;
		bool universal = (size_t)n >= in->nnodes;

		if (set->set != (int)kk || set->unique)
			continue;
		for (m = 0; m < set->nset; m++) {
			const struct pe_clone *mc = &in->clones[kk + (size_t)m];

			for (i = 0; i < mc->n + mc->norph; i++) {
				struct pe_rsc *r = &in->rscs[pe_clone_inst(mc, i)];

				for (j = 0; j < in->nnodes; j++) {
					r->st[j].ops = NULL;
					r->st[j].nops = 0;
					r->st[j].has_history = false;
				}
			}
		}
		if (set->nhist == 0)
			continue;
		slot_node = ham_newa0(int, (size_t)n + 1);
		orph_next = ham_newa0(int, (size_t)set->nset + 1);
		for (i = 0; i < n; i++)
			slot_node[i] = -1;
		for (e = 0; e < set->nhist; e++) {
			const struct pe_clone_hist *h = &set->hist[e];
			struct pe_clone *mc = &in->clones[h->member];
			const struct pe_node *nd = &in->nodes[h->node];
			int target = -1, active_here = 0;
			bool dup = false;
			struct pe_rsc *r;
			struct pe_rsc_state old;

			for (sl = 0; sl < n; sl++) {
				if (slot_node[sl] != h->node)
					continue;
				active_here++;
				if (in->rscs[mc->first + sl].st[h->node].role > PE_ROLE_STOPPED)
					dup = true;
				else if (target < 0)
					target = sl;
			}
			if (target < 0 && (!dup || active_here < mc->node_max))
				for (sl = 0; sl < n && target < 0; sl++)
					if (slot_node[sl] < 0)
						target = sl;
			if (target >= 0 && (!nd->online || nd->unclean) && !universal &&
			    !(in->stonith_enabled && !in->rscs[mc->first + target].requires_nothing))
				target = -1;
			if (target >= 0) {
				r = &in->rscs[mc->first + target];
			} else {
				int o = orph_next[h->member - (int)kk]++;

				if (o >= mc->norph)
					continue; /* injected history past the orphans made at load */
				r = &in->rscs[mc->orph_first + o];
			}
			old = r->st[h->node];
			r->st[h->node].ops = h->ops;
			r->st[h->node].nops = h->nops;
			r->st[h->node].has_history = true;
			if (nd->online || (nd->unclean && in->stonith_enabled))
				unpack_fresh(in, r, h->node, now);
			/* two entries for one instance on a node: each is unpacked
			 * on its own, and the one that shows it active counts */
			if (old.has_history && r->st[h->node].role <= PE_ROLE_STOPPED &&
			    !r->st[h->node].failed)
				r->st[h->node] = old;
			if (target >= 0 && r->st[h->node].role > PE_ROLE_STOPPED)
				slot_node[target] = h->node;
		}
		free(slot_node);
		free(orph_next);
	}
}

static void unpack_state(struct ham_policy_input *in, int64_t now)
{
	size_t i, j;

	map_clone_history(in, now);
	for (i = 0; i < in->nrscs; i++) {
		struct pe_rsc *r = &in->rscs[i];

		for (j = 0; j < in->nnodes; j++) {
			struct pe_rsc_state *s = &r->st[j];
			int fc = s->failcount_raw;

			const struct pe_node *nd = &in->nodes[j];

			/* only what online nodes, and unclean ones that fencing
			 * will reset, run counts; an offline node runs nothing */
			if (s->has_history && !s->unpacked &&
			    (nd->online || (nd->unclean && in->stonith_enabled)))
				pe_unpack_history(in, r, (int)j, now);
			if (nd->unclean && s->role > PE_ROLE_STOPPED) {
				/* whatever failed there is settled by fencing */
				s->failed = false;
				s->stop_failed = false;
			}
			s->last_failure = s->last_failure_raw;
			if (r->failure_timeout_ms && s->last_failure > 0 && now > 0 &&
			    now >= s->last_failure + (int64_t)((r->failure_timeout_ms + 999) / 1000)) {
				fc = 0;
				if (s->failcount == INF && !s->failed)
					s->failcount = 0;
			}
			if (fc > s->failcount)
				s->failcount = fc;
			/* failures that on-fail=ignore forgives do not count */
			if (s->ignored && !s->failed)
				s->failcount = 0;
			if (s->role > PE_ROLE_STOPPED) {
				r->cur[r->ncur++] = (int)j;
				if (s->role > r->cur_role)
					r->cur_role = s->role;
				if (s->failed)
					r->failed = true;
				if (s->failed && s->on_fail == PE_FAIL_BLOCK)
					r->blocked = true;
				if (s->stop_failed && s->on_fail == PE_FAIL_BLOCK)
					r->blocked = true;
				if (s->failed && s->on_fail == PE_FAIL_FENCE &&
				    !in->nodes[j].unclean) {
					in->nodes[j].unclean = true;
					in->nodes[j].unclean_reason = "resource failure";
				}
				if (s->failed && s->on_fail == PE_FAIL_STANDBY)
					in->nodes[j].standby_onfail = true;
			}
		}
		/* active on several nodes with multiple-active=block: leave alone */
		if (r->ncur > 1 && r->multiple_active == 2)
			r->blocked = true;
	}
}

/* ------------------------------------------------------------------ */
/* Rules and scores                                                     */
/* ------------------------------------------------------------------ */

/* A node attribute, the built-in ones ("Pacemaker Explained") included. */
static const char *node_attr(const struct ham_policy_input *in, const struct pe_node *n,
			     const char *name)
{
	const char *v;

	if (name == NULL || name[0] != '#')
		return pe_attrs_get(&n->attrs, name);
	if (ham_streq(name, "#uname"))
		return n->uname;
	if (ham_streq(name, "#id"))
		return n->id;
	if (ham_streq(name, "#kind"))
		return n->remote ? "remote" : "cluster";
	if (ham_streq(name, "#is_dc"))
		return n->is_dc ? "true" : "false";
	if (ham_streq(name, "#cluster-name"))
		return in->cluster_name;
	if (ham_streq(name, "#site-name")) {
		v = pe_attrs_get(&n->attrs, "site-name");
		return v ? v : in->cluster_name;
	}
	return pe_attrs_get(&n->attrs, name);
}

static int cmp_version(const char *a, const char *b)
{
	while (*a || *b) {
		long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);

		if (x != y)
			return x < y ? -1 : 1;
		if (*a == '.')
			a++;
		if (*b == '.')
			b++;
		if ((*a && !isdigit((unsigned char)*a)) || (*b && !isdigit((unsigned char)*b)))
			break;
	}
	return 0;
}

/*
 * Compares an attribute value with an expression value by type; without a
 * type, ordering comparisons are numeric: "number" when either has a
 * decimal point, "integer" (fractions truncated) otherwise.
 */
static int cmp_typed(const char *a, const char *b, const char *type, bool ordering)
{
	if (type == NULL && ordering)
		type = (strchr(a, '.') || strchr(b, '.')) ? "number" : "integer";
	if (type && ham_strcaseeq(type, "version"))
		return cmp_version(a, b);
	if (type && ham_strcaseeq(type, "integer")) {
		long long x = strtoll(a, NULL, 10), y = strtoll(b, NULL, 10);

		return x < y ? -1 : x > y;
	}
	if (type && ham_strcaseeq(type, "number")) {
		double x = strtod(a, NULL), y = strtod(b, NULL);

		return x < y ? -1 : x > y;
	}
	return strcmp(a, b);
}

static bool eval_rule(const struct ham_policy_input *in, const struct pe_rule *rule,
		      const struct pe_node *n);

static bool eval_expr(const struct ham_policy_input *in, const struct pe_expr *e,
		      const struct pe_node *n)
{
	const char *v, *op = e->op ? e->op : "eq";

	if (e->sub)
		return eval_rule(in, e->sub, n);
	if (e->date)
		return pe_date_eval(e->date, in->now);
	v = node_attr(in, n, e->attr);
	if (ham_streq(op, "defined"))
		return v != NULL;
	if (ham_streq(op, "not_defined"))
		return v == NULL;
	if (v == NULL || e->value == NULL)
		return ham_streq(op, "ne") && v == NULL ? true : false;
	if (ham_streq(op, "eq"))
		return cmp_typed(v, e->value, e->type, false) == 0;
	if (ham_streq(op, "ne"))
		return cmp_typed(v, e->value, e->type, false) != 0;
	if (ham_streq(op, "lt"))
		return cmp_typed(v, e->value, e->type, true) < 0;
	if (ham_streq(op, "lte"))
		return cmp_typed(v, e->value, e->type, true) <= 0;
	if (ham_streq(op, "gt"))
		return cmp_typed(v, e->value, e->type, true) > 0;
	if (ham_streq(op, "gte"))
		return cmp_typed(v, e->value, e->type, true) >= 0;
	return false;
}

static bool eval_rule(const struct ham_policy_input *in, const struct pe_rule *rule,
		      const struct pe_node *n)
{
	size_t i;

	if (rule->ne == 0)
		return true;
	for (i = 0; i < rule->ne; i++) {
		bool v = eval_expr(in, &rule->e[i], n);

		if (rule->is_or && v)
			return true;
		if (!rule->is_or && !v)
			return false;
	}
	return !rule->is_or;
}

static void apply_locations(struct ham_policy_input *in, bool **allowed)
{
	size_t i, j, k;

	for (i = 0; i < in->nlocs; i++) {
		const struct pe_location *l = &in->locs[i];
		struct pe_rsc *r = &in->rscs[l->rsc];

		if (l->role && pe_role_parse(l->role) == PE_ROLE_PROMOTED)
			continue; /* role-specific: promotable only */
		if (l->node >= 0) {
			r->score[l->node] = ham_score_add(r->score[l->node], l->score);
			allowed[l->rsc][l->node] = true;
			continue;
		}
		for (k = 0; k < l->nrules; k++) {
			const struct pe_rule *ru = &l->rules[k];

			if (ru->role && pe_role_parse(ru->role) == PE_ROLE_PROMOTED)
				continue;
			for (j = 0; j < in->nnodes; j++) {
				int s = ru->score;

				if (!eval_rule(in, ru, &in->nodes[j]))
					continue;
				if (ru->score_attr) {
					const char *v = node_attr(in, &in->nodes[j], ru->score_attr);

					if (v == NULL || ham_score_parse(v, &s) < 0)
						continue;
				}
				r->score[j] = ham_score_add(r->score[j], s);
				allowed[l->rsc][j] = true;
			}
		}
	}
}

/* The sum of a node's #health-* attributes under the health strategy. */
static int node_health(const struct ham_policy_input *in, const struct pe_node *n)
{
	size_t i;
	int sum = 0, v;

	if (in->health_strategy == 0)
		return 0;
	for (i = 0; i < n->attrs.n; i++) {
		const char *name = n->attrs.v[i].name, *val = n->attrs.v[i].value;

		if (strncmp(name, "#health", 7) != 0)
			continue;
		if (ham_strcaseeq(val, "red"))
			v = in->health_red;
		else if (ham_strcaseeq(val, "yellow"))
			v = in->health_yellow;
		else if (ham_strcaseeq(val, "green"))
			v = in->health_green;
		else if (ham_score_parse(val, &v) < 0)
			v = 0;
		sum = ham_score_add(sum, v);
	}
	return sum;
}

static void base_scores(struct ham_policy_input *in, bool quorate)
{
	size_t i, j;
	bool **allowed = ham_newa0(bool *, in->nrscs ? in->nrscs : 1);

	for (i = 0; i < in->nrscs; i++) {
		allowed[i] = ham_newa0(bool, in->nnodes ? in->nnodes : 1);
		for (j = 0; j < in->nnodes; j++)
			allowed[i][j] = in->symmetric;
	}
	apply_locations(in, allowed);
	for (i = 0; i < in->nrscs; i++) {
		struct pe_rsc *r = &in->rscs[i];

		if (in->health_strategy && !r->allow_unhealthy)
			for (j = 0; j < in->nnodes; j++)
				r->score[j] = ham_score_add(r->score[j],
							    node_health(in, &in->nodes[j]));
		/* stickiness on the node it runs on */
		if (r->ncur == 1 && r->stickiness && !r->failed)
			r->score[r->cur[0]] = ham_score_add(r->score[r->cur[0]], r->stickiness);
		for (j = 0; j < in->nnodes; j++) {
			const struct pe_rsc_state *s = &r->st[j];

			if (!allowed[i][j] || !node_can_run(&in->nodes[j]) || s->banned ||
			    r->ticket_ban ||
			    s->failcount >= r->migration_threshold)
				r->score[j] = -INF;
			if (s->fatal) {
				size_t k;

				for (k = 0; k < in->nnodes; k++)
					r->score[k] = -INF;
			}
		}
		(void)quorate;
		free(allowed[i]);
	}
	free(allowed);
}

/* ------------------------------------------------------------------ */
/* Assignment                                                           */
/* ------------------------------------------------------------------ */

static bool on_node(const struct pe_rsc *r, int node)
{
	int i;

	for (i = 0; i < r->ncur; i++)
		if (r->cur[i] == node)
			return true;
	return false;
}

/*
 * Nodes a and b are "together" for colocation c: the same node, or with
 * node-attribute, nodes with the same value of that attribute ("Pacemaker
 * Explained", colocation node-attribute).
 */
static bool same_place(const struct ham_policy_input *in, const struct pe_colocation *c, int a,
		       int b)
{
	const char *va, *vb;

	if (a < 0 || b < 0)
		return false;
	if (c->node_attr == NULL || a == b)
		return a == b;
	va = node_attr(in, &in->nodes[a], c->node_attr);
	vb = node_attr(in, &in->nodes[b], c->node_attr);
	return va != NULL && vb != NULL && ham_strcaseeq(va, vb);
}

/* The primary of a colocation is placed on node (any instance of a clone). */
static bool primary_on(const struct ham_policy_input *in, const struct pe_colocation *c,
		       int node)
{
	const struct pe_clone *k;
	int i;

	if (c->with_clone < 0)
		return same_place(in, c, in->rscs[c->with].next, node);
	k = &in->clones[c->with_clone];
	for (i = 0; i < k->n; i++) {
		const struct pe_rsc *p = &in->rscs[k->first + i];

		if (!same_place(in, c, p->next, node))
			continue;
		if (c->with_role == PE_ROLE_PROMOTED && p->next_role != PE_ROLE_PROMOTED)
			continue;
		/* with-rsc-role=Unpromoted: an instance that is not promoted */
		if (c->with_role == PE_ROLE_UNPROMOTED && k->promotable && k->promoted_done &&
		    p->next_role == PE_ROLE_PROMOTED)
			continue;
		return true;
	}
	return false;
}


/* ------------------------------------------------------------------ */
/* Utilization                                                          */
/* ------------------------------------------------------------------ */

static int64_t util_value(const char *v)
{
	int64_t x;

	if (v == NULL || ham_parse_int64(v, &x) < 0)
		return 0;
	return x;
}

static void util_add_names(struct ham_policy_input *in, const struct pe_attrs *a,
			   size_t *cap)
{
	size_t i, k;

	for (i = 0; i < a->n; i++) {
		for (k = 0; k < in->nutil; k++)
			if (strcmp(in->util_names[k], a->v[i].name) == 0)
				break;
		if (k < in->nutil)
			continue;
		if (in->nutil == *cap) {
			*cap = *cap ? *cap * 2 : 8;
			in->util_names = realloc(in->util_names, *cap * sizeof(char *));
			if (in->util_names == NULL)
				abort();
		}
		in->util_names[in->nutil++] = a->v[i].name;
	}
}

/* Capacity of every node and needs of every resource, as dense vectors. */
static void prepare_util(struct ham_policy_input *in)
{
	size_t i, k, cap = 0;

	if (in->util_ready)
		goto clear;
	in->util_ready = true;
	for (i = 0; i < in->nnodes; i++)
		util_add_names(in, &in->nodes[i].util, &cap);
	for (i = 0; i < in->nrscs; i++)
		util_add_names(in, &in->rscs[i].util, &cap);
	for (i = 0; i < in->nnodes; i++) {
		struct pe_node *n = &in->nodes[i];

		n->cap = ham_newa0(int64_t, in->nutil + 1);
		n->used = ham_newa0(int64_t, in->nutil + 1);
		for (k = 0; k < in->nutil; k++)
			n->cap[k] = util_value(pe_attrs_get(&n->util, in->util_names[k]));
	}
	for (i = 0; i < in->nrscs; i++) {
		struct pe_rsc *r = &in->rscs[i];

		r->need = ham_newa0(int64_t, in->nutil + 1);
		for (k = 0; k < in->nutil; k++)
			r->need[k] = util_value(pe_attrs_get(&r->util, in->util_names[k]));
	}
clear:
	for (i = 0; i < in->nnodes; i++)
		memset(in->nodes[i].used, 0, sizeof(int64_t) * (in->nutil + 1));
}

static bool util_fits(const struct ham_policy_input *in, const struct pe_node *n,
		      const int64_t *need)
{
	size_t k;

	for (k = 0; k < in->nutil; k++)
		if (need[k] > 0 && n->cap[k] - n->used[k] < need[k])
			return false;
	return true;
}

static void node_take(struct ham_policy_input *in, const struct pe_rsc *r, int node)
{
	struct pe_node *n = &in->nodes[node];
	size_t k;

	n->assigned++;
	if (in->placement == PE_PLACE_DEFAULT || !in->util_ready)
		return;
	for (k = 0; k < in->nutil; k++)
		n->used[k] += r->need[k];
}

/* > 0 when node a has more free capacity than b (more attributes larger). */
static int cmp_free(const struct ham_policy_input *in, const struct pe_node *a,
		    const struct pe_node *b)
{
	size_t k;
	int d = 0;

	for (k = 0; k < in->nutil; k++) {
		int64_t fa = a->cap[k] - a->used[k], fb = b->cap[k] - b->used[k];

		if (fa > fb)
			d++;
		else if (fa < fb)
			d--;
	}
	return d;
}

static bool util_skip(const struct pe_rsc *o, int r_index)
{
	return o->index == r_index;
}

/*
 * Bans the nodes without the capacity r needs. When r has unassigned
 * resources tied to it by mandatory colocations, their needs count too, as
 * long as some node can hold them all.
 */
static void ban_insufficient(struct ham_policy_input *in, struct pe_rsc *r, int *w)
{
	size_t nn = in->nnodes, j, k, q;
	int64_t *sum;
	bool any = false;

	if (in->placement == PE_PLACE_DEFAULT || in->nutil == 0)
		return;
	sum = ham_newa0(int64_t, in->nutil + 1);
	memcpy(sum, r->need, sizeof(int64_t) * in->nutil);
	for (q = in->coloc_prim_start[r->index]; q < in->coloc_prim_start[r->index + 1]; q++) {
		const struct pe_colocation *c = &in->colocs[in->coloc_prim[q]];
		const struct pe_rsc *d;

		if (c->with != r->index || c->score < INF || c->with_clone >= 0)
			continue;
		d = &in->rscs[c->rsc];
		if (util_skip(d, r->index) || d->assigned_done ||
		    d->target_role == PE_ROLE_STOPPED)
			continue;
		for (k = 0; k < in->nutil; k++)
			sum[k] += d->need[k];
	}
	for (j = 0; j < nn; j++)
		if (w[j] > -INF && util_fits(in, &in->nodes[j], sum))
			any = true;
	for (j = 0; j < nn; j++)
		if (!util_fits(in, &in->nodes[j], any ? sum : r->need))
			w[j] = -INF;
	free(sum);
}

static int pick_node(const struct ham_policy_input *in, const struct pe_rsc *r,
		     const int *w)
{
	int best = -1;
	size_t j;

	for (j = 0; j < in->nnodes; j++) {
		int n = (int)j;

		if (w[j] < 0 || w[j] <= -INF || !node_can_run(&in->nodes[j]))
			continue;
		if (best < 0 || w[j] > w[best]) {
			best = n;
			continue;
		}
		if (w[j] < w[best])
			continue;
		/* a tie: where it runs, for the capacity-minded strategies */
		if (in->placement != PE_PLACE_DEFAULT && on_node(r, best) != on_node(r, n)) {
			if (on_node(r, n))
				best = n;
			continue;
		}
		if (in->placement == PE_PLACE_MINIMAL)
			continue;
		if (in->placement == PE_PLACE_BALANCED) {
			int d = cmp_free(in, &in->nodes[j], &in->nodes[best]);

			if (d > 0)
				best = n;
			if (d != 0)
				continue;
		}
		/* the least loaded node, then where it runs */
		if (in->nodes[j].assigned != in->nodes[best].assigned) {
			if (in->nodes[j].assigned < in->nodes[best].assigned)
				best = n;
			continue;
		}
		if (!on_node(r, best) && on_node(r, n))
			best = n;
	}
	return best;
}

static void promote_clone(struct ham_policy_input *in, struct pe_clone *k);

/*
 * Roles are chosen once every instance of the clone is placed (of every
 * member, for a cloned group: its instances are promoted as a whole).
 */
static void maybe_promote(struct ham_policy_input *in, const struct pe_rsc *r)
{
	struct pe_clone *set;
	int i, m;

	if (r->clone < 0 || !in->clones[r->clone].promotable)
		return;
	set = &in->clones[in->clones[r->clone].set];
	if (set->promoted_done)
		return;
	for (m = 0; m < set->nset; m++) {
		const struct pe_clone *k = set + m;

		for (i = 0; i < k->n; i++)
			if (!in->rscs[k->first + i].assigned_done)
				return;
	}
	promote_clone(in, set);
}

static void assign(struct ham_policy_input *in, struct pe_rsc *r);
static void assign_clone(struct ham_policy_input *in, int kk);

/* What r is colocated with is placed first. */
static void assign_primaries(struct ham_policy_input *in, struct pe_rsc *r)
{
	size_t j;

	for (size_t q = in->coloc_dep_start[r->index]; q < in->coloc_dep_start[r->index + 1]; q++) {
		const struct pe_colocation *c = &in->colocs[in->coloc_dep[q]];

		if (c->rsc != r->index || c->with == r->index)
			continue;
		if (c->with_clone >= 0) {
			const struct pe_clone *k = &in->clones[c->with_clone];

			/* the active instances first, as in cmp_priority() */
			for (j = 0; j < 2 * (size_t)k->n; j++) {
				struct pe_rsc *o = &in->rscs[k->first + (int)(j % (size_t)k->n)];

				if (o != r && (o->ncur > 0) == (j < (size_t)k->n))
					assign(in, o);
			}
		} else {
			assign(in, &in->rscs[c->with]);
		}
	}
}

/*
 * A resource whose place is not chosen: unmanaged or blocked (pinned where
 * it runs), or not to run at all. True when r is one (and is then done).
 */
static bool assign_fixed(struct ham_policy_input *in, struct pe_rsc *r)
{
	if (rsc_unmanaged(in, r) || r->blocked) {
		/* pinned where it is */
		if (r->ncur > 0) {
			r->next = r->cur[0];
			r->next_role = r->cur_role;
			node_take(in, r, r->next);
		}
		return true;
	}
	return r->target_role == PE_ROLE_STOPPED || r->orphan || in->stop_all ||
	       (r->ncur > 1 && r->multiple_active == 1);
}

/* r's score per node with its colocations (a new array of in->nnodes). */
static int *weights(struct ham_policy_input *in, struct pe_rsc *r)
{
	size_t j, nn = in->nnodes;
	int *w, *tmp;

	w = ham_newa0(int, nn ? nn : 1);
	tmp = ham_newa0(int, nn ? nn : 1);
	memcpy(w, r->score, sizeof(int) * nn);
	for (size_t q = in->coloc_dep_start[r->index]; q < in->coloc_dep_start[r->index + 1]; q++) {
		const struct pe_colocation *c = &in->colocs[in->coloc_dep[q]];
		const struct pe_rsc *p;

		if (c->rsc != r->index || c->with == r->index)
			continue;
		p = &in->rscs[c->with];
		/* a promotable instance's role-specific colocations choose its
		 * role (promote_clone), not its node */
		if (c->rsc_role == PE_ROLE_PROMOTED ||
		    (c->rsc_role == PE_ROLE_UNPROMOTED && r->clone >= 0 &&
		     in->clones[r->clone].promotable))
			continue;
		if (c->with_role == PE_ROLE_PROMOTED && c->with_clone < 0)
			continue;
		if (c->with_clone >= 0) {
			if (r->clone == c->with_clone)
				continue;
			for (j = 0; j < nn; j++) {
				bool on = primary_on(in, c, (int)j);

				if (c->score >= INF && !on)
					w[j] = -INF;
				else if (c->score <= -INF && on)
					w[j] = -INF;
				else if (on && c->score > -INF && c->score < INF)
					w[j] = ham_score_add(w[j], c->score);
			}
			continue;
		}
		if (!p->assigned_done) {
			continue; /* a loop: ignore this one */
		}
		if (p->next < 0) {
			if (c->score >= INF)
				for (j = 0; j < nn; j++)
					w[j] = -INF;
			continue;
		}
		for (j = 0; j < nn; j++) {
			bool on = same_place(in, c, (int)j, p->next);

			if (c->score >= INF && !on)
				w[j] = -INF;
			else if (c->score <= -INF && on)
				w[j] = -INF;
			else if (on && c->score < INF && c->score > -INF)
				w[j] = ham_score_add(w[j], c->score);
		}
	}
	/* dependents' preferences pull this resource towards them */
	for (size_t q = in->coloc_prim_start[r->index]; q < in->coloc_prim_start[r->index + 1]; q++) {
		const struct pe_colocation *c = &in->colocs[in->coloc_prim[q]];
		const struct pe_rsc *d;
		bool any = false;

		if (c->with != r->index || c->rsc == r->index || c->score <= 0 ||
		    c->with_clone >= 0)
			continue;
		d = &in->rscs[c->rsc];
		if (d->assigned_done || d->target_role == PE_ROLE_STOPPED)
			continue;
		for (j = 0; j < nn; j++) {
			int ds = d->score[j];
			int add;

			/* node-attribute: its best score among the nodes alike */
			for (size_t b = 0; c->node_attr && b < nn; b++)
				if (b != j && d->score[b] > ds && same_place(in, c, (int)j, (int)b))
					ds = d->score[b];
			if (ds <= -INF) {
				add = c->score >= INF ? -INF : 0;
			} else {
				add = (int)((int64_t)ds * c->score / INF);
			}
			tmp[j] = ham_score_add(w[j], add);
			if (tmp[j] >= 0 && node_can_run(&in->nodes[j]))
				any = true;
		}
		if (any)
			memcpy(w, tmp, sizeof(int) * nn);
	}
	ban_insufficient(in, r, w);
	free(tmp);
	return w;
}

/* r goes to node (-1: nowhere); w (taken) becomes its scores. */
static void assign_to(struct ham_policy_input *in, struct pe_rsc *r, int node, int *w)
{
	r->next = node;
	if (r->next >= 0) {
		node_take(in, r, r->next);
		r->next_role = PE_ROLE_STARTED;
	}
	memcpy(r->score, w, sizeof(int) * in->nnodes);
	free(w);
}

static void assign(struct ham_policy_input *in, struct pe_rsc *r)
{
	if (r->assigned_done || r->assigning)
		return;
	if (r->clone >= 0 && !r->orphan) {
		assign_clone(in, r->clone);
		return;
	}
	r->assigning = true;
	assign_primaries(in, r);
	if (!assign_fixed(in, r)) {
		int *w = weights(in, r);

		assign_to(in, r, pick_node(in, r, w), w);
	}
	r->assigned_done = true;
	r->assigning = false;
	maybe_promote(in, r);
}

/* The highest score of w on a node that can take one more instance. */
static int best_open(const struct ham_policy_input *in, const int *w, const int *count,
		     int node_max)
{
	int best = -INF;
	size_t j;

	for (j = 0; j < in->nnodes; j++)
		if (count[j] < node_max && node_can_run(&in->nodes[j]) && w[j] > best)
			best = w[j];
	return best;
}

/*
 * The nodes the placed instances (placed[i]) got are the clone's; which
 * instance gets which is then chosen so that as many as possible stay
 * where they run: an instance running (and not failed) on one of those
 * nodes takes it, the others take the rest (their own first). Instances
 * are interchangeable: moving one to a node another leaves would only be
 * downtime.
 */
static void keep_in_place(struct ham_policy_input *in, const struct pe_clone *k,
			  const bool *placed)
{
	int n = k->n, i, q, np = 0;
	int *pool = ham_newa0(int, (size_t)n + 1), *give = ham_newa0(int, (size_t)n + 1);
	bool *taken = ham_newa0(bool, (size_t)n + 1);

	for (i = 0; i < n; i++) {
		give[i] = -1;
		if (placed[i] && in->rscs[k->first + i].next >= 0)
			pool[np++] = in->rscs[k->first + i].next;
	}
	for (i = 0; i < n; i++) {
		const struct pe_rsc *r = &in->rscs[k->first + i];

		/* a failed instance restarts anyway: it saves no downtime */
		if (!placed[i] || r->ncur != 1 || r->failed)
			continue;
		for (q = 0; q < np; q++)
			if (!taken[q] && pool[q] == r->cur[0]) {
				taken[q] = true;
				give[i] = pool[q];
				break;
			}
	}
	for (i = 0; i < n; i++) {
		const struct pe_rsc *r = &in->rscs[k->first + i];

		if (!placed[i] || give[i] >= 0 || r->next < 0)
			continue;
		for (q = 0; q < np; q++)
			if (!taken[q] && pool[q] == r->next)
				break;
		if (q == np)
			for (q = 0; q < np && taken[q]; q++)
				;
		if (q < np) {
			taken[q] = true;
			give[i] = pool[q];
		}
	}
	/* instances left without a node are those that had none */
	for (i = 0; i < n; i++)
		if (placed[i]) {
			struct pe_rsc *r = &in->rscs[k->first + i];

			r->next = give[i];
			r->next_role = give[i] >= 0 ? PE_ROLE_STARTED : PE_ROLE_STOPPED;
		}
	free(pool);
	free(give);
	free(taken);
}

/*
 * The instances of a clone, as Pacemaker Explained describes them: an
 * instance active on a node stays there while that node is allowed, is
 * among its best, and holds fewer than its share of instances (clone-max
 * over the nodes the clone may run on, at least one); the others are then
 * placed one by one (those that were active first, then by number), never
 * more than clone-node-max on a node, preferring the nodes with fewer
 * resources. So the instance on a leaving node is the one that stops, and
 * a missing instance starts in place, not by shifting the others.
 */
static void assign_clone(struct ham_policy_input *in, int kk)
{
	struct pe_clone *k = &in->clones[kk];
	size_t nn = in->nnodes, j;
	int n = k->n, i, round, avail = 0, optimal;
	int *count = ham_newa0(int, nn ? nn : 1);
	bool *todo = ham_newa0(bool, (size_t)n + 1);
	bool *placed = ham_newa0(bool, (size_t)n + 1);

	if (k->assigned) {
		free(count);
		free(todo);
		free(placed);
		return;
	}
	k->assigned = true;
	for (i = 0; i < n; i++)
		in->rscs[k->first + i].assigning = true;
	for (i = 0; i < n; i++)
		assign_primaries(in, &in->rscs[k->first + i]);
	for (i = 0; i < n; i++) {
		struct pe_rsc *r = &in->rscs[k->first + i];

		if (assign_fixed(in, r)) {
			if (r->next >= 0)
				count[r->next]++;
			r->assigned_done = true;
		} else {
			todo[i] = true;
			placed[i] = true;
		}
	}
	for (j = 0; j < nn; j++) {
		bool ok = false;

		for (i = 0; i < n && !ok; i++)
			ok = todo[i] && in->rscs[k->first + i].score[j] >= 0;
		if (ok && node_can_run(&in->nodes[j]))
			avail++;
	}
	optimal = avail > 0 ? n / avail : 1;
	if (optimal < 1)
		optimal = 1;
	if (optimal > k->node_max)
		optimal = k->node_max;
	/* (a cloned group's instance loads its node with all its members at
	 * once: counted as its first member is placed, not as each follows) */
	/* active instances stay where they are when that is among their best */
	for (i = 0; i < n; i++) {
		struct pe_rsc *r = &in->rscs[k->first + i];
		int c, *w;

		if (!todo[i] || r->ncur != 1)
			continue;
		c = r->cur[0];
		if (!node_can_run(&in->nodes[c]) || count[c] >= optimal)
			continue;
		w = weights(in, r);
		if (w[c] < 0 || w[c] < best_open(in, w, count, k->node_max)) {
			free(w);
			continue;
		}
		assign_to(in, r, c, w);
		count[c]++;
		in->nodes[c].assigned += k->set == kk ? k->nset - 1 : -1;
		todo[i] = false;
		r->assigned_done = true;
	}
	/* the others: those that were active first, then by number */
	for (round = 0; round < 2; round++) {
		for (i = 0; i < n; i++) {
			struct pe_rsc *r = &in->rscs[k->first + i];
			int *w, node;

			if (!todo[i] || (r->ncur > 0) != (round == 0))
				continue;
			w = weights(in, r);
			for (j = 0; j < nn; j++)
				if (count[j] >= k->node_max)
					w[j] = -INF;
			node = pick_node(in, r, w);
			assign_to(in, r, node, w);
			if (node >= 0) {
				count[node]++;
				in->nodes[node].assigned += k->set == kk ? k->nset - 1 : -1;
			}
			todo[i] = false;
			r->assigned_done = true;
		}
	}
	keep_in_place(in, k, placed);
	for (i = 0; i < n; i++) {
		in->rscs[k->first + i].assigning = false;
		in->rscs[k->first + i].assigned_done = true;
	}
	free(count);
	free(todo);
	free(placed);
	if (n > 0)
		maybe_promote(in, &in->rscs[k->first]);
}

/*
 * Promotion ("Pacemaker Explained", promotable clones). Each instance that
 * will be active gets a promotion priority on its node: its promotion score
 * (the node attribute master-<child>; -1 when there is none, so that nothing
 * is promoted without a score or a constraint), plus the location
 * constraints for the Promoted role there, plus its colocations limited to a
 * role (rsc-role=Promoted: +score where what it is colocated with will be, a
 * mandatory one -INFINITY elsewhere; rsc-role=Unpromoted: -score there). An
 * instance with a negative priority is never promoted. The others are ranked
 * by their node's score for the clone: the clone's own location scores, the
 * preferences of what is colocated with it (those colocated with its
 * Promoted role counted again) and the priorities of the instances there.
 * Ties go to the instance already in the higher role, then the one with the
 * higher priority, then an active one, then one that has not failed, then
 * the lower instance number; the first promoted-max of them are promoted, at
 * most promoted-node-max on a node.
 */

/* Whether clone kk's resource has history (active or probed) on node. */
static bool clone_known_on(const struct ham_policy_input *in, int kk, int node)
{
	const struct pe_clone *k = &in->clones[kk], *set = &in->clones[k->set];
	int i;

	for (i = 0; i < k->n + k->norph; i++)
		if (in->rscs[pe_clone_inst(k, i)].st[node].has_history)
			return true;
	for (size_t h = 0; h < set->nhist; h++)
		if (set->hist[h].node == node && set->hist[h].member == kk && set->hist[h].nops > 0)
			return true;
	return false;
}

static bool clone_known_anywhere(const struct ham_policy_input *in, int kk)
{
	size_t j;

	for (j = 0; j < in->nnodes; j++)
		if (clone_known_on(in, kk, (int)j))
			return true;
	return false;
}

/*
 * The promotion score attribute of instance r on node (found: there is one
 * that counts). An anonymous clone's number means nothing: the node's score
 * under any instance number is the one of what runs there. It counts where
 * r runs, or where the clone was probed, or anywhere while it was probed
 * nowhere yet (a permanent score at start-up), and only where r is allowed.
 */
static int promotion_attr(const struct ham_policy_input *in, const struct pe_rsc *r, int node,
			  bool *found)
{
	char name[600];
	const char *v;
	const struct pe_node *n = &in->nodes[node];
	int sc;
	size_t i;

	*found = false;
	if (r->score[node] < 0)
		return 0;
	if (!on_node(r, node) && !clone_known_on(in, r->clone, node) &&
	    clone_known_anywhere(in, r->clone))
		return 0;
	snprintf(name, sizeof(name), "master-%s", r->name);
	v = pe_attrs_get(&n->attrs, name);
	if (v == NULL && in->clones[r->clone].unique) {
		snprintf(name, sizeof(name), "master-%s", r->id);
		v = pe_attrs_get(&n->attrs, name);
	} else if (v == NULL) {
		size_t len = strlen(name);

		for (i = 0; i < n->attrs.n && v == NULL; i++) {
			const char *an = n->attrs.v[i].name;

			if (strncmp(an, name, len) == 0 && an[len] == ':' &&
			    an[len + 1] != '\0' && strspn(an + len + 1, "0123456789") ==
			    strlen(an + len + 1))
				v = n->attrs.v[i].value;
		}
	}
	if (v == NULL || ham_score_parse(v, &sc) < 0)
		return 0;
	*found = true;
	return sc;
}

/* The sum of r's location constraints on node: for the Promoted role, or the others. */
static int location_score(const struct ham_policy_input *in, const struct pe_rsc *r, int node,
			  bool promoted)
{
	int sum = 0;
	size_t i, k;

	for (i = 0; i < in->nlocs; i++) {
		const struct pe_location *l = &in->locs[i];
		bool role_p = l->role && pe_role_parse(l->role) == PE_ROLE_PROMOTED;

		if (l->rsc != r->index)
			continue;
		if (l->node >= 0) {
			if (l->node == node && role_p == promoted)
				sum = ham_score_add(sum, l->score);
			continue;
		}
		for (k = 0; k < l->nrules; k++) {
			const struct pe_rule *ru = &l->rules[k];
			bool rp = role_p || (ru->role && pe_role_parse(ru->role) == PE_ROLE_PROMOTED);
			int s = ru->score;

			if (rp != promoted || !eval_rule(in, ru, &in->nodes[node]))
				continue;
			if (ru->score_attr) {
				const char *v = node_attr(in, &in->nodes[node], ru->score_attr);

				if (v == NULL || ham_score_parse(v, &s) < 0)
					continue;
			}
			sum = ham_score_add(sum, s);
		}
	}
	return sum;
}

/*
 * The promotion priority of instance r on the node it is placed on; of a
 * cloned group's instance (r its first member's), the sum of its members'
 * promotion scores.
 */
static int promotion_priority(const struct ham_policy_input *in, const struct pe_rsc *r)
{
	const struct pe_clone *k = &in->clones[r->clone];
	int node = r->next, prio = 0, inst = r->index - k->first, m;
	bool found = false;
	size_t i, q;

	/* rsc_ticket rsc-role=Promoted: not promoted without the ticket
	 * (loss-policy=freeze keeps a promoted instance as it is) */
	for (i = 0; i < in->ntdeps; i++) {
		const struct pe_ticket_dep *d = &in->tdeps[i];

		if (d->rsc != r->index || !d->promoted_only ||
		    ham_streq(pe_attrs_get(&in->tickets, d->ticket), "granted"))
			continue;
		if (d->loss == 2 && r->st[node].role == PE_ROLE_PROMOTED)
			continue;
		return -INF;
	}
	if (r->target_role == PE_ROLE_UNPROMOTED)
		return -INF;
	for (m = 0; m < k->nset; m++) {
		const struct pe_rsc *mr = &in->rscs[k[m].first + inst];
		bool f;
		int sc = promotion_attr(in, mr, node, &f);

		if (f) {
			prio = ham_score_add(prio, sc);
			found = true;
		}
	}
	if (!found)
		prio = -1;
	prio = ham_score_add(prio, location_score(in, r, node, true));
	for (q = in->coloc_dep_start[r->index]; q < in->coloc_dep_start[r->index + 1]; q++) {
		const struct pe_colocation *c = &in->colocs[in->coloc_dep[q]];
		bool on;

		if (c->rsc != r->index || c->with == r->index ||
		    (c->rsc_role != PE_ROLE_PROMOTED && c->rsc_role != PE_ROLE_UNPROMOTED))
			continue;
		if (c->with_clone >= 0 && c->with_clone == r->clone)
			continue;
		on = primary_on(in, c, node);
		if (on)
			prio = ham_score_add(prio, c->rsc_role == PE_ROLE_PROMOTED ? c->score
										: -c->score);
		else if (c->score >= INF && c->rsc_role == PE_ROLE_PROMOTED)
			prio = -INF;
	}
	return prio;
}

/*
 * How much the resources colocated with clone k want it on node: "A with B"
 * makes the cluster weigh A's preferences when it places B ("Pacemaker
 * Explained", colocation). Each dependent not yet placed adds its own score
 * there, scaled by the colocation's (score / INFINITY); nodes it does not
 * want (negative) add nothing. With promoted_only, only those colocated with
 * the Promoted role, and what they do not want counts too (nowhere they
 * cannot run, with a mandatory colocation); the caller applies those only
 * when some instance's node is left non-negative.
 */
static int dependents_pull(const struct ham_policy_input *in, const struct pe_clone *k,
			   int node, bool promoted_only)
{
	int pull = 0, kk = (int)(k - in->clones);
	size_t q;

	if (k->n == 0)
		return 0;
	for (q = in->coloc_prim_start[k->first]; q < in->coloc_prim_start[k->first + 1]; q++) {
		const struct pe_colocation *c = &in->colocs[in->coloc_prim[q]];
		const struct pe_rsc *d = &in->rscs[c->rsc];
		int ds;

		if (c->with_clone != kk || c->score <= 0 || d->clone >= 0 ||
		    d->assigned_done || d->target_role == PE_ROLE_STOPPED)
			continue;
		if (promoted_only && c->with_role != PE_ROLE_PROMOTED)
			continue;
		ds = d->score[node];
		if (ds <= -INF && promoted_only) {
			if (c->score >= INF)
				return -INF;
			continue;
		}
		if (ds <= 0 && !promoted_only)
			continue;
		if (ds >= INF)
			ds = INF;
		pull = ham_score_add(pull, (int)((int64_t)ds * (c->score >= INF ? INF : c->score) / INF));
	}
	return pull;
}

struct promo_rank {
	int inst;       /* resource index */
	int sort;       /* the node's score, or the negative priority */
	int prio;
};

/* Instance a before b for promotion (see above). */
static int cmp_promo(const struct ham_policy_input *in, const struct promo_rank *a,
		     const struct promo_rank *b)
{
	const struct pe_rsc *x = &in->rscs[a->inst], *y = &in->rscs[b->inst];
	/* a running instance of a promotable clone is Unpromoted */
	enum pe_role rx = x->cur_role == PE_ROLE_STARTED ? PE_ROLE_UNPROMOTED : x->cur_role;
	enum pe_role ry = y->cur_role == PE_ROLE_STARTED ? PE_ROLE_UNPROMOTED : y->cur_role;

	if (a->sort != b->sort)
		return a->sort > b->sort ? -1 : 1;
	if (rx != ry)
		return rx > ry ? -1 : 1;
	if (a->prio != b->prio)
		return a->prio > b->prio ? -1 : 1;
	if ((x->ncur > 0) != (y->ncur > 0))
		return x->ncur > 0 ? -1 : 1;
	if (x->failed != y->failed)
		return x->failed ? 1 : -1;
	return a->inst - b->inst;
}

/* Chooses which instances of a promotable clone are promoted. */
static void promote_clone(struct ham_policy_input *in, struct pe_clone *k)
{
	struct promo_rank *rk = ham_newa0(struct promo_rank, (size_t)k->n + 1);
	int *w = ham_newa0(int, in->nnodes + 1), *count = ham_newa0(int, in->nnodes + 1);
	int nc = 0, i, j, m, promoted = 0;
	bool quorate = in->have_quorum || in->no_quorum_policy == PE_NQ_IGNORE;

	for (m = 0; m < k->nset; m++)
		k[m].promoted_done = true;
	for (i = 0; i < k->n; i++) {
		struct pe_rsc *r = &in->rscs[k->first + i];
		bool whole = true;

		for (m = 0; m < k->nset; m++) {
			struct pe_rsc *mr = &in->rscs[k[m].first + i];

			if (mr->next < 0)
				whole = false;
			else if (rsc_unmanaged(in, mr) || mr->blocked)
				mr->next_role = mr->cur_role == PE_ROLE_STARTED ? PE_ROLE_UNPROMOTED
										: mr->cur_role;
			else
				mr->next_role = PE_ROLE_UNPROMOTED;
		}
		if (r->next < 0)
			continue;
		if (!whole)
			continue; /* a member will not run: not promoted */
		if (rsc_unmanaged(in, r) || r->blocked) {
			/* left in the role it has */
			r->next_role = r->cur_role == PE_ROLE_STARTED ? PE_ROLE_UNPROMOTED : r->cur_role;
			if (r->next_role == PE_ROLE_PROMOTED) {
				promoted++;
				count[r->next]++;
			}
			continue;
		}
		rk[nc].inst = k->first + i;
		rk[nc].prio = rk[nc].sort = promotion_priority(in, r);
		nc++;
	}
	if (nc > 0) {
		const struct pe_rsc *r0 = &in->rscs[rk[0].inst];

		for (j = 0; j < (int)in->nnodes; j++)
			w[j] = ham_score_add(location_score(in, r0, j, false),
					     dependents_pull(in, k, j, false));
	}
	for (i = 0; i < nc; i++)
		if (rk[i].sort >= 0)
			w[in->rscs[rk[i].inst].next] = ham_score_add(w[in->rscs[rk[i].inst].next],
								     rk[i].sort);
	/* those colocated with the Promoted role, again, what they do not want
	 * included: a node they would make negative keeps a token 1 if it was
	 * positive (they steer the promotion, they do not forbid it) */
	for (j = 0; j < (int)in->nnodes && nc > 0; j++) {
		int nw = ham_score_add(w[j], dependents_pull(in, k, j, true));

		w[j] = nw >= 0 ? nw : w[j] > 0 ? 1 : w[j];
	}
	for (i = 0; i < nc; i++)
		if (rk[i].sort >= 0)
			rk[i].sort = w[in->rscs[rk[i].inst].next];
	/* best first (insertion sort: a handful of instances) */
	for (i = 1; i < nc; i++)
		for (j = i; j > 0 && cmp_promo(in, &rk[j], &rk[j - 1]) < 0; j--) {
			struct promo_rank t = rk[j];

			rk[j] = rk[j - 1];
			rk[j - 1] = t;
		}
	for (i = 0; i < nc; i++) {
		struct pe_rsc *r = &in->rscs[rk[i].inst];

		if (rk[i].sort < 0 || rk[i].prio < 0 || promoted >= k->promoted_max ||
		    count[r->next] >= k->promoted_node_max || !node_can_run(&in->nodes[r->next]))
			continue;
		/* no-quorum-policy=freeze: nothing newly promoted without quorum */
		if (!quorate && in->no_quorum_policy == PE_NQ_FREEZE &&
		    r->cur_role != PE_ROLE_PROMOTED)
			continue;
		r->next_role = PE_ROLE_PROMOTED;
		promoted++;
		count[r->next]++;
	}
	/* a cloned group's members take their instance's role */
	for (m = 1; m < k->nset; m++)
		for (i = 0; i < k->n; i++) {
			struct pe_rsc *mr = &in->rscs[k[m].first + i];

			if (mr->next >= 0 && !rsc_unmanaged(in, mr) && !mr->blocked)
				mr->next_role = in->rscs[k->first + i].next_role;
		}
	free(rk);
	free(w);
	free(count);
}

/* Per-resource lists of colocations (as dependent, as primary), built once. */
static void index_colocations(struct ham_policy_input *in)
{
	size_t i, n = in->nrscs;

	if (in->coloc_dep_start)
		return;
	in->coloc_dep_start = ham_newa0(size_t, n + 1);
	in->coloc_prim_start = ham_newa0(size_t, n + 1);
	in->coloc_dep = ham_newa0(size_t, in->ncolocs + 1);
	in->coloc_prim = ham_newa0(size_t, in->ncolocs + 1);
	for (i = 0; i < in->ncolocs; i++) {
		in->coloc_dep_start[in->colocs[i].rsc + 1]++;
		in->coloc_prim_start[in->colocs[i].with + 1]++;
	}
	for (i = 0; i < n; i++) {
		in->coloc_dep_start[i + 1] += in->coloc_dep_start[i];
		in->coloc_prim_start[i + 1] += in->coloc_prim_start[i];
	}
	{
		size_t *fd = ham_newa0(size_t, n + 1), *fp = ham_newa0(size_t, n + 1);

		memcpy(fd, in->coloc_dep_start, sizeof(size_t) * (n + 1));
		memcpy(fp, in->coloc_prim_start, sizeof(size_t) * (n + 1));
		for (i = 0; i < in->ncolocs; i++) {
			in->coloc_dep[fd[in->colocs[i].rsc]++] = i;
			in->coloc_prim[fp[in->colocs[i].with]++] = i;
		}
		free(fd);
		free(fp);
	}
}

static int cmp_priority(const void *a, const void *b, void *arg)
{
	const struct ham_policy_input *in = arg;
	const struct pe_rsc *x = &in->rscs[*(const int *)a];
	const struct pe_rsc *y = &in->rscs[*(const int *)b];

	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	if (in->placement != PE_PLACE_DEFAULT) {
		/* the higher score where it runs first, then on its best node */
		int sx = x->ncur > 0 ? x->score[x->cur[0]] : -INF;
		int sy = y->ncur > 0 ? y->score[y->cur[0]] : -INF;
		size_t j;

		if (sx != sy)
			return sx > sy ? -1 : 1;
		sx = sy = -INF;
		for (j = 0; j < in->nnodes; j++) {
			if (x->score[j] > sx)
				sx = x->score[j];
			if (y->score[j] > sy)
				sy = y->score[j];
		}
		if (sx != sy)
			return sx > sy ? -1 : 1;
	}
	/*
	 * A clone's active instances before its inactive ones: an inactive one
	 * placed first may take the only node an active one can stay on, which
	 * is then stopped there and the other started (for ever: the history
	 * goes back to the active one's turn). A clone's instances are
	 * consecutive: this keeps the order total.
	 */
	if (x->clone >= 0 && x->clone == y->clone && (x->ncur > 0) != (y->ncur > 0))
		return x->ncur > 0 ? -1 : 1;
	return x->index - y->index;
}

/* ------------------------------------------------------------------ */
/* Actions                                                              */
/* ------------------------------------------------------------------ */

static bool start_runnable(const struct ham_policy_input *in, const struct pe_rsc *r)
{
	if (r->blocked && r->failed)
		return false;
	if (rsc_unmanaged(in, r) && r->ncur == 0)
		return false;
	return r->next >= 0 && !r->start_unrunnable;
}

static bool any_stop(const struct ham_policy_input *in, const struct pe_rsc *r)
{
	int i;

	(void)in;
	for (i = 0; i < r->ncur; i++)
		if (r->stop[r->cur[i]])
			return true;
	return false;
}

static bool stop_all_cur(struct pe_rsc *r)
{
	bool changed = false;
	int i;

	for (i = 0; i < r->ncur; i++) {
		if (!r->stop[r->cur[i]]) {
			r->stop[r->cur[i]] = true;
			changed = true;
		}
	}
	return changed;
}

static void make_unrunnable(struct pe_rsc *r, bool stop_if_running, bool *changed)
{
	if (r->next < 0 || r->start_unrunnable)
		return;
	r->start_unrunnable = true;
	*changed = true;
	if (r->ncur > 0 && (stop_if_running || r->start_required))
		if (stop_all_cur(r))
			*changed = true;
}

/*
 * The instance of clone k placed on node (next) or, with current, running
 * there; -1 if none.
 */
static int clone_inst_on(const struct ham_policy_input *in, int k, int node, bool current)
{
	const struct pe_clone *c = &in->clones[k];
	int q;

	if (node < 0)
		return -1;
	for (q = 0; q < c->n; q++) {
		const struct pe_rsc *fi = &in->rscs[c->first + q];

		if (current ? on_node(fi, node) : fi->next == node)
			return c->first + q;
	}
	return -1;
}

/*
 * An interleaved order of two clones ("Pacemaker Explained", clone option
 * interleave): then's instance on a node waits only for first's instance on
 * that node, not for the whole clone. Mandatory: without first's instance
 * there (or when it cannot start) then's cannot run there; when first's is
 * restarted there, so is then's; symmetrical: first's stop there stops
 * then's there first.
 */
static void apply_interleaved(struct ham_policy_input *in, const struct pe_order *o,
			      struct pe_rsc *t, bool *changed)
{
	int fi = clone_inst_on(in, o->first_clone, t->next, false);
	int j;

	if (t->next >= 0) {
		const struct pe_rsc *f = fi >= 0 ? &in->rscs[fi] : NULL;

		if (f == NULL && t->ncur == 0) {
			/* nothing there to wait for: not placed there at all */
			in->nodes[t->next].assigned--;
			t->next = -1;
			t->next_role = PE_ROLE_STOPPED;
			*changed = true;
		} else if (f == NULL || !start_runnable(in, f)) {
			make_unrunnable(t, o->symmetrical, changed);
		} else if (f->start_required && on_node(t, t->next) && !t->start_required) {
			t->start_required = true;
			t->stop[t->next] = true;
			*changed = true;
		}
	}
	if (!o->symmetrical)
		return;
	for (j = 0; j < t->ncur; j++) {
		int c = t->cur[j], fc = clone_inst_on(in, o->first_clone, c, true);

		if (fc < 0 || !in->rscs[fc].stop[c] || t->stop[c])
			continue;
		t->stop[c] = true;
		*changed = true;
		if (t->next >= 0 && !t->start_required)
			t->start_required = true;
	}
}

/* Some instance of clone k runs and stays up, neither stopped nor restarted. */
static bool clone_steady(const struct ham_policy_input *in, int k)
{
	const struct pe_clone *c = &in->clones[k];
	int q;

	for (q = 0; q < c->n; q++) {
		const struct pe_rsc *fi = &in->rscs[c->first + q];

		if (fi->ncur > 0 && start_runnable(in, fi) && !fi->start_required &&
		    !any_stop(in, fi))
			return true;
	}
	return false;
}

/*
 * Orders of which one will do (a resource set with require-all=false, then
 * t): t cannot start unless one of those before it can; while one of them
 * runs and stays up untouched, the others' stops and restarts leave t alone.
 */
static void apply_any_of(struct ham_policy_input *in, const struct pe_order *o,
			 struct pe_rsc *t, bool *changed)
{
	bool frun = false, steady = false, restart = false, stops = false;
	size_t i;

	for (i = 0; i < in->norders; i++) {
		const struct pe_order *p = &in->orders[i];
		const struct pe_rsc *f = &in->rscs[p->first];

		if (p->any_of != o->any_of || p->then != o->then)
			continue;
		if (p->first_clone >= 0) {
			const struct pe_clone *k = &in->clones[p->first_clone];

			for (int q = 0; q < k->n; q++) {
				const struct pe_rsc *fi = &in->rscs[k->first + q];

				frun = frun || start_runnable(in, fi);
				restart = restart || (fi->start_required && start_runnable(in, fi));
				stops = stops || any_stop(in, fi);
			}
			steady = steady || clone_steady(in, p->first_clone);
			continue;
		}
		frun = frun || start_runnable(in, f);
		restart = restart || (f->start_required && start_runnable(in, f));
		stops = stops || any_stop(in, f);
		steady = steady || (f->ncur > 0 && start_runnable(in, f) && !f->start_required &&
				    !any_stop(in, f));
	}
	if (!frun) {
		make_unrunnable(t, o->symmetrical, changed);
		return;
	}
	if (steady)
		return;
	if (restart && t->next >= 0 && !t->start_required && on_node(t, t->next)) {
		t->start_required = true;
		t->stop[t->next] = true;
		*changed = true;
	}
	if (o->symmetrical && stops && t->ncur > 0) {
		if (stop_all_cur(t))
			*changed = true;
		if (t->next >= 0 && !t->start_required) {
			t->start_required = true;
			*changed = true;
		}
	}
}

/* Some instance of clone k can run. */
static bool clone_up(const struct ham_policy_input *in, int k)
{
	const struct pe_clone *c = &in->clones[k];
	int q;

	for (q = 0; q < c->n; q++)
		if (start_runnable(in, &in->rscs[c->first + q]))
			return true;
	return false;
}

/* A promote of x happens: it ends Promoted where it is placed, and was not
 * Promoted there (or restarts there). */
static bool will_promote(const struct ham_policy_input *in, const struct pe_rsc *x)
{
	return x->next >= 0 && x->next_role == PE_ROLE_PROMOTED && start_runnable(in, x) &&
	       !x->promote_blocked &&
	       (x->start_required || x->st[x->next].role != PE_ROLE_PROMOTED);
}

/* x ends Promoted where it is placed. */
static bool promoted_after(const struct ham_policy_input *in, const struct pe_rsc *x)
{
	return x->next >= 0 && x->next_role == PE_ROLE_PROMOTED && start_runnable(in, x) &&
	       !x->promote_blocked;
}

/* x is Promoted on node c now and is demoted there (or stops there). */
static bool demotes_on(const struct pe_rsc *x, int c)
{
	return x->st[c].role == PE_ROLE_PROMOTED &&
	       (x->stop[c] || x->next != c || x->next_role != PE_ROLE_PROMOTED);
}

/*
 * "first promote, then start" ("Pacemaker Explained", ordering with
 * first-action=promote): then starts only once first is promoted: on the
 * same node, instance to instance, when then is an interleaved clone; else
 * once any instance of first is. Where first will not be Promoted, then's
 * start cannot happen (what already runs is left as it is). Symmetrical: a
 * demote of first (on that node, with interleave) first stops then (there),
 * which starts again if it is to run.
 */
static void apply_promote_then_start(struct ham_policy_input *in, const struct pe_order *o,
				     struct pe_rsc *t, bool *changed)
{
	const struct pe_clone *k = &in->clones[o->first_clone];
	bool any = false, demoting = false;
	int q, j;

	for (q = 0; q < k->n; q++) {
		const struct pe_rsc *fi = &in->rscs[k->first + q];

		any = any || promoted_after(in, fi);
		for (j = 0; j < fi->ncur; j++)
			demoting = demoting || demotes_on(fi, fi->cur[j]);
	}
	if (t->next >= 0 && t->start_required && !t->start_unrunnable) {
		int fi = o->interleave ? clone_inst_on(in, o->first_clone, t->next, false) : -1;

		if (o->interleave ? fi < 0 || !promoted_after(in, &in->rscs[fi]) : !any)
			make_unrunnable(t, false, changed);
	}
	if (!o->symmetrical)
		return;
	for (j = 0; j < t->ncur; j++) {
		int c = t->cur[j], fc;
		bool dem;

		if (t->stop[c])
			continue;
		if (o->interleave) {
			fc = clone_inst_on(in, o->first_clone, c, true);
			dem = fc >= 0 && demotes_on(&in->rscs[fc], c);
		} else {
			dem = demoting;
		}
		if (!dem)
			continue;
		t->stop[c] = true;
		*changed = true;
		if (t->next >= 0 && !t->start_required)
			t->start_required = true;
	}
}

/*
 * "first stop, then start": first stops (a clone: any of its instances; an
 * interleaved clone's order: its instance on the node then runs on).
 */
static bool first_stops(const struct ham_policy_input *in, const struct pe_order *o,
			const struct pe_rsc *t)
{
	const struct pe_clone *k;
	int q;

	if (o->first_clone < 0)
		return any_stop(in, &in->rscs[o->first]);
	if (o->interleave) {
		int fc = t->next >= 0 ? clone_inst_on(in, o->first_clone, t->next, true) : -1;

		return fc >= 0 && in->rscs[fc].stop[t->next];
	}
	k = &in->clones[o->first_clone];
	for (q = 0; q < k->n; q++)
		if (any_stop(in, &in->rscs[k->first + q]))
			return true;
	return false;
}

static void apply_orders(struct ham_policy_input *in)
{
	bool changed = true;
	size_t i, rounds = 0;

	while (changed && rounds++ < in->norders + 2) {
		changed = false;
		for (i = 0; i < in->norders; i++) {
			const struct pe_order *o = &in->orders[i];
			struct pe_rsc *f = &in->rscs[o->first], *t = &in->rscs[o->then];
			bool fstart = ham_streq(o->first_action, "start");
			bool tstart = ham_streq(o->then_action, "start");

			if (o->kind != PE_ORDER_MANDATORY || f == t)
				continue;
			if (rsc_unmanaged(in, t) || t->blocked) {
				/* it cannot stop: neither can what it depends on */
				if (o->symmetrical && any_stop(in, f) && t->ncur > 0 &&
				    !f->stop_unrunnable) {
					f->stop_unrunnable = true;
					changed = true;
				}
				continue;
			}
			if (tstart && ham_streq(o->first_action, "promote") &&
			    o->first_clone >= 0 && in->clones[o->first_clone].promotable) {
				apply_promote_then_start(in, o, t, &changed);
				continue;
			}
			if (fstart && tstart && o->any_of > 0) {
				apply_any_of(in, o, t, &changed);
				continue;
			}
			if (fstart && tstart && o->interleave) {
				apply_interleaved(in, o, t, &changed);
				continue;
			}
			if (fstart && tstart) {
				bool frun = start_runnable(in, f), freq = f->start_required;

				if (o->first_clone >= 0) {
					/* a clone is up with one instance, or clone-min */
					const struct pe_clone *k = &in->clones[o->first_clone];
					int up = 0;

					freq = false;
					for (int q = 0; q < k->n; q++) {
						const struct pe_rsc *fi = &in->rscs[k->first + q];

						up += start_runnable(in, fi);
						freq = freq || (fi->start_required && start_runnable(in, fi));
					}
					frun = up >= (k->min > 1 ? k->min : 1);
					/* require-all=false: while one instance can run,
					 * the instances' stops and restarts do not matter */
					if (o->one_or_more && frun)
						freq = false;
				}
				if (!frun)
					make_unrunnable(t, o->symmetrical, &changed);
				if (freq && frun && t->next >= 0 &&
				    !t->start_required && on_node(t, t->next)) {
					t->start_required = true;
					t->stop[t->next] = true;
					changed = true;
				}
			}
			if (o->symmetrical && fstart && tstart && t->ncur > 0 &&
			    (o->one_or_more ? !clone_up(in, o->first_clone)
					    : any_stop(in, f))) {
				if (stop_all_cur(t))
					changed = true;
				if (t->next >= 0 && !t->start_required) {
					t->start_required = true;
					changed = true;
				}
			}
			if (ham_streq(o->first_action, "stop") && tstart && first_stops(in, o, t) &&
			    t->next >= 0 && on_node(t, t->next) && !t->start_required) {
				t->start_required = true;
				t->stop[t->next] = true;
				changed = true;
			}
		}
	}
}

/* A node that is joining must be probed before anything starts. */
static bool pending_block(const struct ham_policy_input *in, const struct pe_rsc *r)
{
	size_t j;

	for (j = 0; j < in->nnodes; j++)
		if (in->nodes[j].pending && !in->nodes[j].fence && !r->st[j].has_history)
			return true;
	return false;
}

/*
 * A promotion that needs what it is colocated with (rsc-role=Promoted,
 * mandatory) to start where that start cannot happen is blocked: the
 * instance stays Unpromoted.
 */
static bool block_promotions(struct ham_policy_input *in)
{
	bool changed = false;
	size_t i, q;

	for (i = 0; i < in->nrscs; i++) {
		struct pe_rsc *r = &in->rscs[i];

		if (r->clone < 0 || !in->clones[r->clone].promotable || r->next < 0 ||
		    r->next_role != PE_ROLE_PROMOTED ||
		    (!r->start_required && r->st[r->next].role == PE_ROLE_PROMOTED))
			continue;
		for (q = in->coloc_dep_start[i]; q < in->coloc_dep_start[i + 1]; q++) {
			const struct pe_colocation *c = &in->colocs[in->coloc_dep[q]];
			const struct pe_rsc *p = &in->rscs[c->with];

			if (c->rsc != (int)i || c->with_clone >= 0 || c->score < INF ||
			    c->rsc_role != PE_ROLE_PROMOTED)
				continue;
			if (same_place(in, c, p->next, r->next) && p->start_required &&
			    p->start_unrunnable &&
			    !r->promote_blocked) {
				r->promote_blocked = true;
				changed = true;
			}
		}
	}
	return changed;
}

static void schedule_actions(struct ham_transition *t, bool quorate)
{
	struct ham_policy_input *in = t->in;
	size_t i;
	int j;

	for (i = 0; i < in->nrscs; i++) {
		struct pe_rsc *r = &in->rscs[i];

		if (rsc_unmanaged(in, r) || r->blocked)
			continue;
		for (j = 0; j < r->ncur; j++) {
			int c = r->cur[j];

			if (c != r->next || r->st[c].failed || r->ncur > 1)
				r->stop[c] = true;
		}
		r->start = r->next >= 0;
		r->start_required = r->start && (!on_node(r, r->next) || r->stop[r->next]);
		if (r->start && pending_block(in, r))
			make_unrunnable(r, false, &(bool){ false });
		if (r->start && !quorate && !r->requires_nothing) {
			if (in->no_quorum_policy == PE_NQ_STOP ||
			    in->no_quorum_policy == PE_NQ_SUICIDE ||
			    (in->no_quorum_policy == PE_NQ_FREEZE && r->ncur == 0) ||
			    in->no_quorum_policy == PE_NQ_DEMOTE) {
				bool ch = false;

				make_unrunnable(r, in->no_quorum_policy != PE_NQ_FREEZE, &ch);
			}
		}
	}
	for (int pass = 0; pass < 3; pass++) {
		apply_orders(t->in);
		if (!block_promotions(t->in))
			break;
	}
	/* stops that cannot happen: unclean nodes that will not be fenced */
	for (i = 0; i < in->nrscs; i++) {
		struct pe_rsc *r = &in->rscs[i];

		for (j = 0; j < r->ncur; j++) {
			int c = r->cur[j];
			const struct pe_node *n = &in->nodes[c];

			if (!r->stop[c])
				continue;
			if (n->fence)
				r->fenced_stop = true;
			else if (n->unclean || !n->online)
				r->stop_unrunnable = true;
		}
		/* a start elsewhere waits for that stop: it cannot happen either */
		if (r->stop_unrunnable && r->next >= 0 && !on_node(r, r->next))
			r->start_unrunnable = true;
	}
}

/*
 * Promotes and demotes of promotable clone instances: an instance is
 * demoted before it stops, promoted after it starts, and every demote of a
 * clone comes before any promote of it.
 */
static void add_role_actions(struct ham_transition *t, const int *start_act, int **stop_act,
			     int *promote_act, int *demote_act)
{
	struct ham_policy_input *in = t->in;
	size_t i;
	int j;

	for (i = 0; i < in->nrscs; i++) {
		const struct pe_rsc *r = &in->rscs[i];

		promote_act[i] = demote_act[i] = -1;
		if (r->clone < 0 || !in->clones[r->clone].promotable || rsc_unmanaged(in, r) ||
		    r->blocked)
			continue;
		for (j = 0; j < r->ncur; j++) {
			int c = r->cur[j];
			const struct pe_node *n = &in->nodes[c];

			if (!demotes_on(r, c) || !n->online || n->unclean || n->fence)
				continue;
			demote_act[i] = add_action(t, PE_ACT_DEMOTE, (int)i, c, true, false);
			if (stop_act[i] && stop_act[i][c] >= 0)
				add_edge(t, demote_act[i], stop_act[i][c]);
		}
		if (will_promote(in, r)) {
			promote_act[i] = add_action(t, PE_ACT_PROMOTE, (int)i, r->next, true, false);
			add_edge(t, start_act[i], promote_act[i]);
		}
	}
	for (i = 0; i < in->nclones; i++) {
		const struct pe_clone *k = &in->clones[i];
		int a, b;

		if (!k->promotable)
			continue;
		for (a = k->first; a < k->first + k->n; a++)
			for (b = k->first; b < k->first + k->n && demote_act[a] >= 0; b++)
				add_edge(t, demote_act[a], promote_act[b]);
	}
}

/* The order "first promote, then start" in the graph (as in apply_orders). */
static void promote_then_start_edges(struct ham_transition *t, const struct pe_order *o,
				     const int *start_act, int **stop_act, const int *promote_act,
				     const int *demote_act)
{
	const struct ham_policy_input *in = t->in;
	const struct pe_clone *k = &in->clones[o->first_clone];
	const struct pe_rsc *tr = &in->rscs[o->then];
	int q;
	size_t c;

	if (o->interleave) {
		int fi = clone_inst_on(in, o->first_clone, tr->next, false);

		if (fi >= 0)
			add_edge(t, promote_act[fi], start_act[o->then]);
	} else {
		for (q = k->first; q < k->first + k->n; q++)
			add_edge(t, promote_act[q], start_act[o->then]);
	}
	if (!o->symmetrical || stop_act[o->then] == NULL)
		return;
	for (c = 0; c < in->nnodes; c++) {
		if (stop_act[o->then][c] < 0)
			continue;
		if (o->interleave) {
			int fc = clone_inst_on(in, o->first_clone, (int)c, true);

			if (fc >= 0 && in->rscs[fc].st[c].role == PE_ROLE_PROMOTED)
				add_edge(t, stop_act[o->then][c], demote_act[fc]);
		} else {
			for (q = k->first; q < k->first + k->n; q++)
				add_edge(t, stop_act[o->then][c], demote_act[q]);
		}
	}
}

static void build_graph(struct ham_transition *t)
{
	struct ham_policy_input *in = t->in;
	int *fence_act = ham_newa0(int, in->nnodes ? in->nnodes : 1);
	int *start_act = ham_newa0(int, in->nrscs ? in->nrscs : 1);
	int **stop_act = ham_newa0(int *, in->nrscs ? in->nrscs : 1);
	int *promote_act = ham_newa0(int, in->nrscs ? in->nrscs : 1);
	int *demote_act = ham_newa0(int, in->nrscs ? in->nrscs : 1);
	size_t i;
	int j;

	for (i = 0; i < in->nnodes; i++) {
		fence_act[i] = -1;
		if (in->nodes[i].fence)
			fence_act[i] = add_action(t, PE_ACT_FENCE, -1, (int)i, true, false);
		else if (in->nodes[i].shutdown)
			fence_act[i] = add_action(t, PE_ACT_SHUTDOWN, -1, (int)i, true, false);
	}
	for (i = 0; i < in->nrscs; i++) {
		struct pe_rsc *r = &in->rscs[i];

		start_act[i] = -1;
		stop_act[i] = NULL;
		for (j = 0; j < r->ncur; j++) {
			int c = r->cur[j];
			int a;

			if (!r->stop[c])
				continue;
			if (stop_act[i] == NULL) {
				stop_act[i] = ham_newa0(int, in->nnodes);
				for (size_t k = 0; k < in->nnodes; k++)
					stop_act[i][k] = -1;
			}
			a = add_action(t, PE_ACT_STOP, (int)i, c,
				       !r->stop_unrunnable, in->nodes[c].fence);
			stop_act[i][c] = a;
			if (fence_act[c] >= 0) {
				if (in->nodes[c].fence)
					add_edge(t, fence_act[c], a);
				else
					add_edge(t, a, fence_act[c]);
			}
		}
		/* a start needs a node (an instance left unplaced has none) */
		if (r->start && r->start_required && r->next >= 0) {
			start_act[i] = add_action(t, PE_ACT_START, (int)i, r->next,
						  !r->start_unrunnable, false);
			for (j = 0; j < r->ncur; j++)
				if (stop_act[i] && stop_act[i][r->cur[j]] >= 0)
					add_edge(t, stop_act[i][r->cur[j]], start_act[i]);
			/* never start elsewhere before an unclean node is fenced */
			for (j = 0; j < r->ncur; j++)
				if (in->nodes[r->cur[j]].fence)
					add_edge(t, fence_act[r->cur[j]], start_act[i]);
		}
	}
	add_role_actions(t, start_act, stop_act, promote_act, demote_act);
	for (i = 0; i < in->norders; i++) {
		const struct pe_order *o = &in->orders[i];
		int fa, ta;

		if (ham_streq(o->first_action, "promote") && ham_streq(o->then_action, "start") &&
		    o->first_clone >= 0 && in->clones[o->first_clone].promotable) {
			promote_then_start_edges(t, o, start_act, stop_act, promote_act, demote_act);
			continue;
		}
		if (ham_streq(o->first_action, "start") && ham_streq(o->then_action, "start") &&
		    o->interleave) {
			/* per node: first's instance there, then then's */
			const struct pe_rsc *tr = &in->rscs[o->then];
			int fi = clone_inst_on(in, o->first_clone, tr->next, false);

			if (fi >= 0)
				add_edge(t, start_act[fi], start_act[o->then]);
			for (size_t a = 0; o->symmetrical && stop_act[o->then] && a < in->nnodes; a++) {
				int fc = clone_inst_on(in, o->first_clone, (int)a, true);

				if (fc >= 0 && stop_act[fc] && stop_act[o->then][a] >= 0 &&
				    stop_act[fc][a] >= 0)
					add_edge(t, stop_act[o->then][a], stop_act[fc][a]);
			}
		} else if (ham_streq(o->first_action, "start") &&
			   ham_streq(o->then_action, "start") && o->any_of > 0) {
			/* one will do: wait for those that start, never for
			 * one that cannot */
			if (start_runnable(in, &in->rscs[o->first]))
				add_edge(t, start_act[o->first], start_act[o->then]);
		} else if (ham_streq(o->first_action, "start") &&
			   ham_streq(o->then_action, "start")) {
			fa = start_act[o->first];
			ta = start_act[o->then];
			add_edge(t, fa, ta);
			if (o->symmetrical && stop_act[o->first] && stop_act[o->then]) {
				for (size_t a = 0; a < in->nnodes; a++)
					for (size_t b = 0; b < in->nnodes; b++)
						if (stop_act[o->then][a] >= 0 &&
						    stop_act[o->first][b] >= 0)
							add_edge(t, stop_act[o->then][a],
								 stop_act[o->first][b]);
			}
		}
	}
	for (i = 0; i < in->nrscs; i++)
		free(stop_act[i]);
	free(stop_act);
	free(start_act);
	free(fence_act);
	free(promote_act);
	free(demote_act);
}

/* ------------------------------------------------------------------ */
/* Summary and final state                                              */
/* ------------------------------------------------------------------ */

static const char *node_state_name(const struct pe_node *n)
{
	if (n->unclean)
		return "unclean";
	if (n->pending)
		return "pending";
	if (!n->online)
		return "offline";
	if (n->standby || n->standby_onfail)
		return "standby";
	if (n->maintenance)
		return "maintenance";
	return "online";
}

static void snapshot_initial(struct ham_transition *t)
{
	struct ham_policy_input *in = t->in;
	size_t i;
	int j;

	t->initial.node_state = ham_newa0(const char *, in->nnodes ? in->nnodes : 1);
	t->initial.rsc = ham_newa0(struct pe_place *, in->nrscs ? in->nrscs : 1);
	t->initial.nrsc = ham_newa0(int, in->nrscs ? in->nrscs : 1);
	for (i = 0; i < in->nnodes; i++)
		t->initial.node_state[i] = node_state_name(&in->nodes[i]);
	for (i = 0; i < in->nrscs; i++) {
		struct pe_rsc *r = &in->rscs[i];

		t->initial.rsc[i] = ham_newa0(struct pe_place, r->ncur ? r->ncur : 1);
		for (j = 0; j < r->ncur; j++) {
			int c = r->cur[j];

			t->initial.rsc[i][j] = (struct pe_place){ c, r->st[c].role,
				r->st[c].failed && !r->st[c].ignored, false };
		}
		t->initial.nrsc[i] = r->ncur;
	}
}

/* Roles as shown: a running instance of a promotable clone is Unpromoted. */
static enum pe_role shown_role(const struct pe_rsc *r, enum pe_role role)
{
	(void)r;
	return role;
}

static const char *role_word(enum pe_role r)
{
	return r == PE_ROLE_PROMOTED ? "Promoted" : r == PE_ROLE_STOPPED ? "Stopped"
									: "Unpromoted";
}

/* The summary line of an instance of a promotable clone. */
static void promotable_line(struct ham_transition *t, const struct pe_rsc *r, int c,
			    bool will_start)
{
	static const char *const trans[3][3] = {
		/* [from][to]: 0 stopped, 1 unpromoted, 2 promoted */
		{ NULL, NULL, "Stopped -> Promoted" },
		{ NULL, NULL, "Unpromoted -> Promoted" },
		{ "Promoted -> Stopped", "Promoted -> Unpromoted", NULL },
	};
	enum pe_role cr = c >= 0 ? r->st[c].role : PE_ROLE_STOPPED;
	int from = c < 0 ? 0 : cr == PE_ROLE_PROMOTED ? 2 : 1;
	int to = !will_start ? 0 : r->next_role == PE_ROLE_PROMOTED ? 2 : 1;

	(void)trans;
	if (c < 0) {
		if (r->next < 0 || !r->start)
			return;
		if (to == 2)
			add_line(t, "Promote", r->name, -1, r->next, "Stopped -> Promoted",
				 r->start_unrunnable || r->promote_blocked);
		else
			add_line(t, "Start", r->name, -1, r->next, NULL, r->start_unrunnable);
		return;
	}
	if (!will_start) {
		if (any_stop(t->in, r))
			add_line(t, "Stop", r->name, c, -1, role_word(cr), r->stop_unrunnable);
		return;
	}
	if (r->next != c) {
		add_line(t, r->failed ? "Recover" : "Move", r->name, c, r->next, NULL,
			 r->stop_unrunnable);
		return;
	}
	if (r->start_required) {
		add_line(t, r->failed ? "Recover" : "Restart", r->name, c, c,
			 from == to ? role_word(cr)
				    : (to == 2 ? "Unpromoted -> Promoted" : "Promoted -> Unpromoted"),
			 r->stop_unrunnable);
		return;
	}
	if (from == 1 && to == 2)
		add_line(t, "Promote", r->name, c, c, "Unpromoted -> Promoted", r->promote_blocked);
	else if (from == 2 && to == 1)
		add_line(t, "Demote", r->name, c, c, "Promoted -> Unpromoted", false);
}

/* The role r has after the transition where it is placed (a blocked
 * promotion leaves it Unpromoted). */
static enum pe_role after_role(const struct pe_rsc *r)
{
	return r->promote_blocked ? PE_ROLE_UNPROMOTED : r->next_role;
}

static void summarize(struct ham_transition *t)
{
	struct ham_policy_input *in = t->in;
	size_t i;
	int j;

	t->final.node_state = ham_newa0(const char *, in->nnodes ? in->nnodes : 1);
	t->final.rsc = ham_newa0(struct pe_place *, in->nrscs ? in->nrscs : 1);
	t->final.nrsc = ham_newa0(int, in->nrscs ? in->nrscs : 1);

	for (i = 0; i < in->nnodes; i++) {
		const struct pe_node *n = &in->nodes[i];

		if (n->fence) {
			add_line(t, "Fence", n->uname, -1, -1, in->stonith_action, false);
			t->final.node_state[i] = ham_streq(in->stonith_action, "on")
							 ? "online" : "offline";
		} else {
			t->final.node_state[i] = node_state_name(n);
		}
		if (n->shutdown && !n->fence) {
			add_line(t, "Shutdown", n->uname, -1, -1, NULL, false);
		}
	}
	for (i = 0; i < in->nrscs; i++) {
		struct pe_rsc *r = &in->rscs[i];
		struct pe_place *fp = ham_newa0(struct pe_place, r->ncur + 1);
		int nf = 0;
		bool will_start = r->start && !r->start_unrunnable;
		int c = r->ncur ? r->cur[0] : -1;
		bool prom = r->clone >= 0 && in->clones[r->clone].promotable;

		t->final.rsc[i] = fp;
		if (rsc_unmanaged(in, r) || r->blocked) {
			for (j = 0; j < r->ncur; j++) {
				int n = r->cur[j];

				fp[nf++] = (struct pe_place){ n, r->st[n].role,
					r->st[n].failed && !r->st[n].ignored, false };
			}
			t->final.nrsc[i] = nf;
			continue;
		}
		if (r->ncur > 1 && r->next >= 0 && on_node(r, r->next))
			c = r->next;
		/* the line */
		if (prom) {
			promotable_line(t, r, c, will_start);
		} else if (r->ncur == 0) {
			if (r->next >= 0 && r->start)
				add_line(t, "Start", r->name, -1, r->next, NULL, r->start_unrunnable);
		} else if (!will_start || !r->start_required) {
			if (r->ncur > 1 && r->multiple_active == 1 && !will_start) {
				for (j = 0; j < r->ncur; j++)
					add_line(t, "Stop", r->name, r->cur[j], -1, NULL,
						 r->stop_unrunnable);
			} else if (any_stop(in, r) && (!will_start || r->ncur > 1)) {
				add_line(t, "Stop", r->name, c, -1, NULL, r->stop_unrunnable);
			}
		} else if (r->next == c) {
			add_line(t, r->failed ? "Recover" : "Restart", r->name, c, c, NULL,
				 r->stop_unrunnable);
		} else {
			/* live migration: a healthy, migratable primitive between
			 * two online nodes */
			bool migrate = r->migratable && !r->failed && r->group == NULL &&
				       r->clone < 0 && r->ncur == 1 && in->nodes[c].online &&
				       !in->nodes[c].unclean && !in->nodes[c].fence;

			add_line(t, r->failed ? "Recover" : migrate ? "Migrate" : "Move", r->name, c,
				 r->next, NULL, r->stop_unrunnable);
		}
		/* the placement after the transition */
		for (j = 0; j < r->ncur; j++) {
			int n = r->cur[j];
			bool stops = r->stop[n] && !r->stop_unrunnable;

			if (!stops && !(will_start && n == r->next && r->start_required))
				fp[nf++] = (struct pe_place){ n,
					prom && n == r->next ? after_role(r) : shown_role(r, r->st[n].role),
					r->st[n].failed && !r->st[n].ignored, false };
			else if (!stops && will_start && n == r->next)
				fp[nf++] = (struct pe_place){ n, after_role(r), false, false };
		}
		if (will_start && r->start_required) {
			bool dup = false;

			for (j = 0; j < nf; j++)
				if (fp[j].node == r->next)
					dup = true;
			if (!dup)
				fp[nf++] = (struct pe_place){ r->next, after_role(r), false, false };
		}
		t->final.nrsc[i] = nf;
	}
}

static void mark_promotable(struct ham_transition *t, struct pe_status *st)
{
	const struct ham_policy_input *in = t->in;
	size_t i;
	int j;

	for (i = 0; i < in->nrscs; i++) {
		const struct pe_rsc *r = &in->rscs[i];

		if (r->clone < 0 || !in->clones[r->clone].promotable)
			continue;
		for (j = 0; j < st->nrsc[i]; j++)
			st->rsc[i][j].promotable = true;
	}
}

void pe_status_free(struct pe_status *s, size_t nrscs)
{
	size_t i;

	if (s->rsc)
		for (i = 0; i < nrscs; i++)
			free(s->rsc[i]);
	free(s->rsc);
	free(s->nrsc);
	free(s->node_state);
}

int ham_policy_compute(ham_policy_input *in, const struct ham_policy_options *opts,
		       ham_transition **ret)
{
	struct ham_transition *t;
	int *order;
	size_t i;
	bool quorate;

	if (in == NULL || opts == NULL || ret == NULL)
		return -EINVAL;
	t = ham_new0(struct ham_transition);
	t->in = in;
	t->now = opts->now_s;
	in->now = opts->now_s;
	reset(in);
	pe_nodes_at(in, opts->now_s);
	unpack_state(in, opts->now_s);
	apply_tickets(in);
	quorate = in->have_quorum || in->no_quorum_policy == PE_NQ_IGNORE;
	t->quorate = quorate;
	snapshot_initial(t);

	/* fencing of unclean nodes */
	for (i = 0; i < in->nnodes; i++) {
		struct pe_node *n = &in->nodes[i];

		if (n->unclean && in->stonith_enabled && quorate)
			n->fence = true;
		/* no-quorum-policy=suicide: every node of the partition is fenced */
		else if (!quorate && in->no_quorum_policy == PE_NQ_SUICIDE && in->stonith_enabled &&
			 n->online && !n->remote)
			n->fence = true;
	}
	base_scores(in, quorate);
	index_colocations(in);
	if (in->placement != PE_PLACE_DEFAULT)
		prepare_util(in);
	order = ham_newa0(int, in->nrscs ? in->nrscs : 1);
	for (i = 0; i < in->nrscs; i++)
		order[i] = (int)i;
	qsort_r(order, in->nrscs, sizeof(int), cmp_priority, in);
	for (i = 0; i < in->nrscs; i++)
		assign(in, &in->rscs[order[i]]);
	free(order);
	schedule_actions(t, quorate);
	build_graph(t);
	summarize(t);
	pe_build_typed(t);
	mark_promotable(t, &t->initial);
	mark_promotable(t, &t->final);
	*ret = t;
	return 0;
}

ham_transition *ham_transition_free(ham_transition *t)
{
	if (t == NULL)
		return NULL;
	pe_status_free(&t->initial, t->in->nrscs);
	pe_status_free(&t->final, t->in->nrscs);
	pe_typed_free(t);
	free(t->acts);
	free(t->edges);
	free(t->edge_set);
	free(t->lines);
	free(t);
	return NULL;
}

size_t ham_transition_action_count(const ham_transition *t)
{
	return t->nacts;
}

size_t ham_transition_edge_count(const ham_transition *t)
{
	return t->nedges;
}
