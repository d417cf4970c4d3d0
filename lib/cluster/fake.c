/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/cluster/fake.c: an in-process stand-in for corosync, for unit tests.
 * One queue of events (messages and configuration changes) in total order;
 * each event is delivered to the members it was addressed to when queued,
 * which is what CPG's virtual synchrony promises.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hamgr/common.h>
#include "internal.h"

enum ev_kind { EV_MSG, EV_CONFCHG, EV_RING, EV_QUORUM };

struct fake_ev {
	struct fake_ev *next;
	enum ev_kind kind;
	struct ham_cluster **to; /* recipients */
	size_t n_to;
	/* EV_MSG */
	uint32_t nodeid, pid;
	void *buf;
	size_t len;
	/* EV_CONFCHG */
	struct ham_member *members, *left, *joined;
	size_t n_members, n_left, n_joined;
	/* EV_RING (ring_nodes) and EV_QUORUM (quorate, votes) */
	uint32_t ring_node;
	uint64_t ring_seq;
	uint32_t *ring_nodes;
	size_t n_ring_nodes;
	bool quorate;
	uint32_t votes, expected;
};

struct node_votes {
	uint32_t nodeid, votes;
};

struct ham_fake_net {
	uint32_t expected;
	char *name;
	struct ham_cluster_node *nodes;
	size_t n_nodes;
	struct ham_cluster **members; /* live members, in join order */
	size_t n;
	struct fake_ev *head, *tail;
	uint64_t ring_seq;
	bool hold_quorum;
	struct fake_ev *held_head, *held_tail; /* quorum answers not yet given */
	struct node_votes *votes;
	size_t n_votes;
	size_t send_window; /* 0: corosync takes everything */
	char *cipher, *hash;
};

struct fake_member {
	struct ham_fake_net *net;
	int part; /* partition: members see only members of the same one */
	int fail_err;       /* the next fail_count sends fail with this */
	unsigned fail_count;
	unsigned fail_skip; /* sends that succeed before fail_count fail */
};

static int part_of(const struct ham_cluster *c)
{
	return ((const struct fake_member *)c->be_data)->part;
}

static void ev_append(struct fake_ev **head, struct fake_ev **tail, struct fake_ev *ev)
{
	if (*tail)
		(*tail)->next = ev;
	else
		*head = ev;
	*tail = ev;
}

/* Addresses an event to the live members of partition part. */
static void ev_address(struct ham_fake_net *net, struct fake_ev *ev, int part)
{
	size_t i;

	ev->to = ham_newa0(struct ham_cluster *, net->n ? net->n : 1);
	for (i = 0; i < net->n; i++)
		if (part_of(net->members[i]) == part)
			ev->to[ev->n_to++] = net->members[i];
}

/* Queues an event for the live members of partition part. */
static void ev_push(struct ham_fake_net *net, struct fake_ev *ev, int part)
{
	ev_address(net, ev, part);
	ev_append(&net->head, &net->tail, ev);
}

static void ev_free(struct fake_ev *ev)
{
	free(ev->to);
	free(ev->buf);
	free(ev->members);
	free(ev->left);
	free(ev->joined);
	free(ev->ring_nodes);
	free(ev);
}

/* The members of partition part (part < 0: every live member). */
static struct ham_member *member_list(struct ham_fake_net *net, int part, size_t *ret_n)
{
	struct ham_member *m = ham_newa0(struct ham_member, net->n ? net->n : 1);
	size_t i, k = 0;

	for (i = 0; i < net->n; i++) {
		if (part >= 0 && part_of(net->members[i]) != part)
			continue;
		m[k].nodeid = net->members[i]->nodeid;
		m[k].pid = net->members[i]->pid;
		k++;
	}
	*ret_n = k;
	return m;
}

static uint32_t node_votes(const struct ham_fake_net *net, uint32_t nodeid)
{
	size_t i;

	for (i = 0; i < net->n_votes; i++)
		if (net->votes[i].nodeid == nodeid)
			return net->votes[i].votes;
	return 1;
}

/*
 * After a configuration change of partition part (part < 0: everyone): the
 * new ring (CPG's totem change), then votequorum's answer for it: the votes
 * of the distinct nodes in it, against a majority of the expected votes.
 * The answer waits while quorum is held.
 */
static void queue_ring(struct ham_fake_net *net, int part)
{
	struct fake_ev *ring = ham_new0(struct fake_ev), *q = ham_new0(struct fake_ev);
	size_t i, k;
	uint64_t votes = 0;

	ring->kind = EV_RING;
	ring->ring_seq = ++net->ring_seq;
	ring->ring_nodes = ham_newa0(uint32_t, net->n ? net->n : 1);
	for (i = 0; i < net->n; i++) {
		uint32_t id = net->members[i]->nodeid;

		if (part >= 0 && part_of(net->members[i]) != part)
			continue;
		for (k = 0; k < ring->n_ring_nodes; k++)
			if (ring->ring_nodes[k] == id)
				break;
		if (k < ring->n_ring_nodes)
			continue;
		ring->ring_nodes[ring->n_ring_nodes++] = id;
		votes += node_votes(net, id);
		if (ring->ring_node == 0 || id < ring->ring_node)
			ring->ring_node = id;
	}
	q->kind = EV_QUORUM;
	q->ring_node = ring->ring_node;
	q->ring_seq = ring->ring_seq;
	q->votes = (uint32_t)votes;
	q->expected = net->expected;
	q->quorate = votes * 2 > net->expected;
	ev_push(net, ring, part < 0 ? 0 : part);
	if (net->hold_quorum) {
		ev_address(net, q, part < 0 ? 0 : part);
		ev_append(&net->held_head, &net->held_tail, q);
	} else {
		ev_push(net, q, part < 0 ? 0 : part);
	}
}

static void queue_confchg(struct ham_fake_net *net, struct ham_cluster *who, uint32_t reason,
			  bool joining)
{
	struct fake_ev *ev = ham_new0(struct fake_ev);
	struct ham_member *one = ham_new0(struct ham_member);

	ev->kind = EV_CONFCHG;
	one->nodeid = who->nodeid;
	one->pid = who->pid;
	one->reason = reason;
	if (joining) {
		ev->joined = one;
		ev->n_joined = 1;
	} else {
		ev->left = one;
		ev->n_left = 1;
	}
	ev->members = member_list(net, part_of(who), &ev->n_members);
	ev_push(net, ev, part_of(who));
	queue_ring(net, part_of(who));
}

static void net_remove(struct ham_fake_net *net, struct ham_cluster *c)
{
	size_t i;

	for (i = 0; i < net->n; i++) {
		if (net->members[i] == c) {
			memmove(&net->members[i], &net->members[i + 1],
				(net->n - i - 1) * sizeof(*net->members));
			net->n--;
			return;
		}
	}
}

static int fake_send(struct ham_cluster *c, const void *buf, size_t len)
{
	struct fake_member *fm = c->be_data;
	struct fake_ev *ev;

	if (c->dead || fm->net == NULL)
		return -ENOTCONN;
	if (fm->fail_skip > 0) {
		fm->fail_skip--;
	} else if (fm->fail_count > 0) {
		fm->fail_count--;
		return fm->fail_err;
	}
	if (fm->net->send_window > 0) {
		size_t queued = 0;

		for (ev = fm->net->head; ev; ev = ev->next)
			queued += ev->kind == EV_MSG;
		if (queued >= fm->net->send_window)
			return -EAGAIN;
	}
	ev = ham_new0(struct fake_ev);
	ev->kind = EV_MSG;
	ev->nodeid = c->nodeid;
	ev->pid = c->pid;
	ev->buf = ham_malloc(len ? len : 1);
	memcpy(ev->buf, buf, len);
	ev->len = len;
	ev_push(fm->net, ev, fm->part);
	return 0;
}

static char *fake_name(struct ham_cluster *c)
{
	struct fake_member *fm = c->be_data;

	return fm->net ? ham_strdup(fm->net->name) : NULL;
}

static int fake_nodes(struct ham_cluster *c, struct ham_cluster_node **ret, size_t *ret_n)
{
	struct fake_member *fm = c->be_data;
	struct ham_cluster_node *n;
	size_t i;

	if (fm->net == NULL)
		return -ENOTCONN;
	n = ham_newa0(struct ham_cluster_node, fm->net->n_nodes ? fm->net->n_nodes : 1);
	for (i = 0; i < fm->net->n_nodes; i++) {
		n[i].nodeid = fm->net->nodes[i].nodeid;
		n[i].name = ham_strdup(fm->net->nodes[i].name);
	}
	*ret = n;
	*ret_n = fm->net->n_nodes;
	return 0;
}

static uint32_t fake_token_ms(struct ham_cluster *c)
{
	return 1000;
}

static void forget_in(struct fake_ev *ev, struct ham_cluster *c)
{
	size_t i;

	for (; ev; ev = ev->next)
		for (i = 0; i < ev->n_to; i++)
			if (ev->to[i] == c)
				ev->to[i] = NULL;
}

static void forget_member(struct ham_fake_net *net, struct ham_cluster *c)
{
	/* A freed handle must not be a recipient of queued events. */
	forget_in(net->head, c);
	forget_in(net->held_head, c);
}

static size_t fake_max_fragment(struct ham_cluster *c)
{
	return HAM_MSG_MAX_FRAGMENT;
}

static int fake_crypto(struct ham_cluster *c, char **ret_cipher, char **ret_hash)
{
	struct fake_member *fm = c->be_data;

	if (fm->net == NULL)
		return -ENOTCONN;
	*ret_cipher = fm->net->cipher ? ham_strdup(fm->net->cipher) : NULL;
	*ret_hash = fm->net->hash ? ham_strdup(fm->net->hash) : NULL;
	return 0;
}

static void fake_free(struct ham_cluster *c)
{
	struct fake_member *fm = c->be_data;

	if (fm->net) {
		if (!c->dead) {
			net_remove(fm->net, c);
			queue_confchg(fm->net, c, HAM_REASON_LEAVE, false);
		}
		forget_member(fm->net, c);
	}
	free(fm);
}

static const struct cluster_backend fake_backend = {
	.send = fake_send,
	.name = fake_name,
	.nodes = fake_nodes,
	.token_ms = fake_token_ms,
	.max_fragment = fake_max_fragment,
	.crypto = fake_crypto,
	.free = fake_free,
};

ham_fake_net *ham_fake_net_new(uint32_t expected_votes, const char *cluster_name)
{
	ham_fake_net *net = ham_new0(ham_fake_net);

	net->expected = expected_votes;
	net->name = ham_strdup(cluster_name ? cluster_name : "fake");
	net->cipher = ham_strdup("aes256");
	net->hash = ham_strdup("sha256");
	return net;
}

void ham_fake_net_add_node(ham_fake_net *net, uint32_t nodeid, const char *name)
{
	net->nodes = ham_reallocarray(net->nodes, net->n_nodes + 1, sizeof(*net->nodes));
	net->nodes[net->n_nodes].nodeid = nodeid;
	net->nodes[net->n_nodes].name = ham_strdup(name);
	net->n_nodes++;
}

ham_fake_net *ham_fake_net_free(ham_fake_net *net)
{
	size_t i;

	if (net == NULL)
		return NULL;
	while (net->head) {
		struct fake_ev *ev = net->head;

		net->head = ev->next;
		ev_free(ev);
	}
	while (net->held_head) {
		struct fake_ev *ev = net->held_head;

		net->held_head = ev->next;
		ev_free(ev);
	}
	free(net->votes);
	free(net->cipher);
	free(net->hash);
	for (i = 0; i < net->n; i++)
		((struct fake_member *)net->members[i]->be_data)->net = NULL;
	free(net->members);
	ham_cluster_nodes_free(net->nodes, net->n_nodes);
	free(net->name);
	free(net);
	return NULL;
}

int ham_fake_connect(ham_fake_net *net, uint32_t nodeid, uint32_t pid,
		     const struct ham_cluster_callbacks *cb, void *ud, ham_cluster **ret)
{
	struct fake_member *fm = ham_new0(struct fake_member);
	struct ham_cluster *c = cluster_new(&fake_backend, fm, cb, ud);

	fm->net = net;
	c->nodeid = nodeid;
	c->pid = pid;
	net->members = ham_reallocarray(net->members, net->n + 1, sizeof(*net->members));
	net->members[net->n++] = c;
	queue_confchg(net, c, HAM_REASON_JOIN, true);
	*ret = c;
	return 0;
}

void ham_fake_crash(ham_cluster *c)
{
	struct fake_member *fm = c->be_data;

	if (c->dead || fm->net == NULL)
		return;
	c->dead = true;
	net_remove(fm->net, c);
	queue_confchg(fm->net, c, HAM_REASON_NODEDOWN, false);
	forget_member(fm->net, c);
}

void ham_fake_inject_raw(ham_fake_net *net, uint32_t nodeid, const void *buf, size_t len)
{
	struct fake_ev *ev = ham_new0(struct fake_ev);
	size_t i;

	ev->kind = EV_MSG;
	ev->nodeid = nodeid;
	for (i = 0; i < net->n; i++)
		if (net->members[i]->nodeid == nodeid)
			ev->pid = net->members[i]->pid;
	ev->buf = ham_malloc(len ? len : 1);
	if (len)
		memcpy(ev->buf, buf, len);
	ev->len = len;
	{
		int part = 0;

		for (i = 0; i < net->n; i++)
			if (net->members[i]->nodeid == nodeid)
				part = part_of(net->members[i]);
		ev_push(net, ev, part);
	}
}

size_t ham_fake_net_run(ham_fake_net *net)
{
	size_t count = 0, i;

	while (net->head) {
		struct fake_ev *ev = net->head;

		net->head = ev->next;
		if (net->head == NULL)
			net->tail = NULL;
		for (i = 0; i < ev->n_to; i++) {
			struct ham_cluster *c = ev->to[i];

			if (c == NULL || c->dead)
				continue;
			switch (ev->kind) {
			case EV_MSG:
				cluster_receive(c, ev->nodeid, ev->pid, ev->buf, ev->len);
				break;
			case EV_CONFCHG:
				cluster_membership(c, ev->members, ev->n_members, ev->left,
						   ev->n_left, ev->joined, ev->n_joined);
				break;
			case EV_RING:
				cluster_ring(c, ev->ring_node, ev->ring_seq, ev->ring_nodes,
					     ev->n_ring_nodes);
				break;
			case EV_QUORUM:
				cluster_quorum(c, ev->ring_node, ev->ring_seq, ev->quorate,
					       ev->votes, ev->expected);
				break;
			}
		}
		ev_free(ev);
		count++;
	}
	return count;
}

/* One side's view change: `leave` lists who it loses, or who it gains. */
static void queue_split_confchg(ham_fake_net *net, int part, int other, bool joining)
{
	struct fake_ev *ev = ham_new0(struct fake_ev);
	struct ham_member *o;
	size_t n_o, i;

	ev->kind = EV_CONFCHG;
	o = member_list(net, other, &n_o);
	for (i = 0; i < n_o; i++)
		o[i].reason = joining ? HAM_REASON_NODEUP : HAM_REASON_NODEDOWN;
	if (joining) {
		ev->joined = o;
		ev->n_joined = n_o;
		ev->members = member_list(net, -1, &ev->n_members);
	} else {
		ev->left = o;
		ev->n_left = n_o;
		ev->members = member_list(net, part, &ev->n_members);
	}
	ev_push(net, ev, part);
}

void ham_fake_net_partition(ham_fake_net *net, const uint32_t *nodeids, size_t n)
{
	size_t i, j;

	for (i = 0; i < net->n; i++) {
		struct fake_member *fm = net->members[i]->be_data;

		fm->part = 0;
		for (j = 0; j < n; j++)
			if (net->members[i]->nodeid == nodeids[j])
				fm->part = 1;
	}
	queue_split_confchg(net, 0, 1, false);
	queue_ring(net, 0);
	queue_split_confchg(net, 1, 0, false);
	queue_ring(net, 1);
}

void ham_fake_net_heal(ham_fake_net *net)
{
	size_t i;

	queue_split_confchg(net, 0, 1, true);
	queue_split_confchg(net, 1, 0, true);
	for (i = 0; i < net->n; i++)
		((struct fake_member *)net->members[i]->be_data)->part = 0;
	/* one ring again, the same for both former sides */
	queue_ring(net, -1);
}

void ham_fake_net_hold_quorum(ham_fake_net *net, bool hold)
{
	net->hold_quorum = hold;
	if (hold || net->held_head == NULL)
		return;
	ev_append(&net->head, &net->tail, net->held_head);
	net->tail = net->held_tail;
	net->held_head = net->held_tail = NULL;
}

void ham_fake_net_set_votes(ham_fake_net *net, uint32_t nodeid, uint32_t votes)
{
	size_t i;

	for (i = 0; i < net->n_votes; i++) {
		if (net->votes[i].nodeid == nodeid) {
			net->votes[i].votes = votes;
			return;
		}
	}
	net->votes = ham_reallocarray(net->votes, net->n_votes + 1, sizeof(*net->votes));
	net->votes[net->n_votes].nodeid = nodeid;
	net->votes[net->n_votes].votes = votes;
	net->n_votes++;
}

void ham_fake_net_set_crypto(ham_fake_net *net, const char *cipher, const char *hash)
{
	free(net->cipher);
	free(net->hash);
	net->cipher = cipher ? ham_strdup(cipher) : NULL;
	net->hash = hash ? ham_strdup(hash) : NULL;
}

void ham_fake_net_set_send_window(ham_fake_net *net, size_t max_queued)
{
	net->send_window = max_queued;
}

void ham_fake_fail_sends(ham_cluster *c, int err, unsigned count)
{
	struct fake_member *fm = c->be_data;

	fm->fail_err = err;
	fm->fail_count = count;
	fm->fail_skip = 0;
}

void ham_fake_fail_sends_after(ham_cluster *c, unsigned skip, int err, unsigned count)
{
	struct fake_member *fm = c->be_data;

	fm->fail_err = err;
	fm->fail_count = count;
	fm->fail_skip = skip;
}
