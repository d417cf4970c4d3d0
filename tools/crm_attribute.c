/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tools/crm_attribute.c: hamgr's crm_attribute, for resource agents run by
 * hamgrd (installed in hamgr's private tools directory, first on their
 * PATH): node attributes (permanent, transient, utilization), promotion
 * scores (--promotion) and cluster options, through the local hamgrd.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <hamgr/common.h>
#include "attr_tool.h"

static void usage(FILE *out)
{
	fputs("Usage: crm_attribute -n NAME [-N NODE] [-l reboot|forever] [-t TYPE]\n"
	      "                     [-G [-q] [-d DEFAULT] | -v VALUE | -D]\n"
	      "       crm_attribute -p [RESOURCE] [-N NODE] [-G [-q] | -v SCORE | -D]\n"
	      "\n"
	      "hamgr's crm_attribute, for the resource agents hamgrd runs: queries (-G,\n"
	      "the default), sets (-v) or deletes (-D) a node attribute or cluster option\n"
	      "through the local hamgrd.\n"
	      "\n"
	      "  -n, --name NAME        the attribute\n"
	      "  -N, --node NODE        a node attribute of NODE (default: this node when\n"
	      "                         -l, -t nodes|status, -z or -p is given)\n"
	      "  -l, --lifetime L       reboot (transient, erased when the node leaves or\n"
	      "                         restarts) or forever (in the configuration)\n"
	      "  -t, --type T           nodes, status, crm_config, rsc_defaults, op_defaults\n"
	      "                         (default: crm_config without a node)\n"
	      "  -z, --utilization      the node's utilization\n"
	      "  -p, --promotion[=RSC]  the promotion score master-RSC (RSC default:\n"
	      "                         $OCF_RESOURCE_INSTANCE without its clone instance\n"
	      "                         number); lifetime reboot unless -l says otherwise\n"
	      "  -G, --query            print 'scope=S  name=N value=V'; -q: the value only\n"
	      "  -d, --default VALUE    what a query prints when nothing is set\n"
	      "  -v, --update VALUE     set\n"
	      "  -D, --delete           delete (absent is not an error)\n"
	      "\n"
	      "Exit status (Pacemaker's): 0 ok, 64 usage, 105 no such attribute or node,\n"
	      "102 hamgrd not reachable, 106 no quorum, 4 permission denied, 1 other.\n",
	      out);
}

int main(int argc, char **argv)
{
	struct attr_req r;
	char *err = NULL;
	int rc;

	if (crm_attribute_args(argc, argv, getenv("OCF_RESOURCE_INSTANCE"), &r, &err) < 0) {
		fprintf(stderr, "crm_attribute: %s\nTry 'crm_attribute --help'.\n", err);
		free(err);
		return CRM_EX_USAGE;
	}
	if (r.help) {
		usage(stdout);
		rc = CRM_EX_OK;
	} else if (r.version) {
		printf("crm_attribute (hamgr) %s\n", HAM_VERSION);
		rc = CRM_EX_OK;
	} else {
		rc = attr_tool_run("crm_attribute", STYLE_CRM_ATTRIBUTE, &r);
	}
	attr_req_clear(&r);
	return rc;
}
