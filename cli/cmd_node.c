/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_node.c: `hactl node ...`: list the nodes; standby, unstandby and
 * maintenance as node attributes in the configuration's <nodes> section
 * (standby=on|off, maintenance=on|off, as crm_standby and crm_attribute
 * write them), applied atomically on every node (HAM_IPC_CIB_MODIFY).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include <hamgr/xml.h>
#include "hactl.h"
#include "hactl_ipc.h"
#include "cmd_cluster.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl node list\n"
		"       hactl node standby|unstandby NODE\n"
		"       hactl node maintenance NODE on|off\n"
		"       hactl node stop NODE [--wait]\n"
		"\n"
		"list         every known node: online, standby, maintenance, DC, unclean\n"
		"standby      node attribute standby=on: resources move away from NODE\n"
		"unstandby    standby=off: NODE may run resources again\n"
		"maintenance  node attribute maintenance=on|off: the cluster neither starts\n"
		"             nor stops nor monitors resources on NODE while on\n"
		"stop         NODE leaves the cluster in order: its resources move or stop\n"
		"             first, then its hamgrd exits (--wait: until it has left)\n"
		"\n"
		"Changes go through the cluster; the command returns once they are\n"
		"applied on every node. An unknown node changes nothing (exit status 4).\n");
}

static bool battr(const xmlNode *n, const char *name)
{
	return strcmp(ham_xml_attr(n, name, ""), "true") == 0;
}

static int cmd_list(struct hactl_ctx *ctx)
{
	ham_buf b = HAM_BUF_INIT;
	xmlNode *nodes, *n;
	xmlDoc *doc;
	bool first = true;
	int rc;

	if ((rc = hactl_get_status(ctx, &doc)) != HAM_EXIT_OK)
		return rc;
	nodes = ham_xml_child(xmlDocGetRootElement(doc), HAM_ST_NODES);
	if (ctx->output == HACTL_OUTPUT_XML) {
		xmlBuffer *xb = xmlBufferCreate();

		xmlNodeDump(xb, doc, nodes, 0, 0);
		printf("%s\n", (const char *)xmlBufferContent(xb));
		xmlBufferFree(xb);
		xmlFreeDoc(doc);
		return HAM_EXIT_OK;
	}
	if (ctx->output == HACTL_OUTPUT_JSON)
		ham_buf_add(&b, "{\"nodes\":[");
	for (n = nodes ? nodes->children : NULL; n; n = n->next) {
		if (!ham_xml_is(n, HAM_ST_NODE))
			continue;
		if (ctx->output == HACTL_OUTPUT_JSON) {
			ham_buf_add(&b, first ? "{\"name\":" : ",{\"name\":");
			ham_buf_add_json(&b, ham_xml_attr(n, "name", ""));
			ham_buf_addf(&b,
				     ",\"id\":%s,\"online\":%s,\"standby\":%s,\"maintenance\":%s,"
				     "\"dc\":%s,\"unclean\":%s}",
				     ham_xml_attr(n, "id", "0"),
				     battr(n, "online") ? "true" : "false",
				     battr(n, "standby") ? "true" : "false",
				     battr(n, "maintenance") ? "true" : "false",
				     battr(n, "dc") ? "true" : "false",
				     battr(n, "unclean") ? "true" : "false");
		} else {
			printf("%-16s id %-4s %s%s%s%s%s\n", ham_xml_attr(n, "name", ""),
			       ham_xml_attr(n, "id", ""), battr(n, "online") ? "online" : "OFFLINE",
			       battr(n, "unclean") ? " (unclean)" : "",
			       battr(n, "standby") ? " standby" : "",
			       battr(n, "maintenance") ? " maintenance" : "",
			       battr(n, "dc") ? " [DC]" : "");
		}
		first = false;
	}
	if (ctx->output == HACTL_OUTPUT_JSON) {
		ham_buf_add(&b, "]}\n");
		fputs(ham_buf_str(&b), stdout);
	}
	ham_buf_free(&b);
	xmlFreeDoc(doc);
	return HAM_EXIT_OK;
}

static int set_attr(struct hactl_ctx *ctx, const char *node, const char *name, const char *value)
{
	ham_buf e = HAM_BUF_INIT;
	int rc;

	hactl_edit_add(&e, "set-node-attr", "node", node, "name", name, "value", value, NULL);
	rc = hactl_modify(ctx, &e);
	ham_buf_free(&e);
	if (rc != HAM_EXIT_OK)
		return rc;
	if (ctx->output == HACTL_OUTPUT_JSON) {
		ham_buf b = HAM_BUF_INIT;

		ham_buf_add(&b, "{\"node\":");
		ham_buf_add_json(&b, node);
		ham_buf_addf(&b, ",\"%s\":", name);
		ham_buf_add_json(&b, value);
		ham_buf_add(&b, ",\"applied\":true}\n");
		fputs(ham_buf_str(&b), stdout);
		ham_buf_free(&b);
	} else if (ctx->output == HACTL_OUTPUT_XML) {
		ham_buf b = HAM_BUF_INIT;

		ham_buf_add(&b, "<applied node=\"");
		ham_buf_add_xml(&b, node);
		ham_buf_addf(&b, "\" %s=\"", name);
		ham_buf_add_xml(&b, value);
		ham_buf_add(&b, "\"/>\n");
		fputs(ham_buf_str(&b), stdout);
		ham_buf_free(&b);
	} else if (ctx->verbose) {
		printf("%s: %s=%s applied\n", node, name, value);
	}
	return HAM_EXIT_OK;
}

int hactl_cmd_node(struct hactl_ctx *ctx, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return hactl_usage_error(ctx, "needs a subcommand: list, standby, unstandby, "
					 "maintenance or stop");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return HAM_EXIT_OK;
		}
		if (strcmp(argv[1], "stop") == 0 && strcmp(argv[i], "--wait") == 0)
			continue;
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return hactl_usage_error(ctx, "unknown option '%s'", argv[i]);
		if (argv[i][0] == '\0')
			return hactl_usage_error(ctx, "an empty argument");
	}
	if (strcmp(argv[1], "list") == 0) {
		if (argc != 2)
			return hactl_usage_error(ctx, "'node list' takes no arguments");
		return cmd_list(ctx);
	}
	if (strcmp(argv[1], "standby") == 0 || strcmp(argv[1], "unstandby") == 0) {
		if (argc != 3)
			return hactl_usage_error(ctx, "'node %s' needs exactly one NODE", argv[1]);
		return set_attr(ctx, argv[2], "standby", strcmp(argv[1], "standby") == 0 ? "on" : "off");
	}
	if (strcmp(argv[1], "maintenance") == 0) {
		bool on;

		if (argc != 4)
			return hactl_usage_error(ctx, "'node maintenance' needs NODE and on or off");
		if (ham_parse_bool(argv[3], &on) < 0)
			return hactl_usage_error(ctx, "'%s' is not on or off", argv[3]);
		return set_attr(ctx, argv[2], "maintenance", on ? "on" : "off");
	}
	if (strcmp(argv[1], "stop") == 0) {
		bool wait = false;
		char *node = NULL;

		for (i = 2; i < argc; i++) {
			if (strcmp(argv[i], "--wait") == 0)
				wait = true;
			else if (node == NULL)
				node = argv[i];
			else
				return hactl_usage_error(ctx, "'node stop' takes one NODE, not also '%s'",
							 argv[i]);
		}
		if (node == NULL)
			return hactl_usage_error(ctx, "'node stop' needs a NODE");
		return hactl_stop_nodes(ctx, &node, 1, wait);
	}
	return hactl_usage_error(ctx, "unknown subcommand '%s'", argv[1]);
}
