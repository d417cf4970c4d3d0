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
	/* Largest payload of one transport message (optional: HAM_MSG_MAX_FRAGMENT). */
	size_t (*max_fragment)(struct ham_cluster *c);
	/* totem.crypto_cipher and totem.crypto_hash as new strings (NULL: absent). */
	int (*crypto)(struct ham_cluster *c, char **ret_cipher, char **ret_hash);
	void (*free)(struct ham_cluster *c);
};

struct peer_seq {
	uint32_t nodeid;
	uint32_t pid;
	uint64_t last;
	bool known; /* false: accept any first sequence number */
	/* a fragmented message being reassembled (ra_buf != NULL) */
	uint8_t *ra_buf;
	size_t ra_len, ra_cap;
	uint64_t ra_total;
	uint16_t ra_type;
};

/* A message waiting for corosync, sent from off on in fragments. */
struct queued_msg {
	struct queued_msg *next;
	uint16_t type;
	uint8_t *payload; /* owned, except for the one ham_cluster_send() tries first */
	size_t len;
	size_t off;       /* payload bytes already sent */
	uint64_t next_seq;/* sequence number of the next fragment */
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
	uint64_t q_bytes, q_max;
	bool q_full_logged;
	struct ham_cluster_stats stats;

	/* quorum: votequorum's answer and the ring it is for */
	bool have_quorum;
	uint32_t q_ring_node;
	uint64_t q_ring_seq;
	bool quorate;
	uint32_t votes, expected;
	/* the current totem ring, as CPG reports it */
	bool have_ring;
	uint32_t ring_node;
	uint64_t ring_seq;
	uint32_t *ring_nodes;
	size_t n_ring_nodes;
	/* node ids of the group's members, and those CPG lost since the last ring */
	uint32_t *group_nodes;
	size_t n_group_nodes;
	uint32_t *down;
	size_t n_down;
	bool q_current;
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
/* A new totem ring (CPG's totem configuration change): its id and nodes. */
void cluster_ring(struct ham_cluster *c, uint32_t ring_node, uint64_t ring_seq,
		  const uint32_t *nodes, size_t n);
/* votequorum's answer for the ring (ring_node, ring_seq). */
void cluster_quorum(struct ham_cluster *c, uint32_t ring_node, uint64_t ring_seq, bool quorate,
		    uint32_t votes, uint32_t expected);

#endif
