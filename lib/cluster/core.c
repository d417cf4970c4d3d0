/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/cluster/core.c: what both backends share: sending with the header and
 * a retry queue, the receive checks (including per-sender sequence order),
 * and the membership bookkeeping behind the callbacks.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hamgr/common.h>
#include "internal.h"

struct ham_cluster *cluster_new(const struct cluster_backend *be, void *be_data,
				const struct ham_cluster_callbacks *cb, void *ud)
{
	struct ham_cluster *c = ham_new0(struct ham_cluster);

	c->be = be;
	c->be_data = be_data;
	c->cb = *cb;
	c->ud = ud;
	return c;
}

static struct peer_seq *peer_find(struct ham_cluster *c, uint32_t nodeid, uint32_t pid)
{
	size_t i;

	for (i = 0; i < c->n_peers; i++)
		if (c->peers[i].nodeid == nodeid && c->peers[i].pid == pid)
			return &c->peers[i];
	return NULL;
}

static struct peer_seq *peer_add(struct ham_cluster *c, uint32_t nodeid, uint32_t pid, bool known)
{
	struct peer_seq *p = peer_find(c, nodeid, pid);

	if (p == NULL) {
		c->peers = ham_reallocarray(c->peers, c->n_peers + 1, sizeof(*c->peers));
		p = &c->peers[c->n_peers++];
		p->nodeid = nodeid;
		p->pid = pid;
	}
	p->last = 0;
	p->known = known;
	return p;
}

static void peer_del(struct ham_cluster *c, uint32_t nodeid, uint32_t pid)
{
	struct peer_seq *p = peer_find(c, nodeid, pid);

	if (p != NULL)
		*p = c->peers[--c->n_peers];
}

void cluster_receive(struct ham_cluster *c, uint32_t nodeid, uint32_t pid,
		     const void *buf, size_t len)
{
	struct ham_member sender = { .nodeid = nodeid, .pid = pid };
	struct peer_seq *p;
	const char *why = NULL;
	struct ham_msg m;

	if (ham_msg_decode(buf, len, nodeid, &m, &why) != 0) {
		c->stats.dropped++;
		qb_log(LOG_WARNING, "Dropped a message from node %u pid %u (%zu bytes): %s",
		       nodeid, pid, len, why);
		return;
	}
	p = peer_find(c, nodeid, pid);
	if (p == NULL)
		p = peer_add(c, nodeid, pid, false);
	if (p->known && m.seq != p->last + 1) {
		c->stats.dropped++;
		qb_log(LOG_WARNING, "Dropped %s from node %u pid %u: sequence %llu, expected %llu",
		       ham_msg_type_name(m.type), nodeid, pid, (unsigned long long)m.seq,
		       (unsigned long long)(p->last + 1));
		return;
	}
	p->known = true;
	p->last = m.seq;
	c->stats.delivered++;
	if (c->cb.deliver)
		c->cb.deliver(c->ud, &sender, &m);
}

void cluster_membership(struct ham_cluster *c, const struct ham_member *members, size_t n,
			const struct ham_member *left, size_t n_left,
			const struct ham_member *joined, size_t n_joined)
{
	size_t i;

	for (i = 0; i < n_left; i++)
		peer_del(c, left[i].nodeid, left[i].pid);
	/*
	 * A joiner may have sent messages before (in a partition of its own,
	 * or alone before two groups merged): take its next number as it comes,
	 * then hold it to +1 steps.
	 */
	for (i = 0; i < n_joined; i++)
		peer_add(c, joined[i].nodeid, joined[i].pid, false);
	if (c->cb.membership)
		c->cb.membership(c->ud, members, n, left, n_left, joined, n_joined);
}

int ham_cluster_send(ham_cluster *c, uint16_t type, const void *payload, size_t len,
		     uint64_t *ret_seq)
{
	struct queued_msg *q;
	void *buf;
	size_t blen;
	int r;

	if (c->dead)
		return -ENOTCONN;
	r = ham_msg_encode(type, c->nodeid, c->seq + 1, payload, len, &buf, &blen);
	if (r < 0)
		return r;
	c->seq++;
	if (ret_seq)
		*ret_seq = c->seq;
	/* Keep order: nothing overtakes what is already queued. */
	if (c->q_head == NULL) {
		r = c->be->send(c, buf, blen);
		if (r == 0) {
			free(buf);
			return 0;
		}
		if (r != -EAGAIN) {
			free(buf);
			return r;
		}
	}
	q = ham_new0(struct queued_msg);
	q->buf = buf;
	q->len = blen;
	if (c->q_tail)
		c->q_tail->next = q;
	else
		c->q_head = q;
	c->q_tail = q;
	return 0;
}

int ham_cluster_flush(ham_cluster *c)
{
	while (c->q_head) {
		struct queued_msg *q = c->q_head;
		int r = c->be->send(c, q->buf, q->len);

		if (r == -EAGAIN)
			return -EAGAIN;
		if (r < 0)
			qb_log(LOG_ERR, "Cannot send a queued message: %s", ham_strerror(r));
		c->q_head = q->next;
		if (c->q_head == NULL)
			c->q_tail = NULL;
		free(q->buf);
		free(q);
		if (r < 0)
			return r;
	}
	return 0;
}

bool ham_cluster_has_queued(const ham_cluster *c)
{
	return c->q_head != NULL;
}

size_t ham_cluster_fds(const ham_cluster *c, int *fds, size_t max)
{
	return c->be->fds ? c->be->fds(c, fds, max) : 0;
}

int ham_cluster_dispatch(ham_cluster *c, int fd)
{
	if (c->dead)
		return -ENOTCONN;
	return c->be->dispatch ? c->be->dispatch(c, fd) : 0;
}

uint32_t ham_cluster_local_nodeid(const ham_cluster *c)
{
	return c->nodeid;
}

uint32_t ham_cluster_local_pid(const ham_cluster *c)
{
	return c->pid;
}

char *ham_cluster_name(ham_cluster *c)
{
	return c->be->name ? c->be->name(c) : NULL;
}

int ham_cluster_nodes(ham_cluster *c, struct ham_cluster_node **ret, size_t *ret_n)
{
	return c->be->nodes ? c->be->nodes(c, ret, ret_n) : -ENOTSUP;
}

void ham_cluster_nodes_free(struct ham_cluster_node *nodes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(nodes[i].name);
	free(nodes);
}

uint32_t ham_cluster_token_ms(ham_cluster *c)
{
	return c->be->token_ms ? c->be->token_ms(c) : 0;
}

void ham_cluster_get_stats(const ham_cluster *c, struct ham_cluster_stats *ret)
{
	*ret = c->stats;
}

ham_cluster *ham_cluster_free(ham_cluster *c)
{
	if (c == NULL)
		return NULL;
	while (c->q_head) {
		struct queued_msg *q = c->q_head;

		c->q_head = q->next;
		free(q->buf);
		free(q);
	}
	if (c->be->free)
		c->be->free(c);
	free(c->peers);
	free(c);
	return NULL;
}
