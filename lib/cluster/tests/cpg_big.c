/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/cluster/tests/cpg_big.c: a cts tool for messages over real corosync.
 * cpg-big GROUP MEMBERS BYTES: joins GROUP; once it has MEMBERS members, the
 * member with the lowest node id sends one message of BYTES bytes (which
 * lib/cluster sends in fragments); every member waits for its delivery and
 * prints "delivered BYTES crc=CRC ms=MS". Exit 0 on delivery, 1 on error or
 * after 120 s.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hamgr/common.h>
#include <hamgr/cluster.h>

static size_t want_members, bytes;
static size_t n_members;
static uint32_t lowest;
static bool delivered, failed;

static void on_deliver(void *ud, const struct ham_member *s, const struct ham_msg *m)
{
	if (m->type != HAM_MSG_PING || m->length != bytes)
		return;
	printf("delivered %u crc=%08x ms=%llu\n", m->length, ham_crc32c(m->payload, m->length),
	       (unsigned long long)(ham_now_mono_ms() - *(uint64_t *)ud));
	delivered = true;
}

static void on_membership(void *ud, const struct ham_member *members, size_t n,
			  const struct ham_member *left, size_t n_left,
			  const struct ham_member *joined, size_t n_joined)
{
	size_t i;

	n_members = n;
	lowest = 0;
	for (i = 0; i < n; i++)
		if (lowest == 0 || members[i].nodeid < lowest)
			lowest = members[i].nodeid;
}

static void on_disconnected(void *ud)
{
	failed = true;
}

int main(int argc, char **argv)
{
	const struct ham_cluster_callbacks cb = { .deliver = on_deliver,
						  .membership = on_membership,
						  .disconnected = on_disconnected };
	uint64_t t0 = ham_now_mono_ms(), sent_at = 0;
	ham_cluster *c = NULL;
	bool sent = false;
	int fds[2], r;
	size_t n, i;

	if (argc != 4) {
		fprintf(stderr, "usage: cpg-big GROUP MEMBERS BYTES\n");
		return 2;
	}
	want_members = strtoul(argv[2], NULL, 10);
	bytes = strtoul(argv[3], NULL, 10);
	r = ham_cluster_connect(argv[1], &cb, &sent_at, &c);
	if (r < 0) {
		fprintf(stderr, "cpg-big: cannot connect: %s\n", ham_strerror(r));
		return 1;
	}
	n = ham_cluster_fds(c, fds, 2);
	while (!delivered && !failed && ham_now_mono_ms() - t0 < 120000) {
		struct pollfd p[2];

		if (!sent && n_members >= want_members) {
			sent_at = ham_now_mono_ms();
			if (lowest == ham_cluster_local_nodeid(c)) {
				uint8_t *buf = malloc(bytes);

				for (i = 0; i < bytes; i++)
					buf[i] = (uint8_t)((i * 2654435761u) >> 13);
				r = ham_cluster_send(c, HAM_MSG_PING, buf, bytes, NULL);
				free(buf);
				if (r < 0) {
					fprintf(stderr, "cpg-big: send: %s\n", ham_strerror(r));
					break;
				}
			}
			sent = true;
		}
		for (i = 0; i < n; i++) {
			p[i].fd = fds[i];
			p[i].events = POLLIN;
			p[i].revents = 0;
		}
		poll(p, n, ham_cluster_has_queued(c) ? 20 : 200);
		for (i = 0; i < n; i++)
			if (p[i].revents && ham_cluster_dispatch(c, fds[i]) < 0)
				failed = true;
		if (ham_cluster_has_queued(c))
			ham_cluster_flush(c);
	}
	ham_cluster_free(c);
	return delivered ? 0 : 1;
}
