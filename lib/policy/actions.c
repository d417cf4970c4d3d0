/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/policy/actions.c: the transition as typed actions and edges, for the
 * transition runner (and the dot output). The scheduler's actions (fence,
 * shutdown, stop, start) come first, in the same order; then the probes
 * and recurring monitors the engine adds here:
 *  - a probe (monitor, interval 0, expecting "not running") of every
 *    resource on every online node that has no history of it, ordered
 *    before every start of that resource;
 *  - a recurring monitor for each resource that ends up active, on its
 *    node, for the configured monitor op of its role, unless the history
 *    records that monitor as active since the resource's last start;
 *    ordered after the start when one is scheduled.
 * Neither shows in the summary lines (crm_simulate -S does not list them).
 * Also the earliest time a recorded failure expires (failure-timeout).
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "transition.h"

_Static_assert(sizeof(struct pe_attr) == sizeof(struct ham_action_param) &&
	       offsetof(struct pe_attr, value) == offsetof(struct ham_action_param, value),
	       "instance attributes are handed out as action parameters");

#define DEFAULT_OP_TIMEOUT_MS 20000u
#define PROBE_RC 7
#define PROMOTED_RC 8

const char *ham_action_kind_name(enum ham_action_kind k)
{
	static const char *const names[] = {
		[HAM_ACTION_START] = "start",
		[HAM_ACTION_STOP] = "stop",
		[HAM_ACTION_PROMOTE] = "promote",
		[HAM_ACTION_DEMOTE] = "demote",
		[HAM_ACTION_MONITOR] = "monitor",
		[HAM_ACTION_PROBE] = "probe",
		[HAM_ACTION_FENCE] = "fence",
		[HAM_ACTION_SHUTDOWN] = "shutdown",
		[HAM_ACTION_MIGRATE_TO] = "migrate_to",
		[HAM_ACTION_MIGRATE_FROM] = "migrate_from",
	};

	return (size_t)k < HAM_ARRAY_SIZE(names) && names[k] ? names[k] : "?";
}

static size_t add_typed(struct ham_transition *t, const struct ham_action *a)
{
	if (t->ntacts == t->captacts) {
		t->captacts = t->captacts ? t->captacts * 2 : 64;
		t->tacts = ham_reallocarray(t->tacts, t->captacts, sizeof(*t->tacts));
	}
	t->tacts[t->ntacts] = *a;
	return t->ntacts++;
}

static void add_tedge(struct ham_transition *t, size_t before, size_t after)
{
	if (t->ntedges == t->captedges) {
		t->captedges = t->captedges ? t->captedges * 2 : 64;
		t->tedges = ham_reallocarray(t->tedges, t->captedges, sizeof(*t->tedges));
	}
	t->tedges[t->ntedges][0] = before;
	t->tedges[t->ntedges][1] = after;
	t->ntedges++;
}

/* The configured timeout of an op, else op_defaults', else the default. */
static uint64_t op_timeout(const struct ham_policy_input *in, const struct pe_rsc *r,
			   const char *name, uint64_t interval_ms)
{
	const char *v;
	uint64_t ms = 0;
	size_t i;

	for (i = 0; i < r->nops; i++)
		if (ham_streq(r->ops[i].name, name) && r->ops[i].interval_ms == interval_ms &&
		    r->ops[i].timeout_ms > 0)
			return r->ops[i].timeout_ms;
	/* a probe takes the timeout of the resource's recurring monitor */
	if (ham_streq(name, "monitor") && interval_ms == 0)
		for (i = 0; i < r->nops; i++)
			if (ham_streq(r->ops[i].name, "monitor") && r->ops[i].timeout_ms > 0)
				return r->ops[i].timeout_ms;
	v = pe_attrs_get(&in->op_defaults, "timeout");
	if (v && ham_parse_duration_ms(v, &ms) == 0 && ms > 0)
		return ms;
	return DEFAULT_OP_TIMEOUT_MS;
}

static void rsc_fields(const struct ham_policy_input *in, const struct pe_rsc *r,
		       struct ham_action *a)
{
	a->rsc = r->clone >= 0 && r->name ? r->name : r->id;
	a->instance = r->id;
	a->cls = r->cls;
	a->provider = r->provider;
	a->type = r->type;
	/* struct pe_attr and struct ham_action_param have the same layout */
	a->params = (const struct ham_action_param *)r->params.v;
	a->n_params = r->params.n;
	(void)in;
}

static void from_scheduler(struct ham_transition *t)
{
	const struct ham_policy_input *in = t->in;
	size_t i;

	for (i = 0; i < t->nacts; i++) {
		const struct pe_action *p = &t->acts[i];
		struct ham_action a = { 0 };

		a.node = in->nodes[p->node].uname;
		a.pseudo = p->pseudo;
		a.runnable = p->runnable;
		switch (p->kind) {
		case PE_ACT_FENCE:
			a.kind = HAM_ACTION_FENCE;
			a.op = in->stonith_action ? in->stonith_action : "reboot";
			a.fence_target = a.node;
			break;
		case PE_ACT_SHUTDOWN:
			a.kind = HAM_ACTION_SHUTDOWN;
			a.op = "shutdown";
			break;
		case PE_ACT_STOP:
		case PE_ACT_START:
		case PE_ACT_PROMOTE:
		case PE_ACT_DEMOTE:
			a.kind = p->kind == PE_ACT_STOP ? HAM_ACTION_STOP :
				 p->kind == PE_ACT_START ? HAM_ACTION_START :
				 p->kind == PE_ACT_PROMOTE ? HAM_ACTION_PROMOTE : HAM_ACTION_DEMOTE;
			a.op = ham_action_kind_name(a.kind);
			rsc_fields(in, &in->rscs[p->rsc], &a);
			a.timeout_ms = op_timeout(in, &in->rscs[p->rsc], a.op, 0);
			break;
		}
		add_typed(t, &a);
	}
	for (i = 0; i < t->nedges; i++) {
		uint64_t e = t->edges[i];

		add_tedge(t, (size_t)(e >> 32) - 1, (size_t)(e & 0xffffffffu) - 1);
	}
}

static bool may_probe_on(const struct pe_node *n)
{
	return (n->online || n->pending) && !n->unclean && !n->fence && !n->shutdown &&
	       !n->maintenance && !n->remote;
}

/* Whether the resource (any instance of its clone) has history on node j. */
static bool known_on(const struct ham_policy_input *in, const struct pe_rsc *r, size_t j)
{
	const struct pe_clone *k;
	int i;

	if (r->clone < 0)
		return r->st[j].has_history;
	k = &in->clones[r->clone];
	for (i = k->first; i < k->first + k->n; i++)
		if (in->rscs[i].st[j].has_history)
			return true;
	/* an anonymous clone's history on a node no instance was given (it
	 * showed the clone inactive there): probed already. The history is kept
	 * by the clone set (the top clone of a cloned group), per member. */
	k = &in->clones[k->set];
	for (size_t h = 0; h < k->nhist; h++)
		if (k->hist[h].node == (int)j && k->hist[h].member == r->clone &&
		    k->hist[h].nops > 0)
			return true;
	return false;
}

/* Same primitive: the resource itself or an instance of the same clone. */
static bool same_primitive(const struct pe_rsc *a, const struct pe_rsc *b)
{
	return a == b || (a->clone >= 0 && a->clone == b->clone);
}

static void add_probes(struct ham_transition *t)
{
	const struct ham_policy_input *in = t->in;
	size_t i, j, k, nacts = t->ntacts;

	if (in->maintenance_mode)
		return;
	for (i = 0; i < in->nrscs; i++) {
		const struct pe_rsc *r = &in->rscs[i];

		if (r->orphan || r->maintenance)
			continue;
		if (r->clone >= 0 && in->clones[r->clone].first != (int)i)
			continue; /* one probe per primitive and node */
		for (j = 0; j < in->nnodes; j++) {
			struct ham_action a = { 0 };
			size_t p;

			if (!may_probe_on(&in->nodes[j]) || known_on(in, r, j))
				continue;
			a.kind = HAM_ACTION_PROBE;
			a.op = "monitor";
			rsc_fields(in, r, &a);
			a.node = in->nodes[j].uname;
			a.timeout_ms = op_timeout(in, r, "monitor", 0);
			a.expected_rc = PROBE_RC;
			a.runnable = true;
			p = add_typed(t, &a);
			/* before any start of the resource */
			for (k = 0; k < nacts; k++) {
				const struct pe_action *s = &t->acts[k];

				if (s->kind == PE_ACT_START && s->rsc >= 0 &&
				    same_primitive(r, &in->rscs[s->rsc]))
					add_tedge(t, p, k);
			}
		}
	}
}

/* The configured recurring monitor for a role, or NULL. */
static const struct pe_opcfg *monitor_for(const struct pe_rsc *r, enum pe_role role)
{
	const struct pe_opcfg *any = NULL;
	size_t i;

	for (i = 0; i < r->nops; i++) {
		const struct pe_opcfg *o = &r->ops[i];

		if (!ham_streq(o->name, "monitor") || o->interval_ms == 0 || !o->enabled)
			continue;
		if (o->role == role && role != PE_ROLE_UNKNOWN)
			return o;
		if (o->role == PE_ROLE_UNKNOWN && any == NULL)
			any = o;
		if (o->role == PE_ROLE_STARTED && role == PE_ROLE_UNPROMOTED && any == NULL)
			any = o;
	}
	return any;
}

/* Whether the history records monitor interval as active since the last start. */
static bool monitor_active(const struct pe_rsc_state *s, uint64_t interval_ms)
{
	int last_start = -1, mon = -1;
	size_t i;

	for (i = 0; i < s->nops; i++) {
		const struct pe_hist_op *o = &s->ops[i];

		if (o->last_failure)
			continue;
		if (o->interval_ms == 0 &&
		    (ham_streq(o->op, "start") || ham_streq(o->op, "promote") ||
		     ham_streq(o->op, "demote") || ham_streq(o->op, "migrate_from") ||
		     ham_streq(o->op, "stop")))
			last_start = o->call_id > last_start ? o->call_id : last_start;
		else if (ham_streq(o->op, "monitor") && o->interval_ms == interval_ms &&
			 o->op_status != 1 /* cancelled */)
			mon = o->call_id > mon ? o->call_id : mon;
	}
	return mon >= 0 && mon > last_start;
}

static void add_monitors(struct ham_transition *t)
{
	const struct ham_policy_input *in = t->in;
	size_t i, k, nacts = t->nacts;

	if (in->maintenance_mode)
		return;
	for (i = 0; i < in->nrscs; i++) {
		const struct pe_rsc *r = &in->rscs[i];
		const struct pe_opcfg *o;
		struct ham_action a = { 0 };
		size_t start = SIZE_MAX, promote = SIZE_MAX, m;
		bool stopping = false;
		enum pe_role role;

		if (r->orphan || r->maintenance || !r->managed || r->next < 0 ||
		    r->next_role == PE_ROLE_STOPPED || r->next_role == PE_ROLE_UNKNOWN)
			continue;
		if (in->nodes[r->next].maintenance || in->nodes[r->next].fence)
			continue;
		role = r->promote_blocked ? PE_ROLE_UNPROMOTED : r->next_role;
		o = monitor_for(r, role);
		if (o == NULL)
			continue;
		for (k = 0; k < nacts; k++) {
			const struct pe_action *s = &t->acts[k];

			if (s->rsc != (int)i)
				continue;
			if (s->kind == PE_ACT_PROMOTE && s->node == r->next)
				promote = k;
			if (s->kind == PE_ACT_START && s->node == r->next)
				start = k;
			else if (s->kind == PE_ACT_STOP && s->node == r->next)
				stopping = true;
		}
		if (start != SIZE_MAX && !t->acts[start].runnable)
			continue;
		if (start == SIZE_MAX && (stopping || !r->st[r->next].role ||
					  r->st[r->next].role == PE_ROLE_STOPPED ||
					  monitor_active(&r->st[r->next], o->interval_ms)))
			continue;
		a.kind = HAM_ACTION_MONITOR;
		a.op = "monitor";
		rsc_fields(in, r, &a);
		a.node = in->nodes[r->next].uname;
		a.interval_ms = o->interval_ms;
		a.timeout_ms = op_timeout(in, r, "monitor", o->interval_ms);
		a.expected_rc = role == PE_ROLE_PROMOTED ? PROMOTED_RC : 0;
		a.runnable = true;
		m = add_typed(t, &a);
		if (start != SIZE_MAX)
			add_tedge(t, start, m);
		/* the Promoted role's monitor once promoted */
		if (promote != SIZE_MAX && role == PE_ROLE_PROMOTED)
			add_tedge(t, promote, m);
	}
}

static void earliest_after(int64_t at, int64_t now, int64_t *best)
{
	if (at > now && (*best == 0 || at < *best))
		*best = at;
}

/* When a date_expression's value may change next: at its start and end
 * (and the second after, for the strict comparisons). A date_spec changes
 * on calendar terms: cluster-recheck-interval bounds those. */
static void rule_boundaries(const struct pe_rule *r, int64_t now, int64_t *best)
{
	size_t i;

	for (i = 0; i < r->ne; i++) {
		const struct pe_date *d = r->e[i].date;

		if (r->e[i].sub)
			rule_boundaries(r->e[i].sub, now, best);
		if (d == NULL)
			continue;
		if (d->start.set) {
			earliest_after(d->start.epoch_s, now, best);
			earliest_after(d->start.epoch_s + 1, now, best);
		}
		if (d->end.set) {
			earliest_after(d->end.epoch_s, now, best);
			earliest_after(d->end.epoch_s + 1, now, best);
		} else if (d->start.set && d->duration.set) {
			int64_t end = pe_time_add(d->start.epoch_s, &d->duration);

			earliest_after(end, now, best);
			earliest_after(end + 1, now, best);
		}
	}
}

/* The earliest expiry of a failure still counted, or change of a location's
 * date rule, after now. */
static void find_recheck(struct ham_transition *t)
{
	const struct ham_policy_input *in = t->in;
	int64_t best = 0;
	size_t i, j, k;

	for (i = 0; i < in->nrscs; i++) {
		const struct pe_rsc *r = &in->rscs[i];
		int64_t to;

		if (r->failure_timeout_ms == 0)
			continue;
		to = (int64_t)((r->failure_timeout_ms + 999) / 1000);
		for (j = 0; j < in->nnodes; j++) {
			const struct pe_rsc_state *s = &r->st[j];
			int64_t when[2] = { 0, 0 };

			if (s->last_failure_raw > 0)
				when[0] = s->last_failure_raw + to + 1;
			for (k = 0; k < s->nops; k++) {
				const struct pe_hist_op *o = &s->ops[k];
				bool failed = o->op_status > 1 ||
					      (o->expected_rc >= 0 && o->rc != o->expected_rc &&
					       !(ham_streq(o->op, "monitor") && o->interval_ms == 0 &&
						 (o->rc == 7 || o->rc == 0 || o->rc == 8)));

				if (failed && o->last_rc_change > 0 &&
				    o->last_rc_change + to + 1 > when[1])
					when[1] = o->last_rc_change + to + 1;
			}
			for (k = 0; k < 2; k++)
				earliest_after(when[k], t->now, &best);
		}
	}
	for (i = 0; i < in->nlocs; i++)
		for (j = 0; j < in->locs[i].nrules; j++)
			rule_boundaries(&in->locs[i].rules[j], t->now, &best);
	t->recheck_s = best;
}

void pe_build_typed(struct ham_transition *t)
{
	from_scheduler(t);
	add_probes(t);
	add_monitors(t);
	find_recheck(t);
}

void pe_typed_free(struct ham_transition *t)
{
	free(t->tacts);
	free(t->tedges);
	t->tacts = NULL;
	t->tedges = NULL;
	t->ntacts = t->ntedges = t->captacts = t->captedges = 0;
}

size_t ham_transition_typed_count(const ham_transition *t)
{
	return t ? t->ntacts : 0;
}

const struct ham_action *ham_transition_action(const ham_transition *t, size_t i)
{
	return t && i < t->ntacts ? &t->tacts[i] : NULL;
}

size_t ham_transition_typed_edge_count(const ham_transition *t)
{
	return t ? t->ntedges : 0;
}

int ham_transition_edge(const ham_transition *t, size_t i, size_t *ret_before,
			size_t *ret_after)
{
	if (t == NULL || i >= t->ntedges)
		return -ERANGE;
	*ret_before = t->tedges[i][0];
	*ret_after = t->tedges[i][1];
	return 0;
}

int64_t ham_transition_recheck_s(const ham_transition *t)
{
	return t ? t->recheck_s : 0;
}
