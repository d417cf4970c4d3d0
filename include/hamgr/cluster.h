/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/cluster: the node's link to its peers. Corosync CPG (join, send,
 * deliver, configuration changes), votequorum notifications and node names
 * from cmap, behind one handle; the wire format every hamgr message carries;
 * and an in-process fake of the same handle for unit tests of the layers
 * above. It decides nothing about policy.
 */
#ifndef HAMGR_CLUSTER_H
#define HAMGR_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ------------------------------------------------------------------ */
/* Wire format                                                         */
/* ------------------------------------------------------------------ */

/*
 * Every message is a fixed 32-byte header followed by `length` payload
 * bytes. All header fields are little-endian on the wire:
 *
 *   off size field
 *     0    4 magic      "HAMG" (0x474d4148 read as little-endian)
 *     4    2 version    HAM_MSG_VERSION
 *     6    2 type       enum ham_msg_type
 *     8    4 length     payload bytes that follow the header
 *    12    4 sender     corosync node id of the sender
 *    16    8 sequence   per-sender counter, starts at 1, +1 per message
 *    24    4 flags      HAM_MSG_F_*; 0 for a message in one piece
 *    28    4 checksum   CRC-32C of the payload
 *
 * A receiver checks every field; a message that fails any check is logged
 * and dropped. The first 24 bytes (magic to sequence) keep this layout in
 * every version: a receiver reads a sender's sequence number even from a
 * message it cannot decode (a newer version or type during a rolling
 * upgrade, a bad checksum), so that one such message is one logged gap and
 * never stops that sender's later messages.
 *
 * A message larger than one fragment (ham_cluster_send() decides) travels
 * as consecutive messages of the same type and consecutive sequence numbers
 * with HAM_MSG_F_FRAG set: the first also has HAM_MSG_F_FIRST and its
 * payload starts with the 8-byte total length, the last has HAM_MSG_F_LAST.
 * A message in one piece is byte for byte what version 1 always sent, so
 * the version stays 1; a node without fragment support drops fragments as
 * "reserved flags set".
 */
#define HAM_MSG_MAGIC 0x474d4148u
#define HAM_MSG_VERSION 1u
#define HAM_MSG_HEADER_SIZE 32u
/* Largest message ham_cluster_send() sends and the receive path reassembles. */
#define HAM_MSG_MAX_PAYLOAD (1024u * 1024u * 1024u)
/* Largest payload of one transport message (one fragment), well under
 * corosync's largest unfragmented CPG message (cpg_max_atomic_msgsize_get,
 * about 1 MiB by default). */
#define HAM_MSG_MAX_FRAGMENT (256u * 1024u)
#define HAM_MSG_F_FRAG (1u << 0)
#define HAM_MSG_F_FIRST (1u << 1)
#define HAM_MSG_F_LAST (1u << 2)
#define HAM_MSG_F_ALL (HAM_MSG_F_FRAG | HAM_MSG_F_FIRST | HAM_MSG_F_LAST)

enum ham_msg_type {
	HAM_MSG_INVALID = 0,
	HAM_MSG_CIB_SYNC = 1,    /* a member's whole CIB, offered on a membership change */
	HAM_MSG_CIB_REPLACE = 2, /* replace the configuration (an admin's push) */
	HAM_MSG_NODE_LEAVING = 3,/* orderly shutdown of the sender follows */
	HAM_MSG_PING = 4,        /* no-op, for tests and latency probes */
	HAM_MSG_OP_RESULT = 5,   /* an operation's result, recorded in every CIB's status */
	HAM_MSG_ACTION = 6,      /* the DC asks one node to run one agent action */
	HAM_MSG_CIB_MODIFY = 7,  /* an operator's small CIB edit, applied to every copy */
	HAM_MSG_TYPE_MAX
};

/* "cib-sync", ..., or NULL for an unknown type. */
const char *ham_msg_type_name(uint16_t type);

/* A decoded header; payload points into the buffer it was decoded from. */
struct ham_msg {
	uint16_t version;
	uint16_t type;
	uint32_t length;
	uint32_t sender;
	uint64_t seq;
	uint32_t flags; /* HAM_MSG_F_*: 0 in what ham_cluster_callbacks.deliver gets */
	const void *payload;
};

/*
 * Encodes a message in one piece into a new buffer (free() it). Returns 0
 * and writes *ret_buf and *ret_len, or -EINVAL (unknown type) / -EMSGSIZE
 * (payload over HAM_MSG_MAX_FRAGMENT: larger ones go through
 * ham_cluster_send(), which fragments).
 */
int ham_msg_encode(uint16_t type, uint32_t sender, uint64_t seq,
		   const void *payload, size_t len, void **ret_buf, size_t *ret_len);
/*
 * The same with flags (HAM_MSG_F_*) and the payload in two parts (head may
 * be NULL with head_len 0): for fragments.
 */
int ham_msg_encode_parts(uint16_t type, uint32_t sender, uint64_t seq, uint32_t flags,
			 const void *head, size_t head_len, const void *payload, size_t len,
			 void **ret_buf, size_t *ret_len);

/*
 * Decodes and checks a received message: size at least a header, magic,
 * version, known type, only known flags (and a coherent fragment), length equal to what follows
 * (no truncation, no trailing bytes), length within HAM_MSG_MAX_FRAGMENT, sender equal
 * to expected_sender (the node id corosync reports), and the payload
 * checksum. Returns 0 and fills *ret, or -HAM_E_PROTOCOL; on failure, when
 * ret_why is not NULL, it is set to a static text naming the check.
 */
int ham_msg_decode(const void *buf, size_t len, uint32_t expected_sender,
		   struct ham_msg *ret, const char **ret_why);
/*
 * The sequence number of a message that may fail ham_msg_decode(): the
 * version-stable part of the header only (size, magic, sender equal to
 * expected_sender, sequence not 0). Returns 0 and writes *ret_seq, or
 * -HAM_E_PROTOCOL when even that is not readable.
 */
int ham_msg_peek_seq(const void *buf, size_t len, uint32_t expected_sender,
		     uint64_t *ret_seq);

/* ------------------------------------------------------------------ */
/* The cluster handle                                                  */
/* ------------------------------------------------------------------ */

/* A member of the process group: a hamgrd process on a node. */
struct ham_member {
	uint32_t nodeid;
	uint32_t pid;
	uint32_t reason; /* enum ham_member_reason, for left/joined lists */
};

enum ham_member_reason {
	HAM_REASON_UNDEFINED = 0,
	HAM_REASON_JOIN = 1,
	HAM_REASON_LEAVE = 2,    /* the process left the group itself (orderly) */
	HAM_REASON_NODEDOWN = 3, /* its node dropped out of the ring */
	HAM_REASON_NODEUP = 4,
	HAM_REASON_PROCDOWN = 5, /* the process died without leaving */
};

struct ham_cluster_callbacks {
	/*
	 * A checked message, in the agreed total order. sender/pid name the
	 * member that sent it; payload stays valid for the call only.
	 */
	void (*deliver)(void *ud, const struct ham_member *sender,
			const struct ham_msg *msg);
	/*
	 * A configuration change of the group, in the same order relative to
	 * messages on every member (virtual synchrony).
	 */
	void (*membership)(void *ud, const struct ham_member *members, size_t n_members,
			   const struct ham_member *left, size_t n_left,
			   const struct ham_member *joined, size_t n_joined);
	/*
	 * votequorum's answer changed (or was first learnt), or it became
	 * known or stale for the current membership: see
	 * ham_cluster_quorum_current(). total_votes counts votes (a node may
	 * have more than one), not nodes.
	 */
	void (*quorum)(void *ud, bool quorate, uint32_t total_votes, uint32_t expected_votes);
	/* The connection to corosync is gone: the node must stop. */
	void (*disconnected)(void *ud);
};

typedef struct ham_cluster ham_cluster;

/*
 * Connects to the local corosync: joins CPG group `group` and starts
 * tracking quorum. Callbacks run from ham_cluster_dispatch(). Returns 0 and
 * a new handle (release with ham_cluster_free()), or -ENOTCONN when corosync
 * is not reachable, or another negative code.
 */
int ham_cluster_connect(const char *group, const struct ham_cluster_callbacks *cb,
			void *ud, ham_cluster **ret);

/*
 * The file descriptors to poll for input (up to max, at most 2); each is
 * passed back to ham_cluster_dispatch() when readable. Returns how many.
 */
size_t ham_cluster_fds(const ham_cluster *c, int *fds, size_t max);

/* Runs pending callbacks for fd. Returns 0, or -ENOTCONN if the link is lost. */
int ham_cluster_dispatch(ham_cluster *c, int fd);

/*
 * Whether the quorum last reported through the quorum callback is
 * votequorum's answer for the current membership: the ring votequorum
 * answered for is the ring of the last configuration change, and that
 * change's members and lost nodes agree with it. False from a change of
 * ring until votequorum has reported on the new one (it arrives on its own
 * connection, before or after CPG's). Nothing may be decided on a
 * membership while this is false.
 */
bool ham_cluster_quorum_current(const ham_cluster *c);

/*
 * Sends a message of up to HAM_MSG_MAX_PAYLOAD bytes to every member
 * (including ourselves) in agreed order; the header is filled in here, and
 * a message over HAM_MSG_MAX_FRAGMENT goes as fragments that every member
 * reassembles and delivers once, at the position of the last fragment.
 * What corosync does not take at once (TRY_AGAIN, or more than a few
 * fragments per call) waits in a queue that ham_cluster_flush() sends.
 * The queue is bounded (HAM_CLUSTER_QUEUE_MAX_BYTES): a message that does
 * not fit is refused with -ENOBUFS and logged, nothing of it is sent and no
 * sequence number is used. Returns 0 (sent or queued), -EMSGSIZE, -ENOBUFS,
 * or -ENOTCONN; a message refused uses no sequence number. *ret_seq
 * (optional) gets the sequence number the delivered message carries (the
 * last fragment's).
 */
int ham_cluster_send(ham_cluster *c, uint16_t type, const void *payload, size_t len,
		     uint64_t *ret_seq);
#define HAM_CLUSTER_QUEUE_MAX_BYTES (1280ull * 1024u * 1024u)
/* Sets the send queue's bound in bytes (tests; 0: HAM_CLUSTER_QUEUE_MAX_BYTES). */
void ham_cluster_set_queue_max(ham_cluster *c, uint64_t bytes);
/*
 * Sends queued messages, at most a few MiB per call so that a long train of
 * fragments never holds the main loop. Returns 0 when the queue is empty,
 * -EAGAIN if not (call again later), or the error that lost the link.
 */
int ham_cluster_flush(ham_cluster *c);
/* Whether messages are waiting for ham_cluster_flush(). */
bool ham_cluster_has_queued(const ham_cluster *c);

/* Our node id. */
uint32_t ham_cluster_local_nodeid(const ham_cluster *c);
/* Our own member entry's pid as the group sees it. */
uint32_t ham_cluster_local_pid(const ham_cluster *c);

/*
 * The cluster's name (totem.cluster_name) as a new string, or NULL when it
 * is not set.
 */
char *ham_cluster_name(ham_cluster *c);

/*
 * The configured nodes (corosync's nodelist): ids and names. Returns 0 and
 * a new array of n entries (free with ham_cluster_nodes_free()), or -errno.
 */
struct ham_cluster_node {
	uint32_t nodeid;
	char *name; /* nodelist.node.X.name, else ring0_addr */
};
int ham_cluster_nodes(ham_cluster *c, struct ham_cluster_node **ret, size_t *ret_n);
void ham_cluster_nodes_free(struct ham_cluster_node *nodes, size_t n);

/*
 * The effective totem token timeout in ms (runtime.config.totem.token), or
 * 0 when unknown.
 */
uint32_t ham_cluster_token_ms(ham_cluster *c);

/*
 * Whether corosync encrypts and authenticates the ring: totem.crypto_cipher
 * and totem.crypto_hash both set and not "none". Returns 1 (on), 0 (off) or
 * a negative code; *ret_desc (optional, free() it) gets
 * "crypto_cipher=X crypto_hash=Y" with "(absent)" for a missing key.
 */
int ham_cluster_crypto(ham_cluster *c, char **ret_desc);

/* Leaves the group, disconnects, frees. Accepts NULL; returns NULL. */
ham_cluster *ham_cluster_free(ham_cluster *c);

/* Counters of the receive path, for tests and status. */
struct ham_cluster_stats {
	uint64_t delivered;  /* messages delivered (a reassembled one counts once) */
	uint64_t dropped;    /* transport messages dropped (undecodable, partial, ...) */
	uint64_t gaps;       /* sequence gaps seen (each logged, then resynchronised) */
	uint64_t reassembly_bytes; /* bytes held in partial reassemblies now */
};
/* Largest total of partial reassemblies held at once, over all senders. */
#define HAM_CLUSTER_REASSEMBLY_MAX_BYTES (1536ull * 1024u * 1024u)
void ham_cluster_get_stats(const ham_cluster *c, struct ham_cluster_stats *ret);
/*
 * Bytes received so far of a message of the given type that member
 * (nodeid, pid) is sending in fragments, 0 when none is being reassembled:
 * to tell a long transfer that progresses from a sender that went silent.
 */
uint64_t ham_cluster_partial_bytes(const ham_cluster *c, uint32_t nodeid, uint32_t pid,
				   uint16_t type);

/* ------------------------------------------------------------------ */
/* In-process fake, for unit tests                                     */
/* ------------------------------------------------------------------ */

/*
 * A fake network: several ham_cluster handles in one process that see one
 * totally ordered stream of messages and configuration changes. Every
 * configuration change is a new ring, followed by its ring event and then
 * votequorum's answer for it (the sum of the votes of the distinct nodes on
 * that side, 1 each unless set, against a majority of `expected_votes`). Nothing is delivered until
 * ham_fake_net_run(), which delivers everything queued, in order, to every
 * member that was in the group when the event was queued.
 */
typedef struct ham_fake_net ham_fake_net;

ham_fake_net *ham_fake_net_new(uint32_t expected_votes, const char *cluster_name);
ham_fake_net *ham_fake_net_free(ham_fake_net *net);
/* Adds node (nodeid, name) to the fake's node list (as corosync's nodelist). */
void ham_fake_net_add_node(ham_fake_net *net, uint32_t nodeid, const char *name);

/* Joins a member; same contract as ham_cluster_connect(). */
int ham_fake_connect(ham_fake_net *net, uint32_t nodeid, uint32_t pid,
		     const struct ham_cluster_callbacks *cb, void *ud, ham_cluster **ret);
/*
 * Crashes a member: the others see it leave with HAM_REASON_NODEDOWN; the
 * handle stays allocated but is dead (free it with ham_cluster_free()).
 */
void ham_fake_crash(ham_cluster *c);
/*
 * Queues raw bytes as if `nodeid` (a member) had sent them, bypassing the
 * encoder: for tests of what the receiver drops.
 */
void ham_fake_inject_raw(ham_fake_net *net, uint32_t nodeid, const void *buf, size_t len);
/* Delivers everything queued. Returns the number of events delivered. */
size_t ham_fake_net_run(ham_fake_net *net);
/*
 * Splits the live members in two: those on the listed nodes and the rest.
 * Each side sees the other leave (HAM_REASON_NODEDOWN), with quorum counted
 * on its own side; messages then reach only the sender's side. New members
 * join the side of the nodes not listed.
 */
void ham_fake_net_partition(ham_fake_net *net, const uint32_t *nodeids, size_t n);
/* Reunites the sides: each sees the other join (HAM_REASON_NODEUP). */
void ham_fake_net_heal(ham_fake_net *net);
/*
 * With hold, votequorum's answers to later changes wait (the layers above
 * see the membership with the quorum of an older ring, which is then not
 * current); releasing (hold false) queues them, in order.
 */
void ham_fake_net_hold_quorum(ham_fake_net *net, bool hold);
/* The votes of a node (corosync's quorum_votes; 1 unless set). */
void ham_fake_net_set_votes(ham_fake_net *net, uint32_t nodeid, uint32_t votes);
/* totem.crypto_cipher and crypto_hash as cmap would give them (NULL: absent);
 * "aes256" and "sha256" unless set. */
void ham_fake_net_set_crypto(ham_fake_net *net, const char *cipher, const char *hash);
/*
 * corosync's flow control: while max_queued messages wait for
 * ham_fake_net_run(), a send gets TRY_AGAIN (0: never).
 */
void ham_fake_net_set_send_window(ham_fake_net *net, size_t max_queued);
/* The next count sends of c fail with err (a negative code) and send nothing. */
void ham_fake_fail_sends(ham_cluster *c, int err, unsigned count);
/* The same after the next skip sends of c succeed (-EAGAIN: what fails
 * waits in c's queue for ham_cluster_flush()). */
void ham_fake_fail_sends_after(ham_cluster *c, unsigned skip, int err, unsigned count);

#endif /* HAMGR_CLUSTER_H */
