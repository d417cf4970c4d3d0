/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Small libxml2 tree helpers shared by hactl and hamgrd (lib/cib): finding
 * an element child and reading an attribute without copying it. libxml2
 * has xmlHasProp()/xmlGetProp() but no "first child element named X", and
 * xmlGetProp() allocates; these return pointers into the tree.
 */
#ifndef HAMGR_XML_H
#define HAMGR_XML_H

#include <stdbool.h>

#include <libxml/tree.h>

/* Whether n is an element named name. */
bool ham_xml_is(const xmlNode *n, const char *name);
/* The first element child of parent named name, or NULL (parent may be NULL). */
xmlNode *ham_xml_child(const xmlNode *parent, const char *name);
/*
 * An attribute's value, owned by the tree, or dflt when n is NULL or has no
 * such attribute, or its value is empty.
 */
const char *ham_xml_attr(const xmlNode *n, const char *name, const char *dflt);

struct ham_cib_doc;
/*
 * The root element of a lib/cib document, for the daemon's code that still
 * walks it read-only (to be replaced by lib/cib calls). Owned by doc.
 */
xmlNode *ham_cib_doc_root(const struct ham_cib_doc *doc);

#endif /* HAMGR_XML_H */
