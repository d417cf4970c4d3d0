/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/tests/test_oprec.c: operation results and action requests:
 * the wire payloads (round trip, every malformed case dropped), results
 * recorded in every node's CIB status in delivery order (Pacemaker's
 * lrm_rsc_op ids and attributes, num_updates bumped, persisted), a result
 * during a sync round, a fence result, and action requests reaching only
 * their target.
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
#include "opmsg.h"

struct tnode {
	hnode *h;
	ham_cluster *c;
	uint32_t id;
	int n_actions;
	struct hop_action last_action;
	int n_results;
	char path[256];
};

static char tmpdir[64];

static void on_action(void *ud, const struct hop_action *a)
{
	struct tnode *t = ud;

	t->n_actions++;
	hop_action_clear(&t->last_action);
	hop_action_copy(&t->last_action, a);
}

static void on_result(void *ud, const struct hop_result *r)
{
	struct tnode *t = ud;

	t->n_results++;
}

static const struct hnode_callbacks ncb = { .action = on_action, .op_result = on_result };

static void start(ham_fake_net *net, struct tnode *t, uint32_t id, uint32_t pid)
{
	t->id = id;
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
	hop_action_clear(&t->last_action);
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

static uint64_t num_updates(struct tnode *t)
{
	struct cib_version v;

	cibdoc_get_version(hnode_cib(t->h), &v);
	return v.num_updates;
}

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "test_oprec.XXXXXX");
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

static void clean_files(void)
{
	char *cmd = ham_asprintf("rm -f '%s'/cib-*", tmpdir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void fill_result(struct hop_result *r, uint32_t nodeid, const char *node, const char *op,
			uint64_t interval_ms, int64_t call_id, int rc, int expected_rc)
{
	memset(r, 0, sizeof(*r));
	r->nodeid = nodeid;
	r->node = (char *)node;
	r->rsc = (char *)"d1";
	r->cls = (char *)"ocf";
	r->provider = (char *)"hamgr";
	r->type = (char *)"dummy";
	r->op = (char *)op;
	r->interval_ms = interval_ms;
	r->call_id = call_id;
	r->rc = rc;
	r->expected_rc = expected_rc;
	r->op_status = HAM_CIB_OP_DONE;
	r->action_id = 4;
	r->transition_id = 2;
	r->last_run_s = 1700000000;
	r->last_rc_change_s = 1700000000;
	r->exec_ms = 12;
	r->dc_uuid = (char *)"1";
}

/* ---- the payloads ---------------------------------------------------- */

static void test_payload_round_trip(void **state)
{
	struct hop_param params[2] = { { (char *)"state", (char *)"/tmp/a;$(x)\nb" },
				       { (char *)"fake", (char *)"" } };
	struct hop_action a = {
		.action_id = 9, .transition_id = 3, .target = 2, .rsc = (char *)"d1",
		.cls = (char *)"ocf", .provider = (char *)"hamgr", .type = (char *)"dummy",
		.op = (char *)"start", .timeout_ms = 20000, .expected_rc = 0,
		.dc_uuid = (char *)"1", .params = params, .n_params = 2,
	}, b;
	struct hop_result r, q;
	const char *why = NULL;
	char *buf;
	size_t len;

	hop_action_encode(&a, &buf, &len);
	assert_int_equal(hop_action_decode(buf, len, &b, &why), 0);
	assert_int_equal(b.action_id, 9);
	assert_int_equal(b.target, 2);
	assert_string_equal(b.op, "start");
	assert_null(b.fence_target);
	assert_int_equal(b.n_params, 2);
	assert_string_equal(b.params[0].value, "/tmp/a;$(x)\nb");
	assert_string_equal(b.params[1].value, "");
	hop_action_clear(&b);
	free(buf);

	fill_result(&r, 3, "node3", "monitor", 10000, 17, 7, 0);
	r.exit_reason = (char *)"state file gone";
	hop_result_encode(&r, &buf, &len);
	assert_int_equal(hop_result_decode(buf, len, &q, &why), 0);
	assert_int_equal(q.nodeid, 3);
	assert_int_equal(q.interval_ms, 10000);
	assert_int_equal(q.call_id, 17);
	assert_int_equal(q.rc, 7);
	assert_string_equal(q.exit_reason, "state file gone");
	assert_true(hop_result_failed(&q));
	hop_result_clear(&q);
	free(buf);

	/* A probe finding the resource stopped is an answer, not a failure. */
	fill_result(&r, 3, "node3", "monitor", 0, 1, 7, 7);
	assert_false(hop_result_failed(&r));
	r.rc = 0;
	assert_false(hop_result_failed(&r));
	r.op_status = HAM_CIB_OP_TIMEOUT;
	assert_true(hop_result_failed(&r));
}

static void expect_bad_result(const char *buf, size_t len, const char *why_part)
{
	struct hop_result q;
	const char *why = NULL;

	assert_int_equal(hop_result_decode(buf, len, &q, &why), -HAM_E_PROTOCOL);
	assert_non_null(why);
	assert_non_null(strstr(why, why_part));
	assert_null(q.rsc);
}

static void test_payload_malformed(void **state)
{
	static const char ok[] = "nodeid=2\0node=node2\0rsc=d1\0class=ocf\0type=dummy\0op=start\0"
				 "interval-ms=0\0call-id=1\0rc=0\0op-status=0\0expected-rc=0";
	struct hop_result q;
	struct hop_action a;
	const char *why = NULL;
	char *buf;

	/* The reference payload decodes (and an unknown key is skipped). */
	buf = ham_malloc(sizeof(ok) + 9);
	memcpy(buf, ok, sizeof(ok));
	memcpy(buf + sizeof(ok), "future=1", 9);
	assert_int_equal(hop_result_decode(buf, sizeof(ok) + 9, &q, &why), 0);
	hop_result_clear(&q);
	free(buf);

	expect_bad_result("", 0, "NUL");
	expect_bad_result(ok, sizeof(ok) - 1, "NUL");             /* truncated */
	expect_bad_result("nodeid=2", 9, "missing");
	expect_bad_result("nodeid=2\0nodeid=3", 18, "repeated");
	expect_bad_result("nodeid=-2", 10, "invalid");
	expect_bad_result("nodeid", 7, "key=value");
	expect_bad_result("\xff\xfe=1", 5, "UTF-8");
	{
		/* A resource name that would escape a path or an XML attribute. */
		static const char bad[] = "nodeid=2\0node=node2\0rsc=../x\0class=ocf\0type=dummy\0"
					  "op=start\0interval-ms=0\0call-id=1\0rc=0\0op-status=0\0"
					  "expected-rc=0";

		expect_bad_result(bad, sizeof(bad), "plain");
	}
	{
		static const char bad[] = "action-id=0\0transition-id=1\0target=1\0rsc=d1\0class=ocf\0"
					  "type=dummy\0op=start\0interval-ms=0\0timeout-ms=1\0"
					  "expected-rc=0";

		assert_int_equal(hop_action_decode(bad, sizeof(bad), &a, &why), -HAM_E_PROTOCOL);
		assert_non_null(strstr(why, "action-id"));
	}
	{
		static const char bad[] = "action-id=1\0transition-id=1\0target=1\0rsc=d1\0class=ocf\0"
					  "type=dummy\0op=start\0interval-ms=0\0timeout-ms=1\0"
					  "expected-rc=0\0param:a b=1";

		assert_int_equal(hop_action_decode(bad, sizeof(bad), &a, &why), -HAM_E_PROTOCOL);
		assert_non_null(strstr(why, "parameter"));
	}
}

/* ---- recording on the fake network ----------------------------------- */

static void test_results_recorded_everywhere(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct hop_result r;
	uint64_t before;
	char *s, *t;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);
	before = num_updates(&n[0]);

	/* A start on node2, then its recurring monitor, reported by node2. */
	fill_result(&r, 2, "node2", "start", 0, 3, 0, 0);
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	fill_result(&r, 2, "node2", "monitor", 10000, 4, 0, 0);
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++) {
		assert_int_equal(n[i].n_results, 2);
		assert_int_equal(num_updates(&n[i]), before + 2);
	}
	s = dump(&n[0]);
	assert_non_null(strstr(s, "<lrm id=\"2\"><lrm_resources><lrm_resource id=\"d1\" class=\"ocf\" "
				  "provider=\"hamgr\" type=\"dummy\"><lrm_rsc_op id=\"d1_last_0\" "
				  "operation_key=\"d1_start_0\" operation=\"start\" "
				  "transition-key=\"4:2:0:1\" transition-magic=\"0:0;4:2:0:1\""));
	assert_non_null(strstr(s, "id=\"d1_monitor_10000\" operation_key=\"d1_monitor_10000\""));
	assert_non_null(strstr(s, "call-id=\"3\" rc-code=\"0\" op-status=\"0\" interval=\"0\""));
	assert_null(strstr(s, "last_failure"));
	t = dump(&n[2]);
	assert_string_equal(s, t);
	free(t);
	free(s);
	assert_true(cibdoc_has_history(hnode_cib(n[0].h), "2", "d1"));
	assert_false(cibdoc_has_history(hnode_cib(n[0].h), "3", "d1"));

	/* A failed monitor adds a last_failure entry; a stop drops the monitor. */
	fill_result(&r, 2, "node2", "monitor", 10000, 5, 7, 0);
	r.exit_reason = (char *)"gone";
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	fill_result(&r, 2, "node2", "stop", 0, 6, 0, 0);
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	ham_fake_net_run(net);
	s = dump(&n[1]);
	assert_non_null(strstr(s, "id=\"d1_last_failure_0\" operation_key=\"d1_monitor_10000\""));
	assert_non_null(strstr(s, "exit-reason=\"gone\""));
	assert_null(strstr(s, "id=\"d1_monitor_10000\""));
	assert_non_null(strstr(s, "operation_key=\"d1_stop_0\""));
	t = dump(&n[0]);
	assert_string_equal(s, t);
	free(t);
	free(s);
	assert_int_equal(num_updates(&n[2]), before + 4);

	/* Persisted: a restart of node3 from its file has the history. */
	stop(&n[2], false);
	ham_fake_net_run(net);
	assert_int_equal(hnode_new(n[2].path, &ncb, &n[2], &n[2].h), 0);
	s = dump(&n[2]);
	assert_non_null(strstr(s, "d1_last_failure_0"));
	free(s);
	n[2].h = hnode_free(n[2].h);

	/* A malformed result changes nothing. */
	before = num_updates(&n[0]);
	{
		uint8_t *buf;
		size_t len;

		assert_int_equal(ham_msg_encode(HAM_MSG_OP_RESULT, 1, 99, "rc=1", 5, (void **)&buf,
						&len), 0);
		ham_fake_inject_raw(net, 1, buf, len);
		free(buf);
	}
	ham_fake_net_run(net);
	assert_int_equal(num_updates(&n[0]), before);

	for (i = 0; i < 2; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static void test_result_during_sync_and_fence(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct hop_result r;
	char *s, *t;
	int i;

	clean_files();
	for (i = 0; i < 2; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);
	fill_result(&r, 2, "node2", "start", 0, 3, 0, 0);
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	ham_fake_net_run(net);

	/* node3 joins; a result sent in the same breath lands after the round
	 * on every node, so all three agree. */
	start(net, &n[2], 3, 103);
	fill_result(&r, 1, "node1", "monitor", 0, 1, 7, 7);
	assert_int_equal(hnode_send_result(n[0].h, &r), 0);
	ham_fake_net_run(net);
	s = dump(&n[0]);
	t = dump(&n[2]);
	assert_string_equal(s, t);
	assert_non_null(strstr(s, "<lrm id=\"1\">"));
	free(s);
	free(t);

	/* node2 crashes; a fence result clears its history everywhere. */
	stop(&n[1], true);
	ham_fake_net_run(net);
	assert_true(cibdoc_has_history(hnode_cib(n[0].h), "2", "d1"));
	assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[0].h), "2", "expected"), "member");
	memset(&r, 0, sizeof(r));
	r.nodeid = 1;
	r.node = (char *)"node1";
	r.rsc = (char *)"fencer";
	r.cls = (char *)"stonith";
	r.type = (char *)"fence_hamgr_netns";
	r.op = (char *)"reboot";
	r.fence_target = (char *)"node2";
	assert_int_equal(hnode_send_result(n[0].h, &r), 0);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i += 2) {
		assert_false(cibdoc_has_history(hnode_cib(n[i].h), "2", "d1"));
		assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[i].h), "2", "expected"),
				    "down");
	}
	s = dump(&n[0]);
	t = dump(&n[2]);
	assert_string_equal(s, t);
	free(s);
	free(t);

	stop(&n[0], false);
	stop(&n[2], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static void test_action_reaches_target_only(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct hop_action a = {
		.action_id = 1, .transition_id = 1, .target = 3, .rsc = (char *)"d1",
		.cls = (char *)"ocf", .provider = (char *)"hamgr", .type = (char *)"dummy",
		.op = (char *)"start", .timeout_ms = 20000,
	};
	uint64_t before;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);
	before = num_updates(&n[0]);
	assert_int_equal(hnode_send_action(n[0].h, &a), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[0].n_actions, 0);
	assert_int_equal(n[1].n_actions, 0);
	assert_int_equal(n[2].n_actions, 1);
	assert_string_equal(n[2].last_action.rsc, "d1");
	assert_int_equal(n[2].last_action.timeout_ms, 20000);
	/* A request is not a CIB change. */
	assert_int_equal(num_updates(&n[0]), before);
	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/* ---- authority ------------------------------------------------------- */

static void dropped(struct tnode *t, uint64_t *a, uint64_t *r)
{
	hnode_dropped(t->h, a, r);
}

static void test_action_authority(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct hop_action a = {
		.action_id = 1, .transition_id = 5, .target = 3, .rsc = (char *)"d1",
		.cls = (char *)"ocf", .provider = (char *)"hamgr", .type = (char *)"dummy",
		.op = (char *)"start", .timeout_ms = 20000, .dc_uuid = (char *)"1",
	};
	uint64_t da, dr;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);
	assert_int_equal(hnode_dc(n[2].h), 1);

	/* From node2 (not the DC), well-formed, for node3: not run. */
	a.dc_uuid = (char *)"2";
	assert_int_equal(hnode_send_action(n[1].h, &a), 0);
	/* From node2 claiming to be the DC: not run either. */
	a.dc_uuid = (char *)"1";
	assert_int_equal(hnode_send_action(n[1].h, &a), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[2].n_actions, 0);
	dropped(&n[2], &da, &dr);
	assert_int_equal(da, 2);
	assert_int_equal(dr, 0);

	/* The DC's transition 5 runs; then a request of its older transition 4
	 * (stale) does not. */
	assert_int_equal(hnode_send_action(n[0].h, &a), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[2].n_actions, 1);
	a.transition_id = 4;
	a.action_id = 2;
	assert_int_equal(hnode_send_action(n[0].h, &a), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[2].n_actions, 1);
	dropped(&n[2], &da, &dr);
	assert_int_equal(da, 3);

	/* The DC crashes: node2 is DC now, and its requests run (its own
	 * transition count starts anew). */
	stop(&n[0], true);
	ham_fake_net_run(net);
	assert_int_equal(hnode_dc(n[2].h), 2);
	a.transition_id = 1;
	a.dc_uuid = (char *)"2";
	assert_int_equal(hnode_send_action(n[1].h, &a), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[2].n_actions, 2);

	for (i = 1; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/*
 * A DC's hamgrd restarts with the same pid (every boot of a node in its own
 * PID namespace, or a container, gives it the same one): its transition
 * count starts anew, and its requests run. The incarnation tracked for
 * stale transitions ends when it leaves the group; node3 dropped every
 * request of the new DC as "a stale transition" until its count passed the
 * old one's (chaos, seed 2: a probe never answered, 70 s lost).
 */
static void test_action_authority_dc_restart_same_pid(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct hop_action a = {
		.action_id = 1, .transition_id = 50, .target = 3, .rsc = (char *)"d1",
		.cls = (char *)"ocf", .provider = (char *)"hamgr", .type = (char *)"dummy",
		.op = (char *)"start", .timeout_ms = 20000, .dc_uuid = (char *)"1",
	};
	uint64_t da, dr;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);
	assert_int_equal(hnode_dc(n[2].h), 1);
	assert_int_equal(hnode_send_action(n[0].h, &a), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[2].n_actions, 1);

	/* node1's hamgrd is killed and starts again, same pid, DC again. */
	stop(&n[0], true);
	ham_fake_net_run(net);
	start(net, &n[0], 1, 100);
	ham_fake_net_run(net);
	assert_int_equal(hnode_dc(n[2].h), 1);
	a.transition_id = 1;
	a.action_id = 1;
	assert_int_equal(hnode_send_action(n[0].h, &a), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[2].n_actions, 2);
	dropped(&n[2], &da, &dr);
	assert_int_equal(da, 0);

	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static void test_result_authority(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct hop_result r;
	uint64_t before, da, dr;
	char *s0, *s;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);
	fill_result(&r, 3, "node3", "start", 0, 3, 0, 0);
	assert_int_equal(hnode_send_result(n[2].h, &r), 0);
	ham_fake_net_run(net);
	stop(&n[2], true); /* node3 is down, unclean */
	ham_fake_net_run(net);
	assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[0].h), "3", "expected"),
			    "member");
	before = num_updates(&n[0]);
	s0 = dump(&n[0]);

	/* node2 (not the DC) forges a fencing success for node3, in its own
	 * name and in the DC's. */
	memset(&r, 0, sizeof(r));
	r.nodeid = 2;
	r.node = (char *)"node2";
	r.rsc = (char *)"fencer";
	r.cls = (char *)"stonith";
	r.type = (char *)"fence_hamgr_netns";
	r.op = (char *)"reboot";
	r.fence_target = (char *)"node3";
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	r.nodeid = 1;
	r.node = (char *)"node1";
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	/* and a start success of d1 on node1 */
	fill_result(&r, 1, "node1", "start", 0, 9, 0, 0);
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	/* and the DC a start success on node2's behalf (only timeouts are its own) */
	fill_result(&r, 2, "node2", "start", 0, 9, 0, 0);
	assert_int_equal(hnode_send_result(n[0].h, &r), 0);
	ham_fake_net_run(net);
	for (i = 0; i < 2; i++) {
		assert_int_equal(num_updates(&n[i]), before);
		assert_true(cibdoc_has_history(hnode_cib(n[i].h), "3", "d1"));
		assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[i].h), "3", "expected"),
				    "member");
		assert_false(cibdoc_has_history(hnode_cib(n[i].h), "1", "d1"));
		assert_false(cibdoc_has_history(hnode_cib(n[i].h), "2", "d1"));
		dropped(&n[i], &da, &dr);
		assert_int_equal(da, 0);
		assert_int_equal(dr, 4);
	}
	s = dump(&n[1]);
	assert_string_equal(s, s0);
	free(s);
	free(s0);

	/* The DC's own fencing result is recorded. */
	memset(&r, 0, sizeof(r));
	r.nodeid = 1;
	r.node = (char *)"node1";
	r.rsc = (char *)"fencer";
	r.cls = (char *)"stonith";
	r.type = (char *)"fence_hamgr_netns";
	r.op = (char *)"reboot";
	r.fence_target = (char *)"node3";
	assert_int_equal(hnode_send_result(n[0].h, &r), 0);
	ham_fake_net_run(net);
	assert_false(cibdoc_has_history(hnode_cib(n[1].h), "3", "d1"));

	for (i = 0; i < 2; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/* Another process of the group on a node (it joined with corosync's
 * credentials but is not that node's hamgrd) neither speaks for the node nor
 * takes it out of the cluster by staying silent in a sync round. */
static void stray_deliver(void *ud, const struct ham_member *sender, const struct ham_msg *m)
{
}

static void stray_membership(void *ud, const struct ham_member *members, size_t n_members,
			     const struct ham_member *left, size_t n_left,
			     const struct ham_member *joined, size_t n_joined)
{
}

static void stray_quorum(void *ud, bool quorate, uint32_t votes, uint32_t expected)
{
}

static void test_stray_process_on_node(void **state)
{
	static const struct ham_cluster_callbacks scb = {
		.deliver = stray_deliver, .membership = stray_membership, .quorum = stray_quorum,
	};
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct hop_action a = {
		.action_id = 1, .transition_id = 50, .target = 3, .rsc = (char *)"d1",
		.cls = (char *)"ocf", .provider = (char *)"hamgr", .type = (char *)"dummy",
		.op = (char *)"start", .timeout_ms = 20000, .dc_uuid = (char *)"1",
	};
	struct hop_result r;
	ham_cluster *stray;
	uint64_t da, dr;
	char *buf;
	size_t len;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);
	assert_int_equal(hnode_dc(n[2].h), 1);

	/* It joins on node1 (the DC's node) and never offers: the round is
	 * closed without it, and node1 stays joined and DC. */
	assert_int_equal(ham_fake_connect(net, 1, 999, &scb, NULL, &stray), 0);
	ham_fake_net_run(net);
	hnode_tick(n[1].h, UINT64_MAX / 2);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++)
		assert_int_equal(hnode_dc(n[i].h), 1);
	assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[2].h), "1", "join"), "member");

	/* A start success of d1 on its own node: not recorded. */
	fill_result(&r, 1, "node1", "start", 0, 9, 0, 0);
	hop_result_encode(&r, &buf, &len);
	assert_int_equal(ham_cluster_send(stray, HAM_MSG_OP_RESULT, buf, len, NULL), 0);
	free(buf);
	/* A request in the DC's name (same node, other process): not run. */
	hop_action_encode(&a, &buf, &len);
	assert_int_equal(ham_cluster_send(stray, HAM_MSG_ACTION, buf, len, NULL), 0);
	free(buf);
	ham_fake_net_run(net);
	assert_int_equal(n[2].n_actions, 0);
	for (i = 0; i < 3; i++) {
		assert_false(cibdoc_has_history(hnode_cib(n[i].h), "1", "d1"));
		dropped(&n[i], &da, &dr);
		assert_int_equal(dr, 1);
	}
	dropped(&n[2], &da, &dr);
	assert_int_equal(da, 1);

	/* node1's hamgrd is still heard. */
	assert_int_equal(hnode_send_result(n[0].h, &r), 0);
	assert_int_equal(hnode_send_action(n[0].h, &a), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[2].n_actions, 1);
	for (i = 0; i < 3; i++)
		assert_true(cibdoc_has_history(hnode_cib(n[i].h), "1", "d1"));

	stray = ham_cluster_free(stray);
	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/* ---- pending records --------------------------------------------------- */

static const char *fail_count(struct tnode *t, const char *node)
{
	return cibdoc_get_transient_attr(hnode_cib(t->h), node, "fail-count-d1#start_0");
}

static void test_pending_and_dc_timeout(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct hop_result r, t;
	struct cib_pending *p;
	size_t np;
	char *s;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);

	/* node2 begins a start: pending everywhere, no failure, nothing dropped. */
	fill_result(&r, 2, "node2", "start", 0, -1, 193, 0);
	r.op_status = HAM_CIB_OP_PENDING;
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	ham_fake_net_run(net);
	s = dump(&n[2]);
	assert_non_null(strstr(s, "id=\"d1_last_0\" operation_key=\"d1_start_0\""));
	assert_non_null(strstr(s, "call-id=\"-1\" rc-code=\"193\" op-status=\"-1\""));
	assert_null(strstr(s, "last_failure"));
	free(s);
	cibdoc_pending_ops(hnode_cib(n[0].h), &p, &np);
	assert_int_equal(np, 1);
	assert_int_equal(p[0].nodeid, 2);
	assert_string_equal(p[0].rsc, "d1");
	assert_string_equal(p[0].op, "start");
	assert_string_equal(p[0].type, "dummy");
	cibdoc_pending_free(p, np);
	assert_true(cibdoc_rsc_op_pending(hnode_cib(n[0].h), &r));

	/* The DC gives up on it: recorded as a timeout, the failure counted once. */
	fill_result(&t, 2, "node2", "start", 0, 0, 1, 0);
	t.op_status = HAM_CIB_OP_TIMEOUT;
	assert_int_equal(hnode_send_result(n[0].h, &t), 0);
	ham_fake_net_run(net);
	assert_false(cibdoc_rsc_op_pending(hnode_cib(n[2].h), &r));
	assert_string_equal(fail_count(&n[2], "2"), "INFINITY");
	/* Its own late result replaces the record truthfully. */
	fill_result(&r, 2, "node2", "start", 0, 4, 0, 0);
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	ham_fake_net_run(net);
	s = dump(&n[2]);
	assert_non_null(strstr(s, "call-id=\"4\" rc-code=\"0\" op-status=\"0\""));
	free(s);

	/* Another action: the node's real result comes in first, the DC's timeout
	 * after it is ignored (not a forgery: not counted). */
	fill_result(&r, 2, "node2", "stop", 0, -1, 193, 0);
	r.action_id = 7;
	r.op_status = HAM_CIB_OP_PENDING;
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	fill_result(&r, 2, "node2", "stop", 0, 5, 1, 0);
	r.action_id = 7;
	r.op_status = HAM_CIB_OP_TIMEOUT; /* lib/exec's own, honest timeout */
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	fill_result(&t, 2, "node2", "stop", 0, 0, 1, 0);
	t.action_id = 7;
	t.op_status = HAM_CIB_OP_TIMEOUT;
	assert_int_equal(hnode_send_result(n[0].h, &t), 0);
	ham_fake_net_run(net);
	s = dump(&n[0]);
	assert_non_null(strstr(s, "call-id=\"5\" rc-code=\"1\" op-status=\"2\""));
	assert_null(strstr(s, "call-id=\"0\""));
	free(s);
	{
		uint64_t da, dr;

		dropped(&n[0], &da, &dr);
		assert_int_equal(dr, 0);
	}

	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/* ---- operator fencing (hactl stonith fence|confirm) ----------------------- */

static void fence_result(struct hop_result *r, const char *target)
{
	memset(r, 0, sizeof(*r));
	r->nodeid = 1;
	r->node = (char *)"node1";
	r->rsc = (char *)"fencer";
	r->cls = (char *)"stonith";
	r->type = (char *)"fence_hamgr_netns";
	r->op = (char *)"off";
	r->last_rc_change_s = 1700000100;
	r->fence_target = (char *)target;
}

static void test_operator_fencing(void **state)
{
	static const char fence2[] = "<modify><fence node=\"node2\"/></modify>";
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct hop_result r;
	const struct hnode_fencing *h;
	size_t count;
	char *err = NULL, *s, *t;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);

	/* fence: node2's terminate=true on every node; the DC's fencing of the
	 * still-member node2 takes it away (the request is done) */
	assert_int_equal(hnode_push_modify(n[2].h, fence2, sizeof(fence2) - 1, 7, &err), 0);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++)
		assert_string_equal(cibdoc_get_transient_attr(hnode_cib(n[i].h), "2", "terminate"),
				    "true");
	fence_result(&r, "node2");
	assert_int_equal(hnode_send_result(n[0].h, &r), 0);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++) {
		assert_null(cibdoc_get_transient_attr(hnode_cib(n[i].h), "2", "terminate"));
		h = hnode_fencing_history(n[i].h, &count);
		assert_int_equal(count, 1);
		assert_string_equal(h[0].target, "node2");
		assert_string_equal(h[0].device, "fencer");
		assert_string_equal(h[0].origin, "node1");
		assert_string_equal(h[0].action, "off");
		assert_int_equal(h[0].rc, 0);
		assert_int_equal(h[0].time_s, 1700000100);
		assert_false(h[0].manual);
	}

	/* confirm: refused for a member and an unknown node */
	assert_int_equal(hnode_confirm_fenced(n[1].h, "node1", &err), -EBUSY);
	assert_non_null(strstr(err, "online in the membership"));
	free(err);
	assert_int_equal(hnode_confirm_fenced(n[1].h, "node9", &err), -ENOENT);
	free(err);
	/* a forged confirmation of a member (as if node2 had sent it) is not recorded */
	memset(&r, 0, sizeof(r));
	r.nodeid = 2;
	r.node = (char *)"node2";
	r.rsc = (char *)HNODE_FENCING_MANUAL;
	r.cls = (char *)"stonith";
	r.type = (char *)"manual";
	r.op = (char *)"off";
	r.fence_target = (char *)"node1";
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	/* nor one in another node's name */
	r.fence_target = (char *)"node3";
	r.nodeid = 1;
	r.node = (char *)"node1";
	assert_int_equal(hnode_send_result(n[1].h, &r), 0);
	ham_fake_net_run(net);
	hnode_fencing_history(n[0].h, &count);
	assert_int_equal(count, 1);
	assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[0].h), "1", "expected"),
			    "member");

	/* node3 runs d1 and crashes: unclean until node2's operator confirms it down */
	fill_result(&r, 3, "node3", "start", 0, 3, 0, 0);
	assert_int_equal(hnode_send_result(n[2].h, &r), 0);
	ham_fake_net_run(net);
	stop(&n[2], true);
	ham_fake_net_run(net);
	assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[0].h), "3", "expected"),
			    "member");
	assert_int_equal(hnode_confirm_fenced(n[1].h, "node3", &err), 0);
	ham_fake_net_run(net);
	for (i = 0; i < 2; i++) {
		assert_false(cibdoc_has_history(hnode_cib(n[i].h), "3", "d1"));
		assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[i].h), "3", "expected"),
				    "down");
		h = hnode_fencing_history(n[i].h, &count);
		assert_int_equal(count, 2);
		assert_string_equal(h[1].target, "node3");
		assert_string_equal(h[1].origin, "node2");
		assert_true(h[1].manual);
		assert_int_equal(h[1].rc, 0);
		assert_true(h[1].seq > h[0].seq);
	}
	/* no device ran: no resource history for the manual confirmation */
	s = dump(&n[0]);
	t = dump(&n[1]);
	assert_null(strstr(s, HNODE_FENCING_MANUAL));
	assert_string_equal(s, t);
	free(s);
	free(t);

	for (i = 0; i < 2; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload_round_trip),
		cmocka_unit_test(test_payload_malformed),
		cmocka_unit_test(test_results_recorded_everywhere),
		cmocka_unit_test(test_result_during_sync_and_fence),
		cmocka_unit_test(test_action_reaches_target_only),
		cmocka_unit_test(test_action_authority),
		cmocka_unit_test(test_action_authority_dc_restart_same_pid),
		cmocka_unit_test(test_result_authority),
		cmocka_unit_test(test_stray_process_on_node),
		cmocka_unit_test(test_pending_and_dc_timeout),
		cmocka_unit_test(test_operator_fencing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
