/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/policy: loading and freeing the input, injected events, and the
 * transition's outputs (normalized JSON, crm_simulate-like text, scores, dot).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include <hamgr/cib.h>

#include "transition.h"

int pe_input_from_memory(const char *buf, size_t len, uint32_t cib_flags,
			 struct ham_policy_input **ret_in, char **ret_err);

ham_policy_input *ham_policy_input_free(ham_policy_input *in)
{
	size_t i, j;

	if (in == NULL)
		return NULL;
	for (i = 0; i < in->nrscs; i++) {
		struct pe_rsc *r = &in->rscs[i];

		/* an anonymous clone's instances borrow their history from the clone */
		if (r->st && (r->clone < 0 || in->clones[r->clone].unique))
			for (j = 0; j < in->nnodes; j++)
				free(r->st[j].ops);
		free(r->st);
		free(r->ops);
		free(r->score);
		free(r->cur);
		free(r->stop);
		free(r->util.v);
		free(r->need);
	}
	for (i = 0; i < in->nnodes; i++) {
		free(in->nodes[i].attrs.v);
		free(in->nodes[i].util.v);
		free(in->nodes[i].cap);
		free(in->nodes[i].used);
	}
	free(in->util_names);
	for (i = 0; i < in->nstrs; i++)
		free(in->strs[i]);
	free(in->strs);
	free(in->nodes);
	free(in->rscs);
	free(in->locs);
	free(in->colocs);
	free(in->orders);
	for (i = 0; i < in->nclones; i++) {
		struct pe_clone *k = &in->clones[i];

		for (j = 0; j < k->nhist; j++)
			free(k->hist[j].ops);
		free(k->hist);
	}
	free(in->clones);
	free(in->tdeps);
	free(in->tickets.v);
	free(in->coloc_dep_start);
	free(in->coloc_dep);
	free(in->coloc_prim_start);
	free(in->coloc_prim);
	free(in->rsc_defaults.v);
	free(in->op_defaults.v);
	qb_map_destroy(in->node_by_uname);
	qb_map_destroy(in->node_by_id);
	qb_map_destroy(in->rsc_by_id);
	free(in);
	return NULL;
}

int ham_policy_input_load(const char *xml, size_t len, ham_policy_input **ret_in,
			  char **ret_err)
{
	if (xml == NULL || ret_in == NULL)
		return -EINVAL;
	/* lib/cib checks the encoding and the size limits, in verify's words */
	return pe_input_from_memory(xml, len, HAM_CIB_LOAD_SCHEMA, ret_in, ret_err);
}

int ham_policy_input_load_trusted(const char *xml, size_t len, ham_policy_input **ret_in,
				  char **ret_err)
{
	if (xml == NULL || ret_in == NULL)
		return -EINVAL;
	return pe_input_from_memory(xml, len, HAM_CIB_LOAD_INSTALLED, ret_in, ret_err);
}

int ham_policy_input_load_file(const char *path, ham_policy_input **ret_in,
			       char **ret_err)
{
	FILE *f;
	ham_buf b = HAM_BUF_INIT;
	char chunk[65536];
	size_t n;
	int r;

	if (!ham_streq(path, "-")) {
		/* a regular file is mapped rather than copied */
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		struct stat stt;

		if (fd >= 0 && fstat(fd, &stt) == 0 && S_ISREG(stt.st_mode) && stt.st_size > 0) {
			void *m = mmap(NULL, (size_t)stt.st_size, PROT_READ, MAP_PRIVATE, fd, 0);

			close(fd);
			if (m != MAP_FAILED) {
				(void)madvise(m, (size_t)stt.st_size, MADV_SEQUENTIAL);
				r = ham_policy_input_load(m, (size_t)stt.st_size, ret_in, ret_err);
				munmap(m, (size_t)stt.st_size);
				return r;
			}
		} else if (fd >= 0) {
			close(fd);
		}
	}
	f = ham_streq(path, "-") ? stdin : fopen(path, "re");
	if (f == NULL) {
		r = -errno;
		if (ret_err)
			*ret_err = ham_asprintf("%s: %s", path, ham_strerror(r));
		return r;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ham_buf_addn(&b, chunk, n);
	if (ferror(f)) {
		r = -EIO;
		if (f != stdin)
			fclose(f);
		ham_buf_free(&b);
		if (ret_err)
			*ret_err = ham_asprintf("%s: read error", path);
		return r;
	}
	if (f != stdin)
		fclose(f);
	if (b.len == 0) {
		ham_buf_free(&b);
		if (ret_err)
			*ret_err = ham_asprintf("%s: empty input", path);
		return -HAM_E_XML;
	}
	r = ham_policy_input_load(b.s, b.len, ret_in, ret_err);
	ham_buf_free(&b);
	return r;
}

int64_t ham_policy_input_execution_date(const ham_policy_input *in)
{
	return in->execution_date;
}

const char *ham_policy_input_unsupported(const ham_policy_input *in)
{
	return in->unsupported;
}

int ham_policy_inject_node_up(ham_policy_input *in, const char *node)
{
	int n = pe_node_find(in, node);

	if (n < 0)
		return -ENOENT;
	in->nodes[n].seen = true;
	in->nodes[n].online = true;
	in->nodes[n].unclean = false;
	in->nodes[n].pending = false;
	in->nodes[n].unclean_reason = NULL;
	in->nodes[n].base_saved = false;
	return 0;
}

int ham_policy_inject_node_down(ham_policy_input *in, const char *node)
{
	int n = pe_node_find(in, node);

	if (n < 0)
		return -ENOENT;
	in->nodes[n].seen = true;
	in->nodes[n].online = false;
	in->nodes[n].pending = false;
	if (in->stonith_enabled) {
		in->nodes[n].unclean = true;
		in->nodes[n].unclean_reason = "peer is no longer part of the cluster";
	}
	in->nodes[n].base_saved = false;
	return 0;
}

int ham_policy_inject_op_fail(ham_policy_input *in, const char *spec)
{
	/* RSC_OP_INTERVAL@NODE=RC */
	const char *at = strchr(spec, '@'), *eq;
	char *head, *p1, *p2, *nodename;
	int64_t interval, rc = 1;
	int ri, ni, k, ret = -EINVAL;
	struct pe_rsc_state *s = NULL;
	struct pe_clone_hist *ch;
	struct pe_hist_op **ops;
	size_t *nops;
	struct pe_hist_op *h;
	int maxcall = 0;
	size_t i;

	if (at == NULL)
		return -EINVAL;
	eq = strchr(at, '=');
	head = ham_strndup(spec, (size_t)(at - spec));
	nodename = eq ? ham_strndup(at + 1, (size_t)(eq - at - 1)) : ham_strdup(at + 1);
	if (eq && ham_parse_int64(eq + 1, &rc) < 0)
		goto out;
	p2 = strrchr(head, '_');
	if (p2 == NULL || ham_parse_int64(p2 + 1, &interval) < 0 || interval < 0)
		goto out;
	*p2 = '\0';
	p1 = strrchr(head, '_');
	if (p1 == NULL)
		goto out;
	*p1 = '\0';
	ret = -ENOENT;
	ri = pe_rsc_find(in, head);
	ni = pe_node_find(in, nodename);
	k = pe_clone_find(in, head);
	if (k >= 0 && in->clones[k].unique)
		k = -1;
	if ((ri < 0 && k < 0) || ni < 0)
		goto out;
	if (k >= 0) {
		/* an anonymous clone: the history of its instance on that node */
		ch = pe_clone_hist_at(in, k, ni, false);
		if (ch == NULL)
			ch = pe_clone_hist_at(in, k, ni, true);
		ops = &ch->ops;
		nops = &ch->nops;
	} else {
		s = &in->rscs[ri].st[ni];
		ops = &s->ops;
		nops = &s->nops;
	}
	for (i = 0; i < *nops; i++)
		if ((*ops)[i].call_id > maxcall)
			maxcall = (*ops)[i].call_id;
	*ops = ham_reallocarray(*ops, *nops + 1, sizeof(**ops));
	h = &(*ops)[(*nops)++];
	memset(h, 0, sizeof(*h));
	{
		static const char *const names[] = { "monitor", "start", "stop",
						     "promote", "demote" };
		h->op = "other";
		for (i = 0; i < HAM_ARRAY_SIZE(names); i++)
			if (strcmp(p1 + 1, names[i]) == 0)
				h->op = names[i];
	}
	h->interval_ms = (uint64_t)interval;
	h->call_id = maxcall + 1;
	h->rc = (int)rc;
	h->expected_rc = ham_streq(h->op, "monitor") && interval == 0 ? 7 : 0;
	h->op_status = 0;
	if (k >= 0) {
		const struct pe_clone *c = &in->clones[k];

		for (i = 0; i < (size_t)(c->n + c->norph); i++) {
			int x = pe_clone_inst(c, (int)i);

			in->rscs[x].st[ni].failcount_raw =
				ham_score_add(in->rscs[x].st[ni].failcount_raw, 1);
		}
	} else {
		s->has_history = true;
		s->failcount_raw = ham_score_add(s->failcount_raw, 1);
	}
	ret = 0;
out:
	free(head);
	free(nodename);
	return ret;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                 */
/* ------------------------------------------------------------------ */

struct jline {
	const char *f[5];
	bool blocked;
};

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int cmp_jline(const void *a, const void *b)
{
	const struct jline *x = a, *y = b;
	int i, c;

	for (i = 0; i < 5; i++) {
		c = cmp_str(x->f[i], y->f[i]);
		if (c)
			return c;
	}
	return (int)x->blocked - (int)y->blocked;
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *place_role(const struct pe_place *p)
{
	if (p->failed)
		return p->role == PE_ROLE_PROMOTED ? "FAILED Promoted" : "FAILED";
	if (p->promotable && p->role == PE_ROLE_STARTED)
		return "Unpromoted";
	return pe_role_name(p->role);
}

static void json_status(const struct ham_transition *t, const struct pe_status *s,
			ham_buf *b)
{
	const struct ham_policy_input *in = t->in;
	size_t i, k;
	int j;
	bool first = true;
	const char **names;
	size_t nn = 0;

	ham_buf_add(b, "{\"nodes\": {");
	for (i = 0; i < in->nnodes; i++) {
		ham_buf_add(b, i ? ", " : "");
		ham_buf_add_json(b, in->nodes[i].uname);
		ham_buf_add(b, ": ");
		ham_buf_add_json(b, s->node_state[i]);
	}
	ham_buf_add(b, "}, \"resources\": {");
	names = ham_newa0(const char *, in->nnodes + 1);
	for (i = 0; i < in->nrscs; i++) {
		/* roles present, in a fixed order */
		static const char *const roles[] = { "FAILED", "FAILED Promoted",
						     "Promoted", "Started", "Unpromoted" };
		const struct pe_rsc *r = &in->rscs[i];
		size_t lo = i, hi = i + 1, q;
		bool any = false;
		int total = 0;

		if (r->clone >= 0) {
			const struct pe_clone *cl = &in->clones[r->clone];

			if ((int)i != cl->first)
				continue;
			hi = (size_t)cl->first + (size_t)cl->n;
		}
		for (q = lo; q < hi; q++)
			total += s->nrsc[q];
		if (total == 0)
			continue;
		names = ham_reallocarray(names, (size_t)total + 1, sizeof(*names));
		ham_buf_add(b, first ? "" : ", ");
		first = false;
		ham_buf_add_json(b, r->name);
		ham_buf_add(b, ": {");
		for (k = 0; k < HAM_ARRAY_SIZE(roles); k++) {
			nn = 0;
			for (q = lo; q < hi; q++)
				for (j = 0; j < s->nrsc[q]; j++)
					if (strcmp(place_role(&s->rsc[q][j]), roles[k]) == 0)
						names[nn++] = in->nodes[s->rsc[q][j].node].uname;
			if (nn == 0)
				continue;
			qsort(names, nn, sizeof(*names), cmp_cstr);
			ham_buf_add(b, any ? ", " : "");
			any = true;
			ham_buf_add_json(b, roles[k]);
			ham_buf_add(b, ": [");
			for (size_t m = 0; m < nn; m++) {
				ham_buf_add(b, m ? ", " : "");
				ham_buf_add_json(b, names[m]);
			}
			ham_buf_add(b, "]");
		}
		ham_buf_add(b, "}");
	}
	free(names);
	ham_buf_add(b, "}}");
}

void ham_transition_json(const ham_transition *t, ham_buf *b)
{
	const struct ham_policy_input *in = t->in;
	struct jline *l = ham_newa0(struct jline, t->nlines + 1);
	size_t i;
	int k;

	for (i = 0; i < t->nlines; i++) {
		const struct pe_line *p = &t->lines[i];

		l[i].f[0] = p->verb;
		l[i].f[1] = p->name;
		l[i].f[2] = p->from >= 0 ? in->nodes[p->from].uname : NULL;
		l[i].f[3] = p->to >= 0 ? in->nodes[p->to].uname : NULL;
		l[i].f[4] = p->detail;
		l[i].blocked = p->blocked;
	}
	qsort(l, t->nlines, sizeof(*l), cmp_jline);
	ham_buf_add(b, "{\"actions\": [");
	for (i = 0; i < t->nlines; i++) {
		ham_buf_add(b, i ? ", [" : "[");
		for (k = 0; k < 5; k++) {
			ham_buf_add_json(b, l[i].f[k]);
			ham_buf_add(b, ", ");
		}
		ham_buf_add(b, l[i].blocked ? "true]" : "false]");
	}
	free(l);
	ham_buf_add(b, "], \"final\": ");
	json_status(t, &t->final, b);
	ham_buf_add(b, ", \"initial\": ");
	json_status(t, &t->initial, b);
	ham_buf_add(b, "}\n");
}

/* ------------------------------------------------------------------ */
/* Text                                                                 */
/* ------------------------------------------------------------------ */

static void text_status(const struct ham_transition *t, const struct pe_status *s,
			ham_buf *b)
{
	const struct ham_policy_input *in = t->in;
	size_t i;
	int j;
	bool any;

	ham_buf_add(b, "  * Node List:\n");
	for (i = 0; i < in->nnodes; i++) {
		const char *st = s->node_state[i];

		if (ham_streq(st, "online") || ham_streq(st, "offline"))
			continue;
		if (ham_streq(st, "unclean"))
			st = in->nodes[i].online ? "UNCLEAN (online)" : "UNCLEAN (offline)";
		ham_buf_addf(b, "    * Node %s: %s\n", in->nodes[i].uname, st);
	}
	for (int pass = 0; pass < 2; pass++) {
		const char *want = pass == 0 ? "online" : "offline";

		any = false;
		for (i = 0; i < in->nnodes; i++) {
			if (!ham_streq(s->node_state[i], want))
				continue;
			ham_buf_add(b, any ? " " : (pass == 0 ? "    * Online: [ " : "    * OFFLINE: [ "));
			any = true;
			ham_buf_add(b, in->nodes[i].uname);
		}
		if (any)
			ham_buf_add(b, " ]\n");
	}
	ham_buf_add(b, "\n  * Full List of Resources:\n");
	for (i = 0; i < in->nrscs; i++) {
		const struct pe_rsc *r = &in->rscs[i];

		ham_buf_addf(b, "    * %s\t(%s%s%s:%s):\t ", r->id, r->cls ? r->cls : "?",
			     r->provider ? ":" : "", r->provider ? r->provider : "",
			     r->type ? r->type : "?");
		if (s->nrsc[i] == 0) {
			ham_buf_add(b, "Stopped");
		} else if (s->nrsc[i] == 1) {
			ham_buf_addf(b, "%s %s", place_role(&s->rsc[i][0]),
				     in->nodes[s->rsc[i][0].node].uname);
		} else {
			ham_buf_addf(b, "%s [", place_role(&s->rsc[i][0]));
			for (j = 0; j < s->nrsc[i]; j++)
				ham_buf_addf(b, " %s", in->nodes[s->rsc[i][j].node].uname);
			ham_buf_add(b, " ]");
		}
		if (!r->managed)
			ham_buf_add(b, " (unmanaged)");
		else if (r->target_role == PE_ROLE_STOPPED && !r->orphan)
			ham_buf_add(b, " (disabled)");
		ham_buf_add(b, "\n");
	}
}

void ham_transition_text(const ham_transition *t, ham_buf *b)
{
	const struct ham_policy_input *in = t->in;
	size_t i;

	ham_buf_add(b, "Current cluster status:\n");
	text_status(t, &t->initial, b);
	ham_buf_add(b, "\nTransition Summary:\n");
	for (i = 0; i < t->nlines; i++) {
		const struct pe_line *p = &t->lines[i];
		const char *from = p->from >= 0 ? in->nodes[p->from].uname : NULL;
		const char *to = p->to >= 0 ? in->nodes[p->to].uname : NULL;

		if (ham_streq(p->verb, "Fence")) {
			const struct pe_node *n = &in->nodes[pe_node_find(in, p->name)];

			ham_buf_addf(b, "  * Fence (%s) %s '%s'\n", p->detail, p->name,
				     n->unclean_reason ? n->unclean_reason : "node is unclean");
			continue;
		}
		if (ham_streq(p->verb, "Shutdown")) {
			ham_buf_addf(b, "  * Shutdown %s\n", p->name);
			continue;
		}
		ham_buf_addf(b, "  * %-10s %-8s (", p->verb ? p->verb : "?", p->name ? p->name : "?");
		if (from && to && strcmp(from, to) != 0)
			ham_buf_addf(b, " %s -> %s )", from, to);
		else
			ham_buf_addf(b, " %s )", from ? from : to);
		if (p->blocked)
			ham_buf_add(b, "  blocked");
		ham_buf_add(b, "\n");
	}
	ham_buf_add(b, "\nRevised Cluster Status:\n");
	text_status(t, &t->final, b);
}

void ham_transition_scores(const ham_transition *t, ham_buf *b)
{
	const struct ham_policy_input *in = t->in;
	size_t i, j;
	char buf[16];

	ham_buf_add(b, "Allocation scores:\n");
	for (i = 0; i < in->nrscs; i++)
		for (j = 0; j < in->nnodes; j++)
			ham_buf_addf(b, "pcmk__primitive_assign: %s allocation score on %s: %s\n",
				     in->rscs[i].id, in->nodes[j].uname,
				     ham_score_str(in->rscs[i].score[j], buf));
}

static void dot_name(const struct ham_action *a, ham_buf *b)
{
	switch (a->kind) {
	case HAM_ACTION_FENCE:
		ham_buf_addf(b, "\"stonith %s\"", a->node);
		break;
	case HAM_ACTION_SHUTDOWN:
		ham_buf_addf(b, "\"do_shutdown %s\"", a->node);
		break;
	default:
		ham_buf_addf(b, "\"%s_%s_%llu %s\"", a->instance, a->op,
			     (unsigned long long)a->interval_ms, a->node);
		break;
	}
}

/* The action graph, from the typed actions (probes and monitors included). */
void ham_transition_dot(const ham_transition *t, ham_buf *b)
{
	size_t i, n = ham_transition_typed_count(t);

	ham_buf_add(b, "digraph \"g\" {\n");
	for (i = 0; i < n; i++) {
		const struct ham_action *a = ham_transition_action(t, i);

		dot_name(a, b);
		ham_buf_addf(b, " [ style=%s color=\"%s\" fontcolor=\"%s\"]\n",
			     a->pseudo ? "dashed" : "bold",
			     a->runnable ? "green" : "red", a->runnable ? "black" : "red");
	}
	for (i = 0; i < ham_transition_typed_edge_count(t); i++) {
		size_t x, y;

		if (ham_transition_edge(t, i, &x, &y) < 0)
			break;
		dot_name(ham_transition_action(t, x), b);
		ham_buf_add(b, " -> ");
		dot_name(ham_transition_action(t, y), b);
		ham_buf_add(b, " [ style = bold]\n");
	}
	ham_buf_add(b, "}\n");
}
