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
#include <hamgr/xml.h>
#include "status.h"

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
		if (!ham_xml_is(s, set_name))
			continue;
		for (p = s->children; p; p = p->next)
			if (ham_xml_is(p, "nvpair") &&
			    ham_streq(ham_xml_attr(p, "name", NULL), name))
				return ham_xml_attr(p, "value", NULL);
	}
	return NULL;
}

static xmlNode *config_node(xmlNode *conf, const char *id, const char *name)
{
	xmlNode *n;

	for (n = ham_xml_child(ham_xml_child(conf, "nodes"), "node"); n; n = n->next)
		if (ham_xml_is(n, "node") && (ham_streq(ham_xml_attr(n, "uname", NULL), name) ||
					      ham_streq(ham_xml_attr(n, "id", NULL), id)))
			return n;
	return NULL;
}

static xmlNode *node_state(xmlNode *status, const char *id)
{
	xmlNode *n;

	for (n = status ? status->children : NULL; n; n = n->next)
		if (ham_xml_is(n, "node_state") && ham_streq(ham_xml_attr(n, "id", NULL), id))
			return n;
	return NULL;
}

static const char *cluster_property(xmlNode *conf, const char *name)
{
	return nv_lookup(ham_xml_child(conf, "crm_config"), "cluster_property_set", name);
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
	const char *iv = ham_xml_attr(op, "interval", NULL);

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

		if (!ham_xml_is(o, "lrm_rsc_op"))
			continue;
		rc = ham_xml_attr(o, "rc-code", NULL);
		if (ham_streq(ham_xml_attr(o, "operation", NULL), "monitor") && recurring(o) &&
		    (ham_streq(rc, "0") || ham_streq(rc, "8")))
			continue;
		if (ham_parse_int64(ham_xml_attr(o, "call-id", ""), &id) < 0)
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
	const char *rc = ham_xml_attr(o, "rc-code", NULL);

	if (rc == NULL || ham_streq(rc, "0") || ham_streq(rc, "8"))
		return false;
	if (ham_streq(rc, "7"))
		return ham_streq(ham_xml_attr(o, "operation", NULL), "monitor") && recurring(o);
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
		if (!ham_xml_is(ns, "node_state"))
			continue;
		lrm = ham_xml_child(ham_xml_child(ns, "lrm"), "lrm_resources");
		for (r = lrm ? lrm->children : NULL; r; r = r->next) {
			if (!ham_xml_is(r, "lrm_resource"))
				continue;
			xmlNode *lf = NULL;
			const char *id;

			/* "<rsc>_last_failure_0" repeats a failed entry: show it once. */
			for (o = r->children; o; o = o->next)
				if (ham_xml_is(o, "lrm_rsc_op") &&
				    (id = ham_xml_attr(o, "id", NULL)) != NULL && strlen(id) > 15 &&
				    strcmp(id + strlen(id) - 15, "_last_failure_0") == 0)
					lf = o;
			for (o = r->children; o; o = o->next) {
				const char *rc = ham_xml_attr(o, "rc-code", NULL),
					   *op = ham_xml_attr(o, "operation", NULL);

				if (!ham_xml_is(o, "lrm_rsc_op") || !op_failed(o))
					continue;
				if (lf && o != lf &&
				    ham_streq(ham_xml_attr(o, "call-id", NULL),
					      ham_xml_attr(lf, "call-id", NULL)) &&
				    ham_streq(ham_xml_attr(o, "operation_key", NULL),
					      ham_xml_attr(lf, "operation_key", NULL)))
					continue;
				ham_buf_add(b, "<" HAM_ST_FAILURE);
				add_attr(b, "resource", ham_xml_attr(r, "id", NULL));
				add_attr(b, "node", ham_xml_attr(ns, "uname", NULL));
				add_attr(b, "operation", op);
				add_attr(b, "rc", rc);
				if (ham_xml_attr(o, "exit-reason", NULL))
					add_attr(b, "reason", ham_xml_attr(o, "exit-reason", NULL));
				if (ham_xml_attr(o, "last-rc-change", NULL))
					add_attr(b, "when",
						 ham_xml_attr(o, "last-rc-change", NULL));
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
		if (!ham_xml_is(ns, "node_state"))
			continue;
		set = ham_xml_child(ham_xml_child(ns, "transient_attributes"),
				    "instance_attributes");
		for (p = set ? set->children : NULL; p; p = p->next) {
			const char *name = ham_xml_attr(p, "name", NULL), *hash, *us;
			char *rsc, *op, *last_name;

			if (!ham_xml_is(p, "nvpair") || name == NULL ||
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
			add_attr(b, "node", ham_xml_attr(ns, "uname", NULL));
			add_attr(b, "operation", op);
			add_attr(b, "interval", us + 1);
			add_attr(b, "count", ham_xml_attr(p, "value", NULL));
			if (nv_lookup(ham_xml_child(ns, "transient_attributes"),
				      "instance_attributes", last_name))
				add_attr(b, "last-failure",
					 nv_lookup(ham_xml_child(ns, "transient_attributes"),
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
	const char *id = ham_xml_attr(prim, "id", NULL), *cls = ham_xml_attr(prim, "class", NULL);
	const char *prov = ham_xml_attr(prim, "provider", NULL),
		   *type = ham_xml_attr(prim, "type", NULL);
	xmlNode *ns, *lrm, *r;
	ham_buf where = HAM_BUF_INIT;
	const char *role = "Stopped";
	bool failed = false;
	size_t idlen = id ? strlen(id) : 0;
	char agent[256];

	snprintf(agent, sizeof(agent), "%s%s%s:%s", cls ? cls : "", prov ? ":" : "",
		 prov ? prov : "", type ? type : "");
	for (ns = status ? status->children : NULL; id && ns; ns = ns->next) {
		if (!ham_xml_is(ns, "node_state") || !truthy(ham_xml_attr(ns, "in_ccm", NULL)))
			continue;
		lrm = ham_xml_child(ham_xml_child(ns, "lrm"), "lrm_resources");
		for (r = lrm ? lrm->children : NULL; r; r = r->next) {
			const char *rid = ham_xml_attr(r, "id", NULL), *op, *rc;
			xmlNode *o;

			/* Clone instances are recorded as "id:N". */
			if (!ham_xml_is(r, "lrm_resource") || rid == NULL ||
			    strncmp(rid, id, idlen) != 0 ||
			    (rid[idlen] != '\0' && rid[idlen] != ':'))
				continue;
			o = last_op(r);
			if (o == NULL)
				continue;
			op = ham_xml_attr(o, "operation", NULL);
			rc = ham_xml_attr(o, "rc-code", NULL);
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
			ham_buf_add(&where, ham_xml_attr(ns, "uname", NULL)
						    ? ham_xml_attr(ns, "uname", NULL)
						    : ham_xml_attr(ns, "id", NULL));
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
		if (ham_xml_is(r, "primitive"))
			emit_primitive(r, status, parent, b);
		else if (ham_xml_is(r, "group") || ham_xml_is(r, "clone") ||
			 ham_xml_is(r, "master"))
			emit_resources(r, status, ham_xml_attr(r, "id", NULL), b);
	}
}

/* The stored CIB: store="ok|failing|rejected", since when and why. */
static void emit_store_state(hnode *n, ham_buf *b)
{
	const char *why = hnode_store_rejected(n);
	int64_t since = 0;

	if (why != NULL) {
		add_attr(b, "store", "rejected");
		add_attr(b, "store-reason", why);
	} else if (hnode_store_state(n, &since, &why)) {
		add_attr(b, "store", "failing");
		ham_buf_addf(b, " store-since=\"%lld\"", (long long)since);
		add_attr(b, "store-reason", why);
	} else {
		add_attr(b, "store", "ok");
	}
}

/* The fencing results this node recorded (hactl stonith history). */
static void emit_fencings(hnode *n, ham_buf *b)
{
	size_t count, i;
	const struct hnode_fencing *f = hnode_fencing_history(n, &count);

	ham_buf_add(b, "<" HAM_ST_FENCINGS ">");
	for (i = 0; i < count; i++) {
		bool ok = f[i].rc == 0 && f[i].op_status == HAM_CIB_OP_DONE;

		ham_buf_addf(b, "<" HAM_ST_FENCING " seq=\"%llu\"", (unsigned long long)f[i].seq);
		add_attr(b, "target", f[i].target);
		add_attr(b, "action", f[i].action);
		add_attr(b, "device", f[i].manual ? "" : f[i].device);
		add_attr(b, "origin", f[i].origin);
		add_attr(b, "result", ok ? "ok" : "failed");
		ham_buf_addf(b, " rc=\"%d\" status=\"%d\" time=\"%lld\"", f[i].rc, f[i].op_status,
			     (long long)f[i].time_s);
		if (f[i].exit_reason)
			add_attr(b, "exit-reason", f[i].exit_reason);
		add_bool(b, "manual", f[i].manual);
		ham_buf_add(b, "/>");
	}
	ham_buf_add(b, "</" HAM_ST_FENCINGS ">");
}

void hamgrd_status_xml(hnode *n, ham_buf *b)
{
	const cibdoc *cib = hnode_cib(n);
	xmlNode *root = cibdoc_root(cib);
	xmlNode *conf = ham_xml_child(root, "configuration"),
		*status = ham_xml_child(root, "status");
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
	{
		uint64_t da, dr;

		hnode_dropped(n, &da, &dr);
		ham_buf_addf(b, " dropped-actions=\"%llu\" dropped-results=\"%llu\"",
			     (unsigned long long)da, (unsigned long long)dr);
	}
	emit_store_state(n, b);
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
		expected_s = ns ? ham_xml_attr(ns, "expected", NULL) : NULL;
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
	emit_resources(ham_xml_child(conf, "resources"), status, NULL, b);
	ham_buf_add(b, "</" HAM_ST_RESOURCES ">");
	emit_failures(status, b);
	emit_failcounts(status, b);
	emit_fencings(n, b);
	ham_buf_add(b, "</" HAM_ST_ROOT ">");
}
