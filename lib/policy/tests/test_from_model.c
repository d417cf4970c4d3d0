/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for ham_policy_input_from_model(): the engine's input built from
 * lib/cib's typed model gives what loading the XML gives, does not depend on
 * the model afterwards, and carries what the status section says (history
 * intervals in milliseconds, pending operations, transient attributes, fail
 * counts, tickets) and what the typed actions need (parameters, timeouts).
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hamgr/cib.h>
#include <hamgr/policy.h>

#define NOW 1700000000

/* Two online nodes, fencing off, the given resources, constraints and extra
 * node_state content per node (NULL: none). */
static char *cib(const char *props, const char *resources, const char *constraints,
		 const char *ns1, const char *ns2, const char *tickets)
{
	ham_buf b = HAM_BUF_INIT;

	ham_buf_addf(&b,
		     "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
		     "validate-with=\"pacemaker-3.0\" have-quorum=\"1\">"
		     "<configuration><crm_config><cluster_property_set id=\"opts\">"
		     "<nvpair id=\"opts-st\" name=\"stonith-enabled\" value=\"false\"/>%s"
		     "</cluster_property_set></crm_config><nodes>"
		     "<node id=\"1\" uname=\"node1\"/><node id=\"2\" uname=\"node2\"/>"
		     "</nodes><resources>%s</resources><constraints>%s</constraints>"
		     "</configuration><status>"
		     "<node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
		     "join=\"member\" expected=\"member\">%s</node_state>"
		     "<node_state id=\"2\" uname=\"node2\" in_ccm=\"true\" crmd=\"online\" "
		     "join=\"member\" expected=\"member\">%s</node_state>%s"
		     "</status></cib>",
		     props ? props : "", resources, constraints ? constraints : "",
		     ns1 ? ns1 : "", ns2 ? ns2 : "", tickets ? tickets : "");
	return ham_buf_steal(&b);
}

/* The history of rsc on a node: the given lrm_rsc_op elements. */
static char *lrm(const char *rsc, const char *ops)
{
	return ham_asprintf("<lrm id=\"l\"><lrm_resources><lrm_resource id=\"%s\" class=\"ocf\" "
			    "provider=\"heartbeat\" type=\"Dummy\">%s</lrm_resource>"
			    "</lrm_resources></lrm>",
			    rsc, ops);
}

static ham_cib *load_cib(const char *xml)
{
	struct ham_cib_load_opts opts = { .flags = HAM_CIB_LOAD_SCHEMA };
	ham_cib_diags *d = ham_cib_diags_new();
	ham_cib *c = NULL;
	int r = ham_cib_load_mem(xml, strlen(xml), "test", &opts, &c, d);

	if (r < 0) {
		ham_buf b = HAM_BUF_INIT;

		ham_cib_diags_text(d, "test", r, &b);
		fprintf(stderr, "%s", ham_buf_str(&b));
		ham_buf_free(&b);
	}
	assert_int_equal(r, 0);
	ham_cib_diags_free(d);
	return c;
}

/* Computes from the model (the CIB is freed first: the input must not need it). */
static char *run_model(const char *xml)
{
	ham_cib *c = load_cib(xml);
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	struct ham_policy_options o = { .now_s = NOW };
	ham_buf b = HAM_BUF_INIT;
	char *err = NULL;

	assert_int_equal(ham_policy_input_from_model(ham_cib_model(c), &in, &err), 0);
	assert_null(err);
	ham_cib_free(c);
	assert_int_equal(ham_policy_compute(in, &o, &t), 0);
	ham_transition_json(t, &b);
	ham_transition_free(t);
	ham_policy_input_free(in);
	return ham_buf_steal(&b);
}

static char *run_load(const char *xml)
{
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	struct ham_policy_options o = { .now_s = NOW };
	ham_buf b = HAM_BUF_INIT;

	assert_int_equal(ham_policy_input_load(xml, strlen(xml), &in, NULL), 0);
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

#define PRIM(id) "<primitive id=\"" id "\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
#define START_OK(rsc, call) \
	"<lrm_rsc_op id=\"" rsc "_start_0\" operation=\"start\" interval=\"0\" call-id=\"" call \
	"\" rc-code=\"0\" op-status=\"0\" transition-key=\"1:1:0:x\"/>"

static void test_null_arguments(void **state)
{
	ham_policy_input *in = NULL;

	(void)state;
	assert_int_equal(ham_policy_input_from_model(NULL, &in, NULL), -EINVAL);
	assert_null(in);
}

/* Groups, clones, templates, tags, rules, sets, orders: the same transition
 * whether built from a model the caller holds or loaded from the text. */
static void test_same_as_load(void **state)
{
	char *h1 = lrm("g1", START_OK("g1", "2"));
	char *x = cib(NULL,
		      "<template id=\"tpl\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
		      "<group id=\"g\">" PRIM("g1") PRIM("g2") "</group>"
		      "<clone id=\"cl\">" PRIM("c") "</clone>"
		      "<primitive id=\"t1\" template=\"tpl\"/>" PRIM("s1") PRIM("s2"),
		      "<rsc_location id=\"l1\" rsc=\"g\" node=\"node2\" score=\"50\"/>"
		      "<rsc_location id=\"l2\" rsc=\"tpl\"><rule id=\"l2-r\" score=\"30\">"
		      "<expression id=\"l2-e\" attribute=\"#uname\" operation=\"eq\" "
		      "value=\"node2\"/></rule></rsc_location>"
		      "<rsc_colocation id=\"co\" rsc=\"tg\" with-rsc=\"g\" score=\"INFINITY\"/>"
		      "<rsc_order id=\"o1\" first=\"cl\" then=\"g\"/>"
		      "<rsc_order id=\"o2\"><resource_set id=\"o2-a\">"
		      "<resource_ref id=\"s1\"/><resource_ref id=\"s2\"/></resource_set>"
		      "</rsc_order>"
		      "<rsc_location id=\"l3\" rsc=\"tg\" node=\"node1\" score=\"-INFINITY\"/>",
		      h1, NULL, NULL);
	char *with_tags, *a, *b;

	/* the tag goes after the constraints */
	with_tags = ham_asprintf("%.*s<tags><tag id=\"tg\"><obj_ref id=\"s1\"/></tag></tags>%s",
				 (int)(strstr(x, "</configuration>") - x), x,
				 strstr(x, "</configuration>"));
	(void)state;
	a = run_model(with_tags);
	b = run_load(with_tags);
	assert_string_equal(a, b);
	/* the group prefers node2 and moves there; s1 follows it (tag) */
	expect_in(a, "[\"Move\", \"g1\", \"node1\", \"node2\"");
	expect_in(a, "[\"Start\", \"s1\", null, \"node2\"");
	expect_in(a, "\"c\": {\"Started\": [\"node1\", \"node2\"]}");
	free(a);
	free(b);
	free(with_tags);
	free(x);
	free(h1);
}

/* The history's interval is in milliseconds and matches the configured
 * "10s" monitor, whose on-fail (in its meta_attributes) then applies. */
static void test_history_interval_and_on_fail(void **state)
{
	char *h = lrm("a", START_OK("a", "2")
		      "<lrm_rsc_op id=\"a_monitor_10000\" operation=\"monitor\" interval=\"10000\" "
		      "call-id=\"3\" rc-code=\"7\" op-status=\"0\" transition-key=\"2:1:0:x\"/>");
	char *x = cib(NULL,
		      "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		      "<operations><op id=\"a-mon\" name=\"monitor\" interval=\"10s\">"
		      "<meta_attributes id=\"a-mon-m\"><nvpair id=\"a-mon-of\" name=\"on-fail\" "
		      "value=\"block\"/></meta_attributes></op></operations></primitive>",
		      NULL, h, NULL, NULL);
	char *plain = cib(NULL,
			  "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
			  "<operations><op id=\"a-mon\" name=\"monitor\" interval=\"10s\"/>"
			  "</operations></primitive>",
			  NULL, h, NULL, NULL);
	char *j;

	(void)state;
	/* on-fail=block: left alone, not recovered */
	j = run_model(x);
	expect_not_in(j, "Recover");
	free(j);
	/* the default (restart): recovered in place */
	j = run_model(plain);
	expect_in(j, "[\"Recover\", \"a\", \"node1\", \"node1\"");
	free(j);
	free(plain);
	free(x);
	free(h);
}

/* op-status="-1" is a pending operation: a pending start counts as started. */
static void test_pending_operation(void **state)
{
	char *h = lrm("a", "<lrm_rsc_op id=\"a_start_0\" operation=\"start\" interval=\"0\" "
			   "call-id=\"-1\" rc-code=\"14\" op-status=\"-1\" "
			   "transition-key=\"1:1:0:x\"/>");
	char *x = cib(NULL, PRIM("a"), NULL, NULL, h, NULL);
	char *j;

	(void)state;
	j = run_model(x);
	expect_not_in(j, "\"Start\"");
	expect_in(j, "\"a\": {\"Started\": [\"node2\"]}");
	free(j);
	free(x);
	free(h);
}

/* Transient attributes: standby, and a fail count against migration-threshold. */
static void test_transient_attributes(void **state)
{
	char *h = lrm("a", START_OK("a", "2"));
	char *ns1 = ham_asprintf("<transient_attributes id=\"t1\"><instance_attributes id=\"t1-i\">"
				 "<nvpair id=\"t1-sb\" name=\"standby\" value=\"on\"/>"
				 "</instance_attributes></transient_attributes>%s", h);
	char *ns1f = ham_asprintf("<transient_attributes id=\"t1\"><instance_attributes id=\"t1-i\">"
				  "<nvpair id=\"t1-fc\" name=\"fail-count-a#monitor_10000\" "
				  "value=\"1\"/></instance_attributes></transient_attributes>%s", h);
	char *x = cib(NULL, PRIM("a"), NULL, ns1, NULL, NULL);
	char *xf = cib(NULL,
		       "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		       "<meta_attributes id=\"a-m\"><nvpair id=\"a-mt\" name=\"migration-threshold\" "
		       "value=\"1\"/></meta_attributes></primitive>",
		       NULL, ns1f, NULL, NULL);
	char *j;

	(void)state;
	j = run_model(x);
	expect_in(j, "[\"Move\", \"a\", \"node1\", \"node2\"");
	expect_in(j, "\"node1\": \"standby\"");
	free(j);
	j = run_model(xf);
	expect_in(j, "[\"Move\", \"a\", \"node1\", \"node2\"");
	free(j);
	free(x);
	free(xf);
	free(ns1);
	free(ns1f);
	free(h);
}

/* Ticket states: a resource needing a revoked ticket is stopped. */
static void test_tickets(void **state)
{
	char *h = lrm("a", START_OK("a", "2"));
	const char *dep = "<rsc_ticket id=\"tk\" rsc=\"a\" ticket=\"T\"/>";
	char *revoked = cib(NULL, PRIM("a"), dep, h, NULL,
			    "<tickets><ticket_state id=\"T\" granted=\"false\"/></tickets>");
	char *granted = cib(NULL, PRIM("a"), dep, h, NULL,
			    "<tickets><ticket_state id=\"T\" granted=\"true\"/></tickets>");
	char *j;

	(void)state;
	j = run_model(revoked);
	expect_in(j, "[\"Stop\", \"a\", \"node1\"");
	free(j);
	j = run_model(granted);
	expect_not_in(j, "\"Stop\"");
	free(j);
	free(revoked);
	free(granted);
	free(h);
}

/* The typed actions get the agent's parameters (template's, then own) and
 * the operation's timeout from the model. */
static void test_params_and_timeouts(void **state)
{
	char *x = cib(NULL,
		      "<template id=\"tpl\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		      "<instance_attributes id=\"tpl-i\"><nvpair id=\"tpl-s\" name=\"state\" "
		      "value=\"/tmp/x\"/><nvpair id=\"tpl-f\" name=\"fake\" value=\"t\"/>"
		      "</instance_attributes></template>"
		      "<primitive id=\"a\" template=\"tpl\"><instance_attributes id=\"a-i\">"
		      "<nvpair id=\"a-f\" name=\"fake\" value=\"own\"/></instance_attributes>"
		      "<operations><op id=\"a-start\" name=\"start\" interval=\"0\" "
		      "timeout=\"45s\"/></operations></primitive>",
		      "<rsc_location id=\"l\" rsc=\"a\" node=\"node1\" score=\"10\"/>", NULL, NULL,
		      NULL);
	ham_cib *c = load_cib(x);
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	struct ham_policy_options o = { .now_s = NOW };
	size_t i, j, starts = 0;

	(void)state;
	assert_int_equal(ham_policy_input_from_model(ham_cib_model(c), &in, NULL), 0);
	/* the model stays the caller's: a second input from it is the same */
	ham_policy_input_free(in);
	in = NULL;
	assert_int_equal(ham_policy_input_from_model(ham_cib_model(c), &in, NULL), 0);
	ham_cib_free(c);
	assert_int_equal(ham_policy_compute(in, &o, &t), 0);
	for (i = 0; i < ham_transition_typed_count(t); i++) {
		const struct ham_action *a = ham_transition_action(t, i);
		bool state_seen = false, fake_own = false;

		if (a->kind != HAM_ACTION_START)
			continue;
		starts++;
		assert_string_equal(a->rsc, "a");
		assert_string_equal(a->node, "node1");
		assert_int_equal(a->timeout_ms, 45000);
		for (j = 0; j < a->n_params; j++) {
			if (strcmp(a->params[j].name, "state") == 0)
				state_seen = strcmp(a->params[j].value, "/tmp/x") == 0;
			if (strcmp(a->params[j].name, "fake") == 0)
				fake_own = strcmp(a->params[j].value, "own") == 0;
		}
		assert_true(state_seen);
		assert_true(fake_own);
	}
	assert_int_equal(starts, 1);
	ham_transition_free(t);
	ham_policy_input_free(in);
	free(x);
}

/* A node pending (member, controller not joined) for node-pending-timeout
 * or longer is unclean and fenced; before that it is only pending. */
static void test_node_pending_timeout(void **state)
{
	const char *x =
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
		"validate-with=\"pacemaker-3.0\" have-quorum=\"1\">"
		"<configuration><crm_config><cluster_property_set id=\"opts\">"
		"<nvpair id=\"opts-npt\" name=\"node-pending-timeout\" value=\"300s\"/>"
		"</cluster_property_set></crm_config><nodes>"
		"<node id=\"1\" uname=\"node1\"/><node id=\"2\" uname=\"node2\"/></nodes>"
		"<resources><primitive id=\"fence\" class=\"stonith\" type=\"fence_dummy\"/>"
		"</resources><constraints/></configuration><status>"
		"<node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"/>"
		"<node_state id=\"2\" in_ccm=\"1699999000\" crmd=\"0\"/>"
		"</status></cib>";
	ham_cib *c = load_cib(x);
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	struct ham_policy_options o = { .now_s = 1699999000 + 299 };
	ham_buf b = HAM_BUF_INIT;

	(void)state;
	assert_int_equal(ham_policy_input_from_model(ham_cib_model(c), &in, NULL), 0);
	ham_cib_free(c);
	assert_int_equal(ham_policy_compute(in, &o, &t), 0);
	ham_transition_json(t, &b);
	expect_not_in(ham_buf_str(&b), "Fence");
	expect_in(ham_buf_str(&b), "\"node2\": \"pending\"");
	t = ham_transition_free(t);
	ham_buf_clear(&b);
	o.now_s = 1699999000 + 300;
	assert_int_equal(ham_policy_compute(in, &o, &t), 0);
	ham_transition_json(t, &b);
	expect_in(ham_buf_str(&b), "[\"Fence\", \"node2\", null, null, \"reboot\"");
	expect_in(ham_buf_str(&b), "[\"Start\", \"fence\", null, \"node1\"");
	ham_transition_free(t);
	ham_buf_free(&b);
	ham_policy_input_free(in);
}

/* Loading refuses what hactl verify refuses, with its text. */
static void test_load_errors_are_verify_diagnostics(void **state)
{
	char *x = cib(NULL, PRIM("a"), "<rsc_order id=\"o\" first=\"a\" then=\"ghost\"/>", NULL,
		      NULL, NULL);
	ham_policy_input *in = NULL;
	ham_cib_diags *d = ham_cib_diags_new();
	ham_cib *c = NULL;
	ham_buf want = HAM_BUF_INIT;
	char *err = NULL;
	int r;

	(void)state;
	r = ham_policy_input_load(x, strlen(x), &in, &err);
	assert_int_equal(r, -HAM_E_CONFIG);
	assert_null(in);
	assert_int_equal(ham_cib_load_mem(x, strlen(x), "cib.xml", NULL, &c, d), r);
	ham_cib_diags_text(d, "cib.xml", r, &want);
	want.s[--want.len] = '\0'; /* the message has no trailing newline */
	assert_string_equal(err, ham_buf_str(&want));
	assert_non_null(strstr(err, "<rsc_order> id 'o': "));
	assert_non_null(strstr(err, "ghost"));
	free(err);
	ham_buf_free(&want);
	ham_cib_diags_free(d);
	free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_arguments),
		cmocka_unit_test(test_same_as_load),
		cmocka_unit_test(test_history_interval_and_on_fail),
		cmocka_unit_test(test_pending_operation),
		cmocka_unit_test(test_transient_attributes),
		cmocka_unit_test(test_tickets),
		cmocka_unit_test(test_params_and_timeouts),
		cmocka_unit_test(test_node_pending_timeout),
		cmocka_unit_test(test_load_errors_are_verify_diagnostics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
