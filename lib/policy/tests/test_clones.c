/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/policy: anonymous clone instances, one rule each, from
 * what Pacemaker Explained documents of clones: instances are
 * interchangeable (the history's instance numbers mean nothing), an
 * instance running where it may stays there, at most clone-node-max on a
 * node, clone-max in all (history beyond it stops), an anonymous clone's
 * fail count is the node's; and the engine is stable: applying a
 * transition and computing again gives no actions.
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
#define NOFENCE "<nvpair id=\"p1\" name=\"stonith-enabled\" value=\"false\"/>"
#define CHILD "<primitive id=\"child\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"

/* One lrm_resource named id, started (or probed not running) on a node. */
static void lrm(ham_buf *b, const char *id, bool started, int call)
{
	ham_buf_addf(b, "<lrm_resource id=\"%s\" class=\"ocf\" provider=\"heartbeat\" "
			"type=\"Dummy\"><lrm_rsc_op id=\"%s_last_0\" operation=\"%s\" "
			"interval=\"0\" call-id=\"%d\" rc-code=\"%d\" op-status=\"0\" "
			"transition-key=\"1:1:%d:x\"/></lrm_resource>",
		     id, id, started ? "start" : "monitor", call, started ? 0 : 7,
		     started ? 0 : 7);
}

/*
 * A CIB of nodes node1..nodeN (standby: node numbers set in the bit mask),
 * the clone meta attributes, constraints, and history: hist[i] (NULL-ended
 * per node, nodes in order[]) the lrm_resource ids started on node i+1.
 */
static char *cib(int nn, unsigned standby, const char *meta, const char *cons,
		 const char *const *hist[], const int *order, const char *node_attrs)
{
	ham_buf b = HAM_BUF_INIT;
	int i, q, call = 10;

	ham_buf_addf(&b, "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
			 "validate-with=\"pacemaker-3.0\" have-quorum=\"1\"><configuration>"
			 "<crm_config><cluster_property_set id=\"o\">" NOFENCE
			 "</cluster_property_set></crm_config><nodes>");
	for (i = 1; i <= nn; i++) {
		ham_buf_addf(&b, "<node id=\"%d\" uname=\"node%d\">", i, i);
		if (standby & (1u << i))
			ham_buf_addf(&b, "<instance_attributes id=\"na%d\"><nvpair id=\"sb%d\" "
					 "name=\"standby\" value=\"on\"/></instance_attributes>",
				     i, i);
		ham_buf_add(&b, "</node>");
	}
	ham_buf_addf(&b, "</nodes><resources><clone id=\"c\"><meta_attributes id=\"cm\">%s"
			 "</meta_attributes>" CHILD "</clone></resources><constraints>%s"
			 "</constraints></configuration><status>",
		     meta ? meta : "", cons ? cons : "");
	for (q = 0; q < nn; q++) {
		i = order ? order[q] : q + 1;
		ham_buf_addf(&b, "<node_state id=\"%d\" uname=\"node%d\" in_ccm=\"true\" "
				 "crmd=\"online\" join=\"member\" expected=\"member\">", i, i);
		if (node_attrs && i == 1)
			ham_buf_addf(&b, "<transient_attributes id=\"t%d\"><instance_attributes "
					 "id=\"ta%d\">%s</instance_attributes></transient_attributes>",
				     i, i, node_attrs);
		ham_buf_add(&b, "<lrm id=\"l\"><lrm_resources>");
		for (const char *const *h = hist ? hist[i - 1] : NULL; h && *h; h++)
			lrm(&b, *h, true, call++);
		ham_buf_add(&b, "</lrm_resources></lrm></node_state>");
	}
	ham_buf_add(&b, "</status></cib>");
	return ham_buf_steal(&b);
}

static char *run(const char *xml)
{
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	struct ham_policy_options o = { .now_s = NOW };
	ham_buf b = HAM_BUF_INIT;
	char *err = NULL;
	int r;

	r = ham_policy_input_load(xml, strlen(xml), &in, &err);
	if (r < 0)
		fprintf(stderr, "load: %s\n", err ? err : "?");
	free(err);
	assert_int_equal(r, 0);
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

static void expect_no_actions(const char *json)
{
	expect_in(json, "{\"actions\": [], ");
}

/* The instance on a node that can no longer run it is the one that stops:
 * the others stay where they run (none moves along a chain). */
static void test_leaving_node_stops_its_instance(void **state)
{
	static const char *const n1[] = { "child:0", NULL }, *const n2[] = { "child:1", NULL },
			  *const n3[] = { "child:2", NULL };
	const char *const *hist[] = { n1, n2, n3 };
	char *x, *j;

	(void)state;
	x = cib(3, 1u << 1, NULL, NULL, hist, NULL, NULL);
	j = run(x);
	expect_in(j, "{\"actions\": [[\"Stop\", \"child\", \"node1\", null, null, false]], ");
	expect_in(j, "\"child\": {\"Started\": [\"node2\", \"node3\"]}");
	free(j);
	free(x);
}

/* A missing instance starts where it is missing, even on a node the clone
 * prefers less than another: the running instances are not moved. */
static void test_missing_instance_starts_in_place(void **state)
{
	static const char *const n2[] = { "child", NULL }, *const n3[] = { "child", NULL };
	const char *const *hist[] = { NULL, n2, n3 };
	char *x, *j;

	(void)state;
	x = cib(3, 0, NULL,
		"<rsc_location id=\"l\" rsc=\"c\" node=\"node1\" score=\"100\"/>", hist, NULL,
		NULL);
	j = run(x);
	expect_in(j, "{\"actions\": [[\"Start\", \"child\", null, \"node1\", null, false]], ");
	free(j);
	free(x);
}

/* The history's instance numbers of an anonymous clone mean nothing: the
 * same number on two nodes is two instances, not one active twice. */
static void test_instance_numbers_ignored(void **state)
{
	static const char *const n1[] = { "child:0", NULL }, *const n2[] = { "child:0", NULL };
	const char *const *hist[] = { n1, n2 };
	char *x, *j;

	(void)state;
	x = cib(2, 0, NULL, NULL, hist, NULL, NULL);
	j = run(x);
	expect_no_actions(j);
	expect_in(j, "\"child\": {\"Started\": [\"node1\", \"node2\"]}");
	free(j);
	free(x);
}

/* clone-max instances in all: one running beyond them is stopped, not
 * restarted, and no other instance moves. */
static void test_beyond_clone_max_stops(void **state)
{
	static const char *const n1[] = { "child", NULL }, *const n2[] = { "child", NULL },
			  *const n3[] = { "child", NULL };
	const char *const *hist[] = { n1, n2, n3 };
	char *x, *j;

	(void)state;
	x = cib(3, 0, "<nvpair id=\"cmx\" name=\"clone-max\" value=\"2\"/>", NULL, hist,
		NULL, NULL);
	j = run(x);
	expect_in(j, "{\"actions\": [[\"Stop\", \"child\", \"node3\", null, null, false]], ");
	free(j);
	free(x);
}

/* clone-node-max: up to that many instances on one node. */
static void test_clone_node_max(void **state)
{
	char *x, *j;

	(void)state;
	x = cib(2, 0,
		"<nvpair id=\"cmx\" name=\"clone-max\" value=\"4\"/>"
		"<nvpair id=\"cnm\" name=\"clone-node-max\" value=\"2\"/>", NULL, NULL, NULL,
		NULL);
	j = run(x);
	expect_in(j, "\"child\": {\"Started\": [\"node1\", \"node1\", \"node2\", \"node2\"]}");
	free(j);
	free(x);
}

/* An anonymous clone's fail count (no instance number) is the node's: at
 * migration-threshold no instance runs there. */
static void test_anonymous_fail_count(void **state)
{
	char *x, *j;

	(void)state;
	x = cib(2, 0, "<nvpair id=\"mt\" name=\"migration-threshold\" value=\"1\"/>", NULL,
		NULL, NULL, "<nvpair id=\"fc\" name=\"fail-count-child#start_0\" value=\"1\"/>");
	j = run(x);
	expect_in(j, "{\"actions\": [[\"Start\", \"child\", null, \"node2\", null, false]], ");
	free(j);
	free(x);
}

/*
 * Stability: the history the daemon records after a transition (every
 * instance under the child's bare id), in another status order, gives no
 * actions: the same instances stay where they run.
 */
static void test_stable_after_transition(void **state)
{
	static const char *const one[] = { "child", NULL };
	static const char *const n1[] = { "child:1", NULL }, *const n3[] = { "child:0", NULL };
	const char *const *before[] = { n1, NULL, n3, NULL };
	const char *const *after[] = { one, one, one, NULL };
	static const int reversed[] = { 4, 3, 2, 1 };
	char *x, *j;

	(void)state;
	/* 4 nodes, clone-max 3, node4 standby: one instance to start */
	x = cib(4, 1u << 4, "<nvpair id=\"cmx\" name=\"clone-max\" value=\"3\"/>", NULL,
		before, NULL, NULL);
	j = run(x);
	expect_in(j, "{\"actions\": [[\"Start\", \"child\", null, \"node2\", null, false]], ");
	free(j);
	free(x);
	/* applied: running on node1..3, recorded as "child", any order */
	x = cib(4, 1u << 4, "<nvpair id=\"cmx\" name=\"clone-max\" value=\"3\"/>", NULL,
		after, reversed, NULL);
	j = run(x);
	expect_no_actions(j);
	free(j);
	free(x);
	x = cib(4, 1u << 4, "<nvpair id=\"cmx\" name=\"clone-max\" value=\"3\"/>", NULL,
		after, NULL, NULL);
	j = run(x);
	expect_no_actions(j);
	free(j);
	free(x);
}

/* clone-max 0: no instance runs; what must be with it or after it cannot
 * run either. */
static void test_clone_max_zero(void **state)
{
	static const char xml[] =
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
		"validate-with=\"pacemaker-3.0\" have-quorum=\"1\"><configuration><crm_config>"
		"<cluster_property_set id=\"o\">" NOFENCE "</cluster_property_set></crm_config>"
		"<nodes><node id=\"1\" uname=\"node1\"/></nodes><resources>"
		"<clone id=\"c\"><meta_attributes id=\"cm\"><nvpair id=\"cmx\" "
		"name=\"clone-max\" value=\"0\"/></meta_attributes>" CHILD "</clone>"
		"<primitive id=\"dep\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
		"<primitive id=\"after\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
		"</resources><constraints>"
		"<rsc_colocation id=\"co\" rsc=\"dep\" with-rsc=\"c\" score=\"INFINITY\"/>"
		"<rsc_order id=\"or\" first=\"c\" then=\"after\"/></constraints></configuration>"
		"<status><node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"><lrm id=\"l\"><lrm_resources>"
		"<lrm_resource id=\"dep\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<lrm_rsc_op id=\"dep_last_0\" operation=\"start\" interval=\"0\" call-id=\"3\" "
		"rc-code=\"0\" op-status=\"0\" transition-key=\"1:1:0:x\"/></lrm_resource>"
		"</lrm_resources></lrm></node_state></status></cib>";
	char *j;

	(void)state;
	j = run(xml);
	expect_in(j, "{\"actions\": [[\"Stop\", \"dep\", \"node1\", null, null, false]], ");
	free(j);
}

/* clone-min: what is ordered after the clone starts only once that many
 * instances run (here one node of two can run one). */
static void test_clone_min(void **state)
{
	static const char fmt[] =
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
		"validate-with=\"pacemaker-3.0\" have-quorum=\"1\"><configuration><crm_config>"
		"<cluster_property_set id=\"o\">" NOFENCE "</cluster_property_set></crm_config>"
		"<nodes><node id=\"1\" uname=\"node1\"/><node id=\"2\" uname=\"node2\">"
		"<instance_attributes id=\"na\"><nvpair id=\"sb\" name=\"standby\" value=\"on\"/>"
		"</instance_attributes></node></nodes><resources>"
		"<clone id=\"c\"><meta_attributes id=\"cm\"><nvpair id=\"cmn\" "
		"name=\"clone-min\" value=\"%d\"/></meta_attributes>" CHILD "</clone>"
		"<primitive id=\"after\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
		"</resources><constraints><rsc_order id=\"or\" first=\"c\" then=\"after\"/>"
		"</constraints></configuration><status>"
		"<node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"/><node_state id=\"2\" uname=\"node2\" "
		"in_ccm=\"true\" crmd=\"online\" join=\"member\" expected=\"member\"/>"
		"</status></cib>";
	char xml[sizeof(fmt) + 16], *j;

	(void)state;
	snprintf(xml, sizeof(xml), fmt, 2);
	j = run(xml);
	expect_in(j, "[\"Start\", \"after\", null, \"node1\", null, true]");
	free(j);
	snprintf(xml, sizeof(xml), fmt, 1);
	j = run(xml);
	expect_in(j, "[\"Start\", \"after\", null, \"node1\", null, false]");
	free(j);
}

/*
 * "A with B" makes the cluster weigh A's preferences when it places B: for
 * a promotable B with equal promotion scores everywhere, B is promoted where
 * A prefers to run (whichever instance number runs there), with B's role
 * Started or Promoted in the colocation.
 */
static void test_promoted_where_dependent_prefers(void **state)
{
	static const char fmt[] =
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
		"validate-with=\"pacemaker-3.0\" have-quorum=\"1\"><configuration><crm_config>"
		"<cluster_property_set id=\"o\">" NOFENCE "</cluster_property_set></crm_config>"
		"<nodes><node id=\"1\" uname=\"node1\"/><node id=\"2\" uname=\"node2\"/></nodes>"
		"<resources><clone id=\"c\"><meta_attributes id=\"cm\"><nvpair id=\"cp\" "
		"name=\"promotable\" value=\"true\"/></meta_attributes>"
		"<primitive id=\"child\" class=\"ocf\" provider=\"pacemaker\" type=\"Stateful\"/>"
		"</clone><primitive id=\"ip\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
		"</resources><constraints>"
		"<rsc_location id=\"l\" rsc=\"ip\" node=\"%s\" score=\"50\"/>"
		"<rsc_colocation id=\"co\" rsc=\"ip\" with-rsc=\"c\" with-rsc-role=\"%s\" "
		"score=\"INFINITY\"/></constraints></configuration><status>%s%s</status></cib>";
	static const char node_fmt[] =
		"<node_state id=\"%d\" uname=\"node%d\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"><transient_attributes id=\"t%d\">"
		"<instance_attributes id=\"ta%d\"><nvpair id=\"m%d\" name=\"master-child\" "
		"value=\"10\"/></instance_attributes></transient_attributes><lrm id=\"l%d\">"
		"<lrm_resources><lrm_resource id=\"child:%d\" class=\"ocf\" provider=\"pacemaker\" "
		"type=\"Stateful\"><lrm_rsc_op id=\"s%d\" operation=\"start\" interval=\"0\" "
		"call-id=\"%d\" rc-code=\"0\" op-status=\"0\" transition-key=\"1:1:0:x\"/>"
		"</lrm_resource></lrm_resources></lrm></node_state>";
	static const char *const roles[] = { "Started", "Promoted" };
	char n1[1024], n2[1024], xml[4096], *j;
	int r, prefer;

	(void)state;
	/* node2 runs instance 0, node1 instance 1: numbers do not decide */
	snprintf(n1, sizeof(n1), node_fmt, 1, 1, 1, 1, 1, 1, 1, 1, 3);
	snprintf(n2, sizeof(n2), node_fmt, 2, 2, 2, 2, 2, 2, 0, 2, 4);
	for (r = 0; r < 2; r++) {
		for (prefer = 1; prefer <= 2; prefer++) {
			char want[160];

			snprintf(xml, sizeof(xml), fmt, prefer == 1 ? "node1" : "node2",
				 roles[r], n1, n2);
			j = run(xml);
			snprintf(want, sizeof(want), "[\"Promote\", \"child\", \"node%d\", "
				 "\"node%d\", \"Unpromoted -> Promoted\", false]", prefer, prefer);
			expect_in(j, want);
			snprintf(want, sizeof(want), "[\"Start\", \"ip\", null, \"node%d\", null, "
				 "false]", prefer);
			expect_in(j, want);
			free(j);
		}
	}
}

/*
 * A failure whose recovery is a restart (on-fail's default) is not undone
 * by a later successful demote: the instance is recovered (stopped and
 * started), where on-fail=demote a demote is the recovery.
 */
static void test_demote_does_not_recover_a_restart(void **state)
{
	static const char fmt[] =
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
		"validate-with=\"pacemaker-3.0\" have-quorum=\"1\"><configuration><crm_config>"
		"<cluster_property_set id=\"o\">" NOFENCE "</cluster_property_set></crm_config>"
		"<nodes><node id=\"1\" uname=\"node1\"/></nodes>"
		"<resources><clone id=\"c\"><meta_attributes id=\"cm\"><nvpair id=\"cp\" "
		"name=\"promotable\" value=\"true\"/></meta_attributes>"
		"<primitive id=\"child\" class=\"ocf\" provider=\"pacemaker\" type=\"Stateful\">"
		"<operations><op id=\"mon\" name=\"monitor\" interval=\"10s\" role=\"Promoted\"%s/>"
		"</operations></primitive></clone></resources><constraints/></configuration>"
		"<status><node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"><lrm id=\"l\"><lrm_resources>"
		"<lrm_resource id=\"child\" class=\"ocf\" provider=\"pacemaker\" type=\"Stateful\">"
		"<lrm_rsc_op id=\"a\" operation=\"promote\" interval=\"0\" call-id=\"2\" "
		"rc-code=\"0\" op-status=\"0\" transition-key=\"1:1:0:x\"/>"
		"<lrm_rsc_op id=\"b\" operation=\"monitor\" interval=\"10000\" call-id=\"3\" "
		"rc-code=\"1\" op-status=\"0\" transition-key=\"1:1:8:x\"/>"
		"<lrm_rsc_op id=\"d\" operation=\"demote\" interval=\"0\" call-id=\"4\" "
		"rc-code=\"0\" op-status=\"0\" transition-key=\"1:1:0:x\"/>"
		"</lrm_resource></lrm_resources></lrm></node_state></status></cib>";
	char xml[4096], *j;

	(void)state;
	snprintf(xml, sizeof(xml), fmt, "");
	j = run(xml);
	expect_in(j, "[\"Recover\", \"child\", \"node1\", \"node1\"");
	free(j);
	snprintf(xml, sizeof(xml), fmt, " on-fail=\"demote\"");
	j = run(xml);
	if (strstr(j, "Recover"))
		fail_msg("no recovery expected in %s", j);
	free(j);
}

/*
 * interleave=true on the clone ordered after another: its instance on a
 * node waits only for the other clone's instance on that node. Where the
 * first clone cannot run, the instance there stops; the others stay as they
 * are. With clone-min on the first clone (a count of its instances, wherever
 * they run) or require-all=false, the order is not per node.
 */
static void test_interleave_order_per_node(void **state)
{
	static const char fmt[] =
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
		"validate-with=\"pacemaker-3.0\" have-quorum=\"1\"><configuration><crm_config>"
		"<cluster_property_set id=\"o\">" NOFENCE "</cluster_property_set></crm_config>"
		"<nodes><node id=\"1\" uname=\"node1\"/><node id=\"2\" uname=\"node2\"/></nodes>"
		"<resources><clone id=\"ca\"><meta_attributes id=\"am\">%s</meta_attributes>"
		"<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/></clone>"
		"<clone id=\"cb\"><meta_attributes id=\"bm\"><nvpair id=\"bi\" name=\"interleave\" "
		"value=\"true\"/></meta_attributes>"
		"<primitive id=\"b\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/></clone>"
		"</resources><constraints>"
		"<rsc_location id=\"ban\" rsc=\"ca\" node=\"node1\" score=\"-INFINITY\"/>"
		"<rsc_order id=\"o1\" first=\"ca\" then=\"cb\"%s/></constraints></configuration>"
		"<status>%s%s</status></cib>";
	static const char node_fmt[] =
		"<node_state id=\"%d\" uname=\"node%d\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"><lrm id=\"l%d\"><lrm_resources>"
		"<lrm_resource id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<lrm_rsc_op id=\"a%d\" operation=\"start\" interval=\"0\" call-id=\"2\" "
		"rc-code=\"0\" op-status=\"0\" transition-key=\"1:1:0:x\"/></lrm_resource>"
		"<lrm_resource id=\"b\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<lrm_rsc_op id=\"b%d\" operation=\"start\" interval=\"0\" call-id=\"3\" "
		"rc-code=\"0\" op-status=\"0\" transition-key=\"1:1:0:x\"/></lrm_resource>"
		"</lrm_resources></lrm></node_state>";
	char n1[1024], n2[1024], xml[4096], *j;

	(void)state;
	snprintf(n1, sizeof(n1), node_fmt, 1, 1, 1, 1, 1);
	snprintf(n2, sizeof(n2), node_fmt, 2, 2, 2, 2, 2);
	snprintf(xml, sizeof(xml), fmt, "", "", n1, n2);
	j = run(xml);
	expect_in(j, "{\"actions\": [[\"Stop\", \"a\", \"node1\", null, null, false], "
		     "[\"Stop\", \"b\", \"node1\", null, null, false]], ");
	free(j);
	/* not running there: the instance is not placed there (no blocked start) */
	snprintf(n1, sizeof(n1),
		 "<node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
		 "join=\"member\" expected=\"member\"/>");
	snprintf(xml, sizeof(xml), fmt, "", "", n1, n2);
	j = run(xml);
	expect_no_actions(j);
	expect_in(j, "\"b\": {\"Started\": [\"node2\"]}");
	free(j);
	snprintf(n1, sizeof(n1), node_fmt, 1, 1, 1, 1, 1);
	/* clone-min 1: one instance of the first clone is enough anywhere */
	snprintf(xml, sizeof(xml), fmt,
		 "<nvpair id=\"amin\" name=\"clone-min\" value=\"1\"/>", "", n1, n2);
	j = run(xml);
	expect_in(j, "\"b\": {\"Started\": [\"node1\", \"node2\"]}");
	free(j);
	snprintf(xml, sizeof(xml), fmt, "", " require-all=\"false\"", n1, n2);
	j = run(xml);
	expect_in(j, "\"b\": {\"Started\": [\"node1\", \"node2\"]}");
	free(j);
}

/*
 * An order after a clone, not interleaved: the clone's instance stops only
 * once what is ordered after it has stopped, so what follows is restarted
 * when one instance stops. With require-all=false one running instance is
 * enough: while another stays up, it is left alone.
 */
static void test_require_all_false(void **state)
{
	static const char fmt[] =
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
		"validate-with=\"pacemaker-3.0\" have-quorum=\"1\"><configuration><crm_config>"
		"<cluster_property_set id=\"o\">" NOFENCE "</cluster_property_set></crm_config>"
		"<nodes><node id=\"1\" uname=\"node1\"/><node id=\"2\" uname=\"node2\"/></nodes>"
		"<resources><clone id=\"ca\">"
		"<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/></clone>"
		"<primitive id=\"b\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
		"</resources><constraints>"
		"<rsc_location id=\"ban\" rsc=\"ca\" node=\"node1\" score=\"-INFINITY\"/>"
		"<rsc_location id=\"lb\" rsc=\"b\" node=\"node2\" score=\"100\"/>"
		"<rsc_order id=\"o1\" first=\"ca\" then=\"b\"%s/></constraints></configuration>"
		"<status>%s%s</status></cib>";
	static const char node_fmt[] =
		"<node_state id=\"%d\" uname=\"node%d\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"><lrm id=\"l%d\"><lrm_resources>"
		"<lrm_resource id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<lrm_rsc_op id=\"a%d\" operation=\"start\" interval=\"0\" call-id=\"2\" "
		"rc-code=\"0\" op-status=\"0\" transition-key=\"1:1:0:x\"/></lrm_resource>%s"
		"</lrm_resources></lrm></node_state>";
	static const char b_on[] =
		"<lrm_resource id=\"b\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<lrm_rsc_op id=\"b1\" operation=\"start\" interval=\"0\" call-id=\"3\" "
		"rc-code=\"0\" op-status=\"0\" transition-key=\"1:1:0:x\"/></lrm_resource>";
	char n1[1024], n2[1024], xml[4096], *j;

	(void)state;
	snprintf(n1, sizeof(n1), node_fmt, 1, 1, 1, 1, "");
	snprintf(n2, sizeof(n2), node_fmt, 2, 2, 2, 2, b_on);
	snprintf(xml, sizeof(xml), fmt, "", n1, n2);
	j = run(xml);
	expect_in(j, "[\"Restart\", \"b\", \"node2\", \"node2\", null, false]");
	free(j);
	snprintf(xml, sizeof(xml), fmt, " require-all=\"false\"", n1, n2);
	j = run(xml);
	expect_in(j, "{\"actions\": [[\"Stop\", \"a\", \"node1\", null, null, false]], ");
	free(j);
	/* its only instance moves: one can run, what follows stays as it is */
	snprintf(n2, sizeof(n2),
		 "<node_state id=\"2\" uname=\"node2\" in_ccm=\"true\" crmd=\"online\" "
		 "join=\"member\" expected=\"member\"><lrm id=\"l2\"><lrm_resources>%s"
		 "</lrm_resources></lrm></node_state>", b_on);
	snprintf(xml, sizeof(xml), fmt, " require-all=\"false\"", n1, n2);
	j = run(xml);
	expect_in(j, "{\"actions\": [[\"Move\", \"a\", \"node1\", \"node2\", null, false]], ");
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaving_node_stops_its_instance),
		cmocka_unit_test(test_missing_instance_starts_in_place),
		cmocka_unit_test(test_instance_numbers_ignored),
		cmocka_unit_test(test_beyond_clone_max_stops),
		cmocka_unit_test(test_clone_node_max),
		cmocka_unit_test(test_anonymous_fail_count),
		cmocka_unit_test(test_stable_after_transition),
		cmocka_unit_test(test_clone_max_zero),
		cmocka_unit_test(test_clone_min),
		cmocka_unit_test(test_promoted_where_dependent_prefers),
		cmocka_unit_test(test_demote_does_not_recover_a_restart),
		cmocka_unit_test(test_interleave_order_per_node),
		cmocka_unit_test(test_require_all_false),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
