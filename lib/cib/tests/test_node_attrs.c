/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/cib/tests/test_node_attrs.c: node attributes through the <modify>
 * edits: permanent ones in configuration/nodes, transient ones (lifetime
 * reboot) in the node's status, utilization, and their errors.
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
#include <cmocka.h>

#include <hamgr/common.h>
#include <hamgr/cib.h>

#define CIB \
	"<cib admin_epoch=\"0\" epoch=\"5\" num_updates=\"3\" validate-with=\"pacemaker-3.0\">" \
	"<configuration><crm_config/>" \
	"<nodes><node id=\"1\" uname=\"node1\"/></nodes>" \
	"<resources/><constraints/></configuration>" \
	"<status><node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" " \
	"join=\"member\" expected=\"member\"/>" \
	"<node_state id=\"2\" uname=\"node2\" in_ccm=\"true\" crmd=\"online\" " \
	"join=\"member\" expected=\"member\"/></status></cib>"

static ham_cib_doc *load(void)
{
	ham_cib_doc *d = NULL;

	assert_int_equal(ham_cib_doc_parse(CIB, strlen(CIB), &d, NULL), 0);
	return d;
}

static char *dump(const ham_cib_doc *d)
{
	char *s;
	size_t len;

	assert_int_equal(ham_cib_doc_dump(d, &s, &len), 0);
	return s;
}

static int edit(ham_cib_doc *d, const char *xml, bool *ret_changed, char **ret_err)
{
	*ret_err = NULL;
	return ham_cib_doc_apply_modify(d, xml, strlen(xml), ret_changed, ret_err);
}

static void version(const ham_cib_doc *d, uint64_t *epoch, uint64_t *updates)
{
	struct ham_cib_version v;

	ham_cib_doc_get_version(d, &v);
	*epoch = v.epoch;
	*updates = v.num_updates;
}

static void test_transient(void **state)
{
	ham_cib_doc *d = load();
	bool changed = false;
	uint64_t epoch, updates;
	char *err, *s;

	(void)state;
	/* lifetime reboot: the node's status, a status change (num_updates) */
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node2\" name=\"master-db\" "
			      "value=\"10\" lifetime=\"reboot\"/></modify>", &changed, &err), 0);
	assert_true(changed);
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "2", "master-db"), "10");
	version(d, &epoch, &updates);
	assert_int_equal(epoch, 5);
	assert_int_equal(updates, 4);
	s = dump(d);
	assert_non_null(strstr(s, "<transient_attributes id=\"2\"><instance_attributes "
				  "id=\"status-2\"><nvpair id=\"status-2-master-db\" "
				  "name=\"master-db\" value=\"10\"/>"));
	/* not in the configuration */
	assert_null(strstr(s, "<node id=\"2\""));
	free(s);
	/* the same value again: no change, no version bump */
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node2\" name=\"master-db\" "
			      "value=\"10\" lifetime=\"reboot\"/></modify>", &changed, &err), 0);
	assert_false(changed);
	version(d, &epoch, &updates);
	assert_int_equal(updates, 4);
	/* a permanent attribute of the same name is another attribute */
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node2\" name=\"master-db\" "
			      "value=\"3\" lifetime=\"forever\"/></modify>", &changed, &err), 0);
	assert_true(changed);
	version(d, &epoch, &updates);
	assert_int_equal(epoch, 6);
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "2", "master-db"), "10");
	/* deleted (no value): only the transient one goes */
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node2\" name=\"master-db\" "
			      "lifetime=\"reboot\"/></modify>", &changed, &err), 0);
	assert_true(changed);
	assert_null(ham_cib_doc_get_transient_attr(d, "2", "master-db"));
	s = dump(d);
	assert_non_null(strstr(s, "<nvpair id=\"nodes-2-master-db\" name=\"master-db\" "
				  "value=\"3\"/>"));
	free(s);
	/* deleting what is not there changes nothing */
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node2\" name=\"master-db\" "
			      "lifetime=\"reboot\"/></modify>", &changed, &err), 0);
	assert_false(changed);
	/* erased with the node's other transient attributes (it left or restarted) */
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node1\" name=\"gtid\" "
			      "value=\"0-1-7\" lifetime=\"reboot\"/></modify>", &changed, &err), 0);
	assert_string_equal(ham_cib_doc_get_transient_attr(d, "1", "gtid"), "0-1-7");
	ham_cib_doc_erase_transient(d, "1");
	assert_null(ham_cib_doc_get_transient_attr(d, "1", "gtid"));
	ham_cib_doc_free(d);
}

static void test_utilization(void **state)
{
	ham_cib_doc *d = load();
	bool changed = false;
	char *err, *s;

	(void)state;
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node1\" name=\"cpu\" value=\"4\" "
			      "set=\"utilization\"/><set-node-attr node=\"node1\" "
			      "name=\"memory\" value=\"2048\" set=\"utilization\"/></modify>",
			      &changed, &err), 0);
	assert_true(changed);
	s = dump(d);
	assert_non_null(strstr(s, "<node id=\"1\" uname=\"node1\"><utilization "
				  "id=\"nodes-1-utilization\"><nvpair "
				  "id=\"nodes-1-utilization-cpu\" name=\"cpu\" value=\"4\"/><nvpair "
				  "id=\"nodes-1-utilization-memory\" name=\"memory\" "
				  "value=\"2048\"/></utilization></node>"));
	free(s);
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node1\" name=\"cpu\" "
			      "set=\"utilization\"/></modify>", &changed, &err), 0);
	s = dump(d);
	assert_null(strstr(s, "name=\"cpu\""));
	assert_non_null(strstr(s, "name=\"memory\""));
	free(s);
	ham_cib_doc_free(d);
}

static void test_errors(void **state)
{
	ham_cib_doc *d = load();
	bool changed = false;
	char *err, *before, *after;

	(void)state;
	before = dump(d);
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node1\" name=\"a\" value=\"1\" "
			      "lifetime=\"reboot\"/><set-node-attr node=\"node1\" name=\"b\" "
			      "value=\"1\" lifetime=\"always\"/></modify>", &changed, &err),
			 -HAM_E_USAGE);
	assert_string_equal(err, "'always' is not a lifetime (reboot or forever)");
	free(err);
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node1\" name=\"cpu\" value=\"1\" "
			      "lifetime=\"reboot\" set=\"utilization\"/></modify>", &changed, &err),
			 -HAM_E_USAGE);
	assert_string_equal(err, "node utilization is configuration: its lifetime is forever");
	free(err);
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node1\" name=\"cpu\" value=\"1\" "
			      "set=\"meta_attributes\"/></modify>", &changed, &err), -HAM_E_XML);
	assert_string_equal(err, "<set-node-attr> cannot set a <meta_attributes>");
	free(err);
	assert_int_equal(edit(d, "<modify><set-node-attr node=\"node1\" name=\"a\" value=\"1\" "
			      "lifetime=\"reboot\"/><set-node-attr node=\"node7\" name=\"a\" "
			      "value=\"1\" lifetime=\"reboot\"/></modify>", &changed, &err), -ENOENT);
	assert_string_equal(err, "no node 'node7' in the cluster");
	free(err);
	/* all or none: the first edit of each did not apply */
	after = dump(d);
	assert_string_equal(before, after);
	assert_null(ham_cib_doc_get_transient_attr(d, "1", "a"));
	free(before);
	free(after);
	ham_cib_doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transient),
		cmocka_unit_test(test_utilization),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
