/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* lib/cib/xml.c: libxml2 tree helpers (include/hamgr/xml.h). */
#include "config.h"

#include <hamgr/xml.h>

bool ham_xml_is(const xmlNode *n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	       xmlStrcmp(n->name, BAD_CAST name) == 0;
}

xmlNode *ham_xml_child(const xmlNode *parent, const char *name)
{
	xmlNode *n;

	for (n = parent ? parent->children : NULL; n; n = n->next)
		if (ham_xml_is(n, name))
			return n;
	return NULL;
}

const char *ham_xml_attr(const xmlNode *n, const char *name, const char *dflt)
{
	xmlAttr *a = n ? xmlHasProp((xmlNode *)n, BAD_CAST name) : NULL;

	if (a == NULL || a->children == NULL || a->children->content == NULL ||
	    a->children->content[0] == '\0')
		return dflt;
	return (const char *)a->children->content;
}
