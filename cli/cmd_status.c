/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_status.c: `hactl status`: asks the local hamgrd for the status
 * document and prints it as text, JSON or XML.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include "hactl.h"
#include "hactl_ipc.h"

#define STATUS_TIMEOUT_MS 5000

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

static const char *attr(const xmlNode *n, const char *name)
{
	xmlAttr *a = n ? xmlHasProp((xmlNode *)n, BAD_CAST name) : NULL;

	return a && a->children ? (const char *)a->children->content : "";
}

static bool battr(const xmlNode *n, const char *name)
{
	return strcmp(attr(n, name), "true") == 0;
}

static void json_num(ham_buf *b, const char *key, const char *v, bool comma)
{
	int64_t x = 0;

	ham_parse_int64(v, &x);
	ham_buf_addf(b, "%s\"%s\":%lld", comma ? "," : "", key, (long long)x);
}

static void json_str(ham_buf *b, const char *key, const char *v, bool comma)
{
	ham_buf_addf(b, "%s\"%s\":", comma ? "," : "", key);
	ham_buf_add_json(b, v);
}

static void json_bool(ham_buf *b, const char *key, bool v, bool comma)
{
	ham_buf_addf(b, "%s\"%s\":%s", comma ? "," : "", key, v ? "true" : "false");
}

static void print_json(xmlNode *root)
{
	xmlNode *cib = child(root, HAM_ST_CIB), *n;
	ham_buf b = HAM_BUF_INIT;
	bool first;

	ham_buf_addc(&b, '{');
	json_str(&b, "cluster", attr(root, "cluster"), false);
	ham_buf_add(&b, ",\"dc\":");
	ham_buf_add_json(&b, attr(root, "dc")[0] ? attr(root, "dc") : NULL);
	json_bool(&b, "quorate", battr(root, "quorate"), true);
	json_num(&b, "votes", attr(root, "votes"), true);
	json_num(&b, "expected_votes", attr(root, "expected-votes"), true);
	json_str(&b, "local", attr(root, "local"), true);
	json_bool(&b, "joined", battr(root, "joined"), true);
	json_bool(&b, "syncing", battr(root, "syncing"), true);
	json_bool(&b, "maintenance_mode", battr(root, "maintenance-mode"), true);
	ham_buf_add(&b, ",\"cib\":{");
	json_num(&b, "admin_epoch", attr(cib, "admin_epoch"), false);
	json_num(&b, "epoch", attr(cib, "epoch"), true);
	json_num(&b, "num_updates", attr(cib, "num_updates"), true);
	ham_buf_add(&b, "},\"nodes\":[");
	first = true;
	for (n = child(child(root, HAM_ST_NODES), HAM_ST_NODE); n; n = n->next) {
		if (!is_el(n, HAM_ST_NODE))
			continue;
		ham_buf_add(&b, first ? "{" : ",{");
		first = false;
		json_str(&b, "name", attr(n, "name"), false);
		json_num(&b, "id", attr(n, "id"), true);
		json_bool(&b, "online", battr(n, "online"), true);
		json_bool(&b, "standby", battr(n, "standby"), true);
		json_bool(&b, "maintenance", battr(n, "maintenance"), true);
		json_bool(&b, "dc", battr(n, "dc"), true);
		json_bool(&b, "unclean", battr(n, "unclean"), true);
		ham_buf_addc(&b, '}');
	}
	ham_buf_add(&b, "],\"resources\":[");
	first = true;
	for (n = child(child(root, HAM_ST_RESOURCES), HAM_ST_RESOURCE); n; n = n->next) {
		const char *nodes, *p;

		if (!is_el(n, HAM_ST_RESOURCE))
			continue;
		ham_buf_add(&b, first ? "{" : ",{");
		first = false;
		json_str(&b, "id", attr(n, "id"), false);
		json_str(&b, "agent", attr(n, "agent"), true);
		ham_buf_add(&b, ",\"parent\":");
		ham_buf_add_json(&b, attr(n, "parent")[0] ? attr(n, "parent") : NULL);
		json_str(&b, "role", attr(n, "role"), true);
		json_bool(&b, "failed", battr(n, "failed"), true);
		ham_buf_add(&b, ",\"nodes\":[");
		nodes = attr(n, "nodes");
		for (p = nodes; *p;) {
			const char *e = strchr(p, ' ');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			char *one = ham_strndup(p, l);

			ham_buf_add(&b, p == nodes ? "" : ",");
			ham_buf_add_json(&b, one);
			free(one);
			p += l;
			while (*p == ' ')
				p++;
		}
		ham_buf_add(&b, "]}");
	}
	ham_buf_add(&b, "],\"failures\":[");
	first = true;
	for (n = child(child(root, HAM_ST_FAILURES), HAM_ST_FAILURE); n; n = n->next) {
		if (!is_el(n, HAM_ST_FAILURE))
			continue;
		ham_buf_add(&b, first ? "{" : ",{");
		first = false;
		json_str(&b, "resource", attr(n, "resource"), false);
		json_str(&b, "node", attr(n, "node"), true);
		json_str(&b, "operation", attr(n, "operation"), true);
		json_num(&b, "rc", attr(n, "rc"), true);
		json_str(&b, "reason", attr(n, "reason"), true);
		ham_buf_addc(&b, '}');
	}
	ham_buf_add(&b, "],\"fail_counts\":[");
	first = true;
	for (n = child(child(root, HAM_ST_FAILCOUNTS), HAM_ST_FAILCOUNT); n; n = n->next) {
		if (!is_el(n, HAM_ST_FAILCOUNT))
			continue;
		ham_buf_add(&b, first ? "{" : ",{");
		first = false;
		json_str(&b, "resource", attr(n, "resource"), false);
		json_str(&b, "node", attr(n, "node"), true);
		json_str(&b, "operation", attr(n, "operation"), true);
		json_num(&b, "interval_ms", attr(n, "interval"), true);
		/* INFINITY stays a string; a count is a number. */
		if (strcmp(attr(n, "count"), "INFINITY") == 0)
			json_str(&b, "count", "INFINITY", true);
		else
			json_num(&b, "count", attr(n, "count"), true);
		json_num(&b, "last_failure", attr(n, "last-failure"), true);
		ham_buf_addc(&b, '}');
	}
	ham_buf_add(&b, "]}\n");
	fputs(ham_buf_str(&b), stdout);
	ham_buf_free(&b);
}

static void print_text(xmlNode *root, int verbose)
{
	xmlNode *cib = child(root, HAM_ST_CIB), *n;
	bool any;

	printf("Cluster: %s\n", attr(root, "cluster")[0] ? attr(root, "cluster") : "(unnamed)");
	if (!battr(root, "joined"))
		printf("This node (%s) has not joined the cluster yet.\n", attr(root, "local"));
	printf("DC: %s\n", attr(root, "dc")[0] ? attr(root, "dc") : "none");
	printf("Quorum: %s (%s of %s expected votes)\n",
	       battr(root, "quorate") ? "yes" : "NO", attr(root, "votes"), attr(root, "expected-votes"));
	printf("CIB version: %s:%s:%s%s\n", attr(cib, "admin_epoch"), attr(cib, "epoch"),
	       attr(cib, "num_updates"), battr(root, "syncing") ? " (synchronising)" : "");
	if (battr(root, "maintenance-mode"))
		printf("*** The cluster is in maintenance mode ***\n");
	printf("\nNodes:\n");
	for (n = child(child(root, HAM_ST_NODES), HAM_ST_NODE); n; n = n->next) {
		if (!is_el(n, HAM_ST_NODE))
			continue;
		printf("  %-16s id %-4s %s%s%s%s%s\n", attr(n, "name"), attr(n, "id"),
		       battr(n, "online") ? "online" : "OFFLINE",
		       battr(n, "unclean") ? " (unclean)" : "",
		       battr(n, "standby") ? " standby" : "",
		       battr(n, "maintenance") ? " maintenance" : "",
		       battr(n, "dc") ? " [DC]" : "");
	}
	printf("\nResources:\n");
	any = false;
	for (n = child(child(root, HAM_ST_RESOURCES), HAM_ST_RESOURCE); n; n = n->next) {
		if (!is_el(n, HAM_ST_RESOURCE))
			continue;
		any = true;
		printf("  %-20s (%s)%s%s: %s%s%s%s\n", attr(n, "id"), attr(n, "agent"),
		       attr(n, "parent")[0] ? " in " : "", attr(n, "parent"), attr(n, "role"),
		       attr(n, "nodes")[0] ? " on " : "", attr(n, "nodes"),
		       battr(n, "failed") ? " (FAILED)" : "");
	}
	if (!any)
		printf("  (none configured)\n");
	any = false;
	for (n = child(child(root, HAM_ST_FAILURES), HAM_ST_FAILURE); n; n = n->next) {
		if (!is_el(n, HAM_ST_FAILURE))
			continue;
		if (!any)
			printf("\nFailed actions:\n");
		any = true;
		printf("  %s %s on %s: rc=%s%s%s\n", attr(n, "resource"), attr(n, "operation"),
		       attr(n, "node"), attr(n, "rc"), attr(n, "reason")[0] ? " " : "",
		       attr(n, "reason"));
	}
	any = false;
	for (n = child(child(root, HAM_ST_FAILCOUNTS), HAM_ST_FAILCOUNT); n; n = n->next) {
		if (!is_el(n, HAM_ST_FAILCOUNT))
			continue;
		if (!any)
			printf("\nFail counts:\n");
		any = true;
		printf("  %s on %s: fail-count=%s (%s_%s)\n", attr(n, "resource"), attr(n, "node"),
		       attr(n, "count"), attr(n, "operation"), attr(n, "interval"));
	}
	if (verbose)
		printf("\n(answered by %s, node id %s)\n", attr(root, "local"), attr(root, "local-id"));
}

int hactl_cmd_status(struct hactl_ctx *ctx, int argc, char **argv)
{
	xmlDoc *doc;
	xmlNode *root;
	char *reply = NULL;
	size_t len;
	int rc;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("Usage: hactl [--output text|json|xml] status\n\n"
		       "Show the cluster as this node's hamgrd sees it: name, DC, quorum,\n"
		       "nodes, resources and where they run, failed actions, CIB version.\n");
		return HAM_EXIT_OK;
	}
	if (argc > 1)
		return hactl_usage_error(ctx, "takes no arguments");
	rc = hactl_ipc_call(ctx, HAM_IPC_STATUS, NULL, 0, STATUS_TIMEOUT_MS, &reply, &len);
	if (rc != HAM_EXIT_OK)
		return rc;
	if (ctx->output == HACTL_OUTPUT_XML) {
		printf("%s\n", reply);
		free(reply);
		return HAM_EXIT_OK;
	}
	doc = xmlReadMemory(reply, (int)len, "status", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
	free(reply);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root == NULL || !is_el(root, HAM_ST_ROOT)) {
		hactl_err(ctx, "hamgrd sent a status that is not a <%s> document", HAM_ST_ROOT);
		xmlFreeDoc(doc);
		return HAM_EXIT_ERROR;
	}
	if (ctx->output == HACTL_OUTPUT_JSON)
		print_json(root);
	else
		print_text(root, ctx->verbose);
	xmlFreeDoc(doc);
	return HAM_EXIT_OK;
}
