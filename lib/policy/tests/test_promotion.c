/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/policy: which instances of a promotable clone are
 * promoted, one rule each, from what Pacemaker Explained documents of
 * promotable clones and of role-specific constraints: an instance is
 * promoted by its promotion score (the node attribute master-<child>) and
 * the constraints for the Promoted role; without either it is not promoted
 * (not even one that is promoted now); a colocation with rsc-role=Promoted
 * or Unpromoted changes where the instance is promoted; a cloned group's
 * instance is promoted as a whole, by the sum of its members' scores; at
 * most promoted-max in all and promoted-node-max on a node.
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
#define STATEFUL(id) \
	"<primitive id=\"" id "\" class=\"ocf\" provider=\"pacemaker\" type=\"Stateful\"/>"

/* What one node runs of the clone, and its node attributes. */
struct nodespec {
	const char *role;  /* NULL: nothing; "Started" or "Promoted" */
	bool failed;       /* its recurring monitor failed */
	const char *attrs; /* nvpairs of its transient attributes, or NULL */
	const char *lrm;   /* more lrm_resource elements, or NULL */
};

static void lrm(ham_buf *b, const char *id, const struct nodespec *s, int *call)
{
	bool promoted = ham_streq(s->role, "Promoted");

	ham_buf_addf(b, "<lrm_resource id=\"%s\" class=\"ocf\" provider=\"pacemaker\" "
			"type=\"Stateful\"><lrm_rsc_op id=\"%s_last_0\" operation=\"%s\" "
			"interval=\"0\" call-id=\"%d\" rc-code=\"0\" op-status=\"0\" "
			"transition-key=\"1:1:0:x\"/>",
		     id, id, promoted ? "promote" : "start", (*call)++);
	if (s->failed)
		ham_buf_addf(b, "<lrm_rsc_op id=\"%s_monitor_10000\" operation=\"monitor\" "
				"interval=\"10000\" call-id=\"%d\" rc-code=\"1\" op-status=\"0\" "
				"transition-key=\"1:1:%d:x\"/>",
			     id, (*call)++, promoted ? 8 : 0);
	ham_buf_add(b, "</lrm_resource>");
}

/*
 * Nodes node1..nodeN (status in that order), the promotable clone "c" of
 * children (one Stateful "child", or a group "g" of them), its meta
 * attributes, other resources and constraints; what each node runs.
 */
static char *cib(int nn, const char *children, const char *meta, const char *rscs,
		 const char *cons, const struct nodespec *ns)
{
	ham_buf b = HAM_BUF_INIT;
	int i, call = 10;

	ham_buf_add(&b, "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
			"validate-with=\"pacemaker-3.0\" have-quorum=\"1\"><configuration>"
			"<crm_config><cluster_property_set id=\"o\"><nvpair id=\"p1\" "
			"name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
			"</crm_config><nodes>");
	for (i = 1; i <= nn; i++)
		ham_buf_addf(&b, "<node id=\"%d\" uname=\"node%d\"/>", i, i);
	ham_buf_addf(&b, "</nodes><resources><clone id=\"c\"><meta_attributes id=\"cm\">"
			 "<nvpair id=\"cp\" name=\"promotable\" value=\"true\"/>%s"
			 "</meta_attributes>%s</clone>%s</resources><constraints>%s"
			 "</constraints></configuration><status>",
		     meta ? meta : "", children ? children : STATEFUL("child"), rscs ? rscs : "",
		     cons ? cons : "");
	for (i = 1; i <= nn; i++) {
		const struct nodespec *s = &ns[i - 1];

		ham_buf_addf(&b, "<node_state id=\"%d\" uname=\"node%d\" in_ccm=\"true\" "
				 "crmd=\"online\" join=\"member\" expected=\"member\">", i, i);
		if (s->attrs)
			ham_buf_addf(&b, "<transient_attributes id=\"t%d\"><instance_attributes "
					 "id=\"ta%d\">%s</instance_attributes></transient_attributes>",
				     i, i, s->attrs);
		ham_buf_add(&b, "<lrm id=\"l\"><lrm_resources>");
		if (s->role && children == NULL) {
			lrm(&b, "child", s, &call);
		} else if (s->role) {
			lrm(&b, "m1", s, &call);
			lrm(&b, "m2", s, &call);
		}
		if (s->lrm)
			ham_buf_add(&b, s->lrm);
		ham_buf_add(&b, "</lrm_resources></lrm></node_state>");
	}
	ham_buf_add(&b, "</status></cib>");
	return ham_buf_steal(&b);
}

static char *run(char *xml)
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
	free(xml);
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

#define SCORE(v) "<nvpair id=\"ms\" name=\"master-child\" value=\"" v "\"/>"

/* Without a promotion score or a constraint for the Promoted role nothing
 * is promoted: the promoted instance is demoted. */
static void test_no_score_no_promotion(void **state)
{
	const struct nodespec ns[] = { { "Promoted", false, NULL, NULL }, { "Started", false, NULL, NULL } };
	char *j;

	(void)state;
	j = run(cib(2, NULL, NULL, NULL, NULL, ns));
	expect_in(j, "[\"Demote\", \"child\", \"node1\", \"node1\", \"Promoted -> Unpromoted\", "
		     "false]");
	expect_in(j, "\"child\": {\"Unpromoted\": [\"node1\", \"node2\"]}");
	free(j);
}

/* A location constraint for the Promoted role alone makes an instance
 * eligible: it is promoted there. */
static void test_promoted_location_suffices(void **state)
{
	const struct nodespec ns[] = { { "Started", false, NULL, NULL }, { "Started", false, NULL, NULL } };
	char *j;

	(void)state;
	j = run(cib(2, NULL, NULL, NULL,
		    "<rsc_location id=\"l\" rsc=\"c\" role=\"Promoted\" node=\"node2\" "
		    "score=\"100\"/>", ns));
	expect_in(j, "{\"actions\": [[\"Promote\", \"child\", \"node2\", \"node2\", "
		     "\"Unpromoted -> Promoted\", false]], ");
	free(j);
}

/* The higher promotion score wins over the instance promoted now: the
 * promoted role moves to it (the current role only breaks ties). */
static void test_higher_score_takes_over(void **state)
{
	const struct nodespec ns[] = { { "Promoted", false, SCORE("5"), NULL },
				       { "Started", false, SCORE("6"), NULL } };
	const struct nodespec tie[] = { { "Started", false, SCORE("5"), NULL },
					{ "Promoted", false, SCORE("5"), NULL } };
	char *j;

	(void)state;
	j = run(cib(2, NULL, NULL, NULL, NULL, ns));
	expect_in(j, "[\"Demote\", \"child\", \"node1\", \"node1\", \"Promoted -> Unpromoted\", "
		     "false]");
	expect_in(j, "[\"Promote\", \"child\", \"node2\", \"node2\", \"Unpromoted -> Promoted\", "
		     "false]");
	free(j);
	/* equal scores: the promoted one stays promoted */
	j = run(cib(2, NULL, NULL, NULL, NULL, tie));
	expect_in(j, "{\"actions\": [], ");
	free(j);
}

/* Equal scores and roles: an instance that failed (being recovered) is not
 * the one promoted. */
static void test_tie_not_the_failed_one(void **state)
{
	const struct nodespec ns[] = { { "Started", true, SCORE("5"), NULL },
				       { "Started", false, SCORE("5"), NULL } };
	char *j;

	(void)state;
	j = run(cib(2, NULL, NULL, NULL, NULL, ns));
	expect_in(j, "[\"Promote\", \"child\", \"node2\", \"node2\", \"Unpromoted -> Promoted\", "
		     "false]");
	expect_in(j, "[\"Recover\", \"child\", \"node1\", \"node1\", \"Unpromoted\", false]");
	free(j);
}

/* rsc-role=Promoted with a primitive, mandatory: promoted only where the
 * primitive runs; rsc-role=Unpromoted: the score counts against promoting
 * the instance where the primitive runs. */
static void test_role_colocations(void **state)
{
	const struct nodespec ns[] = { { "Started", false, SCORE("20"), NULL },
				       { "Started", false, SCORE("10"), NULL } };
	const struct nodespec ns2[] = { { "Started", false, SCORE("10"), NULL },
					{ "Started", false, SCORE("20"), NULL } };
	char *j;

	(void)state;
	j = run(cib(2, NULL, NULL,
		    "<primitive id=\"ip\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>",
		    "<rsc_location id=\"l\" rsc=\"ip\" node=\"node2\" score=\"100\"/>"
		    "<rsc_colocation id=\"co\" rsc=\"c\" rsc-role=\"Promoted\" with-rsc=\"ip\" "
		    "score=\"INFINITY\"/>", ns));
	expect_in(j, "[\"Promote\", \"child\", \"node2\", \"node2\", \"Unpromoted -> Promoted\", "
		     "false]");
	free(j);
	j = run(cib(2, NULL, NULL,
		    "<primitive id=\"ip\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>",
		    "<rsc_location id=\"l\" rsc=\"ip\" node=\"node2\" score=\"100\"/>"
		    "<rsc_colocation id=\"co\" rsc=\"c\" rsc-role=\"Unpromoted\" with-rsc=\"ip\" "
		    "score=\"50\"/>", ns2));
	expect_in(j, "[\"Promote\", \"child\", \"node1\", \"node1\", \"Unpromoted -> Promoted\", "
		     "false]");
	expect_not_in(j, "\"node2\", \"node2\", \"Unpromoted -> Promoted\"");
	free(j);
}

/* A cloned group's instance is promoted as a whole, by the sum of its
 * members' promotion scores. */
static void test_cloned_group_promoted_whole(void **state)
{
	const struct nodespec ns[] = {
		{ "Started", false, "<nvpair id=\"a\" name=\"master-m1\" value=\"10\"/>", NULL },
		{ "Started", false, "<nvpair id=\"a\" name=\"master-m1\" value=\"5\"/>"
				    "<nvpair id=\"b\" name=\"master-m2\" value=\"20\"/>", NULL },
	};
	char *j;

	(void)state;
	j = run(cib(2, "<group id=\"g\">" STATEFUL("m1") STATEFUL("m2") "</group>", NULL, NULL,
		    NULL, ns));
	expect_in(j, "\"m1\": {\"Promoted\": [\"node2\"], \"Unpromoted\": [\"node1\"]}");
	expect_in(j, "\"m2\": {\"Promoted\": [\"node2\"], \"Unpromoted\": [\"node1\"]}");
	free(j);
}

/* promoted-max 2 but promoted-node-max 1 (the default): two instances on
 * one node, one of them promoted. */
static void test_promoted_node_max(void **state)
{
	const struct nodespec ns[] = { { NULL, false, SCORE("10"), NULL } };
	char *j;

	(void)state;
	j = run(cib(1, NULL,
		    "<nvpair id=\"m1\" name=\"clone-max\" value=\"2\"/>"
		    "<nvpair id=\"m2\" name=\"clone-node-max\" value=\"2\"/>"
		    "<nvpair id=\"m3\" name=\"promoted-max\" value=\"2\"/>", NULL, NULL, ns));
	expect_in(j, "\"child\": {\"Promoted\": [\"node1\"], \"Unpromoted\": [\"node1\"]}");
	free(j);
}

#define APP(interleave) \
	"<clone id=\"app\"><meta_attributes id=\"am\"><nvpair id=\"ai\" name=\"interleave\" " \
	"value=\"" interleave "\"/></meta_attributes><primitive id=\"a\" class=\"ocf\" " \
	"provider=\"heartbeat\" type=\"Dummy\"/></clone>"
#define PROMOTE_THEN_START \
	"<rsc_order id=\"ord\" first=\"c\" first-action=\"promote\" then=\"app\" " \
	"then-action=\"start\"/>"
#define APP_RUNS \
	"<lrm_resource id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">" \
	"<lrm_rsc_op id=\"a_last_0\" operation=\"start\" interval=\"0\" call-id=\"50\" " \
	"rc-code=\"0\" op-status=\"0\" transition-key=\"1:1:0:x\"/></lrm_resource>"

/*
 * "first promote, then start" with an interleaved clone after it: its
 * instance on a node waits for the promotion on that node only, and cannot
 * start where nothing is promoted. Not interleaved: any promotion will do,
 * and without one nothing starts.
 */
static void test_promote_then_start(void **state)
{
	const struct nodespec ns[] = { { "Started", false, SCORE("5"), NULL },
				       { "Started", false, SCORE("10"), NULL } };
	const struct nodespec none[] = { { "Started", false, NULL, NULL },
					 { "Started", false, NULL, NULL } };
	char *j;

	(void)state;
	j = run(cib(2, NULL, NULL, APP("true"), PROMOTE_THEN_START, ns));
	expect_in(j, "[\"Start\", \"a\", null, \"node2\", null, false]");
	expect_in(j, "[\"Start\", \"a\", null, \"node1\", null, true]");
	expect_in(j, "\"a\": {\"Started\": [\"node2\"]}");
	free(j);
	j = run(cib(2, NULL, NULL, APP("false"), PROMOTE_THEN_START, ns));
	expect_in(j, "[\"Start\", \"a\", null, \"node2\", null, false]");
	expect_in(j, "[\"Start\", \"a\", null, \"node1\", null, false]");
	free(j);
	j = run(cib(2, NULL, NULL, APP("false"), PROMOTE_THEN_START, none));
	expect_in(j, "[\"Start\", \"a\", null, \"node2\", null, true]");
	expect_in(j, "[\"Start\", \"a\", null, \"node1\", null, true]");
	free(j);
}

/*
 * Its symmetrical inverse: a demote first stops what was started after the
 * promotion, on that node only with interleave (where it cannot start again,
 * nothing being promoted there), on every node without (those restart: the
 * clone is promoted elsewhere).
 */
static void test_demote_stops_then_first(void **state)
{
	const struct nodespec ns[] = { { "Promoted", false, SCORE("5"), APP_RUNS },
				       { "Started", false, SCORE("10"), APP_RUNS } };
	char *j;

	(void)state;
	j = run(cib(2, NULL, NULL, APP("true"), PROMOTE_THEN_START, ns));
	expect_in(j, "[\"Stop\", \"a\", \"node1\", null, null, false]");
	expect_not_in(j, "\"a\", \"node2\"");
	free(j);
	j = run(cib(2, NULL, NULL, APP("false"), PROMOTE_THEN_START, ns));
	expect_in(j, "[\"Restart\", \"a\", \"node1\", \"node1\", null, false]");
	expect_in(j, "[\"Restart\", \"a\", \"node2\", \"node2\", null, false]");
	free(j);
}

/* The index of the typed action op of rsc on node, or -1. */
static long find_action(const ham_transition *t, const char *op, const char *rsc,
			const char *node)
{
	size_t i;

	for (i = 0; i < ham_transition_typed_count(t); i++) {
		const struct ham_action *a = ham_transition_action(t, i);

		if (ham_streq(a->op, op) && ham_streq(a->rsc, rsc) && ham_streq(a->node, node) &&
		    a->interval_ms == 0)
			return (long)i;
	}
	return -1;
}

static bool has_edge(const ham_transition *t, long a, long b)
{
	size_t i, x, y;

	for (i = 0; i < ham_transition_typed_edge_count(t); i++)
		if (ham_transition_edge(t, i, &x, &y) == 0 && (long)x == a && (long)y == b)
			return true;
	return false;
}

/*
 * The transition promotes and demotes: a demote before any promote of the
 * clone; with the interleaved order, app's stop on node1 before the demote
 * there and its start on node2 after the promote there.
 */
static void test_graph_promote_demote(void **state)
{
	const struct nodespec ns[] = { { "Promoted", false, SCORE("5"), APP_RUNS },
				       { "Started", false, SCORE("10"), NULL } };
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	struct ham_policy_options o = { .now_s = NOW };
	char *xml = cib(2, NULL, NULL, APP("true"), PROMOTE_THEN_START, ns), *err = NULL;
	long dem, prom, astop, astart;

	(void)state;
	assert_int_equal(ham_policy_input_load(xml, strlen(xml), &in, &err), 0);
	assert_int_equal(ham_policy_compute(in, &o, &t), 0);
	dem = find_action(t, "demote", "child", "node1");
	prom = find_action(t, "promote", "child", "node2");
	astop = find_action(t, "stop", "a", "node1");
	astart = find_action(t, "start", "a", "node2");
	assert_true(dem >= 0 && prom >= 0 && astop >= 0 && astart >= 0);
	assert_true(find_action(t, "stop", "child", "node1") < 0);
	assert_true(has_edge(t, dem, prom));
	assert_true(has_edge(t, prom, astart));
	assert_true(has_edge(t, astop, dem));
	ham_transition_free(t);
	ham_policy_input_free(in);
	free(xml);
	free(err);
}

#define IP "<primitive id=\"ip\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"

/*
 * rsc-role=Unpromoted with a primitive, mandatory: a role constraint, not
 * a placement one: both instances run, the one where the primitive runs is
 * not the promoted one (even with the higher score).
 */
static void test_unpromoted_with_primitive(void **state)
{
	const struct nodespec ns[] = { { "Started", false, SCORE("5"), NULL },
				       { "Started", false, SCORE("10"), NULL } };
	char *j;

	(void)state;
	j = run(cib(2, NULL, NULL, IP,
		    "<rsc_location id=\"l\" rsc=\"ip\" node=\"node2\" score=\"100\"/>"
		    "<rsc_colocation id=\"co\" rsc=\"c\" rsc-role=\"Unpromoted\" with-rsc=\"ip\" "
		    "score=\"INFINITY\"/>", ns));
	expect_in(j, "\"child\": {\"Promoted\": [\"node1\"], \"Unpromoted\": [\"node2\"]}");
	free(j);
}

/*
 * What is colocated with the Promoted role weighs where the clone is
 * promoted, what it cannot do included: where it may not run, the clone is
 * promoted elsewhere (the current promotion moves); but it never forbids a
 * promotion: with promoted-max 2 both are promoted.
 */
static void test_promoted_role_dependent_cannot_run(void **state)
{
	const struct nodespec ns[] = { { "Promoted", false, SCORE("10"), NULL },
				       { "Started", false, SCORE("10"), NULL } };
	static const char cons[] =
		"<rsc_location id=\"l\" rsc=\"ip\" node=\"node1\" score=\"-INFINITY\"/>"
		"<rsc_colocation id=\"co\" rsc=\"ip\" with-rsc=\"c\" with-rsc-role=\"Promoted\" "
		"score=\"INFINITY\"/>";
	char *j;

	(void)state;
	j = run(cib(2, NULL, NULL, IP, cons, ns));
	expect_in(j, "\"child\": {\"Promoted\": [\"node2\"], \"Unpromoted\": [\"node1\"]}");
	expect_in(j, "\"ip\": {\"Started\": [\"node2\"]}");
	free(j);
	j = run(cib(2, NULL, "<nvpair id=\"pm\" name=\"promoted-max\" value=\"2\"/>", IP, cons,
		    ns));
	expect_in(j, "\"child\": {\"Promoted\": [\"node1\", \"node2\"]}");
	free(j);
}

/*
 * A promotion that needs (rsc-role=Promoted, mandatory) a resource whose
 * start cannot happen (it is ordered after a stopped one) is blocked: the
 * instance stays Unpromoted, and the line says so.
 */
static void test_promotion_blocked_with_unrunnable(void **state)
{
	const struct nodespec ns[] = { { "Started", false, SCORE("10"), NULL },
				       { "Started", false, SCORE("5"), NULL } };
	char *j;

	(void)state;
	j = run(cib(2, NULL, NULL,
		    IP "<primitive id=\"off\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		    "<meta_attributes id=\"offm\"><nvpair id=\"offr\" name=\"target-role\" "
		    "value=\"Stopped\"/></meta_attributes></primitive>",
		    "<rsc_location id=\"l\" rsc=\"ip\" node=\"node1\" score=\"100\"/>"
		    "<rsc_order id=\"ord\" first=\"off\" then=\"ip\"/>"
		    "<rsc_colocation id=\"co\" rsc=\"c\" rsc-role=\"Promoted\" with-rsc=\"ip\" "
		    "score=\"INFINITY\"/>", ns));
	expect_in(j, "[\"Promote\", \"child\", \"node1\", \"node1\", \"Unpromoted -> Promoted\", "
		     "true]");
	expect_in(j, "\"child\": {\"Unpromoted\": [\"node1\", \"node2\"]}");
	free(j);
}

/* with-rsc-role=Unpromoted: with an instance that is not the promoted one. */
static void test_with_unpromoted_role(void **state)
{
	const struct nodespec ns[] = { { "Promoted", false, SCORE("10"), NULL },
				       { "Started", false, SCORE("5"), NULL } };
	char *j;

	(void)state;
	j = run(cib(2, NULL, NULL, IP,
		    "<rsc_location id=\"l\" rsc=\"ip\" node=\"node1\" score=\"100\"/>"
		    "<rsc_colocation id=\"co\" rsc=\"ip\" with-rsc=\"c\" with-rsc-role=\"Unpromoted\" "
		    "score=\"1000\"/>", ns));
	expect_in(j, "\"ip\": {\"Started\": [\"node2\"]}");
	free(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_score_no_promotion),
		cmocka_unit_test(test_promoted_location_suffices),
		cmocka_unit_test(test_higher_score_takes_over),
		cmocka_unit_test(test_tie_not_the_failed_one),
		cmocka_unit_test(test_role_colocations),
		cmocka_unit_test(test_cloned_group_promoted_whole),
		cmocka_unit_test(test_promoted_node_max),
		cmocka_unit_test(test_promote_then_start),
		cmocka_unit_test(test_demote_stops_then_first),
		cmocka_unit_test(test_graph_promote_demote),
		cmocka_unit_test(test_unpromoted_with_primitive),
		cmocka_unit_test(test_promoted_role_dependent_cannot_run),
		cmocka_unit_test(test_promotion_blocked_with_unrunnable),
		cmocka_unit_test(test_with_unpromoted_role),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
