/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tools/attr_tool.c: node attributes and cluster options read from the
 * CIB of the local hamgrd and changed through its edit path
 * (HAM_IPC_CIB_MODIFY, <set-node-attr>/<set-property>), as the agents'
 * tools (attr_tool.h) do.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include <hamgr/xml.h>
#include "attr_tool.h"
#include "hactl.h"
#include "hactl_ipc.h"
#include "nodeattr.h"

/* cli/hactl_ipc.c reports through this: "PROG: message", as Pacemaker's tools. */
void hactl_err(const struct hactl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", ctx->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int attr_tool_exit(int ham_exit)
{
	switch (ham_exit) {
	case HAM_EXIT_OK: return CRM_EX_OK;
	case HAM_EXIT_USAGE: return CRM_EX_USAGE;
	case HAM_EXIT_INVALID: return CRM_EX_DATAERR;
	case HAM_EXIT_NOT_FOUND: return CRM_EX_NOSUCH;
	case HAM_EXIT_PERMISSION: return CRM_EX_INSUFFICIENT_PRIV;
	case HAM_EXIT_UNREACHABLE: return CRM_EX_DISCONNECT;
	case HAM_EXIT_NO_QUORUM: return CRM_EX_QUORUM;
	case HAM_EXIT_TIMEOUT: return CRM_EX_TIMEOUT;
	default: return CRM_EX_ERROR;
	}
}

char *attr_tool_local_node(const char *prog, int *ret_exit)
{
	struct hactl_ctx ctx = { .prog = prog };
	const char *name;
	char *copy = NULL;
	xmlDoc *doc;
	int rc;

	rc = hactl_get_status(&ctx, &doc);
	if (rc != HAM_EXIT_OK) {
		*ret_exit = attr_tool_exit(rc);
		return NULL;
	}
	name = ham_xml_attr(xmlDocGetRootElement(doc), "local", "");
	if (name[0] == '\0') {
		fprintf(stderr, "%s: this node has not joined the cluster yet: its name is not "
			"known\n", prog);
		*ret_exit = CRM_EX_DISCONNECT;
	} else {
		copy = ham_strdup(name);
	}
	xmlFreeDoc(doc);
	return copy;
}

/* A configuration section's option (crm_config property, defaults), or NULL. */
static const char *section_value(xmlDoc *cib, const char *section, const char *name)
{
	xmlNode *s = ham_xml_child(ham_xml_child(xmlDocGetRootElement(cib), "configuration"),
				   section);
	xmlNode *set, *nv;

	for (set = s ? s->children : NULL; set; set = set->next) {
		if (set->type != XML_ELEMENT_NODE)
			continue;
		for (nv = set->children; nv; nv = nv->next)
			if (ham_xml_is(nv, "nvpair") && ham_streq(ham_xml_attr(nv, "name", NULL), name))
				return ham_xml_attr(nv, "value", "");
	}
	return NULL;
}

static const char *scope_name(const struct attr_req *r)
{
	if (r->section)
		return r->section;
	switch (r->kind) {
	case NODEATTR_TRANSIENT: return "status";
	case NODEATTR_UTILIZATION: return "utilization";
	default: return "nodes";
	}
}

static int query(const char *prog, enum attr_tool_style style, const struct attr_req *r,
		 const char *node)
{
	struct hactl_ctx ctx = { .prog = prog };
	const char *v = NULL;
	xmlDoc *cib;
	int rc = hactl_get_cib(&ctx, &cib);

	if (rc != HAM_EXIT_OK)
		return attr_tool_exit(rc);
	if (r->all) {
		/* attrd_updater -A: every node of the status that has it */
		xmlNode *x = ham_xml_child(xmlDocGetRootElement(cib), "status");
		int found = 0;

		for (x = x ? x->children : NULL; x; x = x->next) {
			const char *un = ham_xml_attr(x, "uname", NULL);

			if (!ham_xml_is(x, "node_state") || un == NULL ||
			    (v = nodeattr_get(cib, un, NODEATTR_TRANSIENT, r->name)) == NULL)
				continue;
			printf("name=\"%s\" host=\"%s\" value=\"%s\"\n", r->name, un, v);
			found++;
		}
		xmlFreeDoc(cib);
		if (found == 0) {
			fprintf(stderr, "%s: no node has the attribute '%s'\n", prog, r->name);
			return CRM_EX_NOSUCH;
		}
		return CRM_EX_OK;
	}
	if (node && !nodeattr_node_known(cib, node)) {
		fprintf(stderr, "%s: no node '%s' in the cluster\n", prog, node);
		xmlFreeDoc(cib);
		return CRM_EX_NOSUCH;
	}
	v = r->section ? section_value(cib, r->section, r->name)
		       : nodeattr_get(cib, node, r->kind, r->name);
	if (v == NULL)
		v = r->dflt;
	if (v == NULL) {
		if (style == STYLE_ATTRD_UPDATER)
			fprintf(stderr, "%s: the attribute '%s' is not set on %s\n", prog, r->name,
				node);
		else if (r->section)
			fprintf(stderr, "%s: no option '%s' in %s\n", prog, r->name, r->section);
		else
			fprintf(stderr, "%s: the %s attribute '%s' is not set on %s\n", prog,
				scope_name(r), r->name, node);
		xmlFreeDoc(cib);
		return CRM_EX_NOSUCH;
	}
	if (style == STYLE_ATTRD_UPDATER)
		printf("name=\"%s\" host=\"%s\" value=\"%s\"\n", r->name, node, v);
	else if (r->quiet)
		printf("%s\n", v);
	else
		printf("scope=%s  name=%s value=%s\n", scope_name(r), r->name, v);
	xmlFreeDoc(cib);
	return CRM_EX_OK;
}

static int change(const char *prog, const struct attr_req *r, const char *node)
{
	struct hactl_ctx ctx = { .prog = prog };
	const char *value = r->op == ATTR_UPDATE ? r->value : NULL;
	ham_buf e = HAM_BUF_INIT;
	int rc;

	if (r->section)
		hactl_edit_add(&e, "set-property", "section", r->section, "name", r->name, "value",
			       value, NULL);
	else
		hactl_edit_add(&e, "set-node-attr", "node", node, "name", r->name, "value", value,
			       "lifetime", r->kind == NODEATTR_TRANSIENT ? "reboot" : "forever",
			       "set", r->kind == NODEATTR_UTILIZATION ? "utilization" :
			       "instance_attributes", NULL);
	rc = hactl_modify(&ctx, &e);
	ham_buf_free(&e);
	if (rc == HAM_EXIT_OK && r->verbose)
		fprintf(stderr, "%s: %s %s%s\n", prog, r->name, value ? "set to " : "deleted",
			value ? value : "");
	return attr_tool_exit(rc);
}

int attr_tool_run(const char *prog, enum attr_tool_style style, const struct attr_req *r)
{
	char *local = NULL;
	const char *node = r->node;
	int rc = CRM_EX_OK;

	if (r->op == ATTR_NOOP)
		return CRM_EX_OK;
	if (r->section == NULL && node == NULL && !r->all) {
		local = attr_tool_local_node(prog, &rc);
		if (local == NULL)
			return rc;
		node = local;
	}
	if (r->op == ATTR_QUERY)
		rc = query(prog, style, r, node);
	else
		rc = change(prog, r, node);
	free(local);
	return rc;
}
