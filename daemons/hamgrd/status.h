/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/status.h: the cluster status as one XML document for
 * `hactl status` (element and attribute names in include/hamgr/ipc.h).
 */
#ifndef HAMGRD_STATUS_H
#define HAMGRD_STATUS_H

#include <hamgr/common.h>
#include "node.h"

/* Appends the status document of node n to b. */
void hamgrd_status_xml(hnode *n, ham_buf *b);

#endif
