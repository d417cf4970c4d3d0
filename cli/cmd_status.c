/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_status.c: `hactl status`: asks the local hamgrd for the status
 * document and prints it as text, JSON or XML.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include <hamgr/xml.h>
#include "hactl.h"
#include "hactl_ipc.h"

#define STATUS_TIMEOUT_MS 5000

static bool battr(const xmlNode *n, const char *name)
{
	return strcmp(ham_xml_attr(n, name, ""), "true") == 0;
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
	xmlNode *cib = ham_xml_child(root, HAM_ST_CIB), *n;
	ham_buf b = HAM_BUF_INIT;
	bool first;

	ham_buf_addc(&b, '{');
	json_str(&b, "cluster", ham_xml_attr(root, "cluster", ""), false);
	ham_buf_add(&b, ",\"dc\":");
	ham_buf_add_json(&b, ham_xml_attr(root, "dc", NULL));
	json_bool(&b, "quorate", battr(root, "quorate"), true);
	json_num(&b, "votes", ham_xml_attr(root, "votes", ""), true);
	json_num(&b, "expected_votes", ham_xml_attr(root, "expected-votes", ""), true);
	json_str(&b, "local", ham_xml_attr(root, "local", ""), true);
	json_bool(&b, "joined", battr(root, "joined"), true);
	json_bool(&b, "syncing", battr(root, "syncing"), true);
	json_bool(&b, "maintenance_mode", battr(root, "maintenance-mode"), true);
	json_num(&b, "dropped_actions", ham_xml_attr(root, "dropped-actions", "0"), true);
	json_num(&b, "dropped_results", ham_xml_attr(root, "dropped-results", "0"), true);
	json_str(&b, "store", ham_xml_attr(root, "store", "ok"), true);
	if (ham_xml_attr(root, "store-since", NULL))
		json_num(&b, "store_since", ham_xml_attr(root, "store-since", "0"), true);
	if (ham_xml_attr(root, "store-reason", NULL))
		json_str(&b, "store_reason", ham_xml_attr(root, "store-reason", ""), true);
	ham_buf_add(&b, ",\"cib\":{");
	json_num(&b, "admin_epoch", ham_xml_attr(cib, "admin_epoch", ""), false);
	json_num(&b, "epoch", ham_xml_attr(cib, "epoch", ""), true);
	json_num(&b, "num_updates", ham_xml_attr(cib, "num_updates", ""), true);
	ham_buf_add(&b, "},\"nodes\":[");
	first = true;
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_NODES), HAM_ST_NODE); n; n = n->next) {
		if (!ham_xml_is(n, HAM_ST_NODE))
			continue;
		ham_buf_add(&b, first ? "{" : ",{");
		first = false;
		json_str(&b, "name", ham_xml_attr(n, "name", ""), false);
		json_num(&b, "id", ham_xml_attr(n, "id", ""), true);
		json_bool(&b, "online", battr(n, "online"), true);
		json_bool(&b, "standby", battr(n, "standby"), true);
		json_bool(&b, "maintenance", battr(n, "maintenance"), true);
		json_bool(&b, "dc", battr(n, "dc"), true);
		json_bool(&b, "unclean", battr(n, "unclean"), true);
		ham_buf_addc(&b, '}');
	}
	ham_buf_add(&b, "],\"resources\":[");
	first = true;
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_RESOURCES), HAM_ST_RESOURCE); n;
	     n = n->next) {
		const char *nodes, *p;

		if (!ham_xml_is(n, HAM_ST_RESOURCE))
			continue;
		ham_buf_add(&b, first ? "{" : ",{");
		first = false;
		json_str(&b, "id", ham_xml_attr(n, "id", ""), false);
		json_str(&b, "agent", ham_xml_attr(n, "agent", ""), true);
		ham_buf_add(&b, ",\"parent\":");
		ham_buf_add_json(&b, ham_xml_attr(n, "parent", NULL));
		json_str(&b, "role", ham_xml_attr(n, "role", ""), true);
		json_bool(&b, "failed", battr(n, "failed"), true);
		ham_buf_add(&b, ",\"nodes\":[");
		nodes = ham_xml_attr(n, "nodes", "");
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
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_FAILURES), HAM_ST_FAILURE); n;
	     n = n->next) {
		if (!ham_xml_is(n, HAM_ST_FAILURE))
			continue;
		ham_buf_add(&b, first ? "{" : ",{");
		first = false;
		json_str(&b, "resource", ham_xml_attr(n, "resource", ""), false);
		json_str(&b, "node", ham_xml_attr(n, "node", ""), true);
		json_str(&b, "operation", ham_xml_attr(n, "operation", ""), true);
		json_num(&b, "rc", ham_xml_attr(n, "rc", ""), true);
		json_str(&b, "reason", ham_xml_attr(n, "reason", ""), true);
		ham_buf_addc(&b, '}');
	}
	ham_buf_add(&b, "],\"fail_counts\":[");
	first = true;
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_FAILCOUNTS), HAM_ST_FAILCOUNT); n;
	     n = n->next) {
		if (!ham_xml_is(n, HAM_ST_FAILCOUNT))
			continue;
		ham_buf_add(&b, first ? "{" : ",{");
		first = false;
		json_str(&b, "resource", ham_xml_attr(n, "resource", ""), false);
		json_str(&b, "node", ham_xml_attr(n, "node", ""), true);
		json_str(&b, "operation", ham_xml_attr(n, "operation", ""), true);
		json_num(&b, "interval_ms", ham_xml_attr(n, "interval", ""), true);
		/* INFINITY stays a string; a count is a number. */
		if (strcmp(ham_xml_attr(n, "count", ""), "INFINITY") == 0)
			json_str(&b, "count", "INFINITY", true);
		else
			json_num(&b, "count", ham_xml_attr(n, "count", ""), true);
		json_num(&b, "last_failure", ham_xml_attr(n, "last-failure", ""), true);
		ham_buf_addc(&b, '}');
	}
	ham_buf_add(&b, "]}\n");
	fputs(ham_buf_str(&b), stdout);
	ham_buf_free(&b);
}

/* The stored CIB, from hamgrd's store="ok|failing|rejected". */
static void print_store(xmlNode *root)
{
	const char *store = ham_xml_attr(root, "store", "ok");
	int64_t since = 0;
	char when[64] = "";

	if (strcmp(store, "failing") == 0) {
		time_t t;
		struct tm tm;

		ham_parse_int64(ham_xml_attr(root, "store-since", "0"), &since);
		t = (time_t)since;
		if (localtime_r(&t, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		printf("Store: FAILING since %s: %s\n", when, ham_xml_attr(root, "store-reason", ""));
	} else if (strcmp(store, "rejected") == 0) {
		printf("Store: stored CIB REJECTED: %s\n", ham_xml_attr(root, "store-reason", ""));
		printf("*** This node manages nothing until it has the cluster's CIB ***\n");
	} else {
		printf("Store: %s\n", store);
	}
}

static void print_text(xmlNode *root, int verbose)
{
	xmlNode *cib = ham_xml_child(root, HAM_ST_CIB), *n;
	bool any;

	printf("Cluster: %s\n", ham_xml_attr(root, "cluster", "(unnamed)"));
	if (!battr(root, "joined"))
		printf("This node (%s) has not joined the cluster yet.\n",
		       ham_xml_attr(root, "local", ""));
	printf("DC: %s\n", ham_xml_attr(root, "dc", "none"));
	printf("Quorum: %s (%s of %s expected votes)\n", battr(root, "quorate") ? "yes" : "NO",
	       ham_xml_attr(root, "votes", ""), ham_xml_attr(root, "expected-votes", ""));
	printf("CIB version: %s:%s:%s%s\n", ham_xml_attr(cib, "admin_epoch", ""),
	       ham_xml_attr(cib, "epoch", ""), ham_xml_attr(cib, "num_updates", ""),
	       battr(root, "syncing") ? " (synchronising)" : "");
	if (battr(root, "maintenance-mode"))
		printf("*** The cluster is in maintenance mode ***\n");
	print_store(root);
	printf("\nNodes:\n");
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_NODES), HAM_ST_NODE); n; n = n->next) {
		if (!ham_xml_is(n, HAM_ST_NODE))
			continue;
		printf("  %-16s id %-4s %s%s%s%s%s\n", ham_xml_attr(n, "name", ""),
		       ham_xml_attr(n, "id", ""), battr(n, "online") ? "online" : "OFFLINE",
		       battr(n, "unclean") ? " (unclean)" : "",
		       battr(n, "standby") ? " standby" : "",
		       battr(n, "maintenance") ? " maintenance" : "",
		       battr(n, "dc") ? " [DC]" : "");
	}
	printf("\nResources:\n");
	any = false;
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_RESOURCES), HAM_ST_RESOURCE); n;
	     n = n->next) {
		if (!ham_xml_is(n, HAM_ST_RESOURCE))
			continue;
		any = true;
		printf("  %-20s (%s)%s%s: %s%s%s%s\n", ham_xml_attr(n, "id", ""),
		       ham_xml_attr(n, "agent", ""), ham_xml_attr(n, "parent", "")[0] ? " in " : "",
		       ham_xml_attr(n, "parent", ""), ham_xml_attr(n, "role", ""),
		       ham_xml_attr(n, "nodes", "")[0] ? " on " : "", ham_xml_attr(n, "nodes", ""),
		       battr(n, "failed") ? " (FAILED)" : "");
	}
	if (!any)
		printf("  (none configured)\n");
	any = false;
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_FAILURES), HAM_ST_FAILURE); n;
	     n = n->next) {
		if (!ham_xml_is(n, HAM_ST_FAILURE))
			continue;
		if (!any)
			printf("\nFailed actions:\n");
		any = true;
		printf("  %s %s on %s: rc=%s%s%s\n", ham_xml_attr(n, "resource", ""),
		       ham_xml_attr(n, "operation", ""), ham_xml_attr(n, "node", ""),
		       ham_xml_attr(n, "rc", ""), ham_xml_attr(n, "reason", "")[0] ? " " : "",
		       ham_xml_attr(n, "reason", ""));
	}
	any = false;
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_FAILCOUNTS), HAM_ST_FAILCOUNT); n;
	     n = n->next) {
		if (!ham_xml_is(n, HAM_ST_FAILCOUNT))
			continue;
		if (!any)
			printf("\nFail counts:\n");
		any = true;
		printf("  %s on %s: fail-count=%s (%s_%s)\n", ham_xml_attr(n, "resource", ""),
		       ham_xml_attr(n, "node", ""), ham_xml_attr(n, "count", ""),
		       ham_xml_attr(n, "operation", ""), ham_xml_attr(n, "interval", ""));
	}
	if (verbose)
		printf("\n(answered by %s, node id %s)\n", ham_xml_attr(root, "local", ""),
		       ham_xml_attr(root, "local-id", ""));
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
	if (root == NULL || !ham_xml_is(root, HAM_ST_ROOT)) {
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
