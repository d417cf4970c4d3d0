/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_cluster.c: `hactl cluster stop [--all] [--wait]`, and the orderly
 * stop of nodes that `hactl node stop` shares: the daemon records one
 * shutdown request for every node named (HAM_IPC_NODE_STOP), the DC moves
 * or stops their resources, and each node's hamgrd exits once nothing it
 * manages is active (daemons/hamgrd/shutdown.h).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/tree.h>
#include <qb/qbipcc.h>

#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include <hamgr/xml.h>
#include "cmd_cluster.h"
#include "cmd_setup.h"
#include "hactl_ipc.h"

#define STOP_CALL_TIMEOUT_MS 30000
#define WAIT_POLL_MS 200

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl cluster stop [--all] [--wait]\n"
		"       hactl cluster setup NAME NODE[=ADDR]...  (hactl cluster setup --help)\n"
		"       hactl cluster start                      (hactl cluster start --help)\n"
		"\n"
		"stop         stop this node in order: its resources move to other nodes or\n"
		"             stop first, then its hamgrd leaves the cluster and exits\n"
		"  --all      every node at once: every resource stops (none fails over to\n"
		"             a node that is stopping too), then every hamgrd exits\n"
		"  --wait     return only once the nodes have left\n"
		"\n"
		"The command returns once the request is recorded in the cluster's CIB.\n");
}

/* Whether this node's hamgrd answers connections. */
static bool daemon_reachable(void)
{
	const char *name = getenv(HAM_IPC_NAME_ENV);
	qb_ipcc_connection_t *c;

	c = qb_ipcc_connect(name && *name ? name : HAM_IPC_NAME, HAM_IPC_SMALL_MSG);
	if (c == NULL)
		return errno == EACCES || errno == EPERM;
	qb_ipcc_disconnect(c);
	return true;
}

/* Whether a node named in names[] (all members when n == 0) is still online. */
static bool any_online(xmlDoc *doc, char **names, size_t n, const char **ret_name)
{
	xmlNode *nodes = ham_xml_child(xmlDocGetRootElement(doc), HAM_ST_NODES), *x;
	size_t i;

	for (x = nodes ? nodes->children : NULL; x; x = x->next) {
		const char *name = ham_xml_attr(x, "name", "");

		if (!ham_xml_is(x, HAM_ST_NODE) || !ham_streq(ham_xml_attr(x, "online", ""), "true"))
			continue;
		for (i = 0; i < n && !ham_streq(names[i], name); i++)
			;
		if (n == 0 || i < n) {
			*ret_name = name;
			return true;
		}
	}
	return false;
}

static bool names_local(xmlDoc *doc, char **names, size_t n)
{
	const char *local = ham_xml_attr(xmlDocGetRootElement(doc), "local", "");
	size_t i;

	if (n == 0)
		return true;
	for (i = 0; i < n; i++)
		if (ham_streq(names[i], local))
			return true;
	return false;
}

static int wait_left(struct hactl_ctx *ctx, char **names, size_t n, bool local)
{
	const struct timespec poll = { 0, WAIT_POLL_MS * 1000000L };
	xmlDoc *doc;
	const char *still = NULL;
	int rc;

	for (;;) {
		if (local && !daemon_reachable())
			return HAM_EXIT_OK; /* this node's daemon has left and exited */
		rc = hactl_get_status(ctx, &doc);
		if (rc == HAM_EXIT_UNREACHABLE && local)
			return HAM_EXIT_OK;
		if (rc != HAM_EXIT_OK)
			return rc;
		if (!any_online(doc, names, n, &still)) {
			xmlFreeDoc(doc);
			return HAM_EXIT_OK;
		}
		if (ctx->verbose)
			fprintf(stderr, "waiting for %s to leave\n", still);
		xmlFreeDoc(doc);
		nanosleep(&poll, NULL);
	}
}

int hactl_stop_nodes(struct hactl_ctx *ctx, char **names, size_t n, bool wait)
{
	ham_buf req = HAM_BUF_INIT;
	char *reply = NULL;
	xmlDoc *doc = NULL;
	bool local = false;
	size_t len, i;
	int rc;

	if (n == 0) {
		ham_buf_add(&req, "*");
	} else {
		for (i = 0; i < n; i++) {
			if (strchr(names[i], '\n') || strcmp(names[i], "*") == 0)
				return hactl_usage_error(ctx, "'%s' is not a node name", names[i]);
			ham_buf_addf(&req, "%s%s", i ? "\n" : "", names[i]);
		}
	}
	if (wait) {
		/* Before the request: once it is applied, this node may be gone. */
		rc = hactl_get_status(ctx, &doc);
		if (rc != HAM_EXIT_OK)
			goto out;
		local = names_local(doc, names, n);
		xmlFreeDoc(doc);
	}
	rc = hactl_ipc_call(ctx, HAM_IPC_NODE_STOP, ham_buf_str(&req), req.len,
			    STOP_CALL_TIMEOUT_MS, &reply, &len);
	free(reply);
	if (rc != HAM_EXIT_OK)
		goto out;
	if (ctx->verbose)
		fprintf(stderr, "shutdown requested\n");
	if (wait)
		rc = wait_left(ctx, names, n, local);
	if (rc == HAM_EXIT_OK && ctx->output == HACTL_OUTPUT_JSON)
		printf("{\"requested\":true,\"left\":%s}\n", wait ? "true" : "false");
	else if (rc == HAM_EXIT_OK && ctx->output == HACTL_OUTPUT_XML)
		printf("<stop requested=\"true\" left=\"%s\"/>\n", wait ? "true" : "false");
out:
	ham_buf_free(&req);
	return rc;
}

int hactl_cmd_cluster(struct hactl_ctx *ctx, int argc, char **argv)
{
	bool all = false, wait = false;
	int i;

	if (argc < 2)
		return hactl_usage_error(ctx, "needs a subcommand: setup, start or stop");
	if (strcmp(argv[1], "setup") == 0)
		return hactl_cluster_setup(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "start") == 0)
		return hactl_cluster_start(ctx, argc - 1, argv + 1);
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return HAM_EXIT_OK;
		}
	if (strcmp(argv[1], "stop") != 0)
		return hactl_usage_error(ctx, "unknown subcommand '%s'", argv[1]);
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0)
			all = true;
		else if (strcmp(argv[i], "--wait") == 0)
			wait = true;
		else if (argv[i][0] == '-')
			return hactl_usage_error(ctx, "unknown option '%s'", argv[i]);
		else
			return hactl_usage_error(ctx, "'cluster stop' takes no NODE (use 'hactl node "
						 "stop %s')", argv[i]);
	}
	if (all)
		return hactl_stop_nodes(ctx, NULL, 0, wait);
	{
		xmlDoc *doc;
		char *local;
		int rc = hactl_get_status(ctx, &doc);

		if (rc != HAM_EXIT_OK)
			return rc;
		local = ham_strdup(ham_xml_attr(xmlDocGetRootElement(doc), "local", ""));
		xmlFreeDoc(doc);
		if (local[0] == '\0') {
			hactl_err(ctx, "this node has no name yet (not joined)");
			free(local);
			return HAM_EXIT_ERROR;
		}
		rc = hactl_stop_nodes(ctx, &local, 1, wait);
		free(local);
		return rc;
	}
}
