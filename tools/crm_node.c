/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tools/crm_node.c: hamgr's crm_node for resource agents: this node's name
 * (-n) and id (-i), quorum (-q), the partition's members (-p) and the
 * known nodes (-l), from the local hamgrd's status.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include <hamgr/xml.h>
#include "attr_tool.h"
#include "hactl.h"
#include "hactl_ipc.h"

static void usage(FILE *out)
{
	fputs("Usage: crm_node -n | -i | -q | -p | -l\n"
	      "\n"
	      "  -n, --name       this node's name\n"
	      "  -i, --cluster-id this node's id\n"
	      "  -q, --quorum     1 if this node's partition has quorum, else 0\n"
	      "  -p, --partition  the names of the partition's members, on one line\n"
	      "  -l, --list       every known node: ID NAME member|lost\n",
	      out);
}

int main(int argc, char **argv)
{
	static const char *const cmds[][2] = {
		{ "-n", "--name" }, { "-i", "--cluster-id" }, { "-q", "--quorum" },
		{ "-p", "--partition" }, { "-l", "--list" },
	};
	struct hactl_ctx ctx = { .prog = "crm_node" };
	xmlNode *root, *n;
	xmlDoc *doc;
	size_t i, cmd = HAM_ARRAY_SIZE(cmds);
	bool first = true;
	int a, rc;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-h") == 0 || strcmp(argv[a], "--help") == 0) {
			usage(stdout);
			return CRM_EX_OK;
		}
		if (strcmp(argv[a], "-Q") == 0 || strcmp(argv[a], "--quiet") == 0 ||
		    strcmp(argv[a], "-V") == 0 || strcmp(argv[a], "--verbose") == 0)
			continue;
		for (i = 0; i < HAM_ARRAY_SIZE(cmds); i++)
			if (strcmp(argv[a], cmds[i][0]) == 0 || strcmp(argv[a], cmds[i][1]) == 0)
				break;
		if (i == HAM_ARRAY_SIZE(cmds) || (cmd != HAM_ARRAY_SIZE(cmds) && cmd != i)) {
			fprintf(stderr, "crm_node: %s '%s'\nTry 'crm_node --help'.\n",
				i == HAM_ARRAY_SIZE(cmds) ? "unknown option" : "one command at a time, not also",
				argv[a]);
			return CRM_EX_USAGE;
		}
		cmd = i;
	}
	if (cmd == HAM_ARRAY_SIZE(cmds)) {
		fprintf(stderr, "crm_node: a command is needed: -n, -i, -q, -p or -l\n");
		return CRM_EX_USAGE;
	}
	rc = hactl_get_status(&ctx, &doc);
	if (rc != HAM_EXIT_OK)
		return attr_tool_exit(rc);
	root = xmlDocGetRootElement(doc);
	switch (cmd) {
	case 0:
	case 1:
		if (ham_xml_attr(root, "local", "")[0] == '\0' ||
		    ham_streq(ham_xml_attr(root, "local-id", "0"), "0")) {
			fprintf(stderr, "crm_node: this node has not joined the cluster yet\n");
			xmlFreeDoc(doc);
			return CRM_EX_DISCONNECT;
		}
		printf("%s\n", ham_xml_attr(root, cmd == 0 ? "local" : "local-id", ""));
		break;
	case 2:
		printf("%d\n", ham_streq(ham_xml_attr(root, "quorate", ""), "true") ? 1 : 0);
		break;
	default:
		for (n = ham_xml_child(ham_xml_child(root, HAM_ST_NODES), HAM_ST_NODE); n; n = n->next) {
			bool online = ham_streq(ham_xml_attr(n, "online", ""), "true");

			if (!ham_xml_is(n, HAM_ST_NODE))
				continue;
			if (cmd == 4) {
				printf("%s %s %s\n", ham_xml_attr(n, "id", "0"), ham_xml_attr(n, "name", ""),
				       online ? "member" : "lost");
			} else if (online) {
				printf("%s%s", first ? "" : " ", ham_xml_attr(n, "name", ""));
				first = false;
			}
		}
		if (cmd == 3)
			putchar('\n');
		break;
	}
	xmlFreeDoc(doc);
	return CRM_EX_OK;
}
