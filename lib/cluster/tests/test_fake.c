/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/cluster/tests/test_fake.c: the fake transport keeps one total order
 * with membership changes, computes quorum, and the receive path drops
 * garbled and out-of-sequence messages.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hamgr/common.h>
#include <hamgr/cluster.h>

struct node {
	ham_cluster *c;
	char log[512];
	size_t n_members;
	bool quorate;
	uint32_t votes;
};

static void note(struct node *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct node *n, const char *fmt, ...)
{
	size_t l = strlen(n->log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(n->log + l, sizeof(n->log) - l, fmt, ap);
	va_end(ap);
}

static void on_deliver(void *ud, const struct ham_member *s, const struct ham_msg *m)
{
	note(ud, "m%u:%.*s ", s->nodeid, (int)m->length, (const char *)m->payload);
}

static void on_membership(void *ud, const struct ham_member *members, size_t n,
			  const struct ham_member *left, size_t n_left,
			  const struct ham_member *joined, size_t n_joined)
{
	struct node *nd = ud;

	nd->n_members = n;
	if (n_joined)
		note(nd, "+%u ", joined[0].nodeid);
	if (n_left)
		note(nd, "-%u(%u) ", left[0].nodeid, left[0].reason);
}

static void on_quorum(void *ud, bool quorate, uint32_t votes, uint32_t expected)
{
	struct node *nd = ud;

	nd->quorate = quorate;
	nd->votes = votes;
}

static const struct ham_cluster_callbacks cbs = {
	.deliver = on_deliver,
	.membership = on_membership,
	.quorum = on_quorum,
};

static void send_str(struct node *n, const char *s)
{
	assert_int_equal(ham_cluster_send(n->c, HAM_MSG_PING, s, strlen(s), NULL), 0);
}

static void test_total_order(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "t");
	struct node a = { 0 }, b = { 0 }, c = { 0 };

	assert_int_equal(ham_fake_connect(net, 1, 100, &cbs, &a, &a.c), 0);
	assert_int_equal(ham_fake_connect(net, 2, 200, &cbs, &b, &b.c), 0);
	send_str(&a, "x");
	send_str(&b, "y");
	assert_int_equal(ham_fake_connect(net, 3, 300, &cbs, &c, &c.c), 0);
	send_str(&c, "z");
	ham_fake_net_run(net);

	/* Node 3 sees only what follows its own join; all see the same order. */
	assert_string_equal(a.log, "+1 +2 m1:x m2:y +3 m3:z ");
	assert_string_equal(b.log, "+2 m1:x m2:y +3 m3:z ");
	assert_string_equal(c.log, "+3 m3:z ");
	assert_true(a.quorate);
	assert_int_equal(a.n_members, 3);
	assert_int_equal(ham_cluster_local_nodeid(b.c), 2);

	/* A crash: quorum stays with 2 of 3, lost with 1 of 3. */
	a.log[0] = b.log[0] = '\0';
	ham_fake_crash(c.c);
	ham_fake_net_run(net);
	assert_string_equal(a.log, "-3(3) ");
	assert_true(a.quorate);
	assert_int_equal(a.votes, 2);
	ham_cluster_free(b.c);
	ham_fake_net_run(net);
	assert_false(a.quorate);
	assert_int_equal(a.n_members, 1);

	ham_cluster_free(a.c);
	ham_cluster_free(c.c);
	ham_fake_net_free(net);
}

static void test_drops(void **state)
{
	ham_fake_net *net = ham_fake_net_new(2, "t");
	struct node a = { 0 }, b = { 0 };
	struct ham_cluster_stats st;
	void *buf;
	size_t len;

	assert_int_equal(ham_fake_connect(net, 1, 100, &cbs, &a, &a.c), 0);
	assert_int_equal(ham_fake_connect(net, 2, 200, &cbs, &b, &b.c), 0);
	ham_fake_net_run(net);
	a.log[0] = '\0';

	/* Garbage, a truncated message, a replay of a sequence number. */
	ham_fake_inject_raw(net, 2, "garbage", 7);
	assert_int_equal(ham_msg_encode(HAM_MSG_PING, 2, 1, "ok", 2, &buf, &len), 0);
	ham_fake_inject_raw(net, 2, buf, len - 1); /* seq 1, undecodable */
	free(buf);
	assert_int_equal(ham_msg_encode(HAM_MSG_PING, 2, 2, "ok", 2, &buf, &len), 0);
	ham_fake_inject_raw(net, 2, buf, len);
	ham_fake_inject_raw(net, 2, buf, len); /* seq 2 again */
	free(buf);
	/* Claims to be from node 1 but arrives from node 2. */
	assert_int_equal(ham_msg_encode(HAM_MSG_PING, 1, 1, "spoof", 5, &buf, &len), 0);
	ham_fake_inject_raw(net, 2, buf, len);
	free(buf);
	ham_fake_net_run(net);

	assert_string_equal(a.log, "m2:ok ");
	ham_cluster_get_stats(a.c, &st);
	assert_int_equal(st.dropped, 4);
	assert_int_equal(st.delivered, 1);

	ham_cluster_free(a.c);
	ham_cluster_free(b.c);
	ham_fake_net_free(net);
}

struct node_rx {
	ham_cluster *c;
	size_t n;
	uint64_t seq;
	uint16_t type;
	uint8_t *data;
	size_t len;
	char order[64];
};

static void rx_deliver(void *ud, const struct ham_member *s, const struct ham_msg *m)
{
	struct node_rx *r = ud;
	size_t l = strlen(r->order);

	if (l + 2 < sizeof(r->order))
		r->order[l] = m->length > 100 ? 'B' : 's';
	r->n++;
	r->seq = m->seq;
	r->type = m->type;
	if (m->length > 100) {
		free(r->data);
		r->data = malloc(m->length);
		memcpy(r->data, m->payload, m->length);
		r->len = m->length;
	}
}

static const struct ham_cluster_callbacks rx_cbs = { .deliver = rx_deliver };

static uint8_t *pattern(size_t len)
{
	uint8_t *p = malloc(len);
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)((i * 2654435761u) >> 13);
	return p;
}

/* Sends everything queued, delivering as corosync would, until the queue is empty. */
static void drain(ham_fake_net *net, ham_cluster *c)
{
	int guard = 100000;

	while (ham_cluster_has_queued(c) && guard-- > 0) {
		ham_cluster_flush(c);
		ham_fake_net_run(net);
	}
	ham_fake_net_run(net);
	assert_false(ham_cluster_has_queued(c));
}

/* A failed send uses no sequence number: the next message is no gap. */
static void test_failed_send_keeps_seq(void **state)
{
	ham_fake_net *net = ham_fake_net_new(2, "t");
	struct node a = { 0 }, b = { 0 };
	struct ham_cluster_stats st;
	uint64_t seq = 0;

	assert_int_equal(ham_fake_connect(net, 1, 100, &cbs, &a, &a.c), 0);
	assert_int_equal(ham_fake_connect(net, 2, 200, &cbs, &b, &b.c), 0);
	send_str(&a, "one");
	ham_fake_fail_sends(a.c, -EINVAL, 1);
	assert_int_equal(ham_cluster_send(a.c, HAM_MSG_PING, "lost", 4, NULL), -EINVAL);
	assert_int_equal(ham_cluster_send(a.c, HAM_MSG_PING, "two", 3, &seq), 0);
	assert_int_equal(seq, 2);
	ham_fake_net_run(net);
	ham_cluster_get_stats(b.c, &st);
	assert_int_equal(st.gaps, 0);
	assert_string_equal(b.log, "+2 m1:one m1:two ");
	ham_cluster_free(a.c);
	ham_cluster_free(b.c);
	ham_fake_net_free(net);
}

static void inject_seq(ham_fake_net *net, uint32_t nodeid, uint64_t seq, uint16_t type,
		       const char *s, bool garble)
{
	void *buf;
	size_t len;

	assert_int_equal(ham_msg_encode(HAM_MSG_PING, nodeid, seq, s, strlen(s), &buf, &len), 0);
	((uint8_t *)buf)[6] = (uint8_t)type;
	if (garble)
		((uint8_t *)buf)[HAM_MSG_HEADER_SIZE] ^= 1;
	ham_fake_inject_raw(net, nodeid, buf, len);
	free(buf);
}

/*
 * An undecodable message (bad checksum, a type from a newer version) still
 * counts in its sender's sequence, and a real gap is logged and followed:
 * neither stops the sender's later messages.
 */
static void test_gap_resync(void **state)
{
	ham_fake_net *net = ham_fake_net_new(2, "t");
	struct node a = { 0 }, b = { 0 };
	struct ham_cluster_stats st;

	assert_int_equal(ham_fake_connect(net, 1, 100, &cbs, &a, &a.c), 0);
	assert_int_equal(ham_fake_connect(net, 2, 200, &cbs, &b, &b.c), 0);
	ham_fake_net_run(net);
	a.log[0] = '\0';
	inject_seq(net, 2, 1, HAM_MSG_PING, "a", false);
	inject_seq(net, 2, 2, HAM_MSG_PING, "bad", true);
	inject_seq(net, 2, 3, HAM_MSG_PING, "b", false);
	inject_seq(net, 2, 5, HAM_MSG_PING, "c", false); /* 4 never came */
	inject_seq(net, 2, 6, 99, "newer", false);
	inject_seq(net, 2, 7, HAM_MSG_PING, "d", false);
	ham_fake_net_run(net);
	assert_string_equal(a.log, "m2:a m2:b m2:c m2:d ");
	ham_cluster_get_stats(a.c, &st);
	assert_int_equal(st.gaps, 1);
	assert_int_equal(st.dropped, 2);
	assert_int_equal(st.delivered, 4);
	ham_cluster_free(a.c);
	ham_cluster_free(b.c);
	ham_fake_net_free(net);
}

/*
 * 50 MB in fragments, through corosync's TRY_AGAIN: delivered once, whole,
 * after what was sent before it and before what was sent after it, with
 * the sequence number ham_cluster_send() gave.
 */
static void test_fragments_50mb(void **state)
{
	ham_fake_net *net = ham_fake_net_new(2, "t");
	struct node_rx a = { 0 }, b = { 0 };
	size_t big = 50u * 1000u * 1000u;
	uint8_t *p = pattern(big);
	struct ham_cluster_stats st;
	uint64_t seq = 0, seq2 = 0;

	assert_int_equal(ham_fake_connect(net, 1, 100, &rx_cbs, &a, &a.c), 0);
	assert_int_equal(ham_fake_connect(net, 2, 200, &rx_cbs, &b, &b.c), 0);
	ham_fake_net_run(net);
	ham_fake_net_set_send_window(net, 3);
	assert_int_equal(ham_cluster_send(a.c, HAM_MSG_PING, "before", 6, NULL), 0);
	assert_int_equal(ham_cluster_send(a.c, HAM_MSG_CIB_SYNC, p, big, &seq), 0);
	assert_int_equal(ham_cluster_send(a.c, HAM_MSG_PING, "after", 5, &seq2), 0);
	assert_true(ham_cluster_has_queued(a.c));
	drain(net, a.c);
	assert_string_equal(b.order, "sBs");
	assert_string_equal(a.order, "sBs");
	assert_int_equal(b.type, HAM_MSG_PING);
	assert_int_equal(b.len, big);
	assert_memory_equal(b.data, p, big);
	assert_int_equal(seq2, seq + 1);
	assert_int_equal(b.seq, seq2);
	ham_cluster_get_stats(b.c, &st);
	assert_int_equal(st.gaps, 0);
	assert_int_equal(st.dropped, 0);
	assert_int_equal(st.reassembly_bytes, 0);
	free(p);
	free(a.data);
	free(b.data);
	ham_cluster_free(a.c);
	ham_cluster_free(b.c);
	ham_fake_net_free(net);
}

/* A member that joins during a train drops it; one that leaves has its partial dropped. */
static void test_fragments_join_leave(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "t");
	struct node_rx a = { 0 }, b = { 0 }, c = { 0 };
	size_t big = 3u * HAM_MSG_MAX_FRAGMENT;
	uint8_t *p = pattern(big);
	struct ham_cluster_stats st;

	assert_int_equal(ham_fake_connect(net, 1, 100, &rx_cbs, &a, &a.c), 0);
	assert_int_equal(ham_fake_connect(net, 2, 200, &rx_cbs, &b, &b.c), 0);
	ham_fake_net_run(net);
	ham_fake_net_set_send_window(net, 2);
	assert_int_equal(ham_cluster_send(a.c, HAM_MSG_CIB_SYNC, p, big, NULL), 0);
	assert_int_equal(ham_fake_connect(net, 3, 300, &rx_cbs, &c, &c.c), 0);
	drain(net, a.c);
	assert_string_equal(b.order, "B");
	assert_memory_equal(b.data, p, big);
	assert_string_equal(c.order, "");
	ham_cluster_get_stats(c.c, &st);
	assert_true(st.dropped > 0);
	assert_int_equal(st.reassembly_bytes, 0);

	/* The sender dies after two fragments: the others hold nothing of it. */
	assert_int_equal(ham_cluster_send(a.c, HAM_MSG_CIB_SYNC, p, big, NULL), 0);
	ham_fake_net_run(net);
	ham_cluster_get_stats(b.c, &st);
	assert_true(st.reassembly_bytes > 0);
	ham_fake_crash(a.c);
	ham_fake_net_run(net);
	ham_cluster_get_stats(b.c, &st);
	assert_int_equal(st.reassembly_bytes, 0);
	assert_string_equal(b.order, "B");
	free(p);
	free(a.data);
	free(b.data);
	ham_cluster_free(a.c);
	ham_cluster_free(b.c);
	ham_cluster_free(c.c);
	ham_fake_net_free(net);
}

/* The send queue refuses what does not fit, without using a sequence number. */
static void test_queue_bound(void **state)
{
	ham_fake_net *net = ham_fake_net_new(2, "t");
	struct node_rx a = { 0 }, b = { 0 };
	size_t big = 2u * HAM_MSG_MAX_FRAGMENT;
	uint8_t *p = pattern(big);
	struct ham_cluster_stats st;
	uint64_t seq = 0;

	assert_int_equal(ham_fake_connect(net, 1, 100, &rx_cbs, &a, &a.c), 0);
	assert_int_equal(ham_fake_connect(net, 2, 200, &rx_cbs, &b, &b.c), 0);
	ham_fake_net_run(net);
	ham_cluster_set_queue_max(a.c, 3u * HAM_MSG_MAX_FRAGMENT);
	ham_fake_net_set_send_window(net, 1);
	assert_int_equal(ham_cluster_send(a.c, HAM_MSG_PING, "x", 1, NULL), 0);
	assert_int_equal(ham_cluster_send(a.c, HAM_MSG_CIB_SYNC, p, big, NULL), 0);
	assert_int_equal(ham_cluster_send(a.c, HAM_MSG_CIB_SYNC, p, big, NULL), -ENOBUFS);
	assert_int_equal(ham_cluster_send(a.c, HAM_MSG_PING, "y", 1, &seq), 0);
	drain(net, a.c);
	assert_string_equal(b.order, "sBs");
	assert_int_equal(b.seq, seq);
	ham_cluster_get_stats(b.c, &st);
	assert_int_equal(st.gaps, 0);
	free(p);
	free(a.data);
	free(b.data);
	ham_cluster_free(a.c);
	ham_cluster_free(b.c);
	ham_fake_net_free(net);
}

/*
 * A 2/2 split of 4 nodes: the quorum each side held is not current until
 * votequorum answers for the new ring, and then it is "not quorate" on both.
 * Votes are votes, not nodes: node 1 with 3 votes makes {1,2} quorate.
 */
static void test_quorum_current(void **state)
{
	ham_fake_net *net = ham_fake_net_new(4, "t");
	struct node n[4] = { { 0 } };
	const uint32_t side[] = { 3, 4 };
	size_t i;

	for (i = 0; i < 4; i++)
		assert_int_equal(ham_fake_connect(net, (uint32_t)i + 1, 100 + (uint32_t)i, &cbs,
						  &n[i], &n[i].c), 0);
	ham_fake_net_run(net);
	for (i = 0; i < 4; i++) {
		assert_true(n[i].quorate);
		assert_true(ham_cluster_quorum_current(n[i].c));
	}
	ham_fake_net_hold_quorum(net, true);
	ham_fake_net_partition(net, side, 2);
	ham_fake_net_run(net);
	for (i = 0; i < 4; i++) {
		assert_int_equal(n[i].n_members, 2);
		assert_false(ham_cluster_quorum_current(n[i].c));
	}
	ham_fake_net_hold_quorum(net, false);
	ham_fake_net_run(net);
	for (i = 0; i < 4; i++) {
		assert_true(ham_cluster_quorum_current(n[i].c));
		assert_false(n[i].quorate);
	}
	ham_fake_net_heal(net);
	ham_fake_net_run(net);
	for (i = 0; i < 4; i++) {
		assert_true(ham_cluster_quorum_current(n[i].c));
		assert_true(n[i].quorate);
	}

	/* weighted: 3 + 1 of 6 votes on one side, 1 + 1 on the other */
	ham_fake_net_set_votes(net, 1, 3);
	ham_fake_net_partition(net, side, 2);
	ham_fake_net_run(net);
	assert_true(n[0].quorate);
	assert_int_equal(n[0].votes, 4);
	assert_false(n[2].quorate);
	for (i = 0; i < 4; i++)
		ham_cluster_free(n[i].c);
	ham_fake_net_free(net);
}

static void test_crypto(void **state)
{
	ham_fake_net *net = ham_fake_net_new(1, "t");
	struct node a = { 0 };
	char *d = NULL;

	assert_int_equal(ham_fake_connect(net, 1, 100, &cbs, &a, &a.c), 0);
	assert_int_equal(ham_cluster_crypto(a.c, &d), 1);
	assert_string_equal(d, "crypto_cipher=aes256 crypto_hash=sha256");
	free(d);
	ham_fake_net_set_crypto(net, "none", "sha256");
	assert_int_equal(ham_cluster_crypto(a.c, NULL), 0);
	ham_fake_net_set_crypto(net, NULL, NULL);
	assert_int_equal(ham_cluster_crypto(a.c, &d), 0);
	assert_string_equal(d, "crypto_cipher=(absent) crypto_hash=(absent)");
	free(d);
	ham_cluster_free(a.c);
	ham_fake_net_free(net);
}

static void test_names(void **state)
{
	ham_fake_net *net = ham_fake_net_new(1, "demo");
	struct ham_cluster_node *nodes;
	struct node a = { 0 };
	size_t n;
	char *name;

	ham_fake_net_add_node(net, 1, "node1");
	ham_fake_net_add_node(net, 2, "node2");
	assert_int_equal(ham_fake_connect(net, 1, 100, &cbs, &a, &a.c), 0);
	name = ham_cluster_name(a.c);
	assert_string_equal(name, "demo");
	free(name);
	assert_int_equal(ham_cluster_nodes(a.c, &nodes, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(nodes[1].name, "node2");
	ham_cluster_nodes_free(nodes, n);
	ham_cluster_free(a.c);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_total_order),
		cmocka_unit_test(test_drops),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_failed_send_keeps_seq),
		cmocka_unit_test(test_gap_resync),
		cmocka_unit_test(test_fragments_50mb),
		cmocka_unit_test(test_fragments_join_leave),
		cmocka_unit_test(test_queue_bound),
		cmocka_unit_test(test_quorum_current),
		cmocka_unit_test(test_crypto),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
