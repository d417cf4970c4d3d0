/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * An editable CIB document (a libxml2 DOM) for the daemon: replace the
 * configuration, record operation results and node state, bump versions,
 * write it out. The typed model is refreshed by loading the result again.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "cib_private.h"

struct ham_cib_doc {
	xmlDocPtr xml;
};

#define X(s) ((const xmlChar *)(s))

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
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, "UTF-8",
				XML_PARSE_NONET | XML_PARSE_IGNORE_ENC | XML_PARSE_BIG_LINES |
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

int ham_cib_doc_parse(const char *buf, size_t len, ham_cib_doc **ret_doc,
		      ham_cib_diags *diags)
{
	int r;
	xmlDocPtr xml = parse_safely(buf, len, diags, &r);
	xmlNodePtr root;
	ham_cib_doc *doc;

	if (xml == NULL)
		return r;
	root = xmlDocGetRootElement(xml);
	if (root == NULL || !xmlStrEqual(root->name, X("cib"))) {
		ham_cib_diags_add(diags, HAM_CIB_ERROR, root ? (unsigned)xmlGetLineNo(root) : 1,
				  NULL, NULL, "the root element must be <cib>");
		xmlFreeDoc(xml);
		return -HAM_E_SCHEMA;
	}
	doc = ham_new0(ham_cib_doc);
	doc->xml = xml;
	*ret_doc = doc;
	return 0;
}

ham_cib_doc *ham_cib_doc_free(ham_cib_doc *doc)
{
	if (doc == NULL)
		return NULL;
	xmlFreeDoc(doc->xml);
	free(doc);
	return NULL;
}

static xmlNodePtr root_of(const ham_cib_doc *doc)
{
	return xmlDocGetRootElement(doc->xml);
}

static xmlNodePtr child(xmlNodePtr parent, const char *name, const char *id)
{
	xmlNodePtr c;

	for (c = parent->children; c != NULL; c = c->next) {
		xmlChar *v;
		bool match;

		if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, X(name)))
			continue;
		if (id == NULL)
			return c;
		v = xmlGetProp(c, X("id"));
		match = v != NULL && strcmp((const char *)v, id) == 0;
		xmlFree(v);
		if (match)
			return c;
	}
	return NULL;
}

static xmlNodePtr child_or_new(xmlNodePtr parent, const char *name, const char *id)
{
	xmlNodePtr c = child(parent, name, id);

	if (c == NULL) {
		c = xmlNewChild(parent, NULL, X(name), NULL);
		if (id != NULL)
			xmlSetProp(c, X("id"), X(id));
	}
	return c;
}

static int get_u64(xmlNodePtr n, const char *name, uint64_t *ret)
{
	xmlChar *v = xmlGetProp(n, X(name));
	int64_t x;
	int r;

	if (v == NULL) {
		*ret = 0;
		return 0;
	}
	r = ham_parse_int64((const char *)v, &x);
	xmlFree(v);
	if (r < 0 || x < 0)
		return -EINVAL;
	*ret = (uint64_t)x;
	return 0;
}

static void set_u64(xmlNodePtr n, const char *name, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	xmlSetProp(n, X(name), X(buf));
}

int ham_cib_doc_get_version(const ham_cib_doc *doc, struct ham_cib_version *ret)
{
	xmlNodePtr root = root_of(doc);
	struct ham_cib_version v;

	if (get_u64(root, "admin_epoch", &v.admin_epoch) < 0 ||
	    get_u64(root, "epoch", &v.epoch) < 0 || get_u64(root, "num_updates", &v.num_updates) < 0)
		return -EINVAL;
	*ret = v;
	return 0;
}

int ham_cib_doc_set_version(ham_cib_doc *doc, const struct ham_cib_version *v)
{
	xmlNodePtr root = root_of(doc);

	set_u64(root, "admin_epoch", v->admin_epoch);
	set_u64(root, "epoch", v->epoch);
	set_u64(root, "num_updates", v->num_updates);
	return 0;
}

int ham_cib_doc_bump_epoch(ham_cib_doc *doc)
{
	struct ham_cib_version v;
	int r = ham_cib_doc_get_version(doc, &v);

	if (r < 0)
		return r;
	v.epoch++;
	v.num_updates = 0;
	return ham_cib_doc_set_version(doc, &v);
}

int ham_cib_doc_bump_num_updates(ham_cib_doc *doc)
{
	struct ham_cib_version v;
	int r = ham_cib_doc_get_version(doc, &v);

	if (r < 0)
		return r;
	v.num_updates++;
	return ham_cib_doc_set_version(doc, &v);
}

int ham_cib_doc_set_cib_attr(ham_cib_doc *doc, const char *name, const char *value)
{
	xmlNodePtr root = root_of(doc);

	if (name == NULL || *name == '\0')
		return -EINVAL;
	if (value != NULL)
		xmlSetProp(root, X(name), X(value));
	else
		xmlUnsetProp(root, X(name));
	return 0;
}

int ham_cib_doc_replace_configuration(ham_cib_doc *doc, const char *xml, size_t len,
				      ham_cib_diags *diags)
{
	int r;
	xmlDocPtr in = parse_safely(xml, len, diags, &r);
	xmlNodePtr src, copy, root = root_of(doc), old;

	if (in == NULL)
		return r;
	src = xmlDocGetRootElement(in);
	if (src != NULL && xmlStrEqual(src->name, X("cib")))
		src = child(src, "configuration", NULL);
	if (src == NULL || !xmlStrEqual(src->name, X("configuration"))) {
		ham_cib_diags_add(diags, HAM_CIB_ERROR, 0, NULL, NULL,
				  "no <configuration> element in the replacement");
		xmlFreeDoc(in);
		return -EINVAL;
	}
	copy = xmlDocCopyNode(src, doc->xml, 1);
	xmlFreeDoc(in);
	if (copy == NULL)
		return -ENOMEM;
	old = child(root, "configuration", NULL);
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

static xmlNodePtr node_state(ham_cib_doc *doc, const char *node_id, const char *uname)
{
	xmlNodePtr status = child_or_new(root_of(doc), "status", NULL);
	xmlNodePtr ns = child(status, "node_state", node_id);

	if (ns == NULL) {
		ns = xmlNewChild(status, NULL, X("node_state"), NULL);
		xmlSetProp(ns, X("id"), X(node_id));
		if (uname != NULL)
			xmlSetProp(ns, X("uname"), X(uname));
	}
	return ns;
}

int ham_cib_doc_set_node_state_attr(ham_cib_doc *doc, const char *node_id,
				    const char *uname, const char *name,
				    const char *value)
{
	xmlNodePtr ns;

	if (node_id == NULL || name == NULL || *name == '\0' || strcmp(name, "id") == 0)
		return -EINVAL;
	ns = node_state(doc, node_id, uname);
	if (value != NULL)
		xmlSetProp(ns, X(name), X(value));
	else
		xmlUnsetProp(ns, X(name));
	return 0;
}

int ham_cib_doc_put_rsc_op(ham_cib_doc *doc, const char *node_id, const char *rsc_id,
			   const char *class_, const char *provider, const char *type,
			   const char *const *attrs)
{
	const char *op_id = NULL;
	xmlNodePtr ns, lrm, lrs, lr, op, old;
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
	ns = node_state(doc, node_id, NULL);
	lrm = child(ns, "lrm", NULL);
	if (lrm == NULL) {
		lrm = xmlNewChild(ns, NULL, X("lrm"), NULL);
		xmlSetProp(lrm, X("id"), X(node_id));
	}
	lrs = child_or_new(lrm, "lrm_resources", NULL);
	lr = child(lrs, "lrm_resource", rsc_id);
	if (lr == NULL) {
		lr = xmlNewChild(lrs, NULL, X("lrm_resource"), NULL);
		xmlSetProp(lr, X("id"), X(rsc_id));
		if (type != NULL)
			xmlSetProp(lr, X("type"), X(type));
		if (class_ != NULL)
			xmlSetProp(lr, X("class"), X(class_));
		if (provider != NULL)
			xmlSetProp(lr, X("provider"), X(provider));
	}
	op = xmlNewDocNode(doc->xml, NULL, X("lrm_rsc_op"), NULL);
	for (i = 0; attrs[i] != NULL; i += 2)
		xmlSetProp(op, X(attrs[i]), X(attrs[i + 1]));
	old = child(lr, "lrm_rsc_op", op_id);
	if (old != NULL) {
		xmlReplaceNode(old, op);
		xmlFreeNode(old);
	} else {
		xmlAddChild(lr, op);
	}
	return 0;
}

int ham_cib_doc_delete_lrm_resource(ham_cib_doc *doc, const char *node_id,
				    const char *rsc_id)
{
	xmlNodePtr status = child(root_of(doc), "status", NULL), n;

	if (status == NULL || (n = child(status, "node_state", node_id)) == NULL ||
	    (n = child(n, "lrm", NULL)) == NULL || (n = child(n, "lrm_resources", NULL)) == NULL ||
	    (n = child(n, "lrm_resource", rsc_id)) == NULL)
		return -ENOENT;
	xmlUnlinkNode(n);
	xmlFreeNode(n);
	return 0;
}

int ham_cib_doc_dump(const ham_cib_doc *doc, char **ret_buf, size_t *ret_len)
{
	xmlChar *mem = NULL;
	int size = 0;
	char *buf;

	xmlDocDumpMemoryEnc(doc->xml, &mem, &size, "UTF-8");
	if (mem == NULL || size < 0)
		return -ENOMEM;
	buf = ham_malloc((size_t)size + 1);
	memcpy(buf, mem, (size_t)size);
	buf[size] = '\0';
	xmlFree(mem);
	*ret_buf = buf;
	if (ret_len != NULL)
		*ret_len = (size_t)size;
	return 0;
}

int ham_cib_doc_to_model(const ham_cib_doc *doc, const struct ham_cib_load_opts *opts,
			 ham_cib **ret_cib, ham_cib_diags *diags)
{
	char *buf;
	size_t len;
	int r = ham_cib_doc_dump(doc, &buf, &len);

	if (r < 0)
		return r;
	r = ham_cib_load_mem(buf, len, "cib", opts, ret_cib, diags);
	free(buf);
	return r;
}
