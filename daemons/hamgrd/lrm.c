/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/lrm.c: runs the DC's action requests on this node (see
 * lrm.h) and reports their results.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hamgr/common.h>
#include "lrm.h"

struct running {
	struct running *next;
	struct hlrm *l;
	struct hop_action a;
	int64_t started_s;
	bool reported;  /* recurring: a result was sent */
	bool slot;      /* holds one of node-action-limit's slots */
	int last_rc, last_status;
};

/* A request waiting for a slot. */
struct waiting {
	struct waiting *next;
	struct hop_action a;
};

struct hlrm {
	hnode *node;
	ham_exec *exec;
	struct running *run;
	char **fence_devices; /* registered ("started") here */
	size_t n_fence;
	int64_t call_id;
	struct waiting *wait_head, *wait_tail;
	unsigned busy;    /* slots in use */
	bool reconciled;  /* our stale pending records were resolved */
};

static void start_action(struct hlrm *l, const struct hop_action *a);

static uint64_t now_real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct hlrm *hlrm_new(qb_loop_t *loop, hnode *n, const struct ham_exec_options *opts)
{
	struct hlrm *l = ham_new0(struct hlrm);

	struct ham_exec_options eo = { 0 };

	if (opts)
		eo = *opts;
	/* node-action-limit is kept here (it may change with the CIB); the
	 * executor only bounds what recurring monitors add on top. */
	if (eo.max_concurrent == 0)
		eo.max_concurrent = 256;
	l->node = n;
	l->exec = ham_exec_new(loop, &eo);
	if (l->exec == NULL) {
		qb_log(LOG_ERR, "Cannot create the agent executor");
		free(l);
		return NULL;
	}
	return l;
}

struct hlrm *hlrm_free(struct hlrm *l)
{
	size_t i;

	if (l == NULL)
		return NULL;
	l->exec = ham_exec_free(l->exec);
	while (l->wait_head) {
		struct waiting *w = l->wait_head;

		l->wait_head = w->next;
		hop_action_clear(&w->a);
		free(w);
	}
	while (l->run) {
		struct running *r = l->run;

		l->run = r->next;
		hop_action_clear(&r->a);
		free(r);
	}
	for (i = 0; i < l->n_fence; i++)
		free(l->fence_devices[i]);
	free(l->fence_devices);
	free(l);
	return NULL;
}

unsigned hlrm_running(const struct hlrm *l)
{
	const struct running *r;
	unsigned n = 0;

	for (r = l->run; r; r = r->next)
		n++;
	return n;
}

unsigned hlrm_action_limit(const hnode *n)
{
	char *v = cibdoc_property(hnode_cib(n), "node-action-limit");
	uint32_t lim = 0;
	long cpus;

	if (v && (ham_parse_uint32(v, &lim) < 0 || lim == 0))
		lim = 0;
	free(v);
	if (lim > 0)
		return lim;
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	return cpus > 0 ? 2u * (unsigned)cpus : 2u;
}

static void report(struct hlrm *l, const struct hop_action *a, int rc, int op_status,
		   const char *reason, int64_t started_s, uint64_t exec_ms)
{
	uint32_t me = hnode_local_id(l->node);
	struct hop_result r = { 0 };
	int ret;

	r.nodeid = me;
	r.node = (char *)hnode_node_name(l->node, me);
	r.rsc = a->rsc;
	r.cls = a->cls;
	r.provider = a->provider;
	r.type = a->type;
	r.op = a->op;
	r.interval_ms = a->interval_ms;
	r.call_id = ++l->call_id;
	r.rc = rc;
	r.op_status = op_status;
	r.expected_rc = a->expected_rc;
	r.action_id = a->action_id;
	r.transition_id = a->transition_id;
	r.last_run_s = started_s;
	r.last_rc_change_s = (int64_t)time(NULL);
	r.exec_ms = exec_ms;
	r.exit_reason = (char *)reason;
	r.fence_target = a->fence_target;
	r.dc_uuid = a->dc_uuid;
	r.action_limit = hlrm_action_limit(l->node);
	if (op_status == HAM_CIB_OP_PENDING) {
		r.call_id = -1;
		r.last_rc_change_s = started_s;
		qb_log(LOG_INFO, "event=action-begun t_ms=%llu action=%llu rsc=%s op=%s",
		       (unsigned long long)now_real_ms(), (unsigned long long)a->action_id, a->rsc,
		       a->op);
		ret = hnode_send_result(l->node, &r);
		if (ret < 0)
			qb_log(LOG_ERR, "Cannot report %s %s as begun: %s", a->rsc, a->op,
			       ham_strerror(ret));
		return;
	}
	qb_log(LOG_NOTICE, "event=action-done t_ms=%llu action=%llu rsc=%s op=%s rc=%d status=%d "
	       "exec_ms=%llu%s%s", (unsigned long long)now_real_ms(),
	       (unsigned long long)a->action_id, a->rsc, a->op, rc, op_status,
	       (unsigned long long)exec_ms, reason ? " reason=" : "", reason ? reason : "");
	ret = hnode_send_result(l->node, &r);
	if (ret < 0)
		qb_log(LOG_ERR, "Cannot report %s %s: %s", a->rsc, a->op, ham_strerror(ret));
}

static int op_status_of(enum ham_exec_status s)
{
	switch (s) {
	case HAM_EXEC_DONE: return HAM_CIB_OP_DONE;
	case HAM_EXEC_TIMEOUT: return HAM_CIB_OP_TIMEOUT;
	case HAM_EXEC_NOT_INSTALLED: return HAM_CIB_OP_NOT_INSTALLED;
	case HAM_EXEC_INVALID: return HAM_CIB_OP_INVALID;
	case HAM_EXEC_CANCELLED: return HAM_CIB_OP_CANCELLED;
	default: return HAM_CIB_OP_ERROR;
	}
}

static void release_slot(struct hlrm *l, struct running *r);

static void unlink_running(struct hlrm *l, struct running *r)
{
	struct running **pp;

	if (r->slot) { /* a cancelled monitor that had not reported yet */
		r->slot = false;
		l->busy--;
	}
	for (pp = &l->run; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	hop_action_clear(&r->a);
	free(r);
}

/* A slot is free again: the next waiting request begins. */
static void release_slot(struct hlrm *l, struct running *r)
{
	if (!r->slot)
		return;
	r->slot = false;
	l->busy--;
	while (l->wait_head && l->busy < hlrm_action_limit(l->node)) {
		struct waiting *w = l->wait_head;

		l->wait_head = w->next;
		if (l->wait_head == NULL)
			l->wait_tail = NULL;
		start_action(l, &w->a);
		hop_action_clear(&w->a);
		free(w);
	}
}

static void done(ham_exec_op *op, const ham_exec_result *res, void *user)
{
	struct running *r = user, **pp;
	struct hlrm *l = r->l;
	int st = op_status_of(res->status);

	if (r->a.interval_ms > 0) {
		/* A recurring monitor lives on: report its first run and changes. */
		if (!r->reported || res->rc != r->last_rc || st != r->last_status)
			report(l, &r->a, res->rc, st,
			       res->exit_reason ? res->exit_reason : res->detail,
			       (int64_t)time(NULL), res->duration_ms);
		r->reported = true;
		r->last_rc = res->rc;
		r->last_status = st;
		release_slot(l, r);
		return;
	}
	report(l, &r->a, res->rc, st, res->exit_reason ? res->exit_reason : res->detail,
	       r->started_s, res->duration_ms);
	release_slot(l, r);
	for (pp = &l->run; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			break;
		}
	hop_action_clear(&r->a);
	free(r);
}

static bool registered(const struct hlrm *l, const char *dev)
{
	size_t i;

	for (i = 0; i < l->n_fence; i++)
		if (strcmp(l->fence_devices[i], dev) == 0)
			return true;
	return false;
}

/* Fence devices: start/stop register them here; a probe says whether they are. */
static bool fence_device_op(struct hlrm *l, const struct hop_action *a)
{
	int64_t now = (int64_t)time(NULL);
	size_t i;

	if (a->fence_target != NULL)
		return false;
	if (strcmp(a->op, "start") == 0) {
		if (!registered(l, a->rsc)) {
			l->fence_devices = ham_reallocarray(l->fence_devices, l->n_fence + 1,
							    sizeof(char *));
			l->fence_devices[l->n_fence++] = ham_strdup(a->rsc);
		}
		report(l, a, 0, HAM_CIB_OP_DONE, NULL, now, 0);
		return true;
	}
	if (strcmp(a->op, "stop") == 0) {
		for (i = 0; i < l->n_fence; i++)
			if (strcmp(l->fence_devices[i], a->rsc) == 0) {
				free(l->fence_devices[i]);
				l->fence_devices[i] = l->fence_devices[--l->n_fence];
				break;
			}
		report(l, a, 0, HAM_CIB_OP_DONE, NULL, now, 0);
		return true;
	}
	if (strcmp(a->op, "monitor") == 0 && a->interval_ms == 0) {
		report(l, a, registered(l, a->rsc) ? 0 : 7, HAM_CIB_OP_DONE, NULL, now, 0);
		return true;
	}
	return false;
}

/* Whether the request takes a slot of node-action-limit (fencing never waits). */
static bool takes_slot(const struct hop_action *a)
{
	return a->fence_target == NULL && !ham_streq(a->cls, "stonith");
}

void hlrm_action(struct hlrm *l, const struct hop_action *a)
{
	struct running *r;
	struct waiting *w;

	for (w = l->wait_head; w; w = w->next)
		if (ham_streq(w->a.rsc, a->rsc) && ham_streq(w->a.op, a->op) &&
		    w->a.interval_ms == a->interval_ms) {
			qb_log(LOG_INFO, "%s %s is already waiting here (action %llu): not again",
			       a->rsc, a->op, (unsigned long long)w->a.action_id);
			return;
		}
	for (r = l->run; r; r = r->next)
		if (ham_streq(r->a.rsc, a->rsc) && ham_streq(r->a.op, a->op) &&
		    r->a.interval_ms == a->interval_ms && ham_streq(r->a.fence_target, a->fence_target)) {
			qb_log(LOG_INFO, "%s %s is already running here (action %llu): not again",
			       a->rsc, a->op, (unsigned long long)r->a.action_id);
			/* A recurring monitor asked for again (its history was cleaned
			 * up): answer with its last result so that the history has it;
			 * a failure is not repeated (it would be counted twice). */
			if (r->a.interval_ms > 0 && r->reported && r->last_status == HAM_CIB_OP_DONE &&
			    (r->last_rc == 0 || r->last_rc == 8))
				report(l, a, r->last_rc, r->last_status, NULL, (int64_t)time(NULL), 0);
			return;
		}
	if (takes_slot(a) && l->busy >= hlrm_action_limit(l->node)) {
		w = ham_new0(struct waiting);
		hop_action_copy(&w->a, a);
		if (l->wait_tail)
			l->wait_tail->next = w;
		else
			l->wait_head = w;
		l->wait_tail = w;
		qb_log(LOG_INFO, "%s %s waits: %u of %u actions run here", a->rsc, a->op, l->busy,
		       hlrm_action_limit(l->node));
		return;
	}
	start_action(l, a);
}

static void start_action(struct hlrm *l, const struct hop_action *a)
{
	ham_exec_request req = { 0 };
	ham_exec_param *params;
	struct running *r;
	size_t i;
	int ret;

	qb_log(LOG_NOTICE, "event=action-received t_ms=%llu action=%llu rsc=%s op=%s%s%s",
	       (unsigned long long)now_real_ms(), (unsigned long long)a->action_id, a->rsc, a->op,
	       a->fence_target ? " target=" : "", a->fence_target ? a->fence_target : "");
	req.agent.cls = ham_agent_class_from_str(a->cls);
	if (req.agent.cls == HAM_AGENT_CLASS_INVALID) {
		report(l, a, HAM_OCF_ERR_CONFIGURED, HAM_CIB_OP_INVALID, "unknown resource class",
		       (int64_t)time(NULL), 0);
		return;
	}
	if (req.agent.cls == HAM_AGENT_STONITH && fence_device_op(l, a))
		return;
	if (strcmp(a->op, "stop") == 0) {
		/* lib/exec cancels the resource's recurring monitors (no callback
		 * follows): forget them here too. */
		struct running *next;

		for (r = l->run; r; r = next) {
			next = r->next;
			if (r->a.interval_ms > 0 && ham_streq(r->a.rsc, a->rsc))
				unlink_running(l, r);
		}
	}
	req.agent.provider = req.agent.cls == HAM_AGENT_OCF ? a->provider : NULL;
	req.agent.type = a->type;
	req.action = a->op;
	req.rsc_id = a->rsc;
	req.timeout_ms = a->timeout_ms;
	req.interval_ms = a->interval_ms;
	req.target = a->fence_target;
	params = ham_newa0(ham_exec_param, a->n_params ? a->n_params : 1);
	for (i = 0; i < a->n_params; i++) {
		params[i].name = a->params[i].name;
		params[i].value = a->params[i].value;
	}
	req.params = params;
	req.n_params = a->n_params;
	r = ham_new0(struct running);
	r->l = l;
	hop_action_copy(&r->a, a);
	r->started_s = (int64_t)time(NULL);
	ret = ham_exec_submit(l->exec, &req, done, r, NULL);
	free(params);
	if (ret < 0) {
		report(l, a, HAM_OCF_ERR_CONFIGURED, HAM_CIB_OP_INVALID, ham_strerror(ret),
		       r->started_s, 0);
		hop_action_clear(&r->a);
		free(r);
		return;
	}
	r->next = l->run;
	l->run = r;
	if (takes_slot(a)) {
		r->slot = true;
		l->busy++;
	}
	/* Begun: the pending record is the DC's acknowledgement (its deadline
	 * counts from it) and tells a new DC what is in flight. */
	if (hop_op_records_pending(a->op, a->interval_ms))
		report(l, a, 193, HAM_CIB_OP_PENDING, NULL, r->started_s, 0);
}

/* Whether this process runs or waits on rsc's op. */
static bool have_op(const struct hlrm *l, const char *rsc, const char *op)
{
	const struct running *r;
	const struct waiting *w;

	for (r = l->run; r; r = r->next)
		if (ham_streq(r->a.rsc, rsc) && ham_streq(r->a.op, op) && r->a.interval_ms == 0)
			return true;
	for (w = l->wait_head; w; w = w->next)
		if (ham_streq(w->a.rsc, rsc) && ham_streq(w->a.op, op) && w->a.interval_ms == 0)
			return true;
	return false;
}

void hlrm_node_changed(struct hlrm *l)
{
	uint32_t me = hnode_local_id(l->node);
	struct cib_pending *p = NULL;
	size_t n = 0, i;

	if (l->reconciled || me == 0 || !hnode_joined(l->node) || hnode_syncing(l->node))
		return;
	l->reconciled = true;
	/* Our first copy of the cluster's CIB: a pending record of ours that no
	 * action of this process stands behind was begun by an earlier hamgrd
	 * here, whose outcome nobody will report: it failed (interrupted), so
	 * the engine stops it before anything else, and nothing waits on it. */
	cibdoc_pending_ops(hnode_cib(l->node), &p, &n);
	for (i = 0; i < n; i++) {
		struct hop_action a = { 0 };

		if (p[i].nodeid != me || have_op(l, p[i].rsc, p[i].op) || p[i].cls == NULL ||
		    p[i].type == NULL)
			continue;
		a.rsc = p[i].rsc;
		a.cls = p[i].cls;
		a.provider = p[i].provider;
		a.type = p[i].type;
		a.op = p[i].op;
		qb_log(LOG_WARNING, "%s %s was pending here when hamgrd stopped: recorded as failed",
		       p[i].rsc, p[i].op);
		report(l, &a, HAM_OCF_ERR_GENERIC, HAM_CIB_OP_ERROR,
		       "interrupted: hamgrd restarted while it ran", (int64_t)time(NULL), 0);
	}
	cibdoc_pending_free(p, n);
}

unsigned hlrm_busy(const struct hlrm *l)
{
	const struct running *r;
	unsigned n = 0;

	for (r = l->run; r; r = r->next)
		n += r->a.interval_ms == 0;
	return n;
}
