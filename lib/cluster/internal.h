/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/cluster internals: the handle shared by the corosync backend and the
 * in-process fake, and the receive path both use (decode, check, deliver).
 */
#ifndef HAM_CLUSTER_INTERNAL_H
#define HAM_CLUSTER_INTERNAL_H

#include <hamgr/cluster.h>

struct ham_cluster;

struct cluster_backend {
	/* Sends an encoded message; 0, -EAGAIN (try later) or -ENOTCONN. */
	int (*send)(struct ham_cluster *c, const void *buf, size_t len);
	size_t (*fds)(const struct ham_cluster *c, int *fds, size_t max);
	int (*dispatch)(struct ham_cluster *c, int fd);
	char *(*name)(struct ham_cluster *c);
	int (*nodes)(struct ham_cluster *c, struct ham_cluster_node **ret, size_t *ret_n);
	uint32_t (*token_ms)(struct ham_cluster *c);
	void (*free)(struct ham_cluster *c);
};

struct peer_seq {
	uint32_t nodeid;
	uint32_t pid;
	uint64_t last;
	bool known; /* false: accept any first sequence number */
};

struct queued_msg {
	struct queued_msg *next;
	void *buf;
	size_t len;
};

struct ham_cluster {
	const struct cluster_backend *be;
	void *be_data;
	struct ham_cluster_callbacks cb;
	void *ud;
	uint32_t nodeid;
	uint32_t pid;
	uint64_t seq;
	bool dead;
	struct peer_seq *peers;
	size_t n_peers;
	struct queued_msg *q_head, *q_tail;
	struct ham_cluster_stats stats;
};

/* Allocates a handle for a backend. */
struct ham_cluster *cluster_new(const struct cluster_backend *be, void *be_data,
				const struct ham_cluster_callbacks *cb, void *ud);
/* The receive path: checks a raw message from (nodeid, pid), delivers or drops. */
void cluster_receive(struct ham_cluster *c, uint32_t nodeid, uint32_t pid,
		     const void *buf, size_t len);
/* The membership path: keeps the sequence table, then calls back. */
void cluster_membership(struct ham_cluster *c, const struct ham_member *members, size_t n,
			const struct ham_member *left, size_t n_left,
			const struct ham_member *joined, size_t n_joined);

#endif
