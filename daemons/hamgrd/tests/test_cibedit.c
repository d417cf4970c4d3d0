/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/tests/test_cibedit.c: fail counts written from operation
 * results (Pacemaker's names and ids, INFINITY for failed starts and stops,
 * cleared by fencing), read back by the policy engine (a resource banned
 * after migration-threshold failures), and the operator's edits (locations,
 * meta and node attributes, cleanup): all or none, version bumps, clear
 * errors, replicated to every node in agreed order without losing a
 * concurrent edit.
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

static char *dump(const cibdoc *d)
{
	char *s;
	size_t len;

	cibdoc_dump(d, &s, &len);
	return s;
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
	r->op_status = HOP_STATUS_DONE;
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

/* ---- fail counts -------------------------------------------------------- */

static void test_failcount_written(void **state)
{
	cibdoc *d = load(CONF("", ""));
	struct hop_result r;
	char *s;

	/* A probe that finds it stopped, a start and a good monitor: no count. */
	fill(&r, 1, "node1", "d1", "monitor", 0, 1, 7, 100);
	cibdoc_put_rsc_op(d, &r);
	fill(&r, 1, "node1", "d1", "start", 0, 2, 0, 101);
	cibdoc_put_rsc_op(d, &r);
	fill(&r, 1, "node1", "d1", "monitor", 10000, 3, 0, 102);
	cibdoc_put_rsc_op(d, &r);
	assert_null(cibdoc_get_transient_attr(d, "1", "fail-count-d1#monitor_10000"));

	/* The monitor fails: count 1, then 2; last-failure is the result's time. */
	fill(&r, 1, "node1", "d1", "monitor", 10000, 4, 7, 200);
	cibdoc_put_rsc_op(d, &r);
	assert_string_equal(cibdoc_get_transient_attr(d, "1", "fail-count-d1#monitor_10000"), "1");
	assert_string_equal(cibdoc_get_transient_attr(d, "1", "last-failure-d1#monitor_10000"),
			    "200");
	fill(&r, 1, "node1", "d1", "monitor", 10000, 6, 1, 300);
	cibdoc_put_rsc_op(d, &r);
	assert_string_equal(cibdoc_get_transient_attr(d, "1", "fail-count-d1#monitor_10000"), "2");
	assert_string_equal(cibdoc_get_transient_attr(d, "1", "last-failure-d1#monitor_10000"),
			    "300");
	assert_null(cibdoc_get_transient_attr(d, "2", "fail-count-d1#monitor_10000"));
	s = dump(d);
	assert_non_null(strstr(s, "<transient_attributes id=\"1\"><instance_attributes "
				  "id=\"status-1\"><nvpair id=\"status-1-fail-count-d1.monitor_10000\" "
				  "name=\"fail-count-d1#monitor_10000\" value=\"2\"/>"
				  "<nvpair id=\"status-1-last-failure-d1.monitor_10000\" "
				  "name=\"last-failure-d1#monitor_10000\" value=\"300\"/>"));
	free(s);

	/* A failed start is fatal by default: INFINITY. So is a failed stop. */
	fill(&r, 2, "node2", "d1", "start", 0, 1, 1, 400);
	cibdoc_put_rsc_op(d, &r);
	assert_string_equal(cibdoc_get_transient_attr(d, "2", "fail-count-d1#start_0"), "INFINITY");
	fill(&r, 2, "node2", "g1", "stop", 0, 2, 1, 401);
	cibdoc_put_rsc_op(d, &r);
	assert_string_equal(cibdoc_get_transient_attr(d, "2", "fail-count-g1#stop_0"), "INFINITY");
	/* A timeout is a failure whatever the rc; a cancelled one is not. */
	fill(&r, 2, "node2", "g2", "monitor", 5000, 3, 0, 402);
	r.op_status = HOP_STATUS_TIMEOUT;
	cibdoc_put_rsc_op(d, &r);
	assert_string_equal(cibdoc_get_transient_attr(d, "2", "fail-count-g2#monitor_5000"), "1");
	fill(&r, 2, "node2", "g2", "monitor", 5000, 4, 0, 403);
	r.op_status = HOP_STATUS_CANCELLED;
	cibdoc_put_rsc_op(d, &r);
	assert_string_equal(cibdoc_get_transient_attr(d, "2", "fail-count-g2#monitor_5000"), "1");
	/* A probe that finds the agent missing is not counted. */
	fill(&r, 3, "node3", "d1", "monitor", 0, 1, 5, 404);
	cibdoc_put_rsc_op(d, &r);
	assert_null(cibdoc_get_transient_attr(d, "3", "fail-count-d1#monitor_0"));

	/* Fencing clears a node's transient attributes with its history. */
	assert_int_equal(cibdoc_node_fenced(d, "2", "node2"), 1);
	assert_null(cibdoc_get_transient_attr(d, "2", "fail-count-d1#start_0"));
	assert_string_equal(cibdoc_get_transient_attr(d, "1", "fail-count-d1#monitor_10000"), "2");
	cibdoc_free(d);

	/* start-failure-is-fatal=false: a failed start counts one. */
	d = load(CONF("<nvpair id=\"o-sfif\" name=\"start-failure-is-fatal\" value=\"false\"/>", ""));
	fill(&r, 2, "node2", "d1", "start", 0, 1, 1, 500);
	cibdoc_put_rsc_op(d, &r);
	assert_string_equal(cibdoc_get_transient_attr(d, "2", "fail-count-d1#start_0"), "1");
	cibdoc_put_rsc_op(d, &r);
	assert_string_equal(cibdoc_get_transient_attr(d, "2", "fail-count-d1#start_0"), "2");
	/* The CIB with fail counts is still a valid CIB, and lib/cib's model
	 * (what the engine is moving to) holds them as node 2's transient set. */
	{
		struct ham_cib_load_opts opts = { .flags = HAM_CIB_LOAD_SCHEMA };
		const struct ham_cib_model *m;
		const struct ham_cib_node_state *ns = NULL;
		ham_cib_diags *diags = ham_cib_diags_new();
		ham_cib *cib = NULL;
		char *err = NULL;
		size_t i;

		s = dump(d);
		assert_int_equal(cibdoc_check_config(s, strlen(s), &err), 0);
		free(err);
		assert_int_equal(ham_cib_load_mem(s, strlen(s), "t", &opts, &cib, diags), 0);
		m = ham_cib_model(cib);
		for (i = 0; i < m->n_node_states; i++)
			if (strcmp(m->node_states[i]->id, "2") == 0)
				ns = m->node_states[i];
		assert_non_null(ns);
		assert_int_equal(ns->n_transient_attributes, 1);
		assert_string_equal(ns->transient_attributes[0]->id, "status-2");
		assert_string_equal(ham_cib_nvset_get(ns->transient_attributes[0],
						      "fail-count-d1#start_0"), "2");
		assert_string_equal(ham_cib_nvset_get(ns->transient_attributes[0],
						      "last-failure-d1#start_0"), "500");
		ham_cib_free(cib);
		ham_cib_diags_free(diags);
		free(s);
	}
	cibdoc_free(d);
}

static void test_failcount_ignored(void **state)
{
	static const char mon[] = "interval=\"10s\"/>";
	const char *conf = CONF("", "");
	const char *at = strstr(conf, mon);
	char *xml;
	cibdoc *d;
	struct hop_result r;

	assert_non_null(at);
	xml = ham_asprintf("%.*sinterval=\"10s\" on-fail=\"ignore\"/>%s", (int)(at - conf), conf,
			   at + strlen(mon));
	d = load(xml);
	/* on-fail=ignore on the failed operation: remembered, not counted. */
	fill(&r, 1, "node1", "d1", "monitor", 10000, 4, 7, 200);
	cibdoc_put_rsc_op(d, &r);
	assert_null(cibdoc_get_transient_attr(d, "1", "fail-count-d1#monitor_10000"));
	assert_string_equal(cibdoc_get_transient_attr(d, "1", "last-failure-d1#monitor_10000"),
			    "200");
	/* Another operation of the same resource still counts; a clone
	 * instance "d1:1" follows d1's configuration. */
	fill(&r, 1, "node1", "d1", "start", 0, 5, 1, 201);
	cibdoc_put_rsc_op(d, &r);
	assert_string_equal(cibdoc_get_transient_attr(d, "1", "fail-count-d1#start_0"), "INFINITY");
	fill(&r, 2, "node2", "d1:1", "monitor", 10000, 6, 7, 202);
	cibdoc_put_rsc_op(d, &r);
	assert_null(cibdoc_get_transient_attr(d, "2", "fail-count-d1:1#monitor_10000"));
	cibdoc_free(d);
	free(xml);
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

/* ---- edits ----------------------------------------------------------------- */

static int edit(cibdoc *d, const char *xml, char **ret_err)
{
	bool changed;
	int r;

	*ret_err = NULL;
	r = cibedit_check(d, xml, strlen(xml), ret_err);
	if (r < 0)
		return r;
	return cibedit_apply(d, xml, strlen(xml), &changed, ret_err);
}

static void test_edits(void **state)
{
	cibdoc *d = load(CONF("", ""));
	struct cib_version v;
	char *err = NULL, *s, *before;
	struct hop_result r;

	/* move: a cli-prefer location, epoch bumped. */
	assert_int_equal(edit(d, "<modify><set-location id=\"cli-prefer-d1\" rsc=\"d1\" "
			      "role=\"Started\" node=\"node2\" score=\"INFINITY\"/></modify>", &err), 0);
	cibdoc_get_version(d, &v);
	assert_int_equal(v.epoch, 6);
	assert_int_equal(v.num_updates, 0);
	s = dump(d);
	assert_non_null(strstr(s, "<constraints><rsc_location id=\"cli-prefer-d1\" rsc=\"d1\" "
				  "role=\"Started\" node=\"node2\" score=\"INFINITY\"/>"));
	free(s);
	/* The same again changes nothing, not even the version. */
	assert_int_equal(edit(d, "<modify><set-location id=\"cli-prefer-d1\" rsc=\"d1\" "
			      "role=\"Started\" node=\"node2\" score=\"INFINITY\"/></modify>", &err), 0);
	cibdoc_get_version(d, &v);
	assert_int_equal(v.epoch, 6);
	/* A move elsewhere replaces it; bans on two nodes. */
	assert_int_equal(edit(d, "<modify><set-location id=\"cli-prefer-d1\" rsc=\"d1\" "
			      "role=\"Started\" node=\"node1\" score=\"INFINITY\"/>"
			      "<set-location id=\"cli-ban-d1-on-node2\" rsc=\"d1\" role=\"Started\" "
			      "node=\"node2\" score=\"-INFINITY\"/>"
			      "<set-location id=\"cli-ban-g-on-node3\" rsc=\"g\" role=\"Started\" "
			      "node=\"node3\" score=\"-INFINITY\"/></modify>", &err), 0);
	s = dump(d);
	assert_null(strstr(s, "node=\"node2\" score=\"INFINITY\""));
	assert_non_null(strstr(s, "id=\"cli-ban-d1-on-node2\""));
	free(s);
	/* clear d1 removes its own only. */
	assert_int_equal(edit(d, "<modify><clear rsc=\"d1\"/></modify>", &err), 0);
	s = dump(d);
	assert_null(strstr(s, "cli-prefer-d1"));
	assert_null(strstr(s, "cli-ban-d1"));
	assert_non_null(strstr(s, "cli-ban-g-on-node3"));
	free(s);

	/* disable / enable: target-role with Pacemaker's ids. */
	assert_int_equal(edit(d, "<modify><set-meta rsc=\"d1\" name=\"target-role\" "
			      "value=\"Stopped\"/></modify>", &err), 0);
	s = dump(d);
	assert_non_null(strstr(s, "<meta_attributes id=\"d1-meta_attributes\"><nvpair "
				  "id=\"d1-meta_attributes-target-role\" name=\"target-role\" "
				  "value=\"Stopped\"/></meta_attributes>"));
	free(s);
	assert_int_equal(edit(d, "<modify><set-meta rsc=\"d1\" name=\"target-role\" "
			      "value=\"Started\"/></modify>", &err), 0);
	s = dump(d);
	assert_non_null(strstr(s, "name=\"target-role\" value=\"Started\""));
	free(s);
	assert_int_equal(edit(d, "<modify><set-meta rsc=\"d1\" name=\"target-role\"/></modify>",
			      &err), 0);
	s = dump(d);
	assert_null(strstr(s, "target-role"));
	free(s);

	/* standby on a configured node; maintenance on one only in the status. */
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node2\" name=\"standby\" "
			      "value=\"on\"/><set-node-attr node=\"node3\" name=\"maintenance\" "
			      "value=\"on\"/></modify>", &err), 0);
	s = dump(d);
	assert_non_null(strstr(s, "<node id=\"2\" uname=\"node2\"><instance_attributes "
				  "id=\"nodes-2\"><nvpair id=\"nodes-2-standby\" name=\"standby\" "
				  "value=\"on\"/></instance_attributes></node>"));
	assert_non_null(strstr(s, "<node id=\"3\" uname=\"node3\"><instance_attributes "
				  "id=\"nodes-3\"><nvpair id=\"nodes-3-maintenance\" "
				  "name=\"maintenance\" value=\"on\"/>"));
	free(s);
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node2\" name=\"standby\" "
			      "value=\"off\"/></modify>", &err), 0);
	s = dump(d);
	assert_non_null(strstr(s, "name=\"standby\" value=\"off\""));
	free(s);

	/* Errors: named, and nothing changes (all or none). */
	before = dump(d);
	assert_int_equal(edit(d, "<modify><set-meta rsc=\"d1\" name=\"target-role\" "
			      "value=\"Stopped\"/><set-location id=\"cli-prefer-nope\" rsc=\"nope\" "
			      "node=\"node1\" score=\"INFINITY\"/></modify>", &err), -ENOENT);
	assert_string_equal(err, "no resource 'nope' in the configuration");
	free(err);
	assert_int_equal(apply_s(d, "<modify><set-meta rsc=\"d1\" name=\"target-role\" "
				       "value=\"Stopped\"/><set-node-attr node=\"node9\" "
				       "name=\"standby\" value=\"on\"/></modify>", NULL, &err),
			 -ENOENT);
	assert_string_equal(err, "no node 'node9' in the cluster");
	free(err);
	assert_int_equal(edit(d, "<modify><set-location id=\"x\" rsc=\"d1\" node=\"node1\" "
			      "score=\"lots\"/></modify>", &err), -HAM_E_USAGE);
	assert_string_equal(err, "'lots' is not a score");
	free(err);
	assert_int_equal(edit(d, "<modify><set-location id=\"d1\" rsc=\"d1\" node=\"node1\" "
			      "score=\"5\"/></modify>", &err), -HAM_E_USAGE);
	assert_non_null(strstr(err, "already used by a <primitive>"));
	free(err);
	assert_int_equal(edit(d, "<modify><explode/></modify>", &err), -HAM_E_XML);
	assert_string_equal(err, "unknown edit <explode>");
	free(err);
	assert_int_equal(edit(d, "<modify/>", &err), -HAM_E_XML);
	free(err);
	assert_int_equal(edit(d, "<cib/>", &err), -HAM_E_XML);
	free(err);
	assert_int_equal(edit(d, "<modify><set-meta rsc=\"d1\"/></modify>", &err), -HAM_E_XML);
	assert_string_equal(err, "<set-meta> needs a non-empty name");
	free(err);
	assert_int_equal(edit(d, "<modify><cleanup rsc=\"ghost\"/></modify>", &err), -ENOENT);
	free(err);
	/* The full check refuses what the schema refuses (a bad role value). */
	assert_int_equal(edit(d, "<modify><set-meta rsc=\"d1\" name=\"target-role\" "
			      "value=\"Sideways\"/></modify>", &err) < 0, true);
	assert_non_null(err);
	free(err);
	s = dump(d);
	assert_string_equal(s, before);
	free(s);
	free(before);

	/* cleanup of a group covers its members, on every node; status only. */
	fill(&r, 1, "node1", "g1", "monitor", 0, 1, 7, 10);
	cibdoc_put_rsc_op(d, &r);
	fill(&r, 2, "node2", "g2", "start", 0, 1, 1, 11);
	cibdoc_put_rsc_op(d, &r);
	fill(&r, 2, "node2", "d1", "start", 0, 2, 1, 12);
	cibdoc_put_rsc_op(d, &r);
	cibdoc_get_version(d, &v);
	assert_int_equal(edit(d, "<modify><cleanup rsc=\"g\"/></modify>", &err), 0);
	{
		struct cib_version v2;

		cibdoc_get_version(d, &v2);
		assert_int_equal(v2.epoch, v.epoch);
		assert_int_equal(v2.num_updates, v.num_updates + 1);
	}
	assert_false(cibdoc_has_history(d, "1", "g1"));
	assert_false(cibdoc_has_history(d, "2", "g2"));
	assert_null(cibdoc_get_transient_attr(d, "2", "fail-count-g2#start_0"));
	assert_true(cibdoc_has_history(d, "2", "d1"));
	assert_string_equal(cibdoc_get_transient_attr(d, "2", "fail-count-d1#start_0"), "INFINITY");
	/* A resource that only has history can be cleaned up. */
	fill(&r, 3, "node3", "old", "monitor", 0, 1, 7, 13);
	cibdoc_put_rsc_op(d, &r);
	assert_int_equal(edit(d, "<modify><cleanup rsc=\"old\"/></modify>", &err), 0);
	assert_false(cibdoc_has_history(d, "3", "old"));
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failcount_written),
		cmocka_unit_test(test_failcount_ignored),
		cmocka_unit_test(test_engine_bans_after_threshold),
		cmocka_unit_test(test_edits),
		cmocka_unit_test(test_replicated),
	};

	
	return cmocka_run_group_tests(tests, NULL, NULL);
}
