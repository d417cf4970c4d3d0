/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/runner.c: the transition runner (see runner.h).
 *
 * Every call recomputes from the replicated CIB, which already holds every
 * recorded result: a completed action has left the transition, and what
 * remains is dispatched as soon as nothing before it is pending. The
 * engine gives typed actions and edges (ham_transition_action(),
 * ham_transition_edge()), probes and recurring monitors included, each
 * with its agent, parameters, timeout and expected result: the request is
 * built from it. Fence devices come from the configuration (cibdoc). Safety
 * rules on top of the engine's edges: nothing but probes is dispatched for
 * a resource while one of its actions is in flight anywhere or while the
 * transition still probes it (the engine does not see in-flight work, so
 * this is what keeps a recomputation from starting a resource a second
 * time); one fence per target at a time.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hamgr/common.h>
#include <hamgr/policy.h>
#include "runner.h"
#include "shutdown.h"

#define DEFAULT_RECHECK_MS (15u * 60u * 1000u)

struct inflight {
	uint64_t action_id;
	uint64_t transition_id;
	uint32_t target;
	char *node;         /* where it runs */
	char *rsc;          /* the agent's resource (primitive id; the device for fencing) */
	char *instance;     /* the engine's resource (clone instance); busy checks */
	char *op;
	uint64_t interval_ms;
	char *fence_target; /* fencing: the victim */
	uint64_t timeout_ms;
	uint64_t deadline_ms;
	bool acked;         /* its node's pending record is in: it began there */
	struct hop_result template; /* what a timeout records */
};

/* A node's node-action-limit, as its results say. */
struct node_limit {
	uint32_t nodeid;
	uint32_t limit;
};

/* Fencing state of one victim, until it is fenced. */
struct fencing {
	char *target;
	unsigned failures;     /* since the last success */
	size_t next_device;    /* index among the eligible devices to try next */
	uint64_t backoff_ms;   /* to wait from the next run on (0: none) */
	uint64_t not_before_ms;/* backoff: no attempt before */
};

struct hrunner {
	hnode *node;
	struct hrunner_ops ops;
	void *ud;
	uint64_t next_action_id;
	uint64_t transition_id;
	struct inflight *fl;
	size_t n_fl;
	struct fencing *fence;
	size_t n_fence;
	uint64_t recheck_ms;        /* monotonic; 0 none */
	uint64_t reported_change_ms;/* membership change already timed */
	uint64_t run_started_ms;    /* wall clock, the current run's start */
	uint64_t cluster_delay_ms;  /* cluster-delay, read at each run */
	struct node_limit *limits;
	size_t n_limits;
	uint64_t expiry_sent_ms;    /* monotonic: the last removal of ended lifetimes sent */
};

/* How long a removal of ended lifetimes sent is awaited before another. */
#define EXPIRY_RETRY_MS 10000u

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
	r->cluster_delay_ms = HRUNNER_CLUSTER_DELAY_MS;
	return r;
}

static void inflight_clear(struct inflight *f)
{
	free(f->node);
	free(f->rsc);
	free(f->instance);
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

static void fence_forget(hrunner *r, size_t i)
{
	free(r->fence[i].target);
	r->fence[i] = r->fence[--r->n_fence];
}

hrunner *hrunner_free(hrunner *r)
{
	if (r == NULL)
		return NULL;
	forget_all(r);
	free(r->fl);
	while (r->n_fence)
		fence_forget(r, r->n_fence - 1);
	free(r->fence);
	free(r->limits);
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

uint64_t hrunner_next_wakeup(const hrunner *r)
{
	uint64_t w = r->recheck_ms;
	size_t i;

	for (i = 0; i < r->n_fence; i++)
		if (r->fence[i].not_before_ms && (w == 0 || r->fence[i].not_before_ms < w))
			w = r->fence[i].not_before_ms;
	return w;
}

static struct fencing *fence_state(hrunner *r, const char *target, bool create)
{
	size_t i;

	for (i = 0; i < r->n_fence; i++)
		if (ham_streq(r->fence[i].target, target))
			return &r->fence[i];
	if (!create)
		return NULL;
	r->fence = ham_reallocarray(r->fence, r->n_fence + 1, sizeof(*r->fence));
	memset(&r->fence[r->n_fence], 0, sizeof(*r->fence));
	r->fence[r->n_fence].target = ham_strdup(target);
	return &r->fence[r->n_fence++];
}

unsigned hrunner_fence_failures(const hrunner *r, const char *target)
{
	size_t i;

	for (i = 0; i < r->n_fence; i++)
		if (ham_streq(r->fence[i].target, target))
			return r->fence[i].failures;
	return 0;
}

/* ---- in-flight bookkeeping -------------------------------------------- */

static bool rsc_busy(const hrunner *r, const char *instance)
{
	size_t i;

	for (i = 0; i < r->n_fl; i++)
		if (r->fl[i].fence_target == NULL && ham_streq(r->fl[i].instance, instance))
			return true;
	return false;
}

/*
 * Whether an action of the agent's resource rsc is in flight on node: a
 * clone's instances share the primitive's name there (its history, its
 * state, a stop that cancels its monitors), so two instances' actions on
 * one node are two actions of the same resource.
 */
static bool prim_busy_on(const hrunner *r, const char *rsc, const char *node)
{
	size_t i;

	for (i = 0; i < r->n_fl; i++)
		if (r->fl[i].fence_target == NULL && r->fl[i].instance[0] != '\0' &&
		    ham_streq(r->fl[i].rsc, rsc) && ham_streq(r->fl[i].node, node))
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

/*
 * Whether a start, stop, promote, demote or migration of a's resource is
 * pending on a member: anywhere for a primitive; for a clone instance (the
 * history names the primitive on each node), on a's node.
 */
static bool rsc_pending(const struct cib_pending *p, size_t n, const hrunner *r,
			const struct ham_action *a)
{
	bool instance = a->instance && !ham_streq(a->instance, a->rsc);
	uint32_t node = instance ? hnode_node_id(r->node, a->node) : 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (ham_streq(p[i].rsc, a->rsc) && hop_op_records_pending(p[i].op, 0) &&
		    (!instance || p[i].nodeid == node))
			return true;
	return false;
}

static const char *prim_param(const struct cib_prim *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->n_params; i++)
		if (ham_streq(p->param_names[i], name))
			return p->param_values[i];
	return NULL;
}

struct dispatch_req {
	const struct cib_prim *p;  /* fencing: the device, its agent and parameters */
	const struct ham_action *a;/* else: the engine's action (agent, parameters) */
	const char *rsc, *instance, *op, *node, *fence_target;
	uint64_t interval_ms, timeout_ms;
	int expected_rc;
};

/* Logs the DC's reaction time to the latest membership change, once. */
static void note_reaction(hrunner *r, const char *what)
{
	uint64_t change = hnode_membership_changed_ms(r->node), now;

	if (change == 0 || change <= r->reported_change_ms)
		return;
	r->reported_change_ms = change;
	now = now_real_ms();
	qb_log(LOG_NOTICE, "transition %llu: membership change at %llu, first action dispatched at "
	       "%llu (+%llu ms; computation started at +%llu ms): %s",
	       (unsigned long long)r->transition_id, (unsigned long long)change,
	       (unsigned long long)now, (unsigned long long)(now >= change ? now - change : 0),
	       (unsigned long long)(r->run_started_ms >= change ? r->run_started_ms - change : 0),
	       what);
	qb_log(LOG_NOTICE, "event=dc-reaction t_ms=%llu transition=%llu membership_ms=%llu "
	       "reaction_ms=%llu run_start_ms=%llu action=%s", (unsigned long long)now,
	       (unsigned long long)r->transition_id, (unsigned long long)change,
	       (unsigned long long)(now >= change ? now - change : 0),
	       (unsigned long long)(r->run_started_ms >= change ? r->run_started_ms - change : 0),
	       what);
}

/* Sends a request and records it in flight. */
static int dispatch(hrunner *r, const struct dispatch_req *q, uint64_t now_ms)
{
	struct hop_action a = { 0 };
	struct inflight *f;
	char dc[16];
	uint32_t target = hnode_node_id(r->node, q->node);
	size_t i;
	int ret;

	if (target == 0) {
		qb_log(LOG_ERR, "Cannot dispatch %s %s: no node id for %s", q->rsc, q->op, q->node);
		return -ENOENT;
	}
	snprintf(dc, sizeof(dc), "%u", hnode_local_id(r->node));
	a.action_id = r->next_action_id++;
	a.transition_id = r->transition_id;
	a.target = target;
	a.rsc = (char *)q->rsc;
	a.cls = (char *)(q->a ? q->a->cls : q->p->cls);
	a.provider = (char *)(q->a ? q->a->provider : q->p->provider);
	a.type = (char *)(q->a ? q->a->type : q->p->type);
	a.op = (char *)q->op;
	a.interval_ms = q->interval_ms;
	a.timeout_ms = q->timeout_ms;
	a.expected_rc = q->expected_rc;
	a.fence_target = (char *)q->fence_target;
	a.dc_uuid = dc;
	a.n_params = q->a ? q->a->n_params : q->p->n_params;
	a.params = ham_newa0(struct hop_param, a.n_params ? a.n_params : 1);
	for (i = 0; i < a.n_params; i++) {
		a.params[i].name = (char *)(q->a ? q->a->params[i].name : q->p->param_names[i]);
		a.params[i].value = (char *)(q->a ? q->a->params[i].value : q->p->param_values[i]);
	}
	ret = r->ops.send_action(r->ud, &a);
	free(a.params);
	if (ret < 0) {
		qb_log(LOG_ERR, "Cannot send %s %s to %s: %s", q->rsc, q->op, q->node,
		       ham_strerror(ret));
		return ret;
	}
	qb_log(LOG_NOTICE, "event=action-dispatched t_ms=%llu transition=%llu action=%llu rsc=%s "
	       "op=%s node=%s%s%s interval=%llu", (unsigned long long)now_real_ms(),
	       (unsigned long long)r->transition_id, (unsigned long long)a.action_id, q->rsc, q->op,
	       q->node, q->fence_target ? " target=" : "", q->fence_target ? q->fence_target : "",
	       (unsigned long long)q->interval_ms);
	r->fl = ham_reallocarray(r->fl, r->n_fl + 1, sizeof(*r->fl));
	f = &r->fl[r->n_fl++];
	memset(f, 0, sizeof(*f));
	f->action_id = a.action_id;
	f->transition_id = a.transition_id;
	f->target = target;
	f->node = ham_strdup(q->node);
	f->rsc = ham_strdup(q->rsc);
	f->instance = ham_strdup(q->instance ? q->instance : q->rsc);
	f->op = ham_strdup(q->op);
	f->interval_ms = q->interval_ms;
	f->fence_target = ham_strdup(q->fence_target);
	f->timeout_ms = q->timeout_ms;
	/* Until its node says it began (its pending record), only a bound for a
	 * lost request; fencing runs here at once. */
	f->deadline_ms = now_ms + q->timeout_ms + r->cluster_delay_ms;
	f->template.nodeid = target;
	f->template.node = ham_strdup(q->node);
	f->template.rsc = ham_strdup(q->rsc);
	f->template.cls = ham_strdup(a.cls);
	f->template.provider = ham_strdup(a.provider);
	f->template.type = ham_strdup(a.type);
	f->template.op = ham_strdup(q->op);
	f->template.interval_ms = q->interval_ms;
	f->template.expected_rc = q->expected_rc;
	f->template.action_id = a.action_id;
	f->template.transition_id = a.transition_id;
	f->template.fence_target = ham_strdup(q->fence_target);
	f->template.dc_uuid = ham_strdup(dc);
	return 1;
}

/* ---- the graph --------------------------------------------------------- */

struct graph {
	const ham_transition *t;
	size_t n;
	size_t *pred_start, *pred;  /* predecessors of each action (CSR) */
	int *state;                 /* 0 unknown, 1 satisfied, 2 not, 3 visiting */
	bool *held;                 /* not to be dispatched in this run */
};

static void graph_build(struct graph *g, const ham_transition *t)
{
	size_t ne = ham_transition_typed_edge_count(t), i, a, b;
	size_t *fill;

	g->t = t;
	g->n = ham_transition_typed_count(t);
	g->pred_start = ham_newa0(size_t, g->n + 1);
	g->pred = ham_newa0(size_t, ne ? ne : 1);
	g->state = ham_newa0(int, g->n ? g->n : 1);
	g->held = ham_newa0(bool, g->n ? g->n : 1);
	for (i = 0; ham_transition_edge(t, i, &a, &b) == 0; i++)
		g->pred_start[b + 1]++;
	for (i = 0; i < g->n; i++)
		g->pred_start[i + 1] += g->pred_start[i];
	fill = ham_newa0(size_t, g->n ? g->n : 1);
	for (i = 0; ham_transition_edge(t, i, &a, &b) == 0; i++)
		g->pred[g->pred_start[b] + fill[b]++] = a;
	free(fill);
}

static void graph_free(struct graph *g)
{
	free(g->pred_start);
	free(g->pred);
	free(g->state);
	free(g->held);
}

static bool satisfied(struct graph *g, size_t i);

/* Whether every predecessor of action i is done: an action still in the
 * transition is not, except implied (pseudo) ones whose own predecessors are. */
static bool preds_done(struct graph *g, size_t i)
{
	size_t k;

	for (k = g->pred_start[i]; k < g->pred_start[i + 1]; k++)
		if (!satisfied(g, g->pred[k]))
			return false;
	return true;
}

static bool satisfied(struct graph *g, size_t i)
{
	const struct ham_action *a = ham_transition_action(g->t, i);

	if (g->state[i] == 1)
		return true;
	if (g->state[i] != 0)
		return false; /* not satisfied, or a cycle */
	g->state[i] = 3;
	g->state[i] = a->pseudo && a->runnable && preds_done(g, i) ? 1 : 2;
	return g->state[i] == 1;
}

/* ---- fencing ------------------------------------------------------------ */

static bool in_list(const char *list, const char *node)
{
	const char *p = list;
	size_t n = strlen(node);

	while (p && *p) {
		size_t len;

		p += strspn(p, " ,;\t");
		len = strcspn(p, " ,;\t");
		if (len == n && strncmp(p, node, n) == 0)
			return true;
		p += len;
	}
	return false;
}

/* Whether pcmk_host_map names node ("node:port;node2:port2"). */
static bool in_map(const char *map, const char *node)
{
	const char *p = map;
	size_t n = strlen(node);

	while (p && *p) {
		size_t len;

		p += strspn(p, " ,;\t");
		len = strcspn(p, " ,;\t");
		if (len > n && strncmp(p, node, n) == 0 && (p[n] == ':' || p[n] == '='))
			return true;
		p += len;
	}
	return false;
}

/*
 * How a device relates to a victim, per pcmk_host_check: 2 its static list
 * or map names the victim, 1 the agent decides (dynamic-list, status:
 * the attempt itself asks it), or it fences any node (none); 0 it cannot.
 */
static int device_fits(const struct cib_prim *p, const char *target)
{
	const char *list = prim_param(p, "pcmk_host_list");
	const char *map = prim_param(p, "pcmk_host_map");
	const char *check = prim_param(p, "pcmk_host_check");
	bool named = (list && in_list(list, target)) || (map && in_map(map, target));

	if (check == NULL)
		check = (list && *list) || (map && *map) ? "static-list" : "dynamic-list";
	if (strcmp(check, "static-list") == 0)
		return named ? 2 : 0;
	if (strcmp(check, "none") == 0)
		return named ? 2 : 1;
	if (strcmp(check, "dynamic-list") == 0 || strcmp(check, "status") == 0)
		return named ? 2 : 1;
	qb_log(LOG_WARNING, "Fence device %s: unknown pcmk_host_check '%s', taken as static-list",
	       p->id, check);
	return named ? 2 : 0;
}

/* The devices that may fence target, those naming it first (config order). */
static size_t fence_devices(const struct cib_prim *p, size_t n, const char *target,
			    const struct cib_prim **out)
{
	size_t i, k = 0;
	int want;

	for (want = 2; want >= 1; want--)
		for (i = 0; i < n; i++)
			if (ham_streq(p[i].cls, "stonith") && device_fits(&p[i], target) == want)
				out[k++] = &p[i];
	return k;
}

size_t hrunner_fence_device_count(const cibdoc *cib, const char *target)
{
	struct cib_prim *prims = NULL;
	const struct cib_prim **devs;
	size_t n_prims = 0, n;

	cibdoc_prims(cib, &prims, &n_prims);
	devs = ham_newa0(const struct cib_prim *, n_prims ? n_prims : 1);
	n = fence_devices(prims, n_prims, target, devs);
	free(devs);
	cibdoc_prims_free(prims, n_prims);
	return n;
}

static int dispatch_fence(hrunner *r, const struct ham_action *a, const struct cib_prim *prims,
			  size_t n_prims, uint64_t now_ms)
{
	const struct cib_prim **devs = ham_newa0(const struct cib_prim *, n_prims ? n_prims : 1);
	struct fencing *fs = fence_state(r, a->fence_target, true);
	struct dispatch_req q = { 0 };
	size_t n = fence_devices(prims, n_prims, a->fence_target, devs);
	int ret = 0;

	if (n == 0) {
		qb_log(LOG_ERR, "Cannot fence %s: no fence device can fence it", a->fence_target);
		goto out;
	}
	if (fs->backoff_ms) { /* the clock of the runs, not of the results */
		fs->not_before_ms = now_ms + fs->backoff_ms;
		fs->backoff_ms = 0;
	}
	if (fs->not_before_ms && now_ms < fs->not_before_ms)
		goto out; /* backing off */
	fs->not_before_ms = 0;
	q.p = devs[fs->next_device % n];
	q.rsc = q.p->id;
	q.op = a->op;
	q.node = hnode_node_name(r->node, hnode_local_id(r->node));
	q.fence_target = a->fence_target;
	q.timeout_ms = HRUNNER_FENCE_TIMEOUT_MS;
	qb_log(LOG_NOTICE, "Fencing %s (%s) with device %s (%zu of %zu), attempt %u",
	       a->fence_target, a->op, q.p->id, fs->next_device % n + 1, n, fs->failures + 1);
	ret = dispatch(r, &q, now_ms);
out:
	free(devs);
	return ret;
}

/* Whether a is the DC fencing itself while the transition fences others too. */
static bool fences_others_first(const ham_transition *t, const struct ham_action *a, const char *me)
{
	size_t i, n = ham_transition_typed_count(t);

	if (!ham_streq(a->fence_target, me))
		return false;
	for (i = 0; i < n; i++) {
		const struct ham_action *b = ham_transition_action(t, i);

		if (b->kind == HAM_ACTION_FENCE && !ham_streq(b->fence_target, me))
			return true;
	}
	return false;
}

/* A fencing attempt failed: the next device, or after a backoff, all again. */
static void fence_failed(hrunner *r, const char *target, const char *device, const char *why)
{
	struct fencing *fs = fence_state(r, target, true);
	struct cib_prim *prims = NULL;
	const struct cib_prim **devs;
	size_t n_prims = 0, n;
	uint64_t backoff = 0;

	cibdoc_prims(hnode_cib(r->node), &prims, &n_prims);
	devs = ham_newa0(const struct cib_prim *, n_prims ? n_prims : 1);
	n = fence_devices(prims, n_prims, target, devs);
	fs->failures++;
	fs->next_device++;
	if (n == 0 || fs->next_device % n == 0) {
		unsigned rounds = n ? (unsigned)(fs->next_device / n) : fs->failures;

		backoff = HRUNNER_FENCE_BACKOFF_MS;
		while (--rounds > 0 && backoff < HRUNNER_FENCE_BACKOFF_MAX_MS)
			backoff *= 2;
		if (backoff > HRUNNER_FENCE_BACKOFF_MAX_MS)
			backoff = HRUNNER_FENCE_BACKOFF_MAX_MS;
	}
	fs->backoff_ms = backoff;
	fs->not_before_ms = 0;
	qb_log(LOG_ERR, "event=fence-failed t_ms=%llu target=%s device=%s attempt=%u "
	       "retry_in_ms=%llu next_device=%s reason=%s", (unsigned long long)now_real_ms(),
	       target, device, fs->failures, (unsigned long long)backoff,
	       n ? devs[fs->next_device % n]->id : "none", why ? why : "failed");
	free(devs);
	cibdoc_prims_free(prims, n_prims);
}

/* ---- orderly shutdown (shutdown.h) -------------------------------------- */

/*
 * The engine's shutdown action for a node, once its stops are done: tells
 * the node it may leave. It has no result (the node leaves the group); it
 * stays in flight, without a deadline, so that it is sent once per DC, and
 * goes with the node.
 */
static int dispatch_shutdown(hrunner *r, const struct ham_action *a, uint64_t now_ms)
{
	struct ham_action sa = *a;
	struct dispatch_req q = { 0 };

	if (is_inflight(r, HSHUTDOWN_ACTION_RSC, HSHUTDOWN_ACTION_OP, 0, a->node))
		return 0;
	sa.cls = HSHUTDOWN_ACTION_CLASS;
	sa.provider = NULL;
	sa.type = HSHUTDOWN_ACTION_TYPE;
	sa.n_params = 0;
	q.a = &sa;
	q.rsc = HSHUTDOWN_ACTION_RSC;
	q.instance = "#shutdown"; /* not a resource id: never busy with a resource */
	q.op = HSHUTDOWN_ACTION_OP;
	q.node = a->node;
	q.timeout_ms = UINT64_MAX / 4; /* never timed out: no result comes */
	return dispatch(r, &q, now_ms);
}

/* ---- the run ------------------------------------------------------------ */

static uint64_t property_ms(hrunner *r, const char *name, uint64_t dflt)
{
	char *v = cibdoc_property(hnode_cib(r->node), name);
	uint64_t ms = dflt;

	if (v && ham_parse_duration_ms(v, &ms) < 0) {
		qb_log(LOG_WARNING, "Ignored %s '%s': not a duration", name, v);
		ms = dflt;
	}
	free(v);
	return ms;
}

static uint32_t property_u32(hrunner *r, const char *name)
{
	char *v = cibdoc_property(hnode_cib(r->node), name);
	uint32_t x = 0;

	if (v && ham_parse_uint32(v, &x) < 0) {
		qb_log(LOG_WARNING, "Ignored %s '%s': not a count", name, v);
		x = 0;
	}
	free(v);
	return x;
}

/*
 * How many actions a node may run at once: node-action-limit when set,
 * else what the node last said in its results (twice its cores), else our
 * own default (the node queues what is beyond its limit anyway, and the
 * deadlines count from when an action begins, so a wrong guess delays,
 * never fails, an action).
 */
static uint32_t node_limit(hrunner *r, uint32_t nodeid, uint32_t configured)
{
	size_t i;

	if (configured > 0)
		return configured;
	for (i = 0; i < r->n_limits; i++)
		if (r->limits[i].nodeid == nodeid)
			return r->limits[i].limit;
	return hrunner_default_limit();
}

uint32_t hrunner_default_limit(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return cpus > 0 ? 2u * (uint32_t)cpus : 2u;
}

/* Actions a node runs or was asked to run: its pending records and what we
 * sent it that it has not acknowledged yet (fencing aside). */
static unsigned node_load(const hrunner *r, uint32_t nodeid, const struct cib_pending *p,
			  size_t n_p)
{
	unsigned k = 0;
	size_t i;

	for (i = 0; i < n_p; i++)
		k += p[i].nodeid == nodeid;
	for (i = 0; i < r->n_fl; i++)
		k += r->fl[i].target == nodeid && !r->fl[i].acked && r->fl[i].fence_target == NULL;
	return k;
}

static uint64_t recheck_interval_ms(hrunner *r)
{
	char *v = cibdoc_property(hnode_cib(r->node), "cluster-recheck-interval");
	uint64_t ms = DEFAULT_RECHECK_MS;

	if (v && ham_parse_duration_ms(v, &ms) < 0) {
		qb_log(LOG_WARNING, "Ignored cluster-recheck-interval '%s': not a duration", v);
		ms = DEFAULT_RECHECK_MS;
	}
	free(v);
	return ms;
}

/*
 * Locations of move and ban whose lifetime ended stop counting at once (the
 * engine evaluates their date rule; ham_transition_recheck_s() brings the
 * computation at their end) and are removed through the cluster (an edit
 * applied everywhere), once per EXPIRY_RETRY_MS while they are there.
 * Returns the wake-up wished for (monotonic ms), or 0.
 */
static uint64_t ended_lifetimes(hrunner *r, uint64_t now_ms, int64_t now_s)
{
	if (!ham_cib_doc_lifetimes_ended(hnode_cib(r->node), now_s))
		return 0;
	if (r->expiry_sent_ms == 0 || now_ms >= r->expiry_sent_ms + EXPIRY_RETRY_MS) {
		char *buf = ham_asprintf("<modify><clear expired-by=\"%" PRId64 "\"/></modify>",
					 now_s), *err = NULL;
		int ret = hnode_push_modify(r->node, buf, strlen(buf), 0, &err);

		if (ret < 0)
			qb_log(LOG_WARNING, "Cannot remove the ended lifetimes of move and ban "
			       "constraints yet: %s", err ? err : ham_strerror(ret));
		else
			qb_log(LOG_NOTICE, "event=lifetimes-expired t_ms=%llu Removing the move and "
			       "ban constraints whose lifetime ended",
			       (unsigned long long)now_real_ms());
		free(err);
		free(buf);
		r->expiry_sent_ms = now_ms ? now_ms : 1;
	}
	return r->expiry_sent_ms + EXPIRY_RETRY_MS; /* until it is applied: try again then */
}

int hrunner_policy_input(const cibdoc *doc, bool quorate, const char *dc,
			 ham_policy_input **ret_in, char **ret_err, bool *ret_warned)
{
	struct ham_cib_cluster cl = { .quorate = quorate, .dc_uuid = dc };
	/* Run, not installed: fencing enabled without a device is a warning
	 * here (check.c), else no transition at all, not even a shutdown. */
	struct ham_cib_load_opts lo = { .flags = HAM_CIB_LOAD_TO_RUN };
	ham_cib_diags *diags = ham_cib_diags_new();
	ham_cib *cib = NULL;
	int ret = ham_cib_doc_to_model_with(doc, &lo, &cl, &cib, diags);

	if (ret_warned)
		*ret_warned = ham_cib_diags_warnings(diags) > 0;
	if (ret < 0)
		*ret_err = ham_cib_diags_message(diags, ret);
	else
		ret = ham_policy_input_from_model(ham_cib_model(cib), ret_in, ret_err);
	ham_cib_free(cib);
	ham_cib_diags_free(diags);
	return ret;
}

int hrunner_run(hrunner *r, uint64_t now_ms, int64_t now_s)
{
	uint32_t me = hnode_local_id(r->node);
	struct ham_policy_options popts = { .now_s = now_s };
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	struct cib_prim *prims = NULL;
	struct graph g = { 0 };
	char *err = NULL, dc[16];
	struct cib_pending *pend = NULL;
	size_t n_prims = 0, n = 0, i, j, n_pend = 0, load = 0;
	uint32_t cfg_limit, batch_limit;
	uint64_t t0 = ham_now_mono_ms(), every;
	int64_t recheck_s;
	int sent = 0, ret;
	bool warned = false;

	if (!hnode_quorum_current(r->node))
		return 0; /* votequorum has not answered for this membership yet */
	if (me == 0 || hnode_dc(r->node) != me || hnode_syncing(r->node)) {
		if (hnode_dc(r->node) != me) {
			forget_all(r);
			while (r->n_fence)
				fence_forget(r, r->n_fence - 1);
			r->recheck_ms = 0;
		}
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

	r->cluster_delay_ms = property_ms(r, "cluster-delay", HRUNNER_CLUSTER_DELAY_MS);
	cfg_limit = property_u32(r, "node-action-limit");
	batch_limit = property_u32(r, "batch-limit");
	/* What members have begun and not finished, whoever asked (an earlier
	 * DC too). A pending record of a node that is gone blocks nothing: the
	 * engine fences an unclean node first, which erases its history, and a
	 * node that comes back resolves its own stale records (hlrm). */
	cibdoc_pending_ops(hnode_cib(r->node), &pend, &n_pend);
	for (i = n_pend; i-- > 0;)
		if (!hnode_is_member(r->node, pend[i].nodeid)) {
			free(pend[i].rsc);
			free(pend[i].op);
			free(pend[i].cls);
			free(pend[i].provider);
			free(pend[i].type);
			pend[i] = pend[--n_pend];
		}
	load = n_pend;
	for (i = 0; i < r->n_fl; i++)
		load += !r->fl[i].acked && r->fl[i].fence_target == NULL;

	r->transition_id++;
	r->run_started_ms = now_real_ms();
	snprintf(dc, sizeof(dc), "%u", me);
	ret = hrunner_policy_input(hnode_cib(r->node), hnode_quorate(r->node), dc, &in, &err,
				   &warned);
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
	n = ham_transition_typed_count(t);
	graph_build(&g, t);
	qb_log(LOG_NOTICE, "event=transition-computed t_ms=%llu transition=%llu actions=%zu "
	       "edges=%zu in_flight=%zu compute_ms=%llu", (unsigned long long)now_real_ms(),
	       (unsigned long long)r->transition_id, n, ham_transition_typed_edge_count(t), r->n_fl,
	       (unsigned long long)(ham_now_mono_ms() - t0));

	/* When to compute again without an event. */
	every = recheck_interval_ms(r);
	r->recheck_ms = every ? now_ms + every : 0;
	recheck_s = ham_transition_recheck_s(t);
	if (recheck_s > now_s) {
		uint64_t at = now_ms + (uint64_t)(recheck_s - now_s) * 1000u;

		if (r->recheck_ms == 0 || at < r->recheck_ms)
			r->recheck_ms = at;
	}
	{
		uint64_t at = ended_lifetimes(r, now_ms, now_s);

		if (at && (r->recheck_ms == 0 || at < r->recheck_ms))
			r->recheck_ms = at;
	}

	/* Fencing no longer asked for (fenced, or the node is back): forget its retries. */
	for (i = r->n_fence; i-- > 0;) {
		bool wanted = fence_busy(r, r->fence[i].target);

		for (j = 0; j < n && !wanted; j++) {
			const struct ham_action *a = ham_transition_action(t, j);

			wanted = a->kind == HAM_ACTION_FENCE && ham_streq(a->fence_target, r->fence[i].target);
		}
		if (!wanted)
			fence_forget(r, i);
	}

	/* A resource being probed gets nothing else until the probes are in. */
	for (i = 0; i < n; i++) {
		const struct ham_action *a = ham_transition_action(t, i);

		if (a->kind != HAM_ACTION_PROBE)
			continue;
		for (j = 0; j < n; j++) {
			const struct ham_action *b = ham_transition_action(t, j);

			if (b->kind != HAM_ACTION_PROBE && ham_streq(b->rsc, a->rsc))
				g.held[j] = true;
		}
	}

	for (i = 0; i < n; i++) {
		const struct ham_action *a = ham_transition_action(t, i);
		struct dispatch_req q = { 0 };

		if (a->pseudo || !a->runnable || g.held[i])
			continue;
		if (a->kind == HAM_ACTION_MIGRATE_TO || a->kind == HAM_ACTION_MIGRATE_FROM)
			continue; /* not scheduled by the engine yet */
		if (!preds_done(&g, i))
			continue;
		if (a->kind == HAM_ACTION_SHUTDOWN) {
			sent += dispatch_shutdown(r, a, now_ms) > 0;
			continue;
		}
		if (a->kind == HAM_ACTION_FENCE) {
			if (fence_busy(r, a->fence_target))
				continue;
			if (fences_others_first(t, a, hnode_node_name(r->node, me)))
				continue; /* the DC fences itself last (suicide) */
			if (prims == NULL) /* the devices: only when fencing */
				cibdoc_prims(hnode_cib(r->node), &prims, &n_prims);
			if (dispatch_fence(r, a, prims, n_prims, now_ms) > 0) {
				sent++;
				note_reaction(r, "fence");
			}
			continue;
		}
		if (a->rsc == NULL || a->cls == NULL || a->type == NULL) {
			qb_log(LOG_WARNING, "Transition %llu: %s %s on %s: no agent known",
			       (unsigned long long)r->transition_id, a->op, a->rsc, a->node);
			continue;
		}
		if (a->kind == HAM_ACTION_PROBE) {
			if (is_inflight(r, a->rsc, "monitor", 0, a->node))
				continue;
		} else if (rsc_busy(r, a->instance) || prim_busy_on(r, a->rsc, a->node) ||
			   rsc_pending(pend, n_pend, r, a)) {
			continue;
		}
		/* Flow control: what the node may run now, and batch-limit. */
		if (batch_limit > 0 && load >= batch_limit)
			continue;
		{
			uint32_t id = hnode_node_id(r->node, a->node);

			if (id && node_load(r, id, pend, n_pend) >= node_limit(r, id, cfg_limit))
				continue;
		}
		q.a = a;
		q.rsc = a->rsc;
		/* a probe in flight does not make the resource busy: the transition
		 * holds the resource's other actions while it probes */
		q.instance = a->kind == HAM_ACTION_PROBE ? "" : a->instance;
		q.op = a->op;
		q.node = a->node;
		q.interval_ms = a->interval_ms;
		q.timeout_ms = a->timeout_ms ? a->timeout_ms : 20000u;
		q.expected_rc = a->expected_rc;
		if (dispatch(r, &q, now_ms) > 0) {
			sent++;
			load++;
			if (a->kind != HAM_ACTION_PROBE && a->kind != HAM_ACTION_MONITOR)
				note_reaction(r, a->op);
		}
		/* Only one action per resource at a time (per primitive on a node). */
		if (a->kind != HAM_ACTION_PROBE)
			for (j = 0; j < n; j++) {
				const struct ham_action *b = ham_transition_action(t, j);

				if (ham_streq(b->instance, a->instance) ||
				    (ham_streq(b->rsc, a->rsc) && ham_streq(b->node, a->node)))
					g.held[j] = true;
			}
	}
	/* Only the first computation after a change is timed: one that needed no
	 * recovery action is not timed by a later, unrelated one. */
	if (hnode_membership_changed_ms(r->node) > r->reported_change_ms)
		r->reported_change_ms = hnode_membership_changed_ms(r->node);
	if (n > 0 && ham_log_verbosity() >= 2) { /* after the dispatch: not on its path */
		ham_buf dot = HAM_BUF_INIT;

		ham_transition_dot(t, &dot);
		qb_log(LOG_DEBUG, "Transition %llu graph:\n%s", (unsigned long long)r->transition_id,
		       ham_buf_str(&dot));
		ham_buf_free(&dot);
	}
	ret = sent;
out:
	/* Decisions, warnings and failures can be replayed (hactl simulate). */
	if (r->ops.save_input && (ret < 0 || n > 0)) {
		const char *saved = r->ops.save_input(r->ud, ret < 0 ? 2 : warned ? 1 : 0);

		if (saved)
			qb_log(LOG_NOTICE, "event=pe-input transition=%llu input=%s",
			       (unsigned long long)r->transition_id, saved);
	}
	cibdoc_pending_free(pend, n_pend);
	cibdoc_prims_free(prims, n_prims);
	graph_free(&g);
	ham_transition_free(t);
	ham_policy_input_free(in);
	free(err);
	return ret;
}

static void learn_limit(hrunner *r, uint32_t nodeid, uint32_t limit)
{
	size_t i;

	if (limit == 0)
		return;
	for (i = 0; i < r->n_limits; i++)
		if (r->limits[i].nodeid == nodeid) {
			r->limits[i].limit = limit;
			return;
		}
	r->limits = ham_reallocarray(r->limits, r->n_limits + 1, sizeof(*r->limits));
	r->limits[r->n_limits].nodeid = nodeid;
	r->limits[r->n_limits++].limit = limit;
}

void hrunner_result(hrunner *r, const struct hop_result *res)
{
	hrunner_result_at(r, res, ham_now_mono_ms());
}

void hrunner_result_at(hrunner *r, const struct hop_result *res, uint64_t now_ms)
{
	size_t i;

	learn_limit(r, res->nodeid, res->action_limit);
	for (i = 0; i < r->n_fl; i++) {
		struct inflight *f = &r->fl[i];

		if (!(f->action_id == res->action_id && res->action_id != 0 &&
		      f->target == res->nodeid) &&
		    !(f->target == res->nodeid && ham_streq(f->rsc, res->rsc) &&
		      ham_streq(f->op, res->op) && f->interval_ms == res->interval_ms))
			continue;
		if (res->op_status == HAM_CIB_OP_PENDING) {
			/* It began there: the deadline counts from now. */
			f->acked = true;
			f->deadline_ms = now_ms + f->timeout_ms + r->cluster_delay_ms;
			return;
		}
		qb_log(LOG_NOTICE, "event=action-result t_ms=%llu transition=%llu action=%llu rsc=%s "
		       "op=%s node=%s rc=%d status=%d", (unsigned long long)now_real_ms(),
		       (unsigned long long)f->transition_id, (unsigned long long)f->action_id,
		       f->rsc, f->op, f->node, res->rc, res->op_status);
		if (f->fence_target) {
			if (res->rc == 0 && res->op_status == HAM_CIB_OP_DONE) {
				struct fencing *fs = fence_state(r, f->fence_target, false);

				qb_log(LOG_NOTICE, "event=fenced t_ms=%llu target=%s device=%s",
				       (unsigned long long)now_real_ms(), f->fence_target, f->rsc);
				if (fs)
					fence_forget(r, (size_t)(fs - r->fence));
			} else {
				fence_failed(r, f->fence_target, f->rsc, res->exit_reason);
			}
		}
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
		if (!f->acked && f->fence_target == NULL) {
			/* Never began there as far as anyone knows: nothing is recorded
			 * (the node's own timeout is honest; a request lost on the
			 * way is simply asked again). */
			qb_log(LOG_WARNING, "event=action-unacknowledged t_ms=%llu action=%llu rsc=%s "
			       "op=%s node=%s", (unsigned long long)now_real_ms(),
			       (unsigned long long)f->action_id, f->rsc, f->op, f->node);
			inflight_remove(r, i);
			continue;
		}
		f->template.rc = 1;
		f->template.op_status = HAM_CIB_OP_TIMEOUT;
		f->template.call_id = 0; /* -1 would read as still pending */
		f->template.last_run_s = f->template.last_rc_change_s = (int64_t)time(NULL);
		free(f->template.exit_reason);
		f->template.exit_reason = ham_strdup("no result from the node in time");
		qb_log(LOG_WARNING, "event=action-timeout t_ms=%llu action=%llu rsc=%s op=%s node=%s",
		       (unsigned long long)now_real_ms(), (unsigned long long)f->action_id, f->rsc,
		       f->op, f->node);
		if (f->fence_target)
			fence_failed(r, f->fence_target, f->rsc, "no result in time");
		r->ops.send_result(r->ud, &f->template);
		inflight_remove(r, i);
		n++;
	}
	return n;
}
