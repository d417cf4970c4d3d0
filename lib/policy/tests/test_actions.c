/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/policy's typed actions: the scheduler's actions with
 * their agent, node, timeout and expected rc; probes on nodes without
 * history, ordered before the start; recurring monitors after a start or
 * for an active resource whose monitor is not recorded; fencing; edges;
 * the failure-timeout recheck time; the dot output built from the list.
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

#include <hamgr/policy.h>

#define NOW 1700000000

/* nodes node1..nodeN; status: given node_states, the others online and empty */
static char *cib(int nnodes, const char *props, const char *resources, const char *status)
{
	ham_buf b = HAM_BUF_INIT;
	int i;

	ham_buf_addf(&b, "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
			 "validate-with=\"pacemaker-3.0\" have-quorum=\"1\">"
			 "<configuration><crm_config><cluster_property_set id=\"o\">%s"
			 "</cluster_property_set></crm_config><nodes>", props ? props : "");
	for (i = 1; i <= nnodes; i++)
		ham_buf_addf(&b, "<node id=\"%d\" uname=\"node%d\"/>", i, i);
	ham_buf_addf(&b, "</nodes><resources>%s</resources><constraints/>"
			 "<op_defaults><meta_attributes id=\"od\">"
			 "<nvpair id=\"od-t\" name=\"timeout\" value=\"30s\"/>"
			 "</meta_attributes></op_defaults></configuration><status>", resources);
	if (status)
		ham_buf_add(&b, status);
	for (i = 1; i <= nnodes; i++) {
		char needle[64];

		snprintf(needle, sizeof(needle), "uname=\"node%d\"", i);
		if (status && strstr(status, needle))
			continue;
		ham_buf_addf(&b, "<node_state id=\"%d\" uname=\"node%d\" in_ccm=\"true\" "
				 "crmd=\"online\" join=\"member\" expected=\"member\"/>", i, i);
	}
	ham_buf_add(&b, "</status></cib>");
	return ham_buf_steal(&b);
}

#define NOFENCE "<nvpair id=\"p1\" name=\"stonith-enabled\" value=\"false\"/>"
#define PRIM_MON(id) \
	"<primitive id=\"" id "\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">" \
	"<operations><op id=\"" id "-mon\" name=\"monitor\" interval=\"10s\"/></operations>" \
	"</primitive>"

/* A node_state with one resource's ops (already formatted lrm_rsc_op elements). */
static char *state(int node, bool online, const char *rsc, const char *ops)
{
	return ham_asprintf("<node_state id=\"%d\" uname=\"node%d\" in_ccm=\"%s\" crmd=\"%s\" "
			    "join=\"member\" expected=\"member\"><lrm id=\"l%d\"><lrm_resources>"
			    "<lrm_resource id=\"%s\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
			    "%s</lrm_resource></lrm_resources></lrm></node_state>",
			    node, node, online ? "true" : "false", online ? "online" : "offline",
			    node, rsc, ops);
}

#define OP(rsc, op, interval, call, rc, expected, change) \
	"<lrm_rsc_op id=\"" rsc "_" op "_" interval "\" operation=\"" op "\" interval=\"" \
	interval "\" call-id=\"" call "\" rc-code=\"" rc "\" op-status=\"0\" " \
	"transition-key=\"1:1:" expected ":x\" last-rc-change=\"" change "\"/>"

struct run {
	ham_policy_input *in;
	ham_transition *t;
};

static void run(struct run *r, const char *xml)
{
	struct ham_policy_options o = { .now_s = NOW };
	char *err = NULL;
	int ret = ham_policy_input_load(xml, strlen(xml), &r->in, &err);

	if (ret < 0)
		fprintf(stderr, "load: %s\n", err ? err : "?");
	free(err);
	assert_int_equal(ret, 0);
	assert_int_equal(ham_policy_compute(r->in, &o, &r->t), 0);
}

static void done(struct run *r)
{
	ham_transition_free(r->t);
	ham_policy_input_free(r->in);
}

/* Index of the action of kind on node for rsc (NULL: node action), or SIZE_MAX. */
static size_t find(const ham_transition *t, enum ham_action_kind k, const char *rsc,
		   const char *node)
{
	size_t i;

	for (i = 0; i < ham_transition_typed_count(t); i++) {
		const struct ham_action *a = ham_transition_action(t, i);

		if (a->kind == k && ham_streq(a->rsc, rsc) && ham_streq(a->node, node))
			return i;
	}
	return SIZE_MAX;
}

static bool has_edge(const ham_transition *t, size_t x, size_t y)
{
	size_t i, a, b;

	for (i = 0; ham_transition_edge(t, i, &a, &b) == 0; i++)
		if (a == x && b == y)
			return true;
	return false;
}

static size_t count(const ham_transition *t, enum ham_action_kind k)
{
	size_t i, n = 0;

	for (i = 0; i < ham_transition_typed_count(t); i++)
		n += ham_transition_action(t, i)->kind == k;
	return n;
}

/* A new resource: probed on both nodes, started after both probes, then monitored. */
static void test_probe_start_monitor(void **st)
{
	struct run r = { 0 };
	char *x = cib(2, NOFENCE, PRIM_MON("d1"), NULL);
	size_t p1, p2, s, m;
	const struct ham_action *a;
	const char *where;

	(void)st;
	run(&r, x);
	p1 = find(r.t, HAM_ACTION_PROBE, "d1", "node1");
	p2 = find(r.t, HAM_ACTION_PROBE, "d1", "node2");
	assert_int_not_equal(p1, SIZE_MAX);
	assert_int_not_equal(p2, SIZE_MAX);
	a = ham_transition_action(r.t, p1);
	assert_string_equal(a->op, "monitor");
	assert_int_equal(a->interval_ms, 0);
	assert_int_equal(a->expected_rc, 7);
	assert_int_equal(a->timeout_ms, 30000); /* op_defaults */
	assert_string_equal(a->cls, "ocf");
	assert_string_equal(a->provider, "hamgr");
	assert_string_equal(a->type, "dummy");
	assert_true(a->runnable);
	s = find(r.t, HAM_ACTION_START, "d1", "node1");
	where = "node1";
	if (s == SIZE_MAX) {
		s = find(r.t, HAM_ACTION_START, "d1", "node2");
		where = "node2";
	}
	assert_int_not_equal(s, SIZE_MAX);
	a = ham_transition_action(r.t, s);
	assert_string_equal(a->op, "start");
	assert_int_equal(a->expected_rc, 0);
	assert_true(has_edge(r.t, p1, s));
	assert_true(has_edge(r.t, p2, s));
	m = find(r.t, HAM_ACTION_MONITOR, "d1", where);
	assert_int_not_equal(m, SIZE_MAX);
	a = ham_transition_action(r.t, m);
	assert_int_equal(a->interval_ms, 10000);
	assert_int_equal(a->expected_rc, 0);
	assert_true(has_edge(r.t, s, m));
	assert_false(has_edge(r.t, m, s));
	/* the scheduler's own count does not include probes and monitors */
	assert_int_equal(ham_transition_action_count(r.t), 1);
	assert_int_equal(ham_transition_typed_count(r.t), 4);
	assert_null(ham_transition_action(r.t, 4));
	done(&r);
	free(x);
}

/* Running where it has history, unknown elsewhere: a probe there, a
 * monitor where it runs (not recorded), no start. */
static void test_running_needs_monitor(void **st)
{
	struct run r = { 0 };
	char *s1 = state(1, true, "d1", OP("d1", "start", "0", "3", "0", "0", "1699999000"));
	char *x = cib(2, NOFENCE, PRIM_MON("d1"), s1);
	size_t m;

	(void)st;
	run(&r, x);
	assert_int_equal(find(r.t, HAM_ACTION_PROBE, "d1", "node1"), SIZE_MAX);
	assert_int_not_equal(find(r.t, HAM_ACTION_PROBE, "d1", "node2"), SIZE_MAX);
	assert_int_equal(count(r.t, HAM_ACTION_START), 0);
	m = find(r.t, HAM_ACTION_MONITOR, "d1", "node1");
	assert_int_not_equal(m, SIZE_MAX);
	assert_int_equal(ham_transition_action(r.t, m)->interval_ms, 10000);
	done(&r);
	free(x);
	free(s1);
}

/* The monitor recorded after the start: nothing to do (probed everywhere). */
static void test_monitor_recorded(void **st)
{
	struct run r = { 0 };
	char *s1 = state(1, true, "d1", OP("d1", "start", "0", "3", "0", "0", "1699999000")
			 OP("d1", "monitor", "10000", "4", "0", "0", "1699999000"));
	char *s2 = state(2, true, "d1", OP("d1", "monitor", "0", "2", "7", "7", "1699999000"));
	char *both = ham_asprintf("%s%s", s1, s2);
	char *x = cib(2, NOFENCE, PRIM_MON("d1"), both);

	(void)st;
	run(&r, x);
	assert_int_equal(ham_transition_typed_count(r.t), 0);
	assert_int_equal(ham_transition_typed_edge_count(r.t), 0);
	done(&r);
	free(x);
	free(both);
	free(s1);
	free(s2);
}

/* A monitor recorded before the last start is not active: monitor again. */
static void test_monitor_before_restart(void **st)
{
	struct run r = { 0 };
	char *s1 = state(1, true, "d1", OP("d1", "monitor", "10000", "4", "0", "0", "1699999000")
			 OP("d1", "start", "0", "6", "0", "0", "1699999000"));
	char *s2 = state(2, true, "d1", OP("d1", "monitor", "0", "2", "7", "7", "1699999000"));
	char *both = ham_asprintf("%s%s", s1, s2);
	char *x = cib(2, NOFENCE, PRIM_MON("d1"), both);

	(void)st;
	run(&r, x);
	assert_int_equal(ham_transition_typed_count(r.t), 1);
	assert_int_not_equal(find(r.t, HAM_ACTION_MONITOR, "d1", "node1"), SIZE_MAX);
	done(&r);
	free(x);
	free(both);
	free(s1);
	free(s2);
}

/* An unclean node: fenced (typed target and action), the start elsewhere after it. */
static void test_fence(void **st)
{
	struct run r = { 0 };
	char *s1 = state(1, false, "d1", OP("d1", "start", "0", "3", "0", "0", "1699999000"));
	char *s2 = state(2, true, "d1", OP("d1", "monitor", "0", "2", "7", "7", "1699999000"));
	char *both = ham_asprintf("%s%s", s1, s2);
	char *x = cib(2, "<nvpair id=\"p1\" name=\"stonith-enabled\" value=\"true\"/>"
		      "<nvpair id=\"p2\" name=\"stonith-action\" value=\"off\"/>",
		      PRIM_MON("d1"), both);
	size_t f, s, stop;
	const struct ham_action *a;
	ham_buf dot = HAM_BUF_INIT;

	(void)st;
	run(&r, x);
	f = find(r.t, HAM_ACTION_FENCE, NULL, "node1");
	assert_int_not_equal(f, SIZE_MAX);
	a = ham_transition_action(r.t, f);
	assert_string_equal(a->fence_target, "node1");
	assert_string_equal(a->op, "off");
	assert_null(a->rsc);
	s = find(r.t, HAM_ACTION_START, "d1", "node2");
	assert_int_not_equal(s, SIZE_MAX);
	assert_true(has_edge(r.t, f, s));
	stop = find(r.t, HAM_ACTION_STOP, "d1", "node1");
	assert_int_not_equal(stop, SIZE_MAX);
	assert_true(ham_transition_action(r.t, stop)->pseudo);
	/* no probe on the lost node; a monitor after the start */
	assert_int_equal(find(r.t, HAM_ACTION_PROBE, "d1", "node1"), SIZE_MAX);
	assert_true(has_edge(r.t, s, find(r.t, HAM_ACTION_MONITOR, "d1", "node2")));
	ham_transition_dot(r.t, &dot);
	assert_non_null(strstr(ham_buf_str(&dot), "\"stonith node1\" -> \"d1_start_0 node2\""));
	assert_non_null(strstr(ham_buf_str(&dot), "\"d1_start_0 node2\" -> \"d1_monitor_10000 node2\""));
	ham_buf_free(&dot);
	done(&r);
	free(x);
	free(both);
	free(s1);
	free(s2);
}

/* A location's date rules: the engine asks to compute again when one may
 * change its value (a move's lifetime ends; a range with a duration ends). */
static char *with_constraints(const char *x, const char *constraints)
{
	const char *at = strstr(x, "<constraints/>");
	ham_buf b = HAM_BUF_INIT;

	assert_non_null(at);
	ham_buf_addf(&b, "%.*s<constraints>%s</constraints>%s", (int)(at - x), x, constraints,
		     at + strlen("<constraints/>"));
	return ham_buf_steal(&b);
}

static void test_recheck_date_rules(void **st)
{
	struct run r = { 0 };
	char *x = cib(2, NOFENCE, PRIM_MON("d1"), NULL), *y, *z;

	(void)st;
	/* NOW is 2023-11-14T22:13:20Z */
	y = with_constraints(x, "<rsc_location id=\"cli-prefer-d1\" rsc=\"d1\" role=\"Started\">"
			     "<rule id=\"r1\" score=\"INFINITY\" boolean-op=\"and\">"
			     "<expression id=\"e1\" attribute=\"#uname\" operation=\"eq\" "
			     "value=\"node2\" type=\"string\"/><date_expression id=\"d1-lt\" "
			     "operation=\"lt\" end=\"2023-11-14T22:15:00Z\"/></rule></rsc_location>"
			     "<rsc_location id=\"l2\" rsc=\"d1\"><rule id=\"r2\" score=\"10\">"
			     "<date_expression id=\"d2\" operation=\"in_range\" "
			     "start=\"2023-11-14T22:13:00Z\"><duration id=\"d2-du\" hours=\"1\"/>"
			     "</date_expression></rule></rsc_location>");
	run(&r, y);
	assert_int_equal(ham_transition_recheck_s(r.t), NOW + 100); /* the lifetime's end */
	done(&r);
	z = with_constraints(x, "<rsc_location id=\"l2\" rsc=\"d1\"><rule id=\"r2\" "
			     "score=\"10\"><rule id=\"r3\" score=\"0\"><date_expression "
			     "id=\"d2\" operation=\"in_range\" start=\"2023-11-14T22:13:00Z\">"
			     "<duration id=\"d2-du\" hours=\"1\"/></date_expression></rule></rule>"
			     "</rsc_location>");
	run(&r, z);
	assert_int_equal(ham_transition_recheck_s(r.t), NOW - 20 + 3600); /* nested, start + duration */
	done(&r);
	free(x);
	free(y);
	free(z);
}

/* A failure with failure-timeout: the engine says when to compute again. */
static void test_recheck(void **st)
{
	struct run r = { 0 };
	char *s1 = state(1, true, "d1", OP("d1", "start", "0", "3", "0", "0", "1699999000")
			 OP("d1", "monitor", "10000", "4", "7", "0", "1699999990"));
	char *s2 = state(2, true, "d1", OP("d1", "monitor", "0", "2", "7", "7", "1699999000"));
	char *both = ham_asprintf("%s%s", s1, s2);
	char *x = cib(2, NOFENCE,
		      "<primitive id=\"d1\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
		      "<meta_attributes id=\"d1-m\"><nvpair id=\"d1-ft\" name=\"failure-timeout\" "
		      "value=\"60s\"/></meta_attributes>"
		      "<operations><op id=\"d1-mon\" name=\"monitor\" interval=\"10s\"/></operations>"
		      "</primitive>", both);
	char *y;

	(void)st;
	run(&r, x);
	assert_int_equal(ham_transition_recheck_s(r.t), 1699999990 + 60 + 1);
	done(&r);
	/* without a failure-timeout: nothing to recheck */
	y = cib(2, NOFENCE, PRIM_MON("d1"), both);
	run(&r, y);
	assert_int_equal(ham_transition_recheck_s(r.t), 0);
	done(&r);
	free(x);
	free(y);
	free(both);
	free(s1);
	free(s2);
}

/* The agent's parameters and the op's own timeout, as the runner needs them. */
static void test_params_and_timeouts(void **st)
{
	struct run r = { 0 };
	char *x = cib(1, NOFENCE,
		      "<primitive id=\"d1\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
		      "<instance_attributes id=\"d1-ia\"><nvpair id=\"d1-s\" name=\"state\" "
		      "value=\"/run/d1\"/></instance_attributes>"
		      "<operations><op id=\"d1-start\" name=\"start\" interval=\"0\" timeout=\"7s\"/>"
		      "<op id=\"d1-mon\" name=\"monitor\" interval=\"10s\" timeout=\"5s\"/>"
		      "</operations></primitive>", NULL);
	const struct ham_action *a;
	size_t i;

	(void)st;
	run(&r, x);
	a = ham_transition_action(r.t, find(r.t, HAM_ACTION_START, "d1", "node1"));
	assert_non_null(a);
	assert_int_equal(a->timeout_ms, 7000);
	assert_int_equal(a->n_params, 1);
	assert_string_equal(a->params[0].name, "state");
	assert_string_equal(a->params[0].value, "/run/d1");
	/* the probe takes the recurring monitor's timeout, the monitor its own */
	a = ham_transition_action(r.t, find(r.t, HAM_ACTION_PROBE, "d1", "node1"));
	assert_int_equal(a->timeout_ms, 5000);
	a = ham_transition_action(r.t, find(r.t, HAM_ACTION_MONITOR, "d1", "node1"));
	assert_int_equal(a->timeout_ms, 5000);
	for (i = 0; i < a->n_params; i++)
		assert_non_null(a->params[i].value);
	done(&r);
	free(x);
}

static void test_bounds(void **st)
{
	struct run r = { 0 };
	char *x = cib(1, NOFENCE, PRIM_MON("d1"), NULL);
	size_t a, b;

	(void)st;
	run(&r, x);
	assert_int_equal(ham_transition_edge(r.t, ham_transition_typed_edge_count(r.t), &a, &b),
			 -ERANGE);
	assert_null(ham_transition_action(r.t, ham_transition_typed_count(r.t)));
	assert_string_equal(ham_action_kind_name(HAM_ACTION_PROBE), "probe");
	assert_string_equal(ham_action_kind_name(HAM_ACTION_FENCE), "fence");
	done(&r);
	free(x);
}

/*
 * An anonymous clone with fewer instances than nodes: a node whose probe
 * found it not running gets no instance, and is not probed again (the
 * history is the clone's, not an instance's). Plain and as a cloned group.
 */
static void test_clone_probed_where_no_instance(void **st)
{
	static const char *const rscs[] = {
		"<clone id=\"c\"><meta_attributes id=\"cm\"><nvpair id=\"cm1\" "
		"name=\"clone-max\" value=\"1\"/></meta_attributes>" PRIM_MON("d1") "</clone>",
		"<clone id=\"c\"><meta_attributes id=\"cm\"><nvpair id=\"cm1\" "
		"name=\"clone-max\" value=\"1\"/></meta_attributes><group id=\"g\">"
		PRIM_MON("d1") PRIM_MON("d2") "</group></clone>",
	};
	size_t v;

	(void)st;
	for (v = 0; v < 2; v++) {
		struct run r = { 0 };
		ham_buf b = HAM_BUF_INIT;
		char *x;
		int n, nr = v == 0 ? 1 : 2;

		for (n = 1; n <= 2; n++) {
			ham_buf_addf(&b, "<node_state id=\"%d\" uname=\"node%d\" in_ccm=\"true\" "
					 "crmd=\"online\" join=\"member\" expected=\"member\">"
					 "<lrm id=\"l%d\"><lrm_resources>", n, n, n);
			for (int k = 1; k <= nr; k++) {
				ham_buf_addf(&b, "<lrm_resource id=\"d%d\" class=\"ocf\" "
						 "provider=\"hamgr\" type=\"dummy\">", k);
				if (n == 1)
					ham_buf_addf(&b,
						     "<lrm_rsc_op id=\"d%d_start_0\" operation=\"start\" "
						     "interval=\"0\" call-id=\"%d\" rc-code=\"0\" "
						     "op-status=\"0\" transition-key=\"1:1:0:x\" "
						     "last-rc-change=\"1699999000\"/>"
						     "<lrm_rsc_op id=\"d%d_monitor_10000\" "
						     "operation=\"monitor\" interval=\"10000\" "
						     "call-id=\"%d\" rc-code=\"0\" op-status=\"0\" "
						     "transition-key=\"1:1:0:x\" "
						     "last-rc-change=\"1699999000\"/>",
						     k, 2 * k, k, 2 * k + 1);
				else
					ham_buf_addf(&b,
						     "<lrm_rsc_op id=\"d%d_monitor_0\" "
						     "operation=\"monitor\" interval=\"0\" "
						     "call-id=\"%d\" rc-code=\"7\" op-status=\"0\" "
						     "transition-key=\"1:1:7:x\" "
						     "last-rc-change=\"1699999000\"/>", k, k);
				ham_buf_add(&b, "</lrm_resource>");
			}
			ham_buf_add(&b, "</lrm_resources></lrm></node_state>");
		}
		x = cib(2, NOFENCE, rscs[v], ham_buf_str(&b));
		run(&r, x);
		assert_int_equal(count(r.t, HAM_ACTION_PROBE), 0);
		assert_int_equal(count(r.t, HAM_ACTION_START), 0);
		done(&r);
		free(x);
		free(ham_buf_steal(&b));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_probe_start_monitor),
		cmocka_unit_test(test_clone_probed_where_no_instance),
		cmocka_unit_test(test_running_needs_monitor),
		cmocka_unit_test(test_monitor_recorded),
		cmocka_unit_test(test_monitor_before_restart),
		cmocka_unit_test(test_fence),
		cmocka_unit_test(test_recheck),
		cmocka_unit_test(test_recheck_date_rules),
		cmocka_unit_test(test_params_and_timeouts),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
