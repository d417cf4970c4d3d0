/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/cib/doc.c: the daemon's CIB document (see "The document" in
 * <hamgr/cib.h>): a libxml2 DOM with the version triple, configuration
 * pushes, node_state attributes, operation results with Pacemaker's fail
 * counts, transient attributes, and what the daemon reads back from it.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <hamgr/ocf.h>
#include <hamgr/xml.h>
#include "cib_private.h"

struct ham_cib_doc {
	xmlDoc *doc;
};

static const char *const empty_cib =
	"<cib admin_epoch=\"0\" epoch=\"0\" num_updates=\"0\" validate-with=\"pacemaker-3.0\">"
	"<configuration><crm_config/><nodes/><resources/><constraints/></configuration>"
	"<status/></cib>";

static xmlNode *child_or_new(xmlNode *parent, const char *name)
{
	xmlNode *n = ham_xml_child(parent, name);

	return n ? n : xmlNewChild(parent, NULL, BAD_CAST name, NULL);
}

/* Parses with no DTD, no entity expansion, no network (lib/cib's prechecks). */
static xmlDocPtr parse_safely(const char *buf, size_t len, ham_cib_diags *diags, int *ret_err)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	int r = cib_precheck(buf, len, 0, diags);

	*ret_err = 0;
	if (r < 0) {
		*ret_err = r;
		return NULL;
	}
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		*ret_err = -ENOMEM;
		return NULL;
	}
	/* HUGE: a CIB over 10 MB on one line (as we serialize it) otherwise fails
	 * with "Huge input lookup"; cib_precheck bounds the size and refuses DTDs,
	 * and entities stay unexpanded. */
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, "UTF-8",
				XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_BIG_LINES |
					XML_PARSE_NOBLANKS | XML_PARSE_HUGE |
					XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL || !ctxt->wellFormed) {
		xmlErrorPtr e = xmlCtxtGetLastError(ctxt);

		ham_cib_diags_add(diags, HAM_CIB_ERROR, e ? (unsigned)e->line : 0, NULL, NULL,
				  "XML: %s", e && e->message ? e->message : "not well-formed");
		if (doc != NULL)
			xmlFreeDoc(doc);
		doc = NULL;
		*ret_err = -HAM_E_XML;
	}
	xmlFreeParserCtxt(ctxt);
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

static int read_version(xmlNode *root, struct ham_cib_version *v, ham_cib_diags *diags)
{
	static const char *const names[] = { "admin_epoch", "epoch", "num_updates" };
	uint64_t *vals[] = { &v->admin_epoch, &v->epoch, &v->num_updates };
	size_t i;

	for (i = 0; i < 3; i++) {
		if (get_u64(root, names[i], vals[i], false) < 0) {
			ham_cib_diags_add(diags, HAM_CIB_ERROR, (unsigned)xmlGetLineNo(root), "cib",
					  NULL, "<cib %s>: not a non-negative integer", names[i]);
			return -HAM_E_CONFIG;
		}
	}
	return 0;
}

ham_cib_doc *ham_cib_doc_new_empty(void)
{
	ham_cib_doc *d = NULL;

	if (ham_cib_doc_parse(empty_cib, strlen(empty_cib), &d, NULL) != 0)
		abort();
	return d;
}

int ham_cib_doc_parse(const char *buf, size_t len, ham_cib_doc **ret, ham_cib_diags *diags)
{
	struct ham_cib_version v;
	int r;
	xmlDoc *doc = parse_safely(buf, len, diags, &r);
	xmlNode *root;

	if (doc == NULL)
		return r;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || xmlStrcmp(root->name, BAD_CAST "cib") != 0) {
		ham_cib_diags_add(diags, HAM_CIB_ERROR, root ? (unsigned)xmlGetLineNo(root) : 1,
				  NULL, NULL, "the root element must be <cib>");
		xmlFreeDoc(doc);
		return -HAM_E_SCHEMA;
	}
	if ((r = read_version(root, &v, diags)) < 0) {
		xmlFreeDoc(doc);
		return r;
	}
	child_or_new(root, "configuration");
	child_or_new(root, "status");
	*ret = ham_new0(ham_cib_doc);
	(*ret)->doc = doc;
	return 0;
}

ham_cib_doc *ham_cib_doc_copy(const ham_cib_doc *d)
{
	ham_cib_doc *c = ham_new0(ham_cib_doc);

	c->doc = xmlCopyDoc(d->doc, 1);
	if (c->doc == NULL)
		abort();
	return c;
}

ham_cib_doc *ham_cib_doc_free(ham_cib_doc *d)
{
	if (d) {
		xmlFreeDoc(d->doc);
		free(d);
	}
	return NULL;
}

xmlNode *ham_cib_doc_root(const ham_cib_doc *d)
{
	return xmlDocGetRootElement(d->doc);
}

int ham_cib_doc_get_version(const ham_cib_doc *d, struct ham_cib_version *ret)
{
	memset(ret, 0, sizeof(*ret));
	return read_version(ham_cib_doc_root(d), ret, NULL);
}

static void set_u64(xmlNode *n, const char *name, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	xmlSetProp(n, BAD_CAST name, BAD_CAST buf);
}

int ham_cib_doc_set_version(ham_cib_doc *d, const struct ham_cib_version *v)
{
	xmlNode *root = ham_cib_doc_root(d);

	set_u64(root, "admin_epoch", v->admin_epoch);
	set_u64(root, "epoch", v->epoch);
	set_u64(root, "num_updates", v->num_updates);
	return 0;
}

int ham_cib_doc_bump_num_updates(ham_cib_doc *d)
{
	struct ham_cib_version v;
	int r = ham_cib_doc_get_version(d, &v);

	if (r < 0)
		return r;
	v.num_updates++;
	return ham_cib_doc_set_version(d, &v);
}

int ham_cib_doc_bump_epoch(ham_cib_doc *d)
{
	struct ham_cib_version v;
	int r = ham_cib_doc_get_version(d, &v);

	if (r < 0)
		return r;
	v.epoch++;
	v.num_updates = 0;
	return ham_cib_doc_set_version(d, &v);
}

int ham_cib_doc_set_cib_attr(ham_cib_doc *d, const char *name, const char *value)
{
	xmlNode *root = ham_cib_doc_root(d);

	if (name == NULL || *name == '\0')
		return -EINVAL;
	if (value != NULL)
		xmlSetProp(root, BAD_CAST name, BAD_CAST value);
	else
		xmlUnsetProp(root, BAD_CAST name);
	return 0;
}

char *ham_cib_diags_message(const ham_cib_diags *diags, int r)
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

int ham_cib_doc_check_config(const char *buf, size_t len, char **ret_err)
{
	struct ham_cib_load_opts opts = { .flags = HAM_CIB_LOAD_SCHEMA };
	ham_cib_diags *diags;
	ham_cib *cib = NULL;
	ham_cib_doc *d = NULL;
	int r;

	*ret_err = NULL;
	diags = ham_cib_diags_new();
	/* The document's parse first: the safety rules, a <cib> root, the versions. */
	r = ham_cib_doc_parse(buf, len, &d, diags);
	ham_cib_doc_free(d);
	/* Then the loader: schema and every semantic check. */
	if (r == 0)
		r = ham_cib_load_mem(buf, len, "the pushed configuration", &opts, &cib, diags);
	if (r < 0)
		*ret_err = ham_cib_diags_message(diags, r);
	ham_cib_free(cib);
	ham_cib_diags_free(diags);
	return r;
}

static int base_cmp(const struct ham_cib_version *in, const struct ham_cib_version *cur)
{
	if (in->admin_epoch != cur->admin_epoch)
		return in->admin_epoch < cur->admin_epoch ? -1 : 1;
	if (in->epoch != cur->epoch)
		return in->epoch < cur->epoch ? -1 : 1;
	return 0;
}

static int stale(const struct ham_cib_version *in, const struct ham_cib_version *cur, char **ret_err)
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

int ham_cib_doc_check_base(const ham_cib_doc *d, const char *buf, size_t len, char **ret_err)
{
	struct ham_cib_version cur, in;
	ham_cib_doc *src = NULL;
	int r;

	if (ham_cib_doc_parse(buf, len, &src, NULL) < 0)
		return 0;
	ham_cib_doc_get_version(d, &cur);
	ham_cib_doc_get_version(src, &in);
	r = stale(&in, &cur, ret_err);
	ham_cib_doc_free(src);
	return r;
}

int ham_cib_doc_push_configuration(ham_cib_doc *d, const char *buf, size_t len, bool force,
				   char **ret_err)
{
	struct ham_cib_version cur, in;
	ham_cib_doc *src = NULL;
	xmlNode *newconf, *oldconf, *copy;
	ham_cib_diags *diags = ham_cib_diags_new();
	int r;

	r = ham_cib_doc_parse(buf, len, &src, diags);
	if (r < 0 && ret_err)
		*ret_err = ham_cib_diags_message(diags, r);
	ham_cib_diags_free(diags);
	if (r < 0)
		return r;
	ham_cib_doc_get_version(d, &cur);
	ham_cib_doc_get_version(src, &in);
	if (!force && (r = stale(&in, &cur, ret_err)) < 0) {
		ham_cib_doc_free(src);
		return r;
	}
	newconf = ham_xml_child(ham_cib_doc_root(src), "configuration");
	oldconf = ham_xml_child(ham_cib_doc_root(d), "configuration");
	copy = xmlDocCopyNode(newconf, d->doc, 1);
	xmlReplaceNode(oldconf, copy);
	xmlFreeNode(oldconf);
	if (in.admin_epoch > cur.admin_epoch)
		cur.admin_epoch = in.admin_epoch;
	cur.epoch++;
	cur.num_updates = 0;
	ham_cib_doc_set_version(d, &cur);
	ham_cib_doc_free(src);
	return 0;
}

int ham_cib_doc_replace_configuration(ham_cib_doc *doc, const char *xml, size_t len,
				      ham_cib_diags *diags)
{
	int r;
	xmlDocPtr in = parse_safely(xml, len, diags, &r);
	xmlNodePtr src, copy, root = ham_cib_doc_root(doc), old;

	if (in == NULL)
		return r;
	src = xmlDocGetRootElement(in);
	if (src != NULL && xmlStrEqual(src->name, BAD_CAST "cib"))
		src = ham_xml_child(src, "configuration");
	if (src == NULL || !xmlStrEqual(src->name, BAD_CAST "configuration")) {
		ham_cib_diags_add(diags, HAM_CIB_ERROR, 0, NULL, NULL,
				  "no <configuration> element in the replacement");
		xmlFreeDoc(in);
		return -EINVAL;
	}
	copy = xmlDocCopyNode(src, doc->doc, 1);
	xmlFreeDoc(in);
	if (copy == NULL)
		return -ENOMEM;
	old = ham_xml_child(root, "configuration");
	if (old != NULL) {
		xmlReplaceNode(old, copy);
		xmlFreeNode(old);
	} else if (root->children != NULL) {
		xmlAddPrevSibling(root->children, copy);
	} else {
		xmlAddChild(root, copy);
	}
	return 0;
}

static xmlNode *find_node_state(const ham_cib_doc *d, const char *id)
{
	xmlNode *status = ham_xml_child(ham_cib_doc_root(d), "status"), *n;

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

int ham_cib_doc_set_node_state_attr(ham_cib_doc *d, const char *id, const char *uname,
			       const char *name, const char *value)
{
	xmlNode *ns;
	xmlChar *old;
	bool same;

	if (id == NULL || name == NULL || *name == '\0' ||
	    (strcmp(name, "id") == 0 && !ham_streq(value, id)))
		return -EINVAL;
	ns = find_node_state(d, id);
	if (ns == NULL) {
		ns = xmlNewChild(child_or_new(ham_cib_doc_root(d), "status"), NULL,
				 BAD_CAST "node_state", NULL);
		xmlSetProp(ns, BAD_CAST "id", BAD_CAST id);
		if (uname)
			xmlSetProp(ns, BAD_CAST "uname", BAD_CAST uname);
	}
	old = xmlGetProp(ns, BAD_CAST name);
	same = value ? old && strcmp((const char *)old, value) == 0 : old == NULL;
	xmlFree(old);
	if (same)
		return 0;
	if (value)
		xmlSetProp(ns, BAD_CAST name, BAD_CAST value);
	else
		xmlUnsetProp(ns, BAD_CAST name);
	return 1;
}

const char *ham_cib_doc_get_node_state_attr(const ham_cib_doc *d, const char *id, const char *name)
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

char **ham_cib_doc_node_state_ids(const ham_cib_doc *d)
{
	xmlNode *status = ham_xml_child(ham_cib_doc_root(d), "status"), *n;
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

static void write_op(xmlNode *lr, const char *op_id, const struct ham_cib_op_result *r)
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

static xmlNode *lrm_resources(ham_cib_doc *d, const char *id, const char *uname)
{
	xmlNode *ns = find_node_state(d, id), *lrm;

	if (ns == NULL) {
		ham_cib_doc_set_node_state_attr(d, id, uname, "id", id);
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
static xmlNode *transient_set(const ham_cib_doc *d, const char *id, bool create, const char *uname)
{
	xmlNode *ns = find_node_state(d, id), *ta, *ia;
	char *set_id;

	if (ns == NULL && create) {
		ham_cib_doc_set_node_state_attr((ham_cib_doc *)d, id, uname, "id", id);
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

/* Told of every transient attribute change (attribute alerts, alerts.c). */
static ham_cib_attr_observer attr_observer;
static void *attr_observer_ud;

void ham_cib_set_attr_observer(ham_cib_attr_observer cb, void *ud)
{
	attr_observer = cb;
	attr_observer_ud = ud;
}

static int set_transient_attr(ham_cib_doc *d, const char *id, const char *uname,
			      const char *name, const char *value);

int ham_cib_doc_set_transient_attr(ham_cib_doc *d, const char *id, const char *uname,
			      const char *name, const char *value)
{
	int r = set_transient_attr(d, id, uname, name, value);

	if (r > 0 && attr_observer != NULL)
		attr_observer(d, id, uname, name, value, attr_observer_ud);
	return r;
}

static int set_transient_attr(ham_cib_doc *d, const char *id, const char *uname,
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

const char *ham_cib_doc_get_transient_attr(const ham_cib_doc *d, const char *id, const char *name)
{
	xmlNode *nv = nvpair_named(transient_set(d, id, false, NULL), name);
	xmlAttr *a = nv ? xmlHasProp(nv, BAD_CAST "value") : NULL;

	return a && a->children ? (const char *)a->children->content : NULL;
}

int ham_cib_doc_clear_failures(ham_cib_doc *d, const char *id, const char *rsc)
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
static bool failure_ignored(const ham_cib_doc *d, const struct ham_cib_op_result *r)
{
	xmlNode *rscs = ham_xml_child(ham_xml_child(ham_cib_doc_root(d), "configuration"), "resources");
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
static void record_failure(ham_cib_doc *d, const char *id, const struct ham_cib_op_result *r)
{
	char *fc = ham_asprintf("fail-count-%s#%s_%" PRIu64, r->rsc, r->op, r->interval_ms);
	char *lf = ham_asprintf("last-failure-%s#%s_%" PRIu64, r->rsc, r->op, r->interval_ms);
	const char *old = ham_cib_doc_get_transient_attr(d, id, fc);
	char *fatal_s = ham_cib_doc_property(d, "start-failure-is-fatal");
	bool fatal = true;
	char val[32], when[32];
	int cur = 0;

	if (fatal_s)
		ham_parse_bool(fatal_s, &fatal);
	if (failure_ignored(d, r)) {
		/* on-fail=ignore: the failure is remembered, not counted. */
		snprintf(when, sizeof(when), "%" PRId64, r->last_rc_change_s);
		ham_cib_doc_set_transient_attr(d, id, r->node, lf, when);
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
	ham_cib_doc_set_transient_attr(d, id, r->node, fc, val);
	ham_cib_doc_set_transient_attr(d, id, r->node, lf, when);
out:
	free(fatal_s);
	free(fc);
	free(lf);
}

static xmlNode *lrm_resource(const ham_cib_doc *d, const char *id, const char *rsc);
static char *prop(xmlNode *n, const char *name);

static char *entry_id(const struct ham_cib_op_result *r)
{
	if (r->interval_ms > 0)
		return ham_asprintf("%s_%s_%" PRIu64, r->rsc, r->op, r->interval_ms);
	return ham_asprintf("%s_last_0", r->rsc);
}

static char *tkey_of(const struct ham_cib_op_result *r)
{
	return ham_asprintf("%" PRIu64 ":%" PRIu64 ":%d:%s", r->action_id, r->transition_id,
			    r->expected_rc, r->dc_uuid ? r->dc_uuid : "0");
}

/* r's node's current entry for r's operation, when it records the same
 * action (transition key) and operation. */
static xmlNode *same_action_entry(const ham_cib_doc *d, const struct ham_cib_op_result *r)
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

/* The lrm_resource's agent (NULL: left as it is). */
static void set_agent(xmlNode *lr, const char *cls, const char *provider, const char *type)
{
	if (cls)
		xmlSetProp(lr, BAD_CAST "class", BAD_CAST cls);
	if (provider)
		xmlSetProp(lr, BAD_CAST "provider", BAD_CAST provider);
	if (type)
		xmlSetProp(lr, BAD_CAST "type", BAD_CAST type);
}

int ham_cib_doc_put_rsc_op(ham_cib_doc *d, const char *node_id, const char *rsc_id,
			   const char *class_, const char *provider, const char *type,
			   const char *const *attrs)
{
	const char *op_id = NULL;
	xmlNode *lrs, *lr, *op, *old;
	size_t i;

	if (node_id == NULL || rsc_id == NULL || attrs == NULL)
		return -EINVAL;
	for (i = 0; attrs[i] != NULL; i += 2) {
		if (attrs[i + 1] == NULL)
			return -EINVAL;
		if (strcmp(attrs[i], "id") == 0)
			op_id = attrs[i + 1];
	}
	if (op_id == NULL || *op_id == '\0')
		return -EINVAL;
	lrs = lrm_resources(d, node_id, NULL);
	lr = child_with_id(lrs, "lrm_resource", rsc_id);
	if (lr == NULL) {
		lr = child_with_id_or_new(lrs, "lrm_resource", rsc_id);
		set_agent(lr, class_, provider, type);
	}
	op = xmlNewDocNode(d->doc, NULL, BAD_CAST "lrm_rsc_op", NULL);
	for (i = 0; attrs[i] != NULL; i += 2)
		xmlSetProp(op, BAD_CAST attrs[i], BAD_CAST attrs[i + 1]);
	old = child_with_id(lr, "lrm_rsc_op", op_id);
	if (old != NULL) {
		xmlReplaceNode(old, op);
		xmlFreeNode(old);
	} else {
		xmlAddChild(lr, op);
	}
	return 0;
}

int ham_cib_doc_delete_lrm_resource(ham_cib_doc *d, const char *node_id, const char *rsc_id)
{
	xmlNode *lr = lrm_resource(d, node_id, rsc_id);

	if (lr == NULL)
		return -ENOENT;
	xmlUnlinkNode(lr);
	xmlFreeNode(lr);
	return 0;
}

bool ham_cib_op_failed(const struct ham_cib_op_result *r)
{
	if (r->op_status == HAM_CIB_OP_PENDING)
		return false;
	if (r->op_status != HAM_CIB_OP_DONE)
		return true;
	/* A probe may find the resource running or not: both are answers. */
	if (strcmp(r->op, "monitor") == 0 && r->interval_ms == 0 &&
	    (r->rc == 0 || r->rc == 7 || r->rc == 8))
		return false;
	return r->rc != r->expected_rc;
}

bool ham_cib_op_counts_as_failure(const struct ham_cib_op_result *r)
{
	if (r->op_status == HAM_CIB_OP_PENDING || r->op_status == HAM_CIB_OP_CANCELLED)
		return false;
	/* A probe that finds the agent missing bans the node (the engine reads
	 * that from the history); it is not a failure of the resource. */
	if (strcmp(r->op, "monitor") == 0 && r->interval_ms == 0 &&
	    (r->rc == 5 || r->op_status == HAM_CIB_OP_NOT_INSTALLED))
		return false;
	return ham_cib_op_failed(r);
}

bool ham_cib_doc_op_pending(const ham_cib_doc *d, const struct ham_cib_op_result *r)
{
	xmlNode *op = same_action_entry(d, r);

	return op && attr_is(op, "op-status", "-1");
}

void ham_cib_doc_record_op(ham_cib_doc *d, const struct ham_cib_op_result *r)
{
	char id[16], *op_id;
	xmlNode *lr, *n, *next, *prev = same_action_entry(d, r);
	/* The DC recorded this very action as timed out (call-id 0: no node's
	 * call) and counted the failure: the node's own late result replaces the
	 * record, truthfully, without counting a second failure. */
	bool counted = prev && attr_is(prev, "call-id", "0") && attr_is(prev, "op-status", "2");

	snprintf(id, sizeof(id), "%u", r->nodeid);
	lr = child_with_id_or_new(lrm_resources(d, id, r->node), "lrm_resource", r->rsc);
	set_agent(lr, r->cls, r->provider, r->type);
	if (r->interval_ms > 0)
		op_id = ham_asprintf("%s_%s_%" PRIu64, r->rsc, r->op, r->interval_ms);
	else
		op_id = ham_asprintf("%s_last_0", r->rsc);
	write_op(lr, op_id, r);
	free(op_id);
	if (ham_cib_op_failed(r)) {
		op_id = ham_asprintf("%s_last_failure_0", r->rsc);
		write_op(lr, op_id, r);
		free(op_id);
	}
	if (ham_cib_op_counts_as_failure(r) && !counted)
		record_failure(d, id, r);
	if (strcmp(r->op, "stop") == 0 && r->op_status == HAM_CIB_OP_DONE && !ham_cib_op_failed(r)) {
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

/* Removes every child element of n called name; 1 if there was one. */
static int drop_children(xmlNode *n, const char *name)
{
	xmlNode *c;
	int changed = 0;

	while ((c = ham_xml_child(n, name)) != NULL) {
		xmlUnlinkNode(c);
		xmlFreeNode(c);
		changed = 1;
	}
	return changed;
}

int ham_cib_doc_erase_transient(ham_cib_doc *d, const char *id)
{
	return drop_children(find_node_state(d, id), "transient_attributes");
}

int ham_cib_doc_erase_history(ham_cib_doc *d, const char *id)
{
	return drop_children(find_node_state(d, id), "lrm");
}

int ham_cib_doc_node_fenced(ham_cib_doc *d, const char *id, const char *uname)
{
	static const char *const attrs[][2] = {
		{ "in_ccm", "false" }, { "crmd", "offline" }, { "join", "down" },
		{ "expected", "down" },
	};
	int changed = 0;
	size_t i;

	for (i = 0; i < HAM_ARRAY_SIZE(attrs); i++)
		changed |= ham_cib_doc_set_node_state_attr(d, id, uname, attrs[i][0], attrs[i][1]);
	changed |= ham_cib_doc_erase_history(d, id);
	/* Transient attributes (fail counts among them) do not survive a reboot. */
	changed |= ham_cib_doc_erase_transient(d, id);
	return changed;
}

void ham_cib_doc_pending_ops(const ham_cib_doc *d, struct ham_cib_pending **ret, size_t *ret_n)
{
	xmlNode *status = ham_xml_child(ham_cib_doc_root(d), "status"), *ns, *lr, *op;
	struct ham_cib_pending *p = NULL;
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

void ham_cib_pending_free(struct ham_cib_pending *p, size_t n)
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

bool ham_cib_doc_has_history(const ham_cib_doc *d, const char *id, const char *rsc)
{
	xmlNode *ns = find_node_state(d, id);
	xmlNode *lrs = ham_xml_child(ham_xml_child(ns, "lrm"), "lrm_resources");

	return child_with_id(lrs, "lrm_resource", rsc) != NULL;
}

static xmlNode *lrm_resource(const ham_cib_doc *d, const char *id, const char *rsc)
{
	xmlNode *ns = find_node_state(d, id);

	return child_with_id(ham_xml_child(ham_xml_child(ns, "lrm"), "lrm_resources"),
			     "lrm_resource", rsc);
}

bool ham_cib_doc_rsc_active(const ham_cib_doc *d, const char *id, const char *rsc)
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

/* ---- a member's own status (sync rounds) ---------------------------- */

struct ham_cib_own_state {
	xmlDoc *doc; /* root: one <node_state> */
};

int ham_cib_own_state_parse(const char *buf, size_t len, const char *id,
			    ham_cib_own_state **ret)
{
	xmlDoc *doc;
	xmlNode *root;

	*ret = NULL;
	if (len > INT_MAX)
		return -EMSGSIZE;
	doc = xmlReadMemory(buf, (int)len, "node_state", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING | XML_PARSE_HUGE);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root == NULL || xmlStrcmp(root->name, BAD_CAST "node_state") != 0) {
		xmlFreeDoc(doc);
		return -HAM_E_XML;
	}
	if (!attr_is(root, "id", id)) {
		xmlFreeDoc(doc);
		return -EPERM;
	}
	*ret = ham_new0(ham_cib_own_state);
	(*ret)->doc = doc;
	return 0;
}

ham_cib_own_state *ham_cib_own_state_free(ham_cib_own_state *o)
{
	if (o) {
		xmlFreeDoc(o->doc);
		free(o);
	}
	return NULL;
}

int ham_cib_doc_dump_node_state(const ham_cib_doc *d, const char *id, char **ret_buf,
				size_t *ret_len)
{
	xmlNode *ns = find_node_state(d, id);
	xmlBufferPtr b;

	if (ns == NULL)
		return -ENOENT;
	b = xmlBufferCreate();
	if (b == NULL)
		abort();
	xmlNodeDump(b, ns->doc, ns, 0, 0);
	*ret_len = (size_t)xmlBufferLength(b);
	*ret_buf = ham_newa0(char, *ret_len + 1);
	memcpy(*ret_buf, xmlBufferContent(b), *ret_len);
	xmlBufferFree(b);
	return 0;
}

/* Whether two elements serialize alike (NULL: absent). */
static bool same_xml(xmlNode *a, xmlNode *b)
{
	xmlBufferPtr x, y;
	bool same;

	if (a == NULL || b == NULL)
		return a == b;
	x = xmlBufferCreate();
	y = xmlBufferCreate();
	if (x == NULL || y == NULL)
		abort();
	xmlNodeDump(x, a->doc, a, 0, 0);
	xmlNodeDump(y, b->doc, b, 0, 0);
	same = xmlBufferLength(x) == xmlBufferLength(y) &&
	       memcmp(xmlBufferContent(x), xmlBufferContent(y), (size_t)xmlBufferLength(x)) == 0;
	xmlBufferFree(x);
	xmlBufferFree(y);
	return same;
}

int ham_cib_doc_adopt_node_state(ham_cib_doc *d, const char *id, const char *uname,
				 const ham_cib_own_state *own)
{
	static const char *const parts[] = { "lrm", "transient_attributes" };
	xmlNode *ns = find_node_state(d, id);
	xmlNode *root = own ? xmlDocGetRootElement(own->doc) : NULL;
	bool changed = false;
	size_t i;

	if (ns == NULL && root == NULL)
		return 0;
	if (ns == NULL) {
		ham_cib_doc_set_node_state_attr(d, id, uname, "in_ccm", "true");
		ns = find_node_state(d, id);
		if (ns == NULL)
			return -EINVAL;
	}
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		xmlNode *src = ham_xml_child(root, parts[i]);
		xmlNode *cur = ham_xml_child(ns, parts[i]);

		if (same_xml(src, cur))
			continue; /* the usual case: nothing happened apart */
		if (src && cur) {
			xmlNode *copy = xmlDocCopyNode(src, ns->doc, 1);

			xmlReplaceNode(cur, copy);
			xmlFreeNode(cur);
		} else if (cur) {
			while ((cur = ham_xml_child(ns, parts[i])) != NULL) {
				xmlUnlinkNode(cur);
				xmlFreeNode(cur);
			}
		} else {
			xmlAddChild(ns, xmlDocCopyNode(src, ns->doc, 1));
		}
		changed = true;
	}
	return changed;
}

/* The integer value of attribute name, or dflt when absent or not a number. */
static int attr_int_or(xmlNode *n, const char *name, int dflt)
{
	const char *v = ham_xml_attr(n, name, NULL);
	int64_t x;

	return v && ham_parse_int64(v, &x) == 0 && x >= INT32_MIN && x <= INT32_MAX ? (int)x : dflt;
}

static void last_op_of(xmlNode *op, struct ham_cib_last_op *ret)
{
	ret->operation = ham_xml_attr(op, "operation", "");
	ret->rc_code = attr_int_or(op, "rc-code", -1);
	ret->op_status = attr_int_or(op, "op-status", -1);
}

bool ham_cib_doc_last_op(const ham_cib_doc *d, const char *id, const char *rsc,
			 struct ham_cib_last_op *ret)
{
	char *op_id = ham_asprintf("%s_last_0", rsc);
	xmlNode *op = child_with_id(lrm_resource(d, id, rsc), "lrm_rsc_op", op_id);

	free(op_id);
	if (op == NULL)
		return false;
	last_op_of(op, ret);
	return true;
}

/* Whether an lrm_resource's last one-shot operation leaves it surely stopped. */
static bool surely_stopped(xmlNode *lr, const char *rsc)
{
	char *last = ham_asprintf("%s_last_0", rsc);
	struct ham_cib_last_op o;
	xmlNode *op, *found = NULL;
	bool any = false;

	for (op = lr->children; op; op = op->next) {
		if (!ham_xml_is(op, "lrm_rsc_op"))
			continue;
		any = true;
		if (attr_is(op, "id", last))
			found = op;
	}
	free(last);
	if (!any)
		return true; /* an entry without history: nothing ran */
	if (found == NULL)
		return false; /* only recurring entries */
	last_op_of(found, &o);
	if (o.op_status != HAM_CIB_OP_DONE)
		return false; /* pending, failed, timed out */
	if (ham_streq(o.operation, "stop"))
		return o.rc_code == HAM_OCF_OK;
	return ham_streq(o.operation, "monitor") && attr_is(found, "interval", "0") &&
	       o.rc_code == HAM_OCF_NOT_RUNNING;
}

bool ham_cib_doc_node_idle(const ham_cib_doc *d, const char *id, char **ret_rsc)
{
	xmlNode *ns = find_node_state(d, id);
	xmlNode *lrs = ham_xml_child(ham_xml_child(ns, "lrm"), "lrm_resources"), *lr;

	for (lr = lrs ? lrs->children : NULL; lr; lr = lr->next) {
		const char *rsc;

		if (!ham_xml_is(lr, "lrm_resource"))
			continue;
		rsc = ham_xml_attr(lr, "id", "");
		/* A fence device is a registration inside the daemon: it ends with
		 * it, and its history also holds the fencing this node ran with
		 * it (operation off/reboot), which says nothing about the device. */
		if (attr_is(lr, "class", "stonith"))
			continue;
		if (!surely_stopped(lr, rsc)) {
			if (ret_rsc)
				*ret_rsc = ham_strdup(rsc);
			return false;
		}
	}
	return true;
}

bool ham_cib_doc_has_recurring(const ham_cib_doc *d, const char *id, const char *rsc, uint64_t interval_ms)
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

static void add_prim(xmlNode *p, struct ham_cib_prim **arr, size_t *n)
{
	struct ham_cib_prim *c;
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

static void walk_prims(xmlNode *parent, struct ham_cib_prim **arr, size_t *n)
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

void ham_cib_doc_prims(const ham_cib_doc *d, struct ham_cib_prim **ret, size_t *ret_n)
{
	xmlNode *rscs = ham_xml_child(ham_xml_child(ham_cib_doc_root(d), "configuration"), "resources");

	*ret = NULL;
	*ret_n = 0;
	walk_prims(rscs, ret, ret_n);
}

void ham_cib_prims_free(struct ham_cib_prim *p, size_t n)
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

char *ham_cib_doc_property(const ham_cib_doc *d, const char *name)
{
	xmlNode *cc = ham_xml_child(ham_xml_child(ham_cib_doc_root(d), "configuration"), "crm_config"),
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

/*
 * A copy of the document that is a complete input on its own: what the
 * cluster knows beside the replicated document (quorum, the DC) on <cib>,
 * and a <node> in <nodes> for every node_state the configuration lacks.
 */
static xmlDoc *complete_copy(const ham_cib_doc *d, bool quorate, const char *dc_uuid)
{
	ham_cib_doc copy = { .doc = xmlCopyDoc(d->doc, 1) };
	xmlNode *root, *nodes, *status, *ns;

	if (copy.doc == NULL)
		abort();
	root = ham_cib_doc_root(&copy);
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
	return copy.doc;
}

int ham_cib_doc_dump_for_policy(const ham_cib_doc *d, bool quorate, const char *dc_uuid,
				char **ret_buf, size_t *ret_len)
{
	ham_cib_doc copy = { .doc = complete_copy(d, quorate, dc_uuid) };
	int r = ham_cib_doc_dump(&copy, ret_buf, ret_len);

	xmlFreeDoc(copy.doc);
	return r;
}

int ham_cib_doc_save_input(const ham_cib_doc *d, bool quorate, const char *dc_uuid,
			   const char *path)
{
	xmlDoc *copy = complete_copy(d, quorate, dc_uuid);
	char *tmp = ham_asprintf("%s.tmp", path);
	int r = 0;

	/* gzip through libxml2's own output (zlib), which its readers undo
	 * transparently: hactl simulate reads the file as it is. */
	xmlSetDocCompressMode(copy, 1); /* fast: one is written per decision */
	if (xmlSaveFormatFileEnc(tmp, copy, "UTF-8", 0) < 0)
		r = -EIO;
	else if (rename(tmp, path) < 0)
		r = -errno;
	if (r < 0)
		unlink(tmp);
	free(tmp);
	xmlFreeDoc(copy);
	return r;
}

int ham_cib_doc_dump(const ham_cib_doc *d, char **ret_buf, size_t *ret_len)
{
	xmlBuffer *b = xmlBufferCreate();
	size_t len;

	if (b == NULL)
		return -ENOMEM;
	/* Serialize the root element only: no XML declaration, one line. */
	xmlNodeDump(b, d->doc, ham_cib_doc_root(d), 0, 0);
	len = (size_t)xmlBufferLength(b);
	*ret_buf = ham_strndup((const char *)xmlBufferContent(b), len);
	if (ret_len)
		*ret_len = len;
	xmlBufferFree(b);
	return 0;
}

int ham_cib_doc_to_model(const ham_cib_doc *doc, const struct ham_cib_load_opts *opts,
			 ham_cib **ret_cib, ham_cib_diags *diags)
{
	return ham_cib_doc_to_model_with(doc, opts, NULL, ret_cib, diags);
}

int ham_cib_doc_to_model_with(const ham_cib_doc *doc, const struct ham_cib_load_opts *opts,
			      const struct ham_cib_cluster *cluster, ham_cib **ret_cib,
			      ham_cib_diags *diags)
{
	char *buf;
	size_t len;
	int r;

	if (opts == NULL || !(opts->flags & (HAM_CIB_LOAD_SCHEMA | HAM_CIB_LOAD_KEEP_TEXT)))
		return cib_load_dom(doc->doc, "cib", opts, cluster, ret_cib, diags);
	/* RelaxNG validates text as it is read: the document (with the
	 * facts in it) serialized. */
	if (cluster != NULL)
		r = ham_cib_doc_dump_for_policy(doc, cluster->quorate, cluster->dc_uuid, &buf,
						&len);
	else
		r = ham_cib_doc_dump(doc, &buf, &len);
	if (r < 0)
		return r;
	r = ham_cib_load_mem(buf, len, "cib", opts, ret_cib, diags);
	free(buf);
	return r;
}
