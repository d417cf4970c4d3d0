/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/exec: agent meta-data. Parses the OCF (and fence-agents) meta-data
 * XML with libxml2 without network or entity expansion, validates resource
 * parameters against it, and caches it per agent for the executor.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "exec_private.h"

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

static char *attr(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = ham_strdup((const char *)v);
	xmlFree(v);
	return s;
}

static bool attr_true(xmlNode *n, const char *name)
{
	char *v = attr(n, name);
	bool b = false;

	if (v != NULL && ham_parse_bool(v, &b) < 0)
		b = false;
	free(v);
	return b;
}

static bool is(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, (const xmlChar *)name) == 0;
}

static xmlNode *child(xmlNode *n, const char *name)
{
	xmlNode *c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

/* Text of <name> under n (the English one when there are several). */
static char *child_text(xmlNode *n, const char *name)
{
	xmlNode *c, *best = NULL;
	xmlChar *t;
	char *s;

	int best_score = -1;

	for (c = n ? n->children : NULL; c; c = c->next) {
		char *lang;
		int score;

		if (!is(c, name))
			continue;
		lang = attr(c, "lang");
		score = lang == NULL ? 1 : strncmp(lang, "en", 2) == 0 ? 2 : 0;
		if (score > best_score) {
			best = c;
			best_score = score;
		}
		free(lang);
	}
	if (best == NULL)
		return NULL;
	t = xmlNodeGetContent(best);
	s = ham_strdup((const char *)t);
	xmlFree(t);
	return s;
}

static enum ham_param_type type_of(const char *t)
{
	if (t == NULL || strcmp(t, "string") == 0)
		return HAM_PARAM_STRING;
	if (strcmp(t, "integer") == 0 || strcmp(t, "int") == 0 ||
	    strcmp(t, "nonnegative_integer") == 0 || strcmp(t, "port") == 0)
		return HAM_PARAM_INTEGER;
	if (strcmp(t, "boolean") == 0)
		return HAM_PARAM_BOOLEAN;
	if (strcmp(t, "select") == 0)
		return HAM_PARAM_SELECT;
	return HAM_PARAM_OTHER;
}

static void parse_param(xmlNode *n, ham_agent_param *p)
{
	xmlNode *content, *o;
	size_t nopt = 0;

	p->name = attr(n, "name");
	p->required = attr_true(n, "required");
	p->unique = attr_true(n, "unique");
	p->unique_group = attr(n, "unique-group");
	if (p->unique_group != NULL)
		p->unique = true;
	p->deprecated = attr_true(n, "deprecated") || child(n, "deprecated") != NULL;
	p->shortdesc = child_text(n, "shortdesc");
	p->longdesc = child_text(n, "longdesc");
	content = child(n, "content");
	if (content != NULL) {
		p->type_name = attr(content, "type");
		p->default_value = attr(content, "default");
		for (o = content->children; o; o = o->next)
			if (is(o, "option"))
				nopt++;
		if (nopt > 0) {
			size_t i = 0;

			p->options = ham_newa0(char *, nopt + 1);
			for (o = content->children; o; o = o->next)
				if (is(o, "option"))
					p->options[i++] = attr(o, "value");
		}
	}
	p->type = type_of(p->type_name);
}

static void parse_action(xmlNode *n, ham_agent_action *a)
{
	char *v;

	a->name = attr(n, "name");
	a->role = attr(n, "role");
	if ((v = attr(n, "timeout")) != NULL && ham_parse_duration_ms(v, &a->timeout_ms) < 0)
		a->timeout_ms = 0;
	free(v);
	if ((v = attr(n, "interval")) != NULL && ham_parse_duration_ms(v, &a->interval_ms) < 0)
		a->interval_ms = 0;
	free(v);
	if ((v = attr(n, "depth")) != NULL && ham_parse_uint32(v, &a->depth) < 0)
		a->depth = 0;
	free(v);
}

int ham_agent_meta_parse(const char *xml, size_t len, ham_agent_meta **ret, char **ret_msg)
{
	xmlDoc *doc;
	xmlNode *root, *sect, *n;
	ham_agent_meta *m;
	size_t i;

	if (len > INT32_MAX) {
		if (ret_msg)
			*ret_msg = ham_strdup("meta-data too large");
		return -HAM_E_XML;
	}
	doc = xmlReadMemory(xml, (int)len, "meta-data", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		const xmlError *err = xmlGetLastError();

		if (ret_msg)
			*ret_msg = ham_asprintf("meta-data is not well-formed XML: line %d: %s",
						err ? err->line : 0,
						err && err->message ? err->message : "parse error");
		return -HAM_E_XML;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !is(root, "resource-agent")) {
		if (ret_msg)
			*ret_msg = ham_asprintf("meta-data root element is <%s>, not <resource-agent>",
						root ? (const char *)root->name : "");
		xmlFreeDoc(doc);
		return -HAM_E_XML;
	}
	m = ham_new0(ham_agent_meta);
	m->name = attr(root, "name");
	m->version = child_text(root, "version");
	m->shortdesc = child_text(root, "shortdesc");
	if (m->shortdesc == NULL)
		m->shortdesc = attr(root, "shortdesc"); /* fence-agents put it here */
	m->longdesc = child_text(root, "longdesc");

	sect = child(root, "parameters");
	for (n = sect ? sect->children : NULL; n; n = n->next)
		if (is(n, "parameter"))
			m->n_params++;
	m->params = ham_newa0(ham_agent_param, m->n_params ? m->n_params : 1);
	i = 0;
	for (n = sect ? sect->children : NULL; n; n = n->next)
		if (is(n, "parameter"))
			parse_param(n, &m->params[i++]);

	sect = child(root, "actions");
	for (n = sect ? sect->children : NULL; n; n = n->next)
		if (is(n, "action"))
			m->n_actions++;
	m->actions = ham_newa0(ham_agent_action, m->n_actions ? m->n_actions : 1);
	i = 0;
	for (n = sect ? sect->children : NULL; n; n = n->next)
		if (is(n, "action"))
			parse_action(n, &m->actions[i++]);
	xmlFreeDoc(doc);

	for (i = 0; i < m->n_params; i++) {
		if (m->params[i].name == NULL || *m->params[i].name == '\0') {
			if (ret_msg)
				*ret_msg = ham_asprintf("meta-data parameter %zu has no name", i + 1);
			ham_agent_meta_free(m);
			return -HAM_E_XML;
		}
	}
	*ret = m;
	return 0;
}

ham_agent_meta *ham_agent_meta_free(ham_agent_meta *m)
{
	size_t i;

	if (m == NULL)
		return NULL;
	for (i = 0; i < m->n_params; i++) {
		ham_agent_param *p = &m->params[i];

		free(p->name);
		free(p->shortdesc);
		free(p->longdesc);
		free(p->type_name);
		free(p->default_value);
		free(p->unique_group);
		ham_strv_free(p->options);
	}
	for (i = 0; i < m->n_actions; i++) {
		free(m->actions[i].name);
		free(m->actions[i].role);
	}
	free(m->params);
	free(m->actions);
	free(m->name);
	free(m->version);
	free(m->shortdesc);
	free(m->longdesc);
	free(m);
	return NULL;
}

const ham_agent_param *ham_agent_meta_param(const ham_agent_meta *m, const char *name)
{
	size_t i;

	for (i = 0; m != NULL && i < m->n_params; i++)
		if (strcmp(m->params[i].name, name) == 0)
			return &m->params[i];
	return NULL;
}

int ham_agent_meta_validate(const ham_agent_meta *m, const ham_exec_param *params, size_t n,
			    char **ret_msg)
{
	size_t i, j;

	for (i = 0; i < m->n_params; i++) {
		const ham_agent_param *p = &m->params[i];
		const char *v = NULL;

		for (j = 0; j < n; j++)
			if (strcmp(params[j].name, p->name) == 0)
				v = params[j].value;
		if (v == NULL || *v == '\0') {
			if (p->required && (p->default_value == NULL || *p->default_value == '\0')) {
				*ret_msg = ham_asprintf("required parameter '%s' is missing", p->name);
				return -EINVAL;
			}
			continue;
		}
		switch (p->type) {
		case HAM_PARAM_INTEGER: {
			int64_t x;

			if (ham_parse_int64(v, &x) < 0) {
				*ret_msg = ham_asprintf("parameter '%s' must be an integer, not '%s'",
							p->name, v);
				return -EINVAL;
			}
			if ((ham_streq(p->type_name, "nonnegative_integer") && x < 0) ||
			    (ham_streq(p->type_name, "port") && (x < 0 || x > 65535))) {
				*ret_msg = ham_asprintf("parameter '%s' is out of range: '%s'",
							p->name, v);
				return -EINVAL;
			}
			break;
		}
		case HAM_PARAM_BOOLEAN: {
			bool b;

			if (ham_parse_bool(v, &b) < 0) {
				*ret_msg = ham_asprintf("parameter '%s' must be a boolean, not '%s'",
							p->name, v);
				return -EINVAL;
			}
			break;
		}
		case HAM_PARAM_SELECT: {
			char **o;
			bool ok = p->options == NULL;

			for (o = p->options; o && *o && !ok; o++)
				ok = strcmp(*o, v) == 0;
			if (!ok) {
				*ret_msg = ham_asprintf("parameter '%s' has value '%s', not one of "
							"its options",
							p->name, v);
				return -EINVAL;
			}
			break;
		}
		default:
			break;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The cache                                                           */
/* ------------------------------------------------------------------ */

struct meta_entry {
	char *key;
	ham_agent_meta *m;
};

struct meta_fetch {
	ham_exec *e;
	char *key;
	ham_exec_meta_cb cb;
	void *user;
	int r;
	char *msg;
	const ham_agent_meta *m;
};

int exec_submit_internal(ham_exec *e, const ham_agent_spec *agent, ham_exec_cb cb, void *user);

static void fetch_free(struct meta_fetch *f)
{
	free(f->key);
	free(f->msg);
	free(f);
}

static void cached_job(void *data)
{
	struct meta_fetch *f = data;

	f->cb(f->r, f->m, f->msg, f->user);
	fetch_free(f);
}

static void drop_job(void *data)
{
	struct meta_fetch *f = data;

	f->cb(-ECANCELED, NULL, "the executor is shutting down", f->user);
	fetch_free(f);
}

static void fetched(ham_exec_op *op, const ham_exec_result *res, void *user)
{
	struct meta_fetch *f = user;
	ham_exec *e = f->e;
	struct meta_entry *ent;
	ham_agent_meta *m = NULL;
	char *msg = NULL;
	int r;

	if (res->status != HAM_EXEC_DONE || res->rc != 0) {
		r = res->status == HAM_EXEC_NOT_INSTALLED ? -ENOENT : -HAM_E_AGENT;
		msg = ham_asprintf("meta-data action: %s, rc=%d (%s)%s%s",
				   ham_exec_status_str(res->status), res->rc, ham_ocf_rc_str(res->rc),
				   res->detail ? ": " : "", res->detail ? res->detail : "");
		f->cb(r, NULL, msg, f->user);
		free(msg);
		fetch_free(f);
		return;
	}
	if (res->out_truncated) {
		f->cb(-HAM_E_XML, NULL, "meta-data larger than the output cap", f->user);
		fetch_free(f);
		return;
	}
	r = ham_agent_meta_parse(res->out, res->out_len, &m, &msg);
	if (r < 0) {
		f->cb(r, NULL, msg, f->user);
		free(msg);
		fetch_free(f);
		return;
	}
	ent = qb_map_get(e->meta_cache, f->key);
	if (ent == NULL) {
		ent = ham_new0(struct meta_entry);
		ent->key = f->key;
		f->key = NULL;
		ent->m = m;
		qb_map_put(e->meta_cache, ent->key, ent);
	} else {
		ham_agent_meta_free(m); /* fetched twice: keep the first, callers hold it */
	}
	f->cb(0, ent->m, NULL, f->user);
	fetch_free(f);
}

int ham_exec_get_meta(ham_exec *e, const ham_agent_spec *agent, ham_exec_meta_cb cb, void *user)
{
	struct meta_fetch *f;
	struct meta_entry *ent;
	int r;

	/* systemd units and LSB init scripts have no OCF meta-data */
	if (agent->cls == HAM_AGENT_SYSTEMD || agent->cls == HAM_AGENT_LSB)
		return -EOPNOTSUPP;
	f = ham_new0(struct meta_fetch);
	f->e = e;
	f->key = ham_agent_spec_str(agent);
	f->cb = cb;
	f->user = user;
	ent = qb_map_get(e->meta_cache, f->key);
	if (ent != NULL) {
		f->m = ent->m;
		exec_job_add(e, cached_job, drop_job, f);
		return 0;
	}
	r = exec_submit_internal(e, agent, fetched, f);
	if (r < 0)
		fetch_free(f);
	return r;
}

void meta_cache_free(ham_exec *e)
{
	qb_map_iter_t *it;
	void *data;

	if (e->meta_cache == NULL)
		return;
	struct meta_entry **all;
	size_t n = 0, i;

	all = ham_newa0(struct meta_entry *, qb_map_count_get(e->meta_cache) + 1);
	it = qb_map_iter_create(e->meta_cache);
	while (qb_map_iter_next(it, &data) != NULL)
		all[n++] = data;
	qb_map_iter_free(it);
	qb_map_destroy(e->meta_cache);
	for (i = 0; i < n; i++) {
		ham_agent_meta_free(all[i]->m);
		free(all[i]->key);
		free(all[i]);
	}
	free(all);
	e->meta_cache = NULL;
}
