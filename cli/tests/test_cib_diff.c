/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/tests/test_cib_diff.c: the configuration diff of hactl cib push --diff-against. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/xml.h>
#include "cib_diff.h"

static xmlDoc *parse(const char *s)
{
	xmlDoc *d = xmlReadMemory(s, (int)strlen(s), "t", NULL, XML_PARSE_NOBLANKS | XML_PARSE_NONET);

	assert_non_null(d);
	return d;
}

#define CIB(body) "<cib epoch=\"1\" admin_epoch=\"0\" num_updates=\"0\"><configuration>" body \
	"</configuration><status/></cib>"

#define BASE \
	"<crm_config><cluster_property_set id=\"opts\">" \
	"<nvpair id=\"opt-s\" name=\"stonith-enabled\" value=\"false\"/>" \
	"</cluster_property_set></crm_config><nodes/>" \
	"<resources>" \
	"<primitive id=\"a\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>" \
	"<primitive id=\"b\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">" \
	"<operations><op id=\"b-mon\" name=\"monitor\" interval=\"10s\"/></operations>" \
	"</primitive>" \
	"</resources><constraints/>"

/* The configuration serialized, for comparisons. */
static char *conf_str(xmlDoc *d)
{
	xmlBuffer *b = xmlBufferCreate();
	char *s;

	xmlNodeDump(b, d, ham_xml_child(xmlDocGetRootElement(d), "configuration"), 0, 0);
	s = ham_strdup((const char *)xmlBufferContent(b));
	xmlBufferFree(b);
	return s;
}

/* Applies diff(orig -> new) to cur; returns the result code and *out (the configuration). */
static int run(const char *orig, const char *new, const char *cur, char **out, char **err,
	       size_t *ret_count)
{
	xmlDoc *o = parse(orig), *n = parse(new), *c = parse(cur);
	cib_diff *d = NULL;
	int r;

	*err = NULL;
	r = cib_diff_compute(xmlDocGetRootElement(o), xmlDocGetRootElement(n), &d, err);
	assert_int_equal(r, 0);
	if (ret_count)
		*ret_count = cib_diff_count(d);
	r = cib_diff_apply(d, xmlDocGetRootElement(c), err);
	*out = conf_str(c);
	cib_diff_free(d);
	xmlFreeDoc(o);
	xmlFreeDoc(n);
	xmlFreeDoc(c);
	return r;
}

static void expect_conf(const char *got, const char *want_cib)
{
	xmlDoc *w = parse(want_cib);
	char *s = conf_str(w);

	assert_string_equal(got, s);
	free(s);
	xmlFreeDoc(w);
}

static void test_same_is_empty(void **state)
{
	xmlDoc *o = parse(CIB(BASE)), *n = parse(CIB(BASE));
	cib_diff *d = NULL;
	char *err = NULL;

	(void)state;
	assert_int_equal(cib_diff_compute(xmlDocGetRootElement(o), xmlDocGetRootElement(n), &d, &err), 0);
	assert_int_equal(cib_diff_count(d), 0);
	cib_diff_free(d);
	xmlFreeDoc(o);
	xmlFreeDoc(n);
}

/* The diff changes one attribute; a concurrent change elsewhere survives. */
static void test_attr_change_keeps_concurrent(void **state)
{
	const char *orig = CIB(BASE);
	const char *file = CIB(
		"<crm_config><cluster_property_set id=\"opts\">"
		"<nvpair id=\"opt-s\" name=\"stonith-enabled\" value=\"false\"/>"
		"</cluster_property_set></crm_config><nodes/>"
		"<resources>"
		"<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
		"<primitive id=\"b\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
		"<operations><op id=\"b-mon\" name=\"monitor\" interval=\"10s\"/></operations>"
		"</primitive></resources><constraints/>");
	/* meanwhile: b's monitor interval changed and a constraint was added */
	const char *cur = CIB(
		"<crm_config><cluster_property_set id=\"opts\">"
		"<nvpair id=\"opt-s\" name=\"stonith-enabled\" value=\"false\"/>"
		"</cluster_property_set></crm_config><nodes/>"
		"<resources>"
		"<primitive id=\"a\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>"
		"<primitive id=\"b\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
		"<operations><op id=\"b-mon\" name=\"monitor\" interval=\"5s\"/></operations>"
		"</primitive></resources>"
		"<constraints><rsc_location id=\"l1\" rsc=\"a\" node=\"n1\" score=\"5\"/></constraints>");
	const char *want = CIB(
		"<crm_config><cluster_property_set id=\"opts\">"
		"<nvpair id=\"opt-s\" name=\"stonith-enabled\" value=\"false\"/>"
		"</cluster_property_set></crm_config><nodes/>"
		"<resources>"
		"<primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
		"<primitive id=\"b\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
		"<operations><op id=\"b-mon\" name=\"monitor\" interval=\"5s\"/></operations>"
		"</primitive></resources>"
		"<constraints><rsc_location id=\"l1\" rsc=\"a\" node=\"n1\" score=\"5\"/></constraints>");
	char *out, *err;
	size_t count;

	(void)state;
	assert_int_equal(run(orig, file, cur, &out, &err, &count), 0);
	assert_int_equal(count, 1);
	expect_conf(out, want);
	free(out);
}

/* Added and removed elements land in place; an added attribute and a removed one. */
static void test_add_remove(void **state)
{
	const char *file = CIB(
		"<crm_config><cluster_property_set id=\"opts\">"
		"<nvpair id=\"opt-s\" name=\"stonith-enabled\" value=\"false\"/>"
		"<nvpair id=\"opt-n\" name=\"no-quorum-policy\" value=\"stop\"/>"
		"</cluster_property_set></crm_config><nodes/>"
		"<resources>"
		"<primitive id=\"c\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>"
		"<primitive id=\"b\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\" description=\"x\">"
		"<operations><op id=\"b-mon\" name=\"monitor\" interval=\"10s\"/></operations>"
		"</primitive></resources><constraints/>");
	const char *cur = CIB(BASE);
	const char *want = file;
	char *out, *err;
	size_t count;

	(void)state;
	assert_int_equal(run(CIB(BASE), file, cur, &out, &err, &count), 0);
	/* + opt-n, - a, + c, ~ b description */
	assert_int_equal(count, 4);
	expect_conf(out, want);
	free(out);
}

/* A primitive moved into a new group: removed from the top, the group added with it. */
static void test_move_into_group(void **state)
{
	const char *file = CIB(
		"<crm_config><cluster_property_set id=\"opts\">"
		"<nvpair id=\"opt-s\" name=\"stonith-enabled\" value=\"false\"/>"
		"</cluster_property_set></crm_config><nodes/>"
		"<resources>"
		"<group id=\"g\"><primitive id=\"a\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/></group>"
		"<primitive id=\"b\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
		"<operations><op id=\"b-mon\" name=\"monitor\" interval=\"10s\"/></operations>"
		"</primitive></resources><constraints/>");
	char *out, *err;

	(void)state;
	assert_int_equal(run(CIB(BASE), file, CIB(BASE), &out, &err, NULL), 0);
	expect_conf(out, file);
	free(out);
}

/* Group members reordered. */
static void test_reorder(void **state)
{
	const char *orig = CIB("<resources><group id=\"g\">"
			       "<primitive id=\"p1\" class=\"ocf\" type=\"x\"/>"
			       "<primitive id=\"p2\" class=\"ocf\" type=\"x\"/>"
			       "<primitive id=\"p3\" class=\"ocf\" type=\"x\"/>"
			       "</group></resources>");
	const char *file = CIB("<resources><group id=\"g\">"
			       "<primitive id=\"p3\" class=\"ocf\" type=\"x\"/>"
			       "<primitive id=\"p1\" class=\"ocf\" type=\"x\"/>"
			       "<primitive id=\"p2\" class=\"ocf\" type=\"x\"/>"
			       "</group></resources>");
	char *out, *err;

	(void)state;
	assert_int_equal(run(orig, file, orig, &out, &err, NULL), 0);
	expect_conf(out, file);
	free(out);
}

static void expect_conflict(const char *orig, const char *file, const char *cur,
			    const char *needle)
{
	char *out, *err;

	assert_int_equal(run(orig, file, cur, &out, &err, NULL), -EBUSY);
	assert_non_null(err);
	if (strstr(err, needle) == NULL)
		fail_msg("'%s' does not say '%s'", err, needle);
	/* current is unchanged */
	expect_conf(out, cur);
	free(out);
	free(err);
}

static void test_conflicts(void **state)
{
	const char *orig = CIB(BASE);
	/* FILE: a's type changes, b's monitor is removed */
	const char *file = CIB(
		"<crm_config><cluster_property_set id=\"opts\">"
		"<nvpair id=\"opt-s\" name=\"stonith-enabled\" value=\"false\"/>"
		"</cluster_property_set></crm_config><nodes/>"
		"<resources>"
		"<primitive id=\"a\" class=\"ocf\" provider=\"hamgr\" type=\"stateful\"/>"
		"<primitive id=\"b\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
		"<operations/></primitive>"
		"</resources><constraints/>");

	(void)state;
	/* a's type was changed meanwhile to something else */
	expect_conflict(orig, file, CIB(
		"<crm_config><cluster_property_set id=\"opts\">"
		"<nvpair id=\"opt-s\" name=\"stonith-enabled\" value=\"false\"/>"
		"</cluster_property_set></crm_config><nodes/>"
		"<resources>"
		"<primitive id=\"a\" class=\"ocf\" provider=\"hamgr\" type=\"other\"/>"
		"<primitive id=\"b\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
		"<operations><op id=\"b-mon\" name=\"monitor\" interval=\"10s\"/></operations>"
		"</primitive></resources><constraints/>"), "attribute type of primitive 'a'");
	/* a was removed meanwhile */
	expect_conflict(orig, file, CIB(
		"<crm_config><cluster_property_set id=\"opts\">"
		"<nvpair id=\"opt-s\" name=\"stonith-enabled\" value=\"false\"/>"
		"</cluster_property_set></crm_config><nodes/>"
		"<resources>"
		"<primitive id=\"b\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
		"<operations><op id=\"b-mon\" name=\"monitor\" interval=\"10s\"/></operations>"
		"</primitive></resources><constraints/>"), "primitive 'a'");
	/* the monitor FILE removes was changed meanwhile */
	expect_conflict(orig, file, CIB(
		"<crm_config><cluster_property_set id=\"opts\">"
		"<nvpair id=\"opt-s\" name=\"stonith-enabled\" value=\"false\"/>"
		"</cluster_property_set></crm_config><nodes/>"
		"<resources>"
		"<primitive id=\"a\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>"
		"<primitive id=\"b\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
		"<operations><op id=\"b-mon\" name=\"monitor\" interval=\"20s\"/></operations>"
		"</primitive></resources><constraints/>"), "op 'b-mon' was changed");
}

/* An element FILE adds exists already with other content; its parent is gone. */
static void test_add_conflicts(void **state)
{
	const char *orig = CIB("<resources/><constraints/>");
	const char *file = CIB("<resources><primitive id=\"n\" class=\"ocf\" type=\"x\"/></resources>"
			       "<constraints/>");
	char *out, *err;

	(void)state;
	expect_conflict(orig, file, CIB("<resources><primitive id=\"n\" class=\"ocf\" type=\"y\"/>"
					"</resources><constraints/>"), "added to the cluster's CIB");
	expect_conflict(orig, file, CIB("<constraints/>"), "was removed from the cluster's CIB");
	/* the same addition made meanwhile is no conflict */
	assert_int_equal(run(orig, file, file, &out, &err, NULL), 0);
	expect_conf(out, file);
	free(out);
	/* an id FILE adds deeper down is taken */
	expect_conflict(orig,
			CIB("<resources><group id=\"g\"><primitive id=\"n\" class=\"ocf\" type=\"x\"/>"
			    "</group></resources><constraints/>"),
			CIB("<resources/><constraints><rsc_location id=\"n\" rsc=\"x\" node=\"a\" "
			    "score=\"1\"/></constraints>"),
			"id 'n'");
}

static void test_bad_input(void **state)
{
	xmlDoc *o = parse("<cib><status/></cib>"), *n = parse(CIB(BASE));
	xmlDoc *dup = parse(CIB("<resources><primitive id=\"a\"/><primitive id=\"a\"/></resources>"));
	cib_diff *d = NULL;
	char *err = NULL;

	(void)state;
	assert_int_equal(cib_diff_compute(xmlDocGetRootElement(o), xmlDocGetRootElement(n), &d, &err),
			 -HAM_E_XML);
	assert_non_null(strstr(err, "ORIG has no <configuration>"));
	free(err);
	err = NULL;
	assert_int_equal(cib_diff_compute(xmlDocGetRootElement(n), xmlDocGetRootElement(dup), &d,
					  &err), -HAM_E_XML);
	assert_non_null(strstr(err, "id 'a' is used twice"));
	free(err);
	xmlFreeDoc(o);
	xmlFreeDoc(n);
	xmlFreeDoc(dup);
}

static void test_describe(void **state)
{
	xmlDoc *o = parse(CIB(BASE));
	xmlDoc *n = parse(CIB("<crm_config><cluster_property_set id=\"opts\">"
			      "<nvpair id=\"opt-s\" name=\"stonith-enabled\" value=\"true\"/>"
			      "</cluster_property_set></crm_config><nodes/><resources>"
			      "<primitive id=\"b\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">"
			      "<operations><op id=\"b-mon\" name=\"monitor\" interval=\"10s\"/>"
			      "</operations></primitive></resources><constraints/>"));
	cib_diff *d = NULL;
	ham_buf b = HAM_BUF_INIT;
	char *err = NULL;

	(void)state;
	assert_int_equal(cib_diff_compute(xmlDocGetRootElement(o), xmlDocGetRootElement(n), &d, &err), 0);
	cib_diff_describe(d, &b);
	assert_string_equal(ham_buf_str(&b), "~ nvpair 'opt-s': value=\"true\"\n"
			    "- primitive 'a'\n");
	ham_buf_free(&b);
	cib_diff_free(d);
	xmlFreeDoc(o);
	xmlFreeDoc(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_is_empty),
		cmocka_unit_test(test_attr_change_keeps_concurrent),
		cmocka_unit_test(test_add_remove),
		cmocka_unit_test(test_move_into_group),
		cmocka_unit_test(test_reorder),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_add_conflicts),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_describe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
