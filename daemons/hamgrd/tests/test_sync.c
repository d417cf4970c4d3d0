/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/tests/test_sync.c: sync rounds on the fake transport:
 * offers carry (version, checksum), only the winner sends its CIB and only
 * members lacking it parse it; a winner that goes silent or dies mid-way
 * is replaced by the next candidate; offers in an older hamgrd's format or
 * malformed ones are refused and their sender dropped from the round.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <hamgr/common.h>
#include <hamgr/cluster.h>
#include "node.h"

struct tnode {
	hnode *h;
	ham_cluster *c;
	int last_result;
	char path[256];
};

static char tmpdir[64];

static void push_done(void *ud, uint64_t cookie, int result, const char *msg)
{
	struct tnode *t = ud;

	t->last_result = result;
}

static const struct hnode_callbacks ncb = { .push_done = push_done };

static void start(ham_fake_net *net, struct tnode *t, uint32_t id, uint32_t pid)
{
	snprintf(t->path, sizeof(t->path), "%s/cib-%u.xml", tmpdir, id);
	assert_int_equal(hnode_new(t->path, &ncb, t, &t->h), 0);
	assert_int_equal(ham_fake_connect(net, id, pid, &hnode_cluster_callbacks, t->h, &t->c), 0);
	hnode_attach(t->h, t->c);
}

static void stop(struct tnode *t, bool crash)
{
	if (crash)
		ham_fake_crash(t->c);
	t->c = ham_cluster_free(t->c);
	t->h = hnode_free(t->h);
}

static ham_fake_net *new_net(void)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");

	ham_fake_net_add_node(net, 1, "node1");
	ham_fake_net_add_node(net, 2, "node2");
	ham_fake_net_add_node(net, 3, "node3");
	return net;
}

static char *dump(struct tnode *t)
{
	char *s;
	size_t len;

	cibdoc_dump(hnode_cib(t->h), &s, &len);
	return s;
}

static void assert_same_cib(struct tnode *a, struct tnode *b)
{
	char *x = dump(a), *y = dump(b);

	assert_string_equal(x, y);
	free(x);
	free(y);
}

static void stats(struct tnode *t, struct hnode_sync_stats *s)
{
	hnode_sync_stats(t->h, s);
}

/* A configuration of `count` primitives with long descriptions (epoch). */
static char *big_config(unsigned count, unsigned epoch)
{
	ham_buf b = HAM_BUF_INIT;
	char desc[301];
	unsigned i;

	memset(desc, 'd', sizeof(desc) - 1);
	desc[sizeof(desc) - 1] = '\0';
	ham_buf_addf(&b, "<cib admin_epoch=\"0\" epoch=\"%u\" num_updates=\"0\" "
		     "validate-with=\"pacemaker-3.0\"><configuration><crm_config>"
		     "<cluster_property_set id=\"cps\"><nvpair id=\"cps-st\" "
		     "name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
		     "</crm_config><nodes/>"
		     "<resources>", epoch);
	for (i = 0; i < count; i++)
		ham_buf_addf(&b, "<primitive id=\"p%u\" class=\"ocf\" provider=\"heartbeat\" "
			     "type=\"Dummy\" description=\"%s\"/>", i, desc);
	ham_buf_addf(&b, "</resources><constraints/></configuration><status/></cib>");
	return ham_buf_steal(&b);
}

static void push(ham_fake_net *net, struct tnode *t, const char *xml)
{
	char *err = NULL;

	assert_int_equal(hnode_push_config_force(t->h, xml, strlen(xml), true, 1, &err), 0);
	ham_fake_net_run(net);
	assert_int_equal(t->last_result, 0);
}

/*
 * Nodes 1 and 2 hold a big configuration; node 3 stopped before it was
 * pushed, and is started again (not yet run). Returns the net.
 */
static ham_fake_net *stale_third(struct tnode n[3], unsigned prims)
{
	ham_fake_net *net = new_net();
	char *x = big_config(prims, 10), *cmd;
	int i;

	cmd = ham_asprintf("rm -f '%s'/cib-*", tmpdir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);
	stop(&n[2], false);
	ham_fake_net_run(net);
	push(net, &n[0], x);
	free(x);
	start(net, &n[2], 3, 200);
	return net;
}

static void finish(ham_fake_net *net, struct tnode *n, int count)
{
	int i;

	for (i = 0; i < count; i++)
		if (n[i].h)
			stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/* The joiner alone lacks the CIB: one copy is sent, by the winner only. */
static void test_only_winner_sends(void **state)
{
	struct tnode n[3] = { 0 };
	ham_fake_net *net = stale_third(n, 100);
	struct hnode_sync_stats s[3];
	int i;

	for (i = 0; i < 3; i++)
		stats(&n[i], &s[i]);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++)
		assert_false(hnode_syncing(n[i].h));
	assert_same_cib(&n[0], &n[2]);
	assert_same_cib(&n[1], &n[2]);
	{
		struct hnode_sync_stats a, b, c;

		stats(&n[0], &a);
		stats(&n[1], &b);
		stats(&n[2], &c);
		/* equal copies on 1 and 2: the lowest member wins the tie */
		assert_int_equal(a.sent - s[0].sent, 1);
		assert_true(a.sent_bytes - s[0].sent_bytes > 100 * 300);
		assert_int_equal(b.sent - s[1].sent, 0);
		assert_int_equal(c.sent, 0);
		/* node 2 held that copy: it did not parse it; node 3 took it */
		assert_int_equal(b.skipped - s[1].skipped, 1);
		assert_int_equal(b.taken - s[1].taken, 0);
		assert_int_equal(c.taken, 1);
	}
	finish(net, n, 3);
}

static void silent_deliver(void *ud, const struct ham_member *s, const struct ham_msg *m) { }
static void silent_membership(void *ud, const struct ham_member *m, size_t nm,
			      const struct ham_member *l, size_t nl,
			      const struct ham_member *j, size_t nj) { }
static void silent_quorum(void *ud, bool q, uint32_t v, uint32_t e) { }
static const struct ham_cluster_callbacks silent = {
	.deliver = silent_deliver, .membership = silent_membership, .quorum = silent_quorum,
};

/* Every member that offers holds the same copy: nothing is sent. */
static void test_equal_offers_send_nothing(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[2] = { 0 };
	struct hnode_sync_stats a, b;
	ham_cluster *stuck = NULL;
	char *cmd = ham_asprintf("rm -f '%s'/cib-*", tmpdir);
	uint64_t dl;
	int i;

	assert_int_equal(system(cmd), 0);
	free(cmd);
	start(net, &n[0], 2, 100);
	start(net, &n[1], 3, 101);
	ham_fake_net_run(net);
	assert_same_cib(&n[0], &n[1]);
	stats(&n[0], &a);
	stats(&n[1], &b);
	assert_int_equal(a.sent + b.sent, 1); /* forming: the second joiner was behind */
	/* a member that never offers joins; at the deadline it is dropped, and
	 * the two equal copies need no transfer */
	assert_int_equal(ham_fake_connect(net, 1, 102, &silent, NULL, &stuck), 0);
	ham_fake_net_run(net);
	dl = hnode_next_deadline(n[0].h);
	hnode_tick(n[0].h, dl);
	ham_fake_net_run(net);
	for (i = 0; i < 2; i++) {
		assert_false(hnode_syncing(n[i].h));
		assert_int_equal(hnode_dc(n[i].h), 2);
	}
	stats(&n[0], &a);
	stats(&n[1], &b);
	assert_int_equal(a.sent + b.sent, 1);
	/* both received the one copy sent while forming (the winner holds it) */
	assert_int_equal(a.taken + b.taken, 1);
	assert_int_equal(a.skipped + b.skipped, 1);
	assert_same_cib(&n[0], &n[1]);
	stuck = ham_cluster_free(stuck);
	finish(net, n, 2);
}

/* Ticks a node at its deadline and delivers what follows. */
static void tick(ham_fake_net *net, struct tnode *t)
{
	uint64_t dl = hnode_next_deadline(t->h);

	assert_true(dl > 0);
	hnode_tick(t->h, dl);
	ham_fake_net_run(net);
}

/*
 * The winner sends the first fragments of its CIB, then nothing (a stopped
 * process): the deadline moves on while fragments arrive, then it is
 * dropped (join=banned) and the next candidate, node 2, sends its copy.
 */
static void test_winner_goes_silent(void **state)
{
	struct tnode n[3] = { 0 };
	ham_fake_net *net = stale_third(n, 3000); /* about 1 MB: several fragments */
	struct hnode_sync_stats b, c;
	int i;

	/* node 1's offer and two fragments go; the rest waits in its queue */
	ham_fake_fail_sends_after(n[0].c, 3, -EAGAIN, 1000000);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++)
		assert_true(hnode_syncing(n[i].h));
	assert_true(ham_cluster_partial_bytes(n[1].c, 1, 100, HAM_MSG_CIB_SYNC) > 0);
	/* fragments arrived since the winner was chosen: not closed */
	tick(net, &n[1]);
	for (i = 0; i < 3; i++)
		assert_true(hnode_syncing(n[i].h));
	/* nothing more arrived: closed, node 2 sends */
	tick(net, &n[1]);
	for (i = 0; i < 3; i++) {
		assert_false(hnode_syncing(n[i].h));
		assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[i].h), "1", "join"),
				    "banned");
		assert_int_equal(hnode_dc(n[i].h), 2);
	}
	assert_same_cib(&n[1], &n[2]);
	assert_same_cib(&n[0], &n[2]);
	stats(&n[1], &b);
	stats(&n[2], &c);
	assert_int_equal(b.sent, 1);
	assert_int_equal(c.taken, 1);
	/* the rest of node 1's copy, sent at last, is ignored */
	ham_fake_fail_sends(n[0].c, 0, 0);
	while (ham_cluster_flush(n[0].c) == -EAGAIN)
		;
	ham_fake_net_run(net);
	stats(&n[2], &c);
	assert_int_equal(c.taken, 1);
	assert_same_cib(&n[1], &n[2]);
	finish(net, n, 3);
}

/* The winner dies in the middle of sending: the next candidate sends at once. */
static void test_winner_dies(void **state)
{
	struct tnode n[3] = { 0 };
	ham_fake_net *net = stale_third(n, 3000);
	struct hnode_sync_stats b, c;
	int i;

	ham_fake_fail_sends_after(n[0].c, 3, -EAGAIN, 1000000);
	ham_fake_net_run(net);
	assert_true(hnode_syncing(n[2].h));
	stop(&n[0], true);
	ham_fake_net_run(net);
	for (i = 1; i < 3; i++) {
		assert_false(hnode_syncing(n[i].h));
		assert_int_equal(hnode_dc(n[i].h), 2);
	}
	assert_same_cib(&n[1], &n[2]);
	stats(&n[1], &b);
	stats(&n[2], &c);
	assert_int_equal(b.sent, 1);
	assert_int_equal(c.taken, 1);
	finish(net, n, 3);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * Sends, as member (1, pid 102), a sync message naming the round
 * {(1,102), (2,100), (3,101)}: flags, then body.
 */
static void send_as_stuck(ham_cluster *stuck, uint32_t flags, const void *body, size_t len)
{
	static const uint32_t round[3][2] = { { 1, 102 }, { 2, 100 }, { 3, 101 } };
	uint8_t *p = malloc(4 + 24 + len);
	int i;

	put32(p, 3 | flags);
	for (i = 0; i < 3; i++) {
		put32(p + 4 + 8 * i, round[i][0]);
		put32(p + 8 + 8 * i, round[i][1]);
	}
	memcpy(p + 28, body, len);
	assert_int_equal(ham_cluster_send(stuck, HAM_MSG_CIB_SYNC, p, 28 + len, NULL), 0);
	free(p);
}

/*
 * A rolling upgrade: a member offers its whole CIB, as an older hamgrd did
 * (its count word without the new flags). It is refused, never read as a
 * new offer, and its sender is dropped from the round at once (no wait for
 * the deadline); a malformed new offer (another node's status) likewise.
 */
static void test_old_and_malformed_offers(void **state)
{
	static const char old_cib[] =
		"<cib admin_epoch=\"9\" epoch=\"9\" num_updates=\"9\"><configuration>"
		"<crm_config/><nodes/><resources/><constraints/></configuration></cib>";
	ham_fake_net *net = new_net();
	struct tnode n[2] = { 0 };
	struct hnode_sync_stats a, b;
	ham_cluster *stuck = NULL;
	struct cib_version v;
	uint8_t offer[40 + 64];
	char *cmd = ham_asprintf("rm -f '%s'/cib-*", tmpdir);
	int i, k;

	assert_int_equal(system(cmd), 0);
	free(cmd);
	start(net, &n[0], 2, 100);
	start(net, &n[1], 3, 101);
	ham_fake_net_run(net);
	stats(&n[0], &a);
	stats(&n[1], &b);
	for (k = 0; k < 2; k++) {
		assert_int_equal(ham_fake_connect(net, 1, 102, &silent, NULL, &stuck), 0);
		if (k == 0) {
			send_as_stuck(stuck, 0x80000000u, old_cib, sizeof(old_cib) - 1);
		} else {
			static const char own[] = "<node_state id=\"2\" uname=\"node2\"/>";

			memset(offer, 0, sizeof(offer));
			offer[16] = 99; /* num_updates 99: it would win */
			put32(offer + 28, sizeof(own) - 1);
			memcpy(offer + 40, own, sizeof(own) - 1);
			send_as_stuck(stuck, 0x80000000u | 0x20000000u, offer, 40 + sizeof(own) - 1);
		}
		ham_fake_net_run(net);
		for (i = 0; i < 2; i++) {
			/* closed without a deadline */
			assert_false(hnode_syncing(n[i].h));
			assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[i].h), "1", "join"),
					    "banned");
			assert_int_equal(hnode_dc(n[i].h), 2);
			cibdoc_get_version(hnode_cib(n[i].h), &v);
			assert_true(v.admin_epoch == 0 && v.num_updates < 99);
		}
		assert_same_cib(&n[0], &n[1]);
		stuck = ham_cluster_free(stuck);
		ham_fake_net_run(net);
	}
	/* nothing was sent for the refused offers: the two held the same copy */
	stats(&n[0], &a);
	stats(&n[1], &b);
	assert_int_equal(a.sent + b.sent, 1);
	finish(net, n, 2);
}

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "test_sync.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	return 0;
}

static int teardown(void **state)
{
	char *cmd = ham_asprintf("rm -rf '%s'", tmpdir);
	int r = system(cmd);

	free(cmd);
	return r == 0 ? 0 : -1;
}

/*
 * A member slow to offer a big CIB (serializing it takes a while on a busy
 * machine) is given 1 s per MiB beyond the round's base deadline (5 s + 10
 * tokens): node 1's offer is held back; node 2 does not close the round at
 * the base deadline, and does at the one grown with the size.
 */
static void test_offer_deadline_grows_with_size(void **state)
{
	struct tnode n[3] = { 0 };
	ham_fake_net *net = stale_third(n, 10000); /* about 3.5 MB */
	uint64_t t0 = ham_now_mono_ms(), base = 5000 + 10 * 1000;

	ham_fake_fail_sends_after(n[0].c, 0, -EAGAIN, 1000000);
	ham_fake_net_run(net);
	assert_true(hnode_syncing(n[1].h));
	hnode_tick(n[1].h, ham_now_mono_ms() + base);
	ham_fake_net_run(net);
	assert_true(hnode_syncing(n[1].h));
	assert_true(hnode_next_deadline(n[1].h) >= t0 + base + 3000);
	tick(net, &n[1]);
	assert_false(hnode_syncing(n[1].h));
	assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[1].h), "1", "join"), "banned");
	ham_fake_fail_sends(n[0].c, 0, 0);
	while (ham_cluster_flush(n[0].c) == -EAGAIN)
		;
	finish(net, n, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_winner_sends),
		cmocka_unit_test(test_equal_offers_send_nothing),
		cmocka_unit_test(test_winner_goes_silent),
		cmocka_unit_test(test_winner_dies),
		cmocka_unit_test(test_old_and_malformed_offers),
		cmocka_unit_test(test_offer_deadline_grows_with_size),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
