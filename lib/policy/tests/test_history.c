/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/policy's reading of a resource's operation history:
 * what the executor's status means given the expected result (a probe that
 * reports "error" with the expected "not running" is a success), what a
 * pending operation (record-pending: call-id -1, op-status -1) makes of the
 * resource, and where a pending entry goes among completed ones. Each test
 * builds a two-node CIB without fencing.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hamgr/policy.h>

#define NOW 1700000000

/* Nodes node1, node2 (online); resource "a" with a 10 s monitor; the given
 * constraints; lrm history `h1` on node1 and `h2` on node2 (lrm_rsc_op
 * elements of "a", or ""). */
static char *cib(const char *constraints, const char *h1, const char *h2)
{
	ham_buf b = HAM_BUF_INIT;
	const char *h[2] = { h1, h2 };
	int i;

	ham_buf_addf(&b, "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
			 "validate-with=\"pacemaker-3.0\" have-quorum=\"1\"><configuration>"
			 "<crm_config><cluster_property_set id=\"o\"><nvpair id=\"o1\" "
			 "name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
			 "</crm_config><nodes><node id=\"1\" uname=\"node1\"/>"
			 "<node id=\"2\" uname=\"node2\"/></nodes><resources>"
			 "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
			 "<operations><op id=\"a-mon\" name=\"monitor\" interval=\"10s\"/>"
			 "</operations></primitive></resources><constraints>%s</constraints>"
			 "</configuration><status>", constraints ? constraints : "");
	for (i = 0; i < 2; i++)
		ham_buf_addf(&b, "<node_state id=\"%d\" uname=\"node%d\" in_ccm=\"true\" "
				 "crmd=\"online\" join=\"member\" expected=\"member\"><lrm id=\"l%d\">"
				 "<lrm_resources><lrm_resource id=\"a\" class=\"ocf\" "
				 "provider=\"heartbeat\" type=\"Dummy\">%s</lrm_resource>"
				 "</lrm_resources></lrm></node_state>", i + 1, i + 1, i + 1, h[i]);
	ham_buf_add(&b, "</status></cib>");
	return ham_buf_steal(&b);
}

/* One lrm_rsc_op of "a". */
static char *op(const char *name, int interval_ms, int call_id, int rc, int status,
		const char *key)
{
	return ham_asprintf("<lrm_rsc_op id=\"a_%s_%d_%d\" operation=\"%s\" interval=\"%d\" "
			    "call-id=\"%d\" rc-code=\"%d\" op-status=\"%d\" "
			    "transition-key=\"%s\"/>",
			    name, interval_ms, call_id, name, interval_ms, call_id, rc, status, key);
}

static char *run(const char *xml)
{
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	struct ham_policy_options o = { .now_s = NOW };
	ham_buf b = HAM_BUF_INIT;
	char *err = NULL;

	if (ham_policy_input_load(xml, strlen(xml), &in, &err) < 0)
		fail_msg("load: %s", err ? err : "?");
	assert_int_equal(ham_policy_compute(in, &o, &t), 0);
	ham_transition_json(t, &b);
	ham_transition_free(t);
	ham_policy_input_free(in);
	return ham_buf_steal(&b);
}

static void expect_in(const char *json, const char *what)
{
	if (strstr(json, what) == NULL)
		fail_msg("expected %s in %s", what, json);
}

static void expect_not_in(const char *json, const char *what)
{
	if (strstr(json, what) != NULL)
		fail_msg("did not expect %s in %s", what, json);
}

#define PREFER2 "<rsc_location id=\"l\" rsc=\"a\" node=\"node2\" score=\"100\"/>"

/* Runs the engine on the history h1 (node1) / h2 (node2), frees them. */
static char *run_hist(const char *constraints, char *h1, char *h2)
{
	char *x = cib(constraints, h1 ? h1 : "", h2 ? h2 : "");
	char *j = run(x);

	free(x);
	free(h1);
	free(h2);
	return j;
}

static char *cat2(char *a, char *b)
{
	char *r = ham_asprintf("%s%s", a, b);

	free(a);
	free(b);
	return r;
}

/* The executor's status "error" (4) with the rc that was expected is a
 * success: a probe expecting "not running" found it not running. */
static void test_error_status_with_expected_rc(void **state)
{
	char *j;

	(void)state;
	/* running on node1; node2's probe: op-status 4, rc 7, expected 7 */
	j = run_hist(NULL, cat2(op("start", 0, 3, 0, 0, "2:1:0:u"),
				op("monitor", 10000, 4, 0, 0, "3:1:0:u")),
		     op("monitor", 0, 2, 7, 4, "1:1:7:u"));
	expect_in(j, "\"a\": {\"Started\": [\"node1\"]}");
	expect_not_in(j, "Recover");
	expect_not_in(j, "\"Stop\"");
	free(j);
	/* the same status with an rc that was not expected stays a failure */
	j = run_hist(NULL, cat2(op("start", 0, 3, 0, 0, "2:1:0:u"),
				op("monitor", 10000, 4, 1, 4, "3:1:0:u")), NULL);
	expect_in(j, "[\"Recover\", \"a\", \"node1\", \"node1\"");
	free(j);
	/* a start that returned "done" with rc 5 (not installed) bans node1 */
	j = run_hist(NULL, op("start", 0, 3, 5, 0, "2:1:0:u"), NULL);
	expect_in(j, "\"a\": {\"Started\": [\"node2\"]}");
	free(j);
	/* a recurring monitor the agent lacks (rc 3) is recovered in place */
	j = run_hist(NULL, cat2(op("start", 0, 3, 0, 0, "2:1:0:u"),
				op("monitor", 10000, 4, 3, 4, "3:1:0:u")), NULL);
	expect_in(j, "[\"Recover\", \"a\", \"node1\", \"node1\"");
	free(j);
	/* a missing fencing device is a hard error: node1 is banned */
	j = run_hist(NULL, cat2(op("start", 0, 3, 0, 0, "2:1:0:u"),
				op("monitor", 10000, 4, 1, 10, "3:1:0:u")), NULL);
	expect_in(j, "\"a\": {\"Started\": [\"node2\"]}");
	free(j);
}

/* A pending start makes the resource active on that node: no second start
 * anywhere; moving it away stops it there first (a Move, not a Start). */
static void test_pending_start_is_active(void **state)
{
	char *j;

	(void)state;
	j = run_hist(NULL, op("start", 0, -1, 0, -1, "2:3:0:u"), NULL);
	expect_in(j, "\"a\": {\"Started\": [\"node1\"]}");
	expect_not_in(j, "\"Start\"");
	expect_not_in(j, "\"Move\"");
	free(j);
	j = run_hist(PREFER2, op("start", 0, -1, 0, -1, "2:3:0:u"), NULL);
	expect_in(j, "[\"Move\", \"a\", \"node1\", \"node2\"");
	expect_not_in(j, "\"Start\"");
	free(j);
	/* a pending promote or stop also leaves it active there */
	j = run_hist(NULL, op("stop", 0, -1, 0, -1, "2:3:0:u"), NULL);
	expect_in(j, "\"a\": {\"Started\": [\"node1\"]}");
	expect_not_in(j, "\"Start\"");
	free(j);
}

/* A pending entry is placed by the transition that scheduled it: a stop
 * completed in a later transition of the same DC supersedes it; one from an
 * earlier transition does not. */
static void test_pending_order_by_transition(void **state)
{
	char *j;

	(void)state;
	/* node1: pending start of graph 8, then a stop done in graph 9 */
	j = run_hist(PREFER2, cat2(op("start", 0, -1, 1, -1, "-1:8:0:u"),
				   op("stop", 0, 8, 0, 0, "0:9:0:u")), NULL);
	expect_in(j, "[\"Start\", \"a\", null, \"node2\"");
	expect_not_in(j, "\"Move\"");
	free(j);
	/* node1: stop done in graph 1, then a pending start of graph 4 */
	j = run_hist(PREFER2, cat2(op("stop", 0, 15, 0, 0, "1:1:0:u"),
				   op("start", 0, -1, 1, -1, "-1:4:0:u")), NULL);
	expect_in(j, "[\"Move\", \"a\", \"node1\", \"node2\"");
	free(j);
	/* another DC's series cannot be compared: the pending entry is newest */
	j = run_hist(PREFER2, cat2(op("start", 0, -1, 1, -1, "-1:8:0:v"),
				   op("stop", 0, 8, 0, 0, "0:9:0:u")), NULL);
	expect_in(j, "[\"Move\", \"a\", \"node1\", \"node2\"");
	free(j);
}

/* A CIB with fencing: node1 online, node2 with the given node_state
 * attributes and transient attributes `attrs` (nvpairs or ""). */
static char *cib_node2(const char *state, const char *attrs)
{
	return ham_asprintf(
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
		"validate-with=\"pacemaker-3.0\" have-quorum=\"1\"><configuration>"
		"<crm_config/><nodes><node id=\"1\" uname=\"node1\"/>"
		"<node id=\"2\" uname=\"node2\"/></nodes><resources>"
		"<primitive id=\"f\" class=\"stonith\" type=\"fence_x\"/></resources>"
		"<constraints/></configuration><status>"
		"<node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"/>"
		"<node_state id=\"2\" uname=\"node2\" %s><transient_attributes id=\"t2\">"
		"<instance_attributes id=\"t2a\">%s</instance_attributes>"
		"</transient_attributes></node_state></status></cib>", state, attrs);
}

static void expect_node2(const char *state, const char *attrs, const char *shown, bool fenced)
{
	char *x = cib_node2(state, attrs), *j = run(x), want[64];
	const char *fin = strstr(j, "\"final\"");

	assert_non_null(fin);
	snprintf(want, sizeof(want), "\"node2\": \"%s\"", shown);
	if (strstr(fin, want) == NULL)
		fail_msg("%s: expected %s in %s", state, want, fin);
	if (fenced)
		expect_in(j, "[\"Fence\", \"node2\"");
	else
		expect_not_in(j, "[\"Fence\", \"node2\"");
	free(j);
	free(x);
}

/* How a node_state reads with fencing enabled. */
static void test_node_state(void **state)
{
	(void)state;
	/* out of the membership with the controller still up while expected
	 * a member: unclean, fenced */
	expect_node2("in_ccm=\"false\" crmd=\"online\" join=\"member\" expected=\"member\"",
		     "", "offline", true);
	/* shut down cleanly: expected down, controller and membership gone */
	expect_node2("in_ccm=\"false\" crmd=\"offline\" join=\"down\" expected=\"down\"",
		     "", "offline", false);
	/* left after joining, expected down: offline, not fenced */
	expect_node2("in_ccm=\"true\" crmd=\"offline\" join=\"member\" expected=\"down\"",
		     "", "offline", false);
	/* controller gone while expected a member: fenced */
	expect_node2("in_ccm=\"true\" crmd=\"offline\" join=\"member\" expected=\"member\"",
		     "", "offline", true);
	/* joined and expected down (shutting down): online */
	expect_node2("in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"down\"",
		     "", "online", false);
	/* still joining */
	expect_node2("in_ccm=\"true\" crmd=\"online\" join=\"pending\" expected=\"member\"",
		     "", "pending", false);
	/* out with controller and join down although expected a member: clean */
	expect_node2("in_ccm=\"false\" crmd=\"offline\" join=\"down\" expected=\"member\"",
		     "", "offline", false);
	/* terminate=true: fenced, unless already down */
	expect_node2("in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"",
		     "<nvpair id=\"t\" name=\"terminate\" value=\"true\"/>", "offline", true);
	expect_node2("in_ccm=\"false\" crmd=\"offline\" join=\"down\" expected=\"member\"",
		     "<nvpair id=\"t\" name=\"terminate\" value=\"true\"/>", "offline", false);
}

/* A stop that cannot happen (its node is unclean and cannot be fenced
 * without quorum) blocks the start elsewhere that waits for it: the
 * resource stays where it is, and the stop is shown blocked. */
static void test_blocked_stop_blocks_start(void **state)
{
	const char *x =
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
		"validate-with=\"pacemaker-3.0\" have-quorum=\"0\"><configuration>"
		"<crm_config><cluster_property_set id=\"o\"><nvpair id=\"o1\" "
		"name=\"no-quorum-policy\" value=\"freeze\"/></cluster_property_set>"
		"</crm_config><nodes><node id=\"1\" uname=\"node1\"/>"
		"<node id=\"2\" uname=\"node2\"/></nodes><resources>"
		"<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
		"</resources><constraints/></configuration><status>"
		"<node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"/>"
		"<node_state id=\"2\" uname=\"node2\" in_ccm=\"true\" crmd=\"offline\" "
		"join=\"member\" expected=\"member\"><lrm id=\"l2\"><lrm_resources>"
		"<lrm_resource id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<lrm_rsc_op id=\"a_start_0\" operation=\"start\" interval=\"0\" "
		"call-id=\"2\" rc-code=\"0\" op-status=\"0\" transition-key=\"1:1:0:u\"/>"
		"</lrm_resource></lrm_resources></lrm></node_state></status></cib>";
	char *j;

	(void)state;
	j = run(x);
	expect_in(j, "[\"Stop\", \"a\", \"node2\", null, null, true]");
	expect_not_in(j, "\"Move\"");
	expect_not_in(j, "\"Start\"");
	expect_in(j, "\"a\": {\"Started\": [\"node2\"]}");
	free(j);
}

/* One node_state with the lrm history of "a" (one lrm_rsc_op). */
static char *clone_node(int id, const char *opxml)
{
	return ham_asprintf("<node_state id=\"%d\" uname=\"node%d\" in_ccm=\"true\" "
			    "crmd=\"online\" join=\"member\" expected=\"member\"><lrm id=\"l%d\">"
			    "<lrm_resources><lrm_resource id=\"a\" class=\"ocf\" "
			    "provider=\"heartbeat\" type=\"Dummy\">%s</lrm_resource>"
			    "</lrm_resources></lrm></node_state>", id, id, id, opxml);
}

/*
 * An anonymous clone's history names the primitive on each node; each
 * history goes to an instance. Three nodes have one (clone-max 2): node2 a
 * pending start, node1 a stop, node3 a start. Taken in turn, node3's went
 * to the instance node2's had, which was then active on two nodes: the
 * engine restarted it and started the other instance (chaos, seed 2: a
 * stop/start loop of the clone for as long as it ran). Active histories go
 * to distinct instances: the clone runs on node2 and node3, nothing to do.
 */
static void test_clone_histories_distinct_instances(void **state)
{
	char *n2 = clone_node(2, "<lrm_rsc_op id=\"a_last_0\" operation=\"start\" interval=\"0\" "
				 "call-id=\"-1\" rc-code=\"193\" op-status=\"-1\" "
				 "transition-key=\"9:7:0:u\"/>");
	char *n1 = clone_node(1, "<lrm_rsc_op id=\"a_last_0\" operation=\"stop\" interval=\"0\" "
				 "call-id=\"5\" rc-code=\"0\" op-status=\"0\" "
				 "transition-key=\"3:2:0:u\"/>");
	char *n3 = clone_node(3, "<lrm_rsc_op id=\"a_last_0\" operation=\"start\" interval=\"0\" "
				 "call-id=\"6\" rc-code=\"0\" op-status=\"0\" "
				 "transition-key=\"8:7:0:u\"/>");
	char *x = ham_asprintf(
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
		"validate-with=\"pacemaker-3.0\" have-quorum=\"1\"><configuration>"
		"<crm_config><cluster_property_set id=\"o\"><nvpair id=\"o1\" "
		"name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
		"</crm_config><nodes><node id=\"1\" uname=\"node1\"/>"
		"<node id=\"2\" uname=\"node2\"/><node id=\"3\" uname=\"node3\"/></nodes>"
		"<resources><clone id=\"c\"><meta_attributes id=\"cm\"><nvpair id=\"cm1\" "
		"name=\"clone-max\" value=\"2\"/></meta_attributes><primitive id=\"a\" "
		"class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/></clone></resources>"
		"<constraints/></configuration><status>%s%s%s</status></cib>", n2, n1, n3);
	char *j;

	(void)state;
	j = run(x);
	expect_in(j, "\"actions\": []");
	expect_in(j, "\"a\": {\"Started\": [\"node2\", \"node3\"]}");
	free(j);
	free(x);
	free(n1);
	free(n2);
	free(n3);
}

/*
 * The instances of a clone are placed in turn. One active (cd:1, by its
 * history's turn on node2) must keep its node ahead of one inactive (cd:0:
 * node1's history is a stop) that could go only there (node1 banned,
 * node3 offline): placed in index order, cd:0 took node2, and cd:1 was
 * stopped there and cd:0 started, its history then cd:1's again: a start of
 * the clone on node2 for ever (chaos, seed 4213745903: node3 fenced, node1
 * standby). The active instance is placed first: nothing to do.
 */
static void test_clone_active_instance_placed_first(void **state)
{
	char *n1 = clone_node(1, "<lrm_rsc_op id=\"a_last_0\" operation=\"stop\" interval=\"0\" "
				 "call-id=\"5\" rc-code=\"0\" op-status=\"0\" "
				 "transition-key=\"3:2:0:u\"/>");
	char *n2 = clone_node(2, "<lrm_rsc_op id=\"a_last_0\" operation=\"start\" interval=\"0\" "
				 "call-id=\"6\" rc-code=\"0\" op-status=\"0\" "
				 "transition-key=\"8:7:0:u\"/>");
	char *x = ham_asprintf(
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
		"validate-with=\"pacemaker-3.0\" have-quorum=\"1\"><configuration>"
		"<crm_config><cluster_property_set id=\"o\"><nvpair id=\"o1\" "
		"name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
		"</crm_config><nodes><node id=\"1\" uname=\"node1\"/>"
		"<node id=\"2\" uname=\"node2\"/><node id=\"3\" uname=\"node3\"/></nodes>"
		"<resources><clone id=\"c\"><meta_attributes id=\"cm\"><nvpair id=\"cm1\" "
		"name=\"clone-max\" value=\"2\"/></meta_attributes><primitive id=\"a\" "
		"class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/></clone></resources>"
		"<constraints><rsc_location id=\"ban1\" rsc=\"c\" node=\"node1\" "
		"score=\"-INFINITY\"/></constraints></configuration><status>%s%s</status></cib>",
		n1, n2);
	char *j;

	(void)state;
	j = run(x);
	expect_in(j, "\"actions\": []");
	expect_in(j, "\"a\": {\"Started\": [\"node2\"]}");
	free(j);
	free(x);
	free(n1);
	free(n2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_status_with_expected_rc),
		cmocka_unit_test(test_pending_start_is_active),
		cmocka_unit_test(test_pending_order_by_transition),
		cmocka_unit_test(test_node_state),
		cmocka_unit_test(test_blocked_stop_blocks_start),
		cmocka_unit_test(test_clone_histories_distinct_instances),
		cmocka_unit_test(test_clone_active_instance_placed_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
