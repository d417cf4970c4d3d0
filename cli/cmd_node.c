/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_node.c: `hactl node ...`: list the nodes; standby, unstandby and
 * maintenance as node attributes in the configuration's <nodes> section
 * (standby=on|off, maintenance=on|off, as crm_standby and crm_attribute
 * write them), applied atomically on every node (HAM_IPC_CIB_MODIFY); any
 * node attribute, permanent or transient (lifetime reboot, in the node's
 * status), and node utilization, live or on a CIB file (hactl -f FILE).
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
#include "cmd_config.h"
#include "nodeattr.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl node list\n"
		"       hactl node standby|unstandby NODE\n"
		"       hactl node maintenance NODE on|off\n"
		"       hactl node stop NODE [--wait]\n"
		"       hactl node attribute NODE [NAME[=VALUE]...] [--lifetime reboot|forever]\n"
		"       hactl node attribute NODE --delete NAME... [--lifetime reboot|forever]\n"
		"       hactl node utilization NODE [NAME=VALUE...]\n"
		"\n"
		"list         every known node: online, standby, maintenance, DC, unclean\n"
		"standby      node attribute standby=on: resources move away from NODE\n"
		"unstandby    standby=off: NODE may run resources again\n"
		"maintenance  node attribute maintenance=on|off: the cluster neither starts\n"
		"             nor stops nor monitors resources on NODE while on\n"
		"stop         NODE leaves the cluster in order: its resources move or stop\n"
		"             first, then its hamgrd exits (--wait: until it has left)\n"
		"attribute    NODE's attributes: all of them, NAME's value, or set\n"
		"             NAME=VALUE (an empty VALUE deletes); --delete NAME deletes.\n"
		"             --lifetime forever (the default for a change): in the\n"
		"             configuration; reboot: transient, in NODE's status, erased\n"
		"             when NODE leaves or restarts (what crm_attribute -l reboot\n"
		"             and attrd_updater write). A transient value hides the\n"
		"             permanent one of the same name. Without --lifetime, a query\n"
		"             shows both kinds and --delete deletes both.\n"
		"utilization  NODE's capacities for placement-strategy (configuration):\n"
		"             list them, or set NAME=VALUE (an empty VALUE deletes)\n"
		"\n"
		"Changes go through the cluster; the command returns once they are\n"
		"applied on every node. An unknown node changes nothing (exit status 4).\n"
		"attribute and utilization also work offline on a CIB file: hactl -f FILE\n"
		"node ... (not --lifetime reboot: a file has no running node).\n");
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

/* ---- node attributes and utilization ------------------------------------ */

struct attr_list {
	const struct hactl_ctx *ctx;
	ham_buf *b;
	const char *lifetime;
	const char *only;  /* a name: that attribute only */
	int n;
};

static void list_one(const char *name, const char *value, void *ud)
{
	struct attr_list *l = ud;

	if (l->only && !ham_streq(l->only, name))
		return;
	if (l->ctx->output == HACTL_OUTPUT_JSON) {
		ham_buf_add(l->b, l->n ? ",{\"name\":" : "{\"name\":");
		ham_buf_add_json(l->b, name);
		ham_buf_add(l->b, ",\"value\":");
		ham_buf_add_json(l->b, value);
		if (strcmp(l->lifetime, "utilization") != 0)
			ham_buf_addf(l->b, ",\"lifetime\":\"%s\"", l->lifetime);
		ham_buf_addc(l->b, '}');
	} else if (l->ctx->output == HACTL_OUTPUT_XML) {
		ham_buf_add(l->b, "  <attribute name=\"");
		ham_buf_add_xml(l->b, name);
		ham_buf_add(l->b, "\" value=\"");
		ham_buf_add_xml(l->b, value);
		if (strcmp(l->lifetime, "utilization") != 0)
			ham_buf_addf(l->b, "\" lifetime=\"%s", l->lifetime);
		ham_buf_add(l->b, "\"/>\n");
	} else if (l->only && !l->ctx->verbose) {
		ham_buf_addf(l->b, "%s\n", value);
	} else {
		ham_buf_addf(l->b, "%s=%s", name, value);
		if (strcmp(l->lifetime, "utilization") != 0)
			ham_buf_addf(l->b, " (%s)", l->lifetime);
		ham_buf_addc(l->b, '\n');
	}
	l->n++;
}

/*
 * Prints NODE's attributes of the kinds asked (all of them, or only's
 * value). A query of one name shows the value in effect first: the
 * transient one hides the permanent one.
 */
static int show_attrs(struct hactl_ctx *ctx, const char *node, const enum nodeattr_kind *kinds,
		      size_t nkinds, const char *only)
{
	ham_buf b = HAM_BUF_INIT;
	struct attr_list l = { .ctx = ctx, .b = &b, .only = only };
	bool util = nkinds == 1 && kinds[0] == NODEATTR_UTILIZATION;
	xmlDoc *cib;
	size_t i;
	int rc;

	if ((rc = hactl_config_read(ctx, &cib)) != HAM_EXIT_OK)
		return rc;
	if (!nodeattr_node_known(cib, node)) {
		hactl_err(ctx, "no node '%s' in the %s", node, ctx->cib_file ? "file" : "cluster");
		xmlFreeDoc(cib);
		return HAM_EXIT_NOT_FOUND;
	}
	if (ctx->output == HACTL_OUTPUT_JSON) {
		ham_buf_add(&b, "{\"node\":");
		ham_buf_add_json(&b, node);
		ham_buf_add(&b, util ? ",\"utilization\":[" : ",\"attributes\":[");
	} else if (ctx->output == HACTL_OUTPUT_XML) {
		ham_buf_add(&b, util ? "<node-utilization node=\"" : "<node-attributes node=\"");
		ham_buf_add_xml(&b, node);
		ham_buf_add(&b, "\">\n");
	}
	for (i = 0; i < nkinds; i++) {
		int before = l.n;

		l.lifetime = nodeattr_kind_name(kinds[i]);
		nodeattr_each(cib, node, kinds[i], list_one, &l);
		/* a query of one name in text: the value in effect only */
		if (only && l.n > before && ctx->output == HACTL_OUTPUT_TEXT && !ctx->verbose)
			break;
	}
	if (ctx->output == HACTL_OUTPUT_JSON)
		ham_buf_add(&b, "]}\n");
	else if (ctx->output == HACTL_OUTPUT_XML)
		ham_buf_add(&b, util ? "</node-utilization>\n" : "</node-attributes>\n");
	xmlFreeDoc(cib);
	if (only && l.n == 0) {
		hactl_err(ctx, "node '%s' has no attribute '%s'", node, only);
		ham_buf_free(&b);
		return HAM_EXIT_NOT_FOUND;
	}
	fputs(ham_buf_str(&b), stdout);
	ham_buf_free(&b);
	return HAM_EXIT_OK;
}

/* Splits "NAME=VALUE": *ret_name is malloc'd, *ret_value points into arg. */
static int split_nv(struct hactl_ctx *ctx, const char *arg, char **ret_name,
		    const char **ret_value)
{
	const char *eq = strchr(arg, '=');

	if (eq == NULL || eq == arg)
		return hactl_usage_error(ctx, "'%s' is not NAME=VALUE", arg);
	*ret_name = ham_strndup(arg, (size_t)(eq - arg));
	*ret_value = eq + 1;
	return 0;
}

static void add_node_edit(ham_buf *e, const char *node, const char *name, const char *value,
			  const char *lifetime, const char *set)
{
	hactl_edit_add(e, "set-node-attr", "node", node, "name", name, "value",
		       value && value[0] ? value : NULL, "lifetime", lifetime, "set", set, NULL);
}

static int applied_attrs(struct hactl_ctx *ctx, const char *node, int rc, size_t n)
{
	if (rc != HAM_EXIT_OK)
		return rc;
	if (ctx->output == HACTL_OUTPUT_JSON) {
		ham_buf b = HAM_BUF_INIT;

		ham_buf_add_json(&b, node);
		printf("{\"node\":%s,\"changes\":%zu,\"applied\":true}\n", ham_buf_str(&b), n);
		ham_buf_free(&b);
	} else if (ctx->output == HACTL_OUTPUT_XML) {
		ham_buf b = HAM_BUF_INIT;

		ham_buf_add_xml(&b, node);
		printf("<applied node=\"%s\" changes=\"%zu\"/>\n", ham_buf_str(&b), n);
		ham_buf_free(&b);
	} else if (ctx->verbose) {
		printf("%s: %zu change(s) applied\n", node, n);
	}
	return HAM_EXIT_OK;
}

/* hactl node attribute NODE [NAME[=VALUE]...] [--lifetime L] [--delete NAME...] */
static int cmd_attribute(struct hactl_ctx *ctx, int argc, char **argv)
{
	const char *node = NULL, *lifetime = NULL;
	char **args = ham_newa0(char *, (size_t)argc);
	size_t nargs = 0, nset = 0, i;
	bool del = false;
	ham_buf e = HAM_BUF_INIT;
	int a, rc;

	for (a = 2; a < argc; a++) {
		if (strcmp(argv[a], "--delete") == 0 || strcmp(argv[a], "-D") == 0) {
			del = true;
		} else if (strcmp(argv[a], "--lifetime") == 0 || strcmp(argv[a], "-l") == 0 ||
			   strncmp(argv[a], "--lifetime=", 11) == 0) {
			if (argv[a][2] == 'l' && argv[a][10] == '=')
				lifetime = argv[a] + 11;
			else if (a + 1 < argc)
				lifetime = argv[++a];
			else {
				free(args);
				return hactl_usage_error(ctx, "--lifetime needs reboot or forever");
			}
			if (strcmp(lifetime, "reboot") != 0 && strcmp(lifetime, "forever") != 0) {
				free(args);
				return hactl_usage_error(ctx, "invalid --lifetime '%s': expected reboot "
							 "or forever", lifetime);
			}
		} else if (argv[a][0] == '-' && argv[a][1] != '\0') {
			free(args);
			return hactl_usage_error(ctx, "unknown option '%s'", argv[a]);
		} else if (argv[a][0] == '\0') {
			free(args);
			return hactl_usage_error(ctx, "an empty argument");
		} else if (node == NULL) {
			node = argv[a];
		} else {
			args[nargs++] = argv[a];
			nset += strchr(argv[a], '=') != NULL;
		}
	}
	rc = HAM_EXIT_OK;
	if (node == NULL)
		rc = hactl_usage_error(ctx, "'node attribute' needs a NODE");
	else if (ctx->cib_file && ham_streq(lifetime, "reboot"))
		rc = hactl_usage_error(ctx, "--lifetime reboot is a running node's transient "
				       "attribute: a CIB file (-f) has none to change or show");
	else if (del && nargs == 0)
		rc = hactl_usage_error(ctx, "--delete needs the NAME of the attribute");
	else if (del && nset > 0)
		rc = hactl_usage_error(ctx, "--delete takes names, not NAME=VALUE");
	else if (!del && nset > 0 && nset != nargs)
		rc = hactl_usage_error(ctx, "either NAME=VALUE... to set, or one NAME to query");
	else if (!del && nset == 0 && nargs > 1)
		rc = hactl_usage_error(ctx, "a query takes one NAME, not also '%s'", args[1]);
	if (rc != HAM_EXIT_OK) {
		free(args);
		return rc;
	}
	if (!del && nset == 0) {
		/* a query: both kinds, the transient first (it is in effect) */
		enum nodeattr_kind kinds[2] = { NODEATTR_TRANSIENT, NODEATTR_PERMANENT };
		size_t nk = 2;

		if (ctx->cib_file && lifetime == NULL) {
			kinds[0] = NODEATTR_PERMANENT;
			nk = 1;
		} else if (lifetime) {
			kinds[0] = ham_streq(lifetime, "reboot") ? NODEATTR_TRANSIENT : NODEATTR_PERMANENT;
			nk = 1;
		}
		rc = show_attrs(ctx, node, kinds, nk, nargs ? args[0] : NULL);
		free(args);
		return rc;
	}
	for (i = 0; i < nargs; i++) {
		char *name = NULL;
		const char *value = NULL;

		if (!del && (rc = split_nv(ctx, args[i], &name, &value)) != 0)
			break;
		if (del && lifetime == NULL && ctx->cib_file == NULL) {
			add_node_edit(&e, node, args[i], NULL, "forever", NULL);
			add_node_edit(&e, node, args[i], NULL, "reboot", NULL);
		} else {
			add_node_edit(&e, node, del ? args[i] : name, value,
				      lifetime ? lifetime : "forever", NULL);
		}
		free(name);
	}
	if (rc == HAM_EXIT_OK)
		rc = applied_attrs(ctx, node, hactl_config_apply(ctx, &e), nargs);
	ham_buf_free(&e);
	free(args);
	return rc;
}

/* hactl node utilization NODE [NAME=VALUE...] */
static int cmd_utilization(struct hactl_ctx *ctx, int argc, char **argv)
{
	static const enum nodeattr_kind util = NODEATTR_UTILIZATION;
	ham_buf e = HAM_BUF_INIT;
	int a, rc = HAM_EXIT_OK;

	if (argc < 3)
		return hactl_usage_error(ctx, "'node utilization' needs a NODE");
	for (a = 2; a < argc; a++)
		if ((argv[a][0] == '-' && argv[a][1] != '\0') || argv[a][0] == '\0')
			return hactl_usage_error(ctx, argv[a][0] ? "unknown option '%s'" :
						 "an empty argument%s", argv[a]);
	if (argc == 3)
		return show_attrs(ctx, argv[2], &util, 1, NULL);
	for (a = 3; a < argc && rc == HAM_EXIT_OK; a++) {
		char *name = NULL;
		const char *value = NULL;

		if ((rc = split_nv(ctx, argv[a], &name, &value)) == 0)
			add_node_edit(&e, argv[2], name, value, "forever", "utilization");
		free(name);
	}
	if (rc == HAM_EXIT_OK)
		rc = applied_attrs(ctx, argv[2], hactl_config_apply(ctx, &e), (size_t)(argc - 3));
	ham_buf_free(&e);
	return rc;
}

int hactl_cmd_node(struct hactl_ctx *ctx, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return hactl_usage_error(ctx, "needs a subcommand: list, standby, unstandby, "
					 "maintenance, stop, attribute or utilization");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return HAM_EXIT_OK;
		}
		if (strcmp(argv[1], "stop") == 0 && strcmp(argv[i], "--wait") == 0)
			continue;
		if (strcmp(argv[1], "attribute") == 0 || strcmp(argv[1], "utilization") == 0)
			continue; /* their own options, parsed there */
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return hactl_usage_error(ctx, "unknown option '%s'", argv[i]);
		if (argv[i][0] == '\0')
			return hactl_usage_error(ctx, "an empty argument");
	}
	if (ctx->cib_file && strcmp(argv[1], "attribute") != 0 &&
	    strcmp(argv[1], "utilization") != 0)
		return hactl_usage_error(ctx, "-f FILE applies to 'node attribute' and 'node "
					 "utilization', not to 'node %s'", argv[1]);
	if (strcmp(argv[1], "attribute") == 0)
		return cmd_attribute(ctx, argc, argv);
	if (strcmp(argv[1], "utilization") == 0)
		return cmd_utilization(ctx, argc, argv);
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
