/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/status.c: builds the status document from the node's view
 * (membership, quorum, DC) and the CIB (node attributes, resources and their
 * operation history).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include <hamgr/ipc.h>
#include "status.h"

static bool is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, BAD_CAST name) == 0;
}

static xmlNode *child(xmlNode *parent, const char *name)
{
	xmlNode *n;

	for (n = parent ? parent->children : NULL; n; n = n->next)
		if (is_el(n, name))
			return n;
	return NULL;
}

/* An attribute's value, owned by the tree (NULL if absent). */
static const char *attr(const xmlNode *n, const char *name)
{
	xmlAttr *a = xmlHasProp((xmlNode *)n, BAD_CAST name);

	return a && a->children ? (const char *)a->children->content : NULL;
}

static bool truthy(const char *v)
{
	bool b = false;

	return v && ham_parse_bool(v, &b) == 0 && b;
}

/* A name's value in any instance_attributes nvpair directly under parent. */
static const char *nv_lookup(xmlNode *parent, const char *set_name, const char *name)
{
	xmlNode *s, *p;

	for (s = parent ? parent->children : NULL; s; s = s->next) {
		if (!is_el(s, set_name))
			continue;
		for (p = s->children; p; p = p->next)
			if (is_el(p, "nvpair") && ham_streq(attr(p, "name"), name))
				return attr(p, "value");
	}
	return NULL;
}

static xmlNode *config_node(xmlNode *conf, const char *id, const char *name)
{
	xmlNode *n;

	for (n = child(child(conf, "nodes"), "node"); n; n = n->next)
		if (is_el(n, "node") &&
		    (ham_streq(attr(n, "uname"), name) || ham_streq(attr(n, "id"), id)))
			return n;
	return NULL;
}

static xmlNode *node_state(xmlNode *status, const char *id)
{
	xmlNode *n;

	for (n = status ? status->children : NULL; n; n = n->next)
		if (is_el(n, "node_state") && ham_streq(attr(n, "id"), id))
			return n;
	return NULL;
}

static const char *cluster_property(xmlNode *conf, const char *name)
{
	return nv_lookup(child(conf, "crm_config"), "cluster_property_set", name);
}

static void add_attr(ham_buf *b, const char *name, const char *value)
{
	ham_buf_addf(b, " %s=\"", name);
	ham_buf_add_xml(b, value ? value : "");
	ham_buf_addc(b, '"');
}

static void add_bool(ham_buf *b, const char *name, bool v)
{
	ham_buf_addf(b, " %s=\"%s\"", name, v ? "true" : "false");
}

/* The last operation of a resource's history on one node, by call-id. */
static bool recurring(const xmlNode *op)
{
	const char *iv = attr(op, "interval");

	return iv != NULL && !ham_streq(iv, "0");
}

/*
 * The operation that tells a resource's state on one node: the last one by
 * call-id, except that a successful recurring monitor only confirms the
 * state set by the last start/stop/promote/demote/probe. A failed recurring
 * monitor (any rc but 0 and 8, "not running" included) is a failure.
 */
static xmlNode *last_op(xmlNode *lrm_rsc)
{
	xmlNode *o, *best = NULL;
	int64_t best_id = -1;

	for (o = lrm_rsc->children; o; o = o->next) {
		int64_t id = -1;
		const char *rc;

		if (!is_el(o, "lrm_rsc_op"))
			continue;
		rc = attr(o, "rc-code");
		if (ham_streq(attr(o, "operation"), "monitor") && recurring(o) &&
		    (ham_streq(rc, "0") || ham_streq(rc, "8")))
			continue;
		if (ham_parse_int64(attr(o, "call-id") ? attr(o, "call-id") : "", &id) < 0)
			id = -1;
		if (id >= best_id) {
			best_id = id;
			best = o;
		}
	}
	return best;
}

/* Whether an operation's result is a failure (probes may say "not running"). */
static bool op_failed(const xmlNode *o)
{
	const char *rc = attr(o, "rc-code");

	if (rc == NULL || ham_streq(rc, "0") || ham_streq(rc, "8"))
		return false;
	if (ham_streq(rc, "7"))
		return ham_streq(attr(o, "operation"), "monitor") && recurring(o);
	return true;
}

struct rsc_where {
	ham_buf nodes;
	const char *role;
};

static void emit_failures(xmlNode *status, ham_buf *b)
{
	xmlNode *ns, *lrm, *r, *o;

	ham_buf_add(b, "<" HAM_ST_FAILURES ">");
	for (ns = status ? status->children : NULL; ns; ns = ns->next) {
		if (!is_el(ns, "node_state"))
			continue;
		lrm = child(child(ns, "lrm"), "lrm_resources");
		for (r = lrm ? lrm->children : NULL; r; r = r->next) {
			if (!is_el(r, "lrm_resource"))
				continue;
			xmlNode *lf = NULL;
			const char *id;

			/* "<rsc>_last_failure_0" repeats a failed entry: show it once. */
			for (o = r->children; o; o = o->next)
				if (is_el(o, "lrm_rsc_op") && (id = attr(o, "id")) != NULL &&
				    strlen(id) > 15 && strcmp(id + strlen(id) - 15, "_last_failure_0") == 0)
					lf = o;
			for (o = r->children; o; o = o->next) {
				const char *rc = attr(o, "rc-code"), *op = attr(o, "operation");

				if (!is_el(o, "lrm_rsc_op") || !op_failed(o))
					continue;
				if (lf && o != lf && ham_streq(attr(o, "call-id"), attr(lf, "call-id")) &&
				    ham_streq(attr(o, "operation_key"), attr(lf, "operation_key")))
					continue;
				ham_buf_add(b, "<" HAM_ST_FAILURE);
				add_attr(b, "resource", attr(r, "id"));
				add_attr(b, "node", attr(ns, "uname"));
				add_attr(b, "operation", op);
				add_attr(b, "rc", rc);
				if (attr(o, "exit-reason"))
					add_attr(b, "reason", attr(o, "exit-reason"));
				if (attr(o, "last-rc-change"))
					add_attr(b, "when", attr(o, "last-rc-change"));
				ham_buf_add(b, "/>");
			}
		}
	}
	ham_buf_add(b, "</" HAM_ST_FAILURES ">");
}

/* fail-count-<rsc>#<op>_<interval> of every node's transient attributes. */
static void emit_failcounts(xmlNode *status, ham_buf *b)
{
	static const char fc[] = "fail-count-", lf[] = "last-failure-";
	xmlNode *ns, *set, *p;

	ham_buf_add(b, "<" HAM_ST_FAILCOUNTS ">");
	for (ns = status ? status->children : NULL; ns; ns = ns->next) {
		if (!is_el(ns, "node_state"))
			continue;
		set = child(child(ns, "transient_attributes"), "instance_attributes");
		for (p = set ? set->children : NULL; p; p = p->next) {
			const char *name = attr(p, "name"), *hash, *us;
			char *rsc, *op, *last_name;

			if (!is_el(p, "nvpair") || name == NULL ||
			    strncmp(name, fc, sizeof(fc) - 1) != 0)
				continue;
			hash = strrchr(name, '#');
			us = hash ? strrchr(hash, '_') : NULL;
			if (hash == NULL || us == NULL)
				continue;
			rsc = ham_strndup(name + sizeof(fc) - 1, (size_t)(hash - name) - (sizeof(fc) - 1));
			op = ham_strndup(hash + 1, (size_t)(us - hash - 1));
			last_name = ham_asprintf("%s%s", lf, name + sizeof(fc) - 1);
			ham_buf_add(b, "<" HAM_ST_FAILCOUNT);
			add_attr(b, "resource", rsc);
			add_attr(b, "node", attr(ns, "uname"));
			add_attr(b, "operation", op);
			add_attr(b, "interval", us + 1);
			add_attr(b, "count", attr(p, "value"));
			if (nv_lookup(child(ns, "transient_attributes"), "instance_attributes", last_name))
				add_attr(b, "last-failure", nv_lookup(child(ns, "transient_attributes"),
								      "instance_attributes", last_name));
			ham_buf_add(b, "/>");
			free(rsc);
			free(op);
			free(last_name);
		}
	}
	ham_buf_add(b, "</" HAM_ST_FAILCOUNTS ">");
}

static void emit_primitive(xmlNode *prim, xmlNode *status, const char *parent, ham_buf *b)
{
	const char *id = attr(prim, "id"), *cls = attr(prim, "class");
	const char *prov = attr(prim, "provider"), *type = attr(prim, "type");
	xmlNode *ns, *lrm, *r;
	ham_buf where = HAM_BUF_INIT;
	const char *role = "Stopped";
	bool failed = false;
	size_t idlen = id ? strlen(id) : 0;
	char agent[256];

	snprintf(agent, sizeof(agent), "%s%s%s:%s", cls ? cls : "", prov ? ":" : "",
		 prov ? prov : "", type ? type : "");
	for (ns = status ? status->children : NULL; id && ns; ns = ns->next) {
		if (!is_el(ns, "node_state") || !truthy(attr(ns, "in_ccm")))
			continue;
		lrm = child(child(ns, "lrm"), "lrm_resources");
		for (r = lrm ? lrm->children : NULL; r; r = r->next) {
			const char *rid = attr(r, "id"), *op, *rc;
			xmlNode *o;

			/* Clone instances are recorded as "id:N". */
			if (!is_el(r, "lrm_resource") || rid == NULL || strncmp(rid, id, idlen) != 0 ||
			    (rid[idlen] != '\0' && rid[idlen] != ':'))
				continue;
			o = last_op(r);
			if (o == NULL)
				continue;
			op = attr(o, "operation");
			rc = attr(o, "rc-code");
			if (ham_streq(rc, "8") || (ham_streq(rc, "0") && ham_streq(op, "promote"))) {
				role = "Promoted";
			} else if (ham_streq(rc, "0") && !ham_streq(op, "stop")) {
				if (strcmp(role, "Promoted") != 0)
					role = "Started";
			} else if (op_failed(o)) {
				failed = true;
				continue;
			} else {
				continue;
			}
			if (where.len)
				ham_buf_addc(&where, ' ');
			ham_buf_add(&where, attr(ns, "uname") ? attr(ns, "uname") : attr(ns, "id"));
		}
	}
	ham_buf_add(b, "<" HAM_ST_RESOURCE);
	add_attr(b, "id", id);
	add_attr(b, "agent", agent);
	if (parent)
		add_attr(b, "parent", parent);
	add_attr(b, "role", role);
	add_bool(b, "failed", failed);
	add_attr(b, "nodes", ham_buf_str(&where));
	{
		const char *tr = nv_lookup(prim, "meta_attributes", "target-role");

		if (tr)
			add_attr(b, "target-role", tr);
	}
	ham_buf_add(b, "/>");
	ham_buf_free(&where);
}

static void emit_resources(xmlNode *parent_el, xmlNode *status, const char *parent, ham_buf *b)
{
	xmlNode *r;

	for (r = parent_el ? parent_el->children : NULL; r; r = r->next) {
		if (is_el(r, "primitive"))
			emit_primitive(r, status, parent, b);
		else if (is_el(r, "group") || is_el(r, "clone") || is_el(r, "master"))
			emit_resources(r, status, attr(r, "id"), b);
	}
}

void hamgrd_status_xml(hnode *n, ham_buf *b)
{
	const cibdoc *cib = hnode_cib(n);
	xmlNode *root = cibdoc_root(cib);
	xmlNode *conf = child(root, "configuration"), *status = child(root, "status");
	struct cib_version v;
	const uint32_t *ids;
	uint32_t votes, expected, dc = hnode_dc(n), me = hnode_local_id(n);
	size_t i, count;
	bool maint_all = truthy(cluster_property(conf, "maintenance-mode"));

	hnode_votes(n, &votes, &expected);
	cibdoc_get_version(cib, &v);
	ham_buf_add(b, "<" HAM_ST_ROOT);
	add_attr(b, "cluster", hnode_cluster_name(n));
	add_attr(b, "local", me ? hnode_node_name(n, me) : "");
	ham_buf_addf(b, " local-id=\"%u\"", me);
	add_attr(b, "dc", dc ? hnode_node_name(n, dc) : "");
	ham_buf_addf(b, " dc-id=\"%u\"", dc);
	add_bool(b, "joined", hnode_joined(n));
	add_bool(b, "quorate", hnode_quorate(n));
	ham_buf_addf(b, " votes=\"%u\" expected-votes=\"%u\"", votes, expected);
	add_bool(b, "syncing", hnode_syncing(n));
	add_bool(b, "maintenance-mode", maint_all);
	ham_buf_add(b, ">");
	ham_buf_addf(b, "<" HAM_ST_CIB " admin_epoch=\"%llu\" epoch=\"%llu\" num_updates=\"%llu\"/>",
		     (unsigned long long)v.admin_epoch, (unsigned long long)v.epoch,
		     (unsigned long long)v.num_updates);

	ham_buf_add(b, "<" HAM_ST_NODES ">");
	ids = hnode_known_nodes(n, &count);
	for (i = 0; i < count; i++) {
		char idstr[16];
		const char *name = hnode_node_name(n, ids[i]);
		xmlNode *cn, *ns;
		const char *expected_s;
		bool online = hnode_is_member(n, ids[i]);

		snprintf(idstr, sizeof(idstr), "%u", ids[i]);
		cn = config_node(conf, idstr, name);
		ns = node_state(status, idstr);
		expected_s = ns ? attr(ns, "expected") : NULL;
		ham_buf_add(b, "<" HAM_ST_NODE);
		add_attr(b, "name", name);
		ham_buf_addf(b, " id=\"%u\"", ids[i]);
		add_bool(b, "online", online);
		add_bool(b, "standby", truthy(nv_lookup(cn, "instance_attributes", "standby")));
		add_bool(b, "maintenance",
			 maint_all || truthy(nv_lookup(cn, "instance_attributes", "maintenance")));
		add_bool(b, "dc", ids[i] == dc);
		/* Gone without an orderly leave: issue for fencing. */
		add_bool(b, "unclean", !online && ns != NULL && ham_streq(expected_s, "member"));
		ham_buf_add(b, "/>");
	}
	ham_buf_add(b, "</" HAM_ST_NODES ">");

	ham_buf_add(b, "<" HAM_ST_RESOURCES ">");
	emit_resources(child(conf, "resources"), status, NULL, b);
	ham_buf_add(b, "</" HAM_ST_RESOURCES ">");
	emit_failures(status, b);
	emit_failcounts(status, b);
	ham_buf_add(b, "</" HAM_ST_ROOT ">");
}
