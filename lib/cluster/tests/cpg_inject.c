/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/cluster/tests/cpg_inject.c: a test tool for cts: joins a CPG group on
 * the local corosync and sends malformed hamgr messages (what a buggy or
 * hostile member might send), then leaves. Usage: cpg-inject GROUP
 * Sends, in order: random bytes, a truncated message, a message whose
 * header names another sender, one with an unknown type, one with an
 * oversized length field, one with a bad payload checksum.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <corosync/cpg.h>

#include <hamgr/common.h>
#include <hamgr/cluster.h>

static void on_deliver(cpg_handle_t h, const struct cpg_name *g, uint32_t nodeid, uint32_t pid,
		       void *msg, size_t len)
{
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *g,
		       const struct cpg_address *m, size_t nm, const struct cpg_address *l,
		       size_t nl, const struct cpg_address *j, size_t nj)
{
}

static int send_raw(cpg_handle_t h, const void *buf, size_t len)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	cs_error_t e;

	do {
		e = cpg_mcast_joined(h, CPG_TYPE_AGREED, &iov, 1);
	} while (e == CS_ERR_TRY_AGAIN);
	return e == CS_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
	cpg_callbacks_t cb = { .cpg_deliver_fn = on_deliver, .cpg_confchg_fn = on_confchg };
	struct cpg_name group;
	cpg_handle_t h;
	unsigned int nodeid;
	uint8_t junk[100];
	uint8_t *b;
	void *buf;
	size_t len, i;
	int fails = 0;

	if (argc != 2 || strlen(argv[1]) >= CPG_MAX_NAME_LENGTH) {
		fprintf(stderr, "usage: cpg-inject GROUP\n");
		return 2;
	}
	if (cpg_initialize(&h, &cb) != CS_OK || cpg_local_get(h, &nodeid) != CS_OK) {
		fprintf(stderr, "cpg-inject: cannot connect to corosync\n");
		return 1;
	}
	group.length = (uint32_t)strlen(argv[1]);
	memcpy(group.value, argv[1], group.length);
	if (cpg_join(h, &group) != CS_OK) {
		fprintf(stderr, "cpg-inject: cannot join %s\n", argv[1]);
		return 1;
	}
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (uint8_t)(i * 37 + 11);
	fails += send_raw(h, junk, sizeof(junk)) < 0;

	ham_msg_encode(HAM_MSG_CIB_REPLACE, nodeid, 1, "<cib/>", 6, &buf, &len);
	fails += send_raw(h, buf, len - 2) < 0;             /* truncated */
	free(buf);
	ham_msg_encode(HAM_MSG_CIB_REPLACE, nodeid + 100, 1, "<cib/>", 6, &buf, &len);
	fails += send_raw(h, buf, len) < 0;                 /* another sender */
	free(buf);
	ham_msg_encode(HAM_MSG_PING, nodeid, 1, "x", 1, &buf, &len);
	b = buf;
	b[6] = 0x77;                                        /* unknown type */
	fails += send_raw(h, buf, len) < 0;
	b[6] = HAM_MSG_PING;
	b[8] = 0xff; b[9] = 0xff; b[10] = 0xff; b[11] = 0x7f;  /* oversized length */
	fails += send_raw(h, buf, len) < 0;
	free(buf);
	ham_msg_encode(HAM_MSG_CIB_REPLACE, nodeid, 1, "<cib/>", 6, &buf, &len);
	((uint8_t *)buf)[HAM_MSG_HEADER_SIZE] = '(';        /* bad checksum */
	fails += send_raw(h, buf, len) < 0;
	free(buf);

	cpg_leave(h, &group);
	cpg_finalize(h);
	printf("cpg-inject: sent 6 malformed messages to %s as node %u%s\n", argv[1], nodeid,
	       fails ? " (some sends failed)" : "");
	return fails ? 1 : 0;
}
