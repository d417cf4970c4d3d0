/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/runner.c: the transition runner (see runner.h).
 *
 * Every call recomputes from the replicated CIB, which already holds every
 * recorded result: a completed action has left the transition, and what
 * remains is dispatched as soon as nothing before it is pending. Safety
 * rules on top of the engine's edges: nothing is dispatched for a resource
 * while one of its actions is in flight anywhere or while a probe of it is
 * outstanding (the engine does not see in-flight work, so this is what
 * keeps a recomputation from starting a resource a second time); one fence
 * per target at a time.
 *
 * lib/policy's public API has no typed access to the actions yet, so the
 * graph is read from its dot output (ham_transition_dot(): one line per
 * action, "rsc_kind_0 node" or "stonith node", style dashed for implied
 * actions, color red for unrunnable ones; one line per edge).
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hamgr/common.h>
#include <hamgr/policy.h>
#include "runner.h"

#define DEFAULT_TIMEOUT_MS 20000u
#define PROBE_EXPECTED_RC 7
#define DEFAULT_FENCE_TIMEOUT_MS 60000u

struct inflight {
	uint64_t action_id;
	uint64_t transition_id;
	uint32_t target;
	char *node;         /* where it runs */
	char *rsc;          /* resource (primitive id; the device for fencing) */
	char *op;
	uint64_t interval_ms;
	char *fence_target; /* fencing: the victim */
	uint64_t deadline_ms;
	struct hop_result template; /* what a timeout records */
};

struct hrunner {
	hnode *node;
	struct hrunner_ops ops;
	void *ud;
	uint64_t next_action_id;
	uint64_t transition_id;
	struct inflight *fl;
	size_t n_fl;
};

/* A parsed action of the graph. */
struct gact {
	char *rsc;      /* NULL for node actions */
	char *kind;     /* start, stop, promote, demote, stonith, do_shutdown */
	char *node;
	bool pseudo;
	bool runnable;
	int state;      /* 0 unknown, 1 satisfied, 2 not, 3 visiting */
};

struct graph {
	struct gact *a;
	size_t n;
	size_t (*e)[2];
	size_t n_e;
};

static uint64_t now_real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

hrunner *hrunner_new(hnode *n, const struct hrunner_ops *ops, void *ud)
{
	hrunner *r = ham_new0(hrunner);

	r->node = n;
	r->ops = *ops;
	r->ud = ud;
	r->next_action_id = 1;
	return r;
}

static void inflight_clear(struct inflight *f)
{
	free(f->node);
	free(f->rsc);
	free(f->op);
	free(f->fence_target);
	hop_result_clear(&f->template);
}

static void inflight_remove(hrunner *r, size_t i)
{
	inflight_clear(&r->fl[i]);
	r->fl[i] = r->fl[--r->n_fl];
}

static void forget_all(hrunner *r)
{
	while (r->n_fl)
		inflight_remove(r, r->n_fl - 1);
}

hrunner *hrunner_free(hrunner *r)
{
	if (r == NULL)
		return NULL;
	forget_all(r);
	free(r->fl);
	free(r);
	return NULL;
}

unsigned hrunner_in_flight(const hrunner *r) { return (unsigned)r->n_fl; }
uint64_t hrunner_transition_id(const hrunner *r) { return r->transition_id; }

uint64_t hrunner_next_deadline(const hrunner *r)
{
	uint64_t d = 0;
	size_t i;

	for (i = 0; i < r->n_fl; i++)
		if (d == 0 || r->fl[i].deadline_ms < d)
			d = r->fl[i].deadline_ms;
	return d;
}

/* ---- the graph from dot ------------------------------------------------ */

static void graph_free(struct graph *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		free(g->a[i].rsc);
		free(g->a[i].kind);
		free(g->a[i].node);
	}
	free(g->a);
	free(g->e);
	memset(g, 0, sizeof(*g));
}

/* Reads a quoted name at *p; returns a new string and moves *p past it. */
static char *quoted(const char **p)
{
	const char *s = *p, *end;

	if (*s != '"')
		return NULL;
	end = strchr(s + 1, '"');
	if (end == NULL)
		return NULL;
	*p = end + 1;
	return ham_strndup(s + 1, (size_t)(end - s - 1));
}

/* "rsc_kind_0 node" or "stonith node" into an action. */
static int split_name(const char *name, struct gact *a)
{
	static const char *const kinds[] = { "start", "stop", "promote", "demote" };
	const char *sp = strrchr(name, ' ');
	char *head, *us;
	size_t i, len;

	if (sp == NULL || sp == name || sp[1] == '\0')
		return -EINVAL;
	head = ham_strndup(name, (size_t)(sp - name));
	a->node = ham_strdup(sp + 1);
	if (strcmp(head, "stonith") == 0 || strcmp(head, "do_shutdown") == 0) {
		a->kind = head;
		return 0;
	}
	len = strlen(head);
	if (len < 3 || strcmp(head + len - 2, "_0") != 0)
		goto bad;
	head[len - 2] = '\0';
	us = strrchr(head, '_');
	if (us == NULL || us == head)
		goto bad;
	for (i = 0; i < HAM_ARRAY_SIZE(kinds); i++)
		if (strcmp(us + 1, kinds[i]) == 0)
			break;
	if (i == HAM_ARRAY_SIZE(kinds))
		goto bad;
	a->kind = ham_strdup(us + 1);
	*us = '\0';
	a->rsc = head;
	return 0;
bad:
	free(head);
	free(a->node);
	a->node = NULL;
	return -EINVAL;
}

static size_t find_act(const struct graph *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		const struct gact *a = &g->a[i];
		char *s = a->rsc ? ham_asprintf("%s_%s_0 %s", a->rsc, a->kind, a->node)
				 : ham_asprintf("%s %s", a->kind, a->node);
		bool same = strcmp(s, name) == 0;

		free(s);
		if (same)
			return i;
	}
	return SIZE_MAX;
}

static int parse_dot(const char *dot, struct graph *g)
{
	const char *line = dot;

	memset(g, 0, sizeof(*g));
	while (line && *line) {
		const char *eol = strchr(line, '\n'), *p = line;
		char *a = NULL, *b = NULL;

		if (*p == '"') {
			a = quoted(&p);
			if (a && strncmp(p, " -> ", 4) == 0) {
				size_t x, y;

				p += 4;
				b = quoted(&p);
				x = find_act(g, a);
				y = b ? find_act(g, b) : SIZE_MAX;
				if (x == SIZE_MAX || y == SIZE_MAX)
					goto bad;
				g->e = ham_reallocarray(g->e, g->n_e + 1, sizeof(*g->e));
				g->e[g->n_e][0] = x;
				g->e[g->n_e][1] = y;
				g->n_e++;
			} else if (a) {
				struct gact act = { 0 };

				if (split_name(a, &act) < 0)
					goto bad;
				char *rest = ham_strndup(p, eol ? (size_t)(eol - p) : strlen(p));

				act.pseudo = strstr(rest, "style=dashed") != NULL;
				act.runnable = strstr(rest, "color=\"green\"") != NULL;
				free(rest);
				g->a = ham_reallocarray(g->a, g->n + 1, sizeof(*g->a));
				g->a[g->n++] = act;
			} else {
				goto bad;
			}
		}
		free(a);
		free(b);
		line = eol ? eol + 1 : NULL;
		continue;
bad:
		qb_log(LOG_ERR, "Cannot read the transition graph line: %.*s",
		       (int)(eol ? eol - line : (ptrdiff_t)strlen(line)), line);
		free(a);
		free(b);
		graph_free(g);
		return -HAM_E_PROTOCOL;
	}
	return 0;
}

/* ---- in-flight bookkeeping -------------------------------------------- */

static bool rsc_busy(const hrunner *r, const char *rsc)
{
	size_t i;

	for (i = 0; i < r->n_fl; i++)
		if (r->fl[i].fence_target == NULL && ham_streq(r->fl[i].rsc, rsc))
			return true;
	return false;
}

static bool fence_busy(const hrunner *r, const char *target)
{
	size_t i;

	for (i = 0; i < r->n_fl; i++)
		if (ham_streq(r->fl[i].fence_target, target))
			return true;
	return false;
}

static bool is_inflight(const hrunner *r, const char *rsc, const char *op, uint64_t interval,
			const char *node)
{
	size_t i;

	for (i = 0; i < r->n_fl; i++)
		if (ham_streq(r->fl[i].rsc, rsc) && ham_streq(r->fl[i].op, op) &&
		    r->fl[i].interval_ms == interval && ham_streq(r->fl[i].node, node))
			return true;
	return false;
}

static const struct cib_prim *find_prim(const struct cib_prim *p, size_t n, const char *rsc)
{
	size_t i, len = strcspn(rsc, ":"); /* a clone instance "rsc:N" runs rsc */

	for (i = 0; i < n; i++)
		if (strlen(p[i].id) == len && strncmp(p[i].id, rsc, len) == 0)
			return &p[i];
	return NULL;
}

static uint64_t prim_timeout(const struct cib_prim *p, const char *op)
{
	uint64_t t = 0;

	if (strcmp(op, "start") == 0)
		t = p->start_timeout_ms;
	else if (strcmp(op, "stop") == 0)
		t = p->stop_timeout_ms;
	else if (strcmp(op, "monitor") == 0)
		t = p->monitor_timeout_ms;
	return t ? t : DEFAULT_TIMEOUT_MS;
}

/* Sends a request and records it in flight. */
static int dispatch(hrunner *r, const struct cib_prim *p, const char *rsc_id, const char *op,
		    uint64_t interval_ms, int expected_rc, const char *node,
		    const char *fence_target, uint64_t timeout_ms, uint64_t now_ms)
{
	struct hop_action a = { 0 };
	struct inflight *f;
	char dc[16];
	uint32_t target = hnode_node_id(r->node, node);
	size_t i;
	int ret;

	if (target == 0) {
		qb_log(LOG_ERR, "Cannot dispatch %s %s: no node id for %s", rsc_id, op, node);
		return -ENOENT;
	}
	snprintf(dc, sizeof(dc), "%u", hnode_local_id(r->node));
	a.action_id = r->next_action_id++;
	a.transition_id = r->transition_id;
	a.target = target;
	a.rsc = (char *)rsc_id;
	a.cls = p->cls;
	a.provider = p->provider;
	a.type = p->type;
	a.op = (char *)op;
	a.interval_ms = interval_ms;
	a.timeout_ms = timeout_ms;
	a.expected_rc = expected_rc;
	a.fence_target = (char *)fence_target;
	a.dc_uuid = dc;
	a.n_params = p->n_params;
	a.params = ham_newa0(struct hop_param, p->n_params ? p->n_params : 1);
	for (i = 0; i < p->n_params; i++) {
		a.params[i].name = p->param_names[i];
		a.params[i].value = p->param_values[i];
	}
	ret = r->ops.send_action(r->ud, &a);
	free(a.params);
	if (ret < 0) {
		qb_log(LOG_ERR, "Cannot send %s %s to %s: %s", rsc_id, op, node, ham_strerror(ret));
		return ret;
	}
	qb_log(LOG_NOTICE, "event=action-dispatched t_ms=%llu transition=%llu action=%llu rsc=%s "
	       "op=%s node=%s%s%s", (unsigned long long)now_real_ms(),
	       (unsigned long long)r->transition_id, (unsigned long long)a.action_id, rsc_id, op,
	       node, fence_target ? " target=" : "", fence_target ? fence_target : "");
	r->fl = ham_reallocarray(r->fl, r->n_fl + 1, sizeof(*r->fl));
	f = &r->fl[r->n_fl++];
	memset(f, 0, sizeof(*f));
	f->action_id = a.action_id;
	f->transition_id = a.transition_id;
	f->target = target;
	f->node = ham_strdup(node);
	f->rsc = ham_strdup(rsc_id);
	f->op = ham_strdup(op);
	f->interval_ms = interval_ms;
	f->fence_target = ham_strdup(fence_target);
	f->deadline_ms = now_ms + timeout_ms + HRUNNER_LOST_GRACE_MS;
	f->template.nodeid = target;
	f->template.node = ham_strdup(node);
	f->template.rsc = ham_strdup(rsc_id);
	f->template.cls = ham_strdup(p->cls);
	f->template.provider = ham_strdup(p->provider);
	f->template.type = ham_strdup(p->type);
	f->template.op = ham_strdup(op);
	f->template.interval_ms = interval_ms;
	f->template.expected_rc = expected_rc;
	f->template.action_id = a.action_id;
	f->template.transition_id = a.transition_id;
	f->template.fence_target = ham_strdup(fence_target);
	f->template.dc_uuid = ham_strdup(dc);
	return 1;
}

/* Whether every predecessor of action i is done (pseudo ones count as done
 * once their own predecessors are). */
static bool satisfied(struct graph *g, size_t i);

static bool preds_done(struct graph *g, size_t i)
{
	size_t k;

	for (k = 0; k < g->n_e; k++)
		if (g->e[k][1] == i && !satisfied(g, g->e[k][0]))
			return false;
	return true;
}

static bool satisfied(struct graph *g, size_t i)
{
	struct gact *a = &g->a[i];

	if (a->state == 1)
		return true;
	if (a->state != 0)
		return false; /* not satisfied, or a cycle */
	a->state = 3;
	a->state = a->pseudo && a->runnable && preds_done(g, i) ? 1 : 2;
	return a->state == 1;
}

/* Probes: every resource on every member node that has no history of it. */
static int probe(hrunner *r, const struct cib_prim *p, size_t n_p, bool *probing,
		 uint64_t now_ms)
{
	const uint32_t *ids;
	size_t n_ids, i, j;
	int sent = 0;

	ids = hnode_known_nodes(r->node, &n_ids);
	for (i = 0; i < n_ids; i++) {
		char id[16];
		const char *name;

		if (!hnode_is_member(r->node, ids[i]))
			continue;
		snprintf(id, sizeof(id), "%u", ids[i]);
		name = hnode_node_name(r->node, ids[i]);
		for (j = 0; j < n_p; j++) {
			if (cibdoc_has_history(hnode_cib(r->node), id, p[j].id))
				continue;
			probing[j] = true;
			if (is_inflight(r, p[j].id, "monitor", 0, name))
				continue;
			if (dispatch(r, &p[j], p[j].id, "monitor", 0, PROBE_EXPECTED_RC, name, NULL,
				     prim_timeout(&p[j], "monitor"), now_ms) > 0)
				sent++;
		}
	}
	return sent;
}

/*
 * Recurring monitors: a resource active on a node, with nothing planned for
 * it, gets its configured monitor there once; the node then runs it until
 * the resource stops there (the stop cancels it) and reports changes.
 */
static int recurring(hrunner *r, const struct graph *g, const struct cib_prim *p, size_t n_p,
		     const bool *probing, uint64_t now_ms)
{
	const uint32_t *ids;
	size_t n_ids, i, j, k;
	int sent = 0;

	ids = hnode_known_nodes(r->node, &n_ids);
	for (j = 0; j < n_p; j++) {
		bool planned = false;

		if (p[j].monitor_interval_ms == 0 || probing[j] || rsc_busy(r, p[j].id) ||
		    ham_streq(p[j].cls, "stonith"))
			continue;
		for (k = 0; k < g->n; k++)
			if (g->a[k].rsc && find_prim(&p[j], 1, g->a[k].rsc))
				planned = true;
		if (planned)
			continue;
		for (i = 0; i < n_ids; i++) {
			const char *name;
			char id[16];

			if (!hnode_is_member(r->node, ids[i]))
				continue;
			snprintf(id, sizeof(id), "%u", ids[i]);
			if (!cibdoc_rsc_active(hnode_cib(r->node), id, p[j].id) ||
			    cibdoc_has_recurring(hnode_cib(r->node), id, p[j].id,
						 p[j].monitor_interval_ms))
				continue;
			name = hnode_node_name(r->node, ids[i]);
			if (is_inflight(r, p[j].id, "monitor", p[j].monitor_interval_ms, name))
				continue;
			if (dispatch(r, &p[j], p[j].id, "monitor", p[j].monitor_interval_ms, 0, name,
				     NULL, prim_timeout(&p[j], "monitor"), now_ms) > 0)
				sent++;
		}
	}
	return sent;
}

static const struct cib_prim *fence_device(const struct cib_prim *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ham_streq(p[i].cls, "stonith"))
			return &p[i];
	return NULL;
}

int hrunner_run(hrunner *r, uint64_t now_ms, int64_t now_s)
{
	uint32_t me = hnode_local_id(r->node);
	struct ham_policy_options popts = { .now_s = now_s };
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	struct cib_prim *prims = NULL;
	struct graph g = { 0 };
	ham_buf dot = HAM_BUF_INIT;
	char *xml = NULL, *err = NULL, *stonith_action = NULL, dc[16];
	bool *probing = NULL;
	size_t len, n_prims = 0, i, j;
	uint64_t t0 = ham_now_mono_ms();
	int sent = 0, ret;

	if (me == 0 || hnode_dc(r->node) != me || hnode_syncing(r->node)) {
		if (hnode_dc(r->node) != me)
			forget_all(r);
		return 0;
	}
	/* Actions on nodes that left will never answer. */
	for (i = r->n_fl; i-- > 0;)
		if (!hnode_is_member(r->node, r->fl[i].target)) {
			qb_log(LOG_WARNING, "event=action-lost t_ms=%llu action=%llu rsc=%s op=%s node=%s",
			       (unsigned long long)now_real_ms(), (unsigned long long)r->fl[i].action_id,
			       r->fl[i].rsc, r->fl[i].op, r->fl[i].node);
			inflight_remove(r, i);
		}

	r->transition_id++;
	snprintf(dc, sizeof(dc), "%u", me);
	cibdoc_dump_for_policy(hnode_cib(r->node), hnode_quorate(r->node), dc, &xml, &len);
	ret = ham_policy_input_load(xml, len, &in, &err);
	if (ret < 0) {
		qb_log(LOG_ERR, "Cannot compute transition %llu: %s",
		       (unsigned long long)r->transition_id, err ? err : ham_strerror(ret));
		goto out;
	}
	ret = ham_policy_compute(in, &popts, &t);
	if (ret < 0) {
		qb_log(LOG_ERR, "Cannot compute transition %llu: %s",
		       (unsigned long long)r->transition_id, ham_strerror(ret));
		goto out;
	}
	ham_transition_dot(t, &dot);
	qb_log(LOG_DEBUG, "Transition %llu graph:\n%s", (unsigned long long)r->transition_id,
	       ham_buf_str(&dot));
	ret = parse_dot(ham_buf_str(&dot), &g);
	if (ret < 0)
		goto out;
	qb_log(LOG_NOTICE, "event=transition-computed t_ms=%llu transition=%llu actions=%zu "
	       "edges=%zu in_flight=%zu compute_ms=%llu", (unsigned long long)now_real_ms(),
	       (unsigned long long)r->transition_id, g.n, g.n_e, r->n_fl,
	       (unsigned long long)(ham_now_mono_ms() - t0));

	cibdoc_prims(hnode_cib(r->node), &prims, &n_prims);
	probing = ham_newa0(bool, n_prims ? n_prims : 1);
	sent += probe(r, prims, n_prims, probing, now_ms);
	stonith_action = cibdoc_property(hnode_cib(r->node), "stonith-action");

	for (i = 0; i < g.n; i++) {
		struct gact *a = &g.a[i];
		const struct cib_prim *p;

		if (a->pseudo || !a->runnable || strcmp(a->kind, "do_shutdown") == 0)
			continue;
		if (!preds_done(&g, i))
			continue;
		if (a->rsc == NULL) { /* fencing */
			const char *op = stonith_action && strcmp(stonith_action, "off") == 0 ?
					 "off" : "reboot";

			if (fence_busy(r, a->node))
				continue;
			p = fence_device(prims, n_prims);
			if (p == NULL) {
				qb_log(LOG_ERR, "Cannot fence %s: no fence device is configured", a->node);
				continue;
			}
			if (dispatch(r, p, p->id, op, 0, 0, hnode_node_name(r->node, me), a->node,
				     DEFAULT_FENCE_TIMEOUT_MS, now_ms) > 0)
				sent++;
			continue;
		}
		p = find_prim(prims, n_prims, a->rsc);
		if (p == NULL) {
			qb_log(LOG_WARNING, "Transition %llu: %s %s on %s: not in the configuration",
			       (unsigned long long)r->transition_id, a->kind, a->rsc, a->node);
			continue;
		}
		if (rsc_busy(r, a->rsc) || probing[p - prims])
			continue;
		if (dispatch(r, p, a->rsc, a->kind, 0, 0, a->node, NULL, prim_timeout(p, a->kind),
			     now_ms) > 0)
			sent++;
		/* Only one action per resource at a time. */
		for (j = 0; j < g.n; j++)
			if (g.a[j].rsc && strcmp(g.a[j].rsc, a->rsc) == 0)
				g.a[j].runnable = false;
	}
	sent += recurring(r, &g, prims, n_prims, probing, now_ms);
	ret = sent;
out:
	free(stonith_action);
	free(probing);
	cibdoc_prims_free(prims, n_prims);
	graph_free(&g);
	ham_buf_free(&dot);
	ham_transition_free(t);
	ham_policy_input_free(in);
	free(xml);
	free(err);
	return ret;
}

void hrunner_result(hrunner *r, const struct hop_result *res)
{
	size_t i;

	for (i = 0; i < r->n_fl; i++) {
		struct inflight *f = &r->fl[i];

		if (!(f->action_id == res->action_id && res->action_id != 0) &&
		    !(f->target == res->nodeid && ham_streq(f->rsc, res->rsc) &&
		      ham_streq(f->op, res->op) && f->interval_ms == res->interval_ms))
			continue;
		qb_log(LOG_NOTICE, "event=action-result t_ms=%llu transition=%llu action=%llu rsc=%s "
		       "op=%s node=%s rc=%d status=%d", (unsigned long long)now_real_ms(),
		       (unsigned long long)f->transition_id, (unsigned long long)f->action_id,
		       f->rsc, f->op, f->node, res->rc, res->op_status);
		inflight_remove(r, i);
		return;
	}
}

unsigned hrunner_expire(hrunner *r, uint64_t now_ms)
{
	unsigned n = 0;
	size_t i;

	for (i = r->n_fl; i-- > 0;) {
		struct inflight *f = &r->fl[i];

		if (f->deadline_ms > now_ms)
			continue;
		f->template.rc = 1;
		f->template.op_status = HOP_STATUS_TIMEOUT;
		f->template.call_id = 0; /* -1 would read as still pending */
		f->template.last_run_s = f->template.last_rc_change_s = (int64_t)time(NULL);
		free(f->template.exit_reason);
		f->template.exit_reason = ham_strdup("no result from the node in time");
		qb_log(LOG_WARNING, "event=action-timeout t_ms=%llu action=%llu rsc=%s op=%s node=%s",
		       (unsigned long long)now_real_ms(), (unsigned long long)f->action_id, f->rsc,
		       f->op, f->node);
		r->ops.send_result(r->ud, &f->template);
		inflight_remove(r, i);
		n++;
	}
	return n;
}
