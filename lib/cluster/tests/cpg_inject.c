/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/cluster/tests/cpg_inject.c: a test tool for cts: joins a CPG group on
 * the local corosync and sends malformed hamgr messages (what a buggy or
 * hostile member might send), then leaves. Usage: cpg-inject GROUP
 * Sends, in order: random bytes, a truncated message, a message whose
 * header names another sender, one with an unknown type, one with an
 * oversized length field, one with a bad payload checksum.
 *
 * cpg-inject GROUP forge TARGET VICTIM NODE RSC: well-formed hamgr messages
 * from a member that is not the DC instead: an action request (start of
 * "forged", state file /tmp/hamgr-forged.state) for node TARGET, a fencing
 * success for node name VICTIM, a start success of RSC on node id NODE
 * (named "node<NODE>"), and one of RSC on its own node (it is a process of
 * the group there, but not that node's hamgrd).
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

/* One "key=value\0" payload from a list of "key=value" strings. */
static int send_kv(cpg_handle_t h, uint32_t nodeid, uint16_t type, uint64_t seq,
		   const char *const *kv)
{
	ham_buf b = HAM_BUF_INIT;
	void *buf;
	size_t len;
	int r;

	for (; *kv; kv++) {
		ham_buf_add(&b, *kv);
		ham_buf_addc(&b, '\0');
	}
	r = ham_msg_encode(type, nodeid, seq, b.s, b.len, &buf, &len);
	ham_buf_free(&b);
	if (r < 0)
		return -1;
	r = send_raw(h, buf, len);
	free(buf);
	return r;
}

static int forge(cpg_handle_t h, uint32_t me, char **argv)
{
	char tgt[32], self[32], name[48], dc[32], victim[300], node[32], nname[48], rsc[300];
	const char *action[] = { "action-id=1", "transition-id=999999", tgt, "rsc=forged",
				 "class=ocf", "provider=hamgr", "type=dummy", "op=start",
				 "interval-ms=0", "timeout-ms=20000", "expected-rc=0", dc,
				 "param:state=/tmp/hamgr-forged.state", NULL };
	const char *fence[] = { self, name, "rsc=fencer", "class=stonith",
				"type=fence_hamgr_netns", "op=reboot", "interval-ms=0", "call-id=1",
				"rc=0", "op-status=0", "expected-rc=0", victim, dc, NULL };
	const char *start[] = { node, nname, rsc, "class=ocf", "provider=hamgr", "type=dummy",
				"op=start", "interval-ms=0", "call-id=99", "rc=0", "op-status=0",
				"expected-rc=0", dc, NULL };
	/* and one for its own node: not the node's hamgrd, so not its word either */
	const char *own[] = { self, name, rsc, "class=ocf", "provider=hamgr", "type=dummy",
			      "op=start", "interval-ms=0", "call-id=98", "rc=0", "op-status=0",
			      "expected-rc=0", dc, NULL };
	int fails = 0;

	snprintf(tgt, sizeof(tgt), "target=%s", argv[0]);
	snprintf(self, sizeof(self), "nodeid=%u", me);
	snprintf(name, sizeof(name), "node=node%u", me);
	snprintf(dc, sizeof(dc), "dc-uuid=%u", me);
	snprintf(victim, sizeof(victim), "fence-target=%s", argv[1]);
	snprintf(node, sizeof(node), "nodeid=%s", argv[2]);
	snprintf(nname, sizeof(nname), "node=node%s", argv[2]);
	snprintf(rsc, sizeof(rsc), "rsc=%s", argv[3]);
	fails += send_kv(h, me, HAM_MSG_ACTION, 1, action) < 0;
	fails += send_kv(h, me, HAM_MSG_OP_RESULT, 2, fence) < 0;
	fails += send_kv(h, me, HAM_MSG_OP_RESULT, 3, start) < 0;
	fails += send_kv(h, me, HAM_MSG_OP_RESULT, 4, own) < 0;
	return fails;
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

	bool forging = argc == 7 && strcmp(argv[2], "forge") == 0;

	if ((argc != 2 && !forging) || strlen(argv[1]) >= CPG_MAX_NAME_LENGTH ||
	    (forging && (strlen(argv[4]) > 250 || strlen(argv[6]) > 250))) {
		fprintf(stderr, "usage: cpg-inject GROUP [forge TARGET VICTIM NODE RSC]\n");
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
	if (forging) {
		fails = forge(h, nodeid, argv + 3);
		cpg_leave(h, &group);
		cpg_finalize(h);
		printf("cpg-inject: sent 4 forged messages to %s as node %u%s\n", argv[1], nodeid,
		       fails ? " (some sends failed)" : "");
		return fails ? 1 : 0;
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
