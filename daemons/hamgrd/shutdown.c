/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/shutdown.c: the leave protocol (see shutdown.h): the
 * request's payload, the "nothing active" test on a node's status, the
 * order of a node's own stops, and the leaving node's state machine.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/ocf.h>
#include <hamgr/policy.h>
#include <hamgr/xml.h>
#include "runner.h"
#include "shutdown.h"

/* ---- payload --------------------------------------------------------- */

void hshutdown_request_encode(const struct hshutdown_request *q, char **ret_buf,
			      size_t *ret_len)
{
	ham_buf b = HAM_BUF_INIT;
	size_t i;

	ham_buf_addf(&b, "time=%" PRId64, q->time_s);
	ham_buf_addc(&b, '\0');
	for (i = 0; i < q->n_nodes; i++) {
		ham_buf_addf(&b, "node=%" PRIu32, q->nodes[i]);
		ham_buf_addc(&b, '\0');
	}
	*ret_len = b.len;
	*ret_buf = ham_buf_steal(&b);
}

void hshutdown_request_clear(struct hshutdown_request *q)
{
	free(q->nodes);
	memset(q, 0, sizeof(*q));
}

int hshutdown_request_decode(const void *buf, size_t len, struct hshutdown_request *ret,
			     const char **ret_why)
{
	const char *p = buf, *end = p + len;
	bool have_time = false;
	const char *why = NULL;

	memset(ret, 0, sizeof(*ret));
	if (len == 0 || p[len - 1] != '\0') {
		why = "the payload does not end with a NUL byte";
		goto fail;
	}
	while (p < end) {
		size_t l = strlen(p);
		uint32_t id;
		size_t i;

		if (strncmp(p, "time=", 5) == 0) {
			if (have_time || ham_parse_int64(p + 5, &ret->time_s) < 0 || ret->time_s < 0) {
				why = "time is repeated or not a number of seconds";
				goto fail;
			}
			have_time = true;
		} else if (strncmp(p, "node=", 5) == 0) {
			if (ham_parse_uint32(p + 5, &id) < 0 || id == 0) {
				why = "a node id is not a positive number";
				goto fail;
			}
			for (i = 0; i < ret->n_nodes; i++)
				if (ret->nodes[i] == id) {
					why = "a node is named twice";
					goto fail;
				}
			if (ret->n_nodes >= HSHUTDOWN_MAX_NODES) {
				why = "too many nodes";
				goto fail;
			}
			ret->nodes = ham_reallocarray(ret->nodes, ret->n_nodes + 1, sizeof(uint32_t));
			ret->nodes[ret->n_nodes++] = id;
		} else {
			why = "an entry is neither time= nor node=";
			goto fail;
		}
		p += l + 1;
	}
	if (!have_time || ret->n_nodes == 0) {
		why = "time or node is missing";
		goto fail;
	}
	return 0;
fail:
	hshutdown_request_clear(ret);
	if (ret_why)
		*ret_why = why;
	return -HAM_E_PROTOCOL;
}

/* ---- status ---------------------------------------------------------- */

bool hshutdown_node_idle(const cibdoc *d, uint32_t id, char **ret_rsc)
{
	char ids[16];

	snprintf(ids, sizeof(ids), "%" PRIu32, id);
	return ham_cib_doc_node_idle(d, ids, ret_rsc);
}

/* ---- the node's own stops -------------------------------------------- */

static void action_from(struct hop_action *h, const struct ham_action *a, uint32_t id)
{
	size_t i;

	memset(h, 0, sizeof(*h));
	h->target = id;
	h->rsc = ham_strdup(a->rsc);
	h->cls = ham_strdup(a->cls);
	h->provider = ham_strdup(a->provider);
	h->type = ham_strdup(a->type);
	h->op = ham_strdup("stop");
	h->timeout_ms = a->timeout_ms ? a->timeout_ms : 20000u;
	h->n_params = a->n_params;
	h->params = ham_newa0(struct hop_param, a->n_params ? a->n_params : 1);
	for (i = 0; i < a->n_params; i++) {
		h->params[i].name = ham_strdup(a->params[i].name);
		h->params[i].value = ham_strdup(a->params[i].value);
	}
}

int hshutdown_stop_plan(const cibdoc *d, uint32_t id, const char *node,
			struct hop_action **ret, size_t *ret_n, char **ret_err)
{
	struct ham_policy_options popts = { .now_s = (int64_t)time(NULL) };
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	cibdoc *copy = cibdoc_copy(d);
	struct hop_action *out = NULL;
	size_t *indeg = NULL, *queue = NULL, n, ne, i, a, b, head = 0, tail = 0, k = 0;
	char ids[16], dc[16];
	int r;

	*ret_err = NULL;
	snprintf(ids, sizeof(ids), "%" PRIu32, id);
	snprintf(dc, sizeof(dc), "%" PRIu32, id);
	/* The engine plans the node's stops as the DC would for its shutdown;
	 * quorum is assumed so that no-quorum-policy does not hide them. */
	cibdoc_set_transient_attr(copy, ids, node, HSHUTDOWN_ATTR, "1");
	r = hrunner_policy_input(copy, true, dc, &in, ret_err, NULL);
	if (r < 0)
		goto out;
	r = ham_policy_compute(in, &popts, &t);
	if (r < 0) {
		*ret_err = ham_asprintf("cannot compute the stops: %s", ham_strerror(r));
		goto out;
	}
	n = ham_transition_typed_count(t);
	ne = ham_transition_typed_edge_count(t);
	indeg = ham_newa0(size_t, n ? n : 1);
	queue = ham_newa0(size_t, n ? n : 1);
	out = ham_newa0(struct hop_action, n ? n : 1);
	for (i = 0; ham_transition_edge(t, i, &a, &b) == 0; i++)
		indeg[b]++;
	/* Kahn's algorithm over the whole graph: a path through other actions
	 * (a stop elsewhere, a pseudo action) orders our stops too. */
	for (i = 0; i < n; i++)
		if (indeg[i] == 0)
			queue[tail++] = i;
	while (head < tail) {
		const struct ham_action *x = ham_transition_action(t, queue[head]);
		size_t cur = queue[head++];

		if (x->kind == HAM_ACTION_STOP && !x->pseudo && x->runnable && x->rsc && x->cls &&
		    x->type && ham_streq(x->node, node))
			action_from(&out[k++], x, id);
		for (i = 0; i < ne && ham_transition_edge(t, i, &a, &b) == 0; i++)
			if (a == cur && --indeg[b] == 0)
				queue[tail++] = b;
	}
	if (tail < n) {
		*ret_err = ham_strdup("the engine's stops are ordered in a cycle");
		r = -ELOOP;
		goto out;
	}
	*ret = out;
	*ret_n = k;
	out = NULL;
	k = 0;
	r = 0;
out:
	for (i = 0; i < k; i++)
		hop_action_clear(&out[i]);
	free(out);
	free(indeg);
	free(queue);
	ham_transition_free(t);
	ham_policy_input_free(in);
	cibdoc_free(copy);
	return r;
}

/* ---- the leaving node ------------------------------------------------- */

struct hshutdown {
	hnode *node;
	struct hshutdown_ops ops;
	void *ud;
	int64_t start_s;
	enum hshutdown_state state;
	bool permitted;          /* the DC's shutdown action came */
	uint64_t deadline_ms;    /* shutdown-escalation; 0 none */
	struct hop_action *plan; /* LOCAL: our stops in order */
	size_t n_plan, next;
	bool dispatched;         /* plan[next] was given to the executor */
	bool failed;             /* a stop failed: leave unclean */
};

hshutdown *hshutdown_new(hnode *n, const struct hshutdown_ops *ops, void *ud, int64_t start_s)
{
	hshutdown *s = ham_new0(hshutdown);

	s->node = n;
	s->ops = *ops;
	s->ud = ud;
	s->start_s = start_s;
	return s;
}

static void plan_free(hshutdown *s)
{
	size_t i;

	for (i = 0; i < s->n_plan; i++)
		hop_action_clear(&s->plan[i]);
	free(s->plan);
	s->plan = NULL;
	s->n_plan = s->next = 0;
}

hshutdown *hshutdown_free(hshutdown *s)
{
	if (s == NULL)
		return NULL;
	plan_free(s);
	free(s);
	return NULL;
}

enum hshutdown_state hshutdown_state(const hshutdown *s) { return s->state; }

uint64_t hshutdown_next_wakeup(const hshutdown *s)
{
	return s->state == HSHUTDOWN_ASKED ? s->deadline_ms : 0;
}

bool hshutdown_is_action(const struct hop_action *a)
{
	return ham_streq(a->cls, HSHUTDOWN_ACTION_CLASS) && ham_streq(a->op, HSHUTDOWN_ACTION_OP);
}

static uint64_t escalation_ms(hshutdown *s)
{
	char *v = cibdoc_property(hnode_cib(s->node), HSHUTDOWN_ESCALATION_PROP);
	uint64_t ms = HSHUTDOWN_ESCALATION_DEFAULT_MS;

	if (v && ham_parse_duration_ms(v, &ms) < 0) {
		qb_log(LOG_WARNING, "Ignored %s '%s': not a duration; using 20min",
		       HSHUTDOWN_ESCALATION_PROP, v);
		ms = HSHUTDOWN_ESCALATION_DEFAULT_MS;
	}
	free(v);
	return ms;
}

static void leave(hshutdown *s, bool clean, const char *why)
{
	if (s->state == HSHUTDOWN_LEFT)
		return;
	s->state = HSHUTDOWN_LEFT;
	if (clean)
		qb_log(LOG_NOTICE, "event=shutdown-leave clean=1 why=%s: nothing is active here", why);
	else
		qb_log(LOG_CRIT, "event=shutdown-leave clean=0 why=%s: leaving with resources still "
		       "active here; peers keep this node unclean (fenced when fencing is on)", why);
	s->ops.leave(s->ud, clean);
}

static void enter(hshutdown *s, uint64_t now_ms)
{
	s->state = HSHUTDOWN_ASKED;
	s->deadline_ms = now_ms + escalation_ms(s);
	if (s->deadline_ms == now_ms)
		s->deadline_ms = now_ms + 1; /* 0 means none */
}

void hshutdown_begin(hshutdown *s, uint64_t now_ms, int64_t now_s, const char *why)
{
	uint32_t me = hnode_local_id(s->node);
	struct hshutdown_request q = { .time_s = now_s, .nodes = &me, .n_nodes = 1 };
	char *buf;
	size_t len;
	int r;

	if (s->state != HSHUTDOWN_NONE) {
		qb_log(LOG_WARNING, "event=shutdown-again why=%s: already leaving; still waiting "
		       "(SIGKILL stops at once and leaves this node unclean)", why);
		return;
	}
	if (me == 0 || !hnode_joined(s->node)) {
		s->state = HSHUTDOWN_ASKED;
		leave(s, true, "not in the cluster");
		return;
	}
	enter(s, now_ms);
	hshutdown_request_encode(&q, &buf, &len);
	r = s->ops.send_leaving(s->ud, buf, len);
	free(buf);
	qb_log(LOG_NOTICE, "event=shutdown-begin why=%s escalation_ms=%llu: asking the cluster to "
	       "move or stop our resources%s%s", why,
	       (unsigned long long)(s->deadline_ms - now_ms), r < 0 ? "; cannot send: " : "",
	       r < 0 ? ham_strerror(r) : "");
	hshutdown_step(s, now_ms);
}

void hshutdown_permit(hshutdown *s, const struct hop_action *a)
{
	qb_log(LOG_NOTICE, "event=shutdown-permitted action=%llu transition=%llu dc=%s",
	       (unsigned long long)a->action_id, (unsigned long long)a->transition_id,
	       a->dc_uuid ? a->dc_uuid : "?");
	if (s->state == HSHUTDOWN_NONE)
		qb_log(LOG_WARNING, "The DC asks this node to shut down without a request: ignored");
	else
		s->permitted = true;
}

static void go_local(hshutdown *s, const char *why)
{
	char *err = NULL;
	uint32_t me = hnode_local_id(s->node);
	int r;

	s->state = HSHUTDOWN_LOCAL;
	r = hshutdown_stop_plan(hnode_cib(s->node), me, hnode_node_name(s->node, me), &s->plan,
				&s->n_plan, &err);
	if (r < 0) {
		qb_log(LOG_ERR, "Cannot order our own stops: %s", err ? err : ham_strerror(r));
		s->failed = true;
	}
	free(err);
	qb_log(LOG_WARNING, "event=shutdown-local why=%s stops=%zu: stopping our own resources here",
	       why, s->n_plan);
}

/* One stop after the other, each once its predecessor's result is in. */
static void step_local(hshutdown *s)
{
	const cibdoc *d = hnode_cib(s->node);
	char *active = NULL, me[16];

	snprintf(me, sizeof(me), "%" PRIu32, hnode_local_id(s->node));
	while (!s->failed && s->next < s->n_plan) {
		const struct hop_action *a = &s->plan[s->next];
		struct ham_cib_last_op op;

		if (ham_cib_doc_last_op(d, me, a->rsc, &op) && ham_streq(op.operation, "stop") &&
		    op.op_status != HAM_CIB_OP_PENDING) {
			if (op.rc_code == HAM_OCF_OK && op.op_status == HAM_CIB_OP_DONE) {
				qb_log(LOG_NOTICE, "event=shutdown-stopped rsc=%s", a->rsc);
				s->next++;
				s->dispatched = false;
				continue;
			}
			if (s->dispatched) {
				qb_log(LOG_ERR, "event=shutdown-stop-failed rsc=%s rc=%d status=%d",
				       a->rsc, op.rc_code, op.op_status);
				s->failed = true;
				break;
			}
		}
		if (s->dispatched)
			return; /* its result is not in yet */
		s->dispatched = true;
		qb_log(LOG_NOTICE, "event=shutdown-stop rsc=%s (%zu of %zu)", a->rsc, s->next + 1,
		       s->n_plan);
		s->ops.run_local(s->ud, a);
		return;
	}
	if (s->ops.busy(s->ud) > 0 && !s->failed)
		return;
	if (ham_cib_doc_node_idle(d, me, &active)) {
		leave(s, !s->failed, "stopped here");
	} else {
		qb_log(LOG_ERR, "event=shutdown-still-active rsc=%s", active);
		leave(s, false, s->failed ? "a stop failed" : "still active after our stops");
	}
	free(active);
}

void hshutdown_step(hshutdown *s, uint64_t now_ms)
{
	const cibdoc *d = hnode_cib(s->node);
	uint32_t me = hnode_local_id(s->node);
	const char *why = NULL;
	char ids[16];

	if (me == 0)
		return;
	snprintf(ids, sizeof(ids), "%" PRIu32, me);
	if (s->state == HSHUTDOWN_NONE) {
		const char *v = cibdoc_get_transient_attr(d, ids, HSHUTDOWN_ATTR);
		int64_t when;

		/* Someone asked us to leave (hactl node stop / cluster stop). A
		 * value older than this process is a stale copy, not a request. */
		if (v == NULL || !hnode_joined(s->node) || hnode_syncing(s->node) ||
		    ham_parse_int64(v, &when) < 0 || when < s->start_s)
			return;
		qb_log(LOG_NOTICE, "event=shutdown-begin why=requested time=%s: the cluster asks "
		       "this node to leave", v);
		enter(s, now_ms);
	}
	if (s->state == HSHUTDOWN_LOCAL) {
		step_local(s);
		return;
	}
	if (s->state != HSHUTDOWN_ASKED)
		return;
	if (!hnode_joined(s->node) || hnode_dc(s->node) == 0)
		why = "no DC";
	else if (!hnode_quorate(s->node))
		why = "no quorum";
	else if (hnode_member_count(s->node) == 1)
		why = "alone";
	else if (s->deadline_ms && now_ms >= s->deadline_ms)
		why = "shutdown-escalation";
	if (why) {
		if (ham_streq(why, "shutdown-escalation"))
			qb_log(LOG_WARNING, "event=shutdown-escalation: the DC did not let this node "
			       "go within %s; stopping our own resources", HSHUTDOWN_ESCALATION_PROP);
		go_local(s, why);
		step_local(s);
		return;
	}
	if (s->permitted && s->ops.busy(s->ud) == 0 && hshutdown_node_idle(d, me, NULL))
		leave(s, true, "permitted by the DC");
}
