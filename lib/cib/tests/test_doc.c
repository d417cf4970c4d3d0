/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/cib/tests/test_doc.c: the daemon's CIB document in lib/cib: operation
 * results with Pacemaker's fail counts (written, ignored, cleared by
 * fencing), and the operator's <modify> edits (each one, their errors, all
 * or none, cleanup).
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <hamgr/common.h>
#include <hamgr/cib.h>

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

static ham_cib_doc *load(const char *xml)
{
	ham_cib_doc *d = NULL;

	assert_int_equal(ham_cib_doc_parse(xml, strlen(xml), &d, NULL), 0);
	return d;
}

static char *dump(const ham_cib_doc *d)
{
	char *s;
	size_t len;

	assert_int_equal(ham_cib_doc_dump(d, &s, &len), 0);
	return s;
}

static void fill(struct ham_cib_op_result *r, uint32_t nodeid, const char *node, const char *rsc,
		 const char *op, uint64_t interval_ms, int64_t call_id, int rc, int64_t when)
{
	memset(r, 0, sizeof(*r));
	r->nodeid = nodeid;
	r->node = node;
	r->rsc = rsc;
	r->cls = "ocf";
	r->provider = "hamgr";
	r->type = "dummy";
	r->op = op;
	r->interval_ms = interval_ms;
	r->call_id = call_id;
	r->rc = rc;
	r->expected_rc = 0;
	r->op_status = HAM_CIB_OP_DONE;
	r->last_run_s = when;
	r->last_rc_change_s = when;
	r->dc_uuid = "1";
}

static int apply_s(ham_cib_doc *d, const char *xml, bool *ret_changed, char **ret_err)
{
	return ham_cib_doc_apply_modify(d, xml, strlen(xml), ret_changed, ret_err);
}


/* ---- fail counts -------------------------------------------------------- */

static void test_failcount_written(void **state)
{
	ham_cib_doc *d = load(CONF("", ""));
	struct ham_cib_op_result r;
	char *s;

	/* A probe that finds it stopped, a start and a good monitor: no count. */
	fill(&r, 1, "node1", "d1", "monitor", 0, 1, 7, 100);
	ham_cib_doc_record_op(d, &r);
	fill(&r, 1, "node1", "d1", "start", 0, 2, 0, 101);
	ham_cib_doc_record_op(d, &r);
	fill(&r, 1, "node1", "d1", "monitor", 10000, 3, 0, 102);
	ham_cib_doc_record_op(d, &r);
	assert_null(ham_cib_doc_get_transient_attr(d, "1", "fail-count-d1#monitor_10000"));

	/* The monitor fails: count 1, then 2; last-failure is the result's time. */
	fill(&r, 1, "node1", "d1", "monitor", 10000, 4, 7, 200);
	ham_cib_doc_record_op(d, &r);
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "1", "fail-count-d1#monitor_10000"), "1");
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "1", "last-failure-d1#monitor_10000"),
			    "200");
	fill(&r, 1, "node1", "d1", "monitor", 10000, 6, 1, 300);
	ham_cib_doc_record_op(d, &r);
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "1", "fail-count-d1#monitor_10000"), "2");
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "1", "last-failure-d1#monitor_10000"),
			    "300");
	assert_null(ham_cib_doc_get_transient_attr(d, "2", "fail-count-d1#monitor_10000"));
	s = dump(d);
	assert_non_null(strstr(s, "<transient_attributes id=\"1\"><instance_attributes "
				  "id=\"status-1\"><nvpair id=\"status-1-fail-count-d1.monitor_10000\" "
				  "name=\"fail-count-d1#monitor_10000\" value=\"2\"/>"
				  "<nvpair id=\"status-1-last-failure-d1.monitor_10000\" "
				  "name=\"last-failure-d1#monitor_10000\" value=\"300\"/>"));
	free(s);

	/* A failed start is fatal by default: INFINITY. So is a failed stop. */
	fill(&r, 2, "node2", "d1", "start", 0, 1, 1, 400);
	ham_cib_doc_record_op(d, &r);
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "2", "fail-count-d1#start_0"), "INFINITY");
	fill(&r, 2, "node2", "g1", "stop", 0, 2, 1, 401);
	ham_cib_doc_record_op(d, &r);
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "2", "fail-count-g1#stop_0"), "INFINITY");
	/* A timeout is a failure whatever the rc; a cancelled one is not. */
	fill(&r, 2, "node2", "g2", "monitor", 5000, 3, 0, 402);
	r.op_status = HAM_CIB_OP_TIMEOUT;
	ham_cib_doc_record_op(d, &r);
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "2", "fail-count-g2#monitor_5000"), "1");
	fill(&r, 2, "node2", "g2", "monitor", 5000, 4, 0, 403);
	r.op_status = HAM_CIB_OP_CANCELLED;
	ham_cib_doc_record_op(d, &r);
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "2", "fail-count-g2#monitor_5000"), "1");
	/* A probe that finds the agent missing is not counted. */
	fill(&r, 3, "node3", "d1", "monitor", 0, 1, 5, 404);
	ham_cib_doc_record_op(d, &r);
	assert_null(ham_cib_doc_get_transient_attr(d, "3", "fail-count-d1#monitor_0"));

	/* Fencing clears a node's transient attributes with its history. */
	assert_int_equal(ham_cib_doc_node_fenced(d, "2", "node2"), 1);
	assert_null(ham_cib_doc_get_transient_attr(d, "2", "fail-count-d1#start_0"));
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "1", "fail-count-d1#monitor_10000"), "2");
	ham_cib_doc_free(d);

	/* start-failure-is-fatal=false: a failed start counts one. */
	d = load(CONF("<nvpair id=\"o-sfif\" name=\"start-failure-is-fatal\" value=\"false\"/>", ""));
	fill(&r, 2, "node2", "d1", "start", 0, 1, 1, 500);
	ham_cib_doc_record_op(d, &r);
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "2", "fail-count-d1#start_0"), "1");
	ham_cib_doc_record_op(d, &r);
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "2", "fail-count-d1#start_0"), "2");
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
		assert_int_equal(ham_cib_doc_check_config(s, strlen(s), &err), 0);
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
	ham_cib_doc_free(d);
}

static void test_failcount_ignored(void **state)
{
	static const char mon[] = "interval=\"10s\"/>";
	const char *conf = CONF("", "");
	const char *at = strstr(conf, mon);
	char *xml;
	ham_cib_doc *d;
	struct ham_cib_op_result r;

	assert_non_null(at);
	xml = ham_asprintf("%.*sinterval=\"10s\" on-fail=\"ignore\"/>%s", (int)(at - conf), conf,
			   at + strlen(mon));
	d = load(xml);
	/* on-fail=ignore on the failed operation: remembered, not counted. */
	fill(&r, 1, "node1", "d1", "monitor", 10000, 4, 7, 200);
	ham_cib_doc_record_op(d, &r);
	assert_null(ham_cib_doc_get_transient_attr(d, "1", "fail-count-d1#monitor_10000"));
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "1", "last-failure-d1#monitor_10000"),
			    "200");
	/* Another operation of the same resource still counts; a clone
	 * instance "d1:1" follows d1's configuration. */
	fill(&r, 1, "node1", "d1", "start", 0, 5, 1, 201);
	ham_cib_doc_record_op(d, &r);
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "1", "fail-count-d1#start_0"), "INFINITY");
	fill(&r, 2, "node2", "d1:1", "monitor", 10000, 6, 7, 202);
	ham_cib_doc_record_op(d, &r);
	assert_null(ham_cib_doc_get_transient_attr(d, "2", "fail-count-d1:1#monitor_10000"));
	ham_cib_doc_free(d);
	free(xml);
}

/* Where the engine puts d1 after the given results (the node name, or ""). */

/* ---- edits ----------------------------------------------------------------- */

static int edit(ham_cib_doc *d, const char *xml, char **ret_err)
{
	bool changed;
	int r;

	*ret_err = NULL;
	r = ham_cib_doc_check_modify(d, xml, strlen(xml), ret_err);
	if (r < 0)
		return r;
	return ham_cib_doc_apply_modify(d, xml, strlen(xml), &changed, ret_err);
}

static int edit_plain(ham_cib_doc *d, const char *xml)
{
	char *err = NULL;
	int r = edit(d, xml, &err);

	free(err);
	return r;
}

static void test_edits(void **state)
{
	ham_cib_doc *d = load(CONF("", ""));
	struct ham_cib_version v;
	char *err = NULL, *s, *before;
	struct ham_cib_op_result r;

	/* move: a cli-prefer location, epoch bumped. */
	assert_int_equal(edit(d, "<modify><set-location id=\"cli-prefer-d1\" rsc=\"d1\" "
			      "role=\"Started\" node=\"node2\" score=\"INFINITY\"/></modify>", &err), 0);
	ham_cib_doc_get_version(d, &v);
	assert_int_equal(v.epoch, 6);
	assert_int_equal(v.num_updates, 0);
	s = dump(d);
	assert_non_null(strstr(s, "<constraints><rsc_location id=\"cli-prefer-d1\" rsc=\"d1\" "
				  "role=\"Started\" node=\"node2\" score=\"INFINITY\"/>"));
	free(s);
	/* The same again changes nothing, not even the version. */
	assert_int_equal(edit(d, "<modify><set-location id=\"cli-prefer-d1\" rsc=\"d1\" "
			      "role=\"Started\" node=\"node2\" score=\"INFINITY\"/></modify>", &err), 0);
	ham_cib_doc_get_version(d, &v);
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
	ham_cib_doc_record_op(d, &r);
	fill(&r, 2, "node2", "g2", "start", 0, 1, 1, 11);
	ham_cib_doc_record_op(d, &r);
	fill(&r, 2, "node2", "d1", "start", 0, 2, 1, 12);
	ham_cib_doc_record_op(d, &r);
	ham_cib_doc_get_version(d, &v);
	assert_int_equal(edit(d, "<modify><cleanup rsc=\"g\"/></modify>", &err), 0);
	{
		struct ham_cib_version v2;

		ham_cib_doc_get_version(d, &v2);
		assert_int_equal(v2.epoch, v.epoch);
		assert_int_equal(v2.num_updates, v.num_updates + 1);
	}
	assert_false(ham_cib_doc_has_history(d, "1", "g1"));
	assert_false(ham_cib_doc_has_history(d, "2", "g2"));
	assert_null(ham_cib_doc_get_transient_attr(d, "2", "fail-count-g2#start_0"));
	assert_true(ham_cib_doc_has_history(d, "2", "d1"));
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "2", "fail-count-d1#start_0"), "INFINITY");
	/* A resource that only has history can be cleaned up. */
	fill(&r, 3, "node3", "old", "monitor", 0, 1, 7, 13);
	ham_cib_doc_record_op(d, &r);
	assert_int_equal(edit(d, "<modify><cleanup rsc=\"old\"/></modify>", &err), 0);
	assert_false(ham_cib_doc_has_history(d, "3", "old"));

	/* A node's history and transient attributes are erased on their own. */
	assert_int_equal(ham_cib_doc_erase_transient(d, "2"), 1);
	assert_null(ham_cib_doc_get_transient_attr(d, "2", "fail-count-d1#start_0"));
	assert_true(ham_cib_doc_has_history(d, "2", "d1"));
	assert_int_equal(ham_cib_doc_erase_transient(d, "2"), 0);
	assert_int_equal(ham_cib_doc_erase_history(d, "2"), 1);
	assert_false(ham_cib_doc_has_history(d, "2", "d1"));
	assert_int_equal(ham_cib_doc_erase_history(d, "2"), 0);
	assert_int_equal(ham_cib_doc_erase_history(d, "9"), 0);
	ham_cib_doc_free(d);
}

/*
 * move/ban --lifetime: a rule that ends (crm_resource's form), clear
 * --expired and the cluster's removal of ended lifetimes (expired-by), and
 * when a lifetime has ended.
 */
static void test_lifetimes(void **state)
{
	ham_cib_doc *d = load(CONF("", ""));
	int64_t end, next;
	char *err = NULL, *s, *before;

	assert_int_equal(ham_cib_time_parse("2026-12-06T03:10:00Z", &end), 0);
	assert_false(ham_cib_doc_lifetimes_ended(d, end + 100000));
	assert_int_equal(edit(d, "<modify><set-location id=\"cli-prefer-d1\" rsc=\"d1\" "
			      "role=\"Started\" node=\"node2\" score=\"INFINITY\" "
			      "end=\"2026-12-06T03:10:00Z\"/>"
			      "<set-location id=\"cli-ban-g-on-node1\" rsc=\"g\" role=\"Started\" "
			      "node=\"node1\" score=\"-INFINITY\" end=\"2026-12-06T04:00:00Z\"/>"
			      "<set-location id=\"cli-ban-d1-on-node3\" rsc=\"d1\" role=\"Started\" "
			      "node=\"node3\" score=\"-INFINITY\"/></modify>", &err), 0);
	s = dump(d);
	assert_non_null(strstr(s, "<rsc_location id=\"cli-prefer-d1\" rsc=\"d1\" role=\"Started\">"
				  "<rule id=\"cli-prefer-d1-rule\" score=\"INFINITY\" "
				  "boolean-op=\"and\"><expression id=\"cli-prefer-d1-expr\" "
				  "attribute=\"#uname\" operation=\"eq\" value=\"node2\" "
				  "type=\"string\"/><date_expression id=\"cli-prefer-d1-lifetime\" "
				  "operation=\"lt\" end=\"2026-12-06T03:10:00Z\"/></rule>"
				  "</rsc_location>"));
	free(s);
	/* the loader and the full check take it (edit() ran check_modify) */
	/* ended: at its end, not before (the one without a lifetime never) */
	assert_false(ham_cib_doc_lifetimes_ended(d, end - 1));
	assert_true(ham_cib_doc_lifetimes_ended(d, end));
	assert_true(ham_cib_doc_lifetimes_ended(d, end + 3601));

	/* A lifetime again replaces the plain location (and the other way). */
	assert_int_equal(edit(d, "<modify><set-location id=\"cli-prefer-d1\" rsc=\"d1\" "
			      "node=\"node1\" score=\"INFINITY\" end=\"2026-12-06T03:10:00Z\"/>"
			      "</modify>", &err), 0);
	s = dump(d);
	assert_non_null(strstr(s, "value=\"node1\""));
	assert_null(strstr(s, "value=\"node2\""));
	free(s);

	/* Errors: a bad date, a rule id taken by something else. */
	assert_int_equal(edit(d, "<modify><set-location id=\"y-expr\" rsc=\"d1\" node=\"node1\" "
			      "score=\"5\"/></modify>", &err), 0);
	before = dump(d);
	assert_int_equal(edit(d, "<modify><set-location id=\"cli-prefer-g\" rsc=\"g\" "
			      "node=\"node1\" score=\"INFINITY\" end=\"soon\"/></modify>", &err),
			 -HAM_E_USAGE);
	assert_string_equal(err, "'soon' is not an ISO 8601 date");
	free(err);
	assert_int_equal(edit(d, "<modify><set-location id=\"y\" rsc=\"d1\" node=\"node1\" "
			      "score=\"5\" end=\"2030-01-01\"/></modify>", &err), -HAM_E_USAGE);
	assert_string_equal(err, "the id 'y-expr' is already used by a <rsc_location>");
	free(err);
	assert_int_equal(edit(d, "<modify><clear expired-by=\"later\"/></modify>", &err),
			 -HAM_E_XML);
	free(err);
	assert_int_equal(edit(d, "<modify><clear/></modify>", &err), -HAM_E_XML);
	assert_string_equal(err, "<clear> needs a non-empty rsc");
	free(err);
	s = dump(d);
	assert_string_equal(s, before);
	free(s);
	free(before);

	/* clear --expired of d1 before the end: nothing; after: the lifetime
	 * goes, the plain ban stays. */
	before = dump(d);
	assert_int_equal(edit(d, "<modify><clear rsc=\"d1\" expired-by=\"1796526599\"/></modify>",
			      &err), 0);
	assert_int_equal(ham_cib_time_parse("2026-12-06T03:09:59Z", &next), 0);
	assert_int_equal(next, 1796526599);
	s = dump(d);
	assert_string_equal(s, before);
	free(s);
	free(before);
	assert_int_equal(edit(d, "<modify><clear rsc=\"d1\" expired-by=\"1796526600\"/></modify>",
			      &err), 0);
	s = dump(d);
	assert_null(strstr(s, "cli-prefer-d1"));
	assert_non_null(strstr(s, "cli-ban-d1-on-node3"));
	assert_non_null(strstr(s, "cli-ban-g-on-node1"));
	free(s);
	/* by node: the rule's node counts */
	assert_int_equal(edit(d, "<modify><set-location id=\"cli-ban-g-on-node2\" rsc=\"g\" "
			      "node=\"node2\" score=\"-INFINITY\" end=\"2026-12-06T04:00:00Z\"/>"
			      "</modify>", &err), 0);
	assert_int_equal(edit(d, "<modify><clear rsc=\"g\" node=\"node2\"/></modify>", &err), 0);
	s = dump(d);
	assert_non_null(strstr(s, "cli-ban-g-on-node1"));
	assert_null(strstr(s, "cli-ban-g-on-node2"));
	free(s);
	/* the cluster's removal: every resource's ended lifetimes */
	assert_int_equal(edit(d, "<modify><clear expired-by=\"1796530000\"/></modify>", &err), 0);
	s = dump(d);
	assert_null(strstr(s, "cli-ban-g-on-node1"));
	assert_non_null(strstr(s, "cli-ban-d1-on-node3"));
	free(s);
	assert_false(ham_cib_doc_lifetimes_ended(d, end + 100000));
	ham_cib_doc_free(d);
}

/*
 * cleanup without a resource: every failed resource, where it failed
 * (history and fail counts); refresh: every resource's history.
 */
static void test_cleanup_failed(void **state)
{
	ham_cib_doc *d = load(CONF("", ""));
	struct ham_cib_op_result r;
	char *err = NULL;

	/* d1 fine on node1, its monitor failed on node2; g1 failed to start on
	 * node3; g2 has only a fail count left on node1 (history gone). */
	fill(&r, 1, "node1", "d1", "start", 0, 1, 0, 10);
	ham_cib_doc_record_op(d, &r);
	fill(&r, 2, "node2", "d1", "start", 0, 1, 0, 10);
	ham_cib_doc_record_op(d, &r);
	fill(&r, 2, "node2", "d1", "monitor", 10000, 2, 7, 11);
	ham_cib_doc_record_op(d, &r);
	fill(&r, 3, "node3", "g1", "start", 0, 1, 1, 12);
	ham_cib_doc_record_op(d, &r);
	fill(&r, 3, "node3", "g2", "monitor", 0, 2, 7, 12);
	ham_cib_doc_record_op(d, &r);
	assert_int_equal(ham_cib_doc_set_transient_attr(d, "1", "node1", "fail-count-g2#monitor_5000",
							"3"), 1);
	fill(&r, 1, "node1", "g2", "monitor", 0, 3, 7, 13);
	ham_cib_doc_record_op(d, &r);

	/* on a node only */
	assert_int_equal(edit(d, "<modify><cleanup node=\"node3\"/></modify>", &err), 0);
	assert_false(ham_cib_doc_has_history(d, "3", "g1"));
	assert_null(ham_cib_doc_get_transient_attr(d, "3", "fail-count-g1#start_0"));
	assert_true(ham_cib_doc_has_history(d, "3", "g2")); /* a probe: not failed */
	assert_true(ham_cib_doc_has_history(d, "2", "d1"));
	assert_non_null(ham_cib_doc_get_transient_attr(d, "2", "fail-count-d1#monitor_10000"));
	assert_int_equal(edit(d, "<modify><cleanup node=\"node9\"/></modify>", &err), -ENOENT);
	free(err);

	/* everywhere */
	assert_int_equal(edit(d, "<modify><cleanup/></modify>", &err), 0);
	assert_false(ham_cib_doc_has_history(d, "2", "d1"));
	assert_null(ham_cib_doc_get_transient_attr(d, "2", "fail-count-d1#monitor_10000"));
	assert_null(ham_cib_doc_get_transient_attr(d, "2", "last-failure-d1#monitor_10000"));
	assert_true(ham_cib_doc_has_history(d, "1", "d1"));  /* it did not fail there */
	assert_false(ham_cib_doc_has_history(d, "1", "g2")); /* its fail count there */
	assert_null(ham_cib_doc_get_transient_attr(d, "1", "fail-count-g2#monitor_5000"));
	assert_true(ham_cib_doc_has_history(d, "3", "g2"));

	/* refresh: everything, on one node or everywhere */
	assert_int_equal(edit(d, "<modify><refresh node=\"node1\"/></modify>", &err), 0);
	assert_false(ham_cib_doc_has_history(d, "1", "d1"));
	assert_true(ham_cib_doc_has_history(d, "3", "g2"));
	assert_int_equal(edit(d, "<modify><refresh/></modify>", &err), 0);
	assert_false(ham_cib_doc_has_history(d, "3", "g2"));
	/* refresh of one resource: its history only */
	fill(&r, 1, "node1", "d1", "start", 0, 4, 0, 20);
	ham_cib_doc_record_op(d, &r);
	fill(&r, 1, "node1", "g1", "start", 0, 5, 0, 20);
	ham_cib_doc_record_op(d, &r);
	assert_int_equal(edit(d, "<modify><refresh rsc=\"d1\"/></modify>", &err), 0);
	assert_false(ham_cib_doc_has_history(d, "1", "d1"));
	assert_true(ham_cib_doc_has_history(d, "1", "g1"));
	assert_int_equal(edit(d, "<modify><refresh rsc=\"ghost\"/></modify>", &err), -ENOENT);
	free(err);
	ham_cib_doc_free(d);
}

/* ---- the model, from the document in memory ------------------------------- */

static void sets_text(ham_buf *b, const char *what, const struct ham_cib_nvset *const *sets,
		      size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++)
		for (j = 0; j < sets[i]->n_pairs; j++)
			ham_buf_addf(b, " %s %s:%s=%s", what, sets[i]->id, sets[i]->pairs[j].name,
				     sets[i]->pairs[j].value ? sets[i]->pairs[j].value : "-");
}

/* What the engine reads of a model, as text to compare. */
static char *model_text(const ham_cib *cib)
{
	const struct ham_cib_model *m = ham_cib_model(cib);
	ham_buf b = HAM_BUF_INIT;
	size_t i, j, k;

	ham_buf_addf(&b, "v%llu:%llu:%llu q%d dc=%s\n", (unsigned long long)m->version.admin_epoch,
		     (unsigned long long)m->version.epoch,
		     (unsigned long long)m->version.num_updates, (int)m->have_quorum,
		     m->dc_uuid ? m->dc_uuid : "-");
	sets_text(&b, "prop", m->crm_config, m->n_crm_config);
	for (i = 0; i < m->n_nodes; i++) {
		ham_buf_addf(&b, "\nnode %s %s %d", m->nodes[i]->id, m->nodes[i]->uname,
			     (int)m->nodes[i]->type);
		sets_text(&b, "attr", m->nodes[i]->instance_attributes,
			  m->nodes[i]->n_instance_attributes);
	}
	for (i = 0; i < m->n_all_resources; i++) {
		ham_buf_addf(&b, "\nrsc %s %d", m->all_resources[i]->id,
			     (int)m->all_resources[i]->kind);
		sets_text(&b, "meta", m->all_resources[i]->meta_attributes,
			  m->all_resources[i]->n_meta_attributes);
	}
	for (i = 0; i < m->n_locations; i++)
		ham_buf_addf(&b, "\nloc %s %s", m->locations[i]->id,
			     m->locations[i]->node ? m->locations[i]->node : "-");
	for (i = 0; i < m->n_node_states; i++) {
		const struct ham_cib_node_state *ns = m->node_states[i];

		ham_buf_addf(&b, "\nstate %s %s node=%s", ns->id, ns->uname,
			     ns->node ? ns->node->id : "-");
		sets_text(&b, "transient", ns->transient_attributes, ns->n_transient_attributes);
		for (j = 0; j < ns->n_lrm_resources; j++)
			for (k = 0; k < ns->lrm_resources[j].n_ops; k++) {
				const struct ham_cib_lrm_op *o = &ns->lrm_resources[j].ops[k];

				ham_buf_addf(&b, "\n  %s/%s %s call=%lld rc=%d st=%d iv=%llu %s",
					     ns->lrm_resources[j].id,
					     ns->lrm_resources[j].rsc ? ns->lrm_resources[j].rsc->id
								      : "-",
					     o->id, (long long)o->call_id, o->rc_code, o->op_status,
					     (unsigned long long)o->interval_ms,
					     o->transition_key ? o->transition_key : "-");
			}
	}
	return ham_buf_steal(&b);
}

/* The model of the document in memory is the model of its text, and the
 * daemon's facts (quorum, DC, nodes only in the status) are in it. */
static void test_model_in_memory(void **state)
{
	struct ham_cib_load_opts opts = { .flags = 0 };
	struct ham_cib_cluster cl = { .quorate = true, .dc_uuid = "2" };
	ham_cib_doc *d = load(CONF("", ""));
	ham_cib_diags *diags = ham_cib_diags_new();
	ham_cib *mem = NULL, *txt = NULL;
	struct ham_cib_op_result r;
	const struct ham_cib_node *n;
	char *a, *b, *xml;
	size_t len;

	fill(&r, 1, "node1", "d1", "start", 0, 2, 0, 101);
	ham_cib_doc_record_op(d, &r);
	fill(&r, 3, "node3", "g1", "monitor", 0, 1, 1, 102);
	r.expected_rc = 7;
	ham_cib_doc_record_op(d, &r);
	assert_int_equal(edit_plain(d, "<modify><set-meta rsc=\"d1\" name=\"target-role\" "
				       "value=\"Stopped\"/><set-node-attr node=\"node2\" "
				       "name=\"standby\" value=\"on\"/></modify>"), 0);

	/* Without facts: the document's own model, as its text gives it. */
	assert_int_equal(ham_cib_doc_to_model(d, &opts, &mem, diags), 0);
	assert_int_equal(ham_cib_doc_dump(d, &xml, &len), 0);
	assert_int_equal(ham_cib_load_mem(xml, len, "t", &opts, &txt, diags), 0);
	free(xml);
	a = model_text(mem);
	b = model_text(txt);
	assert_string_equal(a, b);
	assert_int_equal(ham_cib_find_node(mem, "3", &n), -ENOENT);
	free(a);
	free(b);
	mem = ham_cib_free(mem);
	txt = ham_cib_free(txt);

	/* With them: what the daemon used to serialize for the engine. */
	assert_int_equal(ham_cib_doc_to_model_with(d, NULL, &cl, &mem, diags), 0);
	assert_int_equal(ham_cib_doc_dump_for_policy(d, true, "2", &xml, &len), 0);
	assert_int_equal(ham_cib_load_mem(xml, len, "t", &opts, &txt, diags), 0);
	free(xml);
	a = model_text(mem);
	b = model_text(txt);
	assert_string_equal(a, b);
	assert_int_equal(ham_cib_model(mem)->have_quorum, HAM_CIB_TRUE);
	assert_string_equal(ham_cib_model(mem)->dc_uuid, "2");
	assert_int_equal(ham_cib_find_node(mem, "3", &n), 0); /* only in the status */
	assert_string_equal(n->uname, "node3");
	assert_non_null(strstr(a, "state 3 node3 node=3"));
	free(a);
	free(b);
	mem = ham_cib_free(mem);
	txt = ham_cib_free(txt);
	/* Not quorate; and the document itself says neither. */
	cl.quorate = false;
	assert_int_equal(ham_cib_doc_to_model_with(d, NULL, &cl, &mem, diags), 0);
	assert_int_equal(ham_cib_model(mem)->have_quorum, HAM_CIB_FALSE);
	mem = ham_cib_free(mem);
	assert_int_equal(ham_cib_doc_to_model(d, NULL, &mem, diags), 0); /* NULL: schema */
	assert_int_equal(ham_cib_model(mem)->have_quorum, HAM_CIB_UNSET);
	assert_null(ham_cib_model(mem)->dc_uuid);
	mem = ham_cib_free(mem);
	assert_int_equal(ham_cib_diags_errors(diags), 0);

	/* The checks run on the walk as on text: a bad score is named. */
	ham_cib_doc_free(d);
	d = load(CONF("<nvpair id=\"o-st\" name=\"default-resource-stickiness\" "
		      "value=\"lots\"/>", ""));
	assert_int_equal(ham_cib_doc_to_model_with(d, NULL, &cl, &mem, diags), -HAM_E_CONFIG);
	assert_null(mem);
	a = ham_cib_diags_message(diags, -HAM_E_CONFIG);
	assert_non_null(strstr(a, "lots"));
	free(a);
	ham_cib_doc_free(d);
	ham_cib_diags_free(diags);
}

/* A saved input is the complete document, gzip-compressed, and loads as a file. */
static void test_save_input(void **state)
{
	struct ham_cib_load_opts opts = { .flags = HAM_CIB_LOAD_SCHEMA | HAM_CIB_LOAD_TO_RUN };
	char dir[] = "/tmp/test_doc.XXXXXX", *path, *bad, *xml;
	ham_cib_doc *d = load(CONF("", ""));
	ham_cib_diags *diags = ham_cib_diags_new();
	const struct ham_cib_node *n;
	struct ham_cib_op_result r;
	unsigned char magic[2] = { 0 };
	ham_cib *cib = NULL;
	size_t len;
	FILE *f;

	fill(&r, 3, "node3", "d1", "start", 0, 2, 0, 101);
	ham_cib_doc_record_op(d, &r);
	assert_non_null(mkdtemp(dir));
	path = ham_asprintf("%s/pe-input-0.xml.gz", dir);
	assert_int_equal(ham_cib_doc_save_input(d, true, "3", path), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, 2, f), 2);
	fclose(f);
	assert_int_equal(magic[0], 0x1f); /* gzip */
	assert_int_equal(magic[1], 0x8b);
	assert_int_equal(ham_cib_load_file(path, &opts, &cib, diags), 0);
	assert_int_equal(ham_cib_model(cib)->have_quorum, HAM_CIB_TRUE);
	assert_string_equal(ham_cib_model(cib)->dc_uuid, "3");
	assert_int_equal(ham_cib_find_node(cib, "3", &n), 0); /* only in the status before */
	assert_string_equal(n->uname, "node3");
	cib = ham_cib_free(cib);
	/* The document itself is unchanged. */
	assert_int_equal(ham_cib_doc_dump(d, &xml, &len), 0);
	assert_null(strstr(xml, "dc-uuid"));
	free(xml);

	/* A truncated gzip file is named, not loaded. */
	bad = ham_asprintf("%s/bad.xml.gz", dir);
	f = fopen(bad, "w");
	assert_non_null(f);
	fwrite("\x1f\x8b\x08\x00garbage", 1, 11, f);
	fclose(f);
	assert_true(ham_cib_load_file(bad, &opts, &cib, diags) < 0);
	assert_null(cib);
	xml = ham_cib_diags_message(diags, -HAM_E_XML);
	assert_non_null(strstr(xml, "bad.xml.gz"));
	free(xml);
	unlink(bad);
	unlink(path);
	rmdir(dir);
	free(bad);
	free(path);
	ham_cib_doc_free(d);
	ham_cib_diags_free(diags);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_failcount_written),
		cmocka_unit_test(test_failcount_ignored),
		cmocka_unit_test(test_edits),
		cmocka_unit_test(test_lifetimes),
		cmocka_unit_test(test_cleanup_failed),
		cmocka_unit_test(test_model_in_memory),
		cmocka_unit_test(test_save_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
