/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The local protocol between hactl (and other tools) and hamgrd, on libqb
 * IPC (qb_ipcs/qb_ipcc). A request is a qb_ipc_request_header (id = enum
 * ham_ipc_request, size = header + payload) and a payload; the reply is a
 * qb_ipc_response_header (same id, size, error = 0 or a negative hamgr
 * result code) and a payload: the answer, or on error a UTF-8 message.
 * hamgrd accepts root and members of group haclient only; everyone else is
 * refused at connection time (qb_ipcc_connect fails with EACCES).
 */
#ifndef HAMGR_IPC_H
#define HAMGR_IPC_H

#include <stdint.h>

/* The service name (an abstract socket per network namespace). */
#define HAM_IPC_NAME "hamgr"
/* The environment variable that overrides it (tests). */
#define HAM_IPC_NAME_ENV "HAMGR_IPC_NAME"
/* The group whose members may use the daemon, besides root. */
#define HAM_IPC_GROUP "haclient"
/* Largest request or reply, header included. */
#define HAM_IPC_MAX_MSG (8u * 1024u * 1024u + 4096u)
/*
 * The buffer a client asks for first. Each connection costs three shared
 * memory rings of the negotiated size, so small requests use small rings;
 * an answer that does not fit comes back as error -EMSGSIZE and the client
 * repeats the request with HAM_IPC_MAX_MSG.
 */
#define HAM_IPC_SMALL_MSG (256u * 1024u)

enum ham_ipc_request {
	HAM_IPC_STATUS = 1,      /* no payload; reply: the status document (XML) */
	HAM_IPC_CIB_QUERY = 2,   /* no payload; reply: the whole CIB (XML) */
	HAM_IPC_CIB_REPLACE = 3, /* payload: a <cib> whose configuration replaces ours;
				  * reply: empty once applied cluster-wide, or an error */
	HAM_IPC_CIB_MODIFY = 4,  /* payload: a <modify> document (small named edits:
				  * locations, meta and node attributes, cleanup; see
				  * daemons/hamgrd/cibedit.h), applied by every node to its
				  * current CIB in agreed order, all edits or none;
				  * reply: empty once applied, or an error (-ENOENT: an
				  * unknown resource or node, -HAM_E_USAGE: a bad value) */
	HAM_IPC_NODE_STOP = 5,   /* payload: node names, one per line, or "*" for every
				  * member: asks them to leave in order (their resources
				  * move or stop first; daemons/hamgrd/shutdown.h); reply:
				  * empty once the request is recorded in the CIB, or an
				  * error (-ENOENT: an unknown node, -EHOSTDOWN: a node not
				  * in the cluster) */
	HAM_IPC_CIB_REPLACE_FORCE = 6, /* as HAM_IPC_CIB_REPLACE, even when the pushed
					* configuration is older than the cluster's */
	HAM_IPC_STONITH_FENCE = 9,     /* payload: a node name; asks the cluster to fence it
					* (its transient terminate=true: the DC fences it with
					* the configured devices); reply: empty once the request
					* is recorded, or an error (-ENOENT unknown, -EHOSTDOWN
					* not a member, -HAM_E_CONFIG fencing disabled or no
					* device can fence it); the result shows in the status's
					* fencing history */
	HAM_IPC_STONITH_CONFIRM = 10,  /* payload: a node name that is down: recorded as a
					* manual fencing confirmation; reply: empty once sent,
					* or an error (-ENOENT unknown, -EBUSY a member) */
	HAM_IPC_REQUEST_MAX
};

/* The status document (HAM_IPC_STATUS). */
#define HAM_ST_ROOT "hamgr-status"     /* cluster local local-id dc dc-id joined quorate
					* votes expected-votes syncing maintenance-mode */
#define HAM_ST_CIB "cib-version"       /* admin_epoch epoch num_updates */
#define HAM_ST_NODES "nodes"
#define HAM_ST_NODE "node"             /* name id online standby maintenance dc unclean */
#define HAM_ST_RESOURCES "resources"
#define HAM_ST_RESOURCE "resource"     /* id agent parent role failed nodes target-role */
#define HAM_ST_FAILURES "failures"
#define HAM_ST_FAILURE "failure"       /* resource node operation rc reason when */
#define HAM_ST_FAILCOUNTS "fail-counts"
#define HAM_ST_FAILCOUNT "fail-count"  /* resource node operation interval count
					* (a number or INFINITY) last-failure */
#define HAM_ST_FENCINGS "fencing-history"
#define HAM_ST_FENCING "fencing"       /* seq target action device origin result
					* (ok|failed) rc status time exit-reason manual */

#endif /* HAMGR_IPC_H */
