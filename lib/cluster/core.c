/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/cluster/core.c: what both backends share: sending with the header, in
 * fragments, through a bounded retry queue; the receive checks (per-sender
 * sequence order, gaps resynchronised) and reassembly; the membership and
 * quorum bookkeeping that tells whether votequorum's answer is for the
 * current membership.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hamgr/common.h>
#include "internal.h"

/* Bytes a single ham_cluster_send() or ham_cluster_flush() hands to corosync. */
#define SEND_BUDGET_BYTES (4u * 1024u * 1024u)

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

/* ---- quorum for the current membership -------------------------------- */

static bool id_in(const uint32_t *ids, size_t n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/*
 * votequorum answers for a ring; CPG reports that ring and, separately, the
 * group's change that it caused, in an order between the two connections
 * that nobody promises. The answer is current when it is for the ring CPG
 * last reported and the group agrees with that ring: every member's node is
 * in it, and no node CPG has since lost is.
 */
static bool quorum_current(const struct ham_cluster *c)
{
	size_t i;

	if (!c->have_quorum || !c->have_ring)
		return false;
	if (c->q_ring_node != c->ring_node || c->q_ring_seq != c->ring_seq)
		return false;
	for (i = 0; i < c->n_group_nodes; i++)
		if (!id_in(c->ring_nodes, c->n_ring_nodes, c->group_nodes[i]))
			return false;
	for (i = 0; i < c->n_down; i++)
		if (id_in(c->ring_nodes, c->n_ring_nodes, c->down[i]))
			return false;
	return true;
}

static void quorum_report(struct ham_cluster *c, bool changed)
{
	bool now = quorum_current(c);

	if (now != c->q_current) {
		qb_log(LOG_INFO, "Quorum %s for ring %u/%llu (votequorum answered for %u/%llu)",
		       now ? "known" : "not yet known", c->ring_node,
		       (unsigned long long)c->ring_seq, c->q_ring_node,
		       (unsigned long long)c->q_ring_seq);
		c->q_current = now;
		changed = true;
	}
	if (changed && c->have_quorum && c->cb.quorum)
		c->cb.quorum(c->ud, c->quorate, c->votes, c->expected);
}

bool ham_cluster_quorum_current(const ham_cluster *c)
{
	return c->q_current;
}

void cluster_ring(struct ham_cluster *c, uint32_t ring_node, uint64_t ring_seq,
		  const uint32_t *nodes, size_t n)
{
	c->have_ring = true;
	c->ring_node = ring_node;
	c->ring_seq = ring_seq;
	free(c->ring_nodes);
	c->ring_nodes = ham_newa0(uint32_t, n ? n : 1);
	if (n > 0)
		memcpy(c->ring_nodes, nodes, n * sizeof(*nodes));
	c->n_ring_nodes = n;
	/* This ring includes every loss CPG reported before it. */
	c->n_down = 0;
	quorum_report(c, false);
}

void cluster_quorum(struct ham_cluster *c, uint32_t ring_node, uint64_t ring_seq, bool quorate,
		    uint32_t votes, uint32_t expected)
{
	bool changed = !c->have_quorum || quorate != c->quorate || votes != c->votes ||
		       expected != c->expected;

	c->have_quorum = true;
	c->q_ring_node = ring_node;
	c->q_ring_seq = ring_seq;
	c->quorate = quorate;
	c->votes = votes;
	c->expected = expected;
	quorum_report(c, changed);
}

static void group_update(struct ham_cluster *c, const struct ham_member *members, size_t n,
			 const struct ham_member *left, size_t n_left,
			 const struct ham_member *joined, size_t n_joined)
{
	size_t i, k;

	free(c->group_nodes);
	c->group_nodes = ham_newa0(uint32_t, n ? n : 1);
	for (i = 0; i < n; i++)
		c->group_nodes[i] = members[i].nodeid;
	c->n_group_nodes = n;
	for (i = 0; i < n_left; i++) {
		if (left[i].reason != HAM_REASON_NODEDOWN || id_in(c->down, c->n_down, left[i].nodeid))
			continue;
		c->down = ham_reallocarray(c->down, c->n_down + 1, sizeof(*c->down));
		c->down[c->n_down++] = left[i].nodeid;
	}
	for (i = 0; i < n_joined; i++)
		for (k = 0; k < c->n_down; k++)
			if (c->down[k] == joined[i].nodeid)
				c->down[k--] = c->down[--c->n_down];
}

/* ---- receive: sequence order and reassembly ---------------------------- */

static struct peer_seq *peer_find(struct ham_cluster *c, uint32_t nodeid, uint32_t pid)
{
	size_t i;

	for (i = 0; i < c->n_peers; i++)
		if (c->peers[i].nodeid == nodeid && c->peers[i].pid == pid)
			return &c->peers[i];
	return NULL;
}

static void ra_drop(struct ham_cluster *c, struct peer_seq *p, const char *why)
{
	if (p->ra_buf == NULL)
		return;
	qb_log(LOG_WARNING, "Dropped a partial %s from node %u pid %u (%zu of %llu bytes): %s",
	       ham_msg_type_name(p->ra_type), p->nodeid, p->pid, p->ra_len,
	       (unsigned long long)p->ra_total, why);
	c->stats.reassembly_bytes -= p->ra_cap;
	free(p->ra_buf);
	p->ra_buf = NULL;
	p->ra_len = p->ra_cap = 0;
	p->ra_total = 0;
}

static struct peer_seq *peer_add(struct ham_cluster *c, uint32_t nodeid, uint32_t pid, bool known)
{
	struct peer_seq *p = peer_find(c, nodeid, pid);

	if (p == NULL) {
		c->peers = ham_reallocarray(c->peers, c->n_peers + 1, sizeof(*c->peers));
		p = &c->peers[c->n_peers++];
		memset(p, 0, sizeof(*p));
		p->nodeid = nodeid;
		p->pid = pid;
	}
	ra_drop(c, p, "the sender joined again");
	p->last = 0;
	p->known = known;
	return p;
}

static void peer_del(struct ham_cluster *c, uint32_t nodeid, uint32_t pid)
{
	struct peer_seq *p = peer_find(c, nodeid, pid);

	if (p != NULL) {
		ra_drop(c, p, "the sender left the group");
		*p = c->peers[--c->n_peers];
	}
}

/*
 * Takes seq as the sender's current number. Returns false when the message
 * must be dropped (a number already seen: a replay); a gap is logged and
 * then followed, so that one lost message never stops the next ones.
 */
static bool seq_advance(struct ham_cluster *c, struct peer_seq *p, uint64_t seq, const char *what)
{
	if (p->known && seq != p->last + 1) {
		if (seq <= p->last) {
			qb_log(LOG_WARNING, "Dropped %s from node %u pid %u: sequence %llu after %llu "
			       "(replayed); following it from here", what, p->nodeid, p->pid,
			       (unsigned long long)seq, (unsigned long long)p->last);
			p->last = seq;
			ra_drop(c, p, "its sequence went back");
			return false;
		}
		c->stats.gaps++;
		qb_log(LOG_WARNING, "Sequence gap from node %u pid %u: %llu message(s) before %s %llu "
		       "never arrived; resynchronised", p->nodeid, p->pid,
		       (unsigned long long)(seq - p->last - 1), what, (unsigned long long)seq);
		ra_drop(c, p, "a fragment of it was lost");
	}
	p->known = true;
	p->last = seq;
	return true;
}

static void deliver(struct ham_cluster *c, const struct ham_member *sender,
		    const struct ham_msg *m)
{
	c->stats.delivered++;
	if (c->cb.deliver)
		c->cb.deliver(c->ud, sender, m);
}

/* Adds a fragment's data to p's reassembly; false if it cannot be held. */
static bool ra_append(struct ham_cluster *c, struct peer_seq *p, const uint8_t *data, size_t len)
{
	size_t need = p->ra_len + len, cap;

	if (need > p->ra_total)
		return false;
	if (need > p->ra_cap) {
		cap = p->ra_cap ? p->ra_cap : HAM_MSG_MAX_FRAGMENT;
		while (cap < need)
			cap *= 2;
		if (cap > p->ra_total)
			cap = (size_t)p->ra_total;
		if (c->stats.reassembly_bytes - p->ra_cap + cap > HAM_CLUSTER_REASSEMBLY_MAX_BYTES)
			return false;
		p->ra_buf = ham_realloc(p->ra_buf, cap);
		c->stats.reassembly_bytes += cap - p->ra_cap;
		p->ra_cap = cap;
	}
	memcpy(p->ra_buf + p->ra_len, data, len);
	p->ra_len = need;
	return true;
}

static uint64_t get_le64(const uint8_t *b)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static void receive_fragment(struct ham_cluster *c, struct peer_seq *p,
			     const struct ham_member *sender, const struct ham_msg *m)
{
	const uint8_t *data = m->payload;
	size_t len = m->length;
	struct ham_msg whole;

	if (m->flags & HAM_MSG_F_FIRST) {
		uint64_t total = get_le64(data);

		ra_drop(c, p, "a new message started before it ended");
		data += 8;
		len -= 8;
		if (total > HAM_MSG_MAX_PAYLOAD || total < len) {
			c->stats.dropped++;
			qb_log(LOG_WARNING, "Dropped a %s from node %u pid %u: announced size %llu "
			       "out of bounds", ham_msg_type_name(m->type), p->nodeid, p->pid,
			       (unsigned long long)total);
			return;
		}
		p->ra_buf = ham_malloc(1);
		p->ra_total = total;
		p->ra_type = m->type;
	} else if (p->ra_buf == NULL) {
		/* We joined in the middle of it, or its start was lost (logged). */
		c->stats.dropped++;
		qb_log(LOG_DEBUG, "Dropped a fragment of a %s from node %u pid %u whose start we "
		       "did not see", ham_msg_type_name(m->type), p->nodeid, p->pid);
		return;
	} else if (m->type != p->ra_type) {
		c->stats.dropped++;
		ra_drop(c, p, "a fragment of another type followed");
		return;
	}
	if (!ra_append(c, p, data, len)) {
		c->stats.dropped++;
		ra_drop(c, p, p->ra_len + len > p->ra_total ? "more data than announced" :
			"the reassembly memory bound (HAM_CLUSTER_REASSEMBLY_MAX_BYTES) is reached");
		return;
	}
	if (!(m->flags & HAM_MSG_F_LAST))
		return;
	if (p->ra_len != p->ra_total) {
		c->stats.dropped++;
		ra_drop(c, p, "its last fragment came before all its data");
		return;
	}
	whole = *m;
	whole.flags = 0;
	whole.length = (uint32_t)p->ra_total;
	whole.payload = p->ra_buf;
	/* Ownership stays with p until after the callback. */
	deliver(c, sender, &whole);
	p = peer_find(c, sender->nodeid, sender->pid);
	if (p != NULL && p->ra_buf == whole.payload) {
		c->stats.reassembly_bytes -= p->ra_cap;
		free(p->ra_buf);
		p->ra_buf = NULL;
		p->ra_len = p->ra_cap = 0;
		p->ra_total = 0;
	}
}

void cluster_receive(struct ham_cluster *c, uint32_t nodeid, uint32_t pid,
		     const void *buf, size_t len)
{
	struct ham_member sender = { .nodeid = nodeid, .pid = pid };
	struct peer_seq *p;
	const char *why = NULL;
	struct ham_msg m;
	uint64_t seq;

	p = peer_find(c, nodeid, pid);
	if (p == NULL)
		p = peer_add(c, nodeid, pid, false);
	if (ham_msg_decode(buf, len, nodeid, &m, &why) != 0) {
		c->stats.dropped++;
		qb_log(LOG_WARNING, "Dropped a message from node %u pid %u (%zu bytes): %s",
		       nodeid, pid, len, why);
		/* Its number still counts: the next one is not a gap. */
		if (ham_msg_peek_seq(buf, len, nodeid, &seq) == 0)
			seq_advance(c, p, seq, "an undecodable message");
		ra_drop(c, p, "a message of the sender could not be decoded");
		return;
	}
	if (!seq_advance(c, p, m.seq, ham_msg_type_name(m.type))) {
		c->stats.dropped++;
		return;
	}
	if (m.flags & HAM_MSG_F_FRAG) {
		receive_fragment(c, p, &sender, &m);
		return;
	}
	ra_drop(c, p, "a whole message came in the middle of it");
	deliver(c, &sender, &m);
}

void cluster_membership(struct ham_cluster *c, const struct ham_member *members, size_t n,
			const struct ham_member *left, size_t n_left,
			const struct ham_member *joined, size_t n_joined)
{
	bool was = c->q_current;
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
	group_update(c, members, n, left, n_left, joined, n_joined);
	c->q_current = quorum_current(c);
	if (c->q_current != was)
		qb_log(LOG_INFO, "Quorum %s for the group's new membership (ring %u/%llu)",
		       c->q_current ? "known" : "not yet known", c->ring_node,
		       (unsigned long long)c->ring_seq);
	if (c->cb.membership)
		c->cb.membership(c->ud, members, n, left, n_left, joined, n_joined);
	if (c->q_current != was && c->have_quorum && c->cb.quorum)
		c->cb.quorum(c->ud, c->quorate, c->votes, c->expected);
}

/* ---- send: fragments and the bounded queue ----------------------------- */

static size_t frag_size(struct ham_cluster *c)
{
	size_t f = c->be->max_fragment ? c->be->max_fragment(c) : HAM_MSG_MAX_FRAGMENT;

	return f > HAM_MSG_MAX_FRAGMENT ? HAM_MSG_MAX_FRAGMENT : f < 64 ? 64 : f;
}

/* How many transport messages a payload of len bytes takes. */
static uint64_t frag_count(size_t len, size_t f)
{
	if (len <= f)
		return 1;
	return 1 + (len - (f - 8) + f - 1) / f;
}

/*
 * Sends q's next fragments, up to *budget bytes. Returns 0 when all of it
 * is sent, -EAGAIN when corosync asks to wait or the budget is spent, or
 * another negative code.
 */
static int send_some(struct ham_cluster *c, struct queued_msg *q, size_t *budget)
{
	size_t f = frag_size(c);
	bool whole = q->len <= f;

	do {
		uint8_t total[8];
		size_t head = 0, chunk;
		uint32_t flags = 0;
		void *buf;
		size_t blen;
		int r, i;

		if (*budget == 0)
			return -EAGAIN;
		if (!whole) {
			flags = HAM_MSG_F_FRAG;
			if (q->off == 0) {
				flags |= HAM_MSG_F_FIRST;
				for (i = 0; i < 8; i++)
					total[i] = (uint8_t)((uint64_t)q->len >> (8 * i));
				head = 8;
			}
		}
		chunk = q->len - q->off;
		if (chunk > f - head)
			chunk = f - head;
		if (!whole && q->off + chunk == q->len)
			flags |= HAM_MSG_F_LAST;
		r = ham_msg_encode_parts(q->type, c->nodeid, q->next_seq, flags, total, head,
					 q->payload + q->off, chunk, &buf, &blen);
		if (r < 0)
			return r;
		r = c->be->send(c, buf, blen);
		free(buf);
		if (r < 0)
			return r;
		q->off += chunk;
		q->next_seq++;
		*budget = *budget > blen ? *budget - blen : 0;
	} while (q->off < q->len);
	return 0;
}

static void queue_free(struct ham_cluster *c, struct queued_msg *q)
{
	c->q_bytes -= q->len;
	free(q->payload);
	free(q);
}

int ham_cluster_send(ham_cluster *c, uint16_t type, const void *payload, size_t len,
		     uint64_t *ret_seq)
{
	struct queued_msg first = { 0 }, *q;
	size_t budget = SEND_BUDGET_BYTES;
	uint64_t n, base;
	int r;

	if (c->dead)
		return -ENOTCONN;
	if (ham_msg_type_name(type) == NULL)
		return -EINVAL;
	if (len > HAM_MSG_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (c->q_bytes + len > (c->q_max ? c->q_max : HAM_CLUSTER_QUEUE_MAX_BYTES)) {
		if (!c->q_full_logged)
			qb_log(LOG_ERR, "The send queue is full (%llu bytes wait for corosync): "
			       "refusing a %s of %zu bytes and any other message that does not fit, "
			       "until corosync takes what is queued",
			       (unsigned long long)c->q_bytes, ham_msg_type_name(type), len);
		c->q_full_logged = true;
		return -ENOBUFS;
	}
	c->q_full_logged = false;
	n = frag_count(len, frag_size(c));
	first.type = type;
	first.payload = (uint8_t *)payload;
	first.len = len;
	base = c->seq;
	first.next_seq = base + 1;
	/* Keep order: nothing overtakes what is already queued. */
	if (c->q_head == NULL) {
		r = send_some(c, &first, &budget);
		/* Only what corosync took uses a number. */
		c->seq = first.next_seq - 1;
		if (r == 0) {
			if (ret_seq)
				*ret_seq = c->seq;
			return 0;
		}
		if (r != -EAGAIN) {
			/* Nothing, or a truncated train that receivers drop as such. */
			if (first.off > 0)
				qb_log(LOG_ERR, "Cannot send the rest of a %s of %zu bytes: %s",
				       ham_msg_type_name(type), len, ham_strerror(r));
			return r;
		}
	}
	/* The rest waits, with its sequence numbers taken now (in order). */
	q = ham_new0(struct queued_msg);
	q->type = type;
	q->len = len;
	q->payload = ham_malloc(len ? len : 1);
	if (len > 0)
		memcpy(q->payload, payload, len);
	q->off = first.off;
	q->next_seq = first.next_seq;
	c->seq = base + n;
	c->q_bytes += q->len;
	if (c->q_tail)
		c->q_tail->next = q;
	else
		c->q_head = q;
	c->q_tail = q;
	if (ret_seq)
		*ret_seq = c->seq;
	return 0;
}

int ham_cluster_flush(ham_cluster *c)
{
	size_t budget = SEND_BUDGET_BYTES;

	while (c->q_head) {
		struct queued_msg *q = c->q_head;
		int r = send_some(c, q, &budget);

		if (r == -EAGAIN)
			return -EAGAIN;
		if (r < 0)
			qb_log(LOG_ERR, "Cannot send a queued %s of %zu bytes (%zu sent): %s",
			       ham_msg_type_name(q->type), q->len, q->off, ham_strerror(r));
		c->q_head = q->next;
		if (c->q_head == NULL)
			c->q_tail = NULL;
		queue_free(c, q);
		if (r < 0)
			return r;
	}
	return 0;
}

void ham_cluster_set_queue_max(ham_cluster *c, uint64_t bytes)
{
	c->q_max = bytes;
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

static bool crypto_on(const char *v)
{
	return v != NULL && *v != '\0' && strcmp(v, "none") != 0;
}

int ham_cluster_crypto(ham_cluster *c, char **ret_desc)
{
	char *cipher = NULL, *hash = NULL;
	int r;

	if (c->be->crypto == NULL)
		return -ENOTSUP;
	r = c->be->crypto(c, &cipher, &hash);
	if (r < 0)
		return r;
	if (ret_desc)
		*ret_desc = ham_asprintf("crypto_cipher=%s crypto_hash=%s",
					 cipher ? cipher : "(absent)", hash ? hash : "(absent)");
	r = crypto_on(cipher) && crypto_on(hash) ? 1 : 0;
	free(cipher);
	free(hash);
	return r;
}

void ham_cluster_get_stats(const ham_cluster *c, struct ham_cluster_stats *ret)
{
	*ret = c->stats;
}

uint64_t ham_cluster_partial_bytes(const ham_cluster *c, uint32_t nodeid, uint32_t pid,
				   uint16_t type)
{
	size_t i;

	for (i = 0; i < c->n_peers; i++)
		if (c->peers[i].nodeid == nodeid && c->peers[i].pid == pid)
			return c->peers[i].ra_buf && c->peers[i].ra_type == type ?
			       c->peers[i].ra_len : 0;
	return 0;
}

ham_cluster *ham_cluster_free(ham_cluster *c)
{
	if (c == NULL)
		return NULL;
	while (c->q_head) {
		struct queued_msg *q = c->q_head;

		c->q_head = q->next;
		queue_free(c, q);
	}
	if (c->be->free)
		c->be->free(c);
	while (c->n_peers > 0)
		peer_del(c, c->peers[0].nodeid, c->peers[0].pid);
	free(c->peers);
	free(c->ring_nodes);
	free(c->group_nodes);
	free(c->down);
	free(c);
	return NULL;
}
