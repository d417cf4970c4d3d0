/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/nodeattr.h: reading node attributes from a CIB document, for hactl
 * node attribute|utilization and the agents' tools (tools/): permanent ones
 * in configuration/nodes/node, transient ones (lifetime reboot) in the
 * node's status, utilization in configuration/nodes/node/utilization.
 */
#ifndef HACTL_NODEATTR_H
#define HACTL_NODEATTR_H

#include <stdbool.h>

struct _xmlDoc;

enum nodeattr_kind {
	NODEATTR_PERMANENT,   /* lifetime forever */
	NODEATTR_TRANSIENT,   /* lifetime reboot */
	NODEATTR_UTILIZATION,
	NODEATTR_KIND_MAX,
};

/* "forever", "reboot", "utilization". */
const char *nodeattr_kind_name(enum nodeattr_kind k);

/* Whether the CIB knows the node (a configured <node> or a node_state). */
bool nodeattr_node_known(struct _xmlDoc *cib, const char *node);

/*
 * The value of the node attribute name of kind k (owned by cib), or NULL
 * when the node does not have it.
 */
const char *nodeattr_get(struct _xmlDoc *cib, const char *node, enum nodeattr_kind k,
			 const char *name);

/* Calls fn for each attribute of kind k the node has, in document order. */
void nodeattr_each(struct _xmlDoc *cib, const char *node, enum nodeattr_kind k,
		   void (*fn)(const char *name, const char *value, void *ud), void *ud);

#endif
