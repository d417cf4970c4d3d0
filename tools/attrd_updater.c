/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tools/attrd_updater.c: hamgr's attrd_updater, for resource agents run by
 * hamgrd: transient node attributes (lifetime reboot) through the local
 * hamgrd, which writes them at once (a delay -d is accepted, not waited).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <hamgr/common.h>
#include "attr_tool.h"

static void usage(FILE *out)
{
	fputs("Usage: attrd_updater -n NAME (-U VALUE | -Q [-A] | -D) [-N NODE] [-d DELAY] [-p]\n"
	      "\n"
	      "hamgr's attrd_updater, for the resource agents hamgrd runs: a transient\n"
	      "node attribute (erased when the node leaves or restarts), through the\n"
	      "local hamgrd.\n"
	      "\n"
	      "  -n, --name NAME     the attribute\n"
	      "  -U, --update VALUE  set it (-v VALUE, -B VALUE too)\n"
	      "  -Q, --query         print 'name=\"N\" host=\"H\" value=\"V\"'\n"
	      "  -A, --all           with -Q: every node that has it\n"
	      "  -D, --delete        delete it\n"
	      "  -N, --node NODE     NODE's attribute (default: this node)\n"
	      "  -d, --delay S       accepted: hamgrd writes at once\n"
	      "  -p, --private       accepted: stored as any transient attribute\n"
	      "  -R, -Y              accepted, nothing to do\n"
	      "\n"
	      "Exit status (Pacemaker's): 0 ok, 64 usage, 105 not set or no such node,\n"
	      "102 hamgrd not reachable, 106 no quorum, 1 other.\n",
	      out);
}

int main(int argc, char **argv)
{
	struct attr_req r;
	char *err = NULL;
	int rc;

	if (attrd_updater_args(argc, argv, &r, &err) < 0) {
		fprintf(stderr, "attrd_updater: %s\nTry 'attrd_updater --help'.\n", err);
		free(err);
		return CRM_EX_USAGE;
	}
	if (r.help) {
		usage(stdout);
		rc = CRM_EX_OK;
	} else if (r.version) {
		printf("attrd_updater (hamgr) %s\n", HAM_VERSION);
		rc = CRM_EX_OK;
	} else {
		rc = attr_tool_run("attrd_updater", STYLE_ATTRD_UPDATER, &r);
	}
	attr_req_clear(&r);
	return rc;
}
