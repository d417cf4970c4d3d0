/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/tests/test_runner.c: the transition runner on the fake
 * transport, with a simulated executor per node (a table of what runs
 * where, answering like an OCF agent): probes on every node before the
 * first start, a start on exactly one node, no second dispatch of an action
 * in flight, recovery on a survivor when the node running the resource
 * crashes, a lost action timed out, and a new DC that picks up from the
 * replicated status without re-running completed work.
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
#include "runner.h"

#define N 3

struct tnode {
	hnode *h;
	ham_cluster *c;
	hrunner *run;
	uint32_t id;
	bool running;         /* the simulated resource d1 runs here */
	bool other;           /* the other resource (a fence device) runs here */
	unsigned fences;      /* fence requests executed here */
	bool fenced_before_start; /* a fence was done before d1 started anywhere after it */
	struct hop_action *queue; /* received requests, not yet answered */
	size_t n_queue;
	int64_t call_id;
	unsigned starts, probes, stops, monitors;
	unsigned param_starts; /* starts of d1 with its parameters */
	bool hold;            /* keep requests unanswered */
};

static struct tnode nodes[N];
static unsigned double_active;
/* Fence devices that fail: this one always, "good" its first good_fails times. */
static const char *fence_broken;
static unsigned good_fails;
static unsigned fence_attempts[4]; /* broken, good, other, any */

static void on_action(void *ud, const struct hop_action *a)
{
	struct tnode *t = ud;

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
	struct tnode *t = ud;

	return hnode_send_action(t->h, a);
}

static int send_result(void *ud, const struct hop_result *r)
{
	struct tnode *t = ud;

	return hnode_send_result(t->h, r);
}

static const struct hrunner_ops rops = { .send_action = send_action, .send_result = send_result };

static const char *const config =
	"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" validate-with=\"pacemaker-3.0\">"
	"<configuration><crm_config><cluster_property_set id=\"cps\">"
	"<nvpair id=\"cps-se\" name=\"stonith-enabled\" value=\"false\"/>"
	"</cluster_property_set></crm_config><nodes/><resources>"
	"<primitive id=\"d1\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
	"<instance_attributes id=\"d1-ia\"><nvpair id=\"d1-ia-s\" name=\"state\" value=\"/x\"/>"
	"</instance_attributes><operations><op id=\"d1-start\" name=\"start\" interval=\"0\" "
	"timeout=\"7s\"/></operations></primitive>"
	"</resources><constraints/></configuration><status/></cib>";

static void start_node(ham_fake_net *net, int i)
{
	struct tnode *t = &nodes[i];

	t->id = (uint32_t)i + 1;
	assert_int_equal(hnode_new(NULL, &ncb, t, &t->h), 0);
	assert_int_equal(ham_fake_connect(net, t->id, 100 + t->id, &hnode_cluster_callbacks, t->h,
					  &t->c), 0);
	hnode_attach(t->h, t->c);
	t->run = hrunner_new(t->h, &rops, t);
}

static void stop_node(int i, bool crash)
{
	struct tnode *t = &nodes[i];
	size_t k;

	if (crash)
		ham_fake_crash(t->c);
	t->run = hrunner_free(t->run);
	t->c = ham_cluster_free(t->c);
	t->h = hnode_free(t->h);
	for (k = 0; k < t->n_queue; k++)
		hop_action_clear(&t->queue[k]);
	free(t->queue);
	t->queue = NULL;
	t->n_queue = 0;
}

/* The simulated agent: answers each queued request. */
static bool execute(struct tnode *t)
{
	size_t k;

	if (t->hold || t->n_queue == 0)
		return false;
	for (k = 0; k < t->n_queue; k++) {
		struct hop_action *a = &t->queue[k];
		struct hop_result r = { 0 };
		char name[16];

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
		if (a->fence_target) {
			r.fence_target = a->fence_target;
			fence_attempts[strcmp(a->rsc, "broken") == 0 ? 0 :
				       strcmp(a->rsc, "good") == 0 ? 1 :
				       strcmp(a->rsc, "other") == 0 ? 2 : 3]++;
			if (ham_streq(a->rsc, fence_broken) ||
			    (strcmp(a->rsc, "good") == 0 && good_fails > 0 && good_fails--)) {
				r.rc = 1;
				r.op_status = HAM_CIB_OP_ERROR;
			} else {
				t->fences++;
				r.rc = 0;
			}
		} else if (strcmp(a->rsc, "d1") != 0) {
			if (strcmp(a->op, "start") == 0)
				t->other = true;
			else if (strcmp(a->op, "stop") == 0)
				t->other = false;
			r.rc = strcmp(a->op, "monitor") == 0 ? (t->other ? 0 : 7) : 0;
		} else if (strcmp(a->op, "start") == 0) {
			/* the engine's agent, parameters and the op's own timeout */
			assert_string_equal(a->cls, "ocf");
			assert_string_equal(a->provider, "hamgr");
			assert_string_equal(a->type, "dummy");
			if (strstr(a->rsc, "d1") && a->n_params > 0) {
				assert_int_equal(a->n_params, 1);
				assert_string_equal(a->params[0].name, "state");
				assert_string_equal(a->params[0].value, "/x");
				assert_int_equal(a->timeout_ms, 7000);
				t->param_starts++;
			}
			t->running = true;
			t->starts++;
			r.rc = 0;
		} else if (strcmp(a->op, "stop") == 0) {
			t->running = false;
			t->stops++;
			r.rc = 0;
		} else if (strcmp(a->op, "monitor") == 0) {
			if (a->interval_ms == 0)
				t->probes++;
			else
				t->monitors++;
			r.rc = t->running ? 0 : 7;
		} else {
			r.rc = 3;
		}
		assert_int_equal(hnode_send_result(t->h, &r), 0);
		hop_action_clear(a);
	}
	t->n_queue = 0;
	return true;
}

static unsigned active_count(void)
{
	unsigned k = 0;
	int i;

	for (i = 0; i < N; i++)
		k += nodes[i].h && nodes[i].running;
	return k;
}

/* Runs the cluster until nothing moves: deliver, compute (at now_s), execute. */
static void settle_at(ham_fake_net *net, int64_t now_s)
{
	int rounds, i;

	for (rounds = 0; rounds < 50; rounds++) {
		bool moved = ham_fake_net_run(net) > 0;

		for (i = 0; i < N; i++)
			if (nodes[i].run && hrunner_run(nodes[i].run, 1000, now_s) > 0)
				moved = true;
		moved |= ham_fake_net_run(net) > 0;
		for (i = 0; i < N; i++)
			if (nodes[i].h)
				moved |= execute(&nodes[i]);
		if (active_count() > 1)
			double_active++;
		if (!moved)
			return;
	}
	fail_msg("the cluster did not settle in 50 rounds");
}

static void settle(ham_fake_net *net)
{
	settle_at(net, 1700000000);
}

static int where(void)
{
	int i, w = -1;

	for (i = 0; i < N; i++)
		if (nodes[i].h && nodes[i].running) {
			assert_int_equal(w, -1);
			w = i;
		}
	return w;
}

static void push_xml(int i, const char *xml)
{
	char *err = NULL;

	assert_int_equal(hnode_push_config(nodes[i].h, xml, strlen(xml), 1, &err), 0);
	assert_null(err);
}

static void push(ham_fake_net *net, int i)
{
	char *err = NULL;

	assert_int_equal(hnode_push_config(nodes[i].h, config, strlen(config), 1, &err), 0);
	assert_null(err);
}

static void test_start_and_failover(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	int i, w, first;
	char *s;
	size_t len;

	memset(nodes, 0, sizeof(nodes));
	double_active = 0;
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	push(net, 1);
	settle(net);

	/* Probed everywhere once, then started on exactly one node. */
	for (i = 0; i < N; i++)
		assert_int_equal(nodes[i].probes, 1);
	w = where();
	assert_true(w >= 0);
	assert_int_equal(nodes[w].starts, 1);
	assert_int_equal(nodes[w].param_starts, 1);
	assert_int_equal(hrunner_in_flight(nodes[0].run), 0);
	cibdoc_dump(hnode_cib(nodes[2].h), &s, &len);
	assert_non_null(strstr(s, "operation_key=\"d1_start_0\""));
	free(s);

	/* Nothing more to do: another computation dispatches nothing. */
	assert_int_equal(hrunner_run(nodes[0].run, 2000, 1700000001), 0);

	/* The node running it crashes; the survivors start it once elsewhere. */
	first = w;
	stop_node(first, true);
	settle(net);
	w = where();
	assert_true(w >= 0);
	assert_true(w != first);
	assert_int_equal(nodes[w].starts, 1);
	assert_int_equal(double_active, 0);

	for (i = 0; i < N; i++)
		if (nodes[i].h)
			stop_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static void test_in_flight_and_timeout(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	uint64_t dl;
	int i;

	memset(nodes, 0, sizeof(nodes));
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	/* node2 does not answer. */
	nodes[1].hold = true;
	push(net, 0);
	settle(net);
	assert_int_equal(nodes[1].n_queue, 1); /* its probe */
	assert_int_equal(where(), -1);          /* no start while a probe is out */
	assert_int_equal(hrunner_in_flight(nodes[0].run), 1);

	/* Recomputing does not send the probe again. */
	assert_int_equal(hrunner_run(nodes[0].run, 3000, 1700000002), 0);
	ham_fake_net_run(net);
	assert_int_equal(nodes[1].n_queue, 1);

	/* Never acknowledged (a probe has no pending record): past its timeout
	 * plus cluster-delay it is forgotten, not recorded as timed out (the
	 * node may still be running it: only its own result is the truth). */
	dl = hrunner_next_deadline(nodes[0].run);
	assert_int_equal(dl, 1000 + 20000 + HRUNNER_CLUSTER_DELAY_MS);
	assert_int_equal(hrunner_expire(nodes[0].run, dl - 1), 0);
	assert_int_equal(hrunner_expire(nodes[0].run, dl), 0);
	assert_int_equal(hrunner_in_flight(nodes[0].run), 0);
	ham_fake_net_run(net);
	assert_false(cibdoc_has_history(hnode_cib(nodes[2].h), "2", "d1"));
	for (i = 0; i < N; i++) {
		size_t k;

		for (k = 0; k < nodes[i].n_queue; k++)
			hop_action_clear(&nodes[i].queue[k]);
		nodes[i].n_queue = 0;
		nodes[i].hold = false;
	}
	settle(net);
	assert_true(where() >= 0);

	for (i = 0; i < N; i++)
		stop_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static void test_new_dc_picks_up(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	unsigned probes_before[N];
	int i, w;

	memset(nodes, 0, sizeof(nodes));
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	{
		/* d1 prefers node3, away from the DC. */
		char *xml = ham_strdup(config);
		char *c = strstr(xml, "<constraints/>");
		char *full;

		*c = '\0';
		full = ham_asprintf("%s<constraints><rsc_location id=\"l1\" rsc=\"d1\" node=\"node3\" "
				    "score=\"100\"/></constraints>%s", xml, c + strlen("<constraints/>"));
		push_xml(2, full);
		free(full);
		free(xml);
	}
	settle(net);
	w = where();
	assert_int_equal(w, 2);
	for (i = 0; i < N; i++)
		probes_before[i] = nodes[i].probes;

	/* The DC (node1) crashes: the new DC changes nothing, no probe again,
	 * no second start. */
	stop_node(0, true);
	settle(net);
	assert_int_equal(hnode_dc(nodes[1].h), 2);
	assert_int_equal(where(), w);
	assert_int_equal(nodes[w].starts, 1);
	for (i = 1; i < N; i++)
		assert_int_equal(nodes[i].probes, probes_before[i]);

	for (i = 1; i < N; i++)
		stop_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static const char *const config_fencing =
	"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" validate-with=\"pacemaker-3.0\">"
	"<configuration><crm_config><cluster_property_set id=\"cps\">"
	"<nvpair id=\"cps-se\" name=\"stonith-enabled\" value=\"true\"/>"
	"<nvpair id=\"cps-sa\" name=\"stonith-action\" value=\"off\"/>"
	"</cluster_property_set></crm_config><nodes/><resources>"
	"<primitive id=\"fencer\" class=\"stonith\" type=\"fence_hamgr_netns\">"
	"<instance_attributes id=\"f-ia\"><nvpair id=\"f-ia-s\" name=\"socket\" value=\"/s\"/>"
	"</instance_attributes></primitive>"
	"<primitive id=\"d1\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>"
	"</resources><constraints><rsc_location id=\"l1\" rsc=\"d1\" node=\"node3\" "
	"score=\"100\"/></constraints></configuration><status/></cib>";

static void test_fence_before_recovery(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	int i, w;

	memset(nodes, 0, sizeof(nodes));
	double_active = 0;
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	push_xml(0, config_fencing);
	settle(net);
	assert_int_equal(where(), 2);

	/* node3 crashes: it is unclean; the DC fences it (off, with the
	 * device's parameters) and only then starts d1 on a survivor. */
	stop_node(2, true);
	ham_fake_net_run(net);
	assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(nodes[0].h), "3", "join"), "member");
	/* One computation: the fence goes out, the start waits for it. */
	nodes[0].hold = true;
	assert_int_equal(hrunner_run(nodes[0].run, 1000, 1700000000), 1);
	ham_fake_net_run(net);
	assert_int_equal(nodes[0].n_queue, 1);
	assert_string_equal(nodes[0].queue[0].op, "off");
	assert_string_equal(nodes[0].queue[0].fence_target, "node3");
	assert_string_equal(nodes[0].queue[0].params[0].name, "socket");
	assert_int_equal(where(), -1);
	/* Recomputing meanwhile sends nothing more. */
	assert_int_equal(hrunner_run(nodes[0].run, 1000, 1700000000), 0);
	nodes[0].hold = false;
	settle(net);
	assert_int_equal(nodes[0].fences, 1);
	w = where();
	assert_true(w == 0 || w == 1);
	assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(nodes[1].h), "3", "expected"), "down");
	assert_false(cibdoc_has_history(hnode_cib(nodes[1].h), "3", "d1"));
	assert_int_equal(double_active, 0);

	for (i = 0; i < 2; i++)
		stop_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static void test_recurring_monitor_and_recovery(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	struct hop_result r = { 0 };
	char *xml, *c, *full;
	int i, w;

	memset(nodes, 0, sizeof(nodes));
	double_active = 0;
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	/* d1 with a 10 s monitor. */
	xml = ham_strdup(config);
	c = strstr(xml, "</operations>");
	*c = '\0';
	full = ham_asprintf("%s<op id=\"d1-mon\" name=\"monitor\" interval=\"10s\"/></operations>%s",
			    xml, c + strlen("</operations>"));
	push_xml(0, full);
	free(full);
	free(xml);
	settle(net);
	w = where();
	assert_true(w >= 0);
	assert_int_equal(nodes[w].starts, 1);
	/* The monitor went to the node running it, once; recorded everywhere. */
	assert_int_equal(nodes[w].monitors, 1);
	for (i = 0; i < N; i++)
		if (i != w)
			assert_int_equal(nodes[i].monitors, 0);
	{
		char id[16];

		snprintf(id, sizeof(id), "%d", w + 1);
		assert_true(cibdoc_has_recurring(hnode_cib(nodes[(w + 1) % N].h), id, "d1", 10000));
	}
	/* Recomputing does not ask again. */
	assert_int_equal(hrunner_run(nodes[0].run, 2000, 1700000000), 0);

	/* The monitor finds it gone: the cluster recovers it (stop, start) and
	 * monitors it again. */
	nodes[w].running = false;
	r.nodeid = (uint32_t)w + 1;
	r.node = ham_asprintf("node%d", w + 1);
	r.rsc = (char *)"d1";
	r.cls = (char *)"ocf";
	r.provider = (char *)"hamgr";
	r.type = (char *)"dummy";
	r.op = (char *)"monitor";
	r.interval_ms = 10000;
	r.call_id = ++nodes[w].call_id; /* the node's own counter */
	r.rc = 7;
	r.expected_rc = 0;
	assert_int_equal(hnode_send_result(nodes[w].h, &r), 0);
	free(r.node);
	settle(net);
	assert_true(where() >= 0);
	assert_int_equal(nodes[where()].monitors, where() == w ? 2 : 1);
	assert_int_equal(double_active, 0);

	for (i = 0; i < N; i++)
		stop_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static const char *const config_two_devices =
	"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" validate-with=\"pacemaker-3.0\">"
	"<configuration><crm_config><cluster_property_set id=\"cps\">"
	"<nvpair id=\"cps-se\" name=\"stonith-enabled\" value=\"true\"/>"
	"<nvpair id=\"cps-sa\" name=\"stonith-action\" value=\"off\"/>"
	"</cluster_property_set></crm_config><nodes/><resources>"
	/* can fence node1 only: never asked for node3 */
	"<primitive id=\"other\" class=\"stonith\" type=\"fence_x\">"
	"<instance_attributes id=\"o-ia\"><nvpair id=\"o-l\" name=\"pcmk_host_list\" "
	"value=\"node1\"/></instance_attributes></primitive>"
	/* the agent decides (dynamic-list): after the devices naming node3 */
	"<primitive id=\"any\" class=\"stonith\" type=\"fence_x\"/>"
	"<primitive id=\"broken\" class=\"stonith\" type=\"fence_x\">"
	"<instance_attributes id=\"b-ia\"><nvpair id=\"b-l\" name=\"pcmk_host_list\" "
	"value=\"node2 node3\"/></instance_attributes></primitive>"
	"<primitive id=\"good\" class=\"stonith\" type=\"fence_x\">"
	"<instance_attributes id=\"g-ia\"><nvpair id=\"g-m\" name=\"pcmk_host_map\" "
	"value=\"node2:p2;node3:p3\"/></instance_attributes></primitive>"
	"<primitive id=\"d1\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>"
	"</resources><constraints><rsc_location id=\"l1\" rsc=\"d1\" node=\"node3\" "
	"score=\"100\"/></constraints></configuration><status/></cib>";

/* One computation at now_ms, everything it sent executed: returns the fence
 * device asked (static), or NULL; expect_fence: how many fence requests. */
static const char *fence_round(ham_fake_net *net, uint64_t now_ms, int expect_fence)
{
	static char dev[32];
	int fences = 0;
	size_t k;

	nodes[0].hold = true;
	hrunner_run(nodes[0].run, now_ms, 1700000000);
	ham_fake_net_run(net);
	dev[0] = '\0';
	for (k = 0; k < nodes[0].n_queue; k++) {
		if (nodes[0].queue[k].fence_target == NULL)
			continue;
		fences++;
		assert_string_equal(nodes[0].queue[k].fence_target, "node3");
		assert_string_equal(nodes[0].queue[k].op, "off");
		snprintf(dev, sizeof(dev), "%s", nodes[0].queue[k].rsc);
	}
	assert_int_equal(fences, expect_fence);
	nodes[0].hold = false;
	for (k = 0; k < N; k++)
		if (nodes[k].h)
			execute(&nodes[k]);
	ham_fake_net_run(net);
	return fences ? dev : NULL;
}

/*
 * Device choice and retries: the devices naming the victim first, in
 * configuration order (broken, good), then the one whose agent decides
 * (any); never the one whose static list lacks the victim (other). A
 * failure moves on to the next device at once; when all failed, the next
 * round waits a backoff. Nothing is started before the fencing succeeds.
 */
static void test_fence_retry(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	const char *dev;
	int i, w;

	memset(nodes, 0, sizeof(nodes));
	memset(fence_attempts, 0, sizeof(fence_attempts));
	double_active = 0;
	fence_broken = "broken";
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	push_xml(0, config_two_devices);
	settle(net);
	assert_int_equal(where(), 2);

	stop_node(2, true);
	ham_fake_net_run(net);
	good_fails = 2; /* good fails in the first two rounds */
	dev = fence_round(net, 1000, 1);
	assert_string_equal(dev, "broken");
	assert_int_equal(hrunner_fence_failures(nodes[0].run, "node3"), 1);
	dev = fence_round(net, 1000, 1);
	assert_string_equal(dev, "good");
	dev = fence_round(net, 1000, 1);
	assert_string_equal(dev, "any");
	assert_int_equal(nodes[0].fences, 1); /* any fenced it */
	assert_int_equal(hrunner_fence_failures(nodes[0].run, "node3"), 0);
	settle(net);
	w = where();
	assert_true(w == 0 || w == 1);
	assert_int_equal(fence_attempts[2], 0);
	assert_int_equal(double_active, 0);
	for (i = 0; i < 2; i++)
		stop_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);

	/* Now only devices that fail the first round: a backoff, then again. */
	memset(nodes, 0, sizeof(nodes));
	net = ham_fake_net_new(3, "testcluster");
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	{
		/* without "any" */
		char *x = ham_strdup(config_two_devices);
		char *a = strstr(x, "<primitive id=\"any\"");
		char *e = strstr(a, "/>") + 2;

		memmove(a, e, strlen(e) + 1);
		push_xml(0, x);
		free(x);
	}
	settle(net);
	assert_int_equal(where(), 2);
	stop_node(2, true);
	ham_fake_net_run(net);
	good_fails = 1;
	assert_string_equal(fence_round(net, 5000, 1), "broken");
	assert_string_equal(fence_round(net, 5000, 1), "good");
	assert_int_equal(hrunner_fence_failures(nodes[0].run, "node3"), 2);
	/* every device failed: nothing until the backoff is over */
	assert_null(fence_round(net, 5000, 0));
	assert_int_equal(hrunner_next_wakeup(nodes[0].run), 5000 + HRUNNER_FENCE_BACKOFF_MS);
	assert_null(fence_round(net, 5000 + HRUNNER_FENCE_BACKOFF_MS - 1, 0));
	assert_int_equal(where(), -1);
	assert_string_equal(fence_round(net, 5000 + HRUNNER_FENCE_BACKOFF_MS, 1), "broken");
	assert_int_equal(hrunner_fence_failures(nodes[0].run, "node3"), 3);
	assert_string_equal(fence_round(net, 5000 + HRUNNER_FENCE_BACKOFF_MS, 1), "good");
	assert_int_equal(nodes[0].fences, 1);
	/* the failed attempts are in the replicated status */
	assert_true(cibdoc_has_history(hnode_cib(nodes[1].h), "1", "broken"));
	settle(net);
	w = where();
	assert_true(w == 0 || w == 1);
	assert_int_equal(double_active, 0);
	fence_broken = NULL;
	for (i = 0; i < 2; i++)
		stop_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/*
 * The runner's own wake-ups: cluster-recheck-interval after each run, or
 * sooner when a recorded failure expires (failure-timeout).
 */
static void test_recheck_wakeup(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	struct hop_result r = { 0 };
	char *xml, *c, *full;
	int i, w;

	memset(nodes, 0, sizeof(nodes));
	double_active = 0;
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	/* nothing computed yet: no wish */
	assert_int_equal(hrunner_next_wakeup(nodes[1].run), 0);
	xml = ham_strdup(config);
	c = strstr(xml, "</operations>");
	*c = '\0';
	full = ham_asprintf("%s<op id=\"d1-mon\" name=\"monitor\" interval=\"10s\"/></operations>"
			    "<meta_attributes id=\"d1-m\"><nvpair id=\"d1-ft\" name=\"failure-timeout\" "
			    "value=\"20s\"/></meta_attributes>%s", xml, c + strlen("</operations>"));
	free(xml);
	xml = full;
	c = strstr(xml, "</cluster_property_set>");
	*c = '\0';
	full = ham_asprintf("%s<nvpair id=\"cps-ri\" name=\"cluster-recheck-interval\" "
			    "value=\"60s\"/></cluster_property_set>%s", xml,
			    c + strlen("</cluster_property_set>"));
	push_xml(0, full);
	free(full);
	free(xml);
	settle(net);
	w = where();
	assert_true(w >= 0);
	assert_int_equal(hrunner_run(nodes[0].run, 1000, 1700000000), 0);
	assert_int_equal(hrunner_next_wakeup(nodes[0].run), 1000 + 60000);
	assert_int_equal(hrunner_next_wakeup(nodes[1].run), 0); /* not the DC */

	/* A monitor failure 5 s ago: it expires in 16 s (20 s, whole seconds, after). */
	nodes[w].running = false;
	r.nodeid = (uint32_t)w + 1;
	r.node = ham_asprintf("node%d", w + 1);
	r.rsc = (char *)"d1";
	r.cls = (char *)"ocf";
	r.provider = (char *)"hamgr";
	r.type = (char *)"dummy";
	r.op = (char *)"monitor";
	r.interval_ms = 10000;
	r.call_id = ++nodes[w].call_id;
	r.rc = 7;
	r.expected_rc = 0;
	r.last_run_s = r.last_rc_change_s = 1700000000 - 5;
	assert_int_equal(hnode_send_result(nodes[w].h, &r), 0);
	free(r.node);
	settle(net);
	assert_true(where() >= 0);
	assert_int_equal(hrunner_run(nodes[0].run, 2000, 1700000000), 0);
	assert_int_equal(hrunner_next_wakeup(nodes[0].run), 2000 + 16000);
	/* once it has expired, only the recheck interval is left */
	assert_int_equal(hrunner_run(nodes[0].run, 30000, 1700000030), 0);
	assert_int_equal(hrunner_next_wakeup(nodes[0].run), 30000 + 60000);

	for (i = 0; i < N; i++)
		stop_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/*
 * move --lifetime: the preference counts until its end; the DC computes
 * again then (before cluster-recheck-interval), the resource goes back to
 * where the other constraint wants it, and the DC has the ended constraint
 * removed everywhere.
 */
static void test_lifetime_expiry(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	const int64_t t0 = 1700000000; /* 2023-11-14T22:13:20Z */
	char *xml, *c, *full, *s;
	size_t len;
	int i;

	memset(nodes, 0, sizeof(nodes));
	double_active = 0;
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	xml = ham_strdup(config);
	c = strstr(xml, "<constraints/>");
	*c = '\0';
	full = ham_asprintf("%s<constraints><rsc_location id=\"l1\" rsc=\"d1\" node=\"node1\" "
			    "score=\"100\"/><rsc_location id=\"cli-prefer-d1\" rsc=\"d1\" "
			    "role=\"Started\"><rule id=\"cli-prefer-d1-rule\" score=\"INFINITY\" "
			    "boolean-op=\"and\"><expression id=\"cli-prefer-d1-expr\" "
			    "attribute=\"#uname\" operation=\"eq\" value=\"node3\" type=\"string\"/>"
			    "<date_expression id=\"cli-prefer-d1-lifetime\" operation=\"lt\" "
			    "end=\"2023-11-14T22:15:00Z\"/></rule></rsc_location></constraints>%s",
			    xml, c + strlen("<constraints/>"));
	push_xml(1, full);
	free(full);
	free(xml);
	settle_at(net, t0);
	assert_int_equal(where(), 2);
	/* the next computation is due at the end (100 s), not in 15 min */
	assert_int_equal(hrunner_run(nodes[0].run, 5000, t0), 0);
	assert_int_equal(hrunner_next_wakeup(nodes[0].run), 5000 + 100000);
	assert_int_equal(hrunner_run(nodes[0].run, 5000, t0 + 99), 0);
	assert_int_equal(hrunner_next_wakeup(nodes[0].run), 5000 + 1000);

	/* at the end: back to node1, the constraint removed on every node */
	settle_at(net, t0 + 100);
	assert_int_equal(where(), 0);
	assert_int_equal(double_active, 0);
	for (i = 0; i < N; i++) {
		cibdoc_dump(hnode_cib(nodes[i].h), &s, &len);
		assert_null(strstr(s, "cli-prefer-d1"));
		assert_non_null(strstr(s, "id=\"l1\""));
		free(s);
	}
	/* nothing left to wait for but cluster-recheck-interval (15 min) */
	assert_int_equal(hrunner_run(nodes[0].run, 7000, t0 + 101), 0);
	assert_int_equal(hrunner_next_wakeup(nodes[0].run), 7000 + 15 * 60 * 1000);

	for (i = 0; i < N; i++)
		stop_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/*
 * no-quorum-policy=suicide: a partition of two nodes that lost quorum (3 of
 * 5 expected votes before, 2 after) fences its other member first and the
 * DC itself only once that is done.
 */
static void test_suicide_fences_self_last(void **state)
{
	static const char *const config_suicide =
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" validate-with=\"pacemaker-3.0\">"
		"<configuration><crm_config><cluster_property_set id=\"cps\">"
		"<nvpair id=\"cps-se\" name=\"stonith-enabled\" value=\"true\"/>"
		"<nvpair id=\"cps-sa\" name=\"stonith-action\" value=\"off\"/>"
		"<nvpair id=\"cps-nq\" name=\"no-quorum-policy\" value=\"suicide\"/>"
		"</cluster_property_set></crm_config><nodes/><resources>"
		"<primitive id=\"fencer\" class=\"stonith\" type=\"fence_hamgr_netns\">"
		"<instance_attributes id=\"f-ia\"><nvpair id=\"f-ia-s\" name=\"socket\" value=\"/s\"/>"
		"</instance_attributes></primitive>"
		"<primitive id=\"d1\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>"
		"</resources><constraints/></configuration><status/></cib>";
	static const uint32_t side[] = { 1, 2 };
	ham_fake_net *net = ham_fake_net_new(5, "testcluster");
	const char *first = NULL;
	unsigned n_fence = 0;
	size_t k;
	int i;

	(void)state;
	memset(nodes, 0, sizeof(nodes));
	double_active = 0;
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	assert_true(hnode_quorate(nodes[0].h));
	push_xml(0, config_suicide);
	settle(net);

	ham_fake_net_partition(net, side, 2);
	ham_fake_net_run(net);
	assert_false(hnode_quorate(nodes[0].h));
	/* One computation on the minority's DC (node1): only node2's fence. */
	for (i = 0; i < N; i++)
		nodes[i].hold = true;
	hrunner_run(nodes[0].run, 2000, 1700000000);
	ham_fake_net_run(net);
	for (i = 0; i < 2; i++)
		for (k = 0; k < nodes[i].n_queue; k++)
			if (nodes[i].queue[k].fence_target) {
				n_fence++;
				first = nodes[i].queue[k].fence_target;
			}
	assert_int_equal(n_fence, 1);
	assert_string_equal(first, "node2");
	/* Recomputing while it is in flight does not fence node1 yet. */
	hrunner_run(nodes[0].run, 2000, 1700000000);
	ham_fake_net_run(net);
	n_fence = 0;
	for (i = 0; i < 2; i++)
		for (k = 0; k < nodes[i].n_queue; k++)
			n_fence += nodes[i].queue[k].fence_target != NULL;
	assert_int_equal(n_fence, 1);

	for (i = 0; i < N; i++)
		stop_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/* Node i begins what it holds: a pending record for each queued request
 * that gets one (the lrm sends it when the agent starts). */
static unsigned begin_held(ham_fake_net *net, int i)
{
	struct tnode *t = &nodes[i];
	unsigned k = 0;
	size_t q;

	for (q = 0; q < t->n_queue; q++) {
		struct hop_action *a = &t->queue[q];
		struct hop_result r = { 0 };
		char name[16];

		if (!hop_op_records_pending(a->op, a->interval_ms))
			continue;
		snprintf(name, sizeof(name), "node%u", t->id);
		r.nodeid = t->id;
		r.node = name;
		r.rsc = a->rsc;
		r.cls = a->cls;
		r.provider = a->provider;
		r.type = a->type;
		r.op = a->op;
		r.call_id = -1;
		r.rc = 193;
		r.op_status = HAM_CIB_OP_PENDING;
		r.expected_rc = a->expected_rc;
		r.action_id = a->action_id;
		r.transition_id = a->transition_id;
		r.dc_uuid = a->dc_uuid;
		assert_int_equal(hnode_send_result(t->h, &r), 0);
		k++;
	}
	ham_fake_net_run(net);
	return k;
}

/*
 * A stop in flight on node3 when the DC crashes: the new DC sees it pending
 * in the status and starts nothing elsewhere until it is done (the engine
 * alone would take the resource for stopped there).
 */
static void test_new_dc_waits_for_pending(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	char *xml, *c, *full;
	int i;

	memset(nodes, 0, sizeof(nodes));
	double_active = 0;
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	xml = ham_strdup(config);
	c = strstr(xml, "<constraints/>");
	*c = '\0';
	full = ham_asprintf("%s<constraints><rsc_location id=\"l1\" rsc=\"d1\" node=\"node3\" "
			    "score=\"100\"/></constraints>%s", xml, c + strlen("<constraints/>"));
	push_xml(0, full);
	free(full);
	settle(net);
	assert_int_equal(where(), 2);

	/* Move it to node2; node3 begins the stop and takes its time. */
	nodes[2].hold = true;
	full = ham_asprintf("%s<constraints><rsc_location id=\"l1\" rsc=\"d1\" node=\"node2\" "
			    "score=\"100\"/></constraints>%s", xml, c + strlen("<constraints/>"));
	push_xml(0, full);
	free(full);
	free(xml);
	settle(net);
	assert_int_equal(nodes[2].n_queue, 1);
	assert_string_equal(nodes[2].queue[0].op, "stop");
	assert_int_equal(begin_held(net, 2), 1);
	assert_int_equal(hrunner_in_flight(nodes[0].run), 1);

	/* The DC crashes: node2, the new DC, starts nothing while the stop is pending. */
	stop_node(0, true);
	settle(net);
	assert_int_equal(hnode_dc(nodes[1].h), 2);
	assert_int_equal(nodes[1].starts, 0);
	assert_int_equal(where(), 2);
	/* ... and its result, asked by the old DC, is taken. */
	nodes[2].hold = false;
	settle(net);
	assert_int_equal(where(), 1);
	assert_int_equal(nodes[1].starts, 1);
	assert_int_equal(double_active, 0);

	for (i = 1; i < N; i++)
		stop_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/*
 * Deadlines: from the dispatch only a bound for a lost request; once the
 * node's pending record is in, its own timeout + cluster-delay from then;
 * a timeout recorded then is replaced by the node's late result.
 */
static void test_deadline_from_ack(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	char *xml, *c, *full, *s;
	uint64_t dl0, dl1, t0, t1;
	int i;

	memset(nodes, 0, sizeof(nodes));
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	xml = ham_strdup(config);
	c = strstr(xml, "<constraints/>");
	*c = '\0';
	full = ham_asprintf("%s<constraints><rsc_location id=\"l1\" rsc=\"d1\" node=\"node3\" "
			    "score=\"100\"/></constraints>%s", xml, c + strlen("<constraints/>"));
	push_xml(0, full);
	free(full);
	settle(net);
	assert_int_equal(where(), 2);
	nodes[2].hold = true;
	full = ham_asprintf("%s<constraints><rsc_location id=\"l1\" rsc=\"d1\" node=\"node2\" "
			    "score=\"100\"/></constraints>%s", xml, c + strlen("<constraints/>"));
	push_xml(0, full);
	free(full);
	free(xml);
	settle(net);
	assert_int_equal(nodes[2].n_queue, 1);
	dl0 = hrunner_next_deadline(nodes[0].run);
	assert_int_equal(dl0, 1000 + 20000 + HRUNNER_CLUSTER_DELAY_MS);

	t0 = ham_now_mono_ms();
	assert_int_equal(begin_held(net, 2), 1);
	t1 = ham_now_mono_ms();
	dl1 = hrunner_next_deadline(nodes[0].run);
	assert_true(dl1 >= t0 + 20000 + HRUNNER_CLUSTER_DELAY_MS);
	assert_true(dl1 <= t1 + 20000 + HRUNNER_CLUSTER_DELAY_MS);
	assert_int_equal(hrunner_expire(nodes[0].run, dl1 - 1), 0);
	assert_int_equal(hrunner_expire(nodes[0].run, dl1), 1);
	ham_fake_net_run(net);
	s = NULL;
	{
		size_t len;

		cibdoc_dump(hnode_cib(nodes[1].h), &s, &len);
	}
	assert_non_null(strstr(s, "operation_key=\"d1_stop_0\" operation=\"stop\""));
	assert_non_null(strstr(s, "call-id=\"0\" rc-code=\"1\" op-status=\"2\""));
	free(s);

	/* The node's late, real result replaces it. */
	nodes[2].hold = false;
	execute(&nodes[2]);
	ham_fake_net_run(net);
	{
		size_t len;

		cibdoc_dump(hnode_cib(nodes[1].h), &s, &len);
	}
	{
		/* node3's last operation entry (the last failure stays until a cleanup) */
		char *e = strstr(strstr(s, "<lrm id=\"3\">"), "id=\"d1_last_0\"");

		assert_non_null(e);
		*strchr(e, '>') = '\0';
		assert_non_null(strstr(e, "rc-code=\"0\" op-status=\"0\""));
	}
	free(s);
	assert_false(cibdoc_rsc_active(hnode_cib(nodes[1].h), "3", "d1"));

	for (i = 0; i < N; i++)
		stop_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/*
 * Flow control: with node-action-limit=1 a node gets one action at a time,
 * and with batch-limit=1 the cluster has one in flight.
 */
static void test_flow_control(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	char *xml, *c, *full;
	int i;

	memset(nodes, 0, sizeof(nodes));
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	for (i = 0; i < N; i++)
		nodes[i].hold = true;
	xml = ham_strdup(config);
	c = strstr(xml, "</cluster_property_set>");
	*c = '\0';
	full = ham_asprintf("%s<nvpair id=\"cps-nal\" name=\"node-action-limit\" value=\"1\"/></%s",
			    xml, c + 2);
	free(xml);
	/* a second resource: two probes per node are wanted */
	xml = full;
	c = strstr(xml, "</resources>");
	*c = '\0';
	full = ham_asprintf("%s<primitive id=\"d2\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>"
			    "</resources>%s", xml, c + strlen("</resources>"));
	free(xml);
	push_xml(0, full);
	settle(net);
	for (i = 0; i < N; i++)
		assert_int_equal(nodes[i].n_queue, 1);
	assert_int_equal(hrunner_in_flight(nodes[0].run), 3);

	/* batch-limit=1 on top: one action in flight in the whole cluster. */
	xml = full;
	c = strstr(xml, "</cluster_property_set>");
	*c = '\0';
	full = ham_asprintf("%s<nvpair id=\"cps-bl\" name=\"batch-limit\" value=\"1\"/></%s", xml,
			    c + 2);
	free(xml);
	xml = full;
	for (i = 0; i < N; i++) {
		nodes[i].hold = false;
		execute(&nodes[i]);
	}
	ham_fake_net_run(net);
	for (i = 0; i < N; i++)
		nodes[i].hold = true;
	push_xml(0, xml);
	free(xml);
	for (i = 0; i < 5; i++) {
		ham_fake_net_run(net);
		hrunner_run(nodes[0].run, 1000, 1700000000);
		ham_fake_net_run(net);
		assert_true(hrunner_in_flight(nodes[0].run) <= 1);
	}
	assert_int_equal(hrunner_in_flight(nodes[0].run), 1);

	for (i = 0; i < N; i++) {
		nodes[i].hold = false;
		stop_node(i, false);
	}
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/* Node i reports a start of rsc done (its own result). */
static void started(ham_fake_net *net, int i, const char *rsc)
{
	struct tnode *t = &nodes[i];
	struct hop_result r = { 0 };
	char name[16];

	snprintf(name, sizeof(name), "node%u", t->id);
	r.nodeid = t->id;
	r.node = name;
	r.rsc = (char *)rsc;
	r.cls = (char *)"ocf";
	r.provider = (char *)"hamgr";
	r.type = (char *)"dummy";
	r.op = (char *)"start";
	r.call_id = ++t->call_id;
	r.op_status = HAM_CIB_OP_DONE;
	assert_int_equal(hnode_send_result(t->h, &r), 0);
	ham_fake_net_run(net);
}

/*
 * A clone's instances share the primitive's name on a node (its history,
 * its state, a stop that cancels its monitors): the runner has one action
 * of that primitive at a time on a node, whatever instance it is for. Here
 * node2's history shows two instances started there; the engine moves one
 * away (a stop of cd on node2) and wants a monitor for the other (cd on
 * node2): not both at once. Without it, two instances' starts on one node
 * were dispatched together (chaos, seed 2), one answered "already running"
 * and the other recorded as timed out.
 */
static void test_clone_one_action_per_node(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	char *xml, *c, *full;
	unsigned rounds, on2, seen = 0;
	size_t q;
	int i;

	memset(nodes, 0, sizeof(nodes));
	for (i = 0; i < N; i++) {
		ham_fake_net_add_node(net, (uint32_t)i + 1, NULL);
		start_node(net, i);
	}
	settle(net);
	nodes[1].other = true; /* "cd" runs on node2 (the executor's other resource) */
	started(net, 1, "cd:0");
	started(net, 1, "cd:1");
	xml = ham_strdup(config);
	c = strstr(xml, "</resources>");
	*c = '\0';
	full = ham_asprintf("%s<clone id=\"cd-clone\"><meta_attributes id=\"cd-m\">"
			    "<nvpair id=\"cd-m-max\" name=\"clone-max\" value=\"2\"/>"
			    "</meta_attributes><primitive id=\"cd\" class=\"ocf\" provider=\"hamgr\" "
			    "type=\"dummy\"><operations><op id=\"cd-mon\" name=\"monitor\" "
			    "interval=\"2s\" timeout=\"10s\"/></operations></primitive></clone>"
			    "</resources>%s", xml, c + strlen("</resources>"));
	free(xml);
	nodes[1].hold = true;
	push_xml(0, full);
	free(full);
	for (rounds = 0; rounds < 20; rounds++) {
		ham_fake_net_run(net);
		for (i = 0; i < N; i++)
			hrunner_run(nodes[i].run, 1000, 1700000000);
		ham_fake_net_run(net);
		for (on2 = 0, q = 0; q < nodes[1].n_queue; q++)
			on2 += ham_streq(nodes[1].queue[q].rsc, "cd") &&
			       !(strcmp(nodes[1].queue[q].op, "monitor") == 0 &&
				 nodes[1].queue[q].interval_ms == 0);
		for (q = 0; q < nodes[1].n_queue && getenv("TEST_VERBOSE"); q++)
			fprintf(stderr, "round %u node2: %s %s %llu\n", rounds, nodes[1].queue[q].rsc,
				nodes[1].queue[q].op, (unsigned long long)nodes[1].queue[q].interval_ms);
		assert_true(on2 <= 1);
		seen += on2;
		for (i = 0; i < N; i++) {
			nodes[i].hold = false;
			execute(&nodes[i]);
		}
		nodes[1].hold = true;
	}
	assert_true(seen >= 2); /* the stop, then the monitor */
	nodes[1].hold = false;

	for (i = 0; i < N; i++)
		stop_node(i, false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_and_failover),
		cmocka_unit_test(test_in_flight_and_timeout),
		cmocka_unit_test(test_new_dc_picks_up),
		cmocka_unit_test(test_fence_before_recovery),
		cmocka_unit_test(test_recurring_monitor_and_recovery),
		cmocka_unit_test(test_fence_retry),
		cmocka_unit_test(test_recheck_wakeup),
		cmocka_unit_test(test_lifetime_expiry),
		cmocka_unit_test(test_suicide_fences_self_last),
		cmocka_unit_test(test_new_dc_waits_for_pending),
		cmocka_unit_test(test_flow_control),
		cmocka_unit_test(test_deadline_from_ack),
		cmocka_unit_test(test_clone_one_action_per_node),
	};

	if (getenv("TEST_VERBOSE"))
		ham_log_init("test_runner", HAM_LOG_TOOL, 2, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
