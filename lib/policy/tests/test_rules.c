/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for rule evaluation: date expressions (gt, lt, in_range with
 * an end or a duration, date_spec), from the examples of "Pacemaker
 * Explained"'s rules chapter, and the built-in node attributes (#is_dc from
 * dc-uuid, #cluster-name, #site-name, #uname, #id, #kind) in location rules.
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

#include <hamgr/cib.h>
#include <hamgr/policy.h>

#include "../model.h"

static int64_t at(const char *iso)
{
	int64_t t = 0;

	assert_int_equal(ham_cib_time_parse(iso, &t), 0);
	return t;
}

static struct ham_cib_range rng(int64_t lo, int64_t hi)
{
	struct ham_cib_range r = { .set = true, .lo = lo, .hi = hi };

	return r;
}

static void test_time_fields(void **state)
{
	struct pe_time_fields f;

	(void)state;
	/* 2005-01-20 (2005-020) is a Thursday of ISO week 3 */
	pe_time_fields(at("2005-020T12:30"), &f);
	assert_int_equal(f.year, 2005);
	assert_int_equal(f.month, 1);
	assert_int_equal(f.monthday, 20);
	assert_int_equal(f.yearday, 20);
	assert_int_equal(f.hour, 12);
	assert_int_equal(f.minute, 30);
	assert_int_equal(f.weekday, 4);
	assert_int_equal(f.week, 3);
	assert_int_equal(f.weekyear, 2005);
	/* 2005-01-01 is a Saturday in week 53 of 2004 */
	pe_time_fields(at("2005-01-01"), &f);
	assert_int_equal(f.weekday, 6);
	assert_int_equal(f.week, 53);
	assert_int_equal(f.weekyear, 2004);
	/* 2008-12-29 is the Monday of week 1 of 2009 */
	pe_time_fields(at("2008-12-29T23:59:59"), &f);
	assert_int_equal(f.weekday, 1);
	assert_int_equal(f.week, 1);
	assert_int_equal(f.weekyear, 2009);
	assert_int_equal(f.yearday, 364);
	assert_int_equal(f.second, 59);
	/* before the epoch */
	pe_time_fields(at("1969-12-31T23:00:00"), &f);
	assert_int_equal(f.year, 1969);
	assert_int_equal(f.monthday, 31);
	assert_int_equal(f.hour, 23);
	assert_int_equal(f.weekday, 3);
}

static void test_time_add(void **state)
{
	struct ham_cib_duration y1 = { .set = true, .years = 1 };
	struct ham_cib_duration m1 = { .set = true, .months = 1 };
	struct ham_cib_duration m19 = { .set = true, .months = 19 };
	struct ham_cib_duration mixed = { .set = true, .weeks = 1, .days = 2, .hours = 3,
					  .minutes = 4, .seconds = 5 };

	(void)state;
	assert_int_equal(pe_time_add(at("2005-001"), &y1), at("2006-001"));
	/* months move the calendar, the day clamped to the month's length */
	assert_int_equal(pe_time_add(at("2019-01-31T10:00:00"), &m1), at("2019-02-28T10:00:00"));
	assert_int_equal(pe_time_add(at("2020-01-31"), &m1), at("2020-02-29"));
	assert_int_equal(pe_time_add(at("2020-02-29"), &y1), at("2021-02-28"));
	/* a duration may exceed its field's calendar range (19 months) */
	assert_int_equal(pe_time_add(at("2005-06-15"), &m19), at("2007-01-15"));
	assert_int_equal(pe_time_add(at("2005-12-15"), &m1), at("2006-01-15"));
	assert_int_equal(pe_time_add(at("2005-01-01T00:00:00"), &mixed),
			 at("2005-01-10T03:04:05"));
}

static void test_gt_lt(void **state)
{
	struct pe_date gt = { .op = HAM_CIB_DATE_GT };
	struct pe_date lt = { .op = HAM_CIB_DATE_LT };

	(void)state;
	gt.start.set = true;
	gt.start.epoch_s = at("2019-09-20 15:15:52 +00:00");
	assert_true(pe_date_eval(&gt, gt.start.epoch_s + 1));
	assert_false(pe_date_eval(&gt, gt.start.epoch_s)); /* strictly after */
	assert_false(pe_date_eval(&gt, gt.start.epoch_s - 3600));
	lt.end.set = true;
	lt.end.epoch_s = at("2019-09-20T15:10:52Z");
	assert_true(pe_date_eval(&lt, lt.end.epoch_s - 1));
	assert_false(pe_date_eval(&lt, lt.end.epoch_s)); /* strictly before */
	/* gt without start, lt without end: never */
	gt.start.set = false;
	lt.end.set = false;
	assert_false(pe_date_eval(&gt, 0));
	assert_false(pe_date_eval(&lt, 0));
}

static void test_in_range(void **state)
{
	/* "true if now is any time in the year 2005": start 2005-001 with a
	 * duration of one year, or an explicit end */
	struct pe_date y = { .op = HAM_CIB_DATE_IN_RANGE };
	struct pe_date e = { .op = HAM_CIB_DATE_IN_RANGE };

	(void)state;
	y.start.set = true;
	y.start.epoch_s = at("2005-001");
	y.duration.set = true;
	y.duration.years = 1;
	assert_true(pe_date_eval(&y, at("2005-001")));
	assert_true(pe_date_eval(&y, at("2005-07-14T08:00:00")));
	assert_true(pe_date_eval(&y, at("2005-12-31T23:59:59")));
	assert_false(pe_date_eval(&y, at("2004-12-31T23:59:59")));
	assert_false(pe_date_eval(&y, at("2006-01-01T00:00:01")));
	e.start.set = true;
	e.start.epoch_s = at("2019-09-20 15:00:00 +00:00");
	e.end.set = true;
	e.end.epoch_s = at("2019-09-20 15:30:00 +00:00");
	assert_true(pe_date_eval(&e, e.start.epoch_s));
	assert_true(pe_date_eval(&e, e.end.epoch_s));
	assert_false(pe_date_eval(&e, e.end.epoch_s + 1));
	assert_false(pe_date_eval(&e, e.start.epoch_s - 1));
	/* an end wins over a duration */
	e.duration.set = true;
	e.duration.days = 10;
	assert_false(pe_date_eval(&e, e.end.epoch_s + 60));
	/* only an end: anything up to it */
	e.start.set = false;
	assert_true(pe_date_eval(&e, at("1999-01-01")));
}

static void test_date_spec(void **state)
{
	struct pe_date d = { .op = HAM_CIB_DATE_SPEC, .has_spec = true };

	(void)state;
	/* the year 2005, as a date_spec */
	d.spec.years = rng(2005, 2005);
	assert_true(pe_date_eval(&d, at("2005-06-01")));
	assert_false(pe_date_eval(&d, at("2006-06-01")));
	/* 9am-5pm Monday-Friday: hours 9-16, weekdays 1-5 */
	memset(&d.spec, 0, sizeof(d.spec));
	d.spec.hours = rng(9, 16);
	d.spec.weekdays = rng(1, 5);
	assert_true(pe_date_eval(&d, at("2005-01-20T09:00:00")));  /* Thursday */
	assert_true(pe_date_eval(&d, at("2005-01-20T16:59:59")));
	assert_false(pe_date_eval(&d, at("2005-01-20T17:00:00")));
	assert_false(pe_date_eval(&d, at("2005-01-22T12:00:00"))); /* Saturday */
	/* Mondays in March 2005 (with a range of months) */
	memset(&d.spec, 0, sizeof(d.spec));
	d.spec.weekdays = rng(1, 1);
	d.spec.months = rng(3, 3);
	d.spec.years = rng(2005, 2005);
	assert_true(pe_date_eval(&d, at("2005-03-07T10:00:00")));
	assert_false(pe_date_eval(&d, at("2005-03-08T10:00:00")));
	assert_false(pe_date_eval(&d, at("2005-04-04T10:00:00")));
	/* Pacemaker's date-2/date-3 cases: hours="12" */
	memset(&d.spec, 0, sizeof(d.spec));
	d.spec.hours = rng(12, 12);
	assert_true(pe_date_eval(&d, at("2005-020T12:30")));
	assert_false(pe_date_eval(&d, at("2005-020T11:30")));
	/* the other fields */
	memset(&d.spec, 0, sizeof(d.spec));
	d.spec.yeardays = rng(20, 20);
	d.spec.weeks = rng(3, 3);
	d.spec.weekyears = rng(2005, 2005);
	d.spec.monthdays = rng(20, 20);
	d.spec.minutes = rng(30, 31);
	d.spec.seconds = rng(0, 9);
	assert_true(pe_date_eval(&d, at("2005-020T12:30:05")));
	assert_false(pe_date_eval(&d, at("2005-020T12:30:10")));
	/* an empty spec matches any time; no spec at all never */
	memset(&d.spec, 0, sizeof(d.spec));
	assert_true(pe_date_eval(&d, 12345));
	d.has_spec = false;
	assert_false(pe_date_eval(&d, 12345));
}

/* ---- in the engine: location rules ---- */

static char *cib(const char *cib_attrs, const char *props, const char *constraints)
{
	ham_buf b = HAM_BUF_INIT;
	int i;

	ham_buf_addf(&b, "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
			 "validate-with=\"pacemaker-3.0\" have-quorum=\"1\" %s>"
			 "<configuration><crm_config><cluster_property_set id=\"opts\">"
			 "<nvpair id=\"opts-st\" name=\"stonith-enabled\" value=\"false\"/>%s"
			 "</cluster_property_set></crm_config><nodes>",
		     cib_attrs, props);
	for (i = 1; i <= 3; i++)
		ham_buf_addf(&b, "<node id=\"%d\" uname=\"node%d\">%s</node>", i, i,
			     i == 3 ? "<instance_attributes id=\"n3-ia\"><nvpair id=\"n3-site\" "
				      "name=\"site-name\" value=\"east\"/></instance_attributes>"
				    : "");
	ham_buf_addf(&b, "</nodes><resources><primitive id=\"a\" class=\"ocf\" "
			 "provider=\"heartbeat\" type=\"Dummy\"/></resources>"
			 "<constraints>%s</constraints></configuration><status>",
		     constraints);
	for (i = 1; i <= 3; i++)
		ham_buf_addf(&b, "<node_state id=\"%d\" uname=\"node%d\" in_ccm=\"true\" "
				 "crmd=\"online\" join=\"member\" expected=\"member\"/>", i, i);
	ham_buf_add(&b, "</status></cib>");
	return ham_buf_steal(&b);
}

/* Where "a" is placed at now (a node name, "" if stopped). */
static const char *placed(const char *xml, int64_t now)
{
	static char where[32];
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	struct ham_policy_options o = { .now_s = now };
	ham_buf b = HAM_BUF_INIT;
	char *err = NULL;
	const char *p;
	int r;

	r = ham_policy_input_load(xml, strlen(xml), &in, &err);
	if (r < 0)
		fail_msg("load: %s", err ? err : "?");
	assert_int_equal(ham_policy_compute(in, &o, &t), 0);
	ham_transition_json(t, &b);
	where[0] = '\0';
	p = strstr(ham_buf_str(&b), "\"a\": {\"Started\": [\"");
	if (p != NULL)
		snprintf(where, sizeof(where), "%.5s", p + strlen("\"a\": {\"Started\": [\""));
	ham_transition_free(t);
	ham_policy_input_free(in);
	ham_buf_free(&b);
	free(err);
	return where;
}

static void test_location_date_rule(void **state)
{
	/* node2 preferred only during a window; node1 otherwise */
	char *x = cib("", "",
		      "<rsc_location id=\"l1\" rsc=\"a\" node=\"node1\" score=\"10\"/>"
		      "<rsc_location id=\"l2\" rsc=\"a\"><rule id=\"r2\" score=\"100\" "
		      "boolean-op=\"and\"><date_expression id=\"d2\" operation=\"in_range\" "
		      "start=\"2019-09-20T15:00:00Z\"><duration id=\"d2-d\" minutes=\"30\"/>"
		      "</date_expression><expression id=\"e2\" attribute=\"#uname\" "
		      "operation=\"eq\" value=\"node2\"/></rule></rsc_location>"
		      "<rsc_location id=\"l3\" rsc=\"a\"><rule id=\"r3\" score=\"1000\" "
		      "boolean-op=\"and\"><date_expression id=\"d3\" operation=\"date_spec\">"
		      "<date_spec id=\"d3-s\" weekdays=\"6-7\"/></date_expression>"
		      "<expression id=\"e3\" attribute=\"#uname\" operation=\"eq\" "
		      "value=\"node3\"/></rule></rsc_location>");

	(void)state;
	assert_string_equal(placed(x, at("2019-09-20T14:59:59Z")), "node1");
	assert_string_equal(placed(x, at("2019-09-20T15:10:00Z")), "node2");
	assert_string_equal(placed(x, at("2019-09-20T15:30:01Z")), "node1");
	/* 2019-09-21 is a Saturday */
	assert_string_equal(placed(x, at("2019-09-21T15:10:00Z")), "node3");
	free(x);
}

static void test_builtin_node_attributes(void **state)
{
	static const struct {
		const char *expr;
		const char *where;
	} cases[] = {
		{ "attribute=\"#is_dc\" operation=\"eq\" value=\"true\"", "node2" },
		{ "attribute=\"#is_dc\" operation=\"eq\" value=\"false\"", "node1" },
		{ "attribute=\"#id\" operation=\"eq\" value=\"3\"", "node3" },
		{ "attribute=\"#kind\" operation=\"eq\" value=\"cluster\"", "node1" },
		{ "attribute=\"#cluster-name\" operation=\"eq\" value=\"prod\"", "node1" },
		/* site-name where set, else the cluster name */
		{ "attribute=\"#site-name\" operation=\"eq\" value=\"east\"", "node3" },
		{ "attribute=\"#site-name\" operation=\"eq\" value=\"prod\"", "node1" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char cons[512], *x;

		/* the rule gives +100 to the nodes that match; node1 wins ties */
		snprintf(cons, sizeof(cons),
			 "<rsc_location id=\"l\" rsc=\"a\"><rule id=\"r\" score=\"100\">"
			 "<expression id=\"e\" %s/></rule></rsc_location>"
			 "<rsc_location id=\"l0\" rsc=\"a\" node=\"node1\" score=\"1\"/>",
			 cases[i].expr);
		x = cib("dc-uuid=\"2\"",
			"<nvpair id=\"opts-cn\" name=\"cluster-name\" value=\"prod\"/>", cons);
		if (strcmp(placed(x, 1700000000), cases[i].where) != 0)
			fail_msg("%s: placed on %s, expected %s", cases[i].expr,
				 placed(x, 1700000000), cases[i].where);
		free(x);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_fields),
		cmocka_unit_test(test_time_add),
		cmocka_unit_test(test_gt_lt),
		cmocka_unit_test(test_in_range),
		cmocka_unit_test(test_date_spec),
		cmocka_unit_test(test_location_date_rule),
		cmocka_unit_test(test_builtin_node_attributes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
