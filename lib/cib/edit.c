/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/cib/edit.c: the operator's small CIB edits (ham_cib_doc_apply_modify()
 * in <hamgr/cib.h>): parse a <modify> document, check every edit, then apply
 * them in place.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/xml.h>
#include "cib_private.h"

#define MAX_EDITS 64

struct ectx {
	ham_cib_doc *d;
	bool dry; /* check only: every edit validates, nothing changes */
	xmlNode *root, *conf, *status;
	bool conf_changed, status_changed;
	char *err;
};

static void set(xmlNode *n, const char *name, const char *value)
{
	xmlSetProp(n, BAD_CAST name, BAD_CAST value);
}

static void drop(xmlNode *n)
{
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

static int fail(struct ectx *c, int r, char *msg)
{
	if (c->err == NULL)
		c->err = msg;
	else
		free(msg);
	return r;
}

/* The element with this id anywhere below n, or NULL. */
static xmlNode *find_id(xmlNode *n, const char *id)
{
	xmlNode *x, *f;

	for (x = n ? n->children : NULL; x; x = x->next) {
		if (x->type != XML_ELEMENT_NODE)
			continue;
		if (ham_streq(ham_xml_attr(x, "id", NULL), id))
			return x;
		if ((f = find_id(x, id)) != NULL)
			return f;
	}
	return NULL;
}

static bool is_resource_el(const xmlNode *n)
{
	return ham_xml_is(n, "primitive") || ham_xml_is(n, "group") || ham_xml_is(n, "clone") ||
	       ham_xml_is(n, "master") || ham_xml_is(n, "bundle");
}

static xmlNode *find_resource(struct ectx *c, const char *id)
{
	xmlNode *x = find_id(ham_xml_child(c->conf, "resources"), id);

	return x && is_resource_el(x) ? x : NULL;
}

/* An id not yet used in the document: base, else base-1, base-2, ... */
static char *unique_id(struct ectx *c, const char *base)
{
	char *id = ham_strdup(base), *p;
	unsigned i;

	for (p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			*p = '.';
	for (i = 1; find_id(c->root, id) != NULL; i++) {
		free(id);
		id = ham_asprintf("%s-%u", base, i);
	}
	return id;
}

/* A node name's id and configured <node> (NULL when only in the status). */
static int resolve_node(struct ectx *c, const char *name, const char **ret_id,
			xmlNode **ret_cfg)
{
	xmlNode *n;

	for (n = ham_xml_child(ham_xml_child(c->conf, "nodes"), "node"); n; n = n->next)
		if (ham_xml_is(n, "node") && ham_streq(ham_xml_attr(n, "uname", NULL), name) &&
		    ham_xml_attr(n, "id", NULL)) {
			*ret_id = ham_xml_attr(n, "id", NULL);
			*ret_cfg = n;
			return 0;
		}
	for (n = c->status ? c->status->children : NULL; n; n = n->next)
		if (ham_xml_is(n, "node_state") &&
		    ham_streq(ham_xml_attr(n, "uname", NULL), name) &&
		    ham_xml_attr(n, "id", NULL)) {
			*ret_id = ham_xml_attr(n, "id", NULL);
			*ret_cfg = NULL;
			return 0;
		}
	return fail(c, -ENOENT, ham_asprintf("no node '%s' in the cluster", name));
}

static const char *need(struct ectx *c, xmlNode *e, const char *name, int *r)
{
	const char *v = ham_xml_attr(e, name, NULL);

	if ((v == NULL || v[0] == '\0') && *r == 0)
		*r = fail(c, -HAM_E_XML, ham_asprintf("<%s> needs a non-empty %s", (const char *)e->name,
						      name));
	return v;
}

static int need_resource(struct ectx *c, const char *rsc, xmlNode **ret)
{
	xmlNode *x = find_resource(c, rsc);

	if (x == NULL)
		return fail(c, -ENOENT, ham_asprintf("no resource '%s' in the configuration", rsc));
	if (ret)
		*ret = x;
	return 0;
}

/* ---- constraints ------------------------------------------------------ */

static xmlNode *find_location(struct ectx *c, const char *id)
{
	xmlNode *x;

	for (x = ham_xml_child(c->conf, "constraints")
			 ? ham_xml_child(c->conf, "constraints")->children
			 : NULL;
	     x; x = x->next)
		if (ham_xml_is(x, "rsc_location") && ham_streq(ham_xml_attr(x, "id", NULL), id))
			return x;
	return NULL;
}

/* The ids of the rule a lifetime gives location id: ID-rule, ID-expr, ID-lifetime. */
static const char *const lifetime_suffix[] = { "-rule", "-expr", "-lifetime" };

/*
 * A location with a lifetime, as crm_resource --lifetime writes it: a rule
 * scoring NODE while the date is before END.
 */
static void add_lifetime_rule(xmlNode *loc, const char *id, const char *node, const char *sc,
			      const char *end)
{
	xmlNode *rule = xmlNewChild(loc, NULL, BAD_CAST "rule", NULL), *x;
	char *ids[3];
	size_t i;

	for (i = 0; i < 3; i++)
		ids[i] = ham_asprintf("%s%s", id, lifetime_suffix[i]);
	set(rule, "id", ids[0]);
	set(rule, "score", sc);
	set(rule, "boolean-op", "and");
	x = xmlNewChild(rule, NULL, BAD_CAST "expression", NULL);
	set(x, "id", ids[1]);
	set(x, "attribute", "#uname");
	set(x, "operation", "eq");
	set(x, "value", node);
	set(x, "type", "string");
	x = xmlNewChild(rule, NULL, BAD_CAST "date_expression", NULL);
	set(x, "id", ids[2]);
	set(x, "operation", "lt");
	set(x, "end", end);
	for (i = 0; i < 3; i++)
		free(ids[i]);
}

/* Whether x is below (or is) the element top. */
static bool is_below(const xmlNode *x, const xmlNode *top)
{
	for (; x; x = x->parent)
		if (x == top)
			return true;
	return false;
}

/*
 * <set-location id rsc node score [role] [end=DATE]/>: with end, the
 * constraint holds a rule that stops counting at DATE (a lifetime).
 */
static int set_location(struct ectx *c, xmlNode *e)
{
	int r = 0, score;
	const char *id = need(c, e, "id", &r), *rsc = need(c, e, "rsc", &r);
	const char *node = need(c, e, "node", &r), *sc = need(c, e, "score", &r);
	const char *role = ham_xml_attr(e, "role", NULL), *nid;
	const char *end = ham_xml_attr(e, "end", NULL);
	xmlNode *old, *other, *loc, *cfg, *cons;
	int64_t end_s;
	size_t i;

	if (r < 0)
		return r;
	if (ham_score_parse(sc, &score) < 0)
		return fail(c, -HAM_E_USAGE, ham_asprintf("'%s' is not a score", sc));
	if (end && ham_cib_time_parse(end, &end_s) < 0)
		return fail(c, -HAM_E_USAGE, ham_asprintf("'%s' is not an ISO 8601 date", end));
	if (role && !ham_streq(role, "Started") && !ham_streq(role, "Stopped") &&
	    !ham_streq(role, "Promoted") && !ham_streq(role, "Unpromoted") &&
	    !ham_streq(role, "Master") && !ham_streq(role, "Slave"))
		return fail(c, -HAM_E_USAGE, ham_asprintf("'%s' is not a role", role));
	if ((r = need_resource(c, rsc, NULL)) < 0 || (r = resolve_node(c, node, &nid, &cfg)) < 0)
		return r;
	old = find_location(c, id);
	other = find_id(c->root, id);
	if (other && other != old)
		return fail(c, -HAM_E_USAGE,
			    ham_asprintf("the id '%s' is already used by a <%s>", id,
					 (const char *)other->name));
	for (i = 0; end && i < HAM_ARRAY_SIZE(lifetime_suffix); i++) {
		char *rid = ham_asprintf("%s%s", id, lifetime_suffix[i]);

		other = find_id(c->root, rid);
		if (other && !(old && is_below(other, old))) {
			r = fail(c, -HAM_E_USAGE, ham_asprintf("the id '%s' is already used by a <%s>",
							      rid, (const char *)other->name));
			free(rid);
			return r;
		}
		free(rid);
	}
	if (c->dry)
		return 0;
	if (old && end == NULL && ham_streq(ham_xml_attr(old, "rsc", NULL), rsc) &&
	    ham_streq(ham_xml_attr(old, "node", NULL), node) &&
	    ham_streq(ham_xml_attr(old, "score", NULL), sc) &&
	    ham_streq(ham_xml_attr(old, "role", NULL), role) && old->children == NULL)
		return 0;
	cons = ham_xml_child(c->conf, "constraints");
	if (cons == NULL)
		cons = xmlNewChild(c->conf, NULL, BAD_CAST "constraints", NULL);
	loc = xmlNewNode(NULL, BAD_CAST "rsc_location");
	set(loc, "id", id);
	set(loc, "rsc", rsc);
	if (role)
		set(loc, "role", role);
	if (end) {
		add_lifetime_rule(loc, id, node, sc, end);
	} else {
		set(loc, "node", node);
		set(loc, "score", sc);
	}
	if (old) {
		xmlReplaceNode(old, loc);
		xmlFreeNode(old);
	} else {
		xmlAddChild(cons, loc);
	}
	c->conf_changed = true;
	return 0;
}

static int delete_location(struct ectx *c, xmlNode *e)
{
	int r = 0;
	const char *id = need(c, e, "id", &r);
	xmlNode *old;

	if (r < 0 || c->dry)
		return r;
	old = find_location(c, id);
	if (old) {
		drop(old);
		c->conf_changed = true;
	}
	return 0;
}

/*
 * The end of a location's lifetime: the earliest end of an "lt"
 * date_expression in its rules. false when it has none (or none readable).
 */
static bool lifetime_end(const xmlNode *loc, int64_t *ret_end)
{
	const xmlNode *rule, *x;
	bool found = false;
	int64_t t;

	for (rule = loc->children; rule; rule = rule->next) {
		if (!ham_xml_is(rule, "rule"))
			continue;
		for (x = rule->children; x; x = x->next)
			if (ham_xml_is(x, "date_expression") &&
			    ham_streq(ham_xml_attr(x, "operation", NULL), "lt") &&
			    ham_cib_time_parse(ham_xml_attr(x, "end", ""), &t) == 0 &&
			    (!found || t < *ret_end)) {
				*ret_end = t;
				found = true;
			}
	}
	return found;
}

/* The node a location names: its node attribute, or its rule's #uname eq NODE. */
static const char *location_node(const xmlNode *loc)
{
	const xmlNode *rule, *x;

	if (ham_xml_attr(loc, "node", NULL))
		return ham_xml_attr(loc, "node", NULL);
	for (rule = loc->children; rule; rule = rule->next)
		for (x = ham_xml_is(rule, "rule") ? rule->children : NULL; x; x = x->next)
			if (ham_xml_is(x, "expression") &&
			    ham_streq(ham_xml_attr(x, "attribute", NULL), "#uname") &&
			    ham_streq(ham_xml_attr(x, "operation", NULL), "eq"))
				return ham_xml_attr(x, "value", NULL);
	return NULL;
}

/* Whether id is one of move's and ban's (of rsc; of any resource when rsc is NULL). */
static bool is_cli_id(const char *id, const char *rsc)
{
	size_t l;

	if (id == NULL)
		return false;
	if (rsc == NULL)
		return strncmp(id, "cli-prefer-", 11) == 0 || strncmp(id, "cli-ban-", 8) == 0;
	l = strlen(rsc);
	return (strncmp(id, "cli-prefer-", 11) == 0 && ham_streq(id + 11, rsc)) ||
	       (strncmp(id, "cli-ban-", 8) == 0 && strncmp(id + 8, rsc, l) == 0 &&
		strncmp(id + 8 + l, "-on-", 4) == 0);
}

/*
 * <clear [rsc=RSC] [node=NODE] [expired-by=T]/>: the locations move and ban
 * made for RSC (on NODE only, if given). With expired-by (seconds since the
 * epoch, given by the sender so that every node decides the same), only
 * those whose lifetime ended at or before T, and RSC is optional (every
 * resource's).
 */
static int clear(struct ectx *c, xmlNode *e)
{
	int r = 0;
	const char *rsc = ham_xml_attr(e, "rsc", NULL), *node = ham_xml_attr(e, "node", NULL);
	const char *by = ham_xml_attr(e, "expired-by", NULL);
	xmlNode *cons, *x, *next;
	int64_t by_s = 0, end;

	if (by && ham_parse_int64(by, &by_s) < 0)
		return fail(c, -HAM_E_XML, ham_asprintf("<clear> expired-by '%s' is not a time", by));
	if (by == NULL || rsc)
		rsc = need(c, e, "rsc", &r);
	if (r < 0 || (rsc && (r = need_resource(c, rsc, NULL)) < 0) || c->dry)
		return r;
	cons = ham_xml_child(c->conf, "constraints");
	for (x = cons ? cons->children : NULL; x; x = next) {
		next = x->next;
		if (!ham_xml_is(x, "rsc_location") || !is_cli_id(ham_xml_attr(x, "id", NULL), rsc))
			continue;
		if (node && !ham_streq(location_node(x), node))
			continue;
		if (by && !(lifetime_end(x, &end) && end <= by_s))
			continue;
		drop(x);
		c->conf_changed = true;
	}
	return 0;
}

bool ham_cib_doc_lifetimes_ended(const ham_cib_doc *d, int64_t now)
{
	xmlNode *cons = ham_xml_child(ham_xml_child(ham_cib_doc_root(d), "configuration"),
				      "constraints"), *x;
	int64_t end;

	for (x = cons ? cons->children : NULL; x; x = x->next)
		if (ham_xml_is(x, "rsc_location") && is_cli_id(ham_xml_attr(x, "id", NULL), NULL) &&
		    lifetime_end(x, &end) && end <= now)
			return true;
	return false;
}

/* ---- attributes -------------------------------------------------------- */

/* Sets (value) or deletes (NULL) name in the first set_name set of parent. */
static bool set_nv(struct ectx *c, xmlNode *parent, const char *set_name, const char *set_id,
		   const char *name, const char *value)
{
	xmlNode *s = ham_xml_child(parent, set_name), *nv = NULL;
	char *id;

	for (nv = s ? s->children : NULL; nv; nv = nv->next)
		if (ham_xml_is(nv, "nvpair") && ham_streq(ham_xml_attr(nv, "name", NULL), name))
			break;
	if (value == NULL) {
		if (nv == NULL)
			return false;
		drop(nv);
		return true;
	}
	if (nv) {
		if (ham_streq(ham_xml_attr(nv, "value", NULL), value))
			return false;
		set(nv, "value", value);
		return true;
	}
	if (s == NULL) {
		id = unique_id(c, set_id);
		s = xmlNewChild(parent, NULL, BAD_CAST set_name, NULL);
		set(s, "id", id);
		free(id);
	}
	{
		char *base = ham_asprintf("%s-%s", ham_xml_attr(s, "id", NULL), name);

		id = unique_id(c, base);
		free(base);
	}
	nv = xmlNewChild(s, NULL, BAD_CAST "nvpair", NULL);
	set(nv, "id", id);
	set(nv, "name", name);
	set(nv, "value", value);
	free(id);
	return true;
}

static int set_meta(struct ectx *c, xmlNode *e)
{
	int r = 0;
	const char *rsc = need(c, e, "rsc", &r), *name = need(c, e, "name", &r);
	xmlNode *x;
	char *set_id;

	if (r < 0 || (r = need_resource(c, rsc, &x)) < 0 || c->dry)
		return r;
	set_id = ham_asprintf("%s-meta_attributes", rsc);
	if (set_nv(c, x, "meta_attributes", set_id, name, ham_xml_attr(e, "value", NULL)))
		c->conf_changed = true;
	free(set_id);
	return 0;
}

/*
 * <set-node-attr node=N name=A [value=V] [lifetime=forever|reboot]
 * [set=instance_attributes|utilization]/>: without a value, A is deleted.
 * forever (the default): configuration/nodes/node[uname=N]/<set>; reboot:
 * N's transient attributes in the status (erased when N leaves or restarts).
 */
static int set_node_attr(struct ectx *c, xmlNode *e)
{
	int r = 0;
	const char *node = need(c, e, "node", &r), *name = need(c, e, "name", &r), *nid;
	const char *lifetime = ham_xml_attr(e, "lifetime", "forever");
	const char *set_name = ham_xml_attr(e, "set", "instance_attributes");
	const char *value = ham_xml_attr(e, "value", NULL);
	bool reboot = ham_streq(lifetime, "reboot");
	xmlNode *cfg, *nodes;
	char *set_id;

	if (r < 0)
		return r;
	if (!reboot && !ham_streq(lifetime, "forever"))
		return fail(c, -HAM_E_USAGE, ham_asprintf("'%s' is not a lifetime (reboot or "
							  "forever)", lifetime));
	if (!ham_streq(set_name, "instance_attributes") && !ham_streq(set_name, "utilization"))
		return fail(c, -HAM_E_XML, ham_asprintf("<set-node-attr> cannot set a <%s>",
						      set_name));
	if (reboot && ham_streq(set_name, "utilization"))
		return fail(c, -HAM_E_USAGE, ham_strdup("node utilization is configuration: its "
							"lifetime is forever"));
	if ((r = resolve_node(c, node, &nid, &cfg)) < 0 || c->dry)
		return r;
	if (reboot) {
		if (ham_cib_doc_set_transient_attr(c->d, nid, node, name, value) > 0)
			c->status_changed = true;
		return 0;
	}
	if (cfg == NULL) {
		if (value == NULL)
			return 0; /* nothing to delete */
		nodes = ham_xml_child(c->conf, "nodes");
		if (nodes == NULL)
			nodes = xmlNewChild(c->conf, NULL, BAD_CAST "nodes", NULL);
		cfg = xmlNewChild(nodes, NULL, BAD_CAST "node", NULL);
		set(cfg, "id", nid);
		set(cfg, "uname", node);
		c->conf_changed = true;
	}
	if (ham_streq(set_name, "utilization"))
		set_id = ham_asprintf("nodes-%s-utilization", ham_xml_attr(cfg, "id", nid));
	else
		set_id = ham_asprintf("nodes-%s", ham_xml_attr(cfg, "id", nid));
	if (set_nv(c, cfg, set_name, set_id, name, value))
		c->conf_changed = true;
	free(set_id);
	return 0;
}

/* ---- cleanup ------------------------------------------------------------ */

static void collect_primitives(xmlNode *x, char ***ids, size_t *n)
{
	xmlNode *k;

	if (ham_xml_is(x, "primitive")) {
		*ids = ham_reallocarray(*ids, *n + 1, sizeof(**ids));
		(*ids)[(*n)++] = ham_strdup(ham_xml_attr(x, "id", NULL));
		return;
	}
	for (k = x->children; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE && is_resource_el(k))
			collect_primitives(k, ids, n);
}

/* Whether an lrm_resource id is rsc or one of its clone instances "rsc:N". */
static bool history_of(const char *lrm_id, const char *rsc)
{
	size_t l = strlen(rsc);

	return lrm_id && strncmp(lrm_id, rsc, l) == 0 && (lrm_id[l] == '\0' || lrm_id[l] == ':');
}

static bool cleanup_node(struct ectx *c, xmlNode *ns, char **ids, size_t n)
{
	xmlNode *lrs = ham_xml_child(ham_xml_child(ns, "lrm"), "lrm_resources"), *x, *next;
	bool changed = false;
	size_t i;

	for (x = lrs ? lrs->children : NULL; x; x = next) {
		next = x->next;
		if (!ham_xml_is(x, "lrm_resource"))
			continue;
		for (i = 0; i < n; i++)
			if (history_of(ham_xml_attr(x, "id", NULL), ids[i])) {
				drop(x);
				changed = true;
				break;
			}
	}
	for (i = 0; i < n && ham_xml_attr(ns, "id", NULL); i++)
		changed |= ham_cib_doc_clear_failures(c->d, ham_xml_attr(ns, "id", NULL), ids[i]) > 0;
	return changed;
}

static bool has_history(struct ectx *c, const char *rsc)
{
	xmlNode *ns, *x;

	for (ns = c->status ? c->status->children : NULL; ns; ns = ns->next) {
		if (!ham_xml_is(ns, "node_state"))
			continue;
		for (x = ham_xml_child(ham_xml_child(ham_xml_child(ns, "lrm"), "lrm_resources"),
				       "lrm_resource");
		     x; x = x->next)
			if (ham_xml_is(x, "lrm_resource") &&
			    history_of(ham_xml_attr(x, "id", NULL), rsc))
				return true;
	}
	return false;
}

/* The resource a fail-count-RSC#OP_INTERVAL or last-failure-... name is about, or NULL. */
static char *failure_attr_rsc(const char *name)
{
	static const char *const prefixes[] = { "fail-count-", "last-failure-" };
	const char *hash;
	size_t i, pl;

	for (i = 0; name && i < HAM_ARRAY_SIZE(prefixes); i++) {
		pl = strlen(prefixes[i]);
		if (strncmp(name, prefixes[i], pl) == 0 && (hash = strrchr(name + pl, '#')) &&
		    hash > name + pl)
			return ham_strndup(name + pl, (size_t)(hash - name - pl));
	}
	return NULL;
}

static void add_id_once(char ***ids, size_t *n, char *id)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (ham_streq((*ids)[i], id)) {
			free(id);
			return;
		}
	*ids = ham_reallocarray(*ids, *n + 1, sizeof(**ids));
	(*ids)[(*n)++] = id;
}

/*
 * The resources (history ids: clone instances as "RSC:N") with a failure on
 * node_state ns: a failed operation in their history (RSC_last_failure_0)
 * or a fail count / last failure. all: every resource with history or one
 * of those attributes there.
 */
static void rscs_on_node(xmlNode *ns, bool all, char ***ids, size_t *n)
{
	xmlNode *x, *op, *set;

	for (x = ham_xml_child(ham_xml_child(ham_xml_child(ns, "lrm"), "lrm_resources"),
			       "lrm_resource");
	     x; x = x->next) {
		const char *id = ham_xml_attr(x, "id", NULL);
		char *want;

		if (!ham_xml_is(x, "lrm_resource") || id == NULL)
			continue;
		want = ham_asprintf("%s_last_failure_0", id);
		for (op = x->children; op && !all; op = op->next)
			if (ham_xml_is(op, "lrm_rsc_op") && ham_streq(ham_xml_attr(op, "id", NULL), want))
				break;
		free(want);
		if (all || op)
			add_id_once(ids, n, ham_strdup(id));
	}
	set = ham_xml_child(ham_xml_child(ns, "transient_attributes"), "instance_attributes");
	for (x = set ? set->children : NULL; x; x = x->next) {
		char *rsc = ham_xml_is(x, "nvpair") ? failure_attr_rsc(ham_xml_attr(x, "name", NULL))
						    : NULL;

		if (rsc)
			add_id_once(ids, n, rsc);
	}
}

/*
 * <cleanup [node=NODE]/> (no rsc): every resource that failed (on NODE, if
 * given) loses its history and fail counts where it failed, as
 * crm_resource --cleanup does without a resource. all (the refresh edit):
 * every resource's history and fail counts.
 */
static int cleanup_all(struct ectx *c, const char *node, bool all)
{
	const char *nid = NULL;
	xmlNode *cfg, *ns;
	int r;

	if (node && (r = resolve_node(c, node, &nid, &cfg)) < 0)
		return r;
	if (c->dry)
		return 0;
	for (ns = c->status ? c->status->children : NULL; ns; ns = ns->next) {
		char **ids = NULL;
		size_t n = 0, i;

		if (!ham_xml_is(ns, "node_state") ||
		    (nid && !ham_streq(ham_xml_attr(ns, "id", NULL), nid)))
			continue;
		rscs_on_node(ns, all, &ids, &n);
		if (n)
			c->status_changed |= cleanup_node(c, ns, ids, n);
		for (i = 0; i < n; i++)
			free(ids[i]);
		free(ids);
	}
	return 0;
}

/*
 * <cleanup rsc=RSC [node=NODE]/>: RSC's history and fail counts (on NODE,
 * else everywhere). Without rsc: cleanup_all(), the failed ones only.
 */
static int cleanup(struct ectx *c, xmlNode *e)
{
	int r = 0;
	const char *rsc = ham_xml_attr(e, "rsc", NULL), *node = ham_xml_attr(e, "node", NULL);
	const char *nid = NULL;
	xmlNode *x, *cfg, *ns;
	char **ids = NULL;
	size_t n = 0, i;

	if (rsc == NULL)
		return cleanup_all(c, node, false);
	rsc = need(c, e, "rsc", &r);
	if (r < 0)
		return r;
	if (node && (r = resolve_node(c, node, &nid, &cfg)) < 0)
		return r;
	x = find_resource(c, rsc);
	if (x == NULL && !has_history(c, rsc))
		return fail(c, -ENOENT, ham_asprintf("no resource '%s' in the configuration or "
						     "its history", rsc));
	if (c->dry)
		return 0;
	if (x)
		collect_primitives(x, &ids, &n);
	ids = ham_reallocarray(ids, n + 1, sizeof(*ids));
	ids[n++] = ham_strdup(rsc);
	for (ns = c->status ? c->status->children : NULL; ns; ns = ns->next)
		if (ham_xml_is(ns, "node_state") &&
		    (nid == NULL || ham_streq(ham_xml_attr(ns, "id", NULL), nid)))
			c->status_changed |= cleanup_node(c, ns, ids, n);
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return 0;
}

/*
 * <refresh [rsc=RSC] [node=NODE]/>: RSC's whole history and fail counts, as
 * cleanup; without rsc every resource's (on NODE, if given): the cluster
 * probes again (crm_resource --refresh).
 */
static int refresh(struct ectx *c, xmlNode *e)
{
	if (ham_xml_attr(e, "rsc", NULL) == NULL)
		return cleanup_all(c, ham_xml_attr(e, "node", NULL), true);
	return cleanup(c, e);
}

/* ---- configuration commands (hactl resource/constraint/property ...) ---- */

/* The first element child of n, or NULL. */
static xmlNode *first_el(xmlNode *n)
{
	xmlNode *x;

	for (x = n ? n->children : NULL; x; x = x->next)
		if (x->type == XML_ELEMENT_NODE)
			return x;
	return NULL;
}

/* A configuration section, created (empty) if missing and not dry. */
static xmlNode *section(struct ectx *c, const char *name)
{
	xmlNode *s = ham_xml_child(c->conf, name);

	if (s == NULL && !c->dry)
		s = xmlNewChild(c->conf, NULL, BAD_CAST name, NULL);
	return s;
}

/* Fails when el or an element below it has an id the document already uses. */
static int check_ids_free(struct ectx *c, xmlNode *el)
{
	const char *id = ham_xml_attr(el, "id", NULL);
	xmlNode *other, *k;
	int r;

	if (id && (other = find_id(c->root, id)) != NULL)
		return fail(c, -EEXIST, ham_asprintf("the id '%s' is already used by a <%s>", id,
						     (const char *)other->name));
	for (k = el->children; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE && (r = check_ids_free(c, k)) < 0)
			return r;
	return 0;
}

static bool is_constraint_el(const xmlNode *n)
{
	return ham_xml_is(n, "rsc_location") || ham_xml_is(n, "rsc_colocation") ||
	       ham_xml_is(n, "rsc_order") || ham_xml_is(n, "rsc_ticket");
}

/*
 * <create [group=G]>ELEMENT</create>: a new resource (to <resources>, or
 * appended to group G, created if missing) or constraint (to <constraints>).
 */
static int create(struct ectx *c, xmlNode *e)
{
	xmlNode *el = first_el(e), *g = NULL, *copy;
	const char *group = ham_xml_attr(e, "group", NULL), *id;
	int r;

	if (el == NULL || (el->next && el->next->type == XML_ELEMENT_NODE))
		return fail(c, -HAM_E_XML, ham_strdup("<create> needs one element to create"));
	if (!is_resource_el(el) && !is_constraint_el(el))
		return fail(c, -HAM_E_XML, ham_asprintf("<create> cannot create a <%s>",
						      (const char *)el->name));
	id = ham_xml_attr(el, "id", NULL);
	if (id == NULL || id[0] == '\0')
		return fail(c, -HAM_E_XML, ham_asprintf("the new <%s> needs an id",
						      (const char *)el->name));
	if ((r = check_ids_free(c, el)) < 0)
		return r;
	if (group) {
		if (!ham_xml_is(el, "primitive"))
			return fail(c, -HAM_E_USAGE, ham_asprintf("only a primitive can join a group, "
								  "not the <%s> '%s'",
								  (const char *)el->name, id));
		if (group[0] == '\0' || ham_streq(group, id))
			return fail(c, -HAM_E_USAGE, ham_asprintf("'%s' cannot be its own group", id));
		g = find_id(c->root, group);
		if (g && !ham_xml_is(g, "group"))
			return fail(c, -HAM_E_USAGE, ham_asprintf("'%s' is a <%s>, not a group", group,
								  (const char *)g->name));
	}
	if (c->dry)
		return 0;
	copy = xmlDocCopyNode(el, c->root->doc, 1);
	if (group && g == NULL) {
		g = xmlNewChild(section(c, "resources"), NULL, BAD_CAST "group", NULL);
		set(g, "id", group);
	}
	xmlAddChild(g ? g : section(c, is_resource_el(el) ? "resources" : "constraints"), copy);
	c->conf_changed = true;
	return 0;
}

static const char *const attr_sets[] = { "instance_attributes", "meta_attributes",
					 "utilization" };

/* <set-attr rsc=RSC set=instance_attributes|meta_attributes|utilization name=N [value=V]/> */
static int set_attr(struct ectx *c, xmlNode *e)
{
	int r = 0;
	const char *rsc = need(c, e, "rsc", &r), *name = need(c, e, "name", &r);
	const char *set_name = need(c, e, "set", &r);
	xmlNode *x;
	char *set_id;
	size_t i;

	if (r < 0)
		return r;
	for (i = 0; i < HAM_ARRAY_SIZE(attr_sets); i++)
		if (ham_streq(set_name, attr_sets[i]))
			break;
	if (i == HAM_ARRAY_SIZE(attr_sets))
		return fail(c, -HAM_E_XML, ham_asprintf("<set-attr> cannot set a <%s>", set_name));
	if ((r = need_resource(c, rsc, &x)) < 0 || c->dry)
		return r;
	set_id = ham_asprintf("%s-%s", rsc, set_name);
	if (set_nv(c, x, set_name, set_id, name, ham_xml_attr(e, "value", NULL)))
		c->conf_changed = true;
	free(set_id);
	return 0;
}

/*
 * <set-op rsc=RSC><op name=ACTION .../></set-op>: RSC's operations named
 * ACTION are replaced by this one (its id chosen here, Pacemaker-style).
 */
static int set_op(struct ectx *c, xmlNode *e)
{
	int r = 0;
	const char *rsc = need(c, e, "rsc", &r), *name;
	xmlNode *op = first_el(e), *x, *ops, *k, *next, *copy;
	char *base, *id;

	if (r < 0)
		return r;
	if (op == NULL || !ham_xml_is(op, "op") || !(name = ham_xml_attr(op, "name", NULL)) ||
	    name[0] == '\0')
		return fail(c, -HAM_E_XML, ham_strdup("<set-op> needs an <op> with a name"));
	if ((r = need_resource(c, rsc, &x)) < 0)
		return r;
	if (!ham_xml_is(x, "primitive"))
		return fail(c, -HAM_E_USAGE, ham_asprintf("'%s' is a <%s>: only primitives have "
							  "operations", rsc, (const char *)x->name));
	if (c->dry)
		return 0;
	ops = ham_xml_child(x, "operations");
	if (ops == NULL)
		ops = xmlNewChild(x, NULL, BAD_CAST "operations", NULL);
	for (k = ops->children; k; k = next) {
		next = k->next;
		if (ham_xml_is(k, "op") && ham_streq(ham_xml_attr(k, "name", NULL), name))
			drop(k);
	}
	copy = xmlDocCopyNode(op, c->root->doc, 1);
	base = ham_asprintf("%s-%s-interval-%s", rsc, name, ham_xml_attr(op, "interval", "0s"));
	id = unique_id(c, base);
	set(copy, "id", id);
	free(id);
	free(base);
	xmlAddChild(ops, copy);
	c->conf_changed = true;
	return 0;
}

/* Whether constraint k names one of ids (directly or in a resource set). */
static bool names_any(xmlNode *k, char **ids, size_t n)
{
	static const char *const refs[] = { "rsc", "with-rsc", "first", "then" };
	size_t i, j;

	for (i = 0; i < HAM_ARRAY_SIZE(refs); i++)
		for (j = 0; j < n; j++)
			if (ham_streq(ham_xml_attr(k, refs[i], NULL), ids[j]))
				return true;
	return false;
}

/* Drops what refers to ids: constraints naming them, their resource_refs in sets. */
static void drop_references(struct ectx *c, char **ids, size_t n)
{
	xmlNode *cons = ham_xml_child(c->conf, "constraints"), *k, *next, *set, *nset, *ref, *nref;
	size_t j;

	for (k = cons ? cons->children : NULL; k; k = next) {
		bool had_sets = false, left = false;

		next = k->next;
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (names_any(k, ids, n)) {
			drop(k);
			continue;
		}
		for (set = k->children; set; set = nset) {
			bool refs_left = false;

			nset = set->next;
			if (!ham_xml_is(set, "resource_set"))
				continue;
			had_sets = true;
			for (ref = set->children; ref; ref = nref) {
				nref = ref->next;
				if (!ham_xml_is(ref, "resource_ref"))
					continue;
				for (j = 0; j < n; j++)
					if (ham_streq(ham_xml_attr(ref, "id", NULL), ids[j]))
						break;
				if (j < n)
					drop(ref);
				else
					refs_left = true;
			}
			if (refs_left)
				left = true;
			else
				drop(set);
		}
		if (had_sets && !left)
			drop(k);
	}
	/* tags: the references go; a tag left empty goes too (one needs a member) */
	for (k = ham_xml_child(c->conf, "tags") ? ham_xml_child(c->conf, "tags")->children : NULL;
	     k; k = next) {
		bool left = false;

		next = k->next;
		if (!ham_xml_is(k, "tag"))
			continue;
		for (ref = k->children; ref; ref = nref) {
			nref = ref->next;
			if (!ham_xml_is(ref, "obj_ref"))
				continue;
			for (j = 0; j < n; j++)
				if (ham_streq(ham_xml_attr(ref, "id", NULL), ids[j]))
					break;
			if (j < n)
				drop(ref);
			else
				left = true;
		}
		if (!left)
			drop(k);
	}
}

static size_t count_members(xmlNode *x)
{
	xmlNode *k;
	size_t n = 0;

	for (k = x->children; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE && is_resource_el(k))
			n++;
	return n;
}

/* x's id and those of every resource below it. */
static void collect_rsc_ids(xmlNode *x, char ***ids, size_t *n)
{
	xmlNode *k;

	*ids = ham_reallocarray(*ids, *n + 1, sizeof(**ids));
	(*ids)[(*n)++] = ham_strdup(ham_xml_attr(x, "id", ""));
	for (k = x->children; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE && is_resource_el(k))
			collect_rsc_ids(k, ids, n);
}

/* <delete id=ID/>: a resource (with its members and the constraints naming
 * them; a group or clone left empty goes too) or a constraint. */
static int delete_el(struct ectx *c, xmlNode *e)
{
	int r = 0;
	const char *id = need(c, e, "id", &r), *kind = ham_xml_attr(e, "kind", NULL);
	bool rsc_ok = kind == NULL || ham_streq(kind, "resource");
	bool cons_ok = kind == NULL || ham_streq(kind, "constraint");
	xmlNode *x = NULL, *cons;
	char **ids = NULL;
	size_t n = 0, i;

	if (r < 0)
		return r;
	if (!rsc_ok && !cons_ok)
		return fail(c, -HAM_E_XML, ham_asprintf("<delete> has no kind '%s'", kind));
	cons = ham_xml_child(c->conf, "constraints");
	if (rsc_ok)
		x = find_resource(c, id);
	if (x == NULL && cons_ok && (x = find_id(cons, id)) != NULL && !is_constraint_el(x))
		x = NULL;
	if (x == NULL)
		return fail(c, -ENOENT, ham_asprintf("no %s '%s' in the configuration",
						     !cons_ok ? "resource" : !rsc_ok ? "constraint" :
						     "resource or constraint", id));
	if (c->dry)
		return 0;
	c->conf_changed = true;
	if (is_constraint_el(x)) {
		drop(x);
		return 0;
	}
	/* a group or clone that would be left empty goes with it */
	while (is_resource_el(x->parent) && count_members(x->parent) == 1)
		x = x->parent;
	collect_rsc_ids(x, &ids, &n);
	drop_references(c, ids, n);
	drop(x);
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return 0;
}

/* <set-property section=crm_config|rsc_defaults|op_defaults name=N [value=V]/> */
static int set_property(struct ectx *c, xmlNode *e)
{
	static const struct {
		const char *section, *set, *set_id;
	} where[] = {
		{ "crm_config", "cluster_property_set", "cib-bootstrap-options" },
		{ "rsc_defaults", "meta_attributes", "rsc-options" },
		{ "op_defaults", "meta_attributes", "op-options" },
	};
	int r = 0;
	const char *sec = need(c, e, "section", &r), *name = need(c, e, "name", &r);
	const char *value = ham_xml_attr(e, "value", NULL);
	xmlNode *s;
	size_t i;

	if (r < 0)
		return r;
	for (i = 0; i < HAM_ARRAY_SIZE(where); i++)
		if (ham_streq(sec, where[i].section))
			break;
	if (i == HAM_ARRAY_SIZE(where))
		return fail(c, -HAM_E_XML, ham_asprintf("<set-property> has no section '%s'", sec));
	if (c->dry)
		return 0;
	s = ham_xml_child(c->conf, sec);
	if (s == NULL && value == NULL)
		return 0;
	if (set_nv(c, section(c, sec), where[i].set, where[i].set_id, name, value))
		c->conf_changed = true;
	return 0;
}

/* Drops x's ancestor chain while it is left empty (with the constraints
 * naming what goes), starting at parent p. */
static void drop_if_empty(struct ectx *c, xmlNode *p)
{
	char **ids = NULL;
	size_t n = 0, i;

	if (!is_resource_el(p) || count_members(p) > 0)
		return;
	while (is_resource_el(p->parent) && count_members(p->parent) == 1)
		p = p->parent;
	collect_rsc_ids(p, &ids, &n);
	drop_references(c, ids, n);
	drop(p);
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

/* <group-add group=G rsc=RSC/>: the primitive RSC (top level or in another
 * group) moves to the end of group G, created if missing. */
static int group_add(struct ectx *c, xmlNode *e)
{
	int r = 0;
	const char *group = need(c, e, "group", &r), *rsc = need(c, e, "rsc", &r);
	xmlNode *x, *g, *old;

	if (r < 0 || (r = need_resource(c, rsc, &x)) < 0)
		return r;
	if (!ham_xml_is(x, "primitive"))
		return fail(c, -HAM_E_USAGE, ham_asprintf("'%s' is a <%s>: only primitives join a "
							  "group", rsc, (const char *)x->name));
	if (!ham_xml_is(x->parent, "resources") &&
	    !(ham_xml_is(x->parent, "group") && ham_xml_is(x->parent->parent, "resources"))) {
		xmlNode *in = ham_xml_is(x->parent, "group") ? x->parent->parent : x->parent;

		return fail(c, -HAM_E_USAGE, ham_asprintf("'%s' is in the <%s> '%s': it cannot "
							  "join a group", rsc, (const char *)in->name,
							  ham_xml_attr(in, "id", "")));
	}
	g = find_id(c->root, group);
	if (g && !ham_xml_is(g, "group"))
		return fail(c, -HAM_E_USAGE, ham_asprintf("'%s' is a <%s>, not a group", group,
							  (const char *)g->name));
	if (ham_streq(group, rsc))
		return fail(c, -HAM_E_USAGE, ham_asprintf("'%s' cannot be its own group", rsc));
	if (c->dry)
		return 0;
	if (g == NULL) {
		g = xmlNewNode(NULL, BAD_CAST "group");
		set(g, "id", group);
		xmlAddNextSibling(ham_xml_is(x->parent, "group") ? x->parent : x, g);
	}
	old = x->parent;
	xmlUnlinkNode(x);
	xmlAddChild(g, x);
	if (old != g)
		drop_if_empty(c, old);
	c->conf_changed = true;
	return 0;
}

/* <group-remove group=G rsc=RSC/>: RSC leaves group G, placed right after
 * it (after its clone, if cloned); a group left empty goes. */
static int group_remove(struct ectx *c, xmlNode *e)
{
	int r = 0;
	const char *group = need(c, e, "group", &r), *rsc = need(c, e, "rsc", &r);
	xmlNode *x, *g, *top;

	if (r < 0)
		return r;
	g = find_resource(c, group);
	if (g == NULL || !ham_xml_is(g, "group"))
		return fail(c, -ENOENT, ham_asprintf("no group '%s' in the configuration", group));
	if ((x = find_id(g, rsc)) == NULL || x->parent != g)
		return fail(c, -ENOENT, ham_asprintf("'%s' is not a member of the group '%s'", rsc,
						     group));
	if (c->dry)
		return 0;
	for (top = g; is_resource_el(top->parent); top = top->parent)
		;
	xmlUnlinkNode(x);
	xmlAddNextSibling(top, x);
	drop_if_empty(c, g);
	c->conf_changed = true;
	return 0;
}

/* <clone-rsc rsc=RSC><clone id=ID>[meta_attributes]</clone></clone-rsc>:
 * RSC (a top-level primitive or group) is wrapped in the clone given. */
static int clone_rsc(struct ectx *c, xmlNode *e)
{
	int r = 0;
	const char *rsc = need(c, e, "rsc", &r), *id;
	xmlNode *x, *cl = first_el(e), *copy;

	if (r < 0)
		return r;
	if (cl == NULL || !ham_xml_is(cl, "clone") || !(id = ham_xml_attr(cl, "id", NULL)) ||
	    count_members(cl) > 0)
		return fail(c, -HAM_E_XML, ham_strdup("<clone-rsc> needs an empty <clone> with an id"));
	if ((r = need_resource(c, rsc, &x)) < 0 || (r = check_ids_free(c, cl)) < 0)
		return r;
	if (!ham_xml_is(x->parent, "resources") ||
	    !(ham_xml_is(x, "primitive") || ham_xml_is(x, "group")))
		return fail(c, -HAM_E_USAGE, ham_asprintf("'%s' cannot be cloned: only a primitive "
							  "or group outside groups and clones",
							  rsc));
	if (c->dry)
		return 0;
	copy = xmlDocCopyNode(cl, c->root->doc, 1);
	xmlAddNextSibling(x, copy);
	xmlUnlinkNode(x);
	xmlAddChild(copy, x);
	c->conf_changed = true;
	return 0;
}

/* ---- fencing request (hactl stonith fence) -------------------------------- */

/*
 * <fence node=NODE/>: the node's transient attribute terminate=true, which
 * the policy engine answers by fencing the node (as Pacemaker's); it goes
 * with the node's transient attributes once the node is fenced.
 */
static int fence_request(struct ectx *c, xmlNode *e)
{
	int r = 0;
	const char *node = need(c, e, "node", &r), *nid;
	xmlNode *cfg;

	if (r < 0 || (r = resolve_node(c, node, &nid, &cfg)) < 0 || c->dry)
		return r;
	if (ham_cib_doc_set_transient_attr(c->d, nid, node, "terminate", "true") > 0)
		c->status_changed = true;
	return 0;
}

/* ---- the document -------------------------------------------------------- */

static const struct {
	const char *name;
	int (*fn)(struct ectx *c, xmlNode *e);
} edits[] = {
	{ "set-location", set_location },
	{ "delete-location", delete_location },
	{ "clear", clear },
	{ "set-meta", set_meta },
	{ "set-node-attr", set_node_attr },
	{ "cleanup", cleanup },
	{ "refresh", refresh },
	{ "create", create },
	{ "set-attr", set_attr },
	{ "set-op", set_op },
	{ "delete", delete_el },
	{ "set-property", set_property },
	{ "group-add", group_add },
	{ "group-remove", group_remove },
	{ "clone-rsc", clone_rsc },
	{ "fence", fence_request },
};

static int run_edits(ham_cib_doc *d, bool dry, const char *buf, size_t len, bool *ret_conf,
		     bool *ret_status, char **ret_err)
{
	struct ectx c = { .d = d, .dry = dry };
	xmlDoc *doc = NULL;
	xmlNode *root, *e;
	size_t count = 0, i;
	int r = 0;

	if (len == 0 || len > INT32_MAX) {
		r = fail(&c, -HAM_E_XML, ham_strdup("an empty or oversized edit"));
		goto out;
	}
	doc = xmlReadMemory(buf, (int)len, "modify", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root == NULL || doc->intSubset || doc->extSubset || !ham_xml_is(root, "modify")) {
		r = fail(&c, -HAM_E_XML, ham_strdup("the edit is not a <modify> document"));
		goto out;
	}
	c.root = ham_cib_doc_root(d);
	c.conf = ham_xml_child(c.root, "configuration");
	c.status = ham_xml_child(c.root, "status");
	for (e = root->children; e && r == 0; e = e->next) {
		if (e->type != XML_ELEMENT_NODE)
			continue;
		if (++count > MAX_EDITS) {
			r = fail(&c, -HAM_E_XML, ham_asprintf("more than %d edits", MAX_EDITS));
			break;
		}
		for (i = 0; i < HAM_ARRAY_SIZE(edits); i++)
			if (ham_xml_is(e, edits[i].name))
				break;
		if (i == HAM_ARRAY_SIZE(edits))
			r = fail(&c, -HAM_E_XML, ham_asprintf("unknown edit <%s>", (const char *)e->name));
		else
			r = edits[i].fn(&c, e);
	}
	if (r == 0 && count == 0)
		r = fail(&c, -HAM_E_XML, ham_strdup("the <modify> document holds no edit"));
out:
	xmlFreeDoc(doc);
	if (r < 0) {
		*ret_err = c.err ? c.err : ham_strdup(ham_strerror(r));
		return r;
	}
	free(c.err);
	*ret_conf = c.conf_changed;
	*ret_status = c.status_changed;
	return 0;
}

int ham_cib_doc_apply_modify(ham_cib_doc *d, const char *buf, size_t len, bool *ret_changed, char **ret_err)
{
	bool conf = false, status = false;
	struct ham_cib_version v;
	int r;

	*ret_err = NULL;
	/*
	 * Every edit is checked first, then applied in place: a check that
	 * passes leaves the application nothing to refuse (the edits only
	 * resolve ids that no edit removes), so all or none apply without
	 * copying what may be a large document on every node.
	 */
	r = run_edits(d, true, buf, len, &conf, &status, ret_err);
	if (r < 0)
		return r;
	r = run_edits(d, false, buf, len, &conf, &status, ret_err);
	if (r < 0) {
		/* Not expected; every node holding this CIB ends the same way, so
		 * what was done is kept (and stored) as on every other node. */
		qb_log(LOG_ERR, "A CIB edit failed after its check: %s", *ret_err ? *ret_err : "");
		free(*ret_err);
		*ret_err = NULL;
		conf = status = true;
		r = 0;
	}
	if (conf || status) {
		ham_cib_doc_get_version(d, &v);
		if (conf) {
			v.epoch++;
			v.num_updates = 0;
		} else {
			v.num_updates++;
		}
		ham_cib_doc_set_version(d, &v);
	}
	if (r == 0 && ret_changed)
		*ret_changed = conf || status;
	return r;
}

int ham_cib_doc_check_modify(const ham_cib_doc *d, const char *buf, size_t len, char **ret_err)
{
	ham_cib_doc *copy = ham_cib_doc_copy(d);
	bool conf = false, status = false;
	char *xml;
	size_t xlen;
	int r;

	*ret_err = NULL;
	r = run_edits(copy, false, buf, len, &conf, &status, ret_err);
	if (r == 0 && conf) {
		char *why = NULL;

		ham_cib_doc_dump(copy, &xml, &xlen);
		r = ham_cib_doc_check_config(xml, xlen, &why);
		if (r < 0)
			*ret_err = ham_asprintf("the configuration after this change would be invalid: %s",
						why ? why : ham_strerror(r));
		free(why);
		free(xml);
	}
	ham_cib_doc_free(copy);
	return r;
}
