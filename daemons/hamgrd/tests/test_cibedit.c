/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/tests/test_cibedit.c: fail counts read back by the policy
 * engine (a resource banned after migration-threshold failures, forgotten
 * on cleanup), and the operator's edits replicated to every node in agreed
 * order without losing a concurrent edit. (The document's own tests, fail
 * counts and each edit, are lib/cib/tests/test_doc.c.)
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
#include <hamgr/cib.h>
#include <hamgr/cluster.h>
#include <hamgr/policy.h>
#include "cibdoc.h"
#include "cibedit.h"
#include "node.h"
#include "opmsg.h"
#include "status.h"

#define CONF(props, meta) \
	"<cib admin_epoch=\"0\" epoch=\"5\" num_updates=\"3\" validate-with=\"pacemaker-3.0\">" \
	"<configuration><crm_config><cluster_property_set id=\"cib-bootstrap-options\">" \
	"<nvpair id=\"o-stonith\" name=\"stonith-enabled\" value=\"false\"/>" props \
	"</cluster_property_set></crm_config>" \
	"<nodes><node id=\"1\" uname=\"node1\"/><node id=\"2\" uname=\"node2\"/></nodes>" \
	"<resources><primitive id=\"d1\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">" meta \
	"<operations><op id=\"d1-mon\" name=\"monitor\" interval=\"10s\"/></operations>" \
	"</primitive>" \
	"<group id=\"g\"><primitive id=\"g1\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>" \
	"<primitive id=\"g2\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/></group>" \
	"</resources><constraints/></configuration>" \
	"<status><node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" " \
	"join=\"member\" expected=\"member\"/>" \
	"<node_state id=\"2\" uname=\"node2\" in_ccm=\"true\" crmd=\"online\" " \
	"join=\"member\" expected=\"member\"/>" \
	"<node_state id=\"3\" uname=\"node3\" in_ccm=\"true\" crmd=\"online\" " \
	"join=\"member\" expected=\"member\"/></status></cib>"

static cibdoc *load(const char *xml)
{
	cibdoc *d = NULL;
	char *err = NULL;

	assert_int_equal(cibdoc_parse(xml, strlen(xml), &d, &err), 0);
	assert_null(err);
	return d;
}

static void fill(struct hop_result *r, uint32_t nodeid, const char *node, const char *rsc,
		 const char *op, uint64_t interval_ms, int64_t call_id, int rc, int64_t when)
{
	memset(r, 0, sizeof(*r));
	r->nodeid = nodeid;
	r->node = (char *)node;
	r->rsc = (char *)rsc;
	r->cls = (char *)"ocf";
	r->provider = (char *)"hamgr";
	r->type = (char *)"dummy";
	r->op = (char *)op;
	r->interval_ms = interval_ms;
	r->call_id = call_id;
	r->rc = rc;
	r->expected_rc = 0;
	r->op_status = HAM_CIB_OP_DONE;
	r->last_run_s = when;
	r->last_rc_change_s = when;
	r->dc_uuid = (char *)"1";
}

static int apply_s(cibdoc *d, const char *xml, bool *ret_changed, char **ret_err)
{
	return cibedit_apply(d, xml, strlen(xml), ret_changed, ret_err);
}

static int push_s(hnode *h, const char *xml, uint64_t cookie, char **ret_err)
{
	return hnode_push_modify(h, xml, strlen(xml), cookie, ret_err);
}

/* Where the engine puts d1 after the given results (the node name, or ""). */
static char *engine_places(const cibdoc *d, int64_t now_s)
{
	struct ham_policy_options opts = { .now_s = now_s };
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	ham_buf b = HAM_BUF_INIT;
	char *xml = NULL, *err = NULL, *where;
	const char *p, *e;
	size_t len;

	cibdoc_dump_for_policy(d, true, "1", &xml, &len);
	assert_int_equal(ham_policy_input_load(xml, len, &in, &err), 0);
	assert_null(err);
	assert_int_equal(ham_policy_compute(in, &opts, &t), 0);
	ham_transition_json(t, &b);
	/* {"actions":[...],"final":{"d1":["node2"],...},...} */
	p = strstr(ham_buf_str(&b), "\"final\"");
	assert_non_null(p);
	p = strstr(p, "\"d1\"");
	assert_non_null(p);
	p = strchr(p, '[');
	assert_non_null(p);
	e = strchr(p, ']');
	assert_non_null(e);
	where = ham_strndup(p + 1, (size_t)(e - p - 1));
	ham_buf_free(&b);
	ham_transition_free(t);
	ham_policy_input_free(in);
	free(xml);
	return where;
}

static void test_engine_bans_after_threshold(void **state)
{
	cibdoc *d = load(CONF("", "<meta_attributes id=\"d1-meta\"><nvpair id=\"d1-mt\" "
			      "name=\"migration-threshold\" value=\"2\"/>"
			      "<nvpair id=\"d1-ft\" name=\"failure-timeout\" value=\"60s\"/>"
			      "</meta_attributes>"));
	struct hop_result r;
	char *where;
	char *err = NULL;
	bool changed;

	/* Probes everywhere, a start on node1 with its monitor. */
	fill(&r, 1, "node1", "d1", "monitor", 0, 1, 7, 1000);
	cibdoc_put_rsc_op(d, &r);
	fill(&r, 2, "node2", "d1", "monitor", 0, 1, 7, 1000);
	cibdoc_put_rsc_op(d, &r);
	fill(&r, 3, "node3", "d1", "monitor", 0, 1, 7, 1000);
	cibdoc_put_rsc_op(d, &r);
	fill(&r, 1, "node1", "d1", "start", 0, 2, 0, 1001);
	cibdoc_put_rsc_op(d, &r);
	fill(&r, 1, "node1", "d1", "monitor", 10000, 3, 0, 1002);
	cibdoc_put_rsc_op(d, &r);
	where = engine_places(d, 1010);
	assert_string_equal(where, "\"node1\"");
	free(where);

	/* One failure: recovered in place (below the threshold). */
	fill(&r, 1, "node1", "d1", "monitor", 10000, 4, 7, 1020);
	cibdoc_put_rsc_op(d, &r);
	fill(&r, 1, "node1", "d1", "stop", 0, 5, 0, 1021);
	cibdoc_put_rsc_op(d, &r);
	fill(&r, 1, "node1", "d1", "start", 0, 6, 0, 1022);
	cibdoc_put_rsc_op(d, &r);
	fill(&r, 1, "node1", "d1", "monitor", 10000, 7, 0, 1023);
	cibdoc_put_rsc_op(d, &r);
	where = engine_places(d, 1030);
	assert_string_equal(where, "\"node1\"");
	free(where);

	/* The second failure reaches migration-threshold: banned from node1. */
	fill(&r, 1, "node1", "d1", "monitor", 10000, 8, 7, 1040);
	cibdoc_put_rsc_op(d, &r);
	assert_string_equal(cibdoc_get_transient_attr(d, "1", "fail-count-d1#monitor_10000"), "2");
	where = engine_places(d, 1050);
	assert_true(strcmp(where, "\"node2\"") == 0 || strcmp(where, "\"node3\"") == 0);
	free(where);
	/* failure-timeout: 60 s after the last failure it may come back. */
	where = engine_places(d, 1040 + 61);
	assert_non_null(strstr(where, "node1"));
	free(where);

	/* A cleanup forgets the failures (and the history: re-probed). */
	assert_int_equal(apply_s(d, "<modify><cleanup rsc=\"d1\" node=\"node1\"/></modify>",
				       &changed, &err), 0);
	assert_null(err);
	assert_true(changed);
	assert_null(cibdoc_get_transient_attr(d, "1", "fail-count-d1#monitor_10000"));
	assert_null(cibdoc_get_transient_attr(d, "1", "last-failure-d1#monitor_10000"));
	assert_false(cibdoc_has_history(d, "1", "d1"));
	assert_true(cibdoc_has_history(d, "2", "d1"));
	cibdoc_free(d);
}

/* ---- replication ------------------------------------------------------------ */

struct tnode {
	hnode *h;
	ham_cluster *c;
	int done;
	int result;
	char *msg;
};

static void push_done(void *ud, uint64_t cookie, int result, const char *msg)
{
	struct tnode *t = ud;

	t->done++;
	t->result = result;
	free(t->msg);
	t->msg = ham_strdup(msg);
}

static const struct hnode_callbacks ncb = { .push_done = push_done };

static void test_replicated(void **state)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");
	const char *conf = CONF("", "");
	struct tnode n[3] = { 0 };
	char *err = NULL, *a, *b;
	uint32_t i;

	for (i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof(name), "node%u", i + 1);
		ham_fake_net_add_node(net, i + 1, name);
	}
	for (i = 0; i < 3; i++) {
		assert_int_equal(hnode_new(NULL, &ncb, &n[i], &n[i].h), 0);
		assert_int_equal(ham_fake_connect(net, i + 1, 100 + i, &hnode_cluster_callbacks,
						  n[i].h, &n[i].c), 0);
		hnode_attach(n[i].h, n[i].c);
	}
	ham_fake_net_run(net);
	assert_int_equal(hnode_push_config(n[0].h, conf, strlen(conf), 1, &err), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[0].done, 1);
	assert_int_equal(n[0].result, 0);

	/* Two edits sent at once from two nodes: both survive, everywhere. */
	assert_int_equal(push_s(n[1].h, "<modify><set-node-attr node=\"node1\" "
					   "name=\"standby\" value=\"on\"/></modify>", 2, &err),
			 0);
	assert_int_equal(push_s(n[2].h, "<modify><set-meta rsc=\"d1\" "
					   "name=\"target-role\" value=\"Stopped\"/></modify>", 3,
					   &err), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[1].done, 1);
	assert_int_equal(n[1].result, 0);
	assert_int_equal(n[2].done, 1);
	assert_int_equal(n[2].result, 0);
	a = NULL;
	for (i = 0; i < 3; i++) {
		size_t len;

		cibdoc_dump(hnode_cib(n[i].h), &b, &len);
		assert_non_null(strstr(b, "name=\"standby\" value=\"on\""));
		assert_non_null(strstr(b, "name=\"target-role\" value=\"Stopped\""));
		if (a) {
			assert_string_equal(a, b);
			free(b);
		} else {
			a = b;
		}
	}
	free(a);

	/* Refused at the origin: nothing is sent, the error names the resource. */
	assert_int_equal(push_s(n[0].h, "<modify><clear rsc=\"zz\"/></modify>", 4,
					   &err), -ENOENT);
	assert_string_equal(err, "no resource 'zz' in the configuration");
	free(err);
	ham_fake_net_run(net);
	assert_int_equal(n[0].done, 1);

	/* A failed monitor reported by node2: every node's status document
	 * shows the failure once and the fail count. */
	{
		struct hop_result r;
		ham_buf st = HAM_BUF_INIT;
		const char *p;

		fill(&r, 2, "node2", "d1", "monitor", 10000, 7, 7, 1234);
		assert_int_equal(hnode_send_result(n[1].h, &r), 0);
		ham_fake_net_run(net);
		hamgrd_status_xml(n[2].h, &st);
		p = strstr(ham_buf_str(&st), "<failure ");
		assert_non_null(p);
		assert_null(strstr(p + 1, "<failure "));
		assert_non_null(strstr(ham_buf_str(&st), "<fail-counts><fail-count resource=\"d1\" "
				       "node=\"node2\" operation=\"monitor\" interval=\"10000\" "
				       "count=\"1\" last-failure=\"1234\"/></fail-counts>"));
		ham_buf_free(&st);
		/* cleanup through the replicated edit: gone everywhere */
		assert_int_equal(push_s(n[0].h, "<modify><cleanup rsc=\"d1\"/></modify>", 5, &err), 0);
		ham_fake_net_run(net);
		hamgrd_status_xml(n[1].h, &st);
		assert_null(strstr(ham_buf_str(&st), "<failure "));
		assert_non_null(strstr(ham_buf_str(&st), "<fail-counts></fail-counts>"));
		ham_buf_free(&st);
	}

	for (i = 0; i < 3; i++) {
		n[i].c = ham_cluster_free(n[i].c);
		n[i].h = hnode_free(n[i].h);
		free(n[i].msg);
	}
	ham_fake_net_free(net);
}

/* hactl stonith fence: <fence node=N/> sets N's transient terminate=true (a
 * status change), and the engine answers it by fencing N. */
static bool engine_fences(const cibdoc *d, const char *node)
{
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	struct ham_policy_options opts = { .now_s = 1700000000 };
	char *xml = NULL, *err = NULL;
	size_t len, i;
	bool found = false;

	cibdoc_dump_for_policy(d, true, "1", &xml, &len);
	assert_int_equal(ham_policy_input_load(xml, len, &in, &err), 0);
	assert_int_equal(ham_policy_compute(in, &opts, &t), 0);
	for (i = 0; i < ham_transition_typed_count(t); i++) {
		const struct ham_action *a = ham_transition_action(t, i);

		found |= a->kind == HAM_ACTION_FENCE && ham_streq(a->fence_target, node);
	}
	ham_transition_free(t);
	ham_policy_input_free(in);
	free(xml);
	return found;
}

static void test_fence_request(void **state)
{
	static const char cib[] =
		"<cib admin_epoch=\"0\" epoch=\"5\" num_updates=\"3\" validate-with=\"pacemaker-3.0\">"
		"<configuration><crm_config><cluster_property_set id=\"cib-bootstrap-options\">"
		"<nvpair id=\"o-stonith\" name=\"stonith-enabled\" value=\"true\"/>"
		"</cluster_property_set></crm_config>"
		"<nodes><node id=\"1\" uname=\"node1\"/><node id=\"2\" uname=\"node2\"/></nodes>"
		"<resources><primitive id=\"fencer\" class=\"stonith\" type=\"fence_dummy\"/>"
		"</resources><constraints/></configuration>"
		"<status><node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"/>"
		"<node_state id=\"2\" uname=\"node2\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"/></status></cib>";
	cibdoc *d = load(cib);
	struct cib_version v;
	bool changed = false;
	char *err = NULL;

	(void)state;
	assert_false(engine_fences(d, "node2"));
	assert_int_equal(apply_s(d, "<modify><fence node=\"node9\"/></modify>", &changed, &err),
			 -ENOENT);
	assert_non_null(strstr(err, "node9"));
	free(err);
	err = NULL;
	assert_null(cibdoc_get_transient_attr(d, "2", "terminate"));
	assert_int_equal(apply_s(d, "<modify><fence node=\"node2\"/></modify>", &changed, &err), 0);
	assert_true(changed);
	assert_string_equal(cibdoc_get_transient_attr(d, "2", "terminate"), "true");
	cibdoc_get_version(d, &v);
	assert_int_equal(v.epoch, 5);      /* the configuration is unchanged */
	assert_int_equal(v.num_updates, 4);
	assert_true(engine_fences(d, "node2"));
	assert_false(engine_fences(d, "node1"));
	/* once fenced, the request goes with the node's transient attributes */
	assert_int_equal(cibdoc_node_fenced(d, "2", "node2") > 0, true);
	assert_null(cibdoc_get_transient_attr(d, "2", "terminate"));
	cibdoc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_bans_after_threshold),
		cmocka_unit_test(test_replicated),
		cmocka_unit_test(test_fence_request),
	};

	
	return cmocka_run_group_tests(tests, NULL, NULL);
}
