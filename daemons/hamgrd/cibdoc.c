/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/cibdoc.c: the CIB document adapter (see cibdoc.h): a
 * libxml2 DOM with the version triple, configuration replacement,
 * node_state attributes and atomic, checksummed storage.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include <hamgr/cib.h>
#include <hamgr/common.h>
#include <hamgr/xml.h>
#include "cibdoc.h"
#include "opmsg.h"

struct cibdoc {
	xmlDoc *doc;
};

static const char *const empty_cib =
	"<cib admin_epoch=\"0\" epoch=\"0\" num_updates=\"0\" validate-with=\"pacemaker-3.0\">"
	"<configuration><crm_config/><nodes/><resources/><constraints/></configuration>"
	"<status/></cib>";

int cib_version_cmp(const struct cib_version *a, const struct cib_version *b)
{
	if (a->admin_epoch != b->admin_epoch)
		return a->admin_epoch < b->admin_epoch ? -1 : 1;
	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	if (a->num_updates != b->num_updates)
		return a->num_updates < b->num_updates ? -1 : 1;
	return 0;
}

static xmlNode *child_or_new(xmlNode *parent, const char *name)
{
	xmlNode *n = ham_xml_child(parent, name);

	return n ? n : xmlNewChild(parent, NULL, BAD_CAST name, NULL);
}

/* Parses with no DTD, no entity expansion, no network. */
static xmlDoc *safe_parse(const char *buf, size_t len, char **ret_err)
{
	xmlDoc *doc;

	if (len > INT32_MAX) {
		if (ret_err)
			*ret_err = ham_strdup("document too large");
		return NULL;
	}
	doc = xmlReadMemory(buf, (int)len, "cib.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
	if (doc == NULL) {
		const xmlError *e = xmlGetLastError();

		if (ret_err)
			*ret_err = e ? ham_asprintf("line %d: %s", e->line,
						    e->message ? e->message : "not well-formed")
				     : ham_strdup("not well-formed XML");
		return NULL;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		if (ret_err)
			*ret_err = ham_strdup("a DOCTYPE is not allowed");
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

static int get_u64(xmlNode *n, const char *name, uint64_t *ret, bool required)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	int64_t x;
	int r;

	if (v == NULL) {
		*ret = 0;
		return required ? -ENOENT : 0;
	}
	r = ham_parse_int64((const char *)v, &x);
	xmlFree(v);
	if (r < 0 || x < 0)
		return -EINVAL;
	*ret = (uint64_t)x;
	return 0;
}

static int read_version(xmlNode *root, struct cib_version *v, char **ret_err)
{
	static const char *const names[] = { "admin_epoch", "epoch", "num_updates" };
	uint64_t *vals[] = { &v->admin_epoch, &v->epoch, &v->num_updates };
	size_t i;

	for (i = 0; i < 3; i++) {
		if (get_u64(root, names[i], vals[i], false) < 0) {
			if (ret_err)
				*ret_err = ham_asprintf("line %u: <cib %s>: not a non-negative integer",
							(unsigned)xmlGetLineNo(root), names[i]);
			return -HAM_E_CONFIG;
		}
	}
	return 0;
}

cibdoc *cibdoc_new_empty(void)
{
	cibdoc *d = NULL;

	if (cibdoc_parse(empty_cib, strlen(empty_cib), &d, NULL) != 0)
		abort();
	return d;
}

int cibdoc_parse(const char *buf, size_t len, cibdoc **ret, char **ret_err)
{
	struct cib_version v;
	xmlDoc *doc = safe_parse(buf, len, ret_err);
	xmlNode *root;
	int r;

	if (doc == NULL)
		return -HAM_E_XML;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || xmlStrcmp(root->name, BAD_CAST "cib") != 0) {
		if (ret_err)
			*ret_err = ham_strdup("the root element is not <cib>");
		xmlFreeDoc(doc);
		return -HAM_E_SCHEMA;
	}
	if ((r = read_version(root, &v, ret_err)) < 0) {
		xmlFreeDoc(doc);
		return r;
	}
	child_or_new(root, "configuration");
	child_or_new(root, "status");
	*ret = ham_new0(cibdoc);
	(*ret)->doc = doc;
	return 0;
}

cibdoc *cibdoc_copy(const cibdoc *d)
{
	cibdoc *c = ham_new0(cibdoc);

	c->doc = xmlCopyDoc(d->doc, 1);
	if (c->doc == NULL)
		abort();
	return c;
}

cibdoc *cibdoc_free(cibdoc *d)
{
	if (d) {
		xmlFreeDoc(d->doc);
		free(d);
	}
	return NULL;
}

xmlNode *cibdoc_root(const cibdoc *d)
{
	return xmlDocGetRootElement(d->doc);
}

void cibdoc_get_version(const cibdoc *d, struct cib_version *ret)
{
	memset(ret, 0, sizeof(*ret));
	read_version(cibdoc_root(d), ret, NULL);
}

static void set_u64(xmlNode *n, const char *name, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	xmlSetProp(n, BAD_CAST name, BAD_CAST buf);
}

void cibdoc_set_version(cibdoc *d, const struct cib_version *v)
{
	xmlNode *root = cibdoc_root(d);

	set_u64(root, "admin_epoch", v->admin_epoch);
	set_u64(root, "epoch", v->epoch);
	set_u64(root, "num_updates", v->num_updates);
}

void cibdoc_bump_num_updates(cibdoc *d)
{
	struct cib_version v;

	cibdoc_get_version(d, &v);
	v.num_updates++;
	cibdoc_set_version(d, &v);
}

/* The first errors of a load, as one message. */
static char *diags_message(ham_cib_diags *diags, int r)
{
	ham_buf b = HAM_BUF_INIT;
	size_t i, shown = 0, n = ham_cib_diags_count(diags);

	for (i = 0; i < n && shown < 5; i++) {
		const struct ham_cib_diag *d = ham_cib_diags_get(diags, i);

		if (d->severity != HAM_CIB_ERROR)
			continue;
		if (shown++)
			ham_buf_add(&b, "; ");
		if (d->line)
			ham_buf_addf(&b, "line %u: ", d->line);
		if (d->element)
			ham_buf_addf(&b, "<%s%s%s%s> ", d->element, d->id ? " id=\"" : "",
				     d->id ? d->id : "", d->id ? "\"" : "");
		ham_buf_add(&b, d->message);
	}
	if (ham_cib_diags_errors(diags) > shown)
		ham_buf_addf(&b, " (%zu errors in all)", ham_cib_diags_errors(diags));
	if (b.len == 0)
		ham_buf_add(&b, ham_strerror(r));
	return ham_buf_steal(&b);
}

int cibdoc_check_config(const char *buf, size_t len, char **ret_err)
{
	struct ham_cib_load_opts opts = { .flags = HAM_CIB_LOAD_SCHEMA };
	ham_cib_diags *diags;
	ham_cib *cib = NULL;
	cibdoc *d = NULL;
	int r;

	*ret_err = NULL;
	/* Our own parse first: the safety rules, a <cib> root, the versions. */
	r = cibdoc_parse(buf, len, &d, ret_err);
	if (r < 0)
		return r;
	cibdoc_free(d);
	/* Then lib/cib: schema and every semantic check. */
	diags = ham_cib_diags_new();
	r = ham_cib_load_mem(buf, len, "the pushed configuration", &opts, &cib, diags);
	if (r < 0)
		*ret_err = diags_message(diags, r);
	ham_cib_free(cib);
	ham_cib_diags_free(diags);
	return r;
}

static int base_cmp(const struct cib_version *in, const struct cib_version *cur)
{
	if (in->admin_epoch != cur->admin_epoch)
		return in->admin_epoch < cur->admin_epoch ? -1 : 1;
	if (in->epoch != cur->epoch)
		return in->epoch < cur->epoch ? -1 : 1;
	return 0;
}

static int stale(const struct cib_version *in, const struct cib_version *cur, char **ret_err)
{
	if (base_cmp(in, cur) >= 0)
		return 0;
	if (ret_err)
		*ret_err = ham_asprintf("the pushed configuration is version %llu:%llu "
					"(admin_epoch:epoch), older than the cluster's %llu:%llu: "
					"it would undo newer changes. Take the current one "
					"(hactl cib show), apply your edits and push that, or "
					"push with --force to overwrite",
					(unsigned long long)in->admin_epoch,
					(unsigned long long)in->epoch,
					(unsigned long long)cur->admin_epoch,
					(unsigned long long)cur->epoch);
	return -ESTALE;
}

int cibdoc_check_base(const cibdoc *d, const char *buf, size_t len, char **ret_err)
{
	struct cib_version cur, in;
	cibdoc *src = NULL;
	int r;

	if (cibdoc_parse(buf, len, &src, NULL) < 0)
		return 0;
	cibdoc_get_version(d, &cur);
	cibdoc_get_version(src, &in);
	r = stale(&in, &cur, ret_err);
	cibdoc_free(src);
	return r;
}

int cibdoc_replace_configuration(cibdoc *d, const char *buf, size_t len, bool force,
				 char **ret_err)
{
	struct cib_version cur, in;
	cibdoc *src = NULL;
	xmlNode *newconf, *oldconf, *copy;
	int r;

	r = cibdoc_parse(buf, len, &src, ret_err);
	if (r < 0)
		return r;
	cibdoc_get_version(d, &cur);
	cibdoc_get_version(src, &in);
	if (!force && (r = stale(&in, &cur, ret_err)) < 0) {
		cibdoc_free(src);
		return r;
	}
	newconf = ham_xml_child(cibdoc_root(src), "configuration");
	oldconf = ham_xml_child(cibdoc_root(d), "configuration");
	copy = xmlDocCopyNode(newconf, d->doc, 1);
	xmlReplaceNode(oldconf, copy);
	xmlFreeNode(oldconf);
	if (in.admin_epoch > cur.admin_epoch)
		cur.admin_epoch = in.admin_epoch;
	cur.epoch++;
	cur.num_updates = 0;
	cibdoc_set_version(d, &cur);
	cibdoc_free(src);
	return 0;
}

static xmlNode *find_node_state(const cibdoc *d, const char *id)
{
	xmlNode *status = ham_xml_child(cibdoc_root(d), "status"), *n;

	for (n = status ? status->children : NULL; n; n = n->next) {
		xmlChar *v;
		bool match;

		if (n->type != XML_ELEMENT_NODE || xmlStrcmp(n->name, BAD_CAST "node_state") != 0)
			continue;
		v = xmlGetProp(n, BAD_CAST "id");
		match = v && strcmp((const char *)v, id) == 0;
		xmlFree(v);
		if (match)
			return n;
	}
	return NULL;
}

int cibdoc_set_node_state_attr(cibdoc *d, const char *id, const char *uname,
			       const char *name, const char *value)
{
	xmlNode *ns = find_node_state(d, id);
	xmlChar *old;
	bool same;

	if (ns == NULL) {
		ns = xmlNewChild(child_or_new(cibdoc_root(d), "status"), NULL,
				 BAD_CAST "node_state", NULL);
		xmlSetProp(ns, BAD_CAST "id", BAD_CAST id);
		if (uname)
			xmlSetProp(ns, BAD_CAST "uname", BAD_CAST uname);
	}
	old = xmlGetProp(ns, BAD_CAST name);
	same = old && strcmp((const char *)old, value) == 0;
	xmlFree(old);
	if (same)
		return 0;
	xmlSetProp(ns, BAD_CAST name, BAD_CAST value);
	return 1;
}

const char *cibdoc_get_node_state_attr(const cibdoc *d, const char *id, const char *name)
{
	xmlNode *ns = find_node_state(d, id);
	xmlAttr *a;

	if (ns == NULL)
		return NULL;
	a = xmlHasProp(ns, BAD_CAST name);
	if (a == NULL || a->children == NULL)
		return NULL;
	return (const char *)a->children->content;
}

char **cibdoc_node_state_ids(const cibdoc *d)
{
	xmlNode *status = ham_xml_child(cibdoc_root(d), "status"), *n;
	char **ids = ham_newa0(char *, 1);
	size_t k = 0;

	for (n = status ? status->children : NULL; n; n = n->next) {
		xmlChar *v;

		if (n->type != XML_ELEMENT_NODE || xmlStrcmp(n->name, BAD_CAST "node_state") != 0)
			continue;
		v = xmlGetProp(n, BAD_CAST "id");
		if (v == NULL)
			continue;
		ids = ham_reallocarray(ids, k + 2, sizeof(*ids));
		ids[k++] = ham_strdup((const char *)v);
		ids[k] = NULL;
		xmlFree(v);
	}
	return ids;
}

/* ---- resource history ------------------------------------------------ */

static bool attr_is(xmlNode *n, const char *name, const char *value)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	bool same = v && strcmp((const char *)v, value) == 0;

	xmlFree(v);
	return same;
}

static xmlNode *child_with_id(xmlNode *parent, const char *name, const char *id)
{
	xmlNode *n;

	for (n = parent ? parent->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0 &&
		    attr_is(n, "id", id))
			return n;
	return NULL;
}

static xmlNode *child_with_id_or_new(xmlNode *parent, const char *name, const char *id)
{
	xmlNode *n = child_with_id(parent, name, id);

	if (n == NULL) {
		n = xmlNewChild(parent, NULL, BAD_CAST name, NULL);
		xmlSetProp(n, BAD_CAST "id", BAD_CAST id);
	}
	return n;
}

static void set_i64(xmlNode *n, const char *name, int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, v);
	xmlSetProp(n, BAD_CAST name, BAD_CAST buf);
}

static void write_op(xmlNode *lr, const char *op_id, const struct hop_result *r)
{
	xmlNode *op = child_with_id_or_new(lr, "lrm_rsc_op", op_id);
	char *key = ham_asprintf("%s_%s_%" PRIu64, r->rsc, r->op, r->interval_ms);
	char *tkey = ham_asprintf("%" PRIu64 ":%" PRIu64 ":%d:%s", r->action_id, r->transition_id,
				  r->expected_rc, r->dc_uuid ? r->dc_uuid : "0");
	char *magic = ham_asprintf("%d:%d;%s", r->op_status, r->rc, tkey);

	xmlSetProp(op, BAD_CAST "operation_key", BAD_CAST key);
	xmlSetProp(op, BAD_CAST "operation", BAD_CAST r->op);
	xmlSetProp(op, BAD_CAST "transition-key", BAD_CAST tkey);
	xmlSetProp(op, BAD_CAST "transition-magic", BAD_CAST magic);
	xmlSetProp(op, BAD_CAST "exit-reason", BAD_CAST(r->exit_reason ? r->exit_reason : ""));
	xmlSetProp(op, BAD_CAST "on_node", BAD_CAST r->node);
	set_i64(op, "call-id", r->call_id);
	set_i64(op, "rc-code", r->rc);
	set_i64(op, "op-status", r->op_status);
	set_u64(op, "interval", r->interval_ms);
	set_i64(op, "last-run", r->last_run_s);
	set_i64(op, "last-rc-change", r->last_rc_change_s);
	set_u64(op, "exec-time", r->exec_ms);
	set_u64(op, "queue-time", r->queue_ms);
	free(key);
	free(tkey);
	free(magic);
}

static xmlNode *lrm_resources(cibdoc *d, const char *id, const char *uname)
{
	xmlNode *ns = find_node_state(d, id), *lrm;

	if (ns == NULL) {
		cibdoc_set_node_state_attr(d, id, uname, "id", id);
		ns = find_node_state(d, id);
	}
	lrm = child_with_id_or_new(ns, "lrm", id);
	return child_or_new(lrm, "lrm_resources");
}

/* ---- transient node attributes ------------------------------------- */

/* An XML ID from free text: what an ID may not hold becomes '.' (as '#' does). */
static char *sanitize_id(char *s)
{
	char *p;

	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			*p = '.';
	return s;
}

/* node_state[id]/transient_attributes[id]/instance_attributes[status-id], or NULL. */
static xmlNode *transient_set(const cibdoc *d, const char *id, bool create, const char *uname)
{
	xmlNode *ns = find_node_state(d, id), *ta, *ia;
	char *set_id;

	if (ns == NULL && create) {
		cibdoc_set_node_state_attr((cibdoc *)d, id, uname, "id", id);
		ns = find_node_state(d, id);
	}
	if (ns == NULL)
		return NULL;
	ta = ham_xml_child(ns, "transient_attributes");
	if (ta == NULL) {
		if (!create)
			return NULL;
		ta = xmlNewChild(ns, NULL, BAD_CAST "transient_attributes", NULL);
		xmlSetProp(ta, BAD_CAST "id", BAD_CAST id);
	}
	ia = ham_xml_child(ta, "instance_attributes");
	if (ia == NULL && create) {
		set_id = ham_asprintf("status-%s", id);
		ia = xmlNewChild(ta, NULL, BAD_CAST "instance_attributes", NULL);
		xmlSetProp(ia, BAD_CAST "id", BAD_CAST set_id);
		free(set_id);
	}
	return ia;
}

static xmlNode *nvpair_named(xmlNode *set, const char *name)
{
	xmlNode *n;

	for (n = set ? set->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST "nvpair") == 0 &&
		    attr_is(n, "name", name))
			return n;
	return NULL;
}

int cibdoc_set_transient_attr(cibdoc *d, const char *id, const char *uname,
			      const char *name, const char *value)
{
	xmlNode *set = transient_set(d, id, value != NULL, uname), *nv;
	char *nv_id;

	nv = nvpair_named(set, name);
	if (value == NULL) {
		if (nv == NULL)
			return 0;
		xmlUnlinkNode(nv);
		xmlFreeNode(nv);
		return 1;
	}
	if (nv != NULL) {
		if (attr_is(nv, "value", value))
			return 0;
		xmlSetProp(nv, BAD_CAST "value", BAD_CAST value);
		return 1;
	}
	nv_id = sanitize_id(ham_asprintf("status-%s-%s", id, name));
	nv = xmlNewChild(set, NULL, BAD_CAST "nvpair", NULL);
	xmlSetProp(nv, BAD_CAST "id", BAD_CAST nv_id);
	xmlSetProp(nv, BAD_CAST "name", BAD_CAST name);
	xmlSetProp(nv, BAD_CAST "value", BAD_CAST value);
	free(nv_id);
	return 1;
}

const char *cibdoc_get_transient_attr(const cibdoc *d, const char *id, const char *name)
{
	xmlNode *nv = nvpair_named(transient_set(d, id, false, NULL), name);
	xmlAttr *a = nv ? xmlHasProp(nv, BAD_CAST "value") : NULL;

	return a && a->children ? (const char *)a->children->content : NULL;
}

int cibdoc_clear_failures(cibdoc *d, const char *id, const char *rsc)
{
	static const char *const prefixes[] = { "fail-count-", "last-failure-" };
	xmlNode *set = transient_set(d, id, false, NULL), *n, *next;
	size_t rl = strlen(rsc), i;
	int changed = 0;

	for (n = set ? set->children : NULL; n; n = next) {
		xmlChar *name;
		bool match = false;

		next = n->next;
		if (n->type != XML_ELEMENT_NODE || xmlStrcmp(n->name, BAD_CAST "nvpair") != 0)
			continue;
		name = xmlGetProp(n, BAD_CAST "name");
		for (i = 0; name && i < HAM_ARRAY_SIZE(prefixes); i++) {
			size_t pl = strlen(prefixes[i]);
			const char *s = (const char *)name;

			/* "<prefix><rsc>#<op>_<interval>", clone instances "<rsc>:<n>#..." */
			if (strncmp(s, prefixes[i], pl) == 0 && strncmp(s + pl, rsc, rl) == 0 &&
			    (s[pl + rl] == '#' || s[pl + rl] == ':'))
				match = true;
		}
		xmlFree(name);
		if (match) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
			changed = 1;
		}
	}
	return changed;
}

static xmlNode *find_primitive(xmlNode *parent, const char *id)
{
	xmlNode *x, *f;

	for (x = parent ? parent->children : NULL; x; x = x->next) {
		if (x->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcmp(x->name, BAD_CAST "primitive") == 0 && attr_is(x, "id", id))
			return x;
		if ((xmlStrcmp(x->name, BAD_CAST "group") == 0 ||
		     xmlStrcmp(x->name, BAD_CAST "clone") == 0 ||
		     xmlStrcmp(x->name, BAD_CAST "master") == 0) && (f = find_primitive(x, id)))
			return f;
	}
	return NULL;
}

/* Whether the configured operation that failed says on-fail=ignore. */
static bool failure_ignored(const cibdoc *d, const struct hop_result *r)
{
	xmlNode *rscs = ham_xml_child(ham_xml_child(cibdoc_root(d), "configuration"), "resources");
	char *base = ham_strndup(r->rsc, strcspn(r->rsc, ":")); /* clone instance "rsc:N" */
	xmlNode *prim = find_primitive(rscs, base), *o;
	bool ignored = false;

	free(base);
	for (o = ham_xml_child(prim, "operations") ? ham_xml_child(prim, "operations")->children
						   : NULL;
	     o; o = o->next) {
		xmlChar *iv;
		uint64_t ms = 0;

		if (o->type != XML_ELEMENT_NODE || xmlStrcmp(o->name, BAD_CAST "op") != 0 ||
		    !attr_is(o, "name", r->op))
			continue;
		iv = xmlGetProp(o, BAD_CAST "interval");
		if (iv && ham_parse_duration_ms((const char *)iv, &ms) < 0)
			ms = UINT64_MAX;
		xmlFree(iv);
		if (ms == r->interval_ms && attr_is(o, "on-fail", "ignore"))
			ignored = true;
	}
	return ignored;
}

/*
 * Pacemaker's fail-count-<rsc>#<op>_<interval> and last-failure-... on the
 * node where it failed: a failed start sets INFINITY when
 * start-failure-is-fatal (the default), so does a failed stop; anything
 * else adds one; an operation configured with on-fail=ignore only updates
 * last-failure. The time is the result's own, so every node writes the same.
 */
static void record_failure(cibdoc *d, const char *id, const struct hop_result *r)
{
	char *fc = ham_asprintf("fail-count-%s#%s_%" PRIu64, r->rsc, r->op, r->interval_ms);
	char *lf = ham_asprintf("last-failure-%s#%s_%" PRIu64, r->rsc, r->op, r->interval_ms);
	const char *old = cibdoc_get_transient_attr(d, id, fc);
	char *fatal_s = cibdoc_property(d, "start-failure-is-fatal");
	bool fatal = true;
	char val[32], when[32];
	int cur = 0;

	if (fatal_s)
		ham_parse_bool(fatal_s, &fatal);
	if (failure_ignored(d, r)) {
		/* on-fail=ignore: the failure is remembered, not counted. */
		snprintf(when, sizeof(when), "%" PRId64, r->last_rc_change_s);
		cibdoc_set_transient_attr(d, id, r->node, lf, when);
		goto out;
	}
	if (old == NULL || ham_score_parse(old, &cur) < 0)
		cur = 0;
	if ((strcmp(r->op, "start") == 0 && fatal) || strcmp(r->op, "stop") == 0)
		cur = HAM_SCORE_INFINITY;
	else
		cur = ham_score_add(cur, 1);
	if (cur >= HAM_SCORE_INFINITY)
		snprintf(val, sizeof(val), "INFINITY");
	else
		snprintf(val, sizeof(val), "%d", cur);
	snprintf(when, sizeof(when), "%" PRId64, r->last_rc_change_s);
	cibdoc_set_transient_attr(d, id, r->node, fc, val);
	cibdoc_set_transient_attr(d, id, r->node, lf, when);
out:
	free(fatal_s);
	free(fc);
	free(lf);
}

static xmlNode *lrm_resource(const cibdoc *d, const char *id, const char *rsc);
static char *prop(xmlNode *n, const char *name);

static char *entry_id(const struct hop_result *r)
{
	if (r->interval_ms > 0)
		return ham_asprintf("%s_%s_%" PRIu64, r->rsc, r->op, r->interval_ms);
	return ham_asprintf("%s_last_0", r->rsc);
}

static char *tkey_of(const struct hop_result *r)
{
	return ham_asprintf("%" PRIu64 ":%" PRIu64 ":%d:%s", r->action_id, r->transition_id,
			    r->expected_rc, r->dc_uuid ? r->dc_uuid : "0");
}

/* r's node's current entry for r's operation, when it records the same
 * action (transition key) and operation. */
static xmlNode *same_action_entry(const cibdoc *d, const struct hop_result *r)
{
	char id[16], *op_id = entry_id(r), *tkey = tkey_of(r);
	xmlNode *op;

	snprintf(id, sizeof(id), "%u", r->nodeid);
	op = child_with_id(lrm_resource(d, id, r->rsc), "lrm_rsc_op", op_id);
	if (op && !(attr_is(op, "transition-key", tkey) && attr_is(op, "operation", r->op)))
		op = NULL;
	free(op_id);
	free(tkey);
	return op;
}

bool cibdoc_rsc_op_pending(const cibdoc *d, const struct hop_result *r)
{
	xmlNode *op = same_action_entry(d, r);

	return op && attr_is(op, "op-status", "-1");
}

void cibdoc_put_rsc_op(cibdoc *d, const struct hop_result *r)
{
	char id[16], *op_id;
	xmlNode *lr, *n, *next, *prev = same_action_entry(d, r);
	/* The DC recorded this very action as timed out (call-id 0: no node's
	 * call) and counted the failure: the node's own late result replaces the
	 * record, truthfully, without counting a second failure. */
	bool counted = prev && attr_is(prev, "call-id", "0") && attr_is(prev, "op-status", "2");

	snprintf(id, sizeof(id), "%u", r->nodeid);
	lr = child_with_id_or_new(lrm_resources(d, id, r->node), "lrm_resource", r->rsc);
	xmlSetProp(lr, BAD_CAST "class", BAD_CAST r->cls);
	if (r->provider)
		xmlSetProp(lr, BAD_CAST "provider", BAD_CAST r->provider);
	xmlSetProp(lr, BAD_CAST "type", BAD_CAST r->type);
	if (r->interval_ms > 0)
		op_id = ham_asprintf("%s_%s_%" PRIu64, r->rsc, r->op, r->interval_ms);
	else
		op_id = ham_asprintf("%s_last_0", r->rsc);
	write_op(lr, op_id, r);
	free(op_id);
	if (hop_result_failed(r)) {
		op_id = ham_asprintf("%s_last_failure_0", r->rsc);
		write_op(lr, op_id, r);
		free(op_id);
	}
	if (hop_result_counts_as_failure(r) && !counted)
		record_failure(d, id, r);
	if (strcmp(r->op, "stop") == 0 && r->op_status == HOP_STATUS_DONE && !hop_result_failed(r)) {
		/* Stopped: its recurring monitors are gone with it. */
		for (n = lr->children; n; n = next) {
			xmlChar *iv = xmlGetProp(n, BAD_CAST "interval");
			xmlChar *oid = xmlGetProp(n, BAD_CAST "id");

			next = n->next;
			/* The last failure stays until a cleanup. */
			if (iv && strcmp((const char *)iv, "0") != 0 &&
			    !(oid && strstr((const char *)oid, "_last_failure_") != NULL)) {
				xmlUnlinkNode(n);
				xmlFreeNode(n);
			}
			xmlFree(iv);
			xmlFree(oid);
		}
	}
}

int cibdoc_node_fenced(cibdoc *d, const char *id, const char *uname)
{
	static const char *const attrs[][2] = {
		{ "in_ccm", "false" }, { "crmd", "offline" }, { "join", "down" },
		{ "expected", "down" },
	};
	xmlNode *ns, *lrm;
	int changed = 0;
	size_t i;

	for (i = 0; i < HAM_ARRAY_SIZE(attrs); i++)
		changed |= cibdoc_set_node_state_attr(d, id, uname, attrs[i][0], attrs[i][1]);
	ns = find_node_state(d, id);
	while ((lrm = ham_xml_child(ns, "lrm")) != NULL) {
		xmlUnlinkNode(lrm);
		xmlFreeNode(lrm);
		changed = 1;
	}
	/* Transient attributes (fail counts among them) do not survive a reboot. */
	while ((lrm = ham_xml_child(ns, "transient_attributes")) != NULL) {
		xmlUnlinkNode(lrm);
		xmlFreeNode(lrm);
		changed = 1;
	}
	return changed;
}

void cibdoc_pending_ops(const cibdoc *d, struct cib_pending **ret, size_t *ret_n)
{
	xmlNode *status = ham_xml_child(cibdoc_root(d), "status"), *ns, *lr, *op;
	struct cib_pending *p = NULL;
	size_t n = 0;

	for (ns = status ? status->children : NULL; ns; ns = ns->next) {
		xmlChar *nid;
		uint32_t id;

		if (!ham_xml_is(ns, "node_state"))
			continue;
		nid = xmlGetProp(ns, BAD_CAST "id");
		if (nid == NULL || ham_parse_uint32((const char *)nid, &id) < 0) {
			xmlFree(nid);
			continue;
		}
		xmlFree(nid);
		lr = ham_xml_child(ham_xml_child(ns, "lrm"), "lrm_resources");
		for (lr = lr ? lr->children : NULL; lr; lr = lr->next) {
			if (!ham_xml_is(lr, "lrm_resource"))
				continue;
			for (op = lr->children; op; op = op->next) {
				xmlChar *rsc, *name;

				if (!ham_xml_is(op, "lrm_rsc_op") || !attr_is(op, "op-status", "-1"))
					continue;
				rsc = xmlGetProp(lr, BAD_CAST "id");
				name = xmlGetProp(op, BAD_CAST "operation");
				if (rsc && name) {
					p = ham_reallocarray(p, n + 1, sizeof(*p));
					p[n].nodeid = id;
					p[n].rsc = ham_strdup((const char *)rsc);
					p[n].op = ham_strdup((const char *)name);
					p[n].cls = prop(lr, "class");
					p[n].provider = prop(lr, "provider");
					p[n].type = prop(lr, "type");
					n++;
				}
				xmlFree(rsc);
				xmlFree(name);
			}
		}
	}
	*ret = p;
	*ret_n = n;
}

void cibdoc_pending_free(struct cib_pending *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(p[i].rsc);
		free(p[i].op);
		free(p[i].cls);
		free(p[i].provider);
		free(p[i].type);
	}
	free(p);
}

bool cibdoc_has_history(const cibdoc *d, const char *id, const char *rsc)
{
	xmlNode *ns = find_node_state(d, id);
	xmlNode *lrs = ham_xml_child(ham_xml_child(ns, "lrm"), "lrm_resources");

	return child_with_id(lrs, "lrm_resource", rsc) != NULL;
}

static xmlNode *lrm_resource(const cibdoc *d, const char *id, const char *rsc)
{
	xmlNode *ns = find_node_state(d, id);

	return child_with_id(ham_xml_child(ham_xml_child(ns, "lrm"), "lrm_resources"),
			     "lrm_resource", rsc);
}

bool cibdoc_rsc_active(const cibdoc *d, const char *id, const char *rsc)
{
	char *op_id = ham_asprintf("%s_last_0", rsc);
	xmlNode *op = child_with_id(lrm_resource(d, id, rsc), "lrm_rsc_op", op_id);
	bool active = false;

	free(op_id);
	if (op && attr_is(op, "op-status", "0")) {
		if (attr_is(op, "operation", "start") || attr_is(op, "operation", "promote") ||
		    attr_is(op, "operation", "demote"))
			active = attr_is(op, "rc-code", "0");
		else if (attr_is(op, "operation", "monitor"))
			active = attr_is(op, "rc-code", "0") || attr_is(op, "rc-code", "8");
	}
	return active;
}

bool cibdoc_has_recurring(const cibdoc *d, const char *id, const char *rsc, uint64_t interval_ms)
{
	char *op_id = ham_asprintf("%s_monitor_%" PRIu64, rsc, interval_ms);
	bool have = child_with_id(lrm_resource(d, id, rsc), "lrm_rsc_op", op_id) != NULL;

	free(op_id);
	return have;
}

/* ---- configuration reading ------------------------------------------- */

static char *prop(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char *s = v ? ham_strdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static uint64_t op_timeout(xmlNode *prim, const char *opname)
{
	xmlNode *o;
	uint64_t ms = 0;

	for (o = ham_xml_child(prim, "operations") ? ham_xml_child(prim, "operations")->children
						   : NULL;
	     o; o = o->next) {
		char *t;

		if (o->type != XML_ELEMENT_NODE || xmlStrcmp(o->name, BAD_CAST "op") != 0 ||
		    !attr_is(o, "name", opname))
			continue;
		t = prop(o, "timeout");
		if (t && ham_parse_duration_ms(t, &ms) < 0)
			ms = 0;
		free(t);
		if (ms)
			break;
	}
	return ms;
}

static uint64_t monitor_interval(xmlNode *prim)
{
	xmlNode *ops = ham_xml_child(prim, "operations"), *o;
	uint64_t ms = 0;

	for (o = ops ? ops->children : NULL; o; o = o->next) {
		char *iv, *role;
		bool plain;

		if (o->type != XML_ELEMENT_NODE || xmlStrcmp(o->name, BAD_CAST "op") != 0 ||
		    !attr_is(o, "name", "monitor") || attr_is(o, "enabled", "false"))
			continue;
		/* Role-specific monitors belong to promotable clones: not yet. */
		role = prop(o, "role");
		plain = role == NULL || strcmp(role, "Started") == 0;
		free(role);
		iv = prop(o, "interval");
		if (!plain || iv == NULL || ham_parse_duration_ms(iv, &ms) < 0)
			ms = 0;
		free(iv);
		if (ms > 0)
			return ms;
	}
	return 0;
}

static void add_prim(xmlNode *p, struct cib_prim **arr, size_t *n)
{
	struct cib_prim *c;
	xmlNode *ia, *nv;

	*arr = ham_reallocarray(*arr, *n + 1, sizeof(**arr));
	c = &(*arr)[(*n)++];
	memset(c, 0, sizeof(*c));
	c->id = prop(p, "id");
	c->cls = prop(p, "class");
	c->provider = prop(p, "provider");
	c->type = prop(p, "type");
	ia = ham_xml_child(p, "instance_attributes");
	for (nv = ia ? ia->children : NULL; nv; nv = nv->next) {
		char *name, *value;

		if (nv->type != XML_ELEMENT_NODE || xmlStrcmp(nv->name, BAD_CAST "nvpair") != 0)
			continue;
		name = prop(nv, "name");
		value = prop(nv, "value");
		if (name == NULL) {
			free(value);
			continue;
		}
		c->param_names = ham_reallocarray(c->param_names, c->n_params + 1, sizeof(char *));
		c->param_values = ham_reallocarray(c->param_values, c->n_params + 1, sizeof(char *));
		c->param_names[c->n_params] = name;
		c->param_values[c->n_params++] = value ? value : ham_strdup("");
	}
	c->start_timeout_ms = op_timeout(p, "start");
	c->stop_timeout_ms = op_timeout(p, "stop");
	c->monitor_timeout_ms = op_timeout(p, "monitor");
	c->monitor_interval_ms = monitor_interval(p);
}

static void walk_prims(xmlNode *parent, struct cib_prim **arr, size_t *n)
{
	xmlNode *x;

	for (x = parent ? parent->children : NULL; x; x = x->next) {
		if (x->type != XML_ELEMENT_NODE)
			continue;
		if (xmlStrcmp(x->name, BAD_CAST "primitive") == 0)
			add_prim(x, arr, n);
		else if (xmlStrcmp(x->name, BAD_CAST "group") == 0 ||
			 xmlStrcmp(x->name, BAD_CAST "clone") == 0 ||
			 xmlStrcmp(x->name, BAD_CAST "master") == 0)
			walk_prims(x, arr, n);
	}
}

void cibdoc_prims(const cibdoc *d, struct cib_prim **ret, size_t *ret_n)
{
	xmlNode *rscs = ham_xml_child(ham_xml_child(cibdoc_root(d), "configuration"), "resources");

	*ret = NULL;
	*ret_n = 0;
	walk_prims(rscs, ret, ret_n);
}

void cibdoc_prims_free(struct cib_prim *p, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		free(p[i].id);
		free(p[i].cls);
		free(p[i].provider);
		free(p[i].type);
		for (j = 0; j < p[i].n_params; j++) {
			free(p[i].param_names[j]);
			free(p[i].param_values[j]);
		}
		free(p[i].param_names);
		free(p[i].param_values);
	}
	free(p);
}

char *cibdoc_property(const cibdoc *d, const char *name)
{
	xmlNode *cc = ham_xml_child(ham_xml_child(cibdoc_root(d), "configuration"), "crm_config"),
		*set, *nv;

	for (set = cc ? cc->children : NULL; set; set = set->next) {
		if (set->type != XML_ELEMENT_NODE)
			continue;
		for (nv = set->children; nv; nv = nv->next)
			if (nv->type == XML_ELEMENT_NODE &&
			    xmlStrcmp(nv->name, BAD_CAST "nvpair") == 0 && attr_is(nv, "name", name))
				return prop(nv, "value");
	}
	return NULL;
}

void cibdoc_dump_for_policy(const cibdoc *d, bool quorate, const char *dc_uuid,
			    char **ret_buf, size_t *ret_len)
{
	cibdoc copy = { .doc = xmlCopyDoc(d->doc, 1) };
	xmlNode *root, *nodes, *status, *ns;

	if (copy.doc == NULL)
		abort();
	root = cibdoc_root(&copy);
	xmlSetProp(root, BAD_CAST "have-quorum", BAD_CAST(quorate ? "1" : "0"));
	if (dc_uuid)
		xmlSetProp(root, BAD_CAST "dc-uuid", BAD_CAST dc_uuid);
	nodes = child_or_new(child_or_new(root, "configuration"), "nodes");
	status = ham_xml_child(root, "status");
	for (ns = status ? status->children : NULL; ns; ns = ns->next) {
		char *id, *uname;
		xmlNode *n;
		bool have = false;

		if (ns->type != XML_ELEMENT_NODE || xmlStrcmp(ns->name, BAD_CAST "node_state") != 0)
			continue;
		id = prop(ns, "id");
		uname = prop(ns, "uname");
		for (n = nodes->children; n && id && uname; n = n->next)
			if (n->type == XML_ELEMENT_NODE &&
			    (attr_is(n, "id", id) || attr_is(n, "uname", uname)))
				have = true;
		if (!have && id && uname) {
			n = xmlNewChild(nodes, NULL, BAD_CAST "node", NULL);
			xmlSetProp(n, BAD_CAST "id", BAD_CAST id);
			xmlSetProp(n, BAD_CAST "uname", BAD_CAST uname);
		}
		free(id);
		free(uname);
	}
	cibdoc_dump(&copy, ret_buf, ret_len);
	xmlFreeDoc(copy.doc);
}

void cibdoc_dump(const cibdoc *d, char **ret_buf, size_t *ret_len)
{
	xmlBuffer *b = xmlBufferCreate();

	/* Serialize the root element only: no XML declaration, one line. */
	xmlNodeDump(b, d->doc, cibdoc_root(d), 0, 0);
	*ret_len = (size_t)xmlBufferLength(b);
	*ret_buf = ham_strndup((const char *)xmlBufferContent(b), *ret_len);
	xmlBufferFree(b);
}

int cibdoc_store_save(const char *path, const char *buf, size_t len)
{
	return ham_cib_store_save_cib(path, buf, len, 0, NULL);
}

int cibdoc_store_load(const char *path, char **ret_buf, size_t *ret_len, char **ret_err)
{
	ham_cib_diags *diags = ham_cib_diags_new();
	int r = ham_cib_store_load(path, ret_buf, ret_len, diags);

	if (r < 0 && ret_err != NULL)
		*ret_err = ham_cib_diags_count(diags) > 0 ?
			   ham_strdup(ham_cib_diags_get(diags, 0)->message) : NULL;
	ham_cib_diags_free(diags);
	return r;
}
