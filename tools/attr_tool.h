/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tools/attr_tool.h: what hamgr's crm_attribute, attrd_updater and
 * crm_node do with the local hamgrd (over the IPC of cli/hactl_ipc.c), and
 * their exit codes, which are Pacemaker's (crm_exit_t) as agents test them.
 */
#ifndef HAM_ATTR_TOOL_H
#define HAM_ATTR_TOOL_H

#include "attr_args.h"

/* Pacemaker's exit codes that these tools return. */
enum {
	CRM_EX_OK = 0,
	CRM_EX_ERROR = 1,
	CRM_EX_INSUFFICIENT_PRIV = 4,
	CRM_EX_USAGE = 64,
	CRM_EX_DATAERR = 65,
	CRM_EX_DISCONNECT = 102,
	CRM_EX_NOSUCH = 105,
	CRM_EX_QUORUM = 106,
	CRM_EX_TIMEOUT = 124,
};

/* Pacemaker's exit code for one of hactl's (HAM_EXIT_*). */
int attr_tool_exit(int ham_exit);

enum attr_tool_style { STYLE_CRM_ATTRIBUTE, STYLE_ATTRD_UPDATER };

/* Runs the request as prog; prints what it finds; returns an exit code above. */
int attr_tool_run(const char *prog, enum attr_tool_style style, const struct attr_req *r);

/* The local node's name (malloc'd) from hamgrd, or NULL and *ret_exit. */
char *attr_tool_local_node(const char *prog, int *ret_exit);

#endif
