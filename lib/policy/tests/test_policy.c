/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for lib/policy: scores, assignment order, colocation, ordering
 * edges and their effects, fencing before recovery, no-quorum policy, bad
 * input, determinism. Each test builds a small CIB in memory.
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

#include <dirent.h>

#include <cmocka.h>

#include <hamgr/policy.h>

#define NOW 1700000000

/* A CIB with nodes node1..nodeN online, the given properties, resources,
 * constraints and extra status. */
static char *cib(int nnodes, const char *props, const char *resources,
		 const char *constraints, const char *status_extra, const char *quorum)
{
	ham_buf b = HAM_BUF_INIT;
	int i;

	ham_buf_addf(&b, "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
			 "validate-with=\"pacemaker-3.0\" have-quorum=\"%s\">"
			 "<configuration><crm_config><cluster_property_set id=\"opts\">%s"
			 "</cluster_property_set></crm_config><nodes>",
		     quorum ? quorum : "1", props ? props : "");
	for (i = 1; i <= nnodes; i++)
		ham_buf_addf(&b, "<node id=\"%d\" uname=\"node%d\"/>", i, i);
	ham_buf_addf(&b, "</nodes><resources>%s</resources><constraints>%s</constraints>"
			 "</configuration><status>",
		     resources, constraints ? constraints : "");
	if (status_extra)
		ham_buf_add(&b, status_extra);
	for (i = 1; i <= nnodes; i++) {
		char needle[64];

		snprintf(needle, sizeof(needle), "uname=\"node%d\"", i);
		if (status_extra && strstr(status_extra, needle))
			continue;
		ham_buf_addf(&b, "<node_state id=\"%d\" uname=\"node%d\" in_ccm=\"true\" "
				 "crmd=\"online\" join=\"member\" expected=\"member\"/>", i, i);
	}
	ham_buf_add(&b, "</status></cib>");
	return ham_buf_steal(&b);
}

#define PRIM(id) "<primitive id=\"" id "\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
#define NOFENCE "<nvpair id=\"p1\" name=\"stonith-enabled\" value=\"false\"/>"

/* Runs the engine; returns the JSON (free()) and the input/transition. */
static char *run(const char *xml, size_t *ret_edges)
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
	assert_int_equal(r, 0);
	assert_int_equal(ham_policy_compute(in, &o, &t), 0);
	ham_transition_json(t, &b);
	if (ret_edges)
		*ret_edges = ham_transition_edge_count(t);
	ham_transition_free(t);
	ham_policy_input_free(in);
	return ham_buf_steal(&b);
}

static char *run_dot(const char *xml)
{
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	struct ham_policy_options o = { .now_s = NOW };
	ham_buf b = HAM_BUF_INIT;

	assert_int_equal(ham_policy_input_load(xml, strlen(xml), &in, NULL), 0);
	assert_int_equal(ham_policy_compute(in, &o, &t), 0);
	ham_transition_dot(t, &b);
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

static const char *running(const char *rsc, const char *node)
{
	static char buf[4][512];
	static int k;
	char *p = buf[k++ % 4];

	snprintf(p, 512,
		 "<node_state id=\"%c\" uname=\"%s\" in_ccm=\"true\" crmd=\"online\" "
		 "join=\"member\" expected=\"member\"><lrm id=\"l\"><lrm_resources>"
		 "<lrm_resource id=\"%s\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		 "<lrm_rsc_op id=\"%s_start_0\" operation=\"start\" interval=\"0\" "
		 "call-id=\"2\" rc-code=\"0\" op-status=\"0\" "
		 "transition-key=\"1:1:0:x\"/></lrm_resource></lrm_resources></lrm>"
		 "</node_state>", node[4], node, rsc, rsc);
	return p;
}

/* node_state of an online node with a transient cpu capacity */
static const char *with_cpu(int i, int cpu)
{
	static char buf[4][512];
	static int k;
	char *p = buf[k++ % 4];

	snprintf(p, 512,
		 "<node_state id=\"%d\" uname=\"node%d\" in_ccm=\"true\" crmd=\"online\" "
		 "join=\"member\" expected=\"member\"><transient_attributes id=\"t%d\">"
		 "<utilization id=\"u%d\"><nvpair id=\"u%d-cpu\" name=\"cpu\" value=\"%d\"/>"
		 "</utilization></transient_attributes></node_state>", i, i, i, i, i, cpu);
	return p;
}

#define UPRIM(id, cpu) "<primitive id=\"" id "\" class=\"ocf\" provider=\"heartbeat\" " \
	"type=\"Dummy\"><utilization id=\"" id "-u\"><nvpair id=\"" id "-u-cpu\" " \
	"name=\"cpu\" value=\"" cpu "\"/></utilization></primitive>"
#define STRATEGY(s) NOFENCE "<nvpair id=\"p2\" name=\"placement-strategy\" value=\"" s "\"/>"

static void test_utilization(void **state)
{
	char st[1200], *x, *j;

	(void)state;
	snprintf(st, sizeof(st), "%s%s", with_cpu(1, 2), with_cpu(2, 2));
	/* capacity for two of the three: the lowest priority one stays stopped */
	x = cib(2, STRATEGY("utilization"),
		UPRIM("a", "2") UPRIM("b", "2")
		"<primitive id=\"c\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<meta_attributes id=\"cm\"><nvpair id=\"cp\" name=\"priority\" value=\"5\"/>"
		"</meta_attributes><utilization id=\"c-u\"><nvpair id=\"c-u-cpu\" name=\"cpu\" "
		"value=\"2\"/></utilization></primitive>", NULL, st, NULL);
	j = run(x, NULL);
	expect_in(j, "\"c\": {\"Started\": [\"node1\"]}");
	expect_in(j, "\"a\": {\"Started\": [\"node2\"]}");
	expect_not_in(j, "\"b\": {");
	free(j);
	free(x);
	/* without a strategy, utilization is ignored */
	x = cib(2, NOFENCE, UPRIM("a", "2") UPRIM("b", "2") UPRIM("c", "2"), NULL, st, NULL);
	j = run(x, NULL);
	expect_in(j, "\"b\": {\"Started\"");
	free(j);
	free(x);
	/* minimal packs onto the first node, balanced spreads */
	snprintf(st, sizeof(st), "%s%s", with_cpu(1, 4), with_cpu(2, 4));
	x = cib(2, STRATEGY("minimal"), UPRIM("a", "1") UPRIM("b", "1"), NULL, st, NULL);
	j = run(x, NULL);
	expect_in(j, "\"a\": {\"Started\": [\"node1\"]}");
	expect_in(j, "\"b\": {\"Started\": [\"node1\"]}");
	free(j);
	free(x);
	x = cib(2, STRATEGY("balanced"), UPRIM("a", "3") UPRIM("b", "1") UPRIM("c", "1"),
		NULL, st, NULL);
	j = run(x, NULL);
	expect_in(j, "\"a\": {\"Started\": [\"node1\"]}");
	expect_in(j, "\"b\": {\"Started\": [\"node2\"]}");
	expect_in(j, "\"c\": {\"Started\": [\"node2\"]}");
	free(j);
	free(x);
}

static void test_templates_and_tags(void **state)
{
	char *x, *j;

	(void)state;
	/* a template gives class, meta and utilization; constraints on the
	 * template and on a tag reach every primitive using it */
	x = cib(3, NOFENCE,
		"<template id=\"t\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<meta_attributes id=\"tm\"><nvpair id=\"tp\" name=\"priority\" value=\"3\"/>"
		"</meta_attributes></template>"
		"<primitive id=\"a\" template=\"t\"/><primitive id=\"b\" template=\"t\"/>"
		PRIM("c") PRIM("d"),
		"<rsc_location id=\"l1\" rsc=\"t\" node=\"node2\" score=\"100\"/>"
		"<rsc_location id=\"l2\" rsc=\"g\" node=\"node3\" score=\"100\"/>"
		"<rsc_location id=\"l3\" node=\"node1\" score=\"200\">"
		"<resource_set id=\"s\"><resource_ref id=\"d\"/></resource_set></rsc_location>",
		NULL, NULL);
	{
		/* the tag goes into the configuration */
		char *p = strstr(x, "</constraints>");
		ham_buf b = HAM_BUF_INIT;

		assert_non_null(p);
		ham_buf_addf(&b, "%.*s</constraints><tags><tag id=\"g\"><obj_ref id=\"c\"/>"
			     "</tag></tags>%s", (int)(p - x), x, p + strlen("</constraints>"));
		free(x);
		x = ham_buf_steal(&b);
	}
	j = run(x, NULL);
	expect_in(j, "\"a\": {\"Started\": [\"node2\"]}");
	expect_in(j, "\"b\": {\"Started\": [\"node2\"]}");
	expect_in(j, "\"c\": {\"Started\": [\"node3\"]}");
	expect_in(j, "\"d\": {\"Started\": [\"node1\"]}");
	free(j);
	free(x);
	/* a primitive using an unknown template is an error */
	x = cib(1, NOFENCE, "<primitive id=\"a\" template=\"nope\"/>", NULL, NULL, NULL);
	{
		ham_policy_input *in = NULL;
		char *err = NULL;

		assert_true(ham_policy_input_load(x, strlen(x), &in, &err) < 0);
		assert_non_null(err);
		expect_in(err, "nope");
		free(err);
	}
	free(x);
}

static void test_node_health(void **state)
{
	const char *yellow =
		"<node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"><transient_attributes id=\"t1\">"
		"<instance_attributes id=\"i1\"><nvpair id=\"h1\" name=\"#health-disk\" "
		"value=\"yellow\"/></instance_attributes></transient_attributes></node_state>";
	const char *loc = "<rsc_location id=\"l1\" rsc=\"a\" node=\"node1\" score=\"50\"/>";
	char *x, *j;

	(void)state;
	/* only-green: a yellow node is not eligible */
	x = cib(2, NOFENCE "<nvpair id=\"h\" name=\"node-health-strategy\" value=\"only-green\"/>",
		PRIM("a"), loc, yellow, NULL);
	j = run(x, NULL);
	expect_in(j, "\"a\": {\"Started\": [\"node2\"]}");
	free(j);
	free(x);
	/* migrate-on-red: yellow counts for nothing */
	x = cib(2, NOFENCE "<nvpair id=\"h\" name=\"node-health-strategy\" "
		"value=\"migrate-on-red\"/>", PRIM("a"), loc, yellow, NULL);
	j = run(x, NULL);
	expect_in(j, "\"a\": {\"Started\": [\"node1\"]}");
	free(j);
	free(x);
	/* progressive: yellow adds its score (-100 outweighs the 50) */
	x = cib(2, NOFENCE "<nvpair id=\"h\" name=\"node-health-strategy\" value=\"progressive\"/>"
		"<nvpair id=\"hy\" name=\"node-health-yellow\" value=\"-100\"/>",
		PRIM("a"), loc, yellow, NULL);
	j = run(x, NULL);
	expect_in(j, "\"a\": {\"Started\": [\"node2\"]}");
	free(j);
	free(x);
}

static void test_rule_types(void **state)
{
	static const struct {
		const char *val, *op, *type, *cmp;
		bool match;
	} cases[] = {
		{ "3.4", "gt", NULL, "10.6", false },   /* number: not "3" > "1" */
		{ "3", "gt", NULL, "10", false },       /* integer */
		{ "3.4", "eq", "integer", "3.6", true },/* integers truncate */
		{ "2.10", "gt", "version", "2.9", true },
		{ "abc", "eq", NULL, "abc", true },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char st[600], cons[600], *x, *j;

		snprintf(st, sizeof(st),
			 "<node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
			 "join=\"member\" expected=\"member\"><transient_attributes id=\"t1\">"
			 "<instance_attributes id=\"i1\"><nvpair id=\"v1\" name=\"v\" "
			 "value=\"%s\"/></instance_attributes></transient_attributes></node_state>",
			 cases[i].val);
		snprintf(cons, sizeof(cons),
			 "<rsc_location id=\"l\" rsc=\"a\"><rule id=\"r\" score=\"-INFINITY\">"
			 "<expression id=\"e\" attribute=\"v\" operation=\"%s\" value=\"%s\"%s%s%s/>"
			 "</rule></rsc_location>", cases[i].op, cases[i].cmp,
			 cases[i].type ? " type=\"" : "", cases[i].type ? cases[i].type : "",
			 cases[i].type ? "\"" : "");
		x = cib(1, NOFENCE, PRIM("a"), cons, st, NULL);
		j = run(x, NULL);
		if (cases[i].match)
			expect_not_in(j, "\"a\": {\"Started\"");
		else
			expect_in(j, "\"a\": {\"Started\": [\"node1\"]}");
		free(j);
		free(x);
	}
}

static void test_multiple_active(void **state)
{
	char st[1200], *x, *j;

	(void)state;
	snprintf(st, sizeof(st), "%s%s", running("a", "node1"), running("a", "node2"));
#define MA(v) "<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">" \
	"<meta_attributes id=\"m\"><nvpair id=\"ma\" name=\"multiple-active\" value=\"" v \
	"\"/></meta_attributes></primitive>"
	x = cib(2, NOFENCE, MA("block"), NULL, st, NULL);
	j = run(x, NULL);
	expect_in(j, "\"actions\": []");
	expect_in(j, "\"a\": {\"Started\": [\"node1\", \"node2\"]}");
	free(j);
	free(x);
	x = cib(2, NOFENCE, MA("stop_only"), NULL, st, NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Stop\", \"a\", \"node1\", null, null, false]");
	expect_in(j, "[\"Stop\", \"a\", \"node2\", null, null, false]");
	expect_in(j, "\"resources\": {}}, \"initial\"");
	free(j);
	free(x);
#undef MA
}

static void test_location_scores(void **state)
{
	char *x, *j;

	(void)state;
	/* 100 + (-50) on node2 still beats 0 on node1 */
	x = cib(2, NOFENCE, PRIM("a"),
		"<rsc_location id=\"l1\" rsc=\"a\" node=\"node2\" score=\"100\"/>"
		"<rsc_location id=\"l2\" rsc=\"a\" node=\"node2\" score=\"-50\"/>",
		NULL, NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Start\", \"a\", null, \"node2\", null, false]");
	free(j);
	free(x);
	/* -INFINITY wins over +INFINITY: banned from node1, runs on node2 */
	x = cib(2, NOFENCE, PRIM("a"),
		"<rsc_location id=\"l1\" rsc=\"a\" node=\"node1\" score=\"INFINITY\"/>"
		"<rsc_location id=\"l2\" rsc=\"a\" node=\"node1\" score=\"-INFINITY\"/>",
		NULL, NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Start\", \"a\", null, \"node2\", null, false]");
	free(j);
	free(x);
	/* opt-in cluster: no location, no placement; a #uname rule allows node2 */
	x = cib(2, NOFENCE "<nvpair id=\"p2\" name=\"symmetric-cluster\" value=\"false\"/>",
		PRIM("a") PRIM("b"),
		"<rsc_location id=\"l1\" rsc=\"b\"><rule id=\"r\" score=\"0\">"
		"<expression id=\"e\" attribute=\"#uname\" operation=\"eq\" value=\"node2\"/>"
		"</rule></rsc_location>",
		NULL, NULL);
	j = run(x, NULL);
	expect_not_in(j, "\"a\", null");
	expect_in(j, "[\"Start\", \"b\", null, \"node2\", null, false]");
	free(j);
	free(x);
}

static void test_stickiness(void **state)
{
	char *x, *j;

	(void)state;
	/* running on node1; node2 preferred by 50, stickiness 100 keeps it */
	x = cib(2, NOFENCE,
		"<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<meta_attributes id=\"m\"><nvpair id=\"s\" name=\"resource-stickiness\" "
		"value=\"100\"/></meta_attributes></primitive>",
		"<rsc_location id=\"l1\" rsc=\"a\" node=\"node2\" score=\"50\"/>",
		running("a", "node1"), NULL);
	j = run(x, NULL);
	expect_in(j, "\"actions\": []");
	expect_in(j, "\"a\": {\"Started\": [\"node1\"]}");
	free(j);
	free(x);
	/* allow-migrate: the move is a live migration */
	x = cib(2, NOFENCE,
		"<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<meta_attributes id=\"m\"><nvpair id=\"s\" name=\"allow-migrate\" "
		"value=\"true\"/></meta_attributes></primitive>",
		"<rsc_location id=\"l1\" rsc=\"a\" node=\"node2\" score=\"50\"/>",
		running("a", "node1"), NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Migrate\", \"a\", \"node1\", \"node2\", null, false]");
	free(j);
	free(x);
	/* without stickiness it moves */
	x = cib(2, NOFENCE, PRIM("a"),
		"<rsc_location id=\"l1\" rsc=\"a\" node=\"node2\" score=\"50\"/>",
		running("a", "node1"), NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Move\", \"a\", \"node1\", \"node2\", null, false]");
	free(j);
	free(x);
}

static void test_priority_and_colocation(void **state)
{
	char *x, *j;

	(void)state;
	/* one node, anti-colocated: the higher priority resource gets it */
	x = cib(1, NOFENCE,
		PRIM("low")
		"<primitive id=\"high\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<meta_attributes id=\"m\"><nvpair id=\"p\" name=\"priority\" value=\"10\"/>"
		"</meta_attributes></primitive>",
		"<rsc_colocation id=\"c\" rsc=\"low\" with-rsc=\"high\" score=\"-INFINITY\"/>",
		NULL, NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Start\", \"high\", null, \"node1\", null, false]");
	expect_not_in(j, "\"low\", null");
	free(j);
	free(x);
	/* mandatory colocation follows the primary's location */
	x = cib(3, NOFENCE, PRIM("dep") PRIM("prim"),
		"<rsc_colocation id=\"c\" rsc=\"dep\" with-rsc=\"prim\" score=\"INFINITY\"/>"
		"<rsc_location id=\"l\" rsc=\"prim\" node=\"node3\" score=\"10\"/>",
		NULL, NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Start\", \"dep\", null, \"node3\", null, false]");
	expect_in(j, "[\"Start\", \"prim\", null, \"node3\", null, false]");
	free(j);
	free(x);
	/* balancing: equal scores spread over the nodes */
	x = cib(2, NOFENCE, PRIM("a") PRIM("b"), NULL, NULL, NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Start\", \"a\", null, \"node1\", null, false]");
	expect_in(j, "[\"Start\", \"b\", null, \"node2\", null, false]");
	free(j);
	free(x);
}

static void test_ordering(void **state)
{
	char *x, *j;
	size_t edges = 0;

	(void)state;
	/* a mandatory order gives an edge start(a) -> start(b) */
	x = cib(1, NOFENCE, PRIM("a") PRIM("b"),
		"<rsc_order id=\"o\" first=\"a\" then=\"b\"/>", NULL, NULL);
	j = run(x, &edges);
	assert_int_equal(edges, 1);
	free(j);
	free(x);
	/* first cannot start: then's start is blocked */
	x = cib(1, NOFENCE,
		"<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<meta_attributes id=\"m\"><nvpair id=\"t\" name=\"target-role\" "
		"value=\"Stopped\"/></meta_attributes></primitive>" PRIM("b"),
		"<rsc_order id=\"o\" first=\"a\" then=\"b\"/>", NULL, NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Start\", \"b\", null, \"node1\", null, true]");
	free(j);
	free(x);
	/* first starts while then runs: then restarts (symmetrical) */
	x = cib(1, NOFENCE, PRIM("a") PRIM("b"),
		"<rsc_order id=\"o\" first=\"a\" then=\"b\"/>", running("b", "node1"), NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Restart\", \"b\", \"node1\", \"node1\", null, false]");
	free(j);
	free(x);
	/* optional order: no restart */
	x = cib(1, NOFENCE, PRIM("a") PRIM("b"),
		"<rsc_order id=\"o\" first=\"a\" then=\"b\" kind=\"Optional\"/>",
		running("b", "node1"), NULL);
	j = run(x, NULL);
	expect_not_in(j, "Restart");
	free(j);
	free(x);
}

/*
 * A resource set with require-all=false before another set: one or more of
 * its members will do ("Pacemaker Explained", ordering sets). What follows
 * starts when any one of them can (and waits only for those that start),
 * and is blocked only when none can.
 */
static void test_one_or_more(void **state)
{
#define STOPPED_PRIM(id) "<primitive id=\"" id "\" class=\"ocf\" provider=\"heartbeat\" " \
	"type=\"Dummy\"><meta_attributes id=\"m" id "\"><nvpair id=\"t" id "\" " \
	"name=\"target-role\" value=\"Stopped\"/></meta_attributes></primitive>"
#define ONE_OR_MORE "<rsc_order id=\"o\"><resource_set id=\"s1\" sequential=\"false\" " \
	"require-all=\"false\"><resource_ref id=\"a\"/><resource_ref id=\"b\"/></resource_set>" \
	"<resource_set id=\"s2\"><resource_ref id=\"c\"/></resource_set></rsc_order>"
	char *x, *j;
	size_t edges = 0;

	(void)state;
	x = cib(1, NOFENCE, STOPPED_PRIM("a") PRIM("b") PRIM("c"), ONE_OR_MORE, NULL, NULL);
	j = run(x, &edges);
	expect_in(j, "[\"Start\", \"c\", null, \"node1\", null, false]");
	assert_int_equal(edges, 1);
	free(j);
	free(x);
	x = cib(1, NOFENCE, STOPPED_PRIM("a") STOPPED_PRIM("b") PRIM("c"), ONE_OR_MORE, NULL,
		NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Start\", \"c\", null, \"node1\", null, true]");
	free(j);
	free(x);
#undef STOPPED_PRIM
#undef ONE_OR_MORE
}

static void test_fencing_before_recovery(void **state)
{
	char *x, *j, *d;
	const char *lost =
		"<node_state id=\"1\" uname=\"node1\" in_ccm=\"false\" crmd=\"offline\" "
		"join=\"member\" expected=\"member\"><lrm id=\"l\"><lrm_resources>"
		"<lrm_resource id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<lrm_rsc_op id=\"a_start_0\" operation=\"start\" interval=\"0\" call-id=\"2\" "
		"rc-code=\"0\" op-status=\"0\" transition-key=\"1:1:0:x\"/></lrm_resource>"
		"</lrm_resources></lrm></node_state>";

	(void)state;
	x = cib(2, "", PRIM("a"), NULL, lost, NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Fence\", \"node1\", null, null, \"reboot\", false]");
	expect_in(j, "[\"Move\", \"a\", \"node1\", \"node2\", null, false]");
	expect_in(j, "\"node1\": \"offline\"");
	d = run_dot(x);
	/* the start elsewhere waits for the fencing */
	expect_in(d, "\"stonith node1\" -> \"a_start_0 node2\"");
	free(d);
	free(j);
	free(x);
	/* fencing disabled: the lost node's resources are not recovered */
	x = cib(2, NOFENCE, PRIM("a"), NULL, lost, NULL);
	j = run(x, NULL);
	expect_not_in(j, "Fence");
	free(j);
	free(x);
}

static void test_no_quorum(void **state)
{
	char *x, *j;

	(void)state;
	/* stop (default): running resources stop, nothing starts */
	x = cib(2, NOFENCE, PRIM("a") PRIM("b"), NULL, running("a", "node1"), "0");
	j = run(x, NULL);
	expect_in(j, "[\"Stop\", \"a\", \"node1\", null, null, false]");
	expect_in(j, "\"b\", null, \"node2\", null, true]");
	free(j);
	free(x);
	/* freeze: running ones stay */
	x = cib(2, NOFENCE "<nvpair id=\"q\" name=\"no-quorum-policy\" value=\"freeze\"/>",
		PRIM("a") PRIM("b"), NULL, running("a", "node1"), "0");
	j = run(x, NULL);
	expect_not_in(j, "\"Stop\"");
	expect_in(j, "\"a\": {\"Started\": [\"node1\"]}");
	free(j);
	free(x);
	/* ignore: business as usual */
	x = cib(2, NOFENCE "<nvpair id=\"q\" name=\"no-quorum-policy\" value=\"ignore\"/>",
		PRIM("b"), NULL, NULL, "0");
	j = run(x, NULL);
	expect_in(j, "[\"Start\", \"b\", null, \"node1\", null, false]");
	free(j);
	free(x);
}

static void test_failures(void **state)
{
	char *x, *j;
	const char *failed =
		"<node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"><transient_attributes id=\"t\">"
		"<instance_attributes id=\"ta\"><nvpair id=\"f\" "
		"name=\"fail-count-a#monitor_10000\" value=\"3\"/></instance_attributes>"
		"</transient_attributes><lrm id=\"l\"><lrm_resources>"
		"<lrm_resource id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<lrm_rsc_op id=\"a_start_0\" operation=\"start\" interval=\"0\" call-id=\"2\" "
		"rc-code=\"0\" op-status=\"0\" transition-key=\"1:1:0:x\"/>"
		"<lrm_rsc_op id=\"a_monitor_10000\" operation=\"monitor\" interval=\"10000\" "
		"call-id=\"3\" rc-code=\"7\" op-status=\"0\" transition-key=\"2:1:0:x\" "
		"last-rc-change=\"1699999990\"/>"
		"</lrm_resource></lrm_resources></lrm></node_state>";
	const char *meta3 =
		"<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
		"<meta_attributes id=\"m\"><nvpair id=\"t\" name=\"migration-threshold\" "
		"value=\"3\"/></meta_attributes></primitive>";

	(void)state;
	/* a failed monitor recovers in place */
	x = cib(2, NOFENCE, PRIM("a"), NULL, failed, NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Recover\", \"a\", \"node1\", \"node1\", null, false]");
	expect_in(j, "\"a\": {\"FAILED\": [\"node1\"]}");
	free(j);
	free(x);
	/* migration-threshold reached: it moves away */
	x = cib(2, NOFENCE, meta3, NULL, failed, NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Recover\", \"a\", \"node1\", \"node2\", null, false]");
	free(j);
	free(x);
}

static void test_bad_input(void **state)
{
	ham_policy_input *in = NULL;
	char *err = NULL;
	const char *broken = "<cib><configuration><resources>";
	/* refused by lib/cib as hactl verify refuses it, with its diagnostics */
	const char *dangling =
		"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
		"validate-with=\"pacemaker-3.0\"><configuration><crm_config/><nodes/>"
		"<resources/><constraints>\n"
		"<rsc_order id=\"o\" first=\"nope\" then=\"nada\"/></constraints>"
		"</configuration></cib>";
	const char *wrong_root = "<config/>";

	(void)state;
	assert_int_equal(ham_policy_input_load(broken, strlen(broken), &in, &err), -HAM_E_XML);
	assert_non_null(err);
	assert_null(in);
	free(err);
	err = NULL;
	assert_int_equal(ham_policy_input_load(dangling, strlen(dangling), &in, &err),
			 -HAM_E_CONFIG);
	assert_non_null(strstr(err, "nope"));
	assert_non_null(strstr(err, "cib.xml:2: error: <rsc_order> id 'o': "));
	assert_non_null(strstr(err, "cib.xml: invalid: "));
	free(err);
	err = NULL;
	assert_int_equal(ham_policy_input_load(wrong_root, strlen(wrong_root), &in, &err),
			 -HAM_E_SCHEMA);
	free(err);
	err = NULL;
	assert_int_equal(ham_policy_input_load("\xff\xfe", 2, &in, &err), -HAM_E_XML);
	free(err);
}

static void test_deterministic(void **state)
{
	char *x, *a, *b;
	ham_policy_input *in = NULL;
	ham_transition *t1 = NULL, *t2 = NULL;
	struct ham_policy_options o = { .now_s = NOW };
	ham_buf b1 = HAM_BUF_INIT, b2 = HAM_BUF_INIT;

	(void)state;
	x = cib(3, NOFENCE, PRIM("a") PRIM("b") PRIM("c"),
		"<rsc_colocation id=\"col\" rsc=\"b\" with-rsc=\"a\" score=\"-100\"/>"
		"<rsc_order id=\"o\" first=\"a\" then=\"c\"/>",
		running("a", "node2"), NULL);
	a = run(x, NULL);
	b = run(x, NULL);
	assert_string_equal(a, b);
	/* the same input computed twice gives the same result */
	assert_int_equal(ham_policy_input_load(x, strlen(x), &in, NULL), 0);
	assert_int_equal(ham_policy_compute(in, &o, &t1), 0);
	ham_transition_json(t1, &b1);
	t1 = ham_transition_free(t1);
	assert_int_equal(ham_policy_compute(in, &o, &t2), 0);
	ham_transition_json(t2, &b2);
	assert_string_equal(ham_buf_str(&b1), ham_buf_str(&b2));
	assert_string_equal(ham_buf_str(&b1), a);
	ham_transition_free(t2);
	ham_policy_input_free(in);
	ham_buf_free(&b1);
	ham_buf_free(&b2);
	free(a);
	free(b);
	free(x);
}

static void test_groups_and_clones(void **state)
{
	char *x, *j;

	(void)state;
	/* a group follows its first member's location, members in order */
	x = cib(2, NOFENCE, "<group id=\"g\">" PRIM("g1") PRIM("g2") "</group>",
		"<rsc_location id=\"l\" rsc=\"g\" node=\"node2\" score=\"10\"/>",
		NULL, NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Start\", \"g1\", null, \"node2\", null, false]");
	expect_in(j, "[\"Start\", \"g2\", null, \"node2\", null, false]");
	free(j);
	free(x);
	/* an anonymous clone: one instance per node, keyed by the child's id */
	x = cib(3, NOFENCE, "<clone id=\"c\">" PRIM("child") "</clone>", NULL, NULL, NULL);
	j = run(x, NULL);
	expect_in(j, "\"child\": {\"Started\": [\"node1\", \"node2\", \"node3\"]}");
	free(j);
	free(x);
	/* clone-max 1 and a resource colocated with the clone */
	x = cib(3, NOFENCE,
		"<clone id=\"c\"><meta_attributes id=\"cm\"><nvpair id=\"cmx\" "
		"name=\"clone-max\" value=\"1\"/></meta_attributes>" PRIM("child") "</clone>"
		PRIM("dep"),
		"<rsc_location id=\"l\" rsc=\"c\" node=\"node3\" score=\"10\"/>"
		"<rsc_colocation id=\"co\" rsc=\"dep\" with-rsc=\"c\" score=\"INFINITY\"/>",
		NULL, NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Start\", \"child\", null, \"node3\", null, false]");
	expect_in(j, "[\"Start\", \"dep\", null, \"node3\", null, false]");
	free(j);
	free(x);
}

/* node_state of node i with node attribute site=v */
#define SITE(i, v) "<node_state id=\"" i "\" uname=\"node" i "\" in_ccm=\"true\" " \
	"crmd=\"online\" join=\"member\" expected=\"member\"><transient_attributes " \
	"id=\"t" i "\"><instance_attributes id=\"ta" i "\"><nvpair id=\"s" i "\" " \
	"name=\"site\" value=\"" v "\"/></instance_attributes></transient_attributes>" \
	"</node_state>"

/*
 * A colocation with node-attribute puts the dependent on a node with the
 * same value of that attribute as the primary's node, not on that node; and
 * the dependent's preferences pull the primary to where such a node exists.
 */
static void test_colocation_node_attribute(void **state)
{
	const char *sites = SITE("1", "a") SITE("2", "a") SITE("3", "b");
	char *x, *j;

	(void)state;
	x = cib(3, NOFENCE, PRIM("a") PRIM("b"),
		"<rsc_location id=\"l1\" rsc=\"a\" node=\"node1\" score=\"100\"/>"
		"<rsc_location id=\"l2\" rsc=\"b\" node=\"node1\" score=\"-INFINITY\"/>"
		"<rsc_colocation id=\"c\" rsc=\"b\" with-rsc=\"a\" node-attribute=\"site\" "
		"score=\"INFINITY\"/>", sites, NULL);
	j = run(x, NULL);
	expect_in(j, "\"a\": {\"Started\": [\"node1\"]}");
	expect_in(j, "\"b\": {\"Started\": [\"node2\"]}");
	free(j);
	free(x);
	x = cib(3, NOFENCE, PRIM("a") PRIM("b"),
		"<rsc_location id=\"l1\" rsc=\"b\" node=\"node1\" score=\"-INFINITY\"/>"
		"<rsc_location id=\"l2\" rsc=\"b\" node=\"node2\" score=\"-INFINITY\"/>"
		"<rsc_colocation id=\"c\" rsc=\"b\" with-rsc=\"a\" node-attribute=\"site\" "
		"score=\"INFINITY\"/>", sites, NULL);
	j = run(x, NULL);
	expect_in(j, "\"a\": {\"Started\": [\"node3\"]}");
	expect_in(j, "\"b\": {\"Started\": [\"node3\"]}");
	free(j);
	free(x);
}

static void test_promotable(void **state)
{
	char *x, *j;
	const char *pref =
		"<node_state id=\"2\" uname=\"node2\" in_ccm=\"true\" crmd=\"online\" "
		"join=\"member\" expected=\"member\"><transient_attributes id=\"t\">"
		"<instance_attributes id=\"ta\"><nvpair id=\"m\" name=\"master-db\" "
		"value=\"10\"/></instance_attributes></transient_attributes></node_state>";

	(void)state;
	/* the node with the promotion preference gets the promoted instance */
	x = cib(2, NOFENCE,
		"<clone id=\"ms\"><meta_attributes id=\"mm\"><nvpair id=\"p\" "
		"name=\"promotable\" value=\"true\"/></meta_attributes>" PRIM("db") "</clone>",
		NULL, pref, NULL);
	j = run(x, NULL);
	expect_in(j, "[\"Promote\", \"db\", null, \"node2\", \"Stopped -> Promoted\", false]");
	expect_in(j, "[\"Start\", \"db\", null, \"node1\", null, false]");
	expect_in(j, "\"db\": {\"Promoted\": [\"node2\"], \"Unpromoted\": [\"node1\"]}");
	free(j);
	free(x);
}

/*
 * Inputs the fuzz target (lib/policy/fuzz) once broke the engine with: each
 * must load or be refused with a message, and compute and render cleanly.
 * Under ASan+UBSan (make check of a --enable-sanitizers build) a regression
 * aborts here.
 */
static void test_fuzz_regressions(void **state)
{
	const char *src = getenv("HAM_SRCDIR") ? getenv("HAM_SRCDIR") : "..";
	char *dirpath = ham_asprintf("%s/lib/policy/tests/data", src);
	DIR *dir = opendir(dirpath);
	struct dirent *e;
	int n = 0;

	(void)state;
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL) {
		struct ham_policy_options opts = { .now_s = 1700000000 };
		ham_policy_input *in = NULL;
		ham_transition *t = NULL;
		ham_buf out = HAM_BUF_INIT;
		char *path, *err = NULL;

		if (strncmp(e->d_name, "crash-", 6) != 0 && strncmp(e->d_name, "leak-", 5) != 0)
			continue;
		path = ham_asprintf("%s/%s", dirpath, e->d_name);
		if (ham_policy_input_load_file(path, &in, &err) == 0) {
			assert_int_equal(ham_policy_compute(in, &opts, &t), 0);
			ham_transition_json(t, &out);
			ham_transition_text(t, &out);
			ham_transition_scores(t, &out);
			ham_transition_dot(t, &out);
			assert_true(out.len > 0);
			t = ham_transition_free(t);
			in = ham_policy_input_free(in);
		} else {
			assert_non_null(err);
		}
		ham_buf_free(&out);
		free(err);
		free(path);
		n++;
	}
	closedir(dir);
	free(dirpath);
	assert_true(n >= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_location_scores),
		cmocka_unit_test(test_stickiness),
		cmocka_unit_test(test_priority_and_colocation),
		cmocka_unit_test(test_ordering),
		cmocka_unit_test(test_one_or_more),
		cmocka_unit_test(test_fencing_before_recovery),
		cmocka_unit_test(test_no_quorum),
		cmocka_unit_test(test_failures),
		cmocka_unit_test(test_groups_and_clones),
		cmocka_unit_test(test_colocation_node_attribute),
		cmocka_unit_test(test_promotable),
		cmocka_unit_test(test_utilization),
		cmocka_unit_test(test_multiple_active),
		cmocka_unit_test(test_rule_types),
		cmocka_unit_test(test_node_health),
		cmocka_unit_test(test_templates_and_tags),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_fuzz_regressions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
