/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/cluster/tests/test_fake.c: the fake transport keeps one total order
 * with membership changes, computes quorum, and the receive path drops
 * garbled and out-of-sequence messages.
 */
#include "config.h"

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
	ham_fake_inject_raw(net, 2, buf, len - 1);
	ham_fake_inject_raw(net, 2, buf, len);
	ham_fake_inject_raw(net, 2, buf, len); /* seq 1 again */
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
