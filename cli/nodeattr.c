/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/nodeattr.c: node attributes read from a CIB document (nodeattr.h). */
#include "config.h"

#include <string.h>

#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/xml.h>
#include "nodeattr.h"

const char *nodeattr_kind_name(enum nodeattr_kind k)
{
	static const char *const names[NODEATTR_KIND_MAX] = {
		[NODEATTR_PERMANENT] = "forever",
		[NODEATTR_TRANSIENT] = "reboot",
		[NODEATTR_UTILIZATION] = "utilization",
	};

	return k < NODEATTR_KIND_MAX ? names[k] : NULL;
}

static xmlNode *section(xmlDoc *cib, const char *a, const char *b)
{
	xmlNode *root = cib ? xmlDocGetRootElement(cib) : NULL;
	xmlNode *n = ham_xml_child(root, a);

	return b ? ham_xml_child(n, b) : n;
}

/* The first child of parent named el whose attribute attr is value. */
static xmlNode *child_where(xmlNode *parent, const char *el, const char *attr, const char *value)
{
	xmlNode *n;

	for (n = parent ? parent->children : NULL; n; n = n->next)
		if (ham_xml_is(n, el) && ham_streq(ham_xml_attr(n, attr, NULL), value))
			return n;
	return NULL;
}

static xmlNode *configured(xmlDoc *cib, const char *node)
{
	return child_where(section(cib, "configuration", "nodes"), "node", "uname", node);
}

static xmlNode *node_state(xmlDoc *cib, const char *node)
{
	xmlNode *ns = child_where(section(cib, "status", NULL), "node_state", "uname", node);
	xmlNode *cfg;

	/* a node_state may carry only its id */
	if (ns == NULL && (cfg = configured(cib, node)) != NULL)
		ns = child_where(section(cib, "status", NULL), "node_state", "id",
				 ham_xml_attr(cfg, "id", NULL));
	return ns;
}

bool nodeattr_node_known(xmlDoc *cib, const char *node)
{
	return configured(cib, node) != NULL || node_state(cib, node) != NULL;
}

/* The element whose children are the attribute sets of kind k, and the sets' name. */
static xmlNode *holder(xmlDoc *cib, const char *node, enum nodeattr_kind k, const char **ret_set)
{
	*ret_set = k == NODEATTR_UTILIZATION ? "utilization" : "instance_attributes";
	if (k == NODEATTR_TRANSIENT)
		return ham_xml_child(node_state(cib, node), "transient_attributes");
	return configured(cib, node);
}

void nodeattr_each(xmlDoc *cib, const char *node, enum nodeattr_kind k,
		   void (*fn)(const char *name, const char *value, void *ud), void *ud)
{
	const char *set_name;
	xmlNode *h = holder(cib, node, k, &set_name), *s, *nv;

	for (s = h ? h->children : NULL; s; s = s->next) {
		if (!ham_xml_is(s, set_name))
			continue;
		for (nv = s->children; nv; nv = nv->next)
			if (ham_xml_is(nv, "nvpair") && ham_xml_attr(nv, "name", NULL))
				fn(ham_xml_attr(nv, "name", NULL), ham_xml_attr(nv, "value", ""), ud);
	}
}

const char *nodeattr_get(xmlDoc *cib, const char *node, enum nodeattr_kind k, const char *name)
{
	const char *set_name;
	xmlNode *h = holder(cib, node, k, &set_name), *s, *nv;

	for (s = h ? h->children : NULL; s; s = s->next) {
		if (!ham_xml_is(s, set_name))
			continue;
		for (nv = s->children; nv; nv = nv->next)
			if (ham_xml_is(nv, "nvpair") && ham_streq(ham_xml_attr(nv, "name", NULL), name))
				return ham_xml_attr(nv, "value", "");
	}
	return NULL;
}
