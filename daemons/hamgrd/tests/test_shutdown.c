/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/tests/test_shutdown.c: the leave protocol (shutdown.h) on
 * the fake transport, three nodes in one process, each with its node
 * state, runner and shutdown state machine, and a simulated executor: the
 * request payload; "nothing active" read from a node's status; peers take
 * a leaver with active resources as unclean, and a crashed one too; the
 * node running a group asks to leave: the group moves, never active on two
 * nodes, and the node leaves (clean) only after the DC's shutdown action;
 * without quorum the node stops its own resources in reverse dependency
 * order, then leaves; a second request is ignored.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hamgr/common.h>
#include <hamgr/cluster.h>
#include "node.h"
#include "opmsg.h"
#include "runner.h"
#include "shutdown.h"

#define N 3
#define NRSC 2

static const char *const rscs[NRSC] = { "a", "b" }; /* group g: a then b */

struct tnode {
	hnode *h;
	ham_cluster *c;
	hrunner *run;
	hshutdown *sd;
	uint32_t id;
	bool running[NRSC];
	struct hop_action *queue;
	size_t n_queue;
	int64_t call_id;
	bool permitted;     /* the DC's shutdown action came */
	bool left, clean;   /* leave() was called */
	bool stop_fails;    /* stops fail here */
	char stops[8];      /* the order of the stops run here */
	size_t n_stops;
	unsigned local_runs;/* actions from the shutdown machine itself */
};

static struct tnode nodes[N];
static unsigned double_active;
static uint64_t now_ms;

static void on_action(void *ud, const struct hop_action *a)
{
	struct tnode *t = ud;

	if (hshutdown_is_action(a)) {
		t->permitted = true;
		if (t->sd)
			hshutdown_permit(t->sd, a);
		return;
	}
	t->queue = ham_reallocarray(t->queue, t->n_queue + 1, sizeof(*t->queue));
	hop_action_copy(&t->queue[t->n_queue++], a);
}

static void on_result(void *ud, const struct hop_result *r)
{
	struct tnode *t = ud;

	if (t->run)
		hrunner_result(t->run, r);
}

static const struct hnode_callbacks ncb = { .action = on_action, .op_result = on_result };

static int send_action(void *ud, const struct hop_action *a)
{
	return hnode_send_action(((struct tnode *)ud)->h, a);
}

static int send_result(void *ud, const struct hop_result *r)
{
	return hnode_send_result(((struct tnode *)ud)->h, r);
}

static const struct hrunner_ops rops = { .send_action = send_action, .send_result = send_result };

static void sd_run_local(void *ud, const struct hop_action *a)
{
	struct tnode *t = ud;

	t->local_runs++;
	on_action(ud, a);
}

static unsigned sd_busy(void *ud)
{
	return (unsigned)((struct tnode *)ud)->n_queue;
}

static void sd_leave(void *ud, bool clean)
{
	struct tnode *t = ud;

	assert_false(t->left);
	t->left = true;
	t->clean = clean;
}

static int sd_send_leaving(void *ud, const char *buf, size_t len)
{
	char *err = NULL;
	int r = hnode_send_leaving(((struct tnode *)ud)->h, buf, len, 0, &err);

	free(err);
	return r;
}

static const struct hshutdown_ops sops = { .run_local = sd_run_local, .busy = sd_busy,
					   .leave = sd_leave, .send_leaving = sd_send_leaving };

static const char *const config =
	"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" validate-with=\"pacemaker-3.0\">"
	"<configuration><crm_config><cluster_property_set id=\"cps\">"
	"<nvpair id=\"cps-se\" name=\"stonith-enabled\" value=\"false\"/>"
	"<nvpair id=\"cps-nq\" name=\"no-quorum-policy\" value=\"freeze\"/>"
	"</cluster_property_set></crm_config><nodes/><resources><group id=\"g\">"
	"<primitive id=\"a\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>"
	"<primitive id=\"b\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>"
	"</group></resources><constraints>%s</constraints></configuration><status/></cib>";

static int rsc_index(const char *rsc)
{
	int k;

	for (k = 0; k < NRSC; k++)
		if (ham_streq(rsc, rscs[k]))
			return k;
	fail_msg("unknown resource %s", rsc);
	return -1;
}

static void start_node(ham_fake_net *net, int i)
{
	struct tnode *t = &nodes[i];

	memset(t, 0, sizeof(*t));
	t->id = (uint32_t)i + 1;
	assert_int_equal(hnode_new(NULL, &ncb, t, &t->h), 0);
	assert_int_equal(ham_fake_connect(net, t->id, 100 + t->id, &hnode_cluster_callbacks, t->h,
					  &t->c), 0);
	hnode_attach(t->h, t->c);
	t->run = hrunner_new(t->h, &rops, t);
	t->sd = hshutdown_new(t->h, &sops, t, 0);
}

static void free_node(int i, bool crash)
{
	struct tnode *t = &nodes[i];
	size_t k;

	if (crash)
		ham_fake_crash(t->c);
	t->sd = hshutdown_free(t->sd);
	t->run = hrunner_free(t->run);
	t->c = ham_cluster_free(t->c); /* not crashed: leaves the group (HAM_REASON_LEAVE) */
	t->h = hnode_free(t->h);
	for (k = 0; k < t->n_queue; k++)
		hop_action_clear(&t->queue[k]);
	free(t->queue);
	t->queue = NULL;
	t->n_queue = 0;
}

/* The simulated agent answers each queued request. */
static bool execute(struct tnode *t)
{
	size_t k;

	if (t->n_queue == 0)
		return false;
	for (k = 0; k < t->n_queue; k++) {
		struct hop_action *a = &t->queue[k];
		struct hop_result r = { 0 };
		char name[16];
		int x = rsc_index(a->rsc);

		snprintf(name, sizeof(name), "node%u", t->id);
		r.nodeid = t->id;
		r.node = name;
		r.rsc = a->rsc;
		r.cls = a->cls;
		r.provider = a->provider;
		r.type = a->type;
		r.op = a->op;
		r.interval_ms = a->interval_ms;
		r.call_id = ++t->call_id;
		r.expected_rc = a->expected_rc;
		r.action_id = a->action_id;
		r.transition_id = a->transition_id;
		r.dc_uuid = a->dc_uuid;
		r.op_status = HAM_CIB_OP_DONE;
		if (strcmp(a->op, "start") == 0) {
			t->running[x] = true;
		} else if (strcmp(a->op, "stop") == 0) {
			/* what really stopped here, in order (a stop of a stopped
			 * resource succeeds and is not recorded, as OCF has it) */
			if (t->running[x] && t->n_stops < sizeof(t->stops) - 1)
				t->stops[t->n_stops++] = a->rsc[0];
			if (t->stop_fails) {
				r.rc = 1;
				r.op_status = HAM_CIB_OP_ERROR;
			} else {
				t->running[x] = false;
			}
		} else if (strcmp(a->op, "monitor") == 0) {
			r.rc = t->running[x] ? 0 : 7;
		}
		assert_int_equal(hnode_send_result(t->h, &r), 0);
		hop_action_clear(a);
	}
	t->n_queue = 0;
	return true;
}

static void check_double(void)
{
	int k, i;

	for (k = 0; k < NRSC; k++) {
		unsigned c = 0;

		for (i = 0; i < N; i++)
			c += nodes[i].h && nodes[i].running[k];
		if (c > 1)
			double_active++;
	}
}

/* Runs the cluster until nothing moves; a node that left is freed (LEAVE). */
static void settle(ham_fake_net *net)
{
	int rounds, i;

	for (rounds = 0; rounds < 100; rounds++) {
		bool moved = ham_fake_net_run(net) > 0;

		now_ms += 100;
		for (i = 0; i < N; i++)
			if (nodes[i].run && hrunner_run(nodes[i].run, now_ms, 1700000000) > 0)
				moved = true;
		moved |= ham_fake_net_run(net) > 0;
		for (i = 0; i < N; i++)
			if (nodes[i].h) {
				hshutdown_step(nodes[i].sd, now_ms);
				moved |= execute(&nodes[i]);
			}
		check_double();
		for (i = 0; i < N; i++)
			if (nodes[i].h && nodes[i].left) {
				bool left = true, clean = nodes[i].clean;
				unsigned permitted = nodes[i].permitted;
				char stops[8];

				memcpy(stops, nodes[i].stops, sizeof(stops));
				free_node(i, false);
				nodes[i].left = left;
				nodes[i].clean = clean;
				nodes[i].permitted = permitted;
				memcpy(nodes[i].stops, stops, sizeof(stops));
				moved = true;
			}
		if (!moved)
			return;
	}
	fail_msg("the cluster did not settle in 100 rounds");
}

/* Where resource k runs (-1: nowhere); asserts it runs on one node at most. */
static int where(int k)
{
	int i, w = -1;

	for (i = 0; i < N; i++)
		if (nodes[i].h && nodes[i].running[k]) {
			assert_int_equal(w, -1);
			w = i;
		}
	return w;
}

/* A cluster of N nodes running group g (on prefer, when not NULL). */
static ham_fake_net *form_on(const char *prefer)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	char *err = NULL, *cons, *xml;
	int i;

	memset(nodes, 0, sizeof(nodes));
	double_active = 0;
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	cons = prefer ? ham_asprintf("<rsc_location id=\"l\" rsc=\"g\" node=\"%s\" "
				     "score=\"100\"/>", prefer) : ham_strdup("");
	xml = ham_asprintf(config, cons);
	assert_int_equal(hnode_push_config(nodes[0].h, xml, strlen(xml), 1, &err), 0);
	assert_null(err);
	free(xml);
	free(cons);
	settle(net);
	assert_true(where(0) >= 0);
	assert_int_equal(where(0), where(1));
	return net;
}

static ham_fake_net *form(void) { return form_on(NULL); }

static void teardown(ham_fake_net *net)
{
	int i;

	for (i = 0; i < N; i++)
		if (nodes[i].h)
			free_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static const char *expected_of(int observer, uint32_t id)
{
	char ids[16];

	snprintf(ids, sizeof(ids), "%u", id);
	return cibdoc_get_node_state_attr(hnode_cib(nodes[observer].h), ids, "expected");
}

/* ---- tests ---------------------------------------------------------------- */

static void test_payload(void **state)
{
	uint32_t ids[] = { 3, 1 };
	struct hshutdown_request q = { .time_s = 1700000000, .nodes = ids, .n_nodes = 2 }, d;
	const char *why = NULL;
	char *buf;
	size_t len;
	static const struct { const char *buf; size_t len; } bad[] = {
		{ "time=1", 6 },                         /* no NUL at the end */
		{ "time=1\0", 7 },                       /* no node */
		{ "node=1\0", 7 },                       /* no time */
		{ "time=1\0node=0\0", 14 },              /* node 0 */
		{ "time=1\0node=2\0node=2\0", 21 },      /* a node twice */
		{ "time=x\0node=2\0", 14 },              /* time not a number */
		{ "time=1\0time=2\0node=2\0", 21 },      /* time twice */
		{ "time=1\0node=2\0who=3\0", 20 },       /* unknown key */
	};
	size_t i;

	hshutdown_request_encode(&q, &buf, &len);
	assert_int_equal(hshutdown_request_decode(buf, len, &d, &why), 0);
	assert_int_equal(d.time_s, 1700000000);
	assert_int_equal(d.n_nodes, 2);
	assert_int_equal(d.nodes[0], 3);
	assert_int_equal(d.nodes[1], 1);
	hshutdown_request_clear(&d);
	free(buf);
	for (i = 0; i < HAM_ARRAY_SIZE(bad); i++) {
		why = NULL;
		assert_int_equal(hshutdown_request_decode(bad[i].buf, bad[i].len, &d, &why),
				 -HAM_E_PROTOCOL);
		assert_non_null(why);
		assert_null(d.nodes);
	}
}

static cibdoc *doc_with_op(const char *op, const char *interval, const char *rc,
			   const char *status)
{
	char *xml = ham_asprintf(
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\"><configuration><crm_config/>"
		"<nodes/><resources/><constraints/></configuration><status>"
		"<node_state id=\"2\" uname=\"node2\"><lrm id=\"2\"><lrm_resources>"
		"<lrm_resource id=\"p\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
		"<lrm_rsc_op id=\"p_last_0\" operation=\"monitor\" interval=\"0\" rc-code=\"7\" "
		"op-status=\"0\"/>"
		"</lrm_resource>"
		"<lrm_resource id=\"x\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
		"<lrm_rsc_op id=\"x_last_0\" operation=\"%s\" interval=\"%s\" rc-code=\"%s\" "
		"op-status=\"%s\"/></lrm_resource></lrm_resources></lrm></node_state></status></cib>",
		op, interval, rc, status);
	cibdoc *d = NULL;
	char *err = NULL;

	assert_int_equal(cibdoc_parse(xml, strlen(xml), &d, &err), 0);
	free(xml);
	return d;
}

static void test_node_idle(void **state)
{
	static const struct { const char *op, *interval, *rc, *status; bool idle; } cases[] = {
		{ "stop", "0", "0", "0", true },
		{ "monitor", "0", "7", "0", true },      /* a probe: not running */
		{ "start", "0", "0", "0", false },
		{ "start", "0", "1", "4", false },        /* a failed start may have left it up */
		{ "stop", "0", "1", "4", false },         /* a failed stop */
		{ "stop", "0", "0", "-1", false },        /* a stop still pending */
		{ "stop", "0", "0", "2", false },         /* a stop that timed out */
		{ "monitor", "0", "0", "0", false },      /* a probe: running */
		{ "promote", "0", "0", "0", false },
	};
	size_t i;

	for (i = 0; i < HAM_ARRAY_SIZE(cases); i++) {
		cibdoc *d = doc_with_op(cases[i].op, cases[i].interval, cases[i].rc, cases[i].status);
		char *rsc = NULL;

		assert_int_equal(hshutdown_node_idle(d, 2, &rsc), cases[i].idle);
		if (!cases[i].idle)
			assert_string_equal(rsc, "x");
		free(rsc);
		assert_true(hshutdown_node_idle(d, 3, NULL)); /* no node_state: nothing ran */
		cibdoc_free(d);
	}
}

/* The DC runs the fencing: its fence device's history then ends with the
 * fencing operation (off or reboot), which neither leaves anything running
 * nor says anything of the device, a registration inside hamgrd. A DC that
 * fenced a node once could never leave cleanly (chaos, seed 2). */
static void test_node_idle_after_fencing(void **state)
{
	static const char xml[] =
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\"><configuration><crm_config/>"
		"<nodes/><resources/><constraints/></configuration><status>"
		"<node_state id=\"1\" uname=\"node1\"><lrm id=\"1\"><lrm_resources>"
		"<lrm_resource id=\"fencer\" class=\"stonith\" type=\"fence_hamgr_netns\">"
		"<lrm_rsc_op id=\"fencer_last_0\" operation=\"off\" interval=\"0\" rc-code=\"0\" "
		"op-status=\"0\"/></lrm_resource>"
		"<lrm_resource id=\"d1\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
		"<lrm_rsc_op id=\"d1_last_0\" operation=\"stop\" interval=\"0\" rc-code=\"0\" "
		"op-status=\"0\"/></lrm_resource>"
		"</lrm_resources></lrm></node_state></status></cib>";
	cibdoc *d = NULL;
	char *err = NULL, *rsc = NULL;

	assert_int_equal(cibdoc_parse(xml, strlen(xml), &d, &err), 0);
	assert_true(hshutdown_node_idle(d, 1, &rsc));
	assert_null(rsc);
	cibdoc_free(d);
}

/* A node that leaves the group while its status shows resources active is
 * not cleanly down; one with nothing active is. */
static void test_leave_with_active_is_unclean(void **state)
{
	ham_fake_net *net = form();
	int w = where(0), other = (w + 1) % N, idle = (w + 2) % N;

	/* The process exits at once (as hamgrd did on SIGTERM): it leaves. */
	free_node(w, false);
	ham_fake_net_run(net);
	assert_string_equal(expected_of(other, (uint32_t)w + 1), "member");
	/* A node that ran nothing leaves cleanly. */
	free_node(idle, false);
	ham_fake_net_run(net);
	assert_string_equal(expected_of(other, (uint32_t)idle + 1), "down");
	teardown(net);
}

/* A node that crashes (hamgrd killed: corosync reports it gone without a
 * leave) is never cleanly down, even with nothing active. */
static void test_crash_is_not_clean(void **state)
{
	ham_fake_net *net = form();
	int w = where(0), idle = (w + 1) % N, other = (w + 2) % N;

	free_node(idle, true);
	ham_fake_net_run(net);
	assert_string_equal(expected_of(other, (uint32_t)idle + 1), "member");
	teardown(net);
}

/* The node running the group leaves: node1 is the DC (the lowest id). */
static void orderly(bool dc)
{
	ham_fake_net *net = form_on(dc ? "node1" : "node3");
	int w = where(0), i, x = w;
	uint32_t leaver = (uint32_t)x + 1;

	assert_int_equal(w, dc ? 0 : 2);
	assert_int_equal(hnode_dc(nodes[1].h), 1);
	hshutdown_begin(nodes[x].sd, now_ms, 1700000000, "test");
	assert_int_equal(hshutdown_state(nodes[x].sd), HSHUTDOWN_ASKED);
	/* A second request changes nothing. */
	hshutdown_begin(nodes[x].sd, now_ms, 1700000000, "again");
	settle(net);
	assert_true(nodes[x].left);
	assert_true(nodes[x].clean);
	assert_true(nodes[x].permitted);
	assert_int_equal(nodes[x].local_runs, 0); /* the DC did the stops */
	assert_int_equal(double_active, 0);
	assert_true(where(0) >= 0);
	assert_true(where(0) != x);
	assert_int_equal(where(0), where(1));
	assert_string_equal(nodes[x].stops, "ba"); /* reverse of the group's order */
	for (i = 0; i < N; i++)
		if (nodes[i].h)
			assert_string_equal(expected_of(i, leaver), "down");
	teardown(net);
}

static void test_orderly_not_dc(void **state) { orderly(false); }
static void test_orderly_dc(void **state) { orderly(true); }

/* Without quorum the node stops its own resources, last started first. */
static void test_no_quorum_local_stop(void **state)
{
	ham_fake_net *net = form();
	int w = where(0), i;
	uint32_t me = (uint32_t)w + 1;

	ham_fake_net_partition(net, &me, 1);
	settle(net);
	assert_false(hnode_quorate(nodes[w].h));
	assert_true(nodes[w].running[0] && nodes[w].running[1]); /* freeze */
	hshutdown_begin(nodes[w].sd, now_ms, 1700000000, "test");
	settle(net);
	assert_true(nodes[w].left);
	assert_true(nodes[w].clean);
	assert_int_equal(nodes[w].local_runs, 2);
	assert_string_equal(nodes[w].stops, "ba");
	for (i = 0; i < NRSC; i++)
		assert_false(nodes[w].running[i]);
	teardown(net);
}

/* A stop that fails: the node leaves, and peers keep it unclean. */
static void test_failed_local_stop_leaves_unclean(void **state)
{
	ham_fake_net *net = form();
	int w = where(0), i;
	uint32_t me = (uint32_t)w + 1;

	ham_fake_net_partition(net, &me, 1);
	settle(net);
	nodes[w].stop_fails = true;
	hshutdown_begin(nodes[w].sd, now_ms, 1700000000, "test");
	settle(net);
	assert_true(nodes[w].left);
	assert_false(nodes[w].clean);
	assert_int_equal(nodes[w].stops[0], 'b');
	assert_null(strchr(nodes[w].stops, 'a')); /* a is not stopped under a running b */
	ham_fake_net_heal(net);
	for (i = 0; i < N; i++)
		if (nodes[i].h)
			assert_string_not_equal(expected_of(i, me), "down");
	teardown(net);
}

/* The DC never lets the node go (here: no DC runs): shutdown-escalation
 * makes it stop its own resources. */
static void test_escalation(void **state)
{
	ham_fake_net *net = form();
	int w = where(0), i;

	for (i = 0; i < N; i++)
		nodes[i].run = hrunner_free(nodes[i].run);
	hshutdown_begin(nodes[w].sd, now_ms, 1700000000, "test");
	settle(net);
	assert_false(nodes[w].left);
	assert_true(hshutdown_next_wakeup(nodes[w].sd) > now_ms);
	now_ms += HSHUTDOWN_ESCALATION_DEFAULT_MS;
	settle(net);
	assert_true(nodes[w].left);
	assert_true(nodes[w].clean);
	assert_string_equal(nodes[w].stops, "ba");
	teardown(net);
}

/* hactl node stop: a request for another node makes that node leave. */
static void test_request_for_other_node(void **state)
{
	ham_fake_net *net = form();
	int w = where(0), asker = (w + 1) % N;
	uint32_t target = (uint32_t)w + 1;
	struct hshutdown_request q = { .time_s = 1700000000, .nodes = &target, .n_nodes = 1 };
	char *buf, *err = NULL;
	size_t len;

	hshutdown_request_encode(&q, &buf, &len);
	assert_int_equal(hnode_send_leaving(nodes[asker].h, buf, len, 0, &err), 0);
	free(buf);
	settle(net);
	assert_true(nodes[w].left);
	assert_true(nodes[w].clean);
	assert_false(nodes[asker].left);
	assert_true(where(0) >= 0 && where(0) != w);
	assert_int_equal(double_active, 0);
	teardown(net);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_payload),
		cmocka_unit_test(test_node_idle),
		cmocka_unit_test(test_node_idle_after_fencing),
		cmocka_unit_test(test_leave_with_active_is_unclean),
		cmocka_unit_test(test_crash_is_not_clean),
		cmocka_unit_test(test_orderly_not_dc),
		cmocka_unit_test(test_orderly_dc),
		cmocka_unit_test(test_no_quorum_local_stop),
		cmocka_unit_test(test_failed_local_stop_leaves_unclean),
		cmocka_unit_test(test_escalation),
		cmocka_unit_test(test_request_for_other_node),
	};

	if (getenv("HAM_TEST_DEBUG"))
		ham_log_init("test_shutdown", HAM_LOG_TOOL, 2, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
