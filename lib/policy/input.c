/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/policy: the working model's containers (arrays and id indexes) and the
 * unpacking of one resource's operation history on one node into its state
 * there (role, failure, on-fail), following "Pacemaker Explained".
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hamgr/cib.h>
#include <hamgr/ocf.h>

#include "model.h"

#define GROW(arr, n, cap)                                                  \
	do {                                                               \
		if ((n) == (cap)) {                                        \
			(cap) = (cap) ? (cap) * 2 : 16;                     \
			(arr) = ham_reallocarray((arr), (cap), sizeof(*(arr))); \
		}                                                          \
	} while (0)

const char *pe_str(struct ham_policy_input *in, const char *s)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = ham_strdup(s);
	GROW(in->strs, in->nstrs, in->capstrs);
	in->strs[in->nstrs++] = d;
	return d;
}

void pe_attrs_set(struct ham_policy_input *in, struct pe_attrs *a,
		  const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		if (ham_streq(a->v[i].name, name)) {
			a->v[i].value = pe_str(in, value);
			return;
		}
	}
	GROW(a->v, a->n, a->cap);
	a->v[a->n].name = pe_str(in, name);
	a->v[a->n].value = pe_str(in, value);
	a->n++;
}

const char *pe_attrs_get(const struct pe_attrs *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (ham_streq(a->v[i].name, name))
			return a->v[i].value;
	return NULL;
}

static int map_find(qb_map_t *m, const char *key)
{
	void *v;

	if (m == NULL || key == NULL)
		return -1;
	v = qb_map_get(m, key);
	return v ? (int)((uintptr_t)v - 1) : -1;
}

int pe_node_find(const struct ham_policy_input *in, const char *uname)
{
	return map_find(in->node_by_uname, uname);
}

int pe_node_find_id(const struct ham_policy_input *in, const char *id)
{
	return map_find(in->node_by_id, id);
}

int pe_rsc_find(const struct ham_policy_input *in, const char *id)
{
	return map_find(in->rsc_by_id, id);
}

int pe_clone_find(const struct ham_policy_input *in, const char *id)
{
	size_t i, len = strcspn(id, ":");
	int ri = pe_rsc_find(in, id);

	if (ri >= 0 && in->rscs[ri].clone >= 0)
		return in->rscs[ri].clone;
	for (i = 0; i < in->nclones; i++)
		if (strncmp(in->clones[i].id, id, len) == 0 && in->clones[i].id[len] == '\0')
			return (int)i;
	return -1;
}

struct pe_clone_hist *pe_clone_hist_at(struct ham_policy_input *in, int k, int node,
				       bool add)
{
	struct pe_clone *set = &in->clones[in->clones[k].set];
	struct pe_clone_hist *h;
	size_t i;

	if (!add) {
		for (i = set->nhist; i > 0; i--)
			if (set->hist[i - 1].node == node && set->hist[i - 1].member == k)
				return &set->hist[i - 1];
		return NULL;
	}
	GROW(set->hist, set->nhist, set->caphist);
	h = &set->hist[set->nhist++];
	memset(h, 0, sizeof(*h));
	h->node = node;
	h->member = k;
	return h;
}

struct pe_node *pe_node_add(struct ham_policy_input *in, const char *id,
			    const char *uname)
{
	struct pe_node *n;

	GROW(in->nodes, in->nnodes, in->capnodes);
	n = &in->nodes[in->nnodes];
	memset(n, 0, sizeof(*n));
	n->id = pe_str(in, id);
	n->uname = pe_str(in, uname ? uname : id);
	in->nnodes++;
	if (qb_map_get(in->node_by_uname, n->uname) == NULL)
		qb_map_put(in->node_by_uname, n->uname, (void *)(uintptr_t)in->nnodes);
	if (n->id && qb_map_get(in->node_by_id, n->id) == NULL)
		qb_map_put(in->node_by_id, n->id, (void *)(uintptr_t)in->nnodes);
	return n;
}

struct pe_rsc *pe_rsc_add(struct ham_policy_input *in, const char *id)
{
	struct pe_rsc *r;

	GROW(in->rscs, in->nrscs, in->caprscs);
	r = &in->rscs[in->nrscs];
	memset(r, 0, sizeof(*r));
	r->id = pe_str(in, id);
	r->index = (int)in->nrscs;
	r->name = r->id;
	r->clone = -1;
	r->managed = true;
	r->target_role = PE_ROLE_STARTED;
	r->migration_threshold = HAM_SCORE_INFINITY;
	r->next = -1;
	in->nrscs++;
	qb_map_put(in->rsc_by_id, r->id, (void *)(uintptr_t)in->nrscs);
	return r;
}

struct pe_location *pe_location_add(struct ham_policy_input *in)
{
	GROW(in->locs, in->nlocs, in->caplocs);
	memset(&in->locs[in->nlocs], 0, sizeof(in->locs[0]));
	return &in->locs[in->nlocs++];
}

struct pe_colocation *pe_colocation_add(struct ham_policy_input *in)
{
	GROW(in->colocs, in->ncolocs, in->capcolocs);
	memset(&in->colocs[in->ncolocs], 0, sizeof(in->colocs[0]));
	in->colocs[in->ncolocs].with_clone = -1;
	return &in->colocs[in->ncolocs++];
}

struct pe_order *pe_order_add(struct ham_policy_input *in)
{
	GROW(in->orders, in->norders, in->caporders);
	memset(&in->orders[in->norders], 0, sizeof(in->orders[0]));
	in->orders[in->norders].first_clone = -1;
	return &in->orders[in->norders++];
}

void pe_input_finish(struct ham_policy_input *in)
{
	size_t i;

	for (i = 0; i < in->nrscs; i++) {
		struct pe_rsc *r = &in->rscs[i];

		if (r->st == NULL)
			r->st = ham_newa0(struct pe_rsc_state, in->nnodes ? in->nnodes : 1);
	}
}

static const char *const role_names[] = {
	[PE_ROLE_UNKNOWN] = "Unknown",
	[PE_ROLE_STOPPED] = "Stopped",
	[PE_ROLE_STARTED] = "Started",
	[PE_ROLE_UNPROMOTED] = "Unpromoted",
	[PE_ROLE_PROMOTED] = "Promoted",
};

enum pe_role pe_role_parse(const char *s)
{
	if (s == NULL)
		return PE_ROLE_UNKNOWN;
	if (ham_strcaseeq(s, "Stopped"))
		return PE_ROLE_STOPPED;
	if (ham_strcaseeq(s, "Started"))
		return PE_ROLE_STARTED;
	if (ham_strcaseeq(s, "Unpromoted") || ham_strcaseeq(s, "Slave"))
		return PE_ROLE_UNPROMOTED;
	if (ham_strcaseeq(s, "Promoted") || ham_strcaseeq(s, "Master"))
		return PE_ROLE_PROMOTED;
	return PE_ROLE_UNKNOWN;
}

const char *pe_role_name(enum pe_role r)
{
	return (unsigned)r < HAM_ARRAY_SIZE(role_names) ? role_names[r] : "Unknown";
}

enum pe_on_fail pe_on_fail_parse(const char *s)
{
	static const struct {
		const char *name;
		enum pe_on_fail v;
	} t[] = {
		{ "ignore", PE_FAIL_IGNORE }, { "block", PE_FAIL_BLOCK },
		{ "stop", PE_FAIL_STOP },     { "restart", PE_FAIL_RESTART },
		{ "fence", PE_FAIL_FENCE },   { "standby", PE_FAIL_STANDBY },
		{ "demote", PE_FAIL_DEMOTE },
	};
	size_t i;

	if (s == NULL)
		return PE_FAIL_DEFAULT;
	for (i = 0; i < HAM_ARRAY_SIZE(t); i++)
		if (ham_strcaseeq(s, t[i].name))
			return t[i].v;
	return PE_FAIL_DEFAULT;
}

/* ------------------------------------------------------------------ */
/* History                                                              */
/* ------------------------------------------------------------------ */


/*
 * Replay order of a resource's history on a node: completed operations by
 * call id (a "last_failure" record before the entry it copies). A pending
 * operation has no call id yet: it belongs where the transition that
 * scheduled it puts it, after the entries of earlier transitions of the same
 * DC (same graph series) and before those of later ones; when that cannot be
 * told (another series, the same transition, no key), it is the newest.
 */
static bool replayed_before(const struct pe_hist_op *x, const struct pe_hist_op *y)
{
	if (x->call_id >= 0 && y->call_id >= 0) {
		if (x->call_id != y->call_id)
			return x->call_id < y->call_id;
		return x->last_failure && !y->last_failure;
	}
	if (x->call_id >= 0 || y->call_id >= 0) {
		const struct pe_hist_op *pend = x->call_id < 0 ? x : y;
		const struct pe_hist_op *done = x->call_id < 0 ? y : x;
		bool pend_older = pend->has_trans && done->has_trans &&
				  pend->trans_uuid == done->trans_uuid &&
				  pend->trans_num >= 0 && done->trans_num >= 0 &&
				  pend->trans_num < done->trans_num;

		return pend == x ? pend_older : !pend_older;
	}
	return false; /* two pending ones: document order */
}

/* A stable insertion sort: histories are short, and replayed_before is not a
 * total order once pending entries mix with completed ones. */
static void sort_history(struct pe_hist_op *ops, size_t n)
{
	size_t i, j;

	for (i = 1; i < n; i++) {
		struct pe_hist_op cur = ops[i];

		for (j = i; j > 0 && replayed_before(&cur, &ops[j - 1]); j--)
			ops[j] = ops[j - 1];
		ops[j] = cur;
	}
}

static const struct pe_opcfg *find_opcfg(const struct pe_rsc *r, const char *name,
					 uint64_t interval_ms)
{
	size_t i;

	for (i = 0; i < r->nops; i++)
		if (ham_streq(r->ops[i].name, name) && r->ops[i].interval_ms == interval_ms)
			return &r->ops[i];
	return NULL;
}

static enum pe_on_fail effective_on_fail(const struct ham_policy_input *in,
					 const struct pe_rsc *r,
					 const struct pe_hist_op *op)
{
	const struct pe_opcfg *c = find_opcfg(r, op->op, op->interval_ms);
	enum pe_on_fail f = c ? c->on_fail : PE_FAIL_DEFAULT;
	const char *d;

	if (f == PE_FAIL_DEFAULT && op->interval_ms == 0 && ham_streq(op->op, "monitor"))
		c = find_opcfg(r, "monitor", 0);
	if (f == PE_FAIL_DEFAULT) {
		d = pe_attrs_get(&in->op_defaults, "on-fail");
		f = pe_on_fail_parse(d);
	}
	if (f == PE_FAIL_DEFAULT) {
		if (ham_streq(op->op, "stop"))
			f = in->stonith_enabled ? PE_FAIL_FENCE : PE_FAIL_BLOCK;
		else
			f = PE_FAIL_RESTART;
	}
	/* on-fail=fence without fencing cannot be honoured: block instead */
	if (f == PE_FAIL_FENCE && !in->stonith_enabled)
		f = PE_FAIL_BLOCK;
	if (f == PE_FAIL_DEMOTE && !ham_streq(op->op, "promote") &&
	    !(ham_streq(op->op, "monitor") && op->interval_ms > 0))
		f = PE_FAIL_RESTART;
	return f;
}

static bool failure_expired(const struct pe_rsc *r, const struct pe_hist_op *op,
			    int64_t now)
{
	int64_t timeout_s;

	if (r->failure_timeout_ms == 0 || op->last_rc_change <= 0 || now <= 0)
		return false;
	timeout_s = (int64_t)((r->failure_timeout_ms + 999) / 1000);
	return now > op->last_rc_change + timeout_s;
}

/* The executor's "done" and "error" leave the verdict to the agent's rc,
 * judged against what was expected; its other statuses stand as reported. */
static bool judged_by_rc(int status)
{
	return status == HAM_CIB_OP_DONE || status == HAM_CIB_OP_ERROR;
}

/*
 * What one history entry means: HAM_CIB_OP_DONE when it did what was expected (a
 * probe expects any of running, not running or promoted; degraded counts as
 * its healthy rc), else the kind of failure: a hard error (bans the node)
 * for rc 2-5 (rc 3 only of a one-off operation) and for a missing fencing device or secrets, a fatal one (bans
 * every node) for rc 6, a soft one otherwise. *rc gets the rc with degraded
 * mapped to healthy.
 */
static int judge(const struct pe_hist_op *op, bool probe, int *rc)
{
	int expected = op->expected_rc >= 0 ? op->expected_rc : HAM_OCF_OK;

	if (op->op_status == HAM_CIB_OP_NO_FENCE_DEVICE || op->op_status == HAM_CIB_OP_NO_SECRETS)
		return HAM_CIB_OP_ERROR_HARD;
	if (!judged_by_rc(op->op_status))
		return op->op_status;
	if (*rc == HAM_OCF_DEGRADED)
		*rc = HAM_OCF_OK;
	else if (*rc == HAM_OCF_DEGRADED_PROMOTED)
		*rc = HAM_OCF_RUNNING_PROMOTED;
	if (expected == HAM_OCF_DEGRADED)
		expected = HAM_OCF_OK;
	else if (expected == HAM_OCF_DEGRADED_PROMOTED)
		expected = HAM_OCF_RUNNING_PROMOTED;
	if (probe ? *rc == HAM_OCF_OK || *rc == HAM_OCF_NOT_RUNNING || *rc == HAM_OCF_RUNNING_PROMOTED
		  : *rc == expected)
		return HAM_CIB_OP_DONE;
	switch (*rc) {
	case HAM_OCF_ERR_UNIMPLEMENTED:
		/* a recurring operation the agent lacks: recovered, not banned */
		return op->interval_ms > 0 ? HAM_CIB_OP_ERROR : HAM_CIB_OP_ERROR_HARD;
	case HAM_OCF_ERR_ARGS:
	case HAM_OCF_ERR_PERM:
	case HAM_OCF_ERR_INSTALLED:
		return HAM_CIB_OP_ERROR_HARD;
	case HAM_OCF_ERR_CONFIGURED:
		return HAM_CIB_OP_ERROR_FATAL;
	default:
		return HAM_CIB_OP_ERROR;
	}
}

void pe_unpack_history(const struct ham_policy_input *in, struct pe_rsc *r, int node,
		       int64_t now)
{
	struct pe_rsc_state *s = &r->st[node];
	struct pe_hist_op *ops = s->ops;
	size_t nops = s->nops;
	size_t i;

	s->has_history = true;
	if (s->role == PE_ROLE_UNKNOWN)
		s->role = PE_ROLE_STOPPED;
	if (nops > 1)
		sort_history(ops, nops);
	for (i = 0; i < nops; i++) {
		struct pe_hist_op *op = &ops[i];
		bool probe = ham_streq(op->op, "monitor") && op->interval_ms == 0;
		int rc = op->rc;
		int status = judge(op, probe, &rc);
		enum pe_on_fail of;

		if (status == HAM_CIB_OP_CANCELLED)
			continue;
		if (status == HAM_CIB_OP_PENDING) {
			/* in flight: active there, in the role it is heading to
			 * (start, promote, migration) or still in (stop, demote) */
			s->pending = true;
			if (ham_streq(op->op, "start") || ham_streq(op->op, "migrate_from"))
				s->role = s->role == PE_ROLE_PROMOTED ? s->role : PE_ROLE_STARTED;
			else if (ham_streq(op->op, "promote"))
				s->role = PE_ROLE_PROMOTED;
			else if (!ham_streq(op->op, "monitor") && s->role <= PE_ROLE_STOPPED)
				s->role = PE_ROLE_STARTED;
			continue;
		}
		if (status == HAM_CIB_OP_DONE) {
			if (ham_streq(op->op, "monitor")) {
				if (rc == HAM_OCF_NOT_RUNNING) {
					s->role = PE_ROLE_STOPPED;
					s->failed = false;
				} else if (rc == HAM_OCF_RUNNING_PROMOTED) {
					s->role = PE_ROLE_PROMOTED;
				} else if (s->role <= PE_ROLE_STOPPED) {
					s->role = PE_ROLE_STARTED;
				}
			} else if (ham_streq(op->op, "start") ||
				   ham_streq(op->op, "migrate_from")) {
				s->role = PE_ROLE_STARTED;
				s->failed = false;
			} else if (ham_streq(op->op, "stop") ||
				   ham_streq(op->op, "migrate_to")) {
				s->role = PE_ROLE_STOPPED;
				s->failed = false;
				s->stop_failed = false;
			} else if (ham_streq(op->op, "promote")) {
				s->role = PE_ROLE_PROMOTED;
				s->failed = false;
			} else if (ham_streq(op->op, "demote")) {
				/* a demote recovers a failure only where on-fail
				 * asks for a demote; a restart needs a stop */
				s->role = PE_ROLE_UNPROMOTED;
				if (s->on_fail == PE_FAIL_DEMOTE)
					s->failed = false;
			}
			continue;
		}
		op->rc = rc;
		/* a failure: an expired one is forgotten, unless it blocked */
		of = effective_on_fail(in, r, op);
		if (of != PE_FAIL_BLOCK && failure_expired(r, op, now))
			continue;
		s->on_fail = of;
		if (of == PE_FAIL_IGNORE) {
			s->ignored = true;
			if (ham_streq(op->op, "stop"))
				s->role = PE_ROLE_STOPPED;
			else if (!probe && s->role <= PE_ROLE_STOPPED)
				s->role = PE_ROLE_STARTED;
			continue;
		}
		if (status == HAM_CIB_OP_NOT_INSTALLED || status == HAM_CIB_OP_ERROR_HARD ||
		    status == HAM_CIB_OP_NOT_SUPPORTED)
			s->banned = true;
		if (status == HAM_CIB_OP_ERROR_FATAL)
			s->fatal = true;
		if (probe && (rc == HAM_OCF_ERR_INSTALLED || status == HAM_CIB_OP_NOT_INSTALLED)) {
			/* not installed there: inactive and banned */
			s->role = PE_ROLE_STOPPED;
			continue;
		}
		if (ham_streq(op->op, "stop")) {
			s->role = s->role <= PE_ROLE_STOPPED ? PE_ROLE_STARTED : s->role;
			s->failed = true;
			s->stop_failed = true;
		} else if (judged_by_rc(op->op_status) && rc == HAM_OCF_NOT_RUNNING &&
			   ham_streq(op->op, "monitor")) {
			/* found not running: stopped but failed (needs cleanup) */
			s->role = s->role <= PE_ROLE_STOPPED ? PE_ROLE_STARTED : s->role;
			s->failed = true;
		} else if (ham_streq(op->op, "demote") || ham_streq(op->op, "promote")) {
			s->role = PE_ROLE_PROMOTED;
			s->failed = true;
		} else {
			if (s->role <= PE_ROLE_STOPPED)
				s->role = rc == HAM_OCF_RUNNING_PROMOTED || rc == HAM_OCF_FAILED_PROMOTED
					  ? PE_ROLE_PROMOTED : PE_ROLE_STARTED;
			s->failed = true;
		}
		if (ham_streq(op->op, "start") && in->start_failure_is_fatal &&
		    !s->failcount)
			s->failcount = HAM_SCORE_INFINITY;
	}
}

static void failcount_one(struct pe_rsc_state *s, bool is_fc, const char *value)
{
	int v;
	int64_t t;

	if (is_fc) {
		if (ham_score_parse(value, &v) == 0)
			s->failcount_raw = ham_score_add(s->failcount_raw, v);
	} else if (ham_parse_int64(value, &t) == 0 && t > s->last_failure_raw) {
		s->last_failure_raw = t;
	}
}

/* Every instance of anonymous clone k (orphans too) on node. */
static void failcount_to(struct ham_policy_input *in, int k, int node, bool is_fc,
			 const char *value)
{
	const struct pe_clone *c = &in->clones[k];
	int i;

	for (i = 0; i < c->n + c->norph; i++) {
		int ri = pe_clone_inst(c, i);

		if (in->rscs[ri].st)
			failcount_one(&in->rscs[ri].st[node], is_fc, value);
	}
}

void pe_index_failcounts(struct ham_policy_input *in)
{
	static const char fc[] = "fail-count-", lf[] = "last-failure-";
	size_t i, j;
	char buf[512];

	for (i = 0; i < in->nnodes; i++) {
		const struct pe_attrs *a = &in->nodes[i].attrs;

		for (j = 0; j < a->n; j++) {
			const char *name = a->v[j].name, *rid;
			bool is_fc = strncmp(name, fc, sizeof(fc) - 1) == 0;
			bool is_lf = !is_fc && strncmp(name, lf, sizeof(lf) - 1) == 0;
			size_t len;
			int ri, k;

			if (!is_fc && !is_lf)
				continue;
			rid = name + (is_fc ? sizeof(fc) : sizeof(lf)) - 1;
			len = strcspn(rid, "#");
			if (len >= sizeof(buf))
				continue;
			memcpy(buf, rid, len);
			buf[len] = '\0';
			ri = pe_rsc_find(in, buf);
			k = pe_clone_find(in, buf);
			if (k >= 0 && !in->clones[k].unique) {
				/* an anonymous clone's fail count is the node's, whatever
				 * instance runs there (or will) */
				failcount_to(in, k, (int)i, is_fc, a->v[j].value);
				continue;
			}
			if (ri < 0 || in->rscs[ri].st == NULL)
				continue;
			failcount_one(&in->rscs[ri].st[i], is_fc, a->v[j].value);
		}
	}
}

void pe_nodes_at(struct ham_policy_input *in, int64_t now)
{
	int64_t timeout_s = (int64_t)((in->node_pending_timeout_ms + 999) / 1000);
	size_t i;

	if (timeout_s <= 0 || now <= 0)
		return;
	for (i = 0; i < in->nnodes; i++) {
		struct pe_node *n = &in->nodes[i];

		if (n->pending && !n->unclean && n->pending_since_s > 0 &&
		    now >= n->pending_since_s + timeout_s) {
			n->unclean = true;
			n->unclean_reason = "peer pending timed out on joining the process group";
		}
	}
}
